// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch of all 64 functions of klp_test_many, each returning 2.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include "klp_test_many.h"

#define NEW(id)	KLP_TEST_MANY_NEW(id, 2)
KLP_TEST_MANY(NEW)

static struct klp_func funcs[] = {
	KLP_TEST_MANY(KLP_TEST_MANY_FUNC)
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_test_many", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_many_patch1_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_many_patch1_exit(void)
{
}

module_init(klp_test_many_patch1_init);
module_exit(klp_test_many_patch1_exit);
MODULE_DESCRIPTION("klp selftest: all 64 functions of klp_test_many, each returning 2");
MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
