/*
 * load_docx.c: a .docx report read into the document model as Word
 * shows it.
 *
 * One struct para per w:p of the body, in document order, numbered from
 * 1 (empty paragraphs included).  The text is the final view: runs
 * joined, w:tab as '\t', w:ins kept and w:del dropped, fields shown by
 * their result (page numbers left out), hidden text (w:vanish, set on the
 * run or inherited from its styles or docDefaults) left out and noted,
 * and the number Word draws for a list paragraph (numbering.xml) put in
 * front.  A line break (w:br, w:cr) inside a paragraph becomes one space,
 * since a paragraph never contains '\n'; page and column breaks add
 * nothing.  Text boxes anchored in a paragraph follow that paragraph,
 * flagged PARA_TEXTBOX (only mc:Choice of mc:AlternateContent is read, so
 * the VML fallback copy is not read twice).  Table cells give paragraphs
 * flagged PARA_TABLE, except a table of one cell, which Word documents
 * use as a decorative line or frame.  Headers, footers, footnotes,
 * endnotes and comments go to doc->aside, one paragraph per line.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "diag.h"
#include "doc.h"
#include "docx_int.h"
#include "utf8.h"
#include "util.h"

#define FIELD_MAX 16

struct field {
	int result; /* past w:fldChar separate */
	int hide;   /* a page-number field: its result is not report text */
};

/* A relationship of the main document: its type (last path segment) and part name. */
struct rel {
	char *type;
	char *part;
	char *id;   /* r:id, may be NULL */
};

struct loader {
	struct doc *d;
	struct error *err;
	int failed;              /* err is set: the body could not be read (an altChunk) */
	struct docx_pkg *pkg;
	const struct rel *rels;  /* the main document's relationships (for altChunk) */
	size_t nrel;
	const struct rel **byid; /* rels with an id sorted by id, made at the first altChunk */
	size_t nbyid;
	struct docx_styles st;
	struct docx_numbering *nb;
	struct buf *aside;       /* non-NULL: paragraphs go here, not to the body */
	struct field fld[FIELD_MAX];
	int nfld;
	struct buf instr;        /* instruction of the innermost field being read */
	int n_ins, n_del, n_fmt; /* revisions */
	int rev_line, rev_col;
	int n_comref, com_line, com_col;
	size_t n_hidden;         /* characters of hidden text (w:vanish, direct or inherited) */
	int n_hidden_paras, hid_line, hid_col;
	int have_sect;
	struct docx_map *map;    /* non-NULL: record where each paragraph's text comes from */
};

/* The paragraph being built. */
struct pctx {
	struct buf text;
	xmlNode **tx;            /* text boxes anchored here, read after it */
	size_t ntx, txcap;
	int captured;            /* run properties taken from the first non-empty run */
	struct docx_props run;
	struct run_span *spans;  /* fonts of the runs with text (offsets into text) */
	size_t nspans, spancap;
	int pstyle;              /* paragraph style index, -1 */
	int rev_here, com_here, hid_here;
	size_t rev_byte, com_byte, hid_byte;
	struct docx_seg *segs;   /* with ld->map: the runs' pieces of text */
	size_t nseg, segcap;
	size_t *brk;             /* offsets into text of the spaces written for w:br, w:cr */
	size_t nbrk, brkcap;
};

static void block(struct loader *ld, xmlNode *parent, unsigned flags, int depth);
static void alt_chunk(struct loader *ld, xmlNode *c, unsigned flags);

static int
field_visible(const struct loader *ld)
{
	int i;

	/* fields nested deeper than FIELD_MAX are not tracked: their text is
	 * left out rather than read from past the end of fld[] */
	if (ld->nfld > FIELD_MAX)
		return 0;
	for (i = 0; i < ld->nfld; i++)
		if (!ld->fld[i].result || ld->fld[i].hide)
			return 0;
	return 1;
}

/* Is a field instruction a page number (PAGE, NUMPAGES, SECTIONPAGES, PAGEREF)? */
static int
page_field(const char *instr)
{
	size_t k;

	while (*instr == ' ')
		instr++;
	k = strcspn(instr, " \\");
	return (k == 4 && strncmp(instr, "PAGE", 4) == 0) ||
		(k == 8 && strncmp(instr, "NUMPAGES", 8) == 0) ||
		(k == 12 && strncmp(instr, "SECTIONPAGES", 12) == 0) ||
		(k == 7 && strncmp(instr, "PAGEREF", 7) == 0);
}

static void
add_text_node(struct buf *b, const xmlNode *n)
{
	const xmlNode *c;
	size_t start = b->len, i;

	for (c = n->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			buf_adds(b, (const char *)c->content);
	/* line ends in a text node are spaces (memchr: the text runs long, the ends are rare) */
	for (i = start; i < b->len; i++) {
		char *nl = memchr(b->s + i, '\n', b->len - i);

		if (nl == NULL)
			break;
		*nl = ' ';
		i = (size_t)(nl - b->s);
	}
	for (i = start; i < b->len; i++) {
		char *cr = memchr(b->s + i, '\r', b->len - i);

		if (cr == NULL)
			break;
		*cr = ' ';
		i = (size_t)(cr - b->s);
	}
}

static void
note_revision(struct loader *ld, struct pctx *pc, int *counter)
{
	(*counter)++;
	if (ld->rev_line == 0 && ld->aside == NULL && pc != NULL && !pc->rev_here) {
		pc->rev_here = 1;
		pc->rev_byte = pc->text.len;
	}
}

/* Collect the w:txbxContent elements under a drawing, skipping mc:Fallback. */
static void
find_textboxes(struct pctx *pc, xmlNode *n, int depth)
{
	xmlNode *c;

	if (depth > DOCX_DEPTH_MAX)
		return;
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || docx_islocal(c, "Fallback"))
			continue;
		if (docx_isw(c, "txbxContent")) {
			xgrow(&pc->tx, &pc->txcap, pc->ntx + 1, sizeof(*pc->tx));
			pc->tx[pc->ntx++] = c;
			continue;
		}
		find_textboxes(pc, c, depth + 1);
	}
}

/* A w:sym: the character, mapped out of the symbol fonts' private range. */
static void
add_sym(struct buf *b, const xmlNode *n)
{
	const char *v = docx_attr(n, "char");
	char tmp[4];
	unsigned long cp;

	if (v == NULL)
		return;
	cp = strtoul(v, NULL, 16);
	if (cp >= 0xF020 && cp <= 0xF07E)
		cp -= 0xF000;
	if (cp < 0x20 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return;
	buf_add(b, tmp, utf8_encode((uint32_t)cp, tmp));
}

/* The properties of a run: direct, character style chain, paragraph style chain, defaults. */
static void
run_props(struct loader *ld, struct pctx *pc, xmlNode *rpr, struct docx_props *p)
{
	docx_props_init(p);
	docx_props_read_rpr(p, rpr);
	docx_style_resolve(&ld->st,
		docx_style_find(&ld->st, docx_attr(docx_child(rpr, "rStyle"), "val")), p);
	docx_style_resolve(&ld->st, pc->pstyle, p);
	docx_props_merge(p, &ld->st.defaults);
}

/* A run's font from byte off of the paragraph text on; merged with the span before when alike. */
static void
add_span(struct loader *ld, struct pctx *pc, const struct docx_props *p, size_t off)
{
	const char *font = docx_font_name(&ld->st, p);
	double size = p->sz > 0 ? p->sz / 2.0 : 10.0;
	int bold = p->bold == 1;
	struct run_span *last = pc->nspans ? &pc->spans[pc->nspans - 1] : NULL;

	if (last != NULL && last->size_pt == size && last->bold == bold &&
		((last->font == NULL && font == NULL) ||
			(last->font != NULL && font != NULL && strcmp(last->font, font) == 0)))
		return;
	xgrow(&pc->spans, &pc->spancap, pc->nspans + 1, sizeof(*pc->spans));
	last = &pc->spans[pc->nspans++];
	last->off = off;
	last->font = font != NULL ? xstrdup(font) : NULL;
	last->size_pt = size;
	last->bold = bold;
}

/*
 * Hidden text: the text a hidden run added after byte before is taken out
 * again and counted (characters other than spaces), with the place of the
 * first for the note.
 */
static void
drop_hidden(struct loader *ld, struct pctx *pc, size_t before)
{
	size_t i, n = 0;

	for (i = before; i < pc->text.len; i++)
		if ((pc->text.s[i] & 0xC0) != 0x80 && pc->text.s[i] != ' ' && pc->text.s[i] != '\t')
			n++;
	pc->text.len = before;
	pc->text.s[before] = '\0';
	while (pc->nbrk > 0 && pc->brk[pc->nbrk - 1] >= before)
		pc->nbrk--;
	if (n == 0 || ld->aside != NULL)
		return;
	if (!pc->hid_here) {
		pc->hid_here = 1;
		pc->hid_byte = before;
		ld->n_hidden_paras++;
	}
	ld->n_hidden += n;
}

/* Record that bytes [from, text.len) of the paragraph come from element c of run r. */
static void
add_seg(struct pctx *pc, xmlNode *r, xmlNode *c, size_t from, int text, int field)
{
	struct docx_seg *g;

	xgrow(&pc->segs, &pc->segcap, pc->nseg + 1, sizeof(*pc->segs));
	g = &pc->segs[pc->nseg++];
	g->off = from;
	g->len = pc->text.len - from;
	g->run = r;
	g->node = c;
	g->text = text;
	g->field = field;
}

/* A line break within the paragraph: a space in the text, its place noted. */
static void
add_break(struct pctx *pc)
{
	xgrow(&pc->brk, &pc->brkcap, pc->nbrk + 1, sizeof(*pc->brk));
	pc->brk[pc->nbrk++] = pc->text.len;
	buf_addc(&pc->text, ' ');
}

static void
run(struct loader *ld, struct pctx *pc, xmlNode *r, int depth)
{
	xmlNode *c, *rpr = docx_child(r, "rPr");
	const char *v;
	size_t before = pc->text.len, seg_from;
	struct docx_props rp;
	int hidden;

	/* w:vanish may come from the run, its character style, the paragraph
	 * style or docDefaults: resolved like the font */
	run_props(ld, pc, rpr, &rp);
	hidden = rp.vanish == 1;
	if (rpr != NULL && docx_child(rpr, "rPrChange") != NULL)
		note_revision(ld, pc, &ld->n_fmt);
	for (c = r->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docx_isw(c, "fldChar")) {
			v = docx_attr(c, "fldCharType");
			if (v == NULL)
				continue;
			if (strcmp(v, "begin") == 0) {
				if (ld->nfld < FIELD_MAX) {
					ld->fld[ld->nfld].result = 0;
					ld->fld[ld->nfld].hide = 0;
				}
				ld->nfld++;
				ld->instr.len = 0;
				if (ld->instr.s != NULL)
					ld->instr.s[0] = '\0';
			} else if (strcmp(v, "separate") == 0 && ld->nfld > 0 && ld->nfld <= FIELD_MAX) {
				ld->fld[ld->nfld - 1].result = 1;
				ld->fld[ld->nfld - 1].hide = page_field(ld->instr.s ? ld->instr.s : "");
			} else if (strcmp(v, "end") == 0 && ld->nfld > 0) {
				ld->nfld--;
			}
			continue;
		}
		if (docx_isw(c, "instrText")) {
			if (ld->nfld > 0)
				add_text_node(&ld->instr, c);
			continue;
		}
		if (docx_isw(c, "drawing") || docx_isw(c, "pict") || docx_islocal(c, "AlternateContent") ||
			docx_isw(c, "object")) {
			find_textboxes(pc, c, depth + 1);
			continue;
		}
		if (docx_isw(c, "commentReference")) {
			ld->n_comref++;
			if (ld->com_line == 0 && ld->aside == NULL && !pc->com_here) {
				pc->com_here = 1;
				pc->com_byte = pc->text.len;
			}
			continue;
		}
		if (!field_visible(ld))
			continue;
		seg_from = pc->text.len;
		if (docx_isw(c, "t")) {
			add_text_node(&pc->text, c);
		} else if (docx_isw(c, "tab") || docx_isw(c, "ptab")) {
			buf_addc(&pc->text, '\t');
		} else if (docx_isw(c, "br")) {
			v = docx_attr(c, "type");
			if (v == NULL || strcmp(v, "textWrapping") == 0)
				add_break(pc);
		} else if (docx_isw(c, "cr")) {
			add_break(pc);
		} else if (docx_isw(c, "sym")) {
			add_sym(&pc->text, c);
		} else if (docx_isw(c, "noBreakHyphen")) {
			buf_addc(&pc->text, '-');
		}
		if (ld->map != NULL && ld->aside == NULL && pc->text.len > seg_from)
			add_seg(pc, r, c, seg_from, docx_isw(c, "t"), ld->nfld > 0);
	}
	if (hidden && pc->text.len > before) {
		/* and the pieces the position map recorded for it */
		while (pc->nseg > 0 && pc->segs[pc->nseg - 1].off >= before)
			pc->nseg--;
		drop_hidden(ld, pc, before);
		return;
	}
	if (pc->text.len > before && ld->aside == NULL) {
		size_t i;

		for (i = before; i < pc->text.len; i++)
			if (pc->text.s[i] != ' ' && pc->text.s[i] != '\t')
				break;
		if (i < pc->text.len) {
			if (!pc->captured) {
				pc->captured = 1;
				pc->run = rp;
			}
			add_span(ld, pc, &rp, i);
		}
	}
}

/* The inline content of a paragraph (runs and their wrappers). */
static void
inline_content(struct loader *ld, struct pctx *pc, xmlNode *parent, int depth)
{
	xmlNode *c;
	const char *instr;
	int hide;

	if (depth > DOCX_DEPTH_MAX)
		return;
	for (c = parent->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docx_isw(c, "r")) {
			run(ld, pc, c, depth);
		} else if (docx_isw(c, "ins") || docx_isw(c, "moveTo")) {
			note_revision(ld, pc, &ld->n_ins);
			inline_content(ld, pc, c, depth + 1);
		} else if (docx_isw(c, "del") || docx_isw(c, "moveFrom")) {
			note_revision(ld, pc, &ld->n_del);
		} else if (docx_isw(c, "fldSimple")) {
			instr = docx_attr(c, "instr");
			hide = instr != NULL && page_field(instr);
			if (!hide)
				inline_content(ld, pc, c, depth + 1);
		} else if (docx_isw(c, "sdt")) {
			xmlNode *k = docx_child(c, "sdtContent");

			if (k != NULL)
				inline_content(ld, pc, k, depth + 1);
		} else if (docx_islocal(c, "AlternateContent")) {
			xmlNode *k;

			for (k = c->children; k != NULL; k = k->next)
				if (docx_islocal(k, "Choice")) {
					inline_content(ld, pc, k, depth + 1);
					break;
				}
		} else if (docx_isw(c, "commentRangeStart")) {
			if (ld->com_line == 0 && ld->aside == NULL && !pc->com_here) {
				pc->com_here = 1;
				pc->com_byte = pc->text.len;
			}
		} else if (docx_isw(c, "hyperlink") || docx_isw(c, "smartTag") ||
			docx_isw(c, "customXml") || docx_isw(c, "bdo") || docx_isw(c, "dir")) {
			inline_content(ld, pc, c, depth + 1);
		}
	}
}

static double
twips_mm(const xmlNode *n, const char *attr)
{
	const char *v = docx_attr(n, attr);
	double x;

	if (v == NULL)
		return 0;
	x = strtod(v, NULL) / 56.6929;
	if (x < 0)
		x = -x;
	return x < 10000 ? x : 0; /* also NaN and infinity */
}

static void
section_read(struct loader *ld, struct page_layout *pg, xmlNode *sz, xmlNode *mar, xmlNode *grid)
{
	const char *type;
	double pitch, tw, th, fs, cs;

	pg->have = 1;
	pg->width = twips_mm(sz, "w");
	pg->height = twips_mm(sz, "h");
	pg->top = twips_mm(mar, "top");
	pg->bottom = twips_mm(mar, "bottom");
	pg->left = twips_mm(mar, "left");
	pg->right = twips_mm(mar, "right");
	if (grid == NULL)
		return;
	type = docx_attr(grid, "type");
	if (type == NULL || strcmp(type, "default") == 0)
		return;
	th = (pg->height - pg->top - pg->bottom) * 56.6929;
	tw = (pg->width - pg->left - pg->right) * 56.6929;
	pitch = docx_attr(grid, "linePitch") ? strtod(docx_attr(grid, "linePitch"), NULL) : 0;
	if (th <= 0 || tw <= 0)
		return;
	if (pitch >= 20 && pitch < 100000)
		pg->lines_per_page = (int)(th / pitch + 0.01);
	if (strcmp(type, "linesAndChars") == 0 || strcmp(type, "snapToChars") == 0) {
		/* character pitch = default font size + charSpace/4096 points */
		fs = ld->st.defaults.sz > 0 ? ld->st.defaults.sz / 2.0 : 10.5;
		cs = docx_attr(grid, "charSpace") ? strtod(docx_attr(grid, "charSpace"), NULL) : 0;
		if (fs + cs / 4096.0 >= 1 && fs + cs / 4096.0 < 10000)
			pg->chars_per_line = (int)(tw / 20.0 / (fs + cs / 4096.0) + 0.01);
	}
}

/*
 * Page size, margins and grid of a w:sectPr (the end of a section), added
 * to doc->sections; the first is also doc->page.
 */
static void
section(struct loader *ld, xmlNode *sp)
{
	struct page_layout *pg;
	xmlNode *sz = docx_child(sp, "pgSz"), *mar = docx_child(sp, "pgMar");
	xmlNode *grid = docx_child(sp, "docGrid");
	size_t cap;

	if (ld->aside != NULL)
		return;
	cap = ld->d->nsections;
	xgrow(&ld->d->sections, &cap, ld->d->nsections + 1, sizeof(*ld->d->sections));
	pg = &ld->d->sections[ld->d->nsections++];
	memset(pg, 0, sizeof(*pg));
	section_read(ld, pg, sz, mar, grid);
	if (!ld->have_sect) {
		ld->have_sect = 1;
		ld->d->page = *pg;
	}
}


static void
set_layout(struct loader *ld, struct pctx *pc, struct para_layout *lay, const struct docx_props *pp)
{
	struct docx_props r;
	const char *font;

	if (pc->captured) {
		r = pc->run;
	} else {
		docx_props_init(&r);
		docx_style_resolve(&ld->st, pc->pstyle, &r);
		docx_props_merge(&r, &ld->st.defaults);
	}
	font = docx_font_name(&ld->st, &r);
	lay->font = font != NULL ? xstrdup(font) : NULL;
	lay->size_pt = r.sz > 0 ? r.sz / 2.0 : 10.0;
	lay->bold = r.bold == 1;
	lay->align = pp->jc >= 0 ? (enum para_align)pp->jc : ALIGN_LEFT;
	if (pp->line > 0 && pp->line_rule > 0)
		lay->line_pt = pp->line / 20.0;
	else
		lay->line_mult = pp->line > 0 ? pp->line / 240.0 : 1.0;
	if (pp->first_chars >= 0 && (pp->first_chars > 0 || pp->first_twips <= 0))
		lay->indent_chars = pp->first_chars / 100.0;
	else if (pp->first_twips > 0)
		lay->indent_chars = pp->first_twips / (lay->size_pt * 20.0);
	else if (pp->first_chars < -1)
		lay->indent_chars = pp->first_chars / 100.0;
}

/* Make the revision or comment position of this paragraph a note position. */
static void
fix_positions(struct loader *ld, struct pctx *pc, const char *s, size_t numlen, int line)
{
	if (pc->rev_here && ld->rev_line == 0) {
		ld->rev_line = line;
		ld->rev_col = (int)utf8_count(s, numlen + pc->rev_byte) + 1;
	}
	if (pc->com_here && ld->com_line == 0) {
		ld->com_line = line;
		ld->com_col = (int)utf8_count(s, numlen + pc->com_byte) + 1;
	}
	if (pc->hid_here && ld->hid_line == 0) {
		ld->hid_line = line;
		ld->hid_col = (int)utf8_count(s, numlen + pc->hid_byte) + 1;
	}
}

static void
paragraph(struct loader *ld, xmlNode *p, unsigned flags, int depth)
{
	struct pctx pc;
	struct docx_props pp, chain;
	struct buf num, all;
	xmlNode *ppr = docx_child(p, "pPr"), *k;
	const char *style_id;
	struct para *para;
	size_t idx, i;
	int title = 0, lvl, autonum = 0;

	memset(&pc, 0, sizeof(pc));
	buf_init(&pc.text);
	buf_init(&num);
	buf_init(&all);
	style_id = docx_attr(docx_child(ppr, "pStyle"), "val");
	pc.pstyle = docx_style_find(&ld->st, style_id);
	if (pc.pstyle < 0)
		pc.pstyle = ld->st.default_para;
	docx_props_init(&pp);
	docx_props_read_ppr(&pp, ppr);
	docx_props_init(&chain);
	docx_style_resolve(&ld->st, pc.pstyle, &chain);
	if (ppr != NULL) {
		if (docx_child(ppr, "pPrChange") != NULL)
			note_revision(ld, &pc, &ld->n_fmt);
		if ((k = docx_child(ppr, "rPr")) != NULL) {
			if (docx_child(k, "ins") != NULL)
				note_revision(ld, &pc, &ld->n_ins);
			if (docx_child(k, "del") != NULL)
				note_revision(ld, &pc, &ld->n_del);
		}
		if ((k = docx_child(ppr, "sectPr")) != NULL)
			section(ld, k);
	}
	inline_content(ld, &pc, p, depth + 1);

	lvl = pp.outline >= 0 ? pp.outline : chain.outline;
	docx_props_merge(&pp, &chain);
	docx_props_merge(&pp, &ld->st.defaults);
	if (ld->aside == NULL && pp.num_id > 0)
		autonum = docx_numbering_next(ld->nb, pp.num_id, pp.ilvl, style_id, &num);
	buf_add(&all, num.s ? num.s : "", num.len);
	buf_add(&all, pc.text.s ? pc.text.s : "", pc.text.len);
	if (ld->aside != NULL) {
		buf_add(ld->aside, all.s ? all.s : "", all.len);
		buf_addc(ld->aside, '\n');
	} else {
		idx = doc_add_para(ld->d, all.s ? all.s : "", all.len, (int)ld->d->npara + 1);
		para = &ld->d->paras[idx];
		if (!ld->d->over)
			for (i = 0; i < pc.nbrk; i++)
				doc_add_break(ld->d, para->off + num.len + pc.brk[i]);
		para->flags = flags;
		if (autonum) {
			para->flags |= PARA_AUTONUM;
			para->numlen = num.len;
		}
		if (lvl >= 0 && lvl <= 8) {
			para->outline_lvl = lvl + 1;
			para->flags |= PARA_STYLED;
		} else if (lvl < 0) {
			int h = docx_style_heading(&ld->st, pc.pstyle, &title);

			if (h > 0) {
				para->outline_lvl = h;
				para->flags |= PARA_STYLED;
			}
			para->title_style = title;
		}
		set_layout(ld, &pc, &para->lay, &pp);
		for (i = 0; i < pc.nspans; i++)
			pc.spans[i].off += num.len;
		para->lay.spans = pc.spans;
		para->lay.nspans = pc.nspans;
		pc.spans = NULL;
		pc.nspans = 0;
		fix_positions(ld, &pc, all.s ? all.s : "", num.len, para->line);
		if (ld->map != NULL && idx == ld->map->npara) {
			struct docx_pmap *pm;
			xgrow(&ld->map->paras, &ld->map->pcap, ld->map->npara + 1,
			    sizeof(*ld->map->paras));
			pm = &ld->map->paras[ld->map->npara++];
			pm->p = p;
			pm->numlen = autonum ? num.len : 0;
			pm->segs = pc.segs;
			pm->nseg = pc.nseg;
			pm->cap = pc.segcap;
			pc.segs = NULL;
		}
	}
	free(pc.segs);
	free(pc.brk);
	buf_release(&num);
	buf_release(&all);
	buf_release(&pc.text);
	for (i = 0; i < pc.nspans; i++)
		free(pc.spans[i].font);
	free(pc.spans);
	for (i = 0; i < pc.ntx; i++)
		block(ld, pc.tx[i], flags | PARA_TEXTBOX, depth + 1);
	free(pc.tx);
}

/* Rows and cells of a table; is it more than one cell? */
static int
count_cells(xmlNode *tbl)
{
	xmlNode *tr, *tc;
	int n = 0;

	for (tr = tbl->children; tr != NULL; tr = tr->next) {
		if (!docx_isw(tr, "tr"))
			continue;
		for (tc = tr->children; tc != NULL; tc = tc->next)
			if (docx_isw(tc, "tc") || docx_isw(tc, "sdt"))
				n++;
	}
	return n;
}

static void
table(struct loader *ld, xmlNode *tbl, unsigned flags, int depth)
{
	xmlNode *tr, *tc;
	unsigned f = count_cells(tbl) > 1 ? flags | PARA_TABLE : flags;

	for (tr = tbl->children; tr != NULL; tr = tr->next) {
		if (!docx_isw(tr, "tr"))
			continue;
		for (tc = tr->children; tc != NULL; tc = tc->next) {
			if (docx_isw(tc, "tc"))
				block(ld, tc, f, depth + 2);
			else if (docx_isw(tc, "sdt") && docx_child(tc, "sdtContent"))
				block(ld, docx_child(tc, "sdtContent"), f, depth + 2);
		}
	}
}

/* Does s[0..n) start with the prefix p, ignoring leading white space and ASCII case? */
static int
starts_with(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		n--;
	}
	return n >= k && strncasecmp(s, p, k) == 0;
}

/* Does s[0..n) contain p (ASCII case ignored) in its first 4 KB? */
static int
mentions(const char *s, size_t n, const char *p)
{
	size_t i, k = strlen(p), m = n < 4096 ? n : 4096;

	for (i = 0; i + k <= m; i++)
		if (strncasecmp(s + i, p, k) == 0)
			return 1;
	return 0;
}

static int
relid_cmp(const void *a, const void *b)
{
	const struct rel *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

/*
 * A w:altChunk of the body: content in another format that Word converts
 * on opening (OA systems embed HTML this way).  HTML is read
 * (docx_chunk.c); anything else stops the load with a hint, since reading
 * the report without it would find every part missing.
 */
static void
alt_chunk(struct loader *ld, xmlNode *c, unsigned flags)
{
	const char *id = docx_attr(c, "id"), *part = NULL, *kind;
	const struct rel key = {NULL, NULL, (char *)id}, *kp = &key, **hit;
	char *data = NULL;
	size_t i, n = 0;
	int rc;

	if (id == NULL)
		return;
	if (ld->byid == NULL) {
		ld->byid = xmalloc((ld->nrel + 1) * sizeof(*ld->byid));
		for (i = 0; i < ld->nrel; i++)
			if (ld->rels[i].id != NULL)
				ld->byid[ld->nbyid++] = &ld->rels[i];
		if (ld->nbyid > 1)
			qsort(ld->byid, ld->nbyid, sizeof(*ld->byid), relid_cmp);
	}
	hit = ld->nbyid > 0 ? bsearch(&kp, ld->byid, ld->nbyid, sizeof(*ld->byid), relid_cmp) : NULL;
	if (hit == NULL)
		return;
	part = (*hit)->part;
	rc = docx_read_part(ld->pkg, part, &data, &n, ld->err);
	if (rc == -1) {
		ld->failed = 1;
		return;
	}
	if (rc == 0)
		return;
	kind = starts_with(data, n, "PK") ? "Word 文档（.docx）"
		: starts_with(data, n, "{\\rtf") ? "RTF"
		: mentions(data, n, "MIME-Version") ? "MHT 网页归档"
		: mentions(data, n, "<html") || mentions(data, n, "<body") || mentions(data, n, "<p") ||
			mentions(data, n, "<div") ? NULL
		: "未知";
	if (kind != NULL) {
		error_set(ld->err, "%s：正文嵌入了 %s 格式的内容块（altChunk），无法读取；"
			"请在 Word 中打开后另存为 .docx", part, kind);
		ld->failed = 1;
	} else if (docx_chunk_html(part, data, n, ld->d, flags, ld->err) == -1) {
		ld->failed = 1;
	}
	free(data);
}

/* Block content: the body, a table cell, a text box, a header... */
static void
block(struct loader *ld, xmlNode *parent, unsigned flags, int depth)
{
	xmlNode *c, *k;

	if (depth > DOCX_DEPTH_MAX)
		return;
	for (c = parent->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docx_isw(c, "p")) {
			paragraph(ld, c, flags, depth);
		} else if (docx_isw(c, "tbl")) {
			table(ld, c, flags, depth + 1);
		} else if (docx_isw(c, "sdt")) {
			if ((k = docx_child(c, "sdtContent")) != NULL)
				block(ld, k, flags, depth + 1);
		} else if (docx_isw(c, "customXml") || docx_isw(c, "ins") || docx_isw(c, "moveTo")) {
			block(ld, c, flags, depth + 1);
		} else if (docx_islocal(c, "AlternateContent")) {
			for (k = c->children; k != NULL; k = k->next)
				if (docx_islocal(k, "Choice")) {
					block(ld, k, flags, depth + 1);
					break;
				}
		} else if (docx_isw(c, "sectPr")) {
			section(ld, c);
		} else if (docx_isw(c, "altChunk") && ld->aside == NULL && !ld->failed) {
			alt_chunk(ld, c, flags);
		}
	}
}

/* ---- package-level parts ---- */

static void
rels_release(struct rel *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].type);
		free(v[i].part);
		free(v[i].id);
	}
	free(v);
}

static int
rel_cmp(const void *a, const void *b)
{
	const struct rel *x = a, *y = b;
	int c = strcmp(x->type, y->type);

	return c != 0 ? c : strcmp(x->part, y->part);
}

/* Part name of a relationship target, relative to the directory dir ("word/"). */
static char *
rel_part(const char *dir, const char *target)
{
	if (target[0] == '/')
		return xstrdup(target + 1);
	return xasprintf("%s%s", dir, target);
}

/*
 * Read a .rels part: the internal relationships, type = the last segment
 * of the Type URI.  -1 on error; a missing part gives none.
 */
static int
read_rels(struct docx_pkg *pkg, const char *part, const char *dir, struct rel **out, size_t *nout,
	struct error *err)
{
	xmlDoc *x;
	xmlNode *root, *c;
	const char *type, *target, *mode, *slash;
	size_t cap = 0;

	*out = NULL;
	*nout = 0;
	if (docx_parse_lean(pkg, part, DOCX_READ, &x, err) == -1)
		return -1;
	if (x == NULL)
		return 0;
	root = xmlDocGetRootElement(x);
	for (c = root ? root->children : NULL; c != NULL; c = c->next) {
		if (!docx_islocal(c, "Relationship"))
			continue;
		type = docx_attr(c, "Type");
		target = docx_attr(c, "Target");
		mode = docx_attr(c, "TargetMode");
		if (type == NULL || target == NULL || (mode && strcmp(mode, "External") == 0))
			continue;
		slash = strrchr(type, '/');
		xgrow(out, &cap, *nout + 1, sizeof(**out));
		(*out)[*nout].type = xstrdup(slash ? slash + 1 : type);
		(*out)[*nout].part = rel_part(dir, target);
		(*out)[*nout].id = xstrdup_null(docx_attr(c, "Id"));
		(*nout)++;
	}
	xmlFreeDoc(x);
	return 0;
}

static const char *
rel_find(const struct rel *v, size_t n, const char *type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].type, type) == 0)
			return v[i].part;
	return NULL;
}

static char *
text_of(xmlNode *n)
{
	xmlChar *s = xmlNodeGetContent(n);
	char *r = NULL;

	if (s != NULL && *s != '\0')
		r = xstrdup((const char *)s);
	xmlFree(s);
	return r;
}

static int
core_props(struct docx_pkg *pkg, struct doc *d, struct error *err)
{
	xmlDoc *x;
	xmlNode *root, *c;

	if (docx_parse_lean(pkg, "docProps/core.xml", DOCX_READ, &x, err) == -1)
		return -1;
	if (x == NULL)
		return 0;
	root = xmlDocGetRootElement(x);
	for (c = root ? root->children : NULL; c != NULL; c = c->next) {
		if (docx_islocal(c, "title") && d->core_title == NULL)
			d->core_title = text_of(c);
		else if (docx_islocal(c, "creator") && d->core_creator == NULL)
			d->core_creator = text_of(c);
		else if (docx_islocal(c, "modified") && d->core_modified == NULL)
			d->core_modified = text_of(c);
	}
	xmlFreeDoc(x);
	return 0;
}

/*
 * Headers, footers, footnotes, endnotes and comments into doc->aside.
 * Footnote separators are skipped; comments are counted.
 */
static int
aside_parts(struct loader *ld, struct docx_pkg *pkg, struct rel *rels, size_t nrel, int *ncomments)
{
	static const char *const types[] = {"header", "footer", "footnotes", "endnotes", "comments"};
	struct buf aside;
	xmlDoc *x;
	xmlNode *root, *c;
	const char *t;
	size_t i, j;
	int rc = 0;

	buf_init(&aside);
	if (nrel > 0)
		qsort(rels, nrel, sizeof(*rels), rel_cmp);
	ld->aside = &aside;
	/* the stated sizes first: hundreds of parts are refused before any is parsed */
	for (j = 0; j < sizeof(types) / sizeof(types[0]) && rc == 0; j++)
		for (i = 0; i < nrel && rc == 0; i++)
			if (strcmp(rels[i].type, types[j]) == 0)
				rc = docx_plan_part(pkg, rels[i].part, ld->err);
	for (j = 0; j < sizeof(types) / sizeof(types[0]) && rc == 0; j++) {
		for (i = 0; i < nrel && rc == 0; i++) {
			if (strcmp(rels[i].type, types[j]) != 0)
				continue;
			if (docx_parse_lean(pkg, rels[i].part, DOCX_BODY, &x, ld->err) == -1) {
				rc = -1;
				break;
			}
			if (x == NULL || (root = xmlDocGetRootElement(x)) == NULL) {
				xmlFreeDoc(x);
				continue;
			}
			ld->nfld = 0;
			if (j <= 1) {
				block(ld, root, 0, 1);
			} else {
				for (c = root->children; c != NULL; c = c->next) {
					if (c->type != XML_ELEMENT_NODE)
						continue;
					t = docx_attr(c, "type");
					if (t != NULL && strcmp(t, "normal") != 0)
						continue;
					if (j == 4 && docx_isw(c, "comment"))
						(*ncomments)++;
					block(ld, c, 0, 2);
				}
			}
			xmlFreeDoc(x);
		}
	}
	ld->aside = NULL;
	if (aside.len > 0)
		ld->d->aside = buf_detach(&aside);
	buf_release(&aside);
	return rc;
}

/*
 * What load_docx_mem() holds while it reads, on the heap so that it is
 * still known after a longjmp (xalloc_recover()) and freed there too.
 */
struct held {
	struct loader ld;
	struct docx_pkg pkg;
	struct rel *top, *rels;
	size_t ntop, nrel;
	xmlDoc *xdoc, *xstyles, *xtheme, *xnum; /* NULL once taken over */
	char *dir, *rels_name;
	char *sbytes, *tbytes; /* styles.xml and the theme as read, NULL once kept */
	size_t ns, nt;
	int st_borrowed;       /* ld.st is the thread's kept table (docx_styles_keep) */
};

static void
held_release(struct held *h)
{
	docx_pkg_close(&h->pkg);
	xmlFreeDoc(h->xdoc);
	xmlFreeDoc(h->xstyles);
	xmlFreeDoc(h->xtheme);
	xmlFreeDoc(h->xnum);
	docx_numbering_free(h->ld.nb);
	if (!h->st_borrowed)
		docx_styles_release(&h->ld.st);
	free(h->sbytes);
	free(h->tbytes);
	buf_release(&h->ld.instr);
	free(h->ld.byid);
	rels_release(h->top, h->ntop);
	rels_release(h->rels, h->nrel);
	free(h->dir);
	free(h->rels_name);
	free(h);
}

/*
 * styles.xml and the theme into ld.st: each read in turn within the
 * limits, and parsed unless this thread built its table from the same
 * bytes before (a batch made from one template).  A styles.xml that does
 * not parse is refused before the theme is read.  0 or -1.
 */
static int
load_styles(struct held *h, struct error *err)
{
	const char *sp = rel_find(h->rels, h->nrel, "styles"), *tp = rel_find(h->rels, h->nrel, "theme");
	xmlDoc *xstyles, *xtheme;
	int parsed = 0;

	if (sp == NULL)
		sp = "word/styles.xml";
	if (docx_read_part(&h->pkg, sp, &h->sbytes, &h->ns, err) == -1)
		return -1;
	if (!docx_styles_cached(h->sbytes, h->ns, NULL, 0, 0, NULL)) {
		if (h->sbytes != NULL &&
			docx_parse_bytes(sp, h->sbytes, h->ns, DOCX_STYLES, &h->xstyles, err) == -1)
			return -1;
		parsed = 1;
	}
	if (tp != NULL && docx_read_part(&h->pkg, tp, &h->tbytes, &h->nt, err) == -1)
		return -1;
	if (!parsed && docx_styles_cached(h->sbytes, h->ns, h->tbytes, h->nt, 1, &h->ld.st)) {
		h->st_borrowed = 1;
		return 0;
	}
	if (!parsed && h->sbytes != NULL &&
		docx_parse_bytes(sp, h->sbytes, h->ns, DOCX_STYLES, &h->xstyles, err) == -1)
		return -1;
	if (h->tbytes != NULL && docx_parse_bytes(tp, h->tbytes, h->nt, DOCX_READ, &h->xtheme, err) == -1)
		return -1;
	/* taken over: the style table frees them (also when a jump leaves it half made) */
	xstyles = h->xstyles;
	xtheme = h->xtheme;
	h->xstyles = h->xtheme = NULL;
	docx_styles_load(&h->ld.st, xstyles, xtheme);
	if (h->sbytes != NULL && docx_styles_keep(&h->ld.st, h->sbytes, h->ns, h->tbytes, h->nt)) {
		h->sbytes = h->tbytes = NULL;
		h->st_borrowed = 1;
	}
	return 0;
}

void
docx_map_release(struct docx_map *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->npara; i++)
		free(m->paras[i].segs);
	free(m->paras);
	free(m->part);
	free(m->rels);
	xmlFreeDoc(m->xml);
	memset(m, 0, sizeof(*m));
}

int
load_docx_mem(const char *name, const char *data, size_t n, struct doc *d, struct error *err)
{
	return load_docx_map(name, data, n, d, NULL, err);
}

/*
 * load_docx_mem() that also records, when map is not NULL, where each
 * paragraph's text came from (annotate); on failure the map is empty.
 */
int
load_docx_map(const char *name, const char *data, size_t n, struct doc *d, struct docx_map *map,
	struct error *err)
{
	struct held *h = xcalloc(1, sizeof(*h));
	jmp_buf env, *prev;
	xmlNode *root, *body;
	const char *main_part, *p;
	int ncomments = 0, rc = -1;
	char detail[160];

	error_clear(err);
	d->format = DOCFMT_DOCX;
	d->encoding = "UTF-8";
	/* out of memory: what is held is freed and the report is unreadable (doc_load) */
	prev = xalloc_recover(&env);
	if (setjmp(env) != 0) {
		xalloc_recover(prev);
		held_release(h);
		docx_map_release(map);
		return error_set(err, "内存不足，无法读取这份报告（报告过大或本机内存不够）");
	}
	h->ld.d = d;
	h->ld.err = err;
	h->ld.map = map;
	if (map != NULL)
		memset(map, 0, sizeof(*map));
	buf_init(&h->ld.instr);
	docx_styles_load(&h->ld.st, NULL, NULL);
	if (docx_pkg_open(&h->pkg, data, n, err) == -1)
		goto out;
	h->pkg.name = name;
	if (read_rels(&h->pkg, "_rels/.rels", "", &h->top, &h->ntop, err) == -1)
		goto out;
	main_part = rel_find(h->top, h->ntop, "officeDocument");
	if (main_part == NULL)
		main_part = "word/document.xml";
	p = strrchr(main_part, '/');
	h->dir = p ? xstrndup(main_part, (size_t)(p - main_part + 1)) : xstrdup("");
	h->rels_name = xasprintf("%s_rels/%s.rels", h->dir, p ? p + 1 : main_part);
	h->pkg.main = main_part;
	/* annotate writes the main part back: its tree is whole */
	if (docx_parse_lean(&h->pkg, main_part, map != NULL ? DOCX_FULL : DOCX_BODY, &h->xdoc, err) == -1)
		goto out;
	if (h->xdoc == NULL) {
		error_set(err, "不是有效的 .docx 文件：缺少正文部件 %s", main_part);
		goto out;
	}
	root = xmlDocGetRootElement(h->xdoc);
	body = docx_child(root, "body");
	if (root == NULL || !docx_isw(root, "document") || body == NULL) {
		error_set(err, "%s：不是 Word 正文（缺少 w:document/w:body）", main_part);
		goto out;
	}
	if (read_rels(&h->pkg, h->rels_name, h->dir, &h->rels, &h->nrel, err) == -1)
		goto out;
	if (load_styles(h, err) == -1)
		goto out;
	if (docx_parse_lean(&h->pkg, rel_find(h->rels, h->nrel, "numbering") ? rel_find(h->rels, h->nrel, "numbering")
								    : "word/numbering.xml",
		    DOCX_BODY, &h->xnum, err) == -1)
		goto out;
	h->ld.nb = docx_numbering_new(h->xnum);
	h->xnum = NULL;
	if (core_props(&h->pkg, d, err) == -1)
		goto out;

	h->ld.pkg = &h->pkg;
	h->ld.rels = h->rels;
	h->ld.nrel = h->nrel;
	block(&h->ld, body, 0, 2);
	h->ld.rels = NULL;
	free(h->ld.byid);
	h->ld.byid = NULL;
	if (h->ld.failed)
		goto out;
	if (aside_parts(&h->ld, &h->pkg, h->rels, h->nrel, &ncomments) == -1)
		goto out;

	if (h->ld.n_ins + h->ld.n_del + h->ld.n_fmt > 0) {
		snprintf(detail, sizeof(detail), "插入 %d 处、删除 %d 处、格式修改 %d 处", h->ld.n_ins,
			h->ld.n_del, h->ld.n_fmt);
		doc_add_note(d, DIAG_DOCX_REVISIONS, h->ld.rev_line, h->ld.rev_col, detail);
	}
	if (h->ld.n_hidden > 0) {
		snprintf(detail, sizeof(detail), "%d 段中共 %zu 字", h->ld.n_hidden_paras, h->ld.n_hidden);
		doc_add_note(d, DIAG_DOCX_HIDDEN, h->ld.hid_line, h->ld.hid_col, detail);
	}
	if (ncomments > 0 || h->ld.n_comref > 0) {
		snprintf(detail, sizeof(detail), "共 %d 条批注",
			ncomments > 0 ? ncomments : h->ld.n_comref);
		doc_add_note(d, DIAG_DOCX_COMMENTS, h->ld.com_line, h->ld.com_col, detail);
	}
	if (map != NULL) {
		/* the tree the map points into now belongs to the map */
		map->xml = h->xdoc;
		map->part = xstrdup(main_part);
		map->rels = xstrdup(h->rels_name);
		h->xdoc = NULL;
	}
	rc = 0;
out:
	xalloc_recover(prev);
	held_release(h);
	if (rc != 0)
		docx_map_release(map);
	return rc;
}
