/*
 * render_term.c: findings one per line in the common format, then a
 * summary line per report:
 *   fzreport: FILE:LINE:COL: ERROR: RULE-ID: message: excerpt
 *   fzreport: FILE: 不合格：错误 2，警告 3，提示 1，未检查 1
 * Rules that could not be evaluated are listed as NOTCHECKED lines.
 */
#include <stdlib.h>

#include "diag.h"
#include "render.h"
#include "util.h"

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

void
term_render(struct render_state *st, const struct result *r)
{
	FILE *fp = st->o.fp;
	size_t i;

	for (i = 0; i < r->nfinding; i++) {
		const struct finding *f = &r->findings[i];

		diag_emit(fp, r->file, f->line, f->column, f->severity, f->rule, f->message,
		    f->excerpt);
	}
	for (i = 0; i < r->nunchecked; i++) {
		const struct unchecked *u = &r->unchecked[i];
		char *msg = xasprintf("未检查：%s", u->reason);

		fprintf(fp, "%s: ", diag_progname);
		diag_puts(fp, r->file);
		fprintf(fp, ": NOTCHECKED: %s: ", u->rule);
		diag_puts(fp, msg);
		fputc('\n', fp);
		free(msg);
	}
	if (st->o.summary)
	{
		fprintf(fp, "%s: ", diag_progname);
		diag_puts(fp, r->file);
		fprintf(fp, ": %s：错误 %d，警告 %d，提示 %d，未检查 %d\n",
		    verdict_name_zh(r->summary.verdict), r->summary.errors,
		    r->summary.warnings, r->summary.infos, r->summary.not_checked);
	}
}

void
term_close(struct render_state *st)
{
	free(st);
}
