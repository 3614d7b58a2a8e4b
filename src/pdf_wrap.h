/*
 * pdf_wrap.h: line breaking of Chinese text for the PDF sheets.  Breaks
 * between any two ideographs, keeps Latin words and numbers whole, and
 * follows 禁则: 。，、；：）」』》？！ never start a line, （「『《 never end one.
 */
#ifndef FZ_PDF_WRAP_H
#define FZ_PDF_WRAP_H

#include <stddef.h>

struct pdf_font;

/* One output line: bytes [off, off+len) of the input, and its width. */
struct wrap_line {
	size_t off, len;
	double width;
};

/*
 * Break s[0..n) into lines at most width points wide at the given size
 * ('\n' forces a break; spaces at a break are dropped).  A word wider than
 * the line is cut.  Returns the number of lines (at least 1) and an array
 * in *lines that the caller frees.
 */
size_t pdf_wrap(const struct pdf_font *f, double size, const char *s, size_t n, double width,
	struct wrap_line **lines);

/* Width of s[0..n) in points at size. */
double pdf_text_width(const struct pdf_font *f, double size, const char *s, size_t n);

/* 1 if cp may not start a line (closing punctuation), 2 if it may not end one. */
int pdf_wrap_class(unsigned long cp);

#endif
