#!/bin/bash
# Guest side of `make check`: run every suite under /payload/<suite>/ and
# report one line per test script for the host to count:
#   KLP-RESULT <suite> <script> PASS|FAIL|SKIP <seconds>
# A suite that is a kselftest install (run_kselftest.sh) runs through
# run_kselftest.sh, as kernel CI systems run it, and prints TAP: all of its
# tests, or those its SELECT file names.  upstream's own kselftests count
# as suite "conformance", ours as "klp".  Any other suite runs the scripts
# its SUITE file names, one at a time, each from its own directory and
# bounded by a timeout.
export KDIR=/		# the kselftests only check that it exists
cd /payload || exit 1
UPSTREAM_TESTS=" test-livepatch.sh test-callbacks.sh test-shadow-vars.sh test-state.sh test-ftrace.sh test-sysfs.sh test-syscall.sh "

# run_kselftests DIR: the TAP of run_kselftest.sh, echoed, and a
# KLP-RESULT line for each test it reports.
run_kselftests() {
	local dir=$1 sel=() t line name res suite start=0
	if [ -f "$dir/SELECT" ]; then
		for t in $(cat "$dir/SELECT"); do sel+=(-t "livepatch:$t"); done
	fi
	(cd "$dir" && ./run_kselftest.sh -o "${KLP_TEST_TIMEOUT:-900}" "${sel[@]}") 2>&1 |
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"# selftests: livepatch: "*)
			start=$(date +%s) ;;
		"ok "*" selftests: livepatch: "*|"not ok "*" selftests: livepatch: "*)
			name=${line#* selftests: livepatch: }
			name=${name%% *}
			case "$line" in
			"not ok "*) res=FAIL ;;
			*"# SKIP"*) res=SKIP ;;
			*) res=PASS ;;
			esac
			case "$UPSTREAM_TESTS" in
			*" $name "*) suite=conformance ;;
			*) suite=klp ;;
			esac
			echo "KLP-RESULT $suite $name $res $(( $(date +%s) - start ))" ;;
		esac
	done
}

for suite in */; do
	suite=${suite%/}
	if [ -x "$suite/run_kselftest.sh" ]; then
		run_kselftests "$suite"
		continue
	fi
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
# One exception, printed but not counted: a report whose call trace runs
# in start_kernel() and not yet in rest_init() came from the boot CPU
# before the kernel created its second task, so before any livepatch code
# (an initcall) could run; the base's own early boot is not under test.
# (A report from CPU 0's idle task later on has rest_init() in its trace.)
dmesg > /tmp/klp-dmesg.txt
awk -v bad="$BAD" '
	{ line[NR] = $0 }
	END {
		for (i = 1; i <= NR; i++) {
			if (line[i] !~ bad)
				continue
			early = 0
			for (j = i + 1; j <= NR && j <= i + 80; j++) {
				# the first call trace only: not the
				# allocation and free stacks of KASAN
				if (line[j] ~ bad ||
				    line[j] ~ /(=====|---\[ end trace|<\/TASK>|Allocated by|Freed by|buggy address)/)
					break
				if (line[j] ~ / rest_init\+0x/) {
					early = 0
					break
				}
				if (line[j] ~ / start_kernel\+0x/)
					early = 1
			}
			print (early ? "early " : "late ") i
		}
	}' /tmp/klp-dmesg.txt > /tmp/klp-reports.txt
while read -r kind n; do
	[ "$kind" = early ] || continue
	echo "KLP-NOTE: boot CPU report before any second task existed (base kernel, not counted):"
	sed -n "${n}p" /tmp/klp-dmesg.txt
done < /tmp/klp-reports.txt
if grep -q '^late ' /tmp/klp-reports.txt; then
	echo "kernel reported problems:"
	for n in $(awk '$1 == "late" {print $2}' /tmp/klp-reports.txt | head -4); do
		sed -n "${n},$((n + 20))p" /tmp/klp-dmesg.txt
	done
	echo "KLP-RESULT kernel log-clean FAIL 0"
else
	echo "KLP-RESULT kernel log-clean PASS 0"
fi
# The whole kernel log, for whoever reads the console log afterwards.
dmesg | sed 's/^/KLOG: /'
exit 0
