/*
 * A read-only JSON tree in one array (src/jtree.h).
 *
 * jt_parse is a cursor over the text with an explicit stack: the members of
 * every open container wait on d->stk and move, once, into a contiguous run
 * of d->v when it closes, so an array or object is (first, n).  It declines
 * (-1) at the first byte outside the plain subset; it never decides that a
 * document is invalid, so what it accepts jansson accepts the same way.
 */
#include <stdbool.h>
#include <string.h>

#include "jtree.h"
#include "xmalloc.h"

#define JT_MAX_DEPTH	64		/* deeper: jansson (its limit is 2048) */
#define JT_MAX_DIGITS	18		/* more: jansson (range, reals) */

struct open {
	size_t		 base;		/* its first member on d->stk */
	const char	*key;		/* its own key in its parent */
	uint32_t	 keylen;
	enum jt_type	 type;
};

enum expect { E_VALUE, E_VALUE_OR_END, E_KEY, E_KEY_OR_END, E_COLON, E_NEXT };

void
jdoc_release(struct jdoc *d)
{
	free(d->v);
	free(d->stk);
	memset(d, 0, sizeof(*d));
}

static struct jt *
stk_push(struct jdoc *d)
{
	if (d->sn == d->scap) {
		d->scap = d->scap ? 2 * d->scap : 256;
		d->stk = xreallocarray(d->stk, d->scap, sizeof(*d->stk));
	}
	return &d->stk[d->sn++];
}

/* Close the container whose members start at o->base: its node, or the root. */
static void
close_container(struct jdoc *d, const struct open *o, bool top)
{
	size_t		 k = d->sn - o->base;
	struct jt	*c;

	if (d->n + k + 1 > d->cap) {
		while (d->n + k + 1 > d->cap)
			d->cap = d->cap ? 2 * d->cap : 1024;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	if (k > 0)
		memcpy(d->v + d->n, d->stk + o->base, k * sizeof(*d->v));
	d->sn = o->base;
	c = top ? &d->v[d->root = d->n + k] : stk_push(d);
	c->type = o->type;
	c->n = (uint32_t)k;
	c->u.first = d->n;
	c->key = o->key;
	c->keylen = o->keylen;
	d->n += k + (top ? 1 : 0);
}

/* Whitespace as JSON has it. */
static const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	return p;
}

/* A plain string at p (after its quote): its end quote, or NULL. */
static const char *
plain_string(const char *p, const char *e)
{
	unsigned char	c;

	for (; p < e; p++) {
		c = (unsigned char)*p;
		if (c == '"')
			return p;
		if (c < 0x20 || c >= 0x80 || c == '\\')
			return NULL;
	}
	return NULL;
}

int
jt_parse(struct jdoc *d, const char *text, size_t len)
{
	const char	*p = text, *e = text + len, *q, *key = NULL;
	struct open	 open[JT_MAX_DEPTH];
	struct jt	*v;
	enum expect	 x;
	uint32_t	 keylen = 0;
	long long	 i;
	int		 depth = 0, nd;

	d->n = d->sn = d->root = 0;
	p = skip_ws(p, e);
	if (p == e || (*p != '{' && *p != '['))
		return -1;
	x = E_VALUE;
	for (;;) {
		p = skip_ws(p, e);
		if (p == e)
			return -1;
		switch (x) {
		case E_KEY_OR_END:
			if (*p == '}')
				goto close;
			/* FALLTHROUGH */
		case E_KEY:
			if (*p != '"' || (q = plain_string(p + 1, e)) == NULL)
				return -1;
			key = p + 1;
			keylen = (uint32_t)(q - key);
			p = q + 1;
			x = E_COLON;
			continue;
		case E_COLON:
			if (*p++ != ':')
				return -1;
			x = E_VALUE;
			continue;
		case E_NEXT:
			if (*p == ',') {
				p++;
				x = open[depth - 1].type == JT_OBJECT ? E_KEY :
				    E_VALUE;
				continue;
			}
			goto close;
		case E_VALUE_OR_END:
			if (*p == ']')
				goto close;
			/* FALLTHROUGH */
		case E_VALUE:
			break;
		}
		/* A value; key is its key when it is an object's member. */
		if (*p == '{' || *p == '[') {
			if (depth == JT_MAX_DEPTH)
				return -1;
			open[depth].base = d->sn;
			open[depth].key = key;
			open[depth].keylen = keylen;
			open[depth].type = *p == '{' ? JT_OBJECT : JT_ARRAY;
			x = *p == '{' ? E_KEY_OR_END : E_VALUE_OR_END;
			depth++;
			p++;
			key = NULL;
			keylen = 0;
			continue;
		}
		if (depth == 0)
			return -1;
		v = stk_push(d);
		v->key = key;
		v->keylen = keylen;
		key = NULL;
		keylen = 0;
		if (*p == '"') {
			if ((q = plain_string(p + 1, e)) == NULL)
				return -1;
			v->type = JT_STRING;
			v->u.s = p + 1;
			v->n = (uint32_t)(q - p - 1);
			p = q + 1;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			q = p + (*p == '-');
			if (q == e || *q < '0' || *q > '9')
				return -1;
			for (i = 0, nd = 0; q < e && *q >= '0' && *q <= '9'; q++)
				if (nd++ < JT_MAX_DIGITS)	/* never overflows */
					i = i * 10 + (*q - '0');
			if (nd > JT_MAX_DIGITS || (nd > 1 && q[-nd] == '0') ||
			    (q < e && (*q == '.' || *q == 'e' || *q == 'E')))
				return -1;
			v->type = JT_INT;
			v->u.i = *p == '-' ? -i : i;
			p = q;
		} else if (e - p >= 4 && memcmp(p, "true", 4) == 0) {
			v->type = JT_TRUE;
			p += 4;
		} else if (e - p >= 5 && memcmp(p, "false", 5) == 0) {
			v->type = JT_FALSE;
			p += 5;
		} else if (e - p >= 4 && memcmp(p, "null", 4) == 0) {
			v->type = JT_NULL;
			p += 4;
		} else
			return -1;
		v->n = v->type == JT_STRING ? v->n : 0;
		x = E_NEXT;
		continue;
close:
		if ((*p == '}') != (open[depth - 1].type == JT_OBJECT) ||
		    (*p != '}' && *p != ']'))
			return -1;
		p++;
		depth--;
		close_container(d, &open[depth], depth == 0);
		if (depth == 0)
			return skip_ws(p, e) == e ? 0 : -1;
		x = E_NEXT;
	}
}

/* Copy one jansson value (and what it holds) onto d->stk. */
static void
from_jansson(struct jdoc *d, const json_t *j, const char *key, bool top)
{
	struct open	 o;
	struct jt	*v;
	const char	*k;
	json_t		*m;
	size_t		 i;

	if (json_is_object(j) || json_is_array(j)) {
		o.base = d->sn;
		o.key = key;
		o.keylen = key != NULL ? (uint32_t)strlen(key) : 0;
		o.type = json_is_object(j) ? JT_OBJECT : JT_ARRAY;
		if (json_is_object(j)) {
			json_object_foreach((json_t *)j, k, m)
				from_jansson(d, m, k, false);
		} else {
			json_array_foreach(j, i, m)
				from_jansson(d, m, NULL, false);
		}
		close_container(d, &o, top);
		return;
	}
	v = top ? NULL : stk_push(d);
	if (v == NULL) {	/* a scalar root: a one-member array's member */
		o.base = d->sn;
		o.key = NULL;
		o.keylen = 0;
		o.type = JT_ARRAY;
		from_jansson(d, j, NULL, false);
		close_container(d, &o, true);
		d->root = d->v[d->root].u.first;
		return;
	}
	v->key = key;
	v->keylen = key != NULL ? (uint32_t)strlen(key) : 0;
	v->n = 0;
	switch (json_typeof(j)) {
	case JSON_STRING:
		v->type = JT_STRING;
		v->u.s = json_string_value(j);
		v->n = (uint32_t)json_string_length(j);
		break;
	case JSON_INTEGER:
		v->type = JT_INT;
		v->u.i = json_integer_value(j);
		break;
	case JSON_REAL:
		v->type = JT_REAL;
		break;
	case JSON_TRUE:
		v->type = JT_TRUE;
		break;
	case JSON_FALSE:
		v->type = JT_FALSE;
		break;
	default:
		v->type = JT_NULL;
		break;
	}
}

void
jt_from_jansson(struct jdoc *d, const json_t *j)
{
	d->n = d->sn = d->root = 0;
	from_jansson(d, j, NULL, true);
}

const struct jt *
jt_get(const struct jdoc *d, const struct jt *obj, const char *key)
{
	size_t	len = strlen(key), i;

	if (obj == NULL || obj->type != JT_OBJECT)
		return NULL;
	for (i = obj->n; i-- > 0;) {
		const struct jt	*m = &d->v[obj->u.first + i];

		if (m->keylen == len && memcmp(m->key, key, len) == 0)
			return m;
	}
	return NULL;
}

int
jt_streq(const struct jt *v, const char *s)
{
	return v != NULL && v->type == JT_STRING && strlen(s) == v->n &&
	    memcmp(v->u.s, s, v->n) == 0;
}
