/*
 * The aarch64 build has no libcpuid (it has no arm64 build): no codename
 * from it; data/ tables name the CPUs.
 */
#include <stddef.h>

#include "ident.h"

const char *
ident_libcpuid_version(void)
{
	return NULL;
}

void
ident_libcpuid(struct ccpu_profile *p)
{
	(void)p;
}
