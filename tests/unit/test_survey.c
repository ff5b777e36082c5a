/*
 * Survey: folding hosts into classes, the plan and its cost, the restore
 * matrix, unreadable-entry bookkeeping, and the NFD tables and synthesis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "ccpu/survey.h"

static const struct ccpu_layout *
x21(void)
{
	const struct ccpu_layout	*l = ccpu_layout_lookup("x21", NULL);

	assert_non_null(l);
	return l;
}

/* A featset from space-separated JVM names in layout l. */
static struct ccpu_featset
fs(const struct ccpu_layout *l, const char *names)
{
	struct ccpu_featset	 f = CCPU_FEATSET_INIT;
	char			 buf[512], *p, *sp;
	int			 b;

	snprintf(buf, sizeof(buf), "%s", names);
	for (p = buf; p != NULL && *p; p = sp) {
		if ((sp = strchr(p, ' ')) != NULL)
			*sp++ = '\0';
		b = ccpu_layout_bit(l, p);
		if (b < 0)
			fail_msg("unknown feature '%s'", p);
		ccpu_featset_add(&f, (unsigned int)b);
	}
	return f;
}

#define BASE	"cx8 cmov fxsr mmx sse sse2 tsc clflush"

static void
add(struct ccpu_survey *s, const char *name, const char *vendor, const char *used,
    const char *unknown)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	struct ccpu_survey_host		 h;

	memset(&h, 0, sizeof(h));
	h.name = name;
	h.vendor = vendor;
	h.brand = "";
	h.family = 6;
	h.model = 85;
	h.used = fs(l, used);
	if (unknown != NULL)
		h.unknown = fs(l, unknown);
	ccpu_survey_add_host(s, &h);
}

static void
test_survey_classes_fold_identical_hosts(void **state)
{
	struct ccpu_survey		*s = ccpu_survey_new(x21());
	const struct ccpu_survey_class	*c;
	int				 i;
	char				 name[32];

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "h%d", i);
		add(s, name, "GenuineIntel", i % 10 ? BASE " avx avx2" : BASE " avx", NULL);
	}
	ccpu_survey_finish(s);
	assert_int_equal(ccpu_survey_hosts(s), 1000);
	assert_int_equal(ccpu_survey_nclasses(s), 2);
	c = ccpu_survey_class(s, 0);
	assert_string_equal(c->id, "c1");
	assert_int_equal(c->hosts, 900);
	assert_int_equal(c->nexamples, CCPU_SURVEY_EXAMPLES);
	assert_int_equal(c->nmodels, 1);
	assert_true(ccpu_featset_equal(&c->lost, &(struct ccpu_featset){ .w = { 0 } }) == false);
	assert_int_equal(ccpu_survey_feature_hosts(s, ccpu_layout_bit(x21(), "avx2")), 900);
	assert_int_equal(ccpu_survey_feature_hosts(s, ccpu_layout_bit(x21(), "avx")), 1000);
	ccpu_survey_free(s);
}

/* A class by its used set (and no unknown bits), or NULL. */
static const struct ccpu_survey_class *
class_with(const struct ccpu_survey *s, const char *used)
{
	struct ccpu_featset	f = fs(ccpu_survey_layout(s), used);
	size_t			i;

	for (i = 0; i < ccpu_survey_nclasses(s); i++)
		if (ccpu_featset_equal(&ccpu_survey_class(s, i)->used, &f) &&
		    ccpu_featset_empty(&ccpu_survey_class(s, i)->unknown))
			return ccpu_survey_class(s, i);
	return NULL;
}

/* The documented definition, computed here apart: FNV-1a 32 of
 * "layout\0used-value\0unknown-value\0". */
static void
expected_stable_id(const struct ccpu_layout *l, const struct ccpu_featset *used,
    const struct ccpu_featset *unknown, char out[12])
{
	char		 v[3][CCPU_VALUE_MAX];
	uint32_t	 h = 0x811c9dc5u;
	size_t		 i, k;

	snprintf(v[0], sizeof(v[0]), "%s", ccpu_layout_name(l));
	ccpu_jvm_format_value(l, used, v[1], sizeof(v[1]));
	ccpu_jvm_format_value(l, unknown, v[2], sizeof(v[2]));
	for (i = 0; i < 3; i++)
		for (k = 0; k <= strlen(v[i]); k++)
			h = (h ^ (unsigned char)v[i][k]) * 0x01000193u;
	snprintf(out, 12, "%08x", (unsigned int)h);
}

/*
 * A class keeps its stable id when the fleet changes around it (here it
 * drops from rank c1 to c2 as a bigger class joins); different content,
 * including the same used set with an unknown bit or in another layout,
 * gives another id.
 */
static void
test_survey_stable_id_survives_fleet_change(void **state)
{
	struct ccpu_survey		*a = ccpu_survey_new(x21());
	struct ccpu_survey		*b = ccpu_survey_new(x21());
	struct ccpu_survey		*c17 = ccpu_survey_new(ccpu_layout_lookup("x17", NULL));
	const struct ccpu_survey_class	*xa, *xb, *yb, *u, *x17;
	char				 want[12];
	int				 i;

	(void)state;
	for (i = 0; i < 3; i++)
		add(a, "a", "GenuineIntel", BASE " avx", NULL);
	for (i = 0; i < 3; i++)
		add(b, "a", "GenuineIntel", BASE " avx", NULL);
	for (i = 0; i < 5; i++)
		add(b, "b", "GenuineIntel", BASE " avx avx2", NULL);
	add(b, "c", "GenuineIntel", BASE " avx", "avx2");
	add(c17, "a", "GenuineIntel", BASE " avx", NULL);
	ccpu_survey_finish(a);
	ccpu_survey_finish(b);
	ccpu_survey_finish(c17);

	xa = class_with(a, BASE " avx");
	xb = class_with(b, BASE " avx");
	yb = class_with(b, BASE " avx avx2");
	x17 = class_with(c17, BASE " avx");
	assert_non_null(xa);
	assert_non_null(xb);
	assert_non_null(yb);
	assert_non_null(x17);
	assert_string_equal(xa->id, "c1");
	assert_string_equal(xb->id, "c2");		/* the rank moved */
	assert_string_equal(xa->stable_id, xb->stable_id);	/* the id did not */
	assert_string_not_equal(yb->stable_id, xb->stable_id);
	assert_string_not_equal(x17->stable_id, xa->stable_id);
	for (i = 0; i < (int)ccpu_survey_nclasses(b); i++) {
		u = ccpu_survey_class(b, (size_t)i);
		if (u != xb && u != yb)
			assert_string_not_equal(u->stable_id, xb->stable_id);
		expected_stable_id(x21(), &u->used, &u->unknown, want);
		assert_string_equal(u->stable_id, want);
	}
	assert_int_equal(strlen(xa->stable_id), 8);
	assert_int_equal(strspn(xa->stable_id, "0123456789abcdef"), 8);
	ccpu_survey_free(a);
	ccpu_survey_free(b);
	ccpu_survey_free(c17);
}

static void
test_survey_plan_is_intersection_with_attribution(void **state)
{
	const struct ccpu_layout	*l = x21();
	struct ccpu_survey		*s = ccpu_survey_new(l);
	struct ccpu_featset		 want;
	const struct ccpu_featset	*plan;
	bool				 valid;

	(void)state;
	add(s, "intel", "GenuineIntel", BASE " sse3 avx avx2 erms", NULL);
	add(s, "amd", "AuthenticAMD", BASE " sse3 sse4a avx avx2", NULL);
	add(s, "old", "GenuineIntel", BASE " sse3 erms", NULL);
	ccpu_survey_finish(s);
	plan = ccpu_survey_plan(s, &valid);
	want = fs(l, BASE " sse3");
	assert_true(valid);
	assert_true(ccpu_featset_equal(plan, &want));
	/* Only "old" lacks avx and avx2: without it the plan would gain them. */
	for (size_t i = 0; i < ccpu_survey_nclasses(s); i++) {
		const struct ccpu_survey_class *c = ccpu_survey_class(s, i);

		if (strcmp(c->examples[0], "old") == 0) {
			want = fs(l, "avx avx2");
			assert_true(ccpu_featset_equal(&c->gain, &want));
		}
		if (strcmp(c->examples[0], "amd") == 0) {
			want = fs(l, "erms");
			assert_true(ccpu_featset_equal(&c->gain, &want));
		}
	}
	ccpu_survey_free(s);
}

static void
test_survey_plan_invalid_without_mandatory(void **state)
{
	struct ccpu_survey	*s = ccpu_survey_new(x21());
	bool			 valid = true;

	(void)state;
	add(s, "weird", "GenuineIntel", "cx8 cmov", NULL);
	ccpu_survey_finish(s);
	(void)ccpu_survey_plan(s, &valid);
	assert_false(valid);
	ccpu_survey_free(s);
}

static void
test_survey_restore_matrix_three_valued(void **state)
{
	const struct ccpu_layout	*l = x21();
	struct ccpu_survey		*s = ccpu_survey_new(l);
	struct ccpu_featset		 img = fs(l, BASE " avx2 ht");
	const struct ccpu_survey_image	*im;
	size_t				 i;

	(void)state;
	add(s, "yes", "GenuineIntel", BASE " avx avx2", NULL);	/* ht is ignored */
	add(s, "no", "GenuineIntel", BASE " avx", NULL);
	add(s, "nfd", "GenuineIntel", BASE " avx", "avx2");
	ccpu_survey_add_image(s, "img", &img);
	ccpu_survey_finish(s);
	im = ccpu_survey_image(s, 0);
	assert_int_equal(im->hosts_yes, 1);
	assert_int_equal(im->hosts_unknown, 1);
	for (i = 0; i < ccpu_survey_nclasses(s); i++) {
		const char *n = ccpu_survey_class(s, i)->examples[0];

		if (strcmp(n, "yes") == 0)
			assert_int_equal(im->restore[i], CCPU_RESTORE_YES);
		else if (strcmp(n, "no") == 0)
			assert_int_equal(im->restore[i], CCPU_RESTORE_NO);
		else
			assert_int_equal(im->restore[i], CCPU_RESTORE_UNKNOWN);
	}
	ccpu_survey_free(s);
}

/*
 * The HTML page: the header says when (the time given, UTC), from what
 * (operands counted, the first few named and escaped), and a class that
 * lacks only an informational bit of an image is pointed out.
 */
static void
test_survey_html_header_and_informational_note(void **state)
{
	const struct ccpu_layout	*l = x21();
	struct ccpu_survey		*s = ccpu_survey_new(l);
	struct ccpu_featset		 img = fs(l, BASE " avx hv");
	const char *const		 paths[] = { "a/b<i>.json", "c", "d", "e", "f", "g" };
	char				*html;

	(void)state;
	add(s, "vm", "GenuineIntel", BASE " avx hv", NULL);
	add(s, "metal", "GenuineIntel", BASE " avx", NULL);
	add(s, "old", "GenuineIntel", BASE, NULL);
	ccpu_survey_add_image(s, "img", &img);
	ccpu_survey_set_inputs(s, paths, 6, 1700000000);
	ccpu_survey_finish(s);
	html = ccpu_survey_html(s);
	assert_non_null(strstr(html, "<time datetime=\"2023-11-14T22:13:20Z\">"));
	assert_non_null(strstr(html, "<b>6</b> inputs: <code title=\"a/b&lt;i&gt;.json\">"
	    "b&lt;i&gt;.json</code>, "));
	assert_non_null(strstr(html, " and 2 more</span>"));
	assert_non_null(strstr(html, "restores on <b>1</b> of 3 hosts"));
	/* metal lacks only hv: pointed out; old lacks avx as well: not. */
	assert_non_null(strstr(html, "<b>img</b>: only <code>hv</code> blocks: "));
	assert_non_null(strstr(html, "(1 host in 1 class)"));
	free(html);
	ccpu_survey_free(s);
}

static void
test_survey_errors_are_capped_but_counted(void **state)
{
	struct ccpu_survey	*s = ccpu_survey_new(x21());
	unsigned long		 i;

	(void)state;
	for (i = 0; i < CCPU_SURVEY_MAX_ERRORS + 5; i++)
		ccpu_survey_add_error(s, "-", i + 1, "bad");
	ccpu_survey_finish(s);
	assert_int_equal(ccpu_survey_nerrors(s), CCPU_SURVEY_MAX_ERRORS + 5);
	assert_int_equal(ccpu_survey_nerrors_listed(s), CCPU_SURVEY_MAX_ERRORS);
	assert_int_equal(ccpu_survey_error(s, 2)->line, 3);
	ccpu_survey_free(s);
}

static void
test_nfd_table_labels_and_bits_unique(void **state)
{
	static const struct { const char *label; unsigned long key; } rows[] = {
#define X(label, leaf, sub, reg, bit, how, lvl, jvm) \
	{ #label, ((unsigned long)(leaf) << 16) ^ ((unsigned long)(sub) << 8) ^ \
	    ((unsigned long)CCPU_##reg << 6) ^ (unsigned long)(bit) },
#include "nfd.def"
#undef X
	};
	size_t	i, j;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		assert_non_null(ccpu_nfd_label(i));
		for (j = i + 1; j < nitems(rows); j++) {
			if (strcmp(rows[i].label, rows[j].label) == 0)
				fail_msg("label %s twice", rows[i].label);
			if (rows[i].key == rows[j].key)
				fail_msg("%s and %s name one CPUID bit", rows[i].label,
				    rows[j].label);
		}
	}
	assert_null(ccpu_nfd_label(nitems(rows)));
	assert_non_null(ccpu_nfd_blind_reason("tscinvbit"));
	assert_null(ccpu_nfd_blind_reason("avx2"));
}

static const char node_json[] =
    "{\"kind\":\"List\",\"items\":[{\"metadata\":{\"name\":\"n1\",\"labels\":{"
    "\"feature.node.kubernetes.io/cpu-model.vendor_id\":\"Intel\","
    "\"feature.node.kubernetes.io/cpu-model.family\":\"6\","
    "\"feature.node.kubernetes.io/cpu-model.id\":\"85\","
    "\"feature.node.kubernetes.io/cpu-cpuid.AVX\":\"true\","
    "\"feature.node.kubernetes.io/cpu-cpuid.AVX2\":\"true\","
    "\"feature.node.kubernetes.io/cpu-cpuid.AVX512F\":\"true\","
    "\"feature.node.kubernetes.io/cpu-cpuid.OSXSAVE\":\"true\","
    "\"feature.node.kubernetes.io/cpu-cpuid.XSAVE\":\"true\","
    "\"feature.node.kubernetes.io/cpu-cpuid.FMA3\":\"true\"}}},"
    "{\"metadata\":{\"name\":\"no-nfd\",\"labels\":{}}}]}";

static void
test_nfd_nodes_synthesized_and_blind_bits_unknown(void **state)
{
	const struct ccpu_layout	*l = x21();
	struct ccpu_survey		*s = ccpu_survey_new(l);
	const struct ccpu_survey_class	*c;
	json_t				*doc = json_loads(node_json, 0, NULL);

	(void)state;
	assert_non_null(doc);
	assert_true(ccpu_nfd_is_node_list(doc));
	assert_int_equal(ccpu_nfd_add_nodes(s, doc, "nodes.json", NULL), 1);
	ccpu_survey_finish(s);
	assert_int_equal(ccpu_survey_nerrors(s), 1);
	assert_int_equal(ccpu_survey_nfd_hosts(s), 1);
	c = ccpu_survey_class(s, 0);
	assert_true(ccpu_featset_has(&c->used, ccpu_layout_bit(l, "avx2")));
	assert_true(ccpu_featset_has(&c->used, ccpu_layout_bit(l, "sse2")));
	assert_true(ccpu_featset_has(&c->unknown, ccpu_layout_bit(l, "ht")));
	assert_true(ccpu_featset_has(&c->unknown, ccpu_layout_bit(l, "tscinvbit")));
	/* SSE4.2 is in NFD's default denylist and no level label implies it. */
	assert_true(ccpu_featset_has(&c->unknown, ccpu_layout_bit(l, "sse4.2")));
	assert_false(ccpu_featset_has(&c->used, ccpu_layout_bit(l, "sse4.2")));
	assert_int_equal(c->nnodes, 1);
	assert_string_equal(c->nodes[0], "n1");
	json_decref(doc);
	ccpu_survey_free(s);
}

/*
 * The planner's split: weighted by hosts, each image the AND of its CPU
 * classes; a class without a bit every value needs is left out; none
 * unless asked for.
 */
static void
test_survey_split_weighs_hosts_and_leaves_out_unusable(void **state)
{
	const struct ccpu_layout	*l = x21();
	struct ccpu_survey		*s = ccpu_survey_new(l);
	const struct ccpu_survey_split	*sp;
	const struct ccpu_survey_class	*c;
	struct ccpu_featset		 want;
	char				 name[32];
	int				 i;

	(void)state;
	ccpu_survey_set_split(s, 2);
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "big%d", i);
		add(s, name, "GenuineIntel", BASE " avx avx2 avx512f", NULL);
	}
	add(s, "mid", "GenuineIntel", BASE " avx avx2", NULL);
	add(s, "small", "AuthenticAMD", BASE " sse4a", NULL);
	add(s, "odd", "GenuineIntel", "cx8 cmov fxsr mmx sse tsc clflush", NULL);
	ccpu_survey_finish(s);
	assert_int_equal(ccpu_survey_nclasses(s), 4);
	assert_non_null(sp = ccpu_survey_split(s));
	assert_string_equal(sp->skipped, "");
	assert_true(sp->exact);
	assert_int_equal(sp->excluded, 1);
	assert_int_equal(sp->nimages, 2);
	/* The 50 hosts keep avx512f alone; mid and small share BASE. */
	c = ccpu_survey_class(s, 0);
	assert_int_equal(c->hosts, 50);
	assert_int_equal(c->image_class, 0);
	assert_true(ccpu_featset_equal(&sp->images[0].value, &c->used));
	assert_int_equal(sp->images[0].hosts, 50);
	assert_int_equal(sp->images[1].hosts, 2);
	assert_int_equal(sp->images[1].nclasses, 2);
	want = fs(l, BASE);
	assert_true(ccpu_featset_equal(&sp->images[1].value, &want));
	assert_true(ccpu_featset_equal(&sp->single, &want));
	want = fs(l, "avx avx2 avx512f");
	assert_true(ccpu_featset_equal(&sp->images[0].kept, &want));
	assert_true(sp->score > sp->single_score);
	for (i = 0; i < 4; i++) {
		c = ccpu_survey_class(s, (size_t)i);
		if (strcmp(c->examples[0], "odd") == 0)
			assert_int_equal(c->image_class, -1);
		else
			assert_true(c->image_class >= 0);
	}
	ccpu_survey_free(s);

	/* Not asked for, or a single class: no split. */
	s = ccpu_survey_new(l);
	add(s, "a", "GenuineIntel", BASE, NULL);
	add(s, "b", "GenuineIntel", BASE " avx", NULL);
	ccpu_survey_finish(s);
	assert_null(ccpu_survey_split(s));
	assert_int_equal(ccpu_survey_class(s, 0)->image_class, -1);
	ccpu_survey_free(s);
	s = ccpu_survey_new(l);
	ccpu_survey_set_split(s, 3);
	add(s, "a", "GenuineIntel", BASE, NULL);
	ccpu_survey_finish(s);
	assert_null(ccpu_survey_split(s));
	ccpu_survey_free(s);
}

/*
 * More CPU classes than the planner takes: the smallest are folded into
 * one target, every class still lands in an image it can restore.
 */
static void
test_survey_split_past_planner_maximum(void **state)
{
	static const char *const opt[] = {
		"sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "lzcnt", "aes",
		"clmul", "bmi1", "movbe", "sha",
	};
	const struct ccpu_layout	*l = x21();
	struct ccpu_survey		*s = ccpu_survey_new(l);
	const struct ccpu_survey_split	*sp;
	const struct ccpu_survey_class	*c;
	struct ccpu_featset		 f;
	unsigned long			 total = 0;
	size_t				 n = 1100, i, j;
	char				 used[256];
	int				 b;

	(void)state;
	ccpu_survey_set_split(s, 4);
	for (i = 0; i < n; i++) {
		snprintf(used, sizeof(used), "%s", BASE);
		for (j = 0; j < nitems(opt); j++)
			if (i >> j & 1) {
				strncat(used, " ", sizeof(used) - strlen(used) - 1);
				strncat(used, opt[j], sizeof(used) - strlen(used) - 1);
			}
		/* Class i gets 1 + i % 7 hosts, so that sizes differ. */
		for (j = 0; j <= i % 7; j++)
			add(s, "h", "GenuineIntel", used, NULL);
	}
	ccpu_survey_finish(s);
	assert_int_equal(ccpu_survey_nclasses(s), n);
	assert_non_null(sp = ccpu_survey_split(s));
	assert_string_equal(sp->skipped, "");
	assert_false(sp->exact);
	assert_int_equal(sp->merged, n - (CCPU_PLAN_MAX_HOSTS - 2));
	assert_true(sp->nimages >= 1 && sp->nimages <= 4);
	for (i = 0; i < sp->nimages; i++)
		total += sp->images[i].hosts;
	assert_int_equal(total, ccpu_survey_hosts(s));
	for (i = 0; i < n; i++) {
		c = ccpu_survey_class(s, i);
		assert_true(c->image_class >= 0 && c->image_class < (int)sp->nimages);
		f = sp->images[c->image_class].value;
		assert_true(ccpu_featset_subset(&f, &c->used));
		/* Folded classes are the smallest: one host each here. */
		if (i >= CCPU_PLAN_MAX_HOSTS - 2)
			assert_int_equal(c->hosts, 1);
	}
	b = ccpu_layout_bit(l, "sse2");
	assert_true(ccpu_featset_has(&sp->single, (unsigned int)b));
	ccpu_survey_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_survey_classes_fold_identical_hosts),
		cmocka_unit_test(test_survey_stable_id_survives_fleet_change),
		cmocka_unit_test(test_survey_plan_is_intersection_with_attribution),
		cmocka_unit_test(test_survey_plan_invalid_without_mandatory),
		cmocka_unit_test(test_survey_restore_matrix_three_valued),
		cmocka_unit_test(test_survey_errors_are_capped_but_counted),
		cmocka_unit_test(test_survey_html_header_and_informational_note),
		cmocka_unit_test(test_survey_split_weighs_hosts_and_leaves_out_unusable),
		cmocka_unit_test(test_survey_split_past_planner_maximum),
		cmocka_unit_test(test_nfd_table_labels_and_bits_unique),
		cmocka_unit_test(test_nfd_nodes_synthesized_and_blind_bits_unknown),
	};

	return cmocka_run_group_tests_name("survey", tests, NULL, NULL);
}
