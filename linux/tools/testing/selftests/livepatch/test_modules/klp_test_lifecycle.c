// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A registered patch: klp_register_patch() in init, then enabled and
 * disabled any number of times, and klp_unregister_patch() in exit.
 *
 * It replaces getpid (counting calls in "calls") and klp_test_target_func()
 * of klp_test_target (returning 3, and sleeping while "hold" is set there,
 * so a test can keep a transition open).  Parameters choose what init and
 * exit do; writing enable, disable or unregister to "action" calls the API
 * from outside init and leaves its return value in "result".
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "klp_test_target.h"

#if defined(CONFIG_X86_64)
#define GETPID_SYMBOL "__x64_sys_getpid"
#else
#define GETPID_SYMBOL "sys_getpid"
#endif

static bool enable = true;
module_param(enable, bool, 0444);
MODULE_PARM_DESC(enable, "enable the patch in init, after registering it");

static bool replace;
module_param(replace, bool, 0444);
MODULE_PARM_DESC(replace, "make this an atomic replace patch");

static bool unregister_in_exit = true;
module_param(unregister_in_exit, bool, 0444);
MODULE_PARM_DESC(unregister_in_exit, "unregister the patch in exit, as a module should");

static int result;
module_param(result, int, 0444);
MODULE_PARM_DESC(result, "return value of the last action");

static atomic_long_t calls;

static int calls_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&calls));
}

static const struct kernel_param_ops calls_ops = { .get = calls_get };
module_param_cb(calls, &calls_ops, NULL, 0444);
MODULE_PARM_DESC(calls, "calls of the patched getpid so far");

static asmlinkage long klp_test_lifecycle_getpid(void)
{
	atomic_long_inc(&calls);
	return task_tgid_vnr(current);
}

static noinline int klp_test_lifecycle_target_func(void)
{
	while (READ_ONCE(klp_test_hold) && !kthread_should_stop())
		msleep(20);
	return 3;
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = GETPID_SYMBOL, .new_func = klp_test_lifecycle_getpid },
	{ }
};

static struct klp_func target_funcs[] = {
	{ .old_name = "klp_test_target_func",
	  .new_func = klp_test_lifecycle_target_func },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = vmlinux_funcs },
	{ .name = "klp_test_target", .funcs = target_funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

/* Whether this module still has to unregister the patch. */
static bool registered;

static int action_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "enable")) {
		result = klp_enable_patch(&patch);
	} else if (sysfs_streq(val, "disable")) {
		result = klp_disable_patch(&patch);
	} else if (sysfs_streq(val, "unregister")) {
		result = klp_unregister_patch(&patch);
		if (!result)
			registered = false;
	} else {
		return -EINVAL;
	}
	return 0;
}

static const struct kernel_param_ops action_ops = { .set = action_set };
module_param_cb(action, &action_ops, NULL, 0200);
MODULE_PARM_DESC(action, "enable, disable or unregister");

static int __init klp_test_lifecycle_init(void)
{
	int ret;

	patch.replace = replace;
	ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	registered = true;

	if (enable) {
		ret = klp_enable_patch(&patch);
		if (ret) {
			WARN_ON(klp_unregister_patch(&patch));
			return ret;
		}
	}
	return 0;
}

static void __exit klp_test_lifecycle_exit(void)
{
	if (registered && unregister_in_exit)
		WARN_ON(klp_unregister_patch(&patch));
}

module_init(klp_test_lifecycle_init);
module_exit(klp_test_lifecycle_exit);
MODULE_DESCRIPTION("klp selftest: a registered patch and its lifecycle");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
