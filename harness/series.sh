#!/usr/bin/env bash
# make series: our tree as a git format-patch series against the pristine
# base, in build/series/ (see harness/series.py for how it is cut), with
# its cover letter (series/00-cover.txt, and the goals of the last
# complete make bench run, bench/goals.tsv).
. "$(dirname "$0")/common.sh"
"$KLP_TOP/harness/base.sh" >/dev/null
python3 "$KLP_TOP/harness/series.py" "$KLP_BUILD/base/linux" "$KLP_TOP" \
	"$KLP_BUILD/series"
