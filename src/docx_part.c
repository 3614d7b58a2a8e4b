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
#include "docx_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"

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
	return 0;
}

void
docx_pkg_close(struct docx_pkg *pkg)
{
	if (pkg->za != NULL)
		zip_discard(pkg->za);
	pkg->za = NULL;
}

/*
 * Read the whole part into a new buffer, within the limits.  1 when
 * read, 0 when the part does not exist, -1 on error.
 */
static int
read_part(struct docx_pkg *pkg, const char *part, char **out, size_t *len, struct error *err)
{
	zip_stat_t st;
	zip_int64_t idx, got;
	zip_file_t *zf;
	char *data;
	zip_uint64_t done;

	*out = NULL;
	*len = 0;
	idx = zip_name_locate(pkg->za, part, ZIP_FL_NOCASE);
	if (idx < 0)
		return 0;
	zip_stat_init(&st);
	if (zip_stat_index(pkg->za, (zip_uint64_t)idx, 0, &st) == -1 ||
		!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
		return error_set(err, "%s：zip 目录项损坏（%s）", part, zip_strerror(pkg->za));
	if (st.size > DOCX_PART_MAX)
		return error_set(err, "%s：解压后 %llu 字节，超过上限 %llu 字节，疑为压缩炸弹", part,
			(unsigned long long)st.size, (unsigned long long)DOCX_PART_MAX);
	if (pkg->total + st.size > DOCX_TOTAL_MAX)
		return error_set(err, "%s：各部件解压后总量超过上限 %llu 字节，疑为压缩炸弹", part,
			(unsigned long long)DOCX_TOTAL_MAX);
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
	*out = data;
	*len = (size_t)done;
	return 1;
}

/* Does the raw part contain "<!DOCTYPE" (UTF-8 or ASCII-compatible)? */
static int
has_doctype(const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0)
			return 1;
		p++;
	}
	return 0;
}

/*
 * Does an element carry more than max attributes?  libxml2 checks each
 * attribute against all the others (quadratic: 40,000 take 5 s); Word
 * writes a few dozen.  '<' cannot occur inside a tag, so every name="
 * between one '<' and the next belongs to one tag (or to text, where
 * thousands of them never occur either).
 */
static int
too_many_attrs(const char *s, size_t n, size_t max)
{
	size_t i, count = 0;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] == '<')
			count = 0;
		else if (s[i] == '=' && (s[i + 1] == '"' || s[i + 1] == '\'') && ++count > max)
			return 1;
	}
	return 0;
}

/* What the parser hooks saw: a DTD, and the first error (libxml2 keeps the last). */
struct parse_state {
	int dtd;
	int have;
	int line, col, code;
	char msg[200];
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

int
docx_parse_part(struct docx_pkg *pkg, const char *part, xmlDoc **out, struct error *err)
{
	xmlParserCtxtPtr ctxt;
	struct parse_state ps;
	xmlDoc *doc;
	char *data;
	size_t n;
	int rc;

	*out = NULL;
	rc = read_part(pkg, part, &data, &n, err);
	if (rc <= 0)
		return rc;
	if (has_doctype(data, n)) {
		free(data);
		return error_set(err, "%s：含有 DTD（<!DOCTYPE>），Word 文档不会有，拒绝读取", part);
	}
	if (too_many_attrs(data, n, 4096)) {
		free(data);
		return error_set(err, "%s：元素的属性超过 4096 个，拒绝读取", part);
	}
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlSetStructuredErrorFunc(NULL, quiet_structured);
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		free(data);
		return error_set(err, "%s：内存不足", part);
	}
	memset(&ps, 0, sizeof(ps));
	ctxt->_private = &ps;
	ctxt->sax->internalSubset = refuse_subset;
	ctxt->sax->externalSubset = refuse_subset;
	ctxt->sax->serror = first_error;
	doc = xmlCtxtReadMemory(ctxt, data, (int)n, part, NULL,
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(data);
	if (ps.dtd || (doc != NULL && (doc->intSubset || doc->extSubset))) {
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return error_set(err, "%s：含有 DTD（<!DOCTYPE>），Word 文档不会有，拒绝读取", part);
	}
	if (doc == NULL || !ctxt->wellFormed || ps.have) {
		if (ps.have && strstr(ps.msg, "depth") != NULL)
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
