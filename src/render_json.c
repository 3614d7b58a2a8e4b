/* render_json.c: one JSON object per report, one per line (also the test format). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "render.h"
#include "util.h"

/* A string's JSON (quoted, escaped) kept at off in render_state's cache: see json_open(). */
struct quoted {
	const char *from;   /* the string (a shared copy or a name), NULL in an empty slot */
	size_t off, len;
};

/* The names of enum values, one table each: as many as result.h has (the last + 1). */
#define NSEV (SEV_FATAL + 1)
#define NNODE (NODE_ITEM + 1)
#define NSTATUS (SECTION_MISSING + 1)
#define NVERDICT (VERDICT_UNREADABLE + 1)
#define NUNIT (UNIT_COUNTY + 1)

struct render_state {
	struct render_opts o;
	struct buf line;    /* a report's line, its room kept from one report to the next */
	struct buf cache;   /* the JSON of the strings below, one after another */
	struct quoted sev[NSEV], node[NNODE], status[NSTATUS], verdict[NVERDICT], unit[NUNIT];
	struct quoted *shared;  /* the findings' shared texts by address, open addressing */
	size_t nshared, shared_cap;
};

/*
 * The writers below put their bytes straight into b's room: a report's
 * JSON is some six hundred short pieces, and a call to buf_add with its
 * strlen for each cost more than the bytes themselves.  room() makes space
 * for n more bytes and a NUL; put() does not write the NUL (json_string and
 * the end of a line do).
 */
static inline char *
room(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		xgrow(&b->s, &b->cap, b->len + n + 1, 1);
	return b->s + b->len;
}

static inline void
put(struct buf *b, const char *s, size_t n)
{
	memcpy(room(b, n), s, n);
	b->len += n;
}

/* a constant piece of JSON (a key with its quotes, comma and colon), its length known when compiled */
#define PUT(b, lit) put((b), (lit), sizeof(lit) - 1)

/*
 * v in decimal, as buf_addlong() writes it, but straight into b's room:
 * a report has a hundred numbers (lines, columns, levels), mostly of one
 * to three digits, and buf_addlong()'s call, its scratch array and
 * buf_add()'s memcpy cost three times what the digits do.
 */
static inline void
put_long(struct buf *b, long v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
				    "31323334353637383940414243444546474849505152535455565758596061"
				    "62636465666768697071727374757677787980818283848586878889909192"
				    "93949596979899";
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v, t;
	size_t n;
	char *d;

	if (u < 100) {
		n = u < 10 ? 1 : 2;
	} else {
		for (n = 3, t = u / 1000; t > 0; t /= 10)
			n++;
	}
	d = room(b, n + 1);
	if (v < 0)
		*d++ = '-';
	d += n;
	b->len = (size_t)(d - b->s);
	/* two digits a step */
	for (; u >= 100; u /= 100) {
		d -= 2;
		memcpy(d, pairs + u % 100 * 2, 2);
	}
	if (u >= 10) {
		d -= 2;
		memcpy(d, pairs + u * 2, 2);
	} else {
		*--d = (char)('0' + u);
	}
}

/* a line or column: null when 0 (the whole document) */
static inline void
put_pos(struct buf *b, long v)
{
	if (v > 0)
		put_long(b, v);
	else
		PUT(b, "null");
}

/*
 * Copies the run of bytes at the start of s[0..n) that need no escape (no
 * control character, '"' or '\\') to d and returns its length.  Sixteen
 * bytes are tested at a time where SSE2 is there (every x86-64), eight
 * elsewhere and in a shorter string, four in one shorter than eight.  A
 * block is stored before it is tested and a string's last
 * block overlaps the one before it, so d needs room for all n bytes, and
 * bytes past the run may be written there too: the caller writes over them.
 * The tests for a byte below 0x20 are exact (no borrow reaches a byte that
 * is not itself below 0x20), so the first flagged byte is the first to
 * escape.
 */
static size_t
copy_plain(char *d, const unsigned char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	size_t i = 0;

#ifdef __SSE2__
	if (n >= 16) {
		const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
		const __m128i ctl = _mm_set1_epi8(0x1F);

		for (;;) {
			__m128i v, bad;
			int m;

			/* the last block ends at n: the bytes it shares with the one before were clean */
			if (i + 16 > n)
				i = n - 16;
			v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			_mm_storeu_si128((__m128i *)(void *)(d + i), v);
			/* a byte at most 0x1F is its own maximum with 0x1F */
			bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
			    _mm_cmpeq_epi8(v, bslash)), _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl));
			m = _mm_movemask_epi8(bad);
			if (m != 0)
				return i + (size_t)__builtin_ctz((unsigned)m);
			i += 16;
			if (i == n)
				return n;
		}
	}
#endif

	/*
	 * Eight bytes at a time (four in a string shorter than eight), the
	 * last word overlapping the one before it as above: a heading's
	 * numbering or a section's id takes a test or two, not a step a
	 * byte.  Where a word has a byte to escape, the loop below finds the
	 * first from that word on.
	 */
	if (n >= 8) {
		for (;;) {
			uint64_t v, q, bs;

			if (i + 8 > n)
				i = n - 8;
			memcpy(&v, s + i, 8);
			q = v ^ (ones * '"');
			bs = v ^ (ones * '\\');
			if ((((v - ones * 0x20) & ~v) | ((q - ones) & ~q) | ((bs - ones) & ~bs)) & high)
				break;
			memcpy(d + i, &v, 8);
			i += 8;
			if (i == n)
				return n;
		}
	} else if (n >= 4) {
		for (;;) {
			uint32_t v, q, bs;

			if (i + 4 > n)
				i = n - 4;
			memcpy(&v, s + i, 4);
			q = v ^ ((uint32_t)ones * '"');
			bs = v ^ ((uint32_t)ones * '\\');
			if ((((v - (uint32_t)ones * 0x20) & ~v) | ((q - (uint32_t)ones) & ~q) |
			    ((bs - (uint32_t)ones) & ~bs)) & (uint32_t)high)
				break;
			memcpy(d + i, &v, 4);
			i += 4;
			if (i == n)
				return n;
		}
	}
	while (i < n && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\') {
		d[i] = (char)s[i];
		i++;
	}
	return i;
}

void
json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p, *end;
	char *d;

	if (s == NULL) {
		PUT(b, "null");
		b->s[b->len] = '\0';
		return;
	}
	p = (const unsigned char *)s;
	end = p + strlen(s);
	/* room for the string and its quotes: one that needs no escape never grows the buffer again */
	d = room(b, (size_t)(end - p) + 2);
	*d++ = '"';
	for (;;) {
		size_t r = copy_plain(d, p, (size_t)(end - p));

		d += r;
		p += r;
		if (p == end)
			break;
		b->len = (size_t)(d - b->s);
		switch (*p) {
		case '"': PUT(b, "\\\""); break;
		case '\\': PUT(b, "\\\\"); break;
		case '\n': PUT(b, "\\n"); break;
		case '\r': PUT(b, "\\r"); break;
		case '\t': PUT(b, "\\t"); break;
		default: {
			/* what "\\u%04x" prints of a control character */
			char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xF]};

			put(b, u, sizeof(u));
		}
		}
		p++;
		/* an escape may have used the room the rest of the string needs */
		d = room(b, (size_t)(end - p) + 1);
	}
	*d++ = '"';
	*d = '\0';
	b->len = (size_t)(d - b->s);
}

/* k (a constant: the comma before, the quoted name and the colon) and v as a JSON string */
#define KEY_STR(b, k, v) \
	do { \
		PUT(b, k); \
		json_string(b, v); \
	} while (0)

/* k and v as a JSON number */
#define KEY_INT(b, k, v) \
	do { \
		PUT(b, k); \
		put_long(b, v); \
	} while (0)

/* The JSON of s, made by json_string(), kept in st's cache for q. */
static void
quote_into(struct render_state *st, struct quoted *q, const char *s)
{
	q->from = s;
	q->off = st->cache.len;
	json_string(&st->cache, s);
	q->len = st->cache.len - q->off;
}

static inline void
put_quoted(struct buf *b, const struct render_state *st, const struct quoted *q)
{
	put(b, st->cache.s + q->off, q->len);
}

/*
 * k and the name of v (an enum of result.h) as a JSON string: from st's
 * table tab where there is one (json_render()), else made here by name().
 */
#define KEY_NAME(b, k, st, tab, v, name) \
	do { \
		PUT(b, k); \
		if ((st) != NULL && (size_t)(v) < sizeof((st)->tab) / sizeof((st)->tab[0])) \
			put_quoted(b, st, &(st)->tab[v]); \
		else \
			json_string(b, name(v)); \
	} while (0)

/*
 * s, one of a finding's shared texts (its rule id, clause or hint: the
 * pack's, a few hundred bytes, the same in every report), as a JSON
 * string: escaped once and kept by its address.  result_add_finding()'s
 * shared copies stay, each at its own address, until
 * result_shared_free(), which comes after the command (and this state)
 * has ended, so an address stands for one text.
 */
/* The slot of s in st's table of shared texts: where it is, or the empty one where it goes. */
static size_t
shared_slot(const struct render_state *st, const char *s)
{
	size_t mask = st->shared_cap - 1;
	size_t i = (size_t)(((uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15ULL) >> 32) & mask;

	while (st->shared[i].from != NULL && st->shared[i].from != s)
		i = (i + 1) & mask;
	return i;
}

static void
put_shared(struct buf *b, struct render_state *st, const char *s)
{
	struct quoted *q;

	if (s == NULL) {
		PUT(b, "null");
		return;
	}
	if ((st->nshared + 1) * 2 > st->shared_cap) {
		struct quoted *old = st->shared;
		size_t oc = st->shared_cap, j;

		st->shared_cap = oc ? oc * 2 : 256;
		st->shared = xcalloc(st->shared_cap, sizeof(*st->shared));
		for (j = 0; j < oc; j++)
			if (old[j].from != NULL)
				st->shared[shared_slot(st, old[j].from)] = old[j];
		free(old);
	}
	q = &st->shared[shared_slot(st, s)];
	if (q->from == NULL) {
		quote_into(st, q, s);
		st->nshared++;
	}
	put_quoted(b, st, q);
}

/* k and a finding's shared text s (put_shared()), or any text where there is no cache */
#define KEY_SHARED(b, k, st, f, s) \
	do { \
		PUT(b, k); \
		if ((st) != NULL && (f)->shared) \
			put_shared(b, st, s); \
		else \
			json_string(b, s); \
	} while (0)

/* line/column pairs: null when 0 (the whole document) */
static inline void
key_pos(struct buf *b, int line, int column)
{
	PUT(b, ",\"line\":");
	put_pos(b, line);
	PUT(b, ",\"column\":");
	put_pos(b, column);
}

/* Append r as one JSON object to b (no newline, no NUL); st (may be NULL) has the cache. */
static void
json_build(struct buf *b, const struct result *r, struct render_state *st)
{
	const struct meta *m = &r->meta;
	size_t i;

	KEY_STR(b, "{\"file\":", r->file);
	KEY_STR(b, ",\"format\":", r->format);
	KEY_STR(b, ",\"encoding\":", r->encoding);
	if (r->error)
		KEY_STR(b, ",\"error\":", r->error);
	KEY_INT(b, ",\"chars\":", r->chars);
	KEY_STR(b, ",\"meta\":{\"title\":", m->title);
	KEY_STR(b, ",\"unit\":", m->unit);
	if (m->unit_kind)
		KEY_NAME(b, ",\"unit_kind\":", st, unit, m->unit_kind, unit_kind_name);
	else
		PUT(b, ",\"unit_kind\":null");
	KEY_STR(b, ",\"parent\":", m->parent);
	PUT(b, ",\"year\":");
	if (m->year)
		put_long(b, m->year);
	else
		PUT(b, "null");
	KEY_STR(b, ",\"doc_number\":", m->doc_number);
	KEY_STR(b, ",\"addressee\":", m->addressee);
	KEY_STR(b, ",\"signatory\":", m->signatory);
	KEY_STR(b, ",\"date\":", m->date);
	if (m->core_title || m->core_creator || m->core_modified) {
		KEY_STR(b, ",\"core\":{\"title\":", m->core_title);
		KEY_STR(b, ",\"creator\":", m->core_creator);
		KEY_STR(b, ",\"modified\":", m->core_modified);
		PUT(b, "}");
	}
	PUT(b, "}");

	PUT(b, ",\"outline\":[");
	for (i = 0; i < r->noutline; i++) {
		const struct outline_node *o = &r->outline[i];

		if (i)
			PUT(b, ",");
		KEY_INT(b, "{\"level\":", o->level);
		KEY_NAME(b, ",\"kind\":", st, node, o->kind, node_kind_name);
		key_pos(b, o->line, o->column);
		KEY_STR(b, ",\"text\":", o->text);
		KEY_STR(b, ",\"numbering\":", o->numbering);
		KEY_STR(b, ",\"section\":", o->section);
		if (o->run_in)
			PUT(b, ",\"run_in\":true}");
		else
			PUT(b, ",\"run_in\":false}");
	}
	PUT(b, "]");

	PUT(b, ",\"sections\":[");
	for (i = 0; i < r->nsection; i++) {
		const struct section_result *s = &r->sections[i];

		if (i)
			PUT(b, ",");
		KEY_STR(b, "{\"id\":", s->id);
		KEY_STR(b, ",\"name\":", s->name);
		KEY_NAME(b, ",\"status\":", st, status, s->status, section_status_name);
		key_pos(b, s->line, s->column);
		KEY_INT(b, ",\"chars\":", s->chars);
		PUT(b, "}");
	}
	PUT(b, "]");

	PUT(b, ",\"findings\":[");
	for (i = 0; i < r->nfinding; i++) {
		const struct finding *f = &r->findings[i];

		if (i)
			PUT(b, ",");
		KEY_SHARED(b, "{\"rule\":", st, f, f->rule);
		KEY_NAME(b, ",\"severity\":", st, sev, f->severity, severity_name);
		key_pos(b, f->line, f->column);
		KEY_STR(b, ",\"message\":", f->message);
		KEY_STR(b, ",\"excerpt\":", f->excerpt);
		if (f->excerpt && f->mark_off >= 0) {
			KEY_INT(b, ",\"mark\":[", f->mark_off);
			KEY_INT(b, ",", f->mark_len);
			PUT(b, "]");
		}
		KEY_SHARED(b, ",\"source\":", st, f, f->source);
		KEY_SHARED(b, ",\"hint\":", st, f, f->hint);
		PUT(b, "}");
	}
	PUT(b, "]");

	PUT(b, ",\"not_checked\":[");
	for (i = 0; i < r->nunchecked; i++) {
		const struct unchecked *u = &r->unchecked[i];

		if (i)
			PUT(b, ",");
		KEY_STR(b, "{\"rule\":", u->rule);
		KEY_NAME(b, ",\"severity\":", st, sev, u->severity, severity_name);
		KEY_STR(b, ",\"message\":", u->message);
		KEY_STR(b, ",\"reason\":", u->reason);
		PUT(b, ",\"checked\":false}");
	}
	PUT(b, "]");

	PUT(b, ",\"packs\":[");
	for (i = 0; i < r->npack; i++) {
		if (i)
			PUT(b, ",");
		KEY_STR(b, "{\"name\":", r->packs[i].name);
		KEY_STR(b, ",\"version\":", r->packs[i].version);
		PUT(b, "}");
	}
	PUT(b, "]");
	if (r->layout_json) {
		PUT(b, ",\"layout\":");
		put(b, r->layout_json, strlen(r->layout_json));
	}
	KEY_INT(b, ",\"summary\":{\"errors\":", r->summary.errors);
	KEY_INT(b, ",\"warnings\":", r->summary.warnings);
	KEY_INT(b, ",\"infos\":", r->summary.infos);
	KEY_INT(b, ",\"not_checked\":", r->summary.not_checked);
	KEY_NAME(b, ",\"verdict\":", st, verdict, r->summary.verdict, verdict_name);
	PUT(b, "}}");
}

char *
json_result(const struct result *r)
{
	struct buf b;

	buf_init(&b);
	json_build(&b, r, NULL);
	b.s[b.len] = '\0';
	return buf_detach(&b);
}

struct render_state *
json_open(const struct render_opts *o)
{
	struct render_state *st = xcalloc(1, sizeof(*st));
	size_t i;

	st->o = *o;
	buf_init(&st->line);
	/* the names every report has, their JSON made once */
	buf_init(&st->cache);
	for (i = 0; i < NSEV; i++)
		quote_into(st, &st->sev[i], severity_name((enum severity)i));
	for (i = 0; i < NNODE; i++)
		quote_into(st, &st->node[i], node_kind_name((enum node_kind)i));
	for (i = 0; i < NSTATUS; i++)
		quote_into(st, &st->status[i], section_status_name((enum section_status)i));
	for (i = 0; i < NVERDICT; i++)
		quote_into(st, &st->verdict[i], verdict_name((enum verdict)i));
	for (i = 0; i < NUNIT; i++)
		quote_into(st, &st->unit[i], unit_kind_name((enum unit_kind)i));
	return st;
}

void
json_render(struct render_state *st, const struct result *r)
{
	st->line.len = 0;
	json_build(&st->line, r, st);
	PUT(&st->line, "\n");
	fwrite(st->line.s, 1, st->line.len, st->o.fp);
}

void
json_close(struct render_state *st)
{
	buf_release(&st->line);
	buf_release(&st->cache);
	free(st->shared);
	free(st);
}
