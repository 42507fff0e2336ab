#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The sizes of a module's old and new functions, which klp finds for a
# whole object in one walk of each module's symbols (symbols.c), must be
# those kallsyms gives for each address: klp_test_sizes_patch compares
# them for its 64 functions of klp_test_many, which then still run.
. "$(dirname "$0")/klp-lib.sh"
T=klp_test_many
P=klp_test_sizes_patch
PP=/sys/module/$P/parameters

trap 'klp_cleanup; rmmod $T 2>/dev/null' EXIT
test_start "sizes of a module's functions, found in one walk"
insmod_ok $T
expect_eq "unpatched sum" "$(cat /sys/module/$T/parameters/sum)" 64
mark
load_patch $P
expect_eq "sizes compared" "$(cat $PP/checked)" 128
expect_eq "sizes that differ from kallsyms" "$(cat $PP/mismatched)" 0
expect_eq "patched sum" "$(cat /sys/module/$T/parameters/sum)" 128
disable_patch $P
remove_module $P
expect_eq "unpatched sum again" "$(cat /sys/module/$T/parameters/sum)" 64
remove_module $T
exit 0
