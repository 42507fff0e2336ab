#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Direct calls (CONFIG_LIVEPATCH_DIRECT_CALLS).  Once a transition is over,
# a patched function's call site, where klp is ftrace's only user, calls
# klp's dispatcher ("tramp: klp_direct_dispatch" in enabled_functions),
# which finds the new function in the table of direct calls
# (debugfs livepatch/direct_calls) and goes there without the handler.
# Every transition that concerns the function takes it out of the table:
# stacking, disabling, a transition held by a sleeping kthread.  A module
# function goes direct too, and its module may leave and come back.  The
# function tracer shares a direct site: ftrace then calls its own
# trampoline and the handler there, and the dispatcher again once the
# tracer is gone; meanwhile other sites still settle.  A kprobe that
# changes the instruction pointer is refused there.  Only x86_64 has
# direct calls, and only with CONFIG_LIVEPATCH_DIRECT_CALLS: elsewhere
# every settled site must stay on the handler, and the same steps check
# that.
. "$(dirname "$0")/klp-lib.sh"
EF=/sys/kernel/debug/tracing/enabled_functions
TR=/sys/kernel/debug/tracing
DC=/sys/kernel/debug/livepatch/direct_calls
F=cmdline_proc_show
TF=klp_test_target_func
# FUNC's line in enabled_functions, empty when ftrace does not trace it.
ef_line() { awk -v f="$1" '$1 == f' $EF; }
# "function [module] -> new function [module]" lines.
in_table() { [ -e $DC ] && grep -Eq "^$1( \[[a-z0-9_]+\])? -> " $DC; }
# klp alone at FUNC, changing the instruction pointer.
klp_only() { ef_line "$1" | grep -Eq "^$1( \[[a-z0-9_]+\])? \(1\) +I "; }
dispatched() { klp_only "$1" && ef_line "$1" | grep -q "tramp: klp_direct_dispatch"; }
is_direct() { dispatched "$1" && in_table "$1"; }
on_handler() { ef_line "$1" | grep -q " I " && ! in_table "$1"; }
untraced() { [ -z "$(ef_line "$1")" ]; }
flags() { ef_line "$1"; in_table "$1" && echo "(in the table)"; }
if klp_kconfig LIVEPATCH_DIRECT_CALLS; then
	settled() { is_direct "$1"; }
	SETTLED=direct PER_ROUND=64
else
	settled() { on_handler "$1"; }
	SETTLED=handler PER_ROUND=0
fi
expect_state() {
	wait_until "$2" "$3" || fail "$1: $3 is $(flags "$3")"
	echo "  ok: $1"
}
cleanup() {
	echo nop > $TR/current_tracer 2>/dev/null
	echo > $TR/set_ftrace_filter 2>/dev/null
	rmmod klp_test_kprobe 2>/dev/null
	klp_cleanup
	rmmod klp_test_many 2>/dev/null
}
trap cleanup EXIT

test_start "a settled patch is called directly"
untraced $F || fail "$F traced before the test: $(flags $F)"
load_patch klp_test_cmdline_a
expect_eq "transition over: $SETTLED" "$(settled $F && echo $SETTLED)" $SETTLED
expect_eq "the new function runs" "$(cat /proc/cmdline)" klp_test_cmdline_a

test_start "a patch stacked on it goes through the handler, then direct"
load_patch klp_test_cmdline_b
expect_eq "the top patch runs" "$(cat /proc/cmdline)" klp_test_cmdline_b
expect_state "$SETTLED again, to the top patch" settled $F

test_start "the function tracer shares a direct site"
echo $F > $TR/set_ftrace_filter
echo function > $TR/current_tracer
echo > $TR/trace
expect_eq "still the top patch" "$(cat /proc/cmdline)" klp_test_cmdline_b
grep -q " $F <-" $TR/trace || fail "the tracer did not see $F"
echo "  ok: the tracer saw $F"
ef_line $F | grep -q "^$F (2)" || fail "not shared: $(flags $F)"
! ef_line $F | grep -q klp_direct_dispatch || fail "dispatcher while shared: $(flags $F)"
echo "  ok: ftrace calls its own trampoline while the site is shared"
# Another patch settles meanwhile: the shared site blocks nothing.
insmod_ok klp_test_target
load_patch klp_test_target_patch
expect_state "another site goes $SETTLED meanwhile" settled $TF
disable_patch klp_test_target_patch
remove_module klp_test_target_patch
rmmod klp_test_target
echo nop > $TR/current_tracer
echo > $TR/set_ftrace_filter
expect_state "$SETTLED alone again" settled $F

test_start "ftrace cannot be switched off under a settled patch"
expect_write_fails 0 /proc/sys/kernel/ftrace_enabled "Device or resource busy"
expect_eq "ftrace still on" "$(cat /proc/sys/kernel/ftrace_enabled)" 1
expect_eq "the patch still runs" "$(cat /proc/cmdline)" klp_test_cmdline_b

test_start "a kprobe that changes the ip is refused at a patched site"
expect_eq "kprobe with post_handler" \
	"$(./load-module test_modules/klp_test_kprobe.ko symbol=$F)" "errno 16"
expect_eq "the patch still runs" "$(cat /proc/cmdline)" klp_test_cmdline_b

test_start "disabling goes through the handler, back to direct below"
disable_patch klp_test_cmdline_b
expect_eq "the patch below runs" "$(cat /proc/cmdline)" klp_test_cmdline_a
expect_state "$SETTLED to the patch below" settled $F
disable_patch klp_test_cmdline_a
expect_state "no patch: the site is released" untraced $F
[ "$(cat /proc/cmdline)" != klp_test_cmdline_a ] || fail "still patched"
remove_module klp_test_cmdline_a
remove_module klp_test_cmdline_b
expect_eq "the kprobe is accepted again" \
	"$(./load-module test_modules/klp_test_kprobe.ko symbol=$F)" "errno 0"
rmmod klp_test_kprobe

test_start "a held transition stays on the handler"
insmod_ok klp_test_target
echo 1 > /sys/module/klp_test_target/parameters/hold
sleep 0.2
insmod_ok klp_test_target_patch
sleep 0.5
expect_eq "transition held" "$(cat $SYSFS/klp_test_target_patch/transition)" 1
expect_eq "handler during the transition" "$(on_handler $TF && echo handler)" handler
echo 0 > /sys/module/klp_test_target/parameters/hold
wait_until is_file_value $SYSFS/klp_test_target_patch/transition 0 ||
	fail "transition did not finish"
expect_eq "a module function: $SETTLED" "$(settled $TF && echo $SETTLED)" $SETTLED
wait_until is_file_value /sys/module/klp_test_target/parameters/last 2 ||
	fail "new version not running"
echo "  ok: the new version runs"

disable_patch klp_test_target_patch
expect_state "released" untraced $TF
wait_until is_file_value /sys/module/klp_test_target/parameters/last 1 ||
	fail "old version not back"
echo "  ok: the old version runs"
remove_module klp_test_target_patch
rmmod klp_test_target

# many_direct N: wait until N of klp_test_many's functions call directly
# (is_direct, for all of them in one pass: a process per function per
# poll is slow under emulation).
many_direct() {
	local i n=0 dc=$DC
	[ -e "$dc" ] || dc=/dev/null
	for i in $(seq 300); do
		n=$(awk -v dc="$dc" 'BEGIN {
				while ((getline l < dc) > 0) {
					split(l, f, " ")
					in_table[f[1]] = 1
				}
			}
			$1 ~ /^klp_test_many_fn_/ && / \(1\) +I / &&
			/tramp: klp_direct_dispatch/ && ($1 in in_table) { n++ }
			END { print n + 0 }' $EF)
		[ "$n" = "$1" ] && break
		sleep 0.1
	done
	echo "$n"
}
many_sum() { cat /sys/module/klp_test_many/parameters/sum; }

test_start "a patched module leaves and comes back"
insmod_ok klp_test_many
load_patch klp_test_many_patch1
expect_eq "64 functions: $PER_ROUND direct calls" "$(many_direct $PER_ROUND)" $PER_ROUND
rmmod klp_test_many
expect_eq "the module's sites are released" "$(grep -c "^klp_test_many_fn_" $EF)" 0
insmod_ok klp_test_many
expect_eq "patched again as it comes" "$(many_sum)" 128
expect_eq "$PER_ROUND direct calls on the new copy" "$(many_direct $PER_ROUND)" $PER_ROUND
disable_patch klp_test_many_patch1
remove_module klp_test_many_patch1
expect_eq "all original" "$(many_sum)" 64

test_start "the table empties and fills: 4 rounds of 64 functions"
for round in 1 2 3 4; do
	load_patch klp_test_many_patch1
	expect_eq "round $round: $PER_ROUND direct calls" "$(many_direct $PER_ROUND)" $PER_ROUND
	expect_eq "round $round: all patched" "$(many_sum)" 128
	disable_patch klp_test_many_patch1
	remove_module klp_test_many_patch1
	expect_eq "round $round: none traced" "$(grep -c "^klp_test_many_fn_" $EF)" 0
	[ ! -e $DC ] || expect_eq "round $round: none in the table" \
		"$(grep -c "^klp_test_many_fn_" $DC)" 0
done
rmmod klp_test_many
exit 0
