/*
 * A fixed-size set of small integers (feature indexes or JVM bit numbers).
 * Passed by value or pointer; never allocated.
 */
#ifndef CCPU_FEATSET_H
#define CCPU_FEATSET_H

#include <stdbool.h>
#include <stdint.h>

#define CCPU_FEATSET_WORDS	4		/* room for 256 members */
#define CCPU_FEATSET_MAX	(64 * CCPU_FEATSET_WORDS)

struct ccpu_featset {
	uint64_t	w[CCPU_FEATSET_WORDS];
};

#define CCPU_FEATSET_INIT	{ { 0 } }

/* Empty fs. */
void	ccpu_featset_clear(struct ccpu_featset *);
/* Add or remove member n; n >= CCPU_FEATSET_MAX is ignored. */
void	ccpu_featset_add(struct ccpu_featset *, unsigned int n);
/* As ccpu_featset_add. */
void	ccpu_featset_del(struct ccpu_featset *, unsigned int n);
/* Whether n is a member; false for n >= CCPU_FEATSET_MAX. */
bool	ccpu_featset_has(const struct ccpu_featset *, unsigned int n);
/* No member at all. */
bool	ccpu_featset_empty(const struct ccpu_featset *);
/* The same members. */
bool	ccpu_featset_equal(const struct ccpu_featset *, const struct ccpu_featset *);
/* a is a subset of b. */
bool	ccpu_featset_subset(const struct ccpu_featset *a, const struct ccpu_featset *b);
/* The number of members. */
unsigned int ccpu_featset_count(const struct ccpu_featset *);
/* fs &= other. */
void	ccpu_featset_and(struct ccpu_featset *fs, const struct ccpu_featset *other);
/* fs |= other. */
void	ccpu_featset_or(struct ccpu_featset *fs, const struct ccpu_featset *other);
/* Members of a not in b, i.e. what a host lacks to run an image. out may alias a or b. */
void	ccpu_featset_minus(struct ccpu_featset *out, const struct ccpu_featset *a,
	    const struct ccpu_featset *b);
/* The next member >= from, or -1.  Iterate with for (i = next(fs, 0); i >= 0; i = next(fs, i + 1)). */
int	ccpu_featset_next(const struct ccpu_featset *, unsigned int from);

#endif
