/*
 * Identification through libcpuid, in the x86-64 build (libcpuid has no
 * arm64 build; the Makefile compiles this file only for ARCH=x86_64 and
 * src/aarch64/ident.c otherwise): the codename of a CPU, from our
 * registers copied into libcpuid's raw data.
 */
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include <libcpuid.h>

#include "ident.h"
#include "xmalloc.h"

const char *
ident_libcpuid_version(void)
{
	return cpuid_lib_version();
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
ident_libcpuid(struct ccpu_profile *p)
{
	struct cpu_raw_data_t	 raw;
	struct cpu_id_t		*id;
	unsigned int		 i;
	int			 rc;

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
