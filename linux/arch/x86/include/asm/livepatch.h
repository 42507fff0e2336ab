/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 part of klp, the kernel live patching core: the direct-call
 * dispatcher.  Redirecting a call through ftrace needs no hook of ours:
 * the generic code points the saved instruction pointer at the new
 * function with ftrace_regs_set_instruction_pointer(), and the ftrace
 * trampoline returns there.
 *
 * Direct calls (kernel/livepatch/direct.c, and direct_x86_64.S for the
 * dispatcher, which lives beside the table it reads).  Every ftrace_ops of klp
 * names klp_direct_dispatch as its own trampoline.  ftrace calls an ops'
 * trampoline from a call site only while that ops is the site's one user;
 * as soon as another user (a tracer, a kprobe, a BPF trampoline) joins
 * the site, ftrace calls its generic trampoline there instead, which runs
 * klp's handler like everyone else's.  So the dispatcher only ever runs
 * where klp is alone, and sharing a site is ftrace's business, done by
 * its rules.
 *
 * The dispatcher looks the call site up in klp_direct_table, a small
 * two-way set-associative table that klp fills under klp_mutex with the
 * sites no transition concerns.  On a hit it returns into the new
 * function instead of the old one, like ftrace's trampolines do when a
 * handler changed the instruction pointer, but without saving registers
 * or running the handler; on a miss it jumps to ftrace_caller, the
 * trampoline ftrace would have called, which runs the handler.
 *
 * An entry is one 64-bit word, read with one load: the low half is the
 * low 32 bits of the call's return address (the site plus
 * MCOUNT_INSN_SIZE), the high half the low 32 bits of the new function.
 * All kernel text, vmlinux and modules alike, lies in the top 2 GiB of the
 * address space (-mcmodel=kernel), so those halves name their addresses
 * uniquely, and sign extension gives them back; klp_arch_direct_ok()
 * checks it anyway.  A zero word is a free entry.
 *
 * The dispatcher uses %r10 and %r11, which carry no argument at a
 * function's entry (ftrace_caller does not preserve them either).  It
 * contains no indirect branch: the hit path writes the new function over
 * its own return address and returns, through the base's return thunk,
 * with the call-depth accounting ftrace's trampolines do; the miss path
 * is a direct jump.  The base's alternatives apply both at boot, so the
 * dispatcher follows whatever mitigations the base chose.
 *
 * The unwinder must not trust a task stopped inside the dispatcher: after
 * its load, the function it is about to return into is only in a
 * register.  Its ORC data say "undefined", so the stack check retries
 * such a task later, as it does with any unreliable stack.
 */
#ifndef _ASM_X86_LIVEPATCH_H
#define _ASM_X86_LIVEPATCH_H

#ifndef __ASSEMBLY__
#include <linux/sched.h>
#include <linux/sched/task_stack.h>

/*
 * The stack scan (kernel/livepatch/transition.c): the memory that holds
 * the frames of @task, asleep.  Every call pushed its return address
 * there, and the context switch pushed the registers the task resumes
 * with: from the stack pointer it saved up to the top of the stack.
 */
#define KLP_ARCH_STACK_REGIONS	1

static inline unsigned int klp_arch_stack_regions(struct task_struct *task,
						  unsigned long **lo,
						  unsigned long **hi)
{
	lo[0] = (unsigned long *)task->thread.sp;
	hi[0] = (unsigned long *)(task_stack_page(task) + THREAD_SIZE);
	return 1;
}
#endif /* !__ASSEMBLY__ */

#ifdef CONFIG_LIVEPATCH_DIRECT_CALLS

#define KLP_DIRECT_SETS		1024
#define KLP_DIRECT_WAYS		2
/* The byte offset of a key's set: (key >> 4) % SETS, times 16 bytes. */
#define KLP_DIRECT_SET_MASK	((KLP_DIRECT_SETS - 1) << 4)

#ifndef __ASSEMBLY__
#include <linux/ftrace.h>
#include <linux/types.h>

extern u64 klp_direct_table[KLP_DIRECT_SETS * KLP_DIRECT_WAYS];
void klp_direct_dispatch(void);

/* The table's key for the ftrace location @loc. */
static inline u32 klp_arch_direct_key(unsigned long loc)
{
	return (u32)(loc + MCOUNT_INSN_SIZE);
}

/* The ftrace location a key names (all kernel text is in the top 2 GiB). */
static inline unsigned long klp_arch_direct_loc(u32 key)
{
	return (unsigned long)(long)(s32)key - MCOUNT_INSN_SIZE;
}

/* The new function an entry names. */
static inline unsigned long klp_arch_direct_target(u64 entry)
{
	return (unsigned long)((s64)entry >> 32);
}

static inline u64 klp_arch_direct_entry(unsigned long loc,
					unsigned long target)
{
	return (u64)(u32)target << 32 | klp_arch_direct_key(loc);
}

/* Can an entry name @loc and @target? */
static inline bool klp_arch_direct_ok(unsigned long loc,
				      unsigned long target)
{
	return (long)(s32)(loc + MCOUNT_INSN_SIZE) ==
	       (long)(loc + MCOUNT_INSN_SIZE) &&
	       (long)(s32)target == (long)target && target;
}

/* The trampoline of klp's ftrace_ops. */
static inline unsigned long klp_arch_direct_trampoline(void)
{
	return (unsigned long)klp_direct_dispatch;
}
#endif /* !__ASSEMBLY__ */

#endif /* CONFIG_LIVEPATCH_DIRECT_CALLS */

#endif /* _ASM_X86_LIVEPATCH_H */
