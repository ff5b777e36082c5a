/*
 * Text renderings for people.  They read the same structs the JSON writers
 * read; nothing here is parsed back.
 */
#include <string.h>

#include "ccpu/report.h"
#include "strbuf.h"

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

char *
ccpu_report_profile(const struct ccpu_profile *p)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct ccpu_ident	 id;
	const struct ccpu_cpu	*c;
	uint32_t		 r[4];
	unsigned int		 i, bit, missing, total = 0;
	const char		*sep;

	if (p->ntypes == 0) {
		strbuf_adds(&sb, "no CPU data\n");
		return strbuf_detach(&sb);
	}
	c = &p->types[0];
	ccpu_cpu_ident(c, &id);
	for (i = 0; i < p->ntypes; i++)
		total += p->types[i].nlogical;

	strbuf_addf(&sb, "host:        %s\n", p->hostname[0] ? p->hostname : "(unknown)");
	strbuf_addf(&sb, "source:      %s%s%s\n", p->source,
	    p->source_file[0] ? " " : "", p->source_file);
	strbuf_addf(&sb, "vendor:      %s\n", id.vendor);
	strbuf_addf(&sb, "brand:       %s\n", id.brand[0] ? id.brand : "(none)");
	strbuf_addf(&sb, "family:      0x%x  model 0x%x  stepping %u\n",
	    id.family, id.model, id.stepping);
	if (p->codename[0])
		strbuf_addf(&sb, "codename:    %s (libcpuid 0.6.2 guess)\n", p->codename);
	strbuf_addf(&sb, "hypervisor:  %s\n", id.hypervisor[0] ? id.hypervisor : "none");
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
	c = &p->types[0];
	if (ccpu_cpu_query(c, 0xd, 0, r))
		strbuf_addf(&sb, "xsave area:  %u bytes enabled, %u bytes max\n",
		    r[CCPU_EBX], r[CCPU_ECX]);
	if (p->kernel[0] || p->glibc[0])
		strbuf_addf(&sb, "os:          Linux %s, glibc %s\n",
		    p->kernel[0] ? p->kernel : "?", p->glibc[0] ? p->glibc : "?");
	if (p->captured[0])
		strbuf_addf(&sb, "captured:    %s\n", p->captured);
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
