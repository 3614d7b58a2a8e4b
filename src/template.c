/*
 * template.c: report templates and unit profiles (libyaml), and the
 * skeleton `fzreport new` lays out from them.
 */
#include "template.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "utf8.h"

#define YAML_MAX (1u << 20)

/* ---- YAML helpers ---- */

struct ydoc {
	yaml_document_t d;
	struct error *err;
};

static int
yline(const yaml_node_t *n)
{
	return (int)n->start_mark.line + 1;
}

static int
ycol(const yaml_node_t *n)
{
	return (int)n->start_mark.column + 1;
}

static yaml_node_t *
ynode(struct ydoc *y, int id)
{
	return yaml_document_get_node(&y->d, id);
}

/* Parse a whole YAML file into y->d; 0 or -1 with err at the problem. */
static int
yload(struct ydoc *y, const char *path, struct error *err)
{
	yaml_parser_t ps;
	char *data;
	size_t len;
	int rc = 0;

	y->err = err;
	if (read_file(path, YAML_MAX, &data, &len, err) == -1)
		return -1;
	yaml_parser_initialize(&ps);
	yaml_parser_set_input_string(&ps, (const unsigned char *)data, len);
	if (!yaml_parser_load(&ps, &y->d)) {
		if (ps.error == YAML_READER_ERROR)
			error_set(err, "YAML 读取错误：%s（字节 %zu）", ps.problem ? ps.problem : "",
				ps.problem_offset);
		else
			error_at(err, (long)ps.problem_mark.line + 1, (long)ps.problem_mark.column + 1,
				"YAML 格式错误：%s%s%s", ps.problem ? ps.problem : "",
				ps.context ? "，" : "", ps.context ? ps.context : "");
		rc = -1;
	} else if (yaml_document_get_root_node(&y->d) == NULL ||
	    yaml_document_get_root_node(&y->d)->type != YAML_MAPPING_NODE) {
		yaml_document_delete(&y->d);
		error_at(err, 1, 1, "文件顶层应是映射（键: 值）");
		rc = -1;
	}
	yaml_parser_delete(&ps);
	free(data);
	return rc;
}

static const char *
yscalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Take a scalar into *t; -1 with err when n is not a scalar. */
static int
ytext(struct ydoc *y, const yaml_node_t *n, const char *key, struct tpl_text *t)
{
	if (n->type != YAML_SCALAR_NODE)
		return error_at(y->err, yline(n), ycol(n), "'%s' 应是一个字符串", key);
	free(t->s);
	t->s = xstrdup(yscalar(n));
	t->line = yline(n);
	t->column = ycol(n);
	return 0;
}

static int
yexpect(struct ydoc *y, const yaml_node_t *n, yaml_node_type_t type, const char *key)
{
	static const char *const what[] = {"", "字符串", "列表", "映射"};

	if (n->type != type)
		return error_at(y->err, yline(n), ycol(n), "'%s' 应是一个%s", key, what[type]);
	return 0;
}

/* ---- templates ---- */

void
template_init(struct template *t)
{
	memset(t, 0, sizeof(*t));
}

static void
text_free(struct tpl_text *t)
{
	free(t->s);
	t->s = NULL;
}

void
template_release(struct template *t)
{
	size_t i, k;

	free(t->file);
	free(t->name);
	text_free(&t->title);
	text_free(&t->addressee);
	text_free(&t->intro);
	text_free(&t->signatory);
	text_free(&t->date);
	for (i = 0; i < t->nfact; i++) {
		free(t->facts[i].key);
		free(t->facts[i].label);
	}
	free(t->facts);
	for (i = 0; i < t->nsection; i++) {
		struct tpl_section *s = &t->sections[i];

		text_free(&s->id);
		text_free(&s->text);
		text_free(&s->guidance);
		for (k = 0; k < s->nsub; k++) {
			free(s->subs[k].key);
			text_free(&s->subs[k].heading);
			text_free(&s->subs[k].text);
			text_free(&s->subs[k].guidance);
		}
		free(s->subs);
	}
	free(t->sections);
	memset(t, 0, sizeof(*t));
}

static int
load_sub(struct ydoc *y, yaml_node_t *n, struct tpl_sub *sub)
{
	yaml_node_pair_t *p;

	if (yexpect(y, n, YAML_MAPPING_NODE, "subheadings") == -1)
		return -1;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(y, p->key), *v = ynode(y, p->value);
		const char *key = yscalar(k) ? yscalar(k) : "";
		struct tpl_text tmp = {0};

		if (strcmp(key, "key") == 0) {
			if (ytext(y, v, key, &tmp) == -1)
				return -1;
			free(sub->key);
			sub->key = tmp.s;
		} else if (strcmp(key, "heading") == 0) {
			if (ytext(y, v, key, &sub->heading) == -1)
				return -1;
		} else if (strcmp(key, "text") == 0) {
			if (ytext(y, v, key, &sub->text) == -1)
				return -1;
		} else if (strcmp(key, "guidance") == 0) {
			if (ytext(y, v, key, &sub->guidance) == -1)
				return -1;
		} else
			return error_at(y->err, yline(k), ycol(k), "未知的键 '%s'（可用：key heading text guidance）",
				key);
	}
	if (sub->key == NULL || sub->heading.s == NULL)
		return error_at(y->err, yline(n), ycol(n), "二级标题须有 key 和 heading");
	return 0;
}

static int
load_section(struct ydoc *y, yaml_node_t *n, struct tpl_section *s)
{
	yaml_node_pair_t *p;
	yaml_node_item_t *it;

	if (yexpect(y, n, YAML_MAPPING_NODE, "sections") == -1)
		return -1;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(y, p->key), *v = ynode(y, p->value);
		const char *key = yscalar(k) ? yscalar(k) : "";

		if (strcmp(key, "id") == 0) {
			if (ytext(y, v, key, &s->id) == -1)
				return -1;
		} else if (strcmp(key, "text") == 0) {
			if (ytext(y, v, key, &s->text) == -1)
				return -1;
		} else if (strcmp(key, "guidance") == 0) {
			if (ytext(y, v, key, &s->guidance) == -1)
				return -1;
		} else if (strcmp(key, "subheadings") == 0) {
			if (yexpect(y, v, YAML_SEQUENCE_NODE, key) == -1)
				return -1;
			for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				s->subs = xrealloc(s->subs, (s->nsub + 1) * sizeof(*s->subs));
				memset(&s->subs[s->nsub], 0, sizeof(*s->subs));
				s->nsub++;
				if (load_sub(y, ynode(y, *it), &s->subs[s->nsub - 1]) == -1)
					return -1;
			}
		} else
			return error_at(y->err, yline(k), ycol(k),
				"未知的键 '%s'（可用：id text guidance subheadings）", key);
	}
	if (s->id.s == NULL)
		return error_at(y->err, yline(n), ycol(n), "部分须有 id（如 measures）");
	return 0;
}

int
template_load(struct template *t, const char *path, struct error *err)
{
	struct ydoc y;
	yaml_node_t *root;
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	int rc = -1;

	error_clear(err);
	t->file = xstrdup(path);
	if (yload(&y, path, err) == -1)
		return -1;
	root = yaml_document_get_root_node(&y.d);
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(&y, p->key), *v = ynode(&y, p->value);
		const char *key = yscalar(k) ? yscalar(k) : "";
		struct tpl_text tmp = {0};

		if (strcmp(key, "kind") == 0) {
			if (ytext(&y, v, key, &tmp) == -1)
				goto out;
			t->kind = unit_kind_parse(tmp.s);
			t->kind_line = tmp.line;
			t->kind_column = tmp.column;
			if (t->kind == UNIT_UNKNOWN) {
				error_at(err, tmp.line, tmp.column,
					"未知的单位类型 '%s'（township street department county）", tmp.s);
				free(tmp.s);
				goto out;
			}
			free(tmp.s);
		} else if (strcmp(key, "name") == 0) {
			if (ytext(&y, v, key, &tmp) == -1)
				goto out;
			free(t->name);
			t->name = tmp.s;
		} else if (strcmp(key, "title") == 0) {
			if (ytext(&y, v, key, &t->title) == -1)
				goto out;
		} else if (strcmp(key, "addressee") == 0) {
			if (ytext(&y, v, key, &t->addressee) == -1)
				goto out;
		} else if (strcmp(key, "intro") == 0) {
			if (ytext(&y, v, key, &t->intro) == -1)
				goto out;
		} else if (strcmp(key, "signatory") == 0) {
			if (ytext(&y, v, key, &t->signatory) == -1)
				goto out;
		} else if (strcmp(key, "date") == 0) {
			if (ytext(&y, v, key, &t->date) == -1)
				goto out;
		} else if (strcmp(key, "facts") == 0) {
			yaml_node_pair_t *q;

			if (yexpect(&y, v, YAML_MAPPING_NODE, key) == -1)
				goto out;
			for (q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
				yaml_node_t *fk = ynode(&y, q->key), *fv = ynode(&y, q->value);
				struct tpl_fact *f;

				if (yexpect(&y, fv, YAML_SCALAR_NODE, yscalar(fk) ? yscalar(fk) : "facts") == -1)
					goto out;
				t->facts = xrealloc(t->facts, (t->nfact + 1) * sizeof(*t->facts));
				f = &t->facts[t->nfact++];
				f->key = xstrdup(yscalar(fk) ? yscalar(fk) : "");
				f->label = xstrdup(yscalar(fv));
				f->line = yline(fk);
				f->column = ycol(fk);
			}
		} else if (strcmp(key, "sections") == 0) {
			if (yexpect(&y, v, YAML_SEQUENCE_NODE, key) == -1)
				goto out;
			t->sections_line = yline(k);
			t->sections_column = ycol(k);
			for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				t->sections = xrealloc(t->sections, (t->nsection + 1) * sizeof(*t->sections));
				memset(&t->sections[t->nsection], 0, sizeof(*t->sections));
				t->nsection++;
				if (load_section(&y, ynode(&y, *it), &t->sections[t->nsection - 1]) == -1)
					goto out;
			}
		} else {
			error_at(err, yline(k), ycol(k),
				"未知的键 '%s'（可用：kind name title addressee intro facts sections signatory date）",
				key);
			goto out;
		}
	}
	if (t->kind == UNIT_UNKNOWN)
		error_at(err, 1, 1, "模板缺少 kind（township street department county）");
	else if (t->title.s == NULL)
		error_at(err, 1, 1, "模板缺少 title（标题）");
	else if (t->sections_line == 0)
		error_at(err, 1, 1, "模板缺少 sections（各部分）");
	else
		rc = 0;
out:
	yaml_document_delete(&y.d);
	return rc;
}

/* ---- slots ---- */

static const char *const builtin_slots[][2] = {
	{"unit", "单位名称"},
	{"parent", "上一级（县、区、市）名称"},
	{"year", "报告年度"},
	{"next_year", "下一年度"},
	{"date", "成文日期（阿拉伯数字年月日）"},
	{"signatory", "署名单位"},
	{"leaders", "党政主要负责人职务和姓名"},
	{"doc_number", "发文字号"},
};
#define NBUILTIN (sizeof(builtin_slots) / sizeof(builtin_slots[0]))

static const struct tpl_fact *
find_fact(const struct template *t, const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < t->nfact; i++)
		if (strlen(t->facts[i].key) == n && strncmp(t->facts[i].key, key, n) == 0)
			return &t->facts[i];
	return NULL;
}

static int
builtin_slot(const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < NBUILTIN; i++)
		if (strlen(builtin_slots[i][0]) == n && strncmp(builtin_slots[i][0], key, n) == 0)
			return (int)i;
	return -1;
}

/* Report every unknown or unclosed slot of one template text. */
static int
lint_slots(const struct template *t, const struct tpl_text *x, tpl_report_fn report, void *arg)
{
	const char *s, *e;
	int bad = 0;

	if (x->s == NULL)
		return 0;
	for (s = x->s; (s = strchr(s, '{')) != NULL; s = e + 1) {
		char *msg;

		if ((e = strchr(s, '}')) == NULL) {
			report(arg, t->file, x->line, x->column, "“{” 没有对应的 “}”");
			return bad + 1;
		}
		if (builtin_slot(s + 1, (size_t)(e - s - 1)) >= 0 ||
		    find_fact(t, s + 1, (size_t)(e - s - 1)) != NULL)
			continue;
		msg = xasprintf("未知的填充项 {%.*s}（可用：unit parent year next_year date signatory "
				"leaders doc_number 及 facts 中的项）",
			(int)(e - s - 1), s + 1);
		report(arg, t->file, x->line, x->column, msg);
		free(msg);
		bad++;
	}
	return bad;
}

/* The pack's definition of section id, or NULL. */
static const struct section_def *
pack_section(const struct rulepack *pack, const char *id)
{
	size_t i;

	for (i = 0; i < pack->nsection; i++)
		if (strcmp(pack->sections[i].id, id) == 0)
			return &pack->sections[i];
	return NULL;
}

static int
section_applies(const struct section_def *d, enum unit_kind k)
{
	return d->kinds == 0 || (d->kinds & (1u << k)) != 0;
}

int
template_lint(const struct template *t, const struct rulepack *pack, tpl_report_fn report,
	void *arg)
{
	size_t i, j, k;
	int bad = 0;
	char *msg;

	bad += lint_slots(t, &t->title, report, arg);
	bad += lint_slots(t, &t->addressee, report, arg);
	bad += lint_slots(t, &t->intro, report, arg);
	bad += lint_slots(t, &t->signatory, report, arg);
	bad += lint_slots(t, &t->date, report, arg);
	for (i = 0; i < t->nsection; i++) {
		const struct tpl_section *s = &t->sections[i];
		const struct section_def *d = pack_section(pack, s->id.s);

		if (d == NULL) {
			msg = xasprintf("规则包中没有部分 '%s'", s->id.s);
			report(arg, t->file, s->id.line, s->id.column, msg);
			free(msg);
			bad++;
		}
		for (j = 0; j < i; j++)
			if (strcmp(t->sections[j].id.s, s->id.s) == 0) {
				msg = xasprintf("部分 '%s' 重复（第一次在第 %d 行）", s->id.s,
					t->sections[j].id.line);
				report(arg, t->file, s->id.line, s->id.column, msg);
				free(msg);
				bad++;
				break;
			}
		if (s->guidance.s == NULL && s->nsub == 0) {
			msg = xasprintf("部分 '%s' 缺少 guidance（填写提示）", s->id.s);
			report(arg, t->file, s->id.line, s->id.column, msg);
			free(msg);
			bad++;
		}
		bad += lint_slots(t, &s->text, report, arg);
		bad += lint_slots(t, &s->guidance, report, arg);
		for (k = 0; k < s->nsub; k++) {
			const struct tpl_sub *sub = &s->subs[k];

			if (sub->guidance.s == NULL) {
				msg = xasprintf("二级标题 '%s' 缺少 guidance（填写提示）", sub->key);
				report(arg, t->file, sub->heading.line, sub->heading.column, msg);
				free(msg);
				bad++;
			}
			bad += lint_slots(t, &sub->heading, report, arg);
			bad += lint_slots(t, &sub->text, report, arg);
			bad += lint_slots(t, &sub->guidance, report, arg);
		}
	}
	for (i = 0; i < pack->nsection; i++) {
		const struct section_def *d = &pack->sections[i];

		if (d->missing < SEV_WARNING || !section_applies(d, t->kind))
			continue;
		for (j = 0; j < t->nsection; j++)
			if (strcmp(t->sections[j].id.s, d->id) == 0)
				break;
		if (j == t->nsection) {
			msg = xasprintf("缺少必需的部分 '%s'（%s，%s）", d->id, d->name,
				d->rule ? d->rule : "");
			report(arg, t->file, t->sections_line, t->sections_column, msg);
			free(msg);
			bad++;
		}
	}
	return bad;
}

char *
templates_dir(void)
{
	const char *e = getenv("FZREPORT_TEMPLATES");
	char exe[PATH_MAX], *dir;

	if (e != NULL && *e != '\0')
		return xstrdup(e);
	if (exe_dir(exe, sizeof(exe)) == 0) {
		/* next to the program, or one up (build-asan/fzreport) */
		dir = xasprintf("%s/templates", exe);
		if (access(dir, R_OK) == 0)
			return dir;
		free(dir);
		dir = xasprintf("%s/../templates", exe);
		if (access(dir, R_OK) == 0)
			return dir;
		free(dir);
	}
	return xstrdup(FZ_DATADIR "/templates");
}

/* ---- profiles ---- */

void
profile_init(struct profile *p)
{
	memset(p, 0, sizeof(*p));
}

static void
kv_free(struct kv *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

void
profile_release(struct profile *p)
{
	free(p->file);
	free(p->unit);
	free(p->parent);
	free(p->addressee);
	free(p->signatory);
	free(p->date);
	free(p->doc_number);
	kv_free(p->leaders, p->nleader);
	kv_free(p->facts, p->nfact);
	kv_free(p->paras, p->npara);
	memset(p, 0, sizeof(*p));
}

static void
kv_add(struct kv **v, size_t *n, const char *key, const char *value, int line, int column)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].key = xstrdup(key);
	(*v)[*n].value = xstrdup(value);
	(*v)[*n].line = line;
	(*v)[*n].column = column;
	(*n)++;
}

/* A scalar, or a list of scalars joined with '\n' (paragraphs). */
static int
yparas(struct ydoc *y, yaml_node_t *n, const char *key, struct buf *out)
{
	yaml_node_item_t *it;

	if (n->type == YAML_SCALAR_NODE) {
		buf_adds(out, yscalar(n));
		return 0;
	}
	if (yexpect(y, n, YAML_SEQUENCE_NODE, key) == -1)
		return -1;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *x = ynode(y, *it);

		if (yexpect(y, x, YAML_SCALAR_NODE, key) == -1)
			return -1;
		if (out->len > 0)
			buf_addc(out, '\n');
		buf_adds(out, yscalar(x));
	}
	return 0;
}

static int
profile_strfield(struct ydoc *y, yaml_node_t *v, const char *key, char **dst)
{
	struct tpl_text tmp = {0};

	if (ytext(y, v, key, &tmp) == -1)
		return -1;
	free(*dst);
	/* an empty value is the same as no value: it stays a placeholder */
	if (*tmp.s == '\0') {
		free(tmp.s);
		tmp.s = NULL;
	}
	*dst = tmp.s;
	return 0;
}

int
profile_load(struct profile *p, const char *path, struct error *err)
{
	struct ydoc y;
	yaml_node_t *root;
	yaml_node_pair_t *pr, *q;
	int rc = -1;

	error_clear(err);
	p->file = xstrdup(path);
	if (yload(&y, path, err) == -1)
		return -1;
	root = yaml_document_get_root_node(&y.d);
	for (pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = ynode(&y, pr->key), *v = ynode(&y, pr->value);
		const char *key = yscalar(k) ? yscalar(k) : "";
		char *tmp = NULL;

		if (strcmp(key, "unit") == 0) {
			if (profile_strfield(&y, v, key, &p->unit) == -1)
				goto out;
		} else if (strcmp(key, "parent") == 0) {
			if (profile_strfield(&y, v, key, &p->parent) == -1)
				goto out;
		} else if (strcmp(key, "addressee") == 0) {
			if (profile_strfield(&y, v, key, &p->addressee) == -1)
				goto out;
		} else if (strcmp(key, "signatory") == 0) {
			if (profile_strfield(&y, v, key, &p->signatory) == -1)
				goto out;
		} else if (strcmp(key, "date") == 0) {
			if (profile_strfield(&y, v, key, &p->date) == -1)
				goto out;
		} else if (strcmp(key, "doc_number") == 0) {
			if (profile_strfield(&y, v, key, &p->doc_number) == -1)
				goto out;
		} else if (strcmp(key, "seal") == 0) {
			const char *sv;

			if (yexpect(&y, v, YAML_SCALAR_NODE, key) == -1)
				goto out;
			sv = yscalar(v);
			if (strcmp(sv, "true") == 0 || strcmp(sv, "yes") == 0 || strcmp(sv, "是") == 0)
				p->seal = 1;
			else if (strcmp(sv, "false") == 0 || strcmp(sv, "no") == 0 || strcmp(sv, "否") == 0)
				p->seal = 0;
			else {
				error_at(err, yline(v), ycol(v), "seal 应是 true（加盖印章）或 false（不加盖印章）");
				goto out;
			}
		} else if (strcmp(key, "kind") == 0) {
			if (profile_strfield(&y, v, key, &tmp) == -1)
				goto out;
			p->kind = tmp ? unit_kind_parse(tmp) : UNIT_UNKNOWN;
			if (tmp && p->kind == UNIT_UNKNOWN) {
				error_at(err, yline(v), ycol(v),
					"未知的单位类型 '%s'（township street department county）", tmp);
				free(tmp);
				goto out;
			}
			free(tmp);
		} else if (strcmp(key, "year") == 0) {
			char *end;
			long yr;

			if (yexpect(&y, v, YAML_SCALAR_NODE, key) == -1)
				goto out;
			yr = strtol(yscalar(v), &end, 10);
			if (*end != '\0' || yr < 2000 || yr > 2100) {
				error_at(err, yline(v), ycol(v), "year 应是四位年份，如 2024");
				goto out;
			}
			p->year = (int)yr;
		} else if (strcmp(key, "leaders") == 0) {
			yaml_node_item_t *it;

			if (yexpect(&y, v, YAML_SEQUENCE_NODE, key) == -1)
				goto out;
			for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				yaml_node_t *l = ynode(&y, *it);
				const char *role = NULL, *name = NULL;

				if (yexpect(&y, l, YAML_MAPPING_NODE, key) == -1)
					goto out;
				for (q = l->data.mapping.pairs.start; q < l->data.mapping.pairs.top; q++) {
					const char *lk = yscalar(ynode(&y, q->key));
					yaml_node_t *lv = ynode(&y, q->value);

					if (yexpect(&y, lv, YAML_SCALAR_NODE, lk ? lk : key) == -1)
						goto out;
					if (lk && strcmp(lk, "role") == 0)
						role = yscalar(lv);
					else if (lk && strcmp(lk, "name") == 0)
						name = yscalar(lv);
					else {
						error_at(err, yline(ynode(&y, q->key)), ycol(ynode(&y, q->key)),
							"leaders 的每一项只有 role（职务）和 name（姓名）");
						goto out;
					}
				}
				if (role == NULL || name == NULL || !*role || !*name) {
					error_at(err, yline(l), ycol(l), "leaders 的每一项须有 role 和 name");
					goto out;
				}
				kv_add(&p->leaders, &p->nleader, role, name, yline(l), ycol(l));
			}
		} else if (strcmp(key, "facts") == 0 || strcmp(key, "paragraphs") == 0) {
			int facts = key[0] == 'f';

			if (yexpect(&y, v, YAML_MAPPING_NODE, key) == -1)
				goto out;
			for (q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
				yaml_node_t *fk = ynode(&y, q->key), *fv = ynode(&y, q->value);
				struct buf b;

				buf_init(&b);
				if (facts ? yexpect(&y, fv, YAML_SCALAR_NODE, yscalar(fk) ? yscalar(fk) : key)
					  : yparas(&y, fv, yscalar(fk) ? yscalar(fk) : key, &b)) {
					buf_release(&b);
					goto out;
				}
				if (facts)
					buf_adds(&b, yscalar(fv));
				if (b.len > 0)
					kv_add(facts ? &p->facts : &p->paras, facts ? &p->nfact : &p->npara,
						yscalar(fk) ? yscalar(fk) : "", b.s, yline(fk), ycol(fk));
				buf_release(&b);
			}
		} else {
			error_at(err, yline(k), ycol(k),
				"未知的键 '%s'（可用：unit kind parent year addressee signatory date doc_number "
				"seal leaders facts paragraphs）",
				key);
			goto out;
		}
	}
	if (p->unit == NULL)
		error_at(err, 1, 1, "单位概况缺少 unit（单位名称）");
	else if (p->year == 0)
		error_at(err, 1, 1, "单位概况缺少 year（报告年度）");
	else
		rc = 0;
out:
	yaml_document_delete(&y.d);
	return rc;
}

enum unit_kind
unit_kind_guess(const char *u)
{
	if (str_ends(u, "街道") || str_ends(u, "街道办事处") || str_ends(u, "办事处"))
		return UNIT_STREET;
	if (str_ends(u, "镇") || str_ends(u, "乡") || str_ends(u, "镇人民政府") ||
	    str_ends(u, "乡人民政府"))
		return UNIT_TOWNSHIP;
	if (str_ends(u, "县") || str_ends(u, "区") || str_ends(u, "旗") || str_ends(u, "县人民政府") ||
	    str_ends(u, "区人民政府"))
		return UNIT_COUNTY;
	if (str_ends(u, "局") || str_ends(u, "委") || str_ends(u, "办") || str_ends(u, "院") ||
	    str_ends(u, "中心") || str_ends(u, "委员会"))
		return UNIT_DEPARTMENT;
	return UNIT_UNKNOWN;
}

/* ---- skeleton ---- */

void
skeleton_init(struct skeleton *sk)
{
	memset(sk, 0, sizeof(*sk));
}

void
skeleton_release(struct skeleton *sk)
{
	size_t i;

	for (i = 0; i < sk->n; i++)
		free(sk->b[i].text);
	free(sk->b);
	free(sk->title);
	free(sk->unit);
	memset(sk, 0, sizeof(*sk));
}

static void
sk_add(struct skeleton *sk, enum skel_kind kind, char *text, int placeholder)
{
	xgrow(&sk->b, &sk->cap, sk->n + 1, sizeof(*sk->b));
	sk->b[sk->n].kind = kind;
	sk->b[sk->n].text = text;
	sk->b[sk->n].placeholder = placeholder;
	sk->n++;
}

struct filler {
	const struct template *t;
	const struct profile *p;
	int placeholders;
	unsigned char *fact_used;
	unsigned char *para_used;
};

static const char *
kv_get(const struct kv *v, size_t n, const char *key, size_t klen, size_t *idx)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(v[i].key) == klen && strncmp(v[i].key, key, klen) == 0) {
			if (idx)
				*idx = i;
			return v[i].value;
		}
	return NULL;
}

static void
placeholder(struct filler *f, struct buf *b, const char *label)
{
	buf_adds(b, PLACEHOLDER_OPEN);
	buf_adds(b, label);
	buf_adds(b, PLACEHOLDER_CLOSE);
	f->placeholders++;
}

/* Value of the slot key[0..n) into b, or its placeholder. */
static void
fill_slot(struct filler *f, const char *key, size_t n, struct buf *b)
{
	const struct profile *p = f->p;
	const struct tpl_fact *fact;
	const char *v = NULL;
	size_t i, idx;
	int bi = builtin_slot(key, n);

	switch (bi) {
	case 0: v = p->unit; break;
	case 1: v = p->parent; break;
	case 2:
	case 3:
		if (p->year) {
			buf_printf(b, "%d", p->year + (bi == 3));
			return;
		}
		break;
	case 4: v = p->date; break;
	case 5: v = p->signatory ? p->signatory : p->unit; break;
	case 6:
		for (i = 0; i < p->nleader; i++)
			buf_printf(b, "%s%s%s", i ? "、" : "", p->leaders[i].key, p->leaders[i].value);
		if (p->nleader)
			return;
		break;
	case 7: v = p->doc_number; break;
	default:
		if ((v = kv_get(p->facts, p->nfact, key, n, &idx)) != NULL)
			f->fact_used[idx] = 1;
		break;
	}
	if (v != NULL && *v != '\0') {
		buf_adds(b, v);
		return;
	}
	if (bi >= 0)
		placeholder(f, b, builtin_slots[bi][1]);
	else if ((fact = find_fact(f->t, key, n)) != NULL)
		placeholder(f, b, fact->label);
	else {
		/* lint rejects unknown slots; keep the text visible anyway */
		buf_adds(b, "{");
		buf_add(b, key, n);
		buf_adds(b, "}");
	}
}

/*
 * "{unit}人民政府" with a unit already named 青河镇人民政府: the value filled
 * in at b[before..] already ends with the organ the template adds after the
 * slot, so the template's words are skipped (not 青河镇人民政府人民政府).
 */
static const char *
skip_repeated_suffix(const struct buf *b, size_t before, const char *s)
{
	static const char *const organ[] = {"人民政府", "街道办事处", "办事处", NULL};
	size_t i, n;

	for (i = 0; organ[i]; i++) {
		n = strlen(organ[i]);
		if (strncmp(s, organ[i], n) == 0 && b->len - before >= n &&
		    memcmp(b->s + b->len - n, organ[i], n) == 0)
			return s + n;
	}
	return s;
}

/* Template text with its slots filled, as a new string (NULL if s is NULL). */
static char *
fill(struct filler *f, const char *s)
{
	struct buf b;
	const char *o, *e;

	if (s == NULL)
		return NULL;
	buf_init(&b);
	while ((o = strchr(s, '{')) != NULL && (e = strchr(o, '}')) != NULL) {
		buf_add(&b, s, (size_t)(o - s));
		size_t before = b.len;

		fill_slot(f, o + 1, (size_t)(e - o - 1), &b);
		s = e + 1;
		s = skip_repeated_suffix(&b, before, s);
	}
	buf_adds(&b, s);
	return buf_detach(&b);
}

/* Paragraphs of the profile under key, each a block; 0 if there are none. */
static int
add_paras(struct filler *f, struct skeleton *sk, const char *key)
{
	size_t idx;
	const char *v = kv_get(f->p->paras, f->p->npara, key, strlen(key), &idx), *e;

	if (v == NULL)
		return 0;
	f->para_used[idx] = 1;
	for (; *v; v = *e ? e + 1 : e) {
		e = strchr(v, '\n');
		if (e == NULL)
			e = v + strlen(v);
		if (e > v)
			sk_add(sk, SK_PARA, xstrndup(v, (size_t)(e - v)), 0);
	}
	return 1;
}

/* The text, the profile's paragraphs or the guidance placeholder of a section or sub-heading. */
static void
add_body(struct filler *f, struct skeleton *sk, const char *key, const struct tpl_text *text,
	const struct tpl_text *guidance)
{
	if (text->s != NULL)
		sk_add(sk, SK_PARA, fill(f, text->s), 0);
	if (!add_paras(f, sk, key) && guidance->s != NULL) {
		struct buf b;
		char *g = fill(f, guidance->s);

		buf_init(&b);
		placeholder(f, &b, g);
		free(g);
		sk_add(sk, SK_PARA, buf_detach(&b), 1);
	}
}

static const char *const zh_num[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
	"十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"};

int
skeleton_build(struct skeleton *sk, const struct template *t, const struct rulepack *pack,
	const struct profile *p, tpl_report_fn report, void *arg)
{
	struct filler f = {t, p, 0, NULL, NULL};
	size_t i, k;
	char *s;

	f.fact_used = xcalloc(p->nfact + 1, 1);
	f.para_used = xcalloc(p->npara + 1, 1);
	sk->unit = xstrdup(p->unit ? p->unit : "");
	sk->sealed = p->seal;
	if (p->doc_number != NULL)
		sk_add(sk, SK_DOCNUM, xstrdup(p->doc_number), 0);
	sk->title = fill(&f, t->title.s);
	sk_add(sk, SK_TITLE, xstrdup(sk->title), 0);
	if (p->addressee != NULL)
		sk_add(sk, SK_ADDRESSEE, xstrdup(p->addressee), 0);
	else if (t->addressee.s != NULL)
		sk_add(sk, SK_ADDRESSEE, fill(&f, t->addressee.s), 0);
	if (!add_paras(&f, sk, "intro") && t->intro.s != NULL)
		sk_add(sk, SK_PARA, fill(&f, t->intro.s), 0);
	for (i = 0; i < t->nsection; i++) {
		const struct tpl_section *sec = &t->sections[i];
		const struct section_def *d = pack_section(pack, sec->id.s);

		s = xasprintf("%s、%s", zh_num[i < 20 ? i : 19], d ? d->name : sec->id.s);
		sk_add(sk, SK_H1, s, 0);
		if (sec->nsub == 0)
			add_body(&f, sk, sec->id.s, &sec->text, &sec->guidance);
		else {
			if (sec->text.s != NULL)
				sk_add(sk, SK_PARA, fill(&f, sec->text.s), 0);
			add_paras(&f, sk, sec->id.s);
			for (k = 0; k < sec->nsub; k++) {
				char *h = fill(&f, sec->subs[k].heading.s);

				sk_add(sk, SK_H2, xasprintf("（%s）%s", zh_num[k < 20 ? k : 19], h), 0);
				free(h);
				add_body(&f, sk, sec->subs[k].key, &sec->subs[k].text, &sec->subs[k].guidance);
			}
		}
	}
	sk_add(sk, SK_SIGNATORY,
		p->signatory ? xstrdup(p->signatory) : fill(&f, t->signatory.s ? t->signatory.s : "{unit}"),
		0);
	sk_add(sk, SK_DATE, fill(&f, t->date.s ? t->date.s : "{date}"), 0);
	if (report != NULL) {
		for (i = 0; i < p->nfact; i++)
			if (!f.fact_used[i] && !find_fact(t, p->facts[i].key, strlen(p->facts[i].key))) {
				s = xasprintf("模板中没有事实项 '%s'，未使用", p->facts[i].key);
				report(arg, p->file, p->facts[i].line, p->facts[i].column, s);
				free(s);
			}
		for (i = 0; i < p->npara; i++)
			if (!f.para_used[i]) {
				s = xasprintf("模板中没有段落位置 '%s'，未使用", p->paras[i].key);
				report(arg, p->file, p->paras[i].line, p->paras[i].column, s);
				free(s);
			}
	}
	free(f.fact_used);
	free(f.para_used);
	return f.placeholders;
}

/* Display width of s in full-width cells (ASCII counts half). */
static size_t
cells(const char *s)
{
	size_t n = 0, half = 0, l;

	while (*s) {
		uint32_t cp = utf8_decode(s, strlen(s), &l);

		if (cp < 0x80)
			half++;
		else
			n++;
		s += l ? l : 1;
	}
	return n + (half + 1) / 2;
}

/*
 * Markdown keeps the numbered headings as plain lines ("一、…", "（一）…")
 * rather than "#" markers, so that the file still passes the structure
 * rules when it is checked as text; paragraphs are separated by blank lines.
 */
void
skeleton_text(const struct skeleton *sk, int md, struct buf *out)
{
	size_t i, w, pad;

	for (i = 0; i < sk->n; i++) {
		const struct skel_block *b = &sk->b[i];

		switch (b->kind) {
		case SK_DOCNUM:
			buf_printf(out, "%s\n\n", b->text);
			break;
		case SK_TITLE:
			buf_printf(out, "%s\n\n", b->text);
			break;
		case SK_TITLE_LINE:
			buf_printf(out, "%s\n", b->text);
			break;
		case SK_ADDRESSEE:
			buf_printf(out, "%s\n%s", b->text, md ? "\n" : "");
			break;
		case SK_PARA:
			buf_printf(out, "%s%s\n%s", md ? "" : "　　", b->text, md ? "\n" : "");
			break;
		case SK_H1:
			buf_printf(out, "%s\n%s", b->text, md ? "\n" : "");
			break;
		case SK_H2:
			buf_printf(out, "%s\n%s", b->text, md ? "\n" : "");
			break;
		case SK_SIGNATORY:
		case SK_DATE:
			if (b->kind == SK_SIGNATORY)
				buf_adds(out, "\n");
			/* right-aligned on a 28-character line, two characters from the edge */
			w = cells(b->text);
			pad = !md && w + 2 < 28 ? 28 - 2 - w : 0;
			while (pad-- > 0)
				buf_adds(out, "　");
			buf_printf(out, "%s\n%s", b->text, md ? "\n" : "");
			break;
		}
	}
}
