// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livepatch-callbacks-demo: when each callback of a live patch runs.
 *
 * Every object of a patch may carry four callbacks.  This demo logs each
 * call with the object and, for modules, the module state it sees:
 *
 *   pre_patch	 before the object's functions are redirected; returning an
 *		 error cancels the patch (or refuses the module's load).
 *		 Try:  insmod livepatch-callbacks-demo.ko pre_patch_ret=-19
 *   post_patch	 after every task runs the new code
 *   pre_unpatch before the unpatching transition starts
 *   post_unpatch after every task runs the old code again
 *
 * It has three objects: vmlinux, livepatch_callbacks_mod (a module that
 * may come and go at any time) and livepatch_callbacks_busymod (whose
 * worker blocks the transition).  Load the modules before or after the
 * patch, unload them while it is enabled, and compare the logs:
 *
 *   insmod livepatch-callbacks-demo.ko
 *   insmod livepatch-callbacks-mod.ko      # pre_patch, post_patch: COMING
 *   rmmod livepatch_callbacks_mod          # pre_unpatch, post_unpatch: GOING
 *   echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled
 *   rmmod livepatch_callbacks_demo
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/livepatch.h>
#include <linux/module.h>

static int pre_patch_ret;
module_param(pre_patch_ret, int, 0644);
MODULE_PARM_DESC(pre_patch_ret, "what the pre_patch callbacks return");

static const char *const state_names[] = {
	[MODULE_STATE_LIVE] = "LIVE",
	[MODULE_STATE_COMING] = "COMING",
	[MODULE_STATE_GOING] = "GOING",
	[MODULE_STATE_UNFORMED] = "UNFORMED",
};

static void log_callback(const char *which, struct klp_object *obj)
{
	if (obj->mod)
		pr_info("%s: %s (module state %s)\n", which, obj->mod->name,
			state_names[obj->mod->state]);
	else
		pr_info("%s: vmlinux\n", which);
}

static int demo_pre_patch(struct klp_object *obj)
{
	log_callback("pre_patch", obj);
	return pre_patch_ret;
}

static void demo_post_patch(struct klp_object *obj)
{
	log_callback("post_patch", obj);
}

static void demo_pre_unpatch(struct klp_object *obj)
{
	log_callback("pre_unpatch", obj);
}

static void demo_post_unpatch(struct klp_object *obj)
{
	log_callback("post_unpatch", obj);
}

/* The replacement of busymod_stay(): leaves at once. */
static void demo_busymod_stay(void)
{
	pr_info("patched busymod_stay() runs\n");
}

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_func busymod_funcs[] = {
	{ .old_name = "busymod_stay", .new_func = demo_busymod_stay },
	{ }
};

#define DEMO_CALLBACKS {				\
	.pre_patch = demo_pre_patch,			\
	.post_patch = demo_post_patch,			\
	.pre_unpatch = demo_pre_unpatch,		\
	.post_unpatch = demo_post_unpatch,		\
}

static struct klp_object objs[] = {
	{ .name = NULL, .funcs = no_funcs, .callbacks = DEMO_CALLBACKS },
	{
		.name = "livepatch_callbacks_mod",
		.funcs = no_funcs,
		.callbacks = DEMO_CALLBACKS,
	},
	{
		.name = "livepatch_callbacks_busymod",
		.funcs = busymod_funcs,
		.callbacks = DEMO_CALLBACKS,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init callbacks_demo_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit callbacks_demo_exit(void)
{
}

module_init(callbacks_demo_init);
module_exit(callbacks_demo_exit);
MODULE_DESCRIPTION("Live patch sample: when callbacks run");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
