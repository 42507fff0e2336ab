// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * P4, disturbance: a SCHED_FIFO kthread asks to wake every 1 ms and
 * records how late each wake-up is.  Writing 1 to "run" clears the record
 * and starts it, 0 stops it and leaves the worst lateness and the 99th
 * percentile, in microseconds, in "max_us" and "p99_us".
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#define MAX_SAMPLES	200000

static unsigned long max_us, p99_us, samples;
module_param(max_us, ulong, 0444);
MODULE_PARM_DESC(max_us, "worst wake-up lateness of the last run");
module_param(p99_us, ulong, 0444);
MODULE_PARM_DESC(p99_us, "99th percentile of the wake-up lateness");
module_param(samples, ulong, 0444);
MODULE_PARM_DESC(samples, "wake-ups recorded in the last run");

static u32 *late_us;
static struct task_struct *worker;

static int bench_lat_fn(void *data)
{
	sched_set_fifo(current);
	while (!kthread_should_stop()) {
		u64 t = ktime_get_ns();
		s64 late;

		usleep_range(1000, 1000);
		late = ktime_get_ns() - t - 1000 * NSEC_PER_USEC;
		if (samples < MAX_SAMPLES)
			late_us[samples++] = late > 0 ? div_u64(late, 1000) : 0;
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int run_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	if (on && !worker) {
		samples = 0;
		worker = kthread_run(bench_lat_fn, NULL, "bench_lat");
		if (IS_ERR(worker)) {
			ret = PTR_ERR(worker);
			worker = NULL;
		}
		return ret;
	}
	if (!on && worker) {
		kthread_stop(worker);
		worker = NULL;
		if (!samples)
			return 0;
		sort(late_us, samples, sizeof(*late_us), cmp_u32, NULL);
		max_us = late_us[samples - 1];
		p99_us = late_us[(samples * 99) / 100];
	}
	return 0;
}

static const struct kernel_param_ops run_ops = { .set = run_set };
module_param_cb(run, &run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "1 starts recording, 0 stops and computes");

static int __init bench_lat_init(void)
{
	late_us = vmalloc(MAX_SAMPLES * sizeof(*late_us));
	return late_us ? 0 : -ENOMEM;
}

static void __exit bench_lat_exit(void)
{
	if (worker)
		kthread_stop(worker);
	vfree(late_us);
}

module_init(bench_lat_init);
module_exit(bench_lat_exit);
MODULE_DESCRIPTION("klp benchmark P4: wake-up lateness of a periodic real-time kthread");
MODULE_LICENSE("GPL");
