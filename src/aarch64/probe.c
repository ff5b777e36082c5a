/*
 * Live capture on aarch64 (the Makefile compiles this file for
 * ARCH=aarch64 instead of src/x86_64/probe.c).  There is no CPUID here: a
 * CPU is what the kernel tells a process, the AT_HWCAP and AT_HWCAP2 words
 * (getauxval, as HotSpot reads them), and the MIDR_EL1 of every CPU the
 * kernel lists: sysfs regs/identification/midr_el1 of each possible CPU,
 * else the CPU fields of /proc/cpuinfo (what HotSpot reads, and all a
 * container without sysfs has).  The OS facts are src/probe_os.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>

#include "ccpu/probe.h"
#include "probe_impl.h"
#include "xmalloc.h"

#define MAX_CPUS	4096	/* cpuN directories looked at */
#define CPUINFO_MAX	(4u << 20)

/* Where the system glibc is: the aarch64 ABI's loader first. */
const char *const probe_libc_paths[] = {
	"/lib/ld-linux-aarch64.so.1",
	"/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6",
	"/usr/lib64/libc.so.6", "/usr/lib/aarch64-linux-gnu/libc.so.6",
	"/lib/libc.so.6", "/usr/lib/libc.so.6", NULL,
};

/* A small file's text, NUL-terminated, in buf; its length or -1. */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	ssize_t	n;
	size_t	off = 0;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (off + 1 < size &&
	    (n = read(fd, buf + off, size - 1 - off)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	return (ssize_t)off;
}

/* Every CPU's MIDR from sysfs: 0 when there was one, -1 when none. */
static int
midrs_sysfs(struct ccpu_a64_cpu *c, struct ccpu_error *err)
{
	char		path[96], buf[64], *end;
	unsigned long	v;
	int		cpu, found = 0, misses = 0;

	for (cpu = 0; cpu < MAX_CPUS && misses < 64; cpu++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/"
		    "regs/identification/midr_el1", cpu);
		if (read_small(path, buf, sizeof(buf)) <= 0) {
			misses++;	/* offline, or holes in the numbering */
			continue;
		}
		misses = 0;
		errno = 0;
		v = strtoul(buf, &end, 0);
		if (errno != 0 || end == buf)
			continue;
		if (ccpu_a64_add_core(c, (uint32_t)v, err) == -1)
			return -1;
		found = 1;
	}
	return found ? 0 : 1;
}

/* The MIDRs of /proc/cpuinfo's processor blocks (none under qemu-user on x86). */
static int
midrs_cpuinfo(struct ccpu_a64_cpu *c, struct ccpu_error *err)
{
	struct ccpu_a64_cpu	 info;
	char			*buf = xmalloc(CPUINFO_MAX);
	ssize_t			 n;
	int			 rc = 0;

	n = read_small("/proc/cpuinfo", buf, CPUINFO_MAX);
	if (n > 0 && ccpu_a64_cpuinfo_is(buf, (size_t)n) &&
	    ccpu_a64_cpuinfo_parse(buf, (size_t)n, &info, NULL, 0, err) == 0) {
		c->ncores = info.ncores;
		memcpy(c->cores, info.cores, sizeof(c->cores));
	} else if (n > 0 && ccpu_a64_cpuinfo_is(buf, (size_t)n))
		rc = -1;
	free(buf);
	return rc;
}

static int
capture(struct ccpu_profile *p, struct ccpu_error *err)
{
	int	rc;

	snprintf(p->arch, sizeof(p->arch), "aarch64");
	memset(&p->a64, 0, sizeof(p->a64));
	p->a64.hwcap = getauxval(AT_HWCAP);
	p->a64.hwcap2 = getauxval(AT_HWCAP2);
	if ((rc = midrs_sysfs(&p->a64, err)) == -1)
		return -1;
	if (rc == 1) {
		memset(p->a64.cores, 0, sizeof(p->a64.cores));
		p->a64.ncores = 0;
		if (midrs_cpuinfo(&p->a64, err) == -1)
			return -1;
	}
	p->ntypes = 0;
	return 0;
}

static int
no_cpuid(struct ccpu_error *err)
{
	return ccpu_error_set(err, CCPU_ESYS, "an aarch64 CPU has no CPUID");
}

int
ccpu_probe_cpu(struct ccpu_cpu *c, struct ccpu_error *err)
{
	(void)c;
	return no_cpuid(err);
}

int
ccpu_probe_cpu_jvm(struct ccpu_cpu *c, struct ccpu_error *err)
{
	(void)c;
	return no_cpuid(err);
}

int
ccpu_probe_host(struct ccpu_profile *out, struct ccpu_error *err)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	int			 rc;

	probe_os_facts(p, true, true);
	if ((rc = capture(p, err)) == 0) {
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
	int			 rc;

	probe_os_facts(p, false, false);
	if ((rc = capture(p, err)) == 0)
		ccpu_profile_copy(out, p);
	ccpu_profile_free(p);
	return rc;
}
