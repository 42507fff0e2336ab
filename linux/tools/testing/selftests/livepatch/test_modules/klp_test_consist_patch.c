// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Version 2 of the three functions of klp_test_consist; see there.  The
 * new outer function calls the old first and second functions by their
 * names, so ftrace picks the version of each call, as it does for the old
 * outer function.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sched.h>
#include "klp_test_consist.h"

static noinline int klp_test_consist_first_v2(void)
{
	return 2;
}

static noinline int klp_test_consist_second_v2(void)
{
	return 2;
}

static atomic_long_t calls;

static noinline int klp_test_consist_outer_v2(void)
{
	int first = klp_test_consist_first();

	if (atomic_long_inc_return(&calls) & 1)
		usleep_range(100, 200);
	else
		cond_resched();
	klp_test_consist_wait_held();

	if (first != 2 || klp_test_consist_second() != 2)
		atomic_long_inc(&klp_test_consist_mixed);
	return 2;
}

static struct klp_func funcs[] = {
	{ .old_name = "klp_test_consist_first",
	  .new_func = klp_test_consist_first_v2 },
	{ .old_name = "klp_test_consist_second",
	  .new_func = klp_test_consist_second_v2 },
	{ .old_name = "klp_test_consist_outer",
	  .new_func = klp_test_consist_outer_v2 },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_test_consist", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_consist_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_consist_patch_exit(void)
{
}

module_init(klp_test_consist_patch_init);
module_exit(klp_test_consist_patch_exit);
MODULE_DESCRIPTION("klp selftest: version 2 of klp_test_consist");
MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
