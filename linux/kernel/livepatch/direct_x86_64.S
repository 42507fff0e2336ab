/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The direct-call dispatcher of klp on x86_64: see asm/livepatch.h for
 * what it does and why, and direct.c for the table it reads.  Direct
 * calls exist only on x86_64, so the code lives beside that table.
 */
#include <linux/linkage.h>
#include <asm/livepatch.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

	.text
SYM_CODE_START(klp_direct_dispatch)
	/* The stack check must not trust a task stopped in here. */
	UNWIND_HINT_UNDEFINED
	ANNOTATE_NOENDBR
	/* The return address is the key; its set is 16 bytes. */
	movq	(%rsp), %r11
	movl	%r11d, %r10d
	andl	$KLP_DIRECT_SET_MASK, %r10d
	movq	klp_direct_table(%r10), %r10
	cmpl	%r11d, %r10d
	je	.Lhit
	movl	%r11d, %r10d
	andl	$KLP_DIRECT_SET_MASK, %r10d
	movq	klp_direct_table + 8(%r10), %r10
	cmpl	%r11d, %r10d
	jne	.Lmiss
.Lhit:
	/* The new function: return into it, as ftrace does. */
	sarq	$32, %r10
	jz	.Lmiss
	movq	%r10, (%rsp)
	CALL_DEPTH_ACCOUNT
	RET
.Lmiss:
	/* Where ftrace would have gone: the handler decides. */
	jmp	ftrace_caller
SYM_CODE_END(klp_direct_dispatch)
