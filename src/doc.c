/*
 * doc.c: the document model the loaders fill (paragraphs, line breaks,
 * notes) and its limits.  The loaders (load_text.c, load_docx.c) call
 * it; choosing a loader for a file is load.c's.
 */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void
doc_init(struct doc *d)
{
	memset(d, 0, sizeof(*d));
	d->encoding = "";
}

void
doc_release(struct doc *d)
{
	size_t i;

	free(d->path);
	free(d->text);
	for (i = 0; i < d->npara; i++) {
		size_t k;

		free(d->paras[i].lay.font);
		for (k = 0; k < d->paras[i].lay.nspans; k++)
			free(d->paras[i].lay.spans[k].font);
		free(d->paras[i].lay.spans);
	}
	free(d->sections);
	free(d->paras);
	free(d->core_title);
	free(d->core_creator);
	free(d->core_modified);
	free(d->aside);
	for (i = 0; i < d->nnote; i++)
		free(d->notes[i].detail);
	free(d->notes);
	free(d->breaks);
	doc_init(d);
}

void
doc_add_break(struct doc *d, size_t off)
{
	xgrow(&d->breaks, &d->breakcap, d->nbreak + 1, sizeof(*d->breaks));
	d->breaks[d->nbreak++] = off;
}

int
doc_is_break(const struct doc *d, size_t off)
{
	size_t lo = 0, hi = d->nbreak, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->breaks[mid] == off)
			return 1;
		if (d->breaks[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

size_t
doc_add_para(struct doc *d, const char *s, size_t n, int line)
{
	struct para *p;

	if (d->npara >= DOC_PARA_MAX || d->len + n > DOC_TEXT_MAX) {
		/* over the limits: nothing more is kept, doc_load() refuses it */
		d->over = 1;
		if (d->npara > 0)
			return d->npara - 1;
		n = 0;
	}
	xgrow(&d->paras, &d->paracap, d->npara + 1, sizeof(*p));
	xgrow(&d->text, &d->textcap, d->len + n + 2, 1);
	memcpy(d->text + d->len, s, n);
	p = &d->paras[d->npara];
	memset(p, 0, sizeof(*p));
	p->off = d->len;
	p->len = n;
	p->line = line;
	d->len += n;
	d->text[d->len++] = '\n';
	d->text[d->len] = '\0';
	return d->npara++;
}

void
doc_add_note(struct doc *d, int code, int line, int column, const char *detail)
{
	struct doc_note *n;

	d->notes = xrealloc(d->notes, (d->nnote + 1) * sizeof(*n));
	n = &d->notes[d->nnote++];
	n->code = code;
	n->line = line;
	n->column = column;
	n->detail = xstrdup_null(detail);
}

const char *
doc_para_text(const struct doc *d, size_t i)
{
	return d->text + d->paras[i].off;
}
