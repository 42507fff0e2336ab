#!/usr/bin/env bash
# Assemble the livepatch kselftests for a guest:
#   suite-klp.sh DEST [TEST... | --list FILE | --except TEST...]
# DEST becomes the kselftest install of tools/testing/selftests/livepatch
# (harness/kselftest.sh): upstream's tests and ours, built for ARCH
# (FLAVOR).  Without arguments the guest runs all of them; with test names
# or a list file (tests-debug.list), DEST/SELECT names those to run; with
# --except, all but those.
. "$(dirname "$0")/common.sh"
dest=${1:?destination}
shift
src=$KLP_TOP/linux/tools/testing/selftests/livepatch

"$KLP_TOP/harness/kselftest.sh" "$dest"
# Our samples, built with the kernel, for the tests that show them at work.
if [ "$FLAVOR" = ours ]; then
	mkdir -p "$dest/livepatch/samples"
	cp "$OBJ"/samples/livepatch/*.ko "$dest/livepatch/samples/"
fi
if [ "${1:-}" = --list ]; then
	cp "$src/$2" "$dest/SELECT"
elif [ "${1:-}" = --except ]; then
	shift
	for t in "$@"; do
		grep -qx "livepatch:$t" "$dest/kselftest-list.txt" ||
			die "--except $t: no such test"
	done
	sed -n 's/^livepatch://p' "$dest/kselftest-list.txt" |
		grep -vxF -f <(printf '%s\n' "$@") > "$dest/SELECT"
elif [ $# -gt 0 ]; then
	printf '%s\n' "$@" > "$dest/SELECT"
fi
