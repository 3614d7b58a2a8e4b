/*
 * kind_require.c: a pattern that must appear in the scope at least `min`
 * times (default 1) and at most `max`; or, with `groups`, at least
 * `min_groups` of several patterns (indicators of different kinds).
 *
 *   require: {pattern: 原因|由于, min: 1}
 *   require: {groups: [四个亲自|亲自部署, 述法, 法律顾问], min_groups: 2}
 */
#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "textindex.h"
#include "utf8.h"

struct require {
	struct textpat tp;
	int have_tp;
	long min, max;   /* max < 0: no bound */
	struct pattern *groups;
	char **gname;    /* per group: its name in messages (name:, or the first word) */
	size_t ngroup;
	long min_groups;
	/* per group: 1 when its every match is one of its literals
	 * (plain_words()); made at the first run (NULL before), by
	 * whichever thread comes first */
	_Atomic(unsigned char *) plain;
	/* per alternative of tp.pat (one when it is not split): its reading
	 * as \A(?!X)Y (notahead()) and its endings (endings()), made at the
	 * first run like plain */
	_Atomic(struct ahead *) ahead;
};

/*
 * An alternative \A(?!X)Y: a character every match of X contains (ok 0:
 * not of that form, or no such character known), and \A(?:Y), what the
 * alternative matches where X cannot.  Its top-level alternatives read
 * as ...c T$ (endings()).
 */
struct ahead {
	int ok;
	unsigned char len;
	char ch[4];
	struct pattern y;
	/* the pattern's top-level alternatives read as ...c T$ (endings(); nend 0: not) */
	size_t nend;
	struct ending {
		uint32_t c;           /* the last character each match holds, c */
		uint32_t tail[8];     /* what T may match besides white space */
		size_t ntail;
	} end[4];
};

/* The number of r->ahead's entries: tp.pat's alternatives, or tp.pat itself. */
static size_t
naheads(const struct require *r)
{
	return r->tp.pat.nalt > 0 ? r->tp.pat.nalt : 1;
}

/* Free r->ahead (before tp.pat changes or goes). */
static void
ahead_release(struct require *r)
{
	struct ahead *v = atomic_load_explicit(&r->ahead, memory_order_relaxed);
	size_t i, n = naheads(r);

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		if (v[i].ok)
			pattern_release(&v[i].y);
	free(v);
	atomic_store_explicit(&r->ahead, NULL, memory_order_relaxed);
}

static void
require_free(void *data)
{
	struct require *r = data;
	size_t i;

	if (r == NULL)
		return;
	ahead_release(r);
	textpat_release(&r->tp);
	for (i = 0; i < r->ngroup; i++) {
		pattern_release(&r->groups[i]);
		free(r->gname[i]);
	}
	free(r->groups);
	free(r->gname);
	free(atomic_load_explicit(&r->plain, memory_order_relaxed));
	free(r);
}

static int
require_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"pattern", "words", "add", "min", "max", "groups",
		"min_groups", "raw", NULL};
	struct require *r = c->data;
	yaml_node_t *v;

	if (r == NULL) {
		r = xcalloc(1, sizeof(*r));
		r->min = 1;
		r->max = -1;
		c->data = r;
	}
	ahead_release(r);         /* read again for the pattern as it ends up */
	if (n && n->type == YAML_SCALAR_NODE) {
		pattern_release(&r->tp.pat);
		free(r->tp.regex);
		r->tp.regex = xstrdup((char *)n->data.scalar.value);
		r->have_tp = 1;
		return pattern_compile(&r->tp.pat, r->tp.regex, n, err);
	}
	if (ry_keys(doc, n, keys, "require", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "min")) && ry_int(v, "min", &r->min, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "max")) && ry_int(v, "max", &r->max, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "min_groups")) && ry_int(v, "min_groups", &r->min_groups, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "groups"))) {
		yaml_node_item_t *it;

		if (v->type != YAML_SEQUENCE_NODE)
			return ry_error(v, err, "groups 应为正则表达式的列表");
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			static const char *const gkeys[] = {"name", "pattern", NULL};
			yaml_node_t *x = yaml_document_get_node(doc, *it), *nm = NULL;
			char *label;

			if (x && x->type == YAML_MAPPING_NODE) {
				if (ry_keys(doc, x, gkeys, "groups", err) == -1)
					return -1;
				nm = ry_get(doc, x, "name");
				if (nm == NULL || nm->type != YAML_SCALAR_NODE)
					return ry_error(x, err, "groups 的每一项需要 name（在提示中显示的名称）");
				x = ry_get(doc, x, "pattern");
				if (x == NULL)
					return ry_error(nm, err, "groups 的每一项需要 pattern");
			}
			r->groups = xrealloc(r->groups, (r->ngroup + 1) * sizeof(*r->groups));
			r->gname = xrealloc(r->gname, (r->ngroup + 1) * sizeof(*r->gname));
			r->gname[r->ngroup] = NULL;
			if (pattern_from_node(&r->groups[r->ngroup], doc, x, "groups", err) == -1)
				return -1;
			label = nm ? xstrdup((char *)nm->data.scalar.value)
				   : pattern_label(r->groups[r->ngroup].src);
			r->gname[r->ngroup] = label;
			r->ngroup++;
			if (label == NULL)
				return ry_error(x, err, "groups 的这一项是正则表达式，请写成 {name: 名称, pattern: ...}，"
							"以便提示中显示名称");
		}
		if (r->min_groups == 0)
			r->min_groups = (long)r->ngroup;
	}
	if (ry_get(doc, n, "pattern") || ry_get(doc, n, "words") || ry_get(doc, n, "add")) {
		if (textpat_load(&r->tp, doc, n, err) == -1)
			return -1;
		r->have_tp = 1;
	}
	if (!r->have_tp && r->ngroup == 0)
		return ry_error(n, err, "require 需要 pattern、words 或 groups");
	return 0;
}

/*
 * Does src hold only groups that capture nothing and call nothing --
 * (?: (?= (?! (?<= (?<! (?> and option settings -- and no other syntax
 * that numbers groups or refers to them (\g, \k, \Q, verbs, comments,
 * conditions, caseless or extended options)?  Then X and Y may be
 * compiled apart and Y's groups keep their numbers.
 */
static int
plain_groups_only(const char *src)
{
	size_t i = 0, j;

	if (strstr(src, "\\Q") || strstr(src, "\\g") || strstr(src, "\\k") ||
	    pattern_sets_option(src, 'i') || pattern_sets_option(src, 'x'))
		return 0;
	while (src[i] != '\0') {
		if (src[i] == '\\') {
			if ((i = pattern_escape_end(src, i)) == 0)
				return 0;
			continue;
		}
		if (src[i] == '[') {
			if ((i = pattern_class_end(src, i)) == 0)
				return 0;
			continue;
		}
		if (src[i] == '(') {
			if (src[i + 1] != '?')
				return 0;
			j = i + 2;
			if (src[j] == '<' && (src[j + 1] == '=' || src[j + 1] == '!'))
				j++;
			if (src[j] != ':' && src[j] != '=' && src[j] != '!' && src[j] != '>') {
				/* an option setting: letters, - and ^, then : or ) */
				while (src[j] != '\0' && strchr("-^imnsxJU", src[j]) != NULL)
					j++;
				if (j == i + 2 || (src[j] != ':' && src[j] != ')'))
					return 0;
			}
		}
		i++;
	}
	return 1;
}

/*
 * A character every match of x (a whole pattern, read item by item at its
 * top level) contains into a (a->len 0 before): the first literal
 * character that stands there at least once (not in a group, no
 * quantifier of least count 0); 0 if there is none, or x has a | outside
 * groups and classes.
 */
static int
needed_char(const char *x, struct ahead *a)
{
	size_t i = 0, j, q, l;
	long min;
	int lit;

	while (x[i] != '\0') {
		lit = 0;
		if (x[i] == '\\') {
			if ((j = pattern_escape_end(x, i)) == 0)
				return 0;
			/* \. \* \〔: the character itself */
			lit = (unsigned char)x[i + 1] >= 0x80 ||
			    (ispunct((unsigned char)x[i + 1]) && x[i + 1] != '_');
			if (lit) {
				l = j - i - 1;
				i++;
			}
		} else if (x[i] == '[' || x[i] == '(') {
			if ((j = pattern_item_end(x, i)) == 0)
				return 0;
		} else if (x[i] == '|') {
			return 0;
		} else if (strchr("^$.?*+{})]", x[i]) != NULL) {
			j = i + 1;
		} else {
			utf8_decode(x + i, strlen(x + i), &l);
			j = i + l;
			lit = l <= 4;
		}
		q = pattern_quant(x, j, &min);
		if (lit && (q == 0 || min >= 1) && a->len == 0) {
			memcpy(a->ch, x + i, l);
			a->len = (unsigned char)l;
		}
		i = j + q;
	}
	return a->len > 0;
}

/* May c be white space (\s with UCP, and more: Z, the vertical and horizontal spaces)? */
static int
maybe_space(uint32_t c)
{
	return c == 0x20 || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
	    c == 0x180E || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202F || c == 0x205F || c == 0x3000;
}

/* The literal character at src[i] (or an escaped sign) into *cp; its length, 0 if none. */
static size_t
tail_char(const char *src, size_t i, uint32_t *cp)
{
	size_t l, at = i;

	if (src[i] == '\\') {
		if (src[i + 1] == '\0' || isalnum((unsigned char)src[i + 1]) ||
		    (unsigned char)src[i + 1] >= 0x80)
			return 0;
		at = i + 1;
	} else if (strchr("^$.|?*+()[]{}", src[i]) != NULL) {
		return 0;
	}
	*cp = utf8_decode(src + at, strlen(src + at), &l);
	return at - i + l;
}

/*
 * Read s (a pattern with no (?m), caseless or extended option) as
 * top-level alternatives each of which ends ...c T$: c a literal
 * character that stands at least once, T items that match only white
 * space (\s) or listed characters (literals, groups of literals, any
 * quantifier), none of them c, and $ last.  Every match of such an
 * alternative ends at the end of the range (or before a last line feed),
 * holding c with only T's characters after it; so where the last
 * character of the range that is not one of those is not c, it has no
 * match.  FMT-007 wants a date at the end of the report (日, then white
 * space or 印发): a report that ends 。 has none, and its search, which
 * tries each 19 and 20 of the report, need not run.  a->nend 0 when s is
 * not of that form.
 */
static void
endings(const char *s, struct ahead *a)
{
	struct ending *en;
	size_t i = 0, j, k, q, l;
	uint32_t cp;
	long min;
	int dollar, tail;

	a->nend = 0;
	if (pattern_sets_option(s, 'm') || pattern_sets_option(s, 'i') ||
	    pattern_sets_option(s, 'x') || strstr(s, "\\Q") || strstr(s, "(*") || strchr(s, '#'))
		return;
	for (;;) {
		if (a->nend == sizeof(a->end) / sizeof(a->end[0]))
			goto no;
		en = &a->end[a->nend];
		en->c = 0;
		en->ntail = 0;
		for (dollar = 0, tail = 0; s[i] != '\0' && s[i] != '|'; i = j + q) {
			if (dollar)
				goto no;      /* $ must be last */
			if (s[i] == ')')
				goto no;
			cp = 0;
			if (s[i] == '$') {
				j = i + 1;
				dollar = 1;
			} else if ((l = tail_char(s, i, &cp)) != 0) {
				j = i + l;
			} else if ((j = pattern_item_end(s, i)) == 0) {
				goto no;
			}
			q = pattern_quant(s, j, &min);
			if (dollar && q > 0)
				goto no;
			if (cp != 0 && (q == 0 || min >= 1)) {
				/* a character each match holds: T starts after it */
				en->c = cp;
				en->ntail = 0;
				tail = 1;
			} else if (dollar) {
				;
			} else if (cp != 0) {
				if (en->ntail == 8)
					tail = 0;
				else
					en->tail[en->ntail++] = cp;
			} else if (s[i] == '\\' && s[i + 1] == 's' && j == i + 2) {
				;
			} else if (strncmp(s + i, "(?:", 3) == 0) {
				/* a group of literals (| between them) */
				for (k = i + 3; k < j - 1 && tail; k += l) {
					l = 1;
					if (s[k] != '|' && ((l = tail_char(s, k, &cp)) == 0 ||
					    en->ntail == 8))
						tail = 0;
					else if (s[k] != '|')
						en->tail[en->ntail++] = cp;
				}
			} else {
				/* anything else: a later character may start T again */
				tail = 0;
			}
		}
		if (!dollar || !tail || en->c == 0 || maybe_space(en->c))
			goto no;
		for (k = 0; k < en->ntail; k++)
			if (en->tail[k] == en->c)
				goto no;
		a->nend++;
		if (s[i] == '\0')
			return;
		i++;
	}
no:
	a->nend = 0;
}

/*
 * May an alternative read by endings() match in s[b, e): is the last
 * character there that is neither white space nor in its tail its c?
 */
static int
ending_found(const struct ahead *a, const char *s, size_t b, size_t e)
{
	size_t i, p, l, k;
	uint32_t cp = 0;

	for (i = 0; i < a->nend; i++) {
		const struct ending *en = &a->end[i];

		for (p = e; p > b;) {
			for (p--; p > b && ((unsigned char)s[p] & 0xC0) == 0x80; p--)
				;
			cp = utf8_decode(s + p, e - p, &l);
			if (maybe_space(cp))
				continue;
			for (k = 0; k < en->ntail && en->tail[k] != cp; k++)
				;
			if (k == en->ntail)
				break;
		}
		if (p == b || cp == en->c)
			return 1;     /* (the range all tail: not known) */
	}
	return 0;
}

/*
 * Read src (an alternative of a require pattern, or the whole) as
 * \A(?!X)Y, Y with no | outside groups: where X's needed character does
 * not occur in the range, X cannot match there and the lookahead holds,
 * so the alternative matches where \A(?:Y) does -- one anchored try
 * instead of X's search (FMT-013's X reads up to 13 lines for a document
 * number).  a->ok 0 when src is not of that form.
 */
static void
notahead(const char *src, struct ahead *a)
{
	char *s, *x = NULL, *ysrc = NULL;
	size_t n, j, k;
	struct error err;

	memset(a, 0, sizeof(*a));
	if (src == NULL)
		return;
	s = xstrdup(src);
	/* (?:(?:...)) around it, as textpat_load() joins */
	while (strncmp(s, "(?:", 3) == 0 && (n = strlen(s)) > 4 && pattern_item_end(s, 0) == n) {
		memmove(s, s + 3, n - 4);
		s[n - 4] = '\0';
	}
	endings(s, a);
	if (strncmp(s, "\\A(?!", 5) != 0 || !plain_groups_only(s) || (j = pattern_item_end(s, 2)) == 0)
		goto out;
	for (k = j; s[k] != '\0'; k = n)
		if (s[k] == '|' || (n = pattern_item_end(s, k)) == 0)
			goto out;
	x = xstrndup(s + 5, j - 6);
	if (!needed_char(x, a))
		goto out;
	ysrc = xasprintf("\\A(?:%s)", s + j);
	if (pattern_compile(&a->y, ysrc, NULL, &err) == 0)
		a->ok = 1;
	else
		pattern_release(&a->y);
out:
	free(ysrc);
	free(x);
	free(s);
}

/* notahead() of each alternative of r's pattern, worked out once. */
static const struct ahead *
aheads(struct require *r)
{
	struct ahead *v = atomic_load_explicit(&r->ahead, memory_order_acquire), *none = NULL;
	size_t i, n = naheads(r);

	if (v != NULL)
		return v;
	v = xcalloc(n, sizeof(*v));
	if (r->tp.pat.nalt == 0)
		notahead(r->tp.pat.src, &v[0]);
	for (i = 0; i < r->tp.pat.nalt; i++)
		notahead(r->tp.pat.alt[i].src, &v[i]);
	if (!atomic_compare_exchange_strong_explicit(&r->ahead, &none, v, memory_order_acq_rel,
	    memory_order_acquire)) {
		for (i = 0; i < n; i++)
			if (v[i].ok)
				pattern_release(&v[i].y);
		free(v);
		v = none;     /* another thread's, the same */
	}
	return v;
}

/*
 * Does the character c (l bytes) occur in s[b, e)?  memchr() on its last
 * byte: in Chinese text a continuation byte, rarer than a lead byte.
 */
static int
has_char(const char *s, size_t b, size_t e, const char *c, size_t l)
{
	const char *p, *end = s + e;
	size_t k;

	if (e < b || e - b < l)
		return 0;
	for (p = s + b + l - 1; p < end; p++) {
		if ((p = memchr(p, c[l - 1], (size_t)(end - p))) == NULL)
			return 0;
		for (k = 1; k < l && p[-(long)k] == c[l - 1 - k]; k++)
			;
		if (k == l)
			return 1;
	}
	return 0;
}

/*
 * How far before the first occurrence of a literal every match contains
 * exists() starts its probe: more than the phrases of a rule span.
 */
#define PROBE_BEFORE 512

/*
 * Does pat match in text[b..e) (normalised) at all: 1 yes, 0 no, -1 a
 * limit hit (reported).  Any match will do, so where a literal every
 * match contains first occurs well into the range, the search starts a
 * little before it: a rule's pattern often starts with common words
 * (法治, 依法行政 in `(?:法治|依法行政)[^。；]{0,24}(?:列入|纳入)[^。；]{0,40}述职`)
 * and needs a rarer one (述职), and the search from b tries the pattern
 * at every common word on the way.  Only when that probe finds nothing
 * (a match longer than the distance, or none) does the search run from b
 * as before; a limit hit in the probe is left to that search to report.
 * A pattern with \G is searched from b only (\G holds where a search
 * starts).  A pattern split into its top-level alternatives (pat->alt)
 * matches where one of them does: each is asked in turn, and the first
 * that matches settles it (the search of the whole would look for every
 * one's first match, to find the leftmost).  ah (when not NULL: one for
 * each alternative, or one for pat unsplit): an alternative that ends
 * ...c T$ has no match where the range does not end in c and T's
 * characters (ending_found()); one read as \A(?!X)Y is one anchored try
 * of \A(?:Y) where X's needed character does not occur.
 */
static int
exists(const struct check_def *c, struct check_ctx *ctx, const struct pattern *pat,
	const struct ahead *ah, size_t b, size_t e)
{
	const struct textindex *ti = ctx->an->lits;
	const char *t = ctx->an->norm.s;
	size_t i, mo, ml, q = (size_t)-1;
	int rc;

	if (pat->nalt > 0) {
		for (i = 0; i < pat->nalt; i++)
			if ((rc = exists(c, ctx, &pat->alt[i], ah ? &ah[i] : NULL, b, e)) != 0)
				return rc;
		return 0;
	}
	if (ah && ah->nend && !ending_found(ah, t, b, e))
		return 0;
	/* (y's literals are not the index's: no index; a limit hit is left to
	 * the search of the alternative itself, to report as before) */
	if (ah && ah->ok && !has_char(t, b, e, ah->ch, ah->len) &&
	    (rc = pattern_search(ctx->m, &ah->y, NULL, t, b, e, b, &mo, &ml)) >= 0)
		return rc;

	/* \G would match where the probe starts: such a pattern is searched from b */
	if (ti && pat->nlit &&
	    (pat->src == NULL || strstr(pat->src, "\\G") == NULL)) {
		for (i = 0; i < pat->nlit; i++) {
			long p = textindex_first(ti, pat->lit[i].s, pat->lit[i].len, &pat->lit[i].ref,
			    b, e);

			if (p == -2)
				break;        /* not indexed: it may be anywhere */
			if (p >= 0 && (size_t)p < q)
				q = (size_t)p;
		}
		if (i == pat->nlit && q == (size_t)-1)
			return 0;
		if (i == pat->nlit && q - b > PROBE_BEFORE) {
			size_t s = q - PROBE_BEFORE;

			while (s > b && ((unsigned char)t[s] & 0xC0) == 0x80)
				s--;          /* at a character's start */
			if (pattern_search(ctx->m, pat, ti, t, b, e, s, &mo, &ml) == 1)
				return 1;
		}
	}
	return rules_find(c, ctx, pat, b, e, b, &mo, &ml);
}

/*
 * Matches of pat over the scope (stops at limit+1); -1 on a limit hit.
 * One match (limit 0) is looked for with exists() (ah: its aheads()).
 */
static long
count(const struct check_def *c, struct check_ctx *ctx, const struct scope *sc,
	const struct pattern *pat, const struct ahead *ah, long limit, int raw)
{
	size_t i, b, e, at, mo, ml;
	long k = 0;
	int rc;

	for (i = 0; i < sc->n; i++) {
		rules_range(ctx, raw, sc->v[i], &b, &e);
		if (limit == 0 && !raw) {
			if ((rc = exists(c, ctx, pat, ah, b, e)) != 0)
				return rc;
			continue;
		}
		for (at = b; at <= e && k <= limit;) {
			rc = rules_find_raw(c, ctx, pat, raw, b, e, at, &mo, &ml);
			if (rc < 0)
				return -1;
			if (rc == 0)
				break;
			k++;
			at = mo + (ml ? ml : 1);
		}
	}
	return k;
}

/*
 * Is every match of pat one of its literals: its source words joined by
 * |, none with pattern syntax, each one of pat->lit and each of those one
 * of them?  Then it matches in a range where one of them stands there,
 * which the report's index answers (group_found()).
 */
static int
plain_words(const struct pattern *pat)
{
	const char *p = pat->src, *q;
	size_t i, n = 0;

	if (p == NULL || pat->nlit == 0 || pat->nalt > 0)
		return 0;
	for (;; p = q + 1) {
		q = p + strcspn(p, "|");
		if (strcspn(p, "\\^$.?*+()[]{}") < (size_t)(q - p))
			return 0;
		for (i = 0; i < pat->nlit; i++)
			if (pat->lit[i].len == (size_t)(q - p) &&
			    memcmp(pat->lit[i].s, p, pat->lit[i].len) == 0)
				break;
		if (i == pat->nlit)
			return 0;
		n++;
		if (*q == '\0')
			break;
	}
	/* (a word twice, and the literals are fewer) */
	return n == pat->nlit;
}

/* plain_words() of each group, worked out once. */
static const unsigned char *
plain_groups(struct require *r)
{
	unsigned char *v = atomic_load_explicit(&r->plain, memory_order_acquire), *none = NULL;
	size_t g;

	if (v != NULL)
		return v;
	v = xcalloc(r->ngroup, 1);
	for (g = 0; g < r->ngroup; g++)
		v[g] = (unsigned char)plain_words(&r->groups[g]);
	if (!atomic_compare_exchange_strong_explicit(&r->plain, &none, v, memory_order_acq_rel,
	    memory_order_acquire)) {
		free(v);
		v = none;     /* another thread's, the same */
	}
	return v;
}

/*
 * Does group pat match in the normalised range [b, e): 1, 0, or -1 on a
 * limit hit (reported).  A group of plain words (plain) is looked up in
 * the report's index, word by word, while the index has them.
 */
static int
group_found(const struct check_def *c, struct check_ctx *ctx, const struct pattern *pat,
	int plain, size_t b, size_t e)
{
	const struct textindex *ti = ctx->an->lits;
	size_t i, mo, ml;
	long p;

	if (plain && ti != NULL && ti->s == ctx->an->norm.s) {
		for (i = 0; i < pat->nlit; i++) {
			const struct patlit *l = &pat->lit[i];

			p = textindex_first(ti, l->s, l->len, &l->ref, b, e);
			if (p >= 0)
				return 1;
			if (p == -2)
				break;        /* not indexed: PCRE2 decides */
		}
		if (i == pat->nlit)
			return 0;
	}
	return rules_find(c, ctx, pat, b, e, b, &mo, &ml);
}

/* The names of the groups found (hit[g] == yes) into b, 、 between; 无 when that is empty. */
static void
names(struct buf *b, const struct require *r, const unsigned char *hit, int yes)
{
	size_t g, from = b->len;

	for (g = 0; g < r->ngroup; g++)
		if (hit[g] == yes) {
			if (b->len > from)
				buf_adds(b, "、");
			buf_adds(b, r->gname[g]);
		}
	if (b->len == from)
		buf_adds(b, "无");
}

static void
require_run(const struct check_def *c, struct check_ctx *ctx)
{
	struct require *r = c->data;
	struct scope sc;
	char *d = NULL;
	long k;

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	if (r->have_tp) {
		/* without max, min matches settle it: no search for one more */
		long limit = r->max >= 0 ? r->max : r->min - 1;

		k = count(c, ctx, &sc, &r->tp.pat, limit == 0 && !r->tp.raw ? aheads(r) : NULL,
		    limit, r->tp.raw);
		if (k < 0)
			goto out;
		if (k < r->min)
			d = r->min > 1 ? xasprintf("只出现 %ld 次，至少应有 %ld 次", k, r->min) : NULL;
		else if (r->max >= 0 && k > r->max)
			d = xasprintf("出现超过 %ld 次", r->max);
		else
			goto groups;
		goto fire;
	}
groups:
	if (r->ngroup) {
		const unsigned char *plain = plain_groups(r);
		size_t g, i, one[2], *rg = sc.n > 1 ? xcalloc(2 * sc.n, sizeof(*rg)) : one, *ge;
		long have = 0;
		int rc = 0;
		unsigned char *hit = xcalloc(r->ngroup, 1);
		struct buf msg;

		/* the scope's normalised ranges, once for all groups */
		for (i = 0; i < sc.n; i++)
			rules_range(ctx, 0, sc.v[i], &rg[2 * i], &rg[2 * i + 1]);
		/* enough groups found settle it: the rest are not searched (their
		 * names are wanted only when the rule fires, and then every
		 * group has been) */
		for (g = 0; g < r->ngroup && have < r->min_groups; g++) {
			for (i = 0, rc = 0; i < sc.n && rc == 0; i++) {
				ge = rg + 2 * i;
				rc = group_found(c, ctx, &r->groups[g], plain[g], ge[0], ge[1]);
			}
			if (rc < 0)
				break;
			if (rc > 0) {
				have++;
				hit[g] = 1;
			}
		}
		if (rg != one)
			free(rg);
		if (rc < 0 || have >= r->min_groups) {
			free(hit);
			goto out;
		}
		/* name what is there and what is missing, not just a count:
		 * 已写：A、B；未写：C（至少应写 N 项）, built up (printf is
		 * slow over long UTF-8 strings) */
		buf_init(&msg);
		buf_adds(&msg, "已写：");
		names(&msg, r, hit, 1);
		buf_adds(&msg, "；未写：");
		names(&msg, r, hit, 0);
		buf_adds(&msg, "（至少应写 ");
		buf_addlong(&msg, r->min_groups);
		buf_adds(&msg, " 项）");
		d = buf_detach(&msg);
		free(hit);
		goto fire;
	}
	goto out;
fire:
	/* at the start of the scope: its heading, or the whole report */
	if (sc.n && strcmp(c->scope, "document") != 0 && sc.v[0].end > sc.v[0].off) {
		size_t b, e, l = 0;

		analysis_norm_span(ctx->an, sc.v[0], &b, &e);
		/* a title split over lines is quoted whole in the message, as
		 * the outline joins it (meta.title) */
		if (d == NULL && strcmp(c->scope, "title") == 0 && ctx->res->meta.title &&
		    memchr(ctx->an->norm.s + b, '\n', e - b))
			d = xasprintf("“%s”", ctx->res->meta.title);
		/* mark the first line of the scope */
		while (b + l < e && ctx->an->norm.s[b + l] != '\n' && l < 90)
			l++;
		while (l > 0 && (ctx->an->norm.s[b + l] & 0xC0) == 0x80)
			l--;
		rules_finding_at(c, ctx, b, l, d);
	} else {
		rules_finding_doc(c, ctx, d);
	}
out:
	free(d);
	scope_release(&sc);
}

const struct check_kind kind_require = {"require", require_load, require_run, require_free};
