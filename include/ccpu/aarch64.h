/*
 * aarch64 hosts: what Linux tells of a CPU (the AT_HWCAP and AT_HWCAP2
 * words and the MIDR_EL1 of each core type), the names of implementers and
 * parts (data/a64-midr.def), the features HotSpot derives from them
 * (data/a64-features.def) and the aarch64 layouts: HotSpot's own feature
 * numbering of JDK 17, 21 and 25 and CRaC's -XX:CPUFeatures word
 * (data/a64-layouts.def, one bit table data/layout-a*.def each).  An
 * aarch64 -XX:CPUFeatures value is one 64-bit word: bit n of it is member
 * n of a struct ccpu_featset (word 0 only).
 */
#ifndef CCPU_AARCH64_H
#define CCPU_AARCH64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ccpu/error.h"
#include "ccpu/featset.h"

#define CCPU_A64_MAX_CORES	8	/* core types (MIDR values) per host */

/* The MIDR_EL1 fields. */
#define CCPU_MIDR_IMPLEMENTER(m)	(((m) >> 24) & 0xffu)
#define CCPU_MIDR_VARIANT(m)		(((m) >> 20) & 0xfu)
#define CCPU_MIDR_ARCH(m)		(((m) >> 16) & 0xfu)
#define CCPU_MIDR_PART(m)		(((m) >> 4) & 0xfffu)
#define CCPU_MIDR_REVISION(m)		((m) & 0xfu)

struct ccpu_a64_core {
	uint32_t	midr;		/* MIDR_EL1 (0: unknown) */
	unsigned int	nlogical;	/* logical CPUs of this kind; 0 = unknown */
};

/*
 * One aarch64 host's CPU: the HWCAP words are the process's (the kernel
 * gives every process the same, the features all cores share); the core
 * types are in the order their first logical CPU appears (cpu0 first),
 * which is the order HotSpot's /proc/cpuinfo scan meets them.
 */
struct ccpu_a64_cpu {
	uint64_t		hwcap;		/* AT_HWCAP */
	uint64_t		hwcap2;		/* AT_HWCAP2 */
	unsigned int		ncores;
	struct ccpu_a64_core	cores[CCPU_A64_MAX_CORES];
};

/*
 * Add one logical CPU's MIDR: counted in its core type, or a new one.
 * Returns -1 (CCPU_EINPUT) when there would be more than CCPU_A64_MAX_CORES.
 */
int	ccpu_a64_add_core(struct ccpu_a64_cpu *, uint32_t midr, struct ccpu_error *);

/*
 * The name of a MIDR in buf: "Arm Neoverse N1 r3p1"; the implementer's
 * name and "part 0x..." when only it is known; "implementer 0x.. part 0x..."
 * otherwise; "unknown" for 0.  *where (may be NULL) gets the table's note
 * of where the part is found ("AWS Graviton2, ..."), "" when none.
 * Returns true when the part is in data/a64-midr.def.
 */
bool	ccpu_a64_midr_name(uint32_t midr, char *buf, size_t size,
	    const char **where);

/*
 * Linux's name of HWCAP word (1 or 2) bit n, as /proc/cpuinfo prints it
 * ("atomics"), or NULL.  ccpu_a64_hwcap_lookup finds a name: 0 and *word,
 * *bit set, or -1.
 */
const char *ccpu_a64_hwcap_name(unsigned int word, unsigned int bit);
/* The word and bit of a name of len bytes (not NUL-terminated): 0, or -1. */
int	ccpu_a64_hwcap_lookup(const char *name, size_t len, unsigned int *word,
	    unsigned int *bit);

/*
 * True when text (len bytes) is an arm64 /proc/cpuinfo: processor blocks
 * with "CPU implementer" lines.
 */
bool	ccpu_a64_cpuinfo_is(const char *text, size_t len);
/*
 * Read an arm64 /proc/cpuinfo: the HWCAP words from the names of the
 * "Features" lines (the features every block lists), one core type per
 * MIDR of the blocks' "CPU implementer", "CPU variant", "CPU part" and
 * "CPU revision" fields, read as HotSpot reads them (strtol base 0: a field
 * that is no number reads 0).  Names no row of data/a64-hwcap.def has are
 * copied, space-separated, into unknown (size bytes; may be NULL).  Fills
 * *out only on success; -1 with CCPU_EINPUT when there is no Features line.
 */
int	ccpu_a64_cpuinfo_parse(const char *text, size_t len,
	    struct ccpu_a64_cpu *out, char *unknown, size_t size,
	    struct ccpu_error *);

/* The aarch64 layouts (data/a64-layouts.def). */
struct ccpu_a64_layout;	/* static tables; never freed */

/* Every layout in order; NULL past the end. */
const struct ccpu_a64_layout *ccpu_a64_layout_at(size_t i);
/*
 * By name ("a17", "a63", ...) or a JDK name ("17", "21", "25", "27"); NULL
 * with CCPU_EUSAGE and the known names when it is none of them.
 */
const struct ccpu_a64_layout *ccpu_a64_layout_lookup(const char *name,
	    struct ccpu_error *);
/*
 * The stock layout (a17, a21 or a25: no CRaC value) of a JVM whose
 * java.version is version, by its feature release ("21.0.4" is a21): the
 * numbering of a CRaC build before 2026, which records no features on
 * aarch64.  NULL with CCPU_EINPUT when version is no version number or no
 * stock layout is known for its release (never a guess).
 */
const struct ccpu_a64_layout *ccpu_a64_layout_stock(const char *version,
	    struct ccpu_error *);
/* Its name ("a63"): a static string. */
const char *ccpu_a64_layout_name(const struct ccpu_a64_layout *);
/* One line for crac-cpu layouts: a static string. */
const char *ccpu_a64_layout_summary(const struct ccpu_a64_layout *);
/* The --jdk names that select it ("17", ""), space-separated. */
const char *ccpu_a64_layout_jdks(const struct ccpu_a64_layout *);
/*
 * True when the layout numbers a -XX:CPUFeatures value (a CRaC layout);
 * false for HotSpot's own numbering of JDK 17, 21 and 25 (a17, a21, a25:
 * their CRaC builds record no CPU features on aarch64), whose bits only
 * name what -Xlog:os+cpu prints.
 */
bool	ccpu_a64_layout_has_value(const struct ccpu_a64_layout *);
/* HotSpot's printed name of bit n, or NULL. */
const char *ccpu_a64_layout_bit_name(const struct ccpu_a64_layout *,
	    unsigned int bit);
/* The bit of a printed name, or -1. */
int	ccpu_a64_layout_bit(const struct ccpu_a64_layout *, const char *name);
/* All bits with a meaning, into *out. */
void	ccpu_a64_layout_valid(const struct ccpu_a64_layout *, struct ccpu_featset *out);
/* The bit of paca and of notpaca, or -1 when the layout has none. */
int	ccpu_a64_layout_paca(const struct ccpu_a64_layout *);
/* The bit of notpaca (20, 22 or 63 by snapshot), or -1 when it has none. */
int	ccpu_a64_layout_notpaca(const struct ccpu_a64_layout *);

/*
 * The features a JVM of layout l derives on cpu, numbered as in l: the
 * HWCAP bits HotSpot reads, those it derives from the core's model (a53mac
 * when a core is a Cortex-A53, as HotSpot's /proc/cpuinfo scan sees the
 * last two parts it meets), and in CRaC layouts notpaca when paca is not
 * there (UsePAC off: exactly one of the two is set).
 */
void	ccpu_a64_derive(const struct ccpu_a64_layout *l,
	    const struct ccpu_a64_cpu *cpu, struct ccpu_featset *out);
/*
 * What is wrong with v as a -XX:CPUFeatures value of layout l, as the JVM
 * says it (it refuses the value), in why (size bytes); 0 when the JVM
 * accepts it.  Checks bits with no meaning and the PACA/NOTPACA rule.
 */
int	ccpu_a64_value_check(const struct ccpu_a64_layout *l,
	    const struct ccpu_featset *v, char *why, size_t size);
/*
 * The CRaC layout one-word values were written in, known from the values
 * alone: a layout (a20, a22, a63) is a candidate when it accepts each of
 * the nwhole whole values (ccpu_a64_value_check: bits with a meaning and
 * exactly one of paca and notpaca) and gives each of the npart parts (sets
 * such as a message's "missing", where the PAC rule does not apply) a
 * meaning.  The values are known when every candidate names them alike:
 * then returns the newest candidate, with the candidates ("a20, a22, a63")
 * in from (size bytes).  NULL with CCPU_EINPUT when no layout accepts them
 * (each layout's refusal) or two read them differently (both readings):
 * the layout is not guessed.
 */
const struct ccpu_a64_layout *ccpu_a64_layout_infer(
	    const struct ccpu_featset *whole, size_t nwhole,
	    const struct ccpu_featset *part, size_t npart, char *from,
	    size_t size, struct ccpu_error *);
/*
 * The value for a checkpoint on hosts[0] that restores on every host (n >=
 * 1): the AND of their values in CRaC layout l, into *value.  -1 with
 * CCPU_EINPUT and the JVM's reason when no value serves them all: hosts
 * with and without PAC ("these CPUs each require a separate image"), or a
 * build host that cannot make the image (ccpu_a64_checkpoint_check: lse or
 * a53mac it has and a target lacks).  *value written only on success.
 */
int	ccpu_a64_plan(const struct ccpu_a64_layout *l,
	    const struct ccpu_a64_cpu *hosts, size_t n, struct ccpu_featset *value,
	    struct ccpu_error *);
/*
 * The features a JVM of CRaC layout l keeps on a CPU that has them,
 * whatever -XX:CPUFeatures says, into *out: lse (the JVM refuses a value
 * without it there: glibc's LSE atomics cannot be masked) and those
 * derived from the CPU model (a53mac: HotSpot sets it after it applies
 * the value, so the image records it).  Empty for a stock layout.
 */
void	ccpu_a64_layout_kept(const struct ccpu_a64_layout *l,
	    struct ccpu_featset *out);
/*
 * Whether a host with features host (in l) can make an image of value v
 * for the targets v was planned for: 0 when it can; 1 with the reason in
 * why (size bytes: it lacks a feature of v, or it has a kept feature v
 * drops, which a target then lacks).
 */
int	ccpu_a64_checkpoint_check(const struct ccpu_a64_layout *l,
	    const struct ccpu_featset *host, const struct ccpu_featset *v,
	    char *why, size_t size);
/* The JVM's refusal of -XX:CPUFeatures=generic on aarch64. */
extern const char ccpu_a64_generic_refused[];
/*
 * Names of the members in the order HotSpot prints them (the layout
 * table's), joined with sep, in buf; bits with no meaning last, "bitN".
 */
void	ccpu_a64_format_names(const struct ccpu_a64_layout *,
	    const struct ccpu_featset *, const char *sep, char *buf, size_t size);
/* "0x%llx": the value as the JVM prints it. */
void	ccpu_a64_format_value(const struct ccpu_featset *, char *buf, size_t size);
/*
 * The one JSON shape of a JVM value (as ccpu_jvm_value_json), with one
 * word: {"value": "0x..", "words": ["0x%016x"], "bitmap": "<16 hex digits,
 * bytes in memory order>", "names": [names in bit order, "bitN" for a bit
 * with no meaning in l]}: a new reference, caller json_decrefs.
 */
json_t	*ccpu_a64_value_json(const struct ccpu_a64_layout *,
	    const struct ccpu_featset *);
/* The "names" array alone: a new reference. */
json_t	*ccpu_a64_names_json(const struct ccpu_a64_layout *,
	    const struct ccpu_featset *);
/*
 * Parse one word (strtoull base 0; one number, no comma).  Bits with no
 * meaning in l are an error.  *out written only on success.
 */
int	ccpu_a64_parse_value(const struct ccpu_a64_layout *l, const char *s,
	    struct ccpu_featset *out, struct ccpu_error *);

/*
 * The class id of fs in layout l in buf (size >= 9): 8 hex digits from the
 * layout's name and the value, the same on every host and in every run.
 */
void	ccpu_a64_stable_id(const struct ccpu_a64_layout *l,
	    const struct ccpu_featset *fs, char *buf, size_t size);
/*
 * The Node Feature Discovery feature-file lines of cpu (features --format
 * nfd): the facts, crac-cpu.aarch64.hwcap=0x.., .hwcap2=0x.., .cores=N and
 * .coreI.midr=0x%08x for each core type in order, then layout l's
 * crac-cpu.L.class=ID (ccpu_a64_stable_id) and crac-cpu.L.NAME=true for
 * each feature.  Malloc'ed; caller frees.
 */
char	*ccpu_a64_nfd_labels(const struct ccpu_a64_layout *l,
	    const struct ccpu_a64_cpu *cpu);
/*
 * An arm64 node's labels (the JSON object of label names, with NFD's
 * feature.node.kubernetes.io/ prefix, to values) as an aarch64 host:
 * 1 and *cpu when they hold the crac-cpu.aarch64 facts (every layout's
 * feature labels present must agree with them); 2 and *value, in layout
 * target, when they hold only feature labels of CRaC layouts that tell
 * every feature of target by name, and agree; 0 when they hold no crac-cpu
 * aarch64 label.  -1 (CCPU_EINPUT) with the reason when the labels are
 * malformed, partly written, contradict each other, or cannot tell a
 * feature of target.  *cpu and *value are written only on 1 and 2.
 */
int	ccpu_a64_nfd_read(const json_t *labels,
	    const struct ccpu_a64_layout *target, struct ccpu_a64_cpu *cpu,
	    struct ccpu_featset *value, struct ccpu_error *);

#endif
