/*
 * Fixed-size feature sets: the operations every planner and checker rests on.
 */
#include "testutil.h"

#include "ccpu/featset.h"

static struct ccpu_featset
set_of(const unsigned int *m, size_t n)
{
	struct ccpu_featset	fs = CCPU_FEATSET_INIT;
	size_t			i;

	for (i = 0; i < n; i++)
		ccpu_featset_add(&fs, m[i]);
	return fs;
}

static void
test_featset_add_has_del(void **state)
{
	struct ccpu_featset	fs = CCPU_FEATSET_INIT;

	(void)state;
	assert_true(ccpu_featset_empty(&fs));
	ccpu_featset_add(&fs, 0);
	ccpu_featset_add(&fs, 63);
	ccpu_featset_add(&fs, 64);
	ccpu_featset_add(&fs, 255);
	ccpu_featset_add(&fs, 256);		/* out of range: ignored */
	assert_true(ccpu_featset_has(&fs, 0));
	assert_true(ccpu_featset_has(&fs, 63));
	assert_true(ccpu_featset_has(&fs, 64));
	assert_true(ccpu_featset_has(&fs, 255));
	assert_false(ccpu_featset_has(&fs, 256));
	assert_false(ccpu_featset_has(&fs, 1));
	assert_int_equal(ccpu_featset_count(&fs), 4);
	ccpu_featset_del(&fs, 63);
	assert_false(ccpu_featset_has(&fs, 63));
	assert_int_equal(ccpu_featset_count(&fs), 3);
}

static void
test_featset_minus_is_what_the_host_lacks(void **state)
{
	static const unsigned int image[] = { 1, 5, 70, 130 }, host[] = { 1, 70, 200 };
	struct ccpu_featset	a = set_of(image, 4), b = set_of(host, 3), m;

	(void)state;
	ccpu_featset_minus(&m, &a, &b);
	assert_int_equal(ccpu_featset_count(&m), 2);
	assert_true(ccpu_featset_has(&m, 5));
	assert_true(ccpu_featset_has(&m, 130));
	assert_false(ccpu_featset_subset(&a, &b));
	ccpu_featset_and(&a, &b);
	assert_true(ccpu_featset_subset(&a, &b));
	assert_int_equal(ccpu_featset_count(&a), 2);
	ccpu_featset_minus(&a, &a, &a);		/* aliasing is allowed */
	assert_true(ccpu_featset_empty(&a));
}

static void
test_featset_next_walks_in_order(void **state)
{
	static const unsigned int m[] = { 0, 3, 63, 64, 127, 191, 255 };
	struct ccpu_featset	fs = set_of(m, nitems(m));
	size_t			i = 0;
	int			b;

	(void)state;
	for (b = ccpu_featset_next(&fs, 0); b >= 0;
	    b = ccpu_featset_next(&fs, (unsigned int)b + 1))
		assert_int_equal(b, m[i++]);
	assert_int_equal(i, nitems(m));
	assert_int_equal(ccpu_featset_next(&fs, 256), -1);
	assert_int_equal(ccpu_featset_next(&fs, 4), 63);
}

static void
test_featset_or_equal(void **state)
{
	static const unsigned int x[] = { 2, 99 }, y[] = { 99, 180 };
	struct ccpu_featset	a = set_of(x, 2), b = set_of(y, 2), c;

	(void)state;
	c = a;
	ccpu_featset_or(&c, &b);
	assert_int_equal(ccpu_featset_count(&c), 3);
	assert_true(ccpu_featset_subset(&a, &c));
	assert_false(ccpu_featset_equal(&a, &c));
	ccpu_featset_clear(&c);
	assert_true(ccpu_featset_empty(&c));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_featset_add_has_del),
		cmocka_unit_test(test_featset_minus_is_what_the_host_lacks),
		cmocka_unit_test(test_featset_next_walks_in_order),
		cmocka_unit_test(test_featset_or_equal),
	};

	return cmocka_run_group_tests_name("featset", tests, NULL, NULL);
}
