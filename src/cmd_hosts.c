/*
 * The hosts of plan and flags: a CLI helper, not a command.  Arguments are
 * anything the one host reader takes (ccpu/hosts.h: profiles, dumps, JSON
 * lines, node lists, directories; the build host's holds exactly one host)
 * and literal -XX:CPUFeatures values; none means this host, probed live.
 * See plan_fleet_load in cmd.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/hosts.h"
#include "ccpu/jvm.h"
#include "ccpu/plan.h"
#include "ccpu/profile.h"
#include "ccpu/survey.h"
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

/*
 * A plan is for one architecture: the layouts number x86-64 features, and
 * aarch64 hosts have their own (crac-cpu layouts).  The first aarch64 host
 * is kept aside; an x86-64 host with it, either way round, is refused with
 * both named, and an aarch64 fleet alone at the end.
 */
static int
mixed(const char *cmdname, const struct plan_fleet *f, const char *x86)
{
	warnx("%s: the hosts mix architectures: '%s' is aarch64, '%s' x86-64; "
	    "a CRaC image is for one architecture: plan each architecture's "
	    "hosts apart", cmdname, f->a64, x86);
	return -1;
}

/*
 * An aarch64 host (a profile, an arm64 /proc/cpuinfo or node) in an x86-64
 * plan: counted, so that the plan refuses the fleet naming it.
 */
static int
a64_seen(const char *cmdname, struct plan_fleet *f, const char *where)
{
	f->n_a64++;
	if (f->a64[0] == '\0')
		snprintf(f->a64, sizeof(f->a64), "%s", where);
	if (f->n > 0)
		return mixed(cmdname, f, f->hosts[0].name);
	return 0;
}

static int
load_value(const char *cmdname, struct plan_fleet *f, const char *s)
{
	struct ccpu_plan_host	h;
	struct ccpu_featset	v;
	struct ccpu_error	e;

	if (f->a64[0] != '\0')
		return mixed(cmdname, f, s);

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

/*
 * A plan host from one item of the host reader.  A file's only record is
 * named by the file; records of a stream or list by the host's own name.
 */
static int
item_host(const char *cmdname, struct plan_fleet *f, struct ccpu_host_item *it,
    struct ccpu_profile *scratch)
{
	struct ccpu_jvm_features jf;
	struct ccpu_plan_host	 h;
	struct ccpu_survey_host	 sh;
	struct ccpu_ident	 id;
	struct ccpu_error	 e;
	char			 where[512], name[256];
	bool			 whole = it->line <= 1 && it->index == 0;

	ccpu_host_item_where(it, where, sizeof(where));
	if (it->kind == CCPU_HOST_ERROR) {
		warnx("%s: %s: %s", cmdname, where, it->error.msg);
		return -1;
	}
	if (it->kind != CCPU_HOST_PROFILE) {
		if (f->a64[0] != '\0')
			return mixed(cmdname, f, where);
		if (ccpu_host_item_features(it, f->layout, scratch, &sh, name,
		    sizeof(name), &e) == -1) {
			warnx("%s: '%s': %s", cmdname, where, e.msg);
			return -1;
		}
		if (sh.a64 != NULL || sh.a64_by_value)
			return a64_seen(cmdname, f, where);
		memset(&h, 0, sizeof(h));
		snprintf(h.name, sizeof(h.name), "%s", sh.name);
		snprintf(h.vendor, sizeof(h.vendor), "%s", sh.vendor);
		h.raw = sh.used;
		h.used = sh.used;
		h.unknown = sh.unknown;
		fleet_add(f, &h, sh.brand);
		return 0;
	}
	if (ccpu_profile_is_a64(it->profile))
		return a64_seen(cmdname, f, where);
	if (f->a64[0] != '\0')
		return mixed(cmdname, f, where);
	if (ccpu_jvm_derive_host(f->layout, it->profile, &jf, &e) == -1) {
		warnx("%s: '%s': %s", cmdname, where, e.msg);
		return -1;
	}
	if (it->profile->warning[0] != '\0')
		warnx("%s: %s", cmdname, it->profile->warning);
	ccpu_cpu_ident(&it->profile->types[0], &id);
	if (!whole && it->profile->hostname[0] != '\0')
		snprintf(name, sizeof(name), "%s", it->profile->hostname);
	else if (!whole) {
		struct ccpu_host_item	at = *it;

		at.file = base_name(it->file);
		ccpu_host_item_where(&at, where, sizeof(where));
		snprintf(name, sizeof(name), "%.200s", where);
	}
	else
		snprintf(name, sizeof(name), "%s", base_name(it->file));
	ccpu_plan_host_from_jvm(&h, name, id.vendor, &jf);
	fleet_add(f, &h, id.brand);
	return 0;
}

/* This host, probed live. */
static int
load_live(const char *cmdname, struct plan_fleet *f)
{
	struct ccpu_profile	*p;
	struct ccpu_jvm_features jf;
	struct ccpu_plan_host	 h;
	struct ccpu_ident	 id;
	struct ccpu_error	 e;

	if ((p = cmd_load_host(cmdname, NULL)) == NULL)
		return -1;
	if (ccpu_profile_is_a64(p)) {
		warnx("%s: this host is aarch64: name an aarch64 layout (--jdk "
		    "a20, a22 or a63: crac-cpu layouts) to plan it", cmdname);
		ccpu_profile_free(p);
		return -1;
	}
	if (ccpu_jvm_derive_host(f->layout, p, &jf, &e) == -1) {
		warnx("%s: 'this host': %s", cmdname, e.msg);
		ccpu_profile_free(p);
		return -1;
	}
	ccpu_cpu_ident(&p->types[0], &id);
	ccpu_plan_host_from_jvm(&h, "this host", id.vendor, &jf);
	fleet_add(f, &h, id.brand);
	ccpu_profile_free(p);
	return 0;
}

/*
 * Every host of one operand, through the one host reader; the build host's
 * operand must hold exactly one.
 */
static int
load_path(const char *cmdname, struct plan_fleet *f, const char *path,
    bool build)
{
	struct ccpu_hosts	*hs = ccpu_hosts_open(path);
	struct ccpu_host_item	 it;
	struct ccpu_profile	*scratch = ccpu_profile_new();
	size_t			 before = f->n, before_a64 = f->n_a64;
	int			 rc = 0;

	while (rc == 0 && ccpu_hosts_next(hs, &it) == 1) {
		if (build && f->n > before && it.kind != CCPU_HOST_ERROR) {
			warnx("%s: '%s': the build host must be one host, not "
			    "several", cmdname, path);
			rc = -1;
		} else if (f->n >= CCPU_PLAN_MAX_HOSTS) {
			warnx("%s: more than %u hosts", cmdname,
			    CCPU_PLAN_MAX_HOSTS);
			rc = -1;
		} else
			rc = item_host(cmdname, f, &it, scratch);
	}
	ccpu_hosts_close(hs);
	ccpu_profile_free(scratch);
	if (rc == 0 && f->n == before && f->n_a64 == before_a64) {
		if (build) {
			warnx("%s: %s: no host in it", cmdname, path);
			return -1;
		}
		strbuf_addf(&f->notes, "'%s' holds no host\n", path);
	}
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
		return load_live(cmdname, f);
	for (i = 0; i < nargs; i++) {
		if (f->n >= CCPU_PLAN_MAX_HOSTS) {
			warnx("%s: more than %u hosts", cmdname,
			    CCPU_PLAN_MAX_HOSTS);
			return -1;
		}
		if (literal_value(args[i], val, sizeof(val)))
			rc = load_value(cmdname, f, val);
		else if (i == 0 && strcmp(args[i], "-") != 0 &&
		    stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			warnx("%s: '%s': the build host must be one host, not a "
			    "directory", cmdname, args[i]);
			return -1;
		} else
			rc = load_path(cmdname, f, args[i], i == 0);
		if (rc == -1)
			return -1;
	}
	if (f->n > CCPU_PLAN_MAX_HOSTS) {
		warnx("%s: more than %u hosts", cmdname, CCPU_PLAN_MAX_HOSTS);
		return -1;
	}
	if (f->a64[0] != '\0') {
		warnx("%s: '%s' is an aarch64 host: name an aarch64 layout "
		    "(--jdk a20, a22 or a63: crac-cpu layouts) to plan aarch64 "
		    "hosts", cmdname, f->a64);
		return -1;
	}
	note_unknown(f);
	return 0;
}

json_t *
plan_fleet_host_json(const struct plan_fleet *f, size_t i)
{
	json_t	*x = json_object();

	json_object_set_new(x, "role", json_string(i == 0 ? "build" : "target"));
	json_object_set_new(x, "name", json_string(f->hosts[i].name));
	json_object_set_new(x, "source", json_string(f->hosts[i].by_value ?
	    "value" : "profile"));
	json_object_set_new(x, "vendor", json_string(f->hosts[i].vendor));
	json_object_set_new(x, "brand", json_string(f->brand[i]));
	return x;
}

json_t *
plan_a64_host_json(const struct plan_a64_fleet *f, size_t i)
{
	const struct ccpu_a64_cpu	*c = &f->hosts[i];
	json_t				*x = json_object(), *m = json_array();
	char				 brand[512], one[128];
	size_t				 o = 0;
	unsigned int			 k;

	brand[0] = '\0';
	for (k = 0; k < c->ncores; k++) {
		ccpu_a64_midr_name(c->cores[k].midr, one, sizeof(one), NULL);
		if (o < sizeof(brand))
			o += (size_t)snprintf(brand + o, sizeof(brand) - o,
			    "%s%s", k > 0 ? " + " : "", one);
		snprintf(one, sizeof(one), "0x%08x", (unsigned int)c->cores[k].midr);
		json_array_append_new(m, json_string(one));
	}
	json_object_set_new(x, "role", json_string(i == 0 ? "build" : "target"));
	json_object_set_new(x, "name", json_string(f->names[i]));
	json_object_set_new(x, "source", json_string("profile"));
	json_object_set_new(x, "brand", json_string(c->ncores > 0 ? brand :
	    "unknown"));
	json_object_set_new(x, "midr", m);
	return x;
}

static void
a64_add(struct plan_a64_fleet *f, const struct ccpu_a64_cpu *cpu,
    const char *name)
{
	f->hosts = xreallocarray(f->hosts, f->n + 1, sizeof(*f->hosts));
	f->names = xreallocarray(f->names, f->n + 1, sizeof(*f->names));
	f->hosts[f->n] = *cpu;
	snprintf(f->names[f->n], sizeof(f->names[0]), "%s", name);
	f->n++;
}

/*
 * One item of an aarch64 plan: an aarch64 profile (or arm64 /proc/cpuinfo),
 * or an arm64 node with crac-cpu's facts labels (features --format nfd); a
 * node with only a layout's feature labels has no HWCAP words to derive
 * the plan's layout from.  Anything else is another architecture.
 */
static int
a64_item(const char *cmdname, struct plan_a64_fleet *f,
    const struct ccpu_host_item *it, const char *arg,
    struct ccpu_profile *scratch)
{
	struct ccpu_survey_host	 sh;
	struct ccpu_error	 e;
	char			 where[512], name[256];

	ccpu_host_item_where(it, where, sizeof(where));
	if (it->kind == CCPU_HOST_ERROR) {
		warnx("%s: %s: %s", cmdname, where, it->error.msg);
		return -1;
	}
	if (it->kind == CCPU_HOST_PROFILE && ccpu_profile_is_a64(it->profile)) {
		a64_add(f, &it->profile->a64, it->profile->hostname[0] != '\0' ?
		    it->profile->hostname : base_name(arg));
		return 0;
	}
	if (it->kind == CCPU_HOST_NODE) {
		if (ccpu_host_item_features(it, ccpu_layout_lookup("x17", NULL),
		    scratch, &sh, name, sizeof(name), &e) == -1) {
			warnx("%s: '%s': %s", cmdname, where, e.msg);
			return -1;
		}
		if (sh.a64 != NULL) {
			a64_add(f, sh.a64, sh.name);
			return 0;
		}
		if (sh.a64_by_value) {
			warnx("%s: '%s': node '%s' has a CRaC layout's crac-cpu "
			    "feature labels but not the crac-cpu.aarch64 facts "
			    "(HWCAP words and MIDRs) %s derives every layout "
			    "from; label it with crac-cpu features --format nfd",
			    cmdname, where, sh.name, cmdname);
			return -1;
		}
	}
	warnx("%s: the hosts mix architectures: '%s' is x86-64 and the layout "
	    "aarch64; a CRaC image is for one architecture: plan each "
	    "architecture's hosts apart", cmdname, where);
	return -1;
}

int
plan_a64_load(const char *cmdname, char *const args[], size_t nargs,
    struct plan_a64_fleet *f)
{
	struct ccpu_profile	*p, *scratch;
	struct ccpu_hosts	*hs;
	struct ccpu_host_item	 it;
	size_t			 i, before;
	int			 rc = 0;

	memset(f, 0, sizeof(*f));
	if (nargs == 0) {
		if ((p = cmd_load_host(cmdname, NULL)) == NULL)
			return -1;
		if (!ccpu_profile_is_a64(p)) {
			warnx("%s: this host is x86-64; an aarch64 layout plans "
			    "aarch64 hosts", cmdname);
			ccpu_profile_free(p);
			return -1;
		}
		a64_add(f, &p->a64, "this host");
		ccpu_profile_free(p);
		return 0;
	}
	scratch = ccpu_profile_new();
	for (i = 0; rc == 0 && i < nargs; i++) {
		hs = ccpu_hosts_open(args[i]);
		before = f->n;
		while (rc == 0 && ccpu_hosts_next(hs, &it) == 1) {
			if (i == 0 && f->n > before && it.kind !=
			    CCPU_HOST_ERROR) {
				warnx("%s: '%s': the build host must be one "
				    "host, not several", cmdname, args[i]);
				rc = -1;
			} else
				rc = a64_item(cmdname, f, &it, args[i],
				    scratch);
		}
		ccpu_hosts_close(hs);
		if (rc == 0 && f->n == before) {
			warnx("%s: %s: no host in it", cmdname, args[i]);
			rc = -1;
		}
	}
	ccpu_profile_free(scratch);
	return rc;
}

void
plan_a64_release(struct plan_a64_fleet *f)
{
	free(f->hosts);
	free(f->names);
	memset(f, 0, sizeof(*f));
}

void
plan_fleet_release(struct plan_fleet *f)
{
	free(f->hosts);
	free(f->brand);
	strbuf_release(&f->notes);
	memset(f, 0, sizeof(*f));
}
