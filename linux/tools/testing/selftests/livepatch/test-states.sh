#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# System states: a replacing patch must carry every state at the same or a
# newer version; the state's data passes from patch to patch.
. "$(dirname "$0")/klp-lib.sh"

test_start "a newer version takes the state over"
mark
load_patch klp_test_state_v1
load_patch klp_test_state_v2
wait_until is_gone $SYSFS/klp_test_state_v1 || fail "v1 stayed"
expect_log "klp_test_state_v1: created 'created by klp_test_state_v1'
klp_test_state_v2: took over 'created by klp_test_state_v1'" \
	"data handed over" klp_test_state_v1 klp_test_state_v2
remove_module klp_test_state_v1

test_start "an older version is refused"
mark
out=$(insmod test_modules/klp_test_state_v0.ko 2>&1) && fail "v0 was accepted"
# kmod words EINVAL from init_module() as "Invalid parameters".
case "$out" in *"Invalid parameters"*) echo "  ok: insmod fails with EINVAL" ;;
*) fail "insmod said '$out'" ;; esac
want="livepatch: Livepatch patch (klp_test_state_v0) is not compatible"
want+=" with the already installed livepatches."
expect_log "$want" "refusal logged" livepatch
expect_eq "v2 untouched" "$(cat $SYSFS/klp_test_state_v2/enabled)" 1

test_start "disabling releases the state"
mark
disable_patch klp_test_state_v2
expect_log "klp_test_state_v2: released 'created by klp_test_state_v1'" \
	"released once" klp_test_state_v2
remove_module klp_test_state_v2

test_start "with nothing installed, any version may start"
load_patch klp_test_state_v0
disable_patch klp_test_state_v0
remove_module klp_test_state_v0
exit 0
