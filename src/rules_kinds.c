/*
 * rules_kinds.c: the table of check kinds.  Each kind lives in its own
 * kind_*.c; adding one is one line here and one file.
 */
#include <string.h>

#include "rules_int.h"

extern const struct check_kind kind_require, kind_forbid, kind_length, kind_numbering, kind_year,
	kind_date, kind_docnumber, kind_numbers, kind_repeat, kind_placeholder, kind_similar,
	kind_layout, kind_dated, kind_words, kind_clause;

const struct check_kind *const rules_kinds[] = {
	&kind_require,
	&kind_forbid,
	&kind_length,
	&kind_numbering,
	&kind_year,
	&kind_date,
	&kind_docnumber,
	&kind_numbers,
	&kind_repeat,
	&kind_placeholder,
	&kind_similar,
	&kind_layout,
	&kind_dated,
	&kind_words,
	&kind_clause,
	NULL,
};

const struct check_kind *
rules_kind_find(const char *name)
{
	size_t i;

	for (i = 0; rules_kinds[i]; i++)
		if (strcmp(rules_kinds[i]->name, name) == 0)
			return rules_kinds[i];
	return NULL;
}
