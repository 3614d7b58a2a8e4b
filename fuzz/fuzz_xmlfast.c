/*
 * fuzz_xmlfast.c: libFuzzer target holding docx_xml_fast() to libxml2.
 * The input is one XML part; it is read as a body part, as styles.xml
 * and whole.  Where the fast reader builds a tree, libxml2 must build the
 * same one (docx_xml_dump()); a difference aborts.  fuzz/run seeds it
 * with every XML part of the seed .docx files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx_int.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum docx_lean leans[] = {DOCX_BODY, DOCX_STYLES, DOCX_READ};
	size_t k;

	for (k = 0; k < sizeof(leans) / sizeof(leans[0]); k++) {
		xmlDoc *a = NULL, *b = NULL;
		struct error err;
		struct buf da, db;

		if (docx_xml_fast("part.xml", (const char *)data, size, leans[k], &a, NULL) != 1)
			continue;
		memset(&err, 0, sizeof(err));
		if (docx_parse_bytes_libxml("part.xml", (const char *)data, size, leans[k], &b,
			    &err) != 1) {
			fprintf(stderr, "read fast, but libxml2 says: %s\n", err.msg);
			abort();
		}
		buf_init(&da);
		buf_init(&db);
		docx_xml_dump(a, &da);
		docx_xml_dump(b, &db);
		if (strcmp(da.s, db.s) != 0) {
			fprintf(stderr, "the trees differ:\n--- fast\n%s--- libxml2\n%s", da.s, db.s);
			abort();
		}
		buf_release(&da);
		buf_release(&db);
		xmlFreeDoc(a);
		xmlFreeDoc(b);
	}
	return 0;
}
