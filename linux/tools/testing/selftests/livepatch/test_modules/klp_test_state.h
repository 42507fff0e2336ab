/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A patch that owns one system state (id KLP_TEST_STATE_ID) at version
 * KLP_TEST_STATE_VERSION, set by the including .c file.  Its pre_patch
 * callback takes the state's data over from the patch it replaces
 * (klp_get_prev_state()) or creates it; its post_unpatch callback, which
 * runs only when the patch is disabled rather than replaced, frees it.
 * Every step is logged as "<module>: <what> <data>".
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#define KLP_TEST_STATE_ID	42

static int klp_test_state_pre_patch(struct klp_object *obj)
{
	struct klp_state *prev = klp_get_prev_state(KLP_TEST_STATE_ID);
	struct klp_state *state;

	state = klp_get_state(&klp_test_state_patch, KLP_TEST_STATE_ID);
	if (!state)
		return -EINVAL;
	if (prev && prev->data) {
		state->data = prev->data;
		pr_info("%s: took over '%s'\n", KBUILD_MODNAME,
			(char *)state->data);
		return 0;
	}
	state->data = kasprintf(GFP_KERNEL, "created by %s", KBUILD_MODNAME);
	if (!state->data)
		return -ENOMEM;
	pr_info("%s: created '%s'\n", KBUILD_MODNAME, (char *)state->data);
	return 0;
}

static void klp_test_state_post_unpatch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&klp_test_state_patch,
						KLP_TEST_STATE_ID);
	struct klp_state *prev = klp_get_prev_state(KLP_TEST_STATE_ID);

	/*
	 * A cancelled or reversed takeover hands the data back: the patch
	 * it came from still runs and still owns it.
	 */
	if (prev && prev->data == state->data) {
		pr_info("%s: handed back '%s'\n", KBUILD_MODNAME,
			(char *)state->data);
	} else {
		pr_info("%s: released '%s'\n", KBUILD_MODNAME,
			(char *)state->data);
		kfree(state->data);
	}
	state->data = NULL;
}

static int klp_test_state_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", KBUILD_MODNAME);
	return 0;
}

static struct klp_func klp_test_state_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = klp_test_state_show },
	{ }
};

static struct klp_object klp_test_state_objs[] = {
	{
		.funcs = klp_test_state_funcs,
		.callbacks = {
			.pre_patch = klp_test_state_pre_patch,
			.post_unpatch = klp_test_state_post_unpatch,
		},
	},
	{ }
};

static struct klp_state klp_test_states[] = {
	{ .id = KLP_TEST_STATE_ID, .version = KLP_TEST_STATE_VERSION },
	{ }
};

static struct klp_patch klp_test_state_patch = {
	.mod = THIS_MODULE,
	.objs = klp_test_state_objs,
	.states = klp_test_states,
	.replace = true,
};

static int __init klp_test_state_init(void)
{
	return klp_enable_patch(&klp_test_state_patch);
}

static void __exit klp_test_state_exit(void)
{
}

module_init(klp_test_state_init);
module_exit(klp_test_state_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
