#!/usr/bin/env bash
# Stress a kernel with enable/disable cycles of a hot syscall patch:
#   harness/stress.sh [CYCLES]          (ARCH=..., FLAVOR=ours|upstream)
# FLAVOR=upstream runs the same selftest modules, which use only the public
# API, against the base's own livepatch: the comparison tells our bugs from
# the kernel's or the emulator's.
. "$(dirname "$0")/common.sh"
cycles=${1:-100}

"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/kernel.sh"
suite=$KLP_BUILD/payload/stress-$FLAVOR-$ARCH
"$KLP_TOP/harness/suite-klp.sh" "$suite" stress-syscall.sh
cat > "$suite/run.sh" <<RUN
#!/bin/bash
cd /payload && bash ./stress-syscall.sh $cycles
RUN
exec "$KLP_TOP/harness/boot.sh" -n "stress-$FLAVOR" -t 3000 "$suite"
