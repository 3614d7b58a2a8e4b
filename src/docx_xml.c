/*
 * docx_xml.c: the lean tree of a Word part, and a reader of its XML for
 * the common case.
 *
 * What a lean tree leaves out (docx_lean_start(), docx_lean_end()) is
 * decided here for both readers: libxml2's parser, through the hooks of
 * docx_part.c, and docx_xml_fast() below.
 *
 * Word, WPS and the other writers put a part in one plain shape: UTF-8,
 * an XML declaration, elements with prefixed names and quoted attributes,
 * text with the five predefined entities and character references.  In
 * that shape most of libxml2's time goes to its character-by-character
 * handling of text (every Chinese character decoded, checked and copied
 * one at a time).  docx_xml_fast() reads that shape only, checking every
 * byte (UTF-8 and the characters XML allows), and builds the tree with
 * libxml2's own tree functions, node for node, attribute for attribute
 * and namespace for namespace as libxml2's SAX2 builder does behind the
 * lean hooks.  Anything else -- a comment, a processing instruction,
 * CDATA, a DTD, another encoding, a carriage return but in CR LF, a
 * reference or a line end in an attribute value, a character XML does
 * not allow, a name that is not plain ASCII, an unbound prefix, a
 * namespace name not in the plain shapes of uri_plain(), a repeated
 * attribute, deep nesting, or any malformed markup -- makes it decline,
 * and the part goes to libxml2, whose answer (tree or error) is then the
 * one given.  tests/docx/xmlfast.sh and fuzz/fuzz_xmlfast.c hold the two
 * readers to the same tree.
 */
#include "docx_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/dict.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

/* ---- lean trees: what the loader never reads is not built ---- */

static int
is_one_of(const xmlChar *name, const char *const *v)
{
	for (; *v != NULL; v++)
		if ((*v)[0] == (char)name[0] && strcmp((const char *)name, *v) == 0)
			return 1;
	return 0;
}

static int
is(const xmlChar *name, const char *s)
{
	return name[0] == (xmlChar)s[0] && strcmp((const char *)name, s) == 0;
}

/* Elements under which load_docx.c's find_textboxes() reads everything (but mc:Fallback). */
static int
drawing_like(const xmlChar *name)
{
	switch (name[0]) {
	case 'd': return is(name, "drawing");
	case 'p': return is(name, "pict");
	case 'o': return is(name, "object");
	case 'A': return is(name, "AlternateContent");
	default: return 0;
	}
}

/*
 * In a body part: is an element one that paragraph(), inline_content()
 * and run() of load_docx.c never look at, by its parent (and the
 * parent's parent)?  Nothing is left out below a drawing, where
 * find_textboxes() looks at everything.
 */
static int
body_left_out(const struct docx_lean_walk *w, const xmlChar *local)
{
	static const char *const p_keep[] = {"pPr", "r", "ins", "moveTo", "del", "moveFrom",
		"fldSimple", "sdt", "AlternateContent", "commentRangeStart", "hyperlink", "smartTag",
		"customXml", "bdo", "dir", NULL};
	static const char *const r_keep[] = {"rPr", "fldChar", "instrText", "drawing", "pict",
		"AlternateContent", "object", "commentReference", "t", "tab", "ptab", "br", "cr", "sym",
		"noBreakHyphen", NULL};
	static const char *const ppr_keep[] = {"pStyle", "pPrChange", "rPr", "sectPr", "jc",
		"spacing", "ind", "outlineLvl", "numPr", NULL};
	static const char *const rpr_keep[] = {"rFonts", "sz", "b", "vanish", "rStyle", "rPrChange",
		NULL};
	static const char *const mark_keep[] = {"ins", "del", NULL};
	const xmlChar *parent, *grand;

	if (w->drawing > 0 || w->depth < 2 || w->depth > DOCX_OPEN_MAX)
		return 0;
	parent = w->open[w->depth - 1];
	grand = w->open[w->depth - 2];
	if (is(parent, "p"))
		return !is_one_of(local, p_keep);
	if (is(parent, "r"))
		return !is_one_of(local, r_keep);
	if (is(parent, "pPr") && is(grand, "p"))
		return !is_one_of(local, ppr_keep);
	if (is(parent, "rPr") && is(grand, "r"))
		return !is_one_of(local, rpr_keep);
	if (is(parent, "rPr") && is(grand, "pPr"))
		return !is_one_of(local, mark_keep);
	return 0;
}

/* Is the first attribute called local (in a SAX2 attribute array) equal to value? */
static int
attr_is(int nattr, const xmlChar **attrs, const char *local, const char *value)
{
	int i;
	size_t k = strlen(value);

	for (i = 0; i < nattr; i++)
		if (strcmp((const char *)attrs[5 * i], local) == 0)
			return (size_t)(attrs[5 * i + 4] - attrs[5 * i + 3]) == k &&
				memcmp(attrs[5 * i + 3], value, k) == 0;
	return 0;
}

/*
 * Is an element left out of a lean tree?  Only what no reader of the
 * loader ever looks at: mc:Fallback (only mc:Choice is read); in body
 * parts what body_left_out() says; in styles.xml the latent styles, table
 * and numbering styles, and of a paragraph or character style everything
 * but what docx_styles_load() and docx_props_read_ppr()/_rpr() read.
 */
static int
left_out(const struct docx_lean_walk *w, const xmlChar *local, int nattr, const xmlChar **attrs)
{
	static const char *const style_keep[] = {"name", "basedOn", "pPr", "rPr", NULL};
	static const char *const ppr_keep[] = {"jc", "spacing", "ind", "outlineLvl", "numPr", NULL};
	static const char *const rpr_keep[] = {"rFonts", "sz", "b", "vanish", NULL};

	if (w->lean == DOCX_READ)
		return 0;
	if (w->lean == DOCX_BODY)
		return is(local, "Fallback") || body_left_out(w, local);
	switch (w->depth) {
	case 1:
		return strcmp((const char *)local, "latentStyles") == 0 ||
			(strcmp((const char *)local, "style") == 0 &&
				(attr_is(nattr, attrs, "type", "table") ||
					attr_is(nattr, attrs, "type", "numbering")));
	case 2:
		return strcmp((const char *)w->open[1], "style") == 0 && !is_one_of(local, style_keep);
	case 3:
		if (strcmp((const char *)w->open[1], "style") != 0)
			return 0;
		if (strcmp((const char *)w->open[2], "pPr") == 0)
			return !is_one_of(local, ppr_keep);
		if (strcmp((const char *)w->open[2], "rPr") == 0)
			return !is_one_of(local, rpr_keep);
		return 0;
	default:
		return 0;
	}
}

int
docx_lean_start(struct docx_lean_walk *w, const xmlChar *local, int nattr, const xmlChar **attrs)
{
	if (w->skip > 0 || left_out(w, local, nattr, attrs)) {
		w->skip++;
		return 0;
	}
	if (w->depth < DOCX_OPEN_MAX)
		w->open[w->depth] = local;
	w->depth++;
	if (drawing_like(local))
		w->drawing++;
	return 1;
}

int
docx_lean_end(struct docx_lean_walk *w, const xmlChar *local)
{
	if (w->skip > 0) {
		w->skip--;
		return 0;
	}
	w->depth--;
	if (w->drawing > 0 && drawing_like(local))
		w->drawing--;
	return 1;
}

int
docx_lean_unread_attr(const xmlChar *local)
{
	const char *s = (const char *)local;

	return strncmp(s, "rsid", 4) == 0 || strcmp(s, "paraId") == 0 || strcmp(s, "textId") == 0;
}

/* ---- the reader of plain Word XML ---- */

#define FX_NAMES 64     /* intern()'s cache, a power of two */
#define FAST_DEPTH 200 /* deeper nesting goes to libxml2 (which refuses past 256) */

/*
 * A namespace in scope: its prefix (NULL: the default), its URI, and its
 * xmlNs on the element that declares it (NULL while that element is read,
 * and when it is left out).
 */
struct fx_ns {
	const xmlChar *prefix;
	const xmlChar *href;
	xmlNs *ns;
};

/* An element open in the markup, built or left out. */
struct fx_open {
	const unsigned char *qname; /* as written, for the end tag */
	size_t qlen;
	const xmlChar *local;       /* from the dictionary */
	size_t nsmark;              /* namespaces in scope before it */
	int built;
};

struct fx {
	const unsigned char *p, *end;
	xmlDoc *doc;
	xmlDict *dict;
	const char *why;            /* why it declined, for the tests */
	int line;
	struct docx_lean_walk w;
	xmlNode *cur;               /* the innermost built element */
	struct fx_open *open;
	size_t nopen, opencap;
	struct fx_ns *ns;
	size_t nns, nscap;
	struct buf text;            /* text with entities, decoded */
	const xmlChar *names[FX_NAMES]; /* intern()'s cache */
	size_t namelen[FX_NAMES];       /* ... and the length of each name in it */
};

/*
 * Byte classes of text and values: 0 plain, 1 markup, a reference or a
 * byte to look at (controls, tab and line feed, '<', '&', ']'), 2-4 the
 * lead of a 2-4 byte UTF-8 sequence, 5 never valid in UTF-8 as a lead.
 */
static const unsigned char cls[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	5, 5, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
};

static int
decline(struct fx *x, const char *why)
{
	if (x->why == NULL)
		x->why = why;
	return -1;
}

/*
 * The length of the valid UTF-8 sequence of an XML character at p (lead
 * byte class k, 2-4), or 0: overlong forms, surrogates, U+FFFE, U+FFFF and
 * code points above U+10FFFF are not characters.
 */
static size_t
utf8_char(const unsigned char *p, const unsigned char *end, int k)
{
	if ((size_t)(end - p) < (size_t)k)
		return 0;
	switch (k) {
	case 2:
		return (p[1] & 0xC0) == 0x80 ? 2 : 0;
	case 3:
		if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
			(p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE))
			return 0;
		return 3;
	case 4:
		if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
			return 0;
		if ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
			return 0;
		return 4;
	default:
		return 0;
	}
}

/*
 * Is the three-byte sequence at p (lead E0-EF, two more bytes there) an
 * XML character?  The inner loop of text(): one test for most leads.
 */
static inline int
plain3(const unsigned char *p)
{
	if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return 0;
	if (p[0] == 0xEF)
		return p[1] != 0xBF || p[2] < 0xBE;
	return p[0] != 0xE0 && p[0] != 0xED;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Skip blanks, counting lines; were there any?  A carriage return counts
 * as a blank only before a line feed (Word ends its declaration so): a
 * lone one, which XML reads as a line end, stops the skip, and what
 * follows then declines.
 */
static int
skip_space(struct fx *x)
{
	const unsigned char *from = x->p;

	while (x->p < x->end && is_space(*x->p)) {
		if (*x->p == '\n')
			x->line++;
		else if (*x->p == '\r' && (x->p + 1 >= x->end || x->p[1] != '\n'))
			break;
		x->p++;
	}
	return x->p != from;
}

static int
name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
name_char(unsigned char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/*
 * A qualified name at x->p: plain ASCII, at most one colon, neither end
 * a colon.  Its length (0 when there is none) and where the local part
 * starts.
 */
static size_t
qname(struct fx *x, size_t *colon)
{
	const unsigned char *s = x->p;
	size_t n = 0;

	*colon = 0;
	if (s >= x->end || !name_start(*s))
		return 0;
	for (n = 1; s + n < x->end; n++) {
		if (name_char(s[n]))
			continue;
		if (s[n] != ':' || *colon != 0)
			break;
		if (s + n + 1 >= x->end || !name_start(s[n + 1]))
			return 0;
		*colon = n;
	}
	return n;
}

/*
 * A name from the dictionary.  The few names of a part (w, p, r, t, val
 * ...) come again and again: a small cache in front of xmlDictLookup(),
 * keyed by length and the first and last bytes.
 */
static const xmlChar *
intern(struct fx *x, const unsigned char *s, size_t n)
{
	unsigned h = ((unsigned)n * 31u + s[0] * 7u + s[n - 1]) & (FX_NAMES - 1);
	const xmlChar *q = x->names[h];

	if (q != NULL && x->namelen[h] == n && memcmp(q, s, n) == 0)
		return q;
	q = xmlDictLookup(x->dict, s, (int)n);
	x->names[h] = q;
	x->namelen[h] = n;
	return q;
}

/* The namespace a prefix (NULL: the default) is bound to; found says whether it is bound at all. */
static xmlNs *
ns_find(const struct fx *x, const xmlChar *prefix, int *found)
{
	size_t i = x->nns;

	while (i-- > 0)
		if (x->ns[i].prefix == prefix) {
			*found = 1;
			return x->ns[i].ns;
		}
	*found = 0;
	return NULL;
}

static int
unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '.' || c == '_' || c == '~';
}

/*
 * Is a namespace name a URI in the plain shapes Word uses, which
 * libxml2's URI parser accepts (it refuses a declaration whose name it
 * cannot parse)?  scheme://host/path or scheme:name, of letters, digits
 * and "-._~" (and ':' in a name), with no port, query or escapes; and not
 * one of the two names XML reserves.
 */
static int
uri_plain(const unsigned char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
		return 0;
	while (i < n && (unreserved(s[i]) || s[i] == '+') && s[i] != '_' && s[i] != '~')
		i++;
	if (i >= n || s[i] != ':')
		return 0;
	i++;
	if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		size_t host = i += 2;

		while (i < n && unreserved(s[i]))
			i++;
		if (i == host)
			return 0;
		for (; i < n; i++)
			if (!unreserved(s[i]) && s[i] != '/')
				return 0;
	} else {
		if (i >= n || !unreserved(s[i]))
			return 0;
		for (; i < n; i++)
			if (!unreserved(s[i]) && s[i] != ':' && s[i] != '/')
				return 0;
	}
	return !(n == strlen((const char *)XML_XML_NAMESPACE) && memcmp(s, XML_XML_NAMESPACE, n) == 0) &&
		!(n == 29 && memcmp(s, "http://www.w3.org/2000/xmlns/", 29) == 0);
}

/*
 * The XML declaration, if any: version 1.0, UTF-8 or none named,
 * standalone yes or no.  Whatever else stands before the root (a
 * processing instruction, a comment, a DTD) declines.
 */
static int
prolog(struct fx *x)
{
	static const char *const keys[] = {"version", "encoding", "standalone"};
	int k, spaced;

	if ((size_t)(x->end - x->p) >= 3 && x->p[0] == 0xEF && x->p[1] == 0xBB && x->p[2] == 0xBF)
		x->p += 3;
	if ((size_t)(x->end - x->p) >= 6 && memcmp(x->p, "<?xml", 5) == 0 && is_space(x->p[5])) {
		x->p += 5;
		x->doc->standalone = -2;
		spaced = skip_space(x);
		for (k = 0; k < 3 && spaced; k++) {
			size_t n = strlen(keys[k]);
			const unsigned char *v, *e;

			if ((size_t)(x->end - x->p) < n || memcmp(x->p, keys[k], n) != 0) {
				if (k == 0)
					return decline(x, "XML declaration without version");
				continue;
			}
			x->p += n;
			skip_space(x);
			if (x->p >= x->end || *x->p != '=')
				return decline(x, "XML declaration");
			x->p++;
			skip_space(x);
			if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
				return decline(x, "XML declaration");
			e = memchr(x->p + 1, *x->p, (size_t)(x->end - x->p - 1));
			if (e == NULL)
				return decline(x, "XML declaration");
			v = x->p + 1;
			x->p = e + 1;
			n = (size_t)(e - v);
			if (k == 0 && !(n == 3 && memcmp(v, "1.0", 3) == 0))
				return decline(x, "XML version other than 1.0");
			if (k == 1 && !(n == 5 && strncasecmp((const char *)v, "utf-8", 5) == 0))
				return decline(x, "encoding other than UTF-8");
			if (k == 1)
				x->doc->encoding = xmlStrndup(v, (int)n);
			if (k == 2) {
				if (n == 3 && memcmp(v, "yes", 3) == 0)
					x->doc->standalone = 1;
				else if (n == 2 && memcmp(v, "no", 2) == 0)
					x->doc->standalone = 0;
				else
					return decline(x, "XML declaration");
			}
			spaced = skip_space(x);
		}
		if ((size_t)(x->end - x->p) < 2 || memcmp(x->p, "?>", 2) != 0)
			return decline(x, "XML declaration");
		x->p += 2;
	}
	skip_space(x);
	if (x->p >= x->end || *x->p != '<' || x->p + 1 >= x->end || !name_start(x->p[1]))
		return decline(x, "no root element first");
	return 0;
}

/* Put the text gathered in x->text under the current element (joined to a text node before it). */
static int
flush_text(struct fx *x, const unsigned char *s, size_t n)
{
	xmlNode *t, *last;

	if (n == 0 || x->cur == NULL || x->w.skip > 0)
		return 0;
	last = x->cur->last;
	if (last != NULL && last->type == XML_TEXT_NODE && last->name == xmlStringText) {
		xmlNodeAddContentLen(last, s, (int)n);
		return 0;
	}
	t = xmlNewDocTextLen(x->doc, s, (int)n);
	if (t == NULL)
		return decline(x, "out of memory");
	t->parent = x->cur;
	if (last == NULL) {
		x->cur->children = t;
	} else {
		last->next = t;
		t->prev = last;
	}
	x->cur->last = t;
	t->line = (unsigned short)(x->line < 65535 ? x->line : 65535);
	return 0;
}

/* A reference after '&' in text (x->p on the '&'): its character appended to x->text. */
static int
reference(struct fx *x)
{
	static const struct {
		const char *name;
		char c;
	} pre[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
	const unsigned char *s = x->p + 1;
	unsigned long v = 0;
	size_t i, digits = 0;
	int hex;
	char u[4];

	if (s < x->end && *s == '#') {
		s++;
		hex = s < x->end && *s == 'x';
		if (hex)
			s++;
		for (; s < x->end && *s != ';'; s++, digits++) {
			int d = *s >= '0' && *s <= '9' ? *s - '0'
				: hex && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' ? (*s | 0x20) - 'a' + 10
				: -1;
			if (d < 0 || digits > 8)
				return decline(x, "character reference");
			v = v * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (s >= x->end || digits == 0)
			return decline(x, "character reference");
		if (!(v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) ||
			    (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF)))
			return decline(x, "character reference to no XML character");
		if (v < 0x80) {
			u[0] = (char)v;
			buf_add(&x->text, u, 1);
		} else if (v < 0x800) {
			u[0] = (char)(0xC0 | v >> 6);
			u[1] = (char)(0x80 | (v & 0x3F));
			buf_add(&x->text, u, 2);
		} else if (v < 0x10000) {
			u[0] = (char)(0xE0 | v >> 12);
			u[1] = (char)(0x80 | (v >> 6 & 0x3F));
			u[2] = (char)(0x80 | (v & 0x3F));
			buf_add(&x->text, u, 3);
		} else {
			u[0] = (char)(0xF0 | v >> 18);
			u[1] = (char)(0x80 | (v >> 12 & 0x3F));
			u[2] = (char)(0x80 | (v >> 6 & 0x3F));
			u[3] = (char)(0x80 | (v & 0x3F));
			buf_add(&x->text, u, 4);
		}
		x->p = s + 1;
		return 0;
	}
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		size_t n = strlen(pre[i].name);

		if ((size_t)(x->end - s) >= n && memcmp(s, pre[i].name, n) == 0) {
			buf_addc(&x->text, pre[i].c);
			x->p = s + n;
			return 0;
		}
	}
	return decline(x, "entity reference");
}

/*
 * Text from x->p to the next '<': every byte checked (UTF-8, the
 * characters XML allows, no "]]>"), references decoded and CR LF made LF,
 * the whole put in one text node.
 */
static int
text(struct fx *x)
{
	const unsigned char *start = x->p, *p = x->p, *end = x->end;
	int decoded = 0;

	x->text.len = 0;
	for (;;) {
		unsigned char c;
		size_t k;

		/* the common run: ASCII, and the three-byte characters of Chinese text */
		while (p < end) {
			if (cls[*p] == 0)
				p++;
			else if (cls[*p] == 3 && end - p >= 3 && plain3(p))
				p += 3;
			else
				break;
		}
		if (p >= end)
			return decline(x, "text after the last element");
		c = *p;
		switch (cls[c]) {
		case 1:
			if (c == '<')
				goto done;
			if (c == '\n') {
				x->line++;
				p++;
			} else if (c == '\t') {
				p++;
			} else if (c == ']') {
				if ((size_t)(end - p) >= 3 && p[1] == ']' && p[2] == '>')
					return decline(x, "]]> in text");
				p++;
			} else if (c == '\r' && end - p >= 2 && p[1] == '\n') {
				/* a CR LF line end is a line feed to XML */
				buf_add(&x->text, (const char *)start, (size_t)(p - start));
				decoded = 1;
				p = start = p + 1;
			} else if (c == '&') {
				buf_add(&x->text, (const char *)start, (size_t)(p - start));
				decoded = 1;
				x->p = p;
				if (reference(x) == -1)
					return -1;
				p = start = x->p;
			} else {
				return decline(x, "control character or lone carriage return in text");
			}
			break;
		case 5:
			return decline(x, "not UTF-8");
		default:
			k = utf8_char(p, end, cls[c]);
			if (k == 0)
				return decline(x, "not UTF-8, or no XML character");
			p += k;
			break;
		}
	}
done:
	x->p = p;
	if (decoded) {
		buf_add(&x->text, (const char *)start, (size_t)(p - start));
		return flush_text(x, (const unsigned char *)x->text.s, x->text.len);
	}
	return flush_text(x, start, (size_t)(p - start));
}

/* An attribute as read: SAX2's five pointers (local, prefix, URI, value, value end), its qname. */
struct fx_attr {
	const xmlChar *v[5];
	const xmlChar *prefix;
};

#define FAST_ATTRS 32

/*
 * A start tag (x->p on the '<'): the element built, or left out as the
 * lean hooks leave it out, with its namespaces and attributes; its end
 * handled too when it is empty.
 */
static int
start_tag(struct fx *x)
{
	const xmlChar *sax[5 * FAST_ATTRS];
	struct fx_attr at[FAST_ATTRS];
	const xmlChar *local, *prefix = NULL;
	struct fx_open *o;
	size_t qlen, colon, mark = x->nns, i, j;
	const unsigned char *q;
	int nattr = 0, found, empty = 0, keep;
	xmlNode *node = NULL;
	xmlNs *ns, *lastdef = NULL;

	x->p++;
	q = x->p;
	qlen = qname(x, &colon);
	if (qlen == 0)
		return decline(x, "element name not plain ASCII");
	if (colon) {
		prefix = intern(x, q, colon);
		local = intern(x, q + colon + 1, qlen - colon - 1);
	} else {
		local = intern(x, q, qlen);
	}
	if (local == NULL || (colon && prefix == NULL))
		return decline(x, "out of memory");
	x->p += qlen;
	/* attributes and namespace declarations */
	for (;;) {
		const unsigned char *an, *v, *e;
		size_t alen, acolon;

		if (x->p >= x->end)
			return decline(x, "cut start tag");
		if (*x->p == '>') {
			x->p++;
			break;
		}
		if (*x->p == '/') {
			if (x->p + 1 >= x->end || x->p[1] != '>')
				return decline(x, "malformed start tag");
			x->p += 2;
			empty = 1;
			break;
		}
		if (!is_space(*x->p))
			return decline(x, "no space before an attribute");
		skip_space(x);
		if (x->p < x->end && (*x->p == '>' || *x->p == '/'))
			continue;
		an = x->p;
		alen = qname(x, &acolon);
		if (alen == 0)
			return decline(x, "attribute name not plain ASCII");
		x->p += alen;
		skip_space(x);
		if (x->p >= x->end || *x->p != '=')
			return decline(x, "attribute without =");
		x->p++;
		skip_space(x);
		if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
			return decline(x, "attribute value not quoted");
		v = x->p + 1;
		for (e = v; e < x->end && *e != *x->p; e++) {
			int k = cls[*e];

			if (k == 1)
				return decline(x, "markup, reference or white space other than blanks in a value");
			if (k >= 2) {
				size_t n = k == 5 ? 0 : utf8_char(e, x->end, k);

				if (n == 0)
					return decline(x, "value not UTF-8");
				e += n - 1;
			}
		}
		if (e >= x->end)
			return decline(x, "cut attribute value");
		x->p = e + 1;
		if ((alen == 5 && memcmp(an, "xmlns", 5) == 0) ||
			(acolon == 5 && memcmp(an, "xmlns", 5) == 0)) {
			/* a namespace declaration */
			const xmlChar *np = acolon ? intern(x, an + 6, alen - 6) : NULL;
			const xmlChar *href;

			if (e == v || (np != NULL && (is(np, "xml") || is(np, "xmlns"))) ||
				!uri_plain(v, (size_t)(e - v)))
				return decline(x, "namespace declaration left to libxml2");
			if (acolon && np == NULL)
				return decline(x, "out of memory");
			for (i = mark; i < x->nns; i++)
				if (x->ns[i].prefix == np)
					return decline(x, "namespace declared twice");
			href = intern(x, v, (size_t)(e - v));
			if (href == NULL)
				return decline(x, "out of memory");
			xgrow(&x->ns, &x->nscap, x->nns + 1, sizeof(*x->ns));
			x->ns[x->nns].prefix = np;
			x->ns[x->nns].href = href;
			x->ns[x->nns].ns = NULL;
			x->nns++;
			continue;
		}
		if (nattr == FAST_ATTRS)
			return decline(x, "many attributes");
		at[nattr].prefix = acolon ? intern(x, an, acolon) : NULL;
		at[nattr].v[0] = intern(x, an + (acolon ? acolon + 1 : 0), acolon ? alen - acolon - 1 : alen);
		at[nattr].v[3] = v;
		at[nattr].v[4] = e;
		if (at[nattr].v[0] == NULL || (acolon && at[nattr].prefix == NULL))
			return decline(x, "out of memory");
		nattr++;
	}
	if (x->nopen >= FAST_DEPTH)
		return decline(x, "deep nesting");
	/* prefixes resolved: the element's, then each attribute's (xml: is bound to its own) */
	for (i = 0; i < (size_t)nattr; i++) {
		const xmlChar *p = at[i].prefix;

		at[i].v[1] = p;
		at[i].v[2] = NULL;
		if (p == NULL)
			continue;
		if (is(p, "xml") && p[3] == '\0') {
			at[i].v[2] = (const xmlChar *)XML_XML_NAMESPACE;
			continue;
		}
		if (is(p, "xmlns") && p[5] == '\0')
			return decline(x, "xmlns prefix");
		for (j = x->nns; j-- > 0;)
			if (x->ns[j].prefix == p)
				break;
		if (j == (size_t)-1)
			return decline(x, "unbound attribute prefix");
		at[i].v[2] = x->ns[j].href;
	}
	for (i = 0; i < (size_t)nattr; i++)
		for (j = 0; j < i; j++)
			if (at[i].v[0] == at[j].v[0] &&
				(at[i].v[2] == at[j].v[2] ||
					(at[i].v[2] != NULL && at[j].v[2] != NULL &&
						strcmp((const char *)at[i].v[2], (const char *)at[j].v[2]) == 0)))
				return decline(x, "repeated attribute");
	if (prefix != NULL && ((is(prefix, "xml") && prefix[3] == '\0') ||
		(is(prefix, "xmlns") && prefix[5] == '\0')))
		return decline(x, "element in the xml or xmlns namespace");
	for (i = 0; i < (size_t)nattr; i++)
		memcpy(&sax[5 * i], at[i].v, sizeof(at[i].v));
	keep = docx_lean_start(&x->w, local, nattr, sax);

	if (keep) {
		node = xmlNewDocNodeEatName(x->doc, NULL, (xmlChar *)local, NULL);
		if (node == NULL)
			return decline(x, "out of memory");
		node->line = (unsigned short)(x->line < 65535 ? x->line : 65535);
		node->parent = x->cur != NULL ? x->cur : (xmlNode *)x->doc;
		if (node->parent->last == NULL) {
			node->parent->children = node;
		} else {
			node->parent->last->next = node;
			node->prev = node->parent->last;
		}
		node->parent->last = node;
		for (i = mark; i < x->nns; i++) {
			ns = xmlNewNs(NULL, x->ns[i].href, x->ns[i].prefix);
			if (ns == NULL)
				return decline(x, "out of memory");
			if (lastdef == NULL)
				node->nsDef = ns;
			else
				lastdef->next = ns;
			lastdef = ns;
			x->ns[i].ns = ns;
		}
	}
	ns = ns_find(x, prefix, &found);
	if (prefix != NULL && !found)
		return decline(x, "unbound element prefix");
	if (keep) {
		if (found && ns == NULL)
			return decline(x, "prefix bound in a left-out element");
		node->ns = ns;
		for (i = 0; i < (size_t)nattr; i++) {
			xmlNs *ans = NULL;
			xmlAttr *a;
			xmlNode *t;

			if (x->w.lean != DOCX_READ && docx_lean_unread_attr(at[i].v[0]))
				continue;
			if (at[i].v[1] != NULL) {
				if (at[i].v[2] == (const xmlChar *)XML_XML_NAMESPACE)
					ans = xmlSearchNs(x->doc, node, at[i].v[1]);
				else
					ans = ns_find(x, at[i].v[1], &found);
				if (ans == NULL)
					return decline(x, "attribute namespace");
			}
			a = xmlNewNsPropEatName(node, ans, (xmlChar *)at[i].v[0], NULL);
			if (a == NULL)
				return decline(x, "out of memory");
			t = xmlNewDocTextLen(x->doc, at[i].v[3], (int)(at[i].v[4] - at[i].v[3]));
			if (t == NULL)
				return decline(x, "out of memory");
			t->parent = (xmlNode *)a;
			a->children = a->last = t;
		}
		x->cur = node;
	}
	xgrow(&x->open, &x->opencap, x->nopen + 1, sizeof(*x->open));
	o = &x->open[x->nopen++];
	o->qname = q;
	o->qlen = qlen;
	o->local = local;
	o->nsmark = mark;
	o->built = keep;
	if (empty) {
		x->nopen--;
		x->nns = mark;
		if (docx_lean_end(&x->w, local))
			x->cur = node->parent->type == XML_ELEMENT_NODE ? node->parent : NULL;
	}
	return 0;
}

/* An end tag (x->p on the '<'), which must close the innermost open element. */
static int
end_tag(struct fx *x)
{
	struct fx_open *o;

	if (x->nopen == 0)
		return decline(x, "end tag without start");
	o = &x->open[x->nopen - 1];
	x->p += 2;
	if ((size_t)(x->end - x->p) < o->qlen || memcmp(x->p, o->qname, o->qlen) != 0)
		return decline(x, "end tag does not match");
	x->p += o->qlen;
	skip_space(x);
	if (x->p >= x->end || *x->p != '>')
		return decline(x, "malformed end tag");
	x->p++;
	x->nopen--;
	x->nns = o->nsmark;
	if (docx_lean_end(&x->w, o->local) && x->cur != NULL)
		x->cur = x->cur->parent != NULL && x->cur->parent->type == XML_ELEMENT_NODE
			? x->cur->parent : NULL;
	return 0;
}

static int
parse(struct fx *x)
{
	if (prolog(x) == -1)
		return -1;
	do {
		if (x->p + 1 < x->end && x->p[1] == '/') {
			if (end_tag(x) == -1)
				return -1;
		} else if (x->p + 1 < x->end && name_start(x->p[1])) {
			if (start_tag(x) == -1)
				return -1;
		} else {
			return decline(x, "comment, CDATA, processing instruction or malformed markup");
		}
		if (x->nopen == 0)
			break;
		if (x->p >= x->end)
			return decline(x, "cut part");
		if (*x->p != '<' && text(x) == -1)
			return -1;
	} while (1);
	skip_space(x);
	if (x->p != x->end)
		return decline(x, "something after the root element");
	return 0;
}

static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

/*
 * libxml2's globals (the dictionaries' mutex and random seed among them)
 * are set up by xmlInitParser(), which its parser calls but its tree
 * functions do not: two threads creating their first dictionaries at once
 * would race to set them up.
 */
static void
libxml_init(void)
{
	xmlInitParser();
}

int
docx_xml_fast(const char *part, const char *data, size_t n, enum docx_lean lean, xmlDoc **out,
	const char **why)
{
	struct fx x;
	int rc;

	*out = NULL;
	if (why != NULL)
		*why = NULL;
	if (lean == DOCX_FULL || n > (size_t)1 << 30)
		return 0;
	pthread_once(&libxml_once, libxml_init);
	memset(&x, 0, sizeof(x));
	x.p = (const unsigned char *)data;
	x.end = x.p + n;
	x.line = 1;
	x.w.lean = lean;
	buf_init(&x.text);
	x.doc = xmlNewDoc((const xmlChar *)"1.0");
	x.dict = xmlDictCreate();
	if (x.doc == NULL || x.dict == NULL) {
		xmlFreeDoc(x.doc);
		xmlDictFree(x.dict);
		return 0;
	}
	x.doc->dict = x.dict;
	x.doc->standalone = -1;
	rc = parse(&x);
	buf_release(&x.text);
	free(x.open);
	free(x.ns);
	if (rc == -1 || x.doc->children == NULL) {
		if (why != NULL)
			*why = x.why != NULL ? x.why : "no root element";
		xmlFreeDoc(x.doc);
		return 0;
	}
	x.doc->URL = xmlPathToURI((const xmlChar *)part);
	x.doc->properties = XML_DOC_WELLFORMED | XML_DOC_NSVALID;
	x.doc->parseFlags = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		XML_PARSE_COMPACT;
	*out = x.doc;
	return 1;
}

/* ---- a dump of a tree, for comparing the two readers ---- */

static void
dump_node(const xmlNode *n, int depth, struct buf *b)
{
	const xmlNs *ns;
	const xmlAttr *a;
	const xmlNode *c;

	buf_printf(b, "%*s", 2 * depth, "");
	switch (n->type) {
	case XML_ELEMENT_NODE:
		buf_printf(b, "<%s line %u", (const char *)n->name, n->line);
		if (n->ns != NULL)
			buf_printf(b, " ns %s=%s", n->ns->prefix ? (const char *)n->ns->prefix : "",
				(const char *)n->ns->href);
		for (ns = n->nsDef; ns != NULL; ns = ns->next)
			buf_printf(b, " xmlns:%s=%s", ns->prefix ? (const char *)ns->prefix : "",
				(const char *)ns->href);
		for (a = n->properties; a != NULL; a = a->next) {
			buf_printf(b, " @%s", (const char *)a->name);
			if (a->ns != NULL)
				buf_printf(b, "{%s}", (const char *)a->ns->href);
			for (c = a->children; c != NULL; c = c->next)
				if (c->type == XML_TEXT_NODE)
					buf_printf(b, "=[%s]", (const char *)c->content);
				else
					buf_printf(b, "=<node %d>", (int)c->type);
		}
		buf_adds(b, ">\n");
		for (c = n->children; c != NULL; c = c->next)
			dump_node(c, depth + 1, b);
		break;
	case XML_TEXT_NODE:
		buf_printf(b, "text %s [", n->name == xmlStringText ? "" : (const char *)n->name);
		buf_adds(b, n->content != NULL ? (const char *)n->content : "(null)");
		buf_adds(b, "]\n");
		break;
	default:
		buf_printf(b, "node of type %d\n", (int)n->type);
		break;
	}
}

void
docx_xml_dump(const xmlDoc *doc, struct buf *b)
{
	const xmlNode *c;

	buf_printf(b, "document standalone %d\n", doc->standalone);
	for (c = doc->children; c != NULL; c = c->next)
		dump_node(c, 0, b);
}
