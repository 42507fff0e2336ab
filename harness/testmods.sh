#!/usr/bin/env bash
# Build a directory of external test modules against the ARCH kernel:
#   testmods.sh SRC_DIR OUT_DIR
# SRC_DIR is copied to OUT_DIR first (the pristine base and
# our own tree are never written to), then built with kbuild's M=.  Then
# klp-convert.py (beside the selftests) turns placeholder symbols into klp
# relocations.
. "$(dirname "$0")/common.sh"
src=${1:?source dir} out=${2:?output dir}
mkdir -p "$out"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '*.mod*' \
	--exclude '.*.cmd' --exclude 'Module.symvers' --exclude 'modules.order' \
	"$src/" "$out/"
kmake M="$out" modules > "$out/build.log" 2>&1 ||
	{ tail -30 "$out/build.log" >&2; die "test modules in $src failed to build"; }
# Live patches that reach unexported symbols get their klp relocations now
# (see klp-convert.py); modules without placeholders stay as built.
python3 "$KLP_TOP/linux/tools/testing/selftests/livepatch/klp-convert.py" "$out"/*.ko >> "$out/build.log" ||
	die "klp-convert failed on the test modules in $src"
