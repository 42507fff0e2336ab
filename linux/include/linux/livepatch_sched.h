/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scheduler hooks of the live patching consistency engine.
 *
 * A kernel thread that never sleeps and never returns to user space still
 * passes through cond_resched().  While a transition is in progress the
 * engine arms a hook there so that such a thread can check, at that safe
 * point, whether it may move to the target patch state.
 *
 * How the hook is armed depends on how cond_resched() is built.  With
 * PREEMPT_DYNAMIC on a static-call architecture the scheduler owns the
 * cond_resched static call: the engine asks it to route the call through
 * __klp_sched_try_switch() (sched_dynamic_klp_enable()), and
 * klp_sched_try_switch() is not used.  Everywhere else cond_resched()
 * calls klp_sched_try_switch(), which costs one patched-out jump until a
 * transition turns klp_sched_try_switch_key on.
 */
#ifndef _LINUX_LIVEPATCH_SCHED_H_
#define _LINUX_LIVEPATCH_SCHED_H_

#include <linux/jump_label.h>
#include <linux/static_call_types.h>

#if !defined(CONFIG_LIVEPATCH)
static inline void __klp_sched_try_switch(void) {}
static inline void klp_sched_try_switch(void) {}
#else
void __klp_sched_try_switch(void);
#if !defined(CONFIG_PREEMPT_DYNAMIC) || !defined(CONFIG_HAVE_PREEMPT_DYNAMIC_CALL)
DECLARE_STATIC_KEY_FALSE(klp_sched_try_switch_key);

static __always_inline void klp_sched_try_switch(void)
{
	if (static_branch_unlikely(&klp_sched_try_switch_key))
		__klp_sched_try_switch();
}
#endif
#endif /* CONFIG_LIVEPATCH */

#endif /* _LINUX_LIVEPATCH_SCHED_H_ */
