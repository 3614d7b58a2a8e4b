/* cmd_new.c: placeholder until the new command lands. */
#include "cmd.h"
#include "diag.h"

int
cmd_new(int argc, char **argv)
{
	(void)argc;
	diag_fatal("%s: 尚未实现", argv[0]);
	return EXIT_USAGE;
}

int
cmd_templates(int argc, char **argv)
{
	(void)argc;
	diag_fatal("%s: 尚未实现", argv[0]);
	return EXIT_USAGE;
}

