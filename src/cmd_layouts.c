/*
 * crac-cpu layouts: the CRaC JVM bit layouts, the JDK and build names that
 * select them, and their generic values; --identify runs a JVM to tell its
 * layout (cmd_jdk.c).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/jvm.h"
#include "cmd.h"
#include "cmd_jvm.h"
#include "strbuf.h"
#include "xmalloc.h"


static int	layouts_main(int, char *[]);

const struct cmd cmd_layouts = {
	"layouts",
	"[--format text|json] [--identify [JAVA_HOME | JAVA]]",
	"List the CPU feature bit layouts of CRaC JDK lines, the JDK and build\n"
	"names that select them (--jdk), and their -XX:CPUFeatures=generic values;\n"
	"or tell which layout a JVM uses by running it.",
	"options:\n"
	"  --format FORMAT     text (default) or json\n"
	"  --identify          run the JVM of JAVA_HOME or JAVA (default:\n"
	"                      $JAVA_HOME, then java on PATH) with\n"
	"                      -XX:+ShowCPUFeatures and tell its layout from the\n"
	"                      value it prints for this CPU\n"
	"  -h, --help          show this help\n"
	"\nThe default layout, used when no --jdk or --java-home is given, is\n"
	"marked; docs/layouts.md gives the evidence for every entry.\n"
	"\nexit status: 0 done (--identify: exactly one layout fits), 1 no\n"
	"layout fits, 2 usage error, not a CRaC JDK, cannot run, or more than\n"
	"one layout fits\n",
	layouts_main,
	CMD_OPT_FORMAT,
	text_json,
};

static void
builds_of(const struct ccpu_layout *l, struct strbuf *sb)
{
	const struct ccpu_jdk_build	*b;
	size_t				 i, n = 0;

	for (i = 0; (b = ccpu_jdk_build_at(i)) != NULL; i++)
		if (strcmp(b->layout, ccpu_layout_name(l)) == 0)
			strbuf_addf(sb, "%s%s", n++ == 0 ? "" : ", ", b->name);
	if (n == 0)
		strbuf_adds(sb, "(by layout name only)");
}

/*
 * The aarch64 layouts (data/a64-layouts.def): one word, no glibc word, no
 * generic (the JVM refuses it), exactly one of paca and notpaca.
 */
static void
a64_text(struct strbuf *sb)
{
	const struct ccpu_a64_layout	*l;
	size_t				 i;

	strbuf_adds(sb, "\naarch64 (one 64-bit word; no glibc word):\n");
	for (i = 0; (l = ccpu_a64_layout_at(i)) != NULL; i++) {
		strbuf_addf(sb, "%-10s %s\n", ccpu_a64_layout_name(l),
		    ccpu_a64_layout_summary(l));
		strbuf_addf(sb, "           --jdk: %s\n",
		    ccpu_a64_layout_jdks(l)[0] != '\0' ?
		    ccpu_a64_layout_jdks(l) : "(by layout name only)");
		if (ccpu_a64_layout_has_value(l))
			strbuf_addf(sb, "           generic: refused (\"%s\"); "
			    "notpaca=%d\n", ccpu_a64_generic_refused,
			    ccpu_a64_layout_notpaca(l));
		else
			strbuf_adds(sb, "           no -XX:CPUFeatures value (HotSpot's "
			    "own numbering: that JDK's CRaC records no CPU "
			    "features on aarch64)\n");
	}
}

static json_t *
a64_json(void)
{
	const struct ccpu_a64_layout	*l;
	json_t				*arr = json_array(), *o, *bits, *bo;
	const char			*name;
	unsigned int			 bit;
	size_t				 i;

	for (i = 0; (l = ccpu_a64_layout_at(i)) != NULL; i++) {
		o = json_object();
		json_object_set_new(o, "name", json_string(ccpu_a64_layout_name(l)));
		json_object_set_new(o, "summary",
		    json_string(ccpu_a64_layout_summary(l)));
		json_object_set_new(o, "jdks", json_string(ccpu_a64_layout_jdks(l)));
		json_object_set_new(o, "value",
		    json_boolean(ccpu_a64_layout_has_value(l)));
		json_object_set_new(o, "words", json_integer(1));
		bits = json_array();
		for (bit = 0; bit < 64; bit++) {
			if ((name = ccpu_a64_layout_bit_name(l, bit)) == NULL)
				continue;
			bo = json_object();
			json_object_set_new(bo, "bit", json_integer(bit));
			json_object_set_new(bo, "name", json_string(name));
			json_array_append_new(bits, bo);
		}
		json_object_set_new(o, "bits", bits);
		json_array_append_new(arr, o);
	}
	return arr;
}

static char *
render_text(void)
{
	struct strbuf			 sb = STRBUF_INIT;
	const struct ccpu_layout	*l;
	const struct ccpu_jdk_build	*b;
	char				 v[CCPU_VALUE_MAX];
	size_t				 i;

	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++) {
		strbuf_addf(&sb, "%-10s %s%s\n", ccpu_layout_name(l),
		    ccpu_layout_summary(l),
		    l == ccpu_layout_default() ? " [default]" : "");
		strbuf_adds(&sb, "           --jdk: ");
		builds_of(l, &sb);
		ccpu_jvm_format_value(l, ccpu_layout_generic(l), v, sizeof(v));
		strbuf_addf(&sb, "\n           generic: %s\n", v);
	}
	strbuf_adds(&sb, "\ncaveats:\n");
	for (i = 0; (b = ccpu_jdk_build_at(i)) != NULL; i++)
		if (b->caveat != NULL)
			strbuf_addf(&sb, "  --jdk %s: %s\n", b->name, b->caveat);
	a64_text(&sb);
	return strbuf_detach(&sb);
}

static json_t *
value_json(const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	char	v[CCPU_VALUE_MAX];

	ccpu_jvm_format_value(l, fs, v, sizeof(v));
	return json_string(v);
}

static char *
render_json(void)
{
	const struct ccpu_layout	*l;
	const struct ccpu_jdk_build	*b;
	json_t				*root, *arr, *o, *bits, *bo;
	const char			*name;
	char				*s;
	size_t				 i;
	unsigned int			 bit;

	root = json_object();
	json_object_set_new(root, "schema", json_string("ccpu-layouts/1"));
	json_object_set_new(root, "default",
	    json_string(ccpu_layout_name(ccpu_layout_default())));
	arr = json_array();
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++) {
		o = json_object();
		json_object_set_new(o, "name", json_string(ccpu_layout_name(l)));
		json_object_set_new(o, "bits_of", json_string(ccpu_layout_name(
		    ccpu_layout_by_id(ccpu_layout_id(l)))));
		json_object_set_new(o, "summary",
		    json_string(ccpu_layout_summary(l)));
		json_object_set_new(o, "glibc_word",
		    json_boolean(ccpu_layout_glibc_word(l)));
		json_object_set_new(o, "words", json_integer(CCPU_JVM_WORDS));
		json_object_set_new(o, "generic",
		    value_json(l, ccpu_layout_generic(l)));
		json_object_set_new(o, "mandatory",
		    value_json(l, ccpu_layout_mandatory(l)));
		json_object_set_new(o, "ignored",
		    value_json(l, ccpu_layout_ignored(l)));
		bits = json_array();
		for (bit = 0; bit < 64 * CCPU_JVM_WORDS; bit++) {
			if ((name = ccpu_layout_bit_name(l, bit)) == NULL)
				continue;
			bo = json_object();
			json_object_set_new(bo, "bit", json_integer(bit));
			json_object_set_new(bo, "name", json_string(name));
			json_object_set_new(bo, "kind", json_string(
			    ccpu_featset_has(ccpu_layout_glibc(l), bit) ?
			    "glibc" : "hotspot"));
			json_array_append_new(bits, bo);
		}
		json_object_set_new(o, "bits", bits);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "layouts", arr);
	arr = json_array();
	for (i = 0; (b = ccpu_jdk_build_at(i)) != NULL; i++) {
		o = json_object();
		json_object_set_new(o, "name", json_string(b->name));
		json_object_set_new(o, "layout", json_string(b->layout));
		json_object_set_new(o, "caveat", b->caveat != NULL ?
		    json_string(b->caveat) : json_null());
		json_object_set_new(o, "evidence", json_string(b->evidence));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "builds", arr);
	json_object_set_new(root, "aarch64", a64_json());
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return s;
}

int
layouts_main(int argc, char *argv[])
{
	static const struct option own[] = {
		{ "identify", no_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_opts	 o = CMD_OPTS_INIT;
	char		*text;
	int		 ch, rc;
	bool		 identify = false;

	while ((ch = cmd_getopt(&cmd_layouts, argc, argv, own, &o)) > 0)
		identify = true;	/* 'I' */
	cmd_opts_release(&o);
	if (ch == -1)
		return o.status;
	if (identify && argc - optind <= 1)
		return cmd_layouts_identify(optind < argc ? argv[optind] : NULL,
		    o.fmt == 1);
	if (optind != argc) {
		warnx("layouts: unexpected argument '%s'", argv[optind]);
		return cmd_usage(&cmd_layouts, STATUS_ERROR);
	}
	if (o.fmt == 0)
		text = render_text();
	else {
		struct strbuf	sb = STRBUF_INIT;
		char		*j = render_json();

		strbuf_adds(&sb, j);
		strbuf_adds(&sb, "\n");
		free(j);
		text = strbuf_detach(&sb);
	}
	rc = cmd_write_output("layouts", NULL, text, false) == 0 ? STATUS_OK :
	    STATUS_ERROR;
	free(text);
	return rc;
}
