/*
 * cmd_annotate.c: fzreport annotate [options] FILE -o OUT.docx
 *                 fzreport annotate [options] FILE|DIR... -o DIR
 * The clerk's own report back as a .docx with a Word comment at each
 * finding of `fzreport check` and the rules' mechanical fixes as tracked
 * changes (annotate.h).  A .txt report becomes a GB/T 9704 .docx.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "annotate.h"
#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "util.h"

static void
annotate_usage(FILE *fp)
{
	fputs("用法: fzreport annotate [-q] [--no-fix] [--rules 文件]... [-j 线程数]\n"
	      "                         报告文件 -o 输出.docx\n"
	      "       fzreport annotate [选项] 报告文件或目录... -o 输出目录/\n"
	      "  -o 文件或目录   批注后的 .docx；多份报告或目录时为输出目录\n"
	      "  --no-fix        只加批注，不做修订（不改动正文文字）\n", fp);
}

static int
is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/*
 * Output path of input path in the output directory dir: its path below
 * the argument it came from (a directory given on the command line), the
 * extension made .docx.
 */
static char *
out_path(const char *dir, const char *path, char **args, int nargs, int keep_ext)
{
	const char *rel = strrchr(path, '/') ? strrchr(path, '/') + 1 : path, *dot;
	size_t dl = strlen(dir);
	int i;

	for (i = 0; i < nargs; i++) {
		size_t l = strlen(args[i]);

		while (l > 1 && args[i][l - 1] == '/')
			l--;
		if (is_dir(args[i]) && strncmp(path, args[i], l) == 0 && path[l] == '/') {
			rel = path + l + 1;
			break;
		}
	}
	dot = strrchr(rel, '.');
	if (dot == NULL || strchr(dot, '/') != NULL || keep_ext)
		dot = rel + strlen(rel);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	return xasprintf("%.*s/%.*s.docx", (int)dl, dir, (int)(dot - rel), rel);
}

int
cmd_annotate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"no-fix", no_argument, NULL, 'n'},
		{"rules", required_argument, NULL, 'r'},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	struct check_opts co;
	struct annotate_opts ao;
	const char **rules = NULL, *out = NULL;
	struct checker *c = NULL;
	struct result *res = NULL;
	struct error err;
	struct output_inputs ins;
	char **paths = NULL, **outs = NULL, **why = NULL;
	size_t n = 0, i, done = 0, failed = 0;
	int ch, quiet = 0, status = EXIT_CLEAN, rc, batch;

	memset(&co, 0, sizeof(co));
	memset(&ao, 0, sizeof(ao));
	co.min_severity = SEV_INFO;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:r:j:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			ao.no_fix = 1;
			break;
		case 'h':
			annotate_usage(stdout);
			free(rules);
			return EXIT_CLEAN;
		default:
			rc = common_option("annotate", ch, optarg, &co, &rules, &quiet);
			if (rc == 1)
				break;
			if (rc == 0)
				annotate_usage(stderr);
			free(rules);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc || out == NULL) {
		if (out == NULL && optind < argc)
			diag_fatal("annotate: 需要用 -o 指定输出文件或目录");
		annotate_usage(stderr);
		free(rules);
		return EXIT_USAGE;
	}
	paths = expand_inputs(argv + optind, argc - optind, &n);
	if (n == 0) {
		diag_fatal("annotate: 没有找到报告文件（.txt、.docx）");
		status = EXIT_USAGE;
		goto out;
	}
	batch = argc - optind > 1 || is_dir(argv[optind]) || is_dir(out) || str_ends(out, "/");
	outs = xcalloc(n + 1, sizeof(*outs));
	why = xcalloc(n + 1, sizeof(*why));
	if (batch) {
		struct strbag named;  /* the names of outs[0 .. i) */

		if (make_dirs(out, &err) == -1) {
			diag_fatal("annotate: %s", err.msg);
			status = EXIT_OUTPUT;
			goto out;
		}
		strbag_init(&named);
		for (i = 0; i < n; i++) {
			size_t j;

			outs[i] = out_path(out, paths[i], argv + optind, argc - optind, 0);
			/* a.txt beside a.docx: a.txt.docx, not a second a.docx */
			for (j = strbag_count(&named, outs[i]) > 0 ? 0 : i; j < i; j++)
				if (strcmp(outs[i], outs[j]) == 0) {
					size_t k = str_ends(paths[i], ".docx") && !str_ends(paths[j], ".docx")
					    ? j : i;

					if (k == j)
						strbag_add(&named, outs[j], -1);
					free(outs[k]);
					outs[k] = out_path(out, paths[k], argv + optind, argc - optind, 1);
					if (k == j)
						strbag_add(&named, outs[j], 1);
					break;
				}
			strbag_add(&named, outs[i], 1);
		}
		strbag_release(&named);
	} else {
		if (!str_ends(out, ".docx")) {
			diag_fatal("annotate: 输出文件应以 .docx 结尾：%s", out);
			status = EXIT_USAGE;
			goto out;
		}
		outs[0] = xstrdup(out);
	}
	/* refuse a slip that would overwrite a report before any work */
	output_inputs_init(&ins, paths, n);
	rc = 0;
	for (i = 0; i < n && rc == 0; i++)
		rc = output_check(outs[i], ".docx", &ins, &err);
	output_inputs_release(&ins);
	if (rc == -1) {
		diag_fatal("annotate: %s", err.msg);
		status = EXIT_OUTPUT;
		goto out;
	}
	co.rule_files = rules;
	if ((c = checker_new(&co, &err)) == NULL) {
		diag_fatal("%s", err.msg);
		status = EXIT_RULES;
		goto out;
	}
	tmpfile_guard();
	res = xcalloc(n, sizeof(*res));
	checker_run(c, paths, n, res, NULL, NULL);
	ao.rules = checker_rules(c);
	ao.when = source_date();
	for (i = 0; i < n; i++) {
		struct annotate_stats st;

		if (str_ends(paths[i], ".jsonl")) {
			why[i] = xstrdup("检查结果文件不能加批注");
			diag_warn("annotate: %s：%s", paths[i], why[i]);
			failed++;
			continue;
		}
		if (batch && strchr(outs[i] + strlen(out), '/') != NULL) {
			char *d = xstrdup(outs[i]);

			*strrchr(d, '/') = '\0';
			rc = make_dirs(d, &err);
			free(d);
			if (rc == -1) {
				diag_fatal("annotate: %s", err.msg);
				why[i] = xstrdup(err.msg);
				status = EXIT_OUTPUT;
				failed++;
				continue;
			}
		}
		if (annotate_file(paths[i], outs[i], &res[i], &ao, &st, &err) == -1) {
			diag_fatal("annotate: %s：%s", paths[i], err.msg);
			why[i] = xstrdup(err.msg);
			if (res[i].error != NULL) {
				if (status < EXIT_UNREADABLE)
					status = EXIT_UNREADABLE;
			} else {
				status = EXIT_OUTPUT;
			}
			failed++;
			continue;
		}
		done++;
		if (!quiet)
			printf("%s -> %s：批注 %d 条（%d 个问题），修订 %d 处%s\n", paths[i], outs[i],
			    st.comments, st.findings, st.fixes,
			    st.unfixed ? "（另有可自动修改处未修订）" : "");
	}
	if (batch && !quiet) {
		printf("共 %zu 份：已生成 %zu 份", n, done);
		if (failed)
			printf("，%zu 份未能生成：", failed);
		printf("\n");
		for (i = 0; i < n; i++)
			if (why[i] != NULL)
				printf("  %s：%s\n", paths[i], why[i]);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		diag_fatal("annotate: 写入标准输出失败");
		status = EXIT_OUTPUT;
	}
out:
	if (res != NULL)
		for (i = 0; i < n; i++)
			result_release(&res[i]);
	free(res);
	if (outs != NULL)
		for (i = 0; i < n; i++) {
			free(outs[i]);
			free(why[i]);
		}
	free(outs);
	free(why);
	free_paths(paths, n);
	checker_free(c);
	free(rules);
	tmpfile_guard_end();
	return status;
}
