/*
 * docx_int.h: internals of the .docx loader (load_docx.c), shared by
 * docx_part.c (zip and XML access with limits), docx_styles.c (styles,
 * theme fonts, property resolution) and docx_numbering.c (automatic
 * numbering).  Nothing outside these files includes it.
 */
#ifndef FZ_DOCX_INT_H
#define FZ_DOCX_INT_H

#include <stddef.h>

#include <libxml/tree.h>
#include <zip.h>

#include "doc.h"
#include "util.h"

/*
 * Limits against zip bombs and hostile XML (fzreport(1) LIMITS).  The main
 * document part may be large; every other part (styles, numbering, theme,
 * headers, footers, notes, comments, relationships) is small in a real
 * report (the largest seen: a 350 KB styles.xml), so they share one budget,
 * counted on the running total: a package cannot multiply its inflated
 * size with many parts or many references to one part.
 */
#define DOCX_PART_MAX ((zip_uint64_t)64 << 20)    /* uncompressed bytes of the main document */
#define DOCX_AUX_MAX ((zip_uint64_t)16 << 20)     /* uncompressed bytes of all other parts */
#define DOCX_RATIO_MAX 200                        /* size / compressed size, above 1 MB */
#define DOCX_DEPTH_MAX 200                        /* element nesting walked */
#define DOCX_ATTR_MAX 256                         /* attributes of one element (Word: up to 40) */

/* An entry name and its index in the zip, for the sorted name index. */
struct docx_entry {
	const char *name;
	zip_uint64_t idx;
};

/* An opened .docx package. */
struct docx_pkg {
	const char *name;   /* file name, for messages */
	const char *main;   /* the main document part, once known: the one part outside DOCX_AUX_MAX */
	zip_t *za;
	struct docx_entry *byname; /* entries sorted by name, ignoring ASCII case */
	size_t nentries;
	unsigned char *seen;       /* per zip index: 1 read (each part is read once), 2 planned */
	zip_uint64_t total; /* uncompressed bytes read so far */
	zip_uint64_t aux;   /* of these, outside the main document */
	zip_uint64_t planned; /* stated sizes of the parts docx_plan_part() counted */
};

/*
 * Open the zip archive held in data[0..n) (not copied: data must outlive
 * pkg).  A package with two entries of the same name (ignoring case, as
 * Word does) is refused: readers disagree on which one wins.  0 or -1
 * with a Chinese message in err.
 */
int docx_pkg_open(struct docx_pkg *pkg, const char *data, size_t n, struct error *err);
void docx_pkg_close(struct docx_pkg *pkg);
/* Let every part be read again (annotate reads a part it has looked into before). */
void docx_pkg_reread(struct docx_pkg *pkg);

/*
 * Parse the part called part (e.g. "word/document.xml") into *out, an
 * xmlDoc the caller frees with xmlFreeDoc.  A missing part, or one read
 * before (each part is parsed once, however often it is referenced),
 * gives 0 and *out = NULL.  A part above the limits, malformed XML or a
 * DTD gives -1 and err names the part and the XML line.
 */
int docx_parse_part(struct docx_pkg *pkg, const char *part, xmlDoc **out, struct error *err);
/*
 * What a part is parsed for.  The loader reads a lean tree: attributes
 * it never reads (w:rsid*, w14:paraId, w14:textId) and elements it never
 * looks into (mc:Fallback; run, paragraph and mark properties it does not
 * use, bookmarks, proofing marks; in styles.xml latent, table and
 * numbering styles and unread style properties) are not built, and short
 * text is kept inside its node.  Annotate writes parts back: it parses them
 * whole.
 */
enum docx_lean {
	DOCX_FULL,   /* the whole tree, as libxml2 reads it (comments, PIs and all) */
	DOCX_READ,   /* the whole tree, for reading (relationships, core properties) */
	DOCX_BODY,   /* document, headers, footers, notes, comments, numbering */
	DOCX_STYLES  /* styles.xml */
};
/*
 * Walking the elements of a part for a lean tree (docx_xml.c): which are
 * built, by the names of the built elements open above them.
 */
#define DOCX_OPEN_MAX 260 /* libxml2 refuses nesting deeper than 256 */
struct docx_lean_walk {
	enum docx_lean lean;
	size_t skip;    /* > 0: inside a left-out element, its depth there */
	size_t depth;   /* elements open in the tree */
	size_t drawing; /* of them, drawings and the like (find_textboxes() reads all below) */
	const xmlChar *open[DOCX_OPEN_MAX]; /* their names (owned by the parser's dictionary) */
};
/*
 * An element starts (its local name, and its attributes as SAX2 gives
 * them: local name, prefix, URI, value, value end): 1 when it is built,
 * 0 when it is left out, with all below it.
 */
int docx_lean_start(struct docx_lean_walk *w, const xmlChar *local, int nattr, const xmlChar **attrs);
/* An element ends: 1 when it was built. */
int docx_lean_end(struct docx_lean_walk *w, const xmlChar *local);
/* An attribute a lean tree leaves out (w:rsid*, w14:paraId, w14:textId)? */
int docx_lean_unread_attr(const xmlChar *local);
/*
 * Build the lean tree of data[0..n) (a part called part) without
 * libxml2's parser, for the plain XML Word writes: 1 with *out (freed
 * with xmlFreeDoc), the tree libxml2 would build; 0 when the part is not
 * in that shape (*why, when why is not NULL, says what), and then only
 * libxml2 may read it.  Never for DOCX_FULL.
 */
int docx_xml_fast(const char *part, const char *data, size_t n, enum docx_lean lean, xmlDoc **out,
	const char **why);
/*
 * Append to b a dump of doc: every node, its namespace, namespaces
 * declared, attributes and text (for the tests of docx_xml_fast()).
 */
void docx_xml_dump(const xmlDoc *doc, struct buf *b);
/* docx_parse_bytes() with libxml2's parser only (for the tests of docx_xml_fast()). */
int docx_parse_bytes_libxml(const char *part, const char *data, size_t n, enum docx_lean lean,
	xmlDoc **out, struct error *err);
/* docx_parse_part() building the tree lean (see enum docx_lean). */
int docx_parse_lean(struct docx_pkg *pkg, const char *part, enum docx_lean lean, xmlDoc **out,
	struct error *err);
/* Parse the bytes data[0..n) of part (not freed) as docx_parse_lean() does. */
int docx_parse_bytes(const char *part, const char *data, size_t n, enum docx_lean lean, xmlDoc **out,
	struct error *err);
/*
 * Read a part as raw bytes into *out (NUL-terminated, freed by the
 * caller), within the same limits and once only.  1, 0 (missing or read
 * before) or -1.
 */
int docx_read_part(struct docx_pkg *pkg, const char *part, char **out, size_t *len,
	struct error *err);
/*
 * Count the stated size of a part about to be read (each part once) and
 * refuse before any parsing when the parts planned would pass
 * DOCX_AUX_MAX.  0 or -1.
 */
int docx_plan_part(struct docx_pkg *pkg, const char *part, struct error *err);
/*
 * Does an element of the markup in s[0..n) carry more than max
 * attributes?  Counted as the parser sees them (quoted values, comments,
 * CDATA and processing instructions skipped; UTF-16 and UCS-4 read by
 * their code units); html: count every '=' inside a tag (HTML values need
 * no quotes).
 */
int docx_too_many_attrs(const char *s, size_t n, size_t max, int html);

/* Is node an element of the WordprocessingML namespace called local? */
int docx_isw(const xmlNode *node, const char *local);
/* Is node an element with the local name local, in any namespace? */
int docx_islocal(const xmlNode *node, const char *local);
/* First w:local child element of node, or NULL. */
xmlNode *docx_child(const xmlNode *node, const char *local);
/* Value of attribute w:local (any namespace), or NULL; owned by the tree. */
const char *docx_attr(const xmlNode *node, const char *local);
/* Integer value of w:val of child w:local, or def when absent. */
long docx_child_int(const xmlNode *node, const char *local, long def);
/* Is an on/off property (w:b, w:vanish ...) on?  -1 when the element is absent. */
int docx_onoff(const xmlNode *node);

/* ---- run and paragraph properties ---- */

/* Properties that cascade docDefaults -> style chain -> direct. -1/NULL: unset. */
struct docx_props {
	const char *font;   /* east-Asian font (owned by a style table or tree) */
	int font_theme;     /* 1 major, 2 minor, 0 none: w:eastAsiaTheme */
	const char *font_ascii; /* w:ascii (else w:hAnsi): used when no east-Asian font is set anywhere */
	int sz;             /* half-points */
	int bold;
	int vanish;         /* w:vanish: hidden text */
	int jc;             /* enum para_align, -1 unset */
	int line;           /* w:spacing w:line */
	int line_rule;      /* 0 auto, 1 exact, 2 atLeast */
	int first_chars;    /* w:ind w:firstLineChars (hundredths of a char) */
	int first_twips;    /* w:ind w:firstLine (twips) */
	int outline;        /* 0-based w:outlineLvl, 9 = body text */
	int num_id;         /* numPr w:numId */
	int ilvl;           /* numPr w:ilvl */
};

void docx_props_init(struct docx_props *p);
/* Read w:pPr children into p (only what is set there). */
void docx_props_read_ppr(struct docx_props *p, const xmlNode *ppr);
/* Read w:rPr children into p. */
void docx_props_read_rpr(struct docx_props *p, const xmlNode *rpr);
/* Fill what is unset in p from q. */
void docx_props_merge(struct docx_props *p, const struct docx_props *q);

struct docx_style;
struct docx_style_key;

/* styles.xml and the theme fonts. */
struct docx_styles {
	struct docx_style *v;
	size_t n;
	struct docx_style_key *byid; /* (id, index into v) sorted by id, then index */
	struct docx_props defaults; /* docDefaults */
	int default_para;           /* index of the default paragraph style, -1 */
	char *major_ea, *minor_ea;  /* theme east-Asian fonts */
	xmlDoc *xml, *theme;        /* kept: props point into them */
};

/* Read styles (may be NULL) and theme (may be NULL); the docs are taken over. */
void docx_styles_load(struct docx_styles *st, xmlDoc *styles, xmlDoc *theme);
void docx_styles_release(struct docx_styles *st);
/*
 * The table this thread built last, when it was built from the same
 * bytes of styles.xml and (with_theme) of the theme (NULL: the part is
 * missing): 1 and *st a copy that borrows it (not released; st may be
 * NULL to ask only), else 0.
 */
int docx_styles_cached(const char *styles, size_t ns, const char *theme, size_t nt, int with_theme,
	struct docx_styles *st);
/*
 * Keep st, built from these bytes, for the next report of this thread:
 * 1 when the cache took over st and the bytes (st then borrows it), 0 when
 * they stay the caller's.
 */
int docx_styles_keep(struct docx_styles *st, char *styles, size_t ns, char *theme, size_t nt);
/* Index of the first paragraph or character style with this id, or -1 (binary search). */
int docx_style_find(const struct docx_styles *st, const char *id);
/*
 * Merge into p what the style chain of style idx (basedOn, nearest
 * first) sets; idx -1 merges nothing.  The caller merges st->defaults last.
 */
void docx_style_resolve(const struct docx_styles *st, int idx, struct docx_props *p);
/*
 * Heading level implied by the style's name (Heading N, 标题 N: N; Title: 0
 * with *title set), or -1 when the name is not a heading name; the chain
 * is followed through basedOn.
 */
int docx_style_heading(const struct docx_styles *st, int idx, int *title);
/* Theme font name for font_theme (1 major, 2 minor), or NULL. */
const char *docx_theme_font(const struct docx_styles *st, int which);
/*
 * The font Chinese text of resolved properties p is drawn in: the
 * east-Asian font (or theme font), else the ascii font, else NULL.
 */
const char *docx_font_name(const struct docx_styles *st, const struct docx_props *p);

/* ---- altChunk ---- */

/*
 * Add the paragraphs of an HTML altChunk (the part's bytes in data[0..n))
 * to d, flagged flags.  0, or -1 with err naming the part.
 */
int docx_chunk_html(const char *part, const char *data, size_t n, struct doc *d, unsigned flags,
	struct error *err);

/* ---- automatic numbering ---- */

struct docx_numbering;

/* Read numbering.xml (may be NULL); returns a new object, freed with docx_numbering_free. */
struct docx_numbering *docx_numbering_new(xmlDoc *xml);
void docx_numbering_free(struct docx_numbering *nb);
/*
 * Advance the counters for a paragraph numbered (num_id, ilvl) and write
 * the number Word draws, with its suffix, into out.  style_id: the
 * paragraph style, to find the level bound to it when ilvl < 0.
 * Returns 1 when something was drawn, 0 otherwise (no such list,
 * bullets, numFmt none).
 */
int docx_numbering_next(struct docx_numbering *nb, int num_id, int ilvl, const char *style_id,
	struct buf *out);
/* Format n in Word's numFmt fmt into out (exported for tests). */
void docx_format_number(const char *fmt, long n, struct buf *out);

/* ---- where the text comes from (for annotate) ---- */

/* Bytes [off, off+len) of a paragraph's text (after its drawn number) come from node. */
struct docx_seg {
	size_t off, len;
	xmlNode *run;       /* the w:r holding node */
	xmlNode *node;      /* a w:t whose whole content these bytes are (text = 1), or
	                     * an element drawn as them (w:tab, w:br, w:sym ...) */
	int text;
	int field;          /* shown as the result of a field (Word may replace it) */
};

/* One paragraph of the struct doc: its w:p and the pieces of its text. */
struct docx_pmap {
	xmlNode *p;
	size_t numlen;      /* bytes of the drawn number in front (no node) */
	struct docx_seg *segs;
	size_t nseg, cap;
};

/* The main part kept as a tree, and a docx_pmap per paragraph of the doc. */
struct docx_map {
	xmlDoc *xml;
	char *part;         /* "word/document.xml" */
	char *rels;         /* "word/_rels/document.xml.rels" */
	struct docx_pmap *paras;
	size_t npara, pcap;
};

/*
 * load_docx_mem() that also fills map (when not NULL) with the parsed
 * main part and, for each paragraph of d, the nodes its text comes from:
 * the same walk builds both, so a (paragraph, column) of a finding leads
 * back to the run it was read from.  map is the caller's to release with
 * docx_map_release(), also on failure.  0 or -1.
 */
int load_docx_map(const char *name, const char *data, size_t n, struct doc *d, struct docx_map *map,
	struct error *err);
void docx_map_release(struct docx_map *map);

#endif
