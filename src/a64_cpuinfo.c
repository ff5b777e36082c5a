/*
 * An arm64 /proc/cpuinfo: "Features" names to HWCAP bits
 * (data/a64-hwcap.def) and each processor block's CPU fields to a MIDR,
 * as HotSpot's get_os_cpu_info() reads them.  Pure; bounded by the text.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/aarch64.h"
#include "strbuf.h"

/* The value after "key<blanks>:" on line [p, end), or NULL. */
static const char *
field(const char *p, const char *end, const char *key)
{
	size_t	n = strlen(key);

	if ((size_t)(end - p) < n || memcmp(p, key, n) != 0)
		return NULL;
	p += n;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p != ':')
		return NULL;
	return p + 1;
}

/* strtol(v, NULL, 0) of the field, bounded by the line. */
static unsigned long
number(const char *v, const char *end)
{
	char	buf[32];
	size_t	n;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	n = (size_t)(end - v) < sizeof(buf) - 1 ? (size_t)(end - v) :
	    sizeof(buf) - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return strtoul(buf, NULL, 0);
}

bool
ccpu_a64_cpuinfo_is(const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *nl;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (field(p, nl, "CPU implementer") != NULL)
			return true;
		if (nl == end)
			break;
	}
	return false;
}

struct block {
	unsigned long	impl, variant, part, rev;
	bool		any;
};

static int
end_block(struct block *b, struct ccpu_a64_cpu *c, struct ccpu_error *err)
{
	uint32_t	midr;

	if (!b->any)
		return 0;
	midr = (uint32_t)((b->impl & 0xff) << 24 | (b->variant & 0xf) << 20 |
	    0xfu << 16 | (b->part & 0xfff) << 4 | (b->rev & 0xf));
	memset(b, 0, sizeof(*b));
	return ccpu_a64_add_core(c, midr, err);
}

/* The HWCAP bits of one Features value; unknown names into u. */
static void
features(const char *v, const char *end, uint64_t w[2], struct strbuf *u)
{
	unsigned int	word, bit;
	size_t		k;

	w[0] = w[1] = 0;
	while (v < end) {
		while (v < end && isspace((unsigned char)*v))
			v++;
		for (k = 0; v + k < end && !isspace((unsigned char)v[k]); k++)
			continue;
		if (k == 0)
			break;
		if (ccpu_a64_hwcap_lookup(v, k, &word, &bit) == 0)
			w[word - 1] |= 1ull << bit;
		else if (u != NULL) {
			if (u->len > 0)
				strbuf_adds(u, " ");
			strbuf_add(u, v, k);
		}
		v += k;
	}
}

int
ccpu_a64_cpuinfo_parse(const char *text, size_t len, struct ccpu_a64_cpu *out,
    char *unknown, size_t size, struct ccpu_error *err)
{
	struct ccpu_a64_cpu	 c;
	struct block		 b;
	struct strbuf		 u = STRBUF_INIT;
	const char		*p = text, *end = text + len, *nl, *v;
	uint64_t		 w[2];
	bool			 seen = false;
	int			 rc = -1;

	memset(&c, 0, sizeof(c));
	memset(&b, 0, sizeof(b));
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p && nl[-1] == '\r')
			v = nl - 1;
		else
			v = nl;
		if (p == v || field(p, v, "processor") != NULL) {
			if (end_block(&b, &c, err) == -1)
				goto out;
		} else if ((v = field(p, nl, "Features")) != NULL) {
			features(v, nl, w, seen ? NULL : &u);
			if (!seen) {
				c.hwcap = w[0];
				c.hwcap2 = w[1];
			} else {
				c.hwcap &= w[0];
				c.hwcap2 &= w[1];
			}
			seen = true;
		} else if ((v = field(p, nl, "CPU implementer")) != NULL) {
			b.impl = number(v, nl);
			b.any = true;
		} else if ((v = field(p, nl, "CPU variant")) != NULL) {
			b.variant = number(v, nl);
			b.any = true;
		} else if ((v = field(p, nl, "CPU part")) != NULL) {
			b.part = number(v, nl);
			b.any = true;
		} else if ((v = field(p, nl, "CPU revision")) != NULL) {
			b.rev = number(v, nl);
			b.any = true;
		}
		if (nl == end)
			break;
	}
	if (end_block(&b, &c, err) == -1)
		goto out;
	if (!seen) {
		ccpu_error_set(err, CCPU_EINPUT, "no Features line: not an "
		    "arm64 /proc/cpuinfo");
		goto out;
	}
	if (unknown != NULL && size > 0)
		snprintf(unknown, size, "%s", u.len > 0 ? u.buf : "");
	*out = c;
	rc = 0;
out:
	strbuf_release(&u);
	return rc;
}
