/*
 * rules_batch.h: the reports of one run seen together, for the checks that
 * compare reports (the similar kind: last year's report given with
 * --previous, and copies among the reports of the same run).
 *
 * checker_run() makes one batch per run: batch_new() over its output
 * array, batch_previous() for --previous, ctx.batch = b for every report,
 * and after all reports are checked rules_batch_finish(), which adds the
 * comparison findings to the results and calls result_finish() on the
 * ones it changed.  The batch owns the fingerprints; batch_free() frees it.
 */
#ifndef FZ_RULES_BATCH_H
#define FZ_RULES_BATCH_H

#include <stddef.h>

#include "result.h"
#include "rules.h"

struct fingerprint;

struct batch {
	struct result *out;          /* the run's results, out[0..n) */
	size_t n;
	struct fingerprint **fp;     /* per report, set by the similar kind (NULL if not run) */
	/* last year's reports (--previous FILE or DIR) */
	struct fingerprint **prev;
	char **prev_path;
	char **prev_unit;            /* unit each names (NULL if unknown) */
	size_t nprev;
	int prev_dir;                /* given as a directory: match by unit */
	enum severity min_severity;  /* findings below are not added */
};

struct batch *batch_new(struct result *out, size_t n, enum severity min_severity);
/*
 * Read last year's reports for --previous: one file (the same unit's
 * report), or a directory whose reports are matched to this year's by
 * their unit (analysed with pack p).  0, or -1 with err set when nothing
 * could be read.
 */
int batch_previous(struct batch *b, const struct rulepack *p, const char *path,
	struct error *err);
/* Compare the reports; add the similar kind's findings. */
void rules_batch_finish(const struct rulepack *p, struct batch *b);
void batch_free(struct batch *b);

#endif
