// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * P1, a transient blocker: a kthread that sleeps 50 ms inside
 * bench_blocked_func(), leaves it for 10 ms, and goes back in.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>

static struct task_struct *worker;

static noinline __noclone int bench_blocked_func(void)
{
	msleep(50);
	return 1;
}

static int bench_blocker_fn(void *data)
{
	while (!kthread_should_stop()) {
		bench_blocked_func();
		msleep(10);
	}
	return 0;
}

static int __init bench_blocker_init(void)
{
	worker = kthread_run(bench_blocker_fn, NULL, "bench_blocker");
	return PTR_ERR_OR_ZERO(worker);
}

static void __exit bench_blocker_exit(void)
{
	kthread_stop(worker);
}

module_init(bench_blocker_init);
module_exit(bench_blocker_exit);
MODULE_DESCRIPTION("klp benchmark P1: a kthread that keeps returning to one function");
MODULE_LICENSE("GPL");
