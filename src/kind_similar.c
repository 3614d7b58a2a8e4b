/*
 * kind_similar.c: the share of a report's text found in another report --
 * last year's report of the same unit (--previous) or another report of
 * the same run (a copy).  Each report gets a fingerprint: the hashes of
 * its n-grams of Chinese characters and digits, one in eight kept by
 * value; the share of A in B is |A ∩ B| / |A|.  Reports of one run are
 * compared in rules_batch_finish() after all of them are checked (or, in
 * a run read twice, rules_batch_one() as each is checked the second
 * time), each with the reports an index of their sketches names.
 *
 *   similar: {against: previous, threshold: 0.6, ngram: 5}
 *   similar: {against: batch, threshold: 0.8}
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "rules_batch.h"
#include "rules_int.h"
#include "utf8.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GRAMS_AVX512 1
#endif

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

/*
 * Sort h[0..n) (n >= 1) ascending by their bits low..63 (low a multiple
 * of 8): least significant byte first, so that equal keys keep their
 * order, a pass skipped where every key has the same byte.
 */
static void
radix_sort_u64(uint64_t *h, size_t n, int low)
{
	uint64_t *tmp = xmalloc(n * sizeof(*tmp)), *from = h, *to = tmp, *sw;
	size_t cnt[256], i, sum, c;
	int shift;

	for (shift = low; shift < 64; shift += 8) {
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
 * Sort the hashes h[0..n) ascending.  They are uniform: two counting
 * passes (least significant first) on their top two bytes put them in
 * order by their top 16 bits, with no branch that goes by the data; a
 * report's few hundred hashes seldom share those bits, so the insertion
 * pass after that finds them in order almost always, a branch that is
 * predicted.  (One counting pass on the top byte and an insertion sort of
 * its buckets of two or three moved about every other hash, each a branch
 * mispredicted.)  Many (a long text) are sorted by radix.
 */
static void
sort_u64(uint64_t *h, size_t n)
{
	uint64_t *tmp;
	size_t lo[256], hi[256], i, j, sl, sh, c;

	if (n > 8192) {
		radix_sort_u64(h, n, 0);
		return;
	}
	if (n < 2)
		return;
	tmp = xmalloc(n * sizeof(*tmp));
	memset(lo, 0, sizeof(lo));
	memset(hi, 0, sizeof(hi));
	for (i = 0; i < n; i++) {
		lo[(h[i] >> 48) & 0xFF]++;
		hi[h[i] >> 56]++;
	}
	for (i = 0, sl = 0, sh = 0; i < 256; i++) {
		c = lo[i];
		lo[i] = sl;
		sl += c;
		c = hi[i];
		hi[i] = sh;
		sh += c;
	}
	for (i = 0; i < n; i++)
		tmp[lo[(h[i] >> 48) & 0xFF]++] = h[i];
	for (i = 0; i < n; i++)
		h[hi[tmp[i] >> 56]++] = tmp[i];
	free(tmp);
	/* hashes that share their top 16 bits: in order by the rest */
	for (i = 1; i < n; i++)
		if (h[i - 1] > h[i]) {
			uint64_t x = h[i];

			for (j = i; j > 0 && h[j - 1] > x; j--)
				h[j] = h[j - 1];
			h[j] = x;
		}
}

/* One character into an FNV-1a hash. */
static inline uint64_t
fnv_step(uint64_t x, uint64_t c)
{
	return (x ^ c) * 1099511628211ULL;
}

#define FNV_BASIS 1469598103934665603ULL

/* splitmix64's finaliser: an n-gram's FNV-1a hash mixed, so that its low bits can sample. */
static inline uint64_t
gram_mix(uint64_t x)
{
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return x;
}

/* Does c count in an n-gram: a Chinese character or a digit? */
static inline int
gram_char(uint32_t c)
{
	return utf8_is_han(c) || (c >= '0' && c <= '9');
}

/* Add x to the hashes h[0..*nh) (*cap their room) when the sample keeps it. */
static inline void
sample_add(uint64_t **h, size_t *cap, size_t *nh, uint64_t x)
{
	if (x % SAMPLE)
		return;
	if (*nh == *cap)
		xgrow(h, cap, *nh + 1, sizeof(**h));
	(*h)[(*nh)++] = x;
}

/* The sampled hashes of cp[0..n)'s g-grams into h: the characters that count, then each run. */
static void
sample_grams(uint64_t **h, size_t *cap, size_t *nh, const uint32_t *cp, size_t n, size_t g)
{
	uint32_t *a = xmalloc((n ? n : 1) * sizeof(*a));
	size_t i, j, m = 0;

	for (i = 0; i < n; i++)
		if (gram_char(cp[i]))
			a[m++] = cp[i];
	for (i = 0; i + g <= m; i++) {
		uint64_t x = FNV_BASIS;

		for (j = 0; j < g; j++)
			x = fnv_step(x, a[i + j]);
		sample_add(h, cap, nh, gram_mix(x));
	}
	free(a);
}

/*
 * The same for the default g of 5, in one pass: the four characters that
 * count before the current one are held in w0..w3, not gathered into an
 * array and read back, and each 5-gram is hashed as its last character
 * arrives.  (FNV-1a cannot drop a gram's first character, so each is
 * still hashed whole: the same hashes as before.)
 */
static void
sample_grams5(uint64_t **h, size_t *cap, size_t *nh, const uint32_t *cp, size_t n)
{
	uint64_t w0 = 0, w1 = 0, w2 = 0, w3 = 0;  /* 64 bits: xored into the hash as they are */
	size_t i = 0, m;

	for (m = 0; i < n && m < 4; i++)
		if (gram_char(cp[i])) {
			w0 = w1;
			w1 = w2;
			w2 = w3;
			w3 = cp[i];
			m++;
		}
	for (; i < n; i++) {
		uint32_t c = cp[i];
		uint64_t x;

		if (!gram_char(c))
			continue;
		x = fnv_step(fnv_step(fnv_step(fnv_step(fnv_step(FNV_BASIS, w0), w1), w2), w3), c);
		w0 = w1;
		w1 = w2;
		w2 = w3;
		w3 = c;
		sample_add(h, cap, nh, gram_mix(x));
	}
}

#ifdef GRAMS_AVX512
/*
 * sample_grams5() eight 5-grams a step with AVX-512 (F and DQ: 64-bit
 * lanes multiplied), where the CPU has it: the characters that count are
 * packed first (sixteen tested a step), then the hashes of grams i..i+7
 * are made in eight lanes from five loads of the packed characters, and
 * those the sample keeps stored side by side in lane order -- the hashes
 * sample_grams5() adds, in the same order, without its branch a gram on
 * x % SAMPLE, which goes either way at random.  The last grams (fewer
 * than eight) as sample_grams5() does them.
 */
__attribute__((target("avx512f,avx512dq"))) static void
sample_grams5_avx512(uint64_t **h, size_t *cap, size_t *nh, const uint32_t *cp, size_t n)
{
	uint32_t *a = xmalloc((n + 16) * sizeof(*a));
	const __m512i lo1 = _mm512_set1_epi32(0x4E00), hi1 = _mm512_set1_epi32(0x9FFF);
	const __m512i lo2 = _mm512_set1_epi32(0x3400), hi2 = _mm512_set1_epi32(0x4DBF);
	const __m512i lo3 = _mm512_set1_epi32(0xF900), hi3 = _mm512_set1_epi32(0xFAFF);
	const __m512i lo4 = _mm512_set1_epi32(0x20000), hi4 = _mm512_set1_epi32(0x2FA1F);
	const __m512i zero = _mm512_set1_epi32('0'), nine = _mm512_set1_epi32('9');
	const __m512i ling = _mm512_set1_epi32(0x3007);
	const __m512i basis = _mm512_set1_epi64((long long)FNV_BASIS);
	const __m512i prime = _mm512_set1_epi64((long long)1099511628211ULL);
	const __m512i mix = _mm512_set1_epi64((long long)0xbf58476d1ce4e5b9ULL);
	const __m512i low = _mm512_set1_epi64(SAMPLE - 1);
	uint64_t *hv;
	size_t i, m = 0, hcap, hn;

	for (i = 0; i + 16 <= n; i += 16) {
		__m512i v = _mm512_loadu_si512((const void *)(cp + i));
		__mmask16 k = _mm512_cmple_epu32_mask(lo1, v) & _mm512_cmple_epu32_mask(v, hi1);

		k |= _mm512_cmple_epu32_mask(lo2, v) & _mm512_cmple_epu32_mask(v, hi2);
		k |= _mm512_cmple_epu32_mask(lo3, v) & _mm512_cmple_epu32_mask(v, hi3);
		k |= _mm512_cmple_epu32_mask(lo4, v) & _mm512_cmple_epu32_mask(v, hi4);
		k |= _mm512_cmple_epu32_mask(zero, v) & _mm512_cmple_epu32_mask(v, nine);
		k |= _mm512_cmpeq_epu32_mask(v, ling);
		/* compressed in a register and stored whole (room: m <= i): a compress
		 * with a memory operand is microcoded, and slow, on some CPUs (AMD Zen 4) */
		_mm512_storeu_si512((void *)(a + m), _mm512_maskz_compress_epi32(k, v));
		m += (size_t)__builtin_popcount(k);
	}
	for (; i < n; i++)
		if (gram_char(cp[i]))
			a[m++] = cp[i];
	/* the hashes' array, room and count in registers, not read back through the pointers */
	hv = *h;
	hcap = *cap;
	hn = *nh;
	for (i = 0; i + 4 + 8 <= m; i += 8) {
		__m512i x = basis;
		__mmask8 keep;
		int j;

		for (j = 0; j < 5; j++) {
			__m256i c = _mm256_loadu_si256((const __m256i *)(a + i + j));

			x = _mm512_mullo_epi64(_mm512_xor_si512(x, _mm512_cvtepu32_epi64(c)), prime);
		}
		x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 29));
		x = _mm512_mullo_epi64(x, mix);
		x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 32));
		keep = _mm512_testn_epi64_mask(x, low);
		if (hn + 8 > hcap)
			xgrow(&hv, &hcap, hn + 8, sizeof(*hv));
		_mm512_storeu_si512((void *)(hv + hn), _mm512_maskz_compress_epi64(keep, x));
		hn += (size_t)__builtin_popcount(keep);
	}
	*h = hv;
	*cap = hcap;
	*nh = hn;
	for (; i + 4 < m; i++) {
		uint64_t x = FNV_BASIS;
		int j;

		for (j = 0; j < 5; j++)
			x = fnv_step(x, a[i + j]);
		sample_add(h, cap, nh, gram_mix(x));
	}
	free(a);
}
#endif

void
fingerprint_of(struct fingerprint *fp, const uint32_t *cp, size_t n, int gram)
{
	size_t i, cap = 0, u;
	uint64_t *h = NULL;

	fp->h = NULL;
	fp->n = 0;
	/* room for the share of n n-grams the sample keeps, and a margin: seldom grown */
	xgrow(&h, &cap, n / SAMPLE + n / (4 * SAMPLE) + 1, sizeof(*h));
	if (gram == 5) {
#ifdef GRAMS_AVX512
		if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"))
			sample_grams5_avx512(&h, &cap, &fp->n, cp, n);
		else
#endif
			sample_grams5(&h, &cap, &fp->n, cp, n);
	} else {
		sample_grams(&h, &cap, &fp->n, cp, n, (size_t)gram);
	}
	if (fp->n == 0) {
		free(h);
		return;
	}
	sort_u64(h, fp->n);
	/* each hash once: stored and kept when it differs from the last (no branch on the data) */
	for (i = 1, u = 1; i < fp->n; i++) {
		h[u] = h[i];
		u += h[i] != h[u - 1];
	}
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

	/* the smaller hash is passed, both when equal: counted, not branched on (which goes at random) */
	while (k < SKETCH && i < a->nh && j < b->nh) {
		uint64_t x = a->h[i], y = b->h[j];

		both += x == y;
		i += x <= y;
		j += y <= x;
		k++;
	}
	return k ? (double)both / (double)k : 0;
}

/* Units compared (strcmp) for bsearch() and qsort(). */
static int
unit_ref_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct unit_ref *)pa)->unit, ((const struct unit_ref *)pb)->unit);
}

/* The first of last year's reports (in reading order) of unit u, or b->nprev. */
static size_t
previous_of_unit(const struct batch *b, const char *u)
{
	struct unit_ref key = {u, 0};
	const struct unit_ref *r;

	if (u == NULL || b->nprev_units == 0)
		return b->nprev;
	r = bsearch(&key, b->prev_by_unit, b->nprev_units, sizeof(key), unit_ref_cmp);
	return r ? r->k : b->nprev;
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
		if (b->prev_dir)
			k = previous_of_unit(b, ctx->res->meta.unit);
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

/*
 * Fingerprint one of last year's reports into fp, and find its unit (*unit,
 * a new string or NULL) when a pack is given.  0, or -1 with err.
 */
static int
previous_read(const struct rulepack *p, const char *path, struct matcher *m,
	struct fingerprint *fp, char **unit, struct error *err)
{
	struct doc d;
	struct normtext nt;

	*unit = NULL;
	doc_init(&d);
	if (doc_load(path, &d, err) == -1) {
		doc_release(&d);
		return -1;
	}
	if (p != NULL) {
		struct analysis a;
		struct result r;

		analysis_init(&a);
		result_init(&r);
		analyse(p, &d, &a, &r, m);
		if (r.meta.unit)
			*unit = xstrdup(r.meta.unit);
		result_release(&r);
		analysis_release(&a);
	}
	norm_init(&nt);
	norm_text(&nt, d.text ? d.text : "", d.len);
	fingerprint_make(fp, nt.s, nt.len, 5);
	norm_release(&nt);
	doc_release(&d);
	return 0;
}

/* Add a read report of last year's to the batch (fp and unit become the batch's). */
static void
previous_add(struct batch *b, struct fingerprint *fp, const char *path, char *unit)
{
	size_t k = b->nprev, cap = b->capprev;

	xgrow(&b->prev, &b->capprev, k + 1, sizeof(*b->prev));
	if (b->capprev != cap) {
		b->prev_path = xrealloc(b->prev_path, b->capprev * sizeof(*b->prev_path));
		b->prev_unit = xrealloc(b->prev_unit, b->capprev * sizeof(*b->prev_unit));
	}
	b->prev[k] = fp;
	b->prev_path[k] = xstrdup(path);
	b->prev_unit[k] = unit;
	b->nprev = k + 1;
}

/* Last year's reports of a directory, read by batch_previous()'s threads. */
struct prev_load {
	const struct rulepack *p;
	char **paths;
	size_t n, next;
	pthread_mutex_t lock;
	struct fingerprint **fp;   /* per path, NULL if it could not be read */
	char **unit;
};

static void *
previous_worker(void *arg)
{
	struct prev_load *l = arg;
	struct matcher *m = matcher_new();

	for (;;) {
		struct error e;
		size_t i;

		pthread_mutex_lock(&l->lock);
		i = l->next++;
		pthread_mutex_unlock(&l->lock);
		if (i >= l->n)
			break;
		l->fp[i] = xcalloc(1, sizeof(*l->fp[i]));
		/* an unreadable report of last year only leaves its unit unmatched */
		if (previous_read(l->p, l->paths[i], m, l->fp[i], &l->unit[i], &e) == -1) {
			free(l->fp[i]);
			l->fp[i] = NULL;
		}
	}
	matcher_free(m);
	return NULL;
}

/* By unit, then in reading order. */
static int
unit_ref_order(const void *pa, const void *pb)
{
	const struct unit_ref *a = pa, *b = pb;
	int c = unit_ref_cmp(pa, pb);

	return c ? c : a->k < b->k ? -1 : a->k > b->k;
}

int
batch_previous(struct batch *b, const struct rulepack *p, const char *path, int jobs,
	struct error *err)
{
	struct stat st;
	struct prev_load l;
	pthread_t *th;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nth, started = 0, i;

	if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode)) {
		struct fingerprint *fp = xcalloc(1, sizeof(*fp));
		char *unit;

		if (previous_read(NULL, path, NULL, fp, &unit, err) == -1) {
			free(fp);
			return -1;
		}
		previous_add(b, fp, path, unit);
		return 0;
	}
	b->prev_dir = 1;
	memset(&l, 0, sizeof(l));
	l.p = p;
	{
		char *arg = (char *)path;

		l.paths = expand_inputs(&arg, 1, &l.n);
	}
	l.fp = xcalloc(l.n ? l.n : 1, sizeof(*l.fp));
	l.unit = xcalloc(l.n ? l.n : 1, sizeof(*l.unit));
	pthread_mutex_init(&l.lock, NULL);
	nth = jobs > 0 ? (size_t)jobs : (size_t)(ncpu > 0 ? ncpu : 1);
	if (nth > l.n)
		nth = l.n;
	th = xcalloc(nth ? nth : 1, sizeof(*th));
	if (nth > 1)
		for (started = 0; started < nth; started++)
			if (pthread_create(&th[started], NULL, previous_worker, &l) != 0)
				break;
	if (started == 0)
		previous_worker(&l);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&l.lock);
	/* in the order of the paths, as one thread reading them would */
	for (i = 0; i < l.n; i++)
		if (l.fp[i] != NULL)
			previous_add(b, l.fp[i], l.paths[i], l.unit[i]);
	free(l.fp);
	free(l.unit);
	free_paths(l.paths, l.n);
	if (b->nprev == 0)
		return error_set(err, "目录 %s 中没有可读的上一年度报告", path);
	/* each unit once, with the first of its reports as read: a report finds its own at once */
	b->prev_by_unit = xcalloc(b->nprev, sizeof(*b->prev_by_unit));
	for (i = 0; i < b->nprev; i++)
		if (b->prev_unit[i] != NULL) {
			b->prev_by_unit[b->nprev_units].unit = b->prev_unit[i];
			b->prev_by_unit[b->nprev_units++].k = i;
		}
	b->nprev_units = sort_first_of_each(b->prev_by_unit, b->nprev_units,
	    sizeof(*b->prev_by_unit), unit_ref_order, unit_ref_cmp);
	return 0;
}

/* ---- the batch's index of sketches ------------------------------------- */

/*
 * Report j is report i's partner under threshold th when the share of i
 * in j, estimated from their sketches, reaches th; the first such j is
 * the one a finding names.  Comparing i with every j is quadratic in the
 * batch: 20,000 reports with no copy among them are 400 million
 * comparisons.  The index finds the js that can reach th, and only those
 * are compared -- the same comparison, so the same answer.
 *
 * Why it may skip the others.  For two full sketches (SKETCH hashes each)
 * jaccard_est() walks exactly SKETCH steps and counts the hashes the two
 * share among them (both), so the share reaches th only if
 *   both >= SKETCH * th * na / (na + nb - th * na) =: m
 * (na, nb: the fingerprints' sizes; m falls as nb grows).  Then i's sketch
 * and j's share at least m hashes, and whatever order i's hashes are put
 * in, one of the first SKETCH - m + 1 is among j's, and of the first w
 * (w above that) at least w - SKETCH + m.  i's hashes are put rarest
 * first (by how many sketches hold them), so the ones walked are rare and
 * their lists short; j's size is bounded by its band (sizes 2^k ..
 * 2^(k+1) - 1), so each band gets its own m.  PREFIX_MORE hashes past
 * the shortest prefix are walked, and a candidate must hold as many of
 * them as that count says; the candidates are met in increasing order (a
 * heap merges the lists), each compared as before, and the first that
 * reaches th is the partner and ends the walk (batch_compare() compares
 * the first LINEAR_FIRST reports before it: in a batch of near copies the
 * partner is one of them).  A sketch of fewer than SKETCH hashes (a text of
 * a few hundred characters: all of its fingerprint) ends jaccard_est()
 * after as many steps at least, which gives its band's m, and is walked
 * the same way when it is the one compared.
 *
 * The index holds the top 32 bits of each hash (two hashes that share
 * them only add a candidate: the top 16 by the bucket the entry is in,
 * the next 16 in it), its report and the report's band: 7 bytes a hash,
 * 448 bytes a report (with its sketch, 968), and where each bucket starts
 * (512 KB).
 */
struct sketch_index {
	uint16_t *key;     /* every sketch's hashes' bits 32-47, ascending within a bucket; */
	uint32_t *idx;     /* the report of each: under one key by band, then report */
	unsigned char *band;/* and its band */
	size_t *bucket;    /* 65,537: the entries of hashes whose top 16 bits are t start at bucket[t] */
	size_t n;          /* entries: each sketch's hashes */
	size_t nrep;       /* reports indexed: every one with a sketch */
};

/* The band of a fingerprint of size n >= 1: floor(log2(n)). */
static int
band_of(size_t n)
{
	int k = 0;

	while (n >>= 1)
		k++;
	return k;
}

static void
index_free(struct sketch_index *x)
{
	if (x == NULL)
		return;
	free(x->key);
	free(x->idx);
	free(x->band);
	free(x->bucket);
	free(x);
}

void
batch_index(struct batch *b)
{
	struct sketch_index *x;
	size_t i, e, bandc[65], *order, *top, sum, t;
	int k;

	/* FZREPORT_BATCH_LINEAR=1: no index (tests compare the two ways) */
	if (b == NULL || b->six != NULL || b->n < 2 || b->n > UINT32_MAX ||
	    getenv("FZREPORT_BATCH_LINEAR"))
		return;
	x = xcalloc(1, sizeof(*x));
	/* the sketches in order of band, then report */
	memset(bandc, 0, sizeof(bandc));
	for (i = 0; i < b->n; i++)
		if (b->sk[i].n > 0) {
			bandc[band_of(b->sk[i].n) + 1]++;
			x->n += b->sk[i].nh;
		}
	for (k = 0, sum = 0; k < 65; k++) {
		sum += bandc[k];
		bandc[k] = sum;
	}
	x->nrep = bandc[64];
	order = xmalloc((x->nrep ? x->nrep : 1) * sizeof(*order));
	for (i = 0; i < b->n; i++)
		if (b->sk[i].n > 0)
			order[bandc[band_of(b->sk[i].n)]++] = i;
	/*
	 * The entries by key: placed by their top 16 bits in that order (so
	 * each bucket holds them by band, then report), then each bucket put
	 * in order by a sort that keeps equal keys in it (an insertion sort:
	 * the keys are uniform and most buckets small; a radix sort for a
	 * large one).
	 */
	x->key = xmalloc((x->n ? x->n : 1) * sizeof(*x->key));
	x->idx = xmalloc((x->n ? x->n : 1) * sizeof(*x->idx));
	x->band = xmalloc(x->n ? x->n : 1);
	/* top[t] counts bucket t's entries, then marks where the next goes in it,
	 * and at the end where it ends: where bucket t + 1 starts */
	x->bucket = xcalloc(65537, sizeof(*x->bucket));
	top = x->bucket + 1;
	for (i = 0; i < x->nrep; i++)
		for (k = 0; k < (int)b->sk[order[i]].nh; k++)
			top[b->sk[order[i]].h[k] >> 48]++;
	for (e = 0, sum = 0; e < 65536; e++) {
		t = top[e];
		top[e] = sum;
		sum += t;
	}
	for (i = 0; i < x->nrep; i++) {
		unsigned char kb = (unsigned char)band_of(b->sk[order[i]].n);

		for (k = 0; k < (int)b->sk[order[i]].nh; k++) {
			uint64_t hv = b->sk[order[i]].h[k];
			size_t to = top[hv >> 48]++;

			x->key[to] = (uint16_t)(hv >> 32);
			x->idx[to] = (uint32_t)order[i];
			x->band[to] = kb;
		}
	}
	free(order);
	for (e = 0; e < 65536; e++) {
		size_t lo = x->bucket[e], hi = x->bucket[e + 1], j;

		if (hi - lo > 64) {
			/*
			 * A large bucket (hashes that many sketches hold): each
			 * entry packed into one word, its key above its report above
			 * its band, and the words sorted by radix on the key alone,
			 * which keeps the order of equal keys.
			 */
			uint64_t *v = xmalloc((hi - lo) * sizeof(*v));

			for (j = lo; j < hi; j++)
				v[j - lo] = (uint64_t)x->key[j] << 40 | (uint64_t)x->idx[j] << 8 |
				    x->band[j];
			radix_sort_u64(v, hi - lo, 40);
			for (j = lo; j < hi; j++) {
				x->key[j] = (uint16_t)(v[j - lo] >> 40);
				x->idx[j] = (uint32_t)(v[j - lo] >> 8);
				x->band[j] = (unsigned char)v[j - lo];
			}
			free(v);
			continue;
		}
		for (j = lo + 1; j < hi; j++) {
			uint16_t kk = x->key[j];
			uint32_t ii = x->idx[j];
			unsigned char bb = x->band[j];
			size_t q = j;

			for (; q > lo && x->key[q - 1] > kk; q--) {
				x->key[q] = x->key[q - 1];
				x->idx[q] = x->idx[q - 1];
				x->band[q] = x->band[q - 1];
			}
			x->key[q] = kk;
			x->idx[q] = ii;
			x->band[q] = bb;
		}
	}
	b->six = x;
}

/* The share of report a in report o, as the batch comparison estimates it. */
static double
share_of(const struct sketch *a, const struct sketch *o)
{
	double jac = jaccard_est(a, o), share;

	/* share of A in B from the Jaccard index and the set sizes */
	share = jac * (double)(a->n + o->n) / ((1 + jac) * (double)a->n);
	return share > 1 ? 1 : share;
}

/* First entry of x->key[lo, hi) (one bucket) not below key. */
static size_t
key_lower(const struct sketch_index *x, size_t lo, size_t hi, uint16_t key)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->key[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First entry of the run [lo, hi) (one key, by band) whose report's band is at least k. */
static size_t
band_lower(const struct sketch_index *x, size_t lo, size_t hi, int k)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->band[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#define PREFIX_MORE 12  /* hashes walked past a band's prefix (see partner_indexed()) */
#define LINEAR_FIRST 16 /* reports compared before the index is walked (batch_compare()) */

struct prefix_pos {
	size_t lo, hi;  /* the run of the hash's key in the index */
};

static int
pos_cmp(const void *pa, const void *pb)
{
	const struct prefix_pos *a = pa, *b = pb;
	size_t na = a->hi - a->lo, nb = b->hi - b->lo;

	if (na != nb)
		return na < nb ? -1 : 1;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* A run of index entries of one band under one key: sorted by report. */
struct seg {
	size_t e, end;
};

/* Restore the heap h[0..n) (least report first) down from slot k. */
static void
seg_down(const struct sketch_index *x, struct seg *h, size_t n, size_t k)
{
	for (;;) {
		size_t l = 2 * k + 1, m = k;
		struct seg t;

		if (l < n && x->idx[h[l].e] < x->idx[h[m].e])
			m = l;
		if (l + 1 < n && x->idx[h[l + 1].e] < x->idx[h[m].e])
			m = l + 1;
		if (m == k)
			return;
		t = h[k];
		h[k] = h[m];
		h[m] = t;
		k = m;
	}
}

/*
 * Through the index: the first report j != i (in order) that holds enough
 * of i's walked hashes for j's band and whose share reaches th; b->n when
 * none does.  *share its share.  The walked entries are merged by report
 * (a heap of their runs), so that the first partner ends the walk.
 */
static size_t
partner_indexed(const struct batch *b, size_t i, double th, double *share)
{
	const struct sketch_index *x = b->six;
	const struct sketch *a = &b->sk[i];
	struct prefix_pos pos[SKETCH];
	struct seg *h = NULL;
	int pk[64], pw[64], k, pwmax = 0, ns = (int)a->nh;
	size_t r, nh = 0, hcap = 0, e, best = b->n;
	double na = (double)a->n;

	for (r = 0; r < a->nh; r++) {
		size_t t = (size_t)(a->h[r] >> 48), end = x->bucket[t + 1];
		uint16_t key = (uint16_t)(a->h[r] >> 32);

		/* the hash's bucket, then its key in it */
		pos[r].lo = key_lower(x, x->bucket[t], end, key);
		pos[r].hi = key == UINT16_MAX ? end : key_lower(x, pos[r].lo, end, (uint16_t)(key + 1));
	}
	for (r = 1; r < a->nh; r++) {
		struct prefix_pos p = pos[r];
		size_t q = r;

		for (; q > 0 && pos_cmp(&pos[q - 1], &p) > 0; q--)
			pos[q] = pos[q - 1];
		pos[q] = p;
	}
	/*
	 * Band k's prefix: ns - m + 1 hashes (ns: i's hashes), m for the
	 * band's largest size and the fewest steps jaccard_est() takes with
	 * one of its reports: as many as the shorter sketch holds, so ns or
	 * the band's smallest size, whichever is less (a sketch of fewer than
	 * SKETCH hashes is all of its fingerprint).  PREFIX_MORE hashes more
	 * are walked, and a partner holds as many more of the walked ones: m
	 * shared of ns leave at most ns - w outside the first w.
	 */
	for (k = 0; k < 64; k++) {
		double nb = k >= 63 ? 18446744073709551615.0 : (double)(((uint64_t)2 << k) - 1);
		double steps = ((uint64_t)1 << k) < (uint64_t)ns ? (double)((uint64_t)1 << k) : (double)ns;
		double m = steps * th * na / (na + nb - th * na) * (1 - 1e-9);
		long mm = (long)m;

		if (mm < 1)
			mm = 1;
		if (mm > ns) {
			pk[k] = pw[k] = 0;  /* no report of the band can reach th */
			continue;
		}
		pk[k] = ns - (int)mm + 1;
		pw[k] = pk[k] + PREFIX_MORE < ns ? pk[k] + PREFIX_MORE : ns;
		if (pw[k] > pwmax)
			pwmax = pw[k];
	}
	/* position r's run, cut into one segment a band, the bands that walk r */
	for (r = 0; r < (size_t)pwmax; r++) {
		size_t lo, hi = pos[r].hi;

		for (lo = pos[r].lo; lo < hi;) {
			int kb = x->band[lo];
			size_t to = band_lower(x, lo, hi, kb + 1);

			if (pw[kb] > (int)r) {
				xgrow(&h, &hcap, nh + 1, sizeof(*h));
				h[nh].e = lo;
				h[nh++].end = to;
			}
			lo = to;
		}
	}
	for (e = nh / 2; e-- > 0;)
		seg_down(x, h, nh, e);
	while (nh > 0) {
		size_t j = x->idx[h[0].e], cnt = 0;
		int kb = x->band[h[0].e];

		/* every walked entry of report j */
		while (nh > 0 && x->idx[h[0].e] == j) {
			cnt++;
			if (++h[0].e == h[0].end)
				h[0] = h[--nh];
			seg_down(x, h, nh, 0);
		}
		if (j == i || j < LINEAR_FIRST)
			continue;  /* (the first ones were compared before) */
		if ((long)cnt < (long)pw[kb] - pk[kb] + 1)
			continue;
		if (share_of(a, &b->sk[j]) >= th) {
			best = j;
			break;
		}
	}
	free(h);
	if (best < b->n)
		*share = share_of(a, &b->sk[best]);
	return best;
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
	free(b->prev_by_unit);
	index_free(b->six);
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

/*
 * Report i against the others under rule c.  The index is read when there
 * is one; build, when not NULL (b itself, on one thread: see
 * rules_batch_finish()), lets the first report that needs it build it:
 * in a batch of near copies every report finds its partner among the
 * first LINEAR_FIRST, and the index is never needed.
 */
static void
batch_compare(const struct check_def *c, const struct batch *b, struct batch *build, size_t i,
	struct result *res)
{
	const struct similar *t = c->data;
	const struct sketch *a = &b->sk[i];
	size_t best = 0, j;
	double bs = 0;

	if (a->n == 0)
		return;
	if ((b->six || build) && t->threshold > 0) {
		/*
		 * The same answer as the loop below (see partner_indexed()).  The
		 * first LINEAR_FIRST reports are compared first, as the loop
		 * would: in a batch of near copies one of them is the partner.
		 */
		best = b->n;
		for (j = 0; j < b->n && j < LINEAR_FIRST; j++)
			if (j != i && b->sk[j].n > 0 && (bs = share_of(a, &b->sk[j])) >= t->threshold) {
				best = j;
				break;
			}
		if (best == b->n && b->six == NULL)
			batch_index(build);
		if (best < b->n || b->six) {
			if (best == b->n)
				best = partner_indexed(b, i, t->threshold, &bs);
			if (best == b->n)
				bs = 0;
			goto found;
		}
		/* no index (FZREPORT_BATCH_LINEAR): the loop below */
		best = 0;
		bs = 0;
	}
	for (j = 0; j < b->n; j++) {
		const struct sketch *o = &b->sk[j];
		double share;

		if (j == i || o->n == 0)
			continue;
		share = share_of(a, o);
		if (share > bs) {
			bs = share;
			best = j;
		}
		/* one partner over the threshold is enough */
		if (bs >= t->threshold)
			break;
	}
found:
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
			batch_compare(&p->checks[r], b, NULL, i, res);
}

void
rules_batch_finish(const struct rulepack *p, struct batch *b)
{
	size_t i, r;

	/* one thread: the index is built when a report first needs it */
	for (i = 0; i < b->n; i++)
		for (r = 0; r < p->ncheck; r++)
			if (batch_rule(&p->checks[r], b))
				batch_compare(&p->checks[r], b, b, i, &b->out[i]);
}

const struct check_kind kind_similar = {"similar", similar_load, similar_run, free};
