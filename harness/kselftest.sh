#!/usr/bin/env bash
# Build and install the livepatch kselftests for a guest, the way kernel
# CI systems do:
#   kselftest.sh DEST
# runs "make -C tools/testing/selftests TARGETS=livepatch install" with
# INSTALL_PATH=DEST against the ARCH kernel of FLAVOR: DEST then holds
# run_kselftest.sh, kselftest/ and livepatch/ (upstream's tests and ours,
# their modules, programs, config and settings).  For FLAVOR=upstream our
# tests are laid over the base's with KLP_UPSTREAM_API=1: only modules
# that use upstream's API are built, for test-compat.sh to run there too.
#
# The build happens in a copy of tools/testing/selftests per arch, flavor
# and config variant (build/kselftest/), because the test modules are
# built inside their source directory; objects stay there between runs.
#
# The binary compatibility test (check.sh) builds modules against one
# kernel with the other's structure layouts: KSELFTEST_HEADER=FILE is
# included first in every module, standing in for the tree's
# include/linux/livepatch.h (same include guard); KSELFTEST_TAG names
# that build's directory, and KSELFTEST_UPSTREAM_API=1 builds only the
# modules that use upstream's API, as for FLAVOR=upstream.
. "$(dirname "$0")/common.sh"
dest=${1:?destination}
tag=$ARCH-$FLAVOR${KCONFIG_VARIANT:+-$KCONFIG_VARIANT}${KSELFTEST_TAG:+-$KSELFTEST_TAG}
ks=$KLP_BUILD/kselftest/$tag
st=tools/testing/selftests
products=(--exclude '*.o' --exclude '*.ko' --exclude '*.mod' --exclude '*.mod.c'
	  --exclude '.*.cmd' --exclude Module.symvers --exclude modules.order
	  --exclude '.*.d' --exclude '*.mod.o')

mkdir -p "$ks/$st" "$ks/scripts"
cp "$SRC/scripts/subarch.include" "$ks/scripts/"
rsync -a --delete "${products[@]}" "$SRC/$st/" "$ks/$st/"
upstream_api=()
if [ "$FLAVOR" = upstream ]; then
	# Our scripts and modules beside upstream's, as in our tree.
	rsync -a "${products[@]}" "$KLP_TOP/linux/$st/livepatch/" "$ks/$st/livepatch/"
	upstream_api=(KLP_UPSTREAM_API=1)
fi
[ -n "${KSELFTEST_UPSTREAM_API:-}" ] && upstream_api=(KLP_UPSTREAM_API=1)
header=()
if [ -n "${KSELFTEST_HEADER:-}" ]; then
	[ -f "$KSELFTEST_HEADER" ] || die "no header $KSELFTEST_HEADER"
	header=(KCFLAGS="-include $KSELFTEST_HEADER")
fi

rm -rf "$dest"
log=$LOGS/kselftest-$tag.log
mkdir -p "$LOGS"
if ! make -C "$ks/$st" TARGETS=livepatch INSTALL_PATH="$dest" \
	KDIR="$OBJ" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
	HOSTCC="ccache gcc" "${upstream_api[@]}" "${header[@]}" -j"$JOBS" install > "$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -30 >&2
	die "the livepatch kselftests did not build; log: $log"
fi
[ -x "$dest/run_kselftest.sh" ] && [ -f "$dest/kselftest-list.txt" ] ||
	die "the kselftest install in $dest is incomplete; log: $log"
echo "kselftest: $(grep -c '^livepatch:' "$dest/kselftest-list.txt") livepatch tests, $(find "$dest/livepatch/test_modules" -name '*.ko' | wc -l) modules in ${dest#"$KLP_TOP"/}"
