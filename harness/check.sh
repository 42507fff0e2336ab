#!/usr/bin/env bash
# `make check`: every suite, on every arch (ARCHES="x86_64 ppc64le").
#
# Suites:
#   klp          our own selftests (linux/tools/testing/selftests/livepatch)
#   conformance  upstream's livepatch kselftests from the base, unmodified
#   samples      upstream's sample modules (samples/livepatch), unmodified,
#                driven through the scenarios their comments describe
#   kernel       the guest kernel log stayed free of warnings and splats
#   lint         checkpatch --strict, W=1 and kernel-doc (harness/lint.sh)
# and, on an x86_64 debug kernel (KASAN, lockdep, kmemleak, fault
# injection), the core of klp again with a short stress run.
#
# Prints one line per script, per-suite totals, then "N passed, N failed".
# Exits non-zero on any failure (or skip) of a gating suite.  Every suite
# gates; CONFORMANCE_GATES=0 reports the conformance suite without gating,
# for work that knowingly breaks upstream parity for a while.
. "$(dirname "$0")/common.sh"

ARCHES=${ARCHES:-x86_64 ppc64le}
CONFORMANCE_GATES=${CONFORMANCE_GATES:-1}
"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/base.sh"

results=$KLP_BUILD/check-results.txt
: > "$results"

# Style, W=1 and kernel-doc first: they take a minute, the guests longer.
start=$(date +%s)
if ARCH=x86_64 "$KLP_TOP/harness/lint.sh" > "$KLP_BUILD/lint.log" 2>&1; then
	res=PASS
else
	res=FAIL
	grep -vE '^(==>|\[)' "$KLP_BUILD/lint.log" | tail -20
fi
echo "all lint lint.sh $res $(( $(date +%s) - start )) (log: build/lint.log)" >> "$results"
# The patch series: cut it (the split must end at our tree) and checkpatch
# every patch.  make series-check also builds every step; too long for here.
start=$(date +%s)
if { "$KLP_TOP/harness/series.sh" && "$KLP_TOP/harness/series-checkpatch.sh"; } \
		> "$KLP_BUILD/series.log" 2>&1; then
	res=PASS
else
	res=FAIL
	tail -20 "$KLP_BUILD/series.log"
fi
echo "all lint series $res $(( $(date +%s) - start )) (log: build/series.log)" >> "$results"
for arch in $ARCHES; do
	export ARCH=$arch
	(
	. "$KLP_TOP/harness/common.sh"
	"$KLP_TOP/harness/kernel.sh"
	payload=$KLP_BUILD/payload/$ARCH
	rm -rf "$payload"
	mkdir -p "$payload"
	cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"

	# Upstream's kselftests, as shipped, plus their modules and helper.
	conf=$payload/conformance
	cp -a "$KLP_BUILD/conformance" "$conf"
	"$KLP_TOP/harness/testmods.sh" "$KLP_BUILD/conformance/test_modules" \
		"$KLP_BUILD/testmods/$ARCH/conformance"
	cp "$KLP_BUILD/testmods/$ARCH/conformance"/*.ko "$conf/test_modules/"
	"${CROSS}gcc" -static -O2 -o "$conf/test_klp-call_getpid" \
		"$KLP_BUILD/conformance/test_klp-call_getpid.c"
	(cd "$conf" && ls test-*.sh) > "$conf/SUITE"

	# Ours.
	"$KLP_TOP/harness/suite-klp.sh" "$payload/klp"

	# Upstream's sample modules, built unmodified against our headers.
	"$KLP_TOP/harness/upstream-samples.sh" "$payload/samples"

	say "running the suites in the $ARCH guest"
	set +e
	"$KLP_TOP/harness/boot.sh" -q -n check -t 2400 "$payload"
	echo "boot status $?"
	set -e
	tr -d '\r' < "$LOGS/check.log" | grep '^KLP-RESULT ' |
		sed "s/^KLP-RESULT /$ARCH /" >> "$results"
	for s in klp conformance samples; do
		for t in $(cat "$payload/$s/SUITE"); do
			grep -q "^$ARCH $s $t " "$results" ||
				echo "$ARCH $s $t FAIL 0 (no result: see $LOGS/check.log)" >> "$results"
		done
	done
	) || echo "$arch setup FAIL 0 (harness failed)" >> "$results"
done

# The debug kernel (x86_64, harness/config/debug.config: KASAN, lockdep,
# PROVE_RCU, DEBUG_OBJECTS, kmemleak, fault injection): the core of our
# suite again (tests-debug.list) and a short stress run, then kmemleak.
# DEBUG_CHECK=0 leaves it out.
if [ "${DEBUG_CHECK:-1}" = 1 ]; then
	(
	export ARCH=x86_64 KCONFIG_VARIANT=debug
	. "$KLP_TOP/harness/common.sh"
	"$KLP_TOP/harness/kernel.sh"
	payload=$KLP_BUILD/payload/$ARCH-debug
	rm -rf "$payload"
	mkdir -p "$payload"
	cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"
	"$KLP_TOP/harness/suite-klp.sh" "$payload/klp" --list tests-debug.list
	say "running our suites in the x86_64 debug guest"
	set +e
	"$KLP_TOP/harness/boot.sh" -q -n check-debug -t 3600 "$payload"
	echo "boot status $?"
	set -e
	tr -d '\r' < "$LOGS/check-debug.log" | grep '^KLP-RESULT ' |
		sed "s/^KLP-RESULT /$ARCH-debug /" >> "$results"
	for t in $(cat "$payload/klp/SUITE"); do
		grep -q "^$ARCH-debug klp $t " "$results" ||
			echo "$ARCH-debug klp $t FAIL 0 (no result: see $LOGS/check-debug.log)" >> "$results"
	done
	grep -q "^$ARCH-debug kernel kmemleak " "$results" ||
		echo "$ARCH-debug kernel kmemleak FAIL 0 (no kmemleak result)" >> "$results"
	) || echo "x86_64-debug setup FAIL 0 (harness failed)" >> "$results"
fi

echo
printf '%-8s %-12s %-28s %s\n' arch suite test result
while read -r arch suite t res secs rest; do
	printf '%-8s %-12s %-28s %s %ss %s\n' "$arch" "$suite" "$t" "$res" "$secs" "$rest"
done < "$results"
echo
gating_failed=0
for suite in lint klp conformance samples kernel setup; do
	p=$(awk -v s=$suite '$2==s && $4=="PASS"' "$results" | wc -l)
	f=$(awk -v s=$suite '$2==s && $4=="FAIL"' "$results" | wc -l)
	k=$(awk -v s=$suite '$2==s && $4=="SKIP"' "$results" | wc -l)
	[ $((p + f + k)) = 0 ] && continue
	gate=yes
	[ $suite = conformance ] && [ "$CONFORMANCE_GATES" != 1 ] && gate="no (CONFORMANCE_GATES=0)"
	echo "suite $suite: $p passed, $f failed, $k skipped; gates: $gate"
	[ "$gate" = yes ] && [ $((f + k)) -gt 0 ] && gating_failed=1
done
p=$(awk '$4=="PASS"' "$results" | wc -l)
f=$(awk '$4=="FAIL"' "$results" | wc -l)
k=$(awk '$4=="SKIP"' "$results" | wc -l)
echo "$p passed, $f failed, $k skipped"
exit $gating_failed
