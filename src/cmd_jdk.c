#define _XOPEN_SOURCE 700	/* realpath */
/*
 * The JDK side of the CLI, shared by every command (not a command itself):
 * which layout a command uses (cmd_jvm_layout: --jdk, --java-home's release
 * file, $JAVA_HOME, java on PATH, the default, one note saying which), and
 * layouts --identify, which runs a JVM once (or twice) and tells its
 * layout from what it prints.  The JVM runs without a shell, with the
 * options that would change its output removed from its environment, its
 * standard output and error captured (bounded), and a time limit.  The
 * comparison itself is ccpu_layout_identify() in the library.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ccpu/jvm.h"
#include "ccpu/probe.h"
#include "ccpu/profile.h"
#include "cmd.h"
#include "cmd_jvm.h"
#include "strbuf.h"
#include "xmalloc.h"

#define RUN_OUTPUT_MAX	(256u << 10)	/* -version output is a few hundred bytes */
#define RUN_SECONDS	30		/* a JVM starts in well under a second */
#define RELEASE_MAX	(64u << 10)

/* What one run of the JVM gave. */
struct run {
	int	 status;	/* exit status; 128+N for signal N; -1 not run */
	bool	 timed_out;
	char	 error[256];	/* why it did not run */
	char	*out;		/* standard output and error, NUL-terminated */
	size_t	 len;
};

static long
ms_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Run argv (argv[0] a path, no PATH search, no shell), output into r.
 * JAVA_TOOL_OPTIONS and friends would add options and a banner: dropped.
 */
static void
run_jvm(char *const argv[], struct run *r)
{
	struct pollfd	pfd;
	long		deadline;
	ssize_t		n;
	pid_t		pid;
	int		p[2], st, ms;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	r->out = xmalloc(RUN_OUTPUT_MAX + 1);
	r->out[0] = '\0';
	if (pipe(p) == -1) {
		snprintf(r->error, sizeof(r->error), "pipe: %s", strerror(errno));
		return;
	}
	if ((pid = fork()) == -1) {
		snprintf(r->error, sizeof(r->error), "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], STDOUT_FILENO) == -1 ||
		    dup2(p[1], STDERR_FILENO) == -1)
			_exit(127);
		close(p[1]);
		unsetenv("JAVA_TOOL_OPTIONS");
		unsetenv("_JAVA_OPTIONS");
		unsetenv("JDK_JAVA_OPTIONS");
		execv(argv[0], argv);
		dprintf(STDERR_FILENO, "crac-cpu: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	close(p[1]);
	deadline = ms_now() + RUN_SECONDS * 1000L;
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		ms = (int)(deadline - ms_now());
		if (ms <= 0) {
			r->timed_out = true;
			break;
		}
		if (poll(&pfd, 1, ms) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents == 0)
			continue;
		if (r->len == RUN_OUTPUT_MAX) {
			char	sink[4096];

			if ((n = read(p[0], sink, sizeof(sink))) <= 0 &&
			    !(n == -1 && errno == EINTR))
				break;
			continue;
		}
		n = read(p[0], r->out + r->len, RUN_OUTPUT_MAX - r->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		r->len += (size_t)n;
	}
	close(p[0]);
	r->out[r->len] = '\0';
	if (r->timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (r->timed_out)
		snprintf(r->error, sizeof(r->error), "no answer within %d s",
		    RUN_SECONDS);
	else if (WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		r->status = 128 + WTERMSIG(st);
}

/* The value after `prefix` on a line of out, or NULL. */
static bool
find_value(const char *out, const char *prefix, struct ccpu_featset *fs,
    char *text, size_t size)
{
	const char	*p, *e;
	size_t		 n;

	if ((p = strstr(out, prefix)) == NULL)
		return false;
	p += strlen(prefix);
	e = p + strcspn(p, "\r\n \t");
	n = (size_t)(e - p);
	if (ccpu_jvm_parse_words(p, n, CCPU_PARSE_HEX, fs, NULL) == -1)
		return false;
	snprintf(text, size, "%.*s", (int)(n < size ? n : size - 1), p);
	return true;
}

/* KEY="value" of a release file, "" when absent. */
static void
release_get(const char *rel, const char *key, char *dst, size_t size)
{
	const char	*p = rel;
	size_t		 k = strlen(key), n;

	dst[0] = '\0';
	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, k) == 0 && p[k] == '=') {
			p += k + 1;
			p += *p == '"';
			n = strcspn(p, "\"\n");
			snprintf(dst, size, "%.*s", (int)(n < size ? n : size - 1),
			    p);
			return;
		}
		p = strchr(p, '\n');
		p += p != NULL;
	}
}

char *
cmd_read_release(const char *home)
{
	struct stat	 st;
	char		*path, *buf = xmalloc(RELEASE_MAX + 1);
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	buf[0] = '\0';
	path = xasprintf("%s/release", home);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return buf;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		while (len < RELEASE_MAX &&
		    (n = read(fd, buf + len, RELEASE_MAX - len)) > 0)
			len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* An executable `name` in $PATH, as a new string, or NULL. */
static char *
path_search(const char *name)
{
	const char	*path = getenv("PATH"), *p, *e;
	char		*cand;
	size_t		 n;

	for (p = path; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ":");
		n = (size_t)(e - p);
		cand = xmalloc(n + strlen(name) + 3);
		snprintf(cand, n + strlen(name) + 3, "%.*s/%s", (int)n,
		    n ? p : ".", name);
		if (access(cand, X_OK) == 0)
			return cand;
		free(cand);
	}
	return NULL;
}

static char	*home_of(const char *);

/*
 * The java to run and its home: ARG is a JDK directory or a java
 * executable; without one $JAVA_HOME, then java on PATH.
 */
static int
locate(const char *cmdname, const char *arg, char **java, char **home,
    const char **how)
{
	struct stat	 st;
	const char	*jh = getenv("JAVA_HOME");

	*java = NULL;
	if (arg != NULL && stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		*java = xasprintf("%s/bin/java", arg);
		*how = "argument";
	} else if (arg != NULL) {
		*java = xstrdup(arg);
		*how = "argument";
	} else if (jh != NULL && *jh != '\0') {
		*java = xasprintf("%s/bin/java", jh);
		*how = "$JAVA_HOME";
	} else if ((*java = path_search("java")) != NULL)
		*how = "PATH";
	else {
		warnx("%s: no JVM to identify: give a JDK directory or a java "
		    "executable, or set JAVA_HOME", cmdname);
		return -1;
	}
	if (access(*java, X_OK) == -1) {
		warn("%s: '%s'", cmdname, *java);
		free(*java);
		*java = NULL;
		return -1;
	}
	*home = home_of(*java);
	return 0;
}

/* The JDK home that holds java's real path ("/usr/bin/java" is a link). */
static char *
home_of(const char *java)
{
	char	real[PATH_MAX], *s;

	if (realpath(java, real) == NULL)
		snprintf(real, sizeof(real), "%s", java);
	if ((s = strrchr(real, '/')) != NULL)
		*s = '\0';
	if ((s = strrchr(real, '/')) != NULL && strcmp(s, "/bin") == 0)
		*s = '\0';
	return xstrdup(real);
}

char *
cmd_java_home_on_path(void)
{
	char	*java = path_search("java"), *home;

	if (java == NULL)
		return NULL;
	home = home_of(java);
	free(java);
	return home;
}

static const char *const release_keys[] = {
	"JAVA_VERSION", "JAVA_RUNTIME_VERSION", "IMPLEMENTOR",
	"IMPLEMENTOR_VERSION",
};

/* One identification: what ran, what it printed, what fits. */
struct idres {
	char				*java, *home, *rel;
	const char			*how;
	char				 pv[CCPU_VALUE_MAX * 2], gv[CCPU_VALUE_MAX * 2];
	struct ccpu_identify		 id;
	const struct ccpu_layout	*only;
	bool				 have_generic, by_release;
	int				 status;	/* as layouts --identify exits */
};

static void
idres_release(struct idres *r)
{
	free(r->java);
	free(r->home);
	free(r->rel);
}

/*
 * Run the JVM of arg and compare.  Returns the exit status; STATUS_ERROR
 * after a warning under cmdname when it is not a CRaC JDK or cannot run
 * (r->status then says so too), else fills r.
 */
static int
identify_core(const char *cmdname, const char *arg, struct idres *r)
{
	struct ccpu_featset		 printed, generic;
	struct ccpu_profile		*host;
	struct ccpu_error		 e;
	struct run			 r1, r2;
	const struct ccpu_layout	*byver;
	char				*argv[5];
	size_t				 i;

	memset(r, 0, sizeof(*r));
	r->status = STATUS_ERROR;
	if (locate(cmdname, arg, &r->java, &r->home, &r->how) == -1)
		return STATUS_ERROR;
	r->rel = cmd_read_release(r->home);
	argv[0] = r->java;
	argv[1] = (char *)"-XX:+ShowCPUFeatures";
	argv[2] = (char *)"-version";
	argv[3] = NULL;
	run_jvm(argv, &r1);
	memset(&r2, 0, sizeof(r2));
	if (r1.status == -1) {
		warnx("%s: '%s': %s", cmdname, r->java, r1.error);
		goto out;
	}
	if (strstr(r1.out, "Unrecognized VM option 'ShowCPUFeatures'") != NULL) {
		warnx("%s: '%s' is not a CRaC JDK: it rejects "
		    "-XX:+ShowCPUFeatures, so no layout applies", cmdname,
		    r->java);
		goto out;
	}
	if (!find_value(r1.out, "This machine's CPU features are: "
	    "-XX:CPUFeatures=", &printed, r->pv, sizeof(r->pv))) {
		warnx("%s: '%s' printed no \"This machine's CPU features are\" "
		    "line (exit status %d): not a CRaC JDK, or it failed to "
		    "start", cmdname, r->java, r1.status);
		goto out;
	}
	host = ccpu_profile_new();
	if (ccpu_probe_host(host, &e) == -1 ||
	    ccpu_layout_identify(host, &printed, NULL, &r->id, &e) == -1) {
		warnx("%s: %s", cmdname, e.msg);
		ccpu_profile_free(host);
		goto out;
	}
	/* Layouts that number this CPU alike: the generic value may part them. */
	if (r->id.nmatch > 1) {
		argv[1] = (char *)"-XX:CPUFeatures=generic";
		argv[2] = (char *)"-XX:+ShowCPUFeatures";
		argv[3] = (char *)"-version";
		argv[4] = NULL;
		run_jvm(argv, &r2);
		if (r2.status != -1 && find_value(r2.out, "CPU features being "
		    "used are: -XX:CPUFeatures=", &generic, r->gv,
		    sizeof(r->gv))) {
			r->have_generic = true;
			ccpu_layout_identify(host, &printed, &generic, &r->id, &e);
		}
	}
	ccpu_profile_free(host);
	for (i = 0; i < r->id.nrows; i++)
		if (r->id.rows[i].raw_ok && r->id.rows[i].generic_ok &&
		    r->only == NULL)
			r->only = r->id.rows[i].layout;
	r->status = r->id.nmatch == 1 ? STATUS_OK : r->id.nmatch == 0 ?
	    STATUS_NO : STATUS_ERROR;
	/*
	 * Still more than one: the release file decides when it names one of
	 * them (x17 and x17-early number most CPUs alike).
	 */
	if (r->id.nmatch > 1 && (byver = ccpu_layout_from_release(r->rel,
	    strlen(r->rel), NULL)) != NULL)
		for (i = 0; i < r->id.nrows; i++)
			if (r->id.rows[i].layout == byver &&
			    r->id.rows[i].raw_ok && r->id.rows[i].generic_ok) {
				r->only = byver;
				r->status = STATUS_OK;
				r->by_release = true;
			}
out:
	free(r1.out);
	free(r2.out);
	return r->status;
}

const struct ccpu_layout *
cmd_identify_layout(const char *cmdname, const char *arg, char *how,
    size_t size)
{
	struct idres	r;
	size_t		i, o;

	identify_core(cmdname, arg, &r);
	if (r.status == STATUS_OK)
		snprintf(how, size, "identified by running %s: it printed "
		    "-XX:CPUFeatures=%s for this CPU", r.java, r.pv);
	else if (r.status == STATUS_NO)
		warnx("%s: '%s' printed -XX:CPUFeatures=%s for this CPU, which "
		    "no known layout derives ('crac-cpu layouts --identify' "
		    "shows the differences)", cmdname, r.java, r.pv);
	else if (r.pv[0] != '\0') {
		o = (size_t)snprintf(how, size, "%s", "");
		for (i = 0; i < r.id.nrows && o < size; i++)
			if (r.id.rows[i].raw_ok && r.id.rows[i].generic_ok)
				o += (size_t)snprintf(how + o, size - o, "%s%s",
				    o ? ", " : "",
				    ccpu_layout_name(r.id.rows[i].layout));
		warnx("%s: '%s' numbers this CPU's features as %s do; name one "
		    "with --jdk", cmdname, r.java, how);
	}
	idres_release(&r);
	return r.status == STATUS_OK ? r.only : NULL;
}

int
cmd_layouts_identify(const char *arg, bool json)
{
	struct idres			 r;
	struct strbuf			 sb = STRBUF_INIT;
	const struct ccpu_layout	*only;
	const char			*how, *java, *rel, *pv, *gv;
	char				 v[CCPU_VALUE_MAX], val[128], *text;
	json_t				*doj, *rows, *relj;
	size_t				 i;
	int				 status;
	bool				 have_generic, by_release;

	status = identify_core("layouts", arg, &r);
	if (r.pv[0] == '\0') {
		idres_release(&r);
		return status;
	}
	how = r.how;
	java = r.java;
	rel = r.rel;
	pv = r.pv;
	gv = r.gv;
	only = r.only;
	have_generic = r.have_generic;
	by_release = r.by_release;

	if (json) {
		relj = json_object();
		for (i = 0; i < nitems(release_keys); i++) {
			release_get(rel, release_keys[i], val, sizeof(val));
			json_object_set_new(relj, release_keys[i], val[0] != '\0' ?
			    json_string(val) : json_null());
		}
		rows = json_array();
		for (i = 0; i < r.id.nrows; i++) {
			const struct ccpu_identify_row *w = &r.id.rows[i];

			json_array_append_new(rows, json_pack("{s:s, s:b, s:b, "
			    "s:o, s:o, s:o}", "layout", ccpu_layout_name(w->layout),
			    "raw_agrees", w->raw_ok, "generic_agrees",
			    have_generic ? w->generic_ok : 0,
			    "derived", ccpu_jvm_value_json(w->layout, &w->derived),
			    "printed_not_derived", ccpu_jvm_names_json(w->layout,
			    &w->extra), "derived_not_printed",
			    ccpu_jvm_names_json(w->layout, &w->lacking)));
		}
		doj = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:i}",
		    "schema", "ccpu-identify/1", "java", java, "found_by", how,
		    "release", relj, "printed", pv, "generic", have_generic ?
		    json_string(gv) : json_null(), "layout", status == STATUS_OK ?
		    json_string(ccpu_layout_name(only)) : json_null(),
		    "layouts", rows, "status", status);
		json_object_set_new(doj, "decided_by", json_string(
		    status != STATUS_OK ? "nothing" : by_release ?
		    "value and release" : have_generic ? "value and generic" :
		    "value"));
		text = json_dumps(doj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		strbuf_adds(&sb, text);
		strbuf_adds(&sb, "\n");
		free(text);
		json_decref(doj);
	} else {
		strbuf_addf(&sb, "java:     %s (from %s)\n", java, how);
		for (i = 0; i < nitems(release_keys); i++) {
			release_get(rel, release_keys[i], val, sizeof(val));
			if (val[0] != '\0')
				strbuf_addf(&sb, "release:  %s=\"%s\"\n",
				    release_keys[i], val);
		}
		strbuf_addf(&sb, "printed:  -XX:CPUFeatures=%s (this machine's "
		    "CPU features)\n", pv);
		if (have_generic)
			strbuf_addf(&sb, "generic:  -XX:CPUFeatures=%s (under "
			    "-XX:CPUFeatures=generic)\n", gv);
		if (status == STATUS_OK)
			strbuf_addf(&sb, "layout:   %s (%s%s)\n",
			    ccpu_layout_name(only), by_release ? "one of the "
			    "layouts that derive this value on this CPU, and "
			    "the one its release JAVA_VERSION means" : "the only "
			    "layout that derives this value on this CPU",
			    have_generic ? "; the generic value agrees" : "");
		else if (status == STATUS_ERROR) {
			strbuf_adds(&sb, "layout:   cannot tell between");
			for (i = 0; i < r.id.nrows; i++)
				if (r.id.rows[i].raw_ok && r.id.rows[i].generic_ok)
					strbuf_addf(&sb, " %s",
					    ccpu_layout_name(r.id.rows[i].layout));
			strbuf_adds(&sb, ": they number this CPU's features "
			    "alike; name one with --jdk\n");
		} else {
			strbuf_adds(&sb, "layout:   none: no known layout "
			    "derives this value on this CPU (a new layout?)\n");
			for (i = 0; i < r.id.nrows; i++) {
				const struct ccpu_identify_row *w = &r.id.rows[i];

				ccpu_jvm_format_value(w->layout, &w->derived, v,
				    sizeof(v));
				strbuf_addf(&sb, "  %-9s derives %s",
				    ccpu_layout_name(w->layout), v);
				if (!ccpu_featset_empty(&w->extra)) {
					strbuf_adds(&sb, "; printed, not derived: ");
					cmd_jvm_names_text(&sb, w->layout, &w->extra);
				}
				if (!ccpu_featset_empty(&w->lacking)) {
					strbuf_adds(&sb, "; derived, not printed: ");
					cmd_jvm_names_text(&sb, w->layout,
					    &w->lacking);
				}
				if (w->raw_ok && !w->generic_ok) {
					ccpu_jvm_format_value(w->layout,
					    ccpu_layout_generic(w->layout), v,
					    sizeof(v));
					strbuf_addf(&sb, "; but its generic is %s",
					    v);
				}
				strbuf_adds(&sb, "\n");
			}
		}
	}
	text = strbuf_detach(&sb);
	if (cmd_write_output("layouts", NULL, text, false) == -1)
		status = STATUS_ERROR;
	free(text);
	idres_release(&r);
	return status;
}

/* Layout resolution for every command: --jdk, --java-home, the environment. */

/* "JAVA_VERSION 25.0.1, Azul Systems, Inc." for notes. */
static void
release_words(const struct ccpu_jdk_release *r, char *buf, size_t size)
{
	snprintf(buf, size, "JAVA_VERSION %s%s%s", r->java_version,
	    r->implementor[0] != '\0' ? ", " : "", r->implementor);
}

/* Why home has no release file to read (stat follows links, never blocks). */
static const char *
why_unreadable(const char *home)
{
	struct stat	 st;
	char		*path;
	int		 rc;

	if (stat(home, &st) == -1)
		return "no such JDK directory";
	path = xasprintf("%s/release", home);
	rc = stat(path, &st);
	free(path);
	if (rc == -1)
		return "no release file";
	if (S_ISFIFO(st.st_mode))
		return "a FIFO, not a regular file";
	if (S_ISDIR(st.st_mode))
		return "a directory, not a regular file";
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	return st.st_size == 0 ? "empty" : "unreadable or larger than 64 KiB";
}

/*
 * The layout of the JDK in home from its release file: a vendor row, then
 * the version.  Where that leaves more than one layout and may_run, the JVM
 * is run to tell (never on the restore path).  NULL after a warning; with
 * quiet_no_crac, a home whose release names no CRaC line or cannot be read
 * is *skip instead (for the default chain).
 */
static const struct ccpu_layout *
layout_of_home(const char *cmdname, const char *home, const char *from,
    bool may_run, bool *skip, char *why, size_t size)
{
	const struct ccpu_layout	*l;
	struct ccpu_jdk_release		 r;
	struct ccpu_error		 e;
	const char			*ev;
	char				*rel, words[256], how[512];

	if (skip != NULL)
		*skip = false;
	rel = cmd_read_release(home);
	if (rel[0] == '\0') {
		free(rel);
		if (skip != NULL) {
			*skip = true;
			return NULL;
		}
		warnx("%s: '%s/release': %s", cmdname, home, why_unreadable(home));
		return NULL;
	}
	ccpu_jdk_release_parse(rel, strlen(rel), &r);
	free(rel);
	release_words(&r, words, sizeof(words));
	if ((l = ccpu_layout_from_jdk_release(&r, &ev, &e)) != NULL) {
		warnx("%s: note: layout %s from %s/release (%s%s%s)", cmdname,
		    ccpu_layout_name(l), home, words, ev != NULL ? "; " : "",
		    ev != NULL ? ev : "");
		if (why != NULL)
			snprintf(why, size, "%s %s: release file (%s)", from,
			    home, words);
		return l;
	}
	/* A JDK without a CRaC line (11, 1.8) is no evidence for the default. */
	if (skip != NULL && strstr(e.msg, "no CRaC CPU feature layout") != NULL) {
		*skip = true;
		return NULL;
	}
	if (may_run && r.java_version[0] != '\0') {
		if ((l = cmd_identify_layout(cmdname, home, how,
		    sizeof(how))) == NULL) {
			warnx("%s: '%s/release': %s (running its JVM did not "
			    "tell either)", cmdname, home, e.msg);
			return NULL;
		}
		warnx("%s: note: layout %s for %s (%s): %s", cmdname,
		    ccpu_layout_name(l), home, words, how);
		if (why != NULL)
			snprintf(why, size, "%s %s (%s): %s", from, home, words,
			    how);
		return l;
	}
	warnx("%s: '%s/release' (%s): %s", cmdname, home, from, e.msg);
	return NULL;
}

const struct ccpu_layout *
cmd_jvm_layout(const char *cmdname, const char *jdk, const char *java_home,
    unsigned int flags)
{
	return cmd_jvm_layout_why(cmdname, jdk, java_home, flags, NULL, 0);
}

const struct ccpu_layout *
cmd_jvm_layout_why(const char *cmdname, const char *jdk, const char *java_home,
    unsigned int flags, char *why, size_t size)
{
	const struct ccpu_layout	*l;
	struct ccpu_error		 e;
	const char			*caveat, *jh;
	char				*home;
	bool				 skip, may_run = (flags & CMD_JVM_MAY_RUN) != 0;

	if (jdk != NULL && java_home != NULL) {
		warnx("%s: --jdk and --java-home exclude each other", cmdname);
		return NULL;
	}
	if (java_home != NULL)
		return layout_of_home(cmdname, java_home, "--java-home", may_run,
		    NULL, why, size);
	if (jdk != NULL) {
		if ((l = ccpu_layout_lookup(jdk, &e)) == NULL) {
			warnx("%s: %s", cmdname, e.msg);
			return NULL;
		}
		if ((caveat = ccpu_jdk_caveat(jdk)) != NULL)
			warnx("%s: note: --jdk %s means layout %s; %s", cmdname,
			    jdk, ccpu_layout_name(l), caveat);
		if (why != NULL)
			snprintf(why, size, "--jdk %s", jdk);
		return l;
	}
	/*
	 * Neither: the JDK this shell would run tells, from its release file
	 * only ($JAVA_HOME, then java on PATH), else the default; either way
	 * one line says which layout and why.
	 */
	if ((jh = getenv("JAVA_HOME")) != NULL && *jh != '\0') {
		l = layout_of_home(cmdname, jh, "$JAVA_HOME", false, &skip,
		    why, size);
		if (l != NULL || !skip)
			return l;
	}
	if ((home = cmd_java_home_on_path()) != NULL) {
		l = layout_of_home(cmdname, home, "java on PATH", false, &skip,
		    why, size);
		free(home);
		if (l != NULL || !skip)
			return l;
	}
	warnx("%s: note: layout %s, the default (no --jdk, no --java-home, and "
	    "no CRaC JDK in $JAVA_HOME or on PATH)", cmdname,
	    ccpu_layout_name(ccpu_layout_default()));
	if (why != NULL)
		snprintf(why, size, "the default");
	return ccpu_layout_default();
}


void
cmd_jvm_names_text(struct strbuf *sb, const struct ccpu_layout *l,
    const struct ccpu_featset *fs)
{
	char	name[64];
	int	bit, n = 0;

	for (bit = ccpu_featset_next(fs, 0); bit >= 0;
	    bit = ccpu_featset_next(fs, (unsigned int)bit + 1))
		strbuf_addf(sb, "%s%s", n++ > 0 ? ", " : "",
		    ccpu_layout_bit_label(l, (unsigned int)bit, name, sizeof(name)));
}
