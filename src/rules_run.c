/*
 * rules_run.c: running the checks of a rule pack on one analysed
 * document -- scope resolution (which parts of the report a rule looks
 * at), the finding and "not checked" helpers the kinds share, and the
 * examples that rules --lint runs through the real analysis.
 *
 * A rule that cannot be evaluated (its section is missing, the report has
 * no title, a .txt has no layout, a pattern hit the match limit) is
 * recorded as not checked with the reason: never counted as passed.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "textindex.h"
#include "utf8.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

static _Thread_local int example_mode;
/* findings the running check has tried to add (the engine keeps RULES_MAX_HITS) */
static _Thread_local int hits;

int
rules_example_mode(void)
{
	return example_mode;
}

void
scope_release(struct scope *sc)
{
	if (sc->v != &sc->one)
		free(sc->v);
	sc->v = NULL;
	sc->n = sc->cap = 0;
}

/*
 * The normalised text of one report as code points, decoded once on first
 * use and shared by every rule of the report: cp[i] is the character at
 * byte off[i] of an->norm.s, off[n] = norm.len.  A span that does not
 * start and end on characters of the table (never in practice) is decoded
 * on its own into the scratch arrays, as every span once was.
 */
struct cptext {
	uint32_t *cp;
	size_t *off;
	size_t n;
	int made;
	size_t last;    /* the table's end of the last span asked for */
	uint32_t *xcp;
	size_t *xoff;
	size_t xcap;
};

static void
cptext_release(struct cptext *t)
{
	free(t->cp);
	free(t->off);
	free(t->xcp);
	free(t->xoff);
	memset(t, 0, sizeof(*t));
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * The run of three-byte characters at u[k] that decode_span()'s loops
 * below take (led by E1-EC, EE or EF, two continuation bytes), eight a
 * step while 24 bytes lie before be, and the ASCII characters among them:
 * code points and offsets stored at c + *n and o + *n (room for eight is
 * there: at most a code point a byte); the new k, *n advanced by the
 * characters taken.  A step that meets another character keeps the eight
 * code points it made (those past it are written over later) and goes on
 * after the ASCII ones there, or stops at any other.  AVX2: the two
 * 128-bit lanes take twelve bytes each, u[k..k+12) and u[k+12..k+24)
 * (read as u[k+8..k+24)), each character's bytes moved into a 32-bit
 * lane as lead << 16 | second << 8 | third.
 */
__attribute__((target("avx2"))) static size_t
decode3_avx2(const unsigned char *u, size_t k, size_t be, uint32_t *c, size_t *o, size_t *np)
{
	const __m256i shuf = _mm256_setr_epi8(2, 1, 0, -1, 5, 4, 3, -1, 8, 7, 6, -1, 11, 10, 9,
	    -1, 6, 5, 4, -1, 9, 8, 7, -1, 12, 11, 10, -1, 15, 14, 13, -1);
	const __m256i form = _mm256_set1_epi32(0x00F0C0C0), want = _mm256_set1_epi32(0x00E08080);
	const __m256i nib = _mm256_set1_epi32(0x000F0000), nibd = _mm256_set1_epi32(0x000D0000);
	const __m256i step = _mm256_set1_epi64x(24);
	__m256i o0 = _mm256_setr_epi64x((long long)k, (long long)k + 3, (long long)k + 6,
	    (long long)k + 9);
	__m256i o1 = _mm256_add_epi64(o0, _mm256_set1_epi64x(12));
	size_t n = *np;

	while (be - k >= 24) {
		__m256i x = _mm256_shuffle_epi8(
		    _mm256_inserti128_si256(_mm256_castsi128_si256(
			_mm_loadu_si128((const __m128i *)(u + k))),
			_mm_loadu_si128((const __m128i *)(u + k + 8)), 1),
		    shuf);
		__m256i t = _mm256_and_si256(x, nib);
		/* lanes whose form is 1110xxxx 10xxxxxx 10xxxxxx, less those
		 * led by E0 or ED (overlong or a surrogate) */
		unsigned ok = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(
		    _mm256_cmpeq_epi32(_mm256_and_si256(x, form), want))) &
		    ~(unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_or_si256(
			_mm256_cmpeq_epi32(t, _mm256_setzero_si256()),
			_mm256_cmpeq_epi32(t, nibd))));
		__m256i v = _mm256_or_si256(
		    _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi32(x, 4),
			_mm256_set1_epi32(0xF000)),
			_mm256_and_si256(_mm256_srli_epi32(x, 2), _mm256_set1_epi32(0x0FC0))),
		    _mm256_and_si256(x, _mm256_set1_epi32(0x3F)));

		_mm256_storeu_si256((__m256i *)(c + n), v);
		_mm256_storeu_si256((__m256i *)(o + n), o0);
		_mm256_storeu_si256((__m256i *)(o + n + 4), o1);
		if (ok != 0xFF) {
			size_t k0;

			ok = (unsigned)__builtin_ctz(~ok);
			n += ok;
			k += 3 * (size_t)ok;
			/* ASCII (the digits of 2024年) taken here too: the run
			 * goes on after it */
			for (k0 = k; k < be && u[k] < 0x80; k++) {
				c[n] = u[k];
				o[n++] = k;
			}
			if (k == k0)
				break;
			o0 = _mm256_setr_epi64x((long long)k, (long long)k + 3, (long long)k + 6,
			    (long long)k + 9);
			o1 = _mm256_add_epi64(o0, _mm256_set1_epi64x(12));
			continue;
		}
		o0 = _mm256_add_epi64(o0, step);
		o1 = _mm256_add_epi64(o1, step);
		n += 8;
		k += 24;
	}
	*np = n;
	return k;
}
#endif

/*
 * Decode s[b, e) into cp[0..n) and off[0..n], growing them (*cap entries);
 * n.  utf8_decode() with its two common cases in the loop, on local
 * copies of the pointers (a store through *cp could otherwise change
 * them); room is made a block of bytes at a time (at most a code point a
 * byte), not tested at every character.
 */
static size_t
decode_span(const char *s, size_t b, size_t e, uint32_t **cp, size_t **off, size_t *cap)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t *c = *cp;
	size_t *o = *off, k = b, n = 0, l;
#if defined(__x86_64__) && defined(__GNUC__)
	int avx2 = __builtin_cpu_supports("avx2");
#endif

	for (;;) {
		size_t be = e - k > 4096 ? k + 4096 : e;

		if (n + (be - k) + 1 > *cap) {
			/* Chinese text: about three bytes a character */
			xgrow(cp, cap, n + (be - k) + 1 + (e - be) / 3, sizeof(**cp));
			*off = xrealloc(*off, *cap * sizeof(**off));
			c = *cp;
			o = *off;
		}
		if (k >= e)
			break;
		while (k < be) {
			uint32_t x;
			/* before lim a character's three bytes are all in the text */
			size_t lim;

#if defined(__x86_64__) && defined(__GNUC__)
			if (avx2 && be - k >= 24)
				k = decode3_avx2(u, k, be, c, o, &n);
#endif
			lim = e - k >= 3 ? (be < e - 2 ? be : e - 2) : k;

			/* runs of three-byte characters, most of Chinese: those led
			 * by E1-EC, EE or EF, never overlong nor a surrogate (E0 and
			 * ED go to utf8_decode_any() below) */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/*
			 * Two at a time on a little-endian machine, while both lie
			 * before be and eight bytes are readable: one load holds
			 * them, the first lowest.  The mask tests their high nibbles
			 * E and their four continuation bytes; the low nibbles of
			 * the lead bytes (bytes 0 and 3 of t) must be neither 0 (E0)
			 * nor D (ED), a zero byte of t or z found as in strlen()
			 * (a wrong hit only beside a true one).
			 */
			size_t lim2 = be - k >= 6 && e - k >= 8 ? (be - 6 < e - 8 ? be - 6 : e - 8) + 1 : k;

			while (k < lim2) {
				uint64_t w;
				uint32_t t, z;

				memcpy(&w, u + k, 8);
				t = (uint32_t)w & 0x0F00000Fu;
				z = t ^ 0x0D00000Du;
				if ((w & 0xC0C0F0C0C0F0ULL) != 0x8080E08080E0ULL ||
				    (((t - 0x01000001u) & ~t) | ((z - 0x01000001u) & ~z)) & 0x80000080u)
					break;
				/* the second character moved to bits 32-55: both code
				 * points made at once, stored as two 32-bit halves */
				w = (w & 0xFFFFFF) | (w << 8 & 0xFFFFFF00000000ULL);
				w = (w & 0x0000000F0000000FULL) << 12 | (w >> 2 & 0x00000FC000000FC0ULL) |
				    (w >> 16 & 0x0000003F0000003FULL);
				memcpy(c + n, &w, 8);
				o[n] = k;
				o[n + 1] = k + 3;
				n += 2;
				k += 6;
			}
#endif
			while (k < lim) {
				/* the three bytes read before the stores (which might
				 * otherwise be taken to change them), the continuation
				 * bytes less 0x80 kept for the code point */
				uint32_t x0 = u[k], x1 = u[k + 1] ^ 0x80u, x2 = u[k + 2] ^ 0x80u;

				if (x0 - 0xE1u > 0x0Eu || x0 == 0xED || (x1 | x2) >= 0x40)
					break;
				o[n] = k;
				c[n++] = (x0 & 0x0F) << 12 | x1 << 6 | x2;
				k += 3;
			}
			if (k >= be)
				break;
			x = u[k];
			o[n] = k;
			if (x < 0x80) {
				c[n++] = x;
				k++;
				continue;
			}
			/* any other character (a three-byte one the run above did
			 * not take is led by E0 or ED, or invalid) */
			c[n++] = utf8_decode_any(s + k, e - k, &l);
			k += l ? l : 1;
		}
	}
	o[n] = e;
	return n;
}

/*
 * First index i <= t->n of the table with t->off[i] >= x (t->n if none
 * before it), searched from h, an index near it: steps that double away
 * from h bound it, a binary search between them finds it.  The kinds ask
 * for their spans in order (a paragraph, then the next), so the answer is
 * seldom more than a few characters from the hint.
 */
static size_t
cptext_lower(const struct cptext *t, size_t x, size_t h)
{
	const size_t *off = t->off;
	size_t lo, hi, step, p;

	if (h > t->n)
		h = t->n;
	if (h < t->n && off[h] < x) {
		/* after h: off[i] < x for every i < lo */
		for (lo = h + 1, step = 1;; step *= 2) {
			p = lo + step - 1;
			if (p >= t->n) {
				hi = t->n;
				break;
			}
			if (off[p] >= x) {
				hi = p;
				break;
			}
			lo = p + 1;
		}
	} else {
		/* at or before h: hi is t->n or off[hi] >= x */
		for (hi = h, lo = 0, step = 1; hi > 0; step *= 2) {
			p = hi > step ? hi - step : 0;
			if (off[p] < x) {
				lo = p + 1;
				break;
			}
			hi = p;
		}
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->off[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
rules_codepoints(struct check_ctx *ctx, size_t b, size_t e, const uint32_t **cp,
	const size_t **off)
{
	struct cptext *t = ctx->cpt;
	const struct normtext *nt = &ctx->an->norm;
	size_t kb, ke, cap;

	if (!t->made) {
		cap = 0;
		t->n = decode_span(nt->s, 0, nt->len, &t->cp, &t->off, &cap);
		t->made = 1;
	}
	if (e < b)
		e = b;
	/* from the end of the last span asked for; about three bytes a character */
	kb = cptext_lower(t, b, t->last);
	ke = cptext_lower(t, e, kb + (e - b) / 3);
	if (t->off[kb] == b && t->off[ke] == e) {
		t->last = ke;
		*cp = t->cp + kb;
		*off = t->off + kb;
		return ke - kb;
	}
	ke = decode_span(nt->s, b, e, &t->xcp, &t->xoff, &t->xcap);
	*cp = t->xcp;
	*off = t->xoff;
	return ke;
}

/* A scope of the one span [off, end), held in sc itself. */
static void
scope_one(struct scope *sc, size_t off, size_t end)
{
	sc->one.off = off;
	sc->one.end = end;
	sc->v = &sc->one;
	sc->n = 1;
}

/* One more span of a scope of many (never after scope_one()). */
static void
scope_add(struct scope *sc, size_t off, size_t end)
{
	/* doubling: a paragraph scope may hold tens of thousands of spans */
	xgrow(&sc->v, &sc->cap, sc->n + 1, sizeof(*sc->v));
	sc->v[sc->n].off = off;
	sc->v[sc->n].end = end;
	sc->n++;
}

/* The meta fields a rule's scope may name (meta:FIELD), with their Chinese names. */
static const struct {
	const char *key, *zh;
	size_t off;
} meta_fields[] = {
	{"title", "标题", offsetof(struct meta, title)},
	{"unit", "报告单位", offsetof(struct meta, unit)},
	{"parent", "上级单位", offsetof(struct meta, parent)},
	{"doc_number", "发文字号", offsetof(struct meta, doc_number)},
	{"addressee", "主送机关", offsetof(struct meta, addressee)},
	{"signatory", "署名", offsetof(struct meta, signatory)},
	{"date", "成文日期", offsetof(struct meta, date)},
};

static const char *
meta_field(const struct meta *m, const char *f, const char **zh)
{
	size_t i;

	for (i = 0; i < sizeof(meta_fields) / sizeof(meta_fields[0]); i++)
		if (strcmp(f, meta_fields[i].key) == 0) {
			*zh = meta_fields[i].zh;
			return *(char *const *)((const char *)m + meta_fields[i].off);
		}
	*zh = f;
	return NULL;
}

/* Absent scope: nothing to do for an optional rule, else "not checked". */
static int
absent(const struct check_def *c, struct check_ctx *ctx, const char *reason)
{
	if (c->optional)
		return 1;
	rules_unchecked(c, ctx, reason);
	return -1;
}

/* The scopes a rule may name (rules.h, struct check_def), told apart once. */
enum scope_kind {
	SCOPE_DOCUMENT, SCOPE_LAYOUT, SCOPE_BODY, SCOPE_TITLE, SCOPE_HEADING, SCOPE_RUNIN,
	SCOPE_PARAGRAPH, SCOPE_SECTION, SCOPE_META, SCOPE_OTHER
};

/* The kind of scope s: its first letter picks the one name to compare. */
static enum scope_kind
scope_kind(const char *s)
{
	switch (s[0]) {
	case 'd':
		return strcmp(s, "document") == 0 ? SCOPE_DOCUMENT : SCOPE_OTHER;
	case 'l':
		return strcmp(s, "layout") == 0 ? SCOPE_LAYOUT : SCOPE_OTHER;
	case 'b':
		return strcmp(s, "body") == 0 ? SCOPE_BODY : SCOPE_OTHER;
	case 't':
		return strcmp(s, "title") == 0 ? SCOPE_TITLE : SCOPE_OTHER;
	case 'h':
		return strcmp(s, "heading") == 0 ? SCOPE_HEADING : SCOPE_OTHER;
	case 'r':
		return strcmp(s, "runin") == 0 ? SCOPE_RUNIN : SCOPE_OTHER;
	case 'p':
		return strcmp(s, "paragraph") == 0 ? SCOPE_PARAGRAPH : SCOPE_OTHER;
	case 's':
		return strncmp(s, "section:", 8) == 0 ? SCOPE_SECTION : SCOPE_OTHER;
	case 'm':
		return strncmp(s, "meta:", 5) == 0 ? SCOPE_META : SCOPE_OTHER;
	default:
		return SCOPE_OTHER;
	}
}

int
rules_scope(const struct check_def *c, struct check_ctx *ctx, struct scope *sc)
{
	const struct analysis *an = ctx->an;
	const struct doc *d = ctx->doc;
	const struct result *res = ctx->res;
	const char *s = c->scope ? c->scope : "document";
	enum scope_kind kind = scope_kind(s);
	size_t i;

	sc->v = NULL;
	sc->n = sc->cap = 0;
	if (kind == SCOPE_LAYOUT) {
		if (d->format != DOCFMT_DOCX)
			return absent(c, ctx, "纯文本没有字体和页面信息，版式规则需要 Word 文件（.docx）");
		return 0;
	}
	if (example_mode && kind != SCOPE_SECTION) {
		scope_one(sc, 0, d->len);
		return 0;
	}
	switch (kind) {
	case SCOPE_BODY:
		scope_one(sc, an->body.off, an->body.end);
		break;
	case SCOPE_TITLE:
		if (an->title.end <= an->title.off)
			return absent(c, ctx, "报告没有标题，无法检查");
		scope_one(sc, an->title.off, an->title.end);
		break;
	case SCOPE_HEADING:
		for (i = 0; i < res->noutline; i++)
			if (res->outline[i].kind != NODE_TITLE && res->outline[i].level >= 1 &&
			    res->outline[i].level <= 4)
				scope_add(sc, an->node_head[i].off, an->node_head[i].end);
		if (sc->n == 0)
			return absent(c, ctx, "没有识别出各级标题，无法检查");
		break;
	case SCOPE_RUNIN:
		/* run-in headings: the heading and the first character after it */
		for (i = 0; i < res->noutline; i++)
			if (res->outline[i].run_in && res->outline[i].kind == NODE_HEADING &&
			    res->outline[i].level <= 2) {
				size_t e = an->node_head[i].end, l = 0;

				if (e < d->len)
					utf8_decode(d->text + e, d->len - e, &l);
				scope_add(sc, an->node_head[i].off, e + l);
			}
		if (sc->n == 0 && !c->optional)
			return 1; /* no run-in heading: nothing run together */
		break;
	case SCOPE_PARAGRAPH:
		/* the array sized once */
		if (d->npara > 0)
			xgrow(&sc->v, &sc->cap, d->npara, sizeof(*sc->v));
		for (i = 0; i < d->npara; i++)
			scope_add(sc, d->paras[i].off, d->paras[i].off + d->paras[i].len);
		break;
	case SCOPE_SECTION: {
		const char *name = s + 8;
		char *why;
		int rc;

		for (i = 0; i < res->nsection; i++)
			if (strcmp(res->sections[i].id, s + 8) == 0)
				break;
		if (i < res->nsection && res->sections[i].name)
			name = res->sections[i].name;
		if (i < res->nsection && res->sections[i].status == SECTION_FOUND &&
		    an->section[i].end > an->section[i].off) {
			scope_one(sc, an->section[i].off, an->section[i].end);
			return 0;
		}
		if (example_mode) {
			scope_one(sc, 0, d->len);
			return 0;
		}
		if (i < res->nsection && res->sections[i].status == SECTION_INLINE)
			why = xasprintf("报告没有单列“%s”部分（只在正文中提及），无法检查", name);
		else
			why = xasprintf("报告缺少“%s”部分，无法检查", name);
		rc = absent(c, ctx, why);
		free(why);
		return rc;
	}
	case SCOPE_META: {
		const char *zh, *v = meta_field(&res->meta, s + 5, &zh);
		const char *at;
		char *why;
		int rc;

		if (strcmp(s + 5, "title") == 0 && an->title.end > an->title.off) {
			scope_one(sc, an->title.off, an->title.end);
			return 0;
		}
		if (v && *v && (at = strstr(d->text, v)) != NULL) {
			/* the field and the rest of its line (the 主送 line's colon) */
			const char *nl = strchr(at + strlen(v), '\n');

			scope_one(sc, (size_t)(at - d->text), nl ? (size_t)(nl - d->text) : d->len);
			return 0;
		}
		why = xasprintf("报告中没有识别出%s，无法检查", zh);
		rc = absent(c, ctx, why);
		free(why);
		return rc;
	}
	default:
		/* document, and a scope of no other name */
		scope_one(sc, 0, d->len);
		break;
	}
	return 0;
}

/* The message with the detail appended ("%s：%s", copied, not printed: a finding each). */
static char *
message(const struct check_def *c, const char *detail)
{
	static const char colon[] = "：";
	size_t lm, ld;
	char *m;

	if (detail == NULL || *detail == '\0')
		return xstrdup(c->message);
	lm = strlen(c->message);
	ld = strlen(detail);
	m = xmalloc(lm + sizeof(colon) - 1 + ld + 1);
	memcpy(m, c->message, lm);
	memcpy(m + lm, colon, sizeof(colon) - 1);
	memcpy(m + lm + sizeof(colon) - 1, detail, ld + 1);
	return m;
}

void
rules_finding_orig(const struct check_def *c, struct check_ctx *ctx, size_t off, size_t len,
	const char *detail)
{
	int line, col;
	long mark;
	char *ex, *msg;
	struct finding *f;

	if (++hits > RULES_MAX_HITS)
		return;
	if (off > ctx->doc->len)
		off = ctx->doc->len;
	if (off + len > ctx->doc->len)
		len = ctx->doc->len - off;
	analysis_pos(ctx->an, off, &line, &col);
	ex = analysis_excerpt(ctx->an, off, len, &mark);
	msg = message(c, detail);
	f = result_add_finding(ctx->res, c->id, c->severity, line, col, msg, ex, c->source,
	    c->hint);
	f->mark_off = mark;
	f->mark_len = (long)len;
	free(ex);
	free(msg);
}

void
rules_finding_at(const struct check_def *c, struct check_ctx *ctx, size_t no, size_t nl,
	const char *detail)
{
	const struct normtext *nt = &ctx->an->norm;
	size_t off, end;

	if (no > nt->len)
		no = nt->len;
	if (no + nl > nt->len)
		nl = nt->len - no;
	off = nt->map[no];
	if (nl == 0) {
		end = off;
	} else {
		/* end of the original character that the last byte of the match comes from */
		size_t last = nt->map[no + nl - 1], l;

		utf8_decode(ctx->doc->text + last, ctx->doc->len - last, &l);
		end = last + (l ? l : 1);
		if (end < off)
			end = off;
	}
	rules_finding_orig(c, ctx, off, end - off, detail);
}

void
rules_finding_doc(const struct check_def *c, struct check_ctx *ctx, const char *detail)
{
	char *msg;

	if (++hits > RULES_MAX_HITS)
		return;
	msg = message(c, detail);
	result_add_finding(ctx->res, c->id, c->severity, 0, 0, msg, NULL, c->source, c->hint);
	free(msg);
}

void
rules_unchecked(const struct check_def *c, struct check_ctx *ctx, const char *reason)
{
	size_t i;

	/* one entry per rule and report */
	for (i = 0; i < ctx->res->nunchecked; i++)
		if (strcmp(ctx->res->unchecked[i].rule, c->id) == 0)
			return;
	result_add_unchecked(ctx->res, c->id, c->severity, c->message, reason);
}

int
rules_find(const struct check_def *c, struct check_ctx *ctx, const struct pattern *pat, size_t b,
	size_t e, size_t start, size_t *mo, size_t *ml)
{
	int rc;

	if (start > e)
		return 0;
	rc = pattern_search(ctx->m, pat, ctx->an->lits, ctx->an->norm.s, b, e, start, mo, ml);
	if (rc == 1)
		return 1;
	if (rc < 0) {
		char *why = xasprintf("规则 %s 的正则表达式超出匹配次数或深度上限（100 万次），已停止检查；"
				      "请简化该表达式：%s",
		    c->id, pat->src ? pat->src : "");

		rules_unchecked(c, ctx, why);
		free(why);
		return -1;
	}
	return 0;
}

int
rules_find_raw(const struct check_def *c, struct check_ctx *ctx, const struct pattern *pat,
	int raw, size_t b, size_t e, size_t start, size_t *mo, size_t *ml)
{
	int rc;

	if (!raw)
		return rules_find(c, ctx, pat, b, e, start, mo, ml);
	if (start > e)
		return 0;
	/* the index lists the first characters of patterns in the raw text too */
	rc = pattern_search(ctx->m, pat, ctx->an->lits, ctx->doc->text, b, e, start, mo, ml);
	if (rc < 0) {
		char *why = xasprintf("规则 %s 的正则表达式超出匹配次数或深度上限（100 万次），已停止检查；"
				      "请简化该表达式：%s",
		    c->id, pat->src ? pat->src : "");

		rules_unchecked(c, ctx, why);
		free(why);
	}
	return rc;
}

void
rules_range(const struct check_ctx *ctx, int raw, struct span sp, size_t *b, size_t *e)
{
	if (raw) {
		*b = sp.off;
		*e = sp.end;
	} else {
		analysis_norm_span(ctx->an, sp, b, e);
	}
}

void
rules_finding_raw(const struct check_def *c, struct check_ctx *ctx, int raw, size_t o, size_t l,
	const char *detail)
{
	if (raw)
		rules_finding_orig(c, ctx, o, l, detail);
	else
		rules_finding_at(c, ctx, o, l, detail);
}

void
rules_run_one(const struct check_def *c, struct check_ctx *ctx, int example)
{
	int year = ctx->res->meta.year;

	matcher_forget(ctx->m);    /* a check may run on a new text */
	example_mode = example;
	if ((c->year_min || c->year_max) && !example) {
		if (year == 0) {
			rules_unchecked(c, ctx, "无法确定报告所属年度，无法检查");
			example_mode = 0;
			return;
		}
		if ((c->year_min && year < c->year_min) || (c->year_max && year > c->year_max)) {
			example_mode = 0;
			return; /* the rule is about other years */
		}
	}
	if (c->unless_title && ctx->res->meta.title) {
		const char *t = ctx->res->meta.title;
		size_t mo, ml;

		if (pattern_find(ctx->m, c->unless_title, t, strlen(t), 0, &mo, &ml) == 1) {
			example_mode = 0;
			return; /* a report of another kind (上半年工作总结) */
		}
	}
	hits = 0;
	if (ctx->cpt == NULL) {
		/* a rule run on its own (an example): a table of its own */
		struct cptext own;

		memset(&own, 0, sizeof(own));
		ctx->cpt = &own;
		c->kind->run(c, ctx);
		ctx->cpt = NULL;
		cptext_release(&own);
	} else {
		c->kind->run(c, ctx);
	}
	if (hits > RULES_MAX_HITS && ctx->res->nfinding > 0) {
		/* every kind stops at the same number; the last finding says so */
		struct finding *f = &ctx->res->findings[ctx->res->nfinding - 1];

		if (strcmp(f->rule, c->id) == 0) {
			char *m = xasprintf("%s（另有 %d 处同类问题未列出）", f->message,
			    hits - RULES_MAX_HITS);

			free(f->message);
			f->message = m;
			f->more = hits - RULES_MAX_HITS;
		}
	}
	hits = 0;
	example_mode = 0;
}

/*
 * A report that still holds the unfilled slots of a `fzreport new`
 * skeleton ("[待填：…]") is not written yet: only the placeholder rules
 * run, every other rule is listed as not checked until the slots are
 * filled, so the writer sees one thing to do and no noise about text
 * that is still guidance.
 */
static int
unfilled_template(const struct check_ctx *ctx)
{
	static const char slot[] = "[待填";
	const char *s = ctx->an->norm.s, *end = s + ctx->an->norm.len, *q;

	/* memchr() for the rare '[' (strstr() compared at every byte); what
	 * strstr() found only before a NUL, which no loaded text holds */
	for (q = s; (q = memchr(q, '[', (size_t)(end - q))) != NULL; q++)
		if ((size_t)(end - q) >= sizeof(slot) - 1 && memcmp(q, slot, sizeof(slot) - 1) == 0)
			return memchr(s, '\0', (size_t)(q - s)) == NULL;
	return 0;
}

/* The marked span of f as (line, first column, columns); 0 without a position. */
static int
finding_cols(const struct finding *f, int *line, long *c0, long *c1)
{
	size_t n = 1;

	if (f->line <= 0 || f->column <= 0)
		return 0;
	if (f->excerpt && f->mark_off >= 0 && f->mark_len > 0 &&
	    (size_t)(f->mark_off + f->mark_len) <= strlen(f->excerpt))
		n = utf8_count(f->excerpt + f->mark_off, (size_t)f->mark_len);
	*line = f->line;
	*c0 = f->column;
	*c1 = f->column + (long)(n ? n : 1);
	return 1;
}

/* Do the marked spans of a and b share a character? */
int
rules_findings_overlap(const struct finding *a, const struct finding *b)
{
	int la, lb;
	long a0, a1, b0, b1;

	if (!finding_cols(a, &la, &a0, &a1) || !finding_cols(b, &lb, &b0, &b1))
		return 0;
	return la == lb && a0 < b1 && b0 < a1;
}

/*
 * One defect, one finding: a finding of a rule that yields_to another
 * is dropped where a finding of that rule marks the same characters
 * ("(二)" is FMT-004's, not also FMT-012's half-width bracket).
 */
static void
drop_yielded(const struct rulepack *p, struct result *res)
{
	const struct check_def **yc, *c = NULL;
	unsigned char *drop;
	size_t i, j, k, ny = 0, out = 0;

	if (res->nfinding == 0)
		return;
	/* the rules that yield, a few of the pack's (ids are unique in a
	 * pack): a finding of any other stays */
	yc = xmalloc((p->ncheck ? p->ncheck : 1) * sizeof(*yc));
	for (i = 0; i < p->ncheck; i++)
		if (p->checks[i].nyields > 0)
			yc[ny++] = &p->checks[i];
	/* decide on every finding first, against the findings as they were */
	drop = xcalloc(res->nfinding, 1);
	for (i = 0; ny > 0 && i < res->nfinding; i++) {
		/* the findings come rule by rule: the last one's rule again */
		if (i == 0 || res->findings[i].rule != res->findings[i - 1].rule)
			for (c = NULL, k = 0; c == NULL && k < ny; k++)
				if (strcmp(yc[k]->id, res->findings[i].rule) == 0)
					c = yc[k];
		for (k = 0; c && !drop[i] && k < c->nyields; k++)
			for (j = 0; !drop[i] && j < res->nfinding; j++)
				drop[i] = j != i && strcmp(res->findings[j].rule, c->yields[k]) == 0 &&
					  rules_findings_overlap(&res->findings[i], &res->findings[j]);
	}
	for (i = 0; i < res->nfinding; i++) {
		if (drop[i])
			finding_release(&res->findings[i]);
		else
			res->findings[out++] = res->findings[i];
	}
	res->nfinding = out;
	free(drop);
	free(yc);
}

void
rules_run(const struct rulepack *p, struct check_ctx *ctx)
{
	int skeleton = unfilled_template(ctx);
	struct cptext cpt;
	size_t i;

	memset(&cpt, 0, sizeof(cpt));
	ctx->cpt = &cpt;
	for (i = 0; i < p->ncheck; i++) {
		const struct check_def *c = &p->checks[i];

		if (!c->enabled)
			continue;
		if (skeleton && strcmp(c->kind->name, "placeholder") != 0) {
			rules_unchecked(c, ctx, "报告中还有未填写的模板内容（[待填：…]），填写后再检查");
			continue;
		}
		rules_run_one(c, ctx, 0);
	}
	ctx->cpt = NULL;
	cptext_release(&cpt);
	drop_yielded(p, ctx->res);
}

/*
 * Pattern syntax in text meant for people ("楷体|KaiTi", "(?:", "\\p{Han}",
 * "[^。]"): the token found, or NULL.
 */
const char *
rules_pattern_syntax(const char *s)
{
	static const char *const tok[] = {"|", "(?", "\\p{", "\\P{", "\\d", "\\s", "\\w", "\\x{",
		"\\b", "[^", ".*", ".+", "]{", "]+", "]*", NULL};
	size_t i;

	for (i = 0; s && tok[i]; i++)
		if (strstr(s, tok[i]))
			return tok[i];
	return NULL;
}

void
rules_run_similar(const struct rulepack *p, struct check_ctx *ctx)
{
	size_t i;

	ctx->cpt = NULL;  /* each similar rule decodes what it needs */
	if (unfilled_template(ctx))
		return;
	for (i = 0; i < p->ncheck; i++)
		if (p->checks[i].enabled && strcmp(p->checks[i].kind->name, "similar") == 0)
			rules_run_one(&p->checks[i], ctx, 0);
}

/* Findings / unchecked entries of rule id in res. */
static void
count_rule(const struct result *res, const char *id, size_t *nf, const char **reason)
{
	size_t i;

	*nf = 0;
	*reason = NULL;
	for (i = 0; i < res->nfinding; i++)
		if (strcmp(res->findings[i].rule, id) == 0)
			(*nf)++;
	for (i = 0; i < res->nunchecked; i++)
		if (strcmp(res->unchecked[i].rule, id) == 0)
			*reason = res->unchecked[i].reason;
}

/*
 * Kinds whose findings mark what they match (not a section's heading, a
 * paragraph's font), on a scope an example stands for (a title or run-in
 * rule would see the whole example text, not just its title or seam).
 */
static int
marks_match(const struct check_def *c)
{
	static const char *const k[] = {"forbid", "words", "dated", "docnumber", "numbering", "numbers",
		"placeholder", "repeat", "year", "date", NULL};
	size_t i;

	if (strcmp(c->scope, "runin") == 0 || strcmp(c->scope, "title") == 0)
		return 0;
	for (i = 0; k[i]; i++)
		if (strcmp(c->kind->name, k[i]) == 0)
			return 1;
	return 0;
}

static int
yields(const struct check_def *a, const char *id)
{
	size_t i;

	for (i = 0; i < a->nyields; i++)
		if (strcmp(a->yields[i], id) == 0)
			return 1;
	return 0;
}

/*
 * Another rule that marks the same characters as c in this example, with
 * neither yielding to the other: one defect reported twice.  Its id, or NULL.
 */
static const char *
overlapping_rule(const struct rulepack *p, const struct check_def *c, struct check_ctx *ctx)
{
	size_t i, j, k, before = ctx->res->nfinding;

	if (!marks_match(c))
		return NULL;
	for (i = 0; i < p->ncheck; i++) {
		const struct check_def *d = &p->checks[i];

		if (d == c || !d->enabled || !marks_match(d) || yields(c, d->id) || yields(d, c->id))
			continue;
		rules_run_one(d, ctx, 1);
		for (j = 0; j < before; j++)
			for (k = before; k < ctx->res->nfinding; k++)
				if (strcmp(ctx->res->findings[j].rule, c->id) == 0 &&
				    rules_findings_overlap(&ctx->res->findings[j], &ctx->res->findings[k]))
					return d->id;
		while (ctx->res->nfinding > before)
			finding_release(&ctx->res->findings[--ctx->res->nfinding]);
	}
	return NULL;
}

/* Run c on one example text; 1 flagged, 0 not, -1 not checked (*why). */
static int
run_example(const struct rulepack *p, const struct check_def *c, struct matcher *m,
	const char *text, char **why, char **syntax, const char **overlap)
{
	struct doc d;
	struct analysis a;
	struct result res;
	struct check_ctx ctx;
	struct error err;
	size_t nf;
	const char *reason;
	int rc;

	*why = NULL;
	doc_init(&d);
	if (load_text_mem("example", text, strlen(text), &d, &err) == -1) {
		*why = xstrdup(err.msg);
		doc_release(&d);
		return -1;
	}
	analysis_init(&a);
	result_init(&res);
	analyse(p, &d, &a, &res, m);
	memset(&ctx, 0, sizeof(ctx));
	ctx.doc = &d;
	ctx.an = &a;
	ctx.res = &res;
	ctx.m = m;
	rules_run_one(c, &ctx, 1);
	count_rule(&res, c->id, &nf, &reason);
	for (size_t i = 0; syntax && *syntax == NULL && i < res.nfinding; i++)
		if (strcmp(res.findings[i].rule, c->id) == 0 &&
		    rules_pattern_syntax(res.findings[i].message))
			*syntax = xstrdup(res.findings[i].message);
	if (overlap && *overlap == NULL && nf > 0)
		*overlap = overlapping_rule(p, c, &ctx);
	rc = nf > 0 ? 1 : 0;
	if (nf == 0 && reason) {
		*why = xstrdup(reason);
		rc = -1;
	}
	result_release(&res);
	analysis_release(&a);
	doc_release(&d);
	return rc;
}

int
rules_run_examples(const struct rulepack *p, rules_problem_fn fn, void *arg)
{
	struct matcher *m = matcher_new();
	size_t i, k;
	int nprob = 0;

	for (i = 0; i < p->ncheck; i++) {
		const struct check_def *c = &p->checks[i];
		char *why, *msg, *syntax = NULL;
		const char *tok, *overlap = NULL, *overlap_ex = NULL;
		int rc, want;

		/* no pattern syntax in what a clerk reads */
		if ((tok = rules_pattern_syntax(c->message)) || (tok = rules_pattern_syntax(c->hint))) {
			msg = xasprintf("规则 %s 的 message 或 hint 中有正则表达式写法“%s”：提示给办事人员的文字"
					"应当是中文说明", c->id, tok);
			fn(arg, c->file, c->line, c->column, msg);
			free(msg);
			nprob++;
		}

		/* fires examples must give 1, passes examples 0 */
		for (want = 1; want >= 0; want--) {
			char **ex = want ? c->fires : c->passes;
			size_t nex = want ? c->nfires : c->npasses;

			for (k = 0; k < nex; k++) {
				rc = run_example(p, c, m, ex[k], &why, want ? &syntax : NULL,
				    want ? &overlap : NULL);
				if (overlap && overlap_ex == NULL)
					overlap_ex = ex[k];
				if (rc == want) {
					free(why);
					continue;
				}
				if (rc < 0)
					msg = xasprintf("规则 %s 的示例无法检查（%s）：%s", c->id, why, ex[k]);
				else if (want)
					msg = xasprintf("规则 %s 的示例应当触发却没有触发：%s", c->id, ex[k]);
				else
					msg = xasprintf("规则 %s 的示例不应触发却触发了：%s", c->id, ex[k]);
				fn(arg, c->file, c->line, c->column, msg);
				free(msg);
				free(why);
				nprob++;
			}
		}
		for (k = 0; k < c->nyields; k++)
			if (rules_check(p, c->yields[k]) == NULL) {
				msg = xasprintf("规则 %s 的 yields_to 中的规则“%s”不存在", c->id, c->yields[k]);
				fn(arg, c->file, c->line, c->column, msg);
				free(msg);
				nprob++;
			}
		if (overlap) {
			msg = xasprintf("规则 %s 和 %s 在示例“%s”的同一处都报告了问题：同一个问题只应由一条"
					"规则报告，请在其中一条规则中用 yields_to 写明由哪条规则报告",
			    c->id, overlap, overlap_ex);
			fn(arg, c->file, c->line, c->column, msg);
			free(msg);
			nprob++;
		}
		if (syntax) {
			msg = xasprintf("规则 %s 的提示中出现了正则表达式写法（请给 pattern 加 name）：%s", c->id,
			    syntax);
			fn(arg, c->file, c->line, c->column, msg);
			free(msg);
			free(syntax);
			nprob++;
		}
	}
	matcher_free(m);
	return nprob;
}
