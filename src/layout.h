/*
 * layout.h: the layout facts of a .docx (page set-up, per-paragraph
 * formatting) as a JSON object, for the JSON renderer's "layout" member.
 */
#ifndef FZ_LAYOUT_H
#define FZ_LAYOUT_H

#include "doc.h"

/*
 * The layout of d as one JSON object text (no newline):
 *   {"page":{"width_mm","height_mm","top_mm","bottom_mm","left_mm","right_mm",
 *            "lines_per_page","chars_per_line"} or null,
 *    "paragraphs":[{"line","font","size_pt","bold","align","line_pt","line_mult",
 *                   "indent_chars","outline_lvl","table","textbox","autonum",
 *                   "runs":[{"char","font","size_pt","bold"}]}]}
 * with one entry per non-empty paragraph: font is the resolved east-Asian
 * font (null if none is named), size_pt and the spacing in points (line_pt
 * for exact/at-least spacing, else line_mult, 1 = single), indent_chars the
 * first-line indent in characters (negative: hanging), align one of
 * left/center/right/both; runs (only when the paragraph has more than one
 * font, size or weight) gives each stretch from its 0-based character on.
 * Returns a malloc'd string the
 * caller frees, or NULL when d is not a .docx.
 */
char *layout_to_json(const struct doc *d);

#endif
