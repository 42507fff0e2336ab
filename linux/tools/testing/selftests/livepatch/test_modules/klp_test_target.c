// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A module whose kthread can be held inside a function on demand.
 *
 * The kthread "klp_test_worker" calls klp_test_target_func() in a loop and
 * stores its return value in the "last" parameter: 1 for this original
 * version, 2 once klp_test_target_patch's version runs.  While "hold" is
 * set, both versions sleep inside themselves, so a transition that changes
 * the function cannot switch the kthread until "hold" is cleared.
 *
 * Loaded with "pingpong=1", the original instead hands a token to a
 * second kthread and waits for it back while held, so that the worker
 * goes to sleep many times per jiffy without depending on the timers'
 * resolution; with "park" set, the worker, once out of the function,
 * sleeps for a minute (or until the module goes) instead of calling it
 * again 20 ms later.  Together they drive the sleep probe's worst case
 * (test-sleep-memo.sh).
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include "klp_test_target.h"

bool klp_test_hold;
EXPORT_SYMBOL_GPL(klp_test_hold);
module_param_named(hold, klp_test_hold, bool, 0644);
MODULE_PARM_DESC(hold, "keep the worker sleeping inside the target function");

static bool pingpong;
module_param(pingpong, bool, 0444);
MODULE_PARM_DESC(pingpong, "while held, hand a token to a partner kthread instead of sleeping 20 ms");

static bool park;
module_param(park, bool, 0644);
MODULE_PARM_DESC(park, "sleep for a minute after each call instead of 20 ms");

static int last;
module_param(last, int, 0444);
MODULE_PARM_DESC(last, "version of the target function that ran last");

static struct task_struct *worker, *partner;
static DECLARE_COMPLETION(klp_test_ping);
static DECLARE_COMPLETION(klp_test_pong);

/* The partner: sends every token back, outside any patched function. */
static int klp_test_partner_fn(void *data)
{
	while (!kthread_should_stop())
		if (wait_for_completion_timeout(&klp_test_ping, HZ))
			complete(&klp_test_pong);
	return 0;
}

/* One function under its own name, so a live patch can replace it. */
static noinline __noclone int klp_test_target_func(void)
{
	while (READ_ONCE(klp_test_hold) && !kthread_should_stop()) {
		if (pingpong) {
			complete(&klp_test_ping);
			wait_for_completion_timeout(&klp_test_pong, HZ);
		} else {
			msleep(20);
		}
	}
	return 1;
}

static int klp_test_worker_fn(void *data)
{
	while (!kthread_should_stop()) {
		WRITE_ONCE(last, klp_test_target_func());
		if (READ_ONCE(park))
			/* kthread_stop() wakes it. */
			schedule_timeout_interruptible(60 * HZ);
		else
			msleep(20);
	}
	return 0;
}

static int __init klp_test_target_init(void)
{
	if (pingpong) {
		partner = kthread_run(klp_test_partner_fn, NULL,
				      "klp_test_partner");
		if (IS_ERR(partner))
			return PTR_ERR(partner);
	}
	worker = kthread_run(klp_test_worker_fn, NULL, "klp_test_worker");
	if (IS_ERR(worker)) {
		if (partner)
			kthread_stop(partner);
		return PTR_ERR(worker);
	}
	return 0;
}

static void __exit klp_test_target_exit(void)
{
	kthread_stop(worker);
	if (partner)
		kthread_stop(partner);
}

module_init(klp_test_target_init);
module_exit(klp_test_target_exit);
MODULE_DESCRIPTION("klp selftest: a function a kthread can be held in");
MODULE_LICENSE("GPL");
