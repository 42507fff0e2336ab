#!/usr/bin/env bash
# make bench-page: bench/RESULTS.md, bench/goals.tsv and the plots
# bench/p2-ARCH.svg and bench/p5-ARCH.svg, from the last make bench run
# (build/bench), and the hand-written bench/reading.md and, for that run,
# bench/this-run.md.  make bench runs
# it at its end; on its own it redoes the page from the same run.  The
# page shows one run only: everything on it comes from build/bench as
# that run left it.
. "$(dirname "$0")/common.sh"
B=$KLP_BUILD/bench
page=$KLP_TOP/bench/RESULTS.md
[ -f "$B/commit" ] || die "no make bench run in $B"
[ ! -f "$B/partial" ] ||
	die "the last make bench run was partial (set:$(cat "$B/partial")): the page shows complete runs only"
arches=
for arch in x86_64 ppc64le; do
	[ -f "$B/raw-$arch-ours.txt" ] && arches="$arches $arch"
done
[ -n "$arches" ] || die "no benchmark figures in $B"
# shellcheck disable=SC2086
python3 "$KLP_TOP/harness/bench-report.py" "$B" "$KLP_TOP/bench/goals.tsv" $arches

# plot NAME ARCH TITLE XLABEL: bench/NAME-ARCH.svg from NAME-ARCH.dat.
plot() {
	local dat=$B/$1-$2.dat svg=$KLP_TOP/bench/$1-$2.svg
	gnuplot <<-EOF
	set terminal svg size 760,500 dynamic noenhanced font "sans,13" background "white"
	set format y "%g"
	set output "$svg"
	set title "$3 ($2)"
	set logscale xy
	set datafile missing "?"
	set xlabel "$4"
	set ylabel "ms: median, bars from min to max"
	set key top left
	set grid
	plot "$dat" using 1:2:3:4 with yerrorlines lw 2 lc rgb "#b22222" title "upstream enable", \
	     "$dat" using 1:5:6:7 with yerrorlines lw 2 dt 2 lc rgb "#b22222" title "upstream disable", \
	     "$dat" using 1:8:9:10 with yerrorlines lw 2 lc rgb "#1f5fa8" title "ours enable", \
	     "$dat" using 1:11:12:13 with yerrorlines lw 2 dt 2 lc rgb "#1f5fa8" title "ours disable"
	EOF
	# gnuplot names its output's path in the file: keep it relative.
	sed -i "s|$KLP_TOP/||g" "$svg"
}
for arch in $arches; do
	plot p2 "$arch" "P2: enable and disable time by patch size" "functions in the patch"
	plot p5 "$arch" "P5T: transition time by number of sleeping threads (kernel log)" "sleeping threads"
done

read -r reps rounds big < "$B/reps"
qemu_line() {	# the guest's QEMU command line, without host paths
	sed 's|payload/[^ ]*|...|; s|obj/[^ ]*|KERNEL|; s|-initrd [^ ]*|-initrd INITRD|' "$B/qemu-$1"
}
{
	echo "# klp benchmarks: upstream's livepatch and ours, side by side"
	echo
	dirty=
	[ "$(sed -n 2p "$B/commit")" != dirty ] || dirty=" (with uncommitted changes)"
	echo "One \`make bench\` run, $(cat "$B/date"), at klp commit $(head -1 "$B/commit")$dirty."
	echo "Base: Debian linux-source-6.12 $(cat "$KLP_BUILD/base/VERSION")."
	echo "Every figure on this page comes from that run; earlier pages are in"
	echo "\`bench/history/\`."
	echo
	echo "Machine: 2 cores, 24 GiB, Debian 12, no usable KVM: the guests run"
	echo "under TCG, $(qemu-system-x86_64 --version | head -1)."
	echo "The two arches ran at the same time, one guest each; within an arch"
	echo "the two kernels' guests alternated, upstream then ours, in $rounds round(s)."
	echo "Each figure is the median of $reps repetitions, with min and max,"
	echo "except upstream's P2.10000 rows: $big repetitions (one disable takes"
	echo "about 20 minutes; see harness/bench.sh).  The n column gives the"
	echo "count of every row."
	echo
	for arch in $arches; do
		echo "- $arch: config $(cat "$B/config-$arch-upstream" 2>/dev/null || echo n/a) (upstream),"
		echo "  $(cat "$B/config-$arch-ours" 2>/dev/null || echo n/a) (ours; same fragments, plus our Kconfig options),"
		echo "  \`$(qemu_line "$arch")\`"
	done
	echo
	echo "## Goals"
	echo
	echo "Ratios are ours / upstream of the medians; below 1, ours is faster."
	echo "The same lines are in \`bench/goals.tsv\` (arch, metric, ours median,"
	echo "upstream median, ratio, goal, met or missed)."
	echo
	cat "$B/goals.md"
	echo
	# The reading of the missed goals is written by hand for one run:
	# bench/this-run.md says which on its first line ("run: COMMIT DATE"),
	# and a page of another run says that it has none yet.
	echo "## The missed goals, read"
	echo
	if [ "$(head -1 "$KLP_TOP/bench/this-run.md" 2>/dev/null)" = \
	     "run: $(head -1 "$B/commit") $(cat "$B/date")" ]; then
		tail -n +2 "$KLP_TOP/bench/this-run.md"
	else
		echo "Not written yet for this run (bench/this-run.md is for another)."
	fi
	echo
	echo "## Curves"
	echo
	for arch in $arches; do
		echo "![P2 on $arch](p2-$arch.svg)"
		echo "![P5T on $arch](p5-$arch.svg)"
		echo
	done
	for arch in $arches; do
		echo "## $arch, every figure"
		echo
		cat "$B/table-$arch.md"
		echo
		if [ -s "$B/kb-$arch.md" ]; then
			echo "### klp-build on $arch (ours only)"
			cat "$B/kb-$arch.md"
			echo
		fi
	done
	cat "$KLP_TOP/bench/reading.md"
} > "$page"
echo "wrote ${page#"$KLP_TOP"/}, bench/goals.tsv and the plots"
