// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Direct calls: the call sites that no transition concerns skip the
 * ftrace handler.
 *
 * The generic handler (patch.c) saves the arguments, looks the function
 * up and consults the stack of versions on every call, because during a
 * transition each task may need a different version.  Between transitions
 * every task runs the top of the stack, so the site may as well go there
 * at once.  Every klp ftrace_ops names the architecture's dispatcher as
 * its trampoline; ftrace calls it from the sites where klp is the only
 * user, and the dispatcher looks the site up in klp_direct_table: a hit
 * goes straight to the new function, a miss to ftrace's own trampoline
 * and the handler (asm/livepatch.h says how).
 *
 * So settling a site, or unsettling it, is one store into the table: no
 * text is patched and ftrace is not involved.  Another ftrace user that
 * joins a site makes ftrace stop calling the dispatcher there, and
 * nothing here has to know.
 *
 * patch.c decides which sites are in the table; this file only keeps it.
 * The rules: M for every write; the dispatcher reads entries without a
 * lock, one 64-bit word at a time, so it sees an entry whole or not at
 * all.  A stale entry read just before it was cleared sends the task to
 * the function that was on top until then; "Direct calls" in core.h says
 * why that is still right.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <asm/livepatch.h>
#include "core.h"
#include "direct.h"
#include "patch.h"

/* Read by the dispatcher; written under M. */
u64 klp_direct_table[KLP_DIRECT_SETS * KLP_DIRECT_WAYS] __aligned(64);

static u64 *klp_direct_set_of(unsigned long loc)
{
	u32 key = klp_arch_direct_key(loc);

	return &klp_direct_table[(key & KLP_DIRECT_SET_MASK) / sizeof(u64)];
}

/**
 * klp_direct_trampoline() - the trampoline of klp's ftrace_ops
 *
 * Return: the dispatcher's address.
 */
unsigned long klp_direct_trampoline(void)
{
	return klp_arch_direct_trampoline();
}

/**
 * klp_direct_set() - let a site call a function directly
 * @loc:	the ftrace location of the old function
 * @target:	the function every task must run from now on
 *
 * Called under klp_mutex, only for a site whose handler would pick
 * @target for every task.
 *
 * Return: whether the table holds the site now.  When it cannot (its set
 * is full, or the addresses do not fit an entry), the site stays with the
 * handler, which is just as correct.
 */
bool klp_direct_set(unsigned long loc, unsigned long target)
{
	u32 key = klp_arch_direct_key(loc);
	u64 *set = klp_direct_set_of(loc);
	int i, free = -1;

	lockdep_assert_held(&klp_mutex);
	if (!klp_arch_direct_ok(loc, target))
		return false;
	for (i = 0; i < KLP_DIRECT_WAYS; i++) {
		if ((u32)set[i] == key)
			break;
		if (!set[i] && free < 0)
			free = i;
	}
	if (i == KLP_DIRECT_WAYS) {
		if (free < 0)
			return false;
		i = free;
	}
	WRITE_ONCE(set[i], klp_arch_direct_entry(loc, target));
	return true;
}

/**
 * klp_direct_clear() - send a site back to the handler
 * @loc:	the ftrace location of the old function
 *
 * Called under klp_mutex before anything changes what the handler would
 * pick at @loc.  The full barrier orders the cleared entry before what
 * the caller publishes next.
 */
void klp_direct_clear(unsigned long loc)
{
	u32 key = klp_arch_direct_key(loc);
	u64 *set = klp_direct_set_of(loc);
	int i;

	lockdep_assert_held(&klp_mutex);
	for (i = 0; i < KLP_DIRECT_WAYS; i++)
		if ((u32)set[i] == key)
			WRITE_ONCE(set[i], 0);
	/*
	 * The cleared entry before the stack change or the transition flags
	 * that follow: a task that switched, and so passed a barrier after
	 * those, misses on its next load ("Direct calls" in core.h).
	 */
	smp_mb();
}

/*
 * /sys/kernel/debug/livepatch/direct_calls: the sites that call directly,
 * one "site -> new function" per line.  For tests and the curious; not
 * an ABI.
 */
static int klp_direct_show(struct seq_file *m, void *v)
{
	unsigned int i;
	u64 entry;

	mutex_lock(&klp_mutex);
	for (i = 0; i < ARRAY_SIZE(klp_direct_table); i++) {
		entry = klp_direct_table[i];
		if (!entry)
			continue;
		seq_printf(m, "%ps -> %pS\n",
			   (void *)klp_arch_direct_loc((u32)entry),
			   (void *)klp_arch_direct_target(entry));
	}
	mutex_unlock(&klp_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(klp_direct);

static int __init klp_direct_debugfs_init(void)
{
	debugfs_create_file("direct_calls", 0400, klp_debugfs_dir(), NULL,
			    &klp_direct_fops);
	return 0;
}
late_initcall(klp_direct_debugfs_init);
