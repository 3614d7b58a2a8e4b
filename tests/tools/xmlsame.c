/*
 * xmlsame: hold docx_xml_fast() to libxml2's lean tree, for tests.
 *
 *   xmlsame [-v] FILE...
 *
 * Each FILE is one XML part of a .docx.  It is read lean as a body part,
 * as styles.xml and whole, by docx_xml_fast() and by libxml2
 * (docx_parse_bytes_libxml()).  Where the fast reader builds a tree,
 * libxml2 must build one too and the two dumps (docx_xml_dump()) must be
 * the same; where it declines, -v says why.  Prints "N parts: F read
 * fast, D declined, S differ" and exits 1 when S > 0 or a file cannot be
 * read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx_int.h"
#include "util.h"

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char tmp[65536];
	size_t k;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, k);
	fclose(f);
	*n = b.len;
	return b.s != NULL ? buf_detach(&b) : xstrdup("");
}

/* First line where two dumps differ, for the message. */
static void
show_diff(const char *a, const char *b)
{
	size_t line = 1;

	while (*a != '\0' && *a == *b) {
		if (*a == '\n')
			line++;
		a++, b++;
	}
	while (line > 1 && a[-1] != '\n')
		a--, b--;
	fprintf(stderr, "  line %zu\n  fast:   %.200s\n  libxml: %.200s\n", line, a, b);
}

int
main(int argc, char **argv)
{
	static const enum docx_lean leans[] = {DOCX_BODY, DOCX_STYLES, DOCX_READ};
	static const char *const lean_name[] = {"body", "styles", "whole"};
	int i, verbose = 0, bad = 0;
	size_t parts = 0, fast = 0, declined = 0, differ = 0, k;

	for (i = 1; i < argc; i++) {
		char *data;
		size_t n;

		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
			continue;
		}
		data = slurp(argv[i], &n);
		if (data == NULL) {
			fprintf(stderr, "xmlsame: cannot read %s\n", argv[i]);
			bad = 1;
			continue;
		}
		parts++;
		for (k = 0; k < sizeof(leans) / sizeof(leans[0]); k++) {
			xmlDoc *a = NULL, *b = NULL;
			const char *why = NULL;
			struct error err;
			int rb;

			memset(&err, 0, sizeof(err));
			if (docx_xml_fast(argv[i], data, n, leans[k], &a, &why) != 1) {
				declined++;
				if (verbose && k == 0)
					printf("%s: declined: %s\n", argv[i], why);
				continue;
			}
			fast++;
			rb = docx_parse_bytes_libxml(argv[i], data, n, leans[k], &b, &err);
			if (rb != 1) {
				fprintf(stderr, "xmlsame: %s: read fast, but libxml2 says: %s\n", argv[i],
					err.msg);
				differ++;
			} else {
				struct buf da, db;

				buf_init(&da);
				buf_init(&db);
				docx_xml_dump(a, &da);
				docx_xml_dump(b, &db);
				if (strcmp(da.s, db.s) != 0) {
					fprintf(stderr, "xmlsame: %s (%s): the trees differ\n", argv[i],
						lean_name[k]);
					show_diff(da.s, db.s);
					differ++;
				}
				buf_release(&da);
				buf_release(&db);
			}
			xmlFreeDoc(a);
			xmlFreeDoc(b);
		}
		free(data);
	}
	printf("%zu parts: %zu read fast, %zu declined, %zu differ\n", parts, fast, declined, differ);
	return bad || differ > 0;
}
