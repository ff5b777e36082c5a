/*
 * Host profiles: one machine's CPUID register sets (one per core type) and
 * OS facts, captured live (probe.h) or read from a dump file, and their JSON
 * form ("schema": "ccpu-profile/1", docs/profile.md); an aarch64 host's
 * HWCAP words and MIDRs instead ("ccpu-profile/2").  The profile keeps raw
 * registers, so a fleet probed today can be re-planned for a JVM layout that
 * does not exist yet.
 */
#ifndef CCPU_PROFILE_H
#define CCPU_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/cpuid.h"
#include "ccpu/error.h"

#define CCPU_PROFILE_SCHEMA	"ccpu-profile/1"	/* x86-64 hosts */
#define CCPU_PROFILE_SCHEMA_2	"ccpu-profile/2"	/* aarch64 hosts */
#define CCPU_MAX_TYPES		8	/* core types per host */
#define CCPU_MAX_INPUT		(16u << 20)	/* dump or profile file size ceiling */

struct ccpu_profile {
	char		hostname[256];
	char		kernel[128];	/* uname release, "" if unknown */
	char		glibc[32];	/* gnu_get_libc_version(), "" if unknown */
	char		captured[32];	/* ISO 8601 UTC, "" if unknown */
	char		source[16];	/* "live", "libcpuid-raw", "cpuid-r", "profile" */
	char		source_file[256];	/* base name of the input file, "" for live */
	char		codename[64];	/* libcpuid 0.6.2's guess, or on aarch64
					   data/a64-midr.def's name; "" if none */
	char		warning[192];	/* how the input was read, "" if cleanly:
					   a dump's lines of unknown fields skipped */
	char		arch[16];	/* "x86_64" ("" reads so) or "aarch64" */
	struct ccpu_a64_cpu a64;	/* aarch64: HWCAP words and core types
					   (ntypes is 0: no CPUID) */
	unsigned int	ntypes;
	struct ccpu_cpu	types[CCPU_MAX_TYPES];	/* types[0] is the boot CPU's kind */
};

/* A new, empty profile, heap-allocated because it is large; never NULL. */
struct ccpu_profile *ccpu_profile_new(void);
/* Free a profile from ccpu_profile_new; NULL is a no-op. */
void	ccpu_profile_free(struct ccpu_profile *);

/*
 * Copy src into dst: the host facts and the used part of each core type
 * (what ntypes and nleaves cover), without touching the rest of either
 * struct, which is most of its 100 KiB.  Whatever dst held past that stays.
 */
void	ccpu_profile_copy(struct ccpu_profile *dst, const struct ccpu_profile *src);

/* True for an aarch64 host (arch "aarch64"): a64 describes it, not types. */
bool	ccpu_profile_is_a64(const struct ccpu_profile *);
/* The host's architecture name: "x86_64" or "aarch64". */
const char *ccpu_profile_arch(const struct ccpu_profile *);
/* True when the host has more than one core type or sets the hybrid CPUID bit. */
bool	ccpu_profile_hybrid(const struct ccpu_profile *);
/* Union of the missing bits of all core types. */
unsigned int ccpu_profile_missing(const struct ccpu_profile *);
/*
 * Add one logical CPU's registers: merged into an existing core type when
 * ccpu_cpu_same_kind() says so (nlogical is incremented), else appended.
 * Returns 0, or -1 (CCPU_EINPUT) when there would be more than
 * CCPU_MAX_TYPES.
 */
int	ccpu_profile_add_cpu(struct ccpu_profile *, const struct ccpu_cpu *,
	    struct ccpu_error *);
/* Fill codename from libcpuid's identification of types[0] (may leave it ""). */
void	ccpu_profile_identify(struct ccpu_profile *);

/* The JSON form: a new reference, caller json_decrefs. */
json_t	*ccpu_profile_to_json(const struct ccpu_profile *);
/*
 * Read the JSON form (borrowed), checking the schema string, every hex
 * width and value range, and duplicate leaves.  Returns 0 and fills *out,
 * or -1 (CCPU_EINPUT) with *out untouched.
 */
int	ccpu_profile_from_json(struct ccpu_profile *out, const json_t *,
	    struct ccpu_error *);

/*
 * Parse a file's bytes, detecting the format: profile JSON, libcpuid raw dump
 * (cpuid_tool --save of any version, single or multi-CPU) or `cpuid -r` (all
 * CPUs or -1).  name is used in messages ("name: line 7: ...").  Returns 0
 * and fills *out, or -1 (CCPU_EINPUT) with *out untouched.  Lines of a raw dump whose field a later libcpuid added
 * are skipped, as libcpuid skips them, and out->warning says so once.
 */
int	ccpu_profile_parse(struct ccpu_profile *out, const char *buf, size_t len,
	    const char *name, struct ccpu_error *);
/*
 * Read a regular file (at most CCPU_MAX_INPUT bytes) and parse it; "-" is
 * standard input.  Returns 0 and fills *out, or -1: CCPU_ESYS when it cannot
 * be opened or read, CCPU_EINPUT for a directory, FIFO or other
 * non-regular file, an oversized file, and whatever ccpu_profile_parse
 * refuses.
 */
int	ccpu_profile_load(struct ccpu_profile *out, const char *path,
	    struct ccpu_error *);
/*
 * Write the JSON (indented, stable key order, trailing newline) atomically:
 * a temporary file renamed over path.  Returns 0, or -1 (CCPU_ESYS).
 */
int	ccpu_profile_save(const struct ccpu_profile *, const char *path,
	    struct ccpu_error *);
/* The JSON text as ccpu_profile_save writes it (malloc'ed, caller frees). */
char	*ccpu_profile_dumps(const struct ccpu_profile *);

#endif
