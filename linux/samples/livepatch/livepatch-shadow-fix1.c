// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livepatch-shadow-fix1: fix livepatch-shadow-mod's leak with a shadow
 * variable.
 *
 * The new widget_create() keeps the scratch buffer in a shadow variable
 * attached to the widget (id WIDGET_SHADOW_SCRATCH); the new
 * widget_retire() frees it through the variable's destructor.  Widgets
 * created before the patch have no shadow variable and still leak: a live
 * patch changes code from now on, it cannot reach back in time.
 *
 * When the patch is disabled, the post-unpatch callback frees every
 * scratch buffer still attached, since the original widget_retire() would
 * not.  See livepatch-shadow-mod.c for the whole walk-through.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/slab.h>

/* Shared with livepatch-shadow-fix2, which builds on this fix. */
#define WIDGET_SHADOW_SCRATCH	1
#define WIDGET_SCRATCH_SIZE	64

struct widget {
	struct list_head node;
	unsigned long born;
	int id;
};

/* The shadow variable holds a pointer to the buffer. */
static int scratch_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	*(void **)shadow_data = ctor_data;
	return 0;
}

static void scratch_dtor(void *obj, void *shadow_data)
{
	kfree(*(void **)shadow_data);
}

static struct widget *fixed_widget_create(int id)
{
	struct widget *w = kzalloc(sizeof(*w), GFP_KERNEL);
	void *scratch;

	if (!w)
		return NULL;
	w->id = id;
	w->born = jiffies;

	scratch = kzalloc(WIDGET_SCRATCH_SIZE, GFP_KERNEL);
	if (scratch && !klp_shadow_alloc(w, WIDGET_SHADOW_SCRATCH,
					 sizeof(scratch), GFP_KERNEL,
					 scratch_ctor, scratch)) {
		kfree(scratch);
		scratch = NULL;
	}
	pr_info("widget %d created, scratch kept in a shadow variable\n", id);
	return w;
}

static void fixed_widget_retire(struct widget *w)
{
	bool had = klp_shadow_get(w, WIDGET_SHADOW_SCRATCH);

	klp_shadow_free(w, WIDGET_SHADOW_SCRATCH, scratch_dtor);
	pr_info("widget %d retired, scratch %s\n", w->id,
		had ? "freed" : "leaked (created before the fix)");
	kfree(w);
}

static void free_all_scratch(struct klp_object *obj)
{
	klp_shadow_free_all(WIDGET_SHADOW_SCRATCH, scratch_dtor);
}

static struct klp_func funcs[] = {
	{ .old_name = "widget_create", .new_func = fixed_widget_create },
	{ .old_name = "widget_retire", .new_func = fixed_widget_retire },
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "livepatch_shadow_mod",
		.funcs = funcs,
		.callbacks = { .post_unpatch = free_all_scratch },
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init shadow_fix1_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit shadow_fix1_exit(void)
{
}

module_init(shadow_fix1_init);
module_exit(shadow_fix1_exit);
MODULE_DESCRIPTION("Live patch sample: fix a leak with a shadow variable");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
