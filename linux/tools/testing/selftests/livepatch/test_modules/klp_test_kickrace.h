/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What klp_test_kickrace exports to the patch of its function: while
 * klp_test_kickrace_hold is set, every version of klp_test_kickrace_func()
 * sleeps.
 */
#ifndef _KLP_TEST_KICKRACE_H
#define _KLP_TEST_KICKRACE_H

extern bool klp_test_kickrace_hold;

#endif
