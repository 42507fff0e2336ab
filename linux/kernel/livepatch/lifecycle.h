/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The opt-in lifecycle of registered patches (lifecycle.c), with
 * CONFIG_LIVEPATCH_LIFECYCLE_API.  Without it no patch is ever registered,
 * and these say so.
 */
#ifndef _LIVEPATCH_LIFECYCLE_H
#define _LIVEPATCH_LIFECYCLE_H

#include <linux/livepatch.h>

#ifdef CONFIG_LIVEPATCH_LIFECYCLE_API
/* Under klp_mutex. */
bool klp_is_registered(const struct klp_patch *patch);
int klp_enable_registered_patch(struct klp_patch *patch);
void klp_park_patch(struct klp_patch *patch);
/* Without klp_mutex. */
bool klp_enable_if_registered(struct klp_patch *patch, int *ret);
void klp_unregister_leftovers(struct module *mod);
#else
static inline bool klp_is_registered(const struct klp_patch *patch)
{
	return false;
}

/* Reached only for a registered patch. */
static inline int klp_enable_registered_patch(struct klp_patch *patch)
{
	return -EINVAL;
}

static inline void klp_park_patch(struct klp_patch *patch)
{
}

static inline bool klp_enable_if_registered(struct klp_patch *patch, int *ret)
{
	return false;
}

static inline void klp_unregister_leftovers(struct module *mod)
{
}
#endif /* CONFIG_LIVEPATCH_LIFECYCLE_API */

#endif /* _LIVEPATCH_LIFECYCLE_H */
