// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The patch of test-bpf.sh: getpid, which BPF programs of every
 * trampoline kind may attach to (it is on the error-injection list, as
 * fmod_ret wants), counted in "calls" so that the test knows which
 * version ran; and klp_test_target_func(), whose worker can hold a
 * transition open ("hold" in klp_test_target).
 */
#include <linux/atomic.h>
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

static atomic_long_t calls;

static int calls_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&calls));
}

static const struct kernel_param_ops calls_ops = { .get = calls_get };
module_param_cb(calls, &calls_ops, NULL, 0444);
MODULE_PARM_DESC(calls, "calls of the patched getpid so far");

static asmlinkage long klp_test_bpf_getpid(void)
{
	atomic_long_inc(&calls);
	return task_tgid_vnr(current);
}

static noinline int klp_test_bpf_target_func(void)
{
	while (READ_ONCE(klp_test_hold) && !kthread_should_stop())
		msleep(20);
	return 2;
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = GETPID_SYMBOL, .new_func = klp_test_bpf_getpid },
	{ }
};

static struct klp_func target_funcs[] = {
	{ .old_name = "klp_test_target_func",
	  .new_func = klp_test_bpf_target_func },
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

static int __init klp_test_bpf_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_bpf_patch_exit(void)
{
}

module_init(klp_test_bpf_patch_init);
module_exit(klp_test_bpf_patch_exit);
MODULE_DESCRIPTION("klp selftest: getpid patched under BPF trampolines");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
