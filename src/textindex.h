/*
 * textindex.h: where each pair of adjacent characters occurs in one
 * text, built in one pass, so that whether a literal occurs in a range
 * is a lookup, not a scan.  The rules' prefilter asks it for the
 * literals every match of a pattern contains (struct pattern.lit).
 */
#ifndef FZ_TEXTINDEX_H
#define FZ_TEXTINDEX_H

#include <stddef.h>
#include <stdint.h>

/* One distinct pair of the text. */
struct textindex_pair {
	uint64_t key;        /* the bytes of its two characters */
	uint32_t start, count; /* its positions: pos[start .. start+count) */
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
};

/* Index s[0..n) (UTF-8; a stray byte counts as one character).  A text of 4 GB
 * or more is not indexed: every query answers that the literal may occur. */
void textindex_build(struct textindex *ti, const char *s, size_t n);
void textindex_release(struct textindex *ti);
/*
 * Does lit[0..len) (at least two characters) occur at an offset p with
 * from <= p and p + len <= to?
 */
int textindex_has(const struct textindex *ti, const char *lit, size_t len, size_t from, size_t to);
/*
 * The first offset p >= from at which lit occurs with p + len <= to, or
 * (size_t)-1 if none; from itself when the text or lit is not indexed
 * (it may occur anywhere).
 */
size_t textindex_next(const struct textindex *ti, const char *lit, size_t len, size_t from,
	size_t to);

#endif
