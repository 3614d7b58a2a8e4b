/*
 * fuzz_docxparts.c: libFuzzer target for the XML paths of the .docx
 * reader: document, styles (basedOn chains, vanish, fonts) and numbering
 * (levels, lvlText, overrides).  Mutating a whole .docx mostly hits
 * deflate data and CRCs, so the numbering crash of issue 18 was never
 * found; here the input is the XML itself: up to three parts separated by
 * two NUL bytes (word/document.xml, word/styles.xml, word/numbering.xml),
 * stored uncompressed in a zip made in memory with the relationships that
 * name them.  fuzz/run seeds it from the parts of the generated fixtures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "doc.h"
#include "docx_check.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rels[] =
	"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	"2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship "
	"Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	"numbering\" Target=\"numbering.xml\"/></Relationships>";

struct entry {
	const char *name;
	const uint8_t *data;
	size_t n;
	size_t off; /* of its local header */
};

static void
le(struct buf *b, uint32_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		buf_addc(b, (char)(v >> (8 * i) & 0xFF));
}

/* A zip of the entries, stored (no compression), into b. */
static void
zip_stored(struct buf *b, struct entry *e, int n)
{
	size_t cd, cds;
	int i;

	for (i = 0; i < n; i++) {
		uint32_t crc = (uint32_t)crc32(0, e[i].data, (uInt)e[i].n);

		e[i].off = b->len;
		le(b, 0x04034b50, 4);
		le(b, 20, 2), le(b, 0, 2), le(b, 0, 2), le(b, 0, 2), le(b, 0, 2);
		le(b, crc, 4), le(b, (uint32_t)e[i].n, 4), le(b, (uint32_t)e[i].n, 4);
		le(b, (uint32_t)strlen(e[i].name), 2), le(b, 0, 2);
		buf_adds(b, e[i].name);
		buf_add(b, (const char *)e[i].data, e[i].n);
	}
	cd = b->len;
	for (i = 0; i < n; i++) {
		uint32_t crc = (uint32_t)crc32(0, e[i].data, (uInt)e[i].n);

		le(b, 0x02014b50, 4);
		le(b, 20, 2), le(b, 20, 2), le(b, 0, 2), le(b, 0, 2), le(b, 0, 2), le(b, 0, 2);
		le(b, crc, 4), le(b, (uint32_t)e[i].n, 4), le(b, (uint32_t)e[i].n, 4);
		le(b, (uint32_t)strlen(e[i].name), 2), le(b, 0, 2), le(b, 0, 2), le(b, 0, 2);
		le(b, 0, 2), le(b, 0, 4), le(b, (uint32_t)e[i].off, 4);
		buf_adds(b, e[i].name);
	}
	cds = b->len - cd;
	le(b, 0x06054b50, 4);
	le(b, 0, 2), le(b, 0, 2), le(b, (uint32_t)n, 2), le(b, (uint32_t)n, 2);
	le(b, (uint32_t)cds, 4), le(b, (uint32_t)cd, 4), le(b, 0, 2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"word/document.xml", "word/styles.xml",
		"word/numbering.xml"};
	struct entry e[4];
	struct buf zip;
	size_t i, start = 0;
	int n = 0;

	memset(e, 0, sizeof(e));
	for (i = 0; i <= size && n < 3; i++) {
		if (i == size || (i + 1 < size && data[i] == 0 && data[i + 1] == 0)) {
			e[n].name = names[n];
			e[n].data = data + start;
			e[n].n = i - start;
			n++;
			start = i + 2;
			i++;
		}
	}
	e[n].name = "word/_rels/document.xml.rels";
	e[n].data = (const uint8_t *)rels;
	e[n].n = sizeof(rels) - 1;
	n++;
	buf_init(&zip);
	zip_stored(&zip, e, n);
	docx_check(zip.s, zip.len);
	buf_release(&zip);
	return 0;
}
