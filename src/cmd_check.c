/*
 * crac-cpu check: will these CRaC images restore on this host?  It sits on
 * the restore path, so it only reads, stays off libcpuid's identification
 * and probes one CPU unless the host is hybrid (where a JVM may start on
 * any core type and every type must be captured).
 */
#include <err.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/check.h"
#include "ccpu/image.h"
#include "ccpu/jvm.h"
#include "ccpu/probe.h"
#include "ccpu/profile.h"
#include "cmd.h"
#include "cmd_jvm.h"
#include "strbuf.h"
#include "xmalloc.h"

static int	check_main(int, char *[]);

const struct cmd cmd_check = {
	"check",
	"[--jdk L | --java-home DIR] [--host FILE | --value V]\n"
	"       [--mode compatible|exact] [--strict [--allow RISK,...]]\n"
	"       [--best | --best-index] [--format text|json|openmetrics] IMAGE_DIR...",
	"Tell whether CRaC images will restore on this host, as the JVM would\n"
	"decide, what is missing, and the -XX:CPUFeatures value that works on\n"
	"both hosts.",
	"options:\n"
	"  --jdk L            the JVM layout or JDK that wrote the images (names\n"
	"                     below); default: the image's java.version\n"
	"                     label or its crac-cpu.json (from `crac-cpu stamp`)\n"
	"  --java-home DIR    the JDK in DIR (its release file's JAVA_VERSION)\n"
	"  --host FILE        compare with this host profile or dump, not this CPU\n"
	"  --value V          compare with a -XX:CPUFeatures value (0x..,0x..)\n"
	"  --mode MODE        compatible (image subset of host, default) or exact,\n"
	"                     as -XX:CheckCPUFeatures\n"
	"  --strict           restore risks (xsave size, vendor, glibc, kernel,\n"
	"                     AMX, hypervisor) fail the check instead of warning\n"
	"  --allow RISKS      with --strict, these stay warnings: a comma-separated\n"
	"                     list of xsave-size, vendor, glibc, kernel, amx,\n"
	"                     hypervisor (e.g. --allow hypervisor on cloud hosts)\n"
	"  --best             print the path of the compatible image that keeps the\n"
	"                     most features; status 1 when none fits\n"
	"  --best-index       print only the position (1 for the first IMAGE_DIR)\n"
	"                     of that image, for scripts; the report of every\n"
	"                     image goes to standard error when none fits\n"
	"  --format FORMAT    text (default), json, or openmetrics (the verdict\n"
	"                     per image as OpenMetrics text, for monitoring)\n"
	"  -h, --help         show this help\n"
	"\nAn aarch64 image (label:cpu.arch=aarch64) is checked against an aarch64\n"
	"host (this one, --host, or a one-word --value) in the layout of its\n"
	"crac-cpu.json (from `crac-cpu stamp`: its fingerprint must match and\n"
	"its features equal the image's word), else the one --jdk names (a20,\n"
	"a22 or a63), else the one its word tells (the layouts that accept it\n"
	"name it alike; exit 2 if not): PACA must agree and every other recorded\n"
	"feature be there.  An image of a CRaC build before 2026 records\n"
	"nothing: it is checked by its crac-cpu.json alone (stock layout a17,\n"
	"a21 or a25), every feature counting, since that JVM restores without\n"
	"checking.  json reports its one-word values and pac_agrees; openmetrics\n"
	"as for x86-64.\n"
	"\nexit status: 0 compatible, 1 not compatible, 2 could not decide (no or\n"
	"malformed record, unknown layout, other architecture, unreadable\n"
	"directory, usage)\n",
	check_main,
	CMD_OPT_JDK | CMD_OPT_HOST | CMD_OPT_FORMAT,
	(const char *const[]){ "text", "json", "openmetrics", NULL },
};

struct opts {
	const char			*jdk;
	const char			*java_home;
	const struct ccpu_layout	*layout;	/* from --jdk */
	const struct ccpu_a64_layout	*a64;		/* from --jdk a20|a22|a63 */
	const char			*host;
	const char			*value;
	enum ccpu_check_mode		 mode;
	bool				 strict;
	unsigned int			 allowed;	/* 1 << enum ccpu_risk */
	bool				 best;
	bool				 json;
	bool				 openmetrics;
	bool				 index;		/* --best-index */
};

/* A risk fails the check under --strict unless --allow names it. */
static bool
fatal(const struct opts *o, enum ccpu_risk kind)
{
	return o->strict && !(o->allowed & (1u << kind));
}

static unsigned int
fatal_risks(const struct opts *o, const struct ccpu_check *c)
{
	unsigned int	i, n = 0;

	for (i = 0; i < c->nrisks; i++)
		n += fatal(o, c->risks[i].kind);
	return n;
}

/* "vendor,hypervisor" into a mask; -1 on an unknown name. */
static int
parse_allow(const char *list, unsigned int *mask)
{
	const char	*p = list;
	size_t		 n;
	unsigned int	 k;

	while (*p != '\0') {
		n = strcspn(p, ",");
		for (k = 0; k < CCPU_RISK_COUNT; k++)
			if (strlen(ccpu_risk_name(k)) == n &&
			    strncmp(p, ccpu_risk_name(k), n) == 0)
				break;
		if (k == CCPU_RISK_COUNT) {
			warnx("check: unknown risk '%.*s' (xsave-size, vendor, "
			    "glibc, kernel, amx or hypervisor)", (int)n, p);
			return -1;
		}
		*mask |= 1u << k;
		p += n;
		p += *p == ',';
	}
	return 0;
}

/* This host, loaded once, only when an image gets as far as comparing. */
struct hoststate {
	bool			 tried;
	bool			 glibc_tried;
	struct ccpu_profile	*p;
};

struct result {
	const char			*dir;
	int				 status;
	char				 error[sizeof(((struct ccpu_error *)0)->msg)];
	bool				 loaded;
	struct ccpu_image		 img;
	const struct ccpu_layout	*layout;
	const char			*layout_from;
	struct ccpu_featset		 current;
	struct ccpu_featset		 unknown;	/* host bits nobody can tell */
	unsigned int			 host_missing;	/* CCPU_MISS_* deciding chk.undecided */
	struct ccpu_check		 chk;
	bool				 compared;
	char				 a64[1024];	/* an aarch64 image's verdict, "" if none */
	char				 a64_from[64];	/* the aarch64 layouts that read the word alike */
	const struct ccpu_a64_layout	*a64l;		/* its layout, once compared */
	bool				 pac_agrees;
};

static const char *
current_from(const struct opts *o)
{
	return o->value != NULL ? "value" : o->host != NULL ? "profile" : "live";
}

/*
 * One CPU is what the JVM itself looks at; a hybrid host needs every core
 * type (ccpu_probe_gate decides), and only the leaves a JVM reads.
 */
static struct ccpu_profile *
probe_fast(struct ccpu_error *err)
{
	struct ccpu_profile	*p = ccpu_profile_new();

	if (ccpu_probe_gate(p, err) == -1) {
		ccpu_profile_free(p);
		return NULL;
	}
	return p;
}

/* The host to compare with (--host FILE, else this one), loaded once. */
static void
load_host(struct hoststate *h, const char *file)
{
	struct ccpu_error	e;

	if (h->tried)
		return;
	h->tried = true;
	if (file != NULL)
		h->p = cmd_load_host("check", file);
	else if ((h->p = probe_fast(&e)) == NULL)
		warnx("check: %s", e.msg);
}

static int
fail(struct result *r, const struct ccpu_error *e)
{
	snprintf(r->error, sizeof(r->error), "%s", e->msg);
	r->status = STATUS_ERROR;
	return -1;
}

static int
failf(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
failf(struct result *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	r->status = STATUS_ERROR;
	return -1;
}

static bool
sidecar_usable(const struct ccpu_image *img)
{
	return img->has_sidecar && !img->sidecar_stale;
}

/* --jdk, else java.version, else the sidecar; never a silent default. */
static int
resolve_layout(const struct opts *o, struct result *r)
{
	const struct ccpu_image		*img = &r->img;
	const struct ccpu_layout	*side = NULL, *ver = NULL;
	const char			*version = NULL;
	struct ccpu_error		 e, verr;

	verr.msg[0] = '\0';
	if (img->has_tags && img->tags.has_version)
		version = img->tags.java_version;
	else if (sidecar_usable(img) && img->sidecar.java_version[0] != '\0')
		version = img->sidecar.java_version;
	if (sidecar_usable(img) &&
	    (side = ccpu_layout_lookup(img->sidecar.layout, &e)) == NULL)
		return failf(r, "'%s/%s': %s", r->dir, CCPU_IMAGE_SIDECAR, e.msg);
	if (version != NULL)
		ver = ccpu_layout_from_java_version(version, &verr);
	if (o->layout != NULL) {
		r->layout = o->layout;
		r->layout_from = "--jdk";
		return 0;
	}
	if (side != NULL && ver != NULL && side != ver)
		return failf(r, "'%s': %s says layout %s, java.version '%s' "
		    "means %s; name the layout with --jdk", r->dir,
		    CCPU_IMAGE_SIDECAR, ccpu_layout_name(side), version,
		    ccpu_layout_name(ver));
	if (ver != NULL) {
		r->layout = ver;
		r->layout_from = "java.version";
		return 0;
	}
	if (side != NULL) {
		r->layout = side;
		r->layout_from = CCPU_IMAGE_SIDECAR;
		return 0;
	}
	if (version != NULL)
		return failf(r, "'%s': %s", r->dir, verr.msg);
	return failf(r, "'%s': cannot tell the JVM layout: no java.version "
	    "label and %s %s; name it with --jdk", r->dir,
	    img->has_sidecar ? "a stale" : "no", CCPU_IMAGE_SIDECAR);
}

/* A stale sidecar was the only record. */
static int
stale(struct result *r)
{
	return failf(r, "'%s': stale %s: the image's files changed since it "
	    "was stamped (checkpointed again, rewritten in place, or copied "
	    "without their times); run 'crac-cpu stamp' after each "
	    "checkpoint", r->dir, CCPU_IMAGE_SIDECAR);
}

/* Why there is nothing to compare. */
static int
no_record(struct result *r)
{
	const struct ccpu_image	*img = &r->img;

	if (img->has_tags)
		return failf(r, "'%s/%s': no bitmap:cpu.features tag (was the "
		    "checkpoint made with -XX:CPUFeatures=ignore?)", r->dir,
		    CCPU_IMAGE_TAGS);
	if (img->has_sidecar && img->sidecar_stale)
		return stale(r);
	return failf(r, "'%s': no CPU features recorded (no %s, %s or %s; an "
	    "image from a 2023 to early 2025 build needs 'crac-cpu stamp' "
	    "right after the checkpoint)", r->dir, CCPU_IMAGE_TAGS,
	    CCPU_IMAGE_USERDATA, CCPU_IMAGE_SIDECAR);
}

/*
 * The image uses features this host's record cannot show: say which and
 * which input the record lacks, never "missing".
 */
static void
undecided_msg(struct result *r)
{
	char		names[CCPU_FEATSET_MAX * 8], inputs[128];
	size_t		o = 0;
	unsigned int	b;

	ccpu_jvm_format_names(r->layout, &r->chk.undecided, names,
	    sizeof(names));
	inputs[0] = '\0';
	for (b = 1; b <= CCPU_MISS_ALL && o < sizeof(inputs); b <<= 1)
		if ((r->host_missing & b) != 0 && ccpu_miss_name(b) != NULL)
			o += (size_t)snprintf(inputs + o, sizeof(inputs) - o,
			    "%s%s", o ? ", " : "", ccpu_miss_name(b));
	failf(r, "'%s': cannot tell: the image uses %s, which the host's "
	    "record cannot show (it lacks %s); capture the host with "
	    "'crac-cpu probe' or 'cpuid -r'", r->dir, names,
	    inputs[0] != '\0' ? inputs : "the deciding CPUID input");
}

/* "glibc, kernel" for a mask of risks. */
static void
risk_list(unsigned int mask, char *buf, size_t size)
{
	size_t		o = 0;
	unsigned int	k;

	buf[0] = '\0';
	for (k = 0; k < CCPU_RISK_COUNT && o < size; k++)
		if (mask & (1u << k))
			o += (size_t)snprintf(buf + o, size - o, "%s%s",
			    o ? ", " : "", ccpu_risk_name(k));
}

/* Why risks went unchecked: which host is not known well enough. */
static const char *
why_unchecked(const struct opts *o, const struct result *r)
{
	if (!sidecar_usable(&r->img))
		return o->value != NULL ? "no crac-cpu.json tells the "
		    "checkpoint host, and --value tells nothing of this one" :
		    "no crac-cpu.json tells the checkpoint host: run 'crac-cpu "
		    "stamp' at checkpoint";
	if (o->value != NULL)
		return "--value tells nothing of this host";
	if (o->host == NULL && (r->chk.unchecked & (1u << CCPU_RISK_GLIBC)) &&
	    r->img.sidecar.host != NULL && r->img.sidecar.host->glibc[0] != '\0')
		return "this host has no glibc the check could read (musl, or "
		    "no libc in this root)";
	return "a host record lacks them: dumps hold no glibc or kernel "
	    "version";
}

/*
 * The aarch64 layout of an image whose record is its tags' word and no
 * current sidecar: --jdk a20|a22|a63, or the one the word tells: the image
 * does not say which snapshot made it, but its word does when only one
 * layout accepts it (the PACA/NOTPACA rule) or every one that does names
 * the same features, so that the verdict is the same in each
 * (ccpu_a64_layout_infer).  Never a guess.
 */
static const struct ccpu_a64_layout *
a64_layout_of_word(const struct opts *o, struct result *r)
{
	const struct ccpu_a64_layout	*l = o->a64;
	struct ccpu_error		 e;
	char				 cands[32];

	r->layout_from = "--jdk";
	if (l == NULL && (l = ccpu_a64_layout_infer(&r->img.features, 1, NULL,
	    0, cands, sizeof(cands), &e)) != NULL) {
		snprintf(r->a64_from, sizeof(r->a64_from), strchr(cands, ',') !=
		    NULL ? "the word (%s read it alike)" : "the word (only %s "
		    "accepts it)", cands);
		r->layout_from = r->a64_from;
	}
	if (l == NULL && r->img.has_sidecar)
		return failf(r, "'%s': an aarch64 image with a stale %s (the "
		    "image's files changed since it was stamped) and a word "
		    "that does not tell its layout (%s): stamp again after each "
		    "checkpoint, or name the layout with --jdk a20, a22 or a63",
		    r->dir, CCPU_IMAGE_SIDECAR, e.msg), NULL;
	if (l == NULL)
		return failf(r, "'%s/%s': an aarch64 image whose word does not "
		    "tell its layout: %s; name it with --jdk a20, a22 or a63 "
		    "(notpaca moved between openjdk/crac snapshots)", r->dir,
		    CCPU_IMAGE_TAGS, e.msg), NULL;
	if (!ccpu_a64_layout_has_value(l))
		return failf(r, "--jdk %s: layout %s numbers no image's bits",
		    ccpu_a64_layout_name(l), ccpu_a64_layout_name(l)), NULL;
	return l;
}

/*
 * An aarch64 image (label:cpu.arch=aarch64, one word, or no tags and an
 * aarch64 crac-cpu.json): its layout from a current crac-cpu.json (which
 * ccpu_image_load verified: fingerprint, architecture, used equal to the
 * tags' word), else as a64_layout_of_word says; this host's features in
 * that layout from its HWCAP words and MIDRs (live on aarch64, --host, or
 * --value); then the JVM's restore rules.  A CRaC layout's word: PACA must
 * agree ("these CPUs each require a separate image"), and every other
 * recorded feature must be there (paca and notpaca never count as
 * missing).  A stock layout (a build before 2026, which recorded nothing
 * and checks nothing at restore: the sidecar's used set): every feature
 * must be there, paca included, since that JVM restores blindly and would
 * crash instead of refusing.  What cannot be evaluated is exit 2 with the
 * reason, never "compatible".
 */
static int
check_a64(const struct opts *o, struct hoststate *h, struct result *r)
{
	const struct ccpu_image		*img = &r->img;
	const struct ccpu_a64_layout	*l = o->a64;
	struct ccpu_featset		 saved, cur, missing, pac;
	struct ccpu_error		 e;
	char				 why[256], names[512], v[32], at[96];
	int				 paca, notpaca;
	bool				 stock;

	if (o->layout != NULL)
		return failf(r, "'%s': image for architecture 'aarch64', --jdk %s "
		    "is an x86-64 layout (the aarch64 ones: a20, a22, a63; a17, "
		    "a21, a25 for a stamped image of a build before 2026)", r->dir,
		    ccpu_layout_name(o->layout));
	/* The cpufeatures file was x86-64's (2025): it describes another image. */
	if (img->has_userdata)
		return failf(r, "'%s/%s': beside an aarch64 image, whose records "
		    "are its tags and crac-cpu.json: it describes another image",
		    r->dir, CCPU_IMAGE_USERDATA);
	if (sidecar_usable(img)) {
		l = ccpu_a64_layout_lookup(img->sidecar.layout, &e);
		if (l == NULL)
			return failf(r, "'%s/%s': %s", r->dir, CCPU_IMAGE_SIDECAR,
			    e.msg);
		if (o->a64 != NULL && o->a64 != l)
			return failf(r, "'%s': --jdk %s contradicts %s, which says "
			    "layout %s (%s)", r->dir, o->jdk, CCPU_IMAGE_SIDECAR,
			    ccpu_a64_layout_name(l), img->sidecar.layout_from);
		r->layout_from = CCPU_IMAGE_SIDECAR;
	}
	if (img->record == CCPU_RECORD_NONE) {
		if (img->has_sidecar && img->sidecar_stale)
			return stale(r);
		return failf(r, "'%s/%s': an aarch64 image without "
		    "bitmap:cpu.features: nothing to compare (a CRaC build "
		    "before 2026 records nothing on aarch64: run 'crac-cpu "
		    "stamp' on the checkpoint host to record what it uses)",
		    r->dir, CCPU_IMAGE_TAGS);
	}
	saved = img->features;
	if (!sidecar_usable(img) && (l = a64_layout_of_word(o, r)) == NULL)
		return -1;
	stock = !ccpu_a64_layout_has_value(l);
	if (ccpu_a64_value_check(l, &saved, why, sizeof(why)) != 0)
		return failf(r, "'%s/%s': not an image of layout %s: %s", r->dir,
		    img->record == CCPU_RECORD_TAGS ? CCPU_IMAGE_TAGS :
		    CCPU_IMAGE_SIDECAR, ccpu_a64_layout_name(l), why);
	if (o->value != NULL) {
		if (stock)
			return failf(r, "--value: a JVM of layout %s takes no "
			    "-XX:CPUFeatures on aarch64; compare with a host "
			    "(--host)", ccpu_a64_layout_name(l));
		if (ccpu_a64_parse_value(l, o->value, &cur, &e) == -1)
			return failf(r, "--value: %s", e.msg);
	} else {
		load_host(h, o->host);
		if (h->p == NULL)
			return failf(r, "no host to compare with");
		if (!ccpu_profile_is_a64(h->p))
			return failf(r, "'%s/%s': image for architecture "
			    "'aarch64', this host is amd64", r->dir,
			    img->has_tags ? CCPU_IMAGE_TAGS : CCPU_IMAGE_SIDECAR);
		ccpu_a64_derive(l, &h->p->a64, &cur);
	}
	ccpu_featset_minus(&missing, &saved, &cur);
	paca = ccpu_a64_layout_paca(l);
	notpaca = ccpu_a64_layout_notpaca(l);
	if (!stock) {
		ccpu_featset_clear(&pac);
		ccpu_featset_add(&pac, (unsigned int)paca);
		ccpu_featset_add(&pac, (unsigned int)notpaca);
		ccpu_featset_minus(&missing, &missing, &pac);
	}
	ccpu_a64_format_value(&saved, v, sizeof(v));
	if (stock)
		snprintf(at, sizeof(at), "layout %s from %s, recorded in %s as "
		    "%s", ccpu_a64_layout_name(l), r->layout_from,
		    ccpu_record_name(img->record), v);
	else if (sidecar_usable(img))
		snprintf(at, sizeof(at), "layout %s from %s, image %s",
		    ccpu_a64_layout_name(l), r->layout_from, v);
	else
		snprintf(at, sizeof(at), "layout %s, image %s",
		    ccpu_a64_layout_name(l), v);
	/* What json and openmetrics render: the same verdict as the text. */
	r->a64l = l;
	r->current = cur;
	r->chk.missing = missing;
	r->pac_agrees = stock || ccpu_featset_has(&saved, (unsigned int)paca) ==
	    ccpu_featset_has(&cur, (unsigned int)paca);
	r->compared = true;
	if (!r->pac_agrees) {
		snprintf(r->a64, sizeof(r->a64), "%s: incompatible: the image "
		    "was made %s pointer authentication (PACA), this host %s "
		    "it; the JVM says \"Restore failed due to incompatible "
		    "aarch64 CPU feature PACA (0x%llx); these CPUs each require "
		    "a separate image.\" (%s)\n", r->dir,
		    ccpu_featset_has(&saved, (unsigned int)paca) ? "with" :
		    "without", ccpu_featset_has(&cur, (unsigned int)paca) ?
		    "has" : "lacks", 1ull << paca, at);
		r->status = STATUS_NO;
	} else if (!ccpu_featset_empty(&missing)) {
		ccpu_a64_format_names(l, &missing, ", ", names, sizeof(names));
		snprintf(r->a64, sizeof(r->a64), "%s: incompatible: this host "
		    "lacks %s (%s)\n%s", r->dir, names, at, stock ? "  note: a "
		    "CRaC JVM of this layout restores without checking CPU "
		    "features: code it compiled for these would crash the "
		    "restored JVM (SIGILL), not be refused\n" : "");
		r->status = STATUS_NO;
	} else {
		snprintf(r->a64, sizeof(r->a64), "%s: compatible (%s)\n", r->dir,
		    at);
		r->status = STATUS_OK;
	}
	if (img->has_sidecar && img->sidecar_stale)
		snprintf(r->a64 + strlen(r->a64), sizeof(r->a64) -
		    strlen(r->a64), "  note: stale %s (the image's files "
		    "changed since it was stamped); ignored\n",
		    CCPU_IMAGE_SIDECAR);
	return 0;
}

static int
check_one(const struct opts *o, struct hoststate *h, struct result *r)
{
	char				 names[128];
	struct ccpu_check_in		 in;
	struct ccpu_jvm_features	 jf;
	struct ccpu_error		 e;

	if (ccpu_image_load(&r->img, r->dir, 0, &e) == -1)
		return fail(r, &e);
	r->loaded = true;
	if (r->img.has_tags && !r->img.tags.has_arch)
		return failf(r, "'%s/%s': no label:cpu.arch tag", r->dir,
		    CCPU_IMAGE_TAGS);
	if (r->img.has_tags ? strcmp(r->img.tags.arch, "aarch64") == 0 :
	    r->img.has_sidecar && ccpu_sidecar_is_a64(&r->img.sidecar))
		return check_a64(o, h, r);
	if (o->a64 != NULL)
		return failf(r, "'%s': --jdk %s is an aarch64 layout, the image "
		    "is %s's", r->dir, ccpu_a64_layout_name(o->a64),
		    r->img.has_tags ? r->img.tags.arch : "x86-64");
	if (r->img.has_tags && strcmp(r->img.tags.arch, "amd64") != 0)
		return failf(r, "'%s/%s': image for architecture '%s', this host "
		    "is amd64", r->dir, CCPU_IMAGE_TAGS, r->img.tags.arch);
	if (r->img.record == CCPU_RECORD_NONE)
		return no_record(r);
	if (resolve_layout(o, r) == -1)
		return -1;
	if (o->value != NULL) {
		if (ccpu_jvm_parse_value(r->layout, o->value, &r->current,
		    &e) == -1)
			return failf(r, "--value: %s", e.msg);
	} else {
		load_host(h, o->host);
		if (h->p == NULL)
			return failf(r, "no host to compare with");
		/* The glibc version costs a look at libc.so.6: only when compared. */
		if (o->host == NULL && h->p->glibc[0] == '\0' && !h->glibc_tried &&
		    sidecar_usable(&r->img) && r->img.sidecar.host != NULL &&
		    r->img.sidecar.host->glibc[0] != '\0') {
			h->glibc_tried = true;
			ccpu_probe_glibc(h->p->glibc, sizeof(h->p->glibc));
		}
		if (ccpu_jvm_derive_host(r->layout, h->p, &jf, &e) == -1)
			return fail(r, &e);
		r->current = *ccpu_check_current(r->img.record, &jf);
		r->unknown = jf.unknown;
	}
	memset(&in, 0, sizeof(in));
	in.layout = r->layout;
	in.mode = o->mode;
	in.saved = r->img.features;
	in.current = r->current;
	in.unknown = r->unknown;
	in.then = sidecar_usable(&r->img) ? r->img.sidecar.host : NULL;
	in.now = o->value == NULL ? h->p : NULL;
	if (ccpu_check_compare(&in, &r->chk, &e) == -1)
		return failf(r, "'%s/%s': %s", r->dir,
		    ccpu_record_name(r->img.record), e.msg);
	r->compared = true;
	if (!r->chk.decided) {
		r->host_missing = ccpu_jvm_deciding_inputs(r->layout, h->p,
		    &r->chk.undecided);
		undecided_msg(r);
		r->status = STATUS_ERROR;
		return -1;
	}
	r->status = r->chk.compatible && fatal_risks(o, &r->chk) == 0 ?
	    STATUS_OK : STATUS_NO;
	if (r->status == STATUS_OK && o->strict &&
	    (r->chk.unchecked & ~o->allowed) != 0) {
		risk_list(r->chk.unchecked & ~o->allowed, names, sizeof(names));
		return failf(r, "'%s': --strict, but %s could not be checked "
		    "(%s); --allow names the risks to accept", r->dir, names,
		    why_unchecked(o, r));
	}
	return 0;
}

/* Names in report order, most relevant first, joined with ", ". */
static void
add_names(struct strbuf *sb, const struct ccpu_layout *l,
    const struct ccpu_featset *fs)
{
	unsigned int	 bits[CCPU_FEATSET_MAX];
	char		 n[64];
	size_t		 i, cnt;

	cnt = ccpu_check_order(l, fs, bits, nitems(bits));
	for (i = 0; i < cnt; i++) {
		ccpu_layout_bit_label(l, bits[i], n, sizeof(n));
		strbuf_addf(sb, "%s%s", i ? ", " : "", n);
	}
}

static void
render_text(struct strbuf *sb, const struct opts *o, const struct result *r)
{
	const struct ccpu_check	*c = &r->chk;
	char			 v[CCPU_VALUE_MAX], names[128];
	unsigned int		 i, nmiss, nextra;

	nmiss = ccpu_featset_count(&c->missing);
	nextra = ccpu_featset_count(&c->extra);
	strbuf_addf(sb, "%s: ", r->dir);
	if (!c->decided)
		strbuf_addf(sb, "cannot tell: the image uses %u feature%s this "
		    "host's record cannot show", ccpu_featset_count(&c->undecided),
		    ccpu_featset_count(&c->undecided) == 1 ? "" : "s");
	else if (r->status == STATUS_ERROR)
		strbuf_adds(sb, "cannot tell under --strict: restore risks "
		    "unchecked");
	else if (r->status == STATUS_OK)
		strbuf_addf(sb, "compatible%s", o->mode == CCPU_CHECK_EXACT ?
		    " (exact)" : "");
	else if (nmiss > 0)
		strbuf_addf(sb, "not compatible: this host lacks %u feature%s "
		    "the image uses", nmiss, nmiss == 1 ? "" : "s");
	else if (nextra > 0)
		strbuf_addf(sb, "not compatible (exact): this host has %u "
		    "feature%s the image does not use", nextra,
		    nextra == 1 ? "" : "s");
	else
		strbuf_addf(sb, "not compatible: %u restore risk%s (--strict)",
		    fatal_risks(o, c), fatal_risks(o, c) == 1 ? "" : "s");
	strbuf_addf(sb, " (layout %s from %s, recorded in %s)\n",
	    ccpu_layout_name(r->layout), r->layout_from,
	    ccpu_record_name(r->img.record));
	if (nmiss > 0) {
		strbuf_adds(sb, "  missing: ");
		add_names(sb, r->layout, &c->missing);
		strbuf_adds(sb, "\n");
	}
	if (!c->decided) {
		strbuf_adds(sb, "  undecided: ");
		add_names(sb, r->layout, &c->undecided);
		strbuf_adds(sb, "\n");
	}
	if (nextra > 0) {
		strbuf_adds(sb, "  extra here: ");
		add_names(sb, r->layout, &c->extra);
		strbuf_adds(sb, "\n");
	}
	if (!c->compatible && c->decided) {
		ccpu_jvm_format_value(r->layout, &c->suggest, v, sizeof(v));
		if (!c->suggest_usable)
			strbuf_addf(sb, "  no usable value: %s lacks the "
			    "mandatory features\n", v);
		else if (o->mode == CCPU_CHECK_EXACT)
			strbuf_addf(sb, "  checkpoint with -XX:CPUFeatures=%s "
			    "to match this host exactly\n", v);
		else
			strbuf_addf(sb, "  checkpoint with -XX:CPUFeatures=%s "
			    "to restore on both hosts\n", v);
	}
	for (i = 0; i < c->nrisks; i++)
		strbuf_addf(sb, "  %s: %s\n",
		    fatal(o, c->risks[i].kind) ? "risk" : "warning", c->risks[i].msg);
	if (c->unchecked != 0) {
		risk_list(c->unchecked, names, sizeof(names));
		strbuf_addf(sb, "  unchecked: %s (%s)\n", names,
		    why_unchecked(o, r));
	}
	if (r->img.has_sidecar && r->img.sidecar_stale)
		strbuf_addf(sb, "  note: stale %s (the image's files changed "
		    "since it was stamped); ignored\n", CCPU_IMAGE_SIDECAR);
	if (r->img.score[0] != '\0')
		strbuf_addf(sb, "  score: %s\n", r->img.score);
}

static json_t *
jvalue(const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	char	v[CCPU_VALUE_MAX];

	ccpu_jvm_format_value(l, fs, v, sizeof(v));
	return json_string(v);
}


/*
 * An aarch64 image's members: its layout, the one-word values, and whether
 * PACA agrees; no x86-64 risks, extra set or suggested value.
 */
static json_t *
render_json_a64(const struct result *r, json_t *j)
{
	const struct ccpu_a64_layout	*l = r->a64l;

	json_object_set_new(j, "layout", json_string(ccpu_a64_layout_name(l)));
	json_object_set_new(j, "layout_from", json_string(r->layout_from));
	if (sidecar_usable(&r->img) && r->img.sidecar.layout_from[0] != '\0')
		json_object_set_new(j, "stamp_layout_from",
		    json_string(r->img.sidecar.layout_from));
	json_object_set_new(j, "features_compatible",
	    json_boolean(r->status == STATUS_OK));
	/* A stock layout's JVM (before 2026) has no PAC rule. */
	json_object_set_new(j, "pac_agrees", ccpu_a64_layout_has_value(l) ?
	    json_boolean(r->pac_agrees) : json_null());
	json_object_set_new(j, "saved", ccpu_a64_value_json(l,
	    &r->img.features));
	json_object_set_new(j, "current", ccpu_a64_value_json(l, &r->current));
	json_object_set_new(j, "missing", ccpu_a64_value_json(l,
	    &r->chk.missing));
	json_object_set_new(j, "features_kept",
	    json_integer(ccpu_featset_count(&r->img.features)));
	return j;
}

static json_t *
render_json(const struct opts *o, const struct result *r)
{
	const struct ccpu_check	*c = &r->chk;
	json_t			*j, *risks;
	unsigned int		 i;

	j = json_pack("{s:s, s:s}", "path", r->dir, "status",
	    r->status == STATUS_OK ? "compatible" :
	    r->status == STATUS_NO ? "incompatible" : r->compared ?
	    "undecided" : "error");
	if (r->status == STATUS_ERROR)
		json_object_set_new(j, "error", json_string(r->error));
	if (r->loaded) {
		json_object_set_new(j, "record",
		    json_string(ccpu_record_name(r->img.record)));
		/* A tags-less image stamped on aarch64 is aarch64's. */
		json_object_set_new(j, "arch", r->img.tags.has_arch ?
		    json_string(r->img.tags.arch) : !r->img.has_tags &&
		    r->img.has_sidecar && ccpu_sidecar_is_a64(&r->img.sidecar) ?
		    json_string("aarch64") : json_null());
		json_object_set_new(j, "java_version", r->img.tags.has_version ?
		    json_string(r->img.tags.java_version) : json_null());
		json_object_set_new(j, "engine", r->img.engine[0] != '\0' ?
		    json_string(r->img.engine) : json_null());
		json_object_set_new(j, "score", r->img.score[0] != '\0' ?
		    json_string(r->img.score) : json_null());
		json_object_set_new(j, "sidecar", json_string(
		    !r->img.has_sidecar ? "none" : r->img.sidecar_stale ?
		    "stale" : "used"));
	}
	if (!r->compared)
		return j;
	if (r->a64l != NULL)
		return render_json_a64(r, j);
	json_object_set_new(j, "layout", json_string(ccpu_layout_name(r->layout)));
	json_object_set_new(j, "layout_from", json_string(r->layout_from));
	if (sidecar_usable(&r->img) && r->img.sidecar.layout_from[0] != '\0')
		json_object_set_new(j, "stamp_layout_from",
		    json_string(r->img.sidecar.layout_from));
	json_object_set_new(j, "mode", json_string(o->mode == CCPU_CHECK_EXACT ?
	    "exact" : "compatible"));
	json_object_set_new(j, "features_compatible", json_boolean(c->compatible));
	json_object_set_new(j, "saved", ccpu_jvm_value_json(r->layout, &r->img.features));
	json_object_set_new(j, "current", ccpu_jvm_value_json(r->layout, &r->current));
	json_object_set_new(j, "missing", ccpu_jvm_value_json(r->layout, &c->missing));
	json_object_set_new(j, "extra", ccpu_jvm_value_json(r->layout, &c->extra));
	json_object_set_new(j, "undecided", ccpu_jvm_value_json(r->layout, &c->undecided));
	json_object_set_new(j, "common", jvalue(r->layout, &c->common));
	json_object_set_new(j, "suggest", jvalue(r->layout, &c->suggest));
	json_object_set_new(j, "suggest_usable", json_boolean(c->suggest_usable));
	json_object_set_new(j, "features_kept",
	    json_integer(ccpu_featset_count(&r->img.features)));
	risks = json_array();
	for (i = 0; i < c->nrisks; i++)
		json_array_append_new(risks, json_pack("{s:s, s:s, s:b}",
		    "kind", ccpu_risk_name(c->risks[i].kind),
		    "message", c->risks[i].msg, "fatal", fatal(o, c->risks[i].kind)));
	json_object_set_new(j, "risks", risks);
	risks = json_array();
	for (i = 0; i < CCPU_RISK_COUNT; i++)
		if (c->unchecked & (1u << i))
			json_array_append_new(risks, json_pack("{s:s, s:b}",
			    "kind", ccpu_risk_name(i), "fatal", o->strict &&
			    !(o->allowed & (1u << i))));
	json_object_set_new(j, "unchecked_risks", risks);
	return j;
}

/* An OpenMetrics label value: backslash, quote and newline escaped. */
static void
om_label(struct strbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			strbuf_addf(sb, "\\%c", *s);
		else if (*s == '\n')
			strbuf_adds(sb, "\\n");
		else
			strbuf_addf(sb, "%c", *s);
	}
}

/*
 * The verdict per image in the OpenMetrics text format: one gauge per
 * verdict state (1 for the one that holds) and the count of missing
 * features, so an alert can fire on "incompatible" or "error" alike.
 */
static void
render_openmetrics(struct strbuf *sb, const struct opts *o,
    const struct result *res, size_t n)
{
	static const char *const verdicts[] = {
		"compatible", "incompatible", "undecided", "error",
	};
	const char	*v;
	size_t		 i, k;

	(void)o;
	strbuf_adds(sb, "# TYPE crac_cpu_check_verdict gauge\n"
	    "# HELP crac_cpu_check_verdict Whether the CRaC image will restore "
	    "on this host: 1 for the verdict that holds.\n");
	for (i = 0; i < n; i++) {
		v = res[i].status == STATUS_OK ? "compatible" :
		    res[i].status == STATUS_NO ? "incompatible" :
		    res[i].compared ? "undecided" : "error";
		for (k = 0; k < nitems(verdicts); k++) {
			strbuf_adds(sb, "crac_cpu_check_verdict{image=\"");
			om_label(sb, res[i].dir);
			strbuf_addf(sb, "\",verdict=\"%s\"} %d\n", verdicts[k],
			    strcmp(v, verdicts[k]) == 0);
		}
	}
	strbuf_adds(sb, "# TYPE crac_cpu_check_missing_features gauge\n"
	    "# HELP crac_cpu_check_missing_features Features the image uses "
	    "that this host lacks.\n");
	for (i = 0; i < n; i++) {
		if (!res[i].compared)
			continue;
		strbuf_adds(sb, "crac_cpu_check_missing_features{image=\"");
		om_label(sb, res[i].dir);
		strbuf_addf(sb, "\"} %u\n",
		    ccpu_featset_count(&res[i].chk.missing));
	}
	strbuf_adds(sb, "# EOF\n");
}

/* Returns -1 to go on, else the exit status. */
static int
parse_opts(int argc, char *argv[], struct opts *o)
{
	static const struct option own[] = {
		{ "value", required_argument, NULL, 'v' },
		{ "mode", required_argument, NULL, 'm' },
		{ "strict", no_argument, NULL, 's' },
		{ "allow", required_argument, NULL, 'a' },
		{ "best", no_argument, NULL, 'b' },
		{ "best-index", no_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_opts		co = CMD_OPTS_INIT;
	int			ch;

	while ((ch = cmd_getopt(&cmd_check, argc, argv, own, &co)) > 0) {
		switch (ch) {
		case 'v':
			o->value = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "compatible") == 0)
				o->mode = CCPU_CHECK_COMPATIBLE;
			else if (strcmp(optarg, "exact") == 0)
				o->mode = CCPU_CHECK_EXACT;
			else {
				warnx("check: unknown mode '%.32s' (compatible or "
				    "exact)", optarg);
				cmd_opts_release(&co);
				return STATUS_ERROR;
			}
			break;
		case 's':
			o->strict = true;
			break;
		case 'a':
			if (parse_allow(optarg, &o->allowed) == -1) {
				cmd_opts_release(&co);
				return STATUS_ERROR;
			}
			break;
		case 'b':
			o->best = true;
			break;
		case 'i':
			o->best = o->index = true;
			break;
		}
	}
	cmd_opts_release(&co);
	if (ch == -1)
		return co.status;
	o->jdk = co.jdk;
	o->java_home = co.java_home;
	o->host = co.host;
	o->json = co.fmt == 1;
	o->openmetrics = co.fmt == 2;
	if (optind == argc) {
		warnx("check: no image directory");
		return cmd_usage(&cmd_check, STATUS_ERROR);
	}
	if (o->index && (o->json || o->openmetrics)) {
		warnx("check: --best-index prints a position only; it takes no "
		    "--format");
		return STATUS_ERROR;
	}
	if (o->host != NULL && o->value != NULL) {
		warnx("check: --host and --value exclude each other");
		return STATUS_ERROR;
	}
	if (o->jdk != NULL && o->jdk[0] == 'a' &&
	    (o->a64 = ccpu_a64_layout_lookup(o->jdk, NULL)) != NULL)
		return -1;
	if ((o->jdk != NULL || o->java_home != NULL) &&
	    (o->layout = cmd_jvm_layout("check", o->jdk, o->java_home,
	    0)) == NULL)
		return STATUS_ERROR;
	return -1;
}

int
check_main(int argc, char *argv[])
{
	struct opts		 o;
	struct hoststate	 h = { false, false, NULL };
	struct result		*res;
	struct strbuf		 sb = STRBUF_INIT, err = STRBUF_INIT;
	json_t			*doc = NULL, *arr = NULL;
	char			*text;
	int			 rc, i, n, best = -1, status = STATUS_OK;
	bool			 anyerr = false;

	memset(&o, 0, sizeof(o));
	if ((rc = parse_opts(argc, argv, &o)) != -1)
		return rc;
	n = argc - optind;
	res = xcalloc((size_t)n, sizeof(*res));
	for (i = 0; i < n; i++) {
		res[i].dir = argv[optind + i];
		if (check_one(&o, &h, &res[i]) == -1)
			warnx("check: %s", res[i].error);
		if (res[i].status > status)
			status = res[i].status;
		anyerr = anyerr || res[i].status == STATUS_ERROR;
		if (res[i].status == STATUS_OK && (best == -1 ||
		    ccpu_featset_count(&res[i].img.features) >
		    ccpu_featset_count(&res[best].img.features)))
			best = i;
	}
	if (o.best)
		status = best != -1 ? STATUS_OK : anyerr ? STATUS_ERROR :
		    STATUS_NO;
	if (o.json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, render_json(&o, &res[i]));
		doc = json_pack("{s:s, s:s, s:b, s:o}", "schema", "ccpu-check/1",
		    "current_from", current_from(&o), "strict", o.strict,
		    "images", arr);
		if (o.best)
			json_object_set_new(doc, "best", best != -1 ?
			    json_string(res[best].dir) : json_null());
		json_object_set_new(doc, "status", json_integer(status));
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		strbuf_adds(&sb, text);
		strbuf_adds(&sb, "\n");
		free(text);
		json_decref(doc);
	} else if (o.openmetrics) {
		render_openmetrics(&sb, &o, res, (size_t)n);
	} else if (o.index) {
		if (best != -1)
			strbuf_addf(&sb, "%d\n", best + 1);
		else {
			/* Why none fits, where a wrapper passes it on. */
			for (i = 0; i < n; i++)
				if (res[i].a64[0] != '\0')
					strbuf_adds(&err, res[i].a64);
				else if (res[i].compared)
					render_text(&err, &o, &res[i]);
			fputs(err.buf != NULL ? err.buf : "", stderr);
		}
	} else if (o.best && best != -1) {
		strbuf_addf(&sb, "%s\n", res[best].dir);
		if (res[best].img.score[0] != '\0')
			strbuf_addf(&sb, "score: %s\n", res[best].img.score);
	} else {
		for (i = 0; i < n; i++)
			if (res[i].a64[0] != '\0')
				strbuf_adds(&sb, res[i].a64);
			else if (res[i].compared)
				render_text(&sb, &o, &res[i]);
	}
	text = strbuf_detach(&sb);
	if (cmd_write_output("check", NULL, text, false) == -1)
		status = STATUS_ERROR;
	free(text);
	strbuf_release(&err);
	for (i = 0; i < n; i++)
		if (res[i].loaded)
			ccpu_image_release(&res[i].img);
	free(res);
	ccpu_profile_free(h.p);
	return status;
}
