/*
 * util.h: allocation wrappers, growable buffers and the error record
 * that every fallible function fills.
 *
 * The x* allocators print a message and exit on failure, so callers never
 * test their result.  Memory returned by them belongs to the caller.
 */
#ifndef FZ_UTIL_H
#define FZ_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xstrdup(), or NULL for NULL. */
char *xstrdup_null(const char *s);
/* printf into a new heap string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* SOURCE_DATE_EPOCH when it is a valid count of seconds, else now (reproducible outputs). */
time_t source_date(void);

/*
 * Make a failed x* allocation longjmp(*env, 1) instead of exiting, for a
 * caller that can give up one piece of work and go on (doc_load(): a
 * report too big for the memory becomes unreadable); NULL restores the
 * exit.  The target is the calling thread's (each worker loads its own
 * reports).  Returns the previous target, to be restored when done.
 */
jmp_buf *xalloc_recover(jmp_buf *env);

/*
 * Grow the array *pp (element size elsz) so that it holds at least need
 * elements; *cap is its current capacity and is updated.
 */
void xgrow(void *pp, size_t *cap, size_t need, size_t elsz);

/* A growable, always NUL-terminated byte string.  Owned by its holder. */
struct buf {
	char *s;
	size_t len;
	size_t cap;
};
void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_add(struct buf *b, const char *s, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* v in decimal, as "%ld" writes it. */
void buf_addlong(struct buf *b, long v);
/* Hand the string to the caller (who frees it) and reset the buffer. */
char *buf_detach(struct buf *b);

/*
 * What went wrong in a fallible function: the message (Chinese where a
 * clerk reads it), and where, when known.  line/column are 1-based,
 * offset is a byte offset into the input; each is -1 when unknown.
 */
struct error {
	char msg[1024];
	long line;
	long column;
	long offset;
};
void error_clear(struct error *e);
/* Fill e with a formatted message and no position; returns -1. */
int error_set(struct error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same with a position (line/column 1-based, -1 for none); returns -1. */
int error_at(struct error *e, long line, long column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Read a whole file into memory (NUL-terminated; *len excludes the NUL).
 * Refuses directories and files larger than max bytes.  0 or -1.
 */
int read_file(const char *path, size_t max, char **data, size_t *len, struct error *err);

/*
 * Write data to path atomically: a temporary file in the same directory,
 * fsync, then rename over path.  0 or -1; on failure path is untouched.
 */
int write_file_atomic(const char *path, const char *data, size_t len, struct error *err);

/*
 * The first occurrence of the string needle in the n bytes at s, or NULL.
 * For loops over a long text: memchr() to the first byte, then memcmp(),
 * so each call reads only up to the match (ASan's strstr() measures the
 * whole rest of the text on every call, which made such loops quadratic).
 */
const char *find_str(const char *s, size_t n, const char *needle);

/*
 * Temporary output files alive now (tracked copies of their paths).  After
 * tmpfile_guard(), SIGINT, SIGTERM and SIGHUP remove every tracked file
 * before the process dies of the signal.  tmpfile_guard() blocks those
 * signals in the caller, so call it before starting any thread, and
 * tmpfile_guard_end() once no temporary file is left.
 * write_file_atomic() tracks its own temporary file.
 */
void tmpfile_track(const char *path);
/*
 * A mkstemp() template for a temporary file beside path: DIR/.NAME.tmpXXXXXX,
 * or DIR/.fzreport.tmpXXXXXX when that would pass NAME_MAX (a 250-byte name
 * is a valid output).  Returns a new string.
 */
char *tmpfile_template(const char *path);
/* mkstemp(tmpl) and tmpfile_track() as one step (no window for an interrupt). */
int tmpfile_create(char *tmpl);
void tmpfile_untrack(const char *path);
void tmpfile_guard(void);
/* The run is over: stop the signal thread (joined) and unblock those signals. */
void tmpfile_guard_end(void);

/*
 * The inputs of a run, for output_check(): their paths (the caller's) and,
 * once an output that exists already is checked, the device and inode of
 * each, sorted.  output_inputs_init() keeps the pointer to paths;
 * output_inputs_release() frees what the checks built.
 */
struct output_inputs {
	char *const *paths;
	size_t n;
	struct file_id *ids;  /* NULL until needed */
	size_t nid;
};
void output_inputs_init(struct output_inputs *in, char *const *paths, size_t n);
void output_inputs_release(struct output_inputs *in);

/*
 * May an output be written at path?  It must end in ext (".xlsx", ".pdf";
 * NULL: any), and if something is there already it must be a regular file
 * (not a device, a pipe or a symbolic link: those would be replaced by the
 * rename) that is none of the inputs.  Checked before any work, so that
 * a slip on the command line never destroys a report.  Each input is
 * stat()ed once however many outputs are checked.  0 or -1 with err.
 */
int output_check(const char *path, const char *ext, struct output_inputs *in,
	struct error *err);

/*
 * Sort n elements of size bytes by order, then keep the first of each run
 * that same (a coarser comparison that order refines) calls equal: the
 * kept ones at the front, in order.  Returns how many are kept.
 */
size_t sort_first_of_each(void *base, size_t n, size_t size,
	int (*order)(const void *, const void *), int (*same)(const void *, const void *));

/* FNV-1a of s[0..n), going on from h (STR_HASH_START for a string of its own). */
#define STR_HASH_START 0xCBF29CE484222325ULL
uint64_t str_hash(uint64_t h, const char *s, size_t n);

/*
 * A multiset of strings (its own copies): how many times each was added,
 * less the times it was taken away.  For names made unique within a run.
 */
struct strbag {
	char **key;
	size_t *count;
	size_t cap, n;
};
void strbag_init(struct strbag *b);
void strbag_release(struct strbag *b);
/* Add one of key (delta 1) or take one away (-1; never below 0); the new count. */
size_t strbag_add(struct strbag *b, const char *key, int delta);
size_t strbag_count(const struct strbag *b, const char *key);

/* mkdir -p dir (an output directory); 0 or -1 with err. */
int make_dirs(const char *dir, struct error *err);

/*
 * The directory the running program sits in (/proc/self/exe) into
 * dir[0..size): 0, or -1 when it cannot be told.  Where the build tree's
 * or an installed fzreport finds its rules, templates and fzreport-ext.so.
 */
int exe_dir(char *dir, size_t size);

/* Does s end in suf (bytes, case counts)? */
int str_ends(const char *s, const char *suf);

#endif
