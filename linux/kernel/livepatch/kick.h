/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Event-driven completion (kick.c).  Without it the transition work's
 * one-second retry completes transitions, as upstream's does.
 */
#ifndef _LIVEPATCH_KICK_H
#define _LIVEPATCH_KICK_H

#include <linux/types.h>

#ifdef CONFIG_LIVEPATCH_EVENT_COMPLETION
void klp_kick_transition(void);
void klp_kick_hold(void);
void klp_kick_release(void);
void klp_kick_walk_done(u64 ns, unsigned int pending);
#else
static inline void klp_kick_transition(void)
{
}

static inline void klp_kick_hold(void)
{
}

static inline void klp_kick_release(void)
{
}

static inline void klp_kick_walk_done(u64 ns, unsigned int pending)
{
}
#endif /* CONFIG_LIVEPATCH_EVENT_COMPLETION */

#endif /* _LIVEPATCH_KICK_H */
