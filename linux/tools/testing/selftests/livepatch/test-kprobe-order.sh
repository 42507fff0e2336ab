#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A kprobe with a post_handler changes the instruction pointer (it claims
# ftrace's IPMODIFY right), and so does a live patch: on one function
# only one of them may, whichever came first, and the other is refused
# with EBUSY, whatever other kprobes exist.  (ftrace keeps one ftrace_ops
# for every such kprobe: whether it is registered already, because of a
# post_handler kprobe on another function, must not change the outcome.)
# A plain kprobe shares the function with the patch in either order.  In
# every case the patch can be disabled afterwards and the function is
# back to the original.
. "$(dirname "$0")/klp-lib.sh"
F=cmdline_proc_show
G=meminfo_proc_show
P=klp_test_cmdline_a
TR=/sys/kernel/debug/tracing
ORIG=$(cat /proc/cmdline)

cleanup() {
	plain_off
	rmmod klp_test_kprobe klp_test_kprobe_b 2>/dev/null
	klp_cleanup
}
trap cleanup EXIT

# post_kprobe MODULE SYMBOL: "errno N" of registering a post_handler kprobe.
post_kprobe() { ./load-module "test_modules/$1.ko" symbol="$2"; }
plain_on() {
	echo "p:klp_plain $1" >> $TR/kprobe_events || fail "no plain kprobe on $1"
	echo 1 > $TR/events/kprobes/klp_plain/enable
}
plain_off() {
	[ -e $TR/events/kprobes/klp_plain ] || return 0
	echo 0 > $TR/events/kprobes/klp_plain/enable
	echo '-:klp_plain' >> $TR/kprobe_events
}
plain_hits() { awk '$1 == "klp_plain" { print $2 }' $TR/kprobe_profile; }
patched() { expect_eq "$1" "$(cat /proc/cmdline)" $P; }
unpatch() {
	disable_patch $P
	remove_module $P
	expect_eq "$1: disabled, the original is back" "$(cat /proc/cmdline)" "$ORIG"
}
# refused_patch WHY: loading the patch fails with EBUSY and names $F.
refused_patch() {
	mark
	expect_eq "$1: the patch is refused" \
		"$(./load-module test_modules/$P.ko)" "errno 16"
	log_since livepatch | grep -q "failed to register ftrace handler for function '$F' (-16)" ||
		fail "$1: the refusal does not name $F"
	[ ! -e $SYSFS/$P ] || fail "$1: a refused patch left $SYSFS/$P"
	expect_eq "$1: the original runs" "$(cat /proc/cmdline)" "$ORIG"
}

for before in none plain post; do
	case $before in
	none) what="no other kprobe" ;;
	plain) what="a plain kprobe on $G"; plain_on $G ;;
	post) what="a post_handler kprobe on $G"
		expect_eq "post_handler kprobe on $G" \
			"$(post_kprobe klp_test_kprobe_b $G)" "errno 0" ;;
	esac

	test_start "$what; the patch, then a post_handler kprobe"
	load_patch $P
	patched "patched"
	expect_eq "the kprobe is refused" "$(post_kprobe klp_test_kprobe $F)" "errno 16"
	patched "still patched"
	unpatch "$what"
	expect_eq "the kprobe is accepted once the patch is gone" \
		"$(post_kprobe klp_test_kprobe $F)" "errno 0"

	test_start "$what; a post_handler kprobe, then the patch"
	refused_patch "$what"
	rmmod klp_test_kprobe || fail "rmmod klp_test_kprobe"
	load_patch $P
	patched "patched once the kprobe is gone"
	unpatch "$what"

	case $before in
	plain) plain_off ;;
	post) rmmod klp_test_kprobe_b || fail "rmmod klp_test_kprobe_b" ;;
	esac
done

test_start "a plain kprobe, then the patch"
plain_on $F
load_patch $P
patched "patched under the kprobe"
hits=$(plain_hits)
cat /proc/cmdline > /dev/null
[ "$(plain_hits)" -gt "$hits" ] || fail "the kprobe stopped firing"
echo "  ok: the kprobe still fires"
unpatch "under the kprobe"
plain_off

test_start "the patch, then a plain kprobe"
load_patch $P
plain_on $F
hits=$(plain_hits)
patched "still patched under the kprobe"
[ "$(plain_hits)" -gt "$hits" ] || fail "the kprobe does not fire"
echo "  ok: the kprobe fires"
unpatch "under the kprobe"
plain_off
exit 0
