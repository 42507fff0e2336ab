// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Event-driven completion (CONFIG_LIVEPATCH_EVENT_COMPLETION).
 *
 * A transition is complete when a walk finds no task left behind.  Without
 * this file the walk is retried every second, as upstream does, and a
 * transition whose last task switched just after a walk waits out the
 * rest of that second.  Here every task that switches itself kicks the
 * transition work (klp_kick_transition()), so the walk that completes the
 * transition runs right after the last task switched.  The kick comes from
 * any context, the scheduler's included, so it goes through an irq_work;
 * kicks that arrive while a walk is queued or running collapse into one
 * more walk, and walks are spaced by a few times their own cost so that a
 * stream of switching tasks cannot keep a CPU busy walking.  The one-second
 * retry remains as the safety net for tasks that leave no event behind,
 * e.g. those that exit while pending.
 *
 * klp_walk_ns and klp_walk_end are written by the walks, under klp_mutex,
 * and read racily by the kick, for which any recent value will do.
 */
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/workqueue.h>
#include "kick.h"
#include "transition.h"

/* Walks kicked by events are spaced by this many times a walk's cost. */
#define KLP_WALK_SPACING	4

static u64 klp_walk_ns;
static unsigned long klp_walk_end;

/* Runs in hard interrupt context; only queues the walk. */
static void klp_kick_fn(struct irq_work *work)
{
	unsigned long spacing, next, delay = 0;

	spacing = nsecs_to_jiffies(KLP_WALK_SPACING * READ_ONCE(klp_walk_ns));
	next = READ_ONCE(klp_walk_end) + spacing;
	if (spacing && time_before(jiffies, next))
		delay = next - jiffies;
	mod_delayed_work(system_wq, &klp_transition_work, delay);
}

static DEFINE_IRQ_WORK(klp_kick_work, klp_kick_fn);

/**
 * klp_kick_transition() - a task has switched: the transition may be complete
 *
 * Callable from any context, with the runqueue lock held included, hence
 * the irq_work.
 */
void klp_kick_transition(void)
{
	irq_work_queue(&klp_kick_work);
}

/**
 * klp_kick_walk_done() - a walk has ended: space the next kicked one
 * @ns:		how long the walk took
 *
 * Context: klp_mutex held.
 */
void klp_kick_walk_done(u64 ns)
{
	WRITE_ONCE(klp_walk_ns, ns);
	WRITE_ONCE(klp_walk_end, jiffies);
}
