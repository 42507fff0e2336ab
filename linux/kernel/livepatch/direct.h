/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pool of direct-call trampolines (direct.c).
 */
#ifndef _LIVEPATCH_DIRECT_H
#define _LIVEPATCH_DIRECT_H

#include <linux/err.h>
#include <linux/types.h>

struct klp_direct;

#ifdef CONFIG_LIVEPATCH_DIRECT_CALLS
bool klp_direct_usable(unsigned long target);
struct klp_direct *klp_direct_get(unsigned long loc);
void klp_direct_set_target(struct klp_direct *d, unsigned long target);
void klp_direct_set_shared(struct klp_direct *d, bool shared);
void klp_direct_put(struct klp_direct *d);
bool klp_direct_recycle_needed(void);
void klp_direct_recycle(void);
#else
static inline bool klp_direct_usable(unsigned long target) { return false; }
static inline struct klp_direct *klp_direct_get(unsigned long loc)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline void klp_direct_set_target(struct klp_direct *d,
					 unsigned long target) {}
static inline void klp_direct_set_shared(struct klp_direct *d, bool shared) {}
static inline void klp_direct_put(struct klp_direct *d) {}
static inline bool klp_direct_recycle_needed(void) { return false; }
static inline void klp_direct_recycle(void) {}
#endif

#endif /* _LIVEPATCH_DIRECT_H */
