/*
 * The gate's reduced capture is enough: every fixture CPU, derived in every
 * layout from only the leaves in data/jvm-leaves.def, gives the same raw,
 * used, unknown and inferred sets as from all of its leaves.  A derivation
 * rule that reads a leaf the table lacks makes this fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "ccpu/jvm.h"
#include "ccpu/profile.h"

#define FIXDIR	"tests/fixtures/cpuid"
#define MAXFIX	128

static const struct {
	uint32_t	leaf, sub;
} jvm_leaves[] = {
#define X(leaf, sub)	{ leaf, sub },
#include "jvm-leaves.def"
#undef X
};

static char	*names[MAXFIX];

static bool
listed(uint32_t leaf, uint32_t sub)
{
	size_t	i;

	for (i = 0; i < nitems(jvm_leaves); i++)
		if (jvm_leaves[i].leaf == leaf && jvm_leaves[i].sub == sub)
			return true;
	return false;
}

/* Keep only the listed leaves (nleaves shrinks, order is kept). */
static void
restrict_cpu(struct ccpu_cpu *c)
{
	size_t	i, n = 0;

	for (i = 0; i < c->nleaves; i++)
		if (listed(c->leaves[i].leaf, c->leaves[i].sub))
			c->leaves[n++] = c->leaves[i];
	c->nleaves = n;
}

static void
test_jvm_leaves_suffice(void **state)
{
	const char			*name = *state;
	struct ccpu_profile		*full = ccpu_profile_new(), *cut = ccpu_profile_new();
	struct ccpu_jvm_features	 a, b;
	struct ccpu_error		 e, e2;
	char				 path[512];
	unsigned int			 i, l;
	int				 ra, rb;

	snprintf(path, sizeof(path), FIXDIR "/%s", name);
	assert_int_equal(ccpu_profile_load(full, path, &e), 0);
	*cut = *full;
	for (i = 0; i < cut->ntypes; i++)
		restrict_cpu(&cut->types[i]);
	for (l = 0; l < CCPU_LAYOUT_COUNT; l++) {
		const struct ccpu_layout *lay = ccpu_layout_by_id(l);

		ra = ccpu_jvm_derive_host(lay, full, &a, &e);
		rb = ccpu_jvm_derive_host(lay, cut, &b, &e2);
		assert_int_equal(ra, rb);
		if (ra == -1) {
			/* The text may name the brand, which the gate does not read. */
			assert_int_equal(e.status, e2.status);
			continue;
		}
		assert_true(ccpu_featset_equal(&a.raw, &b.raw));
		assert_true(ccpu_featset_equal(&a.used, &b.used));
		assert_true(ccpu_featset_equal(&a.unknown, &b.unknown));
		assert_true(ccpu_featset_equal(&a.inferred, &b.inferred));
	}
	ccpu_profile_free(full);
	ccpu_profile_free(cut);
}

int
main(void)
{
	struct CMUnitTest	 tests[MAXFIX];
	char			**all;
	size_t			 nall, n = 0, i, len;

	assert_non_null(all = tu_list_dir(FIXDIR, &nall));
	for (i = 0; i < nall; i++) {
		len = strlen(all[i]);
		if (n < MAXFIX &&
		    ((len > 4 && strcmp(all[i] + len - 4, ".raw") == 0) ||
		    (len > 10 && strcmp(all[i] + len - 10, ".cpuid.txt") == 0)))
			names[n++] = all[i];
		else
			free(all[i]);
	}
	free(all);
	for (i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){ .name = names[i],
		    .test_func = test_jvm_leaves_suffice, .initial_state = names[i] };
	return _cmocka_run_group_tests("jvm_leaves", tests, n, NULL, NULL);
}
