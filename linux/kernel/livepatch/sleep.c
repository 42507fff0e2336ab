// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sleep-time stack check (CONFIG_LIVEPATCH_SLEEP_SWITCH).
 *
 * Without it a task asleep is switched only by the walks, which run every
 * second, or on its way out to user space; a task that a patched function
 * holds up for a moment at a time, e.g. a kthread that loops in it and
 * sleeps elsewhere between rounds, may be found in the function by walk
 * after walk.  Here a probe on the sched_switch tracepoint, armed for the
 * length of a transition, lets a pending task check its own stack at the
 * moment it sleeps or is preempted, and switch if it can
 * (klp_try_switch_current() in transition.c).
 *
 * klp_sleep_probe_on is written under klp_mutex (M); the memory of
 * refusals is per CPU (P), see core.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/mm_types.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <trace/events/sched.h>
#include "sleep.h"
#include "transition.h"

static bool klp_sleep_probe_on;

/*
 * The sleep probe's memory of refusals (rule P in core.h: per CPU, used
 * only with interrupts off).  A task that a patched function keeps
 * blocked may context switch thousands of times a second, e.g. two
 * kthreads handing work to each other from inside it, and checking its
 * stack each time costs it an unwind per switch.  So a task whose check
 * failed is not checked again at a switch on that CPU within the same
 * jiffy.  Skipping a check can only leave a task pending longer, never
 * switch it: a task that left the function meanwhile switches at a later
 * switch, at the next walk, or on its way out to user space.  A stale
 * entry (the task exited and its memory was reused) costs a new task at
 * most one skipped check in its first jiffy, for the same reason.
 */
#define KLP_SLEEP_MEMO_SIZE	4

struct klp_sleep_memo {
	struct task_struct *task[KLP_SLEEP_MEMO_SIZE];
	unsigned long jiffy[KLP_SLEEP_MEMO_SIZE];
	unsigned int next;
};

static DEFINE_PER_CPU(struct klp_sleep_memo, klp_sleep_memo);

static bool klp_sleep_memo_refused(struct task_struct *task)
{
	struct klp_sleep_memo *memo = this_cpu_ptr(&klp_sleep_memo);
	unsigned long now = jiffies;
	int i;

	for (i = 0; i < KLP_SLEEP_MEMO_SIZE; i++)
		if (memo->task[i] == task && memo->jiffy[i] == now)
			return true;
	return false;
}

static void klp_sleep_memo_note(struct task_struct *task)
{
	struct klp_sleep_memo *memo = this_cpu_ptr(&klp_sleep_memo);
	unsigned int i = memo->next++ % KLP_SLEEP_MEMO_SIZE;

	memo->task[i] = task;
	memo->jiffy[i] = jiffies;
}

/*
 * A task about to sleep or to be preempted looks at its own stack.  This
 * is what finishes a transition held up by a task that only leaves the
 * patched function for a moment: the moment it sleeps elsewhere, it
 * switches.  @prev is current; the runqueue lock is held, interrupts are
 * off.
 */
static void klp_sched_switch_probe(void *data, bool preempt,
				   struct task_struct *prev,
				   struct task_struct *next,
				   unsigned int prev_state)
{
	if (likely(!test_tsk_thread_flag(prev, TIF_PATCH_PENDING)))
		return;
	if (klp_sleep_memo_refused(prev))
		return;
	if (!klp_try_switch_current(KLP_SWITCH_SLEEP))
		klp_sleep_memo_note(prev);
}

/*
 * Without the probe, sleeping tasks are still switched by the walks; only
 * slower.  Its unregistration needs no grace period of its own: the probe
 * runs with interrupts off, which klp_synchronize_cpus() waits for
 * before anything it reads goes away.
 */
/**
 * klp_sleep_probe_start() - arm the probe, as a transition starts
 *
 * Context: klp_mutex held, before the flags go out.
 */
void klp_sleep_probe_start(void)
{
	int ret;

	if (klp_sleep_probe_on)
		return;
	ret = register_trace_sched_switch(klp_sched_switch_probe, NULL);
	if (ret)
		pr_debug("no sched_switch probe (%d); sleeping tasks switch at the walks\n",
			 ret);
	klp_sleep_probe_on = !ret;
}

/**
 * klp_sleep_probe_stop() - disarm the probe, as a transition completes
 *
 * Context: klp_mutex held, before the synchronizations of the completion.
 */
void klp_sleep_probe_stop(void)
{
	if (!klp_sleep_probe_on)
		return;
	unregister_trace_sched_switch(klp_sched_switch_probe, NULL);
	klp_sleep_probe_on = false;
}
