#!/usr/bin/env bash
# Prepare the kernel sources:
#   build/base/linux        the pristine base, unpacked once per version
#   build/src               the base without upstream livepatch, plus linux/
#
# Overlaying uses rsync, which keeps modification times and copies only
# files whose size or mtime changed, so touching one file in linux/ makes
# the next kernel build recompile just that file.
. "$(dirname "$0")/common.sh"

# The paths klp owns: upstream's versions are removed before ours go in.
# The base has no scripts/livepatch (upstream's klp-build came in 6.19):
# owning it makes a file removed from linux/ disappear from build/src too.
OWNED=(kernel/livepatch include/linux/livepatch.h
       include/linux/livepatch_sched.h arch/x86/include/asm/livepatch.h
       arch/powerpc/include/asm/livepatch.h samples/livepatch
       Documentation/livepatch Documentation/ABI/testing/sysfs-kernel-livepatch
       scripts/livepatch include/linux/livepatch_hooks.h)
# Upstream's kselftests stay; ours go beside them, and the few files both
# need (the Makefiles, config) are ours.
MERGED=tools/testing/selftests/livepatch

[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL missing: run harness/deps.sh"
pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
base=$KLP_BUILD/base
mkdir -p "$base"

if [ "$(cat "$base/VERSION" 2>/dev/null)" != "$pkgver" ]; then
	say "unpacking linux-source-6.12 $pkgver"
	rm -rf "$base/linux" "$base/unpack" "$SRC_OURS"
	mkdir -p "$base/unpack"
	tar -xJf "$BASE_TARBALL" -C "$base/unpack"
	mv "$base/unpack"/linux-source-6.12 "$base/linux"
	rmdir "$base/unpack"
	echo "$pkgver" > "$base/VERSION"
fi
kver=$(env -u ARCH make -s -C "$base/linux" kernelversion)
echo "base: Debian linux-source-6.12 $pkgver (Linux $kver)"

# Our tree: a hard-linked copy of the base (cheap, and the base's files
# are never written to), minus what klp owns, plus linux/.
if [ ! -d "$SRC_OURS" ]; then
	say "creating the overlaid source tree"
	cp -al "$base/linux" "$SRC_OURS.tmp"
	for p in "${OWNED[@]}"; do rm -rf "${SRC_OURS:?}.tmp/$p"; done
	mv "$SRC_OURS.tmp" "$SRC_OURS"
fi
for p in "${OWNED[@]}"; do
	if [ -d "$KLP_TOP/linux/$p" ]; then
		mkdir -p "$SRC_OURS/$p"
		rsync -a --delete "$KLP_TOP/linux/$p/" "$SRC_OURS/$p/"
	elif [ -f "$KLP_TOP/linux/$p" ]; then
		# rsync writes a new file and renames it over the old one,
		# so the hard-linked base file is never modified.
		rsync -a "$KLP_TOP/linux/$p" "$SRC_OURS/$p"
	else
		rm -rf "${SRC_OURS:?}/$p"
	fi
done
# The base's files first (so that one we stop carrying comes back as it
# was), then ours over them.  rsync replaces a file by renaming a new one
# over it, so the hard-linked base is never written to.
rsync -a --delete "$base/linux/$MERGED/" "$SRC_OURS/$MERGED/"
rsync -a "$KLP_TOP/linux/$MERGED/" "$SRC_OURS/$MERGED/"
