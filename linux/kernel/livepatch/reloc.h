/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp relocations (reloc.c): the patch module's references to symbols
 * of the objects it patches, resolved when those objects are loaded.
 */
#ifndef _LIVEPATCH_RELOC_H
#define _LIVEPATCH_RELOC_H

#include <linux/livepatch.h>

int klp_check_relocs(struct klp_patch *patch);
int klp_apply_object_relocs(struct klp_patch *patch, struct klp_object *obj);
void klp_clear_object_relocs(struct klp_patch *patch, struct klp_object *obj);

#endif /* _LIVEPATCH_RELOC_H */
