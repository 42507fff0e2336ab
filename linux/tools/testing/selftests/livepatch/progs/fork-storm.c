// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Creates tasks as fast as it can until killed: in turn a child process
 * and a thread, each of which calls getpid() a few hundred times and
 * exits.  Every task it creates passes through fork's linking section,
 * the window that test-fork-race.sh widens, and then runs the patched
 * system call at once, before and after its first return to user space.
 *
 *	fork-storm [CALLS]	(default 200 getpid() calls per task)
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long calls = 200;

static void *run(void *arg)
{
	long i;

	for (i = 0; i < calls; i++)
		syscall(SYS_getpid);
	return arg;
}

int main(int argc, char **argv)
{
	unsigned long n;
	pthread_t t;
	pid_t pid;

	if (argc > 1)
		calls = atol(argv[1]);
	for (n = 0; ; n++) {
		if (n & 1) {
			if (!pthread_create(&t, NULL, run, NULL))
				pthread_join(t, NULL);
			continue;
		}
		pid = fork();
		if (pid == 0) {
			run(NULL);
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}
