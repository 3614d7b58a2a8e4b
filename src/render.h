/*
 * render.h: the terminal and JSON back-ends over struct result (cmark's
 * renderers).  Each offers open(opts) / render(state, result) /
 * close(state); they read results and never check anything.
 */
#ifndef FZ_RENDER_H
#define FZ_RENDER_H

#include <stdio.h>

#include "result.h"

enum out_format {
	FMT_TERM,
	FMT_JSON
};

struct render_opts {
	FILE *fp;
	int summary;        /* terminal: print the per-file summary line */
	int brief;          /* terminal: one line per finding, no hints, no grouping */
};

struct render_state;

struct render_state *term_open(const struct render_opts *o);
void term_render(struct render_state *st, const struct result *r);
void term_close(struct render_state *st);

struct render_state *json_open(const struct render_opts *o);
void json_render(struct render_state *st, const struct result *r);
void json_close(struct render_state *st);

/* One result as a JSON object on one line (no newline); the caller frees it. */
char *json_result(const struct result *r);
/* Append s as a JSON string literal (quoted, escaped) to b; NULL gives null. */
struct buf;
void json_string(struct buf *b, const char *s);

#endif
