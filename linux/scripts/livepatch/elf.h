/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klp-diff: in-memory model of a relocatable ELF object.
 *
 * Everything the differ needs is read once into plain arrays: sections
 * with their data and relocations, symbols with their section.  The diff
 * logic then works on these structures only and never on libelf handles,
 * so that the rules stay readable.
 */
#ifndef _KLP_ELF_H
#define _KLP_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>

#ifndef SHF_RELA_LIVEPATCH
#define SHF_RELA_LIVEPATCH	0x00100000
#endif
#ifndef R_PPC64_REL24_NOTOC
#define R_PPC64_REL24_NOTOC	116
#endif
#ifndef SHN_LIVEPATCH
#define SHN_LIVEPATCH		0xff20
#endif

struct sym;
struct sec;

struct rela {
	struct sec *in;			/* the section it patches */
	unsigned long offset;
	unsigned int type;
	long addend;
	struct sym *sym;
};

struct sec {
	unsigned int idx;
	const char *name;
	GElf_Shdr sh;
	Elf_Data *d;
	unsigned char *data;		/* NULL for SHT_NOBITS */
	size_t size;
	struct sec *rela;		/* its SHT_RELA section, if any */
	struct sec *base;		/* for a SHT_RELA: the section it fixes */
	struct rela *relas;		/* for a SHT_RELA: decoded entries */
	size_t nr_relas;
	struct sym *secsym;		/* its STT_SECTION symbol, if any */
	unsigned int nr_syms;		/* FUNC/OBJECT symbols defined here */

	/* differ state */
	bool include;			/* copied to the output object */
	bool special;			/* handled entry by entry */
	unsigned char *keep;		/* special: entries kept, by index */
	unsigned int out_idx;
};

struct sym {
	unsigned int idx;
	const char *name;
	GElf_Sym s;
	unsigned char type, bind;
	struct sec *sec;		/* NULL when undefined or absolute */
	struct sym *twin;		/* correlated symbol in the other object */
	struct sym *parent;		/* foo for foo.cold */

	/* differ state */
	bool changed, is_new, include, forced;
	bool extract;			/* new, copied out of a shared section */
	unsigned int xsec;		/* its own output section */
	const char *why;		/* reason it is included, for -v */
	unsigned int out_idx;
	int alias;			/* >= 0: __klp_new_<alias> */
};

struct elf {
	const char *path;
	int fd;
	Elf *elf;
	GElf_Ehdr eh;
	struct sec *secs;
	size_t nr_secs;
	struct sym *syms;
	size_t nr_syms;
	struct sec *symtab;
	const char *file;		/* first STT_FILE symbol name */
};

struct elf *elf_load(const char *path);
void elf_free(struct elf *e);
struct sec *elf_find_sec(struct elf *e, const char *name);
struct sym *elf_find_sym(struct elf *e, const char *name);
long pcrel_bias(struct elf *e, struct rela *r);
bool is_text_sec(struct sec *s);
bool is_string_sec(struct sec *s);
struct sym *sym_at(struct elf *e, struct sec *s, unsigned long off);
struct sym *sec_owner(struct elf *e, struct sec *s);
const char *strip_suffix_numbers(const char *name, char *buf, size_t len);

/* Output object builder. */
struct out_sec {
	char *name;
	GElf_Shdr sh;
	unsigned char *data;
	size_t size;
	int rela_of;			/* >= 0: out index of the fixed section */
	GElf_Rela *relas;
	size_t nr_relas;
};

struct out_sym {
	char *name;
	GElf_Sym s;
};

struct out {
	struct out_sec *secs;		/* [0] is the null section */
	size_t nr_secs;
	struct out_sym *syms;		/* [0] is the null symbol */
	size_t nr_syms;
	GElf_Ehdr eh;
};

void out_init(struct out *o, struct elf *like);
unsigned int out_add_sec(struct out *o, const char *name, GElf_Shdr *sh,
			 const void *data, size_t size);
unsigned int out_add_sym(struct out *o, const char *name, GElf_Sym *s);
void out_add_rela(struct out *o, unsigned int sec, GElf_Rela *r);
int out_write(struct out *o, const char *path);

void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
					      noreturn));

extern int verbose;
#define vprint(...) do { if (verbose) printf(__VA_ARGS__); } while (0)

#endif /* _KLP_ELF_H */
