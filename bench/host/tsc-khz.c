// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tsc-khz: the host's TSC rate in kHz, measured over 200 ms.  QEMU's TCG
 * gives an x86_64 guest the host's TSC; make bench tells the guest kernel
 * its rate (tsc_early_khz=), which it fails to calibrate under TCG about
 * one boot in two and then falls back to a clock of 4 ms steps.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

int main(void)
{
	struct timespec a, b, d = { 0, 200000000 };
	unsigned long long t0, t1, ns;

	clock_gettime(CLOCK_MONOTONIC, &a);
	t0 = __rdtsc();
	nanosleep(&d, NULL);
	t1 = __rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = (b.tv_sec - a.tv_sec) * 1000000000ULL + b.tv_nsec - a.tv_nsec;
	printf("%llu\n", (t1 - t0) * 1000000ULL / ns);
	return 0;
}
