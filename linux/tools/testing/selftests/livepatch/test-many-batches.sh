#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# More patches redirecting functions at once than klp keeps static
# ftrace_ops for.
#
# Every update that starts redirecting functions registers ftrace_ops of
# its own (patch.c).  The first 32 come from a static pool; beyond it they
# are allocated, which ftrace treats as dynamic: it waits for their
# trampolines when they go and frees their filters with them.  36
# one-function patches (klp_test_batch_<id>) are enabled together, some
# removed from the middle of the pool and from beyond it, enabled again
# into the freed places, a 64-function patch is stacked on all of them,
# and the 36 are removed under it: ftrace_ops outlive the patch that
# registered them as long as another patch redirects their functions.
# Every function must run the version its stack says, the counts in
# debugfs must follow, and nothing may warn (kmemleak on the debug kernel
# finds what leaks).
. "$(dirname "$0")/klp-lib.sh"
T=klp_test_many
TOP=klp_test_many_patch1
OPS=/sys/kernel/debug/livepatch/ftrace_ops
TRACED=/sys/kernel/debug/tracing/enabled_functions
IDS="$(echo 1{0..7} 2{0..7} 3{0..7} 4{0..7} 5{0..3})"
MIDDLE="$(echo 2{0..7} 50 51)"
sum() { cat /sys/module/$T/parameters/sum; }
traced() { grep -c "^klp_test_many_fn_" $TRACED || true; }
ops() { tr '\n' ' ' < $OPS | sed 's/ $//'; }
batch_cleanup() {
	local m
	klp_cleanup
	for m in $(awk '/^klp_test_batch_/ {print $1}' /proc/modules); do
		rmmod "$m" 2>/dev/null
	done
	rmmod $T 2>/dev/null
}
trap batch_cleanup EXIT

test_start "36 one-function patches, more than the pool of ftrace_ops"
insmod_ok $T
mark
expect_eq "nothing registered yet" "$(ops)" "pool 0 of 32 allocated 0"
n=0
for id in $IDS; do
	load_patch klp_test_batch_$id
	n=$((n + 1))
done
[ "$n" -gt 32 ] || fail "only $n patches: no more than the pool"
expect_eq "36 functions return 2" "$(sum)" 100
expect_eq "36 functions traced" "$(traced)" 36
expect_eq "the pool full, 4 allocated" "$(ops)" "pool 32 of 32 allocated 4"

test_start "10 removed from the pool and beyond it"
for id in $MIDDLE; do
	disable_patch klp_test_batch_$id
done
expect_eq "26 functions return 2" "$(sum)" 90
expect_eq "26 functions traced" "$(traced)" 26
expect_eq "8 back in the pool, 2 allocated freed" "$(ops)" \
	"pool 24 of 32 allocated 2"
for id in $MIDDLE; do
	remove_module klp_test_batch_$id
done

test_start "the 10 again, into the places they left"
for id in $MIDDLE; do
	load_patch klp_test_batch_$id
done
expect_eq "36 functions return 2" "$(sum)" 100
expect_eq "the pool full, 4 allocated" "$(ops)" "pool 32 of 32 allocated 4"

test_start "a 64-function patch on top, then the 36 removed under it"
load_patch $TOP
expect_eq "all 64 from the top patch" "$(sum)" 128
expect_eq "64 functions traced" "$(traced)" 64
expect_eq "the 28 new functions in one more" "$(ops)" \
	"pool 32 of 32 allocated 5"
for id in $IDS; do
	disable_patch klp_test_batch_$id
done
expect_eq "still all 64 from the top patch" "$(sum)" 128
expect_eq "still 64 functions traced" "$(traced)" 64
expect_eq "the 36 patches' ftrace_ops stay for the top patch" "$(ops)" \
	"pool 32 of 32 allocated 5"
for id in $IDS; do
	remove_module klp_test_batch_$id
done
disable_patch $TOP
expect_eq "all original" "$(sum)" 64
expect_eq "nothing traced" "$(traced)" 0
expect_eq "every ftrace_ops released" "$(ops)" "pool 0 of 32 allocated 0"
expect_quiet_kernel "36 patches and one on top"
remove_module $TOP
