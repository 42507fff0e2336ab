/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The opt-in lifecycle of registered patches (lifecycle.c).
 */
#ifndef _LIVEPATCH_LIFECYCLE_H
#define _LIVEPATCH_LIFECYCLE_H

#include <linux/livepatch.h>

/* Under klp_mutex. */
bool klp_is_registered(const struct klp_patch *patch);
int klp_enable_registered_patch(struct klp_patch *patch);
void klp_park_patch(struct klp_patch *patch);
/* Without klp_mutex. */
bool klp_enable_if_registered(struct klp_patch *patch, int *ret);
void klp_unregister_leftovers(struct module *mod);

#endif /* _LIVEPATCH_LIFECYCLE_H */
