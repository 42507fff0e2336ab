#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Registered patches: register, enable, disable, enable again, unregister;
# and the old_addr/new_addr files of every patched function.  Both are
# build options (CONFIG_LIVEPATCH_LIFECYCLE_API, off by default, and
# CONFIG_LIVEPATCH_SYSFS_ADDRS): without the lifecycle, the kernel must not
# have its functions, which tools look for in /proc/kallsyms to tell a
# kernel older than 5.1, and its test module and sample are not built.
. "$(dirname "$0")/klp-lib.sh"
if ! klp_kconfig LIVEPATCH_LIFECYCLE_API; then
	test_start "no registered lifecycle in this kernel"
	for f in klp_register_patch klp_disable_patch klp_unregister_patch; do
		awk -v f=$f '$3 == f {found = 1} END {exit !found}' /proc/kallsyms &&
			fail "$f is in /proc/kallsyms"
		echo "  ok: no $f in /proc/kallsyms"
	done
	for m in test_modules/klp_test_lifecycle.ko samples/livepatch-lifecycle.ko; do
		[ -e $m ] && fail "$m was built"
		echo "  ok: no $m"
	done
	exit 0
fi
LC=klp_test_lifecycle
LCP=/sys/module/$LC/parameters
orig=$(cat /proc/cmdline)

lc_action() {
	echo "$1" > $LCP/action || fail "action $1"
	cat $LCP/result
}
calls() { cat $LCP/calls; }
# calls_rise / calls_still: what the hammers' getpid calls do.
calls_rise() {
	local c; c=$(calls)
	wait_until eval '[ "$(calls)" -gt "'"$c"'" ]' || fail "getpid is not patched"
}
calls_still() {
	local c; c=$(calls)
	sleep 0.3
	expect_eq "patched getpid not called" "$(calls)" "$c"
}
wait_transition() {
	wait_until is_file_value $SYSFS/$LC/transition 0 ||
		fail "$LC: transition did not finish"
}
is_last() { [ "$(last_version)" = "$1" ]; }

start_hammers 2

test_start "register without enabling"
insmod_ok $TARGET
insmod_ok $LC enable=0
expect_eq "enabled" "$(cat $SYSFS/$LC/enabled)" 0
expect_eq "transition" "$(cat $SYSFS/$LC/transition)" 0
expect_eq "stack_order of a disabled patch" "$(cat $SYSFS/$LC/stack_order)" 0
calls_still
wait_until is_last 1 || fail "the target runs $(last_version)"

test_start "enable through sysfs"
echo 1 > $SYSFS/$LC/enabled || fail "echo 1 > enabled"
wait_transition
expect_eq "enabled" "$(cat $SYSFS/$LC/enabled)" 1
calls_rise
wait_until is_last 3 || fail "the target runs $(last_version)"

test_start "unregister and rmmod refused while enabled"
mark
expect_eq "klp_unregister_patch()" "$(lc_action unregister)" -16
expect_log "livepatch: '$LC': cannot unregister the patch while it is enabled" \
	"the refusal is logged" livepatch
rmmod $LC 2>/dev/null && fail "rmmod of an enabled patch succeeded"
expect_eq "still registered" "$(cat $SYSFS/$LC/enabled)" 1

test_start "disable and enable again, five times, under hammering"
for i in 1 2 3 4 5; do
	echo 0 > $SYSFS/$LC/enabled || fail "round $i: echo 0"
	wait_transition
	expect_eq "round $i: disabled and kept" "$(cat $SYSFS/$LC/enabled)" 0
	wait_until is_last 1 || fail "round $i: the target runs $(last_version)"
	calls_still
	echo 1 > $SYSFS/$LC/enabled || fail "round $i: echo 1"
	wait_transition
	calls_rise
	wait_until is_last 3 || fail "round $i: the target runs $(last_version)"
done

test_start "unregister refused in transition"
hold_worker 1
sleep 0.2
echo 0 > $SYSFS/$LC/enabled || fail "echo 0"
sleep 1
expect_eq "transition held open" "$(cat $SYSFS/$LC/transition)" 1
mark
expect_eq "klp_unregister_patch()" "$(lc_action unregister)" -16
expect_log "livepatch: '$LC': cannot unregister the patch while it is in transition" \
	"the refusal is logged" livepatch
rmmod $LC 2>/dev/null && fail "rmmod in transition succeeded"
hold_worker 0
wait_transition
expect_eq "disabled" "$(cat $SYSFS/$LC/enabled)" 0

test_start "the API from outside module init"
expect_eq "klp_enable_patch()" "$(lc_action enable)" 0
wait_transition
expect_eq "enabled" "$(cat $SYSFS/$LC/enabled)" 1
expect_eq "klp_enable_patch() again" "$(lc_action enable)" -22
expect_eq "klp_disable_patch()" "$(lc_action disable)" 0
wait_transition
expect_eq "disabled" "$(cat $SYSFS/$LC/enabled)" 0
expect_eq "klp_disable_patch() again" "$(lc_action disable)" -22
expect_write_fails 0 $SYSFS/$LC/enabled "Invalid argument"

test_start "unregister, then rmmod"
expect_eq "klp_unregister_patch()" "$(lc_action unregister)" 0
is_gone $SYSFS/$LC || fail "sysfs stayed after unregistering"
remove_module $LC

test_start "a module that forgets to unregister"
insmod_ok $LC enable=0 unregister_in_exit=0
mark
remove_module $LC
is_gone $SYSFS/$LC || fail "sysfs stayed"
expect_log "livepatch: '$LC': the module goes with its patch still registered; unregistering it" \
	"the clean-up is logged" livepatch

test_start "atomic replace parks a registered patch"
insmod_ok $LC
wait_transition
load_patch klp_test_cmdline_a replace=1
expect_eq "a replaced it" "$(cat /proc/cmdline)" klp_test_cmdline_a
expect_eq "the registered patch stays" "$(cat $SYSFS/$LC/enabled)" 0
wait_until is_last 1 || fail "the target runs $(last_version)"
calls_still
wait_until is_file_value /sys/module/$LC/refcnt 0 || fail "$LC stays referenced"
echo 1 > $SYSFS/$LC/enabled || fail "echo 1 on top of a"
wait_transition
calls_rise
expect_eq "stack_order" "$(cat $SYSFS/$LC/stack_order)" 2
expect_eq "cmdline still a" "$(cat /proc/cmdline)" klp_test_cmdline_a
echo 0 > $SYSFS/$LC/enabled && wait_transition
disable_patch klp_test_cmdline_a
remove_module klp_test_cmdline_a

test_start "a registered replace patch takes over when enabled"
load_patch klp_test_cmdline_a
remove_module $LC
insmod_ok $LC replace=1
wait_transition
wait_until is_gone $SYSFS/klp_test_cmdline_a || fail "a stayed"
expect_eq "the nop runs the original cmdline" "$(cat /proc/cmdline)" "$orig"
expect_eq "nops dropped once a is gone" \
	"$(ls -d $SYSFS/$LC/vmlinux/cmdline_proc_show,* 2>/dev/null)" ""
echo 0 > $SYSFS/$LC/enabled && wait_transition
remove_module klp_test_cmdline_a
echo 1 > $SYSFS/$LC/enabled && wait_transition
calls_rise
echo 0 > $SYSFS/$LC/enabled && wait_transition
remove_module $LC

if ! klp_kconfig LIVEPATCH_SYSFS_ADDRS; then
	test_start "no old_addr and new_addr in this kernel"
	insmod_ok $LC
	wait_transition
	dir=$(ls -d $SYSFS/$LC/vmlinux/*,1)
	expect_eq "a function's directory" "$(ls -A $dir)" ""
	echo 0 > $SYSFS/$LC/enabled && wait_transition
	remove_module $LC
else
	test_start "old_addr and new_addr"
	kptr=$(cat /proc/sys/kernel/kptr_restrict)
	restore_kptr() {
		echo "$kptr" > /proc/sys/kernel/kptr_restrict
		kill "${HAMMERS[@]}" 2>/dev/null
		klp_cleanup
	}
	trap restore_kptr EXIT
	insmod_ok $LC
	wait_transition
	dir=$(ls -d $SYSFS/$LC/vmlinux/*,1)
	getpid=$(basename "$dir" ,1)
	sym=$(awk -v s="$getpid" '$3 == s {print $1; exit}' /proc/kallsyms)
	tdir=$SYSFS/$LC/$TARGET/klp_test_target_func,1
	for f in $dir/old_addr $dir/new_addr $tdir/old_addr $tdir/new_addr; do
		expect_eq "mode of ${f#"$SYSFS"/}" "$(stat -c %a $f)" 400
	done
	echo 0 > /proc/sys/kernel/kptr_restrict
	expect_eq "old_addr as in kallsyms" "$(cat $dir/old_addr)" "$sym"
	new=$(awk '$3 == "klp_test_lifecycle_getpid" {print $1; exit}' /proc/kallsyms)
	expect_eq "new_addr as in kallsyms" "$(cat $dir/new_addr)" "$new"
	told=$(awk '$3 == "klp_test_target_func" {print $1; exit}' /proc/kallsyms)
	expect_eq "module old_addr" "$(cat $tdir/old_addr)" "$told"
	echo 1 > /proc/sys/kernel/kptr_restrict
	expect_eq "kptr_restrict=1, root with CAP_SYSLOG" "$(cat $dir/old_addr)" "$sym"
	echo 2 > /proc/sys/kernel/kptr_restrict
	expect_eq "kptr_restrict=2: old_addr hidden" "$(cat $dir/old_addr)" 0000000000000000
	expect_eq "kptr_restrict=2: new_addr hidden" "$(cat $dir/new_addr)" 0000000000000000
	echo 0 > /proc/sys/kernel/kptr_restrict
	echo 0 > $SYSFS/$LC/enabled && wait_transition
	expect_eq "module old_addr of a disabled patch" "$(cat $tdir/old_addr)" 0000000000000000
	expect_eq "vmlinux old_addr of a disabled patch" "$(cat $dir/old_addr)" "$sym"
	remove_module $LC
	echo "$kptr" > /proc/sys/kernel/kptr_restrict
fi

test_start "the sample, as the founding documents describe it"
S=livepatch_lifecycle
insmod samples/livepatch-lifecycle.ko || fail "insmod the sample"
wait_until is_file_value $SYSFS/$S/transition 0 || fail "sample transition"
expect_eq "patched" "$(cat /proc/cmdline)" "this has been live patched (registered lifecycle)"
echo 0 > $SYSFS/$S/enabled || fail "disable the sample"
wait_until is_file_value $SYSFS/$S/transition 0 || fail "sample transition"
expect_eq "original" "$(cat /proc/cmdline)" "$orig"
echo 1 > $SYSFS/$S/enabled || fail "enable the sample again"
wait_until is_file_value $SYSFS/$S/transition 0 || fail "sample transition"
expect_eq "patched again" "$(cat /proc/cmdline)" "this has been live patched (registered lifecycle)"
echo 0 > $SYSFS/$S/enabled && wait_until is_file_value $SYSFS/$S/transition 0
remove_module $S
is_gone $SYSFS/$S || fail "the sample's sysfs stayed"
rmmod $TARGET || fail "rmmod $TARGET"
exit 0
