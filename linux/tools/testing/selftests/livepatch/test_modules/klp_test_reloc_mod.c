// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A module with a static variable and a static function, which
 * klp_test_reloc_modpatch reaches through klp relocations.  Reading the
 * "answer" parameter runs klp_test_reloc_mod_answer(), the function that
 * patch replaces; "secret" sets the static variable.
 */
#include <linux/module.h>
#include <linux/sysfs.h>

static int klp_test_reloc_secret = 42;
module_param_named(secret, klp_test_reloc_secret, int, 0644);
MODULE_PARM_DESC(secret, "the static variable the patch reads");

/*
 * Only the patch calls this, so nothing here keeps it: __used does, and
 * noinline plus __noclone keep it whole under its own name.
 */
static noinline __noclone __used int klp_test_reloc_twice(int x)
{
	return 2 * x;
}

/*
 * Replaced by klp_test_reloc_modpatch.  noinline and __noclone keep it a
 * function of its own, under its own name, for ftrace to patch.
 */
static noinline __noclone int klp_test_reloc_mod_answer(char *buf)
{
	return sysfs_emit(buf, "%s: original\n", KBUILD_MODNAME);
}

static int klp_test_reloc_answer_get(char *buf, const struct kernel_param *kp)
{
	return klp_test_reloc_mod_answer(buf);
}

static const struct kernel_param_ops klp_test_reloc_answer_ops = {
	.get = klp_test_reloc_answer_get,
};
module_param_cb(answer, &klp_test_reloc_answer_ops, NULL, 0444);
MODULE_PARM_DESC(answer, "runs klp_test_reloc_mod_answer()");

MODULE_DESCRIPTION("klp selftest: a module with static symbols to patch against");
MODULE_LICENSE("GPL");
