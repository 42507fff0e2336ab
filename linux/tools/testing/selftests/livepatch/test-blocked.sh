#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A kthread sleeping inside the patched function holds the transition open
# until it leaves; /proc/<pid>/patch_state shows who has switched.
. "$(dirname "$0")/klp-lib.sh"
T=$TARGET
P=$TARGET_PATCH

test_start "a task inside the function holds the transition"
insmod_ok $T
wpid=$(pgrep -x klp_test_worker) || fail "no worker kthread"
wait_until is_file_value $TARGET_PARAMS/last 1 || fail "worker never ran"
hold_worker 1
sleep 0.5
insmod_ok $P
wait_until [ -e $SYSFS/$P/transition ] || fail "no sysfs for $P"
sleep 3
expect_eq "still in transition after 3 s" "$(cat $SYSFS/$P/transition)" 1
expect_eq "worker not switched" "$(cat /proc/$wpid/patch_state)" 0
expect_eq "this shell switched" "$(cat /proc/self/patch_state)" 1
expect_eq "old version still runs" "$(last_version)" 1
# "<tid> (<comm>) <why> <N>ms", one line per task left behind.
pending=$(cat $SYSFS/$P/pending_tasks)
echo "$pending" | grep -qE "^$wpid \(klp_test_worker\) on_stack:klp_test_target_func [0-9]+ms$" ||
	fail "pending_tasks does not show the worker in klp_test_target_func: '$pending'"
waited=$(echo "$pending" | sed -n "s/^$wpid .* \([0-9]*\)ms$/\1/p")
[ "$waited" -ge 3000 ] || fail "worker waited ${waited} ms, expected at least 3000"
echo "  ok: pending_tasks shows the worker, on_stack:klp_test_target_func for ${waited} ms"
grep -q "^$$ " <<< "$pending" && fail "pending_tasks lists this shell, which switched"
echo "  ok: pending_tasks leaves out the switched shell"

test_start "the transition completes once the task leaves"
hold_worker 0
wait_until is_file_value $SYSFS/$P/transition 0 || fail "transition stuck"
wait_until is_file_value $TARGET_PARAMS/last 2 || fail "new version never ran"
expect_eq "worker idle again" "$(cat /proc/$wpid/patch_state)" -1
expect_eq "pending_tasks empty after the transition" "$(cat $SYSFS/$P/pending_tasks)" ""
expect_eq "shell idle again" "$(cat /proc/self/patch_state)" -1

test_start "reverse a blocked unpatching transition"
hold_worker 1
sleep 0.5
echo 0 > $SYSFS/$P/enabled
sleep 2
expect_eq "unpatching blocked" "$(cat $SYSFS/$P/transition)" 1
expect_eq "enabled reads 0" "$(cat $SYSFS/$P/enabled)" 0
grep -qE "^$wpid \(klp_test_worker\) on_stack:klp_test_target_func " $SYSFS/$P/pending_tasks ||
	fail "pending_tasks does not show the worker while unpatching"
echo "  ok: pending_tasks shows the worker while unpatching"
echo 1 > $SYSFS/$P/enabled || fail "reverse write failed"
wait_until is_file_value $SYSFS/$P/transition 0 || fail "reverse stuck"
expect_eq "enabled after reverse" "$(cat $SYSFS/$P/enabled)" 1
dmesg | grep -q "'$P': reversing transition from unpatching to patching" ||
	fail "no reversal in the log"
echo "  ok: reversal logged"

hold_worker 0
disable_patch $P
wait_until is_file_value $TARGET_PARAMS/last 1 || fail "original never came back"
remove_module $P
remove_module $T
exit 0
