// SPDX-License-Identifier: GPL-2.0-or-later
/* Live patch of klp_test_sleepers_wait(): the new version does not wait. */
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>

static int klp_test_sleepers_wait_v2(char *buf, size_t len)
{
	return scnprintf(buf, len, "patched\n");
}

static struct klp_func funcs[] = {
	{ .old_name = "klp_test_sleepers_wait",
	  .new_func = klp_test_sleepers_wait_v2 },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_test_sleepers", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_sleepers_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_sleepers_patch_exit(void)
{
}

module_init(klp_test_sleepers_patch_init);
module_exit(klp_test_sleepers_patch_exit);
MODULE_DESCRIPTION("klp selftest: patch of klp_test_sleepers_wait()");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
