/*
 * crac-cpu survey: read a fleet (profiles, dumps, directories of them, a
 * stream of profiles on standard input, Kubernetes node lists labelled by
 * NFD), fold it into CPU classes and report the classes, the fleet-wide
 * value and its cost, and which classes can restore which images.  Each
 * host is parsed, derived and dropped before the next is read.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ccpu/hosts.h"
#include "ccpu/image.h"
#include "ccpu/jvm.h"
#include "ccpu/profile.h"
#include "ccpu/survey.h"
#include "cmd.h"
#include "cmd_jvm.h"
#include "esc.h"
#include "xmalloc.h"

#define SURVEY_CLASSES		3		/* default --classes */


static int	survey_main(int, char *[]);

const struct cmd cmd_survey = {
	"survey",
	"[--jdk L | --java-home DIR] [--format text|json|csv|html|yaml] [-o FILE]\n"
	"       [--image IMAGE_DIR]... [--classes K] [--strict] [--quiet]\n"
	"       [--assignments FILE] [--jobs N] PATH...",
	"Group a fleet into CPU classes: the fleet-wide value, its cost, who restores what.",
	"PATH is a host profile, a dump (libcpuid raw or cpuid -r), a directory\n"
	"(read recursively), a file of profiles one per line, a Kubernetes node list\n"
	"(kubectl get nodes -o json) labelled by Node Feature Discovery, or - for a\n"
	"stream of profiles on standard input, one JSON document per line.\n\n"
	"options:\n"
	"  --jdk L             the JVM layout or JDK (names below)\n"
	"  --java-home DIR     the JDK in DIR (its release file's JAVA_VERSION)\n"
	"  --format FORMAT     text (default), json, csv, html, or yaml (the\n"
	"                      nodeAffinity of the value and of each --image, as\n"
	"                      pod spec fragments; needs Kubernetes nodes)\n"
	"  -o, --output FILE   write to FILE (atomically) instead of standard output\n"
	"  --image IMAGE_DIR   a CRaC image directory to check every class against\n"
	"                      (repeatable)\n"
	"  --classes K         split the fleet into at most K images (1 to 16),\n"
	"                      each with its own value, and show what that gains\n"
	"                      over one image (default 3; 1: one image, no split)\n"
	"  --strict            an entry that cannot be read is fatal (exit 2)\n"
	"  --quiet             no progress line (shown on standard error only\n"
	"                      when it is a terminal)\n"
	"  --jobs N            threads that parse and derive hosts (default: the\n"
	"                      CPUs, at most 4; 1: none); the output is the same\n"
	"  --assignments FILE  also write one line per host to FILE: host, where\n"
	"                      it was read, class, stable id, value, image class\n"
	"                      and each --image's verdict; CSV when FILE ends in\n"
	"                      .csv, else JSON lines (written atomically)\n"
	"  -h, --help          show this help\n"
	"\naarch64 hosts (profiles, arm64 /proc/cpuinfo) are surveyed apart, in\n"
	"layout a63: their own classes, one plan per PAC kind, affinity by\n"
	"kubernetes.io/arch; every format reports them.\n"
	"\nexit status: 0 done (unreadable entries are listed and counted),\n"
	"2 usage, input or system error\n",
	survey_main,
	CMD_OPT_JDK | CMD_OPT_FORMAT | CMD_OPT_OUTPUT | CMD_OPT_CLASSES,
	(const char *const[]){ "text", "json", "csv", "html", "yaml", NULL },
};

struct survey_run {
	struct ccpu_survey	*s;
	bool			 strict;
	FILE			*spool;		/* --assignments: serial, host, where per host */
	bool			 progress;	/* stderr is a terminal, no --quiet */
	bool			 shown;		/* a progress line is on screen */
	struct timespec		 start, last;
};

static mode_t
current_umask(void)
{
	mode_t	m = umask(022);

	umask(m);
	return m;
}

static double
seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/*
 * Hosts read so far and the rate, on one line of standard error that is
 * rewritten at most 4 times a second; end clears it.
 */
static void
progress(struct survey_run *r, bool end)
{
	struct timespec	now;
	double		t;

	if (!r->progress)
		return;
	if (end) {
		if (r->shown)
			fprintf(stderr, "\r%60s\r", "");
		r->shown = false;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (seconds(&r->last, &now) < 0.25)
		return;
	r->last = now;
	t = seconds(&r->start, &now);
	fprintf(stderr, "\rsurvey: %lu hosts read, %.0f/s   ",
	    ccpu_survey_hosts(r->s), t > 0 ? (double)ccpu_survey_hosts(r->s) / t : 0);
	r->shown = true;
}

/* The reader's callbacks: assignments spool, progress, dump warnings. */
static void
on_host(void *ctx, size_t serial, const char *name, const char *where)
{
	struct survey_run	*r = ctx;

	if (r->spool != NULL)
		fprintf(r->spool, "%zu\t%s\t%s\n", serial, name, where);
}

static void
on_progress(void *ctx)
{
	progress(ctx, false);
}

static void
on_warning(void *ctx, const char *msg)
{
	char	smsg[1024];

	progress(ctx, true);
	warnx("survey: %s", esc_str(smsg, sizeof(smsg), msg));
}


/*
 * The --assignments file from the spool, a line at a time (memory does not
 * grow with the fleet), to a temporary file renamed over path.
 */
static int
write_assignments(struct survey_run *r, const char *path)
{
	const char	*dot = strrchr(path, '.');
	bool		 csv = dot != NULL && strcmp(dot, ".csv") == 0;
	char		*tmp, *line = NULL, *host, *where, *end, *text;
	struct stat	 st;
	size_t		 cap = 0, serial;
	ssize_t		 n;
	FILE		*f;
	int		 fd, rc = STATUS_ERROR;

	/* A device, FIFO or link to one is written in place, never replaced. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((f = fopen(path, "w")) == NULL) {
			warn("survey: --assignments '%s'", path);
			return STATUS_ERROR;
		}
		tmp = NULL;
		fd = fileno(f);
	} else {
		tmp = xasprintf("%s.XXXXXX", path);
		fd = mkstemp(tmp);
		f = fd == -1 ? NULL : fdopen(fd, "w");
	}
	if (fd == -1 || f == NULL) {
		warn("survey: --assignments '%s'", path);
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return STATUS_ERROR;
	}
	if (tmp != NULL)
		fchmod(fd, 0644 & ~current_umask());
	text = ccpu_survey_assignments_header(r->s, csv);
	fputs(text, f);
	free(text);
	rewind(r->spool);
	while ((n = getline(&line, &cap, r->spool)) > 0) {
		line[n - 1] = '\0';
		serial = (size_t)strtoull(line, &end, 10);
		host = end + 1;
		if ((where = strchr(host, '\t')) == NULL)
			break;
		*where++ = '\0';
		if ((text = ccpu_survey_assignment(r->s, serial, host, where,
		    csv)) == NULL) {
			warnx("survey: --assignments: host '%s' could not be "
			    "written", host);
			goto out;
		}
		fputs(text, f);
		free(text);
	}
	if (ferror(r->spool)) {
		warnx("survey: --assignments: reading back the hosts failed");
		goto out;
	}
	if (fflush(f) != 0 || ferror(f) || (tmp != NULL && fsync(fileno(f)) == -1)) {
		warn("survey: --assignments '%s'", path);
		goto out;
	}
	if (tmp != NULL && rename(tmp, path) == -1) {
		warn("survey: --assignments '%s'", path);
		goto out;
	}
	rc = STATUS_OK;
out:
	fclose(f);
	if (rc != STATUS_OK && tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(line);
	return rc;
}

static int
add_image(struct ccpu_survey *s, const char *dir)
{
	struct ccpu_image	im;
	struct ccpu_error	e;
	const char		*base;

	if (ccpu_image_load(&im, dir, 0, &e) == -1) {
		warnx("survey: %s", e.msg);
		return -1;
	}
	if (im.record == CCPU_RECORD_NONE) {
		warnx("survey: '%s': the image records no CPU features", dir);
		ccpu_image_release(&im);
		return -1;
	}
	base = strrchr(dir, '/');
	base = base != NULL && base[1] != '\0' ? base + 1 : dir;
	ccpu_survey_add_image(s, base, &im.features);
	ccpu_image_release(&im);
	return 0;
}

/*
 * When the report was made, for the HTML header: SOURCE_DATE_EPOCH when set
 * (reproducible output, as reproducible-builds.org defines it), else now.
 */
static int64_t
report_time(void)
{
	const char	*e = getenv("SOURCE_DATE_EPOCH");
	char		*end;
	long long	 t;

	if (e != NULL && *e != '\0') {
		errno = 0;
		t = strtoll(e, &end, 10);
		if (errno == 0 && *end == '\0' && t >= 0)
			return t;
		warnx("survey: SOURCE_DATE_EPOCH is not a number of seconds; "
		    "the report says the time now");
	}
	return (int64_t)time(NULL);
}

int
survey_main(int argc, char *argv[])
{
	static const struct option own[] = {
		{ "image", required_argument, NULL, 'i' },
		{ "strict", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "assignments", required_argument, NULL, 'A' },
		{ "jobs", required_argument, NULL, 'J' + 256 },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_opts			 o = CMD_OPTS_INIT;
	const struct ccpu_layout	*layout;
	struct survey_run		 r;
	const char			*out, *format;
	const char			**images = NULL;
	char				*text = NULL;
	unsigned long			 k;
	size_t				 nimages = 0, i;
	int				 ch, rc = STATUS_ERROR;
	struct ccpu_survey_read_opts	 ro;
	struct ccpu_survey_reader	*rd = NULL;
	struct ccpu_error		 e;
	const char			*assignments = NULL;
	long				 jobs = 0;
	bool				 quiet = false;

	memset(&r, 0, sizeof(r));
	memset(&ro, 0, sizeof(ro));
	while ((ch = cmd_getopt(&cmd_survey, argc, argv, own, &o)) > 0) {
		if (ch == 'i') {
			images = xreallocarray(images, nimages + 1, sizeof(*images));
			images[nimages++] = optarg;
		} else if (ch == 'q')
			quiet = true;
		else if (ch == 'A')
			assignments = optarg;
		else if (ch == 'J' + 256) {
			char	*end;

			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
			    errno != 0 || jobs < 1 || jobs > CCPU_SURVEY_MAX_JOBS) {
				warnx("survey: --jobs '%.32s': a number from 1 "
				    "to %d", optarg, CCPU_SURVEY_MAX_JOBS);
				free(images);
				cmd_opts_release(&o);
				return STATUS_ERROR;
			}
		}
		else
			r.strict = true;	/* 's' */
	}
	cmd_opts_release(&o);
	if (ch == -1) {
		free(images);
		return o.status;
	}
	out = o.output;
	format = o.format;
	k = o.classes != 0 ? o.classes : SURVEY_CLASSES;
	if (optind == argc) {
		warnx("survey: no PATH given");
		free(images);
		return cmd_usage(&cmd_survey, STATUS_ERROR);
	}
	if ((layout = cmd_jvm_layout("survey", o.jdk, o.java_home,
	    CMD_JVM_MAY_RUN)) == NULL) {
		free(images);
		return STATUS_ERROR;
	}

	r.s = ccpu_survey_new(layout);
	ccpu_survey_set_split(r.s, (unsigned int)k);
	ccpu_survey_set_inputs(r.s, (const char *const *)argv + optind,
	    (size_t)(argc - optind), report_time());
	for (i = 0; i < nimages; i++)
		if (add_image(r.s, images[i]) == -1)
			goto out;
	for (i = 0; out != NULL && cmd_survey.formats[i] != NULL; i++)
		if (strcmp(out, cmd_survey.formats[i]) == 0)
			warnx("survey: -o %s writes the %s report to a file named "
			    "'%s'; --format %s picks the format", out, format,
			    out, out);
	if (assignments != NULL && (r.spool = tmpfile()) == NULL) {
		warn("survey: --assignments: a temporary file");
		goto out;
	}
	/*
	 * Worker threads: as many as there are CPUs (at most 4) unless
	 * --jobs says; one means this thread does everything.
	 */
	if (jobs == 0) {
		jobs = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = jobs < 1 ? 1 : jobs > 4 ? 4 : jobs;
	}
	ro.strict = r.strict;
	ro.jobs = (int)jobs;
	ro.host = on_host;
	ro.progress = on_progress;
	ro.warning = on_warning;
	ro.ctx = &r;
	rd = ccpu_survey_reader_new(r.s, &ro);
	r.progress = !quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	r.last = r.start;
	for (i = (size_t)optind; i < (size_t)argc; i++)
		if (ccpu_survey_reader_add(rd, argv[i], &e) == -1) {
			progress(&r, true);
			warnx("survey: %s", e.msg);
			goto out;
		}
	progress(&r, true);
	if (ccpu_survey_hosts(r.s) == 0 && ccpu_survey_a64_hosts(r.s) == 0) {
		/* An empty fleet has no plan: never print one. */
		for (i = 0; i < ccpu_survey_nerrors_listed(r.s) && i < 10; i++) {
			const struct ccpu_survey_error *se = ccpu_survey_error(r.s, i);

			if (se->line)
				warnx("survey: '%s': line %lu: %s", se->file,
				    se->line, se->msg);
			else
				warnx("survey: '%s': %s", se->file, se->msg);
		}
		warnx("survey: no hosts read");
		goto out;
	}
	ccpu_survey_finish(r.s);
	if (ccpu_survey_nerrors(r.s) > 0)
		warnx("survey: %lu entr%s could not be read (listed in the report)",
		    ccpu_survey_nerrors(r.s), ccpu_survey_nerrors(r.s) == 1 ? "y" : "ies");

	if (strcmp(format, "json") == 0) {
		text = cmd_json_text(ccpu_survey_to_json(r.s));
	} else if (strcmp(format, "csv") == 0) {
		text = ccpu_survey_csv(r.s);
	} else if (strcmp(format, "html") == 0) {
		text = ccpu_survey_html(r.s);
	} else if (strcmp(format, "yaml") == 0) {
		if ((text = ccpu_survey_yaml(r.s)) == NULL) {
			warnx("survey: --format yaml prints Kubernetes affinity; "
			    "no host came from a node list");
			goto out;
		}
		if (ccpu_survey_hosts(r.s) > ccpu_survey_nfd_hosts(r.s) &&
		    ccpu_survey_nfd_hosts(r.s) == 0)
			warnx("survey: --format yaml: no affinity for the %lu "
			    "x86-64 host%s: none came from a node list",
			    ccpu_survey_hosts(r.s),
			    ccpu_survey_hosts(r.s) == 1 ? "" : "s");
	} else {
		text = ccpu_survey_text(r.s);
	}
	if (text != NULL && cmd_write_output("survey", out, text, false) == 0)
		rc = assignments == NULL ? STATUS_OK :
		    write_assignments(&r, assignments);
out:
	free(text);
	free(images);
	ccpu_survey_reader_free(rd);
	ccpu_survey_free(r.s);
	if (r.spool != NULL)
		fclose(r.spool);
	return rc;
}
