// SPDX-License-Identifier: GPL-2.0
/*
 * klp-diff: the object differ behind scripts/livepatch/klp-build.
 *
 *   klp-diff diff [-v] [-L] -s Module.symvers -m MANIFEST [-V vmlinux]
 *                 [-k module=path.ko]... OBJ SRC ORIG PATCHED OUT ...
 *	Compares each ORIG/PATCHED pair (OBJ is "vmlinux" or the module
 *	name, SRC the source file for messages) and writes OUT with the
 *	changed and new functions and what they need.  MANIFEST gets one
 *	line per replaced function: "func OBJ OLD_NAME SYMPOS ALIAS".
 *	All pairs go in one run so that one object's new code can call
 *	another's.  -L: objtool runs on the linked patch module (x86 IBT),
 *	so leave out the sections it makes.
 *
 *   klp-diff report ORIG PATCHED
 *	Prints which functions differ and why; for tests.
 *
 *   klp-diff finalize IN.ko OUT.ko
 *	Converts placeholder symbols into klp symbols and relocations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "klp-diff.h"

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: klp-diff diff [-v] [-L] -s SYMVERS -m MANIFEST [-V VMLINUX] [-k MOD=KO]... OBJ SRC ORIG PATCHED OUT...\n"
		"       klp-diff report [-v] ORIG PATCHED\n"
		"       klp-diff finalize [-v] IN.ko OUT.ko\n");
	exit(2);
}

static int cmd_report(int argc, char **argv)
{
	struct pair p = { .objname = "test" };
	size_t i;

	if (argc != 2)
		bad_usage();
	p.src = argv[1];
	p.orig_path = argv[0];
	p.patched_path = argv[1];
	diff_pair(&p);
	for (i = 1; i < p.patched->nr_syms; i++) {
		struct sym *y = &p.patched->syms[i];

		if (y->type != STT_FUNC || !y->include)
			continue;
		printf("%s %s: %s\n", y->parent ? "part" :
		       y->is_new ? "new" : "changed", y->name,
		       y->why ? y->why : "");
	}
	return nr_errors ? 1 : 0;
}

static int cmd_diff(int argc, char **argv)
{
	const char *symvers = NULL, *manifest = NULL, *vmlinux = NULL;
	char **kos = NULL;
	struct pair *pairs;
	int nkos = 0, npairs, i, opt, alias = 0, funcs = 0;
	FILE *mf;

	while ((opt = getopt(argc, argv, "vLs:m:V:k:")) != -1) {
		switch (opt) {
		case 'L':
			objtool_at_link = true;
			break;
		case 'v':
			verbose = 1;
			verbose_refs = true;
			break;
		case 's':
			symvers = optarg;
			break;
		case 'm':
			manifest = optarg;
			break;
		case 'V':
			vmlinux = optarg;
			break;
		case 'k':
			kos = xrealloc(kos, (nkos + 1) * sizeof(*kos));
			kos[nkos++] = optarg;
			break;
		default:
			bad_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (!symvers || !manifest || !argc || argc % 5)
		bad_usage();
	symvers_load(symvers);
	npairs = argc / 5;
	pairs = xcalloc(npairs, sizeof(*pairs));
	for (i = 0; i < npairs; i++) {
		struct pair *p = &pairs[i];
		const char *path = NULL;
		int k;

		p->objname = argv[i * 5];
		p->src = argv[i * 5 + 1];
		p->orig_path = argv[i * 5 + 2];
		p->patched_path = argv[i * 5 + 3];
		p->out_path = argv[i * 5 + 4];
		if (!strcmp(p->objname, "vmlinux")) {
			path = vmlinux;
		} else {
			size_t l = strlen(p->objname);

			for (k = 0; k < nkos; k++)
				if (!strncmp(kos[k], p->objname, l) &&
				    kos[k][l] == '=')
					path = kos[k] + l + 1;
		}
		if (!path)
			die("%s: no symbol source for object %s (-V/-k)",
			    p->src, p->objname);
		p->target = target_get(p->objname, path);
		vprint("%s (%s):\n", p->src, p->objname);
		diff_pair(p);
	}
	if (nr_errors)
		die("%d problem(s) found; no patch module can be made", nr_errors);

	/* Globals the patch defines resolve inside the patch module. */
	for (i = 0; i < npairs; i++) {
		struct elf *e = pairs[i].patched;
		size_t j;

		for (j = 1; j < e->nr_syms; j++)
			if (e->syms[j].include && e->syms[j].bind != STB_LOCAL)
				global_defs_add(e->syms[j].name);
	}

	mf = fopen(manifest, "w");
	if (!mf)
		die("%s: cannot create", manifest);
	for (i = 0; i < npairs; i++) {
		vprint("%s: references from the new code:\n", pairs[i].src);
		output_pair(&pairs[i], mf, &alias);
		funcs += pairs[i].nr_funcs;
	}
	fclose(mf);
	if (nr_errors)
		die("%d problem(s) found; no patch module can be made", nr_errors);
	for (i = 0; i < npairs; i++)
		printf("klp-diff: %s: %u function(s) replaced\n", pairs[i].src,
		       pairs[i].nr_funcs);
	if (!funcs)
		die("the patch changes no function that could be live patched");
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		bad_usage();
	cmd = argv[1];
	if (!strcmp(cmd, "diff"))
		return cmd_diff(argc - 1, argv + 1);
	argc -= 2;
	argv += 2;
	if (argc && !strcmp(argv[0], "-v")) {
		verbose = 1;
		argc--;
		argv++;
	}
	if (!strcmp(cmd, "report"))
		return cmd_report(argc, argv);
	if (!strcmp(cmd, "finalize") && argc == 2)
		return klp_finalize(argv[0], argv[1]);
	bad_usage();
	return 2;
}
