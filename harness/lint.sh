#!/usr/bin/env bash
# `make lint`: checkpatch --strict on our C files (exceptions, with their
# reasons, in harness/lint-exceptions), our objects built with W=1, and
# kernel-doc on our headers and sources.  Exits non-zero on any finding.
. "$(dirname "$0")/common.sh"

"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/kernel.sh" >/dev/null
cd "$KLP_TOP/linux"
findings=0

say "checkpatch --strict"
while IFS= read -r f; do
	ignore=$(awk -v f="$f" '$1 == f {print $2}' "$KLP_TOP/harness/lint-exceptions")
	out=$(perl "$SRC/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types ${ignore:+--ignore "$ignore"} -f "$f" 2>&1 |
		grep -E ': (ERROR|WARNING|CHECK):' || true)
	if [ -n "$out" ]; then
		echo "$out"
		findings=$((findings + $(echo "$out" | wc -l)))
	fi
done < <(find . -name '*.[ch]' | sed 's|^\./||' | sort)

say "W=1 build of kernel/livepatch and samples/livepatch"
log=$LOGS/lint-w1.log
kmake W=1 kernel/livepatch/ samples/livepatch/ > "$log" 2>&1 ||
	{ tail -20 "$log"; die "W=1 build failed"; }
if grep -E 'warning:' "$log"; then
	findings=$((findings + $(grep -c 'warning:' "$log")))
fi
mods=$KLP_BUILD/testmods/$ARCH/lint
"$KLP_TOP/harness/testmods.sh" "$KLP_TOP/linux/tools/testing/selftests/livepatch/test_modules" "$mods"
kmake W=1 M="$mods" modules > "$log.mods" 2>&1 || true
touch "$mods"/*.c
kmake W=1 M="$mods" modules > "$log.mods" 2>&1 ||
	{ tail -20 "$log.mods"; die "W=1 build of the test modules failed"; }
if grep -E 'warning:' "$log.mods"; then
	findings=$((findings + $(grep -c 'warning:' "$log.mods")))
fi

say "kernel-doc"
out=$("$SRC/scripts/kernel-doc" -none -Wall include/linux/livepatch*.h \
	arch/*/include/asm/livepatch.h kernel/livepatch/*.[ch] 2>&1 || true)
if [ -n "$out" ]; then
	echo "$out"
	findings=$((findings + $(echo "$out" | wc -l)))
fi

if [ "$findings" -gt 0 ]; then
	echo "lint: $findings findings"
	exit 1
fi
echo "lint: clean (checkpatch --strict, W=1, kernel-doc)"
