// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Registered patches: the four-step lifecycle, as an opt-in.
 *
 * A patch handed to klp_enable_patch() directly is built, enabled, and
 * freed once disabled; to come back it must be loaded again.  A patch
 * handed to klp_register_patch() first is built and kept:
 *
 *   klp_register_patch()      sysfs appears, enabled reads 0, no code touched
 *   klp_enable_patch() or
 *   echo 1 > enabled          patching transition
 *   klp_disable_patch() or
 *   echo 0 > enabled          unpatching transition; the patch stays
 *   klp_unregister_patch()    only while disabled and out of transition
 *
 * While enabled (or in transition) a registered patch sits on klp_patches
 * like any other and holds a reference on its module, so the module cannot
 * go.  Once disabled it is "parked" on klp_registered_patches: it holds no
 * module reference, no nops and nothing of the modules it patches, so it
 * needs no care when those come and go, and enabling it again rebuilds
 * what it needs from scratch.  An atomic replace patch retires registered
 * patches like any other, except that they are parked instead of freed.
 *
 * struct klp_patch keeps upstream's layout, so that patch modules built
 * against either kernel's headers load on the other: it has no field to
 * say "registered".  Each registered patch gets a struct klp_registration
 * instead, on klp_registrations (M), from klp_register_patch() until it
 * is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include "core.h"
#include "lifecycle.h"
#include "replace.h"
#include "state.h"
#include "transition.h"

/**
 * struct klp_registration - the mark of a registered patch
 * @node:	entry in klp_registrations (M)
 * @patch:	the patch
 */
struct klp_registration {
	struct list_head node;
	struct klp_patch *patch;
};

static LIST_HEAD(klp_registrations);

static struct klp_registration *klp_find_registration(const struct klp_patch *patch)
{
	struct klp_registration *reg;

	lockdep_assert_held(&klp_mutex);
	list_for_each_entry(reg, &klp_registrations, node)
		if (reg->patch == patch)
			return reg;
	return NULL;
}

/**
 * klp_is_registered() - was @patch registered with klp_register_patch()?
 * @patch:	any pointer; it is only compared
 *
 * Context: under klp_mutex.
 * Return: true while the patch is registered: enabled, in transition or
 * parked.
 */
bool klp_is_registered(const struct klp_patch *patch)
{
	return patch && klp_find_registration(patch);
}

/* Forgets @patch's registration, under klp_mutex, as its freeing starts. */
static void klp_drop_registration(struct klp_patch *patch)
{
	struct klp_registration *reg = klp_find_registration(patch);

	if (!WARN_ON(!reg)) {
		list_del(&reg->node);
		kfree(reg);
	}
}

/* Undoes what enabling a parked patch set up; the patch stays parked. */
static void klp_unprepare_patch(struct klp_patch *patch)
{
	klp_unload_objects(patch);
	klp_free_objects(patch, true);
}

/**
 * klp_park_patch() - keep a registered patch that has just been disabled
 * @patch:	the patch; unpatched, and no task runs its code any more
 */
void klp_park_patch(struct klp_patch *patch)
{
	lockdep_assert_held(&klp_mutex);
	list_move_tail(&patch->list, &klp_registered_patches);
	klp_unprepare_patch(patch);
	if (!patch->forced)
		module_put(patch->mod);
}

/**
 * klp_enable_registered_patch() - start the patching transition of a parked patch
 * @patch:	the patch
 *
 * Return: 0 once the transition has started, otherwise a negative errno
 * with the patch still parked as before.
 */
int klp_enable_registered_patch(struct klp_patch *patch)
{
	const char *pname = patch->mod->name;
	int ret;

	lockdep_assert_held(&klp_mutex);
	if (klp_transition_patch) {
		pr_err("'%s': another patch is in transition ('%s')\n", pname,
		       klp_transition_patch->mod->name);
		return -EBUSY;
	}
	if (!klp_is_patch_compatible(patch)) {
		pr_err("Livepatch patch (%s) is not compatible with the already installed livepatches.\n",
		       pname);
		return -EINVAL;
	}
	if (!try_module_get(patch->mod)) {
		pr_err("'%s': the patch module is going away\n", pname);
		return -ENODEV;
	}

	ret = patch->replace ? klp_add_nops(patch) : 0;
	if (!ret)
		ret = klp_init_objects(patch);
	if (!ret) {
		list_move_tail(&patch->list, &klp_patches);
		ret = __klp_enable_patch(patch);
		if (ret)
			list_move_tail(&patch->list, &klp_registered_patches);
	}
	if (ret) {
		klp_unprepare_patch(patch);
		module_put(patch->mod);
	}
	return ret;
}

/**
 * klp_enable_if_registered() - enable @patch if it is a registered patch
 * @patch:	what was passed to klp_enable_patch()
 * @ret:	set to the result if @patch is registered
 *
 * Return: true if @patch is registered and *@ret holds the result.
 */
bool klp_enable_if_registered(struct klp_patch *patch, int *ret)
{
	bool registered;

	if (!patch)
		return false;

	mutex_lock(&klp_mutex);
	registered = klp_is_registered(patch);
	if (registered)
		*ret = klp_set_patch_enabled(patch, true);
	mutex_unlock(&klp_mutex);
	return registered;
}

/**
 * klp_register_patch() - make a live patch known without enabling it
 * @patch:	the patch, normally static data of the calling module
 *
 * Must be called from the init function of a live patch module.  The
 * patch is validated and built as klp_enable_patch() would, its functions
 * in loaded objects are looked up and /sys/kernel/livepatch/<module>
 * appears with "enabled" reading 0; no code is redirected.  The patch can
 * then be enabled and disabled any number of times, with
 * klp_enable_patch() and klp_disable_patch() or through sysfs, and must be
 * unregistered, while disabled, before its module goes: normally from
 * the module's exit function.
 *
 * Return: 0 on success, otherwise a negative errno with nothing left.
 */
int klp_register_patch(struct klp_patch *patch)
{
	struct klp_registration *reg;
	int ret;

	ret = klp_check_patch_module(patch, __func__);
	if (ret)
		return ret;

	reg = kzalloc(sizeof(*reg), GFP_KERNEL);
	if (!reg)
		return -ENOMEM;
	reg->patch = patch;

	mutex_lock(&klp_mutex);
	if (klp_module_has_patch(patch->mod)) {
		pr_err("'%s': the module already has a patch\n",
		       patch->mod->name);
		mutex_unlock(&klp_mutex);
		kfree(reg);
		return -EEXIST;
	}
	ret = klp_build_patch(patch, true);
	if (!ret) {
		/* Everything checked: keep nothing of the modules yet. */
		klp_unload_objects(patch);
		list_add_tail(&patch->list, &klp_registered_patches);
		list_add_tail(&reg->node, &klp_registrations);
		pr_notice("'%s': patch registered\n", patch->mod->name);
	}
	mutex_unlock(&klp_mutex);

	if (ret) {
		kfree(reg);
		klp_free_patch_finish(patch, true);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(klp_register_patch);

/**
 * klp_disable_patch() - disable a live patch
 * @patch:	an enabled patch
 *
 * Starts the unpatching transition, like writing 0 to the patch's
 * "enabled" file; if the patch is still being enabled, that transition is
 * reversed.  A registered patch stays registered once the transition
 * completes; one enabled directly with klp_enable_patch() is freed.
 *
 * Return: 0 once the transition has started or reversed, otherwise a
 * negative errno.
 */
int klp_disable_patch(struct klp_patch *patch)
{
	struct klp_patch *p;
	bool found = false;
	int ret;

	mutex_lock(&klp_mutex);
	klp_for_each_patch(p)
		found |= p == patch;
	if (found) {
		ret = klp_set_patch_enabled(patch, false);
	} else {
		pr_err("%s(): the patch is not enabled\n", __func__);
		ret = -EINVAL;
	}
	mutex_unlock(&klp_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(klp_disable_patch);

/**
 * klp_unregister_patch() - forget a registered patch
 * @patch:	the patch, registered with klp_register_patch()
 *
 * The patch must be disabled, and its unpatching transition complete: no
 * task may still run its code.  Its sysfs directory is gone when this
 * returns.
 *
 * Return: 0, -EBUSY while the patch is enabled or in transition, or
 * -EINVAL if it is not registered.
 */
int klp_unregister_patch(struct klp_patch *patch)
{
	int ret = 0;

	mutex_lock(&klp_mutex);
	if (!klp_is_registered(patch)) {
		pr_err("%s(): the patch is not registered\n", __func__);
		ret = -EINVAL;
	} else if (patch->enabled || patch == klp_transition_patch) {
		pr_err("'%s': cannot unregister the patch while it is %s\n",
		       patch->mod->name,
		       patch->enabled ? "enabled" : "in transition");
		ret = -EBUSY;
	} else {
		klp_drop_registration(patch);
		klp_free_patch_start(patch);
	}
	mutex_unlock(&klp_mutex);

	if (!ret) {
		klp_free_patch_finish(patch, true);
		pr_notice("'%s': patch unregistered\n", patch->mod->name);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(klp_unregister_patch);

/**
 * klp_unregister_leftovers() - clean up after a module that forgot to unregister
 * @mod:	a module on its way out, after its exit function
 *
 * A registered patch left behind by its module would leave a sysfs
 * directory pointing into freed memory.  It is necessarily parked: while
 * enabled it holds the module.
 */
void klp_unregister_leftovers(struct module *mod)
{
	struct klp_patch *patch, *found = NULL;

	if (!is_livepatch_module(mod))
		return;

	mutex_lock(&klp_mutex);
	list_for_each_entry(patch, &klp_registered_patches, list) {
		if (patch->mod == mod) {
			found = patch;
			break;
		}
	}
	if (found) {
		pr_warn("'%s': the module goes with its patch still registered; unregistering it\n",
			mod->name);
		klp_drop_registration(found);
		klp_free_patch_start(found);
	}
	mutex_unlock(&klp_mutex);

	if (found)
		klp_free_patch_finish(found, true);
}
