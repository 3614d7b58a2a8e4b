/*
 * kind_layout.c: the layout of a .docx against GB/T 9704 -- fonts and
 * sizes per role (title, level-1..4 headings, body) from the resolved
 * paragraph formatting, or the page set-up (paper and margins).  A .txt
 * has no layout: the rule is "not checked" (scope: layout).
 *
 *   layout:
 *     fonts:
 *       title: {font: 小标宋, size: 22}
 *       level1: {font: 黑体, size: 16}
 *       body: {font: 仿宋, size: 16}
 *   layout:
 *     page: {width: 210, height: 297, top: 37, bottom: 35, left: 28, right: 26, tolerance: 1}
 *
 * font is a regex on the east-Asian font name; size is in points (±0.5).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

enum role { R_TITLE, R_L1, R_L2, R_L3, R_L4, R_BODY, R_MAX };
/* NULL-terminated: also the list of allowed keys */
static const char *const role_key[R_MAX + 1] = {"title", "level1", "level2", "level3", "level4",
	"body", NULL};
static const char *const role_zh[R_MAX] = {"标题", "一级标题", "二级标题", "三级标题",
	"四级标题", "正文"};

struct fontspec {
	int have;
	struct pattern font;
	double size;
};

struct layout {
	struct fontspec f[R_MAX];
	int page;
	double pg[6];   /* width height top bottom left right; < 0 unset */
	double tol;
};

static const char *const page_key[6] = {"width", "height", "top", "bottom", "left", "right"};
static const char *const page_zh[6] = {"纸张宽度", "纸张高度", "上边距（天头）", "下边距",
	"左边距（订口）", "右边距"};

static void
layout_free(void *data)
{
	struct layout *t = data;
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < R_MAX; i++)
		pattern_release(&t->f[i].font);
	free(t);
}

static int
layout_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"fonts", "page", NULL};
	static const char *const fkeys[] = {"font", "size", NULL};
	static const char *const pkeys[] = {"width", "height", "top", "bottom", "left", "right",
		"tolerance", NULL};
	struct layout *t = c->data;
	yaml_node_t *v, *x, *y;
	int i;

	if (t == NULL) {
		c->data = t = xcalloc(1, sizeof(*t));
		for (i = 0; i < 6; i++)
			t->pg[i] = -1;
		t->tol = 1;
	}
	if (ry_keys(doc, n, keys, "layout", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "fonts"))) {
		if (ry_keys(doc, v, role_key, "fonts", err) == -1)
			return -1;
		for (i = 0; i < R_MAX; i++) {
			if ((x = ry_get(doc, v, role_key[i])) == NULL)
				continue;
			if (ry_keys(doc, x, fkeys, role_key[i], err) == -1)
				return -1;
			t->f[i].have = 1;
			if ((y = ry_get(doc, x, "font"))) {
				pattern_release(&t->f[i].font);
				if (pattern_from_node(&t->f[i].font, doc, y, "font", err) == -1)
					return -1;
			}
			if ((y = ry_get(doc, x, "size")) && ry_double(y, "size", &t->f[i].size, err) == -1)
				return -1;
		}
	}
	if ((v = ry_get(doc, n, "page"))) {
		if (ry_keys(doc, v, pkeys, "page", err) == -1)
			return -1;
		t->page = 1;
		for (i = 0; i < 6; i++)
			if ((x = ry_get(doc, v, page_key[i])) && ry_double(x, page_key[i], &t->pg[i], err) == -1)
				return -1;
		if ((x = ry_get(doc, v, "tolerance")) && ry_double(x, "tolerance", &t->tol, err) == -1)
			return -1;
	}
	return 0;
}

/* Role of each paragraph from the outline (docx: line = paragraph number). */
static enum role *
roles(struct check_ctx *ctx)
{
	const struct doc *d = ctx->doc;
	const struct result *res = ctx->res;
	enum role *r = xcalloc(d->npara ? d->npara : 1, sizeof(*r));
	size_t i, k;

	for (i = 0; i < d->npara; i++)
		r[i] = R_BODY;
	for (k = 0; k < res->noutline; k++) {
		const struct outline_node *o = &res->outline[k];
		enum role ro;

		if (o->kind == NODE_TITLE)
			ro = R_TITLE;
		else if (o->level >= 1 && o->level <= 4 && !o->run_in && o->kind != NODE_ITEM)
			ro = (enum role)(R_L1 + o->level - 1);
		else
			continue;
		for (i = 0; i < d->npara; i++)
			if (d->paras[i].line == o->line)
				r[i] = ro;
	}
	return r;
}

static void
fonts_run(const struct check_def *c, struct check_ctx *ctx, const struct layout *t)
{
	const struct doc *d = ctx->doc;
	enum role *r = roles(ctx);
	size_t i, first[R_MAX], bad[R_MAX];
	char *what[R_MAX];
	int k, checked = 0;

	for (k = 0; k < R_MAX; k++) {
		bad[k] = 0;
		what[k] = NULL;
	}
	for (i = 0; i < d->npara; i++) {
		const struct para *p = &d->paras[i];
		const struct fontspec *f = &t->f[r[i]];
		int wrong = 0;
		size_t mo, ml;

		if (!f->have || p->len == 0 || (p->flags & (PARA_TABLE | PARA_TEXTBOX)))
			continue;
		if (f->font.re && p->lay.font) {
			checked = 1;
			if (pattern_find(ctx->m, &f->font, p->lay.font, strlen(p->lay.font), 0, &mo, &ml) != 1)
				wrong = 1;
		}
		if (f->size > 0 && p->lay.size_pt > 0) {
			checked = 1;
			if (fabs(p->lay.size_pt - f->size) > 0.5)
				wrong = 1;
		}
		if (!wrong)
			continue;
		if (bad[r[i]]++ == 0) {
			first[r[i]] = i;
			what[r[i]] = xasprintf("%s应为%s%s%g 磅，实为%s %g 磅", role_zh[r[i]],
			    f->font.src ? f->font.src : "", f->font.src ? " " : "", f->size,
			    p->lay.font ? p->lay.font : "（未知字体）", p->lay.size_pt);
		}
	}
	for (k = 0; k < R_MAX; k++)
		if (bad[k]) {
			const struct para *p = &d->paras[first[k]];
			char *det = bad[k] > 1 ? xasprintf("%s（共 %zu 段）", what[k], bad[k])
					       : xstrdup(what[k]);

			rules_finding_orig(c, ctx, p->off, p->len < 60 ? p->len : 0, det);
			free(det);
			free(what[k]);
		}
	if (!checked)
		rules_unchecked(c, ctx, "文档没有可读的字体和字号信息，无法检查");
	free(r);
}

static void
page_run(const struct check_def *c, struct check_ctx *ctx, const struct layout *t)
{
	const struct page_layout *pg = &ctx->doc->page;
	double have[6];
	int i;

	if (!pg->have) {
		rules_unchecked(c, ctx, "文档没有页面设置信息，无法检查");
		return;
	}
	have[0] = pg->width;
	have[1] = pg->height;
	have[2] = pg->top;
	have[3] = pg->bottom;
	have[4] = pg->left;
	have[5] = pg->right;
	for (i = 0; i < 6; i++)
		if (t->pg[i] >= 0 && fabs(have[i] - t->pg[i]) > t->tol) {
			char *det = xasprintf("%s应为 %g 毫米（±%g），实为 %.1f 毫米", page_zh[i], t->pg[i],
			    t->tol, have[i]);

			rules_finding_doc(c, ctx, det);
			free(det);
		}
}

static void
layout_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct layout *t = c->data;
	struct scope sc;

	if (ctx->doc->format != DOCFMT_DOCX) {
		if (!c->optional)
			rules_unchecked(c, ctx,
			    "纯文本报告没有版式信息（字体、字号、页边距），无法检查；请提交 .docx");
		return;
	}
	if (rules_scope(c, ctx, &sc) != 0)
		return;
	scope_release(&sc);
	fonts_run(c, ctx, t);
	if (t->page)
		page_run(c, ctx, t);
}

const struct check_kind kind_layout = {"layout", layout_load, layout_run, layout_free};
