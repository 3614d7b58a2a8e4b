/*
 * kind_placeholder.c: unfilled template text (*次, XX, ××, 某某, 20xx,
 * [待填], empty 〔〕, ＿＿): each named pattern, every match a finding
 * that says what was found.
 *
 *   placeholder:
 *     patterns: [{pattern: '\*(?=[次件场人个项%])', name: 数字用“*”代替，未填写}, ...]
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "utf8.h"

/* The most characters lead_chars() keeps for a pattern. */
#define LEAD_MAX 4

/*
 * The characters every match of a pattern starts with (lead_chars()):
 * n of them, c[i] of len[i] bytes; n 0 when they are not known.
 */
struct lead {
	int n;
	unsigned char len[LEAD_MAX];
	char c[LEAD_MAX][4];
};

struct placeholder {
	struct namedpat *v;
	size_t n;
	/* per pattern, made at the first run (NULL before), by whichever
	 * thread comes first */
	_Atomic(struct lead *) lead;
};

static void
placeholder_free(void *data)
{
	struct placeholder *t = data;

	if (t == NULL)
		return;
	namedpat_free(t->v, t->n);
	free(atomic_load_explicit(&t->lead, memory_order_relaxed));
	free(t);
}

static int
placeholder_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"patterns", "add", NULL};
	struct placeholder *t = c->data;
	yaml_node_t *v;

	if (t == NULL)
		c->data = t = xcalloc(1, sizeof(*t));
	if (ry_keys(doc, n, keys, "placeholder", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "patterns"))) {
		namedpat_free(t->v, t->n);
		t->v = NULL;
		t->n = 0;
		if (namedpat_load(&t->v, &t->n, doc, v, err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "add")) && namedpat_load(&t->v, &t->n, doc, v, err) == -1)
		return -1;
	if (t->n == 0)
		return ry_error(n, err, "placeholder 需要 patterns");
	return 0;
}

/*
 * Add the character that starts src[i] (a literal, or ASCII punctuation
 * escaped) to ld; its length in src, 0 if it is no such character.
 */
static size_t
add_char(struct lead *ld, const char *src, size_t i)
{
	size_t l, k, at = i;

	if (src[i] == '\\') {
		/* \* \[ \. and the like: the character itself */
		if (src[i + 1] == '\0' || (unsigned char)src[i + 1] >= 0x80 ||
		    (src[i + 1] >= '0' && src[i + 1] <= '9') ||
		    ((src[i + 1] | 0x20) >= 'a' && (src[i + 1] | 0x20) <= 'z'))
			return 0;
		at = i + 1;
	} else if (strchr("^$.|?*+()[]{}", src[i]) != NULL) {
		return 0;
	}
	utf8_decode(src + at, strlen(src + at), &l);
	if (l > 4)
		return 0;
	for (k = 0; k < (size_t)ld->n; k++)
		if (ld->len[k] == l && memcmp(ld->c[k], src + at, l) == 0)
			return at - i + l;
	if (ld->n == LEAD_MAX)
		return 0;
	memcpy(ld->c[ld->n], src + at, l);
	ld->len[ld->n++] = (unsigned char)l;
	return at - i + l;
}

/*
 * The characters every match of src starts with, into ld (n 0 when not
 * known).  Each top-level alternative is read from its start: past the
 * items that match no character (^, \b, lookarounds), its first item
 * must be a literal character, or a class of listed characters, that
 * stands at least once.  Anything else (a group, \d, a caseless or
 * extended pattern, \Q, \G, a verb) makes them not known, as do more
 * than LEAD_MAX of them or one of three bytes among them.  Then where
 * none of them stands, the pattern cannot match (\*, _, X: most
 * reports have none), and a search need start no earlier than the first.
 */
static void
lead_chars(const char *src, struct lead *ld)
{
	size_t i = 0, j, l, k;
	long min;

	ld->n = 0;
	if (src == NULL || *src == '\0' || strstr(src, "\\Q") || strstr(src, "\\G") ||
	    strstr(src, "(*") || strchr(src, '#') || pattern_sets_option(src, 'i') ||
	    pattern_sets_option(src, 'x'))
		return;
	for (;;) {
		/* the items that match no character */
		for (;;) {
			if (src[i] == '^' || src[i] == '$') {
				i++;
			} else if (src[i] == '\\' && (src[i + 1] == 'b' || src[i + 1] == 'B' ||
			    src[i + 1] == 'A')) {
				i += 2;
			} else if (src[i] == '(' && src[i + 1] == '?' && (src[i + 2] == '=' ||
			    src[i + 2] == '!' || (src[i + 2] == '<' && (src[i + 3] == '=' ||
			    src[i + 3] == '!')))) {
				if ((j = pattern_item_end(src, i)) == 0)
					goto unknown;
				i = j;
			} else {
				break;
			}
		}
		/* the first character: one, or a class of some */
		if (src[i] == '[') {
			/* listed characters, no range, no negation */
			if (src[i + 1] == '^' || src[i + 1] == ']')
				goto unknown;
			for (j = i + 1; src[j] != ']'; j += l) {
				if (src[j] == '-' && src[j + 1] != ']')
					goto unknown;
				if ((l = add_char(ld, src, j)) == 0)
					goto unknown;
			}
			j++;
		} else if ((l = add_char(ld, src, i)) != 0) {
			j = i + l;
		} else {
			goto unknown;
		}
		if (pattern_quant(src, j, &min) > 0 && min < 1)
			goto unknown;
		/* on to the next top-level alternative */
		for (i = j; src[i] != '\0' && src[i] != '|';)
			if (src[i] == ')' || (i = pattern_item_end(src, i)) == 0)
				goto unknown;
		if (src[i] == '\0')
			break;
		i++;
	}
	/* only characters whose first byte is rare in Chinese text: ASCII,
	 * two and four bytes long (the first byte of a three-byte one leads
	 * thousands of others: PCRE2's own scan does as well) */
	for (k = 0; k < (size_t)ld->n; k++)
		if (ld->len[k] == 3)
			goto unknown;
	return;
unknown:
	ld->n = 0;
}

/* lead_chars() of each pattern, worked out once. */
static const struct lead *
leads(struct placeholder *t)
{
	struct lead *v = atomic_load_explicit(&t->lead, memory_order_acquire), *none = NULL;
	size_t k;

	if (v != NULL)
		return v;
	v = xcalloc(t->n, sizeof(*v));
	for (k = 0; k < t->n; k++)
		lead_chars(t->v[k].pat.src, &v[k]);
	if (!atomic_compare_exchange_strong_explicit(&t->lead, &none, v, memory_order_acq_rel,
	    memory_order_acquire)) {
		free(v);
		v = none;     /* another thread's, the same */
	}
	return v;
}

/*
 * Where in s[b, e) the first of ld's characters starts, or e: memchr()
 * on each one's first byte (ASCII, or one that leads few characters).
 */
static size_t
first_lead(const struct lead *ld, const char *s, size_t b, size_t e)
{
	size_t best = e, k, l;
	const char *p, *end;

	for (k = 0; k < (size_t)ld->n; k++) {
		l = ld->len[k];
		end = s + best;
		for (p = s + b; p + l <= end; p++) {
			if ((p = memchr(p, ld->c[k][0], (size_t)(end - p))) == NULL || p + l > end)
				break;
			if (memcmp(p + 1, ld->c[k] + 1, l - 1) == 0) {
				best = (size_t)(p - s);
				break;
			}
		}
	}
	return best;
}

static void
placeholder_run(const struct check_def *c, struct check_ctx *ctx)
{
	struct placeholder *t = c->data;
	const struct lead *ld;
	struct scope sc;
	size_t i, k, b, e, at, mo, ml;
	int rc, shown = 0;

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	ld = leads(t);
	for (i = 0; i < sc.n; i++) {
		analysis_norm_span(ctx->an, sc.v[i], &b, &e);
		for (k = 0; k < t->n; k++)
			/* no match starts before the first character one starts with */
			for (at = ld[k].n ? first_lead(&ld[k], ctx->an->norm.s, b, e) : b;
			    at < e && shown < RULES_MAX_HITS;) {
				rc = rules_find(c, ctx, &t->v[k].pat, b, e, at, &mo, &ml);
				if (rc < 0)
					goto out;
				if (rc == 0)
					break;
				{
					char *d = xasprintf("“%.*s”：%s", (int)ml, ctx->an->norm.s + mo,
					    t->v[k].name);

					rules_finding_at(c, ctx, mo, ml, d);
					free(d);
				}
				shown++;
				at = mo + (ml ? ml : 1);
			}
	}
out:
	scope_release(&sc);
}

const struct check_kind kind_placeholder = {"placeholder", placeholder_load, placeholder_run,
	placeholder_free};
