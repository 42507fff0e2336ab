#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Forcing a stuck unpatching transition: it completes, and the patch
# module, whose code may still run, can never be removed.
. "$(dirname "$0")/klp-lib.sh"
T=$TARGET
P=$TARGET_PATCH

test_start "force a stuck unpatching transition"
insmod_ok $T
load_patch $P
hold_worker 1
wait_until is_file_value $TARGET_PARAMS/last 2 || fail "new version never ran"
sleep 0.5
echo 0 > $SYSFS/$P/enabled
sleep 2
expect_eq "unpatching stuck" "$(cat $SYSFS/$P/transition)" 1
echo 1 > $SYSFS/$P/force || fail "force write failed"
wait_until is_gone $SYSFS/$P || fail "forced patch stayed in sysfs"
dmesg | grep -q "'$P': transition forced; module '$P' can no longer be removed" ||
	fail "no forced warning in the log"
echo "  ok: forced warning logged"
sleep 1
expect_eq "module pinned" "$(cat /sys/module/$P/refcnt)" 1
rmmod $P 2>/dev/null && fail "forced patch module could be removed"
echo "  ok: rmmod refused"
hold_worker 0
exit 0
