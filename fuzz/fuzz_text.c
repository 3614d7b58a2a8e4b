/*
 * fuzz_text.c: libFuzzer target for the plain-text loader and the
 * matching normalisation (load_text_mem, norm_text).
 *
 * Whatever the bytes, the loader either fails with a message or gives
 * valid UTF-8 paragraphs whose offsets stay inside the text; the
 * normalised copy's map never points past the original.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "norm.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d;
	struct error err;
	struct normtext nt;
	size_t i;

	doc_init(&d);
	error_clear(&err);
	if (load_text_mem("fuzz.txt", (const char *)data, size, &d, &err) == 0) {
		for (i = 0; i < d.npara; i++)
			if (d.paras[i].off + d.paras[i].len > d.len)
				abort();
		norm_init(&nt);
		norm_text(&nt, d.text ? d.text : "", d.len);
		for (i = 0; i <= nt.len; i++)
			if (nt.map[i] > d.len)
				abort();
		norm_release(&nt);
	} else if (err.msg[0] == '\0') {
		abort(); /* a failure must say why */
	}
	doc_release(&d);
	return 0;
}
