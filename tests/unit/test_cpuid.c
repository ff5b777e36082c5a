/*
 * Raw register sets: ordered storage, duplicate refusal, reads above a
 * range's maximum, identification and the per-CPU fields that must not
 * split core types.
 */
#include <string.h>

#include "testutil.h"

#include "ccpu/cpuid.h"

static struct ccpu_cpu	cpu;

static void
put(uint32_t leaf, uint32_t sub, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	uint32_t	r[4] = { a, b, c, d };

	assert_int_equal(ccpu_cpu_set(&cpu, leaf, sub, r, NULL), 0);
}

/* A small Intel-like CPU: max basic leaf 7, max extended 0x80000004. */
static int
setup(void **state)
{
	(void)state;
	ccpu_cpu_init(&cpu);
	put(0x80000004, 0, 0x20202020, 0x20202020, 0x30303520, 0x00002020);
	put(0, 0, 7, 0x756e6547, 0x6c65746e, 0x49656e69);
	put(1, 0, 0x00050654, 0x05100800, 0x7ffefbff, 0xbfebfbff);
	put(7, 0, 0, 0xd39ffffb, 0, 0);
	put(0xb, 0, 1, 2, 0x100, 7);	/* above the maximum: must read as zero */
	put(0x80000000, 0, 0x80000004, 0, 0, 0);
	put(0x80000002, 0, 0x65746e49, 0x2952286c, 0x6f655820, 0x2952286e);
	put(0x80000003, 0, 0x6c6f4720, 0x31362064, 0x43203435, 0x40205550);
	return 0;
}

static void
test_cpuid_sorted_and_found(void **state)
{
	size_t	i;

	(void)state;
	for (i = 1; i < cpu.nleaves; i++)
		assert_true(cpu.leaves[i - 1].leaf < cpu.leaves[i].leaf ||
		    (cpu.leaves[i - 1].leaf == cpu.leaves[i].leaf &&
		    cpu.leaves[i - 1].sub < cpu.leaves[i].sub));
	assert_non_null(ccpu_cpu_find(&cpu, 7, 0));
	assert_null(ccpu_cpu_find(&cpu, 7, 1));
}

static void
test_cpuid_duplicate_is_refused(void **state)
{
	struct ccpu_error	e;
	uint32_t		r[4] = { 0 };

	(void)state;
	assert_int_equal(ccpu_cpu_add(&cpu, 7, 0, r, &e), -1);
	assert_int_equal(e.status, CCPU_EINPUT);
	assert_non_null(strstr(e.msg, "duplicate leaf 0x7"));
}

static void
test_cpuid_above_max_reads_zero(void **state)
{
	uint32_t	r[4];

	(void)state;
	assert_false(ccpu_cpu_query(&cpu, 0xb, 0, r));
	assert_int_equal(r[CCPU_EBX], 0);
	assert_true(ccpu_cpu_query(&cpu, 7, 0, r));
	assert_true(ccpu_cpu_bit(&cpu, 7, 0, CCPU_EBX, 16));
	assert_false(ccpu_cpu_query(&cpu, 0x80000005, 0, r));
	assert_int_equal(ccpu_cpu_max_basic(&cpu), 7);
	assert_int_equal(ccpu_cpu_max_ext(&cpu), 0x80000004);
}

static void
test_cpuid_ident(void **state)
{
	struct ccpu_ident	id;

	(void)state;
	ccpu_cpu_ident(&cpu, &id);
	assert_string_equal(id.vendor, "GenuineIntel");
	assert_int_equal(id.family, 6);
	assert_int_equal(id.model, 0x55);
	assert_int_equal(id.stepping, 4);
	assert_string_equal(id.brand, "Intel(R) Xeon(R) Gold 6154 CPU @         500");
	assert_string_equal(id.hypervisor, "");
}

static void
test_cpuid_apic_id_does_not_split_kinds(void **state)
{
	struct ccpu_cpu	*other = test_malloc(sizeof(*other));

	(void)state;
	*other = cpu;
	other->leaves[1].r[CCPU_EBX] ^= 0x3f000000;	/* leaf 1: APIC id */
	assert_true(ccpu_cpu_same_kind(&cpu, other));
	other->leaves[1].r[CCPU_ECX] ^= 1;		/* leaf 1: sse3 */
	assert_false(ccpu_cpu_same_kind(&cpu, other));
	test_free(other);
}

static void
test_cpuid_missing_inputs(void **state)
{
	(void)state;
	/* OSXSAVE (1.ECX[27]) is set, leaf 0xd is above the maximum. */
	ccpu_cpu_note_missing(&cpu);
	assert_true(cpu.missing & CCPU_MISS_XCR0);
	assert_int_equal(cpu.xcr0_source, CCPU_XCR0_NONE);
	assert_false(cpu.missing & CCPU_MISS_LEAF7_1);	/* 7.0 EAX = 0 */
	put(7, 0, 1, 0xd39ffffb, 0, 0);
	ccpu_cpu_note_missing(&cpu);
	assert_true(cpu.missing & CCPU_MISS_LEAF7_1);
	assert_string_equal(ccpu_miss_name(CCPU_MISS_LEAF7_1), "leaf7.1");
}

static void
test_cpuid_xcr0_inferred_from_leaf_0xd(void **state)
{
	(void)state;
	put(0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	put(0xd, 0, 0x2e7, 0xa88, 0xa88, 0);
	ccpu_cpu_note_missing(&cpu);
	assert_int_equal(cpu.xcr0_source, CCPU_XCR0_INFERRED);
	assert_int_equal(cpu.xcr0, 0x2e7);
	assert_true(cpu.missing & CCPU_MISS_XSAVE_SUB);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cpuid_sorted_and_found, setup),
		cmocka_unit_test_setup(test_cpuid_duplicate_is_refused, setup),
		cmocka_unit_test_setup(test_cpuid_above_max_reads_zero, setup),
		cmocka_unit_test_setup(test_cpuid_ident, setup),
		cmocka_unit_test_setup(test_cpuid_apic_id_does_not_split_kinds, setup),
		cmocka_unit_test_setup(test_cpuid_missing_inputs, setup),
		cmocka_unit_test_setup(test_cpuid_xcr0_inferred_from_leaf_0xd, setup),
	};

	return cmocka_run_group_tests_name("cpuid", tests, NULL, NULL);
}
