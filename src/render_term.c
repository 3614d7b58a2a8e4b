/*
 * render_term.c: findings for a person at a terminal, in the common line
 * format, then a summary line per report:
 *   FILE:LINE:COL: 警告: RULE-ID: message: ……【marked span】……
 *     修改建议：how to fix it
 *   FILE: 警告: RULE-ID: 另有 12 处（第 30、41、57 行……）
 *   FILE: 未检查 3 条：FMT-009、FMT-010（纯文本没有字体和页面信息……）；QUAL-009（……）
 *   FILE: 不合格：错误 2，警告 3，提示 1，未检查 1。先改：……
 * (the program's name only before messages about no file, as compilers do;
 * the marked span with at most TERM_CONTEXT characters on either side).
 * The hint of a rule is printed once, under its first finding.  A rule
 * that fires more than TERM_SHOW times (once for a 提示) shows the first ones with
 * their positions and one line for the rest; JSON keeps every finding.
 * Rules not checked share one line, grouped by reason.  With --brief
 * (-q) every finding is one line and there is no summary.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "render.h"
#include "utf8.h"
#include "util.h"

/* Findings of one rule shown one by one before the rest are grouped. */
#define TERM_SHOW 3

/* Findings of a rule shown one by one: TERM_SHOW, one for a 提示 (the rest are grouped). */
static size_t
shown(const struct finding *f)
{
	return f->severity == SEV_INFO ? 1 : TERM_SHOW;
}
/* Line numbers listed in a group line. */
#define TERM_LINES 8

struct render_state {
	struct render_opts o;
};

struct render_state *
term_open(const struct render_opts *o)
{
	struct render_state *st = xcalloc(1, sizeof(*st));

	st->o = *o;
	return st;
}

/* Characters of context kept on each side of the mark on a terminal line. */
#define TERM_CONTEXT 12

/* Byte offset in s[0..n) where its last k code points start. */
static size_t
tail_start(const char *s, size_t n, size_t k)
{
	size_t i = n;

	while (i > 0 && k > 0) {
		i--;
		while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--;
		k--;
	}
	return i;
}

/*
 * The excerpt with the marked span in 【】, when the mark is part of it,
 * and at most TERM_CONTEXT characters of its sentence on either side
 * (…… where cut): the line shows where, the JSON keeps the whole sentence.
 */
static char *
marked_excerpt(const struct finding *f)
{
	size_t el, mo, ml, a, b;
	const char *x = f->excerpt;

	if (x == NULL)
		return NULL;
	el = strlen(x);
	if (f->mark_off < 0 || f->mark_len <= 0 || (size_t)f->mark_off > el)
		return xstrdup(x);
	mo = (size_t)f->mark_off;
	ml = (size_t)f->mark_len;
	if (mo + ml > el)
		ml = el - mo;
	if (ml == 0 || (mo == 0 && ml == el))
		return xstrdup(x);
	a = tail_start(x, mo, TERM_CONTEXT);
	b = utf8_prefix(x + mo + ml, el - mo - ml, TERM_CONTEXT);
	return xasprintf("%s%.*s【%.*s】%.*s%s", a > 0 ? "……" : "", (int)(mo - a), x + a, (int)ml,
	    x + mo, (int)b, x + mo + ml, mo + ml + b < el ? "……" : "");
}

/* Index of the first finding of rule among r's findings. */
static size_t
first_of(const struct result *r, const char *rule)
{
	size_t i;

	for (i = 0; i < r->nfinding; i++)
		if (strcmp(r->findings[i].rule, rule) == 0)
			break;
	return i;
}

/* How many findings of rule come before index k (and in all, in *total). */
static size_t
rank_of(const struct result *r, size_t k, size_t *total)
{
	size_t i, before = 0, n = 0;

	for (i = 0; i < r->nfinding; i++)
		if (strcmp(r->findings[i].rule, r->findings[k].rule) == 0) {
			if (i < k)
				before++;
			n++;
		}
	*total = n;
	return before;
}

/* "另有 N 处（第 a、b、c 行……）" for the findings of rule after the shown ones. */
static void
group_line(FILE *fp, const struct result *r, const struct finding *f, size_t total)
{
	struct buf b;
	size_t i, seen = 0, listed = 0, capped = 0;
	int last = -1, more = 0;

	/* the engine keeps 20 findings a rule and counts the rest on one of them */
	for (i = 0; i < r->nfinding; i++)
		if (strcmp(r->findings[i].rule, f->rule) == 0)
			capped += (size_t)r->findings[i].more;
	buf_init(&b);
	buf_printf(&b, "另有 %zu 处", total - shown(f) + capped);
	for (i = 0; i < r->nfinding; i++) {
		const struct finding *g = &r->findings[i];

		if (strcmp(g->rule, f->rule) != 0 || seen++ < shown(f) || g->line <= 0 ||
		    g->line == last)
			continue;
		if (listed == TERM_LINES) {
			more = 1;
			break;
		}
		buf_printf(&b, "%s%d", listed ? "、" : "（第 ", g->line);
		last = g->line;
		listed++;
	}
	if (listed)
		buf_printf(&b, " 行%s）", more ? "等" : "");
	diag_emit(fp, r->file, 0, 0, f->severity, f->rule, b.s, NULL);
	buf_release(&b);
}

/* The reason without a trailing "，无法检查" (the line already says 未检查). */
static void
reason_puts(FILE *fp, const char *why)
{
	static const char tail[] = "，无法检查";
	size_t n = strlen(why), t = sizeof(tail) - 1;

	if (n > t && strcmp(why + n - t, tail) == 0) {
		char *w = xstrndup(why, n - t);

		diag_puts(fp, w);
		free(w);
		return;
	}
	diag_puts(fp, why);
}

/*
 * One line for the rules not checked, grouped by reason:
 * "未检查 5 条：A、B（reason）；C、D、E（other reason）".
 */
static void
unchecked_lines(FILE *fp, const struct result *r)
{
	int *done;
	size_t i, j, first = 1;

	if (r->nunchecked == 0)
		return;
	done = xcalloc(r->nunchecked, sizeof(int));
	diag_puts(fp, r->file);
	fprintf(fp, ": 未检查 %zu 条：", r->nunchecked);
	for (i = 0; i < r->nunchecked; i++) {
		size_t n = 0;

		if (done[i])
			continue;
		if (!first)
			fputs("；", fp);
		first = 0;
		for (j = i; j < r->nunchecked; j++) {
			if (done[j] || strcmp(r->unchecked[j].reason, r->unchecked[i].reason) != 0)
				continue;
			fprintf(fp, "%s%s", n ? "、" : "", r->unchecked[j].rule);
			done[j] = 1;
			n++;
		}
		fputs("（", fp);
		reason_puts(fp, r->unchecked[i].reason);
		fputs("）", fp);
	}
	fputc('\n', fp);
	free(done);
}

/*
 * The summary: verdict and counts, then what to do first: the first
 * error (or, with none, the first warning) and how many more there are.
 */
static void
summary_line(FILE *fp, const struct result *r)
{
	const struct summary *s = &r->summary;
	const struct finding *first = NULL;
	enum severity want = s->errors ? SEV_ERROR : s->warnings ? SEV_WARNING : SEV_NONE;
	size_t i;

	diag_puts(fp, r->file);
	fprintf(fp, ": %s：错误 %d，警告 %d，提示 %d，未检查 %d", verdict_name_zh(s->verdict),
	    s->errors, s->warnings, s->infos, s->not_checked);
	for (i = 0; want != SEV_NONE && i < r->nfinding && first == NULL; i++)
		if (r->findings[i].severity == want)
			first = &r->findings[i];
	if (s->verdict != VERDICT_UNREADABLE && first != NULL) {
		fputs("。先改：", fp);
		diag_puts(fp, first->message);
		if (want == SEV_ERROR && s->errors > 1)
			fprintf(fp, "（共 %d 处错误）", s->errors);
		if (want == SEV_ERROR && s->warnings > 0)
			fprintf(fp, "；再处理 %d 处警告", s->warnings);
		else if (want == SEV_WARNING && s->warnings > 1)
			fprintf(fp, "（共 %d 处警告）", s->warnings);
	}
	fputc('\n', fp);
}

void
term_render(struct render_state *st, const struct result *r)
{
	FILE *fp = st->o.fp;
	size_t i, rank, total;

	for (i = 0; i < r->nfinding; i++) {
		const struct finding *f = &r->findings[i];
		char *ex;

		rank = rank_of(r, i, &total);
		if (!st->o.brief && rank >= shown(f)) {
			if (rank == shown(f))
				group_line(fp, r, f, total);
			continue;
		}
		ex = marked_excerpt(f);
		diag_emit(fp, r->file, f->line, f->column, f->severity, f->rule, f->message, ex);
		free(ex);
		if (!st->o.brief && f->hint && *f->hint && first_of(r, f->rule) == i) {
			fputs("    修改建议：", fp);
			diag_puts(fp, f->hint);
			fputc('\n', fp);
		}
	}
	if (st->o.brief) {
		for (i = 0; i < r->nunchecked; i++) {
			const struct unchecked *u = &r->unchecked[i];

			diag_puts(fp, r->file);
			fprintf(fp, ": 未检查: %s: ", u->rule);
			diag_puts(fp, u->reason);
			fputc('\n', fp);
		}
	} else {
		unchecked_lines(fp, r);
	}
	if (st->o.summary)
		summary_line(fp, r);
}

void
term_close(struct render_state *st)
{
	free(st);
}
