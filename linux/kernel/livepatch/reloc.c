// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klp relocations: how a patch module reaches symbols it cannot link to.
 *
 * A new function often calls static functions or uses static data of the
 * object it patches.  Those are not exported, so the patch module carries
 * them as special relocations instead, resolved here through kallsyms:
 *
 *  - sections named ".klp.rela.<object>.<section>", flagged
 *    SHF_RELA_LIVEPATCH, hold the relocations against one object;
 *  - their symbols, in section SHN_LIVEPATCH, are named
 *    ".klp.sym.<object>.<symbol>,<sympos>".
 *
 * Relocations against vmlinux are applied while the patch module loads.
 * Those against a module are applied when that module is (or comes) in
 * memory, and cleared again when it goes, so that a reload can apply them
 * afresh.  The module loader keeps the ELF information we need for the
 * later rounds in pmod->klp_info.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/elf.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/moduleloader.h>
#include <linux/string.h>
#include "core.h"

#define KLP_RELA_PREFIX	".klp.rela."
#define KLP_SYM_PREFIX	".klp.sym."

/* Copies the object name out of ".klp.rela.<object>.<section>". */
static int klp_rela_section_object(const char *secname, char *objname)
{
	const char *start, *end;

	if (!str_has_prefix(secname, KLP_RELA_PREFIX))
		return -EINVAL;
	start = secname + strlen(KLP_RELA_PREFIX);
	end = strchr(start, '.');
	if (!end || end == start || end - start >= MODULE_NAME_LEN || !end[1])
		return -EINVAL;

	memcpy(objname, start, end - start);
	objname[end - start] = '\0';
	return 0;
}

/*
 * Splits ".klp.sym.<object>.<symbol>,<sympos>".  The symbol itself may hold
 * dots (foo.constprop.0) and so is everything up to the last comma.
 */
static int klp_parse_symbol(const char *symname, char *objname, char *name,
			    unsigned long *sympos)
{
	const char *start, *dot, *comma;

	if (!str_has_prefix(symname, KLP_SYM_PREFIX))
		return -EINVAL;
	start = symname + strlen(KLP_SYM_PREFIX);
	dot = strchr(start, '.');
	comma = strrchr(start, ',');
	if (!dot || dot == start || dot - start >= MODULE_NAME_LEN ||
	    !comma || comma <= dot + 1 || comma - dot - 1 >= KSYM_NAME_LEN)
		return -EINVAL;

	memcpy(objname, start, dot - start);
	objname[dot - start] = '\0';
	memcpy(name, dot + 1, comma - dot - 1);
	name[comma - dot - 1] = '\0';
	return kstrtoul(comma + 1, 10, sympos);
}

static int klp_resolve_symbols(Elf_Shdr *sechdrs, const char *strtab,
			       unsigned int symndx, Elf_Shdr *relasec,
			       const char *sec_objname)
{
	char objname[MODULE_NAME_LEN], name[KSYM_NAME_LEN];
	Elf_Sym *symtab = (Elf_Sym *)sechdrs[symndx].sh_addr;
	Elf_Rela *rela = (Elf_Rela *)relasec->sh_addr;
	unsigned int i, nr = relasec->sh_size / sizeof(Elf_Rela);
	bool sec_vmlinux = !strcmp(sec_objname, "vmlinux");
	unsigned long sympos, addr;
	int ret;

	for (i = 0; i < nr; i++) {
		Elf_Sym *sym = symtab + ELF_R_SYM(rela[i].r_info);
		const char *symname = strtab + sym->st_name;

		if (sym->st_shndx != SHN_LIVEPATCH) {
			pr_err("symbol '%s' is not marked as a livepatch symbol\n",
			       symname);
			return -EINVAL;
		}
		if (klp_parse_symbol(symname, objname, name, &sympos)) {
			pr_err("symbol '%s' is not of the form .klp.sym.<object>.<name>,<sympos>\n",
			       symname);
			return -EINVAL;
		}
		/*
		 * vmlinux symbols belong in .klp.rela.vmlinux.* sections,
		 * applied once at load; a module section that names them
		 * would be rewritten on every reload of its module.
		 */
		if (!sec_vmlinux && !strcmp(objname, "vmlinux")) {
			pr_err("vmlinux symbol '%s' used from a relocation section of module '%s'\n",
			       name, sec_objname);
			return -EINVAL;
		}
		ret = klp_find_object_symbol(objname, name, sympos, &addr);
		if (ret)
			return ret;
		sym->st_value = addr;
	}
	return 0;
}

/**
 * klp_apply_section_relocs() - apply one klp relocation section
 * @pmod:	the patch module
 * @sechdrs:	its section headers
 * @shstrtab:	its section name string table
 * @strtab:	its symbol string table
 * @symindex:	index of its symbol table section
 * @secindex:	index of the relocation section
 * @objname:	the object now present, or NULL while @pmod loads (vmlinux)
 *
 * Sections of other objects are left alone: they are applied when their
 * object is in memory.
 *
 * Return: 0, or an error that fails the load or the object's patching.
 */
int klp_apply_section_relocs(struct module *pmod, Elf_Shdr *sechdrs,
			     const char *shstrtab, const char *strtab,
			     unsigned int symindex, unsigned int secindex,
			     const char *objname)
{
	Elf_Shdr *sec = sechdrs + secindex;
	const char *secname = shstrtab + sec->sh_name;
	char sec_objname[MODULE_NAME_LEN];
	int ret;

	if (klp_rela_section_object(secname, sec_objname)) {
		pr_err("section '%s' is not of the form .klp.rela.<object>.<section>\n",
		       secname);
		return -EINVAL;
	}
	if (strcmp(objname ? objname : "vmlinux", sec_objname))
		return 0;

	ret = klp_resolve_symbols(sechdrs, strtab, symindex, sec, sec_objname);
	if (ret)
		return ret;
	return apply_relocate_add(sechdrs, strtab, symindex, secindex, pmod);
}

/*
 * Architectures whose apply_relocate_add() does not insist on a zeroed
 * target have nothing to clear before a module's relocations are applied
 * again.
 */
void __weak clear_relocate_add(Elf_Shdr *sechdrs, const char *strtab,
			       unsigned int symindex, unsigned int relsec,
			       struct module *me)
{
}

static int klp_walk_object_relas(struct klp_patch *patch,
				 struct klp_object *obj, bool apply)
{
	struct module *pmod = patch->mod;
	struct klp_modinfo *info = pmod->klp_info;
	char sec_objname[MODULE_NAME_LEN];
	unsigned int i;
	int ret;

	if (WARN_ON(!klp_is_module(obj)) || !info)
		return 0;

	for (i = 1; i < info->hdr.e_shnum; i++) {
		Elf_Shdr *sec = info->sechdrs + i;

		if (!(sec->sh_flags & SHF_RELA_LIVEPATCH))
			continue;
		if (!apply) {
			if (!klp_rela_section_object(info->secstrings + sec->sh_name,
						     sec_objname) &&
			    !strcmp(sec_objname, obj->name))
				clear_relocate_add(info->sechdrs,
						   pmod->core_kallsyms.strtab,
						   info->symndx, i, pmod);
			continue;
		}
		ret = klp_apply_section_relocs(pmod, info->sechdrs,
					       info->secstrings,
					       pmod->core_kallsyms.strtab,
					       info->symndx, i, obj->name);
		if (ret)
			return ret;
	}
	return 0;
}

/* Applies the relocations of @patch against module object @obj. */
int klp_apply_object_relocs(struct klp_patch *patch, struct klp_object *obj)
{
	return klp_walk_object_relas(patch, obj, true);
}

/* Undoes them when the module leaves, so a reload can apply them again. */
void klp_clear_object_relocs(struct klp_patch *patch, struct klp_object *obj)
{
	klp_walk_object_relas(patch, obj, false);
}
