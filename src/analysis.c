/*
 * analysis.c: the helpers every stage of the analysis shares, at the
 * bottom of the pipeline (they call nothing above utf8.c, norm.c and the
 * pattern matcher): the struct analysis itself, positions and excerpts
 * of original offsets, the normalised span of an original one, Chinese
 * numerals, a pattern list matched in turn, and the unit a body names.
 * The stages above (outline.c, meta.c, sections.c, the rules) call these;
 * these call none of them.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "analysis_int.h"
#include "textindex.h"
#include "utf8.h"

void
analysis_init(struct analysis *a)
{
	memset(a, 0, sizeof(*a));
	norm_init(&a->norm);
}

void
analysis_release(struct analysis *a)
{
	norm_release(&a->norm);
	free(a->node_head);
	free(a->node_body);
	free(a->section);
	free(a->line_off);
	free(a->colmark);
	free(a->viscnt);
	if (a->lits) {
		textindex_release(a->lits);
		free(a->lits);
	}
	memset(a, 0, sizeof(*a));
}

/*
 * Characters (UTF-8 lead bytes) in doc->text[0..x), x <= len: the nearer
 * mark, and the bytes between it and x counted (the mark after x where
 * its block is whole): at most half a block.
 */
static size_t
chars_before(const struct analysis *a, size_t x)
{
	size_t k = x >> COLMARK_SHIFT, b = k << COLMARK_SHIFT;
	size_t nb = b + ((size_t)1 << COLMARK_SHIFT);

	if (x - b > ((size_t)1 << (COLMARK_SHIFT - 1)) && nb <= a->doc->len)
		return a->colmark[k + 1] - utf8_count(a->doc->text + x, nb - x);
	return a->colmark[k] + utf8_count(a->doc->text + b, x - b);
}

/*
 * The paragraph analysis_pos() found last: callers mostly ask in order
 * of the text, so the next answer is often the same or the next one.  A
 * hint only (it may come from another report): checked before it is
 * taken.
 */
static _Thread_local size_t last_para;

void
analysis_pos(const struct analysis *a, size_t off, int *line, int *column)
{
	const struct doc *d = a->doc;
	size_t lo = 0, hi = d->npara, mid, h = last_para;

	if (d->npara == 0) {
		*line = 1;
		*column = 1;
		return;
	}
	/* last paragraph starting at or before off: the hint or the one after it, else halving */
	if (h < d->npara && d->paras[h].off <= off &&
	    (h + 1 == d->npara || d->paras[h + 1].off > off)) {
		lo = h;
	} else if (h + 1 < d->npara && d->paras[h + 1].off <= off &&
	    (h + 2 == d->npara || d->paras[h + 2].off > off)) {
		lo = h + 1;
	} else {
		while (hi - lo > 1) {
			mid = (lo + hi) / 2;
			if (d->paras[mid].off <= off)
				lo = mid;
			else
				hi = mid;
		}
	}
	last_para = lo;
	*line = d->paras[lo].line;
	if (a->colmark && off > d->paras[lo].off && off <= d->len) {
		size_t po = d->paras[lo].off;

		/* characters before off less those before the paragraph, or those
		 * between, whichever counts fewer bytes: no count from the
		 * paragraph's start, however long it is */
		if (off - po <= ((size_t)1 << COLMARK_SHIFT))
			*column = 1 + (int)utf8_count(d->text + po, off - po);
		else
			*column = 1 + (int)(chars_before(a, off) - chars_before(a, po));
		return;
	}
	*column = 1 + (int)utf8_count(d->text + d->paras[lo].off,
	    off > d->paras[lo].off ? off - d->paras[lo].off : 0);
}

/*
 * Characters of d->text in sp other than white space: ASCII and
 * well-formed three-byte characters led by E1-EC or EE-EF (nearly all of
 * Chinese; of these only U+3000 is a space) are classified by their
 * bytes, the rest decoded.
 */
static inline size_t
visible_step(const unsigned char *u, size_t len, size_t i, long *c)
{
	unsigned char x = u[i];
	uint32_t cp;
	size_t l;

	if (x < 0x80) {
		*c += x != ' ' && x != '\t' && x != '\n' && x != '\r';
		return i + 1;
	}
	/* E1-EC, EE-EF: any two continuation bytes follow (E0 and ED are decoded) */
	if (x - 0xE1u <= 0x0E && x != 0xED && len - i >= 3 &&
	    ((u[i + 1] ^ 0x80) | (u[i + 2] ^ 0x80)) < 0x40) {
		*c += x != 0xE3 || u[i + 1] != 0x80 || u[i + 2] != 0x80;
		return i + 3;
	}
	cp = utf8_decode((const char *)u + i, len - i, &l);
	*c += cp != 0x3000 && cp != 0xA0;
	return i + (l ? l : 1);
}

/* The count over [i, e) of the walk standing at i; *at is where it stops (e, or after it). */
static long
visible_walk(const struct doc *d, size_t i, size_t e, size_t *at)
{
	const unsigned char *u = (const unsigned char *)d->text;
	size_t len = d->len;
	long c = 0;

	while (i < e) {
		/* a run of three-byte characters led by E1-EC, EE-EF, as visible_step() counts them */
		while (i < e && u[i] - 0xE1u <= 0x0E && u[i] != 0xED && len - i >= 3 &&
		    ((u[i + 1] ^ 0x80) | (u[i + 2] ^ 0x80)) < 0x40) {
			c += u[i] != 0xE3 || u[i + 1] != 0x80 || u[i + 2] != 0x80;
			i += 3;
		}
		if (i < e)
			i = visible_step(u, len, i, &c);
	}
	*at = i;
	return c;
}

long
visible_chars(const struct doc *d, struct span sp)
{
	size_t at;

	return visible_walk(d, sp.off, sp.end < d->len ? sp.end : d->len, &at);
}

static size_t block_chars(const unsigned char *u, size_t len, size_t b, size_t e, size_t *white);

/*
 * The 字数 of the characters led by a byte of u[b..e), at most a block
 * (u valid UTF-8 of len bytes, as every loaded text is): visible_step()'s
 * count by bytes, the characters less the white space of block_chars().
 */
static long
visible_bytes(const unsigned char *u, size_t len, size_t b, size_t e)
{
	size_t white, n = block_chars(u, len, b, e, &white);

	return (long)(n - white);
}

void
analysis_vismarks(struct analysis *a)
{
	const struct doc *d = a->doc;
	size_t k, nk = (d->len >> COLMARK_SHIFT) + 1;

	if (a->viscnt)
		return;  /* made with the characters by analysis_marks() */
	a->viscnt = xmalloc(nk * sizeof(*a->viscnt));
	a->viscnt[0] = 0;
	for (k = 1; k < nk; k++)
		a->viscnt[k] = a->viscnt[k - 1] + visible_bytes((const unsigned char *)d->text, d->len,
		    (k - 1) << COLMARK_SHIFT, k << COLMARK_SHIFT);
}

/* The 字数 of the characters before x, a character boundary (x <= len). */
static long
visible_before(const struct analysis *a, size_t x)
{
	size_t b = (x >> COLMARK_SHIFT) << COLMARK_SHIFT;

	return a->viscnt[x >> COLMARK_SHIFT] +
	    visible_bytes((const unsigned char *)a->doc->text, a->doc->len, b, x);
}

long
analysis_visible(const struct analysis *a, struct span sp)
{
	const unsigned char *u = (const unsigned char *)a->doc->text;
	size_t e = sp.end < a->doc->len ? sp.end : a->doc->len;

	if (sp.off >= e)
		return 0;
	/* an end inside a character (never in practice): counted from sp.off, as it always was */
	if (a->viscnt == NULL || (u[sp.off] & 0xC0) == 0x80 || (e < a->doc->len && (u[e] & 0xC0) == 0x80))
		return visible_chars(a->doc, sp);
	return visible_before(a, e) - visible_before(a, sp.off);
}

/*
 * The characters (lead bytes) of u[b..e), at most a block of u (valid
 * UTF-8 of len bytes) and *white of them white space: utf8_count() and
 * visible_bytes() in one pass.  A character is one lead byte (not
 * 10xxxxxx); it is white space when it is ' ', '\t', '\n', '\r', U+00A0
 * (C2 A0) or U+3000 (E3 80 80).
 *
 * With SSE2, sixteen bytes a step, each class an exact compare (with the
 * two bytes after each loaded as well): no byte is looked at alone, and
 * the counts add up in byte lanes, summed every 15 steps.  Else eight
 * bytes at a time add their continuation bytes up in the eight lanes of
 * cont (at most 32 words a block, so no lane overflows); only eight with
 * a byte at most 0x20, C2 or E3 among them are looked at one by one for
 * white space.  The last bytes one by one either way.
 */
static size_t
block_chars(const unsigned char *u, size_t len, size_t b, size_t e, size_t *white)
{
	size_t i = b, n = 0, w = 0;
#ifdef __SSE2__
	const __m128i zero = _mm_setzero_si128(), lim = _mm_set1_epi8(-64);
	const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r'), c2 = _mm_set1_epi8((char)0xC2);
	const __m128i a0 = _mm_set1_epi8((char)0xA0), e3 = _mm_set1_epi8((char)0xE3);
	const __m128i x80 = _mm_set1_epi8((char)0x80);

	/* the loads reach two bytes past the sixteen */
	while (i + 16 <= e && i + 18 <= len) {
		__m128i cont = zero, wh = zero, sc, sw;
		size_t k;

		for (k = 0; k < 15 && i + 16 <= e && i + 18 <= len; k++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(u + i));
			__m128i v1 = _mm_loadu_si128((const __m128i *)(u + i + 1));
			__m128i v2 = _mm_loadu_si128((const __m128i *)(u + i + 2));
			__m128i x = _mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab)),
			    _mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)));

			x = _mm_or_si128(x,
			    _mm_and_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v1, a0)));
			x = _mm_or_si128(x, _mm_and_si128(_mm_cmpeq_epi8(v, e3),
			    _mm_and_si128(_mm_cmpeq_epi8(v1, x80), _mm_cmpeq_epi8(v2, x80))));
			/* 80-BF, below -64 as signed bytes: continuation bytes */
			cont = _mm_sub_epi8(cont, _mm_cmpgt_epi8(lim, v));
			wh = _mm_sub_epi8(wh, x);
		}
		sc = _mm_sad_epu8(cont, zero);
		sw = _mm_sad_epu8(wh, zero);
		n += 16 * k - (size_t)_mm_cvtsi128_si32(sc) -
		    (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sc, 8));
		w += (size_t)_mm_cvtsi128_si32(sw) +
		    (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sw, 8));
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	const uint64_t low16 = 0x00FF00FF00FF00FFULL;
	uint64_t cont = 0;
	size_t j;

	for (; i + 8 <= e; i += 8) {
		uint64_t v, x2, x3;

		memcpy(&v, u + i, 8);
		cont += (v & ~(v << 1) & high) >> 7;
		x2 = v ^ (ones * 0xC2);
		x3 = v ^ (ones * 0xE3);
		/* any byte below 0x21, or equal to C2 or E3 (exact as a whole) */
		if (!((((v - ones * 0x21) & ~v) | ((x2 - ones) & ~x2) | ((x3 - ones) & ~x3)) & high))
			continue;
		for (j = i; j < i + 8; j++) {
			unsigned char x = u[j];

			if (x > ' ' && x != 0xE3 && x != 0xC2)
				continue;
			w += x == ' ' || x == '\t' || x == '\n' || x == '\r' ||
			    (x == 0xE3 && len - j >= 3 && u[j + 1] == 0x80 && u[j + 2] == 0x80) ||
			    (x == 0xC2 && len - j >= 2 && u[j + 1] == 0xA0);
		}
	}
	/* the lanes summed in pairs first: eight of up to 32 may pass 255 */
	cont = (cont & low16) + (cont >> 8 & low16);
	n = (i - b) - (size_t)((cont * 0x0001000100010001ULL) >> 48);
#endif
	for (; i < e; i++) {
		unsigned char x = u[i];

		if ((x & 0xC0) == 0x80)
			continue;
		n++;
		w += x == ' ' || x == '\t' || x == '\n' || x == '\r' ||
		    (x == 0xE3 && len - i >= 3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) ||
		    (x == 0xC2 && len - i >= 2 && u[i + 1] == 0xA0);
	}
	*white = w;
	return n;
}

void
analysis_marks(struct analysis *a)
{
	const struct doc *d = a->doc;
	size_t k, nk = (d->len >> COLMARK_SHIFT) + 1, c = 0, white;
	long vis = 0;

	a->colmark = xmalloc(nk * sizeof(*a->colmark));
	/* the 字数 too, in the same pass (analysis_vismarks() then has them) */
	a->viscnt = xmalloc(nk * sizeof(*a->viscnt));
	for (k = 0; k < nk; k++) {
		size_t b = k << COLMARK_SHIFT, n;

		a->colmark[k] = c;
		a->viscnt[k] = vis;
		if (b < d->len) {
			n = block_chars((const unsigned char *)d->text, d->len, b,
			    d->len - b < ((size_t)1 << COLMARK_SHIFT) ? d->len : b + ((size_t)1 << COLMARK_SHIFT),
			    &white);
			c += n;
			vis += (long)(n - white);
		}
	}
}

/*
 * Where the last span analysis_norm_span() resolved ended, in the
 * original and in the normalised text: scopes come a paragraph after
 * another, so the next search starts near there.  A hint only (it may
 * come from another report): any value gives the same answers.
 */
static _Thread_local size_t last_orig, last_norm;

/*
 * First normalised offset whose original offset is >= off, looked for
 * from h on, a guess: steps of 1, 2, 4 ... away from h until the answer
 * lies between two map entries, then halving.  A few steps where the
 * guess is near, never more than about twice a plain binary search.
 */
static size_t
norm_lower(const struct analysis *a, size_t off, size_t h)
{
	const size_t *map = a->norm.map;
	size_t n = a->norm.len, lo, hi, step;

	if (h > n)
		h = n;
	if (h < n && map[h] < off) {
		/* after h: map[lo - 1] < off all along */
		lo = h + 1;
		for (step = 1; lo + step - 1 < n && map[lo + step - 1] < off; step *= 2)
			lo += step;
		hi = lo + step - 1 < n ? lo + step - 1 : n;
	} else {
		/* at h or before it: hi is n or map[hi] >= off all along */
		hi = h;
		for (step = 1; hi >= step && map[hi - step] >= off; step *= 2)
			hi -= step;
		lo = hi >= step ? hi - step + 1 : 0;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
analysis_norm_span(const struct analysis *a, struct span sp, size_t *no, size_t *ne)
{
	/* normalising keeps most bytes: the guesses move as far as the original does */
	size_t h = sp.off >= last_orig ? last_norm + (sp.off - last_orig) :
	    last_norm > last_orig - sp.off ? last_norm - (last_orig - sp.off) : 0;

	*no = norm_lower(a, sp.off, h);
	*ne = norm_lower(a, sp.end, sp.end > sp.off ? *no + (sp.end - sp.off) : *no);
	if (*ne < *no)
		*ne = *no;
	last_orig = sp.end;
	last_norm = *ne;
}

static int
is_sentence_end(uint32_t cp)
{
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == '\n';
}

/*
 * Three bytes read as one number, the first lowest: is it a three-byte
 * character (a lead byte 1110xxxx, two continuation bytes 10xxxxxx) led
 * by E1-EC, EE or EF, one that utf8_decode() takes whole (never overlong
 * nor a surrogate; E0 and ED go the long way)?  Most of a report is.
 */
static inline int
is_cjk3(uint32_t w)
{
	return (w & 0xC0C0F0U) == 0x8080E0U && (w & 0xFF) != 0xE0 && (w & 0xFF) != 0xED;
}

/* 。！？； as is_cjk3() reads them: E3 80 82, EF BC 81, EF BC 9F, EF BC 9B */
static inline int
is_sentence_end3(uint32_t w)
{
	return w == 0x8280E3U || w == 0x81BCEFU || w == 0x9FBCEFU || w == 0x9BBCEFU;
}

/*
 * The three bytes s[0..3) as is_cjk3() reads them; s[-1] is readable
 * (before: 1) or s[3] (0), so that a little-endian machine takes them in
 * one load.
 */
static inline uint32_t
bytes3(const char *s, int before)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t w;

	if (before) {
		memcpy(&w, s - 1, 4);
		return w >> 8;
	}
	memcpy(&w, s, 4);
	return w & 0xFFFFFFU;
#else
	const unsigned char *u = (const unsigned char *)s;

	(void)before;
	return u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16;
#endif
}

char *
analysis_excerpt(const struct analysis *a, size_t off, size_t len, long *mark)
{
	const char *t = a->doc->text;
	size_t n = a->doc->len, b = off, e = off + len, l, back = 0, fwd = 0;
	char *out;

	/*
	 * Back to the start of the sentence, at most 40 characters.  A
	 * valid three-byte character just before b is taken in one step (the
	 * loop over continuation bytes below stops at its lead byte, which
	 * utf8_decode() reads whole); anything else as utf8_decode() reads it.
	 */
	while (b > 0 && back < 40) {
		size_t p = b - 1;
		uint32_t cp;

		if (b >= 4) {
			uint32_t w = bytes3(t + b - 3, 1);

			if (is_cjk3(w)) {
				if (is_sentence_end3(w))
					break;
				b -= 3;
				back++;
				continue;
			}
		}
		while (p > 0 && ((unsigned char)t[p] & 0xC0) == 0x80)
			p--;
		cp = utf8_decode(t + p, b - p, &l);
		if (is_sentence_end(cp))
			break;
		b = p;
		back++;
	}
	/* forward to the end of the sentence, at most 40 characters, in the same steps */
	while (e < n && fwd < 40) {
		uint32_t cp;

		if (n - e >= 4) {
			uint32_t w = bytes3(t + e, 0);

			if (is_cjk3(w)) {
				e += 3;
				fwd++;
				if (is_sentence_end3(w))
					break;
				continue;
			}
		}
		cp = utf8_decode(t + e, n - e, &l);
		if (cp == '\n')
			break;
		e += l;
		fwd++;
		if (is_sentence_end(cp))
			break;
	}
	while (b < off && (t[b] == ' ' || t[b] == '\t'))
		b++;
	out = xmalloc(e - b + 1);
	memcpy(out, t + b, e - b);
	out[e - b] = '\0';
	*mark = (long)(off - b);
	return out;
}

/*
 * Occurrences of a needle end in the order they start, so the first one
 * found by its last byte is the first.
 */
const char *
find_tail(const char *s, size_t n, const char *needle)
{
	size_t l = strlen(needle), i = l - 1;

	if (l == 0)
		return s;
	while (i < n) {
		const char *q = memchr(s + i, needle[l - 1], n - i);

		if (q == NULL)
			return NULL;
		i = (size_t)(q - s);
		if (memcmp(s + i + 1 - l, needle, l - 1) == 0)
			return s + i + 1 - l;
		i++;
	}
	return NULL;
}

/* 64 bytes at a time (a paragraph of a one-line report is the whole report). */
size_t
count_upto(const char *s, size_t n, size_t k)
{
	size_t i = 0, c = 0;

	while (i < n && c < k) {
		size_t step = n - i < 64 ? n - i : 64;

		c += utf8_count(s + i, step);
		i += step;
	}
	return c;
}

/* ---- Chinese numerals ---- */

static const char *const zh_digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

size_t
zh_numeral_span(const char *s, size_t n)
{
	size_t i = 0, l;

	while (i < n) {
		uint32_t cp = utf8_decode(s + i, n - i, &l);

		if (zh_digit(cp) < 0)
			break;
		i += l;
	}
	return i;
}

int
zh_number(const char *s, size_t n)
{
	int val = 0, cur = 0, seen_ten = 0, digits = 0;
	size_t i = 0, l;

	(void)zh_digits;
	if (n == 0)
		return -1;
	while (i < n) {
		int d = zh_digit(utf8_decode(s + i, n - i, &l));

		if (d < 0)
			return -1;
		if (d == 10) {
			if (seen_ten)
				return -1;
			val += (cur ? cur : 1) * 10;
			cur = 0;
			seen_ten = 1;
		} else {
			cur = cur * (seen_ten ? 1 : 10) + d;
			digits++;
		}
		i += l;
	}
	if (seen_ten && digits > 2)
		return -1;
	return val + cur;
}

/* ---- patterns ---- */

/* A key of 256 for the six bytes at u. */
static inline unsigned
key6(const unsigned char *u)
{
	uint32_t lo;
	uint16_t hi;

	memcpy(&lo, u, 4);
	memcpy(&hi, u + 4, 2);
	return (unsigned)((((uint64_t)hi << 32 | lo) * 0x9E3779B97F4A7C15ULL) >> 56);
}

/*
 * Can one of pat's literals stand in s[0..n) (n <= LIT_SHORT)?  A literal
 * starts with a byte that is no continuation byte, so only the keys of
 * the six bytes at such bytes are made, each start chained to the one
 * before with its key; a literal is compared only where its key stands
 * (one shorter than a key everywhere).  0 only when none occurs: then
 * pat cannot match (every match contains one), the answer PCRE2 would
 * give.
 */
static int
lits_may_occur(const struct pattern *pat, const char *s, size_t n, struct litkeys *lk)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, k;

	if (!lk->made) {
		memset(lk->head, 0, sizeof(lk->head));
		for (i = 0; i + 6 <= n; i++)
			if ((u[i] & 0xC0) != 0x80) {
				unsigned h = key6(u + i);

				lk->next[i] = lk->head[h];
				lk->head[h] = (unsigned char)(i + 1);
			}
		lk->made = 1;
	}
	for (k = 0; k < pat->nlit; k++) {
		const struct patlit *l = &pat->lit[k];
		const unsigned char *q = (const unsigned char *)l->s;

		if (l->len >= 6 && (q[0] & 0xC0) != 0x80) {
			for (i = lk->head[key6(q)]; i != 0; i = lk->next[i - 1])
				if (i - 1 + l->len <= n && memcmp(u + i - 1, q, l->len) == 0)
					return 1;
			continue;
		}
		for (i = 0; i + l->len <= n; i++)
			if (u[i] == q[0] && memcmp(u + i, q, l->len) == 0)
				return 1;
	}
	return 0;
}

int
match_any(struct matcher *m, const struct pattern *pats, size_t npat, const char *s, size_t n,
	struct litkeys *lk, size_t *mo, size_t *ml)
{
	struct litkeys own;
	size_t i;
	int rc, worst = 0;

	if (lk == NULL) {
		own.made = 0;
		lk = &own;
	}
	for (i = 0; i < npat; i++) {
		/* no literal of it there: no match (what PCRE2 would answer) */
		if (n <= LIT_SHORT && pats[i].nlit > 0 && !lits_may_occur(&pats[i], s, n, lk))
			continue;
		rc = pattern_find(m, &pats[i], s, n, 0, mo, ml);
		if (rc == 1)
			return 1;
		if (rc < 0)
			worst = -1;
	}
	return worst;
}

/* ---- the unit a body names ---- */

/*
 * A unit named often in the body: the most frequent run of two to four
 * Han characters ending in 镇/乡/街道 (longest on ties), skipping 我镇,
 * 全镇 and the like.
 */
char *
unit_from_body(const char *s, size_t b, size_t e)
{
	return unit_named_often(s, b, e, 3);
}

/*
 * The first three bytes pat in s[i..e) at or after i, or e: memchr() on
 * the last byte, a continuation byte rarer than the lead.
 */
static size_t
find3(const char *s, size_t i, size_t e, const char *pat)
{
	while (i + 3 <= e) {
		const char *q = memchr(s + i + 2, pat[2], e - i - 2);

		if (q == NULL)
			break;
		i = (size_t)(q - s) - 2;
		if (s[i] == pat[0] && s[i + 1] == pat[1])
			return i;
		i++;
	}
	return e;
}

/* unit_from_body() with the least count min. */
char *
unit_named_often(const char *s, size_t b, size_t e, int min)
{
	struct ent {
		size_t off, len;
		int count;
	} *v = NULL;
	size_t n = 0, cap = 0, i, j, best = (size_t)-1;
	size_t zhen = find3(s, b, e, "镇"), xiang = find3(s, b, e, "乡");

	/* 镇 (E9 95 87) and 乡 (E4 B9 A1) found by their bytes, in the order
	 * of the text: in valid UTF-8 (every text is) a lead byte always
	 * starts a character, so no character needs to be stepped over */
	while ((i = zhen < xiang ? zhen : xiang) < e) {
		size_t start = i, k;

		if (i == zhen)
			zhen = find3(s, i + 3, e, "镇");
		else
			xiang = find3(s, i + 3, e, "乡");
		for (k = 1; k <= 4; k++) {
			size_t pl;
			uint32_t pc;

			/* step back one code point */
			if (start <= b)
				break;
			pl = 1;
			while (start > b + pl && ((unsigned char)s[start - pl] & 0xC0) == 0x80)
				pl++;
			if (start < b + pl)
				break;
			pc = utf8_decode(s + start - pl, pl, &pl);
			if (!utf8_is_han(pc) || zh_numeral_span(s + start - pl, pl) > 0 ||
			    pc == 0x767E || pc == 0x5343 || pc == 0x4E07 ||  /* 百 千 万 */
			    pc == 0x6211 || pc == 0x5168 || pc == 0x672C ||
			    pc == 0x5404 || pc == 0x8BE5 || pc == 0x4E61 || pc == 0x57CE || pc == 0x6751 ||
			    pc == 0x548C || pc == 0x3001 || pc == 0x4E2A || pc == 0x5728 || pc == 0x5BF9 ||
			    pc == 0x6CBB || pc == 0x5174 || pc == 0x5F3A)
				break;  /* 我 全 本 各 该 乡 城 村 和 、 个 在 对 治 兴 强 */
			start -= pl;
			if (k < 2)
				continue;
			for (j = 0; j < n; j++)
				if (v[j].len == i + 3 - start && memcmp(s + v[j].off, s + start, v[j].len) == 0)
					break;
			if (j == n) {
				xgrow(&v, &cap, n + 1, sizeof(*v));
				v[n].off = start;
				v[n].len = i + 3 - start;
				v[n].count = 0;
				n++;
			}
			v[j].count++;
		}
	}
	for (j = 0; j < n; j++)
		if (v[j].count >= min && (best == (size_t)-1 || v[j].count > v[best].count ||
		    (v[j].count == v[best].count && v[j].len > v[best].len)))
			best = j;
	{
		char *r = best == (size_t)-1 ? NULL : xstrndup(s + v[best].off, v[best].len);

		free(v);
		return r;
	}
}
