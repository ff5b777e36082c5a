/*
 * aarch64 hosts in NFD labels (src/nfd_a64.c): what features --format nfd
 * writes reads back as the same CPU, and each way labels can be wrong or
 * too few is refused with its reason, one named case per row.
 */
#include <stdio.h>

#include "testutil.h"

#include "ccpu/aarch64.h"

#define PRE	"feature.node.kubernetes.io/"

/* Cortex-A55 and Cortex-A76 (an Agilex 5: fp ... lrcpc dcpop asimddp). */
static struct ccpu_a64_cpu
biglittle(void)
{
	struct ccpu_a64_cpu	c;

	memset(&c, 0, sizeof(c));
	c.hwcap = 0x119fff;
	c.ncores = 2;
	c.cores[0].midr = 0x412fd050;
	c.cores[1].midr = 0x414fd0b1;
	return c;
}

/* A Cortex-A53 (a53mac) with ecv in HWCAP2 bit 19, so a20 cannot tell it. */
static struct ccpu_a64_cpu
a53(bool ecv)
{
	struct ccpu_a64_cpu	c;

	memset(&c, 0, sizeof(c));
	c.hwcap = 0x8ff;
	c.hwcap2 = ecv ? 1ull << 19 : 0;
	c.ncores = 1;
	c.cores[0].midr = 0x410fd034;
	return c;
}

/* Add the lines of text ("name=value") to labels, prefixed as NFD does. */
static void
add_lines(json_t *labels, const char *text, bool facts)
{
	char		 key[256];
	const char	*p = text, *eq, *nl;

	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		eq = strchr(p, '=');
		assert_non_null(nl);
		assert_non_null(eq);
		snprintf(key, sizeof(key), PRE "%.*s", (int)(eq - p), p);
		if (facts || strncmp(key, PRE "crac-cpu.aarch64.",
		    strlen(PRE "crac-cpu.aarch64.")) != 0)
			json_object_set_new(labels, key, json_stringn(eq + 1,
			    (size_t)(nl - eq - 1)));
	}
}

static json_t *
labels_of(const struct ccpu_a64_cpu *c, const char *layouts, bool facts)
{
	json_t	*labels = json_object();
	char	 name[8], *text;
	const char *p;
	size_t	 n;

	for (p = layouts; *p != '\0'; p += n + strspn(p + n, " ")) {
		n = strcspn(p, " ");
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		text = ccpu_a64_nfd_labels(tu_a64_layout(name), c);
		add_lines(labels, text, facts);
		free(text);
	}
	return labels;
}

static void
test_round_trip(void **state)
{
	const struct ccpu_a64_cpu	 cpus[] = { biglittle(), a53(false),
					     a53(true) };
	struct ccpu_a64_cpu		 got;
	struct ccpu_featset		 v, want;
	struct ccpu_error		 e;
	json_t				*labels;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(cpus); i++) {
		labels = labels_of(&cpus[i], "a63 a17 a22", true);
		assert_int_equal(ccpu_a64_nfd_read(labels, tu_a64_layout("a63"), &got,
		    &v, &e), 1);
		assert_true(got.hwcap == cpus[i].hwcap);
		assert_true(got.hwcap2 == cpus[i].hwcap2);
		assert_int_equal(got.ncores, cpus[i].ncores);
		assert_int_equal(got.cores[got.ncores - 1].midr,
		    cpus[i].cores[cpus[i].ncores - 1].midr);
		json_decref(labels);
		/* Feature labels alone: the value, when they tell it all. */
		labels = labels_of(&cpus[i], "a22", false);
		assert_int_equal(ccpu_a64_nfd_read(labels, tu_a64_layout("a63"), &got,
		    &v, &e), 2);
		ccpu_a64_derive(tu_a64_layout("a63"), &cpus[i], &want);
		assert_true(ccpu_featset_equal(&v, &want));
		json_decref(labels);
	}
	labels = json_pack("{s:s, s:s}", "kubernetes.io/arch", "arm64",
	    PRE "cpu-cpuid.ATOMICS", "true");
	assert_int_equal(ccpu_a64_nfd_read(labels, tu_a64_layout("a63"), &got, &v,
	    &e), 0);
	json_decref(labels);
}

/*
 * Labels that must be refused: those of layouts, with or without the
 * facts, then one label set ("name=value") or removed ("-name"), without
 * the prefix, or another layout's of the CPU without ecv ("+layout"); the
 * reason holds want.
 */
static const struct reject_case {
	const char	*name;
	bool		 ecv, facts;
	const char	*layouts, *edit, *want;
} rejects[] = {
	{ "hwcap_not_hex", false, true, "a63",
	  "crac-cpu.aarch64.hwcap=0x8fg", "'crac-cpu.aarch64.hwcap' is '0x8fg'" },
	{ "hwcap_without_0x", false, true, "a63",
	  "crac-cpu.aarch64.hwcap=8ff", "not 0x and at most 16 hex digits" },
	{ "hwcap_too_long", false, true, "a63",
	  "crac-cpu.aarch64.hwcap=0x00000000000008ff0", "at most 16 hex" },
	{ "midr_too_long", false, true, "a63",
	  "crac-cpu.aarch64.core0.midr=0x1410fd034", "at most 8 hex" },
	{ "hwcap2_missing", false, true, "a63",
	  "-crac-cpu.aarch64.hwcap2", "without 'crac-cpu.aarch64.hwcap2'" },
	{ "midr_missing", false, true, "a63",
	  "-crac-cpu.aarch64.core0.midr", "without 'crac-cpu.aarch64.core0.midr'" },
	{ "cores_zero", false, true, "a63",
	  "crac-cpu.aarch64.cores=0", "a number of core types" },
	{ "stray_core", false, true, "a63",
	  "crac-cpu.aarch64.core1.midr=0x410fd034", "stale or written by another" },
	{ "facts_contradict_features", false, true, "a63",
	  "crac-cpu.aarch64.core0.midr=0x410fd083", "disagree in layout a63: its "
	  "feature labels say a53mac, the facts do not" },
	{ "class_stale", false, true, "a63",
	  "-crac-cpu.a63.a53mac", "class label" },
	{ "feature_not_true", false, false, "a63",
	  "crac-cpu.a63.lse=false", "not 'true'" },
	{ "feature_unknown", false, false, "a63",
	  "crac-cpu.a63.avx2=true", "layout a63 has no feature 'avx2'" },
	{ "a20_cannot_tell_ecv_wfxt", false, false, "a20", "",
	  "ecv wfxt of layout a63 unknown" },
	{ "layouts_disagree", true, false, "a22",
	  "+a63", "disagree on ecv: layout a22's say the host has it, layout "
	  "a63's do not" },
	{ "stock_layout_only", false, false, "a17", "",
	  "HotSpot numbering only" },
};

static void
test_reject(void **state)
{
	const struct reject_case	*c = *state;
	struct ccpu_a64_cpu		 cpu = a53(c->ecv), got;
	struct ccpu_featset		 v;
	struct ccpu_error		 e;
	json_t				*labels, *other;
	char				 key[256];
	const char			*eq;

	labels = labels_of(&cpu, c->layouts, c->facts);
	if (c->edit[0] == '+') {
		cpu = a53(!c->ecv);
		other = labels_of(&cpu, c->edit + 1, c->facts);
		json_object_update(labels, other);
		json_decref(other);
	} else if (c->edit[0] == '-') {
		snprintf(key, sizeof(key), PRE "%s", c->edit + 1);
		assert_int_equal(json_object_del(labels, key), 0);
	} else if ((eq = strchr(c->edit, '=')) != NULL) {
		snprintf(key, sizeof(key), PRE "%.*s", (int)(eq - c->edit),
		    c->edit);
		json_object_set_new(labels, key, json_string(eq + 1));
	}
	memset(&e, 0, sizeof(e));
	assert_int_equal(ccpu_a64_nfd_read(labels, tu_a64_layout("a63"), &got, &v,
	    &e), -1);
	if (strstr(e.msg, c->want) == NULL)
		fail_msg("'%s' lacks '%s'", e.msg, c->want);
	json_decref(labels);
}

int
main(void)
{
	struct CMUnitTest	tests[1 + nitems(rejects)];
	size_t			i;

	tests[0] = (struct CMUnitTest){ .name = "round_trip",
	    .test_func = test_round_trip };
	for (i = 0; i < nitems(rejects); i++)
		tests[i + 1] = (struct CMUnitTest){ .name = rejects[i].name,
		    .test_func = test_reject,
		    .initial_state = (void *)&rejects[i] };
	return _cmocka_run_group_tests("nfd_a64", tests, nitems(tests), NULL,
	    NULL);
}
