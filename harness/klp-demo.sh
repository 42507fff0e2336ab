#!/usr/bin/env bash
# `make demo PATCH=fix.patch [CHECK=check.sh] [ARCH=ppc64le]`: the diff
# becomes a live patch in front of you.  harness/klp-build.sh makes the
# module; a guest of ARCH loads it, waits for the transition, runs CHECK
# (a bash script, in the guest, while patched: its exit status counts),
# disables the patch, waits, and unloads it.  Exit 0 only if every step
# behaved.  The modules of the kernel tree the patch changes are in the
# guest's /payload/modules/ for CHECK to insmod.
. "$(dirname "$0")/common.sh"

if [ -n "${CHECK:-}" ]; then
	[ -f "$CHECK" ] || die "CHECK=$CHECK: no such file"
	CHECK=$(realpath "$CHECK")
fi
payload=$(mktemp -d "${TMPDIR:-/tmp}/klp-demo.XXXXXX")
trap 'rm -rf "$payload"' EXIT
ko=$("$KLP_TOP/harness/klp-build.sh" | tee /dev/stderr | tail -n1)
[ -f "$ko" ] || die "klp-build did not make a module"
cp "$ko" "$payload/"
cp "$KLP_TOP/harness/guest/klp-demo.sh" "$payload/run.sh"
[ -z "${CHECK:-}" ] || cp "$CHECK" "$payload/check.sh"
# the modules the patch changes, named by its klp relocation sections
for m in $(readelf -SW "$ko" | grep -o '\.klp\.rela\.[^.]*' | sed 's/^\.klp\.rela\.//' | sort -u); do
	[ "$m" = vmlinux ] && continue
	f=$(find "$OBJ" -name "$(echo "$m" | tr _ '?').ko" -not -path '*/klp-tmp/*' | head -1)
	[ -n "$f" ] || continue
	mkdir -p "$payload/modules"
	cp "$f" "$payload/modules/"
done
say "booting the $ARCH guest (TCG; the console follows)"
exec "$KLP_TOP/harness/boot.sh" -n klp-demo -t 600 "$payload"
