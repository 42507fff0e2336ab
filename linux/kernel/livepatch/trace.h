/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Trace events of the consistency engine, in the "livepatch" system:
 * a transition starts, walks the tasks, switches tasks one by one, and
 * completes.  Together they show where a slow transition spends its time.
 * With CONFIG_LIVEPATCH_TRANSITION_INFO, as is pending_tasks in sysfs.
 */
#ifndef CONFIG_LIVEPATCH_TRANSITION_INFO
/* Without the events, the calls to them compile to nothing. */
#ifndef _LIVEPATCH_TRACE_H
#define _LIVEPATCH_TRACE_H
#include <linux/sched.h>

static inline void trace_klp_transition_start(const char *patch, int target)
{
}

static inline void trace_klp_transition_walk(const char *patch,
					     unsigned int pending, u64 walk_ns)
{
}

static inline void trace_klp_task_switch(struct task_struct *task, int target,
					 int how)
{
}

static inline void trace_klp_transition_complete(const char *patch, int target,
						 unsigned int walks,
						 u64 duration_ns)
{
}
#endif /* _LIVEPATCH_TRACE_H */
#else /* CONFIG_LIVEPATCH_TRANSITION_INFO */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM livepatch

#if !defined(_LIVEPATCH_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _LIVEPATCH_TRACE_H

#include <linux/sched.h>
#include <linux/tracepoint.h>

/* enum klp_switch_how */
#include "transition.h"

#define KLP_SWITCH_HOW					\
	EM(KLP_SWITCH_WALK,		"walk")		\
	EM(KLP_SWITCH_SAFE_POINT,	"safe_point")	\
	EM(KLP_SWITCH_SLEEP,		"sleep")	\
	EM(KLP_SWITCH_COND_RESCHED,	"cond_resched")	\
	EM(KLP_SWITCH_FORCE,		"force")	\
	EMe(KLP_SWITCH_SCAN,		"scan")

#undef EM
#undef EMe
#define EM(a, b)	TRACE_DEFINE_ENUM(a);
#define EMe(a, b)	TRACE_DEFINE_ENUM(a);
KLP_SWITCH_HOW
#undef EM
#undef EMe
#define EM(a, b)	{ a, b },
#define EMe(a, b)	{ a, b }

#define klp_show_target(t)	((t) ? "patched" : "unpatched")

TRACE_EVENT(klp_transition_start,
	TP_PROTO(const char *patch, int target),
	TP_ARGS(patch, target),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(int, target)
	),
	TP_fast_assign(
		__assign_str(patch);
		__entry->target = target;
	),
	TP_printk("patch=%s target=%s", __get_str(patch),
		  klp_show_target(__entry->target))
);

TRACE_EVENT(klp_transition_walk,
	TP_PROTO(const char *patch, unsigned int pending, u64 walk_ns),
	TP_ARGS(patch, pending, walk_ns),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(unsigned int, pending)
		__field(u64, walk_ns)
	),
	TP_fast_assign(
		__assign_str(patch);
		__entry->pending = pending;
		__entry->walk_ns = walk_ns;
	),
	TP_printk("patch=%s pending=%u walk_ns=%llu", __get_str(patch),
		  __entry->pending, __entry->walk_ns)
);

TRACE_EVENT(klp_task_switch,
	TP_PROTO(struct task_struct *task, int target, int how),
	TP_ARGS(task, target, how),
	TP_STRUCT__entry(
		__field(pid_t, pid)
		__array(char, comm, TASK_COMM_LEN)
		__field(int, target)
		__field(int, how)
	),
	TP_fast_assign(
		__entry->pid = task->pid;
		memcpy(__entry->comm, task->comm, TASK_COMM_LEN);
		__entry->target = target;
		__entry->how = how;
	),
	TP_printk("pid=%d comm=%s target=%s how=%s", __entry->pid,
		  __entry->comm, klp_show_target(__entry->target),
		  __print_symbolic(__entry->how, KLP_SWITCH_HOW))
);

TRACE_EVENT(klp_transition_complete,
	TP_PROTO(const char *patch, int target, unsigned int walks,
		 u64 duration_ns),
	TP_ARGS(patch, target, walks, duration_ns),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(int, target)
		__field(unsigned int, walks)
		__field(u64, duration_ns)
	),
	TP_fast_assign(
		__assign_str(patch);
		__entry->target = target;
		__entry->walks = walks;
		__entry->duration_ns = duration_ns;
	),
	TP_printk("patch=%s target=%s walks=%u duration_ns=%llu",
		  __get_str(patch), klp_show_target(__entry->target),
		  __entry->walks, __entry->duration_ns)
);

#endif /* _LIVEPATCH_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
#endif /* CONFIG_LIVEPATCH_TRANSITION_INFO */
