/*
 * kind_year.c: the title, the headings and the plan agree on the year
 * reported on (meta.year, Y): a year in the title or in a heading outside
 * the plan section must be Y, a year in a heading of the plan section
 * must be Y+1 (the plan is for the next year).  A year inside a cited
 * title 《…》 is that document's, not checked.
 *
 *   year: {pattern: '(?<![\d—－-])((?:19|20)\d{2})年', plan: plan}
 *
 * pattern's first group is the year.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

struct year {
	struct pattern pat;
	char *plan;  /* section id of the plan */
};

static void
year_free(void *data)
{
	struct year *y = data;

	if (y == NULL)
		return;
	pattern_release(&y->pat);
	free(y->plan);
	free(y);
}

static int
year_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"pattern", "plan", NULL};
	struct year *y = c->data;
	yaml_node_t *v;
	const char *s;

	if (y == NULL)
		c->data = y = xcalloc(1, sizeof(*y));
	if (ry_keys(doc, n, keys, "year", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "pattern"))) {
		pattern_release(&y->pat);
		if (pattern_from_node(&y->pat, doc, v, "pattern", err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "plan"))) {
		if ((s = ry_str(v, "plan", err)) == NULL)
			return -1;
		free(y->plan);
		y->plan = xstrdup(s);
	}
	if (y->pat.re == NULL)
		return ry_error(n, err, "year 需要 pattern（第一组为年份）");
	return 0;
}

/*
 * Is s[i] inside a cited title 《…》 that opens after b?  The year of a
 * cited document ("落实《2023年普法工作要点》") is not the report's.
 */
static int
in_title(const char *s, size_t b, size_t i)
{
	int open = 0;
	size_t k;

	for (k = b; k + 3 <= i; k++)
		if (memcmp(s + k, "《", 3) == 0)
			open++;
		else if (memcmp(s + k, "》", 3) == 0 && open > 0)
			open--;
	return open > 0;
}

/* Years in the normalised range [b, e) other than want; plan: want is Y+1. */
static void
scan(const struct check_def *c, struct check_ctx *ctx, size_t b, size_t e, int want, int plan,
	const char *where)
{
	const struct year *y = c->data;
	size_t at, mo, ml, go, gl;
	int yr;
	char *d;

	for (at = b; at < e;) {
		if (rules_find(c, ctx, &y->pat, b, e, at, &mo, &ml) != 1)
			return;
		/* group offsets are relative to the subject start b */
		if (pattern_group(ctx->m, 1, &go, &gl)) {
			yr = atoi(ctx->an->norm.s + b + go);
			if (yr != want && !in_title(ctx->an->norm.s, b, b + go)) {
				if (plan)
					d = xasprintf("%s写的是%d年，下一年度应为%d年", where, yr, want);
				else
					d = xasprintf("%s写的是%d年，报告年度是%d年", where, yr, want);
				rules_finding_at(c, ctx, b + go, gl, d);
				free(d);
			}
		}
		at = mo + (ml ? ml : 1);
	}
}

static const char *
section_of(const struct result *res, size_t i)
{
	int k = (int)i;

	while (k >= 0) {
		if (res->outline[k].section)
			return res->outline[k].section;
		k = res->outline[k].parent;
	}
	return NULL;
}

static void
year_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct year *y = c->data;
	const struct result *res = ctx->res;
	const struct analysis *an = ctx->an;
	int Y = res->meta.year;
	size_t i, b, e;

	if (Y == 0) {
		if (rules_example_mode()) {
			/* an example states its year in its first line */
			size_t mo, ml, go, gl;

			if (rules_find(c, ctx, &y->pat, 0, an->norm.len, 0, &mo, &ml) == 1 &&
			    pattern_group(ctx->m, 1, &go, &gl))
				Y = atoi(an->norm.s + go);
			/* group offset relative to subject 0 */
		}
		if (Y == 0) {
			rules_unchecked(c, ctx, "无法确定报告所属年度，无法核对年份");
			return;
		}
	}
	if (an->title.end > an->title.off) {
		analysis_norm_span(an, an->title, &b, &e);
		scan(c, ctx, b, e, Y, 0, "标题");
	}
	for (i = 0; i < res->noutline; i++) {
		const struct outline_node *o = &res->outline[i];
		const char *sec;

		if (o->kind == NODE_TITLE || o->level < 1 || o->level > 2)
			continue;
		analysis_norm_span(an, an->node_head[i], &b, &e);
		sec = section_of(res, i);
		if (y->plan && sec && strcmp(sec, y->plan) == 0)
			scan(c, ctx, b, e, Y + 1, 1, "工作安排部分的标题");
		else
			scan(c, ctx, b, e, Y, 0, "标题");
	}
}

const struct check_kind kind_year = {"year", year_load, year_run, year_free};
