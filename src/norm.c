/*
 * norm.c: the matching copy of a text (see norm.h for the folding rules).
 *
 * One pass over the input, with table lookups only: ASCII goes through a
 * 128-entry class table, other code points through a switch on the few
 * folded ranges and the two-level t2s table.  Runs of characters that
 * stay as they are (most of a report) are found first, a bit of a table
 * for each three-byte character (keep3_tab), and copied whole with their
 * map numbered by vector stores; the rest goes one code point at a time.
 * The output buffer grows geometrically and is kept between calls.
 *
 * map[j] is the original byte offset of output byte j: bytes of a code
 * point copied unchanged map one to one; every byte of a folded code
 * point maps to the first byte of its source; a run of spaces folded to
 * one ASCII space maps to the first space.  map[len] is n.  So a match
 * [a, b) in the copy is the original text [map[a], map[b]), which also
 * covers anything dropped right after the match (spaces, a gloss).
 * map[] never decreases, so it can be binary-searched.
 *
 * Spaces at the start or end of a line count as next to a non-ASCII
 * character: they are dropped, so "　　一、" and "  1. " start the line.
 * A gloss must be a lower-case pinyin word: tone-marked, with a tone
 * digit, or an unmarked syllable of two letters or more.
 */
#include "norm.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* map[] numbered with vector stores: 64-bit size_t and SSE2, AVX2 where the CPU has it */
#if defined(__SSE2__) && SIZE_MAX == UINT64_MAX
#define MAP_SSE2 1
#if defined(__x86_64__) && defined(__GNUC__)
#define MAP_AVX2 1
#endif
#endif
#if defined(MAP_AVX2)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "t2s_table.h"
#include "utf8.h"
#include "util.h"

/* Classes of ASCII bytes; those up to AC_NL are copied as they are. */
enum {
	AC_COPY,   /* copied as is */
	AC_NL,     /* '\n', the paragraph separator, copied as is */
	AC_WIDE,   /* ( ) : ; , ! ? -> full-width */
	AC_SPACE   /* space, tab, CR, VT, FF */
};

static const unsigned char ascii_class[128] = {
	['\t'] = AC_SPACE, ['\n'] = AC_NL, ['\v'] = AC_SPACE, ['\f'] = AC_SPACE, ['\r'] = AC_SPACE,
	[' '] = AC_SPACE, ['('] = AC_WIDE, [')'] = AC_WIDE, [':'] = AC_WIDE, [';'] = AC_WIDE,
	[','] = AC_WIDE, ['!'] = AC_WIDE, ['?'] = AC_WIDE,
};

void
norm_init(struct normtext *nt)
{
	memset(nt, 0, sizeof(*nt));
}

void
norm_release(struct normtext *nt)
{
	free(nt->s);
	free(nt->map);
	norm_init(nt);
}

/* norm_t2s(), inlined in the copy's loop */
static inline uint32_t
t2s(uint32_t cp)
{
	size_t lo, hi, mid;
	unsigned pg;
	uint32_t t;

	if (cp < 0x3400)
		return cp;
	if (cp <= 0xFFFF) {
		pg = t2s_pageidx[cp >> 8];
		if (pg == 0)
			return cp;
		t = t2s_pages[pg - 1][cp & 0xFF];
		if (t == 0)
			return cp;
		if (t != 0xFFFF)
			return t;
	}
	lo = 0;
	hi = T2S_NWIDE;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t2s_wide[mid][0] == cp)
			return t2s_wide[mid][1];
		if (t2s_wide[mid][0] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cp;
}

uint32_t
norm_t2s(uint32_t cp)
{
	return t2s(cp);
}

/* Horizontal spaces folded or dropped (beside the ASCII ones). */
static int
is_uspace(uint32_t cp)
{
	return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
	    cp == 0x205F || cp == 0x3000;
}

/* Invisible characters removed outright (zero-width space/joiners, BOM). */
static int
is_invisible(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

/*
 * The code point that cp becomes in the copy (0 when cp is not folded
 * by a one-to-one rule).  Spaces, glosses and invisibles are handled by
 * the caller.
 */
static uint32_t
fold_cp(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E) {
		if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
		    (cp >= 0xFF41 && cp <= 0xFF5A))
			return cp - 0xFEE0;
		return cp;
	}
	return t2s(cp);
}

/* Base letter of a pinyin letter: a-z, tone-marked vowels, ü as 'v'; 0 if none. */
static int
pinyin_letter(uint32_t cp, int *tone)
{
	static const struct {
		uint16_t cp;
		char base;
	} marked[] = {
		{0x00E0, 'a'}, {0x00E1, 'a'}, {0x00E8, 'e'}, {0x00E9, 'e'}, {0x00EA, 'e'},
		{0x00EC, 'i'}, {0x00ED, 'i'}, {0x00F2, 'o'}, {0x00F3, 'o'}, {0x00F9, 'u'},
		{0x00FA, 'u'}, {0x00FC, 'v'}, {0x0101, 'a'}, {0x0113, 'e'}, {0x011B, 'e'},
		{0x012B, 'i'}, {0x014D, 'o'}, {0x016B, 'u'}, {0x01CE, 'a'}, {0x01D0, 'i'},
		{0x01D2, 'o'}, {0x01D4, 'u'}, {0x01D6, 'v'}, {0x01D8, 'v'}, {0x01DA, 'v'},
		{0x01DC, 'v'},
	};
	size_t i;

	if (cp >= 'a' && cp <= 'z')
		return (int)cp;
	if (cp < 0xE0 || cp > 0x1DC)
		return 0;
	for (i = 0; i < sizeof(marked) / sizeof(marked[0]); i++)
		if (marked[i].cp == cp) {
			if (cp != 0xFC && cp != 0xEA)
				*tone = 1;
			return marked[i].base;
		}
	return 0;
}

/* Is w (base letters, ü as 'v') one pinyin syllable? */
static int
is_syllable(const char *w)
{
	static const char *const finals[] = {
		"a", "o", "e", "i", "u", "v", "ai", "ei", "ui", "ao", "ou", "iu", "ie", "ve", "ue",
		"er", "an", "en", "in", "un", "vn", "ang", "eng", "ing", "ong", "ia", "iao", "ian",
		"iang", "iong", "ua", "uo", "uai", "uan", "uang", "ueng", "van", "uen",
	};
	static const char inits[] = "bpmfdtnlgkhjqxrzcsyw";
	const char *f = w;
	size_t i;

	if ((w[0] == 'z' || w[0] == 'c' || w[0] == 's') && w[1] == 'h')
		f = w + 2;
	else if (w[0] && strchr(inits, w[0]))
		f = w + 1;
	for (i = 0; i < sizeof(finals) / sizeof(finals[0]); i++)
		if (strcmp(f, finals[i]) == 0)
			return 1;
	return 0;
}

/*
 * Length in bytes of a pinyin gloss starting at s[0..n) with its opening
 * bracket: "(shè)", "（tǒng）", "(tong3)"; 0 if there is none.  The word
 * is 1 to 8 lower-case or tone-marked letters with an optional tone
 * digit; unmarked words must be a pinyin syllable of two letters or
 * more, so "(PPP)", "(app)" or "(a)" after a Han character stay.
 */
static size_t
gloss_len(const char *s, size_t n)
{
	char word[10];
	size_t i, k, nl = 0;
	uint32_t cp;
	int tone = 0, vowel = 0, c;

	cp = utf8_decode(s, n, &k);
	if (cp != '(' && cp != 0xFF08)
		return 0;
	i = k;
	while (i < n) {
		cp = utf8_decode(s + i, n - i, &k);
		c = pinyin_letter(cp, &tone);
		if (c == 0)
			break;
		if (nl == 8)
			return 0;
		word[nl++] = (char)c;
		if (strchr("aeiouv", c))
			vowel = 1;
		i += k;
	}
	if (nl == 0 || !vowel)
		return 0;
	word[nl] = '\0';
	if (i < n && s[i] >= '0' && s[i] <= '5') {
		tone = 1;
		i++;
	}
	if (i >= n)
		return 0;
	cp = utf8_decode(s + i, n - i, &k);
	if (cp != ')' && cp != 0xFF09)
		return 0;
	if (!tone && (nl < 2 || !is_syllable(word)))
		return 0;
	return i + k;
}

/*
 * Skip the run of spaces (and invisibles) from s[*i]; return the first
 * code point after it as it will be in the copy, or '\n' when the run
 * ends the paragraph or the text.
 */
static uint32_t
skip_spaces(const char *s, size_t n, size_t *i)
{
	uint32_t cp;
	size_t k;

	while (*i < n) {
		unsigned char c = (unsigned char)s[*i];

		if (c < 0x80) {
			if (ascii_class[c] == AC_SPACE) {
				(*i)++;
				continue;
			}
			return ascii_class[c] == AC_WIDE ? 0xFF08 : c;
		}
		cp = utf8_decode(s + *i, n - *i, &k);
		if (!is_uspace(cp) && !is_invisible(cp))
			return fold_cp(cp);
		*i += k;
	}
	return '\n';
}

/*
 * Does the copy keep the valid three-byte character cp (U+1000 to U+FFFF,
 * no surrogate) as it is?  Not if it is a space or invisible, （ (which may
 * open a gloss), a full-width digit or letter or a traditional character.
 */
static int
kept3(uint32_t cp)
{
	/* 、。《》 and the like: no space past U+3000, no t2s below U+3400 */
	if (cp > 0x3000 && cp < 0x3400)
		return 1;
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp != 0xFF08 && fold_cp(cp) == cp;
	return !is_uspace(cp) && !is_invisible(cp) && t2s(cp) == cp;
}

/*
 * kept3() of every three-byte character, as bits: bit (b2 & 63) of
 * keep3_tab[(b0 & 15) << 6 | (b1 & 63)] is set when the character
 * b0 b1 b2 is kept as it is.  Leads E0 and ED (overlong forms and
 * surrogates among them) have no bits: the general case takes them.  The
 * table replaces the t2s lookups of the runs' loop by one load and one
 * bit test a character; it is built once, at the first norm_text(),
 * when map_run() also learns whether the CPU has AVX2.
 */
static uint64_t keep3_tab[16 * 64];
static pthread_once_t keep3_once = PTHREAD_ONCE_INIT;
#ifdef MAP_AVX2
/* map_run() stores with AVX2 (set with keep3_tab) */
static int map_avx2;
#endif

/*
 * Bit b2 set for the row[b2] (b2 < 64) that are 0 or base + b2: the
 * characters base + b2 that a t2s page leaves as they are; in *wide for
 * those that are 0xFFFF (see t2s_wide).  SSE2 takes eight entries a
 * step: the table is built at every start.
 */
static uint64_t
row_kept(const uint16_t *row, uint32_t base, uint64_t *wide)
{
	uint64_t m = 0;
	unsigned b2;

#ifdef __SSE2__
	const __m128i zero = _mm_setzero_si128(), ones = _mm_set1_epi16(-1),
	    eight = _mm_set1_epi16(8);
	__m128i cp = _mm_add_epi16(_mm_set1_epi16((short)base),
	    _mm_set_epi16(7, 6, 5, 4, 3, 2, 1, 0));

	*wide = 0;
	for (b2 = 0; b2 < 64; b2 += 8) {
		__m128i v = _mm_loadu_si128((const __m128i *)(row + b2));
		__m128i k = _mm_or_si128(_mm_cmpeq_epi16(v, zero), _mm_cmpeq_epi16(v, cp));
		/* both as bytes: the low eight bits the entries kept, the high eight the 0xFFFF */
		unsigned b = (unsigned)_mm_movemask_epi8(_mm_packs_epi16(k,
		    _mm_cmpeq_epi16(v, ones)));

		m |= (uint64_t)(b & 0xFF) << b2;
		*wide |= (uint64_t)(b >> 8) << b2;
		cp = _mm_add_epi16(cp, eight);
	}
#else
	*wide = 0;
	for (b2 = 0; b2 < 64; b2++) {
		m |= (uint64_t)(row[b2] == 0 || row[b2] == (base | b2)) << b2;
		*wide |= (uint64_t)(row[b2] == 0xFFFF) << b2;
	}
#endif
	return m;
}

static void
keep3_build(void)
{
	unsigned lead, b1, b2;
	uint32_t base;

	for (lead = 1; lead < 16; lead++) {
		if (lead == 0xD)
			continue;
		for (b1 = 0; b1 < 64; b1++) {
			uint64_t m = 0;
			unsigned pg;

			base = (uint32_t)lead << 12 | (uint32_t)b1 << 6;
			pg = t2s_pageidx[base >> 8];
			if ((base >> 6) == (0x3000 >> 6) || (base >> 6) == (0x1680 >> 6) ||
			    (base >> 6) == (0xFEFF >> 6) || (base >= 0x1FC0 && base <= 0x2060) ||
			    (base >= 0xFEC0 && base <= 0xFF5E)) {
				/* the spaces, invisibles and full-width forms: kept3() itself */
				for (b2 = 0; b2 < 64; b2++)
					if (kept3(base | b2))
						m |= (uint64_t)1 << b2;
			} else if (base >= 0x3400 && pg != 0) {
				/* only t2s can change these: kept without an entry in
				 * its page or with themselves as theirs; 0xFFFF asks
				 * t2s_wide */
				const uint16_t *row = t2s_pages[pg - 1] + (base & 0xFF);
				uint64_t wide;

				m = row_kept(row, base, &wide);
				for (; wide != 0; wide &= wide - 1) {
					b2 = (unsigned)__builtin_ctzll(wide);
					if (t2s(base | b2) == (base | b2))
						m |= (uint64_t)1 << b2;
				}
			} else {
				m = ~(uint64_t)0;
			}
			keep3_tab[lead << 6 | b1] = m;
		}
	}
#ifdef MAP_AVX2
	map_avx2 = __builtin_cpu_supports("avx2");
#endif
}

/*
 * The bit of keep3_tab for the three bytes at u, in bit 0, when they are
 * a lead E0-EF and two continuation bytes; b0 * 64 + b1 less the first
 * (E0 80) is the index.
 */
static inline uint64_t
keep3_bit(const unsigned char *u)
{
	return keep3_tab[((unsigned)u[0] << 6) + u[1] - (0xE0u * 64 + 0x80)] >> (u[2] & 63);
}

/* Byte patterns of eight three-byte characters: loaded like the text, so
 * the test does not depend on the byte order. */
#define BY8(a, b, c) a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a, b, c
static const unsigned char pat_mask[24] = {BY8(0xF0, 0xC0, 0xC0)};
static const unsigned char pat_form[24] = {BY8(0xE0, 0x80, 0x80)};
#undef BY8

/* The bits of the 8 bytes at u + q that break the form of pat_form at q. */
static inline uint64_t
form_bits(const unsigned char *u, size_t q)
{
	uint64_t w, m, f;

	memcpy(&w, u + q, 8);
	memcpy(&m, pat_mask + q, 8);
	memcpy(&f, pat_form + q, 8);
	return (w & m) ^ f;
}

/* Are u[0..24) eight three-byte characters that the copy keeps as they are? */
static inline int
kept8(const unsigned char *u)
{
	if ((form_bits(u, 0) | form_bits(u, 8) | form_bits(u, 16)) != 0)
		return 0;
	return (int)(keep3_bit(u) & keep3_bit(u + 3) & keep3_bit(u + 6) & keep3_bit(u + 9) &
	    keep3_bit(u + 12) & keep3_bit(u + 15) & keep3_bit(u + 18) & keep3_bit(u + 21) & 1);
}

/*
 * End of the run of characters from u[i] (before u[n]) that the copy
 * keeps as they are, byte for byte: ASCII but spaces and ( ) : ; , ! ?,
 * and valid three-byte characters that kept3() keeps (keep3_tab); *last
 * becomes the run's last code point when it is not empty.  Most of a
 * report is such runs, so the caller copies each with one memcpy() and
 * numbers its map[] in one loop instead of deciding byte by byte.
 * Anything else (two- and four-byte characters, E0 and ED leads, bad
 * bytes) ends the run and is left to the general case.  Eight three-byte
 * characters are tested a step while they last.
 */
static size_t
plain_run(const unsigned char *u, size_t i, size_t n, uint32_t *last)
{
	size_t i0 = i;

	for (;;) {
		while (n - i >= 24 && kept8(u + i))
			i += 24;
		if (n - i >= 3 && (u[i] & 0xF0) == 0xE0 &&
		    ((u[i + 1] ^ 0x80) | (u[i + 2] ^ 0x80)) < 0x40 && (keep3_bit(u + i) & 1)) {
			i += 3;
			continue;
		}
		if (i < n && u[i] < 0x80 && ascii_class[u[i]] <= AC_NL) {
			i++;
			continue;
		}
		break;
	}
	/* a run holds ASCII and three-byte characters only */
	if (i > i0)
		*last = u[i - 1] < 0x80 ? u[i - 1] :
		    ((uint32_t)(u[i - 3] & 0x0F) << 12) | ((uint32_t)(u[i - 2] & 0x3F) << 6) |
		    (u[i - 1] & 0x3F);
	return i;
}

#ifdef MAP_AVX2
/* map_run() with AVX2: four entries a store, sixteen a step. */
__attribute__((target("avx2"))) static void
map_run_avx2(size_t *map, size_t from, size_t len)
{
	__m256i v = _mm256_set_epi64x((long long)from + 3, (long long)from + 2,
	    (long long)from + 1, (long long)from);
	const __m256i four = _mm256_set1_epi64x(4);
	size_t m;

	for (m = 0; m + 16 <= len; m += 16) {
		_mm256_storeu_si256((__m256i *)(map + m), v);
		v = _mm256_add_epi64(v, four);
		_mm256_storeu_si256((__m256i *)(map + m + 4), v);
		v = _mm256_add_epi64(v, four);
		_mm256_storeu_si256((__m256i *)(map + m + 8), v);
		v = _mm256_add_epi64(v, four);
		_mm256_storeu_si256((__m256i *)(map + m + 12), v);
		v = _mm256_add_epi64(v, four);
	}
	for (; m < len; m++)
		map[m] = from + m;
}
#endif

/*
 * map[0..len) = from, from + 1, ...: the map of a run copied as it is,
 * with AVX2 where the CPU has it (map_avx2), else with SSE2 two entries
 * a store, eight a step.
 */
static void
map_run(size_t *map, size_t from, size_t len)
{
	size_t m = 0;

#ifdef MAP_AVX2
	if (map_avx2) {
		map_run_avx2(map, from, len);
		return;
	}
#endif
#ifdef MAP_SSE2
	{
		__m128i v = _mm_set_epi64x((long long)from + 1, (long long)from);
		const __m128i two = _mm_set1_epi64x(2);

		for (; m + 8 <= len; m += 8) {
			_mm_storeu_si128((__m128i *)(map + m), v);
			v = _mm_add_epi64(v, two);
			_mm_storeu_si128((__m128i *)(map + m + 2), v);
			v = _mm_add_epi64(v, two);
			_mm_storeu_si128((__m128i *)(map + m + 4), v);
			v = _mm_add_epi64(v, two);
			_mm_storeu_si128((__m128i *)(map + m + 6), v);
			v = _mm_add_epi64(v, two);
		}
	}
#endif
	for (; m < len; m++)
		map[m] = from + m;
}

/* Room for need bytes in the copy (and need + 1 entries in map[]). */
static void
room(struct normtext *nt, size_t need)
{
	if (need <= nt->cap)
		return;
	while (nt->cap < need)
		nt->cap *= 2;
	nt->s = xrealloc(nt->s, nt->cap + 1);
	nt->map = xrealloc(nt->map, (nt->cap + 1) * sizeof(*nt->map));
}

/* A three-byte character copied as it is, byte i of s to byte j of the copy. */
static inline void
copy3(struct normtext *nt, const char *s, size_t i, size_t j)
{
	nt->s[j] = s[i];
	nt->s[j + 1] = s[i + 1];
	nt->s[j + 2] = s[i + 2];
	nt->map[j] = i;
	nt->map[j + 1] = i + 1;
	nt->map[j + 2] = i + 2;
}

void
norm_text(struct normtext *nt, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, j = 0, k, g, m, e;
	uint32_t cp, out, prev = '\n';
	char enc[4];

	if (nt->cap < n + n / 4 + 16) {
		nt->cap = n + n / 4 + 16;
		free(nt->s);
		free(nt->map);
		nt->s = xmalloc(nt->cap + 1);
		nt->map = xmalloc((nt->cap + 1) * sizeof(*nt->map));
	}
	pthread_once(&keep3_once, keep3_build);
	while (i < n) {
		room(nt, j + 4);
		e = plain_run(u, i, n, &prev);
		if (e > i) {
			room(nt, j + (e - i) + 4);
			memcpy(nt->s + j, s + i, e - i);
			map_run(nt->map + j, i, e - i);
			j += e - i;
			i = e;
			continue;
		}
		/* an AC_COPY or AC_NL byte is always in plain_run()'s run */
		if (u[i] < 0x80) {
			switch (ascii_class[u[i]]) {
			case AC_WIDE:
				if ((u[i] == '(') && utf8_is_han(prev) && (g = gloss_len(s + i, n - i)) > 0) {
					i += g;
					continue;
				}
				cp = u[i] == '(' ? 0xFF08 : u[i] == ')' ? 0xFF09 : u[i] == ':' ? 0xFF1A
				    : u[i] == ';' ? 0xFF1B : u[i] == ',' ? 0xFF0C : u[i] == '!' ? 0xFF01
				    : 0xFF1F;
				k = 1;
				goto emit_folded;
			default:
				k = 1;
				goto space;
			}
		}
		cp = utf8_decode(s + i, n - i, &k);
		/* the spaces and invisibles are all at or below U+3000 but the BOM */
		if ((cp <= 0x3000 || cp == 0xFEFF) && is_uspace(cp))
			goto space;
		if ((cp <= 0x3000 || cp == 0xFEFF) && is_invisible(cp)) {
			i += k;
			continue;
		}
		if (cp == 0xFF08 && utf8_is_han(prev) && (g = gloss_len(s + i, n - i)) > 0) {
			i += g;
			continue;
		}
		out = fold_cp(cp);
		if (out == cp && k == 3) {
			/* a Chinese character, copied as it is */
			copy3(nt, s, i, j);
			j += 3;
			prev = cp;
			i += 3;
			continue;
		}
		if (out == cp) {
			for (m = 0; m < k; m++) {
				nt->s[j] = s[i + m];
				nt->map[j++] = i + m;
			}
			prev = cp;
			i += k;
			continue;
		}
		cp = out;
	emit_folded:
		m = utf8_encode(cp, enc);
		memcpy(nt->s + j, enc, m);
		while (m-- > 0)
			nt->map[j++] = i;
		prev = cp;
		i += k;
		continue;
	space:
		/* A run of spaces: one ASCII space between ASCII characters, else nothing. */
		g = i;
		i += k;
		out = skip_spaces(s, n, &i);
		if (prev >= 0x80 || prev == '\n' || out >= 0x80 || out == '\n')
			continue;
		nt->s[j] = ' ';
		nt->map[j++] = g;
		prev = ' ';
	}
	nt->s[j] = '\0';
	nt->map[j] = n;
	nt->len = j;
}

char *
norm_strdup(const char *s)
{
	struct normtext nt;
	char *r;

	norm_init(&nt);
	norm_text(&nt, s, strlen(s));
	r = nt.s;
	free(nt.map);
	return r;
}
