/*
 * data/cpuinfo.def against the JVM model: every CPUID bit data/hotspot.def
 * reads has a row (so no input is silently taken as absent), flags are
 * unique, no CPUID bit twice; and a cpuinfo whose flags cannot tell some
 * bits reports exactly the features resting on them as unknown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ccpu/survey.h"
#include "jvm_impl.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

struct bitref {
	uint32_t	leaf, sub;
	int		reg;
	unsigned int	bit;
	int		used;
};

#define CPUID(l, s, r, b)	{ l, s, CCPU_##r, b, 1 }
#define ALWAYS			{ 0, 0, 0, 0, 0 }
#define SPECIAL(f)		{ 0, 0, 0, 0, 0 }
static const struct bitref model_bits[] = {
#define D(f, src, v, g, x, lines)	src,
#define P(f, w, lines)
#include "hotspot.def"
#undef P
#undef D
};
#undef CPUID
#undef ALWAYS
#undef SPECIAL

struct crow {
	const char	*flag;
	uint32_t	 leaf, sub;
	int		 reg;
	unsigned int	 bit;
};
static const struct crow crows[] = {
#define C(flag, leaf, sub, reg, bit, how)	{ flag, leaf, sub, CCPU_##reg, bit },
#define N(leaf, sub, reg, bit, rule)		{ NULL, leaf, sub, CCPU_##reg, bit },
#include "cpuinfo.def"
#undef N
#undef C
};

static void
test_every_model_bit_has_a_row(void **state)
{
	size_t	i, k;

	(void)state;
	for (i = 0; i < nitems(model_bits); i++) {
		if (!model_bits[i].used)
			continue;
		for (k = 0; k < nitems(crows); k++)
			if (crows[k].leaf == model_bits[i].leaf &&
			    crows[k].sub == model_bits[i].sub &&
			    crows[k].reg == model_bits[i].reg &&
			    crows[k].bit == model_bits[i].bit)
				break;
		if (k == nitems(crows))
			fail_msg("CPUID(0x%x, %u, reg %d, %u) has no cpuinfo.def row",
			    model_bits[i].leaf, model_bits[i].sub,
			    model_bits[i].reg, model_bits[i].bit);
	}
}

static void
test_rows_unique(void **state)
{
	size_t	i, k;

	(void)state;
	for (i = 0; i < nitems(crows); i++)
		for (k = i + 1; k < nitems(crows); k++) {
			if (crows[i].flag != NULL && crows[k].flag != NULL &&
			    strcmp(crows[i].flag, crows[k].flag) == 0)
				fail_msg("flag '%s' twice", crows[i].flag);
			if (crows[i].leaf == crows[k].leaf &&
			    crows[i].sub == crows[k].sub &&
			    crows[i].reg == crows[k].reg &&
			    crows[i].bit == crows[k].bit)
				fail_msg("CPUID bit of '%s' twice", crows[i].flag ?
				    crows[i].flag : "(N row)");
		}
}

static int
bit_of(const struct ccpu_layout *l, const char *name)
{
	int	b = ccpu_layout_bit(l, name);

	assert_true(b >= 0);
	return b;
}

/*
 * A Haswell-like cpuinfo, then the same with a flag only newer kernels
 * print: present it is used, absent it is unknown, not missing.
 */
static void
test_new_flags_absent_are_unknown(void **state)
{
	static const char base[] =
	    "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
	    "model\t\t: 106\nstepping\t: 6\nsiblings\t: 2\ncpu cores\t: 1\n"
	    "flags\t\t: fpu tsc cx8 cmov clflush mmx fxsr sse sse2 ht pni "
	    "pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx "
	    "f16c bmi1 avx2 bmi2 erms avx512f avx512dq adx avx512cd avx512bw "
	    "avx512vl lahf_lm abm lm%s\n\n";
	const struct ccpu_layout	*l = ccpu_layout_lookup("x27", NULL);
	struct ccpu_profile		*p = ccpu_profile_new();
	struct ccpu_survey_host		 h;
	char				 text[1024];

	(void)state;
	snprintf(text, sizeof(text), base, " gfni");
	assert_int_equal(ccpu_cpuinfo_host(l, text, strlen(text), p, &h, NULL), 0);
	assert_true(ccpu_featset_has(&h.used, (unsigned int)bit_of(l, "gfni")));
	assert_true(ccpu_featset_has(&h.used, (unsigned int)bit_of(l, "avx512f")));
	assert_true(ccpu_featset_has(&h.used, (unsigned int)bit_of(l, "ht")));
	assert_false(ccpu_featset_has(&h.unknown, (unsigned int)bit_of(l, "avx2")));
	snprintf(text, sizeof(text), base, "");
	assert_int_equal(ccpu_cpuinfo_host(l, text, strlen(text), p, &h, NULL), 0);
	assert_false(ccpu_featset_has(&h.used, (unsigned int)bit_of(l, "gfni")));
	assert_true(ccpu_featset_has(&h.unknown, (unsigned int)bit_of(l, "gfni")));
	/* An old flag absent is absent: sse4a is AMD's. */
	assert_false(ccpu_featset_has(&h.unknown, (unsigned int)bit_of(l, "sse4a")));
	assert_false(ccpu_featset_has(&h.used, (unsigned int)bit_of(l, "sse4a")));
	ccpu_profile_free(p);
}

static void
test_not_x86(void **state)
{
	static const char arm[] = "processor\t: 0\nBogoMIPS\t: 50.00\n"
	    "Features\t: fp asimd aes\nCPU implementer\t: 0x41\n\n";
	const struct ccpu_layout	*l = ccpu_layout_lookup("x27", NULL);
	struct ccpu_profile		*p = ccpu_profile_new();
	struct ccpu_survey_host		 h;
	struct ccpu_error		 e;

	(void)state;
	assert_int_equal(ccpu_cpuinfo_host(l, arm, strlen(arm), p, &h, &e), -1);
	assert_non_null(strstr(e.msg, "not an x86"));
	ccpu_profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_model_bit_has_a_row),
		cmocka_unit_test(test_rows_unique),
		cmocka_unit_test(test_new_flags_absent_are_unknown),
		cmocka_unit_test(test_not_x86),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
