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
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "zlevel.h"

#include <dlfcn.h>
#include <pthread.h>
#include <zlib.h>

typedef int (*init2_fn)(z_streamp, int, int, int, int, int, const char *, int);

static _Thread_local int level_wanted = -1;
static init2_fn zlib_init2;
static pthread_once_t zlib_once = PTHREAD_ONCE_INIT;

static void
zlib_find(void)
{
	zlib_init2 = (init2_fn)dlsym(RTLD_NEXT, "deflateInit2_");
}

void
zlevel_set(int level)
{
	level_wanted = level >= 0 && level <= 9 ? level : -1;
}

/*
 * zlib's deflateInit2_() (what the deflateInit2() macro calls), with
 * the level of zlevel_set() when this thread set one.
 */
int
deflateInit2_(z_streamp strm, int level, int method, int windowBits, int memLevel,
    int strategy, const char *version, int stream_size)
{
	pthread_once(&zlib_once, zlib_find);
	if (zlib_init2 == NULL)
		return Z_VERSION_ERROR;
	if (level_wanted >= 0)
		level = level_wanted;
	return zlib_init2(strm, level, method, windowBits, memLevel, strategy, version,
	    stream_size);
}
