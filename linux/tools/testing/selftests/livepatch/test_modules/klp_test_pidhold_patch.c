// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live patch of the getpid system call, which test tasks run flat out,
 * and of klp_test_target_func(), in which klp_test_target's worker can
 * hold a transition open for as long as a test wants (test-fork-race.sh,
 * test-preempt-unpatch.sh).  Both new versions behave as the old ones do.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sched.h>
#include "klp_test_target.h"

#if defined(CONFIG_X86_64)
#define GETPID_SYMBOL "__x64_sys_getpid"
#else
#define GETPID_SYMBOL "sys_getpid"
#endif

static asmlinkage long klp_test_getpid(void)
{
	return task_tgid_vnr(current);
}

static noinline int klp_test_target_func_v2(void)
{
	while (READ_ONCE(klp_test_hold) && !kthread_should_stop())
		msleep(20);
	return 2;
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = GETPID_SYMBOL, .new_func = klp_test_getpid },
	{ }
};

static struct klp_func target_funcs[] = {
	{ .old_name = "klp_test_target_func", .new_func = klp_test_target_func_v2 },
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

static int __init klp_test_pidhold_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_pidhold_patch_exit(void)
{
}

module_init(klp_test_pidhold_patch_init);
module_exit(klp_test_pidhold_patch_exit);
MODULE_DESCRIPTION("klp selftest: patch of getpid and of a function a transition can be held in");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
