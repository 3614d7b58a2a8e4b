/*
 * fuzz_outline.c: libFuzzer target for the analysis of a text report --
 * outline, metadata and sections (analyse() from check.h) -- with the
 * default rule pack loaded once ($FZREPORT_RULES or rules/).
 * Every outline node and section position must lie inside the document.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rulepack pack;
static struct matcher *m;
static int ready;

static void
setup(void)
{
	struct error err;
	char *path = xasprintf("%s/default.yaml", rules_default_path());

	rules_init(&pack);
	if (rules_load(&pack, path, &err) == -1) {
		fprintf(stderr, "fuzz_outline: %s: %s\n", path, err.msg);
		exit(1);
	}
	free(path);
	m = matcher_new();
	ready = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d;
	struct error err;
	struct analysis a;
	struct result res;
	size_t i;
	int maxline;

	if (!ready)
		setup();
	doc_init(&d);
	if (load_text_mem("fuzz.txt", (const char *)data, size, &d, &err) == 0) {
		result_init(&res);
		analysis_init(&a);
		analyse(&pack, &d, &a, &res, m);
		maxline = d.npara > 0 ? d.paras[d.npara - 1].line : 0;

		for (i = 0; i < res.noutline; i++)
			if (res.outline[i].line < 1 || res.outline[i].line > maxline ||
			    res.outline[i].column < 1)
				abort();
		analysis_release(&a);
		result_release(&res);
	}
	doc_release(&d);
	return 0;
}
