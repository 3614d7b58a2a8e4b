/*
 * docx_write.h: write a report skeleton as a .docx laid out to
 * GB/T 9704-2012 (A4, margins 37/35/28/26 mm, 22 lines x 28 characters,
 * 方正小标宋简体 title, 仿宋_GB2312 body, 黑体 / 楷体_GB2312 headings with
 * real Heading styles and outline levels, "— n —" page numbers odd right
 * and even left).  The parts are written with libxml2's xmlTextWriter
 * (which escapes the text) and packed with libzip.
 */
#ifndef FZ_DOCX_WRITE_H
#define FZ_DOCX_WRITE_H

#include "template.h"
#include "util.h"

/*
 * Write sk to path atomically (temporary file in the same directory, then
 * rename).  dcterms:created comes from SOURCE_DATE_EPOCH when it is set,
 * so the same input gives the same bytes.  0 or -1 with err filled.
 */
int docx_write(const char *path, const struct skeleton *sk, struct error *err);
/* The same .docx in memory: *data (the caller frees it), *len bytes.  0 or -1. */
int docx_write_mem(const struct skeleton *sk, char **data, size_t *len, struct error *err);

struct zip_source;
/*
 * The bytes of a zip archive written into the buffer source src (its
 * zip_close() done) as *data (the caller frees it), *len; src is freed.
 * 0 or -1 with err.
 */
int docx_zip_bytes(struct zip_source *src, char **data, size_t *len, struct error *err);

#endif
