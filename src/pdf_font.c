/*
 * pdf_font.c: the CJK face of the PDF sheets (HarfBuzz).  libharu embeds a
 * TrueType font whole (400+ KB for uming); we hand it an hb-subset of the
 * face instead, cut to the code points one PDF draws.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hb.h>

#include "pdf_font.h"
#include "utf8.h"
#include "util.h"

struct pdf_font {
	char *path;
	hb_blob_t *blob;
	hb_face_t *face;
	hb_font_t *font;
	double upem;
};

struct pdf_font *
pdf_font_open(const char *path, struct error *err)
{
	struct pdf_font *f;
	hb_blob_t *blob;
	int deflt = path == NULL;

	if (deflt)
		path = PDF_FONT_DEFAULT;
	if (access(path, R_OK) != 0) {
		if (deflt)
			error_set(err, "找不到中文字体 %s：请安装软件包 %s（apt-get install %s），"
			    "或用 --font 指定 TrueType 字体", path, PDF_FONT_PACKAGE, PDF_FONT_PACKAGE);
		else
			error_set(err, "无法读取字体 %s：%s（默认字体由软件包 %s 提供）", path,
			    strerror(errno), PDF_FONT_PACKAGE);
		return NULL;
	}
	if ((blob = hb_blob_create_from_file_or_fail(path)) == NULL) {
		error_set(err, "无法读取字体 %s", path);
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->blob = blob;
	f->face = hb_face_create(blob, 0);
	if (hb_face_get_glyph_count(f->face) == 0 || hb_face_get_upem(f->face) == 0) {
		error_set(err, "%s 不是可用的 TrueType 字体（默认字体由软件包 %s 提供）", path,
		    PDF_FONT_PACKAGE);
		hb_face_destroy(f->face);
		hb_blob_destroy(blob);
		free(f);
		return NULL;
	}
	f->font = hb_font_create(f->face);
	f->upem = hb_face_get_upem(f->face);
	hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
	f->path = xstrdup(path);
	/* A face without glyphs for common Chinese is of no use here. */
	if (!pdf_font_has(f, 0x4E2D) || !pdf_font_has(f, 0x3002)) {
		error_set(err, "字体 %s 不含中文字形（默认字体由软件包 %s 提供）", path,
		    PDF_FONT_PACKAGE);
		pdf_font_free(f);
		return NULL;
	}
	return f;
}

void
pdf_font_free(struct pdf_font *f)
{
	if (f == NULL)
		return;
	hb_font_destroy(f->font);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f->path);
	free(f);
}

const char *
pdf_font_path(const struct pdf_font *f)
{
	return f->path;
}

int
pdf_font_has(const struct pdf_font *f, uint32_t cp)
{
	hb_codepoint_t g;

	return hb_font_get_nominal_glyph(f->font, cp, &g) ? 1 : 0;
}

/* Wide characters: CJK ideographs, kana, CJK punctuation, full-width forms. */
static int
is_wide(uint32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x303F) || (cp >= 0x3040 && cp <= 0x9FFF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	    (cp >= 0xFF01 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD);
}

double
pdf_font_advance(const struct pdf_font *f, uint32_t cp, double size)
{
	hb_codepoint_t g;

	if (is_wide(cp))
		return size;
	if (!hb_font_get_nominal_glyph(f->font, cp, &g))
		return size / 2;
	return (double)hb_font_get_glyph_h_advance(f->font, g) * size / f->upem;
}

int
pdf_font_subset(struct pdf_font *f, const uint32_t *cps, size_t n, char **path,
	struct error *err)
{
	hb_subset_input_t *in;
	hb_face_t *sub;
	hb_blob_t *blob;
	const char *data, *tmpdir;
	unsigned int len;
	char *tmp;
	size_t i;
	int fd, rc = -1;
	ssize_t w;

	if ((in = hb_subset_input_create_or_fail()) == NULL)
		return error_set(err, "无法为字体 %s 建立子集", f->path);
	for (i = 0; i < n; i++)
		hb_set_add(hb_subset_input_unicode_set(in), cps[i]);
	sub = hb_subset_or_fail(f->face, in);
	hb_subset_input_destroy(in);
	if (sub == NULL)
		return error_set(err, "无法为字体 %s 建立子集", f->path);
	blob = hb_face_reference_blob(sub);
	data = hb_blob_get_data(blob, &len);
	if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	tmp = xasprintf("%s/fzreport-font-XXXXXX", tmpdir);
	if ((fd = mkstemp(tmp)) < 0) {
		error_set(err, "无法在 %s 建立临时字体文件：%s", tmpdir, strerror(errno));
		goto out;
	}
	while (len > 0) {
		if ((w = write(fd, data, len)) < 0) {
			if (errno == EINTR)
				continue;
			error_set(err, "无法写临时字体文件 %s：%s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		data += w;
		len -= (unsigned int)w;
	}
	if (close(fd) != 0) {
		error_set(err, "无法写临时字体文件 %s：%s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	*path = tmp;
	tmp = NULL;
	rc = 0;
out:
	free(tmp);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	return rc;
}
