#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds live patch modules from the patches in patches/ with klp-build
# and checks their ELF form with check-module.sh.  No booting: the
# modules are left in OUTDIR for guest-test.sh to load.
#
#   run-build.sh SRCTREE OBJTREE OUTDIR [TEST...]
#
# TEST names a module below (cmdline, filesystems, ...) or "refusals";
# without any, all of them.  SRCTREE is modified while klp-build runs
# (and restored): use a copy.  The kobject tests need
# CONFIG_SAMPLE_KOBJECT=m.  OUTDIR/times gets one line per module:
# its name and how many seconds klp-build took.

set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../../.." && pwd)
src=$(realpath "$1")
obj=$(realpath "$2")
out=$(realpath -m "$3")
shift 3
mkdir -p "$out"
klp_build=$top/scripts/livepatch/klp-build
fail=0
: > "$out/times"

cfg() { grep -q "^$1" "$obj/.config"; }
selected=("$@")
want() {	# test name: was it asked for?
	local t
	[ ${#selected[@]} = 0 ] && return 0
	for t in "${selected[@]}"; do [ "$t" = "$1" ] && return 0; done
	return 1
}

build() {	# name patch... -- check args...
	local name=$1 p=() c=() t0 t1 log
	shift
	while [ "$1" != -- ]; do p+=("$here/patches/$1"); shift; done
	shift
	c=("$@")
	want "$name" || return 0
	echo "### $name"
	t0=$(date +%s.%N)
	if (cd "$src" && set -o pipefail &&
	    nice -n 19 "$klp_build" -v -j 2 --objtree "$obj" \
			-o "$out/livepatch-$name.ko" "${p[@]}" 2>&1 |
			tee "$out/$name.log"); then
		t1=$(date +%s.%N)
		awk -v n="$name" -v a="$t0" -v b="$t1" \
			'BEGIN { printf "%s %.1f\n", n, b - a }' >> "$out/times"
		"$here/check-module.sh" "$out/livepatch-$name.ko" "${c[@]}" ||
			fail=1
	else
		echo "FAIL: klp-build $name"
		# the end of the log of the step that failed
		log=$(sed -n "s/^klp-build: step '.*' failed; see //p" \
			"$out/$name.log")
		[ -z "$log" ] || tail -n 30 "$log" | sed 's/^/  | /'
		fail=1
	fi
}

# a vmlinux function using only exported symbols and a global
build cmdline cmdline.patch -- vmlinux:cmdline_proc_show \
	--klp-sym .klp.sym.vmlinux.saved_command_line,0

# a static function calling a static function, reading static variables
# (on ppc64le __get_fs_type is called without a TOC restore slot and is
# copied into the module instead)
callee=()
cfg CONFIG_X86_64=y && callee=(--klp-sym ".klp.sym.vmlinux.__get_fs_type,0")
build filesystems filesystems.patch -- \
	vmlinux:filesystems_proc_show "${callee[@]}" \
	--klp-sym .klp.sym.vmlinux.file_systems,0 \
	--klp-sym .klp.sym.vmlinux.file_systems_lock,0

# a new WARN_ONCE(): its flag is copied out of the shared .data..once
build warn-once warn-once.patch -- vmlinux:filesystems_proc_show \
	--klp-sym .klp.sym.vmlinux.file_systems,0

# a function whose name is not unique in vmlinux (old_sympos != 0)
build consoles consoles.patch -- vmlinux:c_start

# a new function called by a changed one: it goes into the module
build new-function new-function.patch -- vmlinux:version_proc_show

# a pr_warn_once() whose flag, a static local, must stay the kernel's
# (the function is a clone, __set_oom_adj.isra.0 on x86_64)
build static-local static-local.patch --

# a changed inline function: its caller is replaced
build inline inline.patch -- vmlinux:proc_pid_status

# callbacks, a state and a shadow variable through livepatch_hooks.h
build shadow-hooks shadow-hooks.patch -- vmlinux:cmdline_proc_show \
	--klp-sym .klp.sym.vmlinux.saved_command_line,0

# a second, cumulative patch: cmdline.patch, a change on top of it and
# consoles.patch; it replaces livepatch-cmdline when loaded after it
build cumulative cmdline.patch cmdline-v2.patch consoles.patch -- \
	vmlinux:cmdline_proc_show vmlinux:c_start

if cfg CONFIG_SAMPLE_KOBJECT=m; then
	# a module function reading a static variable of its module
	build kobject kobject.patch -- kobject_example:foo_show \
		--klp-sym .klp.sym.kobject_example.foo,0

	# all of them in one module, one klp_object per object
	build all cmdline.patch filesystems.patch consoles.patch \
		kobject.patch -- vmlinux:cmdline_proc_show vmlinux:c_start \
		kobject_example:foo_show
else
	build all cmdline.patch filesystems.patch consoles.patch -- \
		vmlinux:cmdline_proc_show vmlinux:c_start
fi

# refusals: these must fail with a reason
refuse() {	# name expected-regex patch-text
	local name=$1 re=$2 log rc
	echo "### refuse: $name"
	printf '%s\n' "$3" > "$out/$name.patch"
	log=$(cd "$src" && "$klp_build" --objtree "$obj" \
		-o "$out/$name.ko" "$out/$name.patch" 2>&1)
	rc=$?
	if [ $rc != 0 ] && grep -Eq -- "$re" <<<"$log"; then
		echo "ok: refused: $(grep -E -- "$re" <<<"$log" | head -1)"
	else
		echo "FAIL: not refused as expected"
		echo "$log" | sed 's/^/  | /'
		fail=1
	fi
}

if want refusals; then
refuse refuse-asm 'assembly' '--- a/arch/x86/lib/memcpy_64.S
+++ b/arch/x86/lib/memcpy_64.S
@@ -1 +1,2 @@
+/* x */'
refuse refuse-livepatch 'live patching code' '--- a/kernel/livepatch/core.c
+++ b/kernel/livepatch/core.c
@@ -1 +1,2 @@
+/* x */'
refuse refuse-struct 'struct/union layout' '--- a/include/linux/seq_file.h
+++ b/include/linux/seq_file.h
@@ -18,6 +18,7 @@
 struct seq_file {
 	char *buf;
 	size_t size;
+	size_t klp_new_field;
 	size_t from;
 	size_t count;
 	size_t pad_until;'
refuse refuse-init 'init/exit code' '--- a/fs/proc/cmdline.c
+++ b/fs/proc/cmdline.c
@@ -18,7 +18,7 @@

 	pde = proc_create_single("cmdline", 0, NULL, cmdline_proc_show);
 	pde_make_permanent(pde);
-	pde->size = saved_command_line_len + 1;
+	pde->size = saved_command_line_len + 2;
 	return 0;
 }
 fs_initcall(proc_cmdline_init);'
refuse refuse-notrace "'stop_machine_yield' is not traceable" \
'--- a/kernel/stop_machine.c
+++ b/kernel/stop_machine.c
@@ -195,6 +195,7 @@
 notrace void __weak stop_machine_yield(const struct cpumask *cpumask)
 {
 	cpu_relax();
+	cpu_relax();
 }

 /* This is the cpu_stop function which stops the CPU. */'
if cfg CONFIG_DYNAMIC_DEBUG=y; then
	refuse refuse-pr-debug "'cmdline_proc_show' adds a pr_debug" '--- a/fs/proc/cmdline.c
+++ b/fs/proc/cmdline.c
@@ -7,6 +7,7 @@

 static int cmdline_proc_show(struct seq_file *m, void *v)
 {
+	pr_debug("cmdline read\n");
 	seq_puts(m, saved_command_line);
 	seq_putc(m, '"'"'\n'"'"');
 	return 0;'
fi
if cfg CONFIG_FILE_LOCKING=y; then
	refuse refuse-data "initialised data 'lease_break_time' changed" \
'--- a/fs/locks.c
+++ b/fs/locks.c
@@ -94,7 +94,7 @@
 }

 static int leases_enable = 1;
-static int lease_break_time = 45;
+static int lease_break_time = 46;

 #ifdef CONFIG_SYSCTL
 static struct ctl_table locks_sysctls[] = {'
fi
fi

exit $fail
