/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Atomic replace (replace.c).  Everything runs under klp_mutex.
 */
#ifndef _LIVEPATCH_REPLACE_H
#define _LIVEPATCH_REPLACE_H

#include <linux/livepatch.h>

/* Before the new patch is initialised: nops for what it leaves out. */
int klp_add_nops(struct klp_patch *patch);
/* When its patching transition completes, in this order. */
void klp_unpatch_replaced_patches(struct klp_patch *new_patch);
void klp_discard_nops(struct klp_patch *new_patch);
void klp_retire_replaced_patches(struct klp_patch *new_patch);

#endif /* _LIVEPATCH_REPLACE_H */
