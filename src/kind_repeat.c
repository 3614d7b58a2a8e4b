/*
 * kind_repeat.c: a word written twice in a row (存在存在, 的的).  Any run
 * of 2..max_len Chinese characters repeated at once is a finding unless
 * the word is in `allow` (研究研究, 一步一步); a single character repeated
 * only when it is in `single` (的的, 了了 -- not 常常, 人人, 天天) and not
 * part of an AABB form (的的确确).
 *
 *   repeat: {max_len: 4, single: [的, 了, 和], allow: [一步, 研究]}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "utf8.h"

struct repeat {
	long max_len;
	char **single;
	size_t nsingle;
	char **allow;
	size_t nallow;
};

static void
repeat_free(void *data)
{
	struct repeat *t = data;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nsingle; i++)
		free(t->single[i]);
	free(t->single);
	for (i = 0; i < t->nallow; i++)
		free(t->allow[i]);
	free(t->allow);
	free(t);
}

static int
repeat_load(struct check_def *c, yaml_document_t *doc, yaml_node_t *n, struct error *err)
{
	static const char *const keys[] = {"max_len", "single", "allow", NULL};
	struct repeat *t = c->data;
	yaml_node_t *v;

	if (t == NULL) {
		c->data = t = xcalloc(1, sizeof(*t));
		t->max_len = 4;
	}
	if (ry_keys(doc, n, keys, "repeat", err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "max_len")) && ry_int(v, "max_len", &t->max_len, err) == -1)
		return -1;
	if (t->max_len < 1 || t->max_len > 16)
		return ry_error(v, err, "max_len 应为 1 到 16");
	if ((v = ry_get(doc, n, "single")) &&
	    ry_strlist(doc, v, "single", &t->single, &t->nsingle, err) == -1)
		return -1;
	if ((v = ry_get(doc, n, "allow")) &&
	    ry_strlist(doc, v, "allow", &t->allow, &t->nallow, err) == -1)
		return -1;
	return 0;
}

static int
in_list(char **v, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(v[i]) == len && memcmp(v[i], s, len) == 0)
			return 1;
	return 0;
}

static void
repeat_run(const struct check_def *c, struct check_ctx *ctx)
{
	const struct repeat *t = c->data;
	const char *s = ctx->an->norm.s;
	struct scope sc;
	size_t i, b, e, k, n, cap = 0;
	uint32_t *cp = NULL;
	size_t *off = NULL;
	int shown = 0;

	if (rules_scope(c, ctx, &sc) != 0)
		return;
	for (i = 0; i < sc.n; i++) {
		analysis_norm_span(ctx->an, sc.v[i], &b, &e);
		/* code points with their offsets */
		n = 0;
		for (k = b; k < e;) {
			size_t l;
			uint32_t u = utf8_decode(s + k, e - k, &l);

			if (n + 2 > cap) {
				xgrow(&cp, &cap, n + 2, sizeof(*cp));
				off = xrealloc(off, cap * sizeof(*off));
			}
			cp[n] = u;
			off[n++] = k;
			k += l ? l : 1;
		}
		if (n == 0)
			continue;
		off[n] = e;  /* off holds cap >= n + 1 entries */
		for (k = 0; k < n && shown < RULES_MAX_HITS; k++) {
			long L;

			if (!utf8_is_han(cp[k]))
				continue;
			for (L = t->max_len; L >= 1; L--) {
				size_t j;
				int same = 1;

				if (k + 2 * (size_t)L > n)
					continue;
				for (j = 0; j < (size_t)L && same; j++)
					same = utf8_is_han(cp[k + j]) && cp[k + j] == cp[k + L + j];
				if (!same)
					continue;
				{
					const char *w = s + off[k];
					size_t wl = off[k + L] - off[k];

					if (L == 1 && (!in_list(t->single, t->nsingle, w, wl) ||
							  (k + 3 < n && cp[k + 2] == cp[k + 3])))
						continue;
					if (L > 1 && in_list(t->allow, t->nallow, w, wl))
						continue;
					/* the X?X?X rhythm of 共建共治共享, 联防联控联治 */
					if (L == 2 && k + 5 < n && cp[k + 5] == cp[k + 1])
						continue;
					if (L == 2 && k > 0 && cp[k - 1] == cp[k + 1])
						continue;
					/* straddling 一X一Y (高校一校一策): not a repeated word */
					if (L == 2 && cp[k + 1] == 0x4E00)
						continue;
					{
						char *d = xasprintf("“%.*s”重复", (int)(2 * wl), w);

						rules_finding_at(c, ctx, off[k], 2 * wl, d);
						free(d);
					}
					shown++;
					k += 2 * (size_t)L - 1;
					break;
				}
			}
		}
	}
	free(cp);
	free(off);
	scope_release(&sc);
}

const struct check_kind kind_repeat = {"repeat", repeat_load, repeat_run, repeat_free};
