// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Callbacks on vmlinux and on klp_test_cb_target, each logged as
 * "klp_test_cb_patch: <callback> <object> <module state>".  pre_patch
 * returns the "fail" parameter for the object named by "fail_obj".
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int fail;
module_param(fail, int, 0644);
static char *fail_obj = "";
module_param(fail_obj, charp, 0644);

static const char *klp_test_state(struct klp_object *obj)
{
	if (!obj->mod)
		return "-";
	switch (obj->mod->state) {
	case MODULE_STATE_LIVE: return "live";
	case MODULE_STATE_COMING: return "coming";
	case MODULE_STATE_GOING: return "going";
	default: return "unformed";
	}
}

static const char *klp_test_obj(struct klp_object *obj)
{
	return obj->name ? obj->name : "vmlinux";
}

static void klp_test_log(const char *cb, struct klp_object *obj)
{
	pr_info("%s: %s %s %s\n", KBUILD_MODNAME, cb, klp_test_obj(obj),
		klp_test_state(obj));
}

static int klp_test_pre_patch(struct klp_object *obj)
{
	klp_test_log("pre_patch", obj);
	return strcmp(fail_obj, klp_test_obj(obj)) ? 0 : fail;
}

static void klp_test_post_patch(struct klp_object *obj)
{
	klp_test_log("post_patch", obj);
}

static void klp_test_pre_unpatch(struct klp_object *obj)
{
	klp_test_log("pre_unpatch", obj);
}

static void klp_test_post_unpatch(struct klp_object *obj)
{
	klp_test_log("post_unpatch", obj);
}

static int klp_test_cmdline_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", KBUILD_MODNAME);
	return 0;
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = klp_test_cmdline_show },
	{ }
};

static struct klp_func no_funcs[] = {
	{ }
};

#define KLP_TEST_CALLBACKS {					\
	.pre_patch = klp_test_pre_patch,			\
	.post_patch = klp_test_post_patch,			\
	.pre_unpatch = klp_test_pre_unpatch,			\
	.post_unpatch = klp_test_post_unpatch,			\
}

static struct klp_object objs[] = {
	{ .funcs = vmlinux_funcs, .callbacks = KLP_TEST_CALLBACKS },
	{
		.name = "klp_test_cb_target",
		.funcs = no_funcs,
		.callbacks = KLP_TEST_CALLBACKS,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_cb_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_cb_patch_exit(void)
{
}

module_init(klp_test_cb_patch_init);
module_exit(klp_test_cb_patch_exit);
MODULE_DESCRIPTION("klp selftest: callback order");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
