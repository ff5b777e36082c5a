/*
 * A read-only JSON tree in one array, for the records a survey reads by the
 * hundred thousand: a profile is ~700 values, and building it as jansson
 * objects (a hash table and an allocation per value) was most of a survey's
 * time.  jt_parse reads the plain subset real records use (ASCII strings
 * without escapes, integers of at most 18 digits) with no allocation per
 * value and strings pointing into the text; anything else, valid or not, is
 * declined, and the caller asks jansson, whose tree jt_from_jansson copies.
 * So one reader (profile_json.c) serves both, and every message about a
 * malformed document is jansson's own.
 *
 * Members of an object are looked up as jansson's json_loadb leaves them:
 * the last of equal keys wins.
 */
#ifndef CCPU_JTREE_H
#define CCPU_JTREE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

enum jt_type {
	JT_NULL, JT_FALSE, JT_TRUE, JT_INT, JT_REAL, JT_STRING, JT_ARRAY,
	JT_OBJECT,
};

struct jt {
	const char	*key;		/* as a member of an object, else NULL */
	union {
		const char	*s;	/* JT_STRING: not NUL-terminated */
		long long	 i;	/* JT_INT */
		size_t		 first;	/* JT_ARRAY, JT_OBJECT: v[first] */
	} u;
	uint32_t	 keylen;
	uint32_t	 n;		/* string length; members */
	enum jt_type	 type;
};

/* JT_INIT, then parse or copy any number of times; jt_release frees. */
struct jdoc {
	struct jt	*v;		/* the tree; v[root] is the top */
	size_t		 n, cap, root;
	struct jt	*stk;		/* members of open containers */
	size_t		 sn, scap;
};

#define JDOC_INIT	{ NULL, 0, 0, 0, NULL, 0, 0 }

void	jdoc_release(struct jdoc *);
/*
 * 0 and the tree of text (whose bytes it points into), or -1 when text is
 * not a JSON object or array entirely in the plain subset: ask jansson.
 */
int	jt_parse(struct jdoc *, const char *text, size_t len);
/* The tree of a jansson value (whose strings it points into). */
void	jt_from_jansson(struct jdoc *, const json_t *);

static inline const struct jt *
jt_root(const struct jdoc *d)
{
	return &d->v[d->root];
}

/* obj's last member named key, or NULL (also when obj is not an object). */
const struct jt *jt_get(const struct jdoc *, const struct jt *obj,
	    const char *key);
/* The i'th element of an array (i < n). */
static inline const struct jt *
jt_at(const struct jdoc *d, const struct jt *a, size_t i)
{
	return &d->v[a->u.first + i];
}
/* A string value's bytes equal s. */
int	jt_streq(const struct jt *, const char *s);

#endif
