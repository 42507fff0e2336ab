#!/usr/bin/env bash
# Stress a kernel with enable/disable cycles of a hot syscall patch, under
# syscall hammering, a fork loop and a patched module coming and going:
#   harness/stress.sh [CYCLES]     (default 1000; ARCH=..., FLAVOR=ours|upstream,
#                                   KCONFIG_VARIANT=debug for the debug kernel)
# The guest then checks its log (and kmemleak, on the debug kernel) as
# make check does.  FLAVOR=upstream runs the same selftest modules, which
# use only the public API, against the base's own livepatch: the comparison
# tells our bugs from the kernel's or the emulator's.
. "$(dirname "$0")/common.sh"
cycles=${1:-1000}
# Seconds allowed per cycle: a debug-kernel cycle under this load takes
# 5-7 s, a production one 3-5 s; the rest is room for a slower machine.
per=12
[ -n "${KCONFIG_VARIANT:-}" ] && per=40

"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/kernel.sh"
payload=$KLP_BUILD/payload/stress-$FLAVOR-$ARCH${KCONFIG_VARIANT:+-$KCONFIG_VARIANT}
rm -rf "$payload"
mkdir -p "$payload"
"$KLP_TOP/harness/suite-klp.sh" "$payload/klp" stress-syscall.sh
cat > "$payload/run.sh" <<RUN
#!/bin/bash
export STRESS_CYCLES=$cycles KLP_TEST_TIMEOUT=$((cycles * per + 300))
exec bash /payload/run-suites.sh
RUN
cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run-suites.sh"
"$KLP_TOP/harness/boot.sh" -n "stress-$FLAVOR" -t $((600 + cycles * per)) "$payload" |
	grep -E '^(  [0-9]+ cycles|slab|per cycle|stress:|KLP-RESULT|kmemleak|kernel reported)' || true
tr -d '\r' < "$LOGS/stress-$FLAVOR.log" | grep -q '^KLP-RESULT klp stress-syscall.sh PASS' &&
	! tr -d '\r' < "$LOGS/stress-$FLAVOR.log" | grep -q '^KLP-RESULT .* FAIL'
