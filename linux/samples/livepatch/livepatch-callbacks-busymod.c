// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livepatch-callbacks-busymod: a module whose worker sits inside the
 * function livepatch-callbacks-demo replaces.
 *
 * With busy=1 (the default) the worker enters busymod_stay() and stays
 * there for "seconds" seconds (default 10).  A patch that replaces
 * busymod_stay() cannot switch the worker while it is inside, so the
 * transition waits, and the post-patch callbacks run only once the worker
 * has left.  Try:
 *
 *   insmod livepatch-callbacks-busymod.ko seconds=20
 *   insmod livepatch-callbacks-demo.ko
 *   cat /sys/kernel/livepatch/livepatch_callbacks_demo/transition  # 1
 *   # ...20 s later the worker leaves, the transition completes: 0
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/workqueue.h>

static bool busy = true;
module_param(busy, bool, 0444);
MODULE_PARM_DESC(busy, "keep the worker inside busymod_stay() for a while");

static unsigned int seconds = 10;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "how long the worker stays");

/* One function under its own name, so a live patch can replace it. */
static noinline __noclone void busymod_stay(void)
{
	unsigned int i;

	pr_info("worker enters %s()\n", __func__);
	for (i = 0; busy && i < seconds * 10; i++)
		msleep(100);
	pr_info("worker leaves %s()\n", __func__);
}

static void busymod_work_fn(struct work_struct *work)
{
	busymod_stay();
}

static DECLARE_WORK(busymod_work, busymod_work_fn);

static int __init busymod_init(void)
{
	schedule_work(&busymod_work);
	return 0;
}

static void __exit busymod_exit(void)
{
	cancel_work_sync(&busymod_work);
}

module_init(busymod_init);
module_exit(busymod_exit);
MODULE_DESCRIPTION("Live patch sample: a target that blocks a transition");
MODULE_LICENSE("GPL");
