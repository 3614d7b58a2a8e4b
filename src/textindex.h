/*
 * textindex.h: where each pair of adjacent characters occurs in one
 * text (or each pair of a key set: those the queries will ask about),
 * built in one pass, so that whether a literal occurs in a range is a
 * lookup, not a scan.  The rules' prefilter asks it for the literals
 * every match of a pattern contains (struct pattern.lit).  It also lists,
 * for each of a few sets of single characters (the characters a pattern's
 * every match starts with), where they stand: in its text and in one
 * more (the report's raw text).
 */
#ifndef FZ_TEXTINDEX_H
#define FZ_TEXTINDEX_H

#include <stddef.h>
#include <stdint.h>

struct textindex_csets;

/* One distinct pair of the text. */
struct textindex_pair {
	uint64_t key;        /* the bytes of its two characters */
	uint32_t start, count; /* its positions: pos[start .. start+count) */
};

/*
 * The pairs worth indexing: the first two characters of every literal a
 * query will ask about (the rules' patterns add theirs as they are
 * compiled).  A text indexed with a key set records only those pairs;
 * a query about another answers "not indexed" (the literal may occur).
 * Shared read-only by the threads once built.
 */
struct textindex_keys {
	uint64_t *key;       /* open addressing: 0 empty */
	uint32_t *id;        /* the key's number, 0 .. n-1 */
	size_t mask, n;
	int shift;
	uint64_t filter[1024]; /* a bit for each of 65,536 hash values of the keys */
	struct textindex_csets *csets; /* the character sets (NULL: none) */
};

/* The positions of each character set's characters in one text. */
struct textindex_clist {
	const char *s;       /* the text (not owned; NULL: no lists) */
	size_t n;
	uint32_t **pos;      /* set k: pos[k][0 .. cnt[k]), byte offsets, ascending */
	uint32_t *cnt, *cap; /* (pos, cnt and cap: one block, with a part for each list) */
	size_t nset;
	uint64_t sets;       /* set k is listed here: bit k */
	uint64_t own;        /* set k's list outgrew its part: an allocation of its own */
};

struct textindex {
	const char *s;       /* the text (not owned) */
	size_t n;
	struct textindex_pair *pair; /* the distinct pairs, in order of first occurrence */
	size_t npair;
	uint32_t *table;     /* open addressing: 1 + an index into pair (0: empty) */
	uint32_t *pos;       /* byte offsets, ascending within a pair */
	size_t mask;         /* table size - 1 */
	int shift;           /* 64 - log2(table size): the hash is the top bits */
	const struct textindex_keys *keys; /* NULL: every pair indexed, in table */
	uint32_t *local;     /* with keys: 1 + an index into pair for each key number (0: absent) */
	struct textindex_clist clist[2]; /* with keys' character sets: of s, and of a second text */
};

void textindex_keys_release(struct textindex_keys *k);

/*
 * Add the set of the n characters cp (a pattern's first characters) to
 * k, to be listed in the indexed texts (second 0) or in their second
 * texts (1; textindex_add_text()): its number, the same for the same set,
 * or -1 when it is not listed (a Chinese ideograph in it, for the indexed
 * texts: lists of the common ones would be long; a character beyond the
 * BMP; or too many sets).
 */
int textindex_cset_add(struct textindex_keys *k, const uint32_t *cp, size_t n, int second);

/* A literal's pair, and its number in a key set, worked out once. */
struct textindex_ref {
	uint64_t key;                       /* 0: fewer than two characters */
	const struct textindex_keys *keys;  /* the set that numbers it (NULL: none) */
	uint32_t id;
};

/* The ref of lit[0..len); with k (not NULL), its pair added to k first. */
void textindex_ref_init(struct textindex_ref *r, const char *lit, size_t len,
	struct textindex_keys *k);

/* Index s[0..n) (UTF-8; a stray byte counts as one character): every pair,
 * or with keys (not NULL) only those.  A text of 4 GB or more is not
 * indexed: every query answers that the literal may occur. */
void textindex_build(struct textindex *ti, const char *s, size_t n,
	const struct textindex_keys *keys);
/* List the character sets of ti's keys in a second text s[0..n) as well (valid UTF-8). */
void textindex_add_text(struct textindex *ti, const char *s, size_t n);
void textindex_release(struct textindex *ti);
/*
 * The offsets, ascending, of the characters of set (a number of ti->keys)
 * in text (ti's own text or its second one), their number into *n; NULL
 * when that text has no lists (the caller looks itself).  Owned by ti.
 */
const uint32_t *textindex_chars(const struct textindex *ti, const char *text, int set, size_t *n);

/* The first of the ascending positions v[lo, hi) at or after x; hi if none. */
static inline size_t
textindex_lower(const uint32_t *v, size_t lo, size_t hi, size_t x)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The queries below, inline: most ask about a literal of the text's own
 * key set whose pair the text lacks, answered by one load; the rest call
 * textindex_scan_() (a pair of the text: its positions from from on) or
 * textindex_query_() (any other literal).  Neither is for other callers.
 */
long textindex_scan_(const struct textindex *ti, uint32_t x, const char *lit, size_t len,
	size_t from, size_t to);
long textindex_query_(const struct textindex *ti, const char *lit, size_t len,
	const struct textindex_ref *r, size_t from, size_t to);

/* textindex_next() that tells the two apart: -1 none, -2 not indexed. */
static inline long
textindex_first(const struct textindex *ti, const char *lit, size_t len,
	const struct textindex_ref *r, size_t from, size_t to)
{
	uint32_t x;

	if (r && r->keys == ti->keys && r->keys) {
		/* 1 + the pair's index in the text, 0 when the text has none */
		if ((x = ti->local[r->id]) == 0)
			return -1;
		return textindex_scan_(ti, x - 1, lit, len, from, to);
	}
	return textindex_query_(ti, lit, len, r, from, to);
}

/*
 * Does lit[0..len) (at least two characters; r its ref or NULL) occur at
 * an offset p with from <= p and p + len <= to?
 */
static inline int
textindex_has(const struct textindex *ti, const char *lit, size_t len,
	const struct textindex_ref *r, size_t from, size_t to)
{
	return textindex_first(ti, lit, len, r, from, to) != -1;
}

/*
 * The first offset p >= from at which lit occurs with p + len <= to, or
 * (size_t)-1 if none; from itself when the text or lit is not indexed
 * (it may occur anywhere).
 */
static inline size_t
textindex_next(const struct textindex *ti, const char *lit, size_t len,
	const struct textindex_ref *r, size_t from, size_t to)
{
	long p = textindex_first(ti, lit, len, r, from, to);

	return p == -2 ? from : p == -1 ? (size_t)-1 : (size_t)p;
}

#endif
