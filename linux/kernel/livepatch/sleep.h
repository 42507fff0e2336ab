/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sleep-time stack check (sleep.c).  Without it tasks asleep are
 * switched by the walks, as upstream's are.
 */
#ifndef _LIVEPATCH_SLEEP_H
#define _LIVEPATCH_SLEEP_H

#ifdef CONFIG_LIVEPATCH_SLEEP_SWITCH
void klp_sleep_probe_start(void);
void klp_sleep_probe_stop(void);
#else
static inline void klp_sleep_probe_start(void)
{
}

static inline void klp_sleep_probe_stop(void)
{
}
#endif /* CONFIG_LIVEPATCH_SLEEP_SWITCH */

#endif /* _LIVEPATCH_SLEEP_H */
