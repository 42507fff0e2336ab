#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Rule K of kick.c says that no kick is lost at the end of a hold: a kick
# notes itself and then reads the hold, the hold's end clears the hold
# and then takes the note, so one of the two queues the walk.  This test
# tries to lose one.  klp_test_kickrace stops one side around its first
# step while the other side runs from start to end (four interleavings,
# see the module), with the kick coming from the last task pending at
# the end of a transition's first walk, and the note of the kicks before
# it cleared.  Each attempt must run the
# interleaving asked for and see a walk queued.  Writer and walker are on
# different CPUs: the walker, insmod, on CPU 0 with the test, the writer
# on CPU 1.
. "$(dirname "$0")/klp-lib.sh"
K=klp_test_kickrace
P=klp_test_kickrace_patch
KP=/sys/module/$K/parameters
ROUNDS=2

if ! klp_kconfig LIVEPATCH_EVENT_COMPLETION; then
	echo "  no event-driven completion in this kernel: nothing kicks"
	exit 4
fi
[ "$(nproc)" -ge 2 ] || fail "needs two CPUs: one walks while the other kicks"

cleanup() {
	[ -e $KP/hold ] && echo 0 > $KP/hold
	[ -e $KP/mode ] && echo 0 > $KP/mode
	[ -n "$W" ] && wait $W 2>/dev/null
	klp_cleanup
	rmmod $K 2>/dev/null
}
trap cleanup EXIT
test_start "no kick is lost at the end of a hold"
taskset -p -c 0 $$ > /dev/null || fail "cannot move the test to CPU 0"
kicked=$(awk '$3 == "klp_kicked" {print $1}' /proc/kallsyms)
[ -n "$kicked" ] && [ "$kicked" != 0000000000000000 ] ||
	fail "no address for klp_kicked in /proc/kallsyms (CONFIG_KALLSYMS_ALL)"
insmod_ok $K kicked_addr=0x$kicked
desc=("" "the kick stalls before its note" "the kick stalls after its note"
      "the hold's end stalls before taking the note"
      "the hold's end stalls after taking the note")
n=0
for mode in 1 2 3 4; do
	for r in $(seq $ROUNDS); do
		n=$((n + 1))
		echo 1 > $KP/hold
		taskset -c 1 sh -c "echo 1 > /proc/$K" &
		W=$!
		wait_until is_file_value $KP/inside 1 ||
			fail "the writer did not enter the function"
		echo $mode > $KP/mode
		load_patch $P
		wait $W || fail "the writer failed"
		W=
		echo "  mode $mode (${desc[mode]}), round $r:" \
		     "attempts $(cat $KP/attempts), straddles $(cat $KP/straddles)," \
		     "lost $(cat $KP/lost), timeouts $(cat $KP/timeouts)," \
		     "skipped $(cat $KP/skipped), other kicks' note cleared $(cat $KP/cleared)"
		expect_eq "mode $mode round $r: interleavings run" "$(cat $KP/straddles)" $n
		expect_eq "mode $mode round $r: kicks lost" "$(cat $KP/lost)" 0
		disable_patch $P
		remove_module $P
	done
done
expect_eq "attempts that timed out" "$(cat $KP/timeouts)" 0
rmmod $K || fail "rmmod $K"
