#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The walks' stack scan (transition.c, "The stack scan"): a task asleep is
# switched without unwinding its stack when no word of that stack lies in
# code the transition retires.  It must decide as the unwinder would.
#
# klp_test_parked parks 64 kthreads in a sleep outside any patched
# function, and klp_test_target's worker is held asleep inside the
# function its patch replaces.  Patching and unpatching, with the scan on
# and with it switched off (debugfs stack_scan), must leave the worker
# behind (and pending_tasks must name it) while every sleeper switches:
# by the scan when it is on ("how=scan" in the klp_task_switch event),
# by the unwinder when it is off ("how=walk"); ppc64le, which has no
# scan, runs the second half only.  The cases in which the
# scan must step aside are tried by test-stack-tracers.sh (return
# addresses that function_graph and a kretprobe moved) and
# test-dispatch-preempt.sh (a task preempted in the direct-call
# dispatcher).
. "$(dirname "$0")/klp-lib.sh"
T=$TARGET
P=$TARGET_PATCH
S=klp_test_parked
SCAN=/sys/kernel/debug/livepatch/stack_scan
TR=/sys/kernel/tracing
EV=$TR/events/livepatch/klp_task_switch/enable
scan_cleanup() {
	[ ! -e $SCAN ] || echo 1 > $SCAN
	echo 0 > $EV
	hold_worker 0 2>/dev/null
	klp_cleanup
	rmmod $S 2>/dev/null
}
trap scan_cleanup EXIT

# ppc64le has no stack scan (transition.c says why), and x86_64 has it
# with CONFIG_LIVEPATCH_STACK_SCAN: elsewhere, walks only.
if klp_kconfig LIVEPATCH_STACK_SCAN; then
	[ -e $SCAN ] || fail "no $SCAN with CONFIG_LIVEPATCH_STACK_SCAN"
	expect_eq "the scan is on by default" "$(cat $SCAN)" Y
	MODES="1 0"
else
	[ ! -e $SCAN ] || fail "$SCAN without CONFIG_LIVEPATCH_STACK_SCAN"
	echo "  ok: no stack scan in this kernel: the walks unwind every stack"
	MODES=0
fi

# switched_by TARGET HOW: how many klp_test_parked kthreads the trace
# shows switching to TARGET by HOW.
switched_by() {
	local ev="klp_task_switch: pid=[0-9]+ comm=klp_test_parked"

	grep -cE "$ev target=$1 how=$2\$" $TR/trace || true
}

insmod_ok $S
insmod_ok $T
wpid=$(pgrep -x klp_test_worker) || fail "no worker kthread"
wait_until is_file_value $TARGET_PARAMS/last 1 || fail "worker never ran"
n=$(pgrep -c -x klp_test_parked) || fail "no parked kthreads"

for scan in $MODES; do
	if [ $scan = 1 ]; then how=scan; else how=walk; fi
	test_start "stack scan $scan: the worker held, $n sleepers switch by $how"
	[ ! -e $SCAN ] || echo $scan > $SCAN
	hold_worker 1
	sleep 0.5
	echo > $TR/trace
	echo 1 > $EV
	insmod_ok $P
	wait_until [ -e $SYSFS/$P/transition ] || fail "no sysfs for $P"
	sleep 2
	expect_eq "patching held by the worker" "$(cat $SYSFS/$P/transition)" 1
	expect_eq "worker not switched" "$(cat /proc/$wpid/patch_state)" 0
	grep -qE "^$wpid \(klp_test_worker\) on_stack:klp_test_target_func " \
		$SYSFS/$P/pending_tasks ||
		fail "pending_tasks does not name the worker: $(cat $SYSFS/$P/pending_tasks)"
	expect_eq "sleepers switched by $how" "$(switched_by patched $how)" "$n"
	hold_worker 0
	wait_until is_file_value $SYSFS/$P/transition 0 || fail "patching stuck"
	wait_until is_file_value $TARGET_PARAMS/last 2 || fail "new version never ran"

	hold_worker 1
	sleep 0.5
	echo > $TR/trace
	echo 0 > $SYSFS/$P/enabled
	sleep 2
	expect_eq "unpatching held by the worker" "$(cat $SYSFS/$P/transition)" 1
	grep -qE "^$wpid \(klp_test_worker\) on_stack:klp_test_target_func " \
		$SYSFS/$P/pending_tasks ||
		fail "pending_tasks does not name the worker: $(cat $SYSFS/$P/pending_tasks)"
	expect_eq "sleepers switched back by $how" "$(switched_by unpatched $how)" "$n"
	echo 0 > $EV
	hold_worker 0
	wait_until is_gone $SYSFS/$P || fail "unpatching stuck"
	wait_until is_file_value $TARGET_PARAMS/last 1 || fail "original never came back"
	remove_module $P
done
exit 0
