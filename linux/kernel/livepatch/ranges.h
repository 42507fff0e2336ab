/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The code a transition retires, sorted for the stack check (ranges.c).
 */
#ifndef _LIVEPATCH_RANGES_H
#define _LIVEPATCH_RANGES_H

#include <linux/livepatch.h>

bool klp_func_leaving(const struct klp_func *func, int target,
		      unsigned long *start, unsigned long *size);
void klp_ranges_update(struct klp_patch *patch);
void klp_ranges_clear(void);
int klp_ranges_check(const unsigned long *entries, unsigned int nr,
		     int target, const struct klp_func **blocker);
#ifdef CONFIG_LIVEPATCH_STACK_SCAN
int klp_ranges_scan(const unsigned long *lo, const unsigned long *hi,
		    int target);
#endif

#endif /* _LIVEPATCH_RANGES_H */
