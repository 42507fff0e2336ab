// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A live patch of klp_test_reloc_mod with a klp relocation against a
 * symbol the module does not have.  It is resolved when the module is in
 * memory: loading this patch after the module must fail, and loading the
 * module while this patch is enabled must fail too.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sysfs.h>
#include "klp_test_reloc.h"

#define klp_missing	KLP_SYM(klp_test_reloc_mod, klp_test_no_such_symbol, 0)
KLP_EXTERN int klp_missing;

static int klp_test_reloc_answer(char *buf)
{
	return sysfs_emit(buf, "%s: %d\n", KBUILD_MODNAME, READ_ONCE(klp_missing));
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

static int __init klp_test_reloc_bad_modsym_init(void)
{
	return klp_enable_patch(&klp_test_patch);
}

static void __exit klp_test_reloc_bad_modsym_exit(void)
{
}

module_init(klp_test_reloc_bad_modsym_init);
module_exit(klp_test_reloc_bad_modsym_exit);
MODULE_DESCRIPTION("klp selftest: a klp relocation against a missing module symbol");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
