#!/usr/bin/env bash
# Binary compatibility (run by make compat-check): patch modules built
# with one kernel's structure layouts, loaded on the other kernel.
#   harness/cross-layout.sh RESULTS
# appends one line per test to RESULTS:
#   x86_64-cross-upstream conformance test-livepatch.sh PASS 13
# and exits non-zero if a guest could not be prepared.
#
# Both x86_64 kernels are built if needed: upstream's (plain config) and
# ours (make check's, bpf+mitigations+preempt+faultinject).  The two configs differ, so each
# module is built against the kernel it runs on, with the other kernel's
# include/linux/livepatch.h included first in its place (same include
# guard): only the structures are foreign.
# - x86_64-cross-upstream: upstream's kselftests that walk a patch's
#   arrays and call its callbacks, on upstream's kernel, our header;
# - x86_64-cross-ours: the same and test-compat.sh on ours, upstream's
#   header (modules limited to upstream's API, KSELFTEST_UPSTREAM_API).
. "$(dirname "$0")/common.sh"
results=${1:?results file}
X86_VARIANT=${X86_VARIANT:-bpf+mitigations+preempt+faultinject}
upstream_tests="test-livepatch.sh test-callbacks.sh test-state.sh"

# cross_guest JOB FLAVOR VARIANT HEADER TAG UPSTREAM_API TEST...
cross_guest() {
	local job=$1 flavor=$2 variant=$3 header=$4 tag=$5 api=$6
	shift 6
	(
	export ARCH=x86_64 FLAVOR=$flavor KCONFIG_VARIANT=$variant
	. "$KLP_TOP/harness/common.sh"
	"$KLP_TOP/harness/kernel.sh" > /dev/null
	payload=$KLP_BUILD/payload/$job
	rm -rf "$payload"
	mkdir -p "$payload"
	cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"
	KSELFTEST_HEADER=$header KSELFTEST_TAG=$tag KSELFTEST_UPSTREAM_API=$api \
		"$KLP_TOP/harness/suite-klp.sh" "$payload/kselftest" "$@"
	say "binary compatibility: $job"
	set +e
	KLP_CMDLINE=mitigations=off "$KLP_TOP/harness/boot.sh" -q -n "$job" -t 900 "$payload"
	set -e
	tr -d '\r' < "$LOGS/$job.log" | grep '^KLP-RESULT ' |
		sed "s/^KLP-RESULT /$job /" >> "$results"
	for t in "$@"; do
		grep -q "^$job [a-z]* $t " "$results" ||
			echo "$job klp $t FAIL 0 (no result: see $LOGS/$job.log)" >> "$results"
	done
	) || { echo "$job setup FAIL 0 (harness failed)" >> "$results"; return 1; }
}

rc=0
# shellcheck disable=SC2086 # one test name per word
cross_guest x86_64-cross-upstream upstream "" \
	"$KLP_TOP/linux/include/linux/livepatch.h" ours-header "" \
	$upstream_tests || rc=1
# shellcheck disable=SC2086
cross_guest x86_64-cross-ours ours "$X86_VARIANT" \
	"$KLP_BUILD/base/linux/include/linux/livepatch.h" upstream-header 1 \
	$upstream_tests test-compat.sh || rc=1
exit $rc
