// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * P0's floor: a module that does nothing, to time insmod itself.
 */
#include <linux/module.h>

static int __init bench_nop_init(void)
{
	return 0;
}

static void __exit bench_nop_exit(void)
{
}

module_init(bench_nop_init);
module_exit(bench_nop_exit);
MODULE_DESCRIPTION("klp benchmark: an empty module (the floor of P0)");
MODULE_LICENSE("GPL");
