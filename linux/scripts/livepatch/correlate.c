// SPDX-License-Identifier: GPL-2.0
/*
 * klp-diff: pairing each symbol of the patched object with its twin in
 * the original object.
 *
 * Names are not stable identities.  The compiler numbers the clones it
 * makes (foo.constprop.0, foo.isra.1, foo.part.2) and the static locals
 * of each function (__key.3, __already_done.12), and __COUNTER__-based
 * names (__UNIQUE_ID_ddebug123) shift whenever a macro use is added above
 * them.  So we pair in rounds, from the most to the least certain:
 *   1. identical name without numbers, same type and locality;
 *   2. numbered objects: same stripped name and same first referring
 *      function (the function's own twin);
 *   3. identical numbered name;
 *   4. same name once the numbers are stripped, if that is unambiguous;
 *   5. same stripped name, paired in numeric order when the counts agree.
 * Whatever stays unpaired is new (patched side) or gone (original side).
 */
#include <stdlib.h>
#include <string.h>

#include "klp-diff.h"

static bool pairable(struct sym *y)
{
	return y->sec && y->name[0] &&
	       (y->type == STT_FUNC || y->type == STT_OBJECT);
}

static bool same_kind(struct sym *a, struct sym *b)
{
	return a->type == b->type &&
	       (a->bind == STB_LOCAL) == (b->bind == STB_LOCAL);
}

/*
 * The symbol a relocation really points at.  Assemblers turn references
 * to local symbols into "section + offset"; undo that when a FUNC/OBJECT
 * symbol covers the offset.  For PC-relative relocations in code the
 * addend is relative to the end of the instruction (pcrel_bias()).
 */
struct sym *reloc_target(struct elf *e, struct rela *r, long *off)
{
	struct sym *y = r->sym, *t;

	*off = r->addend;
	if (y->type != STT_SECTION || !y->sec)
		return y;
	t = sym_at(e, y->sec, r->addend + pcrel_bias(e, r));
	if (!t)
		return y;
	*off = r->addend - (long)t->s.st_value;
	return t;
}

/* The first function whose code refers to @y, to tell static locals apart. */
static struct sym *first_referrer(struct elf *e, struct sym *y)
{
	size_t i, j;

	for (i = 1; i < e->nr_secs; i++) {
		struct sec *s = &e->secs[i];
		long off;

		if (!s->base || !is_text_sec(s->base))
			continue;
		for (j = 0; j < s->nr_relas; j++) {
			if (reloc_target(e, &s->relas[j], &off) != y)
				continue;
			return sym_at(e, s->base, s->relas[j].offset);
		}
	}
	return NULL;
}

static void link_twins(struct sym *p, struct sym *o)
{
	p->twin = o;
	o->twin = p;
}

static long suffix_number(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot)
		return strtol(dot + 1, NULL, 10);
	while (*name && !(*name >= '0' && *name <= '9'))
		name++;
	return strtol(name, NULL, 10);
}

static void match_stripped(struct elf *orig, struct elf *patched)
{
	char a[512], b[512];
	size_t i, j;

	for (i = 1; i < patched->nr_syms; i++) {
		struct sym *p = &patched->syms[i], *cand = NULL;
		unsigned int np = 0, no = 0;

		if (!pairable(p) || p->twin)
			continue;
		strip_suffix_numbers(p->name, a, sizeof(a));
		for (j = 1; j < patched->nr_syms; j++) {
			struct sym *q = &patched->syms[j];

			if (pairable(q) && !q->twin && same_kind(p, q) &&
			    !strcmp(a, strip_suffix_numbers(q->name, b,
							    sizeof(b))))
				np++;
		}
		for (j = 1; j < orig->nr_syms; j++) {
			struct sym *o = &orig->syms[j];

			if (pairable(o) && !o->twin && same_kind(p, o) &&
			    !strcmp(a, strip_suffix_numbers(o->name, b,
							    sizeof(b)))) {
				no++;
				cand = o;
			}
		}
		if (np == 1 && no == 1)
			link_twins(p, cand);
	}
}

static void match_referrer(struct elf *orig, struct elf *patched)
{
	char a[512], b[512];
	size_t i, j;

	for (i = 1; i < patched->nr_syms; i++) {
		struct sym *p = &patched->syms[i], *pr, *cand = NULL;
		unsigned int n = 0;

		if (!pairable(p) || p->twin || p->type != STT_OBJECT)
			continue;
		pr = first_referrer(patched, p);
		if (!pr || !pr->twin)
			continue;
		strip_suffix_numbers(p->name, a, sizeof(a));
		for (j = 1; j < orig->nr_syms; j++) {
			struct sym *o = &orig->syms[j];

			if (!pairable(o) || o->twin || !same_kind(p, o) ||
			    strcmp(a, strip_suffix_numbers(o->name, b,
							   sizeof(b))))
				continue;
			if (first_referrer(orig, o) == pr->twin) {
				cand = o;
				n++;
			}
		}
		if (n == 1)
			link_twins(p, cand);
	}
}

static int cmp_suffix(const void *x, const void *y)
{
	long a = suffix_number((*(struct sym **)x)->name);
	long b = suffix_number((*(struct sym **)y)->name);

	return a < b ? -1 : a > b;
}

static void match_order(struct elf *orig, struct elf *patched)
{
	struct sym **ps = xcalloc(patched->nr_syms, sizeof(*ps));
	struct sym **os = xcalloc(orig->nr_syms, sizeof(*os));
	char a[512], b[512];
	size_t i, j, np, no;

	for (i = 1; i < patched->nr_syms; i++) {
		struct sym *p = &patched->syms[i];

		if (!pairable(p) || p->twin)
			continue;
		strip_suffix_numbers(p->name, a, sizeof(a));
		if (!strcmp(a, p->name))
			continue;	/* no number: nothing to reorder */
		np = 0;
		no = 0;
		for (j = 1; j < patched->nr_syms; j++) {
			struct sym *q = &patched->syms[j];

			if (pairable(q) && !q->twin && same_kind(p, q) &&
			    !strcmp(a, strip_suffix_numbers(q->name, b,
							    sizeof(b))))
				ps[np++] = q;
		}
		for (j = 1; j < orig->nr_syms; j++) {
			struct sym *o = &orig->syms[j];

			if (pairable(o) && !o->twin && same_kind(p, o) &&
			    !strcmp(a, strip_suffix_numbers(o->name, b,
							    sizeof(b))))
				os[no++] = o;
		}
		if (np != no)
			continue;
		qsort(ps, np, sizeof(*ps), cmp_suffix);
		qsort(os, no, sizeof(*os), cmp_suffix);
		for (j = 0; j < np; j++)
			link_twins(ps[j], os[j]);
	}
	free(ps);
	free(os);
}

/* foo.cold (or foo.cold.3) is the out-of-line part of foo. */
static void find_parents(struct elf *e)
{
	size_t i;

	for (i = 1; i < e->nr_syms; i++) {
		struct sym *y = &e->syms[i];
		const char *c = strstr(y->name, ".cold");
		char *base;

		if (y->type != STT_FUNC || !c)
			continue;
		base = xstrdup(y->name);
		base[c - y->name] = '\0';
		y->parent = elf_find_sym(e, base);
		free(base);
	}
}

static void match_exact(struct elf *orig, struct elf *patched, bool numbered)
{
	char b[512];
	size_t i, j;

	for (i = 1; i < patched->nr_syms; i++) {
		struct sym *p = &patched->syms[i];

		if (!pairable(p) || p->twin ||
		    numbered != !!strcmp(p->name, strip_suffix_numbers(p->name,
							b, sizeof(b))))
			continue;
		for (j = 1; j < orig->nr_syms; j++) {
			struct sym *o = &orig->syms[j];

			if (pairable(o) && !o->twin && same_kind(p, o) &&
			    !strcmp(p->name, o->name)) {
				link_twins(p, o);
				break;
			}
		}
	}
}

void correlate(struct elf *orig, struct elf *patched)
{
	/*
	 * Plain names first.  Numbered static locals are paired by the
	 * function using them before their numbers are trusted: adding a
	 * "static int calls" in an earlier function renumbers the later one.
	 */
	match_exact(orig, patched, false);
	match_referrer(orig, patched);
	match_exact(orig, patched, true);
	match_stripped(orig, patched);
	match_order(orig, patched);
	find_parents(orig);
	find_parents(patched);
}
