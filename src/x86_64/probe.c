/*
 * Live capture on x86-64: the only file that executes CPUID or XGETBV.  It
 * records every leaf and subleaf that HotSpot, glibc and the kernel read
 * (basic, extended, hypervisor and Centaur ranges, with the subleaves each
 * leaf announces), XCR0 when the OS enabled XSAVE, once per logical CPU the
 * process may run on, and the OS facts a restore depends on (src/probe_os.c).
 * The Makefile compiles it only for x86-64 (ARCH=x86_64).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "ccpu/probe.h"
#include "probe_impl.h"
#include "xmalloc.h"

#define MAX_SUB		64	/* subleaves per leaf we follow */
#define MAX_RANGE	256	/* leaves per range we follow */

static void
cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	    : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(sub));
}

static uint64_t
xgetbv0(void)
{
	uint32_t	lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static int
rec(struct ccpu_cpu *c, uint32_t leaf, uint32_t sub, uint32_t r[4],
    struct ccpu_error *err)
{
	cpuid(leaf, sub, r);
	return ccpu_cpu_set(c, leaf, sub, r, err);
}

/* Subleaves of one basic or extended leaf, by the rule that leaf follows. */
static int
capture_leaf(struct ccpu_cpu *c, uint32_t leaf, struct ccpu_error *err)
{
	uint32_t	r[4], r0[4], s, last;
	uint64_t	comps;

	if (rec(c, leaf, 0, r0, err) == -1)
		return -1;
	switch (leaf) {
	case 0x4:		/* deterministic cache parameters: until type 0 */
	case 0x8000001du:
		if ((r0[CCPU_EAX] & 0x1f) == 0)
			break;
		for (s = 1; s < MAX_SUB; s++) {
			if (rec(c, leaf, s, r, err) == -1)
				return -1;
			if ((r[CCPU_EAX] & 0x1f) == 0)
				break;
		}
		break;
	case 0xb:		/* topology: until level type 0, inclusive */
	case 0x1f:
	case 0x80000026u:
		if (((r0[CCPU_ECX] >> 8) & 0xff) == 0)
			break;
		for (s = 1; s < MAX_SUB; s++) {
			if (rec(c, leaf, s, r, err) == -1)
				return -1;
			if (((r[CCPU_ECX] >> 8) & 0xff) == 0)
				break;
		}
		break;
	case 0x7:		/* EAX of subleaf 0 is the last subleaf */
	case 0x14:
	case 0x17:
	case 0x18:
	case 0x1d:
	case 0x20:
	case 0x23:
	case 0x24:
		last = r0[CCPU_EAX] < MAX_SUB ? r0[CCPU_EAX] : MAX_SUB - 1;
		for (s = 1; s <= last; s++)
			if (rec(c, leaf, s, r, err) == -1)
				return -1;
		break;
	case 0xd:		/* XSAVE: subleaf 1, then one per state component */
		if (rec(c, leaf, 1, r, err) == -1)
			return -1;
		comps = ((uint64_t)r0[CCPU_EDX] << 32 | r0[CCPU_EAX]) |
		    ((uint64_t)r[CCPU_EDX] << 32 | r[CCPU_ECX]);
		for (s = 2; s < 63; s++)
			if ((comps >> s) & 1 && rec(c, leaf, s, r, err) == -1)
				return -1;
		break;
	case 0xf:		/* RDT monitoring */
		if (rec(c, leaf, 1, r, err) == -1)
			return -1;
		break;
	case 0x10:		/* RDT allocation: resource ids 1..3 */
	case 0x80000020u:
		for (s = 1; s <= 3; s++)
			if ((r0[CCPU_EBX] >> s) & 1 && rec(c, leaf, s, r, err) == -1)
				return -1;
		break;
	case 0x12:		/* SGX: 1, then EPC sections until type 0 */
		if (rec(c, leaf, 1, r, err) == -1)
			return -1;
		for (s = 2; s < MAX_SUB; s++) {
			if (rec(c, leaf, s, r, err) == -1)
				return -1;
			if ((r[CCPU_EAX] & 0xf) == 0)
				break;
		}
		break;
	default:
		break;
	}
	return 0;
}

static int
capture_range(struct ccpu_cpu *c, uint32_t base, struct ccpu_error *err)
{
	uint32_t	r[4], max, leaf;

	cpuid(base, 0, r);
	max = r[CCPU_EAX];
	if (base != 0 && (max & 0xf0000000u) != base)
		return 0;		/* range not implemented */
	if (max - base >= MAX_RANGE)
		max = base + MAX_RANGE - 1;
	for (leaf = base; leaf <= max; leaf++)
		if (capture_leaf(c, leaf, err) == -1)
			return -1;
	return 0;
}

static const struct jvm_leaf {
	uint32_t	leaf, sub;
} jvm_leaves[] = {
#define X(leaf, sub)	{ leaf, sub },
#include "jvm-leaves.def"
#undef X
};

static void
finish_cpu(struct ccpu_cpu *c)
{
	uint32_t	r[4];

	cpuid(1, 0, r);
	if ((r[CCPU_ECX] >> 27) & 1) {
		c->xcr0 = xgetbv0();
		c->xcr0_source = CCPU_XCR0_XGETBV;
	} else
		c->xcr0_source = CCPU_XCR0_OSXSAVE_OFF;
	snprintf(c->core_type, sizeof(c->core_type), "%s", ccpu_cpu_core_type(c));
	c->nlogical = 1;
	ccpu_cpu_note_missing(c);
}

int
ccpu_probe_cpu_jvm(struct ccpu_cpu *c, struct ccpu_error *err)
{
	uint32_t	l1[4], r[4], max[3] = { 0, 0, 0 }, leaf;
	size_t		i;

	ccpu_cpu_init(c);
	cpuid(1, 0, l1);
	for (i = 0; i < sizeof(jvm_leaves) / sizeof(jvm_leaves[0]); i++) {
		leaf = jvm_leaves[i].leaf;
		if (leaf == 0x40000000u && !((l1[CCPU_ECX] >> 31) & 1))
			continue;	/* no hypervisor: the range is not there */
		if ((leaf & 0x0fffffffu) != 0 && leaf > max[leaf >> 30])
			continue;	/* above the range's maximum */
		if (rec(c, leaf, jvm_leaves[i].sub, r, err) == -1)
			return -1;
		if ((leaf & 0x0fffffffu) == 0)
			max[leaf >> 30] = r[CCPU_EAX];
	}
	finish_cpu(c);
	/* The hypervisor range is cut to its first leaf on purpose. */
	c->missing &= ~CCPU_MISS_HYPERVISOR;
	return 0;
}

int
ccpu_probe_cpu(struct ccpu_cpu *c, struct ccpu_error *err)
{
	uint32_t	r[4];

	ccpu_cpu_init(c);
	if (capture_range(c, 0, err) == -1 ||
	    capture_range(c, 0x80000000u, err) == -1)
		return -1;
	cpuid(1, 0, r);
	if ((r[CCPU_ECX] >> 31) & 1 &&
	    capture_range(c, 0x40000000u, err) == -1)
		return -1;
	cpuid(0, 0, r);
	if ((r[CCPU_EBX] == 0x746e6543u || r[CCPU_EBX] == 0x68532020u) &&
	    capture_range(c, 0xc0000000u, err) == -1)
		return -1;
	finish_cpu(c);
	return 0;
}

/*
 * Where the system glibc is, for ccpu_probe_glibc: the dynamic loader
 * first, the x86-64 ABI's fixed path, of the same glibc build and a tenth
 * the size of libc.so.6 to scan.
 */
const char *const probe_libc_paths[] = {
	"/lib64/ld-linux-x86-64.so.2",
	"/lib/x86_64-linux-gnu/libc.so.6", "/lib64/libc.so.6",
	"/usr/lib64/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6",
	"/lib/libc.so.6", "/usr/lib/libc.so.6", NULL,
};

/* Fold one CPU into a profile (capture and group); 0 or -1. */
typedef int fold_fn(struct ccpu_profile *, struct ccpu_cpu *, struct ccpu_error *);

/*
 * A full capture for the first CPU of each kind; for the others only the
 * leaves that tell kinds apart (the JVM's leaves and the cache leaf 4),
 * which saves most of the CPUID exits a hypervisor charges for.
 */
static int
fold_full(struct ccpu_profile *p, struct ccpu_cpu *c, struct ccpu_error *err)
{
	unsigned int	i;

	if (p->ntypes > 0) {
		if (ccpu_probe_cpu_jvm(c, err) == -1 ||
		    (ccpu_cpu_max_basic(c) >= 4 && capture_leaf(c, 4, err) == -1))
			return -1;
		for (i = 0; i < p->ntypes; i++)
			if (ccpu_cpu_matches(&p->types[i], c)) {
				p->types[i].nlogical++;
				return 0;
			}
	}
	if (ccpu_probe_cpu(c, err) == -1)
		return -1;
	return ccpu_profile_add_cpu(p, c, err);
}

static int
fold_jvm(struct ccpu_profile *p, struct ccpu_cpu *c, struct ccpu_error *err)
{
	if (ccpu_probe_cpu_jvm(c, err) == -1)
		return -1;
	return ccpu_profile_add_cpu(p, c, err);
}

/*
 * Fold every CPU of the affinity mask into p, then put the thread's
 * affinity back.
 */
static int
each_cpu(struct ccpu_profile *p, fold_fn *fold, struct ccpu_error *err)
{
	struct ccpu_cpu	*c = xmalloc(sizeof(*c));
	cpu_set_t	 orig, one;
	int		 cpu, rc = -1, pinned = 0;

	if (sched_getaffinity(0, sizeof(orig), &orig) == -1) {
		/* No affinity control (seccomp, odd kernels): this CPU only. */
		rc = fold(p, c, err);
		free(c);
		return rc;
	}
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &orig))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) == -1)
			continue;	/* went offline meanwhile */
		pinned = 1;
		if (fold(p, c, err) == -1)
			goto restore;
	}
	if (p->ntypes == 0 && fold(p, c, err) == -1)
		goto restore;
	rc = 0;
restore:
	if (pinned && sched_setaffinity(0, sizeof(orig), &orig) == -1 && rc == 0)
		rc = ccpu_error_set(err, CCPU_ESYS,
		    "cannot restore CPU affinity: %s", strerror(errno));
	free(c);
	return rc;
}

int
ccpu_probe_host(struct ccpu_profile *out, struct ccpu_error *err)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	int			 rc;

	probe_os_facts(p, true, true);
	if ((rc = each_cpu(p, fold_full, err)) == 0) {
		ccpu_profile_identify(p);
		ccpu_profile_copy(out, p);
	}
	ccpu_profile_free(p);
	return rc;
}

int
ccpu_probe_gate(struct ccpu_profile *out, struct ccpu_error *err)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_cpu		*c = &p->types[0];
	int			 rc = -1;

	probe_os_facts(p, false, false);
	if (ccpu_probe_cpu_jvm(c, err) == -1)
		goto out;
	if (c->core_type[0] != '\0' || ccpu_cpu_bit(c, 7, 0, CCPU_EDX, 15)) {
		ccpu_cpu_init(c);
		if (each_cpu(p, fold_jvm, err) == -1)
			goto out;
	} else
		p->ntypes = 1;
	ccpu_profile_copy(out, p);
	rc = 0;
out:
	ccpu_profile_free(p);
	return rc;
}
