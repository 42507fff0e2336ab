#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The "livepatch" trace events: a transition starts, walks the tasks,
# switches them one by one (saying how), and completes.
. "$(dirname "$0")/klp-lib.sh"
TR=/sys/kernel/tracing
P=klp_test_cmdline_a
trap 'echo 0 > $TR/events/livepatch/enable 2>/dev/null; klp_cleanup' EXIT

trace_on() {
	echo 0 > $TR/tracing_on
	echo > $TR/trace
	echo 1 > $TR/events/livepatch/enable
	echo 1 > $TR/tracing_on
}
trace_off() { echo 0 > $TR/events/livepatch/enable; }

# expect_trace WHAT REGEX: some line of the trace matches the event text.
expect_trace() {
	grep -qE ": $2\$" <<< "$TRACE" || fail "$1: no trace line matches '$2'"
	echo "  ok: $1"
}

test_start "the livepatch trace events exist"
for e in klp_transition_start klp_transition_walk klp_task_switch \
	 klp_transition_complete; do
	[ -e $TR/events/livepatch/$e/enable ] || fail "no event livepatch/$e"
done
echo "  ok: four events under events/livepatch"

test_start "an enable and a disable, traced"
trace_on
load_patch $P
disable_patch $P
trace_off
TRACE=$(grep -v '^#' $TR/trace)
for t in patched unpatched; do
	expect_trace "$t: start" "klp_transition_start: patch=$P target=$t"
	expect_trace "$t: a walk" "klp_transition_walk: patch=$P pending=[0-9]+ walk_ns=[0-9]+"
	expect_trace "$t: task switches" \
		"klp_task_switch: pid=[0-9]+ comm=.+ target=$t how=(walk|scan|safe_point|sleep|cond_resched)"
	expect_trace "$t: completion" \
		"klp_transition_complete: patch=$P target=$t walks=[1-9][0-9]* duration_ns=[0-9]+"
	first=$(grep -nE "klp_transition_start: patch=$P target=$t\$" <<< "$TRACE" | cut -d: -f1)
	last=$(grep -nE "klp_transition_complete: patch=$P target=$t " <<< "$TRACE" | cut -d: -f1)
	[ "$first" -lt "$last" ] || fail "$t: completion before start"
done
expect_trace "this shell switched" "klp_task_switch: pid=$$ comm=.+ target=patched how=.+"
remove_module $P

test_start "a task that leaves the patched function switches as it sleeps"
insmod_ok $TARGET
wpid=$(pgrep -x klp_test_worker) || fail "no worker kthread"
hold_worker 1
sleep 0.5
trace_on
insmod_ok $TARGET_PATCH
sleep 1
expect_eq "held in transition" "$(cat $SYSFS/$TARGET_PATCH/transition)" 1
hold_worker 0
wait_until is_file_value $SYSFS/$TARGET_PATCH/transition 0 ||
	fail "transition stuck"
trace_off
TRACE=$(grep -v '^#' $TR/trace)
expect_trace "the worker switched going to sleep" \
	"klp_task_switch: pid=$wpid comm=klp_test_worker target=patched how=sleep"
disable_patch $TARGET_PATCH
remove_module $TARGET_PATCH
remove_module $TARGET
exit 0
