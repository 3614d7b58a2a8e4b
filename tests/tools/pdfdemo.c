/*
 * pdfdemo: lay out audit sheets from results filled in here (no checker),
 * for the PDF renderer's tests and benchmarks.
 *
 *   pdfdemo [-n FINDINGS] [-s SHEETS] [-b] [-l] [-u] [-x] [-f FONT] OUT
 *
 * -n findings per sheet (default 6), -s sheets (default 1): with -b one
 * binder OUT.pdf, else OUT is a directory receiving sheet-N.pdf; -l long
 * unit name and excerpt; -u the first report unreadable; -x an excerpt
 * with a character the font lacks.  Prints ms and bytes per sheet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "pdf_font.h"
#include "render_pdf.h"
#include "result.h"
#include "util.h"

static const char *units[] = {"青河镇", "西岭乡", "安平县司法局", "城关街道办事处", "白马河回族乡"};

static const char *msgs[] = {
	"缺少“存在的不足和原因”部分",
	"成文日期应使用阿拉伯数字，年份不得简写",
	"报告中出现“取得了一定成效”等空泛表述，缺少数据支撑",
	"发文字号格式不规范，年份应使用六角括号〔〕",
	"一级标题序号不连续：“二、”之后出现“四、”",
	"主送机关缺失或写法不规范",
};

static const char *excerpts[] = {
	"全年共办理行政复议案件12件，取得了一定成效。",
	"二〇二四年十二月",
	"（三）严格规范执法，提升执法水平；全年办理行政执法案件52件。",
	"沙政[2024]126号",
	"四、党政主要负责人履行推进法治建设第一责任人职责情况",
	"县委、县政府：",
};

static void
fill(struct result *r, int k, int nfind, int longtext, int unreadable, int badchar)
{
	static const char *ids[] = {"measures", "shortcomings", "leadership", "plan", "other_required"};
	static const char *names[] = {"主要举措和成效", "存在的不足和原因",
		"党政主要负责人履行推进法治建设第一责任人职责情况", "下一年度推进法治政府建设的主要安排",
		"其他需要报告的情况"};
	char buf[512];
	int i;

	result_init(r);
	snprintf(buf, sizeof(buf), "reports/report-%03d.txt", k);
	r->file = xstrdup(buf);
	r->format = xstrdup("txt");
	r->packs = xcalloc(1, sizeof(*r->packs));
	r->packs[0].name = xstrdup("fzreport-default");
	r->packs[0].version = xstrdup("1.0");
	r->npack = 1;
	if (unreadable) {
		r->error = xstrdup("无法解码：第 1,024 字节不是有效的 UTF-8 或 GB18030 文本");
		result_add_finding(r, "ENCODING", SEV_FATAL, 0, 0, "文件无法解码", NULL, NULL,
		    "另存为 UTF-8 编码的文本或 .docx 后重新检查");
		result_finish(r);
		return;
	}
	r->encoding = xstrdup("UTF-8");
	r->chars = 3215 + k;
	if (longtext)
		snprintf(buf, sizeof(buf), "%s人民政府（含原%s、%s合并后的新设机构）综合行政执法大队暨法治建设领导小组办公室",
		    units[k % 5], units[(k + 1) % 5], units[(k + 2) % 5]);
	else
		snprintf(buf, sizeof(buf), "%s", units[k % 5]);
	r->meta.unit = xstrdup(buf);
	r->meta.parent = xstrdup("安平县");
	r->meta.year = 2024;
	snprintf(buf, sizeof(buf), "%s人民政府关于2024年度法治政府建设情况的报告", units[k % 5]);
	r->meta.title = xstrdup(buf);
	r->sections = xcalloc(5, sizeof(*r->sections));
	for (i = 0; i < 5; i++) {
		struct section_result *s = &r->sections[i];

		s->id = xstrdup(ids[i]);
		s->name = xstrdup(names[i]);
		s->status = i == 1 ? SECTION_MISSING : i == 2 ? SECTION_INLINE : SECTION_FOUND;
		s->line = s->status == SECTION_MISSING ? 0 : 7 + 10 * i;
		s->column = 1;
		snprintf(buf, sizeof(buf), "REG-00%d", i + 1);
		s->rule = xstrdup(buf);
		s->source = xstrdup("《法治政府建设与责任落实督察工作规定》第二十五条");
	}
	r->nsection = 5;
	r->outline = xcalloc(12, sizeof(*r->outline));
	{
		struct outline_node *o = r->outline;
		const char *heads[][3] = {
			{"0", NULL, NULL},
			{"1", "一、", "主要举措和成效"},
			{"2", "（一）", "加强组织领导，压实法治建设责任"},
			{"2", "（二）", "推进依法决策，规范行政行为"},
			{"3", "1.", "严格落实重大行政决策程序"},
			{"4", "（1）", "开展合法性审查"},
			{"2", "（三）", "严格规范执法，提升执法水平"},
			{"1", "三、", "下一年度推进法治政府建设的主要安排"},
			{"1", "四、", "其他需要报告的情况"},
		};
		for (i = 0; i < 9; i++) {
			o[i].level = atoi(heads[i][0]);
			o[i].kind = i == 0 ? NODE_TITLE : NODE_HEADING;
			o[i].line = 1 + 4 * i;
			o[i].column = 1;
			o[i].text = xstrdup(i == 0 ? r->meta.title : heads[i][2]);
			o[i].numbering = heads[i][1] ? xstrdup(heads[i][1]) : NULL;
			o[i].parent = -1;
		}
		o[1].section = xstrdup("measures");
		o[7].section = xstrdup("plan");
		o[8].section = xstrdup("other_required");
		r->noutline = 9;
	}
	for (i = 0; i < nfind; i++) {
		const char *ex = excerpts[i % 6];
		struct finding *f;
		char lex[1024], hint[256];

		if (longtext && i == 0) {
			snprintf(lex, sizeof(lex), "%s%s%s%s", excerpts[2], excerpts[0], excerpts[2],
			    "镇法律顾问审查合同和规范性文件28件，提出修改意见46条，取得了一定成效，但仍有不足。");
			ex = lex;
		}
		if (badchar && i == 1)
			ex = "全年办理案件12件\xf0\x9f\x98\x80（表情）";
		/* a hint of its own: no two findings share a row (render_pdf groups those) */
		snprintf(hint, sizeof(hint), "改为“取得了明显成效”，并写明具体数据，如办理案件数、纠错率等（%d）",
		    i + 1);
		f = result_add_finding(r, i % 6 == 0 ? "REG-002" : "STYLE-010",
		    i % 3 == 0 ? SEV_ERROR : i % 3 == 1 ? SEV_WARNING : SEV_INFO, 10 + i, 3,
		    msgs[i % 6], i % 6 == 0 && !longtext ? NULL : ex,
		    "《党政机关公文格式》GB/T 9704-2012 第7.3.5条", hint);
		if (f->excerpt) {
			const char *m = strstr(f->excerpt, "取得了一定成效");

			if (m) {
				f->mark_off = m - f->excerpt;
				f->mark_len = (long)strlen("取得了一定成效");
			} else {
				f->mark_off = 0;
				f->mark_len = (long)strlen(f->excerpt) > 6 ? 6 : (long)strlen(f->excerpt);
			}
		}
	}
	result_add_unchecked(r, "LAYOUT-001", SEV_WARNING, "正文应使用3号仿宋体字",
	    "纯文本报告没有版式信息");
	result_finish(r);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	int nfind = 6, nsheet = 1, binder = 0, longtext = 0, unreadable = 0, badchar = 0, i;
	const char *fontpath = NULL, *out;
	struct pdf_font *font;
	struct pdf_opts o;
	struct pdf_state *st = NULL;
	struct error err;
	double t0;
	long long bytes = 0;
	struct stat sb;
	int a = 1;

	for (; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
			nfind = atoi(argv[++a]);
		else if (strcmp(argv[a], "-s") == 0 && a + 1 < argc)
			nsheet = atoi(argv[++a]);
		else if (strcmp(argv[a], "-f") == 0 && a + 1 < argc)
			fontpath = argv[++a];
		else if (strcmp(argv[a], "-b") == 0)
			binder = 1;
		else if (strcmp(argv[a], "-l") == 0)
			longtext = 1;
		else if (strcmp(argv[a], "-u") == 0)
			unreadable = 1;
		else if (strcmp(argv[a], "-x") == 0)
			badchar = 1;
		else
			break;
	}
	if (a + 1 != argc) {
		fprintf(stderr, "usage: pdfdemo [-n N] [-s N] [-b] [-l] [-u] [-x] [-f FONT] OUT\n");
		return 5;
	}
	out = argv[a];
	t0 = now_ms();
	if ((font = pdf_font_open(fontpath, &err)) == NULL) {
		fprintf(stderr, "pdfdemo: %s\n", err.msg);
		return 6;
	}
	memset(&o, 0, sizeof(o));
	o.font = font;
	o.checked_at = "2025-01-20 09:30";
	o.creator = "fzreport pdfdemo";
	if (!binder)
		mkdir(out, 0777);
	for (i = 0; i < nsheet; i++) {
		struct result r;
		char *path = NULL;

		fill(&r, i, nfind, longtext, unreadable && i == 0, badchar);
		if (binder) {
			if (st == NULL) {
				o.path = out;
				o.binder = 1;
				st = pdf_open(&o);
			}
		} else {
			path = xasprintf("%s/sheet-%d.pdf", out, i + 1);
			o.path = path;
			st = pdf_open(&o);
		}
		if (pdf_render(st, &r, &err) != 0) {
			fprintf(stderr, "pdfdemo: %s\n", err.msg);
			pdf_close(st, 0, &err);
			result_release(&r);
			free(path);
			pdf_font_free(font);
			return 6;
		}
		result_release(&r);
		if (!binder) {
			if (pdf_close(st, 1, &err) != 0) {
				fprintf(stderr, "pdfdemo: %s\n", err.msg);
				free(path);
				pdf_font_free(font);
				return 6;
			}
			if (stat(path, &sb) == 0)
				bytes += sb.st_size;
			free(path);
			st = NULL;
		}
	}
	if (binder) {
		if (pdf_close(st, 1, &err) != 0) {
			fprintf(stderr, "pdfdemo: %s\n", err.msg);
			pdf_font_free(font);
			return 6;
		}
		if (stat(out, &sb) == 0)
			bytes = sb.st_size;
	}
	pdf_font_free(font);
	printf("%d sheets: %.2f ms/sheet, %lld bytes/sheet, %lld bytes\n", nsheet,
	    (now_ms() - t0) / nsheet, bytes / nsheet, bytes);
	return 0;
}
