/* util.c: allocation wrappers, buffers, errors and file I/O. */
#define _GNU_SOURCE  /* pthread_sigqueue() */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* xalloc_recover(): where a failed allocation of this thread jumps, or NULL */
static _Thread_local jmp_buf *oom_env;

jmp_buf *
xalloc_recover(jmp_buf *env)
{
	jmp_buf *prev = oom_env;

	oom_env = env;
	return prev;
}

static void
oom(void)
{
	if (oom_env != NULL)
		longjmp(*oom_env, 1);
	fputs("fzreport: out of memory\n", stderr);
	exit(6);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom();
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrdup_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

time_t
source_date(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (e != NULL && *e != '\0') {
		errno = 0;
		v = strtoll(e, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	int n;

	/* format once into 128 bytes; again only when that was short */
	buf_init(&b);
	xgrow(&b.s, &b.cap, 128, 1);
	va_start(ap, fmt);
	n = vsnprintf(b.s, b.cap, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b.s[0] = '\0';
		return b.s;
	}
	if ((size_t)n >= b.cap) {
		xgrow(&b.s, &b.cap, (size_t)n + 1, 1);
		va_start(ap, fmt);
		vsnprintf(b.s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	} else if ((size_t)n + 1 < b.cap) {
		b.s = xrealloc(b.s, (size_t)n + 1);  /* results keep many of these */
	}
	return b.s;
}

void
xgrow(void *pp, size_t *cap, size_t need, size_t elsz)
{
	void **p = pp;
	size_t n = *cap ? *cap : 8;

	if (need <= *cap && *p != NULL)
		return;
	while (n < need) {
		if (n > ((size_t)-1) / 2 / elsz)
			oom();
		n *= 2;
	}
	*p = xrealloc(*p, n * elsz);
	*cap = n;
}

void
buf_init(struct buf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_release(struct buf *b)
{
	free(b->s);
	buf_init(b);
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		xgrow(&b->s, &b->cap, b->len + n + 1, 1);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	if (b->len + 2 <= b->cap) {
		b->s[b->len++] = c;
		b->s[b->len] = '\0';
		return;
	}
	buf_add(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* format into the room there is (made at least 64 bytes); again only if it was short */
	xgrow(&b->s, &b->cap, b->len + 64, 1);
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n <= 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		xgrow(&b->s, &b->cap, b->len + (size_t)n + 1, 1);
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
buf_addlong(struct buf *b, long v)
{
	char t[24];
	size_t i = sizeof(t);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do {
		t[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		t[--i] = '-';
	buf_add(b, t + i, sizeof(t) - i);
}

char *
buf_detach(struct buf *b)
{
	char *s = b->s;

	if (s == NULL)
		s = xstrdup("");
	buf_init(b);
	return s;
}

void
error_clear(struct error *e)
{
	e->msg[0] = '\0';
	e->line = e->column = e->offset = -1;
}

int
error_set(struct error *e, const char *fmt, ...)
{
	va_list ap;

	e->line = e->column = e->offset = -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
error_at(struct error *e, long line, long column, const char *fmt, ...)
{
	va_list ap;

	e->line = line;
	e->column = column;
	e->offset = -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
read_file(const char *path, size_t max, char **data, size_t *len, struct error *err)
{
	struct stat st;
	struct buf b;
	char chunk[65536];
	ssize_t r;
	int fd;

	*data = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a named pipe with no writer must not hang */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK)) == -1) {
		int e = errno;

		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return error_set(err, "无法读取的文件夹：%s", strerror(e));
		return error_set(err, "无法打开文件：%s", strerror(e));
	}
	/* only regular files: a named pipe with a silent writer would block */
	if (fstat(fd, &st) == -1 || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ||
	    S_ISSOCK(st.st_mode) || S_ISFIFO(st.st_mode)) {
		close(fd);
		return error_set(err, "不是普通文件");
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return error_set(err, "是文件夹，不是报告文件");
	}
	/* a regular file or a link to one, whose reads O_NONBLOCK does not change */
	buf_init(&b);
	if (st.st_size > 0 && (uintmax_t)st.st_size <= max) {
		/* the size fstat() gave: read into one buffer, with no read() to
		 * see the end after it (a file that grows meanwhile is read to
		 * that size; one that shrinks, to its end) */
		size_t want = (size_t)st.st_size;

		b.cap = want + 1;
		b.s = xmalloc(b.cap);
		while (b.len < want) {
			r = read(fd, b.s + b.len, want - b.len);
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1) {
				error_set(err, "读取失败：%s", strerror(errno));
				close(fd);
				buf_release(&b);
				return -1;
			}
			if (r == 0)
				break;
			b.len += (size_t)r;
		}
		close(fd);
		b.s[b.len] = '\0';
		*len = b.len;
		*data = b.s;
		return 0;
	}
	for (;;) {
		r = read(fd, chunk, sizeof(chunk));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			error_set(err, "读取失败：%s", strerror(errno));
			break;
		}
		if (r == 0) {
			close(fd);
			if (b.s == NULL)
				buf_add(&b, "", 0);
			*len = b.len;
			*data = b.s;
			return 0;
		}
		if (b.len + (size_t)r > max) {
			error_set(err, "文件过大（超过 %zu MB）", max >> 20);
			break;
		}
		buf_add(&b, chunk, (size_t)r);
	}
	close(fd);
	buf_release(&b);
	return -1;
}

int
write_file_atomic(const char *path, const char *data, size_t len, struct error *err)
{
	char *tmp = NULL;
	struct stat st;
	size_t off = 0;
	int fd;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return error_set(err, "无法写入 %s：这是一个目录", path);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a device or a pipe (/dev/full, /dev/stdout): write to it, never replace it */
		if ((fd = open(path, O_WRONLY)) == -1)
			return error_set(err, "无法写入 %s：%s", path, strerror(errno));
		goto write;
	}
	tmp = tmpfile_template(path);
	if ((fd = mkstemp(tmp)) == -1) {
		error_set(err, "无法写入 %s：%s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	tmpfile_track(tmp);
write:
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			error_set(err, "写入 %s 失败：%s", path, strerror(w == 0 ? EIO : errno));
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) == -1 && errno != EINVAL) {
		error_set(err, "写入 %s 失败：%s", path, strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		error_set(err, "写入 %s 失败：%s", path, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (tmp == NULL)
		return 0;
	{
		mode_t um = umask(0);

		umask(um);
		chmod(tmp, 0666 & ~um);
	}
	if (rename(tmp, path) == -1) {
		error_set(err, "无法写入 %s：%s", path, strerror(errno));
		goto fail;
	}
	tmpfile_untrack(tmp);
	free(tmp);
	return 0;
fail:
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		tmpfile_untrack(tmp);
	}
	free(tmp);
	return -1;
}

const char *
find_str(const char *s, size_t n, const char *needle)
{
	size_t l = strlen(needle);
	const char *end = s + n, *p = s;

	if (l == 0)
		return s;
	while (p + l <= end && (p = memchr(p, needle[0], (size_t)(end - p) - l + 1)) != NULL) {
		if (memcmp(p, needle, l) == 0)
			return p;
		p++;
	}
	return NULL;
}

char *
tmpfile_template(const char *path)
{
	const char *b = strrchr(path, '/');
	const char *base = b ? b + 1 : path;

	if (strlen(base) + sizeof(".tmpXXXXXX") + 1 > 255)
		base = "fzreport";
	return b ? xasprintf("%.*s/.%s.tmpXXXXXX", (int)(b - path), path, base)
		 : xasprintf(".%s.tmpXXXXXX", base);
}

/*
 * Temporary files alive now, removed by the signal thread of
 * tmpfile_guard() when the run is interrupted.  A mutex, not a handler:
 * the thread that waits for the signal is an ordinary thread.
 */
static pthread_mutex_t tmp_mu = PTHREAD_MUTEX_INITIALIZER;
static char **tmp_live;
static size_t tmp_n, tmp_cap;

void
tmpfile_track(const char *path)
{
	pthread_mutex_lock(&tmp_mu);
	xgrow(&tmp_live, &tmp_cap, tmp_n + 1, sizeof(char *));
	tmp_live[tmp_n++] = xstrdup(path);
	pthread_mutex_unlock(&tmp_mu);
}

int
tmpfile_create(char *tmpl)
{
	int fd;

	/* under the lock: an interrupt removes every file created so far */
	pthread_mutex_lock(&tmp_mu);
	if ((fd = mkstemp(tmpl)) >= 0) {
		xgrow(&tmp_live, &tmp_cap, tmp_n + 1, sizeof(char *));
		tmp_live[tmp_n++] = xstrdup(tmpl);
	}
	pthread_mutex_unlock(&tmp_mu);
	return fd;
}

void
tmpfile_untrack(const char *path)
{
	size_t i;

	pthread_mutex_lock(&tmp_mu);
	for (i = tmp_n; i-- > 0;)
		if (strcmp(tmp_live[i], path) == 0) {
			free(tmp_live[i]);
			tmp_live[i] = tmp_live[--tmp_n];
			break;
		}
	if (tmp_n == 0) {
		free(tmp_live);
		tmp_live = NULL;
		tmp_cap = 0;
	}
	pthread_mutex_unlock(&tmp_mu);
}

static sigset_t guard_set;
static pthread_t guard_th;
static int guard_on;

static void *
guard_thread(void *arg)
{
	sigset_t one;
	siginfo_t si;
	size_t i;
	int sig;

	(void)arg;
	while ((sig = sigwaitinfo(&guard_set, &si)) < 0)
		if (errno != EINTR)
			return NULL;
	/* tmpfile_guard_end()'s own wake-up (queued by this process): the run is over */
	if (sig == SIGHUP && si.si_code == SI_QUEUE && si.si_pid == getpid() &&
	    __atomic_load_n(&guard_on, __ATOMIC_ACQUIRE) == 0)
		return NULL;
	pthread_mutex_lock(&tmp_mu);
	for (i = 0; i < tmp_n; i++)
		unlink(tmp_live[i]);
	/* die of the signal, as without the guard (the shell sees it) */
	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	_exit(128 + sig);
}

void
tmpfile_guard(void)
{
	sigemptyset(&guard_set);
	sigaddset(&guard_set, SIGINT);
	sigaddset(&guard_set, SIGTERM);
	sigaddset(&guard_set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &guard_set, NULL);
	guard_on = 1;
	if (pthread_create(&guard_th, NULL, guard_thread, NULL) != 0)
		guard_on = 0;
}

void
tmpfile_guard_end(void)
{
	if (!guard_on)
		return;
	__atomic_store_n(&guard_on, 0, __ATOMIC_RELEASE);
	if (pthread_sigqueue(guard_th, SIGHUP, (union sigval){.sival_int = 0}) != 0)
		return;  /* the thread stays; the process ends soon without it */
	pthread_join(guard_th, NULL);
	/* a signal that came meanwhile is delivered now, as without the guard */
	pthread_sigmask(SIG_UNBLOCK, &guard_set, NULL);
}

size_t
sort_first_of_each(void *base, size_t n, size_t size, int (*order)(const void *, const void *),
	int (*same)(const void *, const void *))
{
	char *v = base;
	size_t i, k = 0;

	if (n == 0)
		return 0;
	qsort(v, n, size, order);
	for (i = 1; i < n; i++)
		if (same(v + k * size, v + i * size) != 0 && ++k != i)
			memcpy(v + k * size, v + i * size, size);
	return k + 1;
}

struct file_id {
	dev_t dev;
	ino_t ino;
	size_t input;   /* its index in the paths */
};

void
output_inputs_init(struct output_inputs *in, char *const *paths, size_t n)
{
	in->paths = paths;
	in->n = n;
	in->ids = NULL;
	in->nid = 0;
}

void
output_inputs_release(struct output_inputs *in)
{
	free(in->ids);
	in->ids = NULL;
	in->nid = 0;
}

/* The same file?  (device, then inode; for bsearch() and qsort()) */
static int
file_id_cmp(const void *pa, const void *pb)
{
	const struct file_id *a = pa, *b = pb;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

/* By file, then in the order of the inputs. */
static int
file_id_order(const void *pa, const void *pb)
{
	const struct file_id *a = pa, *b = pb;
	int c = file_id_cmp(pa, pb);

	return c ? c : a->input < b->input ? -1 : a->input > b->input;
}

/*
 * The inputs' identities, made at the first output that exists already:
 * each file once, with the first input that names it.
 */
static void
inputs_identify(struct output_inputs *in)
{
	struct stat si;
	size_t i;

	if (in->ids != NULL || in->n == 0)
		return;
	in->ids = xcalloc(in->n, sizeof(*in->ids));
	for (i = 0; i < in->n; i++)
		if (stat(in->paths[i], &si) == 0) {
			in->ids[in->nid].dev = si.st_dev;
			in->ids[in->nid].ino = si.st_ino;
			in->ids[in->nid].input = i;
			in->nid++;
		}
	in->nid = sort_first_of_each(in->ids, in->nid, sizeof(*in->ids), file_id_order, file_id_cmp);
}

int
output_check(const char *path, const char *ext, struct output_inputs *in, struct error *err)
{
	struct stat st;
	struct file_id key;
	const struct file_id *f;
	size_t lp = strlen(path), le = ext ? strlen(ext) : 0;

	if (ext && (lp <= le || strcasecmp(path + lp - le, ext) != 0))
		return error_set(err, "输出文件 %s 的扩展名应是 %s", path, ext);
	if (lstat(path, &st) != 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return error_set(err, "无法写入 %s：这是一个目录", path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, "无法写入 %s：已有的不是普通文件（%s），不会替换它", path,
		    S_ISLNK(st.st_mode) ? "符号链接" : S_ISFIFO(st.st_mode) ? "管道" : "设备");
	inputs_identify(in);
	key.dev = st.st_dev;
	key.ino = st.st_ino;
	if (in->nid > 0 && (f = bsearch(&key, in->ids, in->nid, sizeof(key), file_id_cmp)) != NULL)
		return error_set(err, "输出文件 %s 就是输入的报告 %s，不会覆盖它", path,
		    in->paths[f->input]);
	return 0;
}

/* ---- a multiset of strings ----------------------------------------------- */

void
strbag_init(struct strbag *b)
{
	memset(b, 0, sizeof(*b));
}

void
strbag_release(struct strbag *b)
{
	size_t i;

	for (i = 0; i < b->cap; i++)
		free(b->key[i]);
	free(b->key);
	free(b->count);
	memset(b, 0, sizeof(*b));
}

uint64_t
str_hash(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001B3ULL;
	return h;
}

/* The slot of key, or of the empty slot where it would go (cap > 0). */
static size_t
strbag_slot(const struct strbag *b, const char *key)
{
	size_t i = (size_t)str_hash(STR_HASH_START, key, strlen(key)) & (b->cap - 1);

	while (b->key[i] != NULL && strcmp(b->key[i], key) != 0)
		i = (i + 1) & (b->cap - 1);
	return i;
}

size_t
strbag_count(const struct strbag *b, const char *key)
{
	size_t i;

	if (b->cap == 0)
		return 0;
	i = strbag_slot(b, key);
	return b->key[i] ? b->count[i] : 0;
}

size_t
strbag_add(struct strbag *b, const char *key, int delta)
{
	size_t i;

	if (delta < 0 && strbag_count(b, key) == 0)
		return 0;
	if (2 * (b->n + 1) > b->cap) {
		struct strbag old = *b;
		size_t k;

		b->cap = old.cap ? 2 * old.cap : 16;
		b->key = xcalloc(b->cap, sizeof(*b->key));
		b->count = xcalloc(b->cap, sizeof(*b->count));
		for (k = 0; k < old.cap; k++)
			if (old.key[k] != NULL) {
				i = strbag_slot(b, old.key[k]);
				b->key[i] = old.key[k];
				b->count[i] = old.count[k];
			}
		free(old.key);
		free(old.count);
	}
	i = strbag_slot(b, key);
	if (b->key[i] == NULL) {
		b->key[i] = xstrdup(key);
		b->n++;
	}
	if (delta < 0)
		b->count[i]--;
	else
		b->count[i]++;
	return b->count[i];
}

int
make_dirs(const char *dir, struct error *err)
{
	char *p = xstrdup(dir), *s;
	struct stat sb;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				error_set(err, "无法建立输出目录 %s：%s", p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return error_set(err, "输出目录 %s 不是目录", dir);
	return 0;
}

int
str_ends(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

int
exe_dir(char *dir, size_t size)
{
	ssize_t n;
	char *d;

	if (size < 2 || (n = readlink("/proc/self/exe", dir, size - 1)) <= 0)
		return -1;
	dir[n] = '\0';
	if ((d = strrchr(dir, '/')) == NULL)
		return -1;
	*d = '\0';
	return 0;
}
