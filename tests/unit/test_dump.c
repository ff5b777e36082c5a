/*
 * Offline dumps: every recorded CPU in tests/fixtures/cpuid loads, the
 * libcpuid raw and cpuid -r forms of one CPU agree register for register,
 * hybrid parts split into their core types, leaves beyond a range's maximum
 * are dropped, and malformed input of every kind is refused with one line
 * naming file and line, without touching *out.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "ccpu/profile.h"

#define FIXDIR		"tests/fixtures/cpuid"
#define BADDIR		"tests/fixtures/bad"

/*
 * Hybrid parts and the core types their files give, in order.  A .raw file
 * of libcpuid 0.6.2 cannot hold leaf 0x80000026, so AMD core types are
 * nameless there (0.7.0 dumps name them: v07_rows below).  Every
 * other fixture is one nameless, non-hybrid core type.
 */
static const struct hybrid_row {
	const char	*file;
	const char	*types[CCPU_MAX_TYPES];
} hybrids[] = {
	{ "intel-alderlake-s-core-i9-12900k.raw", { "performance", "efficiency" } },
	{ "intel-alderlake-s-core-i9-12900k.cpuid.txt", { "performance", "efficiency" } },
	{ "intel-raptorlake-s-core-i9-14900k.raw", { "performance", "efficiency" } },
	{ "intel-raptorlake-s-core-i9-14900k.cpuid.txt", { "performance", "efficiency" } },
	{ "intel-meteorlake-core-ultra-7-155h.raw",
	    { "performance", "efficiency", "lp-efficiency" } },
	{ "intel-meteorlake-core-ultra-7-155h.cpuid.txt",
	    { "performance", "efficiency", "lp-efficiency" } },
	{ "amd-zen5-strixpoint-ryzen-ai-9-hx-370.raw", { "", "" } },
	{ "amd-zen5-strixpoint-ryzen-ai-9-hx-370.cpuid.txt",
	    { "performance", "efficiency" } },
};

/* Leaves that must (or must not) survive loading: the range rules at work. */
static const struct leaf_row {
	const char	*name;
	const char	*file;
	uint32_t	 leaf, sub;
	bool		 present;
} leaf_rows[] = {
	{ "raw_basic_above_max_dropped", "intel-haswell-ep-xeon-e5-2699-v3.raw", 0x10, 0, false },
	{ "raw_basic_at_max_kept", "intel-haswell-ep-xeon-e5-2699-v3.raw", 0xf, 0, true },
	{ "raw_ext_above_max_dropped", "intel-haswell-ep-xeon-e5-2699-v3.raw", 0x80000009, 0, false },
	{ "raw_fn4_subleaf_kept", "intel-haswell-ep-xeon-e5-2699-v3.raw", 4, 3, true },
	{ "raw_fn4_zero_padding_dropped", "intel-haswell-ep-xeon-e5-2699-v3.raw", 4, 4, false },
	{ "raw_fn11_subleaf_kept", "intel-haswell-ep-xeon-e5-2699-v3.raw", 0xb, 1, true },
	{ "raw_fn11_zero_padding_dropped", "intel-haswell-ep-xeon-e5-2699-v3.raw", 0xb, 2, false },
	{ "raw_fn12h_above_max_dropped", "intel-haswell-ep-xeon-e5-2699-v3.raw", 0x12, 0, false },
	{ "raw_copies_above_max_dropped", "intel-nehalem-ep-xeon-e5520.raw", 0xc, 0, false },
	{ "raw_fn11_above_max_dropped", "intel-qemu-virtual-cpu64-rhel6.raw", 0xb, 1, false },
	{ "raw_amd_fn8000001dh_kept", "amd-zen3-milan-epyc-7763.raw", 0x8000001d, 3, true },
	{ "raw_intel_no_fn8000001dh", "intel-skylake-sp-xeon-gold-6154.raw", 0x8000001d, 0, false },
	{ "cpuidr_leaf7_1_kept", "intel-sapphirerapids-xeon-w9-3475x.cpuid.txt", 7, 1, true },
	{ "cpuidr_xsave_subleaf_kept", "intel-haswell-ep-xeon-e5-2699-v3.cpuid.txt", 0xd, 2, true },
	{ "cpuidr_amd_easter_egg_dropped", "amd-k8-sledgehammer-opteron-248.cpuid.txt", 0x8fffffff, 0, false },
	{ "cpuidr_centaur_range_kept", "zhaoxin-lujiazui-kx-6640ma.cpuid.txt", 0xc0000004, 0, true },
	{ "cpuidr_basic_above_0x1f_kept", "intel-meteorlake-core-ultra-7-155h.cpuid.txt", 0x23, 0, true },
	{ "raw07_fn80000026h_kept", "../libcpuid-0.7/amd-zen5-strixpoint-ryzen-ai-9-hx-370.raw", 0x80000026, 0, true },
	{ "raw07_fn80000026h_subleaf_kept", "../libcpuid-0.7/amd-zen5-strixpoint-ryzen-ai-9-hx-370.raw", 0x80000026, 3, true },
	{ "raw07_fn80000026h_zero_dropped", "../libcpuid-0.7/intel-sapphirerapids-xeon-w9-3475x.raw", 0x80000026, 0, false },
	{ "raw062_no_fn80000026h", "amd-zen5-strixpoint-ryzen-ai-9-hx-370.raw", 0x80000026, 0, false },
};

/*
 * Dumps written by libcpuid 0.7.0 (tests/fixtures/libcpuid-0.7): the 0.6.2
 * dump of the same CPU plus amd_fn80000026h.  They load with the same
 * registers, plus leaf 0x80000026, which names AMD core types.
 */
static const struct v07_row {
	const char	*file;
	const char	*types[CCPU_MAX_TYPES];
	unsigned int	 extra;		/* leaves beyond the 0.6.2 dump's */
} v07_rows[] = {
	{ "amd-zen5-strixpoint-ryzen-ai-9-hx-370.raw",
	    { "performance", "efficiency" }, 4 },
	{ "intel-sapphirerapids-xeon-w9-3475x.raw", { "" }, 0 },
};

/* Malformed text parsed under the name "t"; want is the whole message. */
static const struct bad_row {
	const char	*name;
	const char	*text;
	size_t		 len;		/* 0: strlen(text) */
	const char	*want;
} bad_rows[] = {
	{ "empty", "", 0, "t: empty file" },
	{ "only_white_space", " \n\t\r\n", 0, "t: empty file" },
	{ "nul_byte", "version=0.6.2\nbasic\0_cpuid", 26,
	    "t: line 2: NUL byte at offset 19: not a text file" },
	{ "unknown_format", "hello world\n", 0,
	    "t: unknown format (not a ccpu profile, libcpuid raw dump, cpuid -r output or arm64 /proc/cpuinfo)" },
	{ "binary_garbage", "\x7f" "ELF\x02\x01\x01\xff\xfe", 0,
	    "t: unknown format (not a ccpu profile, libcpuid raw dump, cpuid -r output or arm64 /proc/cpuinfo)" },
	{ "raw_truncated_line",
	    "version=0.6.2\nbasic_cpuid[0]=0000000d 756e6547 6c65", 0,
	    "t: line 2: expected 8 hex digits, got '6c65'" },
	{ "raw_wide_hex",
	    "version=0.6.2\nbasic_cpuid[0]=000000000d 756e6547 6c65746e 49656e69\n", 0,
	    "t: line 2: expected 8 hex digits, got '000000000d'" },
	{ "raw_not_hex",
	    "version=0.6.2\nbasic_cpuid[0]=0000000d xyz 6c65746e 49656e69\n", 0,
	    "t: line 2: expected 8 hex digits, got 'xyz'" },
	{ "raw_three_registers",
	    "version=0.6.2\nbasic_cpuid[0]=0000000d 756e6547 6c65746e\n", 0,
	    "t: line 2: expected 4 registers, got 3" },
	{ "raw_five_registers",
	    "version=0.6.2\nbasic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69 00000000\n", 0,
	    "t: line 2: unexpected '00000000' after 4 registers" },
	{ "raw_index_out_of_range",
	    "version=0.6.2\nbasic_cpuid[32]=00000000 00000000 00000000 00000000\n", 0,
	    "t: line 2: index 32 out of range (basic_cpuid has 32 entries)" },
	{ "raw_fn4_index_out_of_range",
	    "version=0.6.2\nintel_fn4[8]=00000000 00000000 00000000 00000000\n", 0,
	    "t: line 2: index 8 out of range (intel_fn4 has 8 entries)" },
	{ "raw_huge_index",
	    "version=0.6.2\nbasic_cpuid[99999999999]=00000000 00000000 00000000 00000000\n", 0,
	    "t: line 2: expected 'basic_cpuid[index]=', got 'basic_cpuid[99999999999]...'" },
	{ "raw_only_unknown_fields",
	    "version=0.6.2\narm_midr=0000000000000000\n", 0,
	    "t: no registers" },
	{ "raw_field_not_a_name",
	    "version=0.6.2\nbasic-cpuid[0]=00000000 756e6547 6c65746e 49656e69\n", 0,
	    "t: line 2: expected 'field[index]=', got 'basic-cpuid[0]=00000000'" },
	{ "raw_field_without_index_or_value",
	    "version=0.7.0\nbasic_cpuid\n", 0,
	    "t: line 2: expected 'field[index]=', got 'basic_cpuid'" },
	{ "raw_known_field_still_strict",
	    "version=0.7.0\namd_fn80000026h[4]=00000000 00000000 00000000 00000000\n", 0,
	    "t: line 2: index 4 out of range (amd_fn80000026h has 4 entries)" },
	{ "raw_duplicate",
	    "version=0.6.2\nbasic_cpuid[0]=00000000 756e6547 6c65746e 49656e69\n"
	    "basic_cpuid[0]=00000000 756e6547 6c65746e 49656e69\n", 0,
	    "t: line 3: duplicate basic_cpuid[0] (first on line 2)" },
	{ "raw_missing_leaf_within_max",
	    "version=0.6.2\nbasic_cpuid[0]=00000002 756e6547 6c65746e 49656e69\n"
	    "basic_cpuid[2]=00000000 00000000 00000000 00000000\n"
	    "ext_cpuid[0]=00000000 00000000 00000000 00000000\n", 0,
	    "t: missing basic_cpuid[1] (leaf 0x1 is within the maximum 0x2)" },
	{ "raw_missing_ext",
	    "version=0.6.2\nbasic_cpuid[0]=00000000 756e6547 6c65746e 49656e69\n", 0,
	    "t: missing ext_cpuid[0]" },
	{ "raw_fn4_disagrees",
	    "version=0.6.2\nbasic_cpuid[0]=00000004 756e6547 6c65746e 49656e69\n"
	    "basic_cpuid[1]=00000000 00000000 00000000 00000000\n"
	    "basic_cpuid[2]=00000000 00000000 00000000 00000000\n"
	    "basic_cpuid[3]=00000000 00000000 00000000 00000000\n"
	    "basic_cpuid[4]=1c004121 01c0003f 0000003f 00000000\n"
	    "ext_cpuid[0]=00000000 00000000 00000000 00000000\n"
	    "intel_fn4[0]=1c004122 01c0003f 0000003f 00000000\n", 0,
	    "t: line 8: intel_fn4[0] disagrees with basic_cpuid[4] (both are leaf 0x4)" },
	{ "raw_version_late",
	    "basic_cpuid[0]=00000000 756e6547 6c65746e 49656e69\nversion=0.6.2\n", 0,
	    "t: line 2: 'version=' after the first line" },
	{ "raw_header_out_of_order",
	    "version=0.6.2\n\n_________________ Logical CPU #1 _________________\n", 0,
	    "t: line 3: logical CPU #1 out of order, expected #0" },
	{ "raw_header_malformed",
	    "version=0.6.2\n\n_________________ Logical CPU #0 ____\n", 0,
	    "t: line 3: malformed logical CPU header" },
	{ "raw_header_after_data",
	    "version=0.6.2\nbasic_cpuid[0]=00000000 756e6547 6c65746e 49656e69\n"
	    "_________________ Logical CPU #0 _________________\n", 0,
	    "t: line 3: logical CPU header after register lines" },
	{ "raw_empty_block",
	    "version=0.6.2\n_________________ Logical CPU #0 _________________\n"
	    "_________________ Logical CPU #1 _________________\n", 0,
	    "t: line 3: logical CPU #0 has no registers" },
	{ "raw_empty_last_block",
	    "version=0.6.2\n_________________ Logical CPU #0 _________________\n", 0,
	    "t: logical CPU #0 has no registers" },
	{ "raw_no_registers", "version=0.6.2\n", 0, "t: no registers" },
	{ "raw_garbage_line",
	    "version=0.6.2\n#include <stdio.h>\n", 0, "t: line 2: unexpected '#include'" },
	{ "cpuidr_short_leaf",
	    "CPU 0:\n   0x0000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n", 0,
	    "t: line 2: expected a leaf as 0x and 8 hex digits, got '0x0000000'" },
	{ "cpuidr_wide_subleaf",
	    "CPU 0:\n   0x00000000 0x123456789: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n", 0,
	    "t: line 2: expected a subleaf as 0x and 2 to 8 hex digits and ':', got '0x123456789:'" },
	{ "cpuidr_short_register",
	    "CPU 0:\n   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65 edx=0x49656e69\n", 0,
	    "t: line 2: expected 8 hex digits, got '6c65'" },
	{ "cpuidr_truncated_line",
	    "CPU 0:\n   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c", 0,
	    "t: line 2: expected 8 hex digits, got '6c'" },
	{ "cpuidr_missing_register",
	    "CPU 0:\n   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e\n", 0,
	    "t: line 2: expected 'edx=0x', got ''" },
	{ "cpuidr_duplicate_leaf",
	    "CPU 0:\n   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
	    "   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n", 0,
	    "t: line 3: duplicate leaf 0x0 subleaf 0x0" },
	{ "cpuidr_cpu_out_of_order",
	    "CPU 1:\n   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
	    "CPU 1:\n   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n", 0,
	    "t: line 3: CPU 1 out of order (after CPU 1)" },
	{ "cpuidr_cpu_number_too_big",
	    "CPU 99999999999:\n", 0, "t: line 1: malformed CPU header" },
	{ "cpuidr_bare_then_numbered",
	    "CPU:\n   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
	    "CPU 1:\n", 0,
	    "t: line 3: 'CPU:' block mixed with other CPU blocks" },
	{ "cpuidr_header_after_leaves",
	    "   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
	    "CPU 0:\n", 0, "t: line 2: CPU header after leaf lines" },
	{ "cpuidr_empty_block",
	    "CPU 0:\nCPU 1:\n   0x00000000 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n", 0,
	    "t: line 1: CPU 0: no leaves" },
	{ "cpuidr_no_leaf_0",
	    "CPU 0:\n   0x00000001 0x00: eax=0x00000000 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n", 0,
	    "t: CPU 0: no leaf 0x0" },
	{ "cpuidr_garbage_line",
	    "CPU 0:\n   eax=0x00000000\n", 0, "t: line 2: unexpected 'eax=0x00000000'" },
	{ "json_syntax",
	    "{\n  \"schema\": \"ccpu-profile/1\",\n  oops\n}\n", 0,
	    "t: line 3: string or '}' expected near 'oops'" },
	{ "json_wrong_schema",
	    "{\"schema\": \"ccpu-profile/3\"}\n", 0,
	    "t: unsupported schema 'ccpu-profile/3'" },
	{ "json_duplicate_key",
	    "{\"schema\": \"ccpu-profile/1\", \"schema\": \"ccpu-profile/1\"}\n", 0,
	    "t: line 1: duplicate object key near '\"schema\"'" },
};

static char	tmpdir[] = "/tmp/ccpu-test-dump-XXXXXX";

static struct ccpu_profile *
load(const char *file)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;
	char			 path[512];

	snprintf(path, sizeof(path), "%s/%s", FIXDIR, file);
	if (ccpu_profile_load(p, path, &e) == -1)
		fail_msg("%s", e.msg);
	return p;
}

static const struct hybrid_row *
hybrid(const char *file)
{
	size_t	i;

	for (i = 0; i < nitems(hybrids); i++)
		if (strcmp(hybrids[i].file, file) == 0)
			return &hybrids[i];
	return NULL;
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Each fixture loads with its source, its core types, nothing beyond range. */
static void
test_dump_fixture_loads(void **state)
{
	const char		*file = *state;
	const struct hybrid_row	*h = hybrid(file);
	struct ccpu_profile	*p = load(file);
	const struct ccpu_cpu	*c;
	uint32_t		 r[4];
	unsigned int		 i, want = 1;
	size_t			 k;

	assert_string_equal(p->source, has_suffix(file, ".raw") ?
	    "libcpuid-raw" : "cpuid-r");
	assert_string_equal(p->source_file, file);
	if (h != NULL)
		for (want = 0; want < CCPU_MAX_TYPES && h->types[want] != NULL;
		    want++)
			;
	assert_int_equal(p->ntypes, want);
	assert_int_equal(ccpu_profile_hybrid(p), h != NULL);
	for (i = 0; i < p->ntypes; i++) {
		c = &p->types[i];
		assert_string_equal(c->core_type, h != NULL ? h->types[i] : "");
		assert_int_equal(c->nlogical, 1);
		assert_non_null(ccpu_cpu_find(c, 0, 0));
		assert_int_not_equal(c->xcr0_source, CCPU_XCR0_XGETBV);
		for (k = 0; k < c->nleaves; k++)
			assert_true(ccpu_cpu_query(c, c->leaves[k].leaf,
			    c->leaves[k].sub, r));
	}
	ccpu_profile_free(p);
}

/* The two formats of one CPU agree on every register both hold. */
static void
test_dump_formats_agree(void **state)
{
	const char		*file = *state;
	char			 raw[256];
	struct ccpu_profile	*t, *p;
	const struct ccpu_leaf	*a, *b;
	unsigned int		 i;
	size_t			 k, both = 0;

	snprintf(raw, sizeof(raw), "%.*s.raw",
	    (int)(strlen(file) - strlen(".cpuid.txt")), file);
	t = load(file);
	p = load(raw);
	assert_int_equal(p->ntypes, t->ntypes);
	for (i = 0; i < p->ntypes; i++) {
		if (p->types[i].core_type[0] != '\0')
			assert_string_equal(p->types[i].core_type,
			    t->types[i].core_type);
		for (k = 0; k < p->types[i].nleaves; k++) {
			a = &p->types[i].leaves[k];
			if ((b = ccpu_cpu_find(&t->types[i], a->leaf,
			    a->sub)) == NULL)
				continue;
			both++;
			if (memcmp(a->r, b->r, sizeof(a->r)) != 0)
				fail_msg("leaf 0x%x subleaf 0x%x differs",
				    a->leaf, a->sub);
		}
	}
	assert_true(both >= 8);
	assert_string_equal(p->codename, t->codename);
	ccpu_profile_free(t);
	ccpu_profile_free(p);
}

static void
test_dump_leaf_rule(void **state)
{
	const struct leaf_row	*row = *state;
	struct ccpu_profile	*p = load(row->file);

	assert_int_equal(ccpu_cpu_find(&p->types[0], row->leaf,
	    row->sub) != NULL, row->present);
	ccpu_profile_free(p);
}

static void
expect_parse_error(const char *text, size_t len, const char *want)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;

	memset(p, 0xa5, sizeof(*p));
	assert_int_equal(ccpu_profile_parse(p, text, len, "t", &e), -1);
	assert_int_equal(e.status, CCPU_EINPUT);
	assert_string_equal(e.msg, want);
	assert_int_equal((unsigned char)p->hostname[0], 0xa5);
	assert_int_equal(p->ntypes, 0xa5a5a5a5u);
	ccpu_profile_free(p);
}

static void
test_dump_bad_input(void **state)
{
	const struct bad_row	*row = *state;

	expect_parse_error(row->text, row->len ? row->len : strlen(row->text),
	    row->want);
}

/* Generated inputs that break a maximum. */
static char *
cpuidr_lines(unsigned int ncpus, unsigned int nsub, bool vary)
{
	size_t		 size = (size_t)ncpus * (nsub + 3) * 96 + 1, n = 0;
	char		*s = malloc(size);
	unsigned int	 i, j;

	assert_non_null(s);
	for (i = 0; i < ncpus; i++) {
		/* Complete: leaves 0 and 1 (the maximum) and 0x80000000. */
		n += (size_t)snprintf(s + n, size - n, "CPU %u:\n   0x00000000 "
		    "0x00: eax=0x00000001 ebx=0x756e6547 ecx=0x6c65746e "
		    "edx=0x49656e69\n   0x00000001 0x00: eax=0x%08x "
		    "ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
		    "   0x80000000 0x00: eax=0x80000000 ebx=0x00000000 "
		    "ecx=0x00000000 edx=0x00000000\n", i, vary ? i : 0);
		for (j = 0; j < nsub; j++)
			n += (size_t)snprintf(s + n, size - n, "   0x0000000d "
			    "0x%02x: eax=0x00000000 ebx=0x00000000 "
			    "ecx=0x00000000 edx=0x00000000\n", j);
	}
	return s;
}

static void
test_dump_too_many_leaves(void **state)
{
	char	*s = cpuidr_lines(1, CCPU_MAX_LEAVES - 1, false);
	char	 want[96];

	(void)state;
	snprintf(want, sizeof(want), "t: line %d: more than %d leaves",
	    CCPU_MAX_LEAVES + 2, CCPU_MAX_LEAVES);
	expect_parse_error(s, strlen(s), want);
	free(s);
}

static void
test_dump_too_many_cpus(void **state)
{
	char	*s = cpuidr_lines(4097, 0, false);

	(void)state;
	expect_parse_error(s, strlen(s), "t: line 16385: more than 4096 CPUs");
	free(s);
}

static void
test_dump_many_cpus_group(void **state)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;
	char			*s = cpuidr_lines(4096, 0, false);

	(void)state;
	assert_int_equal(ccpu_profile_parse(p, s, strlen(s), "t", &e), 0);
	assert_int_equal(p->ntypes, 1);
	assert_int_equal(p->types[0].nlogical, 4096);
	free(s);
	ccpu_profile_free(p);
}

static void
test_dump_too_many_core_types(void **state)
{
	char	*s = cpuidr_lines(CCPU_MAX_TYPES + 1, 0, true);

	(void)state;
	expect_parse_error(s, strlen(s), "t: more than 8 different core types");
	free(s);
}

static void
test_dump_long_line(void **state)
{
	char	s[600];

	(void)state;
	memset(s, ' ', sizeof(s));
	memcpy(s, "CPU 0:\n", 7);
	s[sizeof(s) - 1] = '\n';
	expect_parse_error(s, sizeof(s),
	    "t: line 2: line longer than 256 bytes");
}

/* cpuid -1 -r as cpuid(1) 20230120 prints it: "CPU:", hypervisor, probes. */
static void
test_dump_cpuid_one(void **state)
{
	static const char text[] =
	    "CPU:\n"
	    "   0x00000000 0x00: eax=0x00000001 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
	    "   0x00000001 0x00: eax=0x00b00f21 ebx=0x01020800 ecx=0xfffa3203 edx=0x178bfbff\n"
	    "   0x00000002 0x00: eax=0x00000001 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x20000000 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n"
	    "   0x40000001 0x00: eax=0x01007efb ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x40000100 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x80000000 0x00: eax=0x80000001 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
	    "   0x80000001 0x00: eax=0x00b00f21 ebx=0x40000000 ecx=0x004003f3 edx=0x2fd3fbff\n"
	    "   0x80860000 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0xc0000000 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n";
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;
	struct ccpu_ident	 id;

	(void)state;
	if (ccpu_profile_parse(p, text, strlen(text), "x/one.txt", &e) == -1)
		fail_msg("%s", e.msg);
	assert_string_equal(p->source, "cpuid-r");
	assert_string_equal(p->source_file, "one.txt");
	assert_int_equal(p->ntypes, 1);
	/* leaf 2 is beyond the basic maximum; probes of other ranges go */
	assert_int_equal(p->types[0].nleaves, 6);
	assert_null(ccpu_cpu_find(&p->types[0], 2, 0));
	assert_null(ccpu_cpu_find(&p->types[0], 0x40000100, 0));
	assert_null(ccpu_cpu_find(&p->types[0], 0x80860000, 0));
	assert_null(ccpu_cpu_find(&p->types[0], 0xc0000000, 0));
	ccpu_cpu_ident(&p->types[0], &id);
	assert_string_equal(id.hypervisor, "KVMKVMKVM");
	assert_string_equal(id.vendor, "AuthenticAMD");
	ccpu_profile_free(p);
}

/* Hypervisor leaves count only when CPUID.1 says there is a hypervisor. */
static void
test_dump_hypervisor_leaves_need_hv_bit(void **state)
{
	static const char text[] =
	    "   0x00000000 0x00: eax=0x00000001 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
	    "   0x00000001 0x00: eax=0x000306f2 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n"
	    "   0x80000000 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n";
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;

	(void)state;
	if (ccpu_profile_parse(p, text, strlen(text), "t", &e) == -1)
		fail_msg("%s", e.msg);
	assert_int_equal(p->types[0].nleaves, 2);
	ccpu_profile_free(p);
}

static void
test_dump_libcpuid07(void **state)
{
	const struct v07_row	*row = *state;
	struct ccpu_profile	*p, *old;
	const struct ccpu_leaf	*a;
	char			 path[512];
	unsigned int		 i;
	size_t			 k;

	snprintf(path, sizeof(path), "../libcpuid-0.7/%s", row->file);
	p = load(path);
	old = load(row->file);
	assert_string_equal(p->warning, "");
	assert_int_equal(p->ntypes, old->ntypes);
	for (i = 0; i < p->ntypes; i++) {
		assert_string_equal(p->types[i].core_type, row->types[i]);
		assert_int_equal(p->types[i].nleaves,
		    old->types[i].nleaves + row->extra);
		for (k = 0; k < old->types[i].nleaves; k++) {
			a = &old->types[i].leaves[k];
			assert_non_null(ccpu_cpu_find(&p->types[i], a->leaf,
			    a->sub));
			assert_memory_equal(ccpu_cpu_find(&p->types[i], a->leaf,
			    a->sub)->r, a->r, sizeof(a->r));
		}
	}
	ccpu_profile_free(old);
	ccpu_profile_free(p);
}

/*
 * A field this version does not know (a later libcpuid's) is skipped, as
 * libcpuid skips it, with one warning for the whole file; the rest loads.
 */
static void
test_dump_raw_unknown_fields_skipped(void **state)
{
	static const char text[] =
	    "version=0.9.0\n"
	    "basic_cpuid[0]=00000000 756e6547 6c65746e 49656e69\n"
	    "amd_fn80000099h[0]=00000001 00000002 00000003 00000004\n"
	    "ext_cpuid[0]=00000000 00000000 00000000 00000000\n"
	    "a_field_name_longer_than_the_excerpt[1]=0\n"
	    "future_key=anything at all\n";
	static const char clean[] =
	    "basic_cpuid[0]=00000000 756e6547 6c65746e 49656e69\n"
	    "ext_cpuid[0]=00000000 00000000 00000000 00000000\n";
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;

	(void)state;
	if (ccpu_profile_parse(p, text, strlen(text), "x/new.raw", &e) == -1)
		fail_msg("%s", e.msg);
	assert_string_equal(p->warning, "x/new.raw: skipped 3 lines of "
	    "fields this version does not know, the first 'amd_fn80000099h' "
	    "on line 3");
	assert_int_equal(p->types[0].nleaves, 1);
	/* A clean parse into the same profile leaves no warning behind. */
	if (ccpu_profile_parse(p, clean, strlen(clean), "t", &e) == -1)
		fail_msg("%s", e.msg);
	assert_string_equal(p->warning, "");
	ccpu_profile_free(p);
}

/* libcpuid test files end the dump with dashes and expected results. */
static void
test_dump_raw_stops_at_test_results(void **state)
{
	static const char text[] =
	    "basic_cpuid[0]=00000000 756e6547 6c65746e 49656e69\r\n"
	    "ext_cpuid[0]=00000000 00000000 00000000 00000000\r\n"
	    "--------------------------------------------------------------------------------\n"
	    "general\n";
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;

	(void)state;
	if (ccpu_profile_parse(p, text, strlen(text), "t", &e) == -1)
		fail_msg("%s", e.msg);
	assert_string_equal(p->source, "libcpuid-raw");
	assert_int_equal(p->types[0].nleaves, 1);
	ccpu_profile_free(p);
}

/*
 * Found by fuzz/fuzz_profile: a leaf 0xB SMT level that counts no logical
 * processors made libcpuid 0.6.2 divide by zero while guessing the codename
 * (SIGFPE in cpuid_identify_intel).  The dump must parse.
 */
static void
test_dump_topology_zero_smt(void **state)
{
	static const char text[] =
	    "CPU 0:\n"
	    "   0x00000000 0x00: eax=0x0000000b ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
	    "   0x00000001 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x00000002 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x00000003 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x00000005 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x00000006 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x00000007 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x00000008 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x00000009 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x0000000a 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	    "   0x0000000b 0x00: eax=0x00000001 ebx=0x00010000 ecx=0x00000100 edx=0x00000000\n"
	    "   0x0000000b 0x01: eax=0x00000007 ebx=0x00000038 ecx=0x00000201 edx=0x00000000\n"
	    "   0x80000000 0x00: eax=0x80000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n";
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;

	(void)state;
	if (ccpu_profile_parse(p, text, strlen(text), "t", &e) == -1)
		fail_msg("%s", e.msg);
	assert_int_equal(p->types[0].nleaves, 13);
	ccpu_profile_free(p);
}

/* Files the loader must refuse before parsing. */
static void
expect_load_error(const char *path, enum ccpu_status status, const char *want)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;

	memset(p, 0xa5, sizeof(*p));
	assert_int_equal(ccpu_profile_load(p, path, &e), -1);
	assert_int_equal(e.status, status);
	assert_string_equal(e.msg, want);
	assert_int_equal(p->ntypes, 0xa5a5a5a5u);
	ccpu_profile_free(p);
}

static void
test_dump_load_directory(void **state)
{
	char	want[128];

	(void)state;
	snprintf(want, sizeof(want), "%s: is a directory", tmpdir);
	expect_load_error(tmpdir, CCPU_EINPUT, want);
}

static void
test_dump_load_fifo(void **state)
{
	char	path[128], want[160];

	(void)state;
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(want, sizeof(want), "%s: not a regular file", path);
	expect_load_error(path, CCPU_EINPUT, want);
	unlink(path);
}

static void
test_dump_load_missing(void **state)
{
	char	path[128], want[160];

	(void)state;
	snprintf(path, sizeof(path), "%s/nonexistent", tmpdir);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	expect_load_error(path, CCPU_ESYS, want);
}

static void
test_dump_load_unreadable(void **state)
{
	char	path[128], want[160];
	int	fd;

	(void)state;
	if (geteuid() == 0)
		skip();		/* root reads anything */
	snprintf(path, sizeof(path), "%s/unreadable", tmpdir);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0)) != -1);
	close(fd);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(EACCES));
	expect_load_error(path, CCPU_ESYS, want);
	unlink(path);
}

static void
test_dump_load_huge(void **state)
{
	char	path[128], want[200];
	int	fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/huge", tmpdir);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1);
	assert_int_equal(ftruncate(fd, 100 << 20), 0);	/* sparse */
	close(fd);
	snprintf(want, sizeof(want), "%s: too large (104857600 bytes, at most "
	    "16777216)", path);
	expect_load_error(path, CCPU_EINPUT, want);
	unlink(path);
}

static void
test_dump_load_empty(void **state)
{
	char	path[128], want[160];
	int	fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/empty", tmpdir);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1);
	close(fd);
	snprintf(want, sizeof(want), "%s: empty file", path);
	expect_load_error(path, CCPU_EINPUT, want);
	unlink(path);
}

/* Every committed bad file is refused with a message naming it. */
static void
test_dump_bad_file(void **state)
{
	const char		*file = *state;
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;
	char			 path[512];

	snprintf(path, sizeof(path), "%s/%s", BADDIR, file);
	assert_int_equal(ccpu_profile_load(p, path, &e), -1);
	assert_int_equal(e.status, CCPU_EINPUT);
	assert_memory_equal(e.msg, path, strlen(path));
	assert_null(strchr(e.msg, '\n'));
	ccpu_profile_free(p);
}

static int
setup_tmp(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown_tmp(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

static char *
case_name(const char *prefix, const char *s)
{
	size_t	 n = strlen(prefix) + strlen(s) + 1;
	char	*name = malloc(n);

	snprintf(name, n, "%s%s", prefix, s);
	return name;
}

int
main(void)
{
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_dump_too_many_leaves),
		cmocka_unit_test(test_dump_too_many_cpus),
		cmocka_unit_test(test_dump_many_cpus_group),
		cmocka_unit_test(test_dump_too_many_core_types),
		cmocka_unit_test(test_dump_long_line),
		cmocka_unit_test(test_dump_cpuid_one),
		cmocka_unit_test(test_dump_hypervisor_leaves_need_hv_bit),
		cmocka_unit_test(test_dump_raw_stops_at_test_results),
		cmocka_unit_test(test_dump_topology_zero_smt),
		cmocka_unit_test(test_dump_raw_unknown_fields_skipped),
		{ .name = "libcpuid07_zen5_hybrid_named",
		    .test_func = test_dump_libcpuid07,
		    .initial_state = (void *)&v07_rows[0] },
		{ .name = "libcpuid07_intel_zero_field",
		    .test_func = test_dump_libcpuid07,
		    .initial_state = (void *)&v07_rows[1] },
	};
	const struct CMUnitTest files[] = {
		cmocka_unit_test(test_dump_load_directory),
		cmocka_unit_test(test_dump_load_fifo),
		cmocka_unit_test(test_dump_load_missing),
		cmocka_unit_test(test_dump_load_unreadable),
		cmocka_unit_test(test_dump_load_huge),
		cmocka_unit_test(test_dump_load_empty),
	};
	struct CMUnitTest	*t;
	char			**fix, **bad;
	size_t			 nfix, nbad, i, n = 0;
	int			 failed = 0;

	fix = tu_list_dir(FIXDIR, &nfix);
	bad = tu_list_dir(BADDIR, &nbad);
	if (nfix < 30 || nbad == 0) {
		fprintf(stderr, "test_dump: run from the top directory "
		    "(%s, %s)\n", FIXDIR, BADDIR);
		return 1;
	}

	t = calloc(2 * nfix + nitems(leaf_rows) + nitems(bad_rows) + nbad,
	    sizeof(*t));
	for (i = 0; i < nfix; i++)
		t[n++] = (struct CMUnitTest){
		    .name = case_name("load ", fix[i]),
		    .test_func = test_dump_fixture_loads,
		    .initial_state = fix[i] };
	for (i = 0; i < nfix; i++)
		if (has_suffix(fix[i], ".cpuid.txt"))
			t[n++] = (struct CMUnitTest){
			    .name = case_name("agree ", fix[i]),
			    .test_func = test_dump_formats_agree,
			    .initial_state = fix[i] };
	failed += _cmocka_run_group_tests("dump_fixtures", t, n, NULL, NULL);
	for (i = 0; i < n; i++)
		free((char *)t[i].name);

	for (i = 0; i < nitems(leaf_rows); i++)
		t[i] = (struct CMUnitTest){ .name = leaf_rows[i].name,
		    .test_func = test_dump_leaf_rule,
		    .initial_state = (void *)&leaf_rows[i] };
	failed += _cmocka_run_group_tests("dump_leaf_rules", t, i, NULL, NULL);

	for (i = 0; i < nitems(bad_rows); i++)
		t[i] = (struct CMUnitTest){ .name = bad_rows[i].name,
		    .test_func = test_dump_bad_input,
		    .initial_state = (void *)&bad_rows[i] };
	for (n = 0; n < nbad; n++)
		t[i + n] = (struct CMUnitTest){
		    .name = case_name("file ", bad[n]),
		    .test_func = test_dump_bad_file, .initial_state = bad[n] };
	failed += _cmocka_run_group_tests("dump_bad_input", t, i + n, NULL,
	    NULL);
	for (n = 0; n < nbad; n++)
		free((char *)t[i + n].name);
	free(t);
	for (i = 0; i < nfix; i++)
		free(fix[i]);
	for (i = 0; i < nbad; i++)
		free(bad[i]);
	free(fix);
	free(bad);

	failed += cmocka_run_group_tests_name("dump_limits", fixed, NULL, NULL);
	failed += cmocka_run_group_tests_name("dump_files", files, setup_tmp,
	    teardown_tmp);
	return failed;
}
