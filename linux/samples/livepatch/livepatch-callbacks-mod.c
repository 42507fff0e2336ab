// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livepatch-callbacks-mod: a module for livepatch-callbacks-demo to patch.
 *
 * It does nothing but exist: load it before or after the demo patch and
 * watch the demo's callbacks for this object run, with the module state
 * they see.  See livepatch-callbacks-demo.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init callbacks_mod_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit callbacks_mod_exit(void)
{
	pr_info("unloading\n");
}

module_init(callbacks_mod_init);
module_exit(callbacks_mod_exit);
MODULE_DESCRIPTION("Live patch sample: a target for the callbacks demo");
MODULE_LICENSE("GPL");
