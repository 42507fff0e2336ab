// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klp core: building patches, their objects and functions; enabling,
 * disabling and freeing them.
 *
 * The life of a patch enabled with klp_enable_patch():
 *
 *   module init -> validate -> sysfs + symbol lookup -> patching transition
 *   -> enabled ... echo 0 > enabled -> unpatching transition -> freed,
 *   sysfs gone, module reference dropped -> rmmod possible
 *
 * A patch that fails anywhere on the way in is taken apart in reverse and
 * the module load fails with the error; nothing stays half-applied.
 * Registered patches (lifecycle.c) share all of this but are kept when
 * disabled.  Locking rules are in core.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "callbacks.h"
#include "core.h"
#include "lifecycle.h"
#include "patch.h"
#include "reloc.h"
#include "replace.h"
#include "state.h"
#include "transition.h"

/* Serialises every change to patches and transitions: rule M in core.h. */
DEFINE_MUTEX(klp_mutex);
LIST_HEAD(klp_patches);
LIST_HEAD(klp_registered_patches);

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

struct klp_object *klp_find_object(struct klp_patch *patch,
				   struct klp_object *like)
{
	struct klp_object *obj;

	klp_for_each_object(patch, obj)
		if (klp_same_object(obj, like))
			return obj;
	return NULL;
}

struct klp_func *klp_find_func(struct klp_object *obj, struct klp_func *like)
{
	struct klp_func *func;

	klp_for_each_func(obj, func)
		if (!strcmp(func->old_name, like->old_name) &&
		    klp_same_sympos(func->old_sympos, like->old_sympos))
			return func;
	return NULL;
}

/* Looking at the author's structures before anything is registered. */

/* A function of an object's array, for finding repeats. */
struct klp_func_key {
	const char *name;
	unsigned long pos;
	unsigned int idx;
};

static int klp_cmp_func_key(const void *a, const void *b)
{
	const struct klp_func_key *ka = a, *kb = b;
	int ret = strcmp(ka->name, kb->name);

	if (ret)
		return ret;
	if (ka->pos != kb->pos)
		return ka->pos < kb->pos ? -1 : 1;
	return ka->idx < kb->idx ? -1 : ka->idx > kb->idx;
}

/*
 * Finds, in *@repeat, the index in @obj's array of the first function
 * that repeats an earlier one (same name, same position), or UINT_MAX:
 * the function at which comparing each with those before it would stop.
 * Sorted, not compared pairwise: a patch of ten thousand functions spent
 * seconds on the fifty million comparisons.
 */
static int klp_find_repeat(struct klp_object *obj, unsigned int *repeat)
{
	struct klp_func_key *key;
	struct klp_func *func;
	unsigned int i = 0, n = 0, idx = 0;

	*repeat = UINT_MAX;
	klp_for_each_func_static(obj, func)
		n += !!func->old_name;
	if (n < 2)
		return 0;
	key = kvmalloc_array(n, sizeof(*key), GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	/* A function without a name is refused by klp_check_func(). */
	klp_for_each_func_static(obj, func) {
		if (func->old_name)
			key[i++] = (struct klp_func_key) {
				.name = func->old_name,
				.pos = func->old_sympos ?: 1,
				.idx = idx,
			};
		idx++;
	}
	sort(key, n, sizeof(*key), klp_cmp_func_key, NULL);
	/* In a run of equal functions, all but the first are repeats. */
	for (i = 1; i < n; i++)
		if (!strcmp(key[i].name, key[i - 1].name) &&
		    key[i].pos == key[i - 1].pos)
			*repeat = min(*repeat, key[i].idx);
	kvfree(key);
	return 0;
}

/* @repeat: @func repeats a function before it in the array. */
static int klp_check_func(struct klp_patch *patch, struct klp_object *obj,
			  struct klp_func *func, bool repeat)
{
	const char *pname = patch->mod->name;

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
	/*
	 * Upstream fails the same patch with -EEXIST, when the second sysfs
	 * directory of that name cannot be created.
	 */
	if (repeat) {
		pr_err("'%s': function '%s' (sympos %lu) appears twice in object '%s'\n",
		       pname, func->old_name, func->old_sympos,
		       klp_object_name(obj));
		return -EEXIST;
	}
	return 0;
}

static int klp_check_object(struct klp_patch *patch, struct klp_object *obj)
{
	const char *pname = patch->mod->name;

	/*
	 * The array may be empty (only its terminator), as upstream allows:
	 * an object that only brings callbacks, or even one that does
	 * nothing at all.
	 */
	if (!obj->funcs) {
		pr_err("'%s': object '%s' has no function array\n", pname,
		       klp_object_name(obj));
		return -EINVAL;
	}
	if (klp_is_module(obj) && strlen(obj->name) >= MODULE_NAME_LEN) {
		pr_err("'%s': invalid object name '%.32s'\n", pname, obj->name);
		return -EINVAL;
	}
	/* Upstream oopses on this one (its error path); refuse it cleanly. */
	if (klp_find_object(patch, obj)) {
		pr_err("'%s': object '%s' appears twice\n", pname,
		       klp_object_name(obj));
		return -EEXIST;
	}
	/* No module can be called so (klp_module_coming() refuses it). */
	if (klp_is_module(obj) && !strcmp(obj->name, "vmlinux"))
		pr_warn("'%s': object 'vmlinux' names a module, which never loads; it patches nothing\n",
			pname);
	return 0;
}

void klp_init_func_early(struct klp_object *obj, struct klp_func *func)
{
	kobject_init(&func->kobj, &klp_ktype_func);
	INIT_LIST_HEAD(&func->stack_node);
	func->patched = false;
	func->transition = false;
	list_add_tail(&func->node, &obj->func_list);
}

void klp_init_object_early(struct klp_patch *patch, struct klp_object *obj)
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
	unsigned int i, repeat;
	struct klp_object *obj;
	struct klp_func *func;
	int ret;

	klp_for_each_object_static(patch, obj) {
		ret = klp_check_object(patch, obj);
		if (!ret)
			ret = klp_find_repeat(obj, &repeat);
		if (ret)
			return ret;
		obj->dynamic = false;
		klp_init_object_early(patch, obj);

		i = 0;
		klp_for_each_func_static(obj, func) {
			ret = klp_check_func(patch, obj, func, i++ == repeat);
			if (ret)
				return ret;
			func->nop = false;
			func->old_func = NULL;
			klp_init_func_early(obj, func);
		}
	}

	/*
	 * A patch without objects is accepted, as upstream accepts it: with
	 * ->replace it takes every older patch out, and otherwise it does
	 * nothing.
	 */
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

/*
 * The size of @addr as kallsyms gives it, unless @batch has it already:
 * see klp_lookup_sizes().
 */
static bool klp_func_size(unsigned long addr, unsigned long batch,
			  unsigned long *size)
{
	if (batch) {
		*size = batch;
		return true;
	}
	return kallsyms_lookup_size_offset(addr, size, NULL);
}

/*
 * Judges the lookup of one old function, and refuses what ftrace could
 * not patch.  @old_size and @new_size are the sizes of the old and the new
 * function found in advance, or 0.
 */
static int klp_resolve_func(struct klp_object *obj, struct klp_func *func,
			    const struct klp_sym_query *q,
			    unsigned long old_size, unsigned long new_size)
{
	const char *oname = klp_object_name(obj);
	unsigned long addr;
	int ret;

	ret = klp_symbol_verdict(obj->name, q, &addr);
	if (ret)
		return ret;
	func->old_func = (void *)addr;

	if (!klp_func_size(addr, old_size, &func->old_size)) {
		pr_err("kallsyms size lookup failed for '%s'\n", func->old_name);
		return -ENOENT;
	}
	if (func->nop)
		func->new_func = func->old_func;
	if (!klp_func_size((unsigned long)func->new_func,
			   func->nop ? func->old_size : new_size,
			   &func->new_size)) {
		pr_err("kallsyms size lookup failed for '%s' replacement\n",
		       func->old_name);
		return -ENOENT;
	}
	/* Refuse now what ftrace would refuse mid-transition. */
	if (!klp_func_location(func)) {
		pr_err("function '%s' in '%s' cannot be patched: ftrace does not trace it (notrace or inlined?)\n",
		       func->old_name, oname);
		return -EINVAL;
	}
	return 0;
}

/*
 * A module's sizes cost a walk of its symbols each when looked up one by
 * one, so from a few functions on they are found in one walk.  Nothing is
 * lost if that fails: the sizes left 0 are looked up one by one.
 */
#define KLP_SIZE_BATCH_MIN	8

/*
 * Resolves every function, all names in one lookup and the sizes of a
 * module's functions in another, and reports every problem rather than
 * the first one only, so that a patch author sees them all in one go.
 * Returns the first error.
 */
static int klp_resolve_funcs(struct klp_patch *patch, struct klp_object *obj)
{
	unsigned long *addr, *old_size, *new_size;
	struct klp_sym_query *q;
	struct klp_func *func;
	unsigned int i = 0, nr = 0;
	int ret, first = 0;

	klp_for_each_func(obj, func)
		nr++;
	if (!nr)
		return 0;
	q = kvcalloc(nr, sizeof(*q), GFP_KERNEL);
	/* Addresses, then old sizes, then new sizes. */
	addr = kvcalloc(3 * nr, sizeof(*addr), GFP_KERNEL);
	if (!q || !addr) {
		ret = -ENOMEM;
		goto out;
	}
	old_size = addr + nr;
	new_size = old_size + nr;
	klp_for_each_func(obj, func) {
		q[i].name = func->old_name;
		q[i++].sympos = func->old_sympos;
	}
	ret = klp_lookup_symbols(obj->name, q, nr);
	if (ret)
		goto out;

	/* A name not found has no address, and no size: 0 either way. */
	for (i = 0; i < nr; i++)
		addr[i] = q[i].addr;
	if (obj->mod && nr >= KLP_SIZE_BATCH_MIN)
		klp_lookup_sizes(obj->mod, addr, old_size, nr);
	i = 0;
	klp_for_each_func(obj, func)
		addr[i++] = (unsigned long)func->new_func;
	if (nr >= KLP_SIZE_BATCH_MIN)
		klp_lookup_sizes(patch->mod, addr, new_size, nr);

	i = 0;
	klp_for_each_func(obj, func) {
		ret = klp_resolve_func(obj, func, &q[i], old_size[i],
				       new_size[i]);
		i++;
		if (ret && !first)
			first = ret;
	}
	ret = first;
out:
	kvfree(addr);
	kvfree(q);
	return ret;
}

/* Forgets the addresses that pointed into the object's module. */
static void klp_forget_object_module(struct klp_object *obj)
{
	struct klp_func *func;

	obj->mod = NULL;
	klp_for_each_func(obj, func) {
		func->old_func = NULL;
		if (func->nop)
			func->new_func = NULL;
	}
}

/*
 * With the object's code in memory: apply the relocations against it and
 * resolve its functions.  All or nothing: on failure no relocation stays
 * applied and the object is unloaded as far as the patch is concerned.
 */
int klp_init_object_loaded(struct klp_patch *patch, struct klp_object *obj)
{
	int ret = 0;

	if (klp_is_module(obj))
		ret = klp_apply_object_relocs(patch, obj);
	if (!ret) {
		ret = klp_resolve_funcs(patch, obj);
		if (ret && klp_is_module(obj))
			klp_clear_object_relocs(patch, obj);
	}
	if (ret && klp_is_module(obj))
		klp_forget_object_module(obj);
	return ret;
}

/* The object's module leaves: the reverse of klp_init_object_loaded(). */
void klp_free_object_loaded(struct klp_patch *patch, struct klp_object *obj)
{
	klp_clear_object_relocs(patch, obj);
	klp_forget_object_module(obj);
}

/*
 * Gives the object its sysfs directories and, if its code is in memory,
 * its relocations and addresses.  Does only what is not done yet, so a
 * registered patch can run it again on every enable, for the objects its
 * modules bring back and the nops it gains.
 */
static int klp_init_object(struct klp_patch *patch, struct klp_object *obj)
{
	struct klp_func *func;
	int ret;

	if (!obj->kobj.state_in_sysfs) {
		ret = kobject_add(&obj->kobj, &patch->kobj, "%s",
				  klp_object_name(obj));
		if (ret)
			return ret;
	}
	klp_for_each_func(obj, func) {
		if (func->kobj.state_in_sysfs)
			continue;
		ret = kobject_add(&func->kobj, &obj->kobj, "%s,%lu",
				  func->old_name,
				  func->old_sympos ? func->old_sympos : 1);
		if (ret)
			return ret;
	}

	/* A module object that has its module is initialised already. */
	if (klp_is_module(obj)) {
		if (obj->mod)
			return 0;
		klp_find_object_module(obj);
	}
	if (!klp_is_object_loaded(obj))
		return 0;
	return klp_init_object_loaded(patch, obj);
}

int klp_init_objects(struct klp_patch *patch)
{
	struct klp_object *obj;
	int ret, first = 0;

	/* Every object, so that every problem is logged, not the first. */
	klp_for_each_object(patch, obj) {
		ret = klp_init_object(patch, obj);
		if (ret && !first)
			first = ret;
	}
	return first;
}

/* Lets go of every module the patch's objects stand for. */
void klp_unload_objects(struct klp_patch *patch)
{
	struct klp_object *obj;

	klp_for_each_object(patch, obj)
		if (klp_is_module(obj) && obj->mod)
			klp_free_object_loaded(patch, obj);
}

/*
 * Everything that needs klp_mutex: sysfs, symbols and relocations, and
 * for a patch enabled at once the nops of atomic replace.  The caller
 * puts the patch on its list.
 */
static int klp_init_patch(struct klp_patch *patch, bool registered)
{
	int ret;

	/*
	 * Relocation sections must name patched objects.  Then nops, so
	 * their objects get sysfs and symbols like the rest; a registered
	 * patch gets them when it is enabled, from the patches it then
	 * replaces.
	 */
	ret = klp_check_relocs(patch);
	if (!ret && patch->replace && !registered)
		ret = klp_add_nops(patch);
	if (!ret)
		ret = kobject_add(&patch->kobj, klp_root_kobj, "%s",
				  patch->mod->name);
	if (!ret)
		ret = klp_init_objects(patch);
	return ret;
}

/* Freeing.  The start runs under klp_mutex, the finish outside it. */

void klp_free_objects(struct klp_patch *patch, bool nops_only)
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

void klp_free_patch_start(struct klp_patch *patch)
{
	list_del_init(&patch->list);
	klp_free_objects(patch, false);
}

void klp_free_patch_finish(struct klp_patch *patch, bool registered)
{
	/* Removes the sysfs directory, waiting for readers and writers. */
	kobject_put(&patch->kobj);
	wait_for_completion(&patch->finish);

	/*
	 * A patch enabled at once holds its module from klp_enable_patch()
	 * until now; a registered one only while enabled.  A forced patch
	 * may still run somewhere: its module stays.
	 */
	if (!patch->forced && !registered)
		module_put(patch->mod);
}

static void klp_free_patch_work_fn(struct work_struct *work)
{
	/* Only patches enabled at once are freed here: registered ones park. */
	klp_free_patch_finish(container_of(work, struct klp_patch, free_work),
			      false);
}

/* For callers that hold klp_mutex, e.g. inside a sysfs store. */
static void klp_free_patch_async(struct klp_patch *patch)
{
	klp_free_patch_start(patch);
	schedule_work(&patch->free_work);
}

/* A disabled patch that no task runs any more: freed, or kept if registered. */
void klp_retire_patch(struct klp_patch *patch)
{
	if (klp_is_registered(patch))
		klp_park_patch(patch);
	else
		klp_free_patch_async(patch);
}

/*
 * Redirects the functions of every loaded object in one ftrace update,
 * then runs their pre-patch callbacks.  The redirections change nothing
 * yet: every task stays on the old code until the transition starts, so
 * the callbacks still run before any task can reach new code, and a patch
 * that ftrace refuses (every refused function is logged) fails before any
 * callback ran.  Stops at the first failure, which it logs; the caller
 * cancels the transition, which undoes what was done.
 */
static int klp_patch_loaded_objects(struct klp_patch *patch)
{
	struct klp_object *obj;
	int ret;

	ret = klp_patch_objects(patch);
	if (ret)
		return ret;

	klp_for_each_object(patch, obj) {
		if (!klp_is_object_loaded(obj))
			continue;
		ret = klp_pre_patch_callback(obj);
		if (ret) {
			pr_warn("pre-patch callback failed for object '%s'\n",
				klp_object_name(obj));
			return ret;
		}
	}
	return 0;
}

int __klp_enable_patch(struct klp_patch *patch)
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

static int __klp_disable_patch(struct klp_patch *patch)
{
	struct klp_object *obj;

	if (WARN_ON(!patch->enabled))
		return -EINVAL;
	if (klp_transition_patch) {
		pr_err("'%s': cannot disable while '%s' is in transition\n",
		       patch->mod->name, klp_transition_patch->mod->name);
		return -EBUSY;
	}

	/* Each task must get its own version again: the handler decides. */
	klp_unsettle_patch(patch);

	klp_init_transition(patch, KLP_TRANSITION_UNPATCHED);

	klp_for_each_object(patch, obj)
		if (obj->patched)
			klp_pre_unpatch_callback(obj);

	klp_start_transition();
	patch->enabled = false;
	klp_try_complete_transition();
	return 0;
}

/*
 * What writing @enabled to the patch's "enabled" file does, and
 * klp_disable_patch(): reverse the patch's own transition, start a new
 * one, or refuse.  Called under klp_mutex for a patch on one of the lists.
 */
int klp_set_patch_enabled(struct klp_patch *patch, bool enabled)
{
	if (patch == klp_transition_patch && patch->enabled != enabled) {
		klp_reverse_transition();
		return 0;
	}
	if (patch->enabled == enabled) {
		pr_err("'%s': patch is already %s\n", patch->mod->name,
		       enabled ? "enabled" : "disabled");
		return -EINVAL;
	}
	if (!enabled)
		return __klp_disable_patch(patch);
	/* A patch enabled at once is freed when disabled: never comes back. */
	return klp_is_registered(patch) ? klp_enable_registered_patch(patch) :
					  -EINVAL;
}

/*
 * The checks that klp_enable_patch() and klp_register_patch() share: the
 * patch is filled in and comes from a live patch module.  Like upstream,
 * the call need not come from the module's init: try_module_get() later
 * refuses a module that is going away.
 */
int klp_check_patch_module(struct klp_patch *patch, const char *caller)
{
	if (!patch || !patch->mod || !patch->objs) {
		pr_err("%s(): %s\n", caller,
		       !patch ? "no patch" :
		       !patch->mod ? "patch->mod is not set" : "patch->objs is not set");
		return -EINVAL;
	}
	if (!is_livepatch_module(patch->mod)) {
		pr_err("module %s is not marked as a livepatch module\n",
		       patch->mod->name);
		return -EINVAL;
	}
	if (!klp_root_kobj)
		return -ENODEV;
	if (!klp_have_reliable_stack()) {
		pr_warn("This architecture doesn't have support for the livepatch consistency model.\n");
		pr_warn("The livepatch transition may never complete.\n");
	}
	return 0;
}

/* One patch per module, whichever lifecycle it follows. */
bool klp_module_has_patch(struct module *mod)
{
	struct klp_patch *patch;

	klp_for_each_patch(patch)
		if (patch->mod == mod)
			return true;
	list_for_each_entry(patch, &klp_registered_patches, list)
		if (patch->mod == mod)
			return true;
	return false;
}

/*
 * Sets up the internal fields and builds the patch: validated, in sysfs,
 * symbols looked up.  On failure everything is taken apart again, and the
 * caller must drop klp_mutex and call klp_free_patch_finish().
 */
int klp_build_patch(struct klp_patch *patch, bool registered)
{
	int ret;

	INIT_LIST_HEAD(&patch->list);
	INIT_LIST_HEAD(&patch->obj_list);
	kobject_init(&patch->kobj, &klp_ktype_patch);
	INIT_WORK(&patch->free_work, klp_free_patch_work_fn);
	init_completion(&patch->finish);
	patch->enabled = false;
	patch->forced = false;

	ret = klp_init_patch_early(patch);
	if (!ret)
		ret = klp_init_patch(patch, registered);
	if (ret)
		klp_free_patch_start(patch);
	return ret;
}

/**
 * klp_enable_patch() - enable a live patch
 * @patch:	the patch, normally static data of the calling module
 *
 * For a patch not registered with klp_register_patch(), this registers and
 * enables it in one go.  It is called by a module built as a live patch
 * (MODULE_INFO(livepatch, "Y")), normally from its init function; as with
 * upstream, a later call from the live module works too.  The patch
 * is validated, every function is looked up, the patch appears in
 * /sys/kernel/livepatch, and the patching transition starts; it may
 * complete after this returns.  On error nothing is left behind and the
 * module should fail its init with the error.  Such a patch is freed when
 * it is disabled.
 *
 * For a registered patch that is disabled, this starts its patching
 * transition, like writing 1 to its "enabled" file.
 *
 * Return: 0 on success, otherwise a negative errno.
 */
int klp_enable_patch(struct klp_patch *patch)
{
	int ret;

	if (klp_enable_if_registered(patch, &ret))
		return ret;

	ret = klp_check_patch_module(patch, __func__);
	if (ret)
		return ret;

	mutex_lock(&klp_mutex);

	if (klp_module_has_patch(patch->mod)) {
		pr_err("'%s': the module already has a patch enabled\n",
		       patch->mod->name);
		ret = -EEXIST;
		goto out_unlock;
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

	ret = klp_build_patch(patch, false);
	if (ret)
		goto err_free;
	list_add_tail(&patch->list, &klp_patches);
	ret = __klp_enable_patch(patch);
	if (ret) {
		klp_free_patch_start(patch);
		goto err_free;
	}

	mutex_unlock(&klp_mutex);
	return 0;

err_free:
	mutex_unlock(&klp_mutex);
	klp_free_patch_finish(patch, false);
	return ret;

out_unlock:
	mutex_unlock(&klp_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(klp_enable_patch);

static int __init klp_init(void)
{
	return klp_sysfs_init();
}
module_init(klp_init);
