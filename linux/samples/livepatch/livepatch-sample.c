// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livepatch-sample: the smallest useful live patch.
 *
 * It replaces cmdline_proc_show(), the function behind /proc/cmdline, with
 * a version that prints a fixed message.  Try it:
 *
 *   cat /proc/cmdline                      # the real command line
 *   insmod livepatch-sample.ko
 *   cat /sys/kernel/livepatch/livepatch_sample/transition   # 0 when done
 *   cat /proc/cmdline                      # "this has been live patched"
 *   echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled
 *   cat /proc/cmdline                      # the real command line again
 *   rmmod livepatch_sample
 *
 * A patch module names, per object (NULL for vmlinux, or a module name),
 * the functions it replaces, and hands the lot to klp_enable_patch() from
 * its init function.  Disabling happens through sysfs; once the patch is
 * disabled the module can be removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

/* Same prototype as the function it replaces. */
static int patched_cmdline_show(struct seq_file *m, void *v)
{
	seq_puts(m, "this has been live patched\n");
	return 0;
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = patched_cmdline_show },
	{ }
};

static struct klp_object patched_objects[] = {
	{ .name = NULL /* vmlinux */, .funcs = vmlinux_funcs },
	{ }
};

static struct klp_patch sample_patch = {
	.mod = THIS_MODULE,
	.objs = patched_objects,
};

static int __init sample_patch_init(void)
{
	return klp_enable_patch(&sample_patch);
}

static void __exit sample_patch_exit(void)
{
	/* Nothing to do: the patch was disabled and freed before rmmod. */
}

module_init(sample_patch_init);
module_exit(sample_patch_exit);
MODULE_DESCRIPTION("Live patch sample: replaces /proc/cmdline");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
