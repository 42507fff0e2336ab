// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Widens fork's linking window for test-fork-race.sh.
 *
 * copy_process() gives the child its parent's patch state in
 * klp_copy_process() and links the child into the task lists a little
 * later, in the same tasklist_lock section.  A task walk that can update
 * the parent inside that window, and only then reach the place where
 * the child will be linked, leaves the child behind.  This module stalls
 * every fork right there, for "delay_us" microseconds, through a
 * kretprobe on klp_copy_process(): the window becomes wide enough for
 * any such walk to fall into it.
 */
#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/module.h>

static unsigned int delay_us = 300;
module_param(delay_us, uint, 0644);
MODULE_PARM_DESC(delay_us, "how long each fork stalls after klp_copy_process()");

static atomic_long_t hits;

static int hits_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&hits));
}

static const struct kernel_param_ops hits_ops = { .get = hits_get };
module_param_cb(hits, &hits_ops, NULL, 0444);
MODULE_PARM_DESC(hits, "forks stalled so far");

static int klp_test_forkwin_ret(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	unsigned int us = READ_ONCE(delay_us);

	atomic_long_inc(&hits);
	/* Interrupts are off here: stall in short steps. */
	while (us) {
		unsigned int step = min(us, 50U);

		udelay(step);
		us -= step;
	}
	return 0;
}

static struct kretprobe krp = {
	.kp.symbol_name	= "klp_copy_process",
	.handler	= klp_test_forkwin_ret,
	.maxactive	= 64,
};

static int __init klp_test_forkwin_init(void)
{
	return register_kretprobe(&krp);
}

static void __exit klp_test_forkwin_exit(void)
{
	unregister_kretprobe(&krp);
}

module_init(klp_test_forkwin_init);
module_exit(klp_test_forkwin_exit);
MODULE_DESCRIPTION("klp selftest: stall every fork between klp_copy_process() and the linking");
MODULE_LICENSE("GPL");
