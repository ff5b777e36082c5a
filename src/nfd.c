/*
 * Kubernetes Node Feature Discovery input.  A cluster that runs NFD already
 * publishes each node's CPUID flags as labels; this turns them back into
 * CPUID registers (data/nfd.def), derives them like any dump and marks the
 * JVM features that no label tells (data/nfd-blind.def) as unknown, so a
 * cluster can be surveyed without probing every node.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/survey.h"
#include "survey_impl.h"
#include "xmalloc.h"

#define NFD_PREFIX	"feature.node.kubernetes.io/"
#define NFD_CPUID	NFD_PREFIX "cpu-cpuid."
#define NFD_CRAC	NFD_PREFIX "crac-cpu."	/* crac-cpu features --format nfd */

enum nfd_how { NFD_PLAIN, NFD_DENIED };

struct nfd_row {
	const char	*label;		/* the full label name */
	uint32_t	 leaf, sub;
	enum ccpu_reg	 reg;
	unsigned int	 bit;
	enum nfd_how	 how;
	unsigned int	 level;
	const char	*jvm;
};

static const struct nfd_row rows[] = {
#define X(label, leaf, sub, reg, bit, how, lvl, jvm) \
	{ NFD_CPUID #label, leaf, sub, CCPU_##reg, bit, how, lvl, jvm },
#include "nfd.def"
#undef X
};
_Static_assert(sizeof(rows) / sizeof(rows[0]) <= CCPU_FEATSET_MAX,
    "nfd.def rows are kept in a featset");

static const struct {
	const char	*name, *why;
} blind[] = {
#define B(name, why) { name, why },
#include "nfd-blind.def"
#undef B
};

static const char *const vendors[][2] = {
	{ "Intel",	"GenuineIntel" },
	{ "AMD",	"AuthenticAMD" },
	{ "Hygon",	"HygonGenuine" },
	{ "Zhaoxin",	"  Shanghai  " },
	{ "VIA",	"CentaurHauls" },
};

const char *
ccpu_nfd_label(unsigned int row)
{
	return row < nitems(rows) ? rows[row].label : NULL;
}

const char *
ccpu_nfd_blind_reason(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(blind); i++)
		if (strcmp(blind[i].name, name) == 0)
			return blind[i].why;
	return NULL;
}

/* Mark every JVM bit named in a space-separated list. */
static void
mark_names(const struct ccpu_layout *l, const char *list, struct ccpu_featset *fs)
{
	(void)ccpu_layout_names(l, list, fs);	/* a name l lacks marks nothing */
}

/* Does the space-separated list hold JVM bit `bit` of layout l? */
static bool
jvm_list_has(const struct ccpu_layout *l, const char *list, unsigned int bit)
{
	struct ccpu_featset	fs = CCPU_FEATSET_INIT;

	mark_names(l, list, &fs);
	return ccpu_featset_has(&fs, bit);
}

int
ccpu_nfd_row_for_bit(const struct ccpu_layout *l, unsigned int bit)
{
	size_t	i;

	for (i = 0; i < nitems(rows); i++)
		if (rows[i].how == NFD_PLAIN && jvm_list_has(l, rows[i].jvm, bit))
			return (int)i;
	return -1;
}


bool
ccpu_nfd_is_node_list(const json_t *doc)
{
	const char	*kind;
	json_t		*items;

	if (!json_is_object(doc))
		return false;
	kind = json_string_value(json_object_get(doc, "kind"));
	if (kind != NULL && strcmp(kind, "Node") == 0)
		return true;
	items = json_object_get(doc, "items");
	if (!json_is_array(items))
		return false;
	return (kind != NULL && (strcmp(kind, "List") == 0 ||
	    strcmp(kind, "NodeList") == 0)) || json_array_size(items) == 0 ||
	    json_is_object(json_object_get(json_array_get(items, 0), "metadata"));
}

static bool
label_true(json_t *labels, const char *key)
{
	const char	*v = json_string_value(json_object_get(labels, key));

	return v != NULL && strcmp(v, "true") == 0;
}

/* A decimal label value in [0, max], or -1. */
static long
label_num(json_t *labels, const char *key, long max)
{
	const char	*v = json_string_value(json_object_get(labels, key));
	char		*end;
	long		 n;

	if (v == NULL || *v < '0' || *v > '9')
		return -1;
	n = strtol(v, &end, 10);
	return *end != '\0' || n > max ? -1 : n;
}

/* Every x86-64 CPU has it: fpu, tsc, cx8, cmov, clflush, mmx, fxsr, sse, sse2. */
static const struct {
	uint32_t	leaf;
	enum ccpu_reg	reg;
	unsigned int	bit;
} arch[] = {
	{ 1, CCPU_EDX, 0 }, { 1, CCPU_EDX, 4 }, { 1, CCPU_EDX, 8 },
	{ 1, CCPU_EDX, 15 }, { 1, CCPU_EDX, 19 }, { 1, CCPU_EDX, 23 },
	{ 1, CCPU_EDX, 24 }, { 1, CCPU_EDX, 25 }, { 1, CCPU_EDX, 26 },
	{ 0x80000001, CCPU_EDX, 29 },	/* long mode */
};

static bool
architectural(const struct nfd_row *row)
{
	size_t	i;

	for (i = 0; i < nitems(arch); i++)
		if (row->leaf == arch[i].leaf && row->sub == 0 &&
		    row->reg == arch[i].reg && row->bit == arch[i].bit)
			return true;
	return false;
}

/*
 * A node labelled by crac-cpu itself (features --format nfd): the JVM
 * features of the layout, exactly, and the class id they must give, so that
 * stale or partial labels are caught rather than trusted.
 */
static int
crac_labels_host(const struct ccpu_layout *layout, json_t *labels,
    const char *node, struct ccpu_survey_host *h, struct ccpu_error *err)
{
	const struct ccpu_featset	*valid = ccpu_layout_valid(layout);
	const char			*cls, *vid;
	char				 key[160], name[CCPU_LABEL_MAX], id[12];
	long				 fam, mod;
	size_t				 i;
	int				 b;

	memset(h, 0, sizeof(*h));
	snprintf(key, sizeof(key), "%s%s.class", NFD_CRAC, ccpu_layout_name(layout));
	cls = json_string_value(json_object_get(labels, key));
	for (b = ccpu_featset_next(valid, 0); b >= 0;
	    b = ccpu_featset_next(valid, (unsigned int)b + 1)) {
		snprintf(key, sizeof(key), "%s%s.%s", NFD_CRAC,
		    ccpu_layout_name(layout), ccpu_layout_bit_label(layout,
		    (unsigned int)b, name, sizeof(name)));
		if (label_true(labels, key))
			ccpu_featset_add(&h->used, (unsigned int)b);
	}
	ccpu_survey_stable_id(layout, &h->used, &h->unknown, id, sizeof(id));
	if (cls == NULL || strcmp(cls, id) != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "node '%s': its crac-cpu "
		    "labels disagree (class label '%.16s', the feature labels give "
		    "'%s'): stale or partly written; run crac-cpu features "
		    "--format nfd on it again", node, cls != NULL ? cls : "", id);
	for (i = 0; i < nitems(rows); i++)
		if (label_true(labels, ccpu_nfd_label(i)))
			ccpu_featset_add(&h->labels, i);
	vid = json_string_value(json_object_get(labels, NFD_PREFIX "cpu-model.vendor_id"));
	fam = label_num(labels, NFD_PREFIX "cpu-model.family", 0x10e);
	mod = label_num(labels, NFD_PREFIX "cpu-model.id", 255);
	h->vendor = "";
	for (i = 0; vid != NULL && i < nitems(vendors); i++)
		if (strcmp(vid, vendors[i][0]) == 0)
			h->vendor = vendors[i][1];
	h->brand = "";
	h->family = fam > 0 ? (unsigned int)fam : 0;
	h->model = mod > 0 ? (unsigned int)mod : 0;
	h->name = node;
	h->origin = CCPU_ORIGIN_NFD;
	h->crac_labels = true;
	return 0;
}

/* Does the node have a crac-cpu label of an aarch64 host (facts or layout)? */
static bool
has_a64_labels(json_t *labels)
{
	const struct ccpu_a64_layout	*l;
	const char			*key;
	json_t				*v;
	char				 pre[64];
	size_t				 i;

	json_object_foreach(labels, key, v) {
		if (strncmp(key, NFD_CRAC, strlen(NFD_CRAC)) != 0)
			continue;
		if (strncmp(key, NFD_CRAC "aarch64.", strlen(NFD_CRAC
		    "aarch64.")) == 0)
			return true;
		for (i = 0; (l = ccpu_a64_layout_at(i)) != NULL; i++) {
			snprintf(pre, sizeof(pre), NFD_CRAC "%s.",
			    ccpu_a64_layout_name(l));
			if (strncmp(key, pre, strlen(pre)) == 0)
				return true;
		}
	}
	return false;
}

/*
 * An arm64 node.  NFD's own labels (cpu-cpuid.ATOMICS, PACA, ... from
 * HWCAP) name no CPU part, which a53mac needs (a Cortex-A53): such a node
 * is read only from crac-cpu's labels (features --format nfd), the facts
 * when there (h->a64, in scratch), else a CRaC layout's features that tell
 * every feature of the survey's aarch64 layout (h->a64_value).
 */
static int
a64_node_host(json_t *labels, const char *node, struct ccpu_profile *p,
    struct ccpu_survey_host *h, struct ccpu_error *err)
{
	const struct ccpu_a64_layout	*target = survey_a64_layout_default();
	struct ccpu_featset		 value;
	char				 key[64];

	memset(h, 0, sizeof(*h));
	switch (ccpu_a64_nfd_read(labels, target, &p->a64, &value, err)) {
	case -1:
		ccpu_error_prefix(err, "node '%s'", node);
		return -1;
	case 0:
		return ccpu_error_set(err, CCPU_EINPUT, "node '%s' is arm64 with "
		    "no crac-cpu labels: NFD's own labels name no CPU part, "
		    "which a53mac needs (a Cortex-A53); label it with crac-cpu "
		    "features --format nfd, or read its profile or "
		    "/proc/cpuinfo", node);
	case 1:
		h->a64 = &p->a64;
		break;
	default:
		h->a64_by_value = true;
		h->a64_value = value;
		break;
	}
	snprintf(key, sizeof(key), NFD_CRAC "%s.class",
	    ccpu_a64_layout_name(target));
	h->a64_labels = json_object_get(labels, key) != NULL;
	snprintf(p->hostname, sizeof(p->hostname), "%s", node);
	h->name = p->hostname;
	h->vendor = h->brand = "";
	h->origin = CCPU_ORIGIN_NFD;
	return 0;
}

/* One node: which rows its labels tell, and the synthesized registers. */
int
ccpu_nfd_node_host(const struct ccpu_layout *layout, json_t *node,
    struct ccpu_profile *p, struct ccpu_survey_host *h, char *name, size_t namesz,
    struct ccpu_error *err)
{
	struct ccpu_jvm_features f;
	struct ccpu_featset	 told_not;
	struct ccpu_cpu		*c;
	json_t			*meta, *labels;
	const char		*s, *vid;
	char			 key[128];
	uint32_t		 r[4];
	long			 fam, mod, level = 0, avx10;
	bool			 complete = false, present;
	size_t			 i;

	meta = json_object_get(node, "metadata");
	s = json_string_value(json_object_get(meta, "name"));
	snprintf(name, namesz, "%s", s != NULL ? s : "");
	if (s == NULL || *s == '\0')
		return ccpu_error_set(err, CCPU_EINPUT, "node without metadata.name");
	labels = json_object_get(meta, "labels");
	if (!json_is_object(labels))
		return ccpu_error_set(err, CCPU_EINPUT, "node '%s': no labels", s);
	vid = json_string_value(json_object_get(labels, "kubernetes.io/arch"));
	if ((vid != NULL && strcmp(vid, "arm64") == 0) ||
	    (vid == NULL && has_a64_labels(labels)))
		return a64_node_host(labels, s, p, h, err);
	if (vid != NULL && strcmp(vid, "amd64") != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "node '%s' is not amd64 "
		    "or arm64 (kubernetes.io/arch '%.16s')", s, vid);
	if (has_a64_labels(labels))
		return ccpu_error_set(err, CCPU_EINPUT, "node '%s': its labels "
		    "disagree: kubernetes.io/arch is amd64 and it has crac-cpu "
		    "aarch64 labels: stale or copied from another node", s);
	snprintf(key, sizeof(key), "%s%s.class", NFD_CRAC, ccpu_layout_name(layout));
	if (json_object_get(labels, key) != NULL)
		return crac_labels_host(layout, labels, s, h, err);
	vid = json_string_value(json_object_get(labels, NFD_PREFIX "cpu-model.vendor_id"));
	fam = label_num(labels, NFD_PREFIX "cpu-model.family", 0x10e);
	mod = label_num(labels, NFD_PREFIX "cpu-model.id", 255);
	if (vid == NULL || fam < 0 || mod < 0)
		return ccpu_error_set(err, CCPU_EINPUT, "node '%s': no NFD cpu-model "
		    "labels (vendor_id, family, id): is NFD deployed?", s);
	for (i = 0; i < nitems(vendors); i++)
		if (strcmp(vid, vendors[i][0]) == 0)
			break;
	if (i == nitems(vendors))
		return ccpu_error_set(err, CCPU_EINPUT, "node '%s': vendor_id '%s' "
		    "is not an x86 vendor", s, vid);

	memset(p, 0, sizeof(*p));
	snprintf(p->hostname, sizeof(p->hostname), "%s", s);
	snprintf(p->source, sizeof(p->source), "nfd");
	p->ntypes = 1;
	c = &p->types[0];
	/* 64-byte CLFLUSH line, one logical CPU. */
	ccpu_cpu_synthesize(c, vendors[i][1], (unsigned int)fam,
	    (unsigned int)mod, 0, 0x00010800, 0x80000008);
	for (i = 0; i < nitems(arch); i++)
		ccpu_cpu_set_bit(c, arch[i].leaf, 0, arch[i].reg, arch[i].bit);

	for (i = 2; i <= 4; i++) {
		snprintf(key, sizeof(key), "%sX86_64_V%zu", NFD_CPUID, i);
		if (label_true(labels, key))
			level = (long)i;
	}
	for (i = 0; i < nitems(rows); i++)
		if (rows[i].how == NFD_DENIED && label_true(labels, ccpu_nfd_label(i)))
			complete = true;

	memset(h, 0, sizeof(*h));
	ccpu_featset_clear(&told_not);
	for (i = 0; i < nitems(rows); i++) {
		present = label_true(labels, ccpu_nfd_label(i));
		if (present)
			ccpu_featset_add(&h->labels, i);
		/*
		 * A denied label that nothing implies is assumed present while
		 * deriving, so that what rests on it (avx on sse4.2, say) is
		 * still derived, and then reported unknown itself.
		 */
		if (!present && rows[i].how == NFD_DENIED && !complete) {
			if (!architectural(&rows[i]) && (rows[i].level == 0 ||
			    (long)rows[i].level > level))
				mark_names(layout, rows[i].jvm, &told_not);
			present = true;
		}
		if (present)
			ccpu_cpu_set_bit(c, rows[i].leaf, rows[i].sub, rows[i].reg,
			    rows[i].bit);
	}
	/* klauspost/cpuid reports AVX and AVX-512 only when the OS enabled them. */
	ccpu_cpu_xcr0_from_bits(c);
	c->missing = CCPU_MISS_LEAF29 | CCPU_MISS_HYPERVISOR;
	if (ccpu_cpu_bit(c, 7, 1, CCPU_EDX, 19)) {
		avx10 = label_num(labels, NFD_CPUID "AVX10_VERSION", 255);
		if (avx10 > 0) {
			r[0] = 0;
			r[1] = (uint32_t)avx10 | 0x70000;
			r[2] = r[3] = 0;
			(void)ccpu_cpu_set(c, 0x24, 0, r, NULL);
			r[0] = 0x24;
			r[1] = r[2] = r[3] = 0;
			memcpy(r + 1, ccpu_cpu_find(c, 0, 0)->r + 1, 12);
			(void)ccpu_cpu_set(c, 0, 0, r, NULL);
		} else {
			c->missing |= CCPU_MISS_LEAF24;
		}
	}
	for (i = 0; i < nitems(blind); i++)
		mark_names(layout, blind[i].name, &told_not);

	if (ccpu_jvm_derive_host(layout, p, &f, err) == -1) {
		ccpu_error_prefix(err, "node '%s'", s);
		return -1;
	}
	h->name = p->hostname;
	h->vendor = vendors[0][1];
	for (i = 0; i < nitems(vendors); i++)
		if (strcmp(vid, vendors[i][0]) == 0)
			h->vendor = vendors[i][1];
	h->brand = "";
	h->family = (unsigned int)fam;
	h->model = (unsigned int)mod;
	h->origin = CCPU_ORIGIN_NFD;
	h->unknown = f.unknown;
	ccpu_featset_or(&h->unknown, &told_not);
	ccpu_featset_minus(&h->used, &f.used, &h->unknown);
	return 0;
}

long
ccpu_nfd_add_nodes(struct ccpu_survey *s, const json_t *doc, const char *file,
    struct ccpu_error *err)
{
	const struct ccpu_layout	*layout = ccpu_survey_layout(s);
	struct ccpu_survey_host		 h;
	struct ccpu_profile		*p;
	struct ccpu_error		 e;
	const json_t			*items;
	json_t				*node;
	char				 name[256];
	long				 n = 0;
	size_t				 i, count;

	if (!ccpu_nfd_is_node_list(doc))
		return ccpu_error_set(err, CCPU_EINPUT, "not a Kubernetes node list");
	items = json_object_get(doc, "items");
	count = json_is_array(items) ? json_array_size(items) : 1;
	p = ccpu_profile_new();
	for (i = 0; i < count; i++) {
		node = json_is_array(items) ? json_array_get(items, i) : (json_t *)doc;
		if (ccpu_nfd_node_host(layout, node, p, &h, name, sizeof(name), &e) == -1) {
			char	where[512];

			snprintf(where, sizeof(where), "%s: item %zu", file, i);
			ccpu_survey_add_error(s, where, 0, e.msg);
			continue;
		}
		ccpu_survey_add_host(s, &h);
		n++;
	}
	ccpu_profile_free(p);
	return n;
}

/* Affinity ---------------------------------------------------------------- */

/*
 * Can NFD labels select exactly the NFD hosts whose class answers yes?  Each
 * required label comes from a bit of the value; a class matches when every
 * one of its NFD hosts has all of them (labels_all), matches none when one
 * is missing from all of them (labels_any), and is split otherwise.
 */
static bool
labels_select(const struct ccpu_survey *s, const struct ccpu_featset *value,
    const enum ccpu_restore *restore, struct ccpu_featset *req)
{
	const struct ccpu_survey_class	*c;
	struct ccpu_featset		 miss;
	bool				 all, none;
	int				 b, row;
	size_t				 i;

	ccpu_featset_clear(req);
	for (b = ccpu_featset_next(value, 0); b >= 0; b = ccpu_featset_next(value, b + 1)) {
		if (ccpu_featset_has(ccpu_layout_ignored(s->layout), b) ||
		    ccpu_featset_has(ccpu_layout_generic(s->layout), b))
			continue;	/* every x86-64 node has these */
		if ((row = ccpu_nfd_row_for_bit(s->layout, b)) < 0)
			return false;
		ccpu_featset_add(req, row);
	}
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		if (c->nfd_hosts == 0)
			continue;
		all = ccpu_featset_subset(req, &c->labels_all);
		ccpu_featset_minus(&miss, req, &c->labels_any);
		none = !ccpu_featset_empty(&miss);
		if (restore[i] == CCPU_RESTORE_YES ? !all : !none)
			return false;
	}
	return true;
}

/*
 * With every NFD host labelled by crac-cpu, the labels are the JVM
 * features themselves: require each bit of the value (beyond those every
 * x86-64 node has), provided that selects exactly the classes that restore.
 */
static bool
crac_select(const struct ccpu_survey *s, const struct ccpu_featset *value,
    const enum ccpu_restore *restore, struct ccpu_featset *req)
{
	const struct ccpu_survey_class	*c;
	size_t				 i;

	if (s->crac_hosts == 0 || s->crac_hosts != s->nfd_hosts)
		return false;
	ccpu_featset_minus(req, value, ccpu_layout_ignored(s->layout));
	ccpu_featset_minus(req, req, ccpu_layout_generic(s->layout));
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		if (c->nfd_hosts == 0)
			continue;
		if ((restore[i] == CCPU_RESTORE_YES) !=
		    ccpu_featset_subset(req, &c->used))
			return false;
	}
	return true;
}

/* The classes that restore value i (the plan for (size_t)-1); malloc'ed. */
static enum ccpu_restore *
restore_of(const struct ccpu_survey *s, size_t idx, const struct ccpu_featset **value)
{
	enum ccpu_restore	*own;
	struct ccpu_featset	 miss;
	size_t			 i;

	own = xcalloc(s->nclasses ? s->nclasses : 1, sizeof(*own));
	*value = idx == (size_t)-1 ? &s->plan : &s->images[idx].value;
	for (i = 0; i < s->nclasses; i++) {
		if (idx != (size_t)-1) {
			own[i] = s->images[idx].restore[i];
			continue;
		}
		ccpu_featset_minus(&miss, &s->plan, &s->classes[i]->used);
		own[i] = ccpu_featset_empty(&miss) ? CCPU_RESTORE_YES :
		    CCPU_RESTORE_NO;
	}
	return own;
}

const char *
ccpu_survey_affinity_why(const struct ccpu_survey *s, size_t idx, char *buf,
    size_t size)
{
	const struct ccpu_featset	*value;
	const struct ccpu_survey_class	*c;
	enum ccpu_restore		*restore;
	struct ccpu_featset		 req, miss;
	char				 name[CCPU_LABEL_MAX];
	size_t				 i;
	int				 b;

	if (s->nfd_hosts == 0)
		return NULL;
	restore = restore_of(s, idx, &value);
	if (crac_select(s, value, restore, &req) ||
	    labels_select(s, value, restore, &req)) {
		free(restore);
		return NULL;
	}
	snprintf(buf, size, "the labels cannot select exactly the nodes that "
	    "restore it");
	for (b = ccpu_featset_next(value, 0); b >= 0;
	    b = ccpu_featset_next(value, (unsigned int)b + 1)) {
		if (ccpu_featset_has(ccpu_layout_ignored(s->layout), (unsigned int)b) ||
		    ccpu_featset_has(ccpu_layout_generic(s->layout), (unsigned int)b) ||
		    ccpu_nfd_row_for_bit(s->layout, (unsigned int)b) >= 0)
			continue;
		snprintf(buf, size, "%s has no NFD label (publish crac-cpu's "
		    "own with features --format nfd)", ccpu_layout_bit_label(
		    s->layout, (unsigned int)b, name, sizeof(name)));
		free(restore);
		return buf;
	}
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		if (c->nfd_hosts == 0 || restore[i] == CCPU_RESTORE_YES)
			continue;
		ccpu_featset_minus(&miss, value, &c->labels_any);
		if (ccpu_featset_empty(&miss) || c->nfd_hosts != c->crac_hosts) {
			snprintf(buf, size, "NFD cannot tell the nodes of class "
			    "%s from those that restore it", c->id);
			break;
		}
	}
	free(restore);
	return buf;
}

json_t *
ccpu_survey_affinity(const struct ccpu_survey *s, size_t idx, bool *by_labels)
{
	const struct ccpu_featset	*value;
	enum ccpu_restore		*restore, *own = NULL;
	struct ccpu_featset		 req, miss;
	json_t				*exprs, *values, *term;
	const char			*label;
	size_t				 i, j;
	int				 row;

	if (s->nfd_hosts == 0)
		return NULL;
	if (idx == (size_t)-1) {
		value = &s->plan;
		own = xcalloc(s->nclasses ? s->nclasses : 1, sizeof(*own));
		for (i = 0; i < s->nclasses; i++) {
			ccpu_featset_minus(&miss, value, &s->classes[i]->used);
			own[i] = ccpu_featset_empty(&miss) ? CCPU_RESTORE_YES :
			    CCPU_RESTORE_NO;
		}
		restore = own;
	} else {
		value = &s->images[idx].value;
		restore = s->images[idx].restore;
	}
	exprs = json_array();
	if (crac_select(s, value, restore, &req)) {
		char	key[160], name[CCPU_LABEL_MAX];
		int	b;

		*by_labels = true;
		for (b = ccpu_featset_next(&req, 0); b >= 0;
		    b = ccpu_featset_next(&req, (unsigned int)b + 1)) {
			snprintf(key, sizeof(key), "%s%s.%s", NFD_CRAC,
			    ccpu_layout_name(s->layout), ccpu_layout_bit_label(
			    s->layout, (unsigned int)b, name, sizeof(name)));
			json_array_append_new(exprs, json_pack("{s:s, s:s, s:[s]}",
			    "key", key, "operator", "In", "values", "true"));
		}
	} else if (labels_select(s, value, restore, &req)) {
		*by_labels = true;
		for (row = ccpu_featset_next(&req, 0); row >= 0;
		    row = ccpu_featset_next(&req, row + 1)) {
			label = ccpu_nfd_label(row);
			json_array_append_new(exprs, json_pack("{s:s, s:s, s:[s]}",
			    "key", label, "operator", "In", "values", "true"));
		}
	} else {
		*by_labels = false;
		values = json_array();
		for (i = 0; i < s->nclasses; i++) {
			if (restore[i] != CCPU_RESTORE_YES)
				continue;
			for (j = 0; j < s->classes[i]->nnodes; j++)
				json_array_append_new(values,
				    json_string(s->classes[i]->nodes[j]));
		}
		/* In needs a value: no node at all is "no host name". */
		if (json_array_size(values) == 0) {
			json_decref(values);
			json_array_append_new(exprs, json_pack("{s:s, s:s}",
			    "key", "kubernetes.io/hostname", "operator",
			    "DoesNotExist"));
		} else
			json_array_append_new(exprs, json_pack("{s:s, s:s, s:o}",
			    "key", "kubernetes.io/hostname", "operator", "In",
			    "values", values));
	}
	free(own);
	term = json_pack("{s:[{s:o}]}", "nodeSelectorTerms", "matchExpressions", exprs);
	return json_pack("{s:{s:o}}", "nodeAffinity",
	    "requiredDuringSchedulingIgnoredDuringExecution", term);
}
