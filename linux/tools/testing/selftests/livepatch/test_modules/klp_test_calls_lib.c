// SPDX-License-Identifier: GPL-2.0-or-later
/* A library module for new functions to call: see klp_test_calls.h. */
#include <linux/module.h>
#include "klp_test_calls.h"

int klp_test_lib_base = 1000;
EXPORT_SYMBOL_GPL(klp_test_lib_base);

int klp_test_lib_add(int a, int b)
{
	return a + b + READ_ONCE(klp_test_lib_base);
}
EXPORT_SYMBOL_GPL(klp_test_lib_add);

MODULE_DESCRIPTION("klp selftest: a library for new functions to call");
MODULE_LICENSE("GPL");
