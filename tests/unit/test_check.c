/*
 * The pre-restore comparison on the upstream test vectors (openjdk/crac
 * tests and PRs): one named case per row, values in the JVM's own notation.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "ccpu/check.h"
#include "ccpu/jvm.h"
#include "ccpu/profile.h"

static struct check_case {
	const char		*name;
	const char		*layout;
	enum ccpu_check_mode	 mode;
	const char		*saved;
	const char		*current;
	int			 compatible;
	const char		*missing;	/* as the JVM prints it */
	const char		*names;		/* bit order, as the JVM prints them */
	const char		*suggest;
} cases[] = {
	{ "docs_example_missing_avx512", "xm", CCPU_CHECK_COMPATIBLE,
	  "0x4ff7fff9dfcfbf7,0x3e6", "0x21421801fcfbd7,0x3e6", 0,
	  "0x4de3de79c000020,0x0",
	  "3dnowpref, adx, avx512f, avx512dq, avx512cd, avx512bw, avx512vl, "
	  "sha, avx512_vpopcntdq, avx512_vpclmulqdq, avx512_vaes, "
	  "avx512_vnni, clflushopt, clwb, avx512_vbmi2, avx512_vbmi, rdpid, "
	  "fsrm, gfni, avx512_bitalg, pku, ospke, avx512_ifma",
	  "0x21421801fcfbd7,0x3e6" },
	{ "docs_example_suggested_restores_on_bigger_host", "xm",
	  CCPU_CHECK_COMPATIBLE, "0x21421801fcfbd7,0x3e6",
	  "0x4ff7fff9dfcfbf7,0x3e6", 1, "0x0,0x0", "",
	  "0x21421801fcfbd7,0x3e6" },
	{ "zulu_issue_320_sse4a", "x17", CCPU_CHECK_COMPATIBLE,
	  "77ff9dddfff7,3e6", "77ff9dddfbf7,3e6", 0, "0x400,0x0", "sse4a",
	  "0x77ff9dddfbf7,0x3e6" },
	{ "aws_t3a_t3_on_itself", "x26a", CCPU_CHECK_COMPATIBLE,
	  "0x21461805ddfbf7,0xfcc", "0x21461805ddfbf7,0xfcc", 1, "0x0,0x0", "",
	  "0x21461805ddfbf7,0xfcc" },
	{ "aws_t3a_t3_on_m1_small", "x26a", CCPU_CHECK_COMPATIBLE,
	  "0x21461805ddfbf7,0xfcc", "0x142000070bbd7,0x380", 0,
	  "0x200418058d4020,0xc4c",
	  "3dnowpref, lzcnt, tscinvbit, avx, avx2, bmi1, bmi2, adx, fma, "
	  "vzeroupper, clflushopt, f16c, movbe, osxsave, xsave, xsavec, "
	  "avx_fast_unaligned_load",
	  "0x142000050bbd7,0x380" },
	/* x26a's generic is still 0x200000080d7 (CheckCPUFeaturesMessageTest @0a3ff675). */
	{ "generic_restores_on_m1_small", "x26a", CCPU_CHECK_COMPATIBLE,
	  "0x200000080d7,0x0", "0x142000070bbd7,0x380", 1, "0x0,0x0", "",
	  "0x200000080d7,0x0" },
	{ "generic_x17_on_pr41_host", "x17", CCPU_CHECK_COMPATIBLE,
	  "0x200000080d7,0x0", "0x61805fdfbff,0x1e6", 1, "0x0,0x0", "",
	  "0x200000080d7,0x0" },
	{ "ht_is_never_missing", "xm", CCPU_CHECK_COMPATIBLE,
	  "0x200000080df,0x0", "0x200000080d7,0x0", 1, "0x0,0x0", "",
	  "0x200000080d7,0x0" },
	{ "exact_differs_when_host_has_more", "xm", CCPU_CHECK_EXACT,
	  "0x21421801fcfbd7,0x3e6", "0x4ff7fff9dfcfbf7,0x3e6", 0, "0x0,0x0",
	  "", "0x4ff7fff9dfcfbf7,0x3e6" },
	{ "exact_ignores_ht", "xm", CCPU_CHECK_EXACT,
	  "0x200000080df,0x0", "0x200000080d7,0x0", 1, "0x0,0x0", "",
	  "0x200000080d7,0x0" },
};

static void
test_compare(void **state)
{
	const struct check_case		*c = *state;
	const struct ccpu_layout	*l;
	struct ccpu_check_in		 in;
	struct ccpu_check		 out;
	struct ccpu_error		 e;
	char				 buf[1024];

	l = ccpu_layout_lookup(c->layout, &e);
	assert_non_null(l);
	memset(&in, 0, sizeof(in));
	in.layout = l;
	in.mode = c->mode;
	assert_int_equal(ccpu_jvm_parse_value(l, c->saved, &in.saved, &e), 0);
	assert_int_equal(ccpu_jvm_parse_value(l, c->current, &in.current, &e), 0);
	assert_int_equal(ccpu_check_compare(&in, &out, &e), 0);
	assert_int_equal(out.compatible, c->compatible);
	ccpu_jvm_format_value(l, &out.missing, buf, sizeof(buf));
	assert_string_equal(buf, c->missing);
	ccpu_jvm_format_names(l, &out.missing, buf, sizeof(buf));
	assert_string_equal(buf, c->names);
	ccpu_jvm_format_value(l, &out.suggest, buf, sizeof(buf));
	assert_string_equal(buf, c->suggest);
	assert_true(out.suggest_usable);
	assert_int_equal(out.nrisks, 0);
}

/*
 * The one report order (plan's too): most costly first by the weights of
 * data/relevance.def, then class, then bit.
 */
static void
test_order_docs_example(void **state)
{
	const struct ccpu_layout	*l = ccpu_layout_lookup("xm", NULL);
	struct ccpu_featset		 fs;
	unsigned int			 bits[CCPU_FEATSET_MAX];
	size_t				 n, i;
	char				 buf[1024];
	size_t				 o = 0;

	(void)state;
	assert_int_equal(ccpu_jvm_parse_value(l, "0x4de3de79c000020,0x0", &fs,
	    NULL), 0);
	n = ccpu_check_order(l, &fs, bits, nitems(bits));
	assert_int_equal(n, 23);
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
		    i ? " " : "", ccpu_layout_bit_name(l, bits[i]));
	assert_string_equal(buf, "avx512f avx512bw avx512vl sha avx512dq "
	    "avx512_vaes adx avx512_ifma avx512_vpclmulqdq avx512_vbmi2 "
	    "avx512_vbmi avx512_vpopcntdq avx512cd avx512_vnni avx512_bitalg "
	    "fsrm gfni clflushopt clwb 3dnowpref rdpid pku ospke");
}

static void
test_compare_rejects_bits_outside_layout(void **state)
{
	struct ccpu_check_in	in;
	struct ccpu_check	out;
	struct ccpu_error	e;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.layout = ccpu_layout_lookup("x26a", NULL);
	assert_int_equal(ccpu_jvm_parse_value(in.layout, "0x80c7,0x0",
	    &in.saved, NULL), 0);
	ccpu_featset_add(&in.saved, 117);	/* X27's fma4 */
	in.current = in.saved;
	assert_int_equal(ccpu_check_compare(&in, &out, &e), -1);
	assert_int_equal(e.status, CCPU_EINPUT);
	assert_non_null(strstr(e.msg, "bits 117 have no meaning in layout x26a"));
}

static void
test_compare_rejects_missing_mandatory(void **state)
{
	struct ccpu_check_in	in;
	struct ccpu_check	out;
	struct ccpu_error	e;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.layout = ccpu_layout_lookup("xm", NULL);
	/* The docs' A & B merge: lacks sse2 and clflush. */
	assert_int_equal(ccpu_jvm_parse_value(in.layout, "0x18003c9841,0x162",
	    &in.saved, NULL), 0);
	in.current = in.saved;
	assert_int_equal(ccpu_check_compare(&in, &out, &e), -1);
	assert_non_null(strstr(e.msg, "sse2"));
}

/*
 * A host known from a dump that cannot hold leaf 7.1 cannot tell avx_ifma:
 * an image using it is undecided there, not missing it; the full dump of
 * the same CPU decides (it lacks it).
 */
static void
test_unknown_is_not_missing(void **state)
{
	static const char *const files[2] = {
		"tests/fixtures/cpuid/intel-sapphirerapids-xeon-w9-3475x.raw",
		"tests/fixtures/cpuid/intel-sapphirerapids-xeon-w9-3475x.cpuid.txt",
	};
	const struct ccpu_layout	*l;
	struct ccpu_profile		*p;
	struct ccpu_jvm_features	 jf;
	struct ccpu_check_in		 in;
	struct ccpu_check		 out;
	struct ccpu_error		 e;
	char				 buf[256];
	int				 ifma, i;

	(void)state;
	l = ccpu_layout_lookup("x25", &e);
	assert_non_null(l);
	ifma = ccpu_layout_bit(l, "avx_ifma");
	assert_true(ifma >= 0);
	for (i = 0; i < 2; i++) {
		p = ccpu_profile_new();
		assert_int_equal(ccpu_profile_load(p, files[i], &e), 0);
		assert_int_equal(ccpu_jvm_derive_host(l, p, &jf, &e), 0);
		memset(&in, 0, sizeof(in));
		in.layout = l;
		in.saved = jf.used;
		ccpu_featset_add(&in.saved, (unsigned int)ifma);
		in.current = jf.used;
		in.unknown = jf.unknown;
		assert_int_equal(ccpu_check_compare(&in, &out, &e), 0);
		assert_false(out.compatible);
		ccpu_jvm_format_names(l, i == 0 ? &out.undecided : &out.missing,
		    buf, sizeof(buf));
		assert_string_equal(buf, "avx_ifma");
		assert_true(ccpu_featset_empty(i == 0 ? &out.missing :
		    &out.undecided));
		assert_int_equal(out.decided, i == 1);
		assert_int_equal(ccpu_jvm_deciding_inputs(l, p, &out.undecided),
		    i == 0 ? CCPU_MISS_LEAF7_1 : 0);
		/* A feature the host surely lacks decides, unknown or not. */
		if (i == 0) {
			ccpu_featset_add(&in.saved,
			    (unsigned int)ccpu_layout_bit(l, "fma4"));
			assert_int_equal(ccpu_check_compare(&in, &out, &e), 0);
			assert_true(out.decided);
			assert_false(out.compatible);
		}
		ccpu_profile_free(p);
	}
}

static void
test_risk_names(void **state)
{
	(void)state;
	assert_string_equal(ccpu_risk_name(CCPU_RISK_XSAVE_SIZE), "xsave-size");
	assert_string_equal(ccpu_risk_name(CCPU_RISK_HYPERVISOR), "hypervisor");
	assert_string_equal(ccpu_risk_name(CCPU_RISK_COUNT), "unknown");
}

int
main(void)
{
	struct CMUnitTest	tests[nitems(cases) + 5];
	size_t			i;

	for (i = 0; i < nitems(cases); i++)
		tests[i] = (struct CMUnitTest){ .name = cases[i].name,
		    .test_func = test_compare, .initial_state = &cases[i] };
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_order_docs_example);
	tests[i++] = (struct CMUnitTest)
	    cmocka_unit_test(test_compare_rejects_bits_outside_layout);
	tests[i++] = (struct CMUnitTest)
	    cmocka_unit_test(test_compare_rejects_missing_mandatory);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_unknown_is_not_missing);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_risk_names);
	return _cmocka_run_group_tests("check", tests, i, NULL, NULL);
}
