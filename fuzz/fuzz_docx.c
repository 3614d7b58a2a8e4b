/*
 * fuzz_docx.c: libFuzzer target for the .docx reader (load_docx_mem):
 * libzip, the XML parts, styles, numbering and layout.  A failure must
 * come with a message; a success with paragraphs inside the text.
 */
#include <stdint.h>
#include <stdlib.h>

#include "doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d;
	struct error err;
	size_t i;

	doc_init(&d);
	error_clear(&err);
	if (load_docx_mem("fuzz.docx", (const char *)data, size, &d, &err) == 0) {
		for (i = 0; i < d.npara; i++)
			if (d.paras[i].off + d.paras[i].len > d.len)
				abort();
	} else if (err.msg[0] == '\0') {
		abort();
	}
	doc_release(&d);
	return 0;
}
