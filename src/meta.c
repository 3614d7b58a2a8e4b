/*
 * meta.c: what the report says about itself -- unit, parent county, the
 * year reported on, 发文字号, 主送, 署名 and 成文日期.
 *
 * The year reported on comes from the title, then the introduction, then
 * the 成文日期 (a report dated January to May speaks of the year before),
 * and only then from the most frequent year in the text, so a wrong year
 * inside a heading never wins over the title and the introduction.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "analysis_int.h"
#include "utf8.h"

static int
at(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);

	return i + k <= n && memcmp(s + i, lit, k) == 0;
}

/* Year written as 2024 or 二〇二四 / 二○二四 at s[i..n), followed by 年; 0 if none. */
static int
year_at(const char *s, size_t n, size_t i, size_t *len)
{
	size_t k;
	int y = 0;

	if (i + 5 <= n && (s[i] == '1' || s[i] == '2') && s[i + 1] >= '0' && s[i + 1] <= '9' &&
	    s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] >= '0' && s[i + 3] <= '9' &&
	    at(s, n, i + 4, "年") && !(i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')) {
		y = atoi(s + i);
		*len = 4;
		return y >= 1990 && y <= 2100 ? y : 0;
	}
	k = zh_numeral_span(s + i, n - i);
	if (k >= 12 && at(s, n, i + k, "年")) {
		size_t j = i, l;
		int digits = 0;

		while (j < i + k && digits < 5) {
			const char *p = s + j;
			uint32_t cp = utf8_decode(p, n - j, &l);
			int d = cp == 0x4E00 ? 1 : cp == 0x4E8C ? 2 : cp == 0x4E09 ? 3 : cp == 0x56DB ? 4
			    : cp == 0x4E94 ? 5 : cp == 0x516D ? 6 : cp == 0x4E03 ? 7 : cp == 0x516B ? 8
			    : cp == 0x4E5D ? 9 : (cp == 0x96F6 || cp == 0x3007 || cp == 0x25CB) ? 0 : -1;

			if (d < 0)
				return 0;
			y = y * 10 + d;
			digits++;
			j += l;
		}
		if (digits == 4 && y >= 1990 && y <= 2100) {
			*len = k;
			return y;
		}
	}
	return 0;
}

/* First year in s[b..e), or 0. */
static int
first_year(const char *s, size_t b, size_t e)
{
	size_t i, l;
	int y;

	for (i = b; i < e; i++)
		if ((y = year_at(s, e, i, &l)) != 0)
			return y;
	return 0;
}

/* Most frequent year in s[b..e), or 0. */
static int
common_year(const char *s, size_t b, size_t e)
{
	int count[120] = {0}, best = 0, y;
	size_t i, l;

	for (i = b; i < e; i++)
		if ((y = year_at(s, e, i, &l)) >= 1990 && y < 2110) {
			count[y - 1990]++;
			i += l - 1;
		}
	for (y = 0; y < 120; y++)
		if (count[y] > (best ? count[best - 1990] : 0))
			best = y + 1990;
	return best;
}

/* Copy original text for the normalised span [nb, ne), spaces dropped. */
static char *
orig_text(const struct doc *d, const struct analysis *a, size_t nb, size_t ne)
{
	size_t ob = a->norm.map[nb], oe = a->norm.map[ne], i, l;
	struct buf b;

	buf_init(&b);
	for (i = ob; i < oe; i += l ? l : 1) {
		uint32_t cp = utf8_decode(d->text + i, oe - i, &l);

		if (cp == ' ' || cp == '\t' || cp == 0x3000 || cp == '\n')
			continue;
		buf_add(&b, d->text + i, l);
	}
	return buf_detach(&b);
}

static enum unit_kind kind_of_norm(const char *u, size_t n);

/* Kind of the unit, from the end of its (possibly traditional) name. */
static enum unit_kind
kind_of(const char *orig)
{
	char *u = norm_strdup(orig);
	size_t n = strlen(u);
	enum unit_kind k = kind_of_norm(u, n);

	free(u);
	return k;
}

static enum unit_kind
kind_of_norm(const char *u, size_t n)
{
	if (strstr(u, "街道"))
		return UNIT_STREET;
	if ((n >= 3 && (!strcmp(u + n - 3, "镇") || !strcmp(u + n - 3, "乡"))) || strstr(u, "苏木"))
		return UNIT_TOWNSHIP;
	if (n >= 3 && (!strcmp(u + n - 3, "县") || !strcmp(u + n - 3, "区") || !strcmp(u + n - 3, "市") || !strcmp(u + n - 3, "省") || !strcmp(u + n - 3, "州") ||
	    !strcmp(u + n - 3, "旗")))
		return UNIT_COUNTY;
	if (n >= 3)
		return UNIT_DEPARTMENT;
	return UNIT_UNKNOWN;
}

/*
 * Split "乌苏市古尔图镇" / "鲁山县下汤镇人民政府" / "刚察县司法局" into the
 * parent county (up to 县/市/区/旗) and the unit.
 */
static void
split_unit(const char *name, char **unit, char **parent)
{
	static const char *const cut[] = {"人民政府", "委员会", NULL};
	static const char *const lv[] = {"自治县", "县", "市", "区", "旗", NULL};
	char *u = xstrdup(name);
	size_t n = strlen(u);
	int k;

	for (k = 0; cut[k]; k++) {
		size_t cl = strlen(cut[k]);

		if (n > cl + 3 && strcmp(u + n - cl, cut[k]) == 0) {
			u[n - cl] = '\0';
			n -= cl;
		}
	}
	/* a county prefix, when something follows it */
	for (k = 0; lv[k]; k++) {
		char *p = strstr(u, lv[k]);

		if (p != NULL && p - u >= 6 && p[strlen(lv[k])] != '\0' &&
		    strncmp(p + strlen(lv[k]), "委", 3) != 0 &&
		    strlen(p + strlen(lv[k])) >= 6) {
			size_t pl = (size_t)(p - u) + strlen(lv[k]);

			if (*parent == NULL)
				*parent = xstrndup(u, pl);
			memmove(u, u + pl, strlen(u + pl) + 1);
			break;
		}
	}
	*unit = u;
}

/*
 * The unit named in the title: the text before the year or 关于, with the
 * 中共…委员会 of a joint report dropped.
 */
static char *
unit_from_title(const char *t)
{
	const char *e = strstr(t, "关于");
	const char *p;
	size_t l;

	for (p = t; *p; p++) {
		int y;

		if ((y = year_at(p, strlen(p), 0, &l)) != 0 && (e == NULL || p < e)) {
			e = p;
			break;
		}
	}
	if (e == t) {
		/* "2025年上海市政府工作报告": the unit follows the year */
		static const char *const stops[] = {"人民政府", "政府", "法治", "关于", "工作", "党委", NULL};
		const char *b = t + l + 3, *end = NULL;
		int k;

		if (strncmp(b, "度", 0) == 0 && memcmp(b, "度", 3) == 0)
			b += 3;
		for (k = 0; stops[k]; k++) {
			const char *x = strstr(b, stops[k]);

			if (x != NULL && (end == NULL || x < end))
				end = x;
		}
		if (end == NULL || utf8_count(b, (size_t)(end - b)) < 2 ||
		    utf8_count(b, (size_t)(end - b)) > 16)
			return NULL;
		return xstrndup(b, (size_t)(end - b));
	}
	if (e == NULL)
		return NULL;
	{
		char *u = xstrndup(t, (size_t)(e - t));
		char *sp = strstr(u, "委员会");

		/* 中共XX镇委员会XX镇人民政府 -> the government's name */
		if (sp != NULL && sp[9] != '\0') {
			char *r = xstrdup(sp + 9);

			free(u);
			u = r;
		}
		if (utf8_count(u, strlen(u)) < 2 || utf8_count(u, strlen(u)) > 24) {
			free(u);
			return NULL;
		}
		return u;
	}
}

/*
 * A unit named often in the body: the most frequent run of two to four
 * Han characters ending in 镇/乡/街道 (longest on ties), skipping 我镇,
 * 全镇 and the like.
 */
char *
unit_from_body(const char *s, size_t b, size_t e)
{
	struct ent {
		size_t off, len;
		int count;
	} *v = NULL;
	size_t n = 0, cap = 0, i, l, j, best = (size_t)-1;

	for (i = b; i < e; i += l ? l : 1) {
		uint32_t cp = utf8_decode(s + i, e - i, &l);
		size_t start = i, k;

		if (cp != 0x9547 && cp != 0x4E61)  /* 镇 乡 */
			continue;
		for (k = 1; k <= 4; k++) {
			size_t pl;
			uint32_t pc;

			/* step back one code point */
			if (start <= b)
				break;
			pl = 1;
			while (start > b + pl && ((unsigned char)s[start - pl] & 0xC0) == 0x80)
				pl++;
			if (start < b + pl)
				break;
			pc = utf8_decode(s + start - pl, pl, &pl);
			if (!utf8_is_han(pc) || zh_numeral_span(s + start - pl, pl) > 0 ||
			    pc == 0x767E || pc == 0x5343 || pc == 0x4E07 ||  /* 百 千 万 */
			    pc == 0x6211 || pc == 0x5168 || pc == 0x672C ||
			    pc == 0x5404 || pc == 0x8BE5 || pc == 0x4E61 || pc == 0x57CE || pc == 0x6751 ||
			    pc == 0x548C || pc == 0x3001 || pc == 0x4E2A || pc == 0x5728 || pc == 0x5BF9)
				break;  /* 我 全 本 各 该 乡 城 村 和 、 个 在 对 */
			start -= pl;
			if (k < 2)
				continue;
			for (j = 0; j < n; j++)
				if (v[j].len == i + l - start && memcmp(s + v[j].off, s + start, v[j].len) == 0)
					break;
			if (j == n) {
				xgrow(&v, &cap, n + 1, sizeof(*v));
				v[n].off = start;
				v[n].len = i + l - start;
				v[n].count = 0;
				n++;
			}
			v[j].count++;
		}
	}
	for (j = 0; j < n; j++)
		if (v[j].count >= 3 && (best == (size_t)-1 || v[j].count > v[best].count ||
		    (v[j].count == v[best].count && v[j].len > v[best].len)))
			best = j;
	{
		char *r = best == (size_t)-1 ? NULL : xstrndup(s + v[best].off, v[best].len);

		free(v);
		return r;
	}
}

/*
 * The county named right before the unit somewhere in the text
 * ("刚察县沙柳河镇"): two to six Han characters ending in 县/市/区/旗.
 */
static char *
parent_before(const char *s, const char *unit)
{
	const char *hit = s;

	while ((hit = strstr(hit, unit)) != NULL) {
		const char *p = hit, *end = hit;
		size_t n = 0, l;
		uint32_t cp;
		const char *q = p - 1;

		if (p == s)
			goto next;
		while (q > s && ((unsigned char)*q & 0xC0) == 0x80)
			q--;
		cp = utf8_decode(q, (size_t)(p - q), &l);
		if (cp != 0x53BF && cp != 0x5E02 && cp != 0x533A && cp != 0x65D7)
			goto next;
		p = q;
		n = 1;
		while (p > s && n < 6) {
			q = p - 1;
			while (q > s && ((unsigned char)*q & 0xC0) == 0x80)
				q--;
			cp = utf8_decode(q, (size_t)(p - q), &l);
			if (!utf8_is_han(cp) || cp == 0x5728 || cp == 0x7531 || cp == 0x548C ||
			    cp == 0x5BF9 || cp == 0x4E3A || cp == 0x7684 || cp == 0x636E)
				break;  /* 在 由 和 对 为 的 据 */
			p = q;
			n++;
		}
		if (n >= 2)
			return xstrndup(p, (size_t)(end - p));
next:
		hit += strlen(unit);
	}
	return NULL;
}

/* A date 2022年10月27日 (or in Chinese numerals) in s[b..e): the last one. */
static int
find_date(const char *s, size_t b, size_t e, size_t *db, size_t *de, int *y, int *mo, int *dd)
{
	size_t i, l, yl;
	int found = 0;

	for (i = b; i < e; i++) {
		int yy = year_at(s, e, i, &yl);
		size_t k = i + yl + 3, ms, ds;
		int m = 0, d = 0;

		if (yy == 0)
			continue;
		ms = k;
		while (k < e && s[k] >= '0' && s[k] <= '9')
			m = m * 10 + (s[k++] - '0');
		if (k == ms) {
			size_t z = zh_numeral_span(s + k, e - k);

			m = zh_number(s + k, z);
			k += z;
		}
		if (m < 1 || m > 12 || !(k + 3 <= e && memcmp(s + k, "月", 3) == 0))
			continue;
		k += 3;
		ds = k;
		while (k < e && s[k] >= '0' && s[k] <= '9')
			d = d * 10 + (s[k++] - '0');
		if (k == ds) {
			size_t z = zh_numeral_span(s + k, e - k);

			d = zh_number(s + k, z);
			k += z;
		}
		if (d < 1 || d > 31 || !(k + 3 <= e && memcmp(s + k, "日", 3) == 0))
			continue;
		*db = i;
		*de = k + 3;
		*y = yy;
		*mo = m;
		*dd = d;
		found = 1;
		i = k + 2;
	}
	(void)l;
	return found;
}

void
meta_extract(const struct doc *d, struct analysis *a, struct result *res,
	const struct para_ranges *pr)
{
	const char *s = a->norm.s;
	struct meta *mt = &res->meta;
	size_t i, first_head = d->npara, nb_body = 0, tail_from;
	char *u = NULL;

	if (res->noutline && res->outline[0].kind == NODE_TITLE)
		mt->title = xstrdup(res->outline[0].text);
	if (d->core_title && *d->core_title)
		mt->core_title = xstrdup(d->core_title);
	if (d->core_creator && *d->core_creator)
		mt->core_creator = xstrdup(d->core_creator);
	if (d->core_modified && *d->core_modified)
		mt->core_modified = xstrdup(d->core_modified);
	/* the first heading's paragraph bounds the front matter */
	for (i = 0; i < res->noutline; i++)
		if (res->outline[i].kind != NODE_TITLE) {
			first_head = (size_t)res->outline[i].line - 1;
			break;
		}
	if (d->format == DOCFMT_DOCX) {
		size_t j;

		first_head = d->npara;
		for (j = 0; j < d->npara && res->noutline > 0; j++) {
			size_t k;

			for (k = 0; k < res->noutline; k++)
				if (res->outline[k].kind != NODE_TITLE && res->outline[k].line == d->paras[j].line)
					break;
			if (k < res->noutline) {
				first_head = j;
				break;
			}
		}
	}

	/* front matter: 文号 and 主送 */
	for (i = 0; i < d->npara && i < first_head && i < 30; i++) {
		size_t b = pr->nb[i], e = pr->ne[i], n = e > b ? utf8_count(s + b, e - b) : 0;
		const char *lb;

		if (n == 0)
			continue;
		if (mt->doc_number == NULL && n <= 30 && (lb = memmem(s + b, e - b, "号", 3)) != NULL) {
			const char *q = s + b;
			size_t k;

			for (k = b; k < (size_t)(lb - s); k++)
				if (year_at(s, e, k + 3, &n) || (s[k] == '[' || memcmp(s + k, "〔", 3) == 0 ||
				    memcmp(s + k, "【", 3) == 0 || memcmp(s + k, "（", 3) == 0 || s[k] == '('))
					break;
			if (k < (size_t)(lb - s) && lb > q) {
				const char *st = q;

				/* skip a 签发人 on the same line */
				mt->doc_number = orig_text(d, a, (size_t)(st - s), (size_t)(lb - s) + 3);
			}
		}
		if (mt->addressee == NULL && n <= 40 && e - b >= 3 && memcmp(s + e - 3, "：", 3) == 0 &&
		    !memmem(s + b, e - b, "签发人", 9) && (a->title.end == 0 || d->paras[i].off >= a->title.end))
			mt->addressee = orig_text(d, a, b, e - 3);
	}

	/* unit and parent */
	if (mt->title && (u = unit_from_title(mt->title)) != NULL) {
		split_unit(u, &mt->unit, &mt->parent);
		free(u);
	}
	/* 版头 "刚察县沙柳河镇人民政府文件" names the parent too */
	for (i = 0; i < d->npara && i < first_head && i < 10; i++) {
		size_t b = pr->nb[i], e = pr->ne[i];

		if (e - b > 6 && memcmp(s + e - 6, "文件", 6) == 0) {
			char *h = orig_text(d, a, b, e - 6), *hu = NULL, *hp = NULL;

			split_unit(h, &hu, &hp);
			if (mt->unit == NULL)
				mt->unit = hu;
			else
				free(hu);
			if (mt->parent == NULL)
				mt->parent = hp;
			else
				free(hp);
			free(h);
		}
	}
	if (mt->unit == NULL)
		mt->unit = unit_from_body(s, a->norm.len ? 0 : 0, a->norm.len);
	if (mt->unit != NULL) {
		mt->unit_kind = kind_of(mt->unit);
		if (mt->parent == NULL)
			mt->parent = parent_before(s, mt->unit);
	}

	/* the year reported on */
	if (mt->title)
		mt->year = first_year(mt->title, 0, strlen(mt->title));
	nb_body = a->body.off;
	for (i = 0; i < d->npara; i++)
		if (d->paras[i].off + d->paras[i].len >= nb_body)
			break;
	if (mt->year == 0) {
		/* the introduction: body text before the first heading */
		size_t ib = i < d->npara ? pr->nb[i] : a->norm.len;
		size_t ie = first_head < d->npara ? pr->nb[first_head] : a->norm.len;

		if (ie > ib + 600)
			ie = ib + 600;
		if (ie > ib)
			mt->year = first_year(s, ib, ie);
	}

	/* 落款: the last date near the end, with the signing unit above it */
	tail_from = d->npara > 6 ? d->npara - 6 : 0;
	for (i = d->npara; i-- > tail_from;) {
		size_t b = pr->nb[i], e = pr->ne[i], db, de;
		int y, m, dd;

		if (e == b)
			continue;
		if (e - b <= 45 && find_date(s, b, e, &db, &de, &y, &m, &dd) &&
		    (e - de) <= 9) {
			size_t j;

			mt->date = orig_text(d, a, db, de);
			mt->date_y = y;
			mt->date_m = m;
			mt->date_d = dd;
			a->body.end = d->paras[i].off;
			for (j = i; j-- > tail_from;) {
				size_t jb = pr->nb[j], je = pr->ne[j], jn;

				if (je == jb)
					continue;
				jn = utf8_count(s + jb, je - jb);
				if (jn <= 30 && !memmem(s + jb, je - jb, "。", 3)) {
					mt->signatory = orig_text(d, a, jb, je);
					a->body.end = d->paras[j].off;
				}
				break;
			}
			/* the same line may carry both: 沙柳河镇人民政府 2022年10月27日 */
			if (mt->signatory == NULL && db > b + 6)
				mt->signatory = orig_text(d, a, b, db);
			break;
		}
		if (e - b > 90)
			break;
	}
	if (mt->year == 0 && mt->date_y)
		mt->year = mt->date_m <= 5 ? mt->date_y - 1 : mt->date_y;
	if (mt->year == 0)
		mt->year = common_year(s, 0, a->norm.len);
}
