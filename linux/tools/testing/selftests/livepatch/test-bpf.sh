#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# BPF trampolines on a patched function.  fentry, fexit and fmod_ret
# programs on getpid, attached before the patch (with and without another
# patch enabled) and while it is settled, run through enabling, both
# directions of a transition held open, and disabling.  Each step checks
# the program's count and which version of getpid ran (klp_test_bpf_patch
# counts the calls of its version), and fexit checks every return value:
# fexit and fmod_ret programs call the function themselves, and must call
# the version the calling task's universe says.  A fresh process forked
# by this shell shares the shell's universe, which is the new one once
# the shell has made a system call.  The 6.12 base has BPF trampolines on
# x86_64 only: elsewhere the test reports a skip, as not applicable.
. "$(dirname "$0")/klp-lib.sh"
[ "$(uname -m)" = x86_64 ] || { echo "SKIP: no BPF trampolines on $(uname -m)"; exit 4; }
[ -e /sys/kernel/btf/vmlinux ] || fail "no kernel BTF: the config lacks DEBUG_INFO_BTF"
mountpoint -q /sys/fs/bpf || mount -t bpf none /sys/fs/bpf || fail "no bpffs"

# The programs attach to getpid by the name in the kernel's BTF: on
# x86_64, __x64_sys_getpid, which the patch replaces, is an alias of it.
F=__do_sys_getpid
P=klp_test_bpf_patch
KINDS=${BPF_KINDS:-fentry fexit fmod_ret}
trap 'for k in $KINDS; do ./bpf-attach detach $k > /dev/null 2>&1; done; klp_cleanup' EXIT

bpf_calls() { ./bpf-attach show "$1" | awk '{print $2}'; }
bpf_wrong() { ./bpf-attach show "$1" | awk '{print $4}'; }
patch_calls() { cat /sys/module/$P/parameters/calls 2>/dev/null || echo 0; }

# calls KIND VERSION WHAT: 100 getpid calls from a fresh process run
# through the program, and VERSION (new or old) of getpid.
calls() {
	local kind=$1 version=$2 what=$3 b p
	b=$(bpf_calls "$kind")
	p=$(patch_calls)
	./getpid-hammer 100 > /dev/null
	[ "$(($(bpf_calls "$kind") - b))" -ge 100 ] ||
		fail "$kind, $what: the program ran $(($(bpf_calls "$kind") - b)) of 100 times"
	case $version in
	new) [ "$(($(patch_calls) - p))" -ge 100 ] ||
		fail "$kind, $what: the new getpid ran $(($(patch_calls) - p)) of 100 times" ;;
	old) [ "$(patch_calls)" = "$p" ] ||
		fail "$kind, $what: the new getpid ran $(($(patch_calls) - p)) times" ;;
	esac
	[ "$(bpf_wrong "$kind")" = 0 ] ||
		fail "$kind, $what: getpid returned $(bpf_wrong "$kind") wrong pids"
	echo "  ok: $kind, $what: the program ran, and the $version getpid"
}

attach() {
	expect_eq "$1 attached to $F" "$(./bpf-attach attach "$1" $F)" "errno 0"
}

# transitions KIND: enable and disable the patch, each held open by the
# worker for a while, under the program.
transitions() {
	local kind=$1
	hold_worker 1
	sleep 0.2
	insmod_ok $P
	sleep 0.5
	expect_eq "$kind: patching held open" "$(cat $SYSFS/$P/transition)" 1
	calls "$kind" new "during patching"
	hold_worker 0
	wait_until is_file_value $SYSFS/$P/transition 0 || fail "$kind: patching stuck"
	calls "$kind" new "patched"
	hold_worker 1
	sleep 0.2
	echo 0 > $SYSFS/$P/enabled || fail "$kind: cannot disable"
	sleep 0.5
	expect_eq "$kind: unpatching held open" "$(cat $SYSFS/$P/transition)" 1
	calls "$kind" old "during unpatching"
	hold_worker 0
	wait_until is_gone $SYSFS/$P || fail "$kind: unpatching stuck"
	calls "$kind" old "unpatched"
	remove_module $P
}

insmod_ok $TARGET
for kind in $KINDS; do
	test_start "$kind attached before the patch"
	attach "$kind"
	calls "$kind" old "no patch yet"
	transitions "$kind"
	./bpf-attach detach "$kind" || fail "detach $kind"

	# Another patch's functions keep klp's ftrace_ops busy: the new
	# patch's must still make ftrace ask the BPF trampoline to share.
	test_start "$kind attached before the patch, another patch enabled"
	insmod_ok klp_test_many
	load_patch klp_test_many_patch1
	attach "$kind"
	transitions "$kind"
	./bpf-attach detach "$kind" || fail "detach $kind"
	disable_patch klp_test_many_patch1
	remove_module klp_test_many_patch1
	rmmod klp_test_many

	test_start "$kind attached to a patched, settled function"
	load_patch $P
	attach "$kind"
	calls "$kind" new "attached to the patched getpid"
	disable_patch $P
	calls "$kind" old "after disabling"
	remove_module $P
	./bpf-attach detach "$kind" || fail "detach $kind"
	calls_none=$(patch_calls)
	[ "$calls_none" = 0 ] || fail "the patch module is still there"
done
rmmod $TARGET
exit 0
