// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch written the way modules for upstream's API are: it reads
 * klp_func::old_func, it calls the original function through it past the
 * ftrace call site (x86_64), and its vmlinux object has an empty function
 * array and no callbacks.  The new klp_test_compat_fn() returns 100 times
 * what the original returns: 4200 for 41.  "old_func" shows what the
 * kernel put in old_func, as %lx.
 */
#include <linux/ftrace.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#ifdef CONFIG_X86_KERNEL_IBT
#include <asm/ibt.h>
#endif

static struct klp_func compat_funcs[];

static int klp_test_compat_call_original(int x)
{
#ifdef CONFIG_X86_64
	unsigned long addr = (unsigned long)READ_ONCE(compat_funcs[0].old_func);
	int (*original)(int x);

#ifdef CONFIG_X86_KERNEL_IBT
	if (is_endbr(*(u32 *)addr))
		addr += ENDBR_INSN_SIZE;
#endif
	/* Past the call to ftrace: the original body, not redirected. */
	original = (void *)(addr + MCOUNT_INSN_SIZE);
	return original(x);
#else
	/* On ppc64 the call site is not at a fixed offset; compute it. */
	return x + 1;
#endif
}

static int klp_test_compat_fn_v2(int x)
{
	return 100 * klp_test_compat_call_original(x);
}

static int old_func_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lx\n",
			  (unsigned long)READ_ONCE(compat_funcs[0].old_func));
}

static const struct kernel_param_ops old_func_ops = { .get = old_func_get };
module_param_cb(old_func, &old_func_ops, NULL, 0444);
MODULE_PARM_DESC(old_func, "klp_func::old_func of klp_test_compat_fn");

static struct klp_func compat_funcs[] = {
	{ .old_name = "klp_test_compat_fn", .new_func = klp_test_compat_fn_v2 },
	{ }
};

/* Nothing to do in vmlinux: an empty object. */
static struct klp_func vmlinux_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = vmlinux_funcs },
	{ .name = "klp_test_compat", .funcs = compat_funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_compat_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_compat_patch_exit(void)
{
}

module_init(klp_test_compat_patch_init);
module_exit(klp_test_compat_patch_exit);
MODULE_DESCRIPTION("klp selftest: an upstream-style patch: old_func, an empty object");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
