/*
 * analyse.c: the analysis of one loaded document, stage after stage --
 * normalise (norm.c), title and outline (outline.c), metadata (meta.c),
 * sections (sections.c) -- and the character-pair index the rules'
 * prefilter reads (textindex.c).  The rules run on what this leaves in
 * the struct analysis and the struct result.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis_int.h"
#include "textindex.h"

/* Normalised paragraph ranges: the copy keeps each '\n'. */
static void
para_ranges(const struct doc *d, const struct analysis *a, struct para_ranges *pr)
{
	size_t i, k = 0;

	pr->nb = xcalloc(d->npara + 1, sizeof(size_t));
	pr->ne = xcalloc(d->npara + 1, sizeof(size_t));
	for (i = 0; i < d->npara; i++) {
		const char *nl = k < a->norm.len ? memchr(a->norm.s + k, '\n', a->norm.len - k) : NULL;

		pr->nb[i] = k;
		k = nl ? (size_t)(nl - a->norm.s) : a->norm.len;
		pr->ne[i] = k;
		if (k < a->norm.len)
			k++;
	}
}

/* The stages in order; without full, only as far as the body span and the metadata. */
static void
analyse_stages(const struct rulepack *p, const struct doc *d, struct analysis *a,
	struct result *res, struct matcher *m, int full)
{
	struct para_ranges pr;
	size_t i;

	a->doc = d;
	norm_text(&a->norm, d->text ? d->text : "", d->len);
	analysis_marks(a);
	para_ranges(d, a, &pr);
	a->line_off = xcalloc(d->npara + 1, sizeof(size_t));
	for (i = 0; i < d->npara; i++)
		a->line_off[i] = d->paras[i].off;
	a->body.off = 0;
	a->body.end = d->len;
	outline_build(p, d, a, res, m, &pr);
	meta_extract(d, a, res, &pr);
	if (!full) {
		free(pr.nb);
		free(pr.ne);
		return;
	}
	analysis_vismarks(a);
	sections_assign(p, d, a, res, m);
	res->chars = analysis_visible(a, a->body);
	free(pr.nb);
	free(pr.ne);
	a->lits = xmalloc(sizeof(*a->lits));
	textindex_build(a->lits, a->norm.s, a->norm.len, p ? p->keys : NULL);
	/* the first characters of the rules that read the raw text, listed too */
	textindex_add_text(a->lits, d->text, d->len);
}

void
analyse(const struct rulepack *p, const struct doc *d, struct analysis *a, struct result *res,
	struct matcher *m)
{
	analyse_stages(p, d, a, res, m, 1);
}

void
analyse_body(const struct rulepack *p, const struct doc *d, struct analysis *a, struct result *res,
	struct matcher *m)
{
	analyse_stages(p, d, a, res, m, 0);
}
