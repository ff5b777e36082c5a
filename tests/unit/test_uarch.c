/*
 * Microarchitecture names (data/microarch.def, src/uarch.c): each of the 30
 * fixture CPUs of tests/fixtures/cpuid is named as its INDEX.md says it is,
 * and by the source the table promises (the table where it has a row,
 * libcpuid where not); the table's invariants hold; a stepping range does
 * not match a CPU whose stepping is unknown.
 */
#include <ctype.h>
#include <stdio.h>

#include "testutil.h"

#include "ccpu/profile.h"
#include "ccpu/uarch.h"

#define FIXDIR	"tests/fixtures/cpuid"

/* What each fixture CPU is (INDEX.md), as archspec or the table names it. */
static const struct fixture_row {
	const char		*file;
	const char		*want;
	enum ccpu_uarch_from	 from;
} fixtures[] = {
	{ "amd-bobcat-zacate-e-350.raw", "bobcat", CCPU_UARCH_TABLE },
	{ "amd-bulldozer-interlagos-opteron-6238.raw", "bulldozer", CCPU_UARCH_TABLE },
	{ "amd-k8-sledgehammer-opteron-248.raw", "k8", CCPU_UARCH_TABLE },
	{ "amd-piledriver-abudhabi-opteron-6380.raw", "piledriver", CCPU_UARCH_TABLE },
	{ "amd-zen1-naples-epyc-7551p.raw", "zen", CCPU_UARCH_TABLE },
	{ "amd-zen2-rome-epyc-7742.raw", "zen2", CCPU_UARCH_TABLE },
	{ "amd-zen3-milan-epyc-7763.raw", "zen3", CCPU_UARCH_TABLE },
	/* libcpuid 0.6.2 says "EPYC (Milan)" */
	{ "amd-zen4-genoa-epyc-9654.raw", "zen4", CCPU_UARCH_TABLE },
	/* libcpuid 0.6.2 says "Turion 64 (Lancaster/1024K)" */
	{ "amd-zen5-strixpoint-ryzen-ai-9-hx-370.raw", "zen5", CCPU_UARCH_TABLE },
	{ "intel-alderlake-s-core-i9-12900k.raw", "alderlake", CCPU_UARCH_TABLE },
	{ "intel-bonnell-atom-d525.raw", "bonnell", CCPU_UARCH_TABLE },
	{ "intel-broadwell-ep-xeon-e5-2697-v4.raw", "broadwell", CCPU_UARCH_TABLE },
	/* model 0x55 stepping 7; libcpuid 0.6.2 says "Skylake (Xeon Scalable)" */
	{ "intel-cascadelake-sp-xeon-platinum-8280.raw", "cascadelake", CCPU_UARCH_TABLE },
	{ "intel-core-conroe-core2-duo-e6750.raw", "core2", CCPU_UARCH_TABLE },
	{ "intel-gracemont-core-i3-n305.raw", "gracemont", CCPU_UARCH_TABLE },
	/* libcpuid 0.6.2 says "Xeon (Woodcrest)" */
	{ "intel-haswell-ep-xeon-e5-2699-v3.raw", "haswell", CCPU_UARCH_TABLE },
	{ "intel-icelake-core-i7-1065g7.raw", "icelake", CCPU_UARCH_TABLE },
	/* Ice Lake server: archspec's icelake; libcpuid 0.6.2 says "P-III Xeon (Cascades)" */
	{ "intel-icelake-sp-xeon-gold-6330.raw", "icelake", CCPU_UARCH_TABLE },
	{ "intel-ivybridge-ep-xeon-e5-2697-v2.raw", "ivybridge", CCPU_UARCH_TABLE },
	/* libcpuid 0.6.2 says "Pentium III (Coppermine)" */
	{ "intel-meteorlake-core-ultra-7-155h.raw", "meteorlake", CCPU_UARCH_TABLE },
	{ "intel-nehalem-ep-xeon-e5520.raw", "nehalem", CCPU_UARCH_TABLE },
	/* 32-bit only, no row: libcpuid names it */
	{ "intel-p6-dothan-pentium-m-1.60ghz.raw", "Pentium M (Dothan)", CCPU_UARCH_LIBCPUID },
	/* a virtual CPU that claims Dothan's family and model: no row either */
	{ "intel-qemu-virtual-cpu64-rhel6.raw", "Pentium M (Dothan)", CCPU_UARCH_LIBCPUID },
	{ "intel-raptorlake-s-core-i9-14900k.raw", "raptorlake", CCPU_UARCH_TABLE },
	{ "intel-sandybridge-ep-xeon-e5-2687w.raw", "sandybridge", CCPU_UARCH_TABLE },
	/* libcpuid 0.6.2 says "Xeon (Conroe/2M)" */
	{ "intel-sapphirerapids-xeon-w9-3475x.raw", "sapphirerapids", CCPU_UARCH_TABLE },
	{ "intel-silvermont-atom-c2750.raw", "silvermont", CCPU_UARCH_TABLE },
	/* model 0x55 stepping 4 */
	{ "intel-skylake-sp-xeon-gold-6154.raw", "skylake_avx512", CCPU_UARCH_TABLE },
	{ "intel-tigerlake-core-i7-1165g7.raw", "tigerlake", CCPU_UARCH_TABLE },
	/* no row, and libcpuid 0.6.2 has no name for it */
	{ "zhaoxin-lujiazui-kx-6640ma.raw", "", CCPU_UARCH_NONE },
};

static const struct table_row {
	const char	*vendor;
	unsigned int	 family, model_lo, model_hi;
	int		 step_lo, step_hi;
	const char	*name, *source;
} table[] = {
#define U(v, f, ml, mh, sl, sh, name, source)	{ v, f, ml, mh, sl, sh, name, source },
#include "microarch.def"
#undef U
};

static void
test_fixture_named(void **state)
{
	const struct fixture_row	*row = *state;
	struct ccpu_profile		*p = ccpu_profile_new();
	struct ccpu_error		 e;
	struct ccpu_ident		 id;
	struct ccpu_uarch		 ua;
	char				 path[512];

	snprintf(path, sizeof(path), "%s/%s", FIXDIR, row->file);
	if (ccpu_profile_load(p, path, &e) == -1)
		fail_msg("%s", e.msg);
	ccpu_cpu_ident(&p->types[0], &id);
	ccpu_uarch_name(id.vendor, id.family, id.model, (int)id.stepping,
	    p->codename, &ua);
	assert_string_equal(ua.name, row->want);
	assert_string_equal(ccpu_uarch_from_name(ua.from),
	    ccpu_uarch_from_name(row->from));
	ccpu_profile_free(p);
}

/* Every fixture CPU has a row above: the list is the whole corpus. */
static void
test_every_fixture_listed(void **state)
{
	char	**files;
	size_t	  n, i, k, raw = 0;

	(void)state;
	files = tu_list_dir(FIXDIR, &n);
	for (i = 0; i < n; i++) {
		if (strlen(files[i]) < 4 ||
		    strcmp(files[i] + strlen(files[i]) - 4, ".raw") != 0)
			goto next;
		raw++;
		for (k = 0; k < nitems(fixtures); k++)
			if (strcmp(fixtures[k].file, files[i]) == 0)
				break;
		if (k == nitems(fixtures))
			fail_msg("%s has no row in test_uarch.c", files[i]);
next:
		free(files[i]);
	}
	free(files);
	assert_int_equal(raw, nitems(fixtures));
	assert_int_equal(raw, 30);
}

/* Sorted, no overlap within a vendor and family, names [a-z0-9_], sourced. */
static void
test_table_invariants(void **state)
{
	const struct table_row	*a, *b;
	size_t			 i, k;
	const char		*p;
	int			 c;

	(void)state;
	for (i = 0; i < nitems(table); i++) {
		a = &table[i];
		assert_true(a->model_lo <= a->model_hi);
		assert_true(a->step_lo >= 0 && a->step_lo <= a->step_hi &&
		    a->step_hi <= 15);
		assert_true(a->name[0] != '\0' && a->source[0] != '\0');
		for (p = a->name; *p; p++)
			assert_true(islower((unsigned char)*p) ||
			    isdigit((unsigned char)*p) || *p == '_');
		if (i > 0) {
			b = &table[i - 1];
			c = strcmp(b->vendor, a->vendor);
			assert_true(c < 0 || (c == 0 && (b->family < a->family ||
			    (b->family == a->family &&
			    b->model_lo <= a->model_lo))));
		}
		for (k = 0; k < i; k++) {
			b = &table[k];
			if (strcmp(a->vendor, b->vendor) != 0 ||
			    a->family != b->family ||
			    a->model_lo > b->model_hi || b->model_lo > a->model_hi ||
			    a->step_lo > b->step_hi || b->step_lo > a->step_hi)
				continue;
			fail_msg("rows %zu and %zu overlap", k, i);
		}
	}
}

/*
 * Without a stepping (NFD labels give family and model only) model 0x55
 * could be Skylake-SP or Cascade Lake: no row answers, and no libcpuid
 * codename either.  A whole-family row still matches.
 */
static void
test_unknown_stepping(void **state)
{
	struct ccpu_uarch	ua;

	(void)state;
	ccpu_uarch_name("GenuineIntel", 6, 0x55, -1, NULL, &ua);
	assert_string_equal(ua.name, "");
	assert_int_equal(ua.from, CCPU_UARCH_NONE);
	ccpu_uarch_name("GenuineIntel", 6, 0x55, -1, "Skylake (Xeon Scalable)", &ua);
	assert_int_equal(ua.from, CCPU_UARCH_LIBCPUID);
	ccpu_uarch_name("AuthenticAMD", 0x19, 0x11, -1, NULL, &ua);
	assert_string_equal(ua.name, "zen4");
	assert_int_equal(ua.from, CCPU_UARCH_TABLE);
	/* The table wins over libcpuid's name. */
	ccpu_uarch_name("AuthenticAMD", 0x19, 0x11, 1, "EPYC (Milan)", &ua);
	assert_string_equal(ua.name, "zen4");
	/* Vendor must match: a Hygon part of family 0x19 is not named. */
	ccpu_uarch_name("HygonGenuine", 0x19, 0x11, 1, NULL, &ua);
	assert_int_equal(ua.from, CCPU_UARCH_NONE);
}

int
main(void)
{
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_every_fixture_listed),
		cmocka_unit_test(test_table_invariants),
		cmocka_unit_test(test_unknown_stepping),
	};
	struct CMUnitTest	t[nitems(fixtures)];
	size_t			i;
	int			failed = 0;

	for (i = 0; i < nitems(fixtures); i++)
		t[i] = (struct CMUnitTest){ .name = fixtures[i].file,
		    .test_func = test_fixture_named,
		    .initial_state = (void *)&fixtures[i] };
	failed += _cmocka_run_group_tests("uarch_fixtures", t, i, NULL, NULL);
	failed += cmocka_run_group_tests_name("uarch_table", fixed, NULL, NULL);
	return failed;
}
