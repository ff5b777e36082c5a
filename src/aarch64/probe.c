/*
 * Live capture on aarch64 (the Makefile compiles this file for
 * ARCH=aarch64 instead of src/x86_64/probe.c).  There is no CPUID here: a
 * CPU is known by the HWCAP words the kernel passes and its MIDR_EL1.
 */
#include <stddef.h>

#include "ccpu/probe.h"
#include "probe_impl.h"

/* Where the system glibc is: the aarch64 ABI's loader first. */
const char *const probe_libc_paths[] = {
	"/lib/ld-linux-aarch64.so.1",
	"/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6",
	"/usr/lib64/libc.so.6", "/usr/lib/aarch64-linux-gnu/libc.so.6",
	"/lib/libc.so.6", "/usr/lib/libc.so.6", NULL,
};

static int
no_cpuid(struct ccpu_error *err)
{
	return ccpu_error_set(err, CCPU_ESYS,
	    "this is an aarch64 build: probing an aarch64 CPU is not "
	    "implemented yet");
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
	(void)out;
	return no_cpuid(err);
}

int
ccpu_probe_gate(struct ccpu_profile *out, struct ccpu_error *err)
{
	(void)out;
	return no_cpuid(err);
}
