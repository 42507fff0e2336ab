/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The consistency engine (transition.c): one transition at a time, for
 * klp_transition_patch, towards klp_target_state.  Every entry point runs
 * under klp_mutex.
 */
#ifndef _LIVEPATCH_TRANSITION_H
#define _LIVEPATCH_TRANSITION_H

#include <linux/livepatch.h>
#include <linux/workqueue.h>

/* How a task came to switch; see the list at the top of transition.c. */
enum klp_switch_how {
	KLP_SWITCH_WALK,
	KLP_SWITCH_SAFE_POINT,
	KLP_SWITCH_SLEEP,
	KLP_SWITCH_COND_RESCHED,
	KLP_SWITCH_FORCE,
	KLP_SWITCH_SCAN,
};

/* The patch in transition, or NULL; written under M, read with READ_ONCE. */
extern struct klp_patch *klp_transition_patch;
/* The walk that may complete the transition (kick.c queues it sooner). */
extern struct delayed_work klp_transition_work;

/* Setting up: every task in the universe it is leaving. */
void klp_init_transition(struct klp_patch *patch, int state);
/* Asking every task to switch, and finishing when they all have. */
void klp_start_transition(void);
void klp_try_complete_transition(void);
/* Turning back: before the start (cancel) or at any point after it. */
void klp_cancel_transition(void);
void klp_reverse_transition(void);
/* The administrator's override. */
void klp_force_transition(void);
/* current's own check, from the switch points (sleep.c). */
bool klp_try_switch_current(enum klp_switch_how how);
#ifdef CONFIG_LIVEPATCH_TRANSITION_INFO
/* What the pending_tasks sysfs file shows. */
ssize_t klp_show_pending_tasks(struct klp_patch *patch, char *buf);
#endif

#endif /* _LIVEPATCH_TRANSITION_H */
