#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A task asleep inside a page fault holds a transition of the function
# below the fault.  uffd-park's writer thread faults on a userfaultfd
# page in klp_test_uffd_copy()'s copy_from_user() and sleeps there: the
# stack check must see the function through the fault frame (x86_64's
# ORC unwinder does) or call the stack unreliable (powerpc's does), and
# in either case keep the task from switching until the fault is
# resolved and the task has left the function.  Both directions.
. "$(dirname "$0")/klp-lib.sh"
T=klp_test_uffd
P=klp_test_uffd_patch
CTL=/tmp/klp-uffd-ctl
OUT=/tmp/klp-uffd-out
PARK=

unpark() {
	[ -n "$PARK" ] || return 0
	echo go >&3
	exec 3>&-
	wait "$PARK"
	local st=$?
	PARK=
	return $st
}
trap 'unpark; rm -f $CTL $OUT; klp_cleanup; rmmod $T 2>/dev/null' EXIT

case $(uname -m) in
x86_64) why="on_stack:klp_test_uffd_copy" ;;
*) why="unreliable_stack" ;;
esac

# park: a thread of a new uffd-park sleeps in the fault; its tid in TID.
park() {
	rm -f $CTL $OUT
	mkfifo $CTL
	./uffd-park /proc/$T < $CTL > $OUT &
	PARK=$!
	exec 3> $CTL
	wait_until grep -q '^parked ' $OUT || fail "no thread parked in the fault"
	TID=$(awk '/^parked / {print $2}' $OUT)
}

# held WHAT: the transition stays open on the parked thread, which
# pending_tasks names with the reason the stack check gives.
held() {
	# A few walks: the kicks, the one-second retry, the sleep probe.
	sleep 2.5
	expect_eq "$1: transition held" "$(cat $SYSFS/$P/transition)" 1
	expect_left_behind "$1" $P "$TID" uffd-park "$why"
}

test_start "a task asleep in a page fault holds the transition"
insmod_ok $T
park
insmod_ok $P
held "patching"
unpark || fail "patching: the parked write failed: $(cat $OUT)"
expect_eq "the parked write ran the old version" "$(cat /sys/module/$T/parameters/last)" 1
wait_until is_file_value $SYSFS/$P/transition 0 || fail "patching did not complete"
echo "  ok: patching completed once the thread left the fault"
echo x > /proc/$T
expect_eq "a new write runs the new version" "$(cat /sys/module/$T/parameters/last)" 2

park
echo 0 > $SYSFS/$P/enabled || fail "cannot disable"
held "unpatching"
unpark || fail "unpatching: the parked write failed: $(cat $OUT)"
expect_eq "the parked write ran the new version" "$(cat /sys/module/$T/parameters/last)" 2
wait_until is_gone $SYSFS/$P || fail "unpatching did not complete"
echo "  ok: unpatching completed once the thread left the fault"
echo x > /proc/$T
expect_eq "a new write runs the old version" "$(cat /sys/module/$T/parameters/last)" 1
remove_module $P
rmmod $T || fail "rmmod $T"
exit 0
