/*
 * The CLI shell.  Adding a subcommand: write src/cmd_foo.c exporting
 * `const struct cmd cmd_foo` (its main returns an exit status), declare it
 * below and add one line to cmds[] in main.c.  Only main.c and cmd_*.c touch
 * argv, files, stdout/stderr or the exit status.
 */
#ifndef CCPU_CMD_H
#define CCPU_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "ccpu/profile.h"
#include "strbuf.h"

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

/*
 * The one reader of --format: the index of arg in formats (NULL-terminated,
 * the command's allowed list), or -1 after "crac-cpu: CMD: unknown format
 * 'x' (a, b or c)".
 */
int	cmd_format(const char *cmdname, const char *arg,
	    const char *const *formats);
extern const char *const text_json[];	/* "text", "json" */

/* Print usage (to stdout for STATUS_OK, else stderr) and return status. */
int	cmd_usage(const struct cmd *, int status);
/*
 * Load the host to work on: path (a profile or a dump, "-" for stdin) or, when
 * path is NULL, a live probe of this machine.  Errors are printed with warnx
 * under the command's name; returns NULL after printing.
 */
struct ccpu_profile *cmd_load_host(const char *cmdname, const char *path);
/*
 * Write text to path atomically, by a temporary file and rename ("-" or
 * NULL: stdout); durable also fsyncs before the rename (sidecars that must
 * survive a crash).  Prints errors; returns 0 or -1.
 */
int	cmd_write_output(const char *cmdname, const char *path, const char *text,
	    bool durable);


/*
 * The hosts of plan and flags (src/cmd_hosts.c): args are files, directories
 * (targets only) and literal values; none means this host, probed live.
 * Prints errors and returns -1; notes (unknown bits, ambiguous values) go
 * to f->notes, one line each.  Release with plan_fleet_release in any case.
 */
struct ccpu_layout;
struct ccpu_plan;
struct ccpu_plan_host;
struct plan_fleet {
	const struct ccpu_layout *layout;
	struct ccpu_plan_host	*hosts;		/* hosts[0] is the build host */
	char			(*brand)[49];	/* per host, "" for values */
	size_t			 n, alloc;
	struct strbuf		 notes;
};
int	plan_fleet_load(const char *cmdname, const struct ccpu_layout *,
	    char *const args[], size_t nargs, struct plan_fleet *);
void	plan_fleet_release(struct plan_fleet *);

extern const struct cmd cmd_probe;
extern const struct cmd cmd_features;
extern const struct cmd cmd_decode;
extern const struct cmd cmd_layouts;
extern const struct cmd cmd_survey;
extern const struct cmd cmd_check;
extern const struct cmd cmd_stamp;
extern const struct cmd cmd_plan;
extern const struct cmd cmd_flags;

#endif
