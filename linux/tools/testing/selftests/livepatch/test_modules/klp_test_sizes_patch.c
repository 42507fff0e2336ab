// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch of all 64 functions of klp_test_many, whose new versions differ
 * in length, that checks the sizes klp gave its functions.  klp finds the
 * sizes of a module's functions in one walk of the module's symbols
 * (symbols.c); they must be what kallsyms says of each address, which
 * sprint_symbol() prints as "name+offset/size [module]".  "checked" counts
 * the sizes compared, "mismatched" those that differed (each logged).
 */
#include <linux/kallsyms.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include "klp_test_many.h"

static int seed = 3;

#define DECLARE(id)	static int klp_test_sizes_new_##id(void);
KLP_TEST_MANY(DECLARE)

#define FUNC(id)							\
	{ .old_name = "klp_test_many_fn_" #id,				\
	  .new_func = klp_test_sizes_new_##id },
static struct klp_func funcs[] = {
	KLP_TEST_MANY(FUNC)
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_test_many", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int checked;
module_param(checked, int, 0444);
MODULE_PARM_DESC(checked, "sizes compared with kallsyms");
static int mismatched;
module_param(mismatched, int, 0444);
MODULE_PARM_DESC(mismatched, "sizes that differed from kallsyms");

/* What kallsyms says of @addr: 0 if it knows no symbol there. */
static unsigned long kallsyms_size(void *addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long size;
	char *slash;

	sprint_symbol(buf, (unsigned long)addr);
	slash = strchr(buf, '/');
	if (!slash || sscanf(slash + 1, "%lx", &size) != 1)
		return 0;
	return size;
}

static void check(const char *what, const char *name, void *addr,
		  unsigned long size)
{
	unsigned long want = kallsyms_size(addr);

	checked++;
	if (size == want && want)
		return;
	mismatched++;
	pr_err("%s: %s of %s: klp says %lu, kallsyms %lu\n", THIS_MODULE->name,
	       what, name, size, want);
}

static int __init klp_test_sizes_patch_init(void)
{
	struct klp_func *func;
	int ret;

	ret = klp_enable_patch(&patch);
	if (ret)
		return ret;
	/* The patch's own symbols are those of its init still, as then. */
	for (func = funcs; func->old_name; func++) {
		check("old_size", func->old_name, func->old_func,
		      func->old_size);
		check("new_size", func->old_name, func->new_func,
		      func->new_size);
	}
	return 0;
}

static void __exit klp_test_sizes_patch_exit(void)
{
}

/*
 * Longer or shorter by the id, so that neighbours differ in size.  Last in
 * the file and in a section of their own, which the module loader places
 * after the other text: the last of them is the last symbol of the
 * module's text, whose size ends where that memory ends, not at the next
 * symbol (which lies in another memory).
 */
#define NEW(id)								\
	static noinline __section(".text.klp_test_sizes")		\
	int klp_test_sizes_new_##id(void)				\
	{								\
		int i, x = READ_ONCE(seed);				\
									\
		for (i = 0; i < (id) % 4; i++)				\
			x = x * 31 + READ_ONCE(seed);			\
		if ((id) % 3 == 0)					\
			x ^= READ_ONCE(seed) << ((id) % 7);		\
		return x ? 2 : 2;					\
	}
KLP_TEST_MANY(NEW)

module_init(klp_test_sizes_patch_init);
module_exit(klp_test_sizes_patch_exit);
MODULE_DESCRIPTION("klp selftest: the sizes of a module's functions, as kallsyms has them");
MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
