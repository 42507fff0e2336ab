#!/usr/bin/env bash
# `make check`: every suite, on every arch (ARCHES="ppc64le x86_64": the
# ppc64le guest runs longest, so its kernel is built first).
#
# Suites:
#   klp          our own selftests (linux/tools/testing/selftests/livepatch)
#   conformance  upstream's livepatch kselftests from the base, unmodified
#                (both run through the livepatch kselftest target: its
#                install, run with run_kselftest.sh in the guest)
#   samples      upstream's sample modules (samples/livepatch), unmodified,
#                driven through the scenarios their comments describe
#   kernel       the guest kernel log stayed free of warnings and splats
#   lint         checkpatch --strict, W=1, the s390 build and kernel-doc
#                (harness/lint.sh)
#
# Two more kernels stay out by default, to keep a cold run (empty ccache,
# as on CI) within 45 minutes on two CPUs; each has its own target too:
#   DEBUG_CHECK=1     an x86_64 debug kernel (preemptible, KASAN, lockdep,
#                     kmemleak, fault injection): the core of klp again
#                     (tests-debug.list) with a short stress run
#                     (make check-debug runs every test there);
#   UPSTREAM_CHECK=1  the upstream x86_64 kernel built from the same base:
#                     test-compat.sh on it (make compat-check does that on
#                     both arches, with upstream's kselftests and the
#                     binary compatibility guests).
#
# A third x86_64 kernel has klp's build options at the settings they do
# not default to (config/nondefault.config): its guest runs upstream's
# kselftests and the tests of those options.
#
# The x86_64 kernel is fully preemptible and has fault injection
# (harness/config/preempt.config, faultinject.config), so that
# test-preempt-unpatch.sh, test-dispatch-preempt.sh and
# test-fault-inject.sh run there; on ppc64le they report a skip, which
# counts neither way ("n/a"), as does test-bpf.sh (the base has no BPF
# trampolines on powerpc); every other skip fails the run.  test-mitigations.sh runs only in the mitigations
# guest (the x86_64 kernel booted on an Intel CPU model with retbleed=stuff
# and ITS forced), and reports a skip elsewhere.
#
# Prints one line per script, per-suite totals, then "N passed, N failed".
# Exits non-zero on any failure (or skip) of a gating suite.  Every suite
# gates; CONFORMANCE_GATES=0 reports the conformance suite without gating,
# for work that knowingly breaks upstream parity for a while.
. "$(dirname "$0")/common.sh"

ARCHES=${ARCHES:-ppc64le x86_64}
UPSTREAM_CHECK=${UPSTREAM_CHECK:-0}
KLP_BUILD_SUITES=${KLP_BUILD_SUITES:-1}
# The mitigations guest: an Intel model, so that retbleed=stuff applies.
MITIGATIONS_CPU=${MITIGATIONS_CPU:-Skylake-Client}
MITIGATIONS_CMDLINE=${MITIGATIONS_CMDLINE:-spectre_v2=retpoline retbleed=stuff indirect_target_selection=force}
CONFORMANCE_GATES=${CONFORMANCE_GATES:-1}
"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/base.sh"

results=$KLP_BUILD/check-results.txt
: > "$results"
# The x86_64 guests' kernel: test-bpf.sh needs BTF (config/bpf.config),
# the mitigations guest the return and indirect-branch rewriting
# (config/mitigations.config), off in the main guest, and the tests of
# tasks preempted in trampolines and of failed allocations a preemptible
# kernel with fault injection.
X86_VARIANT=bpf+mitigations+preempt+faultinject
# The two x86_64 guests start together, before lint and the series: the
# main guest runs every test but these, the mitigations guest its own
# five and these, so that both end at about the same time (the main guest
# alone was the run's tail, with the other CPU idle).  None of them
# depends on the mitigations: fork races, failed allocations and tasks
# preempted in trampolines and in the dispatcher.
X86_MITIGATIONS_ONLY="test-fork-race.sh test-fault-inject.sh test-preempt-unpatch.sh test-dispatch-preempt.sh"

# Guests in the background, their results, and the run's timeline
# (printed at the end: where the time of a cold run goes).
GJ_TAG=check
. "$KLP_TOP/harness/guest-jobs.sh"
# Each guest runs in the background while the next kernel builds: a
# guest keeps about one CPU busy, a build the others, and the whole run
# takes the time of the builds plus the last guest rather than the sum of
# all.  Builds stay one at a time.  Each job writes its own results,
# merged in a fixed order at the end.
JOBS_RUN=()

# klp-build (scripts/livepatch): a representative part of its corpus
# (harness/klp-build-suite.sh --representative; make klp-build-check runs
# all of it), made on the host against each guest kernel's own tree once
# it is built, rides in that kernel's guest as the suite "klp-build".
# KLP_BUILD_SUITES=0 leaves it out.  klp-build never writes the source
# tree; it runs before lint, which uses the x86_64 tree too.
# kb_suite PAYLOAD: the suite for the current ARCH/FLAVOR in PAYLOAD.
kb_suite() {
	[ "$KLP_BUILD_SUITES" = 1 ] || return 0
	"$KLP_TOP/harness/klp-build-suite.sh" "$OBJ" "$SRC" \
		"$1/klp-build" --representative \
		> "$LOGS/klp-build-suite-$FLAVOR.log" 2>&1 || {
		echo "klp-build-suite.sh failed: see $LOGS/klp-build-suite-$FLAVOR.log" >&2
		return 1
	}
	mark "klp-build modules for $ARCH $FLAVOR made"
}

# x86_job JOB TIMEOUT FLAVOR VARIANT [--kb] SUITE_ARGS...: a kernel and
# guest of their own for the x86_64 jobs beside the main one: build that
# kernel, put our kselftest suite (suite-klp.sh SUITE_ARGS) and, with
# --kb, klp-build's suite in payload/x86_64-JOB, and start the guest.
x86_job() {
	local job=$1 timeout=$2 flavor=$3 variant=$4 kb=0
	shift 4
	[ "${1:-}" != --kb ] || { kb=1; shift; }
	: > "$(job_results "$job")"
	JOBS_RUN+=("$job")
	if (
	export ARCH=x86_64 FLAVOR=$flavor KCONFIG_VARIANT=$variant
	. "$KLP_TOP/harness/common.sh"
	"$KLP_TOP/harness/kernel.sh"
	mark "kernel $ARCH${KCONFIG_VARIANT:+-$KCONFIG_VARIANT} $FLAVOR built"
	payload=$KLP_BUILD/payload/x86_64-$job
	rm -rf "$payload"
	mkdir -p "$payload"
	cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"
	"$KLP_TOP/harness/suite-klp.sh" "$payload/kselftest" "$@"
	[ $kb = 0 ] || kb_suite "$payload" ||
		echo "x86_64-$job klp-build setup FAIL 0 (klp-build-suite.sh failed)" >> "$(job_results "$job")"
	); then
		guest "$job" "x86_64-$job" "$timeout" x86_64 "$flavor" "$variant"
	else
		echo "x86_64-$job setup FAIL 0 (harness failed)" >> "$(job_results "$job")"
	fi
}

# The debug kernel (x86_64, harness/config/debug.config: preemptible,
# KASAN, lockdep, PROVE_RCU, DEBUG_OBJECTS, kmemleak, fault injection): the
# core of our suite again (tests-debug.list) and a short stress run, then
# kmemleak.  Off unless DEBUG_CHECK=1: on a cold machine its kernel and
# guest are a third of the run's CPU time, which takes make check past
# its 45 minutes (make check-debug runs every test there).  Its guest runs
# longest, so it is built and started first: the other kernels build
# while it runs.
if [ "${DEBUG_CHECK:-0}" = 1 ]; then
	x86_job debug 3600 ours debug --list tests-debug.list
fi

for arch in $ARCHES; do
	export ARCH=$arch
	: > "$(job_results "$arch")"
	JOBS_RUN+=("$arch")
	variant=
	[ "$arch" = x86_64 ] && variant=$X86_VARIANT
	(
	export KCONFIG_VARIANT=$variant
	. "$KLP_TOP/harness/common.sh"
	"$KLP_TOP/harness/kernel.sh"
	mark "kernel $ARCH${KCONFIG_VARIANT:+-$KCONFIG_VARIANT} $FLAVOR built"
	payload=$KLP_BUILD/payload/$ARCH
	rm -rf "$payload"
	mkdir -p "$payload"
	cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"

	# The livepatch kselftest target, all of it: upstream's tests, as
	# shipped, and ours beside them.  On x86_64 the main guest leaves to
	# the mitigations guest the tests that it alone runs (below).
	if [ "$ARCH" = x86_64 ]; then
		"$KLP_TOP/harness/suite-klp.sh" "$payload/kselftest" --except $X86_MITIGATIONS_ONLY
	else
		"$KLP_TOP/harness/suite-klp.sh" "$payload/kselftest"
	fi

	# Upstream's sample modules, built unmodified against our headers.
	"$KLP_TOP/harness/upstream-samples.sh" "$payload/samples"
	kb_suite "$payload" ||
		echo "$ARCH klp-build setup FAIL 0 (klp-build-suite.sh failed)" >> "$(job_results "$ARCH")"

	# The same kernel on an Intel CPU model with retbleed=stuff and ITS
	# forced: the tests of the dispatcher and of BPF trampolines, which
	# the main guest runs too, and X86_MITIGATIONS_ONLY.
	if [ "$ARCH" = x86_64 ]; then
		payload=$KLP_BUILD/payload/$ARCH-mitigations
		rm -rf "$payload"
		mkdir -p "$payload"
		cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"
		"$KLP_TOP/harness/suite-klp.sh" "$payload/kselftest" \
			test-mitigations.sh test-direct.sh test-bpf.sh \
			test-kprobe-order.sh test-calls.sh $X86_MITIGATIONS_ONLY
	fi
	) || { echo "$arch setup FAIL 0 (harness failed)" >> "$(job_results "$arch")"; continue; }
	if [ "$ARCH" = x86_64 ]; then
		GUEST_CMDLINE=mitigations=off guest "$ARCH" "$ARCH" 2400 "$ARCH" ours "$variant"
		: > "$(job_results mitigations)"
		JOBS_RUN+=(mitigations)
		GUEST_CPU=$MITIGATIONS_CPU GUEST_CMDLINE=$MITIGATIONS_CMDLINE \
			guest mitigations "$ARCH-mitigations" 1800 "$ARCH" ours "$variant"
	else
		guest "$ARCH" "$ARCH" 2400 "$ARCH" ours "$variant"
	fi
done

# klp's build options at the settings they do not default to
# (harness/config/nondefault.config): an x86_64 kernel of its own, booted
# for upstream's kselftests and the tests that concern those options.
NONDEFAULT_TESTS="test-livepatch.sh test-callbacks.sh test-shadow-vars.sh
	test-state.sh test-ftrace.sh test-sysfs.sh test-syscall.sh
	test-direct.sh test-sysfs-abi.sh test-lifecycle.sh test-bad-input.sh
	test-calls.sh test-stacking.sh test-replace.sh test-fault-sleep.sh
	test-stack-tracers.sh"
if [[ " $ARCHES " == *" x86_64 "* ]]; then
	# shellcheck disable=SC2086 # a list of names
	x86_job nondefault 1200 ours nondefault $NONDEFAULT_TESTS
fi

# The upstream kernel, same base and config: our compatibility test with
# the same modules, built against upstream's headers, and klp-build's
# suite built from upstream's tree; only with UPSTREAM_CHECK=1.
if [ "$UPSTREAM_CHECK" = 1 ]; then
	x86_job upstream 900 upstream "" --kb test-compat.sh
fi

# Style, W=1 and kernel-doc, then the series: they run once every kernel
# is built, while the guests run, and use the x86_64 guest kernel's tree,
# so that they add no kernel build of their own.
start=$(date +%s)
# checkpatch once, on the series' patches (below), not also file by file.
if ARCH=x86_64 KCONFIG_VARIANT=$X86_VARIANT LINT_CHECKPATCH_FILES=0 "$KLP_TOP/harness/lint.sh" \
		> "$KLP_BUILD/lint.log" 2>&1; then
	res=PASS
else
	res=FAIL
	grep -vE '^(==>|\[)' "$KLP_BUILD/lint.log" | tail -20
fi
echo "all lint lint.sh $res $(( $(date +%s) - start )) (log: build/lint.log)" >> "$results"
mark "lint done"
# The patch series: cut it (the split must end at our tree) and checkpatch
# every patch.  make series-check also builds every step; too long for here.
start=$(date +%s)
if { "$KLP_TOP/harness/series.sh" && "$KLP_TOP/harness/series-checkpatch.sh"; } \
		> "$KLP_BUILD/series.log" 2>&1; then
	res=PASS
else
	res=FAIL
	tail -20 "$KLP_BUILD/series.log"
fi
echo "all lint series $res $(( $(date +%s) - start )) (log: build/series.log)" >> "$results"
mark "series done"
# klp-build's differ on small objects compiled in two versions: no kernel.
start=$(date +%s)
if "$KLP_TOP/linux/tools/testing/selftests/livepatch/klp-build/run-unit.sh" \
		> "$KLP_BUILD/klp-build-unit.log" 2>&1; then
	res=PASS
else
	res=FAIL
	tail -20 "$KLP_BUILD/klp-build-unit.log"
fi
echo "all lint klp-build-unit $res $(( $(date +%s) - start )) (log: build/klp-build-unit.log)" >> "$results"

say "waiting for the guests"
wait
for job in "${JOBS_RUN[@]}"; do
	guest_status "$job"
	cat "$(job_results "$job")" >> "$results"
done
if [ "${DEBUG_CHECK:-0}" = 1 ]; then
	grep -q "^x86_64-debug kernel kmemleak " "$results" ||
		echo "x86_64-debug kernel kmemleak FAIL 0 (no kmemleak result)" >> "$results"
fi

# Skips that only mean "this kernel cannot run it" count neither way.
awk '$4 == "SKIP" && (($1 == "ppc64le" &&
	$3 ~ /^test-(fault-inject|preempt-unpatch|dispatch-preempt)\.sh$/) ||
	($1 !~ /-mitigations$/ && $3 == "test-mitigations.sh") ||
	($1 == "ppc64le" && $3 == "test-bpf.sh")) {$4 = "n/a"} {print}' \
	"$results" > "$results.tmp" && mv "$results.tmp" "$results"

echo
print_results "$results" arch
echo
gating_failed=0
for suite in lint klp conformance samples klp-build kernel setup; do
	p=$(awk -v s=$suite '$2==s && $4=="PASS"' "$results" | wc -l)
	f=$(awk -v s=$suite '$2==s && $4=="FAIL"' "$results" | wc -l)
	k=$(awk -v s=$suite '$2==s && $4=="SKIP"' "$results" | wc -l)
	[ $((p + f + k)) = 0 ] && continue
	gate=yes
	[ $suite = conformance ] && [ "$CONFORMANCE_GATES" != 1 ] && gate="no (CONFORMANCE_GATES=0)"
	echo "suite $suite: $p passed, $f failed, $k skipped; gates: $gate"
	[ "$gate" = yes ] && [ $((f + k)) -gt 0 ] && gating_failed=1
done
p=$(awk '$4=="PASS"' "$results" | wc -l)
f=$(awk '$4=="FAIL"' "$results" | wc -l)
k=$(awk '$4=="SKIP"' "$results" | wc -l)
mark "done"
echo
print_timeline
echo
echo "$p passed, $f failed, $k skipped"
exit $gating_failed
