// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target of the batch test: 64 functions (see klp_test_many.h), each
 * returning 1 unpatched.  Reading the parameter "sum" calls them all.
 */
#include <linux/module.h>
#include "klp_test_many.h"

static int one = 1;

/* The volatile read keeps callers from assuming the value. */
#define KLP_TEST_MANY_DEFINE(id)					\
	noinline __noclone int klp_test_many_fn_##id(void)		\
	{								\
		return READ_ONCE(one);					\
	}
KLP_TEST_MANY(KLP_TEST_MANY_DEFINE)

#define KLP_TEST_MANY_PTR(id)	klp_test_many_fn_##id,
static int (*const klp_test_many_fns[])(void) = { KLP_TEST_MANY(KLP_TEST_MANY_PTR) };

static int sum_get(char *buf, const struct kernel_param *kp)
{
	int i, sum = 0;

	for (i = 0; i < ARRAY_SIZE(klp_test_many_fns); i++)
		sum += klp_test_many_fns[i]();
	return sysfs_emit(buf, "%d\n", sum);
}

static const struct kernel_param_ops sum_ops = { .get = sum_get };
module_param_cb(sum, &sum_ops, NULL, 0444);
MODULE_PARM_DESC(sum, "the sum of what the 64 functions return");

static int __init klp_test_many_init(void)
{
	return 0;
}

static void __exit klp_test_many_exit(void)
{
}

module_init(klp_test_many_init);
module_exit(klp_test_many_exit);
MODULE_DESCRIPTION("klp selftest: 64 functions to patch at once");
MODULE_LICENSE("GPL");
