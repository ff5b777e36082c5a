/*
 * HotSpot's feature derivation, table-driven: evaluate the rows of
 * data/hotspot.def for one derivation line against one core type's CPUID
 * registers and XCR0, which gives the "raw" set (-XX:+ShowCPUFeatures'
 * "This machine's CPU features"), then apply the default VM options'
 * post-processing rows, which gives the "used" set an image records and
 * -Xlog:os+cpu prints.
 *
 * Every condition is three-valued: a row whose input the source did not
 * record (leaf 7.1, 0xD.1, 0x24, 0x29, or XCR0 when it could not even be
 * inferred) yields "unknown" instead of a guess.  Rows that rest on an XCR0
 * inferred from leaf 0xD mark their bit "inferred".
 */
#include <stdlib.h>
#include <string.h>

#include "ccpu/cpuid.h"
#include "ccpu/jvm.h"
#include "jvm_impl.h"
#include "xmalloc.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

enum tri { NO = 0, YES, UNKNOWN };

/* (a and b) over {NO, YES, UNKNOWN}. */
static enum tri
tri_and(enum tri a, enum tri b)
{
	if (a == NO || b == NO)
		return NO;
	return a == UNKNOWN || b == UNKNOWN ? UNKNOWN : YES;
}

/* (a or b). */
static enum tri
tri_or(enum tri a, enum tri b)
{
	if (a == YES || b == YES)
		return YES;
	return a == UNKNOWN || b == UNKNOWN ? UNKNOWN : NO;
}

static enum tri
tri_of(bool b)
{
	return b ? YES : NO;
}

enum src_kind { SRC_CPUID, SRC_ALWAYS, SRC_SPECIAL };
enum special { SP_NONE, SP_ht, SP_tscinv, SP_avx_ful };
enum vendor { V_ALL, V_INTEL, V_AMDF, V_ZX, V_KNOWN, V_INTEL_ZX, V_NOT_ZX };
enum gate { G_NONE, G_AVX, G_AVX2, G_AVX512, G_AVX10_1, G_AVX10_2, G_APX29 };
enum when { W_AVX_LT3, W_AVX_LT2, W_AVX_LT1, W_KNIGHTS, W_NO_HT, W_NO_APX,
	W_NO_AVX };

struct drow {
	enum jvm_feature	feature;
	enum src_kind		src;
	uint32_t		leaf, sub;
	enum ccpu_reg		reg;
	unsigned int		bit;
	enum special		special;
	enum vendor		vendor;
	enum gate		gate;
	uint64_t		xcr0;
	unsigned int		lines;
};

struct prow {
	enum jvm_feature	feature;
	enum when		when;
	unsigned int		lines;
};

#define CPUID(l, s, r, b)	SRC_CPUID, l, s, CCPU_##r, b, SP_NONE
#define ALWAYS			SRC_ALWAYS, 0, 0, CCPU_EAX, 0, SP_NONE
#define SPECIAL(f)		SRC_SPECIAL, 0, 0, CCPU_EAX, 0, SP_##f
static const struct drow drows[] = {
#define D(f, src, v, g, x, lines)	{ F_##f, src, V_##v, G_##g, x, lines },
#define P(f, w, lines)
#include "hotspot.def"
#undef P
#undef D
};
static const struct prow prows[] = {
#define D(f, src, v, g, x, lines)
#define P(f, w, lines)			{ F_##f, W_##w, lines },
#include "hotspot.def"
#undef P
#undef D
};
#undef CPUID
#undef ALWAYS
#undef SPECIAL

/* CPUID.0:EBX, the only vendor word HotSpot compares. */
#define VENDOR_INTEL	0x756e6547u	/* "Genu" */
#define VENDOR_AMD	0x68747541u	/* "Auth" */
#define VENDOR_HYGON	0x6f677948u	/* "Hygo" */
#define VENDOR_CENTAUR	0x746e6543u	/* "Cent" */
#define VENDOR_SHANGHAI	0x68532020u	/* "  Sh" */

/* XCR0 state components HotSpot tests. */
#define XCR0_AVX	0x06u		/* SSE | YMM */
#define XCR0_AVX512	0xe0u		/* opmask | ZMM_Hi256 | Hi16_ZMM */

/* What one evaluation reads, decoded once. */
struct in {
	const struct ccpu_cpu	*cpu;
	enum jvm_line		 line;
	uint32_t		 vendor;
	unsigned int		 family, model, stepping;
	uint64_t		 xcr0;
	enum tri		 xcr0_known;	/* YES, or UNKNOWN when not even inferred */
	bool			 xcr0_inferred;
	enum tri		 val[F_COUNT];
	bool			 inf[F_COUNT];
};

static bool
is_intel(const struct in *in)
{
	return in->vendor == VENDOR_INTEL;
}

static bool
is_amdf(const struct in *in)
{
	return in->vendor == VENDOR_AMD || in->vendor == VENDOR_HYGON;
}

static bool
is_zx(const struct in *in)
{
	return in->vendor == VENDOR_CENTAUR || in->vendor == VENDOR_SHANGHAI;
}

static bool
vendor_matches(const struct in *in, enum vendor v)
{
	switch (v) {
	case V_ALL:		return true;
	case V_INTEL:		return is_intel(in);
	case V_AMDF:		return is_amdf(in);
	case V_ZX:		return is_zx(in);
	case V_KNOWN:		return is_intel(in) || is_amdf(in) || is_zx(in);
	case V_INTEL_ZX:	return is_intel(in) || is_zx(in);
	case V_NOT_ZX:		return !is_zx(in);
	}
	return false;
}

static uint32_t
reg(const struct in *in, uint32_t leaf, uint32_t sub, enum ccpu_reg r)
{
	uint32_t	regs[4];

	ccpu_cpu_query(in->cpu, leaf, sub, regs);
	return regs[r];
}

/* Whether the source recorded (leaf, sub) if the CPU has it. */
static bool
leaf_missing(const struct in *in, uint32_t leaf, uint32_t sub)
{
	unsigned int	m = in->cpu->missing;

	if (leaf == 7 && sub >= 1)
		return (m & CCPU_MISS_LEAF7_1) != 0;
	if (leaf == 0xd && sub >= 1)
		return (m & CCPU_MISS_XSAVE_SUB) != 0;
	if (leaf == 0x24)
		return (m & CCPU_MISS_LEAF24) != 0;
	if (leaf == 0x29)
		return (m & CCPU_MISS_LEAF29) != 0;
	return false;
}

static enum tri
cpuid_bit(const struct in *in, uint32_t leaf, uint32_t sub, enum ccpu_reg r,
    unsigned int bit)
{
	if (leaf_missing(in, leaf, sub))
		return UNKNOWN;
	return tri_of((reg(in, leaf, sub, r) >> bit) & 1);
}

/* XCR0 has every bit of mask; *used tells whether XCR0 was consulted. */
static enum tri
xcr0_has(const struct in *in, uint64_t mask, bool *used)
{
	if (mask == 0)
		return YES;
	*used = true;
	if (in->xcr0_known == UNKNOWN)
		return UNKNOWN;
	return tri_of((in->xcr0 & mask) == mask);
}

/* The AVX10 converged vector ISA version (leaf 0x24 EBX[7:0]), 512-bit only. */
static enum tri
avx10_version_at_least(const struct in *in, unsigned int v)
{
	uint32_t	ebx;

	if (leaf_missing(in, 0x24, 0))
		return UNKNOWN;
	ebx = reg(in, 0x24, 0, CCPU_EBX);
	return tri_of(((ebx >> 18) & 1) && (ebx & 0xff) >= v);
}

static enum tri
gate(const struct in *in, enum gate g, bool *xused)
{
	enum tri	avx;

	if (g == G_NONE)
		return YES;
	if (g == G_APX29)
		return cpuid_bit(in, 0x29, 0, CCPU_EBX, 0);
	avx = tri_and(tri_and(cpuid_bit(in, 1, 0, CCPU_ECX, 28),
	    cpuid_bit(in, 1, 0, CCPU_ECX, 27)), xcr0_has(in, XCR0_AVX, xused));
	switch (g) {
	case G_AVX:
		return avx;
	case G_AVX2:
		return tri_and(avx, cpuid_bit(in, 7, 0, CCPU_EBX, 5));
	case G_AVX512:
		return tri_and(tri_and(avx, cpuid_bit(in, 7, 0, CCPU_EBX, 16)),
		    xcr0_has(in, XCR0_AVX512, xused));
	case G_AVX10_1:
	case G_AVX10_2:
		if (!is_intel(in))
			return NO;
		return tri_and(tri_and(tri_and(avx,
		    cpuid_bit(in, 7, 1, CCPU_EDX, 19)),
		    avx10_version_at_least(in, g == G_AVX10_1 ? 1 : 2)),
		    xcr0_has(in, XCR0_AVX512, xused));
	default:
		return NO;
	}
}

/*
 * Topology as HotSpot's stub records it: leaf 0xB subleaf 0 when the
 * maximum basic leaf is above 0xA, subleaf 1 only when it describes a valid
 * level, leaf 4 only when it describes a cache.
 */
static bool
has_topology(const struct in *in)
{
	return ccpu_cpu_max_basic(in->cpu) >= 0xb &&
	    ((reg(in, 0xb, 0, CCPU_EAX) & 0x1f) |
	    (reg(in, 0xb, 0, CCPU_EBX) & 0xffff)) != 0;
}

static unsigned int
cores_per_cpu(const struct in *in)
{
	uint32_t	b0, b1, eax1, ebx1, eax4;
	unsigned int	n = 0;

	if (is_intel(in) || is_zx(in)) {
		if (has_topology(in)) {
			eax1 = reg(in, 0xb, 1, CCPU_EAX);
			ebx1 = reg(in, 0xb, 1, CCPU_EBX);
			b1 = (((eax1 & 0x1f) | ebx1) & 0xffff) != 0 ?
			    ebx1 & 0xffff : 0;
			b0 = reg(in, 0xb, 0, CCPU_EBX) & 0xffff;
			n = b0 != 0 ? b1 / b0 : 0;
		}
		if (n == 0) {
			eax4 = reg(in, 4, 0, CCPU_EAX);
			n = ((eax4 & 0x1f) != 0 ? eax4 >> 26 : 0) + 1;
		}
		return n;
	}
	if (is_amdf(in)) {
		n = (reg(in, 0x80000008u, 0, CCPU_ECX) & 0xff) + 1;
		if (in->line == LINE_27 && in->family >= 0x17)
			n /= ((reg(in, 0x8000001eu, 0, CCPU_EBX) >> 8) & 0xff) + 1;
		return n;
	}
	return 1;
}

/* HotSpot's threads_per_core(), the same rule in every line. */
static unsigned int
threads_per_core(const struct in *in)
{
	unsigned int	n = 1, cores;

	if ((is_intel(in) || is_zx(in)) && has_topology(in))
		n = reg(in, 0xb, 0, CCPU_EBX) & 0xffff;
	else if ((reg(in, 1, 0, CCPU_EDX) >> 28) & 1) {
		if (in->family >= 0x17)
			n = ((reg(in, 0x8000001eu, 0, CCPU_EBX) >> 8) & 0xff) + 1;
		else {
			cores = cores_per_cpu(in);
			n = cores != 0 ?
			    ((reg(in, 1, 0, CCPU_EBX) >> 16) & 0xff) / cores : 0;
		}
	}
	return n == 0 ? 1 : n;
}

/* ht: more than one thread per core (HotSpot ignores the HTT bit here). */
static enum tri
special_ht(const struct in *in)
{
	return tri_of(threads_per_core(in) > 1);
}

/*
 * tscinv would be tscinvbit on AMD/Hygon other than AMD family 0x11, or on
 * Intel family 6 models 0x1a, 0x2c, 0x2d and 0x3a.  But every line tests
 * tscinvbit in VM_Version's global feature word, and feature_flags() runs
 * while that word is still empty, so the bit is never set at start-up.
 * Debian's JDK 17 agrees (no tscinv on an AMD host with tscinvbit), and so
 * does the vector of openjdk/crac PR #41 (tests/unit/test_jvm.c).
 */
static enum tri
special_tscinv(const struct in *in)
{
	(void)in;
	return NO;
}

/* glibc's AVX_Fast_Unaligned_Load: osxsave, avx and avx2 in the raw set. */
static enum tri
special_avx_ful(const struct in *in)
{
	return tri_and(tri_and(in->val[F_G_OSXSAVE], in->val[F_AVX]),
	    in->val[F_AVX2]);
}

static void
eval_rows(struct in *in, bool specials)
{
	const struct drow	*r;
	enum tri		 t;
	size_t			 i;
	bool			 xused;

	for (i = 0; i < nitems(drows); i++) {
		r = &drows[i];
		if (!(r->lines & (1u << in->line)) ||
		    (r->src == SRC_SPECIAL) != specials ||
		    !vendor_matches(in, r->vendor))
			continue;
		xused = false;
		t = tri_and(gate(in, r->gate, &xused),
		    xcr0_has(in, r->xcr0, &xused));
		switch (r->src) {
		case SRC_CPUID:
			t = tri_and(t, cpuid_bit(in, r->leaf, r->sub, r->reg,
			    r->bit));
			break;
		case SRC_ALWAYS:
			break;
		case SRC_SPECIAL:
			switch (r->special) {
			case SP_ht:
				t = tri_and(t, special_ht(in));
				break;
			case SP_tscinv:
				t = tri_and(t, special_tscinv(in));
				break;
			case SP_avx_ful:
				t = tri_and(t, special_avx_ful(in));
				xused = in->inf[F_AVX];
				break;
			default:
				t = NO;
			}
			break;
		}
		if (t == YES && xused && in->xcr0_inferred)
			in->inf[r->feature] = true;
		in->val[r->feature] = tri_or(in->val[r->feature], t);
	}
}

static bool
has(const enum tri *v, enum jvm_feature f)
{
	return v[f] == YES;
}

/*
 * The default UseAVX after get_processor_features*(): 3 by default, capped
 * for Zhaoxin, 0 without SSE4.1 from JDK 21 on, then the highest level the
 * features allow, and 2 on Skylake-SP steppings below 5.
 */
static int
use_avx(const struct in *in, const enum tri *v)
{
	int	cap = 3, limit = 0;

	if (is_zx(in)) {
		if (in->line != LINE_27) {
			if (in->family == 6 || in->family == 7)
				cap = 0;
		} else if (in->family == 6)
			cap = 0;
		else if (in->family == 7) {
			if (in->model == 0x5b || in->model == 0x6b)
				cap = 1;
			else if (in->model == 0x1b || in->model == 0x3b)
				cap = 0;
		}
	}
	if (cap > 0) {
		if (in->line >= LINE_21 && !has(v, F_SSE4_1))
			limit = 0;
		else if (cap > 2 && has(v, F_AVX512F))
			limit = 3;
		else if (cap > 1 && has(v, F_AVX2))
			limit = 2;
		else if (has(v, F_AVX))
			limit = 1;
	}
	if (limit > 2 && is_intel(in) && in->family == 6 && in->model == 0x55 &&
	    in->stepping < 5)
		limit = 2;
	return limit;
}

static int
use_sse(const enum tri *v)
{
	return has(v, F_SSE4_1) ? 4 : has(v, F_SSE3) ? 3 : 2;
}

static bool
is_knights(const struct in *in)
{
	return is_intel(in) && in->family == 6 &&
	    (in->model == 0x57 || in->model == 0x85);
}

static void
postprocess(const struct in *in, enum tri *used, int *avx)
{
	const struct prow	*p;
	size_t			 i;
	bool			 clear;
	int			 pass;

	*avx = use_avx(in, used);
	/* NO_AVX looks at the result of the UseAVX step, so it runs last. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < nitems(prows); i++) {
			p = &prows[i];
			if (!(p->lines & (1u << in->line)) ||
			    (p->when == W_NO_AVX) != (pass == 1))
				continue;
			switch (p->when) {
			case W_AVX_LT3:	clear = *avx < 3; break;
			case W_AVX_LT2:	clear = *avx < 2; break;
			case W_AVX_LT1:	clear = *avx < 1; break;
			case W_KNIGHTS:	clear = is_knights(in); break;
			case W_NO_HT:	clear = threads_per_core(in) == 1; break;
			case W_NO_APX:	clear = true; break;
			case W_NO_AVX:	clear = !has(used, F_AVX); break;
			default:	clear = false;
			}
			if (clear && used[p->feature] == YES)
				used[p->feature] = NO;
		}
}

static void
to_featset(const struct ccpu_layout *l, const enum tri *v, enum tri want,
    struct ccpu_featset *out)
{
	int	f, bit;

	ccpu_featset_clear(out);
	for (f = 0; f < F_COUNT; f++)
		if (v[f] == want && (bit = jvm_feature_bit(l, (enum jvm_feature)f)) >= 0)
			ccpu_featset_add(out, (unsigned int)bit);
}

int
ccpu_jvm_derive(const struct ccpu_layout *l, const struct ccpu_cpu *cpu,
    struct ccpu_jvm_features *out, struct ccpu_error *err)
{
	struct in		 in;
	struct ccpu_ident	 id;
	enum tri		 used[F_COUNT];
	uint32_t		 ecx1, ebx1, edx1;
	int			 f, bit, avx;

	memset(&in, 0, sizeof(in));
	in.cpu = cpu;
	in.line = l->line;
	if (ccpu_cpu_max_basic(cpu) < 1)
		return ccpu_error_set(err, CCPU_EINPUT, "no CPUID leaf 1");
	ccpu_cpu_ident(cpu, &id);
	in.vendor = reg(&in, 0, 0, CCPU_EBX);
	in.family = id.family;
	in.model = id.model;
	in.stepping = id.stepping;
	ecx1 = reg(&in, 1, 0, CCPU_ECX);
	ebx1 = reg(&in, 1, 0, CCPU_EBX);
	edx1 = reg(&in, 1, 0, CCPU_EDX);
	if (in.family <= 4)
		return ccpu_error_set(err, CCPU_EINPUT, "family %u: HotSpot "
		    "needs CPUID family 5 or later", in.family);
	if (!((reg(&in, 0x80000001u, 0, CCPU_EDX) >> 29) & 1))
		return ccpu_error_set(err, CCPU_EINPUT, "%s is not an x86-64 "
		    "CPU (no long mode): a 64-bit JVM cannot run there",
		    id.brand[0] != '\0' ? id.brand : "the CPU");
	if (!((edx1 >> 26) & 1))
		return ccpu_error_set(err, CCPU_EINPUT, "no SSE2: HotSpot refuses "
		    "to start (\"Unknown x64 processor: SSE2 not supported\")");
	if (!((edx1 >> 19) & 1))
		return ccpu_error_set(err, CCPU_EINPUT, "no CLFLUSH: HotSpot "
		    "refuses to start (\"clflush is not supported\")");
	if (((ebx1 >> 8) & 0xff) != 8)
		return ccpu_error_set(err, CCPU_EINPUT, "CLFLUSH line of %u bytes: "
		    "HotSpot refuses to start (\"clflush size is not supported\")",
		    ((ebx1 >> 8) & 0xff) * 8);

	/* The stub runs XGETBV only when OSXSAVE and AVX are both set. */
	in.xcr0_known = YES;
	if (((ecx1 >> 27) & 1) && ((ecx1 >> 28) & 1)) {
		switch (cpu->xcr0_source) {
		case CCPU_XCR0_NONE:
			in.xcr0_known = UNKNOWN;
			break;
		case CCPU_XCR0_INFERRED:
			in.xcr0_inferred = true;
			/* FALLTHROUGH */
		default:
			in.xcr0 = cpu->xcr0;
		}
	}

	eval_rows(&in, false);
	eval_rows(&in, true);

	memset(out, 0, sizeof(*out));
	to_featset(l, in.val, YES, &out->raw);
	to_featset(l, in.val, UNKNOWN, &out->unknown);
	for (f = 0; f < F_COUNT; f++)
		if (in.inf[f] && in.val[f] == YES &&
		    (bit = jvm_feature_bit(l, (enum jvm_feature)f)) >= 0)
			ccpu_featset_add(&out->inferred, (unsigned int)bit);
	memcpy(used, in.val, sizeof(used));
	postprocess(&in, used, &avx);
	to_featset(l, used, YES, &out->used);
	ccpu_featset_minus(&out->recorded, &out->used,
	    ccpu_layout_record_cleared(l));
	out->use_avx = avx;
	out->use_sse = use_sse(used);
	return 0;
}

int
ccpu_jvm_derive_host(const struct ccpu_layout *l, const struct ccpu_profile *p,
    struct ccpu_jvm_features *out, struct ccpu_error *err)
{
	struct ccpu_jvm_features	acc, one;
	unsigned int			i;

	if (ccpu_profile_is_a64(p))
		return ccpu_error_set(err, CCPU_EINPUT, "an aarch64 host: layout "
		    "%s is x86-64's (crac-cpu layouts lists the aarch64 ones)",
		    ccpu_layout_name(l));
	if (p->ntypes == 0)
		return ccpu_error_set(err, CCPU_EINPUT, "host has no CPUID data");
	for (i = 0; i < p->ntypes; i++) {
		if (ccpu_jvm_derive(l, &p->types[i], &one, err) == -1) {
			if (p->ntypes > 1)
				ccpu_error_prefix(err, "core type %u", i);
			return -1;
		}
		if (i == 0) {
			acc = one;
			continue;
		}
		ccpu_featset_and(&acc.raw, &one.raw);
		ccpu_featset_and(&acc.used, &one.used);
		ccpu_featset_and(&acc.recorded, &one.recorded);
		ccpu_featset_or(&acc.unknown, &one.unknown);
		ccpu_featset_or(&acc.inferred, &one.inferred);
		if (one.use_avx < acc.use_avx)
			acc.use_avx = one.use_avx;
		if (one.use_sse < acc.use_sse)
			acc.use_sse = one.use_sse;
	}
	*out = acc;
	return 0;
}

/*
 * Which missing inputs decide bits: a bit belongs to input f when it is
 * unknown with the record as it is and known once f alone is supplied (a
 * supplied leaf reads as zero, a supplied XCR0 as 0; only whether the bit
 * stays unknown matters).
 */
unsigned int
ccpu_jvm_deciding_inputs(const struct ccpu_layout *l,
    const struct ccpu_profile *p, const struct ccpu_featset *bits)
{
	static const unsigned int	 inputs[] = {
		CCPU_MISS_LEAF7_1, CCPU_MISS_XSAVE_SUB, CCPU_MISS_LEAF24,
		CCPU_MISS_LEAF29, CCPU_MISS_XCR0,
	};
	struct ccpu_jvm_features	 all, one;
	struct ccpu_featset		 d;
	struct ccpu_cpu			*c;
	unsigned int			 mask = 0, i, k;

	c = xmalloc(sizeof(*c));
	for (i = 0; i < p->ntypes; i++) {
		if (ccpu_jvm_derive(l, &p->types[i], &all, NULL) == -1)
			continue;
		for (k = 0; k < nitems(inputs); k++) {
			if ((p->types[i].missing & inputs[k]) == 0)
				continue;
			ccpu_cpu_copy(c, &p->types[i]);
			c->missing &= ~inputs[k];
			if (inputs[k] == CCPU_MISS_XCR0 &&
			    c->xcr0_source == CCPU_XCR0_NONE) {
				c->xcr0 = 0;
				c->xcr0_source = CCPU_XCR0_RECORDED;
			}
			if (ccpu_jvm_derive(l, c, &one, NULL) == -1)
				continue;
			ccpu_featset_minus(&d, &all.unknown, &one.unknown);
			ccpu_featset_and(&d, bits);
			if (!ccpu_featset_empty(&d))
				mask |= inputs[k];
		}
	}
	free(c);
	return mask;
}

/*
 * What a JVM of layout l can put into a value: the bits some row of its
 * line derives (tscinv never: HotSpot tests its own, still empty, feature
 * word; see docs/layouts.md), and the pairs every derivation keeps: a
 * feature whose every row is gated on AVX, AVX2 or AVX-512 comes only
 * with avx, avx2 or avx512f.  Such implications hold for every value a
 * JVM derives, for the values it uses after post-processing (which clears
 * the dependents with their base) and for any intersection of them, so a
 * value that breaks one was not written by this line.
 */
/* Whether gate have holds only where gate need does (every gate needs AVX). */
static bool
gate_implies(enum gate have, enum gate need)
{
	if (need == G_AVX)
		return have != G_NONE && have != G_APX29;
	return have == need;
}

/* Whether every row of f in l's line is gated on g (and there is one). */
static bool
gated_on(const struct ccpu_layout *l, enum jvm_feature f, enum gate g)
{
	unsigned int	line = 1u << l->line;
	size_t		i;
	bool		any = false;

	for (i = 0; i < nitems(drows); i++) {
		if (drows[i].feature != f || (drows[i].lines & line) == 0)
			continue;
		if (!gate_implies(drows[i].gate, g))
			return false;
		any = true;
	}
	return any;
}

size_t
ccpu_jvm_implausible(const struct ccpu_layout *l, const struct ccpu_featset *v,
    struct ccpu_featset *never, char *why, size_t size)
{
	static const struct {
		enum gate		g;
		enum jvm_feature	base;
	} needs[] = {
		{ G_AVX, F_AVX }, { G_AVX2, F_AVX2 }, { G_AVX512, F_AVX512F },
	};
	struct ccpu_featset	 derivable = CCPU_FEATSET_INIT;
	unsigned int		 line = 1u << l->line;
	size_t			 i, k, n = 0, o = 0;
	int			 bit, base;

	if (size > 0)
		why[0] = '\0';
	for (i = 0; i < nitems(drows); i++)
		if ((drows[i].lines & line) != 0 && drows[i].feature != F_TSCINV &&
		    (bit = jvm_feature_bit(l, drows[i].feature)) >= 0)
			ccpu_featset_add(&derivable, (unsigned int)bit);
	ccpu_featset_minus(never, v, &derivable);
	ccpu_featset_and(never, ccpu_layout_valid(l));
	n += ccpu_featset_count(never);
	for (k = 0; k < nitems(needs); k++) {
		if ((base = jvm_feature_bit(l, needs[k].base)) < 0)
			continue;
		if (ccpu_featset_has(v, (unsigned int)base))
			continue;
		for (bit = ccpu_featset_next(v, 0); bit >= 0;
		    bit = ccpu_featset_next(v, (unsigned int)bit + 1)) {
			int	f = jvm_bit_feature(l, (unsigned int)bit);

			if (f < 0 || f == (int)needs[k].base)
				continue;
			if (!gated_on(l, (enum jvm_feature)f, needs[k].g))
				continue;
			n++;
			if (o < size)
				o += (size_t)snprintf(why + o, size - o, "%s%s "
				    "without %s", o ? ", " : "",
				    ccpu_layout_bit_name(l, (unsigned int)bit),
				    ccpu_layout_bit_name(l, (unsigned int)base));
		}
	}
	return n;
}
