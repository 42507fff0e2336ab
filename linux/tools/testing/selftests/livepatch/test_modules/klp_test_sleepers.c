// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Two tasks that only special switch points can move, for
 * test-switch-points.sh:
 *
 *  - /sys/kernel/debug/klp_test_sleepers/wait: reading it sleeps in
 *    klp_test_sleepers_wait() (interruptibly, up to 120 s).  A user task
 *    sleeping there holds a transition that changes the function until
 *    klp's fake signal makes it leave the kernel and restart the read.
 *
 *  - the kthread "klp_test_spinner" never sleeps: it spins on
 *    cond_resched(), never inside a patched function, but always
 *    running, so only the cond_resched() hook can switch it.  spin=0
 *    leaves it out: on a preemptible kernel it holds up every RCU Tasks
 *    grace period, and with them the removal of a patch.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(klp_test_wq);
static struct dentry *dir;
static struct task_struct *spinner;

static bool spin = true;
module_param(spin, bool, 0444);
MODULE_PARM_DESC(spin, "start the klp_test_spinner kthread (default: yes)");

/* One function under its own name, so a live patch can replace it. */
static noinline __noclone int klp_test_sleepers_wait(char *buf, size_t len)
{
	long left;

	/* Never woken on purpose: only a signal ends the sleep early. */
	left = wait_event_interruptible_timeout(klp_test_wq, false, 120 * HZ);
	if (left < 0)
		return left;
	return scnprintf(buf, len, "timed out\n");
}

static ssize_t wait_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	char buf[32];
	int len;

	if (*ppos)
		return 0;
	len = klp_test_sleepers_wait(buf, sizeof(buf));
	if (len < 0)
		return len;
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations wait_fops = {
	.read = wait_read,
	.llseek = noop_llseek,
};

static int spinner_fn(void *data)
{
	while (!kthread_should_stop())
		cond_resched();
	return 0;
}

static int __init klp_test_sleepers_init(void)
{
	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("wait", 0400, dir, NULL, &wait_fops);
	if (!spin)
		return 0;
	spinner = kthread_run(spinner_fn, NULL, "klp_test_spinner");
	if (IS_ERR(spinner)) {
		debugfs_remove_recursive(dir);
		return PTR_ERR(spinner);
	}
	return 0;
}

static void __exit klp_test_sleepers_exit(void)
{
	if (spinner)
		kthread_stop(spinner);
	debugfs_remove_recursive(dir);
}

module_init(klp_test_sleepers_init);
module_exit(klp_test_sleepers_exit);
MODULE_DESCRIPTION("klp selftest: tasks only signals or cond_resched() switch");
MODULE_LICENSE("GPL");
