#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit tests of klp-diff: tiny C files compiled twice with the flags
# klp-build uses on x86_64, compared with "klp-diff report".
#
#   run-unit.sh [KLP_DIFF]
#
# Without KLP_DIFF, the differ is built from scripts/livepatch into a
# temporary directory.

set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

diff=${1:-}
if [ -z "$diff" ]; then
	make -s -C "$top/scripts/livepatch" O="$tmp" >/dev/null || exit 1
	diff=$tmp/klp-diff
fi

cflags="-O2 -fno-PIE -mcmodel=kernel -mno-red-zone -fno-common
	-fno-asynchronous-unwind-tables -fcf-protection=branch -pg
	-mrecord-mcount -mfentry -ffunction-sections -fdata-sections
	-fno-jump-tables -falign-functions=16"

fail=0
cc_one() {
	# the same file name in both builds, as in a kernel tree
	mkdir -p "$tmp/$2"
	cp "$here/unit/$1" "$tmp/$2/t.c"
	cp "$here/unit/common.h" "$tmp/$2/"
	(cd "$tmp/$2" && gcc $cflags ${extra:-} -c t.c -o t.o) || exit 1
}

# check NAME VARIANT EXPECTED_RC EXPECTED_OUTPUT_REGEX...
# (the original is a.c, or cold-a.c for cold-* variants)
check() {
	local name=$1 variant=$2 want_rc=$3 rc out base=a.c
	shift 3
	case "$variant" in
	cold-*) base=cold-a.c ;;
	once-*) base=once-a.c ;;
	esac
	cc_one "$base" "$variant-orig"
	cc_one "$variant.c" "$variant-patched"
	out=$("$diff" report "$tmp/$variant-orig/t.o" \
	      "$tmp/$variant-patched/t.o" 2>&1)
	rc=$?
	local ok=1
	[ "$rc" = "$want_rc" ] || ok=0
	for re in "$@"; do
		case "$re" in
		!*) grep -Eq -- "${re#!}" <<<"$out" && ok=0 ;;
		*) grep -Eq -- "$re" <<<"$out" || ok=0 ;;
		esac
	done
	if [ $ok = 1 ]; then
		echo "ok   $name"
	else
		echo "FAIL $name (rc $rc, want $want_rc)"
		sed 's/^/     | /' <<<"$out"
		fail=1
	fi
}

check "identical objects: nothing changes" a 0 '!.'
check "changed literal: only its user" b1 0 \
	'^changed string_user: reference at .*user patched' \
	'!other_strings' '!helper'
check "WARN moved down: __bug_table only" b2 0 '!.'
check "changed static + new static function" b3 0 \
	'^changed helper' '^new new_fn' '!string_user'
check "changed initialised data is refused" b4 1 \
	"initialised data 'table' changed"
check "changed notrace function is refused" b5 1 \
	"'untraced' is not traceable"
check "static locals renumbered: only the new function" b6 0 \
	'^new early_local' '!static_local'
check "changed constant table: its reader is replaced" b7 0 \
	"^changed name_of: reads changed constant 'names'" '!string_user'
check "jump label on a key that is not exported is refused" b8 1 \
	"__jump_table entry uses key 'some_key'"
check "changed .cold part: its parent is replaced, the part goes along" \
	cold-b 0 '^changed hot: its part hot.cold changed' '^part hot.cold' \
	'!use_cp' '!cp.constprop'
# The output object: "cmpb $0, done_b(%rip)" must name done_b (addend
# -5: an imm8 follows), "movzbl done_a(%rip)" done_a (-4).
check "shared-section flags: the reference names the right one" once-b 0 \
	'^changed once_user' '!other_user'
printf '0x00000000\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n' > "$tmp/symvers"
if "$diff" diff -s "$tmp/symvers" -V "$tmp/once-b-orig/t.o" \
	-m "$tmp/manifest" vmlinux t.c "$tmp/once-b-orig/t.o" \
	"$tmp/once-b-patched/t.o" "$tmp/out.o" > "$tmp/out.log" 2>&1 &&
   readelf -rW "$tmp/out.o" | grep -q 'klp_ph\$vmlinux\$0\$done_b - 5' &&
   readelf -rW "$tmp/out.o" | grep -q 'klp_ph\$vmlinux\$0\$done_a - 4' &&
   grep -q 'func vmlinux once_user 0 __klp_new_0' "$tmp/manifest"; then
	echo "ok   output object: klp relocations name done_b and done_a; manifest"
else
	echo "FAIL output object"
	cat "$tmp/out.log"
	readelf -rW "$tmp/out.o" 2>&1 | sed 's/^/     | /'
	fail=1
fi
# A kernel with CONFIG_DEBUG_INFO and CONFIG_CALL_PADDING: DWARF refers to
# every function, and GCC 12 emits one __patchable_function_entries for
# the whole object, linked to the first function's section, which the
# patch leaves out.  Neither may stop the patch: DWARF stays behind, and
# the table is linked to a section the patch keeps.
extra="-g -fpatchable-function-entry=16,16"
cc_one a.c pfe-orig
cc_one b3.c pfe-patched
extra=
if "$diff" diff -s "$tmp/symvers" -V "$tmp/pfe-orig/t.o" \
	-m "$tmp/pfe.manifest" vmlinux t.c "$tmp/pfe-orig/t.o" \
	"$tmp/pfe-patched/t.o" "$tmp/pfe.o" > "$tmp/pfe.log" 2>&1 &&
   readelf -SW "$tmp/pfe.o" | grep -q ' __patchable_function_entries ' &&
   ! readelf -SW "$tmp/pfe.o" | grep -q ' \.debug_'; then
	echo "ok   debug info and one __patchable_function_entries: patch made"
else
	echo "FAIL debug info and one __patchable_function_entries"
	sed 's/^/     | /' "$tmp/pfe.log"
	fail=1
fi
exit $fail
