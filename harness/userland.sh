#!/bin/bash
# Build the initramfs userland of the QEMU test guests from Debian packages:
# apt-get download + dpkg -x into a merged-usr root, with no chroot and no
# emulation, so one code path serves every guest arch.
# Usage: harness/userland.sh x86_64|ppc64le; writes build/userland/ARCH/
# {rootfs/,userland.cpio}, caches .debs in build/debs/DEBARCH/.
set -euo pipefail

# Tools the livepatch kselftests and our job scripts call, then the shared
# libraries their ELF files need (check_elf_closure names any that is missing).
# A package that is Architecture: all must be written as NAME:all.
PACKAGES=(
	busybox-static bash coreutils libc6 libc-bin kmod procps mawk grep sed
	util-linux findutils diffutils
	libgcc-s1 libtinfo6 libacl1 libattr1 libselinux1 libpcre2-8-0 libgmp10
	liblzma5 libzstd1 libssl3 libproc2-0 libsystemd0 libcap2
	liblz4-1 libgcrypt20 libgpg-error0 libblkid1 libmount1 libsmartcols1
	libuuid1 libudev1 libcap-ng0 libcrypt1 libpam0g libaudit1 libncursesw6 zlib1g
)
# Bulk no test reads; gconv is iconv's charset modules (UTF-8 needs none).
PRUNE=(usr/share/doc usr/share/man usr/share/locale usr/share/info
	usr/share/lintian usr/share/bug usr/share/bash-completion)

die() { echo "userland.sh: error: $*" >&2; exit 1; }

SELF=$(readlink -f "${BASH_SOURCE[0]}")
REPO=$(dirname "$(dirname "$SELF")")
INIT=$REPO/harness/guest/init
ARCH=${1:-}
case $ARCH in
x86_64)  DEBARCH=amd64   TRIPLET=x86_64-linux-gnu ;;
ppc64le) DEBARCH=ppc64el TRIPLET=powerpc64le-linux-gnu ;;
*) die "usage: $0 x86_64|ppc64le" ;;
esac
OUT=$REPO/build/userland/$ARCH
ROOTFS=$OUT/rootfs
STAMP=$OUT/.stamp
[ "$(id -u)" = 0 ] || die "must run as root (mknod, apt-get)"
# Guests of one arch may start together (make check's x86_64 and
# mitigations guests): the first builds, the others wait for it and
# then find it done.
mkdir -p "$OUT"
exec 9> "$OUT.lock"
flock 9

# The package list lives in this script, so hashing it covers the list too.
inputs_hash() { cat "$SELF" "$INIT" <(echo "$ARCH") | sha256sum | cut -d' ' -f1; }

# Tolerate a broken index (e.g. a mirror mid-sync): a package really
# missing then still makes apt-get download fail loudly.
apt_update() { apt-get update || echo "userland.sh: warning: apt-get update failed" >&2; }

ensure_host_tools() {
	local pkg missing=()
	for pkg in cpio binutils; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$pkg")
	done
	[ ${#missing[@]} = 0 ] || { apt_update; DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "${missing[@]}"; }
}

ensure_foreign_arch() { # $1: debian arch
	[ "$1" = "$(dpkg --print-architecture)" ] || dpkg --print-foreign-architectures |
		grep -qx "$1" || { dpkg --add-architecture "$1"; apt_update; }
}

# Print the cached .deb of each package, downloading those not cached yet.
fetch_debs() { # $1: debian arch, rest: packages
	local arch=$1 dir=$REPO/build/debs/$1 pkg globs=() missing=()
	shift
	mkdir -p "$dir"
	for pkg; do
		[[ $pkg == *:* ]] || pkg=$pkg:$arch
		globs+=("$dir/${pkg%%:*}_*_${pkg#*:}.deb")
		compgen -G "${globs[-1]}" >/dev/null || missing+=("$pkg")
	done
	if [ ${#missing[@]} != 0 ]; then
		# Sandbox user root: _apt may not be allowed to write into the repo.
		local dl=(apt-get download -q -o APT::Sandbox::User=root "${missing[@]}")
		(cd "$dir" && "${dl[@]}") >&2 || { apt_update >&2; (cd "$dir" && "${dl[@]}") >&2; } ||
			die "could not download: ${missing[*]}"
	fi
	for pkg in "${globs[@]}"; do compgen -G "$pkg" | tail -n 1; done
}

# dpkg -x into a temp dir, then fold /bin /sbin /lib /lib64 into /usr:
# Debian 12 packages still ship files under the unmerged paths.
extract_deb_merged() { # $1: .deb
	local tmp d
	tmp=$(mktemp -d "$OUT/x.XXXXXX")
	dpkg -x "$1" "$tmp"
	for d in bin sbin lib lib64; do
		[ -d "$tmp/$d" ] || continue
		cp -a "$tmp/$d/." "$ROOTFS/usr/$d/"
		rm -rf "${tmp:?}/$d"
	done
	cp -a "$tmp/." "$ROOTFS/"
	rm -rf "$tmp"
}

# Link busybox applets only where no real tool is shipped. The applet list
# comes from the host-arch busybox (same version), which we can run here.
link_busybox_applets() {
	local deb tmp applets path name
	deb=$(fetch_debs "$(dpkg --print-architecture)" busybox-static)
	tmp=$(mktemp -d "$OUT/bb.XXXXXX")
	dpkg -x "$deb" "$tmp"
	applets=$("$tmp/bin/busybox" --list-full)
	while read -r path; do
		name=${path##*/} path=usr/${path#usr/}
		[ -e "$ROOTFS/usr/bin/$name" ] || [ -e "$ROOTFS/usr/sbin/$name" ] ||
			ln -s /bin/busybox "$ROOTFS/$path"
	done <<<"$applets"
	rm -rf "$tmp"
}

# Absolute links (/lib64/ld-*.so -> /lib/..., /sbin/insmod -> /bin/kmod)
# would resolve against the host here; make them relative so they work
# both in the guest and for the checks below.
relativize_symlinks() {
	local link target
	while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		ln -sfn "$(realpath -s -m --relative-to="$(dirname "$link")" "$ROOTFS$target")" "$link"
	done < <(find "$ROOTFS" -type l -lname '/*' -print0)
}

add_system_files() {
	mkdir -p "$ROOTFS"/{proc,sys,dev,tmp,root,run,var,payload,etc}
	chmod 1777 "$ROOTFS/tmp"
	printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' \
		'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >"$ROOTFS/etc/passwd"
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$ROOTFS/etc/group"
	echo klp-guest >"$ROOTFS/etc/hostname"
	# The kernel opens /dev/console before init mounts devtmpfs.
	mknod -m 600 "$ROOTFS/dev/console" c 5 1
	mknod -m 666 "$ROOTFS/dev/null" c 1 3
	install -m 755 "$INIT" "$ROOTFS/init"
}

# Every ELF file must find its program interpreter and each DT_NEEDED lib.
check_elf_closure() {
	local file want missing=()
	while read -r file want; do
		if [[ $want == /* ]]; then
			[ -e "$ROOTFS$want" ] || missing+=("interpreter $want (of ${file#"$ROOTFS"})")
		elif ! [ -e "$ROOTFS/usr/lib/$TRIPLET/$want" ] && ! [ -e "$ROOTFS/usr/lib/$want" ] &&
			! [ -e "$ROOTFS/usr/lib64/$want" ]; then
			missing+=("$want (needed by ${file#"$ROOTFS"})")
		fi
	done < <(find "$ROOTFS" -type f -size +63c -print0 | xargs -0 readelf -l -d 2>/dev/null |
		awk '/^File: /{f=$2} /program interpreter:|\(NEEDED\)/{gsub(/[][]/,"",$NF); print f, $NF}' |
		sort -u -k2,2)
	[ ${#missing[@]} = 0 ] && return
	echo "userland.sh: missing in the $ARCH rootfs:" >&2
	printf '  %s\n' "${missing[@]}" >&2
	die "add the packages providing these libs to PACKAGES"
}

main() {
	local hash list deb d
	hash=$(inputs_hash)
	if [ -f "$OUT/userland.cpio" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$hash" ]; then
		echo "userland $ARCH: up to date"
		return
	fi
	ensure_host_tools
	ensure_foreign_arch "$DEBARCH"
	rm -rf "$ROOTFS" "$STAMP" "$OUT"/x.* "$OUT"/bb.*
	mkdir -p "$ROOTFS"/usr/{bin,sbin,lib,lib64}
	for d in bin sbin lib lib64; do ln -s "usr/$d" "$ROOTFS/$d"; done
	list=$(fetch_debs "$DEBARCH" "${PACKAGES[@]}")
	while read -r deb; do extract_deb_merged "$deb"; done <<<"$list"
	# awk comes from mawk's alternative, which dpkg -x does not set up.
	ln -s mawk "$ROOTFS/usr/bin/awk"
	link_busybox_applets
	relativize_symlinks
	add_system_files
	(cd "$ROOTFS" && rm -rf "${PRUNE[@]}" "usr/lib/$TRIPLET/gconv")
	check_elf_closure
	(cd "$ROOTFS" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) >"$OUT/userland.cpio.tmp"
	mv "$OUT/userland.cpio.tmp" "$OUT/userland.cpio"
	echo "$hash" >"$STAMP"
	echo "userland $ARCH: rootfs $(du -sh "$ROOTFS" | cut -f1)," \
		"cpio $(du -h "$OUT/userland.cpio" | cut -f1)"
}

main
