#!/usr/bin/env bash
# make series-check: prove the series is what it claims.
#  - it applies with git am to a fresh git repository of the pristine base;
#  - the kernel builds after every patch (x86_64, the config of our quick
#    test kernel), so the series is bisectable;
#  - checkpatch --strict finds nothing in any patch
#    (harness/series-checkpatch.sh says which checkpatch types are allowed);
#  - at the core point (the last patch before the first build option) the
#    kernel behaves like upstream's: upstream's 7 kselftests and our tests
#    present at that point pass in a guest, on x86_64 and on ppc64le;
#  - at the end upstream's kselftests pass, on both arches;
#  - every improvement can be taken out alone: with its build option off
#    (each option in turn, the others at their defaults), the x86_64
#    kernel builds and passes upstream's kselftests and the tests of that
#    option; an improvement without an option (klp-build) is reverted with
#    git revert on top of the whole series, without a conflict, and the
#    result builds and passes upstream's kselftests.
# Prints one line per guest test, then "N passed, N failed".
# SERIES_BUILD_FROM=N applies every patch but builds only from patch N on
# and boots nothing: a quick look at the last steps.
. "$(dirname "$0")/common.sh"
"$KLP_TOP/harness/series.sh"
"$KLP_TOP/harness/series-checkpatch.sh"
GJ_TAG=series-check
. "$KLP_TOP/harness/guest-jobs.sh"

R=$KLP_BUILD/series-check
repo=$R/src		# two levels above the objects, like build/src: ccache hits
base_ver=$(cat "$KLP_BUILD/base/VERSION")
git_id=(-c user.name=klp-series-check -c user.email=klp@localhost)
steps=$KLP_BUILD/series/steps.tsv
quick=0
[ "${SERIES_BUILD_FROM:-1}" = 1 ] || quick=1

UPSTREAM_TESTS="test-livepatch.sh test-callbacks.sh test-shadow-vars.sh
	test-state.sh test-ftrace.sh test-sysfs.sh test-syscall.sh"
# Our tests of each build option, which check the option's off setting
# (klp_kconfig in klp-lib.sh): run with upstream's on the kernel that has
# that option off.  Every option of the series must be listed.
declare -A OFF_TESTS=(
	[LIVEPATCH_TRANSITION_INFO]="test-sysfs-abi.sh test-fault-sleep.sh test-stack-tracers.sh"
	[LIVEPATCH_EVENT_COMPLETION]="test-replace.sh test-stacking.sh"
	[LIVEPATCH_SLEEP_SWITCH]="test-calls.sh test-switch-points.sh"
	[LIVEPATCH_STACK_SCAN]="test-stack-scan.sh"
	[LIVEPATCH_DIRECT_CALLS]="test-direct.sh test-calls.sh"
	[LIVEPATCH_LIFECYCLE_API]="test-lifecycle.sh test-bad-input.sh"
	[LIVEPATCH_SYSFS_ADDRS]="test-sysfs-abi.sh test-lifecycle.sh"
)
# The core point's guests run every test present there but these:
#  x86_64: test-mitigations.sh needs an Intel CPU model and its own
#          command line (make check's mitigations guest);
#  ppc64le: the base has no BPF trampolines there, and the ppc64le test
#          kernel is not preemptible and has no fault injection (as in
#          make check, where they count as n/a).
CORE_EXCEPT_x86_64="test-mitigations.sh"
CORE_EXCEPT_ppc64le="test-bpf.sh test-fault-inject.sh test-preempt-unpatch.sh test-mitigations.sh"
# The x86_64 core kernel is make check's main one (BTF for test-bpf.sh,
# preemptible, fault injection), booted as make check boots it.
CORE_VARIANT_x86_64=bpf+mitigations+preempt+faultinject
CORE_CMDLINE_x86_64=mitigations=off
# Guests at once, beside the builds (a guest keeps one CPU busy).
MAX_GUESTS=${MAX_GUESTS:-2}

if [ "$(cat "$R/VERSION" 2>/dev/null)" != "$base_ver" ] || [ ! -d "$repo/.git" ]; then
	say "creating a git repository of the pristine base"
	rm -rf "$R"
	mkdir -p "$R"
	cp -a "$KLP_BUILD/base/linux" "$repo.tmp"
	git -C "$repo.tmp" init -q
	# Debian's top-level .gitignore ignores everything: force.
	git -C "$repo.tmp" add -A -f
	git -C "$repo.tmp" "${git_id[@]}" commit -qm "pristine base: Debian linux-source-6.12 $base_ver"
	git -C "$repo.tmp" tag pristine
	mv "$repo.tmp" "$repo"
	echo "$base_ver" > "$R/VERSION"
fi
git -C "$repo" am --abort >/dev/null 2>&1 || true
git -C "$repo" revert --abort >/dev/null 2>&1 || true
git -C "$repo" reset -q --hard pristine
git -C "$repo" clean -qfdx
rm -f "$KLP_BUILD/$GJ_TAG"-results.*.txt "$KLP_BUILD/$GJ_TAG"-boot-*.out

failed=0
problem() { echo "series-check: $*" >&2; failed=$((failed + 1)); }

# build NAME ARCH [VARIANT [FRAGMENT]]: build the repository as it is now
# in $R/obj/NAME; "kernel: ... built" on success.
build() {
	KLP_NO_OVERLAY=1 KLP_SRC=$repo KLP_OBJ=$R/obj/$1 KLP_BUILD_NAME=series-$1 \
		ARCH=$2 FLAVOR=ours KCONFIG_VARIANT=${3:-} KCONFIG_EXTRA=${4:-} \
		"$KLP_TOP/harness/kernel.sh" | tail -1
}

# boot NAME OBJ ARCH VARIANT TIMEOUT SUITE_ARGS...: our kselftest install
# (suite-klp.sh SUITE_ARGS) built from the repository against the kernel
# in $R/obj/OBJ, then a guest of that kernel in the background, job NAME.
# The kernel image is copied first: the next builds in $R/obj/OBJ cannot
# change what the guest boots.
JOBS_RUN=()
boot() {
	local name=$1 obj=$2 arch=$3 variant=$4 timeout=$5 img kimage
	shift 5
	img=$R/img/$name
	while [ "$(jobs -rp | wc -l)" -ge "$MAX_GUESTS" ]; do wait -n || true; done
	: > "$(job_results "$name")"
	JOBS_RUN+=("$name")
	if ! (
	export ARCH=$arch FLAVOR=ours KCONFIG_VARIANT=$variant
	export KLP_SRC=$repo KLP_OBJ=$R/obj/$obj KSELFTEST_TAG=series-$name
	. "$KLP_TOP/harness/common.sh"
	kimage=$KIMAGE
	rm -rf "$img"
	mkdir -p "$img/$(dirname "$kimage")"
	cp "$OBJ/$kimage" "$img/$kimage"
	payload=$KLP_BUILD/payload/series-$name
	rm -rf "$payload"
	mkdir -p "$payload"
	cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"
	"$KLP_TOP/harness/suite-klp.sh" "$payload/kselftest" "$@" | tail -1
	); then
		echo "series-$name setup FAIL 0 (the kselftests did not build)" >> "$(job_results "$name")"
		return
	fi
	KLP_SRC=$repo KLP_OBJ=$img guest "$name" "series-$name" "$timeout" \
		"$arch" ours "$variant"
}

core=$(awk -F'\t' '$3 != "" {print $1 - 1; exit}' "$steps")
[ -n "$core" ] && [ "$core" -gt 0 ] || die "no core point in $steps"
patches=$(ls "$KLP_BUILD"/series/*.patch | grep -v '/0000-cover-letter\.patch$')
total=$(echo "$patches" | wc -l)
n=0
for p in $patches; do
	n=$((n + 1))
	subject=$(sed -n 's/^Subject: //p' "$p" | head -1)
	say "[$n/$total] $subject"
	git -C "$repo" "${git_id[@]}" am -q "$p" || die "patch $n does not apply: $p"
	git -C "$repo" tag -f "step-$n" >/dev/null
	[ "$n" -ge "${SERIES_BUILD_FROM:-1}" ] || continue
	if ! build x86_64 x86_64; then
		problem "the kernel does not build after patch $n"
		continue
	fi
	mark "patch $n built"
	[ "$n" = "$core" ] && [ $quick = 0 ] || continue
	# The core point, on both arches: every test present there.
	say "the core point (patch $n): x86_64 and ppc64le guests"
	# shellcheck disable=SC2086 # lists of names
	if build core-x86_64 x86_64 "$CORE_VARIANT_x86_64"; then
		GUEST_CMDLINE=$CORE_CMDLINE_x86_64 boot core-x86_64 core-x86_64 \
			x86_64 "$CORE_VARIANT_x86_64" 3600 --except $CORE_EXCEPT_x86_64
	else
		problem "the x86_64 core kernel does not build"
	fi
	if build ppc64le ppc64le; then
		# shellcheck disable=SC2086
		boot core-ppc64le ppc64le ppc64le "" 3600 --except $CORE_EXCEPT_ppc64le
	else
		problem "the ppc64le core kernel does not build"
	fi
	mark "core point guests started"
done

# The applied series must be our tree.
for f in $(git -C "$KLP_TOP" ls-files linux); do
	cmp -s "$KLP_TOP/$f" "$repo/${f#linux/}" || problem "${f#linux/} differs from linux/"
done

if [ $quick = 1 ]; then
	[ "$failed" = 0 ] || die "series-check: $failed problem(s)"
	echo "series-check: $total patches apply to the pristine base with git am, patches ${SERIES_BUILD_FROM}-$total build (x86_64), checkpatch --strict clean; no guest booted (SERIES_BUILD_FROM)"
	exit 0
fi

# The build options the end kernel has off (their default): that kernel
# is their off build, and runs their tests.
cp "$R/obj/x86_64/.config" "$R/end.config"
default_off=() default_off_tests=()
for o in $(cut -f3 "$steps"); do
	[ -n "${OFF_TESTS[$o]:-}" ] || problem "$o: no tests for its off setting in OFF_TESTS"
	grep -q "^CONFIG_$o=y" "$R/end.config" && continue
	default_off+=("$o")
	# shellcheck disable=SC2206 # a list of names
	default_off_tests+=(${OFF_TESTS[$o]:-})
done
# The end of the series, on both arches: upstream's kselftests.
# shellcheck disable=SC2086,SC2046 # lists of names
boot x86_64 x86_64 x86_64 "" 1800 $UPSTREAM_TESTS \
	$(printf '%s\n' "${default_off_tests[@]}" | sort -u)
if build ppc64le ppc64le; then
	# shellcheck disable=SC2086
	boot ppc64le ppc64le ppc64le "" 1800 $UPSTREAM_TESTS
else
	problem "the ppc64le kernel does not build at the end"
fi

# Each improvement taken out alone.  With its option off: the x86_64
# kernel of the whole series, that option off, the others at their
# defaults.  An option off by default is off in the end kernel already.
declare -A route
while IFS=$'\t' read -r -u 3 num slug opts; do
	[ "$num" -gt "$core" ] || continue
	if [ -z "$opts" ]; then
		route[$slug]="git revert of patch $num"
		continue
	fi
	route[$slug]="Kconfig off: $opts"
	for o in $opts; do
		if [[ " ${default_off[*]} " == *" $o "* ]]; then
			route[$slug]+=" ($o is off by default: the end kernel)"
			continue
		fi
		frag=$R/config/off-$o.config
		mkdir -p "$R/config"
		echo "CONFIG_$o=n" > "$frag"
		name=off-${o#LIVEPATCH_}
		name=x86_64-${name,,}
		say "$slug: $o off"
		if build x86_64 x86_64 "" "$frag"; then
			# shellcheck disable=SC2086
			boot "$name" x86_64 x86_64 "" 1800 $UPSTREAM_TESTS ${OFF_TESTS[$o]}
		else
			problem "the kernel does not build with $o off"
		fi
	done
done 3< "$steps"

# Improvements without an option: reverted on top of the whole series.
while IFS=$'\t' read -r -u 3 num slug opts; do
	[ "$num" -gt "$core" ] && [ -z "$opts" ] || continue
	say "$slug: git revert of patch $num"
	git -C "$repo" reset -q --hard "step-$total"
	if ! git -C "$repo" "${git_id[@]}" revert --no-edit "step-$num" >/dev/null; then
		problem "patch $num does not revert cleanly"
		git -C "$repo" revert --abort >/dev/null 2>&1 || true
		continue
	fi
	name=x86_64-revert-$num
	if build x86_64 x86_64; then
		# shellcheck disable=SC2086
		boot "$name" x86_64 x86_64 "" 1800 $UPSTREAM_TESTS
	else
		problem "the kernel does not build with patch $num reverted"
	fi
done 3< "$steps"

say "waiting for the guests"
wait
results=$KLP_BUILD/series-check-results.txt
: > "$results"
for job in "${JOBS_RUN[@]}"; do
	guest_status "$job"
	cat "$(job_results "$job")" >> "$results"
done
echo
print_results "$results" kernel
echo
echo "improvements after the core point (patch $core), each taken out alone:"
while IFS=$'\t' read -r -u 3 num slug opts; do
	[ "$num" -gt "$core" ] || continue
	echo "  $num $slug: ${route[$slug]}"
done 3< "$steps"
echo
print_timeline
p=$(awk '$4=="PASS"' "$results" | wc -l)
f=$(awk '$4!="PASS"' "$results" | wc -l)
echo
echo "$p passed, $f failed or skipped"
[ "$failed" = 0 ] && [ "$f" = 0 ] && [ "$p" -gt 0 ] ||
	die "series-check: $failed problem(s), $f test(s) failed or skipped"
echo "series-check: $total patches apply to the pristine base with git am, each builds (x86_64), checkpatch --strict clean; the core point (patch $core) and the end pass in guests on x86_64 and ppc64le, and each improvement taken out alone passes on x86_64"
