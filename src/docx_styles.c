/*
 * docx_styles.c: styles.xml, the theme's east-Asian fonts, and the
 * cascade of paragraph and run properties (docDefaults -> style chain
 * through w:basedOn -> direct formatting).
 */
#include "docx_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct docx_style {
	const char *id;     /* w:styleId */
	const char *name;   /* w:name w:val */
	const char *based;  /* w:basedOn w:val */
	int based_idx;      /* resolved basedOn, -1 */
	struct docx_props props;
};

void
docx_props_init(struct docx_props *p)
{
	p->font = NULL;
	p->font_theme = 0;
	p->font_ascii = NULL;
	p->sz = -1;
	p->bold = -1;
	p->vanish = -1;
	p->jc = -1;
	p->line = -1;
	p->line_rule = -1;
	p->first_chars = -1;
	p->first_twips = -1;
	p->outline = -1;
	p->num_id = -1;
	p->ilvl = -1;
}

/* An integer attribute, clamped to +-10^7 (hostile files carry any value). */
static int
attr_int(const xmlNode *n, const char *name, int def)
{
	const char *v = docx_attr(n, name);
	long x;

	if (v == NULL)
		return def;
	x = strtol(v, NULL, 10);
	return x > 10000000 ? 10000000 : x < -10000000 ? -10000000 : (int)x;
}

void
docx_props_read_ppr(struct docx_props *p, const xmlNode *ppr)
{
	xmlNode *c, *k;
	const char *v;

	if (ppr == NULL)
		return;
	for (c = ppr->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docx_isw(c, "jc")) {
			v = docx_attr(c, "val");
			if (v == NULL)
				continue;
			if (strcmp(v, "center") == 0)
				p->jc = ALIGN_CENTER;
			else if (strcmp(v, "right") == 0 || strcmp(v, "end") == 0)
				p->jc = ALIGN_RIGHT;
			else if (strcmp(v, "both") == 0 || strcmp(v, "distribute") == 0)
				p->jc = ALIGN_BOTH;
			else
				p->jc = ALIGN_LEFT;
		} else if (docx_isw(c, "spacing")) {
			if ((v = docx_attr(c, "line")) != NULL) {
				p->line = attr_int(c, "line", -1);
				v = docx_attr(c, "lineRule");
				p->line_rule = v == NULL || strcmp(v, "auto") == 0 ? 0
					: strcmp(v, "exact") == 0                ? 1
										 : 2;
			}
		} else if (docx_isw(c, "ind")) {
			if (docx_attr(c, "firstLineChars") != NULL)
				p->first_chars = attr_int(c, "firstLineChars", 0);
			if (docx_attr(c, "firstLine") != NULL)
				p->first_twips = attr_int(c, "firstLine", 0);
			if (docx_attr(c, "hangingChars") != NULL)
				p->first_chars = -attr_int(c, "hangingChars", 0);
		} else if (docx_isw(c, "outlineLvl")) {
			p->outline = attr_int(c, "val", 9);
		} else if (docx_isw(c, "numPr")) {
			if ((k = docx_child(c, "numId")) != NULL)
				p->num_id = attr_int(k, "val", 0);
			if ((k = docx_child(c, "ilvl")) != NULL)
				p->ilvl = attr_int(k, "val", 0);
		} else if (docx_isw(c, "rPr")) {
			/* the paragraph mark's run properties: not the text's */
		}
	}
}

void
docx_props_read_rpr(struct docx_props *p, const xmlNode *rpr)
{
	xmlNode *c;
	const char *v;

	if (rpr == NULL)
		return;
	for (c = rpr->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docx_isw(c, "rFonts")) {
			if ((v = docx_attr(c, "ascii")) != NULL || (v = docx_attr(c, "hAnsi")) != NULL)
				p->font_ascii = v;
			if ((v = docx_attr(c, "eastAsiaTheme")) != NULL) {
				p->font_theme = strncmp(v, "major", 5) == 0 ? 1 : 2;
				p->font = NULL;
			} else if ((v = docx_attr(c, "eastAsia")) != NULL) {
				p->font = v;
				p->font_theme = 0;
			}
		} else if (docx_isw(c, "sz")) {
			p->sz = attr_int(c, "val", -1);
		} else if (docx_isw(c, "b")) {
			p->bold = docx_onoff(c);
		} else if (docx_isw(c, "vanish")) {
			p->vanish = docx_onoff(c);
		}
	}
}

void
docx_props_merge(struct docx_props *p, const struct docx_props *q)
{
	if (p->font == NULL && p->font_theme == 0) {
		p->font = q->font;
		p->font_theme = q->font_theme;
	}
	if (p->font_ascii == NULL)
		p->font_ascii = q->font_ascii;
	if (p->sz < 0)
		p->sz = q->sz;
	if (p->bold < 0)
		p->bold = q->bold;
	if (p->vanish < 0)
		p->vanish = q->vanish;
	if (p->jc < 0)
		p->jc = q->jc;
	if (p->line < 0) {
		p->line = q->line;
		p->line_rule = q->line_rule;
	}
	if (p->first_chars < 0 && p->first_twips < 0) {
		p->first_chars = q->first_chars;
		p->first_twips = q->first_twips;
	}
	if (p->outline < 0)
		p->outline = q->outline;
	if (p->num_id < 0) {
		p->num_id = q->num_id;
		if (p->ilvl < 0)
			p->ilvl = q->ilvl;
	}
}

/* East-Asian font of a theme's a:majorFont or a:minorFont: a:ea, else the Hans script font. */
static char *
theme_ea(xmlNode *font)
{
	xmlNode *c;
	const char *v, *s;

	for (c = font->children; c != NULL; c = c->next) {
		if (docx_islocal(c, "ea")) {
			v = docx_attr(c, "typeface");
			if (v != NULL && *v != '\0')
				return xstrdup(v);
		}
	}
	for (c = font->children; c != NULL; c = c->next) {
		if (docx_islocal(c, "font") && (s = docx_attr(c, "script")) != NULL &&
			strcmp(s, "Hans") == 0 && (v = docx_attr(c, "typeface")) != NULL)
			return xstrdup(v);
	}
	return NULL;
}

/* Walk the theme looking for a:majorFont and a:minorFont (inside a:fontScheme). */
static void
theme_walk(struct docx_styles *st, xmlNode *n, int depth)
{
	xmlNode *c;

	if (depth > 8)
		return;
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docx_islocal(c, "majorFont") && st->major_ea == NULL)
			st->major_ea = theme_ea(c);
		else if (docx_islocal(c, "minorFont") && st->minor_ea == NULL)
			st->minor_ea = theme_ea(c);
		else
			theme_walk(st, c, depth + 1);
	}
}

struct docx_style_key {
	const char *id;
	int idx;
};

static int
key_cmp(const void *a, const void *b)
{
	const struct docx_style_key *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c != 0 ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

void
docx_styles_load(struct docx_styles *st, xmlDoc *styles, xmlDoc *theme)
{
	xmlNode *root, *c, *k;
	struct docx_style *s;
	size_t cap = 0, i;
	const char *v;

	memset(st, 0, sizeof(*st));
	st->default_para = -1;
	st->xml = styles;
	st->theme = theme;
	docx_props_init(&st->defaults);
	if (theme != NULL && (root = xmlDocGetRootElement(theme)) != NULL)
		theme_walk(st, root, 0);
	if (styles == NULL || (root = xmlDocGetRootElement(styles)) == NULL)
		return;
	for (c = root->children; c != NULL; c = c->next) {
		if (docx_isw(c, "docDefaults")) {
			k = docx_child(docx_child(c, "rPrDefault"), "rPr");
			docx_props_read_rpr(&st->defaults, k);
			k = docx_child(docx_child(c, "pPrDefault"), "pPr");
			docx_props_read_ppr(&st->defaults, k);
			continue;
		}
		if (!docx_isw(c, "style"))
			continue;
		v = docx_attr(c, "type");
		if (v != NULL && strcmp(v, "paragraph") != 0 && strcmp(v, "character") != 0)
			continue;
		if (docx_attr(c, "styleId") == NULL)
			continue;
		xgrow(&st->v, &cap, st->n + 1, sizeof(*st->v));
		s = &st->v[st->n];
		s->id = docx_attr(c, "styleId");
		s->name = docx_attr(docx_child(c, "name"), "val");
		s->based = docx_attr(docx_child(c, "basedOn"), "val");
		s->based_idx = -1;
		docx_props_init(&s->props);
		docx_props_read_ppr(&s->props, docx_child(c, "pPr"));
		docx_props_read_rpr(&s->props, docx_child(c, "rPr"));
		v = docx_attr(c, "default");
		if (st->default_para < 0 && v != NULL &&
			(strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0) &&
			(docx_attr(c, "type") == NULL || strcmp(docx_attr(c, "type"), "paragraph") == 0))
			st->default_para = (int)st->n;
		st->n++;
	}
	/* one sorted index: every lookup (basedOn, paragraph, run) is a binary search */
	st->byid = xmalloc((st->n ? st->n : 1) * sizeof(*st->byid));
	for (i = 0; i < st->n; i++) {
		st->byid[i].id = st->v[i].id;
		st->byid[i].idx = (int)i;
	}
	if (st->n > 1)
		qsort(st->byid, st->n, sizeof(*st->byid), key_cmp);
	for (i = 0; i < st->n; i++)
		if (st->v[i].based != NULL)
			st->v[i].based_idx = docx_style_find(st, st->v[i].based);
}

void
docx_styles_release(struct docx_styles *st)
{
	free(st->v);
	free(st->byid);
	free(st->major_ea);
	free(st->minor_ea);
	xmlFreeDoc(st->xml);
	xmlFreeDoc(st->theme);
	memset(st, 0, sizeof(*st));
	st->default_para = -1;
}

int
docx_style_find(const struct docx_styles *st, const char *id)
{
	size_t lo = 0, hi = st->n, mid;

	if (id == NULL)
		return -1;
	/* the first entry not below id: the first style of that id, as Word takes it */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(st->byid[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < st->n && strcmp(st->byid[lo].id, id) == 0)
		return st->byid[lo].idx;
	return -1;
}

void
docx_style_resolve(const struct docx_styles *st, int idx, struct docx_props *p)
{
	int hops = 0;

	while (idx >= 0 && hops++ < 32) {
		docx_props_merge(p, &st->v[idx].props);
		idx = st->v[idx].based_idx;
	}
}

/* Heading level from a style name or id: "heading 3", "Heading3", "标题 3", "标题3". */
static int
heading_name(const char *s, int *title)
{
	const char *rest = NULL;

	if (s == NULL)
		return -1;
	if (strncasecmp(s, "heading", 7) == 0)
		rest = s + 7;
	else if (strncmp(s, "标题", 6) == 0)
		rest = s + 6;
	if (rest != NULL) {
		while (*rest == ' ')
			rest++;
		if (rest[0] >= '1' && rest[0] <= '9' && rest[1] == '\0')
			return rest[0] - '0';
		if (rest[0] == '\0' && strncmp(s, "标题", 6) == 0) {
			*title = 1;
			return 0;
		}
		return -1;
	}
	if (strcasecmp(s, "title") == 0) {
		*title = 1;
		return 0;
	}
	return -1;
}

int
docx_style_heading(const struct docx_styles *st, int idx, int *title)
{
	int hops = 0, lvl;

	*title = 0;
	while (idx >= 0 && hops++ < 32) {
		lvl = heading_name(st->v[idx].name, title);
		if (lvl < 0 && st->v[idx].name == NULL)
			lvl = heading_name(st->v[idx].id, title);
		if (lvl > 0)
			return lvl;
		if (lvl == 0 && hops == 1)
			return 0;
		/* a style based on Title (Subtitle) is not the title */
		*title = 0;
		idx = st->v[idx].based_idx;
	}
	return -1;
}

const char *
docx_theme_font(const struct docx_styles *st, int which)
{
	return which == 1 ? st->major_ea : which == 2 ? st->minor_ea : NULL;
}

const char *
docx_font_name(const struct docx_styles *st, const struct docx_props *p)
{
	const char *f = p->font_theme ? docx_theme_font(st, p->font_theme) : p->font;

	if (f != NULL && *f != '\0')
		return f;
	if (p->font == NULL && p->font_theme == 0 && p->font_ascii != NULL && *p->font_ascii != '\0')
		return p->font_ascii;
	return NULL;
}

/*
 * The style tables of the last styles.xml and theme pairs read by this
 * thread, kept with their bytes: the reports of a batch made from a few
 * templates carry the same parts, and the same bytes give the same table,
 * so each is built once.  A few small ones only (real styles.xml files are
 * under 400 KB), most recently used first; freed when the thread ends.
 */
#define CACHE_N 4
#define CACHE_BYTES ((size_t)512 << 10)

struct cache_entry {
	char *styles, *theme; /* the parts' bytes; NULL: the part was missing */
	size_t ns, nt;
	struct docx_styles st;
};

struct styles_cache {
	struct cache_entry e[CACHE_N];
	size_t n;
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static int cache_ok;

static void
entry_release(struct cache_entry *e)
{
	docx_styles_release(&e->st);
	free(e->styles);
	free(e->theme);
	memset(e, 0, sizeof(*e));
}

static void
cache_free(void *p)
{
	struct styles_cache *c = p;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		entry_release(&c->e[i]);
	free(c);
}

/* At exit: the tables of the thread that ends the program (threads that end before free theirs). */
static void
cache_exit(void)
{
	void *c = pthread_getspecific(cache_key);

	pthread_setspecific(cache_key, NULL);
	cache_free(c);
}

static void
cache_init(void)
{
	cache_ok = pthread_key_create(&cache_key, cache_free) == 0 && atexit(cache_exit) == 0;
}

static struct styles_cache *
cache_get(void)
{
	pthread_once(&cache_once, cache_init);
	return cache_ok ? pthread_getspecific(cache_key) : NULL;
}

static int
same_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	if (a == NULL || b == NULL)
		return a == b;
	return na == nb && memcmp(a, b, na) == 0;
}

int
docx_styles_cached(const char *styles, size_t ns, const char *theme, size_t nt, int with_theme,
	struct docx_styles *st)
{
	struct styles_cache *c = cache_get();
	struct cache_entry hit;
	size_t i;

	if (c == NULL)
		return 0;
	for (i = 0; i < c->n; i++) {
		if (!same_bytes(c->e[i].styles, c->e[i].ns, styles, ns) ||
			(with_theme && !same_bytes(c->e[i].theme, c->e[i].nt, theme, nt)))
			continue;
		if (st != NULL) {
			/* to the front */
			hit = c->e[i];
			memmove(&c->e[1], &c->e[0], i * sizeof(c->e[0]));
			c->e[0] = hit;
			*st = hit.st;
		}
		return 1;
	}
	return 0;
}

int
docx_styles_keep(struct docx_styles *st, char *styles, size_t ns, char *theme, size_t nt)
{
	struct styles_cache *c = cache_get();

	if (!cache_ok || ns + nt > CACHE_BYTES)
		return 0;
	if (c == NULL) {
		c = xcalloc(1, sizeof(*c));
		if (pthread_setspecific(cache_key, c) != 0) {
			free(c);
			return 0;
		}
	}
	if (c->n == CACHE_N)
		entry_release(&c->e[--c->n]);
	memmove(&c->e[1], &c->e[0], c->n * sizeof(c->e[0]));
	c->n++;
	c->e[0].st = *st;
	c->e[0].styles = styles;
	c->e[0].ns = ns;
	c->e[0].theme = theme;
	c->e[0].nt = nt;
	return 1;
}
