/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What klp_test_consist shares with its patch; see klp_test_consist.c. */
#ifndef _KLP_TEST_CONSIST_H
#define _KLP_TEST_CONSIST_H

#include <linux/atomic.h>

extern atomic_long_t klp_test_consist_mixed;
extern int klp_test_consist_hold;

void klp_test_consist_wait_held(void);

int klp_test_consist_first(void);
int klp_test_consist_second(void);
int klp_test_consist_outer(void);

#endif
