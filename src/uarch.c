/*
 * Microarchitecture names: the rows of data/microarch.def, then libcpuid's
 * codename.  The table comes first because libcpuid 0.6.2, the version the
 * project links, names CPUs newer than late 2022 wrongly (Meteor Lake as
 * "Pentium III (Coppermine)", Zen 4 Genoa as "EPYC (Milan)"); libcpuid
 * still names what no row covers.
 */
#include <stdio.h>
#include <string.h>

#include "ccpu/uarch.h"

static const struct uarch_row {
	const char	*vendor;
	unsigned int	 family, model_lo, model_hi;
	int		 step_lo, step_hi;
	const char	*name;
} rows[] = {
#define U(v, f, ml, mh, sl, sh, name, source)	{ v, f, ml, mh, sl, sh, name },
#include "microarch.def"
#undef U
};

void
ccpu_uarch_name(const char *vendor, unsigned int family, unsigned int model,
    int stepping, const char *codename, struct ccpu_uarch *out)
{
	const struct uarch_row	*r;
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r = &rows[i];
		if (strcmp(r->vendor, vendor) != 0 || r->family != family ||
		    model < r->model_lo || model > r->model_hi)
			continue;
		if (stepping < 0 ? r->step_lo > 0 || r->step_hi < 15 :
		    stepping < r->step_lo || stepping > r->step_hi)
			continue;
		snprintf(out->name, sizeof(out->name), "%s", r->name);
		out->from = CCPU_UARCH_TABLE;
		return;
	}
	if (codename != NULL && codename[0] != '\0') {
		snprintf(out->name, sizeof(out->name), "%s", codename);
		out->from = CCPU_UARCH_LIBCPUID;
		return;
	}
	out->name[0] = '\0';
	out->from = CCPU_UARCH_NONE;
}

const char *
ccpu_uarch_from_name(enum ccpu_uarch_from from)
{
	switch (from) {
	case CCPU_UARCH_TABLE:		return "table";
	case CCPU_UARCH_LIBCPUID:	return "libcpuid";
	case CCPU_UARCH_NONE:		break;
	}
	return "none";
}
