/*
 * ext_stub.c: fzreport's .docx reader and writer, its workbook, its PDF
 * and its web server live in fzreport-ext.so, with the libraries they
 * need (libzip and libcrypto, libxml2 and ICU, libxlsxwriter, libharu,
 * HarfBuzz and fontconfig, libmicrohttpd and GnuTLS).  Mapping those in
 * costs about 15 ms of CPU a run (docs/BENCH.md, fourteenth round), more
 * than checking fifty .txt reports, and a check of .txt reports needs
 * none of them.
 *
 * This file stands in for the functions the rest of fzreport calls in
 * that half (EXT_FUNCS).  The first call loads fzreport-ext.so: the one
 * $FZREPORT_EXT names, else the one beside the program (a build tree),
 * else FZ_LIBDIR's (an installed fzreport); each call goes on to the
 * function of the same name there.  fzreport-ext.so calls back into the
 * program (the symbols the Makefile exports with --dynamic-list).
 *
 * Only the program is built this way: the test programs and the fuzzers
 * link both halves into one and do without this file.
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annotate.h"
#include "cmd.h"
#include "doc.h"
#include "docx_write.h"
#include "pdf_font.h"
#include "render_pdf.h"
#include "render_xlsx.h"
#include "util.h"

#ifndef FZ_LIBDIR
#define FZ_LIBDIR "/usr/local/lib/fzreport"
#endif

#define EXT_FUNCS(X) \
	X(load_docx_mem) X(annotate_file) X(annotate_span) X(docx_write) \
	X(xlsx_open) X(xlsx_add_rule) X(xlsx_add_rules) X(xlsx_previous) \
	X(xlsx_render) X(xlsx_render_late) X(xlsx_close) \
	X(pdf_font_open) X(pdf_font_free) X(pdf_open) X(pdf_render) X(pdf_close) \
	X(pdf_close_fp) X(cmd_serve)

static struct {
#define FIELD(f) __typeof__(f) *f;
	EXT_FUNCS(FIELD)
#undef FIELD
} ext;

static pthread_once_t ext_once = PTHREAD_ONCE_INIT;
static int ext_ok;
static char ext_why[PATH_MAX + 256];

/* $FZREPORT_EXT; else beside the program, when there; else FZ_LIBDIR's. */
static void
ext_path(char *path, size_t size)
{
	const char *e = getenv("FZREPORT_EXT");
	char dir[PATH_MAX];

	if (e != NULL && *e != '\0') {
		snprintf(path, size, "%s", e);
		return;
	}
	if (exe_dir(dir, sizeof(dir)) == 0 &&
	    snprintf(path, size, "%s/fzreport-ext.so", dir) < (int)size && access(path, F_OK) == 0)
		return;
	snprintf(path, size, "%s/fzreport-ext.so", FZ_LIBDIR);
}

static void
ext_open(void)
{
	char path[PATH_MAX + 32];
	const char *version, *missing = NULL;
	void *h;

	ext_path(path, sizeof(path));
	/* never closed: its functions are used until the program ends */
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(ext_why, sizeof(ext_why),
			"无法载入 fzreport-ext.so（%s）：请重新安装 fzreport，或以 FZREPORT_EXT 指明它", dlerror());
		return;
	}
	version = dlsym(h, "fz_ext_version");
	if (version == NULL || strcmp(version, FZ_VERSION) != 0) {
		snprintf(ext_why, sizeof(ext_why), "%s 不是 fzreport %s 的（版本 %s），请重新安装 fzreport",
			path, FZ_VERSION, version ? version : "不明");
		return;
	}
#define LOOKUP(f) \
	if ((*(void **)&ext.f = dlsym(h, #f)) == NULL && missing == NULL) \
		missing = #f;
	EXT_FUNCS(LOOKUP)
#undef LOOKUP
	if (missing != NULL) {
		snprintf(ext_why, sizeof(ext_why), "%s 缺少 %s，请重新安装 fzreport", path, missing);
		return;
	}
	ext_ok = 1;
}

/* 0 when fzreport-ext.so is loaded; else -1 with err (or stderr) saying why. */
static int
ext_load(struct error *err)
{
	pthread_once(&ext_once, ext_open);
	if (ext_ok)
		return 0;
	if (err != NULL)
		return error_set(err, "%s", ext_why);
	return -1;
}

/* For the callers with no error to fill: the whole command cannot go on. */
static void
ext_need(void)
{
	if (ext_load(NULL) == -1) {
		fprintf(stderr, "fzreport: %s\n", ext_why);
		exit(6);
	}
}

int
load_docx_mem(const char *name, const char *data, size_t n, struct doc *d, struct error *err)
{
	if (ext_load(err) == -1)
		return -1;
	return ext.load_docx_mem(name, data, n, d, err);
}

int
annotate_file(const char *in, const char *out, const struct result *res,
	const struct annotate_opts *o, struct annotate_stats *st, struct error *err)
{
	if (ext_load(err) == -1)
		return -1;
	return ext.annotate_file(in, out, res, o, st, err);
}

int
annotate_span(const struct doc *d, const struct finding *f, size_t *off, size_t *end)
{
	ext_need();
	return ext.annotate_span(d, f, off, end);
}

int
docx_write(const char *path, const struct skeleton *sk, struct error *err)
{
	if (ext_load(err) == -1)
		return -1;
	return ext.docx_write(path, sk, err);
}

struct xlsx_state *
xlsx_open(const struct xlsx_opts *o)
{
	ext_need();
	return ext.xlsx_open(o);
}

void
xlsx_add_rule(struct xlsx_state *st, const char *id, enum severity sev, const char *message)
{
	ext.xlsx_add_rule(st, id, sev, message);
}

void
xlsx_add_rules(struct xlsx_state *st, const struct rulepack *p)
{
	ext.xlsx_add_rules(st, p);
}

void
xlsx_previous(struct xlsx_state *st, const struct result *r)
{
	ext.xlsx_previous(st, r);
}

size_t
xlsx_render(struct xlsx_state *st, const struct result *r, unsigned flags)
{
	return ext.xlsx_render(st, r, flags);
}

enum verdict
xlsx_render_late(struct xlsx_state *st, size_t row, const struct result *r)
{
	return ext.xlsx_render_late(st, row, r);
}

int
xlsx_close(struct xlsx_state *st, struct error *err)
{
	return ext.xlsx_close(st, err);
}

struct pdf_font *
pdf_font_open(const char *path, struct error *err)
{
	if (ext_load(err) == -1)
		return NULL;
	return ext.pdf_font_open(path, err);
}

void
pdf_font_free(struct pdf_font *f)
{
	if (f != NULL)
		ext.pdf_font_free(f);
}

struct pdf_state *
pdf_open(const struct pdf_opts *o)
{
	ext_need();
	return ext.pdf_open(o);
}

int
pdf_render(struct pdf_state *st, const struct result *r, struct error *err)
{
	return ext.pdf_render(st, r, err);
}

int
pdf_close(struct pdf_state *st, int write, struct error *err)
{
	return ext.pdf_close(st, write, err);
}

int
pdf_close_fp(struct pdf_state *st, FILE *fp, struct error *err)
{
	return ext.pdf_close_fp(st, fp, err);
}

int
cmd_serve(int argc, char **argv)
{
	ext_need();
	return ext.cmd_serve(argc, argv);
}
