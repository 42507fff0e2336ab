#!/bin/bash
# Guest side of harness/mttcg.sh: how many rounds of x86 text patching
# (text_poke_bp_batch(), each one int3 round with its three syncs) one
# enable and one disable of upstream's test_klp_syscall patch cost, on
# whichever kernel booted.  Prints "text-rounds <step> <n>"; it judges
# nothing.  Each round's call chain follows its count, as
# "text-rounds <step> from <callers>", so that the rounds can be told
# apart.  Runs from the livepatch kselftest directory.
T=/sys/kernel/tracing
S=/sys/kernel/livepatch
P=test_klp_syscall
sym=text_poke_bp_batch
grep -q " $sym$" /proc/kallsyms || { echo "text-rounds error: no $sym in kallsyms"; exit 1; }
echo "p:klp_rounds $sym" > $T/kprobe_events || exit 1
echo 1 > $T/events/kprobes/klp_rounds/enable
echo stacktrace > $T/events/kprobes/klp_rounds/trigger
hits() { awk '$1 == "klp_rounds" {print $2}' $T/kprobe_profile; }
# callers STEP: the call chain of every round since the last call, the
# innermost frames first, then an empty trace buffer.
callers() {
	awk -v step="$1" '
		/<stack trace>/ { if (chain != "") print "text-rounds " step " from" chain; chain = ""; n = 0; next }
		/^ => / && n < 9 { sub(/^ => /, ""); sub(/\+0x.*/, ""); chain = chain " " $0; n++ }
		END { if (chain != "") print "text-rounds " step " from" chain }
	' $T/trace
	echo > $T/trace
}
echo > $T/trace

before=$(hits)
insmod test_modules/$P.ko || exit 1
while [ "$(cat $S/$P/transition 2>/dev/null)" != 0 ]; do sleep 0.1; done
# Settling happens once the transition completed; let it.
sleep 1
after=$(hits)
echo "text-rounds enable $((after - before))"
callers enable
before=$after
echo 0 > $S/$P/enabled
while [ -e $S/$P ]; do sleep 0.1; done
sleep 1
after=$(hits)
echo "text-rounds disable $((after - before))"
callers disable
rmmod $P
echo '!stacktrace' > $T/events/kprobes/klp_rounds/trigger
echo 0 > $T/events/kprobes/klp_rounds/enable
echo > $T/kprobe_events
