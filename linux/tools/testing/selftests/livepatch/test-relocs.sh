#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# klp relocations: patches reach static symbols of vmlinux and of a module
# (placeholders turned into .klp.rela sections by klp-convert.py);
# a module's are applied whenever it loads, and bad ones are refused.
. "$(dirname "$0")/klp-lib.sh"

VMLINUX_PATCH=klp_test_reloc_vmlinux
MOD=klp_test_reloc_mod
MOD_PATCH=klp_test_reloc_modpatch
BAD_SYM=klp_test_reloc_bad_sym
BAD_MODSYM=klp_test_reloc_bad_modsym
MOD_PARAMS=/sys/module/$MOD/parameters

# klp_cleanup only unloads *_patch modules; ours have other names.
reloc_cleanup() {
	local m
	klp_cleanup
	for m in $VMLINUX_PATCH $MOD_PATCH $BAD_SYM $BAD_MODSYM $MOD; do
		module_loaded $m && rmmod $m 2>/dev/null
	done
	return 0
}
trap reloc_cleanup EXIT

# ksym_addr SYMBOL [MODULE]: the symbol's address in /proc/kallsyms.
ksym_addr() {
	awk -v s="$1" -v m="${2:+[$2]}" '$3 == s && $4 == m { print $1 }' \
		/proc/kallsyms
}

# expect_insmod_fails MOD ERRNO_TEXT: loading MOD must fail with that error
# and leave neither the module nor a patch behind.  (kmod's insmod words
# EINVAL as "Invalid parameters".)
expect_insmod_fails() {
	local out
	out=$(insmod "test_modules/$1.ko" 2>&1) && fail "insmod $1 succeeded"
	case "$out" in
	*"$2"*) echo "  ok: insmod $1 fails: ${out##*: }" ;;
	*) fail "insmod $1: '$out', expected '$2'" ;;
	esac
	module_gone "$1" || fail "$1 stayed loaded"
	[ -e "$SYSFS/$1" ] && fail "$SYSFS/$1 stayed"
	return 0
}

# expect_answer WHAT TEXT: what klp_test_reloc_mod_answer() shows now.
expect_answer() {
	expect_eq "$1" "$(cat $MOD_PARAMS/answer)" "$2"
}
patched_answer() {
	echo "$MOD_PATCH: secret=$1 twice=$2 at $(ksym_addr klp_test_reloc_secret $MOD)"
}

test_start "a patch reaches static vmlinux symbols"
orig=$(cat /proc/cmdline)
load_patch $VMLINUX_PATCH
out=$(cat /proc/cmdline)
want="$VMLINUX_PATCH: version_proc_show=$(ksym_addr version_proc_show)"
want+=" tainted_mask=$(ksym_addr tainted_mask)"
want+=" tainted=$(cat /proc/sys/kernel/tainted)"
expect_eq "addresses and value" "$(head -n1 <<< "$out")" "$want"
expect_eq "static function called" "$(tail -n +2 <<< "$out")" "$(cat /proc/version)"
disable_patch $VMLINUX_PATCH
expect_eq "original again" "$(cat /proc/cmdline)" "$orig"
remove_module $VMLINUX_PATCH

test_start "patch first: a module's relocations are applied as it loads"
load_patch $MOD_PATCH
expect_eq "object waits for its module" "$(cat $SYSFS/$MOD_PATCH/$MOD/patched)" 0
insmod_ok $MOD
expect_eq "object patched" "$(cat $SYSFS/$MOD_PATCH/$MOD/patched)" 1
expect_answer "static symbols reached" "$(patched_answer 42 84)"
echo 21 > $MOD_PARAMS/secret
expect_answer "the variable itself is read" "$(patched_answer 21 42)"

test_start "module reloaded: its relocations are cleared and applied again"
remove_module $MOD
expect_eq "object waits again" "$(cat $SYSFS/$MOD_PATCH/$MOD/patched)" 0
insmod_ok $MOD secret=5
expect_answer "reached in the new module" "$(patched_answer 5 10)"
remove_module $MOD
insmod_ok $MOD secret=7
expect_answer "and once more" "$(patched_answer 7 14)"
disable_patch $MOD_PATCH
expect_answer "original after disabling" "$MOD: original"
remove_module $MOD_PATCH
remove_module $MOD

test_start "module first: relocations applied as the patch loads"
insmod_ok $MOD secret=3
expect_answer "original before" "$MOD: original"
load_patch $MOD_PATCH
expect_answer "static symbols reached" "$(patched_answer 3 6)"
disable_patch $MOD_PATCH
expect_answer "original after" "$MOD: original"
remove_module $MOD_PATCH

test_start "a missing vmlinux symbol fails the patch's load"
mark
expect_insmod_fails $BAD_SYM "Invalid parameters"
expect_log "livepatch: symbol 'klp_test_no_such_symbol' not found in symbol table
livepatch: 'vmlinux' has no symbol 'klp_test_no_such_symbol'" \
	"the log names the symbol" livepatch

test_start "a missing module symbol fails the patch while the module is in"
mark
expect_insmod_fails $BAD_MODSYM "Invalid parameters"
expect_log "livepatch: symbol 'klp_test_no_such_symbol' not found in symbol table
livepatch: '$MOD' has no symbol 'klp_test_no_such_symbol'" \
	"the log names the symbol" livepatch
expect_answer "the module stays unpatched" "$MOD: original"
remove_module $MOD

test_start "... and refuses the module while the patch is in"
load_patch $BAD_MODSYM
mark
expect_insmod_fails $MOD "Invalid parameters"
expect_log "livepatch: symbol 'klp_test_no_such_symbol' not found in symbol table
livepatch: '$MOD' has no symbol 'klp_test_no_such_symbol'
livepatch: failed to initialize patch '$BAD_MODSYM' for module '$MOD' (-22)
livepatch: patch '$BAD_MODSYM' failed for module '$MOD', refusing to load module '$MOD'" \
	"the log says why" livepatch
disable_patch $BAD_MODSYM
remove_module $BAD_MODSYM
insmod_ok $MOD
expect_answer "the module loads once the patch is gone" "$MOD: original"
remove_module $MOD
exit 0
