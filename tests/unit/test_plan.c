/*
 * The planner: intersection, attribution, image classes and the relevance
 * table, on literal values (the reference vectors) and synthetic fleets.
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/jvm.h"
#include "ccpu/plan.h"

static struct ccpu_featset
value(const struct ccpu_layout *l, const char *s)
{
	struct ccpu_featset	fs;
	struct ccpu_error	e;

	if (ccpu_jvm_parse_value(l, s, &fs, &e) == -1)
		fail_msg("%s", e.msg);
	return fs;
}

static void
fmt(const struct ccpu_layout *l, const struct ccpu_featset *fs, char *buf)
{
	ccpu_jvm_format_value(l, fs, buf, CCPU_VALUE_MAX);
}

/* Word-wise AND of "0x..,0x.." strings, computed without the library. */
static void
and_words(const char *const *v, size_t n, uint64_t out[2])
{
	char	*end;
	size_t	 i;

	out[0] = out[1] = UINT64_MAX;
	for (i = 0; i < n; i++) {
		out[0] &= strtoull(v[i], &end, 16);
		assert_true(*end == ',');
		out[1] &= strtoull(end + 1, &end, 16);
		assert_true(*end == '\0');
	}
}

static void
test_plan_docs_merge_is_an_and_the_jvm_refuses(void **state)
{
	const struct ccpu_layout	*l = tu_layout("xm");
	struct ccpu_plan_host		 h[2];
	struct ccpu_featset		 a, b;
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	char				 buf[CCPU_VALUE_MAX];

	(void)state;
	/*
	 * The docs merge computer A's suggested value with computer B's:
	 * A is 0x21421801fcfbd7,0x3e6, the suggestion of the first example
	 * (the image value 0x4ff7fff9dfcfbf7 ANDed with B would give
	 * 0x4303c043c9861, not the docs' result).
	 */
	a = value(l, "0x21421801fcfbd7,0x3e6");
	b = value(l, "0x4b03c643c9869,0x173");
	ccpu_featset_and(&a, &b);
	fmt(l, &a, buf);
	assert_string_equal(buf, "0x18003c9841,0x162");

	ccpu_plan_host_from_value(&h[0], "A", &(struct ccpu_featset){ {
	    0x21421801fcfbd7, 0x3e6 } });
	ccpu_plan_host_from_value(&h[1], "B", &(struct ccpu_featset){ {
	    0x4b03c643c9869, 0x173 } });
	assert_int_equal(ccpu_plan_compute(l, h, 2, &p, &e), -1);
	assert_int_equal(e.status, CCPU_EINPUT);
	assert_non_null(strstr(e.msg, "target 'B' lacks sse2, clflush"));
	assert_non_null(strstr(e.msg, "0x18003c9841,0x162"));
}

static void
test_plan_docs_suggested_value(void **state)
{
	const struct ccpu_layout	*l = tu_layout("xm");
	struct ccpu_plan_host		 h[2];
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	char				 buf[CCPU_VALUE_MAX], lost[1024];

	(void)state;
	/* The docs' image and restore host: suggested = saved & restore host. */
	ccpu_plan_host_from_value(&h[0], "image", &(struct ccpu_featset){ {
	    0x4ff7fff9dfcfbf7, 0x3e6 } });
	ccpu_plan_host_from_value(&h[1], "restore", &(struct ccpu_featset){ {
	    0x21421801fcfbd7, 0x3e6 } });
	assert_int_equal(ccpu_plan_compute(l, h, 2, &p, &e), 0);
	fmt(l, &p.value, buf);
	assert_string_equal(buf, "0x21421801fcfbd7,0x3e6");
	ccpu_jvm_format_names(l, &p.lost, lost, sizeof(lost));
	assert_string_equal(lost, "3dnowpref, adx, avx512f, avx512dq, avx512cd, "
	    "avx512bw, avx512vl, sha, avx512_vpopcntdq, avx512_vpclmulqdq, "
	    "avx512_vaes, avx512_vnni, clflushopt, clwb, avx512_vbmi2, "
	    "avx512_vbmi, rdpid, fsrm, gfni, avx512_bitalg, pku, ospke, "
	    "avx512_ifma");
}

/* Values that every x86-64 layout before X26a accepts (sse2 and clflush set). */
static const char *const fleet_xm[] = {
	"0x4ff7fff9dfcfbf7,0x3e6",	/* docs image */
	"0x21421801fcfbd7,0x3e6",	/* docs suggested */
	"0x142100054bbd7,0xe4",		/* T4 IvyBridge -> SandyBridge */
	"0x4200000081d7,0x0",		/* T4 SandyBridge TCG */
	"0x4ff7fff9dfcfbf7,0x1e6",	/* T4 i7-1165G7 minimum */
	"0x61805fdfbf7,0x1e6",		/* PR #41 native, ht cleared */
	"0x200000080d7,0x0",		/* generic */
};

static void
test_plan_equals_independent_and(void **state)
{
	const struct ccpu_layout	*l = tu_layout("xm");
	struct ccpu_plan_host		 h[nitems(fleet_xm)];
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	uint64_t			 w[2];
	char				 got[CCPU_VALUE_MAX], want[CCPU_VALUE_MAX];
	size_t				 i, n;

	(void)state;
	for (i = 0; i < nitems(fleet_xm); i++) {
		struct ccpu_featset v = value(l, fleet_xm[i]);

		ccpu_plan_host_from_value(&h[i], fleet_xm[i], &v);
	}
	for (n = 1; n <= nitems(fleet_xm); n++) {
		assert_int_equal(ccpu_plan_compute(l, h, n, &p, &e), 0);
		and_words(fleet_xm, n, w);
		snprintf(want, sizeof(want), "0x%" PRIx64 ",0x%" PRIx64, w[0], w[1]);
		fmt(l, &p.value, got);
		assert_string_equal(got, want);
	}
}

static void
test_plan_is_a_subset_of_every_input(void **state)
{
	const struct ccpu_layout	*l = tu_layout("xm");
	struct ccpu_plan_host		 h[nitems(fleet_xm)];
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(fleet_xm); i++) {
		struct ccpu_featset v = value(l, fleet_xm[nitems(fleet_xm) - 1 - i]);

		ccpu_plan_host_from_value(&h[i], "h", &v);
	}
	assert_int_equal(ccpu_plan_compute(l, h, nitems(h), &p, &e), 0);
	for (i = 0; i < nitems(h); i++)
		assert_true(ccpu_featset_subset(&p.value, &h[i].raw));
	assert_true(ccpu_featset_subset(ccpu_layout_mandatory(l), &p.value));
}

static void
test_plan_adding_a_host_never_adds_a_feature(void **state)
{
	const struct ccpu_layout	*l = tu_layout("xm");
	struct ccpu_plan_host		 h[nitems(fleet_xm)];
	struct ccpu_featset		 prev;
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(fleet_xm); i++) {
		struct ccpu_featset v = value(l, fleet_xm[i]);

		ccpu_plan_host_from_value(&h[i], "h", &v);
		assert_int_equal(ccpu_plan_compute(l, h, i + 1, &p, &e), 0);
		if (i > 0)
			assert_true(ccpu_featset_subset(&p.value, &prev));
		prev = p.value;
	}
}

/*
 * AWS t3a (AMD EPYC, Zen) and t3 (Intel Xeon, Skylake-SP/Cascade Lake) in
 * X26a: the JVM suggests 0x21461805ddfbf7,0xfcc (T2).  The per-instance
 * values are not published, so each host is the intersection plus features
 * of its own vendor: what the planner must return is exactly the shared part.
 */
static void
test_plan_aws_t3a_t3(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x26a");
	struct ccpu_plan_host		 h[2];
	struct ccpu_featset		 common, t3a, t3;
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	char				 buf[CCPU_VALUE_MAX];

	(void)state;
	common = value(l, "0x21461805ddfbf7,0xfcc");
	t3a = tu_with(common, l, "sse4a sha");
	t3 = tu_with(common, l, "erms rtm avx512f avx512dq avx512cd avx512bw "
	    "avx512vl avx512_vnni clwb");
	ccpu_plan_host_from_value(&h[0], "t3a.micro", &t3a);
	ccpu_plan_host_from_value(&h[1], "t3.micro", &t3);
	assert_int_equal(ccpu_plan_compute(l, h, 2, &p, &e), 0);
	fmt(l, &p.value, buf);
	assert_string_equal(buf, "0x21461805ddfbf7,0xfcc");
	ccpu_plan_host_from_value(&h[0], "t3.micro", &t3);
	ccpu_plan_host_from_value(&h[1], "t3a.micro", &t3a);
	assert_int_equal(ccpu_plan_compute(l, h, 2, &p, &e), 0);
	fmt(l, &p.value, buf);
	assert_string_equal(buf, "0x21461805ddfbf7,0xfcc");
}

/* From x26a on a JVM records and suggests values without ht. */
static void
test_plan_x27_value_has_no_ht(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_plan_host		 h[2];
	struct ccpu_featset		 gh = tu_with(*ccpu_layout_generic(l), l,
					    "ht");
	struct ccpu_plan		 p;
	struct ccpu_error		 e;

	(void)state;
	ccpu_plan_host_from_value(&h[0], "smt", &gh);
	ccpu_plan_host_from_value(&h[1], "smt too", &gh);
	assert_int_equal(ccpu_plan_compute(l, h, 2, &p, &e), 0);
	assert_false(ccpu_featset_has(&p.value,
	    (unsigned int)ccpu_layout_bit(l, "ht")));
	assert_true(ccpu_featset_empty(&p.lost));
}

static void
test_plan_ht_comes_from_the_build_host(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x25");
	struct ccpu_plan_host		 h[2];
	struct ccpu_featset		 g = *ccpu_layout_generic(l), gh;
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	int				 ht = ccpu_layout_bit(l, "ht");

	(void)state;
	gh = tu_with(g, l, "ht");
	ccpu_plan_host_from_value(&h[0], "smt", &gh);
	ccpu_plan_host_from_value(&h[1], "nosmt", &g);
	assert_int_equal(ccpu_plan_compute(l, h, 2, &p, &e), 0);
	assert_true(ccpu_featset_has(&p.value, (unsigned int)ht));
	assert_true(ccpu_featset_empty(&p.lost));
	ccpu_plan_host_from_value(&h[0], "nosmt", &g);
	ccpu_plan_host_from_value(&h[1], "smt", &gh);
	assert_int_equal(ccpu_plan_compute(l, h, 2, &p, &e), 0);
	assert_false(ccpu_featset_has(&p.value, (unsigned int)ht));
}

static void
test_plan_unknown_bits_are_left_out(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_plan_host		 h[2];
	struct ccpu_featset		 v;
	struct ccpu_plan		 p;
	struct ccpu_error		 e;

	(void)state;
	v = tu_with(*ccpu_layout_generic(l), l, "avx avx2 sha512");
	ccpu_plan_host_from_value(&h[0], "build", &v);
	ccpu_plan_host_from_value(&h[1], "old-dump", &v);
	h[1].unknown = tu_names(l, "sha512");
	assert_int_equal(ccpu_plan_compute(l, h, 2, &p, &e), 0);
	assert_false(ccpu_featset_has(&p.value, (unsigned int)ccpu_layout_bit(l, "sha512")));
	assert_true(ccpu_featset_has(&p.value, (unsigned int)ccpu_layout_bit(l, "avx2")));
	assert_true(ccpu_featset_equal(&p.unknown, &h[1].unknown));
}

static void
test_plan_build_without_mandatory_is_an_error(void **state)
{
	const struct ccpu_layout	*l = tu_layout("xm");
	struct ccpu_plan_host		 h[1];
	struct ccpu_plan		 p;
	struct ccpu_error		 e;

	(void)state;
	ccpu_plan_host_from_value(&h[0], "odd", &(struct ccpu_featset){ { 0x80, 0 } });
	assert_int_equal(ccpu_plan_compute(l, h, 1, &p, &e), -1);
	assert_non_null(strstr(e.msg, "build host 'odd' lacks clflush"));
	assert_int_equal(ccpu_plan_compute(l, h, 0, &p, &e), -1);
}

static void
test_plan_vendor_families(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_plan_host		 h[3];
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(h); i++)
		ccpu_plan_host_from_value(&h[i], "h", ccpu_layout_generic(l));
	snprintf(h[0].vendor, sizeof(h[0].vendor), "GenuineIntel");
	snprintf(h[1].vendor, sizeof(h[1].vendor), "HygonGenuine");
	snprintf(h[2].vendor, sizeof(h[2].vendor), "AuthenticAMD");
	assert_int_equal(ccpu_plan_compute(l, h, 3, &p, &e), 0);
	assert_int_equal(p.nvendors, 2);
	assert_string_equal(p.vendors[0], "intel");
	assert_string_equal(p.vendors[1], "amd");
	assert_int_equal(ccpu_plan_compute(l, h, 1, &p, &e), 0);
	assert_int_equal(p.nvendors, 1);
}

/* What each vendor alone has: the sets are not nested when both are non-empty. */
static void
test_plan_vendor_only_features(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x21");
	struct ccpu_plan_host		 h[3];
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	struct ccpu_featset		 want;

	(void)state;
	ccpu_plan_host_from_value(&h[0], "intel build",
	    &(struct ccpu_featset){ { 0 } });
	h[0].raw = tu_with(*ccpu_layout_generic(l), l, "sse3 avx avx2 rtm");
	h[0].used = h[0].raw;
	h[1] = h[0];
	h[1].raw = h[1].used = tu_with(*ccpu_layout_generic(l), l, "sse3 avx avx512f");
	h[2] = h[0];
	h[2].raw = h[2].used = tu_with(*ccpu_layout_generic(l), l, "sse3 sse4a avx");
	snprintf(h[0].vendor, sizeof(h[0].vendor), "GenuineIntel");
	snprintf(h[1].vendor, sizeof(h[1].vendor), "GenuineIntel");
	snprintf(h[2].vendor, sizeof(h[2].vendor), "AuthenticAMD");
	assert_int_equal(ccpu_plan_compute(l, h, 3, &p, &e), 0);
	assert_int_equal(p.nvendors, 2);
	want = tu_names(l, "avx2 rtm avx512f");
	assert_true(ccpu_featset_equal(&p.vendor_only[0], &want));
	want = tu_names(l, "sse4a");
	assert_true(ccpu_featset_equal(&p.vendor_only[1], &want));
	/* One vendor: nothing is "alone". */
	assert_int_equal(ccpu_plan_compute(l, h, 2, &p, &e), 0);
	assert_true(ccpu_featset_empty(&p.vendor_only[0]));
}

static void
test_plan_attribution_alone_and_few(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_plan_host		 h[5];
	struct ccpu_plan_attr		 a[5];
	struct ccpu_featset		 g = *ccpu_layout_generic(l), full;
	unsigned int			 rm[CCPU_FEATSET_MAX];
	char				 buf[256];

	(void)state;
	full = tu_with(g, l, "avx avx2 aes sha popcnt");
	ccpu_plan_host_from_value(&h[0], "build", &full);
	ccpu_plan_host_from_value(&h[1], "no-sha", &(struct ccpu_featset){ { 0 } });
	h[1].used = tu_with(g, l, "avx avx2 aes popcnt");
	ccpu_plan_host_from_value(&h[2], "no-avx2-a", &(struct ccpu_featset){ { 0 } });
	h[2].used = tu_with(g, l, "avx aes sha popcnt");
	ccpu_plan_host_from_value(&h[3], "no-avx2-b", &(struct ccpu_featset){ { 0 } });
	h[3].used = tu_with(g, l, "avx aes sha popcnt");
	ccpu_plan_host_from_value(&h[4], "rich", &(struct ccpu_featset){ { 0 } });
	h[4].used = tu_with(full, l, "bmi1");
	ccpu_plan_attribute(l, h, 5, a, rm);

	ccpu_jvm_format_names(l, &a[1].alone, buf, sizeof(buf));
	assert_string_equal(buf, "sha");
	assert_true(ccpu_featset_empty(&a[1].few));
	assert_int_equal(a[1].alone_weight, ccpu_relevance("sha").weight);
	ccpu_jvm_format_names(l, &a[2].few, buf, sizeof(buf));
	assert_string_equal(buf, "avx2");
	assert_true(ccpu_featset_empty(&a[2].alone));
	assert_int_equal(rm[ccpu_layout_bit(l, "avx2")], 2);
	/* bmi1: only "rich" has it, so the four others remove it. */
	assert_int_equal(rm[ccpu_layout_bit(l, "bmi1")], 4);
	assert_true(ccpu_featset_empty(&a[4].lacks));
	ccpu_jvm_format_names(l, &a[0].lacks, buf, sizeof(buf));
	assert_string_equal(buf, "bmi1");
}

static void
test_plan_relevance_table(void **state)
{
	static const char *const all[] = {
#define R(name, cls, weight, why) name,
#include "relevance.def"
#undef R
	};
	const struct ccpu_layout	*l;
	struct ccpu_relevance		 r;
	size_t				 i, j;
	bool				 found;

	(void)state;
	for (i = 0; i < nitems(all); i++) {
		for (j = i + 1; j < nitems(all); j++)
			if (strcmp(all[i], all[j]) == 0)
				fail_msg("'%s' listed twice", all[i]);
		r = ccpu_relevance(all[i]);
		if (r.rclass == CCPU_REL_INFO)
			assert_int_equal(r.weight, 0);
		else
			assert_true(r.weight >= 1 && r.weight <= 100);
		found = false;
		for (j = 0; (l = ccpu_layout_at(j)) != NULL; j++)
			if (ccpu_layout_bit(l, all[i]) >= 0)
				found = true;
		if (!found)
			fail_msg("'%s' is no layout's feature", all[i]);
	}
	r = ccpu_relevance("avx9");
	assert_int_equal(r.rclass, CCPU_REL_OTHER);
	assert_int_equal(r.weight, 1);
	assert_string_equal(ccpu_rel_class_name(CCPU_REL_INFO), "informational");
	assert_true(ccpu_relevance("avx512f").weight > ccpu_relevance("hv").weight);
}

/* Two Intel-like and two AMD-like targets: two classes split by vendor. */
static void
test_plan_classes_split_vendors(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_plan_host		 h[5];
	struct ccpu_featset		 g = *ccpu_layout_generic(l), base, want;
	struct ccpu_plan_classes	*c = calloc(1, sizeof(*c));
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	size_t				 i;

	(void)state;
	base = tu_with(g, l, "sse3 ssse3 sse4.1 sse4.2 popcnt avx avx2 aes");
	ccpu_plan_host_from_value(&h[0], "build", &(struct ccpu_featset){ { 0 } });
	h[0].raw = tu_with(base, l, "avx512f avx512bw avx512vl sse4a sha");
	for (i = 1; i < 5; i++)
		ccpu_plan_host_from_value(&h[i], "t", &base);
	h[1].used = tu_with(base, l, "avx512f avx512bw avx512vl");
	h[2].used = tu_with(base, l, "avx512f avx512bw");
	h[3].used = tu_with(base, l, "sse4a sha");
	h[4].used = tu_with(base, l, "sha");
	assert_int_equal(ccpu_plan_compute(l, h, 5, &p, &e), 0);
	assert_true(ccpu_featset_equal(&p.value, &base));

	assert_int_equal(ccpu_plan_classes(l, h, 5, 2, c, &e), 0);
	assert_true(c->exact);
	assert_int_equal(c->nclasses, 2);
	assert_int_equal(c->class_of[1], 0);
	assert_int_equal(c->class_of[2], 0);
	assert_int_equal(c->class_of[3], 1);
	assert_int_equal(c->class_of[4], 1);
	want = tu_with(base, l, "avx512f avx512bw");
	assert_true(ccpu_featset_equal(&c->value[0], &want));
	assert_true(c->score > c->single_score);

	/* One class is the single image. */
	assert_int_equal(ccpu_plan_classes(l, h, 5, 1, c, &e), 0);
	assert_int_equal(c->nclasses, 1);
	assert_true(ccpu_featset_equal(&c->value[0], &p.value));
	assert_true(c->score == c->single_score);

	/* More classes than kinds: one per kind, no empty class. */
	assert_int_equal(ccpu_plan_classes(l, h, 5, 8, c, &e), 0);
	assert_int_equal(c->nclasses, 4);
	assert_int_equal(c->ndistinct, 4);

	assert_int_equal(ccpu_plan_classes(l, h, 5, 0, c, &e), -1);
	assert_int_equal(e.status, CCPU_EUSAGE);
	free(c);
}

/* Identical targets share a class; splits that gain nothing are not made. */
static void
test_plan_classes_no_gain_no_split(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_plan_host		 h[4];
	struct ccpu_featset		 g = *ccpu_layout_generic(l), v;
	struct ccpu_plan_classes	*c = calloc(1, sizeof(*c));
	struct ccpu_error		 e;

	(void)state;
	v = tu_with(g, l, "avx avx2");
	ccpu_plan_host_from_value(&h[0], "build", &v);
	ccpu_plan_host_from_value(&h[1], "a", &v);
	ccpu_plan_host_from_value(&h[2], "b", &v);
	h[3] = h[1];
	h[3].used = tu_with(v, l, "hv");	/* informational only: weight 0 */
	h[0].raw = tu_with(v, l, "hv");
	assert_int_equal(ccpu_plan_classes(l, h, 4, 3, c, &e), 0);
	assert_int_equal(c->ndistinct, 2);
	assert_int_equal(c->nclasses, 1);
	free(c);
}

/*
 * Many distinct targets (past CCPU_PLAN_EXACT_MAX): the greedy search still
 * keeps every class a superset of the single value and never scores worse.
 */
static void
test_plan_classes_greedy_never_loses(void **state)
{
	static const char *const extras[] = {
		"avx512f", "avx512bw", "avx512vl", "avx512dq", "sha", "aes",
		"bmi1", "bmi2", "adx", "fma", "erms", "clwb", "sse4a", "gfni",
	};
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_plan_host		 h[1 + nitems(extras) * 2];
	struct ccpu_featset		 g = *ccpu_layout_generic(l), all = g;
	struct ccpu_plan_classes	*c = calloc(1, sizeof(*c));
	struct ccpu_plan		 p;
	struct ccpu_error		 e;
	unsigned int			 k;
	size_t				 i, n = 1;

	(void)state;
	for (i = 0; i < nitems(extras); i++)
		all = tu_with(all, l, extras[i]);
	ccpu_plan_host_from_value(&h[0], "build", &all);
	for (i = 0; i < nitems(extras); i++) {
		struct ccpu_featset t1 = tu_with(g, l, extras[i]);
		struct ccpu_featset t2 = tu_with(t1, l, extras[(i + 1) % nitems(extras)]);

		ccpu_plan_host_from_value(&h[n++], "t1", &t1);
		ccpu_plan_host_from_value(&h[n++], "t2", &t2);
	}
	assert_int_equal(ccpu_plan_compute(l, h, n, &p, &e), 0);
	for (k = 1; k <= 6; k++) {
		assert_int_equal(ccpu_plan_classes(l, h, n, k, c, &e), 0);
		assert_false(c->exact);
		assert_true(c->nclasses >= 1 && c->nclasses <= k);
		assert_true(c->score >= c->single_score);
		for (i = 0; i < c->nclasses; i++)
			assert_true(ccpu_featset_subset(&p.value, &c->value[i]));
		for (i = 1; i < n; i++)
			assert_true(ccpu_featset_subset(&c->value[c->class_of[i]],
			    &h[i].used));
	}
	free(c);
}

/* Exact search beats or ties every other partition on a small fleet. */
static void
test_plan_classes_exact_is_optimal(void **state)
{
	const struct ccpu_layout	*l = tu_layout("xm");
	struct ccpu_plan_host		 h[nitems(fleet_xm) + 1];
	struct ccpu_plan_classes	*c = calloc(1, sizeof(*c));
	struct ccpu_featset		 all = CCPU_FEATSET_INIT, v, x;
	struct ccpu_error		 e;
	uint64_t			 best, s;
	unsigned int			 mask, i, nt = nitems(fleet_xm);

	(void)state;
	for (i = 0; i < nt; i++) {
		v = value(l, fleet_xm[i]);
		ccpu_featset_or(&all, &v);
		ccpu_plan_host_from_value(&h[i + 1], fleet_xm[i], &v);
	}
	ccpu_plan_host_from_value(&h[0], "build", &all);
	assert_int_equal(ccpu_plan_classes(l, h, nt + 1, 2, c, &e), 0);
	assert_true(c->exact);
	/* Brute force over every two-way split. */
	best = 0;
	for (mask = 0; mask < (1u << nt); mask++) {
		struct ccpu_featset g0 = all, g1 = all;

		for (i = 0; i < nt; i++)
			ccpu_featset_and((mask >> i & 1) ? &g1 : &g0, &h[i + 1].used);
		s = 0;
		for (i = 0; i < nt; i++) {
			x = (mask >> i & 1) ? g1 : g0;
			s += ccpu_plan_weight(l, &x);
		}
		if (s > best)
			best = s;
	}
	assert_true(c->score == best);
	free(c);
}

/*
 * An entry with count n weighs as n identical hosts.  Targets a = +avx512f,
 * b = +avx512f +sha, c = +sha, two classes: one host each, keeping avx512f
 * for a and b (c alone) wins; with b standing for 99 hosts, keeping b's all
 * wins, a and c share the base.  The same as 99 separate copies of b.
 */
static void
test_plan_classes_count_weighs_like_copies(void **state)
{
	const struct ccpu_layout	*l = tu_layout("x27");
	struct ccpu_plan_host		*h = calloc(102, sizeof(*h));
	struct ccpu_featset		 g = *ccpu_layout_generic(l), base, t[3];
	struct ccpu_plan_classes	*c = calloc(1, sizeof(*c));
	struct ccpu_plan_classes	*sep = calloc(1, sizeof(*sep));
	struct ccpu_error		 e;
	uint64_t			 wb;
	size_t				 i;

	(void)state;
	base = tu_with(g, l, "sse3 ssse3 sse4.1 sse4.2 popcnt avx avx2");
	t[0] = tu_with(base, l, "avx512f");
	t[1] = tu_with(base, l, "avx512f sha");
	t[2] = tu_with(base, l, "sha");
	ccpu_plan_host_from_value(&h[0], "build", &t[1]);
	for (i = 0; i < 3; i++)
		ccpu_plan_host_from_value(&h[i + 1], "t", &t[i]);
	assert_int_equal(h[2].count, 0);

	assert_int_equal(ccpu_plan_classes(l, h, 4, 2, c, &e), 0);
	assert_int_equal(c->class_of[1], c->class_of[2]);
	assert_int_not_equal(c->class_of[2], c->class_of[3]);

	h[2].count = 99;
	assert_int_equal(ccpu_plan_classes(l, h, 4, 2, c, &e), 0);
	assert_true(c->exact);
	assert_int_equal(c->class_of[1], c->class_of[3]);
	assert_int_not_equal(c->class_of[1], c->class_of[2]);
	assert_true(ccpu_featset_equal(&c->value[c->class_of[2]], &t[1]));
	assert_true(ccpu_featset_equal(&c->value[c->class_of[1]], &base));
	wb = ccpu_plan_weight(l, &base);
	assert_true(c->single_score == 101 * wb);
	assert_true(c->score == 99 * ccpu_plan_weight(l, &t[1]) + 2 * wb);

	/* 99 separate copies of b: same split, same scores. */
	h[2].count = 0;
	for (i = 4; i < 102; i++)
		h[i] = h[2];
	assert_int_equal(ccpu_plan_classes(l, h, 102, 2, sep, &e), 0);
	assert_int_equal(sep->nclasses, c->nclasses);
	assert_int_equal(sep->ndistinct, 3);
	assert_true(sep->score == c->score);
	assert_true(sep->single_score == c->single_score);
	for (i = 1; i < 4; i++)
		assert_int_equal(sep->class_of[i], c->class_of[i]);
	free(sep);
	free(c);
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_docs_merge_is_an_and_the_jvm_refuses),
		cmocka_unit_test(test_plan_docs_suggested_value),
		cmocka_unit_test(test_plan_equals_independent_and),
		cmocka_unit_test(test_plan_is_a_subset_of_every_input),
		cmocka_unit_test(test_plan_adding_a_host_never_adds_a_feature),
		cmocka_unit_test(test_plan_aws_t3a_t3),
		cmocka_unit_test(test_plan_ht_comes_from_the_build_host),
		cmocka_unit_test(test_plan_x27_value_has_no_ht),
		cmocka_unit_test(test_plan_unknown_bits_are_left_out),
		cmocka_unit_test(test_plan_build_without_mandatory_is_an_error),
		cmocka_unit_test(test_plan_vendor_families),
		cmocka_unit_test(test_plan_vendor_only_features),
		cmocka_unit_test(test_plan_attribution_alone_and_few),
		cmocka_unit_test(test_plan_relevance_table),
		cmocka_unit_test(test_plan_classes_split_vendors),
		cmocka_unit_test(test_plan_classes_no_gain_no_split),
		cmocka_unit_test(test_plan_classes_greedy_never_loses),
		cmocka_unit_test(test_plan_classes_exact_is_optimal),
		cmocka_unit_test(test_plan_classes_count_weighs_like_copies),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
