#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of make bench: the same measurements on whichever kernel
# booted.  Prints "BENCH <metric> <rep> <value>" lines; times in ms, except
# where the metric's name says otherwise.  It never judges a figure.
cd /payload || exit 1
# Repetitions BENCH_FIRST to BENCH_REPS: make bench spreads them over
# several boots, alternating with the other kernel.
FIRST=${BENCH_FIRST:-1}
REPS=${BENCH_REPS:-5}
# The metrics to run (BENCH_ONLY="P0 P1 P2 P3"); all by default.
ONLY=${BENCH_ONLY:-P0 P0F P1 P2 P3 P4 P5 P7}
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }
S=/sys/kernel/livepatch
M=mods

# P2 at these numbers of functions; the largest only in repetitions up to
# BENCH_BIG_REPS (make bench keeps upstream's few: see harness/bench.sh).
P2_SIZES=${BENCH_P2_SIZES:-1 10 100 1000 10000}
BIG_REPS=${BENCH_BIG_REPS:-$REPS}
# P5 with this many sleeping threads in all, added step by step.
P5_THREADS=${BENCH_P5_THREADS:-100 1000 10000 30000}

now() { local t; t=$(date +%s%N); echo $((t / 1000)); }	# microseconds
ms() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b - a) / 1000}'; }
out() { echo "BENCH $*"; }
# Poll without forking, 2 ms apart.
tr_done() { local v; while :; do read -r v < "$S/$1/transition" 2>/dev/null && [ "$v" = 0 ] && return; sleep 0.002; done; }
gone() { while [ -e "$S/$1" ]; do sleep 0.002; done; }
unload() { local r; while read -r r < /sys/module/$1/refcnt && [ "$r" != 0 ]; do sleep 0.01; done; rmmod "$1"; }

# The kernel's side of a transition: from "starting patching transition"
# to "patching complete" (and the unpatching pair), by the PRINTK_TIME
# stamps of those lines, which both implementations print at the same
# points.  kclear before the enable keeps only this run's lines.
kclear() { dmesg -c > /dev/null; }
# kt METRIC REP PATCH: prints METRIC.enable and METRIC.disable in ms.
kt() {
	dmesg | awk -v p="'$3':" -v m="$1" -v r="$2" '
	match($0, /^\[ *[0-9]+\.[0-9]+\]/) { t = substr($0, 2, RLENGTH - 2) + 0 }
	index($0, p " starting patching transition") { s = t }
	index($0, p " patching complete") && s != "" { printf "BENCH %s.enable %s %.2f\n", m, r, (t - s) * 1000 }
	index($0, p " starting unpatching transition") { u = t }
	index($0, p " unpatching complete") && u != "" { printf "BENCH %s.disable %s %.2f\n", m, r, (t - u) * 1000 }'
}

# enable_disable MODULE_FILE PATCH METRIC REP [KMETRIC [EMETRIC]]: time
# insmod -> transition 0, then echo 0 -> directory gone; with KMETRIC,
# also the kernel's side of both transitions; with EMETRIC, the time the
# module says its klp_enable_patch() took (bench/gen-many.py).
enable_disable() {
	local t0 t1
	[ -z "$5" ] || kclear
	t0=$(now); insmod "$1" || { out "$3.error $4 insmod"; return; }
	tr_done "$2"; t1=$(now)
	out "$3.enable $4 $(ms $t0 $t1)"
	[ -z "$6" ] || out "$6.enable $4 $(awk '{printf "%.1f", $1 / 1e6}' /sys/module/$2/parameters/enable_ns)"
	t0=$(now); echo 0 > "$S/$2/enabled"; gone "$2"; t1=$(now)
	out "$3.disable $4 $(ms $t0 $t1)"
	[ -z "$5" ] || kt "$5" "$4" "$2"
	unload "$2"
}

echo "bench: kernel $(uname -r), $(nproc) CPUs"
sleep 2

# BENCH_TRACE="P0 P5", a diagnosis and no figure: where klp's trace
# events exist, each repetition of those metrics prints its walks (tasks
# left pending, duration), the tasks that switched outside a walk and
# the context switches meanwhile (what else ran), as "bench:" lines.  Off
# by default: the switch event, filtered, still costs something for
# every task.
TR=/sys/kernel/tracing
traced() { case " ${BENCH_TRACE:-} " in *" $1 "*) [ -d $TR/events/livepatch/klp_transition_walk ] ;; *) return 1 ;; esac; }
trace_on() {
	traced "$1" || return 0
	echo > $TR/trace
	echo 'how != 0 && how != 5' > $TR/events/livepatch/klp_task_switch/filter
	echo 1 > $TR/events/livepatch/klp_task_switch/enable
	echo 1 > $TR/events/livepatch/klp_transition_walk/enable
	echo 1 > $TR/events/sched/sched_switch/enable
}
trace_off() {
	traced "$1" || return 0
	echo 0 > $TR/events/sched/sched_switch/enable
	echo 0 > $TR/events/livepatch/klp_transition_walk/enable
	echo 0 > $TR/events/livepatch/klp_task_switch/enable
	grep -v '^#' $TR/trace | sed "s/^/bench: $2: /"
}

# P0: the cmdline sample on an idle system; P0T, the same transitions as
# the kernel times them.
if want P0; then
for r in $(seq $FIRST $REPS); do
	trace_on P0
	enable_disable samples/livepatch-sample.ko livepatch_sample P0 $r P0T
	trace_off P0 "P0 rep $r"
	sleep 1
done
fi

# P0F: what P0 cannot go below here.  insmod of an empty module, timed
# the same way; and, where the kernel has klp's trace events, the
# transitions alone (start to completion, from klp_transition_complete).
if want P0F; then
for r in $(seq $FIRST $REPS); do
	t0=$(now); insmod $M/bench_nop.ko; t1=$(now)
	out "P0F.insmod_empty $r $(ms $t0 $t1)"
	rmmod bench_nop
done
# One round of text patching at one call site, and back, as the shell
# sees it: what any implementation pays at least once per enable and once
# per disable, whatever its transition costs.
if [ -w $TR/set_ftrace_filter ]; then
	echo cmdline_proc_show > $TR/set_ftrace_filter
	for r in $(seq $FIRST $REPS); do
		t0=$(now); echo function > $TR/current_tracer; t1=$(now)
		out "P0F.trace_on $r $(ms $t0 $t1)"
		t0=$(now); echo nop > $TR/current_tracer; t1=$(now)
		out "P0F.trace_off $r $(ms $t0 $t1)"
		sleep 1
	done
	echo > $TR/set_ftrace_filter
fi
if [ -d $TR/events/livepatch/klp_transition_complete ]; then
	echo > $TR/trace
	echo 1 > $TR/events/livepatch/klp_transition_complete/enable
	for r in $(seq $FIRST $REPS); do enable_disable samples/livepatch-sample.ko livepatch_sample P0F $r; sleep 1; done
	echo 0 > $TR/events/livepatch/klp_transition_complete/enable
	grep -o 'target=[a-z]* walks=[0-9]* duration_ns=[0-9]*' $TR/trace |
		awk '{split($1, t, "="); split($3, d, "="); n[t[2]]++
		      printf "BENCH P0F.%s_transition %d %.1f\n", t[2] == "patched" ? "enable" : "disable", n[t[2]], d[2] / 1e6}'
fi
fi

# P1: a transient blocker; P1T, the kernel's side.
if want P1; then
insmod $M/bench_blocker.ko; sleep 1
for r in $(seq $FIRST $REPS); do enable_disable $M/bench_blocker_patch.ko bench_blocker_patch P1 $r P1T; done
rmmod bench_blocker
fi

# P2: enable and disable time at scale; P2T, the kernel's side.  Where an
# enable's time goes: P2F, the floor, is the insmod of the same patch
# module told not to enable itself (module load and relocation, which no
# implementation changes); P2E is its klp_enable_patch() call (object and
# symbol lookups, sysfs, the ftrace registration, the transition's start
# and first walk), timed by the module itself.
want P2 &&
for n in $P2_SIZES; do
	insmod $M/bench_many_$n.ko
	for r in $(seq $FIRST $REPS); do
		t0=$(now); insmod $M/bench_many_${n}_patch.ko load_only=1; t1=$(now)
		out "P2F.$n.load $r $(ms $t0 $t1)"
		rmmod bench_many_${n}_patch
	done
	last=$REPS
	[ "$n" -lt 10000 ] || last=$(( BIG_REPS < REPS ? BIG_REPS : REPS ))
	for r in $(seq $FIRST $last); do enable_disable $M/bench_many_${n}_patch.ko bench_many_${n}_patch P2.$n $r P2T.$n P2E.$n; done
	rmmod bench_many_$n
done

# P3: ns per call of a patched function minus its unpatched twin.
CP=/sys/module/bench_call/parameters
calls=1000000
p3() {
	echo $calls > $CP/run
	out "P3.$1_ns $2 $(awk -v f="$(cat $CP/ps_func)" -v t="$(cat $CP/ps_twin)" 'BEGIN {printf "%.2f", (f - t) / 1000}')"
}
if want P3; then
insmod $M/bench_call.ko
for r in $(seq $FIRST $REPS); do
	p3 unpatched $r
	echo 1 > $CP/hold; sleep 0.1
	insmod $M/bench_call_patch.ko
	sleep 0.5
	[ "$(cat $S/bench_call_patch/transition)" = 1 ] || out "P3.error $r transition not held"
	p3 during_transition $r
	echo 0 > $CP/hold; tr_done bench_call_patch
	p3 patched $r
	echo 0 > $S/bench_call_patch/enabled; gone bench_call_patch; unload bench_call_patch
done
rmmod bench_call
fi

# P4: a 1 ms periodic SCHED_FIFO kthread while a 100-function patch comes and goes.
LP=/sys/module/bench_lat/parameters
if want P4; then
insmod $M/bench_lat.ko; insmod $M/bench_many_100.ko
for r in $(seq $FIRST $REPS); do
	# P4F: the floor, the same thread for as long with nothing patched.
	echo 1 > $LP/run; sleep 3; echo 0 > $LP/run
	out "P4F.max_us $r $(cat $LP/max_us)"
	out "P4F.p99_us $r $(cat $LP/p99_us)"
	echo 1 > $LP/run; sleep 0.5
	insmod $M/bench_many_100_patch.ko; tr_done bench_many_100_patch
	echo 0 > $S/bench_many_100_patch/enabled; gone bench_many_100_patch
	sleep 0.5; echo 0 > $LP/run
	unload bench_many_100_patch
	out "P4.max_us $r $(cat $LP/max_us)"
	out "P4.p99_us $r $(cat $LP/p99_us)"
done
rmmod bench_many_100 bench_lat
fi

# P5: sleeping threads, off the patched functions, added in steps up to
# each count of P5_THREADS; P5T, the kernel's side.  Metrics are named by
# the count asked for; the guest log says how many tasks there were.
if want P5; then
echo 200000 > /proc/sys/kernel/threads-max
echo 262144 > /proc/sys/kernel/pid_max
ulimit -u unlimited 2>/dev/null
have=0
for n in $P5_THREADS; do
	./sleepers $((n - have)) > /tmp/sleepers-$n.out &
	while ! grep -q ready /tmp/sleepers-$n.out 2>/dev/null; do
		if ! kill -0 $! 2>/dev/null; then
			out "P5.error $n sleepers died: $(cat /tmp/sleepers-$n.out)"
			break 2
		fi
		sleep 0.2
	done
	have=$n
	echo "bench: P5.$n: $(ls -d /proc/[0-9]*/task/[0-9]* | wc -l) tasks, $(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo) MiB available"
	for r in $(seq $FIRST $REPS); do
		trace_on P5
		enable_disable samples/livepatch-sample.ko livepatch_sample P5.$n $r P5T.$n
		trace_off P5 "P5.$n rep $r"
		sleep 1
	done
done
pkill sleepers
wait
fi
# P7: context switches while a transition waits.  User tasks passing a
# byte through pipes (pingpong: they switch at their first return to user
# space), and two kthreads that live inside a patched function and so
# keep the transition open (bench_pingpong: pending and blocked on every
# switch), idle and with a patch of 1000 functions and theirs pending.
PP=/sys/module/bench_pingpong/parameters
if want P7; then
insmod $M/bench_many_1000.ko; insmod $M/bench_pingpong.ko
for r in $(seq $FIRST $REPS); do
	out "P7.pipe_idle_ns $r $(./pingpong 20000)"
	echo 20000 > $PP/run; out "P7.kthread_idle_ns $r $(cat $PP/ns)"
	insmod $M/bench_many_1000_pp_patch.ko; sleep 0.5
	[ "$(cat $S/bench_many_1000_pp_patch/transition)" = 1 ] ||
		out "P7.error $r the transition is not pending"
	out "P7.pipe_pending_ns $r $(./pingpong 20000)"
	echo 20000 > $PP/run; out "P7.kthread_pending_ns $r $(cat $PP/ns)"
	echo 0 > $S/bench_many_1000_pp_patch/enabled; gone bench_many_1000_pp_patch
	unload bench_many_1000_pp_patch
done
rmmod bench_pingpong bench_many_1000
fi
echo "bench: done"
