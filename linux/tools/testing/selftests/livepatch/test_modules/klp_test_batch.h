/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One patch module per id, klp_test_batch_<id>.ko, generated from this
 * header by the Makefile (klp_test_batch_<id>.c defines KLP_TEST_BATCH_ID
 * and includes it): each replaces klp_test_many_fn_<id> alone, so that
 * every one of them, enabled while the others stay, traces one new
 * location and so registers ftrace_ops of its own (test-many-batches.sh).
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include "klp_test_many.h"

#define KLP_TEST_BATCH_STR2(x)	#x
#define KLP_TEST_BATCH_STR(x)	KLP_TEST_BATCH_STR2(x)
#define KLP_TEST_BATCH_NEW2(id)	KLP_TEST_MANY_NEW(id, 2)
#define KLP_TEST_BATCH_NEW(id)	KLP_TEST_BATCH_NEW2(id)
#define KLP_TEST_BATCH_FUNC2(id)	KLP_TEST_MANY_FUNC(id)
#define KLP_TEST_BATCH_FUNC(id)	KLP_TEST_BATCH_FUNC2(id)

KLP_TEST_BATCH_NEW(KLP_TEST_BATCH_ID)

static struct klp_func funcs[] = {
	KLP_TEST_BATCH_FUNC(KLP_TEST_BATCH_ID)
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

static int __init klp_test_batch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_batch_exit(void)
{
}

module_init(klp_test_batch_init);
module_exit(klp_test_batch_exit);
MODULE_DESCRIPTION("klp selftest: klp_test_many_fn_"
		   KLP_TEST_BATCH_STR(KLP_TEST_BATCH_ID) " alone, returning 2");
MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
