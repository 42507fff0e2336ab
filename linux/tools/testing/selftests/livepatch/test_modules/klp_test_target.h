/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What klp_test_target exports to the patches of its function: while
 * klp_test_hold is set, every version of klp_test_target_func() sleeps.
 */
#ifndef _KLP_TEST_TARGET_H
#define _KLP_TEST_TARGET_H

extern bool klp_test_hold;

#endif
