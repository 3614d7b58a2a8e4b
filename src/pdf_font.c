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
#include <zlib.h>

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

/*
 * Compressed glyphs.  A sheet's font program is a zlib stream put together
 * from pieces, each compressed on its own and ended on a byte boundary
 * (Z_SYNC_FLUSH), so that pieces can follow one another in any order: the
 * tables before the glyphs, each glyph (kept here across the PDFs of a run:
 * the same characters recur), the tables after them.  adler32_combine()
 * gives the stream's checksum from the pieces'.
 */
struct zpiece {
	uint64_t hash;
	unsigned char *raw;    /* the glyph's bytes (key) */
	size_t rawlen;
	unsigned char *z;      /* raw deflate, sync-flushed */
	size_t zlen;
	uLong adler;           /* adler32 of raw */
};

struct zcache {
	pthread_mutex_t lock;
	struct zpiece *slot;   /* open addressing; rawlen 0 = empty */
	size_t cap, n;
};

struct pdf_font {
	char *path;
	int index;
	hb_blob_t *blob;
	hb_face_t *face;
	hb_font_t *font;
	double upem;
	struct chain *chain;   /* primary font only */
	struct zcache *zc;     /* compressed glyphs of the run (pdf_font_embed) */
	hb_blob_t *name_tbl;   /* the name table hb-subset writes (own_subset) */
};

static struct pdf_font *open_face(const char *path, int index);
static hb_blob_t *subset_name(hb_face_t *face);
static void zcache_free(struct zcache *zc);

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
	f->zc = xcalloc(1, sizeof(*f->zc));
	pthread_mutex_init(&f->zc->lock, NULL);
	f->name_tbl = subset_name(f->face);
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
	zcache_free(f->zc);
	hb_blob_destroy(f->name_tbl);
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

/* ---------- the embedded font program ---------- */

static uint64_t
hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ n, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 1099511628211ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/*
 * Raw deflate of p into out, ended by a sync flush (a byte boundary), or
 * by the final block when last.  z is a raw deflate stream, reset here.
 */
static int
deflate_piece(z_stream *z, const unsigned char *p, size_t n, int last, unsigned char **out,
	size_t *outlen)
{
	uLong bound;
	int rc;

	if (deflateReset(z) != Z_OK)
		return -1;
	bound = deflateBound(z, (uLong)n) + 16;
	*out = xmalloc(bound);
	z->next_in = (Bytef *)p;
	z->avail_in = (uInt)n;
	z->next_out = *out;
	z->avail_out = (uInt)bound;
	rc = deflate(z, last ? Z_FINISH : Z_SYNC_FLUSH);
	*outlen = bound - z->avail_out;
	if ((last && rc != Z_STREAM_END) || (!last && rc != Z_OK) || z->avail_in != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* Raw deflate streams: the cached pieces (small) at the best compression. */
static int
zinit(z_stream *z, int small)
{
	memset(z, 0, sizeof(*z));
	return deflateInit2(z, small ? 9 : 6, Z_DEFLATED, -15, small ? 5 : 8, Z_DEFAULT_STRATEGY) ==
	    Z_OK ? 0 : -1;
}

static void
zcache_free(struct zcache *zc)
{
	size_t i;

	if (zc == NULL)
		return;
	for (i = 0; i < zc->cap; i++) {
		free(zc->slot[i].raw);
		free(zc->slot[i].z);
	}
	free(zc->slot);
	pthread_mutex_destroy(&zc->lock);
	free(zc);
}

/* The compressed piece of glyph bytes p, from the cache or made and kept. */
static int
zcache_get(struct zcache *zc, z_stream *zs, const unsigned char *p, size_t n, struct buf *out,
	uLong *adler)
{
	uint64_t h = hash_bytes(p, n);
	struct zpiece *e;
	unsigned char *z;
	size_t i, zlen;

	pthread_mutex_lock(&zc->lock);
	if (zc->cap > 0)
		for (i = (size_t)h & (zc->cap - 1); zc->slot[i].rawlen != 0; i = (i + 1) & (zc->cap - 1)) {
			e = &zc->slot[i];
			if (e->hash == h && e->rawlen == n && memcmp(e->raw, p, n) == 0) {
				buf_add(out, (const char *)e->z, e->zlen);
				*adler = e->adler;
				pthread_mutex_unlock(&zc->lock);
				return 0;
			}
		}
	pthread_mutex_unlock(&zc->lock);
	if (zs->state == NULL && zinit(zs, 1) != 0)
		return -1;
	if (deflate_piece(zs, p, n, 0, &z, &zlen) != 0)
		return -1;
	buf_add(out, (const char *)z, zlen);
	*adler = adler32(adler32(0L, Z_NULL, 0), p, (uInt)n);
	pthread_mutex_lock(&zc->lock);
	if (2 * (zc->n + 1) > zc->cap) {
		struct zpiece *old = zc->slot;
		size_t oc = zc->cap, k;

		zc->cap = oc ? 2 * oc : 1024;
		zc->slot = xcalloc(zc->cap, sizeof(*zc->slot));
		for (k = 0; k < oc; k++)
			if (old[k].rawlen != 0) {
				for (i = (size_t)old[k].hash & (zc->cap - 1); zc->slot[i].rawlen != 0;
				    i = (i + 1) & (zc->cap - 1))
					;
				zc->slot[i] = old[k];
			}
		free(old);
	}
	for (i = (size_t)h & (zc->cap - 1); zc->slot[i].rawlen != 0; i = (i + 1) & (zc->cap - 1))
		if (zc->slot[i].hash == h && zc->slot[i].rawlen == n &&
		    memcmp(zc->slot[i].raw, p, n) == 0)
			break;
	if (zc->slot[i].rawlen == 0) {
		e = &zc->slot[i];
		e->hash = h;
		e->raw = xmalloc(n);
		memcpy(e->raw, p, n);
		e->rawlen = n;
		e->z = z;
		e->zlen = zlen;
		e->adler = *adler;
		zc->n++;
	} else {
		free(z);   /* another thread kept it first */
	}
	pthread_mutex_unlock(&zc->lock);
	return 0;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void
put16(struct buf *b, unsigned v)
{
	buf_addc(b, (char)(v >> 8 & 0xFF));
	buf_addc(b, (char)(v & 0xFF));
}

/* Offset and length of table tag in the TrueType file d, or -1. */
static int
find_table(const unsigned char *d, size_t len, const char *tag, size_t *off, size_t *tlen)
{
	unsigned nt, i;

	if (len < 12)
		return -1;
	nt = get16(d + 4);
	for (i = 0; i < nt && 12 + 16 * (size_t)(i + 1) <= len; i++) {
		const unsigned char *r = d + 12 + 16 * i;

		if (memcmp(r, tag, 4) == 0) {
			*off = get32(r + 8);
			*tlen = get32(r + 12);
			return *off + *tlen <= len ? 0 : -1;
		}
	}
	return -1;
}

/* A stretch of the font file: compressed now, or through the cache. */
struct region {
	size_t off, len;
	int keep;              /* the same in every subset: a glyph, name, post... */
};

static int
cmp_region(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * The stretches of TrueType file d in file order: every glyph of glyf on
 * its own, the tables that do not depend on the subset whole, everything
 * else (directory, head, maxp, loca, hmtx, cmap...) between them.  0, or -1
 * when the file cannot be read that way.
 */
static int
font_regions(const unsigned char *d, size_t len, size_t nblock, struct region **out, size_t *nout)
{
	static const char keep[][5] = {"name", "post", "gasp", "cvt ", "fpgm", "prep"};
	struct region *r = NULL;
	size_t n = 0, cap = 0, nt, i, k, goff = 0, glen = 0, loff = 0, llen = 0, hoff = 0, hlen = 0,
	    ng, pos;
	int lf;

	if (find_table(d, len, "glyf", &goff, &glen) != 0 || find_table(d, len, "loca", &loff, &llen) != 0 ||
	    find_table(d, len, "head", &hoff, &hlen) != 0 || hlen < 54)
		return -1;
	lf = (int)get16(d + hoff + 50);
	ng = lf ? llen / 4 : llen / 2;
	if (ng < 2)
		return -1;
	ng--;
#define LOCA(k) (lf ? (size_t)get32(d + loff + 4 * (k)) : (size_t)get16(d + loff + 2 * (k)) * 2)
	for (i = 0; i < ng; i++)
		if (LOCA(i) > LOCA(i + 1))
			return -1;
	if (LOCA(ng) > glen)
		return -1;
	/* the tables, glyf cut into its glyphs */
	nt = get16(d + 4);
	for (i = 0; i < nt; i++) {
		const unsigned char *t = d + 12 + 16 * i;
		size_t off = get32(t + 8), tl = get32(t + 12);
		int kp = 0;

		if (12 + 16 * (i + 1) > len || off + tl > len)
			goto fail;
		if (memcmp(t, "glyf", 4) == 0) {
			for (k = 0; k < ng; k++) {
				if (k == 1 && nblock > 0 && 1 + nblock <= ng) {
					/* the fixed block: glyphs 1..nblock, one piece */
					xgrow(&r, &cap, n + 1, sizeof(*r));
					r[n].off = off + LOCA(1);
					r[n].len = LOCA(1 + nblock) - LOCA(1);
					r[n++].keep = 1;
					k = nblock;
					continue;
				}
				if (LOCA(k + 1) == LOCA(k))
					continue;
				xgrow(&r, &cap, n + 1, sizeof(*r));
				r[n].off = off + LOCA(k);
				r[n].len = LOCA(k + 1) - LOCA(k);
				r[n++].keep = 1;
			}
			continue;
		}
		for (k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
			if (memcmp(t, keep[k], 4) == 0)
				kp = 1;
		if (tl == 0)
			continue;
		xgrow(&r, &cap, n + 1, sizeof(*r));
		r[n].off = off;
		r[n].len = tl;
		r[n++].keep = kp;
	}
#undef LOCA
	qsort(r, n, sizeof(*r), cmp_region);
	/* no overlaps; the gaps (directory, padding) are compressed now */
	for (i = 0, pos = 0; i < n; i++) {
		if (r[i].off < pos)
			goto fail;
		pos = r[i].off + r[i].len;
	}
	*out = r;
	*nout = n;
	return 0;
fail:
	free(r);
	return -1;
}

/*
 * The zlib stream of TrueType file d: the stretches that depend on the
 * subset compressed now, the others (most of the bytes: the glyphs) from
 * the cache.  When d cannot be cut up it is compressed whole.
 */
static int
compress_font(struct zcache *zc, const unsigned char *d, size_t len, size_t nblock, struct buf *out)
{
	struct region *r = NULL;
	size_t nr = 0, i, pos = 0, zlen;
	unsigned char *z;
	uLong adler = adler32(0L, Z_NULL, 0), a;
	z_stream zt, zg;
	int rc = -1;

	memset(&zg, 0, sizeof(zg));
	if (zinit(&zt, 0) != 0)
		return -1;
	buf_addc(out, 0x78);
	buf_addc(out, (char)0xDA);
	if (font_regions(d, len, nblock, &r, &nr) != 0)
		nr = 0;
	for (i = 0; i <= nr; i++) {
		size_t upto = i < nr ? r[i].off : len;

		if (i < nr && !r[i].keep)
			continue;   /* joins the next stretch compressed now */
		if (upto > pos || i == nr) {
			if (deflate_piece(&zt, d + pos, upto - pos, i == nr, &z, &zlen) != 0)
				goto out;
			buf_add(out, (const char *)z, zlen);
			free(z);
			adler = adler32_combine(adler, adler32(adler32(0L, Z_NULL, 0), d + pos,
			    (uInt)(upto - pos)), (z_off_t)(upto - pos));
		}
		if (i == nr)
			break;
		/* glyphs on their own; the fixed block (large) with the stream for tables */
		if (zcache_get(zc, r[i].len > 16384 ? &zt : &zg, d + r[i].off, r[i].len, out, &a) != 0)
			goto out;
		adler = adler32_combine(adler, a, (z_off_t)r[i].len);
		pos = r[i].off + r[i].len;
	}
	buf_addc(out, (char)(adler >> 24 & 0xFF));
	buf_addc(out, (char)(adler >> 16 & 0xFF));
	buf_addc(out, (char)(adler >> 8 & 0xFF));
	buf_addc(out, (char)(adler & 0xFF));
	rc = 0;
out:
	free(r);
	deflateEnd(&zt);
	if (zg.state != NULL)
		deflateEnd(&zg);
	return rc;
}

/* A (3,1) format 4 cmap mapping codes[i] (ascending) to gids[i]. */
static void
cmap_table(struct buf *b, const uint16_t *codes, const uint16_t *gids, size_t n)
{
	size_t nseg = 0, i, j, k;
	uint16_t *st, *en, *dl;
	unsigned sr = 1, es = 0;

	st = xcalloc(n + 1, sizeof(*st));
	en = xcalloc(n + 1, sizeof(*en));
	dl = xcalloc(n + 1, sizeof(*dl));
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && codes[j] == codes[j - 1] + 1 &&
		    (uint16_t)(gids[j] - codes[j]) == (uint16_t)(gids[i] - codes[i]); j++)
			;
		st[nseg] = codes[i];
		en[nseg] = codes[j - 1];
		dl[nseg] = (uint16_t)(gids[i] - codes[i]);
		nseg++;
	}
	st[nseg] = en[nseg] = 0xFFFF;
	dl[nseg] = 1;
	nseg++;
	while (sr * 2 <= nseg) {
		sr *= 2;
		es++;
	}
	put16(b, 0);            /* version */
	put16(b, 1);            /* one subtable */
	put16(b, 3);
	put16(b, 1);
	put16(b, 0);
	put16(b, 12);           /* its offset */
	put16(b, 4);            /* format */
	put16(b, (unsigned)(16 + 8 * nseg));
	put16(b, 0);
	put16(b, (unsigned)(2 * nseg));
	put16(b, 2 * sr);
	put16(b, es);
	put16(b, (unsigned)(2 * nseg - 2 * sr));
	for (k = 0; k < nseg; k++)
		put16(b, en[k]);
	put16(b, 0);
	for (k = 0; k < nseg; k++)
		put16(b, st[k]);
	for (k = 0; k < nseg; k++)
		put16(b, dl[k]);
	for (k = 0; k < nseg; k++)
		put16(b, 0);
	free(st);
	free(en);
	free(dl);
}

static int
cmp_pair(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort the n (code, gid) pairs by code. */
static void
sort_map(uint16_t *codes, uint16_t *gids, size_t n)
{
	uint32_t *p = xcalloc(n + 1, sizeof(*p));
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint32_t)codes[i] << 16 | gids[i];
	qsort(p, n, sizeof(*p), cmp_pair);
	for (i = 0; i < n; i++) {
		codes[i] = (uint16_t)(p[i] >> 16);
		gids[i] = (uint16_t)(p[i] & 0xFFFF);
	}
	free(p);
}

static hb_blob_t *
buf_blob(struct buf *b)
{
	return hb_blob_create(b->s, (unsigned int)b->len, HB_MEMORY_MODE_READONLY, NULL, NULL);
}

/*
 * The face libharu loads: sub's tables, with a cmap of the codes and no
 * outlines (an empty glyf and a zero loca: libharu reads the metrics from
 * hmtx/head/hhea/OS2, and the font program it would embed is replaced).
 */
static hb_blob_t *
skeleton(hb_face_t *sub, unsigned ng, const uint16_t *codes, const uint16_t *gids, size_t n,
	struct buf *cmap, struct buf *loca, struct buf *glyf)
{
	hb_face_t *bld = hb_face_builder_create();
	hb_tag_t tags[64];
	unsigned int nt = 64, i;
	hb_blob_t *head, *blob;
	unsigned lf;
	const char *hd;
	unsigned int hl;

	head = hb_face_reference_table(sub, HB_TAG('h', 'e', 'a', 'd'));
	hd = hb_blob_get_data(head, &hl);
	lf = hl >= 54 ? get16((const unsigned char *)hd + 50) : 0;
	hb_blob_destroy(head);
	cmap_table(cmap, codes, gids, n);
	for (i = 0; i < (ng + 1) * (lf ? 4 : 2); i++)
		buf_addc(loca, 0);
	for (i = 0; i < 12; i++)
		buf_addc(glyf, 0);
	hb_face_get_table_tags(sub, 0, &nt, tags);
	for (i = 0; i < nt; i++) {
		hb_blob_t *t;

		if (tags[i] == HB_TAG('c', 'm', 'a', 'p'))
			t = buf_blob(cmap);
		else if (tags[i] == HB_TAG('l', 'o', 'c', 'a'))
			t = buf_blob(loca);
		else if (tags[i] == HB_TAG('g', 'l', 'y', 'f'))
			t = buf_blob(glyf);
		else
			t = hb_face_reference_table(sub, tags[i]);
		hb_face_builder_add_table(bld, tags[i], t);
		hb_blob_destroy(t);
	}
	blob = hb_face_reference_blob(bld);
	hb_face_destroy(bld);
	return blob;
}

/* ---------- subsetting ---------- */

/* The name table as hb-subset writes it (names 0-6), or NULL. */
static hb_blob_t *
subset_name(hb_face_t *face)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub;
	hb_blob_t *t = NULL;

	if (in == NULL)
		return NULL;
	hb_set_add(hb_subset_input_unicode_set(in), 0x4E2D);
	if ((sub = hb_subset_or_fail(face, in)) != NULL) {
		hb_blob_t *whole = hb_face_reference_blob(sub);
		hb_face_t *real = hb_face_create(whole, 0);

		t = hb_face_reference_table(real, HB_TAG('n', 'a', 'm', 'e'));
		if (hb_blob_get_length(t) == 0) {
			hb_blob_destroy(t);
			t = NULL;
		}
		hb_face_destroy(real);
		hb_blob_destroy(whole);
		hb_face_destroy(sub);
	}
	hb_subset_input_destroy(in);
	return t;
}

static void
put32(struct buf *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xFFFF);
}

/* Table tag of the original face, or an empty blob. */
static hb_blob_t *
table(const struct pdf_font *f, const char *tag)
{
	return hb_face_reference_table(f->face, HB_TAG(tag[0], tag[1], tag[2], tag[3]));
}

static int
cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/*
 * The subset's glyph order: .notdef, the fixed block (the glyphs every
 * sheet draws, so that their compressed bytes recur), the rest; each part
 * in the order of the original glyph ids.
 */
struct order {
	const uint16_t *b, *r;
	size_t nb, nr;
};

/* New glyph id of old glyph g, or -1. */
static long
new_gid(const struct order *o, unsigned g)
{
	uint16_t k = (uint16_t)g;
	const uint16_t *hit;

	if (g == 0)
		return 0;
	if ((hit = bsearch(&k, o->b, o->nb, sizeof(*o->b), cmp_u16)) != NULL)
		return 1 + (long)(hit - o->b);
	if ((hit = bsearch(&k, o->r, o->nr, sizeof(*o->r), cmp_u16)) != NULL)
		return 1 + (long)o->nb + (long)(hit - o->r);
	return -1;
}

/*
 * Walk the components of composite glyph p (len bytes); calls fn with the
 * offset of each component's glyph index.  -1 when the glyph is malformed.
 */
static int
components(const unsigned char *p, size_t len, void (*fn)(size_t at, void *arg), void *arg)
{
	size_t off = 10;
	unsigned flags;

	do {
		if (off + 4 > len)
			return -1;
		flags = get16(p + off);
		fn(off + 2, arg);
		off += 4 + ((flags & 0x0001) ? 4 : 2);
		if (flags & 0x0008)
			off += 2;
		else if (flags & 0x0040)
			off += 4;
		else if (flags & 0x0080)
			off += 8;
	} while (flags & 0x0020);
	return off <= len ? 0 : -1;
}

struct closure {
	const unsigned char *p;
	unsigned char *inset;     /* bitmap over the face's glyphs */
	unsigned ng;
	uint16_t *todo;
	size_t ntodo, cap;
	int bad;
};

/* Put glyph g (< c->ng) in the set, to be closed over its components. */
static void
add_glyph(struct closure *c, unsigned g)
{
	if (!(c->inset[g >> 3] & (1u << (g & 7)))) {
		c->inset[g >> 3] |= (unsigned char)(1u << (g & 7));
		xgrow(&c->todo, &c->cap, c->ntodo + 1, sizeof(*c->todo));
		c->todo[c->ntodo++] = (uint16_t)g;
	}
}

static void
add_component(size_t at, void *arg)
{
	struct closure *c = arg;
	unsigned g = get16(c->p + at);

	if (g >= c->ng) {
		c->bad = 1;
		return;
	}
	add_glyph(c, g);
}

/* Add the components of the glyphs in c->todo, recursively; 0 or -1. */
static int
close_set(struct closure *c, const unsigned char *glyf, size_t lglyf, const unsigned char *loca,
	int lf)
{
	while (c->ntodo > 0 && !c->bad) {
		unsigned g = c->todo[--c->ntodo];
		size_t a = lf ? get32(loca + 4 * g) : (size_t)get16(loca + 2 * g) * 2;
		size_t b = lf ? get32(loca + 4 * (g + 1)) : (size_t)get16(loca + 2 * (g + 1)) * 2;

		if (b < a || b > lglyf)
			return -1;
		if (b - a >= 10 && (int16_t)get16(glyf + a) < 0) {
			c->p = glyf + a;
			if (components(glyf + a, b - a, add_component, c) != 0)
				c->bad = 1;
		}
	}
	return c->bad ? -1 : 0;
}

struct remap {
	unsigned char *p;
	const struct order *o;
};

static void
remap_component(size_t at, void *arg)
{
	struct remap *r = arg;
	long g = new_gid(r->o, get16(r->p + at));

	r->p[at] = (unsigned char)(g >> 8);
	r->p[at + 1] = (unsigned char)(g & 0xFF);
}

/*
 * The face cut down to the glyphs of the n code points cps (and the
 * components of composite glyphs), as hb-subset would make it for a PDF:
 * glyph ids in the order of the original ones, the glyphs' bytes as they
 * are (components renumbered), head/hhea/maxp/OS2/gasp/cvt/fpgm/prep
 * copied with the glyph count set, post of format 3, the name table of
 * hb-subset's, a (3,1) cmap.  NULL when the face cannot be read that way
 * (the caller uses hb-subset).
 */
static hb_face_t *
own_subset(struct pdf_font *f, const uint32_t *cps, size_t n, const uint32_t *fixed, size_t nfixed,
	size_t *nblock)
{
	static const char *const copy[] = {"OS/2", "cvt ", "fpgm", "gasp", "name", "post", "prep"};
	hb_blob_t *hd = table(f, "head"), *mx = table(f, "maxp"), *hh = table(f, "hhea"),
	    *hm = table(f, "hmtx"), *lo = table(f, "loca"), *gl = table(f, "glyf"), *out = NULL;
	const unsigned char *head, *maxp, *hhea, *hmtx, *loca, *glyf;
	unsigned int lhead, lmaxp, lhhea, lhmtx, lloca, lglyf;
	unsigned ng, nhm, lf, i;
	struct closure c;
	struct order o;
	uint16_t *set = NULL, *cpg = NULL, *bl = NULL, *rest = NULL;
	unsigned char *inblock = NULL;
	size_t nset = 0, capset = 0, k, nmap = 0, nbl = 0, nrest = 0;
	struct buf tabs[16], file;
	const char *tags[16];
	size_t nt = 0;
	hb_face_t *face = NULL;

	memset(&c, 0, sizeof(c));
	for (k = 0; k < 16; k++)
		buf_init(&tabs[k]);
	buf_init(&file);
	head = (const unsigned char *)hb_blob_get_data(hd, &lhead);
	maxp = (const unsigned char *)hb_blob_get_data(mx, &lmaxp);
	hhea = (const unsigned char *)hb_blob_get_data(hh, &lhhea);
	hmtx = (const unsigned char *)hb_blob_get_data(hm, &lhmtx);
	loca = (const unsigned char *)hb_blob_get_data(lo, &lloca);
	glyf = (const unsigned char *)hb_blob_get_data(gl, &lglyf);
	if (lhead < 54 || lmaxp < 6 || lhhea < 36 || f->name_tbl == NULL)
		goto out;
	ng = get16(maxp + 4);
	nhm = get16(hhea + 34);
	lf = get16(head + 50);
	if (ng == 0 || nhm == 0 || nhm > ng || lhmtx < 4 * nhm + 2 * (ng - nhm) ||
	    lloca < (lf ? 4u : 2u) * (ng + 1))
		goto out;
#define LOCA(g) (lf ? (size_t)get32(loca + 4 * (g)) : (size_t)get16(loca + 2 * (g)) * 2)
	/* the glyphs: .notdef, the fixed block, those of cps, their components */
	c.p = glyf;
	c.ng = ng;
	c.inset = xcalloc(ng / 8 + 1, 1);
	c.inset[0] |= 1;
	for (k = 0; k < nfixed; k++) {
		hb_codepoint_t g;

		if (fixed[k] > 0xFFFF || !hb_font_get_nominal_glyph(f->font, fixed[k], &g) || g >= ng)
			continue;
		add_glyph(&c, g);
	}
	if (close_set(&c, glyf, lglyf, loca, (int)lf) != 0)
		goto out;
	inblock = xmalloc(ng / 8 + 1);
	memcpy(inblock, c.inset, ng / 8 + 1);
	cpg = xcalloc(n + 1, sizeof(*cpg));
	for (k = 0; k < n; k++) {
		hb_codepoint_t g;

		if (cps[k] > 0xFFFF || !hb_font_get_nominal_glyph(f->font, cps[k], &g) || g >= ng)
			continue;
		cpg[nmap++] = (uint16_t)k;
		add_glyph(&c, g);
	}
	if (close_set(&c, glyf, lglyf, loca, (int)lf) != 0)
		goto out;
	bl = xcalloc(ng + 1, sizeof(*bl));
	rest = xcalloc(ng + 1, sizeof(*rest));
	for (i = 1; i < ng; i++) {
		if (inblock[i >> 3] & (1u << (i & 7)))
			bl[nbl++] = (uint16_t)i;
		else if (c.inset[i >> 3] & (1u << (i & 7)))
			rest[nrest++] = (uint16_t)i;
	}
	o.b = bl;
	o.nb = nbl;
	o.r = rest;
	o.nr = nrest;
	xgrow(&set, &capset, 1 + nbl + nrest, sizeof(*set));
	set[nset++] = 0;
	memcpy(set + nset, bl, nbl * sizeof(*set));
	nset += nbl;
	memcpy(set + nset, rest, nrest * sizeof(*set));
	nset += nrest;
	/* glyf and loca (long) */
	tags[nt] = "glyf";
	{
		struct buf *g = &tabs[nt++], *l = &tabs[nt];

		tags[nt++] = "loca";
		for (k = 0; k < nset; k++) {
			size_t a = LOCA(set[k]), b = LOCA(set[k] + 1);

			put32(l, (uint32_t)g->len);
			if (b > a) {
				size_t at = g->len;

				buf_add(g, (const char *)glyf + a, b - a);
				if (b - a >= 10 && (int16_t)get16(glyf + a) < 0) {
					struct remap r = {(unsigned char *)g->s + at, &o};

					components(r.p, b - a, remap_component, &r);
				}
				while (g->len & 3)
					buf_addc(g, 0);
			}
		}
		put32(l, (uint32_t)g->len);
	}
#undef LOCA
	/* hmtx: a full metric for every glyph */
	tags[nt] = "hmtx";
	for (k = 0; k < nset; k++) {
		unsigned g = set[k];
		unsigned adv = get16(hmtx + 4 * (g < nhm ? g : nhm - 1));
		unsigned lsb = g < nhm ? get16(hmtx + 4 * g + 2) : get16(hmtx + 4 * nhm + 2 * (g - nhm));

		put16(&tabs[nt], adv);
		put16(&tabs[nt], lsb);
	}
	nt++;
	tags[nt] = "head";
	buf_add(&tabs[nt], (const char *)head, 54);
	memset(tabs[nt].s + 8, 0, 4);        /* checkSumAdjustment, set below */
	tabs[nt].s[50] = 0;
	tabs[nt].s[51] = 1;                  /* long loca */
	nt++;
	tags[nt] = "hhea";
	buf_add(&tabs[nt], (const char *)hhea, 36);
	tabs[nt].s[34] = (char)(nset >> 8);
	tabs[nt].s[35] = (char)(nset & 0xFF);
	nt++;
	tags[nt] = "maxp";
	buf_add(&tabs[nt], (const char *)maxp, lmaxp);
	tabs[nt].s[4] = (char)(nset >> 8);
	tabs[nt].s[5] = (char)(nset & 0xFF);
	nt++;
	/* cmap: the characters to their new glyphs */
	{
		uint16_t *codes = xcalloc(nmap + 1, sizeof(*codes)), *gids = xcalloc(nmap + 1, sizeof(*gids));

		for (k = 0; k < nmap; k++) {
			hb_codepoint_t g = 0;

			hb_font_get_nominal_glyph(f->font, cps[cpg[k]], &g);
			codes[k] = (uint16_t)cps[cpg[k]];
			gids[k] = (uint16_t)new_gid(&o, g);
		}
		sort_map(codes, gids, nmap);
		tags[nt] = "cmap";
		cmap_table(&tabs[nt++], codes, gids, nmap);
		free(codes);
		free(gids);
	}
	for (k = 0; k < sizeof(copy) / sizeof(copy[0]); k++) {
		hb_blob_t *t;
		const char *d;
		unsigned int l;

		if (strcmp(copy[k], "name") == 0) {
			d = hb_blob_get_data(f->name_tbl, &l);
			tags[nt] = copy[k];
			buf_add(&tabs[nt++], d, l);
			continue;
		}
		t = table(f, copy[k]);
		d = hb_blob_get_data(t, &l);
		if (l > 0) {
			tags[nt] = copy[k];
			if (strcmp(copy[k], "post") == 0) {
				if (l < 32) {
					hb_blob_destroy(t);
					goto out;
				}
				l = 32;
			}
			buf_add(&tabs[nt], d, l);
			if (strcmp(copy[k], "post") == 0) {
				tabs[nt].s[0] = 0;
				tabs[nt].s[1] = 3;   /* format 3: no glyph names */
				tabs[nt].s[2] = tabs[nt].s[3] = 0;
			}
			nt++;
		}
		hb_blob_destroy(t);
	}
	/* the file: directory sorted by tag, tables 4-aligned */
	{
		size_t order[16], a, b, off;
		unsigned es = 0, sr = 1;
		uint32_t sum = 0;

		for (a = 0; a < nt; a++)
			order[a] = a;
		for (a = 1; a < nt; a++)
			for (b = a; b > 0 && memcmp(tags[order[b - 1]], tags[order[b]], 4) > 0; b--) {
				size_t t = order[b];

				order[b] = order[b - 1];
				order[b - 1] = t;
			}
		while (sr * 2 <= nt) {
			sr *= 2;
			es++;
		}
		put32(&file, 0x00010000);
		put16(&file, (unsigned)nt);
		put16(&file, 16 * sr);
		put16(&file, es);
		put16(&file, (unsigned)(16 * nt - 16 * sr));
		off = 12 + 16 * nt;
		for (a = 0; a < nt; a++) {
			struct buf *t = &tabs[order[a]];
			uint32_t cs = 0;
			size_t j, tl = t->len;

			while (t->len & 3)
				buf_addc(t, 0);
			for (j = 0; j < t->len; j += 4)
				cs += get32((const unsigned char *)t->s + j);
			buf_add(&file, tags[order[a]], 4);
			put32(&file, cs);
			put32(&file, (uint32_t)off);
			put32(&file, (uint32_t)tl);
			off += t->len;
			sum += cs;
		}
		for (a = 0; a < nt; a++) {
			buf_add(&file, tabs[order[a]].s, tabs[order[a]].len);
		}
		for (a = 0; a < 12 + 16 * nt; a += 4)
			sum += get32((const unsigned char *)file.s + a);
		/* head.checkSumAdjustment */
		for (a = 0, off = 12 + 16 * nt; a < nt; off += tabs[order[a]].len, a++)
			if (memcmp(tags[order[a]], "head", 4) == 0) {
				uint32_t adj = 0xB1B0AFBAu - sum;

				file.s[off + 8] = (char)(adj >> 24);
				file.s[off + 9] = (char)(adj >> 16);
				file.s[off + 10] = (char)(adj >> 8);
				file.s[off + 11] = (char)adj;
			}
	}
	*nblock = nbl;
	out = hb_blob_create(file.s, (unsigned int)file.len, HB_MEMORY_MODE_WRITABLE, file.s, free);
	file.s = NULL;
	face = hb_face_create(out, 0);
	hb_blob_destroy(out);
out:
	for (k = 0; k < 16; k++)
		buf_release(&tabs[k]);
	free(file.s);
	free(c.inset);
	free(c.todo);
	free(set);
	free(cpg);
	free(bl);
	free(rest);
	free(inblock);
	hb_blob_destroy(hd);
	hb_blob_destroy(mx);
	hb_blob_destroy(hh);
	hb_blob_destroy(hm);
	hb_blob_destroy(lo);
	hb_blob_destroy(gl);
	return face;
}

int
pdf_font_embed(struct pdf_font *f, const uint32_t *cps, size_t n, const uint32_t *fixed,
	size_t nfixed, struct pdf_embed *e, struct error *err)
{
	hb_subset_input_t *in;
	hb_face_t *sub, *real;
	hb_font_t *sf;
	hb_blob_t *blob = NULL, *skel = NULL;
	hb_glyph_extents_t ext;
	hb_codepoint_t g;
	struct buf cmap, loca, glyf, z;
	uint16_t *codes = NULL, *gids = NULL;
	unsigned char *taken = NULL;
	const char *data;
	unsigned int len, ng;
	size_t i, nmap = 0, next, nblock = 0;
	int rc = -1;

	memset(e, 0, sizeof(*e));
	if ((sub = own_subset(f, cps, n, fixed, nfixed, &nblock)) == NULL) {
		if ((in = hb_subset_input_create_or_fail()) == NULL)
			return error_set(err, "无法为字体 %s 建立子集", f->path);
		for (i = 0; i < n; i++)
			hb_set_add(hb_subset_input_unicode_set(in), cps[i]);
		sub = hb_subset_or_fail(f->face, in);
		hb_subset_input_destroy(in);
		if (sub == NULL)
			return error_set(err, "无法为字体 %s 建立子集", f->path);
	}
	buf_init(&cmap);
	buf_init(&loca);
	buf_init(&glyf);
	buf_init(&z);
	sf = hb_font_create(sub);
	hb_font_set_scale(sf, (int)f->upem, (int)f->upem);
	ng = hb_face_get_glyph_count(sub);
	/* code PDF_CODE_BASE + gid for the first character of each glyph; then
	 * one more code each for characters sharing a glyph or without one */
	e->code = xcalloc(0x10000, sizeof(*e->code));
	e->cp = xcalloc(n + ng + 1, sizeof(*e->cp));
	e->gid = xcalloc(n + ng + 1, sizeof(*e->gid));
	codes = xcalloc(n + 1, sizeof(*codes));
	gids = xcalloc(n + 1, sizeof(*gids));
	taken = xcalloc(ng + 1, 1);
	next = ng;
	for (i = 0; i < n; i++) {
		size_t k;

		if (cps[i] > 0xFFFF)
			continue;
		if (!hb_font_get_nominal_glyph(sf, cps[i], &g) || g >= ng)
			g = 0;
		if (g != 0 && !taken[g]) {
			taken[g] = 1;
			k = g;
		} else {
			k = next++;
		}
		if (PDF_CODE_BASE + k >= 0xD800) {
			error_set(err, "一份 PDF 中的不同字符过多（超过 %u 个）", 0xD800 - PDF_CODE_BASE);
			goto out;
		}
		e->code[cps[i]] = (uint16_t)(PDF_CODE_BASE + k);
		e->cp[k] = cps[i];
		e->gid[k] = (uint16_t)g;
		if (g != 0) {
			codes[nmap] = (uint16_t)(PDF_CODE_BASE + k);
			gids[nmap++] = (uint16_t)g;
		}
	}
	e->ncodes = next;
	sort_map(codes, gids, nmap);
	if (!hb_font_get_nominal_glyph(sf, 'x', &g))
		g = 0;
	e->xheight = hb_font_get_glyph_extents(sf, g, &ext) ?
	    (int)((long)ext.y_bearing * 1000 / (long)f->upem) : 0;
	blob = hb_face_reference_blob(sub);
	data = hb_blob_get_data(blob, &len);
	if (compress_font(f->zc, (const unsigned char *)data, len, nblock, &z) != 0) {
		error_set(err, "无法压缩字体 %s", f->path);
		goto out;
	}
	e->length1 = len;
	e->len = z.len;
	e->data = (unsigned char *)z.s;
	buf_init(&z);
	/* the tables as written (a builder face does not list its tags) */
	real = hb_face_create(blob, 0);
	skel = skeleton(real, ng, codes, gids, nmap, &cmap, &loca, &glyf);
	hb_face_destroy(real);
	data = hb_blob_get_data(skel, &len);
	if (len == 0) {
		error_set(err, "无法为字体 %s 建立子集", f->path);
		goto out;
	}
	e->skel = xmalloc(len);
	memcpy(e->skel, data, len);
	e->skellen = len;
	rc = 0;
out:
	free(codes);
	free(gids);
	free(taken);
	buf_release(&cmap);
	buf_release(&loca);
	buf_release(&glyf);
	buf_release(&z);
	hb_blob_destroy(skel);
	hb_blob_destroy(blob);
	hb_font_destroy(sf);
	hb_face_destroy(sub);
	return rc;
}

void
pdf_embed_release(struct pdf_embed *e)
{
	free(e->skel);
	free(e->code);
	free(e->cp);
	free(e->gid);
	free(e->data);
	memset(e, 0, sizeof(*e));
}
