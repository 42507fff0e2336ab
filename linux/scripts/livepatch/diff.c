// SPDX-License-Identifier: GPL-2.0
/*
 * klp-diff: deciding which functions a patch changes, what they need, and
 * what cannot be live patched.
 *
 * Both objects were built with -ffunction-sections -fdata-sections, so
 * each function and each variable sits in a section of its own and every
 * reference between them is a relocation.  A function is changed when its
 * bytes differ or when its relocations differ once read symbolically:
 * the twin of the target plus the addend, or for string literals the
 * string itself, since literal offsets move whenever any string in the
 * file is added or removed.  Line numbers of WARN()/BUG() live in
 * __bug_table, not in the code, so moving a WARN() changes nothing here.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klp-diff.h"

int nr_errors;

/* Reports a reason for refusing the patch, once. */
void refuse(struct pair *p, const char *fmt, ...)
{
	static char **seen;
	static size_t nr_seen;
	va_list ap;
	char *msg;
	size_t i;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	for (i = 0; i < nr_seen; i++)
		if (!strcmp(seen[i], msg)) {
			free(msg);
			return;
		}
	seen = xrealloc(seen, (nr_seen + 1) * sizeof(*seen));
	seen[nr_seen++] = msg;
	fflush(stdout);
	fprintf(stderr, "klp-diff: %s: refused: %s\n", p->src, msg);
	nr_errors++;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool is_data_sec(struct sec *s)
{
	return (has_prefix(s->name, ".data") || has_prefix(s->name, ".rodata") ||
		has_prefix(s->name, ".bss")) && !is_string_sec(s);
}

static bool is_init_sec(struct sec *s)
{
	return has_prefix(s->name, ".init.") || has_prefix(s->name, ".exit.") ||
	       strstr(s->name, ".init.text") || has_prefix(s->name, ".meminit");
}

/* Escaped string at @off of a string section, for comparing and printing. */
static void string_at(struct sec *s, long off, char *buf, size_t len)
{
	size_t j = 0;
	long start = off, s0;

	if (!s->data || off < 0 || (size_t)off >= s->size) {
		snprintf(buf, len, "<out of range %ld>", off);
		return;
	}
	while (start > 0 && s->data[start - 1])
		start--;
	j = snprintf(buf, len, "\"");
	s0 = start;
	for (; (size_t)start < s->size && s->data[start] && j + 5 < len;
	     start++) {
		unsigned char c = s->data[start];

		if (c == '\n')
			j += snprintf(buf + j, len - j, "\\n");
		else if (c < 32 || c > 126 || c == '"')
			j += snprintf(buf + j, len - j, "\\x%02x", c);
		else
			buf[j++] = c;
	}
	snprintf(buf + j, len - j, "\"%+ld", off - s0);
}

/* ppc64: the relocation filling the .toc entry at @off, if any. */
static struct rela *toc_entry(struct sec *toc, long off)
{
	size_t i;

	if (!toc->rela)
		return NULL;
	for (i = 0; i < toc->rela->nr_relas; i++)
		if (toc->rela->relas[i].offset == (unsigned long)(off & ~7L))
			return &toc->rela->relas[i];
	return NULL;
}

/*
 * A relocation as text that does not depend on layout, so that the same
 * reference in both objects reads the same.  On ppc64 code reaches data
 * through .toc entries, so a .toc reference reads as what the entry holds.
 */
void canon_rela(struct elf *e, struct rela *r, bool patched, char *buf,
		size_t len)
{
	struct sym *y = r->sym;
	long off;

	/* section + offset, or a label the assembler kept (.LC0) */
	if (y->sec && is_string_sec(y->sec)) {
		char str[256];
		long at = r->addend + pcrel_bias(e, r);

		if (y->type != STT_SECTION)
			at += y->s.st_value;

		string_at(y->sec, at, str, sizeof(str));
		snprintf(buf, len, "%u:str:%s", r->type, str);
		return;
	}
	if (y->type == STT_SECTION && !strcmp(y->name, ".toc")) {
		struct rela *t = toc_entry(y->sec, r->addend);
		char inner[900];

		if (!t) {
			snprintf(buf, len, "%u:toc:const", r->type);
			return;
		}
		canon_rela(e, t, patched, inner, sizeof(inner));
		snprintf(buf, len, "%u:toc:%s%+ld", r->type, inner,
			 r->addend % 8);
		return;
	}
	y = reloc_target(e, r, &off);
	if (y->type == STT_SECTION) {
		char n[256];

		snprintf(buf, len, "%u:sec:%s%+ld", r->type,
			 strip_suffix_numbers(y->name, n, sizeof(n)), off);
		return;
	}
	if (!patched || !y->sec)
		snprintf(buf, len, "%u:%s%+ld", r->type, y->name, off);
	else if (y->twin)
		snprintf(buf, len, "%u:%s%+ld", r->type, y->twin->name, off);
	else
		snprintf(buf, len, "%u:new:%s%+ld", r->type, y->name, off);
}

/* The relocations that patch bytes of @y, in offset order. */
static struct rela **relas_of(struct sym *y, size_t *nr)
{
	struct sec *rs = y->sec->rela;
	struct rela **v;
	size_t i, n = 0;

	*nr = 0;
	if (!rs)
		return NULL;
	v = xcalloc(rs->nr_relas, sizeof(*v));
	for (i = 0; i < rs->nr_relas; i++) {
		struct rela *r = &rs->relas[i];

		if (r->offset >= y->s.st_value &&
		    r->offset < y->s.st_value + y->s.st_size)
			v[n++] = r;
	}
	for (i = 1; i < n; i++) {
		struct rela *t = v[i];
		size_t k = i;

		while (k && v[k - 1]->offset > t->offset) {
			v[k] = v[k - 1];
			k--;
		}
		v[k] = t;
	}
	*nr = n;
	return v;
}

/* Whether @p (patched) differs from its twin; says how in @why. */
static bool sym_differs(struct pair *pr, struct sym *p, char *why, size_t len)
{
	struct sym *o = p->twin;
	struct rela **pv, **ov;
	size_t pn, on, i;
	bool differs = false;

	if (p->s.st_size != o->s.st_size) {
		snprintf(why, len, "size %lu -> %lu",
			 (unsigned long)o->s.st_size,
			 (unsigned long)p->s.st_size);
		return true;
	}
	if (p->sec->data && o->sec->data &&
	    memcmp(p->sec->data + p->s.st_value, o->sec->data + o->s.st_value,
		   p->s.st_size)) {
		for (i = 0; i < p->s.st_size; i++)
			if (p->sec->data[p->s.st_value + i] !=
			    o->sec->data[o->s.st_value + i])
				break;
		snprintf(why, len, "bytes differ at +0x%zx", i);
		return true;
	}
	pv = relas_of(p, &pn);
	ov = relas_of(o, &on);
	if (pn != on) {
		snprintf(why, len, "%zu relocations -> %zu", on, pn);
		differs = true;
	}
	for (i = 0; !differs && i < pn; i++) {
		char a[512], b[512];

		canon_rela(pr->orig, ov[i], false, a, sizeof(a));
		canon_rela(pr->patched, pv[i], true, b, sizeof(b));
		if (pv[i]->offset - p->s.st_value !=
		    ov[i]->offset - o->s.st_value || strcmp(a, b)) {
			snprintf(why, len, "reference at +0x%lx: %s -> %s",
				 pv[i]->offset - (unsigned long)p->s.st_value,
				 a, b);
			differs = true;
		}
	}
	free(pv);
	free(ov);
	return differs;
}

/*
 * Data cannot be live patched: the running kernel keeps using its copy.
 * Changed writable or global data is refused; changed read-only local
 * data (tables, constant strings arrays) is harmless if every function
 * reading it is replaced and carries the new copy, so mark those.
 */
static void check_data(struct pair *pr)
{
	struct elf *e = pr->patched;
	char why[1200];
	size_t i;

	for (i = 1; i < e->nr_syms; i++) {
		struct sym *p = &e->syms[i];

		if (p->type != STT_OBJECT || !p->sec || !p->twin ||
		    !is_data_sec(p->sec))
			continue;
		if (p->s.st_size != p->twin->s.st_size) {
			refuse(pr, "size of '%s' changed (%lu -> %lu bytes): a changed struct layout or array size cannot be live patched; keep the old layout and use shadow variables (klp_shadow_*)",
			       p->name, (unsigned long)p->twin->s.st_size,
			       (unsigned long)p->s.st_size);
			continue;
		}
		if (!sym_differs(pr, p, why, sizeof(why)))
			continue;
		if ((p->sec->sh.sh_flags & SHF_WRITE) || p->bind != STB_LOCAL) {
			refuse(pr, "initialised data '%s' changed (%s): the running kernel keeps its copy; use a shadow variable or a klp callback to change data",
			       p->name, why);
			continue;
		}
		p->changed = true;
		p->why = "constant data changed";
		vprint("  %s: constant data '%s' changed (%s): its readers are replaced\n",
		       pr->objname, p->name, why);
	}
}

static bool refers_to_changed_data(struct pair *pr, struct sym *f,
				   const char **name)
{
	size_t i, n;
	struct rela **v = relas_of(f, &n);
	bool ret = false;

	for (i = 0; i < n && !ret; i++) {
		long off;
		struct sym *t = reloc_target(pr->patched, v[i], &off);

		if (t->type == STT_OBJECT && t->changed) {
			*name = t->name;
			ret = true;
		}
	}
	free(v);
	return ret;
}

static bool has_fentry(struct pair *pr, struct sym *f)
{
	size_t i, n;
	struct rela **v = relas_of(f, &n);
	bool ret = false;

	for (i = 0; i < n; i++) {
		/* x86: [endbr64] call __fentry__; ppc64: mflr r0; bl _mcount */
		if (v[i]->offset - f->s.st_value > 24)
			break;
		if (!strcmp(v[i]->sym->name, "__fentry__") ||
		    !strcmp(v[i]->sym->name, "_mcount"))
			ret = true;
	}
	free(v);
	(void)pr;
	return ret;
}

static void include_sec(struct sec *s)
{
	s->include = true;
}

static void mark_functions(struct pair *pr)
{
	struct elf *e = pr->patched;
	char why[1200];
	const char *dname;
	size_t i;

	for (i = 1; i < e->nr_syms; i++) {
		struct sym *f = &e->syms[i];

		if (f->type != STT_FUNC || !f->sec || !is_text_sec(f->sec))
			continue;
		if (!f->twin) {
			f->is_new = true;
			f->why = "new function";
		} else if (sym_differs(pr, f, why, sizeof(why))) {
			f->changed = true;
			f->why = xstrdup(why);
		} else if (refers_to_changed_data(pr, f, &dname)) {
			f->changed = true;
			f->why = xasprintf("reads changed constant '%s'",
					   dname);
		}
	}
	/* The out-of-line .cold part is part of its parent. */
	for (i = 1; i < e->nr_syms; i++) {
		struct sym *f = &e->syms[i];

		if (f->parent && (f->changed || f->is_new) && f->parent->twin &&
		    !f->parent->changed) {
			f->parent->changed = true;
			f->parent->why = xasprintf("its part %s changed",
						   f->name);
		}
	}
	for (i = 1; i < e->nr_syms; i++) {
		struct sym *f = &e->syms[i];
		struct sym *top = f->parent ? f->parent : f;

		if (f->type != STT_FUNC || !f->sec)
			continue;
		if (!top->changed && !top->is_new)
			continue;
		if (is_init_sec(f->sec)) {
			refuse(pr, "%s '%s' is in %s: init/exit code has run (or never will) and cannot be patched",
			       f->twin ? "changed function" : "new function",
			       f->name, f->sec->name);
			continue;
		}
		if (!strcmp(f->sec->name, ".noinstr.text")) {
			refuse(pr, "changed function '%s' is noinstr: ftrace cannot redirect it",
			       f->name);
			continue;
		}
		if (f->sec->nr_syms > 1 && f->sec->sh.sh_size != f->s.st_size) {
			refuse(pr, "function '%s' shares section %s with other functions; extracting it is not supported",
			       f->name, f->sec->name);
			continue;
		}
		if (f->twin && !f->parent && !has_fentry(pr, f)) {
			refuse(pr, "changed function '%s' is not traceable (no __fentry__ call at entry: notrace, or inlined asm entry): ftrace cannot redirect it; change its callers instead",
			       f->name);
			continue;
		}
		f->include = true;
		include_sec(f->sec);
		if (f != top && !f->why)
			f->why = xasprintf("part of %s", top->name);
		if (verbose && f == top)
			printf("  %s: %s: %s\n", pr->objname, f->name, f->why);
	}
}

/*
 * Read-only local data the new code may carry its own copy of: what the
 * compiler made up (switch tables, __func__) and constants whose content
 * changed.  Other constants are referenced in place, because code may
 * compare their addresses (f->f_op == &foo_fops).
 */
static bool bundleable(struct sym *t)
{
	static const char * const made_up[] = {
		"__func__", "__PRETTY_FUNCTION__", "__FUNCTION__", "CSWTCH",
		NULL
	};
	struct sec *s = t->sec;
	int i;

	if (t->bind != STB_LOCAL || (s->sh.sh_flags & SHF_WRITE) ||
	    (s->sh.sh_flags & SHF_EXECINSTR) || !is_data_sec(s) ||
	    s->nr_syms != 1)
		return false;
	if (t->changed)
		return true;
	for (i = 0; made_up[i]; i++)
		if (has_prefix(t->name, made_up[i]))
			return true;
	return false;
}

/* Keeps the entry of @s (.toc) at @off; true if it was not kept yet. */
static bool keep_by_ref(struct pair *pr, struct sec *s,
			const struct special *t, long off)
{
	size_t n = s->size / t->entsize;

	if (off < 0 || (size_t)off / t->entsize >= n) {
		refuse(pr, "reference outside %s (+%ld)", s->name, off);
		return false;
	}
	if (!s->keep)
		s->keep = xcalloc(n + 1, 1);
	if (s->keep[off / t->entsize])
		return false;
	s->keep[off / t->entsize] = 1;
	s->include = true;
	s->special = true;
	return true;
}

/*
 * ppc64: a call leaving the module goes through a stub that changes r2,
 * so the caller needs the nop after its bl, where the loader puts the TOC
 * restore.  Calls the compiler knew were local have none.  _mcount is
 * handled by the loader without one.
 */
static bool ppc64_call_ok(struct sec *s, struct rela *r, struct sym *t)
{
	const unsigned char *insn;

	if (r->type != R_PPC64_REL24 && r->type != R_PPC64_REL24_NOTOC)
		return true;
	if (t->sec && t->sec->include)
		return true;
	if (!strcmp(t->name, "_mcount"))
		return true;
	if (!s->data || r->offset + 8 > s->size)
		return false;
	insn = s->data + r->offset + 4;
	return insn[0] == 0x00 && insn[1] == 0x00 && insn[2] == 0x00 &&
	       insn[3] == 0x60;
}

/*
 * Who a refusal should name for a relocation of @s at @off: @from, or on
 * ppc64le, for a .toc entry, the included function that loads it.
 */
static const char *referrer(struct pair *pr, struct sec *s, struct sym *from,
			    unsigned long off)
{
	struct elf *e = pr->patched;
	size_t i, j;

	if (strcmp(s->name, ".toc"))
		return from ? from->name : s->name;
	for (i = 1; i < e->nr_secs; i++) {
		struct sec *t = &e->secs[i];

		if (!t->include || !is_text_sec(t) || !t->rela)
			continue;
		for (j = 0; j < t->rela->nr_relas; j++) {
			struct rela *r = &t->rela->relas[j];
			size_t k;

			if (r->sym->sec != s ||
			    r->sym->s.st_value + r->addend != off)
				continue;
			for (k = 1; k < e->nr_syms; k++) {
				struct sym *f = &e->syms[k];

				if (f->type == STT_FUNC && f->sec == t &&
				    r->offset >= f->s.st_value &&
				    r->offset < f->s.st_value + f->s.st_size)
					return f->name;
			}
		}
	}
	return from ? from->name : s->name;
}

/*
 * Includes what the relocations of @s in [@lo, @hi) need; true if anything
 * was added.
 */
static bool close_range(struct pair *pr, struct sec *s, struct sym *from,
			unsigned long lo, unsigned long hi)
{
	struct elf *e = pr->patched;
	bool added = false;
	size_t i;

	if (!s->rela)
		return false;
	for (i = 0; i < s->rela->nr_relas; i++) {
		struct rela *r = &s->rela->relas[i];
		struct sym *t;
		long off;

		if (r->offset < lo || r->offset >= hi)
			continue;

		if (s->special && s->keep &&
		    !s->keep[r->offset / special_lookup(e, s->name)->entsize])
			continue;
		if (r->sym->type == STT_SECTION && r->sym->sec) {
			const struct special *bt =
				special_lookup(e, r->sym->sec->name);

			if (bt && bt->by_ref) {
				if (keep_by_ref(pr, r->sym->sec, bt, r->addend))
					added = true;
				continue;
			}
		}
		t = reloc_target(e, r, &off);
		if (e->eh.e_machine == EM_PPC64 && !ppc64_call_ok(s, r, t)) {
			if (t->sec && t->type == STT_FUNC && !t->sec->include &&
			    is_text_sec(t->sec)) {
				/*
				 * No nop after the bl for the module stub to
				 * restore the TOC: copy the callee instead.
				 */
				t->why = "bundled: called without a TOC restore slot";
				vprint("  %s: %s: copied into the patch (called by %s without a nop after the bl)\n",
				       pr->objname, t->name,
				       referrer(pr, s, from, r->offset));
				include_sec(t->sec);
				added = true;
			} else if (!t->sec || !t->sec->include) {
				refuse(pr, "'%s' calls '%s' without a nop after the bl: the module could not restore its TOC",
				       referrer(pr, s, from, r->offset), t->name);
			}
			continue;
		}
		if (!t->sec || t->sec->include || t->include)
			continue;
		if (is_string_sec(t->sec)) {
			include_sec(t->sec);	/* literals, named or not */
			added = true;
			continue;
		}
		if (t->type == STT_SECTION) {
			struct sec *ts = t->sec;

			if (ts->special || special_lookup(e, ts->name))
				continue;	/* handled in special.c */
			if (is_string_sec(ts) ||
			    (!(ts->sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR)) &&
			     (ts->sh.sh_flags & SHF_ALLOC) && !ts->nr_syms)) {
				include_sec(ts);
				added = true;
				continue;
			}
			refuse(pr, "'%s' refers to an unnamed part of %s (+%ld): cannot tell which object it is",
			       referrer(pr, s, from, r->offset), ts->name, off);
			continue;
		}
		if (t->type == STT_OBJECT && !t->twin) {
			if (!strcmp(t->sec->name, "__dyndbg")) {
				refuse(pr, "'%s' adds a pr_debug()/dynamic debug call site: its descriptor and static key would have to be registered by the patch module; not supported (use pr_info() or leave it out)",
				       referrer(pr, s, from, r->offset));
				continue;
			}
			if (!is_data_sec(t->sec)) {
				refuse(pr, "new variable '%s' is in special section %s: not supported",
				       t->name, t->sec->name);
				continue;
			}
			if (t->sec->nr_syms > 1) {
				/* WARN_ONCE()'s flag, __read_mostly... */
				t->extract = true;
				t->include = true;
				t->why = "new data, copied out of a shared section";
				added = true;
				continue;
			}
			t->why = "new data";
			include_sec(t->sec);
			added = true;
			continue;
		}
		if (t->type == STT_OBJECT && bundleable(t)) {
			t->why = "constant data, copied";
			include_sec(t->sec);
			added = true;
			continue;
		}
		if (t->type == STT_OBJECT && t->changed) {
			refuse(pr, "changed constant '%s' cannot be copied (section %s)",
			       t->name, t->sec->name);
			continue;
		}
		if (t->bind == STB_LOCAL && t->type != STT_FUNC &&
		    t->type != STT_OBJECT) {
			refuse(pr, "'%s' refers to local label '%s' in %s",
			       referrer(pr, s, from, r->offset), t->name,
			       t->sec->name);
		}
	}
	return added;
}

static void mark_syms_of_included(struct elf *e)
{
	size_t i;

	for (i = 1; i < e->nr_syms; i++) {
		struct sym *y = &e->syms[i];

		if (y->sec && y->sec->include && !y->sec->special &&
		    y->type != STT_SECTION)
			y->include = true;
	}
}

void close_over(struct pair *pr)
{
	struct elf *e = pr->patched;
	bool again = true;
	size_t i;

	while (again) {
		again = false;
		for (i = 1; i < e->nr_secs; i++) {
			struct sec *s = &e->secs[i];
			struct sym *from;

			if (!s->include || s->sh.sh_type == SHT_RELA)
				continue;
			from = sec_owner(e, s);
			if (close_range(pr, s, from, 0, ~0UL))
				again = true;
		}
		for (i = 1; i < e->nr_syms; i++) {
			struct sym *y = &e->syms[i];

			if (y->extract &&
			    close_range(pr, y->sec, y, y->s.st_value,
					y->s.st_value + y->s.st_size))
				again = true;
		}
	}
	mark_syms_of_included(e);
}

int diff_pair(struct pair *pr)
{
	int before = nr_errors;

	pr->orig = elf_load(pr->orig_path);
	pr->patched = elf_load(pr->patched_path);
	if (pr->orig->eh.e_machine != pr->patched->eh.e_machine)
		die("%s: objects are for different machines", pr->src);
	if (pr->patched->eh.e_machine == EM_PPC64 &&
	    (pr->patched->eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	     (pr->patched->eh.e_flags & 3) != 2))
		die("%s: only little-endian ELFv2 ppc64 is supported", pr->src);
	else if (pr->patched->eh.e_machine != EM_X86_64 &&
		 pr->patched->eh.e_machine != EM_PPC64)
		die("%s: machine %u is not supported", pr->src,
		    pr->patched->eh.e_machine);
	correlate(pr->orig, pr->patched);
	check_data(pr);
	mark_functions(pr);
	close_over(pr);
	if (special_prune(pr))
		close_over(pr);
	return nr_errors - before;
}
