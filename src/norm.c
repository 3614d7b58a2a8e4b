/*
 * norm.c: the matching copy of a text (see norm.h for the folding rules).
 *
 * One pass over the input, with table lookups only: ASCII goes through a
 * 128-entry class table, other code points through a switch on the few
 * folded ranges and the two-level t2s table.  Runs of characters that
 * stay as they are (most of a report) are found first and copied whole;
 * the rest goes one code point at a time.  The output buffer grows
 * geometrically and is kept between calls.
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

#include <stdlib.h>
#include <string.h>

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
 * End of the run of characters from u[i] (before u[n]) that the copy
 * keeps as they are, byte for byte: ASCII but spaces and ( ) : ; , ! ?,
 * and valid three-byte characters that kept3() keeps; *last becomes the
 * run's last code point when it is not empty.  Most of a report is such
 * runs, so the caller copies each with one memcpy() and numbers its map[]
 * in one loop instead of deciding byte by byte.  Anything else (two- and
 * four-byte characters, E0 and ED leads, bad bytes) ends the run and is
 * left to the general case, and so is a Han character with any t2s entry
 * (even one that t2s_wide maps to itself): the general case calls t2s().
 */
static size_t
plain_run(const unsigned char *u, size_t i, size_t n, uint32_t *last)
{
	size_t i0 = i;
	uint32_t cp, kept = 0, a1, a2;
	unsigned c, pg;

	while (i + 3 <= n) {
		c = u[i];
		/* a1, a2 < 0x40 when u[i + 1], u[i + 2] are continuation bytes */
		a1 = u[i + 1] ^ 0x80u;
		a2 = u[i + 2] ^ 0x80u;
		cp = ((uint32_t)(c & 0x0F) << 12) | (a1 << 6) | a2;
		if (c - 0xE4u <= 5 && (a1 | a2) < 0x40) {
			/* U+4000 to U+9FFF: only t2s can change a Han character */
			pg = t2s_pageidx[cp >> 8];
			if (pg != 0 && t2s_pages[pg - 1][cp & 0xFF] != 0)
				break;
			kept = cp;
			i += 3;
		} else if (c < 0x80) {
			if (ascii_class[c] > AC_NL)
				break;
			kept = c;
			i++;
		} else if (c - 0xE1u <= 0x0E && c != 0xED && (a1 | a2) < 0x40 && kept3(cp)) {
			kept = cp;
			i += 3;
		} else {
			break;
		}
	}
	/* the last one or two bytes */
	while (i < n && u[i] < 0x80 && ascii_class[u[i]] <= AC_NL) {
		kept = u[i];
		i++;
	}
	if (i > i0)
		*last = kept;
	return i;
}

/*
 * map[0..len) = from, from + 1, ...: the map of a run copied as it is,
 * four entries a step.
 */
static void
map_run(size_t *map, size_t from, size_t len)
{
	size_t m;

	for (m = 0; m + 4 <= len; m += 4) {
		map[m] = from + m;
		map[m + 1] = from + m + 1;
		map[m + 2] = from + m + 2;
		map[m + 3] = from + m + 3;
	}
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
