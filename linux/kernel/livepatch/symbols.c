// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding the functions and symbols a patch refers to.
 *
 * Local symbols may share a name; the author tells them apart with a
 * position (sympos, counting from 1 in kallsyms order).  A name that is
 * ambiguous without a position is refused rather than guessed.
 *
 * vmlinux answers a name by binary search.  A module can only be walked,
 * symbol by symbol, and a name may appear more than once, so every walk
 * is a full one: looking up the functions of a module one at a time costs
 * functions times symbols (a million string compares for a patch of a
 * thousand functions of a module of as many symbols).  klp_lookup_symbols()
 * therefore answers all the names of one object in a single walk, finding
 * each symbol's name among the wanted ones by binary search.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "core.h"

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

/* The queries of one module walk, sorted by name. */
struct klp_sym_walk {
	struct klp_sym_query **by_name;
	unsigned int nr;
};

static int klp_cmp_query(const void *a, const void *b)
{
	const struct klp_sym_query *qa = *(const struct klp_sym_query **)a;
	const struct klp_sym_query *qb = *(const struct klp_sym_query **)b;

	return strcmp(qa->name, qb->name);
}

static int klp_module_match(void *data, const char *name, unsigned long addr)
{
	struct klp_sym_walk *w = data;
	unsigned int lo = 0, hi = w->nr, mid;

	/* The first query not sorting before @name... */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(w->by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* ...and every one that wants it, without stopping the walk. */
	for (; lo < w->nr && !strcmp(w->by_name[lo]->name, name); lo++)
		klp_note_match(w->by_name[lo], addr);
	return 0;
}

static bool klp_is_vmlinux(const char *objname)
{
	return !objname || !strcmp(objname, "vmlinux");
}

/**
 * klp_lookup_symbols() - count and locate the symbols of one object
 * @objname:	module name, or NULL or "vmlinux" for the kernel itself
 * @q:		the queries; each needs ->name and ->sympos, the rest zeroed
 * @nr:		how many
 *
 * Fills in ->count and ->addr of every query; klp_symbol_verdict() then
 * judges each one.  A module is walked once, however many queries.
 *
 * Return: 0, or -ENOMEM.
 */
int klp_lookup_symbols(const char *objname, struct klp_sym_query *q,
		       unsigned int nr)
{
	struct klp_sym_query *one = q;
	struct klp_sym_walk w = { .by_name = &one, .nr = nr };
	unsigned int i;

	if (!nr)
		return 0;
	if (klp_is_vmlinux(objname)) {
		for (i = 0; i < nr; i++)
			kallsyms_on_each_match_symbol(klp_vmlinux_match,
						      q[i].name, &q[i]);
		return 0;
	}

	if (nr > 1) {
		w.by_name = kvmalloc_array(nr, sizeof(*w.by_name), GFP_KERNEL);
		if (!w.by_name)
			return -ENOMEM;
		for (i = 0; i < nr; i++)
			w.by_name[i] = &q[i];
		sort(w.by_name, nr, sizeof(*w.by_name), klp_cmp_query, NULL);
	}
	module_kallsyms_on_each_symbol(objname, klp_module_match, &w);
	if (nr > 1)
		kvfree(w.by_name);
	return 0;
}

/**
 * klp_symbol_verdict() - judge a query that klp_lookup_symbols() answered
 * @objname:	the object it was looked up in, as given there
 * @q:		the query
 * @addr:	the address, on success
 *
 * Return: 0, or -EINVAL with the reason logged: not found, ambiguous
 * without a position, or no symbol at that position.
 */
int klp_symbol_verdict(const char *objname, const struct klp_sym_query *q,
		       unsigned long *addr)
{
	const char *where = klp_is_vmlinux(objname) ? "vmlinux" : objname;

	/* Upstream's words first, for the tools that look for them. */
	if (!q->count) {
		pr_err("symbol '%s' not found in symbol table\n", q->name);
		pr_err("'%s' has no symbol '%s'\n", where, q->name);
		return -EINVAL;
	}
	if (!q->sympos && q->count > 1) {
		pr_err("unresolvable ambiguity for symbol '%s' in object '%s'\n",
		       q->name, where);
		pr_err("'%s' has %lu symbols '%s': set old_sympos\n", where,
		       q->count, q->name);
		return -EINVAL;
	}
	if (q->sympos && !q->addr) {
		pr_err("symbol position %lu for symbol '%s' in object '%s' not found\n",
		       q->sympos, q->name, where);
		pr_err("'%s' has %lu symbols '%s'\n", where, q->count, q->name);
		return -EINVAL;
	}
	*addr = q->addr;
	return 0;
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

	/* A single query needs no memory. */
	klp_lookup_symbols(objname, &q, 1);
	return klp_symbol_verdict(objname, &q, addr);
}
