#!/usr/bin/env bash
# make series-check: prove the series is what it claims.
#  - it applies with git am to a fresh git repository of the pristine base;
#  - the kernel builds after every patch (x86_64, the config of our test
#    kernels), so the series is bisectable;
#  - checkpatch --strict finds nothing in any patch.
# (harness/series-checkpatch.sh says which checkpatch types are allowed.)
# SERIES_BUILD_FROM=N applies every patch but builds only from patch N on,
# for a quick look at the last steps; the final line then says so.
. "$(dirname "$0")/common.sh"
"$KLP_TOP/harness/series.sh"
"$KLP_TOP/harness/series-checkpatch.sh"

R=$KLP_BUILD/series-check
repo=$R/src		# two levels above the objects, like build/src: ccache hits
base_ver=$(cat "$KLP_BUILD/base/VERSION")
git_id=(-c user.name=klp-series-check -c user.email=klp@localhost)

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
git -C "$repo" reset -q --hard pristine
git -C "$repo" clean -qfdx

n=0 failed=0
patches=$(ls "$KLP_BUILD"/series/*.patch | grep -v '/0000-cover-letter\.patch$')
total=$(echo "$patches" | wc -l)
for p in $patches; do
	n=$((n + 1))
	subject=$(sed -n 's/^Subject: //p' "$p" | head -1)
	say "[$n/$total] $subject"
	git -C "$repo" "${git_id[@]}" am -q "$p" || die "patch $n does not apply: $p"
	[ "$n" -ge "${SERIES_BUILD_FROM:-1}" ] || continue
	if ! KLP_NO_OVERLAY=1 KLP_SRC=$repo KLP_OBJ=$R/obj/x86_64 \
			KLP_BUILD_NAME=series ARCH=x86_64 FLAVOR=ours \
			"$KLP_TOP/harness/kernel.sh" | tail -1; then
		echo "series-check: the kernel does not build after patch $n" >&2
		failed=$((failed + 1))
	fi
done
# The applied series must be our tree.
for f in $(git -C "$KLP_TOP" ls-files linux); do
	cmp -s "$KLP_TOP/$f" "$repo/${f#linux/}" || { echo "series-check: ${f#linux/} differs from linux/" >&2; failed=$((failed + 1)); }
done
[ "$failed" = 0 ] || die "series-check: $failed problem(s)"
built="each builds"
[ "${SERIES_BUILD_FROM:-1}" = 1 ] || built="patches ${SERIES_BUILD_FROM}-$total build"
echo "series-check: $total patches apply to the pristine base with git am, $built (x86_64), checkpatch --strict clean"
