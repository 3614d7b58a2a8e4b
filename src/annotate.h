/*
 * annotate.h: a checked report handed back as the clerk's own .docx with
 * a Word comment (批注) at each finding and fzreport's mechanical fixes as
 * tracked changes (w:del + w:ins) they accept or reject one by one.
 *
 * The result must come from a check of the same bytes (checker_run): its
 * (paragraph, column) positions are those of the loader's model, which
 * load_docx_map() leads back to the w:t runs.  Everything in the package
 * but document.xml, comments.xml, its relationships and the content types
 * is copied byte for byte.  A .txt report becomes a GB/T 9704 .docx
 * (docx_write.c) first.
 */
#ifndef FZ_ANNOTATE_H
#define FZ_ANNOTATE_H

#include <stddef.h>
#include <time.h>

#include "doc.h"
#include "result.h"
#include "rules.h"
#include "util.h"

struct annotate_opts {
	const struct rulepack *rules;  /* the pack of the check: where fix: comes from; NULL: no fixes */
	int no_fix;                    /* comments only */
	time_t when;                   /* date of the comments and revisions (source_date()) */
};

/* What an annotation did. */
struct annotate_stats {
	int comments;     /* comments added */
	int findings;     /* findings written into them */
	int fixes;        /* tracked changes added */
	int unfixed;      /* fixes left out (inside a field, another revision, a drawn number ...) */
};


/*
 * The byte range [*off, *end) of doc->text that finding f marks: from its
 * (line, column) on, mark_len bytes, or to the end of the paragraph when
 * it marks nothing; never past its paragraph.  -1 when f has no position
 * in d (a whole-document finding).
 */
int annotate_span(const struct doc *d, const struct finding *f, size_t *off, size_t *end);

/*
 * Annotate the report data[0..n) (a .docx, or a plain-text report when
 * name does not end in .docx and data is no zip) with res, its check.
 * *out (the caller frees it) and *outn receive the new .docx; st (may be
 * NULL) what was done.  0, or -1 with a Chinese message in err (the same
 * refusals as check: res->error when the check could not read it).
 */
int annotate_mem(const char *name, const char *data, size_t n, const struct result *res,
	const struct annotate_opts *o, char **out, size_t *outn, struct annotate_stats *st,
	struct error *err);

/* annotate_mem() from the file in to the file out, written atomically.  0 or -1. */
int annotate_file(const char *in, const char *out, const struct result *res,
	const struct annotate_opts *o, struct annotate_stats *st, struct error *err);

#endif
