// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A vmlinux relocation section that reaches a static variable of module
 * klp_test_compat: applied as this module loads, so that module must be
 * loaded first.
 */
#include "klp_test_reloc.h"

#define KLP_TEST_XSYM	KLP_SYM_IN(vmlinux, klp_test_compat, klp_test_compat_secret, 0)
#include "klp_test_compat_x.h"

MODULE_DESCRIPTION("klp selftest: a vmlinux klp relocation to a module symbol");
