/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The redirection of old functions to new ones (patch.c).
 */
#ifndef _LIVEPATCH_PATCH_H
#define _LIVEPATCH_PATCH_H

#include <linux/ftrace.h>
#include <linux/livepatch.h>
#include <linux/list.h>

/**
 * struct klp_ops - the redirection of one old function
 * @fops:	the ftrace_ops whose handler rewrites the saved instruction
 *		pointer
 * @stack:	every klp_func that replaces the function, newest first
 *		(M to change, R to read)
 * @old_addr:	the old function
 * @entry:	entry in the list of all redirections (M)
 *
 * Several patches may replace one function.  They share one ftrace
 * registration; the handler picks from @stack the version the current
 * task should run.
 */
struct klp_ops {
	struct ftrace_ops fops;
	struct list_head stack;
	unsigned long old_addr;
	struct list_head entry;
};

int klp_patch_object(struct klp_object *obj);
void klp_unpatch_object(struct klp_object *obj);
void klp_unpatch_objects(struct klp_patch *patch);
void klp_unpatch_objects_dynamic(struct klp_patch *patch);

#endif /* _LIVEPATCH_PATCH_H */
