/*
 * check.c: the one code path from input files to results, shared by
 * check, rollup and audit: load, analyse, run the rule packs -- on all
 * cores, results kept in input order, held whole (checker_run) or handed
 * on one by one as they are ready (checker_stream).
 *
 * The pipeline, top to bottom; each stage calls only the stages below it:
 *
 *   check.c        the run: files, threads, order, the batch of reports
 *   rules_run.c    the rules on one analysed report (rules_*.c, kind_*.c;
 *                  the batch comparison in kind_similar.c)
 *   analyse.c      the analysis of one report, stage after stage (the
 *                  normalised copy first, see norm.c below):
 *   sections.c       the required parts
 *   meta.c           title, unit, year, 文号, 主送, 署名, date
 *   outline.c        title and heading outline
 *   load.c         loading: read a file, tell its format, pick the loader
 *   load_docx.c    the .docx loader, with its styles (docx_styles.c),
 *                  numbering (docx_numbering.c) and runs (docx_chunk.c)
 *   docx_part.c    a part of the package and its XML
 *   docx_xml.c     lean trees, and plain Word XML read without libxml2's parser
 *   load_text.c    the plain-text loader (UTF-8, UTF-16, GB18030)
 *   doc.c          the loaded report the loaders fill: paragraphs,
 *                  breaks, notes, limits
 *   analysis.c     helpers all analysis stages share (positions,
 *                  excerpts, numerals, pattern lists, the unit a body names)
 *   norm.c         the normalised copy and its map to the original
 *   rules_match.c  compiled patterns and matching
 *   textindex.c    where each character pair occurs (the matching's prefilter)
 *   inputs.c       the files a command line names
 *   rules_yaml.c   reading a rule file's YAML nodes (with line and column)
 *   utf8.c, util.c
 *
 * and the results go to result.c and the renderers (render_*.c).
 *
 * The rule pack is loaded once before the run (rules_load.c), which finds
 * each rule's kind in the table of rules_kinds.c; a kind's functions are
 * called through that table and use the runner's helpers (rules_run.c).
 *
 * load_docx.c and the docx_*.c files, like the workbook, PDF and server
 * back-ends, are built into fzreport-ext.so, which the program loads at
 * their first use; load.c calls load_docx_mem() through ext_stub.c's
 * stand-in, in the same direction as before.
 */
#include "check.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis_int.h"
#include "diag.h"
#include "layout.h"
#include "rules_batch.h"

struct checker {
	struct rulepack pack;
	struct check_opts opts;
};

struct checker *
checker_new(const struct check_opts *o, struct error *err)
{
	struct checker *c = xcalloc(1, sizeof(*c));
	char *path;
	size_t i;

	c->opts = *o;
#ifdef __GLIBC__
	/*
	 * Each report allocates and frees its analysis, index and output
	 * (a few hundred KB): with the default thresholds glibc gives the
	 * top of the heap back after every report and faults it in again
	 * for the next (a fifth of the run in brk and page faults).  Keep
	 * freed memory for reuse; the peak stays the same.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 4 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
	rules_init(&c->pack);
	path = xasprintf("%s/default.yaml", rules_default_path());
	if (rules_load(&c->pack, path, err) == -1) {
		free(path);
		checker_free(c);
		return NULL;
	}
	free(path);
	for (i = 0; i < o->nrule_files; i++)
		if (rules_load(&c->pack, o->rule_files[i], err) == -1) {
			checker_free(c);
			return NULL;
		}
	return c;
}

void
checker_free(struct checker *c)
{
	if (c == NULL)
		return;
	rules_release(&c->pack);
	free(c);
}

const struct rulepack *
checker_rules(const struct checker *c)
{
	return &c->pack;
}

/* Check one file into res (result_init()ed). */
static void
check_one(struct checker *c, const char *path, struct result *res, struct matcher *m,
	struct batch *b, size_t item)
{
	struct doc d;
	struct error err;
	size_t i;
	int rc;

	doc_init(&d);
	res->file = xstrdup(path);
	for (i = 0; i < c->pack.npack; i++) {
		res->packs = xrealloc(res->packs, (i + 1) * sizeof(*res->packs));
		res->packs[i].name = xstrdup(c->pack.packs[i].name ? c->pack.packs[i].name : "");
		res->packs[i].version = xstrdup(c->pack.packs[i].version ? c->pack.packs[i].version : "");
		res->npack = i + 1;
	}
	rc = doc_load(path, &d, &err);
	res->format = xstrdup(d.format == DOCFMT_DOCX ? "docx" : "txt");
	if (rc == -1) {
		/* the loaders' messages say what is wrong and at which byte */
		res->error = xstrdup(err.msg);
		result_add_finding(res, diag_rule(DIAG_READ_FAILED), SEV_FATAL,
		    err.line > 0 ? (int)err.line : 0, err.column > 0 ? (int)err.column : 0, err.msg,
		    NULL, NULL, NULL);
		doc_release(&d);
		result_finish(res);
		return;
	}
	res->encoding = xstrdup(d.encoding);
	{
		struct analysis a;
		struct check_ctx ctx;

		analysis_init(&a);
		analyse(&c->pack, &d, &a, res, m);
		for (i = 0; i < d.nnote; i++)
			result_add_finding(res, diag_rule(d.notes[i].code), diag_severity(d.notes[i].code),
			    d.notes[i].line, d.notes[i].column, diag_message(d.notes[i].code),
			    d.notes[i].detail, NULL, NULL);
		res->layout_json = layout_to_json(&d);
		ctx.doc = &d;
		ctx.an = &a;
		ctx.res = res;
		ctx.m = m;
		ctx.batch = b;
		ctx.item = item;
		ctx.in_batch = b != NULL;
		rules_run(&c->pack, &ctx);
		batch_report_done(b, item);
		analysis_release(&a);
	}
	/* drop findings below --min-severity */
	if (c->opts.min_severity > SEV_INFO) {
		size_t k = 0;

		for (i = 0; i < res->nfinding; i++) {
			struct finding *f = &res->findings[i];

			if (f->severity >= c->opts.min_severity)
				res->findings[k++] = *f;
			else
				finding_release(f);
		}
		res->nfinding = k;
	}
	doc_release(&d);
	result_finish(res);
}

struct work {
	struct checker *c;
	char **paths;
	size_t n;
	struct result *out;
	struct batch *b;
	size_t next, done;
	pthread_mutex_t lock;
	void (*progress)(size_t, size_t, void *);
	void *arg;
};

static void *
worker(void *arg)
{
	struct work *w = arg;
	struct matcher *m = matcher_new();

	for (;;) {
		size_t i;

		pthread_mutex_lock(&w->lock);
		i = w->next++;
		pthread_mutex_unlock(&w->lock);
		if (i >= w->n)
			break;
		check_one(w->c, w->paths[i], &w->out[i], m, w->b, i);
		pthread_mutex_lock(&w->lock);
		w->done++;
		if (w->progress)
			w->progress(w->done, w->n, w->arg);
		pthread_mutex_unlock(&w->lock);
	}
	matcher_free(m);
	return NULL;
}

int
checker_run(struct checker *c, char **paths, size_t n, struct result *out,
	void (*progress)(size_t done, size_t total, void *arg), void *arg)
{
	struct work w;
	pthread_t *th;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nth = c->opts.jobs > 0 ? (size_t)c->opts.jobs : (size_t)(ncpu > 0 ? ncpu : 1), i;

	for (i = 0; i < n; i++)
		result_init(&out[i]);
	if (nth > n)
		nth = n;
	memset(&w, 0, sizeof(w));
	w.c = c;
	w.paths = paths;
	w.n = n;
	w.out = out;
	w.progress = progress;
	w.arg = arg;
	w.b = batch_new(out, paths, n, c->opts.min_severity);
	if (c->opts.previous) {
		struct error err;

		if (batch_previous(w.b, &c->pack, c->opts.previous, c->opts.jobs, &err) == -1)
			diag_warn("--previous %s: %s", c->opts.previous, err.msg);
	}
	pthread_mutex_init(&w.lock, NULL);
	if (nth <= 1) {
		worker(&w);
	} else {
		th = xcalloc(nth, sizeof(*th));
		for (i = 0; i < nth; i++)
			if (pthread_create(&th[i], NULL, worker, &w) != 0)
				break;
		if (i == 0)
			worker(&w);
		nth = i;
		for (i = 0; i < nth; i++)
			pthread_join(th[i], NULL);
		free(th);
	}
	pthread_mutex_destroy(&w.lock);
	rules_batch_finish(&c->pack, w.b);
	batch_free(w.b);
	return 0;
}

/*
 * Streaming.  Workers take the files in order and check each into a slot
 * of a ring of `win` results; the calling thread hands them to emit() in
 * input order and frees the slot, which lets the workers run ahead by at
 * most win files.  With a batch rule, a first pass computes every
 * report's sketch (its analysis and the similar rules only), so that the
 * second can add the comparison findings to each report as it is done;
 * a caller that can take them after the last report (late()) gets one
 * pass that makes the sketches as it checks.
 */
#define STREAM_WINDOW 64
/* Results the emitter waits for at once (at most STREAM_WINDOW). */
#define EMIT_RUN 16
/*
 * With a batch rule, a run of up to this many reports is held whole (about
 * 15 KB a result: 30 MB) and checked in one pass; a larger one is read
 * twice (the first pass, outline and metadata only, costs about a fifth
 * of a full check) so that memory stays bounded by the window.
 */
#define STREAM_HOLD 2048

struct stream {
	struct checker *c;
	char **paths;
	size_t n;
	struct batch *b;
	int batch_on;              /* the reports are compared */
	int sketch_pass;           /* first pass: sketches only */
	int compare_after;         /* one pass: the comparisons after it (late()) */
	struct result *ring;
	unsigned char *ready;
	size_t win;
	size_t next, emitted;      /* next file to take, next result to emit */
	size_t want_from, want_to; /* the emitter sleeps until these are ready (want_to 0: awake) */
	pthread_mutex_t lock;
	pthread_cond_t more, done; /* a slot is free / a result is ready */
};

/* First pass over one file: its sketch (the similar rules, nothing kept). */
static void
sketch_one(struct checker *c, const char *path, struct matcher *m, struct batch *b, size_t item)
{
	struct doc d;
	struct error err;
	struct result res;

	doc_init(&d);
	result_init(&res);
	if (doc_load(path, &d, &err) == 0) {
		struct analysis a;
		struct check_ctx ctx;

		analysis_init(&a);
		analyse_body(&c->pack, &d, &a, &res, m);
		ctx.doc = &d;
		ctx.an = &a;
		ctx.res = &res;
		ctx.m = m;
		ctx.batch = b;
		ctx.item = item;
		ctx.in_batch = 1;
		rules_run_similar(&c->pack, &ctx);
		batch_report_done(b, item);
		analysis_release(&a);
	}
	result_release(&res);
	doc_release(&d);
}

/*
 * Are the results the emitter waits for all ready?  It waits for a run of
 * them (EMIT_RUN), not for the next one alone: it then emits the run
 * while the workers go on, instead of waking (and taking a CPU from a
 * worker) once a report.  Called under the lock.
 */
static int
batch_ready(const struct stream *s)
{
	size_t j;

	for (j = s->want_from; j < s->want_to; j++)
		if (!s->ready[j % s->win])
			return 0;
	return 1;
}

static void *
stream_worker(void *arg)
{
	struct stream *s = arg;
	struct matcher *m = matcher_new();

	for (;;) {
		size_t i;

		pthread_mutex_lock(&s->lock);
		while (!s->sketch_pass && s->next < s->n && s->next - s->emitted >= s->win)
			pthread_cond_wait(&s->more, &s->lock);
		i = s->next++;
		pthread_mutex_unlock(&s->lock);
		if (i >= s->n)
			break;
		if (s->sketch_pass) {
			sketch_one(s->c, s->paths[i], m, s->b, i);
			continue;
		}
		check_one(s->c, s->paths[i], &s->ring[i % s->win], m, s->b, i);
		if (s->batch_on && !s->compare_after)
			rules_batch_one(&s->c->pack, s->b, i, &s->ring[i % s->win]);
		pthread_mutex_lock(&s->lock);
		s->ready[i % s->win] = 1;
		if (s->want_to > 0 && i >= s->want_from && i < s->want_to && batch_ready(s))
			pthread_cond_signal(&s->done);
		pthread_mutex_unlock(&s->lock);
	}
	matcher_free(m);
	return NULL;
}

/* Run stream_worker on nth threads (here when there is one) until every file is taken. */
static void
stream_threads(struct stream *s, size_t nth, pthread_t *th, size_t *started)
{
	size_t i;

	*started = 0;
	if (nth <= 1)
		return;
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, stream_worker, s) != 0)
			break;
	*started = i;
}

static int
stream_run(struct checker *c, char **paths, size_t n,
	void (*emit)(struct result *r, size_t i, void *arg),
	void (*late)(struct result *r, size_t i, void *arg), void *arg)
{
	struct stream s;
	struct matcher *m = NULL;
	pthread_t *th;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nth = c->opts.jobs > 0 ? (size_t)c->opts.jobs : (size_t)(ncpu > 0 ? ncpu : 1);
	size_t i, started, hold;

	if (nth > n)
		nth = n;
	memset(&s, 0, sizeof(s));
	s.c = c;
	s.paths = paths;
	s.n = n;
	s.b = batch_new(NULL, paths, n, c->opts.min_severity);
	s.batch_on = n > 1 && rules_batch_active(&c->pack, s.b);
	/* FZREPORT_STREAM_HOLD: another bound (tests run the two passes on a few files) */
	hold = getenv("FZREPORT_STREAM_HOLD") ? strtoul(getenv("FZREPORT_STREAM_HOLD"), NULL, 10)
					       : STREAM_HOLD;
	if (s.batch_on && n <= hold) {
		/* a small batch costs less held whole than read twice */
		struct result *out = xcalloc(n, sizeof(*out));

		batch_free(s.b);
		checker_run(c, paths, n, out, NULL, NULL);
		for (i = 0; i < n; i++) {
			emit(&out[i], i, arg);
			result_release(&out[i]);
		}
		free(out);
		return 0;
	}
	if (c->opts.previous) {
		struct error err;

		if (batch_previous(s.b, &c->pack, c->opts.previous, c->opts.jobs, &err) == -1)
			diag_warn("--previous %s: %s", c->opts.previous, err.msg);
	}
	s.win = STREAM_WINDOW + 4 * nth;
	s.ring = xcalloc(s.win, sizeof(*s.ring));
	s.ready = xcalloc(s.win, 1);
	for (i = 0; i < s.win; i++)
		result_init(&s.ring[i]);
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.more, NULL);
	pthread_cond_init(&s.done, NULL);
	th = xcalloc(nth ? nth : 1, sizeof(*th));
	s.compare_after = s.batch_on && late != NULL;
	if (s.batch_on && !s.compare_after) {
		s.sketch_pass = 1;
		stream_threads(&s, nth, th, &started);
		if (started == 0)
			stream_worker(&s);
		for (i = 0; i < started; i++)
			pthread_join(th[i], NULL);
		s.sketch_pass = 0;
		s.next = 0;
		batch_index(s.b);
	}
	stream_threads(&s, nth, th, &started);
	if (started == 0)
		m = matcher_new();
	for (i = 0; i < n; i++) {
		struct result *r = &s.ring[i % s.win];

		if (started == 0) {
			/* one thread: check the file here, then hand it on */
			check_one(c, paths[i], r, m, s.b, i);
			if (s.batch_on && !s.compare_after)
				rules_batch_one(&c->pack, s.b, i, r);
		} else {
			pthread_mutex_lock(&s.lock);
			if (!s.ready[i % s.win]) {
				s.want_from = i;
				s.want_to = i + EMIT_RUN < n ? i + EMIT_RUN : n;
				while (!batch_ready(&s))
					pthread_cond_wait(&s.done, &s.lock);
				s.want_to = 0;
			}
			pthread_mutex_unlock(&s.lock);
		}
		emit(r, i, arg);
		result_release(r);
		result_init(r);
		pthread_mutex_lock(&s.lock);
		s.ready[i % s.win] = 0;
		s.emitted = i + 1;
		pthread_cond_broadcast(&s.more);
		pthread_mutex_unlock(&s.lock);
	}
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (s.compare_after) {
		/* every sketch is made: the comparisons of each report, as the second pass would add them */
		batch_index(s.b);
		for (i = 0; i < n; i++) {
			struct result lr;

			result_init(&lr);
			rules_batch_one(&c->pack, s.b, i, &lr);
			if (lr.nfinding > 0)
				late(&lr, i, arg);
			result_release(&lr);
		}
	}
	matcher_free(m);
	free(th);
	pthread_cond_destroy(&s.more);
	pthread_cond_destroy(&s.done);
	pthread_mutex_destroy(&s.lock);
	for (i = 0; i < s.win; i++)
		result_release(&s.ring[i]);
	free(s.ring);
	free(s.ready);
	batch_free(s.b);
	return 0;
}

int
checker_stream(struct checker *c, char **paths, size_t n,
	void (*emit)(struct result *r, size_t i, void *arg), void *arg)
{
	return stream_run(c, paths, n, emit, NULL, arg);
}

int
checker_stream_late(struct checker *c, char **paths, size_t n,
	void (*emit)(struct result *r, size_t i, void *arg),
	void (*late)(struct result *r, size_t i, void *arg), void *arg)
{
	return stream_run(c, paths, n, emit, late, arg);
}
