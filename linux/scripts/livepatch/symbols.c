// SPDX-License-Identifier: GPL-2.0
/*
 * klp-diff: what the running kernel calls things.
 *
 * A klp relocation names a symbol by object, name and position (sympos)
 * among the symbols of that name, counted the way livepatch's kallsyms
 * walk counts them: by address in vmlinux, in symbol table order in a
 * module.  We compute it from the normal build's vmlinux or .ko, never
 * from our -ffunction-sections objects, because that is what runs.
 *
 * A static symbol is told from its namesakes by the STT_FILE symbol that
 * precedes it, and, when two files share a name (there are several
 * "core.c"), by which of them also defines the other locals of our object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klp-diff.h"

struct target {
	char *objname;
	struct elf *e;
	const char **file_of;		/* per symbol: its STT_FILE, locals */
	struct target *next;
};

static struct target *targets;

struct target *target_get(const char *objname, const char *path)
{
	struct target *t;
	const char *file = NULL;
	size_t i;

	for (t = targets; t; t = t->next)
		if (!strcmp(t->objname, objname))
			return t;
	t = xcalloc(1, sizeof(*t));
	t->objname = xstrdup(objname);
	t->e = elf_load(path);
	t->file_of = xcalloc(t->e->nr_syms, sizeof(*t->file_of));
	for (i = 1; i < t->e->nr_syms; i++) {
		struct sym *y = &t->e->syms[i];

		if (y->type == STT_FILE)
			file = y->name;
		if (y->bind == STB_LOCAL)
			t->file_of[i] = file;
	}
	t->next = targets;
	targets = t;
	return t;
}

static bool counted(struct target *t, struct sym *y)
{
	if (!y->sec || (y->type != STT_FUNC && y->type != STT_OBJECT &&
			y->type != STT_NOTYPE))
		return false;
	/* a module's init sections are gone when the patch is applied */
	if (strcmp(t->objname, "vmlinux") &&
	    (!strncmp(y->sec->name, ".init", 5) ||
	     !(y->sec->sh.sh_flags & SHF_ALLOC)))
		return false;
	return true;
}

bool target_defines(struct target *t, const char *name)
{
	size_t i;

	for (i = 1; i < t->e->nr_syms; i++)
		if (counted(t, &t->e->syms[i]) &&
		    !strcmp(t->e->syms[i].name, name))
			return true;
	return false;
}

/* How many locals of @pr's original object the FILE block of @i defines. */
static int block_score(struct target *t, struct pair *pr, size_t i)
{
	size_t lo = i, hi = i, k, j;
	int score = 0;

	while (lo > 1 && t->e->syms[lo].type != STT_FILE)
		lo--;
	while (hi + 1 < t->e->nr_syms && t->e->syms[hi + 1].type != STT_FILE &&
	       t->e->syms[hi + 1].bind == STB_LOCAL)
		hi++;
	for (j = 1; j < pr->orig->nr_syms; j++) {
		struct sym *o = &pr->orig->syms[j];

		if (o->bind != STB_LOCAL || !o->sec ||
		    (o->type != STT_FUNC && o->type != STT_OBJECT))
			continue;
		for (k = lo; k <= hi; k++)
			if (!strcmp(t->e->syms[k].name, o->name)) {
				score++;
				break;
			}
	}
	return score;
}

long target_sympos(struct pair *pr, const char *name, bool local)
{
	struct target *t = pr->target;
	size_t i, n = 0, pick = 0, best_n = 0;
	struct sym **c;
	const char *file = pr->orig->file;
	int best = -1;

	c = xcalloc(t->e->nr_syms, sizeof(*c));
	for (i = 1; i < t->e->nr_syms; i++)
		if (counted(t, &t->e->syms[i]) &&
		    !strcmp(t->e->syms[i].name, name))
			c[n++] = &t->e->syms[i];
	if (!n) {
		refuse(pr, "'%s' is not in %s's symbol table: cannot compute its sympos (was the tree rebuilt since?)",
		       name, t->objname);
		free(c);
		return -1;
	}
	if (n == 1) {
		free(c);
		return 0;
	}
	/* kallsyms order: by address in vmlinux, table order in modules */
	if (!strcmp(t->objname, "vmlinux")) {
		for (i = 1; i < n; i++) {
			struct sym *y = c[i];
			size_t k = i;

			while (k && c[k - 1]->s.st_value > y->s.st_value) {
				c[k] = c[k - 1];
				k--;
			}
			c[k] = y;
		}
	}
	for (i = 0; i < n; i++) {
		int score;

		if (!local) {
			if (c[i]->bind != STB_LOCAL) {
				pick = i + 1;
				best_n = 1;
			}
			continue;
		}
		if (c[i]->bind != STB_LOCAL || !file ||
		    !t->file_of[c[i]->idx] ||
		    strcmp(t->file_of[c[i]->idx], file))
			continue;
		score = block_score(t, pr, c[i]->idx);
		if (score > best) {
			best = score;
			pick = i + 1;
			best_n = 1;
		} else if (score == best) {
			best_n++;
		}
	}
	free(c);
	if (best_n != 1) {
		refuse(pr, "cannot tell which of the %zu symbols '%s' in %s is the one from %s",
		       n, name, t->objname, file ? file : "?");
		return -1;
	}
	return pick;
}

/* Module.symvers: crc, symbol, module, export type, namespace. */
struct export {
	char *name, *owner;
};

static struct export *exports;
static size_t nr_exports;

static int cmp_export(const void *a, const void *b)
{
	return strcmp(((const struct export *)a)->name,
		      ((const struct export *)b)->name);
}

void symvers_load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f)
		die("%s: cannot open", path);
	while (fgets(line, sizeof(line), f)) {
		char *crc = strtok(line, "\t\n");
		char *name = strtok(NULL, "\t\n");
		char *owner = strtok(NULL, "\t\n");

		if (!crc || !name || !owner)
			continue;
		exports = xrealloc(exports, (nr_exports + 1) *
				   sizeof(*exports));
		exports[nr_exports].name = xstrdup(name);
		exports[nr_exports].owner = xstrdup(owner);
		nr_exports++;
	}
	fclose(f);
	qsort(exports, nr_exports, sizeof(*exports), cmp_export);
}

/* "vmlinux", a module path, or NULL if @name is not exported. */
const char *symvers_owner(const char *name)
{
	struct export key = { .name = (char *)name }, *x;

	x = bsearch(&key, exports, nr_exports, sizeof(*exports), cmp_export);
	return x ? x->owner : NULL;
}

/* Global symbols the patch module itself defines. */
static char **defs;
static size_t nr_defs;

void global_defs_add(const char *name)
{
	defs = xrealloc(defs, (nr_defs + 1) * sizeof(*defs));
	defs[nr_defs++] = xstrdup(name);
}

bool global_defs_has(const char *name)
{
	size_t i;

	for (i = 0; i < nr_defs; i++)
		if (!strcmp(defs[i], name))
			return true;
	return false;
}
