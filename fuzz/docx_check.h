/*
 * docx_check.h: what the .docx fuzz targets assert of one package: it
 * loads with every paragraph inside the text, or fails with a message.
 */
#ifndef FZ_FUZZ_DOCX_CHECK_H
#define FZ_FUZZ_DOCX_CHECK_H

#include <stdlib.h>

#include "doc.h"
#include "util.h"

static void
docx_check(const char *data, size_t size)
{
	struct doc d;
	struct error err;
	size_t i;

	doc_init(&d);
	error_clear(&err);
	if (load_docx_mem("fuzz.docx", data, size, &d, &err) == 0) {
		for (i = 0; i < d.npara; i++)
			if (d.paras[i].off + d.paras[i].len > d.len)
				abort();
	} else if (err.msg[0] == '\0') {
		abort();
	}
	doc_release(&d);
}

#endif
