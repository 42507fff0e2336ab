// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * P3, call overhead.  Writing N to "run" calls bench_call_func() and its
 * unpatched twin bench_call_twin() N times each in a tight loop and leaves
 * the cost per call, in picoseconds, in "ps_func" and "ps_twin".  A kthread
 * can be held inside bench_call_hold() ("hold") to keep a transition of a
 * patch that also changes that function open.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>

static bool hold;
module_param(hold, bool, 0644);
MODULE_PARM_DESC(hold, "keep the kthread inside bench_call_hold()");

static unsigned long ps_func, ps_twin;
module_param(ps_func, ulong, 0444);
MODULE_PARM_DESC(ps_func, "picoseconds per call of bench_call_func()");
module_param(ps_twin, ulong, 0444);
MODULE_PARM_DESC(ps_twin, "picoseconds per call of bench_call_twin()");

static struct task_struct *worker;

static noinline __noclone long bench_call_func(long x)
{
	return x + 1;
}

static noinline __noclone long bench_call_twin(long x)
{
	return x + 1;
}

static noinline __noclone void bench_call_hold(void)
{
	while (READ_ONCE(hold) && !kthread_should_stop())
		msleep(20);
}

static int bench_call_worker(void *data)
{
	while (!kthread_should_stop()) {
		bench_call_hold();
		msleep(20);
	}
	return 0;
}

static unsigned long time_calls(long (*fn)(long), unsigned long n)
{
	unsigned long i;
	long sink = 0;
	u64 t;

	t = ktime_get_ns();
	for (i = 0; i < n; i++)
		sink += fn(i);
	t = ktime_get_ns() - t;
	barrier_data(&sink);
	return div64_u64(t * 1000, n);
}

static int run_set(const char *val, const struct kernel_param *kp)
{
	unsigned long n;
	int ret = kstrtoul(val, 0, &n);

	if (ret || !n)
		return -EINVAL;
	/* Interleaved, so that both see the same machine. */
	ps_twin = time_calls(bench_call_twin, n);
	ps_func = time_calls(bench_call_func, n);
	ps_twin = (ps_twin + time_calls(bench_call_twin, n)) / 2;
	return 0;
}

static const struct kernel_param_ops run_ops = { .set = run_set };
module_param_cb(run, &run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "time N calls of each function");

static int __init bench_call_init(void)
{
	worker = kthread_run(bench_call_worker, NULL, "bench_call");
	return PTR_ERR_OR_ZERO(worker);
}

static void __exit bench_call_exit(void)
{
	kthread_stop(worker);
}

module_init(bench_call_init);
module_exit(bench_call_exit);
MODULE_DESCRIPTION("klp benchmark P3: cost of a call through a patched function");
MODULE_LICENSE("GPL");
