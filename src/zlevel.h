/*
 * zlevel.h: the deflate level of zip packages written by a library that
 * does not let its caller choose one (libxlsxwriter).
 */
#ifndef FZ_ZLEVEL_H
#define FZ_ZLEVEL_H

/*
 * Make every deflate stream this thread starts from now on use level
 * (0-9) instead of the level its caller asks zlib for; -1 gives the
 * caller's level back.  Other threads keep their callers' levels.
 */
void zlevel_set(int level);

#endif
