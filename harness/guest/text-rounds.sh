#!/bin/bash
# Guest side of harness/mttcg.sh: how many rounds of x86 text patching
# (text_poke_bp_batch(), each one int3 round with its three syncs) one
# enable and one disable of upstream's test_klp_syscall patch cost, on
# whichever kernel booted.  Prints "text-rounds <step> <n>"; it judges
# nothing.  Runs from the livepatch kselftest directory.
T=/sys/kernel/tracing
S=/sys/kernel/livepatch
P=test_klp_syscall
sym=text_poke_bp_batch
grep -q " $sym$" /proc/kallsyms || { echo "text-rounds error: no $sym in kallsyms"; exit 1; }
echo "p:klp_rounds $sym" > $T/kprobe_events || exit 1
echo 1 > $T/events/kprobes/klp_rounds/enable
hits() { awk '$1 == "klp_rounds" {print $2}' $T/kprobe_profile; }

before=$(hits)
insmod test_modules/$P.ko || exit 1
while [ "$(cat $S/$P/transition 2>/dev/null)" != 0 ]; do sleep 0.1; done
# Settling happens once the transition completed; let it.
sleep 1
after=$(hits)
echo "text-rounds enable $((after - before))"
before=$after
echo 0 > $S/$P/enabled
while [ -e $S/$P ]; do sleep 0.1; done
sleep 1
after=$(hits)
echo "text-rounds disable $((after - before))"
rmmod $P
echo 0 > $T/events/kprobes/klp_rounds/enable
echo > $T/kprobe_events
