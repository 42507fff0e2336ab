// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live patch of klp_test_kickrace_func() in module klp_test_kickrace, for
 * test-kick-race.sh: the new version returns 2, and honours "hold" just
 * like the original.
 */
#include <linux/delay.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include "klp_test_kickrace.h"

static noinline int klp_test_kickrace_func_v2(void)
{
	while (READ_ONCE(klp_test_kickrace_hold))
		msleep(20);
	return 2;
}

static struct klp_func funcs[] = {
	{ .old_name = "klp_test_kickrace_func", .new_func = klp_test_kickrace_func_v2 },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_test_kickrace", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_kickrace_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_kickrace_patch_exit(void)
{
}

module_init(klp_test_kickrace_patch_init);
module_exit(klp_test_kickrace_patch_exit);
MODULE_DESCRIPTION("klp selftest: patch of klp_test_kickrace_func()");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
