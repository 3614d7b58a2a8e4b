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

void
analyse(const struct rulepack *p, const struct doc *d, struct analysis *a, struct result *res,
	struct matcher *m)
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
	const struct batch *b)
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
		rules_run(&c->pack, &ctx);
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
		check_one(w->c, w->paths[i], &w->out[i], m, w->b);
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
	w.b = batch_new(out, n, c->opts.min_severity);
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
