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
 * Kicks are held while the holder of klp_mutex is about to walk or is
 * walking: from the start of a transition, whose first walk follows, and
 * from the start of every walk to its end.  A held kick is only noted;
 * the walk's end queues the walk it asked for, if tasks are still
 * pending.  Queued at once, the work would wait for klp_mutex in a
 * kworker, and with MUTEX_SPIN_ON_OWNER it waits spinning, on a CPU, for
 * as long as the walk runs: a walk of ten thousand stacks would share the
 * machine with a spinner that cannot get anywhere.
 *
 * klp_walk_ns, klp_walk_end and klp_kick_held are written under klp_mutex
 * and read racily by the kick, for which any recent value of the first
 * two will do.  klp_kick_held and klp_kicked follow rule K:
 *
 *   K  the kick sets klp_kicked and then reads klp_kick_held; the end of a
 *      hold clears klp_kick_held and then reads and clears klp_kicked,
 *      with a full barrier between on each side.  One of the two sees the
 *      other's write, so no kick is lost between them: either the kick
 *      finds no hold and queues the walk itself, or the hold's end finds
 *      the note.  Both may happen: a kick that queued its walk itself
 *      leaves its note behind, and the next hold's end, if tasks are
 *      still pending, queues one walk more than needed; never one less.
 *      test-kick-race.sh stalls each side before and after its first step
 *      while the other side runs, and checks that a walk is queued.
 */
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/workqueue.h>
#include "core.h"
#include "kick.h"
#include "transition.h"

/* Walks kicked by events are spaced by this many times a walk's cost. */
#define KLP_WALK_SPACING	4

static u64 klp_walk_ns;
static unsigned long klp_walk_end;
static bool klp_kick_held;
static int klp_kicked;		/* an int: xchg() on every arch */

/* Queue the walk, no sooner than the spacing after the last one. */
static void klp_queue_walk(void)
{
	unsigned long spacing, next, delay = 0;

	spacing = nsecs_to_jiffies(KLP_WALK_SPACING * READ_ONCE(klp_walk_ns));
	next = READ_ONCE(klp_walk_end) + spacing;
	if (spacing && time_before(jiffies, next))
		delay = next - jiffies;
	mod_delayed_work(system_wq, &klp_transition_work, delay);
}

/*
 * The kick's half of rule K.  Out of line, as klp_kick_take_note() is, so
 * that test-kick-race.sh can stall either side of K while the other side
 * runs: the kick just before or just after its note, the end of a hold
 * just before or just after it takes the note.
 */
static noinline __noclone void klp_kick_note(void)
{
	WRITE_ONCE(klp_kicked, 1);
	/* K: the note before the hold is read. */
	smp_mb();
}

/* Runs in hard interrupt context; only queues the walk. */
static void klp_kick_fn(struct irq_work *work)
{
	klp_kick_note();
	if (READ_ONCE(klp_kick_held))
		return;
	klp_queue_walk();
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
 * klp_kick_hold() - the caller walks next: note kicks, queue no walk
 *
 * Ended by klp_kick_walk_done() or klp_kick_release().
 *
 * Context: klp_mutex held.
 */
void klp_kick_hold(void)
{
	lockdep_assert_held(&klp_mutex);
	WRITE_ONCE(klp_kick_held, true);
}

/* The hold's half of rule K, once the hold is over (see klp_kick_note()). */
static noinline __noclone void klp_kick_take_note(bool wanted)
{
	/* K: xchg() orders the hold's end before the note is read. */
	if (xchg(&klp_kicked, 0) && wanted)
		klp_queue_walk();
}

/* End a hold; queue the walk that kicks asked for meanwhile if @wanted. */
static void klp_kick_unhold(bool wanted)
{
	WRITE_ONCE(klp_kick_held, false);
	klp_kick_take_note(wanted);
}

/**
 * klp_kick_release() - end a hold without a walk
 *
 * The walk that kicks asked for meanwhile is queued.
 *
 * Context: klp_mutex held.
 */
void klp_kick_release(void)
{
	lockdep_assert_held(&klp_mutex);
	klp_kick_unhold(true);
}

/**
 * klp_kick_walk_done() - a walk has ended: space the next kicked one
 * @ns:		how long the walk took
 * @pending:	how many tasks it left behind
 *
 * Ends the hold.  If tasks are still pending, the walk that kicks asked
 * for during this one is queued.
 *
 * Context: klp_mutex held.
 */
void klp_kick_walk_done(u64 ns, unsigned int pending)
{
	lockdep_assert_held(&klp_mutex);
	WRITE_ONCE(klp_walk_ns, ns);
	WRITE_ONCE(klp_walk_end, jiffies);
	klp_kick_unhold(pending);
}
