#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The order of callbacks around transitions and module arrival/departure,
# and the clean refusals when pre_patch fails.
. "$(dirname "$0")/klp-lib.sh"
P=klp_test_cb_patch
T=klp_test_cb_target
cmdline=$(cat /proc/cmdline)

enable_log="livepatch: enabling patch '$P'
livepatch: '$P': initializing patching transition
$P: pre_patch vmlinux -
livepatch: '$P': starting patching transition
livepatch: '$P': completing patching transition
$P: post_patch vmlinux -
livepatch: '$P': patching complete"
disable_log="livepatch: '$P': initializing unpatching transition
$P: pre_unpatch vmlinux -
livepatch: '$P': starting unpatching transition
livepatch: '$P': completing unpatching transition
$P: post_unpatch vmlinux -
livepatch: '$P': unpatching complete"

test_start "the module comes and goes while the patch is enabled"
mark
load_patch $P
insmod_ok $T
remove_module $T
disable_patch $P
remove_module $P
expect_log "$enable_log
livepatch: applying patch '$P' to loading module '$T'
$P: pre_patch $T coming
$P: post_patch $T coming
$T: init
$T: exit
$P: pre_unpatch $T going
livepatch: reverting patch '$P' on unloading module '$T'
$P: post_unpatch $T going
$disable_log" "late module, early departure" livepatch $P $T

test_start "the module is there before and after the patch"
insmod_ok $T
mark
load_patch $P
disable_patch $P
remove_module $P
expect_log "livepatch: enabling patch '$P'
livepatch: '$P': initializing patching transition
$P: pre_patch vmlinux -
$P: pre_patch $T live
livepatch: '$P': starting patching transition
livepatch: '$P': completing patching transition
$P: post_patch vmlinux -
$P: post_patch $T live
livepatch: '$P': patching complete
livepatch: '$P': initializing unpatching transition
$P: pre_unpatch vmlinux -
$P: pre_unpatch $T live
livepatch: '$P': starting unpatching transition
livepatch: '$P': completing unpatching transition
$P: post_unpatch vmlinux -
$P: post_unpatch $T live
livepatch: '$P': unpatching complete" "both objects loaded throughout" livepatch $P $T
remove_module $T

test_start "a failing pre_patch refuses the patch, leaving nothing"
mark
out=$(insmod test_modules/$P.ko fail=-19 fail_obj=vmlinux 2>&1) &&
	fail "the patch loaded although pre_patch failed"
case "$out" in *"No such device"*) echo "  ok: insmod fails with ENODEV" ;;
*) fail "insmod said '$out'" ;; esac
expect_log "livepatch: enabling patch '$P'
livepatch: '$P': initializing patching transition
$P: pre_patch vmlinux -
livepatch: pre-patch callback failed for object 'vmlinux'
livepatch: failed to enable patch '$P'
livepatch: '$P': canceling patching transition, going to unpatch
livepatch: '$P': completing unpatching transition
livepatch: '$P': unpatching complete" "cancel without post_unpatch" livepatch $P
[ -e $SYSFS/$P ] && fail "sysfs directory left behind"
module_loaded $P && fail "module left loaded"
expect_eq "cmdline untouched" "$(cat /proc/cmdline)" "$cmdline"

test_start "a failing pre_patch for a module refuses that module"
load_patch $P fail=-19 fail_obj=$T
mark
out=$(insmod test_modules/$T.ko 2>&1) && fail "the module loaded although pre_patch failed"
case "$out" in *"No such device"*) echo "  ok: insmod of the module fails with ENODEV" ;;
*) fail "insmod said '$out'" ;; esac
expect_log "livepatch: applying patch '$P' to loading module '$T'
$P: pre_patch $T coming
livepatch: pre-patch callback failed for object '$T'
livepatch: patch '$P' failed for module '$T', refusing to load module '$T'" \
	"module refused, patch kept" livepatch $P $T
expect_eq "patch still enabled" "$(cat $SYSFS/$P/enabled)" 1
expect_eq "object not patched" "$(cat $SYSFS/$P/$T/patched)" 0
echo 0 > /sys/module/$P/parameters/fail
insmod_ok $T
expect_eq "object patched on retry" "$(cat $SYSFS/$P/$T/patched)" 1
remove_module $T
disable_patch $P
remove_module $P
exit 0
