/*
 * cmd_serve.c: fzreport serve [--listen ADDR:PORT] [--workers N] ...
 * The checking page for township clerks, on GNU libmicrohttpd.
 *
 * Pages (render_html.c): GET / (upload form), POST /check (303 to
 * /r/ID), GET /r/ID (result page, or the summary of several reports),
 * /r/ID/N (report N of several), downloads under both (audit.pdf,
 * result.json; rollup.xlsx and county.pdf for several), GET /rules.
 * API: POST /api/check (the JSON of `check --format json`), GET
 * /api/rules, GET /healthz.  Errors are JSON or a page, in Chinese.
 *
 * Uploads never reach the file system: each is copied into a memfd and
 * checked through its /proc/self/fd path by the same checker_run() as
 * `fzreport check` (the loaders decide the type by content).  Results
 * live in an in-memory cache for 60 minutes, at most --cache bytes,
 * oldest dropped first.  libmicrohttpd runs a thread per connection;
 * at most --workers checks (or PDF/workbook builds) run at once and at
 * most --queue more wait; past that the answer is 503 with Retry-After.
 * SIGINT/SIGTERM stop accepting, let the requests in flight finish, then
 * stop.  One access-log line per request goes to stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "pdf_font.h"
#include "render.h"
#include "annotate.h"
#include "render_html.h"
#include "render_pdf.h"
#include "render_xlsx.h"
#include "rules.h"
#include "utf8.h"
#include "util.h"

#define CACHE_TTL (60 * 60)           /* seconds a result is kept */
#define MAX_FILES 500                 /* files in one upload */
#define HEADER_MAX 8192               /* bytes of one request header line */

/* One result set in the cache: the files of one upload. */
struct entry {
	char id[33];
	time_t created;
	int refs;                  /* requests using it, and 1 while cached */
	int cached;
	size_t bytes;              /* what it costs, roughly */
	struct result *res;
	size_t n;
	char **page;               /* per report: its result page */
	char **json;               /* per report: its line of `check --format json` */
	struct buf *data;          /* per report: the upload itself (annotated.docx) */
	char *summary;             /* n > 1: the summary page */
	int previous;              /* checked with last year's report */
	struct entry *prev, *next; /* oldest first */
};

/* One uploaded file, in memory. */
struct upload {
	char *name;
	struct buf data;
	int previous;              /* the form's "previous" field */
};

/* Per request (libmicrohttpd's con_cls). */
struct req {
	struct timespec t0;
	char *method, *path;
	int status;
	size_t bytes;
	struct MHD_PostProcessor *pp;
	struct upload *files;
	size_t nfile, filecap;
	size_t total;
	int body;                  /* a request with a body we read */
	int raw;                   /* the body is the file itself */
	int too_large, too_many, bad;
	int answered;              /* a response is queued already */
};

static struct server {
	struct checker *c;
	const char **rule_files;
	size_t nrule;
	struct pdf_font *font;
	char *font_err;
	size_t max_upload, cache_max;
	int workers, queue_max;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int running, waiting;      /* the gate: checks running and waiting */
	int active;                /* requests in progress */
	struct entry *oldest, *newest;
	size_t cache_bytes;
	pthread_mutex_t load_mu;   /* checker_new(): rules_default_path() has a static buffer */
	char *index_page, *rules_page;
	size_t rules_json_len;
	char *rules_json;
} srv;

static void
serve_usage(FILE *fp)
{
	fputs("用法: fzreport serve [--listen 地址:端口] [--workers 线程数] [--queue 个数]\n"
	      "                      [--rules 文件]... [--max-upload 大小] [--cache 大小] [--font 字体文件]\n"
	      "  --listen 地址:端口   监听地址（默认 127.0.0.1:8080；县里的服务器用 0.0.0.0:8080）\n"
	      "  --workers 线程数     同时检查的报告数（默认等于处理器核数）\n"
	      "  --queue 个数         排队等候的检查数，再多就答 503（默认线程数的 4 倍）\n"
	      "  --rules 文件         县里的规则包，叠加在默认规则之上（可重复）\n"
	      "  --max-upload 大小    一次上传的上限（默认 20M）\n"
	      "  --cache 大小         内存中保存检查结果的上限（默认 256M，保存 60 分钟）\n"
	      "  --font 字体文件      审核意见单用的 TrueType 中文字体（默认 " PDF_FONT_DEFAULT "）\n", fp);
}

/* "20M", "512k", "1G", "1048576" (optionally ending in B); 0 on error. */
static size_t
parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return 0;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end != '\0' || v > (1ULL << 40))
		return 0;
	return (size_t)v;
}

/* ---------------------------------------------------------------- cache */

static void
entry_free(struct entry *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		result_release(&e->res[i]);
		free(e->page[i]);
		free(e->json[i]);
		if (e->data)
			buf_release(&e->data[i]);
	}
	free(e->data);
	free(e->res);
	free(e->page);
	free(e->json);
	free(e->summary);
	free(e);
}

/* Take e out of the list (srv.mu held); frees it when no request uses it. */
static void
cache_drop(struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		srv.oldest = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		srv.newest = e->prev;
	e->prev = e->next = NULL;
	e->cached = 0;
	srv.cache_bytes -= e->bytes;
	if (--e->refs == 0)
		entry_free(e);
}

/* Drop expired entries, then the oldest until need more bytes fit (srv.mu held). */
static void
cache_trim(size_t need)
{
	time_t now = time(NULL);

	while (srv.oldest && now - srv.oldest->created >= CACHE_TTL)
		cache_drop(srv.oldest);
	while (srv.oldest && srv.cache_bytes + need > srv.cache_max)
		cache_drop(srv.oldest);
}

static void
cache_put(struct entry *e)
{
	pthread_mutex_lock(&srv.mu);
	cache_trim(e->bytes);
	e->refs = 1;
	e->cached = 1;
	e->prev = srv.newest;
	if (srv.newest)
		srv.newest->next = e;
	else
		srv.oldest = e;
	srv.newest = e;
	srv.cache_bytes += e->bytes;
	pthread_mutex_unlock(&srv.mu);
}

/* The entry with this id, held for the caller (entry_put), or NULL. */
static struct entry *
cache_get(const char *id)
{
	struct entry *e;

	pthread_mutex_lock(&srv.mu);
	cache_trim(0);
	for (e = srv.newest; e; e = e->prev)
		if (strcmp(e->id, id) == 0) {
			e->refs++;
			break;
		}
	pthread_mutex_unlock(&srv.mu);
	return e;
}

static void
entry_put(struct entry *e)
{
	pthread_mutex_lock(&srv.mu);
	if (--e->refs == 0)
		entry_free(e);
	pthread_mutex_unlock(&srv.mu);
}

/* ----------------------------------------------------------------- gate */

/* Wait for a free worker; -1 when the queue is full (answer 503). */
static int
gate_enter(void)
{
	pthread_mutex_lock(&srv.mu);
	if (srv.running >= srv.workers) {
		if (srv.waiting >= srv.queue_max) {
			pthread_mutex_unlock(&srv.mu);
			return -1;
		}
		srv.waiting++;
		while (srv.running >= srv.workers)
			pthread_cond_wait(&srv.cv, &srv.mu);
		srv.waiting--;
	}
	srv.running++;
	pthread_mutex_unlock(&srv.mu);
	return 0;
}

static void
gate_leave(void)
{
	pthread_mutex_lock(&srv.mu);
	srv.running--;
	pthread_cond_broadcast(&srv.cv);
	pthread_mutex_unlock(&srv.mu);
}

/* ------------------------------------------------------------ responses */

static enum MHD_Result
reply(struct MHD_Connection *conn, struct req *rq, unsigned status, const char *type,
	char *data, size_t len, const char *disposition, const char *location)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = MHD_create_response_from_buffer(len, data, data ? MHD_RESPMEM_MUST_FREE
							    : MHD_RESPMEM_PERSISTENT);
	if (r == NULL) {
		free(data);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Content-Security-Policy", "default-src 'self'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	if (strncmp(rq->path, "/static/", 8) == 0 && status == 200)
		MHD_add_response_header(r, "Cache-Control", "public, max-age=3600");
	else
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (disposition)
		MHD_add_response_header(r, "Content-Disposition", disposition);
	if (location)
		MHD_add_response_header(r, "Location", location);
	if (status == 503)
		MHD_add_response_header(r, "Retry-After", "10");
	if (status == 405)
		MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
	ok = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	rq->status = (int)status;
	rq->bytes = len;
	rq->answered = 1;
	return ok;
}

static enum MHD_Result
reply_str(struct MHD_Connection *conn, struct req *rq, unsigned status, const char *type,
	char *s)
{
	return reply(conn, rq, status, type, s, strlen(s), NULL, NULL);
}

static enum MHD_Result
reply_html(struct MHD_Connection *conn, struct req *rq, unsigned status, char *page)
{
	return reply_str(conn, rq, status, "text/html; charset=utf-8", page);
}

static enum MHD_Result
reply_json_error(struct MHD_Connection *conn, struct req *rq, unsigned status, const char *msg)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "{\"error\":");
	json_string(&b, msg);
	buf_printf(&b, ",\"status\":%u}\n", status);
	return reply_str(conn, rq, status, "application/json; charset=utf-8", buf_detach(&b));
}

static int
is_api(const struct req *rq)
{
	return strncmp(rq->path, "/api/", 5) == 0 || strcmp(rq->path, "/healthz") == 0;
}

/* An error as JSON for the API, as a page for people. */
static enum MHD_Result
reply_error(struct MHD_Connection *conn, struct req *rq, unsigned status, const char *title,
	const char *msg)
{
	if (is_api(rq))
		return reply_json_error(conn, rq, status, msg);
	return reply_html(conn, rq, status, html_message_page(title, msg));
}

static const char *
too_large_msg(char *buf, size_t n)
{
	snprintf(buf, n, "上传的文件太大：一次最多 %zu MB（一般的报告只有几百 KB）",
	    (srv.max_upload + (1 << 20) - 1) >> 20);
	return buf;
}

/* A download name: attachment; filename="ascii"; filename*=UTF-8''percent-encoded (RFC 5987). */
static char *
disposition(const char *name)
{
	struct buf b;
	const unsigned char *p;

	buf_init(&b);
	buf_adds(&b, "attachment; filename=\"");
	for (p = (const unsigned char *)name; *p; p++) {
		if (*p >= 0x80) {
			if ((*p & 0xC0) != 0x80)
				buf_addc(&b, '_');
		} else if (*p < 0x20 || *p == '"' || *p == '\\' || *p == '/' || *p == 0x7F)
			buf_addc(&b, '_');
		else
			buf_addc(&b, (char)*p);
	}
	buf_adds(&b, "\"; filename*=UTF-8''");
	for (p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("!#$&+-.^_`|~", *p))
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return buf_detach(&b);
}

static enum MHD_Result
reply_download(struct MHD_Connection *conn, struct req *rq, const char *type, char *data,
	size_t len, const char *name)
{
	char *cd = disposition(name);
	enum MHD_Result ok = reply(conn, rq, 200, type, data, len, cd, NULL);

	free(cd);
	return ok;
}

/* ------------------------------------------------------------- checking */

/* A file name from a browser, safe to show: no directories, valid UTF-8, no controls. */
static char *
clean_name(const char *raw)
{
	const char *s = raw ? raw : "", *p;
	struct buf b;
	size_t n, i;

	for (p = s; *p; p++)
		if (*p == '/' || *p == '\\')
			s = p + 1;
	n = strlen(s);
	buf_init(&b);
	for (i = 0; i < n && b.len < 200;) {
		size_t l;
		uint32_t cp = utf8_decode(s + i, n - i, &l);

		if (l == 0)
			l = 1;
		if (cp == 0xFFFD && !(l == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
			buf_addc(&b, '_');
		else if (cp < 0x20 || cp == 0x7F)
			buf_addc(&b, '_');
		else
			buf_add(&b, s + i, l);
		i += l;
	}
	if (b.len == 0)
		buf_adds(&b, "报告");
	return buf_detach(&b);
}

/* Replace every `from` in *s by `to`. */
static void
replace_all(char **s, const char *from, const char *to)
{
	struct buf b;
	const char *p, *q;
	size_t fl = strlen(from);

	if (*s == NULL || strstr(*s, from) == NULL)
		return;
	buf_init(&b);
	for (p = *s; (q = strstr(p, from)) != NULL; p = q + fl) {
		buf_add(&b, p, (size_t)(q - p));
		buf_adds(&b, to);
	}
	buf_adds(&b, p);
	free(*s);
	*s = buf_detach(&b);
}

/* Copy data into a new memfd; its /proc path in *path.  The fd, or -1. */
static int
mem_file(const char *data, size_t len, char **path)
{
	int fd = memfd_create("fzreport-upload", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	*path = xasprintf("/proc/self/fd/%d", fd);
	return fd;
}

/* The whole content of fd (a memfd) into *data; 0 or -1. */
static int
mem_read(int fd, char **data, size_t *len)
{
	struct stat st;
	size_t off = 0;

	if (fstat(fd, &st) != 0)
		return -1;
	*len = (size_t)st.st_size;
	*data = xmalloc(*len + 1);
	while (off < *len) {
		ssize_t r = pread(fd, *data + off, *len - off, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(*data);
			return -1;
		}
		off += (size_t)r;
	}
	return 0;
}

/*
 * Check the uploaded files (not the previous one) into a new entry; with
 * pages set, also render every result page (the report is loaded again
 * for its text).  Runs inside the gate.  NULL with *msg on failure.
 */
static struct entry *
check_uploads(struct req *rq, int pages, const char **msg)
{
	struct entry *e = xcalloc(1, sizeof(*e));
	struct checker *c = srv.c, *own = NULL;
	char **paths = xcalloc(rq->nfile + 1, sizeof(char *)), *prevpath = NULL;
	int *fds = xcalloc(rq->nfile + 1, sizeof(int)), prevfd = -1;
	const char **names = xcalloc(rq->nfile + 1, sizeof(char *)), *prevname = NULL;
	struct upload **ups = xcalloc(rq->nfile + 1, sizeof(*ups));
	size_t i, n = 0;
	unsigned char rnd[16];

	for (i = 0; i < rq->nfile; i++) {
		struct upload *u = &rq->files[i];

		if (u->previous) {
			if (prevfd < 0) {
				prevfd = mem_file(u->data.s, u->data.len, &prevpath);
				prevname = u->name;
			}
			continue;
		}
		if ((fds[n] = mem_file(u->data.s, u->data.len, &paths[n])) < 0) {
			*msg = "服务器内存不足，暂时无法检查；请稍后再试";
			goto fail;
		}
		ups[n] = u;
		names[n++] = u->name;
	}
	if (prevpath) {
		struct check_opts o;
		struct error err;

		memset(&o, 0, sizeof(o));
		o.rule_files = srv.rule_files;
		o.nrule_files = srv.nrule;
		o.previous = prevpath;
		o.min_severity = SEV_INFO;
		o.jobs = 1;
		pthread_mutex_lock(&srv.load_mu);
		own = checker_new(&o, &err);
		pthread_mutex_unlock(&srv.load_mu);
		if (own)
			c = own;
		e->previous = own != NULL;
	}
	e->n = n;
	e->res = xcalloc(n, sizeof(*e->res));
	e->page = xcalloc(n, sizeof(char *));
	e->json = xcalloc(n, sizeof(char *));
	e->data = xcalloc(n, sizeof(*e->data));
	for (i = 0; i < n; i++) {
		buf_init(&e->data[i]);
		buf_add(&e->data[i], ups[i]->data.s, ups[i]->data.len);
		e->bytes += ups[i]->data.len;
	}
	checker_run(c, paths, n, e->res, NULL, NULL);
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		*msg = "服务器无法生成结果编号；请稍后再试";
		goto fail;
	}
	for (i = 0; i < 16; i++)
		snprintf(e->id + 2 * i, 3, "%02x", rnd[i]);
	e->created = time(NULL);
	for (i = 0; i < n; i++) {
		struct result *r = &e->res[i];
		size_t k;

		/* the memfd's path is nobody's business: the upload's name instead */
		free(r->file);
		r->file = xstrdup(names[i]);
		replace_all(&r->error, paths[i], names[i]);
		for (k = 0; k < r->nfinding; k++) {
			replace_all(&r->findings[k].message, paths[i], names[i]);
			if (prevpath)
				replace_all(&r->findings[k].message, prevpath, prevname);
		}
		e->json[i] = json_result(r);
		e->bytes += 2 * strlen(e->json[i]) + 1024;
		if (pages) {
			struct doc d;
			struct error err;
			char *base = n > 1 ? xasprintf("/r/%s/%zu", e->id, i + 1)
					   : xasprintf("/r/%s", e->id);
			char *up = n > 1 ? xasprintf("/r/%s", e->id) : NULL;
			int ok;

			doc_init(&d);
			ok = r->error == NULL && doc_load(paths[i], &d, &err) == 0;
			e->page[i] = html_result_page(r, ok ? &d : NULL, base, up);
			e->bytes += strlen(e->page[i]);
			doc_release(&d);
			free(base);
			free(up);
		}
	}
	if (pages && n > 1) {
		e->summary = html_summary_page(e->res, n, e->id);
		e->bytes += strlen(e->summary);
	}
	goto out;
fail:
	for (i = 0; i < e->n; i++)
		result_release(&e->res[i]);
	free(e->res);
	free(e->page);
	free(e->json);
	free(e);
	e = NULL;
out:
	for (i = 0; i < n; i++) {
		close(fds[i]);
		free(paths[i]);
	}
	if (prevfd >= 0)
		close(prevfd);
	free(prevpath);
	free(paths);
	free(fds);
	free(names);
	free(ups);
	checker_free(own);
	return e;
}

static size_t
count_reports(const struct req *rq)
{
	size_t i, n = 0;

	for (i = 0; i < rq->nfile; i++)
		n += !rq->files[i].previous;
	return n;
}

static enum MHD_Result
do_check(struct MHD_Connection *conn, struct req *rq, int api)
{
	struct entry *e;
	const char *msg = NULL;
	size_t i, unreadable = 0;

	if (count_reports(rq) == 0)
		return reply_error(conn, rq, 400, "没有收到报告",
		    api ? "没有收到报告文件：请用表单字段 file 上传，或在请求体中直接发送文件并加 ?name=文件名"
			: "没有收到报告文件：请先选择要检查的报告");
	if (gate_enter() != 0)
		return reply_error(conn, rq, 503, "服务器忙",
		    "正在检查的报告太多，服务器忙；请过一会儿再试");
	e = check_uploads(rq, !api, &msg);
	gate_leave();
	if (e == NULL)
		return reply_error(conn, rq, 500, "检查失败", msg);
	for (i = 0; i < e->n; i++)
		unreadable += e->res[i].error != NULL;
	if (api) {
		struct buf b;
		unsigned status = unreadable == e->n ? 422 : 200;

		buf_init(&b);
		for (i = 0; i < e->n; i++) {
			buf_adds(&b, e->json[i]);
			buf_addc(&b, '\n');
		}
		entry_free(e);
		return reply_str(conn, rq, status,
		    i > 1 ? "application/x-ndjson; charset=utf-8" : "application/json; charset=utf-8",
		    buf_detach(&b));
	}
	if (e->n == 1 && unreadable == 1) {
		/* nothing to keep: the page says what is wrong and what to do */
		char *page = xstrdup(e->page[0]);

		entry_free(e);
		return reply_html(conn, rq, 422, page);
	}
	{
		char *loc = xasprintf("/r/%s", e->id);
		enum MHD_Result ok;
		char *body = xasprintf("<!DOCTYPE html><p><a href=\"%s\">检查结果</a></p>\n", loc);

		cache_put(e);
		ok = reply(conn, rq, 303, "text/html; charset=utf-8", body, strlen(body), NULL, loc);
		free(loc);
		return ok;
	}
}

/* ---------------------------------------------------------- downloads */

static void
now_text(time_t t, char *buf, size_t sz)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, sz, "%Y-%m-%d %H:%M", &tm);
}

/* The stem of a file name (no extension). */
static char *
stem(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && dot != name ? xstrndup(name, (size_t)(dot - name)) : xstrdup(name);
}

static enum MHD_Result
send_pdf(struct MHD_Connection *conn, struct req *rq, struct entry *e, size_t from, size_t to,
	int binder, const char *name)
{
	struct pdf_opts o;
	struct pdf_state *st;
	struct error err;
	char when[32], *data = NULL;
	size_t i, len = 0;
	int rc = 0;

	if (srv.font == NULL)
		return reply_error(conn, rq, 503, "无法生成 PDF", srv.font_err);
	if (gate_enter() != 0)
		return reply_error(conn, rq, 503, "服务器忙", "服务器忙；请过一会儿再试");
	now_text(e->created, when, sizeof(when));
	memset(&o, 0, sizeof(o));
	o.font = srv.font;
	o.binder = binder;
	o.checked_at = when;
	o.creator = "fzreport " FZ_VERSION;
	st = pdf_open(&o);
	for (i = from; i < to && rc == 0; i++)
		rc = pdf_render(st, &e->res[i], &err);
	if (rc == 0)
		rc = pdf_close_bytes(st, &data, &len, &err);
	else
		pdf_close(st, 0, &err);
	gate_leave();
	if (rc != 0)
		return reply_error(conn, rq, 500, "无法生成 PDF", err.msg);
	return reply_download(conn, rq, "application/pdf", data, len, name);
}

static enum MHD_Result
send_xlsx(struct MHD_Connection *conn, struct req *rq, struct entry *e)
{
	struct xlsx_opts xo;
	struct xlsx_state *st;
	struct error err;
	char *path = NULL, *data = NULL;
	const char *tmpdir = getenv("TMPDIR");
	size_t i, len = 0, nun = 0;
	int fd, rc;

	if ((fd = mem_file("", 0, &path)) < 0)
		return reply_error(conn, rq, 500, "无法生成工作簿", "服务器内存不足；请稍后再试");
	if (gate_enter() != 0) {
		close(fd);
		free(path);
		return reply_error(conn, rq, 503, "服务器忙", "服务器忙；请过一会儿再试");
	}
	memset(&xo, 0, sizeof(xo));
	xo.path = path;
	xo.name = "汇总.xlsx";
	xo.tmpdir = tmpdir && *tmpdir ? tmpdir : "/tmp";
	xo.version = FZ_VERSION;
	xo.created = e->created;
	xo.similar_rule = XLSX_SIMILAR_RULE;
	st = xlsx_open(&xo);
	for (i = 0; i < e->n; i++) {
		xlsx_render(st, &e->res[i], e->previous ? XLSX_SIMILAR_CHECKED : 0);
		nun += e->res[i].error != NULL;
	}
	xlsx_add_rules(st, checker_rules(srv.c));
	if (nun)
		xlsx_add_rule(st, diag_rule(DIAG_READ_FAILED), SEV_FATAL,
		    diag_message(DIAG_READ_FAILED));
	rc = xlsx_close(st, &err);
	if (rc == 0 && mem_read(fd, &data, &len) != 0)
		rc = error_set(&err, "无法读回生成的工作簿");
	gate_leave();
	close(fd);
	free(path);
	if (rc != 0)
		return reply_error(conn, rq, 500, "无法生成工作簿", err.msg);
	return reply_download(conn, rq,
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, len,
	    "汇总.xlsx");
}

static enum MHD_Result
send_json(struct MHD_Connection *conn, struct req *rq, struct entry *e, size_t from, size_t to,
	const char *name)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = from; i < to; i++) {
		buf_adds(&b, e->json[i]);
		buf_addc(&b, '\n');
	}
	return reply_download(conn, rq,
	    to - from > 1 ? "application/x-ndjson; charset=utf-8" : "application/json; charset=utf-8",
	    b.s, b.len, name);
}

/* Report i's own .docx with a Word comment at each finding and the fixes as revisions. */
static enum MHD_Result
send_annotated(struct MHD_Connection *conn, struct req *rq, struct entry *e, size_t i,
	const char *name)
{
	struct annotate_opts ao;
	struct error err;
	char *out = NULL;
	size_t outn = 0;

	memset(&ao, 0, sizeof(ao));
	ao.rules = checker_rules(srv.c);
	ao.when = source_date();
	if (annotate_mem(e->res[i].file, e->data[i].s ? e->data[i].s : "", e->data[i].len, &e->res[i],
		&ao, &out, &outn, NULL, &err) == -1)
		return reply_error(conn, rq, 422, "无法生成加批注的报告", err.msg);
	return reply_download(conn, rq,
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", out, outn, name);
}

static int
is_id(const char *s, size_t n)
{
	size_t i;

	if (n != 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* /r/ID, /r/ID/N, and the downloads under either. */
static enum MHD_Result
do_result(struct MHD_Connection *conn, struct req *rq)
{
	const char *p = rq->path + 3, *slash = strchr(p, '/'), *rest;
	size_t idlen = slash ? (size_t)(slash - p) : strlen(p), which = 0, from, to;
	char id[33], *st, *name;
	struct entry *e;
	enum MHD_Result ok;

	if (!is_id(p, idlen))
		return reply_error(conn, rq, 404, "找不到这个页面", "找不到这个页面；请回到上传页面重新检查");
	memcpy(id, p, 32);
	id[32] = '\0';
	rest = slash ? slash + 1 : "";
	if ((e = cache_get(id)) == NULL)
		return reply_error(conn, rq, 410, "检查结果已过期",
		    "这次检查的结果已经过期（结果只保存 60 分钟）或服务器已重启；请重新上传报告检查");
	/* report number N of several */
	if (e->n > 1 && *rest >= '1' && *rest <= '9') {
		char *end;
		unsigned long v = strtoul(rest, &end, 10);

		if (v >= 1 && v <= e->n && (*end == '\0' || *end == '/')) {
			which = v;
			rest = *end ? end + 1 : end;
		} else {
			entry_put(e);
			return reply_error(conn, rq, 404, "找不到这个页面", "这次上传没有这份报告");
		}
	}
	from = which ? which - 1 : 0;
	to = which ? which : e->n;
	st = stem(to - from == 1 ? e->res[from].file : "汇总");
	if (*rest == '\0') {
		if (e->n > 1 && which == 0)
			ok = reply_html(conn, rq, 200, xstrdup(e->summary));
		else
			ok = reply_html(conn, rq, 200, xstrdup(e->page[from]));
	} else if (strcmp(rest, "audit.pdf") == 0) {
		name = xasprintf("%s-审核意见单.pdf", st);
		ok = send_pdf(conn, rq, e, from, to, 0, name);
		free(name);
	} else if (strcmp(rest, "annotated.docx") == 0 && to - from == 1) {
		name = xasprintf("%s-批注.docx", st);
		ok = send_annotated(conn, rq, e, from, name);
		free(name);
	} else if (strcmp(rest, "result.json") == 0) {
		name = xasprintf("%s.%s", st, to - from > 1 ? "jsonl" : "json");
		ok = send_json(conn, rq, e, from, to, name);
		free(name);
	} else if (strcmp(rest, "rollup.xlsx") == 0 && which == 0 && e->n > 1) {
		ok = send_xlsx(conn, rq, e);
	} else if (strcmp(rest, "county.pdf") == 0 && which == 0 && e->n > 1) {
		ok = send_pdf(conn, rq, e, 0, e->n, 1, "汇总册.pdf");
	} else {
		ok = reply_error(conn, rq, 404, "找不到这个页面", "找不到这个页面");
	}
	free(st);
	entry_put(e);
	return ok;
}

/* --------------------------------------------------------------- routes */

static enum MHD_Result
route(struct MHD_Connection *conn, struct req *rq)
{
	int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
	int post = strcmp(rq->method, "POST") == 0;
	const char *p = rq->path;
	char msg[256];

	if (rq->too_large)
		return reply_error(conn, rq, 413, "文件太大", too_large_msg(msg, sizeof(msg)));
	if (rq->too_many)
		return reply_error(conn, rq, 413, "文件太多", "一次上传的文件太多；请分几次上传");
	if (rq->bad)
		return reply_error(conn, rq, 400, "上传的数据有误",
		    "上传的数据不完整或格式不对；请重新选择文件上传");
	if (strcmp(p, "/check") == 0 || strcmp(p, "/api/check") == 0) {
		if (!post)
			return strcmp(p, "/check") == 0 && get
			    ? reply(conn, rq, 303, "text/html; charset=utf-8", NULL, 0, NULL, "/")
			    : reply_error(conn, rq, 405, "请求方法不对", "请用 POST 上传报告");
		return do_check(conn, rq, p[1] == 'a');
	}
	if (!get)
		return reply_error(conn, rq, 405, "请求方法不对", "这个地址只能用 GET 访问");
	if (strcmp(p, "/") == 0 || strcmp(p, "/index.html") == 0)
		return reply_html(conn, rq, 200, xstrdup(srv.index_page));
	if (strcmp(p, "/healthz") == 0)
		return reply_str(conn, rq, 200, "text/plain; charset=utf-8", xstrdup("ok\n"));
	if (strcmp(p, "/rules") == 0)
		return reply_html(conn, rq, 200, xstrdup(srv.rules_page));
	if (strcmp(p, "/api/rules") == 0)
		return reply_str(conn, rq, 200, "application/json; charset=utf-8",
		    xstrdup(srv.rules_json));
	if (strcmp(p, "/static/fz.css") == 0)
		return reply_str(conn, rq, 200, "text/css; charset=utf-8", xstrdup(html_css));
	if (strcmp(p, "/static/fz.js") == 0)
		return reply_str(conn, rq, 200, "text/javascript; charset=utf-8", xstrdup(html_js));
	if (strcmp(p, "/favicon.ico") == 0)
		return reply(conn, rq, 204, "image/x-icon", NULL, 0, NULL, NULL);
	if (strncmp(p, "/r/", 3) == 0)
		return do_result(conn, rq);
	return reply_error(conn, rq, 404, "找不到这个页面", "找不到这个页面");
}

/* ------------------------------------------------------- request bodies */

static struct upload *
new_upload(struct req *rq, const char *name, int previous)
{
	struct upload *u;

	if (rq->nfile >= MAX_FILES + 1) {
		rq->too_many = 1;
		return NULL;
	}
	xgrow(&rq->files, &rq->filecap, rq->nfile + 1, sizeof(*rq->files));
	u = &rq->files[rq->nfile++];
	u->name = clean_name(name);
	buf_init(&u->data);
	u->previous = previous;
	return u;
}

static int
add_bytes(struct req *rq, struct upload *u, const char *data, size_t size)
{
	if (rq->total + size > srv.max_upload) {
		rq->too_large = 1;
		return -1;
	}
	rq->total += size;
	buf_add(&u->data, data, size);
	return 0;
}

static enum MHD_Result
post_iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
	const char *content_type, const char *transfer_encoding, const char *data, uint64_t off,
	size_t size)
{
	struct req *rq = cls;
	struct upload *u = rq->nfile ? &rq->files[rq->nfile - 1] : NULL;
	int previous;

	if (key == NULL || (strcmp(key, "file") != 0 && strcmp(key, "previous") != 0))
		return MHD_YES;  /* other fields are ignored */
	previous = key[0] == 'p';
	if (off == 0 && !(u && u->data.len == 0 && u->previous == previous)) {
		if ((u = new_upload(rq, filename, previous)) == NULL)
			return MHD_NO;
	}
	if (u == NULL)
		return MHD_NO;
	return size == 0 || add_bytes(rq, u, data, size) == 0 ? MHD_YES : MHD_NO;
}

/* Drop the empty fields a form sends when no file was chosen. */
static void
drop_empty(struct req *rq)
{
	size_t i, k = 0;

	for (i = 0; i < rq->nfile; i++) {
		struct upload *u = &rq->files[i];

		if (u->data.len == 0 && strcmp(u->name, "报告") == 0) {
			free(u->name);
			buf_release(&u->data);
		} else {
			rq->files[k++] = *u;
		}
	}
	rq->nfile = k;
}

static enum MHD_Result
header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	int *big = cls;

	if (strlen(key) + (value ? strlen(value) : 0) > HEADER_MAX)
		*big = 1;
	return MHD_YES;
}

static char *
log_path(const char *url)
{
	struct buf b;
	const unsigned char *p;

	buf_init(&b);
	for (p = (const unsigned char *)url; *p && b.len < 200; p++) {
		if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '%')
			buf_printf(&b, "%%%02X", *p);
		else
			buf_addc(&b, (char)*p);
	}
	return buf_detach(&b);
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct req *rq = *con_cls;
	char msg[256];

	if (rq == NULL) {
		const char *len, *ct;
		int big = 0;

		rq = xcalloc(1, sizeof(*rq));
		clock_gettime(CLOCK_MONOTONIC, &rq->t0);
		rq->method = xstrdup(method);
		rq->path = xstrdup(url);
		*con_cls = rq;
		pthread_mutex_lock(&srv.mu);
		srv.active++;
		pthread_mutex_unlock(&srv.mu);
		MHD_get_connection_values(conn, MHD_HEADER_KIND, header_size, &big);
		if (big)
			return reply_error(conn, rq, 431, "请求头太长", "请求头太长");
		if (strcmp(method, "POST") != 0 ||
		    (strcmp(url, "/check") != 0 && strcmp(url, "/api/check") != 0))
			return MHD_YES;  /* a body, if any, is read and ignored */
		rq->body = 1;
		/* refuse a large upload before reading it */
		len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (len && strtoull(len, NULL, 10) > srv.max_upload + 65536)
			return reply_error(conn, rq, 413, "文件太大", too_large_msg(msg, sizeof(msg)));
		ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
			if ((rq->pp = MHD_create_post_processor(conn, 64 * 1024, post_iter, rq)) == NULL)
				return reply_error(conn, rq, 400, "上传的数据有误",
				    "上传的数据格式不对（multipart 缺少 boundary）");
		} else if (strcmp(url, "/api/check") == 0) {
			rq->raw = 1;
			new_upload(rq, MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "name"), 0);
		} else {
			return reply_error(conn, rq, 400, "上传的数据有误",
			    "请用网页上的表单上传报告（multipart/form-data）");
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (rq->answered || !rq->body || rq->too_large || rq->too_many || rq->bad)
			return MHD_YES;  /* discarded */
		if (rq->pp) {
			if (MHD_post_process(rq->pp, upload_data, n) != MHD_YES && !rq->too_large &&
			    !rq->too_many)
				rq->bad = 1;
		} else if (rq->raw) {
			add_bytes(rq, &rq->files[0], upload_data, n);
		}
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	if (rq->pp) {
		if (MHD_destroy_post_processor(rq->pp) != MHD_YES && !rq->too_large && !rq->too_many)
			rq->bad = 1;
		rq->pp = NULL;
		drop_empty(rq);
	}
	return route(conn, rq);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;
	const union MHD_ConnectionInfo *ci;
	char host[NI_MAXHOST] = "-", when[32], *path;
	struct timespec t1;
	struct tm tm;
	time_t now = time(NULL);
	long ms;
	size_t i;

	if (rq == NULL)
		return;
	*con_cls = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (long)(t1.tv_sec - rq->t0.tv_sec) * 1000 + (t1.tv_nsec - rq->t0.tv_nsec) / 1000000;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr)
		getnameinfo(ci->client_addr,
		    ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							    : sizeof(struct sockaddr_in),
		    host, sizeof(host), NULL, 0, NI_NUMERICHOST);
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
	path = log_path(rq->path);
	fprintf(stderr, "%s %s %s %s %d %zu %ldms%s\n", when, host, rq->method, path, rq->status,
	    rq->bytes, ms, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (连接中断)");
	free(path);
	if (rq->pp)
		MHD_destroy_post_processor(rq->pp);
	for (i = 0; i < rq->nfile; i++) {
		free(rq->files[i].name);
		buf_release(&rq->files[i].data);
	}
	free(rq->files);
	free(rq->method);
	free(rq->path);
	free(rq);
	pthread_mutex_lock(&srv.mu);
	srv.active--;
	pthread_cond_broadcast(&srv.cv);
	pthread_mutex_unlock(&srv.mu);
}

/* ---------------------------------------------------------------- setup */

static char *
rules_json(const struct rulepack *p)
{
	struct buf b;
	size_t i;
	int first = 1;

	buf_init(&b);
	buf_adds(&b, "[");
	for (i = 0; i < p->nsection; i++) {
		const struct section_def *s = &p->sections[i];

		if (!s->rule || s->missing == SEV_NONE)
			continue;
		buf_adds(&b, first ? "\n{\"id\":" : ",\n{\"id\":");
		first = 0;
		json_string(&b, s->rule);
		buf_printf(&b, ",\"severity\":\"%s\",\"message\":", severity_name(s->missing));
		json_string(&b, s->message ? s->message : s->name);
		buf_adds(&b, ",\"source\":");
		json_string(&b, s->source);
		buf_adds(&b, ",\"hint\":");
		json_string(&b, s->hint);
		buf_adds(&b, ",\"section\":");
		json_string(&b, s->id);
		buf_adds(&b, "}");
	}
	for (i = 0; i < p->ncheck; i++) {
		const struct check_def *d = &p->checks[i];

		if (!d->enabled)
			continue;
		buf_adds(&b, first ? "\n{\"id\":" : ",\n{\"id\":");
		first = 0;
		json_string(&b, d->id);
		buf_printf(&b, ",\"severity\":\"%s\",\"message\":", severity_name(d->severity));
		json_string(&b, d->message);
		buf_adds(&b, ",\"source\":");
		json_string(&b, d->source);
		buf_adds(&b, ",\"hint\":");
		json_string(&b, d->hint);
		buf_adds(&b, ",\"scope\":");
		json_string(&b, d->scope);
		buf_adds(&b, "}");
	}
	buf_adds(&b, "\n]\n");
	return buf_detach(&b);
}

/* ADDR:PORT, [V6]:PORT, :PORT or PORT into a socket address; 0 or -1. */
static int
parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, int *v6)
{
	struct addrinfo hints, *ai = NULL;
	char *host, *port;
	const char *colon;
	int rc;

	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (end == NULL || end[1] != ':')
			return -1;
		host = xstrndup(s + 1, (size_t)(end - s - 1));
		port = xstrdup(end + 2);
	} else if ((colon = strrchr(s, ':')) != NULL) {
		host = colon == s ? xstrdup("0.0.0.0") : xstrndup(s, (size_t)(colon - s));
		port = xstrdup(colon + 1);
	} else {
		host = xstrdup("127.0.0.1");
		port = xstrdup(s);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = *port ? getaddrinfo(host, port, &hints, &ai) : -1;
	free(host);
	free(port);
	if (rc != 0 || ai == NULL)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return 0;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	diag_warn("serve: %s", line);
}

int
cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"workers", required_argument, NULL, 'w'},
		{"queue", required_argument, NULL, 'Q'},
		{"rules", required_argument, NULL, 'r'},
		{"max-upload", required_argument, NULL, 'M'},
		{"cache", required_argument, NULL, 'C'},
		{"font", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *listen = "127.0.0.1:8080", *fontpath = NULL;
	struct check_opts o;
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	struct error err;
	sigset_t set;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int ch, v6 = 0, sig = 0, port = 0, status = EXIT_CLEAN;
	struct timespec deadline;

	memset(&srv, 0, sizeof(srv));
	srv.max_upload = 20u << 20;
	srv.cache_max = 256u << 20;
	srv.workers = ncpu > 0 ? (int)ncpu : 1;
	srv.queue_max = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "l:w:r:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			listen = optarg;
			break;
		case 'w':
			if ((srv.workers = atoi(optarg)) < 1 || srv.workers > 1024) {
				diag_fatal("serve: --workers 需要 1 到 1024 之间的整数");
				goto usage;
			}
			break;
		case 'Q':
			if ((srv.queue_max = atoi(optarg)) < 0 || srv.queue_max > 100000 ||
			    (optarg[0] < '0' || optarg[0] > '9')) {
				diag_fatal("serve: --queue 需要非负整数");
				goto usage;
			}
			break;
		case 'r':
			srv.rule_files = xrealloc(srv.rule_files, (srv.nrule + 1) * sizeof(char *));
			srv.rule_files[srv.nrule++] = optarg;
			break;
		case 'M':
			if ((srv.max_upload = parse_size(optarg)) == 0) {
				diag_fatal("serve: --max-upload 的大小 '%s' 不对（例：20M）", optarg);
				goto usage;
			}
			break;
		case 'C':
			if ((srv.cache_max = parse_size(optarg)) == 0) {
				diag_fatal("serve: --cache 的大小 '%s' 不对（例：256M）", optarg);
				goto usage;
			}
			break;
		case 'F':
			fontpath = optarg;
			break;
		case 'h':
			serve_usage(stdout);
			free(srv.rule_files);
			return EXIT_CLEAN;
		default:
			serve_usage(stderr);
			free(srv.rule_files);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		diag_fatal("serve: 多余的参数 '%s'", argv[optind]);
		goto usage;
	}
	if (srv.queue_max < 0)
		srv.queue_max = 4 * srv.workers;
	if (parse_listen(listen, &ss, &sslen, &v6) != 0) {
		diag_fatal("serve: 监听地址 '%s' 不对（例：127.0.0.1:8080 或 0.0.0.0:8080）", listen);
		goto usage;
	}
	memset(&o, 0, sizeof(o));
	o.rule_files = srv.rule_files;
	o.nrule_files = srv.nrule;
	o.min_severity = SEV_INFO;
	o.jobs = 1;
	if ((srv.c = checker_new(&o, &err)) == NULL) {
		diag_fatal("%s", err.msg);
		free(srv.rule_files);
		return EXIT_RULES;
	}
	if ((srv.font = pdf_font_open(fontpath, &err)) == NULL) {
		/* the pages work without it; only the PDF downloads do not */
		srv.font_err = xasprintf("服务器上没有可用的中文字体，无法生成 PDF：%s", err.msg);
		diag_warn("serve: %s", srv.font_err);
	}
	srv.index_page = html_index_page(srv.max_upload);
	srv.rules_page = html_rules_page(checker_rules(srv.c));
	srv.rules_json = rules_json(checker_rules(srv.c));
	pthread_mutex_init(&srv.mu, NULL);
	pthread_mutex_init(&srv.load_mu, NULL);
	pthread_cond_init(&srv.cv, NULL);

	/* the threads libmicrohttpd starts inherit this mask: only this thread takes the signals */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_ITC | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0),
	    0, NULL, NULL, handler, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)(srv.workers + srv.queue_max + 64),
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		diag_fatal("serve: 无法在 %s 上监听（端口被占用，或没有权限）", listen);
		status = EXIT_OUTPUT;
		goto out;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = di ? di->port : 0;
	{
		char host[NI_MAXHOST] = "?";

		getnameinfo((struct sockaddr *)&ss, sslen, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
		fprintf(stderr, "%s: serve: 检查页面在 http://%s%s%s:%d/ （%d 个检查线程，排队 %d，"
				"上传上限 %zu MB，缓存 %zu MB）；按 Ctrl-C 停止\n",
		    diag_progname, v6 ? "[" : "", host, v6 ? "]" : "", port, srv.workers,
		    srv.queue_max, srv.max_upload >> 20, srv.cache_max >> 20);
	}
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "%s: serve: 收到停止信号，等正在处理的请求完成后退出\n", diag_progname);
	{
		MHD_socket ls = MHD_quiesce_daemon(d);

		if (ls != MHD_INVALID_SOCKET)
			close(ls);
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 60;
	pthread_mutex_lock(&srv.mu);
	while (srv.active > 0)
		if (pthread_cond_timedwait(&srv.cv, &srv.mu, &deadline) != 0)
			break;
	pthread_mutex_unlock(&srv.mu);
	MHD_stop_daemon(d);
	fprintf(stderr, "%s: serve: 已停止\n", diag_progname);
out:
	while (srv.oldest)
		cache_drop(srv.oldest);
	pthread_cond_destroy(&srv.cv);
	pthread_mutex_destroy(&srv.mu);
	pthread_mutex_destroy(&srv.load_mu);
	free(srv.index_page);
	free(srv.rules_page);
	free(srv.rules_json);
	free(srv.font_err);
	pdf_font_free(srv.font);
	checker_free(srv.c);
	free(srv.rule_files);
	return status;
usage:
	serve_usage(stderr);
	free(srv.rule_files);
	return EXIT_USAGE;
}
