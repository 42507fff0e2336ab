#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The sleep probe's memory of refusals, at its worst.  The probe does not
# check a task again at a context switch in the jiffy of its last refused
# check on that CPU (transitions.rst, "What a check at sleep costs").  The
# claim is that this only delays a switch: a task refused, which then
# leaves the patched function and goes to sleep for good within the same
# jiffy, is not checked as it sleeps, and must be switched by the next
# walk, within the retry period (one second), not left pending.
#
# The worker of klp_test_target is held inside the patched function,
# handing a token to a partner kthread and waiting for it back, so that it
# sleeps, and its checks fail, many times per jiffy (timed sleeps would not
# do: under QEMU the timers may only fire at the tick); then it is let go
# with "park" set, so that it leaves the function and sleeps for a minute
# right away.  The worker must switch by a
# walk ("how=walk", or "how=scan" when the walk's stack scan clears it:
# the check as it parked was skipped; a check that ran would have
# switched it there, "how=sleep"), and the transition must end
# within LIMIT seconds.  Whether the park falls in the jiffy of the last
# refusal depends on timing, so this tries up to TRIES times and fails if
# the worst case never happened: the test must not pass without testing.
. "$(dirname "$0")/klp-lib.sh"
TR=/sys/kernel/tracing
TRIES=${TRIES:-20}
LIMIT=${LIMIT:-4}
trap 'echo 0 > $TR/events/livepatch/enable 2>/dev/null; klp_cleanup' EXIT

[ -e $TR/events/livepatch/klp_task_switch/enable ] ||
	fail "no event livepatch/klp_task_switch"

# now_ms: milliseconds since boot.
now_ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }

test_start "a task refused, then asleep for good within the jiffy, switches at the next walk"
worst=0
for try in $(seq "$TRIES"); do
	insmod_ok $TARGET hold=1 pingpong=1
	wpid=$(pgrep -x klp_test_worker) || fail "no worker kthread"
	sleep 0.5
	echo 0 > $TR/tracing_on
	echo > $TR/trace
	echo 1 > $TR/events/livepatch/klp_task_switch/enable
	echo 1 > $TR/tracing_on
	insmod_ok $TARGET_PATCH
	sleep 1
	expect_eq "held in transition ($try)" \
		"$(cat $SYSFS/$TARGET_PATCH/transition)" 1
	c0=$(awk '/^voluntary_ctxt_switches/ {print $2}' /proc/$wpid/status)
	sleep 1
	c1=$(awk '/^voluntary_ctxt_switches/ {print $2}' /proc/$wpid/status)
	echo "  try $try: held, the worker slept $((c1 - c0)) times in a second"
	echo 1 > $TARGET_PARAMS/park
	t0=$(now_ms)
	hold_worker 0
	while [ "$(cat $SYSFS/$TARGET_PATCH/transition)" != 0 ]; do
		[ $(( $(now_ms) - t0 )) -le $((LIMIT * 1000)) ] ||
			fail "try $try: the transition is still pending" \
			     "${LIMIT}s after the worker parked"
		sleep 0.01
	done
	took=$(( $(now_ms) - t0 ))
	echo 0 > $TR/events/livepatch/klp_task_switch/enable
	ev="klp_task_switch: pid=$wpid comm=klp_test_worker target=patched"
	how=$(grep -oE "$ev how=[a-z_]+" $TR/trace | sed 's/.*how=//' | tail -1)
	echo "  try $try: the worker switched how=${how:-?};" \
	     "the transition ended ${took} ms after it was let go"
	disable_patch $TARGET_PATCH
	remove_module $TARGET_PATCH
	remove_module $TARGET
	if [ "$how" = walk ] || [ "$how" = scan ]; then
		worst=1
		break
	fi
done
[ $worst = 1 ] ||
	fail "the worst case never happened in $TRIES tries:" \
	     "the worker always switched as it parked"
echo "  ok: switched by a walk after its check at sleep was skipped, in ${took} ms"
exit 0
