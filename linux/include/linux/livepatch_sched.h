/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scheduler hooks of the live patching consistency engine.
 *
 * A kernel thread that never sleeps and never returns to user space still
 * passes through cond_resched().  While a transition is in progress the
 * engine arms these hooks so that such a thread can check, at that safe
 * point, whether it may move to the target patch state.
 *
 * Which hook the scheduler calls depends on how cond_resched() is built:
 * with PREEMPT_DYNAMIC on a static-call architecture, the scheduler swaps
 * its cond_resched static call (sched_dynamic_klp_enable()) and calls
 * __klp_sched_try_switch() directly; everywhere else cond_resched() calls
 * klp_sched_try_switch(), which costs one patched-out jump until a
 * transition turns klp_sched_try_switch_key on.
 */
#ifndef _LINUX_LIVEPATCH_SCHED_H_
#define _LINUX_LIVEPATCH_SCHED_H_

#include <linux/jump_label.h>
#include <linux/static_call_types.h>

#ifdef CONFIG_LIVEPATCH

void __klp_sched_try_switch(void);

#if !defined(CONFIG_PREEMPT_DYNAMIC) || !defined(CONFIG_HAVE_PREEMPT_DYNAMIC_CALL)

DECLARE_STATIC_KEY_FALSE(klp_sched_try_switch_key);

static __always_inline void klp_sched_try_switch(void)
{
	if (static_branch_unlikely(&klp_sched_try_switch_key))
		__klp_sched_try_switch();
}

#endif /* !CONFIG_PREEMPT_DYNAMIC || !CONFIG_HAVE_PREEMPT_DYNAMIC_CALL */

#else /* !CONFIG_LIVEPATCH */

static inline void klp_sched_try_switch(void) {}
static inline void __klp_sched_try_switch(void) {}

#endif /* CONFIG_LIVEPATCH */

#endif /* _LINUX_LIVEPATCH_SCHED_H_ */
