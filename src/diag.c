/* diag.c: built-in diagnostics and the one line format. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

static const struct {
	const char *rule;
	enum severity sev;
	const char *msg;
} diag_table[DIAG__MAX] = {
	/* info */
	[DIAG_DOCX_COMMENTS] = {"DOCX-COMMENT", SEV_INFO, "文档中仍有批注，报送前请删除"},
	/* warning */
	[DIAG_DOCX_REVISIONS] = {"DOCX-REVISION", SEV_WARNING, "文档中仍有未接受的修订，报送前请接受或拒绝全部修订"},
	[DIAG_DOCX_HIDDEN] = {"DOCX-HIDDEN", SEV_WARNING, "文档中有隐藏文字，屏幕和打印都看不到，检查时已略去；报送前请删除或取消隐藏"},
	/* fatal */
	[DIAG_READ_FAILED] = {"READ", SEV_FATAL, "无法读取文件"},
	[DIAG_EMPTY] = {"EMPTY", SEV_FATAL, "文件为空"},
	[DIAG_ENCODING] = {"ENCODING", SEV_FATAL, "无法识别文本编码"},
	[DIAG_FORMAT] = {"FORMAT", SEV_FATAL, "无法识别的文件格式"},
};

const char *diag_progname = "fzreport";

const char *
diag_rule(enum diag_code c)
{
	return diag_table[c].rule;
}

const char *
diag_message(enum diag_code c)
{
	return diag_table[c].msg;
}

enum severity
diag_severity(enum diag_code c)
{
	return diag_table[c].sev;
}

void
diag_puts(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p == '\t')
			fputc(' ', fp);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\x%02X", *p);
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fprintf(fp, "\\xC2\\x%02X", *++p);
		else
			fputc(*p, fp);
	}
}

void
diag_emit(FILE *fp, const char *file, int line, int column, enum severity sev, const char *rule,
	const char *message, const char *detail)
{
	/* Chinese for people; JSON keeps the English names for programs */
	static const char *const up[] = {"", "提示", "警告", "错误", "无法读取"};

	/* file:line:col: as compilers print it; the program's name only when there is no file */
	if (file == NULL)
		fprintf(fp, "%s: ", diag_progname);
	if (file != NULL) {
		diag_puts(fp, file);
		if (line > 0) {
			fprintf(fp, ":%d", line);
			if (column > 0)
				fprintf(fp, ":%d", column);
		}
		fputs(": ", fp);
	}
	fprintf(fp, "%s: ", up[sev]);
	if (rule != NULL)
		fprintf(fp, "%s: ", rule);
	diag_puts(fp, message);
	if (detail != NULL && *detail != '\0') {
		fputs(": ", fp);
		diag_puts(fp, detail);
	}
	fputc('\n', fp);
}

static void
vmessage(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", diag_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
diag_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void
diag_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}
