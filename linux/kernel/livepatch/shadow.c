// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shadow variables: data a patch attaches to objects it cannot change.
 *
 * A fix may need a new field in a structure whose layout is fixed by the
 * running kernel.  A shadow variable stands in for the field: a block of
 * memory found by the address of the object it belongs to and an id the
 * patch chooses.
 *
 * All shadow variables live in one hash table keyed by the object's
 * address.  Readers walk it under RCU; writers take klp_shadow_lock, with
 * interrupts off since patched code may run in any context.  A constructor
 * runs under that lock, before the variable becomes visible, so nobody
 * sees it half-built; a destructor runs under the lock as it is removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/livepatch.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static DEFINE_HASHTABLE(klp_shadow_hash, 12);
static DEFINE_SPINLOCK(klp_shadow_lock);

struct klp_shadow {
	struct hlist_node node;		/* in klp_shadow_hash, under the lock */
	struct rcu_head rcu_head;
	void *obj;
	unsigned long id;
	char data[];
};

static struct klp_shadow *klp_shadow_find(void *obj, unsigned long id)
{
	struct klp_shadow *shadow;

	hash_for_each_possible_rcu(klp_shadow_hash, shadow, node,
				   (unsigned long)obj) {
		if (shadow->obj == obj && shadow->id == id)
			return shadow;
	}
	return NULL;
}

/**
 * klp_shadow_get() - find a shadow variable
 * @obj:	the object it is attached to
 * @id:		its id
 *
 * Return: the variable's data, or NULL if there is none.
 */
void *klp_shadow_get(void *obj, unsigned long id)
{
	struct klp_shadow *shadow;
	void *data = NULL;

	rcu_read_lock();
	shadow = klp_shadow_find(obj, id);
	if (shadow)
		data = shadow->data;
	rcu_read_unlock();
	return data;
}
EXPORT_SYMBOL_GPL(klp_shadow_get);

static void *klp_shadow_attach(void *obj, unsigned long id, size_t size,
			       gfp_t gfp_flags, klp_shadow_ctor_t ctor,
			       void *ctor_data, bool existing_ok)
{
	struct klp_shadow *shadow, *new;
	unsigned long flags;
	int ret;

	rcu_read_lock();
	shadow = klp_shadow_find(obj, id);
	rcu_read_unlock();
	if (shadow)
		goto exists;

	/* Allocate outside the lock: gfp_flags may allow sleeping. */
	new = kzalloc(struct_size(new, data, size), gfp_flags);
	if (!new)
		return NULL;

	spin_lock_irqsave(&klp_shadow_lock, flags);
	shadow = klp_shadow_find(obj, id);
	if (unlikely(shadow)) {
		/* Somebody attached one meanwhile. */
		spin_unlock_irqrestore(&klp_shadow_lock, flags);
		kfree(new);
		goto exists;
	}

	new->obj = obj;
	new->id = id;
	if (ctor) {
		ret = ctor(obj, new->data, ctor_data);
		if (ret) {
			spin_unlock_irqrestore(&klp_shadow_lock, flags);
			kfree(new);
			pr_err("Failed to construct shadow variable <%p, %lx> (%d)\n",
			       obj, id, ret);
			return NULL;
		}
	}
	hash_add_rcu(klp_shadow_hash, &new->node, (unsigned long)obj);
	spin_unlock_irqrestore(&klp_shadow_lock, flags);
	return new->data;

exists:
	if (existing_ok)
		return shadow->data;
	WARN(1, "Duplicate shadow variable <%p, %lx>", obj, id);
	return NULL;
}

/**
 * klp_shadow_alloc() - attach a new shadow variable
 * @obj:	the object to attach it to
 * @id:		its id
 * @size:	size of its data
 * @gfp_flags:	allocation flags
 * @ctor:	optional constructor, called under a spinlock before the
 *		variable is visible; a non-zero return cancels the attach
 * @ctor_data:	passed to @ctor
 *
 * The data is zeroed before @ctor runs.
 *
 * Return: the new data, or NULL if one exists already (with a warning),
 * memory ran out, or @ctor failed.
 */
void *klp_shadow_alloc(void *obj, unsigned long id, size_t size,
		       gfp_t gfp_flags, klp_shadow_ctor_t ctor,
		       void *ctor_data)
{
	return klp_shadow_attach(obj, id, size, gfp_flags, ctor, ctor_data,
				 false);
}
EXPORT_SYMBOL_GPL(klp_shadow_alloc);

/**
 * klp_shadow_get_or_alloc() - find a shadow variable, attaching it if new
 * @obj:	the object
 * @id:		its id
 * @size:	size of its data
 * @gfp_flags:	allocation flags
 * @ctor:	optional constructor, run only if the variable is new
 * @ctor_data:	passed to @ctor
 *
 * Return: the existing or new data, or NULL on failure.
 */
void *klp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
			      gfp_t gfp_flags, klp_shadow_ctor_t ctor,
			      void *ctor_data)
{
	return klp_shadow_attach(obj, id, size, gfp_flags, ctor, ctor_data,
				 true);
}
EXPORT_SYMBOL_GPL(klp_shadow_get_or_alloc);

static void klp_shadow_remove(struct klp_shadow *shadow,
			      klp_shadow_dtor_t dtor)
{
	hash_del_rcu(&shadow->node);
	if (dtor)
		dtor(shadow->obj, shadow->data);
	kfree_rcu(shadow, rcu_head);
}

/**
 * klp_shadow_free() - detach and free one shadow variable
 * @obj:	the object
 * @id:		its id
 * @dtor:	optional destructor, called under a spinlock
 */
void klp_shadow_free(void *obj, unsigned long id, klp_shadow_dtor_t dtor)
{
	struct klp_shadow *shadow;
	unsigned long flags;

	spin_lock_irqsave(&klp_shadow_lock, flags);
	shadow = klp_shadow_find(obj, id);
	if (shadow)
		klp_shadow_remove(shadow, dtor);
	spin_unlock_irqrestore(&klp_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(klp_shadow_free);

/**
 * klp_shadow_free_all() - detach and free every shadow variable with an id
 * @id:		the id
 * @dtor:	optional destructor, called under a spinlock for each
 */
void klp_shadow_free_all(unsigned long id, klp_shadow_dtor_t dtor)
{
	struct klp_shadow *shadow;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&klp_shadow_lock, flags);
	hash_for_each_safe(klp_shadow_hash, bkt, tmp, shadow, node)
		if (shadow->id == id)
			klp_shadow_remove(shadow, dtor);
	spin_unlock_irqrestore(&klp_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(klp_shadow_free_all);
