/*
 * The pre-restore comparison: an image's recorded JVM features against a
 * host's, as the JVM makes it (missing = saved & ~current; VM_Version::
 * crac_restore() in openjdk/crac src/hotspot/cpu/x86/vm_version_x86.cpp
 * @1383d22fafadc2d1ac5ed54402cac410009e6e58), plus the restore
 * risks that lie outside the feature bits (xsave size, vendor, glibc,
 * kernel, AMX, hypervisor).  Pure: it takes values and profiles and fills a
 * result struct that the text and JSON reports both render.
 */
#ifndef CCPU_CHECK_H
#define CCPU_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ccpu/error.h"
#include "ccpu/featset.h"
#include "ccpu/image.h"
#include "ccpu/jvm.h"
#include "ccpu/profile.h"

enum ccpu_check_mode {
	CCPU_CHECK_COMPATIBLE,	/* image subset of host: -XX:CheckCPUFeatures=compatible */
	CCPU_CHECK_EXACT,	/* image equal to host: -XX:CheckCPUFeatures=exact */
};

/* Restore risks beyond the feature bits; one line each in reports. */
enum ccpu_risk {
	CCPU_RISK_XSAVE_SIZE,	/* CRIU refuses a different xsave area size */
	CCPU_RISK_VENDOR,
	CCPU_RISK_GLIBC,
	CCPU_RISK_KERNEL,
	CCPU_RISK_AMX,		/* XCR0 bits 17/18 on the checkpoint host */
	CCPU_RISK_HYPERVISOR,
	CCPU_RISK_COUNT
};

struct ccpu_check_in {
	const struct ccpu_layout	*layout;
	enum ccpu_check_mode		 mode;
	struct ccpu_featset		 saved;		/* the image's record */
	struct ccpu_featset		 current;	/* this host's features */
	/*
	 * Bits nobody can tell on this host: its record lacks the CPUID input
	 * that decides them (a libcpuid raw dump has no leaf 7.1).  Never in
	 * current.  An image that uses one cannot be judged.
	 */
	struct ccpu_featset		 unknown;
	const struct ccpu_profile	*then;		/* checkpoint host, NULL if unknown */
	const struct ccpu_profile	*now;		/* this host, NULL if unknown */
};

struct ccpu_check_risk {
	enum ccpu_risk	kind;
	char		msg[192];	/* "CPU vendor changed: GenuineIntel at checkpoint, AuthenticAMD here" */
};

struct ccpu_check {
	bool			compatible;	/* the feature verdict alone */
	/*
	 * False when the verdict rests on bits nobody can tell: missing is
	 * empty but undecided is not.  Not compatible whenever missing holds
	 * anything, whatever undecided holds.
	 */
	bool			decided;
	struct ccpu_featset	missing;	/* saved & ~current & ~unknown, ignored bits (ht) cleared */
	struct ccpu_featset	undecided;	/* saved & unknown, ignored bits cleared */
	struct ccpu_featset	extra;		/* current & ~saved, ignored bits cleared (exact mode) */
	struct ccpu_featset	common;		/* saved & current */
	struct ccpu_featset	suggest;	/* the value to checkpoint with: common, or current in exact mode */
	bool			suggest_usable;	/* suggest holds the layout's mandatory bits */
	unsigned int		nrisks;
	struct ccpu_check_risk	risks[CCPU_RISK_COUNT];
	/*
	 * Risks that could not be looked at (1 << enum ccpu_risk): the
	 * checkpoint host is unknown without a sidecar, this host without a
	 * profile (--value), or a profile lacks the fact (glibc, kernel).
	 */
	unsigned int		unchecked;
};

/*
 * Whether rec can be what a JVM of layout l recorded (or accepts as
 * -XX:CPUFeatures): no bit without a meaning in l, every bit every value
 * of l holds.  Returns 0, or -1 (CCPU_EINPUT) saying which bits are wrong.
 */
int	ccpu_check_record(const struct ccpu_layout *, const struct ccpu_featset *rec,
	    struct ccpu_error *);
/*
 * Compare.  Returns -1 (CCPU_EINPUT) when saved cannot be an image of this
 * layout: bits with no meaning in it, or mandatory bits absent (both mean
 * the layout is probably wrong).  Fills *out only on success.
 */
int	ccpu_check_compare(const struct ccpu_check_in *, struct ccpu_check *out,
	    struct ccpu_error *);
/*
 * The members of fs ordered for a report, most performance-relevant first
 * (class, then weight from data/relevance.def, then bit).  Writes at most
 * max bit numbers to bits and returns how many members fs has.
 */
size_t	ccpu_check_order(const struct ccpu_layout *, const struct ccpu_featset *fs,
	    unsigned int *bits, size_t max);
const char *ccpu_risk_name(enum ccpu_risk);	/* static: "xsave-size", "vendor", ... */
/*
 * The host side of the comparison for an image whose features come from
 * rec: the raw value for an image only a sidecar describes (JVMs before
 * 2025 compared with a fresh detection), the used value otherwise: a
 * pointer into the given features.
 */
const struct ccpu_featset *ccpu_check_current(enum ccpu_record rec,
	    const struct ccpu_jvm_features *);

#endif
