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
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "analysis_int.h"
#include "utf8.h"

static int
at(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);

	return i + k <= n && memcmp(s + i, lit, k) == 0;
}

/*
 * Can a year (below) start with byte x: 1, 2, or the lead byte of a
 * Chinese numeral, E2 (○), E3 (〇), E4, E5 or E9 (零)?  The loops over
 * every byte of a span ask this before year_at().
 */
static inline int
year_may_start(unsigned char x)
{
	return x == '1' || x == '2' || (x - 0xE2u <= 7 && (0x8F >> (x - 0xE2) & 1));
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
	/* a Chinese numeral starts with E2 (○), E3 (〇), E4, E5 or E9 (零) */
	if (i >= n || (unsigned char)s[i] < 0x80 || !year_may_start((unsigned char)s[i]))
		return 0;
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

/*
 * Is the year at s[i] (l bytes, then 年) the year a report speaks of?  Not
 * the end of a range (2021—2025年), a date (2024年5月28日, 2025年1月), a
 * year inside a cited title (《…纲要（2021—2025年）》) or a plan year
 * ("2024年工作思路").  b is where the paragraph starts.
 */
static int
report_year_at(const char *s, size_t b, size_t e, size_t i, size_t l)
{
	static const char *const before[] = {"—", "－", "–", "-", "~", "～", "至", "到", NULL};
	static const char *const plan[] = {"工作计划", "工作思路", "工作安排", "工作要点", "工作打算",
		"计划", "思路", "安排", "要点", "打算", "目标", "重点工作", NULL};
	size_t k = i + l + 3, j;
	int open = 0;

	for (j = 0; before[j]; j++) {
		size_t bl = strlen(before[j]);

		if (i >= b + bl && memcmp(s + i - bl, before[j], bl) == 0)
			return 0;
	}
	while (k < e && s[k] >= '0' && s[k] <= '9')
		k++;
	if (k == i + l + 3)
		k += zh_numeral_span(s + k, e - k);
	if (k > i + l + 3 && at(s, e, k, "月"))
		return 0;
	k = i + l + 3;
	if (at(s, e, k, "度"))
		k += 3;
	for (j = 0; plan[j]; j++)
		if (at(s, e, k, plan[j]))
			return 0;
	for (j = b; j < i; j++)
		if (at(s, i, j, "《"))
			open++;
		else if (at(s, i, j, "》") && open > 0)
			open--;
	return open == 0;
}

/* First report year in s[b..e) (see report_year_at), or 0. */
static int
first_year(const char *s, size_t b, size_t e)
{
	size_t i, l;
	int y;

	for (i = b; i < e; i++)
		if (year_may_start((unsigned char)s[i]) && (y = year_at(s, e, i, &l)) != 0 &&
		    report_year_at(s, b, e, i, l))
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
		if (year_may_start((unsigned char)s[i]) && (y = year_at(s, e, i, &l)) >= 1990 &&
		    y < 2110) {
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
static int all_generic(const char *s);

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
 * parent county (up to 县/市/区/旗) and the unit.  The name is searched in
 * its normalised form (寶山區羅店鎮 too) and cut in the original.
 */
static void
split_unit(const char *name, char **unit, char **parent)
{
	static const char *const lv[] = {"自治县", "县", "市", "区", "旗", NULL};
	char *u = xstrdup(name), *nu = norm_strdup(name);
	size_t n = strlen(u), cl = strlen("人民政府");
	int k;

	if (strlen(nu) != n) {
		/* folding changed the byte length: no cut */
		free(nu);
		*unit = u;
		return;
	}
	/* 北京市政府, 鲁山县下汤镇人民政府: the place */
	for (k = 0; k < 2; k++) {
		const char *g = k == 0 ? "人民政府" : "政府";

		cl = strlen(g);
		if (n > cl + 3 && strcmp(nu + n - cl, g) == 0 &&
		    (at(nu, n - cl, n - cl - 3, "县") || at(nu, n - cl, n - cl - 3, "市") ||
		     at(nu, n - cl, n - cl - 3, "区") || at(nu, n - cl, n - cl - 3, "省") ||
		     at(nu, n - cl, n - cl - 3, "镇") || at(nu, n - cl, n - cl - 3, "乡") ||
		     at(nu, n - cl, n - cl - 3, "旗") || k == 0)) {
			u[n - cl] = nu[n - cl] = '\0';
			n -= cl;
			break;
		}
	}
	/*
	 * a county prefix, when something follows it: 重庆市|江津区|四屏镇
	 * is cut to the end of the last level (at most three)
	 */
	{
		size_t cut = 0;
		int round, again = 1;

		for (round = 0; round < 3 && again; round++) {
			char *best = NULL;

			again = 0;
			/* the nearest level word */
			for (k = 0; lv[k]; k++) {
				char *p = strstr(nu + cut, lv[k]), *r;

				if (p == NULL || p - (nu + cut) < 6)
					continue;
				r = p + strlen(lv[k]);
				if (strlen(r) >= 6 && strncmp(r, "委", 3) != 0 && strncmp(nu, "中共", 6) != 0 &&
				    !all_generic(r) && (best == NULL || r < best))
					best = r;
			}
			if (best != NULL) {
				cut = (size_t)(best - nu);
				again = 1;
			}
		}
		if (cut > 0) {
			if (*parent == NULL)
				*parent = xstrndup(u, cut);
			memmove(u, u + cut, strlen(u + cut) + 1);
		}
	}
	free(nu);
	*unit = u;
}

/*
 * Text with its spaces and line breaks dropped, each byte leading back to
 * its offset in the normalised text (ctext_pos()): a title split over
 * lines, or an opening sentence, reads as one string.
 */
struct ctext {
	char *s;
	size_t n;
	size_t *run;       /* per run between white space: its offset in s, then in the text */
	size_t nrun, cap;  /* (pairs) */
	size_t e;          /* the offset of s[n] */
};

/* ' ', '\n', '\t', '\r': what ctext drops */
static inline int
ctext_drops(char x)
{
	return x == ' ' || x == '\n' || x == '\t' || x == '\r';
}

/*
 * The runs between white space are copied whole (a paragraph may be the
 * whole report): with SSE2 the next white space is looked for sixteen
 * bytes at a time.
 */
static void
ctext_init(struct ctext *c, const char *s, size_t b, size_t e)
{
	size_t i = b, r;
#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n');
	const __m128i tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r');
#endif

	c->s = xmalloc(e - b + 1);
	c->run = NULL;
	c->nrun = c->cap = 0;
	c->n = 0;
	while (i < e) {
		if (ctext_drops(s[i])) {
			i++;
			continue;
		}
		/* the run at i: up to the next white space */
		r = i + 1;
#ifdef __SSE2__
		while (e - r >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + r));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, nl)),
			    _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, cr))));

			if (m != 0) {
				r += (size_t)__builtin_ctz(m);
				break;
			}
			r += 16;
		}
#endif
		while (r < e && !ctext_drops(s[r]))
			r++;
		memcpy(c->s + c->n, s + i, r - i);
		xgrow(&c->run, &c->cap, 2 * c->nrun + 2, sizeof(*c->run));
		c->run[2 * c->nrun] = c->n;
		c->run[2 * c->nrun + 1] = i;
		c->nrun++;
		c->n += r - i;
		i = r;
	}
	c->e = e;
	c->s[c->n] = '\0';
}

/* The offset in the text of c->s[x] (x <= c->n): in the last run that starts at or before x. */
static size_t
ctext_pos(const struct ctext *c, size_t x)
{
	size_t lo = 0, hi = c->nrun;

	if (x >= c->n)
		return c->e;
	/* run[2 * lo] <= x < run[2 * hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->run[2 * mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return c->run[2 * lo + 1] + (x - c->run[2 * lo]);
}

static void
ctext_release(struct ctext *c)
{
	free(c->s);
	free(c->run);
}

/* Byte length of the code point that ends at s[i] (i > 0). */
static size_t
back_len(const char *s, size_t i)
{
	size_t k = 1;

	while (k < i && k < 4 && ((unsigned char)s[i - k] & 0xC0) == 0x80)
		k++;
	return k;
}

/* The endings of a unit's name (normalised), longest first where they overlap. */
static const char *const unit_ends[] = {
	"街道办事处", "办事处", "人民政府", "政府", "委员会", "管委会", "党工委", "工委",
	"街道", "办公室", "自治区", "苏木", "分局", "中心", "镇", "乡", "县", "区", "市", "省",
	"州", "旗", "盟", "局", "委", "厅", "部", "办", "所", "院", "署", "街", NULL
};

#define NUNIT_ENDS (sizeof(unit_ends) / sizeof(*unit_ends) - 1)

/* The lengths of unit_ends, made once (words_once, with stop_bits). */
static size_t unit_end_len[NUNIT_ENDS];

static void words_make(void);
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

/* Does s[b..i) end with unit ending k?  Its last byte first. */
static inline int
ends_with_unit_end(const char *s, size_t b, size_t i, size_t k)
{
	size_t l = unit_end_len[k];

	return i >= b + l && s[i - 1] == unit_ends[k][l - 1] &&
	    memcmp(s + i - l, unit_ends[k], l) == 0;
}

/* Does s[b..i) end with a unit ending? */
static int
unit_end_at(const char *s, size_t b, size_t i)
{
	size_t k;

	for (k = 0; k < NUNIT_ENDS; k++)
		if (ends_with_unit_end(s, b, i, k))
			return 1;
	return 0;
}

/*
 * Words that end a unit's name where it stands at the start of a title or
 * a sentence: the year and the subject of a title, a person's post, the
 * verbs of an opening sentence ("××街道办事处深入学习…", "××镇在县委…").
 */
static const char *const unit_stops[] = {
	"关于", "上半年", "下半年", "全年", "年度", "法治", "依法", "述法", "工作", "发布",
	"主要负责", "党委", "党工委", "党组", "书记", "主任",
	"履行", "推进", "贯彻", "深入", "坚持", "始终", "认真", "全面", "紧紧", "持续", "围绕",
	"聚焦", "积极", "高度", "立足", "锚定", "切实", "不断", "扎实", "牢牢", "严格", "着力",
	"全力", "落实", "践行", "学习", "紧扣", "领导班子", "班子", "党政", "统筹", "进一步",
	"大力", "对标", "按照", "根据", "高位", "主动", "结合", "继续", "在", "以", "把", "将",
	"是", "的", NULL
};

#define NUNIT_STOPS (sizeof(unit_stops) / sizeof(*unit_stops) - 1)

/* A bit of 256 for each stop word's first two bytes (made once: words_once). */
static uint64_t stop_bits[4];
/* The stop words by that hash: those of h are stop_word[stop_from[h] .. stop_from[h + 1]),
 * with their lengths (made once: words_once). */
static unsigned char stop_from[257], stop_word[NUNIT_STOPS];
static size_t stop_len[NUNIT_STOPS];

static inline unsigned
stop_hash(const char *w)
{
	return ((unsigned char)w[0] * 31u + (unsigned char)w[1]) & 255;
}

/* Can a stop word start with the two bytes at p? */
static inline int
stop_may_start(const char *p)
{
	unsigned h = stop_hash(p);

	return stop_bits[h >> 6] >> (h & 63) & 1;
}

/* The characters of a name that is no name of its own (generic_name), one code point each. */
static const char gen_chars[] = "我全本该各镇乡县区市省州党";
static uint32_t gen_cp[sizeof(gen_chars)];
static size_t ngen_cp;

/* The tables above, from the word lists. */
static void
words_make(void)
{
	size_t k, l;

	for (k = 0; unit_stops[k]; k++) {
		unsigned h = stop_hash(unit_stops[k]);

		stop_bits[h >> 6] |= (uint64_t)1 << (h & 63);
		stop_len[k] = strlen(unit_stops[k]);
		stop_from[h + 1]++;
	}
	for (k = 0; k < 256; k++)
		stop_from[k + 1] += stop_from[k];
	{
		unsigned char fill[256];

		memcpy(fill, stop_from, sizeof(fill));
		for (k = 0; unit_stops[k]; k++)
			stop_word[fill[stop_hash(unit_stops[k])]++] = (unsigned char)k;
	}
	for (k = 0; k < NUNIT_ENDS; k++)
		unit_end_len[k] = strlen(unit_ends[k]);
	for (k = 0; gen_chars[k]; k += l)
		gen_cp[ngen_cp++] = utf8_decode(gen_chars + k, strlen(gen_chars + k), &l);
}

/*
 * Is the name c[b..e) no name of its own: 乡镇, 镇党委, 省政府, 市局 (unit
 * endings and level words only)?  人民街街道办事处 is a name.
 */
static int
generic_name(const char *c, size_t b, size_t e)
{
	size_t i, l, k;
	int again = 1;

	pthread_once(&words_once, words_make);
	while (again && e > b) {
		again = 0;
		for (k = 0; k < NUNIT_ENDS; k++)
			if (ends_with_unit_end(c, b, e, k)) {
				e -= unit_end_len[k];
				again = 1;
				break;
			}
	}
	for (i = b; i < e; i += l) {
		char u[5];
		uint32_t cp = utf8_decode(c + i, e - i, &l);

		/* strstr(gen_chars, u) of the character written out: one of gen_chars
		 * (a whole character matches only itself in valid UTF-8), or U+0000,
		 * written as the empty string */
		l = utf8_encode(cp, u);
		for (k = 0; k < ngen_cp && gen_cp[k] != cp; k++)
			;
		if (k == ngen_cp && cp != 0)
			return 0;
	}
	return 1;
}

/* Is the rest of a name no unit of its own (政府, 人民政府, 党委)? */
static int
all_generic(const char *s)
{
	static const char *const g[] = {"政府", "人民政府", "委", "党委", "政府办", "人民政府办公室",
		"政府办公室", NULL};
	int k;

	for (k = 0; g[k]; k++)
		if (strcmp(s, g[k]) == 0)
			return 1;
	return 0;
}

/*
 * A unit's name at c[b..e): cut at the first stop word, a digit or a
 * punctuation mark, then back to the last unit ending.  Of a joint issuer
 * (中共××县委××县人民政府, 中共××镇委员会××镇人民政府) the government is
 * the unit.  0 when nothing there is a name.
 */
static int
unit_at(const char *c, size_t b, size_t e, size_t *ub, size_t *ue)
{
	size_t i, l, end = e;
	int ncp;
	uint32_t cp;

	pthread_once(&words_once, words_make);
	/* cut at a stop word or at what is not a Han character */
	for (i = b; i < e && end == e; i += l) {
		cp = utf8_decode(c + i, e - i, &l);
		if (!utf8_is_han(cp) || cp == 0x3007) {
			end = i;
			break;
		}
		/* only where a stop word's first two bytes may stand (every stop word is
		 * Chinese), then those bytes first: strlen and memcmp only where they agree */
		if (i + 1 >= e || !stop_may_start(c + i))
			continue;
		{
			unsigned h = stop_hash(c + i), j;

			/* only those of the bytes' hash (any one ends the name here) */
			for (j = stop_from[h]; j < stop_from[h + 1]; j++) {
				const char *sw = unit_stops[stop_word[j]];
				size_t sl = stop_len[stop_word[j]];

				if (c[i] == sw[0] && c[i + 1] == sw[1] && i + sl <= e &&
				    memcmp(c + i, sw, sl) == 0) {
					end = i;
					break;
				}
			}
		}
	}
	/* back to the last unit ending */
	while (end > b && !unit_end_at(c, b, end))
		end -= back_len(c, end);
	if (end <= b)
		return 0;
	/* 中共××县委××县人民政府: the government */
	if (at(c, end, b, "中共")) {
		const char *x = memmem(c + b, end - b, "委员会", 9);
		size_t xe = 0;

		if (x != NULL)
			xe = (size_t)(x - c) + 9;
		else if ((x = memmem(c + b + 6, end - b - 6, "委", 3)) != NULL)
			xe = (size_t)(x - c) + 3;
		if (xe != 0 && xe < end && utf8_count(c + xe, end - xe) >= 2 && !generic_name(c, xe, end))
			b = xe;  /* not 中共××市委|办公室 */
	}
	ncp = (int)utf8_count(c + b, end - b);
	cp = utf8_decode(c + b, end - b, &l);
	if (ncp < 2 || ncp > 30 || generic_name(c, b, end) || cp == 0x6211 || cp == 0x5168 || cp == 0x672C ||
	    cp == 0x8BE5 || cp == 0x5404 || cp == 0x67D0)
		return 0;  /* 我 全 本 该 各 某 */
	*ub = b;
	*ue = end;
	return 1;
}

/* Byte length of a year (2024年, 二〇二四年, with 度) at c[i..n), or 0. */
static size_t
year_prefix(const char *c, size_t n, size_t i)
{
	size_t l;

	if (year_at(c, n, i, &l) == 0)
		return 0;
	l += 3;
	if (at(c, n, i + l, "度"))
		l += 3;
	return l;
}

/* The unit named at the start of the title: "××镇人民政府关于…", "2025年××镇…". */
static int
unit_in_title(const struct ctext *c, size_t *ub, size_t *ue)
{
	const char *x;
	size_t b = 0, l;

	while (b < c->n && !(c->s[b] >= '0' && c->s[b] <= '9') &&
	    !utf8_is_han(utf8_decode(c->s + b, c->n - b, &l)))
		b += l;
	b += year_prefix(c->s, c->n, b);
	if (!at(c->s, c->n, b, "关于") && unit_at(c->s, b, c->n, ub, ue))
		return 1;
	/* chrome before the name: "www.…com湖北省人民政府关于…" */
	if ((x = strstr(c->s + b, "关于")) != NULL && x > c->s + b) {
		size_t q = (size_t)(x - c->s), i;

		for (i = b; i < q; i += l)
			if (!utf8_is_han(utf8_decode(c->s + i, q - i, &l)))
				b = i + l;
		return unit_at(c->s, b, q, ub, ue) && *ue == q;
	}
	return 0;
}

/*
 * The unit named by the opening sentence: "2025年，××街道办事处深入学习…",
 * "2025年，在县委、县政府的坚强领导下，××镇…", "…现将××镇2025年度法治政府
 * 建设情况报告如下".
 */
static int
unit_in_opening(const struct ctext *c, size_t *ub, size_t *ue)
{
	const char *s = c->s, *x;
	size_t n = c->n, b = 0, l;
	int lead = 0, k;

	if ((x = strstr(s, "现将")) != NULL && unit_at(s, (size_t)(x - s) + 6, n, ub, ue))
		return 1;
	if ((l = year_prefix(s, n, 0)) != 0) {
		b = l;
		if (at(s, n, b, "以来"))
			b += 6;
		lead = 1;
	} else {
		static const char *const leads[] = {"今年以来", "一年来", "过去一年", NULL};

		for (k = 0; leads[k]; k++)
			if (at(s, n, 0, leads[k])) {
				b = strlen(leads[k]);
				lead = 1;
			}
	}
	if (!lead && !at(s, n, 0, "在"))
		return 0;
	for (k = 0; k < 4; k++) {
		while (at(s, n, b, "，"))
			b += 3;
		if (at(s, n, b, "在") || at(s, n, b, "按照") || at(s, n, b, "根据")) {
			const char *cm = strstr(s + b, "，");

			if (cm == NULL || cm - (s + b) > 240)
				return 0;
			b = (size_t)(cm - s);
			continue;
		}
		break;
	}
	return unit_at(s, b, n, ub, ue);
}

/* A name standing as the subject at c[b..): followed by a verb, not by 、 or a mark. */
static int
subject_at(const char *s, size_t b, size_t n, size_t *ub, size_t *ue)
{
	size_t l;

	return unit_at(s, b, n, ub, ue) && *ub == b && *ue < n &&
	    utf8_is_han(utf8_decode(s + *ue, n - *ue, &l)) && !at(s, n, *ue, "、") &&
	    !at(s, n, *ue, "的");
}

/*
 * The first paragraph of the body also names its unit as the subject of
 * a sentence with no year before it: "市文化广电旅游局在市委、市政府的领导
 * 下…", "…的重要之年。西兴街道始终坚持…".
 */
static int
unit_in_first(const struct ctext *c, size_t *ub, size_t *ue)
{
	const char *s = c->s, *x;
	size_t b = 0;

	if (unit_in_opening(c, ub, ue) || subject_at(s, 0, c->n, ub, ue))
		return 1;
	while (b < c->n && (x = find_str(s + b, c->n - b, "。")) != NULL) {
		b = (size_t)(x - s) + 3;
		if (subject_at(s, b, c->n, ub, ue))
			return 1;
	}
	return 0;
}


/*
 * A unit that calls itself 我局 / 我市 / 我镇 … and names itself in a
 * document it made: "制定《景德镇市法治政府建设实施纲要…》" in a report
 * that says 我市.  The name must end in the same word as the 我X.
 */
static int
unit_in_own_document(const char *s, size_t n, size_t *ub, size_t *ue)
{
	static const char *const made[] = {"制定", "印发", "出台", "编制", "修订", "起草", "》", NULL};
	static const char *const kinds[] = {"局", "委", "市", "县", "区", "镇", "乡", "街", "厅", "部", NULL};
	int self[10] = {0}, k, j;
	const char *x;
	size_t i;

	for (x = s; (x = find_tail(x, n - (size_t)(x - s), "我")) != NULL; x += 3)
		for (k = 0; kinds[k]; k++)
			if (at(s, n, (size_t)(x - s) + 3, kinds[k]))
				self[k] = 1;
	for (x = s; (x = find_tail(x, n - (size_t)(x - s), "《")) != NULL; x += 3) {
		size_t q = (size_t)(x - s), b = q + 3, e = b + 60 < n ? b + 60 : n;
		int ok = 0;

		for (k = 0; made[k] && !ok; k++)
			for (i = q > 12 ? q - 12 : 0; i < q; i++)
				if (at(s, q, i, made[k]))
					ok = 1;
		if (!ok || !unit_at(s, b, e, ub, ue))
			continue;
		/* 中共××镇委: the township */
		if (at(s, *ue, *ub, "中共") && *ue >= *ub + 12 && at(s, *ue, *ue - 3, "委")) {
			*ub += 6;
			*ue -= 3;
		}
		/* the longest name that ends in the 我X word: 《保定市个人诚信积分管理办法》 */
		for (; *ue > *ub + 3; *ue -= back_len(s, *ue))
			for (j = 0; kinds[j]; j++)
				if (self[j] && at(s, *ue, *ue - 3, kinds[j]) && !generic_name(s, *ub, *ue))
					return 1;
	}
	return 0;
}

/*
 * The county named right before the unit somewhere in the text
 * ("刚察县沙柳河镇"): two to six Han characters ending in 县/市/区/旗.
 */
static char *
parent_before(const char *s, const char *unit)
{
	const char *hit = s;
	size_t len = strlen(s);

	while ((hit = find_tail(hit, len - (size_t)(hit - s), unit)) != NULL) {
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
		int yy = year_may_start((unsigned char)s[i]) ? year_at(s, e, i, &yl) : 0;
		size_t k, ms, ds;
		int m = 0, d = 0;

		if (yy == 0)
			continue;
		k = i + yl + 3;
		ms = k;
		/* past 12 (or 31 below) the value no longer matters: no overflow */
		for (; k < e && s[k] >= '0' && s[k] <= '9'; k++)
			if (m <= 12)
				m = m * 10 + (s[k] - '0');
		if (k == ms) {
			size_t z = zh_numeral_span(s + k, e - k);

			m = zh_number(s + k, z);
			k += z;
		}
		if (m < 1 || m > 12 || !(k + 3 <= e && memcmp(s + k, "月", 3) == 0))
			continue;
		k += 3;
		ds = k;
		for (; k < e && s[k] >= '0' && s[k] <= '9'; k++)
			if (d <= 31)
				d = d * 10 + (s[k] - '0');
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

/* A date line written with dots, slashes or dashes: "2022.10.27". */
static int
dotted_date(const char *s, size_t b, size_t e, int *y, int *mo, int *dd)
{
	int v[3] = {0, 0, 0}, k = 0, nd = 0;
	size_t i;

	for (i = b; i < e; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (nd == 4)
				return 0;         /* no part of a date has five digits */
			v[k] = v[k] * 10 + (s[i] - '0');
			nd++;
		} else if ((s[i] == '.' || s[i] == '/' || s[i] == '-') && nd > 0 && k < 2) {
			k++;
			nd = 0;
		} else if (!(i + 3 == e && at(s, e, i, "日")) && s[i] != ' ') {
			return 0;
		} else if (s[i] != ' ') {
			break;
		}
	}
	if (k != 2 || v[0] < 1990 || v[0] > 2100 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
		return 0;
	*y = v[0];
	*mo = v[1];
	*dd = v[2];
	return 1;
}

/*
 * Does the paragraph s[b..e) consist of a 发文字号 ("沙政〔2022〕126号",
 * also in a wrong form: "沙政[2022]126号", "开州府办发〔202526号"), alone or
 * with its 签发人?  The end of the number (after 号) in *ne.
 */
static int
doc_number_line(const char *s, size_t b, size_t e, size_t *ne)
{
	static const char *const open[] = {"〔", "[", "【", "（", "［", NULL};
	static const char *const close[] = {"〕", "]", "】", "）", "］", NULL};
	size_t i = b, l, nd;
	int nh = 0, k, br = 0;

	while (i < e && utf8_is_han(utf8_decode(s + i, e - i, &l)) && !at(s, e, i, "第")) {
		i += l;
		nh++;
	}
	if (nh < 1 || nh > 15)
		return 0;
	for (k = 0; open[k]; k++)
		if (at(s, e, i, open[k])) {
			i += strlen(open[k]);
			br = 1;
			break;
		}
	for (nd = 0; i < e && s[i] >= '0' && s[i] <= '9'; i++)
		nd++;
	if (nd < 2 || (!br && nd < 4))
		return 0;
	for (k = 0; close[k]; k++)
		if (at(s, e, i, close[k])) {
			i += strlen(close[k]);
			if (at(s, e, i, "第"))
				i += 3;
			for (nd = 0; i < e && s[i] >= '0' && s[i] <= '9'; i++)
				nd++;
			if (nd == 0)
				return 0;
			break;
		}
	if (!at(s, e, i, "号"))
		return 0;
	i += 3;
	*ne = i;
	while (i < e && s[i] == ' ')
		i++;
	return i == e || at(s, e, i, "签发人");
}

/* Endings of the names in a 主送 line, and the salutations of a report to a 人大. */
static const char *const addressee_ends[] = {
	"政府", "委员会", "常委会", "管委会", "工委", "党委", "党组", "委", "局", "办公室", "办",
	"厅", "部", "组", "院", "所", "署", "中心", "单位", "代表", "委员", "主任", "同志",
	"同志们", "街道", "镇", "乡", "县", "区", "市", "省", NULL
};

/*
 * Is s[b..e) (the colon left out) a 主送 line: organs or salutations
 * joined by 、 or ，, such as "县委、县政府", "中共××县委、××县人民政府",
 * "主任、各位副主任、委员"?  Not "…总结如下", "来源", "【字体".
 */
static int
is_addressee(const char *s, size_t b, size_t e)
{
	size_t i = b, l, eb = b, ncp = 0;
	int depth = 0, nel = 0;

	if (b >= e)
		return 0;
	for (i = b; i <= e; i += l) {
		uint32_t cp = i < e ? utf8_decode(s + i, e - i, &l) : 0;

		if (i < e && cp == 0xFF08) {  /* （ */
			depth++;
			continue;
		}
		if (i < e && cp == 0xFF09) {
			depth--;
			continue;
		}
		if (i < e && depth > 0)
			continue;
		if (i == e || cp == 0x3001 || cp == 0xFF0C || cp == ' ') {  /* 、 ， */
			int k, ok = 0;

			if (i == e)
				l = 0;
			if (ncp < 2 || ncp > 24)
				return 0;
			for (k = 0; addressee_ends[k]; k++) {
				size_t al = strlen(addressee_ends[k]);

				if (i >= eb + al && memcmp(s + i - al, addressee_ends[k], al) == 0)
					ok = 1;
			}
			if (!ok)
				return 0;
			nel++;
			ncp = 0;
			eb = i + l;
			if (i == e)
				break;
			continue;
		}
		if (!utf8_is_han(cp))
			return 0;
		ncp++;
	}
	return nel > 0 && depth == 0;
}

/*
 * The original text of a name without the pinyin glosses of a mirror
 * ("應(yīng)急管理部"): bracketed runs with no Han character in them.
 */
static char *
drop_glosses(char *t)
{
	size_t i, j, l, w = 0, n = strlen(t);

	for (i = 0; i < n;) {
		if (t[i] == '(' || at(t, n, i, "（")) {
			int han = 0;

			for (j = i + (t[i] == '(' ? 1 : 3); j < n && t[j] != ')' && !at(t, n, j, "）"); j += l)
				han |= utf8_is_han(utf8_decode(t + j, n - j, &l));
			if (j < n && !han) {
				i = j + (t[j] == ')' ? 1 : 3);
				continue;
			}
		}
		t[w++] = t[i++];
	}
	t[w] = '\0';
	return t;
}

/* A unit read with unit_at() from the normalised text s[b..e), in its original form. */
static char *
unit_in_span(const struct doc *d, const struct analysis *a, size_t b, size_t e,
	int (*find)(const struct ctext *, size_t *, size_t *))
{
	struct ctext c;
	size_t ub, ue;
	char *r = NULL;

	ctext_init(&c, a->norm.s, b, e);
	if (c.n > 0 && find(&c, &ub, &ue))
		r = drop_glosses(orig_text(d, a, ctext_pos(&c, ub), ctext_pos(&c, ue)));
	ctext_release(&c);
	return r;
}

static int
unit_whole(const struct ctext *c, size_t *ub, size_t *ue)
{
	return unit_at(c->s, 0, c->n, ub, ue);
}

void
meta_extract(const struct doc *d, struct analysis *a, struct result *res,
	const struct para_ranges *pr)
{
	const char *s = a->norm.s;
	struct meta *mt = &res->meta;
	size_t i, nopen, first_head = d->npara, body_para, tail_from, sig_para = (size_t)-1;
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
	/* the first paragraph of the body (after the title) */
	for (body_para = 0; body_para < d->npara; body_para++)
		if (d->paras[body_para].off + d->paras[body_para].len > a->body.off &&
		    (a->title.end == 0 || d->paras[body_para].off >= a->title.end))
			break;

	/*
	 * front matter: the report's own 文号 stands in the 版头 before the
	 * title; 主送 is a line of organs after it, before the body text
	 */
	for (i = 0; i < d->npara && i < first_head && i < 30; i++) {
		/* (past 60 characters the count matters no more) */
		size_t b = pr->nb[i], e = pr->ne[i], ne;
		size_t n = e > b ? count_upto(s + b, e - b, 61) : 0;

		if (n == 0)
			continue;
		if (mt->doc_number == NULL && n <= 40 && doc_number_line(s, b, e, &ne))
			mt->doc_number = orig_text(d, a, b, ne);
		if (mt->addressee == NULL && n <= 60 && e - b >= 3 && at(s, e, e - 3, "：") &&
		    (a->title.end == 0 || d->paras[i].off >= a->title.end) && is_addressee(s, b, e - 3))
			mt->addressee = orig_text(d, a, b, e - 3);
	}

	/* 落款: the last date near the end, after the body, with the signing unit above it */
	{
		/* the last eight lines that are not empty */
		size_t ne = 0;

		for (tail_from = d->npara; tail_from > 0 && ne < 8; tail_from--)
			if (pr->ne[tail_from - 1] > pr->nb[tail_from - 1])
				ne++;
	}
	if (first_head < d->npara && tail_from <= first_head)
		tail_from = first_head + 1;
	else if (tail_from <= body_para)
		tail_from = body_para + 1;
	for (i = d->npara; i-- > tail_from;) {
		size_t b = pr->nb[i], e = pr->ne[i], db = 0, de = 0;
		int y, m, dd, dotted = 0;

		if (e == b)
			continue;
		if (at(s, e, b, "（") || memmem(s + b, e - b, "印发", 6)) {
			/* 版记 (印发机关和印发日期), a date in brackets: not the 落款 */
			if (e - b > 90)
				break;
			continue;
		}
		if (count_upto(s + b, e - b, 41) <= 40 && !memmem(s + b, e - b, "，", 3) &&
		    ((dotted = dotted_date(s, b, e, &y, &m, &dd)) ||
		     (find_date(s, b, e, &db, &de, &y, &m, &dd) && e - de <= 3 &&
		      count_upto(s + b, db - b, 31) <= 30))) {
			size_t j;

			if (dotted) {
				db = b;
				de = e;
			}
			mt->date = orig_text(d, a, db, de);
			mt->date_y = y;
			mt->date_m = m;
			mt->date_d = dd;
			a->body.end = d->paras[i].off;
			for (j = i; j-- > tail_from;) {
				size_t jb = pr->nb[j], je = pr->ne[j], jn;

				if (je == jb)
					continue;
				jn = count_upto(s + jb, je - jb, 31);
				if (at(s, je, jb, "〔") || at(s, je, jb, "（") || at(s, je, jb, "["))
					continue;  /* 〔此处加盖印章〕 */
				if (jn <= 30 && !memmem(s + jb, je - jb, "。", 3) &&
				    !memmem(s + jb, je - jb, "，", 3)) {
					mt->signatory = orig_text(d, a, jb, je);
					a->body.end = d->paras[j].off;
					sig_para = j;
				}
				break;
			}
			/* the same line may carry both: 沙柳河镇人民政府 2022年10月27日 */
			if (mt->signatory == NULL && db > b + 6) {
				mt->signatory = orig_text(d, a, b, db);
				sig_para = i;
			}
			break;
		}
		if (e - b > 90)
			break;
	}

	/*
	 * unit and parent: from the title, else the 版头, else the signature
	 * of the 落款, else the opening sentence, else the township or
	 * sub-district the body names most often
	 */
	if (a->title.end > a->title.off) {
		size_t tb, te;

		analysis_norm_span(a, a->title, &tb, &te);
		u = unit_in_span(d, a, tb, te, unit_in_title);
	}
	/* 版头 "刚察县沙柳河镇人民政府文件" names the parent too */
	for (i = 0; i < d->npara && i < first_head && i < 10; i++) {
		size_t b = pr->nb[i], e = pr->ne[i];

		if (e - b > 6 && e - b < 120 && memcmp(s + e - 6, "文件", 6) == 0) {
			char *h = unit_in_span(d, a, b, e - 6, unit_whole), *hu = NULL, *hp = NULL;

			if (h == NULL)
				continue;
			split_unit(h, &hu, &hp);
			if (u == NULL)
				u = h;
			else
				free(h);
			if (mt->parent == NULL)
				mt->parent = hp;
			else
				free(hp);
			free(hu);
			break;
		}
	}
	if (u == NULL && sig_para != (size_t)-1) {
		u = unit_in_span(d, a, pr->nb[sig_para], pr->ne[sig_para], unit_whole);
	}
	if (u == NULL && a->title.end == 0) {
		/* no title found: the first line may still begin like one */
		for (i = 0; i < d->npara && pr->ne[i] == pr->nb[i]; i++)
			;
		if (i < d->npara) {
			size_t b = pr->nb[i], e = b + utf8_prefix(s + b, pr->ne[i] - b, 40);

			if ((memmem(s + b, e - b, "法治政府", 12) || memmem(s + b, e - b, "法治建设", 12) ||
			     memmem(s + b, e - b, "报告", 6)) && !at(s, pr->ne[i], pr->ne[i] - 3, "："))
				u = unit_in_span(d, a, b, e, unit_in_title);
		}
	}
	for (i = body_para, nopen = 0; u == NULL && i < d->npara && i < body_para + 12; i++) {
		size_t b = pr->nb[i], e = pr->ne[i], j;

		if (count_upto(s + b, e - b, 20) < 20)
			continue;
		for (j = 0; j < res->noutline; j++)
			if (res->outline[j].kind != NODE_TITLE && res->outline[j].line == d->paras[i].line)
				break;
		if (j < res->noutline)
			continue;  /* a heading */
		u = unit_in_span(d, a, b, e, nopen++ == 0 && i < first_head ? unit_in_first : unit_in_opening);
	}
	if (u == NULL) {
		size_t ub, ue;

		if (unit_in_own_document(s, a->norm.len, &ub, &ue))
			u = drop_glosses(orig_text(d, a, ub, ue));
	}
	if (u != NULL) {
		char *p = NULL;

		split_unit(u, &mt->unit, &p);
		if (mt->parent == NULL)
			mt->parent = p;
		else
			free(p);
		free(u);
	} else {
		/* a township that calls itself 我镇 needs to be named twice */
		mt->unit = unit_named_often(s, 0, a->norm.len,
		    strstr(s, "我镇") || strstr(s, "我乡") ? 2 : 3);
	}
	if (mt->unit != NULL) {
		char *nu = norm_strdup(mt->unit);

		mt->unit_kind = kind_of(mt->unit);
		if (mt->parent == NULL)
			mt->parent = parent_before(s, nu);
		free(nu);
	}

	/*
	 * the year reported on: the title, the opening (not a cited title's
	 * year, a date or a plan year), the 成文日期, the commonest year
	 */
	if (a->title.end > a->title.off) {
		size_t tb, te;

		analysis_norm_span(a, a->title, &tb, &te);
		mt->year = first_year(s, tb, te);
	}
	if (mt->year == 0) {
		/* the introduction: body text before the first heading */
		size_t ib = body_para < d->npara ? pr->nb[body_para] : a->norm.len;
		size_t ie = first_head < d->npara ? pr->nb[first_head] : a->norm.len;

		if (ie > ib + 600)
			ie = ib + 600;
		for (i = body_para; mt->year == 0 && i < d->npara && pr->nb[i] < ie; i++)
			mt->year = first_year(s, pr->nb[i], pr->ne[i] < ie ? pr->ne[i] : ie);
	}
	if (mt->year == 0 && mt->date_y)
		mt->year = mt->date_m <= 5 ? mt->date_y - 1 : mt->date_y;
	if (mt->year == 0)
		mt->year = common_year(s, 0, a->norm.len);
}
