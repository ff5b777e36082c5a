/*
 * Fleet survey: hosts are folded into CPU classes as they arrive (an open
 * addressing hash on the used and unknown sets), so memory follows the
 * number of classes, never the number of hosts.  ccpu_survey_finish turns
 * the classes into the report: the plan (intersection), what it costs each
 * class, the planner's split into image classes, and the image restore
 * matrix.  The text, CSV and JSON renderings
 * are here; the HTML one is in report_html.c.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/survey.h"
#include "strbuf.h"
#include "xmalloc.h"

struct ccpu_survey {
	const struct ccpu_layout	*layout;
	unsigned long			 hosts, nfd_hosts;
	struct ccpu_survey_class	**classes;	/* insertion order, then report order */
	size_t				 nclasses, aclasses;
	size_t				*slots;		/* hash: class index + 1, 0 = empty */
	size_t				 nslots;
	unsigned long			 feat_hosts[CCPU_FEATSET_MAX];
	unsigned long			 feat_unknown[CCPU_FEATSET_MAX];
	struct ccpu_survey_image	*images;
	size_t				 nimages;
	struct ccpu_survey_error	*errors;
	size_t				 nerrors_listed;
	unsigned long			 nerrors;
	bool				 finished;
	struct ccpu_featset		 plan, all;
	bool				 plan_valid;
	unsigned int			 split_k;	/* asked for; < 2: none */
	bool				 split_done;
	struct ccpu_survey_split	 split;
};

struct ccpu_survey *
ccpu_survey_new(const struct ccpu_layout *layout)
{
	struct ccpu_survey	*s = xcalloc(1, sizeof(*s));

	s->layout = layout;
	s->nslots = 64;
	s->slots = xcalloc(s->nslots, sizeof(*s->slots));
	return s;
}

void
ccpu_survey_free(struct ccpu_survey *s)
{
	size_t	i, j;

	if (s == NULL)
		return;
	for (i = 0; i < s->nclasses; i++) {
		for (j = 0; j < s->classes[i]->nnodes; j++)
			free(s->classes[i]->nodes[j]);
		free(s->classes[i]->nodes);
		free(s->classes[i]);
	}
	for (i = 0; i < s->nimages; i++) {
		free(s->images[i].restore);
		free(s->images[i].missing);
	}
	free(s->images);
	free(s->classes);
	free(s->slots);
	free(s->errors);
	free(s);
}

static uint64_t
hash_sets(const struct ccpu_featset *a, const struct ccpu_featset *b)
{
	uint64_t	h = 0xcbf29ce484222325ull;
	size_t		i;

	for (i = 0; i < CCPU_FEATSET_WORDS; i++) {
		h = (h ^ a->w[i]) * 0x100000001b3ull;
		h ^= h >> 29;
		h = (h ^ b->w[i]) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

static void
rehash(struct ccpu_survey *s)
{
	size_t	i, k, mask;

	free(s->slots);
	s->nslots *= 2;
	s->slots = xcalloc(s->nslots, sizeof(*s->slots));
	mask = s->nslots - 1;
	for (i = 0; i < s->nclasses; i++) {
		k = hash_sets(&s->classes[i]->used, &s->classes[i]->unknown) & mask;
		while (s->slots[k] != 0)
			k = (k + 1) & mask;
		s->slots[k] = i + 1;
	}
}

static struct ccpu_survey_class *
class_for(struct ccpu_survey *s, const struct ccpu_featset *used,
    const struct ccpu_featset *unknown)
{
	struct ccpu_survey_class	*c;
	size_t				 k, mask = s->nslots - 1;

	k = hash_sets(used, unknown) & mask;
	while (s->slots[k] != 0) {
		c = s->classes[s->slots[k] - 1];
		if (ccpu_featset_equal(&c->used, used) &&
		    ccpu_featset_equal(&c->unknown, unknown))
			return c;
		k = (k + 1) & mask;
	}
	if (s->nclasses == s->aclasses) {
		s->aclasses = s->aclasses ? 2 * s->aclasses : 16;
		s->classes = xreallocarray(s->classes, s->aclasses, sizeof(*s->classes));
	}
	c = xcalloc(1, sizeof(*c));
	c->used = *used;
	c->unknown = *unknown;
	s->classes[s->nclasses++] = c;
	s->slots[k] = s->nclasses;
	if (2 * s->nclasses > s->nslots)
		rehash(s);
	return c;
}

static void
copy_str(char *dst, size_t size, const char *src)
{
	size_t	n = src == NULL ? 0 : strlen(src);

	if (n >= size)
		n = size - 1;
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
note_model(struct ccpu_survey_class *c, const struct ccpu_survey_host *h)
{
	struct ccpu_survey_model	*m;
	const char			*vendor = h->vendor ? h->vendor : "";
	const char			*brand = h->brand ? h->brand : "";
	size_t				 i;

	for (i = 0; i < c->nmodels; i++) {
		m = &c->models[i];
		if (m->family == h->family && m->model == h->model &&
		    strncmp(m->vendor, vendor, sizeof(m->vendor) - 1) == 0 &&
		    strncmp(m->brand, brand, sizeof(m->brand) - 1) == 0) {
			m->hosts++;
			return;
		}
	}
	if (c->nmodels == CCPU_SURVEY_MODELS) {
		c->other_models++;
		return;
	}
	m = &c->models[c->nmodels++];
	copy_str(m->vendor, sizeof(m->vendor), vendor);
	copy_str(m->brand, sizeof(m->brand), brand);
	m->family = h->family;
	m->model = h->model;
	m->hosts = 1;
}

void
ccpu_survey_add_host(struct ccpu_survey *s, const struct ccpu_survey_host *h)
{
	struct ccpu_survey_class	*c;
	struct ccpu_featset		 used;
	const char			*name = h->name && h->name[0] ? h->name : "(unnamed)";
	int				 b;

	/* A bit is either used or unknown, never both. */
	ccpu_featset_minus(&used, &h->used, &h->unknown);
	c = class_for(s, &used, &h->unknown);
	c->hosts++;
	s->hosts++;
	note_model(c, h);
	if (c->nexamples < CCPU_SURVEY_EXAMPLES)
		copy_str(c->examples[c->nexamples++], sizeof(c->examples[0]), name);
	if (h->origin == CCPU_ORIGIN_NFD) {
		if (c->nfd_hosts == 0) {
			c->labels_all = h->labels;
			c->labels_any = h->labels;
		} else {
			ccpu_featset_and(&c->labels_all, &h->labels);
			ccpu_featset_or(&c->labels_any, &h->labels);
		}
		c->nfd_hosts++;
		s->nfd_hosts++;
		c->nodes = xreallocarray(c->nodes, c->nnodes + 1, sizeof(*c->nodes));
		c->nodes[c->nnodes++] = xstrdup(name);
	}
	for (b = ccpu_featset_next(&used, 0); b >= 0; b = ccpu_featset_next(&used, b + 1))
		s->feat_hosts[b]++;
	for (b = ccpu_featset_next(&h->unknown, 0); b >= 0;
	    b = ccpu_featset_next(&h->unknown, b + 1))
		s->feat_unknown[b]++;
}

int
ccpu_survey_add_profile(struct ccpu_survey *s, const struct ccpu_profile *p,
    struct ccpu_error *err)
{
	struct ccpu_survey_host		h;
	struct ccpu_jvm_features	f;
	struct ccpu_ident		id;

	if (p->ntypes == 0)
		return ccpu_error_set(err, CCPU_EINPUT, "no CPU data");
	if (ccpu_jvm_derive_host(s->layout, p, &f, err) == -1)
		return -1;
	ccpu_cpu_ident(&p->types[0], &id);
	memset(&h, 0, sizeof(h));
	h.name = p->hostname[0] ? p->hostname : p->source_file;
	h.vendor = id.vendor;
	h.brand = id.brand;
	h.family = id.family;
	h.model = id.model;
	h.origin = CCPU_ORIGIN_PROFILE;
	h.used = f.used;
	h.unknown = f.unknown;
	ccpu_survey_add_host(s, &h);
	return 0;
}

void
ccpu_survey_add_error(struct ccpu_survey *s, const char *file, unsigned long line,
    const char *msg)
{
	struct ccpu_survey_error	*e;

	s->nerrors++;
	if (s->nerrors_listed == CCPU_SURVEY_MAX_ERRORS)
		return;
	s->errors = xreallocarray(s->errors, s->nerrors_listed + 1, sizeof(*s->errors));
	e = &s->errors[s->nerrors_listed++];
	copy_str(e->file, sizeof(e->file), file);
	e->line = line;
	copy_str(e->msg, sizeof(e->msg), msg);
}

void
ccpu_survey_add_image(struct ccpu_survey *s, const char *name,
    const struct ccpu_featset *value)
{
	struct ccpu_survey_image	*im;

	s->images = xreallocarray(s->images, s->nimages + 1, sizeof(*s->images));
	im = &s->images[s->nimages++];
	memset(im, 0, sizeof(*im));
	copy_str(im->name, sizeof(im->name), name);
	im->value = *value;
}

void
ccpu_survey_set_split(struct ccpu_survey *s, unsigned int k)
{
	s->split_k = k;
}

/* Report order: most hosts first; ties by the used set, so output is stable. */
static int
class_cmp(const void *a, const void *b)
{
	const struct ccpu_survey_class	*x = *(const struct ccpu_survey_class *const *)a;
	const struct ccpu_survey_class	*y = *(const struct ccpu_survey_class *const *)b;
	int				 i;

	if (x->hosts != y->hosts)
		return x->hosts > y->hosts ? -1 : 1;
	for (i = CCPU_FEATSET_WORDS - 1; i >= 0; i--) {
		if (x->used.w[i] != y->used.w[i])
			return x->used.w[i] > y->used.w[i] ? -1 : 1;
		if (x->unknown.w[i] != y->unknown.w[i])
			return x->unknown.w[i] < y->unknown.w[i] ? -1 : 1;
	}
	return 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Hosts as a planner count, which is an unsigned int; saturates. */
static unsigned int
plan_count(unsigned long have, unsigned long add)
{
	unsigned long	sum = have + add;

	return sum < have || sum > UINT_MAX ? UINT_MAX : (unsigned int)sum;
}

/*
 * The planner's split with one target per CPU class, counting as many hosts
 * as the class holds, and as the build host the union of the classes' used
 * sets: a host that has every feature, so that each image's value is the
 * AND of its classes and any member can checkpoint it.  A class lacking a
 * bit the JVM requires restores no image and is left out.  Past the
 * planner's maximum the smallest classes (the tail of report order) are
 * folded into one target, their AND: that loses weight, never hosts.
 */
static void
split(struct ccpu_survey *s)
{
	const struct ccpu_featset	*mand = ccpu_layout_mandatory(s->layout);
	const size_t			 max = CCPU_PLAN_MAX_HOSTS - 1;
	struct ccpu_survey_split	*sp = &s->split;
	struct ccpu_survey_split_image	*im;
	struct ccpu_survey_class	*c;
	struct ccpu_plan_host		*h;
	struct ccpu_plan_classes	*pc;
	struct ccpu_featset		 all = CCPU_FEATSET_INIT;
	struct ccpu_error		 e;
	size_t				*target;	/* per CPU class; 0: none */
	size_t				 i, n = 1, eligible = 0, seen = 0;

	memset(sp, 0, sizeof(*sp));
	sp->k = s->split_k;
	for (i = 0; i < s->nclasses; i++)
		if (ccpu_featset_subset(mand, &s->classes[i]->used))
			eligible++;
	sp->excluded = s->nclasses - eligible;
	if (eligible == 0) {
		snprintf(sp->skipped, sizeof(sp->skipped), "no CPU class has "
		    "every feature the JVM requires in a value");
		return;
	}
	h = xcalloc(CCPU_PLAN_MAX_HOSTS, sizeof(*h));
	target = xcalloc(s->nclasses, sizeof(*target));
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		if (!ccpu_featset_subset(mand, &c->used))
			continue;
		ccpu_featset_or(&all, &c->used);
		if (n < max || eligible <= max) {
			ccpu_plan_host_from_value(&h[n], c->id, &c->used);
			h[n].count = plan_count(0, c->hosts);
			target[i] = n++;
			continue;
		}
		if (sp->merged++ == 0) {
			ccpu_plan_host_from_value(&h[n], "smallest classes", &c->used);
			n++;
		} else {
			ccpu_featset_and(&h[max].used, &c->used);
			h[max].raw = h[max].used;
		}
		h[max].count = plan_count(h[max].count, c->hosts);
		sp->merged_hosts += c->hosts;
		target[i] = max;
	}
	ccpu_plan_host_from_value(&h[0], "a host with every feature", &all);
	pc = xcalloc(1, sizeof(*pc));
	if (ccpu_plan_classes(s->layout, h, n, sp->k, pc, &e) == -1) {
		copy_str(sp->skipped, sizeof(sp->skipped), e.msg);
		goto out;
	}
	sp->exact = pc->exact && sp->merged == 0;
	sp->score = pc->score;
	sp->single_score = pc->single_score;
	sp->nimages = pc->nclasses;
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		if (target[i] == 0)
			continue;
		c->image_class = (int)pc->class_of[target[i]];
		im = &sp->images[c->image_class];
		if (im->nclasses++ == 0)
			im->value = c->used;
		else
			ccpu_featset_and(&im->value, &c->used);
		im->hosts += c->hosts;
		if (seen++ == 0)
			sp->single = c->used;
		else
			ccpu_featset_and(&sp->single, &c->used);
	}
	for (i = 0; i < sp->nimages; i++)
		ccpu_featset_minus(&sp->images[i].kept, &sp->images[i].value,
		    &sp->single);
out:
	free(pc);
	free(target);
	free(h);
}

void
ccpu_survey_finish(struct ccpu_survey *s)
{
	const struct ccpu_featset	*ign = ccpu_layout_ignored(s->layout);
	struct ccpu_survey_class	*c;
	struct ccpu_survey_image	*im;
	struct ccpu_featset		 others, miss;
	size_t				 i, j;

	if (s->finished)
		return;
	s->finished = true;
	if (s->nclasses > 1)
		qsort(s->classes, s->nclasses, sizeof(*s->classes), class_cmp);
	free(s->slots);		/* order changed: the hash is no longer valid */
	s->slots = NULL;
	s->nslots = 0;

	ccpu_featset_clear(&s->plan);
	ccpu_featset_clear(&s->all);
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		snprintf(c->id, sizeof(c->id), "c%zu", i + 1);
		c->image_class = -1;
		if (c->nnodes > 1)
			qsort(c->nodes, c->nnodes, sizeof(*c->nodes), str_cmp);
		if (i == 0)
			s->plan = c->used;
		else
			ccpu_featset_and(&s->plan, &c->used);
		ccpu_featset_or(&s->all, &c->used);
	}
	s->plan_valid = s->nclasses > 0 &&
	    ccpu_featset_subset(ccpu_layout_mandatory(s->layout), &s->plan);

	/* What each class costs: the plan without it, minus the plan with it. */
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		ccpu_featset_minus(&c->lost, &c->used, &s->plan);
		memset(&others, 0xff, sizeof(others));
		for (j = 0; j < s->nclasses; j++)
			if (j != i)
				ccpu_featset_and(&others, &s->classes[j]->used);
		if (s->nclasses > 1)
			ccpu_featset_minus(&c->gain, &others, &s->plan);
	}

	if (s->split_k >= 2 && s->nclasses >= 2) {
		split(s);
		s->split_done = true;
	}

	for (i = 0; i < s->nimages; i++) {
		im = &s->images[i];
		im->restore = xcalloc(s->nclasses ? s->nclasses : 1, sizeof(*im->restore));
		im->missing = xcalloc(s->nclasses ? s->nclasses : 1, sizeof(*im->missing));
		for (j = 0; j < s->nclasses; j++) {
			c = s->classes[j];
			ccpu_featset_minus(&miss, &im->value, &c->used);
			ccpu_featset_minus(&miss, &miss, ign);
			im->missing[j] = miss;
			if (ccpu_featset_empty(&miss)) {
				im->restore[j] = CCPU_RESTORE_YES;
				im->hosts_yes += c->hosts;
			} else if (ccpu_featset_subset(&miss, &c->unknown)) {
				im->restore[j] = CCPU_RESTORE_UNKNOWN;
				im->hosts_unknown += c->hosts;
			} else {
				im->restore[j] = CCPU_RESTORE_NO;
			}
		}
	}
}

const struct ccpu_layout *
ccpu_survey_layout(const struct ccpu_survey *s)
{
	return s->layout;
}

unsigned long
ccpu_survey_hosts(const struct ccpu_survey *s)
{
	return s->hosts;
}

unsigned long
ccpu_survey_nfd_hosts(const struct ccpu_survey *s)
{
	return s->nfd_hosts;
}

size_t
ccpu_survey_nclasses(const struct ccpu_survey *s)
{
	return s->nclasses;
}

const struct ccpu_survey_class *
ccpu_survey_class(const struct ccpu_survey *s, size_t i)
{
	return i < s->nclasses ? s->classes[i] : NULL;
}

size_t
ccpu_survey_nimages(const struct ccpu_survey *s)
{
	return s->nimages;
}

const struct ccpu_survey_image *
ccpu_survey_image(const struct ccpu_survey *s, size_t i)
{
	return i < s->nimages ? &s->images[i] : NULL;
}

unsigned long
ccpu_survey_nerrors(const struct ccpu_survey *s)
{
	return s->nerrors;
}

size_t
ccpu_survey_nerrors_listed(const struct ccpu_survey *s)
{
	return s->nerrors_listed;
}

const struct ccpu_survey_error *
ccpu_survey_error(const struct ccpu_survey *s, size_t i)
{
	return i < s->nerrors_listed ? &s->errors[i] : NULL;
}

unsigned long
ccpu_survey_feature_hosts(const struct ccpu_survey *s, unsigned int bit)
{
	return bit < CCPU_FEATSET_MAX ? s->feat_hosts[bit] : 0;
}

unsigned long
ccpu_survey_feature_unknown(const struct ccpu_survey *s, unsigned int bit)
{
	return bit < CCPU_FEATSET_MAX ? s->feat_unknown[bit] : 0;
}

const struct ccpu_featset *
ccpu_survey_union(const struct ccpu_survey *s)
{
	return &s->all;
}

const struct ccpu_survey_split *
ccpu_survey_split(const struct ccpu_survey *s)
{
	return s->split_done ? &s->split : NULL;
}

const struct ccpu_featset *
ccpu_survey_plan(const struct ccpu_survey *s, bool *valid)
{
	if (valid != NULL)
		*valid = s->plan_valid;
	return &s->plan;
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
	if (labels_select(s, value, restore, &req)) {
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
		json_array_append_new(exprs, json_pack("{s:s, s:s, s:o}",
		    "key", "kubernetes.io/hostname", "operator", "In",
		    "values", values));
	}
	free(own);
	term = json_pack("{s:[{s:o}]}", "nodeSelectorTerms", "matchExpressions", exprs);
	return json_pack("{s:{s:o}}", "nodeAffinity",
	    "requiredDuringSchedulingIgnoredDuringExecution", term);
}

/* Renderings -------------------------------------------------------------- */

static json_t *
names_json(const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	json_t		*a = json_array();
	char		 buf[64];
	int		 b;

	for (b = ccpu_featset_next(fs, 0); b >= 0; b = ccpu_featset_next(fs, b + 1))
		json_array_append_new(a, json_string(ccpu_layout_bit_label(l, (unsigned int)b, buf, sizeof(buf))));
	return a;
}

static void
names_text(struct strbuf *sb, const struct ccpu_layout *l,
    const struct ccpu_featset *fs)
{
	const char	*sep = "";
	char		 buf[64];
	int		 b;

	if (ccpu_featset_empty(fs)) {
		strbuf_adds(sb, "(none)");
		return;
	}
	for (b = ccpu_featset_next(fs, 0); b >= 0; b = ccpu_featset_next(fs, b + 1)) {
		strbuf_addf(sb, "%s%s", sep, ccpu_layout_bit_label(l, (unsigned int)b, buf, sizeof(buf)));
		sep = " ";
	}
}

static const char *
restore_name(enum ccpu_restore r)
{
	switch (r) {
	case CCPU_RESTORE_YES:		return "yes";
	case CCPU_RESTORE_NO:		return "no";
	case CCPU_RESTORE_UNKNOWN:	break;
	}
	return "unknown";
}

static void
model_text(struct strbuf *sb, const struct ccpu_survey_model *m)
{
	strbuf_addf(sb, "%s family %u model %u", m->vendor[0] ? m->vendor : "?",
	    m->family, m->model);
	if (m->brand[0])
		strbuf_addf(sb, " (%s)", m->brand);
}

/* The split as JSON: null when none was asked for (see survey.h). */
static json_t *
split_json(const struct ccpu_survey *s)
{
	const struct ccpu_survey_split	*sp = ccpu_survey_split(s);
	const struct ccpu_layout	*l = s->layout;
	json_t				*o, *a, *m, *x;
	char				 buf[CCPU_VALUE_MAX];
	size_t				 i;
	unsigned int			 j;

	if (sp == NULL)
		return json_null();
	o = json_pack("{s:i, s:b}", "k", (int)sp->k, "exact", sp->exact);
	json_object_set_new(o, "skipped", sp->skipped[0] ?
	    json_string(sp->skipped) : json_null());
	json_object_set_new(o, "gain",
	    json_integer((json_int_t)(sp->score - sp->single_score)));
	json_object_set_new(o, "score", json_integer((json_int_t)sp->score));
	json_object_set_new(o, "single_score",
	    json_integer((json_int_t)sp->single_score));
	ccpu_jvm_format_value(l, &sp->single, buf, sizeof(buf));
	json_object_set_new(o, "single_value", sp->skipped[0] ? json_null() :
	    json_string(buf));
	json_object_set_new(o, "merged_cpu_classes", json_integer((json_int_t)sp->merged));
	x = json_array();
	for (i = 0; i < s->nclasses; i++)
		if (!ccpu_featset_subset(ccpu_layout_mandatory(l),
		    &s->classes[i]->used))
			json_array_append_new(x, json_string(s->classes[i]->id));
	json_object_set_new(o, "excluded", x);
	a = json_array();
	for (j = 0; j < sp->nimages; j++) {
		ccpu_jvm_format_value(l, &sp->images[j].value, buf, sizeof(buf));
		x = json_pack("{s:s, s:I}", "value", buf,
		    "hosts", (json_int_t)sp->images[j].hosts);
		m = json_array();
		for (i = 0; i < s->nclasses; i++)
			if (s->classes[i]->image_class == (int)j)
				json_array_append_new(m, json_string(s->classes[i]->id));
		json_object_set_new(x, "cpu_classes", m);
		json_object_set_new(x, "kept_over_single",
		    names_json(l, &sp->images[j].kept));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "classes", a);
	return o;
}

/* The split as text; nothing when none was asked for. */
static void
split_text(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_survey_split	*sp = ccpu_survey_split(s);
	const struct ccpu_layout	*l = s->layout;
	char				 buf[CCPU_VALUE_MAX];
	const char			*sep;
	size_t				 i;
	unsigned int			 j;

	if (sp == NULL)
		return;
	if (sp->skipped[0]) {
		strbuf_addf(sb, "\nimage classes: none: %s\n", sp->skipped);
		return;
	}
	strbuf_addf(sb, "\nimage classes (at most %u): %u image%s, each with its "
	    "own value (%s)\n", sp->k, sp->nimages, sp->nimages == 1 ? "" : "s",
	    sp->exact ? "exact search" : "greedy merging");
	strbuf_adds(sb, "  checkpoint each on a host that has every feature of its "
	    "class, e.g. one of\n  its members; \"keeps\": what it has over one "
	    "image for the whole fleet\n");
	if (sp->merged > 0)
		strbuf_addf(sb, "  the %zu smallest CPU classes (%lu hosts) are "
		    "merged into one first: the\n  planner takes at most %u\n",
		    sp->merged, sp->merged_hosts, CCPU_PLAN_MAX_HOSTS - 1);
	if (sp->excluded > 0) {
		strbuf_adds(sb, "  left out, lacking a feature every value needs:");
		for (i = 0; i < s->nclasses; i++)
			if (s->classes[i]->image_class < 0)
				strbuf_addf(sb, " %s", s->classes[i]->id);
		ccpu_jvm_format_value(l, &sp->single, buf, sizeof(buf));
		strbuf_addf(sb, "\n  one image for the rest: -XX:CPUFeatures=%s\n", buf);
	}
	for (j = 0; j < sp->nimages; j++) {
		ccpu_jvm_format_value(l, &sp->images[j].value, buf, sizeof(buf));
		strbuf_addf(sb, "  image class %u: %lu host%s in", j + 1,
		    sp->images[j].hosts, sp->images[j].hosts == 1 ? "" : "s");
		sep = " ";
		for (i = 0; i < s->nclasses; i++)
			if (s->classes[i]->image_class == (int)j)
				strbuf_addf(sb, "%s%s", sep, s->classes[i]->id);
		strbuf_addf(sb, "\n    value:    -XX:CPUFeatures=%s\n    keeps:    ",
		    buf);
		names_text(sb, l, &sp->images[j].kept);
		strbuf_adds(sb, "\n");
	}
	strbuf_addf(sb, "  gain over one image: %" PRIu64 " (weight kept over all "
	    "hosts: %" PRIu64 " instead of %" PRIu64 ")\n",
	    sp->score - sp->single_score, sp->score, sp->single_score);
}

json_t *
ccpu_survey_to_json(const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = s->layout;
	const struct ccpu_survey_class	*c;
	const struct ccpu_survey_image	*im;
	const struct ccpu_survey_error	*e;
	json_t				*root, *a, *o, *m, *x, *aff;
	char				 buf[CCPU_VALUE_MAX];
	char				 nbuf[64];
	const char			*n;
	bool				 by_labels;
	size_t				 i, j;
	int				 b;

	root = json_object();
	json_object_set_new(root, "schema", json_string(CCPU_SURVEY_SCHEMA));
	json_object_set_new(root, "layout", json_string(ccpu_layout_name(l)));
	json_object_set_new(root, "hosts", json_integer(s->hosts));
	json_object_set_new(root, "nfd_hosts", json_integer(s->nfd_hosts));

	a = json_array();
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		ccpu_jvm_format_value(l, &c->used, buf, sizeof(buf));
		o = json_pack("{s:s, s:I, s:I, s:s}", "id", c->id,
		    "hosts", (json_int_t)c->hosts, "nfd_hosts", (json_int_t)c->nfd_hosts,
		    "value", buf);
		m = json_array();
		for (j = 0; j < c->nmodels; j++)
			json_array_append_new(m, json_pack("{s:s, s:I, s:I, s:s, s:I}",
			    "vendor", c->models[j].vendor,
			    "family", (json_int_t)c->models[j].family,
			    "model", (json_int_t)c->models[j].model,
			    "brand", c->models[j].brand,
			    "hosts", (json_int_t)c->models[j].hosts));
		json_object_set_new(o, "models", m);
		json_object_set_new(o, "other_model_hosts", json_integer(c->other_models));
		x = json_array();
		for (j = 0; j < c->nexamples; j++)
			json_array_append_new(x, json_string(c->examples[j]));
		json_object_set_new(o, "examples", x);
		json_object_set_new(o, "features", names_json(l, &c->used));
		json_object_set_new(o, "unknown", names_json(l, &c->unknown));
		json_object_set_new(o, "lost_to_plan", names_json(l, &c->lost));
		json_object_set_new(o, "plan_gain_without", names_json(l, &c->gain));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "classes", a);

	a = json_array();
	for (b = ccpu_featset_next(ccpu_layout_valid(l), 0); b >= 0;
	    b = ccpu_featset_next(ccpu_layout_valid(l), b + 1)) {
		if (s->feat_hosts[b] == 0 && s->feat_unknown[b] == 0)
			continue;
		n = ccpu_layout_bit_label(l, (unsigned int)b, nbuf, sizeof(nbuf));
		json_array_append_new(a, json_pack("{s:s, s:i, s:I, s:I}",
		    "name", n, "bit", b,
		    "hosts", (json_int_t)s->feat_hosts[b],
		    "unknown_hosts", (json_int_t)s->feat_unknown[b]));
	}
	json_object_set_new(root, "features", a);

	ccpu_jvm_format_value(l, &s->plan, buf, sizeof(buf));
	o = json_pack("{s:s, s:b}", "value", buf, "valid", s->plan_valid);
	json_object_set_new(o, "features", names_json(l, &s->plan));
	{
		struct ccpu_featset	lost;

		ccpu_featset_minus(&lost, &s->all, &s->plan);
		x = json_array();
		for (b = ccpu_featset_next(&lost, 0); b >= 0;
		    b = ccpu_featset_next(&lost, b + 1)) {
			m = json_array();
			for (i = 0; i < s->nclasses; i++)
				if (!ccpu_featset_has(&s->classes[i]->used, b))
					json_array_append_new(m,
					    json_string(s->classes[i]->id));
			n = ccpu_layout_bit_label(l, (unsigned int)b, nbuf, sizeof(nbuf));
			json_array_append_new(x, json_pack("{s:s, s:I, s:o}",
			    "name", n, "hosts_with", (json_int_t)s->feat_hosts[b],
			    "classes_without", m));
		}
		json_object_set_new(o, "lost", x);
	}
	if (s->nfd_hosts > 0 && (aff = ccpu_survey_affinity(s, (size_t)-1,
	    &by_labels)) != NULL) {
		json_object_set_new(o, "affinity", aff);
		json_object_set_new(o, "affinity_by", json_string(by_labels ?
		    "labels" : "hostname"));
	}
	json_object_set_new(root, "plan", o);
	json_object_set_new(root, "image_classes", split_json(s));

	a = json_array();
	for (i = 0; i < s->nimages; i++) {
		im = &s->images[i];
		ccpu_jvm_format_value(l, &im->value, buf, sizeof(buf));
		o = json_pack("{s:s, s:s, s:I, s:I}", "name", im->name, "value", buf,
		    "hosts_yes", (json_int_t)im->hosts_yes,
		    "hosts_unknown", (json_int_t)im->hosts_unknown);
		x = json_array();
		for (j = 0; j < s->nclasses; j++) {
			m = json_pack("{s:s, s:s}", "class", s->classes[j]->id,
			    "restore", restore_name(im->restore[j]));
			json_object_set_new(m, "missing", names_json(l, &im->missing[j]));
			json_array_append_new(x, m);
		}
		json_object_set_new(o, "classes", x);
		if ((aff = ccpu_survey_affinity(s, i, &by_labels)) != NULL) {
			json_object_set_new(o, "affinity", aff);
			json_object_set_new(o, "affinity_by", json_string(by_labels ?
			    "labels" : "hostname"));
		}
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "images", a);

	json_object_set_new(root, "unreadable", json_integer(s->nerrors));
	a = json_array();
	for (i = 0; i < s->nerrors_listed; i++) {
		e = &s->errors[i];
		json_array_append_new(a, json_pack("{s:s, s:I, s:s}", "file", e->file,
		    "line", (json_int_t)e->line, "message", e->msg));
	}
	json_object_set_new(root, "errors", a);
	return root;
}

char *
ccpu_survey_text(const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = s->layout;
	const struct ccpu_survey_class	*c;
	const struct ccpu_survey_image	*im;
	const struct ccpu_survey_error	*e;
	struct strbuf			 sb = STRBUF_INIT;
	struct ccpu_featset		 lost;
	char				 buf[CCPU_VALUE_MAX];
	char				 nbuf[64];
	const char			*n;
	size_t				 i, j;
	int				 b;

	strbuf_addf(&sb, "survey: %lu hosts in %zu CPU classes (layout %s)",
	    s->hosts, s->nclasses, ccpu_layout_name(l));
	if (s->nfd_hosts)
		strbuf_addf(&sb, ", %lu from NFD labels", s->nfd_hosts);
	if (s->nerrors)
		strbuf_addf(&sb, ", %lu unreadable", s->nerrors);
	strbuf_adds(&sb, "\n");

	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		ccpu_jvm_format_value(l, &c->used, buf, sizeof(buf));
		strbuf_addf(&sb, "\nclass %s: %lu host%s", c->id, c->hosts,
		    c->hosts == 1 ? "" : "s");
		if (c->nfd_hosts)
			strbuf_addf(&sb, " (%lu derived from NFD labels)", c->nfd_hosts);
		strbuf_addf(&sb, "\n  value:    %s\n", buf);
		for (j = 0; j < c->nmodels; j++) {
			strbuf_addf(&sb, "  %s  ", j == 0 ? "cpu:    " : "        ");
			model_text(&sb, &c->models[j]);
			strbuf_addf(&sb, ": %lu\n", c->models[j].hosts);
		}
		if (c->other_models)
			strbuf_addf(&sb, "            other models: %lu\n", c->other_models);
		strbuf_adds(&sb, "  hosts:    ");
		for (j = 0; j < c->nexamples; j++)
			strbuf_addf(&sb, "%s%s", j ? ", " : "", c->examples[j]);
		if (c->hosts > c->nexamples)
			strbuf_adds(&sb, ", ...");
		strbuf_adds(&sb, "\n  features: ");
		names_text(&sb, l, &c->used);
		strbuf_adds(&sb, "\n");
		if (!ccpu_featset_empty(&c->unknown)) {
			strbuf_adds(&sb, "  unknown:  ");
			names_text(&sb, l, &c->unknown);
			strbuf_adds(&sb, "\n");
		}
		if (s->nclasses > 1) {
			strbuf_adds(&sb, "  loses:    ");
			names_text(&sb, l, &c->lost);
			strbuf_adds(&sb, "\n  blocks:   ");
			names_text(&sb, l, &c->gain);
			strbuf_adds(&sb, "\n");
		}
	}

	strbuf_adds(&sb, "\nfeatures (hosts that have each):\n");
	for (b = ccpu_featset_next(ccpu_layout_valid(l), 0); b >= 0;
	    b = ccpu_featset_next(ccpu_layout_valid(l), b + 1)) {
		if (s->feat_hosts[b] == 0 && s->feat_unknown[b] == 0)
			continue;
		n = ccpu_layout_bit_label(l, (unsigned int)b, nbuf, sizeof(nbuf));
		strbuf_addf(&sb, "  %-24s %8lu", n, s->feat_hosts[b]);
		if (s->feat_unknown[b])
			strbuf_addf(&sb, "  (%lu unknown)", s->feat_unknown[b]);
		strbuf_adds(&sb, "\n");
	}

	ccpu_jvm_format_value(l, &s->plan, buf, sizeof(buf));
	strbuf_addf(&sb, "\nplan: -XX:CPUFeatures=%s%s\n", buf,
	    s->plan_valid ? "" : "  (not a usable value: use generic)");
	strbuf_adds(&sb, "  features: ");
	names_text(&sb, l, &s->plan);
	strbuf_adds(&sb, "\n");
	ccpu_featset_minus(&lost, &s->all, &s->plan);
	if (!ccpu_featset_empty(&lost)) {
		strbuf_adds(&sb, "  cost (features some hosts have that the plan gives up):\n");
		for (b = ccpu_featset_next(&lost, 0); b >= 0;
		    b = ccpu_featset_next(&lost, b + 1)) {
			n = ccpu_layout_bit_label(l, (unsigned int)b, nbuf, sizeof(nbuf));
			strbuf_addf(&sb, "    %-22s on %lu of %lu hosts; lacking in",
			    n, s->feat_hosts[b], s->hosts);
			for (i = 0; i < s->nclasses; i++)
				if (!ccpu_featset_has(&s->classes[i]->used, b))
					strbuf_addf(&sb, " %s", s->classes[i]->id);
			strbuf_adds(&sb, "\n");
		}
	}

	split_text(&sb, s);

	for (i = 0; i < s->nimages; i++) {
		im = &s->images[i];
		ccpu_jvm_format_value(l, &im->value, buf, sizeof(buf));
		strbuf_addf(&sb, "\nimage %s (%s): restores on %lu of %lu hosts",
		    im->name, buf, im->hosts_yes, s->hosts);
		if (im->hosts_unknown)
			strbuf_addf(&sb, ", %lu unknown", im->hosts_unknown);
		strbuf_adds(&sb, "\n");
		for (j = 0; j < s->nclasses; j++) {
			strbuf_addf(&sb, "  %-5s %-7s", s->classes[j]->id,
			    restore_name(im->restore[j]));
			if (im->restore[j] != CCPU_RESTORE_YES) {
				strbuf_adds(&sb, " missing ");
				names_text(&sb, l, &im->missing[j]);
			}
			strbuf_adds(&sb, "\n");
		}
	}

	if (s->nerrors) {
		strbuf_addf(&sb, "\nunreadable entries: %lu\n", s->nerrors);
		for (i = 0; i < s->nerrors_listed; i++) {
			e = &s->errors[i];
			if (e->line)
				strbuf_addf(&sb, "  %s:%lu: %s\n", e->file, e->line, e->msg);
			else
				strbuf_addf(&sb, "  %s: %s\n", e->file, e->msg);
		}
		if (s->nerrors > s->nerrors_listed)
			strbuf_addf(&sb, "  ... and %lu more\n",
			    s->nerrors - s->nerrors_listed);
	}
	return strbuf_detach(&sb);
}

/* RFC 4180: quote a field when it holds a comma, quote or newline. */
static void
csv_field(struct strbuf *sb, const char *f)
{
	const char	*p;

	if (strpbrk(f, ",\"\r\n") == NULL) {
		strbuf_adds(sb, f);
		return;
	}
	strbuf_adds(sb, "\"");
	for (p = f; *p; p++) {
		if (*p == '"')
			strbuf_adds(sb, "\"\"");
		else
			strbuf_add(sb, p, 1);
	}
	strbuf_adds(sb, "\"");
}

/*
 * One row per class, one column per feature any host uses or cannot tell
 * (1, 0, or ? for unknown), then one column per image (yes, no, unknown),
 * then the class's image class (1..K; empty without a split).  The plan is
 * the last row, with class "plan".
 */
char *
ccpu_survey_csv(const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = s->layout;
	const struct ccpu_survey_class	*c;
	struct strbuf			 sb = STRBUF_INIT, f = STRBUF_INIT;
	struct ccpu_featset		 cols = s->all;
	char				 buf[CCPU_VALUE_MAX];
	char				 nbuf[64];
	const char			*n;
	char				*t;
	size_t				 i, j;
	int				 b;

	for (i = 0; i < s->nclasses; i++)
		ccpu_featset_or(&cols, &s->classes[i]->unknown);
	strbuf_adds(&sb, "class,hosts,nfd_hosts,cpus,examples,value");
	for (b = ccpu_featset_next(&cols, 0); b >= 0; b = ccpu_featset_next(&cols, b + 1)) {
		n = ccpu_layout_bit_label(l, (unsigned int)b, nbuf, sizeof(nbuf));
		strbuf_adds(&sb, ",");
		csv_field(&sb, n);
	}
	for (i = 0; i < s->nimages; i++) {
		strbuf_adds(&sb, ",");
		t = NULL;
		strbuf_addf(&f, "image:%s", s->images[i].name);
		t = strbuf_detach(&f);
		csv_field(&sb, t);
		free(t);
	}
	strbuf_adds(&sb, ",image_class\n");
	for (i = 0; i <= s->nclasses; i++) {
		const struct ccpu_featset *used = i < s->nclasses ?
		    &s->classes[i]->used : &s->plan;

		c = i < s->nclasses ? s->classes[i] : NULL;
		ccpu_jvm_format_value(l, used, buf, sizeof(buf));
		if (c != NULL) {
			strbuf_addf(&sb, "%s,%lu,%lu,", c->id, c->hosts, c->nfd_hosts);
			for (j = 0; j < c->nmodels; j++) {
				if (j)
					strbuf_adds(&f, "; ");
				model_text(&f, &c->models[j]);
			}
			t = strbuf_detach(&f);
			csv_field(&sb, t);
			free(t);
			strbuf_adds(&sb, ",");
			for (j = 0; j < c->nexamples; j++)
				strbuf_addf(&f, "%s%s", j ? " " : "", c->examples[j]);
			t = strbuf_detach(&f);
			csv_field(&sb, t);
			free(t);
		} else {
			strbuf_addf(&sb, "plan,%lu,%lu,,", s->hosts, s->nfd_hosts);
		}
		strbuf_adds(&sb, ",");
		csv_field(&sb, buf);
		for (b = ccpu_featset_next(&cols, 0); b >= 0;
		    b = ccpu_featset_next(&cols, b + 1))
			strbuf_adds(&sb, ccpu_featset_has(used, b) ? ",1" :
			    c != NULL && ccpu_featset_has(&c->unknown, b) ? ",?" : ",0");
		for (j = 0; j < s->nimages; j++) {
			if (c != NULL) {
				strbuf_addf(&sb, ",%s", restore_name(s->images[j].restore[i]));
			} else {
				struct ccpu_featset	miss;

				ccpu_featset_minus(&miss, &s->images[j].value, &s->plan);
				ccpu_featset_minus(&miss, &miss, ccpu_layout_ignored(l));
				strbuf_adds(&sb, ccpu_featset_empty(&miss) ? ",yes" : ",no");
			}
		}
		if (c != NULL && c->image_class >= 0)
			strbuf_addf(&sb, ",%d", c->image_class + 1);
		else
			strbuf_adds(&sb, ",");
		strbuf_adds(&sb, "\n");
	}
	strbuf_release(&f);
	return strbuf_detach(&sb);
}
