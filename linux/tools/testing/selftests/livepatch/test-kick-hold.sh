#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Kicks are held while the holder of klp_mutex walks (kick.c): a task
# that switches itself during a walk, or between a transition's start and
# its first walk, must not have the transition work queued then, where a
# kworker would wait for klp_mutex, spinning on a CPU for as long as the
# walk runs.  The walk's end queues the walk that was asked for.
#
# klp_test_walkhold stalls the start of every walk for 200 ms, while a
# getpid hammer on the other CPU switches at its next return to user
# space and kicks, and counts the kicks and the transition works started
# in those windows.  Patching and unpatching /proc/cmdline three times
# must see kicks there and no work started, and every transition must
# still complete.  The test runs on CPU 0, so that the stalled walks
# (insmod's and the sysfs writes') leave CPU 1 to the hammer.
. "$(dirname "$0")/klp-lib.sh"
W=klp_test_walkhold
P=klp_test_cmdline_a
WP=/sys/module/$W/parameters
ROUNDS=3

if ! klp_kconfig LIVEPATCH_EVENT_COMPLETION; then
	echo "  no event-driven completion in this kernel: nothing kicks"
	exit 4
fi
[ "$(nproc)" -ge 2 ] || fail "needs two CPUs: the hammer kicks from the other"

trap 'kill $H 2>/dev/null; wait $H 2>/dev/null; klp_cleanup; rmmod $W 2>/dev/null' EXIT
test_start "kicks during walks are held until the walk's end"
taskset -p -c 0 $$ > /dev/null || fail "cannot move the test to CPU 0"
./getpid-hammer -c 1 &
H=$!
insmod_ok $W delay_ms=200
for r in $(seq $ROUNDS); do
	load_patch $P
	expect_eq "round $r: /proc/cmdline patched" "$(cat /proc/cmdline)" $P
	disable_patch $P
	remove_module $P
done
kicks=$(cat $WP/kicks) waits=$(cat $WP/waits) walks=$(cat $WP/walks)
echo "  $walks walks stalled, $kicks kicks during them, $waits works started"
[ "$walks" -ge $((2 * ROUNDS)) ] ||
	fail "$walks walks for $((2 * ROUNDS)) transitions: the probe missed some"
# Without a kick in a window the test has shown nothing.
[ "$kicks" -ge 1 ] || fail "no task kicked during a walk"
expect_eq "transition works started while the walk's owner held klp_mutex" "$waits" 0
rmmod $W || fail "rmmod $W"
