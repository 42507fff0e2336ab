#!/usr/bin/env bash
# make bench: the same benchmarks on upstream's livepatch (the base as
# shipped) and on ours, same config, same QEMU settings, on x86_64 and
# ppc64le, from one commit; then the page, bench/RESULTS.md, with its
# goals table, bench/goals.tsv, and its plots, bench/*.svg.  Figures
# only: nothing here passes or fails on a time.
#
# Settings (environment):
#   BENCH_ARCHES	the arches (default "x86_64 ppc64le"); the page needs both
#   BENCH_REPS		repetitions of each figure (default 5)
#   BENCH_ROUNDS	guest boots per kernel (default BENCH_REPS)
#   BENCH_ONLY		metrics (default "P0 P0F P1 P2 P3 P4 P5 P7 KB")
#   BENCH_UPSTREAM_BIG_REPS  repetitions of upstream's P2 at 10000
#			functions (default 2; see below)
#   BENCH_SERIAL=1	run one arch's guests after the other's
#   BENCH_P2_SIZES, BENCH_P5_THREADS  fewer points on the curves, for a
#			quick look (bench/guest/bench.sh); the page is made
#			with the defaults
#   BENCH_TRACE="P0 P5"	a diagnosis of those metrics on our kernel: the
#			walks of each transition and the tasks that switched
#			outside them, in the guest log (bench/guest/bench.sh)
# Any of these set to other than its default makes the run partial: the
# tables and goals go to build/bench only, and the page is not touched.
#
# The two kernels' guests alternate, upstream then ours, round after
# round, each guest running its share of the repetitions: a shared
# machine's drift over the run then hits both sides alike, where all of
# one side's runs followed by all of the other's would turn it into a
# difference between them.  The two arches run at the same time, one
# guest each: QEMU runs a guest's vCPUs on one host thread (boot.sh),
# and the host has two cores.
#
# Upstream registers one ftrace_ops per function and waits for an
# RCU-tasks grace period as it removes each: disabling its 10000-function
# patch takes about 20 minutes under TCG.  Five of those per arch would
# triple the run, so upstream's P2.10000 rows have BENCH_UPSTREAM_BIG_REPS
# repetitions, and the page shows the n of every row.
. "$(dirname "$0")/common.sh"
"$KLP_TOP/harness/deps.sh" gnuplot-nox
"$KLP_TOP/harness/base.sh" >/dev/null
B=$KLP_BUILD/bench
mkdir -p "$B"

ARCHES=${BENCH_ARCHES:-x86_64 ppc64le}
ALL_METRICS="P0 P0F P1 P2 P3 P4 P5 P7 KB"
BENCH_ONLY=${BENCH_ONLY:-$ALL_METRICS}
# KB, klp-build's own times, runs on the host (harness/klp-build-bench.sh):
# the guests get the other metrics.
GUEST_ONLY=$(echo " $BENCH_ONLY " | sed 's/ KB / /g; s/^ *//; s/ *$//')
FLAVORS="upstream ours"
REPS=${BENCH_REPS:-5}
ROUNDS=${BENCH_ROUNDS:-$REPS}
[ "$ROUNDS" -le "$REPS" ] || ROUNDS=$REPS
# Both kernels of an arch get the same command line.  On x86_64 it gives
# them a clock finer than 4 ms: under TCG the kernel often fails to
# calibrate the TSC (no HPET or PM timer in our config, and the PIT
# reference is emulated), or finds the two vCPUs' TSCs "unsynchronized",
# and falls back to jiffies, too coarse for P4 and for the timers the
# benchmark modules sleep on.  TCG gives the guest the host's TSC, so the
# host measures its rate (bench/host/tsc-khz.c).
X86_CMDLINE="tsc=reliable"
if [ "$(uname -m)" = x86_64 ]; then
	gcc -O2 -o "$B/tsc-khz" "$KLP_TOP/bench/host/tsc-khz.c"
	X86_CMDLINE="$X86_CMDLINE tsc_early_khz=$("$B/tsc-khz")"
fi
# 30,000 sleeping threads (P5) need about 1.5 GiB.
BENCH_MEM=3072
[ -n "$GUEST_ONLY" ] || FLAVORS=

# A run narrowed by any of the settings above is partial: its figures
# stay in build/bench, and bench/ (the page of the last complete run)
# is left alone.
partial=
[ "$ARCHES" = "x86_64 ppc64le" ] || partial="$partial BENCH_ARCHES"
[ "$BENCH_ONLY" = "$ALL_METRICS" ] || partial="$partial BENCH_ONLY"
[ "$REPS" = 5 ] && [ "$ROUNDS" = 5 ] || partial="$partial BENCH_REPS/BENCH_ROUNDS"
[ "${BENCH_UPSTREAM_BIG_REPS:-2}" = 2 ] || partial="$partial BENCH_UPSTREAM_BIG_REPS"
for v in BENCH_P2_SIZES BENCH_P5_THREADS BENCH_TRACE; do
	[ -z "${!v:-}" ] || partial="$partial $v"
done
rm -f "$B/partial"
[ -z "$partial" ] || echo "$partial" > "$B/partial"

git -C "$KLP_TOP" rev-parse --short HEAD > "$B/commit"
git -C "$KLP_TOP" diff --quiet HEAD || echo dirty >> "$B/commit"
date -u +%Y-%m-%d > "$B/date"
echo "$REPS $ROUNDS ${BENCH_UPSTREAM_BIG_REPS:-2}" > "$B/reps"

# Kernels, modules and payloads, one build at a time.
for arch in $ARCHES; do
	for flavor in $FLAVORS; do
		(
		export ARCH=$arch FLAVOR=$flavor
		. "$KLP_TOP/harness/common.sh"
		"$KLP_TOP/harness/kernel.sh"
		sha256sum "$OBJ/.config" | cut -c1-12 > "$B/config-$ARCH-$FLAVOR"
		src=$B/src-$ARCH
		rm -rf "$src"
		mkdir -p "$src"
		cp "$KLP_TOP"/bench/modules/*.c "$src/"
		for n in 1 10 100 10000; do python3 "$KLP_TOP/bench/gen-many.py" $n "$src"; done
		python3 "$KLP_TOP/bench/gen-many.py" 1000 "$src" pp
		(cd "$src" && echo "obj-m += $(ls *.c | sed 's/\.c$/.o/' | tr '\n' ' ')") > "$src/Makefile"
		"$KLP_TOP/harness/testmods.sh" "$src" "$B/mods-$ARCH-$FLAVOR"
		payload=$KLP_BUILD/payload/bench-$ARCH-$FLAVOR
		rm -rf "$payload"
		mkdir -p "$payload/mods" "$payload/samples"
		cp "$B/mods-$ARCH-$FLAVOR"/*.ko "$payload/mods/"
		cp "$OBJ/samples/livepatch/livepatch-sample.ko" "$payload/samples/"
		"${CROSS}gcc" -static -O2 -pthread -o "$payload/sleepers" "$KLP_TOP/bench/guest/sleepers.c"
		"${CROSS}gcc" -static -O2 -o "$payload/pingpong" "$KLP_TOP/bench/guest/pingpong.c"
		cp "$KLP_TOP/bench/guest/bench.sh" "$payload/bench.sh"
		: > "$B/raw-$ARCH-$FLAVOR.txt"
		) || die "preparing the $flavor benchmark on $arch failed"
	done
done

# One arch's guests, the two kernels alternating; round r runs
# repetitions first..last of REPS, numbered as in one guest.
run_arch() {
	local r first last flavor big cmdline=
	[ "$ARCH" != x86_64 ] || cmdline=$X86_CMDLINE
	for r in $(seq "$ROUNDS"); do
		first=$(( (r - 1) * REPS / ROUNDS + 1 ))
		last=$(( r * REPS / ROUNDS ))
		for flavor in $FLAVORS; do
			big=$REPS
			[ "$flavor" = ours ] || big=${BENCH_UPSTREAM_BIG_REPS:-2}
			(
			export FLAVOR=$flavor
			. "$KLP_TOP/harness/common.sh"
			payload=$KLP_BUILD/payload/bench-$ARCH-$flavor
			{ echo '#!/bin/bash'
			  echo "BENCH_FIRST=$first BENCH_REPS=$last BENCH_BIG_REPS=$big BENCH_ONLY='$GUEST_ONLY' \\"
			  echo "BENCH_P2_SIZES='${BENCH_P2_SIZES:-}' BENCH_P5_THREADS='${BENCH_P5_THREADS:-}' BENCH_TRACE='${BENCH_TRACE:-}' bash /payload/bench.sh"
			} > "$payload/run.sh"
			say "benchmarking $flavor on $ARCH, round $r of $ROUNDS (repetitions $first-$last)"
			KLP_CMDLINE=$cmdline KLP_GUEST_MEM=$BENCH_MEM \
				"$KLP_TOP/harness/boot.sh" -q -n "bench-$flavor-$r" \
				-t "${BENCH_GUEST_TIMEOUT:-10800}" "$payload" ||
				echo "bench: round $r: the guest failed, see $LOGS/bench-$flavor-$r.log" >> "$B/raw-$ARCH-$flavor.txt"
			tr -d '\r' < "$LOGS/bench-$flavor-$r.log" | grep -E '^(BENCH|bench:) ' >> "$B/raw-$ARCH-$flavor.txt"
			cp "$LOGS/bench-$flavor-$r.qemu" "$B/qemu-$ARCH"
			)
		done
	done
}

if [ -n "$GUEST_ONLY" ]; then
	pids=()
	for arch in $ARCHES; do
		if [ -n "${BENCH_SERIAL:-}" ]; then
			ARCH=$arch run_arch
		else
			ARCH=$arch run_arch > "$B/run-$arch.log" 2>&1 &
			pids+=($!)
		fi
	done
	for pid in "${pids[@]}"; do wait "$pid"; done
	[ -n "${BENCH_SERIAL:-}" ] || cat "$B"/run-*.log
fi

# klp-build: no upstream counterpart exists for 6.12 (upstream's came with
# 6.19, for x86_64 only), so its figures stand alone, on the ours tree
# that the guests ran: first run, a one-function patch, the corpus.
for arch in $ARCHES; do
	case " $BENCH_ONLY " in *" KB "*) ;; *) continue ;; esac
	(
	export ARCH=$arch FLAVOR=ours
	. "$KLP_TOP/harness/common.sh"
	"$KLP_TOP/harness/kernel.sh" > /dev/null
	say "klp-build on $ARCH (${BENCH_KB_RUNS:-5} one-function runs, then the corpus)" >&2
	"$KLP_TOP/harness/klp-build-bench.sh" "$OBJ" "$SRC" "${BENCH_KB_RUNS:-5}"
	) > "$B/kb-$arch.md"
done

if [ -n "$partial" ]; then
	# shellcheck disable=SC2086
	python3 "$KLP_TOP/harness/bench-report.py" "$B" "$B/goals.tsv" $ARCHES
	for arch in $ARCHES; do
		echo "## $arch"
		cat "$B/table-$arch.md"
	done
	say "a partial run (set:$partial): its figures are in ${B#"$KLP_TOP"/} (table-ARCH.md, goals.tsv); bench/ is left as it was"
else
	"$KLP_TOP/harness/bench-page.sh"
fi
