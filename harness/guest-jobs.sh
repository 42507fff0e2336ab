# shellcheck shell=bash
# Test guests that run in the background while the harness goes on
# building; sourced by check.sh and series-check.sh after common.sh.
#
# GJ_TAG (check, series-check) names every file of a run:
#   build/GJ_TAG-results.JOB.txt   the results of job JOB, one line each:
#                                  PREFIX SUITE TEST PASS|FAIL|SKIP SECONDS
#   build/GJ_TAG-boot-JOB.out      what boot.sh said, and the guest's notes
#   build/logs/ARCH/GJ_TAG-JOB.log the guest's console
#   build/GJ_TAG-timeline.txt      when each step of the run happened
# A guest that never reports a test it was to run gets a FAIL line for it,
# so that a crash or a hang cannot pass for a short run.

GJ_TAG=${GJ_TAG:?GJ_TAG names the run}
GJ_T0=$(date +%s)
GJ_TIMELINE=$KLP_BUILD/$GJ_TAG-timeline.txt
: > "$GJ_TIMELINE"

# mark TEXT: a line of the timeline, in seconds since the run started.
mark() { echo "$(( $(date +%s) - GJ_T0 )) $*" >> "$GJ_TIMELINE"; }

# print_timeline: where the time of the run went.
print_timeline() {
	echo "timeline (seconds since start):"
	sort -n "$GJ_TIMELINE" | awk '{printf "  %5d  %s\n", $1, substr($0, length($1) + 2)}'
}

job_results() { echo "$KLP_BUILD/$GJ_TAG-results.$1.txt"; }

# expect_results PREFIX KSELFTEST_DIR LOG OUT: a FAIL line in OUT for
# every test the kselftest install was to run that reported nothing.
expect_results() {
	local prefix=$1 dir=$2 log=$3 out=$4 t suite
	if [ -f "$dir/SELECT" ]; then
		cat "$dir/SELECT"
	else
		sed -n 's/^livepatch://p' "$dir/kselftest-list.txt"
	fi | while read -r t; do
		grep -qE "^$prefix (klp|conformance) $t " "$out" && continue
		suite=klp
		[ -f "$KLP_BUILD/base/linux/tools/testing/selftests/livepatch/$t" ] &&
			suite=conformance
		echo "$prefix $suite $t FAIL 0 (no result: see $log)" >> "$out"
	done
}

# guest_fg JOB PREFIX TIMEOUT ARCH FLAVOR [VARIANT]: boot the payload of
# that kernel (build/payload/PREFIX) and record its results under PREFIX
# in job_results JOB.  GUEST_CMDLINE and GUEST_CPU set for the call add
# kernel parameters and choose the QEMU CPU model; KLP_SRC and KLP_OBJ,
# exported, name a kernel outside build/obj (common.sh).  guest: the
# same, in the background.
guest() {
	guest_fg "$@" &
}

guest_fg() {
	local job=$1 prefix=$2 timeout=$3 out log payload boot
	out=$(job_results "$job")
	boot=$KLP_BUILD/$GJ_TAG-boot-$job.out
	payload=$KLP_BUILD/payload/$prefix
	say "running the suites in the $prefix guest"
	mark "guest $prefix started"
	(
	set +e
	export ARCH=$4 FLAVOR=$5 KCONFIG_VARIANT=${6:-}
	export KLP_CMDLINE=${GUEST_CMDLINE:-} KLP_QEMU_CPU=${GUEST_CPU:-}
	. "$KLP_TOP/harness/common.sh"
	set +e
	log=$LOGS/$GJ_TAG-$job.log
	# Never read the results of an earlier run.
	rm -f "$log"
	"$KLP_TOP/harness/boot.sh" -q -n "$GJ_TAG-$job" -t "$timeout" "$payload" \
		> "$boot" 2>&1
	echo "guest $prefix: boot status $?" >> "$boot"
	mark "guest $prefix done"
	tr -d '\r' < "$log" | grep '^KLP-RESULT ' |
		sed "s/^KLP-RESULT /$prefix /" >> "$out"
	# Reports the guest did not count (run-suites.sh says why), shown.
	tr -d '\r' < "$log" | grep -A1 '^KLP-NOTE' | sed "s/^/guest $prefix: /" \
		>> "$boot" || true
	[ -d "$payload/kselftest" ] &&
		expect_results "$prefix" "$payload/kselftest" "$log" "$out"
	for suite in samples klp-build; do
		[ -f "$payload/$suite/SUITE" ] || continue
		for t in $(cat "$payload/$suite/SUITE"); do
			grep -q "^$prefix $suite $t " "$out" ||
				echo "$prefix $suite $t FAIL 0 (no result: see $log)" >> "$out"
		done
	done
	)
}

# guest_status JOB: the lines of boot.sh's report worth showing (its
# status, a timeout, a crash, the guest's notes).
guest_status() {
	grep -E 'boot status|timed out|crashed|without a status|KLP-NOTE|guest .*: \[' \
		"$KLP_BUILD/$GJ_TAG-boot-$1.out" 2>/dev/null || true
}

# print_results FILE HEADING: the results, one aligned line each, under a
# heading for their first column (arch, kernel).
print_results() {
	local w
	w=$(awk -v h="$2" 'BEGIN {w = length(h)} length($1) > w {w = length($1)} END {print w}' "$1")
	printf "%-${w}s %-12s %-28s %s\n" "$2" suite test result
	while read -r k suite t res secs rest; do
		printf "%-${w}s %-12s %-28s %s %ss %s\n" "$k" "$suite" "$t" "$res" "$secs" "$rest"
	done < "$1"
}
