// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livepatch-shadow-mod: a module with a memory leak, to be fixed live.
 *
 * Every second a worker creates a "widget", and every widget older than
 * a few seconds is retired.  Each widget is created with a scratch buffer
 * that nothing remembers, so retiring the widget cannot free it: 64 bytes
 * leak per widget.  struct widget cannot grow a field to hold the buffer
 * without a reboot, which is what shadow variables are for:
 *
 *   insmod livepatch-shadow-mod.ko     # dmesg: widgets created, retired
 *   insmod livepatch-shadow-fix1.ko    # keeps the buffer in a shadow
 *                                      # variable and frees it on retire
 *   insmod livepatch-shadow-fix2.ko    # adds a per-widget check counter,
 *                                      # a second shadow variable
 *   echo 0 > /sys/kernel/livepatch/livepatch_shadow_fix2/enabled
 *   echo 0 > /sys/kernel/livepatch/livepatch_shadow_fix1/enabled
 *   rmmod livepatch_shadow_fix2 livepatch_shadow_fix1 livepatch_shadow_mod
 *
 * The functions the fixes replace are widget_create(), widget_retire()
 * and widget_is_old(); they are noinline so each exists to be patched.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#define WIDGET_LIFETIME		(3 * HZ)
#define WIDGET_SCRATCH_SIZE	64

/* The layout a live patch cannot change. */
struct widget {
	struct list_head node;
	unsigned long born;
	int id;
};

static LIST_HEAD(widgets);	/* only the worker touches it */
static int next_id;
static void widget_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(widget_work, widget_work_fn);

/*
 * noinline and __noclone: each must stay one function under its own name,
 * or there is nothing for a live patch to find and replace.
 */
static noinline __noclone struct widget *widget_create(int id)
{
	struct widget *w = kzalloc(sizeof(*w), GFP_KERNEL);
	void *scratch;

	if (!w)
		return NULL;
	w->id = id;
	w->born = jiffies;

	/* The bug: the buffer is set up and then forgotten. */
	scratch = kzalloc(WIDGET_SCRATCH_SIZE, GFP_KERNEL);
	pr_info("widget %d created (scratch %s)\n", id,
		scratch ? "allocated" : "missing");
	return w;
}

static noinline __noclone void widget_retire(struct widget *w)
{
	pr_info("widget %d retired\n", w->id);
	kfree(w);
}

static noinline __noclone bool widget_is_old(struct widget *w)
{
	return time_after(jiffies, w->born + WIDGET_LIFETIME);
}

static void widget_work_fn(struct work_struct *work)
{
	struct widget *w, *tmp;

	w = widget_create(next_id++);
	if (w)
		list_add_tail(&w->node, &widgets);

	list_for_each_entry_safe(w, tmp, &widgets, node) {
		if (!widget_is_old(w))
			continue;
		list_del(&w->node);
		widget_retire(w);
	}
	schedule_delayed_work(&widget_work, HZ);
}

static int __init shadow_mod_init(void)
{
	schedule_delayed_work(&widget_work, 0);
	return 0;
}

static void __exit shadow_mod_exit(void)
{
	struct widget *w, *tmp;

	cancel_delayed_work_sync(&widget_work);
	list_for_each_entry_safe(w, tmp, &widgets, node) {
		list_del(&w->node);
		widget_retire(w);
	}
}

module_init(shadow_mod_init);
module_exit(shadow_mod_exit);
MODULE_DESCRIPTION("Live patch sample: a module with a leak, for the shadow fixes");
MODULE_LICENSE("GPL");
