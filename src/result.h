/*
 * result.h: what a check of one report found -- the model every renderer
 * reads (terminal, JSON, PDF, workbook).  Renderers include this header
 * only; they read a result and never check or report anything themselves.
 *
 * A struct result owns all of its strings and arrays; result_release()
 * frees them.  It does not point into the struct doc it was made from, so
 * results can also be read back from JSON Lines (rollup of remote checks).
 */
#ifndef FZ_RESULT_H
#define FZ_RESULT_H

#include <stddef.h>

/* Severity of a finding, lowest first (mandoc's enum mandoclevel). */
enum severity {
	SEV_NONE = 0,
	SEV_INFO,
	SEV_WARNING,
	SEV_ERROR,
	SEV_FATAL      /* the input could not be read */
};
/* "info", "warning", "error", "fatal"; Chinese: 提示 警告 错误 无法读取. */
const char *severity_name(enum severity s);
const char *severity_name_zh(enum severity s);
/* Parse "error"/"warning"/"info" (and Chinese); SEV_NONE if unknown. */
enum severity severity_parse(const char *s);

/* Verdict of one report. */
enum verdict {
	VERDICT_PASS,        /* 合格: no errors, no warnings */
	VERDICT_REVISE,      /* 需修改: warnings */
	VERDICT_FAIL,        /* 不合格: errors */
	VERDICT_UNREADABLE   /* 无法读取 */
};
const char *verdict_name(enum verdict v);     /* "pass" "revise" "fail" "unreadable" */
const char *verdict_name_zh(enum verdict v);  /* 合格 需修改 不合格 无法读取 */
enum verdict verdict_parse(const char *s);

/* Kind of the reporting unit. */
enum unit_kind {
	UNIT_UNKNOWN,
	UNIT_TOWNSHIP,     /* 乡镇 */
	UNIT_STREET,       /* 街道 */
	UNIT_DEPARTMENT,   /* 部门 */
	UNIT_COUNTY        /* 县（区、市） */
};
const char *unit_kind_name(enum unit_kind k);     /* "township" ... */
const char *unit_kind_name_zh(enum unit_kind k);  /* 乡镇 街道 部门 县 */
enum unit_kind unit_kind_parse(const char *s);

/* Kinds of outline nodes. */
enum node_kind {
	NODE_TITLE,     /* the report title (level 0) */
	NODE_PART,      /* an unnumbered part heading (level 1 unless stated) */
	NODE_HEADING,   /* a numbered heading, levels 1..4 */
	NODE_ITEM       /* 一是/二是 items (level 5) */
};
const char *node_kind_name(enum node_kind k);

struct outline_node {
	enum node_kind kind;
	int level;          /* 0 title, 1 一、, 2 （一）, 3 1., 4 （1）, 5 一是 */
	int line, column;   /* first character of the numbering, or of the text */
	char *text;         /* heading text without its numbering; run-in: up to the first 。 */
	char *numbering;    /* the number as written ("2、", "（一）"), NULL if none */
	int number;         /* numeric value of the numbering (一 = 1), 0 if none */
	char *section;      /* section id (level 1, and a level-2 leadership heading), or NULL */
	int run_in;         /* body text follows on the same line */
	int parent;         /* index of the parent node, -1 at the top */
};

enum section_status {
	SECTION_FOUND,
	SECTION_INLINE,     /* no heading, but its content appears inside another section */
	SECTION_MISSING
};
const char *section_status_name(enum section_status s);  /* found inline missing */

struct section_result {
	char *id;           /* measures, shortcomings, leadership, plan, other_required */
	char *name;         /* Chinese name from the rule pack */
	enum section_status status;
	int line, column;   /* the heading, or the inline mention; 0 if missing */
	long chars;         /* characters of its content (non-space), 0 if missing */
	enum severity missing_severity;
	char *rule;         /* the rule that reports it missing or inline (may be NULL) */
	char *source;       /* the clause that requires it (may be NULL) */
};

struct finding {
	char *rule;         /* rule id, e.g. REG-004 */
	enum severity severity;
	int line, column;   /* 0 when the finding concerns the whole document */
	char *message;      /* Chinese */
	char *excerpt;      /* the offending text (may be NULL) */
	long mark_off;      /* byte offset of the match within excerpt, -1 if none */
	long mark_len;      /* byte length of the match within excerpt */
	char *source;       /* the clause the rule rests on (may be NULL) */
	char *hint;         /* how to fix it (may be NULL) */
	int more;           /* findings of this rule the engine left out (on one of them) */
	int shared;         /* rule, source and hint are result_add_finding()'s shared copies */
};

/* A rule that could not be evaluated: never counted as passed. */
struct unchecked {
	char *rule;
	enum severity severity;
	char *message;      /* the rule's message */
	char *reason;       /* why it was not checked (Chinese) */
};

struct meta {
	char *title;
	char *unit;
	enum unit_kind unit_kind;
	char *parent;
	int year;           /* the year reported on, 0 if unknown */
	char *doc_number;
	char *addressee;
	char *signatory;
	char *date;         /* 成文日期 as written */
	int date_y, date_m, date_d;  /* parsed, 0 if unknown */
	/* .docx docProps/core.xml, as the file says (NULL when absent) */
	char *core_title, *core_creator, *core_modified;
};

struct summary {
	int errors, warnings, infos;
	int not_checked;
	enum verdict verdict;
};

/* A rule pack that took part in the check. */
struct pack_info {
	char *name;
	char *version;
};

struct result {
	char *file;
	char *format;       /* "txt", "docx" */
	char *encoding;
	char *error;        /* set when the input could not be read (verdict unreadable) */
	long chars;         /* 字数: non-space characters of the body */
	struct meta meta;
	struct outline_node *outline;
	size_t noutline;
	struct section_result *sections;
	size_t nsection;
	struct finding *findings;
	size_t nfinding;
	size_t findings_cap;    /* room at findings (result_add_finding()'s; 0 where another made it) */
	struct unchecked *unchecked;
	size_t nunchecked;
	struct pack_info *packs;
	size_t npack;
	struct summary summary;
	char *layout_json;  /* .docx layout facts as a JSON object text, or NULL */
};

void result_init(struct result *r);
/* Free the strings of one finding (not the finding itself). */
void finding_release(struct finding *f);
void result_release(struct result *r);
/*
 * Append a finding; strings are copied (any may be NULL but rule/message).
 * rule, source and hint are the pack's texts, the same in every report:
 * one copy of each is kept for the whole run and shared by the findings
 * (finding_release() leaves it), so pass texts that repeat there, never a
 * report's own text.
 */
struct finding *result_add_finding(struct result *r, const char *rule, enum severity sev,
	int line, int column, const char *message, const char *excerpt, const char *source,
	const char *hint);
void result_add_unchecked(struct result *r, const char *rule, enum severity sev,
	const char *message, const char *reason);
/* Free result_add_finding()'s shared copies, when no finding is left (at exit). */
void result_shared_free(void);
/* Order findings by position, count them and set the verdict. */
void result_finish(struct result *r);

/*
 * Walk the outline as a tree with enter/exit events (cmark_iter_next).
 * Set it up with outline_iter_init(); each call to outline_iter_next()
 * returns OUTLINE_ENTER or OUTLINE_EXIT with *node the index, or
 * OUTLINE_DONE at the end.
 */
enum outline_event { OUTLINE_DONE, OUTLINE_ENTER, OUTLINE_EXIT };
struct outline_iter {
	const struct result *r;
	size_t next;
	int stack[16];
	int depth;
};
void outline_iter_init(struct outline_iter *it, const struct result *r);
enum outline_event outline_iter_next(struct outline_iter *it, int *node);

#endif
