/*
 * pdf_wrap.c: greedy line breaking for Chinese text (libharu's text box
 * cannot break Chinese).  A break is allowed before a character unless it
 * is closing punctuation (may not start a line), the previous character is
 * opening punctuation (may not end a line), or both belong to one Latin
 * word or number.  When a line overflows it breaks at the last allowed
 * point; only a run with no allowed point at all is cut by force.
 */
#include <stdint.h>
#include <stdlib.h>

#include "pdf_font.h"
#include "pdf_wrap.h"
#include "utf8.h"
#include "util.h"

int
pdf_wrap_class(unsigned long cp)
{
	switch (cp) {
	case 0x3002: /* 。 */
	case 0xFF0C: /* ， */
	case 0x3001: /* 、 */
	case 0xFF1B: /* ； */
	case 0xFF1A: /* ： */
	case 0xFF09: /* ） */
	case 0x300D: /* 」 */
	case 0x300F: /* 』 */
	case 0x300B: /* 》 */
	case 0x3009: /* 〉 */
	case 0x3011: /* 】 */
	case 0x3015: /* 〕 */
	case 0xFF1F: /* ？ */
	case 0xFF01: /* ！ */
	case 0x201D: /* ” */
	case 0x2019: /* ’ */
	case 0x2026: /* … */
	case 0x00B7: /* · */
	case 0x30FB: /* ・ */
	case ')': case ',': case '.': case ';': case ':': case '?': case '!': case ']':
	case '%':
		return 1;
	case 0xFF08: /* （ */
	case 0x300C: /* 「 */
	case 0x300E: /* 『 */
	case 0x300A: /* 《 */
	case 0x3008: /* 〈 */
	case 0x3010: /* 【 */
	case 0x3014: /* 〔 */
	case 0x201C: /* “ */
	case 0x2018: /* ‘ */
	case '(': case '[':
		return 2;
	default:
		return 0;
	}
}

/* Part of a Latin word or number that should not be split. */
static int
is_word(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
	    cp == '.' || cp == '-' || cp == '_' || cp == '/' || cp == '@' || (cp >= 0xC0 && cp < 0x2000);
}

double
pdf_text_width(const struct pdf_font *f, double size, const char *s, size_t n)
{
	double w = 0;
	size_t i = 0, l;

	while (i < n) {
		uint32_t cp = utf8_decode(s + i, n - i, &l);

		w += pdf_font_advance(f, cp, size);
		i += l;
	}
	return w;
}

static void
add_line(struct wrap_line **lines, size_t *nl, size_t *cap, const char *s, size_t off, size_t end,
	const struct pdf_font *f, double size)
{
	struct wrap_line *ln;

	/* Drop spaces at both ends of a wrapped line. */
	while (end > off && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	xgrow(lines, cap, *nl + 1, sizeof(**lines));
	ln = &(*lines)[(*nl)++];
	ln->off = off;
	ln->len = end - off;
	ln->width = pdf_text_width(f, size, s + off, end - off);
}

size_t
pdf_wrap(const struct pdf_font *f, double size, const char *s, size_t n, double width,
	struct wrap_line **lines)
{
	size_t nl = 0, cap = 0;
	size_t start = 0, i = 0, brk = 0, l;
	double w = 0, wbrk = 0;
	uint32_t prev = 0;
	int have_brk = 0;

	*lines = NULL;
	while (i < n) {
		uint32_t cp = utf8_decode(s + i, n - i, &l);
		double adv;

		if (cp == '\n') {
			add_line(lines, &nl, &cap, s, start, i, f, size);
			i += l;
			start = i;
			w = 0;
			have_brk = 0;
			prev = 0;
			continue;
		}
		if (i > start && (cp == ' ' || !(pdf_wrap_class(cp) == 1 ||
		    pdf_wrap_class(prev) == 2 || (is_word(cp) && is_word(prev))))) {
			brk = i;
			wbrk = w;
			have_brk = 1;
		}
		adv = pdf_font_advance(f, cp, size);
		if (w + adv > width + 0.01 && i > start && cp != ' ') {
			size_t at = have_brk && brk > start ? brk : i;

			add_line(lines, &nl, &cap, s, start, at, f, size);
			w = at == i ? 0 : w - wbrk;
			start = at;
			/* A line never starts with spaces. */
			while (start < n && s[start] == ' ') {
				w -= pdf_font_advance(f, ' ', size);
				start++;
			}
			if (w < 0)
				w = 0;
			have_brk = 0;
			if (start > i) {
				i = start;
				prev = 0;
			}
			/* Look at cp again on the new line. */
			continue;
		}
		w += adv;
		prev = cp;
		i += l;
	}
	if (start < n || nl == 0)
		add_line(lines, &nl, &cap, s, start, n, f, size);
	return nl;
}
