// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpf-attach: drive the BPF programs of klp-bpf.bpf.o for test-bpf.sh.
 *
 *   bpf-attach attach KIND FUNC	load program KIND (fentry, fexit or
 *					fmod_ret) and attach it to FUNC
 *   bpf-attach show KIND		print "calls N wrong W" of that program
 *					(W: wrong return values fexit saw)
 *   bpf-attach detach KIND		detach it
 *
 * The link and the program's data stay pinned in /sys/fs/bpf between
 * calls, so that the test can patch and unpatch FUNC while the program
 * is attached.  Errors are printed as "errno N" with a reason, exit 1.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define PIN_DIR "/sys/fs/bpf"

static int fail(const char *what, int err)
{
	if (err < 0)
		err = -err;
	printf("errno %d\n", err);
	fprintf(stderr, "bpf-attach: %s: %s\n", what, strerror(err));
	return 1;
}

static void pin_path(char *buf, const char *kind, const char *what)
{
	snprintf(buf, PATH_MAX, PIN_DIR "/klp_%s_%s", kind, what);
}

/* klp-bpf.bpf.o sits beside this program. */
static void object_path(char *buf, const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	int dir = slash ? (int)(slash - argv0 + 1) : 0;

	snprintf(buf, PATH_MAX, "%.*sklp-bpf.bpf.o", dir, argv0);
}

static int attach(const char *argv0, const char *kind, const char *func)
{
	char path[PATH_MAX], prog_name[64];
	struct bpf_program *prog, *p;
	struct bpf_object *obj;
	struct bpf_link *link;
	struct bpf_map *data;
	int err;

	object_path(path, argv0);
	obj = bpf_object__open_file(path, NULL);
	if (!obj)
		return fail("open klp-bpf.bpf.o", -errno);
	snprintf(prog_name, sizeof(prog_name), "klp_%s", kind);
	prog = bpf_object__find_program_by_name(obj, prog_name);
	if (!prog)
		return fail("no such kind", -ENOENT);
	/* Only the chosen program is loaded. */
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == prog);
	err = bpf_program__set_attach_target(prog, 0, func);
	if (!err)
		err = bpf_object__load(obj);
	if (err)
		return fail("load", err);
	link = bpf_program__attach(prog);
	if (!link)
		return fail("attach", -errno);

	pin_path(path, kind, "link");
	err = bpf_link__pin(link, path);
	if (err)
		return fail("pin the link", err);
	data = bpf_object__find_map_by_name(obj, "klp_data");
	if (!data)
		return fail("no klp_data map", -ENOENT);
	pin_path(path, kind, "data");
	err = bpf_map__pin(data, path);
	if (err)
		return fail("pin the data", err);
	printf("errno 0\n");
	return 0;
}

/* Keys of klp_data, in klp-bpf.bpf.c. */
#define KLP_CALLS	0
#define KLP_WRONG	1

static int show(const char *kind)
{
	unsigned int key_calls = KLP_CALLS, key_wrong = KLP_WRONG;
	unsigned long long calls, wrong;
	char path[PATH_MAX];
	int fd;

	pin_path(path, kind, "data");
	fd = bpf_obj_get(path);
	if (fd < 0)
		return fail("open the data", -errno);
	if (bpf_map_lookup_elem(fd, &key_calls, &calls) ||
	    bpf_map_lookup_elem(fd, &key_wrong, &wrong))
		return fail("read the data", -errno);
	printf("calls %llu wrong %llu\n", calls, wrong);
	return 0;
}

static int detach(const char *kind)
{
	char path[PATH_MAX];
	int ret = 0;

	pin_path(path, kind, "link");
	if (unlink(path))
		ret = fail("unpin the link", -errno);
	pin_path(path, kind, "data");
	if (unlink(path))
		ret = fail("unpin the data", -errno);
	return ret;
}

/* libbpf's warnings (a refused program's verifier log among them). */
static int print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("BPF_ATTACH_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	libbpf_set_print(print);
	if (argc == 4 && !strcmp(argv[1], "attach"))
		return attach(argv[0], argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "show"))
		return show(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "detach"))
		return detach(argv[2]);
	fprintf(stderr, "usage: bpf-attach attach KIND FUNC | show KIND | detach KIND\n");
	return 2;
}
