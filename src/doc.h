/*
 * doc.h: a loaded report, the same for every input format.
 *
 * A loader decodes its input once into UTF-8 text made of paragraphs
 * (text lines for .txt, w:p for .docx); everything after the loaders
 * works on this model only.  Positions are (line, column), both 1-based:
 * line is the text line of a .txt or the paragraph number of a .docx,
 * column counts code points in the displayed text.
 *
 * A struct doc owns all of its strings; doc_release() frees them.
 */
#ifndef FZ_DOC_H
#define FZ_DOC_H

#include <stddef.h>

#include "util.h"

/*
 * Per-report limits.  The largest real reports are a few hundred kilobytes
 * of text in a few thousand paragraphs; memory is 15-40 times the input, so
 * a report over these is refused (unreadable, with the reason) instead of
 * taking the county's run down with it.  fzreport(1) LIMITS.
 */
#define DOC_MAX_BYTES ((size_t)64 << 20)   /* the file as read */
#define DOC_TEXT_MAX ((size_t)16 << 20)    /* decoded text */
#define DOC_PARA_MAX 200000                /* paragraphs */

enum doc_format {
	DOCFMT_TXT,
	DOCFMT_DOCX
};

/* Paragraph flags. */
#define PARA_TABLE 0x01    /* text of a table cell (a table of data) */
#define PARA_TEXTBOX 0x02  /* text of a text box in the body */
#define PARA_AUTONUM 0x04  /* starts with a number Word draws (numbering.xml) */
#define PARA_STYLED 0x08   /* outline_lvl comes from a style or w:outlineLvl */

/* Horizontal alignment of a .docx paragraph. */
enum para_align {
	ALIGN_NONE,
	ALIGN_LEFT,
	ALIGN_CENTER,
	ALIGN_RIGHT,
	ALIGN_BOTH
};

/* Resolved formatting of a .docx paragraph (docDefaults, style chain, direct). */
/* A stretch of a .docx paragraph in one font: from byte off of the paragraph's text on. */
struct run_span {
	size_t off;
	char *font;          /* east-Asian font name, or NULL if unknown */
	double size_pt;
	int bold;
};

struct para_layout {
	char *font;          /* east-Asian font name, or NULL if unknown */
	double size_pt;      /* font size in points, 0 if unknown */
	int bold;            /* 1 bold, 0 not, -1 unknown */
	enum para_align align;
	double line_pt;      /* exact/at-least line spacing in points, 0 if not fixed */
	double line_mult;    /* proportional line spacing (1.0 = single), 0 if fixed */
	double indent_chars; /* first-line indent in characters, 0 if none */
	struct run_span *spans; /* the runs with text, merged where font, size and bold agree */
	size_t nspans;
};

struct para {
	size_t off;          /* byte offset of the text in doc->text */
	size_t len;          /* byte length, without the '\n' that ends it */
	int line;            /* 1-based text line (.txt) or paragraph number (.docx) */
	unsigned flags;      /* PARA_* */
	int outline_lvl;     /* .docx: Word outline level 1..9 (Heading 1 = 1), 0 = body */
	size_t numlen;       /* bytes of the drawn automatic number at the start, if PARA_AUTONUM */
	int title_style;     /* .docx: paragraph uses the Title style */
	struct para_layout lay;
};

/* Page set-up of a .docx (first section), in millimetres. */
struct page_layout {
	int have;
	double width, height;
	double top, bottom, left, right;
	int lines_per_page;  /* docGrid linePitch derived, 0 if none */
	int chars_per_line;  /* docGrid charSpace derived, 0 if none */
};

/* Something a loader noticed that is worth a finding (revisions, comments). */
struct doc_note {
	int code;            /* enum diag_code (diag.h) */
	int line, column;
	char *detail;        /* may be NULL */
};

struct doc {
	char *path;              /* as given on the command line */
	enum doc_format format;
	const char *encoding;    /* static string: "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE", ... */
	char *text;              /* the paragraphs, each ended by '\n'; NUL-terminated */
	size_t len;
	struct para *paras;
	size_t npara;
	/* .docx docProps/core.xml, NULL when absent */
	char *core_title;
	char *core_creator;
	char *core_modified;
	/* .docx headers, footers, footnotes and comments: read apart from the body */
	char *aside;
	struct page_layout page;
	struct page_layout *sections; /* .docx: every section's set-up, in order (page = the first) */
	size_t nsections;
	struct doc_note *notes;
	size_t nnote;
	/* .docx: offsets in text of the spaces that stand for a line break
	 * (w:br, w:cr), ascending: the reader sees a new line there, not a space */
	size_t *breaks;
	size_t nbreak, breakcap;
	size_t paracap, textcap;  /* allocated sizes of paras and text */
	int over;                 /* over the per-report limits: refused (load.c) */
};

void doc_init(struct doc *d);
void doc_release(struct doc *d);
/* Append a paragraph of n bytes of UTF-8 text; returns its index. */
size_t doc_add_para(struct doc *d, const char *s, size_t n, int line);
/* Record a loader note; detail is copied (may be NULL). */
void doc_add_note(struct doc *d, int code, int line, int column, const char *detail);
/* Record that the space at byte off of text stands for a line break (ascending offsets). */
void doc_add_break(struct doc *d, size_t off);
/* Is the byte at off a space that stands for a line break? */
int doc_is_break(const struct doc *d, size_t off);
/* Start of paragraph i's text (not NUL-terminated: use para.len). */
const char *doc_para_text(const struct doc *d, size_t i);

/*
 * load.c: load a report from a file, choosing the loader by content (zip, OLE2)
 * and extension.  On failure d holds what it could and err says why; the
 * caller calls doc_release() either way.  Returns 0 or -1.
 */
int doc_load(const char *path, struct doc *d, struct error *err);

/*
 * Decode a plain-text report from memory (UTF-8 with or without BOM,
 * UTF-16LE/BE with BOM, else GB18030); line ends CRLF, CR or LF.
 * name is used in messages only.  0 or -1 (err has the byte offset).
 */
int load_text_mem(const char *name, const char *data, size_t n, struct doc *d, struct error *err);

/* Read a .docx from memory into d.  0 or -1 (err names the part and line). */
int load_docx_mem(const char *name, const char *data, size_t n, struct doc *d, struct error *err);

#endif
