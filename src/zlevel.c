/*
 * zlevel.c: the deflate level of zip packages written by a library that
 * does not let its caller choose one.
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
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "zlevel.h"

#include <dlfcn.h>
#include <pthread.h>
#include <zlib.h>

typedef int (*init2_fn)(z_streamp, int, int, int, int, int, const char *, int);
typedef int (*deflate_fn)(z_streamp, int);
typedef int (*end_fn)(z_streamp);

static _Thread_local int level_wanted = -1;
static _Thread_local const struct ztap *tap;
static _Thread_local z_streamp tapped;  /* the stream the tap watches, NULL if none */
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
	if (rc == Z_OK && tap != NULL) {
		if (tapped != NULL)  /* a second stream at once: the first is not whole */
			tap->end(tap->arg, 0);
		tapped = strm;
		tap->begin(tap->arg);
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
	if (tapped == NULL || strm != tapped)
		return zlib_deflate(strm, flush);
	in = strm->next_in;
	avail = strm->avail_in;
	rc = zlib_deflate(strm, flush);
	if (in != NULL && avail > strm->avail_in)
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
	return zlib_end(strm);
}
