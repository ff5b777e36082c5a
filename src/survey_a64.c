/*
 * The aarch64 part of a survey: a fleet is split by architecture first,
 * since a CRaC image restores on one architecture only.  aarch64 hosts are
 * folded into classes by their value in openjdk/crac's newest aarch64
 * numbering (a63), and planned per PAC kind: hosts with and without
 * pointer authentication each need their own image (the JVM refuses a
 * restore across them, and a value must hold exactly one of paca and
 * notpaca).  Their Kubernetes affinity is by kubernetes.io/arch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/survey.h"
#include "esc.h"
#include "strbuf.h"
#include "survey_impl.h"
#include "xmalloc.h"

const struct ccpu_a64_layout *
survey_a64_layout_default(void)
{
	return ccpu_a64_layout_lookup("a63", NULL);
}

static const struct ccpu_a64_layout *
layout_of(struct ccpu_survey *s)
{
	if (s->a64_layout == NULL)
		s->a64_layout = survey_a64_layout_default();
	return s->a64_layout;
}

void
survey_a64_add(struct ccpu_survey *s, const struct ccpu_survey_host *h)
{
	struct ccpu_survey_a64_class	*c = NULL;
	struct ccpu_featset		 v;
	const char			*name = h->name && h->name[0] ? h->name :
	    "(unnamed)";
	uint32_t			 midr;
	size_t				 i;

	if (h->a64 != NULL)
		ccpu_a64_derive(layout_of(s), h->a64, &v);
	else
		v = h->a64_value;	/* in layout_of(s): nfd.c reads it so */
	for (i = 0; i < s->na64; i++)
		if (ccpu_featset_equal(&s->a64[i]->value, &v)) {
			c = s->a64[i];
			break;
		}
	if (c == NULL) {
		if (s->na64 == s->aa64) {
			s->aa64 = s->aa64 ? s->aa64 * 2 : 8;
			s->a64 = xreallocarray(s->a64, s->aa64, sizeof(*s->a64));
			s->a64_by_serial = xreallocarray(s->a64_by_serial,
			    s->aa64, sizeof(*s->a64_by_serial));
		}
		c = xcalloc(1, sizeof(*c));
		c->value = v;
		c->serial = CCPU_SURVEY_A64_SERIAL + s->na64;
		s->a64_by_serial[s->na64] = c;
		s->a64[s->na64++] = c;
	}
	s->last_serial = c->serial;
	c->hosts++;
	s->a64_hosts++;
	if (h->origin == CCPU_ORIGIN_NFD) {
		c->nfd_hosts++;
		s->a64_nfd_hosts++;
		s->a64_labelled += h->a64_labels;
	}
	midr = h->a64 != NULL && h->a64->ncores > 0 ? h->a64->cores[0].midr : 0;
	for (i = 0; i < c->nmidr; i++)
		if (c->midr[i] == midr)
			break;
	if (i < c->nmidr)
		c->midr_hosts[i]++;
	else if (c->nmidr < CCPU_SURVEY_MODELS) {
		c->midr[c->nmidr] = midr;
		c->midr_hosts[c->nmidr++] = 1;
	} else
		c->other_models++;
	if (c->nexamples < CCPU_SURVEY_EXAMPLES)
		snprintf(c->examples[c->nexamples++], sizeof(c->examples[0]),
		    "%s", name);
}

static int
class_cmp(const void *a, const void *b)
{
	const struct ccpu_survey_a64_class	*x = *(const void *const *)a;
	const struct ccpu_survey_a64_class	*y = *(const void *const *)b;

	if (x->hosts != y->hosts)
		return x->hosts > y->hosts ? -1 : 1;
	return x->serial < y->serial ? -1 : x->serial > y->serial;
}

void
survey_a64_finish(struct ccpu_survey *s)
{
	struct ccpu_survey_a64_class	*c;
	int				 paca;
	size_t				 i;
	bool				 pac;

	if (s->na64 == 0)
		return;
	qsort(s->a64, s->na64, sizeof(*s->a64), class_cmp);
	paca = ccpu_a64_layout_paca(layout_of(s));
	for (i = 0; i < s->na64; i++) {
		c = s->a64[i];
		snprintf(c->id, sizeof(c->id), "a%zu", i + 1);
		pac = ccpu_featset_has(&c->value, (unsigned int)paca);
		if (s->a64_plan_hosts[pac] == 0)
			s->a64_plan[pac] = c->value;
		else
			ccpu_featset_and(&s->a64_plan[pac], &c->value);
		s->a64_plan_hosts[pac] += c->hosts;
	}
}

void
survey_a64_free(struct ccpu_survey *s)
{
	size_t	i;

	for (i = 0; i < s->na64; i++)
		free(s->a64[i]);
	free(s->a64);
	free(s->a64_by_serial);
}

const struct ccpu_a64_layout *
ccpu_survey_a64_layout(const struct ccpu_survey *s)
{
	return s->a64_layout != NULL ? s->a64_layout :
	    ccpu_a64_layout_lookup("a63", NULL);
}

unsigned long
ccpu_survey_a64_hosts(const struct ccpu_survey *s)
{
	return s->a64_hosts;
}

size_t
ccpu_survey_a64_nclasses(const struct ccpu_survey *s)
{
	return s->na64;
}

const struct ccpu_survey_a64_class *
ccpu_survey_a64_class(const struct ccpu_survey *s, size_t i)
{
	return i < s->na64 ? s->a64[i] : NULL;
}

const struct ccpu_survey_a64_class *
ccpu_survey_a64_class_by_serial(const struct ccpu_survey *s, size_t serial)
{
	if (serial < CCPU_SURVEY_A64_SERIAL ||
	    serial - CCPU_SURVEY_A64_SERIAL >= s->na64)
		return NULL;
	return s->a64_by_serial[serial - CCPU_SURVEY_A64_SERIAL];
}

const struct ccpu_featset *
ccpu_survey_a64_plan(const struct ccpu_survey *s, bool pac,
    unsigned long *hosts)
{
	if (hosts != NULL)
		*hosts = s->a64_plan_hosts[pac];
	return s->a64_plan_hosts[pac] > 0 ? &s->a64_plan[pac] : NULL;
}

/* ---- renderings ---- */

/*
 * Not every host can make the image of a PAC kind's plan: the JVM refuses
 * a value without lse where the CPU has it, and a Cortex-A53 records
 * a53mac whatever the value (ccpu_a64_checkpoint_check).  True when some
 * class of the kind cannot, with which[i] set for the classes that can
 * (perhaps none) and why saying why the first other cannot; false when
 * every class can.
 */
static bool
checkpoint_bound(const struct ccpu_survey *s, bool pac, bool *which,
    char *why, size_t size)
{
	const struct ccpu_a64_layout	*l = ccpu_survey_a64_layout(s);
	struct ccpu_featset		 kept, x;
	struct strbuf			 sb = STRBUF_INIT;
	int				 paca = ccpu_a64_layout_paca(l);
	char				 one[512], names[256];
	size_t				 i;

	ccpu_a64_layout_kept(l, &kept);
	for (i = 0; i < s->na64; i++) {
		which[i] = false;
		if (ccpu_featset_has(&s->a64[i]->value, (unsigned int)paca) != pac)
			continue;
		if (ccpu_a64_checkpoint_check(l, &s->a64[i]->value,
		    &s->a64_plan[pac], one, sizeof(one)) == 0) {
			which[i] = true;
			continue;
		}
		x = s->a64[i]->value;
		ccpu_featset_and(&x, &kept);
		ccpu_featset_minus(&x, &x, &s->a64_plan[pac]);
		ccpu_a64_format_names(l, &x, ", ", names, sizeof(names));
		strbuf_addf(&sb, "%s%s has %s", sb.len > 0 ? ", " : "",
		    s->a64[i]->id, names);
	}
	snprintf(why, size, "%s, which the value drops: the JVM refuses a "
	    "value without lse where the CPU has it, and a Cortex-A53 records "
	    "a53mac whatever the value", sb.len > 0 ? sb.buf : "");
	i = sb.len;
	strbuf_release(&sb);
	return i > 0;
}

/*
 * The advice of checkpoint_bound as lines after prefix ("  " or "# "):
 * the classes to checkpoint on, or that none can, and why.
 */
static void
checkpoint_advice(const struct ccpu_survey *s, const bool *which,
    const char *why, const char *prefix, struct strbuf *sb)
{
	size_t	i, n = 0;

	for (i = 0; i < s->na64; i++)
		if (which[i] && n++ == 0)
			strbuf_addf(sb, "%scheckpoint on a host of %s", prefix,
			    s->a64[i]->id);
		else if (which[i])
			strbuf_addf(sb, " %s", s->a64[i]->id);
	if (n == 0)
		strbuf_addf(sb, "%sno surveyed host of this kind can make this "
		    "image: split them (plan --classes)", prefix);
	strbuf_addf(sb, "\n%s(not every host can: %s)\n", prefix, why);
}

/* What an aarch64 image needs of a node: arm64 (a new reference). */
static json_t *
affinity(void)
{
	return json_pack("{s:{s:{s:[{s:[{s:s, s:s, s:[s]}]}]}}}", "nodeAffinity",
	    "requiredDuringSchedulingIgnoredDuringExecution",
	    "nodeSelectorTerms", "matchExpressions", "key", "kubernetes.io/arch",
	    "operator", "In", "values", "arm64");
}

/*
 * Whether a plan's affinity can select by crac-cpu's feature labels:
 * every aarch64 host was read from a node carrying them (features
 * --format nfd in the survey's layout), so the labels tell every feature,
 * PAC kind included, of every node like them.
 */
static bool
by_labels(const struct ccpu_survey *s)
{
	return s->a64_hosts > 0 && s->a64_labelled == s->a64_hosts;
}

/*
 * The affinity of an image of value v: arm64 and, by_labels, every feature
 * of v as crac-cpu labels it (feature.node.kubernetes.io/crac-cpu.a63.F
 * In [true]), which selects exactly the labelled nodes whose JVM has all
 * of v: those the image restores on (a new reference).
 */
static json_t *
plan_affinity(const struct ccpu_survey *s, const struct ccpu_featset *v)
{
	const struct ccpu_a64_layout	*l = ccpu_survey_a64_layout(s);
	json_t				*doc = affinity(), *m;
	char				 key[128];
	int				 b;

	if (!by_labels(s))
		return doc;
	m = json_object_get(json_array_get(json_object_get(json_object_get(
	    json_object_get(doc, "nodeAffinity"),
	    "requiredDuringSchedulingIgnoredDuringExecution"),
	    "nodeSelectorTerms"), 0), "matchExpressions");
	for (b = ccpu_featset_next(v, 0); b >= 0;
	    b = ccpu_featset_next(v, (unsigned int)b + 1)) {
		snprintf(key, sizeof(key), "feature.node.kubernetes.io/crac-cpu."
		    "%s.%s", ccpu_a64_layout_name(l), ccpu_a64_layout_bit_name(l,
		    (unsigned int)b));
		json_array_append_new(m, json_pack("{s:s, s:s, s:[s]}", "key",
		    key, "operator", "In", "values", "true"));
	}
	return doc;
}

void
survey_a64_text(const struct ccpu_survey *s, struct strbuf *sb)
{
	const struct ccpu_a64_layout		*l = ccpu_survey_a64_layout(s);
	const struct ccpu_survey_a64_class	*c;
	const struct ccpu_featset		*plan;
	const char				*where;
	char					 v[32], names[1024], name[128];
	unsigned long				 n;
	size_t					 i, j;
	int					 pac;
	bool					*which;
	char					 why[640];

	if (s->a64_hosts == 0)
		return;
	strbuf_addf(sb, "\naarch64: %lu host%s in %zu CPU class%s (layout %s: "
	    "%s)", s->a64_hosts, s->a64_hosts == 1 ? "" : "s", s->na64,
	    s->na64 == 1 ? "" : "es", ccpu_a64_layout_name(l),
	    ccpu_a64_layout_summary(l));
	if (s->a64_nfd_hosts > 0)
		strbuf_addf(sb, ", %lu from crac-cpu's NFD labels",
		    s->a64_nfd_hosts);
	strbuf_adds(sb, "\n");
	for (i = 0; i < s->na64; i++) {
		c = s->a64[i];
		ccpu_a64_format_value(&c->value, v, sizeof(v));
		strbuf_addf(sb, "\nclass %s: %lu host%s\n  value:    %s\n", c->id,
		    c->hosts, c->hosts == 1 ? "" : "s", v);
		for (j = 0; j < c->nmidr; j++) {
			(void)ccpu_a64_midr_name(c->midr[j], name, sizeof(name),
			    &where);
			strbuf_addf(sb, "  %s  ", j == 0 ? "cpu:    " : "        ");
			esc_adds(sb, name);
			if (where[0] != '\0')
				strbuf_addf(sb, " (%s)", where);
			strbuf_addf(sb, ": %lu\n", c->midr_hosts[j]);
		}
		if (c->other_models)
			strbuf_addf(sb, "            other models: %lu\n",
			    c->other_models);
		strbuf_adds(sb, "  hosts:    ");
		for (j = 0; j < c->nexamples; j++) {
			strbuf_adds(sb, j ? ", " : "");
			esc_adds(sb, c->examples[j]);
		}
		if (c->hosts > c->nexamples)
			strbuf_adds(sb, ", ...");
		ccpu_a64_format_names(l, &c->value, " ", names, sizeof(names));
		strbuf_addf(sb, "\n  features: %s\n", names);
	}
	for (pac = 0; pac <= 1; pac++) {
		if ((plan = ccpu_survey_a64_plan(s, pac, &n)) == NULL)
			continue;
		ccpu_a64_format_value(plan, v, sizeof(v));
		ccpu_a64_format_names(l, plan, " ", names, sizeof(names));
		strbuf_addf(sb, "\naarch64 plan, hosts %s PAC: "
		    "-XX:CPUFeatures=%s (%lu host%s)\n  features: %s\n",
		    pac ? "with" : "without", v, n, n == 1 ? "" : "s", names);
		which = xcalloc(s->na64, sizeof(*which));
		if (checkpoint_bound(s, pac, which, why, sizeof(why)))
			checkpoint_advice(s, which, why, "  ", sb);
		free(which);
	}
	if (s->a64_plan_hosts[0] > 0 && s->a64_plan_hosts[1] > 0)
		strbuf_adds(sb, "  hosts with and without PAC need one image "
		    "each (\"these CPUs each require a separate image\")\n");
	strbuf_adds(sb, "  affinity: kubernetes.io/arch In [arm64]");
	if (s->hosts > 0)
		strbuf_adds(sb, "; the x86-64 images: kubernetes.io/arch In "
		    "[amd64]");
	strbuf_adds(sb, "\n");
}

json_t *
survey_a64_json(const struct ccpu_survey *s)
{
	const struct ccpu_a64_layout		*l = ccpu_survey_a64_layout(s);
	const struct ccpu_survey_a64_class	*c;
	const struct ccpu_featset		*plan;
	const char				*where;
	json_t					*root, *a, *o, *m, *p;
	char					 name[128], hex[16];
	unsigned long				 n;
	size_t					 i, j;
	int					 pac;
	bool					*which;
	char					 why[640];

	root = json_object();
	json_object_set_new(root, "layout", json_string(ccpu_a64_layout_name(l)));
	json_object_set_new(root, "host_count", json_integer((json_int_t)s->a64_hosts));
	json_object_set_new(root, "nfd_host_count",
	    json_integer((json_int_t)s->a64_nfd_hosts));
	a = json_array();
	for (i = 0; i < s->na64; i++) {
		c = s->a64[i];
		o = json_object();
		json_object_set_new(o, "id", json_string(c->id));
		json_object_set_new(o, "host_count", json_integer((json_int_t)c->hosts));
		json_object_set_new(o, "nfd_host_count",
		    json_integer((json_int_t)c->nfd_hosts));
		json_object_set_new(o, "value", ccpu_a64_value_json(l, &c->value));
		m = json_array();
		for (j = 0; j < c->nmidr; j++) {
			(void)ccpu_a64_midr_name(c->midr[j], name, sizeof(name),
			    &where);
			snprintf(hex, sizeof(hex), "0x%08x",
			    (unsigned int)c->midr[j]);
			json_array_append_new(m, json_pack("{s:s, s:s, s:I}",
			    "midr", hex, "name", name, "host_count",
			    (json_int_t)c->midr_hosts[j]));
		}
		json_object_set_new(o, "cpus", m);
		m = json_array();
		for (j = 0; j < c->nexamples; j++)
			json_array_append_new(m, json_string(c->examples[j]));
		json_object_set_new(o, "examples", m);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "classes", a);
	a = json_array();
	for (pac = 0; pac <= 1; pac++) {
		if ((plan = ccpu_survey_a64_plan(s, pac, &n)) == NULL)
			continue;
		p = json_object();
		json_object_set_new(p, "pac", json_boolean(pac));
		json_object_set_new(p, "host_count", json_integer((json_int_t)n));
		json_object_set_new(p, "value", ccpu_a64_value_json(l, plan));
		which = xcalloc(s->na64, sizeof(*which));
		m = json_null();
		if (checkpoint_bound(s, pac, which, why, sizeof(why))) {
			m = json_array();
			for (i = 0; i < s->na64; i++)
				if (which[i])
					json_array_append_new(m,
					    json_string(s->a64[i]->id));
		}
		free(which);
		json_object_set_new(p, "checkpoint_on", m);
		json_object_set_new(p, "checkpoint_why", why[0] != '\0' ?
		    json_string(why) : json_null());
		json_object_set_new(p, "affinity", plan_affinity(s, plan));
		json_object_set_new(p, "affinity_by", json_string(by_labels(s) ?
		    "labels" : "arch"));
		json_array_append_new(a, p);
	}
	json_object_set_new(root, "plans", a);
	json_object_set_new(root, "affinity", affinity());
	return root;
}

/* The hosts of one PAC kind read from node labels. */
static unsigned long
nfd_of_kind(const struct ccpu_survey *s, bool pac)
{
	int		paca = ccpu_a64_layout_paca(ccpu_survey_a64_layout(s));
	unsigned long	n = 0;
	size_t		i;

	for (i = 0; i < s->na64; i++)
		if (ccpu_featset_has(&s->a64[i]->value, (unsigned int)paca) ==
		    pac)
			n += s->a64[i]->nfd_hosts;
	return n;
}

/*
 * The csv rows: one per class, then one per PAC kind's plan ("plan-pac",
 * "plan-nopac"), in the x86-64 report's columns (empty here) and the
 * aarch64 ones; no x86-64 image restores on an aarch64 host.
 */
void
survey_a64_csv(const struct ccpu_survey *s, struct strbuf *sb,
    const struct ccpu_featset *cols, const struct ccpu_featset *a64cols)
{
	const struct ccpu_survey_a64_class	*c;
	const struct ccpu_featset		*v;
	struct strbuf				 f = STRBUF_INIT;
	const char				*where;
	char					 buf[32], name[128], *t;
	unsigned long				 n;
	size_t					 i, j;
	int					 b;

	for (i = 0; i < s->na64 + 2; i++) {
		if (i < s->na64) {
			c = s->a64[i];
			v = &c->value;
			strbuf_addf(sb, "%s,,,,%lu,%lu,", c->id, c->hosts,
			    c->nfd_hosts);
			for (j = 0; j < c->nmidr; j++) {
				(void)ccpu_a64_midr_name(c->midr[j], name,
				    sizeof(name), &where);
				strbuf_addf(&f, "%s%s", j ? "; " : "", name);
				if (where[0] != '\0')
					strbuf_addf(&f, " (%s)", where);
			}
			t = strbuf_detach(&f);
			esc_csv(sb, t);
			free(t);
			strbuf_adds(sb, ",");
			for (j = 0; j < c->nexamples; j++)
				strbuf_addf(&f, "%s%s", j ? " " : "",
				    c->examples[j]);
			t = strbuf_detach(&f);
			esc_csv(sb, t);
			free(t);
		} else {
			if ((v = ccpu_survey_a64_plan(s, i - s->na64 == 1,
			    &n)) == NULL)
				continue;
			strbuf_addf(sb, "plan-%s,,,,%lu,%lu,,", i - s->na64 == 1 ?
			    "pac" : "nopac", n, nfd_of_kind(s, i - s->na64 == 1));
		}
		ccpu_a64_format_value(v, buf, sizeof(buf));
		strbuf_addf(sb, ",%s", buf);
		for (b = ccpu_featset_next(cols, 0); b >= 0;
		    b = ccpu_featset_next(cols, b + 1))
			strbuf_adds(sb, ",");
		for (b = ccpu_featset_next(a64cols, 0); b >= 0;
		    b = ccpu_featset_next(a64cols, b + 1))
			strbuf_adds(sb, ccpu_featset_has(v, (unsigned int)b) ?
			    ",1" : ",0");
		for (j = 0; j < s->nimages; j++)
			strbuf_adds(sb, ",other-arch");
		strbuf_adds(sb, ",,aarch64\n");
	}
	strbuf_release(&f);
}

/*
 * One document per PAC kind's plan, with the survey's aarch64 affinity
 * (kubernetes.io/arch In [arm64]).  The comment counts the surveyed hosts
 * the value restores on (from node labels or not: the selector is the arch);
 * when the fleet has both PAC kinds it says the selector cannot tell them
 * apart, and when the plan drops lse which classes to checkpoint on.
 */
void
survey_a64_yaml(const struct ccpu_survey *s, struct strbuf *sb)
{
	const struct ccpu_featset	*plan;
	json_t				*doc;
	char				 v[32];
	unsigned long			 n;
	int				 pac;
	bool				*which;
	char				 why[640];

	for (pac = 0; pac <= 1; pac++) {
		if ((plan = ccpu_survey_a64_plan(s, pac, &n)) == NULL)
			continue;
		ccpu_a64_format_value(plan, v, sizeof(v));
		strbuf_addf(sb, "---\n# crac-cpu survey (aarch64 layout %s): the "
		    "pod's affinity to restore an image checkpointed with the "
		    "aarch64 value for hosts %s PAC\n# -XX:CPUFeatures=%s: "
		    "restores on the %lu surveyed aarch64 host%s %s PAC; selects "
		    "arm64 nodes%s\n", ccpu_a64_layout_name(
		    ccpu_survey_a64_layout(s)), pac ? "with" : "without", v, n,
		    n == 1 ? "" : "s", pac ? "with" : "without", by_labels(s) ?
		    " whose crac-cpu labels (features --format nfd) hold every "
		    "feature of the value, its PAC kind among them" : "");
		if (s->a64_plan_hosts[!pac] > 0 && by_labels(s))
			strbuf_addf(sb, "# not the %lu aarch64 host%s %s PAC: "
			    "the JVM refuses the image there, and their labels "
			    "say so\n", s->a64_plan_hosts[!pac],
			    s->a64_plan_hosts[!pac] == 1 ? "" : "s",
			    pac ? "without" : "with");
		else if (s->a64_plan_hosts[!pac] > 0)
			strbuf_addf(sb, "# not the %lu aarch64 host%s %s PAC: "
			    "the JVM refuses the image there, and this selector "
			    "does not tell them apart\n", s->a64_plan_hosts[!pac],
			    s->a64_plan_hosts[!pac] == 1 ? "" : "s",
			    pac ? "without" : "with");
		which = xcalloc(s->na64, sizeof(*which));
		if (checkpoint_bound(s, pac, which, why, sizeof(why)))
			checkpoint_advice(s, which, why, "# ", sb);
		free(which);
		if (!by_labels(s) && s->a64_hosts > s->a64_labelled)
			strbuf_addf(sb, "# by arch alone: no crac-cpu.%s labels "
			    "(features --format nfd) to select on for %lu of the "
			    "%lu aarch64 hosts\n", ccpu_a64_layout_name(
			    ccpu_survey_a64_layout(s)), s->a64_hosts -
			    s->a64_labelled, s->a64_hosts);
		doc = json_pack("{s:o}", "affinity", plan_affinity(s, plan));
		survey_yaml_emit(sb, doc, 0, false);
		json_decref(doc);
	}
}
