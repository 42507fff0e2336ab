#!/usr/bin/env bash
# `make lint`: checkpatch --strict on our C files (exceptions, with their
# reasons, in harness/lint-exceptions), our objects built with W=1, and
# kernel-doc on our headers and sources.  Exits non-zero on any finding.
. "$(dirname "$0")/common.sh"

"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/kernel.sh" >/dev/null
cd "$KLP_TOP/linux"
findings=0

# make check sets LINT_CHECKPATCH_FILES=0: its series step runs
# checkpatch --strict on every patch, which adds each of these files whole.
if [ "${LINT_CHECKPATCH_FILES:-1}" = 1 ]; then
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
fi

say "W=1 build of kernel/livepatch and samples/livepatch"
log=$LOGS/lint-w1.log
kmake W=1 kernel/livepatch/ samples/livepatch/ > "$log" 2>&1 ||
	{ tail -20 "$log"; die "W=1 build failed"; }
if grep -E 'warning:' "$log"; then
	findings=$((findings + $(grep -c 'warning:' "$log")))
fi
# The test modules as the kselftest Makefile builds them, upstream's
# beside ours; only warnings in ours count.
mods=$KLP_BUILD/testmods/$ARCH/lint
"$KLP_TOP/harness/testmods.sh" "$SRC/tools/testing/selftests/livepatch/test_modules" "$mods"
# Ours are recompiled even when their objects are there from an earlier
# run, so that their warnings show; one build, whatever the state.
touch "$mods"/klp_test_*.c
kmake W=1 M="$mods" modules > "$log.mods" 2>&1 ||
	{ tail -20 "$log.mods"; die "W=1 build of the test modules failed"; }
if grep -E 'klp_test_[a-z0-9_]*\.[ch]:.*warning:' "$log.mods"; then
	findings=$((findings + $(grep -cE 'klp_test_[a-z0-9_]*\.[ch]:.*warning:' "$log.mods")))
fi

# Every architecture that selects HAVE_LIVEPATCH must still build klp.
# s390 has no <asm/livepatch.h> and no hooks of ours: its defconfig
# (which has LIVEPATCH=y) compiles kernel/livepatch/ with Debian's cross
# compiler.  (loongarch, the fourth, has no Debian 12 compiler.)
say "s390 cross build of kernel/livepatch (defconfig)"
s390=$KLP_BUILD/obj/ours-s390-lint
slog=$LOGS/lint-s390.log
s390make() {
	make -C "$SRC" O="$s390" ARCH=s390 CROSS_COMPILE=s390x-linux-gnu- \
		CC="ccache s390x-linux-gnu-gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}
if [ ! -f "$s390/.config" ]; then
	s390make defconfig > "$slog" 2>&1 || { tail -20 "$slog"; die "s390 defconfig failed"; }
fi
grep -qx 'CONFIG_LIVEPATCH=y' "$s390/.config" || die "s390 defconfig lacks LIVEPATCH"
# Every file of ours compiles there: klp's options that default to off
# are switched on (scripts/config), the x86_64-only ones cannot be.
"$SRC/scripts/config" --file "$s390/.config" --enable LIVEPATCH_LIFECYCLE_API
s390make olddefconfig >> "$slog" 2>&1 || die "s390 olddefconfig failed"
grep -qx 'CONFIG_LIVEPATCH_LIFECYCLE_API=y' "$s390/.config" ||
	die "s390 config lacks LIVEPATCH_LIFECYCLE_API"
s390make kernel/livepatch/ > "$slog" 2>&1 ||
	{ grep -E 'error|warning' "$slog" | head -20; die "s390 build of kernel/livepatch failed"; }
if grep -E 'warning:' "$slog"; then
	findings=$((findings + $(grep -c 'warning:' "$slog")))
fi
for c in "$SRC"/kernel/livepatch/*.c; do
	o=$(basename "${c%.c}").o
	[ "$o" = direct.o ] && continue		# x86_64 only (Kconfig)
	[ -f "$s390/kernel/livepatch/$o" ] || die "s390: kernel/livepatch/$o was not built"
done
[ -f "$s390/kernel/livepatch/built-in.a" ] || die "s390: kernel/livepatch was not archived"

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
echo "lint: clean (checkpatch --strict, W=1, s390 build, kernel-doc)"
