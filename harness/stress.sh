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
rm -rf "$suite"
mkdir -p "$suite"
cp -a "$KLP_TOP/linux/tools/testing/selftests/livepatch/." "$suite/"
"$KLP_TOP/harness/testmods.sh" "$suite/test_modules" \
	"$KLP_BUILD/testmods/$ARCH/stress-$FLAVOR"
cp "$KLP_BUILD/testmods/$ARCH/stress-$FLAVOR"/*.ko "$suite/test_modules/"
"${CROSS}gcc" -static -O2 -o "$suite/progs/getpid-hammer" "$suite/progs/getpid-hammer.c"
cat > "$suite/run.sh" <<RUN
#!/bin/bash
cd /payload && bash ./stress-syscall.sh $cycles
RUN
exec "$KLP_TOP/harness/boot.sh" -n "stress-$FLAVOR" -t 3000 "$suite"
