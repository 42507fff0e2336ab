#!/usr/bin/env bash
# `make klp-build-check`: klp-build's whole corpus on every arch and
# flavor: for x86_64 and ppc64le, our kernel and upstream's (the base's
# own livepatch, same config), build the kernel if needed, build every
# corpus module against it with harness/klp-build-suite.sh, boot a guest
# that runs the suite, and count the KLP-RESULT lines.
#   KLP_BUILD_CHECK="ours-x86_64 upstream-x86_64 ..."  narrows the runs
#   --representative                                   make check's subset
# Results: build/klp-build-check/results.txt ("<flavor>-<arch> <suite>
# <test> PASS|FAIL|SKIP <seconds>"), klp-build's timings in
# build/klp-build-check/<flavor>-<arch>/klp-build/times.
. "$(dirname "$0")/common.sh"

mode=${1:-}
runs=${KLP_BUILD_CHECK:-ours-x86_64 upstream-x86_64 ours-ppc64le upstream-ppc64le}
top=$KLP_BUILD/klp-build-check
mkdir -p "$top"
results=$top/results.txt
: > "$results"
"$KLP_TOP/harness/deps.sh" >/dev/null

for run in $runs; do
	flavor=${run%%-*}
	arch=${run#*-}
	say "klp-build corpus: $flavor kernel, $arch"
	dir=$top/$run
	rm -rf "$dir"
	mkdir -p "$dir/payload"
	rc=0
	FLAVOR=$flavor ARCH=$arch bash -c '
		. "$1/harness/common.sh"
		[ -n "${KLP_NO_KERNEL:-}" ] || "$KLP_TOP/harness/kernel.sh"
		"$KLP_TOP/harness/klp-build-suite.sh" "$OBJ" "$SRC" "$2" $3
	' _ "$KLP_TOP" "$dir/payload/klp-build" "$mode" || rc=$?
	if [ $rc != 0 ]; then
		echo "$run klp-build setup FAIL 0" >> "$results"
		continue
	fi
	cp "$KLP_TOP/harness/guest/run-suites.sh" "$dir/payload/run.sh"
	start=$(date +%s)
	FLAVOR=$flavor ARCH=$arch "$KLP_TOP/harness/boot.sh" -q \
		-n "klp-build-$flavor" -t 1200 "$dir/payload" || rc=$?
	log=$KLP_BUILD/logs/$arch/klp-build-$flavor.log
	tr -d '\r' < "$log" | grep '^KLP-RESULT ' |
		sed "s/^KLP-RESULT /$run /" >> "$results" || true
	for t in $(cat "$dir/payload/klp-build/SUITE"); do
		grep -q "^$run klp-build $t " "$results" ||
			echo "$run klp-build $t FAIL 0 (no result: see $log)" >> "$results"
	done
	echo "$run: guest ${rc/#0/ok} after $(( $(date +%s) - start ))s;" \
		"klp-build: $(awk '$1 == "total" { print $2 }' "$dir/payload/klp-build/times")s in all"
done

pass=$(grep -c ' PASS ' "$results" || true)
fail=$(grep -c ' FAIL ' "$results" || true)
skip=$(grep -c ' SKIP ' "$results" || true)
grep -E ' (FAIL|SKIP) ' "$results" || true
echo "klp-build-check: $pass passed, $fail failed, $skip skipped ($results)"
[ "$fail" = 0 ]
