/*
 * The live probe on this machine: every logical CPU captured, leaf 7
 * subleaf 1 and XCR0 present when the CPU has them, the thread's affinity
 * left as it was, and core types grouped despite per-CPU APIC ids.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "ccpu/probe.h"

static void
test_probe_host_captures_every_cpu(void **state)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;
	cpu_set_t		 before, after;
	unsigned int		 i, total = 0;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(before), &before), 0);
	assert_int_equal(ccpu_probe_host(p, &e), 0);
	assert_int_equal(sched_getaffinity(0, sizeof(after), &after), 0);
	assert_true(CPU_EQUAL(&before, &after));
	assert_true(p->ntypes >= 1);
	for (i = 0; i < p->ntypes; i++)
		total += p->types[i].nlogical;
	assert_int_equal(total, (unsigned int)CPU_COUNT(&before));
	assert_string_equal(p->source, "live");
	assert_true(p->kernel[0] != '\0');
	assert_true(p->glibc[0] != '\0');
	assert_true(strlen(p->captured) == 20);
	ccpu_profile_free(p);
}

static void
test_probe_cpu_has_leaf7_1_and_xcr0(void **state)
{
	struct ccpu_cpu		*c = test_malloc(sizeof(*c));
	struct ccpu_error	 e;
	uint32_t		 r[4];

	(void)state;
	assert_int_equal(ccpu_probe_cpu(c, &e), 0);
	assert_true(ccpu_cpu_query(c, 0, 0, r));
	if (r[CCPU_EAX] >= 7 && ccpu_cpu_query(c, 7, 0, r) && r[CCPU_EAX] >= 1)
		assert_non_null(ccpu_cpu_find(c, 7, 1));
	assert_false(c->missing & CCPU_MISS_LEAF7_1);
	assert_false(c->missing & CCPU_MISS_XCR0);
	if (ccpu_cpu_bit(c, 1, 0, CCPU_ECX, 27)) {
		assert_int_equal(c->xcr0_source, CCPU_XCR0_XGETBV);
		assert_true((c->xcr0 & 3) == 3);	/* x87 and SSE state */
		assert_non_null(ccpu_cpu_find(c, 0xd, 1));
	} else
		assert_int_equal(c->xcr0_source, CCPU_XCR0_OSXSAVE_OFF);
	test_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_host_captures_every_cpu),
		cmocka_unit_test(test_probe_cpu_has_leaf7_1_and_xcr0),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
