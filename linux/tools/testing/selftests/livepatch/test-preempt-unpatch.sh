#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A task preempted inside a patched function's ftrace trampoline while
# the function is unpatched and its redirection freed.
#
# On a preemptible kernel a task can be preempted in the trampoline before
# klp's handler has disabled preemption, and resume long after.  When it
# resumes it runs the handler, which must still find the redirection of
# the location it came from, even if the patch was disabled meanwhile.
# klp_test_preempter makes that happen every round: it catches one getpid
# hammer on its way into the handler and keeps it preempted (it stays
# runnable: the scheduler and RCU-tasks see a preempted task) until the
# test lets it go, a second after the patch started to go away.
# The hammer is caught while klp_test_target's worker holds the patching
# transition open, so that getpid is on klp's own trampoline (once a
# transition is over it may be on a direct call, and while another
# ftrace user shares it, ftrace's list function runs with preemption
# off).  The transition is then reversed; the unpatching completes at
# once and the redirection is released while the hammer is held; the
# hammer then resumes into the handler.  Nothing may warn, and the patch
# must go.
#
# Needs a preemptible x86_64 kernel (make check's, and the debug kernel):
# elsewhere a task cannot be preempted there, and the test reports a skip.
. "$(dirname "$0")/klp-lib.sh"
P=klp_test_pidhold_patch
T=$TARGET
H=klp_test_preempter
HP=/sys/module/$H/parameters
ROUNDS=${PREEMPT_ROUNDS:-4}

case "$(uname -v)" in
*PREEMPT*) ;;
*)	echo "SKIP: not a preemptible kernel: no task is preempted in a trampoline"
	exit 4 ;;
esac
[ "$(uname -m)" = x86_64 ] || { echo "SKIP: the hold needs x86_64"; exit 4; }

test_start "a task preempted on its way to the handler while the patch goes"
HAMMERS=()
for i in 1 2 3; do
	./getpid-hammer &
	HAMMERS+=($!)
done
trap 'kill ${HAMMERS[*]} 2>/dev/null; echo 1 > $HP/release 2>/dev/null;
	wait_until is_file_value $HP/holding 0;
	klp_cleanup; rmmod $H 2>/dev/null; rmmod $T 2>/dev/null' EXIT
insmod_ok $T
insmod_ok $H
mark
for r in $(seq "$ROUNDS"); do
	hold_worker 1
	sleep 0.1
	insmod_ok $P
	echo 1 > $HP/armed
	wait_until is_file_value $HP/caught "$r" || fail "round $r: no hammer caught"
	expect_eq "round $r: a hammer is held" "$(cat $HP/holding)" 1
	expect_eq "round $r: patching held" "$(cat $SYSFS/$P/transition)" 1
	# The hammer is preempted inside the trampoline: unpatch under it.
	echo 0 > $SYSFS/$P/enabled || fail "round $r: cannot reverse"
	# Time for the unpatching to complete and the redirection to go, if
	# nothing waits for the hammer.
	sleep 1
	echo 1 > $HP/release
	wait_until is_gone $SYSFS/$P || fail "round $r: $P stayed"
	hold_worker 0
	wait_until is_file_value $HP/holding 0 || fail "round $r: the hammer stays held"
	remove_module $P
	expect_quiet_kernel "round $r"
	echo "  ok: round $r: the held hammer resumed after the patch was gone"
done
exit 0
