/*
 * Raw CPUID register sets.  A struct ccpu_cpu holds every leaf and subleaf
 * recorded for one kind of logical CPU (one core type), plus XCR0, and says
 * which inputs its source could not hold.  It is a plain value: no pointers,
 * no allocation, so it can be copied and compared with memcmp-free helpers.
 */
#ifndef CCPU_CPUID_H
#define CCPU_CPUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ccpu/error.h"

#define CCPU_MAX_LEAVES		512	/* leaf/subleaf pairs per core type */

enum ccpu_reg { CCPU_EAX, CCPU_EBX, CCPU_ECX, CCPU_EDX };

struct ccpu_leaf {
	uint32_t	leaf;
	uint32_t	sub;
	uint32_t	r[4];		/* indexed by enum ccpu_reg */
};

/* Inputs a source may lack (struct ccpu_cpu.missing). */
#define CCPU_MISS_LEAF7_1	0x01u	/* leaf 7 subleaf 1 (sha512, avx_ifma, apx_f, avx10) */
#define CCPU_MISS_XSAVE_SUB	0x02u	/* leaf 0xD subleaves >= 1 (xsavec, per-component sizes) */
#define CCPU_MISS_LEAF24	0x04u	/* leaf 0x24 (AVX10 version, vector lengths) */
#define CCPU_MISS_XCR0		0x08u	/* XCR0 was not read: see xcr0_source */
#define CCPU_MISS_LEAF29	0x10u	/* leaf 0x29 (APX sub-features) */
#define CCPU_MISS_HYPERVISOR	0x20u	/* hypervisor leaves 0x40000000.. */
#define CCPU_MISS_ALL		0x3fu

enum ccpu_xcr0_source {
	CCPU_XCR0_NONE = 0,	/* unknown and not inferable */
	CCPU_XCR0_XGETBV,	/* read with XGETBV on the live CPU */
	CCPU_XCR0_OSXSAVE_OFF,	/* OSXSAVE clear: XCR0 cannot be read, treated as 0 as HotSpot does */
	CCPU_XCR0_INFERRED,	/* inferred from leaf 0xD subleaf 0 EDX:EAX (what the CPU supports) */
	CCPU_XCR0_RECORDED,	/* taken from a profile that recorded it */
};

struct ccpu_cpu {
	unsigned int		nlogical;	/* logical CPUs with this register set; 0 = unknown */
	char			core_type[16];	/* "", "performance", "efficiency", "lp-efficiency" */
	uint64_t		xcr0;
	enum ccpu_xcr0_source	xcr0_source;
	unsigned int		missing;	/* CCPU_MISS_* */
	size_t			nleaves;
	struct ccpu_leaf	leaves[CCPU_MAX_LEAVES];	/* sorted by (leaf, sub), unique */
};

/* Empty the set (no leaves, no XCR0); entries past nleaves are never read. */
void	ccpu_cpu_init(struct ccpu_cpu *);
/* Copy the used part of src (its header and nleaves entries) into dst. */
void	ccpu_cpu_copy(struct ccpu_cpu *dst, const struct ccpu_cpu *src);
/*
 * Record one leaf.  Returns 0, or -1 (CCPU_EINPUT) when (leaf, sub) is already
 * present or the table is full.
 */
int	ccpu_cpu_add(struct ccpu_cpu *, uint32_t leaf, uint32_t sub,
	    const uint32_t r[4], struct ccpu_error *);
/*
 * Replace or insert.  Returns 0, or -1 (CCPU_EINPUT) only when a new leaf
 * does not fit.
 */
int	ccpu_cpu_set(struct ccpu_cpu *, uint32_t leaf, uint32_t sub,
	    const uint32_t r[4], struct ccpu_error *);
/* The recorded entry (a pointer into the struct, valid until it changes), or NULL. */
const struct ccpu_leaf *ccpu_cpu_find(const struct ccpu_cpu *, uint32_t leaf, uint32_t sub);
/*
 * What CPUID(leaf, sub) reads as HotSpot's stub would see it: zeros when the
 * leaf lies above the maximum of its range (basic 0, extended 0x80000000,
 * hypervisor 0x40000000) or was not recorded.  Returns whether it was recorded.
 */
bool	ccpu_cpu_query(const struct ccpu_cpu *, uint32_t leaf, uint32_t sub, uint32_t r[4]);
/* One bit, via ccpu_cpu_query. */
bool	ccpu_cpu_bit(const struct ccpu_cpu *, uint32_t leaf, uint32_t sub,
	    enum ccpu_reg reg, unsigned int bit);
/* The highest basic leaf (leaf 0 EAX), 0 when leaf 0 is not recorded. */
uint32_t ccpu_cpu_max_basic(const struct ccpu_cpu *);
/* The highest extended leaf (0x80000000 EAX), 0 when unrecorded or not in range. */
uint32_t ccpu_cpu_max_ext(const struct ccpu_cpu *);

/* Identification decoded from the registers (no libcpuid). */
struct ccpu_ident {
	char		vendor[13];	/* "GenuineIntel" */
	char		brand[49];	/* trimmed brand string, "" if none */
	unsigned int	family;		/* HotSpot rule: base + extended, always */
	unsigned int	model;		/* base | extended << 4, always */
	unsigned int	stepping;
	char		hypervisor[13];	/* leaf 0x40000000 signature when the hv bit is set */
};
/* Fill every field of *out from the registers. */
void	ccpu_cpu_ident(const struct ccpu_cpu *, struct ccpu_ident *out);

/*
 * The core type of one logical CPU of a hybrid part, read from its registers:
 * Intel leaf 0x1A EAX[31:24] when leaf 7 EDX[15] (hybrid) is set, 0x40
 * "performance", 0x20 "efficiency" or, with no L3 in leaf 4, "lp-efficiency";
 * AMD leaf 0x80000026 subleaf 0 EBX[31:28] when EAX[30] (heterogeneous cores)
 * is set at the core level, 0 "performance", 1 "efficiency".  Returns a
 * static string, "" when the CPU is not hybrid or the type is unknown.
 */
const char *ccpu_cpu_core_type(const struct ccpu_cpu *);

/*
 * Per-CPU fields that differ between logical CPUs of one core type (APIC ids,
 * x2APIC ids, AMD node/core ids) are ignored: two CPUs are the same kind when
 * everything else matches.
 */
bool	ccpu_cpu_same_kind(const struct ccpu_cpu *, const struct ccpu_cpu *);
/*
 * The same test on a partial capture: every leaf recorded in sample is
 * recorded in kind with the same registers (per-CPU ids ignored), and XCR0
 * agrees.  Lets a live probe capture a few leaves per extra CPU.
 */
bool	ccpu_cpu_matches(const struct ccpu_cpu *kind, const struct ccpu_cpu *sample);

/*
 * Fill the derived facts a source could not record: when XCR0 is absent, infer
 * it from leaf 0xD.0 (or mark OSXSAVE off) and set missing bits for leaf 7.1,
 * 0xD subleaves, 0x24 and 0x29 according to what the registers announce.
 * Call after loading a dump; a live capture sets these itself.
 */
void	ccpu_cpu_note_missing(struct ccpu_cpu *);
/*
 * The registers of a CPU known by flags, not registers (NFD labels, Linux
 * /proc/cpuinfo), before any feature bit is set: leaf 0 (maximum 0x1f, the
 * 12-byte vendor), leaf 1 (the signature of family, model and stepping,
 * EBX as given), leaf 7 announcing an empty subleaf 1, an empty 0xD.1, and
 * 0x80000000 reaching ext_max with an empty 0x80000001.  Initialises c.
 */
void	ccpu_cpu_synthesize(struct ccpu_cpu *, const char *vendor,
	    unsigned int family, unsigned int model, unsigned int stepping,
	    uint32_t leaf1_ebx, uint32_t ext_max);
/* Set one register bit of (leaf, sub), adding the leaf when it is absent. */
void	ccpu_cpu_set_bit(struct ccpu_cpu *, uint32_t leaf, uint32_t sub,
	    enum ccpu_reg reg, unsigned int bit);
/*
 * XCR0 for a CPU known by flags that a source reports only when the OS
 * enabled their state (NFD's klauspost/cpuid labels, Linux's cpuinfo): x87
 * and SSE, plus AVX, the AVX-512, AMX and APX state for the bits set; taken
 * as recorded.
 */
void	ccpu_cpu_xcr0_from_bits(struct ccpu_cpu *);
/*
 * The name of one CCPU_MISS_* bit, for reports ("leaf7.1",
 * "leaf0xd.subleaves", ...): a static string, NULL for anything else.
 */
const char *ccpu_miss_name(unsigned int bit);

#endif
