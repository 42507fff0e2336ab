// SPDX-License-Identifier: GPL-2.0
/*
 * klp-diff: tables that describe code from the side (exception tables,
 * alternatives, ftrace call sites, objtool's annotations...).
 *
 * Each such section is an array of fixed-size entries, each owned by the
 * instruction its first relocation points at.  The output keeps exactly
 * the entries owned by included functions: an entry for a function that
 * is not in the patch module would make the loader patch or describe code
 * that is not there.
 *
 * Entry sizes come from the arch headers of the 6.12 tree
 * (asm/bug.h, asm/extable.h, asm/alternative.h, asm/jump_label.h,
 * asm/orc_types.h, linux/objtool.h, linux/objtool_types.h).
 */
#include <stdlib.h>
#include <string.h>

#include "klp-diff.h"

/* name, entsize, owner offset, key to check (-1: none), paired, size */
static const struct special x86_64_specials[] = {
	{ "__bug_table",		12, 0, -1, NULL, 0 },
	{ "__ex_table",			12, 0, -1, NULL, 0 },
	{ ".altinstructions",		14, 0, -1, NULL, 0 },
	{ ".altinstr_replacement",	1, 0, -1, NULL, 0, false, true },
	/*
	 * A jump label or static call whose key the module cannot reach by
	 * an export would need a klp relocation in a table the module
	 * loader reads before livepatch resolves anything: refused.
	 */
	{ "__jump_table",		16, 0, 8, NULL, 0 },
	{ ".static_call_sites",		8, 0, 4, NULL, 0 },
	{ ".orc_unwind_ip",		4, 0, -1, ".orc_unwind", 6 },
	{ ".orc_unwind",		6, 0, -1, NULL, 0 },
	{ ".retpoline_sites",		4, 0, -1, NULL, 0 },
	{ ".return_sites",		4, 0, -1, NULL, 0 },
	{ ".call_sites",		4, 0, -1, NULL, 0 },
	{ ".ibt_endbr_seal",		4, 0, -1, NULL, 0 },
	{ ".smp_locks",			4, 0, -1, NULL, 0 },
	{ "__mcount_loc",		8, 0, -1, NULL, 0 },
	{ "__patchable_function_entries", 8, 0, -1, NULL, 0 },
	/*
	 * objtool's annotations: discarded by the final link, but objtool
	 * runs on the patch module first when it is delayed to link time
	 * (CONFIG_X86_KERNEL_IBT), and then needs them.
	 */
	{ ".discard.unwind_hints",	12, 0, -1, NULL, 0 },
	{ ".discard.noendbr",		4, 0, -1, NULL, 0 },
	{ ".discard.reachable",		4, 0, -1, NULL, 0 },
	{ ".discard.unreachable",	4, 0, -1, NULL, 0 },
	{ ".discard.intra_function_calls", 4, 0, -1, NULL, 0 },
	{ ".discard.retpoline_safe",	4, 0, -1, NULL, 0 },
	{ ".discard.instr_begin",	4, 0, -1, NULL, 0 },
	{ ".discard.instr_end",		4, 0, -1, NULL, 0 },
	{ ".discard.validate_unret",	4, 0, -1, NULL, 0 },
	{ ".discard.func_stack_frame_non_standard", 8, 0, -1, NULL, 0 },
	{ ".discard.addressable",	8, 0, -1, NULL, 0, true },
	{ ".export_symbol",		0, 0, -1, NULL, 0, true },
	{ }
};

/*
 * ppc64le (ELFv2): relative bug entries (asm/bug.h), two-s32 exception
 * entries (asm/extable.h), jump entries as on x86, __mcount_loc made by
 * objtool --mcount.  .toc is not owned by code but used by it: each
 * 8-byte entry is kept when included code loads it (see diff.c).
 */
static const struct special ppc64_specials[] = {
	{ "__bug_table",		12, 0, -1, NULL, 0 },
	{ "__ex_table",			8, 0, -1, NULL, 0 },
	{ "__jump_table",		16, 0, 8, NULL, 0 },
	{ "__mcount_loc",		8, 0, -1, NULL, 0 },
	{ "__patchable_function_entries", 8, 0, -1, NULL, 0 },
	{ ".toc",			8, 0, -1, NULL, 0, false, false, true },
	{ ".discard.addressable",	8, 0, -1, NULL, 0, true },
	{ ".export_symbol",		0, 0, -1, NULL, 0, true },
	{ }
};

const struct special *special_lookup(struct elf *e, const char *secname)
{
	const struct special *t;

	if (e->eh.e_machine == EM_X86_64)
		t = x86_64_specials;
	else if (e->eh.e_machine == EM_PPC64)
		t = ppc64_specials;
	else
		return NULL;
	for (; t->name; t++)
		if (!strcmp(t->name, secname))
			return t;
	return NULL;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Sections that merely hold a function's address are no side tables. */
static bool ordinary_sec(const char *name)
{
	static const char * const ok[] = {
		".text", ".data", ".rodata", ".bss", ".init.", ".exit.",
		".ref.", ".meminit", ".sched.text", ".noinstr.text",
		".spinlock.text", ".cpuidle.text", ".entry.text", ".head.text",
		"___ksymtab", ".discard.", ".rela", ".symtab", ".strtab",
		".shstrtab", ".comment", ".note", ".modinfo",
		/*
		 * CONFIG_DEBUG_INFO: DWARF describes the code it sits beside
		 * and never goes into the patch module (which has no debug
		 * information of its own); nothing in the kernel reads it.
		 */
		".debug_", ".zdebug_", NULL
	};
	int i;

	for (i = 0; ok[i]; i++)
		if (has_prefix(name, ok[i]))
			return true;
	return false;
}

static struct sec *target_sec(struct rela *r)
{
	return r->sym->sec;
}

static void keep_alt_replacement(struct pair *pr, struct sec *alt,
				 size_t entry)
{
	struct elf *e = pr->patched;
	struct sec *repl = elf_find_sec(e, ".altinstr_replacement");
	size_t i;

	if (!repl)
		return;
	for (i = 0; i < alt->rela->nr_relas; i++) {
		struct rela *r = &alt->rela->relas[i];
		unsigned char len;
		long at, k;

		if (r->offset != entry * 14 + 4 || target_sec(r) != repl)
			continue;
		at = r->addend;
		len = alt->data[entry * 14 + 13];
		if (!repl->keep)
			repl->keep = xcalloc(repl->size, 1);
		for (k = at; k < at + len && (size_t)k < repl->size; k++)
			repl->keep[k] = 1;
		repl->include = true;
		repl->special = true;
	}
}

static void check_key(struct pair *pr, struct sec *s, size_t entry,
		      const struct special *t)
{
	struct elf *e = pr->patched;
	size_t i;

	for (i = 0; i < s->rela->nr_relas; i++) {
		struct rela *r = &s->rela->relas[i];
		const char *owner;
		struct sym *y;
		long off;

		if (r->offset != entry * t->entsize + t->check_key)
			continue;
		y = reloc_target(e, r, &off);
		if (y->sec && y->sec->include)
			return;		/* the key is the patch module's own */
		owner = y->bind != STB_LOCAL ? symvers_owner(y->name) : NULL;
		if (owner && !strcmp(owner, "vmlinux"))
			return;
		refuse(pr, "%s entry uses key '%s', which is neither exported by vmlinux nor part of the patch: the module loader would need it before livepatch can resolve it",
		       s->name, y->name);
		return;
	}
}

/*
 * With CONFIG_X86_KERNEL_IBT (or clang LTO) objtool does not run on the
 * parts of a multi-object module but on the linked module, and refuses
 * (skips the whole module) when a part already has ORC data.  The objects
 * of single-object modules were processed when compiled; so then drop
 * what objtool made and let the link-time run make it for everything.
 */
bool objtool_at_link;

static bool objtool_output(const char *name)
{
	static const char * const made[] = {
		".orc_unwind", ".orc_unwind_ip", ".orc_header",
		".return_sites", ".retpoline_sites", ".call_sites",
		".ibt_endbr_seal", ".static_call_sites", NULL
	};
	int i;

	for (i = 0; made[i]; i++)
		if (!strcmp(name, made[i]))
			return true;
	return false;
}

int special_prune(struct pair *pr)
{
	struct elf *e = pr->patched;
	size_t i, j;
	int added = 0;

	for (i = 1; i < e->nr_secs; i++) {
		struct sec *s = &e->secs[i];
		const struct special *t = special_lookup(e, s->name);
		size_t n, kept = 0;

		if (s->sh.sh_type == SHT_RELA || s->sh.sh_type == SHT_SYMTAB)
			continue;
		if (objtool_at_link && objtool_output(s->name)) {
			vprint("  %s: %s: dropped, objtool remakes it at link\n",
			       pr->objname, s->name);
			continue;
		}
		if (!t) {
			if (!s->rela || ordinary_sec(s->name))
				continue;
			for (j = 0; j < s->rela->nr_relas; j++) {
				struct sec *ts = target_sec(&s->rela->relas[j]);

				if (ts && ts->include && is_text_sec(ts)) {
					refuse(pr, "section %s refers to included code in %s, and klp-build does not know its layout",
					       s->name, ts->name);
					break;
				}
			}
			continue;
		}
		if (t->bytes || t->by_ref || !t->entsize || !s->rela)
			continue;	/* filled in by their owners or users */
		if (t->drop) {
			s->include = false;
			continue;
		}
		if (s->size % t->entsize) {
			refuse(pr, "section %s is not an array of %u-byte entries",
			       s->name, t->entsize);
			continue;
		}
		n = s->size / t->entsize;
		s->keep = xcalloc(n ? n : 1, 1);
		for (j = 0; j < s->rela->nr_relas; j++) {
			struct rela *r = &s->rela->relas[j];
			struct sec *ts = target_sec(r);

			if (r->offset % t->entsize != t->key)
				continue;
			if (ts && ts->include && is_text_sec(ts) &&
			    !ts->special) {
				s->keep[r->offset / t->entsize] = 1;
			}
		}
		for (j = 0; j < n; j++) {
			if (!s->keep[j])
				continue;
			kept++;
			if (t->check_key >= 0)
				check_key(pr, s, j, t);
			if (!strcmp(s->name, ".altinstructions"))
				keep_alt_replacement(pr, s, j);
		}
		if (!kept)
			continue;
		s->include = true;
		s->special = true;
		added = 1;
		if (t->paired) {
			struct sec *f = elf_find_sec(e, t->paired);

			if (!f || f->size / t->paired_size != n) {
				refuse(pr, "%s and %s do not match", s->name,
				       t->paired);
				continue;
			}
			f->keep = s->keep;
			f->include = true;
			f->special = true;
		}
		vprint("  %s: %s: %zu of %zu entries kept\n", pr->objname,
		       s->name, kept, n);
	}
	return added;
}
