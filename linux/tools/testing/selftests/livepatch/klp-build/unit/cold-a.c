// SPDX-License-Identifier: GPL-2.0
/* A function split by the compiler into hot and .cold parts. */
#include "common.h"

extern void report(int);

__cold noinline void slow_path(int x)
{
	log_msg("slow %d\n", x);
}

int hot(int x)
{
	if (__builtin_expect(x > 100, 0)) {
		slow_path(x);
		report(x);
		report(x + 1);
		log_msg("big %d\n", x);
		return -1;
	}
	return x * 2;
}

static noinline int cp(int a, int b)
{
	return a * b + 3;
}

int use_cp1(int x)
{
	return cp(x, 7);
}

int use_cp2(int x)
{
	return cp(x + 1, 7);
}
