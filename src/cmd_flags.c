/*
 * crac-cpu flags: the plan reduced to what a script needs.  One host (or
 * none: this one, probed live) gives its raw value; several give the plan
 * value for a checkpoint on the first that restores on the rest.
 */
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/jvm.h"
#include "ccpu/plan.h"
#include "cmd.h"
#include "cmd_jvm.h"
#include "strbuf.h"
#include "xmalloc.h"

static int	flags_main(int, char *[]);

const struct cmd cmd_flags = {
	"flags",
	"[--jdk L | --java-home DIR] [--format arg|value|env|json]\n"
	"       [BUILD [TARGET ...]]",
	"Print the -XX:CPUFeatures value for a checkpoint: this host's own value\n"
	"(no argument: probed live), one host's, or the plan value for a\n"
	"checkpoint on BUILD that restores on every TARGET (as crac-cpu plan).",
	"arguments: as for crac-cpu plan (profiles, dumps, directories of them\n"
	"  as targets, 0xN,0xN values)\n"
	"options:\n"
	"  --jdk L            the JVM layout or JDK (names below)\n"
	"  --java-home DIR    the JDK in DIR (its release file's JAVA_VERSION)\n"
	"  --format FORMAT    arg (default): -XX:CPUFeatures=0xN,0xN\n"
	"                     value: 0xN,0xN\n"
	"                     env: a shell-quoted JAVA_TOOL_OPTIONS=... line that\n"
	"                       keeps the options already in $JAVA_TOOL_OPTIONS,\n"
	"                       replacing any -XX:CPUFeatures= there\n"
	"                     json: the value, its words and feature names\n"
	"  -h, --help         show this help\n"
	"\nwarnings (mixed vendors, bits a dump cannot tell) go to standard error.\n"
	"An aarch64 layout (--jdk a20, a22 or a63) plans aarch64 hosts, as plan.\n"
	"exit status: 0 printed, 2 usage or input error\n",
	flags_main,
	CMD_OPT_JDK | CMD_OPT_FORMAT,
	(const char *const[]){ "arg", "value", "env", "json", NULL },
};

/*
 * The words of JAVA_TOOL_OPTIONS as the JVM splits them (white space
 * outside quotes), each kept verbatim with its quotes, minus any
 * -XX:CPUFeatures= option, then ours.
 */
static void
tool_options(struct strbuf *sb, const char *env, const char *opt)
{
	const char	*p = env != NULL ? env : "", *w;
	char		 q;
	size_t		 n;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		w = p;
		q = '\0';
		for (; *p != '\0'; p++) {
			if (q != '\0') {
				if (*p == q)
					q = '\0';
			} else if (*p == '\'' || *p == '"')
				q = *p;
			else if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
				break;
		}
		n = (size_t)(p - w);
		if (strncmp(w, "-XX:CPUFeatures=", 16) == 0)
			continue;
		strbuf_add(sb, w, n);
		strbuf_adds(sb, " ");
	}
	strbuf_adds(sb, opt);
}

/* 'text' with each ' written as '\''. */
static void
shell_quote(struct strbuf *sb, const char *text)
{
	const char	*p;

	strbuf_adds(sb, "'");
	for (p = text; *p != '\0'; p++) {
		if (*p == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_add(sb, p, 1);
	}
	strbuf_adds(sb, "'");
}

/*
 * The env format's line: JAVA_TOOL_OPTIONS='...' with the value's option
 * merged into what the environment holds.
 */
static void
env_line(struct strbuf *sb, const char *value)
{
	struct strbuf	opt = STRBUF_INIT;
	char		*text;

	strbuf_addf(&opt, "-XX:CPUFeatures=%s", value);
	text = strbuf_detach(&opt);
	tool_options(&opt, getenv("JAVA_TOOL_OPTIONS"), text);
	free(text);
	text = strbuf_detach(&opt);
	strbuf_adds(sb, "JAVA_TOOL_OPTIONS=");
	shell_quote(sb, text);
	strbuf_adds(sb, "\n");
	free(text);
}

/*
 * The value in format fmt (0 arg, 1 value, 2 env, 3 json) to standard
 * output or -o; the json document states arch when it is not x86-64.
 * Takes value and hosts (JSON) over.
 */
static int
flags_write(int fmt, const char *arch, const char *layout, const char *hex,
    json_t *value, json_t *hosts)
{
	struct strbuf	 sb = STRBUF_INIT;
	json_t		*doc;
	char		*text;
	int		 rc;

	if (fmt == 0)
		strbuf_addf(&sb, "-XX:CPUFeatures=%s\n", hex);
	else if (fmt == 1)
		strbuf_addf(&sb, "%s\n", hex);
	else if (fmt == 2)
		env_line(&sb, hex);
	else {
		doc = json_object();
		json_object_set_new(doc, "schema", json_string("ccpu-flags/3"));
		json_object_set_new(doc, "command", json_string("flags"));
		if (arch != NULL)
			json_object_set_new(doc, "arch", json_string(arch));
		json_object_set_new(doc, "layout", json_string(layout));
		json_object_set_new(doc, "value", value);
		json_object_set_new(doc, "hosts", hosts);
		value = hosts = NULL;
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(doc);
		strbuf_addf(&sb, "%s\n", text);
		free(text);
	}
	json_decref(value);
	json_decref(hosts);
	rc = cmd_write_output("flags", NULL, sb.buf, false) == 0 ? STATUS_OK :
	    STATUS_ERROR;
	strbuf_release(&sb);
	return rc;
}

/*
 * An aarch64 fleet (--jdk a20|a22|a63): the plan value, one word; json as
 * x86-64's with arch, a one-word value and the hosts' MIDRs for vendors.
 */
static int
flags_a64(const struct ccpu_a64_layout *l, int fmt, char *const args[],
    size_t nargs)
{
	struct plan_a64_fleet	 f;
	struct ccpu_featset	 v;
	struct ccpu_error	 e;
	char			 hex[32];
	json_t			*a;
	size_t			 i;
	int			 rc = STATUS_ERROR;

	if (plan_a64_load("flags", args, nargs, &f) == -1)
		goto out;
	if (ccpu_a64_plan(l, f.hosts, f.n, &v, &e) == -1) {
		warnx("flags: %s", e.msg);
		goto out;
	}
	ccpu_a64_format_value(&v, hex, sizeof(hex));
	a = json_array();
	for (i = 0; i < f.n; i++)
		json_array_append_new(a, plan_a64_host_json(&f, i));
	rc = flags_write(fmt, "aarch64", ccpu_a64_layout_name(l), hex,
	    ccpu_a64_value_json(l, &v), a);
out:
	plan_a64_release(&f);
	return rc;
}

static int
flags_main(int argc, char *argv[])
{
	const struct ccpu_layout *l;
	struct plan_fleet	 f;
	struct ccpu_plan	 p;
	struct ccpu_error	 e;
	struct cmd_opts		 o = CMD_OPTS_INIT;
	const char		*advice, *s, *nl;
	char			 abuf[4096];
	char			 v[CCPU_VALUE_MAX];
	json_t			*a;
	size_t			 i;
	int			 ch, rc = STATUS_ERROR;

	while ((ch = cmd_getopt(&cmd_flags, argc, argv, NULL, &o)) > 0)
		continue;
	cmd_opts_release(&o);
	if (ch == -1)
		return o.status;
	if (o.jdk != NULL && o.jdk[0] == 'a' &&
	    ccpu_a64_layout_lookup(o.jdk, NULL) != NULL)
		return flags_a64(ccpu_a64_layout_lookup(o.jdk, NULL), o.fmt,
		    argv + optind, (size_t)(argc - optind));
	if ((l = cmd_jvm_layout("flags", o.jdk, o.java_home,
	    CMD_JVM_MAY_RUN)) == NULL)
		return STATUS_ERROR;
	if (plan_fleet_load("flags", l, argv + optind, (size_t)(argc - optind),
	    &f) == -1)
		goto out;
	if (ccpu_plan_compute(l, f.hosts, f.n, &p, &e) == -1) {
		warnx("flags: %s", e.msg);
		goto out;
	}
	if ((advice = ccpu_plan_vendor_advice(l, &p, abuf, sizeof(abuf))) != NULL)
		warnx("flags: %s", advice);
	for (s = f.notes.buf; s != NULL && *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		warnx("flags: %.*s", (int)(nl - s), s);
	}
	ccpu_jvm_format_value(l, &p.value, v, sizeof(v));
	a = json_array();
	for (i = 0; i < f.n; i++)
		json_array_append_new(a, plan_fleet_host_json(&f, i));
	rc = flags_write(o.fmt, NULL, ccpu_layout_name(l), v,
	    ccpu_jvm_value_json(l, &p.value), a);
out:
	plan_fleet_release(&f);
	return rc;
}
