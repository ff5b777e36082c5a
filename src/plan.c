/*
 * The planner: intersect a fleet into one checkpoint value, attribute what
 * is lost to the hosts that remove it, and split targets into image
 * classes.  Pure functions of their arguments (see include/ccpu/plan.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/aarch64.h"
#include "ccpu/plan.h"
#include "strbuf.h"
#include "xmalloc.h"

static const struct relevance_row {
	const char		*name;
	enum ccpu_rel_class	 rclass;
	unsigned int		 weight;
	const char		*why;
} relevance_rows[] = {
#define R(name, cls, weight, why) { name, CCPU_REL_##cls, weight, why },
#include "relevance.def"
#undef R
};

static const char *const rel_class_names[CCPU_REL_COUNT] = {
	[CCPU_REL_VECTOR] = "vector",
	[CCPU_REL_CRYPTO] = "crypto",
	[CCPU_REL_BITMANIP] = "bitmanip",
	[CCPU_REL_MEMORY] = "memory",
	[CCPU_REL_GLIBC] = "glibc",
	[CCPU_REL_BASELINE] = "baseline",
	[CCPU_REL_OTHER] = "other",
	[CCPU_REL_INFO] = "informational",
};

struct ccpu_relevance
ccpu_relevance(const char *name)
{
	struct ccpu_relevance	r = { CCPU_REL_OTHER, 1, "" };
	size_t			i;

	if (name == NULL)
		return r;
	if (strncmp(name, "glibc.", 6) == 0)
		name += 6;
	for (i = 0; i < nitems(relevance_rows); i++) {
		if (strcmp(relevance_rows[i].name, name) == 0) {
			r.rclass = relevance_rows[i].rclass;
			r.weight = relevance_rows[i].weight;
			r.why = relevance_rows[i].why;
			break;
		}
	}
	return r;
}

const char *
ccpu_rel_class_name(enum ccpu_rel_class c)
{
	if ((unsigned int)c >= CCPU_REL_COUNT)
		return "other";
	return rel_class_names[c];
}

size_t
ccpu_relevance_order(const struct ccpu_layout *l, const struct ccpu_featset *fs,
    unsigned int *bits, size_t max)
{
	struct ccpu_relevance	r[CCPU_FEATSET_MAX], tr;
	unsigned int		b[CCPU_FEATSET_MAX], t;
	size_t			n = 0, i, j;
	int			k;

	for (k = ccpu_featset_next(fs, 0); k >= 0;
	    k = ccpu_featset_next(fs, (unsigned int)k + 1)) {
		b[n] = (unsigned int)k;
		r[n++] = ccpu_relevance(ccpu_layout_bit_name(l, (unsigned int)k));
	}
	/* Insertion sort, stable: equal weight and class stay in bit order. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && (r[j].weight > r[j - 1].weight ||
		    (r[j].weight == r[j - 1].weight &&
		    r[j].rclass < r[j - 1].rclass)); j--) {
			t = b[j], b[j] = b[j - 1], b[j - 1] = t;
			tr = r[j], r[j] = r[j - 1], r[j - 1] = tr;
		}
	for (i = 0; i < n && i < max; i++)
		bits[i] = b[i];
	return n;
}

/* Per-bit weights of a layout, so that scoring a set is a walk over its bits. */
static void
bit_weights(const struct ccpu_layout *l, unsigned int w[CCPU_FEATSET_MAX])
{
	const struct ccpu_featset *valid = ccpu_layout_valid(l);
	int			 b;

	memset(w, 0, sizeof(unsigned int) * CCPU_FEATSET_MAX);
	for (b = ccpu_featset_next(valid, 0); b >= 0;
	    b = ccpu_featset_next(valid, (unsigned int)b + 1))
		w[b] = ccpu_relevance(ccpu_layout_bit_name(l, (unsigned int)b)).weight;
}

static unsigned int
weigh(const unsigned int w[CCPU_FEATSET_MAX], const struct ccpu_featset *fs)
{
	unsigned int	sum = 0;
	int		b;

	for (b = ccpu_featset_next(fs, 0); b >= 0;
	    b = ccpu_featset_next(fs, (unsigned int)b + 1))
		sum += w[b];
	return sum;
}

unsigned int
ccpu_plan_weight(const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	unsigned int	w[CCPU_FEATSET_MAX];

	bit_weights(l, w);
	return weigh(w, fs);
}

const char *
ccpu_plan_vendor_family(const char *vendor)
{
	static const struct {
		const char	*vendor;
		const char	*family;
	} fam[] = {
		{ "GenuineIntel", "intel" },
		{ "AuthenticAMD", "amd" },
		{ "HygonGenuine", "amd" },
		{ "CentaurHauls", "zhaoxin" },
		{ "  Shanghai  ", "zhaoxin" },
	};
	size_t	i;

	for (i = 0; i < nitems(fam); i++)
		if (strcmp(vendor, fam[i].vendor) == 0)
			return fam[i].family;
	return "other";
}

void
ccpu_plan_host_from_jvm(struct ccpu_plan_host *h, const char *name,
    const char *vendor, const struct ccpu_jvm_features *jf)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->vendor, sizeof(h->vendor), "%s", vendor != NULL ? vendor : "");
	h->raw = jf->raw;
	h->used = jf->used;
	h->unknown = jf->unknown;
}

void
ccpu_plan_host_from_value(struct ccpu_plan_host *h, const char *name,
    const struct ccpu_featset *value)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->by_value = true;
	h->raw = *value;
	h->used = *value;
}

/* The set a host contributes: raw for the build host, used for a target. */
static const struct ccpu_featset *
host_set(const struct ccpu_plan_host *hosts, size_t i)
{
	return i == 0 ? &hosts[0].raw : &hosts[i].used;
}

static void
names_of(const struct ccpu_layout *l, const struct ccpu_featset *fs,
    char *buf, size_t size)
{
	ccpu_jvm_format_names(l, fs, buf, size);
}

static int
check_hosts(size_t n, struct ccpu_error *err)
{
	if (n == 0)
		return ccpu_error_set(err, CCPU_EINPUT, "no build host");
	if (n > CCPU_PLAN_MAX_HOSTS)
		return ccpu_error_set(err, CCPU_EINPUT,
		    "%zu hosts, at most %u allowed", n, CCPU_PLAN_MAX_HOSTS);
	return 0;
}

/*
 * value = build.raw & ~unknown & AND(target.used | ignored): the ignored
 * bits (ht) come from the build host alone.
 */
static void
intersect(const struct ccpu_layout *l, const struct ccpu_plan_host *hosts,
    size_t n, const struct ccpu_featset *unknown, struct ccpu_featset *value)
{
	const struct ccpu_featset *ignored = ccpu_layout_ignored(l);
	struct ccpu_featset	 t;
	size_t			 i;

	ccpu_featset_minus(value, &hosts[0].raw, unknown);
	for (i = 1; i < n; i++) {
		t = hosts[i].used;
		ccpu_featset_or(&t, ignored);
		ccpu_featset_and(value, &t);
	}
	/* From x26a on a JVM suggests and records values without ht. */
	ccpu_featset_minus(value, value, ccpu_layout_record_cleared(l));
}

int
ccpu_plan_compute(const struct ccpu_layout *l, const struct ccpu_plan_host *hosts,
    size_t n, struct ccpu_plan *out, struct ccpu_error *err)
{
	const struct ccpu_featset *mandatory = ccpu_layout_mandatory(l);
	struct ccpu_plan	 p;
	struct ccpu_featset	 miss, vunion[4];
	char			 names[512], v[CCPU_VALUE_MAX];
	const char		*fam;
	size_t			 i, j;

	if (check_hosts(n, err) == -1)
		return -1;
	memset(&p, 0, sizeof(p));
	p.layout = l;
	for (i = 0; i < n; i++)
		ccpu_featset_or(&p.unknown, &hosts[i].unknown);
	ccpu_featset_minus(&miss, mandatory, &hosts[0].raw);
	if (!ccpu_featset_empty(&miss)) {
		names_of(l, &miss, names, sizeof(names));
		return ccpu_error_set(err, CCPU_EINPUT, "build host '%s' lacks "
		    "%s, which the JVM requires in every value", hosts[0].name,
		    names);
	}
	for (i = 1; i < n; i++) {
		ccpu_featset_minus(&miss, mandatory, &hosts[i].used);
		if (ccpu_featset_empty(&miss))
			continue;
		names_of(l, &miss, names, sizeof(names));
		intersect(l, hosts, n, &p.unknown, &p.value);
		ccpu_jvm_format_value(l, &p.value, v, sizeof(v));
		return ccpu_error_set(err, CCPU_EINPUT, "target '%s' lacks %s, "
		    "which the JVM requires in every value: no checkpoint "
		    "restores there (the plain intersection %s is not a value "
		    "the JVM accepts)", hosts[i].name, names, v);
	}
	intersect(l, hosts, n, &p.unknown, &p.value);
	ccpu_featset_minus(&p.lost, &hosts[0].raw, &p.value);
	ccpu_featset_minus(&p.lost, &p.lost, ccpu_layout_ignored(l));
	ccpu_featset_minus(&p.over_generic, &p.value, ccpu_layout_generic(l));
	for (i = 0; i < n; i++) {
		if (hosts[i].vendor[0] == '\0')
			continue;
		fam = ccpu_plan_vendor_family(hosts[i].vendor);
		for (j = 0; j < p.nvendors; j++)
			if (strcmp(p.vendors[j], fam) == 0)
				break;
		if (j == p.nvendors && p.nvendors < nitems(p.vendors))
			p.vendors[p.nvendors++] = fam;
		if (j < nitems(p.vendors))
			ccpu_featset_or(&p.vendor_only[j],
			    i == 0 ? &hosts[i].raw : &hosts[i].used);
	}
	/* What a vendor's hosts have that no host of another vendor has. */
	memcpy(vunion, p.vendor_only, sizeof(vunion));
	for (j = 0; j < p.nvendors; j++) {
		struct ccpu_featset	others = CCPU_FEATSET_INIT;

		for (i = 0; i < p.nvendors; i++)
			if (i != j)
				ccpu_featset_or(&others, &vunion[i]);
		ccpu_featset_or(&others, ccpu_layout_ignored(l));
		ccpu_featset_or(&others, &p.unknown);
		ccpu_featset_minus(&p.vendor_only[j], &p.vendor_only[j], &others);
	}
	for (j = p.nvendors < 2 ? 0 : p.nvendors; j < nitems(p.vendors); j++)
		ccpu_featset_clear(&p.vendor_only[j]);
	*out = p;
	return 0;
}

void
ccpu_plan_attribute(const struct ccpu_layout *l, const struct ccpu_plan_host *hosts,
    size_t n, struct ccpu_plan_attr *attr, unsigned int removers[CCPU_FEATSET_MAX])
{
	struct ccpu_featset	 fleet = CCPU_FEATSET_INIT, excl = CCPU_FEATSET_INIT;
	unsigned int		 count[CCPU_FEATSET_MAX], w[CCPU_FEATSET_MAX];
	size_t			 i;
	int			 b;

	memset(count, 0, sizeof(count));
	bit_weights(l, w);
	ccpu_featset_or(&excl, ccpu_layout_ignored(l));
	for (i = 0; i < n; i++) {
		ccpu_featset_or(&fleet, host_set(hosts, i));
		ccpu_featset_or(&excl, &hosts[i].unknown);
	}
	ccpu_featset_minus(&fleet, &fleet, &excl);
	for (i = 0; i < n; i++) {
		memset(&attr[i], 0, sizeof(attr[i]));
		ccpu_featset_minus(&attr[i].lacks, &fleet, host_set(hosts, i));
		for (b = ccpu_featset_next(&attr[i].lacks, 0); b >= 0;
		    b = ccpu_featset_next(&attr[i].lacks, (unsigned int)b + 1))
			count[b]++;
	}
	for (i = 0; i < n; i++) {
		for (b = ccpu_featset_next(&attr[i].lacks, 0); b >= 0;
		    b = ccpu_featset_next(&attr[i].lacks, (unsigned int)b + 1)) {
			if (count[b] == 1)
				ccpu_featset_add(&attr[i].alone, (unsigned int)b);
			else if (count[b] <= CCPU_PLAN_FEW)
				ccpu_featset_add(&attr[i].few, (unsigned int)b);
		}
		attr[i].alone_weight = weigh(w, &attr[i].alone);
	}
	if (removers != NULL)
		memcpy(removers, count, sizeof(count));
}

/*
 * Image classes.  Targets with the same effective set (what they restore,
 * within the build host's raw set) are one "kind" with a multiplicity, the
 * sum of their counts: identical targets can always share a class without
 * loss, so deduplicating keeps the search exact.
 */
struct kinds {
	unsigned int		 w[CCPU_FEATSET_MAX];
	size_t			 m;
	struct ccpu_featset	 set[CCPU_PLAN_MAX_HOSTS];
	uint64_t		 mult[CCPU_PLAN_MAX_HOSTS];
	unsigned int		 kind_of[CCPU_PLAN_MAX_HOSTS];	/* per host */
	unsigned int		 group[CCPU_PLAN_MAX_HOSTS];	/* per kind: its class */
	unsigned int		 ngroups;
	uint64_t		 best;
	/* exact search state */
	unsigned int		 k;
	unsigned int		 cur[CCPU_PLAN_MAX_HOSTS];
	struct ccpu_featset	 blk[CCPU_PLAN_MAX_CLASSES];
	uint64_t		 cnt[CCPU_PLAN_MAX_CLASSES];
	bool			 found;
};

/* How many hosts an entry stands for. */
static uint64_t
host_count(const struct ccpu_plan_host *h)
{
	return h->count == 0 ? 1 : h->count;
}

static uint64_t
score_blocks(const struct kinds *ks, unsigned int nb)
{
	uint64_t	s = 0;
	unsigned int	j;

	for (j = 0; j < nb; j++)
		s += ks->cnt[j] * weigh(ks->w, &ks->blk[j]);
	return s;
}

/* Every set partition of kinds i.. into at most k blocks, restricted growth order. */
static void
search(struct kinds *ks, size_t i, unsigned int nb)
{
	struct ccpu_featset	saved;
	uint64_t		s;
	unsigned int		j;

	if (i == ks->m) {
		s = score_blocks(ks, nb);
		if (!ks->found || s > ks->best ||
		    (s == ks->best && nb < ks->ngroups)) {
			ks->found = true;
			ks->best = s;
			ks->ngroups = nb;
			memcpy(ks->group, ks->cur, sizeof(ks->cur[0]) * ks->m);
		}
		return;
	}
	for (j = 0; j < nb; j++) {
		saved = ks->blk[j];
		ccpu_featset_and(&ks->blk[j], &ks->set[i]);
		ks->cnt[j] += ks->mult[i];
		ks->cur[i] = j;
		search(ks, i + 1, nb);
		ks->cnt[j] -= ks->mult[i];
		ks->blk[j] = saved;
	}
	if (nb < ks->k) {
		ks->blk[nb] = ks->set[i];
		ks->cnt[nb] = ks->mult[i];
		ks->cur[i] = nb;
		search(ks, i + 1, nb + 1);
	}
}

/*
 * Greedy agglomerative merging: start with one class per kind and merge the
 * pair whose merge loses the least weighted score, while there are more
 * than k classes or a merge loses nothing.  Loss of merging a and b:
 * cnt_a*W(a) + cnt_b*W(b) - (cnt_a+cnt_b)*W(a&b).
 */
static void
agglomerate(struct kinds *ks)
{
	struct ccpu_featset	*gs;
	uint64_t		*gc, *loss, best, ls;
	unsigned int		*gw, *alias;
	bool			*alive;
	size_t			 m = ks->m, a, b, ba, bb, ngroups = ks->m, i;
	struct ccpu_featset	 t;

	gs = xcalloc(m, sizeof(*gs));
	gc = xcalloc(m, sizeof(*gc));
	gw = xcalloc(m, sizeof(*gw));
	alias = xcalloc(m, sizeof(*alias));
	alive = xcalloc(m, sizeof(*alive));
	loss = xcalloc(m * m, sizeof(*loss));
	for (a = 0; a < m; a++) {
		gs[a] = ks->set[a];
		gc[a] = ks->mult[a];
		gw[a] = weigh(ks->w, &gs[a]);
		alias[a] = (unsigned int)a;
		alive[a] = true;
	}
	for (a = 0; a < m; a++)
		for (b = a + 1; b < m; b++) {
			t = gs[a];
			ccpu_featset_and(&t, &gs[b]);
			loss[a * m + b] = gc[a] * gw[a] + gc[b] * gw[b] -
			    (gc[a] + gc[b]) * weigh(ks->w, &t);
		}
	for (;;) {
		ba = bb = m;
		best = 0;
		for (a = 0; a < m; a++) {
			if (!alive[a])
				continue;
			for (b = a + 1; b < m; b++) {
				if (!alive[b])
					continue;
				ls = loss[a * m + b];
				if (ba == m || ls < best) {
					best = ls;
					ba = a;
					bb = b;
				}
			}
		}
		if (ba == m || (ngroups <= ks->k && best > 0))
			break;
		/* Merge bb into ba. */
		ccpu_featset_and(&gs[ba], &gs[bb]);
		gc[ba] += gc[bb];
		gw[ba] = weigh(ks->w, &gs[ba]);
		alive[bb] = false;
		ngroups--;
		for (i = 0; i < m; i++)
			if (alias[i] == bb)
				alias[i] = (unsigned int)ba;
		for (a = 0; a < m; a++) {
			if (!alive[a] || a == ba)
				continue;
			t = gs[a];
			ccpu_featset_and(&t, &gs[ba]);
			ls = gc[a] * gw[a] + gc[ba] * gw[ba] -
			    (gc[a] + gc[ba]) * weigh(ks->w, &t);
			if (a < ba)
				loss[a * m + ba] = ls;
			else
				loss[ba * m + a] = ls;
		}
	}
	/* Number the surviving groups densely, in order of their first kind. */
	ks->ngroups = 0;
	for (a = 0; a < m; a++) {
		if (alias[a] != a)
			continue;
		for (i = 0; i < m; i++)
			if (alias[i] == a)
				ks->group[i] = ks->ngroups;
		ks->ngroups++;
	}
	free(loss);
	free(alive);
	free(alias);
	free(gw);
	free(gc);
	free(gs);
}

/*
 * The one classes algorithm of both architectures, on feature sets: the
 * targets hosts 1..n-1 as the sets they restore (eff[i], counted cnt[i]
 * times), each class value base & AND(eff of its members), weighed by w;
 * single is the one-image value.  The architecture's rules are in what the
 * callers pass: x86-64's ignored, unknown and record-cleared bits in base
 * and eff, aarch64's PAC and lse rules checked on the whole fleet first
 * (ccpu_a64_plan), after which every class value is one the JVM accepts.
 */
static void
classes_of_sets(const unsigned int w[CCPU_FEATSET_MAX],
    const struct ccpu_featset *base, const struct ccpu_featset *eff,
    const uint64_t *cnt, size_t n, unsigned int k,
    const struct ccpu_featset *single, struct ccpu_plan_classes *out)
{
	struct kinds		*ks;
	struct ccpu_featset	 e;
	unsigned int		 remap[CCPU_PLAN_MAX_CLASSES], c, j;
	size_t			 i, x;

	ks = xcalloc(1, sizeof(*ks));
	ks->k = k;
	memcpy(ks->w, w, sizeof(ks->w));
	for (i = 1; i < n; i++) {
		e = eff[i];
		ccpu_featset_and(&e, base);
		for (x = 0; x < ks->m; x++)
			if (ccpu_featset_equal(&ks->set[x], &e))
				break;
		if (x == ks->m) {
			ks->set[x] = e;
			ks->m++;
		}
		ks->mult[x] += cnt[i];
		ks->kind_of[i] = (unsigned int)x;
	}
	memset(out, 0, sizeof(*out));
	out->ndistinct = (unsigned int)ks->m;
	if (ks->m == 0) {
		/* No targets: one class, the build host's value. */
		out->nclasses = 1;
		out->exact = true;
		out->value[0] = *single;
		out->single_of[0] = *single;
		free(ks);
		return;
	}
	if (ks->m <= CCPU_PLAN_EXACT_MAX) {
		out->exact = true;
		search(ks, 0, 0);
	} else
		agglomerate(ks);

	/* Classes numbered by their first target, values recomputed from members. */
	for (j = 0; j < CCPU_PLAN_MAX_CLASSES; j++)
		remap[j] = CCPU_PLAN_MAX_CLASSES;
	for (i = 1; i < n; i++) {
		j = ks->group[ks->kind_of[i]];
		if (remap[j] == CCPU_PLAN_MAX_CLASSES) {
			remap[j] = out->nclasses;
			out->value[out->nclasses] = *base;
			out->nclasses++;
		}
		c = remap[j];
		out->class_of[i] = c;
		ccpu_featset_and(&out->value[c], &eff[i]);
	}
	for (i = 1; i < n; i++) {
		out->score += cnt[i] * weigh(ks->w, &out->value[out->class_of[i]]);
		out->single_score += cnt[i] * weigh(ks->w, single);
	}
	for (j = 0; j < out->nclasses; j++)
		out->single_of[j] = *single;
	free(ks);
}

static int
check_k(unsigned int k, struct ccpu_error *err)
{
	if (k == 0 || k > CCPU_PLAN_MAX_CLASSES)
		return ccpu_error_set(err, CCPU_EUSAGE,
		    "%u classes: between 1 and %u allowed", k,
		    CCPU_PLAN_MAX_CLASSES);
	return 0;
}

int
ccpu_plan_classes(const struct ccpu_layout *l, const struct ccpu_plan_host *hosts,
    size_t n, unsigned int k, struct ccpu_plan_classes *out, struct ccpu_error *err)
{
	struct ccpu_plan	 single;
	struct ccpu_featset	 base, *eff;
	unsigned int		 w[CCPU_FEATSET_MAX];
	uint64_t		*cnt;
	size_t			 i;

	if (check_k(k, err) == -1 ||
	    ccpu_plan_compute(l, hosts, n, &single, err) == -1)
		return -1;
	bit_weights(l, w);
	ccpu_featset_minus(&base, &hosts[0].raw, &single.unknown);
	ccpu_featset_minus(&base, &base, ccpu_layout_record_cleared(l));
	eff = xcalloc(n, sizeof(*eff));
	cnt = xcalloc(n, sizeof(*cnt));
	for (i = 1; i < n; i++) {
		eff[i] = hosts[i].used;
		ccpu_featset_or(&eff[i], ccpu_layout_ignored(l));
		cnt[i] = host_count(&hosts[i]);
	}
	classes_of_sets(w, &base, eff, cnt, n, k, &single.value, out);
	free(cnt);
	free(eff);
	return 0;
}

/* Per-bit weights of an aarch64 layout: data/relevance.def by printed name. */
static void
a64_bit_weights(const struct ccpu_a64_layout *l, unsigned int w[CCPU_FEATSET_MAX])
{
	struct ccpu_featset	valid;
	int			b;

	memset(w, 0, sizeof(unsigned int) * CCPU_FEATSET_MAX);
	ccpu_a64_layout_valid(l, &valid);
	for (b = ccpu_featset_next(&valid, 0); b >= 0;
	    b = ccpu_featset_next(&valid, (unsigned int)b + 1))
		w[b] = ccpu_relevance(ccpu_a64_layout_bit_name(l,
		    (unsigned int)b)).weight;
}

unsigned int
ccpu_a64_plan_weight(const struct ccpu_a64_layout *l,
    const struct ccpu_featset *fs)
{
	unsigned int	w[CCPU_FEATSET_MAX];

	a64_bit_weights(l, w);
	return weigh(w, fs);
}

/* hosts[i]'s features in l, into *fs (returned). */
static const struct ccpu_featset *
derived(const struct ccpu_a64_layout *l, const struct ccpu_a64_cpu *hosts,
    size_t i, struct ccpu_featset *fs)
{
	ccpu_a64_derive(l, &hosts[i], fs);
	return fs;
}

/*
 * The classes of one aarch64 PAC kind: the targets are idx[1..m-1] (what
 * classes_of_sets calls hosts 1..n-1), checkpointed on hosts[idx[0]]
 * when anchored (the build host's kind), else each class on one of its
 * own members (the other kind: its value is then the AND of its members;
 * ccpu_a64_plan_classes picks the member).
 */
static int
a64_kind_classes(const struct ccpu_a64_layout *l,
    const struct ccpu_a64_cpu *hosts, const size_t *idx, size_t m,
    unsigned int k, const unsigned int w[CCPU_FEATSET_MAX], bool anchored,
    struct ccpu_plan_classes *out, struct ccpu_error *err)
{
	struct ccpu_a64_cpu	*own;
	struct ccpu_featset	 single, base, *eff;
	uint64_t		*cnt;
	size_t			 i;
	int			 rc;

	own = xcalloc(m, sizeof(*own));
	for (i = 0; i < m; i++)
		own[i] = hosts[idx[i]];
	if ((rc = ccpu_a64_plan(l, own, m, &single, err)) == 0) {
		if (anchored)
			ccpu_a64_derive(l, &own[0], &base);
		else
			ccpu_a64_layout_valid(l, &base);
		eff = xcalloc(m, sizeof(*eff));
		cnt = xcalloc(m, sizeof(*cnt));
		for (i = 1; i < m; i++) {
			ccpu_a64_derive(l, &own[i], &eff[i]);
			cnt[i] = 1;
		}
		classes_of_sets(w, &base, eff, cnt, m, k, &single, out);
		free(cnt);
		free(eff);
	}
	free(own);
	return rc;
}

int
ccpu_a64_plan_classes(const struct ccpu_a64_layout *l,
    const struct ccpu_a64_cpu *hosts, size_t n, unsigned int k,
    struct ccpu_plan_classes *out, struct ccpu_error *err)
{
	struct ccpu_plan_classes *c[2], *best[2];
	struct ccpu_featset	 v, all;
	unsigned int		 w[CCPU_FEATSET_MAX], k0, j, base;
	size_t			*idx[2], m[2] = { 0, 0 }, i, at;
	size_t			 on[CCPU_PLAN_MAX_CLASSES];
	char			 why[512];
	int			 paca = ccpu_a64_layout_paca(l);
	int			 rc = -1;
	bool			 pac0, pac;

	if (check_k(k, err) == -1 || check_hosts(n, err) == -1)
		return -1;
	if (!ccpu_a64_layout_has_value(l))
		return ccpu_a64_plan(l, hosts, n, &v, err);
	a64_bit_weights(l, w);
	/* idx[0]: the build host's kind, hosts[0] first; idx[1]: the other. */
	idx[0] = xcalloc(n, sizeof(*idx[0]));
	idx[1] = xcalloc(n + 1, sizeof(*idx[1]));
	ccpu_a64_derive(l, &hosts[0], &v);
	pac0 = paca >= 0 && ccpu_featset_has(&v, (unsigned int)paca);
	idx[0][m[0]++] = 0;
	at = n;
	for (i = 1; i < n; i++) {
		ccpu_a64_derive(l, &hosts[i], &v);
		pac = paca >= 0 && ccpu_featset_has(&v, (unsigned int)paca);
		if (pac == pac0) {
			idx[0][m[0]++] = i;
			continue;
		}
		if (m[1] == 0) {
			m[1] = 1;	/* idx[1][0]: its checkpoint host */
			all = v;
		}
		idx[1][m[1]++] = i;
		ccpu_featset_and(&all, &v);
	}
	/* The other kind's one image: on its first host that can make it. */
	for (i = 1, at = n; i < m[1] && at == n; i++)
		if (ccpu_a64_checkpoint_check(l, derived(l, hosts, idx[1][i],
		    &v), &all, why, sizeof(why)) == 0)
			at = idx[1][i];
	if (m[1] > 0 && at == n)
		at = idx[1][1];	/* ccpu_a64_plan says why none can */
	if (m[1] == 0) {
		rc = a64_kind_classes(l, hosts, idx[0], m[0], k, w, true, out,
		    err);
		goto out;
	}
	if (k < 2) {
		ccpu_error_set(err, CCPU_EUSAGE, "hosts with and without "
		    "pointer authentication (PACA) need an image each (\"these "
		    "CPUs each require a separate image\"): --classes 2 at least");
		goto out;
	}
	idx[1][0] = at;
	c[0] = xcalloc(1, sizeof(*c[0]));
	c[1] = xcalloc(1, sizeof(*c[1]));
	best[0] = xcalloc(1, sizeof(*best[0]));
	best[1] = xcalloc(1, sizeof(*best[1]));
	/*
	 * The k classes shared between the kinds where they keep the most
	 * weight (fewer classes on a tie); a kind with no target besides
	 * the build host takes none.
	 */
	for (k0 = m[0] > 1 ? 1 : 0; k0 < k && (k0 == 0 || m[0] > 1); k0++) {
		if ((k0 > 0 && a64_kind_classes(l, hosts, idx[0], m[0], k0, w,
		    true, c[0], err) == -1) || a64_kind_classes(l, hosts, idx[1],
		    m[1], k - k0, w, false, c[1], err) == -1) {
			rc = -1;
			goto free;
		}
		if (k0 == 0)
			memset(c[0], 0, sizeof(*c[0]));
		if (rc == -1 || c[0]->score + c[1]->score > best[0]->score +
		    best[1]->score || (c[0]->score + c[1]->score ==
		    best[0]->score + best[1]->score && c[0]->nclasses +
		    c[1]->nclasses < best[0]->nclasses + best[1]->nclasses)) {
			*best[0] = *c[0];
			*best[1] = *c[1];
			rc = 0;
		}
		if (k0 == 0)
			break;
	}
	memset(out, 0, sizeof(*out));
	out->exact = (m[0] == 1 || best[0]->exact) && best[1]->exact;
	out->ndistinct = best[0]->ndistinct + best[1]->ndistinct;
	out->score = best[0]->score + best[1]->score;
	out->single_score = best[0]->single_score + best[1]->single_score;
	for (j = 0; j < best[0]->nclasses; j++) {
		out->value[j] = best[0]->value[j];
		out->single_of[j] = best[0]->single_of[j];
	}
	for (i = 1; i < m[0]; i++)
		out->class_of[idx[0][i]] = best[0]->class_of[i];
	base = best[0]->nclasses;
	/* Each class of the other kind on its first member that can make it. */
	for (j = 0; j < best[1]->nclasses; j++) {
		on[j] = n;
		for (i = 1; i < m[1] && on[j] == n; i++)
			if (best[1]->class_of[i] == j &&
			    ccpu_a64_checkpoint_check(l, derived(l, hosts,
			    idx[1][i], &v), &best[1]->value[j], why,
			    sizeof(why)) == 0)
				on[j] = idx[1][i];
		if (on[j] == n) {
			for (i = 1; best[1]->class_of[i] != j; i++)
				;
			ccpu_error_set(err, CCPU_EINPUT, "no host of the class "
			    "of host %zu can make its image (host %zu %s): plan "
			    "its hosts apart", idx[1][i] + 1, idx[1][i] + 1,
			    (ccpu_a64_checkpoint_check(l, derived(l, hosts,
			    idx[1][i], &v), &best[1]->value[j], why,
			    sizeof(why)), why));
			rc = -1;
			goto free;
		}
	}
	for (j = 0; j < best[1]->nclasses; j++) {
		out->value[base + j] = best[1]->value[j];
		out->single_of[base + j] = best[1]->single_of[j];
		out->checkpoint_on[base + j] = (unsigned int)on[j];
	}
	for (i = 1; i < m[1]; i++)
		out->class_of[idx[1][i]] = base + best[1]->class_of[i];
	out->nclasses = base + best[1]->nclasses;
	out->other_kind_on = (unsigned int)at;
free:
	free(c[0]);
	free(c[1]);
	free(best[0]);
	free(best[1]);
out:
	free(idx[0]);
	free(idx[1]);
	return rc;
}

const char *
ccpu_plan_vendor_advice(const struct ccpu_layout *l, const struct ccpu_plan *p,
    char *buf, size_t size)
{
	struct strbuf	sb = STRBUF_INIT;
	char		names[2048];
	unsigned int	i, nonempty = 0;
	char		*s;

	if (p->nvendors < 2)
		return NULL;
	for (i = 0; i < p->nvendors; i++)
		nonempty += !ccpu_featset_empty(&p->vendor_only[i]);
	strbuf_addf(&sb, "the hosts mix CPU vendors (");
	for (i = 0; i < p->nvendors; i++) {
		ccpu_jvm_format_names(l, &p->vendor_only[i], names, sizeof(names));
		strbuf_addf(&sb, "%s%s alone: %s", i ? "; " : "", p->vendors[i],
		    names[0] ? names : "nothing");
	}
	strbuf_adds(&sb, nonempty > 1 ?
	    "): their feature sets are not nested, so one value is poorer "
	    "than each vendor's own; build one image per vendor (--classes 2 "
	    "shows the split)" :
	    "): one image serves them, but a vendor change at restore is a "
	    "risk of its own (see check --strict)");
	s = strbuf_detach(&sb);
	snprintf(buf, size, "%s", s);
	free(s);
	return buf;
}
