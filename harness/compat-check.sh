#!/usr/bin/env bash
# `make compat-check`: the comparison with upstream on every arch.
#   harness/compat-check.sh            (ARCHES="x86_64 ppc64le" by default)
# Builds the upstream kernel of each arch from the same base and config
# and runs, in its guest, upstream's seven kselftests and our
# test-compat.sh, with our modules built against upstream's headers.
# (make check does it for test-compat.sh on x86_64 only with
# UPSTREAM_CHECK=1: it would not fit make check's time on a cold machine.)
# On x86_64 it then checks binary compatibility both ways: modules built
# with one kernel's structure layouts on the other kernel
# (harness/cross-layout.sh; CROSS_LAYOUT=0 leaves it out).
# Prints one line per test and exits non-zero unless all passed.
. "$(dirname "$0")/common.sh"

ARCHES=${ARCHES:-x86_64 ppc64le}
"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/base.sh" > /dev/null
results=$KLP_BUILD/compat-results.txt
: > "$results"
for arch in $ARCHES; do
	(
	export ARCH=$arch FLAVOR=upstream
	. "$KLP_TOP/harness/common.sh"
	"$KLP_TOP/harness/kernel.sh"
	payload=$KLP_BUILD/payload/compat-$ARCH
	rm -rf "$payload"
	mkdir -p "$payload"
	cp "$KLP_TOP/harness/guest/run-suites.sh" "$payload/run.sh"
	"$KLP_TOP/harness/suite-klp.sh" "$payload/kselftest" test-livepatch.sh \
		test-callbacks.sh test-shadow-vars.sh test-state.sh test-ftrace.sh \
		test-sysfs.sh test-syscall.sh test-compat.sh
	say "running upstream's kselftests and test-compat.sh on upstream's $ARCH kernel"
	set +e
	"$KLP_TOP/harness/boot.sh" -q -n compat -t 1500 "$payload"
	set -e
	tr -d '\r' < "$LOGS/compat.log" | grep '^KLP-RESULT ' |
		sed "s/^KLP-RESULT /$ARCH-upstream /" >> "$results"
	) || echo "$arch-upstream setup FAIL 0 (harness failed)" >> "$results"
done
case " $ARCHES " in
*" x86_64 "*)
	[ "${CROSS_LAYOUT:-1}" = 1 ] && { "$KLP_TOP/harness/cross-layout.sh" "$results" || true; } ;;
esac
cat "$results"
p=$(awk '$4 == "PASS"' "$results" | wc -l)
f=$(awk '$4 != "PASS"' "$results" | wc -l)
echo "$p passed, $f failed"
[ "$f" = 0 ] && [ "$p" -gt 0 ]
