/*
 * Host profiles in memory: allocation, grouping logical CPUs into core types,
 * and identification through libcpuid (codename only: vendor, family, model
 * and features are decoded by our own code from the registers).
 */
#include <stddef.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include <libcpuid.h>

#include "ccpu/profile.h"
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
ccpu_profile_hybrid(const struct ccpu_profile *p)
{
	unsigned int	i;

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

static void
quiet(const char *msg)
{
	(void)msg;
}

/* Copy our registers into libcpuid's fixed arrays. */
static void
fill_raw(const struct ccpu_cpu *c, struct cpu_raw_data_t *raw)
{
	uint32_t	i, r[4];

	memset(raw, 0, sizeof(*raw));
	for (i = 0; i < MAX_CPUID_LEVEL; i++) {
		ccpu_cpu_query(c, i, 0, r);
		memcpy(raw->basic_cpuid[i], r, sizeof(r));
	}
	for (i = 0; i < MAX_EXT_CPUID_LEVEL; i++) {
		ccpu_cpu_query(c, 0x80000000u + i, 0, r);
		memcpy(raw->ext_cpuid[i], r, sizeof(r));
	}
	for (i = 0; i < MAX_INTELFN4_LEVEL; i++) {
		ccpu_cpu_query(c, 4, i, r);
		memcpy(raw->intel_fn4[i], r, sizeof(r));
	}
	for (i = 0; i < MAX_INTELFN11_LEVEL; i++) {
		ccpu_cpu_query(c, 0xb, i, r);
		/*
		 * A level that counts no logical processors is invalid: pass
		 * it as the SDM's invalid level (all zero), since libcpuid
		 * 0.6.2 divides by the SMT level's count (SIGFPE on a dump).
		 */
		if ((r[1] & 0xffff) == 0)
			memset(r, 0, sizeof(r));
		memcpy(raw->intel_fn11[i], r, sizeof(r));
	}
	for (i = 0; i < MAX_INTELFN12H_LEVEL; i++) {
		ccpu_cpu_query(c, 0x12, i, r);
		memcpy(raw->intel_fn12h[i], r, sizeof(r));
	}
	for (i = 0; i < MAX_INTELFN14H_LEVEL; i++) {
		ccpu_cpu_query(c, 0x14, i, r);
		memcpy(raw->intel_fn14h[i], r, sizeof(r));
	}
	for (i = 0; i < MAX_AMDFN8000001DH_LEVEL; i++) {
		ccpu_cpu_query(c, 0x8000001du, i, r);
		memcpy(raw->amd_fn8000001dh[i], r, sizeof(r));
	}
}

#define IDENT_CACHE	16
static _Thread_local struct {
	struct cpu_raw_data_t	raw;
	char			codename[64];
	bool			valid;
} ident_cache[IDENT_CACHE];
static _Thread_local unsigned int ident_next;
static pthread_mutex_t ident_lock = PTHREAD_MUTEX_INITIALIZER;

void
ccpu_profile_identify(struct ccpu_profile *p)
{
	struct cpu_raw_data_t	 raw;
	struct cpu_id_t		*id;
	unsigned int		 i;
	int			 rc;

	p->codename[0] = '\0';
	if (p->ntypes == 0 || ccpu_cpu_find(&p->types[0], 0, 0) == NULL)
		return;
	memset(&raw, 0, sizeof(raw));
	fill_raw(&p->types[0], &raw);
	/*
	 * A fleet repeats a few CPU models many times, and cpu_identify costs
	 * more than parsing the profile (it even opens a sysfs file each
	 * call): the last few answers are kept, keyed by the exact raw data.
	 */
	for (i = 0; i < IDENT_CACHE; i++)
		if (ident_cache[i].valid &&
		    memcmp(&ident_cache[i].raw, &raw, sizeof(raw)) == 0) {
			memcpy(p->codename, ident_cache[i].codename,
			    sizeof(p->codename));
			return;
		}
	id = xmalloc(sizeof(*id));	/* 8 KiB, mostly an affinity mask */
	/* libcpuid keeps global state: one identification at a time. */
	pthread_mutex_lock(&ident_lock);
	cpuid_set_warn_function(quiet);
	rc = cpu_identify(&raw, id);
	pthread_mutex_unlock(&ident_lock);
	if (rc == 0) {
		memcpy(p->codename, id->cpu_codename,
		    strnlen(id->cpu_codename, sizeof(p->codename) - 1));
		p->codename[strnlen(id->cpu_codename, sizeof(p->codename) - 1)] = '\0';
	}
	free(id);
	i = ident_next++ % IDENT_CACHE;
	ident_cache[i].raw = raw;
	memcpy(ident_cache[i].codename, p->codename, sizeof(p->codename));
	ident_cache[i].valid = true;
}
