// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * System states: what patches leave behind beyond their code.
 *
 * A patch may change the system in ways that outlive its functions: data
 * converted by a callback, a shadow variable attached to every instance of
 * a structure.  It declares such a change as a struct klp_state (an id and
 * a version).  A later patch that replaces it must know how to carry each
 * of those states on, at the same or a newer version, or it is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/livepatch.h>
#include "core.h"
#include "state.h"
#include "transition.h"

#define klp_for_each_state(patch, state)		\
	for (state = (patch)->states; state && state->id; state++)

/**
 * klp_get_state() - find a state that a patch declares
 * @patch:	the patch
 * @id:		the state's id
 *
 * Return: the state, or NULL if @patch does not declare it.
 */
struct klp_state *klp_get_state(struct klp_patch *patch, unsigned long id)
{
	struct klp_state *state;

	klp_for_each_state(patch, state)
		if (state->id == id)
			return state;
	return NULL;
}
EXPORT_SYMBOL_GPL(klp_get_state);

/**
 * klp_get_prev_state() - find a state as the patches before this one left it
 * @id:		the state's id
 *
 * Meant for the callbacks of the patch in transition, which run under
 * klp_mutex: it looks at the patches enabled before that patch and returns
 * the newest one's declaration of @id.  Callbacks that run because a
 * module comes or goes outside any transition have no "previous" patch:
 * there the call warns once and returns NULL.
 *
 * Return: the state, or NULL if no earlier patch declares it.
 */
struct klp_state *klp_get_prev_state(unsigned long id)
{
	struct klp_state *found = NULL, *state;
	struct klp_patch *patch;

	if (WARN_ON_ONCE(!klp_transition_patch))
		return NULL;

	klp_for_each_patch(patch) {
		if (patch == klp_transition_patch)
			break;
		state = klp_get_state(patch, id);
		if (state)
			found = state;
	}
	return found;
}
EXPORT_SYMBOL_GPL(klp_get_prev_state);

/*
 * A replacing patch must declare every state already in place, at a
 * version at least as new; a patch that only adds to the stack need not.
 */
static bool klp_state_carried_on(struct klp_patch *patch,
				 struct klp_state *old)
{
	struct klp_state *state = klp_get_state(patch, old->id);

	if (!state)
		return !patch->replace;
	return state->version >= old->version;
}

/* Called under klp_mutex before @patch is added. */
bool klp_is_patch_compatible(struct klp_patch *patch)
{
	struct klp_patch *old_patch;
	struct klp_state *old;

	klp_for_each_patch(old_patch)
		klp_for_each_state(old_patch, old)
			if (!klp_state_carried_on(patch, old))
				return false;
	return true;
}
