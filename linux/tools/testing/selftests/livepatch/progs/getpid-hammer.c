// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * getpid-hammer: calls getpid() as fast as it can until killed, a user
 * task that spends its life entering and leaving the patched system call.
 * getpid-hammer N: calls it N times, prints the pid and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n, pid = 0;

	if (argc < 2) {
		for (;;)
			syscall(SYS_getpid);
	}
	for (n = strtol(argv[1], NULL, 0); n > 0; n--)
		pid = syscall(SYS_getpid);
	printf("%ld\n", pid);
	return 0;
}
