// SPDX-License-Identifier: GPL-2.0
/*
 * Two one-byte flags side by side in one section, as WARN_ONCE() leaves
 * them in .data..once: "cmpb $0, flag(%rip)" has an immediate after the
 * displacement, so the reference must not be read as pointing 4 bytes
 * after its addend.
 */
#include "common.h"

static char done_a __section(".data..once");
static char done_b __section(".data..once");

int once_user(int x)
{
	if (!done_b) {
		done_b = 1;
		return x + 1;
	}
	return done_a;
}

int other_user(void)
{
	done_a = 1;
	return 0;
}
