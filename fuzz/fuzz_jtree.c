/*
 * The survey's JSON tree (src/jtree.h) against jansson on arbitrary bytes:
 * whatever jt_parse takes, jansson must take as the same tree, and a
 * profile read from either tree must come out the same (or fail with the
 * same message).  Any difference aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/profile.h"
#include "jtree.h"
#include "profile_impl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
same(const struct jdoc *da, const struct jt *a, const struct jdoc *db,
    const struct jt *b)
{
	char	key[4096];
	size_t	i, distinct = 0;

	if (a->type != b->type)
		abort();
	if (a->type == JT_STRING && (a->n != b->n ||
	    memcmp(a->u.s, b->u.s, a->n) != 0))
		abort();
	if (a->type == JT_INT && a->u.i != b->u.i)
		abort();
	if (a->type == JT_ARRAY) {
		if (a->n != b->n)
			abort();
		for (i = 0; i < a->n; i++)
			same(da, jt_at(da, a, i), db, jt_at(db, b, i));
	}
	if (a->type == JT_OBJECT) {
		for (i = 0; i < a->n; i++) {
			const struct jt	*m = jt_at(da, a, i);

			if (m->keylen >= sizeof(key))
				return;
			memcpy(key, m->key, m->keylen);
			key[m->keylen] = '\0';
			if (jt_get(da, a, key) != m)
				continue;
			distinct++;
			if (jt_get(db, b, key) == NULL)
				abort();
			same(da, m, db, jt_get(db, b, key));
		}
		if (distinct != b->n)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jdoc		 da = JDOC_INIT, db = JDOC_INIT;
	struct ccpu_profile	*p, *q;
	struct ccpu_error	 ea, eb;
	json_error_t		 je;
	json_t			*j;
	const char		*text = (const char *)data;
	char			*sa, *sb;
	int			 ra, rb;

	if (jt_parse(&da, text, size) == 0) {
		if ((j = json_loadb(text, size, 0, &je)) == NULL)
			abort();	/* took what jansson refuses */
		jt_from_jansson(&db, j);
		same(&da, jt_root(&da), &db, jt_root(&db));
		p = ccpu_profile_new();
		q = ccpu_profile_new();
		ra = profile_from_jt(p, &da, &ea);
		rb = profile_from_jt(q, &db, &eb);
		if (ra != rb || (ra == -1 && strcmp(ea.msg, eb.msg) != 0))
			abort();
		if (ra == 0) {
			sa = ccpu_profile_dumps(p);
			sb = ccpu_profile_dumps(q);
			if (strcmp(sa, sb) != 0)
				abort();
			free(sa);
			free(sb);
		}
		ccpu_profile_free(p);
		ccpu_profile_free(q);
		json_decref(j);
	}
	jdoc_release(&da);
	jdoc_release(&db);
	return 0;
}
