/*
 * Raw CPUID register sets: storage, lookup as the CPU would answer, the
 * identification every report starts with, and the rules that tell which
 * inputs a recorded source lacks.
 */
#include <stddef.h>
#include <string.h>

#include "ccpu/cpuid.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Only the fields before the leaf table: entries past nleaves are never
 * read, and leaving them alone keeps a 12 KiB struct from being written
 * (and its pages faulted in) for a capture of twenty leaves.
 */
void
ccpu_cpu_init(struct ccpu_cpu *c)
{
	memset(c, 0, offsetof(struct ccpu_cpu, leaves));
}

void
ccpu_cpu_copy(struct ccpu_cpu *dst, const struct ccpu_cpu *src)
{
	memcpy(dst, src, offsetof(struct ccpu_cpu, leaves) +
	    src->nleaves * sizeof(src->leaves[0]));
}

/* Index of the first entry >= (leaf, sub). */
static size_t
lower_bound(const struct ccpu_cpu *c, uint32_t leaf, uint32_t sub)
{
	size_t	lo = 0, hi = c->nleaves, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->leaves[mid].leaf < leaf ||
		    (c->leaves[mid].leaf == leaf && c->leaves[mid].sub < sub))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
insert(struct ccpu_cpu *c, uint32_t leaf, uint32_t sub, const uint32_t r[4],
    bool replace, struct ccpu_error *err)
{
	size_t	i = lower_bound(c, leaf, sub);

	if (i < c->nleaves && c->leaves[i].leaf == leaf &&
	    c->leaves[i].sub == sub) {
		if (!replace)
			return ccpu_error_set(err, CCPU_EINPUT,
			    "duplicate leaf 0x%x subleaf 0x%x", leaf, sub);
		memcpy(c->leaves[i].r, r, sizeof(c->leaves[i].r));
		return 0;
	}
	if (c->nleaves == CCPU_MAX_LEAVES)
		return ccpu_error_set(err, CCPU_EINPUT,
		    "more than %d leaves", CCPU_MAX_LEAVES);
	memmove(&c->leaves[i + 1], &c->leaves[i],
	    (c->nleaves - i) * sizeof(c->leaves[0]));
	c->leaves[i].leaf = leaf;
	c->leaves[i].sub = sub;
	memcpy(c->leaves[i].r, r, sizeof(c->leaves[i].r));
	c->nleaves++;
	return 0;
}

int
ccpu_cpu_add(struct ccpu_cpu *c, uint32_t leaf, uint32_t sub,
    const uint32_t r[4], struct ccpu_error *err)
{
	return insert(c, leaf, sub, r, false, err);
}

int
ccpu_cpu_set(struct ccpu_cpu *c, uint32_t leaf, uint32_t sub,
    const uint32_t r[4], struct ccpu_error *err)
{
	return insert(c, leaf, sub, r, true, err);
}

const struct ccpu_leaf *
ccpu_cpu_find(const struct ccpu_cpu *c, uint32_t leaf, uint32_t sub)
{
	size_t	i = lower_bound(c, leaf, sub);

	if (i < c->nleaves && c->leaves[i].leaf == leaf &&
	    c->leaves[i].sub == sub)
		return &c->leaves[i];
	return NULL;
}

/* The maximum leaf of the range leaf belongs to, or 0 with *known false. */
static uint32_t
range_max(const struct ccpu_cpu *c, uint32_t leaf, bool *known)
{
	const struct ccpu_leaf	*l;
	uint32_t		 base = leaf & 0xf0000000u;

	l = ccpu_cpu_find(c, base, 0);
	*known = l != NULL && (base == 0 || (l->r[CCPU_EAX] & 0xf0000000u) == base);
	return *known ? l->r[CCPU_EAX] : 0;
}

bool
ccpu_cpu_query(const struct ccpu_cpu *c, uint32_t leaf, uint32_t sub,
    uint32_t r[4])
{
	const struct ccpu_leaf	*l;
	bool			 known;
	uint32_t		 max;

	memset(r, 0, 4 * sizeof(r[0]));
	max = range_max(c, leaf, &known);
	if (!known || leaf > max)
		return false;
	if ((l = ccpu_cpu_find(c, leaf, sub)) == NULL)
		return false;
	memcpy(r, l->r, 4 * sizeof(r[0]));
	return true;
}

bool
ccpu_cpu_bit(const struct ccpu_cpu *c, uint32_t leaf, uint32_t sub,
    enum ccpu_reg reg, unsigned int bit)
{
	uint32_t	r[4];

	ccpu_cpu_query(c, leaf, sub, r);
	return (r[reg] >> bit) & 1;
}

uint32_t
ccpu_cpu_max_basic(const struct ccpu_cpu *c)
{
	bool	known;

	return range_max(c, 0, &known);
}

uint32_t
ccpu_cpu_max_ext(const struct ccpu_cpu *c)
{
	bool	known;

	return range_max(c, 0x80000000u, &known);
}

static void
regs_text(char *dst, const uint32_t *regs, size_t nregs)
{
	size_t	i, j, n = 0;
	char	ch;

	for (i = 0; i < nregs; i++)
		for (j = 0; j < 4; j++) {
			ch = (char)((regs[i] >> (8 * j)) & 0xff);
			dst[n++] = ch >= 0x20 && ch < 0x7f ? ch : '\0';
		}
	dst[n] = '\0';
}

void
ccpu_cpu_ident(const struct ccpu_cpu *c, struct ccpu_ident *id)
{
	uint32_t	r[4], v[12], eax;
	char		raw[49];
	size_t		i, start, end;

	memset(id, 0, sizeof(*id));
	ccpu_cpu_query(c, 0, 0, r);
	v[0] = r[CCPU_EBX], v[1] = r[CCPU_EDX], v[2] = r[CCPU_ECX];
	regs_text(id->vendor, v, 3);

	if (ccpu_cpu_max_ext(c) >= 0x80000004u) {
		for (i = 0; i < 3; i++) {
			ccpu_cpu_query(c, 0x80000002u + (uint32_t)i, 0, r);
			memcpy(&v[4 * i], r, sizeof(r));
		}
		regs_text(raw, v, 12);
		raw[48] = '\0';
		for (start = 0; raw[start] == ' '; start++)
			;
		end = strlen(raw);
		while (end > start && raw[end - 1] == ' ')
			end--;
		memcpy(id->brand, raw + start, end - start);
		id->brand[end - start] = '\0';
	}

	ccpu_cpu_query(c, 1, 0, r);
	eax = r[CCPU_EAX];
	id->family = ((eax >> 8) & 0xf) + ((eax >> 20) & 0xff);
	id->model = ((eax >> 4) & 0xf) | (((eax >> 16) & 0xf) << 4);
	id->stepping = eax & 0xf;

	if ((r[CCPU_ECX] >> 31) & 1) {
		const struct ccpu_leaf *hv = ccpu_cpu_find(c, 0x40000000u, 0);

		if (hv != NULL) {
			v[0] = hv->r[CCPU_EBX], v[1] = hv->r[CCPU_ECX],
			    v[2] = hv->r[CCPU_EDX];
			regs_text(id->hypervisor, v, 3);
		} else
			memcpy(id->hypervisor, "unknown", 8);
	}
}

/* Whether leaf 4 lists a level 3 cache (LP E-cores of Meteor Lake have none). */
static bool
has_l3(const struct ccpu_cpu *c)
{
	uint32_t	r[4], sub;

	for (sub = 0; sub < CCPU_MAX_LEAVES; sub++) {
		if (!ccpu_cpu_query(c, 4, sub, r) || (r[CCPU_EAX] & 0x1f) == 0)
			break;
		if (((r[CCPU_EAX] >> 5) & 0x7) == 3)
			return true;
	}
	return false;
}

const char *
ccpu_cpu_core_type(const struct ccpu_cpu *c)
{
	uint32_t	r[4];

	if (ccpu_cpu_bit(c, 7, 0, CCPU_EDX, 15)) {
		ccpu_cpu_query(c, 0x1a, 0, r);
		switch (r[CCPU_EAX] >> 24) {
		case 0x40:
			return "performance";
		case 0x20:
			return has_l3(c) ? "efficiency" : "lp-efficiency";
		default:
			return "";
		}
	}
	ccpu_cpu_query(c, 0x80000026u, 0, r);
	if (((r[CCPU_EAX] >> 30) & 1) && ((r[CCPU_ECX] >> 8) & 0xff) == 1) {
		switch (r[CCPU_EBX] >> 28) {
		case 0:
			return "performance";
		case 1:
			return "efficiency";
		default:
			return "";
		}
	}
	return "";
}

/*
 * Register bits that identify one logical CPU rather than its kind.
 * sub == ANY matches every subleaf.
 */
#define ANY	0xffffffffu
static const struct volatile_bits {
	uint32_t	leaf, sub;
	enum ccpu_reg	reg;
	uint32_t	mask;
} volatile_bits[] = {
	{ 0x00000001, 0,   CCPU_EBX, 0xff000000u },	/* initial APIC id */
	{ 0x0000000b, ANY, CCPU_EDX, 0xffffffffu },	/* x2APIC id */
	{ 0x0000001f, ANY, CCPU_EDX, 0xffffffffu },	/* x2APIC id */
	{ 0x8000001e, 0,   CCPU_EAX, 0xffffffffu },	/* extended APIC id */
	{ 0x8000001e, 0,   CCPU_EBX, 0x000000ffu },	/* compute unit / core id */
	{ 0x8000001e, 0,   CCPU_ECX, 0x000000ffu },	/* node id */
	{ 0x80000026, ANY, CCPU_EDX, 0xffffffffu },	/* x2APIC id */
};

static uint32_t
stable(const struct ccpu_leaf *l, enum ccpu_reg reg)
{
	uint32_t	v = l->r[reg];
	size_t		i;

	for (i = 0; i < nitems(volatile_bits); i++)
		if (volatile_bits[i].leaf == l->leaf &&
		    (volatile_bits[i].sub == ANY || volatile_bits[i].sub == l->sub) &&
		    volatile_bits[i].reg == reg)
			v &= ~volatile_bits[i].mask;
	return v;
}

bool
ccpu_cpu_same_kind(const struct ccpu_cpu *a, const struct ccpu_cpu *b)
{
	size_t		i;
	unsigned int	reg;

	if (a->nleaves != b->nleaves || a->xcr0 != b->xcr0 ||
	    a->xcr0_source != b->xcr0_source || a->missing != b->missing)
		return false;
	for (i = 0; i < a->nleaves; i++) {
		if (a->leaves[i].leaf != b->leaves[i].leaf ||
		    a->leaves[i].sub != b->leaves[i].sub)
			return false;
		for (reg = CCPU_EAX; reg <= CCPU_EDX; reg++)
			if (stable(&a->leaves[i], reg) != stable(&b->leaves[i], reg))
				return false;
	}
	return true;
}

bool
ccpu_cpu_matches(const struct ccpu_cpu *kind, const struct ccpu_cpu *sample)
{
	const struct ccpu_leaf	*k;
	size_t			 i;
	unsigned int		 reg;

	if (kind->xcr0 != sample->xcr0 || kind->xcr0_source != sample->xcr0_source)
		return false;
	for (i = 0; i < sample->nleaves; i++) {
		k = ccpu_cpu_find(kind, sample->leaves[i].leaf, sample->leaves[i].sub);
		if (k == NULL)
			return false;
		for (reg = CCPU_EAX; reg <= CCPU_EDX; reg++)
			if (stable(k, reg) != stable(&sample->leaves[i], reg))
				return false;
	}
	return true;
}

void
ccpu_cpu_set_bit(struct ccpu_cpu *c, uint32_t leaf, uint32_t sub,
    enum ccpu_reg reg, unsigned int bit)
{
	const struct ccpu_leaf	*l = ccpu_cpu_find(c, leaf, sub);
	uint32_t		 r[4] = { 0, 0, 0, 0 };

	if (l != NULL)
		memcpy(r, l->r, sizeof(r));
	r[reg] |= 1u << bit;
	(void)ccpu_cpu_set(c, leaf, sub, r, NULL);
}

void
ccpu_cpu_synthesize(struct ccpu_cpu *c, const char *vendor, unsigned int family,
    unsigned int model, unsigned int stepping, uint32_t leaf1_ebx,
    uint32_t ext_max)
{
	uint32_t	r[4];

	ccpu_cpu_init(c);
	c->nlogical = 1;
	r[0] = 0x1f;
	memcpy(&r[1], vendor, 4);
	memcpy(&r[3], vendor + 4, 4);
	memcpy(&r[2], vendor + 8, 4);
	(void)ccpu_cpu_set(c, 0, 0, r, NULL);
	r[0] = family >= 15 ? 0xf00u | (family - 15) << 20 : family << 8;
	r[0] |= (model & 0xf) << 4 | (model >> 4 & 0xf) << 16 | (stepping & 0xf);
	r[1] = leaf1_ebx;
	r[2] = r[3] = 0;
	(void)ccpu_cpu_set(c, 1, 0, r, NULL);
	r[0] = 1;			/* leaf 7: subleaf 1 exists */
	r[1] = 0;
	(void)ccpu_cpu_set(c, 7, 0, r, NULL);
	r[0] = 0;
	(void)ccpu_cpu_set(c, 7, 1, r, NULL);
	(void)ccpu_cpu_set(c, 0xd, 1, r, NULL);
	r[0] = ext_max;
	(void)ccpu_cpu_set(c, 0x80000000, 0, r, NULL);
	r[0] = 0;
	(void)ccpu_cpu_set(c, 0x80000001, 0, r, NULL);
}

void
ccpu_cpu_xcr0_from_bits(struct ccpu_cpu *c)
{
	c->xcr0 = 0x3;
	if (ccpu_cpu_bit(c, 1, 0, CCPU_ECX, 28))
		c->xcr0 |= 0x4;
	if (ccpu_cpu_bit(c, 7, 0, CCPU_EBX, 16))
		c->xcr0 |= 0xe0;
	if (ccpu_cpu_bit(c, 7, 0, CCPU_EDX, 24))
		c->xcr0 |= 0x60000;
	if (ccpu_cpu_bit(c, 7, 1, CCPU_EDX, 21))
		c->xcr0 |= 0x80000;
	c->xcr0_source = CCPU_XCR0_RECORDED;
}

void
ccpu_cpu_note_missing(struct ccpu_cpu *c)
{
	uint32_t	r[4], max = ccpu_cpu_max_basic(c);
	bool		osxsave;

	if (max >= 7 && ccpu_cpu_query(c, 7, 0, r) && r[CCPU_EAX] >= 1 &&
	    ccpu_cpu_find(c, 7, 1) == NULL)
		c->missing |= CCPU_MISS_LEAF7_1;
	if (max >= 0xd && ccpu_cpu_find(c, 0xd, 0) != NULL &&
	    ccpu_cpu_find(c, 0xd, 1) == NULL)
		c->missing |= CCPU_MISS_XSAVE_SUB;
	if (max >= 0x24 && ccpu_cpu_find(c, 0x24, 0) == NULL)
		c->missing |= CCPU_MISS_LEAF24;
	if (max >= 0x29 && ccpu_cpu_find(c, 0x29, 0) == NULL)
		c->missing |= CCPU_MISS_LEAF29;
	if (ccpu_cpu_bit(c, 1, 0, CCPU_ECX, 31) &&
	    ccpu_cpu_find(c, 0x40000000u, 0) == NULL)
		c->missing |= CCPU_MISS_HYPERVISOR;

	if (c->xcr0_source != CCPU_XCR0_NONE)
		return;
	osxsave = ccpu_cpu_bit(c, 1, 0, CCPU_ECX, 27);
	if (!osxsave) {
		c->xcr0 = 0;
		c->xcr0_source = CCPU_XCR0_OSXSAVE_OFF;
	} else if (max >= 0xd && ccpu_cpu_query(c, 0xd, 0, r)) {
		c->xcr0 = (uint64_t)r[CCPU_EDX] << 32 | r[CCPU_EAX];
		c->xcr0_source = CCPU_XCR0_INFERRED;
		c->missing |= CCPU_MISS_XCR0;
	} else
		c->missing |= CCPU_MISS_XCR0;
}

const char *
ccpu_miss_name(unsigned int bit)
{
	switch (bit) {
	case CCPU_MISS_LEAF7_1:		return "leaf7.1";
	case CCPU_MISS_XSAVE_SUB:	return "leaf0xd.subleaves";
	case CCPU_MISS_LEAF24:		return "leaf0x24";
	case CCPU_MISS_XCR0:		return "xcr0";
	case CCPU_MISS_LEAF29:		return "leaf0x29";
	case CCPU_MISS_HYPERVISOR:	return "hypervisor-leaves";
	default:			return NULL;
	}
}
