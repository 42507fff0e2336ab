// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * load-module [-f N] FILE [PARAMS]: load a module with finit_module() and
 * print "errno N" (0 on success), so that tests can check the exact error.
 *
 * With -f N, the Nth allocation of the load fails (/proc/thread-self/
 * fail-nth, CONFIG_FAULT_INJECTION), and a second line says whether that
 * failure was injected: "injected 1", or "injected 0" once the load made
 * fewer than N fault-injectable calls.
 *
 * With -S N, sweep: load with allocation N failing, then N+1, ... as long
 * as the load fails with an injected failure, checking after each that
 * nothing was left behind (the same live patches in sysfs, the same
 * functions traced by ftrace, the module not loaded).  Stops at the first
 * load that succeeds and prints "swept LAST", "errno 0" and "injected 0|1";
 * the caller checks that patch and sweeps on if the failure was injected.
 * Without forks between loads, a sweep takes a fraction of a shell loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FAIL_NTH "/proc/thread-self/fail-nth"

static int write_nth(const char *nth)
{
	int fd = open(FAIL_NTH, O_WRONLY);

	if (fd < 0 || write(fd, nth, strlen(nth)) != (ssize_t)strlen(nth)) {
		perror(FAIL_NTH);
		return -1;
	}
	return close(fd);
}

static int read_nth(void)
{
	char buf[32] = "";
	int fd = open(FAIL_NTH, O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0) {
		perror(FAIL_NTH);
		exit(2);
	}
	close(fd);
	return atoi(buf);
}

#define TRACED "/sys/kernel/debug/tracing/enabled_functions"
#define PATCHES "/sys/kernel/livepatch"

/* What a failed load must not change, as one string. */
static char *footprint(const char *modname)
{
	static char buf[1 << 16];
	size_t len = 0;
	struct dirent *d;
	char line[256];
	FILE *f;
	DIR *dir;

	dir = opendir(PATCHES);
	while (dir && (d = readdir(dir)) && len < sizeof(buf) - 256)
		len += snprintf(buf + len, sizeof(buf) - len, "%s\n", d->d_name);
	if (dir)
		closedir(dir);
	f = fopen(TRACED, "r");
	while (f && fgets(line, sizeof(line), f) && len < sizeof(buf) - 256)
		len += snprintf(buf + len, sizeof(buf) - len, "%s", line);
	if (f)
		fclose(f);
	f = fopen("/proc/modules", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, modname, strlen(modname)) &&
		    line[strlen(modname)] == ' ')
			len += snprintf(buf + len, sizeof(buf) - len, "loaded\n");
	if (f)
		fclose(f);
	return strdup(buf);
}

static int sweep(long n, const char *file, const char *params)
{
	char modname[256], nth[32], *before, *after, *p;
	int fd, ret, err, left;

	p = strrchr(file, '/');
	snprintf(modname, sizeof(modname), "%s", p ? p + 1 : file);
	p = strstr(modname, ".ko");
	if (p)
		*p = 0;
	for (p = modname; *p; p++)
		if (*p == '-')
			*p = '_';
	before = footprint(modname);
	fd = open(file, O_RDONLY);
	if (fd < 0) {
		perror(file);
		return 2;
	}
	for (;; n++) {
		snprintf(nth, sizeof(nth), "%ld", n);
		if (write_nth(nth))
			return 2;
		ret = syscall(SYS_finit_module, fd, params, 0);
		err = ret ? errno : 0;
		left = read_nth();
		if (!err)
			break;
		if (left) {
			printf("swept %ld\nerrno %d\nuninjected failure\n", n, err);
			return 1;
		}
		after = footprint(modname);
		if (strcmp(before, after)) {
			printf("swept %ld\nerrno %d\nleft behind:\n%s\n", n, err, after);
			return 1;
		}
		free(after);
	}
	printf("swept %ld\nerrno 0\ninjected %d\n", n, left == 0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *nth = NULL;
	int fd, ret, err;

	if (argc > 3 && !strcmp(argv[1], "-S"))
		return sweep(atol(argv[2]), argv[3], argc > 4 ? argv[4] : "");
	if (argc > 2 && !strcmp(argv[1], "-f")) {
		nth = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: load-module [-f N] FILE [PARAMS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	if (nth && write_nth(nth))
		return 2;
	ret = syscall(SYS_finit_module, fd, argc > 2 ? argv[2] : "", 0);
	err = ret ? errno : 0;
	/* Read back before anything else can consume the countdown. */
	if (nth)
		ret = read_nth();
	printf("errno %d\n", err);
	if (nth)
		printf("injected %d\n", ret == 0);
	return 0;
}
