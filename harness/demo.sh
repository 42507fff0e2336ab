#!/usr/bin/env bash
# `make demo`: build what is needed, boot a guest, live-patch it before
# your eyes.  ARCH=x86_64 (default) or ppc64le.
. "$(dirname "$0")/common.sh"

# make demo PATCH=fix.patch: the third act, a diff of your own
[ -z "${PATCH:-}" ] || exec "$KLP_TOP/harness/klp-demo.sh"

"$KLP_TOP/harness/deps.sh"
"$KLP_TOP/harness/kernel.sh"
payload=$(mktemp -d "${TMPDIR:-/tmp}/klp-demo.XXXXXX")
trap 'rm -rf "$payload"' EXIT
cp "$KLP_TOP/harness/guest/demo.sh" "$payload/run.sh"
cp "$OBJ/samples/livepatch/livepatch-sample.ko" "$payload/"
say "booting the $ARCH guest (TCG; the console follows)"
exec "$KLP_TOP/harness/boot.sh" -n demo -t 300 "$payload"
