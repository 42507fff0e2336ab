#!/usr/bin/env bash
# klp-build's figures for make bench, on a tree already built with the
# klp config:
#   klp-build-bench.sh OBJTREE SRCTREE [RUNS]
# - first run: a fresh scratch directory (klp-diff built too);
# - one-function patch (cmdline.patch), RUNS (default 3) further runs:
#   min, median, max;
# - the corpus: every module of run-build.sh, and the refusals.
# Prints a markdown table on stdout; seconds, wall clock.
. "$(dirname "$0")/common.sh"

[ $# -ge 2 ] || die "usage: klp-build-bench.sh OBJTREE SRCTREE [RUNS]"
objtree=$(realpath "$1")
srctree=$(realpath "$2")
runs=${3:-3}
kb=$KLP_TOP/linux/tools/testing/selftests/livepatch/klp-build
work=$(mktemp -d "${TMPDIR:-/tmp}/klp-build-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

one() {	# the seconds one klp-build run of cmdline.patch takes
	local t0 t1
	t0=$(date +%s.%N)
	(cd "$srctree" && KLP_TMP=$work/tmp \
		"$KLP_TOP/linux/scripts/livepatch/klp-build" -j "$JOBS" \
		--objtree "$objtree" -o "$work/livepatch-one.ko" \
		"$kb/patches/cmdline.patch") > "$work/one.log" 2>&1 ||
		{ cat "$work/one.log" >&2; die "klp-build failed"; }
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }'
}

first=$(one)
times=()
for _ in $(seq "$runs"); do times+=("$(one)"); done
read -r min med max < <(printf '%s\n' "${times[@]}" | sort -n |
	awk '{ v[NR] = $1 } END { print v[1], v[int((NR + 1) / 2)], v[NR] }')
t0=$(date +%s)
KLP_TMP=$work/tmp "$kb/run-build.sh" "$srctree" "$objtree" "$work/corpus" \
	> "$work/corpus.log" 2>&1 || echo "warning: the corpus had failures: $work/corpus.log" >&2
corpus=$(( $(date +%s) - t0 ))
nmod=$(wc -l < "$work/corpus/times")
arch=$(grep -q '^CONFIG_PPC64=y' "$objtree/.config" && echo ppc64le || echo x86_64)

echo "| klp-build ($arch, $(nproc) cores) | seconds |"
echo "|---|---|"
echo "| first run (fresh scratch dir, klp-diff built) | $first |"
echo "| one-function patch, $runs more runs: min / median / max | $min / $med / $max |"
echo "| corpus: $nmod modules and the refusals | $corpus |"
