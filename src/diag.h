/*
 * diag.h: built-in diagnostics (mandoc's mandocerr): one enum, grouped by
 * severity, with a parallel table of rule ids and Chinese messages in
 * diag.c, and the one function that prints a line to the terminal.
 * YAML rules bring their own id, severity and message.
 */
#ifndef FZ_DIAG_H
#define FZ_DIAG_H

#include <stdio.h>

#include "result.h"

enum diag_code {
	/* info */
	DIAG_DOCX_COMMENTS,       /* DOCX-COMMENT: comments remain */
	/* warning */
	DIAG_DOCX_REVISIONS,      /* DOCX-REVISION: unaccepted tracked changes */
	DIAG_DOCX_HIDDEN,         /* DOCX-HIDDEN: hidden text (w:vanish), left out */
	/* fatal: input cannot be read */
	DIAG_READ_FAILED,         /* READ: cannot read the file */
	DIAG_EMPTY,               /* EMPTY: the file is empty */
	DIAG_ENCODING,            /* ENCODING: undecodable text */
	DIAG_FORMAT,              /* FORMAT: .doc/.wps/encrypted/not a docx */
	DIAG__MAX
};

/* Rule id of a built-in diagnostic, e.g. "DOCX-REVISION". */
const char *diag_rule(enum diag_code c);
/* Its Chinese message. */
const char *diag_message(enum diag_code c);
enum severity diag_severity(enum diag_code c);

/* Program name used as the prefix of every line ("fzreport"). */
extern const char *diag_progname;

/*
 * Write s to fp with control characters (C0, DEL, C1) shown as \xNN, so that
 * text from a report or a file name cannot move the cursor, clear the screen
 * or start a line of its own on the clerk's terminal.
 */
void diag_puts(FILE *fp, const char *s);

/*
 * The one line format:  prog: file:line:col: SEVERITY: rule: message: detail
 * line/column <= 0 are left out; rule and detail may be NULL.
 */
void diag_emit(FILE *fp, const char *file, int line, int column, enum severity sev,
	const char *rule, const char *message, const char *detail);
/* A usage or system error of the program itself: "prog: message". */
void diag_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
