// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target of the consistency test.  Reading /proc/klp_test_consist runs
 * klp_test_consist_outer(), which calls klp_test_consist_first(), sleeps or
 * yields, then calls klp_test_consist_second().  The patch replaces all
 * three; each version returns its number.  A task that mixed versions
 * inside one call of the outer function (which the consistency model
 * forbids: the outer function stays on its stack throughout) is counted
 * in the parameter "mixed".
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include "klp_test_consist.h"

atomic_long_t klp_test_consist_mixed;
EXPORT_SYMBOL_GPL(klp_test_consist_mixed);
static atomic_long_t calls;

static int counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops counter_ops = { .get = counter_get };
/* While set, callers stay between the two calls: a transition cannot end. */
int klp_test_consist_hold;
EXPORT_SYMBOL_GPL(klp_test_consist_hold);
module_param_named(hold, klp_test_consist_hold, int, 0644);
MODULE_PARM_DESC(hold, "1 keeps every caller inside the outer function");
static atomic_long_t held;

module_param_cb(held, &counter_ops, &held, 0444);
MODULE_PARM_DESC(held, "callers held inside the outer function right now");

/*
 * Where the outer function of either version waits while "hold" is set.
 * Not traced, so not patched: the patched outer function calls it too,
 * and "held" counts the callers of both.  A test that wants a transition
 * held open waits for "held" before it starts one.
 */
notrace void klp_test_consist_wait_held(void)
{
	if (!READ_ONCE(klp_test_consist_hold))
		return;
	atomic_long_inc(&held);
	while (READ_ONCE(klp_test_consist_hold))
		usleep_range(1000, 2000);
	atomic_long_dec(&held);
}
EXPORT_SYMBOL_GPL(klp_test_consist_wait_held);

module_param_cb(mixed, &counter_ops, &klp_test_consist_mixed, 0444);
MODULE_PARM_DESC(mixed, "calls that saw two versions at once (must stay 0)");
module_param_cb(calls, &counter_ops, &calls, 0444);
MODULE_PARM_DESC(calls, "calls of the outer function");

/*
 * Exported so that the patched outer function calls these, not copies;
 * __noclone and the volatile read keep the compiler from calling, or
 * assuming, anything but the traced function itself.
 */
static int version = 1;

noinline __noclone int klp_test_consist_first(void)
{
	return READ_ONCE(version);
}
EXPORT_SYMBOL_GPL(klp_test_consist_first);

noinline __noclone int klp_test_consist_second(void)
{
	return READ_ONCE(version);
}
EXPORT_SYMBOL_GPL(klp_test_consist_second);

/*
 * Between the two calls the task sleeps (a chance for the sched_switch
 * check and the task walks) or yields (cond_resched()), in turn.
 */
noinline __noclone int klp_test_consist_outer(void)
{
	int first = klp_test_consist_first();

	if (atomic_long_inc_return(&calls) & 1)
		usleep_range(100, 200);
	else
		cond_resched();
	klp_test_consist_wait_held();

	if (first != 1 || klp_test_consist_second() != 1)
		atomic_long_inc(&klp_test_consist_mixed);
	return 1;
}

static ssize_t klp_test_consist_read(struct file *file, char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	char buf[4];
	int len;

	len = scnprintf(buf, sizeof(buf), "%d\n", klp_test_consist_outer());
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct proc_ops klp_test_consist_ops = {
	.proc_read = klp_test_consist_read,
	.proc_lseek = default_llseek,
};

static int __init klp_test_consist_init(void)
{
	if (!proc_create("klp_test_consist", 0444, NULL, &klp_test_consist_ops))
		return -ENOMEM;
	return 0;
}

static void __exit klp_test_consist_exit(void)
{
	remove_proc_entry("klp_test_consist", NULL);
}

module_init(klp_test_consist_init);
module_exit(klp_test_consist_exit);
MODULE_DESCRIPTION("klp selftest: functions whose versions must never mix");
MODULE_LICENSE("GPL");
