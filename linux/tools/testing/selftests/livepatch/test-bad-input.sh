#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input, one case at a time: each must be refused with the right errno
# and a log line naming the problem, and leave nothing behind (no patch in
# sysfs, no function traced by ftrace, no module loaded).
. "$(dirname "$0")/klp-lib.sh"
BAD=klp_test_bad
CASES=0
TRACED=/sys/kernel/debug/tracing/enabled_functions

footprint() { ls $SYSFS; cat $TRACED; }
bad_cleanup() {
	local m
	for m in $BAD klp_test_kprobe klp_test_nolp; do
		[ -e $SYSFS/$m/enabled ] && echo 0 > $SYSFS/$m/enabled 2>/dev/null
		wait_until is_gone $SYSFS/$m
		module_loaded $m && rmmod $m 2>/dev/null
	done
	klp_cleanup
}
trap bad_cleanup EXIT
case_done() { CASES=$((CASES + 1)); echo "  ok: case $CASES: $1"; }

# refused WHAT ERRNO LOG MODULE [PARAMS]: loading MODULE fails with ERRNO,
# logs a line containing LOG and leaves everything as it was.
refused() {
	local what=$1 errno=$2 log=$3 mod=$4 params=${5:-} before got
	before=$(footprint)
	mark
	got=$(./load-module "test_modules/$mod.ko" "$params")
	[ "$got" = "errno $errno" ] || fail "$what: $got, expected errno $errno"
	module_gone "$mod" || fail "$what: $mod stayed loaded"
	[ "$(footprint)" = "$before" ] || fail "$what: something was left behind"
	log_since livepatch | grep -qF "$log" ||
		fail "$what: no log line with '$log'; got: $(log_since livepatch)"
	case_done "$what"
}

# api_result WHAT RESULT LOG PARAMS: klp_test_bad loads and the API call its
# scenario made returned RESULT, logging LOG.
api_result() {
	local what=$1 want=$2 log=$3 params=$4
	mark
	insmod_ok $BAD $params
	expect_eq "$what: result" "$(cat /sys/module/$BAD/parameters/result)" "$want"
	log_since livepatch | grep -qF "$log" || fail "$what: no log line with '$log'"
	case_done "$what"
}

# bad_write WHAT VALUE FILE ERRNO_TEXT [LOG]
bad_write() {
	local before
	before=$(cat "$3" 2>/dev/null)
	mark
	expect_write_fails "$2" "$3" "$4"
	[ -z "${5:-}" ] || log_since livepatch | grep -qF "$5" || fail "$1: no log line '$5'"
	[ "$(cat "$3" 2>/dev/null)" = "$before" ] || fail "$1: $3 changed"
	case_done "$1"
}

test_start "malformed patch structures"
refused "klp_enable_patch(NULL)" 22 "klp_enable_patch(): no patch" $BAD scenario=null_patch
refused "no patch->mod" 22 "patch->mod is not set" $BAD scenario=no_mod
refused "no patch->objs" 22 "patch->objs is not set" $BAD scenario=no_objs
refused "object without funcs" 22 "object 'klp_test_target' has no function array" \
	$BAD scenario=no_funcs
refused "func without old_name" 22 "a function of object 'vmlinux' lacks old_name" \
	$BAD scenario=no_old_name
refused "func without new_func" 22 "a function of object 'vmlinux' lacks new_func" \
	$BAD scenario=no_new_func
refused "old_name too long" 22 "is too long" $BAD scenario=long_name
refused "function twice" 17 \
	"function 'cmdline_proc_show' (sympos 0) appears twice in object 'vmlinux'" \
	$BAD scenario=func_twice
refused "function twice, as positions 0 and 1, before a function without new_func" 17 \
	"function 'cmdline_proc_show' (sympos 1) appears twice in object 'vmlinux'" \
	$BAD scenario=func_twice_pos
refused "object twice" 17 "object 'vmlinux' appears twice" $BAD scenario=obj_twice
refused "object name too long" 22 "invalid object name 'xxxx" $BAD scenario=obj_long_name

test_start "symbols"
refused "unknown symbol" 22 \
	"symbol 'klp_test_no_such_function' not found in symbol table" \
	$BAD "scenario=name name=klp_test_no_such_function"
refused "old_sympos out of range" 22 \
	"symbol position 2 for symbol 'cmdline_proc_show' in object 'vmlinux' not found" \
	$BAD "scenario=name sympos=2"
dup=$(awk 'NF == 3 && $2 ~ /^[tT]$/ {n[$3]++}
	END {for (s in n) if (n[s] > 1) {print s; exit}}' /proc/kallsyms)
[ -n "$dup" ] || fail "no ambiguous function name in kallsyms"
refused "ambiguous name ($dup)" 22 "unresolvable ambiguity for symbol '$dup' in object 'vmlinux'" \
	$BAD "scenario=name name=$dup"
case $(uname -m) in
x86_64) notrace=do_syscall_64 ;;
*) notrace=system_call_exception ;;
esac
refused "notrace function ($notrace)" 22 \
	"function '$notrace' in 'vmlinux' cannot be patched: ftrace does not trace it" \
	$BAD "scenario=name name=$notrace"
refused "klp relocation to an unknown symbol" 22 \
	"symbol 'klp_test_no_such_symbol' not found in symbol table" klp_test_reloc_bad_sym
insmod_ok $TARGET
refused "unknown function of a loaded module" 22 \
	"'klp_test_target' has no symbol 'klp_test_no_such_function'" \
	$BAD "scenario=module_func name=klp_test_no_such_function"
rmmod $TARGET || fail "rmmod $TARGET"
insmod_ok $BAD "scenario=module_func name=klp_test_no_such_function"
wait_until is_file_value $SYSFS/$BAD/transition 0 || fail "transition"
refused "a module the enabled patch cannot patch" 22 \
	"refusing to load module 'klp_test_target'" $TARGET
disable_patch $BAD
remove_module $BAD

test_start "modules that are not live patches, and misuses of the API"
NOLP="module klp_test_nolp is not marked as a livepatch module"
refused "not marked as a live patch" 22 "$NOLP" klp_test_nolp
api_result "klp_enable_patch() twice" -17 \
	"'$BAD': the module already has a patch enabled" scenario=twice
disable_patch $BAD
remove_module $BAD
# Misuses of the registered lifecycle, where the kernel has it.
if klp_kconfig LIVEPATCH_LIFECYCLE_API; then
	refused "not marked, klp_register_patch()" 22 "$NOLP" klp_test_nolp register=1
	api_result "klp_register_patch() twice" -17 \
		"'$BAD': the module already has a patch" scenario=register_twice
	remove_module $BAD
	api_result "unregistering what is not registered" -22 \
		"klp_unregister_patch(): the patch is not registered" \
		scenario=unregister_unknown
	remove_module $BAD
	api_result "disabling what is not enabled" -22 \
		"klp_disable_patch(): the patch is not enabled" scenario=disable_unknown
	remove_module $BAD
fi
# klp_enable_patch() after init, an object with no functions and
# "0" > force are accepted as upstream accepts them: test-compat.sh.

test_start "conflicts with another user of the function"
insmod_ok klp_test_kprobe
refused "function claimed by a kprobe with a post_handler" 16 \
	"failed to register ftrace handler for function 'cmdline_proc_show' (-16)" \
	klp_test_cmdline_a
rmmod klp_test_kprobe || fail "rmmod klp_test_kprobe"
load_patch klp_test_cmdline_a
got=$(./load-module test_modules/klp_test_kprobe.ko)
expect_eq "kprobe with a post_handler on a patched function" "$got" "errno 16"
case_done "a kprobe after the patch"

test_start "sysfs writes"
P=$SYSFS/klp_test_cmdline_a
bad_write "enabled: 2" 2 $P/enabled "Invalid argument"
bad_write "enabled: abc" abc $P/enabled "Invalid argument"
bad_write "enabled: an empty line" $'\n' $P/enabled "Invalid argument"
junk=$(head -c 4096 /dev/zero | tr '\0' 'j')
bad_write "enabled: 4 KiB of junk" "$junk" $P/enabled "Invalid argument"
bad_write "enabled: 1 while enabled" 1 $P/enabled "Invalid argument" \
	"'klp_test_cmdline_a': patch is already enabled"
bad_write "force outside a transition" 1 $P/force "Invalid argument" \
	"'klp_test_cmdline_a': nothing to force, the patch is not in transition"
bad_write "transition is read-only" 0 $P/transition "Permission denied"
bad_write "stack_order is read-only" 1 $P/stack_order "Permission denied"
bad_write "replace is read-only" 1 $P/replace "Permission denied"
bad_write "patched is read-only" 0 $P/vmlinux/patched "Permission denied"

test_start "while another patch is in transition"
insmod_ok $TARGET
hold_worker 1
sleep 0.2
insmod_ok $TARGET_PATCH
sleep 0.5
expect_eq "transition held" "$(cat $SYSFS/$TARGET_PATCH/transition)" 1
bad_write "disabling during another transition" 0 $P/enabled "Device or resource busy" \
	"'klp_test_cmdline_a': cannot disable while '$TARGET_PATCH' is in transition"
refused "enabling during another transition" 16 \
	"'klp_test_cmdline_b': another patch is in transition ('$TARGET_PATCH')" klp_test_cmdline_b
hold_worker 0
wait_until is_file_value $SYSFS/$TARGET_PATCH/transition 0 || fail "transition"

test_start "removing an enabled patch"
out=$(rmmod klp_test_cmdline_a 2>&1) && fail "rmmod of an enabled patch succeeded"
module_loaded klp_test_cmdline_a || fail "the module went"
expect_eq "still enabled" "$(cat $P/enabled)" 1
case_done "rmmod of an enabled patch: $out"

disable_patch klp_test_cmdline_a
remove_module klp_test_cmdline_a
disable_patch $TARGET_PATCH
remove_module $TARGET_PATCH
rmmod $TARGET || fail "rmmod $TARGET"
echo "bad-input cases: $CASES"
want=38
klp_kconfig LIVEPATCH_LIFECYCLE_API || want=$((want - 4))
[ "$CASES" -ge $want ] || fail "only $CASES cases ran, of $want"
exit 0
