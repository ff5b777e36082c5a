/*
 * crac-cpu decode: name the bits of -XX:CPUFeatures values, image bitmaps
 * (the `tags` / `cpufeatures` hex form) and whole CRaC messages pasted from
 * logs, in one layout; optionally renumber values into another layout.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/jvm.h"
#include "ccpu/level.h"
#include "ccpu/profile.h"
#include "cmd.h"
#include "cmd_jvm.h"
#include "esc.h"
#include "strbuf.h"
#include "xmalloc.h"

static int	decode_main(int, char *[]);

const struct cmd cmd_decode = {
	"decode",
	"[--jdk L | --java-home DIR] [--translate-to L2] [--format text|json] INPUT...",
	"Name the features in -XX:CPUFeatures values, image bitmaps and CRaC\n"
	"messages pasted from logs.",
	"INPUT is one of\n"
	"  a value             0x4ff7fff9dfcfbf7,0x3e6; words without 0x as Zulu\n"
	"                      prints them (77ff9dddfbf7,3e6); any strtoull base-0\n"
	"                      form; an optional -XX:CPUFeatures= prefix\n"
	"  a bitmap            32 hex digits as in an image's tags or cpufeatures\n"
	"                      file (bitmap:cpu.features=... also accepted)\n"
	"  a message           any CRaC CPU-feature message, quoted\n"
	"  -                   read standard input: every line that holds one of\n"
	"                      the above is decoded, other lines are skipped\n"
	"\noptions:\n"
	"  --jdk L             the JVM layout or JDK (names below); without\n"
	"                      it a message's printed names pick the layout, else x17;\n"
	"                      an aarch64 layout (a17, a21, a25, a20, a22, a63:\n"
	"                      crac-cpu layouts) reads one-word values; without\n"
	"                      --jdk, one-word (aarch64) values are read in the\n"
	"                      layout their words tell: every layout that\n"
	"                      accepts them names them alike, else exit 2\n"
	"  --java-home DIR     take the JDK version from DIR/release\n"
	"  --translate-to L2   also renumber each value into layout L2 and name\n"
	"                      what L2 cannot express\n"
	"  --format F          text (default) or json (schema ccpu-decode/1)\n"
	"  -h, --help          show this help\n"
	"\nexit status: 0 every input decoded, 2 usage error or an input that is\n"
	"none of the above (or bits with no meaning in the layout)\n",
	decode_main,
	CMD_OPT_JDK | CMD_OPT_FORMAT,
	text_json,
};

struct shapes;

static bool	one_word(const char *, struct ccpu_featset *);

enum kind { K_VALUE, K_BITMAP, K_MESSAGE, K_LABEL, K_KEYWORD };

struct ctx {
	const struct ccpu_layout	*layout;
	const struct ccpu_a64_layout	*a64;	/* an aarch64 run's layout, or NULL */
	struct shapes			*shapes;	/* a64_from_inputs' tally */
	bool				 layout_given;
	const struct ccpu_layout	*to;
	bool				 json;
	struct strbuf			 out;
	json_t				*items;
	int				 status;
	size_t				 decoded, skipped;
};

static const char *
word_label(const struct ccpu_layout *l, int w)
{
	if (ccpu_layout_glibc_word(l))
		return w == 0 ? "word 0 (hotspot)" : "word 1 (glibc)";
	return w == 0 ? "word 0 (bits 0-63)" : "word 1 (bits 64-127)";
}

/* The members of fs in word w only. */
static void
word_of(const struct ccpu_featset *fs, int w, struct ccpu_featset *out)
{
	ccpu_featset_clear(out);
	out->w[w] = fs->w[w];
}

/* Text lines naming the bits of fs, word by word, and the meaningless ones. */
static void
names_block(struct ctx *c, const char *indent, const struct ccpu_featset *fs)
{
	struct ccpu_featset	one, bad;
	int			w;

	ccpu_featset_minus(&bad, fs, ccpu_layout_valid(c->layout));
	for (w = 0; w < CCPU_JVM_WORDS; w++) {
		word_of(fs, w, &one);
		ccpu_featset_minus(&one, &one, &bad);
		strbuf_addf(&c->out, "%s%-20s ", indent,
		    word_label(c->layout, w));
		if (ccpu_featset_empty(&one))
			strbuf_adds(&c->out, "(none)");
		else
			cmd_jvm_names_text(&c->out, c->layout, &one);
		strbuf_adds(&c->out, "\n");
	}
	if (!ccpu_featset_empty(&bad)) {
		strbuf_addf(&c->out, "%s%-20s ", indent, "no meaning in layout");
		cmd_jvm_names_text(&c->out, c->layout, &bad);
		strbuf_adds(&c->out, "\n");
	}
}

static void
translate_block(struct ctx *c, const char *indent, const struct ccpu_featset *fs,
    json_t *jo)
{
	struct ccpu_featset	out, lost;
	char			v[CCPU_VALUE_MAX];

	if (c->to == NULL)
		return;
	ccpu_jvm_translate(c->layout, fs, c->to, &out, &lost);
	ccpu_jvm_format_value(c->to, &out, v, sizeof(v));
	if (jo != NULL) {
		json_t	*t = ccpu_jvm_value_json(c->to, &out);

		json_object_set_new(t, "layout",
		    json_string(ccpu_layout_name(c->to)));
		json_object_set_new(t, "lost", ccpu_jvm_names_json(c->layout,
		    &lost));
		json_object_set_new(jo, "translated", t);
		return;
	}
	strbuf_addf(&c->out, "%sin %s: %s\n", indent, ccpu_layout_name(c->to), v);
	if (!ccpu_featset_empty(&lost)) {
		strbuf_addf(&c->out, "%s%s cannot express: ", indent,
		    ccpu_layout_name(c->to));
		cmd_jvm_names_text(&c->out, c->layout, &lost);
		strbuf_adds(&c->out, "\n");
	}
}

/*
 * A value no JVM of the layout writes (bits its line never derives, a
 * feature without the base every derivation gives it with) is decoded all
 * the same, but said to be implausible, with status 2 and the layouts in
 * which it is plausible: a confident reading of it would be nonsense.
 */
static void
check_plausible(struct ctx *c, const struct ccpu_featset *fs, json_t *jo)
{
	const struct ccpu_layout	*l;
	struct ccpu_featset		 never, nv;
	char				 why[1024], w2[8];
	size_t				 i, n = 0;

	if (ccpu_jvm_implausible(c->layout, fs, &never, why, sizeof(why)) == 0)
		return;
	c->status = STATUS_ERROR;
	if (jo != NULL) {
		json_object_set_new(jo, "implausible", json_pack("{s:o, s:s}",
		    "never_derived", ccpu_jvm_names_json(c->layout, &never),
		    "without_base", why));
		return;
	}
	strbuf_addf(&c->out, "  implausible in layout %s: ",
	    ccpu_layout_name(c->layout));
	if (!ccpu_featset_empty(&never)) {
		strbuf_adds(&c->out, "never derived there: ");
		cmd_jvm_names_text(&c->out, c->layout, &never);
	}
	if (why[0] != '\0')
		strbuf_addf(&c->out, "%s%s", ccpu_featset_empty(&never) ? "" :
		    "; ", why);
	strbuf_adds(&c->out, "\n  hint: plausible in ");
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++)
		if (ccpu_featset_subset(fs, ccpu_layout_valid(l)) &&
		    ccpu_jvm_implausible(l, fs, &nv, w2, sizeof(w2)) == 0)
			strbuf_addf(&c->out, "%s%s", n++ > 0 ? ", " : "",
			    ccpu_layout_name(l));
	strbuf_addf(&c->out, "%s; name the JDK with --jdk\n", n == 0 ?
	    "no layout" : "");
}

/*
 * Bits outside the layout make the answer unreliable: status 2, and a hint
 * naming the layouts in which every bit has a meaning.
 */
/*
 * whole: fs is a whole value or bitmap (a message's missing set is part of
 * one, so only a whole value can be implausible).
 */
static void
check_meaning(struct ctx *c, const struct ccpu_featset *fs, json_t *jo,
    bool whole)
{
	const struct ccpu_layout	*l;
	struct ccpu_featset		 bad;
	size_t				 i, n = 0;

	ccpu_featset_minus(&bad, fs, ccpu_layout_valid(c->layout));
	if (ccpu_featset_empty(&bad)) {
		if (whole)
			check_plausible(c, fs, jo);
		return;
	}
	c->status = STATUS_ERROR;
	if (c->json)
		return;
	strbuf_adds(&c->out, "  hint: every bit has a meaning in ");
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++)
		if (ccpu_featset_subset(fs, ccpu_layout_valid(l)))
			strbuf_addf(&c->out, "%s%s", n++ > 0 ? ", " : "",
			    ccpu_layout_name(l));
	strbuf_addf(&c->out, "%s; name the JDK with --jdk\n", n == 0 ?
	    "no layout" : "");
}

static void
emit_set(struct ctx *c, const char *input, enum kind k,
    const struct ccpu_featset *fs, const char *note)
{
	struct ccpu_level	lv;
	char			v[CCPU_VALUE_MAX], bm[CCPU_BITMAP_HEX + 1];
	json_t			*jo;

	ccpu_jvm_format_value(c->layout, fs, v, sizeof(v));
	ccpu_jvm_format_bitmap(fs, bm, sizeof(bm));
	ccpu_level_jvm(c->layout, fs, NULL, &lv);
	if (c->json) {
		jo = ccpu_jvm_value_json(c->layout, fs);
		json_object_set_new(jo, "input", json_string(input));
		json_object_set_new(jo, "kind", json_string(k == K_VALUE ?
		    "value" : "bitmap"));
		json_object_set_new(jo, "level", json_string(
		    ccpu_level_name(lv.level)));
		if (note != NULL)
			json_object_set_new(jo, "note", json_string(note));
		translate_block(c, "", fs, jo);
		check_meaning(c, fs, jo, true);
		json_array_append_new(c->items, jo);
		return;
	}
	strbuf_addf(&c->out, "%s %s in layout %s\n", k == K_VALUE ? "value" :
	    "bitmap", k == K_VALUE ? v : bm, ccpu_layout_name(c->layout));
	names_block(c, "  ", fs);
	strbuf_addf(&c->out, "  %-20s %s\n", k == K_VALUE ? "bitmap" : "value",
	    k == K_VALUE ? bm : v);
	strbuf_addf(&c->out, "  %-20s %s\n", "x86-64 level",
	    ccpu_level_name(lv.level));
	if (note != NULL)
		strbuf_addf(&c->out, "  note: %s\n", note);
	translate_block(c, "  ", fs, NULL);
	check_meaning(c, fs, NULL, true);
}

/* Split "a, b, c" and compare with the names of fs in layout l. */
static bool
names_match(const struct ccpu_layout *l, const struct ccpu_featset *fs,
    const char *printed)
{
	char	buf[CCPU_MSG_TEXT];

	ccpu_jvm_format_names(l, fs, buf, sizeof(buf));
	return strcmp(buf, printed) == 0;
}

/* Every value of the message has a meaning in l. */
static bool
values_fit(const struct ccpu_layout *l, const struct ccpu_jvm_message *m)
{
	size_t	i;

	for (i = 0; i < m->nvalues; i++)
		if (m->values[i].parsed &&
		    !ccpu_featset_subset(&m->values[i].set, ccpu_layout_valid(l)))
			return false;
	return true;
}

/*
 * Without --jdk: the default layout, or else the first one, whose names
 * agree with the names the message printed and in which every value it
 * printed has a meaning; when the names fit none (a message cut short),
 * the default or the first layout in which the values have a meaning.
 */
static const struct ccpu_layout *
layout_from_names(const struct ccpu_jvm_message *m, const struct ccpu_layout *dflt)
{
	const struct ccpu_layout	*l;
	const char			*printed;
	size_t				 i, k;

	for (k = 0; k < m->nvalues; k++)
		if (strcmp(m->values[k].role, "missing") == 0 &&
		    m->values[k].parsed && m->nargs > 0)
			break;
	if (k == m->nvalues)
		return dflt;
	printed = m->args[m->nargs - 1];
	if (names_match(dflt, &m->values[k].set, printed) && values_fit(dflt, m))
		return dflt;
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++)
		if (names_match(l, &m->values[k].set, printed) &&
		    values_fit(l, m))
			return l;
	if (values_fit(dflt, m))
		return dflt;
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++)
		if (values_fit(l, m))
			return l;
	return dflt;
}

static const struct ccpu_featset *
role_set(const struct ccpu_jvm_message *m, const char *role)
{
	size_t	i;

	for (i = 0; i < m->nvalues; i++)
		if (strcmp(m->values[i].role, role) == 0 && m->values[i].parsed)
			return &m->values[i].set;
	return NULL;
}

/*
 * The json of a message of either architecture, its values still to come:
 * input, kind, id, era, meaning, layout and an empty "values" object.
 */
static json_t *
message_json(const char *input, const struct ccpu_jvm_message *m,
    const char *layout)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "input", input,
	    "kind", "message", "id", m->id, "era", m->era, "meaning",
	    m->meaning, "layout", layout, "values", json_object());
}

/*
 * The ccpu-decode/1 document of either architecture onto out; arch is NULL
 * for x86-64 (the member came with aarch64).  Takes items.
 */
static void
decode_document(struct strbuf *out, const char *arch, const char *layout,
    json_t *items, size_t skipped)
{
	json_t	*root;
	char	*text;

	root = json_pack("{s:s}", "schema", "ccpu-decode/1");
	if (arch != NULL)
		json_object_set_new(root, "arch", json_string(arch));
	json_object_set_new(root, "layout", json_string(layout));
	json_object_set_new(root, "items", items);
	json_object_set_new(root, "skipped_lines",
	    json_integer((json_int_t)skipped));
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	strbuf_adds(out, text);
	strbuf_adds(out, "\n");
	free(text);
}

static void
emit_message(struct ctx *c, const char *input, struct ccpu_jvm_message *m)
{
	const struct ccpu_layout	*saved_layout = c->layout;
	const struct ccpu_featset	*missing, *saved, *cur, *spec;
	struct ccpu_featset		 use, calc, tun;
	const char			*why, *printed = NULL;
	char				 v[CCPU_VALUE_MAX], unknown[256];
	json_t				*jo = NULL, *vals = NULL, *vo;
	bool				 have, agree = true, aarch64;
	size_t				 i;

	if (!c->layout_given)
		c->layout = layout_from_names(m, c->layout);
	missing = role_set(m, "missing");
	if (missing != NULL && m->nargs > 0) {
		printed = m->args[m->nargs - 1];
		agree = names_match(c->layout, missing, printed);
	}
	if (c->json) {
		jo = message_json(input, m, ccpu_layout_name(c->layout));
		vals = json_object_get(jo, "values");
	} else {
		strbuf_addf(&c->out, "message %s (printed by %s)\n  %s\n", m->id,
		    m->era, m->meaning);
		if (m->nvalues > 0)
			strbuf_addf(&c->out, "  layout %s%s\n",
			    ccpu_layout_name(c->layout), c->layout_given ? "" :
			    c->layout == saved_layout ? "" : agree ?
			    " (the printed names match it)" :
			    " (the first layout in which every value has a meaning)");
	}
	for (i = 0; i < m->nvalues; i++) {
		if (!m->values[i].parsed) {
			aarch64 = one_word(m->values[i].text, &calc);
			if (aarch64)
				c->status = STATUS_ERROR;
			if (c->json)
				json_object_set_new(vals, m->values[i].role,
				    json_string(m->values[i].text));
			else
				strbuf_addf(&c->out, "  %-10s %s (%s)\n",
				    m->values[i].role, m->values[i].text,
				    aarch64 ? "one word, an aarch64 value: name "
				    "an aarch64 layout with --jdk" :
				    "not a value");
			continue;
		}
		if (c->json) {
			vo = ccpu_jvm_value_json(c->layout, &m->values[i].set);
			json_object_set_new(vo, "printed",
			    json_string(m->values[i].text));
			json_object_set_new(vals, m->values[i].role, vo);
			check_meaning(c, &m->values[i].set, NULL, false);
			continue;
		}
		ccpu_jvm_format_value(c->layout, &m->values[i].set, v, sizeof(v));
		strbuf_addf(&c->out, "  %-10s %s = ", m->values[i].role, v);
		cmd_jvm_names_text(&c->out, c->layout, &m->values[i].set);
		strbuf_adds(&c->out, "\n");
		check_meaning(c, &m->values[i].set, NULL, false);
	}
	for (i = 0; i < m->nargs && !c->json; i++)
		if (m->values[0].role == NULL || &m->args[i][0] != printed)
			strbuf_addf(&c->out, "  %-10s %s\n", "text", m->args[i]);
	if (printed != NULL && !agree) {
		c->status = STATUS_ERROR;
		if (!c->json)
			strbuf_addf(&c->out, "  warning: the printed names differ "
			    "from layout %s; name the JDK with --jdk\n",
			    ccpu_layout_name(c->layout));
	}
	/* Consistency of the three numbers the failure messages print. */
	saved = role_set(m, strcmp(m->id, "you-have-to") == 0 ? "saved" :
	    "specified");
	cur = role_set(m, strcmp(m->id, "you-have-to") == 0 ? "suggested" :
	    "current");
	spec = saved;
	if (missing != NULL && spec != NULL && cur != NULL) {
		ccpu_featset_minus(&calc, spec, cur);
		ccpu_featset_minus(&calc, &calc, ccpu_layout_ignored(c->layout));
		if (c->json)
			json_object_set_new(jo, "consistent",
			    json_boolean(ccpu_featset_equal(&calc, missing)));
		else
			strbuf_addf(&c->out, "  %-10s %s\n", "check",
			    ccpu_featset_equal(&calc, missing) ?
			    "missing = saved & ~current (ht ignored): yes" :
			    "missing != saved & ~current: another layout?");
		if (strcmp(m->id, "you-have-to") == 0 && !c->json)
			strbuf_adds(&c->out, "  current    has at least the "
			    "suggested set and none of the missing one\n");
	}
	if (strncmp(m->id, "glibc-", 6) == 0 && m->nargs > 0) {
		ccpu_jvm_tunables(c->layout, m->args[m->nargs - 1], &tun,
		    unknown, sizeof(unknown));
		if (c->json)
			json_object_set_new(jo, "glibc_disabled",
			    ccpu_jvm_names_json(c->layout, &tun));
		else if (!ccpu_featset_empty(&tun) || unknown[0] != '\0') {
			strbuf_adds(&c->out, "  glibc told not to use: ");
			cmd_jvm_names_text(&c->out, c->layout, &tun);
			if (unknown[0] != '\0')
				strbuf_addf(&c->out, "%s%s (not in %s)",
				    ccpu_featset_empty(&tun) ? "" : ", ",
				    unknown, ccpu_layout_name(c->layout));
			strbuf_adds(&c->out, "\n");
		}
	}
	have = ccpu_jvm_message_advice(m, &use, &why);
	if (have) {
		ccpu_jvm_format_value(c->layout, &use, v, sizeof(v));
		if (c->json) {
			vo = ccpu_jvm_value_json(c->layout, &use);
			json_object_set_new(vo, "why", json_string(why));
			json_object_set_new(jo, "use_at_checkpoint", vo);
		} else
			strbuf_addf(&c->out, "  use at checkpoint: "
			    "-XX:CPUFeatures=%s\n    (%s)\n", v, why);
		translate_block(c, "    ", &use, jo);
	}
	if (c->json) {
		json_object_set_new(jo, "override", m->override != NULL ?
		    json_string(m->override) : json_null());
		json_array_append_new(c->items, jo);
	} else if (m->override != NULL)
		strbuf_addf(&c->out, "  override: %s\n", m->override);
	if (!c->layout_given)
		c->layout = saved_layout;
}

static void
emit_other(struct ctx *c, const char *input, const char *kind, const char *text)
{
	json_t	*jo;

	if (c->json) {
		jo = json_object();
		json_object_set_new(jo, "input", json_string(input));
		json_object_set_new(jo, "kind", json_string(kind));
		json_object_set_new(jo, "meaning", json_string(text));
		json_array_append_new(c->items, jo);
	} else {
		strbuf_addf(&c->out, "%s ", kind);
		esc_adds(&c->out, input);
		strbuf_addf(&c->out, "\n  %s\n", text);
	}
}

static bool
all_hex(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* 32 hex digits as %016llx%016llx (the %f pattern of CRaCCheckpointTo). */
static bool
hex_words(const char *p, struct ccpu_featset *out)
{
	char	w[2][17];

	memcpy(w[0], p, 16);
	w[0][16] = '\0';
	memcpy(w[1], p + 16, 16);
	w[1][16] = '\0';
	ccpu_featset_clear(out);
	out->w[0] = strtoull(w[0], NULL, 16);
	out->w[1] = strtoull(w[1], NULL, 16);
	return true;
}

static bool
value_like(const char *s, size_t n)
{
	size_t	i, commas = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ',')
			commas++;
		else if (!isalnum((unsigned char)s[i]))
			return false;
	}
	return commas >= 1;
}

/* The n bytes at *s without surrounding space, as a new string; NULL when empty. */
static char *
trimmed(const char **s, size_t *n)
{
	char	*input;

	while (*n > 0 && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
	if (*n == 0)
		return NULL;
	input = xmalloc(*n + 1);
	memcpy(input, *s, *n);
	input[*n] = '\0';
	return input;
}

/*
 * An input that is none of what decode reads: skipped on a lenient
 * (standard input) line, else an error naming what it is not ("not WHAT
 * or a known CRaC message").
 */
static void
not_decoded(struct ctx *c, const char *input, size_t n, bool lenient,
    const char *what)
{
	char	shown[ESC_EXCERPT_SIZE];

	if (lenient) {
		c->skipped++;
		return;
	}
	warnx("decode: '%s': not %s or a known CRaC message", esc_excerpt(shown,
	    sizeof(shown), input, n, ESC_EXCERPT), what);
	c->status = STATUS_ERROR;
}

/* Decode one input; lenient (stdin lines) skips what it does not know. */
static void
decode_one(struct ctx *c, const char *s, size_t n, bool lenient)
{
	struct ccpu_jvm_message		 m;
	struct ccpu_featset		 fs, alt;
	struct ccpu_error		 e;
	const struct ccpu_layout	*l;
	char				*input, note[640], shown[ESC_EXCERPT_SIZE];
	const char			*p;
	size_t				 k;

	if ((input = trimmed(&s, &n)) == NULL)
		return;
	p = input;
	k = n;
	if (strncmp(p, "-XX:CPUFeatures=", 16) == 0)
		p += 16, k -= 16;
	if (strncmp(p, "bitmap:cpu.features=", 20) == 0)
		p += 20, k -= 20;
	if (strncmp(input, "label:", 6) == 0) {
		snprintf(note, sizeof(note), "an image label");
		if (strncmp(input, "label:java.version=", 19) == 0) {
			l = ccpu_layout_from_java_version(input + 19, &e);
			snprintf(note, sizeof(note), "the JDK that made the image: %s",
			    l != NULL ? ccpu_layout_name(l) : e.msg);
		}
		emit_other(c, input, "label", note);
		c->decoded++;
	} else if (strcmp(p, "generic") == 0 || strcmp(p, "native") == 0 ||
	    strcmp(p, "ignore") == 0) {
		if (p[0] == 'g')
			emit_set(c, input, K_VALUE,
			    ccpu_layout_generic(c->layout),
			    "-XX:CPUFeatures=generic: the features of the first "
			    "x86-64 CPUs");
		else
			emit_other(c, input, "keyword", p[0] == 'n' ?
			    "-XX:CPUFeatures=native (the default): every feature "
			    "of the CPU the JVM starts on" :
			    "-XX:CPUFeatures=ignore: no glibc restriction, no "
			    "features stored in the image (E2/E3)");
		c->decoded++;
	} else if (value_like(p, k)) {
		if (ccpu_jvm_parse_words(p, k, CCPU_PARSE_JVM, &fs, &e) == -1) {
			if (lenient)
				c->skipped++;
			else {
				warnx("decode: '%s': %s", esc_excerpt(shown,
				    sizeof(shown), input, n, ESC_EXCERPT), e.msg);
				c->status = STATUS_ERROR;
			}
		} else {
			snprintf(note, sizeof(note), "no word has 0x, so %s reads "
			    "as decimal, as -XX:CPUFeatures would; a value copied "
			    "from a Zulu message means hex: add 0x", p);
			emit_set(c, input, K_VALUE, &fs,
			    ccpu_jvm_value_ambiguous(p) ? note : NULL);
			c->decoded++;
		}
	} else if (k == CCPU_BITMAP_HEX && all_hex(p, k)) {
		ccpu_jvm_parse_bitmap(p, k, &fs, NULL);
		if (!ccpu_featset_subset(&fs, ccpu_layout_valid(c->layout)) &&
		    hex_words(p, &alt) &&
		    ccpu_featset_subset(&alt, ccpu_layout_valid(c->layout)))
			emit_set(c, input, K_VALUE, &alt, "read as the hex-only "
			    "form of -XX:CRaCCheckpointTo's %f (word 0 first, "
			    "most significant digit first): as an image bitmap "
			    "it has bits with no meaning");
		else
			emit_set(c, input, K_BITMAP, &fs, NULL);
		c->decoded++;
	} else if (ccpu_jvm_message_parse(input, n, &m)) {
		emit_message(c, input, &m);
		c->decoded++;
	} else if (one_word(p, &fs)) {
		warnx("decode: '%s': one word, an aarch64 value: layout %s is "
		    "x86-64's; name an aarch64 one with --jdk (a20, a22, a63)",
		    esc_excerpt(shown, sizeof(shown), input, n, ESC_EXCERPT),
		    ccpu_layout_name(c->layout));
		c->status = STATUS_ERROR;
	} else
		not_decoded(c, input, n, lenient, "a value, a bitmap");
	free(input);
}

/*
 * aarch64 (--jdk a20 ... a63, or a17 for JDK 17's printed names): one word
 * per value, named in the layout; a value the JVM would refuse (the
 * PACA/NOTPACA rule) is named and the refusal quoted; generic is refused
 * as the JVM refuses it; a message is told with its meaning and advice,
 * its values read as one-word aarch64 values.  The json is the x86-64
 * document's (ccpu-decode/1) with arch, one-word value objects, a
 * "refused" member where the JVM refuses a value, and no level.
 */
/* The value's json object, with the JVM's refusal when it refuses it. */
static json_t *
a64_value_json(struct ctx *c, const struct ccpu_featset *v)
{
	json_t	*jo = ccpu_a64_value_json(c->a64, v);
	char	 why[256];

	if (ccpu_a64_layout_has_value(c->a64) &&
	    ccpu_a64_value_check(c->a64, v, why, sizeof(why)) != 0)
		json_object_set_new(jo, "refused", json_string(why));
	return jo;
}

static void
a64_value(struct ctx *c, const char *indent, const char *what,
    const struct ccpu_featset *v)
{
	char	names[1024], why[256], hex[32];

	ccpu_a64_format_value(v, hex, sizeof(hex));
	ccpu_a64_format_names(c->a64, v, ", ", names, sizeof(names));
	strbuf_addf(&c->out, "%s%s %s in layout %s\n%s  %s\n", indent, what,
	    hex, ccpu_a64_layout_name(c->a64), indent, names[0] != '\0' ? names :
	    "(no features)");
	if (ccpu_a64_layout_has_value(c->a64) &&
	    ccpu_a64_value_check(c->a64, v, why, sizeof(why)) != 0)
		strbuf_addf(&c->out, "%s  the JVM refuses it: %s\n", indent, why);
}

/*
 * A message: its values re-read as one-word aarch64 values (a text that is
 * none stays text), then told with the advice of ccpu_jvm_message_advice.
 */
static void
a64_message(struct ctx *c, const char *input, struct ccpu_jvm_message *m)
{
	struct ccpu_featset	 use;
	struct ccpu_error	 e;
	const char		*why;
	char			 hex[32];
	json_t			*jo = NULL, *vals = NULL, *vo;
	size_t			 i;

	if (c->json) {
		jo = message_json(input, m, ccpu_a64_layout_name(c->a64));
		vals = json_object_get(jo, "values");
	} else
		strbuf_addf(&c->out, "message %s (printed by %s)\n  %s\n",
		    m->id, m->era, m->meaning);
	for (i = 0; i < m->nvalues; i++) {
		m->values[i].parsed = ccpu_a64_parse_value(c->a64,
		    m->values[i].text, &m->values[i].set, &e) == 0;
		if (!m->values[i].parsed) {
			if (c->json)
				json_object_set_new(vals, m->values[i].role,
				    json_string(m->values[i].text));
			else
				strbuf_addf(&c->out, "  %s %s (%s)\n",
				    m->values[i].role, m->values[i].text, e.msg);
			continue;
		}
		if (c->json) {
			vo = a64_value_json(c, &m->values[i].set);
			json_object_set_new(vo, "printed",
			    json_string(m->values[i].text));
			json_object_set_new(vals, m->values[i].role, vo);
		} else
			a64_value(c, "  ", m->values[i].role,
			    &m->values[i].set);
	}
	if (ccpu_jvm_message_advice(m, &use, &why)) {
		if (c->json) {
			vo = ccpu_a64_value_json(c->a64, &use);
			json_object_set_new(vo, "why", json_string(why));
			json_object_set_new(jo, "use_at_checkpoint", vo);
		} else {
			ccpu_a64_format_value(&use, hex, sizeof(hex));
			strbuf_addf(&c->out, "  use at checkpoint: "
			    "-XX:CPUFeatures=%s\n    (%s)\n", hex, why);
		}
	}
	if (c->json) {
		json_object_set_new(jo, "override", m->override != NULL ?
		    json_string(m->override) : json_null());
		json_array_append_new(c->items, jo);
	} else if (m->override != NULL)
		strbuf_addf(&c->out, "  override: %s\n", m->override);
}

static void
a64_one(struct ctx *c, const char *s, size_t n, bool lenient)
{
	struct ccpu_jvm_message	 m;
	struct ccpu_featset	 v;
	struct ccpu_error	 e;
	char			*input, meaning[256];
	const char		*p;
	json_t			*jo;

	if ((input = trimmed(&s, &n)) == NULL)
		return;
	p = input;
	if (strncmp(p, "-XX:CPUFeatures=", 16) == 0)
		p += 16;
	if (strcmp(p, "generic") == 0) {
		if (c->json) {
			snprintf(meaning, sizeof(meaning), "-XX:CPUFeatures="
			    "generic: the JVM refuses it: %s",
			    ccpu_a64_generic_refused);
			json_array_append_new(c->items, json_pack("{s:s, s:s, "
			    "s:s}", "input", input, "kind", "keyword",
			    "meaning", meaning));
		} else
			strbuf_addf(&c->out, "keyword generic\n  the JVM refuses "
			    "it: %s\n", ccpu_a64_generic_refused);
		c->decoded++;
	} else if (p[0] >= '0' && p[0] <= '9' && strspn(p,
	    "0123456789abcdefABCDEFxX,") == strlen(p)) {
		if (ccpu_a64_parse_value(c->a64, p, &v, &e) == -1) {
			if (lenient)
				c->skipped++;
			else {
				warnx("decode: %s", e.msg);
				c->status = STATUS_ERROR;
			}
		} else {
			if (c->json) {
				jo = a64_value_json(c, &v);
				json_object_set_new(jo, "input",
				    json_string(input));
				json_object_set_new(jo, "kind",
				    json_string("value"));
				json_array_append_new(c->items, jo);
			} else
				a64_value(c, "", "value", &v);
			c->decoded++;
		}
	} else if (ccpu_jvm_message_parse(input, n, &m)) {
		a64_message(c, input, &m);
		c->decoded++;
	} else
		not_decoded(c, input, n, lenient, "an aarch64 value");
	free(input);
}

/* Standard input whole into *bufp (caller frees); -1 after a warning. */
static int
read_stdin(char **bufp, size_t *lenp)
{
	char	*buf = NULL;
	size_t	 len = 0, alloc = 0;
	ssize_t	 r;

	for (;;) {
		if (alloc - len < 4096) {
			if (alloc >= CCPU_MAX_INPUT) {
				warnx("decode: standard input: more than %u bytes",
				    CCPU_MAX_INPUT);
				free(buf);
				return -1;
			}
			alloc = alloc == 0 ? 65536 : alloc * 2;
			buf = xrealloc(buf, alloc);
		}
		r = read(STDIN_FILENO, buf + len, alloc - len);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			warn("decode: standard input");
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

typedef void	one_fn(struct ctx *, const char *, size_t, bool);

/*
 * Every INPUT to fn: an argument as it is, "-" as every line of standard
 * input (in, read once), leniently.
 */
static void
each_input(struct ctx *c, int argc, char *argv[], const char *in, size_t len,
    one_fn *fn)
{
	size_t	start, i;
	int	k;

	for (k = 0; k < argc; k++) {
		if (strcmp(argv[k], "-") != 0) {
			fn(c, argv[k], strlen(argv[k]), false);
			continue;
		}
		for (start = 0, i = 0; in != NULL && i <= len; i++)
			if (i == len || in[i] == '\n') {
				fn(c, in + start, i - start, true);
				start = i + 1;
			}
	}
}

/* One number with no comma (strtoull base 0, as the aarch64 JVM reads it). */
static bool
one_word(const char *p, struct ccpu_featset *out)
{
	unsigned long long	 v;
	char			*end;

	if (!isdigit((unsigned char)p[0]) || strchr(p, ',') != NULL)
		return false;
	errno = 0;
	v = strtoull(p, &end, 0);
	if (errno != 0 || *end != '\0')
		return false;
	ccpu_featset_clear(out);
	out->w[0] = v;
	return true;
}

/*
 * Without --jdk, what the inputs say of their architecture: a value or a
 * message value with two words is x86-64's, one with one word aarch64's
 * (whose words are gathered for ccpu_a64_layout_infer: a message's
 * "missing" and "specified" as parts, where the PACA/NOTPACA rule need
 * not hold); keywords, labels, bitmaps and messages without values say
 * nothing.
 */
struct shapes {
	struct ccpu_featset	*whole, *part;
	size_t			 nwhole, npart, alloc_whole, alloc_part;
	char			 x86[ESC_EXCERPT_SIZE], a64[ESC_EXCERPT_SIZE];
};

static void
shape_add(struct ccpu_featset **v, size_t *n, size_t *alloc,
    const struct ccpu_featset *fs)
{
	if (*n == *alloc) {
		*alloc = *alloc == 0 ? 16 : *alloc * 2;
		*v = xreallocarray(*v, *alloc, sizeof(**v));
	}
	(*v)[(*n)++] = *fs;
}

static void
shape_one(struct shapes *sh, const char *s, size_t n)
{
	struct ccpu_jvm_message	 m;
	struct ccpu_featset	 fs;
	char			*input;
	const char		*p, *role;
	size_t			 i;
	bool			 x86 = false, a64 = false, part;

	if ((input = trimmed(&s, &n)) == NULL)
		return;
	p = input;
	if (strncmp(p, "-XX:CPUFeatures=", 16) == 0)
		p += 16;
	if (one_word(p, &fs)) {
		shape_add(&sh->whole, &sh->nwhole, &sh->alloc_whole, &fs);
		a64 = true;
	} else if (value_like(p, strlen(p)))
		x86 = true;
	else if (ccpu_jvm_message_parse(input, n, &m))
		for (i = 0; i < m.nvalues; i++) {
			if (strchr(m.values[i].text, ',') != NULL) {
				x86 = true;
				continue;
			}
			if (!one_word(m.values[i].text, &fs))
				continue;
			a64 = true;
			role = m.values[i].role;
			part = strcmp(role, "missing") == 0 ||
			    strcmp(role, "specified") == 0;
			shape_add(part ? &sh->part : &sh->whole, part ?
			    &sh->npart : &sh->nwhole, part ? &sh->alloc_part :
			    &sh->alloc_whole, &fs);
		}
	if (x86 && sh->x86[0] == '\0')
		esc_excerpt(sh->x86, sizeof(sh->x86), input, n, ESC_EXCERPT);
	if (a64 && sh->a64[0] == '\0')
		esc_excerpt(sh->a64, sizeof(sh->a64), input, n, ESC_EXCERPT);
	free(input);
}

static void
shape_fn(struct ctx *c, const char *s, size_t n, bool lenient)
{
	(void)lenient;
	shape_one(c->shapes, s, n);
}

/*
 * The aarch64 layout of inputs given without --jdk, from their words
 * (ccpu_a64_layout_infer), into c->a64; c->a64 stays NULL when they are
 * not aarch64's.  -1 after a warning when they are but do not tell the
 * layout, or when x86-64 and aarch64 values are mixed.
 */
static int
a64_from_inputs(struct ctx *c, int argc, char *argv[], const char *in,
    size_t len)
{
	struct shapes	 sh;
	struct ccpu_error e;
	char		 from[64];
	int		 rc = 0;

	memset(&sh, 0, sizeof(sh));
	c->shapes = &sh;
	each_input(c, argc, argv, in, len, shape_fn);
	c->shapes = NULL;
	if (sh.a64[0] == '\0')
		goto out;
	if (sh.x86[0] != '\0') {
		warnx("decode: the input mixes x86-64 values ('%s') and aarch64 "
		    "ones ('%s'): decode them apart, naming the layout with "
		    "--jdk", sh.x86, sh.a64);
		rc = -1;
	} else if ((c->a64 = ccpu_a64_layout_infer(sh.whole, sh.nwhole,
	    sh.part, sh.npart, from, sizeof(from), &e)) == NULL) {
		warnx("decode: one-word (aarch64) values that do not tell "
		    "their layout: %s; name it with --jdk a20, a22 or a63",
		    e.msg);
		rc = -1;
	} else
		warnx("decode: note: layout %s from the values (%s %s)",
		    ccpu_a64_layout_name(c->a64), from, strchr(from, ',') !=
		    NULL ? "name them alike" : "alone accepts them");
out:
	free(sh.whole);
	free(sh.part);
	return rc;
}

static void
a64_fn(struct ctx *c, const char *s, size_t n, bool lenient)
{
	a64_one(c, s, n, lenient);
}

static void
x86_fn(struct ctx *c, const char *s, size_t n, bool lenient)
{
	decode_one(c, s, n, lenient);
}

int
decode_main(int argc, char *argv[])
{
	static const struct option own[] = {
		{ "translate-to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_opts	 o = CMD_OPTS_INIT;
	struct ctx	 c;
	struct ccpu_error e;
	const char	*to = NULL;
	char		*text, *in = NULL;
	size_t		 len = 0;
	int		 ch, i, rc;

	memset(&c, 0, sizeof(c));
	while ((ch = cmd_getopt(&cmd_decode, argc, argv, own, &o)) > 0)
		to = optarg;	/* 't' */
	cmd_opts_release(&o);
	if (ch == -1)
		return o.status;
	if (optind == argc) {
		warnx("decode: no INPUT");
		return cmd_usage(&cmd_decode, STATUS_ERROR);
	}
	c.json = o.fmt == 1;
	c.status = STATUS_OK;
	for (i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && in == NULL &&
		    read_stdin(&in, &len) == -1)
			return STATUS_ERROR;
	/* An aarch64 layout is named by its layout name (a17 ... a63). */
	if (o.jdk != NULL && o.jdk[0] == 'a')
		c.a64 = ccpu_a64_layout_lookup(o.jdk, NULL);
	else if (o.jdk == NULL && o.java_home == NULL &&
	    a64_from_inputs(&c, argc - optind, argv + optind, in, len) == -1) {
		free(in);
		return STATUS_ERROR;
	}
	if (c.a64 != NULL && to != NULL) {
		warnx("decode: --translate-to: aarch64 values have one "
		    "numbering per snapshot; name the layout with --jdk");
		free(in);
		return STATUS_ERROR;
	}
	if (c.a64 == NULL) {
		if ((c.layout = cmd_jvm_layout("decode", o.jdk, o.java_home,
		    CMD_JVM_MAY_RUN)) == NULL) {
			free(in);
			return STATUS_ERROR;
		}
		c.layout_given = o.jdk != NULL || o.java_home != NULL;
		if (to != NULL && (c.to = ccpu_layout_lookup(to, &e)) ==
		    NULL) {
			warnx("decode: --translate-to: %s", e.msg);
			free(in);
			return STATUS_ERROR;
		}
	}
	c.items = json_array();
	each_input(&c, argc - optind, argv + optind, in, len,
	    c.a64 != NULL ? a64_fn : x86_fn);
	free(in);
	if (c.decoded == 0 && c.status == STATUS_OK) {
		warnx("decode: no %s in the input", c.a64 != NULL ? "aarch64 "
		    "value or CRaC message" : "value, bitmap or CRaC message");
		c.status = STATUS_ERROR;
	}
	if (c.json)
		decode_document(&c.out, c.a64 != NULL ? "aarch64" : NULL,
		    c.a64 != NULL ? ccpu_a64_layout_name(c.a64) :
		    ccpu_layout_name(c.layout), c.items, c.skipped);
	else
		json_decref(c.items);
	text = strbuf_detach(&c.out);
	rc = cmd_write_output("decode", NULL, text, false) == 0 ? c.status :
	    STATUS_ERROR;
	free(text);
	return rc;
}
