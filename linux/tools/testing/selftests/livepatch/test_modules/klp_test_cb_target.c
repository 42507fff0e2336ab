// SPDX-License-Identifier: GPL-2.0-or-later
/* A module for klp_test_cb_patch's callbacks to follow as it comes and goes. */
#include <linux/module.h>

static int __init klp_test_cb_target_init(void)
{
	pr_info("%s: init\n", KBUILD_MODNAME);
	return 0;
}

static void __exit klp_test_cb_target_exit(void)
{
	pr_info("%s: exit\n", KBUILD_MODNAME);
}

module_init(klp_test_cb_target_init);
module_exit(klp_test_cb_target_exit);
MODULE_DESCRIPTION("klp selftest: a callback target module");
MODULE_LICENSE("GPL");
