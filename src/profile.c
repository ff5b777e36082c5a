/*
 * Host profiles in memory: allocation, grouping logical CPUs into core types,
 * and identification (codename only: vendor, family, model and features are
 * decoded by our own code from the registers).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/profile.h"
#include "ident.h"
#include "xmalloc.h"

/*
 * The host facts are zeroed and every core type emptied; the leaf tables,
 * most of the struct, are not touched (nothing reads past nleaves), so a
 * profile of one small core type costs a few pages, not 100 KiB of memset.
 */
struct ccpu_profile *
ccpu_profile_new(void)
{
	struct ccpu_profile	*p = xmalloc(sizeof(*p));
	unsigned int		 i;

	memset(p, 0, offsetof(struct ccpu_profile, types));
	for (i = 0; i < CCPU_MAX_TYPES; i++)
		ccpu_cpu_init(&p->types[i]);
	return p;
}

void
ccpu_profile_free(struct ccpu_profile *p)
{
	free(p);
}

void
ccpu_profile_copy(struct ccpu_profile *dst, const struct ccpu_profile *src)
{
	unsigned int	i;

	memcpy(dst, src, offsetof(struct ccpu_profile, types));
	for (i = 0; i < src->ntypes; i++)
		ccpu_cpu_copy(&dst->types[i], &src->types[i]);
}

bool
ccpu_profile_is_a64(const struct ccpu_profile *p)
{
	return strcmp(p->arch, "aarch64") == 0;
}

const char *
ccpu_profile_arch(const struct ccpu_profile *p)
{
	return ccpu_profile_is_a64(p) ? "aarch64" : "x86_64";
}

bool
ccpu_profile_hybrid(const struct ccpu_profile *p)
{
	unsigned int	i;

	if (ccpu_profile_is_a64(p))
		return p->a64.ncores > 1;

	if (p->ntypes > 1)
		return true;
	for (i = 0; i < p->ntypes; i++)
		if (ccpu_cpu_bit(&p->types[i], 7, 0, CCPU_EDX, 15))
			return true;
	return false;
}

unsigned int
ccpu_profile_missing(const struct ccpu_profile *p)
{
	unsigned int	i, m = 0;

	for (i = 0; i < p->ntypes; i++)
		m |= p->types[i].missing;
	return m;
}

int
ccpu_profile_add_cpu(struct ccpu_profile *p, const struct ccpu_cpu *c,
    struct ccpu_error *err)
{
	unsigned int	i, n = c->nlogical == 0 ? 1 : c->nlogical;

	for (i = 0; i < p->ntypes; i++)
		if (ccpu_cpu_same_kind(&p->types[i], c)) {
			p->types[i].nlogical += n;
			return 0;
		}
	if (p->ntypes == CCPU_MAX_TYPES)
		return ccpu_error_set(err, CCPU_EINPUT,
		    "more than %d different core types", CCPU_MAX_TYPES);
	ccpu_cpu_copy(&p->types[p->ntypes], c);
	p->types[p->ntypes].nlogical = n;
	p->ntypes++;
	return 0;
}

/*
 * The CPU's name: on aarch64 the MIDR table's name of the first core type
 * (data/a64-midr.def), in every build; libcpuid's codename of an x86-64
 * CPU, in a build with libcpuid (src/x86_64/ident.c).
 */
void
ccpu_profile_identify(struct ccpu_profile *p)
{
	p->codename[0] = '\0';
	if (ccpu_profile_is_a64(p)) {
		if (p->a64.ncores > 0 && ccpu_a64_midr_name(p->a64.cores[0].midr,
		    p->codename, sizeof(p->codename), NULL))
			return;
		p->codename[0] = '\0';
		return;
	}
	ident_libcpuid(p);
}
