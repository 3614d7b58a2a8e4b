/*
 * kind_numbers.c: numbers that cannot be true -- a bounded ratio above
 * max_percent (调解成功率达105%; the pack names the ratios, since 完成率 and
 * 增长率 may pass 100 %), a bounded ratio "100%以上", and more handled than
 * received (受理29件，调解成功30件) where both count the same thing.
 *
 *   numbers:
 *     rate: '率(?:达到?|为)?(\d+(?:\.\d+)?)%'   # group 1: the percentage
 *     max_percent: 100
 *     over: '100%以上'                        # any match is a finding
 *     pairs: ['受理(?<total>\d+)件.{0,10}?办结(?<part>\d+)件']
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "utf8.h"

struct numbers {
	struct pattern rate, over;
	double max_percent;
	struct pattern *pairs;
	size_t npair;
};

static void
numbers_free(void *data)
{
	struct numbers *t = data;
	size_t i;

	if (t == NULL)
		return;
	pattern_release(&t->rate);
	pattern_release(&t->over);
	for (i = 0; i < t->npair; i++)
		pattern_release(&t->pairs[i]);
	free(t->pairs);
	free(t);
}

static int
numbers_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"rate", "max_percent", "over", "pairs", NULL};
	struct numbers *t = c->data;
	yaml_node_t *v;

	if (t == NULL) {
		c->data = t = xcalloc(1, sizeof(*t));
		t->max_percent = 100;
	}
	if (ry_keys(doc, n, keys, "numbers", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "rate"))) {
		pattern_release(&t->rate);
		if (pattern_from_node(&t->rate, doc, v, "rate", err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "over"))) {
		pattern_release(&t->over);
		if (pattern_from_node(&t->over, doc, v, "over", err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "max_percent")) &&
	    ry_double(v, "max_percent", &t->max_percent, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "pairs"))) {
		yaml_node_item_t *it;

		if (v->type != YAML_SEQUENCE_NODE)
			return ry_error(v, err, "pairs 应为正则表达式的列表");
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *x = yaml_document_get_node(doc, *it);
			struct pattern *p;

			t->pairs = xrealloc(t->pairs, (t->npair + 1) * sizeof(*t->pairs));
			p = &t->pairs[t->npair];
			if (pattern_from_node(p, doc, x, "pairs", err) == -1)
				return -1;
			t->npair++;
			if (pcre2_substring_number_from_name(p->re, (PCRE2_SPTR) "total") < 0 ||
			    pcre2_substring_number_from_name(p->re, (PCRE2_SPTR) "part") < 0)
				return ry_error(x, err, "pairs 的表达式需要命名组 (?<total>…) 和 (?<part>…)");
		}
	}
	return 0;
}

/*
 * Widen a match that starts at 率 back over the Han characters before it
 * (at most four, not past b), so that the quote names the ratio:
 * "调解成功率达100%以上", not "率达100%以上".
 */
static void
widen_back(const char *s, size_t b, size_t *mo, size_t *ml)
{
	int n;

	for (n = 0; n < 4 && *mo >= b + 3; n++) {
		size_t l;
		uint32_t cp = utf8_decode(s + *mo - 3, 3, &l);

		if (l != 3 || cp < 0x4E00 || cp > 0x9FFF)
			break;
		*mo -= 3;
		*ml += 3;
	}
}

static void
numbers_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct numbers *t = c->data;
	const char *s = ctx->an->norm.s;
	struct scope sc;
	size_t i, k, b, e, at, mo, ml, go, gl, po, pl;
	int rc, shown = 0;
	char *d;

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	for (i = 0; i < sc.n; i++) {
		analysis_norm_span(ctx->an, sc.v[i], &b, &e);
		for (at = b; t->rate.re && at < e && shown < RULES_MAX_HITS;) {
			if ((rc = rules_find(c, ctx, &t->rate, b, e, at, &mo, &ml)) != 1)
				break;
			if (pattern_group(ctx->m, 1, &go, &gl) && strtod(s + b + go, NULL) > t->max_percent) {
				at = mo + (ml ? ml : 1);
				widen_back(s, b, &mo, &ml);
				d = xasprintf("“%.*s”：这一比率不会超过%g%%", (int)ml, s + mo,
				    t->max_percent);
				rules_finding_at(c, ctx, mo, ml, d);
				free(d);
				shown++;
				continue;
			}
			at = mo + (ml ? ml : 1);
		}
		for (at = b; t->over.re && at < e && shown < RULES_MAX_HITS;) {
			if ((rc = rules_find(c, ctx, &t->over, b, e, at, &mo, &ml)) != 1)
				break;
			at = mo + (ml ? ml : 1);
			widen_back(s, b, &mo, &ml);
			d = xasprintf("“%.*s”：这一比率不会超过100%%", (int)ml, s + mo);
			rules_finding_at(c, ctx, mo, ml, d);
			free(d);
			shown++;
		}
		for (k = 0; k < t->npair; k++)
			for (at = b; at < e && shown < RULES_MAX_HITS;) {
				if ((rc = rules_find(c, ctx, &t->pairs[k], b, e, at, &mo, &ml)) != 1)
					break;
				if (pattern_named(ctx->m, &t->pairs[k], "total", &go, &gl) &&
				    pattern_named(ctx->m, &t->pairs[k], "part", &po, &pl)) {
					long tot = strtol(s + b + go, NULL, 10);
					long part = strtol(s + b + po, NULL, 10);

					if (part > tot) {
						d = xasprintf("“%.*s”：办结或成功的 %ld 件多于总数 %ld 件",
						    (int)ml, s + mo, part, tot);
						rules_finding_at(c, ctx, mo, ml, d);
						free(d);
						shown++;
					}
				}
				at = mo + (ml ? ml : 1);
			}
	}
	scope_release(&sc);
}

const struct check_kind kind_numbers = {"numbers", numbers_load, numbers_run, numbers_free};
