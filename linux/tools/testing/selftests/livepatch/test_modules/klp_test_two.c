// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch of two functions, /proc/cmdline and /proc/version, both printing
 * the module name: an atomic replace that changes only one of them must
 * give the other back its original (a nop entry).
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int klp_test_two_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", KBUILD_MODNAME);
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = klp_test_two_show },
	{ .old_name = "version_proc_show", .new_func = klp_test_two_show },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_two_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_two_exit(void)
{
}

module_init(klp_test_two_init);
module_exit(klp_test_two_exit);
MODULE_DESCRIPTION("klp selftest: a patch of /proc/cmdline and /proc/version");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
