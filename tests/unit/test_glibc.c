/*
 * The GLIBC_TUNABLES string a CRaC JVM derives for a value: the table, the
 * ISA-level sibling patch, the layout fallbacks and the environment merge.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "ccpu/glibc.h"
#include "ccpu/jvm.h"

static void
tunables(const struct ccpu_layout *l, const struct ccpu_featset *raw,
    const struct ccpu_featset *value, struct ccpu_glibc *g, char *buf)
{
	ccpu_glibc_derive(l, raw, value, g);
	ccpu_glibc_format(g, buf, CCPU_GLIBC_MAX);
}

/* SimpleCPUFeatures.sh (T5): a Tiger Lake-class host checkpointed with generic. */
static void
test_glibc_generic_on_avx512_host(void **state)
{
	const struct ccpu_layout	*l = tu_layout("xm");
	struct ccpu_featset		 g = *ccpu_layout_generic(l), raw;
	struct ccpu_glibc		 t;
	char				 buf[CCPU_GLIBC_MAX], kept[512];

	(void)state;
	raw = tu_with(g, l, "sse3 ssse3 sse4.1 sse4.2 popcnt lzcnt avx avx2 fma "
	    "bmi1 bmi2 erms aes clmul avx512f avx512cd avx512bw avx512dq "
	    "avx512vl ibt shstk movbe xsave osxsave htt cmpxchg16 lahfsahf "
	    "glibc.f16c");
	tunables(l, &raw, &g, &t, buf);
	assert_string_equal(buf, ":glibc.cpu.hwcaps=,-AVX,-FMA,-AVX2,-BMI1,-BMI2,"
	    "-ERMS,-LZCNT,-SSSE3,-POPCNT,-SSE4_1,-SSE4_2,-AVX512F,-AVX512CD,"
	    "-AVX512BW,-AVX512DQ,-AVX512VL,-IBT,-MOVBE,-SHSTK,-XSAVE,-OSXSAVE,"
	    "-HTT");
	assert_int_equal(t.patched, 0);
	ccpu_jvm_format_names(l, &t.kept, kept, sizeof(kept));
	assert_string_equal(kept, "sse3, aes, clmul, cmpxchg16, lahfsahf, f16c");
}

static void
test_glibc_nothing_hidden_is_empty(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_featset		 raw;
	struct ccpu_glibc		 t;
	char				 buf[CCPU_GLIBC_MAX];

	(void)state;
	raw = tu_with(*ccpu_layout_generic(l), l, "avx avx2 htt");
	tunables(l, &raw, &raw, &t, buf);
	assert_string_equal(buf, "");
	assert_int_equal(t.disabled, 0);
	assert_true(ccpu_featset_empty(&t.kept));
}

/* x86-64-v2 inputs kept but sse3 given up: SSE4_2 goes too, to drop the level. */
static void
test_glibc_v2_patch_hides_sse4_2(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_featset		 raw, v;
	struct ccpu_glibc		 t;
	char				 buf[CCPU_GLIBC_MAX];
	unsigned int			 i;

	(void)state;
	v = tu_with(*ccpu_layout_generic(l), l, "mmx popcnt ssse3 sse4.1 sse4.2 "
	    "cmpxchg16 lahfsahf");
	raw = tu_with(v, l, "sse3");
	tunables(l, &raw, &v, &t, buf);
	assert_string_equal(buf, ":glibc.cpu.hwcaps=,-SSE4_2");
	for (i = 0; i < ccpu_glibc_ntunables(); i++)
		if (strcmp(ccpu_glibc_tunable_name(i), "SSE4_2") == 0)
			break;
	assert_true(t.patched == (UINT64_C(1) << i));
	assert_string_equal(t.patch_level[i], "x86-64-v2");
}

/* x86-64-v3 inputs kept but f16c given up: MOVBE goes too. */
static void
test_glibc_v3_patch_hides_movbe(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_featset		 raw, v;
	struct ccpu_glibc		 t;
	char				 buf[CCPU_GLIBC_MAX];

	(void)state;
	v = tu_with(*ccpu_layout_generic(l), l, "mmx popcnt ssse3 sse4.1 sse4.2 "
	    "sse3 cmpxchg16 lahfsahf avx avx2 bmi1 bmi2 fma lzcnt movbe");
	raw = tu_with(v, l, "f16c avx512f");
	tunables(l, &raw, &v, &t, buf);
	assert_string_equal(buf, ":glibc.cpu.hwcaps=,-AVX512F,-MOVBE");
}

/* X21 has no glibc ibt/shstk bits: cet_ibt and cet_ss drive the tunables. */
static void
test_glibc_x21_cet_fallback(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x21");
	struct ccpu_featset		 g = *ccpu_layout_generic(l), raw;
	struct ccpu_glibc		 t;
	char				 buf[CCPU_GLIBC_MAX];

	(void)state;
	assert_true(ccpu_layout_bit(l, "ibt") < 0);
	raw = tu_with(g, l, "cet_ibt cet_ss");
	tunables(l, &raw, &g, &t, buf);
	assert_string_equal(buf, ":glibc.cpu.hwcaps=,-IBT,-SHSTK");
}

/* X26a added xsavec and avx_fast_unaligned_load to the bitmap. */
static void
test_glibc_x26a_xsavec(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x26a");
	struct ccpu_featset		 g = *ccpu_layout_generic(l), raw;
	struct ccpu_glibc		 t;
	char				 buf[CCPU_GLIBC_MAX];

	(void)state;
	raw = tu_with(g, l, "xsavec avx_fast_unaligned_load");
	tunables(l, &raw, &g, &t, buf);
	assert_string_equal(buf,
	    ":glibc.cpu.hwcaps=,-XSAVEC,-AVX_Fast_Unaligned_Load");
}

static void
test_glibc_merge_with_environment(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_featset		 g = *ccpu_layout_generic(l), raw;
	struct ccpu_glibc		 t;
	char				 buf[CCPU_GLIBC_MAX];

	(void)state;
	raw = tu_with(g, l, "avx avx2");
	ccpu_glibc_derive(l, &raw, &g, &t);
	ccpu_glibc_merge(&t, NULL, buf, sizeof(buf));
	assert_string_equal(buf, ":glibc.cpu.hwcaps=,-AVX,-AVX2");
	ccpu_glibc_merge(&t, "glibc.malloc.check=3", buf, sizeof(buf));
	assert_string_equal(buf,
	    "glibc.malloc.check=3:glibc.cpu.hwcaps=,-AVX,-AVX2");
	ccpu_glibc_merge(&t, "glibc.cpu.hwcaps=-ERMS", buf, sizeof(buf));
	assert_string_equal(buf, "glibc.cpu.hwcaps=-ERMS,-AVX,-AVX2");
	ccpu_glibc_merge(&t, "glibc.cpu.hwcaps=-ERMS:glibc.malloc.check=3",
	    buf, sizeof(buf));
	assert_string_equal(buf,
	    "glibc.cpu.hwcaps=-ERMS,-AVX,-AVX2:glibc.malloc.check=3");
	ccpu_glibc_derive(l, &g, &g, &t);
	ccpu_glibc_merge(&t, "glibc.malloc.check=3", buf, sizeof(buf));
	assert_string_equal(buf, "glibc.malloc.check=3");
}

/* Table invariants: tunables unique, each drives from a feature some layout names. */
static void
test_glibc_table(void **state)
{
	const struct ccpu_layout	*l;
	unsigned int			 i, j;

	(void)state;
	assert_true(ccpu_glibc_ntunables() <= 64);
	assert_null(ccpu_glibc_tunable_name(ccpu_glibc_ntunables()));
	for (i = 0; i < ccpu_glibc_ntunables(); i++)
		for (j = i + 1; j < ccpu_glibc_ntunables(); j++)
			assert_string_not_equal(ccpu_glibc_tunable_name(i),
			    ccpu_glibc_tunable_name(j));
	/* Every layout can hide the AVX-512 foundation and HTT. */
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++) {
		struct ccpu_featset	raw = tu_with(*ccpu_layout_generic(l), l,
		    "avx512f htt");
		struct ccpu_glibc	t;
		char			buf[CCPU_GLIBC_MAX];

		tunables(l, &raw, ccpu_layout_generic(l), &t, buf);
		assert_string_equal(buf, ":glibc.cpu.hwcaps=,-AVX512F,-HTT");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glibc_generic_on_avx512_host),
		cmocka_unit_test(test_glibc_nothing_hidden_is_empty),
		cmocka_unit_test(test_glibc_v2_patch_hides_sse4_2),
		cmocka_unit_test(test_glibc_v3_patch_hides_movbe),
		cmocka_unit_test(test_glibc_x21_cet_fallback),
		cmocka_unit_test(test_glibc_x26a_xsavec),
		cmocka_unit_test(test_glibc_merge_with_environment),
		cmocka_unit_test(test_glibc_table),
	};

	return cmocka_run_group_tests_name("glibc", tests, NULL, NULL);
}
