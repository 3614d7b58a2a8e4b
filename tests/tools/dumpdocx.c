/*
 * dumpdocx: print what the .docx loader makes of a file, for tests.
 *
 *   dumpdocx [-l] [-a] [-m] [-q] FILE...
 *
 * One line per paragraph: "LINE FLAGS LEVEL TEXT", FLAGS being t (table),
 * x (text box), n (automatic number), s (outline level from a style or
 * w:outlineLvl), T (Title style) or '-' each; the drawn number is shown
 * as «…» in front of the text, a tab as \t.  Then "note RULE LINE:COL
 * DETAIL" per loader note.  -m adds the core properties and page set-up,
 * -a the headers/footers/notes/comments text, -l the layout JSON, -q
 * prints nothing (load only, for timing).  A file that cannot be read
 * prints "dumpdocx: FILE: MESSAGE" on stderr; the exit status is then 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "doc.h"
#include "layout.h"
#include "util.h"

static void
put_text(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\t')
			fputs("\\t", stdout);
		else
			putchar(s[i]);
	}
}

static void
dump(const struct doc *d, int lay, int aside, int meta)
{
	const struct para *p;
	size_t i;
	char *js;

	if (meta) {
		printf("title: %s\ncreator: %s\nmodified: %s\n", d->core_title ? d->core_title : "-",
			d->core_creator ? d->core_creator : "-",
			d->core_modified ? d->core_modified : "-");
		if (d->page.have)
			printf("page: %.1fx%.1f mm, margins %.1f %.1f %.1f %.1f, grid %d lines x %d chars\n",
				d->page.width, d->page.height, d->page.top, d->page.bottom,
				d->page.left, d->page.right, d->page.lines_per_page,
				d->page.chars_per_line);
	}
	for (i = 0; i < d->npara; i++) {
		p = &d->paras[i];
		printf("%d %c%c%c%c%c %d ", p->line, p->flags & PARA_TABLE ? 't' : '-',
			p->flags & PARA_TEXTBOX ? 'x' : '-', p->flags & PARA_AUTONUM ? 'n' : '-',
			p->flags & PARA_STYLED ? 's' : '-', p->title_style ? 'T' : '-',
			p->outline_lvl);
		if (p->flags & PARA_AUTONUM) {
			fputs("«", stdout);
			put_text(doc_para_text(d, i), p->numlen);
			fputs("»", stdout);
			put_text(doc_para_text(d, i) + p->numlen, p->len - p->numlen);
		} else {
			put_text(doc_para_text(d, i), p->len);
		}
		putchar('\n');
	}
	for (i = 0; i < d->nnote; i++)
		printf("note %s %d:%d %s\n", diag_rule(d->notes[i].code), d->notes[i].line,
			d->notes[i].column, d->notes[i].detail ? d->notes[i].detail : "");
	if (aside && d->aside)
		printf("aside:\n%s", d->aside);
	if (lay && (js = layout_to_json(d)) != NULL) {
		printf("%s\n", js);
		free(js);
	}
}

int
main(int argc, char **argv)
{
	struct doc d;
	struct error err;
	int c, lay = 0, aside = 0, meta = 0, quiet = 0, rc = 0, i;

	while ((c = getopt(argc, argv, "lamq")) != -1) {
		switch (c) {
		case 'l':
			lay = 1;
			break;
		case 'a':
			aside = 1;
			break;
		case 'm':
			meta = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			fprintf(stderr, "usage: dumpdocx [-l] [-a] [-m] [-q] FILE...\n");
			return 5;
		}
	}
	for (i = optind; i < argc; i++) {
		doc_init(&d);
		if (doc_load(argv[i], &d, &err) == -1) {
			fprintf(stderr, "dumpdocx: %s: %s\n", argv[i], err.msg);
			rc = 3;
		} else if (!quiet) {
			if (argc - optind > 1)
				printf("== %s\n", argv[i]);
			dump(&d, lay, aside, meta);
		}
		doc_release(&d);
	}
	return rc;
}
