/*
 * check.c: the one code path from input files to results, shared by
 * check, rollup and audit: load, analyse, run the rule packs -- on all
 * cores, results kept in input order.
 */
#include "check.h"

#include <dirent.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis_int.h"
#include "diag.h"
#include "layout.h"
#include "rules_batch.h"
#include "textindex.h"
#include "utf8.h"

struct checker {
	struct rulepack pack;
	struct check_opts opts;
};

void
analysis_init(struct analysis *a)
{
	memset(a, 0, sizeof(*a));
	norm_init(&a->norm);
}

void
analysis_release(struct analysis *a)
{
	norm_release(&a->norm);
	free(a->node_head);
	free(a->node_body);
	free(a->section);
	free(a->line_off);
	if (a->lits) {
		textindex_release(a->lits);
		free(a->lits);
	}
	memset(a, 0, sizeof(*a));
}

void
analysis_pos(const struct analysis *a, size_t off, int *line, int *column)
{
	const struct doc *d = a->doc;
	size_t lo = 0, hi = d->npara, mid;

	if (d->npara == 0) {
		*line = 1;
		*column = 1;
		return;
	}
	/* last paragraph starting at or before off */
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (d->paras[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = d->paras[lo].line;
	*column = 1 + (int)utf8_count(d->text + d->paras[lo].off,
	    off > d->paras[lo].off ? off - d->paras[lo].off : 0);
}

/* First normalised offset whose original offset is >= off. */
static size_t
norm_lower(const struct analysis *a, size_t off)
{
	size_t lo = 0, hi = a->norm.len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (a->norm.map[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
analysis_norm_span(const struct analysis *a, struct span sp, size_t *no, size_t *ne)
{
	*no = norm_lower(a, sp.off);
	*ne = norm_lower(a, sp.end);
	if (*ne < *no)
		*ne = *no;
}

static int
is_sentence_end(uint32_t cp)
{
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == '\n';
}

char *
analysis_excerpt(const struct analysis *a, size_t off, size_t len, long *mark)
{
	const char *t = a->doc->text;
	size_t n = a->doc->len, b = off, e = off + len, l, back = 0, fwd = 0;
	struct buf out;

	/* back to the start of the sentence, at most 40 characters */
	while (b > 0 && back < 40) {
		size_t p = b - 1;
		uint32_t cp;

		while (p > 0 && ((unsigned char)t[p] & 0xC0) == 0x80)
			p--;
		cp = utf8_decode(t + p, b - p, &l);
		if (is_sentence_end(cp))
			break;
		b = p;
		back++;
	}
	/* forward to the end of the sentence, at most 40 characters */
	while (e < n && fwd < 40) {
		uint32_t cp = utf8_decode(t + e, n - e, &l);

		if (cp == '\n')
			break;
		e += l;
		fwd++;
		if (is_sentence_end(cp))
			break;
	}
	while (b < off && (t[b] == ' ' || t[b] == '\t'))
		b++;
	buf_init(&out);
	buf_add(&out, t + b, e - b);
	*mark = (long)(off - b);
	return buf_detach(&out);
}

/* Normalised paragraph ranges: the copy keeps each '\n'. */
static void
para_ranges(const struct doc *d, const struct analysis *a, struct para_ranges *pr)
{
	size_t i, k = 0;

	pr->nb = xcalloc(d->npara + 1, sizeof(size_t));
	pr->ne = xcalloc(d->npara + 1, sizeof(size_t));
	for (i = 0; i < d->npara; i++) {
		pr->nb[i] = k;
		while (k < a->norm.len && a->norm.s[k] != '\n')
			k++;
		pr->ne[i] = k;
		if (k < a->norm.len)
			k++;
	}
}

/*
 * The stages of analyse(); without full, only as far as the body span and
 * the metadata (what the first pass of a streamed run needs).
 */
static void
analyse_stages(const struct rulepack *p, const struct doc *d, struct analysis *a,
	struct result *res, struct matcher *m, int full)
{
	struct para_ranges pr;
	size_t i;

	a->doc = d;
	norm_text(&a->norm, d->text ? d->text : "", d->len);
	para_ranges(d, a, &pr);
	a->line_off = xcalloc(d->npara + 1, sizeof(size_t));
	for (i = 0; i < d->npara; i++)
		a->line_off[i] = d->paras[i].off;
	a->body.off = 0;
	a->body.end = d->len;
	outline_build(p, d, a, res, m, &pr);
	meta_extract(d, a, res, &pr);
	if (!full) {
		free(pr.nb);
		free(pr.ne);
		return;
	}
	sections_assign(p, d, a, res, m);
	res->chars = 0;
	{
		struct span all = {a->body.off, a->body.end};
		size_t l;

		for (i = all.off; i < all.end; i += l ? l : 1) {
			uint32_t cp = utf8_decode(d->text + i, d->len - i, &l);

			if (cp != ' ' && cp != '\t' && cp != '\n' && cp != '\r' && cp != 0x3000 &&
			    cp != 0xA0)
				res->chars++;
		}
	}
	free(pr.nb);
	free(pr.ne);
	a->lits = xmalloc(sizeof(*a->lits));
	textindex_build(a->lits, a->norm.s, a->norm.len);
}

void
analyse(const struct rulepack *p, const struct doc *d, struct analysis *a, struct result *res,
	struct matcher *m)
{
	analyse_stages(p, d, a, res, m, 1);
}

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

		if (batch_previous(w.b, &c->pack, c->opts.previous, &err) == -1)
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
 * second can add the comparison findings to each report as it is done.
 */
#define STREAM_WINDOW 64
/* with a batch rule, runs up to this many reports are held whole (one pass) */
#define STREAM_HOLD 500

struct stream {
	struct checker *c;
	char **paths;
	size_t n;
	struct batch *b;
	int batch_on;              /* the reports are compared */
	int sketch_pass;           /* first pass: sketches only */
	struct result *ring;
	unsigned char *ready;
	size_t win;
	size_t next, emitted;      /* next file to take, next result to emit */
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
		analyse_stages(&c->pack, &d, &a, &res, m, 0);
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
		if (s->batch_on)
			rules_batch_one(&s->c->pack, s->b, i, &s->ring[i % s->win]);
		pthread_mutex_lock(&s->lock);
		s->ready[i % s->win] = 1;
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

int
checker_stream(struct checker *c, char **paths, size_t n,
	void (*emit)(struct result *r, size_t i, void *arg), void *arg)
{
	struct stream s;
	struct matcher *m = NULL;
	pthread_t *th;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nth = c->opts.jobs > 0 ? (size_t)c->opts.jobs : (size_t)(ncpu > 0 ? ncpu : 1);
	size_t i, started;

	if (nth > n)
		nth = n;
	memset(&s, 0, sizeof(s));
	s.c = c;
	s.paths = paths;
	s.n = n;
	s.b = batch_new(NULL, paths, n, c->opts.min_severity);
	s.batch_on = n > 1 && rules_batch_active(&c->pack, s.b);
	if (s.batch_on && n <= STREAM_HOLD) {
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

		if (batch_previous(s.b, &c->pack, c->opts.previous, &err) == -1)
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
	if (s.batch_on) {
		s.sketch_pass = 1;
		stream_threads(&s, nth, th, &started);
		if (started == 0)
			stream_worker(&s);
		for (i = 0; i < started; i++)
			pthread_join(th[i], NULL);
		s.sketch_pass = 0;
		s.next = 0;
	}
	stream_threads(&s, nth, th, &started);
	if (started == 0)
		m = matcher_new();
	for (i = 0; i < n; i++) {
		struct result *r = &s.ring[i % s.win];

		if (started == 0) {
			/* one thread: check the file here, then hand it on */
			check_one(c, paths[i], r, m, s.b, i);
			if (s.batch_on)
				rules_batch_one(&c->pack, s.b, i, r);
		} else {
			pthread_mutex_lock(&s.lock);
			while (!s.ready[i % s.win])
				pthread_cond_wait(&s.done, &s.lock);
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

static int
wanted(const char *name)
{
	static const char *const ext[] = {".txt", ".docx", ".doc", ".wps", ".jsonl", NULL};
	size_t n = strlen(name);
	int k;

	if (name[0] == '.')
		return 0;
	for (k = 0; ext[k]; k++) {
		size_t e = strlen(ext[k]);

		if (n > e && strcasecmp(name + n - e, ext[k]) == 0)
			return 1;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add_path(char ***v, size_t *n, size_t *cap, char *p)
{
	xgrow(v, cap, *n + 2, sizeof(char *));
	(*v)[(*n)++] = p;
	(*v)[*n] = NULL;
}

/* Add the wanted files under dir, recursively, in name order. */
static void
walk(const char *dir, char ***v, size_t *n, size_t *cap, int depth)
{
	DIR *dp;
	struct dirent *e;
	char **names = NULL;
	size_t nn = 0, nc = 0, i;

	if (depth > 32)
		return;
	if ((dp = opendir(dir)) == NULL) {
		/* a folder that cannot be listed is an input that cannot be
		 * read: the loader says why, the township does not vanish */
		if (depth > 0)
			add_path(v, n, cap, xstrdup(dir));
		return;
	}
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || e->d_name[0] == '.')
			continue;
		xgrow(&names, &nc, nn + 1, sizeof(char *));
		names[nn++] = xstrdup(e->d_name);
	}
	closedir(dp);
	if (nn > 1)
		qsort(names, nn, sizeof(char *), cmp_str);
	for (i = 0; i < nn; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		struct stat st;

		int link = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);

		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			/* symbolic links to folders are not followed: two links
			 * to "." would never end, one lists every report twice */
			if (!link)
				walk(p, v, n, cap, depth + 1);
			free(p);
		} else if (wanted(names[i])) {
			/* pipes and broken links too: the loader says why they
			 * cannot be read */
			add_path(v, n, cap, p);
		} else {
			free(p);
		}
		free(names[i]);
	}
	free(names);
}

char **
expand_inputs(char **args, int nargs, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	int i;

	*n = 0;
	xgrow(&v, &cap, 1, sizeof(char *));
	v[0] = NULL;
	for (i = 0; i < nargs; i++) {
		struct stat st;

		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t l = strlen(args[i]);
			char *d = xstrdup(args[i]);

			while (l > 1 && d[l - 1] == '/')
				d[--l] = '\0';
			walk(d, &v, n, &cap, 0);
			free(d);
		} else {
			add_path(&v, n, &cap, xstrdup(args[i]));
		}
	}
	return v;
}

void
free_paths(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
