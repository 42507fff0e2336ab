#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loads the modules run-build.sh made, in a guest running the kernel they
# were built for, and checks that each patched function behaves as the
# patch says: load, see the effect, complete the transition, disable,
# see it undone, unload, and no warning in the kernel log.  As root:
#
#   guest-test.sh [-d MODULE_DIR] [TEST...]
#
# TESTs (default: all): cmdline filesystems warn-once consoles
# new-function static-local inline shadow-hooks cumulative kobject-after
# kobject-before all.  A test whose module is missing is skipped.
# MODULE_DIR (default: where this script is) also holds
# kobject-example.ko for the kobject tests.
# Exit: 0 all passed, 1 a failure, 4 everything asked for was skipped.

dir=$(dirname "$0")
if [ "${1:-}" = -d ]; then
	dir=$2
	shift 2
fi
cd "$dir" || exit 1
sysfs=/sys/kernel/livepatch
fail=0
ran=0
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(cmdline filesystems warn-once consoles
	new-function static-local inline shadow-hooks cumulative
	kobject-after kobject-before all)

ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

settle() {	# patch name
	local _
	for _ in $(seq 300); do
		[ "$(cat "$sysfs/$1/transition" 2>/dev/null)" = 1 ] || return 0
		sleep 0.1
	done
	bad "$1: transition did not finish"
	return 1
}

modname() { basename "$1" .ko | tr - _; }

load() {	# file.ko
	local name
	name=$(modname "$1")
	if insmod "$1"; then
		settle "$name" && ok "$1 loaded, transition complete"
	else
		bad "$1 did not load"
		dmesg | tail -20
		return 1
	fi
}

disable() {	# file.ko
	local name
	name=$(modname "$1")
	echo 0 > "$sysfs/$name/enabled" || bad "$name: cannot disable"
	settle "$name" && ok "$name disabled, transition complete"
}

unload() {	# file.ko: rmmod, once livepatch let the module go
	local name _
	name=$(modname "$1")
	for _ in $(seq 50); do
		rmmod "$name" 2>/dev/null && { ok "$name unloaded"; return; }
		sleep 0.1
	done
	bad "$name: cannot unload"
}

undo() { disable "$1"; unload "$1"; }

expect() {	# file regex what
	if grep -Eq -- "$2" "$1"; then ok "$3"; else bad "$3"; cat "$1"; fi
}

expect_not() {
	if grep -Eq -- "$2" "$1"; then bad "$3"; cat "$1"; else ok "$3"; fi
}

have() {	# module files a test needs; skips the test without them
	local f
	for f in "$@"; do
		if [ ! -f "$f" ]; then
			echo "skip: $f not here"
			return 1
		fi
	done
	ran=$((ran + 1))
}

log_has() { dmesg | grep -cE -- "$1"; }

t_cmdline() {
	have livepatch-cmdline.ko || return
	expect_not /proc/cmdline klp_build_marker "cmdline unpatched before"
	load livepatch-cmdline.ko || return
	expect /proc/cmdline 'klp_build_marker=cmdline$' \
		"cmdline_proc_show replaced"
	undo livepatch-cmdline.ko
	expect_not /proc/cmdline klp_build_marker "cmdline restored"
}

t_filesystems() {
	local n
	have livepatch-filesystems.ko || return
	load livepatch-filesystems.ko || return
	n=$(grep -vc klp_build_marker /proc/filesystems)
	expect /proc/filesystems "klp_build_marker_${n}_proc" \
		"filesystems_proc_show replaced (static callee and static data reached)"
	undo livepatch-filesystems.ko
	expect_not /proc/filesystems klp_build_marker "filesystems restored"
}

t_warn_once() {
	have livepatch-warn-once.ko || return
	load livepatch-warn-once.ko || return
	expect /proc/filesystems "klp_build_marker_" \
		"filesystems_proc_show with a new WARN_ONCE() replaced"
	undo livepatch-warn-once.ko
}

t_consoles() {
	have livepatch-consoles.ko || return
	load livepatch-consoles.ko || return
	expect /proc/consoles 'klp_build_marker consoles' \
		"c_start (old_sympos 2) replaced"
	undo livepatch-consoles.ko
	expect_not /proc/consoles klp_build_marker "consoles restored"
}

t_new_function() {
	have livepatch-new-function.ko || return
	load livepatch-new-function.ko || return
	expect /proc/version 'klp_build_marker new_function' \
		"version_proc_show calls a function new in the module"
	undo livepatch-new-function.ko
	expect_not /proc/version klp_build_marker "version restored"
}

# __set_oom_adj()'s pr_warn_once() flag is a static local: the patched
# function must use the kernel's, so that after the patch set it the
# original, back in place, stays silent.
t_static_local() {
	local old='oom_adj is deprecated, please' new='deprecated \(klp_build_marker\)'
	have livepatch-static-local.ko || return
	if [ "$(log_has "$old")" != 0 ]; then
		echo "skip: the oom_adj warning was already printed"
		ran=$((ran - 1))
		return
	fi
	load livepatch-static-local.ko || return
	echo 0 > /proc/$$/oom_adj
	echo 0 > /proc/$$/oom_adj
	[ "$(log_has "$new")" = 1 ] && ok "patched __set_oom_adj warned once" ||
		bad "patched __set_oom_adj: $(log_has "$new") warnings, want 1"
	undo livepatch-static-local.ko
	echo 0 > /proc/$$/oom_adj
	[ "$(log_has "$old")" = 0 ] &&
		ok "the original's once flag is the one the patch set" ||
		bad "the original warned again: the patch had its own flag"
}

t_inline() {
	have livepatch-inline.ko || return
	load livepatch-inline.ko || return
	expect /proc/self/status 'CoreDumping:.*klp_build_marker inline' \
		"proc_pid_status replaced for its inlined task_core_dumping()"
	undo livepatch-inline.ko
	expect_not /proc/self/status klp_build_marker "status restored"
}

t_shadow_hooks() {
	local a b
	have livepatch-shadow-hooks.ko || return
	load livepatch-shadow-hooks.ko || return
	[ "$(log_has 'klp_build_hooks: pre_patch')" -ge 1 ] &&
		ok "pre_patch hook ran" || bad "pre_patch hook did not run"
	[ "$(log_has 'klp_build_hooks: post_patch, state 7 version 2')" -ge 1 ] &&
		ok "post_patch hook ran and found klp_state 7 version 2" ||
		bad "post_patch hook or state missing"
	a=$(sed -n 's/.*klp_build_reads=\([0-9]*\).*/\1/p' /proc/cmdline)
	b=$(sed -n 's/.*klp_build_reads=\([0-9]*\).*/\1/p' /proc/cmdline)
	if [ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]; then
		ok "shadow counter kept across reads ($a, $b)"
	else
		bad "shadow counter: '$a' then '$b'"
	fi
	undo livepatch-shadow-hooks.ko
	[ "$(log_has 'klp_build_hooks: pre_unpatch')" -ge 1 ] &&
		ok "pre_unpatch hook ran" || bad "pre_unpatch hook did not run"
	[ "$(log_has 'klp_build_hooks: post_unpatch, shadow variables freed')" -ge 1 ] &&
		ok "post_unpatch hook freed the shadow variables" ||
		bad "post_unpatch hook did not run"
	expect_not /proc/cmdline klp_build "cmdline restored"
}

t_cumulative() {
	have livepatch-cmdline.ko livepatch-cumulative.ko || return
	load livepatch-cmdline.ko || return
	expect /proc/cmdline 'klp_build_marker=cmdline$' "first patch"
	load livepatch-cumulative.ko || return
	expect /proc/cmdline 'klp_build_marker=cmdline2$' \
		"the cumulative patch replaced it"
	expect /proc/consoles 'klp_build_marker consoles' \
		"and added its own function"
	[ -d "$sysfs/livepatch_cmdline" ] &&
		bad "the replaced patch is still listed" ||
		ok "the replaced patch is gone from $sysfs"
	unload livepatch-cmdline.ko
	undo livepatch-cumulative.ko
	expect_not /proc/cmdline klp_build_marker "cmdline restored"
	expect_not /proc/consoles klp_build_marker "consoles restored"
}

t_kobject_after() {
	local foo=/sys/kernel/kobject_example/foo
	have livepatch-kobject.ko kobject-example.ko || return
	# patch first, module later: relocations applied when it comes
	load livepatch-kobject.ko || return
	insmod kobject-example.ko || bad "kobject-example did not load"
	expect $foo klp_build_marker \
		"foo_show replaced in a module loaded after the patch"
	rmmod kobject_example
	insmod kobject-example.ko
	expect $foo klp_build_marker \
		"foo_show replaced again after the module was reloaded"
	undo livepatch-kobject.ko
	expect_not $foo klp_build_marker "foo_show restored"
	rmmod kobject_example
}

t_kobject_before() {
	local foo=/sys/kernel/kobject_example/foo
	have livepatch-kobject.ko kobject-example.ko || return
	insmod kobject-example.ko || { bad "kobject-example did not load"; return; }
	expect_not $foo klp_build_marker "foo_show unpatched before"
	load livepatch-kobject.ko
	expect $foo klp_build_marker \
		"foo_show replaced in a module loaded before the patch"
	undo livepatch-kobject.ko
	expect_not $foo klp_build_marker "foo_show restored"
	rmmod kobject_example || bad "kobject_example: cannot unload"
}

t_all() {
	have livepatch-all.ko || return
	load livepatch-all.ko || return
	expect /proc/cmdline 'klp_build_marker=cmdline' "all: cmdline"
	expect /proc/consoles 'klp_build_marker consoles' "all: consoles"
	expect /proc/filesystems 'klp_build_marker_' "all: filesystems"
	if [ -f kobject-example.ko ]; then
		insmod kobject-example.ko
		expect /sys/kernel/kobject_example/foo klp_build_marker \
			"all: kobject_example"
		rmmod kobject_example
	fi
	undo livepatch-all.ko
}

BAD='WARNING:|BUG:|Oops|general protection|INFO: task .* blocked'
before=$(dmesg | grep -cE "$BAD")
for t in "${tests[@]}"; do
	echo "--- klp-build: $t"
	fn=t_${t//-/_}
	if ! declare -F "$fn" > /dev/null; then
		bad "no test $t"
		continue
	fi
	"$fn"
done
if [ "$(dmesg | grep -cE "$BAD")" != "$before" ]; then
	dmesg | grep -E -A20 "$BAD" | tail -40
	bad "the kernel complained"
fi
dmesg | grep -iE 'livepatch|klp' | tail -20
if [ $fail != 0 ]; then
	echo "FAILED"
	exit 1
fi
if [ $ran = 0 ]; then
	echo "SKIPPED"
	exit 4
fi
echo "PASS"
exit 0
