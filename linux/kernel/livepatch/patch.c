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

struct klp_ops *klp_find_ops(void *old_func)
{
	struct klp_ops *ops;
	struct klp_func *func;

	list_for_each_entry(ops, &klp_ops_list, node) {
		func = list_first_entry(&ops->func_stack, struct klp_func,
					stack_node);
		if (func->old_func == old_func)
			return ops;
	}
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

	func = list_first_or_null_rcu(&ops->func_stack, struct klp_func,
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
			if (&func->stack_node == &ops->func_stack)
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

static int klp_redirect_new(struct klp_func *func)
{
	unsigned long loc = ftrace_location((unsigned long)func->old_func);
	struct klp_ops *ops;
	int ret;

	if (!loc) {
		pr_err("failed to find location for function '%s'\n",
		       func->old_name);
		return -EINVAL;
	}

	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;

	ops->fops.func = klp_ftrace_handler;
	ops->fops.flags = klp_ftrace_flags();
	INIT_LIST_HEAD(&ops->func_stack);
	list_add_rcu(&func->stack_node, &ops->func_stack);
	list_add(&ops->node, &klp_ops_list);

	ret = ftrace_set_filter_ip(&ops->fops, loc, 0, 0);
	if (ret) {
		pr_err("failed to set ftrace filter for function '%s' (%d)\n",
		       func->old_name, ret);
		goto err;
	}

	ret = register_ftrace_function(&ops->fops);
	if (ret) {
		pr_err("failed to register ftrace handler for function '%s' (%d)\n",
		       func->old_name, ret);
		ftrace_set_filter_ip(&ops->fops, loc, 1, 0);
		goto err;
	}
	return 0;

err:
	list_del_rcu(&func->stack_node);
	list_del(&ops->node);
	/* Never registered: no handler can be using it. */
	ftrace_free_filter(&ops->fops);
	kfree(ops);
	return ret;
}

static int klp_patch_func(struct klp_func *func)
{
	struct klp_ops *ops;
	int ret = 0;

	if (WARN_ON(!func->old_func) || WARN_ON(func->patched))
		return -EINVAL;

	ops = klp_find_ops(func->old_func);
	if (ops)
		list_add_rcu(&func->stack_node, &ops->func_stack);
	else
		ret = klp_redirect_new(func);

	if (!ret)
		func->patched = true;
	return ret;
}

static void klp_unpatch_func(struct klp_func *func)
{
	struct klp_ops *ops;

	if (WARN_ON(!func->patched))
		return;
	ops = klp_find_ops(func->old_func);
	if (WARN_ON(!ops))
		return;

	if (list_is_singular(&ops->func_stack)) {
		unsigned long loc = ftrace_location((unsigned long)func->old_func);

		/* Waits for running handlers before it returns. */
		WARN_ON(unregister_ftrace_function(&ops->fops));
		WARN_ON(ftrace_set_filter_ip(&ops->fops, loc, 1, 0));
		list_del_rcu(&func->stack_node);
		list_del(&ops->node);
		kfree(ops);
	} else {
		list_del_rcu(&func->stack_node);
	}
	func->patched = false;
}

static void __klp_unpatch_object(struct klp_object *obj, bool nops_only)
{
	struct klp_func *func;

	klp_for_each_func(obj, func) {
		if (nops_only && !func->nop)
			continue;
		if (func->patched)
			klp_unpatch_func(func);
	}
	if (obj->dynamic || !nops_only)
		obj->patched = false;
}

void klp_unpatch_object(struct klp_object *obj)
{
	__klp_unpatch_object(obj, false);
}

/**
 * klp_patch_object() - redirect every function of a loaded object
 * @obj:	the object
 *
 * All or nothing: on failure the functions redirected so far are restored.
 *
 * Return: 0 or the error of the function that could not be redirected.
 */
int klp_patch_object(struct klp_object *obj)
{
	struct klp_func *func;
	int ret;

	if (WARN_ON(obj->patched))
		return -EINVAL;

	klp_for_each_func(obj, func) {
		ret = klp_patch_func(func);
		if (ret) {
			klp_unpatch_object(obj);
			return ret;
		}
	}
	obj->patched = true;
	return 0;
}

static void __klp_unpatch_objects(struct klp_patch *patch, bool nops_only)
{
	struct klp_object *obj;

	klp_for_each_object(patch, obj)
		if (obj->patched)
			__klp_unpatch_object(obj, nops_only);
}

void klp_unpatch_objects(struct klp_patch *patch)
{
	__klp_unpatch_objects(patch, false);
}

/* Drops the nop entries of an atomic replace once they are no longer needed. */
void klp_unpatch_objects_dynamic(struct klp_patch *patch)
{
	__klp_unpatch_objects(patch, true);
}
