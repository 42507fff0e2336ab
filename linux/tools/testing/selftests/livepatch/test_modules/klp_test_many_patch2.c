// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch of the 32 low functions of klp_test_many, each returning 3, on top.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include "klp_test_many.h"

#define NEW(id)	KLP_TEST_MANY_NEW(id, 3)
KLP_TEST_MANY_LOW(NEW)

static struct klp_func funcs[] = {
	KLP_TEST_MANY_LOW(KLP_TEST_MANY_FUNC)
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

static int __init klp_test_many_patch2_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_many_patch2_exit(void)
{
}

module_init(klp_test_many_patch2_init);
module_exit(klp_test_many_patch2_exit);
MODULE_DESCRIPTION("klp selftest: the 32 low functions of klp_test_many, each returning 3, on top");
MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
