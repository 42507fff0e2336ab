/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _LIVEPATCH_PATCH_H
#define _LIVEPATCH_PATCH_H

#include <linux/livepatch.h>
#include <linux/list.h>
#include <linux/ftrace.h>

/**
 * struct klp_ops - the redirection of one old function
 * @node:	entry in the list of all klp_ops (M)
 * @func_stack:	every klp_func that replaces this function, newest first
 *		(M to change, R to read)
 * @fops:	the ftrace_ops whose handler does the redirection
 *
 * Several patches may replace the same function.  They share one ftrace
 * registration, and the handler picks from the stack the version the
 * current task should run.
 */
struct klp_ops {
	struct list_head node;
	struct list_head func_stack;
	struct ftrace_ops fops;
};

struct klp_ops *klp_find_ops(void *old_func);

int klp_patch_object(struct klp_object *obj);
void klp_unpatch_object(struct klp_object *obj);
void klp_unpatch_objects(struct klp_patch *patch);
void klp_unpatch_objects_dynamic(struct klp_patch *patch);

#endif /* _LIVEPATCH_PATCH_H */
