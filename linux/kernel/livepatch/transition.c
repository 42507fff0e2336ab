// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The consistency engine: when may each task start running new code?
 *
 * A transition moves every task from one "universe" to another: from the
 * old code to the patched code (KLP_TRANSITION_PATCHED), or back
 * (KLP_TRANSITION_UNPATCHED).  Until a task has switched, the ftrace
 * handler keeps it on the code it started with, so no task ever mixes the
 * old and the new version of the functions a patch changes.
 *
 * A task switches when it is known not to be inside any function the
 * transition changes:
 *  - on its way out to user space, or in the idle loop, where the kernel
 *    stack is empty of patched code (klp_update_patch_state());
 *  - when it sleeps and its stack, walked with the reliable unwinder, holds
 *    no changed function (klp_try_switch_task(), from the transition work);
 *  - in cond_resched() for kernel threads that never leave the kernel
 *    (__klp_sched_try_switch());
 *  - when an administrator forces it.
 * Tasks still in the old universe after a while get a fake signal (user
 * tasks) or a wake-up (kthreads) to push them through one of those points.
 *
 * The state (rules, as tagged in core.h):
 *   klp_transition_patch, klp_target_state	M; read by switching tasks
 *						after seeing their flag
 *   task->patch_state, TIF_PATCH_PENDING	T
 *   klp_func::transition			M; read by the handler (R)
 *
 * Memory ordering, one pair at a time:
 *  1. patch_state before ->transition.  klp_init_transition() writes every
 *     task's patch_state, issues smp_wmb(), then sets ->transition; the
 *     handler reads ->transition, issues smp_rmb(), then reads patch_state.
 *     A handler that sees a transition thus never sees an IDLE state.
 *  2. ->transition before IDLE.  klp_complete_transition() clears
 *     ->transition and waits for an RCU grace period that covers the
 *     handler (synchronize_rcu_tasks_rude(): the handler runs with
 *     preemption disabled, also where RCU is not watching) before it
 *     resets patch_state.
 *  3. target before flag.  klp_target_state (and klp_transition_patch) are
 *     written before smp_wmb() in klp_start_transition(), and the flags are
 *     set after it.  A task consumes its flag with test_and_clear, a full
 *     barrier, before it reads the target; __klp_sched_try_switch() tests
 *     the flag and issues smp_rmb().
 *  4. Reversal.  klp_reverse_transition() clears every flag, then waits
 *     for a grace period: every klp_update_patch_state() or
 *     __klp_sched_try_switch() that consumed a flag under the old target
 *     runs with preemption disabled and has finished.  Only then does the
 *     target flip and the flags go out again.
 *
 * Walking the tasks.  No walk here holds tasklist_lock: on machines with
 * many tasks a long reader starves fork and exit, whose writers spin with
 * interrupts disabled, into hard lockups.  The walks run under RCU instead
 * and take, per task, only the task's own locks (task_call_func()).  An
 * RCU walk sees every task that exists for its whole duration; the only
 * tasks it can miss are children forked during the walk and made visible
 * after the walk has passed the end of the list.  Those are harmless:
 * klp_copy_process() runs under tasklist_lock as the child is linked in,
 * and gives the child its parent's state and flag.  A parent busy in
 * fork() cannot be switched by anyone else, so if the walk reached the
 * parent before the fork the child inherits what the walk gave the parent,
 * and if it reached the parent afterwards the child sits later in the list
 * (children are appended) and is visited too.  Hence every walk leaves no
 * task behind, and a transition that the walk finds complete is complete.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/idle.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/stacktrace.h>
#include <linux/static_call.h>
#include <linux/workqueue.h>
#include "callbacks.h"
#include "core.h"
#include "patch.h"
#include "replace.h"
#include "transition.h"

#define KLP_MAX_STACK_ENTRIES	100
/* Fake signals go out after this many unsuccessful retries (seconds). */
#define KLP_SIGNAL_RETRIES	15

struct klp_patch *klp_transition_patch;
static int klp_target_state = KLP_TRANSITION_IDLE;
static unsigned int klp_retries;		/* M */

/*
 * One stack buffer per CPU: stacks are saved with the task pinned by
 * task_call_func(), which disables interrupts, so the buffer cannot be
 * shared with another user on the same CPU.
 */
static DEFINE_PER_CPU(unsigned long [KLP_MAX_STACK_ENTRIES], klp_stack_entries);

static void klp_transition_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(klp_transition_work, klp_transition_work_fn);

static const char *klp_universe(int state)
{
	return state == KLP_TRANSITION_PATCHED ? "patching" : "unpatching";
}

/*
 * Arm or disarm the cond_resched() hook for kthreads.  With PREEMPT_DYNAMIC
 * on a static-call architecture the scheduler owns the cond_resched static
 * call and swaps it for us; otherwise a static key guards the hook.
 */
#if defined(CONFIG_PREEMPT_DYNAMIC) && defined(CONFIG_HAVE_PREEMPT_DYNAMIC_CALL)
static void klp_cond_resched_enable(void)
{
	sched_dynamic_klp_enable();
}

static void klp_cond_resched_disable(void)
{
	sched_dynamic_klp_disable();
}
#else
DEFINE_STATIC_KEY_FALSE(klp_sched_try_switch_key);
/* cond_resched() is inlined into modules too. */
EXPORT_SYMBOL(klp_sched_try_switch_key);

static void klp_cond_resched_enable(void)
{
	static_branch_enable(&klp_sched_try_switch_key);
}

static void klp_cond_resched_disable(void)
{
	static_branch_disable(&klp_sched_try_switch_key);
}
#endif

/* Waits until no ftrace handler or flag consumer can be mid-flight. */
static void klp_synchronize_transition(void)
{
	synchronize_rcu_tasks_rude();
}

/* Calls @fn for every task, idle tasks included; see "Walking the tasks". */
static void klp_visit_tasks(void (*fn)(struct task_struct *task))
{
	struct task_struct *g, *task;
	unsigned int cpu;

	rcu_read_lock();
	for_each_process_thread(g, task)
		fn(task);
	rcu_read_unlock();

	for_each_possible_cpu(cpu) {
		task = idle_task(cpu);
		if (task)
			fn(task);
	}
}

/**
 * klp_update_patch_state() - switch a task at a safe point
 * @task:	the task; current, except when a transition is forced
 *
 * Called on the way out to user space and in the idle loop, where no
 * patched function can be on the task's stack.
 */
void klp_update_patch_state(struct task_struct *task)
{
	/* An RCU-sched reader, which klp_reverse_transition() waits for. */
	preempt_disable_notrace();

	/* The flag is the token: only its consumer writes the state. */
	if (test_and_clear_tsk_thread_flag(task, TIF_PATCH_PENDING))
		WRITE_ONCE(task->patch_state, READ_ONCE(klp_target_state));

	preempt_enable_notrace();
}

/* The code a task leaves behind when it switches: is @func's on the stack? */
static bool klp_func_on_stack(struct klp_func *func, unsigned long *entries,
			      unsigned int nr)
{
	struct klp_ops *ops = READ_ONCE(func->ops);
	unsigned long start, size;
	unsigned int i;

	/* Popped by a module going away meanwhile: nothing left to leave. */
	if (!ops)
		return false;

	if (klp_target_state == KLP_TRANSITION_UNPATCHED) {
		/* Leaving this patch's version (the original, for a nop). */
		start = (unsigned long)func->new_func;
		size = func->new_size;
	} else if (list_is_last(&func->stack_node, &ops->stack)) {
		/* Leaving the original. */
		start = func->old_addr;
		size = func->old_size;
	} else {
		/* Leaving the version of the patch below. */
		struct klp_func *below = list_next_entry(func, stack_node);

		start = (unsigned long)below->new_func;
		size = below->new_size;
	}

	for (i = 0; i < nr; i++)
		if (entries[i] >= start && entries[i] < start + size)
			return true;
	return false;
}

/*
 * Returns -EINVAL for an unreliable stack, -EADDRINUSE with *blocker set
 * if a function the transition changes is on the stack, 0 otherwise.
 */
static int klp_check_stack(struct task_struct *task, const char **blocker)
{
	unsigned long *entries = *this_cpu_ptr(&klp_stack_entries);
	struct klp_object *obj;
	struct klp_func *func;
	int nr;

	nr = stack_trace_save_tsk_reliable(task, entries, KLP_MAX_STACK_ENTRIES);
	if (nr < 0)
		return -EINVAL;

	klp_for_each_object(klp_transition_patch, obj) {
		if (!obj->patched)
			continue;
		klp_for_each_func(obj, func) {
			if (klp_func_on_stack(func, entries, nr)) {
				*blocker = func->old_name;
				return -EADDRINUSE;
			}
		}
	}
	return 0;
}

/*
 * Runs with @task pinned by task_call_func(): it cannot start running while
 * we look, so its stack stays as seen and nobody else consumes its flag.
 */
static int klp_check_and_switch_task(struct task_struct *task, void *blocker)
{
	int ret = -EBUSY;

	/* A task running elsewhere has a stack we cannot trust. */
	if (task == current || !task_curr(task))
		ret = klp_check_stack(task, blocker);
	if (!ret) {
		clear_tsk_thread_flag(task, TIF_PATCH_PENDING);
		WRITE_ONCE(task->patch_state, klp_target_state);
	}
	return ret;
}

/*
 * Try to switch one task by looking at its stack.  Returns true if the task
 * is in the target universe afterwards.  The reasons for a refusal are
 * debug messages: they repeat on every retry, so the selftests switch them
 * off by function name (klp_try_switch_task) while keeping the rest.
 */
static bool klp_try_switch_task(struct task_struct *task)
{
	const char *blocker = NULL;
	int ret;

	if (READ_ONCE(task->patch_state) == klp_target_state)
		return true;

	if (!klp_have_reliable_stack())
		return false;

	ret = task_call_func(task, klp_check_and_switch_task, &blocker);
	switch (ret) {
	case 0:
		break;
	case -EBUSY:
		pr_debug("%s: %s:%d is running\n", __func__, task->comm,
			 task->pid);
		break;
	case -EINVAL:
		pr_debug("%s: %s:%d has an unreliable stack\n", __func__,
			 task->comm, task->pid);
		break;
	case -EADDRINUSE:
		pr_debug("%s: %s:%d is sleeping in %s\n", __func__, task->comm,
			 task->pid, blocker);
		break;
	default:
		pr_debug("%s: %s:%d: unexpected error %d\n", __func__,
			 task->comm, task->pid, ret);
		break;
	}
	return !ret;
}

/**
 * __klp_sched_try_switch() - let a kthread switch itself in cond_resched()
 */
void __klp_sched_try_switch(void)
{
	if (likely(!klp_patch_pending(current)))
		return;

	/*
	 * Pin the CPU for the stack buffer, and be an RCU-sched reader that
	 * klp_reverse_transition() and klp_force_transition() wait for.
	 */
	preempt_disable();
	if (klp_patch_pending(current)) {
		/* Pairs with smp_wmb() in klp_start_transition(). */
		smp_rmb();
		klp_try_switch_task(current);
	}
	preempt_enable();
}
EXPORT_SYMBOL(__klp_sched_try_switch);

static void klp_task_init_state(struct task_struct *task)
{
	/* Tasks forked before this walk may carry a leftover; overwrite. */
	WRITE_ONCE(task->patch_state, !klp_target_state);
}

/**
 * klp_init_transition() - prepare every task for a transition
 * @patch:	the patch being enabled or disabled
 * @state:	KLP_TRANSITION_PATCHED or KLP_TRANSITION_UNPATCHED
 *
 * Puts every task in the universe it is leaving, then marks every function
 * of @patch as in transition so the handler starts to look at tasks.
 */
void klp_init_transition(struct klp_patch *patch, int state)
{
	struct klp_object *obj;
	struct klp_func *func;

	lockdep_assert_held(&klp_mutex);
	WARN_ON_ONCE(klp_target_state != KLP_TRANSITION_IDLE);

	/* Read locklessly by transition_show() and switching tasks. */
	WRITE_ONCE(klp_transition_patch, patch);
	WRITE_ONCE(klp_target_state, state);
	pr_debug("'%s': initializing %s transition\n", patch->mod->name,
		 klp_universe(state));

	klp_visit_tasks(klp_task_init_state);

	/* Ordering pair 1: patch_state before ->transition. */
	smp_wmb();

	klp_for_each_object(patch, obj)
		klp_for_each_func(obj, func)
			WRITE_ONCE(func->transition, true);
}

static void klp_task_mark_pending(struct task_struct *task)
{
	if (READ_ONCE(task->patch_state) != klp_target_state)
		set_tsk_thread_flag(task, TIF_PATCH_PENDING);
}

/**
 * klp_start_transition() - ask every task to switch
 */
void klp_start_transition(void)
{
	lockdep_assert_held(&klp_mutex);
	if (WARN_ON_ONCE(klp_target_state == KLP_TRANSITION_IDLE))
		return;

	pr_notice("'%s': starting %s transition\n",
		  klp_transition_patch->mod->name,
		  klp_universe(klp_target_state));

	/* Ordering pair 3: target and patch before the flags. */
	smp_wmb();
	klp_visit_tasks(klp_task_mark_pending);

	klp_cond_resched_enable();
	klp_retries = 0;
}

static void klp_task_reset_state(struct task_struct *task)
{
	WARN_ON_ONCE(test_tsk_thread_flag(task, TIF_PATCH_PENDING));
	WRITE_ONCE(task->patch_state, KLP_TRANSITION_IDLE);
}

/* Every task is in the target universe: tidy up and run the callbacks. */
static void klp_complete_transition(void)
{
	struct klp_patch *patch = klp_transition_patch;
	int target = klp_target_state;
	struct klp_object *obj;
	struct klp_func *func;

	pr_debug("'%s': completing %s transition\n", patch->mod->name,
		 klp_universe(target));

	if (patch->replace && target == KLP_TRANSITION_PATCHED) {
		klp_unpatch_replaced_patches(patch);
		klp_discard_nops(patch);
	}

	if (target == KLP_TRANSITION_UNPATCHED) {
		klp_unpatch_objects(patch);
		/* A handler may still hold a func that just left its stack. */
		klp_synchronize_transition();
	}

	klp_for_each_object(patch, obj)
		klp_for_each_func(obj, func)
			WRITE_ONCE(func->transition, false);

	/* Ordering pair 2: no handler sees ->transition once states go IDLE. */
	if (target == KLP_TRANSITION_PATCHED)
		klp_synchronize_transition();

	klp_visit_tasks(klp_task_reset_state);
	klp_cond_resched_disable();

	klp_for_each_object(patch, obj) {
		if (!klp_is_object_loaded(obj))
			continue;
		if (target == KLP_TRANSITION_PATCHED)
			klp_post_patch_callback(obj);
		else
			klp_post_unpatch_callback(obj);
	}

	pr_notice("'%s': %s complete\n", patch->mod->name,
		  klp_universe(target));

	WRITE_ONCE(klp_target_state, KLP_TRANSITION_IDLE);
	WRITE_ONCE(klp_transition_patch, NULL);
}

/**
 * klp_cancel_transition() - undo a patching transition that never started
 *
 * Used when enabling fails after klp_init_transition(): no task has been
 * asked to switch, so every task is still unpatched and the transition can
 * be completed in the unpatching direction at once.
 */
void klp_cancel_transition(void)
{
	lockdep_assert_held(&klp_mutex);
	if (WARN_ON_ONCE(klp_target_state != KLP_TRANSITION_PATCHED))
		return;

	pr_debug("'%s': canceling patching transition, going to unpatch\n",
		 klp_transition_patch->mod->name);
	WRITE_ONCE(klp_target_state, KLP_TRANSITION_UNPATCHED);
	klp_complete_transition();
}

static void klp_send_signals(void)
{
	struct task_struct *g, *task;
	unsigned long flags;

	pr_notice("signaling remaining tasks\n");

	rcu_read_lock();
	for_each_process_thread(g, task) {
		if (!klp_patch_pending(task))
			continue;
		if (task->flags & PF_KTHREAD) {
			/* A kthread may be waiting for work; let it look. */
			wake_up_state(task, TASK_INTERRUPTIBLE);
		} else if (lock_task_sighand(task, &flags)) {
			/*
			 * A fake signal: no signal is queued, but the task
			 * leaves any interruptible sleep and passes through
			 * the exit to user space, where it switches.
			 */
			signal_wake_up(task, 0);
			unlock_task_sighand(task, &flags);
		}
	}
	rcu_read_unlock();
}

/**
 * klp_try_complete_transition() - switch what can be switched, and finish
 *
 * Walks every task once.  If all are in the target universe the transition
 * completes and the patch is retired (disabled) or the patches it replaces
 * are; otherwise the attempt is retried from a delayed work.
 */
void klp_try_complete_transition(void)
{
	struct klp_patch *patch = klp_transition_patch;
	struct task_struct *g, *task;
	bool complete = true;
	unsigned int cpu;

	lockdep_assert_held(&klp_mutex);
	if (WARN_ON_ONCE(klp_target_state == KLP_TRANSITION_IDLE))
		return;

	rcu_read_lock();
	for_each_process_thread(g, task)
		if (!klp_try_switch_task(task))
			complete = false;
	rcu_read_unlock();

	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		task = idle_task(cpu);
		if (!task)
			continue;
		if (cpu_online(cpu)) {
			if (!klp_try_switch_task(task)) {
				complete = false;
				/* It switches on its next pass through idle. */
				wake_up_if_idle(cpu);
			}
		} else if (READ_ONCE(task->patch_state) != klp_target_state) {
			/* An offline CPU's idle task runs no patchable code. */
			clear_tsk_thread_flag(task, TIF_PATCH_PENDING);
			WRITE_ONCE(task->patch_state, klp_target_state);
		}
	}
	cpus_read_unlock();

	if (!complete) {
		if (klp_retries && !(klp_retries % KLP_SIGNAL_RETRIES))
			klp_send_signals();
		klp_retries++;
		schedule_delayed_work(&klp_transition_work,
				      round_jiffies_relative(HZ));
		return;
	}

	klp_complete_transition();

	if (!patch->enabled)
		klp_retire_patch(patch);
	else if (patch->replace)
		klp_retire_replaced_patches(patch);
}

static void klp_transition_work_fn(struct work_struct *work)
{
	mutex_lock(&klp_mutex);
	if (klp_transition_patch)
		klp_try_complete_transition();
	mutex_unlock(&klp_mutex);
}

static void klp_task_clear_pending(struct task_struct *task)
{
	clear_tsk_thread_flag(task, TIF_PATCH_PENDING);
}

/**
 * klp_reverse_transition() - turn the running transition around
 *
 * Tasks that already switched must switch back; those that had not are
 * already where the reversed transition goes.
 */
void klp_reverse_transition(void)
{
	struct klp_patch *patch = klp_transition_patch;

	lockdep_assert_held(&klp_mutex);
	pr_debug("'%s': reversing transition from %s\n", patch->mod->name,
		 klp_target_state == KLP_TRANSITION_PATCHED ?
		 "patching to unpatching" : "unpatching to patching");

	/* Ordering pair 4: no flag may be consumed under the old target. */
	klp_visit_tasks(klp_task_clear_pending);
	klp_synchronize_transition();

	WRITE_ONCE(klp_target_state, !klp_target_state);
	/* What sysfs shows and what happens to the patch once complete. */
	WRITE_ONCE(patch->enabled, klp_target_state == KLP_TRANSITION_PATCHED);
	klp_start_transition();
}

static void klp_task_force(struct task_struct *task)
{
	klp_update_patch_state(task);
}

/**
 * klp_force_transition() - switch every remaining task without checking
 *
 * The administrator's last resort for a transition that cannot finish.
 * Tasks may still be running code that the transition retires, so the
 * modules holding such code are pinned for good.
 */
void klp_force_transition(void)
{
	struct klp_patch *patch;

	lockdep_assert_held(&klp_mutex);
	pr_warn("'%s': forcing remaining tasks to the %s state\n",
		klp_transition_patch->mod->name,
		klp_target_state == KLP_TRANSITION_PATCHED ? "patched" : "unpatched");

	klp_visit_tasks(klp_task_force);
	/* Let a concurrent __klp_sched_try_switch() finish with the patch. */
	klp_synchronize_transition();

	if (klp_target_state == KLP_TRANSITION_UNPATCHED) {
		klp_transition_patch->forced = true;
	} else if (klp_transition_patch->replace) {
		klp_for_each_patch(patch)
			if (patch != klp_transition_patch)
				patch->forced = true;
	}
	klp_for_each_patch(patch)
		if (patch->forced)
			pr_warn("'%s': transition forced; module '%s' can no longer be removed\n",
				patch->mod->name, patch->mod->name);

	klp_try_complete_transition();
}

/**
 * klp_copy_process() - give a new task its parent's patch state
 * @child:	the task being forked, not yet visible to the task walks
 *
 * Called with tasklist_lock held for writing, just before the child is
 * linked into the task lists (see "Walking the tasks").
 */
void klp_copy_process(struct task_struct *child)
{
	if (test_tsk_thread_flag(current, TIF_PATCH_PENDING))
		set_tsk_thread_flag(child, TIF_PATCH_PENDING);
	else
		clear_tsk_thread_flag(child, TIF_PATCH_PENDING);

	child->patch_state = READ_ONCE(current->patch_state);
}
