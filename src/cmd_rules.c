/*
 * cmd_rules.c: fzreport rules --list | --lint FILE...  and  fzreport explain ID.
 *
 * --list prints the table of rules of the default pack with the --rules
 * packs layered over it.  --lint loads each FILE over the default pack
 * (or alone, when it is the default pack), reports every problem with
 * file:line:column and runs every rule's examples through the real
 * analysis and matcher.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "rules_int.h"

static void
rules_usage(FILE *fp)
{
	fputs("用法: fzreport rules [--rules 文件]... --list\n"
	      "       fzreport rules --lint 规则文件...\n"
	      "       fzreport explain [--rules 文件]... 规则编号\n", fp);
}

static void
lint_problem(void *arg, const char *file, int line, int column, const char *msg)
{
	int *n = arg;

	(*n)++;
	diag_emit(stdout, file, line, column, SEV_ERROR, "RULES", msg, NULL);
}

static void
fatal_problem(void *arg, const char *file, int line, int column, const char *msg)
{
	lint_problem(arg, file, line, column, msg);
}

/* The default pack and the --rules files; 0 or the number of problems (printed). */
static int
load_packs(struct rulepack *p, const char **files, size_t n)
{
	char *path = xasprintf("%s/default.yaml", rules_default_path());
	int nprob = 0;
	size_t i;

	rules_init(p);
	rules_load_all(p, path, fatal_problem, &nprob);
	for (i = 0; i < n; i++)
		rules_load_all(p, files[i], fatal_problem, &nprob);
	free(path);
	return nprob;
}

static int
same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (realpath(a, ra) == NULL || realpath(b, rb) == NULL)
		return 0;
	return strcmp(ra, rb) == 0;
}

/*
 * Run c on an example text in example mode; the findings of c go to res
 * (result_init()ed by the caller), the text to d (doc_init()ed).  0 or -1.
 */
static int
example_findings(const struct rulepack *p, const struct check_def *c, struct matcher *m,
	const char *text, struct doc *d, struct result *res)
{
	struct analysis a;
	struct check_ctx ctx;
	struct error err;

	if (load_text_mem("example", text, strlen(text), d, &err) == -1)
		return -1;
	analysis_init(&a);
	analyse(p, d, &a, res, m);
	memset(&ctx, 0, sizeof(ctx));
	ctx.doc = d;
	ctx.an = &a;
	ctx.res = res;
	ctx.m = m;
	rules_run_one(c, &ctx, 1);
	analysis_release(&a);
	return 0;
}

/* Does c flag text (in example mode)? */
static int
example_fires(const struct rulepack *p, const struct check_def *c, struct matcher *m,
	const char *text)
{
	struct doc d;
	struct result res;
	size_t i;
	int hit = 0;

	doc_init(&d);
	result_init(&res);
	if (example_findings(p, c, m, text, &d, &res) == 0)
		for (i = 0; i < res.nfinding; i++)
			if (strcmp(res.findings[i].rule, c->id) == 0)
				hit = 1;
	result_release(&res);
	doc_release(&d);
	return hit;
}

/*
 * The example text with c's fix applied at each of c's findings, as
 * annotate applies it (the first of overlapping ones); a new string
 * without the final line end.
 */
static char *
example_fixed(const struct rulepack *p, const struct check_def *c, struct matcher *m,
	const char *text)
{
	struct doc d;
	struct result res;
	struct buf out;
	size_t i, done = 0, off, end;

	doc_init(&d);
	result_init(&res);
	buf_init(&out);
	if (example_findings(p, c, m, text, &d, &res) == 0) {
		for (i = 0; i < res.nfinding; i++) {
			const struct finding *f = &res.findings[i];
			char *t;

			if (strcmp(f->rule, c->id) != 0 || annotate_span(&d, f, &off, &end) == -1 ||
			    off < done || end <= off)
				continue;
			if ((t = rules_fix_apply(c, f->message, d.text + off, end - off)) == NULL)
				continue;
			buf_add(&out, d.text + done, off - done);
			buf_adds(&out, t);
			free(t);
			done = end;
		}
		buf_add(&out, d.text + done, d.len - done);
	}
	while (out.len > 0 && out.s[out.len - 1] == '\n')
		out.s[--out.len] = '\0';
	result_release(&res);
	doc_release(&d);
	if (out.s == NULL)
		return xstrdup("");
	return buf_detach(&out);
}

/* Trailing line ends of s left out, as a new string. */
static char *
chomp(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/*
 * The fixes of the rules: each "fires" example of a rule with fix:, fixed
 * as annotate fixes it, must equal its examples.fixed entry when there
 * is one (the example itself where no fix applies), and a changed text
 * must no longer fire.  Problems go to fn; returns their number.
 */
static int
lint_fixes(const struct rulepack *p, rules_problem_fn fn, void *arg)
{
	struct matcher *m = matcher_new();
	size_t i, k;
	int nprob = 0;

	for (i = 0; i < p->ncheck; i++) {
		const struct check_def *c = &p->checks[i];

		if (c->nfix == 0)
			continue;
		if (c->nfixed > 0 && c->nfixed != c->nfires) {
			char *msg = xasprintf("规则 %s 的 examples.fixed 有 %zu 项，应与 fires 的 %zu 项一一对应",
			    c->id, c->nfixed, c->nfires);

			fn(arg, c->file, c->line, c->column, msg);
			free(msg);
			nprob++;
			continue;
		}
		for (k = 0; k < c->nfires; k++) {
			char *got = example_fixed(p, c, m, c->fires[k]), *ex = chomp(c->fires[k]);
			char *want = c->nfixed > 0 ? chomp(c->fixed[k]) : NULL, *msg = NULL;

			if (want != NULL && strcmp(got, want) != 0)
				msg = xasprintf("规则 %s 的示例修改后为“%s”，examples.fixed 写的是“%s”",
				    c->id, got, want);
			else if (strcmp(got, ex) != 0 && example_fires(p, c, m, got))
				msg = xasprintf("规则 %s 的示例修改后仍然触发：%s", c->id, got);
			if (msg != NULL) {
				fn(arg, c->file, c->line, c->column, msg);
				free(msg);
				nprob++;
			}
			free(got);
			free(ex);
			free(want);
		}
	}
	matcher_free(m);
	return nprob;
}

static int
lint(char **files, int n)
{
	char *def = xasprintf("%s/default.yaml", rules_default_path());
	int i, nprob = 0, before;

	rules_strict = 1;
	for (i = 0; i < n; i++) {
		struct rulepack p;

		rules_init(&p);
		before = nprob;
		if (!same_file(files[i], def))
			rules_load_all(&p, def, lint_problem, &nprob);
		rules_load_all(&p, files[i], lint_problem, &nprob);
		if (nprob == before)
			rules_run_examples(&p, lint_problem, &nprob);
		if (nprob == before)
			lint_fixes(&p, lint_problem, &nprob);
		if (nprob == before) {
			size_t k, nex = 0;

			for (k = 0; k < p.ncheck; k++)
				nex += p.checks[k].nfires + p.checks[k].npasses;
			printf("%s: %zu 条规则，%zu 个示例，没有问题\n", files[i], p.ncheck, nex);
		}
		rules_release(&p);
	}
	free(def);
	if (nprob)
		printf("%d 个问题\n", nprob);
	return nprob ? EXIT_RULES : EXIT_CLEAN;
}

/* Width of s in terminal columns (Chinese characters count 2). */
static int
width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w += ((unsigned char)*s >= 0xE0) ? 2 : 1;
	return w;
}

static void
list(const struct rulepack *p)
{
	size_t i;
	int n = 0;

	printf("%-10s %-8s %-22s %s\n", "规则", "级别", "范围", "说明");
	for (i = 0; i < p->nsection; i++) {
		const struct section_def *s = &p->sections[i];
		char scope[64];

		if (s->rule == NULL)
			continue;
		snprintf(scope, sizeof(scope), "section:%s", s->id);
		printf("%-10s %-8s %-22s %s%s\n", s->rule,
		    s->missing ? severity_name(s->missing) : "off", scope,
		    s->message ? s->message : s->name, s->missing ? "" : "（停用）");
		n++;
	}
	for (i = 0; i < p->ncheck; i++) {
		const struct check_def *c = &p->checks[i];

		printf("%-10s %-8s %-22s %s%s\n", c->id, c->enabled ? severity_name(c->severity) : "off",
		    c->scope, c->message, c->enabled ? "" : "（停用）");
		n++;
	}
	printf("共 %d 条规则\n", n);
	(void)width;
}

static int
parse_rules_opts(int argc, char **argv, const char ***files, size_t *nfiles, int *mode)
{
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'r'},
		{"list", no_argument, NULL, 'l'},
		{"lint", no_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "r:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			*files = xrealloc(*files, (*nfiles + 1) * sizeof(**files));
			(*files)[(*nfiles)++] = optarg;
			break;
		case 'l':
			*mode = 'l';
			break;
		case 'L':
			*mode = 'L';
			break;
		case 'h':
			*mode = 'h';
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
cmd_rules(int argc, char **argv)
{
	const char **files = NULL;
	size_t nfiles = 0;
	int mode = 0, st;
	struct rulepack p;

	if (parse_rules_opts(argc, argv, &files, &nfiles, &mode) == -1 || mode == 0) {
		rules_usage(stderr);
		free(files);
		return EXIT_USAGE;
	}
	if (mode == 'h') {
		rules_usage(stdout);
		free(files);
		return EXIT_CLEAN;
	}
	if (mode == 'L') {
		if (optind >= argc) {
			rules_usage(stderr);
			free(files);
			return EXIT_USAGE;
		}
		free(files);
		return lint(argv + optind, argc - optind);
	}
	if (load_packs(&p, files, nfiles)) {
		rules_release(&p);
		free(files);
		return EXIT_RULES;
	}
	list(&p);
	st = fflush(stdout) == EOF ? EXIT_OUTPUT : EXIT_CLEAN;
	rules_release(&p);
	free(files);
	return st;
}

static void
print_field(const char *label, const char *v)
{
	if (v && *v)
		printf("%s：%s\n", label, v);
}

int
cmd_explain(int argc, char **argv)
{
	const char **files = NULL;
	size_t nfiles = 0, i;
	int mode = 0, found = 0;
	struct rulepack p;

	if (parse_rules_opts(argc, argv, &files, &nfiles, &mode) == -1 || optind >= argc) {
		rules_usage(stderr);
		free(files);
		return EXIT_USAGE;
	}
	if (load_packs(&p, files, nfiles)) {
		rules_release(&p);
		free(files);
		return EXIT_RULES;
	}
	for (; optind < argc; optind++) {
		const char *id = argv[optind];
		const struct check_def *c = rules_check(&p, id);

		if (found++)
			putchar('\n');
		if (c) {
			printf("%s（%s%s）\n", c->id, severity_name_zh(c->severity),
			    c->enabled ? "" : "，已停用");
			print_field("说明", c->message);
			print_field("依据", c->source);
			print_field("修改建议", c->hint);
			printf("检查种类：%s\n范围：%s\n", c->kind->name, c->scope);
			printf("定义于：%s:%d:%d\n", c->file, c->line, c->column);
			for (i = 0; i < c->nfires; i++) {
				printf("会报告：%s\n", c->fires[i]);
				if (i < c->nfixed)
					printf("  改为：%s\n", c->fixed[i]);
			}
			for (i = 0; i < c->npasses; i++)
				printf("不报告：%s\n", c->passes[i]);
			if (c->nfix > 0)
				printf("自动修改：有（fzreport annotate 以修订给出，可逐条接受或拒绝）\n");
			continue;
		}
		for (i = 0; i < p.nsection; i++) {
			const struct section_def *s = &p.sections[i];

			if (s->rule && strcmp(s->rule, id) == 0) {
				printf("%s（%s）\n", s->rule,
				    s->missing ? severity_name_zh(s->missing) : "已停用");
				print_field("说明", s->message);
				print_field("只在正文中提及时", s->inline_message);
				print_field("依据", s->source);
				print_field("修改建议", s->hint);
				printf("检查种类：必备部分（%s，%s）\n范围：section:%s\n", s->name, s->id, s->id);
				break;
			}
		}
		if (i == p.nsection) {
			diag_fatal("explain: 没有规则“%s”（fzreport rules --list 列出全部规则）", id);
			rules_release(&p);
			free(files);
			return EXIT_USAGE;
		}
	}
	rules_release(&p);
	free(files);
	return EXIT_CLEAN;
}
