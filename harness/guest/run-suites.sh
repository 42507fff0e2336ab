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
		(cd "$suite" && timeout 600 bash "./$t")
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
# Anything the kernel found wrong while the tests ran fails the run.
if dmesg | grep -qE 'WARNING:|BUG:|INFO: task .* blocked|lockdep|KASAN|kmemleak'; then
	echo "kernel reported problems:"
	dmesg | grep -E -A20 'WARNING:|BUG:|INFO: task|lockdep|KASAN|kmemleak' | head -80
	echo "KLP-RESULT kernel log-clean FAIL 0"
else
	echo "KLP-RESULT kernel log-clean PASS 0"
fi
# The whole kernel log, for whoever reads the console log afterwards.
dmesg | sed 's/^/KLOG: /'
exit 0
