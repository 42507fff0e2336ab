#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Tracers that rewrite return addresses must not hide a patched function
# from the stack check.  klp_test_target's worker sleeps in msleep()
# called from klp_test_target_func(); the function_graph tracer and a
# kretprobe on msleep() each replace msleep()'s return address, the one
# that points into the patched function, with their own trampoline.  The
# unwinder must translate it back, or call the stack unreliable: the
# transition stays held while the worker is inside, and completes once it
# leaves.  x86_64's unwinder translates both; powerpc's translates
# function_graph's and calls a stack with a kretprobe unreliable (with
# both, either, by the order of the hooks): there
# the worker, which sleeps in msleep() inside the function and out of
# it, cannot switch at all while the kretprobe is on, so the kretprobe
# goes before the worker is let go.
. "$(dirname "$0")/klp-lib.sh"
T=$TARGET
P=$TARGET_PATCH
TR=/sys/kernel/debug/tracing
trap 'tracers_off; klp_cleanup' EXIT

tracers_off() {
	echo nop > $TR/current_tracer
	echo > $TR/set_ftrace_filter
	[ -e $TR/events/kprobes/klp_msleep ] &&
		echo 0 > $TR/events/kprobes/klp_msleep/enable
	echo '-:klp_msleep' >> $TR/kprobe_events 2>/dev/null
	return 0
}

graph_on() {
	echo msleep > $TR/set_ftrace_filter || fail "cannot filter msleep"
	echo function_graph > $TR/current_tracer || fail "no function_graph tracer"
}

kretprobe_on() {
	echo 'r:klp_msleep msleep' >> $TR/kprobe_events || fail "cannot add a kretprobe"
	echo 1 > $TR/events/kprobes/klp_msleep/enable || fail "cannot enable the kretprobe"
}

# with WHAT TRACER...: patch and unpatch while the worker sleeps below
# the patched function with TRACER(s) on.
with() {
	local what=$1 on why=on_stack:klp_test_target_func unreliable=0
	shift
	case "$(uname -m) $*" in
	ppc64*graph_on*kretprobe_on*)
		# Which of the two return hooks msleep() got first decides
		# whether the unwinder sees through both or gives up.
		why="(on_stack:klp_test_target_func|unreliable_stack)" unreliable=1 ;;
	ppc64*kretprobe_on*) why=unreliable_stack unreliable=1 ;;
	esac
	test_start "the stack check under $what"
	insmod_ok $T
	hold_worker 1
	for on in "$@"; do "$on"; done
	# Let the worker go round msleep() with the tracer in place.
	sleep 0.3
	grep -q "msleep" $TR/trace 2>/dev/null || [ "$what" != function_graph ] ||
		fail "function_graph saw no msleep()"
	insmod_ok $P
	sleep 2.5
	expect_eq "$what: patching held" "$(cat $SYSFS/$P/transition)" 1
	expect_left_behind "$what: the worker holds patching" $P \
		"$(pgrep -x klp_test_worker)" klp_test_worker "$why"
	[ $unreliable = 1 ] && tracers_off
	hold_worker 0
	wait_until is_file_value $SYSFS/$P/transition 0 || fail "$what: patching stuck"
	wait_until is_file_value $TARGET_PARAMS/last 2 || fail "$what: new version never ran"
	hold_worker 1
	[ $unreliable = 1 ] && for on in "$@"; do "$on"; done
	sleep 0.3
	echo 0 > $SYSFS/$P/enabled || fail "$what: cannot disable"
	sleep 2.5
	expect_eq "$what: unpatching held" "$(cat $SYSFS/$P/transition)" 1
	[ $unreliable = 1 ] && tracers_off
	hold_worker 0
	wait_until is_gone $SYSFS/$P || fail "$what: unpatching stuck"
	wait_until is_file_value $TARGET_PARAMS/last 1 || fail "$what: old version never came back"
	echo "  ok: $what: both transitions waited for the worker"
	tracers_off
	remove_module $P
	rmmod $T || fail "rmmod $T"
}

with function_graph graph_on
with "a kretprobe" kretprobe_on
with "function_graph and a kretprobe" graph_on kretprobe_on
exit 0
