/* result.c: the result model: names, construction and the outline iterator. */
#include "result.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const sev_names[] = {"none", "info", "warning", "error", "fatal"};
static const char *const sev_names_zh[] = {"无", "提示", "警告", "错误", "无法读取"};

const char *
severity_name(enum severity s)
{
	return sev_names[s];
}

const char *
severity_name_zh(enum severity s)
{
	return sev_names_zh[s];
}

enum severity
severity_parse(const char *s)
{
	int i;

	for (i = SEV_INFO; i <= SEV_FATAL; i++)
		if (strcmp(s, sev_names[i]) == 0 || strcmp(s, sev_names_zh[i]) == 0)
			return (enum severity)i;
	return SEV_NONE;
}

static const char *const verdict_names[] = {"pass", "revise", "fail", "unreadable"};
static const char *const verdict_names_zh[] = {"合格", "需修改", "不合格", "无法读取"};

const char *
verdict_name(enum verdict v)
{
	return verdict_names[v];
}

const char *
verdict_name_zh(enum verdict v)
{
	return verdict_names_zh[v];
}

enum verdict
verdict_parse(const char *s)
{
	int i;

	for (i = VERDICT_PASS; i <= VERDICT_UNREADABLE; i++)
		if (strcmp(s, verdict_names[i]) == 0 || strcmp(s, verdict_names_zh[i]) == 0)
			return (enum verdict)i;
	return VERDICT_UNREADABLE;
}

static const char *const kind_names[] = {"unknown", "township", "street", "department", "county"};
static const char *const kind_names_zh[] = {"未知", "乡镇", "街道", "部门", "县"};

const char *
unit_kind_name(enum unit_kind k)
{
	return kind_names[k];
}

const char *
unit_kind_name_zh(enum unit_kind k)
{
	return kind_names_zh[k];
}

enum unit_kind
unit_kind_parse(const char *s)
{
	int i;

	for (i = UNIT_UNKNOWN; i <= UNIT_COUNTY; i++)
		if (strcmp(s, kind_names[i]) == 0 || strcmp(s, kind_names_zh[i]) == 0)
			return (enum unit_kind)i;
	return UNIT_UNKNOWN;
}

const char *
node_kind_name(enum node_kind k)
{
	static const char *const names[] = {"title", "part", "heading", "item"};

	return names[k];
}

const char *
section_status_name(enum section_status s)
{
	static const char *const names[] = {"found", "inline", "missing"};

	return names[s];
}

void
result_init(struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->summary.verdict = VERDICT_PASS;
}

void
finding_release(struct finding *f)
{
	if (!f->shared) {
		free(f->rule);
		free(f->source);
		free(f->hint);
	}
	free(f->message);
	free(f->excerpt);
}

void
result_release(struct result *r)
{
	size_t i;

	free(r->file);
	free(r->format);
	free(r->encoding);
	free(r->error);
	free(r->meta.title);
	free(r->meta.unit);
	free(r->meta.parent);
	free(r->meta.doc_number);
	free(r->meta.addressee);
	free(r->meta.signatory);
	free(r->meta.date);
	free(r->meta.core_title);
	free(r->meta.core_creator);
	free(r->meta.core_modified);
	for (i = 0; i < r->noutline; i++) {
		free(r->outline[i].text);
		free(r->outline[i].numbering);
		free(r->outline[i].section);
	}
	free(r->outline);
	for (i = 0; i < r->nsection; i++) {
		free(r->sections[i].id);
		free(r->sections[i].name);
		free(r->sections[i].rule);
		free(r->sections[i].source);
	}
	free(r->sections);
	for (i = 0; i < r->nfinding; i++)
		finding_release(&r->findings[i]);
	free(r->findings);
	for (i = 0; i < r->nunchecked; i++) {
		free(r->unchecked[i].rule);
		free(r->unchecked[i].message);
		free(r->unchecked[i].reason);
	}
	free(r->unchecked);
	for (i = 0; i < r->npack; i++) {
		free(r->packs[i].name);
		free(r->packs[i].version);
	}
	free(r->packs);
	free(r->layout_json);
	result_init(r);
}

/*
 * The shared copies of the findings' rule ids, clauses and hints.  A
 * finding's source and hint are a rule's, a few hundred bytes, the same
 * in every report; check holds up to 2,048 results whole (check.c), and
 * a copy of them a finding was about a quarter of what it held, memory
 * that the kernel clears as it is first touched.  One copy of each text
 * is kept in shared (open addressing by the text's hash, under the lock)
 * until result_shared_free(); each thread remembers the copy of the
 * pointers it was last given in seen (a pack's string), checked against
 * the text (another pack's string may come to the same address), so
 * that the table and the lock are met once per text and thread.
 */
#define SEEN_SLOTS 512

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static char **shared;
static size_t shared_cap, shared_n;
static _Thread_local struct {
	const char *from;
	char *copy;
} seen[SEEN_SLOTS];

/*
 * The hash of text s (n bytes) in the table: of its length and of its
 * first and last 32 bytes, eight at a time.  The texts that miss the
 * threads' memory are mostly clauses and hints of a few hundred bytes
 * that each report holds copies of (its sections'), and str_hash() goes
 * a byte at a time; texts alike at both ends cost only a strcmp() more.
 */
static uint64_t
shared_hash(const char *s, size_t n)
{
	uint64_t h = STR_HASH_START ^ n, w;
	size_t i;

	if (n < 8)
		return str_hash(STR_HASH_START, s, n);
	for (i = 0; i < 32; i += 8) {
		/* the words from the start and from the end, overlapping in a short text */
		memcpy(&w, s + (i < n - 8 ? i : n - 8), 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		memcpy(&w, s + (n - 8 > i ? n - 8 - i : 0), 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
	}
	/* the table takes the low bits: bring the high ones down */
	return h ^ h >> 29 ^ h >> 47;
}

/* The slot of text s (hash h) in the table: where it is, or the empty one where it goes. */
static size_t
shared_slot(const char *s, uint64_t h)
{
	size_t i;

	for (i = (size_t)h & (shared_cap - 1); shared[i] != NULL; i = (i + 1) & (shared_cap - 1))
		if (strcmp(shared[i], s) == 0)
			break;
	return i;
}

static char *
shared_copy(const char *s)
{
	size_t k, i;
	uint64_t h;
	char *c;

	if (s == NULL)
		return NULL;
	k = ((uintptr_t)s >> 3) % SEEN_SLOTS;
	if (seen[k].from == s && strcmp(seen[k].copy, s) == 0)
		return seen[k].copy;
	h = shared_hash(s, strlen(s));
	pthread_mutex_lock(&shared_lock);
	if ((shared_n + 1) * 2 > shared_cap) {
		char **old = shared;
		size_t oc = shared_cap, j;

		shared_cap = oc ? oc * 2 : 256;
		shared = xcalloc(shared_cap, sizeof(*shared));
		for (j = 0; j < oc; j++)
			if (old[j] != NULL)
				shared[shared_slot(old[j], shared_hash(old[j], strlen(old[j])))] =
				    old[j];
		free(old);
	}
	i = shared_slot(s, h);
	if (shared[i] == NULL) {
		shared[i] = xstrdup(s);
		shared_n++;
	}
	c = shared[i];
	pthread_mutex_unlock(&shared_lock);
	seen[k].from = s;
	seen[k].copy = c;
	return c;
}

void
result_shared_free(void)
{
	size_t i;

	pthread_mutex_lock(&shared_lock);
	for (i = 0; i < shared_cap; i++)
		free(shared[i]);
	free(shared);
	shared = NULL;
	shared_cap = shared_n = 0;
	pthread_mutex_unlock(&shared_lock);
	memset(seen, 0, sizeof(seen));  /* this thread's; the others' are gone */
}

struct finding *
result_add_finding(struct result *r, const char *rule, enum severity sev, int line, int column,
	const char *message, const char *excerpt, const char *source, const char *hint)
{
	struct finding *f;

	/* in doubling steps: a report has a dozen findings, some a few hundred */
	if (r->nfinding >= r->findings_cap) {
		r->findings_cap = r->nfinding < 8 ? 16 : r->nfinding * 2;
		r->findings = xrealloc(r->findings, r->findings_cap * sizeof(*f));
	}
	f = &r->findings[r->nfinding++];
	f->rule = shared_copy(rule);
	f->severity = sev;
	f->line = line;
	f->column = column;
	f->message = xstrdup(message);
	f->excerpt = xstrdup_null(excerpt);
	f->mark_off = -1;
	f->mark_len = 0;
	f->source = shared_copy(source);
	f->hint = shared_copy(hint);
	f->more = 0;
	f->shared = 1;
	return f;
}

void
result_add_unchecked(struct result *r, const char *rule, enum severity sev, const char *message,
	const char *reason)
{
	struct unchecked *u;

	r->unchecked = xrealloc(r->unchecked, (r->nunchecked + 1) * sizeof(*u));
	u = &r->unchecked[r->nunchecked++];
	u->rule = xstrdup(rule);
	u->severity = sev;
	u->message = xstrdup_null(message);
	u->reason = xstrdup(reason);
}

/*
 * A finding's place in the order of result_finish(): line, then column
 * (each with its sign bit turned over, so that the signed order is the
 * order of the unsigned key), the most severe first, the rule id, and
 * where it was (as a stable sort keeps findings that are equal by the
 * rest: qsort() was glibc's merge sort).  Sorting these keys, the rule
 * id only met on a tie, and moving each finding once costs a third of
 * sorting the findings themselves (qsort()'s pointer sort, its calls to
 * the compare function and its moves).
 */
struct fkey {
	uint64_t pos;
	const char *rule;
	unsigned sev;       /* ~severity: the most severe is the smallest */
	unsigned idx;
};

/* Does x come before y? */
static inline int
fkey_before(const struct fkey *x, const struct fkey *y)
{
	int c;

	if (x->pos != y->pos)
		return x->pos < y->pos;
	if (x->sev != y->sev)
		return x->sev < y->sev;
	if ((c = strcmp(x->rule, y->rule)) != 0)
		return c < 0;
	return x->idx < y->idx;
}

static int
fkey_cmp(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;

	return fkey_before(x, y) ? -1 : fkey_before(y, x) ? 1 : 0;
}

/* Up to this many findings are sorted by insertion in arrays on the stack (a report has a dozen). */
#define FKEY_SMALL 32

/* Order the n findings at f as result_finish() says. */
static void
sort_findings(struct finding *f, size_t n)
{
	struct fkey small[FKEY_SMALL], *k = small;
	struct finding tsmall[FKEY_SMALL], *t = tsmall;
	size_t i, j;

	if (n > FKEY_SMALL) {
		k = xmalloc(n * sizeof(*k));
		t = xmalloc(n * sizeof(*t));
	}
	for (i = 0; i < n; i++) {
		k[i].pos = (uint64_t)((uint32_t)f[i].line ^ 0x80000000U) << 32 |
		    ((uint32_t)f[i].column ^ 0x80000000U);
		k[i].rule = f[i].rule;
		k[i].sev = ~(unsigned)f[i].severity;
		k[i].idx = (unsigned)i;
	}
	if (n <= FKEY_SMALL) {
		/* the findings come in runs (a rule's, by position): few steps each */
		for (i = 1; i < n; i++) {
			struct fkey x = k[i];

			for (j = i; j > 0 && fkey_before(&x, &k[j - 1]); j--)
				k[j] = k[j - 1];
			k[j] = x;
		}
	} else {
		qsort(k, n, sizeof(*k), fkey_cmp);
	}
	for (i = 0; i < n; i++)
		t[i] = f[k[i].idx];
	memcpy(f, t, n * sizeof(*f));
	if (k != small) {
		free(k);
		free(t);
	}
}

void
result_finish(struct result *r)
{
	size_t i;

	if (r->nfinding > 1)
		sort_findings(r->findings, r->nfinding);
	r->summary.errors = r->summary.warnings = r->summary.infos = 0;
	for (i = 0; i < r->nfinding; i++) {
		switch (r->findings[i].severity) {
		case SEV_FATAL:
		case SEV_ERROR:
			r->summary.errors++;
			break;
		case SEV_WARNING:
			r->summary.warnings++;
			break;
		case SEV_INFO:
			r->summary.infos++;
			break;
		default:
			break;
		}
	}
	r->summary.not_checked = (int)r->nunchecked;
	if (r->error != NULL)
		r->summary.verdict = VERDICT_UNREADABLE;
	else if (r->summary.errors)
		r->summary.verdict = VERDICT_FAIL;
	else if (r->summary.warnings)
		r->summary.verdict = VERDICT_REVISE;
	else
		r->summary.verdict = VERDICT_PASS;
}

void
outline_iter_init(struct outline_iter *it, const struct result *r)
{
	it->r = r;
	it->next = 0;
	it->depth = 0;
}

enum outline_event
outline_iter_next(struct outline_iter *it, int *node)
{
	const struct result *r = it->r;

	/* Close open nodes that are not ancestors of the next one. */
	if (it->depth > 0) {
		int top = it->stack[it->depth - 1];
		int par = it->next < r->noutline ? r->outline[it->next].parent : -2;
		int p = par;

		while (p >= 0 && p != top)
			p = r->outline[p].parent;
		if (p != top || par == -2) {
			it->depth--;
			*node = top;
			return OUTLINE_EXIT;
		}
	}
	if (it->next >= r->noutline)
		return OUTLINE_DONE;
	*node = (int)it->next;
	if (it->depth < (int)(sizeof(it->stack) / sizeof(it->stack[0])))
		it->stack[it->depth++] = (int)it->next;
	it->next++;
	return OUTLINE_ENTER;
}
