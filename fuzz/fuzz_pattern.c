/*
 * fuzz_pattern.c: libFuzzer target for the matching of rule patterns.
 * The input is a pattern, a NUL byte and a text.  The pattern is compiled
 * as a rule pattern (pattern_compile: literals, leading strings, split
 * alternatives, \d as a class, first characters) and every match found
 * by pattern_search() with the text's index (of every pair, or of the
 * pattern's pairs only) must be the match plain PCRE2 finds with the
 * pattern as written.  Both sides are interpreted (FZREPORT_NOJIT): the
 * JIT itself answers differently from one start to another on some
 * shapes.  A pattern PCRE2 refuses, or a run that hits the match limit,
 * is skipped; so is a text with a decimal digit of another script (߀,
 * ٣): a rule's \d means 0-9 and ０-９ only (digits_class() in
 * rules_match.c), and PCRE2's, under UCP, every such digit.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "textindex.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct matcher *m;
static pcre2_match_data *md;
static pcre2_match_context *mc;
static pcre2_code *other_digit;  /* a digit \d means under UCP, a rule's \d does not */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	char *src, *text;
	size_t n, at = 0, mo, ml, l;
	struct pattern pat;
	struct error err;
	struct textindex ti;
	struct textindex_keys keys;
	pcre2_code *ref;
	int ec;
	PCRE2_SIZE eo;

	if (nul == NULL || (size_t)(nul - data) > 512)
		return 0;
	if (m == NULL) {
		setenv("FZREPORT_NOJIT", "1", 1);
		m = matcher_new();
		md = pcre2_match_data_create(16, NULL);
		mc = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(mc, 100000);
		pcre2_set_depth_limit(mc, 10000);
		other_digit = pcre2_compile((PCRE2_SPTR) "(?![0-9\\x{ff10}-\\x{ff19}])\\d",
		    PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &ec, &eo, NULL);
		if (other_digit == NULL)
			abort();
	}
	src = xstrndup((const char *)data, (size_t)(nul - data));
	n = size - (size_t)(nul - data) - 1;
	text = xstrndup((const char *)nul + 1, n);
	n = strlen(text);
	/* the pattern's pairs in a key set, as a rule pack's: an input of odd
	 * size is indexed by those only, one of even size by every pair */
	memset(&keys, 0, sizeof(keys));
	pattern_collect_keys(&keys);
	if (utf8_invalid(text, n) != (size_t)-1 ||
	    pcre2_match(other_digit, (PCRE2_SPTR)text, n, 0, 0, md, NULL) >= 0 ||
	    pattern_compile(&pat, src, NULL, &err) == -1) {
		pattern_collect_keys(NULL);
		textindex_keys_release(&keys);
		free(src);
		free(text);
		return 0;
	}
	pattern_collect_keys(NULL);
	ref = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &ec, &eo,
	    NULL);
	textindex_build(&ti, text, n, size % 2 ? &keys : NULL);
	matcher_forget(m);
	while (ref && at <= n) {
		int a = pcre2_match(ref, (PCRE2_SPTR)text, n, at, 0, md, mc);
		int b = pattern_search(m, &pat, &ti, text, 0, n, at, &mo, &ml);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		if ((a < 0 && a != PCRE2_ERROR_NOMATCH) || b < 0)
			break;                    /* a limit: not comparable */
		if ((a > 0) != (b == 1) || (b == 1 && (ov[0] != mo || ov[1] - ov[0] != ml))) {
			fprintf(stderr, "fuzz_pattern: %s from %zu: PCRE2 %d %zu:%zu, search %d %zu:%zu\n",
			    src, at, a, a > 0 ? (size_t)ov[0] : 0, a > 0 ? (size_t)(ov[1] - ov[0]) : 0, b,
			    b == 1 ? mo : 0, b == 1 ? ml : 0);
			abort();
		}
		if (b != 1)
			break;
		if (ml) {
			at = mo + ml;
		} else {
			if (mo >= n)
				break;
			utf8_decode(text + mo, n - mo, &l);
			at = mo + l;
		}
	}
	textindex_release(&ti);
	pcre2_code_free(ref);
	pattern_release(&pat);
	textindex_keys_release(&keys);
	free(src);
	free(text);
	return 0;
}
