/*
 * The profile's JSON form, "schema": "ccpu-profile/1" (docs/profile.md).
 * Raw registers are the payload; the "cpu" block is derived from them on
 * output for people and is only checked for well-formedness on input.
 * Numbers that are bit masks or register values are hex strings of fixed
 * width, so JSON readers that use doubles lose nothing.  The text form puts
 * each leaf on one line and is byte-stable: load and save give the same file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "ccpu/profile.h"
#include "ident.h"
#include "jtree.h"
#include "profile_impl.h"
#include "strbuf.h"
#include "xmalloc.h"

#define MAX_LOGICAL	(1u << 20)	/* logical_cpus of one core type */

static const char *const xcr0_sources[] = {
	[CCPU_XCR0_NONE] = "none",
	[CCPU_XCR0_XGETBV] = "xgetbv",
	[CCPU_XCR0_OSXSAVE_OFF] = "osxsave-off",
	[CCPU_XCR0_INFERRED] = "inferred",
	[CCPU_XCR0_RECORDED] = "recorded",
};

static const char *const source_kinds[] = {
	"live", "libcpuid-raw", "cpuid-r", "profile", "cpuinfo",
};

static const char *const core_types[] = {
	"", "performance", "efficiency", "lp-efficiency",
};

/* A JSON string of s; bytes that are not printable ASCII become '?'. */
static json_t *
jstr(const char *s)
{
	json_t	*j;
	char	*t;
	size_t	 i;

	if ((j = json_string(s)) != NULL)
		return j;
	t = xstrdup(s);
	for (i = 0; t[i] != '\0'; i++)
		if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] >= 0x7f)
			t[i] = '?';
	j = json_string(t);
	free(t);
	return j;
}

/* "0x" and at least width lowercase hex digits. */
static json_t *
jhex(int width, uint64_t v)
{
	char	buf[24];

	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, width, v);
	return json_string(buf);
}

static json_t *
missing_json(unsigned int missing)
{
	json_t		*a = json_array();
	unsigned int	 bit;

	for (bit = 1; bit <= CCPU_MISS_ALL; bit <<= 1)
		if ((missing & bit) && ccpu_miss_name(bit) != NULL)
			json_array_append_new(a,
			    json_string(ccpu_miss_name(bit)));
	return a;
}

static json_t *
type_json(const struct ccpu_cpu *c)
{
	const struct ccpu_leaf	*l;
	json_t			*t = json_object(), *leaves = json_array(), *a;
	size_t			 i, k;

	json_object_set_new(t, "type", jstr(c->core_type));
	json_object_set_new(t, "logical_cpus", json_integer(c->nlogical));
	json_object_set_new(t, "xcr0", jhex(16, c->xcr0));
	json_object_set_new(t, "xcr0_source", json_string(
	    (size_t)c->xcr0_source < nitems(xcr0_sources) ?
	    xcr0_sources[c->xcr0_source] : "none"));
	json_object_set_new(t, "missing", missing_json(c->missing));
	for (i = 0; i < c->nleaves; i++) {
		l = &c->leaves[i];
		a = json_array();
		json_array_append_new(a, jhex(8, l->leaf));
		json_array_append_new(a, jhex(1, l->sub));
		for (k = 0; k < 4; k++)
			json_array_append_new(a, jhex(8, l->r[k]));
		json_array_append_new(leaves, a);
	}
	json_object_set_new(t, "leaves", leaves);
	return t;
}

static json_t *
host_json(const struct ccpu_profile *p)
{
	json_t	*o = json_object();

	json_object_set_new(o, "hostname", jstr(p->hostname));
	json_object_set_new(o, "kernel", jstr(p->kernel));
	json_object_set_new(o, "glibc", jstr(p->glibc));
	json_object_set_new(o, "captured", jstr(p->captured));
	json_object_set_new(o, "arch", json_string(ccpu_profile_arch(p)));
	return o;
}

/*
 * An aarch64 host, "ccpu-profile/2": the HWCAP words (and their names, for
 * the reader), and each core type's MIDR with its name.
 */
static json_t *
a64_to_json(const struct ccpu_profile *p)
{
	const struct ccpu_a64_cpu	*c = &p->a64;
	json_t				*root = json_object(), *o, *a, *t;
	const char			*name, *where;
	char				 buf[128];
	unsigned int			 i, word, bit;

	json_object_set_new(root, "schema", json_string(CCPU_PROFILE_SCHEMA_2));
	json_object_set_new(root, "host", host_json(p));
	o = json_object();
	json_object_set_new(o, "kind", jstr(p->source));
	json_object_set_new(o, "file", jstr(p->source_file));
	json_object_set_new(root, "source", o);
	o = json_object();
	json_object_set_new(o, "codename", jstr(p->codename));
	json_object_set_new(o, "codename_source", json_string(
	    p->codename[0] != '\0' ? "midr table" : ""));
	json_object_set_new(o, "hybrid", json_boolean(ccpu_profile_hybrid(p)));
	json_object_set_new(root, "cpu", o);
	o = json_object();
	json_object_set_new(o, "hwcap", jhex(16, c->hwcap));
	json_object_set_new(o, "hwcap2", jhex(16, c->hwcap2));
	a = json_array();
	for (word = 1; word <= 2; word++)
		for (bit = 0; bit < 64; bit++)
			if (((word == 1 ? c->hwcap : c->hwcap2) >> bit & 1) &&
			    (name = ccpu_a64_hwcap_name(word, bit)) != NULL)
				json_array_append_new(a, json_string(name));
	json_object_set_new(o, "features", a);
	a = json_array();
	for (i = 0; i < c->ncores; i++) {
		t = json_object();
		json_object_set_new(t, "midr", jhex(8, c->cores[i].midr));
		(void)ccpu_a64_midr_name(c->cores[i].midr, buf, sizeof(buf),
		    &where);
		json_object_set_new(t, "name", jstr(buf));
		json_object_set_new(t, "logical_cpus",
		    json_integer(c->cores[i].nlogical));
		json_array_append_new(a, t);
	}
	json_object_set_new(o, "core_types", a);
	json_object_set_new(root, "aarch64", o);
	return root;
}

json_t *
ccpu_profile_to_json(const struct ccpu_profile *p)
{
	static const struct ccpu_cpu	 empty;
	const struct ccpu_cpu		*c0;
	struct ccpu_ident		 id;
	json_t				*root = json_object(), *o, *a;
	uint32_t			 r[4];
	char				 buf[64];
	unsigned int			 i;

	if (ccpu_profile_is_a64(p)) {
		json_decref(root);
		return a64_to_json(p);
	}
	c0 = p->ntypes > 0 ? &p->types[0] : &empty;
	json_object_set_new(root, "schema", json_string(CCPU_PROFILE_SCHEMA));

	o = json_object();
	json_object_set_new(o, "hostname", jstr(p->hostname));
	json_object_set_new(o, "kernel", jstr(p->kernel));
	json_object_set_new(o, "glibc", jstr(p->glibc));
	json_object_set_new(o, "captured", jstr(p->captured));
	json_object_set_new(o, "arch", json_string("x86_64"));
	json_object_set_new(root, "host", o);

	o = json_object();
	json_object_set_new(o, "kind", jstr(p->source));
	json_object_set_new(o, "file", jstr(p->source_file));
	json_object_set_new(root, "source", o);

	ccpu_cpu_ident(c0, &id);
	o = json_object();
	json_object_set_new(o, "vendor", jstr(id.vendor));
	json_object_set_new(o, "brand", jstr(id.brand));
	json_object_set_new(o, "family", json_integer(id.family));
	json_object_set_new(o, "model", json_integer(id.model));
	json_object_set_new(o, "stepping", json_integer(id.stepping));
	json_object_set_new(o, "codename", jstr(p->codename));
	buf[0] = '\0';
	if (p->codename[0] != '\0')
		snprintf(buf, sizeof(buf), "libcpuid %s guess",
		    ident_libcpuid_version());
	json_object_set_new(o, "codename_source", jstr(buf));
	json_object_set_new(o, "hypervisor", jstr(id.hypervisor));
	json_object_set_new(o, "hybrid", json_boolean(ccpu_profile_hybrid(p)));
	ccpu_cpu_query(c0, 0xd, 0, r);
	json_object_set_new(o, "xsave_size", json_integer(r[CCPU_EBX]));
	json_object_set_new(o, "xsave_max_size", json_integer(r[CCPU_ECX]));
	json_object_set_new(root, "cpu", o);

	json_object_set_new(root, "missing",
	    missing_json(ccpu_profile_missing(p)));
	a = json_array();
	for (i = 0; i < p->ntypes; i++)
		json_array_append_new(a, type_json(&p->types[i]));
	json_object_set_new(root, "core_types", a);
	return root;
}

/*
 * A JSON string.  Nearly every string here (hex registers, names) needs no
 * escape and is copied as is; any other goes through jansson, so the bytes
 * are the same as json_dumps would give, at a fraction of the cost.
 */
static void
emit_string(struct strbuf *sb, const char *str)
{
	const char	*p;
	json_t		*k;
	char		*s;

	for (p = str; *p != '\0'; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			break;
	if (*p == '\0') {
		strbuf_adds(sb, "\"");
		strbuf_add(sb, str, (size_t)(p - str));
		strbuf_adds(sb, "\"");
		return;
	}
	k = json_string(str);
	s = json_dumps(k, JSON_ENCODE_ANY);
	strbuf_adds(sb, s);
	free(s);
	json_decref(k);
}

/*
 * Indented text: objects and arrays of containers one member a line, arrays
 * of scalars (a leaf, a missing list) on one line.
 */
static void
emit(struct strbuf *sb, const json_t *v, int depth)
{
	const char	*key;
	json_t		*m;
	char		*s;
	size_t		 i, n;
	bool		 flat = true;

	if (json_is_object(v)) {
		if (json_object_size(v) == 0) {
			strbuf_adds(sb, "{}");
			return;
		}
		strbuf_adds(sb, "{\n");
		n = 0;
		json_object_foreach((json_t *)v, key, m) {
			strbuf_addf(sb, "%*s", 2 * (depth + 1), "");
			emit_string(sb, key);
			strbuf_adds(sb, ": ");
			emit(sb, m, depth + 1);
			strbuf_adds(sb, ++n < json_object_size(v) ?
			    ",\n" : "\n");
		}
		strbuf_addf(sb, "%*s}", 2 * depth, "");
		return;
	}
	if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			if (json_is_object(json_array_get(v, i)) ||
			    json_is_array(json_array_get(v, i)))
				flat = false;
		if (flat) {
			strbuf_adds(sb, "[");
			for (i = 0; i < json_array_size(v); i++) {
				if (i > 0)
					strbuf_adds(sb, ", ");
				emit(sb, json_array_get(v, i), depth + 1);
			}
			strbuf_adds(sb, "]");
			return;
		}
		strbuf_adds(sb, "[\n");
		for (i = 0; i < json_array_size(v); i++) {
			strbuf_addf(sb, "%*s", 2 * (depth + 1), "");
			emit(sb, json_array_get(v, i), depth + 1);
			strbuf_adds(sb, i + 1 < json_array_size(v) ?
			    ",\n" : "\n");
		}
		strbuf_addf(sb, "%*s]", 2 * depth, "");
		return;
	}
	if (json_is_string(v)) {
		emit_string(sb, json_string_value(v));
		return;
	}
	s = json_dumps(v, JSON_ENCODE_ANY);
	strbuf_adds(sb, s);
	free(s);
}

char *
ccpu_profile_dumps(const struct ccpu_profile *p)
{
	struct strbuf	 sb = STRBUF_INIT;
	json_t		*root = ccpu_profile_to_json(p);

	emit(&sb, root, 0);
	strbuf_adds(&sb, "\n");
	json_decref(root);
	return strbuf_detach(&sb);
}

int
ccpu_profile_save(const struct ccpu_profile *p, const char *path,
    struct ccpu_error *err)
{
	char	*text = ccpu_profile_dumps(p), *tmp;
	size_t	 len = strlen(text), off = 0;
	ssize_t	 n;
	int	 fd, saved;

	tmp = xmalloc(strlen(path) + sizeof(".XXXXXX"));
	memcpy(tmp, path, strlen(path));
	memcpy(tmp + strlen(path), ".XXXXXX", sizeof(".XXXXXX"));
	if ((fd = mkstemp(tmp)) == -1) {
		ccpu_error_set(err, CCPU_ESYS, "%s: %s", path, strerror(errno));
		goto out_free;
	}
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto out_unlink;
		}
		off += (size_t)n;
	}
	if (fchmod(fd, 0644) == -1 || fsync(fd) == -1)
		goto out_unlink;
	if (close(fd) == -1) {
		fd = -1;
		goto out_unlink;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto out_unlink;
	free(tmp);
	free(text);
	return 0;

out_unlink:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	ccpu_error_set(err, CCPU_ESYS, "%s: %s", path, strerror(saved));
out_free:
	free(tmp);
	free(text);
	return -1;
}

/*
 * Reading, from the tree of src/jtree.h (jt_parse's or a jansson value's).
 * Every rejection names where it is, as a path into the document:
 * "core_types[1].leaves[4][2]: expected 0x and 8 hex digits, got '0x12'".
 */
static int __attribute__((format(printf, 3, 4)))
bad(struct ccpu_error *err, const char *where, const char *fmt, ...)
{
	char	msg[sizeof(err->msg)];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (where[0] == '\0')
		return ccpu_error_set(err, CCPU_EINPUT, "%s", msg);
	return ccpu_error_set(err, CCPU_EINPUT, "%s: %s", where, msg);
}

static const char *
type_name(const struct jt *v)
{
	switch (v->type) {
	case JT_OBJECT:	return "an object";
	case JT_ARRAY:	return "an array";
	case JT_STRING:	return "a string";
	case JT_INT:	return "an integer";
	case JT_REAL:	return "a number";
	case JT_TRUE:
	case JT_FALSE:	return "a boolean";
	default:	return "null";
	}
}

/* At most 40 bytes of a string value, for a message. */
#define QUOTE(v)	(int)((v)->n < 40 ? (v)->n : 40), (v)->u.s

/* obj[key] of the given type (JT_TRUE: a boolean); where is obj's path. */
static const struct jt *
member(const struct jdoc *d, const struct jt *obj, const char *where,
    const char *key, enum jt_type type, struct ccpu_error *err)
{
	const struct jt	*v = jt_get(d, obj, key);
	char		 path[96];

	if (v == NULL) {
		bad(err, where, "missing key '%s'", key);
		return NULL;
	}
	if (v->type != type && !(type == JT_TRUE && v->type == JT_FALSE)) {
		snprintf(path, sizeof(path), "%s%s%s", where,
		    where[0] ? "." : "", key);
		bad(err, path, "expected %s, got %s",
		    type == JT_TRUE ? "a boolean" :
		    type == JT_OBJECT ? "an object" :
		    type == JT_ARRAY ? "an array" :
		    type == JT_STRING ? "a string" : "an integer",
		    type_name(v));
		return NULL;
	}
	return v;
}

/* A string member of at most size - 1 bytes, copied to dst when dst != NULL. */
static int
get_str(const struct jdoc *d, const struct jt *obj, const char *where,
    const char *key, char *dst, size_t size, struct ccpu_error *err)
{
	const struct jt	*v;
	char		 path[96];

	if ((v = member(d, obj, where, key, JT_STRING, err)) == NULL)
		return -1;
	if (v->n >= size || memchr(v->u.s, '\0', v->n) != NULL) {
		snprintf(path, sizeof(path), "%s%s%s", where,
		    where[0] ? "." : "", key);
		if (v->n >= size)
			return bad(err, path, "longer than %zu bytes",
			    size - 1);
		return bad(err, path, "NUL character in string");
	}
	if (dst != NULL) {
		memcpy(dst, v->u.s, v->n);
		dst[v->n] = '\0';
	}
	return 0;
}

static int
get_int(const struct jdoc *d, const struct jt *obj, const char *where,
    const char *key, long long max, long long *out, struct ccpu_error *err)
{
	const struct jt	*v;
	char		 path[96];

	if ((v = member(d, obj, where, key, JT_INT, err)) == NULL)
		return -1;
	if (v->u.i < 0 || v->u.i > max) {
		snprintf(path, sizeof(path), "%s%s%s", where,
		    where[0] ? "." : "", key);
		return bad(err, path, "%lld out of range (0 to %lld)", v->u.i,
		    max);
	}
	if (out != NULL)
		*out = v->u.i;
	return 0;
}

/* One of names[], by index. */
static int
get_enum(const struct jdoc *d, const struct jt *obj, const char *where,
    const char *key, const char *const *names, size_t nnames,
    const char *what, size_t *out, struct ccpu_error *err)
{
	const struct jt	*v;
	char		 path[96];
	size_t		 i;

	if ((v = member(d, obj, where, key, JT_STRING, err)) == NULL)
		return -1;
	for (i = 0; i < nnames; i++)
		if (jt_streq(v, names[i])) {
			*out = i;
			return 0;
		}
	snprintf(path, sizeof(path), "%s%s%s", where, where[0] ? "." : "", key);
	return bad(err, path, "unknown %s '%.*s'", what, QUOTE(v));
}

/* "0x" and between min and max hex digits, quoting what came otherwise. */
static int
get_hex(const struct jt *v, const char *where, int min, int max, uint64_t *out,
    struct ccpu_error *err)
{
	const char	*s;
	uint64_t	 x = 0;
	size_t		 n, i;
	int		 dg;

	if (v->type != JT_STRING)
		return bad(err, where, "expected a hex string, got %s",
		    type_name(v));
	s = v->u.s;
	n = v->n;
	if (n < 2 + (size_t)min || n > 2 + (size_t)max || s[0] != '0' ||
	    s[1] != 'x')
		goto fail;
	for (i = 2; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			dg = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			dg = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			dg = s[i] - 'A' + 10;
		else
			goto fail;
		x = x << 4 | (uint64_t)dg;
	}
	*out = x;
	return 0;
fail:
	if (min == max)
		return bad(err, where,
		    "expected 0x and %d hex digits, got '%.*s'", min, QUOTE(v));
	return bad(err, where,
	    "expected 0x and %d to %d hex digits, got '%.*s'", min, max,
	    QUOTE(v));
}

static int
get_missing(const struct jdoc *d, const struct jt *obj, const char *where,
    unsigned int *out, struct ccpu_error *err)
{
	const struct jt	*a, *v;
	char		 path[96];
	size_t		 i;
	unsigned int	 bit, m = 0;

	if ((a = member(d, obj, where, "missing", JT_ARRAY, err)) == NULL)
		return -1;
	for (i = 0; i < a->n; i++) {
		v = jt_at(d, a, i);
		bit = 0;
		if (v->type == JT_STRING)
			for (bit = 1; bit <= CCPU_MISS_ALL; bit <<= 1)
				if (ccpu_miss_name(bit) != NULL &&
				    jt_streq(v, ccpu_miss_name(bit)))
					break;
		if (v->type == JT_STRING && bit <= CCPU_MISS_ALL &&
		    !(m & bit)) {
			m |= bit;
			continue;
		}
		snprintf(path, sizeof(path), "%s%smissing[%zu]", where,
		    where[0] ? "." : "", i);
		if (v->type != JT_STRING)
			return bad(err, path, "expected a string, got %s",
			    type_name(v));
		if (bit > CCPU_MISS_ALL)
			return bad(err, path, "unknown missing input '%.*s'",
			    QUOTE(v));
		if (m & bit)
			return bad(err, path, "duplicate '%s'",
			    ccpu_miss_name(bit));
	}
	*out = m;
	return 0;
}

static int
type_from_json(struct ccpu_cpu *c, const struct jdoc *d, const struct jt *t,
    const char *where, struct ccpu_error *err)
{
	struct ccpu_error	 e;
	const struct jt		*leaves, *l;
	long long		 n;
	uint64_t		 v[6];
	char			 path[96];
	size_t			 i, k;

	ccpu_cpu_init(c);
	if (t->type != JT_OBJECT)
		return bad(err, where, "expected an object, got %s",
		    type_name(t));
	if (get_enum(d, t, where, "type", core_types, nitems(core_types),
	    "core type", &k, err) == -1)
		return -1;
	memcpy(c->core_type, core_types[k], strlen(core_types[k]) + 1);
	if (get_int(d, t, where, "logical_cpus", MAX_LOGICAL, &n, err) == -1)
		return -1;
	c->nlogical = (unsigned int)n;
	if ((l = member(d, t, where, "xcr0", JT_STRING, err)) == NULL)
		return -1;
	if (get_hex(l, "", 16, 16, &c->xcr0, NULL) == -1) {
		snprintf(path, sizeof(path), "%s.xcr0", where);
		return get_hex(l, path, 16, 16, &c->xcr0, err);
	}
	if (get_enum(d, t, where, "xcr0_source", xcr0_sources,
	    nitems(xcr0_sources), "xcr0 source", &k, err) == -1)
		return -1;
	c->xcr0_source = (enum ccpu_xcr0_source)k;
	if (get_missing(d, t, where, &c->missing, err) == -1)
		return -1;
	if ((leaves = member(d, t, where, "leaves", JT_ARRAY, err)) == NULL)
		return -1;
	if (leaves->n > CCPU_MAX_LEAVES) {
		snprintf(path, sizeof(path), "%s.leaves", where);
		return bad(err, path, "%u leaves, at most %d", leaves->n,
		    CCPU_MAX_LEAVES);
	}
	/* Paths are formatted only for a message (a profile has ~400 values). */
	for (i = 0; i < leaves->n; i++) {
		l = jt_at(d, leaves, i);
		if (l->type != JT_ARRAY || l->n != 6) {
			snprintf(path, sizeof(path), "%s.leaves[%zu]", where, i);
			return bad(err, path, "expected an array of 6 hex "
			    "strings (leaf, subleaf, eax, ebx, ecx, edx)");
		}
		for (k = 0; k < 6; k++) {
			if (get_hex(jt_at(d, l, k), "", k == 1 ? 1 : 8, 8,
			    &v[k], NULL) == 0)
				continue;
			snprintf(path, sizeof(path), "%s.leaves[%zu][%zu]",
			    where, i, k);
			return get_hex(jt_at(d, l, k), path, k == 1 ? 1 : 8,
			    8, &v[k], err);
		}
		if (ccpu_cpu_add(c, (uint32_t)v[0], (uint32_t)v[1],
		    (uint32_t[4]){ (uint32_t)v[2], (uint32_t)v[3],
		    (uint32_t)v[4], (uint32_t)v[5] }, &e) == -1) {
			snprintf(path, sizeof(path), "%s.leaves[%zu]", where,
			    i);
			return bad(err, path, "%s", e.msg);
		}
	}
	if (ccpu_cpu_find(c, 0, 0) == NULL)
		return bad(err, where, "no leaf 0x0");
	return 0;
}

/* The informative "cpu" block: well-formed, values not used. */
static int
check_cpu(const struct jdoc *d, const struct jt *root, struct ccpu_error *err)
{
	static const char *const ints[] = {
		"family", "model", "stepping", "xsave_size", "xsave_max_size",
	};
	const struct jt	*o;
	size_t		 i;

	if ((o = member(d, root, "", "cpu", JT_OBJECT, err)) == NULL)
		return -1;
	if (get_str(d, o, "cpu", "vendor", NULL, 13, err) == -1 ||
	    get_str(d, o, "cpu", "brand", NULL, 49, err) == -1 ||
	    get_str(d, o, "cpu", "codename", NULL, 64, err) == -1 ||
	    get_str(d, o, "cpu", "codename_source", NULL, 64, err) == -1 ||
	    get_str(d, o, "cpu", "hypervisor", NULL, 13, err) == -1 ||
	    member(d, o, "cpu", "hybrid", JT_TRUE, err) == NULL)
		return -1;
	for (i = 0; i < nitems(ints); i++)
		if (get_int(d, o, "cpu", ints[i], UINT32_MAX, NULL, err) == -1)
			return -1;
	return 0;
}

/* "" or YYYY-MM-DDTHH:MM:SSZ */
static bool
iso8601(const char *s)
{
	static const char	pat[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t			i;

	if (s[0] == '\0')
		return true;
	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (i = 0; pat[i] != '\0'; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return false;
	return true;
}

/* The "source" object: its kind and the input's base name. */
static int
get_source(struct ccpu_profile *p, const struct jdoc *d, const struct jt *root,
    struct ccpu_error *err)
{
	const struct jt	*o;
	size_t		 k;

	if ((o = member(d, root, "", "source", JT_OBJECT, err)) == NULL ||
	    get_enum(d, o, "source", "kind", source_kinds, nitems(source_kinds),
	    "source kind", &k, err) == -1 ||
	    get_str(d, o, "source", "file", p->source_file,
	    sizeof(p->source_file), err) == -1)
		return -1;
	snprintf(p->source, sizeof(p->source), "%s", source_kinds[k]);
	if (strchr(p->source_file, '/') != NULL)
		return bad(err, "source.file", "expected a base name, got '%s'",
		    p->source_file);
	return 0;
}

/* The source and cpu objects and the aarch64 block of an aarch64 profile. */
static int
a64_from_json(struct ccpu_profile *p, const struct jdoc *d,
    const struct jt *root, struct ccpu_error *err)
{
	struct ccpu_a64_cpu	*c = &p->a64;
	const struct jt		*o, *a, *t, *v;
	char			 path[48], mpath[64];
	uint64_t		 x;
	size_t			 i, k;

	snprintf(p->arch, sizeof(p->arch), "aarch64");
	if (get_source(p, d, root, err) == -1)
		return -1;
	if ((o = member(d, root, "", "cpu", JT_OBJECT, err)) == NULL ||
	    get_str(d, o, "cpu", "codename", NULL, 64, err) == -1 ||
	    get_str(d, o, "cpu", "codename_source", NULL, 64, err) == -1 ||
	    member(d, o, "cpu", "hybrid", JT_TRUE, err) == NULL)
		return -1;
	if ((o = member(d, root, "", "aarch64", JT_OBJECT, err)) == NULL)
		return -1;
	if ((v = member(d, o, "aarch64", "hwcap", JT_STRING, err)) == NULL ||
	    get_hex(v, "aarch64.hwcap", 1, 16, &c->hwcap, err) == -1 ||
	    (v = member(d, o, "aarch64", "hwcap2", JT_STRING, err)) == NULL ||
	    get_hex(v, "aarch64.hwcap2", 1, 16, &c->hwcap2, err) == -1 ||
	    member(d, o, "aarch64", "features", JT_ARRAY, err) == NULL ||
	    (a = member(d, o, "aarch64", "core_types", JT_ARRAY, err)) == NULL)
		return -1;
	if (a->n > CCPU_A64_MAX_CORES)
		return bad(err, "aarch64.core_types", "%u core types, at most %d",
		    a->n, CCPU_A64_MAX_CORES);
	for (i = 0; i < a->n; i++) {
		snprintf(path, sizeof(path), "aarch64.core_types[%zu]", i);
		snprintf(mpath, sizeof(mpath), "%s.midr", path);
		t = jt_at(d, a, i);
		if (t->type != JT_OBJECT)
			return bad(err, path, "expected an object, got %s",
			    type_name(t));
		if ((v = member(d, t, path, "midr", JT_STRING, err)) == NULL ||
		    get_hex(v, mpath, 8, 8, &x, err) == -1)
			return -1;
		if (get_str(d, t, path, "name", NULL, 128, err) == -1)
			return -1;
		if ((v = member(d, t, path, "logical_cpus", JT_INT,
		    err)) == NULL)
			return -1;
		if (v->u.i < 0 || v->u.i > MAX_LOGICAL)
			return bad(err, path, "logical_cpus %lld out of range",
			    v->u.i);
		for (k = 0; k < i; k++)
			if (c->cores[k].midr == (uint32_t)x)
				return bad(err, path, "MIDR 0x%08x twice",
				    (unsigned int)x);
		c->cores[i].midr = (uint32_t)x;
		c->cores[i].nlogical = (unsigned int)v->u.i;
		c->ncores++;
	}
	return 0;
}

static int
from_json(struct ccpu_profile *p, const struct jdoc *d, struct ccpu_error *err)
{
	const struct jt	*root = jt_root(d), *o, *a;
	char		 buf[64], path[48];
	size_t		 i;
	unsigned int	 missing;
	bool		 two;

	if (root->type != JT_OBJECT)
		return bad(err, "", "expected a JSON object, got %s",
		    type_name(root));
	if (jt_get(d, root, "schema") == NULL)
		return bad(err, "", "not a ccpu profile (no \"schema\")");
	if (get_str(d, root, "", "schema", buf, sizeof(buf), err) == -1)
		return -1;
	if (strcmp(buf, CCPU_PROFILE_SCHEMA) != 0 &&
	    strcmp(buf, CCPU_PROFILE_SCHEMA_2) != 0)
		return bad(err, "", "unsupported schema '%s'", buf);
	two = strcmp(buf, CCPU_PROFILE_SCHEMA_2) == 0;

	if ((o = member(d, root, "", "host", JT_OBJECT, err)) == NULL ||
	    get_str(d, o, "host", "hostname", p->hostname, sizeof(p->hostname),
	    err) == -1 ||
	    get_str(d, o, "host", "kernel", p->kernel, sizeof(p->kernel),
	    err) == -1 ||
	    get_str(d, o, "host", "glibc", p->glibc, sizeof(p->glibc),
	    err) == -1 ||
	    get_str(d, o, "host", "captured", p->captured, sizeof(p->captured),
	    err) == -1 ||
	    get_str(d, o, "host", "arch", buf, sizeof(buf), err) == -1)
		return -1;
	if (!iso8601(p->captured))
		return bad(err, "host.captured", "expected "
		    "YYYY-MM-DDTHH:MM:SSZ or \"\", got '%s'", p->captured);
	if (two && strcmp(buf, "aarch64") == 0)
		return a64_from_json(p, d, root, err);
	if (two)
		return bad(err, "host.arch", "ccpu-profile/2 is an aarch64 "
		    "host, not '%s' (an x86-64 profile is ccpu-profile/1)", buf);
	if (strcmp(buf, "x86_64") != 0)
		return bad(err, "host.arch", "unsupported arch '%s'%s", buf,
		    !two && strcmp(buf, "aarch64") == 0 ?
		    " (an aarch64 profile is ccpu-profile/2)" : "");

	if (get_source(p, d, root, err) == -1)
		return -1;

	if (check_cpu(d, root, err) == -1)
		return -1;

	if ((a = member(d, root, "", "core_types", JT_ARRAY, err)) == NULL)
		return -1;
	if (a->n == 0)
		return bad(err, "core_types", "no core types");
	if (a->n > CCPU_MAX_TYPES)
		return bad(err, "core_types", "%u core types, at most %d",
		    a->n, CCPU_MAX_TYPES);
	for (i = 0; i < a->n; i++) {
		snprintf(path, sizeof(path), "core_types[%zu]", i);
		if (type_from_json(&p->types[i], d, jt_at(d, a, i), path,
		    err) == -1)
			return -1;
		p->ntypes++;
	}
	if (get_missing(d, root, "", &missing, err) == -1)
		return -1;
	if (missing != ccpu_profile_missing(p))
		return bad(err, "missing", "not the union of the core types' "
		    "missing lists");
	return 0;
}

int
profile_from_jt(struct ccpu_profile *p, const struct jdoc *d,
    struct ccpu_error *err)
{
	const struct jt	*cpu, *name, *src;
	char		 ours[64];

	memset(p, 0, offsetof(struct ccpu_profile, types));
	if (from_json(p, d, err) == -1)
		return -1;
	/*
	 * The same libcpuid gives the same guess for the same registers:
	 * take the profile's instead of identifying again (a survey reads
	 * thousands of profiles of a few CPUs).
	 */
	cpu = jt_get(d, jt_root(d), "cpu");
	name = jt_get(d, cpu, "codename");
	src = jt_get(d, cpu, "codename_source");
	snprintf(ours, sizeof(ours), "libcpuid %s guess",
	    ident_libcpuid_version() != NULL ? ident_libcpuid_version() :
	    "none");
	if (ident_libcpuid_version() != NULL && name != NULL &&
	    name->type == JT_STRING && name->n > 0 && jt_streq(src, ours)) {
		memcpy(p->codename, name->u.s, name->n);	/* < 64: checked */
		p->codename[name->n] = '\0';
	} else
		ccpu_profile_identify(p);
	return 0;
}

int
ccpu_profile_from_json(struct ccpu_profile *out, const json_t *root,
    struct ccpu_error *err)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;
	struct jdoc		 d = JDOC_INIT;
	int			 rc;

	jt_from_jansson(&d, root);
	if ((rc = profile_from_jt(p, &d, &e)) == 0)
		ccpu_profile_copy(out, p);
	else if (err != NULL)
		*err = e;
	jdoc_release(&d);
	ccpu_profile_free(p);
	return rc;
}
