#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A task preempted inside klp_direct_dispatch, after it read the new
# function from the table of direct calls and before it returned into it.
#
# Such a task resumes into the function it read, whatever the table says
# by then, so no transition may switch it while it is stopped there: the
# dispatcher's unwind data say "undefined", which makes its stack
# unreliable (Documentation/livepatch/direct-calls.rst).  Were the stack
# trusted, disabling the patch would switch the task to the unpatched
# state and the transition could complete, and the patch module go, while
# the task is about to return into it.
#
# klp_test_dispatch_hold stops a getpid hammer there on demand and keeps
# it preempted.  While it is held, disabling the patch of getpid, and
# stacking a second patch on it, must leave that task in its old state
# (the kthread that holds it keeps the transition open too, so that state
# is what tells); once it is let go, the transition completes.
#
# Needs a preemptible x86_64 kernel (make check's, and the debug kernel);
# elsewhere it reports a skip.
. "$(dirname "$0")/klp-lib.sh"
P1=klp_test_getpid_patch
P2=klp_test_pidhold_patch
H=klp_test_dispatch_hold
HP=/sys/module/$H/parameters
DIRECT=/sys/kernel/debug/livepatch/direct_calls

case "$(uname -v)" in
*PREEMPT*) ;;
*)	echo "SKIP: not a preemptible kernel: no task is preempted in the dispatcher"
	exit 4 ;;
esac
klp_kconfig LIVEPATCH_DIRECT_CALLS ||
	{ echo "SKIP: no direct calls in this kernel"; exit 4; }
[ "$(nproc)" -ge 2 ] || fail "needs two CPUs: one is held"

# The held task's CPU runs only the kthread that holds it: RT throttling
# and the fair server would give the task a share of it now and then.
RT=/proc/sys/kernel/sched_rt_runtime_us
FAIR=/sys/kernel/debug/sched/fair_server
rt_saved=$(cat $RT)
fair_saved=$(cat $FAIR/cpu0/runtime 2>/dev/null)
fair_set() { local c; for c in $FAIR/cpu*; do echo "$1" > "$c/runtime"; done; }
HAMMERS=()
trap 'kill ${HAMMERS[*]} 2>/dev/null; echo 1 > $HP/release 2>/dev/null;
	wait_until is_file_value $HP/holding N;
	[ -n "$fair_saved" ] && fair_set $fair_saved; echo $rt_saved > $RT;
	klp_cleanup; rmmod $H 2>/dev/null; rmmod $T 2>/dev/null' EXIT
T=$TARGET
echo -1 > $RT || fail "cannot turn RT throttling off"
if [ -n "$fair_saved" ]; then
	fair_set 0 || fail "cannot turn the fair server off"
fi

# The site may be named after the wrapper or the body it shares it with.
settled() { grep -qE "^__(x64_sys|do_sys)_getpid " $DIRECT; }
state_of() { cat /proc/$1/patch_state; }

# hold: arm, and wait for a hammer held in the dispatcher; sets V.
hold() {
	local n=$(($(cat $HP/caught) + 1))
	echo 1 > $HP/armed
	wait_until is_file_value $HP/caught $n ||
		fail "$1: no hammer caught (misses: $(cat $HP/misses))"
	expect_eq "$1: a hammer is held" "$(cat $HP/holding)" Y
	V=$(cat $HP/victim)
	# The module checked that the task's stack holds .Lhit.
	echo "  ok: $1: task $V stopped in the dispatcher"
}

# still_held WHAT STATE: two seconds of a transition against the task.
still_held() {
	sleep 2
	local state
	state=$(state_of "$V")
	# A task let go meanwhile may have switched on its way to user space.
	expect_eq "$1: the task is still held" "$(cat $HP/holding)" Y
	expect_eq "$1: the held task kept its state" "$state" "$2"
	expect_eq "$1: the transition waits for it" "$(cat $SYSFS/$3/transition)" 1
}

insmod_ok $T
insmod_ok $H
./getpid-hammer -c 1 &
HAMMERS+=($!)
./getpid-hammer -c 0 &
HAMMERS+=($!)
mark

test_start "disabling a patch while a task is about to return into it"
load_patch $P1
wait_until settled || fail "getpid did not settle on a direct call"
hold "unpatching"
echo 0 > $SYSFS/$P1/enabled || fail "cannot disable $P1"
still_held "unpatching" 1 $P1
echo 1 > $HP/release
wait_until is_gone $SYSFS/$P1 || fail "$P1 stayed after the task was let go"
expect_eq "the task is let go" "$(cat $HP/holding)" N
remove_module $P1
expect_quiet_kernel "unpatching"

test_start "stacking a patch while a task is about to return into the one below"
load_patch $P1
wait_until settled || fail "getpid did not settle on a direct call"
hold "patching"
insmod_ok $P2
still_held "patching" 0 $P2
echo 1 > $HP/release
wait_until is_file_value $SYSFS/$P2/transition 0 ||
	fail "$P2: the transition did not finish after the task was let go"
expect_eq "the task is let go" "$(cat $HP/holding)" N
disable_patch $P2
disable_patch $P1
remove_module $P2
remove_module $P1
expect_quiet_kernel "patching"
exit 0
