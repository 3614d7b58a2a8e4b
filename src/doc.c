/* doc.c: the document model and the choice of loader. */
#include "doc.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/*
 * Per-report limits.  The largest real reports are a few hundred kilobytes
 * of text in a few thousand paragraphs; memory is 15-40 times the input, so
 * a report over these is refused (unreadable, with the reason) instead of
 * taking the county's run down with it.  fzreport(1) LIMITS.
 */
#define DOC_MAX_BYTES ((size_t)64 << 20)   /* the file as read */
#define DOC_TEXT_MAX ((size_t)16 << 20)    /* decoded text */
#define DOC_PARA_MAX 200000                /* paragraphs */

void
doc_init(struct doc *d)
{
	memset(d, 0, sizeof(*d));
	d->encoding = "";
}

void
doc_release(struct doc *d)
{
	size_t i;

	free(d->path);
	free(d->text);
	for (i = 0; i < d->npara; i++) {
		size_t k;

		free(d->paras[i].lay.font);
		for (k = 0; k < d->paras[i].lay.nspans; k++)
			free(d->paras[i].lay.spans[k].font);
		free(d->paras[i].lay.spans);
	}
	free(d->sections);
	free(d->paras);
	free(d->core_title);
	free(d->core_creator);
	free(d->core_modified);
	free(d->aside);
	for (i = 0; i < d->nnote; i++)
		free(d->notes[i].detail);
	free(d->notes);
	free(d->breaks);
	doc_init(d);
}

void
doc_add_break(struct doc *d, size_t off)
{
	xgrow(&d->breaks, &d->breakcap, d->nbreak + 1, sizeof(*d->breaks));
	d->breaks[d->nbreak++] = off;
}

int
doc_is_break(const struct doc *d, size_t off)
{
	size_t lo = 0, hi = d->nbreak, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->breaks[mid] == off)
			return 1;
		if (d->breaks[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

size_t
doc_add_para(struct doc *d, const char *s, size_t n, int line)
{
	struct para *p;

	if (d->npara >= DOC_PARA_MAX || d->len + n > DOC_TEXT_MAX) {
		/* over the limits: nothing more is kept, doc_load() refuses it */
		d->over = 1;
		if (d->npara > 0)
			return d->npara - 1;
		n = 0;
	}
	xgrow(&d->paras, &d->paracap, d->npara + 1, sizeof(*p));
	xgrow(&d->text, &d->textcap, d->len + n + 2, 1);
	memcpy(d->text + d->len, s, n);
	p = &d->paras[d->npara];
	memset(p, 0, sizeof(*p));
	p->off = d->len;
	p->len = n;
	p->line = line;
	d->len += n;
	d->text[d->len++] = '\n';
	d->text[d->len] = '\0';
	return d->npara++;
}

void
doc_add_note(struct doc *d, int code, int line, int column, const char *detail)
{
	struct doc_note *n;

	d->notes = xrealloc(d->notes, (d->nnote + 1) * sizeof(*n));
	n = &d->notes[d->nnote++];
	n->code = code;
	n->line = line;
	n->column = column;
	n->detail = xstrdup_null(detail);
}

const char *
doc_para_text(const struct doc *d, size_t i)
{
	return d->text + d->paras[i].off;
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcasecmp(s + a - b, suf) == 0;
}

/*
 * An OLE2 compound file is either a legacy .doc/.wps or an encrypted
 * .docx (which carries an "EncryptionInfo" stream).  Neither can be read.
 */
static int
refuse_ole2(const char *data, size_t n, struct error *err)
{
	static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0";
	size_t i;

	for (i = 0; i + sizeof(enc) - 1 <= n; i++)
		if (data[i] == 'E' && memcmp(data + i, enc, sizeof(enc) - 1) == 0)
			return error_set(err, "文档设有密码保护，无法读取；请取消密码后另存为 .docx");
	return error_set(err, "这是旧版 Word（.doc）或 WPS（.wps）文件；请在 Word 或 WPS 中另存为 .docx");
}

int
doc_load(const char *path, struct doc *d, struct error *err)
{
	jmp_buf env, *prev;
	char *volatile held = NULL; /* the file's bytes, freed when memory runs out */
	char *data;
	size_t n;
	int rc;

	error_clear(err);
	d->path = xstrdup(path);
	/*
	 * Out of memory while reading one report (a failed x* allocation) ends
	 * that report, not the run: it becomes unreadable and the next report
	 * is read.  The loaders free what they hold on the way (load_docx.c).
	 */
	prev = xalloc_recover(&env);
	if (setjmp(env) != 0) {
		xalloc_recover(prev);
		free(held);
		return error_set(err, "内存不足，无法读取这份报告（报告过大或本机内存不够）");
	}
	if (read_file(path, DOC_MAX_BYTES, &data, &n, err) == -1) {
		xalloc_recover(prev);
		return -1;
	}
	held = data;
	if (n >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		d->format = DOCFMT_DOCX;
		rc = refuse_ole2(data, n, err);
	} else if (n >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		d->format = DOCFMT_DOCX;
		rc = load_docx_mem(path, data, n, d, err);
	} else if (has_suffix(path, ".docx")) {
		d->format = DOCFMT_DOCX;
		rc = n == 0 ? error_set(err, "文件为空") : error_set(err, "不是有效的 .docx 文件（不是 zip 压缩包）");
	} else if (has_suffix(path, ".doc") || has_suffix(path, ".wps")) {
		d->format = DOCFMT_DOCX;
		rc = error_set(err, "无法识别的 Word/WPS 文件；请另存为 .docx");
	} else {
		d->format = DOCFMT_TXT;
		rc = load_text_mem(path, data, n, d, err);
	}
	held = NULL;
	free(data);
	xalloc_recover(prev);
	if (rc == 0 && d->over)
		rc = error_set(err, "报告过大：正文超过 %zu MB 或 %d 段（实际报告一般只有几百 KB）",
		    DOC_TEXT_MAX >> 20, DOC_PARA_MAX);
	return rc;
}
