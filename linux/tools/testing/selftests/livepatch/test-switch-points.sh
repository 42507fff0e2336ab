#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The switch points no stack check covers: a kthread that is always running
# switches in cond_resched(); a user task asleep in a changed function is
# pushed out by a fake signal after the retries (15 s), restarts its system
# call in the new universe, and so lets the transition finish.
#
# The spinner is stopped before a patch is disabled, and the second case
# runs without it.  On a preemptible kernel cond_resched() never sleeps,
# so a kthread spinning on it never passes an RCU Tasks quiescent state,
# and taking a patch's functions out of ftrace waits for one
# (synchronize_rcu_tasks(): a preempted task may still be in a
# trampoline).  Upstream's disable waits there too.
. "$(dirname "$0")/klp-lib.sh"
M=klp_test_sleepers
P=klp_test_sleepers_patch

test_start "a spinning kthread switches in cond_resched()"
insmod_ok $M
spid=$(pgrep -x klp_test_spinner) || fail "no spinner kthread"
load_patch $P
echo "  ok: transition completed with the spinner running"
remove_module $M
disable_patch $P
remove_module $P
insmod_ok $M spin=0

test_start "a sleeping user task is signalled out of the old function"
out=/tmp/klp-sleeper.out
cat /sys/kernel/debug/$M/wait > $out &
reader=$!
sleep 1
mark
start=$(date +%s)
insmod_ok $P
sleep 5
expect_eq "blocked by the sleeping reader" "$(cat $SYSFS/$P/transition)" 1
expect_eq "reader not switched" "$(cat /proc/$reader/patch_state)" 0
wait_until is_file_value $SYSFS/$P/transition 0 ||
	fail "transition still blocked after $(( $(date +%s) - start )) s"
took=$(( $(date +%s) - start ))
log_since livepatch | grep -q "signaling remaining tasks" ||
	fail "no fake signal was sent"
echo "  ok: fake signal sent; transition done after $took s"
wait $reader
expect_eq "the restarted read ran the new code" "$(cat $out)" patched
[ "$took" -ge 14 ] || fail "finished after $took s, before any signal was due"
disable_patch $P
remove_module $P
remove_module $M
exit 0
