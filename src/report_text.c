/*
 * Text renderings for people.  They read the same structs the JSON writers
 * read; nothing here is parsed back.  Strings from the input (host name,
 * file name, vendor, brand, OS facts) are escaped (esc.h).
 */
#include <string.h>

#include "ccpu/aarch64.h"
#include "ccpu/jvm.h"
#include "ccpu/level.h"
#include "ccpu/report.h"
#include "ccpu/uarch.h"
#include "esc.h"
#include "strbuf.h"

/* "label" then the input string s escaped, or what if it is empty. */
static void
field(struct strbuf *sb, const char *label, const char *s, const char *what)
{
	strbuf_adds(sb, label);
	if (s[0] != '\0')
		esc_adds(sb, s);
	else
		strbuf_adds(sb, what);
	strbuf_adds(sb, "\n");
}

static const char *
xcr0_source_text(enum ccpu_xcr0_source s)
{
	switch (s) {
	case CCPU_XCR0_XGETBV:		return "read with xgetbv";
	case CCPU_XCR0_OSXSAVE_OFF:	return "OS did not enable XSAVE";
	case CCPU_XCR0_INFERRED:	return "inferred from leaf 0xd (what the CPU supports)";
	case CCPU_XCR0_RECORDED:	return "recorded";
	case CCPU_XCR0_NONE:		break;
	}
	return "unknown";
}

/*
 * The x86-64 level of core type i, with what the next level lacks; types
 * after the first only when they differ from it.
 */
static void
level_line(struct strbuf *sb, const struct ccpu_profile *p, unsigned int i)
{
	struct ccpu_level	lv, first;
	size_t			k;

	ccpu_level_cpu(&p->types[i], &lv);
	if (i > 0) {
		ccpu_level_cpu(&p->types[0], &first);
		if (first.level == lv.level && first.nmissing == lv.nmissing)
			return;
		strbuf_addf(sb, "  type %u:    ", i);
	} else
		strbuf_adds(sb, "x86-64 level: ");
	strbuf_adds(sb, ccpu_level_name(lv.level));
	if (lv.nmissing > 0) {
		strbuf_adds(sb, " (next level lacks ");
		for (k = 0; k < lv.nmissing; k++)
			strbuf_addf(sb, "%s%s", k ? ", " : "", lv.missing[k]);
		strbuf_adds(sb, ")");
	}
	if (lv.uncertain)
		strbuf_adds(sb, " (uncertain: XCR0 unknown)");
	strbuf_adds(sb, "\n");
}

/* How many features each JDK line's JVM would use here. */
static void
jvm_summary(struct strbuf *sb, const struct ccpu_profile *p)
{
	const struct ccpu_layout	*l;
	struct ccpu_jvm_features	 f;
	unsigned int			 i, n;
	const char			*sep = "";

	strbuf_adds(sb, "jvm features:");
	for (i = 0; i < CCPU_LAYOUT_COUNT; i++) {
		l = ccpu_layout_by_id((enum ccpu_layout_id)i);
		if (ccpu_jvm_derive_host(l, p, &f, NULL) == -1)
			continue;
		n = ccpu_featset_count(&f.used);
		strbuf_addf(sb, "%s %s %u", sep, ccpu_layout_name(l), n);
		if (!ccpu_featset_empty(&f.unknown))
			strbuf_addf(sb, " (+%u unknown)", ccpu_featset_count(&f.unknown));
		sep = ",";
	}
	strbuf_adds(sb, *sep ? " (bits an image records, per layout)\n" :
	    " none (the JVM does not start on this CPU)\n");
}

/* The "os:" and "captured:" lines both architectures' reports end with. */
static void
os_lines(struct strbuf *sb, const struct ccpu_profile *p)
{
	if (p->kernel[0] || p->glibc[0]) {
		strbuf_adds(sb, "os:          Linux ");
		esc_adds(sb, p->kernel[0] ? p->kernel : "?");
		field(sb, ", glibc ", p->glibc, "?");
	}
	if (p->captured[0])
		field(sb, "captured:    ", p->captured, "");
}

/*
 * An aarch64 host: its core types by MIDR, the HWCAP names, and what each
 * aarch64 layout derives (JDK 17's printed list, CRaC's values).
 */
static char *
a64_profile(const struct ccpu_profile *p)
{
	struct strbuf			 sb = STRBUF_INIT;
	const struct ccpu_a64_layout	*l;
	struct ccpu_featset		 fs;
	const char			*name, *where;
	char				 buf[1024];
	unsigned int			 i, word, bit, total = 0;
	size_t				 k;

	for (i = 0; i < p->a64.ncores; i++)
		total += p->a64.cores[i].nlogical;
	field(&sb, "host:        ", p->hostname, "(unknown)");
	strbuf_addf(&sb, "source:      %s%s", p->source,
	    p->source_file[0] ? " " : "");
	field(&sb, "", p->source_file, "");
	strbuf_adds(&sb, "arch:        aarch64\n");
	strbuf_addf(&sb, "hybrid:      %s\n", ccpu_profile_hybrid(p) ? "yes" :
	    "no");
	strbuf_addf(&sb, "logical CPUs: %u in %u core type%s%s\n", total,
	    p->a64.ncores, p->a64.ncores == 1 ? "" : "s", p->a64.ncores == 0 ?
	    " (no MIDR: neither sysfs nor /proc/cpuinfo names the cores)" : "");
	for (i = 0; i < p->a64.ncores; i++) {
		(void)ccpu_a64_midr_name(p->a64.cores[i].midr, buf, sizeof(buf),
		    &where);
		strbuf_addf(&sb, "  type %u:    midr 0x%08x, %u CPU%s, ", i,
		    (unsigned int)p->a64.cores[i].midr, p->a64.cores[i].nlogical,
		    p->a64.cores[i].nlogical == 1 ? "" : "s");
		esc_adds(&sb, buf);
		if (where[0] != '\0')
			strbuf_addf(&sb, " (%s)", where);
		strbuf_adds(&sb, "\n");
	}
	strbuf_addf(&sb, "hwcap:       0x%llx  hwcap2 0x%llx\n",
	    (unsigned long long)p->a64.hwcap, (unsigned long long)p->a64.hwcap2);
	strbuf_adds(&sb, "features:   ");
	for (word = 1; word <= 2; word++)
		for (bit = 0; bit < 64; bit++) {
			if (!((word == 1 ? p->a64.hwcap : p->a64.hwcap2) >> bit & 1))
				continue;
			if ((name = ccpu_a64_hwcap_name(word, bit)) != NULL)
				strbuf_addf(&sb, " %s", name);
			else
				strbuf_addf(&sb, " hwcap%s_bit%u", word == 1 ?
				    "" : "2", bit);
		}
	strbuf_adds(&sb, "\n");
	for (k = 0; (l = ccpu_a64_layout_at(k)) != NULL; k++) {
		ccpu_a64_derive(l, &p->a64, &fs);
		if (ccpu_a64_layout_has_value(l)) {
			ccpu_a64_format_value(&fs, buf, sizeof(buf));
			strbuf_addf(&sb, "jvm %-8s -XX:CPUFeatures=%s\n",
			    ccpu_a64_layout_name(l), buf);
		} else {
			ccpu_a64_format_names(l, &fs, ", ", buf, sizeof(buf));
			strbuf_addf(&sb, "jvm %-8s %s (HotSpot's list)\n",
			    ccpu_a64_layout_name(l), buf);
		}
	}
	os_lines(&sb, p);
	return strbuf_detach(&sb);
}

char *
ccpu_report_profile(const struct ccpu_profile *p)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct ccpu_ident	 id;
	struct ccpu_uarch	 ua;
	const struct ccpu_cpu	*c;
	uint32_t		 r[4];
	unsigned int		 i, bit, missing, total = 0;
	const char		*sep;

	if (ccpu_profile_is_a64(p))
		return a64_profile(p);
	if (p->ntypes == 0) {
		strbuf_adds(&sb, "no CPU data\n");
		return strbuf_detach(&sb);
	}
	c = &p->types[0];
	ccpu_cpu_ident(c, &id);
	for (i = 0; i < p->ntypes; i++)
		total += p->types[i].nlogical;

	field(&sb, "host:        ", p->hostname, "(unknown)");
	strbuf_addf(&sb, "source:      %s%s", p->source,
	    p->source_file[0] ? " " : "");
	field(&sb, "", p->source_file, "");
	field(&sb, "vendor:      ", id.vendor, "");
	field(&sb, "brand:       ", id.brand, "(none)");
	strbuf_addf(&sb, "family:      0x%x  model 0x%x  stepping %u\n",
	    id.family, id.model, id.stepping);
	if (p->codename[0]) {
		strbuf_adds(&sb, "codename:    ");
		esc_adds(&sb, p->codename);
		strbuf_adds(&sb, " (libcpuid 0.6.2 guess)\n");
	}
	ccpu_uarch_name(id.vendor, id.family, id.model, (int)id.stepping,
	    p->codename, &ua);
	if (ua.from != CCPU_UARCH_NONE) {
		strbuf_adds(&sb, "uarch:       ");
		esc_adds(&sb, ua.name);
		strbuf_addf(&sb, " (%s)\n", ccpu_uarch_from_name(ua.from));
	}
	field(&sb, "hypervisor:  ", id.hypervisor, "none");
	strbuf_addf(&sb, "hybrid:      %s\n", ccpu_profile_hybrid(p) ? "yes" : "no");
	strbuf_addf(&sb, "logical CPUs: %u in %u core type%s\n", total, p->ntypes,
	    p->ntypes == 1 ? "" : "s");
	for (i = 0; i < p->ntypes; i++) {
		c = &p->types[i];
		strbuf_addf(&sb, "  type %u:    %s, %u CPU%s, xcr0 0x%llx (%s)\n", i,
		    c->core_type[0] ? c->core_type : "general", c->nlogical,
		    c->nlogical == 1 ? "" : "s", (unsigned long long)c->xcr0,
		    xcr0_source_text(c->xcr0_source));
	}
	for (i = 0; i < p->ntypes; i++)
		level_line(&sb, p, i);
	jvm_summary(&sb, p);
	c = &p->types[0];
	if (ccpu_cpu_query(c, 0xd, 0, r))
		strbuf_addf(&sb, "xsave area:  %u bytes enabled, %u bytes max\n",
		    r[CCPU_EBX], r[CCPU_ECX]);
	os_lines(&sb, p);
	missing = ccpu_profile_missing(p);
	strbuf_adds(&sb, "missing:     ");
	sep = "";
	for (bit = 1; bit <= CCPU_MISS_ALL; bit <<= 1)
		if (missing & bit) {
			strbuf_addf(&sb, "%s%s", sep, ccpu_miss_name(bit));
			sep = ", ";
		}
	strbuf_adds(&sb, missing ? "\n" : "none\n");
	return strbuf_detach(&sb);
}
