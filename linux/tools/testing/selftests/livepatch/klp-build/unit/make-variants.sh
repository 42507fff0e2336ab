#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerates the b*.c variants from a.c (they are checked in as well).
cd "$(dirname "$0")" || exit 1
sed 's/"user %d\\n"/"user patched %d\\n"/' a.c > b1.c
sed 's|^int warns(int x)|/*\n * a comment\n * spanning lines\n */\nint warns(int x)|' a.c > b2.c
sed 's/^static noinline int helper(int x)/static noinline int new_fn(int y)\
{\
	return y ^ 5;\
}\
\
static noinline int helper(int x)/
s/\treturn counter \* 3;/\treturn counter * 3 + new_fn(x);/' a.c > b3.c
sed 's/{ 1, 2, 3, 4 }/{ 1, 2, 3, 5 }/' a.c > b4.c
sed 's/return x \* 7;/return x * 9;/' a.c > b5.c
sed 's/^int static_local(void)/int early_local(void)\
{\
	static int calls;\
\
	return calls += 2;\
}\
\
int static_local(void)/' a.c > b6.c
sed 's/"zero", "one", "two"/"zero", "one", "deux"/' a.c > b7.c
sed 's/log_msg("big %d\\n", x);/log_msg("big! %d\\n", x);/' cold-a.c > cold-b.c
sed 's/^l_yes:\n\treturn 1;/X/; /^l_yes:$/{n;s/return 1;/return 2;/}' a.c > b8.c
sed 's/return x;/return x + 1;/' once-a.c > once-b.c
