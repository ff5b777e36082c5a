/*
 * The survey's text, CSV and JSON renderings (the HTML one is in
 * report_html.c).  Each returns a new string or JSON reference built from
 * a finished survey.  Strings from the input (host and file names, vendor
 * and brand, image names, error messages) are escaped in text and CSV
 * (esc.h); JSON escapes them itself.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/survey.h"
#include "esc.h"
#include "strbuf.h"
#include "survey_impl.h"
#include "xmalloc.h"

/* Renderings -------------------------------------------------------------- */

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
	esc_adds(sb, m->vendor[0] ? m->vendor : "?");
	strbuf_addf(sb, " family %u model %u", m->family, m->model);
	if (m->brand[0]) {
		strbuf_adds(sb, " (");
		esc_adds(sb, m->brand);
		strbuf_adds(sb, ")");
	}
}

/* The split as JSON: null when none was asked for (see survey.h). */
static json_t *
split_json(const struct ccpu_survey *s)
{
	const struct ccpu_survey_split	*sp = ccpu_survey_split(s);
	const struct ccpu_layout	*l = s->layout;
	json_t				*o, *a, *m, *x;
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
	json_object_set_new(o, "single_value", sp->skipped[0] ? json_null() :
	    ccpu_jvm_value_json(l, &sp->single));
	json_object_set_new(o, "merged_cpu_classes", json_integer((json_int_t)sp->merged));
	x = json_array();
	for (i = 0; i < s->nclasses; i++)
		if (!ccpu_featset_subset(ccpu_layout_mandatory(l),
		    &s->classes[i]->used))
			json_array_append_new(x, json_string(s->classes[i]->id));
	json_object_set_new(o, "excluded", x);
	a = json_array();
	for (j = 0; j < sp->nimages; j++) {
		x = json_pack("{s:o, s:I}", "value",
		    ccpu_jvm_value_json(l, &sp->images[j].value),
		    "host_count", (json_int_t)sp->images[j].hosts);
		m = json_array();
		for (i = 0; i < s->nclasses; i++)
			if (s->classes[i]->image_class == (int)j)
				json_array_append_new(m, json_string(s->classes[i]->id));
		json_object_set_new(x, "cpu_classes", m);
		json_object_set_new(x, "kept_over_single",
		    ccpu_jvm_names_json(l, &sp->images[j].kept));
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
	char				 nbuf[64], why[256];
	const char			*n;
	bool				 by_labels;
	size_t				 i, j;
	int				 b;

	root = json_object();
	json_object_set_new(root, "schema", json_string(CCPU_SURVEY_SCHEMA));
	json_object_set_new(root, "layout", json_string(ccpu_layout_name(l)));
	json_object_set_new(root, "host_count", json_integer(s->hosts));
	json_object_set_new(root, "nfd_host_count", json_integer(s->nfd_hosts));

	a = json_array();
	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:o}", "id", c->id,
		    "stable_id", c->stable_id, "uarch", c->uarch.name,
		    "uarch_from", ccpu_uarch_from_name(c->uarch.from),
		    "host_count", (json_int_t)c->hosts,
		    "nfd_host_count", (json_int_t)c->nfd_hosts,
		    "value", ccpu_jvm_value_json(l, &c->used));
		m = json_array();
		for (j = 0; j < c->nmodels; j++)
			json_array_append_new(m, json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:I}",
			    "vendor", c->models[j].vendor,
			    "family", (json_int_t)c->models[j].family,
			    "model", (json_int_t)c->models[j].model,
			    "brand", c->models[j].brand,
			    "uarch", c->models[j].uarch.name,
			    "uarch_from", ccpu_uarch_from_name(c->models[j].uarch.from),
			    "host_count", (json_int_t)c->models[j].hosts));
		json_object_set_new(o, "models", m);
		json_object_set_new(o, "other_model_host_count",
		    json_integer(c->other_models));
		x = json_array();
		for (j = 0; j < c->nexamples; j++)
			json_array_append_new(x, json_string(c->examples[j]));
		json_object_set_new(o, "examples", x);
		json_object_set_new(o, "unknown", ccpu_jvm_names_json(l, &c->unknown));
		json_object_set_new(o, "lost_to_plan", ccpu_jvm_names_json(l, &c->lost));
		json_object_set_new(o, "plan_gain_without", ccpu_jvm_names_json(l, &c->gain));
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
		    "host_count", (json_int_t)s->feat_hosts[b],
		    "unknown_host_count", (json_int_t)s->feat_unknown[b]));
	}
	json_object_set_new(root, "features", a);

	o = json_pack("{s:o, s:b}", "value", ccpu_jvm_value_json(l, &s->plan),
	    "valid", s->plan_valid);
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
			    "name", n, "host_count", (json_int_t)s->feat_hosts[b],
			    "classes_without", m));
		}
		json_object_set_new(o, "lost", x);
	}
	if (s->nfd_hosts > 0 && (aff = ccpu_survey_affinity(s, (size_t)-1,
	    &by_labels)) != NULL) {
		json_object_set_new(o, "affinity", aff);
		json_object_set_new(o, "affinity_by", json_string(by_labels ?
		    "labels" : "hostname"));
		if (!by_labels)
			json_object_set_new(o, "affinity_fallback", json_string(
			    ccpu_survey_affinity_why(s, (size_t)-1, why,
			    sizeof(why))));
	}
	json_object_set_new(root, "plan", o);
	json_object_set_new(root, "image_classes", split_json(s));

	a = json_array();
	for (i = 0; i < s->nimages; i++) {
		im = &s->images[i];
		o = json_pack("{s:s, s:o, s:I, s:I}", "name", im->name, "value",
		    ccpu_jvm_value_json(l, &im->value),
		    "yes_host_count", (json_int_t)im->hosts_yes,
		    "unknown_host_count", (json_int_t)im->hosts_unknown);
		x = json_array();
		for (j = 0; j < s->nclasses; j++) {
			m = json_pack("{s:s, s:s}", "class", s->classes[j]->id,
			    "restore", restore_name(im->restore[j]));
			json_object_set_new(m, "missing", ccpu_jvm_names_json(l, &im->missing[j]));
			json_array_append_new(x, m);
		}
		json_object_set_new(o, "classes", x);
		if ((aff = ccpu_survey_affinity(s, i, &by_labels)) != NULL) {
			json_object_set_new(o, "affinity", aff);
			json_object_set_new(o, "affinity_by", json_string(by_labels ?
			    "labels" : "hostname"));
			if (!by_labels)
				json_object_set_new(o, "affinity_fallback",
				    json_string(ccpu_survey_affinity_why(s, i,
				    why, sizeof(why))));
		}
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "images", a);

	if (s->a64_hosts > 0)
		json_object_set_new(root, "aarch64", survey_a64_json(s));
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

static void
errors_text(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_survey_error	*e;
	size_t				 i;

	if (s->nerrors == 0)
		return;
	strbuf_addf(sb, "\nunreadable entries: %lu\n", s->nerrors);
	for (i = 0; i < s->nerrors_listed; i++) {
		e = &s->errors[i];
		strbuf_adds(sb, "  ");
		esc_adds(sb, e->file);
		if (e->line)
			strbuf_addf(sb, ":%lu", e->line);
		strbuf_adds(sb, ": ");
		esc_adds(sb, e->msg);
		strbuf_adds(sb, "\n");
	}
	if (s->nerrors > s->nerrors_listed)
		strbuf_addf(sb, "  ... and %lu more\n",
		    s->nerrors - s->nerrors_listed);
}

char *
ccpu_survey_text(const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = s->layout;
	const struct ccpu_survey_class	*c;
	const struct ccpu_survey_image	*im;
	struct strbuf			 sb = STRBUF_INIT;
	struct ccpu_featset		 lost;
	char				 buf[CCPU_VALUE_MAX];
	char				 nbuf[64];
	const char			*n;
	size_t				 i, j;
	int				 b;

	if (s->hosts == 0 && s->a64_hosts > 0) {
		/* An aarch64 fleet: nothing of x86-64 to report. */
		strbuf_addf(&sb, "survey: %lu aarch64 host%s", s->a64_hosts,
		    s->a64_hosts == 1 ? "" : "s");
		if (s->nerrors)
			strbuf_addf(&sb, ", %lu unreadable", s->nerrors);
		strbuf_adds(&sb, "\n");
		survey_a64_text(s, &sb);
		errors_text(&sb, s);
		return strbuf_detach(&sb);
	}
	strbuf_addf(&sb, "survey: %lu hosts in %zu CPU classes (layout %s)",
	    s->hosts, s->nclasses, ccpu_layout_name(l));
	if (s->a64_hosts)
		strbuf_addf(&sb, ", and %lu aarch64 host%s (below)", s->a64_hosts,
		    s->a64_hosts == 1 ? "" : "s");
	if (s->nfd_hosts)
		strbuf_addf(&sb, ", %lu from NFD labels", s->nfd_hosts);
	if (s->nerrors)
		strbuf_addf(&sb, ", %lu unreadable", s->nerrors);
	strbuf_adds(&sb, "\n");

	for (i = 0; i < s->nclasses; i++) {
		c = s->classes[i];
		ccpu_jvm_format_value(l, &c->used, buf, sizeof(buf));
		strbuf_addf(&sb, "\nclass %s (%s): %lu host%s", c->id,
		    c->stable_id, c->hosts, c->hosts == 1 ? "" : "s");
		if (c->uarch.from != CCPU_UARCH_NONE) {
			strbuf_adds(&sb, ", ");
			esc_adds(&sb, c->uarch.name);
			strbuf_addf(&sb, " (%s)", ccpu_uarch_from_name(c->uarch.from));
		}
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
		for (j = 0; j < c->nexamples; j++) {
			strbuf_adds(&sb, j ? ", " : "");
			esc_adds(&sb, c->examples[j]);
		}
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
		strbuf_adds(&sb, "\nimage ");
		esc_adds(&sb, im->name);
		strbuf_addf(&sb, " (%s): restores on %lu of %lu hosts",
		    buf, im->hosts_yes, s->hosts);
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

	survey_a64_text(s, &sb);
	errors_text(&sb, s);
	return strbuf_detach(&sb);
}

/*
 * One row per class, one column per feature any host uses or cannot tell
 * (1, 0, or ? for unknown), then one column per image (yes, no, unknown),
 * then the class's image class (1..K; empty without a split), then its
 * architecture.  The plan is the row after the classes, with class "plan"
 * (none without x86-64 hosts).  aarch64 classes follow as rows of their
 * own (arch "aarch64"), with a column per aarch64 feature ("aarch64:"
 * names, after the x86-64 ones) and a row per PAC kind's plan ("plan-pac",
 * "plan-nopac"); the x86-64 columns are empty in them and the other way
 * round, and no x86-64 image restores on them ("other-arch").
 */
char *
ccpu_survey_csv(const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = s->layout;
	const struct ccpu_survey_class	*c;
	struct strbuf			 sb = STRBUF_INIT, f = STRBUF_INIT;
	struct ccpu_featset		 cols = s->all, a64cols = CCPU_FEATSET_INIT;
	char				 buf[CCPU_VALUE_MAX];
	char				 nbuf[64];
	const char			*n;
	char				*t;
	size_t				 i, j;
	int				 b;

	for (i = 0; i < s->nclasses; i++)
		ccpu_featset_or(&cols, &s->classes[i]->unknown);
	for (i = 0; i < s->na64; i++)
		ccpu_featset_or(&a64cols, &s->a64[i]->value);
	strbuf_adds(&sb, "class,stable_id,uarch,uarch_from,hosts,nfd_hosts,cpus,"
	    "examples,value");
	for (b = ccpu_featset_next(&cols, 0); b >= 0; b = ccpu_featset_next(&cols, b + 1)) {
		n = ccpu_layout_bit_label(l, (unsigned int)b, nbuf, sizeof(nbuf));
		strbuf_adds(&sb, ",");
		esc_csv(&sb, n);
	}
	for (b = ccpu_featset_next(&a64cols, 0); b >= 0;
	    b = ccpu_featset_next(&a64cols, b + 1)) {
		n = ccpu_a64_layout_bit_name(ccpu_survey_a64_layout(s),
		    (unsigned int)b);
		if (n == NULL) {
			snprintf(nbuf, sizeof(nbuf), "bit%d", b);
			n = nbuf;
		}
		strbuf_addf(&sb, ",aarch64:%s", n);
	}
	for (i = 0; i < s->nimages; i++) {
		strbuf_adds(&sb, ",");
		t = NULL;
		strbuf_addf(&f, "image:%s", s->images[i].name);
		t = strbuf_detach(&f);
		esc_csv(&sb, t);
		free(t);
	}
	strbuf_adds(&sb, ",image_class,arch\n");
	/* The plan row only when there are x86-64 hosts to plan for. */
	for (i = 0; i < s->nclasses + (s->hosts > 0); i++) {
		const struct ccpu_featset *used = i < s->nclasses ?
		    &s->classes[i]->used : &s->plan;

		c = i < s->nclasses ? s->classes[i] : NULL;
		ccpu_jvm_format_value(l, used, buf, sizeof(buf));
		if (c != NULL) {
			strbuf_addf(&sb, "%s,%s,", c->id, c->stable_id);
			esc_csv(&sb, c->uarch.name);
			strbuf_addf(&sb, ",%s,%lu,%lu,",
			    ccpu_uarch_from_name(c->uarch.from), c->hosts,
			    c->nfd_hosts);
			for (j = 0; j < c->nmodels; j++) {
				if (j)
					strbuf_adds(&f, "; ");
				model_text(&f, &c->models[j]);
			}
			t = strbuf_detach(&f);
			esc_csv(&sb, t);
			free(t);
			strbuf_adds(&sb, ",");
			for (j = 0; j < c->nexamples; j++)
				strbuf_addf(&f, "%s%s", j ? " " : "", c->examples[j]);
			t = strbuf_detach(&f);
			esc_csv(&sb, t);
			free(t);
		} else {
			strbuf_addf(&sb, "plan,,,,%lu,%lu,,", s->hosts, s->nfd_hosts);
		}
		strbuf_adds(&sb, ",");
		esc_csv(&sb, buf);
		for (b = ccpu_featset_next(&cols, 0); b >= 0;
		    b = ccpu_featset_next(&cols, b + 1))
			strbuf_adds(&sb, ccpu_featset_has(used, b) ? ",1" :
			    c != NULL && ccpu_featset_has(&c->unknown, b) ? ",?" : ",0");
		for (b = ccpu_featset_next(&a64cols, 0); b >= 0;
		    b = ccpu_featset_next(&a64cols, b + 1))
			strbuf_adds(&sb, ",");
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
		strbuf_adds(&sb, ",x86-64\n");
	}
	survey_a64_csv(s, &sb, &cols, &a64cols);
	strbuf_release(&f);
	return strbuf_detach(&sb);
}

/* Assignments ------------------------------------------------------------- */

char *
ccpu_survey_assignments_header(const struct ccpu_survey *s, bool csv)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	if (!csv)
		return xstrdup("");
	strbuf_adds(&sb, "host,source,class,stable_id,value,image_class");
	for (i = 0; i < s->nimages; i++) {
		strbuf_adds(&sb, ",");
		{
			struct strbuf	h = STRBUF_INIT;
			char		*t;

			strbuf_adds(&h, "image:");
			strbuf_adds(&h, s->images[i].name);
			t = strbuf_detach(&h);
			esc_csv(&sb, t);
			free(t);
		}
	}
	strbuf_adds(&sb, "\n");
	return strbuf_detach(&sb);
}

/* An assignment as one JSON line (o taken over), or NULL when o is NULL. */
static char *
json_line(json_t *o)
{
	char	*text, *line;
	size_t	 n;

	if (o == NULL)
		return NULL;
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL)
		return NULL;
	n = strlen(text);
	line = xmalloc(n + 2);
	memcpy(line, text, n);
	memcpy(line + n, "\n", 2);
	free(text);
	return line;
}

/*
 * An aarch64 host's line: its aarch64 class and value; no x86-64 image
 * restores on it ("other-arch"), and no stable id or image class.
 */
static char *
a64_assignment(const struct ccpu_survey *s, const struct ccpu_survey_a64_class *a,
    const char *host, const char *source, bool csv)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 v[32];
	json_t		*o, *im;
	size_t		 i;

	ccpu_a64_format_value(&a->value, v, sizeof(v));
	if (csv) {
		esc_csv(&sb, host);
		strbuf_adds(&sb, ",");
		esc_csv(&sb, source);
		strbuf_addf(&sb, ",%s,,\"%s\",", a->id, v);
		for (i = 0; i < s->nimages; i++)
			strbuf_adds(&sb, ",other-arch");
		strbuf_adds(&sb, "\n");
		return strbuf_detach(&sb);
	}
	im = json_object();
	for (i = 0; i < s->nimages; i++)
		json_object_set_new(im, s->images[i].name,
		    json_string("other-arch"));
	o = json_pack("{s:s, s:s, s:s, s:n, s:s, s:n, s:o, s:s}", "host", host,
	    "source", source, "class", a->id, "stable_id", "value", v,
	    "image_class", "images", im, "arch", "aarch64");
	return json_line(o);
}

char *
ccpu_survey_assignment(const struct ccpu_survey *s, size_t serial,
    const char *host, const char *source, bool csv)
{
	const struct ccpu_survey_class	*c = ccpu_survey_class_by_serial(s, serial);
	const struct ccpu_survey_a64_class *a = ccpu_survey_a64_class_by_serial(s,
	    serial);
	struct strbuf			 sb = STRBUF_INIT;
	char				 v[CCPU_VALUE_MAX];
	json_t				*o, *im;
	size_t				 i;

	if (a != NULL && s->finished)
		return a64_assignment(s, a, host, source, csv);
	if (c == NULL || !s->finished)
		return NULL;
	ccpu_jvm_format_value(s->layout, &c->used, v, sizeof(v));
	if (csv) {
		esc_csv(&sb, host);
		strbuf_adds(&sb, ",");
		esc_csv(&sb, source);
		strbuf_addf(&sb, ",%s,%s,\"%s\",", c->id, c->stable_id, v);
		if (c->image_class >= 0)
			strbuf_addf(&sb, "%d", c->image_class + 1);
		for (i = 0; i < s->nimages; i++)
			strbuf_addf(&sb, ",%s",
			    restore_name(s->images[i].restore[c->index]));
		strbuf_adds(&sb, "\n");
		return strbuf_detach(&sb);
	}
	im = json_object();
	for (i = 0; i < s->nimages; i++)
		json_object_set_new(im, s->images[i].name, json_string(
		    restore_name(s->images[i].restore[c->index])));
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "host", host,
	    "source", source, "class", c->id, "stable_id", c->stable_id,
	    "value", v, "image_class", c->image_class >= 0 ?
	    json_integer(c->image_class + 1) : json_null(), "images", im);
	return json_line(o);	/* NULL: a name that is not UTF-8 */
}

/* YAML ------------------------------------------------------------------ */

/* A scalar: plain when it cannot be read as anything but a string. */
static void
yaml_scalar(struct strbuf *sb, const char *s)
{
	const char	*p;
	char		*q, buf[1024];
	json_t		*j;
	bool		 plain = *s != '\0' && strchr("-?:,[]{}#&*!|>'\"%@`0123456789.", *s) == NULL &&
	    strcmp(s, "true") != 0 && strcmp(s, "false") != 0 &&
	    strcmp(s, "null") != 0 && strcmp(s, "yes") != 0 && strcmp(s, "no") != 0;

	for (p = s; plain && *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("._/-", *p) != NULL))
			plain = false;
	if (plain) {
		strbuf_adds(sb, s);
		return;
	}
	/* A JSON string is a YAML double-quoted scalar. */
	if ((j = json_string(s)) == NULL)	/* not UTF-8: escaped first */
		j = json_string(esc_str(buf, sizeof(buf), s));
	q = j != NULL ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	strbuf_adds(sb, q != NULL ? q : "\"\"");
	free(q);
}

void
survey_yaml_emit(struct strbuf *sb, const json_t *v, int indent, bool in_seq)
{
	const char	*key;
	json_t		*x;
	size_t		 i;
	bool		 first = true;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, x) {
			if (!(first && in_seq))
				strbuf_addf(sb, "%*s", indent, "");
			first = false;
			yaml_scalar(sb, key);
			strbuf_adds(sb, ":");
			if ((json_is_object(x) && json_object_size(x) == 0) ||
			    (json_is_array(x) && json_array_size(x) == 0)) {
				strbuf_adds(sb, json_is_object(x) ? " {}\n" : " []\n");
			} else if (json_is_object(x) || json_is_array(x)) {
				strbuf_adds(sb, "\n");
				survey_yaml_emit(sb, x, indent + 2, false);
			} else {
				strbuf_adds(sb, " ");
				survey_yaml_emit(sb, x, 0, false);
			}
		}
	} else if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++) {
			x = json_array_get(v, i);
			strbuf_addf(sb, "%*s- ", indent, "");
			if (json_is_object(x))
				survey_yaml_emit(sb, x, indent + 2, true);
			else
				survey_yaml_emit(sb, x, 0, false);
		}
	} else if (json_is_string(v)) {
		yaml_scalar(sb, json_string_value(v));
		strbuf_adds(sb, "\n");
	} else {
		char	*t = json_dumps(v, JSON_ENCODE_ANY);

		strbuf_addf(sb, "%s\n", t != NULL ? t : "null");
		free(t);
	}
}

char *
ccpu_survey_yaml(const struct ccpu_survey *s)
{
	struct strbuf	 sb = STRBUF_INIT;
	json_t		*aff, *doc;
	char		 v[CCPU_VALUE_MAX], why[256];
	unsigned long	 yes;
	size_t		 i, k;
	bool		 by_labels;

	if (!s->finished || (s->nfd_hosts == 0 && s->a64_hosts == 0))
		return NULL;
	for (i = 0; s->nfd_hosts > 0 && i <= s->nimages; i++) {
		/* i == 0: the fleet-wide value; then each --image. */
		aff = ccpu_survey_affinity(s, i == 0 ? (size_t)-1 : i - 1,
		    &by_labels);
		if (aff == NULL)
			continue;
		for (yes = 0, k = 0; k < s->nclasses; k++) {
			struct ccpu_featset	miss;

			if (i == 0) {
				ccpu_featset_minus(&miss, &s->plan, &s->classes[k]->used);
				if (ccpu_featset_empty(&miss))
					yes += s->classes[k]->nfd_hosts;
			} else if (s->images[i - 1].restore[k] == CCPU_RESTORE_YES)
				yes += s->classes[k]->nfd_hosts;
		}
		ccpu_jvm_format_value(s->layout, i == 0 ? &s->plan :
		    &s->images[i - 1].value, v, sizeof(v));
		strbuf_adds(&sb, "---\n# crac-cpu survey (layout ");
		strbuf_adds(&sb, ccpu_layout_name(s->layout));
		strbuf_adds(&sb, "): the pod's affinity to restore ");
		if (i == 0)
			strbuf_adds(&sb, "an image checkpointed with the fleet-wide value");
		else {
			strbuf_adds(&sb, "image ");
			esc_adds(&sb, s->images[i - 1].name);
		}
		strbuf_addf(&sb, "\n# %s: selects %lu of %lu Kubernetes nodes, "
		    "by %s\n", v, yes, s->nfd_hosts, by_labels ? "labels" :
		    "host name");
		if (!by_labels && ccpu_survey_affinity_why(s, i == 0 ?
		    (size_t)-1 : i - 1, why, sizeof(why)) != NULL)
			strbuf_addf(&sb, "# not by labels: %s\n", why);
		doc = json_pack("{s:o}", "affinity", aff);
		survey_yaml_emit(&sb, doc, 0, false);
		json_decref(doc);
	}
	survey_a64_yaml(s, &sb);
	return strbuf_detach(&sb);
}
