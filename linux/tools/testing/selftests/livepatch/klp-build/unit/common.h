/* SPDX-License-Identifier: GPL-2.0 */
/* Just enough of the kernel's conventions for the differ's unit tests. */
#define notrace __attribute__((__no_instrument_function__))
#define noinline __attribute__((__noinline__))
#define __cold __attribute__((__cold__))
#define __section(s) __attribute__((__section__(s)))

/* external functions: calls to them are relocations to undefined symbols */
int log_msg(const char *fmt, ...);
int exported_helper(int x);

/* x86 WARN(): ud2 plus a __bug_table entry carrying the line number. */
#define TEST_WARN()							\
	asm volatile("1: ud2\n"						\
		     ".pushsection __bug_table,\"aw\"\n"		\
		     "2: .long 1b - .\n"				\
		     ".long %c0 - .\n"					\
		     ".word %c1\n"					\
		     ".word 0\n"					\
		     ".org 2b + 12\n"					\
		     ".popsection" : : "i" (__FILE__), "i" (__LINE__))
