/* cmd_rollup.c: placeholder until the rollup command lands. */
#include "cmd.h"
#include "diag.h"

int
cmd_rollup(int argc, char **argv)
{
	(void)argc;
	diag_fatal("%s: 尚未实现", argv[0]);
	return EXIT_USAGE;
}

