/*
 * kind_layout.c: the layout of a .docx against GB/T 9704 -- the font and
 * size of each element of a 公文, or the page set-up (paper and margins
 * of every section).  A .txt has no layout: the rule is "not checked"
 * (scope: layout).
 *
 *   layout:
 *     fonts:
 *       title: {font: 小标宋, size: 22}
 *       level1: {font: 黑体, size: 16}
 *       body: {font: 仿宋, size: 16}
 *   layout:
 *     page: {width: 210, height: 297, top: 37, bottom: 35, left: 28, right: 26, tolerance: 1}
 *
 * font is a regex on the font family: a known Chinese font under any of
 * its names (SimHei, 方正黑体_GBK ... = 黑体; FangSong, 仿宋_GB2312 = 仿宋;
 * FZXiaoBiaoSong-B05S, 方正小标宋简体 = 小标宋 ...) is matched by its
 * family name, another font by its own name.  size is in points (±0.5).
 *
 * The elements are told apart by position and content: the 版头 before
 * the 发文字号 (份号, 密级, 紧急程度, 发文机关标志 or 纪要标志), the
 * 发文字号 and 签发人, the title (centred lines after the 版头), the
 * 主送机关 (a line ending in a colon right after the title), the body
 * with its headings (level from the number written: 一、 （一） 1. （1）),
 * 附件说明, the 落款 (署名 and date at the end), 附注, 纪要 出席/请假/列席
 * lines, the 版记 (抄送, 印发) and the 附件 label of an attachment page.
 * A run-in heading is checked as a heading up to its first 。 and as body
 * text after it; the lead sentence of an "一是……" paragraph is left alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "utf8.h"

enum role {
	R_TITLE, R_L1, R_L2, R_L3, R_L4, R_BODY, R_MARK, R_MINUTES, R_COPYNO, R_SECRET,
	R_URGENCY, R_DOCNO, R_SIGNER, R_ADDRESSEE, R_ATTACH, R_SIGNATURE, R_NOTE, R_RECORD,
	R_ANNEX, R_ATTENDEE, R_PAGENO, R_MAX,
	R_SKIP = R_MAX /* not checked (subtitle, date line under the title ...) */
};
/* NULL-terminated: also the list of allowed keys */
static const char *const role_key[R_MAX + 1] = {"title", "level1", "level2", "level3", "level4",
	"body", "mark", "minutes", "copyno", "secret", "urgency", "docnumber", "signer",
	"addressee", "attachment", "signature", "note", "record", "annex", "attendee", "pageno",
	NULL};
static const char *const role_zh[R_MAX] = {"标题", "一级标题", "二级标题", "三级标题",
	"四级标题", "正文", "发文机关标志", "纪要标志", "份号", "密级和保密期限", "紧急程度",
	"发文字号", "签发人姓名", "主送机关", "附件说明", "落款（署名和成文日期）", "附注",
	"版记（抄送、印发机关和日期）", "附件标识", "出席人员标注", "页码"};

struct fontspec {
	int have;
	struct pattern font;
	char *name;     /* the font as a message names it (name:, or the pattern's first word) */
	double size;
};

struct layout {
	struct fontspec f[R_MAX];
	int fonts;
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
	for (i = 0; i < R_MAX; i++) {
		pattern_release(&t->f[i].font);
		free(t->f[i].name);
	}
	free(t);
}

static int
layout_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"fonts", "page", NULL};
	static const char *const fkeys[] = {"font", "name", "size", NULL};
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
			t->fonts = 1;
			if ((y = ry_get(doc, x, "font"))) {
				pattern_release(&t->f[i].font);
				if (pattern_from_node(&t->f[i].font, doc, y, "font", err) == -1)
					return -1;
				free(t->f[i].name);
				t->f[i].name = y->type == YAML_SCALAR_NODE ? pattern_label(t->f[i].font.src) : NULL;
				if (t->f[i].name == NULL && y->type == YAML_SEQUENCE_NODE &&
				    y->data.sequence.items.start < y->data.sequence.items.top) {
					yaml_node_t *z = yaml_document_get_node(doc, *y->data.sequence.items.start);

					if (z && z->type == YAML_SCALAR_NODE)
						t->f[i].name = pattern_label((char *)z->data.scalar.value);
				}
			}
			if ((y = ry_get(doc, x, "name"))) {
				if (y->type != YAML_SCALAR_NODE)
					return ry_error(y, err, "%s 的 name 应为字体名称", role_key[i]);
				free(t->f[i].name);
				t->f[i].name = xstrdup((char *)y->data.scalar.value);
			}
			if (t->f[i].font.src && t->f[i].name == NULL)
				return ry_error(x, err, "%s 的字体写成了正则表达式，请用 name: 给出报告中显示的字体名称",
				    role_key[i]);
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

/* ---- font families ---- */

/* Does s contain w, ASCII letters compared without case? */
static int
ci_has(const char *s, const char *w)
{
	size_t n = strlen(w), i;

	for (; *s != '\0'; s++) {
		for (i = 0; i < n; i++) {
			char a = s[i], b = w[i];

			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			if (a != b)
				break;
		}
		if (i == n)
			return 1;
	}
	return 0;
}

/*
 * The family of a Chinese font under any of its names (Windows, macOS,
 * 方正 and the _GB2312/_GBK builds), or NULL for another font.
 */
static const char *
font_family(const char *name)
{
	if (name == NULL)
		return NULL;
	if (ci_has(name, "小标宋") || ci_has(name, "xiaobiaosong") || ci_has(name, "FZXBS"))
		return "小标宋";
	if (ci_has(name, "仿宋") || ci_has(name, "fangsong") || ci_has(name, "FZFS"))
		return "仿宋";
	if (ci_has(name, "楷") || ci_has(name, "kaiti") || ci_has(name, "FZKai") ||
		ci_has(name, "FZKT"))
		return "楷体";
	if ((ci_has(name, "黑体") && !ci_has(name, "雅黑")) || ci_has(name, "simhei") ||
		ci_has(name, "heiti") || ci_has(name, "FZHei") || ci_has(name, "FZHT"))
		return "黑体";
	if (ci_has(name, "宋体") || ci_has(name, "simsun") || ci_has(name, "songti") ||
		ci_has(name, "STSong") || ci_has(name, "FZShuSong") || ci_has(name, "书宋"))
		return "宋体";
	return NULL;
}

/* "三号" for 16 pt; NULL for a size with no Chinese name. */
static const char *
size_name(double pt)
{
	static const struct {
		double pt;
		const char *zh;
	} v[] = {{42, "初号"}, {36, "小初"}, {26, "一号"}, {24, "小一"}, {22, "二号"},
		{18, "小二"}, {16, "三号"}, {15, "小三"}, {14, "四号"}, {12, "小四"},
		{10.5, "五号"}, {9, "小五"}};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (fabs(v[i].pt - pt) < 0.26)
			return v[i].zh;
	return NULL;
}

/* "三号（16磅）" or "13磅". */
static char *
size_text(double pt)
{
	const char *zh = size_name(pt);
	double y = pt * 2;

	/* whole or half points below 1000 (nearly every size): %g writes them
	 * exactly so, written here without printf */
	if (pt > 0 && pt < 1000 && (double)(long)y == y) {
		long h = (long)y, w = h / 2;
		char num[8], *q = num;

		if (w >= 100)
			*q++ = (char)('0' + w / 100);
		if (w >= 10)
			*q++ = (char)('0' + w / 10 % 10);
		*q++ = (char)('0' + w % 10);
		if (h % 2) {
			*q++ = '.';
			*q++ = '5';
		}
		*q = '\0';
		return zh ? xasprintf("%s（%s磅）", zh, num) : xasprintf("%s磅", num);
	}
	return zh ? xasprintf("%s（%g磅）", zh, pt) : xasprintf("%g磅", pt);
}

/* ---- the elements ---- */

/* A paragraph's text without the spaces and indent around it. */
struct ptext {
	const char *s; /* into doc->text */
	size_t n;
	size_t lead;   /* bytes skipped at the start */
};

static struct ptext
trimmed(const struct doc *d, const struct para *p)
{
	struct ptext t;
	const char *s = d->text + p->off;
	size_t n = p->len;

	t.lead = 0;
	for (;;) {
		if (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
			s++, n--, t.lead++;
		} else if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) {
			s += 3, n -= 3, t.lead += 3;
		} else {
			break;
		}
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
		n -= 3;
	t.s = s;
	t.n = n;
	return t;
}

static int
starts(struct ptext t, const char *w)
{
	size_t k = strlen(w);

	return t.n >= k && memcmp(t.s, w, k) == 0;
}

static int
ends(struct ptext t, const char *w)
{
	size_t k = strlen(w);

	return t.n >= k && memcmp(t.s + t.n - k, w, k) == 0;
}

/* Byte offset of w in t, or -1. */
static long
find(struct ptext t, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; i + k <= t.n; i++)
		if (memcmp(t.s + i, w, k) == 0)
			return (long)i;
	return -1;
}

static size_t
nchars(struct ptext t)
{
	return utf8_count(t.s, t.n);
}

static int
is_digit_str(struct ptext t)
{
	size_t i;

	if (t.n == 0 || t.n > 8)
		return 0;
	for (i = 0; i < t.n; i++)
		if (t.s[i] < '0' || t.s[i] > '9')
			return 0;
	return 1;
}

/* 份号: a number of up to eight digits alone on its line. */
static int
is_copyno(struct ptext t)
{
	return is_digit_str(t);
}

/* 密级 (and 保密期限): 绝密/机密/秘密 opening a short line. */
static int
is_secret(struct ptext t)
{
	return nchars(t) <= 16 && (starts(t, "绝密") || starts(t, "机密") || starts(t, "秘密"));
}

/* 紧急程度 */
static int
is_urgency(struct ptext t)
{
	return nchars(t) <= 6 && (starts(t, "特急") || starts(t, "加急") || starts(t, "特提") ||
					 starts(t, "平急"));
}

/*
 * 发文字号 (代字〔年份〕序号号, a 令号 第N号, a 纪要 number 〔年份〕第N次),
 * possibly with 签发人 on the same line: a short line without 。 that
 * holds a bracketed year or starts with 第, and ends in 号 or 次 (or
 * carries 签发人).
 */
static int
is_docno(struct ptext t)
{
	if (t.n == 0 || nchars(t) > 50 || find(t, "。") >= 0)
		return 0;
	if (find(t, "签发人") >= 0)
		return 1;
	if (!ends(t, "号") && !ends(t, "次"))
		return 0;
	return find(t, "〔") >= 0 || find(t, "[") >= 0 || find(t, "［") >= 0 ||
		find(t, "【") >= 0 || find(t, "（") >= 0 || find(t, "(") >= 0 || starts(t, "第");
}

/* A date alone on a line: 2025年1月20日, 202X年X月X日, 二〇二五年一月二十日. */
static int
is_date_line(struct ptext t)
{
	long y = find(t, "年"), m = find(t, "月");

	return t.n > 0 && nchars(t) <= 16 && y > 0 && m > y && ends(t, "日") &&
		find(t, "，") < 0 && find(t, "。") < 0;
}

/* 页码 written into the body: "— 1 —", "- 2 -". */
static int
is_pageno(struct ptext t)
{
	size_t i = 0, digits = 0;
	int dash = 0;

	while (i < t.n) {
		if (t.s[i] >= '0' && t.s[i] <= '9') {
			digits++;
			i++;
		} else if (t.s[i] == ' ' || t.s[i] == '-') {
			dash += t.s[i] == '-';
			i++;
		} else if (i + 3 <= t.n && (memcmp(t.s + i, "—", 3) == 0 || memcmp(t.s + i, "－", 3) == 0 ||
						     memcmp(t.s + i, "–", 3) == 0)) {
			dash++;
			i += 3;
		} else if (i + 2 <= t.n && memcmp(t.s + i, "–", 2) == 0) {
			dash++;
			i += 2;
		} else {
			return 0;
		}
	}
	return digits > 0 && digits <= 4 && dash >= 2;
}

/* An "一是" paragraph: 一是, 二是 ... 十是 at the start. */
static int
is_item(struct ptext t)
{
	static const char *const num[] = {"一是", "二是", "三是", "四是", "五是", "六是", "七是",
		"八是", "九是", "十是", NULL};
	size_t i;

	for (i = 0; num[i] != NULL; i++)
		if (starts(t, num[i]))
			return 1;
	return 0;
}

static int
zh_digit(const char *s)
{
	static const char *const d[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九",
		"十", "〇", "零", NULL};
	int i;

	for (i = 0; d[i] != NULL; i++)
		if (strncmp(s, d[i], 3) == 0)
			return 1;
	return 0;
}

/* Level from the number a heading is written with: 一、 1, （一） 2, 1. 3, （1） 4; 0 none. */
static int
marker_level(struct ptext t)
{
	size_t i = 0;
	int paren = 0;

	if (starts(t, "（")) {
		paren = 1;
		i = 3;
	} else if (t.n > 0 && t.s[0] == '(') {
		paren = 1;
		i = 1;
	}
	if (i < t.n && zh_digit(t.s + i)) {
		while (i + 3 <= t.n && zh_digit(t.s + i))
			i += 3;
		if (paren)
			return (i + 3 <= t.n && memcmp(t.s + i, "）", 3) == 0) ||
					(i < t.n && t.s[i] == ')') ? 2 : 0;
		return i + 3 <= t.n && memcmp(t.s + i, "、", 3) == 0 ? 1 : 0;
	}
	if (i < t.n && t.s[i] >= '0' && t.s[i] <= '9') {
		while (i < t.n && t.s[i] >= '0' && t.s[i] <= '9')
			i++;
		if (paren)
			return (i + 3 <= t.n && memcmp(t.s + i, "）", 3) == 0) ||
					(i < t.n && t.s[i] == ')') ? 4 : 0;
		if (i < t.n && t.s[i] == '.' && !(i + 1 < t.n && t.s[i + 1] >= '0' && t.s[i + 1] <= '9'))
			return 3;
		if (i + 3 <= t.n && (memcmp(t.s + i, "．", 3) == 0 || memcmp(t.s + i, "、", 3) == 0))
			return 3;
	}
	return 0;
}

/* One part of a paragraph checked against one role: bytes [a, b) of its text. */
struct part {
	size_t para;
	size_t a, b;
	enum role role;
};

struct plan {
	struct part *v;
	size_t n, cap;
};

static void
add_part(struct plan *pl, size_t para, size_t a, size_t b, enum role r)
{
	if (r == R_SKIP || b <= a)
		return;
	xgrow(&pl->v, &pl->cap, pl->n + 1, sizeof(*pl->v));
	pl->v[pl->n].para = para;
	pl->v[pl->n].a = a;
	pl->v[pl->n].b = b;
	pl->v[pl->n].role = r;
	pl->n++;
}

/* Document order. */
static int
part_cmp(const void *x, const void *y)
{
	const struct part *a = x, *b = y;

	if (a->para != b->para)
		return a->para < b->para ? -1 : 1;
	return a->a < b->a ? -1 : a->a > b->a;
}

/* Offset just past the first 。 (or ：) in [from, t.n) of t, relative to the paragraph; 0 none. */
static size_t
lead_end(const struct ptext *t, size_t from)
{
	size_t i;

	for (i = from; i + 3 <= t->n; i++)
		if (memcmp(t->s + i, "。", 3) == 0 || memcmp(t->s + i, "：", 3) == 0)
			return t->lead + i + 3;
	return 0;
}

/* The outline node at paragraph line, or NULL. */
static const struct outline_node *
node_at(const struct result *res, int line)
{
	size_t k;

	for (k = 0; k < res->noutline; k++)
		if (res->outline[k].line == line)
			return &res->outline[k];
	return NULL;
}

/* A body paragraph: heading, run-in heading, 一是 item or text. */
static void
plan_body(struct plan *pl, const struct check_ctx *ctx, size_t i, struct ptext t)
{
	const struct para *p = &ctx->doc->paras[i];
	const struct outline_node *o = node_at(ctx->res, p->line);
	int lvl;
	size_t e;

	if (is_item(t)) {
		/* the lead sentence may be stressed; the rest is body text */
		e = lead_end(&t, 0);
		if (e > 0)
			add_part(pl, i, e, p->len, R_BODY);
		return;
	}
	if (o == NULL || o->kind == NODE_ITEM || o->kind == NODE_TITLE || o->level < 1 ||
		o->level > 4) {
		add_part(pl, i, 0, p->len, R_BODY);
		return;
	}
	lvl = marker_level(t);
	if (lvl == 0)
		lvl = o->level;
	/* a numbered sentence or note ("2.分线管理：……") at levels 3-4 is body text */
	if (lvl >= 3 && (o->run_in || nchars(t) > 40 || find(t, "：") >= 0)) {
		add_part(pl, i, 0, p->len, R_BODY);
		return;
	}
	if (!o->run_in) {
		add_part(pl, i, 0, p->len, (enum role)(R_L1 + lvl - 1));
		return;
	}
	e = lead_end(&t, 0);
	if (e == 0) {
		add_part(pl, i, 0, p->len, (enum role)(R_L1 + lvl - 1));
		return;
	}
	add_part(pl, i, 0, e, (enum role)(R_L1 + lvl - 1));
	add_part(pl, i, e, p->len, R_BODY);
}

static int
checkable(const struct doc *d, const struct para *p)
{
	return p->len > 0 && !(p->flags & (PARA_TABLE | PARA_TEXTBOX)) && trimmed(d, p).n > 0;
}

/* Is paragraph i (checkable) centred? */
static int
centred(const struct para *p)
{
	return p->lay.align == ALIGN_CENTER;
}

/* Does the paragraph look like a title line: centred, no sentence end, not a (date) line? */
static int
title_like(struct ptext t, const struct para *p, int first)
{
	if (!centred(p) || t.n == 0 || ends(t, "。") || ends(t, "：") || ends(t, ":"))
		return 0;
	if (starts(t, "（") || starts(t, "(") || starts(t, "—") || starts(t, "-"))
		return 0;
	return !first || nchars(t) >= 4 || p->lay.size_pt >= 18;
}

/*
 * The parts of the document to check, each with its role.  Indices are
 * into doc->paras; paragraphs of tables and text boxes are left out.
 */
static void
plan_doc(struct plan *pl, const struct check_ctx *ctx)
{
	const struct doc *d = ctx->doc;
	size_t *ix = xcalloc(d->npara ? d->npara : 1, sizeof(*ix));
	enum role *r;
	struct ptext *tx;
	size_t n = 0, k, j, docno = (size_t)-1, body, end, date = (size_t)-1;
	int in_annex = 0;

	for (k = 0; k < d->npara; k++)
		if (checkable(d, &d->paras[k]))
			ix[n++] = k;
	r = xcalloc(n ? n : 1, sizeof(*r));
	tx = xcalloc(n ? n : 1, sizeof(*tx));
	for (k = 0; k < n; k++) {
		tx[k] = trimmed(d, &d->paras[ix[k]]);
		r[k] = R_BODY;
	}

	/* 版头: up to the 发文字号 among the first lines */
	for (k = 0; k < n && k < 8; k++) {
		if (find(tx[k], "。") >= 0)
			break;
		if (is_docno(tx[k]) && !is_secret(tx[k])) {
			docno = k;
			break;
		}
	}
	body = 0;
	if (docno != (size_t)-1) {
		for (k = 0; k < docno; k++) {
			if (is_copyno(tx[k]))
				r[k] = R_COPYNO;
			else if (is_secret(tx[k]))
				r[k] = R_SECRET;
			else if (is_urgency(tx[k]))
				r[k] = R_URGENCY;
			else if (ends(tx[k], "纪要"))
				r[k] = R_MINUTES;
			else
				r[k] = R_MARK;
		}
		body = docno;
		/* the 发文字号 and the 签发人 lines (several for joint 上行文) */
		while (body < n && (body == docno || find(tx[body], "签发人") >= 0)) {
			long s = find(tx[body], "签发人");

			r[body] = R_SKIP;
			if (s >= 0) {
				long colon = find((struct ptext){tx[body].s + s, tx[body].n - (size_t)s, 0}, "：");
				size_t a = tx[body].lead + (size_t)s +
					(colon >= 0 ? (size_t)colon + 3 : strlen("签发人"));

				add_part(pl, ix[body], 0, a, R_DOCNO);
				add_part(pl, ix[body], a, d->paras[ix[body]].len, R_SIGNER);
			} else {
				add_part(pl, ix[body], 0, d->paras[ix[body]].len, R_DOCNO);
			}
			body++;
		}
	} else {
		while (body < n && (is_copyno(tx[body]) || is_secret(tx[body]) || is_urgency(tx[body]))) {
			r[body] = is_copyno(tx[body]) ? R_COPYNO : is_secret(tx[body]) ? R_SECRET
												: R_URGENCY;
			body++;
		}
	}

	/* the title: centred lines (a lone short line after the 发文字号, a name, is not one) */
	while (body < n && docno != (size_t)-1 && centred(&d->paras[ix[body]]) &&
		!title_like(tx[body], &d->paras[ix[body]], 1)) {
		r[body] = R_SKIP;
		body++;
	}
	if (body < n && title_like(tx[body], &d->paras[ix[body]], 1)) {
		double sz = d->paras[ix[body]].lay.size_pt;

		for (j = 0; body < n && j < 4 && title_like(tx[body], &d->paras[ix[body]], 0) &&
			fabs(d->paras[ix[body]].lay.size_pt - sz) < 0.6;
			j++)
			r[body++] = R_TITLE;
	} else if (body < n) {
		/* a title that is not centred: the one the outline found at the top */
		const struct outline_node *o = node_at(ctx->res, d->paras[ix[body]].line);

		if (o != NULL && o->kind == NODE_TITLE)
			r[body++] = R_TITLE;
	}
	/* subtitle, date or speaker lines under the title */
	while (body < n && centred(&d->paras[ix[body]]) && find(tx[body], "。") < 0 &&
		!ends(tx[body], "：") && nchars(tx[body]) <= 60) {
		r[body] = R_SKIP;
		body++;
	}
	if (body < n && (ends(tx[body], "：") || ends(tx[body], ":")) && nchars(tx[body]) <= 60 &&
		find(tx[body], "。") < 0 && marker_level(tx[body]) == 0)
		r[body++] = R_ADDRESSEE;

	/* the 落款: the last date alone on its line (not in the 版记), with the 署名 above it */
	end = n;
	for (k = n; k > body; k--) {
		struct ptext t = tx[k - 1];

		if (is_date_line(t) && find(t, "印发") < 0) {
			date = k - 1;
			break;
		}
		/* stop at the body text: a long sentence */
		if (find(t, "。") >= 0 && nchars(t) > 60 && !starts(t, "（"))
			break;
	}
	if (date != (size_t)-1) {
		r[date] = R_SIGNATURE;
		for (k = date, j = 0; k > body && j < 3; k--, j++) {
			struct ptext t = tx[k - 1];

			if (nchars(t) > 30 || find(t, "。") >= 0 || find(t, "，") >= 0 ||
				find(t, "：") >= 0 || marker_level(t) != 0 || is_date_line(t))
				break;
			r[k - 1] = R_SIGNATURE;
		}
		end = date + 1;
	}

	for (k = body; k < n; k++) {
		struct ptext t = tx[k];
		const struct para *p = &d->paras[ix[k]];

		if (r[k] == R_SIGNATURE) {
			add_part(pl, ix[k], 0, p->len, R_SIGNATURE);
			continue;
		}
		if (is_pageno(t)) {
			add_part(pl, ix[k], 0, p->len, R_PAGENO);
			continue;
		}
		if (starts(t, "出席") || starts(t, "请假") || starts(t, "列席") || starts(t, "缺席")) {
			long c = find(t, "：");

			if (c == 2 * 3) {
				add_part(pl, ix[k], 0, t.lead + 6, R_ATTENDEE);
				add_part(pl, ix[k], t.lead + 9, p->len, R_BODY);
				continue;
			}
		}
		if (k >= end) {
			/* after the 落款: 附注, 版记, attachment pages */
			if (starts(t, "抄送") || (find(t, "印发") >= 0 && nchars(t) <= 60 &&
						     find(t, "。") < 0)) {
				add_part(pl, ix[k], 0, p->len, R_RECORD);
				continue;
			}
			if (!in_annex && (starts(t, "（") || starts(t, "(")) &&
				(ends(t, "）") || ends(t, ")")) && nchars(t) <= 60) {
				add_part(pl, ix[k], 0, p->len, R_NOTE);
				continue;
			}
		}
		if (starts(t, "附件") && nchars(t) <= 6 && find(t, "：") < 0 && find(t, ":") < 0 &&
			k > body) {
			/* the 附件 label of an attachment page; its title follows, centred */
			add_part(pl, ix[k], 0, p->len, R_ANNEX);
			in_annex = 1;
			for (j = k + 1; j < n && j < k + 4 && title_like(tx[j], &d->paras[ix[j]], 0);
				j++)
				add_part(pl, ix[j], 0, d->paras[ix[j]].len, R_TITLE);
			k = j - 1;
			continue;
		}
		if (starts(t, "附件：") || starts(t, "附件:")) {
			add_part(pl, ix[k], 0, p->len, R_ATTACH);
			/* the next attachment names, numbered on their own lines */
			while (k + 1 < n && marker_level(tx[k + 1]) == 3 && find(tx[k + 1], "。") < 0 &&
				nchars(tx[k + 1]) <= 60) {
				k++;
				add_part(pl, ix[k], 0, d->paras[ix[k]].len, R_ATTACH);
			}
			continue;
		}
		plan_body(pl, ctx, ix[k], t);
	}
	for (k = 0; k < body; k++)
		if (r[k] != R_SKIP)
			add_part(pl, ix[k], 0, d->paras[ix[k]].len, r[k]);
	if (pl->n > 1)
		qsort(pl->v, pl->n, sizeof(*pl->v), part_cmp);
	free(ix);
	free(r);
	free(tx);
}

/* ---- checking ---- */

/* Does s[0..n) hold a Han character (or, with any, anything but spaces)? */
static int
has_text(const char *s, size_t n, int any)
{
	size_t i = 0, l;
	uint32_t cp;

	while (i < n) {
		cp = utf8_decode(s + i, n - i, &l);
		if (l == 0)
			l = 1;
		if (any ? (cp != ' ' && cp != '\t' && cp != 0x3000)
			: ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
				  cp >= 0x20000))
			return 1;
		i += l;
	}
	return 0;
}

/*
 * A stretch that is only an ordinal word of the body (一是, 二要, 首先,
 * 其次, 最后, 第一), which writers often set in 黑体 or bold for stress.
 */
static int
marker_span(const char *s, size_t n)
{
	struct ptext t;
	size_t i = 0;

	t.s = s;
	t.n = n;
	t.lead = 0;
	while (t.n > 0 && (t.s[t.n - 1] == ' ' || t.s[t.n - 1] == ','))
		t.n--;
	while (t.n >= 3 && (memcmp(t.s + t.n - 3, "，", 3) == 0 || memcmp(t.s + t.n - 3, "：", 3) == 0))
		t.n -= 3;
	if (t.n == 6 && (starts(t, "首先") || starts(t, "其次") || starts(t, "再次") ||
				starts(t, "最后")))
		return 1;
	if (starts(t, "第"))
		i = 3;
	if (i >= t.n || !zh_digit(t.s + i))
		return 0;
	while (i + 3 <= t.n && zh_digit(t.s + i))
		i += 3;
	if (i == t.n)
		return starts(t, "第");
	return i + 3 == t.n && (memcmp(t.s + i, "是", 3) == 0 || memcmp(t.s + i, "要", 3) == 0 ||
				       memcmp(t.s + i, "抓", 3) == 0);
}

struct bad {
	size_t n;          /* parts found wrong */
	size_t off, len;   /* the one quoted, in doc->text */
	int full;          /* it is a paragraph of some length */
	char *what;
};

/* Does the font name match the spec, by family or by name? */
static int
font_ok(struct check_ctx *ctx, const struct fontspec *f, const char *font)
{
	const char *fam = font_family(font);
	const char *s = fam ? fam : font;
	size_t mo, ml;

	return pattern_find(ctx->m, &f->font, s, strlen(s), 0, &mo, &ml) == 1;
}

static char *
font_text(const char *font)
{
	const char *fam = font_family(font);

	if (font == NULL)
		return xstrdup("（未知字体）");
	if (fam == NULL || strcmp(fam, font) == 0)
		return xstrdup(font);
	return xasprintf("%s（%s）", fam, font);
}

/* The run of a part that breaks its role's font or size (part_check). */
struct badrun {
	const char *font;
	double size_pt;
	size_t where;        /* its offset in the paragraph */
};

/* "正文应为三号（16磅）仿宋_GB2312，实为小四（12磅）宋体": what bad is, against f. */
static char *
describe(const struct fontspec *f, int role, const struct badrun *bad)
{
	int any = role == R_COPYNO || role == R_PAGENO;
	char *want = f->size > 0 ? size_text(f->size) : xstrdup("");
	char *have = size_text(bad->size_pt);
	char *ft = font_text(bad->font);
	char *what = xasprintf("%s应为%s%s，实为%s%s", role_zh[role], want,
	    f->name && !any ? f->name : "", have, any ? "" : ft);

	free(want);
	free(have);
	free(ft);
	return what;
}

/* Check part pt; 1 when wrong, with the run that is in *bad. */
static int
part_check(struct check_ctx *ctx, const struct fontspec *f, const struct para *p,
	const struct part *pt, int *checked, struct badrun *bad)
{
	const char *s = ctx->doc->text + p->off;
	struct run_span one;
	const struct run_span *sp = p->lay.spans;
	size_t nsp = p->lay.nspans, k;
	int any = pt->role == R_COPYNO || pt->role == R_PAGENO;

	if (nsp == 0) {
		one.off = 0;
		one.font = p->lay.font;
		one.size_pt = p->lay.size_pt;
		one.bold = p->lay.bold;
		sp = &one;
		nsp = 1;
	}
	for (k = 0; k < nsp; k++) {
		size_t a = k == 0 ? 0 : sp[k].off, b = k + 1 < nsp ? sp[k + 1].off : p->len;
		int badfont = 0, badsize = 0;

		if (a < pt->a)
			a = pt->a;
		if (b > pt->b)
			b = pt->b;
		if (a >= b || !has_text(s + a, b - a, any) || marker_span(s + a, b - a))
			continue;
		if (f->font.re != NULL && sp[k].font != NULL && !any) {
			*checked = 1;
			badfont = !font_ok(ctx, f, sp[k].font);
		}
		if (f->size > 0 && sp[k].size_pt > 0) {
			*checked = 1;
			badsize = fabs(sp[k].size_pt - f->size) > 0.5;
		}
		if (badfont || badsize) {
			bad->font = sp[k].font;
			bad->size_pt = sp[k].size_pt;
			bad->where = a;
			return 1;
		}
	}
	return 0;
}

/* Is [a, b) of paragraph p a stretch of running text (50 characters or more, with a 。)? */
static int
sentences(const struct doc *d, const struct para *p, size_t a, size_t b)
{
	struct ptext t;

	t.s = d->text + p->off + a;
	t.n = b - a;
	t.lead = 0;
	return b - a >= 150 && nchars(t) >= 50 && find(t, "。") >= 0;
}

static void
fonts_run(const struct check_def *c, struct check_ctx *ctx, const struct layout *t)
{
	const struct doc *d = ctx->doc;
	struct plan pl = {NULL, 0, 0};
	struct bad bad[R_MAX];
	size_t i;
	int k, checked = 0;

	memset(bad, 0, sizeof(bad));
	plan_doc(&pl, ctx);
	for (i = 0; i < pl.n; i++) {
		const struct part *pt = &pl.v[i];
		const struct para *p = &d->paras[pt->para];
		const struct fontspec *f = &t->f[pt->role];
		struct badrun br;
		size_t where;

		if (!f->have)
			continue;
		if (!part_check(ctx, f, p, pt, &checked, &br))
			continue;
		where = br.where;
		/* a paragraph counts once per role */
		if (bad[pt->role].n > 0 && i > 0 && pl.v[i - 1].para == pt->para &&
			pl.v[i - 1].role == pt->role)
			continue;
		/* the example quoted: the first, or the first real paragraph of body text
		 * (described only then: most bad parts are only counted) */
		if (bad[pt->role].n++ == 0 ||
			(pt->role == R_BODY && !bad[pt->role].full && sentences(d, p, where, pt->b))) {
			size_t len = pt->b - where;

			free(bad[pt->role].what);
			bad[pt->role].off = p->off + where;
			bad[pt->role].len = len < 60 ? len : 0;
			bad[pt->role].full = sentences(d, p, where, pt->b);
			bad[pt->role].what = describe(f, pt->role, &br);
		}
	}
	for (k = 0; k < R_MAX; k++)
		if (bad[k].n) {
			char *det = bad[k].n > 1 ? xasprintf("%s（此类共 %zu 段不符）", bad[k].what, bad[k].n)
						 : xstrdup(bad[k].what);

			rules_finding_orig(c, ctx, bad[k].off, bad[k].len, det);
			free(det);
			free(bad[k].what);
		}
	if (!checked)
		rules_unchecked(c, ctx, "文档中没有带字体字号信息的中文段落，无法检查");
	free(pl.v);
}

static void
page_run(const struct check_def *c, struct check_ctx *ctx, const struct layout *t)
{
	const struct doc *d = ctx->doc;
	size_t ns = d->nsections, s, s2;
	int i;

	if (ns == 0 && !d->page.have) {
		rules_unchecked(c, ctx, "文档没有页面设置信息，无法检查");
		return;
	}
	for (s = 0; s < (ns ? ns : 1); s++) {
		const struct page_layout *pg = ns ? &d->sections[s] : &d->page;
		double have[6];

		have[0] = pg->width;
		have[1] = pg->height;
		have[2] = pg->top;
		have[3] = pg->bottom;
		have[4] = pg->left;
		have[5] = pg->right;
		for (i = 0; i < 6; i++) {
			char *det, *where;
			int same_before = 0, all = 1;
			double v = have[i];

			if (t->pg[i] < 0 || v <= 0 || fabs(v - t->pg[i]) <= t->tol)
				continue;
			/* one finding for the sections that share a wrong value */
			for (s2 = 0; s2 < ns; s2++) {
				const struct page_layout *q = &d->sections[s2];
				double w = i == 0 ? q->width : i == 1 ? q->height : i == 2 ? q->top
					: i == 3 ? q->bottom : i == 4 ? q->left : q->right;

				if (fabs(w - v) >= 0.05)
					all = 0;
				else if (s2 < s)
					same_before = 1;
			}
			if (same_before)
				continue;
			where = ns > 1 && !all ? xasprintf("第%zu节（共%zu节）", s + 1, ns) : xstrdup("");
			det = xasprintf("%s%s应为 %g 毫米（±%g），实为 %.1f 毫米", where, page_zh[i],
			    t->pg[i], t->tol, v);
			rules_finding_doc(c, ctx, det);
			free(det);
			free(where);
		}
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
			    "纯文本没有字体和页面信息，版式规则需要 Word 文件（.docx）");
		return;
	}
	if (rules_scope(c, ctx, &sc) != 0)
		return;
	scope_release(&sc);
	if (t->fonts)
		fonts_run(c, ctx, t);
	if (t->page)
		page_run(c, ctx, t);
	if (!t->fonts && !t->page)
		rules_unchecked(c, ctx, "规则没有给出要检查的字体或页面设置");
}

const struct check_kind kind_layout = {"layout", layout_load, layout_run, layout_free};
