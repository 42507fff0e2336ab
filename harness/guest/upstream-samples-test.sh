#!/bin/bash
# Guest side of the `samples` suite: upstream's livepatch sample modules
# (samples/livepatch/*.c of the base, built unmodified against our kernel
# by harness/upstream-samples.sh) driven through the scenarios their
# header comments describe, with the effects those comments promise
# checked.  Runs from the directory holding the .ko files.
#
# Scenarios:
#   sample           livepatch-sample: /proc/cmdline patched, then restored
#   shadow           livepatch-shadow-mod, then fix1, then fix2 on top;
#                    undone in reverse order; leaks and counters followed
#                    dummy by dummy
#   cb-mod-first     callbacks demo loaded after its target module
#   cb-demo-first    the same with the insmod order swapped
#   cb-pre-patch-ret pre_patch_ret=-19 makes the loader refuse the target
#   cb-busy-stall    busymod parks on a patched function: the transition
#                    stalls while another target module comes and goes
#   cb-busy-late     busymod loaded after the demo runs the new function
#
# Exit 0 when every scenario passed, 1 otherwise; each failure is
# explained on stderr and in the kernel log.  Whatever a scenario leaves
# behind (enabled patches, loaded modules) is undone before the next one
# and on exit.  SAMPLES_BUSY_SECS (default 15) is how long busymod parks.
set -u
cd "$(dirname "$0")" || exit 1

TAG=upstream-samples
KLP=/sys/kernel/livepatch
BUSY_SECS=${SAMPLES_BUSY_SECS:-15}
# Everything the samples may leave loaded, in a safe removal order.
PATCHES=(livepatch_shadow_fix2 livepatch_shadow_fix1 livepatch_callbacks_demo
	 livepatch_sample)
MODULES=("${PATCHES[@]}" livepatch_shadow_mod livepatch_callbacks_mod
	 livepatch_callbacks_busymod)

SCEN=setup SCEN_MARK='' STEP='' STEPN=0 MARK=''

# ---- kernel log ---------------------------------------------------------

kmsg() { printf '%s\n' "${*//$'\n'/ | }" > /dev/kmsg 2>/dev/null; }
# The kernel log without timestamps.
klog() { dmesg | sed -E 's/^\[ *[0-9]+\.[0-9]+\] ?//'; }
# The kernel log after the line MARK (a line this script wrote).
log_after() { klog | awk -v m="$1" 'f; $0 == m { f = 1 }'; }
has_after() { log_after "$1" | grep -qE -- "$2"; }
# mark DESC: put a unique marker line in the kernel log, kept in MARK.
mark() {
	STEPN=$((STEPN + 1))
	MARK="$TAG: $SCEN #$STEPN: $*"
	kmsg "$MARK"
}
# step DESC: a step of the current scenario starts here.
step() {
	mark "$@"
	STEP=$MARK
	echo "  - $*"
}

# ---- verdicts -----------------------------------------------------------

fail() {
	local msg="$*"
	printf 'FAIL: %s: %s\n' "$SCEN" "$msg" >&2
	kmsg "$TAG: FAIL: $SCEN: $msg"
	if [ -n "$SCEN_MARK" ]; then
		echo "--- kernel log since scenario '$SCEN' started (last 80 lines):" >&2
		log_after "$SCEN_MARK" | tail -n 80 | sed 's/^/    /' >&2
	fi
	exit 1
}
ok() { echo "    ok: $*"; }
expect_eq() {	# expect_eq WHAT ACTUAL WANTED
	[ "$2" = "$3" ] || fail "$1: got '$2', wanted '$3'"
	ok "$1"
}
# wait_for SECONDS CMD...: poll CMD until it succeeds or time runs out.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.25
	done
}

# ---- livepatch state ----------------------------------------------------

attr() { cat "$KLP/$1/$2" 2>/dev/null || echo "(none)"; }
is_patched() { [ "$(attr "$1" enabled)" = 1 ] && [ "$(attr "$1" transition)" = 0 ]; }
is_gone() { [ ! -e "$KLP/$1" ]; }
is_loaded() { grep -q "^$1 " /proc/modules; }
wait_patched() {
	wait_for 60 is_patched "$1" ||
		fail "patch $1: transition not done after 60 s (enabled=$(attr "$1" enabled), transition=$(attr "$1" transition))"
	ok "$1 enabled, transition done"
}
disable() {
	step "echo 0 > $KLP/$1/enabled"
	echo 0 > "$KLP/$1/enabled" || fail "writing 0 to $1/enabled failed"
	wait_for 60 is_gone "$1" ||
		fail "patch $1: still in sysfs 60 s after disabling (transition=$(attr "$1" transition))"
	ok "$1 disabled and gone from sysfs"
}
load() {	# load FILE [PARAMS...]
	local f=$1 err
	shift
	step "insmod $f.ko $*"
	err=$(insmod "./$f.ko" "$@" 2>&1) || fail "insmod $f.ko $* failed: $err"
}
load_refused() {	# load_refused FILE ERROR-TEXT
	local err
	step "insmod $1.ko (must be refused: $2)"
	err=$(insmod "./$1.ko" 2>&1) && fail "insmod $1.ko succeeded; it should fail with '$2'"
	case $err in
	*"$2"*) ok "insmod refused: $err" ;;
	*) fail "insmod $1.ko failed with '$err', wanted '$2'" ;;
	esac
}
try_rmmod() { rmmod "$1" 2>/dev/null; }
unload() {
	step "rmmod $1"
	# A patch module's last reference can go a moment after its sysfs
	# directory does.
	wait_for 15 try_rmmod "$1" || fail "rmmod $1 failed: $(rmmod "$1" 2>&1)"
	! is_loaded "$1" || fail "$1 still in /proc/modules after rmmod"
}

# Undo whatever is left: patches disabled (a stalled transition is
# reversed), modules removed.  Never fails; says what it could not undo.
cleanup_all() {
	local p m
	for p in "${PATCHES[@]}"; do
		[ -e "$KLP/$p" ] || continue
		[ "$(attr "$p" enabled)" = 1 ] && echo 0 > "$KLP/$p/enabled" 2>/dev/null
		wait_for 60 is_gone "$p" || echo "cleanup: patch $p is still in sysfs" >&2
	done
	for m in "${MODULES[@]}"; do
		is_loaded "$m" || continue
		wait_for 30 try_rmmod "$m" || echo "cleanup: cannot remove $m" >&2
	done
}

# ---- livepatch-sample ---------------------------------------------------

PATCHED_CMDLINE="this has been live patched"

sc_sample() {
	local orig
	orig=$(cat /proc/cmdline)
	[ "$orig" != "$PATCHED_CMDLINE" ] || fail "/proc/cmdline reads as patched before anything is loaded"
	load livepatch-sample
	wait_patched livepatch_sample
	expect_eq "/proc/cmdline while patched" "$(cat /proc/cmdline)" "$PATCHED_CMDLINE"
	expect_eq "$KLP/livepatch_sample/enabled" "$(attr livepatch_sample enabled)" 1
	disable livepatch_sample
	expect_eq "/proc/cmdline after disabling" "$(cat /proc/cmdline)" "$orig"
	unload livepatch_sample
	expect_eq "/proc/cmdline after rmmod" "$(cat /proc/cmdline)" "$orig"
}

# ---- shadow variables ---------------------------------------------------
# livepatch-shadow-mod allocates a dummy every second (and leaks an int
# with each), checks for expired ones every 3 s, and a dummy expires 12 s
# after its allocation.  Its own lines have no module prefix; the fixes'
# lines do.

F1=livepatch_shadow_fix1
F2=livepatch_shadow_fix2
RE_MOD_ALLOC='^dummy_alloc: dummy @ [^ ,]+, expires @ '
RE_MOD_FREE='^dummy_free: dummy @ [^ ,]+, expired = '
RE_MOD_CLEANUP='^cleanup_work_func: jiffies = '
RE_F1_ALLOC="^$F1: livepatch_fix1_dummy_alloc: dummy @ [^ ,]+, expires @ "
RE_F1_LEAKED="^$F1: livepatch_fix1_dummy_free: dummy @ [^ ,]+ leaked!\$"
RE_F1_PREVENTED="^$F1: livepatch_fix1_dummy_leak_dtor: dummy @ [^ ,]+, prevented leak @ "
RE_F2_PREVENTED="^$F2: livepatch_fix2_dummy_leak_dtor: dummy @ [^ ,]+, prevented leak @ "
RE_F2_COUNTER="^$F2: livepatch_fix2_dummy_free: dummy @ [^ ,]+, check counter = [0-9]+\$"

# await MARK REGEX SECONDS WHAT: a line matching REGEX appears after MARK.
await() {
	wait_for "$3" has_after "$1" "$2" || fail "no $4 within $3 s"
	ok "$4: $(log_after "$1" | grep -E -m1 -- "$2")"
}
# none_after MARK REGEX WHAT: no line after MARK matches REGEX.
none_after() {
	local l
	l=$(log_after "$1" | grep -E -m1 -- "$2") && fail "$3, but the log has: $l"
	ok "$3"
}

# Follow every dummy through the log: who allocated it, whether a saved
# leak (SV_LEAK shadow variable) hangs on it, and check that a "leaked!"
# report only ever concerns a dummy without a saved leak, that a
# "prevented leak" only ever frees a saved leak that exists, and, once
# everything is unloaded, that no saved leak was left behind.
shadow_model() {
	awk -v f1="$F1" -v f2="$F2" '
	function addr(s) { sub(/.*dummy @ /, "", s); sub(/[ ,].*/, "", s); return s }
	function bad(s) { print "  " s; errors++ }
	/^dummy_alloc: dummy @ /			{ a = addr($0); saved[a] += 0; n_mod++; next }
	$0 ~ "^" f1 ": livepatch_fix1_dummy_alloc: dummy @ " {
		a = addr($0)
		if (saved[a]) bad("fix1 allocated dummy " a " while a saved leak is still attached to that address")
		saved[a] = 1; n_fix1++; next
	}
	/: livepatch_fix[12]_dummy_free: dummy @ .* leaked!$/ {
		a = addr($0)
		if (saved[a]) bad("dummy " a " reported leaked although its leak was saved: " $0)
		n_leaked++; next
	}
	/: livepatch_fix[12]_dummy_leak_dtor: dummy @ / {
		a = addr($0)
		if (!saved[a]) bad("leak freed for dummy " a " which has no saved leak: " $0)
		saved[a] = 0; n_prevented++; next
	}
	END {
		for (a in saved) if (saved[a]) bad("the saved leak of dummy " a " was never freed")
		printf "    dummies: %d by the module, %d by fix1; %d reported leaked, %d leaks prevented\n",
			n_mod, n_fix1, n_leaked, n_prevented
		exit errors > 0
	}'
}

# Every dummy fix2's dummy_free released between marks A (fix2's
# transition done: check and free both fix2's in every task) and B (fix2
# gone) got its check counter reported, at least 1.  A counter line with
# no free line before it is a free that straddled mark A: ignored.
fix2_counters() {	# fix2_counters MARK_A MARK_B
	log_after "$1" | awk -v m="$2" -v f2="$F2" '
	$0 == m { exit }
	function addr(s) { sub(/.*dummy @ /, "", s); sub(/[ ,].*/, "", s); return s }
	$0 ~ "^" f2 ": livepatch_fix2_dummy_(leak_dtor|free)" {
		a = addr($0)
		if ($0 ~ /check counter = /) {
			if (!(a in freed)) next
			if ($NF < 1) { print "  counter below 1: " $0; errors++ }
			delete freed[a]; n++
		} else freed[a] = 1
	}
	END {
		for (a in freed) { print "  dummy " a " freed by fix2 without a check counter"; errors++ }
		if (!errors) printf "    %d dummies freed by fix2, each with its check counter\n", n
		exit errors > 0
	}'
}

sc_shadow() {
	local m0 m1 m2 m3 m4 m5 out
	load livepatch-shadow-mod
	m0=$STEP
	await "$m0" "$RE_MOD_ALLOC" 20 "dummy allocated by the module"
	await "$m0" "$RE_MOD_CLEANUP" 20 "periodic cleanup check"

	load livepatch-shadow-fix1
	m1=$STEP
	wait_patched $F1
	mark "$F1 transition complete"
	m2=$MARK
	await "$m2" "$RE_F1_ALLOC" 15 "dummy allocated by fix1"
	await "$m1" "$RE_F1_LEAKED" 40 "fix1 reports an older dummy leaked"
	await "$m1" "$RE_F1_PREVENTED" 40 "fix1 prevents the leak of a dummy it allocated"
	none_after "$m2" "$RE_MOD_ALLOC|$RE_MOD_FREE" \
		"the module's own dummy_alloc/dummy_free no longer run"

	load livepatch-shadow-fix2
	wait_patched $F2
	mark "$F2 transition complete"
	m3=$MARK
	await "$m3" "$RE_F2_COUNTER" 20 "fix2 reports a dummy's check counter"
	await "$m3" "$RE_F2_PREVENTED" 5 "fix2 prevents a leak"
	none_after "$m3" "^$F1: livepatch_fix1_dummy_(free|leak_dtor)|$RE_MOD_FREE" \
		"fix1's and the module's dummy_free no longer run"

	disable $F2
	mark "$F2 disabled"
	m4=$MARK
	out=$(fix2_counters "$m3" "$m4") ||
		fail "check counters do not match the dummies fix2 freed:
$out"
	echo "$out"
	await "$m4" "$RE_F1_PREVENTED" 20 "fix1's dummy_free is back"
	none_after "$m4" "^$F2: " "fix2 no longer runs"

	disable $F1
	mark "$F1 disabled"
	m5=$MARK
	await "$m5" "$RE_MOD_ALLOC" 15 "the module's dummy_alloc is back"
	await "$m5" "$RE_MOD_FREE" 20 "the module's dummy_free is back"
	none_after "$m5" "^($F1|$F2): " "neither fix runs"

	unload $F2
	unload $F1
	has_after "$STEP" "$RE_F1_PREVENTED" ||
		fail "rmmod $F1 freed no saved leak (its exit frees every SV_LEAK shadow variable left)"
	ok "rmmod $F1 freed the saved leaks left: $(log_after "$STEP" | grep -cE "$RE_F1_PREVENTED")"
	unload livepatch_shadow_mod
	has_after "$STEP" "$RE_MOD_FREE" || fail "rmmod livepatch_shadow_mod freed no remaining dummy"
	ok "rmmod livepatch_shadow_mod freed the remaining dummies: $(log_after "$STEP" | grep -cE "$RE_MOD_FREE")"

	out=$(log_after "$m0" | shadow_model) || fail "shadow variable bookkeeping is wrong:
$out"
	echo "$out"
}

# ---- callbacks ----------------------------------------------------------

DEMO=livepatch_callbacks_demo
MOD=livepatch_callbacks_mod
BUSY=livepatch_callbacks_busymod
LIVE="[MODULE_STATE_LIVE] Normal state"
COMING="[MODULE_STATE_COMING] Full formed, running module_init"
GOING="[MODULE_STATE_GOING] Going away"

# The lines of the three callback samples in the current step.
cb_lines() { log_after "$STEP" | grep -E "^($DEMO|$MOD|$BUSY): "; }
lines_are() { [ "$(cb_lines)" = "$1" ]; }
SCEN_EXPECTED=
# expect_cb WHAT EXPECTED: the step's sample lines become exactly
# EXPECTED (polled: some arrive from workers and transitions).
expect_cb() {
	if ! wait_for 10 lines_are "$2"; then
		fail "$1: the callback samples logged
$(cb_lines | sed 's/^/      /')
wanted
$(echo "$2" | sed 's/^/      /')"
	fi
	ok "$1"
	[ -z "$2" ] || SCEN_EXPECTED+=${SCEN_EXPECTED:+$'\n'}$2
}
# The whole scenario, in one piece: no line came late or twice.
expect_scenario() {
	local got
	got=$(log_after "$SCEN_MARK" | grep -E "^($DEMO|$MOD|$BUSY): ")
	[ "$got" = "$SCEN_EXPECTED" ] || fail "callback sample lines of the whole scenario:
$(echo "$got" | sed 's/^/      /')
wanted
$(echo "$SCEN_EXPECTED" | sed 's/^/      /')"
	ok "whole scenario: $(echo "$got" | wc -l) sample lines, in order"
}
# starts_with WHAT EXPECTED: the step's lines so far begin with EXPECTED.
starts_with() {
	local got
	got=$(cb_lines | head -n "$(echo "$2" | wc -l)")
	[ "$got" = "$2" ] || fail "$1: the step's first lines are
$(echo "$got" | sed 's/^/      /')
wanted
$(echo "$2" | sed 's/^/      /')"
	ok "$1"
}

enable_demo_done() {	# the demo patch with OBJ ... loaded and its transition done
	local pre post o
	load livepatch-callbacks-demo
	for o in "$@"; do pre+=${pre:+$'\n'}$(cb pre_patch "$o"); done
	starts_with "pre-patch callbacks ran before insmod returned" "$pre"
	wait_patched $DEMO
	for o in "$@"; do post+=${post:+$'\n'}$(cb post_patch "$o"); done
	expect_cb "pre-patch, then post-patch callbacks once the transition is done" "$pre
$post"
}
disable_demo() {	# disable_demo OBJ...: unpatch callbacks for the loaded objects
	local pre post o
	disable $DEMO
	for o in "$@"; do pre+=${pre:+$'\n'}$(cb pre_unpatch "$o"); done
	for o in "$@"; do post+=${post:+$'\n'}$(cb post_unpatch "$o"); done
	expect_cb "pre-unpatch, then post-unpatch callbacks" "$pre
$post"
}
# cb KIND OBJECT: the line the demo's KIND callback prints for OBJECT,
# which is "vmlinux" or "MODULE|STATE".
cb() {
	local kind=$1 obj=${2%%|*} state=
	[ "$2" != "$obj" ] && state=${2#*|}
	echo "$DEMO: ${kind}_callback: $obj${state:+ -> $state}"
}

sc_cb_mod_first() {
	load livepatch-callbacks-mod
	expect_cb "target module initialized" "$MOD: livepatch_callbacks_mod_init"
	enable_demo_done vmlinux "$MOD|$LIVE"
	disable_demo vmlinux "$MOD|$LIVE"
	unload $DEMO
	expect_cb "no callbacks on rmmod of a disabled patch" ""
	unload $MOD
	expect_cb "target module exited" "$MOD: livepatch_callbacks_mod_exit"
	expect_scenario
}

sc_cb_demo_first() {
	enable_demo_done vmlinux
	load livepatch-callbacks-mod
	expect_cb "the loading target gets pre- and post-patch callbacks before its init" \
		"$(cb pre_patch "$MOD|$COMING")
$(cb post_patch "$MOD|$COMING")
$MOD: livepatch_callbacks_mod_init"
	disable_demo vmlinux "$MOD|$LIVE"
	unload $DEMO
	unload $MOD
	expect_cb "target module exited" "$MOD: livepatch_callbacks_mod_exit"
	expect_scenario
}

sc_cb_pre_patch_ret() {
	enable_demo_done vmlinux
	step "echo -19 > /sys/module/$DEMO/parameters/pre_patch_ret"
	echo -19 > /sys/module/$DEMO/parameters/pre_patch_ret || fail "cannot set pre_patch_ret"
	load_refused livepatch-callbacks-mod "No such device"
	expect_cb "only the failing pre-patch callback ran for the target, and not its init" \
		"$(cb pre_patch "$MOD|$COMING")"
	! is_loaded $MOD || fail "$MOD is loaded although insmod failed"
	ok "$MOD not loaded"
	expect_eq "$DEMO still enabled" "$(attr $DEMO enabled)" 1
	disable_demo vmlinux
	unload $DEMO
	expect_scenario
}

busy_awake() { has_after "$SCEN_MARK" "^$BUSY: busymod_work_func exit\$"; }

sc_cb_busy_stall() {
	local t0=$SECONDS
	load livepatch-callbacks-busymod sleep_secs="$BUSY_SECS"
	expect_cb "busymod parks in busymod_work_func" "$BUSY: livepatch_callbacks_mod_init
$BUSY: busymod_work_func, sleeping $BUSY_SECS seconds ..."
	load livepatch-callbacks-demo
	expect_eq "$DEMO transition (stalled on busymod_work_func)" "$(attr $DEMO transition)" 1
	expect_cb "pre-patch callbacks, and no post-patch one while stalled" \
		"$(cb pre_patch vmlinux)
$(cb pre_patch "$BUSY|$LIVE")"
	load livepatch-callbacks-mod
	expect_cb "a target loaded mid-transition: pre-patch callback and init, no post-patch" \
		"$(cb pre_patch "$MOD|$COMING")
$MOD: livepatch_callbacks_mod_init"
	unload $MOD
	expect_cb "a target unloaded mid-transition: no pre-unpatch (its post-patch never ran), post-unpatch" \
		"$MOD: livepatch_callbacks_mod_exit
$(cb post_unpatch "$MOD|$GOING")"
	step "wait for busymod to leave busymod_work_func"
	busy_awake && fail "busymod woke up after $((SECONDS - t0)) s, before the steps needing a stalled transition were done: raise SAMPLES_BUSY_SECS"
	expect_eq "$DEMO transition still stalled" "$(attr $DEMO transition)" 1
	wait_for $((BUSY_SECS + 60)) busy_awake || fail "busymod_work_func never returned"
	wait_patched $DEMO
	expect_cb "the transition completes once busymod_work_func returned; post-patch callbacks" \
		"$BUSY: busymod_work_func exit
$(cb post_patch vmlinux)
$(cb post_patch "$BUSY|$LIVE")"
	disable_demo vmlinux "$BUSY|$LIVE"
	unload $DEMO
	unload $BUSY
	expect_cb "busymod exited" "$BUSY: livepatch_callbacks_mod_exit"
	expect_scenario
}

sc_cb_busy_late() {
	enable_demo_done vmlinux
	load livepatch-callbacks-busymod
	expect_cb "busymod loaded after the demo: callbacks, init, then the new work function runs" \
		"$(cb pre_patch "$BUSY|$COMING")
$(cb post_patch "$BUSY|$COMING")
$BUSY: livepatch_callbacks_mod_init
$DEMO: patched_work_func"
	disable_demo vmlinux "$BUSY|$LIVE"
	unload $DEMO
	unload $BUSY
	expect_cb "busymod exited" "$BUSY: livepatch_callbacks_mod_exit"
	expect_scenario
}

# ---- main ---------------------------------------------------------------

[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 1; }
[ -d "$KLP" ] || { echo "no $KLP: kernel without CONFIG_LIVEPATCH?" >&2; exit 1; }
for f in livepatch-sample livepatch-shadow-mod livepatch-shadow-fix1 \
	 livepatch-shadow-fix2 livepatch-callbacks-demo livepatch-callbacks-mod \
	 livepatch-callbacks-busymod; do
	[ -f "$f.ko" ] || { echo "$f.ko missing from $PWD" >&2; exit 1; }
done
trap 'exit 143' TERM INT HUP
trap 'cleanup_all' EXIT
cleanup_all

failed=()
run() {	# run NAME FUNCTION
	local name=$1 rc start=$SECONDS
	SCEN=$name STEPN=0 SCEN_EXPECTED=
	mark "scenario start"
	SCEN_MARK=$MARK
	echo "--- $name"
	( "$2" )
	rc=$?
	SCEN_MARK=
	cleanup_all
	if [ $rc = 0 ]; then
		echo "--- $name: ok ($((SECONDS - start)) s)"
		kmsg "$TAG: $name: ok"
	else
		echo "--- $name: FAILED ($((SECONDS - start)) s)"
		failed+=("$name")
	fi
}
run sample sc_sample
run shadow sc_shadow
run cb-mod-first sc_cb_mod_first
run cb-demo-first sc_cb_demo_first
run cb-pre-patch-ret sc_cb_pre_patch_ret
run cb-busy-stall sc_cb_busy_stall
run cb-busy-late sc_cb_busy_late

if [ ${#failed[@]} = 0 ]; then
	echo "upstream samples: all scenarios passed in $SECONDS s"
	exit 0
fi
echo "upstream samples: FAILED: ${failed[*]}" >&2
kmsg "$TAG: FAILED: ${failed[*]}"
exit 1
