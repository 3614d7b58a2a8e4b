/*
 * norm.h: matching normalisation.
 *
 * Patterns are matched against a normalised copy of the text; what is
 * displayed or quoted always comes from the original.  The copy folds:
 *   - ASCII ( ) : ; , ! ? to their full-width forms （）：；，！？,
 *     full-width digits and Latin letters to ASCII;
 *   - U+3000, NBSP, tabs and other spaces: dropped next to a non-ASCII
 *     character ("2025 年" = "2025年"), else folded to one ASCII space;
 *   - traditional characters to simplified (建設 -> 建设);
 *   - pinyin glosses after a Han character: "設(shè)", "統（tǒng）";
 *   - ○ / 〇 between Chinese numerals stays, but is also accepted as 零.
 * map[] leads every byte of the copy back to the original, so a match in
 * the copy can be reported at its original line and column.
 */
#ifndef FZ_NORM_H
#define FZ_NORM_H

#include <stddef.h>
#include <stdint.h>

struct normtext {
	char *s;      /* normalised UTF-8, NUL-terminated */
	size_t len;
	size_t *map;  /* len + 1 entries: byte offset in the original of each byte of s */
	size_t cap;
};

void norm_init(struct normtext *nt);
void norm_release(struct normtext *nt);
/* Normalise s[0..n) (valid UTF-8) into nt, replacing its previous content. */
void norm_text(struct normtext *nt, const char *s, size_t n);
/* Simplified form of a traditional character, or cp itself. */
uint32_t norm_t2s(uint32_t cp);
/* Normalise a NUL-terminated string (a pattern's literal text); caller frees. */
char *norm_strdup(const char *s);

#endif
