/*
 * kind_repeat.c: a word written twice in a row (存在存在, 的的).  Any run
 * of 2..max_len Chinese characters repeated at once is a finding unless it
 * is a reduplication or two words that meet:
 *   - the word is in `allow` (ABAB verbs: 研究研究, 一步一步);
 *   - a single character counts only when it is in `single` (的的, 了了 --
 *     not 常常, 人人, 天天, 一一) and is not half of an AABB form (的的确确,
 *     实实在在, 认认真真);
 *   - the character before and the first copy, or the second copy and the
 *     characters after, make a word of `words` (目的的, 为了了解, 以及及时,
 *     博士博士后), or the second copy takes a `suffix` (规范规范性文件);
 *   - numerals (二〇二〇) and the X?X?X rhythm of 共建共治共享.
 * Only Chinese characters count, so a punctuation mark or a line break
 * between the copies ends the run.
 *
 *   repeat: {max_len: 4, single: [的, 了], allow: [研究], words: [的确],
 *            suffix: [性]}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "rules_int.h"
#include "utf8.h"

/* A list of words with their lengths in bytes (worked out once, not at every lookup)
 * and a hash table of them: slot[h] is 1 + the index of a word, 0 for none. */
struct wlist {
	char **v;
	size_t n;
	size_t *len;
	uint32_t *slot;
	size_t nslot;  /* a power of two, at least twice n */
};

struct repeat {
	long max_len;
	struct wlist single, allow, words, suffix;
};

static void
wlist_free(struct wlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->len);
	free(l->slot);
}

/* FNV-1a of the bytes s[0..len) */
static uint32_t
word_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void
repeat_free(void *data)
{
	struct repeat *t = data;
	if (t == NULL)
		return;
	wlist_free(&t->single);
	wlist_free(&t->allow);
	wlist_free(&t->words);
	wlist_free(&t->suffix);
	free(t);
}

/* The list under key, added to l (an override adds to the pack's); 0 or -1. */
static int
wlist_load(struct wlist *l, yaml_document_t *doc, yaml_node_t *n, const char *key,
	struct error *err)
{
	yaml_node_t *v;
	size_t i;

	if ((v = ry_get(doc, n, key)) == NULL)
		return 0;
	if (ry_strlist(doc, v, key, &l->v, &l->n, err) == -1)
		return -1;
	l->len = xrealloc(l->len, (l->n ? l->n : 1) * sizeof(*l->len));
	for (i = 0; i < l->n; i++)
		l->len[i] = strlen(l->v[i]);
	/* the table made again for the whole list, open addressing */
	for (l->nslot = 8; l->nslot < 2 * l->n; l->nslot *= 2)
		;
	free(l->slot);
	l->slot = xcalloc(l->nslot, sizeof(*l->slot));
	for (i = 0; i < l->n; i++) {
		size_t h = word_hash(l->v[i], l->len[i]) & (l->nslot - 1);

		while (l->slot[h] != 0)
			h = (h + 1) & (l->nslot - 1);
		l->slot[h] = (uint32_t)i + 1;
	}
	return 0;
}

static int
repeat_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"max_len", "single", "allow", "words", "suffix", NULL};
	struct repeat *t = c->data;
	yaml_node_t *v;

	if (t == NULL) {
		c->data = t = xcalloc(1, sizeof(*t));
		t->max_len = 4;
	}
	if (ry_keys(doc, n, keys, "repeat", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "max_len")) && ry_int(v, "max_len", &t->max_len, err) == -1)
		return -1;
	if (t->max_len < 1 || t->max_len > 16)
		return ry_error(v, err, "max_len 应为 1 到 16");
	if (wlist_load(&t->single, doc, n, "single", err) == -1 ||
	    wlist_load(&t->allow, doc, n, "allow", err) == -1 ||
	    wlist_load(&t->words, doc, n, "words", err) == -1 ||
	    wlist_load(&t->suffix, doc, n, "suffix", err) == -1)
		return -1;
	return 0;
}

/* Is s[0..len) a word of l?  (a look-up in its table: the lists run to
 * 150 words, and a doubled word looks up to six spans) */
static int
in_list(const struct wlist *l, const char *s, size_t len)
{
	size_t mask = l->nslot - 1, h, i;

	if (l->n == 0)
		return 0;
	for (h = word_hash(s, len) & mask; l->slot[h] != 0; h = (h + 1) & mask) {
		i = l->slot[h] - 1;
		if (l->len[i] == len && memcmp(l->v[i], s, len) == 0)
			return 1;
	}
	return 0;
}

/* the bytes of code points [from, to) */
static int
span_in_list(const struct wlist *l, const char *s, const size_t *off, size_t from, size_t to)
{
	return l->n > 0 && in_list(l, s + off[from], off[to] - off[from]);
}

static int
is_numeral(uint32_t u)
{
	static const uint32_t num[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D,
		0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343, 0x4E07, 0x96F6, 0x4E24};
	size_t i;

	for (i = 0; i < sizeof(num) / sizeof(num[0]); i++)
		if (num[i] == u)
			return 1;
	return 0;
}

/* Is the doubled word at k (length L, n code points) a reduplication or
 * two words that meet rather than a word written twice? */
static int
not_repeat(const struct repeat *t, const char *s, const uint32_t *cp, const size_t *off,
	size_t n, size_t k, size_t L)
{
	size_t j, w = off[k + L] - off[k];
	int num = 1;

	for (j = 0; j < L; j++)
		num = num && is_numeral(cp[k + j]);
	if (num)
		return 1;
	if (L == 1) {
		if (!in_list(&t->single, s + off[k], w))
			return 1;
		/* AABB: 的的确确, 实实在在 */
		if (k + 3 < n && cp[k + 2] == cp[k + 3] && utf8_is_han(cp[k + 2]))
			return 1;
		if (k >= 2 && cp[k - 2] == cp[k - 1] && utf8_is_han(cp[k - 1]))
			return 1;
	} else if (in_list(&t->allow, s + off[k], w))
		return 1;
	/* 目的的, 为了了解, 博士博士后: a word ends in the first copy or
	 * starts with the second */
	for (j = 1; j <= 2; j++) {
		if (k >= j && utf8_is_han(cp[k - j]) &&
		    span_in_list(&t->words, s, off, k - j, k + L))
			return 1;
		if (k + 2 * L + j <= n && utf8_is_han(cp[k + 2 * L + j - 1]) &&
		    span_in_list(&t->words, s, off, k + L, k + 2 * L + j))
			return 1;
	}
	if (k + 2 * L < n && span_in_list(&t->suffix, s, off, k + 2 * L, k + 2 * L + 1))
		return 1;
	if (L == 2) {
		/* the X?X?X rhythm of 共建共治共享, 联防联控联治 */
		if (k + 5 < n && cp[k + 5] == cp[k + 1])
			return 1;
		if (k > 0 && cp[k - 1] == cp[k + 1])
			return 1;
		/* straddling 一X一Y (高校一校一策): not a repeated word */
		if (cp[k + 1] == 0x4E00)
			return 1;
	}
	return 0;
}

/*
 * Where a doubled word may start, 64 code points a word: bit j of bits is
 * set when cp[base + j] may be a Chinese character (U+3007 or above) and
 * one of the next max_len characters is the same, as the first character
 * of a word's second copy is.  Most characters have no such bit, so the
 * walk below visits a few positions a line instead of testing each.
 */
struct starts {
	const uint32_t *cp;
	size_t n, max, base;
	uint64_t bits;
	int avx2;
};

/* bits j..m of the word at cp (avail code points on to the end of the
 * text), each position tested in turn */
static uint64_t
start_bits(const uint32_t *cp, size_t avail, size_t max, size_t j, size_t m)
{
	uint64_t bits = 0;
	size_t d;

	for (; j < m; j++) {
		int same = 0;

		for (d = 1; d <= max && j + d < avail; d++)
			same |= cp[j + d] == cp[j];
		bits |= (uint64_t)(same && cp[j] >= 0x3007) << j;
	}
	return bits;
}

#if defined(__x86_64__) && defined(__GNUC__)
/* The bits for max 4: eight positions a step, each compared with the
 * four after it, while those lie in the text; the last few one by one. */
__attribute__((target("avx2"))) static uint64_t
start_bits4_avx2(const uint32_t *cp, size_t avail, size_t m)
{
	const __m256i below = _mm256_set1_epi32(0x3006);
	uint64_t bits = 0;
	/* the steps whose four characters after them are in the text */
	size_t j, lim = avail >= 64 + 4 ? 64 : avail >= 4 ? (avail - 4) / 8 * 8 : 0;

	for (j = 0; j < lim; j += 8) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(cp + j));
		__m256i same = _mm256_or_si256(
		    _mm256_or_si256(
			_mm256_cmpeq_epi32(v, _mm256_loadu_si256((const __m256i *)(cp + j + 1))),
			_mm256_cmpeq_epi32(v, _mm256_loadu_si256((const __m256i *)(cp + j + 2)))),
		    _mm256_or_si256(
			_mm256_cmpeq_epi32(v, _mm256_loadu_si256((const __m256i *)(cp + j + 3))),
			_mm256_cmpeq_epi32(v, _mm256_loadu_si256((const __m256i *)(cp + j + 4)))));

		same = _mm256_and_si256(same, _mm256_cmpgt_epi32(v, below));
		bits |= (uint64_t)(unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(same)) << j;
	}
	return j < m ? bits | start_bits(cp, avail, 4, j, m) : bits;
}
#endif

/* the bits of the word at base */
static uint64_t
starts_word(const struct starts *w)
{
	size_t avail = w->n - w->base, m = avail < 64 ? avail : 64;

#if defined(__x86_64__) && defined(__GNUC__)
	if (w->avx2)
		return start_bits4_avx2(w->cp + w->base, avail, m);
#endif
	return start_bits(w->cp + w->base, avail, w->max, 0, m);
}

static void
starts_init(struct starts *w, const uint32_t *cp, size_t n, size_t max)
{
	w->cp = cp;
	w->n = n;
	w->max = max;
	w->base = 0;
#if defined(__x86_64__) && defined(__GNUC__)
	w->avx2 = max == 4 && __builtin_cpu_supports("avx2");
#else
	w->avx2 = 0;
#endif
	w->bits = starts_word(w);
}

/* The first position at or after k that may start a doubled word (n if none). */
static size_t
starts_next(struct starts *w, size_t k)
{
	if (k - w->base >= 64) {
		if (k >= w->n)
			return w->n;
		w->base = k - k % 64;
		w->bits = starts_word(w);
	}
	w->bits &= ~(uint64_t)0 << (k - w->base);
	while (w->bits == 0) {
		if (w->n - w->base <= 64)
			return w->n;
		w->base += 64;
		w->bits = starts_word(w);
	}
	return w->base + (size_t)__builtin_ctzll(w->bits);
}

static void
repeat_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct repeat *t = c->data;
	const char *s = ctx->an->norm.s;
	struct scope sc;
	size_t i, b, e, k, n;
	const uint32_t *cp;
	const size_t *off;
	struct starts w;
	int shown = 0;

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	for (i = 0; i < sc.n; i++) {
		analysis_norm_span(ctx->an, sc.v[i], &b, &e);
		n = rules_codepoints(ctx, b, e, &cp, &off);
		if (n == 0)
			continue;
		starts_init(&w, cp, n, (size_t)t->max_len);
		for (k = 0; k < n && shown < RULES_MAX_HITS; k++) {
			size_t L;

			if ((k = starts_next(&w, k)) >= n)
				break;
			L = (n - k) / 2;
			/* a copy at k + L starts with the same character: the
			 * longest such L first, most characters have none */
			if (L > (size_t)t->max_len)
				L = (size_t)t->max_len;
			/* the default max_len unrolled */
			if (L == 4 && cp[k + 1] != cp[k] && cp[k + 2] != cp[k] &&
			    cp[k + 3] != cp[k] && cp[k + 4] != cp[k])
				continue;
			while (L >= 1 && cp[k + L] != cp[k])
				L--;
			if (L == 0 || !utf8_is_han(cp[k]))
				continue;
			for (; L >= 1; L--) {
				size_t j, pre, post;
				int same = 1;
				char *d;

				if (k + 2 * L > n)
					continue;
				for (j = 0; j < L && same; j++)
					same = cp[k + j] == cp[k + L + j] && utf8_is_han(cp[k + j]);
				if (!same)
					continue;
				if (not_repeat(t, s, cp, off, n, k, L))
					continue;
				/* the doubled word with a few characters of its sentence */
				for (pre = k; pre > 0 && k - pre < 2 && utf8_is_han(cp[pre - 1]); pre--)
					;
				for (post = k + 2 * L; post < n && post - k - 2 * L < 2 &&
				    utf8_is_han(cp[post]); post++)
					;
				d = xasprintf("“%.*s”中“%.*s”写了两次", (int)(off[post] - off[pre]),
				    s + off[pre], (int)(off[k + L] - off[k]), s + off[k]);
				rules_finding_at(c, ctx, off[k], off[k + 2 * L] - off[k], d);
				free(d);
				shown++;
				k += 2 * L - 1;
				break;
			}
		}
	}
	scope_release(&sc);
}

const struct check_kind kind_repeat = {"repeat", repeat_load, repeat_run, repeat_free};
