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
 *  - when a task walk finds it off the CPU and its stack, walked with the
 *    reliable unwinder, holds no changed function (klp_try_switch_task());
 *  - when it goes to sleep or is preempted, by checking its own stack in
 *    a probe on the sched_switch tracepoint (sleep.c, with
 *    CONFIG_LIVEPATCH_SLEEP_SWITCH);
 *  - in cond_resched() for kernel threads that never sleep
 *    (__klp_sched_try_switch());
 *  - when an administrator forces it.
 * Tasks still in the old universe after a while get a fake signal (user
 * tasks) or a wake-up (kthreads) to push them through one of those points.
 *
 * Completion.  A transition is complete when a walk finds no task left
 * behind.  The walk is retried every second while tasks are pending; with
 * CONFIG_LIVEPATCH_EVENT_COMPLETION (kick.c) every task that switches
 * itself also kicks the walk, so that it runs right after the last task
 * switched, and the retry is only the safety net.
 *
 * The rules for the state this file keeps (M, T, L and the ordering
 * pairs O1-O4) are in core.h, with everything else klp reads without
 * klp_mutex.
 *
 * Walking the tasks (klp_walk_tasks()).  fork() gives a child its
 * parent's state and flag in klp_copy_process(), under tasklist_lock held
 * for writing, and links the child into the task lists later in the same
 * locked section.  A walk under RCU alone can update the parent inside
 * that window and then pass the place where the child is linked: the
 * child keeps what the parent had before the walk.  So every walk that
 * writes task state (init, marking, reversal, force, completion) holds
 * tasklist_lock for reading, which keeps the whole window out of the
 * walk: a child is linked either before the walk starts, and is visited,
 * or after it ends, and copies what the walk gave its parent (rule L).
 * Those walks do O(1) work per task, so that fork and exit, whose writers
 * spin with interrupts off, never wait long behind them.  The walk that
 * checks stacks (klp_try_complete_transition()) stays under RCU: it does
 * not write the state of a task it may miss, and it cannot miss a child
 * whose parent it finds switched (the child copied a switched state) nor
 * complete a transition while a parent it may have passed is pending (a
 * forking parent is running, which counts as pending).  Missing a child
 * only delays completion to the next walk.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/idle.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/stacktrace.h>
#include <linux/static_call.h>
#include <linux/workqueue.h>
#ifdef CONFIG_LIVEPATCH_STACK_SCAN
#include <asm/livepatch.h>
#endif
#include "callbacks.h"
#include "core.h"
#include "kick.h"
#include "patch.h"
#include "ranges.h"
#include "replace.h"
#include "sleep.h"
#include "trace.h"
#include "transition.h"

#define KLP_MAX_STACK_ENTRIES	100
/* Fake signals go out this long into a transition, and again as often. */
#define KLP_SIGNAL_PERIOD	(15 * HZ)
/* A walk at least this often while tasks are pending (kicks add more). */
#define KLP_RETRY_PERIOD	HZ

struct klp_patch *klp_transition_patch;
static int klp_target_state = KLP_TRANSITION_IDLE;
static u64 klp_transition_start_ns;
static unsigned int klp_walks;
static unsigned long klp_signal_at;

/*
 * One stack buffer per CPU: stacks are saved with the task pinned by
 * task_call_func(), which disables interrupts, so the buffer cannot be
 * shared with another user on the same CPU.
 */
static DEFINE_PER_CPU(unsigned long [KLP_MAX_STACK_ENTRIES], klp_stack_entries);

static void klp_transition_work_fn(struct work_struct *work);
DECLARE_DELAYED_WORK(klp_transition_work, klp_transition_work_fn);

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

/*
 * How a walk meets fork (see "Walking the tasks" above and rule L):
 * KLP_WALK_LOCKED excludes fork's linking section, for walks that write
 * task state and do O(1) work per task; KLP_WALK_RCU may miss a child
 * forked meanwhile, for walks that read, or check stacks.
 */
enum klp_walk {
	KLP_WALK_LOCKED,
	KLP_WALK_RCU,
};

typedef void (*klp_task_fn)(struct task_struct *task, void *data);

/*
 * Calls @fn(task, @data) for every task, then for every CPU's idle task,
 * which is on no task list.  Idle tasks are never forked during a walk.
 * Inlined into each caller, so that @fn is a direct call: with ten
 * thousand tasks, an indirect call per task is a cost of its own.
 */
static __always_inline void klp_walk_tasks(enum klp_walk how, klp_task_fn fn,
					   void *data)
{
	struct task_struct *g, *task;
	unsigned int cpu;

	if (how == KLP_WALK_LOCKED)
		read_lock(&tasklist_lock);
	else
		rcu_read_lock();
	for_each_process_thread(g, task)
		fn(task, data);
	if (how == KLP_WALK_LOCKED)
		read_unlock(&tasklist_lock);
	else
		rcu_read_unlock();

	for_each_possible_cpu(cpu) {
		task = idle_task(cpu);
		if (task)
			fn(task, data);
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
	bool switched = false;
	int target;

	/* An RCU-sched reader, which klp_reverse_transition() waits for. */
	preempt_disable_notrace();

	/* The flag is the token: only its consumer writes the state. */
	if (test_and_clear_tsk_thread_flag(task, TIF_PATCH_PENDING)) {
		target = READ_ONCE(klp_target_state);
		WRITE_ONCE(task->patch_state, target);
		switched = true;
	}

	preempt_enable_notrace();

	if (switched) {
		trace_klp_task_switch(task, target, KLP_SWITCH_SAFE_POINT);
		klp_kick_transition();
	}
}

/* The code a task leaves behind when it switches: is @func's on the stack? */
static bool klp_func_on_stack(struct klp_func *func, unsigned long *entries,
			      unsigned int nr)
{
	unsigned long start, size;
	unsigned int i;

	/* Popped by a module going away meanwhile: nothing left to leave. */
	if (!klp_func_leaving(func, klp_target_state, &start, &size))
		return false;

	for (i = 0; i < nr; i++)
		if (entries[i] >= start && entries[i] < start + size)
			return true;
	return false;
}

/*
 * Returns -EINVAL for an unreliable stack, -EADDRINUSE with *blocker set
 * if a function the transition changes is on the stack, 0 otherwise.
 * *blocker may be dereferenced only under klp_mutex (ranges.c).  Without
 * the table of ranges (its allocation failed) only a caller under
 * klp_mutex, a walk, can compare against every function: a task checking
 * its own stack gets -EAGAIN and is left to the walks.
 */
static int klp_check_stack(struct task_struct *task,
			   const struct klp_func **blocker, bool locked)
{
	unsigned long *entries = *this_cpu_ptr(&klp_stack_entries);
	struct klp_object *obj;
	struct klp_func *func;
	int nr, ret;

	nr = stack_trace_save_tsk_reliable(task, entries, KLP_MAX_STACK_ENTRIES);
	if (nr < 0)
		return -EINVAL;

	/* The sorted table of the transition: O(depth x log functions). */
	ret = klp_ranges_check(entries, nr, klp_target_state, blocker);
	if (ret >= 0)
		return ret ? -EADDRINUSE : 0;
	if (!locked)
		return -EAGAIN;

	klp_for_each_object(klp_transition_patch, obj) {
		if (!obj->patched)
			continue;
		klp_for_each_func(obj, func) {
			if (klp_func_on_stack(func, entries, nr)) {
				*blocker = func;
				return -EADDRINUSE;
			}
		}
	}
	return 0;
}

/*
 * The stack scan: the walks' shortcut for tasks asleep.
 *
 * Unwinding stacks is what a walk spends its time on; with ten thousand
 * threads asleep, nearly all of it.  A task that went to sleep by itself
 * holds the whole of its call chain in its own stack memory: each call
 * left its return address there, or in the link register, which the
 * callee or the context switch saved there, and so did an interrupted or
 * faulting context that the task slept from, with its registers.  So if
 * no word of that memory lies in code that the transition retires, none
 * of that code is on the stack, whatever an unwinder would make of it.  A
 * word that does lie there (a return address, or only a stale value) sends
 * the task to the reliable unwinder, as without the shortcut.
 *
 * The shortcut is not taken where that reasoning does not hold:
 *  - for current, whose stack changes while we read it;
 *  - for a task that is runnable, preempted or interrupted: on x86_64 the
 *    direct-call dispatcher may be stopped holding the function it is
 *    about to enter only in a register, in a form no lookup recognizes
 *    (asm/livepatch.h), and an interrupted task may be anywhere;
 *  - for a task whose return addresses were moved elsewhere: the function
 *    graph tracer, kretprobes and rethook keep them on lists of their
 *    own and leave a trampoline's address on the stack;
 *  - without the table of ranges, or a stack pointer inside the stack.
 * test-stack-tracers.sh tries moved return addresses, and
 * test-dispatch-preempt.sh a task preempted in the dispatcher;
 * test-stack-scan.sh compares the scan's decisions with the unwinder's.
 *
 * An architecture opts in with LIVEPATCH_STACK_SCAN and
 * klp_arch_stack_regions(), which says where a sleeping task's frames are.
 * x86_64 does: its ORC unwinder costs several times the scan, and with ten
 * thousand threads asleep the scan halves a transition (bench P5T).
 * ppc64le does not: following the back chain costs about what the scan
 * does there (the same benchmark, equal within its noise), and a call
 * redirected into a patch module keeps its caller's return address on a
 * separate stack, one more thing to get right for no gain.
 */
#ifdef CONFIG_LIVEPATCH_STACK_SCAN
/* On unless switched off for a comparison (debugfs). */
static bool klp_stack_scan_on = true;

static bool klp_return_addresses_moved(struct task_struct *task)
{
#ifdef CONFIG_FUNCTION_GRAPH_TRACER
	if (READ_ONCE(task->curr_ret_stack))
		return true;
#endif
#ifdef CONFIG_KRETPROBES
	if (READ_ONCE(task->kretprobe_instances.first))
		return true;
#endif
#ifdef CONFIG_RETHOOK
	if (READ_ONCE(task->rethooks.first))
		return true;
#endif
	return false;
}

/*
 * /sys/kernel/debug/livepatch/stack_scan: 0 makes every walk unwind every
 * stack, as without the shortcut, for tests and benchmarks to compare.
 * Not an ABI.
 */
static int __init klp_stack_scan_debugfs_init(void)
{
	debugfs_create_bool("stack_scan", 0600, klp_debugfs_dir(),
			    &klp_stack_scan_on);
	return 0;
}
late_initcall(klp_stack_scan_debugfs_init);

/*
 * Under task_call_func(): true if @task's stack provably holds no code
 * that the transition retires, without unwinding it.  False says nothing.
 *
 * What it reads stays as read until the caller lets go of the task:
 * task_call_func() holds the task's pi_lock, which every wake-up takes,
 * and the runqueue lock too if the task is queued, so a task found
 * asleep stays asleep, its stack unchanged.  Only the task itself pushes
 * onto its return stacks (function graph, kretprobes, rethook) and its
 * kernel stack, so those stay as read too.
 */
static bool klp_stack_scan_clean(struct task_struct *task)
{
	unsigned long *lo[KLP_ARCH_STACK_REGIONS], *hi[KLP_ARCH_STACK_REGIONS];
	unsigned long *bottom, *top;
	unsigned int i, n;
	int ret = 0;

	if (!READ_ONCE(klp_stack_scan_on) || task == current ||
	    task_is_runnable(task) || READ_ONCE(task->__state) == TASK_RUNNING ||
	    klp_return_addresses_moved(task))
		return false;
	if (!try_get_task_stack(task))
		return false;
	bottom = task_stack_page(task);
	top = bottom + THREAD_SIZE / sizeof(*bottom);
	n = klp_arch_stack_regions(task, lo, hi);
	for (i = 0; i < n && !ret; i++) {
		if (lo[i] < bottom || lo[i] > hi[i] || hi[i] > top ||
		    !IS_ALIGNED((unsigned long)lo[i], sizeof(long)))
			ret = -EINVAL;
		else
			ret = klp_ranges_scan(lo[i], hi[i], klp_target_state);
	}
	put_task_stack(task);
	return n && !ret;
}
#else
static bool klp_stack_scan_clean(struct task_struct *task)
{
	return false;
}
#endif /* CONFIG_LIVEPATCH_STACK_SCAN */

/* klp_check_and_switch_task() switched the task by the stack scan. */
#define KLP_SCANNED	1

static int klp_check_and_switch_task(struct task_struct *task, void *blocker)
{
	int ret;

	if (task != current && task_curr(task))
		return -EBUSY;
	/*
	 * Off the CPU, so not between consuming its flag and writing its
	 * state.  Read the state again: the task may have switched itself
	 * since the caller looked.  A task in the old universe without its
	 * flag was left behind by a walk (rule L): it would never switch by
	 * itself, only here.  Say so once, with what the task holds;
	 * test-fork-race.sh fails on this line (transitions.rst, "Walks
	 * and fork", says why it is not a WARN).
	 */
	if (READ_ONCE(task->patch_state) == klp_target_state)
		return -EALREADY;
	if (!test_tsk_thread_flag(task, TIF_PATCH_PENDING))
		pr_warn_once("%s:%d left behind in the old universe without a pending flag (state %d, target %d, flags %#lx)\n",
			     task->comm, task->pid,
			     READ_ONCE(task->patch_state), klp_target_state,
			     read_task_thread_flags(task));
	if (klp_stack_scan_clean(task))
		ret = KLP_SCANNED;
	else
		ret = klp_check_stack(task, blocker, true);
	if (ret >= 0) {
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
	const struct klp_func *blocker = NULL;
	int ret;

	if (READ_ONCE(task->patch_state) == klp_target_state)
		return true;

	if (!klp_have_reliable_stack())
		return false;

	ret = task_call_func(task, klp_check_and_switch_task, &blocker);
	switch (ret) {
	case KLP_SCANNED:
		trace_klp_task_switch(task, klp_target_state, KLP_SWITCH_SCAN);
		return true;
	case 0:
		trace_klp_task_switch(task, klp_target_state, KLP_SWITCH_WALK);
		break;
	case -EALREADY:
		/* It switched itself meanwhile. */
		return true;
	case -EBUSY:
		pr_debug("%s: %s:%d is running\n", __func__, task->comm,
			 task->pid);
		break;
	case -EINVAL:
		pr_debug("%s: %s:%d has an unreliable stack\n", __func__,
			 task->comm, task->pid);
		break;
	case -EADDRINUSE:
		pr_debug("%s: %s:%d is sleeping on function %s\n", __func__,
			 task->comm, task->pid, blocker->old_name);
		break;
	default:
		pr_debug("%s: Unknown error code (%d) when trying to switch %s:%d\n",
			 __func__, ret, task->comm, task->pid);
		break;
	}
	return !ret;
}

/*
 * Let current switch itself if its own stack allows.  Nobody else can
 * consume its flag meanwhile: a walk does not touch a task that is on a
 * CPU, and one that waits in task_call_func() for this CPU to let go of
 * the task sees the switch done.  No lock is taken, so this is safe from
 * inside the scheduler.  Returns true if it switched.
 */
bool klp_try_switch_current(enum klp_switch_how how)
{
	const struct klp_func *blocker = NULL;
	unsigned long flags;
	bool switched = false;
	int target;

	/*
	 * Interrupts off: the stack buffer is per CPU, and this makes us a
	 * reader that klp_reverse_transition() and klp_force_transition()
	 * wait for.
	 */
	local_irq_save(flags);
	if (test_tsk_thread_flag(current, TIF_PATCH_PENDING)) {
		/* Pairs with smp_wmb() in klp_start_transition(). */
		smp_rmb();
		target = READ_ONCE(klp_target_state);
		if (klp_have_reliable_stack() &&
		    !klp_check_stack(current, &blocker, false)) {
			clear_tsk_thread_flag(current, TIF_PATCH_PENDING);
			WRITE_ONCE(current->patch_state, target);
			switched = true;
		}
	}
	local_irq_restore(flags);

	if (switched) {
		trace_klp_task_switch(current, target, how);
		klp_kick_transition();
	}
	return switched;
}

/**
 * __klp_sched_try_switch() - let a kthread switch itself in cond_resched()
 */
void __klp_sched_try_switch(void)
{
	if (likely(!klp_patch_pending(current)))
		return;
	klp_try_switch_current(KLP_SWITCH_COND_RESCHED);
}
EXPORT_SYMBOL(__klp_sched_try_switch);

static void klp_task_init_state(struct task_struct *task, void *data)
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

	klp_walk_tasks(KLP_WALK_LOCKED, klp_task_init_state, NULL);

	/* O1: patch_state before ->transition. */
	smp_wmb();

	klp_for_each_object(patch, obj)
		klp_for_each_func(obj, func)
			WRITE_ONCE(func->transition, true);
}

static void klp_task_mark_pending(struct task_struct *task, void *data)
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

	klp_transition_start_ns = ktime_get_ns();
	klp_signal_at = jiffies + KLP_SIGNAL_PERIOD;
	klp_walks = 0;
	trace_klp_transition_start(klp_transition_patch->mod->name,
				   klp_target_state);

	/* What the stack check looks for, before any task is checked. */
	klp_ranges_update(klp_transition_patch);

	/* Before the flags go out, so that no sleeping switch is missed. */
	klp_sleep_probe_start();

	/* The caller walks next, or klp_reverse_transition() releases. */
	klp_kick_hold();

	/* O3: target and patch before the flags. */
	smp_wmb();
	klp_walk_tasks(KLP_WALK_LOCKED, klp_task_mark_pending, NULL);

	klp_cond_resched_enable();
}

static void klp_task_reset_state(struct task_struct *task, void *data)
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

	/* Before the synchronizations below, which cover a running probe. */
	klp_sleep_probe_stop();

	if (patch->replace && target == KLP_TRANSITION_PATCHED) {
		klp_unpatch_replaced_patches(patch);
		klp_discard_nops(patch);
	}

	/* Waits until no handler holds one of the patch's funcs (R). */
	if (target == KLP_TRANSITION_UNPATCHED)
		klp_unpatch_objects(patch);

	klp_for_each_object(patch, obj)
		klp_for_each_func(obj, func)
			WRITE_ONCE(func->transition, false);

	/*
	 * O2: no handler sees ->transition once states go IDLE.  After
	 * unpatching no handler can reach these funcs at all any more.
	 */
	if (target == KLP_TRANSITION_PATCHED)
		klp_synchronize_cpus();

	klp_walk_tasks(KLP_WALK_LOCKED, klp_task_reset_state, NULL);
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
	trace_klp_transition_complete(patch->mod->name, target, klp_walks,
				      ktime_get_ns() - klp_transition_start_ns);

	/* Every stack is settled again: calls may skip the handler. */
	klp_settle();

	klp_ranges_clear();
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

/* A CPU's idle task, as opposed to a task that plays idle for a while. */
static bool klp_is_idle_task(struct task_struct *task)
{
	return task == idle_task(task_cpu(task));
}

static void klp_signal_task(struct task_struct *task, void *data)
{
	unsigned long flags;

	if (klp_is_idle_task(task) || !klp_patch_pending(task))
		return;
	if (task->flags & PF_KTHREAD) {
		/* A kthread may be waiting for work; let it look. */
		wake_up_state(task, TASK_INTERRUPTIBLE);
	} else if (lock_task_sighand(task, &flags)) {
		/*
		 * A fake signal: no signal is queued, but the task leaves
		 * any interruptible sleep and passes through the exit to
		 * user space, where it switches.
		 */
		signal_wake_up(task, 0);
		unlock_task_sighand(task, &flags);
	}
}

/* A child forked meanwhile inherits the flag and is signaled next time. */
static void klp_send_signals(void)
{
	pr_notice("signaling remaining tasks\n");
	klp_walk_tasks(KLP_WALK_RCU, klp_signal_task, NULL);
}

/*
 * The stack-checking walk: switch @task if its stack allows, or count it
 * in *@data as still pending.  CPU hotplug is held off by the caller.
 */
static void klp_switch_or_count(struct task_struct *task, void *data)
{
	unsigned int *pending = data;
	unsigned int cpu = task_cpu(task);

	if (!klp_is_idle_task(task)) {
		if (!klp_try_switch_task(task))
			(*pending)++;
		return;
	}
	if (!cpu_online(cpu)) {
		/* An offline CPU's idle task runs no patchable code. */
		if (READ_ONCE(task->patch_state) != klp_target_state) {
			clear_tsk_thread_flag(task, TIF_PATCH_PENDING);
			WRITE_ONCE(task->patch_state, klp_target_state);
		}
		return;
	}
	if (!klp_try_switch_task(task)) {
		(*pending)++;
		/* It switches on its next pass through idle. */
		wake_up_if_idle(cpu);
	}
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
	unsigned int pending = 0;
	u64 walk_ns, start = ktime_get_ns();

	lockdep_assert_held(&klp_mutex);
	if (WARN_ON_ONCE(klp_target_state == KLP_TRANSITION_IDLE))
		return;

	klp_kick_hold();
	/* Stack checks: under RCU, see "Walking the tasks". */
	cpus_read_lock();
	klp_walk_tasks(KLP_WALK_RCU, klp_switch_or_count, &pending);
	cpus_read_unlock();

	klp_walks++;
	walk_ns = ktime_get_ns() - start;
	klp_kick_walk_done(walk_ns, pending);
	trace_klp_transition_walk(patch->mod->name, pending, walk_ns);

	if (pending) {
		if (time_after_eq(jiffies, klp_signal_at)) {
			klp_send_signals();
			klp_signal_at = jiffies + KLP_SIGNAL_PERIOD;
		}
		/*
		 * The periodic retry.  A kick queued meanwhile (kick.c) stays
		 * sooner: schedule_delayed_work() leaves a pending work alone.
		 */
		schedule_delayed_work(&klp_transition_work, KLP_RETRY_PERIOD);
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

static void klp_task_clear_pending(struct task_struct *task, void *data)
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

	/* O4: no flag may be consumed under the old target. */
	klp_walk_tasks(KLP_WALK_LOCKED, klp_task_clear_pending, NULL);
	klp_synchronize_cpus();

	WRITE_ONCE(klp_target_state, !klp_target_state);
	/* What sysfs shows and what happens to the patch once complete. */
	WRITE_ONCE(patch->enabled, klp_target_state == KLP_TRANSITION_PATCHED);
	klp_start_transition();
	/* No walk here: the transition work's next one, kicked or not. */
	klp_kick_release();
}

static void klp_task_force(struct task_struct *task, void *data)
{
	/* Races only with the task's own switch, to the same target. */
	if (test_and_clear_tsk_thread_flag(task, TIF_PATCH_PENDING)) {
		WRITE_ONCE(task->patch_state, klp_target_state);
		trace_klp_task_switch(task, klp_target_state, KLP_SWITCH_FORCE);
	}
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
	/* Upstream's words, whichever the direction; then ours. */
	pr_warn("forcing remaining tasks to the patched state\n");
	pr_warn("'%s': forcing the %s transition\n",
		klp_transition_patch->mod->name,
		klp_universe(klp_target_state));

	klp_walk_tasks(KLP_WALK_LOCKED, klp_task_force, NULL);
	/* Let a concurrent __klp_sched_try_switch() finish with the patch. */
	klp_synchronize_cpus();

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
 * Called with tasklist_lock held for writing, in the section that later
 * links the child into the task lists.  The walks that write task state
 * hold the lock for reading (rule L), so each one sees the copy and the
 * linking both, or neither: the child is visited, or it copies what the
 * walk gave the parent (see "Walking the tasks").
 */
void klp_copy_process(struct task_struct *child)
{
	lockdep_assert_held_write(&tasklist_lock);

	if (test_tsk_thread_flag(current, TIF_PATCH_PENDING))
		set_tsk_thread_flag(child, TIF_PATCH_PENDING);
	else
		clear_tsk_thread_flag(child, TIF_PATCH_PENDING);

	child->patch_state = READ_ONCE(current->patch_state);
}

#ifdef CONFIG_LIVEPATCH_TRANSITION_INFO
/*
 * Runs with @task pinned by task_call_func(): it cannot start running while
 * we look, so its stack stays as seen and nobody else consumes its flag.
 * Returns -EBUSY for a task running on another CPU, whose stack we cannot
 * trust, or what klp_check_stack() says.
 */
static int klp_check_task(struct task_struct *task, void *blocker)
{
	if (task != current && task_curr(task))
		return -EBUSY;
	return klp_check_stack(task, blocker, true);
}

/* The pending_tasks page being filled: see klp_show_pending_tasks(). */
struct klp_pending_page {
	char *buf;
	int len;
	unsigned int more;
	u64 now;
};

/* One line of the pending_tasks file. */
static void klp_show_pending_task(struct task_struct *task, void *data)
{
	char comm[TASK_COMM_LEN], why[80], line[160];
	struct klp_pending_page *page = data;
	const struct klp_func *blocker = NULL;
	u64 since, now = page->now;
	int ret;

	if (READ_ONCE(task->patch_state) == klp_target_state)
		return;

	if (!klp_have_reliable_stack())
		ret = -EINVAL;
	else
		ret = task_call_func(task, klp_check_task, &blocker);
	switch (ret) {
	case 0:
		strscpy(why, "ready");
		break;
	case -EBUSY:
		strscpy(why, "running");
		break;
	case -EADDRINUSE:
		scnprintf(why, sizeof(why), "on_stack:%s", blocker->old_name);
		break;
	default:
		strscpy(why, "unreliable_stack");
		break;
	}

	/* A task forked during the transition has waited since its birth. */
	since = max(klp_transition_start_ns, task->start_time);
	get_task_comm(comm, task);
	ret = scnprintf(line, sizeof(line), "%d (%s) %s %llums\n",
			task_pid_nr(task), comm, why,
			div_u64(now > since ? now - since : 0, NSEC_PER_MSEC));

	/* Keep room for the line that counts what did not fit. */
	if (page->len + ret + 16 >= PAGE_SIZE) {
		page->more++;
		return;
	}
	memcpy(page->buf + page->len, line, ret);
	page->len += ret;
}

/**
 * klp_show_pending_tasks() - list the tasks holding up a transition
 * @patch:	the patch whose sysfs directory is read
 * @buf:	the sysfs page
 *
 * One line per task still in the universe the transition leaves: its tid,
 * its name, why it has not switched and for how long it has been waiting.
 * The reason is found afresh: "running" (on another CPU, stack not
 * checkable), "on_stack:<function>" (a function the transition changes is
 * on its stack), "unreliable_stack", or "ready" (it will switch at the next
 * walk).  Nothing is switched here.  What does not fit in the page is
 * counted on a last line, "+<n> more".
 *
 * Context: klp_mutex held.
 * Return: the length of the text; 0 unless @patch is in transition.
 */
ssize_t klp_show_pending_tasks(struct klp_patch *patch, char *buf)
{
	struct klp_pending_page page = { .buf = buf };

	lockdep_assert_held(&klp_mutex);
	if (patch != klp_transition_patch ||
	    klp_target_state == KLP_TRANSITION_IDLE)
		return 0;

	page.now = ktime_get_ns();
	klp_walk_tasks(KLP_WALK_RCU, klp_show_pending_task, &page);
	if (page.more)
		page.len += sysfs_emit_at(buf, page.len, "+%u more\n",
					  page.more);
	return page.len;
}
#endif /* CONFIG_LIVEPATCH_TRANSITION_INFO */
