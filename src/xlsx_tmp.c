/*
 * xlsx_tmp.c: larger stdio buffers for the temporary files libxlsxwriter
 * packs a workbook from.
 *
 * workbook_close() writes each part of the package (a sheet: its header,
 * then every row copied from the sheet's constant_memory file) to a new
 * temporary file, then reads it back into the zip.  Those files have
 * libc's 4 KB buffer: a province's 问题明细 (315 MB) took 77,000 write()
 * calls on the thread that packs, then 20,000 read()s (with TMP_BUFFER,
 * 5,000 and 5,000; a larger buffer saves few more calls and costs a
 * part's worth of memory, the buffers being kept to the end).  Version
 * 1.1.4 has no option for it, so this program defines lxw_tmpfile() itself,
 * as zlevel.c does zlib's deflate(): the library calls it through its
 * PLT, the dynamic linker binds that call to the executable's
 * definition, which makes the file with the library's own
 * (dlsym(RTLD_NEXT)) and, between xlsx_tmp_begin() and xlsx_tmp_end(),
 * gives it a buffer of TMP_BUFFER bytes before its first write.  Where
 * the library was built so that its calls are not bound here, nothing
 * changes but the number of system calls.
 *
 * The packager closes every file it makes before it makes the next and
 * before workbook_close() returns, also on its error paths (1.1.4's
 * packager.c), so xlsx_tmp_end(), called after workbook_close(), frees
 * the buffers.  The sheets' constant_memory files, made by
 * workbook_add_worksheet() before xlsx_tmp_begin(), are render_xlsx.c's
 * to buffer.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "xlsx_tmp.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <xlsxwriter.h>

#include "util.h"

#define TMP_BUFFER 65536

typedef FILE *(*tmpfile_fn)(char *);

static tmpfile_fn lxw_own;
static pthread_once_t own_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int buffering;          /* between xlsx_tmp_begin() and xlsx_tmp_end() */
static char **bufs;            /* the buffers given, freed by xlsx_tmp_end() */
static size_t nbuf, capbuf;

static void
own_find(void)
{
	lxw_own = (tmpfile_fn)dlsym(RTLD_NEXT, "lxw_tmpfile");
}

FILE *
lxw_tmpfile(char *tmpdir)
{
	FILE *f;
	char *b;

	pthread_once(&own_once, own_find);
	f = lxw_own ? lxw_own(tmpdir) : tmpfile();
	if (f == NULL)
		return NULL;
	pthread_mutex_lock(&lock);
	if (buffering && (b = malloc(TMP_BUFFER)) != NULL) {
		if (setvbuf(f, b, _IOFBF, TMP_BUFFER) == 0) {
			xgrow(&bufs, &capbuf, nbuf + 1, sizeof(*bufs));
			bufs[nbuf++] = b;
		} else {
			free(b);
		}
	}
	pthread_mutex_unlock(&lock);
	return f;
}

void
xlsx_tmp_begin(void)
{
	pthread_mutex_lock(&lock);
	buffering = 1;
	pthread_mutex_unlock(&lock);
}

void
xlsx_tmp_end(void)
{
	size_t i;

	pthread_mutex_lock(&lock);
	buffering = 0;
	for (i = 0; i < nbuf; i++)
		free(bufs[i]);
	free(bufs);
	bufs = NULL;
	nbuf = capbuf = 0;
	pthread_mutex_unlock(&lock);
}
