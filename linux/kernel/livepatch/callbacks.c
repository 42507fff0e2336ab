// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running the author's callbacks around the patching of an object.
 *
 * pre_patch may refuse; post_unpatch then must not run, because there is
 * nothing for it to undo.  Every other hook runs exactly once per pass of
 * the object through patching and unpatching.
 */
#include "callbacks.h"

int klp_pre_patch_callback(struct klp_object *obj)
{
	int ret = 0;

	if (obj->callbacks.pre_patch)
		ret = obj->callbacks.pre_patch(obj);
	obj->callbacks.post_unpatch_enabled = !ret;
	return ret;
}

void klp_post_patch_callback(struct klp_object *obj)
{
	if (obj->callbacks.post_patch)
		obj->callbacks.post_patch(obj);
}

void klp_pre_unpatch_callback(struct klp_object *obj)
{
	if (obj->callbacks.pre_unpatch)
		obj->callbacks.pre_unpatch(obj);
}

void klp_post_unpatch_callback(struct klp_object *obj)
{
	if (obj->callbacks.post_unpatch_enabled && obj->callbacks.post_unpatch)
		obj->callbacks.post_unpatch(obj);
	obj->callbacks.post_unpatch_enabled = false;
}
