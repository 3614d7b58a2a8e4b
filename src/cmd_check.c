/*
 * cmd_check.c: fzreport check [options] FILE|DIR...
 * Findings one per line (or JSON Lines), exit status from the worst one.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "render.h"

int
exit_for_results(const struct result *r, size_t n, enum severity min)
{
	int st = EXIT_CLEAN;
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (r[i].error != NULL) {
			st = EXIT_UNREADABLE;
			continue;
		}
		for (k = 0; k < r[i].nfinding; k++) {
			enum severity s = r[i].findings[k].severity;

			if (s < min)
				continue;
			if (s >= SEV_ERROR && st < EXIT_ERRORS)
				st = EXIT_ERRORS;
			else if (s == SEV_WARNING && st < EXIT_WARNINGS)
				st = EXIT_WARNINGS;
		}
	}
	return st;
}

int
common_option(const char *cmd, int ch, const char *arg, struct check_opts *o,
	const char ***rules, int *quiet)
{
	switch (ch) {
	case 'r':
		*rules = xrealloc(*rules, (o->nrule_files + 1) * sizeof(**rules));
		(*rules)[o->nrule_files++] = arg;
		return 1;
	case 'p':
		o->previous = arg;
		return 1;
	case 'j':
		o->jobs = atoi(arg);
		if (o->jobs < 1) {
			diag_fatal("%s: -j 需要正整数", cmd);
			return -1;
		}
		return 1;
	case 'q':
		*quiet = 1;
		return 1;
	default:
		return 0;
	}
}

/* The output of a streamed run: each result rendered as it comes, the exit status kept. */
struct emit {
	struct render_state *st;
	int json;
	enum severity min;
	int status;
};

static void
emit_one(struct result *r, size_t i, void *arg)
{
	struct emit *em = arg;
	int st = exit_for_results(r, 1, em->min);

	(void)i;
	if (em->json)
		json_render(em->st, r);
	else
		term_render(em->st, r);
	/* the statuses are ordered: the worst of all is the largest */
	if (st > em->status)
		em->status = st;
}

static void
check_usage(FILE *fp)
{
	fputs("用法: fzreport check [-q] [-f term|json] [--rules 文件]... [--min-severity 级别]\n"
	      "                      [--previous 文件或目录] [-j 线程数] 报告文件或目录...\n"
	      "  -q, --brief   每条问题一行，不显示修改建议、不合并重复、不打印汇总行\n", fp);
}

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"rules", required_argument, NULL, 'r'},
		{"min-severity", required_argument, NULL, 'm'},
		{"previous", required_argument, NULL, 'p'},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"brief", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static char outbuf[64 << 10];
	struct check_opts o;
	enum out_format fmt = FMT_TERM;
	const char **rules = NULL;
	struct checker *c;
	struct render_opts ro;
	struct emit em;
	struct error err;
	char **paths;
	size_t n;
	int ch, quiet = 0, status, rc;

	/* into a file or a pipe, the results go out in 64 KB writes, not stdio's
	 * 4 KB (a report's JSON is about 9 KB); nothing is on stdout yet, and
	 * glibc takes the size only with a buffer */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	memset(&o, 0, sizeof(o));
	o.min_severity = SEV_INFO;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:r:m:p:j:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(optarg, "term") == 0 || strcmp(optarg, "text") == 0)
				fmt = FMT_TERM;
			else {
				diag_fatal("check: 未知输出格式 '%s'（可用 term、json）", optarg);
				free(rules);
				return EXIT_USAGE;
			}
			break;
		case 'm':
			if ((o.min_severity = severity_parse(optarg)) == SEV_NONE ||
			    o.min_severity == SEV_FATAL) {
				diag_fatal("check: 未知级别 '%s'（可用 error、warning、info）", optarg);
				free(rules);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			check_usage(stdout);
			free(rules);
			return EXIT_CLEAN;
		default:
			rc = common_option("check", ch, optarg, &o, &rules, &quiet);
			if (rc == 1)
				break;
			if (rc == 0)
				check_usage(stderr);
			free(rules);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		check_usage(stderr);
		free(rules);
		return EXIT_USAGE;
	}
	o.rule_files = rules;
	if ((c = checker_new(&o, &err)) == NULL) {
		diag_fatal("%s", err.msg);
		free(rules);
		return EXIT_RULES;
	}
	paths = expand_inputs(argv + optind, argc - optind, &n);
	if (n == 0) {
		diag_fatal("check: 没有找到报告文件（.txt、.docx）");
		free_paths(paths, n);
		checker_free(c);
		free(rules);
		return EXIT_USAGE;
	}
	ro.fp = stdout;
	ro.summary = !quiet;
	ro.brief = quiet;
	em.st = fmt == FMT_JSON ? json_open(&ro) : term_open(&ro);
	em.json = fmt == FMT_JSON;
	em.min = o.min_severity;
	em.status = EXIT_CLEAN;
	/* each report is written as soon as it and those before it are checked */
	checker_stream(c, paths, n, emit_one, &em);
	if (fmt == FMT_JSON)
		json_close(em.st);
	else
		term_close(em.st);
	status = em.status;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		diag_fatal("check: 写入标准输出失败");
		status = EXIT_OUTPUT;
	}
	free_paths(paths, n);
	checker_free(c);
	free(rules);
	return status;
}
