// SPDX-License-Identifier: GPL-2.0
/*
 * klp-diff finalize: turn the linked patch module's placeholder symbols
 * into livepatch symbols and their relocations into klp relocations.
 *
 * This is the form kernel/module/main.c and kernel/livepatch expect:
 *   - the symbol is ".klp.sym.<object>.<name>,<sympos>" with
 *     st_shndx == SHN_LIVEPATCH, so that simplify_symbols() leaves it to
 *     livepatch;
 *   - its relocations sit in ".klp.rela.<object>.<section>", a SHT_RELA
 *     section flagged SHF_RELA_LIVEPATCH, so that apply_relocations()
 *     hands it to klp_apply_section_relocs(); SHF_ALLOC so that the loader
 *     keeps it for objects (modules) patched after the patch loads;
 *     sh_link is the symbol table and sh_info the section patched.
 * Relocations against a module are applied only while that module is
 * loaded, which is why each object gets sections of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "klp-diff.h"

struct klpsec {
	char *obj;
	unsigned int target;
	GElf_Rela *r;
	size_t n;
};

static void copy_file(const char *in, const char *out)
{
	FILE *a = fopen(in, "rb"), *b = fopen(out, "wb");
	char buf[65536];
	size_t n;

	if (!a || !b)
		die("cannot copy %s to %s: %s", in, out, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), a)) > 0)
		if (fwrite(buf, 1, n, b) != n)
			die("%s: write error", out);
	fclose(a);
	if (fclose(b))
		die("%s: write error", out);
}

/* Appends @s to the string table data @d; returns its offset. */
static size_t str_append(Elf_Data *d, const char *s)
{
	size_t off = d->d_size, n = strlen(s) + 1;
	char *buf = xcalloc(1, d->d_size + n);

	memcpy(buf, d->d_buf, d->d_size);
	memcpy(buf + off, s, n);
	d->d_buf = buf;		/* libelf's old buffer is not ours to free */
	d->d_size += n;
	return off;
}

static Elf_Scn *find_scn(Elf *elf, size_t shstrndx, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		const char *n;

		gelf_getshdr(scn, &sh);
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name))
			return scn;
	}
	return NULL;
}

/* MODVERSIONS records a CRC for undefined symbols it knows; drop ours. */
static void strip_versions(Elf *elf, size_t shstrndx)
{
	Elf_Scn *scn = find_scn(elf, shstrndx, "__versions");
	Elf_Data *d;
	size_t i, k = 0, sz = 64;	/* struct modversion_info */
	char *buf;

	if (!scn)
		return;
	d = elf_getdata(scn, NULL);
	if (!d)
		return;
	buf = xcalloc(1, d->d_size);
	for (i = 0; i + sz <= d->d_size; i += sz) {
		const char *name = (const char *)d->d_buf + i + 8;

		if (!strncmp(name, KLP_PH_PREFIX, strlen(KLP_PH_PREFIX)))
			continue;
		memcpy(buf + k, (char *)d->d_buf + i, sz);
		k += sz;
	}
	d->d_buf = buf;
	d->d_size = k;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
}

int klp_finalize(const char *in, const char *out)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	Elf_Data *symd, *strd, *shstrd;
	struct klpsec *ks = NULL;
	size_t nks = 0, shstrndx, nsyms, i, j, converted = 0;
	char **objof;
	GElf_Shdr sh;
	Elf *elf;
	int fd;

	copy_file(in, out);
	elf_version(EV_CURRENT);
	fd = open(out, O_RDWR);
	if (fd < 0)
		die("%s: %s", out, strerror(errno));
	elf = elf_begin(fd, ELF_C_RDWR, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		die("%s: %s", out, elf_errmsg(-1));
	while ((scn = elf_nextscn(elf, scn))) {
		gelf_getshdr(scn, &sh);
		if (sh.sh_type == SHT_SYMTAB)
			symscn = scn;
	}
	if (!symscn)
		die("%s: no symbol table", out);
	gelf_getshdr(symscn, &sh);
	symd = elf_getdata(symscn, NULL);
	strd = elf_getdata(elf_getscn(elf, sh.sh_link), NULL);
	nsyms = symd->d_size / sizeof(Elf64_Sym);
	objof = xcalloc(nsyms, sizeof(*objof));

	/* Rename the placeholders, remembering each one's object. */
	for (i = 1; i < nsyms; i++) {
		GElf_Sym s;
		const char *name;
		char *obj, *pos, *sym, *newname;

		gelf_getsym(symd, i, &s);
		name = (const char *)strd->d_buf + s.st_name;
		if (strncmp(name, KLP_PH_PREFIX, strlen(KLP_PH_PREFIX)))
			continue;
		if (s.st_shndx != SHN_UNDEF)
			die("%s: placeholder %s is defined", out, name);
		obj = xstrdup(name + strlen(KLP_PH_PREFIX));
		pos = strchr(obj, '$');
		sym = pos ? strchr(pos + 1, '$') : NULL;
		if (!sym)
			die("%s: malformed placeholder %s", out, name);
		*pos++ = '\0';
		*sym++ = '\0';
		newname = xasprintf(".klp.sym.%s.%s,%s", obj, sym, pos);
		vprint("  %s -> %s\n", name, newname);
		s.st_name = str_append(strd, newname);
		s.st_shndx = SHN_LIVEPATCH;
		gelf_update_sym(symd, i, &s);
		objof[i] = obj;
		converted++;
		free(newname);
	}
	elf_flagdata(symd, ELF_C_SET, ELF_F_DIRTY);
	elf_flagdata(strd, ELF_C_SET, ELF_F_DIRTY);

	/* Move their relocations out of the ordinary sections. */
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d;
		size_t n, k = 0;
		GElf_Rela *keep;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_RELA || (sh.sh_flags & SHF_RELA_LIVEPATCH))
			continue;
		d = elf_getdata(scn, NULL);
		n = d->d_size / sizeof(Elf64_Rela);
		keep = xcalloc(n ? n : 1, sizeof(*keep));
		for (j = 0; j < n; j++) {
			GElf_Rela r;
			const char *obj;
			struct klpsec *t = NULL;
			size_t m;

			gelf_getrela(d, j, &r);
			obj = objof[GELF_R_SYM(r.r_info)];
			if (!obj) {
				keep[k++] = r;
				continue;
			}
			for (m = 0; m < nks; m++)
				if (ks[m].target == sh.sh_info &&
				    !strcmp(ks[m].obj, obj))
					t = &ks[m];
			if (!t) {
				ks = xrealloc(ks, (nks + 1) * sizeof(*ks));
				t = &ks[nks++];
				memset(t, 0, sizeof(*t));
				t->obj = xstrdup(obj);
				t->target = sh.sh_info;
			}
			t->r = xrealloc(t->r, (t->n + 1) * sizeof(*t->r));
			t->r[t->n++] = r;
		}
		if (k == n) {
			free(keep);
			continue;
		}
		{
			Elf64_Rela *buf = xcalloc(k ? k : 1, sizeof(*buf));

			for (j = 0; j < k; j++) {
				buf[j].r_offset = keep[j].r_offset;
				buf[j].r_info = keep[j].r_info;
				buf[j].r_addend = keep[j].r_addend;
			}
			d->d_buf = buf;
			d->d_size = k * sizeof(Elf64_Rela);
			elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
		}
		free(keep);
	}

	/* before adding sections: their names are not readable until written */
	strip_versions(elf, shstrndx);
	shstrd = elf_getdata(elf_getscn(elf, shstrndx), NULL);
	for (i = 0; i < nks; i++) {
		Elf_Scn *tscn = elf_getscn(elf, ks[i].target), *ns;
		Elf64_Rela *buf = xcalloc(ks[i].n, sizeof(*buf));
		GElf_Shdr tsh, nsh = { 0 };
		Elf_Data *nd;
		char *name;

		gelf_getshdr(tscn, &tsh);
		name = xasprintf(".klp.rela.%s.%s", ks[i].obj,
				 elf_strptr(elf, shstrndx, tsh.sh_name));
		for (j = 0; j < ks[i].n; j++) {
			buf[j].r_offset = ks[i].r[j].r_offset;
			buf[j].r_info = ks[i].r[j].r_info;
			buf[j].r_addend = ks[i].r[j].r_addend;
		}
		ns = elf_newscn(elf);
		nd = elf_newdata(ns);
		nd->d_buf = buf;
		nd->d_size = ks[i].n * sizeof(*buf);
		nd->d_type = ELF_T_RELA;
		nd->d_align = 8;
		nd->d_version = EV_CURRENT;
		nsh.sh_name = str_append(shstrd, name);
		nsh.sh_type = SHT_RELA;
		nsh.sh_flags = SHF_ALLOC | SHF_INFO_LINK | SHF_RELA_LIVEPATCH;
		nsh.sh_link = elf_ndxscn(symscn);
		nsh.sh_info = ks[i].target;
		nsh.sh_addralign = 8;
		nsh.sh_entsize = sizeof(Elf64_Rela);
		nsh.sh_size = nd->d_size;
		gelf_update_shdr(ns, &nsh);
		vprint("  %s: %zu relocations\n", name, ks[i].n);
		free(name);
	}
	elf_flagdata(shstrd, ELF_C_SET, ELF_F_DIRTY);
	elf_flagelf(elf, ELF_C_SET, ELF_F_DIRTY);
	if (elf_update(elf, ELF_C_WRITE) < 0)
		die("%s: elf_update: %s", out, elf_errmsg(-1));
	elf_end(elf);
	close(fd);
	printf("klp-diff: %s: %zu klp symbols, %zu klp relocation sections\n",
	       out, converted, nks);
	return 0;
}
