/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What klp_test_uffd shares with its patch: the version that copied last,
 * and how much one write copies at most.
 */
#ifndef _KLP_TEST_UFFD_H
#define _KLP_TEST_UFFD_H

#define KLP_TEST_UFFD_MAX	64

extern int klp_test_uffd_last;

#endif
