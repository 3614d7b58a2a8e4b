/*
 * check.h: one code path from an input file to a struct result --
 * load, analyse (outline, metadata, sections), run the rule packs.
 * check, rollup and audit all go through checker_run().
 *
 * struct check_ctx is what a check kind sees of one analysed document.
 */
#ifndef FZ_CHECK_H
#define FZ_CHECK_H

#include <stddef.h>

#include "doc.h"
#include "norm.h"
#include "result.h"
#include "rules.h"

/* A byte range [off, end) in doc->text. */
struct span {
	size_t off, end;
};

/* What the analysis knows about one document, beyond the struct result. */
struct analysis {
	const struct doc *doc;
	struct normtext norm;      /* normalised copy of doc->text (norm.map leads back) */
	struct span *node_head;    /* per outline node: its heading text (numbering included) */
	struct span *node_body;    /* per outline node: the heading and everything under it */
	struct span *section;      /* per result section: its content, {0,0} if missing */
	struct span body;          /* the report body: after title/addressee, before 落款 */
	struct span title;         /* the title lines, {0,0} if none */
	size_t *line_off;          /* per paragraph: byte offset in doc->text (para[i].off) */
	struct textindex *lits;    /* character pairs of norm, for the rules' prefilter */
	size_t *colmark;           /* characters in doc->text before each 256-byte block */
	long *viscnt;              /* 字数 before each 256-byte block (analysis_vismarks) */
};

/* Position (1-based line and column) of byte offset off in doc->text. */
void analysis_pos(const struct analysis *a, size_t off, int *line, int *column);
/*
 * The sentence around the original span [off, off+len), at most about 80
 * characters, as a new string the caller frees; *mark is the byte offset
 * of the span within it.
 */
char *analysis_excerpt(const struct analysis *a, size_t off, size_t len, long *mark);
/* Normalised span [*no, *ne) that covers the original span sp. */
void analysis_norm_span(const struct analysis *a, struct span sp, size_t *no, size_t *ne);

struct batch;  /* the whole run, for checks that compare reports (similar) */
struct cptext; /* the normalised text as code points (rules_run.c) */

struct check_ctx {
	const struct doc *doc;
	const struct analysis *an;
	struct result *res;
	struct matcher *m;
	const struct batch *batch;   /* may be NULL */
	size_t item;                 /* the report's index in the batch, when in_batch */
	int in_batch;
	struct cptext *cpt;          /* set by rules_run(), rules_run_similar(): rules_codepoints() */
};

/* Options of a run. */
struct check_opts {
	const char **rule_files;     /* --rules, layered over the default pack */
	size_t nrule_files;
	const char *previous;        /* --previous FILE or DIR */
	enum severity min_severity;  /* findings below are dropped */
	int jobs;                    /* worker threads, 0 = number of CPUs */
};

struct checker;

/*
 * Load the rule packs.  Returns a checker the caller frees with
 * checker_free(), or NULL with err filled (file:line:column of the
 * rule-file problem).
 */
struct checker *checker_new(const struct check_opts *o, struct error *err);
void checker_free(struct checker *c);
const struct rulepack *checker_rules(const struct checker *c);

/*
 * Check n files into out[0..n) (caller-allocated, each result_init()ed
 * here and released by the caller).  An unreadable file gives a result
 * with error set and verdict unreadable; it is never dropped.  Results
 * keep the input order whatever the number of threads.  progress, if not
 * NULL, is called after each file.  Returns 0.
 */
int checker_run(struct checker *c, char **paths, size_t n, struct result *out,
	void (*progress)(size_t done, size_t total, void *arg), void *arg);

/*
 * Check n files like checker_run(), handing each result to emit() in
 * input order as soon as it and every one before it are done; emit()
 * may keep nothing of it (the result is released after it returns).
 * Only a window of results is held, whatever n.  When the reports are
 * compared with each other (a batch rule), a first pass over all files
 * keeps a fixed-size sketch of each.  Returns 0.
 */
int checker_stream(struct checker *c, char **paths, size_t n,
	void (*emit)(struct result *r, size_t i, void *arg), void *arg);

/*
 * checker_stream() for a caller that keeps what emit() hands it and can
 * take a report's comparison findings afterwards (rollup): a large run
 * is read once, not twice.  Where checker_stream() would make its first
 * pass, emit() gets each result without the findings that compare it
 * with the other reports; once the last is emitted, late() gets those
 * findings of report i as a result of their own (sorted, counted, no
 * file), for each report that has any, in input order.  Otherwise the
 * same as checker_stream(), and late() is not called.
 */
int checker_stream_late(struct checker *c, char **paths, size_t n,
	void (*emit)(struct result *r, size_t i, void *arg),
	void (*late)(struct result *r, size_t i, void *arg), void *arg);

/*
 * Analyse a loaded document (outline, metadata, sections) into res and a
 * (caller-initialised with analysis_init) analysis; no rules are run.
 */
void analysis_init(struct analysis *a);
void analysis_release(struct analysis *a);
void analyse(const struct rulepack *p, const struct doc *d, struct analysis *a, struct result *res,
	struct matcher *m);

/*
 * Expand command-line inputs: files as given; directories recursively,
 * keeping .txt, .docx, .doc, .wps and .jsonl files, sorted by name.
 * Returns a NULL-terminated array the caller frees with free_paths().
 */
char **expand_inputs(char **args, int nargs, size_t *n);
void free_paths(char **paths, size_t n);

#endif
