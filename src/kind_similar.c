/*
 * kind_similar.c: the share of a report's text found in another report --
 * last year's report of the same unit (--previous) or another report of
 * the same run (a copy).  Each report gets a fingerprint: the hashes of
 * its n-grams of Chinese characters and digits, one in eight kept by
 * value; the share of A in B is |A ∩ B| / |A|.  Reports of one run are
 * compared in rules_batch_finish() after all of them are checked.
 *
 *   similar: {against: previous, threshold: 0.6, ngram: 5}
 *   similar: {against: batch, threshold: 0.8}
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "rules_batch.h"
#include "rules_int.h"
#include "utf8.h"

extern const struct check_kind kind_similar;

#define SAMPLE 8  /* keep hashes h with h % SAMPLE == 0 */

struct similar {
	int batch;  /* 0: against --previous */
	double threshold;
	long ngram;
};

static int
similar_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"against", "threshold", "ngram", NULL};
	struct similar *t = c->data;
	yaml_node_t *v;

	if (t == NULL) {
		c->data = t = xcalloc(1, sizeof(*t));
		t->threshold = 0.6;
		t->ngram = 5;
	}
	if (ry_keys(doc, n, keys, "similar", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "against"))) {
		const char *s = ry_str(v, "against", err);

		if (s == NULL)
			return -1;
		if (strcmp(s, "previous") == 0)
			t->batch = 0;
		else if (strcmp(s, "batch") == 0)
			t->batch = 1;
		else
			return ry_error(v, err, "against 应为 previous 或 batch，而不是“%s”", s);
	}
	if ((v = ry_get(doc, n, "threshold")) && ry_double(v, "threshold", &t->threshold, err) == -1)
		return -1;
	if (t->threshold <= 0 || t->threshold > 1)
		return ry_error(v, err, "threshold 应在 0 到 1 之间");
	if ((v = ry_get(doc, n, "ngram")) && ry_int(v, "ngram", &t->ngram, err) == -1)
		return -1;
	if (t->ngram < 2 || t->ngram > 32)
		return ry_error(v, err, "ngram 应在 2 到 32 之间");
	return 0;
}

/* Sort h[0..n) ascending: least significant byte first, a pass skipped where every key has the same byte. */
static void
radix_sort_u64(uint64_t *h, size_t n)
{
	uint64_t *tmp = xmalloc(n * sizeof(*tmp)), *from = h, *to = tmp, *sw;
	size_t cnt[256], i, sum, c;
	int shift;

	for (shift = 0; shift < 64; shift += 8) {
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[(from[i] >> shift) & 0xFF]++;
		if (cnt[(from[0] >> shift) & 0xFF] == n)
			continue;
		for (i = 0, sum = 0; i < 256; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[cnt[(from[i] >> shift) & 0xFF]++] = from[i];
		sw = from;
		from = to;
		to = sw;
	}
	if (from != h)
		memcpy(h, from, n * sizeof(*h));
	free(tmp);
}

/*
 * Sort the hashes h[0..n) ascending.  They are uniform: one counting pass
 * on the top byte leaves buckets of about n / 256 hashes, which an
 * insertion sort puts in order with a few moves each (a report has a few
 * hundred); many (a long text) are sorted by radix.
 */
static void
sort_u64(uint64_t *h, size_t n)
{
	uint64_t *tmp;
	size_t cnt[256], i, j, sum, c;

	if (n > 8192) {
		radix_sort_u64(h, n);
		return;
	}
	tmp = xmalloc((n ? n : 1) * sizeof(*tmp));
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++)
		cnt[h[i] >> 56]++;
	for (i = 0, sum = 0; i < 256; i++) {
		c = cnt[i];
		cnt[i] = sum;
		sum += c;
	}
	for (i = 0; i < n; i++)
		tmp[cnt[h[i] >> 56]++] = h[i];
	for (i = 0; i < n; i++) {
		uint64_t x = tmp[i];

		for (j = i; j > 0 && h[j - 1] > x; j--)
			h[j] = h[j - 1];
		h[j] = x;
	}
	free(tmp);
}

/* One character into an FNV-1a hash. */
static inline uint64_t
fnv_step(uint64_t x, uint32_t c)
{
	return (x ^ c) * 1099511628211ULL;
}

/* FNV-1a of the g characters at w (the default 5 unrolled), mixed by splitmix64's finaliser. */
static inline uint64_t
gram_hash(const uint32_t *w, size_t g)
{
	uint64_t x = 1469598103934665603ULL;
	size_t j;

	if (g == 5) {
		x = fnv_step(fnv_step(fnv_step(fnv_step(fnv_step(x, w[0]), w[1]), w[2]), w[3]),
		    w[4]);
	} else {
		for (j = 0; j < g; j++)
			x = fnv_step(x, w[j]);
	}
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return x;
}

void
fingerprint_of(struct fingerprint *fp, const uint32_t *cp, size_t n, int gram)
{
	uint32_t *a = xmalloc((n ? n : 1) * sizeof(*a));
	size_t i, m = 0, cap = 0, u, g = (size_t)gram;
	uint64_t *h = NULL;

	fp->h = NULL;
	fp->n = 0;
	/* the characters that count, then the hash of each run of g of them */
	for (i = 0; i < n; i++)
		if (utf8_is_han(cp[i]) || (cp[i] >= '0' && cp[i] <= '9'))
			a[m++] = cp[i];
	for (i = 0; i + g <= m; i++) {
		uint64_t x = gram_hash(a + i, g);

		if (x % SAMPLE)
			continue;
		if (fp->n == cap)
			xgrow(&h, &cap, fp->n + 1, sizeof(*h));
		h[fp->n++] = x;
	}
	free(a);
	if (fp->n == 0) {
		free(h);
		return;
	}
	sort_u64(h, fp->n);
	for (i = 1, u = 1; i < fp->n; i++)
		if (h[i] != h[u - 1])
			h[u++] = h[i];
	fp->n = u;
	fp->h = h;
}

void
fingerprint_make(struct fingerprint *fp, const char *s, size_t n, int gram)
{
	uint32_t *cp = xmalloc((n ? n : 1) * sizeof(*cp));
	size_t i, l, m = 0;

	for (i = 0; i < n; i += l ? l : 1)
		cp[m++] = utf8_decode(s + i, n - i, &l);
	fingerprint_of(fp, cp, m, gram);
	free(cp);
}

void
fingerprint_release(struct fingerprint *fp)
{
	free(fp->h);
	fp->h = NULL;
	fp->n = 0;
}

/* |A ∩ B| exactly (both sorted). */
static size_t
common(const struct fingerprint *a, const struct fingerprint *b)
{
	size_t i = 0, j = 0, k = 0;

	while (i < a->n && j < b->n) {
		if (a->h[i] < b->h[j])
			i++;
		else if (a->h[i] > b->h[j])
			j++;
		else {
			k++;
			i++;
			j++;
		}
	}
	return k;
}

/* Jaccard estimate from the bottom-k of the union (i, j < k < SKETCH: the sketches suffice). */
static double
jaccard_est(const struct sketch *a, const struct sketch *b)
{
	size_t i = 0, j = 0, k = 0, both = 0;

	while (k < SKETCH && i < a->nh && j < b->nh) {
		if (a->h[i] < b->h[j])
			i++;
		else if (a->h[i] > b->h[j])
			j++;
		else {
			both++;
			i++;
			j++;
		}
		k++;
	}
	return k ? (double)both / (double)k : 0;
}

static void
similar_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct similar *t = c->data;
	const struct batch *b = ctx->batch;
	struct fingerprint *fp, own;
	size_t idx = 0, nb, ne;
	int inbatch = 0;

	if (rules_example_mode()) {
		rules_unchecked(c, ctx, "相似度需要两份报告，示例无法检查");
		return;
	}
	if (!t->batch && (b == NULL || b->nprev == 0)) {
		rules_unchecked(c, ctx, "没有提供上一年度的报告，无法比较相似度");
		return;
	}
	if (b == NULL)
		return; /* one report checked alone: no other report to compare */
	if (ctx->in_batch && ctx->item < b->n) {
		idx = ctx->item;
		inbatch = 1;
	}
	/*
	 * Against the batch only the sketch is read (rules_batch_one()): when a
	 * first pass over a large run made it, the report is not fingerprinted
	 * again.
	 */
	if (t->batch && inbatch && b->fp[idx] == NULL && b->sk[idx].made)
		return;
	analysis_norm_span(ctx->an, ctx->an->body, &nb, &ne);
	if (inbatch && b->fp[idx]) {
		fp = b->fp[idx];
	} else {
		const uint32_t *cp;
		const size_t *off;
		size_t n = rules_codepoints(ctx, nb, ne, &cp, &off);

		fingerprint_of(&own, cp, n, (int)t->ngram);
		if (inbatch) {
			struct sketch *sk = &b->sk[idx];

			fp = xmalloc(sizeof(*fp));
			*fp = own;
			b->fp[idx] = fp; /* this report's slot: no other thread writes it */
			sk->made = 1;
			sk->n = fp->n;
			sk->nh = fp->n < SKETCH ? fp->n : SKETCH;
			if (sk->nh)
				memcpy(sk->h, fp->h, sk->nh * sizeof(*sk->h));
		} else {
			fp = &own;
		}
	}
	if (!t->batch && fp->n) {
		size_t k = 0;

		/* a directory of last year's reports: the one of the same unit */
		if (b->prev_dir) {
			const char *u = ctx->res->meta.unit;

			for (k = 0; k < b->nprev; k++)
				if (u && b->prev_unit[k] && strcmp(u, b->prev_unit[k]) == 0)
					break;
		}
		if (k == b->nprev) {
			char *why = xasprintf("上一年度报告中没有本单位（%s）的报告，无法比较相似度",
			    ctx->res->meta.unit ? ctx->res->meta.unit : "单位未识别");

			rules_unchecked(c, ctx, why);
			free(why);
		} else {
			double share = (double)common(fp, b->prev[k]) / (double)fp->n;

			if (share >= t->threshold) {
				char *d = xasprintf("与上一年度报告 %s 有 %.0f%% 的文字相同",
				    b->prev_path[k], share * 100);

				rules_finding_doc(c, ctx, d);
				free(d);
			}
		}
	}
	if (!inbatch)
		fingerprint_release(&own);
}

struct batch *
batch_new(struct result *out, char *const *paths, size_t n, enum severity min_severity)
{
	struct batch *b = xcalloc(1, sizeof(*b));

	b->out = out;
	b->paths = paths;
	b->n = n;
	b->fp = xcalloc(n ? n : 1, sizeof(*b->fp));
	b->sk = xcalloc(n ? n : 1, sizeof(*b->sk));
	b->min_severity = min_severity;
	return b;
}

/* Fingerprint one of last year's reports; its unit too when a pack is given. */
static int
previous_one(struct batch *b, const struct rulepack *p, const char *path, struct error *err)
{
	struct doc d;
	struct normtext nt;
	size_t k = b->nprev;

	doc_init(&d);
	if (doc_load(path, &d, err) == -1) {
		doc_release(&d);
		return -1;
	}
	b->prev = xrealloc(b->prev, (k + 1) * sizeof(*b->prev));
	b->prev_path = xrealloc(b->prev_path, (k + 1) * sizeof(*b->prev_path));
	b->prev_unit = xrealloc(b->prev_unit, (k + 1) * sizeof(*b->prev_unit));
	b->prev[k] = xcalloc(1, sizeof(**b->prev));
	b->prev_path[k] = xstrdup(path);
	b->prev_unit[k] = NULL;
	if (p != NULL) {
		struct analysis a;
		struct result r;
		struct matcher *m = matcher_new();

		analysis_init(&a);
		result_init(&r);
		analyse(p, &d, &a, &r, m);
		if (r.meta.unit)
			b->prev_unit[k] = xstrdup(r.meta.unit);
		result_release(&r);
		analysis_release(&a);
		matcher_free(m);
	}
	norm_init(&nt);
	norm_text(&nt, d.text ? d.text : "", d.len);
	fingerprint_make(b->prev[k], nt.s, nt.len, 5);
	norm_release(&nt);
	doc_release(&d);
	b->nprev = k + 1;
	return 0;
}

int
batch_previous(struct batch *b, const struct rulepack *p, const char *path, struct error *err)
{
	struct stat st;
	char **paths;
	size_t n, i;

	if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode))
		return previous_one(b, NULL, path, err);
	b->prev_dir = 1;
	{
		char *arg = (char *)path;

		paths = expand_inputs(&arg, 1, &n);
	}
	for (i = 0; i < n; i++) {
		struct error e;

		/* an unreadable report of last year only leaves its unit unmatched */
		previous_one(b, p, paths[i], &e);
	}
	free_paths(paths, n);
	if (b->nprev == 0)
		return error_set(err, "目录 %s 中没有可读的上一年度报告", path);
	return 0;
}

void
batch_free(struct batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++)
		if (b->fp[i]) {
			fingerprint_release(b->fp[i]);
			free(b->fp[i]);
		}
	free(b->fp);
	free(b->sk);
	for (i = 0; i < b->nprev; i++) {
		fingerprint_release(b->prev[i]);
		free(b->prev[i]);
		free(b->prev_path[i]);
		free(b->prev_unit[i]);
	}
	free(b->prev);
	free(b->prev_path);
	free(b->prev_unit);
	free(b);
}

void
batch_report_done(struct batch *b, size_t i)
{
	if (b == NULL || i >= b->n || b->fp[i] == NULL)
		return;
	fingerprint_release(b->fp[i]);
	free(b->fp[i]);
	b->fp[i] = NULL;
}

/* Is c a batch comparison that adds findings in this run? */
static int
batch_rule(const struct check_def *c, const struct batch *b)
{
	const struct similar *t = c->data;

	return c->enabled && c->kind == &kind_similar && t->batch && c->severity >= b->min_severity;
}

int
rules_batch_active(const struct rulepack *p, const struct batch *b)
{
	size_t r;

	for (r = 0; r < p->ncheck; r++)
		if (batch_rule(&p->checks[r], b))
			return 1;
	return 0;
}

/* Report i against the others under rule c. */
static void
batch_compare(const struct check_def *c, const struct batch *b, size_t i, struct result *res)
{
	const struct similar *t = c->data;
	const struct sketch *a = &b->sk[i];
	size_t best = 0, j;
	double bs = 0;

	if (a->n == 0)
		return;
	for (j = 0; j < b->n; j++) {
		const struct sketch *o = &b->sk[j];
		double jac, share;

		if (j == i || o->n == 0)
			continue;
		jac = jaccard_est(a, o);
		/* share of A in B from the Jaccard index and the set sizes */
		share = jac * (double)(a->n + o->n) / ((1 + jac) * (double)a->n);
		if (share > 1)
			share = 1;
		if (share > bs) {
			bs = share;
			best = j;
		}
		/* one partner over the threshold is enough */
		if (bs >= t->threshold)
			break;
	}
	if (bs >= t->threshold) {
		char *msg = xasprintf("%s：与同批报告 %s 约有 %.0f%% 的文字相同", c->message,
		    b->paths && b->paths[best] ? b->paths[best] : "?", bs * 100);

		result_add_finding(res, c->id, c->severity, 0, 0, msg, NULL, c->source, c->hint);
		free(msg);
		result_finish(res);
	}
}

void
rules_batch_one(const struct rulepack *p, const struct batch *b, size_t i, struct result *res)
{
	size_t r;

	for (r = 0; r < p->ncheck; r++)
		if (batch_rule(&p->checks[r], b))
			batch_compare(&p->checks[r], b, i, res);
}

void
rules_batch_finish(const struct rulepack *p, struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		rules_batch_one(p, b, i, &b->out[i]);
}

const struct check_kind kind_similar = {"similar", similar_load, similar_run, free};
