// SPDX-License-Identifier: GPL-2.0
/*
 * klp-diff: writing the output object of one pair.
 *
 * The output is a subset of the patched object: the included sections,
 * the kept entries of side tables, and their relocations.  Code is never
 * rewritten; only where relocations point changes:
 *   - to something the output defines: a local reference, as before;
 *   - to a symbol vmlinux exports: an ordinary undefined symbol;
 *   - to anything else: an undefined placeholder
 *     __klp_ph$<object>$<sympos>$<name>, which "klp-diff finalize" turns
 *     into a klp relocation once the module is linked.  Placeholders let
 *     the module go through the normal Kbuild link, which would not keep
 *     hand-made .klp.rela sections intact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klp-diff.h"

bool verbose_refs;

struct ext {
	char *name;
	unsigned int idx;
};

struct outctx {
	struct pair *pr;
	struct out o;
	unsigned int *secsym;		/* by input section index */
	unsigned int **newpos;		/* compacted entry positions */
	struct ext *ext;
	size_t nr_ext;
};

static unsigned int ext_sym(struct outctx *c, const char *name)
{
	GElf_Sym s = { 0 };
	size_t i;

	for (i = 0; i < c->nr_ext; i++)
		if (!strcmp(c->ext[i].name, name))
			return c->ext[i].idx;
	s.st_info = GELF_ST_INFO(STB_GLOBAL, STT_NOTYPE);
	s.st_shndx = SHN_UNDEF;
	c->ext = xrealloc(c->ext, (c->nr_ext + 1) * sizeof(*c->ext));
	c->ext[c->nr_ext].name = xstrdup(name);
	c->ext[c->nr_ext].idx = out_add_sym(&c->o, name, &s);
	return c->ext[c->nr_ext++].idx;
}

static unsigned int placeholder(struct outctx *c, const char *objname,
				const char *name, bool local, const char **how)
{
	struct pair *pr = c->pr;
	long pos = target_sympos(pr, name, local);
	char *ph;
	unsigned int idx;

	if (pos < 0)
		return 0;
	ph = xasprintf(KLP_PH_PREFIX "%s$%ld$%s", objname, pos, name);
	idx = ext_sym(c, ph);
	*how = xasprintf("klp relocation .klp.sym.%s.%s,%ld (%s, not exported)",
			 objname, name, pos, local ? "static" : "global");
	free(ph);
	return idx;
}

/* The output symbol for a reference to @y, which the output lacks. */
static unsigned int external(struct outctx *c, struct sym *y,
			     const char **how)
{
	struct pair *pr = c->pr;
	const char *owner;

	if (y->sec && y->bind == STB_LOCAL) {
		if (!y->twin) {
			refuse(pr, "new symbol '%s' is needed but could not be included",
			       y->name);
			return 0;
		}
		return placeholder(c, pr->objname, y->twin->name, true, how);
	}
	if (!strcmp(y->name, ".TOC.")) {
		*how = "the module's own TOC base (ppc64 loader)";
		return ext_sym(c, y->name);
	}
	if (global_defs_has(y->name)) {
		*how = "defined by the patch module";
		return ext_sym(c, y->name);
	}
	/* <linux/livepatch_hooks.h>: what klp-build's generated C defines */
	if (!strncmp(y->name, "__klp_build_", strlen("__klp_build_"))) {
		*how = "defined by the generated part of the patch module";
		return ext_sym(c, y->name);
	}
	owner = symvers_owner(y->name);
	if (owner && !strcmp(owner, "vmlinux")) {
		*how = "exported by vmlinux";
		return ext_sym(c, y->name);
	}
	/*
	 * A module's own symbols, exported or not, go through klp
	 * relocations: a plain reference would make the patch module
	 * depend on (and load) the module it patches.
	 */
	if (strcmp(pr->objname, "vmlinux") &&
	    target_defines(pr->target, y->name))
		return placeholder(c, pr->objname, y->name, false, how);
	if (owner) {
		*how = xasprintf("exported by %s (the patch module will depend on it)",
				 owner);
		return ext_sym(c, y->name);
	}
	if (!strcmp(pr->objname, "vmlinux") &&
	    target_defines(pr->target, y->name))
		return placeholder(c, "vmlinux", y->name, false, how);
	refuse(pr, "cannot resolve '%s': not exported, not in %s",
	       y->name, pr->objname);
	return 0;
}

/*
 * A side table in one section for several functions (GCC 12 emits one
 * __patchable_function_entries per object even with -ffunction-sections)
 * is linked to the first function's section, which may be left out.  The
 * link only orders the table in a final link, which a module never has:
 * link it to the section of the first entry kept instead.
 */
static struct sec *kept_entry_sec(struct elf *e, struct sec *s)
{
	const struct special *t = special_lookup(e, s->name);
	size_t j;

	if (!t || !t->entsize || !s->keep || !s->rela)
		return NULL;
	for (j = 0; j < s->rela->nr_relas; j++) {
		struct rela *r = &s->rela->relas[j];

		if (r->offset % t->entsize == t->key &&
		    s->keep[r->offset / t->entsize] && r->sym->sec &&
		    r->sym->sec->include)
			return r->sym->sec;
	}
	return NULL;
}

static void copy_sections(struct outctx *c)
{
	struct elf *e = c->pr->patched;
	size_t i, j;

	for (i = 1; i < e->nr_secs; i++) {
		struct sec *s = &e->secs[i];
		const struct special *t = special_lookup(e, s->name);
		GElf_Shdr sh = s->sh;
		GElf_Sym ss = { 0 };
		unsigned char *buf = s->data;
		size_t size = s->size;

		if (!s->include)
			continue;
		sh.sh_link = 0;
		sh.sh_info = 0;
		sh.sh_flags &= ~(GElf_Xword)SHF_GROUP;
		if (s->special && t && !t->bytes) {
			size_t n = s->size / t->entsize, k = 0;

			c->newpos[i] = xcalloc(n ? n : 1, sizeof(unsigned int));
			buf = xcalloc(n ? n : 1, t->entsize);
			for (j = 0; j < n; j++) {
				if (!s->keep[j])
					continue;
				c->newpos[i][j] = k;
				memcpy(buf + k * t->entsize,
				       s->data + j * t->entsize, t->entsize);
				k++;
			}
			size = k * t->entsize;
		}
		s->out_idx = out_add_sec(&c->o, s->name, &sh,
					 sh.sh_type == SHT_NOBITS ? NULL : buf,
					 size);
		if (buf != s->data)
			free(buf);
		ss.st_info = GELF_ST_INFO(STB_LOCAL, STT_SECTION);
		ss.st_shndx = s->out_idx;
		c->secsym[i] = out_add_sym(&c->o, "", &ss);
	}

	/* a new variable of a shared section gets a section of its own */
	for (i = 1; i < e->nr_syms; i++) {
		struct sym *y = &e->syms[i];
		GElf_Shdr sh;

		if (!y->extract)
			continue;
		sh = y->sec->sh;
		sh.sh_link = 0;
		sh.sh_info = 0;
		sh.sh_flags &= ~(GElf_Xword)SHF_GROUP;
		y->xsec = out_add_sec(&c->o, y->sec->name, &sh,
				      y->sec->data ? y->sec->data +
				      y->s.st_value : NULL, y->s.st_size);
	}

	/* SHF_LINK_ORDER sections name their text section by index */
	for (i = 1; i < e->nr_secs; i++) {
		struct sec *s = &e->secs[i], *l;

		if (!s->include || !(s->sh.sh_flags & SHF_LINK_ORDER))
			continue;
		l = s->sh.sh_link < e->nr_secs ? &e->secs[s->sh.sh_link] : NULL;
		if ((!l || !l->include) && s->special)
			l = kept_entry_sec(e, s);
		if (!l || !l->include) {
			refuse(c->pr, "%s is linked to %s, which is not in the patch",
			       s->name, l ? l->name : "?");
			continue;
		}
		c->o.secs[s->out_idx].sh.sh_link = l->out_idx;
	}
}

static void copy_symbols(struct outctx *c, FILE *manifest, int *alias)
{
	struct pair *pr = c->pr;
	struct elf *e = pr->patched;
	size_t i;

	for (i = 1; i < e->nr_syms; i++) {
		struct sym *y = &e->syms[i];
		GElf_Sym s = y->s;

		if (!y->include || y->type == STT_SECTION ||
		    y->sec->special)
			continue;
		if (y->extract) {
			s.st_shndx = y->xsec;
			s.st_value = 0;
		} else {
			s.st_shndx = y->sec->out_idx;
		}
		y->out_idx = out_add_sym(&c->o, y->name, &s);

		if (y->type != STT_FUNC || !y->twin || y->parent ||
		    !y->changed)
			continue;
		{
			long pos = target_sympos(pr, y->twin->name,
						 y->twin->bind == STB_LOCAL);
			char *name = xasprintf("__klp_new_%d", *alias);

			s.st_info = GELF_ST_INFO(STB_GLOBAL, STT_FUNC);
			y->alias = (*alias)++;
			out_add_sym(&c->o, name, &s);
			if (pos >= 0)
				fprintf(manifest, "func %s %s %ld %s\n",
					pr->objname, y->twin->name, pos, name);
			vprint("  %s: %s -> klp_func { .old_name = \"%s\", .old_sympos = %ld, .new_func = %s }\n",
			       pr->objname, y->name, y->twin->name, pos, name);
			pr->nr_funcs++;
			free(name);
		}
	}
}

/* For -v: why a reference stays inside the patch module. */
static const char *local_how(struct sym *y)
{
	if (y->type == STT_FUNC && y->parent)
		return "local to the patch module (part of a replaced function)";
	if (y->type == STT_FUNC && y->changed)
		return "local to the patch module (the replacement)";
	if (y->why)
		return xasprintf("local to the patch module (%s)", y->why);
	return "local to the patch module";
}

static bool seen(char ***list, size_t *n, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*list)[i], name))
			return true;
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(name);
	return false;
}

struct shown {
	char **names;
	size_t nr;
};

/* Copies relocation @r of @s to output section @out_sec at @off. */
static void copy_rela(struct outctx *c, struct sec *s, struct rela *r,
		      unsigned long off, unsigned int out_sec,
		      const char *owner, struct shown *shown)
{
	struct pair *pr = c->pr;
	struct elf *e = pr->patched;
	struct sym *y = r->sym;
	GElf_Rela out = { 0 };
	const char *how = NULL;
	long addend = r->addend;
	unsigned int idx;

	if (!y->idx) {
		idx = 0;	/* no symbol (R_PPC64_ENTRY, R_X86_64_NONE) */
	} else if (y->type == STT_SECTION && y->sec && y->sec->include) {
		const struct special *ts = special_lookup(e, y->sec->name);

		if (y->sec->special && ts && ts->by_ref) {
			size_t k = addend / ts->entsize;

			addend = c->newpos[y->sec->idx][k] * ts->entsize +
				 addend % ts->entsize;
		} else if (y->sec->special && ts && !ts->bytes) {
			refuse(pr, "%s refers into table %s, which was pruned",
			       s->name, y->sec->name);
			return;
		}
		idx = c->secsym[y->sec->idx];
	} else if (y->type == STT_SECTION) {
		long toff;
		struct sym *tt = reloc_target(e, r, &toff);

		if (tt->type == STT_SECTION) {
			refuse(pr, "%s refers to an unnamed part of %s",
			       s->name, y->sec->name);
			return;
		}
		y = tt;
		if (tt->include) {
			idx = tt->out_idx;
			how = local_how(tt);
		} else {
			idx = external(c, tt, &how);
			if (!idx)
				return;
		}
		addend = toff;
	} else if (y->include) {
		idx = y->out_idx;
		how = local_how(y);
	} else {
		idx = external(c, y, &how);
		if (!idx)
			return;
	}
	if (verbose_refs && how && !seen(&shown->names, &shown->nr, y->name))
		printf("    %s -> %s: %s\n", owner, y->name, how);
	out.r_offset = off;
	out.r_addend = addend;
	out.r_info = GELF_R_INFO(idx, r->type);
	out_add_rela(&c->o, out_sec, &out);
}

static void forget(struct shown *shown)
{
	size_t j;

	for (j = 0; j < shown->nr; j++)
		free(shown->names[j]);
	free(shown->names);
	memset(shown, 0, sizeof(*shown));
}

static void copy_relas(struct outctx *c)
{
	struct pair *pr = c->pr;
	struct elf *e = pr->patched;
	struct shown shown = { 0 };
	size_t i, j;

	for (i = 1; i < e->nr_secs; i++) {
		struct sec *s = &e->secs[i];
		const struct special *t = special_lookup(e, s->name);
		struct sym *owner = sec_owner(e, s);

		if (!s->include || !s->rela)
			continue;
		for (j = 0; j < s->rela->nr_relas; j++) {
			struct rela *r = &s->rela->relas[j];
			unsigned long off = r->offset;

			if (s->special && t && t->bytes) {
				if (!s->keep[off])
					continue;
			} else if (s->special && t) {
				if (!s->keep[off / t->entsize])
					continue;
				off = c->newpos[i][off / t->entsize] *
				      t->entsize + off % t->entsize;
			}
			copy_rela(c, s, r, off, s->out_idx,
				  owner ? owner->name : s->name, &shown);
		}
		forget(&shown);
	}

	/* variables copied out of shared sections */
	for (i = 1; i < e->nr_syms; i++) {
		struct sym *y = &e->syms[i];

		if (!y->extract || !y->sec->rela)
			continue;
		for (j = 0; j < y->sec->rela->nr_relas; j++) {
			struct rela *r = &y->sec->rela->relas[j];

			if (r->offset < y->s.st_value ||
			    r->offset >= y->s.st_value + y->s.st_size)
				continue;
			copy_rela(c, y->sec, r, r->offset - y->s.st_value,
				  y->xsec, y->name, &shown);
		}
		forget(&shown);
	}
}

int output_pair(struct pair *pr, FILE *manifest, int *alias)
{
	struct elf *e = pr->patched;
	struct outctx c = { .pr = pr };
	GElf_Sym fs = { 0 };
	int before = nr_errors;
	size_t i;

	out_init(&c.o, e);
	c.secsym = xcalloc(e->nr_secs, sizeof(*c.secsym));
	c.newpos = xcalloc(e->nr_secs, sizeof(*c.newpos));
	fs.st_info = GELF_ST_INFO(STB_LOCAL, STT_FILE);
	fs.st_shndx = SHN_ABS;
	out_add_sym(&c.o, e->file ? e->file : pr->src, &fs);

	copy_sections(&c);
	copy_symbols(&c, manifest, alias);
	copy_relas(&c);
	if (nr_errors != before)
		return -1;
	out_write(&c.o, pr->out_path);
	for (i = 0; i < e->nr_secs; i++)
		free(c.newpos[i]);
	free(c.newpos);
	free(c.secsym);
	return 0;
}
