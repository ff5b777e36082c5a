/*
 * Fleet survey: hosts are folded into CPU classes as they arrive (an open
 * addressing hash on the used and unknown sets), so memory follows the
 * number of classes, never the number of hosts.  ccpu_survey_finish turns
 * the classes into the report: the plan (intersection), what it costs each
 * class, the planner's split into image classes, and the image restore
 * matrix.  The renderings are in report_survey.c (text, CSV, JSON) and
 * report_html.c; the NFD node affinity is in nfd.c.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/survey.h"
#include "survey_impl.h"
#include "strbuf.h"
#include "xmalloc.h"


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
	survey_a64_free(s);
	free(s->images);
	free(s->classes);
	free(s->by_serial);
	free(s->slots);
	free(s->errors);
	for (i = 0; i < CCPU_SURVEY_INPUTS; i++)
		free(s->inputs[i]);
	free(s);
}

void
ccpu_survey_set_inputs(struct ccpu_survey *s, const char *const *paths,
    size_t n, int64_t generated)
{
	size_t	i;

	for (i = 0; i < CCPU_SURVEY_INPUTS; i++) {
		free(s->inputs[i]);
		s->inputs[i] = i < n ? xstrdup(paths[i]) : NULL;
	}
	s->ninputs = n;
	s->generated = generated;
	s->has_inputs = true;
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
		s->by_serial = xreallocarray(s->by_serial, s->aclasses,
		    sizeof(*s->by_serial));
	}
	c = xcalloc(1, sizeof(*c));
	c->used = *used;
	c->unknown = *unknown;
	c->serial = s->nclasses;
	s->by_serial[s->nclasses] = c;
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
	if (h->uarch != NULL)
		m->uarch = *h->uarch;
	else
		ccpu_uarch_name(vendor, h->family, h->model, -1, NULL, &m->uarch);
	m->hosts = 1;
}

void
ccpu_survey_add_host(struct ccpu_survey *s, const struct ccpu_survey_host *h)
{
	struct ccpu_survey_class	*c;
	struct ccpu_featset		 used;
	const char			*name = h->name && h->name[0] ? h->name : "(unnamed)";
	int				 b;

	if (h->a64 != NULL || h->a64_by_value) {
		survey_a64_add(s, h);
		return;
	}
	/* A bit is either used or unknown, never both. */
	ccpu_featset_minus(&used, &h->used, &h->unknown);
	c = class_for(s, &used, &h->unknown);
	s->last_serial = c->serial;
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
		if (h->crac_labels) {
			c->crac_hosts++;
			s->crac_hosts++;
		}
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
ccpu_survey_host_from_profile(const struct ccpu_layout *l,
    const struct ccpu_profile *p, struct ccpu_survey_host_buf *b,
    struct ccpu_error *err)
{
	struct ccpu_jvm_features	f;
	struct ccpu_ident		id;

	if (ccpu_profile_is_a64(p)) {
		memset(b, 0, sizeof(*b));
		copy_str(b->name, sizeof(b->name), p->hostname[0] ? p->hostname :
		    p->source_file);
		b->is_a64 = true;
		b->a64 = p->a64;
		b->h.origin = CCPU_ORIGIN_PROFILE;
		ccpu_survey_host_buf_fix(b);
		return 0;
	}
	if (p->ntypes == 0)
		return ccpu_error_set(err, CCPU_EINPUT, "no CPU data");
	if (ccpu_jvm_derive_host(l, p, &f, err) == -1)
		return -1;
	ccpu_cpu_ident(&p->types[0], &id);
	memset(b, 0, sizeof(*b));
	copy_str(b->name, sizeof(b->name), p->hostname[0] ? p->hostname :
	    p->source_file);
	copy_str(b->vendor, sizeof(b->vendor), id.vendor);
	copy_str(b->brand, sizeof(b->brand), id.brand);
	b->h.family = id.family;
	b->h.model = id.model;
	ccpu_uarch_name(id.vendor, id.family, id.model, (int)id.stepping,
	    p->codename, &b->uarch);
	b->h.origin = CCPU_ORIGIN_PROFILE;
	b->h.used = f.used;
	b->h.unknown = f.unknown;
	ccpu_survey_host_buf_fix(b);
	return 0;
}

void
ccpu_survey_host_buf_fix(struct ccpu_survey_host_buf *b)
{
	b->h.name = b->name;
	b->h.vendor = b->vendor;
	b->h.brand = b->brand;
	b->h.uarch = &b->uarch;
	b->h.a64 = b->is_a64 ? &b->a64 : NULL;
}

int
ccpu_survey_add_profile(struct ccpu_survey *s, const struct ccpu_profile *p,
    struct ccpu_error *err)
{
	struct ccpu_survey_host_buf	b;

	if (ccpu_survey_host_from_profile(s->layout, p, &b, err) == -1)
		return -1;
	ccpu_survey_add_host(s, &b.h);
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

/*
 * A class's id from its content, not its rank: 32-bit FNV-1a of the layout
 * name and the used and unknown sets as JVM values, each ended by a NUL.
 * The same class gets the same id whatever else the fleet holds, in any
 * survey of the same layout; 32 bits make a clash within a fleet of a few
 * hundred classes a one-in-ten-thousand chance.
 */
void
ccpu_survey_stable_id(const struct ccpu_layout *l, const struct ccpu_featset *used,
    const struct ccpu_featset *unknown, char *buf, size_t size)
{
	const struct ccpu_featset	*sets[2] = { used, unknown };
	char				 v[CCPU_VALUE_MAX];
	const char			*p;
	uint32_t			 h = 0x811c9dc5u;
	size_t				 i, n;

	for (i = 0; i < 3; i++) {
		if (i == 0)
			p = ccpu_layout_name(l);
		else {
			ccpu_jvm_format_value(l, sets[i - 1], v, sizeof(v));
			p = v;
		}
		for (n = strlen(p) + 1; n > 0; n--, p++)
			h = (h ^ (unsigned char)*p) * 0x01000193u;
	}
	snprintf(buf, size, "%08" PRIx32, h);
}

static void
stable_id(const struct ccpu_layout *l, struct ccpu_survey_class *c)
{
	ccpu_survey_stable_id(l, &c->used, &c->unknown, c->stable_id,
	    sizeof(c->stable_id));
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
	size_t				 i, j, k;

	if (s->finished)
		return;
	s->finished = true;
	survey_a64_finish(s);
	if (s->nclasses > 1)
		qsort(s->classes, s->nclasses, sizeof(*s->classes), class_cmp);
	free(s->slots);		/* order changed: the hash is no longer valid */
	s->slots = NULL;
	s->nslots = 0;

	ccpu_featset_clear(&s->plan);
	ccpu_featset_clear(&s->all);
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		c->index = i;
		snprintf(c->id, sizeof(c->id), "c%zu", i + 1);
		stable_id(s->layout, c);
		for (k = 0, j = 1; j < c->nmodels; j++)
			if (c->models[j].hosts > c->models[k].hosts)
				k = j;
		if (c->nmodels > 0)
			c->uarch = c->models[k].uarch;
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

size_t
ccpu_survey_last_serial(const struct ccpu_survey *s)
{
	return s->last_serial;
}

const struct ccpu_survey_class *
ccpu_survey_class_by_serial(const struct ccpu_survey *s, size_t serial)
{
	return serial < s->nclasses ? s->by_serial[serial] : NULL;
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
