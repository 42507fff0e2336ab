#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Drop-in compatibility with upstream's live patching ABI.  Patch modules
# written the way modules for upstream's API are: they read
# klp_func::old_func and call the original through it, have an object
# with no functions and no callbacks, reach other objects' symbols through
# klp relocations, and are driven through sysfs with any word kstrtobool()
# takes.  make check runs this script on our kernel and on the upstream
# kernel built from the same base and config: the expectations below hold
# on both, so "behaves the same" is a comparison.  COMPAT_PROBE=1 reports
# every outcome instead of stopping at the first difference.
. "$(dirname "$0")/klp-lib.sh"
T=klp_test_compat
P=klp_test_compat_patch
PROBLEMS=0

# check WHAT GOT WANT
check() {
	if [ "$2" = "$3" ]; then
		echo "  ok: $1: $2"
	elif [ -n "${COMPAT_PROBE:-}" ]; then
		echo "  DIFFERS: $1: got '$2', expected '$3'"
		PROBLEMS=$((PROBLEMS + 1))
	else
		fail "$1: got '$2', expected '$3'"
	fi
}

# check_log WHAT TEXT: a kernel log line since the mark contains TEXT.
check_log() {
	if log_since livepatch | grep -qF "$2"; then
		echo "  ok: $1: logged '$2'"
	elif [ -n "${COMPAT_PROBE:-}" ]; then
		echo "  DIFFERS: $1: no log line '$2'; got:"
		log_since livepatch | sed 's/^/    /'
		PROBLEMS=$((PROBLEMS + 1))
	else
		fail "$1: no log line '$2'; got: $(log_since livepatch)"
	fi
}

load() { ./load-module "test_modules/$1.ko" "${2:-}"; }
write_errno() {
	local out
	out=$( (printf '%s' "$2" > "$1") 2>&1) && { echo ok; return; }
	case "$out" in
	*"Invalid argument"*) echo EINVAL ;;
	*"Device or resource busy"*) echo EBUSY ;;
	*"No such device"*) echo ENODEV ;;
	*) echo "$out" ;;
	esac
}
kallsyms_addr() { awk -v s="$1" '$3 == s {print $1; exit}' /proc/kallsyms; }
answer() { cat /sys/module/$T/parameters/answer; }
old_func() { printf '%016x' "0x$(cat /sys/module/$P/parameters/old_func)"; }
unload_all() {
	local m
	for m in "$@"; do
		if [ -e $SYSFS/$m/enabled ]; then
			echo 0 > $SYSFS/$m/enabled
			wait_until is_gone $SYSFS/$m
		fi
		module_loaded "$m" && rmmod "$m"
	done
	return 0
}
trap 'unload_all klp_test_compat_xvm klp_test_compat_xtarget \
	klp_test_compat_unnamed $P klp_test_bad $T; klp_cleanup' EXIT

case $(uname -m) in
x86_64) original_via_old_func=4200 ;;
*) original_via_old_func=4200 ;;
esac

test_start "old_func, and an object with no functions and no callbacks"
insmod_ok $T
check "answer before the patch" "$(answer)" 42
mark
check "loading the patch" "$(load $P)" "errno 0"
wait_until is_file_value $SYSFS/$P/transition 0 || fail "transition"
check "answer through the new function and old_func" "$(answer)" "$original_via_old_func"
check "old_func is the old function" "$(old_func)" "$(kallsyms_addr klp_test_compat_fn)"
check "the empty vmlinux object is patched" "$(cat $SYSFS/$P/vmlinux/patched)" 1
rmmod $T || fail "rmmod $T"
check "old_func once the module is gone" "$(old_func)" 0000000000000000
insmod_ok $T
check "old_func once it is back" "$(old_func)" "$(kallsyms_addr klp_test_compat_fn)"
check "answer once it is back" "$(answer)" "$original_via_old_func"

test_start "sysfs writes, with kstrtobool() words"
check "force: 0 outside a transition" "$(write_errno $SYSFS/$P/force 0)" ok
check "force: 'off' outside a transition" "$(write_errno $SYSFS/$P/force off)" ok
check "force: 1 outside a transition" "$(write_errno $SYSFS/$P/force 1)" EINVAL
check "force: 'x'" "$(write_errno $SYSFS/$P/force x)" EINVAL
check "enabled: 'on' while enabled" "$(write_errno $SYSFS/$P/enabled on)" EINVAL
check "enabled: 'yes' while enabled" "$(write_errno $SYSFS/$P/enabled yes)" EINVAL
check "enabled: 'x'" "$(write_errno $SYSFS/$P/enabled x)" EINVAL
check "enabled: a lone newline" "$(write_errno $SYSFS/$P/enabled $'\n')" EINVAL
check "enabled: 'off'" "$(write_errno $SYSFS/$P/enabled off)" ok
wait_until is_gone $SYSFS/$P || fail "$P stayed after 'off'"
remove_module $P

# klp_test_target's worker holds a transition open in the direction that
# leaves the version it sleeps in; a reversal goes back there and may
# complete at once.
TP=$SYSFS/$TARGET_PATCH
insmod_ok $TARGET
hold_worker 1
sleep 0.2
insmod_ok $TARGET_PATCH
sleep 0.3
check "held transition" "$(cat $TP/transition)" 1
check "force: 'no' in a transition" "$(write_errno $TP/force no)" ok
check "still in transition" "$(cat $TP/transition)" 1
check "enabled: 'Y' while enabling" "$(write_errno $TP/enabled Y)" EINVAL
check "force: 'yes' forces" "$(write_errno $TP/force yes)" ok
wait_until is_file_value $TP/transition 0 || fail "forced transition stuck"
hold_worker 0
check "enabled: 'N' disables" "$(write_errno $TP/enabled N)" ok
wait_until is_gone $TP || fail "$TARGET_PATCH stayed"
remove_module $TARGET_PATCH

hold_worker 1
sleep 0.2
insmod_ok $TARGET_PATCH
sleep 0.3
check "held patching" "$(cat $TP/transition)" 1
check "enabled: 'false' reverses patching" "$(write_errno $TP/enabled false)" ok
wait_until is_gone $TP || fail "the reversed patch stayed"
hold_worker 0
remove_module $TARGET_PATCH

load_patch $TARGET_PATCH
hold_worker 1
wait_until is_file_value $TARGET_PARAMS/last 2 || fail "new version never ran"
check "enabled: 'off' starts unpatching" "$(write_errno $TP/enabled off)" ok
sleep 0.3
check "held unpatching" "$(cat $TP/transition)" 1
check "enabled: 'true' reverses unpatching" "$(write_errno $TP/enabled true)" ok
wait_until is_file_value $TP/transition 0 || fail "the reversal stuck"
check "enabled after the reversal" "$(cat $TP/enabled)" 1
hold_worker 0
check "enabled: 'n' disables" "$(write_errno $TP/enabled n)" ok
wait_until is_gone $TP || fail "$TARGET_PATCH stayed"
remove_module $TARGET_PATCH

test_start "klp_enable_patch() after the module's init"
insmod_ok klp_test_bad scenario=later
echo enable > /sys/module/klp_test_bad/parameters/action
check "klp_enable_patch() result" "$(cat /sys/module/klp_test_bad/parameters/result)" 0
wait_until is_file_value $SYSFS/klp_test_bad/transition 0 || fail "transition"
check "the patch is enabled" "$(cat $SYSFS/klp_test_bad/enabled)" 1
unload_all klp_test_bad

# What klp_enable_patch() refuses, and with which errno, is upstream's:
# scenario of klp_test_bad, then errno (0: accepted).  (An object listed
# twice is left out: upstream oopses on it, klp refuses it with -EEXIST;
# test-bad-input.sh checks ours.)
test_start "malformed patches, as upstream judges them"
while read -r scenario errno; do
	mark
	got=$(load klp_test_bad "scenario=$scenario")
	check "klp_test_bad scenario=$scenario" "$got" "errno $errno"
	unload_all klp_test_bad
done <<'CASES'
null_patch 22
no_mod 22
no_objs 22
empty_objs 0
no_funcs 22
empty_funcs 0
no_old_name 22
no_new_func 22
long_name 22
func_twice 17
obj_vmlinux 0
obj_long_name 22
CASES
mark
check "a module not marked as a live patch" "$(load klp_test_nolp)" "errno 22"
check_log "a module not marked as a live patch" \
	"module klp_test_nolp is not marked as a livepatch module"
mark
check "an unknown function" "$(load klp_test_bad "scenario=name name=klp_test_no_such_function")" \
	"errno 22"
check_log "an unknown function" "symbol 'klp_test_no_such_function' not found in symbol table"

test_start "klp relocations across objects"
mark
check "vmlinux section, module symbol" "$(load klp_test_compat_xvm)" "errno 0"
wait_until is_file_value $SYSFS/klp_test_compat_xvm/transition 0 || fail "transition"
check "answer with the module's secret" "$(answer)" 1275
unload_all klp_test_compat_xvm
rmmod $T || fail "rmmod $T"
mark
check "vmlinux section, symbol of a module not loaded" \
	"$(load klp_test_compat_xvm)" "errno 22"
insmod_ok $T
mark
check "module section, vmlinux symbol" "$(load klp_test_compat_xmod)" "errno 22"
msg="invalid access to vmlinux symbol 'tainted_mask'"
check_log "module section, vmlinux symbol" \
	"$msg from module-specific livepatch relocation section"
mark
check "module section, another module's symbol" \
	"$(load klp_test_compat_xtarget)" "errno 0"
wait_until is_file_value $SYSFS/klp_test_compat_xtarget/transition 0 || fail "transition"
last=$(cat $TARGET_PARAMS/last)
check "answer with the other module's variable" "$(answer)" $((41 + last))
unload_all klp_test_compat_xtarget
mark
check "a section for an object the patch does not name" \
	"$(load klp_test_compat_unnamed)" "errno 0"
unload_all klp_test_compat_unnamed
rmmod $T || fail "rmmod $T"
rmmod $TARGET || fail "rmmod $TARGET"

[ "$PROBLEMS" = 0 ] || fail "$PROBLEMS outcomes differ"
exit 0
