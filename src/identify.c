/*
 * Which layout a JVM uses, from what it printed on this host: the raw value
 * of "This machine's CPU features are: -XX:CPUFeatures=..." against the raw
 * value every layout derives from this host's CPUID, and (when given) the
 * value "CPU features being used are: ..." printed under
 * -XX:CPUFeatures=generic against every layout's generic.  Pure: the caller
 * runs the JVM and probes the host.
 */
#include <string.h>

#include "ccpu/jvm.h"

/* Equal up to the bits a JVM may or may not show (ht: the core it starts on). */
static bool
same(const struct ccpu_layout *l, const struct ccpu_featset *a,
    const struct ccpu_featset *b, struct ccpu_featset *extra,
    struct ccpu_featset *lacking)
{
	struct ccpu_featset	x, y;

	ccpu_featset_minus(&x, a, ccpu_layout_ignored(l));
	ccpu_featset_minus(&y, b, ccpu_layout_ignored(l));
	ccpu_featset_minus(extra, &x, &y);
	ccpu_featset_minus(lacking, &y, &x);
	return ccpu_featset_empty(extra) && ccpu_featset_empty(lacking);
}

int
ccpu_layout_identify(const struct ccpu_profile *host,
    const struct ccpu_featset *printed, const struct ccpu_featset *generic,
    struct ccpu_identify *out, struct ccpu_error *err)
{
	struct ccpu_identify		 id;
	struct ccpu_identify_row	*row;
	struct ccpu_jvm_features	 jf;
	struct ccpu_featset		 ex, la;
	const struct ccpu_layout	*l;
	size_t				 i;

	memset(&id, 0, sizeof(id));
	for (i = 0; (l = ccpu_layout_at(i)) != NULL &&
	    id.nrows < CCPU_IDENTIFY_MAX; i++) {
		row = &id.rows[id.nrows++];
		row->layout = l;
		if (ccpu_jvm_derive_host(l, host, &jf, err) == -1)
			return -1;
		row->derived = jf.raw;
		(void)same(l, printed, &jf.raw, &row->extra, &row->lacking);
		/* Bits this host's record cannot show never decide. */
		ccpu_featset_minus(&row->lacking, &row->lacking, &jf.unknown);
		ccpu_featset_minus(&row->extra, &row->extra, &jf.unknown);
		row->raw_ok = ccpu_featset_empty(&row->extra) &&
		    ccpu_featset_empty(&row->lacking);
		row->generic_ok = generic == NULL ||
		    same(l, generic, ccpu_layout_generic(l), &ex, &la);
		if (row->raw_ok && row->generic_ok)
			id.nmatch++;
	}
	*out = id;
	return 0;
}
