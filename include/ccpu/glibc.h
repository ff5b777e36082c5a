/*
 * The glibc side of a checkpoint value.  A CRaC JVM started with
 * -XX:CPUFeatures=V hides from glibc every feature the host has and V lacks
 * (when a tunable can hide it), sets GLIBC_TUNABLES=...glibc.cpu.hwcaps=
 * ,-NAME... and re-executes itself, so that glibc's ifunc choices frozen
 * into the image are ones every restore target can run (glibc_not_using()
 * and glibc_patch() in openjdk/crac src/hotspot/cpu/x86/vm_version_x86.cpp
 * @1383d22fafadc2d1ac5ed54402cac410009e6e58).  This module computes that
 * string from the build host's raw features and the value, with the ISA-level
 * sibling patch: an x86-64 level input no tunable can hide (F16C, SSE3, ...)
 * is dropped by hiding a sibling that can be (MOVBE, SSE4_2, ...).
 * Table: data/glibc-tunables.def.
 *
 * Assumption: the JDK was built against glibc >= 2.33 (CPU_FEATURE_ACTIVE),
 * and the features glibc considers active on the build host are the build
 * host's raw JVM features.  Without CPU_FEATURE_ACTIVE the latest JVMs
 * derive no tunable at all (glibc_not_using() then expects only the
 * features already in use).
 */
#ifndef CCPU_GLIBC_H
#define CCPU_GLIBC_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "ccpu/featset.h"
#include "ccpu/jvm.h"

#define CCPU_GLIBC_PREFIX	":glibc.cpu.hwcaps="
#define CCPU_GLIBC_MAX		512	/* room for the longest GLIBC_TUNABLES value */

struct ccpu_glibc {
	uint64_t		disabled;	/* bit i: tunable i (ccpu_glibc_tunable_name) */
	uint64_t		patched;	/* the subset added by the ISA-level patch */
	const char		*patch_level[64];	/* for each patched tunable: "x86-64-v2", ... */
	struct ccpu_featset	kept;	/* given-up JVM bits no tunable hides: glibc keeps them */
	bool			cet_first;	/* x21: IBT, SHSTK before FMA4, MOVBE, ... */
};

/*
 * Fill *out for a JVM started with value on a host whose raw features are
 * raw.  value should be a subset of raw; bits outside raw are ignored.
 * Cannot fail; out's patch_level strings are static.
 */
void	ccpu_glibc_derive(const struct ccpu_layout *, const struct ccpu_featset *raw,
	    const struct ccpu_featset *value, struct ccpu_glibc *out);
/* The number of tunables in the table. */
unsigned int ccpu_glibc_ntunables(void);
/* The name of tunable i ("AVX512F"), a static string; NULL past the end. */
const char *ccpu_glibc_tunable_name(unsigned int i);
/*
 * The GLIBC_TUNABLES value the JVM sets when the variable was unset:
 * ":glibc.cpu.hwcaps=,-AVX512F,-AVX512CD" in the JVM's order, or "" when
 * nothing is disabled (then the JVM does not re-execute).  Written into
 * buf (size bytes, cut to fit; CCPU_GLIBC_MAX holds any value).
 */
void	ccpu_glibc_format(const struct ccpu_glibc *, char *buf, size_t size);
/*
 * Merge into an existing GLIBC_TUNABLES value as the JVM does
 * (glibc_patch()): appended when glibc.cpu.hwcaps is absent, else its list
 * is extended in place.  existing may be NULL (unset).  When nothing is
 * disabled the result is existing unchanged ("" for NULL): the JVM leaves
 * it alone.  Written into buf (size bytes, cut to fit).
 */
void	ccpu_glibc_merge(const struct ccpu_glibc *, const char *existing,
	    char *buf, size_t size);

#endif
