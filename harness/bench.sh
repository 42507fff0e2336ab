#!/usr/bin/env bash
# make bench [ARCH=...]: the same benchmarks on upstream's livepatch (the
# base as shipped) and on ours, same config, same QEMU settings; prints a
# table of min/median/max per side and the ratio of the medians, and writes
# it to build/bench/results.md.  Figures only: nothing here passes or fails
# on a time.  BENCH_REPS (default 5) sets the repetitions, BENCH_ONLY the
# metrics (default "P0 P0F P1 P2 P3 P4 P5 P7 KB"; ppc64le: "P0 P0F P1 P2
# P3 P7 KB"), and
# BENCH_FLAVORS the sides to (re)run (default "upstream ours"; the table
# takes the other side from its last run).
#
# The two kernels' guests alternate, upstream then ours, BENCH_ROUNDS
# times (default 3), each guest running its share of the repetitions:
# a shared machine's drift over the run then hits both sides alike,
# where all of one side's runs followed by all of the other's would turn
# it into a difference between them.
. "$(dirname "$0")/common.sh"
"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/base.sh" >/dev/null
B=$KLP_BUILD/bench
mkdir -p "$B"

if [ "$ARCH" = ppc64le ]; then only_default="P0 P0F P1 P2 P3 P7 KB"; else only_default="P0 P0F P1 P2 P3 P4 P5 P7 KB"; fi
BENCH_ONLY=${BENCH_ONLY:-$only_default}
# KB, klp-build's own times, runs on the host (harness/klp-build-bench.sh):
# the guests get the other metrics.
GUEST_ONLY=$(echo " $BENCH_ONLY " | sed 's/ KB / /g; s/^ *//; s/ *$//')
FLAVORS=${BENCH_FLAVORS:-upstream ours}
REPS=${BENCH_REPS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
[ "$ROUNDS" -le "$REPS" ] || ROUNDS=$REPS
# Only KB: no guest, no kernel but ours.
[ -n "$GUEST_ONLY" ] || FLAVORS=
for flavor in $FLAVORS; do
	(
	export FLAVOR=$flavor
	. "$KLP_TOP/harness/common.sh"
	"$KLP_TOP/harness/kernel.sh"
	src=$B/src-$ARCH
	rm -rf "$src"
	mkdir -p "$src"
	cp "$KLP_TOP"/bench/modules/*.c "$src/"
	for n in 1 100; do python3 "$KLP_TOP/bench/gen-many.py" $n "$src"; done
	python3 "$KLP_TOP/bench/gen-many.py" 1000 "$src" pp
	(cd "$src" && echo "obj-m += $(ls *.c | sed 's/\.c$/.o/' | tr '\n' ' ')") > "$src/Makefile"
	"$KLP_TOP/harness/testmods.sh" "$src" "$B/mods-$ARCH-$flavor"
	payload=$KLP_BUILD/payload/bench-$ARCH-$flavor
	rm -rf "$payload"
	mkdir -p "$payload/mods" "$payload/samples"
	cp "$B/mods-$ARCH-$flavor"/*.ko "$payload/mods/"
	cp "$OBJ/samples/livepatch/livepatch-sample.ko" "$payload/samples/"
	"${CROSS}gcc" -static -O2 -pthread -o "$payload/sleepers" "$KLP_TOP/bench/guest/sleepers.c"
	"${CROSS}gcc" -static -O2 -o "$payload/pingpong" "$KLP_TOP/bench/guest/pingpong.c"
	cp "$KLP_TOP/bench/guest/bench.sh" "$payload/bench.sh"
	: > "$B/raw-$ARCH-$flavor.txt"
	) || die "preparing the $flavor benchmark failed"
done

# Round r runs repetitions first..last of REPS, numbered as in one guest.
[ -n "$GUEST_ONLY" ] || ROUNDS=0
for r in $(seq "$ROUNDS"); do
	first=$(( (r - 1) * REPS / ROUNDS + 1 ))
	last=$(( r * REPS / ROUNDS ))
	for flavor in $FLAVORS; do
		(
		export FLAVOR=$flavor
		. "$KLP_TOP/harness/common.sh"
		payload=$KLP_BUILD/payload/bench-$ARCH-$flavor
		{ echo '#!/bin/bash'
		  echo "BENCH_FIRST=$first BENCH_REPS=$last BENCH_ONLY='$GUEST_ONLY' bash /payload/bench.sh"
		} > "$payload/run.sh"
		say "benchmarking $flavor on $ARCH, round $r of $ROUNDS (repetitions $first-$last)"
		KLP_GUEST_MEM=2048 "$KLP_TOP/harness/boot.sh" -q -n "bench-$flavor-$r" -t 5400 "$payload" || true
		tr -d '\r' < "$LOGS/bench-$flavor-$r.log" | grep -E '^(BENCH|bench:) ' >> "$B/raw-$ARCH-$flavor.txt"
		)
	done
done

if [ -n "$GUEST_ONLY" ]; then
	config=$(sha256sum "$KLP_BUILD/obj/ours-$ARCH/.config" | cut -c1-12)
	python3 "$KLP_TOP/harness/bench-report.py" "$ARCH" "$B/raw-$ARCH-upstream.txt" \
		"$B/raw-$ARCH-ours.txt" "$(cat "$KLP_BUILD/base/VERSION")" "$config" \
		"$(git -C "$KLP_TOP" rev-parse --short HEAD)$(git -C "$KLP_TOP" diff --quiet || echo -dirty)" \
		| tee "$B/results-$ARCH.md"
fi

# klp-build: no upstream counterpart exists for 6.12 (upstream's came with
# 6.19, for x86_64 only), so its figures stand alone, on the ours tree
# that the guests ran: first run, a one-function patch, the corpus.
if [ "$GUEST_ONLY" != "$BENCH_ONLY" ]; then
	[ -n "$GUEST_ONLY" ] || : > "$B/results-$ARCH.md"
	(
	export FLAVOR=ours
	. "$KLP_TOP/harness/common.sh"
	"$KLP_TOP/harness/kernel.sh" > /dev/null
	say "klp-build on $ARCH (${BENCH_KB_RUNS:-5} one-function runs, then the corpus)" >&2
	echo
	"$KLP_TOP/harness/klp-build-bench.sh" "$OBJ" "$SRC" "${BENCH_KB_RUNS:-5}"
	) | tee -a "$B/results-$ARCH.md"
fi
cp "$B/results-$ARCH.md" "$B/results.md"
