/*
 * ccpu-example: libccpu alone, no crac-cpu.  For one JDK layout it probes
 * this host, plans a checkpoint on one host profile that restores on
 * another, and checks whether a CRaC image restores here.
 *
 *   ccpu-example LAYOUT BUILD_PROFILE TARGET_PROFILE IMAGE_DIR
 *
 * Prints three lines (this host's value, the plan's value, the verdict)
 * and exits 0 when the image restores here, 1 when it does not, 2 on an
 * error.  Build it against an installed libccpu:
 *
 *   cc -o ccpu-example ccpu-example.c $(pkg-config --cflags --libs ccpu)
 *   cc -static -o ccpu-example ccpu-example.c \
 *       $(pkg-config --static --cflags --libs ccpu)
 */
#include <stdio.h>
#include <stdlib.h>

#include <ccpu/check.h>
#include <ccpu/cpuid.h>
#include <ccpu/error.h>
#include <ccpu/image.h>
#include <ccpu/jvm.h>
#include <ccpu/plan.h>
#include <ccpu/probe.h>
#include <ccpu/profile.h>

static int
fail(const char *what, const struct ccpu_error *e)
{
	fprintf(stderr, "ccpu-example: %s: %s\n", what, e->msg);
	return 2;
}

/* Load a profile (or dump) and derive what a JVM of layout l sees there. */
static int
load_host(const struct ccpu_layout *l, const char *path,
    struct ccpu_plan_host *h, struct ccpu_error *e)
{
	struct ccpu_profile		*p = ccpu_profile_new();
	struct ccpu_jvm_features	 jf;
	struct ccpu_ident		 id;
	int				 rc = -1;

	if (ccpu_profile_load(p, path, e) == 0 &&
	    ccpu_jvm_derive_host(l, p, &jf, e) == 0) {
		ccpu_cpu_ident(&p->types[0], &id);
		ccpu_plan_host_from_jvm(h, path, id.vendor, &jf);
		rc = 0;
	}
	ccpu_profile_free(p);
	return rc;
}

int
main(int argc, char *argv[])
{
	const struct ccpu_layout	*l;
	struct ccpu_profile		*here;
	struct ccpu_jvm_features	 jf;
	struct ccpu_plan_host		 hosts[2];
	struct ccpu_plan		 plan;
	struct ccpu_image		 img;
	struct ccpu_check_in		 in;
	struct ccpu_check		 chk;
	struct ccpu_error		 e;
	char				 buf[4096];
	int				 status;

	if (argc != 5) {
		fprintf(stderr, "usage: ccpu-example LAYOUT BUILD_PROFILE "
		    "TARGET_PROFILE IMAGE_DIR\n");
		return 2;
	}
	if ((l = ccpu_layout_lookup(argv[1], &e)) == NULL)
		return fail(argv[1], &e);

	/* This host, probed live: the value a JVM of layout l uses here. */
	here = ccpu_profile_new();
	if (ccpu_probe_host(here, &e) == -1 ||
	    ccpu_jvm_derive_host(l, here, &jf, &e) == -1) {
		ccpu_profile_free(here);
		return fail("this host", &e);
	}
	ccpu_jvm_format_value(l, &jf.used, buf, sizeof(buf));
	printf("host: -XX:CPUFeatures=%s\n", buf);

	/* A checkpoint on BUILD that restores on TARGET. */
	if (load_host(l, argv[2], &hosts[0], &e) == -1 ||
	    load_host(l, argv[3], &hosts[1], &e) == -1 ||
	    ccpu_plan_compute(l, hosts, 2, &plan, &e) == -1) {
		ccpu_profile_free(here);
		return fail("plan", &e);
	}
	ccpu_jvm_format_value(l, &plan.value, buf, sizeof(buf));
	printf("plan: -XX:CPUFeatures=%s\n", buf);

	/* Will the image restore here? */
	if (ccpu_image_load(&img, argv[4], 0, &e) == -1) {
		ccpu_profile_free(here);
		return fail(argv[4], &e);
	}
	in = (struct ccpu_check_in){ .layout = l, .mode = CCPU_CHECK_COMPATIBLE,
	    .saved = img.features, .current = *ccpu_check_current(img.record, &jf),
	    .unknown = jf.unknown, .now = here };
	if (img.record == CCPU_RECORD_NONE) {
		printf("image: records no CPU features\n");
		status = 2;
	} else if (ccpu_check_compare(&in, &chk, &e) == -1) {
		status = fail(argv[4], &e);
	} else if (chk.compatible && chk.decided) {
		printf("image: restores here\n");
		status = 0;
	} else if (!chk.compatible) {
		ccpu_jvm_format_names(l, &chk.missing, buf, sizeof(buf));
		printf("image: does not restore here, missing %s\n", buf);
		status = 1;
	} else {
		printf("image: cannot tell\n");
		status = 2;
	}
	ccpu_image_release(&img);
	ccpu_profile_free(here);
	return status;
}
