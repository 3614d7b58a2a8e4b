/*
 * docx_chunk.c: the text of a w:altChunk, the "alternative format import"
 * that OA systems use to put an HTML page into the body of a .docx.  Word
 * converts the chunk when it opens the file; to us it is a part of its own.
 * An HTML chunk is read with libxml2's HTML parser: every block element
 * (p, div, h1-h6, li, table cells, br ...) ends a paragraph, script and
 * style are skipped, white space is collapsed as a browser does.  Other
 * formats (an embedded .docx, MHT, RTF) are refused with a hint to save
 * the file again in Word, never read as nothing.
 */
#include "docx_int.h"

#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "utf8.h"

/* The chunk being read: the paragraph under construction and where it goes. */
struct chunk {
	struct doc *d;
	unsigned flags;
	struct buf text;
	int space;  /* a white space is pending (collapsed into one) */
	int level;  /* heading level of the paragraph (h1-h6), 0 none */
	int cell;   /* the paragraph is a table cell's */
};

/* Is the HTML element name one that starts and ends a line of its own? */
static int
is_block(const char *name)
{
	static const char *const v[] = {"p", "div", "li", "dt", "dd", "tr", "td", "th", "table",
		"ul", "ol", "dl", "blockquote", "pre", "center", "section", "article", "header",
		"footer", "address", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "body", NULL};
	size_t i;

	for (i = 0; v[i] != NULL; i++)
		if (strcasecmp(name, v[i]) == 0)
			return 1;
	return 0;
}

static void
flush(struct chunk *ck)
{
	size_t idx;
	struct para *p;

	while (ck->text.len > 0 && ck->text.s[ck->text.len - 1] == ' ')
		ck->text.s[--ck->text.len] = '\0';
	if (ck->text.len > 0) {
		idx = doc_add_para(ck->d, ck->text.s, ck->text.len, (int)ck->d->npara + 1);
		p = &ck->d->paras[idx];
		p->flags |= ck->flags | (ck->cell ? PARA_TABLE : 0);
		if (ck->level > 0) {
			p->outline_lvl = ck->level;
			p->flags |= PARA_STYLED;
		}
	}
	ck->text.len = 0;
	if (ck->text.s != NULL)
		ck->text.s[0] = '\0';
	ck->space = 0;
	ck->level = 0;
	ck->cell = 0;
}

/* Text of a node, white space collapsed; a line break never enters a paragraph. */
static void
add_text(struct chunk *ck, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
			ck->space = ck->text.len > 0;
			continue;
		}
		if ((unsigned char)*s < 0x20)
			continue;
		if (ck->space)
			buf_addc(&ck->text, ' ');
		ck->space = 0;
		buf_addc(&ck->text, *s);
	}
}

/* The nodes from first on and their descendants, in order. */
static void
walk(struct chunk *ck, xmlNode *first, int depth)
{
	xmlNode *c;
	const char *name;
	int block;

	if (depth > DOCX_DEPTH_MAX)
		return;
	for (c = first; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content != NULL)
				add_text(ck, (const char *)c->content);
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		name = (const char *)c->name;
		if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
			strcasecmp(name, "head") == 0 || strcasecmp(name, "title") == 0)
			continue;
		block = is_block(name);
		if (block)
			flush(ck);
		if ((name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' &&
			name[2] == '\0')
			ck->level = name[1] - '0';
		if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0)
			ck->cell = 1;
		walk(ck, c->children, depth + 1);
		if (block)
			flush(ck);
	}
}

/* Does the chunk name a charset in its first 2 KB (a meta element or an XML declaration)? */
static int
names_charset(const char *s, size_t n)
{
	size_t i, m = n < 2048 ? n : 2048;

	for (i = 0; i + 7 <= m; i++)
		if (strncasecmp(s + i, "charset", 7) == 0 || strncasecmp(s + i, "encoding", 7) == 0)
			return 1;
	return 0;
}

int
docx_chunk_html(const char *part, const char *data, size_t n, struct doc *d, unsigned flags,
	struct error *err)
{
	struct chunk ck;
	htmlDocPtr h;
	const char *enc = NULL;

	if (docx_too_many_attrs(data, n, DOCX_ATTR_MAX, 1))
		return error_set(err, "%s：HTML 元素的属性超过 %d 个，拒绝读取", part, DOCX_ATTR_MAX);
	/* without a declared charset libxml2 assumes Latin-1: Chinese OA pages
	 * are UTF-8 or GB18030 */
	if (!names_charset(data, n))
		enc = utf8_invalid(data, n) == (size_t)-1 ? "UTF-8" : "GB18030";
	if (n > (size_t)2147483647)
		return error_set(err, "%s：HTML 内容块过大", part);
	h = htmlReadMemory(data, (int)n, part, enc,
		HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS);
	if (h == NULL)
		return error_set(err, "%s：无法解析正文嵌入的 HTML 内容块（altChunk）；"
			"请在 Word 中另存为 .docx", part);
	memset(&ck, 0, sizeof(ck));
	ck.d = d;
	ck.flags = flags;
	buf_init(&ck.text);
	walk(&ck, h->children, 0);
	flush(&ck);
	buf_release(&ck.text);
	xmlFreeDoc(h);
	return 0;
}
