// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Holds a task preempted inside an ftrace trampoline, on its way to klp's
 * handler, for test-preempt-unpatch.sh.
 *
 * On a preemptible kernel a task may be preempted anywhere in the ftrace
 * trampoline of a patched function before the handler disables
 * preemption, and resume much later.  Waiting for that by chance takes
 * luck; this module makes it happen on demand.  A kprobe on the first
 * instruction of the handler, klp_ftrace_handler(), sends the first task
 * named "comm" that arrives after "armed" was set to klp_test_detour()
 * instead.  If the task could be preempted there (klp_fops' own
 * trampoline; ftrace's list function, used when several ftrace_ops share
 * the location, disables preemption), it preempts itself over and over
 * until "release" is written or "hold_ms" milliseconds have passed,
 * involuntarily as far as the scheduler and RCU-tasks can tell (it stays
 * runnable); then it calls the handler as it was about to.  "caught"
 * counts the tasks held so far, "holding" is 1 while one is held.
 *
 * x86_64 only: the kprobe redirects the instruction pointer.
 */
#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>

static char *comm = "getpid-hammer";
module_param(comm, charp, 0444);
MODULE_PARM_DESC(comm, "name of the task to hold");

static unsigned int hold_ms = 10000;
module_param(hold_ms, uint, 0644);
MODULE_PARM_DESC(hold_ms, "how long the task stays preempted at most");

static bool release;
module_param(release, bool, 0644);
MODULE_PARM_DESC(release, "let the held task go now; cleared when one is caught");

static bool armed;
module_param(armed, bool, 0644);
MODULE_PARM_DESC(armed, "catch the next task named comm; cleared when one is caught");

static int caught;
module_param(caught, int, 0444);
MODULE_PARM_DESC(caught, "tasks held so far");

/* The task being held, or NULL. */
static struct task_struct *victim;

static int holding_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", !!READ_ONCE(victim));
}

static const struct kernel_param_ops holding_ops = { .get = holding_get };
module_param_cb(holding, &holding_ops, NULL, 0444);
MODULE_PARM_DESC(holding, "1 while a task is held");

static struct kprobe kp = { .symbol_name = "klp_ftrace_handler" };

#if defined(CONFIG_X86_64) && defined(CONFIG_PREEMPTION)
static void notrace klp_test_detour(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op,
				    struct ftrace_regs *fregs)
{
	ftrace_func_t handler = (ftrace_func_t)kp.addr;
	u64 end = ktime_get_ns() + (u64)READ_ONCE(hold_ms) * NSEC_PER_MSEC;

	if (!preemptible()) {
		/* Not a place a task can be preempted: let it pass. */
		handler(ip, parent_ip, op, fregs);
		WRITE_ONCE(victim, NULL);
		return;
	}
	WRITE_ONCE(release, false);
	WRITE_ONCE(armed, false);
	caught++;
	while (ktime_get_ns() < end && !READ_ONCE(release)) {
		/* What a timer tick does at the end of a slice. */
		set_tsk_need_resched(current);
		set_preempt_need_resched();
		preempt_schedule();
		cpu_relax();
	}
	/* The kprobe lets the victim itself through. */
	handler(ip, parent_ip, op, fregs);
	WRITE_ONCE(victim, NULL);
}

static int klp_test_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (!READ_ONCE(armed) || strncmp(current->comm, comm, TASK_COMM_LEN) ||
	    cmpxchg(&victim, NULL, current))
		return 0;
	/* Same arguments, same return address: only the callee changes. */
	instruction_pointer_set(regs, (unsigned long)klp_test_detour);
	return 1;
}

/*
 * An optimized kprobe (a jump instead of int3) ignores a new instruction
 * pointer; a kprobe with a post_handler is never optimized.
 */
static void klp_test_post(struct kprobe *p, struct pt_regs *regs,
			  unsigned long flags)
{
}

static int __init klp_test_preempter_init(void)
{
	kp.pre_handler = klp_test_pre;
	kp.post_handler = klp_test_post;
	return register_kprobe(&kp);
}
#else
/* Nothing to hold: no kernel preemption, or no way to redirect. */
static int __init klp_test_preempter_init(void)
{
	return -EOPNOTSUPP;
}
#endif

static void __exit klp_test_preempter_exit(void)
{
	unregister_kprobe(&kp);
	/* A task still held runs module code: wait for it. */
	while (READ_ONCE(victim))
		msleep(20);
}

module_init(klp_test_preempter_init);
module_exit(klp_test_preempter_exit);
MODULE_DESCRIPTION("klp selftest: hold a task preempted on its way to klp's handler");
MODULE_LICENSE("GPL");
