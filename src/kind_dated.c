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
 * The terms are matched as one alternation (one pass over the text); the
 * term behind a match is found by trying each, anchored, at its start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

struct dterm {
	struct pattern anch;  /* \G(?:term): the term, anchored where the alternation matched */
	struct pattern hist;  /* history context in the same sentence; re NULL if none */
	char *src;            /* the term as written */
	long from, until;     /* yyyymmdd, 0 = open */
	char *replacement, *why, *source;
};

struct dated {
	struct dterm *v;
	size_t n;
	struct pattern all;   /* (?:t0)|(?:t1)|... */
};

static void
dterm_release(struct dterm *t)
{
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

static int
term_load(struct dterm *t, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"term", "from", "until", "replacement", "why", "source",
		"history", NULL};
	yaml_node_t *v;
	struct pattern tmp;
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
	/* compiled alone first, so that an error points at its own line */
	if (pattern_compile(&tmp, s, v, err) == -1)
		return -1;
	pattern_release(&tmp);
	t->src = xstrdup(s);
	a = xasprintf("\\G(?:%s)", s);
	rc = pattern_compile(&t->anch, a, v, err);
	free(a);
	if (rc == -1)
		return -1;
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
	rc = pattern_compile(&d->all, b.s, n, err);
	buf_release(&b);
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

static void
dated_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct dated *d = c->data;
	const struct analysis *an = ctx->an;
	const char *s = an->norm.s;
	int Y = ctx->res->meta.year;
	struct scope sc;
	size_t i, k, b, e, at, mo, ml, tl, sb, se, hm, hl;
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
	for (i = 0; i < sc.n && shown < RULES_MAX_HITS; i++) {
		analysis_norm_span(an, sc.v[i], &b, &e);
		for (at = b; at < e && shown < RULES_MAX_HITS;) {
			rc = rules_find(c, ctx, &d->all, b, e, at, &mo, &ml);
			if (rc != 1)
				goto out;
			tl = 0;
			for (k = 0; k < d->n; k++) {
				const struct dterm *t = &d->v[k];
				char *dt;

				if ((how = out_of_date(t, Y)) == 0)
					continue;
				if ((rc = rules_find(c, ctx, &t->anch, b, e, mo, &hm, &tl)) < 0)
					goto out;
				if (rc == 0 || hm != mo)
					continue;
				if (t->hist.re) {
					sentence(s, b, e, mo, mo + tl, &sb, &se);
					if ((rc = rules_find(c, ctx, &t->hist, sb, se, sb, &hm, &hl)) < 0)
						goto out;
					if (rc == 1)
						break; /* history, not current */
				}
				dt = detail(t, s + mo, tl, Y, how);
				rules_finding_at(c, ctx, mo, tl, dt);
				free(dt);
				shown++;
				break;
			}
			if (k == d->n || tl == 0) {
				/* no term applied here: on by one character */
				tl = 1;
				while (mo + tl < e && ((unsigned char)s[mo + tl] & 0xC0) == 0x80)
					tl++;
			}
			at = mo + tl;
		}
	}
out:
	scope_release(&sc);
}

const struct check_kind kind_dated = {"dated", dated_load, dated_run, dated_free};
