/*
 * zlevel.c: how the zip packages of a library that gives its caller no
 * say in it are deflated: the level, a tap on the bytes, and blocks
 * packed on several threads.
 *
 * libxlsxwriter packs a workbook with minizip, which asks zlib for its
 * default level (6); version 1.1.4 has no option to change it.  For a
 * province (20,000 reports, 340 MB of worksheet XML) that deflate is the
 * longest single-threaded step of a rollup, and level 2 takes half of
 * its time for a file about a third larger.  So this program defines
 * zlib's deflateInit2_() itself: the dynamic linker binds every
 * library's call to the executable's definition first, which passes the
 * call on to zlib's own (dlsym(RTLD_NEXT)), with the level replaced
 * while the calling thread has asked for one (zlib's own deflateInit_()
 * may come through here too): nothing changes on a thread that has not
 * called zlevel_set().
 *
 * The same way it lets a thread watch what its deflate streams are fed
 * (zlevel_tap()): deflate() and deflateEnd() are defined here too, and
 * pass every call on; on a thread with a tap, the stream it started last
 * hands the bytes each deflate() call consumed to the tap, in order.
 * rollup checks the workbook's parts there as they are packed, instead of
 * inflating the finished package again.
 *
 * And a thread may have its raw deflate streams (a zip's parts) packed in
 * blocks on several threads (zlevel_parallel()), as pigz does: the input
 * is cut into blocks of PAR_BLOCK bytes, each compressed by a zlib
 * stream of its own with the 32 KB before it as its dictionary and ended
 * by a sync flush (the last by the end of the stream), and the blocks'
 * output is joined in order: one valid deflate stream, within a fraction
 * of a percent of what one stream would give, and the same bytes however
 * many threads compress the blocks (none: this one does).
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "zlevel.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

typedef int (*init2_fn)(z_streamp, int, int, int, int, int, const char *, int);
typedef int (*deflate_fn)(z_streamp, int);
typedef int (*end_fn)(z_streamp);

static _Thread_local int level_wanted = -1;
static _Thread_local const struct ztap *tap;
static _Thread_local z_streamp tapped;  /* the stream the tap watches, NULL if none */
static _Thread_local int par_threads = -1;  /* zlevel_parallel() */
static _Thread_local struct pstream *par;   /* this thread's stream packed in blocks, NULL if none */
static init2_fn zlib_init2;
static deflate_fn zlib_deflate;
static end_fn zlib_end;
static pthread_once_t zlib_once = PTHREAD_ONCE_INIT;

static void
zlib_find(void)
{
	zlib_init2 = (init2_fn)dlsym(RTLD_NEXT, "deflateInit2_");
	zlib_deflate = (deflate_fn)dlsym(RTLD_NEXT, "deflate");
	zlib_end = (end_fn)dlsym(RTLD_NEXT, "deflateEnd");
}

/* ---- blocks ----------------------------------------------------------- */

#define PAR_BLOCK (512 * 1024) /* input bytes a block */
#define PAR_DICT 32768         /* deflate's window: the dictionary each block starts with */

struct pblock {
	unsigned char *in;     /* PAR_DICT bytes for the dictionary, then PAR_BLOCK for the block */
	size_t dict, len;      /* dictionary bytes (they end at in + PAR_DICT), block bytes */
	unsigned char *out;
	size_t outlen, outcap;
	int last;              /* ends the stream (Z_FINISH), else a sync flush */
	int done;              /* compressed (under the lock when there are threads) */
	int rc;                /* Z_OK, or zlib's error */
	int data_type;         /* what zlib made of the block (Z_TEXT, Z_BINARY) */
};

struct pstream {
	z_streamp strm;
	int level, window_bits, mem_level, strategy;
	struct pblock *ring;   /* slots: [head, sent) compressing or done, sent the one being filled */
	size_t cap, head, sent, taken;  /* taken: the next slot a worker takes */
	size_t outpos;         /* bytes of ring[head]'s output already handed on */
	int fill_ok;           /* slot sent is being filled (its dictionary in place) */
	int finishing, ended, rc;
	z_stream inline_z;     /* blocks compressed on the calling thread (no workers) */
	int inline_ready;
	pthread_t *th;
	size_t nth;
	int stop;
	pthread_mutex_t lock;
	pthread_cond_t work, done;
};

/* Compress block b with z (initialised, or reset after its last block); sets b->rc. */
static void
block_compress(struct pblock *b, z_stream *z)
{
	int flush = b->last ? Z_FINISH : Z_SYNC_FLUSH, rc;

	b->outlen = 0;
	b->rc = Z_OK;
	if (b->dict > 0 && (rc = deflateSetDictionary(z, b->in + PAR_DICT - b->dict,
				(uInt)b->dict)) != Z_OK) {
		b->rc = rc;
		return;
	}
	z->next_in = b->in + PAR_DICT;
	z->avail_in = (uInt)b->len;
	do {
		if (b->outcap - b->outlen < 65536) {
			b->outcap = b->outcap ? b->outcap * 2 : b->len / 4 + 65536;
			b->out = xrealloc(b->out, b->outcap);
		}
		z->next_out = b->out + b->outlen;
		z->avail_out = (uInt)(b->outcap - b->outlen);
		rc = zlib_deflate(z, flush);
		b->outlen = b->outcap - z->avail_out;
	} while (rc == Z_OK && z->avail_out == 0);
	if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
		b->rc = rc;
	else if (b->last && rc != Z_STREAM_END)
		b->rc = Z_STREAM_ERROR;
	b->data_type = z->data_type;
	if (deflateReset(z) != Z_OK && b->rc == Z_OK)
		b->rc = Z_STREAM_ERROR;
}

static int
block_stream(struct pstream *p, z_stream *z)
{
	memset(z, 0, sizeof(*z));
	return zlib_init2(z, p->level, Z_DEFLATED, p->window_bits, p->mem_level, p->strategy,
	    ZLIB_VERSION, (int)sizeof(*z));
}

static void *
block_worker(void *arg)
{
	struct pstream *p = arg;
	z_stream z;
	int ok = block_stream(p, &z) == Z_OK;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct pblock *b;

		while (!p->stop && p->taken == p->sent)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->taken == p->sent)
			break;
		b = &p->ring[p->taken++ % p->cap];
		pthread_mutex_unlock(&p->lock);
		if (ok)
			block_compress(b, &z);
		else
			b->rc = Z_MEM_ERROR;
		pthread_mutex_lock(&p->lock);
		b->done = 1;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	if (ok)
		zlib_end(&z);
	return NULL;
}

static struct pstream *
par_new(z_streamp strm, int level, int window_bits, int mem_level, int strategy, int threads)
{
	struct pstream *p = xcalloc(1, sizeof(*p));
	size_t i;

	p->strm = strm;
	p->level = level;
	p->window_bits = window_bits;
	p->mem_level = mem_level;
	p->strategy = strategy;
	p->nth = threads > 1 ? (size_t)threads : 0;
	p->cap = p->nth ? 2 * p->nth + 2 : 1;
	p->ring = xcalloc(p->cap, sizeof(*p->ring));
	for (i = 0; i < p->cap; i++)
		p->ring[i].in = xmalloc(PAR_DICT + PAR_BLOCK);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	if (p->nth) {
		p->th = xcalloc(p->nth, sizeof(*p->th));
		for (i = 0; i < p->nth; i++)
			if (pthread_create(&p->th[i], NULL, block_worker, p) != 0)
				break;
		p->nth = i;
	}
	if (p->nth == 0) {
		/* no worker started: the blocks are compressed here, one slot */
		p->inline_ready = block_stream(p, &p->inline_z) == Z_OK;
		p->rc = p->inline_ready ? Z_OK : Z_MEM_ERROR;
	}
	return p;
}

static void
par_free(struct pstream *p)
{
	size_t i;

	if (p->nth) {
		pthread_mutex_lock(&p->lock);
		p->stop = 1;
		pthread_cond_broadcast(&p->work);
		pthread_mutex_unlock(&p->lock);
		for (i = 0; i < p->nth; i++)
			pthread_join(p->th[i], NULL);
	}
	if (p->inline_ready)
		zlib_end(&p->inline_z);
	for (i = 0; i < p->cap; i++) {
		free(p->ring[i].in);
		free(p->ring[i].out);
	}
	free(p->ring);
	free(p->th);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* Hand the slot being filled to the workers (or compress it here). */
static void
par_send(struct pstream *p, int last)
{
	struct pblock *b = &p->ring[p->sent % p->cap];

	b->last = last;
	b->done = 0;
	p->fill_ok = 0;
	if (p->nth == 0) {
		block_compress(b, &p->inline_z);
		b->done = 1;
		p->sent++;
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->sent++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

/* Start filling the next slot (free: sent - head < cap), with the end of the block before it as dictionary. */
static void
par_fill_start(struct pstream *p)
{
	struct pblock *b = &p->ring[p->sent % p->cap];
	size_t len = 0, dict = 0, k, more = 0;
	const struct pblock *prev = NULL;

	if (p->sent > 0) {
		prev = &p->ring[(p->sent - 1) % p->cap];  /* b itself when there is one slot */
		len = prev->len;
		dict = prev->dict;
	}
	k = len >= PAR_DICT ? PAR_DICT : len;
	/* a short block also passes on what was before it */
	if (k < PAR_DICT && dict > 0)
		more = PAR_DICT - k < dict ? PAR_DICT - k : dict;
	if (more > 0)
		memmove(b->in + PAR_DICT - k - more, prev->in + PAR_DICT - more, more);
	if (k > 0)
		memmove(b->in + PAR_DICT - k, prev->in + PAR_DICT + len - k, k);
	b->dict = k + more;
	b->len = 0;
	p->fill_ok = 1;
}

static int
head_done(struct pstream *p)
{
	int d;

	if (p->nth == 0)
		return p->ring[p->head % p->cap].done;
	pthread_mutex_lock(&p->lock);
	d = p->ring[p->head % p->cap].done;
	pthread_mutex_unlock(&p->lock);
	return d;
}

static void
head_wait(struct pstream *p)
{
	pthread_mutex_lock(&p->lock);
	while (!p->ring[p->head % p->cap].done)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

/*
 * deflate() on a stream packed in blocks: takes all the input it can
 * into the slot being filled, sends each full block, and hands on the
 * finished blocks' output in order as far as next_out has room.
 */
static int
par_deflate(struct pstream *p, z_streamp strm, int flush)
{
	if (p->rc != Z_OK)
		return p->rc;
	for (;;) {
		/* the output of finished blocks, in order */
		while (strm->avail_out > 0 && p->head < p->sent && head_done(p)) {
			struct pblock *b = &p->ring[p->head % p->cap];
			size_t k = b->outlen - p->outpos;

			if (b->rc != Z_OK)
				return p->rc = b->rc;
			if (p->head == 0 && p->outpos == 0)
				strm->data_type = b->data_type;
			if (k > strm->avail_out)
				k = strm->avail_out;
			memcpy(strm->next_out, b->out + p->outpos, k);
			strm->next_out += k;
			strm->avail_out -= (uInt)k;
			strm->total_out += k;
			p->outpos += k;
			if (p->outpos == b->outlen) {
				p->outpos = 0;
				p->head++;
				if (b->last)
					p->ended = 1;
			}
		}
		if (p->ended)
			return Z_STREAM_END;
		if (strm->avail_out == 0)
			return Z_OK;
		if (!p->finishing && !p->fill_ok && p->sent - p->head < p->cap)
			par_fill_start(p);
		if (strm->avail_in > 0 && !p->finishing) {
			struct pblock *b = &p->ring[p->sent % p->cap];
			size_t k = PAR_BLOCK - b->len;

			if (!p->fill_ok) {
				head_wait(p);  /* every slot is out: the oldest first */
				continue;
			}
			if (k > strm->avail_in)
				k = strm->avail_in;
			memcpy(b->in + PAR_DICT + b->len, strm->next_in, k);
			b->len += k;
			strm->next_in += k;
			strm->avail_in -= (uInt)k;
			strm->total_in += k;
			if (b->len == PAR_BLOCK)
				par_send(p, 0);
			continue;
		}
		if (flush != Z_FINISH)
			return Z_OK;
		if (!p->finishing) {
			if (!p->fill_ok) {
				head_wait(p);
				continue;
			}
			par_send(p, 1);
			p->finishing = 1;
			continue;
		}
		head_wait(p);
	}
}

void
zlevel_parallel(int threads)
{
	par_threads = threads;
	if (threads < 0 && par != NULL) {
		/* a stream whose deflateEnd() never came (its caller gave up on an error) */
		par_free(par);
		par = NULL;
	}
}

void
zlevel_set(int level)
{
	level_wanted = level >= 0 && level <= 9 ? level : -1;
}

void
zlevel_tap(const struct ztap *t)
{
	if (tapped != NULL && tap != NULL)
		tap->end(tap->arg, 0);
	tap = t;
	tapped = NULL;
}

/*
 * zlib's deflateInit2_() (what the deflateInit2() macro calls), with
 * the level of zlevel_set() when this thread set one.
 */
int
deflateInit2_(z_streamp strm, int level, int method, int windowBits, int memLevel,
    int strategy, const char *version, int stream_size)
{
	int rc;

	pthread_once(&zlib_once, zlib_find);
	if (zlib_init2 == NULL)
		return Z_VERSION_ERROR;
	if (level_wanted >= 0)
		level = level_wanted;
	rc = zlib_init2(strm, level, method, windowBits, memLevel, strategy, version,
	    stream_size);
	/* a raw stream (a zip's part), one at a time: in blocks */
	if (rc == Z_OK && par_threads >= 0 && par == NULL && windowBits < 0 && level != 0)
		par = par_new(strm, level, windowBits, memLevel, strategy, par_threads);
	if (rc == Z_OK && tap != NULL) {
		if (tapped != NULL)  /* a second stream at once: the first is not whole */
			tap->end(tap->arg, 0);
		tapped = strm;
	}
	return rc;
}

/* zlib's deflate(); on the tapped stream, the bytes it consumed go to the tap. */
int
deflate(z_streamp strm, int flush)
{
	const Bytef *in;
	uInt avail;
	int rc;

	pthread_once(&zlib_once, zlib_find);
	if (zlib_deflate == NULL)
		return Z_STREAM_ERROR;
	if ((tapped == NULL || strm != tapped) && (par == NULL || strm != par->strm))
		return zlib_deflate(strm, flush);
	in = strm->next_in;
	avail = strm->avail_in;
	rc = par != NULL && strm == par->strm ? par_deflate(par, strm, flush) :
		zlib_deflate(strm, flush);
	if (tapped != NULL && strm == tapped && in != NULL && avail > strm->avail_in)
		tap->feed(tap->arg, in, avail - strm->avail_in);
	return rc;
}

/* zlib's deflateEnd(); the end of the tapped stream is the end of its part for the tap. */
int
deflateEnd(z_streamp strm)
{
	pthread_once(&zlib_once, zlib_find);
	if (zlib_end == NULL)
		return Z_STREAM_ERROR;
	if (tapped != NULL && strm == tapped) {
		tapped = NULL;
		tap->end(tap->arg, 1);
	}
	if (par != NULL && strm == par->strm) {
		par_free(par);
		par = NULL;
	}
	return zlib_end(strm);
}
