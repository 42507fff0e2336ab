// SPDX-License-Identifier: GPL-2.0
/*
 * klp-diff: reading relocatable objects into struct elf, and writing the
 * output objects from struct out.
 *
 * Objects are read whole into memory; kernel objects are small.  The
 * output is written with libelf's own layout so that we never compute
 * file offsets by hand.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"

int verbose;

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "klp-diff: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	return p;
}

static void read_relas(struct elf *e, struct sec *s)
{
	size_t i, n = s->sh.sh_entsize ? s->size / s->sh.sh_entsize : 0;

	s->relas = xcalloc(n, sizeof(*s->relas));
	s->nr_relas = n;
	for (i = 0; i < n; i++) {
		GElf_Rela r;

		if (!gelf_getrela(s->d, i, &r))
			die("%s: bad relocation in %s", e->path, s->name);
		s->relas[i].in = s->base;
		s->relas[i].offset = r.r_offset;
		s->relas[i].type = GELF_R_TYPE(r.r_info);
		s->relas[i].addend = r.r_addend;
		if (GELF_R_SYM(r.r_info) >= e->nr_syms)
			die("%s: bad symbol index in %s", e->path, s->name);
		s->relas[i].sym = &e->syms[GELF_R_SYM(r.r_info)];
	}
}

struct elf *elf_load(const char *path)
{
	struct elf *e = xcalloc(1, sizeof(*e));
	size_t shstrndx, i;
	Elf_Scn *scn = NULL;

	elf_version(EV_CURRENT);
	e->path = path;
	e->fd = open(path, O_RDONLY);
	if (e->fd < 0)
		die("%s: %s", path, strerror(errno));
	e->elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	if (!e->elf || !gelf_getehdr(e->elf, &e->eh))
		die("%s: not an ELF file: %s", path, elf_errmsg(-1));
	if (elf_getshdrnum(e->elf, &e->nr_secs) ||
	    elf_getshdrstrndx(e->elf, &shstrndx))
		die("%s: %s", path, elf_errmsg(-1));

	e->secs = xcalloc(e->nr_secs, sizeof(*e->secs));
	while ((scn = elf_nextscn(e->elf, scn))) {
		struct sec *s = &e->secs[elf_ndxscn(scn)];
		Elf_Data *d;

		s->idx = elf_ndxscn(scn);
		gelf_getshdr(scn, &s->sh);
		s->name = elf_strptr(e->elf, shstrndx, s->sh.sh_name);
		if (!s->name)
			die("%s: section %u has no name", path, s->idx);
		d = elf_getdata(scn, NULL);
		s->d = d;
		s->size = s->sh.sh_size;
		if (d && s->sh.sh_type != SHT_NOBITS)
			s->data = d->d_buf;
		if (s->sh.sh_type == SHT_SYMTAB)
			e->symtab = s;
	}
	e->secs[0].name = "";
	if (!e->symtab)
		die("%s: no symbol table", path);

	e->nr_syms = e->symtab->size / sizeof(Elf64_Sym);
	e->syms = xcalloc(e->nr_syms, sizeof(*e->syms));
	for (i = 0; i < e->nr_syms; i++) {
		struct sym *y = &e->syms[i];

		gelf_getsym(e->symtab->d, i, &y->s);
		y->idx = i;
		y->alias = -1;
		y->type = GELF_ST_TYPE(y->s.st_info);
		y->bind = GELF_ST_BIND(y->s.st_info);
		y->name = elf_strptr(e->elf, e->symtab->sh.sh_link,
				     y->s.st_name);
		if (!y->name)
			y->name = "";
		if (y->s.st_shndx && y->s.st_shndx < SHN_LORESERVE &&
		    y->s.st_shndx < e->nr_secs)
			y->sec = &e->secs[y->s.st_shndx];
		if (y->type == STT_SECTION && y->sec) {
			y->name = y->sec->name;
			y->sec->secsym = y;
		}
		/*
		 * objtool --prefix names the padding before a function
		 * (CONFIG_CALL_PADDING) __pfx_<function>, in the function's
		 * own section: part of the function, not another one.
		 */
		if ((y->type == STT_FUNC || y->type == STT_OBJECT) && y->sec &&
		    strncmp(y->name, "__pfx_", 6))
			y->sec->nr_syms++;
		if (y->type == STT_FILE && !e->file)
			e->file = y->name;
	}

	for (i = 1; i < e->nr_secs; i++) {
		struct sec *s = &e->secs[i];

		if (s->sh.sh_type == SHT_REL)
			die("%s: SHT_REL is not supported", path);
		if (s->sh.sh_type != SHT_RELA || s->sh.sh_info >= e->nr_secs)
			continue;
		s->base = &e->secs[s->sh.sh_info];
		s->base->rela = s;
		read_relas(e, s);
	}
	return e;
}

void elf_free(struct elf *e)
{
	size_t i;

	for (i = 0; i < e->nr_secs; i++)
		free(e->secs[i].relas);
	free(e->secs);
	free(e->syms);
	elf_end(e->elf);
	close(e->fd);
	free(e);
}

struct sec *elf_find_sec(struct elf *e, const char *name)
{
	size_t i;

	for (i = 1; i < e->nr_secs; i++)
		if (!strcmp(e->secs[i].name, name))
			return &e->secs[i];
	return NULL;
}

struct sym *elf_find_sym(struct elf *e, const char *name)
{
	size_t i;

	for (i = 1; i < e->nr_syms; i++)
		if (e->syms[i].sec && !strcmp(e->syms[i].name, name) &&
		    e->syms[i].type != STT_SECTION)
			return &e->syms[i];
	return NULL;
}

/*
 * x86: how far the end of the instruction is from a RIP-relative
 * displacement: 4, plus the size of an immediate that follows it.  Only
 * the opcodes with an immediate and a ModRM operand need looking at.
 */
static long x86_rip_bias(struct sec *s, unsigned long off)
{
	const unsigned char *p = s->data;
	unsigned char op, modrm, reg;

	if (!p || off < 2 || off + 4 > s->size)
		return 4;
	modrm = p[off - 1];
	if (modrm == 0xe8 || modrm == 0xe9)	/* call/jmp rel32 */
		return 4;
	if ((modrm & 0xc7) != 0x05)		/* not disp32(%rip) */
		return 4;
	op = p[off - 2];
	reg = (modrm >> 3) & 7;
	if (off >= 3 && p[off - 3] == 0x0f)
		return op == 0xba ? 5 : 4;	/* bt* Ev, Ib */
	switch (op) {
	case 0x80: case 0x83: case 0xc6: case 0x6b:
		return 5;			/* Ib */
	case 0x81: case 0xc7: case 0x69:
		return (off >= 3 && p[off - 3] == 0x66) ? 6 : 8;
	case 0xf6:
		return reg < 2 ? 5 : 4;		/* test Eb, Ib */
	case 0xf7:
		return reg < 2 ? 8 : 4;		/* test Ev, Iz */
	}
	return 4;
}

/*
 * The distance from a PC-relative relocation's addend to its target.  In
 * code the addend is relative to the end of the instruction, so the
 * target is addend + bias; in data (`.long sym - .`) it is the addend.
 * ppc64 addends are relative to the place itself.
 */
long pcrel_bias(struct elf *e, struct rela *r)
{
	if (e->eh.e_machine != EM_X86_64)
		return 0;
	if (r->type != R_X86_64_PC32 && r->type != R_X86_64_PLT32 &&
	    r->type != R_X86_64_GOTPCREL && r->type != R_X86_64_GOTPCRELX &&
	    r->type != R_X86_64_REX_GOTPCRELX)
		return 0;
	if (!r->in || !is_text_sec(r->in))
		return 0;
	return x86_rip_bias(r->in, r->offset);
}

bool is_text_sec(struct sec *s)
{
	return s && (s->sh.sh_flags & SHF_EXECINSTR);
}

bool is_string_sec(struct sec *s)
{
	return s && (s->sh.sh_flags & SHF_STRINGS) &&
	       (s->sh.sh_flags & SHF_MERGE);
}

/* The FUNC/OBJECT symbol of @s covering @off, if any. */
struct sym *sym_at(struct elf *e, struct sec *s, unsigned long off)
{
	size_t i;

	if (!s->nr_syms)
		return NULL;
	for (i = 1; i < e->nr_syms; i++) {
		struct sym *y = &e->syms[i];

		if (y->sec != s ||
		    (y->type != STT_FUNC && y->type != STT_OBJECT))
			continue;
		if (off >= y->s.st_value &&
		    (off < y->s.st_value + y->s.st_size ||
		     (!y->s.st_size && off == y->s.st_value)))
			return y;
	}
	return NULL;
}

/* The first FUNC/OBJECT symbol of @s: who a section belongs to. */
struct sym *sec_owner(struct elf *e, struct sec *s)
{
	size_t i;

	for (i = 1; s->nr_syms && i < e->nr_syms; i++)
		if (e->syms[i].sec == s && (e->syms[i].type == STT_FUNC ||
					    e->syms[i].type == STT_OBJECT))
			return &e->syms[i];
	return NULL;
}

/*
 * "foo.constprop.0" -> "foo.constprop", "__key.12" -> "__key",
 * "__UNIQUE_ID_ddebug42" -> "__UNIQUE_ID_ddebug": the part of a
 * compiler-made or counter-made name that survives unrelated edits.
 */
const char *strip_suffix_numbers(const char *name, char *buf, size_t len)
{
	size_t i, j = 0;

	for (i = 0; name[i] && j + 1 < len; i++) {
		if (name[i] == '.' && isdigit((unsigned char)name[i + 1])) {
			i++;
			while (isdigit((unsigned char)name[i + 1]))
				i++;
			continue;
		}
		buf[j++] = name[i];
	}
	buf[j] = '\0';
	if (!strncmp(buf, "__UNIQUE_ID_", 12))
		while (j > 12 && isdigit((unsigned char)buf[j - 1]))
			buf[--j] = '\0';
	return buf;
}

void out_init(struct out *o, struct elf *like)
{
	memset(o, 0, sizeof(*o));
	o->eh = like->eh;
	o->secs = xcalloc(1, sizeof(*o->secs));
	o->secs[0].name = xstrdup("");
	o->secs[0].rela_of = -1;
	o->nr_secs = 1;
	o->syms = xcalloc(1, sizeof(*o->syms));
	o->syms[0].name = xstrdup("");
	o->nr_syms = 1;
}

unsigned int out_add_sec(struct out *o, const char *name, GElf_Shdr *sh,
			 const void *data, size_t size)
{
	struct out_sec *s;

	o->secs = xrealloc(o->secs, (o->nr_secs + 1) * sizeof(*o->secs));
	s = &o->secs[o->nr_secs];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->sh = *sh;
	s->size = size;
	s->rela_of = -1;
	if (data) {
		s->data = xcalloc(1, size);
		memcpy(s->data, data, size);
	}
	return o->nr_secs++;
}

unsigned int out_add_sym(struct out *o, const char *name, GElf_Sym *s)
{
	o->syms = xrealloc(o->syms, (o->nr_syms + 1) * sizeof(*o->syms));
	o->syms[o->nr_syms].name = xstrdup(name);
	o->syms[o->nr_syms].s = *s;
	return o->nr_syms++;
}

void out_add_rela(struct out *o, unsigned int sec, GElf_Rela *r)
{
	struct out_sec *s = &o->secs[sec];

	s->relas = xrealloc(s->relas, (s->nr_relas + 1) * sizeof(*s->relas));
	s->relas[s->nr_relas++] = *r;
}

/* A growing string table. */
struct strtab {
	char *buf;
	size_t len;
};

static size_t strtab_add(struct strtab *t, const char *s)
{
	size_t off = t->len, n = strlen(s) + 1;

	t->buf = xrealloc(t->buf, t->len + n);
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	return off;
}

static Elf_Scn *new_scn(Elf *elf, GElf_Shdr *sh, void *buf, size_t size,
			Elf_Type type)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *d;

	if (!scn)
		die("elf_newscn: %s", elf_errmsg(-1));
	d = elf_newdata(scn);
	d->d_buf = buf;
	d->d_size = size;
	d->d_type = type;
	d->d_align = sh->sh_addralign ? sh->sh_addralign : 1;
	d->d_version = EV_CURRENT;
	if (!gelf_update_shdr(scn, sh))
		die("gelf_update_shdr: %s", elf_errmsg(-1));
	return scn;
}

int out_write(struct out *o, const char *path)
{
	struct strtab shstr = { 0 }, str = { 0 };
	unsigned int *symmap, nlocal = 0, i, j, nsecs, symtab_idx;
	unsigned int *relsec;
	GElf_Sym *syms;
	GElf_Ehdr eh;
	Elf *elf;
	int fd;

	strtab_add(&shstr, "");
	strtab_add(&str, "");

	/* Locals first, as ELF requires; remember where each one went. */
	symmap = xcalloc(o->nr_syms, sizeof(*symmap));
	syms = xcalloc(o->nr_syms, sizeof(*syms));
	for (j = 0, i = 0; i < o->nr_syms; i++)
		if (GELF_ST_BIND(o->syms[i].s.st_info) == STB_LOCAL)
			symmap[i] = j++;
	nlocal = j;
	for (i = 0; i < o->nr_syms; i++)
		if (GELF_ST_BIND(o->syms[i].s.st_info) != STB_LOCAL)
			symmap[i] = j++;
	for (i = 0; i < o->nr_syms; i++) {
		syms[symmap[i]] = o->syms[i].s;
		syms[symmap[i]].st_name = i ? strtab_add(&str, o->syms[i].name)
					    : 0;
	}

	/* Sections keep their index; relocation sections follow them. */
	nsecs = o->nr_secs;
	relsec = xcalloc(o->nr_secs, sizeof(*relsec));
	for (i = 1; i < o->nr_secs; i++)
		if (o->secs[i].nr_relas)
			relsec[i] = nsecs++;
	symtab_idx = nsecs;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!elf || !gelf_newehdr(elf, ELFCLASS64))
		die("%s: %s", path, elf_errmsg(-1));
	eh = o->eh;
	eh.e_shoff = 0;
	eh.e_phoff = 0;
	eh.e_phnum = 0;

	for (i = 1; i < o->nr_secs; i++) {
		struct out_sec *s = &o->secs[i];

		s->sh.sh_name = strtab_add(&shstr, s->name);
		s->sh.sh_size = s->size;
		s->sh.sh_offset = 0;
		if (s->sh.sh_type == SHT_NOBITS)
			new_scn(elf, &s->sh, NULL, s->size, ELF_T_BYTE);
		else
			new_scn(elf, &s->sh, s->data, s->size, ELF_T_BYTE);
	}
	for (i = 1; i < o->nr_secs; i++) {
		struct out_sec *s = &o->secs[i];
		GElf_Shdr sh = { 0 };
		Elf64_Rela *r;
		char *name;

		if (!s->nr_relas)
			continue;
		r = xcalloc(s->nr_relas, sizeof(*r));
		for (j = 0; j < s->nr_relas; j++) {
			unsigned int y = GELF_R_SYM(s->relas[j].r_info);

			r[j].r_offset = s->relas[j].r_offset;
			r[j].r_addend = s->relas[j].r_addend;
			r[j].r_info = GELF_R_INFO(symmap[y],
						  GELF_R_TYPE(s->relas[j].r_info));
		}
		name = xasprintf(".rela%s", s->name);
		sh.sh_name = strtab_add(&shstr, name);
		sh.sh_type = SHT_RELA;
		sh.sh_flags = SHF_INFO_LINK;
		sh.sh_link = symtab_idx;
		sh.sh_info = i;
		sh.sh_addralign = 8;
		sh.sh_entsize = sizeof(Elf64_Rela);
		sh.sh_size = s->nr_relas * sizeof(Elf64_Rela);
		new_scn(elf, &sh, r, sh.sh_size, ELF_T_RELA);
		free(name);
	}
	{
		GElf_Shdr sh = { 0 };
		Elf64_Sym *es = xcalloc(o->nr_syms, sizeof(*es));

		for (i = 0; i < o->nr_syms; i++) {
			es[i].st_name = syms[i].st_name;
			es[i].st_info = syms[i].st_info;
			es[i].st_other = syms[i].st_other;
			es[i].st_shndx = syms[i].st_shndx;
			es[i].st_value = syms[i].st_value;
			es[i].st_size = syms[i].st_size;
		}
		sh.sh_name = strtab_add(&shstr, ".symtab");
		sh.sh_type = SHT_SYMTAB;
		sh.sh_link = symtab_idx + 1;
		sh.sh_info = nlocal;
		sh.sh_addralign = 8;
		sh.sh_entsize = sizeof(Elf64_Sym);
		sh.sh_size = o->nr_syms * sizeof(Elf64_Sym);
		new_scn(elf, &sh, es, sh.sh_size, ELF_T_SYM);

		memset(&sh, 0, sizeof(sh));
		sh.sh_name = strtab_add(&shstr, ".strtab");
		sh.sh_type = SHT_STRTAB;
		sh.sh_addralign = 1;
		sh.sh_size = str.len;
		new_scn(elf, &sh, str.buf, str.len, ELF_T_BYTE);

		memset(&sh, 0, sizeof(sh));
		sh.sh_name = strtab_add(&shstr, ".shstrtab");
		sh.sh_type = SHT_STRTAB;
		sh.sh_addralign = 1;
		sh.sh_size = shstr.len;
		new_scn(elf, &sh, shstr.buf, shstr.len, ELF_T_BYTE);
		eh.e_shstrndx = symtab_idx + 2;
	}
	if (!gelf_update_ehdr(elf, &eh))
		die("%s: %s", path, elf_errmsg(-1));
	if (elf_update(elf, ELF_C_WRITE) < 0)
		die("%s: elf_update: %s", path, elf_errmsg(-1));
	elf_end(elf);
	close(fd);
	free(symmap);
	free(syms);
	free(relsec);
	return 0;
}
