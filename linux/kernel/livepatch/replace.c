// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Atomic replace: a patch with ->replace set takes over from every patch
 * enabled before it.
 *
 * Functions that the older patches changed and the new one does not get
 * "nop" entries in the new patch: generated klp_func (and klp_object where
 * needed) whose new_func is the original function.  During the transition
 * the nops keep tasks that switched on the original code; when it
 * completes the older patches are unpatched and retired and the nops,
 * having nothing left to cover for, are dropped.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include "core.h"
#include "patch.h"
#include "replace.h"

static struct klp_object *klp_alloc_object_dynamic(struct klp_patch *patch,
						   const char *name)
{
	struct klp_object *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return NULL;
	if (name) {
		obj->name = kstrdup(name, GFP_KERNEL);
		if (!obj->name) {
			kfree(obj);
			return NULL;
		}
	}
	obj->dynamic = true;
	klp_init_object_early(patch, obj);
	return obj;
}

static struct klp_func *klp_alloc_func_nop(struct klp_object *obj,
					   struct klp_func *old_func)
{
	struct klp_func *func = kzalloc(sizeof(*func), GFP_KERNEL);

	if (!func)
		return NULL;
	func->old_name = kstrdup(old_func->old_name, GFP_KERNEL);
	if (!func->old_name) {
		kfree(func);
		return NULL;
	}
	func->old_sympos = old_func->old_sympos;
	/* new_func is set to the original once the symbol is resolved. */
	func->nop = true;
	klp_init_func_early(obj, func);
	return func;
}

/*
 * Gives @patch a nop entry for every function that an enabled patch
 * changes and @patch does not, so that once @patch has replaced them all
 * those functions run their original code again.
 */
int klp_add_nops(struct klp_patch *patch)
{
	struct klp_patch *old_patch;
	struct klp_object *old_obj, *obj;
	struct klp_func *old_func;

	klp_for_each_patch(old_patch) {
		klp_for_each_object(old_patch, old_obj) {
			obj = klp_find_object(patch, old_obj);
			if (!obj)
				obj = klp_alloc_object_dynamic(patch, old_obj->name);
			if (!obj)
				return -ENOMEM;

			klp_for_each_func(old_obj, old_func) {
				if (klp_find_func(obj, old_func))
					continue;
				if (!klp_alloc_func_nop(obj, old_func))
					return -ENOMEM;
			}
		}
	}
	return 0;
}

/* Once every task runs @new_patch, the patches it replaces step aside. */
void klp_unpatch_replaced_patches(struct klp_patch *new_patch)
{
	struct klp_patch *old_patch;

	klp_for_each_patch(old_patch) {
		if (old_patch == new_patch)
			return;
		old_patch->enabled = false;
		klp_unpatch_objects(old_patch);
	}
}

/* ...and the nop entries, which only covered for them, go too. */
void klp_discard_nops(struct klp_patch *new_patch)
{
	klp_unpatch_objects_dynamic(new_patch);
	klp_free_objects(new_patch, true);
}

/* Finally the replaced patches leave klp_patches: freed, or parked. */
void klp_retire_replaced_patches(struct klp_patch *new_patch)
{
	struct klp_patch *old_patch, *tmp;

	list_for_each_entry_safe(old_patch, tmp, &klp_patches, list) {
		if (old_patch == new_patch)
			return;
		klp_retire_patch(old_patch);
	}
}
