/*
 * render_xlsx.h: the county's Excel workbook over many results (汇总,
 * 问题明细, 规则统计, 矩阵, 说明), written with libxlsxwriter.
 *
 * Like the other back-ends: xlsx_open(opts), xlsx_render(state, result)
 * once per input, xlsx_close(state).  The workbook needs every result
 * before its first row (it is sorted, and totals and links refer to later
 * rows), so xlsx_render() keeps a compact row of each result in the state
 * and appends its findings to an unlinked temporary file in opts.tmpdir;
 * the caller may release the result right after.  Memory grows by a row a
 * report, not by its findings.  The workbook is written by xlsx_close().
 */
#ifndef FZ_RENDER_XLSX_H
#define FZ_RENDER_XLSX_H

#include <stddef.h>
#include <time.h>

#include "result.h"

struct error;

struct xlsx_opts {
	const char *path;        /* file libxlsxwriter writes (the caller's temp file) */
	const char *name;        /* the workbook's name in messages (the final path) */
	const char *tmpdir;      /* for libxlsxwriter's and the findings' temp files; NULL = $TMPDIR */
	const char *version;     /* fzreport version, for 说明 */
	time_t created;          /* time shown in 说明 and the document properties */
	int created_fixed;       /* created comes from SOURCE_DATE_EPOCH */
	const char *previous;    /* --previous as given (adds the 上年 columns), or NULL */
	const char *similar_rule;/* rule id of the "text like last year's" check, e.g. QUAL-009 */
	int jobs;                /* threads (-j), 0 = as many as CPUs: 1 reads the package back on one */
};

struct xlsx_state;

/* Start a workbook; returns a state freed by xlsx_close().  Never NULL. */
struct xlsx_state *xlsx_open(const struct xlsx_opts *o);

/*
 * Declare a rule of the pack in use, so that 规则统计 and 矩阵 list it even
 * when no report fails it.  The strings are copied.
 */
void xlsx_add_rule(struct xlsx_state *st, const char *id, enum severity sev,
	const char *message);

struct rulepack;
/* xlsx_add_rule() for every enabled rule of p (the required parts' rules included). */
void xlsx_add_rules(struct xlsx_state *st, const struct rulepack *p);

/* The rule of the default pack that compares a report with last year's (xlsx_opts.similar_rule). */
#define XLSX_SIMILAR_RULE "QUAL-009"

/* Flags of xlsx_render(). */
#define XLSX_SIMILAR_CHECKED 1u  /* the similar rule ran on this result (else 与上年相似 is "–") */

/* Add one input (one row of 汇总).  The result is copied.  Returns the row's number (from 0, in the order added). */
size_t xlsx_render(struct xlsx_state *st, const struct result *r, unsigned flags);

/*
 * Findings of an added row that came after it (checker_stream_late():
 * the comparisons with the other reports), as a result of their own
 * (sorted by result_finish()): they join the row's findings in their
 * places, its counts and its verdict, as if they had come with it.  Once
 * a row.  Returns the row's verdict.
 */
enum verdict xlsx_render_late(struct xlsx_state *st, size_t row, const struct result *r);

/* Add a result of last year's (--previous), matched to this year's by unit. */
void xlsx_previous(struct xlsx_state *st, const struct result *r);

/*
 * Write the workbook to opts.path and free the state.  Returns 0, or -1
 * with err filled (libxlsxwriter's message); the caller removes the file.
 */
int xlsx_close(struct xlsx_state *st, struct error *err);

/* Free the state without writing anything. */
void xlsx_abort(struct xlsx_state *st);

#endif
