/*
 * An aarch64 host in Node Feature Discovery labels.  NFD's own arm64 labels
 * (cpu-cpuid.* from HWCAP) name no CPU part, which a53mac needs, so
 * crac-cpu features --format nfd labels the facts themselves: the two
 * HWCAP words and the MIDR of each core type, in the order the kernel
 * lists them, from which every aarch64 layout derives the host exactly;
 * and, for people writing nodeAffinity, one layout's features and class.
 * Reading them back, the facts are the host; feature labels that disagree
 * with them, or with each other, make the node unreadable, never a guess.
 * Without the facts, a CRaC layout's feature labels serve only where they
 * tell every feature of the layout asked for.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/aarch64.h"
#include "strbuf.h"
#include "xmalloc.h"

#define NFD_PREFIX	"feature.node.kubernetes.io/"
#define FACTS		"crac-cpu.aarch64."	/* the facts' labels */

void
ccpu_a64_stable_id(const struct ccpu_a64_layout *l,
    const struct ccpu_featset *fs, char *buf, size_t size)
{
	char		 v[32];
	const char	*p;
	uint32_t	 h = 0x811c9dc5u;	/* FNV-1a, as the x86-64 class id */
	size_t		 i, n;

	ccpu_a64_format_value(fs, v, sizeof(v));
	for (i = 0; i < 2; i++)
		for (p = i == 0 ? ccpu_a64_layout_name(l) : v,
		    n = strlen(p) + 1; n > 0; n--, p++)
			h = (h ^ (unsigned char)*p) * 0x01000193u;
	snprintf(buf, size, "%08" PRIx32, h);
}

char *
ccpu_a64_nfd_labels(const struct ccpu_a64_layout *l,
    const struct ccpu_a64_cpu *cpu)
{
	struct strbuf		sb = STRBUF_INIT;
	struct ccpu_featset	fs;
	const char		*name;
	char			id[12];
	unsigned int		i;
	int			b;

	strbuf_addf(&sb, FACTS "hwcap=0x%llx\n", (unsigned long long)cpu->hwcap);
	strbuf_addf(&sb, FACTS "hwcap2=0x%llx\n",
	    (unsigned long long)cpu->hwcap2);
	strbuf_addf(&sb, FACTS "cores=%u\n", cpu->ncores);
	for (i = 0; i < cpu->ncores; i++)
		strbuf_addf(&sb, FACTS "core%u.midr=0x%08" PRIx32 "\n", i,
		    cpu->cores[i].midr);
	ccpu_a64_derive(l, cpu, &fs);
	ccpu_a64_stable_id(l, &fs, id, sizeof(id));
	strbuf_addf(&sb, "crac-cpu.%s.class=%s\n", ccpu_a64_layout_name(l), id);
	for (b = ccpu_featset_next(&fs, 0); b >= 0;
	    b = ccpu_featset_next(&fs, (unsigned int)b + 1))
		if ((name = ccpu_a64_layout_bit_name(l, (unsigned int)b)) != NULL)
			strbuf_addf(&sb, "crac-cpu.%s.%s=true\n",
			    ccpu_a64_layout_name(l), name);
	return strbuf_detach(&sb);
}

/* "0x" and 1 to max hex digits: 0 and *out, or -1. */
static int
hex_value(const char *s, size_t max, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		n;
	int		d;

	if (s == NULL || s[0] != '0' || s[1] != 'x')
		return -1;
	for (n = 0, s += 2; *s != '\0'; s++, n++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0 || n > max)
		return -1;
	*out = v;
	return 0;
}

/* A label's string value; NULL (and *bad set) when it is there but no string. */
static const char *
label(const json_t *labels, const char *key, bool *bad)
{
	const json_t	*v = json_object_get(labels, key);

	if (v != NULL && !json_is_string(v))
		*bad = true;
	return json_string_value(v);
}

/* The facts: 0 and *cpu, or -1 with what is wrong. */
static int
read_facts(const json_t *labels, struct ccpu_a64_cpu *cpu,
    struct ccpu_error *err)
{
	const char	*v, *key, *rest;
	const json_t	*val;
	char		 k[128], *end;
	uint64_t	 x;
	unsigned long	 n, i;
	bool		 bad = false;

	memset(cpu, 0, sizeof(*cpu));
	v = label(labels, NFD_PREFIX FACTS "hwcap", &bad);
	if (v == NULL || hex_value(v, 16, &cpu->hwcap) == -1)
		goto malformed_hwcap;
	v = label(labels, NFD_PREFIX FACTS "hwcap2", &bad);
	if (v == NULL || hex_value(v, 16, &cpu->hwcap2) == -1) {
		key = FACTS "hwcap2";
		goto malformed;
	}
	v = label(labels, NFD_PREFIX FACTS "cores", &bad);
	key = FACTS "cores";
	if (v == NULL || *v < '1' || *v > '9')
		goto malformed;
	n = strtoul(v, &end, 10);
	if (*end != '\0' || n > CCPU_A64_MAX_CORES)
		goto malformed;
	for (i = 0; i < n; i++) {
		snprintf(k, sizeof(k), NFD_PREFIX FACTS "core%lu.midr", i);
		v = label(labels, k, &bad);
		if (v == NULL || hex_value(v, 8, &x) == -1) {
			key = k + strlen(NFD_PREFIX);
			goto malformed;
		}
		cpu->cores[i].midr = (uint32_t)x;
	}
	cpu->ncores = (unsigned int)n;
	/* No label of the facts' but these: a stray one is stale or foreign. */
	json_object_foreach((json_t *)labels, key, val) {
		if (strncmp(key, NFD_PREFIX FACTS, strlen(NFD_PREFIX FACTS)) != 0)
			continue;
		rest = key + strlen(NFD_PREFIX FACTS);
		if (strcmp(rest, "hwcap") == 0 || strcmp(rest, "hwcap2") == 0 ||
		    strcmp(rest, "cores") == 0)
			continue;
		if (strncmp(rest, "core", 4) == 0 && rest[4] >= '0' &&
		    rest[4] <= '9' && (i = strtoul(rest + 4, &end, 10)) < n &&
		    strcmp(end, ".midr") == 0 && (rest[4] != '0' || end == rest + 5))
			continue;
		return ccpu_error_set(err, CCPU_EINPUT, "label '%.64s' is none "
		    "of the crac-cpu.aarch64 labels of a host with %lu core "
		    "type%s: stale or written by another tool; run crac-cpu "
		    "features --format nfd on it again", key + strlen(NFD_PREFIX),
		    n, n == 1 ? "" : "s");
	}
	return 0;

malformed_hwcap:
	key = FACTS "hwcap";
malformed:
	if (v == NULL && !bad)
		return ccpu_error_set(err, CCPU_EINPUT, "crac-cpu.aarch64 labels "
		    "without '%s': partly written; run crac-cpu features "
		    "--format nfd on it again", key);
	return ccpu_error_set(err, CCPU_EINPUT, "label '%s' is '%.32s', not %s",
	    key, v != NULL ? v : "(not a string)", strcmp(key, FACTS "cores") ==
	    0 ? "a number of core types from 1 to 8" : strstr(key, "midr") !=
	    NULL ? "0x and at most 8 hex digits" : "0x and at most 16 hex "
	    "digits");
}

/*
 * One layout's feature labels: 0 and the features they name (their class
 * label checked against them), 1 when the node has no label of the layout,
 * -1 when they are malformed or disagree with their class.
 */
static int
read_layout(const json_t *labels, const struct ccpu_a64_layout *l,
    struct ccpu_featset *fs, struct ccpu_error *err)
{
	const char	*lname = ccpu_a64_layout_name(l), *key, *rest, *v;
	const char	*cls = NULL;
	const json_t	*val;
	char		 prefix[64], id[12];
	size_t		 plen;
	int		 b;
	bool		 any = false;

	snprintf(prefix, sizeof(prefix), NFD_PREFIX "crac-cpu.%s.", lname);
	plen = strlen(prefix);
	ccpu_featset_clear(fs);
	json_object_foreach((json_t *)labels, key, val) {
		if (strncmp(key, prefix, plen) != 0)
			continue;
		any = true;
		rest = key + plen;
		v = json_string_value(val);
		if (strcmp(rest, "class") == 0) {
			cls = v != NULL ? v : "";
			continue;
		}
		if ((b = ccpu_a64_layout_bit(l, rest)) < 0)
			return ccpu_error_set(err, CCPU_EINPUT, "label '%.64s': "
			    "layout %s has no feature '%.32s'",
			    key + strlen(NFD_PREFIX), lname, rest);
		if (v == NULL || strcmp(v, "true") != 0)
			return ccpu_error_set(err, CCPU_EINPUT, "label '%.64s' is "
			    "'%.16s', not 'true' (crac-cpu labels only the "
			    "features a host has)", key + strlen(NFD_PREFIX),
			    v != NULL ? v : "(not a string)");
		ccpu_featset_add(fs, (unsigned int)b);
	}
	if (!any)
		return 1;
	ccpu_a64_stable_id(l, fs, id, sizeof(id));
	if (cls == NULL || strcmp(cls, id) != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "its crac-cpu %s labels "
		    "disagree (class label '%.16s', the feature labels give "
		    "'%s'): stale or partly written; run crac-cpu features "
		    "--format nfd on it again", lname, cls != NULL ? cls : "", id);
	return 0;
}

/* The names of the members of fs, space-separated, in buf. */
static void
names(const struct ccpu_a64_layout *l, const struct ccpu_featset *fs,
    char *buf, size_t size)
{
	ccpu_a64_format_names(l, fs, " ", buf, size);
}

int
ccpu_a64_nfd_read(const json_t *labels, const struct ccpu_a64_layout *target,
    struct ccpu_a64_cpu *cpu, struct ccpu_featset *value,
    struct ccpu_error *err)
{
	const struct ccpu_a64_layout	*l;
	const struct ccpu_a64_layout	*seen[16];
	struct ccpu_featset		 fs[16], d, x, valid, untold;
	struct ccpu_a64_cpu		 c;
	const char			*key, *name;
	const json_t			*val;
	char				 a[512], b2[512];
	size_t				 i, j, nseen = 0;
	int				 rc, bit, o;
	bool				 facts = false, stock = false;

	if (!json_is_object(labels))
		return ccpu_error_set(err, CCPU_EINPUT, "no labels");
	json_object_foreach((json_t *)labels, key, val)
		if (strncmp(key, NFD_PREFIX FACTS, strlen(NFD_PREFIX FACTS)) == 0)
			facts = true;
	if (facts && read_facts(labels, &c, err) == -1)
		return -1;
	for (i = 0; (l = ccpu_a64_layout_at(i)) != NULL &&
	    nseen < nitems(seen); i++) {
		if ((rc = read_layout(labels, l, &fs[nseen], err)) == -1)
			return -1;
		if (rc == 1)
			continue;
		if (facts) {
			ccpu_a64_derive(l, &c, &d);
			if (!ccpu_featset_equal(&d, &fs[nseen])) {
				ccpu_featset_minus(&x, &d, &fs[nseen]);
				names(l, &x, a, sizeof(a));
				ccpu_featset_minus(&x, &fs[nseen], &d);
				names(l, &x, b2, sizeof(b2));
				return ccpu_error_set(err, CCPU_EINPUT, "its labels "
				    "disagree in layout %s: %s%s%s%s%s%s%s: stale "
				    "or written by another tool; run crac-cpu "
				    "features --format nfd on it again",
				    ccpu_a64_layout_name(l), a[0] ? "the "
				    "crac-cpu.aarch64 facts give " : "", a, a[0] ?
				    ", its feature labels do not" : "", a[0] &&
				    b2[0] ? "; " : "", b2[0] ? "its feature labels "
				    "say " : "", b2, b2[0] ? ", the facts do not" :
				    "");
			}
		}
		if (ccpu_a64_layout_has_value(l))
			seen[nseen++] = l;
		else
			stock = true;
	}
	if (facts) {
		*cpu = c;
		return 1;
	}
	if (nseen == 0) {
		if (stock)
			return ccpu_error_set(err, CCPU_EINPUT, "its crac-cpu "
			    "labels are of a JDK's own HotSpot numbering only "
			    "(a17, a21 or a25), whose names are not those of "
			    "layout %s, and there are no crac-cpu.aarch64 fact "
			    "labels: run this crac-cpu's features --format nfd "
			    "on it", ccpu_a64_layout_name(target));
		return 0;
	}
	/* A name two layouts share is the same feature: it must agree. */
	for (i = 0; i < nseen; i++)
		for (j = i + 1; j < nseen; j++) {
			ccpu_a64_layout_valid(seen[i], &valid);
			for (bit = ccpu_featset_next(&valid, 0); bit >= 0;
			    bit = ccpu_featset_next(&valid, (unsigned int)bit + 1)) {
				name = ccpu_a64_layout_bit_name(seen[i],
				    (unsigned int)bit);
				if ((o = ccpu_a64_layout_bit(seen[j], name)) < 0 ||
				    ccpu_featset_has(&fs[i], (unsigned int)bit) ==
				    ccpu_featset_has(&fs[j], (unsigned int)o))
					continue;
				return ccpu_error_set(err, CCPU_EINPUT, "its "
				    "labels disagree on %s: layout %s's say the "
				    "host has it, layout %s's do not", name,
				    ccpu_a64_layout_name(ccpu_featset_has(&fs[i],
				    (unsigned int)bit) ? seen[i] : seen[j]),
				    ccpu_a64_layout_name(ccpu_featset_has(&fs[i],
				    (unsigned int)bit) ? seen[j] : seen[i]));
			}
		}
	/* Each feature of the target from a layout that tells it. */
	ccpu_featset_clear(&d);
	ccpu_featset_clear(&untold);
	ccpu_a64_layout_valid(target, &valid);
	for (bit = ccpu_featset_next(&valid, 0); bit >= 0;
	    bit = ccpu_featset_next(&valid, (unsigned int)bit + 1)) {
		name = ccpu_a64_layout_bit_name(target, (unsigned int)bit);
		for (i = 0; i < nseen; i++)
			if ((o = ccpu_a64_layout_bit(seen[i], name)) >= 0)
				break;
		if (i == nseen)
			ccpu_featset_add(&untold, (unsigned int)bit);
		else if (ccpu_featset_has(&fs[i], (unsigned int)o))
			ccpu_featset_add(&d, (unsigned int)bit);
	}
	if (!ccpu_featset_empty(&untold)) {
		names(target, &untold, a, sizeof(a));
		for (b2[0] = '\0', i = 0; i < nseen; i++)
			snprintf(b2 + strlen(b2), sizeof(b2) - strlen(b2), "%s%s",
			    i > 0 ? ", " : "", ccpu_a64_layout_name(seen[i]));
		return ccpu_error_set(err, CCPU_EINPUT, "%s of layout %s unknown: "
		    "its only crac-cpu labels, of layout %s, cannot tell %s; "
		    "label it with crac-cpu features --format nfd (the "
		    "crac-cpu.aarch64 facts)", a, ccpu_a64_layout_name(target),
		    b2, ccpu_featset_count(&untold) == 1 ? "it" : "them");
	}
	if (ccpu_a64_value_check(target, &d, a, sizeof(a)) != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "its crac-cpu labels give "
		    "layout %s a value the JVM refuses: %s", ccpu_a64_layout_name(
		    target), a);
	*value = d;
	return 2;
}
