/*
 * crac-cpu plan: one -XX:CPUFeatures value for a checkpoint on BUILD that
 * restores on every TARGET, who costs what, the glibc tunables it implies,
 * and optionally a split of the targets into image classes.  Also the
 * fleet loader that `flags` shares (cmd.h).
 */
#include <sys/stat.h>

#include <stdbool.h>
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/glibc.h"
#include "ccpu/jvm.h"
#include "ccpu/level.h"
#include "ccpu/plan.h"
#include "ccpu/profile.h"
#include "cmd.h"
#include "esc.h"
#include "cmd_jvm.h"
#include "strbuf.h"
#include "xmalloc.h"

/*
 * A host name as text shows it: escaped (a file or node name may hold a
 * newline or a terminal escape), in a buffer of the statement's own.
 */
#define SHOWN(name)	esc_str((char [4 * 256 + 4]){ 0 }, 4 * 256 + 4, (name))

static int	plan_main(int, char *[]);

const struct cmd cmd_plan = {
	"plan",
	"[--jdk L | --java-home DIR] [--format text|json] [--classes K]\n"
	"       BUILD [TARGET ...]",
	"Compute the -XX:CPUFeatures value for a checkpoint made on BUILD that\n"
	"restores on every TARGET, say which host removes which features and\n"
	"what that costs, and show the GLIBC_TUNABLES the JVM derives from it.",
	"arguments (BUILD is one host; a TARGET may also be a directory):\n"
	"  FILE               a host profile (crac-cpu probe), a libcpuid raw dump\n"
	"                     or a `cpuid -r` dump; - is standard input\n"
	"  DIR                every regular file in DIR, in name order (not\n"
	"                     recursive; dot files skipped)\n"
	"  0xN,0xN            a host known by its value (-XX:+ShowCPUFeatures on\n"
	"                     it); a pasted \"...-XX:CPUFeatures=0xN,0xN\" line works\n"
	"options:\n"
	"  --jdk L            the JVM layout or JDK (names below)\n"
	"  --java-home DIR    the JDK in DIR (its release file's JAVA_VERSION)\n"
	"  --format FORMAT    text (default) or json\n"
	"  --classes K        also split the targets into at most K image classes\n"
	"  -h, --help         show this help\n"
	"\nAn aarch64 layout (--jdk a20, a22 or a63) plans aarch64 hosts (profiles,\n"
	"arm64 /proc/cpuinfo): the AND of their values, unless PAC kinds differ or\n"
	"the build host has lse a target lacks (the JVM refuses both); --classes\n"
	"splits them as on x86-64, and a fleet with and without PAC by kind first\n"
	"(K >= 2; the other kind's classes are checkpointed on their own hosts).\n"
	"\nexit status: 0 planned, 2 usage or input error (unknown layout, bad\n"
	"value, not an x86-64 CPU, a host without a feature the JVM requires,\n"
	"hosts of both architectures, no aarch64 value for all)\n",
	plan_main,
	CMD_OPT_JDK | CMD_OPT_FORMAT | CMD_OPT_CLASSES,
	text_json,
};

/* Rendering. */

struct report {
	const struct ccpu_layout	*l;
	const struct plan_fleet		*f;
	struct ccpu_plan		 p;
	struct ccpu_plan_attr		*attr;
	unsigned int			 removers[CCPU_FEATSET_MAX];
	struct ccpu_glibc		 glibc;
	struct ccpu_level		 level;		/* of the value */
	struct ccpu_plan_classes	*classes;	/* NULL without --classes */
	unsigned int			 k;
};

/* "avx512f, avx512bw" in the one report order (ccpu_relevance_order). */
static void
add_names(struct strbuf *sb, const struct ccpu_layout *l,
    const struct ccpu_featset *fs)
{
	unsigned int	bits[CCPU_FEATSET_MAX];
	char		nb[CCPU_LABEL_MAX];
	size_t		n, i;

	n = ccpu_relevance_order(l, fs, bits, nitems(bits));
	for (i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i > 0 ? ", " : "",
		    ccpu_layout_bit_label(l, bits[i], nb, sizeof(nb)));
}

static void
text_classes(struct strbuf *sb, const struct report *r)
{
	const struct ccpu_plan_classes	*c = r->classes;
	struct ccpu_featset		 extra;
	char				 v[CCPU_VALUE_MAX];
	unsigned int			 j;
	size_t				 i, m;

	strbuf_addf(sb, "\nimage classes: %u of at most %u (%s over %u distinct "
	    "target%s)\n", c->nclasses, r->k, c->exact ? "exact search" :
	    "greedy merging", c->ndistinct, c->ndistinct == 1 ? "" : "s");
	for (j = 0; j < c->nclasses; j++) {
		ccpu_jvm_format_value(r->l, &c->value[j], v, sizeof(v));
		strbuf_addf(sb, "  class %u: -XX:CPUFeatures=%s\n    targets:", j + 1, v);
		for (i = 1, m = 0; i < r->f->n; i++)
			if (c->class_of[i] == j)
				strbuf_addf(sb, "%s %s", m++ > 0 ? "," : "",
				    SHOWN(r->f->hosts[i].name));
		ccpu_featset_minus(&extra, &c->value[j], &r->p.value);
		strbuf_addf(sb, "\n    keeps over the single image (weight %u): ",
		    ccpu_plan_weight(r->l, &extra));
		if (ccpu_featset_empty(&extra))
			strbuf_adds(sb, "nothing");
		else
			add_names(sb, r->l, &extra);
		strbuf_adds(sb, "\n");
	}
	strbuf_addf(sb, "  gain over one image: %" PRIu64 " (weight kept summed "
	    "over targets: %" PRIu64 " instead of %" PRIu64 ")\n",
	    c->score - c->single_score, c->score, c->single_score);
}

static char *
render_text(const struct report *r)
{
	const struct plan_fleet	*f = r->f;
	const struct ccpu_plan	*p = &r->p;
	struct strbuf		 sb = STRBUF_INIT;
	struct ccpu_featset	 lost = p->lost;
	struct ccpu_relevance	 rel;
	unsigned int		 bits[CCPU_FEATSET_MAX], order[CCPU_PLAN_MAX_HOSTS];
	char			 v[CCPU_VALUE_MAX], tun[CCPU_GLIBC_MAX];
	const char		*advice, *nl, *s;
	char			 abuf[4096], nb[CCPU_LABEL_MAX];
	size_t			 n, i, j, t;

	ccpu_jvm_format_value(r->l, &p->value, v, sizeof(v));
	strbuf_addf(&sb, "plan: checkpoint on '%s', restore on %zu target%s "
	    "(layout %s)\n\n  -XX:CPUFeatures=%s\n", SHOWN(f->hosts[0].name), f->n - 1,
	    f->n == 2 ? "" : "s", ccpu_layout_name(r->l), v);

	strbuf_addf(&sb, "  x86-64 level: %s", ccpu_level_name(r->level.level));
	if (r->level.nmissing > 0) {
		strbuf_addf(&sb, " (%s needs", ccpu_level_name(r->level.level + 1));
		for (i = 0; i < r->level.nmissing; i++)
			strbuf_addf(&sb, " %s", r->level.missing[i]);
		strbuf_adds(&sb, ")");
	}
	strbuf_adds(&sb, "\n");

	ccpu_featset_minus(&lost, &lost, &p->unknown);
	n = ccpu_relevance_order(r->l, &lost, bits, nitems(bits));
	strbuf_addf(&sb, "\ngiven up: %zu feature%s of the build host, weight "
	    "%u, most costly first\n", n, n == 1 ? "" : "s",
	    ccpu_plan_weight(r->l, &lost));
	for (i = 0; i < n; i++) {
		ccpu_layout_bit_label(r->l, bits[i], nb, sizeof(nb));
		rel = ccpu_relevance(nb);
		strbuf_addf(&sb, "  %-20s %-13s %3u  removed by %u of %zu hosts\n",
		    nb, ccpu_rel_class_name(rel.rclass),
		    rel.weight, r->removers[bits[i]], f->n);
	}
	if (!ccpu_featset_empty(&p->unknown)) {
		strbuf_adds(&sb, "  not known from every source, left out: ");
		add_names(&sb, r->l, &p->unknown);
		strbuf_adds(&sb, "\n");
	}

	/* Hosts by what dropping them alone would regain, then by lacks. */
	for (i = 0; i < f->n; i++)
		order[i] = (unsigned int)i;
	for (i = 1; i < f->n; i++)
		for (j = i; j > 0 && r->attr[order[j]].alone_weight >
		    r->attr[order[j - 1]].alone_weight; j--) {
			t = order[j]; order[j] = order[j - 1]; order[j - 1] = (unsigned int)t;
		}
	strbuf_adds(&sb, "\nwho removes what (features of the fleet a host "
	    "lacks):\n");
	for (i = 0; i < f->n; i++) {
		const struct ccpu_plan_host	*h = &f->hosts[order[i]];
		const struct ccpu_plan_attr	*a = &r->attr[order[i]];

		strbuf_addf(&sb, "  %s %s", order[i] == 0 ? "build " : "target",
		    SHOWN(h->name));
		if (h->by_value)
			strbuf_adds(&sb, " (known by its value)");
		else if (f->brand[order[i]][0] != '\0')
			strbuf_addf(&sb, " (%s)", f->brand[order[i]]);
		else if (h->vendor[0] != '\0')
			strbuf_addf(&sb, " (%s)", h->vendor);
		strbuf_addf(&sb, ": lacks %u\n", ccpu_featset_count(&a->lacks));
		if (!ccpu_featset_empty(&a->alone)) {
			strbuf_addf(&sb, "    alone (weight %u): ", a->alone_weight);
			add_names(&sb, r->l, &a->alone);
			strbuf_adds(&sb, "\n");
		}
		if (!ccpu_featset_empty(&a->few)) {
			strbuf_addf(&sb, "    with 1-%d others: ", CCPU_PLAN_FEW - 1);
			add_names(&sb, r->l, &a->few);
			strbuf_adds(&sb, "\n");
		}
	}

	strbuf_addf(&sb, "\nkept over generic: %u feature%s: ",
	    ccpu_featset_count(&p->over_generic),
	    ccpu_featset_count(&p->over_generic) == 1 ? "" : "s");
	if (ccpu_featset_empty(&p->over_generic))
		strbuf_adds(&sb, "none");
	else
		add_names(&sb, r->l, &p->over_generic);
	strbuf_adds(&sb, "\n");

	ccpu_glibc_format(&r->glibc, tun, sizeof(tun));
	if (tun[0] == '\0')
		strbuf_adds(&sb, "\nglibc: nothing hidden, the JVM does not "
		    "re-execute\n");
	else {
		strbuf_addf(&sb, "\nglibc: the JVM re-executes with GLIBC_TUNABLES=%s\n",
		    tun);
		for (i = 0; i < ccpu_glibc_ntunables(); i++)
			if (r->glibc.patched & (UINT64_C(1) << i))
				strbuf_addf(&sb, "  %s is hidden too, to drop glibc's "
				    "%s level\n", ccpu_glibc_tunable_name((unsigned int)i),
				    r->glibc.patch_level[i]);
		if (!ccpu_featset_empty(&r->glibc.kept)) {
			strbuf_adds(&sb, "  no tunable hides (glibc may still use): ");
			add_names(&sb, r->l, &r->glibc.kept);
			strbuf_adds(&sb, "\n");
		}
	}

	if (r->classes != NULL)
		text_classes(&sb, r);

	advice = ccpu_plan_vendor_advice(r->l, p, abuf, sizeof(abuf));
	if (advice != NULL || f->notes.len > 0) {
		strbuf_adds(&sb, "\nwarnings:\n");
		if (advice != NULL)
			strbuf_addf(&sb, "  %s\n", advice);
		for (s = f->notes.buf; s != NULL && *s != '\0'; s = nl + 1) {
			nl = strchr(s, '\n');
			strbuf_addf(&sb, "  %.*s\n", (int)(nl - s), s);
		}
	}
	return strbuf_detach(&sb);
}

static char *
render_json(const struct report *r)
{
	const struct plan_fleet	*f = r->f;
	const struct ccpu_plan	*p = &r->p;
	struct ccpu_relevance	 rel;
	struct ccpu_featset	 lost = p->lost;
	unsigned int		 bits[CCPU_FEATSET_MAX];
	json_t			*o, *a, *x, *e;
	char			 tun[CCPU_GLIBC_MAX];
	const char		*advice, *s, *nl;
	char			 abuf[4096], nb[CCPU_LABEL_MAX];
	size_t			 i, j, n;

	o = json_object();
	json_object_set_new(o, "schema", json_string("ccpu-plan/2"));
	json_object_set_new(o, "command", json_string("plan"));
	json_object_set_new(o, "layout", json_string(ccpu_layout_name(r->l)));
	json_object_set_new(o, "value", ccpu_jvm_value_json(r->l, &p->value));
	x = json_object();
	json_object_set_new(x, "name", json_string(ccpu_level_name(r->level.level)));
	a = json_array();
	for (i = 0; i < r->level.nmissing; i++)
		json_array_append_new(a, json_string(r->level.missing[i]));
	json_object_set_new(x, "missing_for_next", a);
	json_object_set_new(o, "level", x);

	ccpu_featset_minus(&lost, &lost, &p->unknown);
	n = ccpu_relevance_order(r->l, &lost, bits, nitems(bits));
	a = json_array();
	for (i = 0; i < n; i++) {
		ccpu_layout_bit_label(r->l, bits[i], nb, sizeof(nb));
		rel = ccpu_relevance(nb);
		x = json_object();
		json_object_set_new(x, "feature", json_string(nb));
		json_object_set_new(x, "class",
		    json_string(ccpu_rel_class_name(rel.rclass)));
		json_object_set_new(x, "weight", json_integer(rel.weight));
		json_object_set_new(x, "informational",
		    json_boolean(rel.rclass == CCPU_REL_INFO));
		e = json_array();
		for (j = 0; j < f->n; j++)
			if (ccpu_featset_has(&r->attr[j].lacks, bits[i]))
				json_array_append_new(e, json_string(f->hosts[j].name));
		json_object_set_new(x, "removed_by", e);
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "given_up", a);
	json_object_set_new(o, "unknown", ccpu_jvm_names_json(r->l, &p->unknown));
	json_object_set_new(o, "kept_over_generic",
	    ccpu_jvm_names_json(r->l, &p->over_generic));
	x = json_object();
	for (i = 0; i < p->nvendors; i++)
		json_object_set_new(x, p->vendors[i],
		    ccpu_jvm_names_json(r->l, &p->vendor_only[i]));
	json_object_set_new(o, "vendor_only", x);

	a = json_array();
	for (i = 0; i < f->n; i++) {
		x = plan_fleet_host_json(f, i);
		json_object_set_new(x, "lacks", ccpu_jvm_names_json(r->l, &r->attr[i].lacks));
		json_object_set_new(x, "alone", ccpu_jvm_names_json(r->l, &r->attr[i].alone));
		json_object_set_new(x, "alone_weight",
		    json_integer(r->attr[i].alone_weight));
		json_object_set_new(x, "few", ccpu_jvm_names_json(r->l, &r->attr[i].few));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "hosts", a);

	x = json_object();
	ccpu_glibc_format(&r->glibc, tun, sizeof(tun));
	json_object_set_new(x, "tunables", json_string(tun));
	a = json_array();
	e = json_array();
	for (i = 0; i < ccpu_glibc_ntunables(); i++) {
		if (r->glibc.disabled & (UINT64_C(1) << i))
			json_array_append_new(a,
			    json_string(ccpu_glibc_tunable_name((unsigned int)i)));
		if (r->glibc.patched & (UINT64_C(1) << i))
			json_array_append_new(e, json_pack("{s:s,s:s}", "tunable",
			    ccpu_glibc_tunable_name((unsigned int)i), "level",
			    r->glibc.patch_level[i]));
	}
	json_object_set_new(x, "disabled", a);
	json_object_set_new(x, "isa_patch", e);
	json_object_set_new(x, "not_hideable", ccpu_jvm_names_json(r->l, &r->glibc.kept));
	json_object_set_new(o, "glibc", x);

	if (r->classes != NULL) {
		const struct ccpu_plan_classes *c = r->classes;

		x = json_object();
		json_object_set_new(x, "max", json_integer(r->k));
		json_object_set_new(x, "exact", json_boolean(c->exact));
		json_object_set_new(x, "distinct_targets", json_integer(c->ndistinct));
		json_object_set_new(x, "score", json_integer((json_int_t)c->score));
		json_object_set_new(x, "single_score",
		    json_integer((json_int_t)c->single_score));
		a = json_array();
		for (j = 0; j < c->nclasses; j++) {
			struct ccpu_featset extra;
			json_t *cl = json_object(), *m = json_array();

			json_object_set_new(cl, "value",
			    ccpu_jvm_value_json(r->l, &c->value[j]));

			for (i = 1; i < f->n; i++)
				if (c->class_of[i] == j)
					json_array_append_new(m,
					    json_string(f->hosts[i].name));
			json_object_set_new(cl, "targets", m);
			ccpu_featset_minus(&extra, &c->value[j], &p->value);
			json_object_set_new(cl, "keeps_over_single",
			    ccpu_jvm_names_json(r->l, &extra));
			json_object_set_new(cl, "gain_weight",
			    json_integer(ccpu_plan_weight(r->l, &extra)));
			json_array_append_new(a, cl);
		}
		json_object_set_new(x, "classes", a);
		json_object_set_new(o, "classes", x);
	}

	a = json_array();
	if ((advice = ccpu_plan_vendor_advice(r->l, p, abuf, sizeof(abuf))) != NULL)
		json_array_append_new(a, json_pack("{s:s,s:s}", "code",
		    "mixed-vendors", "message", advice));
	for (s = f->notes.buf; s != NULL && *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		json_array_append_new(a, json_pack("{s:s,s:s%}", "code", "note",
		    "message", s, (size_t)(nl - s)));
	}
	json_object_set_new(o, "warnings", a);
	return cmd_json_text(o);
}

/*
 * Where the one image of each host's kind is checkpointed (ck[i]: 0, the
 * build host, or on an aarch64 fleet with and without PAC split by
 * --classes, the other kind's checkpoint host) and what that host has
 * that it lacks (lacks[i]).  Returns true when the fleet was split by PAC
 * kind.
 */
static bool
a64_checkpoints(const struct ccpu_a64_layout *l,
    const struct plan_a64_fleet *f, const struct ccpu_plan_classes *c,
    size_t *ck, struct ccpu_featset *lacks)
{
	struct ccpu_featset	one;
	bool			split = false;
	size_t			i;

	for (i = 0; i < f->n; i++) {
		ck[i] = i == 0 || c == NULL ||
		    c->checkpoint_on[c->class_of[i]] == 0 ? 0 :
		    c->other_kind_on;
		split |= ck[i] != 0;
		ccpu_a64_derive(l, &f->hosts[ck[i]], &one);
		ccpu_a64_derive(l, &f->hosts[i], &lacks[i]);
		ccpu_featset_minus(&lacks[i], &one, &lacks[i]);
	}
	return split;
}

/*
 * The aarch64 classes: x86-64's "classes" object (ccpu-plan/2) with
 * one-word values and the host each class is checkpointed on.
 */
static json_t *
json_a64_classes(const struct ccpu_a64_layout *l,
    const struct plan_a64_fleet *f, unsigned long k,
    const struct ccpu_plan_classes *c)
{
	struct ccpu_featset	 extra;
	json_t			*x, *a, *cl, *m;
	unsigned int		 j;
	size_t			 i;

	x = json_pack("{s:I, s:b, s:I, s:I, s:I}", "max", (json_int_t)k,
	    "exact", c->exact, "distinct_targets", (json_int_t)c->ndistinct,
	    "score", (json_int_t)c->score, "single_score",
	    (json_int_t)c->single_score);
	a = json_array();
	for (j = 0; j < c->nclasses; j++) {
		cl = json_object();
		m = json_array();
		json_object_set_new(cl, "value", ccpu_a64_value_json(l,
		    &c->value[j]));
		json_object_set_new(cl, "checkpoint_on",
		    json_string(f->names[c->checkpoint_on[j]]));
		for (i = 1; i < f->n; i++)
			if (c->class_of[i] == j)
				json_array_append_new(m, json_string(f->names[i]));
		json_object_set_new(cl, "targets", m);
		ccpu_featset_minus(&extra, &c->value[j], &c->single_of[j]);
		json_object_set_new(cl, "keeps_over_single",
		    ccpu_a64_names_json(l, &extra));
		json_object_set_new(cl, "gain_weight",
		    json_integer(ccpu_a64_plan_weight(l, &extra)));
		json_array_append_new(a, cl);
	}
	json_object_set_new(x, "classes", a);
	return x;
}

/* The aarch64 classes in text, as text_classes. */
static void
text_a64_classes(struct strbuf *sb, const struct ccpu_a64_layout *l,
    const struct plan_a64_fleet *f, unsigned long k,
    const struct ccpu_plan_classes *c, bool split)
{
	struct ccpu_featset	 extra;
	char			 hex[32], names[1024];
	unsigned int		 j;
	size_t			 i, m;

	strbuf_addf(sb, "\nimage classes: %u of at most %lu (%s over %u "
	    "distinct target%s)\n", c->nclasses, k, c->exact ? "exact search" :
	    "greedy merging", c->ndistinct, c->ndistinct == 1 ? "" : "s");
	for (j = 0; j < c->nclasses; j++) {
		ccpu_a64_format_value(&c->value[j], hex, sizeof(hex));
		strbuf_addf(sb, "  class %u: -XX:CPUFeatures=%s\n", j + 1, hex);
		if (split)
			strbuf_addf(sb, "    checkpoint on: %s\n",
			    SHOWN(f->names[c->checkpoint_on[j]]));
		strbuf_adds(sb, "    targets:");
		for (i = 1, m = 0; i < f->n; i++)
			if (c->class_of[i] == j)
				strbuf_addf(sb, "%s %s", m++ > 0 ? "," : "",
				    SHOWN(f->names[i]));
		ccpu_featset_minus(&extra, &c->value[j], &c->single_of[j]);
		ccpu_a64_format_names(l, &extra, ", ", names, sizeof(names));
		strbuf_addf(sb, "\n    keeps over the single image%s (weight "
		    "%u): %s\n", split ? " of its PAC kind" : "",
		    ccpu_a64_plan_weight(l, &extra), names[0] != '\0' ? names :
		    "nothing");
	}
	strbuf_addf(sb, "  gain over one image%s: %" PRIu64 " (weight kept "
	    "summed over targets: %" PRIu64 " instead of %" PRIu64 ")\n",
	    split ? " per PAC kind" : "", c->score - c->single_score, c->score,
	    c->single_score);
}

/*
 * The one image of each PAC kind of a fleet split by kind: kind 0 is the
 * build host's, checkpointed on it; kind 1 on ck of its hosts.  v[kind]
 * is its value, n[kind] its targets, at[kind] its checkpoint host.
 */
struct a64_kinds {
	struct ccpu_featset	v[2];
	size_t			at[2], n[2];
};

static void
a64_kinds(const struct ccpu_a64_layout *l, const struct plan_a64_fleet *f,
    const struct ccpu_plan_classes *c, const size_t *ck, struct a64_kinds *kd)
{
	size_t	i, kind;

	memset(kd, 0, sizeof(*kd));
	ccpu_a64_derive(l, &f->hosts[0], &kd->v[0]);	/* when it has no target */
	for (i = 1; i < f->n; i++) {
		kind = ck[i] != 0;
		kd->at[kind] = ck[i];
		kd->v[kind] = c->single_of[c->class_of[i]];
		kd->n[kind]++;
	}
}

/*
 * An aarch64 fleet (--jdk a20|a22|a63): the AND of the hosts' values, or
 * the JVM's reason why no one value serves them (PAC kinds, lse), and
 * with --classes the split of ccpu_a64_plan_classes.  The json is
 * ccpu-plan/2 with arch: the value (one word), given_up (what the
 * checkpoint host has and the value drops, and which targets remove it),
 * the hosts with what each lacks, and no glibc, level or vendor members.
 * A fleet split by PAC kind has no one value ("value": null) but
 * pac_images, one per kind, and given_up entries name their kind.
 */
static char *
json_a64(const struct ccpu_a64_layout *l, const struct plan_a64_fleet *f,
    const struct ccpu_featset *v, unsigned long k,
    const struct ccpu_plan_classes *c)
{
	struct ccpu_featset	 one, *lacks, lost;
	struct a64_kinds	 kd;
	json_t			*o, *a, *x, *by, *t;
	size_t			 i, *ck, kind, nk;
	int			 b, paca = ccpu_a64_layout_paca(l);
	bool			 split;

	lacks = xcalloc(f->n, sizeof(*lacks));
	ck = xcalloc(f->n, sizeof(*ck));
	split = a64_checkpoints(l, f, c, ck, lacks);
	o = json_object();
	json_object_set_new(o, "schema", json_string("ccpu-plan/2"));
	json_object_set_new(o, "command", json_string("plan"));
	json_object_set_new(o, "arch", json_string("aarch64"));
	json_object_set_new(o, "layout", json_string(ccpu_a64_layout_name(l)));
	nk = 1;
	if (split) {
		a64_kinds(l, f, c, ck, &kd);
		nk = 2;
		json_object_set_new(o, "value", json_null());
		a = json_array();
		for (kind = 0; kind < nk; kind++) {
			t = json_array();
			for (i = 1; i < f->n; i++)
				if ((ck[i] != 0) == (kind == 1))
					json_array_append_new(t,
					    json_string(f->names[i]));
			json_array_append_new(a, json_pack("{s:b, s:s, s:o, "
			    "s:o}", "pac", ccpu_featset_has(&kd.v[kind],
			    (unsigned int)paca), "checkpoint_on",
			    f->names[kd.at[kind]], "value", ccpu_a64_value_json(l,
			    &kd.v[kind]), "targets", t));
		}
		json_object_set_new(o, "pac_images", a);
	} else {
		kd.v[0] = *v;
		kd.at[0] = 0;
		json_object_set_new(o, "value", ccpu_a64_value_json(l, v));
	}
	a = json_array();
	for (kind = 0; kind < nk; kind++) {
		ccpu_a64_derive(l, &f->hosts[kd.at[kind]], &one);
		ccpu_featset_minus(&lost, &one, &kd.v[kind]);
		for (b = ccpu_featset_next(&lost, 0); b >= 0;
		    b = ccpu_featset_next(&lost, (unsigned int)b + 1)) {
			ccpu_featset_clear(&one);
			ccpu_featset_add(&one, (unsigned int)b);
			x = json_object();
			by = ccpu_a64_names_json(l, &one);	/* its name, or bitN */
			json_object_set(x, "feature", json_array_get(by, 0));
			json_decref(by);
			if (split)
				json_object_set_new(x, "pac", json_boolean(
				    ccpu_featset_has(&kd.v[kind],
				    (unsigned int)paca)));
			by = json_array();
			for (i = 1; i < f->n; i++)
				if (ck[i] == kd.at[kind] &&
				    ccpu_featset_has(&lacks[i], (unsigned int)b))
					json_array_append_new(by,
					    json_string(f->names[i]));
			json_object_set_new(x, "removed_by", by);
			json_array_append_new(a, x);
		}
	}
	json_object_set_new(o, "given_up", a);
	a = json_array();
	for (i = 0; i < f->n; i++) {
		x = plan_a64_host_json(f, i);
		json_object_set_new(x, "lacks", ccpu_a64_names_json(l,
		    &lacks[i]));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "hosts", a);
	if (c != NULL)
		json_object_set_new(o, "classes", json_a64_classes(l, f, k, c));
	json_object_set_new(o, "warnings", json_array());
	free(lacks);
	free(ck);
	return cmd_json_text(o);
}

/* Whether the hosts are of both PAC kinds in layout l. */
static bool
a64_pac_mixed(const struct ccpu_a64_layout *l, const struct plan_a64_fleet *f)
{
	struct ccpu_featset	v;
	int			paca = ccpu_a64_layout_paca(l);
	bool			first = false;
	size_t			i;

	for (i = 0; paca >= 0 && i < f->n; i++) {
		ccpu_a64_derive(l, &f->hosts[i], &v);
		if (i == 0)
			first = ccpu_featset_has(&v, (unsigned int)paca);
		else if (ccpu_featset_has(&v, (unsigned int)paca) != first)
			return true;
	}
	return false;
}

/*
 * The aarch64 plan, text or json.
 */
static int
plan_a64(const struct ccpu_a64_layout *l, bool json, unsigned long k,
    char *const args[], size_t nargs)
{
	struct plan_a64_fleet	 f;
	struct ccpu_plan_classes *c = NULL;
	struct ccpu_featset	 v, *lacks = NULL;
	struct a64_kinds	 kd;
	struct ccpu_error	 e;
	struct strbuf		 sb = STRBUF_INIT;
	char			 hex[32], names[1024], *text;
	size_t			 i, *ck = NULL, kind;
	int			 rc = STATUS_ERROR;
	bool			 mixed, split;

	ccpu_featset_clear(&v);
	if (plan_a64_load("plan", args, nargs, &f) == -1)
		goto out;
	mixed = a64_pac_mixed(l, &f);
	if ((!mixed || k == 0) && ccpu_a64_plan(l, f.hosts, f.n, &v, &e) ==
	    -1) {
		warnx("plan: %s%s", e.msg, mixed ? " (--classes 2 or more "
		    "splits the fleet by kind)" : "");
		goto out;
	}
	if (k > 0) {
		c = xcalloc(1, sizeof(*c));
		if (ccpu_a64_plan_classes(l, f.hosts, f.n, (unsigned int)k, c,
		    &e) == -1) {
			warnx("plan: %s", e.msg);
			goto out;
		}
	}
	if (json) {
		text = json_a64(l, &f, &v, k, c);
		rc = cmd_write_output("plan", NULL, text, false) == 0 ?
		    STATUS_OK : STATUS_ERROR;
		free(text);
		goto out;
	}
	lacks = xcalloc(f.n, sizeof(*lacks));
	ck = xcalloc(f.n, sizeof(*ck));
	split = a64_checkpoints(l, &f, c, ck, lacks);
	if (!split) {
		ccpu_a64_format_value(&v, hex, sizeof(hex));
		ccpu_a64_format_names(l, &v, ", ", names, sizeof(names));
		strbuf_addf(&sb, "plan: checkpoint on '%s', restore on %zu "
		    "target%s (layout %s)\n\n  -XX:CPUFeatures=%s\n  %s\n",
		    SHOWN(f.names[0]), f.n - 1, f.n == 2 ? "" : "s",
		    ccpu_a64_layout_name(l), hex, names);
	} else {
		a64_kinds(l, &f, c, ck, &kd);
		strbuf_addf(&sb, "plan: hosts with and without pointer "
		    "authentication (PACA) need an image each (\"these CPUs "
		    "each require a separate image\"; layout %s)\n",
		    ccpu_a64_layout_name(l));
		for (kind = 0; kind < 2; kind++) {
			ccpu_a64_format_value(&kd.v[kind], hex, sizeof(hex));
			ccpu_a64_format_names(l, &kd.v[kind], ", ", names,
			    sizeof(names));
			strbuf_addf(&sb, "\n  %s PAC: checkpoint on '%s'%s, "
			    "restore on %zu target%s\n  -XX:CPUFeatures=%s\n"
			    "  %s\n", ccpu_featset_has(&kd.v[kind], (unsigned
			    int)ccpu_a64_layout_paca(l)) ? "with" : "without",
			    SHOWN(f.names[kd.at[kind]]), kind == 1 ? " (one of them: "
			    "the build host cannot make their image)" : "",
			    kd.n[kind], kd.n[kind] == 1 ? "" : "s", hex, names);
		}
	}
	strbuf_addf(&sb, "\nwho removes what (features of the %s a target "
	    "lacks):\n", split ? "checkpoint host of its kind" : "build host");
	for (i = 1; i < f.n; i++) {
		ccpu_a64_format_names(l, &lacks[i], ", ", names, sizeof(names));
		strbuf_addf(&sb, "  %s: %s\n", SHOWN(f.names[i]), names[0] != '\0' ?
		    names : "nothing");
	}
	if (c != NULL)
		text_a64_classes(&sb, l, &f, k, c, split);
	strbuf_adds(&sb, "\nno glibc word on aarch64: glibc.cpu.hwcaps masks "
	    "nothing there\n");
	rc = cmd_write_output("plan", NULL, sb.buf, false) == 0 ? STATUS_OK :
	    STATUS_ERROR;
out:
	free(c);
	free(lacks);
	free(ck);
	strbuf_release(&sb);
	plan_a64_release(&f);
	return rc;
}

static int
plan_main(int argc, char *argv[])
{
	struct report		 r;
	struct plan_fleet	 f;
	struct ccpu_error	 e;
	struct cmd_opts		 o = CMD_OPTS_INIT;
	char			*text;
	unsigned long		 k;
	int			 ch, rc = STATUS_ERROR;

	while ((ch = cmd_getopt(&cmd_plan, argc, argv, NULL, &o)) > 0)
		continue;
	cmd_opts_release(&o);
	if (ch == -1)
		return o.status;
	k = o.classes;
	if (optind == argc) {
		warnx("plan: no build host");
		return cmd_usage(&cmd_plan, STATUS_ERROR);
	}
	memset(&r, 0, sizeof(r));
	if (o.jdk != NULL && o.jdk[0] == 'a' &&
	    ccpu_a64_layout_lookup(o.jdk, NULL) != NULL)
		return plan_a64(ccpu_a64_layout_lookup(o.jdk, NULL), o.fmt == 1,
		    k, argv + optind, (size_t)(argc - optind));
	if ((r.l = cmd_jvm_layout("plan", o.jdk, o.java_home,
	    CMD_JVM_MAY_RUN)) == NULL)
		return STATUS_ERROR;
	if (plan_fleet_load("plan", r.l, argv + optind, (size_t)(argc - optind),
	    &f) == -1)
		goto out;
	r.f = &f;
	if (ccpu_plan_compute(r.l, f.hosts, f.n, &r.p, &e) == -1) {
		warnx("plan: %s", e.msg);
		goto out;
	}
	r.attr = xcalloc(f.n, sizeof(*r.attr));
	ccpu_plan_attribute(r.l, f.hosts, f.n, r.attr, r.removers);
	ccpu_glibc_derive(r.l, &f.hosts[0].raw, &r.p.value, &r.glibc);
	ccpu_level_jvm(r.l, &r.p.value, &r.p.unknown, &r.level);
	if (k > 0) {
		r.k = (unsigned int)k;
		r.classes = xcalloc(1, sizeof(*r.classes));
		if (ccpu_plan_classes(r.l, f.hosts, f.n, r.k, r.classes, &e) == -1) {
			warnx("plan: %s", e.msg);
			goto out;
		}
	}
	text = o.fmt == 1 ? render_json(&r) : render_text(&r);
	rc = cmd_write_output("plan", NULL, text, false) == 0 ? STATUS_OK : STATUS_ERROR;
	free(text);
out:
	free(r.classes);
	free(r.attr);
	plan_fleet_release(&f);
	return rc;
}
