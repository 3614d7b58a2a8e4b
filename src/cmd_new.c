/*
 * cmd_new.c: `fzreport new` (a report skeleton from a template and a unit
 * profile, as .docx, .txt or .md) and `fzreport templates` (--list, --lint).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "diag.h"
#include "docx_write.h"
#include "rules.h"
#include "template.h"

static void
report_error(void *arg, const char *file, int line, int column, const char *message)
{
	(void)arg;
	diag_emit(stderr, file, line, column, SEV_ERROR, "TEMPLATE", message, NULL);
}

static void
report_warning(void *arg, const char *file, int line, int column, const char *message)
{
	(void)arg;
	diag_emit(stderr, file ? file : "-", line, column, SEV_WARNING, "PROFILE", message, NULL);
}

/* Load the default pack (and --rules files over it); 0 or EXIT_RULES after printing. */
static int
load_pack(struct rulepack *pack, const char **rules, size_t nrules)
{
	struct error err;
	char *path = xasprintf("%s/default.yaml", rules_default_path());
	size_t i;

	rules_init(pack);
	error_clear(&err);
	if (rules_load(pack, path, &err) == -1) {
		diag_emit(stderr, path, (int)err.line, (int)err.column, SEV_FATAL, "RULES", err.msg, NULL);
		free(path);
		return EXIT_RULES;
	}
	free(path);
	for (i = 0; i < nrules; i++)
		if (rules_load(pack, rules[i], &err) == -1) {
			diag_emit(stderr, rules[i], (int)err.line, (int)err.column, SEV_FATAL, "RULES",
				err.msg, NULL);
			return EXIT_RULES;
		}
	return 0;
}

/* Load and lint a template; 0, or EXIT_RULES after printing every problem. */
static int
load_template(struct template *t, const char *path, const struct rulepack *pack)
{
	struct error err;

	if (template_load(t, path, &err) == -1) {
		diag_emit(stderr, path, (int)err.line, (int)err.column, SEV_ERROR, "TEMPLATE", err.msg,
			NULL);
		return EXIT_RULES;
	}
	if (template_lint(t, pack, report_error, NULL) > 0)
		return EXIT_RULES;
	return 0;
}

static const char *
extension(const char *path)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');

	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static void
new_usage(FILE *fp)
{
	fputs("用法: fzreport new [--profile 单位概况.yaml] [--unit 单位] [--kind 类型] [--year 年度]\n"
	      "                    [--parent 上级] [--date 成文日期] [--signatory 署名]\n"
	      "                    [--template 模板.yaml] [--rules 规则.yaml] [--seal] [--force]\n"
	      "                    -o 输出.docx|.txt|.md\n"
	      "--seal: 落款按加盖印章的格式编排（成文日期右空四字，署名以成文日期为准居中）\n"
	      "--force: 输出文件已存在时覆盖它\n"
	      "类型: township（乡镇） street（街道） department（部门） county（县区）\n",
		fp);
}

int
cmd_new(int argc, char **argv)
{
	struct profile prof;
	struct template tpl;
	struct rulepack pack;
	struct skeleton sk;
	struct error err;
	const char *profile = NULL, *out = NULL, *tplpath = NULL, *kind = NULL, *year = NULL;
	const char *unit = NULL, *parent = NULL, *date = NULL, *signatory = NULL;
	const char **rules = NULL;
	size_t nrules = 0;
	char *path = NULL;
	const char *ext;
	int i, rc, left, force = 0, seal = 0;
	struct stat st;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], **dst = NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			new_usage(stdout);
			free(rules);
			return EXIT_CLEAN;
		}
		if (strcmp(a, "--force") == 0 || strcmp(a, "-f") == 0) {
			force = 1;
			continue;
		}
		if (strcmp(a, "--seal") == 0) {
			seal = 1;
			continue;
		}
		if (strcmp(a, "--profile") == 0) dst = &profile;
		else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) dst = &out;
		else if (strcmp(a, "--template") == 0) dst = &tplpath;
		else if (strcmp(a, "--unit") == 0) dst = &unit;
		else if (strcmp(a, "--kind") == 0) dst = &kind;
		else if (strcmp(a, "--year") == 0) dst = &year;
		else if (strcmp(a, "--parent") == 0) dst = &parent;
		else if (strcmp(a, "--date") == 0) dst = &date;
		else if (strcmp(a, "--signatory") == 0) dst = &signatory;
		else if (strcmp(a, "--rules") == 0) {
			if (i + 1 >= argc)
				goto missing;
			rules = xrealloc(rules, (nrules + 1) * sizeof(*rules));
			rules[nrules++] = argv[++i];
			continue;
		} else {
			diag_fatal("new: 未知选项 '%s'", a);
			new_usage(stderr);
			free(rules);
			return EXIT_USAGE;
		}
		if (i + 1 >= argc)
			goto missing;
		*dst = argv[++i];
	}
	if (out == NULL) {
		diag_fatal("new: 需要 -o 输出文件（.docx、.txt 或 .md）");
		free(rules);
		return EXIT_USAGE;
	}
	ext = extension(out);
	if (strcmp(ext, "docx") != 0 && strcmp(ext, "txt") != 0 && strcmp(ext, "md") != 0) {
		diag_fatal("new: 输出文件 '%s' 的扩展名应是 .docx、.txt 或 .md", out);
		free(rules);
		return EXIT_USAGE;
	}

	profile_init(&prof);
	template_init(&tpl);
	skeleton_init(&sk);
	rules_init(&pack);
	rc = EXIT_USAGE;
	if (profile != NULL && profile_load(&prof, profile, &err) == -1) {
		diag_emit(stderr, profile, (int)err.line, (int)err.column, SEV_FATAL, "PROFILE", err.msg,
			NULL);
		rc = EXIT_UNREADABLE;
		goto done;
	}
	if (unit) {
		free(prof.unit);
		prof.unit = xstrdup(unit);
	}
	if (parent) {
		free(prof.parent);
		prof.parent = xstrdup(parent);
	}
	if (date) {
		free(prof.date);
		prof.date = xstrdup(date);
	}
	if (signatory) {
		free(prof.signatory);
		prof.signatory = xstrdup(signatory);
	}
	if (seal)
		prof.seal = 1;
	if (year) {
		char *end;
		long y = strtol(year, &end, 10);

		if (*end != '\0' || y < 2000 || y > 2100) {
			diag_fatal("new: --year 应是四位年份，如 2024");
			goto done;
		}
		prof.year = (int)y;
	}
	if (kind && (prof.kind = unit_kind_parse(kind)) == UNIT_UNKNOWN) {
		diag_fatal("new: 未知的单位类型 '%s'（township street department county）", kind);
		goto done;
	}
	if (prof.unit == NULL) {
		diag_fatal("new: 需要 --unit 单位名称或 --profile 单位概况");
		goto done;
	}
	if (prof.year == 0) {
		diag_fatal("new: 需要 --year 报告年度（或在单位概况中写 year）");
		goto done;
	}
	if (prof.kind == UNIT_UNKNOWN && tplpath == NULL &&
	    (prof.kind = unit_kind_guess(prof.unit)) == UNIT_UNKNOWN) {
		diag_fatal("new: 无法从单位名称判断类型，请用 --kind 指定（township street department county）");
		goto done;
	}

	if ((rc = load_pack(&pack, rules, nrules)) != 0)
		goto done;
	if (tplpath == NULL) {
		char *dir = templates_dir();

		path = xasprintf("%s/%s.yaml", dir, unit_kind_name(prof.kind));
		free(dir);
		tplpath = path;
	}
	if ((rc = load_template(&tpl, tplpath, &pack)) != 0)
		goto done;
	if (prof.kind == UNIT_UNKNOWN)
		prof.kind = tpl.kind;

	/* a draft someone has been writing is never overwritten by accident */
	if (!force && lstat(out, &st) == 0 && S_ISREG(st.st_mode)) {
		diag_fatal("new: %s 已存在；要覆盖它请加 --force", out);
		rc = EXIT_OUTPUT;
		goto done;
	}
	left = skeleton_build(&sk, &tpl, &pack, &prof, report_warning, NULL);
	if (strcmp(ext, "docx") == 0)
		rc = docx_write(out, &sk, &err);
	else {
		struct buf b;

		buf_init(&b);
		skeleton_text(&sk, ext[0] == 'm', &b);
		rc = write_file_atomic(out, b.s, b.len, &err);
		buf_release(&b);
	}
	if (rc == -1) {
		diag_fatal("new: %s", err.msg);
		rc = EXIT_OUTPUT;
		goto done;
	}
	if (left > 0)
		fprintf(stderr, "fzreport: %s: 已生成，尚有 %d 处“[待填：…]”需要填写\n", out, left);
	else
		fprintf(stderr, "fzreport: %s: 已生成\n", out);
	rc = EXIT_CLEAN;
done:
	free(path);
	free(rules);
	skeleton_release(&sk);
	template_release(&tpl);
	profile_release(&prof);
	rules_release(&pack);
	return rc;
missing:
	diag_fatal("new: 选项 '%s' 需要一个值", argv[i]);
	free(rules);
	return EXIT_USAGE;
}

static int
yaml_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0;
}

/* One line per template of the directory: kind, file, name, and whether it lints clean. */
static int
list_templates(const struct rulepack *pack, const char *dir)
{
	struct dirent **ents;
	int n, i, rc = EXIT_CLEAN;

	if ((n = scandir(dir, &ents, yaml_name, alphasort)) < 0) {
		diag_fatal("templates: 无法读取模板目录 %s", dir);
		return EXIT_RULES;
	}
	for (i = 0; i < n; i++) {
		struct template t;
		char *path = xasprintf("%s/%s", dir, ents[i]->d_name);
		int r;

		template_init(&t);
		r = load_template(&t, path, pack);
		if (r == 0)
			printf("%-11s %-16s %s（%s）\n", unit_kind_name(t.kind), ents[i]->d_name,
				t.name ? t.name : "", unit_kind_name_zh(t.kind));
		else {
			printf("%-11s %-16s （有错误，见 fzreport templates --lint %s）\n", "-",
				ents[i]->d_name, path);
			rc = EXIT_RULES;
		}
		template_release(&t);
		free(path);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
cmd_templates(int argc, char **argv)
{
	struct rulepack pack;
	const char **rules = NULL, **lint = NULL;
	size_t nrules = 0, nlint = 0, k;
	int i, list = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0)
			list = 1;
		else if (strcmp(argv[i], "--lint") == 0 && i + 1 < argc) {
			lint = xrealloc(lint, (nlint + 1) * sizeof(*lint));
			lint[nlint++] = argv[++i];
		} else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc) {
			rules = xrealloc(rules, (nrules + 1) * sizeof(*rules));
			rules[nrules++] = argv[++i];
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			puts("用法: fzreport templates --list | --lint 模板.yaml... [--rules 规则.yaml]");
			free(rules);
			free(lint);
			return EXIT_CLEAN;
		} else if (argv[i][0] != '-' && nlint > 0) {
			lint = xrealloc(lint, (nlint + 1) * sizeof(*lint));
			lint[nlint++] = argv[i];
		} else {
			diag_fatal("templates: 用法: fzreport templates --list | --lint 模板.yaml");
			free(rules);
			free(lint);
			return EXIT_USAGE;
		}
	}
	if (!list && nlint == 0) {
		diag_fatal("templates: 用法: fzreport templates --list | --lint 模板.yaml");
		free(rules);
		return EXIT_USAGE;
	}
	if ((rc = load_pack(&pack, rules, nrules)) != 0)
		goto out;
	if (list) {
		char *dir = templates_dir();

		rc = list_templates(&pack, dir);
		free(dir);
	}
	for (k = 0; k < nlint; k++) {
		struct template t;

		template_init(&t);
		if (load_template(&t, lint[k], &pack) != 0)
			rc = EXIT_RULES;
		else
			printf("%s: 没有问题\n", lint[k]);
		template_release(&t);
	}
out:
	rules_release(&pack);
	free(rules);
	free(lint);
	return rc;
}
