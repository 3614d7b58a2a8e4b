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
 */
#include "textindex.h"

#include <stdlib.h>
#include <string.h>

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

/*
 * The hash of key kk in a key set (its table and its filter): of its low
 * six bytes only, those of a pair of three-byte characters, so that the
 * walk hashes such a pair straight from the text's bytes and makes its
 * key only when the filter lets it through.  Keys that differ only above
 * (a pair of more than six bytes, or the same bytes split otherwise)
 * share a hash and are told apart in the table.
 */
static inline uint64_t
keys_hash(uint64_t kk)
{
	return (kk << 16) * 0x9E3779B97F4A7C15ULL;
}

/* The filter bit of a key's hash: its top sixteen bits pick one of 65,536. */
static inline int
keys_maybe(const struct textindex_keys *k, uint64_t h)
{
	return (int)(k->filter[h >> 54] >> (h >> 48 & 63) & 1);
}

/* The number of key kk (hash h) in a set that is not empty, or -1. */
static inline long
keys_probe(const struct textindex_keys *k, uint64_t kk, uint64_t h)
{
	size_t s;

	for (s = (size_t)(h >> k->shift); k->key[s] != 0; s = (s + 1) & k->mask)
		if (k->key[s] == kk)
			return (long)k->id[s];
	return -1;
}

/* The number of key kk, or -1. */
static inline long
keys_find(const struct textindex_keys *k, uint64_t kk, uint64_t h)
{
	if (k->key == NULL || !keys_maybe(k, h))
		return -1;
	return keys_probe(k, kk, h);
}

static void
keys_put(struct textindex_keys *k, uint64_t kk, uint32_t id)
{
	uint64_t h = keys_hash(kk);
	size_t s;

	for (s = (size_t)(h >> k->shift); k->key[s] != 0; s = (s + 1) & k->mask)
		;
	k->key[s] = kk;
	k->id[s] = id;
	k->filter[h >> 54] |= (uint64_t)1 << (h >> 48 & 63);
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
		k->shift = k->key ? k->shift - 1 : 64 - 8;
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

void
textindex_keys_release(struct textindex_keys *k)
{
	free(k->key);
	free(k->id);
	memset(k, 0, sizeof(*k));
}

/* ---- one text --------------------------------------------------------------- */

/*
 * Pass 1 with a key set: the pairs of the set only, each looked up in
 * the set (a filter bit first: most pairs of a text are in no literal).
 * Their positions' pair into at, the positions into off; their number.
 */
/* Pass 1, keyed: the pair numbered id (key key) at offset i. */
static inline void
note(struct textindex *ti, uint32_t id, uint64_t key, size_t i, uint32_t *at, uint32_t *off,
	size_t *npos, size_t *np)
{
	if (ti->local[id] == 0) {
		ti->pair[*np].key = key;
		ti->pair[*np].count = 0;
		ti->local[id] = (uint32_t)++*np;
	}
	ti->pair[ti->local[id] - 1].count++;
	at[*npos] = ti->local[id] - 1;
	off[(*npos)++] = (uint32_t)i;
}

static size_t
build_keyed(struct textindex *ti, const unsigned char *u, size_t n, uint32_t *at, uint32_t *off)
{
	const struct textindex_keys *keys = ti->keys;
	/* eight bytes are readable at i < end8 */
	size_t npos = 0, np = 0, i = 0, end8 = n >= 8 ? n - 7 : 0, a, b;

	ti->local = xcalloc(keys->n ? keys->n : 1, sizeof(*ti->local));
	ti->pair = xmalloc((keys->n ? keys->n : 1) * sizeof(*ti->pair));
	if (n == 0 || keys->n == 0)
		return 0;
	for (;;) {
		uint64_t key, h, w;
		long id;

		/* runs of three-byte characters, most of Chinese: the key is
		 * made only for a pair the filter lets through (keys_hash()
		 * reads the low six bytes, and those of w | 1 are the key's) */
		while (i < end8 && (w = load33(u + i)) != 0) {
			h = keys_hash(w | 1);
			if (keys_maybe(keys, h) && (id = keys_probe(keys, key33(w), h)) >= 0)
				note(ti, (uint32_t)id, key33(w), i, at, off, &npos, &np);
			i += 3;
		}
		a = char_len(u + i, n - i);
		if (i + a >= n)
			break;
		b = char_len(u + i + a, n - i - a);
		key = key_at(u + i, a, b, n - i);
		h = keys_hash(key);
		if (keys_maybe(keys, h) && (id = keys_probe(keys, key, h)) >= 0)
			note(ti, (uint32_t)id, key, i, at, off, &npos, &np);
		i += a;
	}
	ti->npair = np;
	return npos;
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
 * The first position of pair pp at or after from, and at most last, at
 * which lit[0..len) occurs (every position of pp starts with its first
 * two characters): its offset, or -1.
 */
static long
scan(const struct textindex *ti, const struct textindex_pair *pp, const char *lit, size_t len,
	size_t from, size_t last)
{
	const uint32_t *p = ti->pos + pp->start, *e = p + pp->count;
	const char *s = ti->s;
	uint64_t tail, w;

	/* a binary search for from, unless the pair's first position is past it */
	if (p < e && *p < from) {
		size_t lo = 1, hi = pp->count;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (p[mid] < from)
				lo = mid + 1;
			else
				hi = mid;
		}
		p += lo;
	}
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
 * Offset of the first occurrence of lit[0..len) at p >= from with p + len
 * <= to; -1 if none, -2 if not indexed.  A literal numbered in the text's
 * own key set (the rules' literals are) finds its pair by that number.
 */
static inline long
first_at(const struct textindex *ti, const char *lit, size_t len, const struct textindex_ref *r,
	size_t from, size_t to)
{
	long x;

	if (r && r->keys && r->keys == ti->keys)
		x = (long)ti->local[r->id] - 1;
	else if ((x = pair_of(ti, lit, len, r)) == -2)
		return -2;
	if (to > ti->n)
		to = ti->n;
	if (x < 0 || from > to || to - from < len)
		return -1;
	return scan(ti, &ti->pair[x], lit, len, from, to - len);
}

int
textindex_has(const struct textindex *ti, const char *lit, size_t len,
	const struct textindex_ref *r, size_t from, size_t to)
{
	return first_at(ti, lit, len, r, from, to) != -1;
}

size_t
textindex_next(const struct textindex *ti, const char *lit, size_t len,
	const struct textindex_ref *r, size_t from, size_t to)
{
	long p = first_at(ti, lit, len, r, from, to);

	return p == -2 ? from : p == -1 ? (size_t)-1 : (size_t)p;
}

long
textindex_first(const struct textindex *ti, const char *lit, size_t len,
	const struct textindex_ref *r, size_t from, size_t to)
{
	return first_at(ti, lit, len, r, from, to);
}
