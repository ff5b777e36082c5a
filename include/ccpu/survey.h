/*
 * Fleet survey: fold any number of hosts, one at a time, into CPU classes
 * (hosts whose JVM "used" feature set is the same in one layout), count
 * hosts per feature, and work out the fleet-wide -XX:CPUFeatures value, what
 * it costs each class, how the planner would split the fleet into a few
 * images, and which classes can restore which images.  Memory
 * grows with the number of distinct classes, not with the number of hosts:
 * a host is derived, folded into its class and forgotten.  The only
 * per-host state kept is the name of hosts that came from a Kubernetes node
 * list (for nodeAffinity by hostname), whose size is bounded by the node
 * list already held in memory.
 *
 * Usage: ccpu_survey_new, then any number of ccpu_survey_add_* calls, then
 * ccpu_survey_finish once, then the accessors and renderers.  The survey
 * owns everything the accessors return (classes, images, errors, sets),
 * which lives until ccpu_survey_free; an image or a listed error only
 * until the next call that adds one.  The add calls copy what they are
 * given.
 */
#ifndef CCPU_SURVEY_H
#define CCPU_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/error.h"
#include "ccpu/featset.h"
#include "ccpu/jvm.h"
#include "ccpu/plan.h"
#include "ccpu/profile.h"
#include "ccpu/uarch.h"

#define CCPU_SURVEY_SCHEMA	"ccpu-survey/3"
#define CCPU_SURVEY_EXAMPLES	3	/* example host names kept per class */
#define CCPU_SURVEY_MODELS	4	/* distinct CPU models listed per class */
#define CCPU_SURVEY_MAX_ERRORS	1000	/* unreadable entries listed; more are only counted */
#define CCPU_SURVEY_INPUTS	4	/* operands named in the HTML header; more are only counted */

/* Where a host's features came from. */
enum ccpu_survey_origin {
	CCPU_ORIGIN_PROFILE,	/* CPUID registers: a profile or a dump */
	CCPU_ORIGIN_NFD,	/* synthesized from Node Feature Discovery labels */
};

/* One host as the survey sees it; the strings are copied, not kept. */
struct ccpu_survey_host {
	const char		*name;
	const char		*vendor;	/* "GenuineIntel", "" if unknown */
	const char		*brand;		/* "" if unknown */
	unsigned int		 family, model;
	/*
	 * Its microarchitecture; NULL: named from vendor, family and model
	 * alone (no stepping, no libcpuid codename, as for NFD labels).
	 */
	const struct ccpu_uarch	*uarch;
	enum ccpu_survey_origin	 origin;
	struct ccpu_featset	 used;		/* JVM bits the host's JVM would use */
	struct ccpu_featset	 unknown;	/* JVM bits the source cannot tell (not in used) */
	struct ccpu_featset	 labels;	/* NFD only: nfd.def rows whose label the node has */
	bool			 crac_labels;	/* NFD only: used is exact, from crac-cpu's own labels */
	/*
	 * An aarch64 host: its HWCAP words and MIDRs (NULL for x86-64).  The
	 * survey folds it into its aarch64 classes (ccpu_survey_a64_*), apart
	 * from the x86-64 ones; the fields above are not read.
	 */
	const struct ccpu_a64_cpu *a64;
	/*
	 * An aarch64 host known only by its value in the survey's aarch64
	 * layout (a63), from crac-cpu's feature labels of a CRaC layout
	 * (ccpu_a64_nfd_read): a64 is NULL; folded like one with a64, its
	 * CPU model unknown.
	 */
	bool			 a64_by_value;
	struct ccpu_featset	 a64_value;
	/*
	 * An arm64 node carrying crac-cpu's feature labels of the survey's
	 * aarch64 layout (crac-cpu.a63.*), which agree with the rest: a
	 * node affinity on those labels selects it exactly.
	 */
	bool			 a64_labels;
};

struct ccpu_survey_model {
	char			vendor[13];
	char			brand[49];
	unsigned int		family, model;
	struct ccpu_uarch	uarch;		/* of its first host */
	unsigned long		hosts;
};

struct ccpu_survey_class {
	char			id[24];		/* "c1" ... in report order, after finish */
	size_t			serial;		/* creation order (ccpu_survey_last_serial) */
	size_t			index;		/* report order, after finish (image restore[] index) */
	char			stable_id[12];	/* from the content, after finish: 8 hex
						   digits, the same in every survey */
	struct ccpu_uarch	uarch;		/* after finish: of the model with
						   the most hosts */
	struct ccpu_featset	used;
	struct ccpu_featset	unknown;
	unsigned long		hosts;
	unsigned long		nfd_hosts;
	unsigned long		crac_hosts;	/* of which labelled by crac-cpu (features --format nfd) */
	size_t			nmodels;
	struct ccpu_survey_model models[CCPU_SURVEY_MODELS];
	unsigned long		other_models;	/* hosts whose model did not fit above */
	size_t			nexamples;
	char			examples[CCPU_SURVEY_EXAMPLES][64];
	struct ccpu_featset	labels_all;	/* NFD labels every NFD host of the class has */
	struct ccpu_featset	labels_any;	/* ... that at least one has */
	size_t			nnodes;		/* NFD host names, for hostname affinity */
	char			**nodes;
	/* After finish: */
	struct ccpu_featset	lost;		/* used - plan: what the plan takes from this class */
	struct ccpu_featset	gain;		/* plan would gain these without this class */
	int			image_class;	/* index into the split's images; -1: none */
};

enum ccpu_restore {
	CCPU_RESTORE_YES,
	CCPU_RESTORE_NO,
	CCPU_RESTORE_UNKNOWN,	/* only bits the source cannot tell are in doubt */
};

struct ccpu_survey_image {
	char			 name[256];
	struct ccpu_featset	 value;
	enum ccpu_restore	*restore;	/* per class, after finish */
	struct ccpu_featset	*missing;	/* per class: value - used, ignored bits cleared */
	unsigned long		 hosts_yes, hosts_unknown;
};

struct ccpu_survey_error {
	char		file[256];
	unsigned long	line;		/* 0 when the entry is a whole file */
	char		msg[256];
};

/*
 * Image classes: the planner's split (ccpu_plan_classes) of the fleet into
 * at most k images, each with its own value, CPU classes weighing as many
 * hosts as they hold.  An image's value is the AND of its CPU classes' used
 * sets, so any member can checkpoint it.
 */
struct ccpu_survey_split_image {
	struct ccpu_featset	value;
	struct ccpu_featset	kept;		/* value - single: what it keeps over one image */
	unsigned long		hosts;
	size_t			nclasses;	/* CPU classes in it */
};

struct ccpu_survey_split {
	unsigned int		k;		/* at most this many images */
	char			skipped[256];	/* why there is no split; "" when there is one */
	bool			exact;		/* every partition tried, no class merged ahead */
	struct ccpu_featset	single;		/* the one-image value of the classes split */
	size_t			merged;		/* smallest CPU classes folded into one target */
	unsigned long		merged_hosts;	/* ... and their hosts */
	size_t			excluded;	/* CPU classes lacking a bit every value needs */
	uint64_t		score;		/* sum over hosts of the weight kept (plan.h) */
	uint64_t		single_score;	/* the same with one image */
	unsigned int		nimages;
	struct ccpu_survey_split_image images[CCPU_PLAN_MAX_CLASSES];
};

struct ccpu_survey;

/* A new, empty survey for one layout; never NULL. */
struct ccpu_survey *ccpu_survey_new(const struct ccpu_layout *);
/* Free the survey and everything it owns; NULL is a no-op. */
void	ccpu_survey_free(struct ccpu_survey *);

/* Fold one host in (its strings are copied).  Must not be called after finish. */
void	ccpu_survey_add_host(struct ccpu_survey *, const struct ccpu_survey_host *);
/*
 * A host that owns its strings, so it can be built away from the survey
 * (another thread) and added later with ccpu_survey_add_host(&b->h).
 */
struct ccpu_survey_host_buf {
	struct ccpu_survey_host	h;		/* its strings point below */
	char			name[256];
	char			vendor[16];
	char			brand[64];
	struct ccpu_uarch	uarch;
	bool			is_a64;
	struct ccpu_a64_cpu	a64;		/* h.a64 points here when is_a64 */
};
/*
 * What ccpu_survey_add_profile adds, built into b instead.  Returns 0 and
 * fills b, or -1 (CCPU_EINPUT) with b untouched.
 */
int	ccpu_survey_host_from_profile(const struct ccpu_layout *,
	    const struct ccpu_profile *, struct ccpu_survey_host_buf *b,
	    struct ccpu_error *);
/* Make b's pointers point into b again (after copying the struct). */
void	ccpu_survey_host_buf_fix(struct ccpu_survey_host_buf *b);
/*
 * Derive a profile's JVM features (ccpu_jvm_derive_host) and fold it in.
 * Returns 0, or -1 (CCPU_EINPUT) when derivation fails (nothing is added).
 */
int	ccpu_survey_add_profile(struct ccpu_survey *, const struct ccpu_profile *,
	    struct ccpu_error *);
/* Count an entry that could not be read (copied); line 0 means the whole file. */
void	ccpu_survey_add_error(struct ccpu_survey *, const char *file,
	    unsigned long line, const char *msg);
/* An image (or a value) to check every class against; name is copied. */
void	ccpu_survey_add_image(struct ccpu_survey *, const char *name,
	    const struct ccpu_featset *value);

/*
 * Ask finish for a split into at most k images (2..CCPU_PLAN_MAX_CLASSES;
 * 0 or 1: none, the default).  Must be called before finish.
 */
void	ccpu_survey_set_split(struct ccpu_survey *, unsigned int k);

/*
 * Reading a fleet: every host of a path through the one
 * host reader (ccpu/hosts.h), folded into the survey in input order.  With
 * jobs > 1, worker threads parse and derive JSON records while the caller's
 * thread reads and folds; the survey, its errors and the host callbacks
 * are the same as with one thread.  An entry that cannot be read is listed
 * (ccpu_survey_add_error), or, with strict, ends the reading; a path that
 * cannot be opened always does.
 */
#define CCPU_SURVEY_MAX_JOBS	16
struct ccpu_survey_read_opts {
	bool	 strict;
	int	 jobs;		/* worker threads; 0 or 1: none */
	/* Each host added, in input order: its class serial, name, where (escaped). */
	void	(*host)(void *ctx, size_t serial, const char *name, const char *where);
	void	(*progress)(void *ctx);			/* after each host */
	void	(*warning)(void *ctx, const char *msg);	/* a dump read with a warning */
	void	*ctx;
};
struct ccpu_survey_reader;
/*
 * A new reader folding into s (borrowed: free the reader first); opts (may
 * be NULL: defaults) is copied, jobs capped at CCPU_SURVEY_MAX_JOBS.
 */
struct ccpu_survey_reader *ccpu_survey_reader_new(struct ccpu_survey *s,
	    const struct ccpu_survey_read_opts *opts);
/*
 * Every host of path.  Returns 0, or -1 when reading stops, with err
 * ("'where': line N: why"): CCPU_ESYS when path cannot be opened,
 * CCPU_EINPUT for an entry that cannot be read, with strict.  Hosts read before the
 * stop stay in the survey.
 */
int	ccpu_survey_reader_add(struct ccpu_survey_reader *, const char *path,
	    struct ccpu_error *);
/* Stop the worker threads and free the reader; NULL is a no-op. */
void	ccpu_survey_reader_free(struct ccpu_survey_reader *);

/*
 * What the report was made from, for the HTML page's header: the n
 * operands as given (the first CCPU_SURVEY_INPUTS are copied and named, the
 * rest counted) and when it was made, in seconds since the epoch (the
 * caller's clock, or SOURCE_DATE_EPOCH for a reproducible page).  Optional:
 * without it the header says neither.  Any time before rendering.
 */
void	ccpu_survey_set_inputs(struct ccpu_survey *, const char *const *paths,
	    size_t n, int64_t generated);

/*
 * A class's id from its content (the layout name and the used and unknown
 * sets), the same in every survey and on every node: 8 hex digits and a
 * NUL into buf (size >= 9).
 */
void	ccpu_survey_stable_id(const struct ccpu_layout *, const struct ccpu_featset *used,
	    const struct ccpu_featset *unknown, char *buf, size_t size);

/*
 * Host-by-host answers without keeping hosts: the serial of the class the
 * last added host went to.
 */
size_t	ccpu_survey_last_serial(const struct ccpu_survey *);
/* The class of a serial (its report fields after finish), or NULL. */
const struct ccpu_survey_class *ccpu_survey_class_by_serial(
	    const struct ccpu_survey *, size_t serial);

/* Sort the classes, compute the plan, costs, restore matrix and split.  Once. */
void	ccpu_survey_finish(struct ccpu_survey *);

/* The layout given to ccpu_survey_new. */
const struct ccpu_layout *ccpu_survey_layout(const struct ccpu_survey *);
/* The number of hosts folded in. */
unsigned long ccpu_survey_hosts(const struct ccpu_survey *);
/* ... of which came from Kubernetes nodes. */
unsigned long ccpu_survey_nfd_hosts(const struct ccpu_survey *);
/* The number of CPU classes. */
size_t	ccpu_survey_nclasses(const struct ccpu_survey *);
/* Class i (report order after finish), or NULL past the end. */
const struct ccpu_survey_class *ccpu_survey_class(const struct ccpu_survey *, size_t i);
/* The number of images added. */
size_t	ccpu_survey_nimages(const struct ccpu_survey *);
/* Image i (its restore and missing arrays after finish), or NULL past the end. */
const struct ccpu_survey_image *ccpu_survey_image(const struct ccpu_survey *, size_t i);
/* Unreadable entries: the total. */
unsigned long ccpu_survey_nerrors(const struct ccpu_survey *);
/* ... of which are listed (at most CCPU_SURVEY_MAX_ERRORS). */
size_t	ccpu_survey_nerrors_listed(const struct ccpu_survey *);
/* Listed entry i, or NULL past the end. */
const struct ccpu_survey_error *ccpu_survey_error(const struct ccpu_survey *, size_t i);
/* Hosts whose used set has JVM bit n (0 for n out of range). */
unsigned long ccpu_survey_feature_hosts(const struct ccpu_survey *, unsigned int bit);
/* Hosts for which JVM bit n is unknown (0 for n out of range). */
unsigned long ccpu_survey_feature_unknown(const struct ccpu_survey *, unsigned int bit);
/* Bits some host uses (the union of the classes). */
const struct ccpu_featset *ccpu_survey_union(const struct ccpu_survey *);

/*
 * The fleet-wide plan: the intersection of every class's used set (bits a
 * source cannot tell count as absent).  *valid is false when it lacks a bit
 * the JVM requires (then generic is the only safe value) or the survey is
 * empty.
 */
const struct ccpu_featset *ccpu_survey_plan(const struct ccpu_survey *, bool *valid);

/*
 * The split asked for with ccpu_survey_set_split (after finish), or NULL
 * when none was asked for or the survey has fewer than two CPU classes.
 * When it could not be made, skipped says why and nimages is 0.  More CPU
 * classes than the planner takes (CCPU_PLAN_MAX_HOSTS - 1) are not an
 * error: the smallest are folded into one target, their AND.
 */
const struct ccpu_survey_split *ccpu_survey_split(const struct ccpu_survey *);

/*
 * aarch64 hosts, apart (an image is for one architecture): CPU classes of
 * hosts whose value in the survey's aarch64 layout (a63, openjdk/crac's
 * newest numbering) is the same, in report order after finish ("a1" ...),
 * and one plan per PAC kind: hosts with and without pointer
 * authentication cannot share an image.  A host's assignment serial is
 * CCPU_SURVEY_A64_SERIAL + its class's insertion index.
 */
#define CCPU_SURVEY_A64_SERIAL	((size_t)1 << (sizeof(size_t) * 8 - 2))
struct ccpu_survey_a64_class {
	char			id[24];		/* "a1" ... after finish */
	size_t			serial;
	struct ccpu_featset	value;
	unsigned long		hosts;
	unsigned long		nfd_hosts;	/* of which read from node labels */
	size_t			nmidr;
	uint32_t		midr[CCPU_SURVEY_MODELS];	/* first core type */
	unsigned long		midr_hosts[CCPU_SURVEY_MODELS];
	unsigned long		other_models;
	size_t			nexamples;
	char			examples[CCPU_SURVEY_EXAMPLES][64];
};
/* The aarch64 layout of the survey (a63 unless one was set); static. */
const struct ccpu_a64_layout *ccpu_survey_a64_layout(const struct ccpu_survey *);
/* How many aarch64 hosts were added. */
unsigned long ccpu_survey_a64_hosts(const struct ccpu_survey *);
/* How many aarch64 classes there are. */
size_t	ccpu_survey_a64_nclasses(const struct ccpu_survey *);
/* The i'th aarch64 class (report order after finish), or NULL; the survey owns it. */
const struct ccpu_survey_a64_class *ccpu_survey_a64_class(const struct ccpu_survey *,
	    size_t);
/* The aarch64 class of an assignment serial, or NULL; the survey owns it. */
const struct ccpu_survey_a64_class *ccpu_survey_a64_class_by_serial(
	    const struct ccpu_survey *, size_t serial);
/*
 * After finish: the plan of the hosts with (pac) or without PAC, the AND
 * of their classes' values, and how many hosts it serves; NULL when no
 * host is of that kind.
 */
const struct ccpu_featset *ccpu_survey_a64_plan(const struct ccpu_survey *,
	    bool pac, unsigned long *hosts);

/*
 * nodeAffinity for Kubernetes hosts that can restore image i (or, with
 * i == (size_t)-1, the plan value): a new reference, caller json_decrefs.
 * matchExpressions on NFD labels when they select exactly those NFD hosts,
 * else kubernetes.io/hostname In [...].  *by_labels says which.  NULL when
 * no host came from NFD.
 */
json_t	*ccpu_survey_affinity(const struct ccpu_survey *, size_t i, bool *by_labels);
/*
 * Why the affinity of i falls back to host names (buf, size bytes), or
 * NULL when it selects by labels or no host came from Kubernetes: the
 * first feature of the value no NFD label tells, else the class the
 * labels cannot tell apart.
 */
const char *ccpu_survey_affinity_why(const struct ccpu_survey *, size_t i,
	    char *buf, size_t size);

/* Renderings (after finish).  The JSON document: a new reference. */
json_t	*ccpu_survey_to_json(const struct ccpu_survey *);
/* The text report, malloc'ed; caller frees. */
char	*ccpu_survey_text(const struct ccpu_survey *);
/* The CSV report (formula cells neutralised), malloc'ed; caller frees. */
char	*ccpu_survey_csv(const struct ccpu_survey *);
/*
 * --assignments (after finish): one host's line, for a host whose class
 * serial ccpu_survey_last_serial gave when it was added: host, source
 * (where it was read), class id, stable id, value, image class (1-based,
 * empty/null without a split) and each image's restore verdict; CSV (a
 * header from ccpu_survey_assignments_header, "" for JSON lines) or one
 * compact JSON object.  Malloc'ed with its newline; NULL for an unknown
 * serial, before finish, or a JSON string that is not UTF-8.
 */
char	*ccpu_survey_assignments_header(const struct ccpu_survey *, bool csv);
/* One host's line, as above. */
char	*ccpu_survey_assignment(const struct ccpu_survey *, size_t serial,
	    const char *host, const char *source, bool csv);
/*
 * The nodeAffinity of the fleet-wide value and of each image as YAML
 * documents, each an `affinity:` fragment ready for a pod spec, with a
 * comment saying which nodes it selects and how: malloc'ed, caller frees.
 * NULL when no host came from Kubernetes or before finish.
 */
char	*ccpu_survey_yaml(const struct ccpu_survey *);
/* One self-contained HTML page (inline CSS, JS and SVG; no network), malloc'ed. */
char	*ccpu_survey_html(const struct ccpu_survey *);

/*
 * Kubernetes Node Feature Discovery (data/nfd.def).  Folds the
 * nodes of a `kubectl get nodes -o json` document into the survey: each
 * node's cpu-cpuid.* and cpu-model.* labels become synthesized CPUID
 * registers, derived like a profile, with the JVM bits NFD cannot tell
 * marked unknown.  Nodes that cannot be used are reported through
 * ccpu_survey_add_error under file.  Returns the number of nodes added, or
 * -1 (CCPU_EINPUT) when doc is not a node list.
 */
long	ccpu_nfd_add_nodes(struct ccpu_survey *, const json_t *doc, const char *file,
	    struct ccpu_error *);
/*
 * One Kubernetes Node object (as ccpu_hosts_next yields it) as a survey
 * host, derived in layout l: its labels become synthesized registers, and
 * the JVM bits NFD cannot tell go to h->unknown.  scratch is a profile the
 * call overwrites; the node's name is copied to name (namesz bytes).  h's
 * strings point into node, scratch or static storage: use h before either
 * changes.  Returns 0, or -1 (CCPU_EINPUT) when the node cannot be used.
 */
int	ccpu_nfd_node_host(const struct ccpu_layout *, json_t *node,
	    struct ccpu_profile *scratch, struct ccpu_survey_host *h, char *name,
	    size_t namesz, struct ccpu_error *);
/*
 * A host known by Linux /proc/cpuinfo text (len bytes) or `lscpu -J`
 * output (data/cpuinfo.def): its flags become synthesized registers,
 * derived in layout l; JVM bits that depend on what cpuinfo cannot tell
 * (flags older kernels do not print, bits it never prints) go to
 * h->unknown.  scratch is overwritten; h->name is NULL for the caller to
 * set, its other strings are static.  Returns 0, or -1 (CCPU_EINPUT).
 */
int	ccpu_cpuinfo_host(const struct ccpu_layout *, const char *text, size_t len,
	    struct ccpu_profile *scratch, struct ccpu_survey_host *h,
	    struct ccpu_error *);
/* The same for a parsed `lscpu -J` document (borrowed). */
int	ccpu_lscpu_host(const struct ccpu_layout *, const json_t *doc,
	    struct ccpu_profile *scratch, struct ccpu_survey_host *h,
	    struct ccpu_error *);
/* True when doc looks like a Kubernetes node (or node list) document. */
bool	ccpu_nfd_is_node_list(const json_t *doc);
/* The NFD label of nfd.def row i ("feature.node.kubernetes.io/cpu-cpuid.AVX2"), or NULL past the end. */
const char *ccpu_nfd_label(unsigned int row);
/* The nfd.def row that tells JVM bit `bit` in layout l, or -1 if NFD cannot tell it. */
int	ccpu_nfd_row_for_bit(const struct ccpu_layout *, unsigned int bit);
/* Why NFD cannot tell JVM feature `name`, or NULL when it can. */
const char *ccpu_nfd_blind_reason(const char *name);

#endif
