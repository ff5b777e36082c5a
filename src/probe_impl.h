/*
 * Inside the live capture: what src/probe_os.c shares with the architecture's
 * capture (src/<arch>/probe.c).
 */
#ifndef CCPU_PROBE_IMPL_H
#define CCPU_PROBE_IMPL_H

#include <stdbool.h>

#include "ccpu/profile.h"

/*
 * Kernel, glibc (with_glibc), host name and (with_time) the capture time
 * into p, and its source "live".
 */
void	probe_os_facts(struct ccpu_profile *p, bool with_time, bool with_glibc);
/* The architecture's glibc files, loader first; NULL-terminated. */
extern const char *const probe_libc_paths[];

#endif
