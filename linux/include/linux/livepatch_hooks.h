/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hooks for source patches built into live patch modules by
 * scripts/livepatch/klp-build (Documentation/livepatch/klp-build.rst).
 *
 * A fix written as a source diff has no klp_patch of its own to hang
 * callbacks or states on: klp-build generates it.  With these macros the
 * patched source declares what the generated module carries:
 *
 *	#include <linux/livepatch_hooks.h>
 *
 *	static int fix_pre_patch(struct klp_object *obj)
 *	{
 *		...
 *	}
 *	KLP_HOOK_PRE_PATCH(fix_pre_patch);
 *	KLP_HOOK_STATE(1, 1);
 *
 * A hook becomes a callback of the klp_object of the object (vmlinux or
 * a module) its file is built into; a state becomes an entry of the
 * patch's states.  Shadow variables need no macro: the klp_shadow_*()
 * functions of <linux/livepatch.h>, which this header includes, are
 * exported and may be called from patched code and hooks alike.
 *
 * The macros define global functions whose names tell klp-build what
 * they are; in a kernel built normally with the patch applied they are
 * unused and harmless, except KLP_HOOK_GET_STATE(), which only links in
 * a module made by klp-build.
 */
#ifndef _LINUX_LIVEPATCH_HOOKS_H
#define _LINUX_LIVEPATCH_HOOKS_H

#include <linux/livepatch.h>

/* The patch klp-build generates; only a klp-build module defines it. */
extern struct klp_patch __klp_build_patch;

/**
 * KLP_HOOK_PRE_PATCH() - run a function before the object is patched
 * @fn:	int fn(struct klp_object *obj); an error cancels the patch
 *
 * At most one hook of each kind per object.
 */
#define KLP_HOOK_PRE_PATCH(fn)						\
	int __klp_hook_pre_patch_##fn(struct klp_object *obj);		\
	int __klp_hook_pre_patch_##fn(struct klp_object *obj)		\
	{								\
		return fn(obj);						\
	}

/**
 * KLP_HOOK_POST_PATCH() - run a function once the object is patched
 * @fn:	void fn(struct klp_object *obj)
 */
#define KLP_HOOK_POST_PATCH(fn)						\
	void __klp_hook_post_patch_##fn(struct klp_object *obj);	\
	void __klp_hook_post_patch_##fn(struct klp_object *obj)		\
	{								\
		fn(obj);						\
	}

/**
 * KLP_HOOK_PRE_UNPATCH() - run a function before the object is unpatched
 * @fn:	void fn(struct klp_object *obj)
 */
#define KLP_HOOK_PRE_UNPATCH(fn)					\
	void __klp_hook_pre_unpatch_##fn(struct klp_object *obj);	\
	void __klp_hook_pre_unpatch_##fn(struct klp_object *obj)	\
	{								\
		fn(obj);						\
	}

/**
 * KLP_HOOK_POST_UNPATCH() - run a function once the object is unpatched
 * @fn:	void fn(struct klp_object *obj); the place to free shadow
 *	variables with klp_shadow_free_all()
 */
#define KLP_HOOK_POST_UNPATCH(fn)					\
	void __klp_hook_post_unpatch_##fn(struct klp_object *obj);	\
	void __klp_hook_post_unpatch_##fn(struct klp_object *obj)	\
	{								\
		fn(obj);						\
	}

/**
 * KLP_HOOK_STATE() - declare a system state the patch introduces or keeps
 * @id:		the state's id: a decimal integer literal, not 0
 * @version:	its version: a decimal integer literal
 *
 * The module's klp_patch gets a klp_state { @id, @version }; the
 * livepatch core then refuses to replace it by a patch that lacks the
 * state or carries an older version.
 */
#define KLP_HOOK_STATE(id, version)					\
	void __klp_hook_state_##id##_##version(void);			\
	void __klp_hook_state_##id##_##version(void)			\
	{								\
	}

/**
 * KLP_HOOK_GET_STATE() - the module's own klp_state of @id, or NULL
 * @id:	a state declared with KLP_HOOK_STATE()
 *
 * Useful in hooks, to keep data in &klp_state.data.  Only links in a
 * module built by klp-build.
 */
#define KLP_HOOK_GET_STATE(id)	klp_get_state(&__klp_build_patch, (id))

#endif /* _LINUX_LIVEPATCH_HOOKS_H */
