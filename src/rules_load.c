/*
 * rules_load.c: rule packs from YAML (libyaml's document API).
 *
 * A file is a mapping: name, version, description, include (paths
 * relative to the file), sections, checks (new rules) and override
 * (changes to rules loaded before: only the keys given change; an id
 * nobody defined is an error).  Every problem of a file is collected with
 * its file:line:column, not only the first, so that a clerk fixing a
 * county pack sees them all at once.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules_int.h"
#include "textindex.h"

#define MAX_INCLUDE_DEPTH 8
#define MAX_RULE_FILE (4u << 20)

struct loader {
	struct rulepack *p;
	rules_problem_fn fn;
	void *arg;
	int nprob;
	const char *file;
	yaml_document_t *doc;
	int depth;
	char **seen; /* real paths of the files loaded, so none is loaded twice */
	size_t nseen, cseen;
};

static const char *const pack_keys[] = {"name", "version", "description", "include", "sections",
	"checks", "override", NULL};
static const char *const section_keys[] = {"id", "name", "rule", "severity", "inline_severity",
	"message", "inline_message", "source", "hint", "headings", "inline", "level2", "fallback", "late",
	"kinds", NULL};
static const char *const check_keys[] = {"id", "severity", "message", "source", "hint", "scope",
	"enabled", "examples", "optional", "year_min", "year_max", "yields_to", "fix", "unless_title",
	NULL};
static const char *const override_section_keys[] = {"id", "severity", "inline_severity",
	"enabled", "message", "inline_message", "hint", "source", NULL};

void
rules_init(struct rulepack *p)
{
	memset(p, 0, sizeof(*p));
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
section_release(struct section_def *s)
{
	size_t i;

	free(s->id);
	free(s->name);
	free(s->rule);
	free(s->message);
	free(s->inline_message);
	free(s->source);
	free(s->hint);
	for (i = 0; i < s->nheading; i++)
		pattern_release(&s->heading[i]);
	free(s->heading);
	for (i = 0; i < s->ninline; i++)
		pattern_release(&s->inline_[i]);
	free(s->inline_);
}

static void problem(struct loader *L, const struct error *e);

static void
fix_release(struct check_def *c)
{
	size_t i;

	for (i = 0; i < c->nfix; i++) {
		if (c->fix[i].from.re != NULL)
			pattern_release(&c->fix[i].from);
		if (c->fix[i].message.re != NULL)
			pattern_release(&c->fix[i].message);
		free(c->fix[i].to);
	}
	free(c->fix);
	c->fix = NULL;
	c->nfix = 0;
}

/*
 * fix: a replacement string (the whole marked text), a mapping
 * {from: REGEX, to: TEXT} or a list of such mappings.  0 or -1.
 */
static int
load_fix(struct loader *L, struct check_def *c, yaml_node_t *n)
{
	static const char *const keys[] = {"from", "message", "to", NULL};
	yaml_node_item_t *it, *start, *top;
	yaml_node_t *x, *f, *t, *m;
	struct error e;
	const char *s;

	fix_release(c);
	if (n->type == YAML_SCALAR_NODE) {
		if ((s = ry_str(n, "fix", &e)) == NULL)
			goto bad;
		c->fix = xcalloc(1, sizeof(*c->fix));
		c->fix[0].to = xstrdup(s);
		c->nfix = 1;
		return 0;
	}
	if (n->type == YAML_MAPPING_NODE) {
		start = NULL;
		top = NULL;
	} else if (n->type == YAML_SEQUENCE_NODE) {
		start = n->data.sequence.items.start;
		top = n->data.sequence.items.top;
	} else {
		ry_error(n, &e, "“fix”应为替换文字、{from: 正则, to: 文字} 或其列表");
		goto bad;
	}
	for (it = start;; it++) {
		if (start != NULL && it >= top)
			break;
		x = start != NULL ? yaml_document_get_node(L->doc, *it) : n;
		if (x == NULL || x->type != YAML_MAPPING_NODE) {
			ry_error(x ? x : n, &e, "“fix”的每一项应为 {from: 正则, to: 文字}");
			goto bad;
		}
		if (ry_keys(L->doc, x, keys, "fix", &e) == -1)
			goto bad;
		f = ry_get(L->doc, x, "from");
		m = ry_get(L->doc, x, "message");
		t = ry_get(L->doc, x, "to");
		if ((f == NULL) == (m == NULL) || t == NULL) {
			ry_error(x, &e, "“fix”的每一项都要有 to，以及 from 或 message 之一");
			goto bad;
		}
		if ((s = ry_str(t, "to", &e)) == NULL)
			goto bad;
		if (f == NULL)
			f = m;
		c->fix = xrealloc(c->fix, (c->nfix + 1) * sizeof(*c->fix));
		memset(&c->fix[c->nfix], 0, sizeof(*c->fix));
		if (f->type != YAML_SCALAR_NODE) {
			ry_error(f, &e, "“%s”应为正则表达式", f == m ? "message" : "from");
			goto bad;
		}
		/* matched by PCRE2 alone (rules_fix_apply()) */
		if (pattern_compile_plain(f == m ? &c->fix[c->nfix].message : &c->fix[c->nfix].from,
			(char *)f->data.scalar.value, f, &e) == -1)
			goto bad;
		c->fix[c->nfix].to = xstrdup(s);
		c->nfix++;
		if (start == NULL)
			break;
	}
	return 0;
bad:
	problem(L, &e);
	fix_release(c);
	return -1;
}

/* to with $N / ${N} replaced by group N of the match of pat in msg; NULL if no match. */
static char *
fix_from_message(const struct pattern *pat, const char *msg, const char *to)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(pat->re, NULL);
	PCRE2_SIZE *ov;
	struct buf b;
	int rc;

	rc = pcre2_match(pattern_code(pat), (PCRE2_SPTR)msg, strlen(msg), 0, 0, md, NULL);
	if (rc <= 0) {
		pcre2_match_data_free(md);
		return NULL;
	}
	ov = pcre2_get_ovector_pointer(md);
	buf_init(&b);
	while (*to) {
		if (to[0] == '$' && ((to[1] >= '0' && to[1] <= '9') || to[1] == '{')) {
			const char *p = to + 1 + (to[1] == '{');
			char *end;
			long g = strtol(p, &end, 10);

			if (to[1] == '{' && *end == '}')
				end++;
			if (g >= 0 && g < rc && ov[2 * g] != PCRE2_UNSET)
				buf_add(&b, msg + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
			to = end;
			continue;
		}
		if (to[0] == '$' && to[1] == '$')
			to++;
		buf_addc(&b, *to++);
	}
	pcre2_match_data_free(md);
	if (b.len == 0) {
		buf_release(&b);
		return xstrdup("");
	}
	return buf_detach(&b);
}

char *
rules_fix_apply(const struct check_def *c, const char *msg, const char *s, size_t n)
{
	struct buf cur;
	size_t i;

	if (c == NULL || c->nfix == 0)
		return NULL;
	buf_init(&cur);
	buf_add(&cur, s, n);
	for (i = 0; i < c->nfix; i++) {
		const struct fix_def *f = &c->fix[i];
		PCRE2_SIZE outlen;
		PCRE2_UCHAR *out;
		int rc;

		if (f->message.re != NULL) {
			char *t = fix_from_message(&f->message, msg ? msg : "", f->to);

			if (t != NULL) {
				cur.len = 0;
				buf_adds(&cur, t);
				free(t);
			}
			continue;
		}
		if (f->from.re == NULL) {
			cur.len = 0;
			buf_adds(&cur, f->to);
			continue;
		}
		outlen = cur.len * 2 + strlen(f->to) * 4 + 64;
		for (;;) {
			out = xmalloc(outlen);
			rc = pcre2_substitute(f->from.re, (PCRE2_SPTR)cur.s, cur.len, 0,
			    PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH, NULL, NULL,
			    (PCRE2_SPTR)f->to, PCRE2_ZERO_TERMINATED, out, &outlen);
			if (rc != PCRE2_ERROR_NOMEMORY)
				break;
			free(out);
		}
		if (rc > 0) {
			cur.len = 0;
			buf_add(&cur, (char *)out, outlen);
		}
		free(out);
	}
	if (cur.len == n && memcmp(cur.s, s, n) == 0) {
		buf_release(&cur);
		return NULL;
	}
	return buf_detach(&cur);
}

static void
check_release(struct check_def *c)
{
	free(c->id);
	free(c->message);
	free(c->source);
	free(c->hint);
	free(c->scope);
	if (c->kind && c->kind->free && c->data)
		c->kind->free(c->data);
	free_strv(c->fires, c->nfires);
	free_strv(c->passes, c->npasses);
	free_strv(c->yields, c->nyields);
	free_strv(c->fixed, c->nfixed);
	fix_release(c);
	if (c->unless_title) {
		pattern_release(c->unless_title);
		free(c->unless_title);
	}
	free(c->file);
}

void
rules_release(struct rulepack *p)
{
	size_t i;

	if (p->keys) {
		textindex_keys_release(p->keys);
		free(p->keys);
	}
	free(p->name);
	free(p->version);
	free(p->description);
	for (i = 0; i < p->npack; i++) {
		free(p->packs[i].name);
		free(p->packs[i].version);
	}
	free(p->packs);
	for (i = 0; i < p->nsection; i++)
		section_release(&p->sections[i]);
	free(p->sections);
	for (i = 0; i < p->ncheck; i++)
		check_release(&p->checks[i]);
	free(p->checks);
	memset(p, 0, sizeof(*p));
}

const struct section_def *
rules_section(const struct rulepack *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nsection; i++)
		if (strcmp(p->sections[i].id, id) == 0)
			return &p->sections[i];
	return NULL;
}

const struct check_def *
rules_check(const struct rulepack *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ncheck; i++)
		if (strcmp(p->checks[i].id, id) == 0)
			return &p->checks[i];
	return NULL;
}

/*
 * $FZREPORT_RULES; else rules/ beside the binary (a build tree: the
 * binary sits in the repository root); else the installed FZ_DATADIR.
 */
const char *
rules_default_path(void)
{
	static char path[PATH_MAX + 8];
	const char *e = getenv("FZREPORT_RULES");
	char exe[PATH_MAX];

	if (e && *e)
		return e;
	if (exe_dir(exe, sizeof(exe)) == 0) {
		int up;

		/* the binary's directory, and its parent (build-asan/fzreport) */
		for (up = 0; up < 2; up++) {
			char *d;

			if (snprintf(path, sizeof(path), "%s/rules/default.yaml", exe) <
				(int)sizeof(path) &&
			    access(path, R_OK) == 0) {
				snprintf(path, sizeof(path), "%s/rules", exe);
				return path;
			}
			if ((d = strrchr(exe, '/')) == NULL)
				break;
			*d = '\0';
		}
	}
#ifdef FZ_DATADIR
	return FZ_DATADIR "/rules";
#else
	return "rules";
#endif
}

/* ---- the loader ---- */

static void
problem(struct loader *L, const struct error *e)
{
	L->nprob++;
	if (L->fn)
		L->fn(L->arg, L->file, e->line > 0 ? (int)e->line : 0,
		    e->column > 0 ? (int)e->column : 0, e->msg);
}

static int
parse_severity(yaml_node_t *n, enum severity *out, struct error *err)
{
	const char *s = ry_str(n, "severity", err);

	if (s == NULL)
		return -1;
	*out = severity_parse(s);
	if (*out == SEV_NONE || *out == SEV_FATAL)
		return ry_error(n, err, "未知的严重程度“%s”（应为 error、warning 或 info）", s);
	return 0;
}

static char *
dupstr(yaml_node_t *n, const char *what, struct error *err, int *bad)
{
	const char *s;

	if (n == NULL)
		return NULL;
	s = ry_str(n, what, err);
	if (s == NULL) {
		*bad = 1;
		return NULL;
	}
	return xstrdup(s);
}

static int
load_patterns(struct loader *L, yaml_node_t *n, const char *what, struct pattern **v, size_t *nv)
{
	yaml_node_item_t *it;
	struct error e;
	int bad = 0;

	if (n == NULL)
		return 0;
	if (n->type == YAML_SCALAR_NODE) {
		*v = xrealloc(*v, (*nv + 1) * sizeof(**v));
		if (pattern_compile(&(*v)[*nv], (char *)n->data.scalar.value, n, &e) == -1) {
			problem(L, &e);
			return -1;
		}
		(*nv)++;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		ry_error(n, &e, "“%s”应为正则表达式或其列表", what);
		problem(L, &e);
		return -1;
	}
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *x = yaml_document_get_node(L->doc, *it);

		if (x == NULL || x->type != YAML_SCALAR_NODE) {
			ry_error(x, &e, "“%s”的每一项应为正则表达式", what);
			problem(L, &e);
			bad = 1;
			continue;
		}
		*v = xrealloc(*v, (*nv + 1) * sizeof(**v));
		if (pattern_compile(&(*v)[*nv], (char *)x->data.scalar.value, x, &e) == -1) {
			problem(L, &e);
			bad = 1;
			continue;
		}
		(*nv)++;
	}
	return bad ? -1 : 0;
}

static void
load_section(struct loader *L, yaml_node_t *n)
{
	struct rulepack *p = L->p;
	struct section_def s;
	struct textindex_keys *keys;
	struct error e;
	yaml_node_t *v;
	int bad = 0, b;

	memset(&s, 0, sizeof(s));
	s.missing = SEV_NONE;
	s.inline_sev = SEV_NONE;
	if (ry_keys(L->doc, n, section_keys, "section", &e) == -1) {
		problem(L, &e);
		if (n == NULL || n->type != YAML_MAPPING_NODE)
			return;
		bad = 1;
	}
	s.line = (int)n->start_mark.line + 1;
	s.column = (int)n->start_mark.column + 1;
	v = ry_get(L->doc, n, "id");
	if (v == NULL) {
		ry_error(n, &e, "section 缺少 id");
		problem(L, &e);
		bad = 1;
	} else if ((s.id = dupstr(v, "id", &e, &b)) == NULL) {
		problem(L, &e);
		bad = 1;
	} else if (rules_section(p, s.id)) {
		ry_error(v, &e, "重复的 section id“%s”", s.id);
		problem(L, &e);
		bad = 1;
	}
#define STR(field, key)                                              \
	do {                                                         \
		b = 0;                                               \
		s.field = dupstr(ry_get(L->doc, n, key), key, &e, &b); \
		if (b) {                                             \
			problem(L, &e);                              \
			bad = 1;                                     \
		}                                                    \
	} while (0)
	STR(name, "name");
	STR(rule, "rule");
	STR(message, "message");
	STR(inline_message, "inline_message");
	STR(source, "source");
	STR(hint, "hint");
#undef STR
	if ((v = ry_get(L->doc, n, "severity")) && parse_severity(v, &s.missing, &e) == -1) {
		problem(L, &e);
		bad = 1;
	}
	if ((v = ry_get(L->doc, n, "inline_severity")) &&
	    parse_severity(v, &s.inline_sev, &e) == -1) {
		problem(L, &e);
		bad = 1;
	}
	if ((v = ry_get(L->doc, n, "level2")) && ry_bool(v, "level2", &s.level2, &e) == -1) {
		problem(L, &e);
		bad = 1;
	}
	if ((v = ry_get(L->doc, n, "fallback")) && ry_bool(v, "fallback", &s.fallback, &e) == -1) {
		problem(L, &e);
		bad = 1;
	}
	if ((v = ry_get(L->doc, n, "late")) && ry_bool(v, "late", &s.late, &e) == -1) {
		problem(L, &e);
		bad = 1;
	}
	if ((v = ry_get(L->doc, n, "kinds"))) {
		char **k = NULL;
		size_t nk = 0, i;

		if (ry_strlist(L->doc, v, "kinds", &k, &nk, &e) == -1) {
			problem(L, &e);
			bad = 1;
		}
		for (i = 0; i < nk; i++) {
			enum unit_kind uk = unit_kind_parse(k[i]);

			if (uk == UNIT_UNKNOWN) {
				ry_error(v, &e, "未知的单位类型“%s”", k[i]);
				problem(L, &e);
				bad = 1;
			} else {
				s.kinds |= 1u << uk;
			}
		}
		free_strv(k, nk);
	}
	/* the sections are found before the text index is built, without it:
	 * their literals are none of its keys */
	keys = pattern_keys();
	pattern_collect_keys(NULL);
	if (load_patterns(L, ry_get(L->doc, n, "headings"), "headings", &s.heading, &s.nheading) ==
		-1 ||
	    load_patterns(L, ry_get(L->doc, n, "inline"), "inline", &s.inline_, &s.ninline) == -1)
		bad = 1;
	pattern_collect_keys(keys);
	if (s.missing != SEV_NONE && s.inline_sev == SEV_NONE)
		s.inline_sev = s.missing;
	if (bad) {
		section_release(&s);
		return;
	}
	p->sections = xrealloc(p->sections, (p->nsection + 1) * sizeof(s));
	p->sections[p->nsection++] = s;
}

/* The one kind key of a check mapping, or NULL (err set). */
static const struct check_kind *
find_kind(struct loader *L, yaml_node_t *n, yaml_node_t **val, struct error *err, int need)
{
	const struct check_kind *found = NULL;
	yaml_node_pair_t *pr;

	*val = NULL;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(L->doc, pr->key);
		const struct check_kind *kd;
		int i, common = 0;

		if (k == NULL || k->type != YAML_SCALAR_NODE)
			continue;
		for (i = 0; check_keys[i] && !common; i++)
			if (check_keys[i][0] == (char)k->data.scalar.value[0] &&
			    strcmp(check_keys[i], (char *)k->data.scalar.value) == 0)
				common = 1;
		if (common)
			continue;
		kd = rules_kind_find((char *)k->data.scalar.value);
		if (kd == NULL) {
			ry_error(k, err, "check 中有未知的键“%s”", (char *)k->data.scalar.value);
			return NULL;
		}
		if (found) {
			ry_error(k, err, "一条规则只能有一种检查（已有 %s，又有 %s）", found->name,
			    kd->name);
			return NULL;
		}
		found = kd;
		*val = yaml_document_get_node(L->doc, pr->value);
	}
	if (found == NULL && need)
		ry_error(n, err, "check 缺少检查种类（require、forbid、length 等之一）");
	return found;
}

static int
valid_scope(struct loader *L, const char *s, yaml_node_t *n, struct error *e)
{
	static const char *const fields[] = {"title", "unit", "parent", "doc_number", "addressee",
		"signatory", "date", NULL};
	int i;

	if (strcmp(s, "document") == 0 || strcmp(s, "title") == 0 || strcmp(s, "heading") == 0 ||
	    strcmp(s, "paragraph") == 0 || strcmp(s, "layout") == 0 || strcmp(s, "body") == 0 ||
	    strcmp(s, "runin") == 0)
		return 0;
	if (strncmp(s, "section:", 8) == 0) {
		if (rules_section(L->p, s + 8) == NULL)
			return ry_error(n, e, "scope 引用了未定义的 section“%s”", s + 8);
		return 0;
	}
	if (strncmp(s, "meta:", 5) == 0) {
		for (i = 0; fields[i]; i++)
			if (strcmp(fields[i], s + 5) == 0)
				return 0;
		return ry_error(n, e, "未知的元数据字段“%s”", s + 5);
	}
	return ry_error(n, e,
	    "未知的 scope“%s”（应为 document、title、heading、paragraph、section:ID、meta:字段 或 layout）",
	    s);
}

/* The keys a check and an override share; bad set on a problem. */
static void
check_common(struct loader *L, struct check_def *c, yaml_node_t *n, int *bad)
{
	struct error e;
	yaml_node_t *v;
	int b;

#define STR(field, key)                                                   \
	do {                                                              \
		if ((v = ry_get(L->doc, n, key)) == NULL)                  \
			break;                                            \
		b = 0;                                                    \
		{                                                         \
			char *t = dupstr(v, key, &e, &b);                 \
			if (b) {                                          \
				problem(L, &e);                           \
				*bad = 1;                                 \
			} else {                                          \
				free(c->field);                           \
				c->field = t;                             \
			}                                                 \
		}                                                         \
	} while (0)
	STR(message, "message");
	STR(source, "source");
	STR(hint, "hint");
	STR(scope, "scope");
#undef STR
	if ((v = ry_get(L->doc, n, "scope")) && c->scope && valid_scope(L, c->scope, v, &e) == -1) {
		problem(L, &e);
		*bad = 1;
	}
	if ((v = ry_get(L->doc, n, "severity")) && parse_severity(v, &c->severity, &e) == -1) {
		problem(L, &e);
		*bad = 1;
	}
	if ((v = ry_get(L->doc, n, "enabled")) && ry_bool(v, "enabled", &c->enabled, &e) == -1) {
		problem(L, &e);
		*bad = 1;
	}
	if ((v = ry_get(L->doc, n, "optional")) &&
	    ry_bool(v, "optional", &c->optional, &e) == -1) {
		problem(L, &e);
		*bad = 1;
	}
	if ((v = ry_get(L->doc, n, "year_min"))) {
		long y;

		if (ry_int(v, "year_min", &y, &e) == -1) {
			problem(L, &e);
			*bad = 1;
		} else {
			c->year_min = (int)y;
		}
	}
	if ((v = ry_get(L->doc, n, "year_max"))) {
		long y;

		if (ry_int(v, "year_max", &y, &e) == -1) {
			problem(L, &e);
			*bad = 1;
		} else {
			c->year_max = (int)y;
		}
	}
	if ((v = ry_get(L->doc, n, "yields_to"))) {
		free_strv(c->yields, c->nyields);
		c->yields = NULL;
		c->nyields = 0;
		if (ry_strlist(L->doc, v, "yields_to", &c->yields, &c->nyields, &e) == -1) {
			problem(L, &e);
			*bad = 1;
		}
	}
	if ((v = ry_get(L->doc, n, "unless_title"))) {
		struct pattern *p = xcalloc(1, sizeof(*p));
		struct textindex_keys *keys = pattern_keys();
		int rc;

		/* matched against the title alone, without the index: no keys */
		pattern_collect_keys(NULL);
		rc = pattern_from_node(p, L->doc, v, "unless_title", &e);
		pattern_collect_keys(keys);
		if (rc == -1) {
			pattern_release(p);
			free(p);
			problem(L, &e);
			*bad = 1;
		} else {
			if (c->unless_title) {
				pattern_release(c->unless_title);
				free(c->unless_title);
			}
			c->unless_title = p;
		}
	}
	if ((v = ry_get(L->doc, n, "fix")) && load_fix(L, c, v) == -1)
		*bad = 1;
	if ((v = ry_get(L->doc, n, "examples"))) {
		static const char *const ex_keys[] = {"fires", "passes", "fixed", NULL};
		yaml_node_t *x;

		if (ry_keys(L->doc, v, ex_keys, "examples", &e) == -1) {
			problem(L, &e);
			*bad = 1;
		} else {
			if ((x = ry_get(L->doc, v, "fires"))) {
				free_strv(c->fires, c->nfires);
				c->fires = NULL;
				c->nfires = 0;
				if (ry_strlist(L->doc, x, "fires", &c->fires, &c->nfires, &e) == -1) {
					problem(L, &e);
					*bad = 1;
				}
			}
			if ((x = ry_get(L->doc, v, "fixed"))) {
				free_strv(c->fixed, c->nfixed);
				c->fixed = NULL;
				c->nfixed = 0;
				if (ry_strlist(L->doc, x, "fixed", &c->fixed, &c->nfixed, &e) == -1) {
					problem(L, &e);
					*bad = 1;
				}
			}
			if ((x = ry_get(L->doc, v, "passes"))) {
				free_strv(c->passes, c->npasses);
				c->passes = NULL;
				c->npasses = 0;
				if (ry_strlist(L->doc, x, "passes", &c->passes, &c->npasses, &e) ==
				    -1) {
					problem(L, &e);
					*bad = 1;
				}
			}
		}
	}
}

static struct check_def *
find_check(struct rulepack *p, const char *id)
{
	return (struct check_def *)rules_check(p, id);
}

static void
load_check(struct loader *L, yaml_node_t *n)
{
	struct rulepack *p = L->p;
	struct check_def c;
	struct error e;
	yaml_node_t *v, *kv;
	int bad = 0, b = 0;
	const char *req[] = {"message", "source", NULL};
	int i;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.severity = SEV_WARNING;
	if (n == NULL || n->type != YAML_MAPPING_NODE) {
		ry_error(n, &e, "check 应为映射（键: 值）");
		problem(L, &e);
		return;
	}
	c.line = (int)n->start_mark.line + 1;
	c.column = (int)n->start_mark.column + 1;
	c.file = xstrdup(L->file);
	v = ry_get(L->doc, n, "id");
	if (v == NULL) {
		ry_error(n, &e, "check 缺少 id");
		problem(L, &e);
		bad = 1;
	} else if ((c.id = dupstr(v, "id", &e, &b)) == NULL) {
		problem(L, &e);
		bad = 1;
	} else if (find_check(p, c.id)) {
		ry_error(v, &e, "重复的规则 id“%s”（修改已有规则请写在 override 下）", c.id);
		problem(L, &e);
		bad = 1;
	}
	check_common(L, &c, n, &bad);
	for (i = 0; req[i]; i++)
		if (ry_get(L->doc, n, req[i]) == NULL) {
			ry_error(n, &e, "规则 %s 缺少“%s”", c.id ? c.id : "?", req[i]);
			problem(L, &e);
			bad = 1;
		}
	if (c.scope == NULL)
		c.scope = xstrdup("document");
	c.kind = find_kind(L, n, &kv, &e, 1);
	if (c.kind == NULL) {
		problem(L, &e);
		bad = 1;
	} else if (c.kind->load(&c, L->doc, kv, &e) == -1) {
		problem(L, &e);
		bad = 1;
	}
	if (bad) {
		check_release(&c);
		return;
	}
	p->checks = xrealloc(p->checks, (p->ncheck + 1) * sizeof(c));
	p->checks[p->ncheck++] = c;
}

static struct section_def *
find_section_rule(struct rulepack *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nsection; i++)
		if ((p->sections[i].rule && strcmp(p->sections[i].rule, id) == 0) ||
		    strcmp(p->sections[i].id, id) == 0)
			return &p->sections[i];
	return NULL;
}

/* An override of a section's finding (REG-001 ...): severity, wording, on/off. */
static void
override_section(struct loader *L, struct section_def *s, yaml_node_t *n)
{
	struct error e;
	yaml_node_t *v;
	int on = 1, b = 0;
	char *t;

	if (ry_keys(L->doc, n, override_section_keys, "override", &e) == -1) {
		problem(L, &e);
		return;
	}
	if ((v = ry_get(L->doc, n, "severity")) && parse_severity(v, &s->missing, &e) == -1)
		problem(L, &e);
	if ((v = ry_get(L->doc, n, "inline_severity")) &&
	    parse_severity(v, &s->inline_sev, &e) == -1)
		problem(L, &e);
	if ((v = ry_get(L->doc, n, "enabled"))) {
		if (ry_bool(v, "enabled", &on, &e) == -1)
			problem(L, &e);
		else if (!on)
			s->missing = s->inline_sev = SEV_NONE;
	}
#define STR(field, key)                                                      \
	if ((v = ry_get(L->doc, n, key))) {                                  \
		b = 0;                                                       \
		t = dupstr(v, key, &e, &b);                                  \
		if (b) {                                                     \
			problem(L, &e);                                      \
		} else {                                                     \
			free(s->field);                                      \
			s->field = t;                                        \
		}                                                            \
	}
	STR(message, "message")
	STR(inline_message, "inline_message")
	STR(hint, "hint")
	STR(source, "source")
#undef STR
}

static void
load_override(struct loader *L, yaml_node_t *n)
{
	struct check_def *c;
	struct section_def *s;
	struct error e;
	yaml_node_t *v, *kv;
	const char *id;
	const struct check_kind *k;
	int bad = 0;

	if (n == NULL || n->type != YAML_MAPPING_NODE) {
		ry_error(n, &e, "override 的每一项应为映射（键: 值）");
		problem(L, &e);
		return;
	}
	v = ry_get(L->doc, n, "id");
	if (v == NULL) {
		ry_error(n, &e, "override 缺少 id");
		problem(L, &e);
		return;
	}
	if ((id = ry_str(v, "id", &e)) == NULL) {
		problem(L, &e);
		return;
	}
	c = find_check(L->p, id);
	if (c == NULL) {
		if ((s = find_section_rule(L->p, id)) != NULL) {
			override_section(L, s, n);
			return;
		}
		ry_error(v, &e, "override 引用了不存在的规则“%s”", id);
		problem(L, &e);
		return;
	}
	check_common(L, c, n, &bad);
	error_clear(&e);
	k = find_kind(L, n, &kv, &e, 0);
	if (k == NULL && e.msg[0]) {
		problem(L, &e);
		return;
	}
	if (k != NULL) {
		if (k != c->kind) {
			ry_error(kv, &e, "规则 %s 的检查种类是 %s，不能改为 %s", c->id, c->kind->name,
			    k->name);
			problem(L, &e);
		} else if (k->load(c, L->doc, kv, &e) == -1) {
			problem(L, &e);
		}
	}
}

static void
for_each_item(struct loader *L, yaml_node_t *seq, const char *what,
	void (*fn)(struct loader *, yaml_node_t *))
{
	yaml_node_item_t *it;
	struct error e;

	if (seq == NULL)
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		ry_error(seq, &e, "“%s”应为列表（每项以 - 开头）", what);
		problem(L, &e);
		return;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++)
		fn(L, yaml_document_get_node(L->doc, *it));
}

static void load_file(struct loader *L, const char *path, int top);

/*
 * Note path as loaded; 1 if it was loaded before.  A file included twice
 * (or including itself) would load its rules again, and ten self-includes
 * fan out to 10^depth loads.  A path that does not resolve is left to the
 * loader's own error.
 */
static int
seen_before(struct loader *L, const char *path)
{
	char *real = realpath(path, NULL);
	size_t i;

	if (real == NULL)
		return 0;
	for (i = 0; i < L->nseen; i++)
		if (strcmp(L->seen[i], real) == 0) {
			free(real);
			return 1;
		}
	xgrow(&L->seen, &L->cseen, L->nseen + 1, sizeof(char *));
	L->seen[L->nseen++] = real;
	return 0;
}

static void
load_includes(struct loader *L, yaml_node_t *n)
{
	char **inc = NULL;
	size_t ninc = 0, i;
	struct error e;
	char *dir, *tmp;

	if (n == NULL)
		return;
	if (ry_strlist(L->doc, n, "include", &inc, &ninc, &e) == -1) {
		problem(L, &e);
		free_strv(inc, ninc);
		return;
	}
	tmp = xstrdup(L->file);
	dir = xstrdup(dirname(tmp));
	free(tmp);
	for (i = 0; i < ninc; i++) {
		char *path = inc[i][0] == '/' ? xstrdup(inc[i]) : xasprintf("%s/%s", dir, inc[i]);
		const char *file = L->file;
		yaml_document_t *doc = L->doc;

		if (L->depth >= MAX_INCLUDE_DEPTH) {
			ry_error(n, &e, "include 嵌套过深（超过 %d 层）", MAX_INCLUDE_DEPTH);
			problem(L, &e);
			free(path);
			break;
		}
		if (seen_before(L, path)) {
			ry_error(n, &e, "规则文件 %s 被重复包含（已经载入过）", inc[i]);
			problem(L, &e);
			free(path);
			continue;
		}
		L->depth++;
		load_file(L, path, 0);
		L->depth--;
		L->file = file;
		L->doc = doc;
		free(path);
	}
	free(dir);
	free_strv(inc, ninc);
}

/*
 * A rule file's documents composed from the parser's events, as
 * yaml_parser_load() composes them, with the nesting of sequences and
 * mappings checked on the way: libyaml's scanner is quadratic in the
 * nesting (100,000 '[' take minutes) and a rule file needs a few levels,
 * so reading stops at the first event nested deeper than COMPOSE_DEPTH.
 * One walk over the events instead of a check walk before the load.
 */
#define COMPOSE_DEPTH 64

enum compose_rc {
	COMPOSE_OK,     /* a document */
	COMPOSE_NONE,   /* the end of the stream: no document */
	COMPOSE_SYNTAX, /* a parse error, in the parser's problem fields */
	COMPOSE_ALIAS,  /* an undefined alias or a duplicate anchor, in the composer's */
	COMPOSE_DEEP    /* nested too deep at line, column */
};

struct composer {
	yaml_parser_t *ps;
	int depth;
	long line, column;          /* COMPOSE_DEEP: the first event nested too deep */
	const char *problem, *context;  /* COMPOSE_ALIAS, as libyaml words it */
	yaml_mark_t problem_mark;
	struct anchor {
		char *name;
		int node;
		yaml_mark_t mark;
	} *anchors;
	size_t nanchor, capanchor;
	struct open {
		int node, key;          /* key: a mapping's key waiting for its value */
	} open[COMPOSE_DEPTH];
};

/* Add node to the collection it is in (none for the root). */
static void
compose_add(struct composer *c, yaml_document_t *doc, int node)
{
	struct open *o;

	if (c->depth == 0)
		return;
	o = &c->open[c->depth - 1];
	if (doc->nodes.start[o->node - 1].type == YAML_SEQUENCE_NODE) {
		yaml_document_append_sequence_item(doc, o->node, node);
	} else if (o->key == 0) {
		o->key = node;
	} else {
		yaml_document_append_mapping_pair(doc, o->node, o->key, node);
		o->key = 0;
	}
}

/* Name the node with anchor (or nothing); 0, or -1 on a duplicate. */
static int
compose_anchor(struct composer *c, yaml_document_t *doc, const yaml_char_t *anchor, int node)
{
	size_t i;

	if (anchor == NULL)
		return 0;
	for (i = 0; i < c->nanchor; i++)
		if (strcmp(c->anchors[i].name, (const char *)anchor) == 0) {
			c->context = "found duplicate anchor; first occurrence";
			c->problem = "second occurrence";
			c->problem_mark = doc->nodes.start[node - 1].start_mark;
			return -1;
		}
	xgrow(&c->anchors, &c->capanchor, c->nanchor + 1, sizeof(*c->anchors));
	c->anchors[c->nanchor].name = xstrdup((const char *)anchor);
	c->anchors[c->nanchor].node = node;
	c->anchors[c->nanchor++].mark = doc->nodes.start[node - 1].start_mark;
	return 0;
}

/* The tag of a node as yaml_parser_load() keeps it: none ("!") is the default. */
static const yaml_char_t *
compose_tag(const yaml_char_t *tag)
{
	return tag && strcmp((const char *)tag, "!") == 0 ? NULL : tag;
}

/* libyaml's document functions fail only for want of memory. */
static void
compose_added(int node)
{
	if (node == 0) {
		fprintf(stderr, "fzreport: out of memory\n");
		exit(6);
	}
}

/*
 * The next document of the stream into doc (initialised when the result
 * is COMPOSE_OK or COMPOSE_ALIAS; the caller deletes it).  After an alias
 * problem the rest of the document is read for its nesting only.
 */
static enum compose_rc
compose(struct composer *c, yaml_document_t *doc, int *started)
{
	yaml_event_t ev;
	enum compose_rc rc = COMPOSE_OK;
	int node = 0, bad = 0;
	size_t i;

	*started = 0;
	c->depth = 0;
	for (;;) {
		if (!yaml_parser_parse(c->ps, &ev)) {
			rc = COMPOSE_SYNTAX;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			rc = COMPOSE_NONE;
			break;
		case YAML_DOCUMENT_START_EVENT:
			yaml_document_initialize(doc, ev.data.document_start.version_directive,
			    ev.data.document_start.tag_directives.start,
			    ev.data.document_start.tag_directives.end, ev.data.document_start.implicit, 1);
			doc->start_mark = ev.start_mark;
			*started = 1;
			break;
		case YAML_DOCUMENT_END_EVENT:
			doc->end_implicit = ev.data.document_end.implicit;
			doc->end_mark = ev.end_mark;
			rc = bad ? COMPOSE_ALIAS : COMPOSE_OK;
			break;
		case YAML_ALIAS_EVENT:
			if (bad)
				break;
			for (i = 0; i < c->nanchor; i++)
				if (strcmp(c->anchors[i].name, (const char *)ev.data.alias.anchor) == 0)
					break;
			if (i < c->nanchor) {
				compose_add(c, doc, c->anchors[i].node);
			} else {
				c->problem = "found undefined alias";
				c->context = NULL;
				c->problem_mark = ev.start_mark;
				bad = 1;
			}
			break;
		case YAML_SCALAR_EVENT:
			if (bad)
				break;
			node = yaml_document_add_scalar(doc, compose_tag(ev.data.scalar.tag),
			    ev.data.scalar.value, (int)ev.data.scalar.length, ev.data.scalar.style);
			compose_added(node);
			doc->nodes.start[node - 1].start_mark = ev.start_mark;
			doc->nodes.start[node - 1].end_mark = ev.end_mark;
			if (compose_anchor(c, doc, ev.data.scalar.anchor, node) == -1)
				bad = 1;
			else
				compose_add(c, doc, node);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (c->depth == COMPOSE_DEPTH) {
				c->line = (long)ev.start_mark.line + 1;
				c->column = (long)ev.start_mark.column + 1;
				rc = COMPOSE_DEEP;
				break;
			}
			if (!bad) {
				int seq = ev.type == YAML_SEQUENCE_START_EVENT;
				const yaml_char_t *anchor =
				    seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor;

				node = seq ? yaml_document_add_sequence(doc,
						 compose_tag(ev.data.sequence_start.tag),
						 ev.data.sequence_start.style)
					   : yaml_document_add_mapping(doc,
						 compose_tag(ev.data.mapping_start.tag),
						 ev.data.mapping_start.style);
				compose_added(node);
				doc->nodes.start[node - 1].start_mark = ev.start_mark;
				if (compose_anchor(c, doc, anchor, node) == -1) {
					bad = 1;
				} else {
					compose_add(c, doc, node);
				}
			}
			c->open[c->depth].node = bad ? 0 : node;
			c->open[c->depth++].key = 0;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			c->depth--;
			if (!bad)
				doc->nodes.start[c->open[c->depth].node - 1].end_mark = ev.end_mark;
			break;
		default:
			break;
		}
		{
			yaml_event_type_t t = ev.type;

			yaml_event_delete(&ev);
			if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT || rc == COMPOSE_DEEP)
				break;
		}
	}
	for (i = 0; i < c->nanchor; i++)
		free(c->anchors[i].name);
	c->nanchor = 0;
	return rc;
}

/* Read the rest of the stream for its nesting only: COMPOSE_DEEP, or the end (or a parse error). */
static enum compose_rc
compose_rest(struct composer *c)
{
	yaml_event_t ev;
	int depth = 0, end = 0;

	while (!end && yaml_parser_parse(c->ps, &ev)) {
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > COMPOSE_DEPTH) {
				c->line = (long)ev.start_mark.line + 1;
				c->column = (long)ev.start_mark.column + 1;
				yaml_event_delete(&ev);
				return COMPOSE_DEEP;
			}
		} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	return COMPOSE_NONE;
}

static void
load_file(struct loader *L, const char *path, int top)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *v;
	struct error e;
	char *data;
	size_t len;
	char *name = NULL, *version = NULL;
	int bad = 0;

	L->file = path;
	error_clear(&e);
	if (read_file(path, MAX_RULE_FILE, &data, &len, &e) == -1) {
		e.line = e.column = -1;
		{
			char msg[1024];

			snprintf(msg, sizeof(msg), "无法读取规则文件：%.960s", e.msg);
			snprintf(e.msg, sizeof(e.msg), "%s", msg);
		}
		problem(L, &e);
		return;
	}
	{
		struct composer c;
		yaml_document_t more;
		enum compose_rc rc, rc2 = COMPOSE_NONE;
		int started, started2 = 0;

		memset(&c, 0, sizeof(c));
		c.ps = &parser;
		yaml_parser_initialize(&parser);
		yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
		rc = compose(&c, &doc, &started);
		if (rc == COMPOSE_OK) {
			rc2 = compose(&c, &more, &started2);
			if (rc2 == COMPOSE_OK || rc2 == COMPOSE_ALIAS) {
				if (compose_rest(&c) == COMPOSE_DEEP)
					rc2 = COMPOSE_DEEP;
			}
		} else if (rc == COMPOSE_ALIAS && compose_rest(&c) == COMPOSE_DEEP) {
			rc = COMPOSE_DEEP;
		}
		free(c.anchors);
		if (rc == COMPOSE_NONE) {
			/* an empty stream: an empty document */
			memset(&doc, 0, sizeof(doc));
		} else if (rc != COMPOSE_OK || rc2 == COMPOSE_DEEP) {
			if (rc == COMPOSE_DEEP || rc2 == COMPOSE_DEEP) {
				e.line = c.line;
				e.column = c.column;
				snprintf(e.msg, sizeof(e.msg), "YAML 嵌套过深（超过 64 层）");
			} else {
				const char *pr = rc == COMPOSE_SYNTAX ? parser.problem : c.problem;
				const char *cx = rc == COMPOSE_SYNTAX ? parser.context : c.context;
				yaml_mark_t mark = rc == COMPOSE_SYNTAX ? parser.problem_mark : c.problem_mark;

				e.line = (long)mark.line + 1;
				e.column = (long)mark.column + 1;
				snprintf(e.msg, sizeof(e.msg), "YAML 语法错误：%s%s%s", pr ? pr : "?",
				    cx ? "，" : "", cx ? cx : "");
			}
			problem(L, &e);
			if (started2)
				yaml_document_delete(&more);
			if (started)
				yaml_document_delete(&doc);
			yaml_parser_delete(&parser);
			free(data);
			return;
		}
		/* a second document ("---") would be silently ignored */
		if (rc2 == COMPOSE_OK && yaml_document_get_root_node(&more) != NULL) {
			e.line = (long)more.start_mark.line + 1;
			e.column = (long)more.start_mark.column + 1;
			snprintf(e.msg, sizeof(e.msg), "规则文件只能有一个 YAML 文档（多了“---”之后的部分）");
			problem(L, &e);
		}
		if (started2)
			yaml_document_delete(&more);
	}
	yaml_parser_delete(&parser);
	free(data);
	L->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		yaml_document_delete(&doc);
		return; /* an empty file is an empty pack */
	}
	if (ry_keys(&doc, root, pack_keys, "规则文件", &e) == -1) {
		problem(L, &e);
		if (root->type != YAML_MAPPING_NODE) {
			yaml_document_delete(&doc);
			return;
		}
	}
	if ((v = ry_get(&doc, root, "name")))
		name = dupstr(v, "name", &e, &bad);
	if (bad) {
		problem(L, &e);
		bad = 0;
	}
	if ((v = ry_get(&doc, root, "version")))
		version = dupstr(v, "version", &e, &bad);
	if (bad) {
		problem(L, &e);
		bad = 0;
	}
	if ((v = ry_get(&doc, root, "description")) && ry_str(v, "description", &e) == NULL)
		problem(L, &e);
	if (name) {
		struct rulepack *p = L->p;

		if (p->name == NULL) {
			p->name = xstrdup(name);
			p->version = version ? xstrdup(version) : NULL;
			if (v)
				p->description = xstrdup((char *)v->data.scalar.value);
		}
		p->packs = xrealloc(p->packs, (p->npack + 1) * sizeof(*p->packs));
		p->packs[p->npack].name = name;
		p->packs[p->npack].version = version;
		p->npack++;
	} else {
		free(version);
	}
	(void)top;
	/* includes first, so that checks can refer to their sections */
	load_includes(L, ry_get(&doc, root, "include"));
	for_each_item(L, ry_get(&doc, root, "sections"), "sections", load_section);
	for_each_item(L, ry_get(&doc, root, "checks"), "checks", load_check);
	for_each_item(L, ry_get(&doc, root, "override"), "override", load_override);
	yaml_document_delete(&doc);
}

int
rules_load_all(struct rulepack *p, const char *path, rules_problem_fn fn, void *arg)
{
	struct loader L;

	memset(&L, 0, sizeof(L));
	L.p = p;
	L.fn = fn;
	L.arg = arg;
	if (p->keys == NULL)
		p->keys = xcalloc(1, sizeof(*p->keys));
	pattern_collect_keys(p->keys);
	seen_before(&L, path);
	load_file(&L, path, 1);
	pattern_collect_keys(NULL);
	free_strv(L.seen, L.nseen);
	return L.nprob;
}

struct joined {
	struct error *err;
	struct buf b;
	int n;
};

static void
join_problem(void *arg, const char *file, int line, int column, const char *msg)
{
	struct joined *j = arg;

	if (j->n == 0) {
		j->err->line = line;
		j->err->column = column;
	}
	if (j->n++)
		buf_addc(&j->b, '\n');
	if (line > 0)
		buf_printf(&j->b, "%s:%d:%d: %s", file, line, column, msg);
	else
		buf_printf(&j->b, "%s: %s", file, msg);
}

int
rules_load(struct rulepack *p, const char *path, struct error *err)
{
	struct joined j;

	error_clear(err);
	j.err = err;
	j.n = 0;
	buf_init(&j.b);
	rules_load_all(p, path, join_problem, &j);
	if (j.n) {
		size_t n = j.b.len;

		if (n >= sizeof(err->msg)) {
			/* cut at a line end that fits, or inside one long line at a character */
			n = sizeof(err->msg) - 1;
			while (n > 0 && j.b.s[n] != '\n')
				n--;
			if (n == 0) {
				n = sizeof(err->msg) - 1;
				while (n > 0 && ((unsigned char)j.b.s[n] & 0xC0) == 0x80)
					n--;
			}
		}
		memcpy(err->msg, j.b.s, n);
		err->msg[n] = '\0';
		buf_release(&j.b);
		return -1;
	}
	buf_release(&j.b);
	return 0;
}
