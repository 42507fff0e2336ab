#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Two patches of one function: the newest wins; disabling walks back.
. "$(dirname "$0")/klp-lib.sh"
orig=$(cat /proc/cmdline)

test_start "stacking two patches on cmdline_proc_show"
load_patch klp_test_cmdline_a
expect_eq "a on top" "$(cat /proc/cmdline)" klp_test_cmdline_a
load_patch klp_test_cmdline_b
expect_eq "b on top" "$(cat /proc/cmdline)" klp_test_cmdline_b
expect_eq "stack_order a" "$(cat $SYSFS/klp_test_cmdline_a/stack_order)" 1
expect_eq "stack_order b" "$(cat $SYSFS/klp_test_cmdline_b/stack_order)" 2

test_start "disabling in reverse order"
disable_patch klp_test_cmdline_b
expect_eq "a again" "$(cat /proc/cmdline)" klp_test_cmdline_a
expect_eq "stack_order a alone" "$(cat $SYSFS/klp_test_cmdline_a/stack_order)" 1
disable_patch klp_test_cmdline_a
expect_eq "original again" "$(cat /proc/cmdline)" "$orig"
remove_module klp_test_cmdline_b
remove_module klp_test_cmdline_a

test_start "atomic replace takes over"
load_patch klp_test_cmdline_a
load_patch klp_test_cmdline_b replace=1
expect_eq "b replaces a" "$(cat /proc/cmdline)" klp_test_cmdline_b
wait_until is_gone $SYSFS/klp_test_cmdline_a || fail "replaced patch a stayed"
expect_eq "replace flag" "$(cat $SYSFS/klp_test_cmdline_b/replace)" 1
remove_module klp_test_cmdline_a
disable_patch klp_test_cmdline_b
expect_eq "original after replace" "$(cat /proc/cmdline)" "$orig"
remove_module klp_test_cmdline_b
exit 0
