// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The target of the compatibility patches (test-compat.sh): a function
 * to patch, a static variable and a static function for klp relocations
 * to reach.  Reading "answer" calls klp_test_compat_fn(41): 42 with this
 * version.
 */
#include <linux/module.h>

static int klp_test_compat_secret = 1234;

static noinline __noclone __used int klp_test_compat_fn(int x)
{
	return x + 1 + (READ_ONCE(klp_test_compat_secret) - 1234);
}

static int answer_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", klp_test_compat_fn(41));
}

static const struct kernel_param_ops answer_ops = { .get = answer_get };
module_param_cb(answer, &answer_ops, NULL, 0444);
MODULE_PARM_DESC(answer, "klp_test_compat_fn(41)");

MODULE_DESCRIPTION("klp selftest: the target of the compatibility patches");
MODULE_LICENSE("GPL");
