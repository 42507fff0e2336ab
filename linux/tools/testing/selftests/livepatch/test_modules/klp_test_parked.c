// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kthreads that sleep, for test-stack-scan.sh: "nr" (default 64) kthreads
 * named klp_test_parked wait on a queue nobody wakes, outside any patched
 * function, until the module goes.  A walk switches each of them from its
 * stack alone, by the stack scan or by the unwinder.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

static unsigned int nr = 64;
module_param(nr, uint, 0444);
MODULE_PARM_DESC(nr, "how many kthreads sleep (default 64)");

static DECLARE_WAIT_QUEUE_HEAD(klp_test_parked_wq);
static struct task_struct **parked;

static int klp_test_parked_fn(void *data)
{
	wait_event_interruptible(klp_test_parked_wq, kthread_should_stop());
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static void klp_test_parked_stop(void)
{
	unsigned int i;

	for (i = 0; i < nr && parked[i]; i++)
		kthread_stop(parked[i]);
	kfree(parked);
}

static int __init klp_test_parked_init(void)
{
	struct task_struct *t;
	unsigned int i;

	parked = kcalloc(nr, sizeof(*parked), GFP_KERNEL);
	if (!parked)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		t = kthread_run(klp_test_parked_fn, NULL, "klp_test_parked");
		if (IS_ERR(t)) {
			klp_test_parked_stop();
			return PTR_ERR(t);
		}
		parked[i] = t;
	}
	return 0;
}

static void __exit klp_test_parked_exit(void)
{
	klp_test_parked_stop();
}

module_init(klp_test_parked_init);
module_exit(klp_test_parked_exit);
MODULE_DESCRIPTION("klp selftest: kthreads asleep outside any patched function");
MODULE_LICENSE("GPL");
