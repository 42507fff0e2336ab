#!/usr/bin/env bash
# x86_64 under multi-threaded TCG (QEMU's -accel tcg,thread=multi, one host
# thread per vCPU), where a live patched hot function once died on a
# stale int3 (Documentation/livepatch/testing.rst, "Multi-threaded TCG"):
#   make mttcg [RUNS=20] [FLAVOR=ours|upstream]
# One guest counts the rounds of text patching that one enable and one
# disable of upstream's test_klp_syscall patch cost, then runs upstream's
# test-syscall.sh RUNS times in a row.  Prints the counts and one line per
# run; exits non-zero if a run failed or the kernel complained.  Takes
# both host CPUs: run nothing else meanwhile.
. "$(dirname "$0")/common.sh"
runs=${1:-20}
export ARCH=x86_64
"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/kernel.sh"
payload=$KLP_BUILD/payload/mttcg-$FLAVOR
rm -rf "$payload"
mkdir -p "$payload"
"$KLP_TOP/harness/suite-klp.sh" "$payload/kst" test-syscall.sh
# A plain suite (run-suites.sh runs the scripts its SUITE file names, in
# order, repeats included) made of the kselftest directory.
mv "$payload/kst/livepatch" "$payload/syscall"
rm -rf "$payload/kst"
cp "$KLP_TOP/harness/guest/text-rounds.sh" "$payload/syscall/"
{ echo text-rounds.sh; for i in $(seq "$runs"); do echo test-syscall.sh; done; } \
	> "$payload/syscall/SUITE"
cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"
KLP_TCG_THREAD=multi "$KLP_TOP/harness/boot.sh" -q -n "mttcg-$FLAVOR" \
	-t $((300 + runs * 60)) "$payload" || true
log=$LOGS/mttcg-$FLAVOR.log
tr -d '\r' < "$log" | grep -E '^text-rounds ' || true
pass=$(tr -d '\r' < "$log" | grep -c '^KLP-RESULT syscall test-syscall.sh PASS' || true)
echo "mttcg $FLAVOR: test-syscall.sh passed $pass of $runs runs in a row (log: $log)"
tr -d '\r' < "$log" | grep -E -m3 -B2 -A12 'Oops|BUG:|WARNING:' || true
[ "$pass" = "$runs" ] &&
	! tr -d '\r' < "$log" | grep -q '^KLP-RESULT .* FAIL'
