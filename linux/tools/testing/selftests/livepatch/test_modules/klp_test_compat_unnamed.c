// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A relocation section for module klp_test_target, which the patch does
 * not name among its objects: never applied, so the new function must
 * never run.
 */
#include "klp_test_reloc.h"

#define KLP_TEST_XSYM	KLP_SYM(klp_test_target, last, 0)
#include "klp_test_compat_x.h"

MODULE_DESCRIPTION("klp selftest: a klp relocation section for an object the patch does not name");
