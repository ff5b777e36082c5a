/*
 * crac-cpu stamp: run right after a checkpoint, write IMAGE_DIR/crac-cpu.json
 * with what the image uses and the checkpoint host's profile, so that
 * `check` can judge images that record nothing themselves (2023 to early
 * 2025 builds) and see the restore risks of every image.  It writes only the
 * sidecar, atomically, and refuses to replace one written for another
 * image (other files) or on another host unless --force.
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
	"\nexit status: 0 stamped, 2 usage, input or system error\n",
	stamp_main,
	CMD_OPT_JDK | CMD_OPT_HOST,
	NULL,
};

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
	struct tm			 tm;
	time_t				 now;
	json_t				*j;
	char				*text, *path, v[CCPU_VALUE_MAX], why[512] = "";
	bool				 force = false, loaded = false;
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
	if ((jdk != NULL || java_home != NULL) &&
	    (l = cmd_jvm_layout_why("stamp", jdk, java_home,
	    CMD_JVM_MAY_RUN, why, sizeof(why))) == NULL)
		return STATUS_ERROR;
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
	if (img.has_tags && (!img.tags.has_arch ||
	    strcmp(img.tags.arch, "amd64") != 0)) {
		warnx("stamp: '%s/%s': image for architecture '%s', this tool "
		    "knows amd64", dir, CCPU_IMAGE_TAGS, img.tags.arch);
		goto out;
	}
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
	if ((host = cmd_load_host("stamp", hostpath)) == NULL)
		goto out;
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
	now = time(NULL);
	if (gmtime_r(&now, &tm) != NULL)
		strftime(s.created, sizeof(s.created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (img.has_tags && img.tags.has_version)
		snprintf(s.java_version, sizeof(s.java_version), "%s",
		    img.tags.java_version);
	snprintf(s.glibc, sizeof(s.glibc), "%s", host->glibc);
	snprintf(s.kernel, sizeof(s.kernel), "%s", host->kernel);
	snprintf(s.record, sizeof(s.record), "%s", from);
	snprintf(s.assumed, sizeof(s.assumed), "%s", strcmp(from, "none") != 0 ?
	    "" : value != NULL ? value : "native");
	s.fingerprint = img.fingerprint;
	s.content = img.content;
	s.host = host;
	if (ccpu_sidecar_check(&s, dir, &e) == -1) {
		warnx("stamp: %s", e.msg);
		goto out;
	}
	j = ccpu_sidecar_to_json(&s, l);
	text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	path = xasprintf("%s/%s", dir, CCPU_IMAGE_SIDECAR);
	text = xrealloc(text, strlen(text) + 2);
	memcpy(text + strlen(text), "\n", 2);
	if (cmd_write_output("stamp", path, text, true) == 0) {
		ccpu_jvm_format_value(l, &s.used, v, sizeof(v));
		printf("%s: stamped (layout %s, %u features in use, "
		    "-XX:CPUFeatures=%s, recorded in %s)\n", dir,
		    ccpu_layout_name(l), ccpu_featset_count(&s.used), v, from);
		rc = STATUS_OK;
	}
	free(path);
	free(text);
out:
	if (loaded)
		ccpu_image_release(&img);
	ccpu_profile_free(host);
	if (lockfd != -1)
		close(lockfd);
	return rc;
}
