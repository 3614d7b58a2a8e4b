/*
 * kind_words.c: a list of misused words, each a wrong form (a regex,
 * usually a literal with the context that makes it wrong written as
 * lookarounds) and its replacement.  Every match is a finding that names
 * the right form.
 *
 *   words:
 *     - {wrong: 布署, right: 部署}
 *     - {wrong: '法制(?=宣传)', right: 法治, fires: 开展法制宣传, passes: [法制审核]}
 *
 * note, if given, is said instead of “应为 right” (right then only makes the
 * corrected example).
 *
 * Hundreds of entries must not mean hundreds of passes over a report:
 * each wrong form starts (after its lookbehinds) with a known character,
 * usually followed by a known second one.  One pass over the text looks
 * the pair (or the single character) up in two bitmaps, and only at a
 * hit are the entries of that key matched, anchored there.  Most first
 * characters (以, 法, 人, 中) are common, most pairs rare: the pass finds
 * its candidates with two byte tables, lead and follow (see struct words).
 * Where the report's text index (textindex.h) numbers the pairs, there is
 * no pass at all: the pairs are added to the pack's key set at load, and
 * the index says where each stands (words_indexed()).
 *
 * Every entry carries its own examples: the wrong example (fires; the
 * wrong form itself when it is a literal) must match, the example with
 * the match replaced by the right form and every passes text must not.
 * That is checked when the entry is loaded; the examples also join the
 * rule's examples so that `rules --lint` runs them through the analysis
 * and the whole list (no other entry may fire on a corrected text).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "textindex.h"
#include "utf8.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#define KEYSET 16 /* code points one key position may take ([..] of at most 16) */

struct wentry {
	char *wrong, *right;
	char *note;      /* said instead of “应为 right”, may be NULL */
	pcre2_code *re;  /* \G(?:wrong), interpreted: only tried at a key hit */
	uint32_t first[KEYSET], second[KEYSET];
	int nfirst, nsecond; /* nsecond 0: any second character */
	char *lit;       /* the literal start of the wrong form (after lookbehinds), may be "" */
	size_t nlit;
	uint64_t head, hmask; /* its first (at most) eight bytes as one load reads them, and which */
};

/* Entries by hashed key: pair (first, second) or single (first, 0). */
#define NBUCKET 4096
struct bucket {
	size_t *v;
	size_t n;
};

/*
 * Each first character belongs to one of LEAD_GROUPS groups, a bit of
 * lead; follow holds, for each character, the bits of the groups of the
 * first characters it is a second of (LEAD_SINGLE in every follow byte
 * when an entry has no second).  lead[a] & follow[b] is then nonzero at
 * every pair a, b that starts an entry, and seldom elsewhere: the pass
 * over a report tests that (two loads and an and) at each character and
 * stops at about one in ninety (txt-200), where a test of the first
 * character alone stopped at one in seventeen.
 */
#define LEAD_GROUPS 7
#define LEAD_SINGLE 0x80u

/* A list with at most FEW first characters is scanned for them with AVX2 (few_next()). */
#define FEW 8

/*
 * An entry's literal as a pair's filter reads it: what follows the pair
 * (the pair stands where the filter looks), its first eight bytes as one
 * load reads them and which (none: the literal ends within the pair).
 */
struct plit {
	uint64_t head, hmask;
	size_t nrest;    /* the bytes after the pair */
	size_t k;        /* the entry (its literal past those eight) */
};

/*
 * A pair of key characters (c1, c2) that starts entries of the list: its
 * number in the pack's key set (struct words.kpid) leads to where it
 * stands in a report (the text index), so no pass looks for it.
 */
struct wpair {
	uint32_t c1, c2;
	size_t len;      /* the bytes of the two */
	struct plit *lit; /* its entries' literals, none the start of another: */
	size_t nlit;     /* where none goes on, none of the entries matches */
	uint32_t next;   /* 1 + the next pair of its bucket (0: none) */
};

/* A first character of entries without a second, as bytes (memchr() finds it). */
struct wsingle {
	uint32_t cp;
	char u[4];
	size_t len;
};

struct words {
	struct wentry *v;
	size_t n, cap;
	/* the pairs (kp), their numbers in keys beside them (the loop over
	 * them reads only these), the first pair of each bucket (1 +) */
	struct wpair *kp;
	uint32_t *kpid;
	size_t nkp, kpcap, kpidcap;
	uint32_t kphead[NBUCKET];
	const struct textindex_keys *keys; /* the set that numbers every pair (NULL: none) */
	int unkeyed;          /* a pair not numbered by keys: the pass, not the index */
	struct wsingle sing[FEW]; /* the first characters of the entries without a second */
	int nsing;            /* their number; -1: more (the pass) */
	uint32_t few[FEW];  /* the first characters of every entry, when they are so few */
	int nfew;           /* their number; -1: more */
	/* lf[c][0], lead: first characters of every entry: their group bit;
	 * lf[c][1], follow: second characters: the group bits of their firsts
	 * (side by side: the scan reads both of each character, one cache
	 * line where two tables took two) */
	unsigned char lf[65536][2];
	unsigned char single[65536 / 8]; /* first characters of entries without a second */
	unsigned char pair[65536 / 8];   /* hashed first+second characters */
	struct bucket idx[NBUCKET];
};

static unsigned
pair_hash(uint32_t a, uint32_t b)
{
	return ((a * 40503u) ^ (b * 2654435761u >> 7)) & 0xFFFFu;
}

static unsigned
bucket_of(uint32_t a, uint32_t b)
{
	return pair_hash(a, b) & (NBUCKET - 1);
}

static void
bucket_add(struct bucket *bk, size_t k)
{
	if (bk->n && bk->v[bk->n - 1] == k)
		return;
	bk->v = xrealloc(bk->v, (bk->n + 1) * sizeof(*bk->v));
	bk->v[bk->n++] = k;
}

static void
bit_set(unsigned char *m, unsigned i)
{
	m[i >> 3] |= (unsigned char)(1u << (i & 7));
}

static int
bit_get(const unsigned char *m, unsigned i)
{
	return m[i >> 3] >> (i & 7) & 1;
}

static void
entry_release(struct wentry *w)
{
	free(w->wrong);
	free(w->right);
	free(w->note);
	free(w->lit);
	if (w->re)
		pcre2_code_free(w->re);
}

static void
words_free(void *data)
{
	struct words *ws = data;
	size_t i;

	if (ws == NULL)
		return;
	for (i = 0; i < ws->n; i++)
		entry_release(&ws->v[i]);
	for (i = 0; i < NBUCKET; i++)
		free(ws->idx[i].v);
	for (i = 0; i < ws->nkp; i++)
		free(ws->kp[i].lit);
	free(ws->kp);
	free(ws->kpid);
	free(ws->v);
	free(ws);
}

/*
 * Entry w, number k, starts with the pair a, b: its literal noted in the
 * pair's wpair (unless one there starts it; those it starts dropped), the
 * wpair made the first time with the pair added to the key set of the
 * patterns being loaded.
 */
static void
pair_add(struct words *ws, uint32_t a, uint32_t b, const struct wentry *w, size_t k)
{
	unsigned h = bucket_of(a, b);
	struct wpair *p;
	uint32_t x;
	size_t i, j;

	for (x = ws->kphead[h]; x != 0; x = ws->kp[x - 1].next)
		if (ws->kp[x - 1].c1 == a && ws->kp[x - 1].c2 == b)
			break;
	if (x == 0) {
		struct textindex_ref r;
		char u[8];
		size_t l = utf8_encode(a, u);

		l += utf8_encode(b, u + l);
		textindex_ref_init(&r, u, l, pattern_keys());
		if (r.keys == NULL || (ws->nkp > 0 && r.keys != ws->keys))
			ws->unkeyed = 1;
		ws->keys = r.keys;
		xgrow(&ws->kp, &ws->kpcap, ws->nkp + 1, sizeof(*ws->kp));
		xgrow(&ws->kpid, &ws->kpidcap, ws->nkp + 1, sizeof(*ws->kpid));
		p = &ws->kp[ws->nkp];
		memset(p, 0, sizeof(*p));
		p->c1 = a;
		p->c2 = b;
		p->len = l;
		p->next = ws->kphead[h];
		ws->kpid[ws->nkp] = r.id;
		x = ws->kphead[h] = (uint32_t)++ws->nkp;
	}
	p = &ws->kp[x - 1];
	for (i = j = 0; i < p->nlit; i++) {
		const struct wentry *o = &ws->v[p->lit[i].k];

		if (o->nlit <= w->nlit && memcmp(o->lit, w->lit, o->nlit) == 0)
			return;
		if (w->nlit > o->nlit || memcmp(o->lit, w->lit, w->nlit) != 0)
			p->lit[j++] = p->lit[i];
	}
	p->lit = xrealloc(p->lit, (j + 1) * sizeof(*p->lit));
	/* the literal's bytes after the pair: it starts with the pair where
	 * it is as long (the key characters are its first two) */
	{
		size_t n = w->nlit > p->len ? w->nlit - p->len : 0;
		unsigned char hb[8] = {0}, mb[8] = {0};

		memcpy(hb, w->lit + w->nlit - n, n < 8 ? n : 8);
		memset(mb, 0xFF, n < 8 ? n : 8);
		memcpy(&p->lit[j].head, hb, 8);
		memcpy(&p->lit[j].hmask, mb, 8);
		p->lit[j].nrest = n;
	}
	p->lit[j].k = k;
	p->nlit = j + 1;
}

/* Entry k has no second character: its first, a, noted as a single. */
static void
single_add(struct words *ws, uint32_t a)
{
	int i;

	if (ws->nsing < 0)
		return;
	for (i = 0; i < ws->nsing; i++)
		if (ws->sing[i].cp == a)
			return;
	if (ws->nsing == FEW) {
		ws->nsing = -1;
		return;
	}
	ws->sing[ws->nsing].cp = a;
	ws->sing[ws->nsing].len = utf8_encode(a, ws->sing[ws->nsing].u);
	ws->nsing++;
}

static int
is_meta(char ch)
{
	return ch && strchr("\\^$.|?*+()[]{}", ch) != NULL;
}

/*
 * One key position of the wrong form at *p: a literal character or a
 * class of literal characters, not quantified.  Fills set; 0 or -1.
 */
static int
key_atom(const char **p, uint32_t *set, int *nset)
{
	const char *s = *p;
	size_t len;

	*nset = 0;
	if (*s == '[') {
		for (s++; *s && *s != ']'; s += len) {
			if (is_meta(*s) || *s == '-' || *nset == KEYSET)
				return -1;
			set[(*nset)++] = utf8_decode(s, strlen(s), &len);
		}
		if (*s != ']' || *nset == 0)
			return -1;
		s++;
	} else {
		if (*s == '\0' || is_meta(*s))
			return -1;
		set[(*nset)++] = utf8_decode(s, strlen(s), &len);
		s += len;
	}
	if (*s == '?' || *s == '*' || *s == '+' || *s == '{')
		return -1;
	for (int i = 0; i < *nset; i++)
		if (set[i] > 0xFFFF)
			return -1;
	*p = s;
	return 0;
}

/* Skip one parenthesised group at *p (escapes and classes respected). */
static int
skip_group(const char **p)
{
	const char *s = *p;
	int depth = 0, cls = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
		} else if (cls) {
			cls = *s != ']';
		} else if (*s == '[') {
			cls = 1;
		} else if (*s == '(') {
			depth++;
		} else if (*s == ')' && --depth == 0) {
			*p = s + 1;
			return 0;
		}
	}
	return -1;
}

/* A '|' outside any group: the key would cover the first branch only. */
static int
top_alternation(const char *s)
{
	int depth = 0, cls = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (cls)
			cls = *s != ']';
		else if (*s == '[')
			cls = 1;
		else if (*s == '(')
			depth++;
		else if (*s == ')')
			depth--;
		else if (*s == '|' && depth == 0)
			return 1;
	}
	return 0;
}

static int
entry_key(struct wentry *w)
{
	const char *p = w->wrong;

	if (top_alternation(p))
		return -1;
	while (strncmp(p, "(?<=", 4) == 0 || strncmp(p, "(?<!", 4) == 0)
		if (skip_group(&p) == -1)
			return -1;
	{
		const char *q = p;
		size_t len;

		while (*q && !is_meta(*q)) {
			utf8_decode(q, strlen(q), &len);
			if (q[len] == '?' || q[len] == '*' || q[len] == '+' || q[len] == '{')
				break;
			q += len;
		}
		w->nlit = (size_t)(q - p);
		w->lit = xstrndup(p, w->nlit);
		/* the mask as bytes too: the same on either byte order */
		unsigned char hb[8] = {0}, mb[8] = {0};

		memcpy(hb, w->lit, w->nlit < 8 ? w->nlit : 8);
		memset(mb, 0xFF, w->nlit < 8 ? w->nlit : 8);
		memcpy(&w->head, hb, 8);
		memcpy(&w->hmask, mb, 8);
	}
	if (key_atom(&p, w->first, &w->nfirst) == -1)
		return -1;
	if (key_atom(&p, w->second, &w->nsecond) == -1)
		w->nsecond = 0;
	return 0;
}

static int
in_set(const uint32_t *set, int n, uint32_t cp)
{
	int i;

	for (i = 0; i < n; i++)
		if (set[i] == cp)
			return 1;
	return 0;
}

/*
 * Offset of the first match of w's pattern in s (any start), or -1; *ml
 * its length.  Tried only where the character is one of w's first ones:
 * a match consumes its key character first (entry_key()), after
 * lookbehinds that consume nothing; so none starts at the end either.
 */
static long
entry_search(const struct wentry *w, pcre2_match_data *md, const char *s, size_t *ml)
{
	size_t n = strlen(s), at, len;

	for (at = 0; at < n; at += len) {
		int rc;

		if (!in_set(w->first, w->nfirst, utf8_decode(s + at, n - at, &len)))
			continue;
		rc = pcre2_match(w->re, (PCRE2_SPTR)s, n, at, 0, md, NULL);
		if (rc > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

			*ml = ov[1] - ov[0];
			return (long)ov[0];
		}
	}
	return -1;
}

static void
add_example(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

/* Check the examples of w (fires, its corrected form, passes) and add them to c. */
static int
entry_examples(struct check_def *c, struct wentry *w, yaml_document_t *doc, yaml_node_t *e,
	struct error *err)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(w->re, NULL);
	yaml_node_t *v;
	const char *fires = NULL, *p;
	char **ok = NULL, *fixed = NULL;
	size_t nok = 0, i, ml;
	long at;
	int rc = -1;

	if ((v = ry_get(doc, e, "fires"))) {
		if ((fires = ry_str(v, "fires", err)) == NULL)
			goto out;
	} else {
		for (p = w->wrong; *p && !is_meta(*p); p++)
			;
		if (*p)
			return pcre2_match_data_free(md),
			       ry_error(e, err, "“%s”不是字面词语，需要 fires 示例", w->wrong);
		fires = w->wrong;
	}
	if ((v = ry_get(doc, e, "passes")) && ry_strlist(doc, v, "passes", &ok, &nok, err) == -1)
		goto out;
	if ((at = entry_search(w, md, fires, &ml)) < 0) {
		ry_error(e, err, "示例“%s”没有匹配“%s”", fires, w->wrong);
		goto out;
	}
	{
		/* fires with the match replaced by right (no printf: 275 entries a load) */
		size_t nr = strlen(w->right), nt = strlen(fires + at + ml);

		fixed = xmalloc((size_t)at + nr + nt + 1);
		memcpy(fixed, fires, (size_t)at);
		memcpy(fixed + at, w->right, nr);
		memcpy(fixed + at + nr, fires + at + ml, nt + 1);
	}
	if (entry_search(w, md, fixed, &ml) >= 0) {
		ry_error(e, err, "改正后的示例“%s”仍匹配“%s”", fixed, w->wrong);
		goto out;
	}
	for (i = 0; i < nok; i++)
		if (entry_search(w, md, ok[i], &ml) >= 0) {
			ry_error(e, err, "正确示例“%s”匹配了“%s”", ok[i], w->wrong);
			goto out;
		}
	add_example(&c->fires, &c->nfires, fires);
	add_example(&c->passes, &c->npasses, fixed);
	for (i = 0; i < nok; i++)
		add_example(&c->passes, &c->npasses, ok[i]);
	rc = 0;
out:
	for (i = 0; i < nok; i++)
		free(ok[i]);
	free(ok);
	free(fixed);
	pcre2_match_data_free(md);
	return rc;
}

/* LEAD_SINGLE in every follow byte (lf[c][1]), eight bytes of lf a step. */
static void
follow_all(struct words *ws)
{
	static const unsigned char mb[8] = {0, LEAD_SINGLE, 0, LEAD_SINGLE, 0, LEAD_SINGLE, 0,
		LEAD_SINGLE};
	unsigned char *p = &ws->lf[0][0];
	uint64_t m, x;
	size_t i;

	memcpy(&m, mb, 8);
	for (i = 0; i < sizeof(ws->lf); i += 8) {
		memcpy(&x, p + i, 8);
		x |= m;
		memcpy(p + i, &x, 8);
	}
}

static int
entry_load(struct check_def *c, struct words *ws, yaml_document_t *doc, yaml_node_t *e,
	struct error *err)
{
	static const char *const keys[] = {"wrong", "right", "note", "fires", "passes", NULL};
	struct wentry w;
	yaml_node_t *v;
	const char *s;
	char *src;
	int ec, i, k;
	PCRE2_SIZE eo;
	PCRE2_UCHAR buf[256];

	memset(&w, 0, sizeof(w));
	if (ry_keys(doc, e, keys, "words 项", err) == -1)
		return -1;
	if ((v = ry_get(doc, e, "wrong")) == NULL || (s = ry_str(v, "wrong", err)) == NULL)
		return v ? -1 : ry_error(e, err, "缺少 wrong（错误写法）");
	w.wrong = xstrdup(s);
	if ((v = ry_get(doc, e, "right")) == NULL || (s = ry_str(v, "right", err)) == NULL) {
		entry_release(&w);
		return v ? -1 : ry_error(e, err, "缺少 right（正确写法）");
	}
	w.right = xstrdup(s);
	if ((v = ry_get(doc, e, "note"))) {
		if ((s = ry_str(v, "note", err)) == NULL) {
			entry_release(&w);
			return -1;
		}
		w.note = xstrdup(s);
	}
	if (entry_key(&w) == -1) {
		ry_error(e, err, "wrong“%s”应以确定的字（或 [..] 中的几个字）开头，不含顶层 |",
		    w.wrong);
		entry_release(&w);
		return -1;
	}
	{
		/* \G(?:wrong) */
		size_t l = strlen(w.wrong);

		src = xmalloc(l + 7);
		memcpy(src, "\\G(?:", 5);
		memcpy(src + 5, w.wrong, l);
		memcpy(src + 5 + l, ")", 2);
	}
	w.re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &ec,
	    &eo, NULL);
	free(src);
	if (w.re == NULL) {
		pcre2_get_error_message(ec, buf, sizeof(buf));
		ry_error(e, err, "正则表达式错误：%s：%s", (char *)buf, w.wrong);
		entry_release(&w);
		return -1;
	}
	if (entry_examples(c, &w, doc, e, err) == -1) {
		entry_release(&w);
		return -1;
	}
	for (i = 0; i < w.nfirst; i++) {
		unsigned group = 1u << w.first[i] % LEAD_GROUPS;

		if (ws->nfew >= 0 && !in_set(ws->few, ws->nfew, w.first[i])) {
			if (ws->nfew < FEW)
				ws->few[ws->nfew++] = w.first[i];
			else
				ws->nfew = -1;
		}

		if (w.nsecond == 0) {
			ws->lf[w.first[i]][0] |= LEAD_SINGLE;
			if (!(ws->lf[0][1] & LEAD_SINGLE))
				follow_all(ws);
			bit_set(ws->single, w.first[i]);
			bucket_add(&ws->idx[bucket_of(w.first[i], 0)], ws->n);
			single_add(ws, w.first[i]);
		}
		for (k = 0; k < w.nsecond; k++) {
			ws->lf[w.first[i]][0] |= group;
			ws->lf[w.second[k]][1] |= group;
			bit_set(ws->pair, pair_hash(w.first[i], w.second[k]));
			bucket_add(&ws->idx[bucket_of(w.first[i], w.second[k])], ws->n);
			pair_add(ws, w.first[i], w.second[k], &w, ws->n);
		}
	}
	xgrow(&ws->v, &ws->cap, ws->n + 1, sizeof(*ws->v));
	ws->v[ws->n++] = w;
	return 0;
}

static int
words_list(struct check_def *c, struct words *ws, yaml_document_t *doc, yaml_node_t *list,
	struct error *err)
{
	yaml_node_item_t *it;

	if (list->type != YAML_SEQUENCE_NODE)
		return ry_error(list, err, "应为 {wrong, right} 的列表");
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++)
		if (entry_load(c, ws, doc, yaml_document_get_node(doc, *it), err) == -1)
			return -1;
	return 0;
}

static int
words_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	struct words *ws = c->data;
	yaml_node_t *v;

	if (ws == NULL) {
		ws = xcalloc(1, sizeof(*ws));
		c->data = ws;
	}
	if (n && n->type == YAML_SEQUENCE_NODE)
		return words_list(c, ws, doc, n, err);
	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return ry_error(n, err, "words 应为 {wrong, right} 的列表");
	{
		static const char *const keys[] = {"list", "add", NULL};

		if (ry_keys(doc, n, keys, "words", err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "list"))) {
		size_t i;

		for (i = 0; i < ws->n; i++)
			entry_release(&ws->v[i]);
		ws->n = 0;
		for (i = 0; i < NBUCKET; i++) {
			free(ws->idx[i].v);
			ws->idx[i].v = NULL;
			ws->idx[i].n = 0;
		}
		memset(ws->lf, 0, sizeof(ws->lf));
		memset(ws->single, 0, sizeof(ws->single));
		memset(ws->pair, 0, sizeof(ws->pair));
		ws->nfew = 0;
		for (i = 0; i < ws->nkp; i++)
			free(ws->kp[i].lit);
		ws->nkp = 0;
		memset(ws->kphead, 0, sizeof(ws->kphead));
		ws->keys = NULL;
		ws->unkeyed = 0;
		ws->nsing = 0;
		if (words_list(c, ws, doc, v, err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "add")) && words_list(c, ws, doc, v, err) == -1)
		return -1;
	return 0;
}

/*
 * May an entry start at the characters a, b (b 0 at the end)?  0 where
 * none does.  The tables are indexed by the low 16 bits of a code point:
 * a character past U+FFFF may pass, though it is no key (words_run
 * checks).
 */
static inline unsigned
may_start(const struct words *ws, uint32_t a, uint32_t b)
{
	return ws->lf[(uint16_t)a][0] & ws->lf[(uint16_t)b][1];
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * The first k' >= k with may_start() at k' (cp[k' + 1], or 0 at the end,
 * the second), or n; ws has nfew > 0 first characters, compared with
 * eight code points at a time (AVX2) as the expression MATCH of v, the
 * eight, and f0..f7: the first characters, the list padded with its
 * first.  A character past U+FFFF is passed over here, where the table
 * scan stops and words_run() passes it over.
 */
#define FEW_NEXT(MATCH)                                                               \
	const uint32_t *fw = ws->few;                                                 \
	int nf = ws->nfew;                                                            \
	const __m256i f0 = _mm256_set1_epi32((int)fw[0]),                             \
		      f1 = _mm256_set1_epi32((int)fw[nf > 1 ? 1 : 0]),                \
		      f2 = _mm256_set1_epi32((int)fw[nf > 2 ? 2 : 0]),                \
		      f3 = _mm256_set1_epi32((int)fw[nf > 3 ? 3 : 0]),                \
		      f4 = _mm256_set1_epi32((int)fw[nf > 4 ? 4 : 0]),                \
		      f5 = _mm256_set1_epi32((int)fw[nf > 5 ? 5 : 0]),                \
		      f6 = _mm256_set1_epi32((int)fw[nf > 6 ? 6 : 0]),                \
		      f7 = _mm256_set1_epi32((int)fw[nf > 7 ? 7 : 0]);                \
                                                                                      \
	(void)f1, (void)f2, (void)f3, (void)f4, (void)f5, (void)f6, (void)f7;          \
	for (; n - k >= 8; k += 8) {                                                  \
		__m256i v = _mm256_loadu_si256((const __m256i *)(cp + k));            \
		unsigned b = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(MATCH)); \
                                                                                      \
		for (; b; b &= b - 1) {                                               \
			size_t j = k + (size_t)__builtin_ctz(b);                      \
                                                                                      \
			if (may_start(ws, cp[j], j + 1 < n ? cp[j + 1] : 0))          \
				return j;                                             \
		}                                                                     \
	}                                                                             \
	for (; k < n; k++)                                                            \
		if (cp[k] <= 0xFFFF && may_start(ws, cp[k], k + 1 < n ? cp[k + 1] : 0)) \
			return k;                                                     \
	return n

#define FEW_EQ(f) _mm256_cmpeq_epi32(v, f)
#define FEW_EQ4(a, b, c, d)                                    \
	_mm256_or_si256(_mm256_or_si256(FEW_EQ(a), FEW_EQ(b)), \
	    _mm256_or_si256(FEW_EQ(c), FEW_EQ(d)))

__attribute__((target("avx2"))) static size_t
few_next1(const struct words *ws, const uint32_t *cp, size_t k, size_t n)
{
	FEW_NEXT(FEW_EQ(f0));
}

__attribute__((target("avx2"))) static size_t
few_next4(const struct words *ws, const uint32_t *cp, size_t k, size_t n)
{
	FEW_NEXT(FEW_EQ4(f0, f1, f2, f3));
}

__attribute__((target("avx2"))) static size_t
few_next8(const struct words *ws, const uint32_t *cp, size_t k, size_t n)
{
	FEW_NEXT(_mm256_or_si256(FEW_EQ4(f0, f1, f2, f3), FEW_EQ4(f4, f5, f6, f7)));
}
#endif

/*
 * Entry w's pattern anchored at at: 1 a match there (*ml its length), 0
 * none, -1 a limit (reported).  Apart from bucket_try() and not inlined
 * into it, so that the filter's loop keeps a small frame: most candidates
 * never get here.
 */
static int __attribute__((noinline))
entry_try(const struct check_def *c, struct check_ctx *ctx, const struct wentry *w, size_t at,
	size_t e, size_t *ml)
{
	struct pattern pat;
	size_t mo, l;
	int rc;

	memset(&pat, 0, sizeof(pat));
	/* an entry's pattern runs anchored at a candidate, in the interpreter:
	 * not JIT compiled (pattern_code() would take its lock at every call) */
	atomic_init(&pat.jitted, 1);
	pat.re = w->re;
	pat.src = w->wrong;
	rc = pattern_find(ctx->m, &pat, ctx->an->norm.s, e, at, &mo, &l);
	if (rc < 0) {
		rules_unchecked(c, ctx, "正则表达式超出匹配上限");
		return -1;
	}
	if (rc == 1 && mo == at && l > 0) {
		*ml = l;
		return 1;
	}
	return 0;
}

/*
 * Does the text at s (avail bytes there; x its first eight when wide,
 * avail >= 8) go on with w's literal?  The first eight bytes in one load.
 */
static inline int
lit_at(const struct wentry *w, const char *s, size_t avail, uint64_t x, int wide)
{
	if (w->nlit > avail)
		return 0;
	if (wide)
		return (x & w->hmask) == w->head &&
		    (w->nlit <= 8 || memcmp(s + 8, w->lit + 8, w->nlit - 8) == 0);
	return memcmp(s, w->lit, w->nlit) == 0;
}

/*
 * Try the entries of bucket bk at at; the lowest matching index or best
 * (-2: limit).  An entry is tried only where the text goes on with its
 * literal (lit_at()) and c1, c2 are its keys.
 */
static long
bucket_try(const struct check_def *c, struct check_ctx *ctx, const struct words *ws,
	const struct bucket *bk, size_t at, size_t e, uint32_t c1, uint32_t c2, long best,
	size_t *ml)
{
	const char *s = ctx->an->norm.s + at;
	size_t j;
	uint64_t x = 0;
	int rc, wide = e - at >= 8;

	if (wide)
		memcpy(&x, s, 8);
	for (j = 0; j < bk->n; j++) {
		size_t k = bk->v[j];
		const struct wentry *w = &ws->v[k];

		if (best >= 0 && (long)k >= best)
			break;
		if (!lit_at(w, s, e - at, x, wide))
			continue;
		if (!in_set(w->first, w->nfirst, c1) ||
		    (w->nsecond && !in_set(w->second, w->nsecond, c2)))
			continue;
		if ((rc = entry_try(c, ctx, w, at, e, ml)) < 0)
			return -2;
		if (rc == 1)
			return (long)k;
	}
	return best;
}

/* The first entry (in list order) matching at at, or -1 (-2: limit); *ml its length. */
static long
words_at(const struct check_def *c, struct check_ctx *ctx, const struct words *ws, size_t at,
	size_t e, uint32_t c1, uint32_t c2, size_t *ml)
{
	const struct bucket *b1 = &ws->idx[bucket_of(c1, 0)];
	size_t l1 = 0, l2 = 0;
	long k1 = -1, k2;

	if (c2)
		k1 = bucket_try(c, ctx, ws, &ws->idx[bucket_of(c1, c2)], at, e, c1, c2, -1, &l1);
	if (k1 == -2)
		return -2;
	/* the single characters' bucket, most often empty */
	k2 = b1->n ? bucket_try(c, ctx, ws, b1, at, e, c1, c2, k1, &l2) : k1;
	if (k2 == -2)
		return -2;
	if (k2 >= 0 && (k1 < 0 || k2 < k1)) {
		*ml = l2;
		return k2;
	}
	*ml = l1;
	return k1;
}

/*
 * The entry that matches at at (c1 its character, c2 the next one or 0
 * at e), reported: as words_at(); *ml the match's length.
 */
static long
words_report(const struct check_def *c, struct check_ctx *ctx, const struct words *ws, size_t at,
	size_t e, uint32_t c1, uint32_t c2, size_t *ml)
{
	const char *s = ctx->an->norm.s;
	long w = words_at(c, ctx, ws, at, e, c1, c2, ml);
	char *d;

	if (w < 0)
		return w;
	if (ws->v[w].note)
		d = xasprintf("“%.*s”，%s", (int)*ml, s + at, ws->v[w].note);
	else
		d = xasprintf("“%.*s”应为“%s”", (int)*ml, s + at, ws->v[w].right);
	rules_finding_at(c, ctx, at, *ml, d);
	free(d);
	return w;
}

/* Offsets where an entry may match, in the order found. */
struct cands {
	uint32_t *v;
	size_t n, cap;
	int unsorted;
};

static void
cand_add(struct cands *cv, size_t at)
{
	if (cv->n && cv->v[cv->n - 1] >= at)
		cv->unsorted = 1;
	if (cv->n == cv->cap)
		xgrow(&cv->v, &cv->cap, cv->n + 1, sizeof(*cv->v));
	cv->v[cv->n++] = (uint32_t)at;
}

static int
cand_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Does an entry of pair p start at s[at], where the pair stands, by its
 * literal (lit_at())?  The text goes on to e, past the pair.
 */
static int
pair_lit(const struct words *ws, const struct wpair *p, const char *s, size_t at, size_t e)
{
	const struct plit *l = p->lit, *end = l + p->nlit;
	size_t a = at + p->len;
	uint64_t x;

	if (e - a < 8) {
		for (; l < end; l++)
			if (l->nrest <= e - a &&
			    memcmp(s + a, ws->v[l->k].lit + p->len, l->nrest) == 0)
				return 1;
		return 0;
	}
	memcpy(&x, s + a, 8);
	for (; l < end; l++)
		if ((x & l->hmask) == l->head &&
		    (l->nrest <= 8 || (l->nrest <= e - a &&
			memcmp(s + a + 8, ws->v[l->k].lit + p->len + 8, l->nrest - 8) == 0)))
			return 1;
	return 0;
}

/* Does character u stand at s (its first and last byte known to)? */
static inline int
single_at(const struct wsingle *u, const char *s)
{
	size_t j;

	for (j = 1; j + 1 < u->len; j++)
		if (s[j] != u->u[j])
			return 0;
	return 1;
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * The offsets of character u in s[i, e) into cv, 32 a step (AVX2): where
 * its first and its last byte stand at its distance, the bytes between
 * compared.  Where it stopped (too few bytes left for a step).
 */
__attribute__((target("avx2"))) static size_t
single_scan32(const struct wsingle *u, const char *s, size_t i, size_t e, struct cands *cv)
{
	const __m256i f = _mm256_set1_epi8(u->u[0]), l = _mm256_set1_epi8(u->u[u->len - 1]);
	size_t d = u->len - 1;

	for (; i + d + 32 <= e; i += 32) {
		__m256i x = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(s + i)), f);
		__m256i y = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(s + i + d)), l);
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(x, y));

		for (; m; m &= m - 1) {
			size_t at = i + (size_t)__builtin_ctz(m);

			if (single_at(u, s + at))
				cand_add(cv, at);
		}
	}
	return i;
}
#endif

/*
 * The first i' >= i whose pair the text holds (local[id[i']] != 0), or n;
 * eight a step with AVX2 (a gather of their local numbers): most of a
 * list's pairs are in no report.
 */
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) static size_t
pairs_next32(const uint32_t *local, const uint32_t *id, size_t i, size_t n)
{
	for (; i + 8 <= n; i += 8) {
		__m256i x = _mm256_i32gather_epi32((const int *)local,
		    _mm256_loadu_si256((const __m256i *)(id + i)), 4);
		unsigned m = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(
		    _mm256_cmpeq_epi32(x, _mm256_setzero_si256())));

		if (m != 0xFF)
			return i + (size_t)__builtin_ctz(~m);
	}
	for (; i < n && local[id[i]] == 0; i++)
		;
	return i;
}
#endif

static size_t
pairs_next(const uint32_t *local, const uint32_t *id, size_t i, size_t n)
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (__builtin_cpu_supports("avx2"))
		return pairs_next32(local, id, i, n);
#endif
	for (; i < n && local[id[i]] == 0; i++)
		;
	return i;
}

/*
 * The candidates of [b, e) of the text s that ti indexes with ws->keys:
 * where a pair of the list stands (the index says where; those where no
 * entry of the pair goes on with its literal left out) and where a
 * single first character does (single_scan32(), then memchr() for its
 * last byte); ascending (an offset twice where both are).
 */
static void
words_cands(const struct words *ws, const struct textindex *ti, const char *s, size_t b,
	size_t e, struct cands *cv)
{
	size_t i, j;

	for (i = 0; (i = pairs_next(ti->local, ws->kpid, i, ws->nkp)) < ws->nkp; i++) {
		const struct textindex_pair *tp = &ti->pair[ti->local[ws->kpid[i]] - 1];
		const struct wpair *p = &ws->kp[i];
		const uint32_t *pos = ti->pos + tp->start;

		for (j = textindex_lower(pos, 0, tp->count, b); j < tp->count; j++) {
			if (pos[j] + p->len > e)
				break;
			if (pair_lit(ws, p, s, pos[j], e))
				cand_add(cv, pos[j]);
		}
	}
	for (i = 0; i < (size_t)ws->nsing; i++) {
		const struct wsingle *u = &ws->sing[i];
		size_t d = u->len - 1, at = b;
		const char *q, *end = s + e;

#if defined(__x86_64__) && defined(__GNUC__)
		if (__builtin_cpu_supports("avx2"))
			at = single_scan32(u, s, b, e, cv);
#endif
		for (q = s + at + d; q < end && (q = memchr(q, u->u[d], (size_t)(end - q))); q++)
			if (q[-(ptrdiff_t)d] == u->u[0] && single_at(u, q - d))
				cand_add(cv, (size_t)(q - d - s));
	}
	if (cv->unsorted)
		qsort(cv->v, cv->n, sizeof(*cv->v), cand_cmp);
}

/*
 * words_run() over [b, e) where the report's index numbers the list's
 * pairs: only its candidates (words_cands()) looked at, each as the pass
 * would, in order, on after a match.
 */
static void
words_indexed(const struct check_def *c, struct check_ctx *ctx, const struct words *ws,
	size_t b, size_t e, int *shown)
{
	const char *s = ctx->an->norm.s;
	struct cands cv = {NULL, 0, 0, 0};
	size_t i, from = b, at, ml, l1, l2;

	words_cands(ws, ctx->an->lits, s, b, e, &cv);
	for (i = 0; i < cv.n && *shown < RULES_MAX_HITS; i++) {
		uint32_t c1, c2;
		long w;

		if ((at = cv.v[i]) < from)
			continue;
		c1 = utf8_decode(s + at, e - at, &l1);
		c2 = at + l1 < e ? utf8_decode(s + at + l1, e - at - l1, &l2) : 0;
		w = words_report(c, ctx, ws, at, e, c1, c2, &ml);
		if (w == -2) {
			*shown = RULES_MAX_HITS; /* reported as not checked */
			break;
		}
		if (w < 0) {
			from = at + 1;
			continue;
		}
		(*shown)++;
		from = at + ml;
	}
	free(cv.v);
}

static void
words_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct words *ws = c->data;
	const struct textindex *ti = ctx->an->lits;
	const uint32_t *cp;
	const size_t *off;
	struct scope sc;
	size_t i, b, e, k, n, at, ml;
	int shown = 0, indexed;
#if defined(__x86_64__) && defined(__GNUC__)
	int few = ws && ws->nfew > 0 && __builtin_cpu_supports("avx2") ? ws->nfew : 0;
#endif

	if (ws == NULL || ws->n == 0 || rules_scope(c, ctx, &sc) != 0)
		return;
	/* the index numbers every pair of the list: no pass */
	indexed = ws->keys && !ws->unkeyed && ws->nsing >= 0 && ti && ti->keys == ws->keys &&
	    ti->s == ctx->an->norm.s;
	for (i = 0; i < sc.n && shown < RULES_MAX_HITS; i++) {
		rules_range(ctx, 0, sc.v[i], &b, &e);
		if (indexed) {
			words_indexed(c, ctx, ws, b, e, &shown);
			continue;
		}
		n = rules_codepoints(ctx, b, e, &cp, &off);
		for (k = 0; k < n && shown < RULES_MAX_HITS; k++) {
			uint32_t c1, c2;
			long w;

#if defined(__x86_64__) && defined(__GNUC__)
			if (few > 0) {
				/* a list of few first characters: those looked for */
				k = few == 1 ? few_next1(ws, cp, k, n) :
				    few <= 4 ? few_next4(ws, cp, k, n) : few_next8(ws, cp, k, n);
			} else
#endif
			{
				/* on to the next pair of characters that may start an
				 * entry, eight a step while none does */
				while (k + 8 < n &&
				    !(may_start(ws, cp[k], cp[k + 1]) |
					may_start(ws, cp[k + 1], cp[k + 2]) |
					may_start(ws, cp[k + 2], cp[k + 3]) |
					may_start(ws, cp[k + 3], cp[k + 4]) |
					may_start(ws, cp[k + 4], cp[k + 5]) |
					may_start(ws, cp[k + 5], cp[k + 6]) |
					may_start(ws, cp[k + 6], cp[k + 7]) |
					may_start(ws, cp[k + 7], cp[k + 8])))
					k += 8;
				while (k < n && !may_start(ws, cp[k], k + 1 < n ? cp[k + 1] : 0))
					k++;
			}
			if (k == n)
				break;
			c1 = cp[k];
			c2 = k + 1 < n ? cp[k + 1] : 0;
			if (c1 > 0xFFFF)
				continue;
			if (!bit_get(ws->single, c1) &&
			    !(c2 && c2 <= 0xFFFF && bit_get(ws->pair, pair_hash(c1, c2))))
				continue;
			at = off[k];
			w = words_report(c, ctx, ws, at, e, c1, c2, &ml);
			if (w == -2) {
				shown = RULES_MAX_HITS; /* reported as not checked */
				break;
			}
			if (w < 0)
				continue;
			shown++;
			/* on after the match */
			while (k + 1 < n && off[k + 1] < at + ml)
				k++;
		}
	}
	scope_release(&sc);
}

const struct check_kind kind_words = {"words", words_load, words_run, words_free};
