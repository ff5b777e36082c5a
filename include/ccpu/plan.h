/*
 * The planner: one -XX:CPUFeatures value for a checkpoint made on a build
 * host and restored on a fleet of targets, who costs what, and a split of
 * the targets into image classes.  Pure: hosts come in as JVM feature sets
 * (derived with ccpu_jvm_derive_host or parsed from a value), nothing here
 * reads files.
 *
 * The value is  build.raw & AND(target.used)  with the build host's own
 * ignored bits (ht) kept: the JVM requires value <= raw at checkpoint with
 * ht masked, and masks ht again at restore, so a target without ht cannot
 * make the image unrestorable and dropping it would only change the build
 * host's tuning.  Bits a source could not tell (jvm "unknown") are left out
 * of the value, since a bit that may be absent cannot be promised.
 */
#ifndef CCPU_PLAN_H
#define CCPU_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ccpu/error.h"
#include "ccpu/featset.h"
#include "ccpu/jvm.h"

struct ccpu_a64_layout;		/* include/ccpu/aarch64.h */
struct ccpu_a64_cpu;

#define CCPU_PLAN_MAX_HOSTS	1024	/* build host plus targets */
#define CCPU_PLAN_MAX_CLASSES	16
#define CCPU_PLAN_FEW		3	/* "removes with few others": at most this many removers */
#define CCPU_PLAN_EXACT_MAX	10	/* distinct targets searched exhaustively by ccpu_plan_classes */

/* Relevance of a feature (data/relevance.def). */
enum ccpu_rel_class {
	CCPU_REL_VECTOR,
	CCPU_REL_CRYPTO,
	CCPU_REL_BITMANIP,
	CCPU_REL_MEMORY,
	CCPU_REL_GLIBC,
	CCPU_REL_BASELINE,
	CCPU_REL_OTHER,		/* not in the table */
	CCPU_REL_INFO,		/* informational: losing it costs nothing */
	CCPU_REL_COUNT
};

struct ccpu_relevance {
	enum ccpu_rel_class	 rclass;
	unsigned int		 weight;	/* 0..100; 0 for CCPU_REL_INFO */
	const char		*why;		/* one line; "" when not in the table */
};

/* The row for a printed name (why is static); unknown names get CCPU_REL_OTHER, weight 1. */
struct ccpu_relevance ccpu_relevance(const char *name);
/*
 * The members of fs in the one report order every command uses: most
 * costly first (weight), then class, then bit.  Writes at most max bit
 * numbers to bits and returns how many members fs has.
 */
size_t	ccpu_relevance_order(const struct ccpu_layout *, const struct ccpu_featset *fs,
	    unsigned int *bits, size_t max);
const char *ccpu_rel_class_name(enum ccpu_rel_class);	/* "vector", ... "informational" */
/* Sum of the weights of the members of fs, by their names in the layout. */
unsigned int ccpu_plan_weight(const struct ccpu_layout *, const struct ccpu_featset *fs);

/* One host of a plan.  hosts[0] is the build (checkpoint) host. */
struct ccpu_plan_host {
	char			name[128];	/* for messages: file name or the value */
	char			vendor[13];	/* CPUID vendor; "" when known only by value */
	bool			by_value;	/* from a literal value: raw and used are the value */
	struct ccpu_featset	raw;		/* "This machine's CPU features" */
	struct ccpu_featset	used;		/* what the JVM restores against (post-processed) */
	struct ccpu_featset	unknown;	/* bits the source could not tell */
	unsigned int		count;		/* hosts this entry stands for; 0 counts as 1 */
};

/*
 * Fill a host from derived JVM features (jvm.h); name and vendor are
 * copied (cut to fit); count is 0 (one host).  Only ccpu_plan_classes reads
 * count.
 */
void	ccpu_plan_host_from_jvm(struct ccpu_plan_host *, const char *name,
	    const char *vendor, const struct ccpu_jvm_features *);
/* The same from a parsed value (by_value: raw and used are the value). */
void	ccpu_plan_host_from_value(struct ccpu_plan_host *, const char *name,
	    const struct ccpu_featset *value);

struct ccpu_plan {
	const struct ccpu_layout *layout;
	struct ccpu_featset	value;		/* the -XX:CPUFeatures value */
	struct ccpu_featset	lost;		/* build raw bits the value gives up (ignored bits excluded) */
	struct ccpu_featset	over_generic;	/* value bits beyond -XX:CPUFeatures=generic */
	struct ccpu_featset	unknown;	/* bits some source could not tell, left out */
	unsigned int		nvendors;	/* vendor families among hosts with a vendor */
	const char		*vendors[4];	/* ccpu_plan_vendor_family() names, first seen first */
	/*
	 * Per vendors[i]: features its hosts have (raw for the build host,
	 * used for targets) that no host of another vendor has; empty unless
	 * nvendors > 1.  Non-empty on both sides means the sets are not nested.
	 */
	struct ccpu_featset	vendor_only[4];
};

/*
 * Plan hosts[0] (build) against hosts[1..n-1] (targets; none: the build
 * host's raw value).  Returns 0, or -1 with CCPU_EINPUT when n is 0 or
 * above CCPU_PLAN_MAX_HOSTS, or when the build host or a target lacks a
 * mandatory bit (ccpu_layout_mandatory): no value the JVM accepts restores
 * there; the message names the host and the bits.  *out is written only
 * on success.
 */
int	ccpu_plan_compute(const struct ccpu_layout *, const struct ccpu_plan_host *hosts,
	    size_t n, struct ccpu_plan *out, struct ccpu_error *);

/*
 * Attribution.  A feature f of the fleet (in some host's set: raw for the
 * build host, used for targets; ignored and unknown bits excluded) that the
 * value lacks is removed by every host whose set lacks it.
 */
struct ccpu_plan_attr {
	struct ccpu_featset	lacks;		/* features of the fleet this host lacks */
	struct ccpu_featset	alone;		/* ... that no other host lacks */
	struct ccpu_featset	few;		/* ... lacked by 2..CCPU_PLAN_FEW hosts in all */
	unsigned int		alone_weight;	/* what dropping this host alone would regain */
};
/* Fill attr[0..n-1]; removers[b] (may be NULL) counts the hosts lacking bit b. */
void	ccpu_plan_attribute(const struct ccpu_layout *, const struct ccpu_plan_host *hosts,
	    size_t n, struct ccpu_plan_attr *attr, unsigned int removers[CCPU_FEATSET_MAX]);

/*
 * Image classes: split the targets hosts[1..n-1] into at most k groups, each
 * checkpointed on hosts[0] with its own value, maximizing the sum over
 * targets of the weight of the value each one restores, a target weighing
 * count times (identical targets add up their counts).  Exact (every set partition) when the targets have
 * at most CCPU_PLAN_EXACT_MAX distinct feature sets; otherwise greedy
 * agglomerative merging, cheapest loss first.  Among equal scores the
 * fewest classes win.  Every class value contains the single-image value.
 */
struct ccpu_plan_classes {
	unsigned int		nclasses;
	bool			exact;
	unsigned int		ndistinct;	/* distinct target feature sets */
	unsigned int		class_of[CCPU_PLAN_MAX_HOSTS];	/* per host; [0] unused */
	struct ccpu_featset	value[CCPU_PLAN_MAX_CLASSES];
	uint64_t		score;		/* sum over targets of the kept weight x count */
	uint64_t		single_score;	/* the same for one image (one per PAC kind) */
	/*
	 * The host whose checkpoint makes class j: 0 (the build host), or on
	 * an aarch64 fleet with and without PAC, for the classes of the other
	 * kind, that kind's checkpoint host.  single_of[j] is the one-image
	 * value of class j's hosts: the single value, or its PAC kind's.
	 */
	unsigned int		checkpoint_on[CCPU_PLAN_MAX_CLASSES];
	struct ccpu_featset	single_of[CCPU_PLAN_MAX_CLASSES];
	/* The other PAC kind's one-image checkpoint host; 0 when not split. */
	unsigned int		other_kind_on;
};
/*
 * Returns 0, or -1 (CCPU_EUSAGE) when k is 0 or above CCPU_PLAN_MAX_CLASSES,
 * or the errors of ccpu_plan_compute; *out is written only on success.
 * Heap-allocated by the caller or static: the struct is large.
 */
int	ccpu_plan_classes(const struct ccpu_layout *, const struct ccpu_plan_host *hosts,
	    size_t n, unsigned int k, struct ccpu_plan_classes *out, struct ccpu_error *);

/*
 * aarch64 (CRaC layouts a20, a22, a63): the same classes of the targets
 * hosts[1..n-1], by the same algorithm, on the values ccpu_a64_derive
 * gives (every host counts once).  Hosts with and without PAC never share
 * an image ("these CPUs each require a separate image"), so a fleet of
 * both kinds is split by kind first, into at least one class each (k >=
 * 2): the build host's kind is checkpointed on hosts[0], each class of
 * the other on the first of its own members that can make its image
 * (ccpu_a64_checkpoint_check: no lse or a53mac the value drops;
 * other_kind_on is that rule over the whole kind),
 * with the k classes shared between the kinds where they keep the most
 * weight.  Each kind must have one value
 * (ccpu_a64_plan: the checkpoint host's lse cannot be dropped), so every
 * class value, a superset of its kind's, is one the JVM accepts.
 * Returns 0, or -1 (CCPU_EUSAGE) for k as ccpu_plan_classes or k < 2 for
 * a fleet of both PAC kinds, (CCPU_EINPUT) for more than
 * CCPU_PLAN_MAX_HOSTS hosts, or ccpu_a64_plan's errors for a kind; *out is
 * written only on success.
 */
int	ccpu_a64_plan_classes(const struct ccpu_a64_layout *,
	    const struct ccpu_a64_cpu *hosts, size_t n, unsigned int k,
	    struct ccpu_plan_classes *out, struct ccpu_error *);
/*
 * Sum of the weights of the members of fs by their names in the aarch64
 * layout (data/relevance.def; a name it lacks weighs 1).
 */
unsigned int ccpu_a64_plan_weight(const struct ccpu_a64_layout *,
	    const struct ccpu_featset *fs);

/*
 * The vendor family of a CPUID vendor string, a static string: "intel",
 * "amd" (AMD, Hygon), "zhaoxin", "other".
 */
const char *ccpu_plan_vendor_family(const char *vendor);

/*
 * The mixed-vendor warning for a plan, naming what each vendor's hosts
 * alone have, in buf (size bytes); returns buf, or NULL when the hosts are
 * of one vendor.
 */
const char *ccpu_plan_vendor_advice(const struct ccpu_layout *,
	    const struct ccpu_plan *, char *buf, size_t size);

#endif
