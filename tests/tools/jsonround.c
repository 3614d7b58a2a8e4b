/*
 * jsonround: read JSON Lines results (fzreport check --format json) on
 * stdin with result_read_jsonl_line() and write each back with
 * json_result().  A faithful reader gives back its input byte for byte.
 * A line that cannot be read prints "error: LINE: message" and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>

#include "render.h"
#include "result_json.h"

int
main(void)
{
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	int rc = 0;

	while ((len = getline(&line, &cap, stdin)) != -1) {
		struct result r;
		struct error err;
		char *s;

		n++;
		if (result_read_jsonl_line(line, (size_t)len, &r, &err) < 0) {
			printf("error: %zu: %s (column %ld)\n", n, err.msg, err.column);
			rc = 1;
			continue;
		}
		s = json_result(&r);
		printf("%s\n", s);
		free(s);
		result_release(&r);
	}
	free(line);
	return rc;
}
