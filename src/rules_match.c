/*
 * rules_match.c: PCRE2 patterns of the rule packs -- compiled once
 * (UTF|UCP, JIT where the library has it), matched with per-thread match
 * data and JIT stack, under a match limit and a depth limit so that a
 * runaway pattern ends in "not checked", never a hang.  The subject is
 * the analysis text, validated once, so every match passes NO_UTF_CHECK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "utf8.h"

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct matcher {
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *js;
};

struct matcher *
matcher_new(void)
{
	struct matcher *m = xcalloc(1, sizeof(*m));

	m->md = pcre2_match_data_create(16, NULL);
	m->mc = pcre2_match_context_create(NULL);
	if (m->md == NULL || m->mc == NULL) {
		fprintf(stderr, "fzreport: out of memory\n");
		exit(6);
	}
	pcre2_set_match_limit(m->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mc, DEPTH_LIMIT);
	m->js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (m->js)
		pcre2_jit_stack_assign(m->mc, NULL, m->js);
	return m;
}

void
matcher_free(struct matcher *m)
{
	if (m == NULL)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mc);
	if (m->js)
		pcre2_jit_stack_free(m->js);
	free(m);
}

int
pattern_find(struct matcher *m, const struct pattern *pat, const char *s, size_t n, size_t start,
	size_t *mo, size_t *ml)
{
	int rc;
	PCRE2_SIZE *ov;

	if (pat->re == NULL || start > n)
		return 0;
	rc = pcre2_match(pat->re, (PCRE2_SPTR)s, n, start, PCRE2_NO_UTF_CHECK, m->md, m->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return -1;
	ov = pcre2_get_ovector_pointer(m->md);
	*mo = ov[0];
	*ml = ov[1] > ov[0] ? ov[1] - ov[0] : 0;
	return 1;
}

/* Byte range of capture group i (by number) of the last match; 0 if unset. */
int
pattern_group(struct matcher *m, int i, size_t *go, size_t *gl)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);

	if ((uint32_t)i >= pcre2_get_ovector_count(m->md) || ov[2 * i] == PCRE2_UNSET)
		return 0;
	*go = ov[2 * i];
	*gl = ov[2 * i + 1] - ov[2 * i];
	return 1;
}

/* Byte range of the named group of the last match of pat; 0 if unset. */
int
pattern_named(struct matcher *m, const struct pattern *pat, const char *name, size_t *go,
	size_t *gl)
{
	int i = pcre2_substring_number_from_name(pat->re, (PCRE2_SPTR)name);

	if (i < 0)
		return 0;
	return pattern_group(m, i, go, gl);
}

int rules_strict;

int
pattern_compile(struct pattern *pat, const char *src, yaml_node_t *n, struct error *err)
{
	int ec;
	PCRE2_SIZE eo;
	PCRE2_UCHAR buf[256];

	memset(pat, 0, sizeof(*pat));
	pat->line = n ? (int)n->start_mark.line + 1 : 0;
	pat->column = n ? (int)n->start_mark.column + 1 : 0;
	if (utf8_invalid(src, strlen(src)) != (size_t)-1)
		return ry_error(n, err, "正则表达式不是有效的 UTF-8");
	/* \C matches one byte: it would split characters and print invalid UTF-8 */
	pat->re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C, &ec, &eo, NULL);
	if (pat->re == NULL) {
		int col = pat->column;

		pcre2_get_error_message(ec, buf, sizeof(buf));
		/* a quoted scalar starts one character after its mark */
		if (n && n->type == YAML_SCALAR_NODE &&
		    (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE))
			col++;
		col += (int)utf8_count(src, eo);
		ry_error(n, err, "正则表达式错误（第 %zu 个字符）：%s：%s", (size_t)eo, (char *)buf,
		    src);
		err->column = col;
		err->offset = (long)eo;
		return -1;
	}
	/* a pattern that matches nothing at all fires (or is satisfied) at
	 * every position of every report */
	if (rules_strict) {
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(pat->re, NULL);
		int rc = pcre2_match(pat->re, (PCRE2_SPTR) "", 0, 0, 0, md, NULL);

		pcre2_match_data_free(md);
		if (rc >= 0) {
			pcre2_code_free(pat->re);
			pat->re = NULL;
			return ry_error(n, err, "正则表达式能匹配空字符串：%s", src);
		}
	}
	/* FZREPORT_NOJIT (tests/run under valgrind, which cannot follow JIT code) */
	if (getenv("FZREPORT_NOJIT") == NULL)
		pcre2_jit_compile(pat->re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
	pat->src = xstrdup(src);
	return 0;
}

void
pattern_release(struct pattern *pat)
{
	free(pat->src);
	if (pat->re)
		pcre2_code_free(pat->re);
	memset(pat, 0, sizeof(*pat));
}

/*
 * A name for people of what src matches: its first alternative when that
 * is a plain word ("楷体|楷书|KaiTi" and "(?:楷体)|(?:KaiTi)" give 楷体),
 * NULL when the pattern has other syntax (the rule file must name it).
 */
char *
pattern_label(const char *src)
{
	const char *p = src, *e;
	size_t n;

	if (src == NULL)
		return NULL;
	if (strncmp(p, "(?:", 3) == 0) {
		p += 3;
		e = strchr(p, ')');
		if (e == NULL || (e[1] != '\0' && e[1] != '|'))
			return NULL;
	} else {
		e = strchr(p, '|');
		if (e == NULL)
			e = p + strlen(p);
	}
	n = (size_t)(e - p);
	if (n == 0)
		return NULL;
	for (const char *q = p; q < e; q++)
		if (strchr("\\^$.|?*+()[]{}", *q))
			return NULL;
	return xstrndup(p, n);
}

char *
pattern_join_words(char **w, size_t n)
{
	struct buf b;
	size_t i;
	const char *p;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, '|');
		for (p = w[i]; *p; p++) {
			if (strchr("\\^$.|?*+()[]{}", *p))
				buf_addc(&b, '\\');
			buf_addc(&b, *p);
		}
	}
	return buf_detach(&b);
}

int
pattern_from_node(struct pattern *pat, yaml_document_t *doc, yaml_node_t *n, const char *what,
	struct error *err)
{
	char **v = NULL;
	size_t nv = 0, i;
	struct buf b;
	int rc;

	if (n && n->type == YAML_SCALAR_NODE)
		return pattern_compile(pat, (char *)n->data.scalar.value, n, err);
	if (ry_strlist(doc, n, what, &v, &nv, err) == -1) {
		for (i = 0; i < nv; i++)
			free(v[i]);
		free(v);
		return -1;
	}
	/* each alternative on its own first, so an error points at its line */
	for (i = 0; i < nv; i++) {
		struct pattern t;
		yaml_node_t *x = yaml_document_get_node(doc, n->data.sequence.items.start[i]);

		if (pattern_compile(&t, v[i], x, err) == -1) {
			for (i = 0; i < nv; i++)
				free(v[i]);
			free(v);
			return -1;
		}
		pattern_release(&t);
	}
	buf_init(&b);
	for (i = 0; i < nv; i++) {
		buf_printf(&b, "%s(?:%s)", i ? "|" : "", v[i]);
		free(v[i]);
	}
	free(v);
	rc = pattern_compile(pat, b.s ? b.s : "(*FAIL)", n, err);
	buf_release(&b);
	return rc;
}

int
textpat_load(struct textpat *t, yaml_document_t *doc, yaml_node_t *map, struct error *err)
{
	yaml_node_t *v;
	struct buf b;
	char *w;
	int rc;

	if ((v = ry_get(doc, map, "raw")) && ry_bool(v, "raw", &t->raw, err) == -1)
		return -1;
	if ((v = ry_get(doc, map, "pattern"))) {
		struct pattern one;
		char **alt = NULL;
		size_t nalt = 0, i;

		if (pattern_from_node(&one, doc, v, "pattern", err) == -1)
			return -1;
		pattern_release(&one);
		if (ry_strlist(doc, v, "pattern", &alt, &nalt, err) == -1)
			return -1;
		buf_init(&b);
		for (i = 0; i < nalt; i++) {
			buf_printf(&b, "%s(?:%s)", i ? "|" : "", alt[i]);
			free(alt[i]);
		}
		free(alt);
		free(t->regex);
		t->regex = buf_detach(&b);
	}
	if ((v = ry_get(doc, map, "words"))) {
		size_t i;

		for (i = 0; i < t->nwords; i++)
			free(t->words[i]);
		free(t->words);
		t->words = NULL;
		t->nwords = 0;
		if (ry_strlist(doc, v, "words", &t->words, &t->nwords, err) == -1)
			return -1;
	}
	if ((v = ry_get(doc, map, "add")) &&
	    ry_strlist(doc, v, "add", &t->words, &t->nwords, err) == -1)
		return -1;
	if (t->regex == NULL && t->nwords == 0)
		return ry_error(map, err, "需要 pattern 或 words");
	buf_init(&b);
	if (t->regex)
		buf_printf(&b, "(?:%s)", t->regex);
	if (t->nwords) {
		w = pattern_join_words(t->words, t->nwords);
		buf_printf(&b, "%s(?:%s)", t->regex ? "|" : "", w);
		free(w);
	}
	pattern_release(&t->pat);
	rc = pattern_compile(&t->pat, b.s, map, err);
	buf_release(&b);
	return rc;
}

void
textpat_release(struct textpat *t)
{
	size_t i;

	free(t->regex);
	for (i = 0; i < t->nwords; i++)
		free(t->words[i]);
	free(t->words);
	pattern_release(&t->pat);
	memset(t, 0, sizeof(*t));
}

int
namedpat_load(struct namedpat **v, size_t *n, yaml_document_t *doc, yaml_node_t *list,
	struct error *err)
{
	static const char *const keys[] = {"pattern", "name", NULL};
	yaml_node_item_t *it;

	if (list == NULL || list->type != YAML_SEQUENCE_NODE)
		return ry_error(list, err, "应为 {pattern, name} 的列表");
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(doc, *it), *p, *nm;
		const char *name;

		if (ry_keys(doc, e, keys, "pattern 项", err) == -1)
			return -1;
		if ((p = ry_get(doc, e, "pattern")) == NULL)
			return ry_error(e, err, "缺少 pattern");
		if ((nm = ry_get(doc, e, "name")) == NULL)
			return ry_error(e, err, "缺少 name（写明找到的是什么）");
		if ((name = ry_str(nm, "name", err)) == NULL)
			return -1;
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		if (pattern_from_node(&(*v)[*n].pat, doc, p, "pattern", err) == -1)
			return -1;
		(*v)[*n].name = xstrdup(name);
		(*n)++;
	}
	return 0;
}

void
namedpat_free(struct namedpat *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		pattern_release(&v[i].pat);
		free(v[i].name);
	}
	free(v);
}
