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

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
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
 * Of a mark (is_mark()), does it end the sentence?  Without a branch: the
 * low five bits of the marks that end one (\n ! ? 。 ！ ． ？: 10, 1, 31, 2,
 * 1, 14, 31) are none of those of the marks that end a clause (, : ; ，
 * ： ；: 12, 26, 27 twice), but for 、 (U+3001, 1).
 */
static int
mark_ends_sentence(uint32_t u)
{
	return (int)((0x80004406u >> (u & 31)) & 1) & (u != 0x3001);
}

/* Does u end a sentence or a clause? */
static int
is_mark(uint32_t u)
{
	return is_sentence_end(u) || is_clause_mark(u);
}

/*
 * The marks of a text in words of 64 code points: bit j of bits is set
 * when cp[base + j] ends a sentence or a clause, and the walk takes them
 * in order, one a call.  A word's marks are found without a branch, so a
 * report's few hundred marks cost a few mispredictions, where a test of
 * each character that might end something (digits, quotes, brackets
 * stopped the scan too) mispredicted at most of them.
 */
struct marks {
	const uint32_t *cp;
	size_t n, base;
	uint64_t bits;
	int avx2;
};

/* the marks of cp[0..m), m at most 64 */
static uint64_t
mark_word(const uint32_t *cp, size_t m)
{
	uint64_t bits = 0;
	size_t j;

	for (j = 0; j < m; j++)
		bits |= (uint64_t)is_mark(cp[j]) << j;
	return bits;
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * mark_word() eight code points a step.  The marks lie in four runs of
 * 32 code points, U+0000, U+0020, U+3000 and U+FF00 (runs 0, 1, 0x180 and
 * 0x7F8 of u >> 5), which run ^ run >> 7 tells apart in its low three
 * bits (0, 1, 3, 7): a table look-up by those bits gives the run expected
 * there and the 32-bit set of its marks, and u is a mark when its run is
 * the one expected and bit u & 31 of the set is 1.
 */
__attribute__((target("avx2"))) static uint64_t
mark_word_avx2(const uint32_t *cp, size_t m)
{
	/* \n; ! , : ; ?; 、 。; ！ ， ． ： ； ？ */
	const __m256i run_at = _mm256_setr_epi32(0, 1, -1, 0x3000 >> 5, -1, -1, -1, 0xFF00 >> 5);
	const __m256i set_at = _mm256_setr_epi32(1 << 0x0A,
	    (int)(1u << 0x01 | 1u << 0x0C | 1u << 0x1A | 1u << 0x1B | 1u << 0x1F), 0,
	    1 << 0x01 | 1 << 0x02, 0, 0, 0,
	    (int)(1u << 0x01 | 1u << 0x0C | 1u << 0x0E | 1u << 0x1A | 1u << 0x1B | 1u << 0x1F));
	const __m256i low = _mm256_set1_epi32(31);
	uint64_t bits = 0;
	size_t j;

	for (j = 0; m - j >= 8; j += 8) {
		__m256i u = _mm256_loadu_si256((const __m256i *)(cp + j));
		__m256i run = _mm256_srli_epi32(u, 5);
		__m256i at = _mm256_xor_si256(run, _mm256_srli_epi32(run, 7));
		__m256i in = _mm256_srlv_epi32(_mm256_permutevar8x32_epi32(set_at, at),
		    _mm256_and_si256(u, low));
		__m256i hit = _mm256_and_si256(_mm256_slli_epi32(in, 31),
		    _mm256_cmpeq_epi32(run, _mm256_permutevar8x32_epi32(run_at, at)));

		bits |= (uint64_t)_mm256_movemask_ps(_mm256_castsi256_ps(hit)) << j;
	}
	return j < m ? bits | mark_word(cp + j, m - j) << j : bits;
}
#endif

/* the marks of cp[base..base + 64) */
static uint64_t
marks_word(const struct marks *w)
{
	size_t m = w->n - w->base < 64 ? w->n - w->base : 64;

#if defined(__x86_64__) && defined(__GNUC__)
	if (w->avx2)
		return mark_word_avx2(w->cp + w->base, m);
#endif
	return mark_word(w->cp + w->base, m);
}

static void
marks_init(struct marks *w, const uint32_t *cp, size_t n)
{
	w->cp = cp;
	w->n = n;
	w->base = 0;
#if defined(__x86_64__) && defined(__GNUC__)
	w->avx2 = __builtin_cpu_supports("avx2");
#else
	w->avx2 = 0;
#endif
	w->bits = n > 0 ? marks_word(w) : 0;
}

/* The next mark of the walk (n when none is left). */
static size_t
marks_next(struct marks *w)
{
	size_t k;

	while (w->bits == 0) {
		if (w->n - w->base <= 64) {
			w->base = w->n;
			return w->n;
		}
		w->base += 64;
		w->bits = marks_word(w);
	}
	k = w->base + (size_t)__builtin_ctzll(w->bits);
	w->bits &= w->bits - 1;
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
	struct marks w;
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
		marks_init(&w, cp, n);
		if (pcap < 16)
			xgrow(&pc, &pcap, 16, sizeof(*pc));
		/* sentence by sentence: its clauses, then each pair within reach */
		for (k = 0, lb = le = 0; k < n && shown < RULES_MAX_HITS;) {
			size_t se, q, j, m, sb, send;

			/* one pass finds the sentence's end and its clauses, and
			 * whether two of them end in the same character (two
			 * of the 64 bits of seen the same: a few sentences) */
			uint64_t seen = 0, bit;
			int twice = 0;

			for (np = 0, q = k;;) {
				size_t pb, pe;
				int end;

				se = marks_next(&w);
				end = se == n || mark_ends_sentence(cp[se]);
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
				bit = (uint64_t)1 << (pc[np].last & 63);
				twice |= (seen & bit) != 0;
				seen |= bit;
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
			for (j = 1; twice && j < np && shown < RULES_MAX_HITS; j++) {
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
