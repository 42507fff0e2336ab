// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * P7, context switches of tasks a transition waits for: two kthreads,
 * both bound to CPU 0, that live inside bench_pp_func() and hand a token
 * to each other there.  A patch of bench_pp_func() can never finish its
 * transition while they exist, and on every switch each of them is a
 * pending task whose stack holds a patched function: the worst case for a
 * check at sleep time.  Writing N to "run" makes them do N round trips
 * (two context switches each); "ns" then reads the nanoseconds per round
 * trip.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/wait.h>

static struct task_struct *pp[2];
static DECLARE_WAIT_QUEUE_HEAD(pp_wq);
static struct completion pp_turn[2];
static DECLARE_COMPLETION(pp_done);
static unsigned long pp_rounds[2];
static u64 pp_ns;

static bool pp_ready(int me)
{
	return READ_ONCE(pp_rounds[me]) || kthread_should_stop();
}

/* Where both kthreads live: the function the patch replaces. */
static noinline __noclone int bench_pp_func(int me)
{
	unsigned long i, n;

	while (!kthread_should_stop()) {
		wait_event_interruptible(pp_wq, pp_ready(me));
		n = READ_ONCE(pp_rounds[me]);
		for (i = 0; i < n; i++) {
			if (me == 0) {
				complete(&pp_turn[1]);
				wait_for_completion(&pp_turn[0]);
			} else {
				wait_for_completion(&pp_turn[1]);
				complete(&pp_turn[0]);
			}
		}
		WRITE_ONCE(pp_rounds[me], 0);
		if (n && me == 0)
			complete(&pp_done);
	}
	return me;
}

static int bench_pp_thread(void *data)
{
	return bench_pp_func((long)data);
}

static int run_set(const char *val, const struct kernel_param *kp)
{
	unsigned long n;
	u64 t0;
	int ret;

	ret = kstrtoul(val, 0, &n);
	if (ret || !n)
		return ret ?: -EINVAL;
	reinit_completion(&pp_done);
	t0 = ktime_get_ns();
	WRITE_ONCE(pp_rounds[1], n);
	WRITE_ONCE(pp_rounds[0], n);
	wake_up_all(&pp_wq);
	wait_for_completion(&pp_done);
	pp_ns = div_u64(ktime_get_ns() - t0, n);
	return 0;
}

static const struct kernel_param_ops run_ops = { .set = run_set };
module_param_cb(run, &run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "round trips to make now");
module_param_named(ns, pp_ns, ullong, 0444);
MODULE_PARM_DESC(ns, "nanoseconds per round trip of the last run");

static int __init bench_pingpong_init(void)
{
	long i;

	for (i = 0; i < 2; i++) {
		init_completion(&pp_turn[i]);
		pp[i] = kthread_create(bench_pp_thread, (void *)i, "bench_pp/%ld", i);
		if (IS_ERR(pp[i])) {
			int ret = PTR_ERR(pp[i]);

			if (i)
				kthread_stop(pp[0]);
			return ret;
		}
		kthread_bind(pp[i], 0);
		wake_up_process(pp[i]);
	}
	return 0;
}

static void __exit bench_pingpong_exit(void)
{
	kthread_stop(pp[0]);
	kthread_stop(pp[1]);
}

module_init(bench_pingpong_init);
module_exit(bench_pingpong_exit);
MODULE_DESCRIPTION("klp benchmark P7: two kthreads switching inside a patched function");
MODULE_LICENSE("GPL");
