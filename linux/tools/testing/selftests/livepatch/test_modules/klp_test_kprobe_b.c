// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A second copy of klp_test_kprobe, under its own module name, so that
 * a test can hold a kprobe on one function while it adds or removes one
 * on another.
 */
#include "klp_test_kprobe.c"
