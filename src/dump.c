/*
 * Offline dumps: read another host's CPUID from a file it wrote, detecting
 * the format from the content (never the name): our profile JSON, libcpuid's
 * raw dump (cpuid_tool --save, one or several logical CPUs) or the raw output
 * of Todd Allen's cpuid(1) (`cpuid -r`, all CPUs or -1).  The input is
 * untrusted, so it is read with a bounded line cursor under explicit maxima
 * and every rejection goes through corrupt(), which names file and line.
 * libcpuid's own deserializer is not used: its AIDA64 branch misreads
 * subleaves and it reads known fields with sscanf, taking a malformed line
 * for an unknown one.  Here a known field is read strictly, and only a line
 * whose field name is unknown (a later libcpuid's) is skipped, as libcpuid
 * skips it, with one note for the whole file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccpu/profile.h"
#include "esc.h"
#include "hex.h"
#include "xmalloc.h"

#define MAX_CPUS	4096		/* logical CPUs per dump */
#define MAX_LINE	256		/* bytes per line, without its end */
#define MAX_CPU_NUMBER	(1u << 20)	/* "CPU n:" in cpuid -r output */
#define SHOW_MAX	24		/* bytes of a bad token quoted */

/* A bounded cursor over the input, one line at a time. */
struct rd {
	const char	*name;		/* for messages */
	const char	*buf;
	size_t		 len;
	size_t		 off;		/* start of the next line */
	size_t		 lineno;	/* of the line last returned, from 1 */
	const char	*line;		/* last line returned, unterminated */
	size_t		 linelen;
	size_t		 nskipped;	/* raw dump lines of unknown fields */
	size_t		 skipped_line;	/* the first of them */
	char		 skipped[SHOW_MAX + 4];	/* its field name, shown */
};

/* A cursor within one line. */
struct cur {
	const char	*p;
	const char	*end;
};

/*
 * The one exit for malformed input: "NAME: line N: message" (line 0 leaves
 * the line out).  Returns -1.
 */
static int __attribute__((format(printf, 4, 5)))
corrupt(struct ccpu_error *err, const char *name, size_t lineno,
    const char *fmt, ...)
{
	char	msg[sizeof(err->msg)];
	va_list	ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (lineno > 0)
		return ccpu_error_set(err, CCPU_EINPUT, "%s: line %zu: %s",
		    name, lineno, msg);
	return ccpu_error_set(err, CCPU_EINPUT, "%s: %s", name, msg);
}

/*
 * The token at p (up to white space or the end of the line), escaped and
 * shortened to SHOW_MAX bytes, for quoting in a message.
 */
static const char *
show(char *dst, size_t size, const char *p, const char *end)
{
	const char	*q = p;

	while (q < end && *q != ' ' && *q != '\t')
		q++;
	return esc_excerpt(dst, size, p, (size_t)(q - p), SHOW_MAX);
}

/*
 * Return the next line in r->line (1), or 0 at the end of input; -1 when a
 * line is longer than MAX_LINE.  A trailing CR is dropped.
 */
static int
next_line(struct rd *r, struct ccpu_error *err)
{
	const char	*nl;
	size_t		 n;

	if (r->off >= r->len)
		return 0;
	r->line = r->buf + r->off;
	nl = memchr(r->line, '\n', r->len - r->off);
	n = nl != NULL ? (size_t)(nl - r->line) : r->len - r->off;
	r->off += n + (nl != NULL);
	r->lineno++;
	if (n > 0 && r->line[n - 1] == '\r')
		n--;
	if (n > MAX_LINE)
		return corrupt(err, r->name, r->lineno,
		    "line longer than %d bytes", MAX_LINE);
	r->linelen = n;
	return 1;
}

static struct cur
line_cur(const struct rd *r)
{
	return (struct cur){ r->line, r->line + r->linelen };
}

static bool
blank(const struct rd *r)
{
	size_t	i;

	for (i = 0; i < r->linelen; i++)
		if (r->line[i] != ' ' && r->line[i] != '\t')
			return false;
	return true;
}

static bool
lit(struct cur *c, const char *s)
{
	size_t	n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* Skip spaces and tabs; returns whether there were any. */
static bool
space(struct cur *c)
{
	const char	*p = c->p;

	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
	return c->p > p;
}

/* Between min and max hex digits, then not another hex digit. */
static bool
hex(struct cur *c, int min, int max, uint32_t *v)
{
	const char	*p = c->p;
	uint32_t	 x = 0;
	int		 n = 0, d;

	while (p < c->end && (d = hex_digit(*p)) != -1) {
		if (++n > max)
			return false;
		x = x << 4 | (uint32_t)d;
		p++;
	}
	if (n < min)
		return false;
	c->p = p;
	*v = x;
	return true;
}

/* A decimal number <= max, without leading zeros. */
static bool
dec(struct cur *c, uint32_t max, uint32_t *v)
{
	const char	*p = c->p;
	uint32_t	 x = 0;

	if (p == c->end || *p < '0' || *p > '9')
		return false;
	if (*p == '0' && p + 1 < c->end && p[1] >= '0' && p[1] <= '9')
		return false;
	while (p < c->end && *p >= '0' && *p <= '9') {
		if (x > (max - (uint32_t)(*p - '0')) / 10)
			return false;
		x = x * 10 + (uint32_t)(*p - '0');
		p++;
	}
	c->p = p;
	*v = x;
	return true;
}

static bool
at_end(struct cur *c)
{
	space(c);
	return c->p == c->end;
}

/*
 * Whether a leaf lies within the maximum of its range, as the CPU reports it
 * in the range's first leaf.  Beyond it Intel parts return a copy of the
 * highest basic leaf, so recorded values there mean nothing.  Hypervisor
 * leaves count only when CPUID.1:ECX.hypervisor says a hypervisor is there.
 */
static bool
in_range(const struct ccpu_cpu *c, uint32_t leaf)
{
	const struct ccpu_leaf	*l, *one;
	uint32_t		 base = leaf & 0xf0000000u;

	if ((l = ccpu_cpu_find(c, base, 0)) == NULL)
		return false;
	if (base != 0 && (l->r[CCPU_EAX] & 0xf0000000u) != base)
		return false;
	if (base == 0x40000000u) {
		one = ccpu_cpu_find(c, 1, 0);
		if (one == NULL || ccpu_cpu_max_basic(c) < 1 ||
		    !((one->r[CCPU_ECX] >> 31) & 1))
			return false;
	}
	return leaf <= l->r[CCPU_EAX];
}

/* Drop the leaves that lie beyond the maximum of their range. */
static void
drop_out_of_range(struct ccpu_cpu *c)
{
	struct ccpu_cpu	*in = xmalloc(sizeof(*in));
	size_t		 i, n = 0;

	memcpy(in, c, sizeof(*in));
	for (i = 0; i < in->nleaves; i++)
		if (in_range(in, in->leaves[i].leaf))
			c->leaves[n++] = in->leaves[i];
	c->nleaves = n;
	free(in);
}

/*
 * One logical CPU is complete: derive what the dump could not hold and
 * group it into the profile.  what names the CPU in messages.
 */
static int
finish_cpu(struct ccpu_profile *p, struct ccpu_cpu *c, const char *name,
    const char *what, struct ccpu_error *err)
{
	drop_out_of_range(c);
	if (ccpu_cpu_find(c, 0, 0) == NULL)
		return corrupt(err, name, 0, "%sno leaf 0x0", what);
	snprintf(c->core_type, sizeof(c->core_type), "%s",
	    ccpu_cpu_core_type(c));
	c->nlogical = 1;
	ccpu_cpu_note_missing(c);
	if (ccpu_profile_add_cpu(p, c, err) == -1) {
		ccpu_error_prefix(err, "%s", name);
		return -1;
	}
	return 0;
}

/*
 * libcpuid raw dumps.  Each line is `field[i]=eax ebx ecx edx`; a field is a
 * fixed array that holds either consecutive leaves or the subleaves of one.
 * Rows in the order libcpuid writes them (cpuid_serialize_raw_data): 0.6.2
 * writes the first seven, 0.7.0 and later add amd_fn80000026h.  Leaf
 * 0x80000026 lies beyond ext_cpuid's 32 entries, so its subleaf 0 is in its
 * own field only.
 */
static const struct raw_field {
	const char	*name;
	uint32_t	 leaf;		/* first leaf, or the one subleaved */
	bool		 subleaves;	/* index is the subleaf */
	unsigned int	 n;		/* entries libcpuid writes */
} raw_fields[] = {
	{ "basic_cpuid",	0x00000000, false,	32 },
	{ "ext_cpuid",		0x80000000, false,	32 },
	{ "intel_fn4",		0x00000004, true,	8 },
	{ "intel_fn11",		0x0000000b, true,	4 },
	{ "intel_fn12h",	0x00000012, true,	4 },
	{ "intel_fn14h",	0x00000014, true,	4 },
	{ "amd_fn8000001dh",	0x8000001d, true,	4 },
	{ "amd_fn80000026h",	0x80000026, true,	4 },	/* 0.7.0 */
};
#define RAW_FIELDS	8
#define RAW_MAX_N	32
_Static_assert(nitems(raw_fields) == RAW_FIELDS, "raw_fields");

/* The lines of one logical CPU block. */
struct raw_block {
	uint32_t	r[RAW_FIELDS][RAW_MAX_N][4];
	size_t		line[RAW_FIELDS][RAW_MAX_N];	/* 0: not seen */
};

#define LOGICAL_HEADER	"_________________ Logical CPU #"
#define LOGICAL_TRAILER	" _________________"
#define TEST_RESULTS	"----------------------------------------" \
			"----------------------------------------"

static bool
zero(const uint32_t r[4])
{
	return (r[0] | r[1] | r[2] | r[3]) == 0;
}

/* Whether leaf is within max[] (basic, extended) as a raw dump gives them. */
static bool
raw_in_range(const uint32_t max[2], uint32_t leaf)
{
	if (leaf < 0x80000000u)
		return leaf <= max[0];
	return (max[1] & 0xf0000000u) == 0x80000000u && leaf <= max[1];
}

/* Turn one block into a struct ccpu_cpu, keeping the leaves within range. */
static int
raw_block_cpu(const struct raw_block *b, struct ccpu_cpu *c, const char *name,
    const char *what, struct ccpu_error *err)
{
	const struct raw_field	*f;
	uint32_t		 max[2], leaf;
	unsigned int		 i, k, base;
	bool			 in_array;

	ccpu_cpu_init(c);
	for (k = 0; k < 2; k++) {
		if (b->line[k][0] == 0)
			return corrupt(err, name, 0, "%smissing %s[0]", what,
			    raw_fields[k].name);
		max[k] = b->r[k][0][CCPU_EAX];
	}
	for (k = 0; k < 2; k++) {
		base = raw_fields[k].leaf;
		for (i = 0; i < raw_fields[k].n && raw_in_range(max, base + i);
		    i++) {
			if (b->line[k][i] == 0)
				return corrupt(err, name, 0, "%smissing %s[%u] "
				    "(leaf 0x%x is within the maximum 0x%x)",
				    what, raw_fields[k].name, i, base + i,
				    max[k]);
			ccpu_cpu_add(c, base + i, 0, b->r[k][i], NULL);
		}
	}
	for (k = 2; k < RAW_FIELDS; k++) {
		f = &raw_fields[k];
		leaf = f->leaf;
		if (!raw_in_range(max, leaf))
			continue;
		/*
		 * Subleaf 0 is also in basic/ext_cpuid when the leaf is
		 * within their entries; an all-zero entry means the array
		 * was not captured.
		 */
		in_array = (leaf & 0x7fffffffu) < raw_fields[leaf >> 31].n;
		if (in_array && b->line[k][0] != 0 && !zero(b->r[k][0]) &&
		    memcmp(b->r[k][0], ccpu_cpu_find(c, leaf, 0)->r,
		    sizeof(b->r[k][0])) != 0)
			return corrupt(err, name, b->line[k][0],
			    "%s[0] disagrees with %s[%u] (both are leaf 0x%x)",
			    f->name, raw_fields[leaf >> 31].name,
			    leaf & 0xffu, leaf);
		for (i = in_array ? 1 : 0; i < f->n; i++)
			if (b->line[k][i] != 0 && !zero(b->r[k][i]))
				ccpu_cpu_add(c, leaf, i, b->r[k][i], NULL);
	}
	return 0;
}

/*
 * `name[index]=eax ebx ecx edx`: 1 when read, 0 when the field is unknown
 * and the line skipped, -1 when malformed.
 */
static int
raw_value(struct rd *r, struct raw_block *b, struct ccpu_error *err)
{
	struct cur		 c = line_cur(r);
	const struct raw_field	*f = NULL;
	const char		*start;
	char			 tok[4 * SHOW_MAX + 4];
	uint32_t		 i, v[4];
	size_t			 k, n;
	int			 j;

	start = c.p;
	while (c.p < c.end && ((*c.p >= 'a' && *c.p <= 'z') ||
	    (*c.p >= '0' && *c.p <= '9') || *c.p == '_'))
		c.p++;
	n = (size_t)(c.p - start);
	if (c.p == c.end || (*c.p != '[' && *c.p != '='))
		return corrupt(err, r->name, r->lineno,
		    "expected 'field[index]=', got '%s'",
		    show(tok, sizeof(tok), start, c.end));
	for (k = 0; k < RAW_FIELDS; k++)
		if (strlen(raw_fields[k].name) == n &&
		    memcmp(raw_fields[k].name, start, n) == 0) {
			f = &raw_fields[k];
			break;
		}
	if (f == NULL) {
		/* A field of a later libcpuid: skipped, as libcpuid does. */
		if (r->nskipped++ == 0) {
			r->skipped_line = r->lineno;
			snprintf(r->skipped, sizeof(r->skipped), "%.*s%s",
			    (int)(n < SHOW_MAX ? n : SHOW_MAX), start,
			    n > SHOW_MAX ? "..." : "");
		}
		return 0;
	}
	if (!lit(&c, "[") || !dec(&c, MAX_CPU_NUMBER, &i) || !lit(&c, "]="))
		return corrupt(err, r->name, r->lineno,
		    "expected '%s[index]=', got '%s'", f->name,
		    show(tok, sizeof(tok), start, c.end));
	if (i >= f->n)
		return corrupt(err, r->name, r->lineno,
		    "index %u out of range (%s has %u entries)", i, f->name,
		    f->n);
	for (j = 0; j < 4; j++) {
		if (j > 0 && !lit(&c, " "))
			return corrupt(err, r->name, r->lineno,
			    "expected 4 registers, got %d", j);
		start = c.p;
		if (!hex(&c, 8, 8, &v[j]) ||
		    (c.p < c.end && *c.p != ' '))
			return corrupt(err, r->name, r->lineno,
			    "expected 8 hex digits, got '%s'",
			    show(tok, sizeof(tok), start, c.end));
	}
	if (!at_end(&c))
		return corrupt(err, r->name, r->lineno,
		    "unexpected '%s' after 4 registers",
		    show(tok, sizeof(tok), c.p, c.end));
	if (b->line[k][i] != 0)
		return corrupt(err, r->name, r->lineno,
		    "duplicate %s[%u] (first on line %zu)", f->name, i,
		    b->line[k][i]);
	memcpy(b->r[k][i], v, sizeof(v));
	b->line[k][i] = r->lineno;
	return 1;
}

static int
raw_flush(struct ccpu_profile *p, struct raw_block *b, struct ccpu_cpu *c,
    const char *name, int cpu, struct ccpu_error *err)
{
	char	what[48] = "";

	if (cpu >= 0)
		snprintf(what, sizeof(what), "logical CPU #%d: ", cpu);
	if (raw_block_cpu(b, c, name, what, err) == -1 ||
	    finish_cpu(p, c, name, what, err) == -1)
		return -1;
	memset(b, 0, sizeof(*b));
	return 0;
}

static int
parse_raw(struct ccpu_profile *p, struct rd *r, struct ccpu_error *err)
{
	struct raw_block	*b = xcalloc(1, sizeof(*b));
	struct ccpu_cpu		*c = xmalloc(sizeof(*c));
	struct cur		 cu;
	char			 tok[4 * SHOW_MAX + 4];
	uint32_t		 n;
	int			 rc, cpu = -1, ncpus = 0;
	bool			 data = false, version = false;

	while ((rc = next_line(r, err)) == 1) {
		cu = line_cur(r);
		if (blank(r))
			continue;
		if (lit(&cu, "version=")) {
			if (version || ncpus > 0 || data) {
				rc = corrupt(err, r->name, r->lineno,
				    "'version=' after the first line");
				goto out;
			}
			version = true;
			continue;
		}
		if (r->linelen == strlen(TEST_RESULTS) &&
		    memcmp(r->line, TEST_RESULTS, r->linelen) == 0)
			break;	/* libcpuid test files: results follow */
		if (lit(&cu, LOGICAL_HEADER)) {
			if (!dec(&cu, MAX_CPU_NUMBER, &n) ||
			    !lit(&cu, LOGICAL_TRAILER) || !at_end(&cu)) {
				rc = corrupt(err, r->name, r->lineno,
				    "malformed logical CPU header");
				goto out;
			}
			if (data && cpu < 0) {
				rc = corrupt(err, r->name, r->lineno,
				    "logical CPU header after register lines");
				goto out;
			}
			if (cpu >= 0 && !data) {
				rc = corrupt(err, r->name, r->lineno,
				    "logical CPU #%d has no registers", cpu);
				goto out;
			}
			if (n != (uint32_t)ncpus) {
				rc = corrupt(err, r->name, r->lineno, "logical "
				    "CPU #%u out of order, expected #%d", n,
				    ncpus);
				goto out;
			}
			if (ncpus == MAX_CPUS) {
				rc = corrupt(err, r->name, r->lineno,
				    "more than %d logical CPUs", MAX_CPUS);
				goto out;
			}
			if (cpu >= 0 && (rc = raw_flush(p, b, c, r->name, cpu,
			    err)) == -1)
				goto out;
			cpu = ncpus++;
			data = false;
			continue;
		}
		if (cu.p < cu.end && (*cu.p < 'a' || *cu.p > 'z')) {
			rc = corrupt(err, r->name, r->lineno,
			    "unexpected '%s'", show(tok, sizeof(tok), cu.p,
			    cu.end));
			goto out;
		}
		if ((rc = raw_value(r, b, err)) == -1)
			goto out;
		data = data || rc == 1;
	}
	if (rc == -1)
		goto out;
	if (cpu >= 0 && !data) {
		rc = corrupt(err, r->name, 0,
		    "logical CPU #%d has no registers", cpu);
		goto out;
	}
	if (!data) {
		rc = corrupt(err, r->name, 0, "no registers");
		goto out;
	}
	rc = raw_flush(p, b, c, r->name, cpu, err);
out:
	free(c);
	free(b);
	return rc;
}

/*
 * cpuid(1) -r: optional "CPU n:" (or "CPU:" with -1) headers, then lines
 * `   0xLLLLLLLL 0xSS: eax=0x... ebx=0x... ecx=0x... edx=0x...`.
 */
static int
cpuidr_leaf(struct rd *r, struct ccpu_cpu *c, struct ccpu_error *err)
{
	static const char *const regs[4] = {
		"eax=0x", "ebx=0x", "ecx=0x", "edx=0x",
	};
	struct ccpu_error	 e;
	struct cur		 cu = line_cur(r);
	const char		*start;
	char			 tok[4 * SHOW_MAX + 4];
	uint32_t		 leaf, sub, v[4];
	int			 j;

	space(&cu);
	start = cu.p;
	if (!lit(&cu, "0x") || !hex(&cu, 8, 8, &leaf) || !space(&cu))
		return corrupt(err, r->name, r->lineno,
		    "expected a leaf as 0x and 8 hex digits, got '%s'",
		    show(tok, sizeof(tok), start, cu.end));
	start = cu.p;
	if (!lit(&cu, "0x") || !hex(&cu, 2, 8, &sub) || !lit(&cu, ":"))
		return corrupt(err, r->name, r->lineno,
		    "expected a subleaf as 0x and 2 to 8 hex digits and ':', "
		    "got '%s'", show(tok, sizeof(tok), start, cu.end));
	for (j = 0; j < 4; j++) {
		space(&cu);
		start = cu.p;
		if (!lit(&cu, regs[j]))
			return corrupt(err, r->name, r->lineno,
			    "expected '%s', got '%s'", regs[j],
			    show(tok, sizeof(tok), start, cu.end));
		start = cu.p;
		if (!hex(&cu, 8, 8, &v[j]) ||
		    (cu.p < cu.end && *cu.p != ' ' && *cu.p != '\t'))
			return corrupt(err, r->name, r->lineno,
			    "expected 8 hex digits, got '%s'",
			    show(tok, sizeof(tok), start, cu.end));
	}
	if (!at_end(&cu))
		return corrupt(err, r->name, r->lineno,
		    "unexpected '%s' after 4 registers",
		    show(tok, sizeof(tok), cu.p, cu.end));
	if (ccpu_cpu_add(c, leaf, sub, v, &e) == -1)
		return corrupt(err, r->name, r->lineno, "%s", e.msg);
	return 0;
}

/*
 * A dump is evidence: cpuid(1) prints every leaf of a range up to the
 * maximum the range's first leaf reports, so a leaf missing below it means
 * the dump was cut or edited, and reading the leaf as zero would silently
 * drop the features it holds (leaf 7: AVX2, AVX-512, BMI).  The loop ends
 * at the first gap, so it runs at most nleaves + 1 times whatever the
 * maximum claims.  Every x86-64 CPU has the extended range (long mode is
 * announced there).
 *
 * The exception: leaves cpuid(1) enumerates by subleaf while a type field
 * is non-zero print nothing when subleaf 0 already has type 0 (AMD's leaf
 * 4 and, before Zen 2, 0xb; Meteor Lake's 0x1b).  Their absence says
 * exactly that, and every reader treats type 0 as "nothing here".
 */
static bool
cpuidr_may_be_empty(uint32_t leaf)
{
	switch (leaf) {
	case 0x4:		/* deterministic cache parameters */
	case 0xb:		/* extended topology */
	case 0x1b:		/* PCONFIG */
	case 0x1f:		/* V2 extended topology */
	case 0x8000001du:	/* AMD cache topology */
	case 0x80000026u:	/* AMD extended CPU topology */
		return true;
	}
	return false;
}

static int
cpuidr_complete(const struct ccpu_cpu *c, const char *name, size_t header,
    const char *what, struct ccpu_error *err)
{
	static const uint32_t	 bases[] = {
		0x00000000u, 0x40000000u, 0x80000000u, 0xc0000000u,
	};
	const struct ccpu_leaf	*first;
	uint32_t		 leaf, max;
	size_t			 i;

	if (ccpu_cpu_find(c, 0x80000000u, 0) == NULL &&
	    ccpu_cpu_find(c, 0, 0) != NULL)
		return corrupt(err, name, header, "%sno leaf 0x80000000 (every "
		    "x86-64 CPU has it): the dump is incomplete", what);
	for (i = 0; i < nitems(bases); i++) {
		if ((first = ccpu_cpu_find(c, bases[i], 0)) == NULL ||
		    !in_range(c, bases[i]))
			continue;
		max = first->r[CCPU_EAX];
		for (leaf = bases[i] + 1; leaf <= max && leaf > bases[i]; leaf++)
			if (ccpu_cpu_find(c, leaf, 0) == NULL &&
			    !cpuidr_may_be_empty(leaf))
				return corrupt(err, name, header, "%smissing "
				    "leaf 0x%x (within the maximum 0x%x): the "
				    "dump is incomplete or was cut short", what,
				    leaf, max);
	}
	return 0;
}

static int
cpuidr_flush(struct ccpu_profile *p, struct ccpu_cpu *c, const char *name,
    long cpu, size_t header, struct ccpu_error *err)
{
	char	what[48] = "";

	if (cpu >= 0)
		snprintf(what, sizeof(what), "CPU %ld: ", cpu);
	if (c->nleaves == 0)
		return corrupt(err, name, header, "%sno leaves", what);
	if (cpuidr_complete(c, name, header, what, err) == -1)
		return -1;
	if (finish_cpu(p, c, name, what, err) == -1)
		return -1;
	ccpu_cpu_init(c);
	return 0;
}

static int
parse_cpuidr(struct ccpu_profile *p, struct rd *r, struct ccpu_error *err)
{
	struct ccpu_cpu	*c = xmalloc(sizeof(*c));
	struct cur	 cu;
	char		 tok[4 * SHOW_MAX + 4];
	uint32_t	 n;
	size_t		 header = 0;
	long		 cpu = -1;	/* current block; -1 none or "CPU:" */
	int		 rc, ncpus = 0;
	bool		 one = false;	/* "CPU:" of cpuid -1 */
	bool		 bare;

	ccpu_cpu_init(c);
	while ((rc = next_line(r, err)) == 1) {
		cu = line_cur(r);
		if (blank(r))
			continue;
		if (lit(&cu, "CPU")) {
			bare = lit(&cu, ":");
			if ((!bare && (!lit(&cu, " ") ||
			    !dec(&cu, MAX_CPU_NUMBER, &n) || !lit(&cu, ":"))) ||
			    !at_end(&cu)) {
				rc = corrupt(err, r->name, r->lineno,
				    "malformed CPU header");
				goto out;
			}
			if (ncpus == 0 && c->nleaves > 0) {
				rc = corrupt(err, r->name, r->lineno,
				    "CPU header after leaf lines");
				goto out;
			}
			if (one || (bare && ncpus > 0)) {
				rc = corrupt(err, r->name, r->lineno,
				    "'CPU:' block mixed with other CPU blocks");
				goto out;
			}
			if (!bare && cpu >= 0 && (long)n <= cpu) {
				rc = corrupt(err, r->name, r->lineno,
				    "CPU %u out of order (after CPU %ld)", n,
				    cpu);
				goto out;
			}
			if (ncpus == MAX_CPUS) {
				rc = corrupt(err, r->name, r->lineno,
				    "more than %d CPUs", MAX_CPUS);
				goto out;
			}
			if (ncpus > 0 && (rc = cpuidr_flush(p, c, r->name, cpu,
			    header, err)) == -1)
				goto out;
			one = bare;
			cpu = bare ? -1 : (long)n;
			header = r->lineno;
			ncpus++;
			continue;
		}
		space(&cu);
		if (!lit(&cu, "0x")) {
			rc = corrupt(err, r->name, r->lineno, "unexpected '%s'",
			    show(tok, sizeof(tok), cu.p, cu.end));
			goto out;
		}
		if ((rc = cpuidr_leaf(r, c, err)) == -1)
			goto out;
	}
	if (rc == -1)
		goto out;
	rc = cpuidr_flush(p, c, r->name, cpu, header, err);
out:
	free(c);
	return rc;
}

static int
parse_json(struct ccpu_profile *p, const char *buf, size_t len,
    const char *name, struct ccpu_error *err)
{
	json_error_t	 je;
	json_t		*root;
	int		 rc;

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return corrupt(err, name, (size_t)(je.line > 0 ? je.line : 0),
		    "%s", je.text);
	rc = ccpu_profile_from_json(p, root, err);
	json_decref(root);
	if (rc == -1)
		ccpu_error_prefix(err, "%s", name);
	return rc;
}

enum format { F_UNKNOWN, F_JSON, F_RAW, F_CPUIDR, F_A64CPUINFO };

/* The format, from the first bytes that are not white space. */
static enum format
detect(const char *buf, size_t len)
{
	struct cur	cu = { buf, buf + len };
	const char	*nl;

	while (cu.p < cu.end && (*cu.p == ' ' || *cu.p == '\t' ||
	    *cu.p == '\r' || *cu.p == '\n'))
		cu.p++;
	if ((nl = memchr(cu.p, '\n', (size_t)(cu.end - cu.p))) != NULL)
		cu.end = nl;
	if (lit(&cu, "{"))
		return F_JSON;
	if (lit(&cu, "version=") || lit(&cu, "basic_cpuid[") ||
	    lit(&cu, LOGICAL_HEADER))
		return F_RAW;
	if (lit(&cu, "CPU:") || lit(&cu, "CPU ") || lit(&cu, "0x"))
		return F_CPUIDR;
	if ((lit(&cu, "processor") || lit(&cu, "Processor")) &&
	    ccpu_a64_cpuinfo_is(buf, len))
		return F_A64CPUINFO;
	return F_UNKNOWN;
}

/*
 * An arm64 /proc/cpuinfo: an aarch64 host with no CPUID; its Features
 * names the kernel knew and this version does not are told once.
 */
static int
parse_a64_cpuinfo(struct ccpu_profile *p, const char *buf, size_t len,
    const char *name, struct ccpu_error *err)
{
	struct ccpu_error	e;
	char			unknown[128], shown[ESC_EXCERPT_SIZE];

	if (ccpu_a64_cpuinfo_parse(buf, len, &p->a64, unknown, sizeof(unknown),
	    &e) == -1)
		return corrupt(err, name, 0, "%s", e.msg);
	snprintf(p->arch, sizeof(p->arch), "aarch64");
	snprintf(p->source, sizeof(p->source), "cpuinfo");
	if (unknown[0] != '\0')
		snprintf(p->warning, sizeof(p->warning), "%s: Features names "
		    "this version does not know: %s", esc_excerpt(shown,
		    sizeof(shown), name, strlen(name), ESC_EXCERPT), unknown);
	return 0;
}

static const char *
base_name(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* ccpu_profile_parse, with the source file apart from the name in messages. */
static int
parse(struct ccpu_profile *out, const char *buf, size_t len, const char *name,
    const char *file, struct ccpu_error *err)
{
	struct ccpu_profile	*p;
	struct rd		 r = { .name = name, .buf = buf, .len = len };
	char			 shown[ESC_EXCERPT_SIZE];
	const char		*nul;
	enum format		 f;
	size_t			 i, lineno = 1;
	int			 rc = -1;

	if (len > CCPU_MAX_INPUT)
		return corrupt(err, name, 0,
		    "too large (%zu bytes, at most %u)", len, CCPU_MAX_INPUT);
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		for (i = 0; i < (size_t)(nul - buf); i++)
			lineno += buf[i] == '\n';
		return corrupt(err, name, lineno, "NUL byte at offset %zu: "
		    "not a text file", (size_t)(nul - buf));
	}
	for (i = 0; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
		    buf[i] != '\r')
			break;
	if (i == len)
		return corrupt(err, name, 0, "empty file");

	p = ccpu_profile_new();
	switch ((f = detect(buf, len))) {
	case F_JSON:
		rc = parse_json(p, buf, len, name, err);
		break;
	case F_RAW:
		rc = parse_raw(p, &r, err);
		snprintf(p->source, sizeof(p->source), "libcpuid-raw");
		break;
	case F_CPUIDR:
		rc = parse_cpuidr(p, &r, err);
		snprintf(p->source, sizeof(p->source), "cpuid-r");
		break;
	case F_A64CPUINFO:
		rc = parse_a64_cpuinfo(p, buf, len, name, err);
		break;
	case F_UNKNOWN:
		rc = corrupt(err, name, 0, "unknown format (not a ccpu "
		    "profile, libcpuid raw dump, cpuid -r output or arm64 "
		    "/proc/cpuinfo)");
		break;
	}
	if (rc == 0 && f != F_JSON) {
		snprintf(p->source_file, sizeof(p->source_file), "%s", file);
		ccpu_profile_identify(p);
	}
	if (rc == 0 && r.nskipped > 0)
		snprintf(p->warning, sizeof(p->warning), "%s: skipped %zu "
		    "line%s of fields this version does not know, the first "
		    "'%s' on line %zu", esc_excerpt(shown, sizeof(shown), name,
		    strlen(name), ESC_EXCERPT), r.nskipped,
		    r.nskipped == 1 ? "" : "s", r.skipped, r.skipped_line);
	if (rc == 0)
		ccpu_profile_copy(out, p);
	ccpu_profile_free(p);
	return rc;
}

int
ccpu_profile_parse(struct ccpu_profile *out, const char *buf, size_t len,
    const char *name, struct ccpu_error *err)
{
	return parse(out, buf, len, name, base_name(name), err);
}

/*
 * Read at most CCPU_MAX_INPUT bytes (one more tells it is too large).
 * Returns the malloc'ed buffer, or NULL with err set.
 */
static char *
read_bounded(int fd, const char *name, size_t hint, size_t *lenp,
    struct ccpu_error *err)
{
	char	*buf;
	size_t	 len = 0, size = hint + 1;
	ssize_t	 n;

	if (size > CCPU_MAX_INPUT + 1 || size < 4096)
		size = size < 4096 ? 4096 : CCPU_MAX_INPUT + 1;
	buf = xmalloc(size);
	for (;;) {
		if (len == size) {
			if (size == CCPU_MAX_INPUT + 1)
				break;
			size = size > (CCPU_MAX_INPUT + 1) / 2 ?
			    CCPU_MAX_INPUT + 1 : 2 * size;
			buf = xrealloc(buf, size);
		}
		n = read(fd, buf + len, size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			ccpu_error_set(err, CCPU_ESYS, "%s: %s", name,
			    strerror(errno));
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > CCPU_MAX_INPUT) {
		corrupt(err, name, 0, "too large (more than %u bytes)",
		    CCPU_MAX_INPUT);
		free(buf);
		return NULL;
	}
	*lenp = len;
	return buf;
}

int
ccpu_profile_load(struct ccpu_profile *out, const char *path,
    struct ccpu_error *err)
{
	struct stat	 st;
	const char	*name = path;
	char		*buf;
	size_t		 len;
	int		 fd, rc;
	bool		 std = strcmp(path, "-") == 0;

	if (std) {
		fd = STDIN_FILENO;
		name = "<stdin>";
	} else if ((fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return ccpu_error_set(err, CCPU_ESYS, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) == -1) {
		rc = ccpu_error_set(err, CCPU_ESYS, "%s: %s", name,
		    strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = ccpu_error_set(err, CCPU_EINPUT, "%s: is a directory",
		    name);
		goto out;
	}
	if (!std && !S_ISREG(st.st_mode)) {
		rc = ccpu_error_set(err, CCPU_EINPUT,
		    "%s: not a regular file", name);
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size > (off_t)CCPU_MAX_INPUT) {
		rc = corrupt(err, name, 0, "too large (%jd bytes, at most %u)",
		    (intmax_t)st.st_size, CCPU_MAX_INPUT);
		goto out;
	}
	if ((buf = read_bounded(fd, name, S_ISREG(st.st_mode) ?
	    (size_t)st.st_size : 0, &len, err)) == NULL) {
		rc = -1;
		goto out;
	}
	rc = parse(out, buf, len, name, std ? "" : base_name(path), err);
	free(buf);
out:
	if (!std)
		close(fd);
	return rc;
}
