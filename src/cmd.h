/*
 * cmd.h: the sub-commands of fzreport (one file each) and the exit
 * statuses they share.  Each cmd_* takes the arguments after the
 * sub-command name (argv[0] is the sub-command) and returns an exit status.
 */
#ifndef FZ_CMD_H
#define FZ_CMD_H

#include "result.h"

/* Exit statuses, documented in fzreport.1. */
enum exit_status {
	EXIT_CLEAN = 0,      /* no findings at warning level or above */
	EXIT_WARNINGS = 1,   /* warnings, no errors */
	EXIT_ERRORS = 2,     /* errors: the report would be sent back */
	EXIT_UNREADABLE = 3, /* an input could not be read */
	EXIT_RULES = 4,      /* a rule file or template is broken */
	EXIT_USAGE = 5,      /* bad command line */
	EXIT_OUTPUT = 6      /* an output could not be written, or out of memory */
};

struct check_opts;

/*
 * The options check, rollup and audit share: -r/--rules FILE (repeatable,
 * collected in *rules and counted in o->nrule_files), -p/--previous FILE,
 * -j/--jobs N and -q/--quiet.  cmd names the command in messages.
 * Returns 1 when ch was one of them, 0 when it was not, -1 on a bad value
 * (the message is printed).
 */
int common_option(const char *cmd, int ch, const char *arg, struct check_opts *o,
	const char ***rules, int *quiet);

/* Exit status for the worst of a set of results (at or above min). */
int exit_for_results(const struct result *r, size_t n, enum severity min);

int cmd_check(int argc, char **argv);
int cmd_rollup(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_templates(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_annotate(int argc, char **argv);

#endif
