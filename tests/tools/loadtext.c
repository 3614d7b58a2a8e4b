/*
 * loadtext: load reports as fzreport does and print what the loader made.
 *
 *   loadtext FILE...        for each FILE: "encoding: E", "paragraphs: N",
 *                           then "LINE: text" for each paragraph, or
 *                           "error: MESSAGE (line L, column C, offset O)"
 *   loadtext -b N FILE      time N load_text_mem() calls, print MB/s
 *
 * Exit status 0, or 3 when a file could not be loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "doc.h"
#include "util.h"

static int
bench(const char *path, long times)
{
	struct timespec t0, t1;
	struct error err;
	struct doc d;
	char *data;
	size_t n, paras = 0;
	double sec;
	long i;

	if (read_file(path, (size_t)1 << 30, &data, &n, &err) == -1) {
		printf("error: %s\n", err.msg);
		return 3;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < times; i++) {
		doc_init(&d);
		if (load_text_mem(path, data, n, &d, &err) == -1) {
			printf("error: %s\n", err.msg);
			doc_release(&d);
			free(data);
			return 3;
		}
		paras += d.npara;
		doc_release(&d);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("load_text_mem: %zu bytes x %ld in %.3f s = %.1f MB/s (%zu paragraphs)\n", n, times,
	    sec, (double)n * (double)times / sec / 1e6, paras / (size_t)times);
	free(data);
	return 0;
}

int
main(int argc, char **argv)
{
	struct error err;
	struct doc d;
	long times = 0;
	int c, i, rc = 0;
	size_t p;

	while ((c = getopt(argc, argv, "b:")) != -1) {
		if (c == 'b') {
			times = atol(optarg);
		} else {
			fprintf(stderr, "usage: loadtext [-b N] FILE...\n");
			return 5;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: loadtext [-b N] FILE...\n");
		return 5;
	}
	if (times > 0)
		return bench(argv[optind], times);
	for (i = optind; i < argc; i++) {
		doc_init(&d);
		if (doc_load(argv[i], &d, &err) == -1) {
			printf("error: %s (line %ld, column %ld, offset %ld)\n", err.msg, err.line,
			    err.column, err.offset);
			rc = 3;
		} else {
			printf("encoding: %s\nparagraphs: %zu\n", d.encoding, d.npara);
			if (d.text == NULL || strlen(d.text) != d.len)
				printf("error: text is NULL or its length is wrong\n");
			for (p = 0; p < d.npara; p++)
				printf("%d: %.*s\n", d.paras[p].line, (int)d.paras[p].len,
				    doc_para_text(&d, p));
		}
		doc_release(&d);
	}
	return rc;
}
