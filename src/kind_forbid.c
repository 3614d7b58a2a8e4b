/*
 * kind_forbid.c: a pattern (or word list) that must not appear in the
 * scope more than `max` times (default 0).  Every match beyond max is a
 * finding, marked in its sentence.
 *
 *   forbid: {pattern: 法制政府, words: [..], max: 0}    or   forbid: 'regex'
 *
 * quote: heading quotes the whole heading the match starts in (a run-in
 * heading is found by its heading, not by the two characters at the seam);
 * quote: around quotes the match with the characters around it in its
 * paragraph (a space, a mark: “依法 行政” says more than “ ”).
 *
 * With raw: true, a match made only of the spaces a .docx line break
 * (w:br) left in the text is no finding: the clerk sees a new line there.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "utf8.h"

enum { QUOTE_MATCH, QUOTE_HEADING, QUOTE_AROUND };

/* Characters quoted on each side of the match with quote: around. */
#define AROUND 4

struct forbid {
	struct textpat tp;
	long max;
	int quote;
};

/* The heading (outline node) whose text holds original offset o, or -1. */
static long
heading_at(const struct check_ctx *ctx, size_t o)
{
	size_t i;

	for (i = 0; i < ctx->res->noutline; i++)
		if (ctx->an->node_head[i].off <= o && o < ctx->an->node_head[i].end)
			return (long)i;
	return -1;
}

/* Start of the k characters of t before o, not crossing a line break. */
static size_t
back_chars(const char *t, size_t o, size_t k)
{
	while (k > 0 && o > 0 && t[o - 1] != '\n') {
		o--;
		while (o > 0 && ((unsigned char)t[o] & 0xC0) == 0x80)
			o--;
		k--;
	}
	return o;
}

/* End of the k characters of t[o..n) after o, not crossing a line break. */
static size_t
fwd_chars(const char *t, size_t n, size_t o, size_t k)
{
	size_t l;

	while (k > 0 && o < n && t[o] != '\n') {
		utf8_decode(t + o, n - o, &l);
		o += l ? l : 1;
		k--;
	}
	return o;
}

/* “…” around the match, around its whole heading with quote: heading, or
 * around it and its neighbours with quote: around. */
static char *
quote(const struct forbid *f, const struct check_ctx *ctx, size_t mo, size_t ml)
{
	const char *t = f->tp.raw ? ctx->doc->text : ctx->an->norm.s;
	size_t tn = f->tp.raw ? ctx->doc->len : ctx->an->norm.len;
	long h;

	if (f->quote == QUOTE_AROUND) {
		size_t b = back_chars(t, mo, AROUND), e = fwd_chars(t, tn, mo + ml, AROUND);

		return xasprintf("“%.*s”", (int)(e - b), t + b);
	}
	if (f->quote == QUOTE_HEADING &&
	    (h = heading_at(ctx, f->tp.raw ? mo : ctx->an->norm.map[mo])) >= 0) {
		const struct span *sp = &ctx->an->node_head[h];
		size_t n = sp->end - sp->off;
		/* at most 60 characters of a long heading */
		size_t l = utf8_prefix(ctx->doc->text + sp->off, n, 60);

		return xasprintf("“%.*s%s”", (int)l, ctx->doc->text + sp->off, l < n ? "……" : "");
	}
	return xasprintf("“%.*s”", (int)ml, t + mo);
}

/* Is every byte of text[o, o+l) a space that stands for a line break? */
static int
only_breaks(const struct doc *d, size_t o, size_t l)
{
	size_t i;

	if (l == 0 || d->nbreak == 0)
		return 0;
	for (i = o; i < o + l; i++)
		if (!doc_is_break(d, i))
			return 0;
	return 1;
}

static void
forbid_free(void *data)
{
	struct forbid *f = data;

	if (f == NULL)
		return;
	textpat_release(&f->tp);
	free(f);
}

static int
forbid_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"pattern", "words", "add", "max", "raw", "quote", NULL};
	struct forbid *f = c->data;
	yaml_node_t *v;

	if (f == NULL) {
		f = xcalloc(1, sizeof(*f));
		c->data = f;
	}
	if (n && n->type == YAML_SCALAR_NODE) {
		free(f->tp.regex);
		f->tp.regex = NULL;
		pattern_release(&f->tp.pat);
		if (pattern_compile(&f->tp.pat, (char *)n->data.scalar.value, n, err) == -1)
			return -1;
		f->tp.regex = xstrdup((char *)n->data.scalar.value);
		return 0;
	}
	if (ry_keys(doc, n, keys, "forbid", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "max")) && ry_int(v, "max", &f->max, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "quote"))) {
		const char *q = v->type == YAML_SCALAR_NODE ? (char *)v->data.scalar.value : "";

		if (strcmp(q, "heading") == 0)
			f->quote = QUOTE_HEADING;
		else if (strcmp(q, "around") == 0)
			f->quote = QUOTE_AROUND;
		else if (strcmp(q, "match") == 0)
			f->quote = QUOTE_MATCH;
		else
			return ry_error(v, err,
			    "quote 应为 match（引用匹配的文字）、heading（引用整个标题）"
			    "或 around（引用匹配的文字及其前后几个字）");
	}
	return textpat_load(&f->tp, doc, n, err);
}

static void
forbid_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct forbid *f = c->data;
	struct scope sc;
	size_t i, b, e, at, mo, ml;
	long hits = 0, shown = 0;
	int rc = 0;

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	for (i = 0; i < sc.n; i++) {
		rules_range(ctx, f->tp.raw, sc.v[i], &b, &e);
		for (at = b; at <= e;) {
			rc = rules_find_raw(c, ctx, &f->tp.pat, f->tp.raw, b, e, at, &mo, &ml);
			if (rc != 1)
				break;
			if (f->tp.raw && only_breaks(ctx->doc, mo, ml)) {
				at = mo + ml;
				continue;
			}
			if (++hits > f->max && shown < RULES_MAX_HITS) {
				char *d = quote(f, ctx, mo, ml);

				rules_finding_raw(c, ctx, f->tp.raw, mo, ml, d);
				free(d);
				shown++;
			}
			at = mo + (ml ? ml : 1);
		}
		if (rc < 0)
			break;
	}
	scope_release(&sc);
}

const struct check_kind kind_forbid = {"forbid", forbid_load, forbid_run, forbid_free};
