#!/usr/bin/env bash
# make check-debug: every livepatch kselftest, ours and upstream's, on the
# x86_64 debug kernel (harness/config/debug.config: preemptible, KASAN,
# lockdep, PROVE_RCU, kmemleak).  make check runs a selection of them
# there (tests-debug.list) to stay within its time; this runs the rest
# too, test-lifecycle.sh among them, and takes about an hour.  Prints one
# line per test; exits non-zero on any failure, a kernel complaint or a
# leak.  Skips (test-bpf.sh: no BTF; test-mitigations.sh) are shown as such.
. "$(dirname "$0")/common.sh"
export ARCH=x86_64 KCONFIG_VARIANT=debug
. "$KLP_TOP/harness/common.sh"
"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/kernel.sh"
payload=$KLP_BUILD/payload/check-debug
rm -rf "$payload"
mkdir -p "$payload"
cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"
"$KLP_TOP/harness/suite-klp.sh" "$payload/kselftest"
rm -f "$LOGS/check-debug-full.log"
"$KLP_TOP/harness/boot.sh" -q -n check-debug-full -t 7200 "$payload" || true
results=$(tr -d '\r' < "$LOGS/check-debug-full.log" | grep '^KLP-RESULT ')
printf '%s\n' "$results" | sed 's/^KLP-RESULT /x86_64-debug /'
failed=$(printf '%s\n' "$results" | grep -c ' FAIL ' || true)
passed=$(printf '%s\n' "$results" | grep -c ' PASS ' || true)
echo "$passed passed, $failed failed (log: $LOGS/check-debug-full.log)"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
