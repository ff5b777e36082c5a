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
#define SURVEY_MAX_JOBS		16		/* --jobs */
#define POOL_BATCH		256		/* records handed to a worker at once */
#define POOL_BYTES		(2u << 20)	/* ... or fewer when they are large */
#define POOL_RING		8		/* batches in flight: memory stays bounded */

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
	"\nexit status: 0 done (unreadable entries are listed and counted),\n"
	"2 usage, input or system error\n",
	survey_main,
	CMD_OPT_JDK | CMD_OPT_FORMAT | CMD_OPT_OUTPUT | CMD_OPT_CLASSES,
	(const char *const[]){ "text", "json", "csv", "html", "yaml", NULL },
};

/*
 * Parsing and deriving a JSON record is most of a survey's time, and each
 * record is independent: the reader (this thread) cuts records, worker
 * threads turn batches of them into hosts, and this thread folds the hosts
 * into the survey in input order, so the report, the errors and
 * --assignments are the same as with one thread.
 */
struct prec {
	char			*text, *file;
	size_t			 len;
	unsigned long		 line, index, errline;
	bool			 in_items;
	enum ccpu_hosts_json	 how;
	int			 rc;
	struct ccpu_survey_host_buf host;
	struct ccpu_error	 err;
};

enum pstate { P_FREE, P_FILLING, P_QUEUED, P_WORKING, P_DONE };

struct pbatch {
	struct prec	*r;
	size_t		 n, bytes;
	enum pstate	 state;
};

struct pool {
	pthread_mutex_t		 mu;
	pthread_cond_t		 work, done;
	struct pbatch		 ring[POOL_RING];
	size_t			 head;		/* the batch being filled */
	size_t			 tail;		/* the oldest not yet folded */
	size_t			 next;		/* the next batch a worker takes */
	bool			 stop;
	int			 nthreads;
	pthread_t		 thr[SURVEY_MAX_JOBS];
	const struct ccpu_layout *layout;
};

struct survey_run {
	struct ccpu_survey	*s;
	struct ccpu_profile	*p;	/* scratch for Kubernetes nodes */
	bool			 strict;
	bool			 failed;	/* an operand could not be read, or strict and an entry was bad */
	FILE			*spool;		/* --assignments: serial, host, where per host */
	struct pool		*pool;		/* --jobs > 1 */
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

/* One unreadable entry: listed and counted, or fatal with --strict. */
static void
bad(struct survey_run *r, const struct ccpu_host_item *it, const char *msg)
{
	struct ccpu_host_item	at = *it;
	char			where[512];

	/* An item of a list: its path, and the line in front of it. */
	if (at.index > 0) {
		ccpu_host_item_where(&at, where, sizeof(where));
		at.line = 0;
	} else
		snprintf(where, sizeof(where), "%s", it->file);
	if (r->strict || it->fatal) {
		char	shown[1024], smsg[1024];

		progress(r, true);
		esc_str(shown, sizeof(shown), where);
		esc_str(smsg, sizeof(smsg), msg);
		if (at.line)
			warnx("survey: '%s': line %lu: %s", shown, at.line, smsg);
		else
			warnx("survey: '%s': %s", shown, smsg);
		r->failed = true;
		return;
	}
	ccpu_survey_add_error(r->s, where, at.line, msg);
}

/* One host for --assignments: its class serial, name and where, escaped. */
static void
spool(struct survey_run *r, const struct ccpu_host_item *it, const char *name)
{
	char	where[512], n[256], w[1024];

	if (r->spool == NULL)
		return;
	ccpu_host_item_where(it, where, sizeof(where));
	fprintf(r->spool, "%zu\t%s\t%s\n", ccpu_survey_last_serial(r->s),
	    esc_str(n, sizeof(n), name != NULL && name[0] != '\0' ? name :
	    "(unnamed)"), esc_str(w, sizeof(w), where));
}

static void *
pool_worker(void *arg)
{
	struct pool		*pl = arg;
	struct ccpu_profile	*scratch = ccpu_profile_new();
	struct pbatch		*b;
	struct prec		*x;
	size_t			 i;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->stop && (pl->next == pl->head ||
		    pl->ring[pl->next % POOL_RING].state != P_QUEUED))
			pthread_cond_wait(&pl->work, &pl->mu);
		if (pl->stop)
			break;
		b = &pl->ring[pl->next++ % POOL_RING];
		b->state = P_WORKING;
		pthread_mutex_unlock(&pl->mu);
		for (i = 0; i < b->n; i++) {
			x = &b->r[i];
			x->rc = ccpu_host_json_host(x->text, x->len, x->line,
			    x->index, x->file, x->how, pl->layout, scratch,
			    &x->host, &x->errline, &x->err);
		}
		pthread_mutex_lock(&pl->mu);
		b->state = P_DONE;
		pthread_cond_broadcast(&pl->done);
	}
	pthread_mutex_unlock(&pl->mu);
	ccpu_profile_free(scratch);
	return NULL;
}

static struct pool *
pool_start(const struct ccpu_layout *l, int jobs)
{
	struct pool	*pl = xcalloc(1, sizeof(*pl));
	size_t		 i;

	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->work, NULL);
	pthread_cond_init(&pl->done, NULL);
	pl->layout = l;
	for (i = 0; i < POOL_RING; i++)
		pl->ring[i].r = xcalloc(POOL_BATCH, sizeof(*pl->ring[i].r));
	json_object_seed(0);	/* before any thread hashes a key */
	for (; pl->nthreads < jobs; pl->nthreads++)
		if (pthread_create(&pl->thr[pl->nthreads], NULL, pool_worker,
		    pl) != 0)
			break;
	if (pl->nthreads == 0) {
		for (i = 0; i < POOL_RING; i++)
			free(pl->ring[i].r);
		free(pl);
		return NULL;	/* no thread: the reader does it all */
	}
	return pl;
}

static void
pool_stop(struct pool *pl)
{
	size_t	i, k;

	if (pl == NULL)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->stop = true;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->mu);
	for (i = 0; i < (size_t)pl->nthreads; i++)
		pthread_join(pl->thr[i], NULL);
	for (i = 0; i < POOL_RING; i++) {
		for (k = 0; k < pl->ring[i].n; k++) {
			free(pl->ring[i].r[k].text);
			free(pl->ring[i].r[k].file);
		}
		free(pl->ring[i].r);
	}
	pthread_mutex_destroy(&pl->mu);
	pthread_cond_destroy(&pl->work);
	pthread_cond_destroy(&pl->done);
	free(pl);
}

static void bad(struct survey_run *, const struct ccpu_host_item *, const char *);
static void spool(struct survey_run *, const struct ccpu_host_item *, const char *);

/* Fold the oldest batch (waiting for its worker) into the survey, in order. */
static void
pool_fold(struct survey_run *r)
{
	struct pool		*pl = r->pool;
	struct pbatch		*b = &pl->ring[pl->tail % POOL_RING];
	struct ccpu_host_item	 it;
	struct prec		*x;
	size_t			 i;

	pthread_mutex_lock(&pl->mu);
	while (b->state != P_DONE)
		pthread_cond_wait(&pl->done, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	for (i = 0; i < b->n; i++) {
		x = &b->r[i];
		if (!r->failed) {
			memset(&it, 0, sizeof(it));
			it.file = x->file;
			it.line = x->rc == 0 ? x->line : x->errline;
			it.index = x->index;
			it.in_items = x->in_items;
			if (x->rc == -1)
				bad(r, &it, x->err.msg);
			else {
				ccpu_survey_add_host(r->s, &x->host.h);
				it.line = x->line;
				spool(r, &it, x->host.name);
				progress(r, false);
			}
		}
		free(x->text);
		free(x->file);
	}
	b->n = b->bytes = 0;
	pthread_mutex_lock(&pl->mu);
	b->state = P_FREE;
	pthread_mutex_unlock(&pl->mu);
	pl->tail++;
}

static void
pool_submit(struct pool *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->ring[pl->head % POOL_RING].state = P_QUEUED;
	pl->head++;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->mu);
}

/* One JSON record for the workers (its bytes copied: the reader reuses them). */
static void
pool_add(struct survey_run *r, const struct ccpu_host_item *it,
    enum ccpu_hosts_json how)
{
	struct pool	*pl = r->pool;
	struct pbatch	*b = &pl->ring[pl->head % POOL_RING];
	struct prec	*x;

	if (b->state != P_FILLING) {
		while (pl->head - pl->tail >= POOL_RING)
			pool_fold(r);
		b->state = P_FILLING;
	}
	x = &b->r[b->n++];
	x->text = xmalloc(it->textlen > 0 ? it->textlen : 1);
	memcpy(x->text, it->text, it->textlen);
	x->len = it->textlen;
	x->file = xstrdup(it->file);
	x->line = it->line;
	x->index = it->index;
	x->in_items = it->in_items;
	x->how = how;
	b->bytes += it->textlen;
	if (b->n == POOL_BATCH || b->bytes >= POOL_BYTES)
		pool_submit(pl);
}

/* Every record handed out so far, folded: before anything else is added. */
static void
pool_drain(struct survey_run *r)
{
	struct pool	*pl = r->pool;

	if (pl == NULL)
		return;
	if (pl->ring[pl->head % POOL_RING].state == P_FILLING)
		pool_submit(pl);
	while (pl->tail != pl->head)
		pool_fold(r);
}

/* Every host of one operand, through the one host reader (ccpu/hosts.h). */
static void
add_path(struct survey_run *r, const char *path)
{
	struct ccpu_hosts	*hs = ccpu_hosts_open(path);
	struct ccpu_host_item	 it;
	struct ccpu_survey_host	 h;
	struct ccpu_error	 e;
	char			 name[256];

	if (r->pool != NULL)
		ccpu_hosts_set_raw(hs, true);
	while (!r->failed && ccpu_hosts_next(hs, &it) == 1) {
		if (it.kind == CCPU_HOST_JSON) {
			pool_add(r, &it, ccpu_hosts_json_mode(hs));
			continue;
		}
		/* Anything else keeps its place after what is in flight. */
		pool_drain(r);
		switch (it.kind) {
		case CCPU_HOST_JSON:
			break;
		case CCPU_HOST_PROFILE:
			if (ccpu_survey_add_profile(r->s, it.profile, &e) == -1) {
				bad(r, &it, e.msg);
				break;
			}
			spool(r, &it, it.profile->hostname[0] != '\0' ?
			    it.profile->hostname : it.profile->source_file);
			if (it.profile->warning[0] != '\0') {
				char	smsg[1024];

				progress(r, true);
				warnx("survey: %s", esc_str(smsg, sizeof(smsg),
				    it.profile->warning));
			} else
				progress(r, false);
			break;
		case CCPU_HOST_NODE:
		case CCPU_HOST_CPUINFO:
		case CCPU_HOST_LSCPU:
			if (ccpu_host_item_features(&it, ccpu_survey_layout(r->s),
			    r->p, &h, name, sizeof(name), &e) == -1)
				bad(r, &it, e.msg);
			else {
				ccpu_survey_add_host(r->s, &h);
				spool(r, &it, h.name);
				progress(r, false);
			}
			break;
		case CCPU_HOST_ERROR:
			bad(r, &it, it.error.msg);
			break;
		}
	}
	pool_drain(r);
	ccpu_hosts_close(hs);
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
	size_t		 cap = 0, serial;
	ssize_t		 n;
	FILE		*f;
	int		 fd, rc = STATUS_ERROR;

	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		warn("survey: --assignments '%s'", path);
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return STATUS_ERROR;
	}
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
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) == -1) {
		warn("survey: --assignments '%s'", path);
		goto out;
	}
	if (rename(tmp, path) == -1) {
		warn("survey: --assignments '%s'", path);
		goto out;
	}
	rc = STATUS_OK;
out:
	fclose(f);
	if (rc != STATUS_OK)
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
	json_t				*doc;
	unsigned long			 k;
	size_t				 nimages = 0, i;
	int				 ch, rc = STATUS_ERROR;
	const char			*assignments = NULL;
	long				 jobs = 0;
	bool				 quiet = false;

	memset(&r, 0, sizeof(r));
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
			    errno != 0 || jobs < 1 || jobs > SURVEY_MAX_JOBS) {
				warnx("survey: --jobs '%.32s': a number from 1 "
				    "to %d", optarg, SURVEY_MAX_JOBS);
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
	r.p = ccpu_profile_new();
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
	if (jobs > 1)
		r.pool = pool_start(layout, (int)jobs);
	r.progress = !quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	r.last = r.start;
	for (i = (size_t)optind; i < (size_t)argc && !r.failed; i++)
		add_path(&r, argv[i]);
	progress(&r, true);
	if (r.failed)
		goto out;
	if (ccpu_survey_hosts(r.s) == 0) {
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
		doc = ccpu_survey_to_json(r.s);
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(doc);
		if (text != NULL) {
			size_t	n = strlen(text);

			text = xrealloc(text, n + 2);
			memcpy(text + n, "\n", 2);
		}
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
	} else {
		text = ccpu_survey_text(r.s);
	}
	if (text != NULL && cmd_write_output("survey", out, text, false) == 0)
		rc = assignments == NULL ? STATUS_OK :
		    write_assignments(&r, assignments);
out:
	free(text);
	free(images);
	pool_stop(r.pool);
	ccpu_profile_free(r.p);
	ccpu_survey_free(r.s);
	if (r.spool != NULL)
		fclose(r.spool);
	return rc;
}
