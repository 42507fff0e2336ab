// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sleepers N: start N threads that sleep in the kernel (read() on a pipe
 * nobody writes), print "ready", and wait to be killed (benchmark P5).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int fds[2];

static void *sleeper(void *arg)
{
	char c;

	return (void *)(long)read(fds[0], &c, 1);
}

int main(int argc, char **argv)
{
	int i, n = argc > 1 ? atoi(argv[1]) : 10000;
	pthread_attr_t attr;
	pthread_t t;

	if (pipe(fds))
		return 1;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < n; i++) {
		if (pthread_create(&t, &attr, sleeper, NULL)) {
			fprintf(stderr, "sleepers: only %d threads\n", i);
			return 1;
		}
	}
	printf("ready %d\n", n);
	fflush(stdout);
	pause();
	return 0;
}
