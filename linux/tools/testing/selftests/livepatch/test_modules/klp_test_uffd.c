// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A function that touches user memory, for test-fault-sleep.sh.
 *
 * Writing to /proc/klp_test_uffd calls klp_test_uffd_copy(), which copies
 * the data in with copy_from_user().  When that memory is registered with
 * userfaultfd and missing, the writer sleeps inside the page fault, with
 * klp_test_uffd_copy() below the fault frame on its stack, until user
 * space resolves the fault.  "last" is the version of the function that
 * copied last: 1 for this one, 2 for klp_test_uffd_patch's.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include "klp_test_uffd.h"

int klp_test_uffd_last;
EXPORT_SYMBOL_GPL(klp_test_uffd_last);
module_param_named(last, klp_test_uffd_last, int, 0444);
MODULE_PARM_DESC(last, "version of klp_test_uffd_copy() that copied last");

static noinline __noclone ssize_t klp_test_uffd_copy(const char __user *ubuf,
						     size_t count)
{
	char buf[KLP_TEST_UFFD_MAX];

	count = min(count, sizeof(buf));
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	WRITE_ONCE(klp_test_uffd_last, 1);
	return count;
}

static ssize_t klp_test_uffd_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	return klp_test_uffd_copy(ubuf, count);
}

static const struct proc_ops klp_test_uffd_ops = {
	.proc_write	= klp_test_uffd_write,
};

static int __init klp_test_uffd_init(void)
{
	if (!proc_create("klp_test_uffd", 0200, NULL, &klp_test_uffd_ops))
		return -ENOMEM;
	return 0;
}

static void __exit klp_test_uffd_exit(void)
{
	remove_proc_entry("klp_test_uffd", NULL);
}

module_init(klp_test_uffd_init);
module_exit(klp_test_uffd_exit);
MODULE_DESCRIPTION("klp selftest: a function that may sleep in a page fault");
MODULE_LICENSE("GPL");
