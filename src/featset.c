/*
 * Fixed-size bit sets, after the kernel's x86_capability words.
 */
#include "ccpu/featset.h"

void
ccpu_featset_clear(struct ccpu_featset *fs)
{
	unsigned int	i;

	for (i = 0; i < CCPU_FEATSET_WORDS; i++)
		fs->w[i] = 0;
}

void
ccpu_featset_add(struct ccpu_featset *fs, unsigned int n)
{
	if (n < CCPU_FEATSET_MAX)
		fs->w[n / 64] |= UINT64_C(1) << (n % 64);
}

void
ccpu_featset_del(struct ccpu_featset *fs, unsigned int n)
{
	if (n < CCPU_FEATSET_MAX)
		fs->w[n / 64] &= ~(UINT64_C(1) << (n % 64));
}

bool
ccpu_featset_has(const struct ccpu_featset *fs, unsigned int n)
{
	if (n >= CCPU_FEATSET_MAX)
		return false;
	return (fs->w[n / 64] >> (n % 64)) & 1;
}

bool
ccpu_featset_empty(const struct ccpu_featset *fs)
{
	unsigned int	i;

	for (i = 0; i < CCPU_FEATSET_WORDS; i++)
		if (fs->w[i] != 0)
			return false;
	return true;
}

bool
ccpu_featset_equal(const struct ccpu_featset *a, const struct ccpu_featset *b)
{
	unsigned int	i;

	for (i = 0; i < CCPU_FEATSET_WORDS; i++)
		if (a->w[i] != b->w[i])
			return false;
	return true;
}

bool
ccpu_featset_subset(const struct ccpu_featset *a, const struct ccpu_featset *b)
{
	unsigned int	i;

	for (i = 0; i < CCPU_FEATSET_WORDS; i++)
		if ((a->w[i] & ~b->w[i]) != 0)
			return false;
	return true;
}

unsigned int
ccpu_featset_count(const struct ccpu_featset *fs)
{
	unsigned int	i, n = 0;

	for (i = 0; i < CCPU_FEATSET_WORDS; i++)
		n += (unsigned int)__builtin_popcountll(fs->w[i]);
	return n;
}

void
ccpu_featset_and(struct ccpu_featset *fs, const struct ccpu_featset *other)
{
	unsigned int	i;

	for (i = 0; i < CCPU_FEATSET_WORDS; i++)
		fs->w[i] &= other->w[i];
}

void
ccpu_featset_or(struct ccpu_featset *fs, const struct ccpu_featset *other)
{
	unsigned int	i;

	for (i = 0; i < CCPU_FEATSET_WORDS; i++)
		fs->w[i] |= other->w[i];
}

void
ccpu_featset_minus(struct ccpu_featset *out, const struct ccpu_featset *a,
    const struct ccpu_featset *b)
{
	unsigned int	i;

	for (i = 0; i < CCPU_FEATSET_WORDS; i++)
		out->w[i] = a->w[i] & ~b->w[i];
}

int
ccpu_featset_next(const struct ccpu_featset *fs, unsigned int from)
{
	unsigned int	i;
	uint64_t	w;

	for (i = from / 64; i < CCPU_FEATSET_WORDS; i++) {
		w = fs->w[i];
		if (i == from / 64)
			w &= from % 64 == 0 ? ~UINT64_C(0) :
			    ~((UINT64_C(1) << (from % 64)) - 1);
		if (w != 0)
			return (int)(i * 64 + (unsigned int)__builtin_ctzll(w));
	}
	return -1;
}
