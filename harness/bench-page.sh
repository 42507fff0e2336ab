#!/usr/bin/env bash
# make bench-page: the dated benchmarks page, bench/RESULTS.md, from the
# latest make bench tables of each arch (build/bench/results-ARCH.md) and
# the hand-written reading of them (bench/reading.md); each partial re-run
# of both sides kept as build/bench/results-ARCH-rerun[N].md gets its own
# table.
. "$(dirname "$0")/common.sh"
B=$KLP_BUILD/bench
page=$KLP_TOP/bench/RESULTS.md
qemu=$(qemu-system-x86_64 --version | head -1 | awk '{print $4}')
{
	echo "# klp benchmarks: upstream's livepatch and ours, side by side"
	echo
	echo "Latest run: $(date -u +%Y-%m-%d), \`make bench\` with BENCH_REPS=${BENCH_REPS:-5}."
	echo
	echo "Machine: 2 cores (Intel Xeon, virtualised), 24 GiB, Debian 12, no usable KVM."
	echo "Guests: QEMU $qemu under TCG, 2048 MiB, 2 CPUs:"
	echo
	echo "- x86_64: \`-accel tcg,thread=single -cpu max -smp 2,sockets=2,cores=1,threads=1\`;"
	echo "- ppc64le: \`-accel tcg -M pseries -cpu power9 -smp 2\`."
	echo
	echo "Both kernels of an arch are built from the same base with the same config;"
	echo "the upstream kernel is the base as shipped, ours replaces its livepatch"
	echo "with linux/.  Each table names the base, the config hash and our commit."
	echo
	echo "Under TCG absolute times mean little; read the ratios.  Ratios below 1"
	echo "mean ours is faster (or smaller)."
	echo
	for arch in x86_64 ppc64le; do
		[ -f "$B/results-$arch.md" ] || continue
		sed "s/^## make bench, $arch/## $arch/" "$B/results-$arch.md"
		echo
		# Later, partial runs of both sides (BENCH_ONLY), kept apart:
		# results-ARCH-rerun.md, then results-ARCH-rerun2.md, ...
		for rerun in "$B/results-$arch-rerun.md" "$B/results-$arch"-rerun[0-9].md; do
			[ -f "$rerun" ] || continue
			sed "s/^## make bench, $arch/### $arch, re-run of some metrics at a later commit/" \
				"$rerun"
			echo
		done
	done
	cat "$KLP_TOP/bench/reading.md"
} > "$page"
echo "wrote ${page#"$KLP_TOP"/}"
