// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livepatch-lifecycle.c - a live patch that follows the four-step
 * lifecycle: registered and enabled when loaded, toggled through sysfs,
 * unregistered when unloaded.
 *
 * Like livepatch-sample, it replaces the function behind /proc/cmdline:
 *
 *   $ insmod livepatch-lifecycle.ko
 *   $ cat /proc/cmdline
 *   this has been live patched (registered lifecycle)
 *
 * Disabling it keeps it registered; it can be enabled again:
 *
 *   $ echo 0 > /sys/kernel/livepatch/livepatch_lifecycle/enabled
 *   $ cat /proc/cmdline
 *   <your original cmdline>
 *   $ echo 1 > /sys/kernel/livepatch/livepatch_lifecycle/enabled
 *   $ cat /proc/cmdline
 *   this has been live patched (registered lifecycle)
 *
 * Once it is disabled, and its "transition" file reads 0, the module can be
 * removed; its exit function unregisters the patch:
 *
 *   $ echo 0 > /sys/kernel/livepatch/livepatch_lifecycle/enabled
 *   $ rmmod livepatch-lifecycle
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "this has been live patched (registered lifecycle)\n");
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		/* name being NULL means vmlinux */
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init livepatch_init(void)
{
	int ret;

	ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&patch));
		return ret;
	}
	return 0;
}

static void __exit livepatch_exit(void)
{
	/* The module can only go while the patch is disabled. */
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(livepatch_init);
module_exit(livepatch_exit);
MODULE_DESCRIPTION("Live patch sample following the register/enable/disable/unregister lifecycle");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
