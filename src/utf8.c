/* utf8.c: UTF-8 decoding helpers. */
#include "utf8.h"

#include <string.h>

uint32_t
utf8_decode_any(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp, min;
	size_t k, i;

	if (n == 0) {
		*len = 0;
		return 0;
	}
	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	/* the common case, a valid three-byte character (all of Chinese) */
	if ((u[0] & 0xF0) == 0xE0 && n >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
		if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
			*len = 3;
			return cp;
		}
	}
	if ((u[0] & 0xE0) == 0xC0) {
		k = 2;
		cp = u[0] & 0x1F;
		min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		k = 3;
		cp = u[0] & 0x0F;
		min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		k = 4;
		cp = u[0] & 0x07;
		min = 0x10000;
	} else {
		*len = 1;
		return 0xFFFD;
	}
	if (k > n) {
		*len = 1;
		return 0xFFFD;
	}
	for (i = 1; i < k; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*len = 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*len = 1;
		return 0xFFFD;
	}
	*len = k;
	return cp;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf8_count(const char *s, size_t n)
{
	size_t i = 0, c = 0;

#ifdef __GNUC__
	/*
	 * eight bytes at a time: the continuation bytes (10xxxxxx) are not
	 * counted.  Their flags (one bit a byte) are summed by a multiply, not
	 * __builtin_popcountll: without -mpopcnt that is a library call.
	 */
	for (; i + 8 <= n; i += 8) {
		uint64_t w, cont;

		memcpy(&w, s + i, 8);
		cont = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;
		c += 8 - (size_t)((cont * 0x0101010101010101ULL) >> 56);
	}
#endif
	for (; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

size_t
utf8_invalid(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_decode(s + i, n - i, &k) == 0xFFFD &&
		    !(k == 3 && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBF &&
			(unsigned char)s[i + 2] == 0xBD))
			return i;
		i += k;
	}
	return (size_t)-1;
}

size_t
utf8_prefix(const char *s, size_t n, size_t k)
{
	size_t i = 0, l;

	while (i < n && k > 0) {
		utf8_decode(s + i, n - i, &l);
		i += l;
		k--;
	}
	return i;
}
