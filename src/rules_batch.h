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
#include <stdint.h>

#include "result.h"
#include "rules.h"

struct fingerprint;

/*
 * What the batch keeps of a report for the comparison: the smallest
 * hashes of its fingerprint (the Jaccard estimate reads no further) and
 * the fingerprint's size -- the same answer as the whole fingerprint, in
 * a fixed half kilobyte per report.
 */
#define SKETCH 64
struct sketch {
	uint64_t h[SKETCH];
	size_t nh;                   /* hashes kept: min(n, SKETCH) */
	size_t n;                    /* size of the whole fingerprint (0: none) */
	int made;                    /* set from the report's fingerprint */
};

struct sketch_index;

/* One of last year's reports by its unit (the string is prev_unit[k]). */
struct unit_ref {
	const char *unit;
	size_t k;
};

struct batch {
	struct result *out;          /* the run's results, out[0..n) (NULL when streamed) */
	char *const *paths;          /* the run's files (the partner a finding names) */
	size_t n;
	struct fingerprint **fp;     /* per report while it is checked, set by the similar kind */
	struct sketch *sk;           /* per report, from its fingerprint (n 0 if none) */
	/* last year's reports (--previous FILE or DIR) */
	struct fingerprint **prev;
	char **prev_path;
	char **prev_unit;            /* unit each names (NULL if unknown) */
	size_t nprev, capprev;
	struct unit_ref *prev_by_unit; /* a directory: each unit once, with its first report */
	size_t nprev_units;
	int prev_dir;                /* given as a directory: match by unit */
	enum severity min_severity;  /* findings below are not added */
	struct sketch_index *six;    /* the sketches by hash (batch_index()), or NULL */
};

/* out may be NULL (results streamed); paths names the run's files. */
struct batch *batch_new(struct result *out, char *const *paths, size_t n,
	enum severity min_severity);
/*
 * Read last year's reports for --previous: one file (the same unit's
 * report), or a directory whose reports are matched to this year's by
 * their unit (analysed with pack p, on jobs threads; 0: one a CPU).  0,
 * or -1 with err set when nothing could be read.
 */
int batch_previous(struct batch *b, const struct rulepack *p, const char *path, int jobs,
	struct error *err);
/*
 * Every report's sketch is known: index them by hash, so that a report is
 * compared with the reports that share enough of its hashes to reach a
 * threshold, not with every other (rules_batch_one() reads the index when
 * there is one; the answer is the same without it, in time quadratic in
 * the batch).  Call it once, before the comparisons, from one thread.
 */
void batch_index(struct batch *b);
/*
 * Compare the reports; add the similar kind's findings.  The index of
 * sketches is built (batch_index()) when a report first finds no partner
 * among the first few: a batch of near copies never needs it.
 */
void rules_batch_finish(const struct rulepack *p, struct batch *b);
/* The same for report i alone (every report's sketch known), into res. */
void rules_batch_one(const struct rulepack *p, const struct batch *b, size_t i,
	struct result *res);
/* Does p compare the reports of a run with each other (a batch rule on)? */
int rules_batch_active(const struct rulepack *p, const struct batch *b);
/* Report i is checked: its whole fingerprint is dropped, its sketch kept. */
void batch_report_done(struct batch *b, size_t i);
void batch_free(struct batch *b);

#endif
