#!/usr/bin/env bash
# checkpatch --strict on every patch of build/series (made by series.sh).
# Allowed: FILE_PATH_CHANGES, because every path the series adds or
# removes already sits under the LIVE PATCHING entry of MAINTAINERS except
# two new headers, whose entry is left to a MAINTAINERS patch outside this
# series; and, per file, the types harness/lint-exceptions lists with their
# reasons, the same that make lint allows.
. "$(dirname "$0")/common.sh"

ignores() {
	local types=FILE_PATH_CHANGES f t
	for f in $(sed -n 's|^+++ b/||p' "$1"); do
		t=$(awk -v f="$f" '$1 == f {print $2}' "$KLP_TOP/harness/lint-exceptions")
		if [ -n "$t" ]; then types+=",$t"; fi
	done
	echo "$types"
}

failed=0 n=0
for p in "$KLP_BUILD"/series/*.patch; do
	# The cover letter changes no file.
	[ "$(basename "$p")" != 0000-cover-letter.patch ] || continue
	n=$((n + 1))
	# --terse prints nothing at all for a clean patch.
	if ! out=$(perl "$KLP_BUILD/base/linux/scripts/checkpatch.pl" --strict \
			--terse --show-types --ignore "$(ignores "$p")" "$p" 2>&1) ||
	   grep -qE '(ERROR|WARNING|CHECK):' <<< "$out"; then
		echo "$out"
		echo "checkpatch: $(basename "$p") is not clean" >&2
		failed=$((failed + 1))
	fi
done
rm -f .checkpatch-camelcase.*
[ "$failed" = 0 ] || die "checkpatch: $failed of $n patches not clean"
echo "checkpatch --strict: $n patches clean"
