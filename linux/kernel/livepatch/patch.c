// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Redirecting calls from old functions to new ones through ftrace.
 *
 * Every old function that some patch replaces gets one struct klp_ops,
 * however many patches replace it; the patches' klp_func entries form a
 * stack on it, newest on top.  The handler runs at the entry of every call
 * of the old function and rewrites the saved instruction pointer so that
 * the ftrace trampoline returns into the chosen new function instead.
 *
 * One ftrace_ops, klp_fops, serves all of them: its filter holds the
 * ftrace location of every redirected function, and the handler finds the
 * klp_ops by that location in a hash table.  Adding or removing the
 * functions of a whole patch is then one filter update, so one round of
 * text patching and at most one grace period, where an ftrace_ops per
 * function costs a round and, to unregister, RCU-tasks grace periods for
 * each function.  ftrace applies a filter update all or nothing, checking
 * every added location against other users that modify the instruction
 * pointer, so a patch that conflicts with, say, a kprobe is refused before
 * any call is redirected.
 *
 * An empty filter would trace every function in the kernel: klp_fops is
 * registered with its first location and unregistered before its last
 * one is removed.
 *
 * Lifetime of a klp_ops (rules M and R, and "Lifetimes" in core.h):
 * created and hashed under M before its location enters the filter;
 * unhashed only once its location has left the filter and no task can
 * still be inside the trampoline on its way to the handler, and freed
 * after handlers of other locations, which may walk the same hash chain,
 * are done (klp_release_ops()).  A location whose removal from the filter
 * fails (the update needs memory) stays traced with an empty stack, which
 * the handler treats as "run the original"; the next removal retries it.
 *
 * Settling.  Between transitions the handler has nothing to decide: every
 * task runs the top of each stack.  After each transition, and after a
 * module's functions were redirected, klp_settle() moves settled
 * locations off klp_fops onto direct calls (direct.c), a few at once
 * and many from a work item, later; their trampoline jumps to the top
 * of the stack for the price of a call.  Before anything changes such
 * a stack, the location goes back into klp_fops' filter and its
 * trampoline back to asking the handler ("unsettling"); until then both
 * paths lead to the same function, which is what makes each switch safe
 * without waiting: at every step a call reaches the version every task
 * is meant to run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/trace_recursion.h>
#include <linux/workqueue.h>
#include "core.h"
#include "direct.h"
#include "patch.h"
#include "transition.h"

#define KLP_OPS_HASH_BITS	10

/* Every klp_ops, by ftrace location (M to change, R to read). */
static DEFINE_HASHTABLE(klp_ops_table, KLP_OPS_HASH_BITS);
/* Locations in klp_fops' filter; klp_fops is registered iff nonzero (M). */
static unsigned int klp_nr_traced;
/* A func left a stack since the last klp_synchronize_cpus() here (M). */
static bool klp_popped;

static void klp_ftrace_handler(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *fops,
			       struct ftrace_regs *fregs);

/* Without WITH_ARGS only the full register save lets us set the ip. */
#define KLP_FTRACE_SAVE_REGS \
	(IS_ENABLED(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS) ? 0 : \
	 FTRACE_OPS_FL_SAVE_REGS)

static struct ftrace_ops klp_fops = {
	.func	= klp_ftrace_handler,
	.flags	= FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT |
		  KLP_FTRACE_SAVE_REGS,
};

/*
 * Points the saved instruction pointer at @ip: the trampoline returns
 * there.  Without WITH_ARGS, klp_fops asks for the full register save.
 */
static __always_inline void klp_set_pc(struct ftrace_regs *fregs,
				       unsigned long ip)
{
#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
	ftrace_regs_set_instruction_pointer(fregs, ip);
#else
	instruction_pointer_set(ftrace_get_regs(fregs), ip);
#endif
}

/* The handler's lookup; R, or M. */
static __always_inline struct klp_ops *klp_ops_find(unsigned long loc)
{
	struct klp_ops *ops;

	hash_for_each_possible_rcu_notrace(klp_ops_table, ops, node, loc)
		if (ops->loc == loc)
			return ops;
	return NULL;
}

/*
 * Which version of the function does the current task run?
 *
 * Outside a transition: the top of the stack.  During a transition the top
 * entry has ->transition set, and a task that has not switched yet (its
 * patch_state differs from the top entry's universe) runs the entry below,
 * or the original function if there is none.  The top entry belongs to the
 * patch in transition: it is the newly added func when patching, and the
 * func about to be removed when unpatching; in both cases "not switched to
 * it" is patch_state == KLP_TRANSITION_UNPATCHED.  An empty stack, left
 * while a location waits to leave the filter, means the original.
 *
 * Ordering: O1 and O2 in core.h.  A handler that sees ->transition set
 * also sees a patch_state that is not IDLE.
 */
static void notrace klp_ftrace_handler(unsigned long ip,
				       unsigned long parent_ip,
				       struct ftrace_ops *fops,
				       struct ftrace_regs *fregs)
{
	struct klp_ops *ops;
	struct klp_func *func;
	int bit;

	/* Also disables preemption: the R read side for table and stack. */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (WARN_ON_ONCE(bit < 0))
		return;

	ops = klp_ops_find(ip);
	if (WARN_ON_ONCE(!ops))
		goto out;

	func = list_first_or_null_rcu(&ops->stack, struct klp_func,
				      stack_node);
	if (!func)
		goto out;

	if (unlikely(func->transition)) {
		int state;

		/* O1: pairs with smp_wmb() in klp_init_transition(). */
		smp_rmb();
		state = READ_ONCE(current->patch_state);
		WARN_ON_ONCE(state == KLP_TRANSITION_IDLE);
		if (state == KLP_TRANSITION_UNPATCHED) {
			func = list_entry_rcu(func->stack_node.next,
					      struct klp_func, stack_node);
			/* Below the bottom entry is the original. */
			if (&func->stack_node == &ops->stack)
				goto out;
		}
	}

	/* A nop entry of an atomic replace stands for the original. */
	if (!func->nop)
		klp_set_pc(fregs, (unsigned long)func->new_func);
out:
	ftrace_test_recursion_unlock(bit);
}

/*
 * Adds @n locations to klp_fops' filter in one update.  All or nothing:
 * on failure the filter is as it was.
 */
static int klp_fops_add(unsigned long *locs, unsigned int n)
{
	int ret;

	if (klp_nr_traced)
		return ftrace_set_filter_ips(&klp_fops, locs, n, 0, 0);

	/* Replaces what an unregistered klp_fops kept from before. */
	ret = ftrace_set_filter_ips(&klp_fops, locs, n, 0, 1);
	if (!ret)
		ret = register_ftrace_function(&klp_fops);
	return ret;
}

/*
 * Removes @n locations; the last ones go with klp_fops itself, which keeps
 * its stale filter until the next klp_fops_add() resets it.  (Freeing the
 * filter with ftrace_free_filter() would leave the ops pointing at it.)
 */
static int klp_fops_remove(unsigned long *locs, unsigned int n)
{
	if (n < klp_nr_traced)
		return ftrace_set_filter_ips(&klp_fops, locs, n, 1, 0);
	return unregister_ftrace_function(&klp_fops);
}

/*
 * A function that ftrace refused as part of a batch: try it alone, with a
 * handler that does nothing, to tell which ones another user of the
 * instruction pointer (e.g. a kprobe with a post_handler) already owns.
 */
static void notrace klp_probe_handler(unsigned long ip,
				      unsigned long parent_ip,
				      struct ftrace_ops *fops,
				      struct ftrace_regs *fregs)
{
}

/* Permanent like klp_fops, so that it is refused for the same reasons. */
static struct ftrace_ops klp_probe_fops = {
	.func	= klp_probe_handler,
	.flags	= FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT |
		  KLP_FTRACE_SAVE_REGS,
};

static int klp_probe_location(unsigned long loc)
{
	int ret;

	ret = ftrace_set_filter_ips(&klp_probe_fops, &loc, 1, 0, 1);
	if (ret)
		return ret;
	ret = register_ftrace_function(&klp_probe_fops);
	if (!ret)
		WARN_ON(unregister_ftrace_function(&klp_probe_fops));
	return ret;
}

/* A batch being redirected or released: the functions and locations. */
struct klp_batch {
	struct klp_func **funcs;	/* whose klp_ops enters the filter */
	unsigned long *locs;
	unsigned int nr;
};

static int klp_batch_alloc(struct klp_batch *b, unsigned int max)
{
	b->nr = 0;
	b->funcs = kvmalloc_array(max, sizeof(*b->funcs), GFP_KERNEL);
	b->locs = kvmalloc_array(max, sizeof(*b->locs), GFP_KERNEL);
	if (b->funcs && b->locs)
		return 0;
	kvfree(b->funcs);
	kvfree(b->locs);
	return -ENOMEM;
}

static void klp_batch_free(struct klp_batch *b)
{
	kvfree(b->funcs);
	kvfree(b->locs);
}

/* Logs every function of a refused batch that is the reason why. */
static void klp_explain_refusal(struct klp_batch *b, int err)
{
	unsigned int i, found = 0;

	if (err == -EBUSY) {
		for (i = 0; i < b->nr; i++) {
			if (klp_probe_location(b->locs[i]) != -EBUSY)
				continue;
			pr_err("failed to register ftrace handler for function '%s' (%d)\n",
			       b->funcs[i]->old_name, err);
			found++;
		}
	}
	if (!found)
		pr_err("failed to register ftrace handlers for %u functions (%d)\n",
		       b->nr, err);
}

/*
 * Puts the locations of @b into klp_fops' filter, @b->funcs[i]->ops being
 * the redirection at @b->locs[i].  A location with a direct call then
 * turns its trampoline back to the handler's choice; both agreed on the
 * top of the stack until now, and agree on the handler's choice from now
 * on.  The full barrier orders the zero targets before whatever the
 * caller publishes next (a new stack entry, a transition's start).
 */
static int klp_trace_batch(struct klp_batch *b)
{
	struct klp_ops *ops;
	unsigned int i;
	int ret;

	for (i = 0; i < b->nr; i++) {
		ops = b->funcs[i]->ops;
		if (ops->direct)
			klp_direct_set_shared(ops->direct, true);
	}
	ret = klp_fops_add(b->locs, b->nr);
	for (i = 0; i < b->nr; i++) {
		ops = b->funcs[i]->ops;
		if (!ret)
			ops->traced = true;
		if (!ops->direct)
			continue;
		if (ret)
			klp_direct_set_shared(ops->direct, false);
		else
			klp_direct_set_target(ops->direct, 0);
	}
	if (ret)
		return ret;
	klp_nr_traced += b->nr;
	/* The zero targets before the caller's next publication (above). */
	smp_mb();
	return 0;
}

/*
 * Puts @func on top of the stack of versions of its old function, creating
 * the redirection if there is none; a new one joins @b.
 */
static int klp_stack_push(struct klp_func *func, struct klp_batch *b)
{
	unsigned long loc = ftrace_location((unsigned long)func->old_func);
	struct klp_ops *ops;

	if (WARN_ON(!func->old_func) || WARN_ON(func->patched))
		return -EINVAL;
	if (!loc) {
		pr_err("failed to find location for function '%s'\n",
		       func->old_name);
		return -EINVAL;
	}

	ops = klp_ops_find(loc);
	if (!ops) {
		ops = kzalloc(sizeof(*ops), GFP_KERNEL);
		if (!ops)
			return -ENOMEM;
		ops->loc = loc;
		ops->old_addr = (unsigned long)func->old_func;
		INIT_LIST_HEAD(&ops->stack);
		/* Unseen by the handler until its location is traced. */
		hash_add_rcu(klp_ops_table, &ops->node, loc);
	}
	/* New, or settled on a direct call: the handler must decide again. */
	if (!ops->traced) {
		b->funcs[b->nr] = func;
		b->locs[b->nr++] = loc;
	}

	/* Publishes @func after its ->transition (release). */
	list_add_rcu(&func->stack_node, &ops->stack);
	func->ops = ops;
	func->patched = true;
	return 0;
}

/*
 * Takes @func off its stack, wherever it is.  Handlers may still hold it
 * until the klp_synchronize_cpus() that klp_release_ops(), which every
 * caller runs next, ends with (rule R): it must not be freed or reused
 * before.  An emptied stack keeps its klp_ops until klp_release_ops().
 */
static void klp_stack_pop(struct klp_func *func)
{
	if (WARN_ON(!func->patched))
		return;

	/*
	 * __klp_sched_try_switch() reads ->ops without klp_mutex, with
	 * interrupts disabled: clearing it first means a reader either sees
	 * NULL or holds an ops that klp_release_ops() frees only after a
	 * grace period.
	 */
	WRITE_ONCE(func->ops, NULL);
	list_del_rcu(&func->stack_node);
	func->patched = false;
	klp_popped = true;
}

/*
 * Frees every klp_ops whose stack is empty: their locations leave the
 * filter in one update.  If the update fails (it needs memory) they stay,
 * traced and harmless, and the next release tries again.
 *
 * The waits ("Lifetimes" in core.h): a task may have entered klp_fops'
 * trampoline at a location before it left the filter, now or when it
 * settled on a direct call, and on a preemptible kernel may sit there,
 * preempted, for a long time; the handler it then reaches must find the
 * klp_ops.  So the klp_ops are unhashed only after klp_synchronize_tasks(),
 * and freed after klp_synchronize_cpus(), once handlers of other locations
 * cannot be walking the same hash chain.  The second wait also covers the
 * funcs popped since the last one: every path that pops ends here, so no
 * caller frees or reuses a popped func before that wait.
 */
static void klp_release_ops(void)
{
	struct hlist_node *tmp;
	struct klp_batch b;
	struct klp_ops *ops, *next;
	unsigned int bkt, max = 0;
	LIST_HEAD(unused);
	int ret;

	lockdep_assert_held(&klp_mutex);
	hash_for_each(klp_ops_table, bkt, ops, node)
		if (list_empty(&ops->stack) && ops->traced)
			max++;
	if (max) {
		ret = klp_batch_alloc(&b, max);
		if (!ret) {
			hash_for_each(klp_ops_table, bkt, ops, node)
				if (list_empty(&ops->stack) && ops->traced)
					b.locs[b.nr++] = ops->loc;
			ret = klp_fops_remove(b.locs, b.nr);
			klp_batch_free(&b);
		}
		if (ret) {
			pr_warn("failed to release %u ftrace locations (%d); they stay traced for now\n",
				max, ret);
		} else {
			klp_nr_traced -= max;
			hash_for_each(klp_ops_table, bkt, ops, node)
				if (list_empty(&ops->stack))
					ops->traced = false;
		}
	}

	hash_for_each(klp_ops_table, bkt, ops, node) {
		if (!list_empty(&ops->stack) || ops->traced)
			continue;
		/* With an empty stack, "ask the handler" is the original. */
		if (ops->direct) {
			klp_direct_set_target(ops->direct, 0);
			klp_direct_put(ops->direct);
			ops->direct = NULL;
		}
		list_add(&ops->release, &unused);
	}

	if (!list_empty(&unused)) {
		/* Tasks still in a trampoline on their way to the handler. */
		klp_synchronize_tasks();
		hash_for_each_safe(klp_ops_table, bkt, tmp, ops, node)
			if (list_empty(&ops->stack) && !ops->traced)
				hash_del_rcu(&ops->node);
	} else if (!klp_popped) {
		return;
	}

	/* Handlers walking a hash chain, or holding a popped func. */
	klp_synchronize_cpus();
	klp_popped = false;
	list_for_each_entry_safe(ops, next, &unused, release)
		kfree(ops);
}

/* The objects one batch redirects: @only, or every loaded one not yet. */
static bool klp_in_batch(struct klp_object *obj, struct klp_object *only)
{
	if (only)
		return obj == only;
	return klp_is_object_loaded(obj) && !obj->patched;
}

static int klp_patch_batch(struct klp_patch *patch, struct klp_object *only)
{
	struct klp_object *obj;
	struct klp_func *func;
	struct klp_batch b;
	unsigned int max = 0;
	int ret;

	if (only && WARN_ON(only->patched))
		return -EINVAL;

	klp_for_each_object(patch, obj)
		if (klp_in_batch(obj, only))
			klp_for_each_func(obj, func)
				max++;
	if (!max)
		goto patched;
	ret = klp_batch_alloc(&b, max);
	if (ret)
		return ret;

	klp_for_each_object(patch, obj) {
		if (!klp_in_batch(obj, only))
			continue;
		klp_for_each_func(obj, func) {
			ret = klp_stack_push(func, &b);
			if (ret) {
				pr_warn("failed to patch object '%s'\n",
					klp_object_name(obj));
				goto undo;
			}
		}
	}

	if (b.nr) {
		ret = klp_trace_batch(&b);
		if (ret) {
			klp_explain_refusal(&b, ret);
			klp_for_each_object(patch, obj)
				if (klp_in_batch(obj, only))
					pr_warn("failed to patch object '%s'\n",
						klp_object_name(obj));
			goto undo;
		}
	}
	klp_batch_free(&b);

patched:
	klp_for_each_object(patch, obj)
		if (klp_in_batch(obj, only))
			obj->patched = true;
	return 0;

undo:
	klp_for_each_object(patch, obj)
		if (klp_in_batch(obj, only))
			klp_for_each_func(obj, func)
				if (func->patched)
					klp_stack_pop(func);
	klp_release_ops();
	klp_batch_free(&b);
	return ret;
}

/**
 * klp_patch_object() - redirect every function of a loaded object
 * @patch:	the patch @obj belongs to
 * @obj:	the object
 *
 * All or nothing, in one ftrace update.
 *
 * Return: 0, or an error with the reason logged.
 */
int klp_patch_object(struct klp_patch *patch, struct klp_object *obj)
{
	return klp_patch_batch(patch, obj);
}

/**
 * klp_patch_objects() - redirect the functions of every loaded object
 * @patch:	the patch
 *
 * Covers the loaded objects that are not patched yet, all or nothing and
 * in one ftrace update: a patch of a thousand functions costs one round of
 * text patching.  If ftrace refuses, every function another user owns is
 * named in the log before the error is returned; nothing is left changed.
 *
 * Return: 0, or an error with the reason logged.
 */
int klp_patch_objects(struct klp_patch *patch)
{
	return klp_patch_batch(patch, NULL);
}

/* Pops @obj's functions, all of them or only its nop entries. */
static void klp_unpatch_funcs(struct klp_object *obj, bool only_nops)
{
	struct klp_func *func;

	klp_for_each_func(obj, func)
		if (func->patched && (func->nop || !only_nops))
			klp_stack_pop(func);

	/* A static object keeps its real functions when only nops go. */
	if (!only_nops || obj->dynamic)
		obj->patched = false;
}

void klp_unpatch_object(struct klp_object *obj)
{
	klp_unpatch_funcs(obj, false);
	klp_release_ops();
}

void klp_unpatch_objects(struct klp_patch *patch)
{
	struct klp_object *obj;

	klp_for_each_object(patch, obj)
		if (obj->patched)
			klp_unpatch_funcs(obj, false);
	klp_release_ops();
}

/* Drops the nop entries of an atomic replace once they are not needed. */
void klp_unpatch_objects_dynamic(struct klp_patch *patch)
{
	struct klp_object *obj;

	klp_for_each_object(patch, obj)
		if (obj->patched)
			klp_unpatch_funcs(obj, true);
	klp_release_ops();
}

/**
 * klp_unsettle_patch() - hand @patch's locations back to the handler
 * @patch:	a patch about to start a transition that pops its functions
 *
 * Called under klp_mutex before the transition starts, so that the
 * handler can give each task its own version.  (Transitions that push
 * functions do the same in klp_stack_push().)
 *
 * Return: 0, or the error of the ftrace update, logged; nothing changed.
 */
int klp_unsettle_patch(struct klp_patch *patch)
{
	struct klp_object *obj;
	struct klp_func *func;
	struct klp_batch b;
	unsigned int max = 0;
	int ret;

	klp_for_each_object(patch, obj)
		klp_for_each_func(obj, func)
			if (func->patched && !func->ops->traced)
				max++;
	if (!max)
		return 0;
	ret = klp_batch_alloc(&b, max);
	if (!ret) {
		klp_for_each_object(patch, obj) {
			klp_for_each_func(obj, func) {
				if (!func->patched || func->ops->traced)
					continue;
				b.funcs[b.nr] = func;
				b.locs[b.nr++] = func->ops->loc;
			}
		}
		ret = klp_trace_batch(&b);
		klp_batch_free(&b);
	}
	if (ret)
		pr_err("'%s': failed to hand %u direct calls back to the ftrace handler (%d)\n",
		       patch->mod->name, max, ret);
	return ret;
}

#ifdef CONFIG_LIVEPATCH_DIRECT_CALLS
/*
 * Each direct call costs an ftrace update of its own to set up, and later
 * one to remove.  A patch that leaves at most KLP_SETTLE_INLINE locations
 * to settle settles them before its transition reads as over, so that
 * its functions are fast from then on.  Beyond that, the work starts
 * KLP_SETTLE_DELAY after the last completion that left locations to
 * settle (each one pushes it back), then settles KLP_SETTLE_CHUNK
 * locations per klp_mutex hold: a thousand-function
 * patch does not make its own enabling, nor an admin's next step, wait
 * for a hundred ftrace updates.
 */
#define KLP_SETTLE_INLINE	16
#define KLP_SETTLE_CHUNK	8
#define KLP_SETTLE_DELAY	HZ

/*
 * The function a location may call directly, or NULL.  A location is
 * settled unless its top entry is in a transition: the handler looks at
 * nothing else, so a transition that only concerns entries below the
 * top does not concern the location.
 */
static struct klp_func *klp_settle_target(struct klp_ops *ops)
{
	struct klp_func *func;

	func = list_first_entry_or_null(&ops->stack, struct klp_func,
					stack_node);
	if (!func || func->nop || func->transition || !ops->traced ||
	    !klp_direct_usable((unsigned long)func->new_func))
		return NULL;
	return func;
}

/*
 * Moves up to @max (at most KLP_SETTLE_INLINE) settled locations onto
 * direct calls, under M.  Returns whether to run again.
 */
static bool klp_settle_some(unsigned int max)
{
	unsigned long locs[KLP_SETTLE_INLINE];
	struct klp_ops *batch[KLP_SETTLE_INLINE];
	struct klp_direct *d;
	struct klp_func *func;
	struct klp_ops *ops;
	unsigned int bkt, i, n = 0;
	bool more = false;
	int ret;

	BUILD_BUG_ON(KLP_SETTLE_CHUNK > KLP_SETTLE_INLINE);
	if (WARN_ON_ONCE(max > KLP_SETTLE_INLINE))
		max = KLP_SETTLE_INLINE;
	hash_for_each(klp_ops_table, bkt, ops, node) {
		func = klp_settle_target(ops);
		if (!func)
			continue;
		if (n == max) {
			more = true;
			break;
		}
		if (!ops->direct) {
			d = klp_direct_get(ops->loc);
			if (IS_ERR(d)) {
				/* Out of slots: the rest keep the handler. */
				if (PTR_ERR(d) != -ENOSPC)
					pr_warn("no direct call for function at %pS (%ld)\n",
						(void *)ops->old_addr, PTR_ERR(d));
				more = klp_direct_recycle_needed();
				break;
			}
			ops->direct = d;
		}
		/* The handler picks the same function: both paths agree. */
		klp_direct_set_target(ops->direct, (unsigned long)func->new_func);
		batch[n] = ops;
		locs[n++] = ops->loc;
	}
	if (!n)
		return more;

	ret = klp_fops_remove(locs, n);
	for (i = 0; i < n; i++) {
		d = batch[i]->direct;
		if (ret) {
			/* Still traced: the handler must keep the last word. */
			klp_direct_set_target(d, 0);
			continue;
		}
		batch[i]->traced = false;
		klp_direct_set_shared(d, false);
	}
	if (ret) {
		pr_warn("failed to move %u functions to direct calls (%d)\n",
			n, ret);
		return false;
	}
	klp_nr_traced -= n;
	return more;
}

static void klp_settle_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(klp_settle_work, klp_settle_fn);

/* What klp_settle() left: more locations, or slots to recycle first. */
static void klp_settle_fn(struct work_struct *work)
{
	bool recycle, more;

	mutex_lock(&klp_mutex);
	recycle = klp_direct_recycle_needed();
	mutex_unlock(&klp_mutex);
	if (recycle)
		klp_direct_recycle();

	mutex_lock(&klp_mutex);
	more = klp_settle_some(KLP_SETTLE_CHUNK);
	mutex_unlock(&klp_mutex);
	if (more)
		mod_delayed_work(system_unbound_wq, &klp_settle_work, 0);
}

/**
 * klp_settle() - move settled locations to direct calls
 *
 * Called under klp_mutex when a transition completes, once its funcs'
 * ->transition is clear, and when a coming module's functions were
 * redirected.  Up to KLP_SETTLE_INLINE locations move at once; more
 * are left to the work, which starts KLP_SETTLE_DELAY after the last
 * such call.
 */
void klp_settle(void)
{
	struct klp_ops *ops;
	unsigned int bkt, n = 0;

	lockdep_assert_held(&klp_mutex);
	hash_for_each(klp_ops_table, bkt, ops, node)
		if (klp_settle_target(ops) && ++n > KLP_SETTLE_INLINE)
			break;
	if (!n)
		return;
	if (n > KLP_SETTLE_INLINE)
		mod_delayed_work(system_unbound_wq, &klp_settle_work,
				 KLP_SETTLE_DELAY);
	else if (klp_settle_some(KLP_SETTLE_INLINE))
		mod_delayed_work(system_unbound_wq, &klp_settle_work, 0);
}
#else
void klp_settle(void)
{
}
#endif
