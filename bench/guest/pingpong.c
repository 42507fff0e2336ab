// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pingpong N: P7, context switches of user tasks.  A parent and a child,
 * both on CPU 0, pass a byte back and forth through two pipes N times;
 * prints the nanoseconds per round trip (two context switches).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 10000;
	int ab[2], ba[2];
	struct timespec t0, t1;
	cpu_set_t set;
	char c = 0;
	pid_t pid;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) || pipe(ab) || pipe(ba)) {
		perror("pingpong");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (!pid) {
		for (i = 0; i < n; i++)
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waitpid(pid, NULL, 0);
	printf("%.0f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 +
			  (t1.tv_nsec - t0.tv_nsec)) / n);
	return 0;
}
