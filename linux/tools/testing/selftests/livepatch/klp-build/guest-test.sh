#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loads the modules run-build.sh made, in a guest running the kernel they
# were built for, and checks that each patched function behaves as the
# patch says.  Run as root from the directory holding the .ko files:
#
#   guest-test.sh [MODULE_DIR]
#
# MODULE_DIR also holds kobject-example.ko for the module test.

cd "${1:-$(dirname "$0")}" || exit 1
fail=0
sysfs=/sys/kernel/livepatch

ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

settle() {	# patch name
	local i
	for i in $(seq 100); do
		[ "$(cat "$sysfs/$1/transition" 2>/dev/null)" = 1 ] || return 0
		sleep 0.1
	done
	bad "$1: transition did not finish"
}

load() {	# file.ko
	local name
	name=$(basename "$1" .ko | tr - _)
	if insmod "$1"; then
		settle "$name"
		ok "$1 loaded"
	else
		bad "$1 did not load"
		dmesg | tail -20
	fi
}

unload() {	# file.ko
	local name
	name=$(basename "$1" .ko | tr - _)
	echo 0 > "$sysfs/$name/enabled" || bad "$name: cannot disable"
	settle "$name"
	for _ in $(seq 50); do
		rmmod "$name" 2>/dev/null && { ok "$name unloaded"; return; }
		sleep 0.1
	done
	bad "$name: cannot unload"
}

expect() {	# file regex what
	if grep -Eq -- "$2" "$1"; then ok "$3"; else bad "$3"; cat "$1"; fi
}

expect_not() {
	if grep -Eq -- "$2" "$1"; then bad "$3"; cat "$1"; else ok "$3"; fi
}

expect_not /proc/cmdline klp_build_marker "cmdline unpatched before"
load livepatch-cmdline.ko
expect /proc/cmdline 'klp_build_marker=cmdline' "cmdline_proc_show replaced"
unload livepatch-cmdline.ko
expect_not /proc/cmdline klp_build_marker "cmdline restored"

load livepatch-filesystems.ko
n=$(grep -vc klp_build_marker /proc/filesystems)
expect /proc/filesystems "klp_build_marker_${n}_proc" \
	"filesystems_proc_show replaced (static callee and static data reached)"
unload livepatch-filesystems.ko

if [ -f livepatch-warn-once.ko ]; then
	load livepatch-warn-once.ko
	expect /proc/filesystems "klp_build_marker_" \
		"filesystems_proc_show with a new WARN_ONCE() replaced"
	unload livepatch-warn-once.ko
fi

load livepatch-consoles.ko
expect /proc/consoles 'klp_build_marker consoles' "c_start (old_sympos 2) replaced"
unload livepatch-consoles.ko

if [ -f livepatch-kobject.ko ] && [ -f kobject-example.ko ]; then
	# patch first, module later: relocations applied when it comes
	load livepatch-kobject.ko
	insmod kobject-example.ko || bad "kobject-example did not load"
	expect /sys/kernel/kobject_example/foo 'klp_build_marker' \
		"foo_show replaced in a module loaded after the patch"
	rmmod kobject_example
	insmod kobject-example.ko
	expect /sys/kernel/kobject_example/foo 'klp_build_marker' \
		"foo_show replaced again after the module was reloaded"
	unload livepatch-kobject.ko
	expect_not /sys/kernel/kobject_example/foo 'klp_build_marker' \
		"foo_show restored"
	rmmod kobject_example
fi

if [ -f livepatch-all.ko ]; then
	load livepatch-all.ko
	expect /proc/cmdline 'klp_build_marker=cmdline' "all: cmdline"
	expect /proc/consoles 'klp_build_marker consoles' "all: consoles"
	expect /proc/filesystems 'klp_build_marker_' "all: filesystems"
	unload livepatch-all.ko
fi

dmesg | grep -iE 'livepatch|klp' | tail -30
dmesg | grep -E 'BUG|WARNING|Oops' && bad "kernel complained"
[ $fail = 0 ] && echo "PASS" || echo "FAILED"
exit $fail
