// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Holds a task preempted inside klp_direct_dispatch, with the new
 * function it is about to return into already loaded, for
 * test-dispatch-preempt.sh.
 *
 * The dispatcher reads a table entry into %r10 and then, a few
 * instructions later, returns into the function the entry names.  A task
 * preempted in between resumes into that function whatever happened to
 * the table meanwhile, so the stack check must never switch a task
 * stopped there; klp relies on the dispatcher's unwind data ("undefined")
 * making its stack unreliable.  This module stops one there on demand.
 *
 * Kprobes on the two compares' conditional jumps (both emulated, so the
 * task continues in the dispatcher itself) catch the first task named
 * "comm" that hits the table after "armed" was set, and raise an irq_work
 * on its CPU.  The interrupt arrives at the first instruction after the
 * lookup (".Lhit"), wakes a SCHED_FIFO kthread bound to that CPU, and the
 * task is preempted on the way out of the interrupt.  The kthread checks
 * that the task's stack shows it stopped at .Lhit, then spins, keeping it
 * preempted, until "release" is written or "hold_ms" ms have passed.  The
 * test turns off RT throttling and the fair server meanwhile: either
 * would let the task run now and then, return to user space and switch
 * there, legitimately.
 *
 * "caught" counts the holds, "holding" is 1 during one, "victim" is the
 * pid of the last task held, "misses" counts catches that did not stop
 * where intended (they are let go at once).
 *
 * x86_64 with a preemptible kernel only; the offsets below are checked
 * against the dispatcher's code at load time.
 */
#include <linux/irq_work.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

static char *comm = "getpid-hammer";
module_param(comm, charp, 0444);
MODULE_PARM_DESC(comm, "name of the task to hold");

static unsigned int hold_ms = 60000;
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

static int misses;
module_param(misses, int, 0444);
MODULE_PARM_DESC(misses, "catches that did not stop at .Lhit");

static int victim_pid;
module_param_named(victim, victim_pid, int, 0444);
MODULE_PARM_DESC(victim, "pid of the last task held");

static bool holding;
module_param(holding, bool, 0444);
MODULE_PARM_DESC(holding, "1 while a task is held");

#if defined(CONFIG_X86_64) && defined(CONFIG_PREEMPTION) && \
	defined(CONFIG_LIVEPATCH_DIRECT_CALLS)
/*
 * klp_direct_dispatch: "je .Lhit" after the first way's compare, "jne
 * .Lmiss" after the second's, and .Lhit itself.
 */
#define KLP_TEST_JE_WAY0	0x18
#define KLP_TEST_JNE_WAY1	0x2e
#define KLP_TEST_HIT		0x30

/* The task caught, with a reference, until its hold is over. */
static struct task_struct *victim;
static unsigned long hit;
static struct task_struct *hogs[NR_CPUS];
static bool hog_go[NR_CPUS];

static void klp_test_irq_work_fn(struct irq_work *work)
{
	unsigned int cpu = smp_processor_id();
	struct task_struct *v = READ_ONCE(victim);

	/* The interrupt must land in the task that was caught. */
	if (current != v || !hogs[cpu]) {
		misses++;
		WRITE_ONCE(victim, NULL);
		put_task_struct(v);
		return;
	}
	WRITE_ONCE(hog_go[cpu], true);
	/* A FIFO task woken here preempts the victim when the irq returns. */
	wake_up_process(hogs[cpu]);
}

static struct irq_work klp_test_irq_work = IRQ_WORK_INIT_HARD(klp_test_irq_work_fn);

/* Both jumps lead to .Lhit exactly when ZF is set: the lookup hit. */
static int klp_test_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (!(regs->flags & X86_EFLAGS_ZF) || !READ_ONCE(armed) ||
	    strncmp(current->comm, comm, TASK_COMM_LEN) ||
	    cmpxchg(&victim, NULL, current))
		return 0;
	get_task_struct(current);
	WRITE_ONCE(armed, false);
	irq_work_queue(&klp_test_irq_work);
	return 0;
}

/* A kprobe with a post_handler is never optimized into a jump. */
static void klp_test_post(struct kprobe *p, struct pt_regs *regs,
			  unsigned long flags)
{
}

static struct kprobe kp_way0 = {
	.symbol_name = "klp_direct_dispatch",
	.offset = KLP_TEST_JE_WAY0,
	.pre_handler = klp_test_pre,
	.post_handler = klp_test_post,
};

static struct kprobe kp_way1 = {
	.symbol_name = "klp_direct_dispatch",
	.offset = KLP_TEST_JNE_WAY1,
	.pre_handler = klp_test_pre,
	.post_handler = klp_test_post,
};

/* Did @v stop at .Lhit?  It is preempted on this CPU, so not running. */
static bool klp_test_stopped_at_hit(struct task_struct *v)
{
	unsigned long entries[32];
	unsigned int i, n;

	n = stack_trace_save_tsk(v, entries, ARRAY_SIZE(entries), 0);
	for (i = 0; i < n; i++)
		if (entries[i] == hit)
			return true;
	return false;
}

static void klp_test_hold(struct task_struct *v)
{
	u64 end = ktime_get_ns() + (u64)READ_ONCE(hold_ms) * NSEC_PER_MSEC;

	if (!klp_test_stopped_at_hit(v)) {
		misses++;
		return;
	}
	WRITE_ONCE(release, false);
	victim_pid = task_pid_nr(v);
	caught++;
	WRITE_ONCE(holding, true);
	while (ktime_get_ns() < end && !READ_ONCE(release))
		cpu_relax();
	WRITE_ONCE(holding, false);
}

static int klp_test_hog(void *data)
{
	unsigned int cpu = (unsigned long)data;
	struct task_struct *v;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		/* A catch made before a stop is still let go and put. */
		if (READ_ONCE(hog_go[cpu])) {
			__set_current_state(TASK_RUNNING);
			WRITE_ONCE(hog_go[cpu], false);
			v = READ_ONCE(victim);
			klp_test_hold(v);
			WRITE_ONCE(victim, NULL);
			put_task_struct(v);
			continue;
		}
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void klp_test_stop_hogs(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (hogs[cpu])
			kthread_stop(hogs[cpu]);
}

/*
 * The code this module was written against, or a refusal that says so.
 * The first kprobe is armed already: its int3 hides the opcode, which the
 * kprobe keeps.
 */
static int klp_test_check_layout(unsigned long start)
{
	const u8 *code = (const u8 *)start;

	if (kp_way0.opcode != 0x74 || code[KLP_TEST_JNE_WAY1] != 0x75 ||
	    KLP_TEST_JE_WAY0 + 2 + (s8)code[KLP_TEST_JE_WAY0 + 1] != KLP_TEST_HIT ||
	    KLP_TEST_JNE_WAY1 + 2 != KLP_TEST_HIT) {
		pr_err("klp_direct_dispatch is not laid out as this test expects: update its offsets\n");
		return -ENOEXEC;
	}
	return 0;
}

static int __init klp_test_dispatch_hold_init(void)
{
	struct task_struct *t;
	unsigned int cpu;
	int ret;

	ret = register_kprobe(&kp_way0);
	if (ret)
		return ret;
	hit = (unsigned long)kp_way0.addr - KLP_TEST_JE_WAY0 + KLP_TEST_HIT;
	ret = klp_test_check_layout(hit - KLP_TEST_HIT);
	if (!ret)
		ret = register_kprobe(&kp_way1);
	if (ret) {
		unregister_kprobe(&kp_way0);
		return ret;
	}
	for_each_online_cpu(cpu) {
		t = kthread_create_on_cpu(klp_test_hog, (void *)(unsigned long)cpu,
					  cpu, "klp_test_hog/%u");
		if (IS_ERR(t)) {
			ret = PTR_ERR(t);
			goto fail;
		}
		sched_set_fifo(t);
		hogs[cpu] = t;
		wake_up_process(t);
	}
	return 0;
fail:
	unregister_kprobe(&kp_way1);
	unregister_kprobe(&kp_way0);
	klp_test_stop_hogs();
	return ret;
}

static void __exit klp_test_dispatch_hold_exit(void)
{
	unregister_kprobe(&kp_way1);
	unregister_kprobe(&kp_way0);
	irq_work_sync(&klp_test_irq_work);
	WRITE_ONCE(release, true);
	/* kthread_stop() waits for a hold in progress. */
	klp_test_stop_hogs();
}
#else
/* Nothing to hold: no kernel preemption, or no dispatcher. */
static int __init klp_test_dispatch_hold_init(void)
{
	return -EOPNOTSUPP;
}

static void __exit klp_test_dispatch_hold_exit(void)
{
}
#endif

module_init(klp_test_dispatch_hold_init);
module_exit(klp_test_dispatch_hold_exit);
MODULE_DESCRIPTION("klp selftest: hold a task preempted inside klp_direct_dispatch");
MODULE_LICENSE("GPL");
