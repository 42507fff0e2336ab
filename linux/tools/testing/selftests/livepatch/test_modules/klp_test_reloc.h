/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reaching symbols a live patch cannot link to: static functions and data
 * of vmlinux or of the module being patched.
 *
 * Declare such a symbol under a placeholder name made by KLP_SYM(), with
 * KLP_EXTERN, and give it a readable alias:
 *
 *	#define klp_tainted_mask	KLP_SYM(vmlinux, tainted_mask, 0)
 *	KLP_EXTERN unsigned long klp_tainted_mask;
 *
 * The placeholder is KLP_SYM__<object>__<symbol>__<sympos>: <object> is
 * "vmlinux" or a module name (it must not hold "__" or end in "_"),
 * <sympos> the symbol's position among the object's symbols of that name,
 * counting from 1 in kallsyms order, or 0 if the name is unique.
 *
 * After the build, ../klp-convert.py rewrites the module: each
 * placeholder becomes a ".klp.sym.<object>.<symbol>,<sympos>" symbol and
 * the relocations against it move to ".klp.rela.<object>.<section>"
 * sections, which the kernel resolves through kallsyms - for vmlinux as
 * the patch loads, for a module whenever that module loads.  The object
 * must also be one of the patch's klp_objects (or vmlinux): the kernel
 * applies a module's relocations only for objects the patch names.
 *
 * KLP_EXTERN declares the placeholder weak only so that modpost, which
 * cannot know it, does not fail the build over it.  A module that skipped
 * klp-convert.py would see it as NULL: always convert.
 */
#ifndef _KLP_TEST_RELOC_H
#define _KLP_TEST_RELOC_H

#include <linux/compiler.h>

#define KLP_SYM(object, symbol, sympos) \
	KLP_SYM__ ## object ## __ ## symbol ## __ ## sympos

/*
 * The same symbol, with its relocations in the sections of @secobject:
 * for the tests of what the kernel accepts across objects.
 */
#define KLP_SYM_IN(secobject, object, symbol, sympos) \
	KLP_SYM_IN__ ## secobject ## __ ## object ## __ ## symbol ## __ ## sympos

#define KLP_EXTERN	extern __weak

#endif /* _KLP_TEST_RELOC_H */
