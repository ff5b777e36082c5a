/*
 * crac-cpu stamp: run right after a checkpoint, write IMAGE_DIR/crac-cpu.json
 * with what the image uses and the checkpoint host's profile, so that
 * `check` can judge images that record nothing themselves (2023 to early
 * 2025 builds; on aarch64, builds before 2026), knows the layout of an
 * aarch64 image's word, and sees the restore risks of every image.  It
 * writes only the sidecar, atomically, and refuses to replace one written
 * for another image (other files) or on another host unless --force.
 */
#include <sys/file.h>

#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/image.h"
#include "ccpu/jvm.h"
#include "ccpu/profile.h"
#include "cmd.h"
#include "cmd_jvm.h"
#include "xmalloc.h"

static int	stamp_main(int, char *[]);

const struct cmd cmd_stamp = {
	"stamp",
	"[--jdk L | --java-home DIR] [--host FILE] [--value V] [--force] IMAGE_DIR",
	"Record the checkpoint host and the features a CRaC image uses in\n"
	"IMAGE_DIR/crac-cpu.json; run it on the checkpoint host right after the\n"
	"checkpoint.",
	"options:\n"
	"  --jdk L            the JVM layout or JDK that wrote the image; default:\n"
	"                     the image's java.version label\n"
	"  --java-home DIR    the JDK in DIR (its release file's JAVA_VERSION)\n"
	"  --host FILE        record this host profile or dump instead of probing\n"
	"  --value V          the -XX:CPUFeatures given at checkpoint (native,\n"
	"                     generic or 0x..,0x..) for images that record\n"
	"                     nothing themselves; default native\n"
	"  --force            replace a crac-cpu.json written for another image or\n"
	"                     on another host, or one that cannot be read\n"
	"  -h, --help         show this help\n"
	"\nAn aarch64 image (label:cpu.arch=aarch64, or one that records nothing\n"
	"stamped on an aarch64 host) is stamped with an aarch64 host (this one,\n"
	"or --host with a profile or an arm64 /proc/cpuinfo) in the layout --jdk\n"
	"names: a20, a22 or a63 for the image's word (else the one the word\n"
	"tells; it must be one the JVM accepts), or for an image without a word\n"
	"(a CRaC build before 2026) 17, 21 or 25, else its java.version: the\n"
	"features that JVM uses on the host with default flags.  No evidence of\n"
	"the layout, or a host of the other architecture, is exit 2.\n"
	"\nexit status: 0 stamped, 2 usage, input or system error\n",
	stamp_main,
	CMD_OPT_JDK | CMD_OPT_HOST,
	NULL,
};

/* What every stamp records alike: the time, the host, the image's files. */
static void
fill_common(struct ccpu_sidecar *s, const struct ccpu_image *img,
    struct ccpu_profile *host)
{
	struct tm	tm;
	time_t		now;

	now = time(NULL);
	if (gmtime_r(&now, &tm) != NULL)
		strftime(s->created, sizeof(s->created), "%Y-%m-%dT%H:%M:%SZ",
		    &tm);
	if (img->has_tags && img->tags.has_version)
		snprintf(s->java_version, sizeof(s->java_version), "%s",
		    img->tags.java_version);
	snprintf(s->glibc, sizeof(s->glibc), "%s", host->glibc);
	snprintf(s->kernel, sizeof(s->kernel), "%s", host->kernel);
	s->fingerprint = img->fingerprint;
	s->content = img->content;
	s->host = host;
}

/* Check s as a reader would and write it durably: 0, or -1 (printed). */
static int
write_stamp(const char *dir, const struct ccpu_sidecar *s,
    const struct ccpu_layout *l)
{
	struct ccpu_error	 e;
	json_t			*j;
	char			*text, *path;
	int			 rc;

	if (ccpu_sidecar_check(s, dir, &e) == -1) {
		warnx("stamp: %s", e.msg);
		return -1;
	}
	j = ccpu_sidecar_to_json(s, l);
	text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	path = xasprintf("%s/%s", dir, CCPU_IMAGE_SIDECAR);
	text = xrealloc(text, strlen(text) + 2);
	memcpy(text + strlen(text), "\n", 2);
	rc = cmd_write_output("stamp", path, text, true);
	free(path);
	free(text);
	return rc;
}

/*
 * The aarch64 layout of img: --jdk, else the one its word tells
 * (ccpu_a64_layout_infer: the layouts that accept it name it alike), else
 * for an image
 * without a word the stock layout of its java.version.  A word never gets
 * a stock layout nor a missing word a CRaC one.  NULL (printed) when the
 * evidence is missing: never a guess.
 */
static const struct ccpu_a64_layout *
a64_layout(const char *dir, const struct ccpu_image *img, const char *jdk,
    char *from, size_t size)
{
	const struct ccpu_a64_layout	*l = NULL;
	struct ccpu_error		 e;
	char				 cands[32];
	bool				 word = img->has_tags &&
					    img->tags.has_features;

	if (jdk != NULL) {
		if ((l = ccpu_a64_layout_lookup(jdk, &e)) == NULL) {
			warnx("stamp: --jdk: %s", e.msg);
			return NULL;
		}
		snprintf(from, size, "--jdk %s", jdk);
	} else if (word) {
		if ((l = ccpu_a64_layout_infer(&img->tags.features, 1, NULL, 0,
		    cands, sizeof(cands), &e)) == NULL) {
			warnx("stamp: '%s/%s': the word does not tell its "
			    "aarch64 layout: %s; name it with --jdk a20, a22 or "
			    "a63 (notpaca moved between openjdk/crac snapshots)",
			    dir, CCPU_IMAGE_TAGS, e.msg);
			return NULL;
		}
		snprintf(from, size, "bitmap:cpu.features in %s (%s %s)",
		    CCPU_IMAGE_TAGS, cands, strchr(cands, ',') != NULL ?
		    "read it alike" : "alone accepts it");
	} else if (img->has_tags && img->tags.has_version) {
		if ((l = ccpu_a64_layout_stock(img->tags.java_version,
		    &e)) == NULL) {
			warnx("stamp: '%s': cannot tell the JVM layout: %s; name "
			    "it with --jdk 17, 21 or 25", dir, e.msg);
			return NULL;
		}
		snprintf(from, size, "java.version '%s' in %s",
		    img->tags.java_version, CCPU_IMAGE_TAGS);
	} else {
		warnx("stamp: '%s': cannot tell the JVM layout (no java.version "
		    "label); name it with --jdk 17, 21 or 25", dir);
		return NULL;
	}
	if (word && !ccpu_a64_layout_has_value(l)) {
		warnx("stamp: '%s/%s': the image records a features word, "
		    "layout %s numbers none (JDK %s HotSpot before 2026); name "
		    "the word's layout with --jdk a20, a22 or a63", dir,
		    CCPU_IMAGE_TAGS, ccpu_a64_layout_name(l),
		    ccpu_a64_layout_name(l) + 1);
		return NULL;
	}
	if (!word && ccpu_a64_layout_has_value(l)) {
		warnx("stamp: '%s': layout %s records a features word in %s, "
		    "this image has none (a CRaC build before 2026 records "
		    "nothing on aarch64: name its JDK with --jdk 17, 21 or 25)",
		    dir, ccpu_a64_layout_name(l), CCPU_IMAGE_TAGS);
		return NULL;
	}
	return l;
}

/*
 * Stamp an aarch64 image: an aarch64 checkpoint host, the layout by
 * evidence, and used as the image's own word (which the JVM must accept)
 * or, when it recorded none, what a JVM of the stock layout uses on that
 * host with default flags.  Returns the exit status; prints errors.
 */
static int
stamp_a64(const char *dir, const struct ccpu_image *img,
    struct ccpu_profile **hostp, const char *hostpath, const char *jdk,
    const char *java_home, const char *value, bool force)
{
	const struct ccpu_a64_layout	*l;
	struct ccpu_sidecar		 s;
	struct ccpu_featset		 v;
	struct ccpu_error		 e;
	char				 why[256], a[32], b[32];

	if (java_home != NULL) {
		warnx("stamp: '%s': an aarch64 image: --java-home cannot tell "
		    "its layout; name it with --jdk", dir);
		return STATUS_ERROR;
	}
	if (img->has_userdata) {
		warnx("stamp: '%s/%s': beside an aarch64 image, whose records are "
		    "its tags only (the file was x86-64's): it describes another "
		    "image", dir, CCPU_IMAGE_USERDATA);
		return STATUS_ERROR;
	}
	if (*hostp == NULL && (*hostp = cmd_load_host("stamp",
	    hostpath)) == NULL)
		return STATUS_ERROR;
	if (!ccpu_profile_is_a64(*hostp)) {
		warnx("stamp: '%s/%s': image for architecture 'aarch64', the host "
		    "(%s) is %s: stamp on the checkpoint host", dir,
		    CCPU_IMAGE_TAGS, hostpath != NULL ? hostpath : "this one",
		    ccpu_profile_arch(*hostp));
		return STATUS_ERROR;
	}
	memset(&s, 0, sizeof(s));
	if ((l = a64_layout(dir, img, jdk, s.layout_from,
	    sizeof(s.layout_from))) == NULL)
		return STATUS_ERROR;
	if (img->has_tags && img->tags.has_features) {
		s.used = img->tags.features;
		if (ccpu_a64_value_check(l, &s.used, why, sizeof(why)) != 0) {
			warnx("stamp: '%s/%s': not a word of layout %s: %s", dir,
			    CCPU_IMAGE_TAGS, ccpu_a64_layout_name(l), why);
			return STATUS_ERROR;
		}
		if (value != NULL && strcmp(value, "native") != 0) {
			if (strcmp(value, "generic") == 0) {
				warnx("stamp: --value: %s",
				    ccpu_a64_generic_refused);
				return STATUS_ERROR;
			}
			if (ccpu_a64_parse_value(l, value, &v, &e) == -1) {
				warnx("stamp: --value: %s", e.msg);
				return STATUS_ERROR;
			}
			if (!ccpu_featset_equal(&v, &s.used)) {
				ccpu_a64_format_value(&v, a, sizeof(a));
				ccpu_a64_format_value(&s.used, b, sizeof(b));
				warnx("stamp: '%s': --value %s disagrees with the "
				    "image's %s, which records %s", dir, a,
				    CCPU_IMAGE_TAGS, b);
				return STATUS_ERROR;
			}
		}
		snprintf(s.record, sizeof(s.record), "%s", CCPU_IMAGE_TAGS);
	} else {
		/* Such a JVM takes no -XX:CPUFeatures: it uses what it finds. */
		if (value != NULL && strcmp(value, "native") != 0) {
			warnx("stamp: --value %s: a JVM of layout %s takes no "
			    "-XX:CPUFeatures on aarch64 (\"This architecture does "
			    "not support any arch-specific -XX:CPUFeatures "
			    "options\"); it uses what the host has: native",
			    value, ccpu_a64_layout_name(l));
			return STATUS_ERROR;
		}
		ccpu_a64_derive(l, &(*hostp)->a64, &s.used);
		snprintf(s.record, sizeof(s.record), "none");
		snprintf(s.assumed, sizeof(s.assumed), "native");
	}
	if (!force && ccpu_stamp_may_replace(dir, img, *hostp, &s.used,
	    &e) == -1) {
		warnx("stamp: %s; --force replaces it", e.msg);
		return STATUS_ERROR;
	}
	snprintf(s.arch, sizeof(s.arch), "aarch64");
	snprintf(s.layout, sizeof(s.layout), "%s", ccpu_a64_layout_name(l));
	fill_common(&s, img, *hostp);
	if (write_stamp(dir, &s, NULL) == -1)
		return STATUS_ERROR;
	ccpu_a64_format_value(&s.used, a, sizeof(a));
	if (ccpu_a64_layout_has_value(l))
		printf("%s: stamped (layout %s, %u features in use, "
		    "-XX:CPUFeatures=%s, recorded in %s)\n", dir,
		    ccpu_a64_layout_name(l), ccpu_featset_count(&s.used), a,
		    CCPU_IMAGE_TAGS);
	else
		printf("%s: stamped (layout %s, %u features in use, %s in its "
		    "numbering, recorded in none)\n", dir,
		    ccpu_a64_layout_name(l), ccpu_featset_count(&s.used), a);
	return STATUS_OK;
}

int
stamp_main(int argc, char *argv[])
{
	static const struct option own[] = {
		{ "value", required_argument, NULL, 'v' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_opts			 o = CMD_OPTS_INIT;
	const struct ccpu_layout	*l = NULL;
	const char			*jdk = NULL, *hostpath = NULL, *value = NULL;
	const char			*java_home = NULL;
	const char			*dir, *from;
	struct ccpu_image		 img;
	struct ccpu_sidecar		 s;
	struct ccpu_profile		*host = NULL;
	struct ccpu_error		 e;
	char				 v[CCPU_VALUE_MAX], why[512] = "";
	bool				 force = false, loaded = false, a64;
	int				 ch, rc = STATUS_ERROR, lockfd;

	while ((ch = cmd_getopt(&cmd_stamp, argc, argv, own, &o)) > 0) {
		if (ch == 'v')
			value = optarg;
		else
			force = true;	/* 'f' */
	}
	cmd_opts_release(&o);
	if (ch == -1)
		return o.status;
	jdk = o.jdk;
	java_home = o.java_home;
	hostpath = o.host;
	if (argc - optind != 1) {
		warnx("stamp: give exactly one image directory");
		return cmd_usage(&cmd_stamp, STATUS_ERROR);
	}
	dir = argv[optind];
	/*
	 * One stamp at a time per image: the lock on the directory spans the
	 * look at an existing sidecar and the rename of the new one, so two
	 * runs with different hosts cannot both win (the second sees the
	 * first's sidecar and refuses).  The lock goes with the descriptor.
	 */
	if ((lockfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1 &&
	    flock(lockfd, LOCK_EX) == -1) {
		warn("stamp: '%s': locking", dir);
		close(lockfd);
		return STATUS_ERROR;
	}
	if (ccpu_image_load(&img, dir, CCPU_IMAGE_FINGERPRINT |
	    (force ? CCPU_IMAGE_NO_SIDECAR : 0), &e) == -1) {
		if (!force && ccpu_image_load(&img, dir, CCPU_IMAGE_NO_SIDECAR,
		    NULL) == 0) {
			ccpu_image_release(&img);
			warnx("stamp: %s; --force replaces it", e.msg);
		} else
			warnx("stamp: %s", e.msg);
		goto out;
	}
	loaded = true;
	a64 = img.has_tags && img.tags.has_arch &&
	    strcmp(img.tags.arch, "aarch64") == 0;
	if (img.has_tags && !a64 && (!img.tags.has_arch ||
	    strcmp(img.tags.arch, "amd64") != 0)) {
		warnx("stamp: '%s/%s': image for architecture '%s', this tool "
		    "knows amd64 and aarch64", dir, CCPU_IMAGE_TAGS,
		    img.tags.arch);
		goto out;
	}
	/* An image that records nothing is of the checkpoint host's kind. */
	if (!img.has_tags) {
		if ((host = cmd_load_host("stamp", hostpath)) == NULL)
			goto out;
		a64 = ccpu_profile_is_a64(host);
	}
	if (a64) {
		rc = stamp_a64(dir, &img, &host, hostpath, jdk, java_home,
		    value, force);
		goto out;
	}
	if ((jdk != NULL || java_home != NULL) &&
	    (l = cmd_jvm_layout_why("stamp", jdk, java_home,
	    CMD_JVM_MAY_RUN, why, sizeof(why))) == NULL)
		goto out;
	if (img.has_tags && !img.tags.has_features && !img.has_userdata) {
		warnx("stamp: '%s/%s': no bitmap:cpu.features tag (checkpoint "
		    "made with -XX:CPUFeatures=ignore?): nothing to stamp", dir,
		    CCPU_IMAGE_TAGS);
		goto out;
	}
	if (l == NULL && img.has_tags && img.tags.has_version &&
	    (l = ccpu_layout_from_java_version(img.tags.java_version,
	    &e)) == NULL) {
		warnx("stamp: '%s': cannot tell the JVM layout from java.version "
		    "'%s': %s; name it with --jdk", dir, img.tags.java_version,
		    e.msg);
		goto out;
	}
	if (l == NULL) {
		warnx("stamp: '%s': cannot tell the JVM layout (no java.version "
		    "label); name it with --jdk", dir);
		goto out;
	}
	if (host == NULL && (host = cmd_load_host("stamp", hostpath)) == NULL)
		goto out;
	if (ccpu_profile_is_a64(host)) {
		warnx("stamp: '%s/%s': image for architecture 'amd64', the host "
		    "(%s) is aarch64: stamp on the checkpoint host", dir,
		    CCPU_IMAGE_TAGS, hostpath != NULL ? hostpath : "this one");
		goto out;
	}
	memset(&s, 0, sizeof(s));
	if (ccpu_stamp_used(&img, l, host, value, &s.used, &e) == -1) {
		warnx("stamp: '%s': %s", dir, e.msg);
		goto out;
	}
	if (!force && ccpu_stamp_may_replace(dir, &img, host, &s.used,
	    &e) == -1) {
		warnx("stamp: %s; --force replaces it", e.msg);
		goto out;
	}
	from = img.record == CCPU_RECORD_TAGS ||
	    img.record == CCPU_RECORD_USERDATA ? ccpu_record_name(img.record) :
	    "none";
	snprintf(s.layout, sizeof(s.layout), "%s", ccpu_layout_name(l));
	/* The evidence goes with the stamp, so check never runs a JVM. */
	if (why[0] != '\0')
		snprintf(s.layout_from, sizeof(s.layout_from), "%s", why);
	else if (img.has_tags && img.tags.has_version)
		snprintf(s.layout_from, sizeof(s.layout_from),
		    "java.version '%s' in %s", img.tags.java_version,
		    CCPU_IMAGE_TAGS);
	snprintf(s.record, sizeof(s.record), "%s", from);
	snprintf(s.assumed, sizeof(s.assumed), "%s", strcmp(from, "none") != 0 ?
	    "" : value != NULL ? value : "native");
	fill_common(&s, &img, host);
	if (write_stamp(dir, &s, l) == 0) {
		ccpu_jvm_format_value(l, &s.used, v, sizeof(v));
		printf("%s: stamped (layout %s, %u features in use, "
		    "-XX:CPUFeatures=%s, recorded in %s)\n", dir,
		    ccpu_layout_name(l), ccpu_featset_count(&s.used), v, from);
		rc = STATUS_OK;
	}
out:
	if (loaded)
		ccpu_image_release(&img);
	ccpu_profile_free(host);
	if (lockfd != -1)
		close(lockfd);
	return rc;
}
