/* layout_json.c: the layout facts of a .docx as JSON (layout.h). */
#include "layout.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

static void
json_str(struct buf *b, const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*p);
		} else if (*p < 0x20) {
			buf_printf(b, "\\u%04x", *p);
		} else {
			buf_addc(b, (char)*p);
		}
	}
	buf_addc(b, '"');
}

/*
 * A number with at most two decimals (one for mm), without trailing zeros,
 * as printf's fmt ("%.2f", "%.1f") writes it with the zeros cut.  When x
 * times scale (100, 10) is a whole number N, printf writes N / scale (x
 * is nowhere near a rounding boundary), so that is written by hand; other
 * values go through printf.
 */
static void
json_numf(struct buf *b, double x, const char *fmt, long scale)
{
	char tmp[64];
	size_t k;
	double y = x * (double)scale;

	if (y > -1e15 && y < 1e15 && (double)(long long)y == y) {
		long long n = (long long)y;
		unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
		unsigned long long f = u % (unsigned long long)scale;

		if (n < 0)
			buf_addc(b, '-');
		buf_addlong(b, (long)(u / (unsigned long long)scale));
		if (f != 0) {
			buf_addc(b, '.');
			if (scale == 100) {
				buf_addc(b, (char)('0' + f / 10));
				if (f % 10)
					buf_addc(b, (char)('0' + f % 10));
			} else {
				buf_addc(b, (char)('0' + f));
			}
		}
		return;
	}
	snprintf(tmp, sizeof(tmp), fmt, x);
	k = strlen(tmp);
	while (k > 0 && tmp[k - 1] == '0')
		tmp[--k] = '\0';
	if (k > 0 && tmp[k - 1] == '.')
		tmp[--k] = '\0';
	if (strcmp(tmp, "-0") == 0)
		strcpy(tmp, "0");
	buf_adds(b, tmp);
}

static void
json_num(struct buf *b, double x)
{
	json_numf(b, x, "%.2f", 100);
}

static void
json_mm(struct buf *b, double x)
{
	json_numf(b, x, "%.1f", 10);
}

static const char *
align_name(enum para_align a)
{
	switch (a) {
	case ALIGN_LEFT:
		return "left";
	case ALIGN_CENTER:
		return "center";
	case ALIGN_RIGHT:
		return "right";
	case ALIGN_BOTH:
		return "both";
	default:
		return NULL;
	}
}

char *
layout_to_json(const struct doc *d)
{
	const struct page_layout *pg = &d->page;
	const struct para *p;
	struct buf b;
	size_t i;
	int first = 1;

	if (d->format != DOCFMT_DOCX)
		return NULL;
	buf_init(&b);
	buf_adds(&b, "{\"page\":");
	if (pg->have) {
		buf_adds(&b, "{\"width_mm\":");
		json_mm(&b, pg->width);
		buf_adds(&b, ",\"height_mm\":");
		json_mm(&b, pg->height);
		buf_adds(&b, ",\"top_mm\":");
		json_mm(&b, pg->top);
		buf_adds(&b, ",\"bottom_mm\":");
		json_mm(&b, pg->bottom);
		buf_adds(&b, ",\"left_mm\":");
		json_mm(&b, pg->left);
		buf_adds(&b, ",\"right_mm\":");
		json_mm(&b, pg->right);
		buf_printf(&b, ",\"lines_per_page\":%d,\"chars_per_line\":%d}", pg->lines_per_page,
			pg->chars_per_line);
	} else {
		buf_adds(&b, "null");
	}
	buf_adds(&b, ",\"paragraphs\":[");
	for (i = 0; i < d->npara; i++) {
		p = &d->paras[i];
		if (p->len == 0)
			continue;
		buf_adds(&b, first ? "{\"line\":" : ",{\"line\":");
		buf_addlong(&b, p->line);
		buf_adds(&b, ",\"font\":");
		first = 0;
		json_str(&b, p->lay.font);
		buf_adds(&b, ",\"size_pt\":");
		json_num(&b, p->lay.size_pt);
		buf_adds(&b, p->lay.bold < 0 ? ",\"bold\":null,\"align\":"
			: p->lay.bold ? ",\"bold\":true,\"align\":" : ",\"bold\":false,\"align\":");
		json_str(&b, align_name(p->lay.align));
		buf_adds(&b, ",\"line_pt\":");
		json_num(&b, p->lay.line_pt);
		buf_adds(&b, ",\"line_mult\":");
		json_num(&b, p->lay.line_mult);
		buf_adds(&b, ",\"indent_chars\":");
		json_num(&b, p->lay.indent_chars);
		buf_adds(&b, ",\"outline_lvl\":");
		buf_addlong(&b, p->outline_lvl);
		buf_adds(&b, p->flags & PARA_TABLE ? ",\"table\":true" : ",\"table\":false");
		buf_adds(&b, p->flags & PARA_TEXTBOX ? ",\"textbox\":true" : ",\"textbox\":false");
		buf_adds(&b, p->flags & PARA_AUTONUM ? ",\"autonum\":true" : ",\"autonum\":false");
		if (p->lay.nspans > 1) {
			size_t k;

			buf_adds(&b, ",\"runs\":[");
			for (k = 0; k < p->lay.nspans; k++) {
				const struct run_span *r = &p->lay.spans[k];

				buf_printf(&b, "%s{\"char\":%zu,\"font\":", k ? "," : "",
					utf8_count(d->text + p->off, r->off < p->len ? r->off : p->len));
				json_str(&b, r->font);
				buf_adds(&b, ",\"size_pt\":");
				json_num(&b, r->size_pt);
				buf_printf(&b, ",\"bold\":%s}", r->bold ? "true" : "false");
			}
			buf_addc(&b, ']');
		}
		buf_addc(&b, '}');
	}
	buf_adds(&b, "]}");
	return buf_detach(&b);
}
