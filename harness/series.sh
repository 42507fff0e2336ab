#!/usr/bin/env bash
# make series: our tree as a git format-patch series against the pristine
# base, in build/series/ (see harness/series.py for how it is cut).
. "$(dirname "$0")/common.sh"
"$KLP_TOP/harness/base.sh" >/dev/null
python3 "$KLP_TOP/harness/series.py" "$KLP_BUILD/base/linux" "$KLP_TOP" \
	"$KLP_BUILD/series"
