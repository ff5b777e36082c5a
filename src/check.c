/*
 * The pre-restore comparison (VM_Version::crac_restore(), openjdk/crac
 * vm_version_x86.cpp @1383d22f): missing = saved &
 * ~current with the layout's ignored bits (ht) cleared; exact mode also
 * wants equality with those bits cleared on both sides; the value that
 * works on both hosts is saved & current.  Then the restore risks a
 * feature check cannot see, read from the two hosts' profiles.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ccpu/check.h"
#include "ccpu/plan.h"
#include "xmalloc.h"

static const char *const risk_names[CCPU_RISK_COUNT] = {
	[CCPU_RISK_XSAVE_SIZE] = "xsave-size",
	[CCPU_RISK_VENDOR] = "vendor",
	[CCPU_RISK_GLIBC] = "glibc",
	[CCPU_RISK_KERNEL] = "kernel",
	[CCPU_RISK_AMX] = "amx",
	[CCPU_RISK_HYPERVISOR] = "hypervisor",
};

const char *
ccpu_risk_name(enum ccpu_risk r)
{
	return (unsigned int)r < CCPU_RISK_COUNT ? risk_names[r] : "unknown";
}

size_t
ccpu_check_order(const struct ccpu_layout *l, const struct ccpu_featset *fs,
    unsigned int *bits, size_t max)
{
	return ccpu_relevance_order(l, fs, bits, max);
}

/* "5, 26 (bit numbers)" for messages about bits that mean nothing. */
static void
bit_list(const struct ccpu_featset *fs, char *buf, size_t size)
{
	size_t	o = 0;
	int	b;

	buf[0] = '\0';
	for (b = ccpu_featset_next(fs, 0); b >= 0 && o + 8 < size;
	    b = ccpu_featset_next(fs, (unsigned int)b + 1))
		o += (size_t)snprintf(buf + o, size - o, "%s%d", o ? ", " : "", b);
}

static void
add_risk(struct ccpu_check *c, enum ccpu_risk kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add_risk(struct ccpu_check *c, enum ccpu_risk kind, const char *fmt, ...)
{
	va_list	ap;

	if (c->nrisks == CCPU_RISK_COUNT)
		return;
	c->risks[c->nrisks].kind = kind;
	va_start(ap, fmt);
	vsnprintf(c->risks[c->nrisks].msg, sizeof(c->risks[0].msg), fmt, ap);
	va_end(ap);
	c->nrisks++;
}

static bool
hypervisor(const struct ccpu_profile *p, char *name, size_t size)
{
	struct ccpu_ident	id;

	if (p == NULL || p->ntypes == 0 ||
	    !ccpu_cpu_bit(&p->types[0], 1, 0, CCPU_ECX, 31))
		return false;
	ccpu_cpu_ident(&p->types[0], &id);
	/* ccpu_cpu_ident says "unknown" when leaf 0x40000000 was not recorded. */
	snprintf(name, size, "%s", id.hypervisor[0] != '\0' &&
	    strcmp(id.hypervisor, "unknown") != 0 ? id.hypervisor : "(unnamed)");
	return true;
}

static void
risks(const struct ccpu_check_in *in, struct ccpu_check *c)
{
	const struct ccpu_profile	*then = in->then, *now = in->now;
	struct ccpu_ident		 a, b;
	char				 ha[16], hb[16];
	uint32_t			 ra[4], rb[4];
	unsigned int			 i;
	bool				 hva, hvb, amx_known;

	/*
	 * Every risk starts unchecked and is cleared when it was looked at:
	 * what could not be looked at is said, never taken as "no risk".
	 */
	c->unchecked = (1u << CCPU_RISK_COUNT) - 1;
	if (then != NULL && then->ntypes > 0 && now != NULL && now->ntypes > 0) {
		if (ccpu_cpu_query(&then->types[0], 0xd, 0, ra) &&
		    ccpu_cpu_query(&now->types[0], 0xd, 0, rb)) {
			c->unchecked &= ~(1u << CCPU_RISK_XSAVE_SIZE);
			if (ra[CCPU_EBX] != rb[CCPU_EBX])
				add_risk(c, CCPU_RISK_XSAVE_SIZE, "xsave area "
				    "size differs: %" PRIu32 " bytes at "
				    "checkpoint, %" PRIu32 " here (CRIU refuses "
				    "to restore)", ra[CCPU_EBX], rb[CCPU_EBX]);
		}
		c->unchecked &= ~(1u << CCPU_RISK_VENDOR);
		ccpu_cpu_ident(&then->types[0], &a);
		ccpu_cpu_ident(&now->types[0], &b);
		if (strcmp(a.vendor, b.vendor) != 0)
			add_risk(c, CCPU_RISK_VENDOR, "CPU vendor changed: %s "
			    "at checkpoint, %s here", a.vendor, b.vendor);
	}
	if (then != NULL && now != NULL) {
		if (then->glibc[0] != '\0' && now->glibc[0] != '\0') {
			c->unchecked &= ~(1u << CCPU_RISK_GLIBC);
			if (strcmp(then->glibc, now->glibc) != 0)
				add_risk(c, CCPU_RISK_GLIBC, "glibc version "
				    "differs: %s at checkpoint, %s here",
				    then->glibc, now->glibc);
		}
		if (then->kernel[0] != '\0' && now->kernel[0] != '\0') {
			c->unchecked &= ~(1u << CCPU_RISK_KERNEL);
			if (strcmp(then->kernel, now->kernel) != 0)
				add_risk(c, CCPU_RISK_KERNEL, "kernel version "
				    "differs: %s at checkpoint, %s here",
				    then->kernel, now->kernel);
		}
	}
	amx_known = then != NULL && then->ntypes > 0;
	for (i = 0; then != NULL && i < then->ntypes; i++) {
		if (then->types[i].xcr0_source == CCPU_XCR0_NONE) {
			amx_known = false;
			continue;
		}
		if ((then->types[i].xcr0 & (UINT64_C(3) << 17)) != 0) {
			add_risk(c, CCPU_RISK_AMX, "AMX tile state enabled on "
			    "the checkpoint host (XCR0 0x%" PRIx64 "): its "
			    "xsave area may not restore elsewhere",
			    then->types[i].xcr0);
			amx_known = true;
			break;
		}
	}
	if (amx_known)
		c->unchecked &= ~(1u << CCPU_RISK_AMX);
	if (now != NULL)
		c->unchecked &= ~(1u << CCPU_RISK_HYPERVISOR);
	hva = hypervisor(then, ha, sizeof(ha));
	hvb = hypervisor(now, hb, sizeof(hb));
	if (hva && hvb)
		add_risk(c, CCPU_RISK_HYPERVISOR, "hypervisor present: %s at "
		    "checkpoint, %s here (features may change on migration)",
		    ha, hb);
	else if (hva || hvb)
		add_risk(c, CCPU_RISK_HYPERVISOR, "hypervisor present: %s %s "
		    "(features may change on migration)", hva ? ha : hb,
		    hva ? "at checkpoint" : "here");
}

/*
 * A bit the layout's own generic value lacks cannot be required of a
 * record (x26a/x26b: clflush is mandatory but not in generic).
 */
static void
record_mandatory(const struct ccpu_layout *l, struct ccpu_featset *mand)
{
	*mand = *ccpu_layout_mandatory(l);
	ccpu_featset_and(mand, ccpu_layout_generic(l));
}

int
ccpu_check_record(const struct ccpu_layout *l, const struct ccpu_featset *rec,
    struct ccpu_error *err)
{
	struct ccpu_featset	bad, mand;
	char			list[CCPU_FEATSET_MAX * 5];

	ccpu_featset_minus(&bad, rec, ccpu_layout_valid(l));
	if (!ccpu_featset_empty(&bad)) {
		bit_list(&bad, list, sizeof(list));
		return ccpu_error_set(err, CCPU_EINPUT, "recorded bits %s have "
		    "no meaning in layout %s: the image was probably written "
		    "by another JDK line (name it with --jdk)", list,
		    ccpu_layout_name(l));
	}
	record_mandatory(l, &mand);
	ccpu_featset_minus(&bad, &mand, rec);
	if (!ccpu_featset_empty(&bad)) {
		ccpu_jvm_format_names(l, &bad, list, sizeof(list));
		return ccpu_error_set(err, CCPU_EINPUT, "the record lacks %s, "
		    "which every layout %s value holds: wrong layout?", list,
		    ccpu_layout_name(l));
	}
	return 0;
}

int
ccpu_check_compare(const struct ccpu_check_in *in, struct ccpu_check *out,
    struct ccpu_error *err)
{
	const struct ccpu_layout	*l = in->layout;
	struct ccpu_check		 c;
	struct ccpu_featset		 s, cur, mand;

	memset(&c, 0, sizeof(c));
	if (ccpu_check_record(l, &in->saved, err) == -1)
		return -1;
	record_mandatory(l, &mand);
	ccpu_featset_minus(&c.missing, &in->saved, &in->current);
	ccpu_featset_minus(&c.missing, &c.missing, ccpu_layout_ignored(l));
	c.undecided = c.missing;
	ccpu_featset_and(&c.undecided, &in->unknown);
	ccpu_featset_minus(&c.missing, &c.missing, &in->unknown);
	c.common = in->saved;
	ccpu_featset_and(&c.common, &in->current);
	c.compatible = ccpu_featset_empty(&c.missing) &&
	    ccpu_featset_empty(&c.undecided);
	c.decided = !ccpu_featset_empty(&c.missing) ||
	    ccpu_featset_empty(&c.undecided);
	c.suggest = c.common;
	if (in->mode == CCPU_CHECK_EXACT) {
		ccpu_featset_minus(&s, &in->saved, ccpu_layout_ignored(l));
		ccpu_featset_minus(&cur, &in->current, ccpu_layout_ignored(l));
		ccpu_featset_minus(&c.extra, &cur, &s);
		c.compatible = c.compatible && ccpu_featset_equal(&s, &cur);
		c.decided = c.decided || !ccpu_featset_empty(&c.extra);
		c.suggest = in->current;
	}
	c.suggest_usable = ccpu_featset_subset(&mand, &c.suggest);
	risks(in, &c);
	*out = c;
	return 0;
}

const struct ccpu_featset *
ccpu_check_current(enum ccpu_record rec, const struct ccpu_jvm_features *jf)
{
	/*
	 * Before 2025 (images only our sidecar describes) the restored JVM
	 * compared with a fresh raw detection; since then the restoring JVM
	 * compares with its own post-processed features.
	 */
	return rec == CCPU_RECORD_SIDECAR ? &jf->raw : &jf->used;
}
