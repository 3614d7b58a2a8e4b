/*
 * pdf_font.c: the CJK face of the PDF sheets (HarfBuzz).  libharu embeds a
 * TrueType font whole (400+ KB for uming); we hand it an hb-subset of the
 * face instead, cut to the code points one PDF draws.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <hb-subset.h>
#include <hb.h>

#include "pdf_font.h"
#include "utf8.h"
#include "util.h"

/*
 * The fallback chain of a primary font: installed TrueType faces found
 * with fontconfig, opened when a character first needs them.
 */
struct chain {
	pthread_mutex_t lock;  /* audit draws sheets in several threads */
	int built;             /* the candidate list has been read */
	struct cand {
		char *file;
		int index;
		FcCharSet *cs;     /* coverage as fontconfig reports it (owned) */
		struct pdf_font *font;  /* opened face, or NULL */
		int bad;           /* cannot be used (no glyf outlines, unreadable) */
	} *c;
	size_t n, cap;
	uint32_t lastcp;       /* one-entry cache of pdf_font_for() */
	const struct pdf_font *last;
};

struct pdf_font {
	char *path;
	int index;
	hb_blob_t *blob;
	hb_face_t *face;
	hb_font_t *font;
	double upem;
	struct chain *chain;   /* primary font only */
};

static struct pdf_font *open_face(const char *path, int index);

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
	hb_blob_destroy(blob);
	if ((f = open_face(path, 0)) == NULL) {
		error_set(err, "字体文件 %s 不能用：需要含 TrueType（glyf）字形的 .ttf 或 .ttc（"
		    "默认字体由软件包 %s 提供）", path, PDF_FONT_PACKAGE);
		return NULL;
	}
	f->chain = xcalloc(1, sizeof(*f->chain));
	pthread_mutex_init(&f->chain->lock, NULL);
	/* A face without glyphs for common Chinese is of no use here. */
	if (!pdf_font_has(f, 0x4E2D) || !pdf_font_has(f, 0x3002)) {
		error_set(err, "字体 %s 不含中文字形（默认字体由软件包 %s 提供）", path,
		    PDF_FONT_PACKAGE);
		pdf_font_free(f);
		return NULL;
	}
	return f;
}

/*
 * Face index of a TrueType file or collection, or NULL when it has no
 * glyphs or no glyf outlines (libharu embeds only TrueType outlines).
 */
static struct pdf_font *
open_face(const char *path, int index)
{
	struct pdf_font *f;
	hb_blob_t *blob, *glyf;
	unsigned int glen;

	if ((blob = hb_blob_create_from_file_or_fail(path)) == NULL)
		return NULL;
	f = xcalloc(1, sizeof(*f));
	f->blob = blob;
	f->index = index;
	f->face = hb_face_create(blob, (unsigned int)index);
	glyf = hb_face_reference_table(f->face, HB_TAG('g', 'l', 'y', 'f'));
	glen = hb_blob_get_length(glyf);
	hb_blob_destroy(glyf);
	if (glen == 0 || hb_face_get_glyph_count(f->face) == 0 || hb_face_get_upem(f->face) == 0) {
		hb_face_destroy(f->face);
		hb_blob_destroy(blob);
		free(f);
		return NULL;
	}
	f->font = hb_font_create(f->face);
	f->upem = hb_face_get_upem(f->face);
	hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
	f->path = xstrdup(path);
	return f;
}

static void
chain_free(struct chain *ch)
{
	size_t i;

	if (ch == NULL)
		return;
	pthread_mutex_destroy(&ch->lock);
	for (i = 0; i < ch->n; i++) {
		free(ch->c[i].file);
		if (ch->c[i].cs)
			FcCharSetDestroy(ch->c[i].cs);
		pdf_font_free(ch->c[i].font);
	}
	free(ch->c);
	if (ch->built)
		FcFini();
	free(ch);
}

/*
 * The candidates, best first: the CJK serif families a county office has,
 * then whatever fontconfig sorts after them.  WenQuanYi Micro Hei and Droid
 * Sans Fallback are left out: their glyphs come out blank through libharu.
 */
static void
chain_build(const struct pdf_font *f)
{
	static const char *const fam[] = {
		"AR PL UMing CN", "AR PL UKai CN", "Noto Serif CJK SC", "Noto Sans CJK SC",
		"WenQuanYi Zen Hei", "DejaVu Serif", "DejaVu Sans", "OpenSymbol",
	};
	struct chain *ch = f->chain;
	FcPattern *pat;
	FcFontSet *set;
	FcResult res;
	size_t i;
	int k;

	ch->built = 1;
	if (!FcInit())
		return;
	pat = FcPatternCreate();
	for (i = 0; i < sizeof(fam) / sizeof(fam[0]); i++)
		FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)fam[i]);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	set = FcFontSort(NULL, pat, FcFalse, NULL, &res);
	FcPatternDestroy(pat);
	if (set == NULL)
		return;
	for (k = 0; k < set->nfont; k++) {
		FcChar8 *file;
		FcCharSet *cs;
		int index = 0;

		if (FcPatternGetString(set->fonts[k], FC_FILE, 0, &file) != FcResultMatch)
			continue;
		FcPatternGetInteger(set->fonts[k], FC_INDEX, 0, &index);
		if (strstr((const char *)file, "microhei") || strstr((const char *)file, "Droid"))
			continue;
		if ((strcmp((const char *)file, f->path) == 0 && index == f->index))
			continue;
		if (FcPatternGetCharSet(set->fonts[k], FC_CHARSET, 0, &cs) != FcResultMatch)
			continue;
		xgrow(&ch->c, &ch->cap, ch->n + 1, sizeof(*ch->c));
		memset(&ch->c[ch->n], 0, sizeof(ch->c[ch->n]));
		ch->c[ch->n].file = xstrdup((const char *)file);
		ch->c[ch->n].index = index;
		ch->c[ch->n].cs = FcCharSetCopy(cs);
		ch->n++;
	}
	FcFontSetDestroy(set);
}

const struct pdf_font *
pdf_font_for(const struct pdf_font *f, uint32_t cp)
{
	struct chain *ch = f->chain;
	const struct pdf_font *r = NULL;
	size_t i;

	/* libharu's UTF-8 encoder writes 16-bit codes: the BMP only */
	if (cp > 0xFFFF || cp == 0)
		return NULL;
	if (pdf_font_has(f, cp))
		return f;
	if (ch == NULL)
		return NULL;
	pthread_mutex_lock(&ch->lock);
	if (ch->last != NULL && ch->lastcp == cp) {
		r = ch->last == f ? NULL : ch->last;
		pthread_mutex_unlock(&ch->lock);
		return r;
	}
	if (!ch->built)
		chain_build(f);
	for (i = 0; i < ch->n && r == NULL; i++) {
		struct cand *c = &ch->c[i];

		if (c->bad || !FcCharSetHasChar(c->cs, cp))
			continue;
		if (c->font == NULL && (c->font = open_face(c->file, c->index)) == NULL) {
			c->bad = 1;
			continue;
		}
		if (pdf_font_has(c->font, cp))
			r = c->font;
	}
	ch->lastcp = cp;
	ch->last = r ? r : f;
	pthread_mutex_unlock(&ch->lock);
	return r;
}

void
pdf_font_free(struct pdf_font *f)
{
	if (f == NULL)
		return;
	chain_free(f->chain);
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
	const struct pdf_font *d;
	hb_codepoint_t g;

	if (is_wide(cp))
		return size;
	/* drawn by a fallback face, or as PDF_MISSING by this one */
	if ((d = pdf_font_for(f, cp)) == NULL) {
		d = f;
		cp = PDF_MISSING;
	}
	if (!hb_font_get_nominal_glyph(d->font, cp, &g))
		return size / 2;
	return (double)hb_font_get_glyph_h_advance(d->font, g) * size / d->upem;
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
