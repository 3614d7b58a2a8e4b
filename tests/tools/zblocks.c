/*
 * zblocks: zlevel_parallel()'s streams packed in blocks, against zlib.
 *
 *   zblocks [SEED]
 *
 * For inputs of many sizes (empty, a byte, around the 32 KB window and
 * the 512 KB block, several blocks; markup, text and random bytes), packs
 * each as minizip does (a raw stream at level 2, deflate() with
 * Z_NO_FLUSH, then Z_FINISH until Z_STREAM_END) but in random input and
 * output pieces, on this thread (0) and on 1 and 3 threads; checks that
 * each inflates back to the input and that every way gives the same
 * bytes.  Prints "N streams, same" or what differs; exit 1 on a failure.
 * The executable's deflate() is zlevel.c's, as in fzreport.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"
#include "zlevel.h"

#define KB 1024

static unsigned long rnd_state = 1;

static unsigned long
rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return rnd_state >> 33;
}

/* Pack in[0..n) on threads (-1: zlib's own single stream), in random pieces; the output in *out. */
static int
pack(const unsigned char *in, size_t n, int threads, struct buf *out)
{
	z_stream z;
	size_t at = 0;
	int rc;
	unsigned char piece[100 * KB];

	memset(&z, 0, sizeof(z));
	zlevel_parallel(threads);
	if (deflateInit2(&z, 2, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		zlevel_parallel(-1);
		return -1;
	}
	out->len = 0;
	for (;;) {
		size_t give = 1 + rnd() % (200 * KB), room = 1 + rnd() % sizeof(piece);
		int flush;

		if (give > n - at)
			give = n - at;
		z.next_in = (Bytef *)(in + at);
		z.avail_in = (uInt)give;
		flush = at + give == n ? Z_FINISH : Z_NO_FLUSH;
		do {
			z.next_out = piece;
			z.avail_out = (uInt)room;
			rc = deflate(&z, flush);
			buf_add(out, (const char *)piece, room - z.avail_out);
		} while ((flush == Z_FINISH && rc == Z_OK) || (rc == Z_OK && z.avail_in > 0));
		at += give - z.avail_in;
		if (rc != Z_OK || flush == Z_FINISH)
			break;
	}
	deflateEnd(&z);
	zlevel_parallel(-1);
	return rc == Z_STREAM_END && z.total_in == n && z.total_out == out->len ? 0 : -1;
}

/* Whether packed inflates to in[0..n). */
static int
unpacks(const struct buf *packed, const unsigned char *in, size_t n)
{
	z_stream z;
	unsigned char *back = xmalloc(n + 1);
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
		free(back);
		return 0;
	}
	z.next_in = (Bytef *)packed->s;
	z.avail_in = (uInt)packed->len;
	z.next_out = back;
	z.avail_out = (uInt)n + 1;
	rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	rc = rc == Z_STREAM_END && z.total_out == n && z.avail_in == 0 && memcmp(back, in, n) == 0;
	free(back);
	return rc;
}

int
main(int argc, char **argv)
{
	static const size_t sizes[] = {0, 1, 100, 32 * KB - 1, 32 * KB, 32 * KB + 1, 512 * KB - 1,
		512 * KB, 512 * KB + 1, 544 * KB, 1024 * KB, 3 * 512 * KB + 17, 5 * 1024 * KB + 3};
	static const int ways[] = {-1, 0, 1, 3};
	const char *words[] = {"<row r=\"", "\"><c r=\"A", "\" s=\"3\" t=\"inlineStr\"><is><t>",
		"法治政府建设", "</t></is></c>", "</row>\n", "依法行政", "年度报告"};
	size_t nstreams = 0, i, k, w;
	int fail = 0;

	rnd_state = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
	for (k = 0; k < 3; k++) {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t n = sizes[i], at = 0;
			unsigned char *in = xmalloc(n + 1);
			struct buf first, got;

			/* markup, text, random bytes */
			while (at < n) {
				if (k == 2) {
					in[at++] = (unsigned char)rnd();
					continue;
				}
				const char *s = k == 0 ? words[rnd() % 8] : words[3 + rnd() % 5];
				size_t l = strlen(s);

				if (l > n - at)
					l = n - at;
				memcpy(in + at, s, l);
				at += l;
			}
			buf_init(&first);
			buf_init(&got);
			for (w = 0; w < sizeof(ways) / sizeof(ways[0]); w++) {
				int again;

				for (again = 0; again < 2; again++) {
					struct buf *b = w == 1 && again == 0 ? &first : &got;

					nstreams++;
					if (pack(in, n, ways[w], b) < 0 || !unpacks(b, in, n)) {
						printf("kind %zu, %zu bytes, threads %d: does not inflate back\n", k,
						    n, ways[w]);
						fail = 1;
					} else if (w >= 1 && b != &first &&
						   (b->len != first.len || memcmp(b->s, first.s, b->len) != 0)) {
						printf("kind %zu, %zu bytes, threads %d: %zu bytes, not the %zu of "
						       "threads 0\n", k, n, ways[w], b->len, first.len);
						fail = 1;
					}
				}
			}
			buf_release(&first);
			buf_release(&got);
			free(in);
		}
	}
	if (!fail)
		printf("%zu streams, same\n", nstreams);
	return fail;
}
