#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Atomic replace: a chain of replacements, and nop entries that give back
# the originals of functions the new patch no longer changes.
. "$(dirname "$0")/klp-lib.sh"
cmdline=$(cat /proc/cmdline)
version=$(cat /proc/version)

test_start "a replace chain leaves only the newest patch"
load_patch klp_test_cmdline_a
load_patch klp_test_cmdline_b replace=1
wait_until is_gone $SYSFS/klp_test_cmdline_a || fail "a stayed after b replaced it"
load_patch klp_test_cmdline_c replace=1
wait_until is_gone $SYSFS/klp_test_cmdline_b || fail "b stayed after c replaced it"
expect_eq "c runs" "$(cat /proc/cmdline)" klp_test_cmdline_c
expect_eq "only c is listed" "$(ls $SYSFS)" klp_test_cmdline_c
expect_eq "c is first in the stack" "$(cat $SYSFS/klp_test_cmdline_c/stack_order)" 1
remove_module klp_test_cmdline_a
remove_module klp_test_cmdline_b
disable_patch klp_test_cmdline_c
expect_eq "original after the chain" "$(cat /proc/cmdline)" "$cmdline"
remove_module klp_test_cmdline_c

test_start "replace gives back what it does not patch"
load_patch klp_test_two
expect_eq "two patches cmdline" "$(cat /proc/cmdline)" klp_test_two
expect_eq "two patches version" "$(cat /proc/version)" klp_test_two
insmod_ok klp_test_cmdline_a replace=1
# While the transition runs, the nop for version_proc_show is visible.
wait_until is_file_value $SYSFS/klp_test_cmdline_a/transition 0 ||
	fail "replace transition stuck"
expect_eq "a patches cmdline" "$(cat /proc/cmdline)" klp_test_cmdline_a
expect_eq "version is original" "$(cat /proc/version)" "$version"
wait_until is_gone $SYSFS/klp_test_two || fail "replaced patch stayed"
[ -e $SYSFS/klp_test_cmdline_a/vmlinux/version_proc_show,1 ] &&
	fail "the nop entry outlived the transition"
echo "  ok: nop entry discarded"
remove_module klp_test_two
disable_patch klp_test_cmdline_a
remove_module klp_test_cmdline_a

test_start "a non-replace patch stacks on a replace patch"
load_patch klp_test_cmdline_a replace=1
load_patch klp_test_cmdline_b
expect_eq "b on top" "$(cat /proc/cmdline)" klp_test_cmdline_b
expect_eq "a kept" "$(cat $SYSFS/klp_test_cmdline_a/enabled)" 1
disable_patch klp_test_cmdline_b
disable_patch klp_test_cmdline_a
remove_module klp_test_cmdline_b
remove_module klp_test_cmdline_a
exit 0
