#!/bin/bash
# Guest side of `make check`: run every test script of every suite under
# /payload/<suite>/, one at a time, each from its own directory and bounded
# by a timeout, and report one line per script for the host to count:
#   KLP-RESULT <suite> <script> PASS|FAIL|SKIP <seconds>
export KDIR=/		# the kselftests only check that it exists
cd /payload || exit 1
for suite in */; do
	suite=${suite%/}
	[ -f "$suite/SUITE" ] || continue
	for t in $(cat "$suite/SUITE"); do
		echo "=== $suite/$t"
		start=$(date +%s)
		(cd "$suite" && timeout "${KLP_TEST_TIMEOUT:-600}" bash "./$t")
		rc=$?
		secs=$(( $(date +%s) - start ))
		case $rc in
		0) res=PASS ;;
		4) res=SKIP ;;
		*) res=FAIL ;;
		esac
		echo "KLP-RESULT $suite $t $res $secs"
	done
done
# On a kernel with kmemleak: nothing the tests did may leak.  Two scans,
# as the documentation advises, so that fresh objects are not reported.
KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -e $KMEMLEAK ]; then
	echo scan > $KMEMLEAK; sleep 6; echo scan > $KMEMLEAK
	leaks=$(grep -c '^unreferenced object' $KMEMLEAK)
	if [ "$leaks" = 0 ]; then
		echo "KLP-RESULT kernel kmemleak PASS 0"
	else
		echo "kmemleak: $leaks unreferenced objects:"
		head -60 $KMEMLEAK
		echo "KLP-RESULT kernel kmemleak FAIL 0"
	fi
fi
# Anything the kernel found wrong while the tests ran fails the run.
# Lockdep and RCU report as "WARNING: ...", KASAN as "BUG: KASAN: ...".
# (Not a bare "lockdep": the stack dumps of allocation failures injected
# on purpose name lockdep functions.)
BAD='WARNING:|BUG:|INFO: task .* blocked|Oops|general protection|kmemleak: .*suspected'
if dmesg | grep -qE "$BAD"; then
	echo "kernel reported problems:"
	dmesg | grep -E -A20 "$BAD" | head -80
	echo "KLP-RESULT kernel log-clean FAIL 0"
else
	echo "KLP-RESULT kernel log-clean PASS 0"
fi
# The whole kernel log, for whoever reads the console log afterwards.
dmesg | sed 's/^/KLOG: /'
exit 0
