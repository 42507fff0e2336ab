/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A live patch of /proc/cmdline that prints its own module name, so tests
 * can tell which of several stacked patches a task runs.  Included by one
 * .c file per patch module; KBUILD_MODNAME makes each distinct.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static bool replace;
module_param(replace, bool, 0444);
MODULE_PARM_DESC(replace, "make this an atomic replace patch");

static int klp_test_cmdline_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", KBUILD_MODNAME);
	return 0;
}

static struct klp_func klp_test_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = klp_test_cmdline_show },
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

static int __init klp_test_init(void)
{
	klp_test_patch.replace = replace;
	return klp_enable_patch(&klp_test_patch);
}

static void __exit klp_test_exit(void)
{
}

module_init(klp_test_init);
module_exit(klp_test_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
