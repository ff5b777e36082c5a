/*
 * aarch64: MIDR names, Linux's HWCAP names and the aarch64 layouts, all
 * from data/ tables (a64-midr.def, a64-hwcap.def, a64-features.def,
 * a64-layouts.def and one layout-a*.def each).  Pure: the live capture is
 * src/aarch64/probe.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/aarch64.h"
#include "strbuf.h"
#include "words.h"
#include "xmalloc.h"

/* ---- MIDR names ---- */

static const struct { unsigned int impl; const char *name; } implementers[] = {
#define I(impl, name)	{ impl, name },
#define P(impl, part, core, where)
#include "a64-midr.def"
#undef P
#undef I
};

static const struct a64_part {
	unsigned int	 impl, part;
	const char	*core, *where;
} parts[] = {
#define I(impl, name)
#define P(impl, part, core, where)	{ impl, part, core, where },
#include "a64-midr.def"
#undef P
#undef I
};

static const char *
implementer_name(unsigned int impl)
{
	size_t	i;

	for (i = 0; i < nitems(implementers); i++)
		if (implementers[i].impl == impl)
			return implementers[i].name;
	return NULL;
}

bool
ccpu_a64_midr_name(uint32_t midr, char *buf, size_t size, const char **where)
{
	unsigned int	 impl = CCPU_MIDR_IMPLEMENTER(midr);
	unsigned int	 part = CCPU_MIDR_PART(midr);
	const char	*iname = implementer_name(impl);
	size_t		 i;

	if (where != NULL)
		*where = "";
	if (midr == 0) {
		snprintf(buf, size, "unknown");
		return false;
	}
	for (i = 0; i < nitems(parts); i++)
		if (parts[i].impl == impl && parts[i].part == part) {
			snprintf(buf, size, "%s %s r%up%u", iname, parts[i].core,
			    CCPU_MIDR_VARIANT(midr), CCPU_MIDR_REVISION(midr));
			if (where != NULL)
				*where = parts[i].where;
			return true;
		}
	if (iname != NULL)
		snprintf(buf, size, "%s part 0x%03x r%up%u", iname, part,
		    CCPU_MIDR_VARIANT(midr), CCPU_MIDR_REVISION(midr));
	else
		snprintf(buf, size, "implementer 0x%02x part 0x%03x r%up%u",
		    impl, part, CCPU_MIDR_VARIANT(midr), CCPU_MIDR_REVISION(midr));
	return false;
}

int
ccpu_a64_add_core(struct ccpu_a64_cpu *c, uint32_t midr, struct ccpu_error *err)
{
	unsigned int	i;

	for (i = 0; i < c->ncores; i++)
		if (c->cores[i].midr == midr) {
			c->cores[i].nlogical++;
			return 0;
		}
	if (c->ncores == CCPU_A64_MAX_CORES)
		return ccpu_error_set(err, CCPU_EINPUT,
		    "more than %d different core types", CCPU_A64_MAX_CORES);
	c->cores[c->ncores].midr = midr;
	c->cores[c->ncores].nlogical = 1;
	c->ncores++;
	return 0;
}

/* ---- HWCAP names ---- */

static const struct { unsigned int word, bit; const char *name; } hwcaps[] = {
#define H(word, bit, macro, name)	{ word, bit, name },
#include "a64-hwcap.def"
#undef H
};

const char *
ccpu_a64_hwcap_name(unsigned int word, unsigned int bit)
{
	size_t	i;

	for (i = 0; i < nitems(hwcaps); i++)
		if (hwcaps[i].word == word && hwcaps[i].bit == bit)
			return hwcaps[i].name;
	return NULL;
}

int
ccpu_a64_hwcap_lookup(const char *name, size_t len, unsigned int *word,
    unsigned int *bit)
{
	size_t	i;

	for (i = 0; i < nitems(hwcaps); i++)
		if (strlen(hwcaps[i].name) == len &&
		    memcmp(hwcaps[i].name, name, len) == 0) {
			*word = hwcaps[i].word;
			*bit = hwcaps[i].bit;
			return 0;
		}
	return -1;
}

/* ---- features and layouts ---- */

enum a64_feature {
#define A(id, src, x, y, needs, kept, what)	AF_##id,
#include "a64-features.def"
#undef A
	AF_COUNT,
	AF_NONE = AF_COUNT
};

enum a64_source { HWCAP, NOHWCAP, MODEL, NEVER };
enum a64_kept { NO, REFUSED, RESET };

static const struct a64_feature_row {
	enum a64_source	 src;
	unsigned int	 x, y;
	enum a64_feature needs;
	enum a64_kept	 kept;
} features[] = {
#define A(id, src, x, y, needs, kept, what) \
	[AF_##id] = { src, x, y, AF_##needs, kept },
#include "a64-features.def"
#undef A
};

struct a64_bit {
	unsigned int		 bit;
	enum a64_feature	 feature;
	const char		*name;
};

#define B(bit, id, name)	{ bit, AF_##id, name },
static const struct a64_bit bits_17[] = {
#include "layout-a17.def"
};
static const struct a64_bit bits_21[] = {
#include "layout-a21.def"
};
static const struct a64_bit bits_25[] = {
#include "layout-a25.def"
};
static const struct a64_bit bits_20[] = {
#include "layout-a20.def"
};
static const struct a64_bit bits_22[] = {
#include "layout-a22.def"
};
static const struct a64_bit bits_63[] = {
#include "layout-a63.def"
};
#undef B

#define VALUE		0x1u
#define SVE_SYNC	0x2u

struct ccpu_a64_layout {
	const char		*name;
	unsigned int		 flags;
	const char		*jdks, *summary;
	const struct a64_bit	*bits;
	size_t			 nbits;
};

static const struct ccpu_a64_layout layouts[] = {
#define A(id, name, flags, jdks, summary) \
	{ name, flags, jdks, summary, bits_##id, nitems(bits_##id) },
#include "a64-layouts.def"
#undef A
};

const char ccpu_a64_generic_refused[] =
    "-XX:CPUFeatures=generic is not available on aarch64";

const struct ccpu_a64_layout *
ccpu_a64_layout_at(size_t i)
{
	return i < nitems(layouts) ? &layouts[i] : NULL;
}

static bool
word_in(const char *words, const char *w)
{
	const char	*s;
	size_t		 n = strlen(w), k;

	while ((s = next_word(&words, &k)) != NULL)
		if (k == n && memcmp(s, w, n) == 0)
			return true;
	return false;
}

const struct ccpu_a64_layout *
ccpu_a64_layout_lookup(const char *name, struct ccpu_error *err)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < nitems(layouts); i++)
		if (strcmp(layouts[i].name, name) == 0 ||
		    word_in(layouts[i].jdks, name))
			return &layouts[i];
	for (i = 0; i < nitems(layouts); i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? ", " : "", layouts[i].name);
	ccpu_error_set(err, CCPU_EUSAGE, "unknown aarch64 layout or JDK '%s' "
	    "(known: %s)", name, sb.buf);
	strbuf_release(&sb);
	return NULL;
}

const struct ccpu_a64_layout *
ccpu_a64_layout_stock(const char *version, struct ccpu_error *err)
{
	char	*end;
	long	 feature;
	size_t	 i;
	char	 jdk[24];

	/* "17.0.9", "21-crac", "25+36": the feature release leads. */
	errno = 0;
	feature = version[0] >= '0' && version[0] <= '9' ?
	    strtol(version, &end, 10) : -1;
	if (feature <= 0 || errno != 0 || (*end != '\0' && *end != '.' &&
	    *end != '-' && *end != '+' && *end != '_'))
		return ccpu_error_set(err, CCPU_EINPUT, "java version '%s': "
		    "not a version number", version), NULL;
	snprintf(jdk, sizeof(jdk), "%ld", feature);
	for (i = 0; i < nitems(layouts); i++)
		if ((layouts[i].flags & VALUE) == 0 &&
		    word_in(layouts[i].jdks, jdk))
			return &layouts[i];
	return ccpu_error_set(err, CCPU_EINPUT, "java version '%s': no stock "
	    "aarch64 layout is known for JDK %ld (a17, a21 and a25 are)",
	    version, feature), NULL;
}

const char *
ccpu_a64_layout_name(const struct ccpu_a64_layout *l)
{
	return l->name;
}

const char *
ccpu_a64_layout_summary(const struct ccpu_a64_layout *l)
{
	return l->summary;
}

const char *
ccpu_a64_layout_jdks(const struct ccpu_a64_layout *l)
{
	return l->jdks;
}

bool
ccpu_a64_layout_has_value(const struct ccpu_a64_layout *l)
{
	return (l->flags & VALUE) != 0;
}

const char *
ccpu_a64_layout_bit_name(const struct ccpu_a64_layout *l, unsigned int bit)
{
	size_t	i;

	for (i = 0; i < l->nbits; i++)
		if (l->bits[i].bit == bit)
			return l->bits[i].name;
	return NULL;
}

int
ccpu_a64_layout_bit(const struct ccpu_a64_layout *l, const char *name)
{
	size_t	i;

	for (i = 0; i < l->nbits; i++)
		if (strcmp(l->bits[i].name, name) == 0)
			return (int)l->bits[i].bit;
	return -1;
}

void
ccpu_a64_layout_valid(const struct ccpu_a64_layout *l, struct ccpu_featset *out)
{
	size_t	i;

	ccpu_featset_clear(out);
	for (i = 0; i < l->nbits; i++)
		ccpu_featset_add(out, l->bits[i].bit);
}

/* The feature row of bit b of l (b must have a meaning in l). */
static const struct a64_feature_row *
bit_row(const struct ccpu_a64_layout *l, unsigned int b)
{
	size_t	i;

	for (i = 0; i < l->nbits && l->bits[i].bit != b; i++)
		continue;
	return &features[l->bits[i < l->nbits ? i : 0].feature];
}

static int
feature_bit(const struct ccpu_a64_layout *l, enum a64_feature f)
{
	size_t	i;

	for (i = 0; i < l->nbits; i++)
		if (l->bits[i].feature == f)
			return (int)l->bits[i].bit;
	return -1;
}

int
ccpu_a64_layout_paca(const struct ccpu_a64_layout *l)
{
	return feature_bit(l, AF_PACA);
}

int
ccpu_a64_layout_notpaca(const struct ccpu_a64_layout *l)
{
	return feature_bit(l, AF_NOTPACA);
}

static bool
hwcap_bit(const struct ccpu_a64_cpu *cpu, unsigned int word, unsigned int bit)
{
	return ((word == 1 ? cpu->hwcap : cpu->hwcap2) >> bit & 1) != 0;
}

/*
 * HotSpot scans /proc/cpuinfo's processor blocks in order and keeps the
 * last implementer (_cpu), the last part (_model) and the part before the
 * last change of part (_model2): a model rule matches either part.
 */
static bool
model_is(const struct ccpu_a64_cpu *cpu, unsigned int impl, unsigned int part)
{
	unsigned int	model = 0, model2 = 0, last_impl = 0, p, i;

	for (i = 0; i < cpu->ncores; i++) {
		p = CCPU_MIDR_PART(cpu->cores[i].midr);
		if (model != p)
			model2 = model;
		model = p;
		last_impl = CCPU_MIDR_IMPLEMENTER(cpu->cores[i].midr);
	}
	return last_impl == impl && (model == part || model2 == part);
}

static bool
has_feature(const struct ccpu_a64_cpu *cpu, enum a64_feature f)
{
	const struct a64_feature_row	*r = &features[f];

	switch (r->src) {
	case HWCAP:	return hwcap_bit(cpu, r->x, r->y);
	case NOHWCAP:	return !hwcap_bit(cpu, r->x, r->y);
	case MODEL:	return model_is(cpu, r->x, r->y);
	case NEVER:	break;
	}
	return false;
}

void
ccpu_a64_derive(const struct ccpu_a64_layout *l, const struct ccpu_a64_cpu *cpu,
    struct ccpu_featset *out)
{
	bool	have[AF_COUNT];
	bool	changed;
	size_t	i;

	for (i = 0; i < AF_COUNT; i++)
		have[i] = has_feature(cpu, (enum a64_feature)i);
	/* UseSVE's default keeps sve2 with sve and svebitperm with sve2. */
	if ((l->flags & SVE_SYNC) != 0)
		do {
			changed = false;
			for (i = 0; i < AF_COUNT; i++)
				if (have[i] && features[i].needs != AF_NONE &&
				    !have[features[i].needs]) {
					have[i] = false;
					changed = true;
				}
		} while (changed);
	ccpu_featset_clear(out);
	for (i = 0; i < l->nbits; i++)
		if (have[l->bits[i].feature])
			ccpu_featset_add(out, l->bits[i].bit);
}

int
ccpu_a64_value_check(const struct ccpu_a64_layout *l,
    const struct ccpu_featset *v, char *why, size_t size)
{
	struct ccpu_featset	valid, bad;
	int			paca, notpaca, b;

	why[0] = '\0';
	ccpu_a64_layout_valid(l, &valid);
	ccpu_featset_minus(&bad, v, &valid);
	if ((b = ccpu_featset_next(&bad, 0)) >= 0) {
		snprintf(why, size, "bit %d has no meaning in layout %s", b,
		    l->name);
		return 1;
	}
	paca = ccpu_a64_layout_paca(l);
	notpaca = ccpu_a64_layout_notpaca(l);
	if (paca >= 0 && notpaca >= 0 &&
	    ccpu_featset_has(v, (unsigned int)paca) ==
	    ccpu_featset_has(v, (unsigned int)notpaca)) {
		snprintf(why, size, "For -XX:CPUFeatures, exactly one of the "
		    "bits PACA (0x%llx) and NOTPACA (0x%llx) must be set.",
		    1ull << paca, 1ull << notpaca);
		return 1;
	}
	return 0;
}

/* One layout's names of every value, "|"-separated, onto sb. */
static void
names_of_all(const struct ccpu_a64_layout *l, const struct ccpu_featset *v,
    size_t n, struct strbuf *sb)
{
	char	names[1024];
	size_t	i;

	for (i = 0; i < n; i++) {
		ccpu_a64_format_names(l, &v[i], ",", names, sizeof(names));
		strbuf_addf(sb, "%s%s", i > 0 ? "|" : "", names);
	}
}

const struct ccpu_a64_layout *
ccpu_a64_layout_infer(const struct ccpu_featset *whole, size_t nwhole,
    const struct ccpu_featset *part, size_t npart, char *from, size_t size,
    struct ccpu_error *err)
{
	const struct ccpu_a64_layout	*l, *found = NULL, *first = NULL;
	struct strbuf			 cands = STRBUF_INIT, why = STRBUF_INIT;
	struct strbuf			 ref = STRBUF_INIT, one = STRBUF_INIT;
	struct ccpu_featset		 valid, bad;
	char				 w[256];
	size_t				 i, k;
	bool				 ok;
	int				 b;

	for (i = 0; (l = ccpu_a64_layout_at(i)) != NULL; i++) {
		if (!ccpu_a64_layout_has_value(l))
			continue;
		ok = true;
		for (k = 0; k < nwhole && ok; k++)
			if (ccpu_a64_value_check(l, &whole[k], w, sizeof(w)))
				ok = false;
		ccpu_a64_layout_valid(l, &valid);
		for (k = 0; k < npart && ok; k++) {
			ccpu_featset_minus(&bad, &part[k], &valid);
			if ((b = ccpu_featset_next(&bad, 0)) >= 0) {
				snprintf(w, sizeof(w), "bit %d has no meaning",
				    b);
				ok = false;
			}
		}
		if (!ok) {
			k = strlen(w);
			if (k > 0 && w[k - 1] == '.')
				w[k - 1] = '\0';
			strbuf_addf(&why, "%s%s: %s", why.len > 0 ? "; " : "",
			    l->name, w);
			continue;
		}
		strbuf_release(&one);
		names_of_all(l, whole, nwhole, &one);
		strbuf_adds(&one, "|");
		names_of_all(l, part, npart, &one);
		if (first == NULL) {
			first = l;
			strbuf_adds(&ref, one.buf);
		} else if (strcmp(ref.buf, one.buf) != 0) {
			ccpu_error_set(err, CCPU_EINPUT, "layouts %s and %s "
			    "both accept it and name different features (%s: "
			    "%s; %s: %s): name the layout with --jdk",
			    first->name, l->name, first->name, ref.buf,
			    l->name, one.buf);
			found = NULL;
			goto out;
		}
		strbuf_addf(&cands, "%s%s", cands.len > 0 ? ", " : "",
		    l->name);
		found = l;
	}
	if (found == NULL)
		ccpu_error_set(err, CCPU_EINPUT, "no aarch64 CRaC layout "
		    "accepts it (%s)", why.buf);
	else
		snprintf(from, size, "%s", cands.buf);
out:
	strbuf_release(&cands);
	strbuf_release(&why);
	strbuf_release(&ref);
	strbuf_release(&one);
	return found;
}

/*
 * In the layout table's order, which is HotSpot's declaration order (the
 * order it prints: paca before svebitperm in a21 and a25), then the bits
 * with no meaning.
 */
void
ccpu_a64_format_names(const struct ccpu_a64_layout *l,
    const struct ccpu_featset *fs, const char *sep, char *buf, size_t size)
{
	struct strbuf		sb = STRBUF_INIT;
	struct ccpu_featset	valid;
	size_t			i;
	int			b;

	for (i = 0; i < l->nbits; i++)
		if (ccpu_featset_has(fs, l->bits[i].bit))
			strbuf_addf(&sb, "%s%s", sb.len > 0 ? sep : "",
			    l->bits[i].name);
	ccpu_a64_layout_valid(l, &valid);
	for (b = ccpu_featset_next(fs, 0); b >= 0;
	    b = ccpu_featset_next(fs, (unsigned int)b + 1))
		if (!ccpu_featset_has(&valid, (unsigned int)b))
			strbuf_addf(&sb, "%sbit%d", sb.len > 0 ? sep : "", b);
	snprintf(buf, size, "%s", sb.len > 0 ? sb.buf : "");
	strbuf_release(&sb);
}

int
ccpu_a64_plan(const struct ccpu_a64_layout *l, const struct ccpu_a64_cpu *hosts,
    size_t n, struct ccpu_featset *value, struct ccpu_error *err)
{
	struct ccpu_featset	v, one, build;
	int			paca = ccpu_a64_layout_paca(l);
	char			why[512];
	size_t			i;

	if (!ccpu_a64_layout_has_value(l))
		return ccpu_error_set(err, CCPU_EUSAGE, "layout %s numbers no "
		    "-XX:CPUFeatures value (a20, a22 and a63 do)", l->name);
	if (n == 0)
		return ccpu_error_set(err, CCPU_EUSAGE, "no host");
	ccpu_a64_derive(l, &hosts[0], &build);
	v = build;
	for (i = 1; i < n; i++) {
		ccpu_a64_derive(l, &hosts[i], &one);
		if (ccpu_featset_has(&one, (unsigned int)paca) !=
		    ccpu_featset_has(&build, (unsigned int)paca))
			return ccpu_error_set(err, CCPU_EINPUT, "host %zu %s "
			    "pointer authentication (PACA) and the build host "
			    "%s: no one value serves both (\"these CPUs each "
			    "require a separate image\"); plan each kind apart",
			    i + 1, ccpu_featset_has(&one, (unsigned int)paca) ?
			    "has" : "lacks", ccpu_featset_has(&build,
			    (unsigned int)paca) ? "has it" : "does not");
		ccpu_featset_and(&v, &one);
	}
	if (ccpu_a64_checkpoint_check(l, &build, &v, why, sizeof(why)) != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "the build host %s",
		    why);
	*value = v;
	return 0;
}

void
ccpu_a64_layout_kept(const struct ccpu_a64_layout *l, struct ccpu_featset *out)
{
	size_t	i;

	ccpu_featset_clear(out);
	if (!(l->flags & VALUE))
		return;
	for (i = 0; i < l->nbits; i++)
		if (features[l->bits[i].feature].kept != NO)
			ccpu_featset_add(out, l->bits[i].bit);
}

int
ccpu_a64_checkpoint_check(const struct ccpu_a64_layout *l,
    const struct ccpu_featset *host, const struct ccpu_featset *v,
    char *why, size_t size)
{
	struct ccpu_featset	x;
	const char		*name;
	char			names[512], id[32];
	size_t			k;
	int			b;

	why[0] = '\0';
	ccpu_featset_minus(&x, v, host);
	if (!ccpu_featset_empty(&x)) {
		ccpu_a64_format_names(l, &x, ", ", names, sizeof(names));
		snprintf(why, size, "lacks %s of the value: the JVM refuses a "
		    "value with features the CPU lacks", names);
		return 1;
	}
	ccpu_a64_layout_kept(l, &x);
	ccpu_featset_and(&x, host);
	ccpu_featset_minus(&x, &x, v);
	if ((b = ccpu_featset_next(&x, 0)) < 0)
		return 0;
	name = ccpu_a64_layout_bit_name(l, (unsigned int)b);
	for (k = 0; name[k] != '\0' && k + 1 < sizeof(id); k++)
		id[k] = (char)toupper((unsigned char)name[k]);
	id[k] = '\0';		/* HotSpot's feature id, as its message names it */
	if (bit_row(l, (unsigned int)b)->kept == REFUSED)
		snprintf(why, size, "has %s and a target lacks it: the JVM "
		    "refuses a value without %s where the CPU has it (\"%s "
		    "(0x%llx) cannot be disabled via -XX:CPUFeatures on "
		    "aarch64\"); checkpoint on a host without %s", name, name,
		    id, 1ull << b, name);
	else
		snprintf(why, size, "has %s and a target lacks it: HotSpot sets "
		    "%s from the CPU model after it applies -XX:CPUFeatures, so "
		    "the image records it whatever the value and the JVM refuses "
		    "to restore it where it is missing; checkpoint on a host "
		    "without %s", name, name, name);
	return 1;
}

void
ccpu_a64_format_value(const struct ccpu_featset *fs, char *buf, size_t size)
{
	snprintf(buf, size, "0x%llx", (unsigned long long)fs->w[0]);
}

json_t *
ccpu_a64_names_json(const struct ccpu_a64_layout *l,
    const struct ccpu_featset *fs)
{
	json_t		*a = json_array();
	const char	*name;
	char		 bitn[16];
	int		 b;

	for (b = ccpu_featset_next(fs, 0); b >= 0;
	    b = ccpu_featset_next(fs, (unsigned int)b + 1)) {
		if ((name = ccpu_a64_layout_bit_name(l, (unsigned int)b)) ==
		    NULL) {
			snprintf(bitn, sizeof(bitn), "bit%d", b);
			name = bitn;
		}
		json_array_append_new(a, json_string(name));
	}
	return a;
}

json_t *
ccpu_a64_value_json(const struct ccpu_a64_layout *l,
    const struct ccpu_featset *fs)
{
	json_t		*o = json_object();
	char		 v[32], bm[17];
	unsigned int	 i;

	ccpu_a64_format_value(fs, v, sizeof(v));
	json_object_set_new(o, "value", json_string(v));
	snprintf(v, sizeof(v), "0x%016llx", (unsigned long long)fs->w[0]);
	json_object_set_new(o, "words", json_pack("[s]", v));
	/* The image's bitmap: the word's bytes in memory order (little-endian). */
	for (i = 0; i < 8; i++)
		snprintf(bm + 2 * i, sizeof(bm) - 2 * i, "%02x",
		    (unsigned int)(fs->w[0] >> (8 * i)) & 0xffu);
	json_object_set_new(o, "bitmap", json_string(bm));
	json_object_set_new(o, "names", ccpu_a64_names_json(l, fs));
	return o;
}

int
ccpu_a64_parse_value(const struct ccpu_a64_layout *l, const char *s,
    struct ccpu_featset *out, struct ccpu_error *err)
{
	struct ccpu_featset	 v, valid, bad;
	unsigned long long	 n;
	char			*end;
	int			 b;

	errno = 0;
	if (s[0] == '-' || s[0] == '+' || s[0] == ' ' || s[0] == '\0')
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': an aarch64 value "
		    "is one number, 0xNUM", s);
	n = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': an aarch64 value "
		    "is one number, 0xNUM%s", s, strchr(s, ',') != NULL ?
		    " (one word, no comma)" : "");
	ccpu_featset_clear(&v);
	v.w[0] = n;
	ccpu_a64_layout_valid(l, &valid);
	ccpu_featset_minus(&bad, &v, &valid);
	if ((b = ccpu_featset_next(&bad, 0)) >= 0)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': bit %d has no "
		    "meaning in layout %s", s, b, l->name);
	*out = v;
	return 0;
}
