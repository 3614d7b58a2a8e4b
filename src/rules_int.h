/*
 * rules_int.h: inside the rule engine -- the table of check kinds, the
 * YAML helpers the kinds' loaders share, scope resolution and the
 * finding helpers the kinds' run() functions share, the lint entry point
 * and the batch (every report of one run, for the similar kind).
 */
#ifndef FZ_RULES_INT_H
#define FZ_RULES_INT_H

#include <stdint.h>
#include <yaml.h>

#include "check.h"
#include "rules.h"

/* ---- kinds (rules_kinds.c, one kind_*.c each) ---- */

/* The kind named name, or NULL. */
const struct check_kind *rules_kind_find(const char *name);
/* NULL-terminated table of every kind. */
extern const struct check_kind *const rules_kinds[];

/* ---- loading (rules_load.c) ---- */

/*
 * Every problem found while loading goes to a sink: rules_load() joins
 * them into err->msg, rules_lint() hands each to a callback.
 */
typedef void (*rules_problem_fn)(void *arg, const char *file, int line, int column,
	const char *msg);

/*
 * Load path (and its includes) into p like rules_load(), reporting every
 * problem (not only the first) through fn.  Returns the number of problems.
 */
int rules_load_all(struct rulepack *p, const char *path, rules_problem_fn fn, void *arg);

/*
 * The file being loaded, for the kinds' load(): YAML helpers below fill
 * err with the node's position (1-based) and return -1.
 */
struct yaml_document_s;
/* Value of key in a mapping node, or NULL. */
yaml_node_t *ry_get(yaml_document_t *doc, yaml_node_t *map, const char *key);
/* Fail on a key of map that is not in the NULL-terminated list allowed. */
int ry_keys(yaml_document_t *doc, yaml_node_t *map, const char *const *allowed, const char *what,
	struct error *err);
/* Scalar text of node (NULL with err set if it is not a scalar). */
const char *ry_str(yaml_node_t *n, const char *what, struct error *err);
int ry_int(yaml_node_t *n, const char *what, long *out, struct error *err);
int ry_double(yaml_node_t *n, const char *what, double *out, struct error *err);
int ry_bool(yaml_node_t *n, const char *what, int *out, struct error *err);
/* A scalar or a sequence of scalars, appended to *v (*nv) as copies. */
int ry_strlist(yaml_document_t *doc, yaml_node_t *n, const char *what, char ***v, size_t *nv,
	struct error *err);
/* Set err to "what" at node n; returns -1. */
int ry_error(yaml_node_t *n, struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Compile src into pat (UTF|UCP, JIT when available).  A compile error
 * is reported at the scalar node n, its column moved by the PCRE2 offset.
 */
int pattern_compile(struct pattern *pat, const char *src, yaml_node_t *n, struct error *err);
/* The same for a pattern that pattern_search() never runs: no prefilter (pattern.lit ...). */
int pattern_compile_plain(struct pattern *pat, const char *src, yaml_node_t *n,
	struct error *err);
void pattern_release(struct pattern *pat);
/* The first alternative of src when it is a plain word, else NULL (caller frees). */
char *pattern_label(const char *src);
/*
 * Reading a pattern's source: the quantifier at src[i] ({m}, {m,},
 * {m,n}, ?, *, +, each maybe lazy or possessive), its length and its
 * least count into *min (0 if none: a literal { too); does src set
 * option o ((?i), (?sx:, (?^x)) anywhere, or may it?
 */
size_t pattern_quant(const char *src, size_t i, long *min);
int pattern_sets_option(const char *src, char o);
/*
 * The offset just past the escape, the class or the item (an escape, a
 * class, a group with what it holds, or one byte) at src[i]; 0 where it
 * is not read (a back reference, an octal escape, a POSIX class, the end).
 */
size_t pattern_escape_end(const char *src, size_t i);
size_t pattern_class_end(const char *src, size_t i);
size_t pattern_item_end(const char *src, size_t i);
/* A pattern (scalar or list: the alternatives joined) or a list of literal words. */
int pattern_from_node(struct pattern *pat, yaml_document_t *doc, yaml_node_t *n,
	const char *what, struct error *err);
/* Byte range of capture group i / of the named group of the matcher's last match; 0 if unset. */
int pattern_group(struct matcher *m, int i, size_t *go, size_t *gl);
int pattern_named(struct matcher *m, const struct pattern *pat, const char *name, size_t *go,
	size_t *gl);
/* Regex-escape the literal words and join them with |; caller frees. */
char *pattern_join_words(char **w, size_t n);

/*
 * A text pattern as rule files write it: `pattern` (a regex or a list of
 * them), `words` (literal words) and, in an override, `add` (more
 * words); compiled into one alternation.
 */
struct textpat {
	int raw;  /* raw: true -- match the original text (half-width punctuation, spaces) */
	char *regex;
	char **words;
	size_t nwords;
	struct pattern pat;
};
/* Read pattern/words/add from map (keys of others are the caller's). */
int textpat_load(struct textpat *t, yaml_document_t *doc, yaml_node_t *map, struct error *err);
void textpat_release(struct textpat *t);

/* A pattern with a Chinese name for what it finds (placeholder, docnumber forms). */
struct namedpat {
	struct pattern pat;
	char *name;
};
/* A list of {pattern, name} mappings appended to *v. */
int namedpat_load(struct namedpat **v, size_t *n, yaml_document_t *doc, yaml_node_t *list,
	struct error *err);
void namedpat_free(struct namedpat *v, size_t n);

/* ---- running (rules_run.c) ---- */

/* Original-text spans a check's scope covers in this document (v is &one
 * for a scope of one span: no allocation; the struct is not to be copied). */
struct scope {
	struct span *v;
	size_t n, cap;
	struct span one;
};

/*
 * Resolve c->scope.  Returns 0 (spans in *sc, release with scope_release),
 * 1 when the scope is absent and the rule is optional there (nothing to
 * check), or -1 after adding an "unchecked" entry with the reason.
 */
int rules_scope(const struct check_def *c, struct check_ctx *ctx, struct scope *sc);
void scope_release(struct scope *sc);

/*
 * The code points of the normalised range [b, e) of the report, for kinds
 * that work on characters: (*cp)[0..n) and their byte offsets in
 * an->norm.s (*off)[0..n], (*off)[n] = e.  Both point into a table that
 * rules_run() decodes once per report and frees after its last rule; the
 * caller keeps nothing past its run().  Returns n.
 */
size_t rules_codepoints(struct check_ctx *ctx, size_t b, size_t e, const uint32_t **cp,
	const size_t **off);

/*
 * Add a finding of c at the normalised range [no, no+nl) of the
 * analysis text, with the sentence around it as excerpt and the match
 * marked.  detail, if not NULL, is appended to the message.
 */
void rules_finding_at(const struct check_def *c, struct check_ctx *ctx, size_t no, size_t nl,
	const char *detail);
/* Same at an original byte offset range of doc->text. */
void rules_finding_orig(const struct check_def *c, struct check_ctx *ctx, size_t off, size_t len,
	const char *detail);
/* A finding about the whole document (no position). */
void rules_finding_doc(const struct check_def *c, struct check_ctx *ctx, const char *detail);
/* The rule could not be evaluated; reason is Chinese. */
void rules_unchecked(const struct check_def *c, struct check_ctx *ctx, const char *reason);
/* pattern_find() on the normalised text; a limit hit adds the unchecked entry and gives -1. */
int rules_find(const struct check_def *c, struct check_ctx *ctx, const struct pattern *pat,
	size_t b, size_t e, size_t start, size_t *mo, size_t *ml);
/* The same over the original text (doc->text) when raw: b, e, start, *mo are original offsets. */
int rules_find_raw(const struct check_def *c, struct check_ctx *ctx, const struct pattern *pat,
	int raw, size_t b, size_t e, size_t start, size_t *mo, size_t *ml);
/* The range of span sp to match in: normalised, or original when raw. */
void rules_range(const struct check_ctx *ctx, int raw, struct span sp, size_t *b, size_t *e);
/* rules_finding_at or, when raw, rules_finding_orig. */
void rules_finding_raw(const struct check_def *c, struct check_ctx *ctx, int raw, size_t o,
	size_t l, const char *detail);
/* Findings a rule may add to one document before it stops (repeats). */
#define RULES_MAX_HITS 20

/*
 * Run one check (enabled or not) on an analysed document.  In example
 * mode (rules --lint running a rule's examples) every text scope is the
 * whole example text, since a one-line example has no sections.
 */
void rules_run_one(const struct check_def *c, struct check_ctx *ctx, int example);
int rules_example_mode(void);

/*
 * Run the examples of every check of p through the real analysis and
 * matcher: a "fires" example that is not flagged, or a "passes" example
 * that is, is a problem reported through fn.  Returns the number.
 */
int rules_run_examples(const struct rulepack *p, rules_problem_fn fn, void *arg);
/* Pattern syntax ("|", "(?", "\\p{", "[^" ...) in s, the token found or NULL. */
const char *rules_pattern_syntax(const char *s);
/* Do the marked spans of two findings share a character? */
int rules_findings_overlap(const struct finding *a, const struct finding *b);

/* ---- the batch: reports compared with each other (kind_similar.c) ---- */

/* Shingle fingerprint of one report: sorted sampled hashes. */
struct fingerprint {
	uint64_t *h;
	size_t n;
};
/* The fingerprint of s[0..n) (UTF-8) or of the code points cp[0..n); fp->h is fp's. */
void fingerprint_make(struct fingerprint *fp, const char *s, size_t n, int gram);
void fingerprint_of(struct fingerprint *fp, const uint32_t *cp, size_t n, int gram);
void fingerprint_release(struct fingerprint *fp);

#endif
