/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * powerpc hooks of klp, the kernel live patching core.
 *
 * On ppc64 (ELFv2, -mprofile-kernel) a new function usually lives in a
 * module with its own TOC.  When the ftrace handler changes the saved NIP,
 * livepatch_handler in arch/powerpc/kernel/trace/ftrace_entry.S calls the
 * new function through a small per-task "livepatch stack" where it keeps
 * the caller's TOC (r2) and link register, and restores both when the new
 * function returns.  That stack lives at the far end of the task's kernel
 * stack and grows upwards from just past STACK_END_MAGIC; each task's
 * pointer to it must be set before the task can run patched code.
 */
#ifndef _ASM_POWERPC_LIVEPATCH_H
#define _ASM_POWERPC_LIVEPATCH_H

#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/ftrace.h>

#ifdef CONFIG_LIVEPATCH_64
static inline void klp_init_thread_info(struct task_struct *p)
{
	unsigned long *bottom = end_of_stack(p);

	/* Skip the STACK_END_MAGIC word, which must stay intact. */
	task_thread_info(p)->livepatch_sp = bottom + 1;
}
#else
static inline void klp_init_thread_info(struct task_struct *p) { }
#endif

#endif /* _ASM_POWERPC_LIVEPATCH_H */
