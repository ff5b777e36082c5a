/*
 * Live capture: the only module that executes CPUID or XGETBV.
 */
#ifndef CCPU_PROBE_H
#define CCPU_PROBE_H

#include "ccpu/cpuid.h"
#include "ccpu/error.h"
#include "ccpu/profile.h"

/* Capture the CPU the calling thread runs on now. */
int	ccpu_probe_cpu(struct ccpu_cpu *, struct ccpu_error *);
/*
 * Capture every logical CPU the process may run on (its affinity mask), group
 * identical core types, read the OS facts, and restore the thread's affinity.
 * Fills *out only on success.
 */
int	ccpu_probe_host(struct ccpu_profile *out, struct ccpu_error *);

#endif
