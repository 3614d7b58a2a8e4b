/*
 * analysis_int.h: the stages of the analysis inside check.c's analyse():
 * the title and outline (outline.c), the metadata (meta.c) and the
 * sections (sections.c).  Each reads the normalised text in a->norm and
 * fills its part of the struct result and of the analysis spans.
 */
#ifndef FZ_ANALYSIS_INT_H
#define FZ_ANALYSIS_INT_H

#include <stdint.h>

#include "check.h"

/* Normalised range of paragraph i: [a->pnb[i], a->pne[i]). */
struct para_ranges {
	size_t *nb, *ne;
};

/*
 * analyse() only as far as the body span and the metadata (outline and
 * meta; no sections, no index): what the first pass of a streamed run
 * needs for each report's fingerprint.
 */
void analyse_body(const struct rulepack *p, const struct doc *d, struct analysis *a,
	struct result *res, struct matcher *m);

/* Title, headings, items: fills res->outline, a->node_head/node_body, a->title, a->body. */
void outline_build(const struct rulepack *p, const struct doc *d, struct analysis *a,
	struct result *res, struct matcher *m, const struct para_ranges *pr);
/* Title, unit, parent, year, 文号, 主送, 署名, 成文日期. */
void meta_extract(const struct doc *d, struct analysis *a, struct result *res,
	const struct para_ranges *pr);
/* Section ids of the outline nodes, section statuses and their findings. */
void sections_assign(const struct rulepack *p, const struct doc *d, struct analysis *a,
	struct result *res, struct matcher *m);

/* The character counts analysis_pos() reads (a->colmark) and the 字数 (a->viscnt); a->doc set. */
#define COLMARK_SHIFT 8
void analysis_marks(struct analysis *a);

/* ---- shared helpers at the bottom (analysis.c): the stages call these, never each other upward ---- */

/* The unit named most often in normalised text s[b..e) (X镇, X乡, X街道), or NULL. */
char *unit_from_body(const char *s, size_t b, size_t e);
/* The same, named at least min times. */
char *unit_named_often(const char *s, size_t b, size_t e, int min);

/*
 * Subjects up to this many bytes (headings) are looked at for the
 * patterns' literals before a pattern runs; a longer one (the body) is
 * left to PCRE2.
 */
#define LIT_SHORT 256

/*
 * The keys (a hash of six bytes) at the characters' starts of a short
 * subject: match_any() runs no pattern none of whose literals
 * (pattern.lit) occurs there.  made is set to 0 by the caller for each
 * subject; the rest is made at the first need.
 */
struct litkeys {
	int made;
	unsigned char head[256];        /* per key: 1 + its last start, 0 none */
	unsigned char next[LIT_SHORT];  /* per start: 1 + the start before with its key, 0 none */
};

/*
 * Does normalised text s[0..n) match any of the patterns? Offset of the
 * match in *mo.  lk (NULL, or made 0 for s) keeps the subject's keys
 * between calls about the same s.
 */
int match_any(struct matcher *m, const struct pattern *pats, size_t npat, const char *s, size_t n,
	struct litkeys *lk, size_t *mo, size_t *ml);

/*
 * find_str(s, n, needle): memchr() on the needle's last byte, a
 * continuation byte of a Chinese one, where its first (E3-E9) leads a
 * good part of the text's characters.
 */
const char *find_tail(const char *s, size_t n, const char *needle);
/* utf8_count(s, n) where it is below k, else k or more (counted up to where k is reached). */
size_t count_upto(const char *s, size_t n, size_t k);

/* Characters of d->text in sp (up to d->len) other than white space: 字数. */
long visible_chars(const struct doc *d, struct span sp);
/* The 字数 before each 256-byte block of the text (a->viscnt), unless analysis_marks() did. */
void analysis_vismarks(struct analysis *a);
/* visible_chars(a->doc, sp) from those marks: two partial blocks instead of the span. */
long analysis_visible(const struct analysis *a, struct span sp);
/* Value of one Chinese numeral character (十 is 10), or -1: inline, the outline asks it of
 * most characters of a heading. */
static inline int
zh_digit(uint32_t cp)
{
	switch (cp) {
	case 0x96F6: case 0x3007: case 0x25CB: return 0;  /* 零 〇 ○ */
	case 0x4E00: return 1;
	case 0x4E8C: case 0x4E24: return 2;  /* 二 两 */
	case 0x4E09: return 3;
	case 0x56DB: return 4;
	case 0x4E94: return 5;
	case 0x516D: return 6;
	case 0x4E03: return 7;
	case 0x516B: return 8;
	case 0x4E5D: return 9;
	case 0x5341: return 10;  /* 十 */
	default: return -1;
	}
}
/* Value of a Chinese numeral (一 .. 九十九, 〇/○/零 as zero digits); -1 if s is not one. */
int zh_number(const char *s, size_t n);
/* Length in bytes of the run of Chinese numeral characters at s. */
size_t zh_numeral_span(const char *s, size_t n);

#endif
