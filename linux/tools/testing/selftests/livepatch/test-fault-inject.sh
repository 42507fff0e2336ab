#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault injection: load a patch with its 1st, 2nd, ... allocation failing
# (slab and page allocator, /proc/thread-self/fail-nth) until a load makes
# no more allocations than that.  Only allocations made with klp code on
# the stack count (the stacktrace filter, set to klp's text), so the sweep
# covers every allocation of the enable path, not the module loader's.
# Every failed load must leave the system as it was: no patch in sysfs, no
# function traced, the module gone.  A load that survives its failure must
# give a working patch.  FI_ALL=1 sweeps a patch with a module object too,
# a registered one where the kernel has the registered lifecycle.
# Needs CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS
# and CONFIG_FAULT_INJECTION_STACKTRACE_FILTER (harness/config/faultinject.config:
# make check's x86_64 kernel and the debug kernel).
. "$(dirname "$0")/klp-lib.sh"
DBG=/sys/kernel/debug
TRACED=$DBG/tracing/enabled_functions
FAILED=0

if ! [ -e /proc/thread-self/fail-nth ] || ! [ -e $DBG/failslab/require-start ] ||
	! [ -d $DBG/fail_page_alloc ]; then
	echo "SKIP: this kernel has no fault injection with a stacktrace filter"
	exit 4
fi
# text_range REGEX: from the first vmlinux function matching to past the
# last one before a gap of 1 MiB (a whole object file's text, for names it
# uses throughout; not its init code, which sits far away).
text_range() {
	local lo hi
	read -r lo hi <<< "$(grep -E " [tT] ($1)" /proc/kallsyms | awk 'NF == 3 {print $1}' |
		sort | while read -r a; do
			[ -n "${first:-}" ] && [ $((16#$a - 16#$prev)) -gt 1048576 ] && break
			first=${first:-$a} prev=$a
			echo "$first $a"
		done | tail -1)"
	[ -n "$hi" ] || fail "no function matches '$1' in kallsyms"
	echo "0x$lo $(printf '0x%x' $((16#$hi + 4096)))"	# wraps like the addresses
}
# func_range NAME: one vmlinux function, from its start to the next symbol.
func_range() {
	local lo hi
	read -r lo hi <<< "$(awk 'NF == 3 {print $1, $3}' /proc/kallsyms | sort |
		awk -v f="$1" 'found {print $1; exit} $2 == f {printf "%s ", $1; found = 1}')"
	[ -n "$hi" ] || fail "no function '$1' in kallsyms"
	echo "0x$lo 0x$hi"
}
# Count what klp allocates, not the debug tools' bookkeeping around it:
# kmemleak's metadata and KASAN's stack depot fall back quietly when an
# allocation fails, and would only make the sweep long.  A kernel without
# them (make check's x86_64 kernel) has nothing to leave out.
read -r klp_lo klp_hi <<< "$(text_range '_*klp_')"
if grep -qE ' [tT] kmemleak_alloc$' /proc/kallsyms; then
	read -r leak_lo leak_hi <<< "$(func_range kmemleak_alloc)"
	echo "$leak_lo" > $DBG/failslab/reject-start
	echo "$leak_hi" > $DBG/failslab/reject-end
fi
if grep -qE ' [tT] stack_depot_save_flags$' /proc/kallsyms; then
	read -r depot_lo depot_hi <<< "$(func_range stack_depot_save_flags)"
	echo "$depot_lo" > $DBG/fail_page_alloc/reject-start
	echo "$depot_hi" > $DBG/fail_page_alloc/reject-end
fi
# fail-nth alone decides; sleeping allocations count too; no stack dumps.
for f in failslab fail_page_alloc; do
	echo N > $DBG/$f/ignore-gfp-wait
	echo 0 > $DBG/$f/verbose
	echo "$klp_lo" > $DBG/$f/require-start
	echo "$klp_hi" > $DBG/$f/require-end
	echo 32 > $DBG/$f/stacktrace-depth
done
echo N > $DBG/fail_page_alloc/ignore-gfp-highmem
echo 0 > $DBG/fail_page_alloc/min-order

footprint() { ls $SYSFS; cat $TRACED; }
settled() { [ ! -e $SYSFS/$1 ] || is_file_value $SYSFS/$1/transition 0; }

# sweep MODULE CHECK [PARAMS]: CHECK is a command that tells a working patch.
# load-module -S (progs/load-module.c) does the failing loads and checks what they leave;
# here, each load that succeeds is checked, then taken down.
sweep() {
	local mod=$1 check=$2 params=${3:-} before n=1 out last
	before=$(footprint)
	while :; do
		out=$(timeout 1800 ./load-module -S $n "test_modules/$mod.ko" "$params") ||
			fail "$mod: $(tr '\n' ' ' <<< "$out")"
		last=$(sed -n 's/^swept //p' <<< "$out")
		wait_until is_file_value $SYSFS/$mod/transition 0 ||
			fail "$mod, allocation $last failed: transition stuck"
		$check || fail "$mod, allocation $last failed: loaded but not working"
		echo 0 > $SYSFS/$mod/enabled
		wait_until settled $mod || fail "$mod: disabling stuck"
		# A registered patch stays: unregister it.
		[ ! -e $SYSFS/$mod ] || echo unregister > /sys/module/$mod/parameters/action
		remove_module $mod
		[ "$(footprint)" = "$before" ] || fail "$mod: something was left behind"
		grep -q '^injected 1' <<< "$out" || break
		echo "  $mod: allocation $last failed and the load went on; sweeping on"
		n=$((last + 1))
	done
	[ "$last" -gt 1 ] || fail "$mod: no allocation of klp's was made to fail"
	FAILED=$((FAILED + last - 1))
	echo "  ok: $mod: allocations 1..$((last - 1)) failed in turn, nothing left behind"
}

is_cmdline_a() { [ "$(cat /proc/cmdline)" = klp_test_cmdline_a ]; }
is_v3() { wait_until eval '[ "$(last_version)" = 3 ]'; }

test_start "a vmlinux patch enabled directly"
mark
sweep klp_test_cmdline_a is_cmdline_a
# A one-function patch that ftrace refuses for want of memory is logged in
# upstream's words, naming the function (the sweep fails the allocation
# of the filter's hash among the others).
want="livepatch: failed to set ftrace filter for function 'cmdline_proc_show' (-12)"
log_since livepatch | grep -qxF "$want" ||
	fail "no '$want' in: $(log_since livepatch | sort | uniq -c)"
! log_since livepatch | grep -q "ftrace handlers for" ||
	fail "a one-function batch logged as a batch: $(log_since livepatch | grep "handlers for")"

# make check runs the first sweep only, for time; FI_ALL=1 runs both.
# CONFIG_LIVEPATCH_LIFECYCLE_API decides which.
is_v2() { wait_until eval '[ "$(last_version)" = 2 ]'; }
if [ "${FI_ALL:-0}" = 1 ]; then
	insmod_ok $TARGET
	if klp_kconfig LIVEPATCH_LIFECYCLE_API; then
		test_start "a registered patch with a module object"
		sweep klp_test_lifecycle is_v3
	else
		test_start "a patch with a module object"
		sweep $TARGET_PATCH is_v2
	fi
	rmmod $TARGET || fail "rmmod $TARGET"
fi

echo "allocations failed: $FAILED"
exit 0
