/*
 * The JVM bit layouts: which bit of a -XX:CPUFeatures value or image bitmap
 * means which HotSpot feature in each CRaC JDK line, the names that select
 * a layout, and the value, bitmap and name renderings and parsers.  The
 * facts are data/hotspot-features.def, data/layout-*.def and
 * data/jdk-builds.def; docs/layouts.md gives the evidence.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "ccpu/jvm.h"
#include "hex.h"
#include "jvm_impl.h"
#include "words.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

const struct jvm_feature_info jvm_features[F_COUNT] = {
#define F(id, name, kind, desc)	[F_##id] = { name, KIND_##kind, desc },
#include "hotspot-features.def"
#undef F
};

/* The bit tables of each bit layout (one per CCPU_LAYOUT_<id>). */
#define LAYOUT_DEF	"layout-x17.def"
#define LAYOUT_PFX	X17
#include "jvm_layout_expand.h"
#define LAYOUT_DEF	"layout-x21.def"
#define LAYOUT_PFX	X21
#include "jvm_layout_expand.h"
#define LAYOUT_DEF	"layout-xm.def"
#define LAYOUT_PFX	XM
#include "jvm_layout_expand.h"
#define LAYOUT_DEF	"layout-x25.def"
#define LAYOUT_PFX	X25
#include "jvm_layout_expand.h"
#define LAYOUT_DEF	"layout-x26a.def"
#define LAYOUT_PFX	X26A
#include "jvm_layout_expand.h"
#define LAYOUT_DEF	"layout-x26b.def"
#define LAYOUT_PFX	X26B
#include "jvm_layout_expand.h"
#define LAYOUT_DEF	"layout-x27.def"
#define LAYOUT_PFX	X27
#include "jvm_layout_expand.h"

/* ht is masked out of every "missing" set (JDK-8311164). */
static const struct ccpu_featset ignored_ht = { { UINT64_C(0x8), 0, 0, 0 } };

/*
 * The sets data/layouts.def gives by name (generic, mandatory, cleared),
 * as bits of each layout: computed once, on first use.
 */
struct layout_sets {
	struct ccpu_featset	generic, mandatory, cleared;
};
enum {
#define L(line, ...)	ROW_##line,
#define U(...)
#include "layouts.def"
#undef U
#undef L
	ROW_COUNT
};
static struct layout_sets layout_sets[ROW_COUNT];

const struct ccpu_layout jvm_layouts[] = {
#define L(line, lid, name, flags, glw, gen, mand, clr, from, upto, summary) \
	{ CCPU_LAYOUT_##lid, name, LINE_##line, flags, summary, glw,	\
	  gen, mand, clr, from, upto, lid##_bits, nitems(lid##_bits),	\
	  lid##_featbit, &lid##_valid, &lid##_glibc,			\
	  &layout_sets[ROW_##line].generic,				\
	  &layout_sets[ROW_##line].mandatory, &ignored_ht,		\
	  &layout_sets[ROW_##line].cleared },
#define U(...)
#include "layouts.def"
#undef U
#undef L
};
const size_t jvm_nlayouts = nitems(jvm_layouts);

/* Versions whose CRaC builds used a numbering no row models. */
static const struct unmodelled {
	const char	*from, *upto, *what;
} unmodelled[] = {
#define L(...)
#define U(from, upto, what)	{ from, upto, what },
#include "layouts.def"
#undef U
#undef L
};

static pthread_once_t	layout_sets_once = PTHREAD_ONCE_INIT;

/* A name list of data/layouts.def as bits of l; a name l lacks is a table bug. */
static void
names_to_set(const struct ccpu_layout *l, const char *names,
    struct ccpu_featset *fs)
{
	memset(fs, 0, sizeof(*fs));
	if (ccpu_layout_names(l, names, fs) != 0) {
		fprintf(stderr, "crac-cpu: data/layouts.def: %s: a feature of "
		    "'%s' is not in the layout\n", l->name, names);
		abort();
	}
}

static void
layout_sets_init(void)
{
	size_t	i;

	for (i = 0; i < jvm_nlayouts; i++) {
		names_to_set(&jvm_layouts[i], jvm_layouts[i].generic_names,
		    &layout_sets[i].generic);
		names_to_set(&jvm_layouts[i], jvm_layouts[i].mandatory_names,
		    &layout_sets[i].mandatory);
		names_to_set(&jvm_layouts[i], jvm_layouts[i].cleared_names,
		    &layout_sets[i].cleared);
	}
}

static void
layout_sets_ready(void)
{
	pthread_once(&layout_sets_once, layout_sets_init);
}

static const struct ccpu_jdk_build builds[] = {
#define J(name, layout, caveat, evidence)	{ name, layout, caveat, evidence },
#include "jdk-builds.def"
#undef J
};

const char *
jvm_line_name(enum jvm_line line)
{
	return line < LINE_COUNT ? jvm_layouts[line].name : "?";
}

int
jvm_feature_bit(const struct ccpu_layout *l, enum jvm_feature f)
{
	if ((unsigned int)f >= F_COUNT || l->featbit[f] == 0)
		return -1;
	return l->featbit[f] - 1;
}

int
jvm_bit_feature(const struct ccpu_layout *l, unsigned int bit)
{
	size_t	i;

	for (i = 0; i < l->nbits; i++)
		if (l->bits[i].bit == bit)
			return (int)l->bits[i].feature;
	return -1;
}

int
jvm_feature_by_name(const char *name, enum jvm_kind kind)
{
	int	f;

	for (f = 0; f < F_COUNT; f++)
		if (jvm_features[f].kind == kind &&
		    strcmp(jvm_features[f].name, name) == 0)
			return f;
	return -1;
}

const struct ccpu_layout *
ccpu_layout_at(size_t i)
{
	return i < jvm_nlayouts ? &jvm_layouts[i] : NULL;
}

const struct ccpu_layout *
ccpu_layout_by_id(enum ccpu_layout_id id)
{
	size_t	i;

	for (i = 0; i < jvm_nlayouts; i++)
		if (jvm_layouts[i].id == id && (jvm_layouts[i].flags & CANON))
			return &jvm_layouts[i];
	return NULL;
}

const struct ccpu_jdk_build *
ccpu_jdk_build_at(size_t i)
{
	return i < nitems(builds) ? &builds[i] : NULL;
}

static const struct ccpu_layout *
layout_by_name(const char *name)
{
	size_t	i;

	for (i = 0; i < jvm_nlayouts; i++)
		if (strcasecmp(jvm_layouts[i].name, name) == 0)
			return &jvm_layouts[i];
	return NULL;
}

static const struct ccpu_jdk_build *
build_by_name(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(builds); i++)
		if (strcasecmp(builds[i].name, name) == 0)
			return &builds[i];
	return NULL;
}

const struct ccpu_layout *
ccpu_layout_lookup(const char *name, struct ccpu_error *err)
{
	const struct ccpu_jdk_build	*b;
	const struct ccpu_layout	*l;
	char				 known[256];
	size_t				 i, n = 0;

	if ((l = layout_by_name(name)) != NULL)
		return l;
	if ((b = build_by_name(name)) != NULL)
		return layout_by_name(b->layout);
	known[0] = '\0';
	for (i = 0; i < jvm_nlayouts + nitems(builds) && n < sizeof(known); i++)
		n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s",
		    i == 0 ? "" : ", ", i < jvm_nlayouts ? jvm_layouts[i].name :
		    builds[i - jvm_nlayouts].name);
	ccpu_error_set(err, CCPU_EUSAGE, "unknown JDK or layout '%s' (known: %s)",
	    name, known);
	return NULL;
}

const char *
ccpu_jdk_caveat(const char *name)
{
	const struct ccpu_jdk_build	*b = build_by_name(name);

	return b != NULL ? b->caveat : NULL;
}

const char *
ccpu_layouts_date(void)
{
	return LAYOUTS_DATE;
}

/*
 * x17: the layout used by every JDK 17 CRaC build whose numbering is on
 * record (Zulu 17 and Canonical), and the only derivation line a real JVM
 * (Debian's JDK 17) has checked.  docs/layouts.md says why.
 */
const struct ccpu_layout *
ccpu_layout_default(void)
{
	size_t	i;

	for (i = 0; i < jvm_nlayouts; i++)
		if (jvm_layouts[i].flags & DEFAULT)
			break;
	return &jvm_layouts[i];	/* one row has it (tests/unit/test_tables.c) */
}

static const struct jdk_release_row {
	const char	*implementor;
	long		 feature;
	const char	*layout;
	const char	*evidence;
} release_rows[] = {
#define R(impl, feature, layout, evidence)	{ impl, feature, layout, evidence },
#include "jdk-releases.def"
#undef R
};

/* The leading decimal number of s, or -1; *end after it. */
static long
leading_number(const char *s, const char **end)
{
	long	n = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		if (n > 100000)
			return -1;
		n = n * 10 + (*s++ - '0');
	}
	*end = s;
	return n;
}

/*
 * A version as (feature, update): "17.0.4" is (17, 4), "21" is (21, 0);
 * as the upper end of a range, a version without an update is
 * (feature, any).  -1 when it does not start with a number.
 */
static int
version_key(const char *v, bool upper, long *feature, long *update)
{
	const char	*p, *q;

	if ((*feature = leading_number(v, &p)) < 0)
		return -1;
	*update = upper ? LONG_MAX : 0;
	/* 17.0.4: interim 0, update 4.  Other separators end the number. */
	if (*p == '.' && leading_number(p + 1, &q) >= 0 && *q == '.' &&
	    (*update = leading_number(q + 1, &q)) < 0)
		*update = 0;
	return 0;
}

/* Whether feature.update lies in [from, upto] ("" is open). */
static bool
version_in(long feature, long update, const char *from, const char *upto)
{
	long	f, u;

	if (from[0] != '\0' && version_key(from, false, &f, &u) == 0 &&
	    (feature < f || (feature == f && update < u)))
		return false;
	if (upto[0] != '\0' && version_key(upto, true, &f, &u) == 0 &&
	    (feature > f || (feature == f && update > u)))
		return false;
	return true;
}

/* The java.version ranges of data/layouts.def. */
const struct ccpu_layout *
ccpu_layout_from_java_version(const char *version, struct ccpu_error *err)
{
	const struct ccpu_layout *one = NULL;
	const char		*what[16];
	char			 list[512];
	size_t			 i, n = 0, len = 0;
	long			 feature, update;
	bool			 unknown = false;

	if (version_key(version, false, &feature, &update) == -1)
		return ccpu_error_set(err, CCPU_EINPUT,
		    "java version '%s': not a version number", version), NULL;
	for (i = 0; i < jvm_nlayouts && n < nitems(what); i++)
		if (version_in(feature, update, jvm_layouts[i].java_from,
		    jvm_layouts[i].java_upto)) {
			one = &jvm_layouts[i];
			what[n++] = jvm_layouts[i].name;
		}
	for (i = 0; i < nitems(unmodelled) && n < nitems(what); i++)
		if (version_in(feature, update, unmodelled[i].from,
		    unmodelled[i].upto)) {
			unknown = true;
			what[n++] = unmodelled[i].what;
		}
	if (n == 1 && !unknown)
		return one;
	if (n == 0)
		return ccpu_error_set(err, CCPU_EINPUT, "java version '%s': no "
		    "CRaC CPU feature layout is known for JDK %ld", version,
		    feature), NULL;
	list[0] = '\0';
	for (i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", what[i]);
	return ccpu_error_set(err, CCPU_EINPUT, "java version '%s': CRaC "
	    "builds of JDK %ld use %s; run 'crac-cpu layouts --identify' or "
	    "name the layout with --jdk", version, feature, list), NULL;
}

/* KEY="value" (quotes optional) of a release file into dst; false if absent. */
static bool
release_value(const char *text, size_t len, const char *key, char *dst,
    size_t size)
{
	const char	*p = text, *end = text + len, *nl, *v;
	size_t		 k = strlen(key), n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - p) > k && memcmp(p, key, k) == 0 && p[k] == '=') {
			v = p + k + 1;
			n = (size_t)(nl - v);
			if (n > 0 && v[n - 1] == '\r')
				n--;
			if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
				v++;
				n -= 2;
			}
			if (n >= size || memchr(v, '\0', n) != NULL)
				n = 0;
			memcpy(dst, v, n);
			dst[n] = '\0';
			return true;
		}
		p = nl + 1;
	}
	dst[0] = '\0';
	return false;
}

void
ccpu_jdk_release_parse(const char *text, size_t len, struct ccpu_jdk_release *out)
{
	memset(out, 0, sizeof(*out));
	release_value(text, len, "JAVA_VERSION", out->java_version,
	    sizeof(out->java_version));
	release_value(text, len, "JAVA_RUNTIME_VERSION", out->runtime_version,
	    sizeof(out->runtime_version));
	release_value(text, len, "IMPLEMENTOR", out->implementor,
	    sizeof(out->implementor));
	release_value(text, len, "IMPLEMENTOR_VERSION", out->implementor_version,
	    sizeof(out->implementor_version));
}

const struct ccpu_layout *
ccpu_layout_from_jdk_release(const struct ccpu_jdk_release *r,
    const char **evidence, struct ccpu_error *err)
{
	const char	*end;
	long		 feature;
	size_t		 i;

	if (evidence != NULL)
		*evidence = NULL;
	if (r->java_version[0] == '\0')
		return ccpu_error_set(err, CCPU_EINPUT, "no JAVA_VERSION line"),
		    NULL;
	feature = leading_number(r->java_version, &end);
	for (i = 0; i < nitems(release_rows); i++)
		if (release_rows[i].feature == feature &&
		    strncmp(r->implementor, release_rows[i].implementor,
		    strlen(release_rows[i].implementor)) == 0) {
			if (evidence != NULL)
				*evidence = release_rows[i].evidence;
			return layout_by_name(release_rows[i].layout);
		}
	return ccpu_layout_from_java_version(r->java_version, err);
}

const struct ccpu_layout *
ccpu_layout_from_release(const char *text, size_t len, struct ccpu_error *err)
{
	struct ccpu_jdk_release	r;

	ccpu_jdk_release_parse(text, len, &r);
	return ccpu_layout_from_jdk_release(&r, NULL, err);
}

enum ccpu_layout_id
ccpu_layout_id(const struct ccpu_layout *l)
{
	return l->id;
}

const char *
ccpu_layout_name(const struct ccpu_layout *l)
{
	return l->name;
}

const char *
ccpu_layout_summary(const struct ccpu_layout *l)
{
	return l->summary;
}

bool
ccpu_layout_glibc_word(const struct ccpu_layout *l)
{
	return l->glibc_word;
}

const char *
ccpu_layout_bit_name(const struct ccpu_layout *l, unsigned int bit)
{
	size_t	i;

	for (i = 0; i < l->nbits; i++)
		if (l->bits[i].bit == bit)
			return l->bits[i].name;
	return NULL;
}

size_t
ccpu_layout_names(const struct ccpu_layout *l, const char *names,
    struct ccpu_featset *fs)
{
	const char	*p = names, *w;
	char		 name[CCPU_LABEL_MAX];
	size_t		 lacking = 0, len;
	int		 b;

	while ((w = next_word(&p, &len)) != NULL) {
		if (len < sizeof(name)) {
			memcpy(name, w, len);
			name[len] = '\0';
		} else
			name[0] = '\0';
		if (name[0] != '\0' && (b = ccpu_layout_bit(l, name)) >= 0)
			ccpu_featset_add(fs, (unsigned int)b);
		else
			lacking++;
	}
	return lacking;
}

int
ccpu_layout_bit(const struct ccpu_layout *l, const char *name)
{
	int	f;

	if (strncmp(name, "glibc.", 6) == 0) {
		f = jvm_feature_by_name(name + 6, KIND_GLIBC);
		return f < 0 ? -1 : jvm_feature_bit(l, (enum jvm_feature)f);
	}
	f = jvm_feature_by_name(name, KIND_HS);
	if (f >= 0 && jvm_feature_bit(l, (enum jvm_feature)f) >= 0)
		return jvm_feature_bit(l, (enum jvm_feature)f);
	f = jvm_feature_by_name(name, KIND_GLIBC);
	return f < 0 ? -1 : jvm_feature_bit(l, (enum jvm_feature)f);
}

const struct ccpu_featset *
ccpu_layout_valid(const struct ccpu_layout *l)
{
	return l->valid;
}

const struct ccpu_featset *
ccpu_layout_glibc(const struct ccpu_layout *l)
{
	return l->glibc;
}

const struct ccpu_featset *
ccpu_layout_generic(const struct ccpu_layout *l)
{
	layout_sets_ready();
	return l->generic;
}

const struct ccpu_featset *
ccpu_layout_mandatory(const struct ccpu_layout *l)
{
	layout_sets_ready();
	return l->mandatory;
}

const struct ccpu_featset *
ccpu_layout_ignored(const struct ccpu_layout *l)
{
	return l->ignored;
}

const struct ccpu_featset *
ccpu_layout_record_cleared(const struct ccpu_layout *l)
{
	layout_sets_ready();
	return l->record_cleared;
}

void
ccpu_layout_printed(const struct ccpu_layout *l, struct ccpu_featset *out)
{
	*out = *l->valid;
	if (l->glibc_word)
		ccpu_featset_minus(out, out, l->glibc);
}

void
ccpu_jvm_format_value(const struct ccpu_layout *l,
    const struct ccpu_featset *fs, char *buf, size_t size)
{
	(void)l;
	snprintf(buf, size, "0x%" PRIx64 ",0x%" PRIx64, fs->w[0], fs->w[1]);
}

/* One word of [s, e): the digits only, already split at commas. */
static int
parse_word(const char *s, const char *e, int base, uint64_t *out,
    struct ccpu_error *err)
{
	char			 buf[80];
	char			*end;
	size_t			 n = (size_t)(e - s);
	unsigned long long	 v;

	if (n == 0)
		return ccpu_error_set(err, CCPU_EINPUT, "empty number");
	if (n >= sizeof(buf))
		return ccpu_error_set(err, CCPU_EINPUT, "number of %zu characters",
		    n);
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!isalnum((unsigned char)buf[0]))
		return ccpu_error_set(err, CCPU_EINPUT, "'%s' is not a number",
		    buf);
	errno = 0;
	v = strtoull(buf, &end, base);
	if (errno != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s' is out of range",
		    buf);
	if (*end != '\0' || end == buf)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s' is not a number",
		    buf);
	*out = v;
	return 0;
}

static bool
has_prefix0x(const char *s, const char *e)
{
	return e - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

int
ccpu_jvm_parse_words(const char *s, size_t len, enum ccpu_parse_mode mode,
    struct ccpu_featset *out, struct ccpu_error *err)
{
	struct ccpu_featset	 fs = CCPU_FEATSET_INIT;
	const char		*p, *e = s + len, *comma[CCPU_JVM_WORDS];
	const char		*ws, *we;
	bool			 any0x = false, anyhex = false;
	size_t			 ncomma = 0, i;
	int			 base;

	for (p = s; p < e; p++) {
		if (*p == ',') {
			if (ncomma == CCPU_JVM_WORDS - 1)
				return ccpu_error_set(err, CCPU_EINPUT,
				    "more than %d numbers", CCPU_JVM_WORDS);
			comma[ncomma++] = p;
		} else if (!isalnum((unsigned char)*p))
			return ccpu_error_set(err, CCPU_EINPUT,
			    "unexpected character '%c' at offset %zu", *p,
			    (size_t)(p - s));
	}
	if (ncomma != CCPU_JVM_WORDS - 1)
		return ccpu_error_set(err, CCPU_EINPUT, "want %d comma-separated "
		    "numbers (0xNUM,0xNUM)", CCPU_JVM_WORDS);
	comma[ncomma] = e;
	for (i = 0, ws = s; i < CCPU_JVM_WORDS; ws = comma[i++] + 1) {
		we = comma[i];
		if (has_prefix0x(ws, we))
			any0x = true;
		else
			for (p = ws; p < we; p++)
				if (hex_digit(*p) >= 10)
					anyhex = true;
	}
	for (i = 0, ws = s; i < CCPU_JVM_WORDS; ws = comma[i++] + 1) {
		we = comma[i];
		base = 0;
		if (mode == CCPU_PARSE_HEX || (!any0x && anyhex))
			base = 16;
		/* "0x0x1f": PR #127 fixed a doubled prefix in old output. */
		if (base == 16 && has_prefix0x(ws, we)) {
			ws += 2;
			if (has_prefix0x(ws, we))
				ws += 2;
		}
		if (parse_word(ws, we, base, &fs.w[i], err) == -1) {
			ccpu_error_prefix(err, "word %zu", i + 1);
			return -1;
		}
	}
	*out = fs;
	return 0;
}

bool
ccpu_jvm_value_ambiguous(const char *s)
{
	const char	*p;
	bool		 big = false;
	size_t		 digits = 0;

	for (p = s; ; p++) {
		if (*p == ',' || *p == '\0') {
			if (digits >= 2)
				big = true;
			digits = 0;
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == 'x' || *p == 'X' || !isdigit((unsigned char)*p))
			return false;
		/* Leading zeros mean octal to strtoull; count significance only. */
		if (digits > 0 || *p != '0')
			digits++;
	}
	return big;
}

int
ccpu_jvm_parse_value(const struct ccpu_layout *l, const char *s,
    struct ccpu_featset *out, struct ccpu_error *err)
{
	struct ccpu_featset	fs, extra;
	int			bit;

	if (ccpu_jvm_parse_words(s, strlen(s), CCPU_PARSE_JVM, &fs, err) == -1) {
		ccpu_error_prefix(err, "value '%s'", s);
		return -1;
	}
	ccpu_featset_minus(&extra, &fs, l->valid);
	if ((bit = ccpu_featset_next(&extra, 0)) >= 0)
		return ccpu_error_set(err, CCPU_EINPUT, "value '%s': bit %d (word %d "
		    "bit %d) has no meaning in layout %s", s, bit, bit / 64,
		    bit % 64, l->name);
	*out = fs;
	return 0;
}

void
ccpu_jvm_format_bitmap(const struct ccpu_featset *fs, char *buf, size_t size)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, n = 0;
	unsigned int		byte;

	if (size == 0)
		return;
	for (i = 0; i < CCPU_JVM_WORDS * 8 && n + 2 < size; i++) {
		byte = (unsigned int)(fs->w[i / 8] >> (8 * (i % 8))) & 0xff;
		buf[n++] = hex[byte >> 4];
		buf[n++] = hex[byte & 0xf];
	}
	buf[n] = '\0';
}

int
ccpu_jvm_parse_bitmap(const char *hex, size_t len, struct ccpu_featset *out,
    struct ccpu_error *err)
{
	struct ccpu_featset	fs = CCPU_FEATSET_INIT;
	size_t			i;
	int			hi, lo;

	if (len != CCPU_BITMAP_HEX)
		return ccpu_error_set(err, CCPU_EINPUT, "bitmap: want %d hex "
		    "digits, got %zu characters", CCPU_BITMAP_HEX, len);
	for (i = 0; i < len; i += 2) {
		if ((hi = hex_digit(hex[i])) < 0 || (lo = hex_digit(hex[i + 1])) < 0)
			return ccpu_error_set(err, CCPU_EINPUT, "bitmap: offset "
			    "%zu: not a hex digit", hex_digit(hex[i]) < 0 ? i : i + 1);
		fs.w[i / 16] |= (uint64_t)(hi << 4 | lo) << (8 * ((i / 2) % 8));
	}
	*out = fs;
	return 0;
}

const char *
ccpu_layout_bit_label(const struct ccpu_layout *l, unsigned int bit,
    char *buf, size_t size)
{
	const char	*name = ccpu_layout_bit_name(l, bit);

	if (name == NULL)
		snprintf(buf, size, "bit%u", bit);
	else if (ccpu_layout_bit(l, name) != (int)bit)
		snprintf(buf, size, "glibc.%s", name);
	else
		snprintf(buf, size, "%s", name);
	return buf;
}

void
ccpu_jvm_format_names(const struct ccpu_layout *l,
    const struct ccpu_featset *fs, char *buf, size_t size)
{
	const char	*name;
	char		 tmp[32];
	size_t		 n = 0, k;
	int		 bit;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (bit = ccpu_featset_next(fs, 0); bit >= 0;
	    bit = ccpu_featset_next(fs, (unsigned int)bit + 1)) {
		if ((name = ccpu_layout_bit_name(l, (unsigned int)bit)) == NULL) {
			snprintf(tmp, sizeof(tmp), "bit%d", bit);
			name = tmp;
		}
		k = strlen(name) + (n > 0 ? 2 : 0);
		if (n + k + 1 > size)
			break;
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
		    n > 0 ? ", " : "", name);
	}
}

void
ccpu_jvm_translate(const struct ccpu_layout *from,
    const struct ccpu_featset *in, const struct ccpu_layout *to,
    struct ccpu_featset *out, struct ccpu_featset *lost)
{
	struct ccpu_featset	res = CCPU_FEATSET_INIT, gone = CCPU_FEATSET_INIT;
	int			bit, f, tb;

	for (bit = ccpu_featset_next(in, 0); bit >= 0;
	    bit = ccpu_featset_next(in, (unsigned int)bit + 1)) {
		f = jvm_bit_feature(from, (unsigned int)bit);
		tb = f < 0 ? -1 : jvm_feature_bit(to, (enum jvm_feature)f);
		if (tb < 0)
			ccpu_featset_add(&gone, (unsigned int)bit);
		else
			ccpu_featset_add(&res, (unsigned int)tb);
	}
	*out = res;
	if (lost != NULL)
		*lost = gone;
}

json_t *
ccpu_jvm_names_json(const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	json_t	*arr = json_array();
	char	 name[CCPU_LABEL_MAX];
	int	 bit;

	for (bit = ccpu_featset_next(fs, 0); bit >= 0;
	    bit = ccpu_featset_next(fs, (unsigned int)bit + 1))
		json_array_append_new(arr, json_string(ccpu_layout_bit_label(l,
		    (unsigned int)bit, name, sizeof(name))));
	return arr;
}

json_t *
ccpu_jvm_value_json(const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	json_t	*o = json_object(), *words = json_array();
	char	 v[CCPU_VALUE_MAX], bm[CCPU_BITMAP_HEX + 1];
	int	 i;

	ccpu_jvm_format_value(l, fs, v, sizeof(v));
	json_object_set_new(o, "value", json_string(v));
	for (i = 0; i < CCPU_JVM_WORDS; i++) {
		snprintf(v, sizeof(v), "0x%016" PRIx64, fs->w[i]);
		json_array_append_new(words, json_string(v));
	}
	json_object_set_new(o, "words", words);
	ccpu_jvm_format_bitmap(fs, bm, sizeof(bm));
	json_object_set_new(o, "bitmap", json_string(bm));
	json_object_set_new(o, "names", ccpu_jvm_names_json(l, fs));
	return o;
}
