/*
 * kind_length.c: the number of characters (not counting spaces) of the
 * scope within bounds.
 *
 *   length: {min: 150}        length: {min: 1500, max: 8000}
 */
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "utf8.h"

struct length {
	long min, max;  /* 0: no bound */
};

static int
length_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"min", "max", NULL};
	struct length *l = c->data;
	yaml_node_t *v;

	if (l == NULL)
		c->data = l = xcalloc(1, sizeof(*l));
	if (ry_keys(doc, n, keys, "length", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "min")) && ry_int(v, "min", &l->min, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "max")) && ry_int(v, "max", &l->max, err) == -1)
		return -1;
	if (l->min == 0 && l->max == 0)
		return ry_error(n, err, "length 需要 min 或 max");
	return 0;
}

static void
length_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct length *l = c->data;
	const struct doc *d = ctx->doc;
	struct scope sc;
	size_t i, k, cl;
	long n = 0;
	char *det = NULL;

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	/* the report's 字数 is counted once (check.c), the same everywhere */
	if (strcmp(c->scope, "document") == 0 && !rules_example_mode())
		n = ctx->res->chars;
	else for (i = 0; i < sc.n; i++)
		for (k = sc.v[i].off; k < sc.v[i].end && k < d->len; k += cl ? cl : 1) {
			uint32_t cp = utf8_decode(d->text + k, d->len - k, &cl);

			if (cp != ' ' && cp != '\t' && cp != '\n' && cp != '\r' && cp != 0x3000 &&
			    cp != 0xA0)
				n++;
		}
	if (l->min && n < l->min)
		det = xasprintf("只有 %ld 字，少于 %ld 字", n, l->min);
	else if (l->max && n > l->max)
		det = xasprintf("共 %ld 字，超过 %ld 字", n, l->max);
	if (det) {
		if (sc.n && strcmp(c->scope, "document") != 0 && sc.v[0].end > sc.v[0].off) {
			size_t e = sc.v[0].off;

			while (e < d->len && e < sc.v[0].end && d->text[e] != '\n' &&
			    e - sc.v[0].off < 90)
				e++;
			while (e > sc.v[0].off && ((unsigned char)d->text[e] & 0xC0) == 0x80)
				e--;
			rules_finding_orig(c, ctx, sc.v[0].off, e - sc.v[0].off, det);
		} else {
			rules_finding_doc(c, ctx, det);
		}
	}
	free(det);
	scope_release(&sc);
}

const struct check_kind kind_length = {"length", length_load, length_run, free};
