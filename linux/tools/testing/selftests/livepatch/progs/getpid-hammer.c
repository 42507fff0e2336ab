// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * getpid-hammer: calls getpid() as fast as it can until killed, a user
 * task that spends its life entering and leaving the patched system call.
 * getpid-hammer N: calls it N times, prints the pid and exits.
 * getpid-hammer -c CPU: like the first, on that CPU only.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n, pid = 0;

	if (argc > 2 && !strcmp(argv[1], "-c")) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(atoi(argv[2]), &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("sched_setaffinity");
			return 1;
		}
		argc = 1;
	}
	if (argc < 2) {
		for (;;)
			syscall(SYS_getpid);
	}
	for (n = strtol(argv[1], NULL, 0); n > 0; n--)
		pid = syscall(SYS_getpid);
	printf("%ld\n", pid);
	return 0;
}
