// SPDX-License-Identifier: GPL-2.0-or-later
/* A replace patch owning system state 42 at version 2; see klp_test_state.h. */
#define KLP_TEST_STATE_VERSION	2
static struct klp_patch klp_test_state_patch;
#include "klp_test_state.h"
MODULE_DESCRIPTION("klp selftest: system state 42, version 2");
