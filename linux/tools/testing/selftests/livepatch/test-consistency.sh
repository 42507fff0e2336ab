#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The consistency model under races.  klp_test_consist's outer function
# calls two others with a sleep or a cond_resched() in between; the patch
# replaces all three.  While readers run the outer function flat out, some
# forking a process per call, some signaled and stopped and continued, the
# patch is enabled, disabled and reversed, at random moments and at
# moments where the transition is held open.  No call may ever see two
# versions (the target counts such calls in "mixed").
. "$(dirname "$0")/klp-lib.sh"
T=klp_test_consist
P=klp_test_consist_patch
R=/sys/module/$T/parameters
ROUNDS=${CONSIST_ROUNDS:-8}

PIDS=()
READY=$(mktemp -d)
# SIGKILL: a reader may be stopped, and would keep a SIGTERM pending.
stop_all() {
	[ -e $R/hold ] && echo 0 > $R/hold
	{ kill -9 "${PIDS[@]}"; wait; } 2>/dev/null
	PIDS=()
}
trap 'stop_all; rm -rf "$READY"; klp_cleanup' EXIT

# One process per call: a new task, forked from a pending parent or not,
# exits in every iteration.
forking_reader() { while :; do cat /proc/$T > /dev/null; done; }
# One long-lived process, signaled by the signaler below.  It says when
# its own USR1 trap is in place: until bash has reset the traps of a new
# subshell, a signal that kills it runs this script's EXIT trap in it,
# and stop_all there would SIGKILL the readers forked before it.
looping_reader() {
	trap ':' USR1
	: > "$READY/$BASHPID"
	while :; do read -r _ < /proc/$T; done
}
signaler() {
	while :; do
		kill -USR1 "$@" 2>/dev/null
		kill -STOP "$1" 2>/dev/null
		sleep 0.01
		kill -CONT "$1" 2>/dev/null
	done
}

# try_write FILE VALUE: a write that may lose a race with the transition
# it is aimed at (e.g. reversing one that just completed); the outcome is
# checked through the state afterwards, not through the write.
try_write() { echo "$2" 2>/dev/null > "$1" || true; }
# A transition is over when the patch is in place or gone altogether.
settled() { [ ! -e $SYSFS/$P ] || is_file_value $SYSFS/$P/transition 0; }
some_held() { [ "$(cat $R/held)" -gt 0 ]; }
readers_ready() { [ -e "$READY/${PIDS[1]}" ] && [ -e "$READY/${PIDS[2]}" ]; }
# A round with a dead reader or signaler would show nothing: each round
# must find all four alive and the outer function called meanwhile.
expect_readers() {
	local i
	for i in 0 1 2 3; do
		kill -0 "${PIDS[$i]}" 2>/dev/null ||
			fail "$1: reader or signaler ${PIDS[$i]} died"
	done
	[ "$(cat $R/calls)" -gt "$2" ] || fail "$1: no call of the outer function"
}

# One round: enable, then disable at once or after a reversal or two.
round() {
	local hold=$1 flips=$2 i
	echo "$hold" > $R/hold
	# Only a caller already held keeps the transition open.
	[ "$hold" = 0 ] || wait_until some_held || fail "no caller was held"
	insmod_ok $P
	# The loopers are inside the old outer function: patching cannot end,
	# so the first flip is sure to reverse the transition.
	[ "$hold" = 1 ] && expect_eq "held open" "$(cat $SYSFS/$P/transition)" 1
	for i in $(seq "$flips"); do
		sleep 0.0$((RANDOM % 5))
		try_write $SYSFS/$P/enabled $((i % 2 == 1 ? 0 : 1))
	done
	echo 0 > $R/hold
	wait_until settled || fail "round: transition stuck"
	if [ "$(cat $SYSFS/$P/enabled 2>/dev/null)" = 1 ]; then
		echo 0 > $SYSFS/$P/enabled || fail "cannot disable"
	fi
	wait_until is_gone $SYSFS/$P || fail "round: $P stayed"
	remove_module $P
}

test_start "versions never mix while transitions race forks, exits, signals"
insmod_ok $T
forking_reader & PIDS+=($!)
looping_reader & PIDS+=($!)
looping_reader & PIDS+=($!)
wait_until readers_ready || fail "the looping readers did not start"
signaler "${PIDS[1]}" "${PIDS[2]}" & PIDS+=($!)
sleep 0.5

mark
for r in $(seq "$ROUNDS"); do
	calls=$(cat $R/calls)
	round 0 $((r % 4))
	expect_readers "round $r" "$calls"
	expect_eq "round $r: no mixed versions" "$(cat $R/mixed)" 0
done
for flips in 1 2 3; do
	calls=$(cat $R/calls)
	round 1 $flips
	expect_readers "held round, $flips flips" "$calls"
	expect_eq "held round, $flips flips: no mixed versions" "$(cat $R/mixed)" 0
done
# Each held round reverses at least once.
reversals=$(log_since livepatch | grep -c "reversing transition" || true)
[ "$reversals" -ge 3 ] || fail "only $reversals reversals happened"
echo "  ok: $reversals reversals, $(cat $R/calls) calls, none mixed"

stop_all
for t in /proc/[0-9]*/task/[0-9]*; do
	s=$(cat "$t/patch_state" 2>/dev/null) || continue
	[ "$s" = -1 ] || fail "task ${t##*/} left in state $s"
done
echo "  ok: every task idle"
remove_module $T
exit 0
