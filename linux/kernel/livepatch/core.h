/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interfaces of klp, the kernel live patching core, and its one
 * rulebook: who protects what, in which order locks nest, how lockless
 * readers are ordered against writers, and what each object read without
 * klp_mutex waits for before it is freed.  The other files point here.
 *
 * Rules.  Each has a tag used in comments across kernel/livepatch/:
 *
 *   M:  klp_mutex.  Everything that changes the set of patches or their
 *       state: klp_patches, every internal field of klp_patch, klp_object
 *       and klp_func except those under R, klp_transition_patch,
 *       klp_target_state, the table of klp_ops, every klp_fops and its
 *       filter, the writes to the table of direct calls.  Taken by klp_enable_patch(), the
 *       sysfs store methods and the stack_order and pending_tasks reads,
 *       the transition work and the module loader's coming/going hooks.
 *
 *   R:  read without locks, with preemption or interrupts disabled, by
 *       the ftrace handler (the table of klp_ops, each klp_ops' stack, a
 *       func's ->transition, ->nop and ->new_func) and by tasks checking
 *       their own stack (the sched_switch probe and the cond_resched()
 *       hook: klp_transition_patch's objects and funcs and the table of
 *       ranges, ranges.c).  Changed under M with the _rcu list
 *       primitives; freed only after the wait that "Lifetimes" below
 *       names.
 *
 *   T:  the task's patch state.  task->patch_state and TIF_PATCH_PENDING
 *       are written by the task itself, the flag being the token: whoever
 *       clears the flag writes the state (klp_update_patch_state() and the
 *       switch points).  Otherwise a walk under M writes them: with the
 *       task pinned off the CPU by task_call_func(), before the transition
 *       starts (no flag is set), or after every flag was cleared and
 *       klp_synchronize_cpus() waited for the switch points (force,
 *       reversal).  fork() copies both in klp_copy_process().
 *
 *   L:  tasklist_lock, for reading, around every walk that writes task
 *       state (init, marking, reversal, force, completion).  fork() copies
 *       the parent's state and flag and links the child into the task
 *       lists inside one write-locked section, which such a walk thus
 *       sees whole or not at all: no child is left behind.  These walks do
 *       O(1) work per task and never unwind a stack.  The walks that check
 *       stacks or only read run under RCU and may miss a child forked
 *       meanwhile; transition.c, "Walking the tasks", says why that only
 *       delays completion.
 *
 *   D:  the table of direct calls (direct.c): written under M, one
 *       64-bit word per entry with WRITE_ONCE(); read by the dispatcher
 *       (asm/livepatch.h) without a lock, one word per load.  A site's
 *       entry exists only while its stack is settled: it is cleared, with
 *       a full barrier, before the stack changes or a transition that
 *       concerns it starts ("Direct calls" below).
 *
 *   P:  per CPU, read and written by that CPU with interrupts off: the
 *       sleep probe's memory of refused checks (sleep.c).  Its
 *       entries only ever make a switch point skip a check.
 *
 * State of the consistency engine (transition.c):
 *   klp_transition_patch, klp_target_state	M; read by a switching task
 *						after it saw its flag (O3)
 *   klp_ranges (ranges.c)			M to replace; R, and read under
 *						RCU by the walks
 *   task->patch_state, TIF_PATCH_PENDING	T, L
 *   klp_func::transition			M; R
 *   klp_transition_start_ns, klp_walks,	M
 *   klp_signal_at
 *   klp_sleep_probe_on (sleep.c)		M
 *   klp_walk_ns, klp_walk_end (kick.c)	M; read racily by the kick, for
 *						which any recent value will do
 *   klp_sleep_memo (sleep.c)			P
 *
 * Memory ordering, one pair at a time:
 *   O1  patch_state before ->transition.  klp_init_transition() writes
 *       every task's patch_state, issues smp_wmb(), then sets ->transition;
 *       the handler reads ->transition, issues smp_rmb(), then reads
 *       patch_state.  A handler that sees a transition never sees IDLE.
 *   O2  ->transition before IDLE.  klp_complete_transition() clears
 *       ->transition and calls klp_synchronize_cpus(), which outlasts every
 *       handler, before it resets patch_state.  (After an unpatching
 *       transition the funcs are off their stacks and out of reach.)
 *   O3  target before flag.  klp_target_state and klp_transition_patch
 *       are written before smp_wmb() in klp_start_transition(), the flags
 *       after it.  A task consumes its flag with test_and_clear, a full
 *       barrier, before it reads the target; the switch points test the
 *       flag and issue smp_rmb().  The table of ranges (ranges.c) is
 *       published with rcu_replace_pointer() before the same smp_wmb(), so
 *       a task that saw its flag also sees the table of its transition.
 *   O4  reversal.  klp_reverse_transition() clears every flag, then
 *       klp_synchronize_cpus() outlasts every consumer of a flag under the
 *       old target (each runs with preemption or interrupts disabled).
 *       Only then does the target flip and the flags go out again.
 *
 * Lock order:
 *   klp_mutex
 *     module_mutex (symbol lookup, via kallsyms)
 *     direct_mutex / ftrace_lock / text_mutex (inside the ftrace API)
 *     cpus_read_lock / jump_label_mutex (static keys of the sched hooks)
 *     tracepoints_mutex (the sched_switch probe, during transitions)
 *     flushing per-CPU work on system_wq (klp_synchronize_cpus(); the
 *       transition work, which takes klp_mutex, may block meanwhile:
 *       the workqueue runs the flushed items on other workers)
 *     an RCU-tasks grace period (klp_synchronize_tasks(); a task blocked
 *       on klp_mutex sleeps, which RCU-tasks counts as quiescent)
 *     tasklist_lock, read (L; nothing nests inside it)
 *     cpus_read_lock
 *       task pi_lock / rq lock (task_call_func(), one task at a time)
 *   The sched_switch probe runs under the rq lock and takes no lock at
 *   all; what it must tell the engine goes through an irq_work.
 *
 * The two waits (sync.c):
 *   klp_synchronize_cpus()	every CPU has scheduled: every region that
 *				ran with preemption or interrupts disabled
 *				when it began is over, also where RCU is not
 *				watching.
 *   klp_synchronize_tasks()	that, and no task is still inside a
 *				trampoline on its way to the handler
 *				through a location taken away before:
 *				RCU-tasks on a preemptible kernel, where a
 *				task may be preempted there.
 *
 * Lifetimes: what is read without klp_mutex, and what its freeing or
 * reuse waits for.
 *   klp_ops (the handler, by location; under M, klp_func_ops() finds a
 *   func's the same way).  Its location leaves its klp_fops' filter when
 *   its stack empties, then klp_synchronize_tasks(), then it is unhashed, then
 *   klp_synchronize_cpus() for handlers of other locations on the same
 *   hash chain, then it is freed: klp_release_ops().
 *
 *   klp_func on a stack (the handler; a task checking its stack).  Popped
 *   under M; every path that pops then calls klp_release_ops(), which
 *   ends with klp_synchronize_cpus() whenever anything was popped.  Only
 *   after that are nops freed (klp_discard_nops(), klp_free_objects())
 *   and funcs pushed again or their patch freed.
 *
 *   klp_transition_patch and its objects and funcs (a task checking its
 *   own stack, in the sched_switch probe or cond_resched()).  Read only
 *   by a task that saw its flag set, before it clears the flag and writes
 *   its state.  The transition completes, and frees nops, only once every
 *   task is in the target state; force first clears the flags and waits
 *   with klp_synchronize_cpus().  The probe is unregistered before
 *   anything is freed; the same waits cover a probe still running.
 *
 *   The code of new functions (the patch module).  Covered by the
 *   consistency model: the module reference is dropped only after an
 *   unpatching transition completed without force, so no task can be in
 *   or about to enter that code.
 *
 *   A klp_fops (ftrace, while registered; its list function after).
 *   Most are static, from a pool: unregistered under M, then reused
 *   only after the klp_synchronize_tasks() and klp_synchronize_cpus()
 *   that the same klp_release_ops() does.  Beyond the pool they are
 *   allocated, and ftrace waits for them in unregister_ftrace_function()
 *   before they are freed.  Its trampoline, the dispatcher, is text.
 *
 *   The table of ranges the stack check looks up (ranges.c).  Replaced
 *   under M when a transition starts or reverses and when a module of
 *   the patch in transition comes or goes, dropped when it completes;
 *   the old table is freed after an RCU grace period (kvfree_rcu()),
 *   which outlasts readers under RCU and with interrupts off.  Its
 *   entries' funcs are read only under M, where the table is current.
 *
 *   An entry of the table of direct calls (the dispatcher).  Entries are
 *   words, never freed; what an entry names is covered by "Direct calls".
 *
 * Direct calls.  The dispatcher loads a site's entry and returns into the
 * function it names; a task can be interrupted, and preempted, in between.
 * Clearing the entry does not stop such a task, and no wait is needed for
 * it, because the entry it loaded named the top of the stack, which is
 * what every task ran until then and what every task that has not
 * switched runs in the transition that follows; and a task cannot switch
 * while it is in the dispatcher, whose ORC data are undefined, nor while
 * it is then inside the function, which is on its stack: the stack check
 * holds it until it has left both.  A task that switched has passed a
 * full barrier after the entry was cleared (O3; the switch points and
 * task_call_func() order as much), so its next load misses.
 *
 * A patch's own kobject is never removed while klp_mutex is held: its
 * store methods take the mutex, and kernfs waits for them to drain.  The
 * kobjects of objects and functions have no such methods and may go
 * under the mutex (nops do, when a replace completes).
 */
#ifndef _LIVEPATCH_CORE_H
#define _LIVEPATCH_CORE_H

#include <linux/livepatch.h>

extern struct mutex klp_mutex;		/* M */
extern struct list_head klp_patches;	/* M: enabled patches, oldest first */
extern struct list_head klp_registered_patches; /* M: registered, disabled */

#define klp_for_each_patch(patch)	\
	list_for_each_entry(patch, &klp_patches, list)

static inline bool klp_is_module(struct klp_object *obj)
{
	return obj->name;
}

static inline const char *klp_object_name(struct klp_object *obj)
{
	return klp_is_module(obj) ? obj->name : "vmlinux";
}

/* The object's code is in memory: vmlinux always, a module while loaded. */
static inline bool klp_is_object_loaded(struct klp_object *obj)
{
	return !obj->name || obj->mod;
}

/* sync.c: the two waits; see "The two waits" above */
void klp_synchronize_cpus(void);
void klp_synchronize_tasks(void);

/* core.c: building, enabling, disabling and freeing patches */
int klp_check_patch_module(struct klp_patch *patch, const char *caller);
bool klp_module_has_patch(struct module *mod);
int klp_build_patch(struct klp_patch *patch, bool registered);
struct klp_object *klp_find_object(struct klp_patch *patch,
				   struct klp_object *like);
struct klp_func *klp_find_func(struct klp_object *obj, struct klp_func *like);
void klp_init_object_early(struct klp_patch *patch, struct klp_object *obj);
void klp_init_func_early(struct klp_object *obj, struct klp_func *func);
int klp_init_object_loaded(struct klp_patch *patch, struct klp_object *obj);
void klp_free_object_loaded(struct klp_patch *patch, struct klp_object *obj);
int klp_init_objects(struct klp_patch *patch);
void klp_unload_objects(struct klp_patch *patch);
int __klp_enable_patch(struct klp_patch *patch);
int klp_set_patch_enabled(struct klp_patch *patch, bool enabled);
void klp_retire_patch(struct klp_patch *patch);
void klp_free_objects(struct klp_patch *patch, bool nops_only);
void klp_free_patch_start(struct klp_patch *patch);
void klp_free_patch_finish(struct klp_patch *patch, bool registered);

/* symbols.c */
/* One symbol wanted from an object, and what a lookup found. */
struct klp_sym_query {
	const char *name;
	unsigned long sympos;	/* wanted position, 0 for "the only one" */
	unsigned long count;	/* matches seen */
	unsigned long addr;	/* address of the wanted match, or 0 */
};

int klp_lookup_symbols(const char *objname, struct klp_sym_query *q,
		       unsigned int nr);
int klp_symbol_verdict(const char *objname, const struct klp_sym_query *q,
		       unsigned long *addr);
int klp_find_object_symbol(const char *objname, const char *name,
			   unsigned long sympos, unsigned long *addr);

int klp_lookup_sizes(struct module *mod, const unsigned long *addr,
		     unsigned long *size, unsigned int nr);

/* sysfs.c */
extern struct kobject *klp_root_kobj;
extern const struct kobj_type klp_ktype_patch;
extern const struct kobj_type klp_ktype_object;
extern const struct kobj_type klp_ktype_func;
int klp_sysfs_init(void);

#endif /* _LIVEPATCH_CORE_H */
