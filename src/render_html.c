/*
 * render_html.c: the pages of `fzreport serve` (render_html.h).
 *
 * The result page shows, top to bottom: the verdict banner, the downloads,
 * the five required parts as a checklist (√ 有 / △ 仅在正文提及 / × 缺),
 * the findings grouped by the part they fall in (document order), and the
 * report's own text, one paragraph per line, with each positioned
 * finding's span in <mark id="mN">.  A finding links to its mark (#mN) and
 * the mark links back (#fN).  Marks that overlap are nested: a mark that
 * starts inside another ends with it at the latest, so that the HTML stays
 * well-formed and every finding keeps exactly one mark.
 */
#include "render_html.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "utf8.h"
#include "util.h"

#define TITLE "法治政府建设年度报告检查"

void
html_escape(struct buf *b, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = "\xEF\xBF\xBD"; break;
		default: continue;
		}
		buf_add(b, s + start, i - start);
		buf_adds(b, rep);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

static void
esc(struct buf *b, const char *s)
{
	if (s)
		html_escape(b, s, strlen(s));
}

static void
page_open(struct buf *b, const char *title)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>");
	esc(b, title);
	buf_adds(b, " · " TITLE "</title><link rel=\"stylesheet\" href=\"/static/fz.css\">"
		    "<script src=\"/static/fz.js\" defer></script></head>\n<body>"
		    "<header class=\"top\"><a href=\"/\">" TITLE "</a>"
		    "<nav><a href=\"/\">上传报告</a><a href=\"/rules\">检查规则</a></nav></header>\n"
		    "<main>\n");
}

static void
page_close(struct buf *b)
{
	buf_adds(b, "</main>\n<footer>fzreport " FZ_VERSION
		    " · 检查结果只保存在服务器内存中，60 分钟后删除</footer>\n</body></html>\n");
}

static const char *
verdict_class(enum verdict v)
{
	return verdict_name(v);
}

/* "第 3 行第 5 列" (column only when known). */
static void
pos_text(struct buf *b, int line, int column)
{
	if (column > 0)
		buf_printf(b, "第 %d 行第 %d 列", line, column);
	else
		buf_printf(b, "第 %d 行", line);
}

/*
 * The downloads of a result page, in one table: a new download (the
 * annotated .docx) is one more line here.  multi: only on the summary
 * page of several reports; single: only on one report's page.
 */
static const struct download {
	const char *path;
	const char *label;
	int multi;
} downloads[] = {
	{"audit.pdf", "审核意见单（PDF）", 0},
	{"annotated.docx", "加批注的报告（Word）", 0},
	{"result.json", "检查结果（JSON）", 0},
	{"rollup.xlsx", "汇总工作簿（Excel）", 1},
	{"county.pdf", "汇总册（PDF）", 1},
	{"audit.pdf", "全部审核意见单（PDF）", 1},
	{"result.json", "全部检查结果（JSON Lines）", 1},
	{NULL, NULL, 0}};

static void
download_links(struct buf *b, const char *base, int multi)
{
	const struct download *d;

	buf_adds(b, "<nav class=\"downloads\"><span>下载：</span>");
	for (d = downloads; d->path; d++) {
		if (d->multi != multi)
			continue;
		buf_adds(b, "<a href=\"");
		esc(b, base);
		buf_addc(b, '/');
		buf_adds(b, d->path);
		buf_adds(b, "\" download>");
		buf_adds(b, d->label);
		buf_adds(b, "</a>");
	}
	buf_adds(b, "</nav>\n");
}

static void
verdict_banner(struct buf *b, const struct result *r)
{
	const struct meta *m = &r->meta;

	buf_printf(b, "<section class=\"verdict v-%s\"><h1>%s</h1><p class=\"who\">",
	    verdict_class(r->summary.verdict), verdict_name_zh(r->summary.verdict));
	if (m->unit) {
		buf_adds(b, "<span class=\"unit\">");
		esc(b, m->unit);
		buf_adds(b, "</span>");
		if (m->unit_kind != UNIT_UNKNOWN)
			buf_printf(b, "（%s）", unit_kind_name_zh(m->unit_kind));
	} else {
		buf_adds(b, "<span class=\"unit\">未识别出单位名称</span>");
	}
	if (m->year)
		buf_printf(b, " · %d 年度", m->year);
	buf_adds(b, " · 文件 <span class=\"file\">");
	esc(b, r->file);
	buf_adds(b, "</span>");
	if (!r->error)
		buf_printf(b, " · 正文 %ld 字", r->chars);
	buf_adds(b, "</p>");
	if (r->error) {
		buf_adds(b, "<p class=\"error\">");
		esc(b, r->error);
		buf_adds(b, "</p>");
	} else {
		buf_printf(b, "<p class=\"counts\">错误 <b>%d</b> · 警告 <b>%d</b> · 提示 <b>%d</b>"
			      " · 未检查 <b>%d</b></p>",
		    r->summary.errors, r->summary.warnings, r->summary.infos, r->summary.not_checked);
	}
	if (m->title) {
		buf_adds(b, "<p class=\"title\">标题：");
		esc(b, m->title);
		buf_adds(b, "</p>");
	}
	buf_adds(b, "</section>\n");
}

static void
checklist(struct buf *b, const struct result *r)
{
	size_t i;

	if (r->nsection == 0)
		return;
	buf_adds(b, "<section class=\"parts\"><h2>报告必备的部分</h2><table class=\"checklist\">"
		    "<thead><tr><th></th><th>部分</th><th>情况</th></tr></thead><tbody>\n");
	for (i = 0; i < r->nsection; i++) {
		const struct section_result *s = &r->sections[i];
		const char *sym, *what;

		switch (s->status) {
		case SECTION_FOUND: sym = "√"; what = "有"; break;
		case SECTION_INLINE: sym = "△"; what = "仅在正文提及"; break;
		default: sym = "×"; what = "缺"; break;
		}
		buf_printf(b, "<tr class=\"st-%s\"><td class=\"sym\">%s</td><td>",
		    section_status_name(s->status), sym);
		esc(b, s->name ? s->name : s->id);
		buf_printf(b, "</td><td>%s", what);
		if (s->status != SECTION_MISSING && s->line > 0) {
			buf_printf(b, "（<a href=\"#L%d\">", s->line);
			pos_text(b, s->line, 0);
			buf_adds(b, "</a>");
			if (s->status == SECTION_FOUND)
				buf_printf(b, "，%ld 字", s->chars);
			buf_adds(b, "）");
		}
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody></table></section>\n");
}

/* Paragraph index with paras[].line == line, or -1. */
static long
para_of_line(const struct doc *d, int line)
{
	size_t lo = 0, hi = d ? d->npara : 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (d->paras[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < (d ? d->npara : 0) && d->paras[lo].line == line ? (long)lo : -1;
}

/* Where finding k is marked in the text: paragraph, byte range in it. */
struct place {
	long para;          /* -1: not in the text */
	size_t off, end;
	size_t k;
};

static void
place_finding(const struct doc *d, const struct finding *f, size_t k, struct place *pl)
{
	const char *t;
	size_t n, len;

	pl->k = k;
	pl->para = -1;
	if (d == NULL || f->line <= 0 || (pl->para = para_of_line(d, f->line)) < 0)
		return;
	t = doc_para_text(d, (size_t)pl->para);
	n = d->paras[pl->para].len;
	pl->off = f->column > 1 ? utf8_prefix(t, n, (size_t)f->column - 1) : 0;
	len = f->mark_off >= 0 && f->mark_len > 0 ? (size_t)f->mark_len : 0;
	if (len == 0 && pl->off < n) {
		/* no span: mark one character */
		utf8_decode(t + pl->off, n - pl->off, &len);
		if (len == 0)
			len = 1;
	}
	pl->end = pl->off + len > n ? n : pl->off + len;
	/* never split a character */
	while (pl->end < n && ((unsigned char)t[pl->end] & 0xC0) == 0x80)
		pl->end++;
}

static int
cmp_place(const void *a, const void *b)
{
	const struct place *x = a, *y = b;

	if (x->para != y->para)
		return x->para < y->para ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

static void
mark_close(struct buf *b, const struct result *r, size_t k)
{
	buf_printf(b, "<a class=\"back\" href=\"#f%zu\" title=\"", k + 1);
	esc(b, r->findings[k].message);
	buf_printf(b, "\">%zu</a></mark>", k + 1);
}

/* One paragraph with the marks pl[0..n) (sorted, all in this paragraph). */
static void
para_html(struct buf *b, const struct result *r, const struct doc *d, size_t i,
	const struct place *pl, size_t n)
{
	const char *t = doc_para_text(d, i);
	size_t len = d->paras[i].len, pos = 0, j, depth = 0;
	size_t *stk_end = n ? xcalloc(n, sizeof(size_t)) : NULL;
	size_t *stk_k = n ? xcalloc(n, sizeof(size_t)) : NULL;

	buf_printf(b, "<p id=\"L%d\"%s><span class=\"ln\">%d</span>", d->paras[i].line,
	    d->paras[i].flags & PARA_TABLE ? " class=\"cell\"" : "", d->paras[i].line);
	for (j = 0; j < n; j++) {
		size_t off = pl[j].off, end = pl[j].end;

		while (depth > 0 && stk_end[depth - 1] <= off) {
			html_escape(b, t + pos, stk_end[depth - 1] - pos);
			pos = stk_end[depth - 1];
			mark_close(b, r, stk_k[--depth]);
		}
		if (off < pos)
			off = pos;
		if (depth > 0 && end > stk_end[depth - 1])
			end = stk_end[depth - 1];
		if (end < off)
			end = off;
		html_escape(b, t + pos, off - pos);
		pos = off;
		buf_printf(b, "<mark id=\"m%zu\" class=\"sev-%s\">", pl[j].k + 1,
		    severity_name(r->findings[pl[j].k].severity));
		stk_end[depth] = end;
		stk_k[depth++] = pl[j].k;
	}
	while (depth > 0) {
		html_escape(b, t + pos, stk_end[depth - 1] - pos);
		pos = stk_end[depth - 1];
		mark_close(b, r, stk_k[--depth]);
	}
	html_escape(b, t + pos, len - pos);
	buf_adds(b, "</p>\n");
	free(stk_end);
	free(stk_k);
}

/* The report's text with the marks; pl[0..n) sorted by place. */
static void
text_html(struct buf *b, const struct result *r, const struct doc *d, const struct place *pl,
	size_t n)
{
	size_t i, j = 0;

	buf_adds(b, "<section class=\"text\"><h2>报告原文</h2>"
		    "<p class=\"note\">标出的文字是问题所在，点右上角的编号回到问题。</p><div class=\"doc\">\n");
	while (j < n && pl[j].para < 0)
		j++;
	for (i = 0; i < d->npara; i++) {
		size_t s = j;

		while (j < n && pl[j].para == (long)i)
			j++;
		para_html(b, r, d, i, pl + s, j - s);
	}
	buf_adds(b, "</div></section>\n");
}

/*
 * The part a finding at line falls in: the last level-1 heading at or
 * before it (its index in the outline), -1 before the first, -2 for a
 * finding on the whole document.
 */
static long
part_of(const struct result *r, int line)
{
	long g = -1;
	size_t i;

	if (line <= 0)
		return -2;
	for (i = 0; i < r->noutline; i++) {
		if (r->outline[i].level != 1)
			continue;
		if (r->outline[i].line > line)
			break;
		g = (long)i;
	}
	return g;
}

static void
part_name(struct buf *b, const struct result *r, long g)
{
	const struct outline_node *nd;
	size_t i;

	if (g == -2) {
		buf_adds(b, "全文");
		return;
	}
	if (g == -1) {
		buf_adds(b, "标题和开头");
		return;
	}
	nd = &r->outline[g];
	if (nd->numbering)
		esc(b, nd->numbering);
	esc(b, nd->text);
	if (nd->section)
		for (i = 0; i < r->nsection; i++)
			if (strcmp(r->sections[i].id, nd->section) == 0 && r->sections[i].name) {
				buf_adds(b, "<span class=\"part\">（");
				esc(b, r->sections[i].name);
				buf_adds(b, "）</span>");
			}
}

static void
finding_html(struct buf *b, const struct result *r, size_t k, int placed)
{
	const struct finding *f = &r->findings[k];

	buf_printf(b, "<li id=\"f%zu\" class=\"finding sev-%s\"><span class=\"sev\">%s</span> ",
	    k + 1, severity_name(f->severity), severity_name_zh(f->severity));
	if (f->line > 0) {
		if (placed)
			buf_printf(b, "<a class=\"pos\" href=\"#m%zu\">", k + 1);
		else
			buf_adds(b, "<span class=\"pos\">");
		pos_text(b, f->line, f->column);
		buf_adds(b, placed ? "</a> " : "</span> ");
	}
	buf_adds(b, "<span class=\"msg\">");
	esc(b, f->message);
	buf_adds(b, "</span> <code class=\"rule\">");
	esc(b, f->rule);
	buf_adds(b, "</code>");
	if (f->more > 0)
		buf_printf(b, " <span class=\"more\">（另有 %d 处同类问题未列出）</span>", f->more);
	if (f->excerpt) {
		size_t n = strlen(f->excerpt);

		buf_adds(b, "<blockquote class=\"excerpt\">");
		if (f->mark_off >= 0 && (size_t)f->mark_off <= n &&
		    (size_t)(f->mark_off + (f->mark_len > 0 ? f->mark_len : 0)) <= n) {
			size_t mo = (size_t)f->mark_off, ml = f->mark_len > 0 ? (size_t)f->mark_len : 0;

			html_escape(b, f->excerpt, mo);
			buf_adds(b, "<b>");
			html_escape(b, f->excerpt + mo, ml);
			buf_adds(b, "</b>");
			html_escape(b, f->excerpt + mo + ml, n - mo - ml);
		} else {
			html_escape(b, f->excerpt, n);
		}
		buf_adds(b, "</blockquote>");
	}
	if (f->source || f->hint) {
		buf_adds(b, "<dl>");
		if (f->source) {
			buf_adds(b, "<dt>依据</dt><dd>");
			esc(b, f->source);
			buf_adds(b, "</dd>");
		}
		if (f->hint) {
			buf_adds(b, "<dt>修改建议</dt><dd>");
			esc(b, f->hint);
			buf_adds(b, "</dd>");
		}
		buf_adds(b, "</dl>");
	}
	buf_adds(b, "</li>\n");
}

/* Findings grouped by part, groups in order of their first finding. */
static void
findings_html(struct buf *b, const struct result *r, const char *placed)
{
	long *grp;
	char *done;
	size_t i, k;

	buf_printf(b, "<section class=\"findings\"><h2>问题（%zu 条）</h2>\n", r->nfinding);
	if (r->nfinding == 0) {
		buf_adds(b, "<p class=\"none\">没有发现问题。</p></section>\n");
		return;
	}
	grp = xcalloc(r->nfinding, sizeof(*grp));
	done = xcalloc(r->nfinding, 1);
	for (k = 0; k < r->nfinding; k++)
		grp[k] = part_of(r, r->findings[k].line);
	for (i = 0; i < r->nfinding; i++) {
		if (done[i])
			continue;
		buf_adds(b, "<h3>");
		part_name(b, r, grp[i]);
		buf_adds(b, "</h3>\n<ol class=\"group\">\n");
		for (k = i; k < r->nfinding; k++)
			if (!done[k] && grp[k] == grp[i]) {
				done[k] = 1;
				finding_html(b, r, k, placed[k]);
			}
		buf_adds(b, "</ol>\n");
	}
	free(grp);
	free(done);
	buf_adds(b, "</section>\n");
}

static void
unchecked_html(struct buf *b, const struct result *r)
{
	size_t i;

	if (r->nunchecked == 0)
		return;
	buf_printf(b, "<details class=\"unchecked\"><summary>未检查的规则（%zu 条）</summary><ul>\n",
	    r->nunchecked);
	for (i = 0; i < r->nunchecked; i++) {
		const struct unchecked *u = &r->unchecked[i];

		buf_adds(b, "<li><code>");
		esc(b, u->rule);
		buf_adds(b, "</code> ");
		esc(b, u->message);
		buf_adds(b, "：<span class=\"reason\">");
		esc(b, u->reason);
		buf_adds(b, "</span></li>\n");
	}
	buf_adds(b, "</ul></details>\n");
}

char *
html_result_page(const struct result *r, const struct doc *d, const char *base, const char *up)
{
	struct buf b;
	struct place *pl = xcalloc(r->nfinding + 1, sizeof(*pl));
	char *placed = xcalloc(r->nfinding + 1, 1);
	size_t k;

	for (k = 0; k < r->nfinding; k++) {
		place_finding(d, &r->findings[k], k, &pl[k]);
		placed[k] = pl[k].para >= 0;
	}
	if (r->nfinding > 1)
		qsort(pl, r->nfinding, sizeof(*pl), cmp_place);
	buf_init(&b);
	page_open(&b, r->meta.unit ? r->meta.unit : "检查结果");
	if (up) {
		buf_adds(&b, "<p class=\"up\"><a href=\"");
		esc(&b, up);
		buf_adds(&b, "\">← 返回本次上传的汇总表</a></p>\n");
	}
	verdict_banner(&b, r);
	download_links(&b, base, 0);
	if (!r->error) {
		checklist(&b, r);
		findings_html(&b, r, placed);
		unchecked_html(&b, r);
		if (d)
			text_html(&b, r, d, pl, r->nfinding);
	} else {
		buf_adds(&b, "<section class=\"howto\"><h2>怎么办</h2><p>请在 Word 或 WPS 中打开报告，"
			     "“另存为” Word 文档（.docx），再上传一次。</p></section>\n");
	}
	page_close(&b);
	free(pl);
	free(placed);
	return buf_detach(&b);
}

char *
html_summary_page(const struct result *r, size_t n, const char *id)
{
	struct buf b;
	size_t i, k, cnt[4] = {0, 0, 0, 0};
	char *base = xasprintf("/r/%s", id);

	for (i = 0; i < n; i++)
		if ((unsigned)r[i].summary.verdict < 4)
			cnt[r[i].summary.verdict]++;
	buf_init(&b);
	page_open(&b, "汇总");
	buf_printf(&b, "<section class=\"verdict v-summary\"><h1>共 %zu 份报告</h1>"
		       "<p class=\"counts\">合格 <b>%zu</b> · 需修改 <b>%zu</b> · 不合格 <b>%zu</b>"
		       " · 无法读取 <b>%zu</b></p></section>\n",
	    n, cnt[VERDICT_PASS], cnt[VERDICT_REVISE], cnt[VERDICT_FAIL], cnt[VERDICT_UNREADABLE]);
	download_links(&b, base, 1);
	buf_adds(&b, "<section class=\"summary\"><table class=\"summary\"><thead><tr><th>#</th>"
		     "<th>单位</th><th>文件</th><th>结论</th><th>错误</th><th>警告</th>"
		     "<th>缺少的部分</th></tr></thead><tbody>\n");
	for (i = 0; i < n; i++) {
		int first = 1;

		buf_printf(&b, "<tr class=\"v-%s\"><td>%zu</td><td><a href=\"%s/%zu\">",
		    verdict_class(r[i].summary.verdict), i + 1, base, i + 1);
		esc(&b, r[i].meta.unit ? r[i].meta.unit : "（未识别）");
		buf_adds(&b, "</a></td><td class=\"file\">");
		esc(&b, r[i].file);
		buf_printf(&b, "</td><td class=\"verdict\">%s</td><td>%d</td><td>%d</td><td>",
		    verdict_name_zh(r[i].summary.verdict), r[i].summary.errors, r[i].summary.warnings);
		if (r[i].error) {
			esc(&b, r[i].error);
		} else {
			for (k = 0; k < r[i].nsection; k++) {
				if (r[i].sections[k].status != SECTION_MISSING ||
				    r[i].sections[k].missing_severity == SEV_NONE)
					continue;
				if (!first)
					buf_adds(&b, "、");
				first = 0;
				esc(&b, r[i].sections[k].name);
			}
			if (first)
				buf_adds(&b, "—");
		}
		buf_adds(&b, "</td></tr>\n");
	}
	buf_adds(&b, "</tbody></table></section>\n");
	page_close(&b);
	free(base);
	return buf_detach(&b);
}

char *
html_index_page(size_t max_upload)
{
	struct buf b;

	buf_init(&b);
	page_open(&b, "上传报告");
	buf_adds(&b, "<section class=\"upload\"><h1>检查法治政府建设年度报告</h1>\n"
		     "<p>选择报告文件（Word .docx 或纯文本 .txt，可以一次选多份），点“开始检查”。"
		     "几秒钟后就能看到结论、缺少的部分和每一处要修改的地方。</p>\n"
		     "<form id=\"upload\" method=\"post\" action=\"/check\" enctype=\"multipart/form-data\">\n"
		     "<div id=\"drop\" class=\"drop\"><label for=\"file\">报告文件</label>"
		     "<input type=\"file\" id=\"file\" name=\"file\" multiple required "
		     "accept=\".docx,.txt,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain\">"
		     "<p class=\"hint\">也可以把文件拖到这里</p></div>\n"
		     "<div class=\"prev\"><label for=\"previous\">上一年度的报告（可选，用于比较是否照抄）</label>"
		     "<input type=\"file\" id=\"previous\" name=\"previous\" accept=\".docx,.txt\"></div>\n"
		     "<p><button type=\"submit\">开始检查</button></p>\n</form>\n");
	buf_printf(&b, "<p class=\"note\">一次上传合计不超过 %zu MB。旧版 Word（.doc）和 WPS（.wps）文件请先“另存为” .docx。"
		       "上传的文件不保存到磁盘，检查结果 60 分钟后自动删除。</p></section>\n",
	    (max_upload + (1 << 20) - 1) >> 20);
	page_close(&b);
	return buf_detach(&b);
}

static void
rule_row(struct buf *b, const char *id, enum severity sev, const char *message,
	const char *source, const char *hint, const char *scope)
{
	buf_adds(b, "<tr id=\"");
	esc(b, id);
	buf_printf(b, "\" class=\"sev-%s\"><td><code>", severity_name(sev));
	esc(b, id);
	buf_printf(b, "</code></td><td class=\"sev\">%s</td><td>", severity_name_zh(sev));
	esc(b, message);
	buf_adds(b, "</td><td>");
	esc(b, source);
	buf_adds(b, "</td><td>");
	esc(b, hint);
	if (scope) {
		buf_adds(b, "<br><span class=\"scope\">检查范围：");
		esc(b, scope);
		buf_adds(b, "</span>");
	}
	buf_adds(b, "</td></tr>\n");
}

char *
html_rules_page(const struct rulepack *p)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	page_open(&b, "检查规则");
	buf_adds(&b, "<section class=\"rules\"><h1>检查规则</h1><p>规则包：");
	for (i = 0; i < p->npack; i++) {
		if (i)
			buf_adds(&b, "、");
		esc(&b, p->packs[i].name);
		buf_adds(&b, " ");
		esc(&b, p->packs[i].version);
	}
	buf_adds(&b, "</p>\n<table class=\"rules\"><thead><tr><th>编号</th><th>级别</th>"
		     "<th>问题</th><th>依据</th><th>说明和修改建议</th></tr></thead><tbody>\n");
	for (i = 0; i < p->nsection; i++) {
		const struct section_def *s = &p->sections[i];

		if (s->rule && s->missing != SEV_NONE)
			rule_row(&b, s->rule, s->missing, s->message ? s->message : s->name, s->source,
			    s->hint, NULL);
	}
	for (i = 0; i < p->ncheck; i++) {
		const struct check_def *d = &p->checks[i];

		if (d->enabled)
			rule_row(&b, d->id, d->severity, d->message, d->source, d->hint, d->scope);
	}
	buf_adds(&b, "</tbody></table></section>\n");
	page_close(&b);
	return buf_detach(&b);
}

char *
html_message_page(const char *title, const char *msg)
{
	struct buf b;

	buf_init(&b);
	page_open(&b, title);
	buf_adds(&b, "<section class=\"message\"><h1>");
	esc(&b, title);
	buf_adds(&b, "</h1><p>");
	esc(&b, msg);
	buf_adds(&b, "</p><p><a href=\"/\">回到上传页面</a></p></section>\n");
	page_close(&b);
	return buf_detach(&b);
}
