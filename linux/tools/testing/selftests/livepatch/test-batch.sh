#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A patch's functions enter and leave ftrace together: 64 functions of one
# module, a second patch stacked on half of them, removal from the middle;
# and a refusal that names every function another ftrace user owns and
# every function that cannot be found, in vmlinux or in a module, leaving
# nothing behind.
. "$(dirname "$0")/klp-lib.sh"
T=klp_test_many
P1=klp_test_many_patch1
P2=klp_test_many_patch2
TRACED=/sys/kernel/debug/tracing/enabled_functions
sum() { cat /sys/module/$T/parameters/sum; }
traced() { grep -c "^klp_test_many_fn_" $TRACED || true; }
trap 'rmmod klp_test_kprobe 2>/dev/null; klp_cleanup; rmmod $T 2>/dev/null' EXIT

test_start "64 functions patched at once, then a stack on half of them"
insmod_ok $T
expect_eq "unpatched sum" "$(sum)" 64
load_patch $P1
expect_eq "all 64 patched" "$(sum)" 128
expect_eq "64 functions traced" "$(traced)" 64
load_patch $P2
expect_eq "32 on top, 32 below" "$(sum)" 160
expect_eq "still 64 functions traced" "$(traced)" 64

test_start "removing the patch below, then the one on top"
disable_patch $P1
expect_eq "32 from the top patch, 32 original" "$(sum)" 128
expect_eq "32 functions traced" "$(traced)" 32
disable_patch $P2
expect_eq "all original" "$(sum)" 64
expect_eq "no function traced" "$(traced)" 0
remove_module $P1
remove_module $P2

test_start "every function another ftrace user owns is named"
insmod_ok klp_test_kprobe symbol=klp_test_many_fn_13 symbol2=klp_test_many_fn_57
mark
got=$(./load-module test_modules/$P1.ko)
expect_eq "the patch is refused" "$got" "errno 16"
for f in klp_test_many_fn_13 klp_test_many_fn_57; do
	want="livepatch: failed to register ftrace handler for function '$f' (-16)"
	log_since livepatch | grep -qxF "$want" ||
		fail "no log line for $f: $(log_since livepatch)"
	echo "  ok: $f named"
done
n=$(log_since livepatch | grep -c "failed to register ftrace handler" || true)
expect_eq "only those two named" "$n" 2
module_gone $P1 || fail "$P1 stayed"
is_gone $SYSFS/$P1 || fail "$P1 left sysfs behind"
expect_eq "only the kprobes' functions traced" "$(traced)" 2
expect_eq "all original" "$(sum)" 64
rmmod klp_test_kprobe || fail "rmmod klp_test_kprobe"
expect_eq "nothing traced" "$(traced)" 0

test_start "every function that cannot be found is named"
mark
got=$(./load-module test_modules/klp_test_bad.ko \
	"scenario=names name=klp_test_no_such_function_1 name2=klp_test_no_such_function_2")
expect_eq "the patch is refused" "$got" "errno 22"
for f in klp_test_no_such_function_1 klp_test_no_such_function_2; do
	log_since livepatch | grep -qF "symbol '$f' not found in symbol table" ||
		fail "no log line for $f: $(log_since livepatch)"
	echo "  ok: $f named"
done
module_gone klp_test_bad || fail "klp_test_bad stayed"

# A module object's names are all looked up in one walk of its symbols;
# each problem is still reported, in the order of the functions.
test_start "every problem in a module object is named, in order"
insmod_ok klp_test_target
mark
got=$(./load-module test_modules/klp_test_bad.ko \
	"scenario=module_names name=klp_test_target_func sympos=2 name2=klp_test_no_such_function")
expect_eq "the patch is refused" "$got" "errno 22"
t=klp_test_target
expect_eq "both named, in order" \
	"$(log_since livepatch | grep -E "^livepatch: (symbol |'$t' has)")" \
"livepatch: symbol position 2 for symbol 'klp_test_target_func' in object '$t' not found
livepatch: '$t' has 1 symbols 'klp_test_target_func'
livepatch: symbol 'klp_test_no_such_function' not found in symbol table
livepatch: '$t' has no symbol 'klp_test_no_such_function'"
module_gone klp_test_bad || fail "klp_test_bad stayed"
rmmod klp_test_target || fail "rmmod klp_test_target"

remove_module $T
exit 0
