// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live patch of klp_test_uffd_copy() in module klp_test_uffd: the new
 * version copies the same way and records version 2.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include "klp_test_uffd.h"

static noinline ssize_t klp_test_uffd_copy_v2(const char __user *ubuf,
					      size_t count)
{
	char buf[KLP_TEST_UFFD_MAX];

	count = min(count, sizeof(buf));
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	WRITE_ONCE(klp_test_uffd_last, 2);
	return count;
}

static struct klp_func funcs[] = {
	{ .old_name = "klp_test_uffd_copy", .new_func = klp_test_uffd_copy_v2 },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_test_uffd", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_uffd_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_uffd_patch_exit(void)
{
}

module_init(klp_test_uffd_patch_init);
module_exit(klp_test_uffd_patch_exit);
MODULE_DESCRIPTION("klp selftest: patch of klp_test_uffd_copy()");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
