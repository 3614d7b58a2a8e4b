/*
 * fuzz_rules.c: libFuzzer target for the rule loader.  The input is
 * written to a temporary .yaml file and loaded as a pack over nothing;
 * a failure must carry a message, and everything loaded is freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *path;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rulepack p;
	struct error err;
	FILE *fp;

	if (path == NULL) {
		const char *tmp = getenv("TMPDIR");

		path = xasprintf("%s/fz-fuzz-rules-%ld.yaml", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	}
	if ((fp = fopen(path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();
	rules_init(&p);
	error_clear(&err);
	if (rules_load(&p, path, &err) == -1 && err.msg[0] == '\0')
		abort();
	rules_release(&p);
	unlink(path);
	return 0;
}
