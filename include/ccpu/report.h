/*
 * Human-readable renderings.  Each returns a malloc'ed, NUL-terminated text
 * ending in a newline; the caller frees it.
 */
#ifndef CCPU_REPORT_H
#define CCPU_REPORT_H

#include "ccpu/profile.h"

/*
 * Vendor, brand, family/model/stepping, core types, hypervisor, x86-64
 * level, OS facts and the inputs the source lacked.  Never NULL.
 */
char	*ccpu_report_profile(const struct ccpu_profile *);

#endif
