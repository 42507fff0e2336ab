// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A module that is not marked as a live patch tries to be one: the core
 * must refuse, through klp_enable_patch() or klp_register_patch().
 * KLP_TEST_REGISTER_API (Makefile) is defined unless the module is built
 * for upstream's kernel, which has no klp_register_patch().
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static bool do_register;
module_param_named(register, do_register, bool, 0444);
MODULE_PARM_DESC(register, "call klp_register_patch() instead of klp_enable_patch()");

static int klp_test_nolp_show(struct seq_file *m, void *v)
{
	seq_puts(m, "klp_test_nolp\n");
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = klp_test_nolp_show },
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

static int __init klp_test_nolp_init(void)
{
#ifdef KLP_TEST_REGISTER_API
	if (do_register)
		return klp_register_patch(&patch);
#endif
	return klp_enable_patch(&patch);
}

static void __exit klp_test_nolp_exit(void)
{
}

module_init(klp_test_nolp_init);
module_exit(klp_test_nolp_exit);
MODULE_DESCRIPTION("klp selftest: a module not marked as a live patch");
MODULE_LICENSE("GPL");
