#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every sysfs file of a patch: mode, value, and refusal of garbage writes.
# A function's old_addr and new_addr are there with
# CONFIG_LIVEPATCH_SYSFS_ADDRS, and its directory is empty without;
# pending_tasks is there with CONFIG_LIVEPATCH_TRANSITION_INFO.
. "$(dirname "$0")/klp-lib.sh"
P=klp_test_cmdline_a
F=./vmlinux/cmdline_proc_show,1
ADDRS=
klp_kconfig LIVEPATCH_SYSFS_ADDRS && ADDRS="$F/old_addr $F/new_addr"
PENDING=
klp_kconfig LIVEPATCH_TRANSITION_INFO && PENDING=./pending_tasks
orig=$(cat /proc/cmdline)

test_start "sysfs modes and values"
load_patch $P
expect_eq "patch dir mode" "$(stat -c %A $SYSFS/$P)" drwxr-xr-x
expect_eq "enabled mode" "$(stat -c %A $SYSFS/$P/enabled)" -rw-r--r--
expect_eq "transition mode" "$(stat -c %A $SYSFS/$P/transition)" -r--r--r--
expect_eq "force mode" "$(stat -c %A $SYSFS/$P/force)" --w-------
expect_eq "replace mode" "$(stat -c %A $SYSFS/$P/replace)" -r--r--r--
expect_eq "stack_order mode" "$(stat -c %A $SYSFS/$P/stack_order)" -r--r--r--
[ -z "$PENDING" ] ||
	expect_eq "pending_tasks mode" "$(stat -c %A $SYSFS/$P/pending_tasks)" -r--------
expect_eq "patched mode" "$(stat -c %A $SYSFS/$P/vmlinux/patched)" -r--r--r--
expect_eq "function dir" "$(stat -c %A $SYSFS/$P/vmlinux/cmdline_proc_show,1)" drwxr-xr-x
all=". ./enabled ./force ${PENDING:+$PENDING }./replace ./stack_order ./transition ./vmlinux $F"
if [ -n "$ADDRS" ]; then
	expect_eq "old_addr mode" "$(stat -c %A $SYSFS/$P/$F/old_addr)" -r--------
	expect_eq "new_addr mode" "$(stat -c %A $SYSFS/$P/$F/new_addr)" -r--------
	all+=" $F/new_addr $F/old_addr"
fi
all+=" ./vmlinux/patched "
expect_eq "the files, all told" "$(cd $SYSFS/$P && find . | sort | tr '\n' ' ')" "$all"
expect_eq "enabled" "$(cat $SYSFS/$P/enabled)" 1
expect_eq "transition" "$(cat $SYSFS/$P/transition)" 0
expect_eq "replace" "$(cat $SYSFS/$P/replace)" 0
expect_eq "stack_order" "$(cat $SYSFS/$P/stack_order)" 1
[ -z "$PENDING" ] ||
	expect_eq "pending_tasks, no transition" "$(cat $SYSFS/$P/pending_tasks)" ""
expect_eq "vmlinux/patched" "$(cat $SYSFS/$P/vmlinux/patched)" 1
expect_eq "/proc/cmdline" "$(cat /proc/cmdline)" $P

test_start "sysfs refuses garbage and leaves the patch alone"
junk=$(head -c 4096 /dev/zero | tr '\0' 'x')
# A lone newline is the empty value: the shell cannot make a zero-byte write.
for v in 2 abc $'\n' -1 "1 1" 10 "$junk"; do
	expect_write_fails "$v" $SYSFS/$P/enabled "Invalid argument"
done
expect_write_fails 1 $SYSFS/$P/enabled "Invalid argument"	# already enabled
for v in 2 abc $'\n'; do
	expect_write_fails "$v" $SYSFS/$P/force "Invalid argument"
done
expect_write_fails 1 $SYSFS/$P/force "Invalid argument"	# no transition
# As upstream: "don't force" is accepted and does nothing.
echo 0 > $SYSFS/$P/force || fail "writing 0 to force failed"
echo "  ok: '0' > force succeeds"
expect_eq "still enabled" "$(cat $SYSFS/$P/enabled)" 1
expect_eq "still patched" "$(cat /proc/cmdline)" $P
expect_write_fails 1 $SYSFS/$P/transition "Permission denied"

test_start "unprivileged users cannot write"
for f in enabled force; do
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		/bin/sh -c "echo 0 > $SYSFS/$P/$f" 2>&1) &&
		fail "nobody could write $f"
	case "$out" in
	*"Permission denied"*) echo "  ok: nobody cannot write $f" ;;
	*) fail "nobody writing $f: '$out'" ;;
	esac
done
for f in $(cd $SYSFS/$P && find . -type f); do
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		/bin/sh -c "echo 1 > $SYSFS/$P/$f" 2>/dev/null &&
		fail "nobody could write $f"
done
echo "  ok: nobody can write any file"
for f in $ADDRS $PENDING; do
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		cat $SYSFS/$P/$f 2>/dev/null &&
		fail "nobody could read $f"
done
echo "  ok: unreadable to nobody:${ADDRS:+ $ADDRS}${PENDING:+ $PENDING}"

disable_patch $P
expect_eq "/proc/cmdline restored" "$(cat /proc/cmdline)" "$orig"
remove_module $P
exit 0
