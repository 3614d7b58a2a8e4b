/*
 * render_pdf.h: the PDF back-end: 审核意见单 (one audit sheet per report)
 * and the county binder (a cover table, then one sheet per report, with
 * bookmarks).  Like the other back-ends it offers open(opts) /
 * render(state, result) / close(state), reads results and checks nothing.
 *
 * Sheets are laid out into a display list while render() runs (so the
 * code points are known); close() subsets the font to exactly those code
 * points, draws the pages with libharu and writes the file atomically.
 */
#ifndef FZ_RENDER_PDF_H
#define FZ_RENDER_PDF_H

#include <stdio.h>

#include "result.h"

struct pdf_font;
struct error;

struct pdf_opts {
	struct pdf_font *font;   /* the face, opened once per run (pdf_font.h) */
	const char *path;        /* output file */
	int binder;              /* cover page with the county table, and bookmarks */
	const char *checked_at;  /* 检查时间 as shown, e.g. "2025-01-20 09:30" */
	const char *creator;     /* document info Creator, e.g. "fzreport 0.1.0" */
};

struct pdf_state;

/* Start a PDF.  The returned state is freed by pdf_close(). */
struct pdf_state *pdf_open(const struct pdf_opts *o);

/*
 * Lay out the audit sheet of r (starting on a new page).  Returns 0, or
 * -1 with err filled when the sheet has a character the font cannot draw
 * (the message names it).  The state stays usable for pdf_close().
 */
int pdf_render(struct pdf_state *st, const struct result *r, struct error *err);

/*
 * Finish: when write is non-zero, draw the pages and write the file
 * atomically (a temp file in the target directory, then rename); nothing
 * is left behind on failure.  Frees st.  Returns 0, or -1 with err filled.
 */
int pdf_close(struct pdf_state *st, int write, struct error *err);

/*
 * Finish without writing: the PDF's bytes in *data (the caller frees
 * them) for callers that write files themselves.  Frees st.  0 or -1.
 */
int pdf_close_bytes(struct pdf_state *st, char **data, size_t *len, struct error *err);

/*
 * Finish by writing the PDF to fp (for callers that write a temporary file
 * themselves; they check and close fp).  Frees st.  0 or -1.
 */
int pdf_close_fp(struct pdf_state *st, FILE *fp, struct error *err);

/* Number of pages laid out so far. */
size_t pdf_pages(const struct pdf_state *st);

#endif
