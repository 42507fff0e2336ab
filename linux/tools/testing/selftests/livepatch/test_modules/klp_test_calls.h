/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The call shapes of test-calls.sh, for the ABI corners of redirection
 * (on ppc64: the caller's TOC and link register kept on the livepatch
 * stack while a new function in another module runs).
 *
 * klp_test_calls_lib exports klp_test_lib_add() and the data it reads, so
 * a new function can call into a third module and touch its data.
 */
#ifndef _KLP_TEST_CALLS_H
#define _KLP_TEST_CALLS_H

int klp_test_lib_add(int a, int b);
extern int klp_test_lib_base;

#endif
