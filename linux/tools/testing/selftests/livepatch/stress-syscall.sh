#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Enable and disable a patch of getpid CYCLES times (default 100) while
# user tasks hammer the system call, other tasks fork and exit as fast as
# they can, and a module is loaded and unloaded over and over under a patch
# of its own (klp_test_cb_patch on klp_test_cb_target).  Prints progress
# every 10 cycles, the slab figures before and after, and a final
# "stress: N cycles" line; exits non-zero on the first failure.
#
# The load runs at nice STRESS_NICE (default 10): it takes every moment
# the cycle leaves, waiting for transitions included, but no longer
# starves the cycle itself of the two CPUs, which made a debug-kernel
# cycle take 20 s.
. "$(dirname "$0")/klp-lib.sh"
P=klp_test_getpid_patch
CB_PATCH=klp_test_cb_patch
CB_TARGET=klp_test_cb_target
cycles=${1:-${STRESS_CYCLES:-100}}
n=$(( $(getconf _NPROCESSORS_ONLN) * 2 ))

slab() { awk '/^(Slab|SUnreclaim):/ {printf "%s %s kB  ", $1, $2}' /proc/meminfo; }
slab_before=$(slab)

start_hammers $n
load_patch $CB_PATCH
LOOPS=()
# Forks and exits: each child inherits its parent's patch state.
(while :; do /bin/true; done) &
LOOPS+=($!)
# A patched module comes and goes: klp_module_coming/going under load.
(while :; do
	insmod test_modules/$CB_TARGET.ko 2>/dev/null
	rmmod $CB_TARGET 2>/dev/null
done) &
LOOPS+=($!)
renice -n "${STRESS_NICE:-10}" -p ${HAMMERS[*]} ${LOOPS[*]} >/dev/null ||
	fail "cannot renice the load"
stress_cleanup() {
	kill ${LOOPS[*]} ${HAMMERS[*]} 2>/dev/null
	wait ${LOOPS[*]} 2>/dev/null
	rmmod $CB_TARGET 2>/dev/null
	[ -e $SYSFS/$CB_PATCH/enabled ] && echo 0 > $SYSFS/$CB_PATCH/enabled
	wait_until is_gone $SYSFS/$CB_PATCH
	rmmod $CB_PATCH 2>/dev/null
	klp_cleanup
}
trap stress_cleanup EXIT

# Wall-clock microseconds, to split each cycle's time between its steps.
now_us() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }
t_load=0 t_disable=0 t_remove=0
start=$(date +%s)
for c in $(seq "$cycles"); do
	t0=$(now_us)
	load_patch $P
	t1=$(now_us)
	disable_patch $P
	t2=$(now_us)
	remove_module $P
	t3=$(now_us)
	t_load=$((t_load + t1 - t0))
	t_disable=$((t_disable + t2 - t1))
	t_remove=$((t_remove + t3 - t2))
	[ $((c % 10)) = 0 ] && echo "  $c cycles, $(( $(date +%s) - start )) s"
done
secs=$(( $(date +%s) - start ))
stress_cleanup
trap - EXIT
echo "slab before: $slab_before"
echo "slab after:  $(slab)"
per_cycle() { echo "$(($1 / cycles / 1000)) ms"; }
echo "per cycle: load+enable $(per_cycle $t_load)," \
	"disable $(per_cycle $t_disable), rmmod $(per_cycle $t_remove)"
echo "stress: $cycles cycles in $secs s with $n hammering tasks, a fork loop and a module loop"
exit 0
