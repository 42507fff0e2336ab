// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tries to lose a kick at the end of a hold, for test-kick-race.sh.
 *
 * Rule K of kick.c: a kick notes itself and then reads the hold; the end
 * of a hold clears it and then takes the note.  Whatever the interleaving,
 * one of the two queues the walk.  This module forces the interleavings
 * in which one side is stopped around its first step while the other
 * side runs from start to end, and counts the walks queued meanwhile:
 *
 *   mode 1  the kick stalls before its note (klp_kick_note() entry);
 *   mode 2  the kick stalls between its note and its read of the hold
 *           (klp_kick_note() return);
 *   mode 3  the hold's end stalls between clearing the hold and taking
 *           the note (klp_kick_take_note() entry);
 *   mode 4  the hold's end stalls after taking the note
 *           (klp_kick_take_note() return).
 *
 * The kick comes from a task that a walk counted as pending: the task
 * that wrote to /proc/klp_test_kickrace, asleep inside
 * klp_test_kickrace_func() while "hold" is set.  At the end of the first
 * walk of the next transition (klp_kick_walk_done()), with the task still
 * inside and pending, the module releases it at the point the mode names;
 * the task leaves the function, switches on its way out to user space and
 * kicks; then the stalled side goes on.  Each such attempt ends with
 * "straddles" or "timeouts" counted, and with "lost" counted if neither
 * side queued the walk (mod_delayed_work_on() from inside klp_kick_fn()
 * or klp_kick_walk_done()).  The writer and the walker must be on
 * different CPUs; an attempt that finds them on one is "skipped".
 *
 * Other tasks switch at the start of the transition and kick too, and
 * their note would let the hold's end queue the walk whatever the
 * writer's kick did.  So the attempt starts by clearing the note
 * (klp_kicked, at "kicked_addr", which the test reads from
 * /proc/kallsyms): the writer's kick is then the only one the attempt
 * sees.  The tasks behind the cleared note lose nothing but an early
 * walk: the walk that the writer's kick queues, or the periodic retry,
 * covers them.
 *
 * Only for kernels with CONFIG_LIVEPATCH_EVENT_COMPLETION: elsewhere the
 * probes have nothing to attach to and the module does not load.
 */
#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include "klp_test_kickrace.h"

bool klp_test_kickrace_hold;
EXPORT_SYMBOL_GPL(klp_test_kickrace_hold);
module_param_named(hold, klp_test_kickrace_hold, bool, 0644);
MODULE_PARM_DESC(hold, "keep a writer of /proc/klp_test_kickrace inside the function");

static int inside;
module_param(inside, int, 0444);
MODULE_PARM_DESC(inside, "writers inside klp_test_kickrace_func()");

enum phase {
	IDLE,		/* nothing to do at the next walk's end */
	ARMED,		/* act at the next walk's end */
	WALKING,	/* modes 3, 4: the walker is in klp_kick_walk_done() */
	RELEASED,	/* the writer was let go; its kick is awaited */
	KICK_STALLED,	/* modes 1, 2: the kick waits for the hold's end */
	HOLD_ENDED,	/* modes 1, 2: klp_kick_walk_done() returned */
	KICK_DONE,	/* modes 3, 4: klp_kick_fn() returned */
};

static int mode;
static enum phase phase;
static struct task_struct *writer, *walker;
static int kick_cpu = -1;	/* the CPU in klp_kick_fn(), or -1 */
static bool kick_after_release;
static atomic_t queued;

static unsigned long kicked_addr;
module_param(kicked_addr, ulong, 0444);
MODULE_PARM_DESC(kicked_addr, "address of klp_kicked in kick.c, from /proc/kallsyms");

static unsigned long attempts, straddles, lost, timeouts, skipped, cleared;
module_param(attempts, ulong, 0444);
module_param(straddles, ulong, 0444);
module_param(lost, ulong, 0444);
module_param(timeouts, ulong, 0444);
module_param(skipped, ulong, 0444);
module_param(cleared, ulong, 0444);
MODULE_PARM_DESC(straddles, "attempts that ran the interleaving asked for");
MODULE_PARM_DESC(lost, "straddles after which no walk was queued");
MODULE_PARM_DESC(cleared, "attempts that started by clearing other kicks' note");

static int mode_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_int(val, kp);

	if (!ret)
		WRITE_ONCE(phase, READ_ONCE(mode) ? ARMED : IDLE);
	return ret;
}

static const struct kernel_param_ops mode_ops = {
	.set = mode_set,
	.get = param_get_int,
};
module_param_cb(mode, &mode_ops, &mode, 0644);
MODULE_PARM_DESC(mode, "1-4: the interleaving to force at the next walk's end (see the source)");

/* Preemption is off in a probe handler: wait in short steps, for 5 s. */
#define WAIT_STEP_US	20

static bool wait_phase(enum phase want)
{
	unsigned int us;

	for (us = 0; us < 5 * USEC_PER_SEC; us += WAIT_STEP_US) {
		if (READ_ONCE(phase) == want)
			return true;
		udelay(WAIT_STEP_US);
	}
	return false;
}

static void give_up(void)
{
	timeouts++;
	WRITE_ONCE(phase, IDLE);
}

static void attempt_done(void)
{
	straddles++;
	if (!atomic_read(&queued))
		lost++;
	WRITE_ONCE(phase, IDLE);
}

/* Let the writer go, and have the other side run meanwhile. */
static void release_and_wait(enum phase want)
{
	WRITE_ONCE(phase, RELEASED);
	WRITE_ONCE(klp_test_kickrace_hold, false);
	if (!wait_phase(want))
		give_up();
}

/* The kick stalls here until the hold has ended. */
static void kick_stall(void)
{
	if (READ_ONCE(phase) != RELEASED || !kick_after_release)
		return;
	WRITE_ONCE(phase, KICK_STALLED);
	if (!wait_phase(HOLD_ENDED))
		give_up();
}

static int done_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct task_struct *w = READ_ONCE(writer);

	/* While "hold" is set, a writer stays inside, and alive. */
	if (READ_ONCE(phase) != ARMED || !w ||
	    !test_tsk_thread_flag(w, TIF_PATCH_PENDING))
		return 1;
	if (task_cpu(w) == smp_processor_id()) {
		skipped++;
		return 1;
	}
	attempts++;
	if (xchg((int *)kicked_addr, 0))
		cleared++;
	atomic_set(&queued, 0);
	kick_after_release = false;
	WRITE_ONCE(walker, current);
	if (mode <= 2)
		release_and_wait(KICK_STALLED);
	else
		WRITE_ONCE(phase, WALKING);
	return 0;
}

static int done_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	WRITE_ONCE(walker, NULL);
	if (READ_ONCE(phase) == KICK_STALLED)
		WRITE_ONCE(phase, HOLD_ENDED);
	else if (READ_ONCE(phase) == KICK_DONE)
		attempt_done();
	else if (READ_ONCE(phase) == WALKING)
		give_up();	/* klp_kick_take_note() was not reached */
	return 0;
}

static int note_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (mode == 1)
		kick_stall();
	return 0;
}

static int note_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (mode == 2)
		kick_stall();
	return 0;
}

static int take_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (mode == 3 && READ_ONCE(phase) == WALKING)
		release_and_wait(KICK_DONE);
	return 0;
}

static int take_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (mode == 4 && READ_ONCE(phase) == WALKING)
		release_and_wait(KICK_DONE);
	return 0;
}

static int kick_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	WRITE_ONCE(kick_cpu, smp_processor_id());
	/* Only a kick that starts after the release is the one awaited. */
	kick_after_release = READ_ONCE(phase) == RELEASED;
	return 0;
}

static int kick_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	WRITE_ONCE(kick_cpu, -1);
	if (!kick_after_release)
		return 0;
	kick_after_release = false;
	if (READ_ONCE(phase) == HOLD_ENDED)
		attempt_done();
	else if (READ_ONCE(phase) == RELEASED)
		WRITE_ONCE(phase, KICK_DONE);
	return 0;
}

/* A walk queued by either side of K (klp_queue_walk()). */
static int queue_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (READ_ONCE(kick_cpu) == smp_processor_id() ||
	    READ_ONCE(walker) == current)
		atomic_inc(&queued);
	return 0;
}

static struct kretprobe rprobes[] = {
	{ .kp.symbol_name = "klp_kick_walk_done",
	  .entry_handler = done_entry, .handler = done_return },
	{ .kp.symbol_name = "klp_kick_note",
	  .entry_handler = note_entry, .handler = note_return },
	{ .kp.symbol_name = "klp_kick_take_note",
	  .entry_handler = take_entry, .handler = take_return },
	{ .kp.symbol_name = "klp_kick_fn",
	  .entry_handler = kick_entry, .handler = kick_return },
};

static struct kretprobe *rprobe_list[ARRAY_SIZE(rprobes)];

static struct kprobe queue_probe = {
	.symbol_name = "mod_delayed_work_on",
	.pre_handler = queue_pre,
};

/* One function under its own name, so a live patch can replace it. */
static noinline __noclone int klp_test_kickrace_func(void)
{
	WRITE_ONCE(writer, current);
	WRITE_ONCE(inside, inside + 1);
	while (READ_ONCE(klp_test_kickrace_hold))
		msleep(20);
	WRITE_ONCE(inside, inside - 1);
	/* Out of the function, the writer may exit: forget it. */
	WRITE_ONCE(writer, NULL);
	return 1;
}

static ssize_t klp_test_kickrace_write(struct file *file,
				       const char __user *buf, size_t count,
				       loff_t *ppos)
{
	klp_test_kickrace_func();
	return count;
}

static const struct proc_ops klp_test_kickrace_ops = {
	.proc_write = klp_test_kickrace_write,
};

static int __init klp_test_kickrace_init(void)
{
	int i, ret;

	if (!kicked_addr || !IS_ALIGNED(kicked_addr, sizeof(int)))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(rprobes); i++) {
		rprobes[i].maxactive = 8;
		rprobe_list[i] = &rprobes[i];
	}
	ret = register_kretprobes(rprobe_list, ARRAY_SIZE(rprobe_list));
	if (ret)
		return ret;
	ret = register_kprobe(&queue_probe);
	if (ret)
		goto out_rprobes;
	if (!proc_create("klp_test_kickrace", 0200, NULL,
			 &klp_test_kickrace_ops)) {
		ret = -ENOMEM;
		goto out_kprobe;
	}
	return 0;

out_kprobe:
	unregister_kprobe(&queue_probe);
out_rprobes:
	unregister_kretprobes(rprobe_list, ARRAY_SIZE(rprobe_list));
	return ret;
}

static void __exit klp_test_kickrace_exit(void)
{
	remove_proc_entry("klp_test_kickrace", NULL);
	unregister_kprobe(&queue_probe);
	unregister_kretprobes(rprobe_list, ARRAY_SIZE(rprobe_list));
}

module_init(klp_test_kickrace_init);
module_exit(klp_test_kickrace_exit);
MODULE_DESCRIPTION("klp selftest: force the interleavings of a kick and a hold's end");
MODULE_LICENSE("GPL");
