#!/bin/bash
# Guest side of `make demo PATCH=...`: the module klp-build made from the
# patch, live: load it, wait for the transition, run the CHECK script
# (if any) while patched, disable, wait, unload.  Each step is shown
# with the kernel log lines it produced; exit 0 only if every step
# behaved and the kernel log stayed clean.
set -u
cd /payload || exit 1
ko=$(ls ./*.ko | head -1)
ko=${ko#./}
name=$(basename "$ko" .ko | tr - _)
P=/sys/kernel/livepatch/$name
failed=0
seen=$(dmesg | wc -l)
BAD='WARNING:|BUG:|Oops|general protection|INFO: task .* blocked'

step() { printf '\n\033[1m--- %s\033[0m\n' "$*"; }
show() { printf '\033[36m# %s\033[0m\n' "$*"; eval "$*"; }
klog() {
	local now; now=$(dmesg | wc -l)
	dmesg | tail -n +"$((seen + 1))" | sed 's/^/    kernel: /'
	seen=$now
}
ok() { echo "    ok: $*"; }
bad() { echo "    FAILED: $*"; failed=1; }
wait_for() {	# CONDITION: poll up to 60 s
	local _; for _ in $(seq 600); do eval "$1" && return 0; sleep 0.1; done
	return 1
}
finish() {
	if dmesg | grep -qE "$BAD"; then
		bad "the kernel log has warnings"
		dmesg | grep -E -A20 "$BAD" | head -40
	fi
	echo
	if [ $failed = 0 ]; then echo "klp-demo: PASS"; else echo "klp-demo: FAILED"; fi
	exit $failed
}

echo "Guest kernel $(uname -r) on $(uname -m); module $ko"
[ ! -d modules ] || echo "target modules in /payload/modules: $(ls modules)"

step "1. Load the live patch module"
if ! show insmod "./$ko"; then
	bad "insmod $ko"
	klog
	finish
fi
if wait_for "[ \"\$(cat $P/transition 2>/dev/null)\" = 0 ]"; then
	ok "transition complete"
else
	bad "transition did not complete: $(cat $P/pending_tasks 2>/dev/null)"
fi
show "grep . $P/enabled $P/transition"
show "ls $P"
klog

step "2. The check, while patched"
if [ -f check.sh ]; then
	if show bash ./check.sh; then ok "check.sh passed"; else bad "check.sh exited $?"; fi
else
	echo "    (no CHECK script given)"
fi

step "3. Disable the patch"
show "echo 0 > $P/enabled" || bad "cannot disable"
if wait_for "[ ! -e $P ]"; then ok "unpatched, sysfs directory gone"; else bad "still in sysfs"; fi
klog

step "4. Unload the module"
if wait_for "rmmod $name 2>/dev/null"; then ok "unloaded"; else bad "rmmod $name"; fi
klog
finish
