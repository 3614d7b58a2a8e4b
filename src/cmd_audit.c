/*
 * cmd_audit.c: fzreport audit [options] FILE|DIR... -o DIR | --combined FILE.pdf
 * A printable PDF audit sheet (审核意见单) per report, and/or one county
 * binder (a cover table, then every sheet, with bookmarks), from the same
 * check as `fzreport check`.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "pdf_font.h"
#include "render_pdf.h"
#include "util.h"

static void
audit_usage(FILE *fp)
{
	fputs("用法: fzreport audit [-q] [-o 目录] [--combined 文件.pdf] [--font 字体文件]\n"
	      "                      [--rules 文件]... [-j 线程数] 报告文件或目录...\n"
	      "  -o 目录            每份报告生成一份审核意见单：目录/<文件名>.pdf\n"
	      "  --combined 文件    生成汇总册：封面汇总表＋各单位审核意见单，带书签\n"
	      "  --font 字体文件    TrueType 中文字体（默认 " PDF_FONT_DEFAULT "）\n", fp);
}

/* mkdir -p; 0 or -1 with err. */
static int
make_dirs(const char *dir, struct error *err)
{
	char *p = xstrdup(dir), *s;
	struct stat sb;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				error_set(err, "无法建立输出目录 %s：%s", p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return error_set(err, "输出目录 %s 不是目录", dir);
	return 0;
}

/* Make sure files can be created in dir (creating it if missing), before any work. */
static int
check_dir(const char *dir, struct error *err)
{
	char *tmp;
	int fd;

	if (make_dirs(dir, err) != 0)
		return -1;
	tmp = xasprintf("%s/.fzreport-probe-XXXXXX", dir);
	if ((fd = mkstemp(tmp)) < 0) {
		error_set(err, "无法在输出目录 %s 中写文件：%s", dir, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	unlink(tmp);
	free(tmp);
	return 0;
}

/* DIR/<input basename without extension>.pdf, made unique within the run. */
static char *
sheet_path(const char *dir, const char *input, char **used, size_t nused)
{
	const char *b = strrchr(input, '/');
	const char *dot;
	char *stem, *path;
	size_t i;
	int k = 1;

	b = b ? b + 1 : input;
	dot = strrchr(b, '.');
	stem = dot && dot != b ? xstrndup(b, (size_t)(dot - b)) : xstrdup(b);
	path = xasprintf("%s/%s.pdf", dir, stem);
	for (i = 0; i < nused; i++)
		if (used[i] && strcmp(used[i], path) == 0) {
			free(path);
			path = xasprintf("%s/%s-%d.pdf", dir, stem, ++k);
			i = (size_t)-1;
		}
	free(stem);
	return path;
}

/* The per-sheet work, shared by the worker threads. */
struct job {
	struct pdf_opts o;
	struct result *res;
	char **out;           /* output path per result */
	char **errs;          /* error message per result, or NULL */
	size_t n, next;
	pthread_mutex_t mu;
};

static void *
worker(void *arg)
{
	struct job *j = arg;

	for (;;) {
		struct pdf_opts o;
		struct pdf_state *st;
		struct error err;
		size_t i;

		pthread_mutex_lock(&j->mu);
		i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->n)
			break;
		o = j->o;
		o.path = j->out[i];
		st = pdf_open(&o);
		if (pdf_render(st, &j->res[i], &err) != 0) {
			pdf_close(st, 0, &err);
			j->errs[i] = xstrdup(err.msg);
		} else if (pdf_close(st, 1, &err) != 0) {
			j->errs[i] = xasprintf("%s：%s", j->res[i].file, err.msg);
		}
	}
	return NULL;
}

static void
format_time(char *buf, size_t sz)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t;
	struct tm tm;

	if (sde && *sde) {
		t = (time_t)strtoll(sde, NULL, 10);
		gmtime_r(&t, &tm);
	} else {
		t = time(NULL);
		localtime_r(&t, &tm);
	}
	strftime(buf, sz, "%Y-%m-%d %H:%M", &tm);
}

int
cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"combined", required_argument, NULL, 'c'},
		{"font", required_argument, NULL, 'F'},
		{"rules", required_argument, NULL, 'r'},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	struct check_opts co;
	const char **rules = NULL;
	const char *outdir = NULL, *combined = NULL, *fontpath = NULL;
	struct checker *c = NULL;
	struct pdf_font *font = NULL;
	struct result *res = NULL;
	struct error err;
	struct job job;
	char **paths = NULL, when[64], *creator;
	size_t n = 0, i;
	int ch, quiet = 0, status = EXIT_USAGE, failed = 0;

	memset(&co, 0, sizeof(co));
	co.min_severity = SEV_INFO;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:c:F:r:j:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			outdir = optarg;
			break;
		case 'c':
			combined = optarg;
			break;
		case 'F':
			fontpath = optarg;
			break;
		case 'r':
			rules = xrealloc(rules, (co.nrule_files + 1) * sizeof(*rules));
			rules[co.nrule_files++] = optarg;
			break;
		case 'j':
			co.jobs = atoi(optarg);
			if (co.jobs < 1) {
				diag_fatal("audit: -j 需要正整数");
				goto out;
			}
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			audit_usage(stdout);
			status = EXIT_CLEAN;
			goto out;
		default:
			audit_usage(stderr);
			goto out;
		}
	}
	if (optind >= argc || (outdir == NULL && combined == NULL)) {
		if (optind < argc)
			diag_fatal("audit: 请用 -o 目录 或 --combined 文件.pdf 指定输出");
		audit_usage(stderr);
		goto out;
	}
	/* Output places first: a bad one is reported before any work. */
	status = EXIT_OUTPUT;
	if (outdir && check_dir(outdir, &err) != 0) {
		diag_fatal("audit: %s", err.msg);
		goto out;
	}
	if (combined) {
		char *dup = xstrdup(combined);
		int rc = check_dir(dirname(dup), &err);

		free(dup);
		if (rc != 0) {
			diag_fatal("audit: %s", err.msg);
			goto out;
		}
	}
	if ((font = pdf_font_open(fontpath, &err)) == NULL) {
		diag_fatal("audit: %s", err.msg);
		goto out;
	}
	co.rule_files = rules;
	if ((c = checker_new(&co, &err)) == NULL) {
		diag_fatal("%s", err.msg);
		status = EXIT_RULES;
		goto out;
	}
	paths = expand_inputs(argv + optind, argc - optind, &n);
	if (n == 0) {
		diag_fatal("audit: 没有找到报告文件（.txt、.docx）");
		status = EXIT_USAGE;
		goto out;
	}
	res = xcalloc(n, sizeof(*res));
	checker_run(c, paths, n, res, NULL, NULL);

	format_time(when, sizeof(when));
	creator = "fzreport " FZ_VERSION;
	memset(&job, 0, sizeof(job));
	job.o.font = font;
	job.o.checked_at = when;
	job.o.creator = creator;
	if (outdir) {
		size_t nth = co.jobs > 0 ? (size_t)co.jobs : (size_t)sysconf(_SC_NPROCESSORS_ONLN);
		pthread_t *th;

		if (nth < 1)
			nth = 1;
		if (nth > n)
			nth = n;
		job.res = res;
		job.n = n;
		job.out = xcalloc(n, sizeof(*job.out));
		job.errs = xcalloc(n, sizeof(*job.errs));
		for (i = 0; i < n; i++)
			job.out[i] = sheet_path(outdir, paths[i], job.out, i);
		pthread_mutex_init(&job.mu, NULL);
		th = xcalloc(nth, sizeof(*th));
		for (i = 1; i < nth; i++)
			if (pthread_create(&th[i], NULL, worker, &job) != 0)
				th[i] = 0;
		worker(&job);
		for (i = 1; i < nth; i++)
			if (th[i])
				pthread_join(th[i], NULL);
		free(th);
		pthread_mutex_destroy(&job.mu);
		for (i = 0; i < n; i++) {
			if (job.errs[i]) {
				diag_fatal("audit: %s", job.errs[i]);
				failed = 1;
			} else if (!quiet) {
				fprintf(stderr, "%s: %s: %s\n", diag_progname, job.out[i],
				    verdict_name_zh(res[i].summary.verdict));
			}
			free(job.errs[i]);
			free(job.out[i]);
		}
		free(job.errs);
		free(job.out);
	}
	if (combined) {
		struct pdf_opts o = job.o;
		struct pdf_state *st;
		int bad = 0;

		o.path = combined;
		o.binder = 1;
		st = pdf_open(&o);
		for (i = 0; i < n && !bad; i++)
			if (pdf_render(st, &res[i], &err) != 0)
				bad = 1;
		if (bad) {
			pdf_close(st, 0, NULL);
			diag_fatal("audit: 未生成 %s：%s", combined, err.msg);
			failed = 1;
		} else if (pdf_close(st, 1, &err) != 0) {
			diag_fatal("audit: 未生成 %s：%s", combined, err.msg);
			failed = 1;
		} else if (!quiet) {
			fprintf(stderr, "%s: %s: %zu 份报告\n", diag_progname, combined, n);
		}
	}
	status = failed ? EXIT_OUTPUT : exit_for_results(res, n, SEV_INFO);
out:
	if (res)
		for (i = 0; i < n; i++)
			result_release(&res[i]);
	free(res);
	if (paths)
		free_paths(paths, n);
	checker_free(c);
	pdf_font_free(font);
	free(rules);
	return status;
}
