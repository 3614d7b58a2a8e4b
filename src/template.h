/*
 * template.h: report templates (templates/<kind>.yaml), unit profiles
 * (unit.yaml) and the report skeleton made from them for `fzreport new`.
 *
 * A template names the required sections by id; their headings come from
 * the rule pack's section definitions (rules/sections.yaml), so the
 * generator and the checker share one source of truth.  Text in a
 * template may hold slots, {name}, filled from the profile; a slot or a
 * paragraph the profile leaves empty becomes the visible placeholder
 * "[待填：说明]", which the default pack's placeholder rule flags.
 *
 * Every struct here owns its strings; the matching *_release() frees them.
 */
#ifndef FZ_TEMPLATE_H
#define FZ_TEMPLATE_H

#include <stddef.h>

#include "result.h"
#include "rules.h"
#include "util.h"

/* A YAML scalar and where it was written (1-based; 0 when absent). */
struct tpl_text {
	char *s;
	int line, column;
};

/* A suggested level-2 heading under a section (measures: the 纲要's nine areas). */
struct tpl_sub {
	char *key;                 /* profile paragraphs key */
	struct tpl_text heading;
	struct tpl_text text;      /* optional sentence with slots, always printed */
	struct tpl_text guidance;  /* 填写提示: the placeholder when the profile gives no paragraph */
};

struct tpl_section {
	struct tpl_text id;        /* a section id of the rule pack */
	struct tpl_text text;
	struct tpl_text guidance;
	struct tpl_sub *subs;
	size_t nsub;
};

/* A fact the profile may give (counts of 学法, 调解 ...), usable as a slot. */
struct tpl_fact {
	char *key;
	char *label;               /* Chinese, shown in the placeholder */
	int line, column;
};

struct template {
	char *file;
	enum unit_kind kind;
	int kind_line, kind_column;
	char *name;                /* Chinese description */
	struct tpl_text title, addressee, intro, signatory, date;
	struct tpl_fact *facts;
	size_t nfact;
	struct tpl_section *sections;
	size_t nsection;
	int sections_line, sections_column;
};

void template_init(struct template *t);
void template_release(struct template *t);
/*
 * Read a template file.  Only YAML and shape problems fail here (err has
 * file line and column); template_lint() checks the content.  0 or -1.
 */
int template_load(struct template *t, const char *path, struct error *err);

/* Called once per lint problem (line/column 1-based, 0 if unknown). */
typedef void (*tpl_report_fn)(void *arg, const char *file, int line, int column,
	const char *message);
/*
 * Check a loaded template against the rule pack: every section id known,
 * no duplicates, every required section (severity warning or error, for
 * the template's unit kind) present, every slot known, guidance given.
 * Returns the number of problems reported.
 */
int template_lint(const struct template *t, const struct rulepack *pack, tpl_report_fn report,
	void *arg);

/* Directory of the bundled templates: $FZREPORT_TEMPLATES, next to the program, or installed. */
char *templates_dir(void);

/* One value of a profile with its position. */
struct kv {
	char *key;
	char *value;
	int line, column;
};

struct profile {
	char *file;                /* NULL when built from the command line */
	char *unit, *parent, *addressee, *signatory, *date, *doc_number;
	enum unit_kind kind;
	int year;                  /* 0 if not given */
	int seal;                  /* 落款 laid out for a seal (GB/T 9704 §7.3.5.1) */
	struct kv *leaders;        /* key = 职务, value = 姓名 */
	size_t nleader;
	struct kv *facts;
	size_t nfact;
	struct kv *paras;          /* key = intro, a section id or a sub-heading key; value = paragraphs, '\n'-separated */
	size_t npara;
};

void profile_init(struct profile *p);
void profile_release(struct profile *p);
/* Read a unit profile (YAML); err has file:line:column.  0 or -1. */
int profile_load(struct profile *p, const char *path, struct error *err);
/* Guess the unit kind from the unit name (镇/乡 township, 街道 street, ...). */
enum unit_kind unit_kind_guess(const char *unit);

/* The report skeleton: what every writer (docx, txt, md) lays out. */
enum skel_kind {
	SK_DOCNUM,      /* 发文字号 */
	SK_TITLE,
	SK_ADDRESSEE,   /* 主送机关 */
	SK_PARA,        /* body paragraph */
	SK_H1,          /* 一、 heading (numbering included in text) */
	SK_H2,          /* （一） heading */
	SK_SIGNATORY,   /* 落款 */
	SK_DATE,        /* 成文日期 */
	SK_TITLE_LINE   /* a line of a title set on several lines, before its last (SK_TITLE) */
};

struct skel_block {
	enum skel_kind kind;
	char *text;
	int placeholder;  /* the paragraph is a whole 填写提示 placeholder */
};

struct skeleton {
	char *title;
	char *unit;
	int sealed;                /* 落款 laid out for a seal */
	struct skel_block *b;
	size_t n;
	size_t cap;
};

void skeleton_init(struct skeleton *sk);
void skeleton_release(struct skeleton *sk);
/*
 * Fill the template t with profile p (headings from pack).  Profile
 * entries the template does not use are passed to report (as warnings).
 * Returns the number of placeholders left.
 */
int skeleton_build(struct skeleton *sk, const struct template *t, const struct rulepack *pack,
	const struct profile *p, tpl_report_fn report, void *arg);
/* Plain text (md = 0) or Markdown (md = 1) of a skeleton, appended to out. */
void skeleton_text(const struct skeleton *sk, int md, struct buf *out);

/* The placeholder for a missing value: "[待填：label]". */
#define PLACEHOLDER_OPEN "[待填："
#define PLACEHOLDER_CLOSE "]"

#endif
