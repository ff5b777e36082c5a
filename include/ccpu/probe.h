/*
 * Live capture: the only module that executes CPUID or XGETBV.  x86-64
 * only.  The calls fail only when a capture would not fit its struct
 * (CCPU_EINPUT: more leaves or core types than it holds) or the thread's
 * CPU affinity cannot be put back (CCPU_ESYS).
 */
#ifndef CCPU_PROBE_H
#define CCPU_PROBE_H

#include <stddef.h>

#include "ccpu/cpuid.h"
#include "ccpu/error.h"
#include "ccpu/profile.h"

/* Capture the CPU the calling thread runs on now into c (reinitialised). */
int	ccpu_probe_cpu(struct ccpu_cpu *c, struct ccpu_error *);
/*
 * Capture every logical CPU the process may run on (its affinity mask), group
 * identical core types, read the OS facts, and restore the thread's affinity.
 * Fills *out only on success (the used part, as ccpu_profile_copy).
 */
int	ccpu_probe_host(struct ccpu_profile *out, struct ccpu_error *);

/*
 * The restore gate's capture: only the leaves a JVM reads at start-up
 * (data/jvm-leaves.def) and XCR0, on the CPU the thread runs on, or on every
 * CPU when the host is hybrid (a JVM may start on any core type); the kernel
 * version, no glibc version (ccpu_probe_glibc), no libcpuid identification.
 * Fills *out only on success.
 */
int	ccpu_probe_gate(struct ccpu_profile *out, struct ccpu_error *);
/*
 * The system glibc's version ("2.36"), the one a JVM started here uses, in
 * buf (size bytes); "" when there is none (musl) or it cannot be read.  The gate's
 * capture leaves it out (it costs a look at the dynamic loader): a check calls this
 * when it has a checkpoint host's version to compare with.
 */
void	ccpu_probe_glibc(char *buf, size_t size);
/* One CPU, JVM leaves only, into c (reinitialised). */
int	ccpu_probe_cpu_jvm(struct ccpu_cpu *c, struct ccpu_error *);

#endif
