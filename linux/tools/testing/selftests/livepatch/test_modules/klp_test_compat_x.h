/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The body of the cross-object relocation patches of test-compat.sh.  Each
 * includer defines KLP_TEST_XSYM, a symbol reached through a klp
 * relocation kept in the section of some object (klp_test_reloc.h), and
 * gets a patch of klp_test_compat_fn() that adds the symbol's value.
 */
#ifndef _KLP_TEST_COMPAT_X_H
#define _KLP_TEST_COMPAT_X_H

#include <linux/livepatch.h>
#include <linux/module.h>
#include "klp_test_reloc.h"

KLP_EXTERN int KLP_TEST_XSYM;

static int klp_test_compat_fn_x(int x)
{
	return x + READ_ONCE(KLP_TEST_XSYM);
}

static struct klp_func funcs[] = {
	{ .old_name = "klp_test_compat_fn", .new_func = klp_test_compat_fn_x },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_test_compat", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_test_compat_x_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_test_compat_x_exit(void)
{
}

module_init(klp_test_compat_x_init);
module_exit(klp_test_compat_x_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");

#endif /* _KLP_TEST_COMPAT_X_H */
