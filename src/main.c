/* main.c: fzreport's entry point: picks the sub-command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__has_include)
#if __has_include(<mimalloc.h>)
#include <mimalloc.h>
#pragma weak mi_option_enable
#pragma weak mi_option_set
#define HAVE_MIMALLOC_H 1
#endif
#endif

#ifdef HAVE_MIMALLOC_H
/* Is NAME (with its '=') set in envp?  libc's functions are not called: see below. */
static int
in_env(char **envp, const char *name)
{
	size_t k;

	for (; envp != NULL && *envp != NULL; envp++) {
		for (k = 0; name[k] != '\0' && (*envp)[k] == name[k]; k++)
			;
		if (name[k] == '\0')
			return 1;
	}
	return 0;
}

/*
 * When the build links mimalloc (the Makefile's MALLOC_LIBS; the
 * references above are weak, so a build with libc's malloc has none), two
 * of its options are changed (docs/BENCH.md, eleventh round):
 *   - its memory comes in 2 MB pages where the kernel offers them
 *     (transparent huge pages in madvise mode): one page fault and one
 *     TLB entry for 2 MB of a batch's results instead of for 4 KB;
 *   - a thread's first segment is committed, and in such pages, at once
 *     like the rest (eager_commit_delay 0): the workers of check, rollup
 *     and audit otherwise fault their heaps in 4 KB at a time.
 * mimalloc fixes the kind of pages of its first region at the first
 * malloc(), which comes before main() (libraries' constructors), so the
 * options are set here, from the executable's preinit array, which runs
 * before any shared object's initialisation.  Only the environment
 * pointer given here is read (libc is not yet set up); an option set in
 * it (MIMALLOC_LARGE_OS_PAGES, MIMALLOC_EAGER_COMMIT_DELAY) is left to
 * mimalloc.
 */
static void
mimalloc_options(int argc, char **argv, char **envp)
{
	if (mi_option_enable == NULL || mi_option_set == NULL)
		return;
	if (!in_env(envp, "MIMALLOC_LARGE_OS_PAGES="))
		mi_option_enable(mi_option_large_os_pages);
	if (!in_env(envp, "MIMALLOC_EAGER_COMMIT_DELAY="))
		mi_option_set(mi_option_eager_commit_delay, 0);
}
__attribute__((section(".preinit_array"), used)) static void (*const preinit)(int, char **,
    char **) = mimalloc_options;
#endif

#include "cmd.h"
#include "diag.h"
#include "result.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{"check", cmd_check, "检查报告，逐条列出问题"},
	{"rollup", cmd_rollup, "汇总多份报告，生成 Excel 工作簿"},
	{"audit", cmd_audit, "为每份报告生成 PDF 审核意见单"},
	{"new", cmd_new, "按模板生成报告框架（.docx/.txt/.md）"},
	{"templates", cmd_templates, "列出或检查报告模板"},
	{"rules", cmd_rules, "列出或检查规则文件"},
	{"explain", cmd_explain, "说明一条规则"},
	{"serve", cmd_serve, "在网页上检查报告（供乡镇上传 .docx）"},
	{"annotate", cmd_annotate, "在报告 .docx 中加批注和修订"},
};

static void
usage(FILE *fp)
{
	size_t i;

	fputs("用法: fzreport <命令> [选项] [文件...]\n\n命令:\n", fp);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].help);
	fputs("\n各命令的选项见 fzreport <命令> --help 与 man fzreport。\n", fp);
}

int
main(int argc, char **argv)
{
	size_t i;

	/*
	 * The time zone is named and read here, once, before any worker
	 * starts.  libzip converts each entry's DOS time with mktime(), and
	 * with TZ unset glibc reads its zone again on every call (it compares
	 * TZ with the last value, and an unset one never compares equal):
	 * a stat() and a free() per zip entry, the free() racing between
	 * workers as far as ThreadSanitizer can see.  TZ=:/etc/localtime is
	 * the zone glibc uses when TZ is unset (a TZ already set is kept).
	 */
	setenv("TZ", ":/etc/localtime", 0);
	tzset();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("fzreport %s\n", FZ_VERSION);
		return EXIT_CLEAN;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			int rc = commands[i].fn(argc - 1, argv + 1);

			result_shared_free();  /* every result is released */
			return rc;
		}
	diag_fatal("未知命令 '%s'；可用命令见 fzreport --help", argv[1]);
	return EXIT_USAGE;
}
