// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The code a transition retires, sorted by address, for the stack check.
 *
 * A task may switch only if no return address on its stack lies in code
 * that it leaves behind: for each function of the patch in transition,
 * the version it runs now (the original, the version of the patch below,
 * or, when unpatching, this patch's own).  The sleep-time check runs on
 * every context switch of a pending task, with interrupts off and the
 * runqueue lock held; comparing each of up to a hundred return addresses
 * with each of a thousand functions would cost O(functions x depth) on
 * every such switch.  So the ranges are collected once, when a transition
 * starts, into one sorted array per direction, and each return address
 * costs a binary search: O(depth x log functions).
 *
 * Rules (core.h): the table is built and replaced under klp_mutex (M),
 * when a transition starts or reverses and when a module that the patch
 * in transition covers comes or goes; it is read under RCU or with
 * interrupts off (R), and a replaced table is freed after a grace period.
 * Readers without klp_mutex use only the addresses: an entry's ->func may
 * be freed once its module went, so only callers holding klp_mutex (the
 * walks, pending_tasks), for which the table is current, read the
 * blocker's name through it.  Between a module's functions being popped
 * and the rebuild that follows under the same lock, their ranges can only
 * make the check more careful.  If the table cannot be allocated, a walk
 * (under klp_mutex) compares against every function, as it would without
 * one, and a task checking its own stack leaves the check to the walks.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include "core.h"
#include "patch.h"
#include "ranges.h"

/**
 * struct klp_range - the code one func of the transition leaves behind
 * @start:	first byte
 * @end:	one past the last byte
 * @func:	the func; dereferenced only under klp_mutex (see above)
 */
struct klp_range {
	unsigned long start;
	unsigned long end;
	const struct klp_func *func;
};

/**
 * struct klp_ranges - the ranges of the patch in transition
 * @rcu:	frees a replaced table after readers are done
 * @nr:		ranges per direction
 * @lo:		per direction, the lowest address of any range (patching,
 *		then unpatching), for klp_ranges_scan() to skip most words
 * @hi:		per direction, one past the highest address of any range
 * @r:		@nr ranges left behind when patching, sorted by @start,
 *		then @nr left behind when unpatching, sorted the same way
 */
struct klp_ranges {
	struct rcu_head rcu;
	unsigned int nr;
	unsigned long lo[2], hi[2];
	struct klp_range r[];
};

/* M to replace, R to read. */
static struct klp_ranges __rcu *klp_ranges;

/**
 * klp_func_leaving() - the code a task leaves when @func switches it
 * @func:	a func of the patch in transition
 * @target:	the transition's target state
 * @start:	set to the code's first byte
 * @size:	set to the code's size
 *
 * Context: under klp_mutex: the func's klp_ops is looked up.
 * Return: false if @func was popped (its module went): it retires nothing.
 */
bool klp_func_leaving(const struct klp_func *func, int target,
		      unsigned long *start, unsigned long *size)
{
	struct klp_ops *ops = klp_func_ops(func);
	const struct klp_func *below;

	if (!ops)
		return false;
	if (target == KLP_TRANSITION_UNPATCHED) {
		/* This patch's version (the original, for a nop). */
		*start = (unsigned long)func->new_func;
		*size = func->new_size;
	} else if (list_is_last(&func->stack_node, &ops->stack)) {
		/* The original. */
		*start = (unsigned long)func->old_func;
		*size = func->old_size;
	} else {
		/* The version of the patch below. */
		below = list_next_entry(func, stack_node);
		*start = (unsigned long)below->new_func;
		*size = below->new_size;
	}
	return true;
}

static int klp_range_cmp(const void *a, const void *b)
{
	const struct klp_range *ra = a, *rb = b;

	if (ra->start != rb->start)
		return ra->start < rb->start ? -1 : 1;
	return 0;
}

/* Fills @r with the range of @func, which is on a stack, towards @target. */
static void klp_range_fill(struct klp_range *r, const struct klp_func *func,
			   int target)
{
	unsigned long start = 0, size = 0;

	klp_func_leaving(func, target, &start, &size);
	r->start = start;
	r->end = start + size;
	r->func = func;
}

/* Sets the bounds of each direction; an empty range widens nothing. */
static void klp_ranges_bound(struct klp_ranges *t)
{
	const struct klp_range *r;
	unsigned int d, i;

	for (d = 0; d < 2; d++) {
		t->lo[d] = ULONG_MAX;
		t->hi[d] = 0;
		for (i = 0; i < t->nr; i++) {
			r = &t->r[d * t->nr + i];
			if (r->start >= r->end)
				continue;
			t->lo[d] = min(t->lo[d], r->start);
			t->hi[d] = max(t->hi[d], r->end);
		}
	}
}

/**
 * klp_ranges_update() - (re)build the table for @patch, in transition
 * @patch:	the patch in transition, its objects patched
 *
 * Called under klp_mutex when the transition starts or reverses, and when
 * a module it covers came or went.  On allocation failure the check falls
 * back to comparing against every function.
 */
void klp_ranges_update(struct klp_patch *patch)
{
	struct klp_ranges *new = NULL, *old;
	struct klp_object *obj;
	struct klp_func *func;
	unsigned int n = 0, i = 0;

	lockdep_assert_held(&klp_mutex);
	klp_for_each_object(patch, obj)
		if (obj->patched)
			klp_for_each_func(obj, func)
				n += func->patched;

	if (n)
		new = kvmalloc(struct_size(new, r, 2 * n), GFP_KERNEL);
	if (new) {
		/* Nothing pops a func under klp_mutex: still @n of them. */
		klp_for_each_object(patch, obj) {
			if (!obj->patched)
				continue;
			klp_for_each_func(obj, func) {
				if (!func->patched)
					continue;
				klp_range_fill(&new->r[i], func,
					       KLP_TRANSITION_PATCHED);
				klp_range_fill(&new->r[n + i], func,
					       KLP_TRANSITION_UNPATCHED);
				i++;
			}
		}
		new->nr = n;
		sort(new->r, n, sizeof(new->r[0]), klp_range_cmp, NULL);
		sort(new->r + n, n, sizeof(new->r[0]), klp_range_cmp, NULL);
		klp_ranges_bound(new);
	}

	old = rcu_replace_pointer(klp_ranges, new,
				  lockdep_is_held(&klp_mutex));
	if (old)
		kvfree_rcu(old, rcu);
}

/**
 * klp_ranges_clear() - the transition is over: drop its table
 *
 * Called under klp_mutex.
 */
void klp_ranges_clear(void)
{
	struct klp_ranges *old;

	old = rcu_replace_pointer(klp_ranges, NULL,
				  lockdep_is_held(&klp_mutex));
	if (old)
		kvfree_rcu(old, rcu);
}

/* The range of @half (@nr of them, sorted) holding @addr, or NULL. */
static const struct klp_range *klp_range_find(const struct klp_range *half,
					      unsigned int nr,
					      unsigned long addr)
{
	unsigned int lo = 0, hi = nr, mid, k;
	unsigned long start;

	/* lo: how many ranges start at or before @addr. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (half[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	/*
	 * Code of different functions does not overlap; only ranges with
	 * the same start (one new function for two old ones) can.
	 */
	start = half[lo - 1].start;
	for (k = lo; k > 0 && half[k - 1].start == start; k--)
		if (addr < half[k - 1].end)
			return &half[k - 1];
	return NULL;
}

/**
 * klp_ranges_check() - does a stack hold code the transition retires?
 * @entries:	the stack's return addresses
 * @nr:		how many
 * @target:	the transition's target state
 * @blocker:	set to the func whose code was found; see "Rules" above
 *
 * Context: under RCU or with interrupts off.
 *
 * Return: 1 if one of @entries is in such code, 0 if none is, -ENOENT if
 * there is no table (the caller compares against every function).
 */
int klp_ranges_check(const unsigned long *entries, unsigned int nr,
		     int target, const struct klp_func **blocker)
{
	const struct klp_ranges *t;
	const struct klp_range *half, *r;
	unsigned int i, n;

	t = rcu_dereference_check(klp_ranges, rcu_read_lock_any_held());
	if (!t)
		return -ENOENT;
	n = t->nr;
	half = t->r;
	if (target == KLP_TRANSITION_UNPATCHED)
		half += n;
	for (i = 0; i < nr; i++) {
		r = klp_range_find(half, n, entries[i]);
		if (r) {
			*blocker = r->func;
			return 1;
		}
	}
	return 0;
}

#ifdef CONFIG_LIVEPATCH_STACK_SCAN
/**
 * klp_ranges_scan() - does any word of a stack hold code the transition retires?
 * @lo:		the first word
 * @hi:		one past the last word
 * @target:	the transition's target state
 *
 * Reads every word between @lo and @hi, whatever it is, and looks it up
 * like a return address: the shortcut of the walks (transition.c, "The
 * stack scan").  The words are another task's stack, redzones included,
 * hence READ_ONCE_NOCHECK().
 *
 * Context: under RCU or with interrupts off, the stack pinned.
 *
 * Return: 1 if a word is in such code, 0 if none is, -ENOENT if there is
 * no table.
 */
int klp_ranges_scan(const unsigned long *lo, const unsigned long *hi,
		    int target)
{
	const struct klp_ranges *t;
	const struct klp_range *half;
	unsigned long w, min, max;
	int d = target == KLP_TRANSITION_UNPATCHED;

	t = rcu_dereference_check(klp_ranges, rcu_read_lock_any_held());
	if (!t)
		return -ENOENT;
	half = t->r + d * t->nr;
	min = t->lo[d];
	max = t->hi[d];
	for (; lo < hi; lo++) {
		w = READ_ONCE_NOCHECK(*lo);
		if (w < min || w >= max)
			continue;
		if (klp_range_find(half, t->nr, w))
			return 1;
	}
	return 0;
}
#endif
