/* cmd_rules.c: placeholder until the rules command lands. */
#include "cmd.h"
#include "diag.h"

int
cmd_rules(int argc, char **argv)
{
	(void)argc;
	diag_fatal("%s: 尚未实现", argv[0]);
	return EXIT_USAGE;
}

int
cmd_explain(int argc, char **argv)
{
	(void)argc;
	diag_fatal("%s: 尚未实现", argv[0]);
	return EXIT_USAGE;
}

