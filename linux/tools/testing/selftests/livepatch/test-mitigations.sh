#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The speculation mitigations that rewrite returns and indirect branches
# are in force, so that the tests run after this one in the same guest
# exercise the direct-call dispatcher and BPF trampolines under them: the
# dispatcher's RET goes through the return thunk with call-depth
# accounting (retbleed=stuff), and ITS is forced on.
#
# make check boots its x86_64 kernel (harness/config/mitigations.config)
# for that on an Intel CPU model with "spectre_v2=retpoline
# retbleed=stuff indirect_target_selection=force"; on any other boot this
# test reports a skip.  Then a patch of a hot function is enabled, used,
# and disabled with the mitigations active.
. "$(dirname "$0")/klp-lib.sh"
V=/sys/devices/system/cpu/vulnerabilities
DIRECT=/sys/kernel/debug/livepatch/direct_calls
P=klp_test_getpid_patch

case " $(cat /proc/cmdline) " in
*" retbleed=stuff "*) ;;
*)	echo "SKIP: not booted with retbleed=stuff"; exit 4 ;;
esac

# expect_vuln FILE PATTERN: the kernel reports that mitigation.
expect_vuln() {
	local got
	got=$(cat "$V/$1" 2>/dev/null)
	case "$got" in
	*$2*) echo "  ok: $1: $got" ;;
	*) fail "$1: '$got', expected '$2'" ;;
	esac
}

test_start "the mitigations are in force"
expect_vuln spectre_v2 "Retpolines"
expect_vuln retbleed "Stuffing"
expect_vuln indirect_target_selection "Mitigation"

test_start "a patched system call through the dispatcher, mitigated"
mark
load_patch $P
wait_until grep -qE "^__(x64_sys|do_sys)_getpid " $DIRECT ||
	fail "getpid did not settle on a direct call"
n=$(./getpid-hammer 100000)
[ "$n" -gt 0 ] || fail "getpid returned '$n'"
calls=$(cat /sys/module/$P/parameters/calls)
[ "$calls" -ge 100000 ] || fail "the patched getpid ran $calls times for 100000 calls"
echo "  ok: the patched getpid ran $calls times"
disable_patch $P
remove_module $P
expect_quiet_kernel "the dispatcher under retbleed=stuff and ITS"
