// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shadow variable lifetime, checked from module init: the module loads
 * only if every step behaves, and logs the first step that did not.
 *
 * Covers attach/find/detach, the zeroing and constructor order, a failing
 * constructor, destructors (once per variable, and for free_all), ids kept
 * apart, and two kthreads racing get_or_alloc/free on the same objects.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/livepatch.h>
#include <linux/module.h>

#define SV_A	1
#define SV_B	2
#define SV_RACE	3
#define NOBJ	16

static int objs[NOBJ];
static atomic_t dtor_calls;
static atomic_t race_ctor_calls, race_dtor_calls;

static int set_int_ctor(void *obj, void *data, void *arg)
{
	/* Data arrives zeroed; the constructor runs before it is visible. */
	if (*(int *)data != 0)
		return -EINVAL;
	*(int *)data = *(int *)arg;
	return 0;
}

static int failing_ctor(void *obj, void *data, void *arg)
{
	return -ENOSPC;
}

static void counting_dtor(void *obj, void *data)
{
	atomic_inc(&dtor_calls);
}

static int race_ctor(void *obj, void *data, void *arg)
{
	atomic_inc(&race_ctor_calls);
	return 0;
}

static void race_dtor(void *obj, void *data)
{
	atomic_inc(&race_dtor_calls);
}

/* Logs a failed check; true when it failed. */
static bool klp_test_failed(bool ok, const char *what, int line)
{
	if (!ok)
		pr_err("%s: check failed: %s (line %d)\n", KBUILD_MODNAME, what,
		       line);
	return !ok;
}

#define FAILED(cond)	klp_test_failed(cond, #cond, __LINE__)

static int racer(void *unused)
{
	unsigned int i;

	for (i = 0; !kthread_should_stop(); i++) {
		void *obj = &objs[i % NOBJ];

		if (klp_shadow_get_or_alloc(obj, SV_RACE, sizeof(long),
					    GFP_KERNEL, race_ctor, NULL) &&
		    (i & 1))
			klp_shadow_free(obj, SV_RACE, race_dtor);
		if (!(i % 64))
			cond_resched();
	}
	return 0;
}

static int check_race(void)
{
	struct task_struct *t1, *t2;

	t1 = kthread_run(racer, NULL, "klp_shadow_r1");
	t2 = kthread_run(racer, NULL, "klp_shadow_r2");
	if (FAILED(!IS_ERR(t1) && !IS_ERR(t2)))
		return -EINVAL;
	msleep(500);
	kthread_stop(t1);
	kthread_stop(t2);
	klp_shadow_free_all(SV_RACE, race_dtor);
	/* Every variable constructed was destroyed exactly once. */
	if (FAILED(atomic_read(&race_ctor_calls) > 0))
		return -EINVAL;
	if (FAILED(atomic_read(&race_ctor_calls) == atomic_read(&race_dtor_calls)))
		return -EINVAL;
	pr_info("%s: race: %d variables created and destroyed\n",
		KBUILD_MODNAME, atomic_read(&race_ctor_calls));
	return 0;
}

static int __init klp_test_shadow_init(void)
{
	int seven = 7, nine = 9, i;
	int *a, *b, *found;

	if (FAILED(!klp_shadow_get(&objs[0], SV_A)))
		return -EINVAL;

	a = klp_shadow_alloc(&objs[0], SV_A, sizeof(int), GFP_KERNEL,
			     set_int_ctor, &seven);
	if (FAILED(a && *a == 7))
		return -EINVAL;
	if (FAILED(klp_shadow_get(&objs[0], SV_A) == a))
		return -EINVAL;
	/* Same object, other id: a different variable. */
	if (FAILED(!klp_shadow_get(&objs[0], SV_B)))
		return -EINVAL;
	b = klp_shadow_get_or_alloc(&objs[0], SV_B, sizeof(int), GFP_KERNEL,
				    set_int_ctor, &nine);
	if (FAILED(b && b != a && *b == 9))
		return -EINVAL;
	/* get_or_alloc finds the existing one and skips the constructor. */
	found = klp_shadow_get_or_alloc(&objs[0], SV_A, sizeof(int),
					GFP_KERNEL, set_int_ctor, &nine);
	if (FAILED(found == a && *a == 7))
		return -EINVAL;

	/* A failing constructor leaves nothing behind. */
	found = klp_shadow_alloc(&objs[1], SV_A, sizeof(int), GFP_KERNEL,
				 failing_ctor, NULL);
	if (FAILED(!found))
		return -EINVAL;
	if (FAILED(!klp_shadow_get(&objs[1], SV_A)))
		return -EINVAL;

	/* free: the destructor runs once; the variable is gone. */
	klp_shadow_free(&objs[0], SV_A, counting_dtor);
	if (FAILED(atomic_read(&dtor_calls) == 1))
		return -EINVAL;
	if (FAILED(!klp_shadow_get(&objs[0], SV_A)))
		return -EINVAL;
	klp_shadow_free(&objs[0], SV_A, counting_dtor);
	if (FAILED(atomic_read(&dtor_calls) == 1))
		return -EINVAL;
	if (FAILED(klp_shadow_get(&objs[0], SV_B) == b))
		return -EINVAL;

	/* free_all: every object with that id, and only that id. */
	for (i = 1; i < NOBJ; i++) {
		found = klp_shadow_alloc(&objs[i], SV_A, sizeof(int),
					 GFP_KERNEL, NULL, NULL);
		if (FAILED(found))
			return -EINVAL;
	}
	klp_shadow_free_all(SV_A, counting_dtor);
	if (FAILED(atomic_read(&dtor_calls) == NOBJ))
		return -EINVAL;
	for (i = 0; i < NOBJ; i++) {
		if (FAILED(!klp_shadow_get(&objs[i], SV_A)))
			return -EINVAL;
	}
	if (FAILED(klp_shadow_get(&objs[0], SV_B) == b))
		return -EINVAL;
	klp_shadow_free_all(SV_B, NULL);
	if (FAILED(!klp_shadow_get(&objs[0], SV_B)))
		return -EINVAL;

	if (check_race())
		return -EINVAL;
	pr_info("%s: all shadow variable checks passed\n", KBUILD_MODNAME);
	return 0;
}

static void __exit klp_test_shadow_exit(void)
{
}

module_init(klp_test_shadow_init);
module_exit(klp_test_shadow_exit);
MODULE_DESCRIPTION("klp selftest: shadow variable lifetime");
MODULE_LICENSE("GPL");
