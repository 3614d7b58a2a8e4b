/*
 * rules.h: rule packs loaded from YAML (the .yaml files under rules/) -- the required
 * sections and every content check.  Nothing that is checked lives in C
 * string literals: the C code only knows the kinds of checks.
 *
 * A struct rulepack owns everything it points to; rules_release() frees
 * it.  Compiled patterns are shared read-only between threads; each
 * thread matches with its own struct matcher.
 */
#ifndef FZ_RULES_H
#define FZ_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "result.h"
#include "textindex.h"
#include "util.h"

/* A literal that every match of a pattern contains (the prefilter). */
struct patlit {
	char *s;
	size_t len;
	struct textindex_ref ref;  /* its pair for the text index */
};

struct firstchars;
struct linelits;

/* A compiled PCRE2 pattern (UTF|UCP), matched against normalised text. */
struct pattern {
	char *src;           /* as written in the rule file */
	pcre2_code *re;
	int line, column;    /* of the YAML scalar, 1-based */
	struct patlit *lit;  /* every match contains one of these (nlit 0: unknown) */
	size_t nlit;
	struct patlit *first;/* every match starts with one of these (nfirst 0: unknown) */
	size_t nfirst;
	struct firstchars *fc;/* nfirst 0: every match starts with one of these characters (NULL: unknown) */
	pcre2_code *anch;    /* re anchored, tried where one of first stands; with fc, re with
	                      * an offset limit, run over each stretch of fc's characters */
	int slow_start;      /* PCRE2 finds no start of re fast: no first code unit or line start
	                      * (or, with first, a first code unit that begins Chinese characters) */
	struct linelits *lines;/* every match holds one of these in the line it starts in, at
	                      * or after its start (NULL: not known) */
	struct pattern *alt; /* its top-level alternatives compiled apart (nalt 0: not split) */
	size_t nalt;
	_Atomic int jitted;  /* 0 not compiled yet (at its first match, see pattern_code()),
	                      * 1 interpreted, 2 JIT compiled */
	_Atomic int ajitted; /* the same for anch */
	_Atomic int amade;   /* anch compiled (at its first use) */
};

/* Unit-kind bits for section_def.kinds (0 = all kinds). */
#define KIND_TOWNSHIP (1u << UNIT_TOWNSHIP)
#define KIND_STREET (1u << UNIT_STREET)
#define KIND_DEPARTMENT (1u << UNIT_DEPARTMENT)
#define KIND_COUNTY (1u << UNIT_COUNTY)

/* A required (or recognised) part of the report. */
struct section_def {
	char *id;                  /* measures, shortcomings, leadership, plan, other_required, ... */
	char *name;                /* Chinese name */
	enum severity missing;     /* severity when missing; SEV_NONE = not required */
	enum severity inline_sev;  /* severity when only inline */
	char *rule;                /* rule id of the "missing" finding, e.g. REG-001 */
	char *message;             /* Chinese message when missing */
	char *inline_message;      /* Chinese message when only inline */
	char *source;              /* the clause it rests on */
	char *hint;
	struct pattern *heading;   /* a level-1 heading matching any of these is this section */
	size_t nheading;
	struct pattern *inline_;   /* body text matching any of these = mentioned inline */
	size_t ninline;
	int level2;                /* a level-2 heading may also carry this section */
	int fallback;              /* unmatched thematic level-1 headings before the others get this id */
	int late;                  /* a heading only after another level-1 heading, before later sections' */
	unsigned kinds;            /* KIND_* bits; 0 = every unit kind */
	int line, column;
};

/*
 * One step of a rule's mechanical fix (fix: in its YAML), applied to the
 * text a finding marks: every match of from becomes to, where $1, ${2}
 * name groups of from.  With message instead (the kind worked the right
 * form out and says it: "应写作“（一）”"), the whole marked text becomes
 * to with $1... the groups of message matched in the finding's message;
 * the step does nothing when message does not match.  With neither
 * (fix: as a plain string) the whole marked text becomes to.
 */
struct fix_def {
	struct pattern from;   /* re NULL when not given */
	struct pattern message;
	char *to;
};

struct check_ctx;
struct check_def;
struct yaml_document_s;
struct yaml_node_s;

/*
 * A kind of check (require, forbid, length, numbering, year, ...).  One
 * C file per kind registers one of these in rules_kinds.c; adding a kind
 * never touches the others.
 */
struct check_kind {
	const char *name;
	/*
	 * Read the kind's settings (the value of its key in the rule's
	 * mapping); c->data is NULL for a new rule and the old settings for
	 * an override, which changes only the keys given.  0 or -1.
	 */
	int (*load)(struct check_def *c, struct yaml_document_s *doc, struct yaml_node_s *node,
		struct error *err);
	/* Evaluate on one document: add findings or an "unchecked" to ctx->res. */
	void (*run)(const struct check_def *c, struct check_ctx *ctx);
	/* Free what load() put in c->data. */
	void (*free)(void *data);
};

struct check_def {
	char *id;
	enum severity severity;
	int enabled;
	char *message;       /* Chinese */
	char *source;
	char *hint;          /* may be NULL */
	char *scope;         /* document, title, heading, section:ID, paragraph, meta:FIELD, layout */
	int optional;        /* an absent scope is nothing to check, not "unchecked" */
	int year_min, year_max;  /* applies only to reports on these years (0 = no bound) */
	struct pattern *unless_title;  /* not applied to reports whose title matches (or NULL) */
	const struct check_kind *kind;
	void *data;          /* the kind's own settings */
	char **fires;        /* examples the rule must flag */
	size_t nfires;
	char **passes;       /* examples it must not flag */
	size_t npasses;
	char **yields;       /* yields_to: rules that own a defect both report (their finding stays) */
	size_t nyields;
	struct fix_def *fix; /* the mechanical fix, applied in order; NULL if none */
	size_t nfix;
	char **fixed;        /* examples: fires[i] once fixed (rules --lint checks both) */
	size_t nfixed;
	char *file;          /* rule file it came from */
	int line, column;
};

struct rulepack {
	struct textindex_keys *keys; /* the pairs the patterns' literals start with (textindex.h) */
	char *name;
	char *version;
	char *description;
	struct pack_info *packs;   /* every file layered in, in order */
	size_t npack;
	struct section_def *sections;
	size_t nsection;
	struct check_def *checks;
	size_t ncheck;
};

/*
 * Set by `rules --lint`: patterns that match the empty string are refused
 * (they fire, or are satisfied, at every position of every report).
 */
extern int rules_strict;

void rules_init(struct rulepack *p);
void rules_release(struct rulepack *p);

/*
 * Load a rule file (and its includes) into p.  The first file loaded is
 * the base pack; later files are layered over it: they may switch rules
 * off, change severities or settings and add rules or words.  Every
 * problem is reported with file:line:column in err.  0 or -1.
 */
int rules_load(struct rulepack *p, const char *path, struct error *err);

/* Directory of the default pack: $FZREPORT_RULES, or the installed/built-in path. */
const char *rules_default_path(void);

const struct section_def *rules_section(const struct rulepack *p, const char *id);
const struct check_def *rules_check(const struct rulepack *p, const char *id);

/*
 * Per-thread matching state (match data, JIT stack, limits).  A match
 * that hits the match or depth limit returns -1 so the caller can report
 * the rule as not checked instead of hanging.
 */
struct matcher;
struct matcher *matcher_new(void);
void matcher_free(struct matcher *m);
/*
 * pat's compiled code, JIT compiled first if it is not yet: a pattern is
 * JIT compiled at its first match, not at load (most of a pack's patterns
 * and alternatives never run: the prefilter skips them).  Safe between
 * threads.  The code stays pat's.
 */
pcre2_code *pattern_code(const struct pattern *pat);
/*
 * Find pat in s[start..n) (valid UTF-8).  Returns 1 and sets *mo and *ml
 * (byte offset and length of the match) when found, 0 when not, -1 on a
 * limit or other matching error.
 */
int pattern_find(struct matcher *m, const struct pattern *pat, const char *s, size_t n,
	size_t start, size_t *mo, size_t *ml);
struct textindex;
/*
 * pattern_find() over text[b..e) from start, offsets of text, with the
 * index ti of text (or NULL): the pattern runs only where one of its
 * literals occurs, and a split pattern's alternatives each on its own.
 * The same result as pattern_find(); capture groups of a split pattern
 * are not kept (only patterns without groups are split).
 */
int pattern_search(struct matcher *m, const struct pattern *pat, const struct textindex *ti,
	const char *text, size_t b, size_t e, size_t start, size_t *mo, size_t *ml);
/* Drop what pattern_search() remembers of earlier subjects (a new text). */
void matcher_forget(struct matcher *m);
/*
 * Patterns compiled on this thread from now on add the first pairs of
 * their literals to k (the text index then records only those); NULL
 * stops it.
 */
void pattern_collect_keys(struct textindex_keys *k);
/* The key set patterns add to on this thread now (NULL: none), for a kind's own literals. */
struct textindex_keys *pattern_keys(void);

/*
 * The text s[0..n) (what a finding of c marks; msg: the finding's
 * message) with c's fix applied, as a new string the caller frees; NULL
 * when c has no fix or the fix changes nothing.
 */
char *rules_fix_apply(const struct check_def *c, const char *msg, const char *s, size_t n);

/* Run every enabled check of p on one analysed document. */
void rules_run(const struct rulepack *p, struct check_ctx *ctx);
/* Only the checks that compare reports (kind similar), as rules_run() would run them. */
void rules_run_similar(const struct rulepack *p, struct check_ctx *ctx);

#endif
