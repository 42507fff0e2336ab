// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The target of test-calls.sh.  Reading the "result" parameter calls
 *   klp_test_calls_step() through a function pointer, and
 *   klp_test_calls_depth(), which recurses,
 * and shows both results.  The originals return x + 1 and n (after n
 * recursive calls); the patches change both.
 */
#include <linux/module.h>

static noinline __noclone int klp_test_calls_step(int x)
{
	return x + 1;
}

static noinline __noclone int klp_test_calls_depth(int n)
{
	return n > 0 ? 1 + klp_test_calls_depth(n - 1) : 0;
}

/*
 * Called through a pointer, as callbacks and ops tables call functions;
 * READ_ONCE() keeps the compiler from turning it into a direct call.
 */
static int (*klp_test_calls_ptr)(int x) = klp_test_calls_step;

static int result_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d %d\n", READ_ONCE(klp_test_calls_ptr)(5),
			  klp_test_calls_depth(10));
}

static const struct kernel_param_ops result_ops = { .get = result_get };
module_param_cb(result, &result_ops, NULL, 0444);
MODULE_PARM_DESC(result, "step(5) through a pointer, and depth(10)");

MODULE_DESCRIPTION("klp selftest: call shapes to redirect");
MODULE_LICENSE("GPL");
