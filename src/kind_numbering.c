/*
 * kind_numbering.c: heading numbers per GB/T 9704 §7.3.3 -- the style of
 * each level ("一、" "（一）" "1." "（1）") and the sequence under each
 * parent (no skips, no repeats).  Reads the outline of the analysis.
 *
 *   numbering:
 *     styles: {1: "{zh}、", 2: "（{zh}）", 3: ["{n}.", "{n}．"], 4: "（{n}）"}
 *
 * {zh} is the number in Chinese numerals, {n} in Arabic digits; the first
 * form of a level is the one the message suggests.  Below level 1 a level
 * may be skipped (a report with two levels may use "一、" and "1."), as
 * 公文 practice allows; the order is never inverted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

#define NLEVEL 4

struct numbering {
	char **style[NLEVEL + 1];
	size_t nstyle[NLEVEL + 1];
	int sequence;
};

static void
numbering_free(void *data)
{
	struct numbering *nb = data;
	size_t i, k;

	if (nb == NULL)
		return;
	for (i = 0; i <= NLEVEL; i++) {
		for (k = 0; k < nb->nstyle[i]; k++)
			free(nb->style[i][k]);
		free(nb->style[i]);
	}
	free(nb);
}

static int
numbering_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"styles", "sequence", NULL};
	struct numbering *nb = c->data;
	yaml_node_t *v;
	yaml_node_pair_t *pr;

	if (nb == NULL) {
		c->data = nb = xcalloc(1, sizeof(*nb));
		nb->sequence = 1;
	}
	if (ry_keys(doc, n, keys, "numbering", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "sequence")) && ry_bool(v, "sequence", &nb->sequence, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "styles")) == NULL)
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return ry_error(v, err, "styles 应为 级别: 格式 的映射");
	for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(doc, pr->key);
		long lv;
		size_t i;

		if (ry_int(k, "级别", &lv, err) == -1)
			return -1;
		if (lv < 1 || lv > NLEVEL)
			return ry_error(k, err, "级别应为 1 到 %d", NLEVEL);
		for (i = 0; i < nb->nstyle[lv]; i++)
			free(nb->style[lv][i]);
		free(nb->style[lv]);
		nb->style[lv] = NULL;
		nb->nstyle[lv] = 0;
		if (ry_strlist(doc, yaml_document_get_node(doc, pr->value), "styles", &nb->style[lv],
			&nb->nstyle[lv], err) == -1)
			return -1;
	}
	return 0;
}

/* Chinese numeral of 1..99. */
static void
zh_num(int n, struct buf *b)
{
	static const char *const d[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

	if (n <= 0 || n > 99) {
		buf_printf(b, "%d", n);
		return;
	}
	if (n >= 20)
		buf_adds(b, d[n / 10]);
	if (n >= 10)
		buf_adds(b, "十");
	if (n % 10 || n < 10)
		buf_adds(b, d[n % 10]);
}

/* The style template with the number filled in; caller frees. */
static char *
expand(const char *tmpl, int n)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	for (p = tmpl; *p;) {
		if (strncmp(p, "{zh}", 4) == 0) {
			zh_num(n, &b);
			p += 4;
		} else if (strncmp(p, "{n}", 3) == 0) {
			buf_printf(&b, "%d", n);
			p += 3;
		} else {
			buf_addc(&b, *p++);
		}
	}
	if (b.s == NULL)
		buf_adds(&b, "");
	return buf_detach(&b);
}

static char *
trimmed(const char *s)
{
	size_t n = strlen(s);
	char *t;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
		n -= 3;
	t = xstrndup(s, n);
	return t;
}

static void
numbering_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct numbering *nb = c->data;
	const struct result *res = ctx->res;
	int last[NLEVEL + 1];
	int lastparent[NLEVEL + 1];
	size_t i, k;
	int found = 0;
	int *used = xcalloc(res->noutline + 1, sizeof(*used));  /* style level each heading uses */
	/* per parent (index + 1, 0 = none): 1 + the deepest direct child seen */
	size_t *deepest = xcalloc(res->noutline + 1, sizeof(*deepest));

	for (i = 0; i <= NLEVEL; i++) {
		last[i] = 0;
		lastparent[i] = -2;
	}
	for (i = 0; i < res->noutline; i++) {
		const struct outline_node *o = &res->outline[i];
		size_t off = ctx->an->node_head[i].off;
		char *num, *want = NULL, *d = NULL;
		int ok = 0, lv = o->level;

		if (o->kind != NODE_HEADING || o->numbering == NULL || lv < 1 || lv > NLEVEL ||
		    o->number <= 0)
			continue;
		found = 1;
		num = trimmed(o->numbering);
		/*
		 * Below the first level a level may be skipped ("一、" then "1."),
		 * never inverted: the style of this level or of a deeper one than
		 * the parent's.
		 */
		{
			int from = lv, to = lv == 1 ? 1 : NLEVEL, sl;

			if (o->parent >= 0 && (size_t)o->parent < res->noutline && used[o->parent] >= from)
				from = used[o->parent] + 1;
			for (sl = from; sl <= to && !ok; sl++)
				for (k = 0; k < nb->nstyle[sl] && !ok; k++) {
					char *e = expand(nb->style[sl][k], o->number);

					if ((ok = strcmp(e, num) == 0))
						used[i] = sl;
					free(e);
				}
		}
		if (!ok && nb->nstyle[lv]) {
			want = expand(nb->style[lv][0], o->number);
			d = xasprintf("第%d级标题的编号“%s”应写作“%s”", lv, num, want);
			rules_finding_orig(c, ctx, off, strlen(o->numbering), d);
			free(d);
			d = NULL;
		}
		/* a higher level after a lower one under the same parent: 1. then （一） */
		{
			size_t pi = o->parent >= 0 && (size_t)o->parent < res->noutline &&
			    res->outline[o->parent].kind != NODE_TITLE ? (size_t)o->parent + 1 : 0;

			/* (not at the top, where an excerpt may start inside a part) */
			if (pi > 0 && deepest[pi] > 0 && res->outline[deepest[pi] - 1].level > lv) {
				char *low = trimmed(res->outline[deepest[pi] - 1].numbering);

				d = xasprintf("编号“%s”的层次高于前面的“%s”，层次顺序颠倒", num, low);
				rules_finding_orig(c, ctx, off, strlen(o->numbering), d);
				free(d);
				d = NULL;
				free(low);
			} else if (deepest[pi] == 0 || res->outline[deepest[pi] - 1].level < lv) {
				deepest[pi] = i + 1;
			}
		}
		/* sequence among siblings: a new parent restarts the count */
		if (nb->sequence) {
			if (lastparent[lv] != o->parent) {
				lastparent[lv] = o->parent;
				last[lv] = 0;
			}
			if (last[lv] && o->number != last[lv] + 1) {
				struct buf b;
				char *prev;

				buf_init(&b);
				prev = expand(nb->nstyle[lv] ? nb->style[lv][0] : "{n}", last[lv]);
				if (o->number <= last[lv])
					d = xasprintf("编号“%s”重复或倒序（上一个是“%s”）", num, prev);
				else
					d = xasprintf("编号“%s”跳号（上一个是“%s”）", num, prev);
				free(prev);
				buf_release(&b);
				rules_finding_orig(c, ctx, off, strlen(o->numbering), d);
				free(d);
			}
			last[lv] = o->number;
			for (k = (size_t)lv + 1; k <= NLEVEL; k++)
				lastparent[k] = -2;
		}
		free(want);
		free(num);
	}
	free(used);
	free(deepest);
	if (!found && !c->optional)
		rules_unchecked(c, ctx, "没有识别出带编号的标题，无法检查编号");
}

const struct check_kind kind_numbering = {"numbering", numbering_load, numbering_run,
	numbering_free};
