// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /sys/kernel/livepatch: what administrators and tools see and steer.
 *
 *   <patch>/enabled		0644  1 while enabled; write 0 to disable, or
 *				      the other value to reverse a transition
 *   <patch>/transition		0444  1 while the patch is in transition
 *   <patch>/force		0200  write 1 to force the transition through
 *   <patch>/replace		0444  1 for an atomic replace patch
 *   <patch>/stack_order	0444  position among enabled patches, from 1
 *   <patch>/pending_tasks	0400  the tasks holding up the transition, one
 *				      per line: tid, (comm), why, how long
 *				      (CONFIG_LIVEPATCH_TRANSITION_INFO)
 *   <patch>/<object>/patched	0444  1 while the object's code is redirected
 *   <patch>/<object>/<function,sympos>/old_addr
 *				0400  where the old function is, 0 while its
 *				      object is not loaded
 *   <patch>/<object>/<function,sympos>/new_addr
 *				0400  where the new function is
 *				      (both with CONFIG_LIVEPATCH_SYSFS_ADDRS)
 *
 * The modes and names are ABI (kpatch and the kselftests read them).
 * Writes take what kstrtobool() takes, as upstream's do: "1", "y", "t",
 * "on" and the like for true, "0", "n", "f", "off" for false, judged by
 * their first characters; anything else is -EINVAL and changes nothing.
 * Writing 0 to force does nothing and succeeds.
 *
 * The two addresses are shown as /proc/kallsyms shows addresses: only to
 * readers that kptr_restrict lets see them, zeros to everyone else.
 *
 * Most reads take no lock: each shows a snapshot of a field written under
 * klp_mutex, and either side of a concurrent change is a true answer.
 * stack_order and pending_tasks take klp_mutex: they walk lists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "core.h"
#include "transition.h"

struct kobject *klp_root_kobj;

/* A patch whose store waited for klp_mutex while the patch was freed. */
static bool klp_patch_gone(struct klp_patch *patch)
{
	return list_empty(&patch->list);
}

static struct klp_patch *to_patch(struct kobject *kobj)
{
	return container_of(kobj, struct klp_patch, kobj);
}

/*
 * The common part of the writable files: parse a boolean, then run @op
 * under klp_mutex unless the patch was freed while the writer waited.
 */
static ssize_t klp_patch_store(struct kobject *kobj, const char *buf,
			       size_t count,
			       int (*op)(struct klp_patch *patch, bool val))
{
	struct klp_patch *patch = to_patch(kobj);
	bool val;
	int ret;

	ret = kstrtobool(buf, &val);
	if (ret)
		return ret;

	mutex_lock(&klp_mutex);
	ret = klp_patch_gone(patch) ? -ENODEV : op(patch, val);
	mutex_unlock(&klp_mutex);

	return ret ? ret : count;
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	return klp_patch_store(kobj, buf, count, klp_set_patch_enabled);
}

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_patch(kobj)->enabled));
}

static ssize_t transition_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  READ_ONCE(klp_transition_patch) == to_patch(kobj));
}

static int klp_force(struct klp_patch *patch, bool force)
{
	if (patch != klp_transition_patch) {
		pr_err("'%s': nothing to force, the patch is not in transition\n",
		       patch->mod->name);
		return -EINVAL;
	}
	klp_force_transition();
	return 0;
}

static ssize_t force_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	bool force;
	int ret;

	/* "Don't force" is nothing to do, whatever the patch's state. */
	ret = kstrtobool(buf, &force);
	if (ret || !force)
		return ret ? ret : count;
	return klp_patch_store(kobj, buf, count, klp_force);
}

static ssize_t replace_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", to_patch(kobj)->replace);
}

static ssize_t stack_order_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct klp_patch *patch, *this = to_patch(kobj);
	int order = 0, pos = 0;

	mutex_lock(&klp_mutex);
	klp_for_each_patch(patch) {
		pos++;
		if (patch == this) {
			order = pos;
			break;
		}
	}
	mutex_unlock(&klp_mutex);

	return sysfs_emit(buf, "%d\n", order);
}

#ifdef CONFIG_LIVEPATCH_TRANSITION_INFO
/* Root only: it names other users' tasks and what they are executing. */
static ssize_t pending_tasks_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	ssize_t len;

	mutex_lock(&klp_mutex);
	len = klp_show_pending_tasks(to_patch(kobj), buf);
	mutex_unlock(&klp_mutex);
	return len;
}

static struct kobj_attribute pending_tasks_kobj_attr =
	__ATTR(pending_tasks, 0400, pending_tasks_show, NULL);
#endif /* CONFIG_LIVEPATCH_TRANSITION_INFO */

static struct kobj_attribute enabled_kobj_attr = __ATTR_RW(enabled);
static struct kobj_attribute transition_kobj_attr = __ATTR_RO(transition);
static struct kobj_attribute force_kobj_attr = __ATTR_WO(force);
static struct kobj_attribute replace_kobj_attr = __ATTR_RO(replace);
static struct kobj_attribute stack_order_kobj_attr = __ATTR_RO(stack_order);

static struct attribute *klp_patch_attrs[] = {
	&enabled_kobj_attr.attr,
	&transition_kobj_attr.attr,
	&force_kobj_attr.attr,
	&replace_kobj_attr.attr,
	&stack_order_kobj_attr.attr,
#ifdef CONFIG_LIVEPATCH_TRANSITION_INFO
	&pending_tasks_kobj_attr.attr,
#endif
	NULL
};
ATTRIBUTE_GROUPS(klp_patch);

static ssize_t patched_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct klp_object *obj = container_of(kobj, struct klp_object, kobj);

	return sysfs_emit(buf, "%d\n", READ_ONCE(obj->patched));
}

static struct kobj_attribute patched_kobj_attr = __ATTR_RO(patched);

static struct attribute *klp_object_attrs[] = {
	&patched_kobj_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(klp_object);

static struct klp_func *to_func(struct kobject *kobj)
{
	return container_of(kobj, struct klp_func, kobj);
}

#ifdef CONFIG_LIVEPATCH_SYSFS_ADDRS
/*
 * kallsyms_show_value() judges the reader by its credentials and
 * kptr_restrict, as /proc/kallsyms does.  A sysfs show method has no file
 * at hand, so it judges the task that reads; only root can open these
 * 0400 files in the first place.
 */
static ssize_t klp_show_addr(char *buf, unsigned long addr)
{
	if (!kallsyms_show_value(current_cred()))
		addr = 0;
	return sysfs_emit(buf, "%016lx\n", addr);
}

static ssize_t old_addr_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return klp_show_addr(buf, (unsigned long)READ_ONCE(to_func(kobj)->old_func));
}

static ssize_t new_addr_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return klp_show_addr(buf,
			     (unsigned long)READ_ONCE(to_func(kobj)->new_func));
}

static struct kobj_attribute old_addr_kobj_attr = __ATTR(old_addr, 0400,
							 old_addr_show, NULL);
static struct kobj_attribute new_addr_kobj_attr = __ATTR(new_addr, 0400,
							 new_addr_show, NULL);
#endif /* CONFIG_LIVEPATCH_SYSFS_ADDRS */

/* Without the addresses a function's directory is empty, as upstream's. */
static struct attribute *klp_func_attrs[] = {
#ifdef CONFIG_LIVEPATCH_SYSFS_ADDRS
	&old_addr_kobj_attr.attr,
	&new_addr_kobj_attr.attr,
#endif
	NULL,
};
ATTRIBUTE_GROUPS(klp_func);

/* The patch structure lives in its module; klp_free_patch_finish() waits. */
static void klp_patch_release(struct kobject *kobj)
{
	complete(&to_patch(kobj)->finish);
}

/* Only objects and functions generated for an atomic replace are ours. */
static void klp_object_release(struct kobject *kobj)
{
	struct klp_object *obj = container_of(kobj, struct klp_object, kobj);

	if (obj->dynamic) {
		kfree(obj->name);
		kfree(obj);
	}
}

static void klp_func_release(struct kobject *kobj)
{
	struct klp_func *func = to_func(kobj);

	if (func->nop) {
		kfree(func->old_name);
		kfree(func);
	}
}

const struct kobj_type klp_ktype_patch = {
	.release = klp_patch_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = klp_patch_groups,
};

const struct kobj_type klp_ktype_object = {
	.release = klp_object_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = klp_object_groups,
};

const struct kobj_type klp_ktype_func = {
	.release = klp_func_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = klp_func_groups,
};

int klp_sysfs_init(void)
{
	klp_root_kobj = kobject_create_and_add("livepatch", kernel_kobj);
	return klp_root_kobj ? 0 : -ENOMEM;
}
