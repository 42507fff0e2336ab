// SPDX-License-Identifier: GPL-2.0-or-later
/* P3: patch of bench_call_func() and bench_call_hold() in bench_call. */
#include <linux/livepatch.h>
#include <linux/module.h>

static noinline long bench_call_func_v2(long x)
{
	return x + 1;
}

static noinline void bench_call_hold_v2(void)
{
}

static struct klp_func funcs[] = {
	{ .old_name = "bench_call_func", .new_func = bench_call_func_v2 },
	{ .old_name = "bench_call_hold", .new_func = bench_call_hold_v2 },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "bench_call", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init bench_call_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit bench_call_patch_exit(void)
{
}

module_init(bench_call_patch_init);
module_exit(bench_call_patch_exit);
MODULE_DESCRIPTION("klp benchmark P3: patch of the timed function");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
