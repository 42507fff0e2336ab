// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A live patch of /proc/cmdline whose new version reaches two static
 * symbols of vmlinux through klp relocations (see klp_test_reloc.h):
 *
 *  - version_proc_show(), the show function of /proc/version, which it
 *    calls to print the kernel's version line;
 *  - tainted_mask, the kernel's taint flags, which it reads.
 *
 * It first prints a line with both addresses and the flags, which the test
 * checks against /proc/kallsyms and /proc/sys/kernel/tainted, then the
 * version line, which it checks against /proc/version.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include "klp_test_reloc.h"

#define klp_version_proc_show	KLP_SYM(vmlinux, version_proc_show, 0)
#define klp_tainted_mask	KLP_SYM(vmlinux, tainted_mask, 0)
KLP_EXTERN int klp_version_proc_show(struct seq_file *m, void *v);
KLP_EXTERN unsigned long klp_tainted_mask;

/* %px: the test compares the raw addresses with /proc/kallsyms. */
static int klp_test_reloc_cmdline_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: version_proc_show=%px tainted_mask=%px tainted=%lu\n",
		   KBUILD_MODNAME, (void *)klp_version_proc_show,
		   &klp_tainted_mask, READ_ONCE(klp_tainted_mask));
	return klp_version_proc_show(m, v);
}

static struct klp_func klp_test_funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = klp_test_reloc_cmdline_show,
	},
	{ }
};

static struct klp_object klp_test_objs[] = {
	{ .funcs = klp_test_funcs },
	{ }
};

static struct klp_patch klp_test_patch = {
	.mod = THIS_MODULE,
	.objs = klp_test_objs,
};

static int __init klp_test_reloc_vmlinux_init(void)
{
	return klp_enable_patch(&klp_test_patch);
}

static void __exit klp_test_reloc_vmlinux_exit(void)
{
}

module_init(klp_test_reloc_vmlinux_init);
module_exit(klp_test_reloc_vmlinux_exit);
MODULE_DESCRIPTION("klp selftest: klp relocations against static vmlinux symbols");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
