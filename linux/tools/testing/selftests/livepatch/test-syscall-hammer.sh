#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Patch and unpatch getpid while user tasks hammer it: each transition
# completes (the tasks switch on their way out of the kernel), and every
# task ends up idle again.
. "$(dirname "$0")/klp-lib.sh"
P=klp_test_getpid_patch
n=$(( $(getconf _NPROCESSORS_ONLN) * 2 ))

test_start "getpid patched while $n tasks hammer it"
start_hammers $n
sleep 0.5

load_patch $P
before=$(cat /sys/module/$P/parameters/calls)
sleep 1
after=$(cat /sys/module/$P/parameters/calls)
[ "$after" -gt "$before" ] || fail "patched getpid not called ($before -> $after)"
echo "  ok: patched getpid ran $((after - before)) times in 1 s"
for pid in "${HAMMERS[@]}"; do
	expect_eq "hammer $pid idle after patching" "$(cat /proc/$pid/patch_state)" -1
done

test_start "getpid unpatched while they keep hammering"
disable_patch $P
c1=$(cat /sys/module/$P/parameters/calls)
sleep 1
expect_eq "patched getpid no longer runs" "$(cat /sys/module/$P/parameters/calls)" "$c1"
kill "${HAMMERS[@]}"
wait 2>/dev/null
remove_module $P
exit 0
