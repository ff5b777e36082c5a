/*
 * crac-cpu: the command table and the one dispatcher that owns lookup,
 * usage and --help.
 */
#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "ccpu/hosts.h"
#include "ccpu/jvm.h"
#include "ccpu/plan.h"
#include "ccpu/probe.h"
#include "ccpu/profile.h"
#include "cmd.h"
#include "ident.h"
#include "strbuf.h"
#include "xmalloc.h"

static const struct cmd *const cmds[] = {
	&cmd_probe,
	&cmd_features,
	&cmd_decode,
	&cmd_layouts,
	&cmd_survey,
	&cmd_check,
	&cmd_stamp,
	&cmd_plan,
	&cmd_flags,
};

/* s refilled to 78 columns, every line starting at column indent. */
static void
print_wrapped(FILE *f, const char *s, int indent)
{
	int	col = indent, n;

	for (;;) {
		s += strspn(s, " \n");
		if (*s == '\0')
			break;
		n = (int)strcspn(s, " \n");
		if (col > indent && col + 1 + n > 78) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(s, 1, (size_t)n, f);
		col += n;
		s += n;
	}
}

static void
main_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: crac-cpu <command> [options] [args]\n"
	    "       crac-cpu <command> --help\n"
	    "       crac-cpu --version\n\n"
	    "Plan, check and explain the CPU features of Java CRaC images.\n\n"
	    "commands:\n");
	for (i = 0; i < nitems(cmds); i++) {
		fprintf(f, "  %-10s ", cmds[i]->name);
		print_wrapped(f, cmds[i]->summary, 13);
		fputc('\n', f);
	}
	fprintf(f, "\noptions:\n"
	    "  -h, --help          show this help (with a command: its help)\n"
	    "  -V, --version       show the version of crac-cpu, the libcpuid and\n"
	    "                      jansson it was built with, and the date of its\n"
	    "                      layout data (also: crac-cpu version, crac-cpu\n"
	    "                      CMD --version)\n"
	    "\nexit status: 0 ok, 1 the answer is no (incompatible), 2 could not\n"
	    "answer (usage, input or system error)\n");
}

/*
 * What this binary is: its version, the versions of libcpuid (as linked:
 * the binary is static; "none" in the aarch64 build) and jansson (as compiled) in it, and the date of
 * the layout data that decides every derivation.
 */
int
cmd_version(void)
{
	const char	*libcpuid = ident_libcpuid_version();

	printf("crac-cpu %s\n"
	    "libcpuid %s\n"
	    "jansson %s\n"
	    "layout data %s\n", CCPU_VERSION,
	    libcpuid != NULL ? libcpuid : "none", JANSSON_VERSION,
	    ccpu_layouts_date());
	return STATUS_OK;
}

const char *const text_json[] = { "text", "json", NULL };

int
cmd_format(const char *cmdname, const char *arg, const char *const *formats)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i, n;
	char		*list;

	for (n = 0; formats[n] != NULL; n++)
		if (strcmp(arg, formats[n]) == 0)
			return (int)n;
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
		    formats[i]);
	list = strbuf_detach(&sb);
	warnx("%s: unknown format '%s' (%s)", cmdname, arg, list);
	free(list);
	return -1;
}

static const struct common_opt {
	unsigned int	flag;
	struct option	opt;
} common_opts[] = {
	{ CMD_OPT_JDK,		{ "jdk", required_argument, NULL, 'j' } },
	{ CMD_OPT_JDK,		{ "java-home", required_argument, NULL, 'J' } },
	{ CMD_OPT_FORMAT,	{ "format", required_argument, NULL, 'F' } },
	{ CMD_OPT_OUTPUT,	{ "output", required_argument, NULL, 'o' } },
	{ CMD_OPT_HOST,		{ "host", required_argument, NULL, 'H' } },
	{ CMD_OPT_HOST,		{ "from", required_argument, NULL, 'H' } },
	{ CMD_OPT_CLASSES,	{ "classes", required_argument, NULL, 'k' } },
};

static int
opts_fail(struct cmd_opts *o, int status)
{
	o->status = status;
	return -1;
}

int
cmd_getopt(const struct cmd *c, int argc, char *argv[],
    const struct option *own, struct cmd_opts *o)
{
	size_t	n = 0, i;
	char	*end;
	int	ch;

	if (!o->ready) {
		for (i = 0; own != NULL && own[i].name != NULL; i++)
			continue;
		o->longopts = xreallocarray(NULL, i + nitems(common_opts) + 3,
		    sizeof(*o->longopts));
		o->longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
		o->longopts[n++] = (struct option){ "version", no_argument, NULL, 'V' };
		for (i = 0; i < nitems(common_opts); i++)
			if (c->common & common_opts[i].flag)
				o->longopts[n++] = common_opts[i].opt;
		for (i = 0; own != NULL && own[i].name != NULL; i++)
			o->longopts[n++] = own[i];
		o->longopts[n] = (struct option){ NULL, 0, NULL, 0 };
		o->format = c->formats != NULL ? c->formats[0] : NULL;
		o->ready = true;
	}
	while ((ch = getopt_long(argc, argv, c->common & CMD_OPT_OUTPUT ?
	    "ho:" : "h", o->longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			return opts_fail(o, cmd_usage(c, STATUS_OK));
		case 'V':
			return opts_fail(o, cmd_version());
		case 'j':
			o->jdk = optarg;
			break;
		case 'J':
			o->java_home = optarg;
			break;
		case 'F':
			o->format = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'H':
			o->host = optarg;
			break;
		case 'k':
			errno = 0;
			o->classes = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
			    errno != 0 || o->classes == 0 ||
			    o->classes > CCPU_PLAN_MAX_CLASSES) {
				warnx("%s: --classes '%.32s': a number from 1 to %u",
				    c->name, optarg, CCPU_PLAN_MAX_CLASSES);
				return opts_fail(o, STATUS_ERROR);
			}
			break;
		case '?':
		case ':':
			return opts_fail(o, cmd_usage(c, STATUS_ERROR));
		default:
			return ch;
		}
	}
	if (c->formats != NULL &&
	    (o->fmt = cmd_format(c->name, o->format, c->formats)) == -1)
		return opts_fail(o, STATUS_ERROR);
	if (o->jdk != NULL && o->java_home != NULL) {
		warnx("%s: --jdk and --java-home exclude each other", c->name);
		return opts_fail(o, STATUS_ERROR);
	}
	return 0;
}

void
cmd_opts_release(struct cmd_opts *o)
{
	free(o->longopts);
	o->longopts = NULL;
	o->ready = false;
}

/* Words wrapped at 78 columns, the next lines indented by two spaces. */
static void
wrap(FILE *f, size_t *col, const char *word)
{
	size_t	n = strlen(word);

	if (*col > 2 && *col + 1 + n > 78) {
		fputs("\n ", f);
		*col = 1;
	}
	fprintf(f, " %s", word);
	*col += 1 + n;
}

/* The --jdk names, from the layout and JDK tables (never a list kept by hand). */
static void
jdk_names(FILE *f)
{
	const struct ccpu_layout	*l;
	const struct ccpu_jdk_build	*b;
	char				 w[64];
	size_t				 i, col;

	fputs("\n--jdk takes a layout:", f);
	col = strlen("--jdk takes a layout:");
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++) {
		snprintf(w, sizeof(w), "%s%s", ccpu_layout_name(l),
		    ccpu_layout_at(i + 1) != NULL ? "," : ";");
		wrap(f, &col, w);
	}
	wrap(f, &col, "or");
	wrap(f, &col, "a");
	wrap(f, &col, "JDK:");
	for (i = 0; (b = ccpu_jdk_build_at(i)) != NULL; i++) {
		snprintf(w, sizeof(w), "%s%s", b->name,
		    ccpu_jdk_build_at(i + 1) != NULL ? "," : ".");
		wrap(f, &col, w);
	}
	fputs("\n'crac-cpu layouts' says which layout each JDK means and why.\n", f);
}

int
cmd_usage(const struct cmd *c, int status)
{
	FILE	*f = status == STATUS_OK ? stdout : stderr;

	fprintf(f, "usage: crac-cpu %s %s\n", c->name, c->usage);
	if (status == STATUS_OK) {
		fprintf(f, "\n%s\n", c->summary);
		if (c->help != NULL && c->help[0] != '\0')
			fprintf(f, "\n%s", c->help);
		if (c->common & CMD_OPT_JDK)
			jdk_names(f);
	}
	return status;
}

struct ccpu_profile *
cmd_load_host(const char *cmdname, const char *path)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_hosts	*hs;
	struct ccpu_host_item	 it;
	struct ccpu_error	 e;
	char			 where[512];
	int			 n = 0, bad = 0;

	if (path == NULL) {
		if (ccpu_probe_host(p, &e) == 0)
			return p;
		warnx("%s: %s", cmdname, e.msg);
		ccpu_profile_free(p);
		return NULL;
	}
	/* The one host reader: any input, but exactly one host with registers. */
	hs = ccpu_hosts_open(path);
	while (bad == 0 && ccpu_hosts_next(hs, &it) == 1) {
		ccpu_host_item_where(&it, where, sizeof(where));
		if (it.kind == CCPU_HOST_ERROR) {
			warnx("%s: %s: %s", cmdname, where, it.error.msg);
			bad = 1;
		} else if (it.kind != CCPU_HOST_PROFILE) {
			warnx("%s: '%s': %s has %s, not CPUID registers; "
			    "survey, plan and flags read it", cmdname, where,
			    it.kind == CCPU_HOST_NODE ? "a Kubernetes node" :
			    it.kind == CCPU_HOST_CPUINFO ? "/proc/cpuinfo" :
			    "lscpu output", it.kind == CCPU_HOST_NODE ?
			    "NFD labels" : "Linux's flags");
			bad = 1;
		} else if (n++ > 0) {
			warnx("%s: '%s': holds more than one host; give one",
			    cmdname, path);
			bad = 1;
		} else {
			ccpu_profile_copy(p, it.profile);
			if (it.profile->warning[0] != '\0')
				warnx("%s: %s", cmdname, it.profile->warning);
		}
	}
	ccpu_hosts_close(hs);
	if (bad == 0 && n == 0) {
		warnx("%s: %s: no host in it", cmdname, path);
		bad = 1;
	}
	if (bad) {
		ccpu_profile_free(p);
		return NULL;
	}
	return p;
}

/*
 * The temporary file being written, removed if a signal ends us first
 * (unlink is async-signal-safe; the pointer is set before the handlers
 * are installed and cleared after they are restored).
 */
static char *volatile pending_tmp;

static void
on_fatal_signal(int sig)
{
	char	*t = pending_tmp;

	if (t != NULL)
		unlink(t);
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

static void
guard_tmp(char *tmp, struct sigaction *old)
{
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	pending_tmp = tmp;
	for (i = 0; i < nitems(cleanup_signals); i++)
		sigaction(cleanup_signals[i], &sa, &old[i]);
}

static void
unguard_tmp(const struct sigaction *old)
{
	size_t	i;

	for (i = 0; i < nitems(cleanup_signals); i++)
		sigaction(cleanup_signals[i], &old[i], NULL);
	pending_tmp = NULL;
}

static int
write_all(int fd, const char *text, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(fd, text, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		text += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * A path that is not a regular file (a device such as /dev/null, a FIFO,
 * /dev/stdout, a symbolic link) is written in place: renaming over it
 * would replace the device or the link with a regular file.
 */
static int
write_in_place(const char *cmdname, const char *path, const char *text,
    bool durable)
{
	struct stat	st;
	int		fd;

	if ((fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 ||
	    (S_ISREG(st.st_mode) && ftruncate(fd, 0) == -1) ||
	    write_all(fd, text, strlen(text)) == -1 ||
	    (durable && S_ISREG(st.st_mode) && fsync(fd) == -1)) {
		warn("%s: '%s'", cmdname, path);
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (close(fd) == -1) {
		warn("%s: '%s'", cmdname, path);
		return -1;
	}
	return 0;
}

/* fsync the directory holding path, so that a rename into it is durable. */
static int
sync_parent(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;
	int		 fd, rc;

	if (slash == NULL)
		dir = xstrdup(".");
	else {
		dir = xmalloc((size_t)(slash - path) + 2);
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash == path ? 1 : slash - path] = '\0';
		if (slash == path)
			dir[0] = '/';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

char *
cmd_json_text(json_t *doc)
{
	char	*text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	size_t	 n;

	json_decref(doc);
	n = strlen(text);
	text = xrealloc(text, n + 2);
	memcpy(text + n, "\n", 2);
	return text;
}

int
cmd_write_output(const char *cmdname, const char *path, const char *text,
    bool durable)
{
	struct sigaction	 old[nitems(cleanup_signals)];
	struct stat		 st;
	char			*tmp;
	size_t			 n = strlen(text);
	mode_t			 mask, mode;
	bool			 exists;
	int			 fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		/* finish() in main reports a failed standard output once. */
		if (fwrite(text, 1, n, stdout) != n || fflush(stdout) != 0)
			return -1;
		return 0;
	}
	exists = lstat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		warnx("%s: '%s': a directory", cmdname, path);
		return -1;
	}
	if (exists && !S_ISREG(st.st_mode))
		return write_in_place(cmdname, path, text, durable);
	/* A file replaced keeps its mode; a new one gets the umask's. */
	mask = umask(0);
	umask(mask);
	mode = exists ? st.st_mode & 07777 : 0666 & ~mask;
	tmp = xmalloc(strlen(path) + 16);
	memcpy(tmp, path, strlen(path));
	memcpy(tmp + strlen(path), ".tmp.XXXXXX", 12);
	guard_tmp(tmp, old);
	if ((fd = mkstemp(tmp)) == -1) {
		warn("%s: '%s'", cmdname, path);
		unguard_tmp(old);
		free(tmp);
		return -1;
	}
	if (exists && geteuid() == 0 && fchown(fd, st.st_uid, st.st_gid) == -1)
		warn("%s: '%s': keeping the owner", cmdname, path);
	if (fchmod(fd, mode) != 0 || write_all(fd, text, n) == -1 ||
	    (durable && fsync(fd) != 0) || close(fd) != 0) {
		warn("%s: '%s'", cmdname, path);
		close(fd);
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		warn("%s: '%s'", cmdname, path);
		goto fail;
	}
	unguard_tmp(old);
	free(tmp);
	if (durable && sync_parent(path) == -1) {
		warn("%s: '%s': syncing its directory", cmdname, path);
		return -1;
	}
	return 0;
fail:
	unlink(tmp);
	unguard_tmp(old);
	free(tmp);
	return -1;
}

/*
 * Everything a command printed must have reached standard output: a full
 * disk or a closed pipe is a failure (status 2), for --help and --version
 * too.
 */
static int
finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("write error on standard output");
		return STATUS_ERROR;
	}
	return status;
}

int
main(int argc, char *argv[])
{
	static char	prog[64];
	size_t		i;

	json_set_alloc_funcs(xmalloc, free);
	if (argc < 2) {
		main_usage(stderr);
		return STATUS_ERROR;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2) {
			for (i = 0; i < nitems(cmds); i++)
				if (strcmp(argv[2], cmds[i]->name) == 0)
					return finish(cmd_usage(cmds[i], STATUS_OK));
			warnx("unknown command '%s'", argv[2]);
			return STATUS_ERROR;
		}
		main_usage(stdout);
		return finish(STATUS_OK);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0 ||
	    strcmp(argv[1], "version") == 0)
		return finish(cmd_version());
	for (i = 0; i < nitems(cmds); i++)
		if (strcmp(argv[1], cmds[i]->name) == 0) {
			/*
			 * getopt names argv[0] in its own messages: make them
			 * read "crac-cpu: CMD: unrecognized option ...", the
			 * grammar of every other message.
			 */
			snprintf(prog, sizeof(prog), "crac-cpu: %s", cmds[i]->name);
			argv[1] = prog;
			return finish(cmds[i]->main(argc - 1, argv + 1));
		}
	warnx("unknown command '%s' (see 'crac-cpu --help')", argv[1]);
	return STATUS_ERROR;
}
