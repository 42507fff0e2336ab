/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klp-diff: interfaces between the differ's parts.
 */
#ifndef _KLP_DIFF_H
#define _KLP_DIFF_H

#include <stdio.h>

#include "elf.h"

/* One original/patched object pair and what became of it. */
struct pair {
	const char *objname;		/* "vmlinux" or a module name */
	const char *src;		/* source file, for messages */
	const char *orig_path, *patched_path, *out_path;
	struct elf *orig, *patched;
	struct target *target;		/* where sympos is computed */
	unsigned int nr_funcs;		/* klp_funcs it produced */
};

/* correlate.c */
void correlate(struct elf *orig, struct elf *patched);
struct sym *reloc_target(struct elf *e, struct rela *r, long *off);

/* diff.c */
int diff_pair(struct pair *p);
void close_over(struct pair *p);
void canon_rela(struct elf *e, struct rela *r, bool patched, char *buf,
		size_t len);
extern int nr_errors;
void refuse(struct pair *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* special.c */
struct special {
	const char *name;
	unsigned int entsize;		/* 0: variable, refuse if it matters */
	unsigned int key;		/* offset of the "owner" relocation */
	int check_key;			/* offset of a key to check, or -1 */
	const char *paired;		/* section whose entries follow ours */
	unsigned int paired_size;
	bool drop;			/* never copied */
	bool bytes;			/* kept as a whole, relocations by byte */
	bool by_ref;			/* entries kept when code uses them */
};

const struct special *special_lookup(struct elf *e, const char *secname);
int special_prune(struct pair *p);
extern bool objtool_at_link;

/* symbols.c */
struct target;
struct target *target_get(const char *objname, const char *path);
long target_sympos(struct pair *p, const char *name, bool local);
bool target_defines(struct target *t, const char *name);
void symvers_load(const char *path);
const char *symvers_owner(const char *name);
void global_defs_add(const char *name);
bool global_defs_has(const char *name);

/* output.c */
int output_pair(struct pair *p, FILE *manifest, int *alias_counter);
extern bool verbose_refs;

/* klp.c */
int klp_finalize(const char *in, const char *out);

#define KLP_PH_PREFIX	"__klp_ph$"

#endif /* _KLP_DIFF_H */
