/*
 * CPU identification by a library of the build's architecture: libcpuid
 * on x86-64 (src/x86_64/ident.c); nothing in a build without it
 * (src/aarch64/ident.c), where the tables of data/ name CPUs alone.
 */
#ifndef CCPU_IDENT_H
#define CCPU_IDENT_H

#include "ccpu/profile.h"

/* libcpuid's version ("0.6.2"), or NULL in a build without libcpuid. */
const char *ident_libcpuid_version(void);
/* libcpuid's codename of p's first core type into p->codename, if any. */
void	ident_libcpuid(struct ccpu_profile *p);

#endif
