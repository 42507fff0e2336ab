// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Broken patches, one per "scenario", for the bad-input suite.  Most
 * scenarios hand klp_enable_patch() a malformed patch and fail the module
 * load with its error.  Those that must keep the module loaded (calling
 * the API twice, or after init) leave the API's return value in "result".
 * "name" and "sympos" pick the function for the scenarios about symbols.
 * The scenarios of the registered lifecycle need KLP_TEST_REGISTER_API,
 * which the Makefile defines unless the module is built for upstream's
 * kernel (test-compat.sh runs there too).
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/string.h>

static char *scenario = "none";
module_param(scenario, charp, 0444);
MODULE_PARM_DESC(scenario, "which broken patch to try");

static char *name = "cmdline_proc_show";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "function to patch, for the symbol scenarios");

static char *name2 = "klp_test_no_such_function_2";
module_param(name2, charp, 0444);
MODULE_PARM_DESC(name2, "second function to patch, for scenario \"names\"");

static unsigned long sympos;
module_param(sympos, ulong, 0444);
MODULE_PARM_DESC(sympos, "its old_sympos");

static int result = 1;
module_param(result, int, 0444);
MODULE_PARM_DESC(result, "return value of the API call a scenario made last");

static int klp_test_bad_show(struct seq_file *m, void *v)
{
	seq_puts(m, "klp_test_bad\n");
	return 0;
}

static char long_name[KSYM_NAME_LEN + 8];

static struct klp_func funcs[4];
static struct klp_object objs[3];
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
#ifdef KLP_TEST_REGISTER_API
static bool registered;
#endif

static void set_func(int i, const char *old_name, unsigned long pos)
{
	funcs[i].old_name = old_name;
	funcs[i].new_func = klp_test_bad_show;
	funcs[i].old_sympos = pos;
}

static int action_set(const char *val, const struct kernel_param *kp)
{
	if (!sysfs_streq(val, "enable"))
		return -EINVAL;
	result = klp_enable_patch(&patch);
	return 0;
}

static const struct kernel_param_ops action_ops = { .set = action_set };
module_param_cb(action, &action_ops, NULL, 0200);
MODULE_PARM_DESC(action, "enable: call klp_enable_patch() after init");

static bool is(const char *s)
{
	return !strcmp(scenario, s);
}

static int __init klp_test_bad_init(void)
{
	memset(long_name, 'x', sizeof(long_name) - 1);
	objs[0].funcs = funcs;
	set_func(0, name, sympos);

	if (is("null_patch"))
		return klp_enable_patch(NULL);
	if (is("no_funcs")) {
		objs[0].name = "klp_test_target";
		objs[0].funcs = NULL;
	}
	if (is("no_mod"))
		patch.mod = NULL;
	else if (is("no_objs"))
		patch.objs = NULL;
	else if (is("empty_objs"))
		objs[0].funcs = NULL;
	else if (is("empty_funcs"))
		memset(funcs, 0, sizeof(funcs));
	else if (is("no_old_name"))
		funcs[0].old_name = NULL;
	else if (is("no_new_func"))
		funcs[0].new_func = NULL;
	else if (is("long_name"))
		funcs[0].old_name = long_name;
	else if (is("func_twice"))
		set_func(1, name, sympos);
	else if (is("func_twice_pos"))
		set_func(1, name, 1);	/* sympos 0 names position 1 too */
	else if (is("names"))
		set_func(1, name2, 0);
	else if (is("obj_twice"))
		objs[1].funcs = funcs;
	else if (is("obj_vmlinux"))
		objs[0].name = "vmlinux";
	else if (is("obj_long_name"))
		objs[0].name = long_name;
	else if (is("module_func") || is("module_names"))
		objs[0].name = "klp_test_target";
	if (is("module_names"))
		set_func(1, name2, 0);
	/* An error after the repeat: the repeat is reported, as it comes first. */
	if (is("func_twice_pos"))
		funcs[2].old_name = name2;

	if (is("twice")) {
		result = klp_enable_patch(&patch);
		if (!result)
			result = klp_enable_patch(&patch);
		return 0;
	}
#ifdef KLP_TEST_REGISTER_API
	if (is("register_twice")) {
		result = klp_register_patch(&patch);
		registered = !result;
		if (!result)
			result = klp_register_patch(&patch);
		return 0;
	}
	if (is("unregister_unknown")) {
		result = klp_unregister_patch(&patch);
		return 0;
	}
	if (is("disable_unknown")) {
		result = klp_disable_patch(&patch);
		return 0;
	}
#endif
	if (is("later"))
		return 0;
	return klp_enable_patch(&patch);
}

static void __exit klp_test_bad_exit(void)
{
#ifdef KLP_TEST_REGISTER_API
	if (registered)
		WARN_ON(klp_unregister_patch(&patch));
#endif
}

module_init(klp_test_bad_init);
module_exit(klp_test_bad_exit);
MODULE_DESCRIPTION("klp selftest: malformed patches and misuses of the API");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
