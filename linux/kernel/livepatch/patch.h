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
 * @node:	entry in the table of redirections, by @loc (M to change,
 *		R to read)
 * @loc:	the ftrace location of the old function, the key
 * @stack:	every klp_func that replaces the function, newest first
 *		(M to change, R to read)
 * @old_addr:	the old function
 * @fops:	the ftrace_ops whose filter holds @loc, or NULL (M)
 * @direct:	@loc is in the table of direct calls (M; see direct.c)
 * @release:	entry in a list of redirections leaving ftrace or about to
 *		be freed (M)
 *
 * Several patches may replace one function.  They share the redirection;
 * the handler picks from @stack the version the current task should run.
 * Between transitions the location may instead be @direct: its call site
 * then goes to the top of @stack without the handler.  A location with a
 * non-empty stack is always traced by its @fops.
 */
struct klp_ops {
	struct hlist_node node;
	unsigned long loc;
	struct list_head stack;
	unsigned long old_addr;
	struct klp_fops *fops;
	bool direct;
	struct list_head release;
};

unsigned long klp_func_location(const struct klp_func *func);
struct klp_ops *klp_func_ops(const struct klp_func *func);
int klp_patch_object(struct klp_patch *patch, struct klp_object *obj);
int klp_patch_objects(struct klp_patch *patch);
void klp_unpatch_object(struct klp_object *obj);
void klp_unpatch_objects(struct klp_patch *patch);
void klp_unpatch_objects_dynamic(struct klp_patch *patch);
void klp_unsettle_patch(struct klp_patch *patch);
void klp_settle(void);
struct dentry;
struct dentry *klp_debugfs_dir(void);

#endif /* _LIVEPATCH_PATCH_H */
