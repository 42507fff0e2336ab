// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A module whose kthread can be held inside a function on demand.
 *
 * The kthread "klp_test_worker" calls klp_test_target_func() in a loop and
 * stores its return value in the "last" parameter: 1 for this original
 * version, 2 once klp_test_target_patch's version runs.  While "hold" is
 * set, both versions sleep inside themselves, so a transition that changes
 * the function cannot switch the kthread until "hold" is cleared.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include "klp_test_target.h"

bool klp_test_hold;
EXPORT_SYMBOL_GPL(klp_test_hold);
module_param_named(hold, klp_test_hold, bool, 0644);
MODULE_PARM_DESC(hold, "keep the worker sleeping inside the target function");

static int last;
module_param(last, int, 0444);
MODULE_PARM_DESC(last, "version of the target function that ran last");

static struct task_struct *worker;

/* One function under its own name, so a live patch can replace it. */
static noinline __noclone int klp_test_target_func(void)
{
	while (READ_ONCE(klp_test_hold) && !kthread_should_stop())
		msleep(20);
	return 1;
}

static int klp_test_worker_fn(void *data)
{
	while (!kthread_should_stop()) {
		WRITE_ONCE(last, klp_test_target_func());
		msleep(20);
	}
	return 0;
}

static int __init klp_test_target_init(void)
{
	worker = kthread_run(klp_test_worker_fn, NULL, "klp_test_worker");
	return PTR_ERR_OR_ZERO(worker);
}

static void __exit klp_test_target_exit(void)
{
	kthread_stop(worker);
}

module_init(klp_test_target_init);
module_exit(klp_test_target_exit);
MODULE_DESCRIPTION("klp selftest: a function a kthread can be held in");
MODULE_LICENSE("GPL");
