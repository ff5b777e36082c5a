/*
 * The hosts of plan and flags: a CLI helper, not a command.  Arguments are
 * files (profiles, dumps), directories (targets only, their regular files
 * in name order) and literal -XX:CPUFeatures values; none means this host,
 * probed live.  See plan_fleet_load in cmd.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/jvm.h"
#include "ccpu/plan.h"
#include "ccpu/profile.h"
#include "cmd.h"
#include "strbuf.h"
#include "xmalloc.h"


static void
fleet_add(struct plan_fleet *f, const struct ccpu_plan_host *h, const char *brand)
{
	if (f->n == f->alloc) {
		f->alloc = f->alloc == 0 ? 8 : f->alloc * 2;
		f->hosts = xreallocarray(f->hosts, f->alloc, sizeof(*f->hosts));
		f->brand = xreallocarray(f->brand, f->alloc, sizeof(*f->brand));
	}
	f->hosts[f->n] = *h;
	snprintf(f->brand[f->n], sizeof(f->brand[0]), "%s", brand);
	f->n++;
}

/*
 * The value in a pasted "... -XX:CPUFeatures=0x..,0x.." line, or arg itself
 * when no file has that name and it starts with a digit (so that a value
 * with the wrong number of words gets the value's error, not "no such file").
 */
static int
literal_value(const char *arg, char *buf, size_t size)
{
	const char	*p;
	size_t		 n;
	struct stat	 st;

	if ((p = strstr(arg, "CPUFeatures=")) != NULL)
		p += strlen("CPUFeatures=");
	else if (stat(arg, &st) == -1 && arg[0] >= '0' && arg[0] <= '9')
		p = arg;
	else
		return 0;
	n = strcspn(p, " \t\r\n");
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 1;
}

static int
load_value(const char *cmdname, struct plan_fleet *f, const char *s)
{
	struct ccpu_plan_host	h;
	struct ccpu_featset	v;
	struct ccpu_error	e;

	if (ccpu_jvm_parse_value(f->layout, s, &v, &e) == -1) {
		warnx("%s: %s", cmdname, e.msg);
		return -1;
	}
	if (ccpu_jvm_value_ambiguous(s))
		strbuf_addf(&f->notes, "value '%s' was read as decimal, as the "
		    "JVM reads it; write 0x in front of each word if it was "
		    "copied from a JVM message\n", s);
	ccpu_plan_host_from_value(&h, s, &v);
	fleet_add(f, &h, "");
	return 0;
}

static const char *
base_name(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

static int
load_file(const char *cmdname, struct plan_fleet *f, const char *path)
{
	struct ccpu_profile	*p;
	struct ccpu_jvm_features jf;
	struct ccpu_plan_host	 h;
	struct ccpu_ident	 id;
	struct ccpu_error	 e;

	if ((p = cmd_load_host(cmdname, path)) == NULL)
		return -1;
	if (ccpu_jvm_derive_host(f->layout, p, &jf, &e) == -1) {
		warnx("%s: '%s': %s", cmdname, path == NULL ? "this host" : path,
		    e.msg);
		ccpu_profile_free(p);
		return -1;
	}
	ccpu_cpu_ident(&p->types[0], &id);
	ccpu_plan_host_from_jvm(&h, path == NULL ? "this host" :
	    base_name(path), id.vendor, &jf);
	fleet_add(f, &h, id.brand);
	ccpu_profile_free(p);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
load_dir(const char *cmdname, struct plan_fleet *f, const char *dir)
{
	DIR		 *d;
	struct dirent	 *de;
	struct stat	  st;
	char		**names = NULL, *path;
	size_t		  n = 0, alloc = 0, i;
	int		  rc = 0;

	if ((d = opendir(dir)) == NULL) {
		warn("%s: '%s'", cmdname, dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == alloc) {
			alloc = alloc == 0 ? 16 : alloc * 2;
			names = xreallocarray(names, alloc, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		if (rc == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc = load_file(cmdname, f, path);
		free(path);
		free(names[i]);
	}
	free(names);
	if (rc == 0 && f->n == 0)
		strbuf_addf(&f->notes, "directory '%s' holds no host\n", dir);
	return rc;
}

/* One note per distinct set of bits the sources cannot tell, naming its hosts. */
static void
note_unknown(struct plan_fleet *f)
{
	char	names[1024];
	size_t	i, j, m;
	bool	seen;

	for (i = 0; i < f->n; i++) {
		if (ccpu_featset_empty(&f->hosts[i].unknown))
			continue;
		for (j = 0, seen = false; j < i && !seen; j++)
			seen = ccpu_featset_equal(&f->hosts[j].unknown,
			    &f->hosts[i].unknown);
		if (seen)
			continue;
		ccpu_jvm_format_names(f->layout, &f->hosts[i].unknown, names,
		    sizeof(names));
		for (j = i, m = 0; j < f->n; j++) {
			if (!ccpu_featset_equal(&f->hosts[j].unknown,
			    &f->hosts[i].unknown))
				continue;
			if (m++ < 3)
				strbuf_addf(&f->notes, "%s'%s'", m > 1 ? ", " : "",
				    f->hosts[j].name);
		}
		if (m > 3)
			strbuf_addf(&f->notes, " and %zu more", m - 3);
		strbuf_addf(&f->notes, ": the source cannot tell %s; left out of "
		    "the value\n", names);
	}
}

int
plan_fleet_load(const char *cmdname, const struct ccpu_layout *l,
    char *const args[], size_t nargs, struct plan_fleet *f)
{
	struct stat	st;
	char		val[CCPU_VALUE_MAX * 2];
	size_t		i;
	int		rc;

	memset(f, 0, sizeof(*f));
	f->layout = l;
	if (nargs == 0)
		return load_file(cmdname, f, NULL);
	for (i = 0; i < nargs; i++) {
		if (f->n >= CCPU_PLAN_MAX_HOSTS) {
			warnx("%s: more than %u hosts", cmdname,
			    CCPU_PLAN_MAX_HOSTS);
			return -1;
		}
		if (literal_value(args[i], val, sizeof(val)))
			rc = load_value(cmdname, f, val);
		else if (strcmp(args[i], "-") != 0 && stat(args[i], &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			if (i == 0) {
				warnx("%s: '%s': the build host must be one "
				    "host, not a directory", cmdname, args[i]);
				return -1;
			}
			rc = load_dir(cmdname, f, args[i]);
		} else
			rc = load_file(cmdname, f, args[i]);
		if (rc == -1)
			return -1;
	}
	if (f->n > CCPU_PLAN_MAX_HOSTS) {
		warnx("%s: more than %u hosts", cmdname, CCPU_PLAN_MAX_HOSTS);
		return -1;
	}
	note_unknown(f);
	return 0;
}

void
plan_fleet_release(struct plan_fleet *f)
{
	free(f->hosts);
	free(f->brand);
	strbuf_release(&f->notes);
	memset(f, 0, sizeof(*f));
}
