/*
 * Hosts known only by Linux's /proc/cpuinfo (or `lscpu -J`): the flags,
 * vendor, family, model, stepping and topology become synthesized CPUID
 * registers (data/cpuinfo.def), derived like a dump.  What cpuinfo cannot
 * tell (a flag older kernels do not print, a bit it never prints) is
 * found by deriving twice, with every such bit off and with every such bit
 * on: a JVM feature the two derivations disagree on is unknown, never
 * guessed.  (HotSpot's rules are monotone in those bits: a feature rests on
 * bits being set, so agreeing extremes leave no room in between.)
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/cpuid.h"
#include "ccpu/jvm.h"
#include "ccpu/survey.h"
#include "xmalloc.h"

enum lx_how { LX_OLD, LX_NEW };
enum nx_rule { NX_UNKNOWN, NX_XSAVE, NX_MMX, NX_FXSR };

struct cpuinfo_row {
	const char	*flag;		/* NULL for an N row */
	uint32_t	 leaf, sub;
	enum ccpu_reg	 reg;
	unsigned int	 bit;
	int		 how;		/* enum lx_how, or enum nx_rule for N rows */
};

static const struct cpuinfo_row rows[] = {
#define C(flag, leaf, sub, reg, bit, how)	{ flag, leaf, sub, CCPU_##reg, bit, how },
#define N(leaf, sub, reg, bit, rule)		{ NULL, leaf, sub, CCPU_##reg, bit, rule },
#include "cpuinfo.def"
#undef N
#undef C
};

static const char *const vendors[][2] = {
	{ "GenuineIntel", "GenuineIntel" }, { "AuthenticAMD", "AuthenticAMD" },
	{ "HygonGenuine", "HygonGenuine" }, { "CentaurHauls", "CentaurHauls" },
	{ "  Shanghai  ", "  Shanghai  " },
};

/* What cpuinfo says of one CPU. */
struct facts {
	char		vendor[16];
	long		family, model, stepping;
	long		siblings, cores;	/* -1 when not given */
	const char	*flags;			/* space-separated */
	size_t		flagslen;
};

static bool
has_flag(const struct facts *f, const char *flag)
{
	const char	*p = f->flags, *end = f->flags + f->flagslen;
	size_t		 n = strlen(flag), k;

	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		for (k = 0; p + k < end && !isspace((unsigned char)p[k]); k++)
			continue;
		if (k == n && memcmp(p, flag, n) == 0)
			return true;
		p += k;
	}
	return false;
}

/*
 * The registers of f, with every bit cpuinfo cannot tell set to extreme
 * (and two threads per core for extreme when the topology is not given).
 * *unsure says whether there was any such bit.
 */
static void
synthesize(const struct facts *f, bool extreme, struct ccpu_profile *p,
    bool *unsure)
{
	struct ccpu_cpu	*c;
	uint32_t	 r[4];
	long		 tpc;
	size_t		 i;
	bool		 on;

	memset(p, 0, sizeof(*p));
	snprintf(p->source, sizeof(p->source), "cpuinfo");
	p->ntypes = 1;
	c = &p->types[0];
	if (f->siblings > 0 && f->cores > 0 && f->siblings >= f->cores)
		tpc = f->siblings / f->cores;
	else {
		tpc = extreme ? 2 : 1;
		*unsure = true;
	}
	ccpu_cpu_synthesize(c, f->vendor, (unsigned int)f->family,
	    (unsigned int)f->model, (unsigned int)f->stepping,
	    0x00000800u | (uint32_t)(f->siblings > 0 ? f->siblings : tpc) << 16,
	    0x8000001e);
	/* Topology: SMT level of leaf 0xb, AMD's 0x8000001e and 0x80000008. */
	r[0] = r[3] = 0;
	r[1] = (uint32_t)tpc;
	r[2] = 0x100;
	(void)ccpu_cpu_set(c, 0xb, 0, r, NULL);
	r[1] = r[2] = 0;
	(void)ccpu_cpu_set(c, 0x80000007, 0, r, NULL);
	r[2] = f->cores > 0 ? (uint32_t)(f->cores - 1) & 0xff : 0;
	(void)ccpu_cpu_set(c, 0x80000008, 0, r, NULL);
	r[1] = (uint32_t)(tpc - 1) << 8;
	r[2] = 0;
	(void)ccpu_cpu_set(c, 0x8000001e, 0, r, NULL);

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].flag != NULL) {
			on = has_flag(f, rows[i].flag);
			if (!on && rows[i].how == LX_NEW) {
				on = extreme;
				*unsure = true;
			}
		} else {
			switch ((enum nx_rule)rows[i].how) {
			case NX_XSAVE:
				on = has_flag(f, "xsave");
				break;
			case NX_MMX:
				on = has_flag(f, "mmx");
				break;
			case NX_FXSR:
				on = has_flag(f, "fxsr");
				break;
			case NX_UNKNOWN:
			default:
				on = extreme;
				*unsure = true;
				break;
			}
		}
		if (on)
			ccpu_cpu_set_bit(c, rows[i].leaf, rows[i].sub, rows[i].reg,
			    rows[i].bit);
	}
	/* Linux prints AVX, AVX-512, AMX and APX only with their state enabled. */
	ccpu_cpu_xcr0_from_bits(c);
	c->missing = CCPU_MISS_LEAF24 | CCPU_MISS_LEAF29 | CCPU_MISS_HYPERVISOR;
}

static long
number(const char *s)
{
	char	*end;
	long	 v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	return v < 0 || v > 0xffff ? -1 : v;
}

/* One host from facts: used and unknown as the two derivations give them. */
static int
facts_host(const struct ccpu_layout *l, const struct facts *f,
    struct ccpu_profile *scratch, struct ccpu_survey_host *h,
    struct ccpu_error *err)
{
	struct ccpu_jvm_features	lo, hi;
	struct ccpu_featset		differ;
	size_t				i;
	bool				unsure = false;

	for (i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (strcmp(f->vendor, vendors[i][0]) == 0)
			break;
	if (i == sizeof(vendors) / sizeof(vendors[0]))
		return ccpu_error_set(err, CCPU_EINPUT, "vendor_id '%.16s' is "
		    "not an x86 vendor this version knows", f->vendor);
	if (f->family < 0 || f->model < 0 || f->flags == NULL)
		return ccpu_error_set(err, CCPU_EINPUT, "no cpu family, model "
		    "or flags");
	synthesize(f, false, scratch, &unsure);
	if (ccpu_jvm_derive_host(l, scratch, &lo, err) == -1)
		return -1;
	synthesize(f, true, scratch, &unsure);
	if (ccpu_jvm_derive_host(l, scratch, &hi, err) == -1)
		return -1;
	memset(h, 0, sizeof(*h));
	h->unknown = lo.unknown;
	ccpu_featset_or(&h->unknown, &hi.unknown);
	ccpu_featset_minus(&differ, &lo.used, &hi.used);
	ccpu_featset_or(&h->unknown, &differ);
	ccpu_featset_minus(&differ, &hi.used, &lo.used);
	ccpu_featset_or(&h->unknown, &differ);
	h->used = lo.used;
	ccpu_featset_and(&h->used, &hi.used);
	ccpu_featset_minus(&h->used, &h->used, &h->unknown);
	h->vendor = vendors[i][1];
	h->brand = "";
	h->family = (unsigned int)f->family;
	h->model = (unsigned int)f->model;
	h->origin = CCPU_ORIGIN_PROFILE;
	return 0;
}

int
ccpu_cpuinfo_host(const struct ccpu_layout *l, const char *text, size_t len,
    struct ccpu_profile *scratch, struct ccpu_survey_host *h,
    struct ccpu_error *err)
{
	struct facts	 f;
	const char	*p = text, *end = text + len, *nl, *colon, *v;
	size_t		 klen;
	int		 blocks = 0;

	memset(&f, 0, sizeof(f));
	f.family = f.model = f.stepping = f.siblings = f.cores = -1;
	/* The first processor's block: the lines up to the first empty one. */
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p) {
			if (blocks > 0)
				break;
			continue;
		}
		if ((colon = memchr(p, ':', (size_t)(nl - p))) == NULL)
			continue;
		for (klen = (size_t)(colon - p); klen > 0 &&
		    (p[klen - 1] == ' ' || p[klen - 1] == '\t'); klen--)
			continue;
		v = colon + 1;
		while (v < nl && (*v == ' ' || *v == '\t'))
			v++;
#define KEY(s)	(klen == sizeof(s) - 1 && memcmp(p, s, klen) == 0)
		if (KEY("processor"))
			blocks++;
		else if (KEY("vendor_id"))
			snprintf(f.vendor, sizeof(f.vendor), "%.*s",
			    (int)(nl - v), v);
		else if (KEY("cpu family"))
			f.family = number(v);
		else if (KEY("model"))
			f.model = number(v);
		else if (KEY("stepping"))
			f.stepping = number(v);
		else if (KEY("siblings"))
			f.siblings = number(v);
		else if (KEY("cpu cores"))
			f.cores = number(v);
		else if (KEY("flags")) {
			f.flags = v;
			f.flagslen = (size_t)(nl - v);
		}
#undef KEY
	}
	if (blocks == 0)
		return ccpu_error_set(err, CCPU_EINPUT, "not /proc/cpuinfo (no "
		    "processor line)");
	if (f.vendor[0] == '\0')
		return ccpu_error_set(err, CCPU_EINPUT, "/proc/cpuinfo without "
		    "vendor_id: not an x86 host");
	if (f.stepping < 0)
		f.stepping = 0;
	return facts_host(l, &f, scratch, h, err);
}

/* The "data" of field name in lscpu's list (nested in "children" since 2.37). */
static const char *
lscpu_field(const json_t *list, const char *name)
{
	const json_t	*e;
	const char	*s;
	size_t		 i;

	json_array_foreach(list, i, e) {
		s = json_string_value(json_object_get(e, "field"));
		if (s != NULL && strcmp(s, name) == 0)
			return json_string_value(json_object_get(e, "data"));
		if (json_is_array(json_object_get(e, "children")) &&
		    (s = lscpu_field(json_object_get(e, "children"), name)) != NULL)
			return s;
	}
	return NULL;
}

int
ccpu_lscpu_host(const struct ccpu_layout *l, const json_t *doc,
    struct ccpu_profile *scratch, struct ccpu_survey_host *h,
    struct ccpu_error *err)
{
	const json_t	*list = json_object_get(doc, "lscpu");
	struct facts	 f;
	const char	*s;
	long		 threads;

	if (!json_is_array(list))
		return ccpu_error_set(err, CCPU_EINPUT, "not lscpu -J output");
	memset(&f, 0, sizeof(f));
	if ((s = lscpu_field(list, "Architecture:")) != NULL &&
	    strcmp(s, "x86_64") != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "lscpu: architecture "
		    "'%.16s', not x86_64", s);
	snprintf(f.vendor, sizeof(f.vendor), "%s",
	    (s = lscpu_field(list, "Vendor ID:")) != NULL ? s : "");
	f.family = (s = lscpu_field(list, "CPU family:")) != NULL ? number(s) : -1;
	f.model = (s = lscpu_field(list, "Model:")) != NULL ? number(s) : -1;
	f.stepping = (s = lscpu_field(list, "Stepping:")) != NULL ? number(s) : 0;
	if (f.stepping < 0)
		f.stepping = 0;
	threads = (s = lscpu_field(list, "Thread(s) per core:")) != NULL ?
	    number(s) : -1;
	f.cores = threads > 0 ? 1 : -1;
	f.siblings = threads;
	if ((f.flags = lscpu_field(list, "Flags:")) != NULL)
		f.flagslen = strlen(f.flags);
	if (f.vendor[0] == '\0')
		return ccpu_error_set(err, CCPU_EINPUT, "lscpu: no Vendor ID");
	return facts_host(l, &f, scratch, h, err);
}
