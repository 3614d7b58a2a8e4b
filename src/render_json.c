/* render_json.c: one JSON object per report, one per line (also the test format). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "render.h"
#include "util.h"

struct render_state {
	struct render_opts o;
	struct buf line;    /* a report's line, its room kept from one report to the next */
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

/* a line or column: null when 0 (the whole document) */
static void
put_pos(struct buf *b, long v)
{
	if (v > 0)
		buf_addlong(b, v);
	else
		PUT(b, "null");
}

/*
 * Copies the run of bytes at the start of s[0..n) that need no escape (no
 * control character, '"' or '\\') to d and returns its length.  Sixteen
 * bytes are tested at a time where SSE2 is there (every x86-64), eight
 * elsewhere.  A block is stored before it is tested and a string's last
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

	for (; i + 8 <= n; i += 8) {
		uint64_t v, q, bs;

		memcpy(&v, s + i, 8);
		q = v ^ (ones * '"');
		bs = v ^ (ones * '\\');
		if ((((v - ones * 0x20) & ~v) | ((q - ones) & ~q) | ((bs - ones) & ~bs)) & high)
			break;
		memcpy(d + i, &v, 8);
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
		buf_addlong(b, v); \
	} while (0)

/* line/column pairs: null when 0 (the whole document) */
static void
key_pos(struct buf *b, int line, int column)
{
	PUT(b, ",\"line\":");
	put_pos(b, line);
	PUT(b, ",\"column\":");
	put_pos(b, column);
}

/* Append r as one JSON object to b (no newline, no NUL). */
static void
json_build(struct buf *b, const struct result *r)
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
	KEY_STR(b, ",\"unit_kind\":", m->unit_kind ? unit_kind_name(m->unit_kind) : NULL);
	KEY_STR(b, ",\"parent\":", m->parent);
	PUT(b, ",\"year\":");
	if (m->year)
		buf_addlong(b, m->year);
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
		KEY_STR(b, ",\"kind\":", node_kind_name(o->kind));
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
		KEY_STR(b, ",\"status\":", section_status_name(s->status));
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
		KEY_STR(b, "{\"rule\":", f->rule);
		KEY_STR(b, ",\"severity\":", severity_name(f->severity));
		key_pos(b, f->line, f->column);
		KEY_STR(b, ",\"message\":", f->message);
		KEY_STR(b, ",\"excerpt\":", f->excerpt);
		if (f->excerpt && f->mark_off >= 0) {
			KEY_INT(b, ",\"mark\":[", f->mark_off);
			KEY_INT(b, ",", f->mark_len);
			PUT(b, "]");
		}
		KEY_STR(b, ",\"source\":", f->source);
		KEY_STR(b, ",\"hint\":", f->hint);
		PUT(b, "}");
	}
	PUT(b, "]");

	PUT(b, ",\"not_checked\":[");
	for (i = 0; i < r->nunchecked; i++) {
		const struct unchecked *u = &r->unchecked[i];

		if (i)
			PUT(b, ",");
		KEY_STR(b, "{\"rule\":", u->rule);
		KEY_STR(b, ",\"severity\":", severity_name(u->severity));
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
	KEY_STR(b, ",\"verdict\":", verdict_name(r->summary.verdict));
	PUT(b, "}}");
}

char *
json_result(const struct result *r)
{
	struct buf b;

	buf_init(&b);
	json_build(&b, r);
	b.s[b.len] = '\0';
	return buf_detach(&b);
}

struct render_state *
json_open(const struct render_opts *o)
{
	struct render_state *st = xcalloc(1, sizeof(*st));

	st->o = *o;
	buf_init(&st->line);
	return st;
}

void
json_render(struct render_state *st, const struct result *r)
{
	st->line.len = 0;
	json_build(&st->line, r);
	PUT(&st->line, "\n");
	fwrite(st->line.s, 1, st->line.len, st->o.fp);
}

void
json_close(struct render_state *st)
{
	buf_release(&st->line);
	free(st);
}
