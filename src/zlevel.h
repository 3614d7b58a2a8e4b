/*
 * zlevel.h: the deflate level of zip packages written by a library that
 * does not let its caller choose one (libxlsxwriter), and a tap on what
 * those packages are fed.
 */
#ifndef FZ_ZLEVEL_H
#define FZ_ZLEVEL_H

#include <stddef.h>

/*
 * Make every deflate stream this thread starts from now on use level
 * (0-9) instead of the level its caller asks zlib for; -1 gives the
 * caller's level back.  Other threads keep their callers' levels.
 */
void zlevel_set(int level);

/*
 * What a thread's deflate streams are fed.  From zlevel_tap(t) on, each
 * stream this thread starts calls feed() with the bytes each deflate()
 * call consumed, in order, then end(arg, 1) at its deflateEnd(): a
 * stream starts where the last one ended.  end(arg, 0) ends one not seen to the
 * end: another stream started before it ended, or the tap was removed
 * (zlevel_tap(NULL)) while it ran.  A stream started while another runs
 * is watched in its place.
 */
struct ztap {
	void (*feed)(void *arg, const unsigned char *p, size_t n);
	void (*end)(void *arg, int whole);
	void *arg;
};

/* Watch this thread's deflate streams with t (kept by the caller), or stop (NULL). */
void zlevel_tap(const struct ztap *t);

/*
 * Pack the raw deflate streams (zip parts) this thread starts from now on
 * in blocks compressed on threads threads (0 or 1: on this thread; the
 * same bytes either way), one such stream at a time; -1: as zlib does,
 * in one stream, and a stream still packed in blocks whose deflateEnd()
 * never came (its caller gave up on an error) is dropped with its
 * threads.  Only deflate() and deflateEnd() may be called on such a
 * stream (minizip calls nothing else).
 */
void zlevel_parallel(int threads);

#endif
