#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for klp's own selftests.  Each test script sources this file,
# runs from its own directory (modules in test_modules/), and exits 0 on
# success, 1 on failure (with the reason on stderr and in the kernel log).

SYSFS=/sys/kernel/livepatch

# The transition's progress messages are debug messages; show them, but
# not the per-task retry chatter, which repeats every second.
echo 'file kernel/livepatch/* +p' > /sys/kernel/debug/dynamic_debug/control
echo 'func klp_try_switch_task -p' > /sys/kernel/debug/dynamic_debug/control

fail() {
	echo "FAIL: $*" >&2
	echo "klp selftest FAIL: $*" > /dev/kmsg
	exit 1
}

note() { echo "klp selftest: $*" > /dev/kmsg; echo "  $*"; }

# wait_until CMD...: poll for up to 30 s.
wait_until() {
	local i
	for i in $(seq 300); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# klp_kconfig NAME: is CONFIG_NAME=y in the running kernel?  Tests of a
# build option check what the kernel was built with, from /proc/config.gz
# (CONFIG_IKCONFIG_PROC, in this directory's config), rather than infer it
# from what the kernel shows, which is what they test.  Without it a test
# cannot know what to expect, and fails.
klp_kconfig() {
	[ -r /proc/config.gz ] ||
		fail "no /proc/config.gz: the kernel needs CONFIG_IKCONFIG_PROC"
	zcat /proc/config.gz | grep -qx "CONFIG_$1=y"
}

is_file_value() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
is_gone() { [ ! -e "$1" ]; }
module_loaded() { grep -q "^$1 " /proc/modules; }
module_gone() { ! module_loaded "$1"; }

insmod_ok() {
	local mod=$1; shift
	insmod "test_modules/$mod.ko" "$@" || fail "insmod $mod $*"
}

# load_patch MOD [PARAMS]: load a patch module and wait for its transition.
load_patch() {
	insmod_ok "$@"
	wait_until is_file_value "$SYSFS/$1/transition" 0 ||
		fail "patch $1: transition did not finish"
}

# disable_patch MOD: disable through sysfs and wait for the directory to go.
disable_patch() {
	echo 0 > "$SYSFS/$1/enabled" || fail "cannot disable $1"
	wait_until is_gone "$SYSFS/$1" || fail "patch $1: sysfs stayed"
}

remove_module() {
	wait_until is_file_value "/sys/module/$1/refcnt" 0 ||
		fail "module $1 stays referenced"
	rmmod "$1" || fail "rmmod $1"
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
	echo "  ok: $1"
}

# expect_write_fails VALUE FILE ERRNO_TEXT: a write must fail with that error.
expect_write_fails() {
	local out
	out=$( (printf '%s' "$1" > "$2") 2>&1) && fail "writing '${1:0:20}' to $2 succeeded"
	case "$out" in
	*"$3"*) echo "  ok: '${1:0:20}' > ${2#"$SYSFS"/} fails: $3" ;;
	*) fail "writing '${1:0:20}' to $2: '$out', expected '$3'" ;;
	esac
}

# Leave the guest clean for the next script even when this one fails:
# disable our patches, release held workers, unload our modules.
klp_cleanup() {
	local p m
	for p in $SYSFS/klp_test_*; do
		[ -e "$p/enabled" ] && echo 0 > "$p/enabled" 2>/dev/null
	done
	[ -e /sys/module/klp_test_target/parameters/hold ] &&
		echo 0 > /sys/module/klp_test_target/parameters/hold
	for p in $SYSFS/klp_test_*; do
		wait_until is_gone "$p"
	done
	for m in $(awk '/^klp_test_/ {print $1}' /proc/modules); do
		case $m in *_patch|klp_test_cmdline_*) rmmod "$m" 2>/dev/null ;; esac
	done
	module_loaded klp_test_target && rmmod klp_test_target 2>/dev/null
	return 0
}
trap klp_cleanup EXIT

# mark; ...; dmesg_since: the kernel log since the mark, and log_since
# PREFIX...: its lines whose text starts with one of PREFIX (e.g.
# "livepatch" or a module name).
mark() {
	MARK="klp selftest mark $RANDOM$RANDOM"
	echo "$MARK" > /dev/kmsg
}
dmesg_since() {
	dmesg | sed 's/^\[[ 0-9.]*\] //' | awk -v m="$MARK" 'p; $0 == m {p=1}'
}
log_since() {
	local re; re=$(IFS='|'; echo "$*")
	dmesg_since | grep -E "^($re): " | grep -vE '(taints|tainting) kernel'
}
# expect_quiet_kernel WHAT: no warning, splat or oops since the mark.
expect_quiet_kernel() {
	if dmesg_since | grep -E -A4 '^(WARNING:|BUG:|Oops|.*cut here)'; then
		fail "$1: the kernel complained"
	fi
}
# expect_log EXPECTED WHAT PREFIX...
expect_log() {
	local want=$1 what=$2 got
	shift 2
	got=$(log_since "$@")
	[ "$got" = "$want" ] || fail "$what: the log differs
--- expected
$want
--- got
$got"
	echo "  ok: $what"
}

# expect_left_behind WHAT PATCH TID COMM WHY: the open transition of PATCH
# waits for task TID.  With CONFIG_LIVEPATCH_TRANSITION_INFO, pending_tasks
# names it as "TID (COMM) WHY", WHY an extended regular expression for the
# reason; without it, which is the core of the series (and upstream), the
# task's patch_state only shows that it has not switched.
expect_left_behind() {
	local what=$1 p=$2 tid=$3 comm=$4 why=$5 pending state target i
	if klp_kconfig LIVEPATCH_TRANSITION_INFO; then
		# A task caught on a CPU shows as "running": its stack cannot
		# be read then.  Ask again, a few times, for the reason.
		for i in $(seq 20); do
			pending=$(cat "$SYSFS/$p/pending_tasks")
			if grep -Eq "^$tid \($comm\) $why " <<< "$pending"; then
				echo "  ok: $what: pending_tasks says '$tid ($comm) $why'"
				return
			fi
			sleep 0.1
		done
		fail "$what: pending_tasks lacks '$tid ($comm) $why': $pending"
	fi
	[ ! -e "$SYSFS/$p/pending_tasks" ] ||
		fail "$what: pending_tasks without CONFIG_LIVEPATCH_TRANSITION_INFO"
	target=$(cat "$SYSFS/$p/enabled")
	state=$(cat "/proc/$tid/patch_state")
	[ "$state" = $((1 - target)) ] ||
		fail "$what: $tid ($comm) has patch_state $state, not $((1 - target))"
	echo "  ok: $what: $tid ($comm) has not switched (no pending_tasks to say why)"
}

# The held-worker pair: klp_test_target and its patch (see test_modules/).
TARGET=klp_test_target
TARGET_PATCH=klp_test_target_patch
TARGET_PARAMS=/sys/module/$TARGET/parameters
hold_worker() { echo "$1" > $TARGET_PARAMS/hold; }
last_version() { cat $TARGET_PARAMS/last; }

# start_hammers N: N tasks calling getpid() flat out, their pids in
# HAMMERS; they are killed on exit, before the usual cleanup.
start_hammers() {
	local i
	HAMMERS=()
	for i in $(seq "$1"); do
		./getpid-hammer &
		HAMMERS+=($!)
	done
	trap 'kill ${HAMMERS[*]} 2>/dev/null; klp_cleanup' EXIT
}

test_start() {
	echo "TEST: $*"
	note "===== $* ====="
}
