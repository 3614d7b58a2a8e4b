/*
 * inputs.c: the report files a command line names -- files as given,
 * folders walked in name order (expand_inputs(), declared in check.h).
 * Below every stage: it reads directories, nothing else.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "check.h"

static int
wanted(const char *name)
{
	static const char *const ext[] = {".txt", ".docx", ".doc", ".wps", ".jsonl", NULL};
	size_t n = strlen(name);
	int k;

	if (name[0] == '.')
		return 0;
	for (k = 0; ext[k]; k++) {
		size_t e = strlen(ext[k]);

		if (n > e && strcasecmp(name + n - e, ext[k]) == 0)
			return 1;
	}
	return 0;
}

/* A folder's entry: its name and the type readdir() gave (DT_UNKNOWN when the
 * file system gives none). */
struct entry {
	char *name;
	unsigned char type;
};

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void
add_path(char ***v, size_t *n, size_t *cap, char *p)
{
	xgrow(v, cap, *n + 2, sizeof(char *));
	(*v)[(*n)++] = p;
	(*v)[*n] = NULL;
}

/*
 * Add the wanted files under dir, recursively, in name order.  The type
 * readdir() gives spares two stat() calls a file; a symbolic link, and any
 * entry on a file system that gives no type, is looked up.
 */
static void
walk(const char *dir, char ***v, size_t *n, size_t *cap, int depth)
{
	DIR *dp;
	struct dirent *e;
	struct entry *ents = NULL;
	size_t nn = 0, nc = 0, i;

	if (depth > 32)
		return;
	if ((dp = opendir(dir)) == NULL) {
		/* a folder that cannot be listed is an input that cannot be
		 * read: the loader says why, the township does not vanish */
		if (depth > 0)
			add_path(v, n, cap, xstrdup(dir));
		return;
	}
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || e->d_name[0] == '.')
			continue;
		xgrow(&ents, &nc, nn + 1, sizeof(*ents));
		ents[nn].name = xstrdup(e->d_name);
		ents[nn++].type = e->d_type;
	}
	closedir(dp);
	if (nn > 1)
		qsort(ents, nn, sizeof(*ents), cmp_entry);
	for (i = 0; i < nn; i++) {
		char *p = xasprintf("%s/%s", dir, ents[i].name);
		struct stat st;
		int link, is_dir;

		if (ents[i].type == DT_REG || ents[i].type == DT_DIR) {
			link = 0;
			is_dir = ents[i].type == DT_DIR;
		} else {
			link = ents[i].type == DT_LNK ||
			    (ents[i].type == DT_UNKNOWN && lstat(p, &st) == 0 && S_ISLNK(st.st_mode));
			is_dir = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
		}
		if (is_dir) {
			/* symbolic links to folders are not followed: two links
			 * to "." would never end, one lists every report twice */
			if (!link)
				walk(p, v, n, cap, depth + 1);
			free(p);
		} else if (wanted(ents[i].name)) {
			/* pipes and broken links too: the loader says why they
			 * cannot be read */
			add_path(v, n, cap, p);
		} else {
			free(p);
		}
		free(ents[i].name);
	}
	free(ents);
}

char **
expand_inputs(char **args, int nargs, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	int i;

	*n = 0;
	xgrow(&v, &cap, 1, sizeof(char *));
	v[0] = NULL;
	for (i = 0; i < nargs; i++) {
		struct stat st;

		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t l = strlen(args[i]);
			char *d = xstrdup(args[i]);

			while (l > 1 && d[l - 1] == '/')
				d[--l] = '\0';
			walk(d, &v, n, &cap, 0);
			free(d);
		} else {
			add_path(&v, n, &cap, xstrdup(args[i]));
		}
	}
	return v;
}

void
free_paths(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
