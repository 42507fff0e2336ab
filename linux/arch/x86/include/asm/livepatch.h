/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 hooks of klp, the kernel live patching core.
 *
 * The ftrace trampoline saves the registers of the interrupted function
 * entry in struct ftrace_regs and restores them on the way out, including
 * the instruction pointer.  Redirecting a call therefore only means
 * pointing that saved instruction pointer at the new function: the new
 * function then runs with the caller's arguments and returns straight to
 * the caller.
 */
#ifndef _ASM_X86_LIVEPATCH_H
#define _ASM_X86_LIVEPATCH_H

#include <linux/ftrace.h>

static inline void klp_arch_set_pc(struct ftrace_regs *fregs,
				   unsigned long new_ip)
{
	ftrace_regs_set_instruction_pointer(fregs, new_ip);
}

#endif /* _ASM_X86_LIVEPATCH_H */
