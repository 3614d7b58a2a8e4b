/*
 * docx_annotate.c: Word comments at the findings of a check, and the
 * rules' mechanical fixes as tracked changes, written into the report's
 * own package (see annotate.h).
 *
 * The text positions come from load_docx_map(): the loader that built the
 * model the rules ran on also records, per paragraph, which w:t (or w:tab,
 * w:sym ...) each byte of the text came from.  So a finding at paragraph
 * P, column C lands where the checker saw it, automatic numbering and the
 * document's own revisions considered, without a second set of rules for
 * reading document.xml.  Runs are split at the edges of each span (the
 * right half gets a copy of the w:rPr), then the comment markers and
 * revisions are put in; nothing else in the tree is touched.  The other
 * parts of the package are copied as they are (compressed data included).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <zip.h>

#include "annotate.h"
#include "docx_int.h"
#include "docx_write.h"
#include "template.h"
#include "utf8.h"

#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_COMMENTS \
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
#define CT_COMMENTS "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
#define AUTHOR "fzreport"

/* A comment to add: paragraph, byte range of its text (after the drawn number). */
struct cmt {
	size_t para, epara;  /* the range may end in a later paragraph (a title on two lines) */
	size_t x, y;         /* x in para, y in epara */
	long id;
	size_t *finds;   /* indexes into res->findings */
	size_t nfind;
};

/* A fix: bytes [x, y) of paragraph para become text. */
struct fixop {
	size_t para;
	size_t x, y;
	char *text;
};

struct ann {
	const struct result *res;
	const struct annotate_opts *o;
	struct doc d;
	struct docx_map map;
	xmlNs *ns;           /* the w: namespace of document.xml */
	long next_id;
	char date[32];
	struct cmt *c;
	size_t nc, ccap;
	struct fixop *f;
	size_t nf, fcap;
	struct annotate_stats st;
};

int
annotate_span(const struct doc *d, const struct finding *f, size_t *off, size_t *end)
{
	const struct para *p;
	const char *s;
	size_t b, e;

	if (f->line <= 0 || (size_t)f->line > d->npara)
		return -1;
	p = &d->paras[f->line - 1];
	s = d->text + p->off;
	b = f->column > 1 ? utf8_prefix(s, p->len, (size_t)f->column - 1) : 0;
	if (b > p->len)
		b = p->len;
	if (f->mark_off >= 0 && f->mark_len > 0)
		e = b + (size_t)f->mark_len;
	else
		e = p->len;
	if (e > p->len)
		e = p->len;
	*off = p->off + b;
	*end = p->off + e;
	return 0;
}

/* ---- the tree ---- */

/* Make the elements and attributes under n that use namespace old use ns. */
static void
relink_ns(xmlNode *n, xmlNs *old, xmlNs *ns, int depth)
{
	xmlAttr *at;
	xmlNode *c;

	if (depth > DOCX_DEPTH_MAX)
		return;
	if (n->ns == old)
		n->ns = ns;
	for (at = n->properties; at != NULL; at = at->next)
		if (at->ns == old)
			at->ns = ns;
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			relink_ns(c, old, ns, depth + 1);
}

static xmlNode *
wnode(struct ann *a, const char *name)
{
	return xmlNewDocNode(a->map.xml, a->ns, (const xmlChar *)name, NULL);
}

static void
wattr(struct ann *a, xmlNode *n, const char *name, const char *val)
{
	xmlNewNsProp(n, a->ns, (const xmlChar *)name, (const xmlChar *)val);
}

static void
wid(struct ann *a, xmlNode *n, long id)
{
	char v[32];

	snprintf(v, sizeof(v), "%ld", id);
	wattr(a, n, "id", v);
}

static void
set_text(xmlNode *t, const char *s, size_t n)
{
	xmlNodeSetContent(t, NULL);
	xmlNodeAddContentLen(t, (const xmlChar *)s, (int)n);
	xmlNodeSetSpacePreserve(t, 1);
}

/*
 * A copy of a w:rPr: the copy declares the namespaces it uses on itself
 * (xmlCopyNode has no parent to take them from); point it at the
 * document's w: namespace and drop that declaration again.
 */
static xmlNode *
copy_rpr(xmlNs *ns, xmlNode *rpr)
{
	xmlNode *c = xmlCopyNode(rpr, 1);
	xmlNs **pp = &c->nsDef;

	while (*pp != NULL) {
		if ((*pp)->prefix && ns->prefix && xmlStrEqual((*pp)->prefix, ns->prefix) &&
		    xmlStrEqual((*pp)->href, ns->href)) {
			xmlNs *dead = *pp;

			*pp = dead->next;
			dead->next = NULL;
			relink_ns(c, dead, ns, 0);
			xmlFreeNs(dead);
		} else {
			pp = &(*pp)->next;
		}
	}
	return c;
}

static xmlNode *
first_elem_child(xmlNode *n)
{
	xmlNode *c;

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !docx_isw(c, "rPr"))
			return c;
	return NULL;
}

/* Move node k's element and what follows it in its run into a new run after it. */
static void
split_run_before(struct ann *a, struct docx_pmap *pm, size_t k)
{
	struct docx_seg *g = &pm->segs[k];
	xmlNode *r = g->run, *r2, *c, *next, *rpr;
	size_t j;

	if (g->node->parent != r || first_elem_child(r) == g->node)
		return;
	r2 = xmlNewDocNode(a->map.xml, r->ns, (const xmlChar *)"r", NULL);
	if ((rpr = docx_child(r, "rPr")) != NULL)
		xmlAddChild(r2, copy_rpr(r->ns, rpr));
	for (c = g->node; c != NULL; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlAddChild(r2, c);
	}
	xmlAddNextSibling(r, r2);
	for (j = k; j < pm->nseg && pm->segs[j].run == r; j++)
		pm->segs[j].run = r2;
}

/* Split the w:t of text segment k at paragraph byte x (inside it). */
static int
split_text(struct docx_pmap *pm, size_t k, size_t x)
{
	struct docx_seg *g = &pm->segs[k], ng;
	xmlChar *s = xmlNodeGetContent(g->node);
	size_t cut = x - g->off;
	xmlNode *t2;

	if (s == NULL || strlen((char *)s) != g->len) {
		xmlFree(s);
		return -1;
	}
	t2 = xmlNewDocNode(g->node->doc, g->node->ns, (const xmlChar *)"t", NULL);
	set_text(t2, (char *)s + cut, g->len - cut);
	set_text(g->node, (char *)s, cut);
	xmlFree(s);
	xmlAddNextSibling(g->node, t2);
	ng = *g;
	ng.off = x;
	ng.len = g->len - cut;
	ng.node = t2;
	g->len = cut;
	xgrow(&pm->segs, &pm->cap, pm->nseg + 1, sizeof(*pm->segs));
	memmove(&pm->segs[k + 2], &pm->segs[k + 1], (pm->nseg - k - 1) * sizeof(*pm->segs));
	pm->segs[k + 1] = ng;
	pm->nseg++;
	return 0;
}

/* Make byte x of the paragraph's text (after the number) fall between two runs. */
static void
boundary(struct ann *a, struct docx_pmap *pm, size_t x)
{
	size_t k;

	for (k = 0; k < pm->nseg; k++) {
		struct docx_seg *g = &pm->segs[k];

		if (g->off == x) {
			split_run_before(a, pm, k);
			return;
		}
		if (g->off < x && x < g->off + g->len) {
			if (g->text && split_text(pm, k, x) == 0)
				split_run_before(a, pm, k + 1);
			return;
		}
	}
}

/* The ancestor of n that is a child of the paragraph p. */
static xmlNode *
top(xmlNode *p, xmlNode *n)
{
	while (n->parent != NULL && n->parent != p)
		n = n->parent;
	return n;
}

/* fzreport's w:del followed by its w:ins: the ins, else n. */
static xmlNode *
past_fix(xmlNode *n)
{
	const char *au;

	if (docx_isw(n, "del") && (au = docx_attr(n, "author")) != NULL &&
	    strcmp(au, AUTHOR) == 0 && n->next != NULL && docx_isw(n->next, "ins"))
		return n->next;
	return n;
}

/* The w:fldChar type of run n ("begin", "separate", "end"), or NULL. */
static const char *
fld_type(xmlNode *n)
{
	xmlNode *c;

	if (!docx_isw(n, "r"))
		return NULL;
	for (c = n->children; c != NULL; c = c->next)
		if (docx_isw(c, "fldChar"))
			return docx_attr(c, "fldCharType");
	return NULL;
}

/*
 * The run that begins (dir -1) or ends (dir 1) the complex field whose
 * result holds n, a child of the paragraph; n when none is found.  A
 * comment mark inside a field result is taken for part of it (LibreOffice
 * shows the comment's text there), so the marks go around the field.
 */
static xmlNode *
field_edge(xmlNode *n, int dir)
{
	xmlNode *k;
	const char *t;
	int depth = 0;

	for (k = dir < 0 ? n->prev : n->next; k != NULL; k = dir < 0 ? k->prev : k->next) {
		if ((t = fld_type(k)) == NULL)
			continue;
		if (strcmp(t, dir < 0 ? "end" : "begin") == 0) {
			depth++;
		} else if (strcmp(t, dir < 0 ? "begin" : "end") == 0) {
			if (depth == 0)
				return k;
			depth--;
		}
	}
	return n;
}

/*
 * Put the comment markers of c into its paragraphs: the start before the
 * first run from x on, the end after the last run up to y (after a fix's
 * w:ins when the run went into its w:del), then the reference run.
 */
static void
place_comment(struct ann *a, const struct cmt *c)
{
	struct docx_pmap *pm = &a->map.paras[c->para], *em = &a->map.paras[c->epara];
	xmlNode *start = wnode(a, "commentRangeStart"), *end = wnode(a, "commentRangeEnd");
	xmlNode *ref = wnode(a, "r"), *k;
	size_t i, first = pm->nseg, last = em->nseg;

	wid(a, start, c->id);
	wid(a, end, c->id);
	k = wnode(a, "commentReference");
	wid(a, k, c->id);
	xmlAddChild(ref, k);
	for (i = 0; i < pm->nseg; i++)
		if (pm->segs[i].off >= c->x) {
			first = i;
			break;
		}
	for (i = 0; i < em->nseg; i++)
		if ((c->epara != c->para || em->segs[i].off >= c->x) &&
		    em->segs[i].off + em->segs[i].len <= c->y && em->segs[i].len > 0)
			last = i;
	if (first < pm->nseg && pm->segs[first].field)
		xmlAddPrevSibling(field_edge(top(pm->p, pm->segs[first].run), -1), start);
	else if (first < pm->nseg)
		xmlAddPrevSibling(top(pm->p, pm->segs[first].run), start);
	else if (pm->nseg > 0)
		xmlAddNextSibling(past_fix(top(pm->p, pm->segs[pm->nseg - 1].run)), start);
	else
		xmlAddChild(pm->p, start);
	if (last < em->nseg && (c->epara != c->para || (first < pm->nseg && last >= first)) &&
	    em->segs[last].field)
		xmlAddNextSibling(field_edge(top(em->p, em->segs[last].run), 1), end);
	else if (last < em->nseg && (c->epara != c->para || (first < pm->nseg && last >= first)))
		xmlAddNextSibling(past_fix(top(em->p, em->segs[last].run)), end);
	else if (c->epara != c->para)
		xmlAddChild(em->p, end);
	else
		xmlAddNextSibling(start, end);
	xmlAddNextSibling(end, ref);
}

/* Is run r made of its w:rPr and text segments [i, j) only? */
static int
plain_run(const struct docx_pmap *pm, xmlNode *r, size_t i, size_t j)
{
	xmlNode *c;
	size_t k;

	for (c = r->children; c != NULL; c = c->next) {
		/* w:lastRenderedPageBreak only remembers where Word last broke the page */
		if (c->type != XML_ELEMENT_NODE || docx_isw(c, "rPr") ||
		    docx_isw(c, "lastRenderedPageBreak"))
			continue;
		for (k = i; k < j; k++)
			if (pm->segs[k].node == c)
				break;
		if (k == j)
			return 0;
	}
	return 1;
}

static void
rev_attrs(struct ann *a, xmlNode *n)
{
	wid(a, n, a->next_id++);
	wattr(a, n, "author", AUTHOR);
	wattr(a, n, "date", a->date);
}

/* Apply fix f as w:del + w:ins; 0, or -1 when its runs cannot hold one. */
static int
place_fix(struct ann *a, const struct fixop *f)
{
	struct docx_pmap *pm = &a->map.paras[f->para];
	xmlNode *del, *ins, *r, *t, *rpr;
	size_t i, first = pm->nseg, end = 0;

	for (i = 0; i < pm->nseg; i++) {
		const struct docx_seg *g = &pm->segs[i];

		if (g->off + g->len <= f->x || g->off >= f->y)
			continue;
		if (g->off < f->x || g->off + g->len > f->y || !g->text || g->field ||
		    g->run->parent != pm->p)
			return -1;
		if (first == pm->nseg)
			first = i;
		end = i + 1;
	}
	if (first == pm->nseg)
		return -1;
	for (i = first; i < end; i++)
		if (!plain_run(pm, pm->segs[i].run, first, end))
			return -1;
	del = wnode(a, "del");
	rev_attrs(a, del);
	xmlAddPrevSibling(pm->segs[first].run, del);
	for (i = first; i < end; i++) {
		if (pm->segs[i].run->parent != del) {
			xmlUnlinkNode(pm->segs[i].run);
			xmlAddChild(del, pm->segs[i].run);
		}
		xmlNodeSetName(pm->segs[i].node, (const xmlChar *)"delText");
		pm->segs[i].text = 0;
	}
	ins = wnode(a, "ins");
	rev_attrs(a, ins);
	r = wnode(a, "r");
	if ((rpr = docx_child(pm->segs[first].run, "rPr")) != NULL)
		xmlAddChild(r, copy_rpr(a->ns, rpr));
	t = wnode(a, "t");
	set_text(t, f->text, strlen(f->text));
	xmlAddChild(r, t);
	xmlAddChild(ins, r);
	xmlAddNextSibling(del, ins);
	return 0;
}

/* The largest numeric w:id under n. */
static long
max_id(xmlNode *n, long m, int depth)
{
	xmlNode *c;
	const char *v;

	if (depth > DOCX_DEPTH_MAX)
		return m;
	for (c = n; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if ((v = docx_attr(c, "id")) != NULL) {
			long x = strtol(v, NULL, 10);

			if (x > m && x < 1000000000L)
				m = x;
		}
		if (c->children != NULL)
			m = max_id(c->children, m, depth + 1);
	}
	return m;
}

/* ---- what to add ---- */

static const char *
sev_tag(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
	case SEV_FATAL:
		return "【错误】";
	case SEV_WARNING:
		return "【警告】";
	default:
		return "【提示】";
	}
}

static struct cmt *
add_cmt(struct ann *a, size_t para, size_t x, size_t y)
{
	struct cmt *c;

	xgrow(&a->c, &a->ccap, a->nc + 1, sizeof(*a->c));
	c = &a->c[a->nc++];
	memset(c, 0, sizeof(*c));
	c->para = c->epara = para;
	c->x = x;
	c->y = y;
	c->id = a->next_id++;
	return c;
}

static void
cmt_add_finding(struct cmt *c, size_t i)
{
	c->finds = xrealloc(c->finds, (c->nfind + 1) * sizeof(*c->finds));
	c->finds[c->nfind++] = i;
}

/* The paragraph that whole-document findings are put on: the title, else the first with text. */
static size_t
title_para(const struct ann *a)
{
	size_t i;

	for (i = 0; i < a->res->noutline; i++)
		if (a->res->outline[i].kind == NODE_TITLE && a->res->outline[i].line > 0 &&
		    (size_t)a->res->outline[i].line <= a->d.npara)
			return (size_t)a->res->outline[i].line - 1;
	for (i = 0; i < a->d.npara; i++)
		if (a->d.paras[i].len > 0 && !(a->d.paras[i].flags & PARA_TABLE))
			return i;
	return 0;
}

/*
 * A mark that runs past the end of its paragraph (a title set on two
 * lines) ends the comment in the paragraph where the mark ends.
 */
static void
span_end(struct ann *a, struct cmt *c, const struct finding *f)
{
	const struct doc *d = &a->d;
	const struct para *p = &d->paras[c->para];
	size_t b, e, k;

	if (f->mark_off < 0 || f->mark_len <= 0)
		return;
	b = f->column > 1 ? utf8_prefix(d->text + p->off, p->len, (size_t)f->column - 1) : 0;
	e = p->off + b + (size_t)f->mark_len;
	if (e <= p->off + p->len + 1)
		return;
	if (e > d->len)
		e = d->len;
	for (k = c->para + 1; k < d->npara && d->paras[k].off + d->paras[k].len < e; k++)
		;
	if (k >= d->npara || d->paras[k].off > e)
		return;
	c->epara = k;
	c->y = e - d->paras[k].off;
	c->y = c->y > a->map.paras[k].numlen ? c->y - a->map.paras[k].numlen : 0;
}

/* Does [x, y) of paragraph para overlap a fix already planned? */
static int
fix_overlaps(const struct ann *a, size_t para, size_t x, size_t y)
{
	size_t i;

	for (i = 0; i < a->nf; i++)
		if (a->f[i].para == para && x < a->f[i].y && a->f[i].x < y)
			return 1;
	return 0;
}

static void
plan(struct ann *a)
{
	const struct result *r = a->res;
	size_t whole = (size_t)-1, i, off, end;

	for (i = 0; i < r->nfinding; i++) {
		const struct finding *f = &r->findings[i];
		const struct para *p;
		struct cmt *c;
		size_t para, numlen, x, y;

		if (f->severity == SEV_FATAL)
			continue;
		a->st.findings++;
		if (annotate_span(&a->d, f, &off, &end) == -1) {
			if (whole == (size_t)-1) {
				add_cmt(a, title_para(a), 0, 0);
				whole = a->nc - 1;
			}
			cmt_add_finding(&a->c[whole], i);
			continue;
		}
		para = (size_t)f->line - 1;
		p = &a->d.paras[para];
		numlen = a->map.paras[para].numlen;
		x = off - p->off;
		y = end - p->off;
		if (y <= numlen && end > off)
			y = p->len;  /* only the drawn number: the paragraph */
		x = x > numlen ? x - numlen : 0;
		y = y > numlen ? y - numlen : 0;
		c = add_cmt(a, para, x, y);
		cmt_add_finding(c, i);
		span_end(a, c, f);
		if (a->o->rules != NULL && !a->o->no_fix && end > off && off - p->off >= numlen &&
		    c->epara == c->para) {
			const struct check_def *cd = rules_check(a->o->rules, f->rule);
			char *t = cd ? rules_fix_apply(cd, f->message, a->d.text + off, end - off) : NULL;

			if (t == NULL)
				continue;
			if (fix_overlaps(a, para, x, y)) {
				free(t);  /* a fix of a wider span covers it */
				continue;
			}
			xgrow(&a->f, &a->fcap, a->nf + 1, sizeof(*a->f));
			a->f[a->nf].para = para;
			a->f[a->nf].x = x;
			a->f[a->nf].y = y;
			a->f[a->nf].text = t;
			a->nf++;
		}
	}
	if (whole != (size_t)-1) {
		struct cmt *c = &a->c[whole];

		c->y = a->d.paras[c->para].len;
		c->y = c->y > a->map.paras[c->para].numlen ? c->y - a->map.paras[c->para].numlen : 0;
	}
}

/* ---- comments.xml ---- */

static void
comment_para(xmlDoc *doc, xmlNs *ns, xmlNode *cm, const char *text, int ref)
{
	xmlNode *p = xmlNewDocNode(doc, ns, (const xmlChar *)"p", NULL), *r, *t;

	xmlAddChild(cm, p);
	if (ref) {
		r = xmlNewDocNode(doc, ns, (const xmlChar *)"r", NULL);
		xmlAddChild(r, xmlNewDocNode(doc, ns, (const xmlChar *)"annotationRef", NULL));
		xmlAddChild(p, r);
	}
	r = xmlNewDocNode(doc, ns, (const xmlChar *)"r", NULL);
	t = xmlNewDocNode(doc, ns, (const xmlChar *)"t", NULL);
	xmlNodeAddContent(t, (const xmlChar *)text);
	xmlNodeSetSpacePreserve(t, 1);
	xmlAddChild(r, t);
	xmlAddChild(p, r);
}

static void
comment_fill(struct ann *a, xmlDoc *doc, xmlNs *ns, xmlNode *root, const struct cmt *c)
{
	xmlNode *cm = xmlNewDocNode(doc, ns, (const xmlChar *)"comment", NULL);
	char v[32];
	size_t i;

	snprintf(v, sizeof(v), "%ld", c->id);
	xmlNewNsProp(cm, ns, (const xmlChar *)"id", (const xmlChar *)v);
	xmlNewNsProp(cm, ns, (const xmlChar *)"author", (const xmlChar *)AUTHOR);
	xmlNewNsProp(cm, ns, (const xmlChar *)"date", (const xmlChar *)a->date);
	xmlNewNsProp(cm, ns, (const xmlChar *)"initials", (const xmlChar *)"FZ");
	xmlAddChild(root, cm);
	for (i = 0; i < c->nfind; i++) {
		const struct finding *f = &a->res->findings[c->finds[i]];
		char *s;

		if (f->more > 0)
			s = xasprintf("%s%s（%s；另有 %d 处同类问题）", sev_tag(f->severity), f->message,
			    f->rule, f->more);
		else
			s = xasprintf("%s%s（%s）", sev_tag(f->severity), f->message, f->rule);
		comment_para(doc, ns, cm, s, i == 0);
		free(s);
		if (f->source != NULL && *f->source) {
			s = xasprintf("依据：%s", f->source);
			comment_para(doc, ns, cm, s, 0);
			free(s);
		}
		if (f->hint != NULL && *f->hint) {
			s = xasprintf("修改建议：%s", f->hint);
			comment_para(doc, ns, cm, s, 0);
			free(s);
		}
	}
}

/* A serialised part, to be written into the new package. */
struct part {
	char *name;
	xmlChar *data;
	int len;
};

static void
dump(struct part *p, const char *name, xmlDoc *doc)
{
	p->name = xstrdup(name);
	xmlDocDumpMemoryEnc(doc, &p->data, &p->len, "UTF-8");
}

/* A part name not in the package, like word/comments.xml. */
static char *
free_name(zip_t *za, const char *dir)
{
	char *s = xasprintf("%scomments.xml", dir);
	int i;

	for (i = 2; zip_name_locate(za, s, 0) >= 0; i++) {
		free(s);
		s = xasprintf("%scomments%d.xml", dir, i);
	}
	return s;
}

/*
 * comments.xml (extended, or made with its relationship and content
 * type) into parts[]; *np counts them.  0 or -1.
 */
static int
comments_parts(struct ann *a, struct docx_pkg *pkg, struct part *parts, int *np,
	struct error *err)
{
	xmlDoc *rels = NULL, *cx = NULL, *ct = NULL;
	xmlNode *root, *c, *n;
	xmlNs *ns;
	const char *dir_end = strrchr(a->map.part, '/');
	char *dir = dir_end ? xstrndup(a->map.part, (size_t)(dir_end - a->map.part + 1)) : xstrdup("");
	char *cpart = NULL, *target;
	size_t i;
	int rc = -1;

	if (docx_parse_part(pkg, a->map.rels, &rels, err) == -1)
		goto out;
	for (c = rels ? xmlDocGetRootElement(rels)->children : NULL; c != NULL; c = c->next) {
		const char *type = docx_attr(c, "Type"), *t = docx_attr(c, "Target");

		if (docx_islocal(c, "Relationship") && type && t && strcmp(type, REL_COMMENTS) == 0) {
			cpart = t[0] == '/' ? xstrdup(t + 1) : xasprintf("%s%s", dir, t);
			break;
		}
	}
	if (cpart != NULL && docx_parse_part(pkg, cpart, &cx, err) == -1)
		goto out;
	if (cx != NULL && (root = xmlDocGetRootElement(cx)) != NULL && docx_isw(root, "comments")) {
		ns = root->ns;
		for (c = root->children; c != NULL; c = c->next)
			if (docx_isw(c, "comment"))
				break;
	} else {
		/* a new comments part, its relationship and its content type */
		xmlFreeDoc(cx);
		free(cpart);
		cpart = free_name(pkg->za, dir);
		cx = xmlNewDoc((const xmlChar *)"1.0");
		cx->standalone = 1;
		xmlDocSetRootElement(cx, root = xmlNewDocNode(cx, NULL, (const xmlChar *)"comments",
		    NULL));
		ns = xmlNewNs(root, a->ns->href, (const xmlChar *)"w");
		xmlSetNs(root, ns);
		if (rels == NULL) {
			rels = xmlNewDoc((const xmlChar *)"1.0");
			rels->standalone = 1;
			n = xmlNewDocNode(rels, NULL, (const xmlChar *)"Relationships", NULL);
			xmlDocSetRootElement(rels, n);
			xmlSetNs(n, xmlNewNs(n, (const xmlChar *)NS_PKG_REL, NULL));
		}
		n = xmlDocGetRootElement(rels);
		{
			char *id = NULL;
			int k;

			for (k = 1;; k++) {
				free(id);
				id = xasprintf("rIdFz%d", k);
				for (c = n->children; c != NULL; c = c->next)
					if (docx_attr(c, "Id") && strcmp(docx_attr(c, "Id"), id) == 0)
						break;
				if (c == NULL)
					break;
			}
			c = xmlNewDocNode(rels, n->ns, (const xmlChar *)"Relationship", NULL);
			xmlNewProp(c, (const xmlChar *)"Id", (const xmlChar *)id);
			xmlNewProp(c, (const xmlChar *)"Type", (const xmlChar *)REL_COMMENTS);
			target = xstrdup(cpart + strlen(dir));
			xmlNewProp(c, (const xmlChar *)"Target", (const xmlChar *)target);
			free(target);
			free(id);
			xmlAddChild(n, c);
		}
		dump(&parts[(*np)++], a->map.rels, rels);
		if (docx_parse_part(pkg, "[Content_Types].xml", &ct, err) == -1)
			goto out;
		if (ct == NULL || (n = xmlDocGetRootElement(ct)) == NULL) {
			error_set(err, "不是有效的 .docx 文件：缺少 [Content_Types].xml");
			goto out;
		}
		c = xmlNewDocNode(ct, n->ns, (const xmlChar *)"Override", NULL);
		target = xasprintf("/%s", cpart);
		xmlNewProp(c, (const xmlChar *)"PartName", (const xmlChar *)target);
		free(target);
		xmlNewProp(c, (const xmlChar *)"ContentType", (const xmlChar *)CT_COMMENTS);
		xmlAddChild(n, c);
		dump(&parts[(*np)++], "[Content_Types].xml", ct);
	}
	for (i = 0; i < a->nc; i++)
		comment_fill(a, cx, ns, root, &a->c[i]);
	dump(&parts[(*np)++], cpart, cx);
	rc = 0;
out:
	xmlFreeDoc(rels);
	xmlFreeDoc(cx);
	xmlFreeDoc(ct);
	free(cpart);
	free(dir);
	return rc;
}

/* Comment ids: above every w:id of document.xml and of an existing comments part. */
static long
first_id(struct ann *a, struct docx_pkg *pkg)
{
	long m = max_id(xmlDocGetRootElement(a->map.xml), 0, 0);
	zip_int64_t i, n = zip_get_num_entries(pkg->za, 0);
	struct error e;

	for (i = 0; i < n; i++) {
		const char *name = zip_get_name(pkg->za, (zip_uint64_t)i, 0);
		xmlDoc *x;

		if (name == NULL || strstr(name, "comments") == NULL || strstr(name, "_rels") != NULL)
			continue;
		if (docx_parse_part(pkg, name, &x, &e) != -1 && x != NULL) {
			m = max_id(xmlDocGetRootElement(x), m, 0);
			xmlFreeDoc(x);
		}
	}
	/* the comments part is read again when it is extended */
	docx_pkg_reread(pkg);
	return m + 1;
}

/* ---- the package ---- */

static struct part *
find_part(struct part *parts, int np, const char *name)
{
	int i;

	for (i = 0; i < np; i++)
		if (strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}

/*
 * The new package: every entry of the old one in its order, the changed
 * parts from parts[], the others copied with their compressed data; new
 * parts at the end.  *out is the caller's.  0 or -1.
 */
static int
repack(struct docx_pkg *pkg, struct part *parts, int np, time_t when, char **out, size_t *outn,
	struct error *err)
{
	zip_error_t ze;
	zip_source_t *buf, *s;
	zip_t *za;
	zip_stat_t st;
	zip_int64_t i, n = zip_get_num_entries(pkg->za, 0), idx;
	int *used = xcalloc((size_t)np + 1, sizeof(*used));
	int k;

	*out = NULL;
	zip_error_init(&ze);
	if ((buf = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		free(used);
		return error_set(err, "无法创建 zip");
	}
	zip_source_keep(buf);
	if ((za = zip_open_from_source(buf, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_source_free(buf);
		zip_error_fini(&ze);
		free(used);
		return error_set(err, "无法创建 zip");
	}
	zip_error_fini(&ze);
	for (i = 0; i <= n + np; i++) {
		const char *name;
		struct part *p = NULL;
		time_t mtime = when;

		if (i < n) {
			if ((name = zip_get_name(pkg->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW)) == NULL)
				continue;
			if (zip_stat_index(pkg->za, (zip_uint64_t)i, 0, &st) == 0 &&
			    (st.valid & ZIP_STAT_MTIME))
				mtime = st.mtime;
			p = find_part(parts, np, name);
		} else if (i < n + np) {
			k = (int)(i - n);
			if (used[k])
				continue;
			p = &parts[k];
			name = p->name;
		} else {
			break;
		}
		if (p != NULL) {
			used[p - parts] = 1;
			s = zip_source_buffer(za, p->data, (zip_uint64_t)p->len, 0);
		} else {
			s = zip_source_zip(za, pkg->za, (zip_uint64_t)i, ZIP_FL_COMPRESSED, 0, -1);
		}
		if (s == NULL || (idx = zip_file_add(za, name, s, ZIP_FL_ENC_GUESS)) < 0) {
			if (s != NULL)
				zip_source_free(s);
			error_set(err, "写入 %s 失败：%s", name, zip_strerror(za));
			goto fail;
		}
		zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0);
	}
	if (zip_close(za) == -1) {
		error_set(err, "打包失败：%s", zip_strerror(za));
		goto fail;
	}
	free(used);
	return docx_zip_bytes(buf, out, outn, err);
fail:
	zip_discard(za);
	zip_source_free(buf);
	free(used);
	return -1;
}

/* Annotate a .docx held in memory (see annotate_mem). */
static int
docx_annotate(const char *name, const char *data, size_t n, const struct result *res,
	const struct annotate_opts *o, char **out, size_t *outn, struct annotate_stats *st,
	struct error *err)
{
	struct ann a;
	struct docx_pkg pkg;
	struct part parts[4];
	struct tm tm;
	int np = 0, rc = -1, i;
	size_t k;

	memset(&a, 0, sizeof(a));
	memset(parts, 0, sizeof(parts));
	a.res = res;
	a.o = o;
	doc_init(&a.d);
	pkg.za = NULL;
	*out = NULL;
	if (load_docx_map(name, data, n, &a.d, &a.map, err) == -1)
		goto out;
	if (a.map.npara != a.d.npara || a.map.xml == NULL) {
		error_set(err, "无法对应段落位置（%zu 段，正文部件 %zu 段）", a.d.npara, a.map.npara);
		goto out;
	}
	a.ns = xmlSearchNsByHref(a.map.xml, xmlDocGetRootElement(a.map.xml),
	    (const xmlChar *)"http://schemas.openxmlformats.org/wordprocessingml/2006/main");
	if (a.ns == NULL) {
		error_set(err, "%s：不是 Word 正文", a.map.part);
		goto out;
	}
	if (docx_pkg_open(&pkg, data, n, err) == -1)
		goto out;
	pkg.name = name;
	gmtime_r(&o->when, &tm);
	strftime(a.date, sizeof(a.date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	a.next_id = first_id(&a, &pkg);
	plan(&a);
	if (a.nc == 0) {
		/* nothing to say: the same package */
		*out = xmalloc(n + 1);
		memcpy(*out, data, n);
		*outn = n;
		rc = 0;
		goto out;
	}
	for (k = 0; k < a.nc; k++) {
		boundary(&a, &a.map.paras[a.c[k].para], a.c[k].x);
		boundary(&a, &a.map.paras[a.c[k].epara], a.c[k].y);
	}
	for (k = 0; k < a.nf; k++) {
		boundary(&a, &a.map.paras[a.f[k].para], a.f[k].x);
		boundary(&a, &a.map.paras[a.f[k].para], a.f[k].y);
	}
	/* fixes first: a comment that ends in a fixed run then ends after its w:ins */
	for (k = 0; k < a.nf; k++) {
		if (place_fix(&a, &a.f[k]) == 0)
			a.st.fixes++;
		else
			a.st.unfixed++;
	}
	for (k = 0; k < a.nc; k++)
		place_comment(&a, &a.c[k]);
	a.st.comments = (int)a.nc;
	if (comments_parts(&a, &pkg, parts, &np, err) == -1)
		goto out;
	dump(&parts[np++], a.map.part, a.map.xml);
	rc = repack(&pkg, parts, np, o->when, out, outn, err);
out:
	if (st != NULL)
		*st = a.st;
	for (i = 0; i < np; i++) {
		free(parts[i].name);
		xmlFree(parts[i].data);
	}
	if (pkg.za != NULL)
		docx_pkg_close(&pkg);
	for (k = 0; k < a.nc; k++)
		free(a.c[k].finds);
	free(a.c);
	for (k = 0; k < a.nf; k++)
		free(a.f[k].text);
	free(a.f);
	docx_map_release(&a.map);
	doc_release(&a.d);
	return rc;
}

/* ---- a plain-text report ---- */

/* Bytes of leading blanks (spaces, tabs, U+3000) of s[0..n); *cps their code points. */
static size_t
lead_blanks(const char *s, size_t n, size_t *cps)
{
	size_t i = 0, l;

	*cps = 0;
	while (i < n) {
		uint32_t cp = utf8_decode(s + i, n - i, &l);

		if (l == 0 || (cp != ' ' && cp != '\t' && cp != 0x3000))
			break;
		i += l;
		(*cps)++;
	}
	return i;
}

/* Kind of text line i (0-based) from the check's outline and metadata. */
static enum skel_kind
line_kind(const struct result *res, const struct doc *d, size_t i, const char *s, size_t n)
{
	size_t k;

	if (res->meta.doc_number && n == strlen(res->meta.doc_number) &&
	    memcmp(s, res->meta.doc_number, n) == 0 && i < 8)
		return SK_DOCNUM;
	for (k = 0; k < res->noutline; k++) {
		const struct outline_node *o = &res->outline[k];

		if ((size_t)o->line != i + 1 || o->run_in)
			continue;
		if (o->kind == NODE_TITLE)
			return SK_TITLE;
		if (o->kind == NODE_HEADING && o->level == 1)
			return SK_H1;
		if (o->kind == NODE_HEADING && o->level == 2)
			return SK_H2;
	}
	(void)d;
	if (res->meta.addressee && n > strlen(res->meta.addressee) &&
	    memcmp(s, res->meta.addressee, strlen(res->meta.addressee)) == 0 && i < 8)
		return SK_ADDRESSEE;
	if (res->meta.signatory && n == strlen(res->meta.signatory) &&
	    memcmp(s, res->meta.signatory, n) == 0 && i + 8 > d->npara)
		return SK_SIGNATORY;
	if (res->meta.date && n == strlen(res->meta.date) && memcmp(s, res->meta.date, n) == 0 &&
	    i + 8 > d->npara)
		return SK_DATE;
	return SK_PARA;
}

/* Is the title of the outline on line i (0-based)? */
static int
title_at(const struct result *res, size_t i)
{
	size_t k;

	for (k = 0; k < res->noutline; k++)
		if (res->outline[k].kind == NODE_TITLE && (size_t)res->outline[k].line == i + 1)
			return 1;
	return 0;
}

/*
 * Lines [*t0, *t1) of a title set on several lines, before its last:
 * from the title's line, lines that together begin meta.title.
 */
static void
title_lines(const struct result *res, const struct doc *d, size_t *t0, size_t *t1)
{
	const char *title = res->meta.title;
	struct buf acc;
	size_t i, k, cps, tl;

	*t0 = *t1 = 0;
	if (title == NULL)
		return;
	tl = strlen(title);
	for (i = 0; i < res->noutline; i++)
		if (res->outline[i].kind == NODE_TITLE && res->outline[i].line > 0)
			break;
	if (i == res->noutline || (size_t)res->outline[i].line > d->npara)
		return;
	buf_init(&acc);
	for (k = (size_t)res->outline[i].line - 1; k < d->npara; k++) {
		const char *s = doc_para_text(d, k);
		size_t len = d->paras[k].len, b = lead_blanks(s, len, &cps);

		if (len == b)
			break;
		buf_add(&acc, s + b, len - b);
		if (acc.len >= tl || memcmp(title, acc.s, acc.len) != 0)
			break;
	}
	if (acc.len == tl && memcmp(title, acc.s, tl) == 0 && k > (size_t)res->outline[i].line - 1) {
		*t0 = (size_t)res->outline[i].line - 1;
		*t1 = k;
	}
	buf_release(&acc);
}

/*
 * A plain-text report as a GB/T 9704 .docx (docx_write_mem): one
 * paragraph per line, title, headings and 落款 in their styles, leading
 * blanks dropped (the style indents).  The findings are moved to the
 * paragraphs their lines became, then annotated as any .docx.
 */
static int
text_annotate(const char *name, const char *data, size_t n, const struct result *res,
	const struct annotate_opts *o, char **out, size_t *outn, struct annotate_stats *st,
	struct error *err)
{
	struct doc d, d2;
	struct skeleton sk;
	struct result r2;
	char *docx = NULL;
	size_t docxn = 0, i, j, cur = 0, *strip = NULL, cps, t0, t1;
	long *map = NULL;
	int rc = -1, have_title = 0, docnum_title = 0;
	enum skel_kind prev = SK_PARA;

	doc_init(&d);
	doc_init(&d2);
	skeleton_init(&sk);
	memset(&r2, 0, sizeof(r2));
	if (load_text_mem(name, data, n, &d, err) == -1)
		goto out;
	strip = xcalloc(d.npara + 1, sizeof(*strip));
	map = xcalloc(d.npara + 1, sizeof(*map));
	sk.title = xstrdup(res->meta.title ? res->meta.title : "");
	sk.unit = xstrdup(res->meta.unit ? res->meta.unit : "");
	title_lines(res, &d, &t0, &t1);
	for (i = 0; i < d.npara; i++) {
		const char *s = doc_para_text(&d, i);
		size_t len = d.paras[i].len, b = lead_blanks(s, len, &cps);
		enum skel_kind k = line_kind(res, &d, i, s + b, len - b);

		strip[i] = cps;
		if (i >= t0 && i < t1 && k != SK_DOCNUM)
			k = SK_TITLE_LINE;
		else if (i == t1 && t1 > t0)
			k = SK_TITLE;
		if (len == b && (prev == SK_TITLE || prev == SK_DOCNUM))
			continue;  /* the writer puts a blank line there itself */
		/* a title the analysis read together with the 发文字号 above it */
		if (k == SK_PARA && prev == SK_DOCNUM && len > b && !have_title && docnum_title)
			k = SK_TITLE;
		if (k == SK_DOCNUM)
			docnum_title = title_at(res, i);
		if (k == SK_TITLE)
			have_title = 1;
		if (k == SK_SIGNATORY && sk.n > 0 && sk.b[sk.n - 1].kind == SK_PARA &&
		    sk.b[sk.n - 1].text[0] == '\0') {
			free(sk.b[--sk.n].text);
		}
		if (k == SK_DATE && prev != SK_SIGNATORY)
			k = SK_PARA;
		xgrow(&sk.b, &sk.cap, sk.n + 1, sizeof(*sk.b));
		sk.b[sk.n].kind = k;
		sk.b[sk.n].text = xstrndup(s + b, len - b);
		sk.b[sk.n].placeholder = 0;
		sk.n++;
		prev = k;
	}
	if (docx_write_mem(&sk, &docx, &docxn, err) == -1)
		goto out;
	if (load_docx_mem(name, docx, docxn, &d2, err) == -1)
		goto out;
	/* each line to the paragraph that holds its text */
	for (i = 0; i < d.npara; i++) {
		const char *s = doc_para_text(&d, i);
		size_t len = d.paras[i].len, b = lead_blanks(s, len, &cps);

		map[i] = -1;
		for (j = cur; j < d2.npara; j++)
			if (d2.paras[j].len == len - b && memcmp(doc_para_text(&d2, j), s + b, len - b) == 0)
				break;
		if (j < d2.npara) {
			map[i] = (long)j;
			cur = j + 1;
		}
	}
	r2 = *res;
	r2.findings = xcalloc(res->nfinding + 1, sizeof(*r2.findings));
	r2.findings_cap = res->nfinding + 1;
	r2.outline = xcalloc(res->noutline + 1, sizeof(*r2.outline));
	for (i = 0; i < res->nfinding; i++) {
		struct finding *f = &r2.findings[i];

		*f = res->findings[i];
		if (f->line > 0 && (size_t)f->line <= d.npara) {
			size_t l = (size_t)f->line - 1;

			if (map[l] < 0) {
				f->line = f->column = 0;
				continue;
			}
			f->column = f->column > (int)strip[l] ? f->column - (int)strip[l] : 1;
			f->line = (int)map[l] + 1;
		}
	}
	for (i = 0; i < res->noutline; i++) {
		r2.outline[i] = res->outline[i];
		if (r2.outline[i].line > 0 && (size_t)r2.outline[i].line <= d.npara)
			r2.outline[i].line = (int)map[r2.outline[i].line - 1] + 1;
	}
	rc = docx_annotate(name, docx, docxn, &r2, o, out, outn, st, err);
out:
	free(r2.findings);
	free(r2.outline);
	free(map);
	free(strip);
	free(docx);
	skeleton_release(&sk);
	doc_release(&d);
	doc_release(&d2);
	return rc;
}

static int
is_docx(const char *name, const char *data, size_t n)
{
	size_t l = strlen(name);

	if (n >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		return 1;
	return l >= 5 && strcasecmp(name + l - 5, ".docx") == 0;
}

int
annotate_mem(const char *name, const char *data, size_t n, const struct result *res,
	const struct annotate_opts *o, char **out, size_t *outn, struct annotate_stats *st,
	struct error *err)
{
	error_clear(err);
	*out = NULL;
	*outn = 0;
	if (st != NULL)
		memset(st, 0, sizeof(*st));
	if (res->error != NULL)
		return error_set(err, "%s", res->error);
	if (is_docx(name, data, n))
		return docx_annotate(name, data, n, res, o, out, outn, st, err);
	return text_annotate(name, data, n, res, o, out, outn, st, err);
}

int
annotate_file(const char *in, const char *out, const struct result *res,
	const struct annotate_opts *o, struct annotate_stats *st, struct error *err)
{
	char *data = NULL, *buf = NULL;
	size_t n = 0, bn = 0;
	int rc;

	error_clear(err);
	if (res->error != NULL)
		return error_set(err, "%s", res->error);
	if (read_file(in, (size_t)64 << 20, &data, &n, err) == -1)
		return -1;
	rc = annotate_mem(in, data, n, res, o, &buf, &bn, st, err);
	if (rc == 0)
		rc = write_file_atomic(out, buf, bn, err);
	free(buf);
	free(data);
	return rc;
}
