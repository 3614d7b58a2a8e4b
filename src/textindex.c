/*
 * textindex.c: the character-pair index of one text (textindex.h).  An
 * open-addressing table keyed on the bytes of two adjacent characters
 * leads to the text's distinct pairs, kept densely in order of first
 * occurrence; each pair's positions are stored in text order, so a range
 * query is a binary search and a comparison at each candidate.  Built in
 * one walk over the text, which notes each position's pair, and one over
 * those notes; the table (four bytes a slot) grows with the distinct
 * pairs, not the length.  With a key set (a rule pack's) the walk
 * records only the pairs of the set, found by a filter bit and the
 * set's own table, and a pair's number in the set leads to it.
 *
 * A key set may also hold sets of single characters (a pattern's first
 * characters: rules_match.c's struct firstchars); a text indexed with it
 * gets the positions of each set's characters, found in one pass for all
 * the sets, so that a pattern needs no scan of its own.
 */
#include "textindex.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

/* Length of the character at s[0..n) by its lead byte (1 for a stray byte). */
static inline size_t
char_len(const unsigned char *s, size_t n)
{
	/* four bits a high nibble: 0x0-0xB 1, 0xC-0xD 2, 0xE 3, 0xF 4 */
	size_t l = (size_t)(0x4322111111111111ULL >> (4 * (s[0] >> 4)) & 0xF);

	return l <= n ? l : 1;
}

/* The key of the bytes s[0..len) (len <= 8, avail bytes readable at s): never 0. */
static inline uint64_t
bytes_key(const unsigned char *s, size_t len, size_t avail)
{
	uint64_t k = 0;
	size_t j;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (avail >= 8) {
		/* the same value as the loop below, in one load */
		memcpy(&k, s, 8);
		if (len < 8)
			k &= ((uint64_t)1 << (8 * len)) - 1;
		return (k ^ ((uint64_t)len << 59)) | 1;
	}
#else
	(void)avail;
#endif
	for (j = 0; j < len; j++)
		k |= (uint64_t)s[j] << (8 * j);
	/* the length keeps a pair apart from the same bytes split otherwise */
	return (k ^ ((uint64_t)len << 59)) | 1;
}

/*
 * The key of two three-byte characters (most of Chinese) whose bytes are
 * those of w, the first lowest: key_at() of the six, by hand.
 */
static inline uint64_t
key33(uint64_t w)
{
	return ((w & 0xFFFFFFFFFFFFULL) ^ ((uint64_t)6 << 59) ^ ((uint64_t)3 << 62)) | 1;
}

/*
 * The eight bytes at u (readable there) as one number, the first lowest,
 * if they start with two three-byte characters, and 0 if not: on a
 * little-endian machine one load gives both lead bytes and, for key33()
 * and keys_hash(), the pair.
 */
static inline uint64_t
load33(const unsigned char *u)
{
	uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&w, u, 8);
	/* the high nibbles of bytes 0 and 3 */
	if (((uint32_t)w & 0xF00000F0U) != 0xE00000E0U)
		return 0;
#else
	size_t j;

	if ((u[0] & 0xF0) != 0xE0 || (u[3] & 0xF0) != 0xE0)
		return 0;
	for (j = 0; j < 8; j++)
		w |= (uint64_t)u[j] << (8 * j);
#endif
	return w;
}

/*
 * load33() when the eight bytes at u (readable there, and at u + 3) start
 * with three characters of three bytes: 0 if they do not (or the machine
 * is not little-endian; the walk takes one pair a step then).
 */
static inline uint64_t
load333(const unsigned char *u)
{
	uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&w, u, 8);
	/* the high nibbles of bytes 0, 3 and 6 */
	if ((w & 0x00F00000F00000F0ULL) != 0x00E00000E00000E0ULL)
		return 0;
#else
	(void)u;
#endif
	return w;
}

/* Key of the pair of characters a and b bytes long at u (avail bytes readable there). */
static inline uint64_t
key_at(const unsigned char *u, size_t a, size_t b, size_t avail)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (a == 3 && b == 3 && avail >= 8) {
		uint64_t w;

		memcpy(&w, u, 8);
		return key33(w);
	}
#endif
	return bytes_key(u, a + b, avail) ^ ((uint64_t)a << 62);
}

/* Key of the first two characters of s[0..n) (0 if there are not two). */
static uint64_t
pair_key(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t a, b;

	if (n == 0)
		return 0;
	a = char_len(u, n);
	if (a >= n)
		return 0;
	b = char_len(u + a, n - a);
	return key_at(u, a, b, n);
}

/* The table slot of key k: where it is, or the empty slot where it goes. */
static size_t
slot_of(const struct textindex *ti, uint64_t k)
{
	size_t h = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> ti->shift);

	while (ti->table[h] != 0 && ti->pair[ti->table[h] - 1].key != k)
		h = (h + 1) & ti->mask;
	return h;
}

/* The most pairs a table of mask + 1 slots takes (three quarters full). */
static size_t
max_pairs(size_t mask)
{
	return 3 * (mask + 1) / 4;
}

/* Double the table: the pairs keep their indices. */
static void
grow(struct textindex *ti)
{
	size_t i;

	free(ti->table);
	ti->mask = 2 * ti->mask + 1;
	ti->shift--;
	ti->table = xcalloc(ti->mask + 1, sizeof(*ti->table));
	ti->pair = xrealloc(ti->pair, max_pairs(ti->mask) * sizeof(*ti->pair));
	for (i = 0; i < ti->npair; i++)
		ti->table[slot_of(ti, ti->pair[i].key)] = (uint32_t)(i + 1);
}

/* ---- the key set ---------------------------------------------------------- */

/* The multipliers of keys_hash(): odd, their bits mixed (golden ratio, Murmur3). */
#define KEYS_C1 0x9E3779B1U
#define KEYS_C2 0x85EBCA77U

/*
 * The hash of key kk in a key set (its table and its filter): of its low
 * six bytes only, those of a pair of three-byte characters, so that the
 * walk hashes such a pair straight from the text's bytes (the same with
 * the low bit set, as in the key) and makes its key only when the filter
 * lets it through; in 32-bit arithmetic, which the AVX2 walk does for
 * eight pairs at once.  Keys that differ only above (a pair of more than
 * six bytes, or the same bytes split otherwise) share a hash and are told
 * apart in the table.
 */
static inline uint32_t
keys_hash(uint64_t kk)
{
	return ((uint32_t)kk | 1) * KEYS_C1 + ((uint32_t)(kk >> 32) & 0xFFFF) * KEYS_C2;
}

/* The filter bit of a key's hash: its top sixteen bits pick one of 65,536. */
static inline int
keys_maybe(const struct textindex_keys *k, uint32_t h)
{
	return (int)(k->filter[h >> 22] >> (h >> 16 & 63) & 1);
}

/* The number of key kk (hash h) in a set that is not empty, or -1. */
static inline long
keys_probe(const struct textindex_keys *k, uint64_t kk, uint32_t h)
{
	size_t s;

	for (s = h >> k->shift; k->key[s] != 0; s = (s + 1) & k->mask)
		if (k->key[s] == kk)
			return (long)k->id[s];
	return -1;
}

/* The number of key kk, or -1. */
static inline long
keys_find(const struct textindex_keys *k, uint64_t kk, uint32_t h)
{
	if (k->key == NULL || !keys_maybe(k, h))
		return -1;
	return keys_probe(k, kk, h);
}

static void
keys_put(struct textindex_keys *k, uint64_t kk, uint32_t id)
{
	uint32_t h = keys_hash(kk);
	size_t s;

	for (s = h >> k->shift; k->key[s] != 0; s = (s + 1) & k->mask)
		;
	k->key[s] = kk;
	k->id[s] = id;
	k->filter[h >> 22] |= (uint64_t)1 << (h >> 16 & 63);
}

/* Add key kk to the set; its number. */
static uint32_t
keys_add(struct textindex_keys *k, uint64_t kk)
{
	uint64_t *ok;
	uint32_t *oid;
	size_t i, om;
	long id = keys_find(k, kk, keys_hash(kk));

	if (id >= 0)
		return (uint32_t)id;
	if (k->key == NULL || 2 * (k->n + 1) > k->mask + 1) {
		ok = k->key;
		oid = k->id;
		om = k->key ? k->mask : 0;
		k->mask = k->key ? 2 * k->mask + 1 : 255;
		k->shift = k->key ? k->shift - 1 : 32 - 8;
		k->key = xcalloc(k->mask + 1, sizeof(*k->key));
		k->id = xcalloc(k->mask + 1, sizeof(*k->id));
		for (i = 0; ok && i <= om; i++)
			if (ok[i] != 0)
				keys_put(k, ok[i], oid[i]);
		free(ok);
		free(oid);
	}
	keys_put(k, kk, (uint32_t)k->n);
	return (uint32_t)k->n++;
}

void
textindex_ref_init(struct textindex_ref *r, const char *lit, size_t len, struct textindex_keys *k)
{
	r->key = pair_key(lit, len);
	r->keys = r->key && k ? k : NULL;
	r->id = r->keys ? keys_add(k, r->key) : 0;
}

/* ---- character sets ------------------------------------------------------ */

#define CSETS_MAX 64      /* a set is a bit of a uint64_t */
#define CSET_PAGES 255    /* the 64-character pages of the BMP that hold them */

/*
 * The sets a character is in, as bits: an ASCII one's in amask; another
 * (two or three bytes, U+0080-U+FFFF) is on page cp >> 6, whose number
 * in page[] (0: no character of a set) leads to its 64 characters' masks.
 * Both are read straight from the UTF-8 bytes: the page from the lead
 * byte's low bits and the next byte's (a two-byte character's page is
 * its lead byte & 0x1F, below those of three bytes), the character on
 * the page from the last byte's low six.
 */
struct textindex_csets {
	uint64_t amask[128];          /* the sets an ASCII character is in */
	unsigned char page[1024];     /* 1 + an index into pmask (0: none) */
	uint64_t (*pmask)[64];        /* npage pages */
	size_t npage;
	uint32_t *cp[CSETS_MAX];      /* each set's characters, ascending, to find it again */
	size_t ncp[CSETS_MAX];
	size_t n;                     /* sets */
	/* which sets are listed in an index's own text (0) and in its
	 * second (1), and what the pass over each looks for */
	struct cset_text {
		uint64_t sets;
		unsigned char cand[256];        /* 1: a byte that starts a character of a set */
		/*
		 * The bytes of the sets' characters as nibble tables for the
		 * SIMD pass (byte x is in one when lo[x & 15] & hi[x >> 4] has
		 * a bit of it), two pairs.  In alo/ahi: the ASCII characters
		 * (bits 0-6 for high nibbles 0-7: 0 and 1, control characters,
		 * share bit 0) and the lead bytes of the two-byte ones (C and D
		 * share 4 and 5's bits, 3 and 4), which lets a few more bytes
		 * through; the lead bytes of the three-byte ones (bit 7).  In
		 * mlo/mhi: the second bytes of the three-byte ones (bits 0-3 for
		 * high nibbles 8-B) and their third bytes (bits 4-7).
		 */
		unsigned char alo[16], ahi[16], mlo[16], mhi[16];
	} text[2];
};

/* The first byte of c's UTF-8 form (c below 0x10000). */
static unsigned char
lead_byte(uint32_t c)
{
	return (unsigned char)(c < 0x80 ? c : c < 0x800 ? 0xC0 | c >> 6 : 0xE0 | c >> 12);
}

/* Byte b in the nibble tables lo and hi, as bit of theirs. */
static void
nib_add(unsigned char *lo, unsigned char *hi, unsigned b, unsigned bit)
{
	lo[b & 15] |= (unsigned char)bit;
	hi[b >> 4] |= (unsigned char)bit;
}

/* List set k in the texts of kind w (0 or 1) as well. */
static void
cset_mark(struct textindex_csets *cs, size_t k, int w)
{
	struct cset_text *t = &cs->text[w];
	size_t i;

	for (i = 0; i < cs->ncp[k]; i++) {
		uint32_t c = cs->cp[k][i];

		t->cand[lead_byte(c)] = 1;
		if (c < 0x80) {
			nib_add(t->alo, t->ahi, c, c < 0x20 ? 1u : 1u << ((c >> 4) - 1));
		} else if (c < 0x800) {
			nib_add(t->alo, t->ahi, lead_byte(c), 1u << ((lead_byte(c) >> 4 & 7) - 1));
		} else {
			nib_add(t->alo, t->ahi, lead_byte(c), 0x80);
			nib_add(t->mlo, t->mhi, 0x80 | (c >> 6 & 63), 1u << (c >> 10 & 3));
			nib_add(t->mlo, t->mhi, 0x80 | (c & 63), 0x10u << (c >> 4 & 3));
		}
	}
	t->sets |= (uint64_t)1 << k;
}

int
textindex_cset_add(struct textindex_keys *k, const uint32_t *cp, size_t n, int second)
{
	struct textindex_csets *cs;
	uint32_t *v;
	size_t i, j, m = 0, np = 0;
	uint64_t bit;

	if (n == 0 || n > 1024)
		return -1;
	v = xmalloc(n * sizeof(*v));
	/* ascending, each once: a set is found again whatever its order */
	for (i = 0; i < n; i++) {
		uint32_t c = cp[i];

		/* not listed: a character beyond the BMP (not worth a page table);
		 * a Chinese ideograph (U+4000-U+9FFF) in the indexed texts: the
		 * sets there hold some of the commonest (一 年 法 工 不), whose
		 * lists cost more than the scans they save; the second texts'
		 * (为 共 达 beside the spaces) pay */
		if (c == 0 || c > 0xFFFF || (c - 0xD800) < 0x800 ||
		    (!second && c >= 0x4000 && c < 0xA000)) {
			free(v);
			return -1;
		}
		for (j = m; j > 0 && v[j - 1] > c; j--)
			;
		if (j > 0 && v[j - 1] == c)
			continue;
		memmove(v + j + 1, v + j, (m - j) * sizeof(*v));
		v[j] = c;
		m++;
	}
	if (k->csets == NULL)
		k->csets = xcalloc(1, sizeof(*k->csets));
	cs = k->csets;
	for (i = 0; i < cs->n; i++)
		if (cs->ncp[i] == m && memcmp(cs->cp[i], v, m * sizeof(*v)) == 0) {
			free(v);
			cset_mark(cs, i, second != 0);
			return (int)i;
		}
	/* the pages it adds */
	for (i = 0; i < m; i++)
		if (v[i] >= 0x80 && cs->page[v[i] >> 6] == 0 &&
		    (i == 0 || v[i - 1] >> 6 != v[i] >> 6))
			np++;
	if (cs->n == CSETS_MAX || cs->npage + np > CSET_PAGES) {
		free(v);
		return -1;
	}
	cs->cp[cs->n] = v;
	cs->ncp[cs->n] = m;
	cset_mark(cs, cs->n, second != 0);
	if (np) {
		cs->pmask = xrealloc(cs->pmask, (cs->npage + np) * sizeof(*cs->pmask));
		memset(cs->pmask + cs->npage, 0, np * sizeof(*cs->pmask));
	}
	bit = (uint64_t)1 << cs->n;
	for (i = 0; i < m; i++) {
		if (v[i] < 0x80) {
			cs->amask[v[i]] |= bit;
		} else {
			if (cs->page[v[i] >> 6] == 0)
				cs->page[v[i] >> 6] = (unsigned char)++cs->npage;
			cs->pmask[cs->page[v[i] >> 6] - 1][v[i] & 63] |= bit;
		}
	}
	return (int)cs->n++;
}

/* The sets of the character that starts at s[i] (s[0..n) valid UTF-8), as bits. */
static inline uint64_t
cset_mask(const struct textindex_csets *cs, const unsigned char *s, size_t i, size_t n)
{
	unsigned c = s[i], pg;

	if (c < 0x80)
		return cs->amask[c];
	if (c < 0xE0) {
		if (i + 2 > n)
			return 0;
		pg = cs->page[c & 0x1F];
		return pg ? cs->pmask[pg - 1][s[i + 1] & 63] : 0;
	}
	if (c >= 0xF0 || i + 3 > n)
		return 0;
	pg = cs->page[(c & 0x0F) << 6 | (s[i + 1] & 63)];
	return pg ? cs->pmask[pg - 1][s[i + 2] & 63] : 0;
}

/* Set k's list in cl is full: double it, in an allocation of its own (rare:
 * kept out of line, so that clist_hit() stays small enough to inline). */
static void __attribute__((noinline))
clist_grow(struct textindex_clist *cl, size_t k)
{
	/* a list holds at most a position for each byte of a text under 4 GB */
	size_t cap = cl->cap[k] < UINT32_MAX / 2 ? 2 * (size_t)cl->cap[k] : UINT32_MAX;
	uint32_t *v = xmalloc(cap * sizeof(*v));

	memcpy(v, cl->pos[k], cl->cnt[k] * sizeof(*v));
	if (cl->own >> k & 1)
		free(cl->pos[k]);
	cl->pos[k] = v;
	cl->cap[k] = (uint32_t)cap;
	cl->own |= (uint64_t)1 << k;
}

/* Note the character at u[k] in the lists of cl's sets it is in (u[0..n) valid UTF-8). */
static inline void
clist_hit(struct textindex_clist *cl, const struct textindex_csets *cs, const unsigned char *u,
	size_t k, size_t n)
{
	uint64_t m = cset_mask(cs, u, k, n) & cl->sets;

	for (; m; m &= m - 1) {
		size_t j = (size_t)__builtin_ctzll(m);

		if (cl->cnt[j] == cl->cap[j])
			clist_grow(cl, j);
		cl->pos[j][cl->cnt[j]++] = (uint32_t)k;
	}
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* The 16 bytes at p, twice. */
__attribute__((target("avx2"))) static inline __m256i
nib_table(const unsigned char *p)
{
	return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)p));
}

/* The bytes of v whose bits in the nibble tables lo and hi (masked by m) meet, as bits. */
__attribute__((target("avx2"))) static inline uint32_t
nib_bits(__m256i lo, __m256i hi, __m256i vlo, __m256i vhi, __m256i m)
{
	__m256i r = _mm256_and_si256(_mm256_and_si256(_mm256_shuffle_epi8(lo, vlo),
	    _mm256_shuffle_epi8(hi, vhi)), m);

	return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
}

/*
 * The pass of clist_build() over u[0, n), 30 bytes a step while 32 are
 * readable: a candidate is an ASCII character of a set or a lead byte of
 * a two-byte one (by the low seven bits of one pair of tables), or a lead
 * byte of a three-byte one (their bit 7) followed by a second and a third
 * byte of the sets' (each byte tested alone, by the other pair: a
 * superset of the sets' characters, and of few others).  The steps with
 * candidates into cand, each as its offset (high half) and its
 * candidates' bits (no call in the loop: its tables stay in registers;
 * no branch on whether a step has any), their number into *nc; where it
 * stopped.
 */
__attribute__((target("avx2"))) static size_t
clist_pass32(const struct cset_text *t, const unsigned char *u, size_t n, uint64_t *cand,
	size_t *nc)
{
	const __m256i nib = _mm256_set1_epi8(0x0F);
	const __m256i alo = nib_table(t->alo), ahi = nib_table(t->ahi);
	const __m256i mlo = nib_table(t->mlo), mhi = nib_table(t->mhi);
	const __m256i low7 = _mm256_set1_epi8(0x7F), high4 = _mm256_set1_epi8((char)0xF0);
	size_t i, k = 0;

	for (i = 0; i + 32 <= n; i += 30) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(u + i));
		__m256i vlo = _mm256_and_si256(v, nib);
		__m256i vhi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);
		__m256i r = _mm256_and_si256(_mm256_shuffle_epi8(alo, vlo),
		    _mm256_shuffle_epi8(ahi, vhi));
		uint32_t a = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
		    _mm256_and_si256(r, low7), _mm256_setzero_si256()));
		uint32_t l = (uint32_t)_mm256_movemask_epi8(r);
		uint32_t m = nib_bits(mlo, mhi, vlo, vhi, nib);
		uint32_t e = nib_bits(mlo, mhi, vlo, vhi, high4);
		/* bytes 0-29: a lead's next two bytes are in the step */
		uint32_t c = (a | (l & m >> 1 & e >> 2)) & 0x3FFFFFFF;

		cand[k] = (uint64_t)i << 32 | c;
		k += c != 0;
	}
	*nc = k;
	return i;
}
#endif

/*
 * The lists of cs's sets for s[0..n) (valid UTF-8, n < 4 GB), as the
 * text of kind w (0 or 1), into cl: each character that may be in a set
 * listed there (by its bytes, 32 at a time where the CPU has AVX2; else
 * by its lead byte) is looked up, and its offset noted in the lists of
 * its sets, with no second pass to count and place them: the candidates
 * of a step of 30 bytes come as one word of bits.  The lists start in one
 * block, a part each of about a character in 32 of the text (most stay
 * within it); one that outgrows its part moves to an allocation of its
 * own.
 */
static void
clist_build(struct textindex_clist *cl, const struct textindex_csets *cs, int w, const char *s,
	size_t n)
{
	const struct cset_text *t = &cs->text[w];
	const unsigned char *u = (const unsigned char *)s;
	size_t part = n / 32 + 16, nl = (size_t)__builtin_popcountll(t->sets), i, k, nc;
	uint32_t *v, c;
	uint64_t *cand;

	cl->s = s;
	cl->n = n;
	cl->nset = cs->n;
	cl->sets = t->sets;
	cl->own = 0;
	cl->pos = xmalloc(cs->n * (sizeof(*cl->pos) + 2 * sizeof(*cl->cnt)) +
	    nl * part * sizeof(*v));
	cl->cnt = (uint32_t *)(cl->pos + cs->n);
	cl->cap = cl->cnt + cs->n;
	v = cl->cap + cs->n;
	for (k = 0; k < cs->n; k++) {
		cl->cnt[k] = 0;
		cl->cap[k] = t->sets >> k & 1 ? (uint32_t)part : 0;
		cl->pos[k] = t->sets >> k & 1 ? v : NULL;
		v += cl->cap[k];
	}
	/* the steps with candidates: where they start (high half), their bits */
	cand = xmalloc((n / 30 + 2) * sizeof(*cand));
	i = nc = 0;
#if defined(__x86_64__) && defined(__GNUC__)
	if (__builtin_cpu_supports("avx2") && n >= 32)
		i = clist_pass32(t, u, n, cand, &nc);
#endif
	/* the rest by lead bytes, 30 a step as well */
	for (; i < n; i += 30) {
		uint32_t b = 0;

		for (k = i; k < n && k < i + 30; k++)
			b |= (uint32_t)t->cand[u[k]] << (k - i);
		cand[nc] = (uint64_t)i << 32 | b;
		nc += b != 0;
	}
	for (k = 0; k < nc; k++)
		for (c = (uint32_t)cand[k]; c; c &= c - 1)
			clist_hit(cl, cs, u, (size_t)(cand[k] >> 32) + (size_t)__builtin_ctz(c), n);
	free(cand);
}

static void
clist_release(struct textindex_clist *cl)
{
	uint64_t m;

	for (m = cl->own; m; m &= m - 1)
		free(cl->pos[__builtin_ctzll(m)]);
	free(cl->pos);
	memset(cl, 0, sizeof(*cl));
}

void
textindex_add_text(struct textindex *ti, const char *s, size_t n)
{
	clist_release(&ti->clist[1]);
	if (ti->keys && ti->keys->csets && ti->keys->csets->text[1].sets && s && n < UINT32_MAX)
		clist_build(&ti->clist[1], ti->keys->csets, 1, s, n);
}

const uint32_t *
textindex_chars(const struct textindex *ti, const char *text, int set, size_t *n)
{
	const struct textindex_clist *cl;

	if (text == NULL || set < 0)
		return NULL;
	cl = ti->clist[0].s == text ? &ti->clist[0] : ti->clist[1].s == text ? &ti->clist[1] :
	    NULL;
	if (cl == NULL || (size_t)set >= cl->nset || !(cl->sets >> set & 1))
		return NULL;
	*n = cl->cnt[set];
	return cl->pos[set];
}

void
textindex_keys_release(struct textindex_keys *k)
{
	struct textindex_csets *cs = k->csets;

	if (cs) {
		for (size_t i = 0; i < cs->n; i++)
			free(cs->cp[i]);
		free(cs->pmask);
		free(cs);
	}
	free(k->key);
	free(k->id);
	memset(k, 0, sizeof(*k));
}

/* ---- one text --------------------------------------------------------------- */

/*
 * Pass 1 with a key set: the pairs of the set only, each looked up in the
 * set (a filter bit first: most pairs of a text are in no literal).
 * Their positions' pair into at, the positions into off, counted in npos;
 * np pairs of the text so far.  The walks work on a copy of this in
 * locals (the stores to at and off could otherwise be its fields), the
 * key set's table and the text's arrays with it.
 */
struct walk {
	const uint64_t *filter, *key;  /* the key set's */
	const uint32_t *id;
	size_t mask;
	int shift;
	uint32_t *local;                /* the text's */
	struct textindex_pair *pair;
	uint32_t *at, *off;
	size_t npos, np;
};

/* Note the pair numbered id in the key set (key key) at offset i. */
static inline void
note(struct walk *w, uint32_t id, uint64_t key, size_t i)
{
	uint32_t x = w->local[id];

	if (x == 0) {
		w->pair[w->np].key = key;
		w->pair[w->np].count = 0;
		x = w->local[id] = (uint32_t)++w->np;
	}
	w->pair[x - 1].count++;
	w->at[w->npos] = x - 1;
	w->off[w->npos++] = (uint32_t)i;
}

/* Note the pair at offset i (key key, hash h, its filter bit set) if it is a key. */
static inline void
probe(struct walk *w, uint64_t key, uint32_t h, size_t i)
{
	size_t s;

	/* a pair let through is mostly a key, mostly in its first slot */
	for (s = h >> w->shift; w->key[s] != key; s = (s + 1) & w->mask)
		if (w->key[s] == 0)
			return;
	note(w, w->id[s], key, i);
}

/* Note the pair at offset i (key key, hash h) if it is a key. */
static inline void
look(struct walk *w, uint64_t key, uint32_t h, size_t i)
{
	if (w->filter[h >> 22] >> (h >> 16 & 63) & 1)
		probe(w, key, h, i);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * key_at() of the pair at u where eight bytes are readable (so both its
 * characters are whole: four bytes at most each), its first character's
 * length into *a: the lengths by the lead bytes' high nibbles, the
 * bytes from one load, no branch.
 */
static inline uint64_t
key_at8(const unsigned char *u, size_t *a)
{
	uint64_t w, len;
	size_t l, b;

	memcpy(&w, u, 8);
	/* char_len()'s constant, four bits a high nibble, at 4 * (byte >> 4) */
	l = (size_t)(0x4322111111111111ULL >> (w >> 2 & 0x3C) & 0xF);
	b = (size_t)(0x4322111111111111ULL >> (w >> (8 * l + 2) & 0x3C) & 0xF);
	len = l + b;
	*a = l;
	return ((w & (~(uint64_t)0 >> (64 - 8 * len))) ^ (len << 59) ^ ((uint64_t)l << 62)) | 1;
}
#endif

/*
 * The walk from offset i to the end: runs of three-byte characters, most
 * of Chinese, two pairs a step (and one), each pair's key made only when
 * the filter lets it through (keys_hash() reads the six bytes of w as
 * they are); any other pair alone.
 */
static void
walk_scalar(struct walk *wk, const unsigned char *u, size_t n, size_t i)
{
	struct walk wl = *wk;
	/* eight bytes are readable at i < end8 */
	size_t end8 = n >= 8 ? n - 7 : 0, a, b;
	uint64_t key, w;

	for (;;) {
		while (i + 3 < end8 && (w = load333(u + i)) != 0) {
			look(&wl, key33(w), keys_hash(w), i);
			memcpy(&w, u + i + 3, 8);
			look(&wl, key33(w), keys_hash(w), i + 3);
			i += 6;
		}
		while (i < end8 && (w = load33(u + i)) != 0) {
			look(&wl, key33(w), keys_hash(w), i);
			i += 3;
		}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		if (i < end8) {
			key = key_at8(u + i, &a);
			look(&wl, key, keys_hash(key), i);
			i += a;
			continue;
		}
#endif
		a = char_len(u + i, n - i);
		if (i + a >= n)
			break;
		b = char_len(u + i + a, n - i - a);
		key = key_at(u + i, a, b, n - i);
		look(&wl, key, keys_hash(key), i);
		i += a;
	}
	*wk = wl;
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * The pairs of three-byte characters at the start of walk_avx2()'s 27
 * bytes, by the first bit of its lead mask clear (or bit 31, all there):
 * one fewer than the characters before it.
 */
static const unsigned char lead_pairs[32] = {
	[6] = 1, [9] = 2, [12] = 3, [16] = 3, [19] = 4, [22] = 5, [25] = 6, [28] = 7, [31] = 8
};

/*
 * The walk with AVX2 while 32 bytes are readable, where it stops: at a
 * run of three-byte characters, the pairs of the first nine characters
 * (27 bytes: the two halves of a register, 12 bytes apart, five lead
 * bytes each) are hashed at once, the eight hashes' filter bits gathered,
 * and only a pair let through made a key and looked up.  Where fewer
 * characters of three bytes lead, their pairs are taken, then the pairs
 * after them one at a time up to the next two three-byte characters.
 * With BMI2 too (every CPU with AVX2 has it), for key_at8()'s shifts.
 */
__attribute__((target("avx2,bmi2"))) static size_t
walk_avx2(struct walk *wk, const unsigned char *u, size_t n)
{
	/* each 32-bit lane k (a pair at 3k in its half): the low four bytes
	 * (lo) and the next two (hi) for keys_hash() */
	const __m256i lo = _mm256_setr_epi8(0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12,
	    0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12);
	const __m256i hi = _mm256_setr_epi8(4, 5, -1, -1, 7, 8, -1, -1, 10, 11, -1, -1, 13, 14, -1, -1,
	    4, 5, -1, -1, 7, 8, -1, -1, 10, 11, -1, -1, 13, 14, -1, -1);
	const __m256i nib = _mm256_set1_epi8((char)0xF0), e0 = _mm256_set1_epi8((char)0xE0);
	const __m256i one = _mm256_set1_epi32(1), c1 = _mm256_set1_epi32((int)KEYS_C1);
	const __m256i c2 = _mm256_set1_epi32((int)KEYS_C2), m31 = _mm256_set1_epi32(31);
	struct walk w = *wk;
	uint32_t hs[8];
	size_t i = 0, a;

	while (i + 32 <= n) {
		__m256i v = _mm256_inserti128_si256(
		    _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(u + i))),
		    _mm_loadu_si128((const __m128i *)(u + i + 12)), 1);
		/* the lead bytes of characters 0-4 (bits 0, 3 .. 12) and 4-8 (16 .. 28) */
		unsigned lead = (unsigned)_mm256_movemask_epi8(
		    _mm256_cmpeq_epi8(_mm256_and_si256(v, nib), e0));
		unsigned p = lead_pairs[__builtin_ctz((~lead & 0x12491249U) | 0x80000000U)];
		__m256i h, g;
		unsigned hit;

		if (p == 0) {
			/* the pairs up to the next two three-byte characters, alone */
			do {
				uint64_t key = key_at8(u + i, &a);

				look(&w, key, keys_hash(key), i);
				i += a;
			} while (i + 32 <= n && load33(u + i) == 0);
			continue;
		}
		h = _mm256_add_epi32(
		    _mm256_mullo_epi32(_mm256_or_si256(_mm256_shuffle_epi8(v, lo), one), c1),
		    _mm256_mullo_epi32(_mm256_shuffle_epi8(v, hi), c2));
		/* filter bit h >> 16 of the 32-bit words, moved to each lane's top */
		g = _mm256_i32gather_epi32((const int *)w.filter, _mm256_srli_epi32(h, 21), 4);
		g = _mm256_sllv_epi32(g, _mm256_andnot_si256(_mm256_srli_epi32(h, 16), m31));
		hit = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(g)) & ((1u << p) - 1);
		if (hit) {
			_mm256_storeu_si256((__m256i *)hs, h);
			do {
				size_t j = (size_t)__builtin_ctz(hit);
				uint64_t x;

				memcpy(&x, u + i + 3 * j, 8);
				probe(&w, key33(x), hs[j], i + 3 * j);
				hit &= hit - 1;
			} while (hit);
		}
		i += 3 * p;
	}
	*wk = w;
	return i;
}
#endif

static size_t
build_keyed(struct textindex *ti, const unsigned char *u, size_t n, uint32_t *at, uint32_t *off)
{
	const struct textindex_keys *keys = ti->keys;
	struct walk wk;
	size_t i = 0;

	ti->local = xcalloc(keys->n ? keys->n : 1, sizeof(*ti->local));
	ti->pair = xmalloc((keys->n ? keys->n : 1) * sizeof(*ti->pair));
	if (n == 0 || keys->n == 0)
		return 0;
	wk.filter = keys->filter;
	wk.key = keys->key;
	wk.id = keys->id;
	wk.mask = keys->mask;
	wk.shift = keys->shift;
	wk.local = ti->local;
	wk.pair = ti->pair;
	wk.at = at;
	wk.off = off;
	wk.npos = wk.np = 0;
#if defined(__x86_64__) && defined(__GNUC__)
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2"))
		i = walk_avx2(&wk, u, n);
#endif
	walk_scalar(&wk, u, n, i);
	ti->npair = wk.np;
	return wk.npos;
}

void
textindex_build(struct textindex *ti, const char *s, size_t n, const struct textindex_keys *keys)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t nch, npos = 0, i, k, a, b;
	uint32_t *at, *off, sum;

	memset(ti, 0, sizeof(*ti));
	ti->s = s;
	ti->n = n;
	if (n >= UINT32_MAX)
		return;
	if (keys) {
		ti->keys = keys;
		ti->pos = xmalloc((n + 1) * sizeof(*ti->pos));
		at = xmalloc((n + 1) * sizeof(*at));
		off = xmalloc((n + 1) * sizeof(*off));
		npos = build_keyed(ti, u, n, at, off);
		if (keys->csets && keys->csets->text[0].sets)
			clist_build(&ti->clist[0], keys->csets, 0, s, n);
		goto place;
	}
	/* about as many slots as characters (counted as if all were Chinese,
	 * three bytes each: the size only tunes, the index is the same): a
	 * report of a few thousand never grows; a long text starts at 256 KB
	 * and grows if it must */
	nch = n / 3;
	ti->mask = 1023;
	ti->shift = 64 - 10;
	while (ti->mask < 65535 && ti->mask + 1 < nch + nch / 2) {
		ti->mask = 2 * ti->mask + 1;
		ti->shift--;
	}
	ti->table = xcalloc(ti->mask + 1, sizeof(*ti->table));
	ti->pair = xmalloc(max_pairs(ti->mask) * sizeof(*ti->pair));
	/* a pair at most at every byte (a stray byte is a character of its own) */
	ti->pos = xmalloc((n + 1) * sizeof(*ti->pos));
	at = xmalloc((n + 1) * sizeof(*at));
	off = xmalloc((n + 1) * sizeof(*off));
	/* pass 1: the pair at each position (at) and where it is (off), the pairs counted;
	 * the table in locals (the stores to at and off could otherwise be its) */
	if (n > 0) {
		uint32_t *table = ti->table;
		struct textindex_pair *pair = ti->pair;
		size_t mask = ti->mask, np = 0, maxp = max_pairs(ti->mask);
		int shift = ti->shift;

		a = char_len(u, n);
		for (i = 0; i + a < n; i += a, a = b) {
			uint64_t key;
			size_t h;
			uint32_t x;

			b = char_len(u + i + a, n - i - a);
			key = key_at(u + i, a, b, n - i);
			h = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> shift);
			while ((x = table[h]) != 0 && pair[x - 1].key != key)
				h = (h + 1) & mask;
			if (x == 0) {
				if (np == maxp) {
					ti->npair = np;
					grow(ti);
					table = ti->table;
					pair = ti->pair;
					mask = ti->mask;
					shift = ti->shift;
					maxp = max_pairs(mask);
					h = slot_of(ti, key);
				}
				pair[np].key = key;
				pair[np].count = 0;
				x = (uint32_t)++np;
				table[h] = x;
			}
			pair[x - 1].count++;
			at[npos] = x - 1;
			off[npos++] = (uint32_t)i;
		}
		ti->npair = np;
	}
place:
	for (i = 0, sum = 0; i < ti->npair; i++) {
		ti->pair[i].start = sum;
		sum += ti->pair[i].count;
		ti->pair[i].count = 0;
	}
	/* pass 2: the positions, in text order within each pair */
	for (k = 0; k < npos; k++) {
		struct textindex_pair *pp = &ti->pair[at[k]];

		ti->pos[pp->start + pp->count++] = off[k];
	}
	free(at);
	free(off);
}

void
textindex_release(struct textindex *ti)
{
	free(ti->table);
	free(ti->pair);
	free(ti->pos);
	free(ti->local);
	clist_release(&ti->clist[0]);
	clist_release(&ti->clist[1]);
	memset(ti, 0, sizeof(*ti));
}

/*
 * memcmp(a, b, n) == 0 for the few bytes of a literal, without a call:
 * eight bytes at a time, the last eight (or four, or two) overlapping
 * those before them rather than taken a byte at a time.
 */
static inline int
same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t x4, y4;
	uint16_t x2, y2;

	if (n >= 8) {
		for (; n > 8; a += 8, b += 8, n -= 8) {
			memcpy(&x, a, 8);
			memcpy(&y, b, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&x4, a, 4);
		memcpy(&y4, b, 4);
		if (x4 != y4)
			return 0;
		memcpy(&x4, a + n - 4, 4);
		memcpy(&y4, b + n - 4, 4);
		return x4 == y4;
	}
	if (n >= 2) {
		memcpy(&x2, a, 2);
		memcpy(&y2, b, 2);
		if (x2 != y2)
			return 0;
		memcpy(&x2, a + n - 2, 2);
		memcpy(&y2, b + n - 2, 2);
		return x2 == y2;
	}
	return n == 0 || *a == *b;
}

/*
 * The index in ti->pair of the pair lit[0..len) starts with (r its ref
 * or NULL): -1 if the text has none, -2 if it is not indexed.
 */
static long
pair_of(const struct textindex *ti, const char *lit, size_t len, const struct textindex_ref *r)
{
	uint64_t k = r ? r->key : pair_key(lit, len);
	long id;

	if (k == 0 || (ti->table == NULL && ti->keys == NULL))
		return -2;
	if (ti->keys) {
		id = r && r->keys == ti->keys ? (long)r->id : keys_find(ti->keys, k, keys_hash(k));
		if (id < 0)
			return -2;
		return (long)ti->local[id] - 1;
	}
	return (long)ti->table[slot_of(ti, k)] - 1;
}

/*
 * The first position of pair x (an index into ti->pair) at or after from
 * at which lit[0..len) occurs with p + len <= to (every position of the
 * pair starts with its first two characters): its offset, or -1.
 */
long
textindex_scan_(const struct textindex *ti, uint32_t x, const char *lit, size_t len, size_t from,
	size_t to)
{
	const struct textindex_pair *pp = &ti->pair[x];
	const uint32_t *p = ti->pos + pp->start, *e = p + pp->count;
	const char *s = ti->s;
	uint64_t tail, w;
	size_t last;

	if (to > ti->n)
		to = ti->n;
	if (from > to || to - from < len)
		return -1;
	last = to - len;
	/* a binary search for from, unless the pair's first position is past it */
	if (*p < from)
		p += textindex_lower(p, 1, pp->count, from);
	if (len < 8) {
		for (; p < e && *p <= last; p++)
			if (same_bytes(s + *p, lit, len))
				return (long)*p;
		return -1;
	}
	/* the literal's last eight bytes first, in one load: most
	 * candidates differ there (never in the first two characters) */
	memcpy(&tail, lit + len - 8, 8);
	for (; p < e && *p <= last; p++) {
		memcpy(&w, s + *p + len - 8, 8);
		if (w == tail && same_bytes(s + *p, lit, len - 8))
			return (long)*p;
	}
	return -1;
}

/*
 * textindex_first() of a literal that is not numbered in the text's own
 * key set (or of a text without one): its pair found by its key.
 */
long
textindex_query_(const struct textindex *ti, const char *lit, size_t len,
	const struct textindex_ref *r, size_t from, size_t to)
{
	long x = pair_of(ti, lit, len, r);

	if (x < 0)
		return x;
	return textindex_scan_(ti, (uint32_t)x, lit, len, from, to);
}
