/*
 * The GLIBC_TUNABLES string a CRaC JVM derives for a -XX:CPUFeatures value
 * (include/ccpu/glibc.h), driven by data/glibc-tunables.def.
 */
#include <stdio.h>
#include <string.h>

#include "ccpu/glibc.h"
#include "jvm_impl.h"
#include "words.h"
#include "xmalloc.h"

static const struct tunable_row {
	const char	*tunable;
	const char	*name;
	const char	*fallback;
} tunables[] = {
#define T(tunable, name, fallback) { tunable, name, fallback },
#include "glibc-tunables.def"
#undef T
};
#define TUN_COUNT	nitems(tunables)
_Static_assert(nitems(tunables) <= 64, "struct ccpu_glibc holds 64 tunables");

static const struct patch_row {
	const char	*level;
	unsigned int	 lines;		/* derivation lines (jvm_impl.h) */
	const char	*prereq;
	const char	*hidden;
	const char	*sibling;	/* a tunable name */
} patches[] = {
#define P(level, layouts, prereq, hidden, sibling) \
	{ level, layouts, prereq, hidden, sibling },
#include "glibc-tunables.def"
#undef P
};

unsigned int
ccpu_glibc_ntunables(void)
{
	return TUN_COUNT;
}

const char *
ccpu_glibc_tunable_name(unsigned int i)
{
	return i < TUN_COUNT ? tunables[i].tunable : NULL;
}

static bool
known(const struct ccpu_layout *l, const char *name)
{
	return ccpu_layout_bit(l, name) >= 0;
}

/* Some member of fs is printed as name (f16c is two bits in XM). */
static bool
named(const struct ccpu_layout *l, const struct ccpu_featset *fs, const char *name)
{
	const char	*n;
	int		 b;

	for (b = ccpu_featset_next(fs, 0); b >= 0;
	    b = ccpu_featset_next(fs, (unsigned int)b + 1)) {
		n = ccpu_layout_bit_name(l, (unsigned int)b);
		if (n != NULL && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

/* The JVM bit that drives tunable t in this layout, or -1. */
static int
tunable_bit(const struct ccpu_layout *l, size_t t)
{
	int	b;

	if ((b = ccpu_layout_bit(l, tunables[t].name)) >= 0)
		return b;
	if (tunables[t].fallback != NULL)
		return ccpu_layout_bit(l, tunables[t].fallback);
	return -1;
}

static size_t
tunable_index(const char *tunable)
{
	size_t	i;

	for (i = 0; i < TUN_COUNT; i++)
		if (strcmp(tunables[i].tunable, tunable) == 0)
			break;
	return i;
}

/*
 * Apply fn to each space-separated word of list; stop at the first word
 * for which fn returns want, and return want, else !want.
 */
static bool
any_word(const char *list, bool want, const struct ccpu_layout *l,
    const struct ccpu_featset *value,
    bool (*fn)(const struct ccpu_layout *, const struct ccpu_featset *, const char *))
{
	char		 w[64];
	const char	*p = list, *s;
	size_t		 len;

	while ((s = next_word(&p, &len)) != NULL) {
		if (len >= sizeof(w))
			len = sizeof(w) - 1;
		memcpy(w, s, len);
		w[len] = '\0';
		if (fn(l, value, w) == want)
			return want;
	}
	return !want;
}

/* A prerequisite holds when the value has it or the layout does not name it. */
static bool
prereq_holds(const struct ccpu_layout *l, const struct ccpu_featset *value,
    const char *name)
{
	return !known(l, name) || named(l, value, name);
}

/* An input is hidden when the layout names it and the value lacks it. */
static bool
input_hidden(const struct ccpu_layout *l, const struct ccpu_featset *value,
    const char *name)
{
	return known(l, name) && !named(l, value, name);
}

void
ccpu_glibc_derive(const struct ccpu_layout *l, const struct ccpu_featset *raw,
    const struct ccpu_featset *value, struct ccpu_glibc *out)
{
	struct ccpu_featset	 hideable = CCPU_FEATSET_INIT;
	size_t			 i, t;
	int			 b;

	memset(out, 0, sizeof(*out));
	out->cet_first = l->line == LINE_21;
	for (i = 0; i < nitems(patches); i++) {
		if ((patches[i].lines & (1u << l->line)) == 0)
			continue;
		if (!any_word(patches[i].prereq, false, l, value, prereq_holds))
			continue;
		if (!any_word(patches[i].hidden, true, l, value, input_hidden))
			continue;
		/* The sibling is a prerequisite, so the value and the host have it. */
		if ((t = tunable_index(patches[i].sibling)) == TUN_COUNT)
			continue;
		out->disabled |= UINT64_C(1) << t;
		out->patched |= UINT64_C(1) << t;
		out->patch_level[t] = patches[i].level;
	}
	for (i = 0; i < TUN_COUNT; i++) {
		if ((b = tunable_bit(l, i)) < 0)
			continue;
		ccpu_featset_add(&hideable, (unsigned int)b);
		if (ccpu_featset_has(raw, (unsigned int)b) &&
		    !ccpu_featset_has(value, (unsigned int)b))
			out->disabled |= UINT64_C(1) << i;
	}
	ccpu_featset_minus(&out->kept, raw, value);
	ccpu_featset_minus(&out->kept, &out->kept, &hideable);
	/* Left out of records only (ht from x26a on), not disabled. */
	ccpu_featset_minus(&out->kept, &out->kept, ccpu_layout_record_cleared(l));
}

/* ",-AVX,-FMA": the disabled names in the JVM's order. */
static void
format_list(const struct ccpu_glibc *g, char *buf, size_t size)
{
	size_t	i, len = strlen(buf);
	int	r;

	size_t	ibt = tunable_index("IBT"), shstk = tunable_index("SHSTK"), k;

	for (k = 0; k < TUN_COUNT; k++) {
		/*
		 * x21 writes IBT and SHSTK right after the HotSpot names, then
		 * its glibc word (pushkarnk/crac-21-package @fb5186de).
		 */
		i = g->cet_first && k == ibt + 1 ? shstk :
		    g->cet_first && k > ibt + 1 && k <= shstk ? k - 1 : k;
		if ((g->disabled & (UINT64_C(1) << i)) == 0)
			continue;
		r = snprintf(buf + len, size - len, ",-%s", tunables[i].tunable);
		if (r < 0 || (size_t)r >= size - len)
			return;
		len += (size_t)r;
	}
}

void
ccpu_glibc_format(const struct ccpu_glibc *g, char *buf, size_t size)
{
	if (size == 0)
		return;
	buf[0] = '\0';
	if (g->disabled == 0)
		return;
	snprintf(buf, size, "%s", CCPU_GLIBC_PREFIX);
	format_list(g, buf, size);
}

void
ccpu_glibc_merge(const struct ccpu_glibc *g, const char *existing,
    char *buf, size_t size)
{
	char		 list[CCPU_GLIBC_MAX];
	const char	*p, *colon;
	size_t		 head;

	if (size == 0)
		return;
	if (g->disabled == 0) {
		snprintf(buf, size, "%s", existing != NULL ? existing : "");
		return;
	}
	if (existing == NULL) {
		ccpu_glibc_format(g, buf, size);
		return;
	}
	if ((p = strstr(existing, &CCPU_GLIBC_PREFIX[1])) == NULL) {
		snprintf(buf, size, "%s", existing);
		ccpu_glibc_format(g, list, sizeof(list));
		snprintf(buf + strlen(buf), size - strlen(buf), "%s", list);
		return;
	}
	list[0] = '\0';
	format_list(g, list, sizeof(list));
	if ((colon = strchr(p, ':')) == NULL) {
		snprintf(buf, size, "%s%s", existing, list);
		return;
	}
	head = (size_t)(colon - existing);
	snprintf(buf, size, "%.*s%s%s", (int)head, existing, list, colon);
}
