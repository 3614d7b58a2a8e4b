/*
 * load.c: a report from a file -- read it, tell its format by content
 * (zip, OLE2, plain text) and hand it to the loader (load_docx.c,
 * load_text.c), which fills the model of doc.c.  Out of memory and
 * oversize reports end the report, not the run.
 */
#include "doc.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

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
