/*
 * textindex.c: the character-pair index of one text (textindex.h).  An
 * open-addressing table keyed on the bytes of two adjacent characters;
 * each key's positions are stored in text order, so a range query is a
 * binary search and a comparison at each candidate.  Built in two passes
 * over the text; the table grows with the distinct pairs, not the length.
 */
#include "textindex.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Length of the character at s[0..n) by its lead byte (1 for a stray byte). */
static inline size_t
char_len(const unsigned char *s, size_t n)
{
	size_t l = s[0] < 0xC0 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;

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
	return bytes_key(u, a + b, n) ^ ((uint64_t)a << 62);
}

static size_t
slot_of(const struct textindex *ti, uint64_t k)
{
	size_t h = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> ti->shift);

	while (ti->slot[h].key != 0 && ti->slot[h].key != k)
		h = (h + 1) & ti->mask;
	return h;
}

/* Double the table, keeping every key and count. */
static void
grow(struct textindex *ti)
{
	struct textindex_slot *old = ti->slot;
	size_t n = ti->mask + 1, i;

	ti->mask = 2 * n - 1;
	ti->shift--;
	ti->slot = xcalloc(2 * n, sizeof(*ti->slot));
	for (i = 0; i < n; i++)
		if (old[i].key != 0)
			ti->slot[slot_of(ti, old[i].key)] = old[i];
	free(old);
}

void
textindex_build(struct textindex *ti, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t nch = 0, i, k, used = 0, a, b;
	uint32_t *at, sum;
	int grown = 0;

	memset(ti, 0, sizeof(*ti));
	ti->s = s;
	ti->n = n;
	if (n >= UINT32_MAX)
		return;
	/* pass 1: the slot of each character pair, counted (the table grows as
	 * distinct pairs come: a long text repeats most of them) */
	for (i = 0; i < n; i += char_len(u + i, n - i))
		nch++;
	/* about as many slots as characters: a report of a few thousand
	 * never grows; a long text starts at a megabyte and grows if it must */
	ti->mask = 1023;
	ti->shift = 64 - 10;
	while (ti->mask < 65535 && ti->mask + 1 < nch + nch / 2) {
		ti->mask = 2 * ti->mask + 1;
		ti->shift--;
	}
	ti->slot = xcalloc(ti->mask + 1, sizeof(*ti->slot));
	ti->pos = xmalloc((nch + 1) * sizeof(*ti->pos));
	at = xmalloc((nch + 1) * sizeof(*at));
	k = 0;
	if (n > 0) {
		a = char_len(u, n);
		for (i = 0; i + a < n; i += a, a = b) {
			uint64_t key;
			size_t h;

			b = char_len(u + i + a, n - i - a);
			key = bytes_key(u + i, a + b, n - i) ^ ((uint64_t)a << 62);
			h = slot_of(ti, key);
			if (ti->slot[h].key == 0) {
				if (4 * (used + 1) > 3 * (ti->mask + 1)) {
					grow(ti);
					grown = 1;
					h = slot_of(ti, key);
				}
				ti->slot[h].key = key;
				used++;
			}
			ti->slot[h].count++;
			at[k++] = (uint32_t)h;
		}
	}
	/* slots noted before the table last grew moved: look every pair up again */
	if (grown) {
		a = char_len(u, n);
		for (i = 0, k = 0; i + a < n; i += a, a = b, k++) {
			b = char_len(u + i + a, n - i - a);
			at[k] = (uint32_t)slot_of(ti, bytes_key(u + i, a + b, n - i) ^ ((uint64_t)a << 62));
		}
	}
	for (i = 0, sum = 0; i <= ti->mask; i++) {
		ti->slot[i].start = sum;
		sum += ti->slot[i].count;
		ti->slot[i].count = 0;
	}
	/* pass 2: the positions, in text order within each slot */
	if (n > 0) {
		a = char_len(u, n);
		for (i = 0, k = 0; i + a < n; i += a, a = b, k++) {
			struct textindex_slot *sl = &ti->slot[at[k]];

			ti->pos[sl->start + sl->count++] = (uint32_t)i;
			b = char_len(u + i + a, n - i - a);
		}
	}
	free(at);
}

void
textindex_release(struct textindex *ti)
{
	free(ti->slot);
	free(ti->pos);
	memset(ti, 0, sizeof(*ti));
}

/* Offset of the first occurrence of lit[0..len) at p >= from with p + len <= to; -1 if none, -2 if not indexed. */
static long
first_at(const struct textindex *ti, const char *lit, size_t len, size_t from, size_t to)
{
	uint64_t k = pair_key(lit, len);
	const struct textindex_slot *sl;
	const uint32_t *p;
	size_t lo, hi;

	if (k == 0 || ti->slot == NULL)
		return -2;
	if (to > ti->n)
		to = ti->n;
	if (from > to || to - from < len)
		return -1;
	sl = &ti->slot[slot_of(ti, k)];
	if (sl->key == 0)
		return -1;
	p = ti->pos + sl->start;
	lo = 0;
	hi = sl->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p[mid] < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < sl->count && p[lo] + len <= to; lo++)
		if (memcmp(ti->s + p[lo], lit, len) == 0)
			return (long)p[lo];
	return -1;
}

int
textindex_has(const struct textindex *ti, const char *lit, size_t len, size_t from, size_t to)
{
	return first_at(ti, lit, len, from, to) != -1;
}

size_t
textindex_next(const struct textindex *ti, const char *lit, size_t len, size_t from, size_t to)
{
	long p = first_at(ti, lit, len, from, to);

	return p == -2 ? from : p == -1 ? (size_t)-1 : (size_t)p;
}
