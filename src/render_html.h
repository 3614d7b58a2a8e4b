/*
 * render_html.h: the HTML back-end of `fzreport serve`: the result page of
 * one report (verdict, the five parts as a checklist, findings grouped by
 * part, the report's own text with every positioned finding marked), the
 * summary table of several reports, the upload form, the rule table and
 * message pages.  Like the other back-ends it reads results and checks
 * nothing; every piece of report text is HTML-escaped.
 *
 * Each function returns a new NUL-terminated page the caller frees.
 * Pages refer only to /static/fz.css and /static/fz.js (served by
 * fzreport itself): no inline style or script, for a strict CSP.
 */
#ifndef FZ_RENDER_HTML_H
#define FZ_RENDER_HTML_H

#include <stddef.h>

#include "doc.h"
#include "result.h"

struct buf;
struct rulepack;

/* Append s[0..n) to b with & < > " ' escaped. */
void html_escape(struct buf *b, const char *s, size_t n);

/*
 * The result page of r.  d is the loaded report (its text is shown with
 * the findings marked), or NULL when it could not be read.  base is the
 * page's own path ("/r/ID" or "/r/ID/2"); downloads are linked relative
 * to it.  up, if not NULL, is the summary page of the upload it belongs to.
 */
char *html_result_page(const struct result *r, const struct doc *d, const char *base,
	const char *up);

/* The summary table of n results (several files); id names the upload. */
char *html_summary_page(const struct result *r, size_t n, const char *id);

/* The upload form; max_upload is the size limit in bytes, shown to the clerk. */
char *html_index_page(size_t max_upload);

/* The rule table of pack p, with each rule's 依据 and 修改建议. */
char *html_rules_page(const struct rulepack *p);

/* A page with a title and a message (errors: 404, 410, 413, 422 ...). */
char *html_message_page(const char *title, const char *msg);

/* The style sheet and the script of the pages (static strings). */
extern const char html_css[];
extern const char html_js[];

#endif
