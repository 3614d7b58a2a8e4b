/*
 * render_pdf.c: the audit sheet (审核意见单) and the county binder, drawn
 * with libharu in an hb-subset CJK font.
 *
 * Two stages.  pdf_render() lays a sheet out into a display list (text
 * runs, lines, boxes per page), wrapping every text itself and checking
 * that the font can draw each character; the code points used are
 * collected on the way.  pdf_close() cuts the font down to those code
 * points, loads the subset into libharu once (so a binder embeds it once),
 * replays the display list, adds page numbers, bookmarks and document
 * info, and writes the file atomically.
 *
 * Page: A4 with GB/T 9704-like margins (top 37, bottom 35, left 28,
 * right 26 mm); nothing but the page number is drawn outside them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <zlib.h>

#include "pdf_font.h"
#include "pdf_wrap.h"
#include "render_pdf.h"
#include "utf8.h"
#include "util.h"

#define MM (72.0 / 25.4)
#define PAGE_W 595.276
#define PAGE_H 841.89
#define M_TOP (37 * MM)
#define M_BOTTOM (35 * MM)
#define M_LEFT (28 * MM)
#define M_RIGHT (26 * MM)
#define BODY_W (PAGE_W - M_LEFT - M_RIGHT)
#define Y_TOP (PAGE_H - M_TOP)
#define Y_BOTTOM M_BOTTOM

#define SZ_TITLE 18.0
#define SZ_HEAD 12.0
#define SZ_TEXT 10.5
#define LEAD 1.5     /* line height / font size */
#define PAD 4.0      /* cell padding */

#define DEFAULT_CLAUSE "《法治政府建设与责任落实督察工作规定》"

enum op_kind { OP_TEXT, OP_LINE, OP_BOX, OP_FILL };
enum color { C_BLACK, C_RED, C_GRAY, C_LIGHT, C_BLUE, C_GREEN, C_ORANGE };

/* One drawing operation; text ops point into st->text. */
struct op {
	enum op_kind kind;
	enum color color;
	int bold;
	double x, y, w, h;     /* text: baseline start; line: from (x,y) by (w,h); box: rect */
	double size;           /* text size, or line width */
	int font;              /* text: index in st->fonts */
	size_t text;           /* offset of the NUL-terminated text in st->text */
};

/* A face the PDF draws with, and the code points (BMP) drawn in it. */
struct used_font {
	const struct pdf_font *f;
	uint32_t *used;        /* bitmap over U+0000..U+FFFF */
	struct pdf_embed em;   /* its subset and codes, made by build() */
};

struct page {
	size_t first, n;       /* ops[first .. first+n) */
	size_t hfirst, hn;     /* running header and page number, added by finish() */
	long sheet;            /* index in entries, or -1 for the binder's cover */
};

/* A bookmark: a title and the page (index into pages) it points to. */
struct mark {
	char *title;
	size_t page;
};

/* What the binder's cover table shows of one report. */
struct entry {
	char *unit;
	char *file;
	enum verdict verdict;
	int errors;
	char *missing;
	size_t page;
};

struct pdf_state {
	struct pdf_opts o;
	struct op *ops;
	size_t nops, capops;
	struct page *pages;
	size_t npages, cappages;
	struct buf text;
	struct used_font *fonts;  /* [0] is the main face */
	size_t nfonts, capfonts;
	uint32_t *missing;     /* characters of this sheet drawn as □ */
	size_t nmissing, capmissing;
	double y;              /* layout cursor (PDF coordinates, baseline area top) */
	struct mark *marks;
	size_t nmarks, capmarks;
	struct entry *entries;
	size_t nentries, capentries;
	const char *doc_title; /* for the document info */
	char *first_unit;
	long cur_sheet;        /* sheet being laid out (entries index), -1 cover */
	struct page *hpage;    /* page whose header finish() is adding, else NULL */
};

/* ---------- display list ---------- */

static void
new_page(struct pdf_state *st)
{
	struct page *p;

	xgrow(&st->pages, &st->cappages, st->npages + 1, sizeof(*st->pages));
	p = &st->pages[st->npages++];
	p->first = st->nops;
	p->n = 0;
	p->hfirst = p->hn = 0;
	p->sheet = st->cur_sheet;
	st->y = Y_TOP;
}

static struct op *
add_op(struct pdf_state *st, enum op_kind k)
{
	struct op *op;

	xgrow(&st->ops, &st->capops, st->nops + 1, sizeof(*st->ops));
	op = &st->ops[st->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = k;
	if (st->hpage != NULL)
		st->hpage->hn++;
	else
		st->pages[st->npages - 1].n++;
	return op;
}

/* Index of face d in st->fonts, added (with an empty code point set) on first use. */
static int
font_slot(struct pdf_state *st, const struct pdf_font *d)
{
	size_t i;

	for (i = 0; i < st->nfonts; i++)
		if (st->fonts[i].f == d)
			return (int)i;
	xgrow(&st->fonts, &st->capfonts, st->nfonts + 1, sizeof(*st->fonts));
	st->fonts[st->nfonts].f = d;
	st->fonts[st->nfonts].used = xcalloc(0x10000 / 32, sizeof(uint32_t));
	return (int)st->nfonts++;
}

/* Note cp (which no installed font draws) for the sheet's list, once. */
static void
note_missing(struct pdf_state *st, uint32_t cp)
{
	size_t i;

	for (i = 0; i < st->nmissing; i++)
		if (st->missing[i] == cp)
			return;
	xgrow(&st->missing, &st->capmissing, st->nmissing + 1, sizeof(*st->missing));
	st->missing[st->nmissing++] = cp;
}

static void
add_text_op(struct pdf_state *st, int font, double x, double y, double size, enum color c,
	int bold, const char *s, size_t n)
{
	struct op *op;
	size_t i = 0, l;

	if (n == 0)
		return;
	while (i < n) {
		uint32_t cp = utf8_decode(s + i, n - i, &l);

		st->fonts[font].used[cp >> 5] |= 1u << (cp & 31);
		i += l;
	}
	op = add_op(st, OP_TEXT);
	op->x = x;
	op->y = y;
	op->size = size;
	op->color = c;
	op->bold = bold;
	op->font = font;
	op->text = st->text.len;
	buf_add(&st->text, s, n);
	buf_addc(&st->text, '\0');
}

/*
 * Text at (x, baseline y), cut into runs by the face that draws each
 * character (pdf_font_for); a character no face has is drawn as □ in the
 * main face and listed on the sheet.  Widths are those pdf_text_width()
 * measured, so wrapped lines stay as laid out.
 */
static void
op_text(struct pdf_state *st, double x, double y, double size, enum color c, int bold,
	const char *s, size_t n)
{
	struct buf run;
	size_t i = 0, l;
	int cur = -1;

	buf_init(&run);
	while (i < n) {
		uint32_t cp = utf8_decode(s + i, n - i, &l);
		const struct pdf_font *d = pdf_font_for(st->o.font, cp);
		int slot;
		char ch[5];

		if (cp == ' ') {
			/* a space is drawn by whichever face the run has */
			d = cur >= 0 ? st->fonts[cur].f : st->o.font;
		}
		if (d == NULL) {
			note_missing(st, cp);
			d = st->o.font;
			cp = PDF_MISSING;
		}
		slot = font_slot(st, d);
		if (slot != cur && run.len > 0) {
			add_text_op(st, cur, x, y, size, c, bold, run.s, run.len);
			x += pdf_text_width(st->o.font, size, run.s, run.len);
			run.len = 0;
		}
		cur = slot;
		buf_add(&run, ch, utf8_encode(cp, ch));
		i += l;
	}
	if (run.len > 0)
		add_text_op(st, cur, x, y, size, c, bold, run.s, run.len);
	buf_release(&run);
}

static void
op_line(struct pdf_state *st, double x, double y, double dx, double dy, double width, enum color c)
{
	struct op *op = add_op(st, OP_LINE);

	op->x = x;
	op->y = y;
	op->w = dx;
	op->h = dy;
	op->size = width;
	op->color = c;
}

static void
op_box(struct pdf_state *st, enum op_kind k, double x, double y, double w, double h, double width,
	enum color c)
{
	struct op *op = add_op(st, k);

	op->x = x;
	op->y = y;
	op->w = w;
	op->h = h;
	op->size = width;
	op->color = c;
}

/* ---------- text ---------- */

/* Word's symbol-font bullets (Symbol, Wingdings) as they reach the text. */
static int
symbol_bullet(uint32_t cp)
{
	switch (cp) {
	case 0xF0B7: case 0xF06C: case 0xF0D8: case 0xF0A7: case 0xF076: case 0xF06E:
	case 0xF071: case 0xF075: case 0xF0A8: case 0xF0FC: case 0xF0D2: case 0xF0E0:
		return 1;
	}
	return 0;
}

/* Space characters other than U+0020 and U+3000 (drawn as they are). */
static int
other_space(uint32_t cp)
{
	return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202F || cp == 0x205F || cp == 0x1680;
}

/*
 * A copy of s fit for drawing: control characters and every space
 * character but U+3000 become U+0020, Word's symbol-font bullets become •,
 * and zero-width format characters (U+200B..U+200F, U+2060, U+FEFF,
 * U+00AD) are dropped; *moff and *mlen (a byte range in s, moff < 0 for none) are moved
 * to the same text in the copy.
 */
static char *
clean(const char *s, long *moff, long *mlen)
{
	struct buf b;
	size_t i = 0, n, l;
	long mo = moff ? *moff : -1, me = moff ? *moff + *mlen : -1;
	long no = -1, ne = -1;

	buf_init(&b);
	if (s == NULL)
		s = "";
	n = strlen(s);
	while (1) {
		if ((long)i == mo)
			no = (long)b.len;
		if ((long)i == me)
			ne = (long)b.len;
		if (i >= n)
			break;
		uint32_t cp = utf8_decode(s + i, n - i, &l);

		if (cp < 0x20 || cp == 0x7F || other_space(cp))
			buf_addc(&b, ' ');
		else if (symbol_bullet(cp))
			buf_adds(&b, "•");
		else if ((cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0xFEFF ||
		    cp == 0xAD)
			;
		else
			buf_add(&b, s + i, l);
		i += l;
	}
	if (moff) {
		if (no >= 0 && ne >= no) {
			*moff = no;
			*mlen = ne - no;
		} else {
			*moff = -1;
			*mlen = 0;
		}
	}
	return buf_detach(&b);
}

static double
baseline(double top, size_t k, double size)
{
	double lh = size * LEAD;

	return top - (double)k * lh - lh / 2 - size * 0.36;
}

/*
 * Draw one wrapped line of s at (x, baseline y): the part inside the mark
 * [mo, mo+ml) is red and underlined (or gray when gray_mark).
 */
static void
draw_line(struct pdf_state *st, const struct pdf_font *f, const char *s, struct wrap_line *ln,
	double x, double y, double size, enum color c, int bold, long mo, long ml, int gray_mark)
{
	size_t a = ln->off, e = ln->off + ln->len;
	size_t ma, me;

	if (mo < 0 || ml <= 0 || (size_t)mo >= e || (size_t)(mo + ml) <= a) {
		op_text(st, x, y, size, c, bold, s + a, e - a);
		return;
	}
	ma = (size_t)mo > a ? (size_t)mo : a;
	me = (size_t)(mo + ml) < e ? (size_t)(mo + ml) : e;
	op_text(st, x, y, size, c, bold, s + a, ma - a);
	x += pdf_text_width(f, size, s + a, ma - a);
	{
		double w = pdf_text_width(f, size, s + ma, me - ma);

		op_text(st, x, y, size, gray_mark ? C_GRAY : C_RED, bold, s + ma, me - ma);
		if (!gray_mark)
			op_line(st, x, y - size * 0.15, w, 0, 0.6, C_RED);
		x += w;
	}
	op_text(st, x, y, size, c, bold, s + me, e - me);
}

/* Move to a new page unless h points fit above the bottom margin. */
static int
ensure(struct pdf_state *st, double h)
{
	if (st->y - h < Y_BOTTOM - 0.01) {
		new_page(st);
		return 1;
	}
	return 0;
}

/*
 * A paragraph: wrapped to the body width less indent, breaking pages
 * between lines.  A mark range is drawn as in draw_line().
 */
static void
para(struct pdf_state *st, const char *s, double size, double indent, enum color c, int bold,
	long mo, long ml, int gray_mark)
{
	struct wrap_line *lines;
	size_t n, k;
	double lh = size * LEAD;

	n = pdf_wrap(st->o.font, size, s, strlen(s), BODY_W - indent, &lines);
	for (k = 0; k < n; k++) {
		ensure(st, lh);
		draw_line(st, st->o.font, s, &lines[k], M_LEFT + indent, baseline(st->y, 0, size), size, c,
		    bold, mo, ml, gray_mark);
		st->y -= lh;
	}
	free(lines);
}

static void
centered(struct pdf_state *st, const char *s, double size, int bold)
{
	struct wrap_line *lines;
	size_t n, k;
	double lh = size * LEAD;

	n = pdf_wrap(st->o.font, size, s, strlen(s), BODY_W, &lines);
	for (k = 0; k < n; k++) {
		ensure(st, lh);
		draw_line(st, st->o.font, s, &lines[k], M_LEFT + (BODY_W - lines[k].width) / 2,
		    baseline(st->y, 0, size), size, C_BLACK, bold, -1, 0, 0);
		st->y -= lh;
	}
	free(lines);
}

/* A part heading (一、必备内容核对表), kept on a page with keep points after it. */
static void
heading(struct pdf_state *st, const char *s, double keep)
{
	st->y -= SZ_HEAD * 0.6;
	ensure(st, SZ_HEAD * LEAD + 2 + (keep > 0 ? keep : SZ_TEXT * LEAD * 3 + 2 * PAD));
	para(st, s, SZ_HEAD, 0, C_BLACK, 1, -1, 0, 0);
	st->y -= 2;
}

/* ---------- tables ---------- */

struct cell {
	const char *s;         /* NULL: spanned by the cell on its left */
	long mo, ml;           /* mark (byte range in s), mo < 0 for none */
	enum color color;
	int shade;             /* label cell: light background */
	int center;
	int gray_mark;         /* the mark is gray (secondary text), not red */
};

struct table {
	size_t ncol;
	const double *w;       /* column widths, summing to BODY_W */
	const char *const *head;  /* header labels (repeated on each page), or NULL */
	double size;
};

struct laid {
	struct wrap_line *lines;
	size_t n;
	double x, w;
	const struct cell *c;
};

static void draw_row(struct pdf_state *st, const struct table *t, const struct cell *cells,
	int is_head);

static void
table_head(struct pdf_state *st, const struct table *t)
{
	struct cell hc[16];
	size_t i;

	if (t->head == NULL)
		return;
	for (i = 0; i < t->ncol && i < 16; i++) {
		memset(&hc[i], 0, sizeof(hc[i]));
		hc[i].s = t->head[i];
		hc[i].mo = -1;
		hc[i].shade = 1;
		hc[i].center = 1;
	}
	draw_row(st, t, hc, 1);
}

/* Draw lines [from, to) of each cell in a chunk of the row at st->y. */
static void
draw_chunk(struct pdf_state *st, const struct table *t, struct laid *lc, size_t nc, size_t from,
	size_t to)
{
	double lh = t->size * LEAD, h = (double)(to - from) * lh + 2 * PAD;
	size_t i, k;

	for (i = 0; i < nc; i++) {
		if (lc[i].c->shade)
			op_box(st, OP_FILL, lc[i].x, st->y - h, lc[i].w, h, 0, C_LIGHT);
		op_box(st, OP_BOX, lc[i].x, st->y - h, lc[i].w, h, 0.5, C_BLACK);
		for (k = from; k < to && k < lc[i].n; k++) {
			double x = lc[i].x + PAD;

			if (lc[i].c->center)
				x = lc[i].x + (lc[i].w - lc[i].lines[k].width) / 2;
			draw_line(st, st->o.font, lc[i].c->s, &lc[i].lines[k], x,
			    baseline(st->y - PAD, k - from, t->size), t->size, lc[i].c->color,
			    lc[i].c->shade && lc[i].c->center, lc[i].c->mo, lc[i].c->ml, lc[i].c->gray_mark);
		}
	}
	st->y -= h;
}

/*
 * One table row: every cell wrapped to its width; the row moves to a new
 * page (repeating the header) when it does not fit, and is split between
 * lines only when it is taller than a whole page.
 */
static void
draw_row(struct pdf_state *st, const struct table *t, const struct cell *cells, int is_head)
{
	struct laid lc[16];
	size_t nc = 0, i, rows = 0, done = 0;
	double lh = t->size * LEAD, x = M_LEFT;

	for (i = 0; i < t->ncol && nc < 16; i++) {
		size_t j = i;
		double w = t->w[i];

		if (cells[i].s == NULL)
			continue;
		/* a cell spans the NULL cells to its right */
		while (i + 1 < t->ncol && cells[i + 1].s == NULL)
			w += t->w[++i];
		lc[nc].x = x;
		lc[nc].w = w;
		lc[nc].c = &cells[j];
		lc[nc].n = pdf_wrap(st->o.font, t->size, cells[j].s, strlen(cells[j].s), w - 2 * PAD,
		    &lc[nc].lines);
		if (lc[nc].n > rows)
			rows = lc[nc].n;
		x += w;
		nc++;
	}
	while (done < rows) {
		double avail = st->y - Y_BOTTOM - 2 * PAD;
		size_t fit = avail > 0 ? (size_t)((avail + 0.01) / lh) : 0;
		size_t whole = (size_t)((Y_TOP - Y_BOTTOM - 2 * PAD - (t->head ? 2 * PAD + lh : 0)) / lh);

		if (fit >= rows - done) {
			draw_chunk(st, t, lc, nc, done, rows);
			done = rows;
		} else if (is_head || fit == 0 || (done == 0 && rows <= whole) || fit < 2) {
			new_page(st);
			if (!is_head)
				table_head(st, t);
		} else {
			draw_chunk(st, t, lc, nc, done, done + fit);
			done += fit;
		}
	}
	for (i = 0; i < nc; i++)
		free(lc[i].lines);
}

static void
table_begin(struct pdf_state *st, const struct table *t)
{
	/* keep the header with the first row */
	ensure(st, (t->head ? 2 : 1) * (t->size * LEAD + 2 * PAD));
	table_head(st, t);
}

/* Height of a row of cells (spans as in draw_row), capped at max lines. */
static double
row_height(struct pdf_state *st, const struct table *t, const struct cell *cells, size_t max)
{
	size_t i, rows = 0;

	for (i = 0; i < t->ncol; i++) {
		struct wrap_line *lines;
		double w = t->w[i];
		size_t j = i, n;

		if (cells[i].s == NULL)
			continue;
		while (i + 1 < t->ncol && cells[i + 1].s == NULL)
			w += t->w[++i];
		n = pdf_wrap(st->o.font, t->size, cells[j].s, strlen(cells[j].s), w - 2 * PAD, &lines);
		free(lines);
		if (n > rows)
			rows = n;
	}
	if (rows > max)
		rows = max;
	return (double)rows * t->size * LEAD + 2 * PAD;
}

/* Head room for a table's header and (up to 8 lines of) its first row. */
static double
table_start_height(struct pdf_state *st, const struct table *t, const struct cell *first)
{
	return (t->head ? t->size * LEAD + 2 * PAD : 0) + row_height(st, t, first, 8);
}

static struct cell
C(const char *s)
{
	struct cell c;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.mo = -1;
	return c;
}

static struct cell
L(const char *s)
{
	struct cell c = C(s);

	c.shade = 1;
	c.center = 1;
	return c;
}

static const struct cell SPAN = {NULL, -1, 0, C_BLACK, 0, 0, 0};

/* ---------- the sheet ---------- */

static const char *
orq(const char *s)
{
	return s && *s ? s : "（未识别）";
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static enum color
verdict_color(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS:
		return C_GREEN;
	case VERDICT_REVISE:
		return C_ORANGE;
	default:
		return C_RED;
	}
}

static void
sheet_header(struct pdf_state *st, const struct result *r)
{
	static const double w[4] = {64, BODY_W / 2 - 64, 64, BODY_W / 2 - 64};
	struct table t = {4, w, NULL, SZ_TEXT};
	struct cell row[4];
	char *unit = clean(orq(r->meta.unit), NULL, NULL);
	char *parent = clean(orq(r->meta.parent), NULL, NULL);
	char *file = clean(base_name(r->file ? r->file : ""), NULL, NULL);
	char *year = r->meta.year > 0 ? xasprintf("%d年度", r->meta.year) : xstrdup("（未识别）");
	char *chars = r->error ? xstrdup("—") : xasprintf("%ld", r->chars);
	struct buf packs;
	size_t i;

	buf_init(&packs);
	for (i = 0; i < r->npack; i++) {
		if (i)
			buf_adds(&packs, "；");
		buf_printf(&packs, "%s %s", r->packs[i].name ? r->packs[i].name : "",
		    r->packs[i].version ? r->packs[i].version : "");
	}
	if (r->npack == 0)
		buf_adds(&packs, "—");
	{
		char *p = clean(packs.s, NULL, NULL);

		buf_release(&packs);
		packs.s = p;
	}
	ensure(st, 3 * (SZ_TEXT * LEAD + 2 * PAD));
	row[0] = L("单位"), row[1] = C(unit), row[2] = SPAN, row[3] = SPAN;
	draw_row(st, &t, row, 0);
	row[0] = L("上级"), row[1] = C(parent), row[2] = L("报告年度"), row[3] = C(year);
	draw_row(st, &t, row, 0);
	row[0] = L("文件名"), row[1] = C(file), row[2] = SPAN, row[3] = SPAN;
	draw_row(st, &t, row, 0);
	row[0] = L("字数"), row[1] = C(chars), row[2] = L("检查时间"),
	row[3] = C(st->o.checked_at ? st->o.checked_at : "—");
	draw_row(st, &t, row, 0);
	row[0] = L("规则包"), row[1] = C(packs.s), row[2] = SPAN, row[3] = SPAN;
	draw_row(st, &t, row, 0);
	free(unit);
	free(parent);
	free(file);
	free(year);
	free(chars);
	free(packs.s);
}

static void
sheet_verdict(struct pdf_state *st, const struct result *r)
{
	char *counts = xasprintf("错误 %d 项　　警告 %d 项　　提示 %d 项　　未检查的规则 %d 条",
	    r->summary.errors, r->summary.warnings, r->summary.infos, r->summary.not_checked);
	char *why = r->error ? clean(r->error, NULL, NULL) : NULL;
	char *whyl = why ? xasprintf("原因：%s", why) : NULL;
	struct wrap_line *lines = NULL;
	size_t n = 0, k;
	double h, top, x = M_LEFT + 10, vw;
	const char *v = verdict_name_zh(r->summary.verdict);

	if (whyl)
		n = pdf_wrap(st->o.font, SZ_TEXT, whyl, strlen(whyl), BODY_W - 20, &lines);
	h = 8 + 16 * LEAD + SZ_TEXT * LEAD * (1 + n) + 8;
	st->y -= 8;
	ensure(st, h);
	top = st->y;
	op_box(st, OP_BOX, M_LEFT, top - h, BODY_W, h, 1.5, C_BLACK);
	op_text(st, x, baseline(top - 8, 0, 16), 14, C_BLACK, 1, "结论：", strlen("结论："));
	vw = pdf_text_width(st->o.font, 14, "结论：", strlen("结论："));
	op_text(st, x + vw, baseline(top - 8, 0, 16), 16, verdict_color(r->summary.verdict), 1, v,
	    strlen(v));
	op_text(st, x, baseline(top - 8 - 16 * LEAD, 0, SZ_TEXT), SZ_TEXT, C_BLACK, 0, counts,
	    strlen(counts));
	for (k = 0; k < n; k++)
		draw_line(st, st->o.font, whyl, &lines[k], x,
		    baseline(top - 8 - 16 * LEAD, k + 1, SZ_TEXT), SZ_TEXT, C_BLACK, 0, -1, 0, 0);
	st->y = top - h;
	free(lines);
	free(counts);
	free(why);
	free(whyl);
}

/* 依据 of a section: its rule's finding, else the section's clause, else the regulation. */
static const char *
section_basis(const struct result *r, const struct section_result *s)
{
	size_t i;

	if (s->rule)
		for (i = 0; i < r->nfinding; i++)
			if (r->findings[i].rule && strcmp(r->findings[i].rule, s->rule) == 0 &&
			    r->findings[i].source && *r->findings[i].source)
				return r->findings[i].source;
	if (s->source && *s->source)
		return s->source;
	return DEFAULT_CLAUSE;
}

static void
sheet_sections(struct pdf_state *st, const struct result *r)
{
	static const double w[4] = {132, 166, 78, BODY_W - 132 - 166 - 78};
	static const char *const head[4] = {"必备内容", "依据", "状态", "位置"};
	struct table t = {4, w, head, SZ_TEXT};
	size_t i;

	heading(st, "一、必备内容核对表", 2 * SZ_TEXT * LEAD + 2 * PAD + 3 * SZ_TEXT * LEAD + 2 * PAD);
	if (r->nsection == 0) {
		para(st, r->error ? "报告无法读取，未核对。" : "规则包未规定必备内容。", SZ_TEXT, 0,
		    C_BLACK, 0, -1, 0, 0);
		return;
	}
	table_begin(st, &t);
	for (i = 0; i < r->nsection; i++) {
		const struct section_result *s = &r->sections[i];
		struct cell row[4];
		char *name = clean(s->name ? s->name : s->id, NULL, NULL);
		char *basis = clean(section_basis(r, s), NULL, NULL);
		char *where;
		const char *status;

		switch (s->status) {
		case SECTION_FOUND:
			status = "√ 有";
			where = xasprintf("第%d行", s->line);
			break;
		case SECTION_INLINE:
			status = "△ 仅正文提及";
			where = xasprintf("第%d行（正文）", s->line);
			break;
		default:
			status = "× 缺";
			where = xstrdup("—");
			break;
		}
		row[0] = C(name);
		row[1] = C(basis);
		row[2] = C(status);
		row[2].color = s->status == SECTION_FOUND ? C_BLACK :
		    s->status == SECTION_INLINE ? C_ORANGE : C_RED;
		row[3] = C(where);
		draw_row(st, &t, row, 0);
		free(name);
		free(basis);
		free(where);
	}
}

static char *
position(int line, int column)
{
	if (line <= 0)
		return xstrdup("全文");
	if (column <= 0)
		return xasprintf("第%d行", line);
	return xasprintf("第%d行第%d列", line, column);
}

/* The 依据 and 修改建议 lines of a finding, once per row. */
static void
add_source_hint(struct buf *b, const struct finding *f)
{
	char *s;

	if (f->source && *f->source) {
		s = clean(f->source, NULL, NULL);
		buf_printf(b, "\n依据：%s", s);
		free(s);
	}
	if (f->hint && *f->hint) {
		s = clean(f->hint, NULL, NULL);
		buf_printf(b, "\n修改建议：%s", s);
		free(s);
	}
}

/* The third cell of a finding: message, quoted text, 依据, 修改建议. */
static char *
finding_text(const struct finding *f, long *mo, long *ml)
{
	struct buf b;
	char *s;

	buf_init(&b);
	s = clean(f->message, NULL, NULL);
	buf_adds(&b, s);
	free(s);
	*mo = -1;
	*ml = 0;
	if (f->excerpt && *f->excerpt) {
		long o = f->mark_off, l = f->mark_len;

		if (o < 0 || l <= 0 || (size_t)(o + l) > strlen(f->excerpt))
			o = -1, l = 0;
		s = clean(f->excerpt, o >= 0 ? &o : NULL, &l);
		buf_adds(&b, "\n原文：「");
		if (o >= 0) {
			*mo = (long)b.len + o;
			*ml = l;
		}
		buf_adds(&b, s);
		buf_adds(&b, "」");
		free(s);
	}
	add_source_hint(&b, f);
	return buf_detach(&b);
}

/* The cells of a finding's row; free the strings with free_row(). */
static void
finding_row(const struct finding *f, struct cell row[3])
{
	long mo, ml;

	row[0] = C(clean(f->rule, NULL, NULL));
	row[1] = C(position(f->line, f->column));
	row[2] = C(finding_text(f, &mo, &ml));
	row[2].mo = mo;
	row[2].ml = ml;
}

static int
same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Findings of one rule with the same message, 依据 and 修改建议 share a row. */
static int
same_finding(const struct finding *a, const struct finding *b)
{
	return a->severity == b->severity && same_str(a->rule, b->rule) &&
	    same_str(a->message, b->message) && same_str(a->source, b->source) &&
	    same_str(a->hint, b->hint);
}

/*
 * The row of the n findings idx[0..n) of one rule: the positions listed,
 * the message, up to three quoted texts (the first one marked), 依据 and
 * 修改建议 once.
 */
static void
group_row(const struct result *r, const size_t *idx, size_t n, struct cell row[3])
{
	const struct finding *f = &r->findings[idx[0]];
	struct buf pos, b;
	size_t i, shown = 0;
	long mo = -1, ml = 0;
	int last = -1;
	char *s;

	buf_init(&pos);
	buf_init(&b);
	buf_printf(&pos, "共 %zu 处：", n);
	for (i = 0; i < n; i++) {
		int line = r->findings[idx[i]].line;

		if (line <= 0 || line == last)
			continue;
		buf_printf(&pos, "%s%d", last < 0 ? "第" : "、", line);
		last = line;
	}
	buf_adds(&pos, last < 0 ? "全文" : "行");
	s = clean(f->message, NULL, NULL);
	buf_adds(&b, s);
	free(s);
	for (i = 0; i < n && shown < 3; i++) {
		const struct finding *g = &r->findings[idx[i]];
		long o = g->mark_off, l = g->mark_len;

		if (g->excerpt == NULL || *g->excerpt == '\0')
			continue;
		if (o < 0 || l <= 0 || (size_t)(o + l) > strlen(g->excerpt))
			o = -1, l = 0;
		s = clean(g->excerpt, o >= 0 ? &o : NULL, &l);
		buf_printf(&b, "\n原文（第%d行）：「", g->line);
		if (shown == 0 && o >= 0) {
			mo = (long)b.len + o;
			ml = l;
		}
		buf_adds(&b, s);
		buf_adds(&b, "」");
		free(s);
		shown++;
	}
	if (shown > 0 && shown < n)
		buf_printf(&b, "\n（共 %zu 处，余下 %zu 处同上）", n, n - shown);
	add_source_hint(&b, f);
	row[0] = C(clean(f->rule, NULL, NULL));
	row[1] = C(buf_detach(&pos));
	row[2] = C(buf_detach(&b));
	row[2].mo = mo;
	row[2].ml = ml;
}

static void
free_row(struct cell *row, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free((char *)row[i].s);
}

static void
sheet_findings(struct pdf_state *st, const struct result *r)
{
	static const double w[3] = {66, 78, BODY_W - 66 - 78};
	static const char *const head[3] = {"规则", "位置", "问题、原文、依据与修改建议"};
	static const struct {
		enum severity lo, hi;
		const char *name;
	} groups[3] = {
		{SEV_ERROR, SEV_FATAL, "错误"},
		{SEV_WARNING, SEV_WARNING, "警告"},
		{SEV_INFO, SEV_INFO, "提示"},
	};
	static const char *const nums[4] = {"（一）", "（二）", "（三）", "（四）"};
	static const double w2[2] = {66, BODY_W - 66};
	static const char *const head2[2] = {"规则", "规则内容与未检查的原因"};
	struct table t = {3, w, head, SZ_TEXT};
	struct table t2 = {2, w2, head2, SZ_TEXT};
	double subh = 3 + SZ_TEXT * LEAD;
	int g, gi = 0, first = 1;
	size_t i;
	char *h;
	char *done = xcalloc(r->nfinding + 1, 1);
	size_t *idx = xcalloc(r->nfinding + 1, sizeof(*idx));

	h = xasprintf("二、问题清单（共 %zu 项）", r->nfinding);
	if (r->nfinding == 0) {
		heading(st, h, 0);
		para(st, "未发现问题。", SZ_TEXT, 0, C_BLACK, 0, -1, 0, 0);
		first = 0;
	}
	for (g = 0; g < 3; g++) {
		size_t cnt = 0, k0 = 0;
		struct cell row[3];
		char *sub;
		double keep;

		for (i = r->nfinding; i-- > 0;)
			if (r->findings[i].severity >= groups[g].lo &&
			    r->findings[i].severity <= groups[g].hi) {
				cnt++;
				k0 = i;
			}
		if (cnt == 0)
			continue;
		/* the (sub)heading stays with the table header and the first row */
		finding_row(&r->findings[k0], row);
		keep = subh + table_start_height(st, &t, row);
		free_row(row, 3);
		if (first) {
			heading(st, h, keep);
			first = 0;
		}
		sub = xasprintf("%s%s（%zu 项）", nums[gi++], groups[g].name, cnt);
		st->y -= 3;
		ensure(st, keep - 3);
		para(st, sub, SZ_TEXT, 0, C_BLACK, 1, -1, 0, 0);
		free(sub);
		table_begin(st, &t);
		for (i = 0; i < r->nfinding; i++) {
			const struct finding *f = &r->findings[i];
			size_t j, n = 0;

			if (f->severity < groups[g].lo || f->severity > groups[g].hi || done[i])
				continue;
			for (j = i; j < r->nfinding; j++)
				if (!done[j] && same_finding(f, &r->findings[j])) {
					idx[n++] = j;
					done[j] = 1;
				}
			if (n == 1)
				finding_row(f, row);
			else
				group_row(r, idx, n, row);
			draw_row(st, &t, row, 0);
			free_row(row, 3);
		}
	}
	if (first)
		heading(st, h, 0);
	free(h);
	free(done);
	free(idx);
	if (r->nunchecked > 0) {
		h = xasprintf("%s未检查的规则（%zu 条，不视为通过）", nums[gi++], r->nunchecked);
		st->y -= 3;
		ensure(st, subh + 3 * (SZ_TEXT * LEAD + 2 * PAD));
		para(st, h, SZ_TEXT, 0, C_BLACK, 1, -1, 0, 0);
		free(h);
		table_begin(st, &t2);
		for (i = 0; i < r->nunchecked; i++) {
			struct cell row[2];
			char *m = clean(r->unchecked[i].message, NULL, NULL);
			char *why = clean(r->unchecked[i].reason, NULL, NULL);

			row[0] = C(clean(r->unchecked[i].rule, NULL, NULL));
			row[1] = C(xasprintf("%s\n未检查：%s", m, why));
			draw_row(st, &t2, row, 0);
			free_row(row, 2);
			free(m);
			free(why);
		}
	}
}

/* Height of 四、审核意见 (its heading and box), which never stands alone on a page. */
#define OPINION_H (SZ_HEAD * 0.6 + SZ_HEAD * LEAD + 2 + 6 * 24 + 40 + 0.5)

/* Note the characters of s that no installed font draws (see op_text). */
static void
scan_missing(struct pdf_state *st, const char *s)
{
	size_t i = 0, n = strlen(s), l;

	while (i < n) {
		uint32_t cp = utf8_decode(s + i, n - i, &l);

		if (cp != ' ' && pdf_font_for(st->o.font, cp) == NULL)
			note_missing(st, cp);
		i += l;
	}
}

/*
 * A paragraph kept on one page with keep points after it (the 审核意见
 * box), when both fit on a page at all.
 */
static void
para_keep(struct pdf_state *st, const char *s, double size, double indent, enum color c,
	int bold, long mo, long ml, int gray_mark, double keep)
{
	struct wrap_line *lines;
	size_t n = pdf_wrap(st->o.font, size, s, strlen(s), BODY_W - indent, &lines);
	double h = (double)n * size * LEAD + keep;

	free(lines);
	if (h <= Y_TOP - Y_BOTTOM)
		ensure(st, h);
	para(st, s, size, indent, c, bold, mo, ml, gray_mark);
}

/*
 * 三、报告结构: the last entry (or the note of □ characters after it, see
 * sheet_missing) stays on the page of 四、审核意见.
 */
static void
sheet_outline(struct pdf_state *st, const struct result *r)
{
	size_t i, k;

	heading(st, "三、报告结构", 0);
	if (r->noutline == 0) {
		para_keep(st, r->error ? "报告无法读取。" : "未识别出标题结构。", SZ_TEXT, 0, C_BLACK, 0,
		    -1, 0, 0, st->nmissing ? 0 : OPINION_H);
		return;
	}
	for (i = 0; i < r->noutline; i++) {
		const struct outline_node *o = &r->outline[i];
		const char *secname = NULL;
		struct buf b;
		char *s;
		long mo;
		int lvl = o->level < 1 ? 0 : o->level - 1;

		buf_init(&b);
		if (o->kind == NODE_TITLE)
			buf_adds(&b, "标题：");
		if (o->numbering) {
			s = clean(o->numbering, NULL, NULL);
			buf_adds(&b, s);
			free(s);
		}
		s = clean(o->text, NULL, NULL);
		buf_adds(&b, s);
		free(s);
		mo = (long)b.len;
		buf_printf(&b, "（第%d行）", o->line);
		if (o->section)
			for (k = 0; k < r->nsection; k++)
				if (r->sections[k].id && strcmp(r->sections[k].id, o->section) == 0)
					secname = r->sections[k].name;
		if (secname && (o->text == NULL || strcmp(o->text, secname) != 0)) {
			s = clean(secname, NULL, NULL);
			buf_printf(&b, "〔%s〕", s);
			free(s);
		}
		if (i + 1 == r->noutline)
			scan_missing(st, b.s);
		para_keep(st, b.s, SZ_TEXT, lvl > 4 ? 4 * 2 * SZ_TEXT : lvl * 2 * SZ_TEXT, C_BLACK,
		    o->level == 1, mo, (long)b.len - mo, 1,
		    i + 1 == r->noutline && st->nmissing == 0 ? OPINION_H : 0);
		buf_release(&b);
	}
}

/* The characters of this sheet drawn as □, listed once. */
static void
sheet_missing(struct pdf_state *st)
{
	struct buf b;
	size_t i;

	if (st->nmissing == 0)
		return;
	buf_init(&b);
	buf_adds(&b, "注：本单中以“□”代替的字符（本机已安装的字体都无法显示）：");
	for (i = 0; i < st->nmissing; i++)
		buf_printf(&b, "%sU+%04X", i ? "、" : "", (unsigned)st->missing[i]);
	buf_adds(&b, "。");
	st->y -= 4;
	para_keep(st, b.s, SZ_TEXT, 0, C_GRAY, 0, -1, 0, 0, OPINION_H);
	buf_release(&b);
}

static void
sheet_opinion(struct pdf_state *st)
{
	const double lines = 6, gap = 24, h = lines * gap + 40;
	const char *sig = "审核人：________________　　　　日期：________________";
	double top;
	int k;

	heading(st, "四、审核意见", 6 * 24 + 40);
	ensure(st, h);
	top = st->y;
	op_box(st, OP_BOX, M_LEFT, top - h, BODY_W, h, 1.0, C_BLACK);
	for (k = 1; k <= lines; k++)
		op_line(st, M_LEFT + 10, top - k * gap, BODY_W - 20, 0, 0.4, C_GRAY);
	op_text(st, M_LEFT + BODY_W - 10 - pdf_text_width(st->o.font, SZ_TEXT + 1, sig, strlen(sig)),
	    top - h + 14, SZ_TEXT + 1, C_BLACK, 0, sig, strlen(sig));
	st->y = top - h;
}

/* Names of the missing (and inline-only) sections, for the binder's cover. */
static char *
missing_list(const struct result *r)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	if (r->error)
		buf_adds(&b, "（无法读取）");
	for (i = 0; i < r->nsection; i++) {
		const struct section_result *s = &r->sections[i];

		if (s->status == SECTION_FOUND)
			continue;
		if (b.len)
			buf_adds(&b, "；");
		buf_adds(&b, s->name ? s->name : s->id);
		if (s->status == SECTION_INLINE)
			buf_adds(&b, "（仅正文提及）");
	}
	if (b.len == 0)
		buf_adds(&b, "—");
	{
		char *c = clean(b.s, NULL, NULL);

		buf_release(&b);
		return c;
	}
}

struct pdf_state *
pdf_open(const struct pdf_opts *o)
{
	struct pdf_state *st = xcalloc(1, sizeof(*st));

	st->o = *o;
	buf_init(&st->text);
	font_slot(st, o->font);
	return st;
}

size_t
pdf_pages(const struct pdf_state *st)
{
	return st->npages;
}

int
pdf_render(struct pdf_state *st, const struct result *r, struct error *err)
{
	size_t first = st->npages;
	struct entry *e;
	char *t;

	st->cur_sheet = (long)st->nentries;
	st->nmissing = 0;
	new_page(st);
	centered(st, "法治政府建设年度报告审核意见单", SZ_TITLE, 1);
	st->y -= 6;
	sheet_header(st, r);
	sheet_verdict(st, r);
	sheet_sections(st, r);
	sheet_findings(st, r);
	sheet_outline(st, r);
	sheet_missing(st);
	sheet_opinion(st);

	xgrow(&st->marks, &st->capmarks, st->nmarks + 1, sizeof(*st->marks));
	t = xasprintf("%s（%s）", r->meta.unit && *r->meta.unit ? r->meta.unit : "单位未识别",
	    base_name(r->file ? r->file : ""));
	st->marks[st->nmarks].title = clean(t, NULL, NULL);
	st->marks[st->nmarks++].page = first;
	free(t);
	xgrow(&st->entries, &st->capentries, st->nentries + 1, sizeof(*st->entries));
	e = &st->entries[st->nentries++];
	e->unit = clean(orq(r->meta.unit), NULL, NULL);
	e->file = clean(base_name(r->file ? r->file : ""), NULL, NULL);
	e->verdict = r->summary.verdict;
	e->errors = r->summary.errors;
	e->missing = missing_list(r);
	e->page = first;
	if (st->first_unit == NULL && r->meta.unit)
		st->first_unit = clean(r->meta.unit, NULL, NULL);
	return 0;
}

/*
 * The binder's cover: the county table, laid out as pages appended after
 * the sheets; offset is the number of cover pages (added to page numbers).
 */
static void
cover(struct pdf_state *st, size_t offset)
{
	static const double w[6] = {30, 140, 56, 36, 142, BODY_W - 30 - 140 - 56 - 36 - 142};
	static const char *const head[6] = {"序号", "单位", "结论", "错误", "缺少的必备内容", "页码"};
	struct table t = {6, w, head, SZ_TEXT};
	int cnt[4] = {0, 0, 0, 0};
	size_t i;
	char *s;

	st->cur_sheet = -1;
	new_page(st);
	centered(st, "法治政府建设年度报告审核汇总表", SZ_TITLE, 1);
	for (i = 0; i < st->nentries; i++)
		cnt[st->entries[i].verdict]++;
	s = xasprintf("共 %zu 份报告：合格 %d 份，需修改 %d 份，不合格 %d 份，无法读取 %d 份。",
	    st->nentries, cnt[VERDICT_PASS], cnt[VERDICT_REVISE], cnt[VERDICT_FAIL],
	    cnt[VERDICT_UNREADABLE]);
	st->y -= 4;
	para(st, s, SZ_TEXT, 0, C_BLACK, 0, -1, 0, 0);
	free(s);
	if (st->o.checked_at) {
		s = xasprintf("检查时间：%s", st->o.checked_at);
		para(st, s, SZ_TEXT, 0, C_BLACK, 0, -1, 0, 0);
		free(s);
	}
	st->y -= 6;
	table_begin(st, &t);
	for (i = 0; i < st->nentries; i++) {
		const struct entry *e = &st->entries[i];
		struct cell row[6];
		char *no = xasprintf("%zu", i + 1);
		char *er = xasprintf("%d", e->errors);
		char *pg = xasprintf("%zu", e->page + offset + 1);
		char *unit = xasprintf("%s\n%s", e->unit, e->file);

		row[0] = C(no);
		row[0].center = 1;
		row[1] = C(unit);
		row[1].mo = (long)strlen(e->unit) + 1;
		row[1].ml = (long)strlen(e->file);
		row[1].gray_mark = 1;
		row[2] = C(verdict_name_zh(e->verdict));
		row[2].color = verdict_color(e->verdict);
		row[3] = C(er);
		row[3].center = 1;
		row[4] = C(e->missing);
		row[5] = C(pg);
		row[5].center = 1;
		draw_row(st, &t, row, 0);
		free(no);
		free(er);
		free(pg);
		free(unit);
	}
}

/* ---------- output ---------- */

struct hpdf_err {
	HPDF_STATUS no, detail;
};

static void
on_error(HPDF_STATUS no, HPDF_STATUS detail, void *arg)
{
	struct hpdf_err *e = arg;

	if (e->no == 0) {
		e->no = no;
		e->detail = detail;
	}
}

static void
set_color(HPDF_Page pg, enum color c, int stroke)
{
	static const float rgb[][3] = {
		{0, 0, 0},             /* black */
		{0.80f, 0.05f, 0.05f}, /* red */
		{0.45f, 0.45f, 0.45f}, /* gray */
		{0.90f, 0.90f, 0.90f}, /* light */
		{0.10f, 0.20f, 0.60f}, /* blue */
		{0.05f, 0.50f, 0.15f}, /* green */
		{0.80f, 0.45f, 0.00f}, /* orange */
	};

	if (stroke)
		HPDF_Page_SetRGBStroke(pg, rgb[c][0], rgb[c][1], rgb[c][2]);
	else
		HPDF_Page_SetRGBFill(pg, rgb[c][0], rgb[c][1], rgb[c][2]);
}

/* The text of op as libharu is given it: each character as its code (pdf_embed). */
static const char *
op_codes(struct pdf_state *st, const struct op *op, struct buf *b)
{
	const char *s = st->text.s + op->text;
	const uint16_t *code = st->fonts[op->font].em.code;
	size_t n = strlen(s), i = 0, l;
	char ch[5];

	b->len = 0;
	while (i < n) {
		uint32_t cp = utf8_decode(s + i, n - i, &l);

		buf_add(b, ch, utf8_encode(cp <= 0xFFFF && code[cp] ? code[cp] : PDF_CODE_BASE, ch));
		i += l;
	}
	buf_addc(b, '\0');
	return b->s;
}

/*
 * The graphics state a page's content has set so far: emit_ops() writes
 * font, colours, line width and text rendering mode only when they change
 * (all of them outlast BT/ET).  -1: not set yet on this page.
 */
struct gstate {
	int font, fill, stroke, tr;
	HPDF_REAL size, lw;
};

static const struct gstate GSTATE_NEW = {-1, -1, -1, -1, -1, -1};

static void
gs_color(HPDF_Page pg, struct gstate *gs, enum color c, int stroke)
{
	int *cur = stroke ? &gs->stroke : &gs->fill;

	if (*cur != (int)c) {
		set_color(pg, c, stroke);
		*cur = (int)c;
	}
}

static void
gs_width(HPDF_Page pg, struct gstate *gs, double w)
{
	if (gs->lw != (HPDF_REAL)w) {
		HPDF_Page_SetLineWidth(pg, (HPDF_REAL)w);
		gs->lw = (HPDF_REAL)w;
	}
}

static void
emit_ops(struct pdf_state *st, HPDF_Page pg, HPDF_Font *fonts, size_t first, size_t n,
	struct gstate *gs, struct buf *tb)
{
	size_t i;

	for (i = first; i < first + n; i++) {
		const struct op *op = &st->ops[i];
		int tr;

		switch (op->kind) {
		case OP_TEXT:
			HPDF_Page_BeginText(pg);
			if (gs->font != op->font || gs->size != (HPDF_REAL)op->size) {
				HPDF_Page_SetFontAndSize(pg, fonts[op->font], (HPDF_REAL)op->size);
				gs->font = op->font;
				gs->size = (HPDF_REAL)op->size;
			}
			gs_color(pg, gs, op->color, 0);
			if (op->bold) {
				gs_color(pg, gs, op->color, 1);
				gs_width(pg, gs, op->size / 30);
			}
			tr = op->bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL;
			if (gs->tr != tr) {
				HPDF_Page_SetTextRenderingMode(pg, (HPDF_TextRenderingMode)tr);
				gs->tr = tr;
			}
			HPDF_Page_TextOut(pg, (HPDF_REAL)op->x, (HPDF_REAL)op->y, op_codes(st, op, tb));
			HPDF_Page_EndText(pg);
			break;
		case OP_LINE:
			gs_color(pg, gs, op->color, 1);
			gs_width(pg, gs, op->size);
			HPDF_Page_MoveTo(pg, (HPDF_REAL)op->x, (HPDF_REAL)op->y);
			HPDF_Page_LineTo(pg, (HPDF_REAL)(op->x + op->w), (HPDF_REAL)(op->y + op->h));
			HPDF_Page_Stroke(pg);
			break;
		case OP_BOX:
			gs_color(pg, gs, op->color, 1);
			gs_width(pg, gs, op->size);
			HPDF_Page_Rectangle(pg, (HPDF_REAL)op->x, (HPDF_REAL)op->y, (HPDF_REAL)op->w,
			    (HPDF_REAL)op->h);
			HPDF_Page_Stroke(pg);
			break;
		case OP_FILL:
			gs_color(pg, gs, op->color, 0);
			HPDF_Page_Rectangle(pg, (HPDF_REAL)op->x, (HPDF_REAL)op->y, (HPDF_REAL)op->w,
			    (HPDF_REAL)op->h);
			HPDF_Page_Fill(pg);
			break;
		}
	}
}

/*
 * s cut with "…" so that it is at most w points wide at size (a copy).
 */
static char *
fit_width(const struct pdf_font *f, const char *s, double size, double w)
{
	size_t n = strlen(s), i = 0, l;
	double x = 0, ell = pdf_text_width(f, size, "…", strlen("…"));
	size_t cut = 0;

	if (pdf_text_width(f, size, s, n) <= w)
		return xstrdup(s);
	while (i < n) {
		double a;

		utf8_decode(s + i, n - i, &l);
		a = pdf_text_width(f, size, s + i, l);
		if (x + a + ell > w)
			break;
		x += a;
		i += l;
		cut = i;
	}
	return xasprintf("%.*s…", (int)cut, s);
}

/*
 * The running header of page src (unit and file name, or the cover's
 * title; "第 n 页 共 N 页" within its sheet) and the page number below the
 * body ("— k —", k counted through the whole file), as header ops.
 */
static void
page_header(struct pdf_state *st, size_t src, size_t nsheet, size_t ncover)
{
	struct page *p = &st->pages[src];
	const double sz = 9, y = Y_TOP + 12;
	size_t k, n = 0, of = 0, number;
	char *left, *right, *num, *cut;
	double rw;

	number = src >= nsheet ? src - nsheet + 1 : src + ncover + 1;
	for (k = 0; k < st->npages; k++)
		if (st->pages[k].sheet == p->sheet) {
			of++;
			if (k <= src)
				n++;
		}
	if (p->sheet >= 0) {
		const struct entry *e = &st->entries[p->sheet];

		left = xasprintf("%s　%s", e->unit, e->file);
	} else {
		left = xstrdup("法治政府建设年度报告审核汇总表");
	}
	right = xasprintf("第 %zu 页 共 %zu 页", n, of);
	num = xasprintf("— %zu —", number);
	st->hpage = p;
	p->hfirst = st->nops;
	p->hn = 0;
	rw = pdf_text_width(st->o.font, sz, right, strlen(right));
	cut = fit_width(st->o.font, left, sz, BODY_W - rw - 2 * sz);
	op_text(st, M_LEFT, y, sz, C_GRAY, 0, cut, strlen(cut));
	op_text(st, M_LEFT + BODY_W - rw, y, sz, C_GRAY, 0, right, strlen(right));
	op_line(st, M_LEFT, y - 4, BODY_W, 0, 0.5, C_GRAY);
	op_text(st, (PAGE_W - pdf_text_width(st->o.font, 12, num, strlen(num))) / 2,
	    Y_BOTTOM - 7 * MM - 12, 12, C_BLACK, 0, num, strlen(num));
	st->hpage = NULL;
	free(left);
	free(right);
	free(num);
	free(cut);
}

static void
free_state(struct pdf_state *st)
{
	size_t i;

	free(st->ops);
	free(st->pages);
	buf_release(&st->text);
	for (i = 0; i < st->nfonts; i++) {
		free(st->fonts[i].used);
		pdf_embed_release(&st->fonts[i].em);
	}
	free(st->fonts);
	free(st->missing);
	for (i = 0; i < st->nmarks; i++)
		free(st->marks[i].title);
	free(st->marks);
	for (i = 0; i < st->nentries; i++) {
		free(st->entries[i].unit);
		free(st->entries[i].file);
		free(st->entries[i].missing);
	}
	free(st->entries);
	free(st->first_unit);
	free(st);
}

/* Names the stream's filter: its data are already a zlib stream. */
static HPDF_STATUS
flate_written(HPDF_Dict obj, HPDF_Stream stream)
{
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/*
 * Compress the data of stream dict d (a memory stream) with z (a zlib
 * stream kept for the whole PDF: libharu starts a new one for each stream)
 * and have them written as they are, named FlateDecode.
 */
struct zctx {
	z_stream z;
	struct buf in, out;
};

static void
zctx_release(struct zctx *zc)
{
	deflateEnd(&zc->z);
	buf_release(&zc->in);
	buf_release(&zc->out);
}

static int
precompress(HPDF_Dict d, struct zctx *zc)
{
	z_stream *z = &zc->z;
	struct buf *in = &zc->in, *out = &zc->out;
	HPDF_UINT i, n = HPDF_MemStream_GetBufCount(d->stream), l;
	uLong bound;
	int rc;

	in->len = 0;
	for (i = 0; i < n; i++) {
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(d->stream, i, &l);

		if (p == NULL)
			return -1;
		/* the last buffer is filled only up to the stream's size */
		if (in->len + l > d->stream->size)
			l = (HPDF_UINT)(d->stream->size - in->len);
		buf_add(in, (const char *)p, l);
	}
	if (deflateReset(z) != Z_OK)
		return -1;
	bound = deflateBound(z, (uLong)in->len) + 16;
	out->len = 0;
	xgrow(&out->s, &out->cap, bound + 1, 1);
	z->next_in = (Bytef *)in->s;
	z->avail_in = (uInt)in->len;
	z->next_out = (Bytef *)out->s;
	z->avail_out = (uInt)bound;
	rc = deflate(z, Z_FINISH);
	if (rc != Z_STREAM_END)
		return -1;
	HPDF_MemStream_FreeData(d->stream);
	if (HPDF_Stream_Write(d->stream, (HPDF_BYTE *)out->s, (HPDF_UINT)(bound - z->avail_out)) != HPDF_OK)
		return -1;
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = flate_written;
	return 0;
}

/*
 * A ToUnicode CMap (Adobe TN 5014) for a face drawn with the codes of e:
 * one bfrange per run of consecutive codes mapping to consecutive code
 * points, each within one high byte.  Replaces libharu's own /ToUnicode,
 * which is its encoder's CID CMap (begincidrange <0000> <FFFF>) and not a
 * ToUnicode map at all.
 */
/* "<XXXX>" and then c. */
static void
hex4(struct buf *b, uint32_t v, char c)
{
	static const char hx[] = "0123456789ABCDEF";
	char s[7];

	s[0] = '<';
	s[1] = hx[v >> 12 & 15];
	s[2] = hx[v >> 8 & 15];
	s[3] = hx[v >> 4 & 15];
	s[4] = hx[v & 15];
	s[5] = '>';
	s[6] = c;
	buf_add(b, s, 7);
}

static int
set_tounicode(HPDF_Doc pdf, HPDF_Font font, const struct pdf_embed *e, struct zctx *zc)
{
	HPDF_Dict tu = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	struct buf b, body;
	size_t nr = 0, chunk = 0, i = 0;
	int rc;

	if (tu == NULL)
		return -1;
	buf_init(&b);
	buf_init(&body);
	while (i < e->ncodes) {
		size_t k;
		uint32_t c = PDF_CODE_BASE + (uint32_t)i;

		if (e->cp[i] == 0) {
			i++;
			continue;
		}
		for (k = i; k + 1 < e->ncodes && e->cp[k + 1] == e->cp[k] + 1 &&
		    ((PDF_CODE_BASE + k + 1) >> 8) == (c >> 8) && (e->cp[k + 1] >> 8) == (e->cp[i] >> 8); k++)
			;
		/* at most 100 entries per block */
		if (chunk == 100) {
			buf_printf(&b, "%zu beginbfrange\n%sendbfrange\n", chunk, body.s);
			body.len = 0;
			body.s[0] = '\0';
			chunk = 0;
		}
		hex4(&body, c, ' ');
		hex4(&body, (uint32_t)(PDF_CODE_BASE + k), ' ');
		hex4(&body, e->cp[i], '\n');
		chunk++;
		nr++;
		i = k + 1;
	}
	if (chunk > 0)
		buf_printf(&b, "%zu beginbfrange\n%sendbfrange\n", chunk, body.s);
	rc = HPDF_Stream_WriteStr(tu->stream,
	    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n") != HPDF_OK;
	if (nr > 0)
		rc |= HPDF_Stream_WriteStr(tu->stream, b.s) != HPDF_OK;
	rc |= HPDF_Stream_WriteStr(tu->stream, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n") != HPDF_OK;
	rc |= precompress(tu, zc) != 0;
	rc |= HPDF_Dict_Add(font, "ToUnicode", tu) != HPDF_OK;
	buf_release(&b);
	buf_release(&body);
	return rc ? -1 : 0;
}

/*
 * A read-only libharu stream over n bytes at p, which stay the caller's
 * and must outlive the document: libharu would copy them into a memory
 * stream of its own byte by byte, and out again when writing.
 */
struct span {
	const unsigned char *p;
	HPDF_UINT n, pos;
};

static HPDF_STATUS
span_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct span *sp = s->attr;
	HPDF_UINT k = sp->n - sp->pos;

	if (k > *siz)
		k = *siz;
	memcpy(ptr, sp->p + sp->pos, k);
	sp->pos += k;
	*siz = k;
	return sp->pos == sp->n ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS
span_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct span *sp = s->attr;
	long to = mode == HPDF_SEEK_SET ? pos : mode == HPDF_SEEK_CUR ? (long)sp->pos + pos :
	    (long)sp->n + pos;

	if (to < 0 || to > (long)sp->n)
		return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
	sp->pos = (HPDF_UINT)to;
	return HPDF_OK;
}

static HPDF_INT32
span_tell(HPDF_Stream s)
{
	return (HPDF_INT32)((struct span *)s->attr)->pos;
}

static HPDF_UINT32
span_size(HPDF_Stream s)
{
	return ((struct span *)s->attr)->n;
}

static void
span_free(HPDF_Stream s)
{
	HPDF_FreeMem(s->mmgr, s->attr);
}

static HPDF_Stream
span_new(HPDF_MMgr mmgr, const unsigned char *p, size_t n)
{
	HPDF_Stream s = HPDF_GetMem(mmgr, sizeof(HPDF_Stream_Rec));
	struct span *sp;

	if (s == NULL)
		return NULL;
	if ((sp = HPDF_GetMem(mmgr, sizeof(*sp))) == NULL) {
		HPDF_FreeMem(mmgr, s);
		return NULL;
	}
	sp->p = p;
	sp->n = (HPDF_UINT)n;
	sp->pos = 0;
	memset(s, 0, sizeof(*s));
	s->sig_bytes = HPDF_STREAM_SIG_BYTES;
	s->type = HPDF_STREAM_CALLBACK;
	s->mmgr = mmgr;
	s->error = mmgr->error;
	s->read_fn = span_read;
	s->seek_fn = span_seek;
	s->tell_fn = span_tell;
	s->size_fn = span_size;
	s->free_fn = span_free;
	s->attr = sp;
	return s;
}

/*
 * The font descriptor libharu would write (CIDFontType2_BeforeWrite_Func,
 * which uses a descriptor already present), with the font program of e as
 * FontFile2: libharu would copy and compress the whole subset again for
 * every PDF, where e's comes mostly from compressed glyphs kept for the run.
 */
static int
set_descriptor(HPDF_Doc pdf, HPDF_Font font, const struct pdf_embed *e)
{
	HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
	HPDF_TTFontDefAttr da = (HPDF_TTFontDefAttr)def->attr;
	HPDF_Dict d = HPDF_Dict_New(pdf->mmgr), ff;
	HPDF_Stream sp;
	HPDF_STATUS ret = HPDF_OK;

	if (d == NULL || (ff = HPDF_DictStream_New(pdf->mmgr, pdf->xref)) == NULL)
		return -1;
	ff->filter = HPDF_STREAM_FILTER_NONE;
	ff->write_fn = flate_written;
	if ((sp = span_new(pdf->mmgr, e->data, e->len)) == NULL)
		return -1;
	HPDF_Stream_Free(ff->stream);
	ff->stream = sp;
	ret += HPDF_Dict_Add(d, "FontFile2", ff);
	ret += HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)e->length1);
	ret += HPDF_Dict_AddNumber(ff, "Length2", 0);
	ret += HPDF_Dict_AddNumber(ff, "Length3", 0);
	ret += HPDF_Xref_Add(pdf->xref, d);
	ret += HPDF_Dict_AddName(d, "Type", "FontDescriptor");
	ret += HPDF_Dict_AddNumber(d, "Ascent", def->ascent);
	ret += HPDF_Dict_AddNumber(d, "Descent", def->descent);
	ret += HPDF_Dict_AddNumber(d, "Flags", def->flags);
	ret += HPDF_Dict_Add(d, "FontBBox", HPDF_Box_Array_New(pdf->mmgr, def->font_bbox));
	ret += HPDF_Dict_AddName(d, "FontName", da->base_font);
	ret += HPDF_Dict_AddNumber(d, "ItalicAngle", def->italic_angle);
	ret += HPDF_Dict_AddNumber(d, "StemV", def->stemv);
	ret += HPDF_Dict_AddNumber(d, "XHeight", e->xheight);
	if (ret != HPDF_OK)
		return -1;
	def->descriptor = d;
	return 0;
}

/*
 * CIDToGIDMap: libharu writes one entry for each of the 65,536 codes; the
 * codes in use end at PDF_CODE_BASE + e->ncodes (later ones map to glyph 0).
 */
static int
set_gidmap(HPDF_Doc pdf, HPDF_Font font, const struct pdf_embed *e, struct zctx *zc)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	HPDF_Dict map = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	size_t n = PDF_CODE_BASE + e->ncodes, i;
	unsigned char *m;
	int rc;

	if (fa->map_stream == NULL || fa->descendant_font == NULL || map == NULL)
		return -1;
	m = xcalloc(n, 2);
	for (i = 0; i < e->ncodes; i++) {
		m[2 * (PDF_CODE_BASE + i)] = (unsigned char)(e->gid[i] >> 8);
		m[2 * (PDF_CODE_BASE + i) + 1] = (unsigned char)(e->gid[i] & 0xFF);
	}
	rc = HPDF_Stream_Write(map->stream, m, (HPDF_UINT)(2 * n)) == HPDF_OK ? 0 : -1;
	free(m);
	if (rc != 0 || precompress(map, zc) != 0)
		return -1;
	/* libharu's own map (all 65,536 codes) is left empty and unused */
	HPDF_MemStream_FreeData(fa->map_stream->stream);
	fa->map_stream = NULL;
	return HPDF_Dict_Add(fa->descendant_font, "CIDToGIDMap", map) == HPDF_OK ? 0 : -1;
}

/*
 * HPDF_LoadTTFontFromFile(pdf, file, HPDF_TRUE) for the face in e->skel,
 * read from memory (libharu 2.3.0 has no call for that: this is its
 * LoadTTFontFromStream, subset tag included).
 */
static const char *
load_skeleton(HPDF_Doc pdf, const struct pdf_embed *e)
{
	HPDF_Stream s = HPDF_MemStream_New(pdf->mmgr, (HPDF_UINT)e->skellen);
	HPDF_FontDef def, had;
	int i;

	if (s == NULL)
		return NULL;
	if (HPDF_Stream_Write(s, e->skel, (HPDF_UINT)e->skellen) != HPDF_OK) {
		HPDF_Stream_Free(s);
		return NULL;
	}
	if ((def = HPDF_TTFontDef_Load(pdf->mmgr, s, HPDF_TRUE)) == NULL)
		return NULL;
	if ((had = HPDF_Doc_FindFontDef(pdf, def->base_font)) != NULL) {
		HPDF_FontDef_Free(def);
		return had->base_font;
	}
	if (HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return NULL;
	}
	if (pdf->ttfont_tag[0] == 0) {
		memcpy(pdf->ttfont_tag, "HPDFAA", 6);
	} else {
		for (i = 5; i >= 0; i--) {
			pdf->ttfont_tag[i] += 1;
			if (pdf->ttfont_tag[i] > 'Z')
				pdf->ttfont_tag[i] = 'A';
			else
				break;
		}
	}
	HPDF_TTFontDef_SetTagName(def, (char *)pdf->ttfont_tag);
	return def->base_font;
}

/*
 * Characters every sheet draws (headings, labels, the sources quoted as
 * 依据, digits): the main face always carries their glyphs, first, so that
 * they are compressed once per run (pdf_font_embed).  Any character may be
 * missing here or listed without being drawn: this only decides which
 * glyphs travel together.
 */
static const char SHEET_CHARS[] =
    "-.0123456789:ABFLMQTUW_acdefloprtuxz—“"
    "”√、《》一三上下不与中为主举二于五人他件任会似位体作供依信修党全公共关"
    "其内况分则加包化单原县可号合名后告和四因在地备字存安定实审容察对导少履工"
    "年应府度建开式强必态息情意成执报据排推措提改政效数整文无日时普有期未本机"
    "条构查标核格检正比民求没治法清版状用的相督示社符第级纯结置职能范落行表要"
    "见规视警议论设误调负责足践较过进通部错镇问间需面页项领题高（），：；";

/*
 * HPDF_GetFont(pdf, name, "UTF-8") for a font loaded by load_skeleton().
 *
 * For the UTF-8 encoder, libharu's CIDFontType2_New() asks the font for
 * the glyph of every one of the 65,536 codes, then writes the widths of
 * codes 0 to 65,534 that differ from the default ("W") and a map of them
 * all ("CIDToGIDMap", which set_gidmap() replaces): a third of the work
 * of a sheet.  For an encoder whose to_unicode_fn is
 * HPDF_CMapEncoder_ToUnicode it asks only for the codes in the encoder's
 * cid_map, and stops the widths at the highest of them.  So for the call
 * the encoder is made one: its cid_map holds the codes the font maps (the
 * ranges of its cmap, all at PDF_CODE_BASE or above), and the code after
 * the last one, which the font does not map, so that the widths end where
 * the codes end.  Every code left out maps to glyph 0, whose width is the
 * default (libharu takes the default from glyph 0): the widths written
 * are the same, byte for byte.  Row 0 of cid_map is the UTF-8 encoder's
 * own scratch space (libharu keeps its decoding state there): it is put
 * aside for the call, and every entry changed is put back after it.
 * Anything unexpected -- a cmap not of format 4, a range below
 * PDF_CODE_BASE or reaching U+FFFE, an entry of cid_map already in use --
 * gets libharu's own loop.
 */
static HPDF_Font
get_font(HPDF_Doc pdf, const char *name)
{
	static const HPDF_UINT16 zero[256];
	HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");
	HPDF_FontDef def = HPDF_Doc_FindFontDef(pdf, name);
	HPDF_UINT16 row0[256];
	HPDF_UNICODE *saved;
	HPDF_TTFontDefAttr da;
	HPDF_CMapEncoderAttr ea;
	HPDF_Encoder_ToUnicode_Func was;
	HPDF_Font font;
	unsigned i, nseg, last = 0, u;
	size_t ncodes = 0, k;

	if (enc == NULL || def == NULL || def->type != HPDF_FONTDEF_TYPE_TRUETYPE ||
	    enc->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE ||
	    enc->to_unicode_fn == HPDF_CMapEncoder_ToUnicode)
		return HPDF_GetFont(pdf, name, "UTF-8");
	da = (HPDF_TTFontDefAttr)def->attr;
	ea = (HPDF_CMapEncoderAttr)enc->attr;
	nseg = da->cmap.seg_count_x2 / 2;
	if (da->cmap.format != 4 || nseg == 0)
		return HPDF_GetFont(pdf, name, "UTF-8");
	for (i = 0; i < nseg; i++) {
		unsigned from = da->cmap.start_count[i], to = da->cmap.end_count[i];

		if (from == 0xFFFF)
			continue; /* the closing range */
		if (from < PDF_CODE_BASE || to >= 0xFFFE || from > to)
			return HPDF_GetFont(pdf, name, "UTF-8");
		if (to > last)
			last = to;
		ncodes += to - from + 1;
	}
	if (last == 0 || ncodes > 0x10000)
		return HPDF_GetFont(pdf, name, "UTF-8");
	for (i = 1; i < 256; i++)
		if (memcmp(ea->cid_map[i], zero, sizeof(zero)) != 0)
			return HPDF_GetFont(pdf, name, "UTF-8");
	/* the unicode_map entries used are put aside (libharu fills them with U+25A1) */
	saved = xmalloc((ncodes + 1) * sizeof(*saved));
	memcpy(row0, ea->cid_map[0], sizeof(row0));
	memset(ea->cid_map[0], 0, sizeof(row0));
	k = 0;
	for (i = 0; i < nseg; i++)
		if (da->cmap.start_count[i] != 0xFFFF)
			for (u = da->cmap.start_count[i]; u <= da->cmap.end_count[i]; u++) {
				saved[k++] = ea->unicode_map[u >> 8][u & 0xFF];
				ea->cid_map[u >> 8][u & 0xFF] = (HPDF_UINT16)u;
				ea->unicode_map[u >> 8][u & 0xFF] = (HPDF_UNICODE)u;
			}
	u = last + 1;
	saved[k] = ea->unicode_map[u >> 8][u & 0xFF];
	ea->cid_map[u >> 8][u & 0xFF] = (HPDF_UINT16)u;
	ea->unicode_map[u >> 8][u & 0xFF] = (HPDF_UNICODE)u;
	was = enc->to_unicode_fn;
	enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	font = HPDF_GetFont(pdf, name, "UTF-8");
	enc->to_unicode_fn = was;
	/* everything as it was: cid_map zero but for row 0, unicode_map as saved */
	for (i = 1; i < 256; i++)
		memset(ea->cid_map[i], 0, sizeof(zero));
	memcpy(ea->cid_map[0], row0, sizeof(row0));
	k = 0;
	for (i = 0; i < nseg; i++)
		if (da->cmap.start_count[i] != 0xFFFF)
			for (u = da->cmap.start_count[i]; u <= da->cmap.end_count[i]; u++)
				ea->unicode_map[u >> 8][u & 0xFF] = saved[k++];
	u = last + 1;
	ea->unicode_map[u >> 8][u & 0xFF] = saved[k];
	free(saved);
	return font;
}

/* Load face u (subset to the code points it draws) into pdf. */
static HPDF_Font
load_font(HPDF_Doc pdf, struct used_font *u, const struct used_font *primary, struct zctx *zc,
	struct hpdf_err *he, struct error *err)
{
	uint32_t *cps = NULL, fixed[sizeof(SHEET_CHARS)];
	size_t ncp = 0, capcp = 0, i, nfixed = 0;
	int rc;
	const char *name;
	HPDF_Font font;

	for (i = 0; i < 0x10000; i += 32) {
		uint32_t wd = u->used[i >> 5];
		size_t b;

		for (b = 0; wd != 0; b++, wd >>= 1)
			if (wd & 1) {
				xgrow(&cps, &capcp, ncp + 1, sizeof(*cps));
				cps[ncp++] = (uint32_t)(i + b);
			}
	}
	if (u == primary) {
		size_t n = strlen(SHEET_CHARS), l;

		for (i = 0; i < n; i += l)
			fixed[nfixed++] = utf8_decode(SHEET_CHARS + i, n - i, &l);
	}
	rc = pdf_font_embed((struct pdf_font *)u->f, cps, ncp, fixed, nfixed, &u->em, err);
	free(cps);
	if (rc != 0)
		return NULL;
	name = load_skeleton(pdf, &u->em);
	font = name ? get_font(pdf, name) : NULL;
	if (font == NULL || set_tounicode(pdf, font, &u->em, zc) != 0 ||
	    set_descriptor(pdf, font, &u->em) != 0 || set_gidmap(pdf, font, &u->em, zc) != 0) {
		error_set(err, "无法把字体 %s 嵌入 PDF（libharu 错误 0x%04X）：请用 --font 换一种 "
		    "TrueType 字体", pdf_font_path(u->f), (unsigned)he->no);
		return NULL;
	}
	return font;
}

/* libharu's output going to a stdio stream. */
static HPDF_STATUS
fp_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
	return fwrite(ptr, 1, siz, (FILE *)s->attr) == siz ? HPDF_OK :
	    HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
}

/*
 * Draw everything into a libharu document and write it to fp, or when fp
 * is NULL return its bytes.
 */
static int
build(struct pdf_state *st, size_t ncover, FILE *fp, char **data, size_t *len,
	struct error *err)
{
	struct hpdf_err he = {0, 0};
	HPDF_Doc pdf;
	HPDF_Font *fonts;
	HPDF_Page *pg;
	size_t i, nsheet = st->npages - ncover;
	char *title;
	struct buf tb;
	struct zctx zc;
	int rc = -1;

	memset(&zc, 0, sizeof(zc));
	if (deflateInit(&zc.z, Z_BEST_SPEED) != Z_OK)
		return error_set(err, "无法初始化压缩");
	buf_init(&zc.in);
	buf_init(&zc.out);
	buf_init(&tb);
	for (i = 0; i < st->npages; i++)
		page_header(st, i, nsheet, ncover);
	if ((pdf = HPDF_New(on_error, &he)) == NULL) {
		zctx_release(&zc);
		return error_set(err, "libharu 无法建立 PDF 文档");
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	fonts = xcalloc(st->nfonts, sizeof(*fonts));
	for (i = 0; i < st->nfonts; i++)
		if ((fonts[i] = load_font(pdf, &st->fonts[i], &st->fonts[0], &zc, &he, err)) == NULL) {
			free(fonts);
			HPDF_Free(pdf);
			zctx_release(&zc);
			buf_release(&tb);
			return -1;
		}
	title = st->o.binder ? xstrdup("法治政府建设年度报告审核汇总") :
	    xasprintf("法治政府建设年度报告审核意见单%s%s", st->first_unit ? "：" : "",
	    st->first_unit ? st->first_unit : "");
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, title);
	free(title);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT,
	    st->o.binder ? "审核汇总表与各单位审核意见单" : "法治政府建设年度报告审核意见单");
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, st->o.creator ? st->o.creator : "fzreport");
	HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "fzreport (libharu)");
	pg = xcalloc(st->npages, sizeof(*pg));
	/* cover pages (laid out last) come first */
	for (i = 0; i < st->npages; i++) {
		size_t src = i < ncover ? nsheet + i : i - ncover;
		struct gstate gs = GSTATE_NEW;

		pg[src] = HPDF_AddPage(pdf);
		HPDF_Page_SetSize(pg[src], HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
		emit_ops(st, pg[src], fonts, st->pages[src].first, st->pages[src].n, &gs, &tb);
		emit_ops(st, pg[src], fonts, st->pages[src].hfirst, st->pages[src].hn, &gs, &tb);
		if (precompress(((HPDF_PageAttr)pg[src]->attr)->contents, &zc) != 0 && he.no == 0)
			he.no = HPDF_FAILD_TO_ALLOC_MEM;
	}
	buf_release(&tb);
	free(fonts);
	if (st->o.binder) {
		HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");
		HPDF_Outline ol;

		HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
		if (ncover > 0) {
			ol = HPDF_CreateOutline(pdf, NULL, "审核汇总表", enc);
			HPDF_Outline_SetDestination(ol, HPDF_Page_CreateDestination(pg[nsheet]));
		}
		for (i = 0; i < st->nmarks; i++) {
			ol = HPDF_CreateOutline(pdf, NULL, st->marks[i].title, enc);
			HPDF_Outline_SetDestination(ol,
			    HPDF_Page_CreateDestination(pg[st->marks[i].page]));
		}
	}
	free(pg);
	if (fp != NULL) {
		/* HPDF_SaveToStream writes to pdf->stream when there is one */
		pdf->stream = HPDF_CallbackWriter_New(pdf->mmgr, fp_write, fp);
		if (he.no == 0 && pdf->stream != NULL && HPDF_SaveToStream(pdf) == HPDF_OK &&
		    !ferror(fp))
			rc = 0;
	} else if (he.no == 0 && HPDF_SaveToStream(pdf) == HPDF_OK) {
		HPDF_UINT32 sz = HPDF_GetStreamSize(pdf);

		*data = xmalloc(sz + 1);
		*len = sz;
		if (HPDF_ReadFromStream(pdf, (HPDF_BYTE *)*data, &sz) != HPDF_OK || sz != *len) {
			/* HPDF_ReadFromStream returns HPDF_STREAM_EOF at the end */
			if (sz != *len) {
				free(*data);
				*data = NULL;
			}
		}
		if (*data)
			rc = 0;
	}
	if (rc != 0)
		error_set(err, "libharu 无法生成 PDF（错误 0x%04X，详情 %u）", (unsigned)he.no,
		    (unsigned)he.detail);
	HPDF_Free(pdf);
	zctx_release(&zc);
	return rc;
}

static int
finish(struct pdf_state *st, FILE *fp, char **data, size_t *len, struct error *err)
{
	size_t ncover = 0;
	int rc = 0;

	if (data != NULL) {
		*data = NULL;
		*len = 0;
	}
	if (st->npages == 0)
		new_page(st);
	if (st->o.binder) {
		size_t np = st->npages, nops = st->nops, tl = st->text.len;

		/* lay the cover out once to count its pages, then for real */
		cover(st, 0);
		ncover = st->npages - np;
		st->npages = np;
		st->nops = nops;
		st->text.len = tl;
		st->text.s[tl] = '\0';
		cover(st, ncover);
		ncover = st->npages - np;
	}
	if (build(st, ncover, fp, data, len, err) != 0)
		rc = -1;
	free_state(st);
	return rc;
}

int
pdf_close_bytes(struct pdf_state *st, char **data, size_t *len, struct error *err)
{
	return finish(st, NULL, data, len, err);
}

int
pdf_close_fp(struct pdf_state *st, FILE *fp, struct error *err)
{
	return finish(st, fp, NULL, NULL, err);
}

int
pdf_close(struct pdf_state *st, int write, struct error *err)
{
	const char *path = st->o.path;
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (!write) {
		free_state(st);
		return 0;
	}
	if ((rc = finish(st, NULL, &data, &len, err)) == 0)
		rc = write_file_atomic(path, data, len, err);
	free(data);
	return rc;
}
