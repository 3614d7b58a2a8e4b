/*
 * kind_dated.c: references that are right only in some years -- the
 * congress whose 精神 a report implements, the 普法 plan, the 纲要, the
 * formula of the leader's thought, a law repealed or renamed.  Each term
 * of the table is current from `from` until `until`; a report on year Y
 * that cites it as current when Y began on or after `until` (or ended
 * before `from`) gets a finding naming the replacement.  A mention in a
 * sentence that matches `history` ("十九大以来", "十九大和二十大",
 * "七五普法验收") is history, not current, and never fires.  Without a
 * known report year the rule is "not checked": it never guesses.
 *
 *   dated:
 *     terms:
 *       - term: '党的十九大精神'
 *         until: 2022-10-16
 *         replacement: 党的二十大精神
 *         why: 党的二十大已于2022年10月召开
 *         source: 中国共产党第二十次全国代表大会（2022年10月16日—22日）
 *         history: '二十大|以来'
 *
 * Each term is searched on its own (rules_find(), the index's literals
 * first), only the terms out of date in the report's year, each again only
 * when the scan passes its last match: where the alternation of all of them
 * stopped at every current term (习近平法治思想) and tried each out-of-date
 * one there.  The findings are the same: a position where only current
 * terms match gives none.  A term with syntax that may behave otherwise
 * inside the alternation (groups, recursion, verbs, \G, \K, comments) makes
 * the rule match as one alternation (one pass over the text), the term
 * behind a match found by trying each, anchored, at its start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

struct dterm {
	struct pattern alone; /* the term, searched on its own */
	struct pattern anch;  /* \G(?:term): the term, anchored where the alternation matched */
	struct pattern hist;  /* history context in the same sentence; re NULL if none */
	char *src;            /* the term as written */
	long from, until;     /* yyyymmdd, 0 = open */
	char *replacement, *why, *source;
};

struct dated {
	struct dterm *v;
	size_t n;
	int apart;            /* the terms are searched one by one; all is not compiled */
	struct pattern all;   /* (?:t0)|(?:t1)|... */
};

/* A term's match state in dated_run(): where its next match starts. */
struct dnext {
	int how;              /* out_of_date() in the report's year */
	int st;               /* 0 not searched in this span, 1 found at mo, -1 none */
	size_t mo, ml;
};

static void
dterm_release(struct dterm *t)
{
	pattern_release(&t->alone);
	pattern_release(&t->anch);
	pattern_release(&t->hist);
	free(t->src);
	free(t->replacement);
	free(t->why);
	free(t->source);
}

static void
dated_free(void *data)
{
	struct dated *d = data;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		dterm_release(&d->v[i]);
	free(d->v);
	pattern_release(&d->all);
	free(d);
}

/* "2021-01-01", "2021-01" or "2021" as yyyymmdd (month and day default to 1). */
static int
parse_date(yaml_node_t *n, const char *what, long *out, struct error *err)
{
	const char *s = ry_str(n, what, err);
	int y = 0, m = 1, d = 1, k;
	char c;

	if (s == NULL)
		return -1;
	k = sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &c);
	if (k < 1 || k > 3 || y < 1949 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31)
		return ry_error(n, err, "%s 应写作“年-月-日”，如 2021-01-01：%s", what, s);
	*out = (long)y * 10000 + m * 100 + d;
	return 0;
}

static int
str_key(yaml_document_t *doc, yaml_node_t *map, const char *key, char **out, struct error *err)
{
	yaml_node_t *v = ry_get(doc, map, key);
	const char *s;

	if (v == NULL)
		return 0;
	if ((s = ry_str(v, key, err)) == NULL)
		return -1;
	free(*out);
	*out = xstrdup(s);
	return 0;
}

static int term_apart(const struct dterm *t);

static int
term_load(struct dterm *t, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"term", "from", "until", "replacement", "why", "source",
		"history", NULL};
	yaml_node_t *v;
	const char *s;
	char *a;
	int rc;

	memset(t, 0, sizeof(*t));
	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return ry_error(n, err, "dated 的 terms 每一项应是 {term, until, replacement, source}");
	if (ry_keys(doc, n, keys, "dated 的 terms 项", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "term")) == NULL)
		return ry_error(n, err, "dated 的 terms 项需要 term（正则表达式）");
	if ((s = ry_str(v, "term", err)) == NULL)
		return -1;
	/* compiled alone first, so that an error points at its own line;
	 * dated_run() searches it so */
	if (pattern_compile(&t->alone, s, v, err) == -1)
		return -1;
	t->src = xstrdup(s);
	/* \G(?:term) serves only the search as one alternation; a term that
	 * can be searched apart leaves it to dated_load(), which compiles it
	 * only if the rule is not (as the default pack's never is): such a
	 * term compiles wrapped as it does alone (no \Q, # or verb runs past
	 * its end) */
	if (!term_apart(t) || strstr(s, "\\Q") != NULL) {
		a = xasprintf("\\G(?:%s)", s);
		rc = pattern_compile(&t->anch, a, v, err);
		free(a);
		if (rc == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "from")) && parse_date(v, "from", &t->from, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "until")) && parse_date(v, "until", &t->until, err) == -1)
		return -1;
	if (t->from == 0 && t->until == 0)
		return ry_error(n, err, "dated 的 terms 项需要 from 或 until");
	if (t->from && t->until && t->from >= t->until)
		return ry_error(n, err, "dated 的 terms 项：from 应早于 until");
	if ((v = ry_get(doc, n, "history")) && pattern_from_node(&t->hist, doc, v, "history", err) == -1)
		return -1;
	if (str_key(doc, n, "replacement", &t->replacement, err) == -1 ||
	    str_key(doc, n, "why", &t->why, err) == -1 || str_key(doc, n, "source", &t->source, err) == -1)
		return -1;
	if (t->source == NULL)
		return ry_error(n, err, "dated 的 terms 项需要 source（依据：会议、文件或法律的施行日期）");
	return 0;
}

static int
terms_load(struct dated *d, yaml_document_t *doc, yaml_node_t *list, struct error *err)
{
	yaml_node_item_t *it;

	if (list->type != YAML_SEQUENCE_NODE)
		return ry_error(list, err, "dated 的 terms 应是列表");
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		struct dterm t;

		if (term_load(&t, doc, yaml_document_get_node(doc, *it), err) == -1) {
			dterm_release(&t);
			return -1;
		}
		d->v = xrealloc(d->v, (d->n + 1) * sizeof(*d->v));
		d->v[d->n++] = t;
	}
	return 0;
}

/*
 * Does term t match in the alternation (?:t0)|(?:t1)|... where it matches
 * alone?  Not with a group (its number moves, \1 and (?1) follow it), a
 * recursion of the whole pattern, a condition, a verb ((*COMMIT) stops
 * the other alternatives too), \G or \K (the match depends on where the
 * search started), or a # (a comment in (?x) may run into the next term).
 */
static int
term_apart(const struct dterm *t)
{
	static const char *const odd[] = {"(?R", "(?0", "(?(", "(*", "\\g", "\\G", "\\K", "#",
		NULL};
	uint32_t groups = 1;
	size_t i;

	if (pcre2_pattern_info(t->alone.re, PCRE2_INFO_CAPTURECOUNT, &groups) != 0 || groups != 0)
		return 0;
	for (i = 0; odd[i]; i++)
		if (strstr(t->src, odd[i]) != NULL)
			return 0;
	return 1;
}

/*
 * Does the alternation src compile as pattern_compile() would compile it
 * (PCRE2's limits on size and nesting; under rules --strict, no empty
 * match)?  The terms, each compiled, are valid UTF-8.  One that does not
 * goes to pattern_compile(), for its error, as before the terms were
 * searched apart.
 */
static int
join_compiles(const char *src)
{
	int ec, ok;
	PCRE2_SIZE eo;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C, &ec, &eo, NULL);

	if (re == NULL)
		return 0;
	ok = 1;
	if (rules_strict) {
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);

		ok = pcre2_match(re, (PCRE2_SPTR) "", 0, 0, 0, md, NULL) < 0;
		pcre2_match_data_free(md);
	}
	pcre2_code_free(re);
	return ok;
}

static int
dated_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"terms", "add", NULL};
	struct dated *d = c->data;
	yaml_node_t *v;
	struct buf b;
	size_t i;
	int rc;

	if (d == NULL)
		c->data = d = xcalloc(1, sizeof(*d));
	if (ry_keys(doc, n, keys, "dated", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "terms"))) {
		for (i = 0; i < d->n; i++)
			dterm_release(&d->v[i]);
		d->n = 0;
		if (terms_load(d, doc, v, err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "add")) && terms_load(d, doc, v, err) == -1)
		return -1;
	if (d->n == 0)
		return ry_error(n, err, "dated 需要 terms");
	buf_init(&b);
	for (i = 0; i < d->n; i++)
		buf_printf(&b, "%s(?:%s)", i ? "|" : "", d->v[i].src);
	pattern_release(&d->all);
	for (d->apart = 1, i = 0; i < d->n && d->apart; i++)
		d->apart = term_apart(&d->v[i]);
	rc = 0;
	if (!d->apart || !join_compiles(b.s))
		rc = pattern_compile(&d->all, b.s, n, err);
	buf_release(&b);
	/* the search as one alternation: the anchored terms term_load() left */
	for (i = 0; rc == 0 && !d->apart && i < d->n; i++)
		if (d->v[i].anch.re == NULL) {
			char *a = xasprintf("\\G(?:%s)", d->v[i].src);

			rc = pattern_compile(&d->v[i].anch, a, NULL, err);
			free(a);
			d->v[i].anch.line = d->v[i].alone.line;
			d->v[i].anch.column = d->v[i].alone.column;
		}
	return rc;
}

/* Is the 3-byte character at s one that ends a sentence? */
static int
stop_at(const char *s)
{
	return memcmp(s, "。", 3) == 0 || memcmp(s, "！", 3) == 0 || memcmp(s, "？", 3) == 0;
}

/* The sentence around [mo, me) of the normalised text, inside [b, e). */
static void
sentence(const char *s, size_t b, size_t e, size_t mo, size_t me, size_t *sb, size_t *se)
{
	size_t i;

	for (i = mo; i > b; i--) {
		if (s[i - 1] == '\n')
			break;
		if (i - b >= 3 && stop_at(s + i - 3))
			break;
	}
	*sb = i;
	for (i = me; i < e; i++) {
		if (s[i] == '\n')
			break;
		if (i + 3 <= e && stop_at(s + i)) {
			i += 3;
			break;
		}
	}
	*se = i;
}

/* Is term t out of date in a report on year Y (from..until)? -1 before from, 1 after until. */
static int
out_of_date(const struct dterm *t, int Y)
{
	if (t->until && (long)Y * 10000 + 101 >= t->until)
		return 1;
	if (t->from && (long)Y * 10000 + 1231 < t->from)
		return -1;
	return 0;
}

static char *
detail(const struct dterm *t, const char *m, size_t ml, int Y, int how)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "“%.*s”：报告年度为%d年，", (int)ml, m, Y);
	if (t->why)
		buf_printf(&b, "%s", t->why);
	else if (how > 0)
		buf_printf(&b, "自%ld年%ld月起已不再适用", t->until / 10000, t->until / 100 % 100);
	else
		buf_printf(&b, "%ld年%ld月才出台", t->from / 10000, t->from / 100 % 100);
	if (t->replacement)
		buf_printf(&b, "，应为%s", t->replacement);
	return buf_detach(&b);
}

/*
 * Where the scan goes on after a stop at mo: past the term's match of tl
 * bytes, or, where no term applied (tl 0), on by one character.
 */
static size_t
past(const char *s, size_t mo, size_t tl, size_t e)
{
	if (tl == 0) {
		tl = 1;
		while (mo + tl < e && ((unsigned char)s[mo + tl] & 0xC0) == 0x80)
			tl++;
	}
	return mo + tl;
}

/*
 * Term t matched at [mo, mo + tl) of the span [b, e): a finding unless its
 * history pattern is in the sentence.  1 a finding, 0 history, -1 a limit
 * (reported).
 */
static int
term_at(const struct check_def *c, struct check_ctx *ctx, const struct dterm *t, size_t b,
	size_t e, size_t mo, size_t tl, int Y, int how)
{
	const char *s = ctx->an->norm.s;
	size_t sb, se, hm, hl;
	char *dt;
	int rc;

	if (t->hist.re) {
		sentence(s, b, e, mo, mo + tl, &sb, &se);
		if ((rc = rules_find(c, ctx, &t->hist, sb, se, sb, &hm, &hl)) != 0)
			return rc < 0 ? -1 : 0; /* history, not current */
	}
	dt = detail(t, s + mo, tl, Y, how);
	rules_finding_at(c, ctx, mo, tl, dt);
	free(dt);
	return 1;
}

/*
 * The scan of the alternation, its terms searched apart (d->apart): the
 * next stop is the leftmost match of any term at or after at.  Only the
 * out-of-date terms are searched where the scope is one span: a position
 * where only current terms match gives no finding, and the scan goes on
 * after it either way.  With more spans all are, because the alternation's
 * scan ends at the first span with no match after its last stop.  A
 * term's match is kept while the scan has not passed its start (none began
 * between: a match at a position does not depend on where the search
 * started, the terms having no \G, \K or groups).
 */
static void
run_apart(const struct check_def *c, struct check_ctx *ctx, const struct dated *d,
	const struct scope *sc, int Y)
{
	const char *s = ctx->an->norm.s;
	struct dnext *nx = xcalloc(d->n, sizeof(*nx));
	int every = sc->n > 1, rc, shown = 0;
	size_t i, k, b, e, at, mo, tl;

	for (k = 0; k < d->n; k++)
		nx[k].how = out_of_date(&d->v[k], Y);
	for (i = 0; i < sc->n && shown < RULES_MAX_HITS; i++) {
		analysis_norm_span(ctx->an, sc->v[i], &b, &e);
		for (k = 0; k < d->n; k++)
			nx[k].st = 0;
		for (at = b; at < e && shown < RULES_MAX_HITS;) {
			mo = SIZE_MAX;
			for (k = 0; k < d->n; k++) {
				struct dnext *x = &nx[k];

				if (x->how == 0 && !every)
					continue;
				if (x->st == 0 || (x->st == 1 && x->mo < at)) {
					rc = rules_find(c, ctx, &d->v[k].alone, b, e, at, &x->mo, &x->ml);
					if (rc < 0)
						goto out;
					x->st = rc == 1 ? 1 : -1;
				}
				if (x->st == 1 && x->mo < mo)
					mo = x->mo;
			}
			if (mo == SIZE_MAX)
				goto out;
			tl = 0;
			/* the first out-of-date term (in the table's order) there */
			for (k = 0; k < d->n; k++) {
				if (nx[k].how == 0 || nx[k].st != 1 || nx[k].mo != mo)
					continue;
				tl = nx[k].ml;
				if ((rc = term_at(c, ctx, &d->v[k], b, e, mo, tl, Y, nx[k].how)) < 0)
					goto out;
				shown += rc;
				break;
			}
			at = past(s, mo, k == d->n ? 0 : tl, e);
		}
	}
out:
	free(nx);
}

static void
dated_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct dated *d = c->data;
	const struct analysis *an = ctx->an;
	const char *s = an->norm.s;
	int Y = ctx->res->meta.year;
	struct scope sc;
	size_t i, k, b, e, at, mo, ml, tl, hm;
	int rc, how, shown = 0;

	if (Y == 0 && rules_example_mode()) {
		/* an example states its year first: "2023年，深入贯彻……" */
		const char *p = strstr(s, "年");

		if (p && p - s == 4)
			Y = atoi(s);
	}
	if (Y == 0) {
		rules_unchecked(c, ctx, "无法确定报告所属年度，无法检查");
		return;
	}
	for (k = 0; k < d->n; k++)
		if (out_of_date(&d->v[k], Y))
			break;
	if (k == d->n)
		return; /* every term is current in year Y */
	if (rules_scope(c, ctx, &sc) != 0)
		return;
	if (d->apart) {
		run_apart(c, ctx, d, &sc, Y);
		goto out;
	}
	for (i = 0; i < sc.n && shown < RULES_MAX_HITS; i++) {
		analysis_norm_span(an, sc.v[i], &b, &e);
		for (at = b; at < e && shown < RULES_MAX_HITS;) {
			rc = rules_find(c, ctx, &d->all, b, e, at, &mo, &ml);
			if (rc != 1)
				goto out;
			tl = 0;
			for (k = 0; k < d->n; k++) {
				const struct dterm *t = &d->v[k];

				if ((how = out_of_date(t, Y)) == 0)
					continue;
				if ((rc = rules_find(c, ctx, &t->anch, b, e, mo, &hm, &tl)) < 0)
					goto out;
				if (rc == 0 || hm != mo)
					continue;
				if ((rc = term_at(c, ctx, t, b, e, mo, tl, Y, how)) < 0)
					goto out;
				shown += rc;
				break;
			}
			at = past(s, mo, k == d->n ? 0 : tl, e);
		}
	}
out:
	scope_release(&sc);
}

const struct check_kind kind_dated = {"dated", dated_load, dated_run, dated_free};
