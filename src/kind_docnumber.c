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
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "utf8.h"

struct docnumber {
	struct pattern candidate, correct;
	struct namedpat *forms;
	size_t nform;
	char *anchor;   /* normalised literal, or NULL */
	/* whether candidate ends with a digit, white space and the anchor
	 * (digit_tail()): 0 not looked at yet, 1 yes, 2 no; worked out at
	 * the first run, the same answer by any thread */
	_Atomic int tail;
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

/* The length of the POSIX class ([:alpha:], [:^digit:]) at p in a class, else 1. */
static size_t
posix_class(const char *p)
{
	size_t j = 2;

	if (p[0] != '[' || p[1] != ':')
		return 1;
	if (p[j] == '^')
		j++;
	while (p[j] >= 'a' && p[j] <= 'z')
		j++;
	return p[j] == ':' && p[j + 1] == ']' ? j + 2 : 1;
}

/*
 * Does every match of the pattern src end with a digit (\d, once or
 * more), white space (\s, any number of times) and the anchor?  Read from
 * src as written, item by item at its top level: the last items must be
 * \d with a quantifier of at least one, optionally \s with any
 * quantifier, and the anchor's characters, and no | may stand outside
 * groups and classes.  Anything it does not follow (\Q, #, (*VERB), a
 * caseless option, an anchor with pattern syntax) is a no.  The
 * candidate then needs a digit before the anchor, only white space
 * between (may_end()).
 */
static int
digit_tail(const char *src, const char *anchor)
{
	size_t i, n, al = strlen(anchor), q;
	/* the kinds of the last two items: 'd' \d at least once, 's' \s,
	 * 'o' anything else */
	char last[2] = {'o', 'o'};
	int depth = 0;
	long min;

	if (src == NULL || al == 0 || strpbrk(anchor, "\\^$.|?*+()[]{}") != NULL ||
	    strstr(src, "\\Q") != NULL || strstr(src, "(*") != NULL || strchr(src, '#') != NULL ||
	    pattern_sets_option(src, 'i'))
		return 0;
	n = strlen(src);
	if (n <= al || memcmp(src + n - al, anchor, al) != 0)
		return 0;
	n -= al;          /* the anchor's characters are the last items */
	for (i = 0; i < n;) {
		char k = 'o';

		if (src[i] == '\\') {
			if (src[i + 1] == '\0' || (src[i + 1] == 'c' && src[i + 2] == '\0'))
				return 0;
			if (src[i + 1] == 'd' || src[i + 1] == 's')
				k = src[i + 1];
			i += src[i + 1] == 'c' ? 3 : 2;   /* \cX: a control character */
		} else if (src[i] == '[') {
			/* a class: ] first is a member, [:name:] a class of its own */
			i++;
			if (src[i] == '^')
				i++;
			if (src[i] == ']')
				i++;
			while (src[i] != ']') {
				if (src[i] == '\0')
					return 0;
				if (src[i] == '\\' && src[i + 1] != '\0')
					i += 2;
				else
					i += posix_class(src + i);
			}
			i++;
		} else if (src[i] == '(') {
			depth++;
			i++;
			continue;     /* the group is an item where it closes */
		} else if (src[i] == ')') {
			if (--depth < 0)
				return 0;
			i++;
		} else if (src[i] == '|') {
			if (depth == 0)
				return 0;
			i++;
			continue;
		} else {
			i++;
		}
		if (i > n)
			return 0;     /* an item runs into the anchor */
		q = pattern_quant(src, i, &min);
		if (i + q > n)
			return 0;
		i += q;
		if (depth > 0)
			continue;
		if (k == 'd' && q > 0 && min < 1)
			k = 'o';      /* \d may be absent */
		last[0] = last[1];
		last[1] = k;
	}
	if (depth != 0 || i != n)
		return 0;
	return last[1] == 'd' || (last[1] == 's' && last[0] == 'd');
}

/*
 * May a candidate that ends with a digit, white space and the anchor
 * (digit_tail()) end at the anchor at s[q], in the window from ws?  No
 * where the character before the anchor, past ASCII white space, is one
 * neither \d nor \s matches (UCP: any decimal digit, any Unicode space):
 * ASCII other than digits, CJK punctuation (U+3001-U+303F), Chinese
 * ideographs (U+3400-U+9FFF), full-width punctuation (U+FF01-U+FF0F,
 * U+FF1A-U+FF20); nor where only white space stands before it.  Any
 * other character is left to the pattern.
 */
static int
may_end(const char *s, size_t ws, size_t q)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t p = q, k, l;
	uint32_t cp;

	while (p > ws && (u[p - 1] == ' ' || (u[p - 1] >= '\t' && u[p - 1] <= '\r')))
		p--;
	if (p == ws)
		return 0;
	if (u[p - 1] < 0x80)
		return u[p - 1] >= '0' && u[p - 1] <= '9';
	for (k = p - 1; k > ws && p - k < 4 && (u[k] & 0xC0) == 0x80; k--)
		;
	cp = utf8_decode(s + k, p - k, &l);
	if (k + l != p)
		return 1;
	return !((cp >= 0x3001 && cp <= 0x303F) || (cp >= 0x3400 && cp <= 0x9FFF) ||
	    (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20));
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
	struct docnumber *t = c->data;
	const char *s = ctx->an->norm.s;
	struct scope sc;
	size_t i, b, e, at, mo, ml, xo, xl, k;
	int rc, shown = 0, tail = atomic_load_explicit(&t->tail, memory_order_relaxed);

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	if (tail == 0 && t->anchor != NULL) {
		tail = digit_tail(t->candidate.src, t->anchor) ? 1 : 2;
		atomic_store_explicit(&t->tail, tail, memory_order_relaxed);
	}
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
				/* most anchors (号召, 称号) follow no digit: no candidate there */
				if (tail == 1 && !may_end(s, ws, (size_t)(q - s))) {
					at = (size_t)(q - s) + al;
					continue;
				}
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
