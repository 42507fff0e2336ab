// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A live patch of /proc/cmdline with a klp relocation against a vmlinux
 * symbol that does not exist.  The kernel resolves vmlinux relocations
 * while the module loads, so loading it must fail and leave no patch.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include "klp_test_reloc.h"

#define klp_missing	KLP_SYM(vmlinux, klp_test_no_such_symbol, 0)
KLP_EXTERN int klp_missing;

static int klp_test_reloc_cmdline_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: %d\n", KBUILD_MODNAME, READ_ONCE(klp_missing));
	return 0;
}

static struct klp_func klp_test_funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = klp_test_reloc_cmdline_show,
	},
	{ }
};

static struct klp_object klp_test_objs[] = {
	{ .funcs = klp_test_funcs },
	{ }
};

static struct klp_patch klp_test_patch = {
	.mod = THIS_MODULE,
	.objs = klp_test_objs,
};

static int __init klp_test_reloc_bad_sym_init(void)
{
	return klp_enable_patch(&klp_test_patch);
}

static void __exit klp_test_reloc_bad_sym_exit(void)
{
}

module_init(klp_test_reloc_bad_sym_init);
module_exit(klp_test_reloc_bad_sym_exit);
MODULE_DESCRIPTION("klp selftest: a klp relocation against a missing vmlinux symbol");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
