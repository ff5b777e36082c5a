/*
 * x86-64 psABI levels of a CPU and of a JVM feature set, from the rows of
 * data/x86-levels.def.  A level holds when every requirement of it and of
 * the levels below holds; the report names what the next level lacks.
 */
#include <string.h>

#include "ccpu/level.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define XCR0		0xffffffffu	/* pseudo leaf: a bit of XCR0 */

struct req {
	int		 level;
	const char	*name;
	uint32_t	 leaf, sub;
	enum ccpu_reg	 reg;
	unsigned int	 bit;
	const char	*jvm;
};

static const struct req reqs[] = {
#define V(lvl, name, leaf, sub, reg, bit, jvm) \
	{ lvl, name, leaf, sub, CCPU_##reg, bit, jvm },
#include "x86-levels.def"
#undef V
};

enum state { ABSENT, PRESENT, UNKNOWN };

const char *
ccpu_level_name(int level)
{
	static const char *const names[] = {
		"below x86-64-v1", "x86-64-v1", "x86-64-v2", "x86-64-v3",
		"x86-64-v4",
	};

	return level >= 0 && level <= CCPU_LEVEL_MAX ? names[level] : "?";
}

/* Fold per-requirement states into the level and the next level's gaps. */
static int
fold(const enum state *st, struct ccpu_level *out)
{
	size_t	i;
	int	lvl;
	bool	ok;

	memset(out, 0, sizeof(*out));
	for (lvl = 1; lvl <= CCPU_LEVEL_MAX; lvl++) {
		ok = true;
		for (i = 0; i < nitems(reqs); i++)
			if (reqs[i].level == lvl && st[i] != PRESENT)
				ok = false;
		if (!ok)
			break;
		out->level = lvl;
	}
	if (out->level == CCPU_LEVEL_MAX)
		return out->level;
	for (i = 0; i < nitems(reqs); i++) {
		if (reqs[i].level != out->level + 1)
			continue;
		if (st[i] == UNKNOWN)
			out->uncertain = true;
		else if (st[i] == ABSENT && out->nmissing < CCPU_LEVEL_MISSING)
			out->missing[out->nmissing++] = reqs[i].name;
	}
	return out->level;
}

int
ccpu_level_cpu(const struct ccpu_cpu *c, struct ccpu_level *out)
{
	enum state	st[nitems(reqs)];
	bool		osxsave, xcr0_known;
	size_t		i;

	osxsave = ccpu_cpu_bit(c, 1, 0, CCPU_ECX, 27);
	xcr0_known = !osxsave || c->xcr0_source != CCPU_XCR0_NONE;
	for (i = 0; i < nitems(reqs); i++) {
		if (reqs[i].leaf != XCR0)
			st[i] = ccpu_cpu_bit(c, reqs[i].leaf, reqs[i].sub,
			    reqs[i].reg, reqs[i].bit) ? PRESENT : ABSENT;
		else if (!osxsave)
			st[i] = ABSENT;
		else if (!xcr0_known)
			st[i] = UNKNOWN;
		else
			st[i] = (c->xcr0 >> reqs[i].bit) & 1 ? PRESENT : ABSENT;
	}
	return fold(st, out);
}

int
ccpu_level_jvm(const struct ccpu_layout *l, const struct ccpu_featset *fs,
    const struct ccpu_featset *unknown, struct ccpu_level *out)
{
	enum state	st[nitems(reqs)];
	size_t		i;
	int		bit;

	for (i = 0; i < nitems(reqs); i++) {
		/*
		 * A baseline feature the layout's generic value leaves out is
		 * one that JVM no longer tracks (mmx from x26a on): present.
		 */
		if (reqs[i].jvm == NULL ||
		    (bit = ccpu_layout_bit(l, reqs[i].jvm)) < 0 ||
		    (reqs[i].level == 1 &&
		    !ccpu_featset_has(ccpu_layout_generic(l), (unsigned int)bit)))
			st[i] = PRESENT;
		else if (ccpu_featset_has(fs, (unsigned int)bit))
			st[i] = PRESENT;
		else if (unknown != NULL &&
		    ccpu_featset_has(unknown, (unsigned int)bit))
			st[i] = UNKNOWN;
		else
			st[i] = ABSENT;
	}
	return fold(st, out);
}
