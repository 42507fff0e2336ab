// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A live patch of klp_test_reloc_mod whose new klp_test_reloc_mod_answer()
 * reads the module's static variable and calls its static function through
 * klp relocations (see klp_test_reloc.h).  Those are applied when the
 * module loads, before or after this patch, and again on every reload.
 * The answer shows the values and the variable's address, which the test
 * checks against the "secret" parameter and /proc/kallsyms.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sysfs.h>
#include "klp_test_reloc.h"

#define klp_secret	KLP_SYM(klp_test_reloc_mod, klp_test_reloc_secret, 0)
#define klp_twice	KLP_SYM(klp_test_reloc_mod, klp_test_reloc_twice, 0)
KLP_EXTERN int klp_secret;
KLP_EXTERN int klp_twice(int x);

/* %px: the test compares the raw address with /proc/kallsyms. */
static int klp_test_reloc_answer(char *buf)
{
	int secret = READ_ONCE(klp_secret);

	return sysfs_emit(buf, "%s: secret=%d twice=%d at %px\n",
			  KBUILD_MODNAME, secret, klp_twice(secret),
			  &klp_secret);
}

static struct klp_func klp_test_funcs[] = {
	{
		.old_name = "klp_test_reloc_mod_answer",
		.new_func = klp_test_reloc_answer,
	},
	{ }
};

static struct klp_object klp_test_objs[] = {
	{ .name = "klp_test_reloc_mod", .funcs = klp_test_funcs },
	{ }
};

static struct klp_patch klp_test_patch = {
	.mod = THIS_MODULE,
	.objs = klp_test_objs,
};

static int __init klp_test_reloc_modpatch_init(void)
{
	return klp_enable_patch(&klp_test_patch);
}

static void __exit klp_test_reloc_modpatch_exit(void)
{
}

module_init(klp_test_reloc_modpatch_init);
module_exit(klp_test_reloc_modpatch_exit);
MODULE_DESCRIPTION("klp selftest: klp relocations against a module's static symbols");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
