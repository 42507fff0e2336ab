/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The author's per-object callbacks (callbacks.c).  Called under klp_mutex
 * for loaded objects only.
 */
#ifndef _LIVEPATCH_CALLBACKS_H
#define _LIVEPATCH_CALLBACKS_H

#include <linux/livepatch.h>

int klp_pre_patch_callback(struct klp_object *obj);
void klp_post_patch_callback(struct klp_object *obj);
void klp_pre_unpatch_callback(struct klp_object *obj);
void klp_post_unpatch_callback(struct klp_object *obj);

#endif /* _LIVEPATCH_CALLBACKS_H */
