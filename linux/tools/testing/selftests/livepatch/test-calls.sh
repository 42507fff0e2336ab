#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Call shapes that stress how a redirected call enters and leaves the new
# function (on ppc64le the TOC and link register kept by livepatch_handler):
# a new function calling another module, vmlinux and its own data; a
# redirected function reached through a function pointer; recursion
# through a redirected function; and a chain through two stacked patches,
# reaching one redirected function from another through a klp relocation.
. "$(dirname "$0")/klp-lib.sh"
L=klp_test_calls_lib
T=klp_test_calls_target
result() { cat /sys/module/$T/parameters/result; }

test_start "the originals"
insmod_ok $L
insmod_ok $T
expect_eq "step(5), depth(10)" "$(result)" "6 10"

test_start "patch 1: calls out of the new function, recursion"
load_patch klp_test_calls_patch1
# step: 5 + 20 + 1000 (lib's data) + strlen("p1"); depth: 100 + 10
expect_eq "step(5), depth(10)" "$(result)" "1027 110"

test_start "patch 2 on top: a chain through both patches"
load_patch klp_test_calls_patch2
# step: 3 * depth(5) = 3 * (100 + 5), through patch 1's depth
expect_eq "step(5), depth(10)" "$(result)" "315 110"
for i in $(seq 50); do
	[ "$(result)" = "315 110" ] || fail "call $i returned $(result)"
done
echo "  ok: 50 more calls through the chain"

test_start "unwinding the stack"
disable_patch klp_test_calls_patch2
expect_eq "back to patch 1" "$(result)" "1027 110"
disable_patch klp_test_calls_patch1
expect_eq "back to the originals" "$(result)" "6 10"
remove_module klp_test_calls_patch2
remove_module klp_test_calls_patch1
remove_module $T
remove_module $L
exit 0
