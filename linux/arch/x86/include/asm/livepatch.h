/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 part of klp, the kernel live patching core: the direct-call
 * trampolines.  Redirecting a call through ftrace needs no hook of ours:
 * the generic code points the saved instruction pointer at the new
 * function with ftrace_regs_set_instruction_pointer(), and the ftrace
 * trampoline returns there.
 */
#ifndef _ASM_X86_LIVEPATCH_H
#define _ASM_X86_LIVEPATCH_H

#ifdef CONFIG_LIVEPATCH_DIRECT_CALLS
#include <linux/cpufeature.h>
#include <linux/ftrace.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/alternative.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/text-patching.h>

/*
 * Direct-call trampolines (kernel/livepatch/direct.c).  ftrace calls one
 * from the old function's call site, so it starts with the return address
 * into the old function on top of the stack, or, when ftrace shares the
 * site with other users, with the address its handlers chose there.  It
 * reads its target from memory: zero returns to that address; anything
 * else drops it and jumps to the target, which then returns straight to
 * the old function's caller.  Every instruction of the trampoline may be
 * interrupted; none of them leaves a state an unwinder would trust, which
 * keeps a task stopped there out of any transition.
 *
 *	movabs	$target, %r11		49 bb <imm64>
 *	mov	(%r11), %r11		4d 8b 1b
 *	test	%r11, %r11		4d 85 db
 *	je	1f			74 08
 *	lea	8(%rsp), %rsp		48 8d 64 24 08
 *	jmp	*%r11			41 ff e3
 * 1:	ret				c3 cc, or jmp to the return thunk
 *
 * %r11 is free at a function's entry on x86_64: it carries no argument.
 */
#define KLP_ARCH_DIRECT_TRAMP_SIZE	32

/*
 * Can a trampoline jump to @target?  Not where indirect branches must go
 * through retpolines, and, with IBT, only to an ENDBR.
 */
static inline bool klp_arch_direct_target_ok(unsigned long target)
{
	u32 insn;

	if (cpu_feature_enabled(X86_FEATURE_RETPOLINE) ||
	    cpu_feature_enabled(X86_FEATURE_RETPOLINE_LFENCE))
		return false;
	if (!cpu_feature_enabled(X86_FEATURE_IBT))
		return true;
	return !copy_from_kernel_nofault(&insn, (void *)target, sizeof(insn)) &&
	       is_endbr(insn);
}

/* Writes the trampoline that will run at @ip into @buf (writable). */
static inline void klp_arch_write_direct_tramp(u8 *buf, u8 *ip,
					       unsigned long *target)
{
	static const u8 head[] = {
		0x49, 0xbb, 0, 0, 0, 0, 0, 0, 0, 0,
		0x4d, 0x8b, 0x1b,
		0x4d, 0x85, 0xdb,
		0x74, 0x08,
		0x48, 0x8d, 0x64, 0x24, 0x08,
		0x41, 0xff, 0xe3,
	};
	unsigned long slot = (unsigned long)target;
	u8 *ret = buf + sizeof(head);

	memset(buf, INT3_INSN_OPCODE, KLP_ARCH_DIRECT_TRAMP_SIZE);
	memcpy(buf, head, sizeof(head));
	memcpy(buf + 2, &slot, sizeof(slot));
	if (cpu_wants_rethunk_at(ip + sizeof(head)))
		__text_gen_insn(ret, JMP32_INSN_OPCODE, ip + sizeof(head),
				x86_return_thunk, JMP32_INSN_SIZE);
	else
		*ret = RET_INSN_OPCODE;
}
#endif /* CONFIG_LIVEPATCH_DIRECT_CALLS */

#endif /* _ASM_X86_LIVEPATCH_H */
