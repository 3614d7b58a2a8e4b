/*
 * rules_match.c: PCRE2 patterns of the rule packs -- compiled once
 * (UTF|UCP, JIT where the library has it), matched with per-thread match
 * data and JIT stack, under a match limit and a depth limit so that a
 * runaway pattern ends in "not checked", never a hang.  The subject is
 * the analysis text, validated once, so every match passes NO_UTF_CHECK.
 * A pattern is JIT compiled at its first match (pattern_code()).
 */
#define _GNU_SOURCE     /* memrchr() */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "textindex.h"
#include "utf8.h"

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

/*
 * The last result of each alternative of a split pattern (pattern_search)
 * over one subject: a later search of the same subject from a later start
 * reuses every result that starts at or after it.
 */
struct altcache {
	const struct pattern *pat;   /* NULL: free */
	const char *text;
	size_t b, e, start;
	struct altres {
		int rc;
		size_t mo, ml;
		size_t at;               /* where the match was tried from (before a \K) */
	} *r;
	size_t cap;
};

#define ALTCACHE 8

struct matcher {
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_match_context *mcl;     /* mc with an offset limit, for the limited code (pat->anch of fc) */
	pcre2_jit_stack *js;
	struct altcache cache[ALTCACHE];
	unsigned next;                /* the slot to take next */
	/* search_chars(): no first character of pat in text[from, nx) of the range [b, e) */
	struct {
		const struct pattern *pat;
		const char *text;
		size_t b, e, from, nx;
	} fcc;
};

struct matcher *
matcher_new(void)
{
	struct matcher *m = xcalloc(1, sizeof(*m));

	m->md = pcre2_match_data_create(16, NULL);
	m->mc = pcre2_match_context_create(NULL);
	if (m->md == NULL || m->mc == NULL) {
		fprintf(stderr, "fzreport: out of memory\n");
		exit(6);
	}
	pcre2_set_match_limit(m->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mc, DEPTH_LIMIT);
	m->js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (m->js)
		pcre2_jit_stack_assign(m->mc, NULL, m->js);
	m->mcl = pcre2_match_context_copy(m->mc);
	if (m->mcl == NULL) {
		fprintf(stderr, "fzreport: out of memory\n");
		exit(6);
	}
	return m;
}

void
matcher_free(struct matcher *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < ALTCACHE; i++)
		free(m->cache[i].r);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mc);
	pcre2_match_context_free(m->mcl);
	if (m->js)
		pcre2_jit_stack_free(m->js);
	free(m);
}

/* Taken to JIT compile a pattern at its first match. */
static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

/* re, JIT compiled at the first call; *jit: whether it runs as JIT code (flag 2) or interpreted (1). */
static pcre2_code *
jit_once(pcre2_code *re, const _Atomic int *flag, int *jit)
{
	/* the flags are the fields written after loading; the pattern is
	 * heap memory, shared read-only otherwise */
	_Atomic int *done = (_Atomic int *)flag;
	int f = atomic_load_explicit(done, memory_order_acquire);

	if (re && !f) {
		pthread_mutex_lock(&jit_lock);
		if (!(f = atomic_load_explicit(done, memory_order_relaxed))) {
			/* falls back to the interpreter */
			f = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0 ? 2 : 1;
			atomic_store_explicit(done, f, memory_order_release);
		}
		pthread_mutex_unlock(&jit_lock);
	}
	*jit = f == 2;
	return re;
}

pcre2_code *
pattern_code(const struct pattern *pat)
{
	int jit;

	return jit_once(pat->re, &pat->jitted, &jit);
}

/*
 * re over s[0..n) from start: 1 and the match, 0 none, -1 a limit.  JIT
 * code is entered by pcre2_jit_match(), which skips pcre2_match()'s
 * checks of its arguments (a third of a short call's instructions) and
 * matches the same: the options are NO_UTF_CHECK's, the limits the
 * context's.
 */
static inline int
match_in(struct matcher *m, pcre2_match_context *mc, pcre2_code *re, int jit, const char *s,
	size_t n, size_t start, size_t *mo, size_t *ml)
{
	int rc = jit ? pcre2_jit_match(re, (PCRE2_SPTR)s, n, start, PCRE2_NO_UTF_CHECK, m->md, mc) :
	    pcre2_match(re, (PCRE2_SPTR)s, n, start, PCRE2_NO_UTF_CHECK, m->md, mc);
	PCRE2_SIZE *ov;

	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return -1;
	ov = pcre2_get_ovector_pointer(m->md);
	*mo = ov[0];
	*ml = ov[1] > ov[0] ? ov[1] - ov[0] : 0;
	return 1;
}

static inline int
match_code(struct matcher *m, pcre2_code *re, int jit, const char *s, size_t n, size_t start,
	size_t *mo, size_t *ml)
{
	return match_in(m, m->mc, re, jit, s, n, start, mo, ml);
}

int
pattern_find(struct matcher *m, const struct pattern *pat, const char *s, size_t n, size_t start,
	size_t *mo, size_t *ml)
{
	pcre2_code *re;
	int jit;

	if (pat->re == NULL || start > n)
		return 0;
	re = jit_once(pat->re, &pat->jitted, &jit);
	return match_code(m, re, jit, s, n, start, mo, ml);
}

static char *digits_class(const char *src);

/* src compiled with option opt as well (NULL if it cannot be). */
static pcre2_code *
compile_with(const char *src, uint32_t opt)
{
	int ec;
	PCRE2_SIZE eo;

	return pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C | opt, &ec, &eo, NULL);
}

/*
 * pat->anch, compiled at its first use (most patterns never need it) and
 * JIT compiled; NULL if it cannot be.  Like jitted, amade is written
 * once under the lock.  Anchored for a pattern with leading literals
 * (pat->first); with an offset limit for one with first characters
 * (pat->fc): search_chars() runs it over a stretch of candidates at once.
 */
static pcre2_code *
anchored_code(const struct pattern *pat, int *jit)
{
	_Atomic int *made = (_Atomic int *)&pat->amade;

	if (!atomic_load_explicit(made, memory_order_acquire)) {
		pthread_mutex_lock(&jit_lock);
		if (!atomic_load_explicit(made, memory_order_relaxed)) {
			struct pattern *w = (struct pattern *)pat;
			char *d = digits_class(w->src);

			if (w->anch == NULL)
				w->anch = compile_with(d ? d : w->src,
				    w->fc || w->lines ? PCRE2_USE_OFFSET_LIMIT : PCRE2_ANCHORED);
			free(d);
			atomic_store_explicit(made, 1, memory_order_release);
		}
		pthread_mutex_unlock(&jit_lock);
	}
	return jit_once(pat->anch, &pat->ajitted, jit);
}

/* pattern_find() of a match that starts at start itself (pat->anch). */
static int
pattern_try(struct matcher *m, const struct pattern *pat, const char *s, size_t n, size_t start,
	size_t *mo, size_t *ml)
{
	int jit;
	pcre2_code *re = anchored_code(pat, &jit);

	return match_code(m, re, jit, s, n, start, mo, ml);
}

/*
 * First characters.  A pattern whose every match starts with one of a
 * few characters, and with no leading literal of two characters and no
 * first code unit (which PCRE2's JIT finds with SIMD itself): PCRE2
 * scans for a start with its table by first byte, a byte at a time, and
 * in Chinese text the first byte of a character (E3 for 、。《》, EF for
 * ，：；（）) is shared by thousands of others, so PCRE2 enters the
 * pattern at most characters of a report.  Here the whole character is
 * looked for, 32 bytes at a time (AVX2) or 16 (SSSE3), and the pattern,
 * compiled with an offset limit as well, is run only where they stand:
 * one call for each stretch of them (characters less than FC_GAP bytes
 * apart, as the digits of 2024年 or 12.5%), which may start a match at
 * none but the stretch's characters.  Where the stretches crowd (more than one in
 * FC_DENSE bytes after FC_TRIES calls) PCRE2's own scan goes on from
 * there, its scan being cheaper than a call a character.
 */
#define FC_MAX 64
#define FC_TRIES 16
#define FC_DENSE 64
#define FC_GAP 32

struct firstchars {
	unsigned char lead[256];        /* 1: some character of cp starts with this byte */
	unsigned char last[256];        /* 1: some character of cp ends with this byte */
	unsigned char mid[256];         /* 1: some three-byte character has this one second */
	/* byte sets as two tables by nibble: byte x is in one when
	 * lo[x & 15] & hi[x >> 4] (one bit for each high nibble, at most 8):
	 * last[]; the first and second bytes of the three-byte characters;
	 * the first bytes of the two-byte ones */
	unsigned char lo[16], hi[16], lo3[16], hi3[16], lom[16], him[16], lo2[16], hi2[16];
	int exact;                      /* the tables are the sets, not more */
	int len[5];                     /* 1: some character of cp is this many bytes long */
	uint32_t cp[FC_MAX];
	size_t n;
	/* the set's number in a key set (-1: none), whose index lists where
	 * its characters stand (textindex_chars()): then no scan */
	const struct textindex_keys *keys;
	int set;
	struct prefauto *pa;            /* what may follow them (NULL: not known) */
};

/*
 * What a match may begin with, past its first character: an automaton
 * read from the pattern's source (pattern_prefauto()) whose every path
 * is a superset of what the pattern consumes, so that a character of fc
 * at which it finds no way through starts no match, and is not tried
 * (PCRE2's call for a stretch costs hundreds of instructions; a digit of
 * 2024 is no start of an 18-digit number, nor 为 of 为…件).  Bit i of a
 * mask is character node i; a node reads one character of its set.
 */
#define PA_NODES 64
#define PA_RANGES 256
#define PA_STEPS 32          /* characters read at most: the candidate passes then */

struct prefauto {
	uint64_t start;              /* the nodes that read the first character */
	uint64_t acc;                /* after node i a match may end (or the reading stops) */
	uint64_t next[PA_NODES];     /* the nodes that read the one after node i's */
	/* segment k, code points seg[k] to seg[k + 1] - 1 (the last one to
	 * the end), is read by the nodes segm[k] */
	size_t nseg;
	uint32_t seg[2 * PA_RANGES + 2];
	uint64_t segm[2 * PA_RANGES + 2];
	/* the first character's step, the same for each: the nodes that
	 * read the second after a character of segment k, and whether the
	 * reading may stop at it */
	uint64_t firsts[2 * PA_RANGES + 2];
	unsigned char accs[2 * PA_RANGES + 2];
	/* the segment of BMP code point c: sub[64 blk[c >> 6] + (c & 63)]
	 * (a block within one segment shares its row with the others) */
	uint16_t blk[1024];
	uint16_t sub[];
};

/* The segment of c. */
static inline size_t
pa_seg(const struct prefauto *a, uint32_t c)
{
	size_t lo = 0, hi = a->nseg;

	if (c < 0x10000)
		return a->sub[64 * (size_t)a->blk[c >> 6] + (c & 63)];
	/* the last segment that starts at or before c (seg[0] is 0) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->seg[mid] <= c)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The segment of the character at s[at] (at < e); its length into *l.
 * A valid three-byte character (all of Chinese) is decoded here, as
 * utf8_decode() would.
 */
static inline size_t
pa_id(const struct prefauto *a, const unsigned char *s, size_t at, size_t e, size_t *l)
{
	const unsigned char *u = s + at;
	uint32_t c;

	if (u[0] < 0x80) {
		*l = 1;
		return a->sub[u[0]];   /* rows 0 and 1 are ASCII's */
	}
	/* (b ^ 0x80) < 0x40: b is a continuation byte; both tested at once */
	if (e - at >= 3 && (u[0] & 0xF0) == 0xE0 && ((u[1] ^ 0x80) | (u[2] ^ 0x80)) < 0x40) {
		c = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) |
		    (u[2] & 0x3F);
		/* not overlong, not a surrogate (D800-DFFF) */
		if (c >= 0x800 && c - 0xD800 >= 0x800) {
			*l = 3;
			return a->sub[64 * (size_t)a->blk[c >> 6] + (c & 63)];
		}
	}
	c = utf8_decode_any((const char *)u, e - at, l);
	if (*l == 0)
		*l = 1;
	return pa_seg(a, c);
}

/*
 * May a match of the pattern start at s[at] (at < e; the subject ends at
 * e)?  0 only where none can.  The length of the character at s[at]
 * into *l0.
 */
static int
pa_pass(const struct prefauto *a, const unsigned char *s, size_t at, size_t e, size_t *l0)
{
	uint64_t cur, m;
	size_t k, l, x;

	/* the first step from the tables */
	x = pa_id(a, s, at, e, l0);
	if (a->accs[x])
		return 1;
	cur = a->firsts[x];
	at += *l0;
	for (k = 1; k < PA_STEPS; k++) {
		if (cur == 0)
			return 0;
		if (at >= e)
			return 0;        /* every way on needs one more character */
		x = pa_id(a, s, at, e, &l);
		m = cur & a->segm[x];
		if (m & a->acc)
			return 1;
		at += l;
		for (cur = 0; m; m &= m - 1)
			cur |= a->next[__builtin_ctzll(m)];
	}
	return cur != 0;
}

/*
 * Is the character whose last byte is s[p] (p >= i, s[i] starts a
 * character) one of fc?  Its start into *at.
 */
static int
fc_at(const struct firstchars *fc, const unsigned char *s, size_t i, size_t p, size_t e,
	size_t *at)
{
	size_t k = p, l;
	uint32_t x;

	if (s[p] < 0x80) {
		*at = p;
		return fc->last[s[p]];
	}
	if (s[p] >= 0xC0 || !fc->last[s[p]])
		return 0;
	while (k > i && p - k < 3 && (s[k] & 0xC0) == 0x80)
		k--;
	if (!fc->lead[s[k]] || (p - k == 2 && !fc->mid[s[k + 1]]))
		return 0;
	x = utf8_decode((const char *)s + k, e - k, &l);
	if (k + l != p + 1)
		return 0;
	for (l = 0; l < fc->n; l++)
		if (fc->cp[l] == x) {
			*at = k;
			return 1;
		}
	return 0;
}

/* The characters of fc in s[p, to) a byte at a time (s[i] starts one, e ends the range); to if none. */
static size_t
fc_scan1(const struct firstchars *fc, const unsigned char *s, size_t i, size_t p, size_t to,
	size_t e)
{
	size_t at;

	for (; p < to; p++)
		if (fc->last[s[p]] && fc_at(fc, s, i, p, e, &at))
			return at;
	return to;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* The bytes of v in the set of the nibble tables lo and hi, as bits. */
__attribute__((target("ssse3"))) static inline unsigned
fc_in(__m128i v, const unsigned char *lo, const unsigned char *hi)
{
	const __m128i nib = _mm_set1_epi8(0x0F);
	__m128i r = _mm_and_si128(
	    _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)lo), _mm_and_si128(v, nib)),
	    _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)hi),
		_mm_and_si128(_mm_srli_epi16(v, 4), nib)));

	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(r, _mm_setzero_si128())) ^ 0xFFFFu;
}

/* The bytes of s[0..16) that are not continuation bytes (0x80-0xBF, below 0xC0 as signed). */
__attribute__((target("ssse3"))) static inline unsigned
fc_lead(const unsigned char *s)
{
	return ~(unsigned)_mm_movemask_epi8(
	    _mm_cmplt_epi8(_mm_loadu_si128((const __m128i *)s), _mm_set1_epi8((char)0xC0)));
}

/* The ASCII bytes of s[0..16). */
__attribute__((target("ssse3"))) static inline unsigned
fc_ascii(const unsigned char *s)
{
	return ~(unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)s));
}

/* fc_in() of s[0..16). */
__attribute__((target("ssse3"))) static inline unsigned
fc_in16(const unsigned char *s, const unsigned char *lo, const unsigned char *hi)
{
	return fc_in(_mm_loadu_si128((const __m128i *)s), lo, hi);
}

/* The same three of s[0..32) (AVX2). */
__attribute__((target("avx2"))) static inline unsigned
fc_in32(const unsigned char *s, const unsigned char *lo, const unsigned char *hi)
{
	const __m256i nib = _mm256_set1_epi8(0x0F), v = _mm256_loadu_si256((const __m256i *)s);
	__m256i r = _mm256_and_si256(
	    _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)lo)),
		_mm256_and_si256(v, nib)),
	    _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)hi)),
		_mm256_and_si256(_mm256_srli_epi16(v, 4), nib)));

	return ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
}

__attribute__((target("avx2"))) static inline unsigned
fc_lead32(const unsigned char *s)
{
	return ~(unsigned)_mm256_movemask_epi8(_mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xC0),
	    _mm256_loadu_si256((const __m256i *)s)));
}

__attribute__((target("avx2"))) static inline unsigned
fc_ascii32(const unsigned char *s)
{
	return ~(unsigned)_mm256_movemask_epi8(_mm256_loadu_si256((const __m256i *)s));
}

/*
 * The characters of fc in s[i, e), W bytes at a time: a byte that may end
 * one, not followed by a continuation byte (the middle bytes of Chinese
 * characters), with a first (and second) byte of the set before it as far
 * back as the character is long.  IN, LEAD and ASCII read W bytes: the
 * bytes of a set, those that start a character, the ASCII ones.  The
 * bytes before a character are read: none before the text.
 */
#define FC_SCAN(W, IN, LEAD, ASCII)                                                   \
	size_t p = i < 2 ? (e < 2 ? e : 2) : i, at;                                  \
                                                                                      \
	if (p > i && (at = fc_scan1(fc, s, i, i, p, e)) < p)                         \
		return at;                                                           \
	for (; e - p > (W); p += (W)) {                                              \
		unsigned m = IN(s + p, fc->lo, fc->hi), ok = 0;                       \
                                                                                      \
		if (m == 0 || (m &= LEAD(s + p + 1)) == 0)                           \
			continue;                                                    \
		if (fc->len[1])                                                      \
			ok |= ASCII(s + p);                                          \
		if (fc->len[2])                                                      \
			ok |= IN(s + p - 1, fc->lo2, fc->hi2);                        \
		if (fc->len[3])                                                      \
			ok |= IN(s + p - 2, fc->lo3, fc->hi3) & IN(s + p - 1, fc->lom, fc->him); \
		if (fc->len[4])                                                      \
			ok = ~0u;                                                    \
		for (m &= ok; m; m &= m - 1)                                         \
			if (fc_at(fc, s, i, p + (size_t)__builtin_ctz(m), e, &at))   \
				return at;                                           \
	}                                                                            \
	return fc_scan1(fc, s, i, p, e, e)

__attribute__((target("ssse3"))) static size_t
fc_scan16(const struct firstchars *fc, const unsigned char *s, size_t i, size_t e)
{
	FC_SCAN(16, fc_in16, fc_lead, fc_ascii);
}

__attribute__((target("avx2"))) static size_t
fc_scan32(const struct firstchars *fc, const unsigned char *s, size_t i, size_t e)
{
	FC_SCAN(32, fc_in32, fc_lead32, fc_ascii32);
}
#endif

/* Where in s[i, e) the next character of fc starts (i starts one); e if none. */
static size_t
fc_next(const struct firstchars *fc, const unsigned char *s, size_t i, size_t e)
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (fc->exact && __builtin_cpu_supports("avx2"))
		return fc_scan32(fc, s, i, e);
	if (fc->exact && __builtin_cpu_supports("ssse3"))
		return fc_scan16(fc, s, i, e);
#endif
	return fc_scan1(fc, s, i, i, e, e);
}

static _Thread_local struct textindex_keys *collect_keys;
/* the patterns compiled now read the raw text (the index's second text) */
static _Thread_local int collect_raw;

void
pattern_collect_keys(struct textindex_keys *k)
{
	collect_keys = k;
}

struct textindex_keys *
pattern_keys(void)
{
	return collect_keys;
}

void
matcher_forget(struct matcher *m)
{
	for (size_t i = 0; i < ALTCACHE; i++)
		m->cache[i].pat = NULL;
	m->fcc.pat = NULL;
}

/* The offset just past the character at text[at] (text[..e) holds it). */
static inline size_t
char_end(const char *text, size_t at, size_t e)
{
	size_t l;

	utf8_decode(text + at, e - at, &l);
	return at + (l ? l : 1);
}

/*
 * One anchored try of pat at text[at], a candidate start in [b, e): the
 * try's result (1 a match, offsets of text; -1 a limit), or 0 with
 * *start past the candidate, or 2 when the tries crowd (more than one in
 * FC_DENSE bytes after FC_TRIES of them since from) and PCRE2's own
 * search is to go on from *start.
 */
static inline int
try_at(struct matcher *m, const struct pattern *pat, const char *text, size_t b, size_t e,
	size_t at, size_t from, size_t *tries, size_t *start, size_t *mo, size_t *ml)
{
	int rc = pattern_try(m, pat, text + b, e - b, at - b, mo, ml);

	if (rc != 0) {
		if (rc == 1)
			*mo += b;
		return rc;
	}
	*start = char_end(text, at, e);
	return ++*tries >= FC_TRIES && *tries * FC_DENSE > *start - from ? 2 : 0;
}

/* The most leading literals search_firsts() merges (the walk keeps at most 64). */
#define FIRSTS_MAX 64

/*
 * search_one() of a pattern with leading literals whose start PCRE2
 * would find only by its table of first bytes: the pattern is tried,
 * anchored, at each occurrence of a leading literal in turn (from the
 * index, the literals' next occurrences merged), until the tries crowd
 * (as with first characters).  As try_at(): 2 when PCRE2's own search is
 * to go on from *start.
 */
static int
search_firsts(struct matcher *m, const struct pattern *pat, const struct textindex *ti,
	const char *text, size_t b, size_t e, size_t *start, size_t *mo, size_t *ml)
{
	long nx[FIRSTS_MAX];
	size_t i, at, from = *start, tries = 0;
	int rc, jit;

	for (i = 0; i < pat->nfirst; i++) {
		nx[i] = textindex_first(ti, pat->first[i].s, pat->first[i].len, &pat->first[i].ref,
		    *start, e);
		if (nx[i] == -2)
			return 2;         /* not indexed: it may be anywhere */
	}
	for (;;) {
		at = (size_t)-1;
		for (i = 0; i < pat->nfirst; i++)
			if (nx[i] >= 0 && (size_t)nx[i] < at)
				at = (size_t)nx[i];
		if (at == (size_t)-1)
			return 0;
		if (anchored_code(pat, &jit) == NULL) {
			*start = at;
			return 2;
		}
		rc = try_at(m, pat, text, b, e, at, from, &tries, start, mo, ml);
		if (rc != 0)
			return rc;
		for (i = 0; i < pat->nfirst; i++)
			if (nx[i] == (long)at)
				nx[i] = textindex_first(ti, pat->first[i].s, pat->first[i].len,
				    &pat->first[i].ref, *start, e);
	}
}

/*
 * The characters of a set where the index lists them: the list's
 * positions from *k on (ascending), the first at or after i whose
 * character ends by e; e if none (those after it end later still).
 */
static inline size_t
fc_listed(const uint32_t *pos, size_t n, size_t *k, const unsigned char *s, size_t i, size_t e)
{
	size_t j = *k;

	/* the next one is the one after the last, mostly; a binary search
	 * when the search starts afresh (*k 0 and the first one before i) */
	if (j == 0 && n > 0 && pos[0] < i)
		j = textindex_lower(pos, 1, n, i);
	while (j < n && pos[j] < i)
		j++;
	*k = j;
	if (j == n || pos[j] >= e)
		return e;
	/* one that may not end by e: its length by its lead byte (four bits
	 * a high nibble) */
	if (pos[j] + 4 > e && pos[j] + (0x4322111111111111ULL >> (4 * (s[pos[j]] >> 4)) & 0xF) > e)
		return e;
	return pos[j];
}

/*
 * search_one() of a pattern with first characters (pat->fc) from *start:
 * its limited code (see anchored_code()) run over each stretch of them,
 * a match starting at none of the characters between.  The characters
 * are taken from ti's lists where it has them, else scanned for.  As
 * try_at(): 2 when there is no limited code or the stretches crowd, and
 * PCRE2's own search is to go on from *start.
 */
/*
 * The next character of fc in text[i, e) (i starts one; from pos, ti's
 * list, where there is one) at which fc->pa lets a match start; e if none.
 */
static size_t
fc_cand(const struct firstchars *fc, const uint32_t *pos, size_t npos, size_t *k,
	const char *text, size_t i, size_t e)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t at, l;

	for (;;) {
		at = pos ? fc_listed(pos, npos, k, u, i, e) : fc_next(fc, u, i, e);
		if (at >= e || fc->pa == NULL || pa_pass(fc->pa, u, at, e, &l))
			return at;
		i = at + l;
	}
}

static int
search_chars(struct matcher *m, const struct pattern *pat, const struct textindex *ti,
	const char *text, size_t b, size_t e, size_t *start, size_t *mo, size_t *ml)
{
	const uint32_t *pos = NULL;
	size_t from = *start, calls = 0, at, npos = 0, k = 0;
	int jit, rc;
	pcre2_code *re;

	if ((re = anchored_code(pat, &jit)) == NULL)
		return 2;
	if (ti && pat->fc->keys == ti->keys && pat->fc->set >= 0)
		pos = textindex_chars(ti, text, pat->fc->set, &npos);
	/* a call after a match goes on where the last one looked ahead to */
	if (m->fcc.pat == pat && m->fcc.text == text && m->fcc.b == b && m->fcc.e == e &&
	    m->fcc.from <= *start && *start <= m->fcc.nx)
		at = m->fcc.nx;
	else
		at = fc_cand(pat->fc, pos, npos, &k, text, *start, e);
	for (;;) {
		size_t last = at, after, nx;

		if (at >= e)
			return 0;
		/* the characters that follow within FC_GAP bytes join the stretch;
		 * the first one after it is where the next stretch starts */
		for (;;) {
			after = char_end(text, last, e);
			nx = after >= e ? e : fc_cand(pat->fc, pos, npos, &k, text, after, e);
			if (nx >= e || nx - after >= FC_GAP)
				break;
			last = nx;
		}
		m->fcc.pat = pat;
		m->fcc.text = text;
		m->fcc.b = b;
		m->fcc.e = e;
		m->fcc.from = after;
		m->fcc.nx = nx;
		pcre2_set_offset_limit(m->mcl, last - b);
		rc = match_in(m, m->mcl, re, jit, text + b, e - b, at - b, mo, ml);
		if (rc != 0) {
			if (rc == 1)
				*mo += b;
			return rc;
		}
		*start = after;
		if (++calls >= FC_TRIES && calls * FC_DENSE > *start - from)
			return 2;
		at = nx;
	}
}

/*
 * Line-bound patterns (see pattern_lines()): every match holds one of a
 * few literals at or after its start, with no line feed between, so the
 * first match from a start lies in the line of the literals' next
 * occurrence or further on, and starts before that line's end.
 */
#define LINE_LITS 16
#define LINE_NONE ((size_t)-1)
/* a shorter range (a heading, a field) is left to PCRE2: the search's own calls would cost more */
#define LINE_SHORT 256

struct linelits {
	struct patlit *v;            /* one of these in every match, in its start's line */
	size_t n;
	unsigned char keyat[LINE_LITS]; /* the byte of each that memchr() looks for */
	const struct textindex_keys *keys;
	int set;                     /* all single characters: their set in keys (-1: none) */
	size_t need;                 /* a single character: how many times every match holds it */
};

/* Where the literals of a line-bound pattern stand next in one range. */
struct linecur {
	const struct linelits *lb;
	const struct textindex *pti;  /* the index of the text (NULL: none) */
	const char *text;
	size_t e;
	const uint32_t *pos;          /* the set's list in the text (NULL: none) */
	size_t npos, k;
	size_t nx[LINE_LITS];         /* each literal's next occurrence (LINE_NONE: none) */
};

/*
 * The first occurrence of literal i in text[from, e), LINE_NONE if none:
 * from the index where it has the literal, else by memchr() on one of
 * its bytes (a continuation byte for a literal that starts with a Chinese
 * character or a full-width sign, whose lead bytes are common).
 */
static size_t
line_find(const struct linecur *c, size_t i, size_t from)
{
	const struct patlit *l = &c->lb->v[i];
	const char *end = c->text + c->e, *p;
	size_t k = c->lb->keyat[i];

	if (c->e < from || c->e - from < l->len)
		return LINE_NONE;
	if (c->pti && l->ref.key) {
		long r = textindex_first(c->pti, l->s, l->len, &l->ref, from, c->e);

		if (r != -2)
			return r < 0 ? LINE_NONE : (size_t)r;
	}
	for (p = c->text + from + k; p < end; p++) {
		if ((p = memchr(p, l->s[k], (size_t)(end - p))) == NULL)
			break;
		if ((size_t)(end - (p - k)) >= l->len && memcmp(p - k, l->s, l->len) == 0)
			return (size_t)(p - k - c->text);
	}
	return LINE_NONE;
}

/* The next occurrence at or after from (ascending from call to call) of any literal. */
static size_t
line_next(struct linecur *c, size_t from)
{
	size_t i, best = LINE_NONE, at;

	if (c->pos) {
		at = fc_listed(c->pos, c->npos, &c->k, (const unsigned char *)c->text, from, c->e);
		return at < c->e ? at : LINE_NONE;
	}
	for (i = 0; i < c->lb->n; i++) {
		if (c->nx[i] < from)
			c->nx[i] = line_find(c, i, from);
		if (c->nx[i] < best)
			best = c->nx[i];
	}
	return best;
}

/* The end of the line that holds text[at] within the range (its line feed, or e). */
static inline size_t
line_end(const struct linecur *c, size_t at)
{
	const char *nl = memchr(c->text + at, '\n', c->e - at);

	return nl ? (size_t)(nl - c->text) : c->e;
}

/*
 * The first line from from on (from itself may be within one) that holds
 * the literals, need times for one character: 1, its start (from, if
 * that is later) into *ls and the first occurrence into *at; 0 if none.
 */
static int
line_holding(struct linecur *c, size_t from, size_t *ls, size_t *at)
{
	const char *nl;
	size_t le, n, x;

	while ((*at = line_next(c, from)) != LINE_NONE) {
		nl = memrchr(c->text + from, '\n', *at - from);
		*ls = nl ? (size_t)(nl - c->text) + 1 : from;
		if (c->lb->need == 1)
			return 1;
		/* a single character: its occurrences do not overlap */
		le = line_end(c, *at);
		for (n = 1, x = *at; n < c->lb->need && (x = line_next(c, x + 1)) < le; n++)
			;
		if (n >= c->lb->need)
			return 1;
		if (le == c->e)
			break;
		from = le + 1;
	}
	return 0;
}

/*
 * search_one() of a line-bound pattern from start: its limited code (see
 * anchored_code()) run from the start of the first line that holds the
 * literals (start, if that is later) with an offset limit at the line's
 * end -- over a stretch of such lines one after another at once -- then
 * from the next stretch on.  As try_at(): 2 when the range is short or
 * there is no limited code, and PCRE2's own search is to go on from start.
 */
static int
search_lines(struct matcher *m, const struct pattern *pat, const struct textindex *ti,
	const char *text, size_t b, size_t e, size_t start, size_t *mo, size_t *ml)
{
	const struct linelits *lb = pat->lines;
	struct linecur c;
	size_t ls, le, nls = 0, at, i;
	pcre2_code *re;
	int jit, rc, more;

	if (e - start < LINE_SHORT)
		return 2;
	c.lb = lb;
	c.pti = ti && ti->s == text ? ti : NULL;
	c.text = text;
	c.e = e;
	c.pos = NULL;
	c.npos = c.k = 0;
	if (ti && lb->keys == ti->keys && lb->set >= 0)
		c.pos = textindex_chars(ti, text, lb->set, &c.npos);
	if (c.pos == NULL)
		for (i = 0; i < lb->n; i++)
			c.nx[i] = line_find(&c, i, start);
	if (!line_holding(&c, start, &ls, &at))
		return 0;
	if ((re = anchored_code(pat, &jit)) == NULL)
		return 2;
	for (;;) {
		/* the lines that follow and hold them too join the stretch */
		do {
			le = line_end(&c, at);
			more = le < e && line_holding(&c, le + 1, &nls, &at);
		} while (more && nls == le + 1);
		pcre2_set_offset_limit(m->mcl, le - b);
		rc = match_in(m, m->mcl, re, jit, text + b, e - b, ls - b, mo, ml);
		if (rc != 0) {
			if (rc == 1)
				*mo += b;
			return rc;
		}
		if (!more)
			return 0;
		ls = nls;
	}
}

/*
 * pattern_find() over text[b..e) from start, where ti (or NULL) indexes
 * text: not run when none of the literals every match contains occurs in
 * [start, e); started at the first occurrence of a literal every match
 * starts with, or run over the lines that can hold a match.  Offsets are
 * of text.
 */
static int
search_one(struct matcher *m, const struct pattern *pat, const struct textindex *ti,
	const char *text, size_t b, size_t e, size_t start, size_t *mo, size_t *ml)
{
	const struct textindex *pti = ti && ti->s == text ? ti : NULL;
	size_t i;
	int rc;

	if (start > e)
		return 0;
	if (pti && pat->nlit) {
		for (i = 0; i < pat->nlit; i++)
			if (textindex_has(pti, pat->lit[i].s, pat->lit[i].len, &pat->lit[i].ref, start,
			    e))
				break;
		if (i == pat->nlit)
			return 0;
	}
	if (pti && pat->nfirst && pat->slow_start && pat->nfirst <= FIRSTS_MAX) {
		if ((rc = search_firsts(m, pat, pti, text, b, e, &start, mo, ml)) != 2)
			return rc;
	} else if (pti && pat->nfirst) {
		size_t at = (size_t)-1;

		for (i = 0; i < pat->nfirst && at > start; i++) {
			size_t p = textindex_next(pti, pat->first[i].s, pat->first[i].len,
			    &pat->first[i].ref, start, e);

			if (p < at)
				at = p;
		}
		if (at == (size_t)-1)
			return 0;
		start = at;
	}
	if (pat->fc && (rc = search_chars(m, pat, ti, text, b, e, &start, mo, ml)) != 2)
		return rc;
	if (pat->lines && (rc = search_lines(m, pat, ti, text, b, e, start, mo, ml)) != 2)
		return rc;
	rc = pattern_find(m, pat, text + b, e - b, start - b, mo, ml);
	if (rc == 1)
		*mo += b;
	return rc;
}

int
pattern_search(struct matcher *m, const struct pattern *pat, const struct textindex *ti,
	const char *text, size_t b, size_t e, size_t start, size_t *mo, size_t *ml)
{
	struct altcache *c = NULL;
	size_t i, k;
	long best = -1;

	/* a split pattern needs the index (of text: not of another text,
	 * whose characters alone it may list) to gain anything from it */
	if (pat->nalt == 0 || ti == NULL || ti->s != text)
		return search_one(m, pat, ti, text, b, e, start, mo, ml);
	if (start > e)
		return 0;
	for (k = 0; k < ALTCACHE; k++)
		if (m->cache[k].pat == pat && m->cache[k].text == text && m->cache[k].b == b &&
		    m->cache[k].e == e && m->cache[k].start <= start) {
			c = &m->cache[k];
			break;
		}
	if (c == NULL) {
		c = &m->cache[m->next++ % ALTCACHE];
		xgrow(&c->r, &c->cap, pat->nalt, sizeof(*c->r));
		c->pat = pat;
		c->text = text;
		c->b = b;
		c->e = e;
		for (i = 0; i < pat->nalt; i++)
			c->r[i].rc = -2;        /* not searched yet */
	}
	c->start = start;
	for (i = 0; i < pat->nalt; i++) {
		struct altres *r = &c->r[i];

		/* an earlier result holds while it starts at or after start:
		 * no match began between the earlier start and it */
		if (r->rc == -2 || (r->rc == 1 && r->at < start)) {
			r->rc = search_one(m, &pat->alt[i], ti, text, b, e, start, &r->mo, &r->ml);
			if (r->rc == 1)
				r->at = b + pcre2_get_startchar(m->md);
			if (r->rc < 0) {
				c->pat = NULL;
				return -1;
			}
		}
		/* the match tried from the leftmost position (a \K may report it
		 * further on); at one position the first alternative, as PCRE2 does */
		if (r->rc == 1 && (best < 0 || r->at < c->r[best].at))
			best = (long)i;
	}
	if (best < 0)
		return 0;
	*mo = c->r[best].mo;
	*ml = c->r[best].ml;
	return 1;
}

/* Byte range of capture group i (by number) of the last match; 0 if unset. */
int
pattern_group(struct matcher *m, int i, size_t *go, size_t *gl)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);

	if ((uint32_t)i >= pcre2_get_ovector_count(m->md) || ov[2 * i] == PCRE2_UNSET)
		return 0;
	*go = ov[2 * i];
	*gl = ov[2 * i + 1] - ov[2 * i];
	return 1;
}

/* Byte range of the named group of the last match of pat; 0 if unset. */
int
pattern_named(struct matcher *m, const struct pattern *pat, const char *name, size_t *go,
	size_t *gl)
{
	int i = pcre2_substring_number_from_name(pat->re, (PCRE2_SPTR)name);

	if (i < 0)
		return 0;
	return pattern_group(m, i, go, gl);
}

/*
 * Literal prefilter.  From a pattern's source, a set of literal strings
 * one of which stands in the text from the start of every match on: one
 * the match consumes, or one a lookahead reads (我(?=要求|认为) gives
 * 我要求 我认为: the subject ends where the scope does, so a lookahead
 * reads no further either); a report in which none occurs cannot match,
 * and the pattern is not run over it (textindex.h).  The walk is
 * conservative: anything it does not understand -- case-insensitive or
 * extended options, \Q, conditionals, recursion -- gives no set, and the
 * pattern always runs.  A literal is at least two characters (the index
 * keys on the first two).
 */
struct litset {
	struct patlit *v;
	size_t n;
};

static void
litset_free(struct litset *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		free(ls->v[i].s);
	free(ls->v);
	ls->v = NULL;
	ls->n = 0;
}

/* Is s[0..len) in ls? */
static int
litset_has(const struct litset *ls, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		if (ls->v[i].len == len && memcmp(ls->v[i].s, s, len) == 0)
			return 1;
	return 0;
}

/*
 * Room for one more in ls: every set is built from empty by the two
 * below, so its array holds the power of two at or above n, and it grows
 * only when n is one (a realloc per literal was most of a load's).
 */
static void
litset_room(struct litset *ls)
{
	if ((ls->n & (ls->n - 1)) == 0)
		ls->v = xrealloc(ls->v, (ls->n ? ls->n * 2 : 1) * sizeof(*ls->v));
}

static void
litset_add(struct litset *ls, const char *s, size_t len)
{
	if (litset_has(ls, s, len))
		return;
	litset_room(ls);
	ls->v[ls->n].s = xmalloc(len + 1);
	memcpy(ls->v[ls->n].s, s, len);
	ls->v[ls->n].s[len] = '\0';
	ls->v[ls->n].len = len;
	ls->n++;
}

/* litset_add() of x, its string moved into ls (x->s NULL then) unless ls has it. */
static void
litset_take(struct litset *ls, struct patlit *x)
{
	if (litset_has(ls, x->s, x->len))
		return;
	litset_room(ls);
	ls->v[ls->n].s = x->s;
	ls->v[ls->n].len = x->len;
	ls->n++;
	x->s = NULL;
}

/* Length of the quantifier at p (0 if none); *min0: it allows zero repeats. */
static size_t
lit_quant(const char *p, int *min0)
{
	const char *q = p;

	*min0 = 0;
	if (*q == '?' || *q == '*') {
		*min0 = 1;
		q++;
	} else if (*q == '+') {
		q++;
	} else if (*q == '{') {
		long lo = -1;

		q++;
		while (*q == ' ')
			q++;
		if (*q >= '0' && *q <= '9')
			lo = strtol(q, (char **)&q, 10);
		while (*q == ' ')
			q++;
		if (*q == ',') {
			q++;
			while (*q == ' ' || (*q >= '0' && *q <= '9'))
				q++;
		}
		if (*q != '}')
			return 0; /* a literal '{': the caller ends its run there anyway */
		q++;
		*min0 = lo <= 0;
	} else {
		return 0;
	}
	if (*q == '?' || *q == '+')
		q++;
	return (size_t)(q - p);
}

/* Number of UTF-8 characters in s[0..n). */
static size_t
lit_chars(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

/* Is ls usable as a prefilter, and how good (larger is better)? */
static long
litset_score(const struct litset *ls)
{
	size_t i, min = (size_t)-1;

	if (ls->n == 0)
		return -1;
	for (i = 0; i < ls->n; i++) {
		/* lit_chars() < 2, counted no further than 2 (the sets are
		 * weighed at every step of the walk) */
		const unsigned char *u = (const unsigned char *)ls->v[i].s;
		size_t j, k = 0;

		for (j = 0; j < ls->v[i].len && k < 2; j++)
			k += (u[j] & 0xC0) != 0x80;
		if (k < 2)
			return -1;
		if (ls->v[i].len < min)
			min = ls->v[i].len;
	}
	return (long)min * 1024 - (long)(ls->n < 1024 ? ls->n : 1023);
}

static int lit_alt(const char **pp, struct litset *out, int depth);
static int lookahead_lits(const char *g, const char *run, size_t rl, struct litset *out,
	int depth);

/* Keep the better of *best and *cand by score (freeing the other). */
static void
lit_keep_by(struct litset *best, struct litset *cand, long (*score)(const struct litset *))
{
	if (score(cand) > score(best)) {
		litset_free(best);
		*best = *cand;
	} else {
		litset_free(cand);
	}
	cand->v = NULL;
	cand->n = 0;
}

/* Keep the better of *best and *cand as prefilters (freeing the other). */
static void
lit_keep(struct litset *best, struct litset *cand)
{
	lit_keep_by(best, cand, litset_score);
}

/*
 * g just after "(?" at '<', '\'' or "P<": does a group name follow, as
 * PCRE2 reads one (a letter or '_' first)?  "(?<*" is a non-atomic
 * lookbehind, not a group named "*...".
 */
static int
group_name(const char *g)
{
	unsigned char c = (unsigned char)g[*g == 'P' ? 2 : 1];

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/*
 * g just after "(?" where no ':', '>', '|' or assertion stands: past a
 * group's name and the mark that ends it, or past option letters (those
 * of opts only) and their ':', with *alone 0; past the ')' of an option
 * setting that stands alone and consumes nothing, with *alone 1; NULL
 * where neither is read.
 */
static const char *
group_head(const char *g, const char *opts, int *alone)
{
	const char *o = g;

	*alone = 0;
	if (*g == '<' || *g == '\'' || (*g == 'P' && g[1] == '<')) {
		const char *e = strchr(g + 1, *g == '\'' ? '\'' : '>');

		return e != NULL && group_name(g) ? e + 1 : NULL;
	}
	while (*o && strchr(opts, *o))
		o++;
	if (o == g || (*o != ':' && *o != ')'))
		return NULL;
	*alone = *o == ')';
	return o + 1;
}

/*
 * p at "[:" inside a class: the ":]" that ends a POSIX class name there,
 * or NULL when, as PCRE2 reads it, there is none and the '[' is an
 * ordinary member ("[[:]:]" is the class of '[' and ':', then ":]"):
 * a ']' or another "[:" before the ":]" ends the search, "\]" and "\\"
 * are skipped.
 */
static const char *
posix_class_end(const char *p)
{
	for (p += 2; p[0] != '\0' && p[1] != '\0'; p++) {
		if (p[0] == '\\' && (p[1] == ']' || p[1] == '\\'))
			p++;
		else if ((p[0] == '[' && p[1] == ':') || p[0] == ']')
			return NULL;
		else if (p[0] == ':' && p[1] == ']')
			return p;
	}
	return NULL;
}

/* Skip a character class at *pp ('[' ... ']'); -1 if it is not understood. */
static int
lit_class(const char **pp)
{
	const char *p = *pp + 1;

	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (;;) {
		if (*p == '\0')
			return -1;
		if (*p == ']')
			break;
		if (*p == '\\') {
			if (p[1] == 'Q' || p[1] == '\0')
				return -1;
			p += 2;
			continue;
		}
		if (*p == '[' && p[1] == ':') {
			const char *e = posix_class_end(p);

			if (e != NULL) {
				p = e + 2;
				continue;
			}
		}
		p++;
	}
	*pp = p + 1;
	return 0;
}

/* Skip an escape at *pp ('\\'); a literal character is copied to lit (*ll bytes), else *ll = 0.  -1: not understood. */
static int
lit_escape(const char **pp, char *lit, size_t *ll)
{
	const char *p = *pp + 1;
	unsigned char c = (unsigned char)*p;

	*ll = 0;
	if (c == '\0' || c == 'Q' || c == 'E')
		return -1;
	if (c >= 0x80) {
		size_t l = 1;

		while (l < 4 && ((unsigned char)p[l] & 0xC0) == 0x80)
			l++;
		memcpy(lit, p, l);
		*ll = l;
		*pp = p + l;
		return 0;
	}
	if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
		lit[0] = (char)c;
		*ll = 1;
		*pp = p + 1;
		return 0;
	}
	if (c >= '0' && c <= '9') {
		while (*p >= '0' && *p <= '9')
			p++;
		*pp = p;
		return 0;
	}
	p++;
	/* only these take a braced argument; \d{2} is \d and a quantifier */
	if (*p == '{' && strchr("xopPNgk", c)) {
		const char *e = strchr(p, '}');

		if (e == NULL)
			return -1;
		p = e + 1;
	} else if ((c == 'k' || c == 'g') && (*p == '<' || *p == '\'')) {
		const char *e = strchr(p + 1, *p == '<' ? '>' : '\'');

		if (e == NULL)
			return -1;
		p = e + 1;
	} else if (c == 'p' || c == 'P' || c == 'c') {
		if (*p == '\0')
			return -1;
		p++;
	} else if (c == 'x') {
		int k;

		for (k = 0; k < 2 && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
			(*p >= 'A' && *p <= 'F')); k++)
			p++;
	} else if (c == 'g' && (*p == '-' || *p == '+' || (*p >= '0' && *p <= '9'))) {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	*pp = p;
	return 0;
}

/*
 * One alternative (a sequence of items) up to '|' or ')' or the end: the
 * best literal set among its required items into *out (n = 0 if none).
 * -1: the pattern is not understood.
 */
static int
lit_seq(const char **pp, struct litset *out, int depth)
{
	const char *p = *pp;
	struct buf run;
	struct litset best = {NULL, 0}, cand = {NULL, 0};
	int min0, rc = -1;
	size_t q;

	buf_init(&run);
	while (*p && *p != '|' && *p != ')') {
		unsigned char c = (unsigned char)*p;

		if (c == '(') {
			const char *g = p + 1, *ahead;
			int assert = 0;
			struct litset in = {NULL, 0};

			if (*g == '*') {
				/* a verb: (*FAIL), (*UCP), ... */
				const char *e = strchr(g, ')'), *colon = strchr(g, ':');

				if (e == NULL || (colon && colon < e))
					goto out;
				p = e + 1;
				goto endrun;
			}
			if (*g == '?') {
				g++;
				if (*g == ':' || *g == '>' || *g == '|') {
					g++;
				} else if (*g == '=' || *g == '!') {
					assert = *g == '=' ? 2 : 1;
					g++;
				} else if (*g == '<' && (g[1] == '=' || g[1] == '!')) {
					assert = 1;
					g += 2;
				} else if (*g == '<' || *g == '\'' || (*g == 'P' && g[1] == '<')) {
					const char *e = strchr(g, *g == '\'' ? '\'' : '>');

					if (!group_name(g))
						goto out;  /* (?<*...): a non-atomic lookbehind */
					if (*g == '\'')
						e = strchr(g + 1, '\'');
					if (e == NULL)
						goto out;
					g = e + 1;
				} else if (*g == '#') {
					const char *e = strchr(g, ')');

					if (e == NULL)
						goto out;
					p = e + 1;
					continue; /* a comment: nothing, the run goes on */
				} else {
					/* option letters: (?s) (?s:...) (?-U) ...; i and x change what matches a literal */
					const char *o = g;

					while (*o && strchr("imnsxJU-^", *o))
						o++;
					if (o == g || (*o != ')' && *o != ':'))
						goto out;
					if (memchr(g, 'i', (size_t)(o - g)) || memchr(g, 'x', (size_t)(o - g)))
						goto out;
					if (*o == ')') {
						p = o + 1;
						continue; /* an option setting consumes nothing */
					}
					g = o + 1;
				}
			}
			if (depth > 50)
				goto out;
			ahead = g;
			if (lit_alt(&g, &in, depth + 1) == -1 || *g != ')') {
				litset_free(&in);
				goto out;
			}
			p = g + 1;
			q = lit_quant(p, &min0);
			p += q;
			if (assert == 2 && q == 0) {
				/* (?=X): what X matches stands in the text from here,
				 * as does the run so far followed by it; it consumes
				 * nothing, so the run goes on after it */
				lit_keep(&best, &in);
				if (run.len && lookahead_lits(ahead, run.s, run.len, &cand, depth) == 0)
					lit_keep(&best, &cand);
				litset_free(&cand);
				continue;
			}
			if (assert && q == 0) {
				/* any other assertion consumes nothing either */
				litset_free(&in);
				continue;
			}
			if (assert || (q && min0) || in.n == 0) {
				litset_free(&in);
			} else {
				/* the group is required: its set is a candidate */
				lit_keep(&best, &in);
			}
			goto endrun;
		}
		if (c == '[') {
			if (lit_class(&p) == -1)
				goto out;
			p += lit_quant(p, &min0);
			goto endrun;
		}
		if (c == '.' || c == '^' || c == '$' || c == '{' || c == '}' || c == ']' ||
		    c == '?' || c == '*' || c == '+') {
			p++;
			p += lit_quant(p, &min0);
			goto endrun;
		}
		{
			char lit[8];
			size_t ll;

			if (c == '\\') {
				if (lit_escape(&p, lit, &ll) == -1)
					goto out;
			} else {
				ll = 1;
				if (c >= 0x80)
					while (ll < 4 && ((unsigned char)p[ll] & 0xC0) == 0x80)
						ll++;
				memcpy(lit, p, ll);
				p += ll;
			}
			q = lit_quant(p, &min0);
			if (ll == 0) {
				p += q;
				goto endrun;
			}
			if (q == 0) {
				buf_add(&run, lit, ll);
				continue;
			}
			p += q;
			if (!min0)
				buf_add(&run, lit, ll); /* once at least; what follows need not be next to it */
		}
endrun:
		if (run.len) {
			litset_add(&cand, run.s, run.len);
			lit_keep(&best, &cand);
			run.len = 0;
		}
	}
	if (run.len) {
		litset_add(&cand, run.s, run.len);
		lit_keep(&best, &cand);
	}
	*out = best;
	best.v = NULL;
	best.n = 0;
	rc = 0;
out:
	litset_free(&best);
	litset_free(&cand);
	buf_release(&run);
	*pp = p;
	return rc;
}

/*
 * Alternatives up to ')' or the end, each read by seq (lit_seq or
 * first_seq): the union of their sets, n = 0 if one has none.
 */
static int
alt_union(const char **pp, struct litset *out, int depth,
	int (*seq)(const char **, struct litset *, int))
{
	struct litset all = {NULL, 0}, one;
	int none = 0;
	size_t i;

	for (;;) {
		if (seq(pp, &one, depth) == -1) {
			litset_free(&all);
			return -1;
		}
		if (litset_score(&one) < 0)
			none = 1;
		for (i = 0; i < one.n && !none; i++)
			litset_take(&all, &one.v[i]);
		litset_free(&one);
		if (**pp != '|')
			break;
		(*pp)++;
	}
	if (none)
		litset_free(&all);
	*out = all;
	return 0;
}

static int
lit_alt(const char **pp, struct litset *out, int depth)
{
	return alt_union(pp, out, depth, lit_seq);
}

/* The literal set of src into pat (nlit = 0: none, always run). */
static void
pattern_literals(struct pattern *pat, const char *src)
{
	struct litset ls = {NULL, 0};
	const char *p = src;

	if (lit_alt(&p, &ls, 0) == -1 || *p != '\0' || litset_score(&ls) < 0) {
		litset_free(&ls);
		return;
	}
	pat->lit = ls.v;
	pat->nlit = ls.n;
}

/* ---- first literals and top-level alternatives --------------------------- */

/* Skip the group whose '(' is at *pp to just past its ')'; -1 if it does not end. */
static int
skip_group(const char **pp)
{
	const char *p = *pp + 1;
	int depth = 1;

	while (*p) {
		if (*p == '\\') {
			if (p[1] == '\0')
				return -1;
			p += 2;
			continue;
		}
		if (*p == '[') {
			if (lit_class(&p) == -1)
				return -1;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0) {
			*pp = p + 1;
			return 0;
		}
		p++;
	}
	return -1;
}

/* Skip the rest of an alternative, up to '|' or ')' or the end. */
static int
skip_alt(const char **pp)
{
	const char *p = *pp;

	while (*p && *p != '|' && *p != ')') {
		if (*p == '\\') {
			if (p[1] == '\0')
				return -1;
			p += 2;
		} else if (*p == '[') {
			if (lit_class(&p) == -1)
				return -1;
		} else if (*p == '(') {
			if (skip_group(&p) == -1)
				return -1;
		} else {
			p++;
		}
	}
	*pp = p;
	return 0;
}

/* Does src set case-insensitive or extended matching anywhere ((?i) (?x:...) ...)? */
static int
sets_ix(const char *src)
{
	const char *p;

	for (p = src; (p = strstr(p, "(?")) != NULL; p += 2) {
		const char *o = p + 2;

		while (*o && strchr("imnsxJU-^", *o))
			o++;
		if ((*o == ')' || *o == ':') && (memchr(p + 2, 'i', (size_t)(o - p - 2)) ||
			memchr(p + 2, 'x', (size_t)(o - p - 2))))
			return 1;
	}
	return 0;
}

/*
 * Leading strings.  A set of strings one of which begins every match: a
 * string is "exact" while it is the whole text of what was walked so far
 * (it may be extended by what follows), else only a prefix of it.  The
 * walk multiplies out small classes, alternatives and optional items
 * ([本我](?:单位|部门) gives 本单位 我单位 本部门 我部门) up to PSET_MAX
 * strings, and stops extending a string at anything it cannot spell out.
 */
#define PSET_MAX 64

struct pstr {
	char *s;
	size_t len;
	int exact;
	uint64_t h;          /* of s, to tell strings apart at once */
};

struct pset {
	struct pstr *v;
	size_t n, cap;
};

static void
pset_free(struct pset *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		free(ps->v[i].s);
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}

/*
 * The room made for a string of len bytes and its NUL: a power of two,
 * so that pset_step() extends a string a character at a time without a
 * realloc each.
 */
static size_t
pstr_room(size_t len)
{
	size_t n = 16;

	while (n < len + 1)
		n *= 2;
	return n;
}

/* Add a+b (exact if both are); -1 past PSET_MAX. */
static int
pset_add(struct pset *ps, const struct pstr *a, const char *b, size_t bl, int exact)
{
	size_t i, l = (a ? a->len : 0) + bl;
	uint64_t h = str_hash(a ? a->h : STR_HASH_START, b, bl);

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].h == h && ps->v[i].len == l && ps->v[i].exact == exact &&
		    (a == NULL || memcmp(ps->v[i].s, a->s, a->len) == 0) &&
		    memcmp(ps->v[i].s + (a ? a->len : 0), b, bl) == 0)
			return 0;
	if (ps->n == PSET_MAX)
		return -1;
	if (ps->n == ps->cap)
		xgrow(&ps->v, &ps->cap, ps->n + 1, sizeof(*ps->v));
	ps->v[ps->n].s = xmalloc(pstr_room(l));
	if (a && a->len)
		memcpy(ps->v[ps->n].s, a->s, a->len);
	if (bl)
		memcpy(ps->v[ps->n].s + (a ? a->len : 0), b, bl);
	ps->v[ps->n].s[l] = '\0';
	ps->v[ps->n].len = l;
	ps->v[ps->n].exact = exact;
	ps->v[ps->n].h = h;
	ps->n++;
	return 0;
}

/* pset_add() of x itself, its string moved into ps (x->s NULL then) unless ps has it. */
static int
pset_take(struct pset *ps, struct pstr *x)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].h == x->h && ps->v[i].len == x->len && ps->v[i].exact == x->exact &&
		    memcmp(ps->v[i].s, x->s, x->len) == 0)
			return 0;
	if (ps->n == PSET_MAX)
		return -1;
	if (ps->n == ps->cap)
		xgrow(&ps->v, &ps->cap, ps->n + 1, sizeof(*ps->v));
	ps->v[ps->n++] = *x;
	x->s = NULL;
	return 0;
}

/* Every string of ps no longer extendable (a prefix only). */
static void
pset_close(struct pset *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		ps->v[i].exact = 0;
}

/*
 * One character of a class at *pp: a plain one, \x{HHHH} or an escaped
 * ASCII sign; its code point, *pp moved past it.  -1: anything else.
 */
static long
class_atom(const char **pp)
{
	const char *p = *pp;
	unsigned long cp;
	size_t l;
	char *e;

	if (*p == '\\') {
		if (p[1] == 'x' && p[2] == '{') {
			cp = strtoul(p + 3, &e, 16);
			if (e == p + 3 || *e != '}' || cp == 0 || cp > 0x10FFFF ||
			    (cp >= 0xD800 && cp <= 0xDFFF))
				return -1;
			*pp = e + 1;
			return (long)cp;
		}
		if ((unsigned char)p[1] > ' ' && (unsigned char)p[1] < 0x7F &&
		    !isalnum((unsigned char)p[1])) {
			*pp = p + 2;
			return (unsigned char)p[1];
		}
		return -1;
	}
	if (*p == '[' || *p == '\0')
		return -1;
	cp = utf8_decode(p, strlen(p), &l);
	*pp = p + (l ? l : 1);
	return (long)cp;
}

/* Widest range of a class spelt out character by character ([A-Z], [0-9]). */
#define CLASS_RANGE 26

/*
 * The characters of a class of plain characters and small ranges ([本我],
 * [A-Za-z]; not [^…], properties or other escapes), into it.
 */
static int
class_chars(const char *p, const char *end, struct pset *it)
{
	if (*p != '[' || p[1] == '^' || p[1] == ']')
		return -1;
	for (p++; p < end - 1;) {
		long lo = class_atom(&p), hi, c;
		char u[4];

		if (lo < 0)
			return -1;
		hi = lo;
		if (*p == '-' && p + 1 < end - 1) {
			p++;
			hi = class_atom(&p);
			if (hi < lo || hi - lo >= CLASS_RANGE || (lo <= 0xDFFF && hi >= 0xD800))
				return -1;
		}
		for (c = lo; c <= hi; c++)
			if (pset_add(it, NULL, u, utf8_encode((uint32_t)c, u), 1) == -1)
				return -1;
	}
	return 0;
}

/*
 * The two common steps of prefix_seq() without a new set, which give the
 * strings the step would in the same order: when no string is exact any
 * more the item changes nothing (each would be copied as it is), and when
 * the item is one string that leaves them exact (a character, no
 * quantifier) it is added to the end of each exact string where it
 * stands (no two can become equal: they differed, and the rest are not
 * exact).  1 if done; 0 for the step itself, as where a string is empty
 * and no longer exact (a match may begin with anything).
 */
static int
pset_step(struct pset *cur, int known, const struct pset *it, int open)
{
	size_t i, nexact = 0;

	for (i = 0; i < cur->n; i++) {
		if (!cur->v[i].exact && cur->v[i].len == 0)
			return 0;
		nexact += (size_t)cur->v[i].exact;
	}
	if (nexact == 0)
		return 1;
	if (!known || it->n != 1 || !it->v[0].exact || (open && it->v[0].len > 0))
		return 0;
	for (i = 0; i < cur->n; i++) {
		struct pstr *c = &cur->v[i];

		if (!c->exact)
			continue;
		if (pstr_room(c->len) < c->len + it->v[0].len + 1)
			c->s = xrealloc(c->s, pstr_room(c->len + it->v[0].len));
		memcpy(c->s + c->len, it->v[0].s, it->v[0].len);
		c->len += it->v[0].len;
		c->s[c->len] = '\0';
		c->h = str_hash(c->h, it->v[0].s, it->v[0].len);
	}
	return 1;
}

static int prefix_alt(const char **pp, struct pset *out, int depth);

/*
 * The leading strings of the alternative at *pp (up to '|', ')' or the
 * end) into *out, *pp moved to its end.  An empty set means none is known
 * (a match may begin anywhere).  -1: not understood.
 */
static int
prefix_seq(const char **pp, struct pset *out, int depth)
{
	const char *p = *pp;
	struct pset cur = {NULL, 0, 0};
	int rc = -1, min0;
	size_t q, i, k;

	memset(out, 0, sizeof(*out));
	pset_add(&cur, NULL, "", 0, 1);
	while (*p && *p != '|' && *p != ')') {
		struct pset it = {NULL, 0, 0}, next = {NULL, 0, 0};
		int known = 1, open = 0;

		/* one item: what it can match, in it */
		if (p[0] == '(' && p[1] == '?' && (p[2] == '=' || p[2] == '!' ||
			(p[2] == '<' && (p[3] == '=' || p[3] == '!')))) {
			if (skip_group(&p) == -1)
				goto out;
			p += lit_quant(p, &min0);
			continue;                 /* an assertion consumes nothing */
		}
		if (*p == '^' || (p[0] == '\\' && (p[1] == 'b' || p[1] == 'B' || p[1] == 'A'))) {
			p += *p == '^' ? 1 : 2;
			continue;
		}
		if (*p == '(') {
			const char *g = p + 1;

			if (*g == '*')
				goto out;
			if (*g == '?') {
				g++;
				if (*g == ':' || *g == '>') {
					g++;
				} else {
					/* (an assertion was taken above) */
					int alone;

					if ((g = group_head(g, "imnsJU-^", &alone)) == NULL)
						goto out;
					if (alone) {
						p = g;
						continue; /* an option setting consumes nothing */
					}
				}
			}
			if (depth > 50 || prefix_alt(&g, &it, depth + 1) == -1 || *g != ')') {
				pset_free(&it);
				goto out;
			}
			p = g + 1;
			known = it.n > 0;
		} else if (*p == '[') {
			const char *e = p;

			if (lit_class(&e) == -1)
				goto out;
			known = class_chars(p, e, &it) == 0;
			p = e;
		} else if (p[0] == '\\' && p[1] == 'd') {
			/* \d: 0-9 and ０-９, as digits_class() has it run; only as
			 * the first item (a set of first characters): after a
			 * string it would multiply the strings by twenty and
			 * make them no better a start to look for */
			char u[4];

			if (cur.n == 1 && cur.v[0].len == 0)
				for (uint32_t c = 0; c < 20; c++)
					pset_add(&it, NULL, u,
					    utf8_encode(c < 10 ? '0' + c : 0xFF10 + c - 10, u), 1);
			else
				known = 0;
			p += 2;
		} else if (*p == '\\') {
			char lit[8];
			size_t ll;

			if (lit_escape(&p, lit, &ll) == -1)
				goto out;
			if (ll)
				pset_add(&it, NULL, lit, ll, 1);
			else
				known = 0;
		} else if (strchr(".$", *p)) {
			p++;
			known = 0;
		} else if (strchr("?*+{}]", *p)) {
			goto out;                 /* a quantifier where no item is: not understood */
		} else {
			size_t ll = 1;

			if ((unsigned char)*p >= 0x80)
				while (ll < 4 && ((unsigned char)p[ll] & 0xC0) == 0x80)
					ll++;
			/* a character with no quantifier: straight onto the strings, if it can */
			if (lit_quant(p + ll, &min0) == 0) {
				struct pstr ch = {(char *)p, ll, 1, 0};
				struct pset one = {&ch, 1, 1};

				if (pset_step(&cur, 1, &one, 0)) {
					p += ll;
					continue;
				}
			}
			pset_add(&it, NULL, p, ll, 1);
			p += ll;
		}
		if (!known)
			pset_free(&it);
		q = lit_quant(p, &min0);
		if (q) {
			/* X? may be left out; X* X+ X{n,m} may also repeat: what
			 * follows one X need not come next */
			open = *p != '?';
			if (min0 && known)
				pset_add(&it, NULL, "", 0, 1);
			p += q;
		}
		if (pset_step(&cur, known, &it, open)) {
			pset_free(&it);
			continue;
		}
		/* every exact string so far, followed by each string of the item */
		for (i = 0; i < cur.n; i++) {
			struct pstr *c = &cur.v[i];

			if (!c->exact || !known) {
				if (c->len == 0)
					goto none;        /* a match may begin with anything */
				if (pset_add(&next, c, "", 0, 0) == -1)
					goto full;
				continue;
			}
			for (k = 0; k < it.n; k++) {
				int ex = it.v[k].exact && !(open && it.v[k].len > 0);

				if (pset_add(&next, c, it.v[k].s, it.v[k].len, ex) == -1)
					goto full;
			}
		}
		pset_free(&it);
		pset_free(&cur);
		cur = next;
		continue;
full:
		/* too many: keep what was there, a prefix of every match */
		pset_free(&it);
		pset_free(&next);
		pset_close(&cur);
		if (skip_alt(&p) == -1)
			goto out;
		break;
none:
		pset_free(&it);
		pset_free(&next);
		pset_free(&cur);
		if (skip_alt(&p) == -1)
			goto out;
		break;
	}
	*out = cur;
	cur.v = NULL;
	cur.n = cur.cap = 0;
	rc = 0;
out:
	pset_free(&cur);
	*pp = p;
	return rc;
}

/* Alternatives up to ')' or the end: the union of their strings; empty if one has none. */
static int
prefix_alt(const char **pp, struct pset *out, int depth)
{
	struct pset all = {NULL, 0, 0}, one;
	int none = 0;
	size_t i;

	for (;;) {
		if (prefix_seq(pp, &one, depth) == -1) {
			pset_free(&all);
			return -1;
		}
		if (one.n == 0)
			none = 1;
		for (i = 0; i < one.n && !none; i++)
			if (pset_take(&all, &one.v[i]) == -1)
				none = 1;
		pset_free(&one);
		if (**pp != '|')
			break;
		(*pp)++;
	}
	if (none)
		pset_free(&all);
	*out = all;
	return 0;
}

/* set[] as the nibble tables lo, hi of fc_in(); 0 if it has more than 8 high nibbles. */
static int
nib_tables(const unsigned char *set, unsigned char *lo, unsigned char *hi)
{
	int nhi = 0, bit[16];
	size_t i;

	for (i = 0; i < 16; i++)
		bit[i] = -1;
	for (i = 0; i < 256; i++) {
		if (!set[i])
			continue;
		if (bit[i >> 4] < 0) {
			if (nhi == 8)
				return 0;
			bit[i >> 4] = nhi++;
		}
		hi[i >> 4] |= (unsigned char)(1u << bit[i >> 4]);
		lo[i & 15] |= (unsigned char)(1u << bit[i >> 4]);
	}
	return 1;
}

/*
 * From leading strings too short for the index, the characters they
 * start with into pat->fc, when there are at most FC_MAX of them.
 */
static void
pattern_firstchars(struct pattern *pat, const struct litset *ls)
{
	struct firstchars fc;
	unsigned char lead3[256] = {0}, lead2[256] = {0};
	size_t i, k, l;

	memset(&fc, 0, sizeof(fc));
	fc.set = -1;
	for (i = 0; i < ls->n; i++) {
		const unsigned char *u = (const unsigned char *)ls->v[i].s;
		uint32_t c;

		if (ls->v[i].len == 0)
			return;                   /* a match may begin with anything */
		c = utf8_decode(ls->v[i].s, ls->v[i].len, &l);
		for (k = 0; k < fc.n && fc.cp[k] != c; k++)
			;
		if (k < fc.n)
			continue;
		if (fc.n == FC_MAX || l < 1 || l > 4)
			return;
		fc.cp[fc.n++] = c;
		fc.len[l] = 1;
		fc.lead[u[0]] = 1;
		fc.last[u[l - 1]] = 1;
		if (l == 3) {
			fc.mid[u[1]] = 1;
			lead3[u[0]] = 1;
		}
		if (l == 2)
			lead2[u[0]] = 1;
	}
	fc.exact = nib_tables(fc.last, fc.lo, fc.hi) && nib_tables(lead3, fc.lo3, fc.hi3) &&
	    nib_tables(fc.mid, fc.lom, fc.him) && nib_tables(lead2, fc.lo2, fc.hi2);
	pat->fc = xmalloc(sizeof(fc));
	*pat->fc = fc;
}

/*
 * The automaton of struct prefauto, read from a pattern's source
 * (pattern_prefauto()): the graph first, by Thompson's construction (a
 * character node reads one character, an empty node leads on to one or
 * two others), then its closures as the automaton's masks.  What the
 * pattern consumes is read as sets of code points: characters, classes
 * of characters and ranges (negated too), \d as 0-9 and ０-９ where the
 * code run has digits_class()'s rewrite, groups, alternatives and
 * quantifiers (possessive and atomic ones as plain ones: they only lose
 * matches).  An assertion consumes nothing, except a positive lookahead
 * after which nothing consumes: its body is read as consumed, and the walk
 * ends after it.  Any other one-character item (., \s, \p{..}, \w, a class
 * with one of them) reads any character.  Where the reading stops -- an
 * item not understood (a back reference, \R, a verb, recursion), more
 * than PA_REP copies, the nodes spent -- a match passes.  So every match
 * passes: the automaton only turns away candidates.
 */
#define PA_GRAPH 512
#define PA_REP 24            /* copies of a repeated item read at most */
#define PA_LOOK 2            /* items of each alternative of a lookahead read at most */
#define PA_END 0             /* graph node 0: a match may end here (passes) */
#define PA_DEAD 1            /* graph node 1: nothing leads to it (the exit of an ended walk) */

struct pagraph {
	struct {
		int ch;              /* its character node (-1: an empty node) */
		int out1, out2;      /* -1: none */
	} g[PA_GRAPH];
	int ng, nch, nr;
	int digits;              /* \d is 0-9 and ０-９ in the code run */
	int cap;                 /* items an alternative reads at most (0: all), in a lookahead */
	/* character node i reads: lo/hi[rs .. rs+rn), the other characters
	 * if neg, any character if any */
	uint16_t rs[PA_NODES], rn[PA_NODES];
	unsigned char any[PA_NODES], neg[PA_NODES];
	uint32_t lo[PA_RANGES], hi[PA_RANGES];
};

struct pafrag {
	int in, out;             /* out: an empty node whose out1 is still to be set */
};

/* A new empty node, -1 when they are spent. */
static int
pa_empty(struct pagraph *g)
{
	if (g->ng == PA_GRAPH)
		return -1;
	g->g[g->ng].ch = -1;
	g->g[g->ng].out1 = g->g[g->ng].out2 = -1;
	return g->ng++;
}

/* A new character node (reading nothing yet) and its exit into *f; its number, -1 if spent. */
static int
pa_char(struct pagraph *g, struct pafrag *f)
{
	int n, x;

	if (g->nch == PA_NODES || g->ng + 2 > PA_GRAPH)
		return -1;
	n = pa_empty(g);
	x = pa_empty(g);
	g->g[n].ch = g->nch;
	g->g[n].out1 = x;
	g->rs[g->nch] = (uint16_t)g->nr;
	f->in = n;
	f->out = x;
	return g->nch++;
}

/* Add [lo, hi] to the set of character node ch, the last one made; where ranges are spent, any. */
static void
pa_range(struct pagraph *g, int ch, uint32_t lo, uint32_t hi)
{
	if (g->nr == PA_RANGES) {
		g->any[ch] = 1;
		return;
	}
	g->lo[g->nr] = lo;
	g->hi[g->nr] = hi;
	g->nr++;
	g->rn[ch]++;
}

/* \d, as the code run reads it. */
static void
pa_digits(struct pagraph *g, int ch)
{
	if (!g->digits) {
		g->any[ch] = 1;
		return;
	}
	pa_range(g, ch, '0', '9');
	pa_range(g, ch, 0xFF10, 0xFF19);
}

/* The character an escape at p (not \x, \d) stands for in a class or out of one; -1: not one. */
static long
pa_escaped(const char *p)
{
	static const char from[] = "ntrfea", to[] = "\n\t\r\f\033\a";
	const char *c = p[1] ? strchr(from, p[1]) : NULL;

	if (c)
		return (unsigned char)to[c - from];
	return -1;
}

/*
 * The quantifier at p: its length (0: none), its least and most counts
 * (-1: no bound) into *lo, *hi; -1 where PCRE2 versions read it apart
 * ({,n}, spaces in the braces).
 */
static int
pa_quant(const char *p, long *lo, long *hi)
{
	const char *q = p;
	char *e;

	if (*q == '?' || *q == '*' || *q == '+') {
		*lo = *q == '+';
		*hi = *q == '?' ? 1 : -1;
		q++;
	} else if (*q == '{') {
		if (q[1] >= '0' && q[1] <= '9') {
			*lo = strtol(q + 1, &e, 10);
			*hi = *lo;
			if (*e == ',') {
				*hi = -1;
				if (e[1] >= '0' && e[1] <= '9')
					*hi = strtol(e + 1, &e, 10);
				else
					e++;
			}
			if (*e == '}' && (*hi < 0 || *hi >= *lo)) {
				q = e + 1;
				goto lazy;
			}
		}
		/* not {m}, {m,} or {m,n}: a literal '{' unless it may be a quantifier */
		for (q++; (*q >= '0' && *q <= '9') || *q == ',' || *q == ' '; q++)
			;
		return *q == '}' ? -1 : 0;
	} else {
		return 0;
	}
lazy:
	if (*q == '?' || *q == '+')
		q++;
	return (int)(q - p);
}

/*
 * Does only what consumes nothing (assertions, anchors, option settings)
 * follow p in its alternative?
 */
static int
pa_rest_empty(const char *p)
{
	long lo, hi;

	for (;;) {
		if (*p == '\0' || *p == '|' || *p == ')')
			return 1;
		if (*p == '^' || *p == '$') {
			p++;
		} else if (p[0] == '\\' && p[1] && strchr("bBAzZGK", p[1])) {
			p += 2;
		} else if (p[0] == '(' && p[1] == '?' && (p[2] == '=' || p[2] == '!' ||
			(p[2] == '<' && (p[3] == '=' || p[3] == '!')))) {
			if (skip_group(&p) == -1)
				return 0;
		} else if (p[0] == '(' && p[1] == '?' && p[2] && strchr("imnsxJU-^", p[2])) {
			const char *o = p + 2;

			while (*o && strchr("imnsxJU-^", *o))
				o++;
			if (*o != ')')
				return 0;
			p = o + 1;
		} else {
			return 0;
		}
		if (pa_quant(p, &lo, &hi) != 0)
			return 0;
	}
}

/* A class at *pp into a new character node (*f); -1: not understood, 1: nodes spent. */
static int
pa_class(struct pagraph *g, const char **pp, struct pafrag *f)
{
	const char *p = *pp, *end = p, *q;
	int ch;

	if (lit_class(&end) == -1)
		return -1;
	if ((ch = pa_char(g, f)) < 0)
		return 1;
	*pp = end;
	q = p + 1;
	if (*q == '^') {
		g->neg[ch] = 1;
		q++;
	}
	end--;                       /* at the class's ']' */
	if (*q == ']') {
		pa_range(g, ch, ']', ']');
		q++;
	}
	while (q < end) {
		long lo, hi;

		if (q[0] == '\\' && q[1] == 'd' && q[2] != '-') {
			pa_digits(g, ch);
			q += 2;
			continue;
		}
		if (q[0] == '\\' && (lo = pa_escaped(q)) >= 0)
			q += 2;
		else if ((lo = class_atom(&q)) < 0)
			break;
		hi = lo;
		if (q[0] == '-' && q + 1 < end) {
			q++;
			if (q[0] == '\\' && (hi = pa_escaped(q)) >= 0)
				q += 2;
			else if ((hi = class_atom(&q)) < 0 || hi < lo)
				break;
		}
		pa_range(g, ch, (uint32_t)lo, (uint32_t)hi);
	}
	/* a member not read (\s, \p{..}, [:alpha:], \b...): any character, negated or not */
	if (q < end)
		g->any[ch] = 1;
	return 0;
}

static int pa_alt(struct pagraph *g, const char **pp, int tail, int depth, struct pafrag *f);

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * The nodes that read each character: the segments between the ends of
 * the ranges (a node reads all of a segment or none of it), found by
 * the block of 64 code points in the BMP (a->blk, a->sub), else by a
 * binary search; and the first step's tables.  Returns a, reallocated
 * for its rows of sub.
 */
static struct prefauto *
pa_segments(const struct pagraph *g, struct prefauto *a)
{
	uint32_t cut[2 * PA_RANGES + 2];
	uint64_t pos[2 * PA_RANGES + 2], negm[2 * PA_RANGES + 2], any = 0, neg = 0;
	/* for each row of sub: its first block, the segment at the
	 * block's first code point, and whether more than one is in it */
	uint16_t urow[2 * PA_RANGES + 2], rowblk[1024], rowseg[1024];
	unsigned char rowmix[1024];
	size_t n = 0, i, k, lo, hi;
	int ch;

	cut[n++] = 0;
	for (i = 0; i < (size_t)g->nr; i++) {
		cut[n++] = g->lo[i];
		if (g->hi[i] < 0x10FFFF)
			cut[n++] = g->hi[i] + 1;
	}
	qsort(cut, n, sizeof(*cut), u32_cmp);
	for (i = k = 1; i < n; i++)
		if (cut[i] != cut[k - 1])
			cut[k++] = cut[i];
	n = k;
	memset(pos, 0, n * sizeof(*pos));
	memset(negm, 0, n * sizeof(*negm));
	/* each range marks its segments: of the nodes that read it, or of
	 * the negated ones that do not */
	for (ch = 0; ch < g->nch; ch++) {
		uint64_t bit = 1ULL << ch, *to = g->neg[ch] ? negm : pos;

		if (g->any[ch]) {
			any |= bit;
			continue;
		}
		if (g->neg[ch])
			neg |= bit;
		for (i = g->rs[ch]; i < (size_t)g->rs[ch] + g->rn[ch]; i++) {
			lo = textindex_lower(cut, 0, n, g->lo[i]);
			hi = g->hi[i] < 0x10FFFF ? textindex_lower(cut, 0, n, g->hi[i] + 1) : n;
			for (k = lo; k < hi; k++)
				to[k] |= bit;
		}
	}
	for (i = 0; i < n; i++) {
		uint64_t m = pos[i] | any | (neg & ~negm[i]);

		if (a->nseg > 0 && a->segm[a->nseg - 1] == m)
			continue;
		a->seg[a->nseg] = cut[i];
		a->segm[a->nseg++] = m;
	}
	/* the rows of sub: one for each block of the BMP that holds the
	 * start of a segment after its first code point, and for ASCII's two
	 * (rows 0 and 1, where pa_id() looks); one for each segment that
	 * holds a block whole */
	for (i = 0; i < a->nseg; i++)
		urow[i] = UINT16_MAX;
	for (k = 0, n = 0, i = 0; k < 1024; k++) {
		uint32_t c = (uint32_t)k << 6;

		while (i + 1 < a->nseg && a->seg[i + 1] <= c)
			i++;
		if (k < 2 || (i + 1 < a->nseg && a->seg[i + 1] < c + 64)) {
			rowblk[n] = (uint16_t)k;
			rowseg[n] = (uint16_t)i;
			rowmix[n] = 1;
			a->blk[k] = (uint16_t)n++;
		} else {
			if (urow[i] == UINT16_MAX) {
				rowblk[n] = (uint16_t)k;
				rowseg[n] = (uint16_t)i;
				rowmix[n] = 0;
				urow[i] = (uint16_t)n++;
			}
			a->blk[k] = urow[i];
		}
	}
	a = xrealloc(a, sizeof(*a) + 64 * n * sizeof(*a->sub));
	for (k = 0; k < n; k++) {
		uint16_t *row = a->sub + 64 * k;
		uint32_t c = (uint32_t)rowblk[k] << 6;

		for (ch = 0, i = rowseg[k]; ch < 64; ch++, c++) {
			while (rowmix[k] && i + 1 < a->nseg && a->seg[i + 1] <= c)
				i++;
			row[ch] = (uint16_t)i;
		}
	}
	/* the first step, where start reads */
	for (k = 0; k < a->nseg; k++) {
		uint64_t m = a->start & a->segm[k], nx = 0, r;

		for (r = m; r; r &= r - 1)
			nx |= a->next[__builtin_ctzll(r)];
		a->firsts[k] = nx;
		a->accs[k] = (m & a->acc) != 0;
	}
	return a;
}

/*
 * One item at *pp, its quantifier not read, into *f.  Returns 0 (it
 * consumes), 3 (it consumes nothing: f one empty node), 2 (a lookahead
 * read as consumed, tail being set: the walk ends after it, f->out
 * PA_DEAD), 1 (the reading stops here: a match passes) or -1 (not
 * understood: no automaton).
 */
static int
pa_atom(struct pagraph *g, const char **pp, int tail, int depth, struct pafrag *f)
{
	const char *p = *pp, *e;
	size_t l;
	long c;
	int ch, rc;

	if (*p == '(') {
		const char *b = p + 1;

		if (depth > 50 || p[1] == '*')
			return 1;
		if (p[1] == '?') {
			b = p + 2;
			if (*b == '=' && tail) {
				int cap = g->cap;

				b++;
				g->cap = PA_LOOK;
				rc = pa_alt(g, &b, 1, depth + 1, f);
				g->cap = cap;
				if (rc != 0)
					return rc;
				if (*b != ')')
					return -1;
				g->g[f->out].out1 = PA_END;
				f->out = PA_DEAD;
				*pp = b + 1;
				return 2;
			}
			if (*b == '=' || *b == '!' || *b == '*' ||
			    (*b == '<' && (b[1] == '=' || b[1] == '!' || b[1] == '*'))) {
				if (skip_group(&p) == -1)
					return -1;
				goto empty;
			}
			if (*b == ':' || *b == '>' || *b == '|') {
				b++;
			} else if ((*b == '<' || *b == '\'' || (*b == 'P' && b[1] == '<')) &&
			    group_name(b)) {
				if ((e = strchr(b + 1, *b == '\'' ? '\'' : '>')) == NULL)
					return -1;
				b = e + 1;
			} else if (*b && strchr("imnsxJU-^", *b)) {
				while (*b && strchr("imnsxJU-^", *b))
					b++;
				if (*b == ')') {
					p = b + 1;
					goto empty;
				}
				if (*b != ':')
					return 1;
				b++;
			} else {
				return 1;     /* recursion, a condition, a callout... */
			}
		}
		if ((rc = pa_alt(g, &b, tail, depth + 1, f)) != 0)
			return rc;
		if (*b != ')')
			return -1;
		*pp = b + 1;
		return 0;
	}
	if (*p == '[')
		return pa_class(g, pp, f);
	if (*p == '^' || *p == '$') {
		p++;
		goto empty;
	}
	if (*p == '?' || *p == '*' || *p == '+')
		return -1;
	if (*p == '\\') {
		unsigned char x = (unsigned char)p[1];

		if (x != '\0' && strchr("bBAzZGK", x)) {
			p += 2;
			goto empty;
		}
		if (x == '\0' || strchr("0123456789gkRXQEcC", x) ||
		    (x >= 'a' && x <= 'z' && !strchr("dDsSwWhHvVNpPxontrfea", x)) ||
		    (x >= 'A' && x <= 'Z' && !strchr("DSWHVNP", x)))
			return 1;
		if ((ch = pa_char(g, f)) < 0)
			return 1;
		if (x == 'd') {
			pa_digits(g, ch);
			*pp = p + 2;
			return 0;
		}
		if ((c = pa_escaped(p)) >= 0) {
			pa_range(g, ch, (uint32_t)c, (uint32_t)c);
			*pp = p + 2;
			return 0;
		}
		e = p;
		if ((x == 'x' && p[2] == '{') || x >= 0x80 ||
		    !((x >= '0' && x <= '9') || (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z'))) {
			if ((c = class_atom(&e)) >= 0) {
				pa_range(g, ch, (uint32_t)c, (uint32_t)c);
				*pp = e;
				return 0;
			}
		}
		/* one character of a class not read, or a code written otherwise */
		g->any[ch] = 1;
		{
			char lit[8];

			if (lit_escape(&e, lit, &l) == -1)
				return -1;
		}
		*pp = e;
		return 0;
	}
	if (*p == '{' && pa_quant(p, &c, &c) != 0)
		return -1;
	if ((ch = pa_char(g, f)) < 0)
		return 1;
	if (*p == '.') {
		g->any[ch] = 1;
		*pp = p + 1;
		return 0;
	}
	c = (long)utf8_decode(p, strlen(p), &l);
	pa_range(g, ch, (uint32_t)c, (uint32_t)c);
	*pp = p + (l ? l : 1);
	return 0;
empty:
	if ((f->in = f->out = pa_empty(g)) < 0)
		return 1;
	*pp = p;
	return 3;
}

/* The end of the item at p (its quantifier not read); NULL if not understood. */
static const char *
pa_skip(const char *p)
{
	char lit[8];
	size_t l;

	if (*p == '(')
		return skip_group(&p) == -1 ? NULL : p;
	if (*p == '[')
		return lit_class(&p) == -1 ? NULL : p;
	if (*p == '\\')
		return lit_escape(&p, lit, &l) == -1 ? NULL : p;
	utf8_decode(p, strlen(p), &l);
	return p + (l ? l : 1);
}

/*
 * One item and its quantifier at *pp into *f: its copies, the optional
 * ones each a way past it, an unbounded one a loop.  Returns as
 * pa_atom(), 3 also for an assertion with its quantifier.
 */
static int
pa_item(struct pagraph *g, const char **pp, int tail, int depth, struct pafrag *f)
{
	const char *p0 = *pp, *end = pa_skip(p0), *p;
	struct pafrag x;
	long lo = 1, hi = 1, k;
	int q, rc, stop = 0, first = 1;

	if (end == NULL || (q = pa_quant(end, &lo, &hi)) < 0)
		return end == NULL ? -1 : 1;
	p = p0;
	rc = pa_atom(g, &p, tail && q == 0 && pa_rest_empty(end), depth, &x);
	if (rc != 0) {
		if (rc == 3 || rc == 2)
			*f = x;
		if (rc == 3)
			*pp = end + q;
		else if (rc == 2)
			*pp = p;
		return rc;
	}
	if (p != end)
		return -1;
	*pp = end + q;
	if (lo > PA_REP) {
		lo = PA_REP;
		stop = 1;                 /* read PA_REP of them, then pass */
	} else if (hi > PA_REP) {
		hi = -1;                  /* a bound too far to count: none */
	}
	if ((f->in = f->out = pa_empty(g)) < 0)
		return 1;
	for (k = 0; k < lo || (!stop && (hi < 0 ? k == lo : k < hi)); k++) {
		if (!first) {
			p = p0;
			if ((rc = pa_atom(g, &p, 0, depth, &x)) != 0)
				return rc < 0 ? -1 : 1;
		}
		first = 0;
		if (k < lo) {
			g->g[f->out].out1 = x.in;
			f->out = x.out;
		} else {
			/* an optional copy, or a loop of them: a way past it too */
			int s = pa_empty(g), ex = pa_empty(g);

			if (s < 0 || ex < 0)
				return 1;
			g->g[s].out1 = x.in;
			g->g[s].out2 = ex;
			g->g[x.out].out1 = hi < 0 ? s : ex;
			g->g[f->out].out1 = s;
			f->out = ex;
		}
	}
	if (stop) {
		g->g[f->out].out1 = PA_END;
		f->out = PA_DEAD;
		return 2;
	}
	return 0;
}

/* One alternative up to '|', ')' or the end into *f; as pa_alt(). */
static int
pa_seq(struct pagraph *g, const char **pp, int tail, int depth, struct pafrag *f)
{
	const char *p = *pp;
	struct pafrag x = {PA_DEAD, PA_DEAD};
	int last, rc, n = 0;

	if ((f->in = last = pa_empty(g)) < 0)
		return 1;
	while (*p && *p != '|' && *p != ')') {
		const char *p0 = p;

		if ((rc = pa_item(g, &p, tail, depth, &x)) < 0)
			return -1;
		if (rc == 3 || (rc == 0 && (g->cap == 0 || ++n < g->cap))) {
			g->g[last].out1 = x.in;
			last = x.out;
			continue;
		}
		/* the walk ends here (1), in the item (2) or after it (0, the
		 * lookahead's items read): the rest is not read */
		if (rc == 1) {
			g->g[last].out1 = PA_END;
			p = p0;
		} else {
			g->g[last].out1 = x.in;
			if (rc == 0)
				g->g[x.out].out1 = PA_END;
		}
		if (skip_alt(&p) == -1)
			return -1;
		last = PA_DEAD;
		break;
	}
	f->out = last;
	*pp = p;
	return 0;
}

/*
 * Alternatives at *pp up to ')' or the end into *f: 0, 1 when the nodes
 * are spent (the caller's walk ends there), -1 not understood.  tail:
 * nothing consumes after them.
 */
static int
pa_alt(struct pagraph *g, const char **pp, int tail, int depth, struct pafrag *f)
{
	struct pafrag one;
	int ex = pa_empty(g), prev = -1, s, rc;

	if (ex < 0)
		return 1;
	for (;;) {
		if ((s = pa_empty(g)) < 0)
			return 1;
		if (prev < 0)
			f->in = s;
		else
			g->g[prev].out2 = s;
		if ((rc = pa_seq(g, pp, tail, depth, &one)) != 0)
			return rc;
		g->g[s].out1 = one.in;
		g->g[one.out].out1 = ex;
		prev = s;
		if (**pp != '|')
			break;
		(*pp)++;
	}
	f->out = ex;
	return 0;
}

/* The character nodes reached from graph node n by empty nodes only, and whether PA_END is. */
static uint64_t
pa_closure(const struct pagraph *g, int n, int *end)
{
	int stack[2 * PA_GRAPH + 1], sp = 0;
	unsigned char seen[PA_GRAPH];
	uint64_t m = 0;

	memset(seen, 0, sizeof(seen));
	*end = 0;
	if (n >= 0)
		stack[sp++] = n;
	while (sp > 0) {
		n = stack[--sp];
		if (n < 0 || seen[n])
			continue;
		seen[n] = 1;
		if (n == PA_END) {
			*end = 1;
		} else if (g->g[n].ch >= 0) {
			m |= 1ULL << g->g[n].ch;
		} else {
			stack[sp++] = g->g[n].out1;
			stack[sp++] = g->g[n].out2;
		}
	}
	return m;
}

/*
 * The automaton of src (digits: \d is 0-9 and ０-９ in the code run), or
 * NULL when it turns no candidate away (a match may be empty, or end after
 * any first character) or src is not understood.  Caller frees.
 */
static struct prefauto *
pattern_prefauto(const char *src, int digits)
{
	struct pagraph *g;
	struct prefauto *a;
	struct pafrag f;
	const char *p = src;
	int i, end;

	if (strstr(src, "\\Q") || sets_ix(src))
		return NULL;
	g = xcalloc(1, sizeof(*g));
	a = xcalloc(1, sizeof(*a));
	g->digits = digits;
	pa_empty(g);                 /* PA_END */
	pa_empty(g);                 /* PA_DEAD */
	if (pa_alt(g, &p, 1, 0, &f) != 0 || *p != '\0')
		goto none;
	g->g[f.out].out1 = PA_END;
	a->start = pa_closure(g, f.in, &end);
	if (end)
		goto none;
	for (i = 2; i < g->ng; i++) {
		int ch = g->g[i].ch;

		if (ch >= 0) {
			a->next[ch] = pa_closure(g, g->g[i].out1, &end);
			if (end)
				a->acc |= 1ULL << ch;
		}
	}
	/* one character of fc and it passes: no better than fc alone */
	if ((a->start & ~a->acc) == 0)
		goto none;
	a = pa_segments(g, a);
	free(g);
	return a;
none:
	free(g);
	free(a);
	return NULL;
}

/*
 * The run rl bytes long followed by each leading string of the lookahead
 * whose body starts at g, into *out (at least one there); -1 when the
 * lookahead has no leading strings.
 */
static int
lookahead_lits(const char *g, const char *run, size_t rl, struct litset *out, int depth)
{
	struct pset ps = {NULL, 0, 0};
	struct buf b;
	size_t i;
	int rc = -1;

	if (prefix_alt(&g, &ps, depth + 1) == -1 || *g != ')' || ps.n == 0)
		goto out;
	buf_init(&b);
	for (i = 0; i < ps.n; i++) {
		if (ps.v[i].len == 0) {
			litset_free(out);
			buf_release(&b);
			goto out;
		}
		b.len = 0;
		buf_add(&b, run, rl);
		buf_add(&b, ps.v[i].s, ps.v[i].len);
		litset_add(out, b.s, b.len);
	}
	buf_release(&b);
	rc = 0;
out:
	pset_free(&ps);
	return rc;
}

/* The leading literals of src into pat (nfirst = 0: none): each at least two characters. */
static void
pattern_firsts(struct pattern *pat, const char *src)
{
	struct pset ps = {NULL, 0, 0};
	struct litset ls = {NULL, 0};
	const char *p = src;
	size_t i;

	if (strstr(src, "\\G") || strstr(src, "\\Q") || sets_ix(src) ||
	    prefix_alt(&p, &ps, 0) == -1 || *p != '\0' || ps.n == 0) {
		pset_free(&ps);
		return;
	}
	for (i = 0; i < ps.n; i++) {
		struct patlit x = {ps.v[i].s, ps.v[i].len, {0}};

		litset_take(&ls, &x);
		ps.v[i].s = x.s;
	}
	pset_free(&ps);
	if (litset_score(&ls) < 0) {
		pattern_firstchars(pat, &ls);
		litset_free(&ls);
		return;
	}
	pat->first = ls.v;
	pat->nfirst = ls.n;
}

/*
 * The top-level alternatives of src (inside any (?:...) around the whole),
 * when matching them one by one gives exactly the match of the whole: no
 * capturing group, back reference, \G, recursion, verb or option setting
 * outside a group (a \K is fine: the alternatives are weighed by where
 * each was tried from, pcre2_get_startchar()).  Returns their number (0:
 * not split) and their sources in *v (caller frees each and v).
 */
static size_t
split_alternatives(const char *src, char ***v)
{
	const char *s = src, *p, *b;
	size_t n = strlen(src), k = 0;
	int depth = 0;

	*v = NULL;
	if (sets_ix(src))
		return 0;
	/* unwrap (?:X) around the whole */
	while (n > 4 && strncmp(s, "(?:", 3) == 0 && s[n - 1] == ')') {
		p = s;
		if (skip_group(&p) == -1 || p != s + n)
			break;
		s += 3;
		n -= 4;
	}
	for (p = s; p < s + n; p++) {
		if (*p == '\\') {
			char c = p[1];

			if (c == '\0' || c == 'G' || c == 'g' || c == 'k' || c == 'Q' ||
			    (c >= '1' && c <= '9'))
				return 0;
			p++;
			continue;
		}
		if (*p == '[') {
			const char *e = p;

			if (lit_class(&e) == -1)
				return 0;
			p = e - 1;
			continue;
		}
		if (*p == '(') {
			const char *g = p + 1;

			if (*g != '?')
				return 0;      /* a capturing group or a verb */
			g++;
			if (!(*g == ':' || *g == '>' || *g == '=' || *g == '!' ||
				(*g == '<' && (g[1] == '=' || g[1] == '!')))) {
				/* option settings only inside a group: (?s:...) or (?s) below the top */
				const char *o = g;

				while (*o && strchr("imnsJU-^", *o))
					o++;
				if (o == g || (*o != ':' && !(*o == ')' && depth > 0)))
					return 0;
			}
			depth++;
			continue;
		}
		if (*p == ')') {
			depth--;
			continue;
		}
		if (*p == '|' && depth == 0)
			k++;
	}
	if (k == 0 || depth != 0)
		return 0;
	*v = xcalloc(k + 1, sizeof(char *));
	k = 0;
	depth = 0;
	for (p = b = s; p <= s + n; p++) {
		if (p == s + n || (*p == '|' && depth == 0)) {
			(*v)[k++] = xstrndup(b, (size_t)(p - b));
			b = p + 1;
			continue;
		}
		if (*p == '\\') {
			p++;
		} else if (*p == '[') {
			const char *e = p;

			lit_class(&e);
			p = e - 1;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		}
	}
	return k;
}

/* ---- line-bound patterns -------------------------------------------------- */

/*
 * A pattern is line-bound when, from where PCRE2 starts trying a match
 * up to one of a few literals (struct linelits) that every match holds
 * at or after that start, nothing it consumes can be a line feed: then
 * no match starts before the line of the literals' next occurrence, and
 * search_lines() runs the pattern over the lines that hold one only
 * (QUAL-015's (?m)^[^“”\n]*+\K” read every line of a report up to its
 * first quotation mark).  The reading says yes only for a known subset:
 * characters, groups, alternatives, quantifiers, ^ $ \b \B \A \z \Z \K,
 * classes and escapes that leave out the line feed, lookaheads (their
 * literals count, read from where they stand), and lookbehinds and
 * negative lookaheads, which consume nothing whatever they hold; no
 * (*VERB), \G, back reference, subroutine call, condition, callout, \Q,
 * \c, comment, (?i) (?x) (?s) or anything else.  Which of a
 * sequence's literal sets it keeps (linelit_score()) weighs only on the
 * speed of the search.
 */

/* Does PCRE2's dot leave out a line feed (newline LF, ANYCRLF or ANY; not CR, CRLF or NUL)? */
static int
dot_stops_at_lf(void)
{
	uint32_t nl = 0;

	return pcre2_config(PCRE2_CONFIG_NEWLINE, &nl) >= 0 && (nl == PCRE2_NEWLINE_LF ||
	    nl == PCRE2_NEWLINE_ANYCRLF || nl == PCRE2_NEWLINE_ANY);
}

/* Is \p{name} (n bytes) a property that leaves out the line feed (letters, digits, Han)? */
static int
prop_no_lf(const char *name, size_t n)
{
	static const char *const ok[] = {"Han", "L", "Lu", "Ll", "Lo", "N", "Nd", "P", "Po",
	    "Ps", "Pe", "Pd", NULL};

	for (size_t i = 0; ok[i]; i++)
		if (strlen(ok[i]) == n && memcmp(ok[i], name, n) == 0)
			return 1;
	return 0;
}

/* What an item matches, for the line reading. */
enum lfkind {
	LF_NOT,      /* one character, never a line feed */
	LF_LIT,      /* one literal character, never a line feed (its bytes given) */
	LF_MAY,      /* something that may be (or hold) a line feed */
	LF_ZERO,     /* an assertion or \K: nothing consumed */
	LF_BAD       /* not understood: the pattern is not line-bound */
};

/*
 * The escape at *pp ('\\'), outside a class or inside one (inclass): its
 * kind, *pp moved past it; a literal's bytes into lit (*ll), and the
 * code point of a single character into *cp (-1: not one).
 */
static enum lfkind
line_escape(const char **pp, char *lit, size_t *ll, long *cp, int inclass)
{
	const char *p = *pp + 1;
	unsigned char c = (unsigned char)*p;

	*ll = 0;
	*cp = -1;
	if (c >= 0x80 || (c > ' ' && c < 0x7F && !isalnum(c))) {
		size_t l = 1;

		while (c >= 0x80 && l < 4 && ((unsigned char)p[l] & 0xC0) == 0x80)
			l++;
		memcpy(lit, p, l);
		*ll = l;
		*pp = p + l;
		*cp = (long)utf8_decode(lit, l, &l);
		return LF_LIT;
	}
	if (c == '\0')
		return LF_BAD;
	*pp = p + 1;
	switch (c) {
	case 't': case 'r': case 'f': case 'e': case 'a':
		*cp = c == 't' ? '\t' : c == 'r' ? '\r' : c == 'f' ? '\f' : c == 'e' ? 033 : '\a';
		return LF_NOT;
	case 'd': case 'w': case 'S': case 'h': case 'V':
		return LF_NOT;
	case 'n':
		*cp = '\n';
		return LF_MAY;
	case 's': case 'v': case 'D': case 'W': case 'H':
		return LF_MAY;
	case 'R': case 'X':
		return inclass ? LF_BAD : LF_MAY;
	case 'b':
		if (inclass)
			*cp = '\b';
		return inclass ? LF_NOT : LF_ZERO;
	case 'B': case 'A': case 'z': case 'Z': case 'K':
		return inclass ? LF_BAD : LF_ZERO;
	case 'p':
	case 'P': {
		const char *name = p + 1, *e;

		if (*name == '{') {
			if ((e = strchr(++name, '}')) == NULL)
				return LF_BAD;
			*pp = e + 1;
		} else {
			if (!isalpha((unsigned char)*name))
				return LF_BAD;
			e = name + 1;
			*pp = e;
		}
		return c == 'p' && prop_no_lf(name, (size_t)(e - name)) ? LF_NOT : LF_MAY;
	}
	case 'x': {
		unsigned long v = 0;
		char *e;
		size_t k;

		if (p[1] == '{') {
			v = strtoul(p + 2, &e, 16);
			if (e == p + 2 || *e != '}' || v > 0x10FFFF)
				return LF_BAD;
			*pp = e + 1;
		} else {
			char hex[3] = {0, 0, 0};

			for (k = 1; k <= 2 && isxdigit((unsigned char)p[k]); k++)
				hex[k - 1] = p[k];
			v = strtoul(hex, NULL, 16);
			*pp = p + k;
		}
		*cp = (long)v;
		return v == '\n' ? LF_MAY : LF_NOT;
	}
	default:
		return LF_BAD;   /* \G \Q \E \c \N, back references, octal, \g \k ... */
	}
}

/*
 * One member of a class at *pp (up to end, its ']'): 1 if it surely
 * holds the line feed, 0 if surely not, -1 if it may; *cp the code point
 * of a single character (-1: not one).  -2: not understood.
 */
static int
class_member(const char **pp, const char *end, long *cp)
{
	static const char *const posix_no[] = {"alpha", "digit", "alnum", "upper", "lower",
	    "word", "xdigit", "punct", NULL};
	const char *p = *pp, *x;
	char lit[8];
	size_t ll, n, i;

	*cp = -1;
	if (p[0] == '[' && p[1] == ':' && (x = posix_class_end(p)) != NULL && x < end) {
		*pp = x + 2;
		n = (size_t)(x - p - 2);
		for (i = 0; posix_no[i]; i++)
			if (strlen(posix_no[i]) == n && memcmp(posix_no[i], p + 2, n) == 0)
				return 0;
		return (n == 5 && memcmp(p + 2, "space", 5) == 0) ||
		    (n == 5 && memcmp(p + 2, "cntrl", 5) == 0) ? 1 : -1;
	}
	if (*p == '\\') {
		switch (line_escape(pp, lit, &ll, cp, 1)) {
		case LF_LIT:
		case LF_NOT:
			return 0;
		case LF_MAY:
			/* each of these holds the line feed, a property may */
			return p[1] == 'p' || p[1] == 'P' ? -1 : 1;
		default:
			return -2;
		}
	}
	*cp = (long)utf8_decode(p, (size_t)(end - p), &ll);
	*pp = p + (ll ? ll : 1);
	return *cp == '\n';
}

/*
 * Can the class from p ('[') to e (just past its ']') match a line feed?
 * 0 when surely not: a negated class one of whose members surely holds
 * it (\n \s \v, a range over U+000A ...), or a class none of whose
 * members may.  1 otherwise (when in doubt too).
 */
static int
class_admits_lf(const char *p, const char *e)
{
	int neg = 0, sure = 0, doubt = 0, in;
	long lo, hi;

	p++;
	if (*p == '^') {
		neg = 1;
		p++;
	}
	/* a ']' first is a member: the reading below takes it as a character */
	while (p < e - 1) {
		if ((in = class_member(&p, e - 1, &lo)) == -2)
			return 1;
		if (lo >= 0 && *p == '-' && p + 1 < e - 1) {
			p++;
			if (class_member(&p, e - 1, &hi) == -2 || hi < 0)
				return 1;
			in = lo <= '\n' && hi >= '\n';
		}
		sure |= in == 1;
		doubt |= in != 0;
	}
	return neg ? !sure : doubt;
}

/*
 * Can the line search find s[0..len) fast: two characters or more (by the
 * index's pairs), or one the index can list (see textindex_cset_add():
 * not a Chinese ideograph, within the BMP)?
 */
static int
linelit_findable(const char *s, size_t len)
{
	size_t l;
	uint32_t c = utf8_decode(s, len, &l);

	if (l < len)
		return 1;
	return c > 0 && c <= 0xFFFF && (c < 0x4000 || c >= 0xA000) && (c < 0xD800 || c > 0xDFFF);
}

/*
 * A literal set's worth for the line search, larger is better: -1 when
 * it has none, too many, or one it cannot find fast, or when it mixes
 * single characters (listed) with longer literals (paired).
 */
static long
linelit_score(const struct litset *ls)
{
	size_t i, min = (size_t)-1, single = 0;

	if (ls->n == 0 || ls->n > LINE_LITS)
		return -1;
	for (i = 0; i < ls->n; i++) {
		if (ls->v[i].len == 0 || !linelit_findable(ls->v[i].s, ls->v[i].len))
			return -1;
		single += lit_chars(ls->v[i].s, ls->v[i].len) == 1;
		if (ls->v[i].len < min)
			min = ls->v[i].len;
	}
	if (single && single < ls->n)
		return -1;
	return (long)min * 1024 - (long)ls->n;
}

/* Keep the better of *best and *cand for the line search (freeing the other). */
static void
linelit_keep(struct litset *best, struct litset *cand)
{
	lit_keep_by(best, cand, linelit_score);
}

static int line_alt(const char **pp, struct litset *out, int *bound, size_t *need, int depth);

/*
 * One alternative at *pp (up to '|', ')' or the end), for the line
 * reading: *bound 1 if none of its items may consume a line feed; *out
 * the best set of literals (one of which every match of it holds) found
 * while no item before may (n 0: none); *need, when that is one
 * character, the number of times the literal runs before such an item
 * hold it (at least 1: ”[^“”\n]*+\K” holds ” twice).  -1: not
 * understood.
 */
static int
line_seq(const char **pp, struct litset *out, int *bound, size_t *need, int depth)
{
	const char *p = *pp;
	struct buf run, runs;
	struct litset best = {NULL, 0}, cand = {NULL, 0};
	int pre = 1, min0, rc = -1;
	size_t q, inneed;

	buf_init(&run);
	buf_init(&runs);
	while (*p && *p != '|' && *p != ')') {
		unsigned char c = (unsigned char)*p;
		int nolf = 1;

		if (c == '(') {
			const char *g = p + 1;
			struct litset in = {NULL, 0};
			int ahead = 0, ib;

			if (*g == '*' || depth > 50)
				goto out;
			if (*g == '?') {
				g++;
				if (*g == '=') {
					ahead = 1;
					g++;
				} else if (*g == '!' ||
				    (*g == '<' && (g[1] == '=' || g[1] == '!'))) {
					/* a lookbehind or a negative lookahead consumes
					 * nothing and gives no literal, whatever it holds */
					if (skip_group(&p) == -1)
						goto out;
					p += lit_quant(p, &min0);
					continue;
				} else if (*g == ':' || *g == '>' || *g == '|') {
					g++;
				} else {
					/* a name, or option settings: m n J U only (i x s
					 * change what matches a literal or a line feed) */
					int alone;

					if ((g = group_head(g, "mnJU-^", &alone)) == NULL)
						goto out;
					if (alone) {
						p = g;
						continue;
					}
				}
			}
			if (line_alt(&g, &in, &ib, &inneed, depth + 1) == -1 || *g != ')') {
				litset_free(&in);
				goto out;
			}
			p = g + 1;
			q = lit_quant(p, &min0);
			p += q;
			if (ahead) {
				/* read from here on, consuming nothing: the run goes on */
				if (q == 0 && pre)
					linelit_keep(&best, &in);
				litset_free(&in);
				continue;
			}
			if (pre && !(q && min0)) {
				/* one character: a group's occurrences are apart from
				 * the runs' too */
				if (in.n == 1 && lit_chars(in.v[0].s, in.v[0].len) == 1)
					for (size_t r = 0; r < inneed; r++) {
						buf_add(&runs, in.v[0].s, in.v[0].len);
						buf_addc(&runs, '\n');
					}
				linelit_keep(&best, &in);
			}
			litset_free(&in);
			nolf = ib;
		} else if (c == '[') {
			const char *e = p;

			if (lit_class(&e) == -1)
				goto out;
			nolf = !class_admits_lf(p, e);
			p = e;
			p += lit_quant(p, &min0);
		} else if (c == '.') {
			nolf = dot_stops_at_lf();
			p++;
			p += lit_quant(p, &min0);
		} else if (c == '^' || c == '$') {
			/* assertions: nothing consumed, the run goes on */
			p++;
			if (lit_quant(p, &min0))
				goto out;
			continue;
		} else if (c == '?' || c == '*' || c == '+') {
			goto out;
		} else {
			char lit[8];
			size_t ll = 1;
			long cp;
			enum lfkind k = LF_LIT;

			if (c == '\\') {
				k = line_escape(&p, lit, &ll, &cp, 0);
				if (k == LF_BAD)
					goto out;
			} else {
				/* { } ] stand for themselves where no quantifier or
				 * class reads them: a run ends at them all the same */
				if (c == '{' || c == '}' || c == ']')
					k = LF_NOT;
				if (c >= 0x80)
					while (ll < 4 && ((unsigned char)p[ll] & 0xC0) == 0x80)
						ll++;
				memcpy(lit, p, ll);
				p += ll;
				if (c == '\n')
					k = LF_MAY;
			}
			if (k == LF_ZERO) {
				/* \b \B \A \z \Z \K: the run ends, nothing consumed */
				if (run.len && pre) {
					litset_add(&cand, run.s, run.len);
					linelit_keep(&best, &cand);
					buf_add(&runs, run.s, run.len);
					buf_addc(&runs, '\n');
				}
				run.len = 0;
				continue;
			}
			q = lit_quant(p, &min0);
			p += q;
			if (k == LF_LIT && (q == 0 || !min0)) {
				buf_add(&run, lit, ll);
				if (q == 0)
					continue;
				/* once at least; what follows need not be next */
			}
			nolf = k != LF_MAY;
		}
		/* a consuming item: the run of literals ends here */
		if (run.len && pre) {
			litset_add(&cand, run.s, run.len);
			linelit_keep(&best, &cand);
			buf_add(&runs, run.s, run.len);
			buf_addc(&runs, '\n');
		}
		run.len = 0;
		if (!nolf)
			pre = 0;
	}
	if (run.len && pre) {
		litset_add(&cand, run.s, run.len);
		linelit_keep(&best, &cand);
		buf_add(&runs, run.s, run.len);
	}
	/* the runs are apart in every match: each holds its own */
	*need = 1;
	if (best.n == 1 && runs.len && lit_chars(best.v[0].s, best.v[0].len) == 1) {
		const struct patlit *l = &best.v[0];
		const char *x = runs.s, *end = runs.s + runs.len;
		size_t k = 0;

		for (; (x = memmem(x, (size_t)(end - x), l->s, l->len)) != NULL; x += l->len)
			k++;
		if (k > 1)
			*need = k;
	}
	*out = best;
	best.v = NULL;
	best.n = 0;
	*bound = pre;
	rc = 0;
out:
	litset_free(&best);
	litset_free(&cand);
	buf_release(&run);
	buf_release(&runs);
	*pp = p;
	return rc;
}

/*
 * Alternatives up to ')' or the end, for the line reading: the union of
 * their sets (n 0 if one has none); *bound if every one is; *need the
 * least of theirs when the union is one character (else 1).
 */
static int
line_alt(const char **pp, struct litset *out, int *bound, size_t *need, int depth)
{
	struct litset all = {NULL, 0}, one;
	int none = 0, b;
	size_t i, k;

	*bound = 1;
	*need = (size_t)-1;
	for (;;) {
		if (line_seq(pp, &one, &b, &k, depth) == -1) {
			litset_free(&all);
			return -1;
		}
		*bound &= b;
		if (k < *need)
			*need = k;
		if (one.n == 0)
			none = 1;
		for (i = 0; i < one.n && !none; i++)
			litset_take(&all, &one.v[i]);
		litset_free(&one);
		if (**pp != '|')
			break;
		(*pp)++;
	}
	if (none || linelit_score(&all) < 0)
		litset_free(&all);
	if (all.n != 1)
		*need = 1;
	*out = all;
	return 0;
}

/*
 * The line literals of src into pat->lines when it is line-bound (see
 * line_seq()).  Single characters are listed by the index as a set of
 * their own (most reports have no ＿ or 〔 at all, and the search ends
 * at once); without a set there is no line search.
 */
static void
pattern_lines(struct pattern *pat, const char *src)
{
	struct litset ls = {NULL, 0};
	const char *p = src;
	struct linelits *lb;
	uint32_t cp[LINE_LITS];
	size_t i, l;
	int bound, set = -1;
	size_t need;

	/* a verb or \G anywhere, even in an assertion the reading skips,
	 * may make where the search starts matter; \Q would hide a ')' */
	if (strstr(src, "(*") || strstr(src, "\\G") || strstr(src, "\\Q") || sets_ix(src) ||
	    line_alt(&p, &ls, &bound, &need, 0) == -1 || *p != '\0' || ls.n == 0) {
		litset_free(&ls);
		return;
	}
	if (lit_chars(ls.v[0].s, ls.v[0].len) == 1) {
		for (i = 0; i < ls.n; i++)
			cp[i] = utf8_decode(ls.v[i].s, ls.v[i].len, &l);
		if (collect_keys)
			set = textindex_cset_add(collect_keys, cp, ls.n, collect_raw);
		if (set < 0) {
			litset_free(&ls);
			return;
		}
	}
	lb = xcalloc(1, sizeof(*lb));
	lb->v = ls.v;
	lb->n = ls.n;
	lb->keys = collect_keys;
	lb->set = set;
	lb->need = need;
	for (i = 0; i < lb->n; i++) {
		struct patlit *x = &lb->v[i];

		textindex_ref_init(&x->ref, x->s, x->len, collect_keys);
		/* a lead byte of Chinese characters or full-width signs is
		 * common: the last byte, a continuation byte, is rarer */
		lb->keyat[i] = (unsigned char)((unsigned char)x->s[0] >= 0xE3 ? x->len - 1 : 0);
	}
	pat->lines = lb;
}

int rules_strict;

/*
 * The literals' pairs and the first characters of pat (whole: a pattern
 * as compiled, not one of its alternatives) that a search asks the index
 * k about, added to k; raw: pat reads the raw text.  Only these: every
 * pair and set costs each report's index its positions.  A search asks
 * about a literal of a pattern of the normalised text, and lists its first
 * characters there, only when the pattern is not split (pattern_search()
 * runs a split one's alternatives instead); one of the raw text, which has
 * no index of pairs, runs whole and asks for its first characters alone.
 * What is left out reads as not indexed (textindex_first(): -2; a set of
 * -1), and the search looks itself.
 */
static void
pattern_index(struct pattern *pat, struct textindex_keys *k, int raw, int whole)
{
	struct textindex_keys *pk = raw || pat->nalt ? NULL : k;
	size_t i;

	for (i = 0; i < pat->nlit; i++)
		textindex_ref_init(&pat->lit[i].ref, pat->lit[i].s, pat->lit[i].len, pk);
	for (i = 0; i < pat->nfirst; i++)
		textindex_ref_init(&pat->first[i].ref, pat->first[i].s, pat->first[i].len, pk);
	/* the index lists its characters, if it can (no scan then) */
	if (pat->fc && k && (raw ? whole : pat->nalt == 0))
		pat->fc->set = textindex_cset_add(k, pat->fc->cp, pat->fc->n, raw);
	for (i = 0; i < pat->nalt; i++)
		pattern_index(&pat->alt[i], k, raw, 0);
}

static void pattern_split(struct pattern *pat, const char *src);

/*
 * src with \d written as the digits it stands for in a report, 0-9 and
 * full-width ０-９ ([0-9０-９]), or NULL when src has no \d or cannot be
 * rewritten (\Q, \D inside a class).  Under UCP \d is every Unicode
 * decimal digit, a property PCRE2 cannot turn into a start-of-match
 * table, so each such pattern was tried at every character of the text;
 * the class gives it one.
 */
static char *
digits_class(const char *src)
{
	struct buf b;
	const char *p;
	int inclass = 0, any = 0;

	if (strstr(src, "\\d") == NULL || strstr(src, "\\Q"))
		return NULL;
	buf_init(&b);
	for (p = src; *p; p++) {
		if (*p == '\\' && p[1] != '\0') {
			if (p[1] == 'd') {
				/* in a class, escapes: a "0" after \x or \0 would
				 * become part of that escape ([\x\d]) */
				buf_adds(&b, inclass ? "\\x{30}-\\x{39}\\x{ff10}-\\x{ff19}" : "[0-9０-９]");
				any = 1;
			} else if (p[1] == 'D') {
				if (inclass) {
					buf_release(&b);
					return NULL;
				}
				buf_adds(&b, "[^0-9０-９]");
				any = 1;
			} else {
				buf_add(&b, p, 2);
			}
			p++;
			continue;
		}
		if (!inclass && *p == '[') {
			inclass = 1;
			buf_addc(&b, *p);
			if (p[1] == '^')
				buf_addc(&b, *++p);
			if (p[1] == ']')
				buf_addc(&b, *++p);
			continue;
		}
		if (inclass && p[0] == '[' && p[1] == ':') {
			const char *e = posix_class_end(p);

			if (e) {
				buf_add(&b, p, (size_t)(e + 2 - p));
				p = e + 1;
				continue;
			}
		}
		if (inclass && *p == ']')
			inclass = 0;
		buf_addc(&b, *p);
	}
	if (!any) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/*
 * Is the variable name set?  Asked once a run, the answer kept in *c (0
 * not asked yet, 1 no, 2 yes): compile() asked twice a pattern, 1,200
 * times a load.
 */
static _Atomic int env_nojit, env_noprefilter;

static int
env_set(_Atomic int *c, const char *name)
{
	int v = atomic_load_explicit(c, memory_order_relaxed);

	if (v == 0) {
		v = getenv(name) != NULL ? 2 : 1;
		atomic_store_explicit(c, v, memory_order_relaxed);
	}
	return v == 2;
}

/*
 * src into pat.  split: a rule's whole pattern (the empty-match test of
 * `rules --lint`, the alternatives compiled apart); check: only whether
 * it compiles, as the alternatives of a list are tried one by one for an
 * error at the right line (no rewrite, no prefilter: their literals
 * would join the text index's key set for nothing); prefilter: the
 * readings of the source for pattern_search() (literals, first
 * characters, alternatives, lines), which a pattern matched only by
 * pattern_find() or PCRE2 itself does without.
 */
static int
compile(struct pattern *pat, const char *src, yaml_node_t *n, int split, int check,
	int prefilter, struct error *err)
{
	int ec, as_written, digits = 0, rewritten = 0;
	PCRE2_SIZE eo;
	PCRE2_UCHAR buf[256];

	memset(pat, 0, sizeof(*pat));
	/*
	 * \cX (a control character) takes the next character whatever it is
	 * ("\c\d" is Ctrl-\ and a d), and a comment (?#...) whatever is in it
	 * ("(?#[)\d"); a quantifier after the comment applies to the item before it
	 * ("}(?#){0,}" may match nothing).  The \d rewrite and the prefilter's
	 * readers know neither: such a pattern runs as written.
	 */
	as_written = strstr(src, "\\c") != NULL || strstr(src, "(?#") != NULL;
	pat->line = n ? (int)n->start_mark.line + 1 : 0;
	pat->column = n ? (int)n->start_mark.column + 1 : 0;
	if (utf8_invalid(src, strlen(src)) != (size_t)-1)
		return ry_error(n, err, "正则表达式不是有效的 UTF-8");
	/*
	 * A pattern with \d runs as digits_class() rewrites it, and the
	 * rewrite, compiled first, spares the compile of src as written:
	 * where it compiles, so does src (only each \d changes, into a class
	 * of the same one character).  Left to both compiles: a \d next to a
	 * '-', which in a class may make a range of the rewrite where src's
	 * is an error ([a-\d], [\d-z]), and the empty-match test of
	 * `rules --strict`, which is src's.
	 */
	if (!check && !as_written && !(rules_strict && split)) {
		char *d = digits_class(src);

		if (d != NULL && strstr(src, "-\\d") == NULL && strstr(src, "\\d-") == NULL) {
			pat->re = compile_with(d, 0);
			rewritten = 1;
			digits = pat->re != NULL;
		}
		free(d);
	}
	if (pat->re == NULL) {
		/* \C matches one byte: it would split characters and print invalid UTF-8 */
		pat->re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C, &ec, &eo, NULL);
		if (pat->re == NULL) {
			int col = pat->column;

			pcre2_get_error_message(ec, buf, sizeof(buf));
			/* a quoted scalar starts one character after its mark */
			if (n && n->type == YAML_SCALAR_NODE &&
			    (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
				n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE))
				col++;
			col += (int)utf8_count(src, eo);
			ry_error(n, err, "正则表达式错误（第 %zu 个字符）：%s：%s", (size_t)eo,
			    (char *)buf, src);
			err->column = col;
			err->offset = (long)eo;
			return -1;
		}
		/* a pattern that matches nothing at all fires (or is satisfied) at
		 * every position of every report */
		if (rules_strict && split) {
			pcre2_match_data *md = pcre2_match_data_create_from_pattern(pat->re, NULL);
			int rc = pcre2_match(pat->re, (PCRE2_SPTR) "", 0, 0, 0, md, NULL);

			pcre2_match_data_free(md);
			if (rc >= 0) {
				pcre2_code_free(pat->re);
				pat->re = NULL;
				return ry_error(n, err, "正则表达式能匹配空字符串：%s", src);
			}
		}
		if (check)
			return 0;
	}
	if (!rewritten) {
		char *d = as_written ? NULL : digits_class(src);
		pcre2_code *re = d ? pcre2_compile((PCRE2_SPTR)d, PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C, &ec, &eo, NULL) : NULL;

		if (re) {
			pcre2_code_free(pat->re);
			pat->re = re;
			digits = 1;
		}
		free(d);
	}
	/* FZREPORT_NOJIT (tests/run under valgrind, which cannot follow JIT code) */
	if (env_set(&env_nojit, "FZREPORT_NOJIT")) {
		atomic_init(&pat->jitted, 1);
		atomic_init(&pat->ajitted, 1);
	}
	pat->src = xstrdup(src);
	/* FZREPORT_NOPREFILTER: every pattern runs over every scope (to compare) */
	if (prefilter && !env_set(&env_noprefilter, "FZREPORT_NOPREFILTER") && !as_written) {
		pattern_literals(pat, src);
		pattern_firsts(pat, src);
		uint32_t fct = 0, fcu = 0;

		/* PCRE2 finds a first code unit (SIMD) and line starts fast
		 * itself, and first characters are left to it then; but the
		 * first byte of a Chinese character is shared by thousands of
		 * others, and where the index knows the pattern's leading
		 * literals, trying it at each (search_firsts) does better */
		if (pcre2_pattern_info(pat->re, PCRE2_INFO_FIRSTCODETYPE, &fct) == 0 &&
		    pcre2_pattern_info(pat->re, PCRE2_INFO_FIRSTCODEUNIT, &fcu) == 0)
			pat->slow_start = fct == 0 || (fct == 1 && fcu >= 0xC0 && pat->nfirst);
		if (pat->fc && !pat->slow_start) {
			free(pat->fc);
			pat->fc = NULL;
		}
		/* the raw text has no index of pairs: its leading literals
		 * serve by their first characters */
		if (collect_raw && pat->nfirst && pat->fc == NULL && pat->slow_start) {
			struct litset fl = {pat->first, pat->nfirst};

			pattern_firstchars(pat, &fl);
		}
		if (pat->fc) {
			pat->fc->keys = collect_keys;
			pat->fc->set = -1;
			pat->fc->pa = pattern_prefauto(src, digits || strstr(src, "\\d") == NULL);
		}
		/* a pattern whose every match starts with a literal already runs only from there */
		if (split && pat->nfirst == 0)
			pattern_split(pat, src);
		/* its pairs and character sets join the index's once it is whole
		 * (an alternative's with it: the split may yet be given up) */
		if (split)
			pattern_index(pat, collect_keys, collect_raw, 1);
		/* one with no start of its own known: the lines that can hold a match */
		if (pat->nfirst == 0 && pat->fc == NULL && pat->nalt == 0 && !collect_raw)
			pattern_lines(pat, src);
	}
	return 0;
}

int
pattern_compile(struct pattern *pat, const char *src, yaml_node_t *n, struct error *err)
{
	return compile(pat, src, n, 1, 0, 1, err);
}

int
pattern_compile_plain(struct pattern *pat, const char *src, yaml_node_t *n, struct error *err)
{
	return compile(pat, src, n, 1, 0, 0, err);
}

/*
 * Compile the top-level alternatives of src apart, each with its own
 * literals (pattern_search() runs each only where it can match, from its
 * first literal on), when at least one has literals the whole lacks.
 */
/* Does PCRE2 know where a match of re can start (a first code unit, a line start)? */
static int
starts_known(const pcre2_code *re)
{
	uint32_t t = 0;

	return pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &t) == 0 && t != 0;
}

static void
pattern_split(struct pattern *pat, const char *src)
{
	char **v;
	size_t n = split_alternatives(src, &v), i, useful = 0;
	struct error err;

	if (n == 0)
		return;
	pat->alt = xcalloc(n, sizeof(*pat->alt));
	for (i = 0; i < n; i++) {
		if (compile(&pat->alt[i], v[i], NULL, 0, 0, 1, &err) == -1)
			break;
		if (pat->alt[i].nlit || pat->alt[i].nfirst || pat->alt[i].fc ||
		    starts_known(pat->alt[i].re))
			useful++;
	}
	pat->nalt = i;
	if (i < n || useful == 0) {
		while (pat->nalt > 0)
			pattern_release(&pat->alt[--pat->nalt]);
		free(pat->alt);
		pat->alt = NULL;
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
pattern_release(struct pattern *pat)
{
	size_t i;

	for (i = 0; i < pat->nlit; i++)
		free(pat->lit[i].s);
	free(pat->lit);
	for (i = 0; i < pat->nfirst; i++)
		free(pat->first[i].s);
	free(pat->first);
	if (pat->fc)
		free(pat->fc->pa);
	free(pat->fc);
	if (pat->lines) {
		for (i = 0; i < pat->lines->n; i++)
			free(pat->lines->v[i].s);
		free(pat->lines->v);
		free(pat->lines);
	}
	if (pat->anch)
		pcre2_code_free(pat->anch);
	for (i = 0; i < pat->nalt; i++)
		pattern_release(&pat->alt[i]);
	free(pat->alt);
	free(pat->src);
	if (pat->re)
		pcre2_code_free(pat->re);
	memset(pat, 0, sizeof(*pat));
}

/*
 * The quantifier at src[i] ({m}, {m,}, {m,n}, ?, *, +, each maybe lazy or
 * possessive): its length, its least count into *min; 0 if none.
 */
size_t
pattern_quant(const char *src, size_t i, long *min)
{
	size_t j = i;

	*min = 1;
	if (src[j] == '?' || src[j] == '*' || src[j] == '+') {
		*min = src[j] == '+';
		j++;
	} else if (src[j] == '{' && src[j + 1] >= '0' && src[j + 1] <= '9') {
		*min = 0;
		for (j++; src[j] >= '0' && src[j] <= '9'; j++)
			*min = *min < 100000 ? *min * 10 + (src[j] - '0') : *min;
		if (src[j] == ',')
			for (j++; src[j] >= '0' && src[j] <= '9'; j++)
				;
		if (src[j] != '}')
			return 0;     /* a literal {, as PCRE2 takes it */
		j++;
	} else {
		return 0;
	}
	if (src[j] == '?' || src[j] == '+')
		j++;
	return j - i;
}

/*
 * The offset just past the escape at src[i] (\x{..}, \p{..}, \xhh, \cX,
 * \., an escaped character), or 0 where it is not read (a back reference
 * or an octal escape, whose digits would read as characters, or the end).
 */
size_t
pattern_escape_end(const char *src, size_t i)
{
	const char *q;
	char c = src[i + 1];
	size_t j, l;

	if (c == '\0' || (c >= '0' && c <= '9'))
		return 0;
	if (c == 'c')
		return src[i + 2] != '\0' ? i + 3 : 0;
	if (strchr("xopPNgk", c) && src[i + 2] == '{')
		return (q = strchr(src + i + 3, '}')) != NULL ? (size_t)(q - src) + 1 : 0;
	if (c == 'p' || c == 'P')
		return src[i + 2] != '\0' ? i + 3 : 0;
	if (c == 'x') {
		for (j = i + 2; j < i + 4 && isxdigit((unsigned char)src[j]); j++)
			;
		return j;
	}
	if ((unsigned char)c >= 0x80) {
		utf8_decode(src + i + 1, strlen(src + i + 1), &l);
		return i + 1 + l;
	}
	return i + 2;
}

/* The offset just past the class that opens at src[i], or 0 (a POSIX class is not read). */
size_t
pattern_class_end(const char *src, size_t i)
{
	size_t j = i + 1;

	if (src[j] == '^')
		j++;
	if (src[j] == ']')
		j++;
	for (;;) {
		if (src[j] == '\0' || (src[j] == '[' && src[j + 1] == ':'))
			return 0;
		if (src[j] == ']')
			return j + 1;
		if (src[j] != '\\')
			j++;
		else if ((j = pattern_escape_end(src, j)) == 0)
			return 0;
	}
}

/*
 * The offset just past the item at src[i]: an escape, a class, a group
 * with what it holds, or one byte; 0 where it is not read.
 */
size_t
pattern_item_end(const char *src, size_t i)
{
	int depth = 0;

	do {
		if (src[i] == '\0')
			return 0;
		if (src[i] == '\\') {
			i = pattern_escape_end(src, i);
		} else if (src[i] == '[') {
			i = pattern_class_end(src, i);
		} else {
			depth += (src[i] == '(') - (src[i] == ')');
			i++;
		}
	} while (i != 0 && depth > 0);
	return i;
}

/* Does src set option o ((?i), (?sx:, (?^x)) anywhere, or may it? */
int
pattern_sets_option(const char *src, char o)
{
	const char *p, *q;

	for (p = strstr(src, "(?"); p != NULL; p = strstr(p + 2, "(?"))
		for (q = p + 2; *q == '^' || *q == '-' || (*q >= 'a' && *q <= 'z') ||
		    (*q >= 'A' && *q <= 'Z'); q++)
			if (*q == o)
				return 1;
	return 0;
}

/*
 * A name for people of what src matches: its first alternative when that
 * is a plain word ("楷体|楷书|KaiTi" and "(?:楷体)|(?:KaiTi)" give 楷体),
 * NULL when the pattern has other syntax (the rule file must name it).
 */
char *
pattern_label(const char *src)
{
	const char *p = src, *e;
	size_t n;

	if (src == NULL)
		return NULL;
	if (strncmp(p, "(?:", 3) == 0) {
		p += 3;
		e = strchr(p, ')');
		if (e == NULL || (e[1] != '\0' && e[1] != '|'))
			return NULL;
	} else {
		e = strchr(p, '|');
		if (e == NULL)
			e = p + strlen(p);
	}
	n = (size_t)(e - p);
	if (n == 0)
		return NULL;
	for (const char *q = p; q < e; q++)
		if (strchr("\\^$.|?*+()[]{}", *q))
			return NULL;
	return xstrndup(p, n);
}

char *
pattern_join_words(char **w, size_t n)
{
	struct buf b;
	size_t i;
	const char *p;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, '|');
		for (p = w[i]; *p; p++) {
			if (strchr("\\^$.|?*+()[]{}", *p))
				buf_addc(&b, '\\');
			buf_addc(&b, *p);
		}
	}
	return buf_detach(&b);
}

/*
 * A pattern node's strings (a scalar, or a list) into *v: each compiled on
 * its own to see that it can be, so an error points at its line; -1 and
 * err at the first that cannot (nothing left to free).
 */
static int
node_patterns(yaml_document_t *doc, yaml_node_t *n, const char *what, char ***v, size_t *nv,
	struct error *err)
{
	size_t i;
	int rc;

	*v = NULL;
	*nv = 0;
	rc = ry_strlist(doc, n, what, v, nv, err);
	for (i = 0; rc == 0 && i < *nv; i++) {
		struct pattern t;
		yaml_node_t *x = n->type == YAML_SCALAR_NODE ? n :
		    yaml_document_get_node(doc, n->data.sequence.items.start[i]);

		rc = compile(&t, (*v)[i], x, 1, 1, 0, err);
		pattern_release(&t);
	}
	if (rc == -1) {
		for (i = 0; i < *nv; i++)
			free((*v)[i]);
		free(*v);
		*v = NULL;
		*nv = 0;
	}
	return rc;
}

int
pattern_from_node(struct pattern *pat, yaml_document_t *doc, yaml_node_t *n, const char *what,
	struct error *err)
{
	char **v = NULL;
	size_t nv = 0, i;
	struct buf b;
	int rc;

	if (n && n->type == YAML_SCALAR_NODE)
		return pattern_compile(pat, (char *)n->data.scalar.value, n, err);
	if (node_patterns(doc, n, what, &v, &nv, err) == -1)
		return -1;
	buf_init(&b);
	for (i = 0; i < nv; i++) {
		buf_printf(&b, "%s(?:%s)", i ? "|" : "", v[i]);
		free(v[i]);
	}
	free(v);
	rc = pattern_compile(pat, b.s ? b.s : "(*FAIL)", n, err);
	buf_release(&b);
	return rc;
}

int
textpat_load(struct textpat *t, yaml_document_t *doc, yaml_node_t *map, struct error *err)
{
	yaml_node_t *v;
	struct buf b;
	char *w;
	int rc;

	if ((v = ry_get(doc, map, "raw")) && ry_bool(v, "raw", &t->raw, err) == -1)
		return -1;
	if ((v = ry_get(doc, map, "pattern"))) {
		char **alt;
		size_t nalt, i;

		if (node_patterns(doc, v, "pattern", &alt, &nalt, err) == -1)
			return -1;
		buf_init(&b);
		for (i = 0; i < nalt; i++) {
			buf_printf(&b, "%s(?:%s)", i ? "|" : "", alt[i]);
			free(alt[i]);
		}
		free(alt);
		free(t->regex);
		t->regex = buf_detach(&b);
	}
	if ((v = ry_get(doc, map, "words"))) {
		size_t i;

		for (i = 0; i < t->nwords; i++)
			free(t->words[i]);
		free(t->words);
		t->words = NULL;
		t->nwords = 0;
		if (ry_strlist(doc, v, "words", &t->words, &t->nwords, err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, map, "add")) &&
	    ry_strlist(doc, v, "add", &t->words, &t->nwords, err) == -1)
		return -1;
	if (t->regex == NULL && t->nwords == 0)
		return ry_error(map, err, "需要 pattern 或 words");
	buf_init(&b);
	if (t->regex)
		buf_printf(&b, "(?:%s)", t->regex);
	if (t->nwords) {
		w = pattern_join_words(t->words, t->nwords);
		buf_printf(&b, "%s(?:%s)", t->regex ? "|" : "", w);
		free(w);
	}
	pattern_release(&t->pat);
	collect_raw = t->raw;
	rc = pattern_compile(&t->pat, b.s, map, err);
	collect_raw = 0;
	buf_release(&b);
	return rc;
}

void
textpat_release(struct textpat *t)
{
	size_t i;

	free(t->regex);
	for (i = 0; i < t->nwords; i++)
		free(t->words[i]);
	free(t->words);
	pattern_release(&t->pat);
	memset(t, 0, sizeof(*t));
}

int
namedpat_load(struct namedpat **v, size_t *n, yaml_document_t *doc, yaml_node_t *list,
	struct error *err)
{
	static const char *const keys[] = {"pattern", "name", NULL};
	yaml_node_item_t *it;

	if (list == NULL || list->type != YAML_SEQUENCE_NODE)
		return ry_error(list, err, "应为 {pattern, name} 的列表");
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(doc, *it), *p, *nm;
		const char *name;

		if (ry_keys(doc, e, keys, "pattern 项", err) == -1)
			return -1;
		if ((p = ry_get(doc, e, "pattern")) == NULL)
			return ry_error(e, err, "缺少 pattern");
		if ((nm = ry_get(doc, e, "name")) == NULL)
			return ry_error(e, err, "缺少 name（写明找到的是什么）");
		if ((name = ry_str(nm, "name", err)) == NULL)
			return -1;
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		if (pattern_from_node(&(*v)[*n].pat, doc, p, "pattern", err) == -1)
			return -1;
		(*v)[*n].name = xstrdup(name);
		(*n)++;
	}
	return 0;
}

void
namedpat_free(struct namedpat *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		pattern_release(&v[i].pat);
		free(v[i].name);
	}
	free(v);
}
