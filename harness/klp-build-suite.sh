#!/usr/bin/env bash
# klp-build's corpus as a guest suite for make check:
#   klp-build-suite.sh OBJTREE SRCTREE DEST [--representative]
# Runs scripts/livepatch/klp-build on the corpus patches
# (tools/testing/selftests/livepatch/klp-build/patches) against OBJTREE,
# an already built kernel tree with CONFIG_LIVEPATCH, whose sources are
# SRCTREE (built with O=, so SRCTREE is never written), and fills DEST so
# that it can sit in a payload as a suite of harness/guest/run-suites.sh:
#   DEST/SUITE             build.sh, then one t-<test>.sh per guest test
#   DEST/build.sh          passes if every module built and checked, and
#                          every refusal happened, on the host
#   DEST/t-<test>.sh       guest-test.sh <test>: load, effect, transition,
#                          disable, unload, log clean (exit 4: skipped)
#   DEST/*.ko              the modules (and samples' kobject-example.ko)
#   DEST/build.log, DEST/times   klp-build's output; seconds per module
# --representative builds one patch per kind of reference (exported, klp
# relocation to static code and data, sympos, static local, hooks and a
# shadow variable, a module object; on ppc64le the TOC and the bundled
# callee come with cmdline and filesystems) and skips the refusals.
# The modules carry klp-build's klp_patch layout for OBJTREE's headers:
# boot the kernel of OBJTREE.  Exits non-zero only on a usage error; the
# results are the guest's.
. "$(dirname "$0")/common.sh"

usage() { die "usage: klp-build-suite.sh OBJTREE SRCTREE DEST [--representative]"; }
[ $# -ge 3 ] || usage
objtree=$(realpath "$1")
srctree=$(realpath "$2")
dest=$(realpath -m "$3")
mode=${4:-all}
case "$mode" in all|--representative) ;; *) usage ;; esac
kb=$KLP_TOP/linux/tools/testing/selftests/livepatch/klp-build

[ -f "$objtree/vmlinux" ] && [ -f "$objtree/.config" ] ||
	die "$objtree: not a built kernel tree"
[ "$(realpath "$objtree")" != "$(realpath "$srctree")" ] ||
	die "$objtree: an in-tree build would be patched in place; use O="
grep -q '^CONFIG_LIVEPATCH=y' "$objtree/.config" ||
	die "$objtree: CONFIG_LIVEPATCH is not set"
# DEST is replaced, but only if it is one of ours (or absent).
[ ! -e "$dest" ] || [ -f "$dest/SUITE" ] ||
	die "$dest exists and is not a suite directory; not touching it"
rm -rf "$dest"
mkdir -p "$dest"

guest_tests=(cmdline filesystems warn-once consoles new-function
	     static-local inline shadow-hooks cumulative kobject-after
	     kobject-before all)
build_tests=()
if [ "$mode" = --representative ]; then
	guest_tests=(cmdline filesystems consoles static-local shadow-hooks
		     kobject-before)
	build_tests=(cmdline filesystems consoles static-local shadow-hooks
		     kobject)
fi

# klp-build must never write SRCTREE, which other builds read meanwhile:
# every file the corpus patches name is compared before and after.
src_sums() {
	local f
	sed -n 's|^+++ b/||p; s|^--- a/||p' "$kb"/patches/*.patch | sort -u |
	while read -r f; do
		(cd "$srctree" && sha256sum "$f" 2>/dev/null) || echo "absent $f"
	done
}
before=$(src_sums)

start=$(date +%s)
rc=0
KLP_TMP=$dest/.tmp "$kb/run-build.sh" "$srctree" "$objtree" "$dest/out" \
	"${build_tests[@]}" > "$dest/build.log" 2>&1 || rc=$?
secs=$(( $(date +%s) - start ))
if [ "$(src_sums)" != "$before" ]; then
	{
		echo "FAIL: klp-build changed $srctree:"
		diff <(echo "$before") <(src_sums)
	} >> "$dest/build.log"
	rc=1
fi
rm -rf "$dest/.tmp"
echo "total $secs" >> "$dest/out/times"
mv "$dest/out/times" "$dest/times"
cp "$dest"/out/*.ko "$dest/" 2>/dev/null || true
rm -rf "$dest/out"
if [ -f "$objtree/samples/kobject/kobject-example.ko" ]; then
	cp "$objtree/samples/kobject/kobject-example.ko" "$dest/"
fi
cp "$kb/guest-test.sh" "$dest/"

# The host's verdict, reported from the guest like the rest.
{
	echo '#!/bin/bash'
	echo '# klp-build ran on the host: its log, and whether it passed.'
	echo 'grep -E "^(###|ok: refused|FAIL|PASS)" build.log'
	echo 'cat times'
	echo "exit $([ $rc = 0 ] && echo 0 || echo 1)"
} > "$dest/build.sh"
echo build.sh > "$dest/SUITE"
for t in "${guest_tests[@]}"; do
	printf '#!/bin/bash\nexec bash ./guest-test.sh %s\n' "$t" > "$dest/t-$t.sh"
	echo "t-$t.sh" >> "$dest/SUITE"
done
chmod +x "$dest"/*.sh
kos=("$dest"/livepatch-*.ko)
[ -e "${kos[0]}" ] || kos=()
say "klp-build suite in $dest: ${#kos[@]} modules, host checks $([ $rc = 0 ] && echo passed || echo FAILED), ${secs}s"
exit 0
