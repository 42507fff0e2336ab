#!/bin/bash
# Guest side of `make demo`: live-patch /proc/cmdline and take it back,
# narrating each step with the kernel log lines it produced.
set -u
P=/sys/kernel/livepatch/livepatch_sample
failed=0
seen=$(dmesg | wc -l)

step() { printf '\n\033[1m--- %s\033[0m\n' "$*"; }
show() { printf '\033[36m# %s\033[0m\n' "$*"; eval "$*"; }
klog() {	# kernel log lines since the previous call
	local now; now=$(dmesg | wc -l)
	dmesg | tail -n +"$((seen + 1))" | grep -E 'livepatch|klp' | sed 's/^/    kernel: /'
	seen=$now
}
expect() {	# expect WHAT ACTUAL WANTED
	if [ "$2" = "$3" ]; then echo "    ok: $1"
	else echo "    FAILED: $1: got '$2', wanted '$3'"; failed=1; fi
}
wait_for() {	# wait_for CONDITION: poll up to 30 s
	local i; for i in $(seq 300); do eval "$1" && return 0; sleep 0.1; done
	return 1
}

echo "Guest kernel $(uname -r) on $(uname -m), $(getconf _NPROCESSORS_ONLN) CPUs"

step "1. The command line, before"
show cat /proc/cmdline
orig=$(cat /proc/cmdline)

step "2. Load the live patch module"
show insmod ./livepatch-sample.ko
wait_for "[ \"\$(cat $P/transition 2>/dev/null)\" = 0 ]"
expect "transition finished" "$(cat $P/transition 2>/dev/null)" 0
klog

step "3. The command line, patched"
show cat /proc/cmdline
expect "/proc/cmdline is patched" "$(cat /proc/cmdline)" "this has been live patched"

step "4. The patch in sysfs"
show ls -l $P $P/vmlinux
show "grep . $P/enabled $P/transition $P/vmlinux/patched"
expect "enabled" "$(cat $P/enabled)" 1

step "5. Disable the patch"
show "echo 0 > $P/enabled"
wait_for "[ ! -e $P ]"
expect "sysfs directory removed" "$([ -e $P ] && echo present || echo gone)" gone
klog

step "6. The command line, original again"
show cat /proc/cmdline
expect "/proc/cmdline is original" "$(cat /proc/cmdline)" "$orig"

step "7. Remove the module"
show rmmod livepatch_sample
expect "module removed" "$(grep -c '^livepatch_sample ' /proc/modules)" 0
klog

step "8. The whole kernel log of live patching"
dmesg | grep -E 'livepatch' | sed 's/^/    /'

echo
[ $failed = 0 ] && echo "demo: every step behaved" || echo "demo: SOME STEPS FAILED"
exit $failed
