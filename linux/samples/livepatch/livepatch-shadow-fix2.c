// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livepatch-shadow-fix2: build on livepatch-shadow-fix1 with a second
 * shadow variable.
 *
 * Load it on top of fix1.  Its widget_is_old() counts, per widget, how
 * many times the widget was checked, in a shadow variable created on
 * first use with klp_shadow_get_or_alloc(); its widget_retire() reports
 * the count and frees both shadow variables, including fix1's scratch
 * buffer.  Disabling fix2 brings fix1's versions back; the post-unpatch
 * callback drops the counters nobody will read any more.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/slab.h>

#define WIDGET_SHADOW_SCRATCH	1	/* fix1's */
#define WIDGET_SHADOW_CHECKS	2
#define WIDGET_LIFETIME		(3 * HZ)

struct widget {
	struct list_head node;
	unsigned long born;
	int id;
};

static void scratch_dtor(void *obj, void *shadow_data)
{
	kfree(*(void **)shadow_data);
}

static bool counting_widget_is_old(struct widget *w)
{
	unsigned int *checks;

	checks = klp_shadow_get_or_alloc(w, WIDGET_SHADOW_CHECKS,
					 sizeof(*checks), GFP_NOWAIT,
					 NULL, NULL);
	if (checks)
		(*checks)++;
	return time_after(jiffies, w->born + WIDGET_LIFETIME);
}

static void counting_widget_retire(struct widget *w)
{
	unsigned int *checks = klp_shadow_get(w, WIDGET_SHADOW_CHECKS);

	pr_info("widget %d retired after %u checks\n", w->id,
		checks ? *checks : 0);
	klp_shadow_free(w, WIDGET_SHADOW_CHECKS, NULL);
	klp_shadow_free(w, WIDGET_SHADOW_SCRATCH, scratch_dtor);
	kfree(w);
}

static void free_all_counters(struct klp_object *obj)
{
	klp_shadow_free_all(WIDGET_SHADOW_CHECKS, NULL);
}

static struct klp_func funcs[] = {
	{ .old_name = "widget_is_old", .new_func = counting_widget_is_old },
	{ .old_name = "widget_retire", .new_func = counting_widget_retire },
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "livepatch_shadow_mod",
		.funcs = funcs,
		.callbacks = { .post_unpatch = free_all_counters },
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init shadow_fix2_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit shadow_fix2_exit(void)
{
}

module_init(shadow_fix2_init);
module_exit(shadow_fix2_exit);
MODULE_DESCRIPTION("Live patch sample: a second shadow variable on top of fix1");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
