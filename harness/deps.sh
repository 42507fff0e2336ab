#!/usr/bin/env bash
# Install the Debian packages the harness needs, if any are missing.
# Safe to run every time: it only calls apt-get when something is absent.
# Arguments: further packages that the calling script needs.
. "$(dirname "$0")/common.sh"

PKGS=(linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
      cpio xz-utils rsync ccache python3 python3-ply dwarves kmod git
      qemu-system-x86 qemu-system-ppc
      gcc-powerpc64le-linux-gnu binutils-powerpc64le-linux-gnu
      libc6-dev-ppc64el-cross busybox-static
      gcc-s390x-linux-gnu binutils-s390x-linux-gnu
      clang libbpf-dev zlib1g-dev libzstd-dev)
# A script's own further needs (make bench: gnuplot-nox).
PKGS+=("$@")

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	[ "$(id -u)" = 0 ] || die "run as root to install: ${missing[*]}"
	apt-get update -qq || echo "apt-get update reported errors; trying the install anyway" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi
