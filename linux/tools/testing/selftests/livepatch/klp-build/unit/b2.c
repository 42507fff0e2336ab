// SPDX-License-Identifier: GPL-2.0
/* Original: the baseline every b_*.c variant is compared against. */
#include "common.h"

static int counter;
int table[4] = { 1, 2, 3, 4 };

static noinline int helper(int x)
{
	counter += x;
	return counter * 3;
}

int string_user(int x)
{
	log_msg("user %d\n", x);
	return helper(x);
}

int other_strings(void)
{
	log_msg("other strings\n");
	return 0;
}

/*
 * a comment
 * spanning lines
 */
int warns(int x)
{
	if (x > 10)
		TEST_WARN();
	return x + 1;
}

notrace int untraced(int x)
{
	return x * 7;
}

int static_local(void)
{
	static int calls;

	return ++calls;
}

int uses_table(int i)
{
	return table[i & 3] + exported_helper(i);
}

static const char *const names[] = { "zero", "one", "two" };

const char *name_of(int i)
{
	return names[i % 3];
}

/* x86 static_branch_unlikely(): a __jump_table entry keyed on some_key. */
extern int some_key;

int jump_label_user(void)
{
	asm goto("1: .byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"
		 ".pushsection __jump_table, \"aw\"\n"
		 ".balign 8\n"
		 ".long 1b - .\n"
		 ".long %l[l_yes] - .\n"
		 ".quad some_key - .\n"
		 ".popsection" : : : : l_yes);
	return 0;
l_yes:
	return 1;
}
