/*
 * Microarchitecture names for CPUs ("zen4", "icelake", "sapphirerapids":
 * archspec's names), from a table of vendor, family, model and stepping
 * ranges (data/microarch.def) first, and from libcpuid's identification
 * where the table has no row.  Each answer says which source named it.
 */
#ifndef CCPU_UARCH_H
#define CCPU_UARCH_H

enum ccpu_uarch_from {
	CCPU_UARCH_NONE,	/* neither source names the CPU: name "" */
	CCPU_UARCH_TABLE,	/* a row of data/microarch.def */
	CCPU_UARCH_LIBCPUID,	/* libcpuid's codename (struct ccpu_profile.codename) */
};

struct ccpu_uarch {
	char			name[64];
	enum ccpu_uarch_from	from;
};

/*
 * Name the CPU of vendor string, family and model as struct ccpu_ident
 * gives them.  stepping is -1 when the source does not tell it (NFD
 * labels); rows that cover only some steppings then do not match.
 * codename is libcpuid's name for the CPU, NULL or "" if none.  Fills
 * *out (name "" when nothing names the CPU); cannot fail.
 */
void	ccpu_uarch_name(const char *vendor, unsigned int family,
	    unsigned int model, int stepping, const char *codename,
	    struct ccpu_uarch *out);
/* "table", "libcpuid" or "none" (static strings). */
const char *ccpu_uarch_from_name(enum ccpu_uarch_from);

#endif
