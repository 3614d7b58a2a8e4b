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
 * Subset the face to the n code points cps and write it as a TrueType file
 * in the temporary directory.  Returns 0 and a path (the caller unlinks and
 * frees it), or -1 with err filled.
 */
int pdf_font_subset(struct pdf_font *f, const uint32_t *cps, size_t n, char **path,
	struct error *err);

#endif
