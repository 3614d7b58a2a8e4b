/*
 * render_xlsx.c: the county's workbook (libxlsxwriter, constant_memory).
 *
 * xlsx_render() copies each result into a compact row (strings that
 * repeat across reports -- rule messages, clauses, hints, units -- are
 * interned once) and appends its findings, the rows of 问题明细, to an
 * unlinked temporary file (the spill): memory holds a row a report, not
 * a row a finding.  xlsx_close() sorts the rows, computes the counts,
 * links and duplicates, and only then writes the five sheets, each from
 * top to bottom, reading each report's findings back from the spill:
 * constant_memory mode forbids going back to an earlier row, and keeps
 * the workbook's memory flat however many rows there are.
 */
#include "render_xlsx.h"
#include "rules.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "utf8.h"
#include "util.h"
#include "xlsx_tmp.h"
#include "zlevel.h"

#define SHEET_SUMMARY "汇总"
#define SHEET_DETAIL "问题明细"
#define SHEET_RULES "规则统计"
#define SHEET_MATRIX "矩阵"
#define SHEET_NOTES "说明"

#define CELL_MAX 32767      /* characters in one cell */
#define ROW_LIMIT 1048576   /* rows in one sheet */
#define TOP_RULES 15        /* rules in the bar chart */
#define VERIFY_CHUNK 65536  /* bytes of a part read back at once */
#define DEFLATE_LEVEL 2     /* the package's; zlib's default, 6, takes twice the time (zlevel.c) */
#define SHEET_BUFFER 262144 /* stdio buffer of each sheet's temporary file (libc's: 4 KB) */
#define NSHEET 5

/* printing: 11 pt text is never printed below MIN_PT */
#define FONT_PT 11.0        /* the workbook's default font size */
#define MIN_PT 8.0
#define SPLIT_SCALE 75      /* % when a sheet prints in column groups (8.25 pt) */
#define MARGIN_LR 0.5       /* left and right margins, inches */
#define LINE_PT 15.0        /* height of one line of wrapped 11 pt text, CJK included */
#define CJK_UNITS 2.2       /* width of a CJK character in column-width units */

#define MARK_FOUND "✓ 有"
#define MARK_INLINE "△ 仅正文提及"
#define MARK_MISSING "✗ 缺"
#define MARK_NONE "–"
#define TOTAL_NOTE "只计筛选后显示的行"

/* ---- interned strings ---------------------------------------------- */

/* An open-addressing set of strings; equal strings share one pointer. */
struct pool {
	char **slot;
	size_t cap, n;
};

static const char *
intern(struct pool *p, const char *s)
{
	size_t i;

	if (s == NULL)
		return NULL;
	if ((p->n + 1) * 2 > p->cap) {
		char **old = p->slot;
		size_t oc = p->cap, k;

		p->cap = oc ? oc * 2 : 256;
		p->slot = xcalloc(p->cap, sizeof(char *));
		for (k = 0; k < oc; k++)
			if (old[k]) {
				i = str_hash(STR_HASH_START, old[k], strlen(old[k])) & (p->cap - 1);
				while (p->slot[i])
					i = (i + 1) & (p->cap - 1);
				p->slot[i] = old[k];
			}
		free(old);
	}
	i = str_hash(STR_HASH_START, s, strlen(s)) & (p->cap - 1);
	while (p->slot[i]) {
		if (strcmp(p->slot[i], s) == 0)
			return p->slot[i];
		i = (i + 1) & (p->cap - 1);
	}
	p->n++;
	return p->slot[i] = xstrdup(s);
}

static void
pool_release(struct pool *p)
{
	size_t i;

	for (i = 0; i < p->cap; i++)
		free(p->slot[i]);
	free(p->slot);
}

/* ---- the state -------------------------------------------------------- */

struct xrule {
	const char *id, *message;
	enum severity sev;
	size_t fails;       /* inputs with at least one finding of this rule */
	size_t unchecked;   /* inputs where it could not be evaluated */
	int declared;       /* came from xlsx_add_rule() */
};

struct xsec {
	const char *id, *name;
};

/*
 * A finding as the spill holds it: this header, then the excerpt and
 * its '\0' when excerpt_len is not 0.  The strings are interned: the pool outlives the spill,
 * which is read back by the process that wrote it.
 */
struct xfind {
	int rule;
	int sev;
	int line, column;
	const char *message, *source, *hint;
	size_t excerpt_len;
};

enum { SEC_NONE, SEC_FOUND, SEC_INLINE, SEC_MISSING };

struct xrow {
	size_t input;                 /* input order */
	char *file, *title, *date, *error, *similar;
	double date_serial;           /* 成文日期 as an Excel date, 0 if not a date */
	const char *unit, *parent;    /* interned */
	enum unit_kind kind;
	int year;
	enum verdict verdict;
	int errors, warnings, infos, notchecked;
	long chars;
	unsigned char *sec;           /* per section index: SEC_* */
	size_t nsec;
	int *fail, *unch;             /* rule indices, ascending, no repeats */
	size_t nfail, nunch;
	size_t nfind;                 /* findings, in the spill from spill_off on (and late_off) */
	off_t spill_off;
	size_t spill_len;             /* bytes of them there */
	off_t late_off;               /* findings added by xlsx_render_late(), sorted apart */
	size_t late_len;
	int similar_checked;
	size_t dup;                   /* size of its (unit, year) group, 0 if unique */
	const struct xprev *prev;
	size_t detail_row;            /* first row in 问题明细 (0: none) */
};

struct xprev {
	const char *unit;             /* interned */
	int year;
	enum verdict verdict;
	int errors;
	char *file;
};

struct xpack {
	const char *name, *version;
};

/*
 * A kept string's cleaned text, width and line count in one column: the
 * rule messages, clauses, hints, units and files repeat on every row of
 * 问题明细, and cleaning and wrapping them again each time cost more than
 * libxlsxwriter's own work on the cell.
 */
#define MEMO_SLOTS 512
struct cellmemo {
	const char *key;              /* the kept string (NULL: free) */
	lxw_col_t col;
	double colw;                  /* the column's width when lines was counted; < 0: not yet */
	char *text;                   /* clean(key) */
	double width, lines;
};

struct xlsx_state {
	struct xlsx_opts o;
	char *path, *name, *tmpdir, *version, *previous, *similar_rule;
	struct pool pool;
	struct xrow *rows;
	size_t nrow, caprow;
	size_t nfind;                 /* findings of all inputs */
	int spill;                    /* fd of the spill file, -1 if none */
	struct buf spill_buf;         /* what is not yet written to it */
	off_t spill_end;              /* its size, spill_buf included */
	int spill_errno;              /* its first failure, 0 if none */
	struct xrule *rules;
	size_t nrule, caprule;
	struct xsec *secs;
	size_t nsecs, capsecs;
	struct xprev *prevs;
	size_t nprev, capprev;
	struct xpack *packs;
	size_t npack, cappack;
	size_t detail_dropped;        /* findings past the sheet's row limit */

	/* while writing */
	lxw_workbook *wb;
	lxw_error lerr;               /* first libxlsxwriter error */
	const char *lerr_where;
	struct buf cell;              /* sanitised cell text */
	double *width;                /* widths of the current sheet's columns */
	size_t nwidth;
	int planned;                  /* widths set: width[] is final, rows get heights */
	double row_lines;             /* lines of the tallest cell of the current row */
	struct cellmemo *memo;        /* put_kept(): cleaned texts of kept strings */
	char *sheet_buf[NSHEET];      /* the sheets' temporary files' stdio buffers */
	lxw_worksheet *direct;        /* the sheet whose rows go straight to its file, or NULL */
	struct buf drow;              /* the markup of the current row's cells, there */
	lxw_col_t dcolmin, dcolmax;   /* the columns of its cells (dcolmin > dcolmax: none) */
	lxw_format *f_head, *f_text, *f_wrap, *f_num, *f_int, *f_pct, *f_link, *f_total,
		*f_total_num, *f_center, *f_title, *f_date, *f_time,
		*f_total_count, *f_total_files, *f_int_left,
		*f_total_note;
	lxw_format *f_green, *f_amber, *f_red, *f_grey;
};

/* ---- the spill of findings ---------------------------------------------- */

#define SPILL_FLUSH 65536   /* bytes gathered before a write */

/* Create the spill in the temporary directory, unlinked at once: nothing is left behind. */
static void
spill_open(struct xlsx_state *st)
{
	const char *dir = st->tmpdir;
	char *t;

	if (dir == NULL || *dir == '\0')
		dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	t = xasprintf("%s/.fzreport-xlsx.XXXXXX", dir);
	st->spill = mkstemp(t);
	if (st->spill < 0) {
		st->spill_errno = errno;
	} else {
		unlink(t);
		/* never fd 0-2 (closed by the caller): a write to stderr would land in it */
		if (st->spill <= STDERR_FILENO) {
			int fd = fcntl(st->spill, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);

			close(st->spill);
			st->spill = fd;
			if (fd < 0)
				st->spill_errno = errno;
		}
	}
	free(t);
}

static void
spill_flush(struct xlsx_state *st)
{
	size_t at = 0;

	while (at < st->spill_buf.len && st->spill >= 0 && st->spill_errno == 0) {
		ssize_t w = write(st->spill, st->spill_buf.s + at, st->spill_buf.len - at);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			st->spill_errno = w < 0 ? errno : ENOSPC;
		else
			at += (size_t)w;
	}
	st->spill_buf.len = 0;
}

static void
spill_add(struct xlsx_state *st, const struct xfind *x, const char *excerpt)
{
	size_t n = x->excerpt_len ? x->excerpt_len + 1 : 0;

	buf_add(&st->spill_buf, (const char *)x, sizeof(*x));
	buf_add(&st->spill_buf, excerpt, n);
	st->spill_end += (off_t)(sizeof(*x) + n);
	if (st->spill_buf.len >= SPILL_FLUSH)
		spill_flush(st);
}

/* Read len bytes of the spill at off into b; -1 when the spill fails. */
static int
spill_pread(struct xlsx_state *st, off_t off, size_t len, struct buf *b)
{
	size_t at = 0;

	b->len = 0;
	xgrow(&b->s, &b->cap, len + 1, 1);
	while (at < len && st->spill_errno == 0) {
		ssize_t r = pread(st->spill, b->s + at, len - at, off + (off_t)at);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			st->spill_errno = r < 0 ? errno : EIO;
		else
			at += (size_t)r;
	}
	b->len = at;
	return st->spill_errno ? -1 : 0;
}

/* Bytes of the spilled finding at p. */
static size_t
xfind_size(const char *p)
{
	struct xfind x;

	memcpy(&x, p, sizeof(x));
	return sizeof(x) + (x.excerpt_len ? x.excerpt_len + 1 : 0);
}

/* Whether spilled finding p sorts after q, as result_finish() sorts them (finding_cmp()). */
static int
xfind_after(const struct xlsx_state *st, const char *p, const char *q)
{
	struct xfind x, y;

	memcpy(&x, p, sizeof(x));
	memcpy(&y, q, sizeof(y));
	if (x.line != y.line)
		return x.line > y.line;
	if (x.column != y.column)
		return x.column > y.column;
	if (x.sev != y.sev)
		return x.sev < y.sev;
	return strcmp(st->rules[x.rule].id, st->rules[y.rule].id) > 0;
}

/*
 * Read the findings of w back into b, those of xlsx_render_late() merged
 * into their places (early and late: scratch buffers); -1 when the spill
 * fails.
 */
static int
spill_read(struct xlsx_state *st, const struct xrow *w, struct buf *b, struct buf *early,
    struct buf *late)
{
	size_t i = 0, j = 0;

	if (w->late_len == 0)
		return spill_pread(st, w->spill_off, w->spill_len, b);
	if (spill_pread(st, w->spill_off, w->spill_len, early) < 0 ||
	    spill_pread(st, w->late_off, w->late_len, late) < 0)
		return -1;
	b->len = 0;
	while (i < early->len || j < late->len) {
		int take_late = i == early->len ||
			(j < late->len && xfind_after(st, early->s + i, late->s + j));
		const char *p = take_late ? late->s + j : early->s + i;
		size_t k = xfind_size(p);

		buf_add(b, p, k);
		if (take_late)
			j += k;
		else
			i += k;
	}
	return 0;
}

struct xlsx_state *
xlsx_open(const struct xlsx_opts *o)
{
	struct xlsx_state *st = xcalloc(1, sizeof(*st));

	st->o = *o;
	st->path = xstrdup(o->path);
	st->name = xstrdup(o->name ? o->name : o->path);
	st->tmpdir = xstrdup_null(o->tmpdir);
	st->version = xstrdup(o->version ? o->version : "");
	st->previous = xstrdup_null(o->previous);
	st->similar_rule = xstrdup_null(o->similar_rule);
	buf_init(&st->cell);
	buf_init(&st->spill_buf);
	spill_open(st);
	return st;
}

/* Index of rule id (interned), adding it if new. */
static int
rule_index(struct xlsx_state *st, const char *id, enum severity sev, const char *message)
{
	size_t i;

	for (i = 0; i < st->nrule; i++)
		if (st->rules[i].id == id)
			return (int)i;
	xgrow(&st->rules, &st->caprule, st->nrule + 1, sizeof(*st->rules));
	memset(&st->rules[st->nrule], 0, sizeof(*st->rules));
	st->rules[st->nrule].id = id;
	st->rules[st->nrule].sev = sev;
	st->rules[st->nrule].message = message;
	return (int)st->nrule++;
}

void
xlsx_add_rule(struct xlsx_state *st, const char *id, enum severity sev, const char *message)
{
	int k = rule_index(st, intern(&st->pool, id), sev, intern(&st->pool, message));

	/* the pack's own severity and message win over those of a finding */
	st->rules[k].sev = sev;
	if (message)
		st->rules[k].message = intern(&st->pool, message);
	st->rules[k].declared = 1;
}

void
xlsx_add_rules(struct xlsx_state *st, const struct rulepack *p)
{
	size_t i;

	for (i = 0; i < p->nsection; i++) {
		const struct section_def *s = &p->sections[i];

		if (s->rule && s->missing != SEV_NONE)
			xlsx_add_rule(st, s->rule, s->missing, s->message ? s->message : s->name);
	}
	for (i = 0; i < p->ncheck; i++) {
		const struct check_def *d = &p->checks[i];

		if (d->enabled)
			xlsx_add_rule(st, d->id, d->severity, d->message);
	}
}

static size_t
section_index(struct xlsx_state *st, const char *id, const char *name)
{
	size_t i;

	for (i = 0; i < st->nsecs; i++)
		if (st->secs[i].id == id)
			return i;
	xgrow(&st->secs, &st->capsecs, st->nsecs + 1, sizeof(*st->secs));
	st->secs[st->nsecs].id = id;
	st->secs[st->nsecs].name = name ? name : id;
	return st->nsecs++;
}

/* Add k to the ascending set v[0..*n) unless present. */
static void
set_add(int **v, size_t *n, int k)
{
	size_t i = *n;

	while (i > 0 && (*v)[i - 1] > k)
		i--;
	if (i > 0 && (*v)[i - 1] == k)
		return;
	*v = xrealloc(*v, (*n + 1) * sizeof(int));
	memmove(*v + i + 1, *v + i, (*n - i) * sizeof(int));
	(*v)[i] = k;
	(*n)++;
}

/* Value of a digit as written in a date (ASCII, full-width, 〇一…九, 零, ○); -1 if none. */
static int
date_digit(uint32_t cp)
{
	static const char *const cn = "〇一二三四五六七八九";
	const char *p = cn;
	int i;

	if (cp >= '0' && cp <= '9')
		return (int)(cp - '0');
	if (cp >= 0xff10 && cp <= 0xff19)
		return (int)(cp - 0xff10);
	if (cp == 0x96f6 || cp == 0x25cb)  /* 零 ○ */
		return 0;
	for (i = 0; i < 10; i++) {
		size_t n;

		if (utf8_decode(p, strlen(p), &n) == cp)
			return i;
		p += n;
	}
	return -1;
}

/*
 * The Excel serial date of 成文日期 as written ("2025年1月20日",
 * "二〇二五年一月二十日", spaces allowed), or 0 when it is no valid date.
 */
static double
date_serial(const char *s)
{
	int v[3] = {0, 0, 0}, k = 0, seen = 0, ten = 0;
	static const uint32_t sep[3] = {0x5e74, 0x6708, 0x65e5};  /* 年 月 日 */
	size_t n, len = s ? strlen(s) : 0;
	lxw_datetime dt;
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	while (len > 0 && k < 3) {
		uint32_t cp = utf8_decode(s, len, &n);
		int d = date_digit(cp);

		if (n == 0)
			return 0;
		if (d >= 0) {
			v[k] = ten ? v[k] + d : v[k] * 10 + d;
			seen = 1;
		} else if (cp == 0x5341 && k > 0) {  /* 十 */
			v[k] = (seen ? v[k] : 1) * 10;
			ten = seen = 1;
		} else if (cp == sep[k] && seen) {
			k++;
			seen = ten = 0;
		} else if (cp != ' ' && cp != 0x3000) {
			return 0;
		}
		if (v[k < 3 ? k : 2] > 9999)
			return 0;
		s += n;
		len -= n;
	}
	if (k < 3 || v[0] < 1901 || v[0] > 9999 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > mdays[v[1] - 1] || (v[1] == 2 && v[2] == 29 &&
	    (v[0] % 4 != 0 || (v[0] % 100 == 0 && v[0] % 400 != 0))))
		return 0;
	memset(&dt, 0, sizeof(dt));
	dt.year = v[0];
	dt.month = v[1];
	dt.day = v[2];
	return lxw_datetime_to_excel_datetime(&dt);
}

/* One finding of row w: its rule, its place in the spill. */
static void
row_finding(struct xlsx_state *st, struct xrow *w, const struct finding *f)
{
	struct xfind x;
	const char *msg = intern(&st->pool, f->message);
	int k = rule_index(st, intern(&st->pool, f->rule), f->severity, msg);

	if (st->rules[k].message == NULL)
		st->rules[k].message = msg;
	set_add(&w->fail, &w->nfail, k);
	if (st->similar_rule && strcmp(f->rule, st->similar_rule) == 0 && w->similar == NULL)
		w->similar = xstrdup(f->message);
	memset(&x, 0, sizeof(x));  /* the padding too: it is written */
	x.rule = k;
	x.sev = f->severity;
	x.line = f->line;
	x.column = f->column;
	x.message = msg;
	x.source = intern(&st->pool, f->source);
	x.hint = intern(&st->pool, f->hint);
	x.excerpt_len = f->excerpt ? strlen(f->excerpt) : 0;
	spill_add(st, &x, f->excerpt);
	w->nfind++;
}

size_t
xlsx_render(struct xlsx_state *st, const struct result *r, unsigned flags)
{
	struct xrow *w;
	size_t i;

	xgrow(&st->rows, &st->caprow, st->nrow + 1, sizeof(*st->rows));
	w = &st->rows[st->nrow];
	memset(w, 0, sizeof(*w));
	w->input = st->nrow++;
	w->file = xstrdup_null(r->file);
	w->title = xstrdup_null(r->meta.title);
	w->date = xstrdup_null(r->meta.date);
	w->date_serial = date_serial(r->meta.date);
	w->error = xstrdup_null(r->error);
	w->unit = intern(&st->pool, r->meta.unit);
	w->parent = intern(&st->pool, r->meta.parent);
	w->kind = r->meta.unit_kind;
	w->year = r->meta.year;
	w->verdict = r->error ? VERDICT_UNREADABLE : r->summary.verdict;
	w->errors = r->summary.errors;
	w->warnings = r->summary.warnings;
	w->infos = r->summary.infos;
	w->notchecked = r->summary.not_checked;
	w->chars = r->chars;
	w->similar_checked = (flags & XLSX_SIMILAR_CHECKED) != 0;

	for (i = 0; i < r->nsection; i++) {
		const struct section_result *s = &r->sections[i];
		size_t k = section_index(st, intern(&st->pool, s->id), intern(&st->pool, s->name));

		if (k >= w->nsec) {
			w->sec = xrealloc(w->sec, k + 1);
			memset(w->sec + w->nsec, SEC_NONE, k + 1 - w->nsec);
			w->nsec = k + 1;
		}
		w->sec[k] = s->status == SECTION_FOUND ? SEC_FOUND :
			s->status == SECTION_INLINE ? SEC_INLINE : SEC_MISSING;
	}

	w->spill_off = st->spill_end;
	for (i = 0; i < r->nfinding; i++)
		row_finding(st, w, &r->findings[i]);
	/* An unreadable input always shows in 问题明细, with its reason. */
	if (r->error && r->nfinding == 0) {
		struct xfind x;
		int k = rule_index(st, intern(&st->pool, "READ"), SEV_FATAL,
			intern(&st->pool, "无法读取文件"));

		set_add(&w->fail, &w->nfail, k);
		memset(&x, 0, sizeof(x));
		x.rule = k;
		x.sev = SEV_FATAL;
		x.message = intern(&st->pool, r->error);
		spill_add(st, &x, NULL);
		w->nfind++;
	}
	w->spill_len = (size_t)(st->spill_end - w->spill_off);
	st->nfind += w->nfind;
	for (i = 0; i < r->nunchecked; i++) {
		const struct unchecked *u = &r->unchecked[i];
		int k = rule_index(st, intern(&st->pool, u->rule), u->severity,
			intern(&st->pool, u->message));

		set_add(&w->unch, &w->nunch, k);
		if (st->similar_rule && strcmp(u->rule, st->similar_rule) == 0)
			w->similar_checked = 0;
	}
	for (i = 0; i < r->npack; i++) {
		const char *n = intern(&st->pool, r->packs[i].name ? r->packs[i].name : "");
		const char *v = intern(&st->pool, r->packs[i].version ? r->packs[i].version : "");
		size_t k;

		for (k = 0; k < st->npack; k++)
			if (st->packs[k].name == n && st->packs[k].version == v)
				break;
		if (k == st->npack) {
			xgrow(&st->packs, &st->cappack, st->npack + 1, sizeof(*st->packs));
			st->packs[st->npack].name = n;
			st->packs[st->npack++].version = v;
		}
	}
	return w->input;
}

enum verdict
xlsx_render_late(struct xlsx_state *st, size_t row, const struct result *r)
{
	struct xrow *w = &st->rows[row];
	size_t i, before = w->nfind;

	if (w->late_len > 0 || r->nfinding == 0)  /* once a row, as documented */
		return w->verdict;
	w->late_off = st->spill_end;
	for (i = 0; i < r->nfinding; i++)
		row_finding(st, w, &r->findings[i]);
	w->late_len = (size_t)(st->spill_end - w->late_off);
	st->nfind += w->nfind - before;
	w->errors += r->summary.errors;
	w->warnings += r->summary.warnings;
	w->infos += r->summary.infos;
	/* as result_finish() decides */
	if (w->verdict != VERDICT_UNREADABLE)
		w->verdict = w->errors ? VERDICT_FAIL : w->warnings ? VERDICT_REVISE : VERDICT_PASS;
	return w->verdict;
}

void
xlsx_previous(struct xlsx_state *st, const struct result *r)
{
	struct xprev *p;

	if (r->meta.unit == NULL)
		return;
	xgrow(&st->prevs, &st->capprev, st->nprev + 1, sizeof(*st->prevs));
	p = &st->prevs[st->nprev++];
	p->unit = intern(&st->pool, r->meta.unit);
	p->year = r->meta.year;
	p->verdict = r->error ? VERDICT_UNREADABLE : r->summary.verdict;
	p->errors = r->summary.errors;
	p->file = xstrdup_null(r->file);
}

static void
memo_release(struct xlsx_state *st)
{
	size_t i;

	if (st->memo == NULL)
		return;
	for (i = 0; i < MEMO_SLOTS; i++)
		free(st->memo[i].text);
	free(st->memo);
	st->memo = NULL;
}

void
xlsx_abort(struct xlsx_state *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nrow; i++) {
		struct xrow *w = &st->rows[i];

		free(w->file);
		free(w->title);
		free(w->date);
		free(w->error);
		free(w->similar);
		free(w->sec);
		free(w->fail);
		free(w->unch);
	}
	free(st->rows);
	if (st->spill >= 0)
		close(st->spill);
	buf_release(&st->spill_buf);
	free(st->rules);
	free(st->secs);
	for (i = 0; i < st->nprev; i++)
		free(st->prevs[i].file);
	free(st->prevs);
	free(st->packs);
	free(st->width);
	buf_release(&st->cell);
	memo_release(st);
	pool_release(&st->pool);
	free(st->path);
	free(st->name);
	free(st->tmpdir);
	free(st->version);
	free(st->previous);
	free(st->similar_rule);
	free(st);
}

/* ---- ordering and cross-references ---------------------------------- */

/* 汇总 order: the worst verdict first, then unit (code-point order), file, input. */
static int
verdict_rank(enum verdict v)
{
	switch (v) {
	case VERDICT_UNREADABLE: return 0;
	case VERDICT_FAIL: return 1;
	case VERDICT_REVISE: return 2;
	default: return 3;
	}
}

static int
strcmp_null_last(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (a == NULL)
		return 1;
	if (b == NULL)
		return -1;
	return strcmp(a, b);
}

static int
row_cmp(const void *pa, const void *pb)
{
	const struct xrow *a = pa, *b = pb;
	int c;

	if (verdict_rank(a->verdict) != verdict_rank(b->verdict))
		return verdict_rank(a->verdict) - verdict_rank(b->verdict);
	if ((c = strcmp_null_last(a->unit, b->unit)) != 0)
		return c;
	if ((c = strcmp_null_last(a->file, b->file)) != 0)
		return c;
	return a->input < b->input ? -1 : a->input > b->input;
}

static int
unit_year_cmp(const void *pa, const void *pb)
{
	const struct xrow *a = *(const struct xrow *const *)pa, *b = *(const struct xrow *const *)pb;
	int c;

	if ((c = strcmp_null_last(a->unit, b->unit)) != 0)
		return c;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return a->input < b->input ? -1 : a->input > b->input;
}

static int
prev_cmp(const void *pa, const void *pb)
{
	const struct xprev *a = pa, *b = pb;
	int c = strcmp(a->unit, b->unit);

	if (c != 0)
		return c;
	/* the latest year first, then file name: the one a row is matched with */
	if (a->year != b->year)
		return a->year > b->year ? -1 : 1;
	return strcmp_null_last(a->file, b->file);
}

/* Rules for 规则统计: most failed first, then id. */
static int
rule_stat_cmp(const void *pa, const void *pb, void *arg)
{
	const struct xrule *rules = arg;
	int a = *(const int *)pa, b = *(const int *)pb;

	if (rules[a].fails != rules[b].fails)
		return rules[a].fails > rules[b].fails ? -1 : 1;
	return strcmp(rules[a].id, rules[b].id);
}

static int
rule_id_cmp(const void *pa, const void *pb, void *arg)
{
	const struct xrule *rules = arg;

	return strcmp(rules[*(const int *)pa].id, rules[*(const int *)pb].id);
}

/* qsort_r is not C11: a small merge sort over int indices with a context. */
static void
sort_idx(int *v, size_t n, int (*cmp)(const void *, const void *, void *), void *arg)
{
	int *tmp;
	size_t w, i;

	if (n < 2)
		return;
	tmp = xmalloc(n * sizeof(int));
	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			size_t a = i, am = i + w < n ? i + w : n, b = am, bm = i + 2 * w < n ? i + 2 * w : n;
			size_t k = i;

			while (a < am && b < bm)
				tmp[k++] = cmp(&v[b], &v[a], arg) < 0 ? v[b++] : v[a++];
			while (a < am)
				tmp[k++] = v[a++];
			while (b < bm)
				tmp[k++] = v[b++];
		}
		memcpy(v, tmp, n * sizeof(int));
	}
	free(tmp);
}

static void
prepare(struct xlsx_state *st)
{
	struct xrow **by;
	size_t i, j, row;

	qsort(st->rows, st->nrow, sizeof(*st->rows), row_cmp);

	/* duplicates: the same unit and year more than once */
	by = xmalloc((st->nrow ? st->nrow : 1) * sizeof(*by));
	for (i = 0; i < st->nrow; i++)
		by[i] = &st->rows[i];
	qsort(by, st->nrow, sizeof(*by), unit_year_cmp);
	for (i = 0; i < st->nrow; i = j) {
		for (j = i + 1; j < st->nrow && by[j]->unit == by[i]->unit &&
		     by[j]->year == by[i]->year; j++)
			;
		if (by[i]->unit != NULL && j - i > 1) {
			size_t k;

			for (k = i; k < j; k++)
				by[k]->dup = j - i;
		}
	}
	free(by);

	/* last year's result of each unit */
	if (st->nprev > 1)
		qsort(st->prevs, st->nprev, sizeof(*st->prevs), prev_cmp);
	for (i = 0; i < st->nrow && st->nprev; i++) {
		struct xrow *w = &st->rows[i];
		size_t lo = 0, hi = st->nprev;

		if (w->unit == NULL)
			continue;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (strcmp(st->prevs[mid].unit, w->unit) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* the latest report before this year's (or the latest at all if years are unknown) */
		for (j = lo; j < st->nprev && st->prevs[j].unit == w->unit; j++)
			if (w->year == 0 || st->prevs[j].year == 0 || st->prevs[j].year < w->year) {
				w->prev = &st->prevs[j];
				break;
			}
	}

	/* per-rule counts and the first 问题明细 row of each input */
	for (i = 0; i < st->nrule; i++)
		st->rules[i].fails = st->rules[i].unchecked = 0;
	row = 1;
	for (i = 0; i < st->nrow; i++) {
		struct xrow *w = &st->rows[i];

		for (j = 0; j < w->nfail; j++)
			st->rules[w->fail[j]].fails++;
		for (j = 0; j < w->nunch; j++)
			st->rules[w->unch[j]].unchecked++;
		if (w->nfind > 0 && row < ROW_LIMIT)
			w->detail_row = row;
		row += w->nfind;
	}
	st->detail_dropped = row > ROW_LIMIT ? row - ROW_LIMIT : 0;
}

/* ---- writing cells ----------------------------------------------------- */

/* Remember the first libxlsxwriter error (later ones follow from it). */
static void
lx(struct xlsx_state *st, lxw_error e, const char *where)
{
	if (e != LXW_NO_ERROR && st->lerr == LXW_NO_ERROR) {
		st->lerr = e;
		st->lerr_where = where;
	}
}

/*
 * Cell text as Excel accepts it: valid UTF-8 (bad bytes become U+FFFD),
 * no control characters but tab and newline (they would make the XML
 * invalid), at most CELL_MAX characters.  Also returns its display width
 * (CJK characters count two) in *width.
 */
static const char *
clean(struct xlsx_state *st, const char *s, double *width)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t chars = 0;
	double w = 0, line = 0;

	st->cell.len = 0;
	buf_add(&st->cell, "", 0);
	/* what needs no change is copied a run at a time, from run to p */
	while (*p && chars < CELL_MAX) {
		unsigned c = *p;
		size_t n = 1, k;
		uint32_t cp;

		chars++;
		if (c >= 0x20 && c < 0x80) {
			line += 1;
			p++;
			continue;
		}
		if (c < 0x80) {
			cp = c;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 2, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 3, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4, cp = c & 0x07;
		} else {
			n = 0, cp = 0xfffd;
		}
		for (k = 1; k < n; k++) {
			if ((p[k] & 0xc0) != 0x80)
				break;
			cp = (cp << 6) | (p[k] & 0x3f);
		}
		if (n == 0 || k < n || (n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
			buf_add(&st->cell, (const char *)run, (size_t)(p - run));
			buf_adds(&st->cell, "\xef\xbf\xbd");
			p += 1;
			run = p;
			line += 2;
			continue;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xfffe || cp == 0xffff) {
			buf_add(&st->cell, (const char *)run, (size_t)(p - run));
			buf_adds(&st->cell, cp < 0x20 ? " " : "\xef\xbf\xbd");
			run = p + n;
		}
		if (cp == '\n') {
			if (line > w)
				w = line;
			line = 0;
		} else {
			line += cp < 0x1100 ? 1 : 2;
		}
		p += n;
	}
	buf_add(&st->cell, (const char *)run, (size_t)(p - run));
	if (line > w)
		w = line;
	if (width)
		*width = w;
	return st->cell.s;
}

/*
 * Lines a cell's text takes in a column of width colw (in Excel's units,
 * the width of a digit of the 11 pt default font): CJK and other wide
 * characters count CJK_UNITS, the others one; a run of letters and digits
 * moves to the next line whole when it fits there, as Excel wraps words.
 */
static double
text_lines(const char *s, double colw)
{
	double cap = colw - 0.8, x = 0, lines = 1;
	size_t len = strlen(s), n, i;

	if (cap < 1)
		cap = 1;
	/* s comes from clean(): valid UTF-8 */
	while (len > 0) {
		unsigned char c = (unsigned char)*s;
		uint32_t cp;
		double cw;

		if (c < 0x80)
			n = 1, cp = c;
		else if (c < 0xe0)
			n = 2, cp = c & 0x1fu;
		else if (c < 0xf0)
			n = 3, cp = c & 0x0fu;
		else
			n = 4, cp = c & 0x07u;
		if (n > len)
			n = len;
		for (i = 1; i < n; i++)
			cp = (cp << 6) | ((unsigned char)s[i] & 0x3fu);
		cw = cp < 0x1100 ? 1 : CJK_UNITS;
		if (cp == '\n') {
			lines++;
			x = 0;
		} else {
			if (cp < 0x80 && cp > ' ' && (x == 0 || s[-1] == ' ')) {
				/* the width of the word starting here */
				size_t k = 0;

				while (k < len && (unsigned char)s[k] > ' ' && (unsigned char)s[k] < 0x80)
					k++;
				if (x > 0 && x + (double)k > cap && (double)k <= cap) {
					lines++;
					x = 0;
				}
			}
			if (x + cw > cap && x > 0) {
				lines++;
				x = 0;
			}
			x += cw;
		}
		s += n;
		len -= n;
	}
	return lines;
}

static void
note_width(struct xlsx_state *st, lxw_col_t col, double w)
{
	if (col >= st->nwidth) {
		st->width = xrealloc(st->width, (col + 1) * sizeof(double));
		while (st->nwidth <= col)
			st->width[st->nwidth++] = 0;
	}
	if (w > st->width[col])
		st->width[col] = w;
}

static void direct_string(struct xlsx_state *st, lxw_row_t r, lxw_col_t c, const char *t,
	lxw_format *f);
static void direct_number(struct xlsx_state *st, lxw_row_t r, lxw_col_t c, double v, lxw_format *f);
static void direct_row(struct xlsx_state *st, lxw_row_t r, double height);

/* A cleaned text into cell (r, c): through libxlsxwriter, or straight to the sheet's file. */
static void
write_text(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *t,
	lxw_format *f)
{
	if (st->direct == ws)
		direct_string(st, r, c, t, f);
	else
		lx(st, worksheet_write_string(ws, r, c, t, f), "写入单元格");
}

static void
put_str(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
	lxw_format *f)
{
	double w;
	const char *t;

	if (s == NULL || *s == '\0')
		return;
	t = clean(st, s, &w);
	if (!st->planned)
		note_width(st, c, w);
	else if (c < st->nwidth && st->width[c] > 0) {
		double n = text_lines(t, st->width[c]);

		if (n > st->row_lines)
			st->row_lines = n;
	}
	write_text(st, ws, r, c, t, f);
}

/*
 * put_str() for a string that stays put and unchanged until the workbook
 * is closed (interned, or a constant): its cleaned text and line count
 * are remembered by its address.
 */
static void
put_kept(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
	lxw_format *f)
{
	struct cellmemo *m;
	double colw = c < st->nwidth ? st->width[c] : 0;

	if (s == NULL || *s == '\0')
		return;
	if (st->memo == NULL)
		st->memo = xcalloc(MEMO_SLOTS, sizeof(*st->memo));
	m = &st->memo[(((uintptr_t)s >> 3) * 31 + c) % MEMO_SLOTS];
	if (m->key != s || m->col != c) {
		free(m->text);
		m->key = s;
		m->col = c;
		m->text = xstrdup(clean(st, s, &m->width));
		m->colw = -1;
	}
	if (!st->planned)
		note_width(st, c, m->width);
	else if (colw > 0) {
		if (m->colw != colw) {
			m->lines = text_lines(m->text, colw);
			m->colw = colw;
		}
		if (m->lines > st->row_lines)
			st->row_lines = m->lines;
	}
	write_text(st, ws, r, c, m->text, f);
}

/* Measure a text for its column (before the widths are set). */
static void
measure(struct xlsx_state *st, lxw_col_t c, const char *s)
{
	double w;

	if (s != NULL && *s != '\0') {
		clean(st, s, &w);
		note_width(st, c, w);
	}
}

/*
 * End of row r: a row whose tallest cell wraps to more than one line
 * gets its height, LINE_PT a line (LibreOffice does not fit row heights
 * to wrapped text when it opens a workbook; Excel and WPS keep a set
 * height as well).
 */
static void
row_end(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r)
{
	double h = st->row_lines * LINE_PT + 3;

	/* Excel's highest row is 409 pt: a longer text scrolls within its cell */
	if (h > 409)
		h = 409;
	if (st->direct == ws)
		direct_row(st, r, st->row_lines > 1 ? h : -1);
	else if (st->row_lines > 1)
		lx(st, worksheet_set_row(ws, r, h, NULL), "设置行高");
	st->row_lines = 0;
}

/* Characters of v printed with "%.0f". */
static size_t
digits(double v)
{
	size_t n = 1;
	char tmp[32];

	if (!(v > -1e15 && v < 1e15)) {
		snprintf(tmp, sizeof(tmp), "%.0f", v);
		return strlen(tmp);
	}
	if (signbit(v)) {
		n++;
		v = -v;
	}
	v = nearbyint(v);  /* as printf rounds: to even */
	while (v >= 10) {
		v = floor(v / 10);
		n++;
	}
	return n;
}

static void
put_num(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
	lxw_format *f)
{
	if (!st->planned)
		note_width(st, c, (double)digits(v) * 4 / 3);  /* with thousands separators */
	if (st->direct == ws)
		direct_number(st, r, c, v, f);
	else
		lx(st, worksheet_write_number(ws, r, c, v, f), "写入数字");
}

/* A formula with its value computed here, so readers that do not recalculate see it. */
static void
put_formula(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	const char *formula, double v, lxw_format *f)
{
	lx(st, worksheet_write_formula_num(ws, r, c, formula, f, v), "写入公式");
}

/* Excel column letters of col (0 = A). */
static void
col_name(lxw_col_t col, char out[8])
{
	char tmp[8];
	int n = 0, i;

	col++;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* ---- rows straight to a sheet's file ------------------------------------ */

/*
 * 问题明细 has a row a finding (241,000 for a province), 矩阵 a cell a
 * report and rule (1.2 million).  Through libxlsxwriter's cells each
 * text was copied three times (its cell, the control characters
 * escaped, the markup escaped) and each row printed with a dozen
 * fprintf() calls: 1.5 s of a province's rollup, on one thread, after
 * the checking.  Their rows are written here instead,
 * straight to the sheet's constant_memory file, in the markup
 * libxlsxwriter 1.1.4 writes for them (lxw_worksheet_write_single_row():
 * <row r="N"> or <row r="N" ht="H" customHeight="1">, inline strings
 * <c r="A2" s="X" t="inlineStr"><is><t>..</t></is></c>, numbers
 * <c r="E2" s="X"><v>N</v></c>), byte for byte, and the sheet's
 * dimensions are kept as its cells keep them.  libxlsxwriter's own
 * pending row (the header) is written first (direct_begin()); the rows
 * after direct_end() (the total) go through libxlsxwriter again.
 * FZREPORT_LXW_ROWS=1 writes them all through libxlsxwriter (tests
 * compare the two).
 */
static void
direct_begin(struct xlsx_state *st, lxw_worksheet *ws)
{
	if (getenv("FZREPORT_LXW_ROWS") != NULL)
		return;  /* the rows through libxlsxwriter's cells (tests compare the two) */
	lxw_worksheet_write_single_row(ws);
	st->direct = ws;
	buf_init(&st->drow);
	st->dcolmin = LXW_COL_MAX;
	st->dcolmax = 0;
}

static void
direct_end(struct xlsx_state *st)
{
	if (st->direct == NULL)
		return;
	st->direct = NULL;
	buf_release(&st->drow);
}

/* "<c r="E12"" and the cell's style, as _write_cell() writes them. */
static void
direct_cell(struct xlsx_state *st, lxw_row_t r, lxw_col_t c, lxw_format *f)
{
	char a[8];
	int32_t xf = f ? lxw_format_get_xf_index(f) : 0;

	col_name(c, a);
	buf_adds(&st->drow, "<c r=\"");
	buf_adds(&st->drow, a);
	buf_addlong(&st->drow, (long)r + 1);
	buf_addc(&st->drow, '"');
	if (xf) {
		buf_adds(&st->drow, " s=\"");
		buf_addlong(&st->drow, (long)xf);
		buf_addc(&st->drow, '"');
	}
	if (c < st->dcolmin)
		st->dcolmin = c;
	if (c > st->dcolmax)
		st->dcolmax = c;
}

/* Is byte b one lxw_escape_control_characters() writes as _xHHHH_? */
static int
direct_ctl(unsigned char b)
{
	return b >= 0x01 && b < 0x20 && b != '\t' && b != '\n';
}

/*
 * An inline string cell: worksheet_write_string() escapes the control
 * characters (lxw_has_control_characters() finds one in every string in
 * 1.1.4: it also counts the terminating NUL), _write_inline_string_cell()
 * then & < > and keeps the spaces at either end with xml:space.
 */
static void
direct_string(struct xlsx_state *st, lxw_row_t r, lxw_col_t c, const char *t, lxw_format *f)
{
	const unsigned char *p = (const unsigned char *)t, *run = p;
	size_t n = strlen(t);
	int keep;

	if (n == 0)
		return;
	keep = (isspace(p[0]) && !direct_ctl(p[0])) || (isspace(p[n - 1]) && !direct_ctl(p[n - 1]));
	direct_cell(st, r, c, f);
	buf_adds(&st->drow, keep ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">"
				 : " t=\"inlineStr\"><is><t>");
	for (; *p; p++) {
		char esc[16];

		if (*p == '&')
			strcpy(esc, "&amp;");
		else if (*p == '<')
			strcpy(esc, "&lt;");
		else if (*p == '>')
			strcpy(esc, "&gt;");
		else if (direct_ctl(*p))
			snprintf(esc, sizeof(esc), "_x%04X_", *p);
		else
			continue;
		buf_add(&st->drow, (const char *)run, (size_t)(p - run));
		buf_adds(&st->drow, esc);
		run = p + 1;
	}
	buf_add(&st->drow, (const char *)run, (size_t)(p - run));
	buf_adds(&st->drow, "</t></is></c>");
}

/* A number cell: "%.16G", as lxw_sprintf_dbl() without its dtoa library. */
static void
direct_number(struct xlsx_state *st, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
	char num[64];

	direct_cell(st, r, c, f);
	if (v == (double)(long)v && v > -1e15 && v < 1e15 && (v != 0 || !signbit(v))) {
		/* a whole number: what "%.16G" prints of it */
		buf_adds(&st->drow, "><v>");
		buf_addlong(&st->drow, (long)v);
		buf_adds(&st->drow, "</v></c>");
		return;
	}
	snprintf(num, sizeof(num), "><v>%.16G</v></c>", v);
	buf_adds(&st->drow, num);
}

/*
 * Write row r with the cells gathered, height (pt) when one was set
 * (else -1), as _write_row() does, and keep the sheet's dimensions as
 * _check_dimensions() would have.
 */
static void
direct_row(struct xlsx_state *st, lxw_row_t r, double height)
{
	lxw_worksheet *ws = st->direct;
	FILE *fp = ws->file;
	char head[128];
	int n, changed = height >= 0;

	if (height < 0)
		height = ws->default_row_height;
	if (st->drow.len == 0 && !changed)
		return;  /* nothing in it: libxlsxwriter skips it */
	n = snprintf(head, sizeof(head), "<row r=\"%d\"", (int)r + 1);
	if (height != LXW_DEF_ROW_HEIGHT)
		n += snprintf(head + n, sizeof(head) - (size_t)n, " ht=\"%.16G\"", height);
	if (height != LXW_DEF_ROW_HEIGHT)
		n += snprintf(head + n, sizeof(head) - (size_t)n, " customHeight=\"1\"");
	if (ws->excel_version == 2010)
		n += snprintf(head + n, sizeof(head) - (size_t)n, " x14ac:dyDescent=\"0.25\"");
	if (st->drow.len == 0) {
		fprintf(fp, "%s/>", head);
	} else {
		fwrite(head, 1, (size_t)n, fp);
		fputc('>', fp);
		fwrite(st->drow.s, 1, st->drow.len, fp);
		fputs("</row>", fp);
	}
	if (r < ws->dim_rowmin)
		ws->dim_rowmin = r;
	if (r > ws->dim_rowmax)
		ws->dim_rowmax = r;
	if (st->dcolmin <= st->dcolmax) {
		if (st->dcolmin < ws->dim_colmin)
			ws->dim_colmin = st->dcolmin;
		if (st->dcolmax > ws->dim_colmax)
			ws->dim_colmax = st->dcolmax;
	}
	st->drow.len = 0;
	st->dcolmin = LXW_COL_MAX;
	st->dcolmax = 0;
}

/*
 * Set the column widths measured: text width plus a margin, within
 * [min, max], or fixed[c] where that is not 0.  From here on width[] holds
 * the final widths, and put_str() counts the lines of each cell.
 */
static void
apply_widths(struct xlsx_state *st, lxw_worksheet *ws, double min, double max,
	const double *fixed, size_t nfixed)
{
	size_t c;

	for (c = 0; c < nfixed; c++)
		if (fixed[c] > 0)
			note_width(st, (lxw_col_t)c, 0);
	for (c = 0; c < st->nwidth; c++) {
		double w = st->width[c] + 2;

		if (c < nfixed && fixed[c] > 0)
			w = fixed[c];
		if (w < min)
			w = min;
		if (w > max)
			w = max;
		st->width[c] = w;
		lx(st, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL), "设置列宽");
	}
	st->planned = 1;
}

/* The next sheet measures its columns afresh. */
static void
sheet_done(struct xlsx_state *st)
{
	st->nwidth = 0;
	st->planned = 0;
	st->row_lines = 0;
}

/* Printed width of a column of width w: pixels at 96 dpi, as Excel sizes it. */
static double
col_px(double w)
{
	return w * 7 + 5;
}

/* A4, margins, the sheet's name and title in the header, 第 &P 页 共 &N 页 in the footer. */
static void
print_setup(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t head_last, const char *title)
{
	char *h = xasprintf("&L&A&C%s", title);

	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	lx(st, worksheet_repeat_rows(ws, 0, head_last), "设置打印标题行");
	lx(st, worksheet_set_header(ws, h), "设置页眉");
	lx(st, worksheet_set_footer(ws, "&C第 &P 页 共 &N 页"), "设置页脚");
	worksheet_set_margins(ws, MARGIN_LR, MARGIN_LR, 0.75, 0.75);
	free(h);
}

/*
 * How a sheet of ncol planned columns prints across: one page wide when
 * the scale that takes keeps its text at MIN_PT or more; otherwise at
 * SPLIT_SCALE, in groups of whole columns with columns 0..rep (the unit)
 * repeated on every page (rep < 0: none).  Columns past the last planned
 * one have Excel's default width (a chart's area, say).  Returns the
 * number of pages across.
 */
static int
page_layout(struct xlsx_state *st, lxw_worksheet *ws, int portrait, int rep, size_t ncol)
{
	/* 8 % kept spare: LibreOffice's columns come out a little wider than Excel's */
	double page = ((portrait ? 8.27 : 11.69) - 2 * MARGIN_LR) * 96 * 0.92, total = 0, repw = 0,
		avail = page * 100 / SPLIT_SCALE, x = 0;
	lxw_col_t *breaks;
	size_t c, nb = 0;

	for (c = 0; c < ncol; c++)
		total += col_px(c < st->nwidth ? st->width[c] : 8.43);
	if (total * MIN_PT / FONT_PT <= page) {
		worksheet_fit_to_pages(ws, 1, 0);
		return 1;
	}
	worksheet_set_print_scale(ws, SPLIT_SCALE);
	for (c = 0; rep >= 0 && c <= (size_t)rep; c++)
		repw += col_px(c < st->nwidth ? st->width[c] : 8.43);
	breaks = xcalloc(ncol + 1, sizeof(*breaks));
	for (c = 0; c < ncol; c++) {
		double w = col_px(c < st->nwidth ? st->width[c] : 8.43);

		if (x + w > avail && x > repw) {
			breaks[nb++] = (lxw_col_t)c;
			x = repw;
		}
		x += w;
	}
	if (rep >= 0 && nb > 0)
		lx(st, worksheet_repeat_columns(ws, 0, (lxw_col_t)rep), "设置打印标题列");
	if (nb > 0)
		lx(st, worksheet_set_v_pagebreaks(ws, breaks), "设置分页");
	free(breaks);
	return (int)nb + 1;
}

/* Conditional format: cells of the range equal to the text value get format f. */
static void
cf_text(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
	lxw_col_t c1, uint8_t criteria, const char *value, lxw_format *f)
{
	lxw_conditional_format cf;

	memset(&cf, 0, sizeof(cf));
	if (criteria == LXW_CONDITIONAL_CRITERIA_EQUAL_TO) {
		char *q = xasprintf("\"%s\"", value);

		cf.type = LXW_CONDITIONAL_TYPE_CELL;
		cf.criteria = criteria;
		cf.value_string = q;
		cf.format = f;
		lx(st, worksheet_conditional_format_range(ws, r0, c0, r1, c1, &cf), "设置条件格式");
		free(q);
		return;
	}
	cf.type = LXW_CONDITIONAL_TYPE_TEXT;
	cf.criteria = criteria;
	cf.value_string = (char *)value;
	cf.format = f;
	lx(st, worksheet_conditional_format_range(ws, r0, c0, r1, c1, &cf), "设置条件格式");
}

static void
cf_greater(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
	lxw_col_t c1, double v, lxw_format *f)
{
	lxw_conditional_format cf;

	memset(&cf, 0, sizeof(cf));
	cf.type = LXW_CONDITIONAL_TYPE_CELL;
	cf.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN;
	cf.value = v;
	cf.format = f;
	lx(st, worksheet_conditional_format_range(ws, r0, c0, r1, c1, &cf), "设置条件格式");
}

/* The verdict colours: 合格 green, 需修改 amber, 不合格 red, 无法读取 grey. */
static void
cf_verdicts(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
	lxw_col_t c1)
{
	cf_text(st, ws, r0, c0, r1, c1, LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
		verdict_name_zh(VERDICT_PASS), st->f_green);
	cf_text(st, ws, r0, c0, r1, c1, LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
		verdict_name_zh(VERDICT_REVISE), st->f_amber);
	cf_text(st, ws, r0, c0, r1, c1, LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
		verdict_name_zh(VERDICT_FAIL), st->f_red);
	cf_text(st, ws, r0, c0, r1, c1, LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
		verdict_name_zh(VERDICT_UNREADABLE), st->f_grey);
}

/*
 * Cells of the range whose first character is mark get format f.  A
 * formula rule written here, not libxlsxwriter's begins-with rule: the
 * Debian version anchors that formula on the range's top-right cell and
 * compares LEFT(cell,3), the UTF-8 byte length of the mark, while Excel
 * and WPS count characters.  Relative references in a conditional format
 * are relative to the range's top-left cell.
 */
static void
cf_begins(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
	lxw_col_t c1, const char *mark, lxw_format *f)
{
	lxw_conditional_format cf;
	char cell[LXW_MAX_CELL_NAME_LENGTH];
	char *formula;

	lxw_rowcol_to_cell(cell, r0, c0);
	formula = xasprintf("=LEFT(%s,1)=\"%s\"", cell, mark);
	memset(&cf, 0, sizeof(cf));
	cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
	cf.value_string = formula;
	cf.format = f;
	lx(st, worksheet_conditional_format_range(ws, r0, c0, r1, c1, &cf), "设置条件格式");
	free(formula);
}

/* Marks: ✓ green, △ amber, ✗ red, – grey. */
static void
cf_marks(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
	lxw_col_t c1)
{
	cf_begins(st, ws, r0, c0, r1, c1, "✓", st->f_green);
	cf_begins(st, ws, r0, c0, r1, c1, "△", st->f_amber);
	cf_begins(st, ws, r0, c0, r1, c1, "✗", st->f_red);
	cf_begins(st, ws, r0, c0, r1, c1, "–", st->f_grey);
}

static lxw_format *
fill_format(lxw_workbook *wb, lxw_color_t bg, lxw_color_t fg)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_bg_color(f, bg);
	format_set_font_color(f, fg);
	return f;
}

static void
make_formats(struct xlsx_state *st)
{
	lxw_workbook *wb = st->wb;

	st->f_head = workbook_add_format(wb);
	format_set_bold(st->f_head);
	format_set_bg_color(st->f_head, 0xD9E1F2);
	format_set_border(st->f_head, LXW_BORDER_THIN);
	format_set_align(st->f_head, LXW_ALIGN_CENTER);
	format_set_align(st->f_head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(st->f_head);
	/* every text cell wraps: the row heights are set for it, nothing is cut */
	st->f_text = workbook_add_format(wb);
	format_set_text_wrap(st->f_text);
	format_set_align(st->f_text, LXW_ALIGN_VERTICAL_TOP);
	/*
	 * long texts wrap as every text does: the same format, not an equal
	 * one (libxlsxwriter hashes a format equal to an earlier one again
	 * for every cell that uses it)
	 */
	st->f_wrap = st->f_text;
	st->f_num = workbook_add_format(wb);
	format_set_num_format(st->f_num, "#,##0");
	format_set_align(st->f_num, LXW_ALIGN_VERTICAL_TOP);
	st->f_int = workbook_add_format(wb);
	format_set_num_format(st->f_int, "0");
	format_set_align(st->f_int, LXW_ALIGN_VERTICAL_TOP);
	st->f_int_left = workbook_add_format(wb);
	format_set_num_format(st->f_int_left, "0");
	format_set_align(st->f_int_left, LXW_ALIGN_LEFT);
	format_set_align(st->f_int_left, LXW_ALIGN_VERTICAL_TOP);
	st->f_pct = workbook_add_format(wb);
	format_set_num_format(st->f_pct, "0.0%");
	format_set_align(st->f_pct, LXW_ALIGN_VERTICAL_TOP);
	st->f_center = workbook_add_format(wb);
	format_set_align(st->f_center, LXW_ALIGN_CENTER);
	format_set_align(st->f_center, LXW_ALIGN_VERTICAL_TOP);
	format_set_text_wrap(st->f_center);
	st->f_link = workbook_add_format(wb);
	format_set_underline(st->f_link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(st->f_link, LXW_COLOR_BLUE);
	format_set_align(st->f_link, LXW_ALIGN_VERTICAL_TOP);
	format_set_text_wrap(st->f_link);
	st->f_total = workbook_add_format(wb);
	format_set_bold(st->f_total);
	format_set_top(st->f_total, LXW_BORDER_DOUBLE);
	st->f_total_note = workbook_add_format(wb);
	format_set_top(st->f_total_note, LXW_BORDER_DOUBLE);
	format_set_text_wrap(st->f_total_note);
	format_set_font_color(st->f_total_note, 0x595959);
	st->f_total_num = workbook_add_format(wb);
	format_set_bold(st->f_total_num);
	format_set_top(st->f_total_num, LXW_BORDER_DOUBLE);
	format_set_num_format(st->f_total_num, "#,##0");
	st->f_total_count = workbook_add_format(wb);
	format_set_bold(st->f_total_count);
	format_set_top(st->f_total_count, LXW_BORDER_DOUBLE);
	format_set_num_format(st->f_total_count, "0\" 条\"");
	st->f_total_files = workbook_add_format(wb);
	format_set_bold(st->f_total_files);
	format_set_top(st->f_total_files, LXW_BORDER_DOUBLE);
	format_set_num_format(st->f_total_files, "0\" 份\"");
	st->f_date = workbook_add_format(wb);
	format_set_num_format(st->f_date, "yyyy\"年\"m\"月\"d\"日\"");
	format_set_align(st->f_date, LXW_ALIGN_LEFT);
	format_set_align(st->f_date, LXW_ALIGN_VERTICAL_TOP);
	st->f_time = workbook_add_format(wb);
	format_set_num_format(st->f_time, st->o.created_fixed ? "yyyy-mm-dd hh:mm:ss \"UTC\"" :
		"yyyy-mm-dd hh:mm:ss");
	format_set_align(st->f_time, LXW_ALIGN_LEFT);
	format_set_align(st->f_time, LXW_ALIGN_VERTICAL_TOP);
	st->f_title = workbook_add_format(wb);
	format_set_bold(st->f_title);
	format_set_font_size(st->f_title, 14);
	st->f_green = fill_format(wb, 0xC6EFCE, 0x006100);
	st->f_amber = fill_format(wb, 0xFFEB9C, 0x9C5700);
	st->f_red = fill_format(wb, 0xFFC7CE, 0x9C0006);
	st->f_grey = fill_format(wb, 0xE7E6E6, 0x595959);
}

static void
header_row(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r, const char *const *names,
	size_t n, lxw_col_t c0)
{
	size_t i;

	for (i = 0; i < n; i++)
		put_str(st, ws, r, (lxw_col_t)(c0 + i), names[i], st->f_head);
}

static const char *
unit_label(const struct xrow *w)
{
	return w->unit ? w->unit : "（未识别）";
}

static const char *
section_mark(const struct xrow *w, size_t k)
{
	if (w->verdict == VERDICT_UNREADABLE || k >= w->nsec)
		return MARK_NONE;
	switch (w->sec[k]) {
	case SEC_FOUND: return MARK_FOUND;
	case SEC_INLINE: return MARK_INLINE;
	case SEC_MISSING: return MARK_MISSING;
	default: return MARK_NONE;
	}
}

/* ---- 汇总 ------------------------------------------------------------- */

/*
 * The label of a totals row, in the first two columns (those repeated on
 * every printed page): what the totals count.
 */
static void
total_label(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r)
{
	put_str(st, ws, r, 0, "合计", st->f_total);
	put_str(st, ws, r, 1, TOTAL_NOTE, st->f_total_note);
	row_end(st, ws, r);
}

/* 备注 of a row: why it could not be read, duplicates, no unit found. */
static void
row_note(const struct xrow *w, struct buf *note)
{
	if (w->error)
		buf_printf(note, "无法读取：%s", w->error);
	if (w->dup)
		buf_printf(note, "%s重复：同一单位、同一年度共 %zu 份", note->len ? "；" : "", w->dup);
	if (w->unit == NULL && w->verdict != VERDICT_UNREADABLE)
		buf_printf(note, "%s未识别报告单位", note->len ? "；" : "");
}

/* Measured width of column c at most w (longer texts wrap). */
static void
cap_width(struct xlsx_state *st, lxw_col_t c, double w)
{
	if (c < st->nwidth && st->width[c] > w)
		st->width[c] = w;
}

static const char *const summary_cols[] = {
	"序号", "单位", "单位类型", "上级", "报告年度", "文件", "结论", "错误", "警告", "提示",
	"未检查", "字数"};
enum { C_NO, C_UNIT, C_KIND, C_PARENT, C_YEAR, C_FILE, C_VERDICT, C_ERR, C_WARN, C_INFO,
	C_UNCH, C_CHARS, C_SEC0 };

static void
write_summary(struct xlsx_state *st, lxw_worksheet *ws)
{
	lxw_col_t c, ctitle = (lxw_col_t)(C_SEC0 + st->nsecs), cdate = ctitle + 1, cprev = cdate + 1,
		cnote = st->previous ? cprev + 3 : cprev;
	lxw_row_t last = (lxw_row_t)st->nrow, tot = last + 1;
	size_t i, k, nhead;
	char a[8], f[256];
	double fixed[64] = {0};
	const char **head;

	/* colours, filter, panes, print: before the rows (constant_memory) */
	cf_verdicts(st, ws, 1, C_VERDICT, last, C_VERDICT);
	cf_greater(st, ws, 1, C_ERR, last, C_ERR, 0, st->f_red);
	cf_greater(st, ws, 1, C_WARN, last, C_WARN, 0, st->f_amber);
	if (st->nsecs)
		cf_marks(st, ws, 1, C_SEC0, last, (lxw_col_t)(C_SEC0 + st->nsecs - 1));
	if (st->previous) {
		cf_verdicts(st, ws, 1, cprev, last, cprev);
		cf_greater(st, ws, 1, cprev + 1, last, cprev + 1, 0, st->f_red);
	}
	lx(st, worksheet_autofilter(ws, 0, 0, last, cnote), "设置筛选");
	worksheet_freeze_panes(ws, 1, 2);
	print_setup(st, ws, 0, "法治政府建设年度报告汇总");
	nhead = sizeof(summary_cols) / sizeof(*summary_cols);
	head = xcalloc(cnote + 1, sizeof(*head));
	memcpy(head, summary_cols, sizeof(summary_cols));
	for (k = 0; k < st->nsecs; k++)
		head[C_SEC0 + k] = st->secs[k].name;
	head[ctitle] = "标题";
	head[cdate] = "成文日期";
	if (st->previous) {
		head[cprev] = "上年结论";
		head[cprev + 1] = "上年错误";
		head[cprev + 2] = "与上年相似";
	}
	head[cnote] = "备注";
	nhead = (size_t)cnote + 1;
	for (k = 0; k < nhead; k++)
		measure(st, (lxw_col_t)k, head[k]);
	/* section headers are long names: let them wrap in a narrower column */
	for (k = 0; k < st->nsecs && C_SEC0 + k < 64; k++)
		fixed[C_SEC0 + k] = 14;
	/* the widths come first: row heights follow from them */
	for (i = 0; i < st->nrow; i++) {
		const struct xrow *w = &st->rows[i];
		struct buf note;

		measure(st, C_UNIT, unit_label(w));
		if (w->kind != UNIT_UNKNOWN)
			measure(st, C_KIND, unit_kind_name_zh(w->kind));
		measure(st, C_PARENT, w->parent);
		measure(st, C_FILE, w->file);
		measure(st, C_VERDICT, verdict_name_zh(w->verdict));
		measure(st, ctitle, w->title);
		measure(st, cdate, w->date_serial > 0 ? "2025年12月31日" : w->date);
		if (st->previous)
			measure(st, cprev + 2, w->similar);
		buf_init(&note);
		row_note(w, &note);
		measure(st, cnote, note.s);
		buf_release(&note);
	}
	note_width(st, C_CHARS, 9);
	note_width(st, C_FILE, 10);
	cap_width(st, C_FILE, 28);
	cap_width(st, ctitle, 30);
	cap_width(st, cnote, 30);
	cap_width(st, cprev + 2, 30);
	apply_widths(st, ws, 6, 40, fixed, 64);
	/* header names wrap at the columns' widths: the row is as tall as the longest */
	header_row(st, ws, 0, head, nhead, 0);
	row_end(st, ws, 0);
	free(head);

	for (i = 0; i < st->nrow; i++) {
		const struct xrow *w = &st->rows[i];
		lxw_row_t r = (lxw_row_t)(i + 1);
		struct buf note;

		put_num(st, ws, r, C_NO, (double)(i + 1), st->f_int);
		if (w->detail_row > 0) {
			char *url = w->nfind > 1 ? xasprintf("internal:'%s'!A%zu:J%zu", SHEET_DETAIL,
							     w->detail_row + 1, w->detail_row + w->nfind)
						 : xasprintf("internal:'%s'!A%zu", SHEET_DETAIL,
							     w->detail_row + 1);
			double wd;
			const char *t = clean(st, unit_label(w), &wd);
			double n = text_lines(t, st->width[C_UNIT]);

			if (n > st->row_lines)
				st->row_lines = n;
			lx(st, worksheet_write_url_opt(ws, r, C_UNIT, url, st->f_link, t, "查看问题明细"),
				"写入链接");
			free(url);
		} else {
			put_str(st, ws, r, C_UNIT, unit_label(w), st->f_text);
		}
		if (w->kind != UNIT_UNKNOWN)
			put_str(st, ws, r, C_KIND, unit_kind_name_zh(w->kind), st->f_text);
		put_str(st, ws, r, C_PARENT, w->parent, st->f_text);
		if (w->year > 0)
			put_num(st, ws, r, C_YEAR, w->year, st->f_int);
		put_str(st, ws, r, C_FILE, w->file, st->f_text);
		put_str(st, ws, r, C_VERDICT, verdict_name_zh(w->verdict), st->f_center);
		put_num(st, ws, r, C_ERR, w->errors, st->f_num);
		put_num(st, ws, r, C_WARN, w->warnings, st->f_num);
		put_num(st, ws, r, C_INFO, w->infos, st->f_num);
		put_num(st, ws, r, C_UNCH, w->notchecked, st->f_num);
		if (w->verdict != VERDICT_UNREADABLE)
			put_num(st, ws, r, C_CHARS, (double)w->chars, st->f_num);
		for (k = 0; k < st->nsecs; k++)
			put_str(st, ws, r, (lxw_col_t)(C_SEC0 + k), section_mark(w, k), st->f_center);
		put_str(st, ws, r, ctitle, w->title, st->f_text);
		if (w->date_serial > 0) {
			lx(st, worksheet_write_number(ws, r, cdate, w->date_serial, st->f_date),
				"写入日期");
		} else {
			put_str(st, ws, r, cdate, w->date, st->f_text);
		}
		if (st->previous) {
			if (w->prev) {
				put_str(st, ws, r, cprev, verdict_name_zh(w->prev->verdict), st->f_center);
				put_num(st, ws, r, cprev + 1, w->prev->errors, st->f_num);
			} else {
				put_str(st, ws, r, cprev, MARK_NONE, st->f_center);
				put_str(st, ws, r, cprev + 1, MARK_NONE, st->f_center);
			}
			if (w->similar)
				put_str(st, ws, r, cprev + 2, w->similar, st->f_text);
			else
				put_str(st, ws, r, cprev + 2,
					w->similar_checked && w->prev ? "否" : MARK_NONE, st->f_center);
		}
		buf_init(&note);
		row_note(w, &note);
		if (note.len)
			put_str(st, ws, r, cnote, note.s, st->f_text);
		buf_release(&note);
		row_end(st, ws, r);
	}

	/*
	 * totals: every one follows the filter (SUBTOTAL ignores the rows a
	 * filter hides; a count of matching cells is SUMPRODUCT over
	 * SUBTOTAL(103) of each cell), and the label says so
	 */
	total_label(st, ws, tot);
	if (st->nrow == 0) {
		page_layout(st, ws, 0, C_UNIT, (size_t)cnote + 1);
		sheet_done(st);
		return;
	}
	col_name(C_FILE, a);
	snprintf(f, sizeof(f), "=SUBTOTAL(103,%s2:%s%u)", a, a, (unsigned)last + 1);
	put_formula(st, ws, tot, C_FILE, f, (double)st->nrow, st->f_total_files);
	for (c = C_ERR; c <= C_CHARS; c++) {
		double sum = 0;

		for (i = 0; i < st->nrow; i++) {
			const struct xrow *w = &st->rows[i];

			sum += c == C_ERR ? w->errors : c == C_WARN ? w->warnings : c == C_INFO ?
				w->infos : c == C_UNCH ? w->notchecked :
				w->verdict != VERDICT_UNREADABLE ? (double)w->chars : 0;
		}
		col_name(c, a);
		snprintf(f, sizeof(f), "=SUBTOTAL(109,%s2:%s%u)", a, a, (unsigned)last + 1);
		put_formula(st, ws, tot, c, f, sum, st->f_total_num);
	}
	{
		size_t nfail = 0;
		lxw_format *fmt = workbook_add_format(st->wb);

		format_set_bold(fmt);
		format_set_top(fmt, LXW_BORDER_DOUBLE);
		format_set_num_format(fmt, "\"不合格 \"0");
		for (i = 0; i < st->nrow; i++)
			nfail += st->rows[i].verdict == VERDICT_FAIL;
		col_name(C_VERDICT, a);
		snprintf(f, sizeof(f), "=SUMPRODUCT(SUBTOTAL(103,OFFSET(%s2,ROW(%s2:%s%u)-ROW(%s2),0)),"
			"--(%s2:%s%u=\"%s\"))", a, a, a, (unsigned)last + 1, a, a, a,
			(unsigned)last + 1, verdict_name_zh(VERDICT_FAIL));
		put_formula(st, ws, tot, C_VERDICT, f, (double)nfail, fmt);
	}
	if (st->nsecs) {
		lxw_format *fmt = workbook_add_format(st->wb);

		format_set_bold(fmt);
		format_set_top(fmt, LXW_BORDER_DOUBLE);
		format_set_align(fmt, LXW_ALIGN_CENTER);
		format_set_num_format(fmt, "\"缺 \"0");
		for (k = 0; k < st->nsecs; k++) {
			size_t miss = 0;

			for (i = 0; i < st->nrow; i++)
				miss += strcmp(section_mark(&st->rows[i], k), MARK_MISSING) == 0;
			col_name((lxw_col_t)(C_SEC0 + k), a);
			snprintf(f, sizeof(f), "=SUMPRODUCT(SUBTOTAL(103,OFFSET(%s2,ROW(%s2:%s%u)-ROW(%s2),"
				"0)),--(LEFT(%s2:%s%u,1)=\"✗\"))", a, a, a, (unsigned)last + 1, a, a, a,
				(unsigned)last + 1);
			put_formula(st, ws, tot, (lxw_col_t)(C_SEC0 + k), f, (double)miss, fmt);
		}
	}

	page_layout(st, ws, 0, C_UNIT, (size_t)cnote + 1);
	sheet_done(st);
}

/* ---- 问题明细 ---------------------------------------------------------- */

static const char *const detail_cols[] = {
	"单位", "文件", "规则", "级别", "行", "列", "说明", "原文摘录", "依据", "修改建议"};
#define DETAIL_NCOL 10

static void
write_detail(struct xlsx_state *st, lxw_worksheet *ws)
{
	static const double fixed[] = {0, 0, 0, 0, 6, 6, 32, 30, 24, 30};
	lxw_row_t r = 1, last;
	size_t i, k, nrows = 0;
	char a[8], f[128];
	struct buf found;             /* the findings of one input, from the spill */
	struct buf early, late;       /* and when some came late, the two runs of them */

	for (i = 0; i < st->nrow; i++)
		nrows += st->rows[i].nfind;
	last = nrows < ROW_LIMIT - 1 ? (lxw_row_t)nrows : ROW_LIMIT - 1;
	if (last > 0) {
		cf_text(st, ws, 1, 3, last, 3, LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
			severity_name_zh(SEV_ERROR), st->f_red);
		cf_text(st, ws, 1, 3, last, 3, LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
			severity_name_zh(SEV_WARNING), st->f_amber);
		cf_text(st, ws, 1, 3, last, 3, LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
			severity_name_zh(SEV_FATAL), st->f_grey);
	}
	lx(st, worksheet_autofilter(ws, 0, 0, last > 0 ? last : 1, DETAIL_NCOL - 1), "设置筛选");
	worksheet_freeze_panes(ws, 1, 1);
	print_setup(st, ws, 0, "问题明细");
	for (k = 0; k < DETAIL_NCOL; k++)
		measure(st, (lxw_col_t)k, detail_cols[k]);
	for (i = 0; i < st->nrow; i++) {
		const struct xrow *w = &st->rows[i];

		measure(st, 0, unit_label(w));
		measure(st, 1, w->file);
		/* the rules of its findings */
		for (k = 0; k < w->nfail; k++)
			measure(st, 2, st->rules[w->fail[k]].id);
	}
	cap_width(st, 0, 14);
	cap_width(st, 1, 18);
	apply_widths(st, ws, 6, 40, fixed, DETAIL_NCOL);
	header_row(st, ws, 0, detail_cols, DETAIL_NCOL, 0);
	row_end(st, ws, 0);
	direct_begin(st, ws);
	buf_init(&found);
	buf_init(&early);
	buf_init(&late);
	for (i = 0; i < st->nrow && r < ROW_LIMIT; i++) {
		const struct xrow *w = &st->rows[i];
		size_t at = 0;

		if (w->nfind == 0)
			continue;
		if (spill_read(st, w, &found, &early, &late) < 0)
			break;
		for (k = 0; k < w->nfind && r < ROW_LIMIT; k++, r++) {
			struct xfind x;
			const char *excerpt;

			memcpy(&x, found.s + at, sizeof(x));
			excerpt = x.excerpt_len ? found.s + at + sizeof(x) : NULL;
			at += xfind_size(found.s + at);

			put_kept(st, ws, r, 0, unit_label(w), st->f_text);
			put_kept(st, ws, r, 1, w->file, st->f_text);
			put_kept(st, ws, r, 2, st->rules[x.rule].id, st->f_text);
			put_kept(st, ws, r, 3, severity_name_zh((enum severity)x.sev), st->f_center);
			/* line and column are numbers (sortable, filterable); a finding on the
			 * whole text says so in the line column */
			if (x.line > 0) {
				put_num(st, ws, r, 4, x.line, st->f_int);
				if (x.column > 0)
					put_num(st, ws, r, 5, x.column, st->f_int);
			} else {
				put_kept(st, ws, r, 4, "全文", st->f_center);
			}
			put_kept(st, ws, r, 6, x.message, st->f_wrap);
			put_str(st, ws, r, 7, excerpt, st->f_wrap);
			put_kept(st, ws, r, 8, x.source, st->f_wrap);
			put_kept(st, ws, r, 9, x.hint, st->f_wrap);
			row_end(st, ws, r);
		}
	}
	direct_end(st);
	buf_release(&found);
	buf_release(&early);
	buf_release(&late);
	/* the count follows the filter, as the label says */
	if (last > 0 && r < ROW_LIMIT) {
		total_label(st, ws, r);
		col_name(2, a);
		snprintf(f, sizeof(f), "=SUBTOTAL(103,%s2:%s%u)", a, a, (unsigned)last + 1);
		put_formula(st, ws, r, 2, f, (double)last, st->f_total_count);
	}
	page_layout(st, ws, 0, 0, DETAIL_NCOL);
	sheet_done(st);
}

/* ---- 规则统计 ---------------------------------------------------------- */

static const char *const rule_cols[] = {"规则", "级别", "说明", "不符合单位数", "占比",
	"未检查数"};

/* Value axis of counts: from 0, whole-number ticks (at most about 10). */
static void
whole_ticks(lxw_chart_axis *axis, size_t max)
{
	double unit = 1;

	while (max / unit > 10)
		unit *= max / unit > 25 ? 5 : 2;
	chart_axis_set_min(axis, 0);
	chart_axis_set_major_unit(axis, unit);
	chart_axis_set_num_format(axis, "0");
}

static int
write_rules(struct xlsx_state *st, lxw_worksheet *ws)
{
	static const double fixed[] = {0, 0, 50, 12, 8, 8, 2, 0, 0};
	static const lxw_color_t vcolor[] = {0x70AD47, 0xFFC000, 0xE04B4B, 0xA6A6A6};
	int *order = xmalloc((st->nrule ? st->nrule : 1) * sizeof(int));
	size_t i, nverdict[4] = {0}, readable = 0, nr = st->nrule, maxfails = 0, maxv = 0;
	lxw_row_t vr = (lxw_row_t)(nr + 2);
	lxw_chart *chart;
	lxw_chart_series *se;
	lxw_chart_options co;
	char f[256];

	for (i = 0; i < nr; i++)
		order[i] = (int)i;
	sort_idx(order, nr, rule_stat_cmp, st->rules);
	for (i = 0; i < st->nrow; i++) {
		nverdict[st->rows[i].verdict]++;
		readable += st->rows[i].verdict != VERDICT_UNREADABLE;
	}
	if (nr > 0) {
		lxw_conditional_format cf;

		memset(&cf, 0, sizeof(cf));
		cf.type = LXW_CONDITIONAL_DATA_BAR;
		lx(st, worksheet_conditional_format_range(ws, 1, 3, (lxw_row_t)nr, 3, &cf),
			"设置条件格式");
		lx(st, worksheet_autofilter(ws, 0, 0, (lxw_row_t)nr, 5), "设置筛选");
	}
	worksheet_freeze_panes(ws, 1, 0);
	print_setup(st, ws, 0, "规则统计");
	for (i = 0; i < 6; i++)
		measure(st, (lxw_col_t)i, rule_cols[i]);
	for (i = 0; i < nr; i++) {
		measure(st, 0, st->rules[i].id);
		measure(st, 1, severity_name_zh(st->rules[i].sev));
	}
	for (i = 0; i < 4; i++)
		measure(st, 7, verdict_name_zh((enum verdict)i));
	measure(st, 8, "份数");
	apply_widths(st, ws, 6, 50, fixed, 9);
	header_row(st, ws, 0, rule_cols, 6, 0);
	row_end(st, ws, 0);
	for (i = 0; i < nr; i++) {
		lxw_row_t r = (lxw_row_t)(i + 1);
		const struct xrule *x = &st->rules[order[i]];

		put_str(st, ws, r, 0, x->id, st->f_text);
		put_str(st, ws, r, 1, severity_name_zh(x->sev), st->f_center);
		put_str(st, ws, r, 2, x->message, st->f_wrap);
		put_num(st, ws, r, 3, (double)x->fails, st->f_num);
		if (x->fails > maxfails)
			maxfails = x->fails;
		snprintf(f, sizeof(f), "=IF(%zu=0,0,D%u/%zu)", readable, (unsigned)r + 1, readable);
		put_formula(st, ws, r, 4, f, readable ? (double)x->fails / (double)readable : 0,
			st->f_pct);
		put_num(st, ws, r, 5, (double)x->unchecked, st->f_num);
		row_end(st, ws, r);
	}
	/*
	 * The verdict table has its own rows below the rule list, outside the
	 * filter's range: filtering the rules never hides it.
	 */
	put_str(st, ws, vr, 7, "结论", st->f_head);
	put_str(st, ws, vr, 8, "份数", st->f_head);
	for (i = 0; i < 4; i++) {
		lxw_row_t r = (lxw_row_t)(vr + 1 + i);

		put_str(st, ws, r, 7, verdict_name_zh((enum verdict)i), st->f_text);
		snprintf(f, sizeof(f), "=COUNTIF('%s'!$G$2:$G$%zu,H%u)", SHEET_SUMMARY,
			st->nrow + 1, (unsigned)r + 1);
		put_formula(st, ws, r, 8, f, (double)nverdict[i], st->f_num);
		if (nverdict[i] > maxv)
			maxv = nverdict[i];
	}
	free(order);

	/*
	 * Printed: the tables on the first pages across, the two charts side by
	 * side on the next (a page break before column K, where they start; each
	 * chart is 10 default columns wide and 20 rows high).
	 */
	{
		static lxw_col_t chart_break[] = {10, 0};

		worksheet_set_print_scale(ws, SPLIT_SCALE);
		lx(st, worksheet_set_v_pagebreaks(ws, chart_break), "设置分页");
	}
	sheet_done(st);

	/* the charts stay where they are when a filter hides rows */
	memset(&co, 0, sizeof(co));
	co.x_scale = 1.3;
	co.y_scale = 1.35;
	co.object_position = LXW_OBJECT_DONT_MOVE_DONT_SIZE;
	if (nr > 0) {
		size_t top = nr < TOP_RULES ? nr : TOP_RULES;

		if ((chart = workbook_add_chart(st->wb, LXW_CHART_BAR)) == NULL ||
		    (se = chart_add_series(chart, NULL, NULL)) == NULL)
			return -1;
		chart_series_set_categories(se, SHEET_RULES, 1, 0, (lxw_row_t)top, 0);
		chart_series_set_values(se, SHEET_RULES, 1, 3, (lxw_row_t)top, 3);
		chart_series_set_name(se, "不符合单位数");
		chart_title_set_name(chart, "不符合单位数最多的规则");
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
		/* a bar chart's y axis holds the categories: most frequent rule on top,
		 * the value axis kept at the bottom */
		chart_axis_set_reverse(chart->y_axis);
		chart_axis_set_crossing_max(chart->y_axis);
		chart_axis_set_name(chart->y_axis, "规则");
		chart_axis_set_name(chart->x_axis, "不符合的单位数");
		whole_ticks(chart->x_axis, maxfails);
		/* filtering the list does not change the chart */
		chart_show_hidden_data(chart);
		lx(st, worksheet_insert_chart_opt(ws, 1, 10, chart, &co), "插入图表");
	}
	if ((chart = workbook_add_chart(st->wb, LXW_CHART_COLUMN)) == NULL ||
	    (se = chart_add_series(chart, NULL, NULL)) == NULL)
		return -1;
	chart_series_set_categories(se, SHEET_RULES, vr + 1, 7, vr + 4, 7);
	chart_series_set_values(se, SHEET_RULES, vr + 1, 8, vr + 4, 8);
	chart_series_set_name(se, "份数");
	{
		lxw_chart_fill fill[4];
		lxw_chart_point pt[4];
		lxw_chart_point *pts[5];

		memset(fill, 0, sizeof(fill));
		memset(pt, 0, sizeof(pt));
		for (i = 0; i < 4; i++) {
			fill[i].color = vcolor[i];
			pt[i].fill = &fill[i];
			pts[i] = &pt[i];
		}
		pts[4] = NULL;
		lx(st, chart_series_set_points(se, pts), "设置图表颜色");
	}
	chart_title_set_name(chart, "结论分布");
	chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	chart_axis_set_name(chart->x_axis, "结论");
	chart_axis_set_name(chart->y_axis, "报告份数");
	whole_ticks(chart->y_axis, maxv);
	chart_show_hidden_data(chart);
	lx(st, worksheet_insert_chart_opt(ws, 1, nr > 0 ? 20 : 10, chart, &co), "插入图表");
	return 0;
}

/* ---- 矩阵 -------------------------------------------------------------- */

static void
write_matrix(struct xlsx_state *st, lxw_worksheet *ws)
{
	int *order = xmalloc((st->nrule ? st->nrule : 1) * sizeof(int));
	size_t i, k, nr = st->nrule;
	double *fixed = xcalloc(nr + 3, sizeof(double));
	static const char *const head[] = {"单位", "文件", "结论"};

	for (i = 0; i < nr; i++)
		order[i] = (int)i;
	sort_idx(order, nr, rule_id_cmp, st->rules);
	if (nr > 0 && st->nrow > 0)
		cf_marks(st, ws, 2, 3, (lxw_row_t)(st->nrow + 1), (lxw_col_t)(2 + nr));
	if (st->nrow > 0)
		cf_verdicts(st, ws, 2, 2, (lxw_row_t)(st->nrow + 1), 2);
	worksheet_freeze_panes(ws, 2, 3);
	print_setup(st, ws, 1, "检查矩阵");
	for (k = 0; k < 3; k++)
		measure(st, (lxw_col_t)k, head[k]);
	measure(st, 0, "规则说明");
	for (i = 0; i < st->nrow; i++) {
		measure(st, 0, unit_label(&st->rows[i]));
		measure(st, 1, st->rows[i].file);
		measure(st, 2, verdict_name_zh(st->rows[i].verdict));
	}
	cap_width(st, 0, 14);
	cap_width(st, 1, 20);
	for (k = 0; k < nr; k++)
		fixed[3 + k] = 12;
	apply_widths(st, ws, 6, 30, fixed, nr + 3);
	header_row(st, ws, 0, head, 3, 0);
	for (k = 0; k < nr; k++)
		put_str(st, ws, 0, (lxw_col_t)(3 + k), st->rules[order[k]].id, st->f_head);
	row_end(st, ws, 0);
	put_str(st, ws, 1, 0, "规则说明", st->f_head);
	lx(st, worksheet_write_blank(ws, 1, 1, st->f_head), "写入单元格");
	lx(st, worksheet_write_blank(ws, 1, 2, st->f_head), "写入单元格");
	for (k = 0; k < nr; k++)
		put_str(st, ws, 1, (lxw_col_t)(3 + k), st->rules[order[k]].message, st->f_head);
	row_end(st, ws, 1);
	direct_begin(st, ws);
	for (i = 0; i < st->nrow; i++) {
		const struct xrow *w = &st->rows[i];
		lxw_row_t r = (lxw_row_t)(i + 2);

		put_kept(st, ws, r, 0, unit_label(w), st->f_text);
		put_kept(st, ws, r, 1, w->file, st->f_text);
		put_kept(st, ws, r, 2, verdict_name_zh(w->verdict), st->f_center);
		for (k = 0; k < nr; k++) {
			int id = order[k];
			const char *m = "✓";

			if (w->verdict == VERDICT_UNREADABLE)
				m = "–";
			else {
				size_t j;

				for (j = 0; j < w->nfail; j++)
					if (w->fail[j] == id)
						break;
				if (j < w->nfail)
					m = "✗";
				else {
					for (j = 0; j < w->nunch; j++)
						if (w->unch[j] == id)
							break;
					if (j < w->nunch)
						m = "–";
				}
			}
			write_text(st, ws, r, (lxw_col_t)(3 + k), m, st->f_center);
		}
		row_end(st, ws, r);
	}
	direct_end(st);
	/* printed in blocks of rule columns, 单位, 文件 and 结论 repeated on each */
	page_layout(st, ws, 0, 2, nr + 3);
	sheet_done(st);
	free(fixed);
	free(order);
}

/* ---- 说明 -------------------------------------------------------------- */

static void
notes_line(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t *r, const char *k,
	const char *v)
{
	put_str(st, ws, *r, 0, k, st->f_text);
	put_str(st, ws, *r, 1, v, st->f_wrap);
	row_end(st, ws, *r);
	(*r)++;
}

static void
notes_num(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t *r, const char *k, double v)
{
	put_str(st, ws, *r, 0, k, st->f_text);
	put_num(st, ws, *r, 1, v, st->f_int_left);
	(*r)++;
}

static void
notes_head(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t *r, const char *k)
{
	(*r)++;
	put_str(st, ws, *r, 0, k, st->f_head);
	put_str(st, ws, *r, 1, "", st->f_head);
	row_end(st, ws, *r);
	(*r)++;
}

static void
write_notes(struct xlsx_state *st, lxw_worksheet *ws)
{
	static const double fixed[] = {24, 90};
	lxw_row_t r = 0;
	size_t i, nunread = 0, ndup = 0, nv[4] = {0};
	struct tm tm;
	char *s;

	print_setup(st, ws, 0, "说明");
	worksheet_set_portrait(ws);
	/* two columns of fixed widths: the texts wrap in the second */
	apply_widths(st, ws, 6, 90, fixed, 2);
	put_str(st, ws, r, 0, "法治政府建设年度报告汇总：说明", st->f_title);
	st->row_lines = 0;
	lx(st, worksheet_set_row(ws, r++, 22, NULL), "设置行高");
	r++;
	notes_line(st, ws, &r, "生成工具", (s = xasprintf("fzreport %s", st->version)));
	free(s);
	if (st->o.created_fixed)
		gmtime_r(&st->o.created, &tm);
	else
		localtime_r(&st->o.created, &tm);
	{
		lxw_datetime dt = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			tm.tm_min, tm.tm_sec};

		put_str(st, ws, r, 0, "生成时间", st->f_text);
		lx(st, worksheet_write_datetime(ws, r++, 1, &dt, st->f_time), "写入日期");
	}
	for (i = 0; i < st->nrow; i++) {
		nunread += st->rows[i].verdict == VERDICT_UNREADABLE;
		ndup += st->rows[i].dup != 0;
		nv[st->rows[i].verdict]++;
	}
	notes_num(st, ws, &r, "输入份数", (double)st->nrow);
	for (i = 0; i < 4; i++) {
		char *k = xasprintf("其中%s", verdict_name_zh((enum verdict)i));

		notes_num(st, ws, &r, k, (double)nv[i]);
		free(k);
	}
	notes_num(st, ws, &r, "问题条数", (double)st->nfind);
	if (st->previous)
		notes_line(st, ws, &r, "上年报告", st->previous);
	if (st->detail_dropped) {
		s = xasprintf("问题明细超过 Excel 行数上限，另有 %zu 条未列出（见各单位的错误、警告、提示数）",
			st->detail_dropped);
		notes_line(st, ws, &r, "注意", s);
		free(s);
	}

	notes_head(st, ws, &r, "规则包");
	if (st->npack == 0)
		notes_line(st, ws, &r, "（无）", "输入的结果没有记录规则包");
	for (i = 0; i < st->npack; i++)
		notes_line(st, ws, &r, st->packs[i].name,
			*st->packs[i].version ? st->packs[i].version : "（未注明版本）");

	notes_head(st, ws, &r, "无法读取的输入");
	if (nunread == 0)
		notes_line(st, ws, &r, "（无）", "所有输入均已读取");
	for (i = 0; i < st->nrow; i++)
		if (st->rows[i].verdict == VERDICT_UNREADABLE)
			notes_line(st, ws, &r, st->rows[i].file,
				st->rows[i].error ? st->rows[i].error : "无法读取");

	notes_head(st, ws, &r, "重复的输入（同一单位、同一年度）");
	if (ndup == 0)
		notes_line(st, ws, &r, "（无）", "没有重复");
	for (i = 0; i < st->nrow; i++)
		if (st->rows[i].dup) {
			const struct xrow *w = &st->rows[i];

			s = w->year ? xasprintf("%s（%d 年度）：%s", w->unit, w->year, w->file) :
				      xasprintf("%s（年度不详）：%s", w->unit, w->file);
			notes_line(st, ws, &r, "重复", s);
			free(s);
		}

	notes_head(st, ws, &r, "图例");
	notes_line(st, ws, &r, "合格", "没有错误和警告");
	notes_line(st, ws, &r, "需修改", "没有错误，但有警告");
	notes_line(st, ws, &r, "不合格", "至少有一项错误（例如缺少必备部分），应退回修改");
	notes_line(st, ws, &r, "无法读取", "文件无法打开或解码，原因见备注和上表；不计入占比");
	notes_line(st, ws, &r, MARK_FOUND, "汇总：该部分有单独的标题");
	notes_line(st, ws, &r, MARK_INLINE, "汇总：没有单独标题，内容只在其他部分的正文中提及");
	notes_line(st, ws, &r, MARK_MISSING, "汇总：缺少该部分");
	notes_line(st, ws, &r, "✓", "矩阵：符合该规则");
	notes_line(st, ws, &r, "✗", "矩阵：不符合该规则（见问题明细）");
	notes_line(st, ws, &r, "–", "矩阵、汇总：未检查（规则无法执行，或文件无法读取）");
	notes_line(st, ws, &r, "排序", "汇总按结论（无法读取、不合格、需修改、合格）再按单位名称排列；单位名称链接到该单位的问题明细");
	notes_line(st, ws, &r, "占比", "不符合单位数 ÷ 可读取的输入份数");
	notes_line(st, ws, &r, "合计", "汇总和问题明细末行的合计只计筛选后显示的行；不筛选时为全部");
	notes_line(st, ws, &r, "行、列", "问题明细：问题所在的行和列（数字，可排序）；“全文”指针对整篇报告的问题");
	if (st->previous)
		notes_line(st, ws, &r, "上年对比", "按单位名称匹配上年报告；与上年相似一栏来自相似度规则，未检查时为“–”");
	page_layout(st, ws, 1, -1, 2);
	sheet_done(st);
}

/* ---- close ------------------------------------------------------------- */

/*
 * The written package must be a consistent zip whose every XML part is
 * whole -- each element closed by an end tag of its own name, the root
 * closed at the end.  libxlsxwriter copies its constant_memory temporary
 * files into the package without checking their writes, so a full disk
 * gives a valid zip with cut worksheets and no error; this is where that
 * is caught, before the workbook is renamed over the previous one:
 * normally as the parts are packed (the tap, below), else by reading the
 * package back, each part inflated to its stored size and checksum.
 *
 * The parts go in chunks through a small scanner of the markup
 * (libxml2's reader cost more than writing the workbook): memory stays
 * flat and the check costs a few instructions a byte.  It checks the
 * structure and the UTF-8 of text and values, which is what a cut or a
 * hole breaks, not the rest of XML (names, entities, duplicate
 * attributes: libxlsxwriter wrote them).
 */
enum { SC_TEXT, SC_OPEN, SC_BANG, SC_NAME, SC_ATTR, SC_QUOTE, SC_CLOSE, SC_CLOSE_END, SC_SKIP };

struct scan {
	int state, bad, seen_root;
	char quote;                  /* in SC_QUOTE: the quote that ends the value */
	char slash;                  /* SC_ATTR: the last non-blank character was '/' */
	int cont;                    /* UTF-8 continuation bytes still due in text or a value */
	const char *until;           /* SC_SKIP: the end of a PI, comment or CDATA; SC_BANG: its start */
	size_t matched;              /* SC_SKIP, SC_BANG: bytes of until seen */
	struct buf names;            /* open elements' names, one after the other */
	size_t namelen;              /* SC_NAME: bytes of the new name (after the open ones); SC_CLOSE: matched */
	size_t *ends;                /* start of each open name in names, and of the one being read */
	size_t depth, capdepth;
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Text or an attribute value, p[0..n), in UTF-8 (a hole in a part mostly cuts a character). */
static void
scan_utf8(struct scan *s, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p, *end = u + n;

	/* the rest of a character the last run cut */
	for (; s->cont > 0 && u < end; u++, s->cont--)
		if ((*u & 0xc0) != 0x80)
			s->bad = 1;
	while (u < end) {
		unsigned c = *u;
		int k, need;

		if (c < 0x80) {
			u++;
			continue;
		}
		need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 :
			c >= 0xf0 && c <= 0xf4 ? 3 : -1;
		if (need < 0) {
			s->bad = 1;
			return;
		}
		u++;
		for (k = 0; k < need && u < end; k++, u++)
			if ((*u & 0xc0) != 0x80) {
				s->bad = 1;
				return;
			}
		s->cont = need - k;
	}
}

/* An end tag's name, p[0..n) more of it: still the open element's so far? */
static void
scan_close_run(struct scan *s, const char *p, size_t n)
{
	size_t top, toplen;

	if (s->depth == 0) {
		s->bad = 1;
		return;
	}
	top = s->ends[s->depth - 1];
	toplen = s->names.len - top;
	if (s->namelen + n > toplen || memcmp(s->names.s + top + s->namelen, p, n) != 0)
		s->bad = 1;
	s->namelen += n;
}

static void
scan_chunk(struct scan *s, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end && !s->bad) {
		char c = *p;

		switch (s->state) {
		case SC_TEXT: {
			const char *lt = memchr(p, '<', (size_t)(end - p));

			scan_utf8(s, p, (size_t)((lt ? lt : end) - p));
			if (lt == NULL)
				return;
			if (s->cont > 0)
				s->bad = 1;
			p = lt + 1;
			s->state = SC_OPEN;
			s->matched = 0;
			s->namelen = 0;
			continue;
		}
		case SC_OPEN:
			/* "<?", "<!", "</" or a start tag */
			if (c == '?') {
				s->state = SC_SKIP;
				s->until = "?>";
				s->matched = 0;
			} else if (c == '/') {
				s->state = SC_CLOSE;
			} else if (c == '!') {
				s->state = SC_BANG;
				s->matched = 0;
			} else {
				/* the name goes after the open ones, kept if the tag opens an element */
				if (s->depth + 1 > s->capdepth)
					xgrow(&s->ends, &s->capdepth, s->depth + 1, sizeof(*s->ends));
				s->ends[s->depth] = s->names.len;
				s->state = SC_NAME;
				continue;
			}
			break;
		case SC_BANG:
			/* "<!--" a comment or "<![CDATA[" a section: nothing else is written */
			if (s->matched == 0)
				s->until = c == '[' ? "[CDATA[" : "--";
			if (c != s->until[s->matched]) {
				s->bad = 1;
				return;
			}
			if (s->until[++s->matched] == '\0') {
				s->until = s->until[0] == '-' ? "-->" : "]]>";
				s->matched = 0;
				s->state = SC_SKIP;
			}
			break;
		case SC_NAME: {
			const char *q = p;

			while (q < end && !is_blank(*q) && *q != '/' && *q != '>')
				q++;
			buf_add(&s->names, p, (size_t)(q - p));
			s->namelen += (size_t)(q - p);
			p = q;
			if (q == end)
				return;
			if (s->namelen == 0) {
				s->bad = 1;
				return;
			}
			s->state = SC_ATTR;
			s->slash = 0;
			continue;
		}
		case SC_ATTR:
			/* up to the next character that matters */
			while (c != '>' && c != '"' && c != '\'' && c != '<') {
				if (!is_blank(c))
					s->slash = c == '/';
				if (++p == end)
					return;
				c = *p;
			}
			if (c == '>') {
				if (!s->slash)
					s->depth++;  /* its name stays */
				else
					s->names.len = s->ends[s->depth];
				s->seen_root = 1;
				s->state = SC_TEXT;
			} else if (c == '"' || c == '\'') {
				s->quote = c;
				s->state = SC_QUOTE;
			} else {
				s->bad = 1;  /* '<' in a tag */
				return;
			}
			break;
		case SC_QUOTE: {
			const char *q = memchr(p, s->quote, (size_t)(end - p));

			scan_utf8(s, p, (size_t)((q ? q : end) - p));
			if (q == NULL)
				return;
			if (s->cont > 0)
				s->bad = 1;
			p = q + 1;
			s->slash = 0;
			s->state = SC_ATTR;
			continue;
		}
		case SC_CLOSE: {
			const char *q = p;

			while (q < end && *q != '>' && !is_blank(*q))
				q++;
			scan_close_run(s, p, (size_t)(q - p));
			p = q;
			if (q == end || s->bad)
				return;
			if (s->namelen != s->names.len - s->ends[s->depth - 1]) {
				s->bad = 1;
				return;
			}
			s->names.len = s->ends[--s->depth];
			s->state = *q == '>' ? SC_TEXT : SC_CLOSE_END;
			break;
		}
		case SC_CLOSE_END:
			if (c == '>')
				s->state = SC_TEXT;
			else if (!is_blank(c))
				s->bad = 1;
			break;
		case SC_SKIP:
			if (c == s->until[s->matched]) {
				if (s->until[++s->matched] == '\0')
					s->state = SC_TEXT;
			} else {
				/* "--->", "]]]>", "??>": the text seen may still end the match */
				s->matched = c != s->until[0] ? 0 : s->until[0] == s->until[1] ? 2 : 1;
			}
			break;
		}
		p++;
	}
}

/* Whether the whole part was one closed root element (text and PIs around it). */
static int
scan_whole(const struct scan *s)
{
	return !s->bad && s->seen_root && s->depth == 0 && s->state == SC_TEXT;
}

static void
scan_init(struct scan *s)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->names);
}

static void
scan_release(struct scan *s)
{
	buf_release(&s->names);
	free(s->ends);
}

/* Whether work may go to a thread of its own beside this one: -j is not 1 and there are CPUs for it. */
static int
may_thread(int jobs)
{
	return jobs != 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/* Whether a part is markup to read back (.xml, .rels). */
static int
is_markup_part(const char *en)
{
	size_t l = en ? strlen(en) : 0;

	return (l >= 4 && strcmp(en + l - 4, ".xml") == 0) ||
	       (l >= 5 && strcmp(en + l - 5, ".rels") == 0);
}

/* Read one opened part to its end: its checksum (libzip checks it at the end) and its markup; -1 with err filled. */
static int
verify_part(zip_file_t *zf, const char *name, const char *en, char *chunk, struct error *err)
{
	zip_int64_t got;
	struct scan s;
	int rc = 0;

	scan_init(&s);
	while ((got = zip_fread(zf, chunk, VERIFY_CHUNK)) > 0)
		scan_chunk(&s, chunk, (size_t)got);
	if (got < 0 || !scan_whole(&s))
		rc = error_set(err, "写入的工作簿 %s 不完整（%s 被截断，磁盘已满？），未替换原文件", name,
		    en ? en : "?");
	scan_release(&s);
	return rc;
}

/* The read-back of one part on a thread of its own (opened by the caller: libzip reads its headers there). */
struct bigpart {
	zip_file_t *zf;
	const char *name, *en;
	struct error err;
	int rc;
};

static void *
verify_big(void *arg)
{
	struct bigpart *bp = arg;
	char *chunk = xmalloc(VERIFY_CHUNK);

	bp->rc = verify_part(bp->zf, bp->name, bp->en, chunk, &bp->err);
	free(chunk);
	return NULL;
}

/*
 * Read the written workbook back (when the tap below did not see every
 * part as it was packed): every markup part whole, its checksum
 * and its structure (a full temporary directory gives libxlsxwriter cut
 * sheets and no error).  With two CPUs or more (and -j not 1) the largest
 * part is read on a thread of its own beside the others: 问题明细 is most
 * of the bytes.  Only reading runs on that thread: every libzip call that
 * reads headers (and converts their times) stays on this one.
 */
static int
verify(const char *path, const char *name, int jobs, struct error *err)
{
	struct bigpart bp;
	zip_t *z, *z2 = NULL;
	zip_int64_t i, n, big = -1;
	zip_uint64_t bigsize = 0;
	pthread_t th;
	int ze, rc = 0, threaded = 0;
	char *chunk;

	if ((z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &ze)) == NULL)
		return error_set(err, "写入的工作簿 %s 不完整（磁盘已满？），未替换原文件", name);
	n = zip_get_num_entries(z, 0);
	for (i = 0; i < n; i++) {
		zip_stat_t zs;

		if (is_markup_part(zip_get_name(z, (zip_uint64_t)i, 0)) &&
		    zip_stat_index(z, (zip_uint64_t)i, 0, &zs) == 0 && (zs.valid & ZIP_STAT_SIZE) &&
		    zs.size > bigsize) {
			bigsize = zs.size;
			big = i;
		}
	}
	memset(&bp, 0, sizeof(bp));
	if (big >= 0 && may_thread(jobs) && bigsize > VERIFY_CHUNK &&
	    (z2 = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &ze)) != NULL) {
		bp.name = name;
		bp.en = zip_get_name(z2, (zip_uint64_t)big, 0);
		if ((bp.zf = zip_fopen_index(z2, (zip_uint64_t)big, 0)) != NULL &&
		    pthread_create(&th, NULL, verify_big, &bp) == 0)
			threaded = 1;
		else if (bp.zf)
			zip_fclose(bp.zf);
	}
	chunk = xmalloc(VERIFY_CHUNK);
	for (i = 0; i < n && rc == 0; i++) {
		const char *en = zip_get_name(z, (zip_uint64_t)i, 0);
		zip_file_t *zf;

		if (!is_markup_part(en) || (threaded && i == big))
			continue;
		if ((zf = zip_fopen_index(z, (zip_uint64_t)i, 0)) == NULL) {
			rc = error_set(err, "写入的工作簿 %s 不完整（%s 无法读出），未替换原文件", name, en);
			break;
		}
		rc = verify_part(zf, name, en, chunk, err);
		zip_fclose(zf);
	}
	free(chunk);
	if (threaded) {
		pthread_join(th, NULL);
		zip_fclose(bp.zf);
		if (rc == 0 && bp.rc < 0)
			rc = error_set(err, "%s", bp.err.msg);
	}
	if (z2)
		zip_discard(z2);
	zip_discard(z);
	return rc;
}

/*
 * The same check while the package is written.  libxlsxwriter packs each
 * part through one deflate stream, and a tap on this thread's streams
 * (zlevel_tap()) hands the scanner exactly the bytes deflate packs, in
 * order: no part has to be inflated again.  The scanner runs on a
 * thread of its own beside the packing (on this one with -j 1 or one
 * CPU), fed copies of the bytes in chunks through a short queue.  After
 * workbook_close() the package's directory is matched with what was
 * seen: as many parts, each of the size scanned; anything else (a
 * stream the tap did not see from start to end) and the package is
 * read back whole, as above.
 */
#define TAP_CHUNK 262144   /* bytes handed to the scanner at once */
#define TAP_QUEUE 16       /* chunks queued at most: 4 MB */

struct tap_chunk {
	struct tap_chunk *next;
	size_t len;
	int end;               /* the part ends after this chunk: 1 whole, -1 not seen to its end */
	unsigned char data[];
};

struct tap_part {
	size_t bytes;
	int whole;             /* its markup closed (scan_whole()) */
	int seen;              /* seen from its start to its deflateEnd() */
};

struct tapscan {
	struct ztap z;
	/* the scanner's side */
	struct scan sc;
	size_t bytes;
	struct tap_part *parts;
	size_t nparts, capparts;
	/* the queue (threaded) */
	int threaded;
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	struct tap_chunk *head, *tail, *fill;
	size_t queued;
	int done;
};

static void
tap_scan_reset(struct tapscan *t)
{
	scan_release(&t->sc);
	scan_init(&t->sc);
	t->bytes = 0;
}

/* The scanner's step: n bytes of the current part, then its end when end is not 0. */
static void
tap_take(struct tapscan *t, const unsigned char *p, size_t n, int end)
{
	if (n > 0) {
		scan_chunk(&t->sc, (const char *)p, n);
		t->bytes += n;
	}
	if (end == 0)
		return;
	xgrow(&t->parts, &t->capparts, t->nparts + 1, sizeof(*t->parts));
	t->parts[t->nparts].bytes = t->bytes;
	t->parts[t->nparts].whole = scan_whole(&t->sc);
	t->parts[t->nparts++].seen = end > 0;
	tap_scan_reset(t);
}

static void *
tap_thread(void *arg)
{
	struct tapscan *t = arg;

	for (;;) {
		struct tap_chunk *c;

		pthread_mutex_lock(&t->lock);
		while (t->head == NULL && !t->done)
			pthread_cond_wait(&t->more, &t->lock);
		if ((c = t->head) == NULL) {
			pthread_mutex_unlock(&t->lock);
			break;
		}
		if ((t->head = c->next) == NULL)
			t->tail = NULL;
		t->queued--;
		pthread_cond_signal(&t->room);
		pthread_mutex_unlock(&t->lock);
		tap_take(t, c->data, c->len, c->end);
		free(c);
	}
	return NULL;
}

/* Queue the chunk being filled, with end as its end mark. */
static void
tap_push(struct tapscan *t, int end)
{
	struct tap_chunk *c = t->fill;

	if (c == NULL) {
		if (end == 0)
			return;
		c = xmalloc(sizeof(*c));
		c->len = 0;
	}
	t->fill = NULL;
	c->next = NULL;
	c->end = end;
	pthread_mutex_lock(&t->lock);
	while (t->queued >= TAP_QUEUE)
		pthread_cond_wait(&t->room, &t->lock);
	if (t->tail)
		t->tail->next = c;
	else
		t->head = c;
	t->tail = c;
	t->queued++;
	pthread_cond_signal(&t->more);
	pthread_mutex_unlock(&t->lock);
}

static void
tap_feed(void *arg, const unsigned char *p, size_t n)
{
	struct tapscan *t = arg;

	if (!t->threaded) {
		tap_take(t, p, n, 0);
		return;
	}
	while (n > 0) {
		size_t k;

		if (t->fill == NULL) {
			t->fill = xmalloc(sizeof(*t->fill) + TAP_CHUNK);
			t->fill->len = 0;
		}
		k = TAP_CHUNK - t->fill->len;
		if (k > n)
			k = n;
		memcpy(t->fill->data + t->fill->len, p, k);
		t->fill->len += k;
		p += k;
		n -= k;
		if (t->fill->len == TAP_CHUNK)
			tap_push(t, 0);
	}
}

static void
tap_end(void *arg, int whole)
{
	struct tapscan *t = arg;

	if (!t->threaded)
		tap_take(t, NULL, 0, whole ? 1 : -1);
	else
		tap_push(t, whole ? 1 : -1);
}

/* Start watching this thread's deflate streams; the scanner gets a thread of its own unless jobs is 1 or there is one CPU. */
static void
tap_start(struct tapscan *t, int jobs)
{
	memset(t, 0, sizeof(*t));
	scan_init(&t->sc);
	t->z.feed = tap_feed;
	t->z.end = tap_end;
	t->z.arg = t;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->more, NULL);
	pthread_cond_init(&t->room, NULL);
	if (may_thread(jobs) &&
	    pthread_create(&t->th, NULL, tap_thread, t) == 0)
		t->threaded = 1;
	zlevel_tap(&t->z);
}

/* Stop watching and wait for the scanner: parts[] is complete. */
static void
tap_stop(struct tapscan *t)
{
	zlevel_tap(NULL);
	if (t->threaded) {
		free(t->fill);  /* bytes of a part that never ended: not matched below */
		t->fill = NULL;
		pthread_mutex_lock(&t->lock);
		t->done = 1;
		pthread_cond_signal(&t->more);
		pthread_mutex_unlock(&t->lock);
		pthread_join(t->th, NULL);
		t->threaded = 0;
	}
}

static void
tap_release(struct tapscan *t)
{
	scan_release(&t->sc);
	free(t->parts);
	pthread_cond_destroy(&t->more);
	pthread_cond_destroy(&t->room);
	pthread_mutex_destroy(&t->lock);
}

/*
 * The package against what the tap saw: 1 when every part was scanned
 * whole and matches the directory, 0 when it must be read back, -1 with
 * err filled when a part was cut.
 */
static int
verify_tapped(const char *path, const char *name, const struct tapscan *t, struct error *err)
{
	zip_t *z;
	zip_int64_t i, n;
	int ze, rc = 1;

	if ((z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &ze)) == NULL)
		return error_set(err, "写入的工作簿 %s 不完整（磁盘已满？），未替换原文件", name);
	n = zip_get_num_entries(z, 0);
	if (n < 0 || (size_t)n != t->nparts)
		rc = 0;
	for (i = 0; i < n && rc == 1; i++) {
		const char *en = zip_get_name(z, (zip_uint64_t)i, 0);
		const struct tap_part *tp = &t->parts[i];
		zip_stat_t zs;

		if (!tp->seen || zip_stat_index(z, (zip_uint64_t)i, 0, &zs) != 0 ||
		    !(zs.valid & ZIP_STAT_SIZE) || zs.size != tp->bytes)
			rc = 0;
		else if (is_markup_part(en) && !tp->whole)
			rc = error_set(err, "写入的工作簿 %s 不完整（%s 被截断，磁盘已满？），未替换原文件",
			    name, en);
	}
	zip_discard(z);
	return rc;
}

/* A libxlsxwriter error as a clerk reads it (lxw_strerror() is English). */
static const char *
lxw_zh(lxw_error e)
{
	switch (e) {
	case LXW_ERROR_MEMORY_MALLOC_FAILED:
		return "内存不足";
	case LXW_ERROR_CREATING_XLSX_FILE:
		return "不能创建文件";
	case LXW_ERROR_CREATING_TMPFILE:
		return "不能创建临时文件（目录不可写或磁盘已满？）";
	case LXW_ERROR_READING_TMPFILE:
		return "不能读回临时文件";
	case LXW_ERROR_ZIP_FILE_OPERATION:
	case LXW_ERROR_ZIP_PARAMETER_ERROR:
	case LXW_ERROR_ZIP_BAD_ZIP_FILE:
	case LXW_ERROR_ZIP_INTERNAL_ERROR:
	case LXW_ERROR_ZIP_FILE_ADD:
	case LXW_ERROR_ZIP_CLOSE:
		return "写入文件失败（磁盘已满或超过文件大小限制？）";
	default:
		return "工作簿库内部错误";
	}
}

/* -1 with err filled when the spill could not be created, written or read. */
static int
spill_failed(struct xlsx_state *st, struct error *err)
{
	if (st->spill < 0)
		return error_set(err, "无法写入 %s: 不能在临时目录 %s 中创建文件（目录不可写？）",
		    st->name, st->tmpdir ? st->tmpdir : "$TMPDIR");
	if (st->spill_errno)
		return error_set(err, "写入的工作簿 %s 不完整（临时文件写入失败，磁盘已满？），未替换原文件",
		    st->name);
	return 0;
}

/*
 * 问题明细 on a thread of its own, beside the three sheets after it:
 * it is most of the cells.  libxlsxwriter keeps nothing of a sheet's
 * cells outside the sheet, but it numbers the formats the first time a
 * written row uses one (and the conditional formats' when they are
 * added), in tables the workbook shares.  So the sheet goes on a thread
 * only when every format of its rows and conditional formats already has
 * its number from 汇总 (in practice always): then it numbers nothing, and
 * the workbook is byte for byte the one written on one thread.  Its last
 * row is written by workbook_close(), on this thread, as before.  The
 * thread writes through a copy of the state with cell, width and memo
 * buffers of its own; its errors are taken back when it ends.
 */
struct detail_job {
	struct xlsx_state st;         /* the copy */
	lxw_worksheet *ws;
	pthread_t th;
};

static void *
detail_thread(void *arg)
{
	struct detail_job *j = arg;

	write_detail(&j->st, j->ws);
	return NULL;
}

static struct detail_job *
detail_start(struct xlsx_state *st, lxw_worksheet *ws)
{
	const lxw_format *cells[] = {st->f_head, st->f_text, st->f_center, st->f_int, st->f_wrap};
	const lxw_format *cond[] = {st->f_red, st->f_amber, st->f_grey};
	struct detail_job *j;
	size_t i;

	if (!may_thread(st->o.jobs))
		return NULL;
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		if (cells[i]->xf_index == LXW_PROPERTY_UNSET)
			return NULL;
	for (i = 0; i < sizeof(cond) / sizeof(cond[0]); i++)
		if (cond[i]->dxf_index == LXW_PROPERTY_UNSET)
			return NULL;
	j = xmalloc(sizeof(*j));
	j->st = *st;
	buf_init(&j->st.cell);
	j->st.width = NULL;
	j->st.nwidth = 0;
	j->st.planned = 0;
	j->st.row_lines = 0;
	j->st.memo = NULL;
	j->st.lerr = LXW_NO_ERROR;
	j->st.lerr_where = NULL;
	j->ws = ws;
	if (pthread_create(&j->th, NULL, detail_thread, j) != 0) {
		buf_release(&j->st.cell);
		free(j);
		return NULL;
	}
	return j;
}

/* Wait for the thread; its first error and the spill's go back to st. */
static void
detail_join(struct xlsx_state *st, struct detail_job *j)
{
	pthread_join(j->th, NULL);
	if (j->st.lerr != LXW_NO_ERROR) {  /* written first on one thread: its error comes first */
		st->lerr = j->st.lerr;
		st->lerr_where = j->st.lerr_where;
	}
	if (st->spill_errno == 0)
		st->spill_errno = j->st.spill_errno;
	buf_release(&j->st.cell);
	free(j->st.width);
	memo_release(&j->st);
	free(j);
}

/* Threads that deflate the parts' blocks: -j, or every CPU (0, 1: on this thread). */
static int
deflate_threads(int jobs)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (jobs > 0)
		return jobs;
	return n > 1 ? (int)n : 0;
}

int
xlsx_close(struct xlsx_state *st, struct error *err)
{
	lxw_workbook_options wo;
	lxw_doc_properties props;
	lxw_worksheet *ws[NSHEET];
	static const char *const names[] = {SHEET_SUMMARY, SHEET_DETAIL, SHEET_RULES, SHEET_MATRIX,
		SHEET_NOTES};
	struct tapscan tap;
	lxw_error e;
	int i, rc = 0, seen = 0;

	spill_flush(st);
	if (spill_failed(st, err) < 0) {
		xlsx_abort(st);
		return -1;
	}
	prepare(st);
	memset(&wo, 0, sizeof(wo));
	wo.constant_memory = LXW_TRUE;
	wo.tmpdir = st->tmpdir;
	if ((st->wb = workbook_new_opt(st->path, &wo)) == NULL) {
		error_set(err, "无法写入 %s: 不能创建工作簿", st->name);
		xlsx_abort(st);
		return -1;
	}
	memset(&props, 0, sizeof(props));
	props.title = "法治政府建设年度报告汇总";
	props.subject = "法治政府建设年度报告检查结果";
	props.author = "fzreport";
	props.comments = "由 fzreport rollup 生成";
	props.created = st->o.created;
	lx(st, workbook_set_properties(st->wb, &props), "设置文档属性");
	make_formats(st);
	for (i = 0; i < NSHEET; i++) {
		if ((ws[i] = workbook_add_worksheet(st->wb, names[i])) == NULL) {
			error_set(err, "无法添加工作表 %s（临时目录不可写？）", names[i]);
			rc = -1;
			break;
		}
		/*
		 * constant_memory writes each row to the sheet's temporary
		 * file as it is done, through a stdio buffer of 4 KB: a
		 * province's 340 MB took 85,000 write() calls.  A larger
		 * buffer, given before the first write, saves most of them
		 * (and of the reads that copy the file into the package).
		 */
		if (ws[i]->optimize_tmpfile != NULL) {
			st->sheet_buf[i] = xmalloc(SHEET_BUFFER);
			setvbuf(ws[i]->optimize_tmpfile, st->sheet_buf[i], _IOFBF, SHEET_BUFFER);
		}
	}
	if (rc == 0) {
		struct detail_job *dj;

		write_summary(st, ws[0]);
		if ((dj = detail_start(st, ws[1])) == NULL)
			write_detail(st, ws[1]);
		if (write_rules(st, ws[2]) < 0 && st->lerr == LXW_NO_ERROR) {
			st->lerr = LXW_ERROR_MEMORY_MALLOC_FAILED;
			st->lerr_where = "添加图表";
		}
		write_matrix(st, ws[3]);
		write_notes(st, ws[4]);
		if (dj != NULL)
			detail_join(st, dj);
		if (spill_failed(st, err) < 0)
			rc = -1;
		else if (st->lerr != LXW_NO_ERROR) {
			error_set(err, "生成工作簿出错（%s）: %s", st->lerr_where, lxw_zh(st->lerr));
			rc = -1;
		}
	}
	/*
	 * The buffers are freed after workbook_close().  It closes a
	 * sheet's temporary file when it copies it into the package,
	 * which it skips for a sheet without rows (that file stays open,
	 * and its buffer with it) and for the sheets after one that
	 * failed: flushed here, those files have nothing left in their
	 * buffers for exit() to write.
	 */
	for (i = 0; i < NSHEET; i++) {
		if (st->sheet_buf[i] == NULL)
			continue;
		if ((fflush(ws[i]->optimize_tmpfile) != 0 || ferror(ws[i]->optimize_tmpfile)) &&
		    rc == 0) {
			error_set(err, "写入的工作簿 %s 不完整（临时文件写入失败，磁盘已满？），未替换原文件",
			    st->name);
			rc = -1;
		}
		if (ws[i]->dim_rowmin == LXW_ROW_MAX)
			st->sheet_buf[i] = NULL;  /* left to the open file */
	}
	zlevel_set(DEFLATE_LEVEL);
	zlevel_parallel(deflate_threads(st->o.jobs));
	tap_start(&tap, st->o.jobs);
	xlsx_tmp_begin();
	e = workbook_close(st->wb);  /* also frees it; writes the file only when rc == 0 matters */
	xlsx_tmp_end();
	tap_stop(&tap);
	zlevel_parallel(-1);
	zlevel_set(-1);
	for (i = 0; i < NSHEET; i++) {  /* their files are closed */
		free(st->sheet_buf[i]);
		st->sheet_buf[i] = NULL;
	}
	if (rc == 0 && e != LXW_NO_ERROR) {
		error_set(err, "无法写入 %s: %s", st->name, lxw_zh(e));
		rc = -1;
	}
	st->wb = NULL;
	/* FZREPORT_READBACK: the whole read-back even so (tests run both) */
	if (rc == 0 && getenv("FZREPORT_READBACK") == NULL &&
	    (seen = verify_tapped(st->path, st->name, &tap, err)) < 0)
		rc = -1;
	if (rc == 0 && seen == 0 && verify(st->path, st->name, st->o.jobs, err) < 0)
		rc = -1;
	tap_release(&tap);
	xlsx_abort(st);
	return rc;
}
