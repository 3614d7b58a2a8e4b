/*
 * pdf_font.h: the CJK TrueType face of the PDF sheets, opened once per run
 * with HarfBuzz: coverage checks, advance widths, and a per-PDF subset
 * holding only the code points that PDF draws (hb-subset).
 */
#ifndef FZ_PDF_FONT_H
#define FZ_PDF_FONT_H

#include <stddef.h>
#include <stdint.h>

struct error;

/* Default font and the Debian package that ships it. */
#define PDF_FONT_DEFAULT "/usr/share/fonts/truetype/arphic/uming.ttc"
#define PDF_FONT_PACKAGE "fonts-arphic-uming"

struct pdf_font;

/*
 * Open face 0 of the TrueType file or collection at path (NULL for the
 * default).  Returns a font the caller frees with pdf_font_free(), or
 * NULL with err filled; a missing default font names the package.
 */
struct pdf_font *pdf_font_open(const char *path, struct error *err);
void pdf_font_free(struct pdf_font *f);
/* The path it was opened from (owned by f). */
const char *pdf_font_path(const struct pdf_font *f);

/* 1 if the font has a glyph for cp, else 0. */
int pdf_font_has(const struct pdf_font *f, uint32_t cp);

/* What a character no installed font can draw is drawn as: □. */
#define PDF_MISSING 0x25A1

/*
 * The face that draws cp: f itself, else the first face of f's fallback
 * chain (installed TrueType fonts found with fontconfig, opened on first
 * need and owned by f) that has it; NULL when none has it, and for code
 * points beyond U+FFFF (libharu writes 16-bit codes).
 */
const struct pdf_font *pdf_font_for(const struct pdf_font *f, uint32_t cp);

/*
 * Advance of cp in points at size: CJK ideographs and full-width forms
 * advance by the font size, everything else by the advance in the face
 * pdf_font_for() gives (that of PDF_MISSING in f when none).
 */
double pdf_font_advance(const struct pdf_font *f, uint32_t cp, double size);

/*
 * The first code a PDF's text uses: libharu's UTF-8 encoder writes each
 * character as its 16-bit value, so the sheets write dense codes of their
 * own (one per glyph of the subset) instead of the characters themselves,
 * and map them back with a ToUnicode CMap.  Small dense codes keep
 * libharu's per-font tables short (its cmap lookup is a linear search over
 * the cmap's segments, done for all 65,536 codes).
 */
#define PDF_CODE_BASE 0x100

/* One face prepared for one PDF (pdf_font_embed). */
struct pdf_embed {
	unsigned char *skel;   /* the face for libharu: the subset's metrics, a cmap of
	                          the codes, no outlines (a TrueType file) */
	size_t skellen;
	uint16_t *code;        /* code drawn for each BMP code point of the set, else 0 */
	uint32_t *cp;          /* code point of code PDF_CODE_BASE + i, i < ncodes (0: none) */
	uint16_t *gid;         /* glyph of code PDF_CODE_BASE + i in the subset (0: none) */
	size_t ncodes;
	unsigned char *data;   /* FontFile2: the subset TrueType as a zlib stream */
	size_t len;
	size_t length1;        /* the subset's uncompressed length */
	int xheight;           /* height of "x" (or of .notdef), 1/1000 em */
};

/*
 * Subset the face to the n code points cps and prepare it for one PDF:
 * codes, the face for libharu and the compressed font program.  The
 * glyphs of the nfixed code points fixed (characters every PDF draws:
 * headings, labels) are included whether drawn or not and come first, so
 * that they make one piece compressed once per run.  The compressed pieces
 * are kept in f and reused by later PDFs of the run (safe with threads).
 * Returns 0, or -1 with err filled; release e with pdf_embed_release()
 * either way.
 */
int pdf_font_embed(struct pdf_font *f, const uint32_t *cps, size_t n, const uint32_t *fixed,
	size_t nfixed, struct pdf_embed *e, struct error *err);
void pdf_embed_release(struct pdf_embed *e);

#endif
