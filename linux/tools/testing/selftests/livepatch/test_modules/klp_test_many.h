/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 64 functions, klp_test_many_fn_10 ... klp_test_many_fn_87 (the tens
 * digit 1-8, the units 0-7), for the batch test: KLP_TEST_MANY(F) expands
 * F(id) for each, KLP_TEST_MANY_LOW(F) for the 32 of tens 1-4.
 */
#ifndef _KLP_TEST_MANY_H
#define _KLP_TEST_MANY_H

#define KLP_TEST_MANY_8(F, t)	F(t##0) F(t##1) F(t##2) F(t##3) \
				F(t##4) F(t##5) F(t##6) F(t##7)
#define KLP_TEST_MANY_LOW(F)	KLP_TEST_MANY_8(F, 1) KLP_TEST_MANY_8(F, 2) \
				KLP_TEST_MANY_8(F, 3) KLP_TEST_MANY_8(F, 4)
#define KLP_TEST_MANY(F)	KLP_TEST_MANY_LOW(F) \
				KLP_TEST_MANY_8(F, 5) KLP_TEST_MANY_8(F, 6) \
				KLP_TEST_MANY_8(F, 7) KLP_TEST_MANY_8(F, 8)

#define KLP_TEST_MANY_DECLARE(id)	int klp_test_many_fn_##id(void);
KLP_TEST_MANY(KLP_TEST_MANY_DECLARE)

/* A patch's version of function @id returns @version. */
#define KLP_TEST_MANY_NEW(id, version)					\
	static noinline int klp_test_many_new_##id(void)		\
	{								\
		return version;						\
	}
#define KLP_TEST_MANY_FUNC(id)						\
	{ .old_name = "klp_test_many_fn_" #id,				\
	  .new_func = klp_test_many_new_##id },

#endif
