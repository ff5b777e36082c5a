/*
 * x86-64 psABI micro-architecture levels (x86-64-v1 .. v4): of a CPU from
 * its CPUID registers and XCR0, and of a JVM feature set where the layout
 * can express the requirements, plus what is missing for the next level.
 * The requirements are data/x86-levels.def.  Plain values, no allocation.
 */
#ifndef CCPU_LEVEL_H
#define CCPU_LEVEL_H

#include <stdbool.h>
#include <stddef.h>

#include "ccpu/cpuid.h"
#include "ccpu/featset.h"
#include "ccpu/jvm.h"

#define CCPU_LEVEL_MAX		4
#define CCPU_LEVEL_MISSING	16	/* room for the longest level's list */

struct ccpu_level {
	int		 level;		/* 0 (not x86-64-v1) .. 4 */
	/* psABI names (static strings) missing for level + 1; none at 4. */
	const char	*missing[CCPU_LEVEL_MISSING];
	size_t		 nmissing;
	/*
	 * A requirement of level + 1 could not be checked: XCR0 unknown (CPU),
	 * or a bit in the caller's "unknown" set (JVM).  The level itself
	 * rests on known inputs only.
	 */
	bool		 uncertain;
};

/* "x86-64-v1" .. "x86-64-v4", or "below x86-64-v1" for 0 (static strings). */
const char *ccpu_level_name(int level);
/*
 * The level of one core type.  XCR0 as HotSpot reads it: only when OSXSAVE
 * is set; an absent, uninferable XCR0 makes the AVX levels uncertain.
 * Fills *out and returns the level; cannot fail.
 */
int	ccpu_level_cpu(const struct ccpu_cpu *, struct ccpu_level *out);
/*
 * The level a JVM feature set (a value in layout l) allows: every
 * requirement the layout can name must be in fs; the others are taken as
 * present, and so are baseline (v1) features that l's generic value leaves
 * out (mmx from x26a on: those JVMs no longer track it).  unknown (may be
 * NULL) holds bits whose value is not known.  Fills *out and returns the
 * level; cannot fail.
 */
int	ccpu_level_jvm(const struct ccpu_layout *l, const struct ccpu_featset *fs,
	    const struct ccpu_featset *unknown, struct ccpu_level *out);

#endif
