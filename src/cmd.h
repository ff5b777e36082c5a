/*
 * The CLI shell.  Adding a subcommand: write src/cmd_foo.c exporting
 * `const struct cmd cmd_foo` (its main returns an exit status), declare it
 * below and add one line to cmds[] in main.c.  Only main.c and cmd_*.c touch
 * argv, files, stdout/stderr or the exit status.
 */
#ifndef CCPU_CMD_H
#define CCPU_CMD_H

#include <stdio.h>

#include "ccpu/profile.h"

struct cmd {
	const char	*name;
	const char	*usage;		/* "[-o FILE] [--from DUMP] [--format json|text]" */
	const char	*summary;	/* one line */
	const char	*help;		/* option and exit-status lines for --help */
	int		(*main)(int argc, char *argv[]);
};

enum {
	STATUS_OK = 0,		/* compatible / valid / done */
	STATUS_NO = 1,		/* the question was answered "no" */
	STATUS_ERROR = 2,	/* could not answer: usage, input or system error */
};

/* Print usage (to stdout for STATUS_OK, else stderr) and return status. */
int	cmd_usage(const struct cmd *, int status);
/*
 * Load the host to work on: path (a profile or a dump, "-" for stdin) or, when
 * path is NULL, a live probe of this machine.  Errors are printed with warnx
 * under the command's name; returns NULL after printing.
 */
struct ccpu_profile *cmd_load_host(const char *cmdname, const char *path);
/* Write text to path atomically ("-" or NULL: stdout).  Prints errors; returns 0/-1. */
int	cmd_write_output(const char *cmdname, const char *path, const char *text);

extern const struct cmd cmd_probe;

#endif
