// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A relocation section of module klp_test_compat that reaches a static
 * variable of another module, klp_test_target: applied when
 * klp_test_compat loads, so klp_test_target must be loaded by then.
 */
#include "klp_test_reloc.h"

#define KLP_TEST_XSYM	KLP_SYM_IN(klp_test_compat, klp_test_target, last, 0)
#include "klp_test_compat_x.h"

MODULE_DESCRIPTION("klp selftest: a module's klp relocation to another module's symbol");
