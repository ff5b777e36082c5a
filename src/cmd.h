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
	const char	*usage;		/* "[-o FILE] [--host FILE] [--format json|text]" */
	const char	*summary;	/* one line */
	const char	*help;		/* option and exit-status lines for --help */
	int		(*main)(int argc, char *argv[]);
	unsigned int	 common;	/* CMD_OPT_*: the shared options it takes */
	const char *const *formats;	/* --format values, the default first; NULL-terminated */
};

/*
 * The options every command spells alike, read by cmd_getopt with one
 * behaviour and one message grammar ("crac-cpu: CMD: ..." then the usage).
 */
#define CMD_OPT_JDK	0x01u	/* --jdk L, --java-home DIR */
#define CMD_OPT_FORMAT	0x02u	/* --format F, one of struct cmd's formats */
#define CMD_OPT_OUTPUT	0x04u	/* -o, --output FILE */
#define CMD_OPT_HOST	0x08u	/* --host FILE (--from FILE, the earlier spelling) */
#define CMD_OPT_CLASSES	0x10u	/* --classes K, 1 to CCPU_PLAN_MAX_CLASSES */

struct option;
struct cmd_opts {
	const char	*jdk, *java_home, *output, *host;
	const char	*format;	/* as given, else formats[0] */
	int		 fmt;		/* its index in formats */
	unsigned long	 classes;	/* 0: not given */
	int		 status;	/* the exit status when cmd_getopt returned -1 */
	/* Private to cmd_getopt. */
	bool		 ready;
	struct option	*longopts;
};
#define CMD_OPTS_INIT	{ NULL, NULL, NULL, NULL, NULL, 0, 0, 0, false, NULL }

/*
 * getopt_long for command c: -h/--help, --version, the shared options
 * c->common names, and the command's own (own: zero-terminated; their codes
 * must not be 'h', 'V', 'j', 'J', 'F', 'o', 'H' or 'k').  Returns the code
 * of the next option of the command's own (optarg set), 0 when the options
 * are over (optind is at the first operand, --format checked against
 * c->formats) or -1 when the command must return o->status: 0 after --help
 * or --version, 2 after a usage error (printed).  Call until it returns 0
 * or -1, then cmd_opts_release.
 */
int	cmd_getopt(const struct cmd *c, int argc, char *argv[],
	    const struct option *own, struct cmd_opts *o);
void	cmd_opts_release(struct cmd_opts *);

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

/*
 * Print the version lines (crac-cpu, libcpuid, jansson, layout data) to
 * stdout and return STATUS_OK: for --version, -V, `version` and any
 * command's --version.
 */
int	cmd_version(void);
/* Print usage (to stdout for STATUS_OK, else stderr) and return status. */
int	cmd_usage(const struct cmd *, int status);
/*
 * Load the host to work on: path (a profile or a dump, "-" for stdin) or, when
 * path is NULL, a live probe of this machine.  Errors are printed with warnx
 * under the command's name; returns NULL after printing.
 */
struct ccpu_profile *cmd_load_host(const char *cmdname, const char *path);
/*
 * A command's JSON document as its output text: indented, in insertion
 * order, one newline at the end (the caller frees it).  Takes doc.
 */
char	*cmd_json_text(json_t *doc);
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
	char			 a64[512];	/* the first aarch64 host, "" if none */
	size_t			 n_a64;		/* aarch64 hosts seen (not in hosts) */
};
int	plan_fleet_load(const char *cmdname, const struct ccpu_layout *,
	    char *const args[], size_t nargs, struct plan_fleet *);
/*
 * An aarch64 fleet (plan and flags with --jdk a20|a22|a63): every host of
 * the operands, which must all be aarch64 (an x86-64 one is refused with
 * the reason); hosts[0] is the build host; nothing given: this host.
 */
struct plan_a64_fleet {
	struct ccpu_a64_cpu	*hosts;
	char			(*names)[256];
	size_t			 n;
};
int	plan_a64_load(const char *cmdname, char *const args[], size_t nargs,
	    struct plan_a64_fleet *);
void	plan_a64_release(struct plan_a64_fleet *);
void	plan_fleet_release(struct plan_fleet *);
/*
 * Host i as plan and flags name it in JSON: {"role": "build" or "target",
 * "name", "source": "value" or "profile", "vendor", "brand"}; a new
 * reference.
 */
json_t	*plan_fleet_host_json(const struct plan_fleet *, size_t i);
/*
 * Host i of an aarch64 fleet in the same shape: {"role", "name", "source":
 * "profile", "brand" (its core types' names, " + " between), "midr": [each
 * core type's MIDR_EL1, "0x%08x"]}; no vendor (no CPUID vendor string).
 */
json_t	*plan_a64_host_json(const struct plan_a64_fleet *, size_t i);

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
