/*
 * kind_placeholder.c: unfilled template text (*次, XX, ××, 某某, 20xx,
 * [待填], empty 〔〕, ＿＿): each named pattern, every match a finding
 * that says what was found.
 *
 *   placeholder:
 *     patterns: [{pattern: '\*(?=[次件场人个项%])', name: 数字用“*”代替，未填写}, ...]
 */
#include <stdio.h>
#include <stdlib.h>

#include "rules_int.h"

struct placeholder {
	struct namedpat *v;
	size_t n;
};

static void
placeholder_free(void *data)
{
	struct placeholder *t = data;

	if (t == NULL)
		return;
	namedpat_free(t->v, t->n);
	free(t);
}

static int
placeholder_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"patterns", "add", NULL};
	struct placeholder *t = c->data;
	yaml_node_t *v;

	if (t == NULL)
		c->data = t = xcalloc(1, sizeof(*t));
	if (ry_keys(doc, n, keys, "placeholder", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "patterns"))) {
		namedpat_free(t->v, t->n);
		t->v = NULL;
		t->n = 0;
		if (namedpat_load(&t->v, &t->n, doc, v, err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, n, "add")) && namedpat_load(&t->v, &t->n, doc, v, err) == -1)
		return -1;
	if (t->n == 0)
		return ry_error(n, err, "placeholder 需要 patterns");
	return 0;
}

static void
placeholder_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct placeholder *t = c->data;
	struct scope sc;
	size_t i, k, b, e, at, mo, ml;
	int rc, shown = 0;

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	for (i = 0; i < sc.n; i++) {
		analysis_norm_span(ctx->an, sc.v[i], &b, &e);
		for (k = 0; k < t->n; k++)
			for (at = b; at < e && shown < RULES_MAX_HITS;) {
				rc = rules_find(c, ctx, &t->v[k].pat, b, e, at, &mo, &ml);
				if (rc < 0)
					goto out;
				if (rc == 0)
					break;
				{
					char *d = xasprintf("“%.*s”：%s", (int)ml, ctx->an->norm.s + mo,
					    t->v[k].name);

					rules_finding_at(c, ctx, mo, ml, d);
					free(d);
				}
				shown++;
				at = mo + (ml ? ml : 1);
			}
	}
out:
	scope_release(&sc);
}

const struct check_kind kind_placeholder = {"placeholder", placeholder_load, placeholder_run,
	placeholder_free};
