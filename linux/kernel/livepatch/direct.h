/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of direct calls (direct.c).
 */
#ifndef _LIVEPATCH_DIRECT_H
#define _LIVEPATCH_DIRECT_H

#include <linux/types.h>

#ifdef CONFIG_LIVEPATCH_DIRECT_CALLS
unsigned long klp_direct_trampoline(void);
bool klp_direct_set(unsigned long loc, unsigned long target);
void klp_direct_clear(unsigned long loc);
#else
static inline unsigned long klp_direct_trampoline(void) { return 0; }
static inline bool klp_direct_set(unsigned long loc, unsigned long target)
{
	return false;
}

static inline void klp_direct_clear(unsigned long loc) {}
#endif

#endif /* _LIVEPATCH_DIRECT_H */
