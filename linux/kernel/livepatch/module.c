// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Following modules as they come and go.
 *
 * An object of a patch may be a module that is not loaded when the patch
 * is enabled.  The module loader calls klp_module_coming() once the module
 * is formed but before any of its code runs, and klp_module_going() after
 * its exit function; in between, the module's functions are redirected
 * like those of vmlinux.  Both take klp_mutex, so they are ordered with
 * enabling, disabling and transitions; mod->klp_alive tells
 * klp_enable_patch() which modules are its business and which the hooks'.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/string.h>
#include "callbacks.h"
#include "core.h"
#include "lifecycle.h"
#include "patch.h"
#include "ranges.h"
#include "transition.h"

/* The object of @patch that stands for module @name, if any. */
static struct klp_object *klp_module_object(struct klp_patch *patch,
					    const char *name)
{
	struct klp_object *obj;

	klp_for_each_object(patch, obj)
		if (klp_is_module(obj) && !strcmp(obj->name, name))
			return obj;
	return NULL;
}

/*
 * Undo what klp_module_coming() did for @mod, in every patch before
 * @limit (all patches if NULL).
 */
static void klp_revert_module(struct module *mod, struct klp_patch *limit)
{
	struct klp_patch *patch;
	struct klp_object *obj;

	klp_for_each_patch(patch) {
		if (patch == limit)
			break;
		obj = klp_module_object(patch, mod->name);
		if (!obj || obj->mod != mod)
			continue;

		/* Still in transition, post_patch has not run: no pre_unpatch. */
		if (patch != klp_transition_patch)
			klp_pre_unpatch_callback(obj);
		pr_notice("reverting patch '%s' on unloading module '%s'\n",
			  patch->mod->name, mod->name);
		klp_unpatch_object(obj);
		klp_post_unpatch_callback(obj);
		klp_free_object_loaded(patch, obj);
	}
}

/*
 * Patches @obj of @patch for @mod, which is coming, and logs any failure.
 * On failure the object is left as if the module had not come.
 */
static int klp_patch_coming_object(struct klp_patch *patch,
				   struct klp_object *obj, struct module *mod)
{
	int ret;

	obj->mod = mod;
	ret = klp_init_object_loaded(patch, obj);
	if (ret) {
		pr_warn("failed to initialize patch '%s' for module '%s' (%d)\n",
			patch->mod->name, mod->name, ret);
		return ret;
	}

	pr_notice("applying patch '%s' to loading module '%s'\n",
		  patch->mod->name, mod->name);
	ret = klp_pre_patch_callback(obj);
	if (ret) {
		pr_warn("pre-patch callback failed for object '%s'\n", obj->name);
		goto undo;
	}
	ret = klp_patch_object(patch, obj);
	if (ret) {
		pr_warn("failed to apply patch '%s' to module '%s' (%d)\n",
			patch->mod->name, mod->name, ret);
		/* Pairs with the pre_patch that succeeded. */
		klp_post_unpatch_callback(obj);
		goto undo;
	}

	/* A patch in transition runs post_patch when it completes. */
	if (patch != klp_transition_patch)
		klp_post_patch_callback(obj);
	return 0;

undo:
	klp_free_object_loaded(patch, obj);
	return ret;
}

/**
 * klp_module_coming() - patch a module as it loads
 * @mod:	the module, fully formed, about to run its init
 *
 * Every enabled patch with an object for @mod gets it patched now, before
 * any of the module's code runs.  If one fails, the patches applied before
 * it are reverted and the module is refused.
 *
 * Return: 0, or an error that makes the loader refuse the module.
 */
int klp_module_coming(struct module *mod)
{
	struct klp_patch *patch;
	struct klp_object *obj;
	int ret = 0;

	if (WARN_ON(mod->state != MODULE_STATE_COMING))
		return -EINVAL;
	if (!strcmp(mod->name, "vmlinux")) {
		pr_err("vmlinux.ko: invalid module name\n");
		return -EINVAL;
	}

	mutex_lock(&klp_mutex);
	/* From now on klp_enable_patch() treats the module as loaded. */
	mod->klp_alive = true;

	klp_for_each_patch(patch) {
		obj = klp_module_object(patch, mod->name);
		if (!obj)
			continue;
		ret = klp_patch_coming_object(patch, obj, mod);
		if (ret) {
			pr_warn("patch '%s' failed for module '%s', refusing to load module '%s'\n",
				patch->mod->name, mod->name, mod->name);
			mod->klp_alive = false;
			klp_revert_module(mod, patch);
			break;
		}
	}
	/* Its new redirections may skip the handler too, if settled. */
	if (!ret)
		klp_settle();
	/* The stack check follows the functions of a transition. */
	if (klp_transition_patch)
		klp_ranges_update(klp_transition_patch);

	mutex_unlock(&klp_mutex);
	return ret;
}

/**
 * klp_module_going() - unpatch a module as it leaves
 * @mod:	the module, its exit function done
 */
void klp_module_going(struct module *mod)
{
	if (WARN_ON(mod->state != MODULE_STATE_GOING &&
		    mod->state != MODULE_STATE_COMING))
		return;

	mutex_lock(&klp_mutex);
	mod->klp_alive = false;
	klp_revert_module(mod, NULL);
	if (klp_transition_patch)
		klp_ranges_update(klp_transition_patch);
	mutex_unlock(&klp_mutex);

	/* A patch module whose exit forgot klp_unregister_patch(). */
	klp_unregister_leftovers(mod);
}
