#!/usr/bin/env bash
# Assemble our selftest suite for a guest:
#   suite-klp.sh DEST [TEST... | --list FILE]
# DEST gets the scripts, the test modules built for ARCH (FLAVOR), the
# helper programs, and a SUITE file naming the tests to run: the ones given,
# those of a list file (tests-debug.list), or all of tests.list in its order.
. "$(dirname "$0")/common.sh"
dest=${1:?destination}
shift
src=$KLP_TOP/linux/tools/testing/selftests/livepatch

rm -rf "$dest"
mkdir -p "$dest"
cp -a "$src/." "$dest/"
mods=$KLP_BUILD/testmods/$ARCH/klp-$FLAVOR${KCONFIG_VARIANT:+-$KCONFIG_VARIANT}
"$KLP_TOP/harness/testmods.sh" "$src/test_modules" "$mods"
cp "$mods"/*.ko "$dest/test_modules/"
# Our samples, built with the kernel, for the tests that show them at work.
mkdir -p "$dest/samples"
cp "$OBJ"/samples/livepatch/*.ko "$dest/samples/"
for c in "$dest"/progs/*.c; do
	[ -e "$c" ] && "${CROSS}gcc" -static -O2 -o "${c%.c}" "$c"
done
if [ "${1:-}" = --list ]; then
	cp "$src/$2" "$dest/SUITE"
elif [ $# -gt 0 ]; then
	printf '%s\n' "$@" > "$dest/SUITE"
else
	# A fixed order: test-force.sh leaves a module pinned, so it is last.
	cp "$src/tests.list" "$dest/SUITE"
fi
