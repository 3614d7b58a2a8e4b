/*
 * kind_clause.c: a clause written twice in one sentence ("共排查出……5起，
 * 排查出……5起", "现将有关情况报告如下：现将有关情况报告如下").
 *
 * A sentence ends at 。！？ or a line break; its clauses are the pieces
 * between ，、：；.  Two clauses of one sentence at most `within` clauses
 * apart are the same clause when they are equal, or when the longer one is
 * the shorter with at most `prefix` characters before it (共排查出 /
 * 排查出), and the shorter has at least `min_len` Chinese characters.
 * Whole clauses only: a phrase that comes back inside a longer clause
 * (把学习宣传贯彻习近平法治思想作为……) is the genre's emphasis, and list
 * items of a parallel structure differ in their objects.  The finding
 * marks the second copy with the mark before it, so that deleting the
 * marked text leaves the sentence whole.  A sentence that repeats the one
 * before it in the same paragraph is marked whole, with its end mark.
 *
 *   clause: {min_len: 6, within: 3, prefix: 2}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rules_int.h"
#include "utf8.h"

struct clause {
	long min_len;
	long within;
	long prefix;
};

static int
clause_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"min_len", "within", "prefix", NULL};
	struct clause *t = c->data;
	yaml_node_t *v;

	if (t == NULL) {
		c->data = t = xcalloc(1, sizeof(*t));
		t->min_len = 6;
		t->within = 3;
		t->prefix = 2;
	}
	if (ry_keys(doc, n, keys, "clause", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "min_len")) && ry_int(v, "min_len", &t->min_len, err) == -1)
		return -1;
	if (t->min_len < 2 || t->min_len > 100)
		return ry_error(v ? v : n, err, "min_len 应为 2 到 100");
	if ((v = ry_get(doc, n, "within")) && ry_int(v, "within", &t->within, err) == -1)
		return -1;
	if (t->within < 1 || t->within > 20)
		return ry_error(v ? v : n, err, "within 应为 1 到 20");
	if ((v = ry_get(doc, n, "prefix")) && ry_int(v, "prefix", &t->prefix, err) == -1)
		return -1;
	if (t->prefix < 0 || t->prefix > 10)
		return ry_error(v ? v : n, err, "prefix 应为 0 到 10");
	return 0;
}

/* (Chinese characters, between U+3003 and U+FF00, are passed by one test.) */
static int
is_sentence_end(uint32_t u)
{
	if (u - 0x3003 < 0xFF01 - 0x3003)
		return 0;
	return u == 0x3002 || u == 0xFF01 || u == 0xFF1F || u == '!' || u == '?' || u == '\n' ||
	       u == 0xFF0E;
}

/* (between U+3002 and U+FF0B: none) */
static int
is_clause_mark(uint32_t u)
{
	if (u - 0x3002 < 0xFF0C - 0x3002)
		return 0;
	return u == 0xFF0C || u == 0x3001 || u == 0xFF1A || u == 0xFF1B || u == ',' || u == ':' ||
	       u == ';';
}

/*
 * The first of cp[k..n) outside U+3003..U+FF00 (n if none): Chinese
 * characters and the marks in that range end neither a sentence nor a
 * clause, so the scan for both stops only where this does.  With SSE2
 * four code points are tested at once (all are below 2^31, so signed
 * compares do).
 */
static size_t
next_special(const uint32_t *cp, size_t k, size_t n)
{
#ifdef __SSE2__
	const __m128i lo = _mm_set1_epi32(0x3003), hi = _mm_set1_epi32(0xFF00);

	for (; n - k >= 4; k += 4) {
		__m128i v = _mm_loadu_si128((const __m128i *)(cp + k));
		int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi32(v, lo), _mm_cmpgt_epi32(v, hi)));

		if (m != 0)
			return k + (size_t)__builtin_ctz((unsigned)m) / 4;
	}
#endif
	while (k < n && cp[k] - 0x3003 < 0xFF01 - 0x3003)
		k++;
	return k;
}

/* (above U+3000: none, so a Chinese character is passed by one test) */
static int
is_blank(uint32_t u)
{
	return u <= 0x3000 && (u == ' ' || u == '\t' || u == 0x3000 || u == 0xA0);
}

/* A clause: code points [b, e) of the sentence, blanks trimmed; mark is
 * the index of the mark before it (b when there is none); last is cp[e - 1]
 * (0 when empty), the test that rejects most pairs. */
struct piece {
	size_t b, e, mark;
	uint32_t last;
};

/* Chinese characters in cp[b, e) */
static size_t
han_count(const uint32_t *cp, size_t b, size_t e)
{
	size_t k, h = 0;

	for (k = b; k < e; k++)
		h += utf8_is_han(cp[k]) && cp[k] >= 0x3400;
	return h;
}

/* Is the longer of pieces a and b the shorter with at most prefix code
 * points before it, the shorter holding min_len Chinese characters? */
static int
same_clause(const struct clause *t, const uint32_t *cp, const struct piece *a,
	const struct piece *b)
{
	const struct piece *s = a, *l = b;
	size_t ns, nl;

	if (a->e - a->b > b->e - b->b) {
		s = b;
		l = a;
	}
	ns = s->e - s->b;
	nl = l->e - l->b;
	/* the count last: most pairs differ in their last character */
	if (nl - ns > (size_t)t->prefix || (nl != ns && !utf8_is_han(cp[l->b])) ||
	    cp[s->e - 1] != cp[l->e - 1] || memcmp(cp + s->b, cp + l->e - ns, ns * sizeof(*cp)) != 0)
		return 0;
	return han_count(cp, s->b, s->e) >= (size_t)t->min_len;
}

static void
clause_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct clause *t = c->data;
	const char *s = ctx->an->norm.s;
	struct scope sc;
	size_t i, b, e, k, n, np, pcap = 0, lb, le;
	const uint32_t *cp;
	const size_t *off;
	struct piece *pc = NULL;
	int shown = 0, para;

	/*
	 * The text is the paragraphs, each followed by one '\n' that the
	 * normalised copy keeps (doc_add_para(), norm.h; a paragraph holds
	 * none), and a line break ends a sentence and the paragraph's run of
	 * sentences alike: so a paragraph scope is the document in one walk,
	 * without the thousands of spans and their look-ups.  (An example is
	 * one span whatever the scope, rules_scope().)
	 */
	para = c->scope != NULL && strcmp(c->scope, "paragraph") == 0 && !rules_example_mode();
	if (para) {
		sc.one.off = 0;
		sc.one.end = ctx->doc->len;
		sc.v = &sc.one;
		sc.n = 1;
		sc.cap = 0;
	} else if (rules_scope(c, ctx, &sc) != 0)
		return;
	for (i = 0; i < sc.n; i++) {
		analysis_norm_span(ctx->an, sc.v[i], &b, &e);
		n = rules_codepoints(ctx, b, e, &cp, &off);
		if (n == 0)
			continue;
		/* sentence by sentence: its clauses, then each pair within reach */
		for (k = 0, lb = le = 0; k < n && shown < RULES_MAX_HITS;) {
			size_t se, q, j, m, sb, send;

			/* one pass finds the sentence's end and its clauses */
			for (np = 0, q = se = k;; se++) {
				size_t pb, pe;
				int end;

				se = next_special(cp, se, n);
				end = se == n || is_sentence_end(cp[se]);
				if (!end && !is_clause_mark(cp[se]))
					continue;
				for (pb = q; pb < se && is_blank(cp[pb]); pb++)
					;
				for (pe = se; pe > pb && is_blank(cp[pe - 1]); pe--)
					;
				if (np + 1 > pcap)
					xgrow(&pc, &pcap, np + 1, sizeof(*pc));
				pc[np].b = pb;
				pc[np].e = pe;
				pc[np].mark = q > k ? q - 1 : q;
				pc[np].last = pe > pb ? cp[pe - 1] : 0;
				np++;
				if (end)
					break;
				q = se + 1;
			}
			/* the whole sentence again (a break ends the paragraph's run) */
			for (sb = k; sb < se && is_blank(cp[sb]); sb++)
				;
			for (send = se; send > sb && is_blank(cp[send - 1]); send--)
				;
			if (send - sb == le - lb && send > sb &&
			    memcmp(cp + sb, cp + lb, (send - sb) * sizeof(*cp)) == 0 &&
			    han_count(cp, sb, send) >= (size_t)t->min_len) {
				size_t end = se < n && cp[se] != '\n' ? se + 1 : se;
				char *d = xasprintf("“%.*s”这一句写了两遍",
				    (int)(off[send] - off[sb]), s + off[sb]);

				rules_finding_at(c, ctx, off[sb], off[end] - off[sb], d);
				free(d);
				shown++;
				/* the copy stays the one to compare with, but not
				 * past a paragraph's end */
				if (para && se < n && cp[se] == '\n')
					lb = le = 0;
				k = se + 1;
				continue;
			}
			lb = sb;
			le = send;
			if (se < n && cp[se] == '\n')
				lb = le = 0;
			for (j = 1; j < np && shown < RULES_MAX_HITS; j++) {
				for (m = j > (size_t)t->within ? j - (size_t)t->within : 0; m < j; m++) {
					char *d;

					if (pc[j].last != pc[m].last || pc[j].e == pc[j].b ||
					    pc[m].e == pc[m].b || !same_clause(t, cp, &pc[m], &pc[j]))
						continue;
					d = xasprintf("“%.*s”在同一句中写了两次",
					    (int)(off[pc[j].e] - off[pc[j].b]), s + off[pc[j].b]);
					rules_finding_at(c, ctx, off[pc[j].mark],
					    off[pc[j].e] - off[pc[j].mark], d);
					free(d);
					shown++;
					pc[j].e = pc[j].b;  /* a third copy is compared with the first */
					break;
				}
			}
			k = se + 1;
		}
	}
	free(pc);
	scope_release(&sc);
}

const struct check_kind kind_clause = {"clause", clause_load, clause_run, free};
