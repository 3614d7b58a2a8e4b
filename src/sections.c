/*
 * sections.c: which outline node is which required section, and which
 * required sections are found, only mentioned inline, or missing.
 *
 * Level-1 headings are matched against the section patterns of the rule
 * pack (rules/sections.yaml), in pack order, the fallback section last.
 * Thematic level-1 headings that match nothing and come before the later
 * sections report the year's work and take the fallback id (measures);
 * after them they are "other".  A level-2 heading may carry a section
 * that allows it (the 第一责任人 duty) when no level-1 heading does.
 * A "late" section (存在的不足) is taken from a heading only after another
 * heading and before the headings of the sections after it in the
 * pack ("一、切实解决突出问题" first is a measure).  A heading that names two
 * sections ("存在的问题及下一步打算") carries the second one too when no
 * heading of its own does.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis_int.h"
#include "utf8.h"

static int
applies(const struct section_def *sd, enum unit_kind k)
{
	return sd->kinds == 0 || k == UNIT_UNKNOWN || (sd->kinds & (1u << k)) != 0;
}

/*
 * Index of the section a heading names, or -1.  known (one per section)
 * keeps what the heading's earlier calls found: 0 not tried, 1 matches,
 * 2 does not (a heading is asked again with another section skipped);
 * lk (made 0 for the heading) its literal keys.
 */
static int
heading_section(const struct rulepack *p, struct matcher *m, const struct analysis *a,
	struct span head, int level2_only, int skip, unsigned char *known, struct litkeys *lk)
{
	size_t nb = 0, ne = 0, i, mo, ml;
	int pass, spanned = 0;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < p->nsection; i++) {
			const struct section_def *sd = &p->sections[i];

			if ((pass == 0) == (sd->fallback != 0))
				continue;
			if ((level2_only && !sd->level2) || (int)i == skip)
				continue;
			if (known[i] == 0) {
				if (!spanned) {
					analysis_norm_span(a, head, &nb, &ne);
					spanned = 1;
				}
				known[i] = match_any(m, sd->heading, sd->nheading, a->norm.s + nb, ne - nb,
				    lk, &mo, &ml) == 1 ? 1 : 2;
			}
			if (known[i] == 1)
				return (int)i;
		}
	return -1;
}

/* Does a heading name section i?  known (see heading_section) keeps the answer. */
static int
names(const struct rulepack *p, struct matcher *m, const struct analysis *a, struct span head,
	size_t i, unsigned char *known, struct litkeys *lk)
{
	size_t nb, ne, mo, ml;

	if (known[i] == 0) {
		analysis_norm_span(a, head, &nb, &ne);
		known[i] = match_any(m, p->sections[i].heading, p->sections[i].nheading,
		    a->norm.s + nb, ne - nb, lk, &mo, &ml) == 1 ? 1 : 2;
	}
	return known[i] == 1;
}

/*
 * Does a level-1 heading whose own section is sec name section k second:
 * is k the first section in pack order but sec that it names (the
 * fallback not asked), and no level-2 section?  Asked only where a
 * section has no heading of its own, and k first: most headings do not
 * name it, and then the sections before it need no asking.
 */
static int
names_second(const struct rulepack *p, struct matcher *m, const struct analysis *a,
	struct span head, int sec, size_t k, unsigned char *known)
{
	const struct section_def *sd = p->sections;
	struct litkeys lk;
	size_t j;

	if ((int)k == sec || sd[k].fallback || sd[k].level2)
		return 0;
	lk.made = 0;
	if (!names(p, m, a, head, k, known, &lk))
		return 0;
	for (j = 0; j < k; j++)
		if ((int)j != sec && !sd[j].fallback && names(p, m, a, head, j, known, &lk))
			return 0;
	return 1;
}

void
sections_assign(const struct rulepack *p, const struct doc *d, struct analysis *a,
	struct result *res, struct matcher *m)
{
	int *sec = xcalloc(res->noutline + 1, sizeof(int));
	unsigned char *two = xcalloc(res->noutline + 1, 1);
	/* per heading and section: matched, not, or not tried yet (heading_section) */
	unsigned char *known = xcalloc(res->noutline * p->nsection + 1, 1);
	size_t i, k;
	int fallback = -1, later_seen = 0, seen = 0, maxsec = -1;
	struct litkeys lk;

	for (k = 0; k < p->nsection; k++)
		if (p->sections[k].fallback && fallback < 0)
			fallback = (int)k;
	for (i = 0; i < res->noutline; i++) {
		sec[i] = -1;
		if (res->outline[i].level != 1 || res->outline[i].kind == NODE_ITEM) {
			/* a text that starts with level-2 headings has reported work before */
			if (res->outline[i].level >= 1 && res->outline[i].kind != NODE_TITLE)
				seen = 1;
			continue;
		}
		lk.made = 0;
		sec[i] = heading_section(p, m, a, a->node_head[i], 0, -1, known + i * p->nsection,
		    &lk);
		/* a late section: after another heading, before the later sections */
		if (sec[i] >= 0 && p->sections[sec[i]].late && (!seen || maxsec > sec[i]))
			sec[i] = heading_section(p, m, a, a->node_head[i], 0, sec[i],
			    known + i * p->nsection, &lk);
		/* a second section it names is asked for where one lacks a heading
		 * of its own (names_second()); a fallback first has none */
		two[i] = sec[i] >= 0 && !p->sections[sec[i]].fallback;
		if (sec[i] >= 0 && sec[i] != fallback && !p->sections[sec[i]].level2 && sec[i] > maxsec)
			maxsec = sec[i];
		seen = 1;
	}
	/* thematic headings: the year's work before the later sections, else other */
	for (i = 0; i < res->noutline; i++) {
		struct outline_node *o = &res->outline[i];

		if (o->level != 1 || o->kind == NODE_ITEM)
			continue;
		if (sec[i] >= 0 && sec[i] > fallback && !p->sections[sec[i]].level2)
			later_seen = 1;
		if (sec[i] < 0 && !later_seen && fallback >= 0)
			sec[i] = fallback;
		o->section = xstrdup(sec[i] >= 0 ? p->sections[sec[i]].id : "other");
	}
	/* a level-2 heading that is itself a section allowed at level 2 */
	for (k = 0; k < p->nsection; k++) {
		if (!p->sections[k].level2)
			continue;
		for (i = 0; i < res->noutline; i++)
			if (sec[i] == (int)k && res->outline[i].level == 1)
				break;
		if (i < res->noutline)
			continue;
		for (i = 0; i < res->noutline; i++) {
			if (res->outline[i].level != 2 || res->outline[i].kind == NODE_ITEM)
				continue;
			lk.made = 0;
			if (heading_section(p, m, a, a->node_head[i], 1, -1,
			    known + i * p->nsection, &lk) == (int)k) {
				sec[i] = (int)k;
				free(res->outline[i].section);
				res->outline[i].section = xstrdup(p->sections[k].id);
				break;
			}
		}
	}

	/* section results */
	res->sections = xcalloc(p->nsection + 1, sizeof(*res->sections));
	a->section = xcalloc(p->nsection + 1, sizeof(*a->section));
	for (k = 0; k < p->nsection; k++) {
		const struct section_def *sd = &p->sections[k];
		struct section_result *sr;
		long chars = 0;
		int first = -1;

		if (!applies(sd, res->meta.unit_kind))
			continue;
		sr = &res->sections[res->nsection];
		sr->id = xstrdup(sd->id);
		sr->name = xstrdup(sd->name ? sd->name : sd->id);
		sr->missing_severity = sd->missing;
		sr->rule = sd->rule ? xstrdup(sd->rule) : NULL;
		sr->source = sd->source ? xstrdup(sd->source) : NULL;
		for (i = 0; i < res->noutline; i++)
			if (sec[i] == (int)k) {
				chars += analysis_visible(a, a->node_body[i]);
				if (first < 0) {
					first = (int)i;
					a->section[res->nsection] = a->node_body[i];
				} else {
					a->section[res->nsection].end = a->node_body[i].end;
				}
			}
		/* else a heading that names this section second */
		for (i = 0; first < 0 && i < res->noutline; i++)
			if (two[i] && names_second(p, m, a, a->node_head[i], sec[i], k,
			    known + i * p->nsection)) {
				chars = analysis_visible(a, a->node_body[i]);
				first = (int)i;
				a->section[res->nsection] = a->node_body[i];
			}
		if (first >= 0) {
			sr->status = SECTION_FOUND;
			sr->line = res->outline[first].line;
			sr->column = res->outline[first].column;
			sr->chars = chars;
		} else {
			size_t nb, ne, mo, ml;
			int line = 0, col = 0;

			analysis_norm_span(a, a->body, &nb, &ne);
			if (sd->ninline && match_any(m, sd->inline_, sd->ninline, a->norm.s + nb, ne - nb,
			    NULL, &mo, &ml) == 1) {
				size_t oo = a->norm.map[nb + mo], oe = a->norm.map[nb + mo + ml];
				long mark;
				char *ex = analysis_excerpt(a, oo, oe - oo, &mark);
				struct finding *f;

				analysis_pos(a, oo, &line, &col);
				sr->status = SECTION_INLINE;
				sr->line = line;
				sr->column = col;
				if ((sd->inline_sev != SEV_NONE || sd->missing != SEV_NONE) && sd->rule) {
					f = result_add_finding(res, sd->rule,
					    sd->inline_sev != SEV_NONE ? sd->inline_sev : sd->missing, line, col,
					    sd->inline_message ? sd->inline_message : sd->message, ex,
					    sd->source, sd->hint);
					f->mark_off = mark;
					f->mark_len = (long)(oe - oo);
				}
				free(ex);
			} else {
				sr->status = SECTION_MISSING;
				if (sd->missing != SEV_NONE && sd->rule)
					result_add_finding(res, sd->rule, sd->missing, 0, 0, sd->message,
					    NULL, sd->source, sd->hint);
			}
		}
		res->nsection++;
	}
	free(sec);
	free(two);
	free(known);
}
