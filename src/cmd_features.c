/*
 * crac-cpu features: the HotSpot features a CRaC JVM of one JDK line sees
 * on this host (or on a profile or dump): the raw set -XX:+ShowCPUFeatures
 * prints and the set HotSpot uses with default options, which is what an
 * image records and -Xlog:os+cpu lists.
 */
#include <err.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/jvm.h"
#include "ccpu/survey.h"
#include "ccpu/level.h"
#include "ccpu/profile.h"
#include "cmd.h"
#include "cmd_jvm.h"
#include "strbuf.h"

static int	features_main(int, char *[]);

enum format { FMT_TEXT, FMT_HOTSPOT, FMT_LIST, FMT_VALUE, FMT_JSON, FMT_NFD };

const struct cmd cmd_features = {
	"features",
	"[--jdk L | --java-home DIR] [--raw] [--format F] [-o FILE] [--host FILE]",
	"Show the CPU features a CRaC JVM derives on this host (or on the host a\n"
	"profile or dump describes), as HotSpot names them and as the\n"
	"-XX:CPUFeatures value.",
	"options:\n"
	"  --jdk L             the JVM layout or JDK (names below); default: the\n"
	"                      JDK of $JAVA_HOME or on PATH, else x17\n"
	"  --java-home DIR     take the JDK version from DIR/release\n"
	"  --raw               the raw set (-XX:+ShowCPUFeatures \"This machine's\n"
	"                      CPU features\") instead of the set HotSpot uses with\n"
	"                      default options (what an image records)\n"
	"  --format F          text (default): a summary\n"
	"                      hotspot: the names exactly as -Xlog:os+cpu prints\n"
	"                        them after \"microcode 0x..., \", one line\n"
	"                      list: one name per line (glibc-only ones included)\n"
	"                      value: the -XX:CPUFeatures value, 0x...,0x...\n"
	"                      json: everything (schema ccpu-features/1)\n"
	"                      nfd: a Node Feature Discovery feature file: one\n"
	"                        label crac-cpu.LAYOUT.FEATURE=true per feature\n"
	"                        the JVM uses, and crac-cpu.LAYOUT.class=ID (the\n"
	"                        survey's stable class id); for\n"
	"                        /etc/kubernetes/node-feature-discovery/features.d/\n"
	"  -o, --output FILE   write to FILE (atomically) instead of standard output\n"
	"  --host FILE         another host instead of this one: a profile or dump\n"
	"                      (as crac-cpu probe --host reads it); - is stdin\n"
	"                      (a FILE operand or --from FILE: the same, as earlier\n"
	"                      versions spelt it)\n"
	"  -h, --help          show this help\n"
	"\nA host with several core types gets the features common to all of them.\n"
	"On an aarch64 host (or its /proc/cpuinfo) --jdk names an aarch64 layout\n"
	"(a17, the default, to a63: crac-cpu layouts); no --raw.  There nfd\n"
	"labels the facts too: crac-cpu.aarch64.hwcap=0x.., .hwcap2=0x..,\n"
	".cores=N and .coreI.midr=0x.. per core type, from which the survey\n"
	"derives the host in any layout; then layout a63's (or --jdk's) labels.\n"
	"\nexit status: 0 done, 2 usage, input or system error\n",
	features_main,
	CMD_OPT_JDK | CMD_OPT_HOST | CMD_OPT_FORMAT | CMD_OPT_OUTPUT,
	(const char *const[]){
		[FMT_TEXT] = "text", [FMT_HOTSPOT] = "hotspot",
		[FMT_LIST] = "list", [FMT_VALUE] = "value", [FMT_JSON] = "json",
		[FMT_NFD] = "nfd", NULL,
	},
};


struct report {
	const struct ccpu_layout	*layout;
	const char			*jdk;
	const struct ccpu_profile	*host;
	struct ccpu_jvm_features	 jf;
	bool				 raw;
	struct ccpu_level		 cpu_level, jvm_level;
};

/*
 * The set a format shows: raw, or what an image records (from x26a on
 * without ht); hotspot_list() is the JVM's own -Xlog:os+cpu list, of
 * _features, which keeps ht.
 */
static const struct ccpu_featset *
selected(const struct report *r)
{
	return r->raw ? &r->jf.raw : &r->jf.recorded;
}

static const struct ccpu_featset *
hotspot_set(const struct report *r)
{
	return r->raw ? &r->jf.raw : &r->jf.used;
}

static void
level_of_host(const struct ccpu_profile *p, struct ccpu_level *out)
{
	struct ccpu_level	one;
	unsigned int		i;

	for (i = 0; i < p->ntypes; i++) {
		ccpu_level_cpu(&p->types[i], &one);
		if (i == 0 || one.level < out->level)
			*out = one;
	}
}

static void
missing_inputs(const struct ccpu_profile *p, struct strbuf *sb)
{
	unsigned int	m = ccpu_profile_missing(p), bit;
	int		n = 0;

	for (bit = 1; bit <= CCPU_MISS_ALL; bit <<= 1)
		if ((m & bit) != 0 && ccpu_miss_name(bit) != NULL)
			strbuf_addf(sb, "%s%s", n++ > 0 ? ", " : "",
			    ccpu_miss_name(bit));
}

static void
level_text(struct strbuf *sb, const struct ccpu_level *lv)
{
	size_t	i;

	strbuf_adds(sb, ccpu_level_name(lv->level));
	if (lv->level < CCPU_LEVEL_MAX && lv->nmissing > 0) {
		strbuf_addf(sb, " (%s needs ", ccpu_level_name(lv->level + 1));
		for (i = 0; i < lv->nmissing; i++)
			strbuf_addf(sb, "%s%s", i > 0 ? ", " : "", lv->missing[i]);
		strbuf_adds(sb, ")");
	}
	if (lv->uncertain)
		strbuf_adds(sb, " [next level not checkable: inputs missing]");
}

static char *
render_text(const struct report *r)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct ccpu_featset	 hs, gl, cleared;
	struct ccpu_ident	 id;
	char			 v[CCPU_VALUE_MAX];

	ccpu_cpu_ident(&r->host->types[0], &id);
	strbuf_addf(&sb, "layout    %s: %s%s\n", ccpu_layout_name(r->layout),
	    ccpu_layout_summary(r->layout), r->jdk == NULL ?
	    " (the default; name the JDK with --jdk)" : "");
	strbuf_addf(&sb, "cpu       %s family %u model %u stepping %u%s%s%s\n",
	    id.vendor, id.family, id.model, id.stepping,
	    id.brand[0] != '\0' ? ", \"" : "", id.brand,
	    id.brand[0] != '\0' ? "\"" : "");
	if (r->host->ntypes > 1)
		strbuf_addf(&sb, "          %u core types: features common to "
		    "all\n", r->host->ntypes);
	ccpu_jvm_format_value(r->layout, &r->jf.recorded, v, sizeof(v));
	strbuf_addf(&sb, "used      %s (HotSpot with default options; an "
	    "image records this)\n", v);
	ccpu_jvm_format_value(r->layout, &r->jf.raw, v, sizeof(v));
	strbuf_addf(&sb, "raw       %s (-XX:+ShowCPUFeatures \"This machine's "
	    "CPU features\")\n", v);

	ccpu_layout_printed(r->layout, &hs);
	ccpu_featset_and(&hs, selected(r));
	ccpu_featset_minus(&gl, selected(r), &hs);
	strbuf_addf(&sb, "%-9s ", r->raw ? "raw" : "hotspot");
	cmd_jvm_names_text(&sb, r->layout, &hs);
	strbuf_adds(&sb, "\n");
	if (!ccpu_featset_empty(&gl)) {
		strbuf_adds(&sb, "glibc     ");
		cmd_jvm_names_text(&sb, r->layout, &gl);
		strbuf_adds(&sb, "\n");
	}
	ccpu_featset_minus(&cleared, &r->jf.raw, &r->jf.used);
	if (!ccpu_featset_empty(&cleared)) {
		strbuf_adds(&sb, "cleared   ");
		cmd_jvm_names_text(&sb, r->layout, &cleared);
		strbuf_addf(&sb, " (HotSpot defaults: UseAVX=%d)\n",
		    r->jf.use_avx);
	}
	if (!ccpu_featset_empty(&r->jf.unknown)) {
		strbuf_adds(&sb, "unknown   ");
		cmd_jvm_names_text(&sb, r->layout, &r->jf.unknown);
		strbuf_adds(&sb, " (the source lacks ");
		missing_inputs(r->host, &sb);
		strbuf_adds(&sb, ")\n");
	}
	if (!ccpu_featset_empty(&r->jf.inferred)) {
		strbuf_adds(&sb, "inferred  ");
		cmd_jvm_names_text(&sb, r->layout, &r->jf.inferred);
		strbuf_adds(&sb, " (XCR0 inferred from CPUID leaf 0xD)\n");
	}
	strbuf_adds(&sb, "level     cpu ");
	level_text(&sb, &r->cpu_level);
	strbuf_adds(&sb, "\n          jvm ");
	level_text(&sb, &r->jvm_level);
	strbuf_adds(&sb, "\n");
	return strbuf_detach(&sb);
}

static json_t *
level_json(const struct ccpu_level *lv)
{
	json_t	*o = json_object(), *arr = json_array();
	size_t	 i;

	json_object_set_new(o, "level", json_integer(lv->level));
	json_object_set_new(o, "name", json_string(ccpu_level_name(lv->level)));
	for (i = 0; i < lv->nmissing; i++)
		json_array_append_new(arr, json_string(lv->missing[i]));
	json_object_set_new(o, "missing_for_next", arr);
	json_object_set_new(o, "uncertain", json_boolean(lv->uncertain));
	return o;
}

static char *
render_json(const struct report *r)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct ccpu_featset	 printed, cleared;
	json_t			*root, *o, *inputs;
	unsigned int		 m, bit;
	char			*s;

	root = json_object();
	json_object_set_new(root, "schema", json_string("ccpu-features/1"));
	json_object_set_new(root, "arch", json_string(ccpu_profile_arch(r->host)));
	json_object_set_new(root, "layout",
	    json_string(ccpu_layout_name(r->layout)));
	json_object_set_new(root, "jdk", r->jdk != NULL ? json_string(r->jdk) :
	    json_null());
	json_object_set_new(root, "source", json_string(r->host->source));
	json_object_set_new(root, "core_types", json_integer(r->host->ntypes));
	json_object_set_new(root, "selected", json_string(r->raw ? "raw" :
	    "used"));
	o = ccpu_jvm_value_json(r->layout, &r->jf.recorded);
	ccpu_layout_printed(r->layout, &printed);
	ccpu_featset_and(&printed, &r->jf.used);
	json_object_set_new(o, "hotspot", ccpu_jvm_names_json(r->layout,
	    &printed));
	json_object_set_new(root, "used", o);
	o = ccpu_jvm_value_json(r->layout, &r->jf.raw);
	ccpu_layout_printed(r->layout, &printed);
	ccpu_featset_and(&printed, &r->jf.raw);
	json_object_set_new(o, "hotspot", ccpu_jvm_names_json(r->layout,
	    &printed));
	json_object_set_new(root, "raw", o);
	ccpu_featset_minus(&cleared, &r->jf.raw, &r->jf.used);
	json_object_set_new(root, "cleared", ccpu_jvm_names_json(r->layout,
	    &cleared));
	json_object_set_new(root, "unknown", ccpu_jvm_names_json(r->layout,
	    &r->jf.unknown));
	json_object_set_new(root, "inferred", ccpu_jvm_names_json(r->layout,
	    &r->jf.inferred));
	json_object_set_new(root, "use_avx", json_integer(r->jf.use_avx));
	json_object_set_new(root, "use_sse", json_integer(r->jf.use_sse));
	inputs = json_array();
	m = ccpu_profile_missing(r->host);
	for (bit = 1; bit <= CCPU_MISS_ALL; bit <<= 1)
		if ((m & bit) != 0 && ccpu_miss_name(bit) != NULL)
			json_array_append_new(inputs,
			    json_string(ccpu_miss_name(bit)));
	json_object_set_new(root, "missing_inputs", inputs);
	o = json_object();
	json_object_set_new(o, "cpu", level_json(&r->cpu_level));
	json_object_set_new(o, "jvm", level_json(&r->jvm_level));
	json_object_set_new(root, "level", o);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	strbuf_adds(&sb, s);
	strbuf_adds(&sb, "\n");
	free(s);
	return strbuf_detach(&sb);
}

static char *
render(const struct report *r, enum format fmt)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct ccpu_featset	 printed;
	char			 v[CCPU_VALUE_MAX], name[64], id[12];
	int			 bit;

	switch (fmt) {
	case FMT_TEXT:
		return render_text(r);
	case FMT_JSON:
		return render_json(r);
	case FMT_HOTSPOT:
		ccpu_layout_printed(r->layout, &printed);
		ccpu_featset_and(&printed, hotspot_set(r));
		cmd_jvm_names_text(&sb, r->layout, &printed);
		strbuf_adds(&sb, "\n");
		break;
	case FMT_LIST:
		for (bit = ccpu_featset_next(selected(r), 0); bit >= 0;
		    bit = ccpu_featset_next(selected(r), (unsigned int)bit + 1))
			strbuf_addf(&sb, "%s\n", ccpu_layout_bit_label(r->layout,
			    (unsigned int)bit, name, sizeof(name)));
		break;
	case FMT_VALUE:
		ccpu_jvm_format_value(r->layout, selected(r), v, sizeof(v));
		strbuf_addf(&sb, "%s\n", v);
		break;
	case FMT_NFD:
		ccpu_survey_stable_id(r->layout, &r->jf.used, &r->jf.unknown, id,
		    sizeof(id));
		ccpu_jvm_format_value(r->layout, &r->jf.used, v, sizeof(v));
		strbuf_addf(&sb, "# crac-cpu features --format nfd: the JVM "
		    "features of layout %s on this node\n# (value %s); read by "
		    "crac-cpu survey from the node's labels\n",
		    ccpu_layout_name(r->layout), v);
		strbuf_addf(&sb, "crac-cpu.%s.class=%s\n",
		    ccpu_layout_name(r->layout), id);
		for (bit = ccpu_featset_next(&r->jf.used, 0); bit >= 0;
		    bit = ccpu_featset_next(&r->jf.used, (unsigned int)bit + 1))
			strbuf_addf(&sb, "crac-cpu.%s.%s=true\n",
			    ccpu_layout_name(r->layout), ccpu_layout_bit_label(
			    r->layout, (unsigned int)bit, name, sizeof(name)));
		break;
	}
	return strbuf_detach(&sb);
}

/*
 * The features document of an aarch64 host: the members x86-64's has that
 * mean the same (no raw set, levels, UseAVX or CPUID inputs), "hotspot"
 * (the names HotSpot prints, in its order) and, when the layout numbers a
 * -XX:CPUFeatures value, "used" as a one-word value object with the same
 * "hotspot" as x86-64's.
 */
static void
json_a64(struct strbuf *sb, const struct ccpu_profile *p,
    const struct ccpu_a64_layout *l, const char *jdk,
    const struct ccpu_featset *fs)
{
	json_t	*root = json_object(), *o;
	char	 buf[1024], *s, *tok, *save;

	json_object_set_new(root, "schema", json_string("ccpu-features/1"));
	json_object_set_new(root, "arch", json_string(ccpu_profile_arch(p)));
	json_object_set_new(root, "layout",
	    json_string(ccpu_a64_layout_name(l)));
	json_object_set_new(root, "jdk", jdk != NULL ? json_string(jdk) :
	    json_null());
	json_object_set_new(root, "source", json_string(p->source));
	json_object_set_new(root, "core_types", json_integer(p->a64.ncores));
	json_object_set_new(root, "selected", json_string("used"));
	o = json_array();
	ccpu_a64_format_names(l, fs, " ", buf, sizeof(buf));
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		json_array_append_new(o, json_string(tok));
	json_object_set_new(root, "hotspot", o);
	if (ccpu_a64_layout_has_value(l)) {
		o = ccpu_a64_value_json(l, fs);
		json_object_set_new(o, "hotspot", json_deep_copy(
		    json_object_get(root, "hotspot")));
		json_object_set_new(root, "used", o);
	}
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	strbuf_adds(sb, s);
	strbuf_adds(sb, "\n");
	free(s);
}

/* Every core type's MIDR is known: a53mac can be told. */
static bool
a64_midrs_known(const struct ccpu_a64_cpu *c)
{
	unsigned int	i;

	for (i = 0; i < c->ncores; i++)
		if (c->cores[i].midr == 0)
			return false;
	return c->ncores > 0;
}

/*
 * An aarch64 host: the features of an aarch64 layout (--jdk a17 ... a63,
 * or a JDK name of one; JDK 17's HotSpot list by default, a63 for nfd).
 * The raw set x86-64 has is refused: HotSpot clears nothing of what the
 * HWCAP words give.  nfd labels the facts the survey derives the host
 * from (ccpu_a64_nfd_labels), so it needs every core type's MIDR.
 */
static int
features_a64(const struct ccpu_profile *p, bool live, const char *jdk,
    const char *java_home, bool raw, enum format fmt, const char *output)
{
	const struct ccpu_a64_layout	*l;
	struct ccpu_featset		 fs;
	struct ccpu_error		 e;
	struct strbuf			 sb = STRBUF_INIT;
	char				 buf[1024], v[32], *text;
	const char			*name;
	int				 bit, rc;

	if (java_home != NULL) {
		warnx("features: an aarch64 host: --java-home does not tell "
		    "an aarch64 layout; name it with --jdk (crac-cpu layouts)");
		return STATUS_ERROR;
	}
	/* nfd labels the facts: the layout is for people; a CRaC one. */
	if ((l = ccpu_a64_layout_lookup(jdk != NULL ? jdk : fmt == FMT_NFD ?
	    "a63" : "a17", &e)) == NULL) {
		warnx("features: an aarch64 host: %s", e.msg);
		return STATUS_ERROR;
	}
	if (raw) {
		warnx("features: an aarch64 host: --raw is x86-64's only");
		return STATUS_ERROR;
	}
	if (fmt == FMT_NFD && !a64_midrs_known(&p->a64)) {
		if (live)
			warnx("features: --format nfd: this host's MIDR cannot "
			    "be read (neither sysfs midr_el1 nor /proc/cpuinfo "
			    "gives it), so a53mac cannot be known; labels must "
			    "be exact");
		else
			warnx("features: --format nfd: the host's record has no "
			    "MIDR for %s, so a53mac cannot be known; labels "
			    "must be exact, so probe the node itself or read "
			    "its /proc/cpuinfo", p->a64.ncores == 0 ? "any core" :
			    "a core type");
		return STATUS_ERROR;
	}
	if (fmt == FMT_VALUE && !ccpu_a64_layout_has_value(l)) {
		warnx("features: layout %s numbers no -XX:CPUFeatures value: it "
		    "is a JDK's own HotSpot numbering, and that JDK's CRaC "
		    "builds record no CPU features on aarch64 (a20, a22 and "
		    "a63 do: crac-cpu layouts)", ccpu_a64_layout_name(l));
		return STATUS_ERROR;
	}
	ccpu_a64_derive(l, &p->a64, &fs);
	ccpu_a64_format_value(&fs, v, sizeof(v));
	switch (fmt) {
	case FMT_HOTSPOT:
		ccpu_a64_format_names(l, &fs, ", ", buf, sizeof(buf));
		strbuf_addf(&sb, "%s\n", buf);
		break;
	case FMT_LIST:
		for (bit = ccpu_featset_next(&fs, 0); bit >= 0;
		    bit = ccpu_featset_next(&fs, (unsigned int)bit + 1))
			if ((name = ccpu_a64_layout_bit_name(l,
			    (unsigned int)bit)) != NULL)
				strbuf_addf(&sb, "%s\n", name);
		break;
	case FMT_VALUE:
		strbuf_addf(&sb, "%s\n", v);
		break;
	case FMT_JSON:
		json_a64(&sb, p, l, jdk, &fs);
		break;
	case FMT_NFD:
		strbuf_addf(&sb, "# crac-cpu features --format nfd: this aarch64 "
		    "node's CPU (its HWCAP words\n# and the MIDR of each core "
		    "type), from which crac-cpu survey derives it, and\n# the "
		    "JVM features of layout %s (%s%s), for nodeAffinity\n",
		    ccpu_a64_layout_name(l), ccpu_a64_layout_has_value(l) ?
		    "value " : "HotSpot's own numbering, no value",
		    ccpu_a64_layout_has_value(l) ? v : "");
		text = ccpu_a64_nfd_labels(l, &p->a64);
		strbuf_adds(&sb, text);
		free(text);
		break;
	default:
		strbuf_addf(&sb, "layout    %s: %s%s\n", ccpu_a64_layout_name(l),
		    ccpu_a64_layout_summary(l), jdk == NULL ?
		    " (the default on aarch64; name the JDK with --jdk)" : "");
		strbuf_addf(&sb, "cpu       %s%s\n", p->codename[0] != '\0' ?
		    p->codename : "unknown (no MIDR)", p->a64.ncores > 1 ?
		    " and other core types" : "");
		if (ccpu_a64_layout_has_value(l))
			strbuf_addf(&sb, "used      %s (an image records this)\n",
			    v);
		ccpu_a64_format_names(l, &fs, ", ", buf, sizeof(buf));
		strbuf_addf(&sb, "hotspot   %s\n", buf);
		break;
	}
	rc = cmd_write_output("features", output, sb.buf != NULL ? sb.buf : "",
	    false) == 0 ? STATUS_OK : STATUS_ERROR;
	strbuf_release(&sb);
	return rc;
}

int
features_main(int argc, char *argv[])
{
	static const struct option own[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_opts		 o = CMD_OPTS_INIT;
	struct report		 r;
	struct ccpu_profile	*p;
	struct ccpu_error	 e;
	const char		*java_home, *from;
	enum format		 fmt;
	char			*text;
	int			 ch, rc;

	memset(&r, 0, sizeof(r));
	while ((ch = cmd_getopt(&cmd_features, argc, argv, own, &o)) > 0)
		r.raw = true;	/* 'r' */
	cmd_opts_release(&o);
	if (ch == -1)
		return o.status;
	r.jdk = o.jdk;
	java_home = o.java_home;
	from = o.host;
	fmt = (enum format)o.fmt;
	if (optind < argc) {
		/* A FILE operand: the spelling of earlier versions. */
		if (from != NULL || argc - optind > 1) {
			warnx("features: give one host (--host FILE)");
			return cmd_usage(&cmd_features, STATUS_ERROR);
		}
		from = argv[optind];
	}
	if ((p = cmd_load_host("features", from)) == NULL)
		return STATUS_ERROR;
	if (ccpu_profile_is_a64(p)) {
		rc = features_a64(p, from == NULL, r.jdk, java_home, r.raw, fmt,
		    o.output);
		ccpu_profile_free(p);
		return rc;
	}
	if ((r.layout = cmd_jvm_layout("features", r.jdk, java_home,
	    CMD_JVM_MAY_RUN)) == NULL) {
		ccpu_profile_free(p);
		return STATUS_ERROR;
	}
	if (java_home != NULL)
		r.jdk = java_home;
	r.host = p;
	if (ccpu_jvm_derive_host(r.layout, p, &r.jf, &e) == -1) {
		warnx("features: %s%s%s", from != NULL ? from : "",
		    from != NULL ? ": " : "", e.msg);
		ccpu_profile_free(p);
		return STATUS_ERROR;
	}
	level_of_host(p, &r.cpu_level);
	ccpu_level_jvm(r.layout, selected(&r), &r.jf.unknown, &r.jvm_level);
	if (fmt == FMT_NFD && (r.raw || !ccpu_featset_empty(&r.jf.unknown))) {
		char	names[1024];

		if (r.raw)
			warnx("features: --format nfd labels what the JVM uses; "
			    "it takes no --raw");
		else {
			ccpu_jvm_format_names(r.layout, &r.jf.unknown, names,
			    sizeof(names));
			warnx("features: --format nfd: the host's record cannot "
			    "show %s; labels must be exact, so probe the node "
			    "itself", names);
		}
		ccpu_profile_free(p);
		return STATUS_ERROR;
	}
	text = render(&r, fmt);
	rc = cmd_write_output("features", o.output, text, false) == 0 ? STATUS_OK :
	    STATUS_ERROR;
	free(text);
	ccpu_profile_free(p);
	return rc;
}
