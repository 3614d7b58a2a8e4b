/*
 * kind_date.c: the 成文日期 -- its form (GB/T 9704 §7.3.5: Arabic
 * digits, full year, no zero padding) and its window relative to the
 * year reported on (not before December of that year: the report would
 * not cover the whole year; not after the submission deadline).
 *
 *   date:
 *     find: '(?:20\d{2}|二[〇○零]..)[年./-]...'  # a date line near the end
 *     format: '(?:19|20)\d{2}年[1-9]\d?月[1-9]\d?日'
 *     earliest: "12-01"            # month-day in the year reported on
 *     deadline: "03-31"            # month-day in the next year
 *     deadline_department: "03-01"
 *
 * The date is the first match of `find` in the 落款 the analysis found
 * (meta.date, after the body); with no 落款 there is no 成文日期 to check
 * (FMT-007 says the 落款 is missing), whatever dates the body holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

struct date {
	struct pattern find, format;
	int early_m, early_d, dl_m, dl_d, dept_m, dept_d;
};

static void
date_free(void *data)
{
	struct date *t = data;

	if (t == NULL)
		return;
	pattern_release(&t->find);
	pattern_release(&t->format);
	free(t);
}

static int
monthday(yaml_node_t *v, const char *what, int *m, int *d, struct error *err)
{
	const char *s = ry_str(v, what, err);

	if (s == NULL)
		return -1;
	if (sscanf(s, "%d-%d", m, d) != 2 || *m < 1 || *m > 12 || *d < 1 || *d > 31)
		return ry_error(v, err, "“%s”应为 月-日，如 03-31，而不是“%s”", what, s);
	return 0;
}

static int
date_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"find", "format", "earliest", "deadline",
		"deadline_department", NULL};
	struct date *t = c->data;
	yaml_node_t *v;

	if (t == NULL)
		c->data = t = xcalloc(1, sizeof(*t));
	if (ry_keys(doc, n, keys, "date", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "find"))) {
		pattern_release(&t->find);
		if (pattern_from_node(&t->find, doc, v, "find", err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "format"))) {
		const char *s = ry_str(v, "format", err);
		char *anch;
		int rc;

		if (s == NULL || pattern_compile(&t->format, s, v, err) == -1)
			return -1;
		pattern_release(&t->format);
		anch = xasprintf("^(?:%s)$", s);
		rc = pattern_compile(&t->format, anch, v, err);
		free(anch);
		if (rc == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "earliest")) &&
	    monthday(v, "earliest", &t->early_m, &t->early_d, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "deadline")) && monthday(v, "deadline", &t->dl_m, &t->dl_d, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "deadline_department")) &&
	    monthday(v, "deadline_department", &t->dept_m, &t->dept_d, err) == -1)
		return -1;
	if (t->find.re == NULL)
		return ry_error(n, err, "date 需要 find（找出日期的正则表达式）");
	return 0;
}

/* Arabic y/m/d of a date text; 0 if it has no such form. */
static int
parse_ymd(const char *s, size_t n, int *y, int *m, int *d)
{
	char *t = xstrndup(s, n), *p;
	int k = 0, v[3] = {0, 0, 0};

	for (p = t; *p && k < 3;) {
		if (*p >= '0' && *p <= '9') {
			v[k++] = (int)strtol(p, &p, 10);
		} else {
			p++;
		}
	}
	free(t);
	if (k < 3 || v[0] < 1900 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
		return 0;
	*y = v[0];
	*m = v[1];
	*d = v[2];
	return 1;
}

static void
date_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct date *t = c->data;
	const struct analysis *an = ctx->an;
	const struct result *res = ctx->res;
	const char *s = an->norm.s;
	size_t b = 0, e = an->norm.len, at, mo, ml, fo = 0, fl = 0;
	int have = 0, y, m, d, Y = res->meta.year;
	char *det = NULL;

	/*
	 * the 成文日期 of the 落款 that the analysis found at the end, after
	 * the body (a date inside the body is never one); an example: its
	 * last date
	 */
	if (!rules_example_mode()) {
		struct span sp = {an->body.end, ctx->doc->len};
		size_t x;

		if (res->meta.date == NULL)
			b = e;
		else
			analysis_norm_span(an, sp, &b, &x);
	}
	for (at = b; at < e;) {
		int rc = rules_find(c, ctx, &t->find, b, e, at, &mo, &ml);

		if (rc < 0)
			return;
		if (rc == 0)
			break;
		have = 1;
		fo = mo;
		fl = ml;
		at = mo + (ml ? ml : 1);
		if (!rules_example_mode())
			break;  /* the first date of the 落款, not a 印发 date under it */
	}
	if (!have) {
		if (!c->optional)
			rules_unchecked(c, ctx, "报告末尾没有成文日期，无法检查");
		return;
	}
	if (t->format.re) {
		size_t xo, xl;
		int rc = pattern_find(ctx->m, &t->format, s + fo, fl, 0, &xo, &xl);

		if (rc < 0) {
			rules_unchecked(c, ctx, "日期格式的正则表达式超出匹配上限");
			return;
		}
		if (rc == 0) {
			det = xasprintf("“%.*s”应写作阿拉伯数字、年份写全、月日不编虚位，如“2022年10月27日”",
			    (int)fl, s + fo);
			rules_finding_at(c, ctx, fo, fl, det);
			free(det);
			return;
		}
	}
	if (t->early_m || t->dl_m) {
		if (!parse_ymd(s + fo, fl, &y, &m, &d)) {
			rules_unchecked(c, ctx, "成文日期不是阿拉伯数字的年月日，无法核对时间");
			return;
		}
		if (Y == 0)
			Y = rules_example_mode() ? y : 0;
		if (Y == 0) {
			rules_unchecked(c, ctx, "无法确定报告所属年度，无法核对成文日期");
			return;
		}
		if (t->early_m && (y < Y || (y == Y && (m < t->early_m ||
							     (m == t->early_m && d < t->early_d)))))
			det = xasprintf("成文日期%d年%d月%d日早于%d年%d月%d日，报告没有覆盖%d年全年", y, m,
			    d, Y, t->early_m, t->early_d, Y);
		else if (t->dl_m) {
			int dm = t->dl_m, dd = t->dl_d;

			if (res->meta.unit_kind == UNIT_DEPARTMENT && t->dept_m) {
				dm = t->dept_m;
				dd = t->dept_d;
			}
			if (y > Y + 1 || (y == Y + 1 && (m > dm || (m == dm && d > dd))))
				det = xasprintf("成文日期%d年%d月%d日晚于报送期限%d年%d月%d日", y, m, d,
				    Y + 1, dm, dd);
		}
		if (det) {
			rules_finding_at(c, ctx, fo, fl, det);
			free(det);
		}
	}
}

const struct check_kind kind_date = {"date", date_load, date_run, date_free};
