/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The consistency engine (transition.c): one transition at a time, for
 * klp_transition_patch, towards klp_target_state.  Every entry point runs
 * under klp_mutex.
 */
#ifndef _LIVEPATCH_TRANSITION_H
#define _LIVEPATCH_TRANSITION_H

#include <linux/livepatch.h>

/* The patch in transition, or NULL; written under M, read with READ_ONCE. */
extern struct klp_patch *klp_transition_patch;

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
/* What the pending_tasks sysfs file shows. */
ssize_t klp_show_pending_tasks(struct klp_patch *patch, char *buf);

#endif /* _LIVEPATCH_TRANSITION_H */
