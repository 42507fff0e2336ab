// SPDX-License-Identifier: GPL-2.0-or-later
/* P1: the patch of bench_blocked_func(); same behaviour. */
#include <linux/delay.h>
#include <linux/livepatch.h>
#include <linux/module.h>

static noinline int bench_blocked_func_v2(void)
{
	msleep(50);
	return 2;
}

static struct klp_func funcs[] = {
	{ .old_name = "bench_blocked_func", .new_func = bench_blocked_func_v2 },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "bench_blocker", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init bench_blocker_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit bench_blocker_patch_exit(void)
{
}

module_init(bench_blocker_patch_init);
module_exit(bench_blocker_patch_exit);
MODULE_DESCRIPTION("klp benchmark P1: patch of the blocker's function");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
