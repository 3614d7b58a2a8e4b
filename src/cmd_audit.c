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

static mode_t current_umask;

static void
audit_usage(FILE *fp)
{
	fputs("用法: fzreport audit [-q] [-o 目录] [--combined 文件.pdf] [--font 字体文件]\n"
	      "                      [--rules 文件]... [-j 线程数] 报告文件或目录...\n"
	      "  -o 目录            每份报告生成一份审核意见单：目录/<文件名>.pdf\n"
	      "  --combined 文件    生成汇总册：封面汇总表＋各单位审核意见单，带书签\n"
	      "  --font 字体文件    TrueType 中文字体（默认 " PDF_FONT_DEFAULT "）\n", fp);
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

/*
 * DIR/<input basename without extension>.pdf, made unique within the run:
 * a name in used already gets -2, -3, ... (the new name is added to used).
 */
static char *
sheet_path(const char *dir, const char *input, struct strbag *used)
{
	const char *b = strrchr(input, '/');
	const char *dot, *sep;
	char *stem, *path;
	size_t dl = strlen(dir);
	int k = 1;

	/* "out/" and "out" give out/r.pdf alike */
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	sep = dl == 1 && dir[0] == '/' ? "" : "/";
	b = b ? b + 1 : input;
	dot = strrchr(b, '.');
	stem = dot && dot != b ? xstrndup(b, (size_t)(dot - b)) : xstrdup(b);
	path = xasprintf("%.*s%s%s.pdf", (int)dl, dir, sep, stem);
	while (strbag_count(used, path) > 0) {
		free(path);
		path = xasprintf("%.*s%s%s-%d.pdf", (int)dl, dir, sep, stem, ++k);
	}
	strbag_add(used, path, 1);
	free(stem);
	return path;
}

/*
 * Sheets are written in batches: each PDF goes to a temporary file beside
 * its target, the batch is flushed to disk with one sync(), and only then
 * is every temporary file renamed over its target.  A PDF under its final
 * name is therefore always complete, and a run of 2,000 sheets pays for a
 * few syncs instead of 2,000 fsyncs.
 */
#define BATCH 64

struct staged {
	char *tmp;
	const char *path;
};

/*
 * Write st's PDF to a temporary file in path's directory; frees st.  0, or
 * -1 with err filled and nothing left behind.
 */
static int
stage(struct staged *sg, const char *path, struct pdf_state *st, const char *input,
	struct error *err)
{
	FILE *fp;
	int fd;

	sg->tmp = tmpfile_template(path);
	sg->path = path;
	if ((fd = tmpfile_create(sg->tmp)) < 0) {
		error_set(err, "无法写入 %s：%s", path, strerror(errno));
		pdf_close(st, 0, NULL);
		free(sg->tmp);
		sg->tmp = NULL;
		return -1;
	}
	/* written through the descriptor: the file is never opened again by
	 * name, so an interrupted run that removes it cannot see it recreated */
	if (fchmod(fd, 0666 & ~current_umask) != 0 || (fp = fdopen(fd, "wb")) == NULL) {
		error_set(err, "写入 %s 失败：%s", path, strerror(errno));
		close(fd);
		pdf_close(st, 0, NULL);
		goto fail;
	}
	if (pdf_close_fp(st, fp, err) != 0) {
		char *m = xstrdup(err->msg);

		error_set(err, "%s：%s", input, m);
		free(m);
		fclose(fp);
		goto fail;
	}
	if (fclose(fp) != 0) {
		error_set(err, "写入 %s 失败：%s", path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	unlink(sg->tmp);
	tmpfile_untrack(sg->tmp);
	free(sg->tmp);
	sg->tmp = NULL;
	return -1;
}

/* sync(), then rename every staged file over its target. */
static void
commit(struct staged *sg, size_t n, char **errs, const size_t *idx)
{
	size_t i;

	if (n == 0)
		return;
	sync();
	for (i = 0; i < n; i++) {
		if (rename(sg[i].tmp, sg[i].path) != 0) {
			errs[idx[i]] = xasprintf("无法写入 %s：%s", sg[i].path, strerror(errno));
			unlink(sg[i].tmp);
		}
		tmpfile_untrack(sg[i].tmp);
		free(sg[i].tmp);
	}
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
	struct staged sg[BATCH];
	size_t idx[BATCH], ns = 0;

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
			continue;
		}
		if (stage(&sg[ns], j->out[i], st, j->res[i].file, &err) != 0)
			j->errs[i] = xstrdup(err.msg);
		else
			idx[ns++] = i;
		if (ns == BATCH) {
			commit(sg, ns, j->errs, idx);
			ns = 0;
		}
	}
	commit(sg, ns, j->errs, idx);
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

/* The summary line: how many reports, their verdicts, and what was written. */
static void
audit_summary(const struct result *res, size_t n, int sheets, const char *combined, int failed)
{
	size_t cnt[4] = {0, 0, 0, 0}, i;
	struct buf b;

	for (i = 0; i < n; i++)
		if ((unsigned)res[i].summary.verdict < 4)
			cnt[res[i].summary.verdict]++;
	buf_init(&b);
	buf_printf(&b, "audit: 共 %zu 份报告：合格 %zu 份，需修改 %zu 份，不合格 %zu 份，无法读取 %zu 份",
	    n, cnt[VERDICT_PASS], cnt[VERDICT_REVISE], cnt[VERDICT_FAIL], cnt[VERDICT_UNREADABLE]);
	if (failed)
		buf_adds(&b, "；有输出未能写出（见上）");
	else if (sheets && combined)
		buf_printf(&b, "；已写出 %zu 份审核意见单和汇总 %s", n, combined);
	else if (sheets)
		buf_printf(&b, "；已写出 %zu 份审核意见单", n);
	else
		buf_printf(&b, "；已写出汇总 %s", combined);
	fprintf(stderr, "%s: %s\n", diag_progname, b.s);
	buf_release(&b);
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
	struct output_inputs ins;
	struct job job;
	char **paths = NULL, **sheets = NULL, when[64], *creator;
	size_t n = 0, i;
	int ch, quiet = 0, status = EXIT_USAGE, failed = 0, rc;

	current_umask = umask(0);
	umask(current_umask);
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
		case 'h':
			audit_usage(stdout);
			status = EXIT_CLEAN;
			goto out;
		default:
			rc = common_option("audit", ch, optarg, &co, &rules, &quiet);
			if (rc == 1)
				break;
			if (rc == 0)
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
	/* interrupted, the run leaves no temporary sheet behind */
	tmpfile_guard();
	/* Output places first: a bad one is reported before any work. */
	status = EXIT_OUTPUT;
	if (outdir && check_dir(outdir, &err) != 0) {
		diag_fatal("audit: %s", err.msg);
		goto out;
	}
	if (combined) {
		char *dup = xstrdup(combined);

		rc = check_dir(dirname(dup), &err);
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
	/* every target is checked before any work: a device, a pipe or a link
	 * would be replaced by the rename, an input would be destroyed */
	output_inputs_init(&ins, paths, n);
	rc = combined ? output_check(combined, ".pdf", &ins, &err) : 0;
	if (rc == 0 && outdir) {
		struct strbag used;

		strbag_init(&used);
		sheets = xcalloc(n, sizeof(*sheets));
		for (i = 0; i < n; i++) {
			sheets[i] = sheet_path(outdir, paths[i], &used);
			if (rc == 0 && output_check(sheets[i], ".pdf", &ins, &err) < 0)
				rc = -1;
		}
		strbag_release(&used);
	}
	output_inputs_release(&ins);
	if (rc < 0) {
		diag_fatal("audit: %s", err.msg);
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
		job.out = sheets;
		job.errs = xcalloc(n, sizeof(*job.errs));
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
			} else if (res[i].error) {
				/* name the input that could not be read, then its sheet */
				fprintf(stderr, "%s: %s: 无法读取：%s（审核意见单 %s 已写出）\n",
				    diag_progname, paths[i], res[i].error, job.out[i]);
			} else if (!quiet) {
				fprintf(stderr, "%s: %s → %s: %s\n", diag_progname, paths[i], job.out[i],
				    verdict_name_zh(res[i].summary.verdict));
			}
			free(job.errs[i]);
		}
		free(job.errs);
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
	if (outdir == NULL)
		for (i = 0; i < n; i++)
			if (res[i].error)
				fprintf(stderr, "%s: %s: 无法读取：%s\n", diag_progname, paths[i],
				    res[i].error);
	audit_summary(res, n, outdir != NULL, combined, failed);
	status = failed ? EXIT_OUTPUT : exit_for_results(res, n, SEV_INFO);
out:
	if (res)
		for (i = 0; i < n; i++)
			result_release(&res[i]);
	free(res);
	if (sheets)
		for (i = 0; i < n; i++)
			free(sheets[i]);
	free(sheets);
	if (paths)
		free_paths(paths, n);
	checker_free(c);
	pdf_font_free(font);
	free(rules);
	tmpfile_guard_end();
	return status;
}
