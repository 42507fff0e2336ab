// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Watches the kicks of event-driven completion against the walks, for
 * test-kick-hold.sh.
 *
 * The holder of klp_mutex walks the tasks right after it starts a
 * transition, and a kick that queued the transition work meanwhile would
 * have a kworker wait for klp_mutex, spinning on a CPU for as long as the
 * walk runs (kick.c).  This module stalls the start of every walk for
 * "delay_ms" milliseconds, through a kprobe on
 * klp_try_complete_transition(), so that tasks switching on the other
 * CPU kick inside that window, and counts through kprobes:
 *   kicks:	kicks handled (klp_kick_fn()) from the start of a transition
 *		or of a walk to the walk's end (klp_kick_walk_done());
 *   waits:	entries into the transition work (klp_transition_work_fn())
 *		in that window, each one a kworker that waits for the walk;
 *   walks:	the walks stalled.
 * Only for kernels with CONFIG_LIVEPATCH_EVENT_COMPLETION: elsewhere the
 * probes have nothing to attach to and the module does not load.
 */
#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/module.h>

static unsigned int delay_ms = 200;
module_param(delay_ms, uint, 0644);
MODULE_PARM_DESC(delay_ms, "how long the start of each walk stalls");

static atomic_long_t kicks, waits, walks;
/* From a transition's or a walk's start to that walk's end. */
static bool in_walk;

static int counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops counter_ops = { .get = counter_get };
module_param_cb(kicks, &counter_ops, &kicks, 0444);
MODULE_PARM_DESC(kicks, "kicks handled while the mutex holder was about to walk or walking");
module_param_cb(waits, &counter_ops, &waits, 0444);
MODULE_PARM_DESC(waits, "transition works started meanwhile, to wait for the walk");
module_param_cb(walks, &counter_ops, &walks, 0444);
MODULE_PARM_DESC(walks, "walks stalled");

static int transition_start(struct kprobe *p, struct pt_regs *regs)
{
	WRITE_ONCE(in_walk, true);
	return 0;
}

static int walk_start(struct kprobe *p, struct pt_regs *regs)
{
	unsigned int us = READ_ONCE(delay_ms) * 1000;

	WRITE_ONCE(in_walk, true);
	atomic_long_inc(&walks);
	/* Preemption is off in a kprobe handler: stall in short steps. */
	while (us) {
		unsigned int step = min(us, 50U);

		udelay(step);
		us -= step;
	}
	return 0;
}

static int walk_end(struct kprobe *p, struct pt_regs *regs)
{
	WRITE_ONCE(in_walk, false);
	return 0;
}

static int kick(struct kprobe *p, struct pt_regs *regs)
{
	if (READ_ONCE(in_walk))
		atomic_long_inc(&kicks);
	return 0;
}

static int work(struct kprobe *p, struct pt_regs *regs)
{
	if (READ_ONCE(in_walk))
		atomic_long_inc(&waits);
	return 0;
}

static struct kprobe probes[] = {
	{ .symbol_name = "klp_start_transition", .pre_handler = transition_start },
	{ .symbol_name = "klp_try_complete_transition", .pre_handler = walk_start },
	{ .symbol_name = "klp_kick_walk_done", .pre_handler = walk_end },
	{ .symbol_name = "klp_kick_fn", .pre_handler = kick },
	{ .symbol_name = "klp_transition_work_fn", .pre_handler = work },
};

static struct kprobe *probe_list[ARRAY_SIZE(probes)];

static int __init klp_test_walkhold_init(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(probes); i++)
		probe_list[i] = &probes[i];
	return register_kprobes(probe_list, ARRAY_SIZE(probe_list));
}

static void __exit klp_test_walkhold_exit(void)
{
	unregister_kprobes(probe_list, ARRAY_SIZE(probe_list));
}

module_init(klp_test_walkhold_init);
module_exit(klp_test_walkhold_exit);
MODULE_DESCRIPTION("klp selftest: stall the walks, count the kicks and waits meanwhile");
MODULE_LICENSE("GPL");
