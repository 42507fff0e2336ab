/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interfaces of klp, the kernel live patching core.
 *
 * Who protects what.  Each rule has a tag used in comments across
 * kernel/livepatch/:
 *
 *   M:  klp_mutex.  Everything that changes the set of patches or their
 *       state: klp_patches, every internal field of klp_patch, klp_object
 *       and klp_func except those under R, klp_transition_patch,
 *       klp_target_state, the table of klp_ops, the filter of klp's
 *       ftrace_ops and the pool of direct-call slots (direct.c).  Taken
 *       by klp_enable_patch(), the sysfs store methods and the
 *       stack_order and pending_tasks reads, the transition work, the
 *       settling work and the module loader's coming/going hooks.
 *
 *   R:  RCU.  The table of redirections and the stack of each one
 *       (klp_ops::stack) are read locklessly by the ftrace handler with
 *       preemption disabled and changed under M with the _rcu primitives.
 *       A klp_ops is freed, and a klp_func that leaves a stack reused,
 *       only after klp_synchronize_cpus() has waited for every handler
 *       that might still look at it (every CPU has scheduled).
 *
 *   T:  the task's own state.  task->patch_state and TIF_PATCH_PENDING are
 *       written by the task itself (klp_update_patch_state(), with the
 *       flag as the token: whoever clears it writes the state), or by the
 *       transition code under M while the task provably cannot run
 *       (task_call_func() or before the transition starts).
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
 *       task pi_lock / rq lock (task_call_func, one task at a time)
 *   The sched_switch probe runs under the rq lock and takes no lock at
 *   all; what it must tell the engine goes through an irq_work.
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
void klp_free_patch_finish(struct klp_patch *patch);

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

/* sysfs.c */
extern struct kobject *klp_root_kobj;
extern const struct kobj_type klp_ktype_patch;
extern const struct kobj_type klp_ktype_object;
extern const struct kobj_type klp_ktype_func;
int klp_sysfs_init(void);

#endif /* _LIVEPATCH_CORE_H */
