// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The two waits of klp.  Which object each one protects, and why that is
 * enough, is in the "Lifetimes" part of core.h.
 */
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include "core.h"

static void klp_sync_noop(struct work_struct *work)
{
}

/**
 * klp_synchronize_cpus() - wait until every CPU has scheduled
 *
 * Returns once every region that ran with preemption or interrupts
 * disabled when it was called is over, on every CPU: the ftrace handler
 * (also where RCU is not watching), the sched_switch probe, the
 * cond_resched() hook and klp_update_patch_state().  This is what a rude
 * RCU-tasks grace period does, without its kthread, which sleeps a tenth
 * of a second between grace periods.
 *
 * Context: may sleep; klp_mutex may be held.
 */
void klp_synchronize_cpus(void)
{
	/* Only if the per-CPU work items cannot be allocated. */
	if (schedule_on_each_cpu(klp_sync_noop))
		synchronize_rcu_tasks_rude();
}

/**
 * klp_synchronize_tasks() - wait until no task is inside a trampoline
 *
 * Returns once no task can be inside the ftrace trampoline of a location
 * that was taken away before the call, on its way to klp's handler, and
 * once klp_synchronize_cpus()
 * has passed.  On a preemptible kernel a task may be preempted anywhere
 * in a trampoline, before the handler has disabled preemption, and
 * resume long after: RCU-tasks waits for every such task to schedule
 * voluntarily or to reach user space.  RCU-tasks does not wait for idle
 * tasks, which are never preempted; the wait for the CPUs covers them.
 * Without preemption a task leaves a trampoline before it can schedule,
 * so the wait for the CPUs is all it takes.
 *
 * Context: may sleep; klp_mutex may be held.
 */
void klp_synchronize_tasks(void)
{
	if (IS_ENABLED(CONFIG_PREEMPTION))
		synchronize_rcu_tasks();
	klp_synchronize_cpus();
}
