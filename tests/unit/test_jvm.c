/*
 * The JVM model: every upstream test vector (openjdk/crac tests and PRs,
 * docs/layouts.md) decoded with exact names, every message text
 * recognised, the layout choosers, the derivation rules on synthetic CPUs,
 * and round-trip properties (parse of format, bitmap, translate) for every
 * layout.  One named case per row.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/cpuid.h"
#include "ccpu/jvm.h"
#include "ccpu/level.h"

static const struct ccpu_layout *
L(const char *name)
{
	const struct ccpu_layout	*l = ccpu_layout_lookup(name, NULL);

	if (l == NULL)
		fail_msg("no layout %s", name);
	return l;
}

static struct ccpu_featset
V(const char *layout, const char *value)
{
	struct ccpu_featset	fs;
	struct ccpu_error	e;

	if (ccpu_jvm_parse_value(L(layout), value, &fs, &e) == -1)
		fail_msg("%s", e.msg);
	return fs;
}

/* ---- reference 7.2 vectors ---- */

static const struct vector {
	const char	*name;
	const char	*layout;
	const char	*value;
	const char	*names;
} vectors[] = {
	{ "docs_image_xm", "xm", "0x4ff7fff9dfcfbf7,0x3e6",
	  "cx8, cmov, fxsr, mmx, 3dnowpref, sse, sse2, sse3, ssse3, sse4.1, "
	  "sse4.2, popcnt, lzcnt, tsc, avx, avx2, aes, erms, clmul, bmi1, bmi2, "
	  "adx, avx512f, avx512dq, avx512cd, avx512bw, avx512vl, sha, fma, "
	  "vzeroupper, avx512_vpopcntdq, avx512_vpclmulqdq, avx512_vaes, "
	  "avx512_vnni, clflush, clflushopt, clwb, avx512_vbmi2, avx512_vbmi, "
	  "hv, rdtscp, rdpid, fsrm, gfni, avx512_bitalg, f16c, pku, ospke, "
	  "avx512_ifma, movbe, osxsave, xsave, cmpxchg16, lahfsahf, f16c, htt" },
	{ "docs_suggested_xm", "xm", "0x21421801fcfbd7,0x3e6",
	  "cx8, cmov, fxsr, mmx, sse, sse2, sse3, ssse3, sse4.1, sse4.2, popcnt, "
	  "lzcnt, tsc, avx, avx2, aes, erms, clmul, bmi1, bmi2, fma, vzeroupper, "
	  "clflush, hv, rdtscp, f16c, movbe, osxsave, xsave, cmpxchg16, "
	  "lahfsahf, f16c, htt" },
	{ "docs_missing_xm", "xm", "0x4de3de79c000020,0x0",
	  "3dnowpref, adx, avx512f, avx512dq, avx512cd, avx512bw, avx512vl, sha, "
	  "avx512_vpopcntdq, avx512_vpclmulqdq, avx512_vaes, avx512_vnni, "
	  "clflushopt, clwb, avx512_vbmi2, avx512_vbmi, rdpid, fsrm, gfni, "
	  "avx512_bitalg, pku, ospke, avx512_ifma" },
	{ "docs_merge_b_xm", "xm", "0x4b03c643c9869,0x173",
	  "cx8, ht, 3dnowpref, sse, sse4.1, sse4.2, tsc, avx, avx2, aes, erms, "
	  "adx, avx512pf, avx512er, sha, fma, vzeroupper, avx512_vpopcntdq, "
	  "avx512_vbmi2, avx512_vbmi, serialize, fsrm, fma4, movbe, shstk, "
	  "xsave, cmpxchg16, f16c" },
	{ "docs_merge_ab_xm", "xm", "0x18003c9841,0x162",
	  "cx8, sse, sse4.1, sse4.2, tsc, avx, avx2, aes, erms, fma, vzeroupper, "
	  "movbe, xsave, cmpxchg16, f16c" },
	{ "docs_show_example_xm", "xm", "0x4ff7fff9dfcfbf7,0x3e6", NULL },
	{ "generic_x17", "x17", "0x200000080d7,0x0",
	  "cx8, cmov, fxsr, mmx, sse, sse2, tsc, clflush" },
	{ "generic_x21", "x21", "0x200000080d7,0x0",
	  "cx8, cmov, fxsr, mmx, sse, sse2, tsc, clflush" },
	{ "generic_xm", "xm", "0x200000080d7,0x0",
	  "cx8, cmov, fxsr, mmx, sse, sse2, tsc, clflush" },
	{ "generic_x25", "x25", "0x200000080d7,0x0",
	  "cx8, cmov, fxsr, mmx, sse, sse2, tsc, clflush" },
	{ "generic_x26a", "x26a", "0x80c7,0x0", "cx8, cmov, fxsr, sse, sse2, tsc" },
	{ "generic_x26b", "x26b", "0x80c7,0x0", "cx8, cmov, fxsr, sse, sse2, tsc" },
	{ "generic_x27", "x27", "0x80c7,0x0", "cx8, cmov, fxsr, sse, sse2, tsc" },
	{ "pr41_native_x17", "x17", "0x61805fdfbff,0x1e6",
	  "cx8, cmov, fxsr, ht, mmx, 3dnowpref, sse, sse2, sse3, ssse3, sse4.1, "
	  "sse4.2, popcnt, lzcnt, tsc, tscinvbit, avx, avx2, aes, erms, clmul, "
	  "bmi1, bmi2, adx, fma, vzeroupper, clflush, clflushopt, movbe, "
	  "osxsave, xsave, cmpxchg16, lahfsahf, f16c" },
	{ "pr41_generic_x17", "x17", "0x200000080d7,0x0",
	  "cx8, cmov, fxsr, mmx, sse, sse2, tsc, clflush" },
	{ "zulu320_saved_x17", "x17", "77ff9dddfff7,3e6",
	  "cx8, cmov, fxsr, mmx, 3dnowpref, sse, sse2, sse3, ssse3, sse4a, "
	  "sse4.1, sse4.2, popcnt, lzcnt, tsc, tscinvbit, avx, avx2, aes, clmul, "
	  "bmi1, bmi2, adx, avx512f, avx512dq, avx512cd, avx512bw, avx512vl, "
	  "sha, fma, vzeroupper, avx512_vpopcntdq, avx512_vpclmulqdq, "
	  "avx512_vaes, avx512_vnni, clflush, clflushopt, avx512_vbmi2, "
	  "avx512_vbmi, hv, movbe, osxsave, xsave, cmpxchg16, lahfsahf, f16c, "
	  "htt" },
	{ "zulu320_suggested_x17", "x17", "77ff9dddfbf7,3e6",
	  "cx8, cmov, fxsr, mmx, 3dnowpref, sse, sse2, sse3, ssse3, sse4.1, "
	  "sse4.2, popcnt, lzcnt, tsc, tscinvbit, avx, avx2, aes, clmul, bmi1, "
	  "bmi2, adx, avx512f, avx512dq, avx512cd, avx512bw, avx512vl, sha, "
	  "fma, vzeroupper, avx512_vpopcntdq, avx512_vpclmulqdq, avx512_vaes, "
	  "avx512_vnni, clflush, clflushopt, avx512_vbmi2, avx512_vbmi, hv, "
	  "movbe, osxsave, xsave, cmpxchg16, lahfsahf, f16c, htt" },
	{ "zulu320_missing_x17", "x17", "0x400,0x0", "sse4a" },
	{ "t1_minimal_x17", "x17", "0x20000000080,0x0", "sse2, clflush" },
	{ "t4_ivybridge_xm", "xm", "0x142100054bbd7,0xe4",
	  "cx8, cmov, fxsr, mmx, sse, sse2, sse3, ssse3, sse4.1, sse4.2, popcnt, "
	  "tsc, avx, aes, clmul, vzeroupper, clflush, hv, rdtscp, osxsave, "
	  "xsave, cmpxchg16, lahfsahf" },
	{ "t4_sandybridge_tcg_xm", "xm", "0x4200000081d7,0x0",
	  "cx8, cmov, fxsr, mmx, sse, sse2, sse3, tsc, clflush, hv" },
	{ "t4_zulu53749_xm", "xm", "0x4ff7fff9dfcfbf7,0x1e6",
	  "cx8, cmov, fxsr, mmx, 3dnowpref, sse, sse2, sse3, ssse3, sse4.1, "
	  "sse4.2, popcnt, lzcnt, tsc, avx, avx2, aes, erms, clmul, bmi1, bmi2, "
	  "adx, avx512f, avx512dq, avx512cd, avx512bw, avx512vl, sha, fma, "
	  "vzeroupper, avx512_vpopcntdq, avx512_vpclmulqdq, avx512_vaes, "
	  "avx512_vnni, clflush, clflushopt, clwb, avx512_vbmi2, avx512_vbmi, "
	  "hv, rdtscp, rdpid, fsrm, gfni, avx512_bitalg, f16c, pku, ospke, "
	  "avx512_ifma, movbe, osxsave, xsave, cmpxchg16, lahfsahf, f16c" },
	{ "t2_aws_t3a_t3_x26a", "x26a", "0x21461805ddfbf7,0xfcc",
	  "cx8, cmov, fxsr, mmx, 3dnowpref, sse, sse2, sse3, ssse3, sse4.1, "
	  "sse4.2, popcnt, lzcnt, tsc, tscinvbit, avx, avx2, aes, clmul, bmi1, "
	  "bmi2, adx, fma, vzeroupper, clflush, clflushopt, hv, rdtscp, f16c, "
	  "movbe, osxsave, xsave, cmpxchg16, lahfsahf, htt, xsavec, "
	  "avx_fast_unaligned_load" },
	{ "t2_aws_m1small_x26a", "x26a", "0x142000070bbd7,0x380",
	  "cx8, cmov, fxsr, mmx, sse, sse2, sse3, ssse3, sse4.1, sse4.2, popcnt, "
	  "tsc, aes, erms, clmul, clflush, hv, rdtscp, cmpxchg16, lahfsahf, "
	  "htt" },
};

static void
test_vector(void **state)
{
	const struct vector	*v = *state;
	struct ccpu_featset	 fs = V(v->layout, v->value);
	char			 buf[2048];

	ccpu_jvm_format_names(L(v->layout), &fs, buf, sizeof(buf));
	if (v->names != NULL)
		assert_string_equal(buf, v->names);
}

/* ---- arithmetic the reference states between vectors ---- */

static void
test_docs_missing_is_saved_minus_suggested(void **state)
{
	struct ccpu_featset	saved = V("xm", "0x4ff7fff9dfcfbf7,0x3e6");
	struct ccpu_featset	sugg = V("xm", "0x21421801fcfbd7,0x3e6");
	struct ccpu_featset	miss = V("xm", "0x4de3de79c000020,0x0");
	struct ccpu_featset	t;

	(void)state;
	ccpu_featset_minus(&t, &saved, &sugg);
	assert_true(ccpu_featset_equal(&t, &miss));
	t = saved;
	ccpu_featset_and(&t, &sugg);
	assert_true(ccpu_featset_equal(&t, &sugg));
}

static void
test_docs_merge_is_and(void **state)
{
	/* Computer A of the docs' merge example is the suggested value. */
	struct ccpu_featset	a = V("xm", "0x21421801fcfbd7,0x3e6");
	struct ccpu_featset	b = V("xm", "0x4b03c643c9869,0x173");
	struct ccpu_featset	ab = V("xm", "0x18003c9841,0x162");

	(void)state;
	ccpu_featset_and(&a, &b);
	assert_true(ccpu_featset_equal(&a, &ab));
	/* Not a usable value: sse2 and clflush are missing. */
	assert_false(ccpu_featset_subset(ccpu_layout_mandatory(L("xm")), &ab));
}

static void
test_zulu_missing_is_saved_minus_suggested(void **state)
{
	struct ccpu_featset	saved = V("x17", "77ff9dddfff7,3e6");
	struct ccpu_featset	sugg = V("x17", "77ff9dddfbf7,3e6");
	struct ccpu_featset	t;

	(void)state;
	ccpu_featset_minus(&t, &saved, &sugg);
	assert_true(ccpu_featset_equal(&t, &(struct ccpu_featset){ { 0x400 } }));
}

static const struct bitmap_case {
	const char	*name;
	const char	*value;
	const char	*hex;
} bitmaps[] = {
	{ "bitmap_generic_old", "0x200000080d7,0x0",
	  "d7800000000200000000000000000000" },
	{ "bitmap_generic_new", "0x80c7,0x0", "c7800000000000000000000000000000" },
	{ "bitmap_docs_image", "0x4ff7fff9dfcfbf7,0x3e6",
	  "f7fbfc9dff7fff04e603000000000000" },
	{ "bitmap_t2_tags", "0x21461805ddfbf7,0xfcc",
	  "f7fbdd0518462100cc0f000000000000" },
};

static void
test_bitmap(void **state)
{
	const struct bitmap_case	*b = *state;
	struct ccpu_featset		 v, fs;
	char				 hex[CCPU_BITMAP_HEX + 1];

	assert_int_equal(ccpu_jvm_parse_words(b->value, strlen(b->value),
	    CCPU_PARSE_JVM, &v, NULL), 0);
	ccpu_jvm_format_bitmap(&v, hex, sizeof(hex));
	assert_string_equal(hex, b->hex);
	assert_int_equal(ccpu_jvm_parse_bitmap(b->hex, strlen(b->hex), &fs,
	    NULL), 0);
	assert_true(ccpu_featset_equal(&fs, &v));
}

/* ---- reference 9 messages ---- */

static const struct msg_case {
	const char	*id;
	const char	*line;
	const char	*v0;	/* text of the first value, or NULL */
	const char	*arg0;	/* first text argument, or NULL */
} msgs[] = {
	{ "this-machine", "This machine's CPU features are: -XX:CPUFeatures=0x4ff7fff9dfcfbf7,0x3e6",
	  "0x4ff7fff9dfcfbf7,0x3e6", NULL },
	{ "being-used", "CPU features being used are: -XX:CPUFeatures=0x200000080d7,0x0",
	  "0x200000080d7,0x0", NULL },
	{ "kept-intact", "CPU features are being kept intact as requested by -XX:CPUFeatures=ignore",
	  NULL, NULL },
	{ "snapshot-stored", "This snapshot's stored CPU features are: -XX:CPUFeatures=0x61805fdfbff,0x1e6",
	  "0x61805fdfbff,0x1e6", NULL },
	{ "form-old", "VM option 'CPUFeatures=0x1' must be of the form: 0xnum,0xnum",
	  NULL, "0x1" },
	{ "form-new", "VM option 'CPUFeatures=foo' must be of the form: 0xNUM,0xNUM",
	  NULL, "foo" },
	{ "form-aarch64", "VM option 'CPUFeatures=1,2' must be of the form: 0xNUM",
	  NULL, "1,2" },
	{ "os-unsupported", "This OS does not support any arch-specific -XX:CPUFeatures options",
	  NULL, NULL },
	{ "arch-unsupported", "This architecture does not support any arch-specific -XX:CPUFeatures options",
	  NULL, NULL },
	{ "specified-missing", "Specified -XX:CPUFeatures=0x400,0x0; this machine's CPU features are 0x200000080d7,0x0; missing features of this CPU are 0x400,0x0 = sse4a",
	  "0x400,0x0", "sse4a" },
	{ "override-skip", "If you are sure it will not crash you can override this check by -XX:+UnlockExperimentalVMOptions -XX:CheckCPUFeatures=skip .",
	  NULL, NULL },
	{ "override-ignore", "If you are sure it will not crash you can override this check by -XX:+UnlockExperimentalVMOptions -XX:+IgnoreCPUFeatures .",
	  NULL, NULL },
	{ "requires-flag", "Error: -XX:CPUFeatures option requires SSE2 flag to be set: 0x80,0x0",
	  "0x80,0x0", "SSE2" },
	{ "no-sse2", "Unknown x64 processor: SSE2 not supported", NULL, NULL },
	{ "sse2-guarantee", "guarantee(std_cpuid1_edx.bits.sse2 != 0) failed: sse2 is not supported",
	  NULL, NULL },
	{ "clflush-size", "guarantee(...) failed: such clflush size is not supported",
	  NULL, NULL },
	{ "clflush-guarantee", "clflush is not supported", NULL, NULL },
	{ "clflush-assert", "assert(...) failed: clflush should be available",
	  NULL, NULL },
	{ "you-have-to", "You have to specify -XX:CPUFeatures=77ff9dddfbf7,3e6 together with -XX:CRaCCheckpointTo when making a checkpoint file; specified -XX:CRaCRestoreFrom file contains CPU features 77ff9dddfff7,3e6; missing features of this CPU are 400,0 = sse4a",
	  "77ff9dddfbf7,3e6", "sse4a" },
	{ "feature-value", "Specified -XX:CRaCRestoreFrom file contains feature \"cx8\" value 1 while this CPU has value 0",
	  NULL, "cx8" },
	{ "userdata-incompatible", "[0.070s][error][crac] Image checkpoint has incompatible CPU features in its user data",
	  NULL, NULL },
	{ "userdata-size", "User data cpufeatures in /tmp/cr has unexpected size 8 (expected 16)",
	  NULL, "cpufeatures" },
	{ "userdata-store", "CRaC engine failed to store user data cpufeatures",
	  NULL, "cpufeatures" },
	{ "arch-mismatch", "[error][crac] Restore failed due to wrong or missing CPU architecture (current architecture is amd64)",
	  NULL, "amd64" },
	{ "restore-try", "[1.2s][error][crac] Restore failed due to incompatible or missing CPU features, try using -XX:CPUFeatures=0x21421801fcfbd7,0x3e6 on checkpoint.",
	  "0x21421801fcfbd7,0x3e6", NULL },
	{ "restore-failed", "Restore failed due to incompatible or missing CPU features.",
	  NULL, NULL },
	{ "check-invalid", "Invalid value for -XX:CheckCPUFeatures=loose; available are 'compatible', 'exact' or 'skip'",
	  NULL, "loose" },
	{ "engine-constraints", "Cannot verify image constraints (CPU features, labels) for restore with the selected CRaC engine",
	  NULL, NULL },
	{ "engine-cpufeatures", "Cannot verify CPUFeatures for restore with the selected CRaC engine",
	  NULL, NULL },
	{ "record-label", "CRaC engine failed to record label cpu.arch", NULL,
	  "cpu.arch" },
	{ "record-bitmap", "CRaC engine failed to record bitmap cpu.features",
	  NULL, "cpu.features" },
	{ "tag-not-found", "Tag cpu.features was not found", NULL, "cpu.features" },
	{ "bitmap-mismatch", "Bitmap mismatch for tag cpu.features:", NULL,
	  "cpu.features" },
	{ "bitmap-constraint", "Constraint: f7fbfc9dff7fff04e603000000000000",
	  "f7fbfc9dff7fff04e603000000000000", NULL },
	{ "bitmap-image", "Image: d7800000000200000000000000000000",
	  "d7800000000200000000000000000000", NULL },
	{ "engine-mismatch", "Image format does not match; saved image with engine criuengine, restoring with simengine",
	  NULL, "criuengine" },
	{ "aarch64-pac", "Restore failed due to incompatible aarch64 CPU feature PACA (0x10000); these CPUs each require a separate image.",
	  NULL, NULL },
	{ "aarch64-paca-rule", "For -XX:CPUFeatures, exactly one of the bits PACA (0x10000) and NOTPACA (0x100000) must be set.",
	  NULL, "0x10000" },
	{ "aarch64-lse", "LSE (0x100) cannot be disabled via -XX:CPUFeatures on aarch64.",
	  NULL, NULL },
	{ "aarch64-lse-old", "One cannot disable LSE (0x100) by -XX:CPUFeatures as GLIBC_TUNABLES=glibc.cpu.hwcaps is unsupported on aarch64.",
	  NULL, NULL },
	{ "aarch64-generic", "Error: -XX:CPUFeatures=generic is not available on aarch64",
	  NULL, NULL },
	{ "not-restore-settable", "VM option 'CPUFeatures' is not restore-settable and is not available on restore.",
	  NULL, "CPUFeatures" },
	{ "glibc-original", "Original environment variable: GLIBC_TUNABLES=glibc.malloc.check=0",
	  NULL, "glibc.malloc.check=0" },
	{ "glibc-reexec", "Re-exec of java with new environment variable: GLIBC_TUNABLES=:glibc.cpu.hwcaps=,-AVX,-FMA,-AVX2,-BMI1,-BMI2,-ERMS,-LZCNT,-SSSE3,-POPCNT,-SSE4_1,-SSE4_2,-AVX512F,-AVX512CD,-AVX512BW,-AVX512DQ,-AVX512VL,-IBT,-MOVBE,-SHSTK,-XSAVE,-OSXSAVE,-HTT",
	  NULL, ":glibc.cpu.hwcaps=,-AVX,-FMA,-AVX2,-BMI1,-BMI2,-ERMS,-LZCNT,-SSSE3,-POPCNT,-SSE4_1,-SSE4_2,-AVX512F,-AVX512CD,-AVX512BW,-AVX512DQ,-AVX512VL,-IBT,-MOVBE,-SHSTK,-XSAVE,-OSXSAVE,-HTT" },
	{ "glibc-suppressed", "Environment variable already set, glibc CPU_FEATURE_ACTIVE is unavailable - re-exec suppressed: GLIBC_TUNABLES=:glibc.cpu.hwcaps=,-AVX",
	  NULL, "glibc CPU_FEATURE_ACTIVE is unavailable" },
	{ "glibc-loop", "internal error: GLIBC_TUNABLES=:glibc.cpu.hwcaps=,-AVX failed and HOTSPOT_GLIBC_TUNABLES_REEXEC is set",
	  NULL, ":glibc.cpu.hwcaps=,-AVX" },
	{ "setenv-tunables", "setenv GLIBC_TUNABLES error: Cannot allocate memory",
	  NULL, "Cannot allocate memory" },
	{ "setenv-reexec", "setenv HOTSPOT_GLIBC_TUNABLES_REEXEC error: Invalid argument",
	  NULL, "Invalid argument" },
	{ "cmdline-open", "Cannot open /proc/self/cmdline: Permission denied",
	  NULL, "Permission denied" },
	{ "reexec-failed", "Cannot re-execute /proc/self/exe: No such file or directory",
	  NULL, "No such file or directory" },
};

static void
test_message(void **state)
{
	const struct msg_case		*c = *state;
	static struct ccpu_jvm_message	 m;

	assert_true(ccpu_jvm_message_parse(c->line, strlen(c->line), &m));
	assert_string_equal(m.id, c->id);
	if (c->v0 != NULL) {
		assert_true(m.nvalues > 0);
		assert_string_equal(m.values[0].text, c->v0);
		assert_true(m.values[0].parsed);
	}
	if (c->arg0 != NULL) {
		assert_true(m.nargs > 0);
		assert_string_equal(m.args[0], c->arg0);
	}
}

static void
test_messages_all_covered(void **state)
{
	const char	*id;
	size_t		 i, k;

	(void)state;
	for (i = 0; (id = ccpu_jvm_message_id(i)) != NULL; i++) {
		for (k = 0; k < nitems(msgs); k++)
			if (strcmp(msgs[k].id, id) == 0)
				break;
		if (k == nitems(msgs))
			fail_msg("message %s has no test line", id);
	}
}

static void
test_message_full_docs_text(void **state)
{
	static const char line[] = "You have to specify -XX:CPUFeatures="
	    "0x21421801fcfbd7,0x3e6 together with -XX:CRaCCheckpointTo when "
	    "making a checkpoint file; specified -XX:CRaCRestoreFrom file "
	    "contains CPU features 0x4ff7fff9dfcfbf7,0x3e6; missing features of "
	    "this CPU are 0x4de3de79c000020,0x0 = 3dnowpref, adx, avx512f, "
	    "avx512dq, avx512cd, avx512bw, avx512vl, sha, avx512_vpopcntdq, "
	    "avx512_vpclmulqdq, avx512_vaes, avx512_vnni, clflushopt, clwb, "
	    "avx512_vbmi2, avx512_vbmi, rdpid, fsrm, gfni, avx512_bitalg, pku, "
	    "ospke, avx512_ifma";
	static struct ccpu_jvm_message	m;
	char				buf[2048];

	(void)state;
	assert_true(ccpu_jvm_message_parse(line, strlen(line), &m));
	assert_int_equal(m.nvalues, 3);
	assert_string_equal(m.values[0].role, "suggested");
	assert_string_equal(m.values[1].role, "saved");
	assert_string_equal(m.values[2].role, "missing");
	ccpu_jvm_format_names(L("xm"), &m.values[2].set, buf, sizeof(buf));
	assert_string_equal(buf, m.args[0]);
	assert_non_null(m.override);
}

static void
test_message_not_a_message(void **state)
{
	static struct ccpu_jvm_message	m;
	static const char		*no[] = {
		"", "hello", "CPU features", "Specified -XX:CPUFeatures=",
		"[0.1s][info][gc] Using G1",
	};
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(no); i++)
		assert_false(ccpu_jvm_message_parse(no[i], strlen(no[i]), &m));
}

static void
test_tunables(void **state)
{
	static const char	t[] = ":glibc.cpu.hwcaps=,-AVX,-FMA,-IBT,-SHSTK,"
	    "-MOVBE,-HTT,-XSAVEC";
	struct ccpu_featset	fs;
	char			unknown[64], buf[256];

	(void)state;
	assert_int_equal(ccpu_jvm_tunables(L("x17"), t, &fs, unknown,
	    sizeof(unknown)), 7);
	ccpu_jvm_format_names(L("x17"), &fs, buf, sizeof(buf));
	assert_string_equal(buf, "avx, fma, movbe, ibt, shstk, htt");
	assert_string_equal(unknown, "XSAVEC");
	/* x21 has no glibc ibt/shstk: glibc follows cet_ibt/cet_ss there. */
	ccpu_jvm_tunables(L("x21"), t, &fs, unknown, sizeof(unknown));
	ccpu_jvm_format_names(L("x21"), &fs, buf, sizeof(buf));
	assert_string_equal(buf, "avx, fma, cet_ibt, cet_ss, movbe, htt");
	ccpu_jvm_tunables(L("x27"), t, &fs, unknown, sizeof(unknown));
	assert_string_equal(unknown, "");
}

/* ---- names, versions, parsing ---- */

static const struct lookup_case {
	const char	*name;
	const char	*want;	/* NULL: no such name */
} lookups[] = {
	{ "x17", "x17" }, { "X27", "x27" }, { "17", "x17" },
	{ "17-early", "x17-early" }, { "zulu17", "x17" }, { "21", "x21" },
	{ "22", "xm" }, { "24", "xm" }, { "25", "x25" }, { "26", "x26a" },
	{ "27", "x27" }, { "x26b", "x26b" }, { "18", NULL }, { "", NULL },
	{ "x99", NULL },
};

static void
test_lookup(void **state)
{
	const struct lookup_case	*c = *state;
	const struct ccpu_layout	*l;
	struct ccpu_error		 e;

	l = ccpu_layout_lookup(c->name, &e);
	if (c->want == NULL) {
		assert_null(l);
		assert_int_equal(e.status, CCPU_EUSAGE);
		assert_non_null(strstr(e.msg, "x17-early, x17, x21"));
	} else
		assert_string_equal(ccpu_layout_name(l), c->want);
}

static const struct version_case {
	const char	*version;
	const char	*want;
} versions[] = {
	{ "17.0.15", "x17" }, { "17.0.4", "x17" }, { "17.0.9+11", "x17" },
	{ "17.0.3", "x17-early" }, { "17", "x17-early" },
	{ "17-internal", "x17-early" }, { "21.0.5", NULL }, { "21-internal", NULL },
	{ "22-internal", "xm" }, { "23.0.2", "xm" }, { "25.0.1", "x25" },
	{ "26", NULL }, { "27-internal", NULL }, { "28-internal", NULL },
	{ "29-internal", "x27" },
	{ "11.0.22", NULL }, { "1.8.0_402", NULL }, { "abc", NULL },
};

static void
test_java_version(void **state)
{
	const struct version_case	*c = *state;
	const struct ccpu_layout	*l;
	struct ccpu_error		 e;

	l = ccpu_layout_from_java_version(c->version, &e);
	if (c->want == NULL) {
		assert_null(l);
		assert_int_equal(e.status, CCPU_EINPUT);
	} else {
		assert_non_null(l);
		assert_string_equal(ccpu_layout_name(l), c->want);
	}
}

static void
test_release_file(void **state)
{
	static const char	rel[] = "IMPLEMENTOR=\"Azul Systems, Inc.\"\n"
	    "JAVA_RUNTIME_VERSION=\"17.0.15+6-LTS\"\nJAVA_VERSION=\"17.0.15\"\n";
	static const char	none[] = "IMPLEMENTOR=\"x\"\n";
	struct ccpu_error	e;

	(void)state;
	assert_string_equal(ccpu_layout_name(ccpu_layout_from_release(rel,
	    strlen(rel), &e)), "x17");
	assert_null(ccpu_layout_from_release(none, strlen(none), &e));
}

/*
 * Whatever a JVM derives is plausible for its layout: every fixture CPU in
 * every layout, raw, used and recorded; and the x17 value with avx2 but
 * without avx is not.
 */
static void
test_derived_values_are_plausible(void **state)
{
	const struct ccpu_layout	*l;
	struct ccpu_jvm_features	 jf;
	struct ccpu_featset		 never, v;
	struct ccpu_profile		*p;
	struct ccpu_error		 e;
	char				 path[512], why[512], **names;
	size_t				 n, i, k, checked = 0;

	(void)state;
	names = tu_list_dir("tests/fixtures/cpuid", &n);
	assert_non_null(names);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "tests/fixtures/cpuid/%s", names[i]);
		p = ccpu_profile_new();
		if (ccpu_profile_load(p, path, &e) == 0)
			for (k = 0; (l = ccpu_layout_at(k)) != NULL; k++) {
				if (ccpu_jvm_derive_host(l, p, &jf, &e) == -1)
					continue;
				if (ccpu_jvm_implausible(l, &jf.raw, &never, why,
				    sizeof(why)) != 0 ||
				    ccpu_jvm_implausible(l, &jf.used, &never,
				    why, sizeof(why)) != 0 ||
				    ccpu_jvm_implausible(l, &jf.recorded, &never,
				    why, sizeof(why)) != 0)
					fail_msg("%s in %s: implausible: %s",
					    names[i], ccpu_layout_name(l), why);
				checked++;
			}
		ccpu_profile_free(p);
		free(names[i]);
	}
	free(names);
	assert_true(checked > 100);
	l = ccpu_layout_lookup("x17", &e);
	assert_int_equal(ccpu_jvm_parse_value(l, "0x200000880d7,0x0", &v, &e), 0);
	assert_int_equal(ccpu_jvm_implausible(l, &v, &never, why, sizeof(why)), 1);
	assert_string_equal(why, "avx2 without avx");
}

/* Vendor rows: the same JAVA_VERSION means another layout in another build. */
static void
test_release_vendor(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;	/* NULL: the release does not decide */
	} rels[] = {
		{ "IMPLEMENTOR=\"Azul Systems, Inc.\"\nJAVA_VERSION=\"25.0.1\"\n"
		  "IMPLEMENTOR_VERSION=\"Zulu25.30+17-CA\"\n", "x26a" },
		{ "JAVA_VERSION=\"25.0.1\"\nIMPLEMENTOR=\"Ubuntu\"\n", "x25" },
		{ "IMPLEMENTOR=\"Azul Systems, Inc.\"\r\nJAVA_VERSION=\"26\"\r\n",
		  "x26b" },
		{ "JAVA_VERSION=\"26\"\n", NULL },
		{ "IMPLEMENTOR=\"Azul Systems, Inc.\"\nJAVA_VERSION=\"21.0.5\"\n",
		  NULL },
	};
	struct ccpu_jdk_release		 r;
	const struct ccpu_layout	*l;
	struct ccpu_error		 e;
	const char			*ev;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(rels); i++) {
		ccpu_jdk_release_parse(rels[i].text, strlen(rels[i].text), &r);
		l = ccpu_layout_from_jdk_release(&r, &ev, &e);
		if (rels[i].want == NULL) {
			assert_null(l);
			continue;
		}
		assert_non_null(l);
		assert_string_equal(ccpu_layout_name(l), rels[i].want);
	}
	ccpu_jdk_release_parse(rels[0].text, strlen(rels[0].text), &r);
	assert_string_equal(r.implementor_version, "Zulu25.30+17-CA");
	assert_string_equal(r.java_version, "25.0.1");
}

static const struct parse_case {
	const char	*layout;
	const char	*value;
	int		 ok;
	uint64_t	 w0, w1;
} parses[] = {
	{ "x17", "0x80,0x0", 1, 0x80, 0 },
	{ "x17", "0X80,0X0", 1, 0x80, 0 },
	{ "x17", "128,0", 1, 0x80, 0 },			/* decimal, as strtoull */
	{ "x17", "0200,0", 1, 0x80, 0 },		/* octal */
	{ "x17", "77ff9dddfff7,3e6", 1, 0x77ff9dddfff7, 0x3e6 },	/* Zulu */
	{ "x17", "0x1", 0, 0, 0 },			/* one word */
	{ "x17", "0x1,0x2,0x3", 0, 0, 0 },
	{ "x17", "0x80,", 0, 0, 0 },
	{ "x17", "0x80,0x", 0, 0, 0 },
	{ "x17", "-1,0", 0, 0, 0 },
	{ "x17", "0x80 ,0x0", 0, 0, 0 },
	{ "x17", "0x1ffffffffffffffff,0", 0, 0, 0 },	/* overflow */
	{ "x17", "0x800000000000,0x0", 0, 0, 0 },	/* bit 47: not in x17 */
	{ "x21", "0x800000000000,0x0", 1, 0x800000000000, 0 },
	{ "x17", "0x0,0x400", 0, 0, 0 },		/* glibc bit 10 */
	{ "x27", "0x0,0x8000000000000000", 1, 0, 0x8000000000000000 },
	{ "x27", "0x0,0x4", 0, 0, 0 },			/* bit 66: unused */
	{ "x17", "", 0, 0, 0 },
	{ "x17", "generic", 0, 0, 0 },
};

static void
test_parse(void **state)
{
	const struct parse_case	*c = *state;
	struct ccpu_featset	 fs;
	struct ccpu_error	 e;
	int			 rc;

	rc = ccpu_jvm_parse_value(L(c->layout), c->value, &fs, &e);
	if (!c->ok) {
		assert_int_equal(rc, -1);
		assert_int_equal(e.status, CCPU_EINPUT);
		return;
	}
	assert_int_equal(rc, 0);
	assert_true(fs.w[0] == c->w0);
	assert_true(fs.w[1] == c->w1);
}

static void
test_value_ambiguous(void **state)
{
	(void)state;
	assert_true(ccpu_jvm_value_ambiguous("400,0"));
	assert_true(ccpu_jvm_value_ambiguous("10,0"));
	assert_false(ccpu_jvm_value_ambiguous("1,0"));
	assert_false(ccpu_jvm_value_ambiguous("0x400,0x0"));
	assert_false(ccpu_jvm_value_ambiguous("77ff,3e6"));
	assert_false(ccpu_jvm_value_ambiguous("0,0"));
}

static void
test_format_minimal_hex(void **state)
{
	struct ccpu_featset	fs = CCPU_FEATSET_INIT;
	char			v[CCPU_VALUE_MAX];

	(void)state;
	ccpu_jvm_format_value(L("x17"), &fs, v, sizeof(v));
	assert_string_equal(v, "0x0,0x0");
	fs.w[0] = 0x4ff7fff9dfcfbf7;
	fs.w[1] = 0x3e6;
	ccpu_jvm_format_value(L("x17"), &fs, v, sizeof(v));
	assert_string_equal(v, "0x4ff7fff9dfcfbf7,0x3e6");
	fs.w[0] = UINT64_MAX;
	ccpu_jvm_format_value(L("x17"), &fs, v, sizeof(v));
	assert_string_equal(v, "0xffffffffffffffff,0x3e6");
}

/* ---- properties over every layout ---- */

static uint64_t
next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 11 ^ *s << 21;
}

static struct ccpu_featset
random_valid(const struct ccpu_layout *l, uint64_t *seed)
{
	struct ccpu_featset	fs = *ccpu_layout_valid(l);

	fs.w[0] &= next_rand(seed);
	fs.w[1] &= next_rand(seed);
	return fs;
}

static void
test_roundtrip_value_every_layout(void **state)
{
	const struct ccpu_layout	*l;
	struct ccpu_featset		 x, y;
	char				 v[CCPU_VALUE_MAX], bm[CCPU_BITMAP_HEX + 1];
	uint64_t			 seed = 1;
	size_t				 i;
	int				 n;

	(void)state;
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++)
		for (n = 0; n < 500; n++) {
			x = n == 0 ? *ccpu_layout_valid(l) : random_valid(l, &seed);
			ccpu_jvm_format_value(l, &x, v, sizeof(v));
			assert_int_equal(ccpu_jvm_parse_value(l, v, &y, NULL), 0);
			assert_true(ccpu_featset_equal(&x, &y));
			ccpu_jvm_format_bitmap(&x, bm, sizeof(bm));
			assert_int_equal(ccpu_jvm_parse_bitmap(bm, strlen(bm), &y,
			    NULL), 0);
			assert_true(ccpu_featset_equal(&x, &y));
		}
}

static void
test_roundtrip_translate_every_pair(void **state)
{
	const struct ccpu_layout	*a, *b;
	struct ccpu_featset		 x, there, lost, back, lost2, u;
	uint64_t			 seed = 7;
	size_t				 i, k;
	int				 n;

	(void)state;
	for (i = 0; (a = ccpu_layout_at(i)) != NULL; i++)
		for (k = 0; (b = ccpu_layout_at(k)) != NULL; k++)
			for (n = 0; n < 100; n++) {
				x = n == 0 ? *ccpu_layout_valid(a) :
				    random_valid(a, &seed);
				ccpu_jvm_translate(a, &x, b, &there, &lost);
				assert_true(ccpu_featset_subset(&there,
				    ccpu_layout_valid(b)));
				ccpu_jvm_translate(b, &there, a, &back, &lost2);
				assert_true(ccpu_featset_empty(&lost2));
				/* back and lost split x. */
				u = back;
				ccpu_featset_or(&u, &lost);
				assert_true(ccpu_featset_equal(&u, &x));
				u = back;
				ccpu_featset_and(&u, &lost);
				assert_true(ccpu_featset_empty(&u));
				if (ccpu_layout_id(a) == ccpu_layout_id(b))
					assert_true(ccpu_featset_equal(&there, &x));
			}
}

static void
test_translate_x17_to_x27(void **state)
{
	struct ccpu_featset	x = V("x17", "77ff9dddfff7,3e6"), out, lost;
	char			buf[512];

	(void)state;
	ccpu_jvm_translate(L("x17"), &x, L("x27"), &out, &lost);
	ccpu_jvm_format_names(L("x17"), &lost, buf, sizeof(buf));
	assert_string_equal(buf, "f16c");	/* the glibc word's raw f16c */
	assert_true(out.w[0] == 0x77ff9dddfff7);
	ccpu_jvm_format_names(L("x27"), &out, buf, sizeof(buf));
	assert_non_null(strstr(buf, "hv, movbe, osxsave, xsave, cmpxchg16, "
	    "lahfsahf, htt"));
}

/* ---- derivation on synthetic CPUs ---- */

struct reg { uint32_t leaf, sub, r[4]; };

#define EAX 0
#define EBX 1
#define ECX 2
#define EDX 3

/* A Haswell-like Intel CPU (family 6 model 0x3c): OSXSAVE+AVX, AVX2, no AVX-512. */
static void
haswell(struct ccpu_cpu *c)
{
	static const struct reg regs[] = {
		{ 0x0, 0, { 0xd, 0x756e6547, 0x6c65746e, 0x49656e69 } },
		{ 0x1, 0, { 0x306c3, 0x00010800, 0x7ffafbff, 0xbfebfbff } },
		{ 0x7, 0, { 0, 0x27ab, 0, 0 } },
		{ 0xd, 0, { 0x7, 0x340, 0x340, 0 } },
		{ 0x80000000, 0, { 0x80000008, 0, 0, 0 } },
		{ 0x80000001, 0, { 0, 0, 0x21, 0x2c100800 } },
		{ 0x80000007, 0, { 0, 0, 0, 0x100 } },
	};
	size_t	i;

	ccpu_cpu_init(c);
	for (i = 0; i < nitems(regs); i++)
		assert_int_equal(ccpu_cpu_add(c, regs[i].leaf, regs[i].sub,
		    regs[i].r, NULL), 0);
	c->xcr0 = 0x7;
	c->xcr0_source = CCPU_XCR0_XGETBV;
}

static void
set_reg(struct ccpu_cpu *c, uint32_t leaf, uint32_t sub, int r, uint32_t v)
{
	uint32_t	regs[4] = { 0, 0, 0, 0 };

	ccpu_cpu_query(c, leaf, sub, regs);
	regs[r] = v;
	assert_int_equal(ccpu_cpu_set(c, leaf, sub, regs, NULL), 0);
}

static void
names(const char *layout, const struct ccpu_featset *fs, char *buf, size_t n)
{
	ccpu_jvm_format_names(L(layout), fs, buf, n);
}

static struct ccpu_cpu	cpu;	/* large; one at a time */

static void
test_derive_haswell_x17(void **state)
{
	struct ccpu_jvm_features	jf;
	char				buf[1024];

	(void)state;
	haswell(&cpu);
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL), 0);
	names("x17", &jf.used, buf, sizeof(buf));
	/* -Xlog:os+cpu of JDK 17 on qemu -cpu Haswell, plus tscinvbit, no hv. */
	assert_string_equal(buf, "cx8, cmov, fxsr, mmx, sse, sse2, sse3, ssse3, "
	    "sse4.1, sse4.2, popcnt, lzcnt, tsc, tscinvbit, avx, avx2, aes, "
	    "erms, clmul, bmi1, bmi2, fma, vzeroupper, clflush, movbe, "
	    "osxsave, xsave, cmpxchg16, lahfsahf, f16c, htt");
	assert_true(ccpu_featset_equal(&jf.raw, &jf.used));
	assert_true(ccpu_featset_empty(&jf.unknown));
	assert_true(ccpu_featset_empty(&jf.inferred));
	assert_int_equal(jf.use_avx, 2);
	assert_int_equal(jf.use_sse, 4);
}

/* tscinvbit on Intel family 6 model 0x2d would make tscinv, but never does. */
static void
test_derive_tscinv_never(void **state)
{
	struct ccpu_jvm_features	jf;
	size_t				i;

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 1, 0, EAX, 0x206d7);	/* Sandy Bridge-EP */
	for (i = 0; ccpu_layout_at(i) != NULL; i++) {
		assert_int_equal(ccpu_jvm_derive(ccpu_layout_at(i), &cpu, &jf,
		    NULL), 0);
		assert_true(ccpu_featset_has(&jf.raw, 16));
		assert_false(ccpu_featset_has(&jf.raw, 17));
	}
}

/* Without SSE4.1, JDK 21 and later use no AVX; JDK 17 still does. */
static void
test_derive_no_sse41_drops_avx_from_21(void **state)
{
	struct ccpu_jvm_features	jf;

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 1, 0, ECX, 0x7ffafbff & ~(1u << 19));
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL), 0);
	assert_true(ccpu_featset_has(&jf.used, 18));
	assert_int_equal(ccpu_jvm_derive(L("x21"), &cpu, &jf, NULL), 0);
	assert_true(ccpu_featset_has(&jf.raw, 18));
	assert_false(ccpu_featset_has(&jf.used, 18));
	assert_false(ccpu_featset_has(&jf.used, 53));	/* f16c too */
	assert_int_equal(jf.use_avx, 0);
}

/* AMD reads lzcnt from bit 5, except the pre-JDK-8280867 17 tree (bit 6). */
static void
test_derive_amd_lzcnt_by_line(void **state)
{
	struct ccpu_jvm_features	jf;

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 0, 0, EBX, 0x68747541);	/* "Auth" */
	set_reg(&cpu, 0x80000001, 0, ECX, 1u << 5);
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL), 0);
	assert_true(ccpu_featset_has(&jf.raw, 14));
	assert_false(ccpu_featset_has(&jf.raw, 10));
	assert_int_equal(ccpu_jvm_derive(L("x17-early"), &cpu, &jf, NULL), 0);
	assert_false(ccpu_featset_has(&jf.raw, 14));
	set_reg(&cpu, 0x80000001, 0, ECX, 1u << 6);
	assert_true(ccpu_jvm_derive(L("x17-early"), &cpu, &jf, NULL) == 0 &&
	    ccpu_featset_has(&jf.raw, 14) && !ccpu_featset_has(&jf.raw, 10));
	assert_true(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL) == 0 &&
	    !ccpu_featset_has(&jf.raw, 14) && ccpu_featset_has(&jf.raw, 10));
}

/* clwb: Intel only up to xm, every vendor but ZX from x25 on. */
static void
test_derive_clwb_by_vendor_and_line(void **state)
{
	struct ccpu_jvm_features	jf;

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 7, 0, EBX, 0x27ab | 1u << 24);
	assert_true(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL) == 0 &&
	    ccpu_featset_has(&jf.raw, 43));
	set_reg(&cpu, 0, 0, EBX, 0x68747541);
	assert_true(ccpu_jvm_derive(L("x21"), &cpu, &jf, NULL) == 0 &&
	    !ccpu_featset_has(&jf.raw, 43));
	assert_true(ccpu_jvm_derive(L("x25"), &cpu, &jf, NULL) == 0 &&
	    ccpu_featset_has(&jf.raw, 43));
	set_reg(&cpu, 0, 0, EBX, 0x746e6543);	/* "Cent" */
	assert_true(ccpu_jvm_derive(L("x27"), &cpu, &jf, NULL) == 0 &&
	    !ccpu_featset_has(&jf.raw, 43));
}

/* Zhaoxin family 6 or 7 runs with UseAVX=0. */
static void
test_derive_zx_no_avx(void **state)
{
	struct ccpu_jvm_features	jf;

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 0, 0, EBX, 0x68532020);	/* "  Sh" */
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL), 0);
	assert_true(ccpu_featset_has(&jf.raw, 18));
	assert_false(ccpu_featset_has(&jf.used, 18));
	assert_false(ccpu_featset_has(&jf.used, 36));
}

/* Knights Landing/Mill: no vzeroupper in the used set. */
static void
test_derive_knights(void **state)
{
	struct ccpu_jvm_features	jf;

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 1, 0, EAX, 0x50671);	/* family 6 model 0x57 */
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL), 0);
	assert_true(ccpu_featset_has(&jf.raw, 36));
	assert_false(ccpu_featset_has(&jf.used, 36));
}

/* Skylake-SP stepping < 5 with AVX-512: UseAVX=2 clears the avx512 bits. */
static void
test_derive_skylake_stepping4(void **state)
{
	struct ccpu_jvm_features	jf;

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 1, 0, EAX, 0x50654);
	set_reg(&cpu, 7, 0, EBX, 0x27ab | 1u << 16 | 1u << 17 | 1u << 30 |
	    1u << 31 | 1u << 28);
	cpu.xcr0 = 0xe7;
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL), 0);
	assert_true(ccpu_featset_has(&jf.raw, 27));
	assert_false(ccpu_featset_has(&jf.used, 27));
	assert_int_equal(jf.use_avx, 2);
	set_reg(&cpu, 1, 0, EAX, 0x50657);
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL), 0);
	assert_true(ccpu_featset_has(&jf.used, 27));
	assert_int_equal(jf.use_avx, 3);
}

/* XCR0 not recorded and not inferable: the AVX bits are unknown. */
static void
test_derive_xcr0_unknown(void **state)
{
	struct ccpu_jvm_features	jf;
	char				buf[256];

	(void)state;
	haswell(&cpu);
	cpu.xcr0 = 0;
	cpu.xcr0_source = CCPU_XCR0_NONE;
	cpu.missing |= CCPU_MISS_XCR0;
	assert_int_equal(ccpu_jvm_derive(L("x21"), &cpu, &jf, NULL), 0);
	names("x21", &jf.unknown, buf, sizeof(buf));
	assert_string_equal(buf, "avx, avx2, vzeroupper, f16c");
	assert_false(ccpu_featset_has(&jf.raw, 18));
}

/* XCR0 inferred from leaf 0xD: the AVX bits are set and marked. */
static void
test_derive_xcr0_inferred(void **state)
{
	struct ccpu_jvm_features	jf;
	char				buf[256];

	(void)state;
	haswell(&cpu);
	cpu.xcr0_source = CCPU_XCR0_INFERRED;
	assert_int_equal(ccpu_jvm_derive(L("x27"), &cpu, &jf, NULL), 0);
	names("x27", &jf.inferred, buf, sizeof(buf));
	assert_string_equal(buf, "avx, avx2, vzeroupper, f16c, "
	    "avx_fast_unaligned_load");
	assert_true(ccpu_featset_has(&jf.raw, 18));
}

/* Leaf 7.1 not recorded: sha512 and avx_ifma are unknown from x25 on. */
static void
test_derive_leaf7_1_missing(void **state)
{
	struct ccpu_jvm_features	jf;
	char				buf[256];

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 7, 0, EAX, 1);
	cpu.missing |= CCPU_MISS_LEAF7_1;
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL), 0);
	assert_true(ccpu_featset_empty(&jf.unknown));
	assert_int_equal(ccpu_jvm_derive(L("x25"), &cpu, &jf, NULL), 0);
	names("x25", &jf.unknown, buf, sizeof(buf));
	/* apx_f needs XCR0 bit 19, which is known to be clear. */
	assert_string_equal(buf, "avx_ifma, sha512");
}

/* The latest line sets sse, sse2, mmx and clflush unconditionally. */
static void
test_derive_x27_always_bits(void **state)
{
	struct ccpu_jvm_features	jf;

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 1, 0, EDX, 0xbfebfbff & ~(1u << 23));	/* no mmx */
	assert_int_equal(ccpu_jvm_derive(L("x25"), &cpu, &jf, NULL), 0);
	assert_false(ccpu_featset_has(&jf.raw, 4));
	assert_int_equal(ccpu_jvm_derive(L("x27"), &cpu, &jf, NULL), 0);
	assert_true(ccpu_featset_has(&jf.raw, 4));
	assert_true(ccpu_featset_subset(ccpu_layout_generic(L("x27")), &jf.raw));
}

static void
test_derive_refuses_no_sse2(void **state)
{
	struct ccpu_jvm_features	jf;
	struct ccpu_error		e;

	(void)state;
	haswell(&cpu);
	set_reg(&cpu, 1, 0, EDX, 0xbfebfbff & ~(1u << 26));
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, &e), -1);
	assert_non_null(strstr(e.msg, "SSE2"));
}

/* ---- levels ---- */

static void
test_level_haswell(void **state)
{
	struct ccpu_jvm_features	jf;
	struct ccpu_level		lv;

	(void)state;
	haswell(&cpu);
	assert_int_equal(ccpu_level_cpu(&cpu, &lv), 3);
	assert_int_equal(lv.nmissing, 8);	/* 5 features, 3 XCR0 states */
	assert_string_equal(lv.missing[0], "avx512f");
	assert_int_equal(ccpu_jvm_derive(L("x17"), &cpu, &jf, NULL), 0);
	assert_int_equal(ccpu_level_jvm(L("x17"), &jf.used, NULL, &lv), 3);
	cpu.xcr0 = 0x3;		/* the OS enables no YMM state */
	assert_int_equal(ccpu_level_cpu(&cpu, &lv), 2);
	cpu.xcr0_source = CCPU_XCR0_NONE;
	assert_int_equal(ccpu_level_cpu(&cpu, &lv), 2);
	assert_true(lv.uncertain);
}

static void
test_level_generic_is_v1(void **state)
{
	struct ccpu_level	lv;
	size_t			i;

	(void)state;
	for (i = 0; ccpu_layout_at(i) != NULL; i++) {
		assert_int_equal(ccpu_level_jvm(ccpu_layout_at(i),
		    ccpu_layout_generic(ccpu_layout_at(i)), NULL, &lv), 1);
		assert_string_equal(lv.missing[0], "cx16");
	}
	assert_string_equal(ccpu_level_name(4), "x86-64-v4");
}

#define CASES(arr, fn, field)						\
	do {								\
		size_t _i;						\
		for (_i = 0; _i < nitems(arr); _i++, n++) {		\
			tests[n].name = (arr)[_i].field;		\
			tests[n].test_func = fn;			\
			tests[n].initial_state = (void *)&(arr)[_i];	\
		}							\
	} while (0)

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_docs_missing_is_saved_minus_suggested),
		cmocka_unit_test(test_docs_merge_is_and),
		cmocka_unit_test(test_zulu_missing_is_saved_minus_suggested),
		cmocka_unit_test(test_messages_all_covered),
		cmocka_unit_test(test_message_full_docs_text),
		cmocka_unit_test(test_message_not_a_message),
		cmocka_unit_test(test_tunables),
		cmocka_unit_test(test_release_file),
		cmocka_unit_test(test_release_vendor),
		cmocka_unit_test(test_derived_values_are_plausible),
		cmocka_unit_test(test_value_ambiguous),
		cmocka_unit_test(test_format_minimal_hex),
		cmocka_unit_test(test_roundtrip_value_every_layout),
		cmocka_unit_test(test_roundtrip_translate_every_pair),
		cmocka_unit_test(test_translate_x17_to_x27),
		cmocka_unit_test(test_derive_haswell_x17),
		cmocka_unit_test(test_derive_tscinv_never),
		cmocka_unit_test(test_derive_no_sse41_drops_avx_from_21),
		cmocka_unit_test(test_derive_amd_lzcnt_by_line),
		cmocka_unit_test(test_derive_clwb_by_vendor_and_line),
		cmocka_unit_test(test_derive_zx_no_avx),
		cmocka_unit_test(test_derive_knights),
		cmocka_unit_test(test_derive_skylake_stepping4),
		cmocka_unit_test(test_derive_xcr0_unknown),
		cmocka_unit_test(test_derive_xcr0_inferred),
		cmocka_unit_test(test_derive_leaf7_1_missing),
		cmocka_unit_test(test_derive_x27_always_bits),
		cmocka_unit_test(test_derive_refuses_no_sse2),
		cmocka_unit_test(test_level_haswell),
		cmocka_unit_test(test_level_generic_is_v1),
	};
	static struct CMUnitTest tests[nitems(fixed) + nitems(vectors) +
	    nitems(bitmaps) + nitems(msgs) + nitems(lookups) + nitems(versions) +
	    nitems(parses)];
	size_t	n = 0, i;
	static char pnames[nitems(parses)][64];

	for (i = 0; i < nitems(fixed); i++)
		tests[n++] = fixed[i];
	CASES(vectors, test_vector, name);
	CASES(bitmaps, test_bitmap, name);
	CASES(msgs, test_message, id);
	CASES(lookups, test_lookup, name);
	CASES(versions, test_java_version, version);
	for (i = 0; i < nitems(parses); i++, n++) {
		snprintf(pnames[i], sizeof(pnames[i]), "parse %s '%s'",
		    parses[i].layout, parses[i].value);
		tests[n].name = pnames[i];
		tests[n].test_func = test_parse;
		tests[n].initial_state = (void *)&parses[i];
	}
	return _cmocka_run_group_tests("jvm", tests, n, NULL, NULL);
}
