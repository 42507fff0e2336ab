#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Transitions racing fork.  Two fork-storms create processes and threads
# on both CPUs, and klp_test_forkwin stalls every fork inside its linking
# window (after klp_copy_process(), before the child is in the task
# lists).  Meanwhile a patch of getpid, which every new task runs at
# once, is enabled, reversed mid-transition, forced and disabled, over
# and over, with klp_test_target's worker holding each transition open
# while we look.  A task walk that writes task state and overlooks a
# child forked under it shows up as:
#  - a task in the idle state (-1) while a transition is open, and the
#    handler's warning when such a task calls getpid;
#  - a force that does not complete the transition at once;
#  - a task not back to -1 once a transition is over, or the line of
#    the walk that finds a task left behind without its pending flag.
. "$(dirname "$0")/klp-lib.sh"
T=$TARGET
P=klp_test_pidhold_patch
W=klp_test_forkwin
# Fewer rounds on the debug kernel (kmemleak), which is several times
# slower; on the kernel before the fix the first warning came in round 3.
if [ -e /sys/kernel/debug/kmemleak ]; then
	ROUNDS=${FORK_RACE_ROUNDS:-6}
else
	ROUNDS=${FORK_RACE_ROUNDS:-12}
fi
STORMS=()

stop_storms() {
	{ kill -9 "${STORMS[@]}"; wait "${STORMS[@]}"; } 2>/dev/null
	STORMS=()
}
trap 'stop_storms; klp_cleanup; rmmod $W 2>/dev/null' EXIT

# Every task's state, without forking (a fork would join the race).
states() {
	local t s
	for t in /proc/[0-9]*/task/[0-9]*; do
		read -r s 2>/dev/null < "$t/patch_state" || continue
		printf '%s %s\n' "${t##*/}" "$s"
	done
}

# Transitions of the patch completed so far, by the kernel log.
completions() { dmesg | grep -c "livepatch: '$P': .*patching complete"; }

# While a transition is open nothing may be idle.  The worker holds a
# transition open in the direction that leaves the version it sleeps in;
# a reversal goes back there, so a reversed transition may complete at
# any moment: then the scan counts only if no transition completed
# since $2 completions.
expect_none_idle() {
	local bad
	bad=$(states | awk '$2 == -1 {print $1}' | head -5)
	[ -z "$bad" ] && return 0
	# The log line comes a little after the states went idle.
	[ -n "${2:-}" ] && sleep 0.5 && [ "$(completions)" != "$2" ] && return 0
	fail "$1: tasks idle during a transition: $bad"
}

expect_all_idle() {
	local bad
	bad=$(states | awk '$2 != -1 {print $1 "=" $2}' | head -5)
	[ -z "$bad" ] || fail "$1: tasks not idle after the transition: $bad"
}

transition_of() { cat "$SYSFS/$P/transition" 2>/dev/null; }
try_write() { echo "$2" 2>/dev/null > "$1" || true; }
settled() { [ ! -e $SYSFS/$P ] || is_file_value $SYSFS/$P/transition 0; }

# reverse_twice WHAT: reverse the open transition, and reverse it again
# if it is still open then.
reverse_twice() {
	local now done
	done=$(completions)
	now=$(cat $SYSFS/$P/enabled)
	try_write $SYSFS/$P/enabled $((1 - now))
	sleep 0.$((RANDOM % 3))
	expect_none_idle "$1, reversed" "$done"
	[ "$(transition_of)" = 1 ] && try_write $SYSFS/$P/enabled "$now"
	sleep 0.$((RANDOM % 3))
	expect_none_idle "$1, reversed again" "$done"
}

# One round: a held patching transition ended by the worker (mode
# "release"), by reversals and the worker ("reverse") or by force
# ("force"); then, if the patch is still there, a held unpatching
# transition, reversed on odd rounds, ended by the worker.
round() {
	local r=$1 mode=$2
	hold_worker 1
	insmod_ok $P
	sleep 0.$((RANDOM % 4))
	[ "$(transition_of)" = 1 ] || fail "round $r: patching not held open"
	expect_none_idle "round $r, patching"
	case $mode in
	reverse)
		reverse_twice "round $r"
		;;
	force)
		echo 1 > $SYSFS/$P/force || fail "round $r: cannot force"
		# Every task is switched under the write: nothing is left.
		expect_eq "round $r: forced transition over at once" \
			"$(transition_of)" 0
		;;
	esac
	hold_worker 0
	wait_until settled || fail "round $r: patching stuck"
	expect_all_idle "round $r, patching over"

	if [ "$(cat $SYSFS/$P/enabled 2>/dev/null)" = 1 ]; then
		hold_worker 1
		wait_until is_file_value $TARGET_PARAMS/last 2 ||
			fail "round $r: the new version never ran"
		echo 0 > $SYSFS/$P/enabled || fail "round $r: cannot disable"
		sleep 0.$((RANDOM % 4))
		[ "$(transition_of)" = 1 ] || fail "round $r: unpatching not held open"
		expect_none_idle "round $r, unpatching"
		[ $((r % 2)) = 1 ] && reverse_twice "round $r, unpatching"
		hold_worker 0
		wait_until settled || fail "round $r: unpatching stuck"
		[ "$(cat $SYSFS/$P/enabled 2>/dev/null)" = 1 ] &&
			echo 0 > $SYSFS/$P/enabled
	fi
	wait_until is_gone $SYSFS/$P || fail "round $r: $P stayed"
	expect_all_idle "round $r, unpatched"
	remove_module $P
	expect_quiet_kernel "round $r ($mode)"
	! log_since livepatch | grep "left behind in the old universe" ||
		fail "round $r ($mode): a walk left a task behind"
	echo "  ok: round $r ($mode)"
}

test_start "transitions racing fork, with the linking window widened"
insmod_ok $T
insmod_ok $W delay_us="${FORK_RACE_DELAY_US:-500}"
for i in 1 2; do
	./fork-storm &
	STORMS+=($!)
done
sleep 0.5
mark
modes=(release reverse force)
for r in $(seq "$ROUNDS"); do
	round "$r" "${modes[$((r % 3))]}"
done
hits=$(cat /sys/module/$W/parameters/hits)
[ "$hits" -gt 0 ] || fail "no fork went through the window"
echo "  ok: $ROUNDS rounds, $hits forks stalled in the window"
stop_storms
expect_all_idle "at the end"
rmmod $W || fail "rmmod $W"
remove_module $T
exit 0
