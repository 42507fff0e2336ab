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
#include "reloc.h"

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
	unsigned long sympos, addr;
	int ret;

	for (i = 0; i < nr; i++) {
		Elf_Sym *sym = symtab + ELF_R_SYM(rela[i].r_info);
		const char *symname = strtab + sym->st_name;

		if (sym->st_shndx != SHN_LIVEPATCH) {
			pr_err("symbol %s is not marked as a livepatch symbol\n",
			       symname);
			return -EINVAL;
		}
		if (klp_parse_symbol(symname, objname, name, &sympos)) {
			pr_err("symbol %s has an incorrectly formatted name\n",
			       symname);
			pr_err("'%s' is not of the form .klp.sym.<object>.<name>,<sympos>\n",
			       symname);
			return -EINVAL;
		}
		/*
		 * A section is applied when its object is in memory.  A symbol
		 * of another module is looked up then, as upstream does: that
		 * module must be loaded by then, and should stay while the
		 * patch uses it (module-elf-format.rst).  A module's section
		 * must not reach vmlinux symbols, which it could reach through
		 * exports or a vmlinux section instead; upstream refuses that,
		 * so do we.
		 */
		if (strcmp(objname, sec_objname) && !strcmp(objname, "vmlinux")) {
			pr_err("invalid access to vmlinux symbol '%s' from module-specific livepatch relocation section\n",
			       name);
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
		pr_err("section %s has an incorrectly formatted name\n", secname);
		pr_err("'%s' is not of the form .klp.rela.<object>.<section>\n",
		       secname);
		return -EINVAL;
	}
	/*
	 * Sections for modules are applied later from the ELF copy the loader
	 * keeps (pmod->klp_info), whose section headers point at the load
	 * image: only allocated sections are still there by then.
	 */
	if (!objname && strcmp(sec_objname, "vmlinux") &&
	    !(sec->sh_flags & SHF_ALLOC)) {
		pr_err("section '%s' must be allocated (SHF_ALLOC) to be applied when '%s' loads\n",
		       secname, sec_objname);
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

/*
 * The index of the next klp relocation section after @i whose object is
 * @objname and whose target the loader allocated, or 0 when none is left.
 * Sections with an unloaded target were never applied by the loader
 * either; their target lived in the load image, which is gone.
 */
static unsigned int klp_next_object_rela(struct klp_modinfo *info,
					 const char *objname, unsigned int i)
{
	char sec_objname[MODULE_NAME_LEN];

	for (i++; i < info->hdr.e_shnum; i++) {
		Elf_Shdr *sec = info->sechdrs + i;

		if (!(sec->sh_flags & SHF_RELA_LIVEPATCH) ||
		    sec->sh_info >= info->hdr.e_shnum ||
		    !(info->sechdrs[sec->sh_info].sh_flags & SHF_ALLOC))
			continue;
		if (klp_rela_section_object(info->secstrings + sec->sh_name,
					    sec_objname))
			continue;
		if (!strcmp(sec_objname, objname))
			return i;
	}
	return 0;
}

#define klp_for_each_object_rela(info, objname, i)			\
	for (i = klp_next_object_rela(info, objname, 0); i;		\
	     i = klp_next_object_rela(info, objname, i))

static void klp_clear_relocs_before(struct klp_patch *patch,
				    struct klp_object *obj, unsigned int end)
{
	struct module *pmod = patch->mod;
	struct klp_modinfo *info = pmod->klp_info;
	unsigned int i;

	klp_for_each_object_rela(info, obj->name, i) {
		if (end && i >= end)
			break;
		clear_relocate_add(info->sechdrs, pmod->core_kallsyms.strtab,
				   info->symndx, i, pmod);
	}
}

/**
 * klp_apply_object_relocs() - apply a patch's relocations against a module
 * @patch:	the patch
 * @obj:	its object for a module that is now in memory
 *
 * All or nothing: if one section fails, those applied before it are
 * cleared again.
 *
 * Return: 0, or the error of the section that failed.
 */
int klp_apply_object_relocs(struct klp_patch *patch, struct klp_object *obj)
{
	struct module *pmod = patch->mod;
	struct klp_modinfo *info = pmod->klp_info;
	unsigned int i;
	int ret;

	if (WARN_ON(!klp_is_module(obj)) || !info)
		return 0;

	klp_for_each_object_rela(info, obj->name, i) {
		ret = klp_apply_section_relocs(pmod, info->sechdrs,
					       info->secstrings,
					       pmod->core_kallsyms.strtab,
					       info->symndx, i, obj->name);
		if (ret) {
			klp_clear_relocs_before(patch, obj, i);
			return ret;
		}
	}
	return 0;
}

/**
 * klp_clear_object_relocs() - undo klp_apply_object_relocs()
 * @patch:	the patch
 * @obj:	the object, whose module is leaving
 *
 * Some architectures check that a relocation target is still zero before
 * writing it; clearing lets the module's next arrival apply them again.
 */
void klp_clear_object_relocs(struct klp_patch *patch, struct klp_object *obj)
{
	if (WARN_ON(!klp_is_module(obj)) || !patch->mod->klp_info)
		return;
	klp_clear_relocs_before(patch, obj, 0);
}

/**
 * klp_check_relocs() - warn of relocation sections that are never applied
 * @patch:	the patch, with its objects linked
 *
 * A section for an object the patch does not name is never applied, and
 * code using it would follow a null pointer.  Upstream accepts such a
 * patch, so we do too, and say so in the log.
 *
 * Return: 0, or -EINVAL for a malformed section name.
 */
int klp_check_relocs(struct klp_patch *patch)
{
	struct klp_modinfo *info = patch->mod->klp_info;
	char sec_objname[MODULE_NAME_LEN];
	struct klp_object *obj;
	unsigned int i;
	bool known;

	if (!info)
		return 0;

	for (i = 1; i < info->hdr.e_shnum; i++) {
		Elf_Shdr *sec = info->sechdrs + i;
		const char *secname = info->secstrings + sec->sh_name;

		if (!(sec->sh_flags & SHF_RELA_LIVEPATCH))
			continue;
		/* Malformed names were refused when the module loaded. */
		if (klp_rela_section_object(secname, sec_objname))
			return -EINVAL;
		known = !strcmp(sec_objname, "vmlinux");
		klp_for_each_object(patch, obj)
			known = known || (klp_is_module(obj) &&
					  !strcmp(obj->name, sec_objname));
		if (!known)
			pr_warn("'%s': section '%s' is for object '%s', which the patch does not patch; it is never applied\n",
				patch->mod->name, secname, sec_objname);
	}
	return 0;
}
