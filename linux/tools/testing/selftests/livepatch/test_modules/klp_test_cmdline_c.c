// SPDX-License-Identifier: GPL-2.0-or-later
/* Patch "c" of /proc/cmdline; see klp_test_cmdline.h. */
#include "klp_test_cmdline.h"
MODULE_DESCRIPTION("klp selftest: /proc/cmdline patch c");
