/*
 * docx_write.c: a report skeleton as WordprocessingML, laid out to
 * GB/T 9704-2012 (see docx_write.h).  Each part is built with
 * xmlTextWriter into memory and the package is assembled with libzip in
 * memory, then written atomically with write_file_atomic().
 */
#include "docx_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>
#include <zip.h>

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_TYPE NS_R "/"

/* GB/T 9704 page in twentieths of a point. */
#define PAGE_W 11906         /* 210 mm */
#define PAGE_H 16838         /* 297 mm */
#define MARGIN_TOP 2098      /* 37 mm */
#define MARGIN_BOTTOM 1984   /* 35 mm */
#define MARGIN_LEFT 1587     /* 28 mm */
#define MARGIN_RIGHT 1474    /* 26 mm */
#define FOOTER_DIST 1304     /* 23 mm: the page number's rule sits 7 mm below the text block */
#define LINE_PITCH 579       /* 225 mm / 22 lines */
/*
 * 28 characters a line: 156 mm is 442.25 pt, 28 characters of 16 pt are
 * 448 pt.  A character grid (linesAndChars, charSpace -848: a 15.8 pt
 * pitch) gives 28 in Word, but LibreOffice puts each 16 pt character into
 * two 15.8 pt cells (14 a line).  So the grid is a line grid only, and the
 * text is set 0.25 pt tighter (w:spacing -5, in twentieths of a point):
 * 28 x 15.75 pt = 441 pt, 28 characters in Word, WPS and LibreOffice.
 */
#define CHAR_TIGHTEN "-5"
#define LINE_EXACT "560"     /* fixed line spacing 28 pt */

#define FONT_TITLE "方正小标宋简体"
#define FONT_BODY "仿宋_GB2312"
#define FONT_H1 "黑体"
#define FONT_H2 "楷体_GB2312"
#define FONT_PAGE "宋体"

/* An XML part being written; bad is set by the first failing call. */
struct xw {
	xmlBufferPtr b;
	xmlTextWriterPtr w;
	int bad;
};

static void
xw_open(struct xw *x)
{
	x->b = xmlBufferCreate();
	x->w = x->b ? xmlNewTextWriterMemory(x->b, 0) : NULL;
	x->bad = x->w == NULL;
	if (!x->bad && xmlTextWriterStartDocument(x->w, NULL, "UTF-8", "yes") < 0)
		x->bad = 1;
}

static void
xs(struct xw *x, const char *name)
{
	if (!x->bad && xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->bad = 1;
}

static void
xa(struct xw *x, const char *name, const char *value)
{
	if (!x->bad && xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value) < 0)
		x->bad = 1;
}

static void
xe(struct xw *x)
{
	if (!x->bad && xmlTextWriterEndElement(x->w) < 0)
		x->bad = 1;
}

static void
xt(struct xw *x, const char *text)
{
	if (!x->bad && xmlTextWriterWriteString(x->w, BAD_CAST text) < 0)
		x->bad = 1;
}

/* An empty element with one attribute (val may be NULL for none). */
static void
x1(struct xw *x, const char *name, const char *attr, const char *val)
{
	xs(x, name);
	if (attr != NULL)
		xa(x, attr, val);
	xe(x);
}

/* Close the document; the part's bytes stay in x->b (NULL on failure). */
static int
xw_close(struct xw *x)
{
	if (!x->bad && xmlTextWriterEndDocument(x->w) < 0)
		x->bad = 1;
	if (x->w)
		xmlFreeTextWriter(x->w);
	x->w = NULL;
	return x->bad ? -1 : 0;
}

static void
xw_free(struct xw *x)
{
	if (x->w)
		xmlFreeTextWriter(x->w);
	if (x->b)
		xmlBufferFree(x->b);
	memset(x, 0, sizeof(*x));
}

static void
fonts(struct xw *x, const char *font)
{
	xs(x, "w:rFonts");
	xa(x, "w:ascii", font);
	xa(x, "w:eastAsia", font);
	xa(x, "w:hAnsi", font);
	xa(x, "w:cs", font);
	xe(x);
}

static void
size(struct xw *x, const char *halfpt)
{
	x1(x, "w:sz", "w:val", halfpt);
	x1(x, "w:szCs", "w:val", halfpt);
}

static void
run(struct xw *x, const char *text, int highlight)
{
	xs(x, "w:r");
	if (highlight) {
		xs(x, "w:rPr");
		x1(x, "w:highlight", "w:val", "yellow");
		xe(x);
	}
	xs(x, "w:t");
	xa(x, "xml:space", "preserve");
	xt(x, text);
	xe(x);
	xe(x);
}

#define SLOT_OPEN "[待填："

/*
 * The runs of a paragraph's text: every "[待填：…]" slot is a run of its
 * own with a yellow highlight, the text around it plain runs, so that
 * text typed over a slot loses the highlight and the rest never had it.
 */
static void
runs(struct xw *x, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *a = strstr(p, SLOT_OPEN), *e;
		char *seg;

		if (a == NULL) {
			run(x, p, 0);
			return;
		}
		if ((e = strchr(a + strlen(SLOT_OPEN), ']')) == NULL) {
			run(x, p, 0);
			return;
		}
		if (a > p) {
			seg = xstrndup(p, (size_t)(a - p));
			run(x, seg, 0);
			free(seg);
		}
		seg = xstrndup(a, (size_t)(e + 1 - a));
		run(x, seg, 1);
		free(seg);
		p = e + 1;
	}
}

static void
para(struct xw *x, const char *style, const char *text, int highlight)
{
	(void)highlight;
	xs(x, "w:p");
	if (style != NULL) {
		xs(x, "w:pPr");
		x1(x, "w:pStyle", "w:val", style);
		xe(x);
	}
	if (text != NULL && *text != '\0')
		runs(x, text);
	xe(x);
}

/* Width of s in characters of the body font: ASCII (the date's digits) counts half. */
static double
text_chars(const char *s)
{
	double w = 0;

	for (; *s; s++)
		if ((unsigned char)*s < 0x80)
			w += 0.5;
		else if (((unsigned char)*s & 0xC0) != 0x80)
			w += 1;
	return w;
}

/* A 落款 line: style Signature with its right indent, in hundredths of a character. */
static void
sign_line(struct xw *x, const char *text, int right100)
{
	char v[32];

	xs(x, "w:p");
	xs(x, "w:pPr");
	x1(x, "w:pStyle", "w:val", "Signature");
	xs(x, "w:ind");
	snprintf(v, sizeof(v), "%d", right100);
	xa(x, "w:rightChars", v);
	snprintf(v, sizeof(v), "%d", right100 * 320 / 100);
	xa(x, "w:right", v);
	xa(x, "w:firstLineChars", "0");
	xa(x, "w:firstLine", "0");
	xe(x);
	xe(x);
	if (text != NULL && *text != '\0')
		runs(x, text);
	xe(x);
}

/*
 * 落款 without a seal, GB/T 9704 §7.3.5.2: the signature 右空二字; the
 * date on the next line starts two characters right of the signature's
 * first character; a date longer than that is set 右空二字 and the
 * signature moves left to keep the two-character offset.
 */
static void
signature(struct xw *x, const char *sig, const char *date)
{
	double S = text_chars(sig ? sig : ""), D = date ? text_chars(date) : 0;
	double rs = 2, rd = S - D;

	if (date != NULL && rd < 2) {
		rd = 2;
		rs = D + 4 - S;  /* the date starts two characters right of the signature */
	}
	sign_line(x, sig, (int)(rs * 100 + 0.5));
	if (date != NULL)
		sign_line(x, date, (int)(rd * 100 + 0.5));
}

/*
 * 落款 with a seal, GB/T 9704 §7.3.5.1: the date 右空四字, the signature
 * centred over it (on the date's centre).  Two empty lines above: the
 * seal (42 mm, about four lines) presses on signature and date with them
 * a little below its centre, so its top stays within one line of the text.
 */
static void
signature_sealed(struct xw *x, const char *sig, const char *date)
{
	double S = text_chars(sig ? sig : ""), D = date ? text_chars(date) : 0;
	double rd = 4, rs = rd + (D - S) / 2;

	if (rs < 0)
		rs = 0;
	para(x, NULL, NULL, 0);
	sign_line(x, sig, (int)(rs * 100 + 0.5));
	if (date != NULL)
		sign_line(x, date, (int)(rd * 100 + 0.5));
}

static void
part_document(struct xw *x, const struct skeleton *sk)
{
	size_t i;
	char num[32];

	xs(x, "w:document");
	xa(x, "xmlns:w", NS_W);
	xa(x, "xmlns:r", NS_R);
	xs(x, "w:body");
	for (i = 0; i < sk->n; i++) {
		const struct skel_block *b = &sk->b[i];

		switch (b->kind) {
		case SK_DOCNUM:
			para(x, "DocNumber", b->text, 0);
			para(x, "DocNumber", NULL, 0);
			break;
		case SK_TITLE_LINE:
			para(x, "Title", b->text, 0);
			break;
		case SK_TITLE:
			para(x, "Title", b->text, 0);
			para(x, "Addressee", NULL, 0);   /* 标题下空一行 */
			break;
		case SK_ADDRESSEE:
			para(x, "Addressee", b->text, 0);
			break;
		case SK_PARA:
			para(x, NULL, b->text, b->placeholder);
			break;
		case SK_H1:
			para(x, "Heading1", b->text, 0);
			break;
		case SK_H2:
			para(x, "Heading2", b->text, 0);
			break;
		case SK_SIGNATORY:
			para(x, NULL, NULL, 0);           /* 正文下空一行 */
			{
				const char *date = i + 1 < sk->n && sk->b[i + 1].kind == SK_DATE ?
					sk->b[++i].text : NULL;

				if (sk->sealed)
					signature_sealed(x, b->text, date);
				else
					signature(x, b->text, date);
			}
			break;
		case SK_DATE:
			sign_line(x, b->text, 200);
			break;
		}
	}
	xs(x, "w:sectPr");
	xs(x, "w:footerReference");
	xa(x, "w:type", "default");
	xa(x, "r:id", "rId3");
	xe(x);
	xs(x, "w:footerReference");
	xa(x, "w:type", "even");
	xa(x, "r:id", "rId4");
	xe(x);
	xs(x, "w:pgSz");
	snprintf(num, sizeof(num), "%d", PAGE_W);
	xa(x, "w:w", num);
	snprintf(num, sizeof(num), "%d", PAGE_H);
	xa(x, "w:h", num);
	xe(x);
	xs(x, "w:pgMar");
	snprintf(num, sizeof(num), "%d", MARGIN_TOP);
	xa(x, "w:top", num);
	snprintf(num, sizeof(num), "%d", MARGIN_RIGHT);
	xa(x, "w:right", num);
	snprintf(num, sizeof(num), "%d", MARGIN_BOTTOM);
	xa(x, "w:bottom", num);
	snprintf(num, sizeof(num), "%d", MARGIN_LEFT);
	xa(x, "w:left", num);
	xa(x, "w:header", "851");
	snprintf(num, sizeof(num), "%d", FOOTER_DIST);
	xa(x, "w:footer", num);
	xa(x, "w:gutter", "0");
	xe(x);
	x1(x, "w:cols", "w:space", "425");
	xs(x, "w:docGrid");
	xa(x, "w:type", "lines");
	snprintf(num, sizeof(num), "%d", LINE_PITCH);
	xa(x, "w:linePitch", num);
	xe(x);
	xe(x); /* sectPr */
	xe(x); /* body */
	xe(x); /* document */
}

/* First-line indent of two characters (or none), and right/left indents in characters. */
static void
indent(struct xw *x, int first_chars, int left_chars, int right_chars)
{
	char v[32];

	xs(x, "w:ind");
	if (left_chars) {
		snprintf(v, sizeof(v), "%d", left_chars * 100);
		xa(x, "w:leftChars", v);
		snprintf(v, sizeof(v), "%d", left_chars * 320);
		xa(x, "w:left", v);
	}
	if (right_chars) {
		snprintf(v, sizeof(v), "%d", right_chars * 100);
		xa(x, "w:rightChars", v);
		snprintf(v, sizeof(v), "%d", right_chars * 320);
		xa(x, "w:right", v);
	}
	snprintf(v, sizeof(v), "%d", first_chars * 100);
	xa(x, "w:firstLineChars", v);
	snprintf(v, sizeof(v), "%d", first_chars * 320);
	xa(x, "w:firstLine", v);
	xe(x);
}

static void
exact_spacing(struct xw *x)
{
	xs(x, "w:spacing");
	xa(x, "w:line", LINE_EXACT);
	xa(x, "w:lineRule", "exact");
	xe(x);
}

/*
 * One paragraph style: name, basedOn (NULL for none), outline level (-1
 * none), first-line indent in characters, alignment, right indent in
 * characters, east-Asian font and size in half-points (NULL to inherit).
 */
static void
pstyle(struct xw *x, const char *id, const char *name, const char *based, int outline, int first,
	const char *jc, int right, const char *font, const char *sz)
{
	char v[16];

	xs(x, "w:style");
	xa(x, "w:type", "paragraph");
	if (strcmp(id, "Normal") == 0)
		xa(x, "w:default", "1");
	xa(x, "w:styleId", id);
	x1(x, "w:name", "w:val", name);
	if (based)
		x1(x, "w:basedOn", "w:val", based);
	x1(x, "w:next", "w:val", "Normal");
	x1(x, "w:qFormat", NULL, NULL);
	xs(x, "w:pPr");
	if (outline >= 0)
		x1(x, "w:keepNext", NULL, NULL);
	if (based == NULL)
		x1(x, "w:widowControl", "w:val", "0");
	/*
	 * 落款: no extra space between the date's digits and its 年月日, so the
	 * date is as wide as its characters and the signature can be placed
	 * by it (Word, WPS and LibreOffice add about a quarter character at
	 * each change from CJK to digits otherwise)
	 */
	if (strcmp(id, "Signature") == 0) {
		x1(x, "w:autoSpaceDE", "w:val", "0");
		x1(x, "w:autoSpaceDN", "w:val", "0");
	}
	/* the 22 pt title keeps its own width (no grid cells) */
	if (strcmp(id, "Title") == 0)
		x1(x, "w:snapToGrid", "w:val", "0");
	exact_spacing(x);
	indent(x, first, 0, right);
	x1(x, "w:jc", "w:val", jc);
	if (outline >= 0) {
		snprintf(v, sizeof(v), "%d", outline);
		x1(x, "w:outlineLvl", "w:val", v);
	}
	xe(x);
	if (font || sz) {
		xs(x, "w:rPr");
		if (font)
			fonts(x, font);
		/* level 3 仿宋 bold (GB/T 9704 §7.3.3) */
		x1(x, "w:b", "w:val", strcmp(id, "Heading3") == 0 ? "1" : "0");
		x1(x, "w:bCs", "w:val", strcmp(id, "Heading3") == 0 ? "1" : "0");
		if (sz)
			size(x, sz);
		xe(x);
	}
	xe(x);
}

static void
part_styles(struct xw *x)
{
	xs(x, "w:styles");
	xa(x, "xmlns:w", NS_W);
	xs(x, "w:docDefaults");
	xs(x, "w:rPrDefault");
	xs(x, "w:rPr");
	fonts(x, FONT_BODY);
	x1(x, "w:spacing", "w:val", CHAR_TIGHTEN);
	x1(x, "w:kern", "w:val", "2");
	size(x, "32");
	xs(x, "w:lang");
	xa(x, "w:val", "en-US");
	xa(x, "w:eastAsia", "zh-CN");
	xa(x, "w:bidi", "ar-SA");
	xe(x);
	xe(x);
	xe(x);
	xs(x, "w:pPrDefault");
	xs(x, "w:pPr");
	exact_spacing(x);
	xe(x);
	xe(x);
	xe(x); /* docDefaults */
	pstyle(x, "Normal", "Normal", NULL, -1, 2, "both", 0, FONT_BODY, "32");
	pstyle(x, "Title", "Title", "Normal", -1, 0, "center", 0, FONT_TITLE, "44");
	pstyle(x, "Heading1", "heading 1", "Normal", 0, 2, "both", 0, FONT_H1, "32");
	pstyle(x, "Heading2", "heading 2", "Normal", 1, 2, "both", 0, FONT_H2, "32");
	pstyle(x, "Heading3", "heading 3", "Normal", 2, 2, "both", 0, FONT_BODY, "32");
	pstyle(x, "Heading4", "heading 4", "Normal", 3, 2, "both", 0, FONT_BODY, "32");
	pstyle(x, "Addressee", "主送机关", "Normal", -1, 0, "left", 0, NULL, NULL);
	pstyle(x, "DocNumber", "发文字号", "Normal", -1, 0, "center", 0, NULL, NULL);
	pstyle(x, "Signature", "落款", "Normal", -1, 0, "right", 2, NULL, NULL);
	pstyle(x, "Footer", "footer", "Normal", -1, 0, "right", 0, FONT_PAGE, "28");
	xe(x);
}

static void
part_settings(struct xw *x)
{
	xs(x, "w:settings");
	xa(x, "xmlns:w", NS_W);
	x1(x, "w:defaultTabStop", "w:val", "420");
	x1(x, "w:evenAndOddHeaders", NULL, NULL);
	x1(x, "w:characterSpacingControl", "w:val", "compressPunctuation");
	xs(x, "w:compat");
	xs(x, "w:compatSetting");
	xa(x, "w:name", "compatibilityMode");
	xa(x, "w:uri", "http://schemas.microsoft.com/office/word");
	xa(x, "w:val", "15");
	xe(x);
	xe(x);
	xe(x);
}

static void
fld(struct xw *x, const char *type)
{
	xs(x, "w:r");
	x1(x, "w:fldChar", "w:fldCharType", type);
	xe(x);
}

/* "— PAGE —" in 宋体 14 pt, one character in from the right (odd) or left (even) edge. */
static void
part_footer(struct xw *x, int even)
{
	xs(x, "w:ftr");
	xa(x, "xmlns:w", NS_W);
	xa(x, "xmlns:r", NS_R);
	xs(x, "w:p");
	xs(x, "w:pPr");
	x1(x, "w:pStyle", "w:val", "Footer");
	xs(x, "w:ind");
	xa(x, even ? "w:leftChars" : "w:rightChars", "100");
	xa(x, even ? "w:left" : "w:right", "280");
	xa(x, "w:firstLine", "0");
	xe(x);
	x1(x, "w:jc", "w:val", even ? "left" : "right");
	xe(x);
	run(x, "— ", 0);
	fld(x, "begin");
	xs(x, "w:r");
	xs(x, "w:instrText");
	xa(x, "xml:space", "preserve");
	xt(x, " PAGE ");
	xe(x);
	xe(x);
	fld(x, "separate");
	run(x, even ? "2" : "1", 0);
	fld(x, "end");
	run(x, " —", 0);
	xe(x);
	xe(x);
}

static void
rel(struct xw *x, const char *id, const char *type, const char *target)
{
	xs(x, "Relationship");
	xa(x, "Id", id);
	xa(x, "Type", type);
	xa(x, "Target", target);
	xe(x);
}

static void
part_rels(struct xw *x)
{
	xs(x, "Relationships");
	xa(x, "xmlns", NS_PKG_REL);
	rel(x, "rId1", REL_TYPE "officeDocument", "word/document.xml");
	rel(x, "rId2", NS_PKG_REL "/metadata/core-properties", "docProps/core.xml");
	xe(x);
}

static void
part_doc_rels(struct xw *x)
{
	xs(x, "Relationships");
	xa(x, "xmlns", NS_PKG_REL);
	rel(x, "rId1", REL_TYPE "styles", "styles.xml");
	rel(x, "rId2", REL_TYPE "settings", "settings.xml");
	rel(x, "rId3", REL_TYPE "footer", "footer1.xml");
	rel(x, "rId4", REL_TYPE "footer", "footer2.xml");
	xe(x);
}

static void
override(struct xw *x, const char *part, const char *type)
{
	xs(x, "Override");
	xa(x, "PartName", part);
	xa(x, "ContentType", type);
	xe(x);
}

#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

static void
part_content_types(struct xw *x)
{
	xs(x, "Types");
	xa(x, "xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
	xs(x, "Default");
	xa(x, "Extension", "rels");
	xa(x, "ContentType", "application/vnd.openxmlformats-package.relationships+xml");
	xe(x);
	xs(x, "Default");
	xa(x, "Extension", "xml");
	xa(x, "ContentType", "application/xml");
	xe(x);
	override(x, "/word/document.xml", CT_WML "document.main+xml");
	override(x, "/word/styles.xml", CT_WML "styles+xml");
	override(x, "/word/settings.xml", CT_WML "settings+xml");
	override(x, "/word/footer1.xml", CT_WML "footer+xml");
	override(x, "/word/footer2.xml", CT_WML "footer+xml");
	override(x, "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
	xe(x);
}

static void
part_core(struct xw *x, const struct skeleton *sk, time_t when)
{
	char stamp[32];
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	xs(x, "cp:coreProperties");
	xa(x, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
	xa(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	xa(x, "xmlns:dcterms", "http://purl.org/dc/terms/");
	xa(x, "xmlns:dcmitype", "http://purl.org/dc/dcmitype/");
	xa(x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	xs(x, "dc:title");
	xt(x, sk->title ? sk->title : "");
	xe(x);
	xs(x, "dc:creator");
	xt(x, sk->unit ? sk->unit : "");
	xe(x);
	xs(x, "dcterms:created");
	xa(x, "xsi:type", "dcterms:W3CDTF");
	xt(x, stamp);
	xe(x);
	xs(x, "dcterms:modified");
	xa(x, "xsi:type", "dcterms:W3CDTF");
	xt(x, stamp);
	xe(x);
	xe(x);
}

enum { P_CT, P_RELS, P_DOC, P_STYLES, P_SETTINGS, P_FTR1, P_FTR2, P_DOCRELS, P_CORE, NPART };
static const char *const part_names[NPART] = {
	"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
	"word/settings.xml", "word/footer1.xml", "word/footer2.xml",
	"word/_rels/document.xml.rels", "docProps/core.xml",
};

/* Pack the parts into a zip held in memory; *data is the caller's (free). */
static int
pack(struct xw *parts, time_t when, char **data, size_t *len, struct error *err)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *za;
	zip_int64_t idx;
	size_t i;

	*data = NULL;
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL)
		goto zfail;
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_source_free(src);
		goto zfail;
	}
	for (i = 0; i < NPART; i++) {
		const xmlChar *c = xmlBufferContent(parts[i].b);
		size_t n = (size_t)xmlBufferLength(parts[i].b);

		if ((s = zip_source_buffer(za, c, n, 0)) == NULL ||
		    (idx = zip_file_add(za, part_names[i], s, ZIP_FL_ENC_UTF_8)) < 0) {
			if (s)
				zip_source_free(s);
			error_set(err, "打包 %s 失败：%s", part_names[i], zip_strerror(za));
			zip_discard(za);
			zip_source_free(src);
			return -1;
		}
		zip_file_set_mtime(za, (zip_uint64_t)idx, when, 0);
	}
	if (zip_close(za) == -1) {
		error_set(err, "打包失败：%s", zip_strerror(za));
		zip_discard(za);
		zip_source_free(src);
		return -1;
	}
	return docx_zip_bytes(src, data, len, err);
zfail:
	error_set(err, "无法创建 zip：%s", zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return -1;
}

int
docx_zip_bytes(zip_source_t *src, char **data, size_t *len, struct error *err)
{
	zip_stat_t st;

	if (zip_source_stat(src, &st) == -1 || zip_source_open(src) == -1) {
		zip_source_free(src);
		return error_set(err, "读取打包结果失败");
	}
	*data = xmalloc(st.size + 1);
	if (zip_source_read(src, *data, st.size) != (zip_int64_t)st.size) {
		zip_source_close(src);
		zip_source_free(src);
		free(*data);
		*data = NULL;
		return error_set(err, "读取打包结果失败");
	}
	*len = st.size;
	zip_source_close(src);
	zip_source_free(src);
	return 0;
}

int
docx_write_mem(const struct skeleton *sk, char **data, size_t *len, struct error *err)
{
	struct xw parts[NPART];
	time_t when = source_date();
	size_t i;
	int rc = -1;

	error_clear(err);
	*data = NULL;
	*len = 0;
	for (i = 0; i < NPART; i++)
		xw_open(&parts[i]);
	part_content_types(&parts[P_CT]);
	part_rels(&parts[P_RELS]);
	part_document(&parts[P_DOC], sk);
	part_styles(&parts[P_STYLES]);
	part_settings(&parts[P_SETTINGS]);
	part_footer(&parts[P_FTR1], 0);
	part_footer(&parts[P_FTR2], 1);
	part_doc_rels(&parts[P_DOCRELS]);
	part_core(&parts[P_CORE], sk, when);
	for (i = 0; i < NPART; i++)
		if (xw_close(&parts[i]) == -1) {
			error_set(err, "生成 %s 失败", part_names[i]);
			goto out;
		}
	rc = pack(parts, when, data, len, err);
out:
	for (i = 0; i < NPART; i++)
		xw_free(&parts[i]);
	return rc;
}

int
docx_write(const char *path, const struct skeleton *sk, struct error *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc = -1;

	if (docx_write_mem(sk, &data, &len, err) == 0)
		rc = write_file_atomic(path, data, len, err);
	free(data);
	return rc;
}
