#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Enable and disable a patch of getpid CYCLES times (default 100) while
# user tasks hammer the system call.  Prints one line per 10 cycles and a
# final "stress: N cycles" line; exits non-zero on the first failure.
. "$(dirname "$0")/klp-lib.sh"
P=klp_test_getpid_patch
cycles=${1:-100}
n=$(( $(getconf _NPROCESSORS_ONLN) * 2 ))

start_hammers $n

start=$(date +%s)
for c in $(seq "$cycles"); do
	load_patch $P
	disable_patch $P
	remove_module $P
	[ $((c % 10)) = 0 ] && echo "  $c cycles, $(( $(date +%s) - start )) s"
done
echo "stress: $cycles cycles in $(( $(date +%s) - start )) s with $n hammering tasks"
exit 0
