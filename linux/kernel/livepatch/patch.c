// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Redirecting calls from old functions to new ones through ftrace.
 *
 * Each old function gets one ftrace_ops (struct klp_ops) however many
 * patches replace it; the patches' klp_func entries form a stack on it,
 * newest on top.  The handler runs at the entry of every call of the old
 * function and rewrites the saved instruction pointer so that the ftrace
 * trampoline returns into the chosen new function instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/trace_recursion.h>
#include "core.h"
#include "patch.h"
#include "transition.h"

static LIST_HEAD(klp_ops_list);		/* M */

/*
 * Which version of the function does the current task run?
 *
 * Outside a transition: the top of the stack.  During a transition the top
 * entry has ->transition set, and a task that has not switched yet (its
 * patch_state differs from the top entry's universe) runs the entry below,
 * or the original function if there is none.  The top entry belongs to the
 * patch in transition: it is the newly added func when patching, and the
 * func about to be removed when unpatching; in both cases "not switched to
 * it" is patch_state == KLP_TRANSITION_UNPATCHED.
 *
 * Ordering: ->transition is set after every task's patch_state has been
 * initialised and cleared before it is reset to IDLE, each time behind a
 * write barrier or an RCU grace period (see transition.c).  The smp_rmb()
 * below pairs with those: a handler that sees ->transition set also sees a
 * patch_state that is not IDLE.
 */
static void notrace klp_ftrace_handler(unsigned long ip,
				       unsigned long parent_ip,
				       struct ftrace_ops *fops,
				       struct ftrace_regs *fregs)
{
	struct klp_ops *ops = container_of(fops, struct klp_ops, fops);
	struct klp_func *func;
	int bit;

	/* Also disables preemption: the R read side for the stack. */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (WARN_ON_ONCE(bit < 0))
		return;

	func = list_first_or_null_rcu(&ops->stack, struct klp_func,
				      stack_node);
	if (WARN_ON_ONCE(!func))
		goto out;

	if (unlikely(func->transition)) {
		int state;

		/* Pairs with smp_wmb() in klp_init_transition(). */
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
		klp_arch_set_pc(fregs, (unsigned long)func->new_func);
out:
	ftrace_test_recursion_unlock(bit);
}

static unsigned long klp_ftrace_flags(void)
{
	unsigned long flags = FTRACE_OPS_FL_DYNAMIC | FTRACE_OPS_FL_IPMODIFY |
			      FTRACE_OPS_FL_PERMANENT;

	/* Without WITH_ARGS only the full register save lets us set the ip. */
	if (!IS_ENABLED(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS))
		flags |= FTRACE_OPS_FL_SAVE_REGS;
	return flags;
}

static struct klp_ops *klp_ops_lookup(unsigned long old_addr)
{
	struct klp_ops *ops;

	list_for_each_entry(ops, &klp_ops_list, entry)
		if (ops->old_addr == old_addr)
			return ops;
	return NULL;
}

/* Creates the redirection of @old_addr and attaches ftrace to it. */
static struct klp_ops *klp_ops_create(struct klp_func *func)
{
	unsigned long loc = ftrace_location(func->old_addr);
	struct klp_ops *ops;
	int ret;

	if (!loc) {
		pr_err("failed to find location for function '%s'\n",
		       func->old_name);
		return ERR_PTR(-EINVAL);
	}

	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return ERR_PTR(-ENOMEM);
	ops->fops.func = klp_ftrace_handler;
	ops->fops.flags = klp_ftrace_flags();
	ops->old_addr = func->old_addr;
	INIT_LIST_HEAD(&ops->stack);

	/*
	 * The stack is empty until the caller pushes @func, and the handler
	 * warns about an empty stack; the caller pushes before ftrace can
	 * call us, because registration below is the last step.
	 */
	ret = ftrace_set_filter_ip(&ops->fops, loc, 0, 0);
	if (ret) {
		pr_err("failed to set ftrace filter for function '%s' (%d)\n",
		       func->old_name, ret);
		goto free;
	}
	return ops;

free:
	ftrace_free_filter(&ops->fops);
	kfree(ops);
	return ERR_PTR(ret);
}

/* Frees a redirection that ftrace no longer calls and no func is on. */
static void klp_ops_free(struct klp_ops *ops)
{
	ftrace_free_filter(&ops->fops);
	list_del(&ops->entry);
	kfree(ops);
}

/* Puts @func on top of the stack of versions of its old function. */
static int klp_stack_push(struct klp_func *func)
{
	struct klp_ops *ops;
	int ret;

	if (WARN_ON(!func->old_addr) || WARN_ON(func->patched))
		return -EINVAL;

	ops = klp_ops_lookup(func->old_addr);
	if (ops) {
		/* Publishes @func after its ->transition (release). */
		list_add_rcu(&func->stack_node, &ops->stack);
		goto pushed;
	}

	ops = klp_ops_create(func);
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	list_add_rcu(&func->stack_node, &ops->stack);
	list_add(&ops->entry, &klp_ops_list);

	ret = register_ftrace_function(&ops->fops);
	if (ret) {
		pr_err("failed to register ftrace handler for function '%s' (%d)\n",
		       func->old_name, ret);
		/* Never registered: no handler can be looking. */
		list_del_rcu(&func->stack_node);
		klp_ops_free(ops);
		return ret;
	}
pushed:
	func->ops = ops;
	func->patched = true;
	return 0;
}

/*
 * Takes @func off its stack, wherever it is.  Handlers may still hold it
 * until the next klp_synchronize_transition() (rule R), so it must not be
 * reused before then.
 */
static void klp_stack_pop(struct klp_func *func)
{
	struct klp_ops *ops = func->ops;

	if (WARN_ON(!func->patched))
		return;

	/*
	 * __klp_sched_try_switch() reads ->ops without klp_mutex, with
	 * preemption disabled.  Clearing it first means a reader either sees
	 * NULL or holds an @ops that unregister_ftrace_function() below (an
	 * RCU-tasks-rude grace period) outlives before it is freed.
	 */
	WRITE_ONCE(func->ops, NULL);
	if (list_is_singular(&ops->stack)) {
		/*
		 * The last version: detach ftrace before emptying the stack,
		 * or a handler could find it empty.  Unregistering waits for
		 * every handler still running.
		 */
		WARN_ON(unregister_ftrace_function(&ops->fops));
		list_del_rcu(&func->stack_node);
		klp_ops_free(ops);
	} else {
		list_del_rcu(&func->stack_node);
	}
	func->patched = false;
}

/**
 * klp_patch_object() - redirect every function of a loaded object
 * @obj:	the object
 *
 * All or nothing: on failure the functions pushed so far are popped again.
 *
 * Return: 0 or the error of the function that could not be redirected.
 */
int klp_patch_object(struct klp_object *obj)
{
	struct klp_func *func, *failed = NULL;
	int ret = 0;

	if (WARN_ON(obj->patched))
		return -EINVAL;

	klp_for_each_func(obj, func) {
		ret = klp_stack_push(func);
		if (ret) {
			failed = func;
			break;
		}
	}

	if (!failed) {
		obj->patched = true;
		return 0;
	}
	klp_for_each_func(obj, func) {
		if (func == failed)
			break;
		klp_stack_pop(func);
	}
	return ret;
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
}

void klp_unpatch_objects(struct klp_patch *patch)
{
	struct klp_object *obj;

	klp_for_each_object(patch, obj)
		if (obj->patched)
			klp_unpatch_funcs(obj, false);
}

/* Drops the nop entries of an atomic replace once they are not needed. */
void klp_unpatch_objects_dynamic(struct klp_patch *patch)
{
	struct klp_object *obj;

	klp_for_each_object(patch, obj)
		if (obj->patched)
			klp_unpatch_funcs(obj, true);
}
