/*
 * fuzz_docx.c: libFuzzer target for the .docx reader (load_docx_mem):
 * libzip, the XML parts, styles, numbering and layout.  A failure must
 * come with a message; a success with paragraphs inside the text.
 */
#include <stdint.h>
#include <stdlib.h>

#include "doc.h"
#include "docx_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	docx_check((const char *)data, size);
	return 0;
}
