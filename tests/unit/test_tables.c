/*
 * Invariants of the JVM-model tables in data/: the feature catalogue, every
 * layout, the derivation and post-processing rows, the JDK names, the
 * message patterns, the glibc tunables and the x86-64 levels.  One named
 * test per invariant; a failure prints the offending row.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "ccpu/jvm.h"
#include "ccpu/level.h"
#include "jvm_impl.h"

/* The rows again, expanded here so that the test sees them as data. */
struct trow {
	enum jvm_feature	 feature;
	unsigned int		 lines;
	const char		*where;
};

#define CPUID(l, s, r, b)	0
#define ALWAYS			0
#define SPECIAL(f)		0
static const struct trow drows[] = {
#define D(f, src, v, g, x, lines)	{ F_##f, lines, #f },
#define P(f, w, lines)
#include "hotspot.def"
#undef P
#undef D
};
static const struct trow prows[] = {
#define D(f, src, v, g, x, lines)
#define P(f, w, lines)			{ F_##f, lines, #f " (" #w ")" },
#include "hotspot.def"
#undef P
#undef D
};
#undef CPUID
#undef ALWAYS
#undef SPECIAL

struct tmsg {
	const char	*id, *pattern, *roles, *use, *why;
};
static const struct tmsg msgs[] = {
#define M(id, pattern, roles, era, override, meaning, use, why)	\
	{ id, pattern, roles, use, why },
#include "jvm-messages.def"
#undef M
};

struct ttun {
	const char	*name, *jvm, *fallback;
};
static const struct ttun tuns[] = {
#define T(name, jvm, fallback)	{ name, jvm, fallback },
#include "glibc-tunables.def"
#undef T
};

#define XCR0	0xffffffffu
struct tlevel {
	int		 level;
	const char	*name, *jvm;
};
static const struct tlevel levels[] = {
#define V(lvl, name, leaf, sub, reg, bit, jvm)	{ lvl, name, jvm },
#include "x86-levels.def"
#undef V
};

/* The layout whose derivation line is line. */
static const struct ccpu_layout *
layout_of_line(unsigned int line)
{
	size_t	i;

	for (i = 0; i < jvm_nlayouts; i++)
		if (jvm_layouts[i].line == line)
			return &jvm_layouts[i];
	return NULL;
}

/* A JVM name ("avx", "glibc.movbe") names a catalogue feature. */
static bool
known_jvm_name(const char *name)
{
	if (strncmp(name, "glibc.", 6) == 0)
		return jvm_feature_by_name(name + 6, KIND_GLIBC) >= 0;
	return jvm_feature_by_name(name, KIND_HS) >= 0 ||
	    jvm_feature_by_name(name, KIND_GLIBC) >= 0;
}

static void
test_features_names_unique_per_kind(void **state)
{
	int	a, b;

	(void)state;
	for (a = 0; a < F_COUNT; a++)
		for (b = a + 1; b < F_COUNT; b++)
			if (jvm_features[a].kind == jvm_features[b].kind &&
			    strcmp(jvm_features[a].name, jvm_features[b].name) == 0)
				fail_msg("feature name '%s' twice",
				    jvm_features[a].name);
}

static void
test_layouts_bits_sorted_unique(void **state)
{
	const struct ccpu_layout	*l;
	size_t				 i, k;

	(void)state;
	for (i = 0; i < jvm_nlayouts; i++) {
		l = &jvm_layouts[i];
		assert_true(l->nbits > 0);
		for (k = 0; k < l->nbits; k++) {
			if (l->bits[k].bit >= 64 * CCPU_JVM_WORDS)
				fail_msg("%s: bit %u beyond the value", l->name,
				    l->bits[k].bit);
			if (k > 0 && l->bits[k].bit <= l->bits[k - 1].bit)
				fail_msg("%s: bit %u not sorted or twice", l->name,
				    l->bits[k].bit);
		}
	}
}

static void
test_layouts_names_match_catalogue(void **state)
{
	const struct ccpu_layout	*l;
	size_t				 i, k;

	(void)state;
	for (i = 0; i < jvm_nlayouts; i++) {
		l = &jvm_layouts[i];
		for (k = 0; k < l->nbits; k++)
			if (strcmp(l->bits[k].name,
			    jvm_features[l->bits[k].feature].name) != 0)
				fail_msg("%s: bit %u is named '%s', the feature "
				    "'%s'", l->name, l->bits[k].bit,
				    l->bits[k].name,
				    jvm_features[l->bits[k].feature].name);
	}
}

static void
test_layouts_names_unique_per_kind(void **state)
{
	const struct ccpu_layout	*l;
	size_t				 i, a, b;

	(void)state;
	for (i = 0; i < jvm_nlayouts; i++) {
		l = &jvm_layouts[i];
		for (a = 0; a < l->nbits; a++)
			for (b = a + 1; b < l->nbits; b++) {
				if (l->bits[a].feature == l->bits[b].feature)
					fail_msg("%s: feature '%s' at bits %u "
					    "and %u", l->name, l->bits[a].name,
					    l->bits[a].bit, l->bits[b].bit);
				if (strcmp(l->bits[a].name, l->bits[b].name) == 0 &&
				    jvm_features[l->bits[a].feature].kind ==
				    jvm_features[l->bits[b].feature].kind)
					fail_msg("%s: name '%s' twice", l->name,
					    l->bits[a].name);
			}
	}
}

static void
test_layouts_featbit_agrees(void **state)
{
	const struct ccpu_layout	*l;
	size_t				 i, k;
	int				 n;

	(void)state;
	for (i = 0; i < jvm_nlayouts; i++) {
		l = &jvm_layouts[i];
		for (n = 0, k = 0; k < F_COUNT; k++)
			if (l->featbit[k] != 0)
				n++;
		assert_int_equal(n, (int)l->nbits);
		for (k = 0; k < l->nbits; k++) {
			assert_int_equal(jvm_feature_bit(l, l->bits[k].feature),
			    (int)l->bits[k].bit);
			assert_true(ccpu_featset_has(l->valid, l->bits[k].bit));
		}
		assert_int_equal(ccpu_featset_count(l->valid), (int)l->nbits);
	}
}

static void
test_layouts_glibc_bits_are_glibc_features(void **state)
{
	const struct ccpu_layout	*l;
	size_t				 i, k;
	bool				 g;

	(void)state;
	for (i = 0; i < jvm_nlayouts; i++) {
		l = &jvm_layouts[i];
		for (k = 0; k < l->nbits; k++) {
			g = jvm_features[l->bits[k].feature].kind == KIND_GLIBC;
			assert_int_equal(g,
			    ccpu_featset_has(l->glibc, l->bits[k].bit));
			/* A separate glibc word holds glibc features only. */
			if (l->glibc_word)
				assert_int_equal(g, l->bits[k].bit >= 64);
		}
	}
}

static void
test_layouts_generic_mandatory_ignored_valid(void **state)
{
	const struct ccpu_layout	*l;
	size_t				 i;

	(void)state;
	for (i = 0; i < jvm_nlayouts; i++) {
		l = &jvm_layouts[i];
		if (!ccpu_featset_subset(ccpu_layout_generic(l), l->valid))
			fail_msg("%s: generic not within the valid bits", l->name);
		if (!ccpu_featset_subset(ccpu_layout_mandatory(l),
		    ccpu_layout_generic(l)))
			fail_msg("%s: mandatory not within generic", l->name);
		if (!ccpu_featset_subset(ccpu_layout_record_cleared(l), l->valid))
			fail_msg("%s: cleared not within the valid bits", l->name);
		if (!ccpu_featset_subset(l->ignored, l->valid))
			fail_msg("%s: ignored not within the valid bits", l->name);
	}
}

/* generic is sse, sse2, fxsr, tsc, cx8, cmov (+ mmx, clflush up to x26b). */
static void
test_layouts_generic_by_name(void **state)
{
	static const char *const base[] = {
		"cx8", "cmov", "fxsr", "sse", "sse2", "tsc",
	};
	const struct ccpu_layout	*l;
	struct ccpu_featset		 want;
	size_t				 i, k;
	bool				 old;

	(void)state;
	for (i = 0; i < jvm_nlayouts; i++) {
		l = &jvm_layouts[i];
		ccpu_featset_clear(&want);
		for (k = 0; k < nitems(base); k++)
			ccpu_featset_add(&want,
			    (unsigned int)ccpu_layout_bit(l, base[k]));
		old = l->line <= LINE_26B;
		if (old) {
			ccpu_featset_add(&want,
			    (unsigned int)ccpu_layout_bit(l, "mmx"));
			ccpu_featset_add(&want,
			    (unsigned int)ccpu_layout_bit(l, "clflush"));
		}
		if (!ccpu_featset_equal(&want, ccpu_layout_generic(l)))
			fail_msg("%s: generic differs from its names", l->name);
	}
}

/*
 * The sets data/layouts.def gives by name against upstream's own vectors:
 * CheckCPUFeaturesMessageTest @0a3ff675 expects generic 0x200000080d7,0x0
 * and SimpleCPUFeaturesTest @104cdff9 accepts 0x20000000080,0x0 (sse2,
 * clflush) up to x26b; x27 (the jdk-28+0 merge) dropped mmx and clflush:
 * generic 0x80c7, mandatory sse and sse2 (0xc0).  From x26a on an image
 * leaves out ht (bit 3, AOT_CODE_CACHE_CLEAR).
 */
static void
test_layouts_rows(void **state)
{
	const struct ccpu_layout	*l;
	uint64_t			 gen, mand, clr;
	size_t				 i, k, ndefault = 0, ncanon;

	(void)state;
	for (i = 0; i < jvm_nlayouts; i++) {
		l = &jvm_layouts[i];
		if (l->flags & DEFAULT)
			ndefault++;
		for (ncanon = 0, k = 0; k < jvm_nlayouts; k++)
			if (jvm_layouts[k].id == l->id &&
			    (jvm_layouts[k].flags & CANON))
				ncanon++;
		if (ncanon != 1)
			fail_msg("%s: %zu CANON rows for its id", l->name, ncanon);
		if ((size_t)l->line != i)
			fail_msg("%s: row %zu is line %d", l->name, i, (int)l->line);
		assert_int_equal(ccpu_layout_by_id(l->id)->id, l->id);
		gen = l->line < LINE_27 ? UINT64_C(0x200000080d7) : UINT64_C(0x80c7);
		mand = l->line < LINE_27 ? UINT64_C(0x20000000080) : UINT64_C(0xc0);
		clr = l->line >= LINE_26A ? UINT64_C(0x8) : 0;
		if (ccpu_layout_generic(l)->w[0] != gen ||
		    ccpu_layout_mandatory(l)->w[0] != mand ||
		    ccpu_layout_record_cleared(l)->w[0] != clr)
			fail_msg("%s: generic, mandatory or cleared differs from "
			    "upstream's vectors", l->name);
		for (k = 1; k < CCPU_JVM_WORDS; k++)
			assert_true(ccpu_layout_generic(l)->w[k] == 0 &&
			    ccpu_layout_mandatory(l)->w[k] == 0 &&
			    ccpu_layout_record_cleared(l)->w[k] == 0);
	}
	assert_int_equal(ndefault, 1);
	assert_true(ccpu_layout_default()->flags & DEFAULT);
}

/* java.version picks a layout only where one row's range alone holds it. */
static void
test_layouts_java_versions(void **state)
{
	static const struct {
		const char	*version, *layout;	/* NULL: ambiguous or unknown */
	} v[] = {
		{ "17", "x17-early" }, { "17.0.3", "x17-early" },
		{ "17.0.4", "x17" }, { "17.0.15+6", "x17" }, { "21.0.5", NULL },
		{ "22", "xm" }, { "24.0.1", "xm" }, { "25.0.1", "x25" },
		{ "26", NULL }, { "27-internal", NULL }, { "28", NULL },
		{ "29", "x27" }, { "16", NULL }, { "x", NULL },
	};
	const struct ccpu_layout	*l;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(v); i++) {
		l = ccpu_layout_from_java_version(v[i].version, NULL);
		if (v[i].layout == NULL && l != NULL)
			fail_msg("%s: %s, want none", v[i].version, l->name);
		if (v[i].layout != NULL && (l == NULL ||
		    strcmp(l->name, v[i].layout) != 0))
			fail_msg("%s: %s, want %s", v[i].version,
			    l != NULL ? l->name : "none", v[i].layout);
	}
}

static void
test_layouts_one_per_line(void **state)
{
	unsigned int	line;
	size_t		i, n;

	(void)state;
	for (line = 0; line < LINE_COUNT; line++) {
		for (n = 0, i = 0; i < jvm_nlayouts; i++)
			if (jvm_layouts[i].line == line)
				n++;
		if (n != 1)
			fail_msg("line %s has %zu layouts", jvm_line_name(line), n);
	}
}

static void
test_layouts_names_unique(void **state)
{
	size_t	a, b;

	(void)state;
	for (a = 0; a < jvm_nlayouts; a++)
		for (b = a + 1; b < jvm_nlayouts; b++)
			assert_string_not_equal(jvm_layouts[a].name,
			    jvm_layouts[b].name);
}

/* Each row's feature has a bit in the layout of each of its lines. */
static void
check_rows_have_bits(const struct trow *rows, size_t n, const char *what)
{
	const struct ccpu_layout	*l;
	unsigned int			 line;
	size_t				 i;

	for (i = 0; i < n; i++) {
		if (rows[i].lines == 0 || (rows[i].lines & ~ALL_LINES) != 0)
			fail_msg("%s row %s: bad lines", what, rows[i].where);
		for (line = 0; line < LINE_COUNT; line++) {
			if (!(rows[i].lines & (1u << line)))
				continue;
			l = layout_of_line(line);
			if (jvm_feature_bit(l, rows[i].feature) < 0)
				fail_msg("%s row %s: no bit in %s (line %s)", what,
				    rows[i].where, l->name, jvm_line_name(line));
		}
	}
}

static void
test_derivation_rows_name_layout_bits(void **state)
{
	(void)state;
	check_rows_have_bits(drows, nitems(drows), "derivation");
}

static void
test_postprocess_rows_name_layout_bits(void **state)
{
	(void)state;
	check_rows_have_bits(prows, nitems(prows), "post-processing");
}

/*
 * Every bit of a layout is derived by a row of its line, except the bits
 * the source names but never sets: glibc ibt/shstk from x25 on (their
 * feature_flags() sets neither), and xm's inferred 59-61.
 */
static void
test_derivation_covers_layouts(void **state)
{
	const struct ccpu_layout	*l;
	size_t				 i, k, r;
	enum jvm_feature		 f;
	bool				 found, excused;

	(void)state;
	for (i = 0; i < jvm_nlayouts; i++) {
		l = &jvm_layouts[i];
		for (k = 0; k < l->nbits; k++) {
			f = l->bits[k].feature;
			for (found = false, r = 0; r < nitems(drows); r++)
				if (drows[r].feature == f &&
				    (drows[r].lines & (1u << l->line)))
					found = true;
			excused = (l->line >= LINE_25 &&
			    (f == F_G_IBT || f == F_G_SHSTK)) ||
			    (l->line == LINE_XM && (f == F_AVX_IFMA ||
			    f == F_APX_F || f == F_SHA512));
			if (!found && !excused)
				fail_msg("%s: bit %u (%s) is never derived",
				    l->name, l->bits[k].bit, l->bits[k].name);
			if (found && excused)
				fail_msg("%s: bit %u (%s) is derived but listed as "
				    "never derived", l->name, l->bits[k].bit,
				    l->bits[k].name);
		}
	}
}

static void
test_jdk_builds(void **state)
{
	const struct ccpu_jdk_build	*a, *b;
	struct ccpu_error		 e;
	size_t				 i, k;

	(void)state;
	for (i = 0; (a = ccpu_jdk_build_at(i)) != NULL; i++) {
		for (k = 0; k < jvm_nlayouts; k++)
			if (strcmp(jvm_layouts[k].name, a->name) == 0)
				fail_msg("build name '%s' is a layout name",
				    a->name);
		if (ccpu_layout_lookup(a->layout, &e) == NULL ||
		    strcmp(ccpu_layout_name(ccpu_layout_lookup(a->layout, &e)),
		    a->layout) != 0)
			fail_msg("build '%s' names unknown layout '%s'", a->name,
			    a->layout);
		assert_non_null(a->evidence);
		for (k = i + 1; (b = ccpu_jdk_build_at(k)) != NULL; k++)
			assert_string_not_equal(a->name, b->name);
	}
}

/* Every vendor row of data/jdk-releases.def names a layout that exists. */
static void
test_jdk_releases(void **state)
{
	static const struct {
		const char	*impl;
		long		 feature;
		const char	*layout;
	} rows[] = {
#define R(impl, feature, layout, evidence)	{ impl, feature, layout },
#include "jdk-releases.def"
#undef R
	};
	struct ccpu_error	e;
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		if (ccpu_layout_lookup(rows[i].layout, &e) == NULL ||
		    strcmp(ccpu_layout_name(ccpu_layout_lookup(rows[i].layout,
		    &e)), rows[i].layout) != 0)
			fail_msg("release row %s %ld names unknown layout '%s'",
			    rows[i].impl, rows[i].feature, rows[i].layout);
		assert_true(rows[i].impl[0] != '\0' && rows[i].feature >= 17);
	}
}

/* Whether the space-separated list holds word. */
static bool
has_word(const char *list, const char *word)
{
	size_t	n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

static void
test_messages_ids_and_roles(void **state)
{
	const char	*p, *r;
	size_t		 i, k, nv, nr;

	(void)state;
	for (i = 0; i < nitems(msgs); i++) {
		for (k = i + 1; k < nitems(msgs); k++)
			assert_string_not_equal(msgs[i].id, msgs[k].id);
		for (nv = 0, p = msgs[i].pattern; (p = strchr(p, '%')) != NULL;
		    p += 2) {
			if (p[1] != 'v' && p[1] != 's' && p[1] != 'n')
				fail_msg("%s: bad placeholder %%%c", msgs[i].id,
				    p[1]);
			if (p[1] == 'v')
				nv++;
		}
		/* Advice names roles of the message, and says why. */
		if ((msgs[i].use == NULL) != (msgs[i].why == NULL))
			fail_msg("%s: use and why go together", msgs[i].id);
		for (p = msgs[i].use; p != NULL && *p != '\0'; ) {
			size_t	n = strcspn(p, " ");
			char	word[32];

			snprintf(word, sizeof(word), "%.*s", (int)n, p);
			if (strcmp(word, "&") != 0 &&
			    !has_word(msgs[i].roles, word))
				fail_msg("%s: use names '%s', not a role", msgs[i].id,
				    word);
			p += n;
			p += *p == ' ';
		}
		for (nr = 0, r = msgs[i].roles; *r != '\0'; ) {
			while (*r == ' ')
				r++;
			if (*r == '\0')
				break;
			nr++;
			while (*r != ' ' && *r != '\0')
				r++;
		}
		if (nv != nr)
			fail_msg("%s: %zu values, %zu roles", msgs[i].id, nv, nr);
		if (msgs[i].pattern[0] == '%')
			fail_msg("%s: a pattern must start with text", msgs[i].id);
	}
}

static void
test_tunables_name_features(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(tuns); i++) {
		if (!known_jvm_name(tuns[i].jvm))
			fail_msg("tunable %s: unknown feature %s", tuns[i].name,
			    tuns[i].jvm);
		if (tuns[i].fallback != NULL && !known_jvm_name(tuns[i].fallback))
			fail_msg("tunable %s: unknown feature %s", tuns[i].name,
			    tuns[i].fallback);
	}
}

static void
test_levels_name_features(void **state)
{
	size_t	i;
	int	last = 0;

	(void)state;
	for (i = 0; i < nitems(levels); i++) {
		if (levels[i].level < last || levels[i].level < 1 ||
		    levels[i].level > CCPU_LEVEL_MAX)
			fail_msg("level row %s out of order", levels[i].name);
		last = levels[i].level;
		if (levels[i].jvm != NULL && !known_jvm_name(levels[i].jvm))
			fail_msg("level row %s: unknown feature %s",
			    levels[i].name, levels[i].jvm);
	}
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features_names_unique_per_kind),
		cmocka_unit_test(test_layouts_bits_sorted_unique),
		cmocka_unit_test(test_layouts_names_match_catalogue),
		cmocka_unit_test(test_layouts_names_unique_per_kind),
		cmocka_unit_test(test_layouts_featbit_agrees),
		cmocka_unit_test(test_layouts_glibc_bits_are_glibc_features),
		cmocka_unit_test(test_layouts_generic_mandatory_ignored_valid),
		cmocka_unit_test(test_layouts_generic_by_name),
		cmocka_unit_test(test_layouts_one_per_line),
		cmocka_unit_test(test_layouts_rows),
		cmocka_unit_test(test_layouts_java_versions),
		cmocka_unit_test(test_layouts_names_unique),
		cmocka_unit_test(test_derivation_rows_name_layout_bits),
		cmocka_unit_test(test_postprocess_rows_name_layout_bits),
		cmocka_unit_test(test_derivation_covers_layouts),
		cmocka_unit_test(test_jdk_builds),
		cmocka_unit_test(test_jdk_releases),
		cmocka_unit_test(test_messages_ids_and_roles),
		cmocka_unit_test(test_tunables_name_features),
		cmocka_unit_test(test_levels_name_features),
	};

	return cmocka_run_group_tests_name("tables", tests, NULL, NULL);
}
