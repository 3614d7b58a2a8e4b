/*
 * outline.c: the title and the heading outline of a report.
 *
 * Real reports break every tidy rule: whole reports on one line, headings
 * that run into their body with or without punctuation, numbering reused
 * or broken, a viewer's chunk numbers at line starts, numbering stripped
 * from re-posted text.  Detection therefore works on candidates:
 *
 *   1. a numbering token (一、 （一） 1. 1、 （1） 一是 ...) at the start of a
 *      paragraph, or after a sentence end inside one when it continues the
 *      sequence of its style;
 *   2. an unnumbered short paragraph, or a phrase glued after a sentence
 *      end, that names a required section (the rule pack's patterns).
 *
 * The heading text of a candidate is its lead phrase: up to the first
 * sentence end, or, when that is long, up to where the body visibly starts
 * (the unit's name, 我镇, 一是, a year ...).  Levels come from the
 * document's own hierarchy: the numbering styles present, ranked 一、 >
 * （一） > 1. > （1）, so a report that only uses （一） and 1. has them at
 * levels 1 and 2; unnumbered part headings above a 一、 series push it one
 * level down.  Everything works on the normalised text (norm.h) and maps
 * back to original positions.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "analysis_int.h"
#include "utf8.h"

/* Numbering styles, in rank order. */
enum nstyle {
	NS_NONE,
	NS_ZH_DUN,    /* 一、 */
	NS_ZH_PAREN,  /* （一） (一) 一） */
	NS_AR_DOT,    /* 1. 1、 1． *. */
	NS_AR_PAREN,  /* （1） */
	NS_CIRCLE,    /* ① */
	NS_ITEM,      /* 一是 */
	NS_PART,      /* unnumbered part heading */
	NS__MAX
};

struct num {
	enum nstyle style;
	int number;   /* 0 when masked (*.) */
	size_t len;   /* bytes of the numbering token */
};

/* A heading found, in normalised offsets. */
struct cand {
	size_t para;
	size_t ns;       /* start of the numbering (or of the text when unnumbered) */
	size_t ts, te;   /* heading text */
	size_t pe;       /* end of the paragraph */
	enum nstyle style;
	int number;
	int run_in;
	int level;
	int slip;        /* an Arabic number standing in the level-1 series */
	int styled;      /* .docx: Word outline level of an unnumbered styled heading */
	size_t title_end;
};

struct cands {
	struct cand *v;
	size_t n, cap;
};

/* What the walk over a report's paragraphs looks for, worked out once a report. */
struct walk {
	const char *s;          /* the normalised text */
	size_t len;
	char *unit;             /* the unit's name (for body_starter): the title's, else the */
	size_t unitlen;         /* body's, looked for at the first need (unit_made) */
	int unit_made;
	const char **part;      /* the section names of 12 bytes or more, in pack order */
	size_t *partlen, npart; /* (glued_part) */
	uint64_t partmask;      /* a bit for the first two bytes of each (part_bit) */
};

static int
at(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);

	return i + k <= n && memcmp(s + i, lit, k) == 0;
}

static uint32_t
cp_at(const char *s, size_t n, size_t i, size_t *l)
{
	if (i >= n) {
		*l = 0;
		return 0;
	}
	return utf8_decode(s + i, n - i, l);
}

/*
 * zh_numeral_span(s, n) where it is at most 9 bytes (three characters),
 * else 10: the digits of a numbering token looked at, not a whole run.
 */
static inline size_t
short_numeral(const char *s, size_t n)
{
	size_t i = 0, l;

	while (i < n && i <= 9) {
		if (zh_digit(utf8_decode(s + i, n - i, &l)) < 0)
			break;
		i += l;
	}
	return i <= 9 ? i : 10;
}

/*
 * Parse a numbering token at s[i..n).  Recognises 一、 一. （一） (一)
 * 一） （一）、 1. 1、 1． *. （1） (1) ① 一是.  Returns 1 and fills *t.
 */
static int
parse_num(const char *s, size_t n, size_t i, struct num *t)
{
	size_t k, l, d;
	uint32_t cp;

	t->style = NS_NONE;
	t->number = 0;
	if (i >= n)
		return 0;
	/* decoded once: what it is decides which token can start here */
	cp = cp_at(s, n, i, &l);
	if (cp == 0xFF08) {  /* （ */
		k = i + 3;
		if ((d = zh_numeral_span(s + k, n - k)) > 0 && at(s, n, k + d, "）")) {
			t->style = NS_ZH_PAREN;
			t->number = zh_number(s + k, d);
			t->len = k + d + 3 - i;
			if (at(s, n, i + t->len, "、"))
				t->len += 3;
			return t->number > 0;
		}
		for (d = 0; k + d < n && s[k + d] >= '0' && s[k + d] <= '9' && d < 3; d++)
			;
		if (d > 0 && at(s, n, k + d, "）")) {
			t->style = NS_AR_PAREN;
			t->number = atoi(s + k);
			t->len = k + d + 3 - i;
			return t->number > 0;
		}
		return 0;
	}
	if (cp >= 0x2460 && cp <= 0x2473) {  /* ① .. ⑳ */
		t->style = NS_CIRCLE;
		t->number = (int)(cp - 0x2460 + 1);
		t->len = l;
		return 1;
	}
	/* zh_digit() first: zh_numeral_span() is 0 where it is not a numeral */
	if (zh_digit(cp) >= 0 && (d = short_numeral(s + i, n - i)) > 0 && d <= 9) {
		int v = zh_number(s + i, d);

		k = i + d;
		if (v <= 0 || v > 30)
			return 0;
		/* 一○二 and the like are years or counts, not numbering. */
		if (at(s, n, i, "○") || d > 6)
			return 0;
		if (at(s, n, k, "、") || at(s, n, k, "．") ||
		    (k < n && s[k] == '.' && !(k + 1 < n && s[k + 1] >= '0' && s[k + 1] <= '9'))) {
			t->style = NS_ZH_DUN;
			t->number = v;
			t->len = k + (s[k] == '.' ? 1 : 3) - i;
			return 1;
		}
		if (at(s, n, k, "）")) {  /* 一） without its opening bracket */
			t->style = NS_ZH_PAREN;
			t->number = v;
			t->len = k + 3 - i;
			return 1;
		}
		if (at(s, n, k, "是") && !at(s, n, k, "是否")) {
			t->style = NS_ITEM;
			t->number = v;
			t->len = k + 3 - i;
			return 1;
		}
		return 0;
	}
	if (cp == '*' || cp == 0xFF0A) {  /* masked digits, * or ＊: *. 加强组织领导 */
		k = i + (s[i] == '*' ? 1 : 3);
		if (k < n && (s[k] == '.' || at(s, n, k, "．") || at(s, n, k, "、"))) {
			t->style = NS_AR_DOT;
			t->number = 0;
			t->len = k + (s[k] == '.' ? 1 : 3) - i;
			return 1;
		}
		return 0;
	}
	for (d = 0; i + d < n && s[i + d] >= '0' && s[i + d] <= '9' && d < 3; d++)
		;
	if (d > 0 && d < 3) {
		k = i + d;
		if (k < n && s[k] == '.' && !(k + 1 < n && s[k + 1] >= '0' && s[k + 1] <= '9')) {
			t->len = k + 1 - i;
		} else if (at(s, n, k, "．") || at(s, n, k, "、")) {
			t->len = k + 3 - i;
		} else if (at(s, n, k, "）")) {
			t->style = NS_AR_PAREN;
			t->number = atoi(s + i);
			t->len = k + 3 - i;
			return t->number > 0;
		} else {
			return 0;
		}
		t->style = NS_AR_DOT;
		t->number = atoi(s + i);
		return t->number > 0;
	}
	return 0;
}

/*
 * Can parse_num() find a token at s[i..n)?  0 only where it cannot: its
 * first character is none of 0-9 * ＊ （ ①-⑳ and no Chinese digit.  The
 * outline's walk asks this at every sentence start, most of which start
 * with another character, before the call.
 */
static inline int
num_may_start(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;

	if (i >= n)
		return 0;
	if (u[i] < 0x80)
		return (u[i] >= '0' && u[i] <= '9') || u[i] == '*';
	/* the rest have three bytes led by E2-E9 or EF: decoded here where
	 * well formed, else left to parse_num() */
	if ((u[i] < 0xE2 || u[i] > 0xE9) && u[i] != 0xEF)
		return 0;
	if (n - i < 3 || ((u[i + 1] ^ 0x80) | (u[i + 2] ^ 0x80)) >= 0x40)
		return 1;
	cp = (uint32_t)(u[i] & 0x0F) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
	return cp == 0xFF08 || cp == 0xFF0A || (cp >= 0x2460 && cp <= 0x2473) || zh_digit(cp) >= 0;
}

/* Sentence ends that may be followed by a heading inside a paragraph. */
static int
is_stop(uint32_t cp)
{
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == '.';
}

/*
 * After the next 。！？；or ： in s[i..pe) (valid UTF-8, i a character
 * start), or pe: the sentence ends the outline walk steps over.  Each is
 * three bytes led by E3 or EF, and in valid UTF-8 those bytes only ever
 * lead a character: with SSE2 the two are looked for sixteen bytes at a
 * time, else byte by byte.
 */
static size_t
next_stop(const char *s, size_t i, size_t pe)
{
	const unsigned char *u = (const unsigned char *)s;
#ifdef __SSE2__
	const __m128i e3 = _mm_set1_epi8((char)0xE3), ef = _mm_set1_epi8((char)0xEF);
#endif

	if (i >= pe)
		return i;
	while (i < pe) {
#ifdef __SSE2__
		if (pe - i >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(u + i));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, e3),
			    _mm_cmpeq_epi8(v, ef)));

			if (m == 0) {
				i += 16;
				continue;
			}
			i += (size_t)__builtin_ctz(m);
		} else
#endif
		if (u[i] != 0xE3 && u[i] != 0xEF) {
			i++;
			continue;
		}
		/* u[i] is E3 or EF */
		if (i + 2 >= pe)
			return pe;
		if (u[i] == 0xE3 ? u[i + 1] == 0x80 && u[i + 2] == 0x82 :  /* 。 */
		    u[i + 1] == 0xBC &&
		    (u[i + 2] == 0x81 || u[i + 2] == 0x9F || u[i + 2] == 0x9B || u[i + 2] == 0x9A))
			return i + 3;  /* ！ ？ ； ： */
		i++;
	}
	return pe;
}

/* Paragraph ends a sentence (or a heading line that needs no stop). */
static int
ends_sentence(const char *s, size_t b, size_t e)
{
	size_t i = e, l;

	while (i > b && (s[i - 1] == ' ' || s[i - 1] == '\t'))
		i--;
	if (i == b)
		return 1;
	/* step back one code point */
	l = 1;
	while (i - l > b && ((unsigned char)s[i - l] & 0xC0) == 0x80)
		l++;
	{
		size_t dl;
		uint32_t cp = utf8_decode(s + i - l, l, &dl);

		return is_stop(cp) || cp == 0xFF1A || cp == 0x201D || cp == 0x300D || cp == 0x300F ||
		    cp == 0xFF09 || cp == ':' || cp == '"';
	}
}

/*
 * Where the body visibly starts inside a long lead phrase that has no
 * punctuation before it: the unit's own name, 我镇/我局..., 一是, a year,
 * 今年.  Returns the offset, or e when none is found after at least four
 * characters.
 */
static size_t
body_starter(const char *s, size_t b, size_t e, const char *unit, size_t unitlen)
{
	/* the loop below looks for these only where one of their first
	 * characters stands (我本一今全镇乡近年以): a new one with another
	 * first character goes there too */
	static const char *const starts[] = {
		"我镇", "我乡", "我局", "我县", "我区", "我市", "我委", "我办", "我街道", "我中心",
		"本镇", "本乡", "本局", "一是", "今年", "全镇", "全乡", "镇党委", "乡党委",
		"镇政府", "乡政府", "近年来", "年初以来", "以来，", NULL};
	size_t i = b, l, best = e;
	int chars = 0;
	int k;

	while (i < e && chars <= 40) {
		uint32_t cp = cp_at(s, e, i, &l);

		if (chars >= 4) {
			if (unitlen && i + unitlen < e && s[i] == unit[0] &&
			    memcmp(s + i, unit, unitlen) == 0)
				return i;
			/* only where a starter's first character is (我本一今全镇乡近年以) */
			if (cp == 0x6211 || cp == 0x672C || cp == 0x4E00 || cp == 0x4ECA || cp == 0x5168 ||
			    cp == 0x9547 || cp == 0x4E61 || cp == 0x8FD1 || cp == 0x5E74 || cp == 0x4EE5)
				for (k = 0; starts[k]; k++)
					/* the first two bytes first: strlen and memcmp
					 * only where they agree */
					if (starts[k][0] == s[i] && i + 1 < e &&
					    starts[k][1] == s[i + 1] && at(s, e, i, starts[k]))
						return i;
			/* 2024年 / 20xx年, not as part of a longer number */
			if (i + 5 <= e && s[i] == '2' && s[i + 1] == '0' &&
			    ((s[i + 2] >= '0' && s[i + 2] <= '9') || s[i + 2] == 'x' || s[i + 2] == 'X') &&
			    ((s[i + 3] >= '0' && s[i + 3] <= '9') || s[i + 3] == 'x' || s[i + 3] == 'X') &&
			    at(s, e, i + 4, "年"))
				return i;
		}
		i += l ? l : 1;
		chars++;
	}
	return best;
}

static void
cands_add(struct cands *c, const struct cand *x)
{
	xgrow(&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	c->v[c->n++] = *x;
}

/* Length in code points of s[b..e). */
static size_t
cps(const char *s, size_t b, size_t e)
{
	return e > b ? utf8_count(s + b, e - b) : 0;
}

/*
 * The heading text that follows a numbering token at ts: its lead phrase.
 * Sets *te and returns whether body text follows on the same paragraph.
 */
static inline size_t glued_part(const struct walk *w, const char *s, size_t i, size_t pe);
static inline size_t skip_lead(const char *s, size_t i, size_t pe);

/* Code points of a heading's first sentence that are looked at: no heading
 * is longer, and a paragraph flooded with numbering tokens stays linear. */
#define LEAD_SCAN 120

/* Does anything but spaces follow the punctuation at s[i]? */
static int
text_after(const char *s, size_t i, size_t pe)
{
	size_t l;

	if (i >= pe)
		return 0;
	cp_at(s, pe, i, &l);
	return skip_lead(s, i + (l ? l : 1), pe) < pe;
}

/*
 * Would cutting a heading at b split a phrase?  The clause before the cut
 * (since the last comma) must have four characters, and must not end in a
 * preposition or a verb that takes what follows as its object
 * ("完善我镇…", "推进全镇…").
 */
static int
cut_ok(const char *s, size_t ts, size_t b)
{
	static const char *const tails[] = {"在", "为", "把", "将", "由", "对", "向", "与", "和", "及",
		"的", "了", "是", "让", "使", "给", "从", "于", "以", "按", "据", "经", "带领", "推进",
		"完善", "加强", "推动", "提升", "指导", "组织", "督促", "落实", "健全", "建立", "深化",
		"强化", "规范", "保障", "助力", "服务", "引领", "围绕", "结合", "按照", "根据", "针对",
		"全面", "持续", "进一步", "加快", NULL};
	size_t i = ts, l, n = 0;
	int k;

	/* right after a comma: a clause boundary */
	if (b - ts >= 3 && (at(s, b, b - 3, "，") || at(s, b, b - 3, "；")))
		return 1;
	while (i < b) {
		uint32_t cp = cp_at(s, b, i, &l);

		i += l ? l : 1;
		n = cp == 0xFF0C || cp == 0x3001 ? 0 : n + 1;
	}
	if (n < 4)
		return 0;
	for (k = 0; tails[k]; k++) {
		size_t tl = strlen(tails[k]);

		if (b - ts >= tl && memcmp(s + b - tl, tails[k], tl) == 0)
			return 0;
	}
	return 1;
}

/*
 * A well-formed three-byte character led by E4-E9 at u[i] (most of
 * Chinese), all of it before e: utf8_decode() gives it length 3 and a
 * code point from U+4000 to U+9FFF.
 */
static inline int
han3(const unsigned char *u, size_t i, size_t e)
{
	return u[i] - 0xE4u <= 5 && e - i >= 3 && ((u[i + 1] ^ 0x80) | (u[i + 2] ^ 0x80)) < 0x40;
}

/* Is u[0..3) one of 一 零 〇 （ (a lead byte E4 E9 E3 EF, then two bytes)? */
static inline int
one_at(const unsigned char *u)
{
	switch (u[0]) {
	case 0xE4: return u[1] == 0xB8 && u[2] == 0x80;  /* 一 */
	case 0xE9: return u[1] == 0x9B && u[2] == 0xB6;  /* 零 */
	case 0xE3: return u[1] == 0x80 && u[2] == 0x87;  /* 〇 */
	case 0xEF: return u[1] == 0xBC && u[2] == 0x88;  /* （ */
	default: return 0;
	}
}

/*
 * Where the next 一 零 〇 or （ starts in u[i..e), all of it before e; e if
 * none.  Their lead bytes only ever lead a character, so the bytes are
 * searched, not the characters: with SSE2 the four pairs of a lead and
 * its second byte sixteen positions at a time, where u[0..end] may be
 * read (end >= e: the text's NUL).
 */
static size_t
one_next(const unsigned char *u, size_t i, size_t e, size_t end)
{
#ifdef __SSE2__
	const __m128i e4 = _mm_set1_epi8((char)0xE4), b8 = _mm_set1_epi8((char)0xB8),
	    e9 = _mm_set1_epi8((char)0xE9), x9b = _mm_set1_epi8((char)0x9B),
	    e3 = _mm_set1_epi8((char)0xE3), x80 = _mm_set1_epi8((char)0x80),
	    ef = _mm_set1_epi8((char)0xEF), bc = _mm_set1_epi8((char)0xBC);

	while (i < e && e - i >= 3 && end - i >= 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(u + i)),
			b = _mm_loadu_si128((const __m128i *)(u + i + 1));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(a, e4), _mm_cmpeq_epi8(b, b8)),
			_mm_and_si128(_mm_cmpeq_epi8(a, e9), _mm_cmpeq_epi8(b, x9b))),
		    _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(a, e3), _mm_cmpeq_epi8(b, x80)),
			_mm_and_si128(_mm_cmpeq_epi8(a, ef), _mm_cmpeq_epi8(b, bc)))));

		/* only those that end before e */
		if (e - i < 18)
			m &= (1u << (e - i - 2)) - 1;
		for (; m != 0; m &= m - 1)
			if (one_at(u + i + (size_t)__builtin_ctz(m)))
				return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#else
	(void)end;
#endif
	for (; i < e && e - i >= 3; i++)
		if (one_at(u + i))
			return i;
	return e;
}

/*
 * The run of ASCII and of characters led by E4-E9 at u[i..pe), which
 * lead_phrase()'s walk steps over without decoding them, sixteen bytes a
 * step (SSE2): returns where it ends, a character's start, with its
 * characters added to *nch, not past LEAD_SCAN (the walk's own loop takes
 * a step that would go past).  In valid UTF-8 (every text is) a byte that
 * is no continuation byte starts a character and E4-E9 lead three bytes:
 * the step ends at the first lead byte of another, or before a character
 * the sixteen bytes cut.
 */
static inline size_t
plain_run(const unsigned char *u, size_t i, size_t pe, size_t *nch)
{
#ifdef __SSE2__
	const __m128i bf = _mm_set1_epi8((char)0xBF), e4 = _mm_set1_epi8((char)0xE4),
	    five = _mm_set1_epi8(5);

	while (pe - i >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(u + i)), d = _mm_sub_epi8(v, e4);
		/* 00-7F and C0-FF (signed above BF): a character starts there */
		unsigned lead = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(v, bf));
		unsigned han = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, five),
		    d));
		unsigned other = lead & (unsigned)_mm_movemask_epi8(v) & ~han;
		unsigned k, n;

		if (other) {
			k = (unsigned)__builtin_ctz(other);
		} else {
			/* (sixteen continuation bytes: not UTF-8, left to the byte loop) */
			if (lead == 0)
				return i;
			/* the last character, if the block cuts it (E4-E9 leads three bytes) */
			k = 31 - (unsigned)__builtin_clz(lead);
			if (u[i + k] < 0x80 || k <= 13)
				k = 16;
		}
		/* the characters that start before k, counted in the register (no
		 * popcnt in the base x86-64) */
		lead &= (1u << k) - 1;
		n = lead - ((lead >> 1) & 0x5555);
		n = (n & 0x3333) + ((n >> 2) & 0x3333);
		n = (n + (n >> 4)) & 0x0F0F;
		n = (n + (n >> 8)) & 0x1F;
		if (*nch + n > LEAD_SCAN)
			return i;
		*nch += n;
		i += k;
		if (other)
			return i;
	}
#else
	(void)u;
	(void)pe;
	(void)nch;
#endif
	return i;
}

static int
lead_phrase(struct walk *w, const char *s, size_t ts, size_t pe, enum nstyle style, size_t *te)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = ts, l, stop, comma = 0, colon = 0, nch = 0, k;
	uint32_t cp;

	/* the first sentence, as far as a heading can reach */
	while (i < pe && nch < LEAD_SCAN) {
		/* runs of characters that are none of the marks below first */
		i = plain_run(u, i, pe, &nch);
		if (i >= pe || nch >= LEAD_SCAN)
			break;
		/* ASCII and the characters led by E4-E9 (most of Chinese, well formed)
		 * are none of the marks below: stepped over as cp_at() would */
		if (u[i] < 0x80) {
			i++;
			nch++;
			continue;
		}
		if (han3(u, i, pe)) {
			/* and the run of them that follows */
			do {
				i += 3;
				nch++;
			} while (nch < LEAD_SCAN && han3(u, i, pe));
			continue;
		}
		cp = cp_at(s, pe, i, &l);
		if (is_stop(cp) && cp != '.')
			break;
		if (nch <= 40 && cp == 0xFF0C)
			comma = i;
		/* 加强组织领导：成立… (not 10：30; the character before it, the second
		 * at least, is a digit where its last byte is one) */
		if (!colon && nch >= 2 && nch <= 40 && cp == 0xFF1A &&
		    !(u[i - 1] >= '0' && u[i - 1] <= '9' && i + 3 < pe && s[i + 3] >= '0' &&
			s[i + 3] <= '9'))
			colon = i;
		i += l ? l : 1;
		nch++;
	}
	stop = i;
	/* A canonical section name followed by its body: 五、其他需要报告的情况无。 */
	if (style != NS_ITEM && (k = glued_part(w, s, ts, pe)) > 0 && ts + k < stop) {
		*te = ts + k;
		return 1;
	}
	/* A lower-rank numbering or an item glued to a heading: 一、主要举措（一）加强...
	 * from the fifth character on; only 一 零 〇 or （ starts one numbered 1
	 * (a numeral that starts with another digit is worth 2 or more) */
	if (style != NS_ITEM) {
		size_t n;

		for (i = ts, n = 0; i < stop && n < 4; n++) {
			cp_at(s, stop, i, &l);
			i += l ? l : 1;
		}
		for (i = one_next(u, i, stop, w->len); i < stop;
		    i = one_next(u, i + 3, stop, w->len)) {
			struct num t;

			if (parse_num(s, pe, i, &t) && t.number == 1 &&
			    ((u[i] == 0xEF && (t.style == NS_ZH_PAREN || t.style == NS_AR_PAREN) &&
				(style == NS_ZH_DUN || style == NS_PART)) ||
				t.style == NS_ITEM)) {
				*te = i;
				return 1;
			}
		}
	}
	/* heading：body */
	if (colon) {
		*te = colon;
		return text_after(s, colon, pe);
	}
	if (nch > 40) {
		size_t b;

		if (style != NS_ITEM && !w->unit_made) {
			/* the body's unit only now: most reports never need it */
			if (w->unit == NULL && (w->unit = unit_from_body(w->s, 0, w->len)) != NULL)
				w->unitlen = strlen(w->unit);
			w->unit_made = 1;
		}
		b = style == NS_ITEM ? stop : body_starter(s, ts, stop, w->unit, w->unitlen);

		if (b < stop && cut_ok(s, ts, b)) {
			*te = b;
			return 1;
		}
		/* a numbered body paragraph: keep its first clause as its label */
		if (comma && count_upto(s + ts, comma - ts, 4) >= 4) {
			*te = comma;
			return 1;
		}
		/* one long sentence: the whole of it, never cut inside a word */
	}
	*te = stop;
	/* run-in only when body text follows the stop */
	return text_after(s, stop, pe);
}

/* Does s[b..e) name a required section (a section's heading pattern)? */
static int
names_section(const struct rulepack *p, struct matcher *m, const char *s, size_t b, size_t e)
{
	size_t i, mo, ml;
	struct litkeys lk;

	lk.made = 0;
	for (i = 0; i < p->nsection; i++)
		if (!p->sections[i].fallback && match_any(m, p->sections[i].heading,
		    p->sections[i].nheading, s + b, e - b, &lk, &mo, &ml) == 1)
			return 1;
	return 0;
}

/*
 * Does the body visibly start at s[i..), right after a section name?  Not
 * when the name goes on: "主要举措和成效及经验" is one heading.
 */
static int
body_starts(const char *s, size_t i, size_t pe)
{
	static const char *const goes_on[] = {"、", "及", "和", "与", "暨", "并", "以", "等", "经验",
		"工作", "情况", "方面", "做法", "亮点", "特色", "体会", "启示", "问题", "成绩", "措施",
		"举措", "总结", NULL};
	int k;

	if (i >= pe)
		return 0;
	for (k = 0; goes_on[k]; k++)
		if (at(s, pe, i, goes_on[k]))
			return 0;
	return 1;
}

/* A bit of 64 for the two bytes at u (walk.partmask). */
static inline uint64_t
part_bit(const char *u)
{
	return (uint64_t)1 << (((unsigned char)u[0] * 7u + (unsigned char)u[1]) & 63);
}

/*
 * Exact canonical section name at s[i..) with its body glued to it: the
 * first of the pack's names of 12 bytes or more (w->part), each compared
 * only where its first two bytes stand.
 */
static size_t
glued_part_at(const struct walk *w, const char *s, size_t i, size_t pe)
{
	size_t k;

	for (k = 0; k < w->npart; k++) {
		const char *name = w->part[k];
		size_t nl = w->partlen[k];

		if (name[0] == s[i] && name[1] == s[i + 1] && at(s, pe, i, name) &&
		    (skip_lead(s, i + nl, pe) == pe || body_starts(s, i + nl, pe)))
			return nl;
	}
	return 0;
}

/* glued_part_at() where a name's first two bytes may stand (walk.partmask), inline: the
 * outline's walk asks at every sentence start. */
static inline size_t
glued_part(const struct walk *w, const char *s, size_t i, size_t pe)
{
	if (i + 1 >= pe || !(w->partmask & part_bit(s + i)))
		return 0;
	return glued_part_at(w, s, i, pe);
}

static int
is_bookmark(const char *s, size_t i, size_t pe, size_t *len)
{
	const char *close;

	if (i >= pe || s[i] != '[')
		return 0;
	if (!at(s, pe, i, "[bookmark:") && !at(s, pe, i, "[bookmark："))
		return 0;
	close = memchr(s + i, ']', pe - i);
	if (close == NULL)
		return 0;
	*len = (size_t)(close - (s + i)) + 1;
	return 1;
}

/* Skip spaces and conversion artefacts at i. */
static size_t
skip_lead_any(const char *s, size_t i, size_t pe)
{
	size_t l;

	for (;;) {
		while (i < pe && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < pe && s[i] == '[' && is_bookmark(s, i, pe, &l)) {
			i += l;
			continue;
		}
		return i;
	}
}

/* skip_lead_any(), inline where nothing is to be skipped (at most sentence starts). */
static inline size_t
skip_lead(const char *s, size_t i, size_t pe)
{
	if (i >= pe || (s[i] != ' ' && s[i] != '\t' && s[i] != '['))
		return i;
	return skip_lead_any(s, i, pe);
}

/* State of the sequences while scanning. */
struct seq {
	int last[NS__MAX];
	int seen[NS__MAX];
	int prev_heading_para;  /* paragraph of the last heading, -1 */
	size_t prev_para_end;
};

/* Is a numbering token met inside a paragraph plausible as a heading here? */
static int
midline_ok(const struct seq *q, const struct num *t)
{
	if (t->style == NS_ITEM)
		return t->number == 1 || t->number == q->last[NS_ITEM] + 1;
	if (t->style == NS_ZH_DUN || t->style == NS_ZH_PAREN)
		return t->number == q->last[t->style] + 1 || (t->number == 1 && t->style == NS_ZH_PAREN);
	return 0;
}

static void
accept(struct cands *c, struct seq *q, size_t para, size_t ns, const struct num *t, size_t ts,
	size_t te, size_t pe, int run_in)
{
	struct cand x;
	int k;

	memset(&x, 0, sizeof(x));
	x.para = para;
	x.ns = ns;
	x.ts = ts;
	x.te = te;
	x.pe = pe;
	x.style = t->style;
	x.number = t->number;
	x.run_in = run_in;
	cands_add(c, &x);
	if (t->style != NS_PART)
		q->last[t->style] = t->number;
	q->seen[t->style]++;
	/* a new heading restarts the series below it */
	if (t->style == NS_ZH_DUN || t->style == NS_PART)
		for (k = NS_ZH_PAREN; k <= NS_ITEM; k++)
			if (k != NS_AR_DOT)
				q->last[k] = 0;
	if (t->style == NS_ZH_PAREN || t->style == NS_AR_DOT)
		q->last[NS_AR_PAREN] = q->last[NS_CIRCLE] = 0;
	if (t->style != NS_ITEM)
		q->last[NS_ITEM] = 0;
	/* a heading line: what follows on the next line may lack a stop before it */
	q->prev_heading_para = run_in ? -1 : (int)para;
}

/*
 * A document-sharing site's page fragments: every paragraph starts with the
 * next of 1、 2、 3、 …, each but the last is long, and somewhere one
 * fragment stops mid-sentence.  Returns whether the numbers are such chunk
 * numbers (to be skipped, never headings).
 */
static int
chunk_series(const struct doc *d, const char *s, const struct para_ranges *pr)
{
	size_t i, last = (size_t)-1;
	int want = 1, cut = 0;

	for (i = 0; i < d->npara; i++) {
		size_t b = skip_lead(s, pr->nb[i], pr->ne[i]), e = pr->ne[i];
		struct num t;

		if (b == e)
			continue;
		if (!parse_num(s, e, b, &t) || t.style != NS_AR_DOT || t.number != want)
			return 0;
		if (last != (size_t)-1) {
			if (count_upto(s + pr->nb[last], pr->ne[last] - pr->nb[last], 100) < 100)
				return 0;
			if (!ends_sentence(s, pr->nb[last], pr->ne[last]))
				cut = 1;
		}
		last = i;
		want++;
	}
	return want > 2 && cut;
}

/* Start of paragraph i's text: spaces, artefacts and a chunk number skipped. */
static size_t
para_start(const char *s, const struct para_ranges *pr, size_t i, size_t from, int chunked)
{
	size_t b = skip_lead(s, from, pr->ne[i]);
	struct num t;

	if (chunked && b == skip_lead(s, pr->nb[i], pr->ne[i]) && parse_num(s, pr->ne[i], b, &t))
		b = skip_lead(s, b + t.len, pr->ne[i]);
	return b;
}

/* Does a title line name its kind of document (文种)? */
static int
has_doc_kind(const char *s, size_t n)
{
	static const char *const kinds[] = {"报告", "总结", "汇报", "通知", "请示", "意见", "方案",
		"纪要", "决定", "计划", "函", NULL};
	int k;

	for (k = 0; kinds[k]; k++) {
		size_t l = strlen(kinds[k]);

		/* the kind ends the title line */
		if (n >= l && memcmp(s + n - l, kinds[k], l) == 0)
			return 1;
		if (k < 3 && find_tail(s, n, kinds[k]))
			return 1;
	}
	return 0;
}

/* Does a line name the subject of the report (法治政府建设, 依法行政…)? */
static int
names_subject(const char *s, size_t n)
{
	static const char *const subj[] = {"法治政府建设", "法治建设", "依法行政", "依法治", NULL};
	int k;

	for (k = 0; subj[k]; k++)
		if (find_str(s, n, subj[k]))
			return 1;
	return 0;
}

/* Does the text hold a year ("2025年")? */
static int
has_year(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 7 <= n; i++)
		if ((s[i] == '1' || s[i] == '2') && isdigit((unsigned char)s[i + 1]) &&
		    isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]) &&
		    memcmp(s + i + 4, "年", 3) == 0 && (i == 0 || !isdigit((unsigned char)s[i - 1])))
			return 1;
	return 0;
}

/* The report title: the first title-like lines before the body. */
static void
find_title(const struct doc *d, struct analysis *a, const struct para_ranges *pr, int chunked,
	size_t *body_para, size_t *body_off, struct result *res)
{
	const char *s = a->norm.s;
	size_t i, first = (size_t)-1, last = 0, scanned = 0, l;
	struct buf title;
	struct num t;
	int has_kind = 0, to_body = 0;
	/* a title that lacks its 文种: the lines up to the one naming the subject */
	size_t subj_last = (size_t)-1, subj_len = 0;

	*body_para = 0;
	*body_off = d->npara ? pr->nb[0] : 0;
	buf_init(&title);
	/* .docx: paragraphs in Word's Title style are the title */
	for (i = 0; i < d->npara && i < 12; i++)
		if (d->paras[i].title_style && d->paras[i].len > 0) {
			first = last = i;
			while (last + 1 < d->npara && d->paras[last + 1].title_style)
				last++;
			buf_add(&title, s + pr->nb[first], pr->ne[last] - pr->nb[first]);
			has_kind = 1;
			i = d->npara;
		}
	for (i = first == (size_t)-1 ? 0 : d->npara; i < d->npara && scanned < 8; i++) {
		size_t b = para_start(s, pr, i, pr->nb[i], chunked), e = pr->ne[i];
		/* (past 60 characters the count matters no more) */
		size_t n = e > b ? count_upto(s + b, e - b, 61) : 0;
		int kind;

		if (b == e)
			continue;
		if (parse_num(s, e, b, &t))
			break;
		/* 版头: 发文机关标志, 文号, 签发人, bullet lines (not counted) */
		if ((n <= 30 && e - b >= 6 && memcmp(s + e - 6, "文件", 6) == 0) ||
		    strstr(s + b, "签发人") == s + b || at(s, e, b, "--") || at(s, e, b, "——") ||
		    (n <= 24 && find_str(s + b, e - b, "〕") && find_str(s + b, e - b, "号"))) {
			if (first != (size_t)-1)
				break;
			continue;
		}
		scanned++;
		kind = has_doc_kind(s + b, e - b);
		if (n > 60 || find_str(s + b, e - b, "。") || (e - b >= 3 && at(s, e, e - 3, "："))) {
			to_body = 1;
			/* body text; a whole report on one line may start with its title */
			if (first == (size_t)-1 && !find_str(s + b, e - b, "：")) {
				const char *k1 = find_str(s + b, e - b > 240 ? 240 : e - b, "报告");
				const char *dot = find_str(s + b, e - b, "。");

				/* not the 报告 of a cited title: "根据《关于报送…报告的通知》" */
				if (k1 != NULL && (dot == NULL || k1 < dot) &&
				    find_str(s + b, (size_t)(k1 - (s + b)), "法治") &&
				    !find_str(s + b, (size_t)(k1 - (s + b)), "《")) {
					first = last = i;
					buf_add(&title, s + b, (size_t)(k1 + 6 - (s + b)));
					*body_para = i;
					*body_off = (size_t)(k1 + 6 - s);
					has_kind = 1;
					a->title.off = a->norm.map[b];
					a->title.end = a->norm.map[k1 + 6 - s];
				}
			}
			break;
		}
		if (n > 40)
			break;
		if (first != (size_t)-1 && has_kind) {
			/* the title repeated */
			if (title.len && strstr(title.s, s + b) != NULL && e - b >= 9) {
				last = i;
				continue;
			}
			break;
		}
		if (first == (size_t)-1)
			first = i;
		last = i;
		buf_add(&title, s + b, e - b);
		has_kind |= kind;
		if (!has_kind && subj_last == (size_t)-1 && i - first < 3 && names_subject(s + b, e - b) &&
		    has_year(title.s, title.len)) {
			subj_last = i;
			subj_len = title.len;
		}
		if (!has_kind && i + 1 < d->npara && scanned >= 4)
			break;
	}
	if (first != (size_t)-1 && !has_kind && subj_last != (size_t)-1 && to_body &&
	    cps(title.s, 0, subj_len) <= 50) {
		/* "××镇2025年法治政府建设情况" over the body: a title without its
		 * 文种 (FMT-001 says so); lines after it ("朗读") are not the title */
		last = subj_last;
		title.len = subj_len;
		title.s[subj_len] = '\0';
		has_kind = 1;
	}
	if (first != (size_t)-1 && has_kind && a->title.end == 0) {
		a->title.off = d->paras[first].off;
		a->title.end = d->paras[last].off + d->paras[last].len;
		*body_para = last + 1;
		*body_off = last + 1 < d->npara ? pr->nb[last + 1] : a->norm.len;
	} else if (!has_kind) {
		first = (size_t)-1;
		buf_release(&title);
	}
	if (first != (size_t)-1 && title.len) {
		struct outline_node *o;
		int line, col;

		res->outline = xrealloc(res->outline, (res->noutline + 1) * sizeof(*o));
		o = &res->outline[res->noutline++];
		memset(o, 0, sizeof(*o));
		o->kind = NODE_TITLE;
		o->level = 0;
		analysis_pos(a, a->title.off, &line, &col);
		o->line = line;
		o->column = col;
		o->parent = -1;
		/* the displayed title: original lines joined, spaces inside dropped
		 * (the runs between them copied whole) */
		{
			struct buf tb;
			size_t k, run = a->title.off;

			buf_init(&tb);
			for (k = a->title.off; k < a->title.end; k += l ? l : 1) {
				uint32_t cp = cp_at(d->text, a->title.end, k, &l);

				if (cp == '\n' || cp == ' ' || cp == '\t' || cp == 0x3000 ||
				    cp == '\r' || is_bookmark(d->text, k, a->title.end, &l)) {
					buf_add(&tb, d->text + run, k - run);
					run = k + (l ? l : 1);
				}
			}
			buf_add(&tb, d->text + run, k - run);
			o->text = buf_detach(&tb);
		}
	}
	buf_release(&title);
	(void)res;
}

/* Unit name as normalised text, from the title if there is one (for body_starter). */
static char *
guess_unit(const struct result *res)
{
	static const char *const ends[] = {"街道办事处", "民族乡", "街道", "镇", "乡", NULL};
	const char *t;
	size_t i;
	int k;

	if (res->noutline == 0 || res->outline[0].kind != NODE_TITLE)
		return NULL;
	t = res->outline[0].text;
	for (k = 0; ends[k]; k++) {
		const char *e = strstr(t, ends[k]);

		if (e != NULL && e > t) {
			/* take up to four characters before the end word, after 县/市/区 */
			const char *b = e;
			size_t l, n = 0;

			while (b > t && n < 4) {
				const char *p = b - 1;

				while (p > t && ((unsigned char)*p & 0xC0) == 0x80)
					p--;
				if (utf8_decode(p, (size_t)(b - p), &l) == 0x53BF ||  /* 县 */
				    utf8_decode(p, (size_t)(b - p), &l) == 0x5E02 ||  /* 市 */
				    utf8_decode(p, (size_t)(b - p), &l) == 0x533A)    /* 区 */
					break;
				b = p;
				n++;
			}
			i = (size_t)(e - b) + strlen(ends[k]);
			if (n >= 2)
				return xstrndup(b, i);
		}
	}
	return NULL;
}

/* Clause punctuation inside s[b..e): a sentence, not a part's name. */
static int
clause_punct(const char *s, size_t b, size_t e)
{
	return find_str(s + b, e - b, "，") || find_str(s + b, e - b, "；") ||
	    find_str(s + b, e - b, "：");
}

/*
 * A plain short line that may be an unnumbered part heading
 * ("2024年工作回顾", "加强政府自身建设"): no punctuation, not a date, not a
 * signature.
 */
static int
plain_line(const char *s, size_t b, size_t e, size_t n)
{
	/* the loop below looks for these only where one of their first bytes
	 * stands (E2 E3 EF): a new one with another first byte goes there too */
	static const char *const bad[] = {"。", "，", "；", "：", "！", "？", "、", "（", "）", "…",
		"——", NULL};
	static const char *const sign[] = {"政府", "委员会", "办事处", "党委", "局", "办公室", NULL};
	size_t i, l;
	int k;

	if (n < 2 || n > 20)
		return 0;
	/* any of bad anywhere: one pass, not one a mark */
	for (i = b; i < e; i++)
		if ((unsigned char)s[i] == 0xE3 || (unsigned char)s[i] == 0xEF ||
		    (unsigned char)s[i] == 0xE2)
			for (k = 0; bad[k]; k++)
				if (at(s, e, i, bad[k]))
					return 0;
	for (k = 0; sign[k]; k++) {
		l = strlen(sign[k]);
		if (e - b >= l && memcmp(s + e - l, sign[k], l) == 0)
			return 0;
	}
	for (i = b; i < e; i += l ? l : 1) {
		uint32_t cp = cp_at(s, e, i, &l);

		/* a date, a name with spaces, Latin text */
		if (cp == 0x65E5 && i > b) {  /* 日 after a digit */
			size_t pl = 1;

			while (pl < i - b && ((unsigned char)s[i - pl] & 0xC0) == 0x80)
				pl++;
			if ((s[i - 1] >= '0' && s[i - 1] <= '9') || zh_digit(utf8_decode(s + i - pl, pl, &pl)) >= 0)
				return 0;
		}
		if (cp == ' ' || (cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')))
			return 0;
	}
	return 1;
}

/* Attachments and notes after the report: 附件, 附件2 名词解释, 名词解释. */
static int
end_matter(const char *s, size_t b, size_t e)
{
	size_t n;

	/* its first word first: most paragraphs start with another */
	if (!at(s, e, b, "附") && !at(s, e, b, "名词解释"))
		return 0;
	n = e - b > 200 ? 41 : count_upto(s + b, e - b, 41);
	if (n > 40 || find_str(s + b, e - b, "。"))
		return 0;
	if (at(s, e, b, "附件")) {
		size_t i = b + 6;

		while (i < e && ((s[i] >= '0' && s[i] <= '9') || s[i] == ' '))
			i++;
		return i == e || at(s, e, i, "：") || at(s, e, i, "名词解释") || n <= 12;
	}
	return (at(s, e, b, "名词解释") || at(s, e, b, "附：名词解释")) && n <= 8;
}

/*
 * Plain short lines become part headings when the top numbering restarts
 * under them ("2024年工作回顾 （一）…（六） 2025年工作安排 （一）…"), or,
 * in a .docx, when they are bold and a series starts right under them.
 * Merges the confirmed ones into c, in document order.
 */
static void
confirm_parts(struct cands *c, const struct cands *pl)
{
	struct cands out = {NULL, 0, 0};
	size_t i, k, j;
	int restart = 0, seen_top = 0;
	enum nstyle top = NS_NONE;
	char *keep;

	if (pl->n == 0)
		return;
	for (k = 0; k < c->n; k++)
		if (c->v[k].style >= NS_ZH_DUN && c->v[k].style <= NS_CIRCLE &&
		    (top == NS_NONE || c->v[k].style < top))
			top = c->v[k].style;
	if (top == NS_NONE)
		return;
	keep = xcalloc(pl->n, 1);
	/* the first numbered candidate after each line, before the next line */
	for (i = 0, k = 0; i < pl->n; i++) {
		size_t lim = i + 1 < pl->n ? pl->v[i + 1].para : (size_t)-1;

		while (k < c->n && c->v[k].para <= pl->v[i].para)
			seen_top |= c->v[k++].style == top;
		for (j = k; j < c->n && c->v[j].para < lim; j++)
			if (c->v[j].style != NS_ITEM)
				break;
		if (j < c->n && c->v[j].para < lim && c->v[j].style == top && c->v[j].number == 1) {
			keep[i] = 1;
			if (seen_top)
				restart = 1;
			else if (pl->v[i].styled && j == k && k > 0)
				keep[i] = 2;  /* bold, right above its series */
		}
	}
	for (i = 0, k = 0; i <= pl->n; i++) {
		size_t upto = i < pl->n ? pl->v[i].para : (size_t)-1;

		while (k < c->n && c->v[k].para < upto)
			cands_add(&out, &c->v[k++]);
		if (i < pl->n && (keep[i] == 2 || (keep[i] && restart))) {
			struct cand x = pl->v[i];

			x.styled = 0;
			cands_add(&out, &x);
		}
	}
	free(keep);
	free(c->v);
	*c = out;
}

void
outline_build(const struct rulepack *p, const struct doc *d, struct analysis *a,
	struct result *res, struct matcher *m, const struct para_ranges *pr)
{
	const char *s = a->norm.s;
	struct cands c = {NULL, 0, 0};
	struct seq q;
	size_t i, k, body_para, body_off;
	int rank[NS__MAX], nrank = 0, container = 0, chunked;
	struct cands pl = {NULL, 0, 0};
	struct walk w;

	memset(&q, 0, sizeof(q));
	q.prev_heading_para = -1;
	chunked = chunk_series(d, s, pr);
	find_title(d, a, pr, chunked, &body_para, &body_off, res);
	memset(&w, 0, sizeof(w));
	w.s = s;
	w.len = a->norm.len;
	if ((w.unit = guess_unit(res)) != NULL) {
		w.unitlen = strlen(w.unit);
		w.unit_made = 1;
	}
	w.part = xcalloc(p->nsection + 1, sizeof(*w.part));
	w.partlen = xcalloc(p->nsection + 1, sizeof(*w.partlen));
	for (k = 0; k < p->nsection; k++) {
		const char *name = p->sections[k].name;

		if (name == NULL || strlen(name) < 12)
			continue;
		w.part[w.npart] = name;
		w.partlen[w.npart++] = strlen(name);
		w.partmask |= part_bit(name);
	}

	for (i = body_para; i < d->npara; i++) {
		size_t pe = pr->ne[i], pos = para_start(s, pr, i, i == body_para ? body_off : pr->nb[i], chunked);
		size_t te, l;
		struct num t;
		int first = 1;

		if (pos >= pe)
			continue;
		/* A table cell never carries a heading. */
		if (d->paras[i].flags & PARA_TABLE)
			continue;
		/* attachments and notes after the report are documents of their own */
		if (end_matter(s, pos, pe))
			break;
		while (pos < pe) {
			int ok = 0, run_in;

			pos = skip_lead(s, pos, pe);
			if (num_may_start(s, pe, pos) && parse_num(s, pe, pos, &t)) {
				if (first) {
					ok = 1;
					/* a viewer's chunk numbers continue the previous sentence */
					if ((t.style == NS_AR_DOT || t.style == NS_AR_PAREN) && i > 0) {
						size_t j = i;

						while (j > 0 && pr->nb[j - 1] == pr->ne[j - 1])
							j--;
						if (j > 0 && q.prev_heading_para != (int)(j - 1) &&
						    !ends_sentence(s, pr->nb[j - 1], pr->ne[j - 1]))
							ok = 0;
					}
				} else {
					ok = midline_ok(&q, &t);
				}
			}
			if (ok) {
				size_t ts = skip_lead(s, pos + t.len, pe);

				run_in = lead_phrase(&w, s, ts, pe, t.style, &te);
				if (te > ts || t.style == NS_ITEM) {
					accept(&c, &q, i, pos, &t, ts, te, pe, run_in);
					pos = te;
					first = 0;
					continue;
				}
			}
			/* unnumbered part heading: a short line naming a section */
			if (first && !ok) {
				/* past 240 bytes it has over 60 characters, all that is asked */
				size_t n = pe - pos > 240 ? 61 : count_upto(s + pos, pe - pos, 61);

				/* .docx: a heading style or outline level without a number */
				if (d->paras[i].outline_lvl > 0 && n >= 2 && n <= 60 &&
				    !find_str(s + pos, pe - pos, "。")) {
					t.style = NS_PART;
					t.number = 0;
					accept(&c, &q, i, pos, &t, pos, pe, pe, 0);
					c.v[c.n - 1].styled = d->paras[i].outline_lvl;
					break;
				}

				if (n >= 4 && n <= 30 && ends_sentence(s, pos, pe) == 0 &&
				    !at(s, pe, pos, "附件") && !at(s, pe, pos, "抄送") &&
				    !clause_punct(s, pos, pe) && names_section(p, m, s, pos, pe)) {
					t.style = NS_PART;
					t.number = 0;
					accept(&c, &q, i, pos, &t, pos, pe, pe, 0);
					break;
				}
				/* a plain short line: a part if the numbering restarts under it */
				if (plain_line(s, pos, pe, n) && glued_part(&w, s, pos, pe) == 0) {
					struct cand x;

					memset(&x, 0, sizeof(x));
					x.para = i;
					x.ns = x.ts = pos;
					x.te = x.pe = pe;
					x.style = NS_PART;
					x.styled = d->paras[i].lay.bold == 1;  /* reused: bold */
					cands_add(&pl, &x);
					break;
				}
			}
			/* a canonical section name glued after a sentence end */
			if ((l = glued_part(&w, s, pos, pe)) > 0) {
				t.style = NS_PART;
				t.number = 0;
				accept(&c, &q, i, pos, &t, pos, pos + l, pe, pos + l < pe);
				pos += l;
				first = 0;
				continue;
			}
			first = 0;
			/* move to the next sentence end (or 一是 after ：) */
			pos = next_stop(s, pos, pe);
		}
	}
	free(w.unit);
	free(w.part);
	free(w.partlen);
	confirm_parts(&c, &pl);
	free(pl.v);

	/* Arabic numbers standing in the level-1 series (一、 2、 三、). */
	{
		int prev = 0;  /* number of the last 一、 (or slip) */
		size_t last_zh = (size_t)-1, j;
		int *next = xcalloc(c.n + 1, sizeof(*next));

		/* number of the next 一、 after each candidate */
		for (k = c.n; k-- > 0;)
			next[k] = k + 1 < c.n ? (c.v[k + 1].style == NS_ZH_DUN ? c.v[k + 1].number : next[k + 1]) : 0;
		for (k = 0; k < c.n; k++) {
			struct cand *x = &c.v[k];
			int sibling = 0;

			if (x->style == NS_ZH_DUN) {
				prev = x->number;
				last_zh = k;
				continue;
			}
			if (x->style != NS_AR_DOT || !q.seen[NS_ZH_DUN])
				continue;
			/* not when it simply continues its own 1. 2. series under the same heading */
			for (j = k; j-- > 0 && j != last_zh && k - j <= 64;)
				if (c.v[j].style == NS_AR_DOT && c.v[j].number > 0) {
					/* 1. then 2. (not 1. then 2、) */
					sibling = c.v[j].number == x->number - 1 && !c.v[j].slip &&
					    !find_str(s + c.v[j].ns, c.v[j].ts - c.v[j].ns, "、") ==
					    !find_str(s + x->ns, x->ts - x->ns, "、");
					break;
				}
			if (x->number == prev + 1 && !sibling &&
			    (names_section(p, m, s, x->ts, x->te) || next[k] == x->number + 1)) {
				x->slip = 1;
				prev = x->number;
			}
		}
		free(next);
	}
	/* Rank the numbering styles present. */
	for (k = 0; k < NS__MAX; k++)
		rank[k] = 0;
	for (k = 0; k < c.n; k++)
		if (c.v[k].style != NS_ITEM && c.v[k].style != NS_PART && !c.v[k].slip)
			rank[c.v[k].style] = 1;
	for (k = NS_ZH_DUN; k <= NS_CIRCLE; k++)
		if (rank[k])
			rank[k] = ++nrank;
	/* Part headings right above a series starting at 1 contain it. */
	for (k = 0; k + 1 < c.n; k++)
		if (c.v[k].style == NS_PART && c.v[k + 1].style != NS_PART &&
		    c.v[k + 1].style != NS_ITEM && c.v[k + 1].number == 1 &&
		    rank[c.v[k + 1].style] == 1)
			container = 1;
	/* Assign levels; a second 一、 right after a level-1 一、 opens a sub-series. */
	{
		int sub = 0, cur = 0;

		for (k = 0; k < c.n; k++) {
			struct cand *x = &c.v[k];

			if (x->style == NS_PART) {
				x->level = x->styled > 1 ? (x->styled > 4 ? 4 : x->styled) : 1;
				if (x->level == 1)
					sub = 0;
			} else if (x->style == NS_ITEM) {
				x->level = cur + 1 > 5 ? 5 : cur + 1;
				if (x->level < 2)
					x->level = 2;
				continue;
			} else if (x->slip) {
				x->level = 1 + container;
				sub = 0;
			} else {
				x->level = rank[x->style] + container;
				if (x->style == NS_ZH_DUN) {
					struct cand *pv = k > 0 ? &c.v[k - 1] : NULL;

					if (!sub && x->number == 1 && pv && pv->style == NS_ZH_DUN &&
					    pv->number == 1 && !pv->slip)
						sub = 1;
					else if (sub && names_section(p, m, s, x->ts, x->te))
						sub = 0;
					if (sub)
						x->level++;
				}
			}
			cur = x->level;
		}
	}

	/* Emit the nodes. */
	{
		int parent_at[8];
		size_t base = res->noutline;

		for (k = 0; k < 8; k++)
			parent_at[k] = base > 0 ? 0 : -1;
		res->outline = xrealloc(res->outline, (base + c.n + 1) * sizeof(*res->outline));
		a->node_head = xcalloc(base + c.n + 1, sizeof(*a->node_head));
		a->node_body = xcalloc(base + c.n + 1, sizeof(*a->node_body));
		if (base > 0) {
			a->node_head[0] = a->title;
			a->node_body[0].off = a->title.off;
			a->node_body[0].end = d->len;
		}
		for (k = 0; k < c.n; k++) {
			struct cand *x = &c.v[k];
			struct outline_node *o = &res->outline[base + k];
			size_t os = a->norm.map[x->ns], ots = a->norm.map[x->ts], ote = a->norm.map[x->te];
			size_t j, lv = (size_t)x->level;
			int line, col;

			memset(o, 0, sizeof(*o));
			o->kind = x->style == NS_ITEM ? NODE_ITEM : x->style == NS_PART ? NODE_PART : NODE_HEADING;
			o->level = x->level;
			analysis_pos(a, os, &line, &col);
			o->line = line;
			o->column = col;
			/* the text as displayed, trimmed */
			while (ote > ots && (d->text[ote - 1] == ' ' || d->text[ote - 1] == '\t'))
				ote--;
			/* no trailing comma or colon on a heading cut from its body */
			while (ote > ots) {
				size_t pc = ote - 1, l2;
				uint32_t last;

				while (pc > ots && ((unsigned char)d->text[pc] & 0xC0) == 0x80)
					pc--;
				last = utf8_decode(d->text + pc, ote - pc, &l2);
				if (last != ',' && last != ':' && last != ';' && last != 0xFF0C &&
				    last != 0x3001 && last != 0xFF1A)
					break;
				ote = pc;
			}
			o->text = xstrndup(d->text + ots, ote - ots);
			if (x->style != NS_PART) {
				size_t ne = a->norm.map[x->ns + (x->ts > x->ns ? x->ts - x->ns : 0)];

				while (ne > os && (d->text[ne - 1] == ' ' || d->text[ne - 1] == '\t'))
					ne--;
				o->numbering = xstrndup(d->text + os, ne - os);
			}
			o->number = x->number;
			o->run_in = x->run_in;
			o->parent = lv >= 1 && lv < 8 ? parent_at[lv - 1] : -1;
			for (j = lv; j < 8; j++)
				parent_at[j] = (int)(base + k);
			a->node_head[base + k].off = os;
			a->node_head[base + k].end = a->norm.map[x->te];
		}
		res->noutline = base + c.n;
		/* a node's body runs to the next node at the same or a higher level */
		{
			size_t next_at[8];

			for (k = 0; k < 8; k++)
				next_at[k] = d->len;
			for (k = res->noutline; k-- > base;) {
				int lv = res->outline[k].level;
				size_t j;

				if (lv < 0)
					lv = 0;
				if (lv > 7)
					lv = 7;
				a->node_body[k].off = a->node_head[k].off;
				a->node_body[k].end = next_at[lv];
				for (j = (size_t)lv; j < 8; j++)
					next_at[j] = a->node_head[k].off;
			}
		}
	}
	a->body.off = a->norm.map[body_off < a->norm.len ? body_off : a->norm.len];
	a->body.end = d->len;
	free(c.v);
}
