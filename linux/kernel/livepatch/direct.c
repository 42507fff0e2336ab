// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Direct calls: a pool of ftrace direct-call trampolines for redirections
 * that no transition needs to see any more.
 *
 * The generic handler (patch.c) saves the arguments, looks the function
 * up and consults the stack of versions on every call, because during a
 * transition each task may need a different version.  Between transitions
 * every task runs the top of the stack, so the call site may as well call
 * a trampoline that jumps straight there (asm/livepatch.h).  patch.c
 * decides when a location uses its slot; this file only hands out slots.
 *
 * A slot is one ftrace_ops registered as a direct call at one location,
 * one trampoline, and the word the trampoline reads: its target, zero for
 * "return where the caller of the trampoline said".  Zero is always
 * correct while the location is also in klp_fops' filter, because ftrace
 * then enters the trampoline from its own handler path with the address
 * klp's handler chose; it is also correct with an empty stack, where it
 * means the original function.  patch.c therefore keeps the location
 * traced whenever the target is zero and the stack is not empty.
 *
 * The slots are static, so that ftrace counts their ops as core kernel
 * data: unregistering one costs one text update and no RCU-tasks grace
 * period.  The trampolines live in one page that is never freed.  What
 * ftrace would have waited for, we wait for before a slot is reused: a
 * task may have been interrupted inside its trampoline, about to read the
 * target, so a retired slot cools until such tasks are gone.
 *
 * Rule D in core.h: M for every field but ->target, which the
 * trampoline reads without a lock, and ->shared, which ftrace reads under
 * its own direct_mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/execmem.h>
#include <linux/ftrace.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/set_memory.h>
#include <asm/livepatch.h>
#include "core.h"
#include "direct.h"
#include "patch.h"

#define KLP_DIRECT_SLOTS	(PAGE_SIZE / KLP_ARCH_DIRECT_TRAMP_SIZE)

enum klp_direct_state {
	KLP_DIRECT_FREE,	/* ready for klp_direct_get() */
	KLP_DIRECT_USED,	/* registered at ->loc */
	KLP_DIRECT_COOLING,	/* unregistered; may still be running */
	KLP_DIRECT_SYNCING,	/* cooling, with a wait in progress */
};

struct klp_direct {
	struct ftrace_ops ops;
	unsigned long target;
	unsigned long loc;
	void *tramp;
	bool shared;
	enum klp_direct_state state;
};

static struct klp_direct klp_direct_pool[KLP_DIRECT_SLOTS];
/* The page of trampolines, written once (M). */
static void *klp_direct_code;
/* Slots per state (M). */
static unsigned int klp_direct_count[KLP_DIRECT_SYNCING + 1];

/*
 * ftrace asks before an ops that changes the instruction pointer joins a
 * direct call at the same site.  Only klp_fops may, and only where patch.c
 * said so: anyone else's change would be dropped by a trampoline with a
 * target.
 */
static int klp_direct_share(struct ftrace_ops *fops, enum ftrace_ops_cmd cmd)
{
	struct klp_direct *d = container_of(fops, struct klp_direct, ops);

	switch (cmd) {
	case FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_SELF:
	case FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER:
		return READ_ONCE(d->shared) ? 0 : -EBUSY;
	default:
		return 0;
	}
}

/* Writes every trampoline, then makes the page read-only and executable. */
static int klp_direct_init_code(void)
{
	unsigned int i;
	u8 *code;

	code = execmem_alloc(EXECMEM_FTRACE, PAGE_SIZE);
	if (!code)
		return -ENOMEM;
	for (i = 0; i < KLP_DIRECT_SLOTS; i++) {
		struct klp_direct *d = &klp_direct_pool[i];
		u8 *tramp = code + i * KLP_ARCH_DIRECT_TRAMP_SIZE;

		klp_arch_write_direct_tramp(tramp, tramp, &d->target);
		d->tramp = tramp;
	}
	set_memory_rox((unsigned long)code, 1);
	klp_direct_code = code;
	klp_direct_count[KLP_DIRECT_FREE] = KLP_DIRECT_SLOTS;
	return 0;
}

static void klp_direct_set_state(struct klp_direct *d,
				 enum klp_direct_state state)
{
	klp_direct_count[d->state]--;
	klp_direct_count[state]++;
	d->state = state;
}

/**
 * klp_direct_usable() - may a location be called directly to @target?
 * @target:	the new function
 *
 * Return: whether the architecture's trampoline can jump there.
 */
bool klp_direct_usable(unsigned long target)
{
	return klp_arch_direct_target_ok(target);
}

/**
 * klp_direct_get() - register a direct call at a location
 * @loc:	the ftrace location, which klp_fops must be tracing
 *
 * The slot starts with a zero target, so the location behaves exactly as
 * before: klp's handler decides.
 *
 * Return: the slot, or an ERR_PTR(): -ENOSPC when every slot is in use or
 * cooling, or what ftrace refused with.
 */
struct klp_direct *klp_direct_get(unsigned long loc)
{
	struct klp_direct *d = NULL;
	unsigned int i;
	int ret;

	lockdep_assert_held(&klp_mutex);
	if (!klp_direct_code) {
		ret = klp_direct_init_code();
		if (ret)
			return ERR_PTR(ret);
	}
	for (i = 0; i < KLP_DIRECT_SLOTS && !d; i++)
		if (klp_direct_pool[i].state == KLP_DIRECT_FREE)
			d = &klp_direct_pool[i];
	if (!d)
		return ERR_PTR(-ENOSPC);

	WRITE_ONCE(d->target, 0);
	/* klp_fops holds the location's IPMODIFY right: let it share. */
	WRITE_ONCE(d->shared, true);
	d->ops.ops_func = klp_direct_share;
	ret = ftrace_set_filter_ip(&d->ops, loc, 0, 1);
	if (!ret)
		ret = register_ftrace_direct(&d->ops, (unsigned long)d->tramp);
	if (ret)
		return ERR_PTR(ret);
	/*
	 * Like klp_fops, which may be gone once every location is direct,
	 * refuse "sysctl kernel.ftrace_enabled=0": it would undo the patch
	 * without a word.  register_ftrace_direct() sets the flags; after it,
	 * only updates of this ops change them, and klp_mutex orders those.
	 */
	WRITE_ONCE(d->ops.flags, d->ops.flags | FTRACE_OPS_FL_PERMANENT);
	d->loc = loc;
	klp_direct_set_state(d, KLP_DIRECT_USED);
	return d;
}

/**
 * klp_direct_set_target() - choose where the trampoline goes
 * @d:		a slot in use
 * @target:	the function every task must run, or 0 to let klp's handler
 *		decide (the location must then be traced by klp_fops)
 */
void klp_direct_set_target(struct klp_direct *d, unsigned long target)
{
	WRITE_ONCE(d->target, target);
}

/**
 * klp_direct_set_shared() - may klp_fops change the instruction pointer
 * @d:		a slot in use
 * @shared:	true while klp_fops traces (or is about to trace) the location
 */
void klp_direct_set_shared(struct klp_direct *d, bool shared)
{
	WRITE_ONCE(d->shared, shared);
}

/**
 * klp_direct_put() - remove a direct call
 * @d:	a slot in use, with a zero target
 *
 * The call site is back to what the other ftrace users need.  The slot
 * cools until klp_direct_recycle() has waited for any task still inside
 * the trampoline.
 */
void klp_direct_put(struct klp_direct *d)
{
	int ret;

	lockdep_assert_held(&klp_mutex);
	WARN_ON_ONCE(READ_ONCE(d->target));
	ret = unregister_ftrace_direct(&d->ops, (unsigned long)d->tramp, false);
	if (ret) {
		/* Still registered, as far as we know: never reuse it. */
		pr_warn("failed to remove the direct call at %pS (%d)\n",
			(void *)d->loc, ret);
		return;
	}
	klp_direct_set_state(d, KLP_DIRECT_COOLING);
}

/**
 * klp_direct_recycle_needed() - should klp_direct_recycle() run?
 *
 * Return: true when no slot is free but some are cooling.  Called under M.
 */
bool klp_direct_recycle_needed(void)
{
	lockdep_assert_held(&klp_mutex);
	return klp_direct_code && !klp_direct_count[KLP_DIRECT_FREE] &&
	       klp_direct_count[KLP_DIRECT_COOLING];
}

/* Moves every slot in state @from to @to, under klp_mutex. */
static void klp_direct_move_all(enum klp_direct_state from,
				enum klp_direct_state to)
{
	unsigned int i;

	mutex_lock(&klp_mutex);
	for (i = 0; i < KLP_DIRECT_SLOTS; i++)
		if (klp_direct_pool[i].state == from)
			klp_direct_set_state(&klp_direct_pool[i], to);
	mutex_unlock(&klp_mutex);
}

/**
 * klp_direct_recycle() - free the slots that cooled down
 *
 * Called without klp_mutex, which it takes around its bookkeeping: the
 * wait for tasks that may be inside a trampoline, klp_synchronize_tasks(),
 * is a grace period of RCU-tasks on a preemptible kernel.
 */
void klp_direct_recycle(void)
{
	klp_direct_move_all(KLP_DIRECT_COOLING, KLP_DIRECT_SYNCING);

	klp_synchronize_tasks();

	/* Only the slots that cooled before the wait began. */
	klp_direct_move_all(KLP_DIRECT_SYNCING, KLP_DIRECT_FREE);
}
