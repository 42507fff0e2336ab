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
 *
 * The sizes of a module's functions cost the same: kallsyms finds the size
 * of an address in a module by a walk of all the module's symbols.  So
 * klp_lookup_sizes() walks a module once, sorts what it found, and
 * answers every address of that module by binary search, with the sizes
 * kallsyms would give (test-sizes.sh compares the two).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/module_symbol.h>
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

/* The symbol values of one module, as kallsyms weighs them for sizes. */
struct klp_sym_values {
	unsigned long *val;
	unsigned int nr;
	unsigned int max;
};

static int klp_collect_value(void *data, const char *name, unsigned long addr)
{
	struct klp_sym_values *v = data;

	/* What kallsyms skips when it sizes an address. */
	if (!*name || is_mapping_symbol(name))
		return 0;
	if (v->nr == v->max)
		return -EOVERFLOW;
	v->val[v->nr++] = addr;
	return 0;
}

static int klp_cmp_value(const void *a, const void *b)
{
	unsigned long va = *(const unsigned long *)a;
	unsigned long vb = *(const unsigned long *)b;

	return va < vb ? -1 : va > vb;
}

/*
 * The module memory that kallsyms would size @addr within, as its
 * lookup chooses it: the first type that holds the address, text only
 * without CONFIG_KALLSYMS_ALL.
 */
static const struct module_memory *klp_addr_mem(struct module *mod,
						unsigned long addr)
{
	for_each_mod_mem_type(type) {
		if (!IS_ENABLED(CONFIG_KALLSYMS_ALL) && !mod_mem_type_is_text(type))
			continue;
		if (within_module_mem_type(addr, mod, type))
			return &mod->mem[type];
	}
	return NULL;
}

/* The number of values not above @addr: the index of the first above. */
static unsigned int klp_values_upto(const struct klp_sym_values *v,
				    unsigned long addr)
{
	unsigned int lo = 0, hi = v->nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v->val[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * klp_lookup_sizes() - the sizes of many addresses in one module
 * @mod:	the module; it must stay loaded for the call (klp_mutex keeps
 *		an object's module and the patch's own)
 * @addr:	the addresses
 * @size:	their sizes, filled in
 * @nr:		how many
 *
 * Sets each size to what kallsyms_lookup_size_offset() gives for its
 * address: from the closest symbol at or below it to the closest one above
 * it, or to the end of the module memory that holds it.  A size is 0 where
 * that lookup would fail, e.g. for an address outside @mod, and every size
 * is 0 if this function fails.
 *
 * Return: 0, or a negative errno (-ENOMEM).
 */
int klp_lookup_sizes(struct module *mod, const unsigned long *addr,
		     unsigned long *size, unsigned int nr)
{
	const struct module_memory *mem;
	struct klp_sym_values v = { };
	unsigned long base, end, next;
	unsigned int i, k;
	int ret;

	memset(size, 0, nr * sizeof(*size));
	/*
	 * The table only ever shrinks, to the core symbols once the module's
	 * init is over: the walk finds no more than this many.
	 */
	preempt_disable();
	v.max = rcu_dereference_sched(mod->kallsyms)->num_symtab;
	preempt_enable();
	v.val = kvmalloc_array(v.max ?: 1, sizeof(*v.val), GFP_KERNEL);
	if (!v.val)
		return -ENOMEM;
	ret = module_kallsyms_on_each_symbol(mod->name, klp_collect_value, &v);
	if (ret) {
		kvfree(v.val);
		return ret;
	}
	sort(v.val, v.nr, sizeof(*v.val), klp_cmp_value, NULL);

	for (i = 0; i < nr; i++) {
		mem = klp_addr_mem(mod, addr[i]);
		if (!mem)
			continue;
		base = (unsigned long)mem->base;
		end = base + mem->size;
		k = klp_values_upto(&v, addr[i]);
		/* No symbol in this memory at or below the address. */
		if (!k || v.val[k - 1] < base)
			continue;
		next = k < v.nr && v.val[k] < end ? v.val[k] : end;
		size[i] = next - v.val[k - 1];
	}
	kvfree(v.val);
	return 0;
}
