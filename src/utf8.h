/*
 * utf8.h: small UTF-8 helpers over NUL-free, already validated text.
 */
#ifndef FZ_UTF8_H
#define FZ_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point at s (at most n bytes); store its length in *len.
 * Invalid sequences decode as U+FFFD with length 1.
 */
uint32_t utf8_decode_any(const char *s, size_t n, size_t *len);

/* utf8_decode_any() with the two common cases, ASCII and a valid
 * three-byte character (all of Chinese), decoded in the caller. */
static inline uint32_t
utf8_decode(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n > 0 && u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	/* (b ^ 0x80) < 0x40: b is a continuation byte; both tested at once */
	if (n >= 3 && (u[0] & 0xF0) == 0xE0 && ((u[1] ^ 0x80) | (u[2] ^ 0x80)) < 0x40) {
		uint32_t cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) |
			(u[2] & 0x3F);

		/* not overlong, not a surrogate (D800-DFFF) */
		if (cp >= 0x800 && cp - 0xD800 >= 0x800) {
			*len = 3;
			return cp;
		}
	}
	return utf8_decode_any(s, n, len);
}
/* Encode cp into out (4 bytes room); returns the byte count. */
size_t utf8_encode(uint32_t cp, char *out);
/* Number of code points in s[0..n). */
size_t utf8_count(const char *s, size_t n);
/* Byte offset of the first invalid sequence in s[0..n), or (size_t)-1. */
size_t utf8_invalid(const char *s, size_t n);
/* Byte length of the first k code points of s[0..n) (all of it if fewer). */
size_t utf8_prefix(const char *s, size_t n, size_t k);
/* Han ideograph (CJK unified, extension A, compatibility). */
static inline int
utf8_is_han(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F) || cp == 0x3007;
}

#endif
