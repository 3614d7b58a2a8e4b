/*
 * normtest: print the matching copy of a text (norm_text).
 *
 *   normtest [-m] [-s] [STRING...]   normalise each STRING (else stdin)
 *   normtest -b N < FILE             time N passes over FILE, print MB/s
 *
 * -m prints, for each code point of the copy, "copy-offset original-offset
 * char" (the byte map); -s uses norm_strdup instead of norm_text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "norm.h"
#include "utf8.h"
#include "util.h"

static char *
read_all(FILE *fp, size_t *n)
{
	struct buf b;
	char chunk[65536];
	size_t k;

	buf_init(&b);
	while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, k);
	*n = b.len;
	return buf_detach(&b);
}

static void
show(const char *s, size_t n, int withmap, int strdup_mode)
{
	struct normtext nt;
	size_t j, k;

	if (strdup_mode) {
		char *t = xstrndup(s, n);
		char *r = norm_strdup(t);

		printf("%s\n", r);
		free(r);
		free(t);
		return;
	}
	norm_init(&nt);
	norm_text(&nt, s, n);
	if (strlen(nt.s) != nt.len)
		printf("error: len %zu but strlen %zu\n", nt.len, strlen(nt.s));
	if (!withmap) {
		fwrite(nt.s, 1, nt.len, stdout);
		putchar('\n');
	} else {
		for (j = 0; j < nt.len; j += k) {
			utf8_decode(nt.s + j, nt.len - j, &k);
			if (nt.s[j] == '\n')
				printf("%zu %zu \\n\n", j, nt.map[j]);
			else
				printf("%zu %zu %.*s\n", j, nt.map[j], (int)k, nt.s + j);
		}
		printf("%zu %zu END\n", nt.len, nt.map[nt.len]);
	}
	norm_release(&nt);
}

int
main(int argc, char **argv)
{
	int withmap = 0, strdup_mode = 0, c, i;
	long bench = 0;
	char *data;
	size_t n;

	while ((c = getopt(argc, argv, "msb:")) != -1) {
		switch (c) {
		case 'm':
			withmap = 1;
			break;
		case 's':
			strdup_mode = 1;
			break;
		case 'b':
			bench = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: normtest [-m] [-s] [-b N] [STRING...]\n");
			return 5;
		}
	}
	if (bench > 0) {
		struct normtext nt;
		struct timespec t0, t1;
		double sec;
		size_t out = 0;

		data = read_all(stdin, &n);
		norm_init(&nt);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (i = 0; i < bench; i++) {
			norm_text(&nt, data, n);
			out += nt.len;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		printf("norm_text: %zu bytes x %ld in %.3f s = %.1f MB/s (out %zu)\n", n, bench, sec,
		    (double)n * (double)bench / sec / 1e6, out / (size_t)bench);
		norm_release(&nt);
		free(data);
		return 0;
	}
	if (optind < argc) {
		for (i = optind; i < argc; i++)
			show(argv[i], strlen(argv[i]), withmap, strdup_mode);
		return 0;
	}
	data = read_all(stdin, &n);
	show(data, n, withmap, strdup_mode);
	free(data);
	return 0;
}
