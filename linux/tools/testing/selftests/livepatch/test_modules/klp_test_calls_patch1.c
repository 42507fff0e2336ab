// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * First patch of klp_test_calls_target:
 *  - step(x) = klp_test_lib_add(x, local) + strlen(tag): a call into another
 *    module, a call into vmlinux and this module's own data, each needing
 *    the right TOC on ppc64;
 *  - depth(n) recurses by calling the target's depth(), which is itself:
 *    every level re-enters the ftrace handler and nests one more frame
 *    (on ppc64 one more livepatch stack entry); the bottom adds 100.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/string.h>
#include "klp_test_calls.h"
#include "klp_test_reloc.h"

#define target_depth	KLP_SYM(klp_test_calls_target, klp_test_calls_depth, 0)
KLP_EXTERN int target_depth(int n);

static int local = 20;
static const char *tag = "p1";	/* strlen() == 2 */

static int step_v2(int x)
{
	return klp_test_lib_add(x, READ_ONCE(local)) + strlen(tag);
}

static int depth_v2(int n)
{
	return n > 0 ? 1 + target_depth(n - 1) : 100;
}

static struct klp_func funcs[] = {
	{ .old_name = "klp_test_calls_step", .new_func = step_v2 },
	{ .old_name = "klp_test_calls_depth", .new_func = depth_v2 },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_test_calls_target", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_calls_patch1_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_calls_patch1_exit(void)
{
}

module_init(klp_test_calls_patch1_init);
module_exit(klp_test_calls_patch1_exit);
MODULE_DESCRIPTION("klp selftest: first patch of the call shapes");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
