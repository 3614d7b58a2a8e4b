/*
 * load_text.c: plain-text reports.
 *
 * The encoding is chosen from the bytes: a UTF-8 BOM, a UTF-16LE/BE BOM,
 * else UTF-8 when the whole file is valid UTF-8, else GB18030.  UTF-8 is
 * validated by hand (most reports are UTF-8); UTF-16 and GB18030 go
 * through iconv.  The decoded text is cut at CRLF, CR and LF into one
 * paragraph per text line, blank lines included, so that paragraph
 * numbers are line numbers of the file.
 *
 * Errors name the byte offset in the original file (err->offset, and in
 * the message as 字节偏移) and, where known, the line and column.  Bytes
 * that are neither UTF-8 nor GB18030 are reported where GB18030 decoding
 * stopped, unless the file is mostly good UTF-8 with a few bad bytes
 * (then at the first bad UTF-8 byte).
 */
#include <errno.h>
#include <iconv.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "utf8.h"
#include "util.h"

/*
 * Length of the valid UTF-8 sequence starting at s[i] (s has n bytes), or
 * 0 when s[i] starts no valid sequence.  NUL counts as valid here.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n, size_t i)
{
	unsigned c = s[i], lo = 0x80, hi = 0xBF;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return i + 1 < n && (s[i + 1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		return i + 2 < n && s[i + 1] >= lo && s[i + 1] <= hi && (s[i + 2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		return i + 3 < n && s[i + 1] >= lo && s[i + 1] <= hi && (s[i + 2] & 0xC0) == 0x80 &&
			(s[i + 3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/*
 * Byte patterns of eight three-byte characters, for three_bytes8().  They
 * are written as bytes and loaded like the text, so the test does not
 * depend on the byte order.
 */
#define BY8(a, b, c) a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a, b, c
static const unsigned char pat_mask[24] = {BY8(0xF0, 0xC0, 0xC0)};
static const unsigned char pat_form[24] = {BY8(0xE0, 0x80, 0x80)};
static const unsigned char pat_nib[24] = {BY8(0x0F, 0x00, 0x00)};
static const unsigned char pat_d[24] = {BY8(0x0D, 0x00, 0x00)};
static const unsigned char pat_add[24] = {BY8(0x7F, 0x80, 0x80)};
#undef BY8

/*
 * The 8 bytes at s + q (q = 0, 8 or 16) tested against the patterns at q:
 * *bad gets the bits that break the form (1110xxxx 10xxxxxx 10xxxxxx);
 * *high keeps the high bit of each byte only if it is no E0 or ED lead.
 * Past the form test a lead's low nibble plus 0x7F has the high bit set
 * unless the nibble is 0 (E0), and so has the nibble ^ 0xD plus 0x7F
 * unless the lead is ED; the other bytes get 0x80.  No byte carries into
 * the next.
 */
static inline void
word_test(const unsigned char *s, size_t q, uint64_t *bad, uint64_t *high)
{
	uint64_t w, m, f, k, d, a, e;

	memcpy(&w, s + q, 8);
	memcpy(&m, pat_mask + q, 8);
	memcpy(&f, pat_form + q, 8);
	memcpy(&k, pat_nib + q, 8);
	memcpy(&d, pat_d + q, 8);
	memcpy(&a, pat_add + q, 8);
	*bad |= (w & m) ^ f;
	e = w & k;
	*high &= (e + a) & ((e ^ d) + a);
}

/*
 * Are s[0..24) eight three-byte characters led by E1-EC or EE-EF, each
 * followed by two continuation bytes (so valid whatever those are)?  The
 * 24 bytes are tested as three 64-bit words, with constant offsets so
 * that the patterns are constants.
 */
static int
three_bytes8(const unsigned char *s)
{
	const uint64_t hibits = 0x8080808080808080ULL;
	uint64_t bad = 0, high = hibits;

	word_test(s, 0, &bad, &high);
	word_test(s, 8, &bad, &high);
	word_test(s, 16, &bad, &high);
	return bad == 0 && high == hibits;
}

#ifdef __SSE2__
/*
 * The same patterns for sixteen characters, three vectors of sixteen
 * bytes: pat_non16 has 0x10 where pat_nib16 has no nibble to take, so
 * that only a lead's nibble can be 0 or 0xD.
 */
#define BY16(a, b, c) BY8(a, b, c), BY8(a, b, c)
#define BY8(a, b, c) a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a, b, c
static const unsigned char pat_mask16[48] = {BY16(0xF0, 0xC0, 0xC0)};
static const unsigned char pat_form16[48] = {BY16(0xE0, 0x80, 0x80)};
static const unsigned char pat_nib16[48] = {BY16(0x0F, 0x00, 0x00)};
static const unsigned char pat_non16[48] = {BY16(0x00, 0x10, 0x10)};
#undef BY8
#undef BY16

/* The bytes of the 16 at s + q (q = 0, 16 or 32) that pass three_bytes8()'s tests. */
static inline __m128i
vec_test(const unsigned char *s, size_t q)
{
	const __m128i v = _mm_loadu_si128((const __m128i *)(s + q));
	const __m128i nib = _mm_or_si128(_mm_and_si128(v,
	    _mm_loadu_si128((const __m128i *)(pat_nib16 + q))),
	    _mm_loadu_si128((const __m128i *)(pat_non16 + q)));
	const __m128i form = _mm_cmpeq_epi8(_mm_and_si128(v,
	    _mm_loadu_si128((const __m128i *)(pat_mask16 + q))),
	    _mm_loadu_si128((const __m128i *)(pat_form16 + q)));

	return _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(nib, _mm_setzero_si128()),
	    _mm_cmpeq_epi8(nib, _mm_set1_epi8(0x0D))), form);
}

/*
 * The bytes of s[0..48) that pass three_bytes8()'s tests, as bits: all 48
 * when they are sixteen such characters, else the first character that
 * is none has a byte whose bit is clear (and those before it have none).
 */
static inline uint64_t
three_bytes16(const unsigned char *s)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(vec_test(s, 0)) |
	    (uint64_t)(unsigned)_mm_movemask_epi8(vec_test(s, 16)) << 16 |
	    (uint64_t)(unsigned)_mm_movemask_epi8(vec_test(s, 32)) << 32;
}
#endif

/*
 * Offset of the first byte of s[0..n) that is NUL or starts an invalid
 * UTF-8 sequence, or n when there is none.  Runs of ASCII are checked
 * eight bytes at a time, runs of Chinese characters sixteen (SSE2) or
 * eight characters at a time.
 */
static size_t
utf8_scan(const unsigned char *s, size_t n)
{
	const uint64_t hibits = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
	size_t i = 0, k;
	uint64_t v;

	while (i < n) {
		if (i + 8 <= n) {
			memcpy(&v, s + i, 8);
			if (((v | ((v - ones) & ~v)) & hibits) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] == 0)
			return i;
		/* the common case, a run of three-byte characters whose second byte may be any continuation */
		if (s[i] - 0xE1u <= 0x0E && s[i] != 0xED) {
			size_t j = i;

#ifdef __SSE2__
			/* sixteen a step, then the whole characters before the first that is none */
			while (j + 48 <= n) {
				uint64_t m = three_bytes16(s + j);

				if (m == 0xFFFFFFFFFFFFULL) {
					j += 48;
					continue;
				}
				j += (size_t)__builtin_ctzll(~m) / 3 * 3;
				break;
			}
#endif
			while (j + 24 <= n && three_bytes8(s + j))
				j += 24;
			while (j + 2 < n && s[j] - 0xE1u <= 0x0E && s[j] != 0xED &&
			    ((s[j + 1] ^ 0x80) | (s[j + 2] ^ 0x80)) < 0x40)
				j += 3;
			if (j > i) {
				i = j;
				continue;
			}
		}
		k = utf8_seq(s, n, i);
		if (k == 0)
			return i;
		i += k;
	}
	return n;
}

/*
 * Is s[0..n), which is not valid UTF-8, damaged UTF-8 rather than text in
 * another encoding?  GB18030 Chinese text breaks UTF-8 at nearly every
 * character; UTF-8 with a few stray bytes has many good multi-byte
 * sequences for each bad byte.
 */
static int
damaged_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, good = 0, bad = 0;

	while (i < n) {
		k = utf8_seq(s, n, i);
		if (k == 0) {
			bad++;
			i++;
		} else {
			good += k > 1;
			i += k;
		}
	}
	return good >= 4 && good >= 4 * bad;
}

/* Line and column (1-based, column in code points) of the end of the valid UTF-8 s[0..n). */
static void
text_pos(const char *s, size_t n, long *line, long *col)
{
	size_t i, start = 0;

	*line = 1;
	for (i = 0; i < n; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n'))) {
			(*line)++;
			start = i + 1;
		}
	}
	*col = (long)utf8_count(s + start, n - start) + 1;
}

/* Fill err with a message at byte offset off; s[0..pn) is the decoded text before it. */
static int
error_off(struct error *err, size_t off, const char *s, size_t pn, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int
error_off(struct error *err, size_t off, const char *s, size_t pn, const char *fmt, ...)
{
	va_list ap;

	error_clear(err);
	if (s != NULL)
		text_pos(s, pn, &err->line, &err->column);
	err->offset = (long)off;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* NUL in a file that is not UTF-16; a hint when it looks like UTF-16 without a BOM. */
static int
error_nul(struct error *err, const unsigned char *u, size_t n, size_t off, const char *s, size_t pn)
{
	size_t i, even = 0, odd = 0, lim = n < 4096 ? n : 4096;

	for (i = 0; i < lim; i++)
		if (u[i] == 0 && i % 2)
			odd++;
		else if (u[i] == 0)
			even++;
	if (lim >= 4 && (even * 4 >= lim || odd * 4 >= lim))
		return error_off(err, off, s, pn,
		    "字节偏移 %zu 处有 NUL 字符，不是纯文本文件（像是不带 BOM 的 UTF-16 文本，请另存为 UTF-8）",
		    off);
	return error_off(err, off, s, pn, "字节偏移 %zu 处有 NUL 字符，不是纯文本文件", off);
}

/*
 * Decode in[0..n) from charset cs into a new UTF-8 string (*out, *outlen).
 * On failure *bad is the offset in `in` where decoding stopped, *outlen
 * the length of what was decoded before it, and the result is EILSEQ
 * (invalid input) or EINVAL (truncated input); else 0.
 */
static int
decode_iconv(const char *cs, const char *in, size_t n, char **out, size_t *outlen, size_t *bad)
{
	iconv_t cd;
	char *ip = (char *)in, *op;
	size_t il = n, ol, cap = n + n / 2 + 16, r;
	int e = 0;

	cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1) {
		*out = NULL;
		*outlen = 0;
		*bad = 0;
		return ENOSYS;
	}
	*out = xmalloc(cap + 1);
	op = *out;
	ol = cap;
	for (;;) {
		r = iconv(cd, &ip, &il, &op, &ol);
		if (r != (size_t)-1) {
			r = iconv(cd, NULL, NULL, &op, &ol);
			if (r != (size_t)-1)
				break;
		}
		if (errno == E2BIG) {
			size_t used = (size_t)(op - *out);

			cap *= 2;
			*out = xrealloc(*out, cap + 1);
			op = *out + used;
			ol = cap - used;
			continue;
		}
		e = errno == EINVAL ? EINVAL : EILSEQ;
		break;
	}
	iconv_close(cd);
	*outlen = (size_t)(op - *out);
	(*out)[*outlen] = '\0';
	*bad = (size_t)(ip - in);
	return e;
}

/* Is s[0..n) nothing but white space (ASCII, U+3000, NBSP, other spaces, BOM)? */
static int
all_space(const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || (c >= '\t' && c <= '\r')) {
			i++;
			continue;
		}
		if (c < 0x80)
			return 0;
		cp = utf8_decode(s + i, n - i, &k);
		if (!(cp == 0xA0 || cp == 0x3000 || cp == 0xFEFF || cp == 0x1680 || cp == 0x202F ||
			cp == 0x205F || cp == 0x2060 || (cp >= 0x2000 && cp <= 0x200D)))
			return 0;
		i += k;
	}
	return 1;
}

/*
 * Cut the UTF-8 text s[0..n) into paragraphs at CRLF, CR and LF.  A final
 * line without a line end counts; a line end at the very end opens no
 * further line.
 */
static void
split_lines(struct doc *d, const char *s, size_t n)
{
	size_t i = 0, start;
	int line = 1;

	xgrow(&d->text, &d->textcap, n + 2, 1);
	xgrow(&d->paras, &d->paracap, n / 40 + 16, sizeof(*d->paras));
	d->text[d->len] = '\0';
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i), *cr;

		start = i;
		i = nl ? (size_t)(nl - s) : n;
		if ((cr = memchr(s + start, '\r', i - start)) != NULL)
			i = (size_t)(cr - s);
		doc_add_para(d, s + start, i - start, line++);
		if (i < n && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		if (i < n)
			i++;
	}
}

int
load_text_mem(const char *name, const char *data, size_t n, struct doc *d, struct error *err)
{
	const unsigned char *u = (const unsigned char *)data;
	char *dec = NULL;
	const char *text;
	size_t tlen, off, bom = 0, declen = 0, bad = 0, i;
	int rc, e;

	error_clear(err);
	d->format = DOCFMT_TXT;
	if (d->path == NULL && name != NULL)
		d->path = xstrdup(name);
	if (n == 0)
		return error_set(err, "文件为空");

	if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		const char *cs = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";

		d->encoding = cs;
		for (i = 2; i + 1 < n; i += 2)
			if (u[i] == 0 && u[i + 1] == 0)
				break;
		e = decode_iconv(cs, data + 2, i - 2, &dec, &declen, &bad);
		if (e == 0 && i + 1 < n)
			rc = error_off(err, i, dec, declen, "字节偏移 %zu 处有 NUL 字符，不是纯文本文件", i);
		else if (e == 0 && i < n)
			rc = error_off(err, i, dec, declen, "%s 文本在字节偏移 %zu 处被截断（字节数为奇数）",
			    cs, i);
		else if (e == EINVAL)
			rc = error_off(err, 2 + bad, dec, declen, "%s 文本在字节偏移 %zu 处被截断", cs,
			    2 + bad);
		else if (e != 0)
			rc = error_off(err, 2 + bad, dec, declen, "字节偏移 %zu 处不是有效的 %s 编码",
			    2 + bad, cs);
		else
			rc = 0;
		if (rc == -1) {
			free(dec);
			return -1;
		}
		text = dec;
		tlen = declen;
	} else {
		if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
			bom = 3;
		off = bom + utf8_scan(u + bom, n - bom);
		if (off == n) {
			d->encoding = bom ? "UTF-8 (BOM)" : "UTF-8";
			text = data + bom;
			tlen = n - bom;
		} else if (u[off] == 0) {
			return error_nul(err, u, n, off, data + bom, off - bom);
		} else if (bom) {
			return error_off(err, off, data + bom, off - bom,
			    "字节偏移 %zu 处不是有效的 UTF-8 编码（字节 0x%02X；文件以 UTF-8 BOM 开头）", off,
			    u[off]);
		} else if (damaged_utf8(u, n)) {
			return error_off(err, off, data, off,
			    "字节偏移 %zu 处不是有效的 UTF-8 编码（字节 0x%02X）", off, u[off]);
		} else {
			const unsigned char *z = memchr(u, 0, n);

			if (z != NULL) {
				/* GB18030 leaves ASCII alone: decode the text before the NUL for its position. */
				decode_iconv("GB18030", data, (size_t)(z - u), &dec, &declen, &bad);
				rc = error_nul(err, u, n, (size_t)(z - u), dec, declen);
				free(dec);
				return rc;
			}
			e = decode_iconv("GB18030", data, n, &dec, &declen, &bad);
			if (e != 0) {
				/* Mostly not UTF-8, so most likely GB18030 broken at bad. */
				error_off(err, bad, dec, declen,
				    "无法识别文件编码：不是 UTF-8（字节偏移 %zu 起），按 GB18030 解码在字节偏移 %zu 处出错（字节 0x%02X）",
				    off, bad, bad < n ? u[bad] : 0);
				free(dec);
				return -1;
			}
			d->encoding = "GB18030";
			text = dec;
			tlen = declen;
		}
	}

	if (all_space(text, tlen)) {
		free(dec);
		return error_set(err, tlen == 0 ? "文件为空" : "文件为空（只有空白字符）");
	}
	split_lines(d, text, tlen);
	free(dec);
	return 0;
}
