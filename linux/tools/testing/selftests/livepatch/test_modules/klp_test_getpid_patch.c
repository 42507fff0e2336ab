// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live patch of the getpid system call.  The new version counts its calls
 * (parameter "calls") and otherwise does what the old one did.
 */
#include <linux/atomic.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sched.h>

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

/* Any arguments the entry code passes (x86 passes pt_regs) are unused. */
static asmlinkage long klp_test_getpid(void)
{
	atomic_long_inc(&calls);
	return task_tgid_vnr(current);
}

static struct klp_func funcs[] = {
	{ .old_name = GETPID_SYMBOL, .new_func = klp_test_getpid },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_getpid_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_getpid_exit(void)
{
}

module_init(klp_test_getpid_init);
module_exit(klp_test_getpid_exit);
MODULE_DESCRIPTION("klp selftest: patch of the getpid system call");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
