// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding the functions and symbols a patch refers to.
 *
 * Local symbols may share a name; the author tells them apart with a
 * position (sympos, counting from 1 in kallsyms order).  A name that is
 * ambiguous without a position is refused rather than guessed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/string.h>
#include "core.h"

struct klp_sym_query {
	const char *name;
	unsigned long sympos;	/* wanted position, 0 for "the only one" */
	unsigned long count;	/* matches seen so far */
	unsigned long addr;	/* address of the wanted match */
};

/* Counts every match and remembers the one at the wanted position. */
static int klp_note_match(struct klp_sym_query *q, unsigned long addr)
{
	q->count++;
	if (q->count == q->sympos || (!q->sympos && q->count == 1))
		q->addr = addr;
	/* Past the wanted position nothing changes the answer; stop. */
	return q->sympos && q->count >= q->sympos;
}

static int klp_vmlinux_match(void *data, unsigned long addr)
{
	return klp_note_match(data, addr);
}

static int klp_module_match(void *data, const char *name, unsigned long addr)
{
	struct klp_sym_query *q = data;

	if (strcmp(name, q->name))
		return 0;
	return klp_note_match(q, addr);
}

/**
 * klp_find_object_symbol() - resolve a symbol of vmlinux or of a module
 * @objname:	module name, or NULL or "vmlinux" for the kernel itself
 * @name:	symbol name
 * @sympos:	position among symbols of that name, or 0 if unique
 * @addr:	the address, on success
 *
 * Return: 0, or -EINVAL with the reason logged.
 */
int klp_find_object_symbol(const char *objname, const char *name,
			   unsigned long sympos, unsigned long *addr)
{
	struct klp_sym_query q = { .name = name, .sympos = sympos };
	const char *where = objname ? objname : "vmlinux";

	if (!objname || !strcmp(objname, "vmlinux"))
		kallsyms_on_each_match_symbol(klp_vmlinux_match, name, &q);
	else
		module_kallsyms_on_each_symbol(objname, klp_module_match, &q);

	if (!q.count) {
		pr_err("symbol '%s' not found in object '%s'\n", name, where);
		return -EINVAL;
	}
	if (!sympos && q.count > 1) {
		pr_err("symbol '%s' is ambiguous in object '%s' (%lu matches); set old_sympos\n",
		       name, where, q.count);
		return -EINVAL;
	}
	if (sympos && !q.addr) {
		pr_err("symbol position %lu of '%s' not found in object '%s' (%lu matches)\n",
		       sympos, name, where, q.count);
		return -EINVAL;
	}
	*addr = q.addr;
	return 0;
}
