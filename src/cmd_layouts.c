/*
 * crac-cpu layouts: the CRaC JVM bit layouts, the JDK and build names that
 * select them, and their generic values.  Also the one place the CLI turns
 * --jdk / --java-home into a layout (cmd_jvm_layout).
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
};

/* "JAVA_VERSION 25.0.1, Azul Systems, Inc." for notes. */
static void
release_words(const struct ccpu_jdk_release *r, char *buf, size_t size)
{
	snprintf(buf, size, "JAVA_VERSION %s%s%s", r->java_version,
	    r->implementor[0] != '\0' ? ", " : "", r->implementor);
}

/* Why home has no release file to read (stat follows links, never blocks). */
static const char *
why_unreadable(const char *home)
{
	struct stat	 st;
	char		*path;
	int		 rc;

	if (stat(home, &st) == -1)
		return "no such JDK directory";
	path = xasprintf("%s/release", home);
	rc = stat(path, &st);
	free(path);
	if (rc == -1)
		return "no release file";
	if (S_ISFIFO(st.st_mode))
		return "a FIFO, not a regular file";
	if (S_ISDIR(st.st_mode))
		return "a directory, not a regular file";
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	return st.st_size == 0 ? "empty" : "unreadable or larger than 64 KiB";
}

/*
 * The layout of the JDK in home from its release file: a vendor row, then
 * the version.  Where that leaves more than one layout and may_run, the JVM
 * is run to tell (never on the restore path).  NULL after a warning; with
 * quiet_no_crac, a home whose release names no CRaC line or cannot be read
 * is *skip instead (for the default chain).
 */
static const struct ccpu_layout *
layout_of_home(const char *cmdname, const char *home, const char *from,
    bool may_run, bool *skip, char *why, size_t size)
{
	const struct ccpu_layout	*l;
	struct ccpu_jdk_release		 r;
	struct ccpu_error		 e;
	const char			*ev;
	char				*rel, words[256], how[512];

	if (skip != NULL)
		*skip = false;
	rel = cmd_read_release(home);
	if (rel[0] == '\0') {
		free(rel);
		if (skip != NULL) {
			*skip = true;
			return NULL;
		}
		warnx("%s: '%s/release': %s", cmdname, home, why_unreadable(home));
		return NULL;
	}
	ccpu_jdk_release_parse(rel, strlen(rel), &r);
	free(rel);
	release_words(&r, words, sizeof(words));
	if ((l = ccpu_layout_from_jdk_release(&r, &ev, &e)) != NULL) {
		warnx("%s: note: layout %s from %s/release (%s%s%s)", cmdname,
		    ccpu_layout_name(l), home, words, ev != NULL ? "; " : "",
		    ev != NULL ? ev : "");
		if (why != NULL)
			snprintf(why, size, "%s %s: release file (%s)", from,
			    home, words);
		return l;
	}
	/* A JDK without a CRaC line (11, 1.8) is no evidence for the default. */
	if (skip != NULL && strstr(e.msg, "no CRaC CPU feature layout") != NULL) {
		*skip = true;
		return NULL;
	}
	if (may_run && r.java_version[0] != '\0') {
		if ((l = cmd_identify_layout(cmdname, home, how,
		    sizeof(how))) == NULL) {
			warnx("%s: '%s/release': %s (running its JVM did not "
			    "tell either)", cmdname, home, e.msg);
			return NULL;
		}
		warnx("%s: note: layout %s for %s (%s): %s", cmdname,
		    ccpu_layout_name(l), home, words, how);
		if (why != NULL)
			snprintf(why, size, "%s %s (%s): %s", from, home, words,
			    how);
		return l;
	}
	warnx("%s: '%s/release' (%s): %s", cmdname, home, from, e.msg);
	return NULL;
}

const struct ccpu_layout *
cmd_jvm_layout(const char *cmdname, const char *jdk, const char *java_home,
    unsigned int flags)
{
	return cmd_jvm_layout_why(cmdname, jdk, java_home, flags, NULL, 0);
}

const struct ccpu_layout *
cmd_jvm_layout_why(const char *cmdname, const char *jdk, const char *java_home,
    unsigned int flags, char *why, size_t size)
{
	const struct ccpu_layout	*l;
	struct ccpu_error		 e;
	const char			*caveat, *jh;
	char				*home;
	bool				 skip, may_run = (flags & CMD_JVM_MAY_RUN) != 0;

	if (jdk != NULL && java_home != NULL) {
		warnx("%s: --jdk and --java-home exclude each other", cmdname);
		return NULL;
	}
	if (java_home != NULL)
		return layout_of_home(cmdname, java_home, "--java-home", may_run,
		    NULL, why, size);
	if (jdk != NULL) {
		if ((l = ccpu_layout_lookup(jdk, &e)) == NULL) {
			warnx("%s: %s", cmdname, e.msg);
			return NULL;
		}
		if ((caveat = ccpu_jdk_caveat(jdk)) != NULL)
			warnx("%s: note: --jdk %s means layout %s; %s", cmdname,
			    jdk, ccpu_layout_name(l), caveat);
		if (why != NULL)
			snprintf(why, size, "--jdk %s", jdk);
		return l;
	}
	/*
	 * Neither: the JDK this shell would run tells, from its release file
	 * only ($JAVA_HOME, then java on PATH), else the default; either way
	 * one line says which layout and why.
	 */
	if ((jh = getenv("JAVA_HOME")) != NULL && *jh != '\0') {
		l = layout_of_home(cmdname, jh, "$JAVA_HOME", false, &skip,
		    why, size);
		if (l != NULL || !skip)
			return l;
	}
	if ((home = cmd_java_home_on_path()) != NULL) {
		l = layout_of_home(cmdname, home, "java on PATH", false, &skip,
		    why, size);
		free(home);
		if (l != NULL || !skip)
			return l;
	}
	warnx("%s: note: layout %s, the default (no --jdk, no --java-home, and "
	    "no CRaC JDK in $JAVA_HOME or on PATH)", cmdname,
	    ccpu_layout_name(ccpu_layout_default()));
	if (why != NULL)
		snprintf(why, size, "the default");
	return ccpu_layout_default();
}


void
cmd_jvm_names_text(struct strbuf *sb, const struct ccpu_layout *l,
    const struct ccpu_featset *fs)
{
	char	name[64];
	int	bit, n = 0;

	for (bit = ccpu_featset_next(fs, 0); bit >= 0;
	    bit = ccpu_featset_next(fs, (unsigned int)bit + 1))
		strbuf_addf(sb, "%s%s", n++ > 0 ? ", " : "",
		    ccpu_layout_bit_label(l, (unsigned int)bit, name, sizeof(name)));
}

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
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return s;
}

int
layouts_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "identify", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*format = "text";
	char		*text;
	int		 ch, rc;
	bool		 identify = false;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			format = optarg;
			break;
		case 'I':
			identify = true;
			break;
		case 'h':
			return cmd_usage(&cmd_layouts, STATUS_OK);
		default:
			return cmd_usage(&cmd_layouts, STATUS_ERROR);
		}
	}
	if (cmd_format("layouts", format, text_json) == -1)
		return cmd_usage(&cmd_layouts, STATUS_ERROR);
	if (identify && argc - optind <= 1)
		return cmd_layouts_identify(optind < argc ? argv[optind] : NULL,
		    strcmp(format, "json") == 0);
	if (optind != argc) {
		warnx("layouts: unexpected argument '%s'", argv[optind]);
		return cmd_usage(&cmd_layouts, STATUS_ERROR);
	}
	if (strcmp(format, "text") == 0)
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
