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
};

/*
 * Length of the run of bytes at s[0..n) that need no escape.  Eight bytes
 * at a time while none of them is a control character, '"' or '\\' (the
 * tests for a byte below 0x20 or equal to zero are exact about whether
 * there is one).
 */
static size_t
plain_run(const unsigned char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	size_t i = 0;

#ifdef __SSE2__
	/* sixteen at a time where SSE2 is there (every x86-64) */
	{
		const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
		const __m128i ctl = _mm_set1_epi8(0x1F);

		for (; i + 16 <= n; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			/* a byte at most 0x1F is its own maximum with 0x1F */
			__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
			    _mm_cmpeq_epi8(v, bslash)), _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl));

			if (_mm_movemask_epi8(bad) != 0)
				break;
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
	}
	while (i < n && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

void
json_string(struct buf *b, const char *s)
{
	const unsigned char *p, *end;
	size_t n;

	if (s == NULL) {
		buf_adds(b, "null");
		return;
	}
	n = strlen(s);
	/* room for the string and its quotes: one that needs no escape never grows the buffer again */
	if (b->len + n + 3 > b->cap)
		xgrow(&b->s, &b->cap, b->len + n + 3, 1);
	b->s[b->len++] = '"';
	end = (const unsigned char *)s + n;
	for (p = (const unsigned char *)s; p < end; p++) {
		/* the run of bytes that need no escape, copied at once */
		size_t r = plain_run(p, (size_t)(end - p));

		if (r > 0) {
			memcpy(b->s + b->len, p, r);
			b->len += r;
			p += r;
			if (p == end)
				break;
		}
		switch (*p) {
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		default:
			if (*p < 0x20)
				buf_printf(b, "\\u%04x", *p);
			else
				buf_addc(b, (char)*p);
		}
		/* an escape may have used the room the rest of the string needs */
		xgrow(&b->s, &b->cap, b->len + (size_t)(end - p) + 2, 1);
	}
	b->s[b->len++] = '"';
	b->s[b->len] = '\0';
}

/* "k": after a comma unless first (keys are plain ASCII names: no escapes). */
static void
key(struct buf *b, const char *k, int first)
{
	size_t n = strlen(k);
	char *d;

	if (b->len + n + 5 > b->cap)
		xgrow(&b->s, &b->cap, b->len + n + 5, 1);
	d = b->s + b->len;
	if (!first)
		*d++ = ',';
	*d++ = '"';
	memcpy(d, k, n);
	d += n;
	*d++ = '"';
	*d++ = ':';
	*d = '\0';
	b->len = (size_t)(d - b->s);
}

static void
key_str(struct buf *b, const char *k, const char *v, int first)
{
	key(b, k, first);
	json_string(b, v);
}

static void
key_int(struct buf *b, const char *k, long v, int first)
{
	key(b, k, first);
	buf_addlong(b, v);
}

/* line/column pairs: null when 0 (the whole document) */
static void
key_pos(struct buf *b, int line, int column)
{
	key(b, "line", 0);
	if (line > 0)
		buf_addlong(b, line);
	else
		buf_adds(b, "null");
	key(b, "column", 0);
	if (column > 0)
		buf_addlong(b, column);
	else
		buf_adds(b, "null");
}

char *
json_result(const struct result *r)
{
	const struct meta *m = &r->meta;
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_addc(&b, '{');
	key_str(&b, "file", r->file, 1);
	key_str(&b, "format", r->format, 0);
	key_str(&b, "encoding", r->encoding, 0);
	if (r->error)
		key_str(&b, "error", r->error, 0);
	key_int(&b, "chars", r->chars, 0);
	key(&b, "meta", 0);
	buf_addc(&b, '{');
	key_str(&b, "title", m->title, 1);
	key_str(&b, "unit", m->unit, 0);
	key_str(&b, "unit_kind", m->unit_kind ? unit_kind_name(m->unit_kind) : NULL, 0);
	key_str(&b, "parent", m->parent, 0);
	key(&b, "year", 0);
	if (m->year)
		buf_addlong(&b, m->year);
	else
		buf_adds(&b, "null");
	key_str(&b, "doc_number", m->doc_number, 0);
	key_str(&b, "addressee", m->addressee, 0);
	key_str(&b, "signatory", m->signatory, 0);
	key_str(&b, "date", m->date, 0);
	if (m->core_title || m->core_creator || m->core_modified) {
		key(&b, "core", 0);
		buf_addc(&b, '{');
		key_str(&b, "title", m->core_title, 1);
		key_str(&b, "creator", m->core_creator, 0);
		key_str(&b, "modified", m->core_modified, 0);
		buf_addc(&b, '}');
	}
	buf_addc(&b, '}');

	key(&b, "outline", 0);
	buf_addc(&b, '[');
	for (i = 0; i < r->noutline; i++) {
		const struct outline_node *o = &r->outline[i];

		if (i)
			buf_addc(&b, ',');
		buf_addc(&b, '{');
		key_int(&b, "level", o->level, 1);
		key_str(&b, "kind", node_kind_name(o->kind), 0);
		key_pos(&b, o->line, o->column);
		key_str(&b, "text", o->text, 0);
		key_str(&b, "numbering", o->numbering, 0);
		key_str(&b, "section", o->section, 0);
		key(&b, "run_in", 0);
		buf_adds(&b, o->run_in ? "true" : "false");
		buf_addc(&b, '}');
	}
	buf_addc(&b, ']');

	key(&b, "sections", 0);
	buf_addc(&b, '[');
	for (i = 0; i < r->nsection; i++) {
		const struct section_result *s = &r->sections[i];

		if (i)
			buf_addc(&b, ',');
		buf_addc(&b, '{');
		key_str(&b, "id", s->id, 1);
		key_str(&b, "name", s->name, 0);
		key_str(&b, "status", section_status_name(s->status), 0);
		key_pos(&b, s->line, s->column);
		key_int(&b, "chars", s->chars, 0);
		buf_addc(&b, '}');
	}
	buf_addc(&b, ']');

	key(&b, "findings", 0);
	buf_addc(&b, '[');
	for (i = 0; i < r->nfinding; i++) {
		const struct finding *f = &r->findings[i];

		if (i)
			buf_addc(&b, ',');
		buf_addc(&b, '{');
		key_str(&b, "rule", f->rule, 1);
		key_str(&b, "severity", severity_name(f->severity), 0);
		key_pos(&b, f->line, f->column);
		key_str(&b, "message", f->message, 0);
		key_str(&b, "excerpt", f->excerpt, 0);
		if (f->excerpt && f->mark_off >= 0) {
			buf_adds(&b, ",\"mark\":[");
			buf_addlong(&b, f->mark_off);
			buf_addc(&b, ',');
			buf_addlong(&b, f->mark_len);
			buf_addc(&b, ']');
		}
		key_str(&b, "source", f->source, 0);
		key_str(&b, "hint", f->hint, 0);
		buf_addc(&b, '}');
	}
	buf_addc(&b, ']');

	key(&b, "not_checked", 0);
	buf_addc(&b, '[');
	for (i = 0; i < r->nunchecked; i++) {
		const struct unchecked *u = &r->unchecked[i];

		if (i)
			buf_addc(&b, ',');
		buf_addc(&b, '{');
		key_str(&b, "rule", u->rule, 1);
		key_str(&b, "severity", severity_name(u->severity), 0);
		key_str(&b, "message", u->message, 0);
		key_str(&b, "reason", u->reason, 0);
		buf_adds(&b, ",\"checked\":false}");
	}
	buf_addc(&b, ']');

	key(&b, "packs", 0);
	buf_addc(&b, '[');
	for (i = 0; i < r->npack; i++) {
		if (i)
			buf_addc(&b, ',');
		buf_addc(&b, '{');
		key_str(&b, "name", r->packs[i].name, 1);
		key_str(&b, "version", r->packs[i].version, 0);
		buf_addc(&b, '}');
	}
	buf_addc(&b, ']');
	if (r->layout_json) {
		key(&b, "layout", 0);
		buf_adds(&b, r->layout_json);
	}
	key(&b, "summary", 0);
	buf_addc(&b, '{');
	key_int(&b, "errors", r->summary.errors, 1);
	key_int(&b, "warnings", r->summary.warnings, 0);
	key_int(&b, "infos", r->summary.infos, 0);
	key_int(&b, "not_checked", r->summary.not_checked, 0);
	key_str(&b, "verdict", verdict_name(r->summary.verdict), 0);
	buf_adds(&b, "}}");
	return buf_detach(&b);
}

struct render_state *
json_open(const struct render_opts *o)
{
	struct render_state *st = xcalloc(1, sizeof(*st));

	st->o = *o;
	return st;
}

void
json_render(struct render_state *st, const struct result *r)
{
	char *s = json_result(r);

	fputs(s, st->o.fp);
	fputc('\n', st->o.fp);
	free(s);
}

void
json_close(struct render_state *st)
{
	free(st);
}
