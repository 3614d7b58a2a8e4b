/*
 * kind_docnumber.c: 发文字号 wherever one appears (the 版头 or a document
 * cited in the text) in the form 代字〔YYYY〕N号 (GB/T 9704 §7.2.5); a
 * wrong form is named, and whether the number is the report's own
 * (meta.doc_number) or one the text cites.
 *
 *   docnumber:
 *     candidate: <regex for anything that looks like a 文号>
 *     correct: <regex the whole candidate must match>
 *     forms: [{pattern: '\[\d+\]', name: 年份用了方括号“[ ]”，应为六角括号“〔 〕”}, ...]
 *     anchor: 号   # optional: a literal every candidate ends with; the
 *                  # candidate pattern then only runs in a short window
 *                  # before each occurrence, not over the whole text
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

struct docnumber {
	struct pattern candidate, correct;
	struct namedpat *forms;
	size_t nform;
	char *anchor;   /* normalised literal, or NULL */
};

/* Bytes before an anchor that a candidate may start at (30 characters). */
#define ANCHOR_WINDOW 90

/*
 * memmem(s + at, e - at, lit, len), len > 0, by memchr on the literal's
 * last byte: in Chinese text a continuation byte, rarer than a lead byte,
 * which memchr looks for a block of bytes at a time.
 */
static const char *
find_literal(const char *s, size_t at, size_t e, const char *lit, size_t len)
{
	const char *p, *end = s + e;

	if (e < at || e - at < len)
		return NULL;
	for (p = s + at + len - 1; p < end; p++) {
		if ((p = memchr(p, lit[len - 1], (size_t)(end - p))) == NULL)
			return NULL;
		if (memcmp(p - (len - 1), lit, len - 1) == 0)
			return p - (len - 1);
	}
	return NULL;
}

static void
docnumber_free(void *data)
{
	struct docnumber *t = data;

	if (t == NULL)
		return;
	pattern_release(&t->candidate);
	pattern_release(&t->correct);
	namedpat_free(t->forms, t->nform);
	free(t->anchor);
	free(t);
}

static int
docnumber_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"candidate", "correct", "forms", "anchor", NULL};
	struct docnumber *t = c->data;
	yaml_node_t *v;

	if (t == NULL)
		c->data = t = xcalloc(1, sizeof(*t));
	if (ry_keys(doc, n, keys, "docnumber", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "candidate"))) {
		pattern_release(&t->candidate);
		if (pattern_from_node(&t->candidate, doc, v, "candidate", err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "correct"))) {
		const char *s = ry_str(v, "correct", err);
		char *anch;
		int rc;

		if (s == NULL)
			return -1;
		pattern_release(&t->correct);
		if (pattern_compile(&t->correct, s, v, err) == -1)
			return -1;
		pattern_release(&t->correct);
		anch = xasprintf("^(?:%s)$", s);
		rc = pattern_compile(&t->correct, anch, v, err);
		free(anch);
		if (rc == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "anchor"))) {
		const char *a = ry_str(v, "anchor", err);

		if (a == NULL)
			return -1;
		if (*a == '\0')
			return ry_error(v, err, "anchor 不能为空");
		free(t->anchor);
		t->anchor = norm_strdup(a);
	}
	if ((v = ry_get(doc, n, "forms"))) {
		namedpat_free(t->forms, t->nform);
		t->forms = NULL;
		t->nform = 0;
		if (namedpat_load(&t->forms, &t->nform, doc, v, err) == -1)
			return -1;
	}
	if (t->candidate.re == NULL || t->correct.re == NULL)
		return ry_error(n, err, "docnumber 需要 candidate 和 correct");
	return 0;
}

/*
 * Is the candidate s[0..n) the report's own 发文字号 (meta.doc_number, read
 * from the 版头), not a number cited in the body?
 */
static int
own_number(const struct check_ctx *ctx, const char *s, size_t n)
{
	const char *dn = ctx->res->meta.doc_number;
	char *nd;
	int r;

	if (dn == NULL || *dn == '\0')
		return 0;
	nd = norm_strdup(dn);
	r = strlen(nd) <= n ? memcmp(s + n - strlen(nd), nd, strlen(nd)) == 0 :
	    memcmp(nd + strlen(nd) - n, s, n) == 0;
	free(nd);
	return r;
}

static void
docnumber_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct docnumber *t = c->data;
	const char *s = ctx->an->norm.s;
	struct scope sc;
	size_t i, b, e, at, mo, ml, xo, xl, k;
	int rc, shown = 0;

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	for (i = 0; i < sc.n; i++) {
		analysis_norm_span(ctx->an, sc.v[i], &b, &e);
		for (at = b; at < e && shown < RULES_MAX_HITS;) {
			if (t->anchor != NULL) {
				/* only a short window before the next anchor can hold a candidate */
				size_t al = strlen(t->anchor), ws;
				const char *q = find_literal(s, at, e, t->anchor, al);

				if (q == NULL)
					break;
				ws = (size_t)(q - s) > at + ANCHOR_WINDOW ? (size_t)(q - s) - ANCHOR_WINDOW : at;
				while (ws < (size_t)(q - s) && ((unsigned char)s[ws] & 0xC0) == 0x80)
					ws++;
				rc = rules_find(c, ctx, &t->candidate, ws, (size_t)(q - s) + al, ws, &mo, &ml);
				if (rc < 0)
					goto out;
				if (rc == 0) {
					at = (size_t)(q - s) + al;
					continue;
				}
			} else {
				rc = rules_find(c, ctx, &t->candidate, b, e, at, &mo, &ml);
				if (rc != 1)
					goto out;
			}
			at = mo + (ml ? ml : 1);
			rc = pattern_find(ctx->m, &t->correct, s + mo, ml, 0, &xo, &xl);
			if (rc == 1)
				continue;
			if (rc < 0) {
				rules_unchecked(c, ctx, "文号格式的正则表达式超出匹配上限");
				goto out;
			}
			for (k = 0; k < t->nform; k++)
				if (pattern_find(ctx->m, &t->forms[k].pat, s + mo, ml, 0, &xo, &xl) == 1)
					break;
			{
				char *d = xasprintf("%s“%.*s”%s", own_number(ctx, s + mo, ml) ?
				    "本报告的发文字号" : "文中引用的文号", (int)ml, s + mo,
				    k < t->nform ? t->forms[k].name : "格式不规范，应为“代字〔年份〕序号号”");

				rules_finding_at(c, ctx, mo, ml, d);
				free(d);
				shown++;
			}
		}
	}
out:
	scope_release(&sc);
}

const struct check_kind kind_docnumber = {"docnumber", docnumber_load, docnumber_run,
	docnumber_free};
