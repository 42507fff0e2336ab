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
 * The functions that one update starts redirecting (a patch being
 * enabled, a module of a patch coming) enter ftrace together, as the
 * filter of one new ftrace_ops, a struct klp_fops: one round of text
 * patching for a thousand functions, where an ftrace_ops per function
 * costs a round each.  The handler finds a location's klp_ops by that
 * location in a hash table.  The klp_fops stays registered while any of
 * its locations is redirected; locations leave its filter as their stacks
 * empty, and the last one takes the klp_fops with it.
 *
 * Registering, not growing a registered filter, matters: ftrace checks
 * the locations of an ftrace_ops being registered against the other
 * users that change the instruction pointer, and asks a BPF trampoline
 * already attached at one of them to share it (it then calls whatever the
 * handler chose, not the old function); a filter update would do neither.
 * ftrace applies a registration all or nothing, so a patch that conflicts
 * with, say, a kprobe with a post_handler is refused before any call is
 * redirected, and one whose location already holds such a kprobe is
 * refused the same way.
 *
 * Lifetime of a klp_ops (rules M and R, and "Lifetimes" in core.h):
 * created and hashed under M before its location enters a filter;
 * unhashed only once its location has left it and no task can still be
 * inside a trampoline on its way to the handler, and freed after
 * handlers of other locations, which may walk the same hash chain, are
 * done (klp_release_ops()).  A location whose removal from the filter
 * fails (the update needs memory) stays traced with an empty stack, which
 * the handler treats as "run the original"; the next release retries it.
 *
 * Settling.  Between transitions the handler has nothing to decide: every
 * task runs the top of each stack.  After each transition, and after a
 * module's functions were redirected, klp_settle() enters the settled
 * locations in the table of direct calls (direct.c), where the call site
 * finds the top of the stack without the handler.  Before anything
 * changes such a stack, or a transition starts that concerns it, the
 * location leaves the table ("unsettling"); "Direct calls" in core.h says
 * why no wait is needed there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ftrace.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/trace_recursion.h>
#include "core.h"
#include "direct.h"
#include "patch.h"
#include "transition.h"

#define KLP_OPS_HASH_BITS	10

/* Every klp_ops, by ftrace location (M to change, R to read). */
static DEFINE_HASHTABLE(klp_ops_table, KLP_OPS_HASH_BITS);
/* A func left a stack since the last klp_synchronize_cpus() here (M). */
static bool klp_popped;

/**
 * struct klp_fops - the ftrace_ops of the locations one update redirected
 * @ops:	registered while @nr is not zero
 * @nr:		locations in @ops' filter (M)
 * @in_use:	a klp_fops_pool entry that is taken (M)
 *
 * Most come from a static pool: ftrace counts static ops as core kernel
 * data, so unregistering one does not wait for tasks inside its
 * trampoline.  klp does that wait itself, once per release and outside
 * ftrace's locks (klp_release_ops()), and a klp_fops of the pool is reused
 * only after it; ftrace keeps its last filter until then, since freeing it
 * would not wait for the list function either.  Beyond the pool they are
 * allocated: ftrace counts those as dynamic and waits for their
 * trampoline in unregister_ftrace_function(), after which they are freed.
 */
struct klp_fops {
	struct ftrace_ops ops;
	unsigned int nr;
	bool in_use;
};

#define KLP_FOPS_POOL	32
static struct klp_fops klp_fops_pool[KLP_FOPS_POOL];
/* klp_fops taken from the pool, and allocated beyond it (M). */
static unsigned int klp_fops_pooled, klp_fops_allocated;

static void klp_ftrace_handler(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *fops,
			       struct ftrace_regs *fregs);

/* Without WITH_ARGS only the full register save lets us set the ip. */
#define KLP_FTRACE_SAVE_REGS \
	(IS_ENABLED(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS) ? 0 : \
	 FTRACE_OPS_FL_SAVE_REGS)

/*
 * Permanent: "sysctl kernel.ftrace_enabled=0" would undo every patch
 * without a word, so ftrace refuses it while any klp_fops is registered.
 */
#define KLP_FTRACE_FLAGS \
	(FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT | KLP_FTRACE_SAVE_REGS)

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

/**
 * klp_func_location() - the ftrace location of @func's old function
 * @func:	a func whose old function was resolved
 *
 * What ftrace_location() answers for the old function, without asking it:
 * for a function start it looks the function's size up in kallsyms, and
 * for an address in a module that is a walk of all the module's symbols.
 * ->old_size is that same size, looked up once when the function was
 * resolved; a patch of ten thousand functions of one module made that
 * lookup, repeated here, most of its enable time (bench P2.10000).
 *
 * Return: the location, or 0 if ftrace does not trace the function.
 */
unsigned long klp_func_location(const struct klp_func *func)
{
	unsigned long addr = (unsigned long)func->old_func;

	if (!func->old_size)
		return ftrace_location(addr);
	return ftrace_location_range(addr, addr + func->old_size - 1);
}

/**
 * klp_func_ops() - the redirection whose stack holds @func
 * @func:	a func of a patch
 *
 * struct klp_func has upstream's layout, with no room for a pointer to
 * its klp_ops: found again by the location of the old function.
 *
 * Context: under klp_mutex.
 * Return: the klp_ops, or NULL if @func is not on a stack.
 */
struct klp_ops *klp_func_ops(const struct klp_func *func)
{
	lockdep_assert_held(&klp_mutex);
	if (!func->patched)
		return NULL;
	return klp_ops_find(klp_func_location(func));
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

/* A klp_fops not in use: from the pool if one is free, else allocated. */
static struct klp_fops *klp_fops_get(void)
{
	struct klp_fops *f;
	unsigned int i;

	for (i = 0; i < KLP_FOPS_POOL; i++) {
		f = &klp_fops_pool[i];
		if (f->in_use)
			continue;
		f->in_use = true;
		klp_fops_pooled++;
		/* ftrace keeps its own state in a static ops between uses. */
		if (!f->ops.func) {
			f->ops.func = klp_ftrace_handler;
			f->ops.flags = KLP_FTRACE_FLAGS;
			/* Where klp is a site's only user: the dispatcher. */
			f->ops.trampoline = klp_direct_trampoline();
		}
		return f;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	klp_fops_allocated++;
	f->ops.func = klp_ftrace_handler;
	f->ops.flags = KLP_FTRACE_FLAGS;
	f->ops.trampoline = klp_direct_trampoline();
	return f;
}

/* Gives back a klp_fops that is not registered (struct klp_fops). */
static void klp_fops_put(struct klp_fops *f)
{
	if (f >= klp_fops_pool && f < klp_fops_pool + KLP_FOPS_POOL) {
		f->in_use = false;
		klp_fops_pooled--;
		return;
	}
	ftrace_free_filter(&f->ops);
	kfree(f);
	klp_fops_allocated--;
}

/*
 * Registers a klp_fops for @n locations, in one update.  All or nothing:
 * on failure nothing is traced, NULL is returned and *@in_filter tells
 * whether the filter or the registration failed.  A klp_fops of the pool
 * replaces the filter it kept from its last use.
 */
static struct klp_fops *klp_fops_add(unsigned long *locs, unsigned int n,
				     int *err, bool *in_filter)
{
	struct klp_fops *f;
	int ret;

	*in_filter = false;
	f = klp_fops_get();
	if (!f) {
		*err = -ENOMEM;
		return NULL;
	}
	ret = ftrace_set_filter_ips(&f->ops, locs, n, 0, 1);
	if (ret)
		*in_filter = true;
	else
		ret = register_ftrace_function(&f->ops);
	if (ret) {
		klp_fops_put(f);
		*err = ret;
		return NULL;
	}
	f->nr = n;
	return f;
}

/*
 * Removes @n of @f's locations; the last ones go with @f itself, which is
 * then given back (struct klp_fops).  On failure the locations stay in
 * the filter.
 */
static int klp_fops_remove(struct klp_fops *f, unsigned long *locs,
			   unsigned int n)
{
	int ret;

	if (n < f->nr) {
		ret = ftrace_set_filter_ips(&f->ops, locs, n, 1, 0);
		if (!ret)
			f->nr -= n;
		return ret;
	}
	ret = unregister_ftrace_function(&f->ops);
	if (ret)
		return ret;
	f->nr = 0;
	klp_fops_put(f);
	return 0;
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
	.flags	= KLP_FTRACE_FLAGS,
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
	bool refused_in_filter;		/* set by a failed klp_trace_batch() */
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

/*
 * Logs every function of a refused batch that is the reason why, in
 * upstream's words.  A refusal that no function alone explains (memory,
 * say) is logged with those words too when the batch holds a single
 * function, as it is then exactly upstream's situation; a bigger batch
 * gets a line of its own (Documentation/livepatch/compatibility.rst).
 */
static void klp_explain_refusal(struct klp_batch *b, int err)
{
	const char *name = b->funcs[0]->old_name;
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
	if (found)
		return;
	if (b->nr > 1)
		pr_err("failed to register ftrace handlers for %u functions (%d)\n",
		       b->nr, err);
	else if (b->refused_in_filter)
		pr_err("failed to set ftrace filter for function '%s' (%d)\n",
		       name, err);
	else
		pr_err("failed to register ftrace handler for function '%s' (%d)\n",
		       name, err);
}

/* Redirects the new locations of @b through one new klp_fops. */
static int klp_trace_batch(struct klp_batch *b)
{
	struct klp_fops *f;
	unsigned int i;
	int ret;

	f = klp_fops_add(b->locs, b->nr, &ret, &b->refused_in_filter);
	if (!f)
		return ret;
	for (i = 0; i < b->nr; i++)
		klp_ops_find(b->locs[i])->fops = f;
	return 0;
}

/*
 * Sends @ops' location back to the handler, before its stack changes or a
 * transition that concerns it starts.
 */
static void klp_unsettle(struct klp_ops *ops)
{
	if (!ops->direct)
		return;
	klp_direct_clear(ops->loc);
	ops->direct = false;
}

/*
 * Puts @func on top of the stack of versions of its old function, creating
 * the redirection if there is none; a new one joins @b.
 */
static int klp_stack_push(struct klp_func *func, struct klp_batch *b)
{
	unsigned long loc = klp_func_location(func);
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
	if (!ops->fops) {
		b->funcs[b->nr] = func;
		b->locs[b->nr++] = loc;
	}
	/* Settled on the old top: the handler must decide again. */
	klp_unsettle(ops);

	/* Publishes @func after its ->transition (release). */
	list_add_rcu(&func->stack_node, &ops->stack);
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

	klp_unsettle(klp_func_ops(func));
	list_del_rcu(&func->stack_node);
	func->patched = false;
	klp_popped = true;
}

/*
 * Takes the locations of the empty stacks out of ftrace, one update per
 * klp_fops.  A location whose update fails (it needs memory) stays
 * traced, harmless, and the next release tries again.
 */
static void klp_untrace_empty(void)
{
	struct klp_ops *ops, *tmp;
	unsigned long *locs;
	struct klp_fops *f;
	unsigned int bkt, n;
	LIST_HEAD(leaving);
	int ret;

	hash_for_each(klp_ops_table, bkt, ops, node)
		if (list_empty(&ops->stack) && ops->fops)
			list_add_tail(&ops->release, &leaving);

	while (!list_empty(&leaving)) {
		f = list_first_entry(&leaving, struct klp_ops, release)->fops;
		n = 0;
		list_for_each_entry(ops, &leaving, release)
			n += ops->fops == f;
		locs = kvmalloc_array(n, sizeof(*locs), GFP_KERNEL);
		if (locs) {
			n = 0;
			list_for_each_entry(ops, &leaving, release)
				if (ops->fops == f)
					locs[n++] = ops->loc;
			ret = klp_fops_remove(f, locs, n);
			kvfree(locs);
		} else {
			ret = -ENOMEM;
		}
		if (ret)
			pr_warn("failed to release %u ftrace locations (%d); they stay traced for now\n",
				n, ret);
		list_for_each_entry_safe(ops, tmp, &leaving, release) {
			if (ops->fops != f)
				continue;
			list_del(&ops->release);
			if (!ret)
				ops->fops = NULL;
		}
	}
}

/*
 * Frees every klp_ops whose stack is empty, once its location left ftrace.
 *
 * The waits ("Lifetimes" in core.h): a task may have entered the
 * trampoline at a location before it left the filter and, on a
 * preemptible kernel, sit there, preempted, for a long time; the handler
 * it then reaches must find the klp_ops.  So the klp_ops are unhashed only
 * after klp_synchronize_tasks(), and freed after klp_synchronize_cpus(),
 * once handlers of other locations cannot be walking the same hash chain.
 * The second wait also covers the funcs popped since the last one: every
 * path that pops ends here, so no caller frees or reuses a popped func
 * before that wait.
 */
static void klp_release_ops(void)
{
	struct hlist_node *tmp;
	struct klp_ops *ops, *next;
	unsigned int bkt;
	LIST_HEAD(unused);

	lockdep_assert_held(&klp_mutex);
	klp_untrace_empty();

	hash_for_each(klp_ops_table, bkt, ops, node)
		if (list_empty(&ops->stack) && !ops->fops)
			list_add(&ops->release, &unused);

	if (!list_empty(&unused)) {
		/* Tasks still in a trampoline on their way to the handler. */
		klp_synchronize_tasks();
		hash_for_each_safe(klp_ops_table, bkt, tmp, ops, node)
			if (list_empty(&ops->stack) && !ops->fops)
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
	/* The stacks below are as they were: so are their direct calls. */
	klp_settle();
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
 */
void klp_unsettle_patch(struct klp_patch *patch)
{
	struct klp_object *obj;
	struct klp_func *func;

	klp_for_each_object(patch, obj)
		klp_for_each_func(obj, func)
			if (func->patched)
				klp_unsettle(klp_func_ops(func));
}

/*
 * The function a location may call directly, or NULL.  A location is
 * settled unless its top entry is in a transition: the handler looks at
 * nothing else, so a transition that only concerns entries below the
 * top does not concern the location.  A nop stands for the original,
 * which only the handler can reach.
 */
static struct klp_func *klp_settle_target(struct klp_ops *ops)
{
	struct klp_func *func;

	func = list_first_entry_or_null(&ops->stack, struct klp_func,
					stack_node);
	if (!func || func->nop || func->transition || !ops->fops)
		return NULL;
	return func;
}

/**
 * klp_settle() - let settled locations call their new function directly
 *
 * Called under klp_mutex when a transition completes, once its funcs'
 * ->transition is clear, and when a coming module's functions were
 * redirected.  Each location costs one store into the table of direct
 * calls (direct.c); nothing is patched.
 */
void klp_settle(void)
{
	struct klp_func *func;
	unsigned long target;
	struct klp_ops *ops;
	unsigned int bkt;

	lockdep_assert_held(&klp_mutex);
	if (!IS_ENABLED(CONFIG_LIVEPATCH_DIRECT_CALLS))
		return;
	hash_for_each(klp_ops_table, bkt, ops, node) {
		func = klp_settle_target(ops);
		if (!func || ops->direct)
			continue;
		target = (unsigned long)func->new_func;
		ops->direct = klp_direct_set(ops->loc, target);
	}
}

/**
 * klp_debugfs_dir() - /sys/kernel/debug/livepatch, created on first use
 *
 * For initcalls only, which run one at a time.
 *
 * Return: the directory's dentry, or an error pointer that the debugfs
 * API accepts as a parent and ignores.
 */
struct dentry *klp_debugfs_dir(void)
{
	static struct dentry *dir;

	if (!dir)
		dir = debugfs_create_dir("livepatch", NULL);
	return dir;
}

/*
 * /sys/kernel/debug/livepatch/ftrace_ops: how many klp_fops are registered,
 * from the static pool and allocated beyond it.  For tests and the
 * curious; not an ABI.
 */
static int klp_fops_stats_show(struct seq_file *m, void *v)
{
	mutex_lock(&klp_mutex);
	seq_printf(m, "pool %u of %u\nallocated %u\n", klp_fops_pooled,
		   KLP_FOPS_POOL, klp_fops_allocated);
	mutex_unlock(&klp_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(klp_fops_stats);

static int __init klp_patch_debugfs_init(void)
{
	debugfs_create_file("ftrace_ops", 0400, klp_debugfs_dir(), NULL,
			    &klp_fops_stats_fops);
	return 0;
}
late_initcall(klp_patch_debugfs_init);
