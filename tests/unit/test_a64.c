/*
 * aarch64 (src/a64.c): the upstream test vectors of openjdk/crac's
 * CPUFeaturesAWS.sh (0x4000ff for Graviton2 and Graviton1 in the a22
 * numbering, 0x17fff for Graviton4 and Graviton3), the PACA/NOTPACA rule,
 * JDK 17's printed lists on the CPUs qemu emulates, the a53mac model rule
 * as HotSpot's /proc/cpuinfo scan sees big.LITTLE hosts, the SVE sync of
 * the CRaC layouts, MIDR names, the tables' invariants, the arm64
 * /proc/cpuinfo reader and the aarch64 profile's JSON.
 */
#include <stdio.h>

#include "testutil.h"

#include "ccpu/aarch64.h"
#include "ccpu/plan.h"
#include "ccpu/profile.h"
#include "ccpu/survey.h"

/* A CPU from the names of a /proc/cpuinfo Features line and MIDRs. */
static struct ccpu_a64_cpu
cpu(const char *features, const uint32_t *midrs, size_t n)
{
	struct ccpu_a64_cpu	c;
	struct ccpu_error	e;
	const char		*p = features;
	unsigned int		word, bit;
	size_t			k, i;

	memset(&c, 0, sizeof(c));
	while (*p != '\0') {
		k = strcspn(p, " ");
		if (ccpu_a64_hwcap_lookup(p, k, &word, &bit) == -1)
			fail_msg("unknown hwcap name '%.*s'", (int)k, p);
		if (word == 1)
			c.hwcap |= 1ull << bit;
		else
			c.hwcap2 |= 1ull << bit;
		p += k;
		p += strspn(p, " ");
	}
	for (i = 0; i < n; i++)
		assert_int_equal(ccpu_a64_add_core(&c, midrs[i], &e), 0);
	return c;
}

/* The Features lines of the AWS instances of CPUFeaturesAWS.sh. */
#define F_A72	"fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid"
#define F_N1	"fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp " \
		"asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs"
#define F_V1	"fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp " \
		"asimdhp cpuid asimdrdm jscvt fcma lrcpc dcpop sha3 sm3 sm4 " \
		"asimddp sha512 sve asimdfhm dit uscat ilrcpc flagm ssbs paca " \
		"pacg dcpodp svei8mm svebf16 i8mm bf16 dgh rng"
#define F_V2	"fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp " \
		"asimdhp cpuid asimdrdm jscvt fcma lrcpc dcpop sha3 sm3 sm4 " \
		"asimddp sha512 sve asimdfhm dit uscat ilrcpc flagm ssbs sb " \
		"paca pacg dcpodp sve2 sveaes svepmull svebitperm svesha3 " \
		"svesm4 flagm2 frint svei8mm svebf16 i8mm bf16 dgh rng bti"

static const uint32_t midr_a72[] = { 0x410fd083 };
static const uint32_t midr_n1[] = { 0x413fd0c1 };
static const uint32_t midr_v1[] = { 0x411fd401 };
static const uint32_t midr_v2[] = { 0x410fd4f1 };
static const uint32_t midr_a53[] = { 0x410fd034 };

/* The next state of a 64-bit LCG (Knuth's MMIX constants). */
static uint64_t
lcg(uint64_t x)
{
	return x * 6364136223846793005ull + 1442695040888963407ull;
}

static uint64_t
derive(const char *lname, struct ccpu_a64_cpu c)
{
	struct ccpu_featset	fs;

	ccpu_a64_derive(tu_a64_layout(lname), &c, &fs);
	return fs.w[0];
}

/* t4g.micro (Graviton2) to a1.medium (Graviton1): -XX:CPUFeatures=0x4000ff. */
static void
test_vector_4000ff(void **state)
{
	struct ccpu_a64_cpu	t4g = cpu(F_N1, midr_n1, 1);
	struct ccpu_a64_cpu	a1 = cpu(F_A72, midr_a72, 1);

	(void)state;
	assert_int_equal(derive("a22", t4g) & derive("a22", a1), 0x4000ff);
	/* The same set in the other numberings. */
	assert_int_equal(derive("a20", t4g) & derive("a20", a1), 0x1000ff);
	assert_int_equal(derive("a63", t4g) & derive("a63", a1),
	    0x80000000000000ffull);
}

/* c8g.medium (Graviton4) to c7g.medium (Graviton3): 0x17fff in every numbering. */
static void
test_vector_17fff(void **state)
{
	struct ccpu_a64_cpu	c8g = cpu(F_V2, midr_v2, 1);
	struct ccpu_a64_cpu	c7g = cpu(F_V1, midr_v1, 1);
	const char		*const names[] = { "a20", "a22", "a63" };
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(names); i++)
		assert_int_equal(derive(names[i], c8g) & derive(names[i], c7g),
		    0x17fff);
	/* sb is never set on Linux; sve2 and svebitperm only on c8g. */
	assert_int_equal(derive("a63", c8g), 0x77fff);
}

/* plan: CPUFeaturesAWS.sh's checkpoint/restore pairs. */
static void
test_plan(void **state)
{
	struct ccpu_a64_cpu	h[2];
	struct ccpu_featset	v;
	struct ccpu_error	e;

	(void)state;
	h[0] = cpu(F_A72, midr_a72, 1);		/* a1.medium builds */
	h[1] = cpu(F_N1, midr_n1, 1);		/* t4g.micro restores */
	assert_int_equal(ccpu_a64_plan(tu_a64_layout("a22"), h, 2, &v, &e), 0);
	assert_int_equal(v.w[0], 0x4000ff);
	/* t4g.micro builds with 0x4000ff: "One cannot disable LSE (0x100)". */
	h[0] = cpu(F_N1, midr_n1, 1);
	h[1] = cpu(F_A72, midr_a72, 1);
	assert_int_equal(ccpu_a64_plan(tu_a64_layout("a22"), h, 2, &v, &e), -1);
	assert_non_null(strstr(e.msg, "LSE (0x100) cannot be disabled"));
	/* c8g.medium to c7g.medium: 0x17fff. */
	h[0] = cpu(F_V2, midr_v2, 1);
	h[1] = cpu(F_V1, midr_v1, 1);
	assert_int_equal(ccpu_a64_plan(tu_a64_layout("a63"), h, 2, &v, &e), 0);
	assert_int_equal(v.w[0], 0x17fff);
	/* t4g.micro and c8g.medium: PAC differs. */
	h[0] = cpu(F_N1, midr_n1, 1);
	h[1] = cpu(F_V2, midr_v2, 1);
	assert_int_equal(ccpu_a64_plan(tu_a64_layout("a63"), h, 2, &v, &e), -1);
	assert_non_null(strstr(e.msg, "these CPUs each require a separate "
	    "image"));
	assert_int_equal(ccpu_a64_plan(tu_a64_layout("a17"), h, 1, &v, &e), -1);
}

/*
 * ccpu_a64_plan_classes: the x86-64 classes algorithm on aarch64 values;
 * every class value is one the JVM accepts, and a fleet with no one value
 * (PAC kinds, lse) gets ccpu_a64_plan's reason.
 */
static void
test_plan_classes(void **state)
{
	const struct ccpu_a64_layout	*l = tu_a64_layout("a63");
	struct ccpu_a64_cpu		 h[4];
	struct ccpu_plan_classes	*c = calloc(1, sizeof(*c));
	struct ccpu_featset		 single, build;
	struct ccpu_error		 e;
	char				 why[256];
	unsigned int			 j;

	(void)state;
	h[0] = cpu(F_V2, midr_v2, 1);		/* c8g builds */
	h[1] = cpu(F_V1, midr_v1, 1);		/* c7g */
	h[2] = cpu(F_V2, midr_v2, 1);		/* c8g */
	h[3] = cpu(F_V1, midr_v1, 1);		/* c7g */
	assert_int_equal(ccpu_a64_plan(l, h, 4, &single, &e), 0);
	ccpu_a64_derive(l, &h[0], &build);
	assert_int_equal(ccpu_a64_plan_classes(l, h, 4, 2, c, &e), 0);
	assert_true(c->exact);
	assert_int_equal(c->ndistinct, 2);
	assert_int_equal(c->nclasses, 2);
	assert_int_equal(c->class_of[1], 0);
	assert_int_equal(c->class_of[2], 1);
	assert_int_equal(c->class_of[3], 0);
	assert_int_equal(c->value[0].w[0], single.w[0]);
	assert_true(ccpu_featset_equal(&c->value[1], &build));
	assert_true(c->score > c->single_score);
	for (j = 0; j < c->nclasses; j++)
		assert_int_equal(ccpu_a64_value_check(l, &c->value[j], why,
		    sizeof(why)), 0);
	/* One class is the single image. */
	assert_int_equal(ccpu_a64_plan_classes(l, h, 4, 1, c, &e), 0);
	assert_int_equal(c->nclasses, 1);
	assert_int_equal(c->value[0].w[0], single.w[0]);
	assert_true(c->score == c->single_score);
	assert_int_equal(ccpu_a64_plan_classes(l, h, 4, 0, c, &e), -1);
	assert_int_equal(e.status, CCPU_EUSAGE);
	/* PAC kinds differ: one class cannot hold both. */
	h[1] = cpu(F_N1, midr_n1, 1);
	assert_int_equal(ccpu_a64_plan_classes(l, h, 4, 1, c, &e), -1);
	assert_int_equal(e.status, CCPU_EUSAGE);
	assert_non_null(strstr(e.msg, "these CPUs each require a separate "
	    "image"));
	assert_int_equal(ccpu_a64_plan_classes(l, h, 4, 2, c, &e), 0);
	assert_int_equal(c->nclasses, 2);
	assert_int_equal(c->other_kind_on, 1);
	/* The build host's lse cannot be dropped for a target without it. */
	h[0] = cpu(F_N1, midr_n1, 1);
	h[1] = cpu(F_A72, midr_a72, 1);
	assert_int_equal(ccpu_a64_plan_classes(tu_a64_layout("a22"), h, 2, 2, c, &e),
	    -1);
	assert_non_null(strstr(e.msg, "LSE (0x100) cannot be disabled"));
	/*
	 * A Cortex-A53 build host records a53mac whatever the value (HotSpot
	 * sets it after applying -XX:CPUFeatures): not for an A72 target, and
	 * the A72 can make the image for both.
	 */
	h[0] = cpu(F_A72, midr_a53, 1);
	h[1] = cpu(F_A72, midr_a72, 1);
	assert_int_equal(ccpu_a64_plan(l, h, 2, &single, &e), -1);
	assert_non_null(strstr(e.msg, "the build host has a53mac and a target "
	    "lacks it: HotSpot sets a53mac from the CPU model after it applies "
	    "-XX:CPUFeatures"));
	h[0] = cpu(F_A72, midr_a72, 1);
	h[1] = cpu(F_A72, midr_a53, 1);
	assert_int_equal(ccpu_a64_plan(l, h, 2, &single, &e), 0);
	assert_int_equal(single.w[0], 0x80000000000000ffull);
	free(c);
}

/*
 * Fleets of both PAC kinds split by --classes, on 3,000 random fleets of
 * Graviton 1 to 4 and Cortex-A53 (with and without PAC, with and without
 * lse): every class holds one PAC kind, its value is one the JVM accepts,
 * every target has all of it, and its checkpoint host has all of it, is of
 * its kind (the build host, or a member of the class), and has no lse or
 * a53mac the value drops (the JVM refuses the one and records the other
 * whatever the value).
 */
static void
test_plan_classes_pac_split(void **state)
{
	static const char *const feats[] = { F_A72, F_N1, F_V1, F_V2, F_A72 };
	static const uint32_t *const midrs[] = { midr_a72, midr_n1, midr_v1,
	    midr_v2, midr_a53 };
	const struct ccpu_a64_layout	*l = tu_a64_layout("a63");
	struct ccpu_a64_cpu		 h[8];
	struct ccpu_plan_classes	*c = calloc(1, sizeof(*c));
	struct ccpu_featset		 v, ck;
	struct ccpu_error		 e;
	char				 why[256];
	uint64_t			 seed = 7;
	unsigned int			 k, j, on;
	size_t				 n, i, t, split = 0, refused = 0;
	int				 paca = ccpu_a64_layout_paca(l);
	int				 lse = ccpu_a64_layout_bit(l, "lse");
	int				 a53mac = ccpu_a64_layout_bit(l, "a53mac");
	bool				 member;

	(void)state;
	for (t = 0; t < 3000; t++) {
		seed = lcg(seed);
		n = 2 + (seed >> 33) % 7;
		for (i = 0; i < n; i++) {
			seed = lcg(seed);
			h[i] = cpu(feats[(seed >> 40) % 5], midrs[(seed >> 40) %
			    5], 1);
			if (seed >> 50 & 1)	/* PAC on or off (-XX:-UsePAC hosts) */
				h[i].hwcap ^= 1ull << 30;
		}
		k = 2 + (unsigned int)(seed >> 20) % 3;
		if (ccpu_a64_plan_classes(l, h, n, k, c, &e) == -1) {
			/* Only a host's lse or a53mac may stop it. */
			if (strstr(e.msg, "LSE (0x100) cannot be disabled") ==
			    NULL && strstr(e.msg, "HotSpot sets a53mac") == NULL)
				fail_msg("%s", e.msg);
			refused++;
			continue;
		}
		split += c->other_kind_on != 0;
		assert_true(c->nclasses <= k);
		for (j = 0; j < c->nclasses; j++) {
			assert_int_equal(ccpu_a64_value_check(l, &c->value[j],
			    why, sizeof(why)), 0);
			on = c->checkpoint_on[j];
			ccpu_a64_derive(l, &h[on], &ck);
			assert_true(ccpu_featset_subset(&c->value[j], &ck));
			assert_int_equal(ccpu_featset_has(&ck,
			    (unsigned int)paca), ccpu_featset_has(&c->value[j],
			    (unsigned int)paca));
			if (ccpu_a64_checkpoint_check(l, &ck, &c->value[j], why,
			    sizeof(why)) != 0)
				fail_msg("class %u on host %u: %s", j, on, why);
			/* What the image records: a53mac comes back. */
			if (ccpu_featset_has(&ck, (unsigned int)a53mac))
				assert_true(ccpu_featset_has(&c->value[j],
				    (unsigned int)a53mac));
			if (ccpu_featset_has(&ck, (unsigned int)lse))
				assert_true(ccpu_featset_has(&c->value[j],
				    (unsigned int)lse));
			member = on == 0;
			for (i = 1; i < n; i++)
				if (c->class_of[i] == j && i == on)
					member = true;
			assert_true(member);
		}
		for (i = 1; i < n; i++) {
			assert_true(c->class_of[i] < c->nclasses);
			ccpu_a64_derive(l, &h[i], &v);
			assert_true(ccpu_featset_subset(&c->value[c->class_of[i]],
			    &v));
		}
	}
	assert_true(split > 500);
	assert_true(refused < 2000);
	free(c);
}

static void
test_pac_rule(void **state)
{
	const struct ccpu_a64_layout	*l;
	struct ccpu_featset		 v;
	char				 why[256];

	(void)state;
	l = tu_a64_layout("a20");
	ccpu_featset_clear(&v);
	assert_int_equal(ccpu_a64_value_check(l, &v, why, sizeof(why)), 1);
	assert_string_equal(why, "For -XX:CPUFeatures, exactly one of the bits "
	    "PACA (0x10000) and NOTPACA (0x100000) must be set.");
	l = tu_a64_layout("a63");
	v.w[0] = 0x10000 | 0x8000000000000000ull;
	assert_int_equal(ccpu_a64_value_check(l, &v, why, sizeof(why)), 1);
	assert_string_equal(why, "For -XX:CPUFeatures, exactly one of the bits "
	    "PACA (0x10000) and NOTPACA (0x8000000000000000) must be set.");
	v.w[0] = 0x17fff;
	assert_int_equal(ccpu_a64_value_check(l, &v, why, sizeof(why)), 0);
	v.w[0] = 0x80000000000000ffull;
	assert_int_equal(ccpu_a64_value_check(l, &v, why, sizeof(why)), 0);
	/* Exactly one is derived on every CPU. */
	assert_int_equal(derive("a22", cpu(F_A72, midr_a72, 1)) & 0x410000,
	    0x400000);
	assert_int_equal(derive("a22", cpu(F_V1, midr_v1, 1)) & 0x410000,
	    0x10000);
	assert_string_equal(ccpu_a64_generic_refused,
	    "-XX:CPUFeatures=generic is not available on aarch64");
}

/*
 * The layout a word was written in, from the word alone: the PACA/NOTPACA
 * rule leaves one layout for every word without paca, and a word with paca
 * means the same in every layout that accepts it.  Checked on the AWS
 * vectors, on words no layout accepts, on a part that reads differently,
 * and on 20,000 random CPUs' derived words in each CRaC layout.
 */
static void
test_layout_infer(void **state)
{
	static const char *const lnames[] = { "a20", "a22", "a63" };
	const struct ccpu_a64_layout	*l, *got;
	struct ccpu_featset		 v, part;
	struct ccpu_a64_cpu		 c;
	struct ccpu_error		 e;
	char				 from[64], want[1024], have[1024];
	uint64_t			 seed = 42;
	size_t				 i, k;

	(void)state;
	ccpu_featset_clear(&v);
	v.w[0] = 0x4000ff;
	assert_ptr_equal(ccpu_a64_layout_infer(&v, 1, NULL, 0, from,
	    sizeof(from), &e), tu_a64_layout("a22"));
	assert_string_equal(from, "a22");
	v.w[0] = 0x17fff;
	assert_ptr_equal(ccpu_a64_layout_infer(&v, 1, NULL, 0, from,
	    sizeof(from), &e), tu_a64_layout("a63"));
	assert_string_equal(from, "a20, a22, a63");
	v.w[0] = 0x1000ff;
	assert_ptr_equal(ccpu_a64_layout_infer(&v, 1, NULL, 0, from,
	    sizeof(from), &e), tu_a64_layout("a20"));
	v.w[0] = 0x80000000000000ffull;
	assert_ptr_equal(ccpu_a64_layout_infer(&v, 1, NULL, 0, from,
	    sizeof(from), &e), tu_a64_layout("a63"));
	v.w[0] = 0xff;
	assert_null(ccpu_a64_layout_infer(&v, 1, NULL, 0, from, sizeof(from),
	    &e));
	assert_non_null(strstr(e.msg, "no aarch64 CRaC layout accepts it (a20: "
	    "For -XX:CPUFeatures, exactly one of the bits PACA (0x10000) and "
	    "NOTPACA (0x100000) must be set; a22: "));
	/* A part has no PAC rule: bit 20 is notpaca in a20, ecv later. */
	ccpu_featset_clear(&part);
	part.w[0] = 0x100000;
	assert_null(ccpu_a64_layout_infer(NULL, 0, &part, 1, from, sizeof(from),
	    &e));
	assert_non_null(strstr(e.msg, "layouts a20 and a22 both accept it and "
	    "name different features (a20: |notpaca; a22: |ecv)"));
	/* With a whole value that only a22 accepts, the part is known. */
	v.w[0] = 0x4000ff;
	assert_ptr_equal(ccpu_a64_layout_infer(&v, 1, &part, 1, from,
	    sizeof(from), &e), tu_a64_layout("a22"));
	for (i = 0; i < 20000; i++) {
		memset(&c, 0, sizeof(c));
		seed = lcg(seed);
		c.hwcap = seed >> 17 & 0x7fffffffull;
		seed = lcg(seed);
		c.hwcap2 = seed >> 11 & 0xffffffffull;
		assert_int_equal(ccpu_a64_add_core(&c, seed >> 63 ? 0x410fd034 :
		    0x413fd0c1, &e), 0);
		for (k = 0; k < sizeof(lnames) / sizeof(lnames[0]); k++) {
			l = tu_a64_layout(lnames[k]);
			ccpu_a64_derive(l, &c, &v);
			got = ccpu_a64_layout_infer(&v, 1, NULL, 0, from,
			    sizeof(from), &e);
			if (got == NULL)
				fail_msg("%s 0x%llx: %s", lnames[k],
				    (unsigned long long)v.w[0], e.msg);
			ccpu_a64_format_names(l, &v, ",", want, sizeof(want));
			ccpu_a64_format_names(got, &v, ",", have, sizeof(have));
			assert_string_equal(have, want);
		}
	}
}

static void
test_parse_value(void **state)
{
	struct ccpu_featset	v;
	struct ccpu_error	e;

	(void)state;
	assert_int_equal(ccpu_a64_parse_value(tu_a64_layout("a22"), "0x4000ff", &v, &e), 0);
	assert_int_equal(v.w[0], 0x4000ff);
	assert_int_equal(v.w[1], 0);
	assert_int_equal(ccpu_a64_parse_value(tu_a64_layout("a22"), "0x4000ff,0x0", &v,
	    &e), -1);
	assert_int_equal(ccpu_a64_parse_value(tu_a64_layout("a22"), "0x800000", &v,
	    &e), -1);
	assert_non_null(strstr(e.msg, "bit 23 has no meaning in layout a22"));
	assert_int_equal(ccpu_a64_parse_value(tu_a64_layout("a63"), "0x800000", &v,
	    &e), -1);
	assert_int_equal(ccpu_a64_parse_value(tu_a64_layout("a17"), "foo", &v, &e), -1);
}

/* The JVM value object with one word: upstream's 0x4000ff (a22). */
static void
test_value_json(void **state)
{
	struct ccpu_featset	 v;
	struct ccpu_error	 e;
	json_t			*o;
	char			*text;

	(void)state;
	assert_int_equal(ccpu_a64_parse_value(tu_a64_layout("a22"), "0x4000ff", &v, &e), 0);
	o = ccpu_a64_value_json(tu_a64_layout("a22"), &v);
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, "{\"value\":\"0x4000ff\","
	    "\"words\":[\"0x00000000004000ff\"],"
	    "\"bitmap\":\"ff00400000000000\","
	    "\"names\":[\"fp\",\"asimd\",\"evtstrm\",\"aes\",\"pmull\","
	    "\"sha1\",\"sha256\",\"crc32\",\"notpaca\"]}");
	free(text);
	json_decref(o);
	/* A bit with no meaning in the layout is named bitN. */
	ccpu_featset_clear(&v);
	ccpu_featset_add(&v, 23);
	o = ccpu_a64_names_json(tu_a64_layout("a22"), &v);
	assert_string_equal(json_string_value(json_array_get(o, 0)), "bit23");
	json_decref(o);
}

static void
names17(struct ccpu_a64_cpu c, char *buf, size_t size)
{
	struct ccpu_featset	fs;

	ccpu_a64_derive(tu_a64_layout("17"), &c, &fs);
	ccpu_a64_format_names(tu_a64_layout("a17"), &fs, ", ", buf, size);
}

/*
 * What Debian's OpenJDK 17.0.21, 21.0.13 and 25.0.5 print under
 * qemu-aarch64 7.2 on each CPU model and feature removal, with the HWCAP
 * words qemu gives the process (recorded with the JDKs themselves; the
 * 17 column is also compared live by tests/oracle-aarch64.sh).
 */
static const struct jdk_row {
	const char	*model;
	uint64_t	 hwcap, hwcap2;
	const char	*jdk17, *jdk21, *jdk25;
} jdk_rows[] = {
#define LO "aes, pmull, sha1, sha256"
	{ "a64fx", 0x415ffb, 0,
	  "fp, simd, " LO ", crc, lse, dcpop, sve",
	  "fp, asimd, " LO ", crc32, lse, dcpop, sve",
	  "fp, asimd, " LO ", crc32, lse, fphp, asimdhp, dcpop, sve" },
	{ "cortex-a35", 0x8fb, 0, "fp, simd, " LO ", crc",
	  "fp, asimd, " LO ", crc32", "fp, asimd, " LO ", crc32" },
	{ "cortex-a76", 0x119ffb, 0,
	  "fp, simd, " LO ", crc, lse, dcpop",
	  "fp, asimd, " LO ", crc32, lse, dcpop",
	  "fp, asimd, " LO ", crc32, lse, fphp, asimdhp, dcpop" },
	{ "max", 0xecfffffb, 0x7f877fff,
	  "fp, simd, " LO ", crc, lse, dcpop, sha3, sha512, sve, sve2",
	  "fp, asimd, " LO ", crc32, lse, dcpop, sha3, sha512, sve, paca, svebitperm, sve2",
	  "fp, asimd, " LO ", crc32, lse, fphp, asimdhp, dcpop, sha3, sha512, sve, paca, svebitperm, sve2" },
	{ "max,sve=off", 0xecbffffb, 0x76181,
	  "fp, simd, " LO ", crc, lse, dcpop, sha3, sha512",
	  "fp, asimd, " LO ", crc32, lse, dcpop, sha3, sha512, paca",
	  "fp, asimd, " LO ", crc32, lse, fphp, asimdhp, dcpop, sha3, sha512, paca" },
	{ "max,pauth=off", 0x2cfffffb, 0x7f877fff,
	  "fp, simd, " LO ", crc, lse, dcpop, sha3, sha512, sve, sve2",
	  "fp, asimd, " LO ", crc32, lse, dcpop, sha3, sha512, sve, svebitperm, sve2",
	  "fp, asimd, " LO ", crc32, lse, fphp, asimdhp, dcpop, sha3, sha512, sve, svebitperm, sve2" },
	{ "max,sve=off,pauth=off", 0x2cbffffb, 0x76181,
	  "fp, simd, " LO ", crc, lse, dcpop, sha3, sha512",
	  "fp, asimd, " LO ", crc32, lse, dcpop, sha3, sha512",
	  "fp, asimd, " LO ", crc32, lse, fphp, asimdhp, dcpop, sha3, sha512" },
#undef LO
};

static void
test_jdk_lists(void **state)
{
	const struct jdk_row	*r;
	struct ccpu_a64_cpu	 c;
	struct ccpu_featset	 fs;
	const char		*const jdks[] = { "17", "21", "25" };
	const char		*want;
	char			 buf[512];
	size_t			 i, j;

	(void)state;
	for (i = 0; i < nitems(jdk_rows); i++) {
		r = &jdk_rows[i];
		memset(&c, 0, sizeof(c));
		c.hwcap = r->hwcap;
		c.hwcap2 = r->hwcap2;
		for (j = 0; j < nitems(jdks); j++) {
			want = j == 0 ? r->jdk17 : j == 1 ? r->jdk21 : r->jdk25;
			ccpu_a64_derive(tu_a64_layout(jdks[j]), &c, &fs);
			ccpu_a64_format_names(tu_a64_layout(jdks[j]), &fs, ", ", buf,
			    sizeof(buf));
			if (strcmp(buf, want) != 0)
				fail_msg("%s, JDK %s: got '%s', want '%s'",
				    r->model, jdks[j], buf, want);
		}
	}
}

/* What Debian's OpenJDK 17.0.21 prints under qemu-aarch64 (tests/oracle-aarch64.sh). */
static void
test_jdk17_lists(void **state)
{
	struct ccpu_a64_cpu	c;
	char			buf[512];

	(void)state;
	memset(&c, 0, sizeof(c));
	c.hwcap = 0xecfffffb;		/* -cpu max */
	c.hwcap2 = 0x7f877fff;
	names17(c, buf, sizeof(buf));
	assert_string_equal(buf, "fp, simd, aes, pmull, sha1, sha256, crc, lse, "
	    "dcpop, sha3, sha512, sve, sve2");
	c.hwcap = 0x415ffb;		/* -cpu a64fx */
	c.hwcap2 = 0;
	names17(c, buf, sizeof(buf));
	assert_string_equal(buf, "fp, simd, aes, pmull, sha1, sha256, crc, lse, "
	    "dcpop, sve");
}

static void
test_model_rules(void **state)
{
	static const uint32_t a53[] = { 0x410fd034 };
	static const uint32_t a53_a72[] = { 0x410fd034, 0x410fd083 };
	static const uint32_t a72_a53[] = { 0x410fd083, 0x410fd034 };
	static const uint32_t a53_a72_a55[] = { 0x410fd034, 0x410fd083, 0x410fd051 };
	static const uint32_t a57[] = { 0x411fd071 };
	static const uint32_t other_d03[] = { 0x420fd030 };
	char			buf[512];

	(void)state;
	names17(cpu("fp asimd", a53, 1), buf, sizeof(buf));
	assert_string_equal(buf, "fp, simd, a53mac");
	names17(cpu("fp asimd", a53_a72, 2), buf, sizeof(buf));
	assert_string_equal(buf, "fp, simd, a53mac");
	names17(cpu("fp asimd", a72_a53, 2), buf, sizeof(buf));
	assert_string_equal(buf, "fp, simd, a53mac");
	/* HotSpot remembers only the last two parts it meets. */
	names17(cpu("fp asimd", a53_a72_a55, 3), buf, sizeof(buf));
	assert_string_equal(buf, "fp, simd");
	names17(cpu("fp asimd", a57, 1), buf, sizeof(buf));
	assert_string_equal(buf, "fp, simd, stxr_prefetch");
	names17(cpu("fp asimd", other_d03, 1), buf, sizeof(buf));
	assert_string_equal(buf, "fp, simd");
	names17(cpu("fp asimd", NULL, 0), buf, sizeof(buf));
	assert_string_equal(buf, "fp, simd");
	/* CRaC's a53mac is bit 19. */
	assert_int_equal(derive("a63", cpu("fp asimd", a53, 1)),
	    0x8000000000080003ull);
}

/* UseSVE's default: svebitperm needs sve2, sve2 needs sve (CRaC layouts only). */
static void
test_sve_sync(void **state)
{
	(void)state;
	assert_int_equal(derive("a63", cpu("fp svebitperm", NULL, 0)),
	    0x8000000000000001ull);
	assert_int_equal(derive("a63", cpu("fp sve2 svebitperm", NULL, 0)),
	    0x8000000000000001ull);
	assert_int_equal(derive("a63", cpu("fp sve sve2 svebitperm", NULL, 0)),
	    0x8000000000064001ull);
	/* JDK 17 prints sve2 from HWCAP2 alone. */
	assert_int_equal(derive("a17", cpu("fp sve2", NULL, 0)), 0x10000001);
}

static void
test_midr_names(void **state)
{
	static const struct { uint32_t midr; const char *name; bool known; } rows[] = {
		{ 0x413fd0c1, "Arm Neoverse N1 r3p1", true },
		{ 0x411fd401, "Arm Neoverse V1 r1p1", true },
		{ 0x410fd4f1, "Arm Neoverse V2 r0p1", true },
		{ 0x6d0fd490, "Microsoft Azure Cobalt 100 r0p0", true },
		{ 0x461f0010, "Fujitsu A64FX r1p0", true },
		{ 0x481fd010, "HiSilicon TaiShan v110 r1p0", true },
		{ 0xc00fac30, "Ampere AmpereOne r0p0", true },
		{ 0x410fdfff, "Arm part 0xdff r0p15", false },
		{ 0x000f0510, "implementer 0x00 part 0x051 r0p0", false },
		{ 0, "unknown", false },
	};
	const char	*where;
	char		 buf[128];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(ccpu_a64_midr_name(rows[i].midr, buf, sizeof(buf),
		    &where), rows[i].known);
		assert_string_equal(buf, rows[i].name);
	}
	(void)ccpu_a64_midr_name(0x413fd0c1, buf, sizeof(buf), &where);
	assert_non_null(strstr(where, "Graviton2"));
}

static const struct { unsigned int impl; } impl_rows[] = {
#define I(impl, name)	{ impl },
#define P(impl, part, core, where)
#include "a64-midr.def"
#undef P
#undef I
};
static const struct { unsigned int impl, part; } part_rows[] = {
#define I(impl, name)
#define P(impl, part, core, where)	{ impl, part },
#include "a64-midr.def"
#undef P
#undef I
};

static void
test_tables(void **state)
{
	const struct ccpu_a64_layout	*l, *m;
	const char			*name, *other;
	unsigned int			 word, bit, w2, b2, b;
	size_t				 i, j, n;
	bool				 found;

	(void)state;
	/* Layout names unique, bit names unique per layout, paca rule bits. */
	for (i = 0; (l = ccpu_a64_layout_at(i)) != NULL; i++) {
		for (j = i + 1; (m = ccpu_a64_layout_at(j)) != NULL; j++)
			assert_string_not_equal(ccpu_a64_layout_name(l),
			    ccpu_a64_layout_name(m));
		for (b = 0; b < 64; b++) {
			if ((name = ccpu_a64_layout_bit_name(l, b)) == NULL)
				continue;
			assert_int_equal(ccpu_a64_layout_bit(l, name), (int)b);
		}
		assert_true(ccpu_a64_layout_has_value(l) ==
		    (ccpu_a64_layout_notpaca(l) >= 0 &&
		    ccpu_a64_layout_paca(l) >= 0));
	}
	assert_int_equal(i, 6);
	/* HWCAP names unique: each reads back as its own bit. */
	for (n = 0, word = 1; word <= 2; word++)
		for (bit = 0; bit < 64; bit++) {
			if ((other = ccpu_a64_hwcap_name(word, bit)) == NULL)
				continue;
			n++;
			assert_int_equal(ccpu_a64_hwcap_lookup(other,
			    strlen(other), &w2, &b2), 0);
			assert_int_equal(w2, word);
			assert_int_equal(b2, bit);
		}
	assert_int_equal(n, 97);
	/* MIDR parts unique, each of a known implementer. */
	for (i = 0; i < nitems(part_rows); i++) {
		for (j = i + 1; j < nitems(part_rows); j++)
			assert_false(part_rows[i].impl == part_rows[j].impl &&
			    part_rows[i].part == part_rows[j].part);
		for (found = false, j = 0; j < nitems(impl_rows); j++)
			found = found || impl_rows[j].impl == part_rows[i].impl;
		assert_true(found);
	}
}

/* A fixture's bytes (tests/fixtures/cpuinfo-arm64), NUL-terminated. */
static char *
fixture(const char *name, size_t *len)
{
	char	path[256], *buf;
	FILE	*f;

	snprintf(path, sizeof(path), "tests/fixtures/cpuinfo-arm64/%s", name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: cannot open", path);
	buf = calloc(1, 1 << 16);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	return buf;
}

/* /proc/cpuinfo: Features to HWCAP words, processor blocks to MIDRs in order. */
static void
test_cpuinfo(void **state)
{
	struct ccpu_a64_cpu	c;
	struct ccpu_error	e;
	char			unknown[64], *buf;
	size_t			len;

	(void)state;
	buf = fixture("graviton2-n1.txt", &len);
	assert_true(ccpu_a64_cpuinfo_is(buf, len));
	assert_int_equal(ccpu_a64_cpuinfo_parse(buf, len, &c, unknown,
	    sizeof(unknown), &e), 0);
	assert_int_equal(c.hwcap, 0x10119fff);
	assert_int_equal(c.hwcap2, 0);
	assert_int_equal(c.ncores, 1);
	assert_int_equal(c.cores[0].midr, 0x413fd0c1);
	assert_string_equal(unknown, "");
	free(buf);
	buf = fixture("biglittle-a55-a76-agilex5.txt", &len);
	assert_int_equal(ccpu_a64_cpuinfo_parse(buf, len, &c, NULL, 0, &e), 0);
	assert_int_equal(c.ncores, 2);
	assert_int_equal(c.cores[0].midr, 0x412fd050);
	assert_int_equal(c.cores[0].nlogical, 2);
	assert_int_equal(c.cores[1].midr, 0x414fd0b1);
	free(buf);
	/* "Irrelevant" reads 0, as HotSpot's strtol reads it. */
	buf = fixture("neoverse-n2-rhel9.txt", &len);
	assert_int_equal(ccpu_a64_cpuinfo_parse(buf, len, &c, NULL, 0, &e), 0);
	assert_int_equal(c.cores[0].midr, 0x410fd490);
	free(buf);
	/* Unknown names are told, not guessed; an x86 cpuinfo is none. */
	buf = strdup("processor\t: 0\nFeatures\t: fp asimd zz9\n"
	    "CPU implementer\t: 0x41\nCPU part\t: 0xd0c\n");
	assert_int_equal(ccpu_a64_cpuinfo_parse(buf, strlen(buf), &c, unknown,
	    sizeof(unknown), &e), 0);
	assert_string_equal(unknown, "zz9");
	assert_int_equal(c.hwcap, 3);
	free(buf);
	buf = strdup("processor\t: 0\nflags\t: fpu sse2\n");
	assert_false(ccpu_a64_cpuinfo_is(buf, strlen(buf)));
	assert_int_equal(ccpu_a64_cpuinfo_parse(buf, strlen(buf), &c, NULL, 0,
	    &e), -1);
	free(buf);
}

/* An aarch64 profile is ccpu-profile/2 and reads back the same. */
static void
test_profile_json(void **state)
{
	struct ccpu_profile	*p = ccpu_profile_new(), *q = ccpu_profile_new();
	struct ccpu_error	 e;
	char			*buf, *a, *b;
	size_t			 len;

	(void)state;
	buf = fixture("biglittle-a55-a76-agilex5.txt", &len);
	assert_int_equal(ccpu_profile_parse(p, buf, len, "t", &e), 0);
	assert_true(ccpu_profile_is_a64(p));
	assert_string_equal(p->source, "cpuinfo");
	assert_string_equal(p->codename, "Arm Cortex-A55 r2p0");
	assert_true(ccpu_profile_hybrid(p));
	a = ccpu_profile_dumps(p);
	assert_non_null(strstr(a, "\"schema\": \"ccpu-profile/2\""));
	assert_int_equal(ccpu_profile_parse(q, a, strlen(a), "t", &e), 0);
	b = ccpu_profile_dumps(q);
	assert_string_equal(a, b);
	assert_int_equal(q->a64.hwcap, p->a64.hwcap);
	assert_int_equal(q->a64.ncores, 2);
	free(a);
	free(b);
	free(buf);
	ccpu_profile_free(p);
	ccpu_profile_free(q);
}

/*
 * A survey splits by architecture: aarch64 hosts go to their own classes,
 * one plan per PAC kind, the LSE rule naming where to checkpoint.
 */
static void
test_survey(void **state)
{
	static const char *const files[] = {
		"graviton2-n1.txt", "graviton1-a72.txt", "graviton1-a72-gprofiler.txt",
		"ampere1a.txt",
	};
	struct ccpu_survey			*s;
	struct ccpu_profile			*p = ccpu_profile_new();
	const struct ccpu_survey_a64_class	*c;
	const struct ccpu_featset		*plan;
	struct ccpu_error			 e;
	unsigned long				 n;
	char					*buf;
	size_t					 i, len;

	(void)state;
	s = ccpu_survey_new(tu_layout("x25"));
	for (i = 0; i < nitems(files); i++) {
		buf = fixture(files[i], &len);
		assert_int_equal(ccpu_profile_parse(p, buf, len, files[i], &e), 0);
		assert_int_equal(ccpu_survey_add_profile(s, p, &e), 0);
		assert_true(ccpu_survey_class_by_serial(s,
		    ccpu_survey_last_serial(s)) == NULL);
		free(buf);
	}
	ccpu_survey_finish(s);
	assert_int_equal(ccpu_survey_hosts(s), 0);
	assert_int_equal(ccpu_survey_a64_hosts(s), 4);
	assert_int_equal(ccpu_survey_a64_nclasses(s), 3);
	c = ccpu_survey_a64_class(s, 0);
	assert_string_equal(c->id, "a1");
	assert_int_equal(c->hosts, 2);		/* the two Graviton1 */
	assert_int_equal(c->value.w[0], 0x80000000000000ffull);
	plan = ccpu_survey_a64_plan(s, false, &n);
	assert_non_null(plan);
	assert_int_equal(n, 3);
	assert_int_equal(plan->w[0], 0x80000000000000ffull);
	plan = ccpu_survey_a64_plan(s, true, &n);
	assert_non_null(plan);
	assert_int_equal(n, 1);
	assert_int_equal(plan->w[0], 0x113fff);
	buf = ccpu_survey_text(s);
	assert_non_null(strstr(buf, "  checkpoint on a host of a1\n  (not "
	    "every host can: a2 has lse, which the value drops: the JVM refuses "
	    "a value without lse where the CPU has it"));
	assert_non_null(strstr(buf, "hosts with and without PAC need one image "
	    "each"));
	free(buf);
	ccpu_survey_free(s);
	ccpu_profile_free(p);
}

/*
 * The stock layout of a java.version: by its feature release, only a17,
 * a21 and a25, and never a CRaC layout (JDK 27's a63 records its word).
 */
static void
test_layout_stock(void **state)
{
	static const struct {
		const char	*version;
		const char	*want;	/* NULL: refused */
	} rows[] = {
		{ "17.0.9", "a17" }, { "21", "a21" }, { "21.0.5-crac", "a21" },
		{ "25+36", "a25" }, { "22", NULL }, { "27", NULL },
		{ "", NULL }, { "x21", NULL }, { "21x", NULL },
	};
	const struct ccpu_a64_layout	*l;
	struct ccpu_error		 e;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		l = ccpu_a64_layout_stock(rows[i].version, &e);
		if (rows[i].want == NULL) {
			if (l != NULL)
				fail_msg("'%s' gave %s", rows[i].version,
				    ccpu_a64_layout_name(l));
			assert_int_equal(e.status, CCPU_EINPUT);
		} else {
			if (l == NULL)
				fail_msg("'%s': %s", rows[i].version, e.msg);
			assert_string_equal(ccpu_a64_layout_name(l),
			    rows[i].want);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_4000ff),
		cmocka_unit_test(test_vector_17fff),
		cmocka_unit_test(test_pac_rule),
		cmocka_unit_test(test_layout_infer),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_plan_classes),
		cmocka_unit_test(test_plan_classes_pac_split),
		cmocka_unit_test(test_parse_value),
		cmocka_unit_test(test_value_json),
		cmocka_unit_test(test_jdk17_lists),
		cmocka_unit_test(test_jdk_lists),
		cmocka_unit_test(test_layout_stock),
		cmocka_unit_test(test_model_rules),
		cmocka_unit_test(test_sve_sync),
		cmocka_unit_test(test_midr_names),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_cpuinfo),
		cmocka_unit_test(test_profile_json),
		cmocka_unit_test(test_survey),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
