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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ccpu/image.h"
#include "ccpu/jvm.h"
#include "ccpu/profile.h"
#include "ccpu/survey.h"
#include "cmd.h"
#include "cmd_jvm.h"
#include "esc.h"
#include "xmalloc.h"

#define SURVEY_MAX_NODELIST	(512u << 20)	/* kubectl get nodes -o json */
#define SURVEY_MAX_DEPTH	32		/* directory recursion */
#define SURVEY_CLASSES		3		/* default --classes */

static int	survey_main(int, char *[]);

const struct cmd cmd_survey = {
	"survey",
	"[--jdk L | --java-home DIR] [--format text|json|csv|html] [-o FILE]\n"
	"       [--image IMAGE_DIR]... [--classes K] [--strict] [--quiet] PATH...",
	"Group a fleet into CPU classes: the fleet-wide value, its cost, who restores what.",
	"PATH is a host profile, a dump (libcpuid raw or cpuid -r), a directory\n"
	"(read recursively), a file of profiles one per line, a Kubernetes node list\n"
	"(kubectl get nodes -o json) labelled by Node Feature Discovery, or - for a\n"
	"stream of profiles on standard input, one JSON document per line.\n\n"
	"options:\n"
	"  --jdk L             JVM layout or JDK name (x17 ... x27, 17, 21, 25, ...)\n"
	"  --java-home DIR     the JDK in DIR (its release file's JAVA_VERSION)\n"
	"  --format FORMAT     text (default), json, csv or html\n"
	"  -o, --output FILE   write to FILE (atomically) instead of standard output\n"
	"  --image IMAGE_DIR   a CRaC image directory to check every class against\n"
	"                      (repeatable)\n"
	"  --classes K         split the fleet into at most K images (1 to 16),\n"
	"                      each with its own value, and show what that gains\n"
	"                      over one image (default 3; 1: one image, no split)\n"
	"  --strict            an entry that cannot be read is fatal (exit 2)\n"
	"  -q, --quiet         no progress line (shown on standard error only\n"
	"                      when it is a terminal)\n"
	"  -h, --help          show this help\n"
	"\nexit status: 0 done (unreadable entries are listed and counted),\n"
	"2 usage, input or system error\n",
	survey_main,
};

struct survey_run {
	struct ccpu_survey	*s;
	struct ccpu_profile	*p;
	bool			 strict;
	bool			 failed;	/* strict and an entry was bad */
	bool			 progress;	/* stderr is a terminal, no --quiet */
	bool			 shown;		/* a progress line is on screen */
	struct timespec		 start, last;
};

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
bad(struct survey_run *r, const char *file, unsigned long line, const char *msg)
{
	char	shown[1024], smsg[1024];

	if (r->strict) {
		progress(r, true);
		esc_str(shown, sizeof(shown), file);
		esc_str(smsg, sizeof(smsg), msg);
		if (line)
			warnx("survey: '%s': line %lu: %s", shown, line, smsg);
		else
			warnx("survey: '%s': %s", shown, smsg);
		r->failed = true;
		return;
	}
	ccpu_survey_add_error(r->s, file, line, msg);
}

/* One parsed JSON document: a node list or a profile. */
static void
add_doc(struct survey_run *r, const json_t *doc, const char *file,
    unsigned long line)
{
	struct ccpu_error	e;
	long			before = (long)ccpu_survey_nerrors(r->s);
	char			shown[1024], smsg[1024];

	if (ccpu_nfd_is_node_list(doc)) {
		if (ccpu_nfd_add_nodes(r->s, doc, file, &e) == -1)
			bad(r, file, line, e.msg);
		else if (r->strict && (long)ccpu_survey_nerrors(r->s) > before) {
			const struct ccpu_survey_error *se = ccpu_survey_error(r->s,
			    ccpu_survey_nerrors_listed(r->s) - 1);

			warnx("survey: '%s': %s", esc_str(shown,
			    sizeof(shown), se->file), esc_str(smsg,
			    sizeof(smsg), se->msg));
			r->failed = true;
		}
		return;
	}
	if (ccpu_profile_from_json(r->p, doc, &e) == -1 ||
	    ccpu_survey_add_profile(r->s, r->p, &e) == -1) {
		bad(r, file, line, e.msg);
		return;
	}
	progress(r, false);
}

static void
add_line(struct survey_run *r, const char *buf, size_t len, const char *file,
    unsigned long line)
{
	json_error_t	 je;
	json_t		*doc;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	if (len == 0)
		return;
	if ((doc = json_loadb(buf, len, 0, &je)) == NULL) {
		char	msg[256];

		snprintf(msg, sizeof(msg), "column %d: %s", je.column, je.text);
		bad(r, file, line, msg);
		return;
	}
	add_doc(r, doc, file, line);
	json_decref(doc);
}

/* A stream of JSON documents, one per line (stdin or a .jsonl file). */
static void
add_lines(struct survey_run *r, const char *buf, size_t len, const char *file)
{
	const char	*p = buf, *end = buf + len, *nl;
	unsigned long	 line = 0;

	while (p < end && !r->failed) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		add_line(r, p, (size_t)(nl - p), file, line);
		p = nl + 1;
	}
}

static void
add_stream(struct survey_run *r, FILE *f, const char *file)
{
	char		*buf = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	unsigned long	 line = 0;

	while (!r->failed && (n = getline(&buf, &cap, f)) != -1)
		add_line(r, buf, (size_t)n, file, ++line);
	if (ferror(f))
		bad(r, file, 0, strerror(errno));
	free(buf);
}

/* The whole of a regular file, at most max bytes; NULL after bad(). */
static char *
read_file(struct survey_run *r, const char *path, size_t max, size_t *lenp)
{
	struct stat	 st;
	char		*buf;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	/* Non-blocking: a FIFO found in a directory must not hang the walk. */
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1) {
		bad(r, path, 0, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		bad(r, path, 0, !S_ISREG(st.st_mode) ? (S_ISFIFO(st.st_mode) ?
		    "a FIFO, not a regular file" : "not a regular file") :
		    (size_t)st.st_size > max ? "file too large" :
		    strerror(errno));
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size &&
	    (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (len != (size_t)st.st_size) {
		bad(r, path, 0, "short read");
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static void
add_file(struct survey_run *r, const char *path)
{
	struct ccpu_error	 e;
	json_error_t		 je;
	json_t			*doc;
	const char		*p;
	char			*buf;
	size_t			 len;

	if ((buf = read_file(r, path, SURVEY_MAX_NODELIST, &len)) == NULL)
		return;
	for (p = buf; p < buf + len && strchr(" \t\r\n", *p) != NULL; p++)
		continue;
	if (p < buf + len && *p == '{') {
		doc = json_loadb(buf, len, 0, &je);
		if (doc != NULL) {
			add_doc(r, doc, path, 0);
			json_decref(doc);
		} else if (strstr(je.text, "end of file expected") != NULL) {
			add_lines(r, buf, len, path);	/* one document per line */
		} else {
			char	msg[256];

			snprintf(msg, sizeof(msg), "column %d: %s", je.column, je.text);
			bad(r, path, (unsigned long)je.line, msg);
		}
	} else if (len > CCPU_MAX_INPUT) {
		bad(r, path, 0, "file too large");
	} else if (ccpu_profile_parse(r->p, buf, len, path, &e) == -1 ||
	    ccpu_survey_add_profile(r->s, r->p, &e) == -1) {
		bad(r, path, 0, e.msg);
	} else if (r->p->warning[0] != '\0') {
		progress(r, true);
		warnx("survey: %s", r->p->warning);
	} else
		progress(r, false);
	free(buf);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(struct survey_run *, const char *, int);

/* Entries in name order, so that the report does not depend on the file system. */
static void
add_dir(struct survey_run *r, const char *path, int depth)
{
	struct dirent	*d;
	DIR		*dir;
	char		**names = NULL, *sub;
	size_t		 n = 0, i, plen = strlen(path);

	if (depth > SURVEY_MAX_DEPTH) {
		bad(r, path, 0, "directories nested too deep");
		return;
	}
	if ((dir = opendir(path)) == NULL) {
		bad(r, path, 0, strerror(errno));
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(d->d_name);
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if (!r->failed) {
			sub = xmalloc(plen + strlen(names[i]) + 2);
			memcpy(sub, path, plen);
			sub[plen] = '/';
			memcpy(sub + plen + 1, names[i], strlen(names[i]) + 1);
			add_path(r, sub, depth + 1);
			free(sub);
		}
		free(names[i]);
	}
	free(names);
}

static void
add_path(struct survey_run *r, const char *path, int depth)
{
	struct stat	st;

	if (strcmp(path, "-") == 0) {
		add_stream(r, stdin, "-");
		return;
	}
	if (stat(path, &st) == -1) {
		bad(r, path, 0, strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode))
		add_dir(r, path, depth);
	else
		add_file(r, path);
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
	static const struct option opts[] = {
		{ "jdk", required_argument, NULL, 'j' },
		{ "java-home", required_argument, NULL, 'J' },
		{ "format", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "image", required_argument, NULL, 'i' },
		{ "strict", no_argument, NULL, 's' },
		{ "classes", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct ccpu_layout	*layout;
	struct survey_run		 r;
	static const char *const formats[] = {
		"text", "json", "csv", "html", NULL,
	};
	const char			*out = NULL, *format = "text", *jdk = NULL;
	const char			*java_home = NULL;
	const char			**images = NULL;
	char				*text = NULL, *end;
	json_t				*doc;
	unsigned long			 k = SURVEY_CLASSES;
	size_t				 nimages = 0, i;
	int				 ch, rc = STATUS_ERROR;
	bool				 quiet = false;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			jdk = optarg;
			break;
		case 'J':
			java_home = optarg;
			break;
		case 'F':
			format = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'i':
			images = xreallocarray(images, nimages + 1, sizeof(*images));
			images[nimages++] = optarg;
			break;
		case 's':
			r.strict = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'k':
			errno = 0;
			k = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
			    errno != 0 || k == 0 || k > CCPU_PLAN_MAX_CLASSES) {
				warnx("survey: --classes '%s': a number from 1 to %u",
				    optarg, CCPU_PLAN_MAX_CLASSES);
				free(images);
				return STATUS_ERROR;
			}
			break;
		case 'h':
			free(images);
			return cmd_usage(&cmd_survey, STATUS_OK);
		default:
			free(images);
			return cmd_usage(&cmd_survey, STATUS_ERROR);
		}
	}
	if (optind == argc) {
		warnx("survey: no PATH given");
		free(images);
		return cmd_usage(&cmd_survey, STATUS_ERROR);
	}
	if (cmd_format("survey", format, formats) == -1) {
		free(images);
		return STATUS_ERROR;
	}
	for (i = 0; out != NULL && formats[i] != NULL; i++)
		if (strcmp(out, formats[i]) == 0)
			warnx("survey: -o %s writes the %s report to a file named "
			    "'%s'; --format %s picks the format", out, format,
			    out, out);
	if ((layout = cmd_jvm_layout("survey", jdk, java_home,
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
	r.progress = !quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	r.last = r.start;
	for (i = (size_t)optind; i < (size_t)argc && !r.failed; i++)
		add_path(&r, argv[i], 0);
	progress(&r, true);
	if (r.failed)
		goto out;
	ccpu_survey_finish(r.s);
	if (ccpu_survey_nerrors(r.s) > 0)
		warnx("survey: %lu entr%s could not be read (listed in the report)",
		    ccpu_survey_nerrors(r.s), ccpu_survey_nerrors(r.s) == 1 ? "y" : "ies");
	if (ccpu_survey_hosts(r.s) == 0)
		warnx("survey: no hosts read");

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
	} else {
		text = ccpu_survey_text(r.s);
	}
	if (text != NULL && cmd_write_output("survey", out, text, false) == 0)
		rc = STATUS_OK;
out:
	free(text);
	free(images);
	ccpu_profile_free(r.p);
	ccpu_survey_free(r.s);
	return rc;
}
