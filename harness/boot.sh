#!/usr/bin/env bash
# Boot a test guest and run a job in it:
#   boot.sh [-n NAME] [-t SECONDS] [-q] PAYLOAD_DIR
# PAYLOAD_DIR must hold run.sh; it appears in the guest as /payload, where
# the guest's init runs it with bash.  The console goes to build/logs/ARCH/
# NAME.log (and to stdout unless -q).  The exit status is the job's own; a
# guest that hangs, panics or never reports a status is a failure that
# names its log.
. "$(dirname "$0")/common.sh"

name=guest timeout=600 quiet=0
while getopts n:t:q opt; do
	case $opt in
	n) name=$OPTARG ;;
	t) timeout=$OPTARG ;;
	q) quiet=1 ;;
	*) die "usage: boot.sh [-n NAME] [-t SECONDS] [-q] PAYLOAD_DIR" ;;
	esac
done
shift $((OPTIND - 1))
payload=${1:?payload directory}
[ -f "$payload/run.sh" ] || die "$payload/run.sh missing"

mkdir -p "$LOGS"
log=$LOGS/$name.log
"$KLP_TOP/harness/userland.sh" "$ARCH" >/dev/null
userland=$KLP_BUILD/userland/$ARCH/userland.cpio
stage=$(mktemp -d "${TMPDIR:-/tmp}/klp-boot.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# Two concatenated cpio archives, which the kernel unpacks in turn: the
# shared userland, then this job under /payload.
cp -a "$payload" "$stage/payload"
chmod +x "$stage/payload/run.sh"
initrd=$stage/initrd.cpio
{
	cat "$userland"
	(cd "$stage" && find payload | cpio -o -H newc -R 0:0 --quiet)
} > "$initrd"

# KLP_CMDLINE: more kernel parameters (the mitigations guest of make check).
append="panic=-1 oops=panic quiet${KLP_CMDLINE:+ $KLP_CMDLINE}"
case "$ARCH" in
x86_64)
	# One host thread runs both vCPUs.  With multi-threaded TCG, QEMU
	# 7.2 lets a vCPU run a stale copy of code that x86 text_poke_bp()
	# has just rewritten: a hot function being live patched (or a static
	# call being switched) dies on an int3 that is no longer in memory.
	# Upstream's own livepatch crashes the same way (harness/stress.sh,
	# FLAVOR=upstream); single-threaded TCG runs both cleanly.
	# KLP_QEMU_CPU: another CPU model (an Intel one, for retbleed=stuff).
	qemu=(qemu-system-x86_64 -accel "tcg,thread=${KLP_TCG_THREAD:-single}"
	      -cpu "${KLP_QEMU_CPU:-max}"
	      -smp 2,sockets=2,cores=1,threads=1
	      -kernel "$OBJ/$KIMAGE" -append "console=ttyS0 $append")
	;;
ppc64le)
	# Single-threaded as well: with multi-threaded TCG a ppc64le guest
	# once called into ftrace from a call site restored to a nop long
	# before (Documentation/livepatch/testing.rst).
	qemu=(qemu-system-ppc64 -accel "tcg,thread=${KLP_TCG_THREAD:-single}"
	      -M pseries -cpu power9 -smp 2
	      -kernel "$OBJ/$KIMAGE" -append "console=hvc0 $append")
	;;
esac
qemu+=(-m "${KLP_GUEST_MEM:-1024}" -display none -monitor none -serial stdio -no-reboot
       -initrd "$initrd")

# The command line, for pages that report how a guest ran (make bench).
echo "${qemu[*]}" | sed "s|$stage/||g; s|$KLP_BUILD/||g" > "$LOGS/$name.qemu"

start=$(date +%s)
set +e
if [ $quiet = 1 ]; then
	timeout -k 10 "$timeout" "${qemu[@]}" < /dev/null > "$log" 2>&1
else
	timeout -k 10 "$timeout" "${qemu[@]}" < /dev/null 2>&1 | tee "$log"
fi
qrc=${PIPESTATUS[0]}
set -e
secs=$(( $(date +%s) - start ))

rc=$(tr -d '\r' < "$log" | sed -n 's/^KLP-GUEST-EXIT: \([0-9]*\)$/\1/p' | tail -n1)
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "guest '$name' timed out after ${timeout}s; log: $log" >&2
	exit 124
fi
if grep -qE 'Kernel panic|BUG:|Oops:|general protection fault' "$log"; then
	echo "guest '$name' crashed after ${secs}s; log: $log" >&2
	exit 125
fi
if [ -z "$rc" ]; then
	echo "guest '$name' ended without a status (qemu exit $qrc); log: $log" >&2
	exit 126
fi
[ $quiet = 1 ] || echo "guest '$name': exit $rc after ${secs}s; log: $log"
exit "$rc"
