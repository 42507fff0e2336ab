// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klp core: registering patches, their objects and functions, atomic
 * replace, callbacks, and following modules as they come and go.
 *
 * The life of a patch enabled with klp_enable_patch():
 *
 *   module init -> validate -> sysfs + symbol lookup -> patching transition
 *   -> enabled ... echo 0 > enabled -> unpatching transition -> freed,
 *   sysfs gone, module reference dropped -> rmmod possible
 *
 * A patch that fails anywhere on the way in is taken apart in reverse and
 * the module load fails with the error; nothing stays half-applied.
 * Locking rules are in core.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "core.h"
#include "patch.h"
#include "state.h"
#include "transition.h"

/* Serialises every change to patches and transitions: rule M in core.h. */
DEFINE_MUTEX(klp_mutex);
LIST_HEAD(klp_patches);

/* sympos 0 ("the only one") and 1 ("the first") name the same symbol. */
static bool klp_same_sympos(unsigned long a, unsigned long b)
{
	return (a ? a : 1) == (b ? b : 1);
}

static bool klp_same_object(struct klp_object *a, struct klp_object *b)
{
	if (!klp_is_module(a) || !klp_is_module(b))
		return !klp_is_module(a) && !klp_is_module(b);
	return !strcmp(a->name, b->name);
}

static struct klp_object *klp_find_object(struct klp_patch *patch,
					  struct klp_object *like)
{
	struct klp_object *obj;

	klp_for_each_object(patch, obj)
		if (klp_same_object(obj, like))
			return obj;
	return NULL;
}

static struct klp_func *klp_find_func(struct klp_object *obj,
				      struct klp_func *like)
{
	struct klp_func *func;

	klp_for_each_func(obj, func)
		if (!strcmp(func->old_name, like->old_name) &&
		    klp_same_sympos(func->old_sympos, like->old_sympos))
			return func;
	return NULL;
}

/* Callbacks.  post_unpatch runs only to pair with a successful pre_patch. */

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

/* Looking at the author's structures before anything is registered. */

static int klp_check_func(struct klp_patch *patch, struct klp_object *obj,
			  struct klp_func *func)
{
	const char *pname = patch->mod->name;
	struct klp_func *other;

	if (!func->old_name || !func->new_func) {
		pr_err("'%s': a function of object '%s' lacks %s\n", pname,
		       klp_object_name(obj),
		       func->old_name ? "new_func" : "old_name");
		return -EINVAL;
	}
	if (strlen(func->old_name) >= KSYM_NAME_LEN) {
		pr_err("'%s': function name '%.32s...' is too long\n", pname,
		       func->old_name);
		return -EINVAL;
	}
	/* The entries before @func are already on the list. */
	other = klp_find_func(obj, func);
	if (other) {
		pr_err("'%s': function '%s' (sympos %lu) appears twice in object '%s'\n",
		       pname, func->old_name, func->old_sympos,
		       klp_object_name(obj));
		return -EINVAL;
	}
	return 0;
}

static int klp_check_object(struct klp_patch *patch, struct klp_object *obj)
{
	const char *pname = patch->mod->name;

	/*
	 * An empty function array is fine for an object that only brings
	 * callbacks; an object with neither does nothing and is a mistake.
	 */
	if (!obj->funcs) {
		pr_err("'%s': object '%s' has no function array\n", pname,
		       klp_object_name(obj));
		return -EINVAL;
	}
	if (!obj->funcs[0].old_name && !obj->funcs[0].new_func &&
	    !obj->callbacks.pre_patch && !obj->callbacks.post_patch &&
	    !obj->callbacks.pre_unpatch && !obj->callbacks.post_unpatch) {
		pr_err("'%s': object '%s' has neither functions nor callbacks\n",
		       pname, klp_object_name(obj));
		return -EINVAL;
	}
	if (klp_is_module(obj) &&
	    (strlen(obj->name) >= MODULE_NAME_LEN || !strcmp(obj->name, "vmlinux"))) {
		pr_err("'%s': invalid object name '%.32s'\n", pname, obj->name);
		return -EINVAL;
	}
	if (klp_find_object(patch, obj)) {
		pr_err("'%s': object '%s' appears twice\n", pname,
		       klp_object_name(obj));
		return -EINVAL;
	}
	return 0;
}

static void klp_init_func_early(struct klp_object *obj, struct klp_func *func)
{
	kobject_init(&func->kobj, &klp_ktype_func);
	INIT_LIST_HEAD(&func->stack_node);
	func->patched = false;
	func->transition = false;
	list_add_tail(&func->node, &obj->func_list);
}

static void klp_init_object_early(struct klp_patch *patch,
				  struct klp_object *obj)
{
	INIT_LIST_HEAD(&obj->func_list);
	kobject_init(&obj->kobj, &klp_ktype_object);
	obj->mod = NULL;
	obj->patched = false;
	obj->callbacks.post_unpatch_enabled = false;
	list_add_tail(&obj->node, &patch->obj_list);
}

/*
 * Validates the author's arrays and links them into the internal lists.
 * Whatever is linked is kobject-initialised, so one free path fits every
 * failure.
 */
static int klp_init_patch_early(struct klp_patch *patch)
{
	struct klp_object *obj;
	struct klp_func *func;
	int ret;

	klp_for_each_object_static(patch, obj) {
		ret = klp_check_object(patch, obj);
		if (ret)
			return ret;
		obj->dynamic = false;
		klp_init_object_early(patch, obj);

		klp_for_each_func_static(obj, func) {
			ret = klp_check_func(patch, obj, func);
			if (ret)
				return ret;
			func->nop = false;
			func->old_addr = 0;
			klp_init_func_early(obj, func);
		}
	}

	if (list_empty(&patch->obj_list)) {
		pr_err("'%s': the patch has no objects\n", patch->mod->name);
		return -EINVAL;
	}
	return 0;
}

/* Atomic replace: nop entries for what earlier patches changed. */

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

static int klp_add_nops(struct klp_patch *patch)
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

/* Sets obj->mod if the object is a module that is loaded and usable. */
static void klp_find_object_module(struct klp_object *obj)
{
	struct module *mod;

	if (!klp_is_module(obj))
		return;

	/*
	 * klp_alive is set and cleared under klp_mutex by the loader hooks,
	 * so a module that is still coming or already going is left to them.
	 */
	preempt_disable();
	mod = find_module(obj->name);
	if (mod && mod->klp_alive)
		obj->mod = mod;
	preempt_enable();
}

/* Looks up each old function, and refuses what ftrace could not patch. */
static int klp_resolve_funcs(struct klp_object *obj)
{
	const char *oname = klp_object_name(obj);
	struct klp_func *func;
	unsigned long addr;
	int ret;

	klp_for_each_func(obj, func) {
		ret = klp_find_object_symbol(obj->name, func->old_name,
					     func->old_sympos, &addr);
		if (ret)
			return ret;
		func->old_addr = addr;

		if (!kallsyms_lookup_size_offset(addr, &func->old_size, NULL)) {
			pr_err("cannot find the size of '%s' in '%s'\n",
			       func->old_name, oname);
			return -ENOENT;
		}
		if (func->nop)
			func->new_func = (void *)func->old_addr;
		if (!kallsyms_lookup_size_offset((unsigned long)func->new_func,
						 &func->new_size, NULL)) {
			pr_err("cannot find the size of the new version of '%s'\n",
			       func->old_name);
			return -ENOENT;
		}
		/* Refuse now what ftrace would refuse mid-transition. */
		if (!ftrace_location(addr)) {
			pr_err("function '%s' in '%s' cannot be patched: ftrace does not trace it (notrace or inlined?)\n",
			       func->old_name, oname);
			return -EINVAL;
		}
	}
	return 0;
}

/* Forgets the addresses that pointed into the object's module. */
static void klp_forget_object_module(struct klp_object *obj)
{
	struct klp_func *func;

	obj->mod = NULL;
	klp_for_each_func(obj, func) {
		func->old_addr = 0;
		if (func->nop)
			func->new_func = NULL;
	}
}

/*
 * With the object's code in memory: apply the relocations against it and
 * resolve its functions.  All or nothing: on failure no relocation stays
 * applied and the object is unloaded as far as the patch is concerned.
 */
static int klp_init_object_loaded(struct klp_patch *patch,
				  struct klp_object *obj)
{
	int ret = 0;

	if (klp_is_module(obj))
		ret = klp_apply_object_relocs(patch, obj);
	if (!ret) {
		ret = klp_resolve_funcs(obj);
		if (ret && klp_is_module(obj))
			klp_clear_object_relocs(patch, obj);
	}
	if (ret && klp_is_module(obj))
		klp_forget_object_module(obj);
	return ret;
}

/* The object's module leaves: the reverse of klp_init_object_loaded(). */
static void klp_free_object_loaded(struct klp_patch *patch,
				   struct klp_object *obj)
{
	klp_clear_object_relocs(patch, obj);
	klp_forget_object_module(obj);
}

static int klp_init_object(struct klp_patch *patch, struct klp_object *obj)
{
	struct klp_func *func;
	int ret;

	klp_find_object_module(obj);

	ret = kobject_add(&obj->kobj, &patch->kobj, "%s", klp_object_name(obj));
	if (ret)
		return ret;

	klp_for_each_func(obj, func) {
		ret = kobject_add(&func->kobj, &obj->kobj, "%s,%lu",
				  func->old_name,
				  func->old_sympos ? func->old_sympos : 1);
		if (ret)
			return ret;
	}

	if (!klp_is_object_loaded(obj))
		return 0;
	return klp_init_object_loaded(patch, obj);
}

/* Everything that needs klp_mutex: nops, sysfs, symbols; then listed. */
static int klp_init_patch(struct klp_patch *patch)
{
	struct klp_object *obj;
	int ret;

	/*
	 * Relocation sections must name patched objects.  Then nops, so
	 * their objects get sysfs and symbols like the rest.
	 */
	ret = klp_check_relocs(patch);
	if (!ret && patch->replace)
		ret = klp_add_nops(patch);
	if (!ret)
		ret = kobject_add(&patch->kobj, klp_root_kobj, "%s",
				  patch->mod->name);
	if (ret)
		return ret;

	klp_for_each_object(patch, obj) {
		ret = klp_init_object(patch, obj);
		if (ret)
			return ret;
	}
	list_add_tail(&patch->list, &klp_patches);
	return 0;
}

/* Freeing.  The start runs under klp_mutex, the finish outside it. */

static void __klp_free_objects(struct klp_patch *patch, bool nops_only)
{
	struct klp_object *obj, *tmp_obj;
	struct klp_func *func, *tmp_func;

	klp_for_each_object_safe(patch, obj, tmp_obj) {
		klp_for_each_func_safe(obj, func, tmp_func) {
			if (nops_only && !func->nop)
				continue;
			list_del(&func->node);
			kobject_put(&func->kobj);
		}
		if (nops_only && !obj->dynamic)
			continue;
		list_del(&obj->node);
		kobject_put(&obj->kobj);
	}
}

static void klp_free_patch_start(struct klp_patch *patch)
{
	list_del_init(&patch->list);
	__klp_free_objects(patch, false);
}

static void klp_free_patch_finish(struct klp_patch *patch)
{
	/* Removes the sysfs directory, waiting for readers and writers. */
	kobject_put(&patch->kobj);
	wait_for_completion(&patch->finish);

	/* A forced patch may still run somewhere: its module stays. */
	if (!patch->forced)
		module_put(patch->mod);
}

static void klp_free_patch_work_fn(struct work_struct *work)
{
	klp_free_patch_finish(container_of(work, struct klp_patch, free_work));
}

/* For callers that hold klp_mutex, e.g. inside a sysfs store. */
void klp_free_patch_async(struct klp_patch *patch)
{
	klp_free_patch_start(patch);
	schedule_work(&patch->free_work);
}

void klp_free_replaced_patches_async(struct klp_patch *new_patch)
{
	struct klp_patch *old_patch, *tmp;

	list_for_each_entry_safe(old_patch, tmp, &klp_patches, list) {
		if (old_patch == new_patch)
			return;
		klp_free_patch_async(old_patch);
	}
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
	__klp_free_objects(new_patch, true);
}

/*
 * Runs the pre-patch callback of each loaded object and redirects its
 * functions.  Stops at the first failure, which it logs; the caller
 * cancels the transition, which undoes what was done.
 */
static int klp_patch_loaded_objects(struct klp_patch *patch)
{
	struct klp_object *obj;
	const char *what;
	int ret = 0;

	klp_for_each_object(patch, obj) {
		if (!klp_is_object_loaded(obj))
			continue;
		what = "pre-patch callback failed for object";
		ret = klp_pre_patch_callback(obj);
		if (!ret) {
			what = "failed to patch object";
			ret = klp_patch_object(obj);
		}
		if (ret) {
			pr_warn("%s '%s'\n", what, klp_object_name(obj));
			break;
		}
	}
	return ret;
}

static int __klp_enable_patch(struct klp_patch *patch)
{
	int ret;

	pr_notice("enabling patch '%s'\n", patch->mod->name);
	klp_init_transition(patch, KLP_TRANSITION_PATCHED);

	/*
	 * ->transition (set just above) must be visible before any func of
	 * the patch shows up on an ftrace stack.  list_add_rcu() publishes
	 * with release semantics; this barrier keeps the rule independent of
	 * how patch.c publishes.
	 */
	smp_wmb();

	ret = klp_patch_loaded_objects(patch);
	if (ret) {
		pr_warn("failed to enable patch '%s'\n", patch->mod->name);
		klp_cancel_transition();
		return ret;
	}

	klp_start_transition();
	patch->enabled = true;
	klp_try_complete_transition();
	return 0;
}

int __klp_disable_patch(struct klp_patch *patch)
{
	struct klp_object *obj;

	if (WARN_ON(!patch->enabled))
		return -EINVAL;
	if (klp_transition_patch) {
		pr_err("'%s': cannot disable while '%s' is in transition\n",
		       patch->mod->name, klp_transition_patch->mod->name);
		return -EBUSY;
	}

	klp_init_transition(patch, KLP_TRANSITION_UNPATCHED);

	klp_for_each_object(patch, obj)
		if (obj->patched)
			klp_pre_unpatch_callback(obj);

	klp_start_transition();
	patch->enabled = false;
	klp_try_complete_transition();
	return 0;
}

/**
 * klp_enable_patch() - register a live patch and switch the system to it
 * @patch:	the patch, normally static data of the calling module
 *
 * Must be called from the init function of a module built as a live patch
 * (MODULE_INFO(livepatch, "Y")).  The patch is validated, every function is
 * looked up, the patch appears in /sys/kernel/livepatch, and the patching
 * transition starts; it may complete after this returns.  On error nothing
 * is left behind and the module should fail its init with the error.
 *
 * Return: 0 on success, otherwise a negative errno.
 */
int klp_enable_patch(struct klp_patch *patch)
{
	struct klp_patch *other;
	int ret;

	if (!patch || !patch->mod || !patch->objs) {
		pr_err("%s(): %s\n", __func__,
		       !patch ? "no patch" :
		       !patch->mod ? "patch->mod is not set" : "patch->objs is not set");
		return -EINVAL;
	}
	if (!is_livepatch_module(patch->mod)) {
		pr_err("module '%s' is not marked as a livepatch module (MODULE_INFO(livepatch, \"Y\"))\n",
		       patch->mod->name);
		return -EINVAL;
	}
	if (patch->mod->state != MODULE_STATE_COMING) {
		pr_err("'%s': %s() may only be called from the module's init\n",
		       patch->mod->name, __func__);
		return -EINVAL;
	}
	if (!klp_root_kobj)
		return -ENODEV;
	if (!klp_have_reliable_stack())
		pr_warn("'%s': no reliable stack traces on this system; transitions complete only through user-space exits and idle\n",
			patch->mod->name);

	mutex_lock(&klp_mutex);

	klp_for_each_patch(other) {
		if (other->mod == patch->mod) {
			pr_err("'%s': the module already has a patch enabled\n",
			       patch->mod->name);
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	/* Checked before anything shows in sysfs: one transition at a time. */
	if (klp_transition_patch) {
		pr_err("'%s': another patch is in transition ('%s')\n",
		       patch->mod->name, klp_transition_patch->mod->name);
		ret = -EBUSY;
		goto out_unlock;
	}
	if (!klp_is_patch_compatible(patch)) {
		pr_err("Livepatch patch (%s) is not compatible with the already installed livepatches.\n",
		       patch->mod->name);
		ret = -EINVAL;
		goto out_unlock;
	}
	if (!try_module_get(patch->mod)) {
		ret = -ENODEV;
		goto out_unlock;
	}

	INIT_LIST_HEAD(&patch->list);
	INIT_LIST_HEAD(&patch->obj_list);
	kobject_init(&patch->kobj, &klp_ktype_patch);
	INIT_WORK(&patch->free_work, klp_free_patch_work_fn);
	init_completion(&patch->finish);
	patch->enabled = false;
	patch->forced = false;

	ret = klp_init_patch_early(patch);
	if (ret)
		goto err_free;
	ret = klp_init_patch(patch);
	if (ret)
		goto err_free;
	ret = __klp_enable_patch(patch);
	if (ret)
		goto err_free;

	mutex_unlock(&klp_mutex);
	return 0;

err_free:
	klp_free_patch_start(patch);
	mutex_unlock(&klp_mutex);
	klp_free_patch_finish(patch);
	return ret;

out_unlock:
	mutex_unlock(&klp_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(klp_enable_patch);

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
	ret = klp_patch_object(obj);
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
	mutex_unlock(&klp_mutex);
}

static int __init klp_init(void)
{
	return klp_sysfs_init();
}
module_init(klp_init);
