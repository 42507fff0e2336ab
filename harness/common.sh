# shellcheck shell=bash
# Shared settings of the klp harness; sourced by every harness script.
#
# ARCH is one of x86_64 (default) or ppc64le.  Everything generated lives
# under build/, which git ignores; the kernel build trees there are reused
# between runs, so only what changed gets rebuilt.
set -euo pipefail

# Launched from the top Makefile, we would hand its command-line variables
# (ARCH=ppc64le) down to the kernel's make through MAKEFLAGS, where they
# override ours (ARCH=powerpc).  The harness drives its own makes.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

KLP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KLP_BUILD=${KLP_BUILD:-$KLP_TOP/build}
ARCH=${ARCH:-x86_64}
FLAVOR=${FLAVOR:-ours}		# ours | upstream (the base left as it is)
BASE_TARBALL=/usr/src/linux-source-6.12.tar.xz

case "$ARCH" in
x86_64)
	KARCH=x86
	CROSS=
	DEBARCH=amd64
	KIMAGE=arch/x86/boot/bzImage
	;;
ppc64le)
	KARCH=powerpc
	CROSS=powerpc64le-linux-gnu-
	DEBARCH=ppc64el
	KIMAGE=vmlinux
	;;
*)
	echo "unknown ARCH '$ARCH' (x86_64 or ppc64le)" >&2
	exit 2
	;;
esac

# The overlaid source tree (base minus upstream livepatch, plus linux/),
# Debian's own tools first: checkpatch's spdxcheck needs Debian's python3
# with python3-ply, not whatever python a user's PATH puts first.
export PATH=/usr/bin:/bin:$PATH
# the pristine base, and one object tree per arch and flavor.
SRC_OURS=$KLP_BUILD/src
SRC_UPSTREAM=$KLP_BUILD/base/linux
if [ "$FLAVOR" = upstream ]; then SRC=$SRC_UPSTREAM; else SRC=$SRC_OURS; fi
OBJ=$KLP_BUILD/obj/$FLAVOR-$ARCH${KCONFIG_VARIANT:+-$KCONFIG_VARIANT}
# Another tree (make series-check builds each step of the series).
if [ -n "${KLP_SRC:-}" ]; then SRC=$KLP_SRC; OBJ=$KLP_OBJ; fi
LOGS=$KLP_BUILD/logs/$ARCH
JOBS=${JOBS:-$(nproc)}

# ccache keeps compiled objects across clean clones of the repository.
export CCACHE_DIR=${CCACHE_DIR:-/var/cache/klp-ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# Kernel objects embed no absolute source paths we care about; let ccache
# share hits between trees laid out in different directories.
export CCACHE_BASEDIR=$KLP_BUILD
export CCACHE_NOHASHDIR=1

kmake() {
	make -C "$SRC" O="$OBJ" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" \
		KBUILD_BUILD_TIMESTAMP="klp" KBUILD_BUILD_USER=klp \
		KBUILD_BUILD_HOST=klp -j"$JOBS" "$@"
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
