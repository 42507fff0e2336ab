// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Second patch, stacked on the first: step(x) = 3 * depth(x) through the
 * target's depth() -- which the first patch redirects -- so one call runs
 * the chain pointer -> step (patch 2) -> depth (patch 1, nested in the
 * handler's bookkeeping) -> recursion, and returns through all of it.
 * With patch 1 below it: 3 * (100 + x).
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include "klp_test_reloc.h"

/* The target's static depth(), reached through a klp relocation. */
#define target_depth	KLP_SYM(klp_test_calls_target, klp_test_calls_depth, 0)
KLP_EXTERN int target_depth(int n);

static int step_v3(int x)
{
	return 3 * target_depth(x);
}

static struct klp_func funcs[] = {
	{ .old_name = "klp_test_calls_step", .new_func = step_v3 },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_test_calls_target", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_calls_patch2_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_calls_patch2_exit(void)
{
}

module_init(klp_test_calls_patch2_init);
module_exit(klp_test_calls_patch2_exit);
MODULE_DESCRIPTION("klp selftest: second, stacked patch of the call shapes");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
