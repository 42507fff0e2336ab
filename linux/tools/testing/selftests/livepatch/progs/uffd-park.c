// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parks a thread inside a page fault taken by the kernel, for
 * test-fault-sleep.sh.
 *
 *	uffd-park FILE
 *
 * A page is registered with userfaultfd and left missing; a thread
 * write()s 16 bytes from it to FILE, so the kernel faults on it in
 * copy_from_user() and the thread sleeps in the fault.  Once the fault is
 * reported, "parked <tid>" is printed; a line on standard input then
 * resolves the fault, and "written <n>" is printed when the write is
 * over.  Exits 0 if the write wrote 16 bytes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *path;
static char *area;
static pid_t writer_tid;	/* set by the writer, atomically */
static ssize_t written = -1;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void *writer(void *arg)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		die(path);
	__atomic_store_n(&writer_tid, syscall(SYS_gettid), __ATOMIC_RELEASE);
	written = write(fd, area, 16);
	close(fd);
	return arg;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_copy copy = { .len = page };
	struct uffd_msg msg;
	char line[16], *src;
	pthread_t t;
	int uffd;

	if (argc != 2) {
		fprintf(stderr, "usage: uffd-park FILE\n");
		return 2;
	}
	path = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Faults in kernel mode too: no UFFD_USER_MODE_ONLY. */
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		die("userfaultfd");
	if (ioctl(uffd, UFFDIO_API, &api))
		die("UFFDIO_API");
	area = mmap(NULL, page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || src == MAP_FAILED)
		die("mmap");
	memset(src, 'k', page);
	reg.range.start = (unsigned long)area;
	reg.range.len = page;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");

	if (pthread_create(&t, NULL, writer, NULL))
		die("pthread_create");
	if (read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		die("reading the fault");
	while (!__atomic_load_n(&writer_tid, __ATOMIC_ACQUIRE))
		usleep(1000);
	printf("parked %d\n", __atomic_load_n(&writer_tid, __ATOMIC_ACQUIRE));

	if (!fgets(line, sizeof(line), stdin))
		return 2;
	copy.dst = (unsigned long)area;
	copy.src = (unsigned long)src;
	if (ioctl(uffd, UFFDIO_COPY, &copy))
		die("UFFDIO_COPY");
	pthread_join(t, NULL);
	printf("written %zd\n", written);
	return written == 16 ? 0 : 1;
}
