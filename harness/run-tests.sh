#!/usr/bin/env bash
# Run some of our selftests in one guest, for quick iteration:
#   harness/run-tests.sh test-calls.sh [test-...]     (ARCH=..., FLAVOR=...)
# Builds what is stale, boots, prints the console, exits with the number of
# failed tests (0 when all passed).
. "$(dirname "$0")/common.sh"
[ $# -gt 0 ] || die "usage: run-tests.sh TEST..."

"$KLP_TOP/harness/kernel.sh"
payload=$KLP_BUILD/payload/run-tests-$ARCH
rm -rf "$payload"
mkdir -p "$payload"
cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"
"$KLP_TOP/harness/suite-klp.sh" "$payload/klp" "$@"
"$KLP_TOP/harness/boot.sh" -n run-tests -t 1800 "$payload" | grep -v '^KLOG' || true
failed=$(tr -d '\r' < "$LOGS/run-tests.log" | grep -c '^KLP-RESULT .* FAIL' || true)
passed=$(tr -d '\r' < "$LOGS/run-tests.log" | grep -c '^KLP-RESULT .* PASS' || true)
echo "$passed passed, $failed failed"
exit "$failed"
