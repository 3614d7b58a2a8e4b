/*
 * result_json.c: one JSON object of `fzreport check --format json` back
 * into a struct result (json-c).  The inverse of json_result() in
 * render_json.c: the same names, null for missing values.  Types are
 * checked strictly (a string where a number belongs is an error); absent
 * keys are taken as null, so results of older versions still load.
 */
#include "result_json.h"

#include <json.h>
#include <string.h>

/* The whole line must be one object; nesting deeper than this is refused. */
#define JSON_MAX_DEPTH 64

/* What went wrong, with the JSON path of the bad value. */
static int
bad(struct error *err, const char *where, const char *key, const char *what)
{
	return error_set(err, "JSON 字段 %s%s%s %s", where, *where ? "." : "", key, what);
}

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;  /* NULL also for a JSON null */
}

/* A string or null into *out (a copy, or NULL). */
static int
get_str(struct json_object *o, const char *where, const char *key, char **out,
	struct error *err)
{
	struct json_object *v = get(o, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return bad(err, where, key, "应为字符串或 null");
	*out = xstrndup(json_object_get_string(v), (size_t)json_object_get_string_len(v));
	return 0;
}

/* An integer or null (0) into *out, within [lo, hi]. */
static int
get_long(struct json_object *o, const char *where, const char *key, long lo, long hi, long *out,
	struct error *err)
{
	struct json_object *v = get(o, key);
	int64_t x;

	*out = 0;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return bad(err, where, key, "应为整数或 null");
	x = json_object_get_int64(v);
	if (x < lo || x > hi)
		return bad(err, where, key, "超出范围");
	*out = (long)x;
	return 0;
}

static int
get_int(struct json_object *o, const char *where, const char *key, int *out, struct error *err)
{
	long x;

	if (get_long(o, where, key, 0, 100000000L, &x, err) < 0)
		return -1;
	*out = (int)x;
	return 0;
}

static int
get_bool(struct json_object *o, const char *where, const char *key, int *out, struct error *err)
{
	struct json_object *v = get(o, key);

	*out = 0;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return bad(err, where, key, "应为 true 或 false");
	*out = json_object_get_boolean(v) ? 1 : 0;
	return 0;
}

static int
get_severity(struct json_object *o, const char *where, enum severity *out, struct error *err)
{
	char *s;

	if (get_str(o, where, "severity", &s, err) < 0)
		return -1;
	if (s == NULL || (*out = severity_parse(s)) == SEV_NONE) {
		free(s);
		return bad(err, where, "severity", "应为 error、warning、info 或 fatal");
	}
	free(s);
	return 0;
}

/* An array or null; *n its length. */
static int
get_array(struct json_object *o, const char *key, struct json_object **arr, size_t *n,
	struct error *err)
{
	struct json_object *v = get(o, key);

	*arr = NULL;
	*n = 0;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return bad(err, "", key, "应为数组或 null");
	*arr = v;
	*n = json_object_array_length(v);
	return 0;
}

/* Element i of arr, which must be an object. */
static struct json_object *
element(struct json_object *arr, size_t i, const char *key, struct error *err)
{
	struct json_object *v = json_object_array_get_idx(arr, i);

	if (v == NULL || !json_object_is_type(v, json_type_object)) {
		error_set(err, "JSON 字段 %s[%zu] 应为对象", key, i);
		return NULL;
	}
	return v;
}

static int
read_meta(struct json_object *top, struct meta *m, struct error *err)
{
	struct json_object *o = get(top, "meta"), *core;
	char *kind = NULL;

	if (o == NULL)
		return 0;
	if (!json_object_is_type(o, json_type_object))
		return bad(err, "", "meta", "应为对象或 null");
	if (get_str(o, "meta", "title", &m->title, err) < 0 ||
	    get_str(o, "meta", "unit", &m->unit, err) < 0 ||
	    get_str(o, "meta", "unit_kind", &kind, err) < 0 ||
	    get_str(o, "meta", "parent", &m->parent, err) < 0 ||
	    get_int(o, "meta", "year", &m->year, err) < 0 ||
	    get_str(o, "meta", "doc_number", &m->doc_number, err) < 0 ||
	    get_str(o, "meta", "addressee", &m->addressee, err) < 0 ||
	    get_str(o, "meta", "signatory", &m->signatory, err) < 0 ||
	    get_str(o, "meta", "date", &m->date, err) < 0) {
		free(kind); /* the only string here that result_release() does not own */
		return -1;
	}
	m->unit_kind = kind ? unit_kind_parse(kind) : UNIT_UNKNOWN;
	free(kind);
	if ((core = get(o, "core")) != NULL) {
		if (!json_object_is_type(core, json_type_object))
			return bad(err, "meta", "core", "应为对象或 null");
		if (get_str(core, "meta.core", "title", &m->core_title, err) < 0 ||
		    get_str(core, "meta.core", "creator", &m->core_creator, err) < 0 ||
		    get_str(core, "meta.core", "modified", &m->core_modified, err) < 0)
			return -1;
	}
	return 0;
}

static int
read_outline(struct json_object *top, struct result *r, struct error *err)
{
	struct json_object *arr, *o;
	size_t n, i;
	char *kind;

	if (get_array(top, "outline", &arr, &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	r->outline = xcalloc(n, sizeof(*r->outline));
	for (i = 0; i < n; i++) {
		struct outline_node *nd = &r->outline[i];
		long k;

		r->noutline = i + 1;
		nd->parent = -1;
		if ((o = element(arr, i, "outline", err)) == NULL)
			return -1;
		if (get_int(o, "outline", "level", &nd->level, err) < 0 ||
		    get_int(o, "outline", "line", &nd->line, err) < 0 ||
		    get_int(o, "outline", "column", &nd->column, err) < 0 ||
		    get_str(o, "outline", "text", &nd->text, err) < 0 ||
		    get_str(o, "outline", "numbering", &nd->numbering, err) < 0 ||
		    get_str(o, "outline", "section", &nd->section, err) < 0 ||
		    get_bool(o, "outline", "run_in", &nd->run_in, err) < 0 ||
		    get_str(o, "outline", "kind", &kind, err) < 0)
			return -1;
		nd->kind = NODE_HEADING;
		if (kind != NULL) {
			for (k = NODE_TITLE; k <= NODE_ITEM; k++)
				if (strcmp(kind, node_kind_name((enum node_kind)k)) == 0)
					nd->kind = (enum node_kind)k;
			free(kind);
		}
		/* The parent is the nearest earlier node of a lower level. */
		for (k = (long)i - 1; k >= 0; k--)
			if (r->outline[k].level < nd->level) {
				nd->parent = (int)k;
				break;
			}
	}
	return 0;
}

static int
read_sections(struct json_object *top, struct result *r, struct error *err)
{
	struct json_object *arr, *o;
	size_t n, i;
	char *st;

	if (get_array(top, "sections", &arr, &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	r->sections = xcalloc(n, sizeof(*r->sections));
	for (i = 0; i < n; i++) {
		struct section_result *s = &r->sections[i];

		r->nsection = i + 1;
		if ((o = element(arr, i, "sections", err)) == NULL)
			return -1;
		if (get_str(o, "sections", "id", &s->id, err) < 0 ||
		    get_str(o, "sections", "name", &s->name, err) < 0 ||
		    get_int(o, "sections", "line", &s->line, err) < 0 ||
		    get_int(o, "sections", "column", &s->column, err) < 0 ||
		    get_long(o, "sections", "chars", 0, 1L << 40, &s->chars, err) < 0 ||
		    get_str(o, "sections", "status", &st, err) < 0)
			return -1;
		if (s->id == NULL) {
			free(st);
			return bad(err, "sections", "id", "不能为空");
		}
		if (st != NULL && strcmp(st, "found") == 0)
			s->status = SECTION_FOUND;
		else if (st != NULL && strcmp(st, "inline") == 0)
			s->status = SECTION_INLINE;
		else if (st != NULL && strcmp(st, "missing") == 0)
			s->status = SECTION_MISSING;
		else {
			free(st);
			return bad(err, "sections", "status", "应为 found、inline 或 missing");
		}
		free(st);
	}
	return 0;
}

static int
read_findings(struct json_object *top, struct result *r, struct error *err)
{
	struct json_object *arr, *o, *mark;
	size_t n, i;

	if (get_array(top, "findings", &arr, &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	r->findings = xcalloc(n, sizeof(*r->findings));
	for (i = 0; i < n; i++) {
		struct finding *f = &r->findings[i];

		r->nfinding = i + 1;
		f->mark_off = -1;
		if ((o = element(arr, i, "findings", err)) == NULL)
			return -1;
		if (get_str(o, "findings", "rule", &f->rule, err) < 0 ||
		    get_severity(o, "findings", &f->severity, err) < 0 ||
		    get_int(o, "findings", "line", &f->line, err) < 0 ||
		    get_int(o, "findings", "column", &f->column, err) < 0 ||
		    get_str(o, "findings", "message", &f->message, err) < 0 ||
		    get_str(o, "findings", "excerpt", &f->excerpt, err) < 0 ||
		    get_str(o, "findings", "source", &f->source, err) < 0 ||
		    get_str(o, "findings", "hint", &f->hint, err) < 0)
			return -1;
		if (f->rule == NULL || f->message == NULL)
			return bad(err, "findings", f->rule ? "message" : "rule", "不能为空");
		if ((mark = get(o, "mark")) != NULL) {
			struct json_object *a, *b;
			size_t xl = f->excerpt ? strlen(f->excerpt) : 0;

			if (!json_object_is_type(mark, json_type_array) ||
			    json_object_array_length(mark) != 2 ||
			    !json_object_is_type(a = json_object_array_get_idx(mark, 0), json_type_int) ||
			    !json_object_is_type(b = json_object_array_get_idx(mark, 1), json_type_int) ||
			    json_object_get_int64(a) < 0 || json_object_get_int64(b) < 0 ||
			    (size_t)json_object_get_int64(a) + (size_t)json_object_get_int64(b) > xl)
				return bad(err, "findings", "mark", "应为摘录内的 [偏移, 长度]");
			f->mark_off = (long)json_object_get_int64(a);
			f->mark_len = (long)json_object_get_int64(b);
		}
	}
	return 0;
}

static int
read_unchecked(struct json_object *top, struct result *r, struct error *err)
{
	struct json_object *arr, *o;
	size_t n, i;

	if (get_array(top, "not_checked", &arr, &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	r->unchecked = xcalloc(n, sizeof(*r->unchecked));
	for (i = 0; i < n; i++) {
		struct unchecked *u = &r->unchecked[i];

		r->nunchecked = i + 1;
		if ((o = element(arr, i, "not_checked", err)) == NULL)
			return -1;
		if (get_str(o, "not_checked", "rule", &u->rule, err) < 0 ||
		    get_severity(o, "not_checked", &u->severity, err) < 0 ||
		    get_str(o, "not_checked", "message", &u->message, err) < 0 ||
		    get_str(o, "not_checked", "reason", &u->reason, err) < 0)
			return -1;
		if (u->rule == NULL)
			return bad(err, "not_checked", "rule", "不能为空");
		if (u->reason == NULL)
			u->reason = xstrdup("");
	}
	return 0;
}

static int
read_packs(struct json_object *top, struct result *r, struct error *err)
{
	struct json_object *arr, *o;
	size_t n, i;

	if (get_array(top, "packs", &arr, &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	r->packs = xcalloc(n, sizeof(*r->packs));
	for (i = 0; i < n; i++) {
		r->npack = i + 1;
		if ((o = element(arr, i, "packs", err)) == NULL)
			return -1;
		if (get_str(o, "packs", "name", &r->packs[i].name, err) < 0 ||
		    get_str(o, "packs", "version", &r->packs[i].version, err) < 0)
			return -1;
	}
	return 0;
}

/* Counts and verdict from the findings, as result_finish() but keeping their order. */
static void
count_findings(struct result *r)
{
	struct summary *s = &r->summary;
	size_t i;

	s->errors = s->warnings = s->infos = 0;
	for (i = 0; i < r->nfinding; i++) {
		if (r->findings[i].severity >= SEV_ERROR)
			s->errors++;
		else if (r->findings[i].severity == SEV_WARNING)
			s->warnings++;
		else if (r->findings[i].severity == SEV_INFO)
			s->infos++;
	}
	s->not_checked = (int)r->nunchecked;
	s->verdict = r->error ? VERDICT_UNREADABLE :
		s->errors ? VERDICT_FAIL : s->warnings ? VERDICT_REVISE : VERDICT_PASS;
}

/* summary: the verdict as written; the counts are recomputed if absent. */
static int
read_summary(struct json_object *top, struct result *r, struct error *err)
{
	struct json_object *o = get(top, "summary");
	struct summary *s = &r->summary;
	char *v;

	count_findings(r);
	if (o == NULL)
		return 0;
	if (!json_object_is_type(o, json_type_object))
		return bad(err, "", "summary", "应为对象或 null");
	if (get(o, "errors") && get_int(o, "summary", "errors", &s->errors, err) < 0)
		return -1;
	if (get(o, "warnings") && get_int(o, "summary", "warnings", &s->warnings, err) < 0)
		return -1;
	if (get(o, "infos") && get_int(o, "summary", "infos", &s->infos, err) < 0)
		return -1;
	if (get(o, "not_checked") &&
	    get_int(o, "summary", "not_checked", &s->not_checked, err) < 0)
		return -1;
	if (get_str(o, "summary", "verdict", &v, err) < 0)
		return -1;
	if (v != NULL) {
		enum verdict vd = verdict_parse(v);

		if (vd == VERDICT_UNREADABLE && strcmp(v, "unreadable") != 0 &&
		    strcmp(v, verdict_name_zh(VERDICT_UNREADABLE)) != 0) {
			free(v);
			return bad(err, "summary", "verdict", "应为 pass、revise、fail 或 unreadable");
		}
		s->verdict = vd;
		free(v);
	}
	if (r->error != NULL)
		s->verdict = VERDICT_UNREADABLE;
	return 0;
}

static int
read_object(struct json_object *top, struct result *r, struct error *err)
{
	struct json_object *layout;

	if (!json_object_is_type(top, json_type_object))
		return error_set(err, "不是 JSON 对象");
	if (get_str(top, "", "file", &r->file, err) < 0 ||
	    get_str(top, "", "format", &r->format, err) < 0 ||
	    get_str(top, "", "encoding", &r->encoding, err) < 0 ||
	    get_str(top, "", "error", &r->error, err) < 0 ||
	    get_long(top, "", "chars", 0, 1L << 40, &r->chars, err) < 0)
		return -1;
	if (r->file == NULL)
		return error_set(err, "缺少字段 file（不是 fzreport check --format json 的结果）");
	if (read_meta(top, &r->meta, err) < 0 || read_outline(top, r, err) < 0 ||
	    read_sections(top, r, err) < 0 || read_findings(top, r, err) < 0 ||
	    read_unchecked(top, r, err) < 0 || read_packs(top, r, err) < 0)
		return -1;
	if ((layout = get(top, "layout")) != NULL) {
		if (!json_object_is_type(layout, json_type_object))
			return bad(err, "", "layout", "应为对象或 null");
		r->layout_json = xstrdup(json_object_to_json_string_ext(
			layout, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	return read_summary(top, r, err);
}

int
result_read_jsonl_line(const char *line, size_t len, struct result *r, struct error *err)
{
	struct json_tokener *tok;
	struct json_object *top;
	enum json_tokener_error jerr;
	size_t end;
	int rc;

	result_init(r);
	error_clear(err);
	if (len > (size_t)INT32_MAX)
		return error_set(err, "JSON 行过长");
	if ((tok = json_tokener_new_ex(JSON_MAX_DEPTH)) == NULL)
		return error_set(err, "内存不足");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	top = json_tokener_parse_ex(tok, line, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (top == NULL || jerr != json_tokener_success) {
		if (jerr == json_tokener_continue)
			error_at(err, -1, (long)len + 1, "JSON 不完整");
		else
			error_at(err, -1, (long)end + 1, "JSON 语法错误: %s",
				json_tokener_error_desc(jerr));
		json_object_put(top);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	while (end < len && strchr(" \t\r\n", line[end]) != NULL)
		end++;
	if (end < len) {
		json_object_put(top);
		return error_at(err, -1, (long)end + 1, "JSON 对象后还有多余内容");
	}
	rc = read_object(top, r, err);
	json_object_put(top);
	if (rc < 0)
		result_release(r);
	return rc;
}
