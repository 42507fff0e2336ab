#!/usr/bin/env bash
# `make klp-build PATCH=fix.patch [ARCH=ppc64le] [KLP_FLAGS=-v]`: a live
# patch module from source patches, for the test kernel of ARCH (FLAVOR).
# Builds that kernel first if needed (harness/kernel.sh, incremental),
# then runs scripts/livepatch/klp-build against it; the module goes to
# build/klp-build/<arch>/livepatch-<first patch>.ko, or OUT=file.ko.
# PATCH may name several patches, separated by spaces; relative paths
# are relative to the repository.  Prints the module's path last.
# KLP_NO_KERNEL=1 uses the built tree as it is.
. "$(dirname "$0")/common.sh"

[ -n "${PATCH:-}" ] || die "usage: make klp-build PATCH=fix.patch [ARCH=ppc64le]"
patches=()
for p in $PATCH; do
	[ -f "$p" ] || die "$p: no such patch"
	patches+=("$(realpath "$p")")
done
dest=$KLP_BUILD/klp-build/$ARCH
mkdir -p "$dest"
if [ -n "${OUT:-}" ]; then
	out=$(realpath -m "$OUT")
else
	b=$(basename "${patches[0]}")
	b=${b%.patch}
	b=${b%.diff}
	out=$dest/livepatch-$(echo "$b" | tr -c 'a-zA-Z0-9_\n' '-').ko
fi

"$KLP_TOP/harness/deps.sh" >/dev/null
# KLP_NO_KERNEL=1: the tree is built already; do not even run make there
[ -n "${KLP_NO_KERNEL:-}" ] || "$KLP_TOP/harness/kernel.sh"
say "klp-build for $ARCH ($FLAVOR kernel in ${OBJ#"$KLP_TOP"/})"
# O= build: klp-build leaves $SRC alone (it patches a hard-linked copy)
cd "$SRC" || die "$SRC missing"
# shellcheck disable=SC2086 # KLP_FLAGS is a list of options
KLP_TMP=$KLP_BUILD/klp-build/tmp-$FLAVOR-$ARCH \
	"$KLP_TOP/linux/scripts/livepatch/klp-build" -j "$JOBS" \
	--objtree "$OBJ" ${KLP_FLAGS:-} -o "$out" "${patches[@]}"
echo "$out"
