/*
 * cmd_rollup.c: fzreport rollup [options] INPUT... -o FILE.xlsx
 *
 * Checks report files (the same checker_run() as `check`) and reads JSON
 * Lines results of `check --format json`, in any mix, into one workbook
 * (render_xlsx.c).  The output is checked to be writable before any work:
 * a temporary file is created next to it at once, filled at the end and
 * renamed over the target, so a failure never leaves a half-written
 * workbook in place of an old one.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "render_xlsx.h"
#include "result_json.h"

/* Rule id of the "largely the same text as last year's" check. */

/* The temporary workbook, removed if a signal ends the program. */
static char *volatile tmp_path;

static void
on_signal(int sig)
{
	char *p = tmp_path;

	if (p != NULL)
		unlink(p);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
rollup_usage(FILE *fp)
{
	fputs("用法: fzreport rollup [-q] [-j 线程数] [--rules 文件]... [--previous 目录或文件]\n"
	      "                       -o 输出.xlsx 报告文件、目录或 .jsonl 结果文件...\n", fp);
}

/*
 * Make sure the workbook can be written at path before any work: the
 * directory exists and is writable and path is not a directory.  Creates
 * the (empty) temporary file in that directory and returns its name in
 * *tmp.  0 or -1 with err filled.
 */
static int
output_prepare(const char *path, char **tmp, struct error *err)
{
	struct stat sb;
	const char *slash = strrchr(path, '/');
	char *dir, *base, *t;
	int fd;

	*tmp = NULL;
	if (*path == '\0')
		return error_set(err, "输出文件名为空");
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return error_set(err, "无法写入 %s: 这是一个目录", path);
	dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	base = xstrdup(slash ? slash + 1 : path);
	if (*base == '\0') {
		free(dir);
		free(base);
		return error_set(err, "无法写入 %s: 这是一个目录", path);
	}
	if (stat(dir, &sb) != 0) {
		error_set(err, "无法写入 %s: 目录 %s 不存在", path, dir);
		free(dir);
		free(base);
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		error_set(err, "无法写入 %s: %s 不是目录", path, dir);
		free(dir);
		free(base);
		return -1;
	}
	t = tmpfile_template(path);
	if ((fd = mkstemp(t)) < 0) {
		error_set(err, "无法写入 %s: 不能在目录 %s 中创建文件: %s", path, dir, strerror(errno));
		free(t);
		free(dir);
		free(base);
		return -1;
	}
	close(fd);
	free(dir);
	free(base);
	*tmp = t;
	return 0;
}

/* Give the finished temporary file the usual mode and rename it over path. */
static int
output_commit(const char *tmp, const char *path, struct error *err)
{
	mode_t um = umask(0);

	umask(um);
	if (chmod(tmp, 0666 & ~um) != 0 || rename(tmp, path) != 0)
		return error_set(err, "无法写入 %s: %s", path, strerror(errno));
	return 0;
}

/*
 * libxlsxwriter prints its own English lines ("[ERROR] workbook_close():
 * ...") on stderr before it returns the error that xlsx_close() turns
 * into Chinese.  stderr_hold() sends fd 2 to an unlinked file in dir
 * while the workbook is written (no thread runs then); stderr_release()
 * puts it back and passes on what is not libxlsxwriter's (a sanitizer's
 * report, say).  Returns the saved fd 2, or -1 when nothing was held.
 */
static int
stderr_hold(const char *dir)
{
	char *t;
	int fd, saved;

	if (fcntl(STDERR_FILENO, F_GETFD) < 0)
		return -1;  /* no stderr to keep clean */
	t = xasprintf("%s/.fzreport-stderr.XXXXXX", dir);
	fd = mkstemp(t);
	if (fd >= 0)
		unlink(t);
	else
		fd = open("/dev/null", O_WRONLY);
	free(t);
	if (fd < 0)
		return -1;
	fflush(stderr);
	if ((saved = dup(STDERR_FILENO)) < 0 || dup2(fd, STDERR_FILENO) < 0) {
		if (saved >= 0)
			close(saved);
		close(fd);
		return -1;
	}
	close(fd);
	return saved;
}

static int
is_lxw_line(const char *s)
{
	return strncmp(s, "[ERROR]", 7) == 0 || strncmp(s, "[WARNING]", 9) == 0;
}

static void
stderr_release(int saved)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	int fd;

	if (saved < 0)
		return;
	fflush(stderr);
	fd = dup(STDERR_FILENO);
	dup2(saved, STDERR_FILENO);
	close(saved);
	if (fd < 0)
		return;
	if (lseek(fd, 0, SEEK_SET) != 0 || (fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return;
	}
	while (getline(&line, &cap, fp) != -1)
		if (!is_lxw_line(line))
			fputs(line, stderr);
	free(line);
	fclose(fp);
}

/* The time the workbook says it was made: SOURCE_DATE_EPOCH when set. */
static time_t
build_time(int *fixed)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	*fixed = 0;
	if (s == NULL || *s == '\0')
		return time(NULL);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL) {
		diag_warn("rollup: SOURCE_DATE_EPOCH 无效（%s），使用当前时间", s);
		return time(NULL);
	}
	*fixed = 1;
	return (time_t)v;
}

struct progress {
	int on;
	size_t base, total, shown;
	const char *what;
};

static void
progress_draw(struct progress *p, size_t done)
{
	size_t w = 30, fill, pct;
	char bar[64];

	if (!p->on || p->total == 0)
		return;
	pct = done * 100 / p->total;
	if (done != p->total && pct == p->shown)
		return;
	p->shown = pct;
	fill = done * w / p->total;
	memset(bar, '#', fill);
	memset(bar + fill, '.', w - fill);
	bar[w] = '\0';
	fprintf(stderr, "\r%s [%s] %zu/%zu", p->what, bar, done, p->total);
	fflush(stderr);
}

static void
progress_cb(size_t done, size_t total, void *arg)
{
	struct progress *p = arg;

	(void)total;
	progress_draw(p, p->base + done);
}

static void
progress_end(struct progress *p)
{
	if (p->on && p->total)
		fputs("\r\033[K", stderr);
}

static int
is_jsonl(const char *path)
{
	size_t n = strlen(path);

	return n > 6 && strcasecmp(path + n - 6, ".jsonl") == 0;
}

/* What happens to each result: this year's rows or last year's. */
struct sink {
	struct xlsx_state *st;
	int previous;            /* results go to xlsx_previous() */
	unsigned flags;          /* for results checked here */
	const struct rulepack *pack;
	int pack_seen;           /* some result was made with the local pack */
	size_t n, nv[4];
};

/* Whether r was checked with the local base pack (same name and version). */
static int
same_pack(const struct rulepack *p, const struct result *r)
{
	const char *name = p->npack ? p->packs[0].name : p->name;
	const char *version = p->npack ? p->packs[0].version : p->version;

	return r->npack > 0 && name && r->packs[0].name && strcmp(name, r->packs[0].name) == 0 &&
		(version == NULL || r->packs[0].version == NULL ||
			strcmp(version, r->packs[0].version) == 0);
}

/* Add r; returns its row in the workbook (0 for last year's). */
static size_t
sink_add(struct sink *k, const struct result *r, unsigned flags)
{
	size_t row;

	if (k->previous) {
		xlsx_previous(k->st, r);
		return 0;
	}
	if (!k->pack_seen && same_pack(k->pack, r))
		k->pack_seen = 1;
	row = xlsx_render(k->st, r, flags);
	k->n++;
	k->nv[r->error ? VERDICT_UNREADABLE : r->summary.verdict]++;
	return row;
}

/* An input that yields no result: a row 无法读取 with the reason. */
static void
sink_unreadable(struct sink *k, const char *file, const char *reason)
{
	struct result r;

	result_init(&r);
	r.file = xstrdup(file);
	r.error = xstrdup(reason);
	result_add_finding(&r, "READ", SEV_FATAL, 0, 0, reason, NULL, NULL, NULL);
	result_finish(&r);
	sink_add(k, &r, 0);
	result_release(&r);
}

/* Every result of a JSON Lines file; a bad line is an unreadable row. */
static void
read_jsonl(struct sink *k, const char *path)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0, lineno = 0, got = 0;
	ssize_t len;

	if ((fp = fopen(path, "r")) == NULL) {
		char *why = xasprintf("无法打开结果文件: %s", strerror(errno));

		sink_unreadable(k, path, why);
		free(why);
		return;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		struct result r;
		struct error err;
		char *p = line;
		size_t n = (size_t)len, i;

		lineno++;
		if (lineno == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3, n -= 3;
		for (i = 0; i < n && strchr(" \t\r\n", p[i]); i++)
			;
		if (i == n)
			continue;
		got++;
		if (result_read_jsonl_line(p, n, &r, &err) < 0) {
			char *file = xasprintf("%s:%zu", path, lineno);
			char *why = err.column > 0 ?
				xasprintf("第 %zu 行不是有效的检查结果（第 %ld 字节）: %s", lineno,
					err.column, err.msg) :
				xasprintf("第 %zu 行不是有效的检查结果: %s", lineno, err.msg);

			sink_unreadable(k, file, why);
			free(file);
			free(why);
			continue;
		}
		sink_add(k, &r, 0);
		result_release(&r);
	}
	if (ferror(fp)) {
		char *why = xasprintf("读取结果文件出错: %s", strerror(errno));

		sink_unreadable(k, path, why);
		free(why);
	} else if (got == 0) {
		sink_unreadable(k, path, "结果文件中没有任何检查结果");
	}
	free(line);
	fclose(fp);
}

/* Where a streamed run hands its results: the sink, in input order with the .jsonl files. */
struct feed {
	struct sink *k;
	struct progress *pg;
	char **paths;
	size_t n, at;   /* next input to add */
	size_t *row;    /* the row of each report checked (feed_late()) */
	unsigned char *verdict;  /* and its verdict */
};

/* Add the .jsonl inputs before the next report file. */
static void
feed_jsonl(struct feed *f)
{
	while (f->at < f->n && is_jsonl(f->paths[f->at]))
		read_jsonl(f->k, f->paths[f->at++]);
}

static void
feed_one(struct result *r, size_t i, void *arg)
{
	struct feed *f = arg;

	if (f->pg->on)
		progress_cb(i + 1, f->pg->total, f->pg);
	feed_jsonl(f);
	f->row[i] = sink_add(f->k, r, f->k->flags);
	f->verdict[i] = (unsigned char)(r->error ? VERDICT_UNREADABLE : r->summary.verdict);
	f->at++;
}

/* The comparisons of report i with the others, after the last report (checker_stream_late()). */
static void
feed_late(struct result *r, size_t i, void *arg)
{
	struct feed *f = arg;
	enum verdict v;

	if (f->k->previous)
		return;
	v = xlsx_render_late(f->k->st, f->row[i], r);
	f->k->nv[f->verdict[i]]--;
	f->k->nv[v]++;
	f->verdict[i] = (unsigned char)v;
}

/*
 * Check or read every path, in input order.  The report files are checked
 * in one streamed run (checker_stream(), as `check` does), so that checks
 * comparing the reports of a run (copies, QUAL-010) see all of them, and
 * each result goes to the workbook as soon as it is ready; those
 * comparisons join their rows after the last report
 * (checker_stream_late(): a province's reports are read once, not twice).
 */
static void
process(struct checker *c, char **paths, size_t n, struct sink *k, struct progress *pg)
{
	char **files = xcalloc(n + 1, sizeof(char *));
	struct feed f;
	size_t i, nf = 0;

	for (i = 0; i < n; i++)
		if (!is_jsonl(paths[i]))
			files[nf++] = paths[i];
	pg->total = nf;
	pg->base = 0;
	pg->shown = (size_t)-1;
	f.k = k;
	f.pg = pg;
	f.paths = paths;
	f.n = n;
	f.at = 0;
	f.row = xcalloc(nf + 1, sizeof(*f.row));
	f.verdict = xcalloc(nf + 1, 1);
	/* this year's rows take their comparisons late: the reports are read once */
	if (nf > 0 && k->previous)
		checker_stream(c, files, nf, feed_one, &f);
	else if (nf > 0)
		checker_stream_late(c, files, nf, feed_one, feed_late, &f);
	progress_end(pg);
	feed_jsonl(&f);
	free(f.row);
	free(f.verdict);
	free(files);
}

int
cmd_rollup(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"rules", required_argument, NULL, 'r'},
		{"previous", required_argument, NULL, 'p'},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	struct check_opts o, po;
	const char **rules = NULL;
	const char *out = NULL;
	struct checker *c = NULL, *pc = NULL;
	struct xlsx_opts xo;
	struct sink k;
	struct progress pg;
	struct error err;
	struct output_inputs ins;
	char **paths = NULL, *tmp = NULL, *tmpdir, *outdir;
	size_t n = 0, i;
	int ch, quiet = 0, status, rc, held;
	const struct check_def *sim;
	const char *prev;
	struct stat sb;

	memset(&o, 0, sizeof(o));
	o.min_severity = SEV_INFO;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:r:p:j:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			rollup_usage(stdout);
			free(rules);
			return EXIT_CLEAN;
		default:
			rc = common_option("rollup", ch, optarg, &o, &rules, &quiet);
			if (rc == 1)
				break;
			if (rc == 0)
				rollup_usage(stderr);
			free(rules);
			return EXIT_USAGE;
		}
	}
	if (out == NULL || optind >= argc) {
		if (out == NULL)
			diag_fatal("rollup: 需要用 -o 指定输出的 .xlsx 文件");
		else
			diag_fatal("rollup: 没有指定输入");
		rollup_usage(stderr);
		free(rules);
		return EXIT_USAGE;
	}
	if (output_prepare(out, &tmp, &err) < 0) {
		diag_fatal("rollup: %s", err.msg);
		free(rules);
		return EXIT_OUTPUT;
	}
	tmp_path = tmp;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	/* over a file size limit, fail the write (and clean up) instead of dying */
	signal(SIGXFSZ, SIG_IGN);

	status = EXIT_USAGE;
	o.rule_files = rules;
	prev = o.previous;
	/*
	 * The similar rule (QUAL-009) compares every report with last year's:
	 * one file, or the report of the same unit in a directory of them.
	 */
	if (prev && stat(prev, &sb) != 0)
		o.previous = NULL;
	if ((c = checker_new(&o, &err)) == NULL) {
		diag_fatal("%s", err.msg);
		status = EXIT_RULES;
		goto fail;
	}
	if (prev) {
		po = o;
		po.previous = NULL;
		if ((pc = checker_new(&po, &err)) == NULL) {
			diag_fatal("%s", err.msg);
			status = EXIT_RULES;
			goto fail;
		}
	}
	paths = expand_inputs(argv + optind, argc - optind, &n);
	if (n == 0) {
		diag_fatal("rollup: 没有找到报告文件（.txt、.docx）或结果文件（.jsonl）");
		goto fail;
	}
	output_inputs_init(&ins, paths, n);
	rc = output_check(out, ".xlsx", &ins, &err);
	output_inputs_release(&ins);
	if (rc < 0) {
		diag_fatal("rollup: %s", err.msg);
		status = EXIT_OUTPUT;
		goto fail;
	}

	memset(&xo, 0, sizeof(xo));
	xo.path = tmp;
	xo.name = out;
	/* libxlsxwriter's own temporary files (constant_memory) go beside the
	 * output, not to $TMPDIR: one file system to fill, and the package is
	 * read back before the rename (render_xlsx.c: verify) */
	tmpdir = xstrdup(tmp);
	xo.tmpdir = dirname(tmpdir);
	outdir = xstrdup(xo.tmpdir);
	xo.version = FZ_VERSION;
	xo.created = build_time(&xo.created_fixed);
	xo.previous = prev;
	xo.similar_rule = XLSX_SIMILAR_RULE;
	xo.jobs = o.jobs;
	memset(&k, 0, sizeof(k));
	k.st = xlsx_open(&xo);
	free(tmpdir);
	k.pack = checker_rules(c);
	for (i = 0; i < k.pack->ncheck; i++) {
		sim = &k.pack->checks[i];
		if (o.previous && sim->enabled && strcmp(sim->id, XLSX_SIMILAR_RULE) == 0)
			k.flags = XLSX_SIMILAR_CHECKED;
	}
	memset(&pg, 0, sizeof(pg));
	pg.on = !quiet && isatty(STDERR_FILENO);

	if (prev) {
		char *pv[1];
		char **pp;
		size_t pn;

		pv[0] = (char *)prev;
		pp = expand_inputs(pv, 1, &pn);
		k.previous = 1;
		pg.what = "上年";
		process(pc, pp, pn, &k, &pg);
		k.previous = 0;
		free_paths(pp, pn);
		if (pn == 0)
			diag_warn("rollup: %s 中没有上年报告", prev);
	}
	pg.what = "检查";
	for (i = 0; i < n && !k.pack_seen; i++)
		if (!is_jsonl(paths[i]))
			k.pack_seen = 1;
	process(c, paths, n, &k, &pg);
	if (k.pack_seen)
		xlsx_add_rules(k.st, k.pack);
	if (k.nv[VERDICT_UNREADABLE])
		xlsx_add_rule(k.st, diag_rule(DIAG_READ_FAILED), SEV_FATAL,
			diag_message(DIAG_READ_FAILED));

	held = stderr_hold(outdir);
	rc = xlsx_close(k.st, &err);
	stderr_release(held);
	free(outdir);
	if (rc < 0) {
		diag_fatal("rollup: %s", err.msg);
		status = EXIT_OUTPUT;
		goto fail;
	}
	if (output_commit(tmp, out, &err) < 0) {
		diag_fatal("rollup: %s", err.msg);
		status = EXIT_OUTPUT;
		goto fail;
	}
	tmp_path = NULL;
	free(tmp);
	if (!quiet)
		printf("已写入 %s：%zu 份（合格 %zu，需修改 %zu，不合格 %zu，无法读取 %zu）\n", out, k.n,
			k.nv[VERDICT_PASS], k.nv[VERDICT_REVISE], k.nv[VERDICT_FAIL],
			k.nv[VERDICT_UNREADABLE]);
	free_paths(paths, n);
	checker_free(c);
	checker_free(pc);
	free(rules);
	/* the verdicts are in the workbook: writing it is success */
	return EXIT_CLEAN;

fail:
	tmp_path = NULL;
	unlink(tmp);
	free(tmp);
	if (paths)
		free_paths(paths, n);
	if (c)
		checker_free(c);
	if (pc)
		checker_free(pc);
	free(rules);
	return status;
}
