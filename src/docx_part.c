/*
 * docx_part.c: access to the parts of a .docx package with limits.
 *
 * libzip reads the central directory only when opening, so the sizes are
 * known before anything is inflated: a part is refused when its stated
 * size, the running total or the compression ratio is too large, and no
 * more than the stated size is ever read.  libxml2 parses each part with
 * XML_PARSE_NONET only (entities are never substituted); a DTD, which
 * Word parts never carry, is refused as soon as the parser meets it.
 */
#define _GNU_SOURCE
#include "docx_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"

static int
entry_cmp(const void *a, const void *b)
{
	const struct docx_entry *x = a, *y = b;

	return strcasecmp(x->name, y->name);
}

/*
 * Sort the entry names (ignoring ASCII case, as zip_name_locate's
 * ZIP_FL_NOCASE and Word do) for the lookups, and refuse duplicates.
 */
static int
index_names(struct docx_pkg *pkg, struct error *err)
{
	zip_int64_t n = zip_get_num_entries(pkg->za, 0);
	zip_uint64_t i;
	const char *name;
	size_t k;

	if (n < 0)
		n = 0;
	pkg->byname = xmalloc(((size_t)n + 1) * sizeof(*pkg->byname));
	pkg->seen = xcalloc((size_t)n + 1, 1);
	for (i = 0; i < (zip_uint64_t)n; i++) {
		name = zip_get_name(pkg->za, i, 0);
		if (name == NULL)
			continue;
		pkg->byname[pkg->nentries].name = name;
		pkg->byname[pkg->nentries++].idx = i;
	}
	if (pkg->nentries > 1)
		qsort(pkg->byname, pkg->nentries, sizeof(*pkg->byname), entry_cmp);
	for (k = 1; k < pkg->nentries; k++)
		if (strcasecmp(pkg->byname[k - 1].name, pkg->byname[k].name) == 0)
			return error_set(err, "不是有效的 .docx 文件：zip 压缩包中有两个同名部件 %s"
				"（不同软件读出的内容会不同），拒绝读取", pkg->byname[k].name);
	return 0;
}

/* Zip index of the part called part (ignoring ASCII case), or -1. */
static zip_int64_t
locate(const struct docx_pkg *pkg, const char *part)
{
	size_t lo = 0, hi = pkg->nentries, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcasecmp(pkg->byname[mid].name, part);
		if (c == 0)
			return (zip_int64_t)pkg->byname[mid].idx;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int
docx_pkg_open(struct docx_pkg *pkg, const char *data, size_t n, struct error *err)
{
	zip_error_t ze;
	zip_source_t *src;
	int code;

	memset(pkg, 0, sizeof(*pkg));
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, n, 0, &ze);
	if (src == NULL) {
		zip_error_fini(&ze);
		return error_set(err, "不是有效的 .docx 文件：无法读取 zip 压缩包");
	}
	pkg->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (pkg->za == NULL) {
		code = zip_error_code_zip(&ze);
		zip_source_free(src);
		zip_error_fini(&ze);
		if (code == ZIP_ER_NOZIP)
			return error_set(err, "不是有效的 .docx 文件：不是 zip 压缩包，或文件被截断");
		return error_set(err, "不是有效的 .docx 文件：zip 压缩包损坏或被截断（libzip 错误 %d）",
			code);
	}
	zip_error_fini(&ze);
	if (index_names(pkg, err) == -1) {
		docx_pkg_close(pkg);
		return -1;
	}
	return 0;
}

void
docx_pkg_close(struct docx_pkg *pkg)
{
	if (pkg->za != NULL)
		zip_discard(pkg->za);
	pkg->za = NULL;
	free(pkg->byname);
	free(pkg->seen);
	pkg->byname = NULL;
	pkg->seen = NULL;
	pkg->nentries = 0;
}

/*
 * Read the whole part into a new buffer, within the limits.  1 when
 * read, 0 when the part does not exist or was read before, -1 on error.
 */
static int
read_part(struct docx_pkg *pkg, const char *part, char **out, size_t *len, struct error *err)
{
	zip_stat_t st;
	zip_int64_t idx, got;
	zip_file_t *zf;
	char *data;
	zip_uint64_t done;
	int is_main = pkg->main != NULL && strcasecmp(part, pkg->main) == 0;

	*out = NULL;
	*len = 0;
	idx = locate(pkg, part);
	if (idx < 0 || (pkg->seen[idx] & 1))
		return 0;
	pkg->seen[idx] |= 1;
	zip_stat_init(&st);
	if (zip_stat_index(pkg->za, (zip_uint64_t)idx, 0, &st) == -1 ||
		!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
		return error_set(err, "%s：zip 目录项损坏（%s）", part, zip_strerror(pkg->za));
	if (st.size > DOCX_PART_MAX)
		return error_set(err, "%s：解压后 %llu 字节，超过上限 %llu 字节，疑为压缩炸弹", part,
			(unsigned long long)st.size, (unsigned long long)DOCX_PART_MAX);
	if (!is_main && pkg->aux + st.size > DOCX_AUX_MAX)
		return error_set(err, "%s：正文以外的部件（样式、编号、页眉页脚、脚注、批注等）"
			"解压后合计超过上限 %llu MB，疑为压缩炸弹", part,
			(unsigned long long)(DOCX_AUX_MAX >> 20));
	if (st.size > ((zip_uint64_t)1 << 20) && st.size / (st.comp_size + 1) > DOCX_RATIO_MAX)
		return error_set(err, "%s：压缩比超过 %d:1，疑为压缩炸弹", part, DOCX_RATIO_MAX);
	zf = zip_fopen_index(pkg->za, (zip_uint64_t)idx, 0);
	if (zf == NULL)
		return error_set(err, "%s：无法解压（%s）", part, zip_strerror(pkg->za));
	data = xmalloc((size_t)st.size + 1);
	done = 0;
	while (done < st.size) {
		got = zip_fread(zf, data + done, st.size - done);
		if (got <= 0)
			break;
		done += (zip_uint64_t)got;
	}
	if (done != st.size) {
		error_set(err, "%s：解压失败，文件损坏或被截断（%s）", part, zip_file_strerror(zf));
		zip_fclose(zf);
		free(data);
		return -1;
	}
	zip_fclose(zf);
	data[done] = '\0';
	pkg->total += st.size;
	if (!is_main)
		pkg->aux += st.size;
	*out = data;
	*len = (size_t)done;
	return 1;
}

int
docx_plan_part(struct docx_pkg *pkg, const char *part, struct error *err)
{
	zip_int64_t idx = locate(pkg, part);
	zip_stat_t st;

	if (idx < 0 || pkg->seen[idx])
		return 0;
	pkg->seen[idx] |= 2;
	zip_stat_init(&st);
	if (zip_stat_index(pkg->za, (zip_uint64_t)idx, 0, &st) == -1 || !(st.valid & ZIP_STAT_SIZE))
		return 0; /* read_part() says what is wrong */
	pkg->planned += st.size;
	if (pkg->aux + pkg->planned > DOCX_AUX_MAX)
		return error_set(err, "%s：正文以外的部件（样式、编号、页眉页脚、脚注、批注等）"
			"解压后合计超过上限 %llu MB，疑为压缩炸弹", part,
			(unsigned long long)(DOCX_AUX_MAX >> 20));
	return 0;
}

int
docx_read_part(struct docx_pkg *pkg, const char *part, char **out, size_t *len,
	struct error *err)
{
	return read_part(pkg, part, out, len, err);
}

/* Does the raw part contain "<!DOCTYPE" (UTF-8 or ASCII-compatible)? */
static int
has_doctype(const char *s, size_t n)
{
	return memmem(s, n, "<!DOCTYPE", 9) != NULL;
}

/*
 * Code unit i of s[0..n) for units of w bytes (1: UTF-8 and other
 * ASCII-compatible encodings; 2 and 4: UTF-16 and UCS-4, little- or
 * big-endian).  Only units below 128 matter to the scan.
 */
static unsigned long
unit_at(const unsigned char *s, size_t i, int w, int big)
{
	unsigned long u = 0;
	int k;

	if (w == 1)
		return s[i];
	for (k = 0; k < w; k++)
		u |= (unsigned long)s[i + (size_t)(big ? w - 1 - k : k)] << (8 * k);
	return u;
}

/*
 * libxml2 2.9 checks each attribute of an element against all the others
 * (quadratic: 40,000 take 5 s; 100,000 written 'a = "x"' 25 s); Word
 * writes a few dozen.  The attributes are counted the way the parser
 * reads the markup: in a start tag every '=' outside a quoted value
 * belongs to one attribute (with any spaces around it); comments, CDATA
 * sections and processing instructions are skipped whole, since they may
 * contain '<' and '='.  The input is read in code units of the encoding
 * libxml2 detects from its first bytes, so UTF-16 cannot hide a quote.
 * HTML values need no quotes and HTML attributes need no value: there
 * every word of a tag counts (a quoted value is skipped whole), never
 * fewer than the HTML parser sees.
 */
/*
 * docx_too_many_attrs() for XML in an ASCII-compatible encoding: the same
 * states, but the text between tags, quoted values, comments, CDATA and
 * processing instructions are skipped with memchr/memmem (most of a part).
 */
static int
too_many_attrs_8(const unsigned char *s, size_t n, size_t max)
{
	/* the bytes that end a run of a start tag's names and spaces */
	static const unsigned char stop[256] = {['>'] = 1, ['"'] = 1, ['\''] = 1, ['='] = 1};
	const unsigned char *p = s, *end = s + n;
	unsigned char q;
	size_t count;

	while (p < end) {
		if (*p != '<' && (p = memchr(p, '<', (size_t)(end - p))) == NULL)
			return 0;
		if (end - p >= 4 && p[1] == '!' && p[2] == '-' && p[3] == '-') {
			p = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
			if (p == NULL)
				return 0;
			p += 3;
			continue;
		}
		if (end - p >= 3 && p[1] == '!' && p[2] == '[') {
			p = memmem(p + 3, (size_t)(end - p - 3), "]]>", 3);
			if (p == NULL)
				return 0;
			p += 3;
			continue;
		}
		if (end - p >= 2 && p[1] == '?') {
			p = memmem(p + 2, (size_t)(end - p - 2), "?>", 2);
			if (p == NULL)
				return 0;
			p += 2;
			continue;
		}
		/* a tag: every '=' outside a quoted value is one attribute */
		count = 0;
		for (p++;;) {
			while (p < end && !stop[*p])
				p++;
			if (p >= end)
				return 0;
			if (*p == '>') {
				p++;
				break;
			}
			if (*p == '=') {
				if (++count > max)
					return 1;
				p++;
				continue;
			}
			for (q = *p++; p < end && *p != q; p++)
				;
			if (p >= end)
				return 0;
			p++;
		}
	}
	return 0;
}

int
docx_too_many_attrs(const char *data, size_t n, size_t max, int html)
{
	const unsigned char *s = (const unsigned char *)data;
	enum { TEXT, TAG, QUOTE, COMMENT, CDATA, PI } state = TEXT;
	size_t i, count = 0, len;
	unsigned long c, q = 0;
	int w = 1, big = 0, space = 0;

	switch (n >= 4 ? xmlDetectCharEncoding(s, 4) : XML_CHAR_ENCODING_NONE) {
	case XML_CHAR_ENCODING_UTF16LE: w = 2; break;
	case XML_CHAR_ENCODING_UTF16BE: w = 2; big = 1; break;
	case XML_CHAR_ENCODING_UCS4LE: w = 4; break;
	case XML_CHAR_ENCODING_UCS4BE: w = 4; big = 1; break;
	default: break;
	}
	if (w == 1 && !html)
		return too_many_attrs_8(s, n, max);
	len = n / (size_t)w;
#define AT(k) ((k) < len ? unit_at(s, (size_t)(k) * (size_t)w, w, big) : 0UL)
	for (i = 0; i < len; i++) {
		c = AT(i);
		switch (state) {
		case TEXT:
			if (c != '<')
				break;
			if (AT(i + 1) == '!' && AT(i + 2) == '-' && AT(i + 3) == '-') {
				state = COMMENT;
				i += 3;
			} else if (AT(i + 1) == '!' && AT(i + 2) == '[') {
				state = CDATA;
				i += 2;
			} else if (AT(i + 1) == '?') {
				state = PI;
				i += 1;
			} else if (!html || (AT(i + 1) | 0x20) - 'a' < 26) {
				state = TAG;
				count = 0;
				space = 0;
			}
			break;
		case TAG:
			if (c == '>') {
				state = TEXT;
			} else if (c == '"' || c == '\'') {
				state = QUOTE;
				q = c;
			} else if (!html && c == '=') {
				if (++count > max)
					return 1;
			} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
				space = 1;
			} else if (html && space) {
				space = 0;
				if (++count > max)
					return 1;
			}
			break;
		case QUOTE:
			if (c == q)
				state = TAG;
			break;
		case COMMENT:
			if (c == '-' && AT(i + 1) == '-' && AT(i + 2) == '>') {
				state = TEXT;
				i += 2;
			}
			break;
		case CDATA:
			if (c == ']' && AT(i + 1) == ']' && AT(i + 2) == '>') {
				state = TEXT;
				i += 2;
			}
			break;
		case PI:
			if (c == '?' && AT(i + 1) == '>') {
				state = TEXT;
				i += 1;
			}
			break;
		}
	}
#undef AT
	return 0;
}

/*
 * The encoding an ASCII-compatible part declares ('<?xml ... encoding="X"'),
 * copied into out; "" when none.  libxml2 would switch to it, and an
 * encoding such as UTF-7 could hide markup from the attribute scan.
 */
static void
declared_encoding(const char *s, size_t n, char *out, size_t outsz)
{
	const char *end, *p, *q;
	size_t k;

	out[0] = '\0';
	if (n < 5 || memcmp(s, "<?xml", 5) != 0)
		return;
	end = memchr(s, '>', n < 512 ? n : 512);
	if (end == NULL)
		return;
	for (p = s; p + 8 < end; p++) {
		if (memcmp(p, "encoding", 8) != 0)
			continue;
		p += 8;
		while (p < end && (*p == ' ' || *p == '=' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return;
		q = memchr(p + 1, *p, (size_t)(end - p - 1));
		if (q == NULL)
			return;
		k = (size_t)(q - p - 1) < outsz - 1 ? (size_t)(q - p - 1) : outsz - 1;
		memcpy(out, p + 1, k);
		out[k] = '\0';
		return;
	}
}

/* Is a declared encoding one whose bytes below 128 are ASCII (the scan reads it right)? */
static int
ascii_compatible(const char *enc)
{
	static const char *const ok[] = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-", "iso8859",
		"iso_8859", "latin", "gb2312", "gbk", "gb18030", "big5", "windows-", "cp936", "cp125",
		"euc-", "shift_jis", "sjis", "utf-16", NULL};
	size_t i;

	if (enc[0] == '\0')
		return 1;
	for (i = 0; ok[i] != NULL; i++)
		if (strncasecmp(enc, ok[i], strlen(ok[i])) == 0)
			return 1;
	return 0;
}

/* What the parser hooks saw: a DTD, and the first error (libxml2 keeps the last). */
struct parse_state {
	int dtd;
	int have;
	int line, col, code;
	char msg[200];
	struct docx_lean_walk w; /* docx_parse_lean(): what is left out of the tree */
	startElementNsSAX2Func start;
	endElementNsSAX2Func end;
	charactersSAXFunc chars, blanks;
	cdataBlockSAXFunc cdata;
	commentSAXFunc comment;
	processingInstructionSAXFunc pi;
	referenceSAXFunc ref;
};

/* SAX hook: a DTD in a Word part is refused on sight. */
static void
refuse_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *ps = ctxt->_private;

	ps->dtd = 1;
	xmlStopParser(ctxt);
}

static void
first_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *ps = ctxt->_private;
	size_t k;

	if (ps == NULL || ps->have || e == NULL || e->level < XML_ERR_ERROR)
		return;
	ps->have = 1;
	ps->line = e->line;
	ps->col = e->int2;
	ps->code = e->code;
	snprintf(ps->msg, sizeof(ps->msg), "%s", e->message ? e->message : "");
	k = strlen(ps->msg);
	while (k > 0 && (ps->msg[k - 1] == '\n' || ps->msg[k - 1] == ' '))
		ps->msg[--k] = '\0';
	for (k = 0; ps->msg[k] != '\0'; k++)
		if (ps->msg[k] == '\n')
			ps->msg[k] = ' ';
}

/* Silence libxml2's own printing; errors are read from the context. */
static void
quiet(void *ctx, const char *msg, ...)
{
}

static void
quiet_structured(void *ctx, xmlErrorPtr e)
{
}

/* ---- lean trees: the hooks in front of libxml2's tree builders (see docx_xml.c) ---- */

#define LEAN_ATTRS 32

static void
lean_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
	const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *ps = ctxt->_private;
	const xmlChar *kept[5 * LEAN_ATTRS];
	int i, k = 0;

	if (!docx_lean_start(&ps->w, local, nattr, attrs))
		return;
	if (nattr <= LEAN_ATTRS && ndef == 0) {
		for (i = 0; i < nattr; i++)
			if (!docx_lean_unread_attr(attrs[5 * i]))
				memcpy(&kept[5 * k++], &attrs[5 * i], 5 * sizeof(*attrs));
		ps->start(ctx, local, prefix, uri, nns, ns, k, 0, kept);
	} else {
		ps->start(ctx, local, prefix, uri, nns, ns, nattr, ndef, attrs);
	}
}

static void
lean_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *ps = ctxt->_private;

	if (docx_lean_end(&ps->w, local))
		ps->end(ctx, local, prefix, uri);
}

static void
lean_chars(void *ctx, const xmlChar *ch, int len)
{
	struct parse_state *ps = ((xmlParserCtxtPtr)ctx)->_private;

	if (ps->w.skip == 0)
		ps->chars(ctx, ch, len);
}

static void
lean_blanks(void *ctx, const xmlChar *ch, int len)
{
	struct parse_state *ps = ((xmlParserCtxtPtr)ctx)->_private;

	if (ps->w.skip == 0)
		ps->blanks(ctx, ch, len);
}

static void
lean_cdata(void *ctx, const xmlChar *ch, int len)
{
	struct parse_state *ps = ((xmlParserCtxtPtr)ctx)->_private;

	if (ps->w.skip == 0)
		ps->cdata(ctx, ch, len);
}

static void
lean_comment(void *ctx, const xmlChar *v)
{
	struct parse_state *ps = ((xmlParserCtxtPtr)ctx)->_private;

	if (ps->w.skip == 0)
		ps->comment(ctx, v);
}

static void
lean_pi(void *ctx, const xmlChar *target, const xmlChar *v)
{
	struct parse_state *ps = ((xmlParserCtxtPtr)ctx)->_private;

	if (ps->w.skip == 0)
		ps->pi(ctx, target, v);
}

static void
lean_ref(void *ctx, const xmlChar *name)
{
	struct parse_state *ps = ((xmlParserCtxtPtr)ctx)->_private;

	if (ps->w.skip == 0)
		ps->ref(ctx, name);
}

/* Put the lean hooks in front of libxml2's tree builders. */
static void
lean_hooks(xmlParserCtxtPtr ctxt, struct parse_state *ps)
{
	xmlSAXHandlerPtr h = ctxt->sax;

	ps->start = h->startElementNs;
	ps->end = h->endElementNs;
	ps->chars = h->characters;
	ps->blanks = h->ignorableWhitespace;
	ps->cdata = h->cdataBlock;
	ps->comment = h->comment;
	ps->pi = h->processingInstruction;
	ps->ref = h->reference;
	if (ps->start == NULL || ps->end == NULL || ps->chars == NULL || ps->blanks == NULL ||
		ps->cdata == NULL || ps->comment == NULL || ps->pi == NULL || ps->ref == NULL) {
		ps->w.lean = DOCX_FULL;
		return;
	}
	h->startElementNs = lean_start;
	h->endElementNs = lean_end;
	h->characters = lean_chars;
	h->ignorableWhitespace = lean_blanks;
	h->cdataBlock = lean_cdata;
	h->comment = lean_comment;
	h->processingInstruction = lean_pi;
	h->reference = lean_ref;
}

void
docx_pkg_reread(struct docx_pkg *pkg)
{
	zip_int64_t i, n = zip_get_num_entries(pkg->za, 0);

	for (i = 0; i <= n; i++)
		pkg->seen[i] &= (unsigned char)~1u;
}

int
docx_parse_part(struct docx_pkg *pkg, const char *part, xmlDoc **out, struct error *err)
{
	return docx_parse_lean(pkg, part, DOCX_FULL, out, err);
}

int
docx_parse_lean(struct docx_pkg *pkg, const char *part, enum docx_lean lean, xmlDoc **out,
	struct error *err)
{
	char *data;
	size_t n;
	int rc;

	*out = NULL;
	rc = read_part(pkg, part, &data, &n, err);
	if (rc <= 0)
		return rc;
	rc = docx_parse_bytes(part, data, n, lean, out, err);
	free(data);
	return rc;
}

/*
 * The plain XML Word writes goes to docx_xml_fast() first: what it reads
 * has passed the checks below (it refuses any "<!", any encoding but
 * UTF-8 and more than 32 attributes on an element), and everything else
 * comes here whole.
 */
int
docx_parse_bytes(const char *part, const char *data, size_t n, enum docx_lean lean, xmlDoc **out,
	struct error *err)
{
	if (lean != DOCX_FULL && docx_xml_fast(part, data, n, lean, out, NULL) == 1)
		return 1;
	return docx_parse_bytes_libxml(part, data, n, lean, out, err);
}

int
docx_parse_bytes_libxml(const char *part, const char *data, size_t n, enum docx_lean lean,
	xmlDoc **out, struct error *err)
{
	xmlParserCtxtPtr ctxt;
	struct parse_state ps;
	xmlDoc *doc;
	char enc[40];

	*out = NULL;
	if (lean == DOCX_READ)
		lean = DOCX_FULL;
	if (has_doctype(data, n))
		return error_set(err, "%s：含有 DTD（<!DOCTYPE>），Word 文档不会有，拒绝读取", part);
	declared_encoding(data, n, enc, sizeof(enc));
	if (!ascii_compatible(enc))
		return error_set(err, "%s：字符编码 %s 不是 Word 使用的编码，拒绝读取", part, enc);
	if (docx_too_many_attrs(data, n, DOCX_ATTR_MAX, 0))
		return error_set(err, "%s：元素的属性超过 %d 个，拒绝读取", part, DOCX_ATTR_MAX);
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlSetStructuredErrorFunc(NULL, quiet_structured);
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return error_set(err, "%s：内存不足", part);
	memset(&ps, 0, sizeof(ps));
	ctxt->_private = &ps;
	ctxt->sax->internalSubset = refuse_subset;
	ctxt->sax->externalSubset = refuse_subset;
	ctxt->sax->serror = first_error;
	ps.w.lean = lean;
	if (lean != DOCX_FULL)
		lean_hooks(ctxt, &ps);
	doc = xmlCtxtReadMemory(ctxt, data, (int)n, part, NULL,
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			(ps.w.lean != DOCX_FULL ? XML_PARSE_COMPACT : 0));
	if (ps.dtd || (doc != NULL && (doc->intSubset || doc->extSubset))) {
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return error_set(err, "%s：含有 DTD（<!DOCTYPE>），Word 文档不会有，拒绝读取", part);
	}
	if (doc == NULL || !ctxt->wellFormed || ps.have) {
		if (ps.have && ps.code == XML_ERR_NO_MEMORY)
			error_set(err, "%s：内存不足，无法读取这份报告（报告过大或本机内存不够）", part);
		else if (ps.have && strstr(ps.msg, "depth") != NULL)
			error_set(err, "%s 第 %d 行：XML 嵌套过深，拒绝读取", part, ps.line);
		else if (ps.have)
			/* the XML line is no paragraph number: it goes in the message only */
			error_set(err, "%s 第 %d 行：XML 格式错误（libxml2 错误 %d：%s）", part,
				ps.line, ps.code, ps.msg);
		else
			error_set(err, "%s：XML 格式错误", part);
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return -1;
	}
	xmlFreeParserCtxt(ctxt);
	*out = doc;
	return 1;
}

static int
is_wns(const xmlNode *node)
{
	const char *href;

	if (node->ns == NULL)
		return 0;
	href = (const char *)node->ns->href;
	return strcmp(href, W_NS) == 0 || strcmp(href, W_NS_STRICT) == 0;
}

int
docx_isw(const xmlNode *node, const char *local)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
		strcmp((const char *)node->name, local) == 0 && is_wns(node);
}

int
docx_islocal(const xmlNode *node, const char *local)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
		strcmp((const char *)node->name, local) == 0;
}

xmlNode *
docx_child(const xmlNode *node, const char *local)
{
	xmlNode *c;

	if (node == NULL)
		return NULL;
	for (c = node->children; c != NULL; c = c->next)
		if (docx_isw(c, local))
			return c;
	return NULL;
}

const char *
docx_attr(const xmlNode *node, const char *local)
{
	xmlAttr *a;

	if (node == NULL)
		return NULL;
	for (a = node->properties; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, local) == 0 && a->children != NULL &&
			a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

long
docx_child_int(const xmlNode *node, const char *local, long def)
{
	const char *v = docx_attr(docx_child(node, local), "val");
	long x;

	if (v == NULL)
		return def;
	x = strtol(v, NULL, 10);
	return x > 10000000 ? 10000000 : x < -10000000 ? -10000000 : x;
}

int
docx_onoff(const xmlNode *node)
{
	const char *v;

	if (node == NULL)
		return -1;
	v = docx_attr(node, "val");
	if (v == NULL)
		return 1;
	return !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0);
}
