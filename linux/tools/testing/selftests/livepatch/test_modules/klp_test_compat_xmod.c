// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A relocation section of module klp_test_compat that reaches a vmlinux
 * symbol, which upstream refuses.
 */
#include "klp_test_reloc.h"

#define KLP_TEST_XSYM	KLP_SYM_IN(klp_test_compat, vmlinux, tainted_mask, 0)
#include "klp_test_compat_x.h"

MODULE_DESCRIPTION("klp selftest: a module's klp relocation to a vmlinux symbol");
