/*
 * docx_numbering.c: the numbers Word draws in front of list paragraphs.
 *
 * numbering.xml defines abstract lists (w:abstractNum, nine levels each
 * with w:start, w:numFmt, w:lvlText, w:suff, w:lvlRestart) and list
 * instances (w:num) that point at one and may override levels
 * (w:lvlOverride with w:startOverride or a whole w:lvl).  Instances of the
 * same abstract list share its counters, as in Word, except that an
 * instance with a start override restarts the level the first time it is
 * used.  Text is never read from numbering.xml beyond lvlText.
 */
#include "docx_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NLVL 9

struct lvl {
	int have;
	long start;
	const char *fmt;    /* w:numFmt, "decimal" when absent */
	const char *text;   /* w:lvlText, NULL: none */
	const char *suff;   /* "tab" (default), "space", "nothing" */
	const char *pstyle; /* w:pStyle bound to this level */
	long restart;       /* w:lvlRestart, -1: default */
	int legal;          /* w:isLgl */
};

struct abs {
	long id;
	struct lvl lv[NLVL];
	long count[NLVL];   /* current value; used[] says whether it has one */
	int used[NLVL];
};

struct num {
	long id;
	size_t abs;           /* index into nb->abs, or (size_t)-1 */
	long start_ov[NLVL];  /* -1 none */
	int ov_pending[NLVL]; /* start override not applied yet */
	struct lvl lv[NLVL];  /* whole-level overrides (have = 1) */
};

/* An id and the index of its entry, for the sorted indexes. */
struct idkey {
	long id;
	size_t idx;
};

struct docx_numbering {
	xmlDoc *xml;
	struct abs *abs;
	size_t nabs;
	struct num *num;
	size_t nnum;
	struct idkey *num_byid; /* nnum entries sorted by id, then index */
};

static int
idkey_cmp(const void *a, const void *b)
{
	const struct idkey *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sorted (id, index) pairs of n entries whose ids id_at() gives; freed by the caller. */
static struct idkey *
index_ids(size_t n, long (*id_at)(const struct docx_numbering *, size_t),
	const struct docx_numbering *nb)
{
	struct idkey *k = xmalloc((n ? n : 1) * sizeof(*k));
	size_t i;

	for (i = 0; i < n; i++) {
		k[i].id = id_at(nb, i);
		k[i].idx = i;
	}
	if (n > 1)
		qsort(k, n, sizeof(*k), idkey_cmp);
	return k;
}

/*
 * The index of the last entry with this id in a sorted index (a later
 * definition wins, as the linear scans this replaces had it), or
 * (size_t)-1.
 */
static size_t
find_last(const struct idkey *k, size_t n, long id)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (k[mid].id <= id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && k[lo - 1].id == id ? k[lo - 1].idx : (size_t)-1;
}

static long
abs_id(const struct docx_numbering *nb, size_t i)
{
	return nb->abs[i].id;
}

static long
num_id_at(const struct docx_numbering *nb, size_t i)
{
	return nb->num[i].id;
}

static void
read_lvl(struct lvl *l, const xmlNode *n)
{
	const char *v;

	memset(l, 0, sizeof(*l));
	l->have = 1;
	l->start = docx_child_int(n, "start", 1);
	l->fmt = docx_attr(docx_child(n, "numFmt"), "val");
	if (l->fmt == NULL)
		l->fmt = "decimal";
	l->text = docx_attr(docx_child(n, "lvlText"), "val");
	l->suff = docx_attr(docx_child(n, "suff"), "val");
	if (l->suff == NULL)
		l->suff = "tab";
	l->pstyle = docx_attr(docx_child(n, "pStyle"), "val");
	l->restart = docx_child_int(n, "lvlRestart", -1);
	v = docx_attr(docx_child(n, "isLgl"), "val");
	l->legal = docx_child(n, "isLgl") != NULL && (v == NULL || strcmp(v, "0") != 0);
}

static long
attr_long(const xmlNode *n, const char *name, long def)
{
	const char *v = docx_attr(n, name);
	long x;

	if (v == NULL)
		return def;
	x = strtol(v, NULL, 10);
	return x > 10000000 ? 10000000 : x < -10000000 ? -10000000 : x;
}

struct docx_numbering *
docx_numbering_new(xmlDoc *xml)
{
	struct docx_numbering *nb = xcalloc(1, sizeof(*nb));
	xmlNode *root, *c, *k, *o;
	size_t acap = 0, ncap = 0, i;
	long il, id;
	struct num *m;
	struct idkey *abs_byid;

	nb->xml = xml;
	if (xml == NULL || (root = xmlDocGetRootElement(xml)) == NULL) {
		nb->num_byid = index_ids(0, num_id_at, nb);
		return nb;
	}
	for (c = root->children; c != NULL; c = c->next) {
		if (docx_isw(c, "abstractNum")) {
			struct abs *a;

			xgrow(&nb->abs, &acap, nb->nabs + 1, sizeof(*nb->abs));
			a = &nb->abs[nb->nabs++];
			memset(a, 0, sizeof(*a));
			a->id = attr_long(c, "abstractNumId", -1);
			for (k = c->children; k != NULL; k = k->next) {
				if (!docx_isw(k, "lvl"))
					continue;
				il = attr_long(k, "ilvl", -1);
				if (il >= 0 && il < NLVL)
					read_lvl(&a->lv[il], k);
			}
		}
	}
	abs_byid = index_ids(nb->nabs, abs_id, nb);
	for (c = root->children; c != NULL; c = c->next) {
		if (!docx_isw(c, "num"))
			continue;
		xgrow(&nb->num, &ncap, nb->nnum + 1, sizeof(*nb->num));
		m = &nb->num[nb->nnum++];
		memset(m, 0, sizeof(*m));
		m->id = attr_long(c, "numId", -1);
		m->abs = (size_t)-1;
		id = docx_child_int(c, "abstractNumId", -1);
		m->abs = find_last(abs_byid, nb->nabs, id);
		for (i = 0; i < NLVL; i++)
			m->start_ov[i] = -1;
		for (k = c->children; k != NULL; k = k->next) {
			if (!docx_isw(k, "lvlOverride"))
				continue;
			il = attr_long(k, "ilvl", -1);
			if (il < 0 || il >= NLVL)
				continue;
			if ((o = docx_child(k, "startOverride")) != NULL) {
				m->start_ov[il] = attr_long(o, "val", 1);
				m->ov_pending[il] = 1;
			}
			if ((o = docx_child(k, "lvl")) != NULL)
				read_lvl(&m->lv[il], o);
		}
	}
	free(abs_byid);
	nb->num_byid = index_ids(nb->nnum, num_id_at, nb);
	return nb;
}

void
docx_numbering_free(struct docx_numbering *nb)
{
	if (nb == NULL)
		return;
	xmlFreeDoc(nb->xml);
	free(nb->abs);
	free(nb->num);
	free(nb->num_byid);
	free(nb);
}

static void
add_cp(struct buf *out, unsigned cp)
{
	char tmp[4];
	size_t k = 0;

	if (cp < 0x80) {
		tmp[k++] = (char)cp;
	} else if (cp < 0x800) {
		tmp[k++] = (char)(0xC0 | (cp >> 6));
		tmp[k++] = (char)(0x80 | (cp & 0x3F));
	} else {
		tmp[k++] = (char)(0xE0 | (cp >> 12));
		tmp[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[k++] = (char)(0x80 | (cp & 0x3F));
	}
	buf_add(out, tmp, k);
}

/*
 * Chinese counting numerals (一 … 十 … 一百零一 …, up to 9999).  ten_one:
 * write 10–19 as 十… (chineseCounting) rather than 一十… (legal).  hundred_one:
 * write 一百 rather than 百 (japaneseCounting drops the 一).
 */
static void
chinese(long n, const char *const *dig, const char *const *unit, int ten_one, int hundred_one,
	struct buf *out)
{
	long p[4];
	int i, zero = 0, started = 0;

	p[0] = n / 1000 % 10;
	p[1] = n / 100 % 10;
	p[2] = n / 10 % 10;
	p[3] = n % 10;
	for (i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (started)
				zero = 1;
			continue;
		}
		if (zero && dig[0] != NULL)
			buf_adds(out, dig[0]);
		zero = 0;
		if (!(i == 2 && p[i] == 1 && !started && ten_one) &&
			!(i < 2 && p[i] == 1 && !hundred_one))
			buf_adds(out, dig[p[i]]);
		if (i < 3)
			buf_adds(out, unit[i]);
		started = 1;
	}
}

static void
roman(long n, int upper, struct buf *out)
{
	static const long val[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
	static const char *const up[] = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX",
		"V", "IV", "I"};
	static const char *const lo[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix",
		"v", "iv", "i"};
	size_t i;

	for (i = 0; i < sizeof(val) / sizeof(val[0]); i++)
		while (n >= val[i]) {
			buf_adds(out, upper ? up[i] : lo[i]);
			n -= val[i];
		}
}

void
docx_format_number(const char *fmt, long n, struct buf *out)
{
	static const char *const cn[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	static const char *const cnu[] = {"千", "百", "十"};
	static const char *const legal[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
	static const char *const legalu[] = {"仟", "佰", "拾"};
	static const char *const gan[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
	static const char *const zhi[] = {"子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉",
		"戌", "亥"};
	const char *cz[10];
	char tmp[32];
	long k;
	int i;

	if (n < 0)
		n = 0;
	if (strcmp(fmt, "chineseCounting") == 0 || strcmp(fmt, "chineseCountingThousand") == 0 ||
		strcmp(fmt, "japaneseCounting") == 0 || strcmp(fmt, "taiwaneseCounting") == 0 ||
		strcmp(fmt, "taiwaneseCountingThousand") == 0 ||
		strcmp(fmt, "japaneseDigitalTenThousand") == 0) {
		if (n == 0 || n > 9999) {
			snprintf(tmp, sizeof(tmp), "%ld", n);
			buf_adds(out, n == 0 ? "〇" : tmp);
			return;
		}
		memcpy(cz, cn, sizeof(cz));
		cz[0] = "零";
		chinese(n, cz, cnu, 1, strcmp(fmt, "japaneseCounting") != 0, out);
	} else if (strcmp(fmt, "chineseLegalSimplified") == 0) {
		if (n == 0 || n > 9999) {
			snprintf(tmp, sizeof(tmp), "%ld", n);
			buf_adds(out, tmp);
			return;
		}
		chinese(n, legal, legalu, 0, 1, out);
	} else if (strcmp(fmt, "ideographDigital") == 0 || strcmp(fmt, "japaneseLegal") == 0) {
		snprintf(tmp, sizeof(tmp), "%ld", n);
		for (i = 0; tmp[i] != '\0'; i++)
			buf_adds(out, cn[tmp[i] - '0']);
	} else if (strcmp(fmt, "ideographTraditional") == 0 && n >= 1 && n <= 10) {
		buf_adds(out, gan[n - 1]);
	} else if (strcmp(fmt, "ideographZodiac") == 0 && n >= 1 && n <= 12) {
		buf_adds(out, zhi[n - 1]);
	} else if (strcmp(fmt, "decimalEnclosedCircle") == 0 ||
		strcmp(fmt, "decimalEnclosedCircleChinese") == 0) {
		if (n >= 1 && n <= 20)
			add_cp(out, 0x2460 + (unsigned)n - 1);
		else
			buf_printf(out, "%ld", n);
	} else if (strcmp(fmt, "decimalEnclosedParen") == 0 && n >= 1 && n <= 20) {
		add_cp(out, 0x2474 + (unsigned)n - 1);
	} else if (strcmp(fmt, "decimalEnclosedFullstop") == 0 && n >= 1 && n <= 20) {
		add_cp(out, 0x2488 + (unsigned)n - 1);
	} else if (strcmp(fmt, "decimalFullWidth") == 0 || strcmp(fmt, "decimalFullWidth2") == 0) {
		snprintf(tmp, sizeof(tmp), "%ld", n);
		for (i = 0; tmp[i] != '\0'; i++)
			add_cp(out, 0xFF10 + (unsigned)(tmp[i] - '0'));
	} else if (strcmp(fmt, "upperLetter") == 0 || strcmp(fmt, "lowerLetter") == 0) {
		/* Word: A..Z, then AA..ZZ, AAA... */
		if (n < 1)
			n = 1;
		k = (n - 1) / 26 + 1;
		for (i = 0; i < k && i < 20; i++)
			buf_addc(out, (char)((fmt[0] == 'u' ? 'A' : 'a') + (n - 1) % 26));
	} else if (strcmp(fmt, "upperRoman") == 0 || strcmp(fmt, "lowerRoman") == 0) {
		if (n >= 1 && n < 4000)
			roman(n, fmt[0] == 'u', out);
		else
			buf_printf(out, "%ld", n);
	} else if (strcmp(fmt, "decimalZero") == 0) {
		buf_printf(out, "%02ld", n);
	} else if (strcmp(fmt, "ordinal") == 0) {
		buf_printf(out, "%ld.", n);
	} else {
		buf_printf(out, "%ld", n);
	}
}

/* The level definition in force: the instance's override, else the abstract list's. */
static const struct lvl *
level(const struct docx_numbering *nb, const struct num *m, int il)
{
	if (m->lv[il].have)
		return &m->lv[il];
	return &nb->abs[m->abs].lv[il];
}

int
docx_numbering_next(struct docx_numbering *nb, int num_id, int ilvl, const char *style_id,
	struct buf *out)
{
	struct num *m = NULL;
	struct abs *a;
	const struct lvl *l;
	const char *p;
	size_t i;
	int j, k;
	long v;

	if (num_id <= 0)
		return 0;
	if ((i = find_last(nb->num_byid, nb->nnum, num_id)) != (size_t)-1)
		m = &nb->num[i];
	if (m == NULL || m->abs == (size_t)-1)
		return 0;
	a = &nb->abs[m->abs];
	if (ilvl < 0 && style_id != NULL) {
		for (j = 0; j < NLVL; j++)
			if (level(nb, m, j)->pstyle != NULL &&
				strcmp(level(nb, m, j)->pstyle, style_id) == 0)
				ilvl = j;
	}
	if (ilvl < 0 || ilvl >= NLVL)
		ilvl = 0;
	l = level(nb, m, ilvl);
	if (!l->have)
		return 0;
	/* advance this level, reset the deeper ones */
	if (m->ov_pending[ilvl]) {
		m->ov_pending[ilvl] = 0;
		a->count[ilvl] = m->start_ov[ilvl];
	} else if (a->used[ilvl]) {
		a->count[ilvl]++;
	} else {
		a->count[ilvl] = l->start;
	}
	a->used[ilvl] = 1;
	for (j = ilvl + 1; j < NLVL; j++) {
		long r = level(nb, m, j)->restart;

		if (r < 0 || (r > 0 && ilvl < r))
			a->used[j] = 0;
	}
	if (strcmp(l->fmt, "bullet") == 0 || strcmp(l->fmt, "none") == 0 || l->text == NULL)
		return 0;
	for (p = l->text; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
			/* %N may name a level the list never defines: Word shows it
			 * as a decimal counter starting at 1 */
			const struct lvl *lk = level(nb, m, p[1] - '1');

			k = p[1] - '1';
			v = a->used[k] ? a->count[k] : lk->have ? lk->start : 1;
			docx_format_number(l->legal || !lk->have ? "decimal" : lk->fmt, v, out);
			p++;
		} else {
			buf_addc(out, *p);
		}
	}
	if (strcmp(l->suff, "space") == 0)
		buf_addc(out, ' ');
	return out->len > 0;
}
