/*
 * Reading what a CRaC image directory recorded about its checkpoint CPU.
 * The records are untrusted input: every parser walks a bounded cursor and
 * reports each defect through corrupt(), which names the file and the
 * offset.  The directory is only read: files are opened with O_NOFOLLOW and
 * O_NONBLOCK and must turn out to be regular files, so a symlink or a FIFO
 * planted in place of a record is refused instead of followed or waited on.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ccpu/aarch64.h"
#include "ccpu/check.h"
#include "ccpu/image.h"
#include "strbuf.h"
#include "hex.h"
#include "xmalloc.h"

/* A bounded cursor over one file's bytes. */
struct rd {
	const char	*buf;
	size_t		 len;
	size_t		 off;
	unsigned int	 line;		/* 0: the format has no lines */
	const char	*name;
};

static int	corrupt(struct ccpu_error *, const struct rd *, size_t,
		    const char *, ...) __attribute__((format(printf, 4, 5)));

/* The one "malformed" exit: "'name': line 2, offset 0x1c: what". */
static int
corrupt(struct ccpu_error *err, const struct rd *r, size_t off,
    const char *fmt, ...)
{
	char	what[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (r->line > 0)
		return ccpu_error_set(err, CCPU_EINPUT,
		    "'%s': line %u, offset 0x%zx: %s", r->name, r->line, off,
		    what);
	return ccpu_error_set(err, CCPU_EINPUT, "'%s': offset 0x%zx: %s",
	    r->name, off, what);
}

/*
 * n hex digits at r->off: each byte of the JVM's feature words as two
 * lowercase digits in memory order, so byte i holds bits 8i..8i+7.
 */
static int
parse_bitmap(struct rd *r, size_t n, bool a64, struct ccpu_featset *out,
    struct ccpu_error *err)
{
	struct ccpu_featset	fs = CCPU_FEATSET_INIT;
	const unsigned char	*p = (const unsigned char *)r->buf + r->off;
	size_t			 i;
	unsigned int		 byte, b;

	for (i = 0; i < n; i++) {
		if (p[i] >= 'A' && p[i] <= 'F')
			return corrupt(err, r, r->off + i, "uppercase hex digit "
			    "'%c' (the JVM writes lowercase)", p[i]);
		if (hex_digit(p[i]) == -1) {
			if (p[i] >= 0x21 && p[i] < 0x7f)
				return corrupt(err, r, r->off + i,
				    "'%c' is not a hex digit", p[i]);
			return corrupt(err, r, r->off + i,
			    "byte 0x%02x is not a hex digit", p[i]);
		}
	}
	if (n == 0)
		return corrupt(err, r, r->off, "empty bitmap");
	if (n % 2 != 0)
		return corrupt(err, r, r->off, "odd number of hex digits (%zu)",
		    n);
	if (n != CCPU_BITMAP_HEX && !(a64 &&
	    n == CCPU_IMAGE_A64_BITMAP_BYTES * 2))
		return corrupt(err, r, r->off, "%zu bytes of features, every "
		    "x86-64 layout records %u%s", n / 2,
		    (unsigned int)CCPU_IMAGE_BITMAP_BYTES, a64 ?
		    " (aarch64 8)" : "");
	for (i = 0; i < n / 2; i++) {
		byte = (unsigned int)(hex_digit(p[2 * i]) << 4 | hex_digit(p[2 * i + 1]));
		for (b = 0; b < 8; b++)
			if (byte >> b & 1)
				ccpu_featset_add(&fs, (unsigned int)(8 * i + b));
	}
	r->off += n;
	*out = fs;
	return 0;
}

/* Copy a tag value, refusing control bytes and overlong values. */
static int
tag_value(struct rd *r, size_t vlen, char *dst, size_t size,
    const char *key, struct ccpu_error *err)
{
	size_t	i;

	if (vlen >= size)
		return corrupt(err, r, r->off, "%s value too long (%zu bytes, "
		    "at most %zu)", key, vlen, size - 1);
	for (i = 0; i < vlen; i++)
		if ((unsigned char)r->buf[r->off + i] < 0x20 ||
		    r->buf[r->off + i] == 0x7f)
			return corrupt(err, r, r->off + i, "control byte 0x%02x "
			    "in %s", (unsigned char)r->buf[r->off + i], key);
	memcpy(dst, r->buf + r->off, vlen);
	dst[vlen] = '\0';
	return 0;
}

static bool
has_prefix(const struct rd *r, size_t end, const char *s)
{
	size_t	n = strlen(s);

	return end - r->off >= n && memcmp(r->buf + r->off, s, n) == 0;
}

int
ccpu_image_parse_tags(struct ccpu_image_tags *out, const char *buf, size_t len,
    const char *name, struct ccpu_error *err)
{
	struct ccpu_image_tags	 t;
	struct rd		 r = { buf, len, 0, 0, name }, at;
	const char		*nl;
	size_t			 end, vlen, boff = 0;
	bool			 a64;

	memset(&t, 0, sizeof(t));
	if (len > CCPU_IMAGE_MAX_TAGS)
		return corrupt(err, &r, 0, "%zu bytes, at most %u allowed", len,
		    CCPU_IMAGE_MAX_TAGS);
	while (r.off < len) {
		r.line++;
		nl = memchr(buf + r.off, '\n', len - r.off);
		end = nl != NULL ? (size_t)(nl - buf) : len;
		if (end - r.off > CCPU_IMAGE_MAX_LINE)
			return corrupt(err, &r, r.off, "line longer than %u bytes",
			    CCPU_IMAGE_MAX_LINE);
		if (memchr(buf + r.off, '\0', end - r.off) != NULL)
			return corrupt(err, &r, (size_t)((const char *)memchr(
			    buf + r.off, '\0', end - r.off) - buf), "NUL byte");
		if (has_prefix(&r, end, "label:cpu.arch=")) {
			if (t.has_arch)
				return corrupt(err, &r, r.off,
				    "second label:cpu.arch");
			r.off += strlen("label:cpu.arch=");
			if (tag_value(&r, end - r.off, t.arch, sizeof(t.arch),
			    "label:cpu.arch", err) == -1)
				return -1;
			t.has_arch = true;
		} else if (has_prefix(&r, end, "label:java.version=")) {
			if (t.has_version)
				return corrupt(err, &r, r.off,
				    "second label:java.version");
			r.off += strlen("label:java.version=");
			if (tag_value(&r, end - r.off, t.java_version,
			    sizeof(t.java_version), "label:java.version",
			    err) == -1)
				return -1;
			t.has_version = true;
		} else if (has_prefix(&r, end, "bitmap:cpu.features=")) {
			if (t.has_features)
				return corrupt(err, &r, r.off,
				    "second bitmap:cpu.features");
			r.off += strlen("bitmap:cpu.features=");
			vlen = end - r.off;
			at = r;
			boff = r.off;
			if (parse_bitmap(&r, vlen, true, &t.features, err) == -1)
				return -1;
			t.has_features = true;
			t.bitmap_bytes = (unsigned int)(vlen / 2);
		} else if (end > r.off)
			t.nother++;
		r.off = nl != NULL ? end + 1 : end;
	}
	/* One word on aarch64, two on x86-64, whatever order the lines have. */
	a64 = t.has_arch && strcmp(t.arch, "aarch64") == 0;
	if (t.has_features && a64 &&
	    t.bitmap_bytes != CCPU_IMAGE_A64_BITMAP_BYTES)
		return corrupt(err, &at, boff, "%u bytes of features in an "
		    "aarch64 image, which records %u", t.bitmap_bytes,
		    (unsigned int)CCPU_IMAGE_A64_BITMAP_BYTES);
	if (t.has_features && !a64 && t.bitmap_bytes != CCPU_IMAGE_BITMAP_BYTES)
		return corrupt(err, &at, boff, "%u bytes of features, every "
		    "x86-64 layout records %u", t.bitmap_bytes,
		    (unsigned int)CCPU_IMAGE_BITMAP_BYTES);
	*out = t;
	return 0;
}

int
ccpu_image_parse_userdata(struct ccpu_featset *out, const char *buf, size_t len,
    const char *name, struct ccpu_error *err)
{
	struct ccpu_featset	 fs;
	struct rd		 r = { buf, len, 0, 0, name };
	const char		*nl;
	size_t			 n;

	if (len == 0)
		return corrupt(err, &r, 0, "empty file");
	if (len > CCPU_IMAGE_MAX_TAGS)
		return corrupt(err, &r, 0, "%zu bytes, a record has %u", len,
		    (unsigned int)CCPU_BITMAP_HEX + 1);
	nl = memchr(buf, '\n', len);
	n = nl != NULL ? (size_t)(nl - buf) : len;
	if (parse_bitmap(&r, n, false, &fs, err) == -1)
		return -1;
	if (nl == NULL)
		return corrupt(err, &r, len, "no newline after the %u hex digits",
		    (unsigned int)CCPU_BITMAP_HEX);
	if (n + 1 < len)
		return corrupt(err, &r, n + 1, "%zu extra bytes after the newline",
		    len - n - 1);
	*out = fs;
	return 0;
}

/* Sidecar JSON. */

static int
get_str(const json_t *o, const char *key, char *dst, size_t size, bool need,
    const char *name, struct ccpu_error *err)
{
	const json_t	*v = json_object_get(o, key);
	size_t		 n;

	if (v == NULL) {
		if (need)
			return ccpu_error_set(err, CCPU_EINPUT,
			    "'%s': no \"%s\"", name, key);
		dst[0] = '\0';
		return 0;
	}
	if (!json_is_string(v))
		return ccpu_error_set(err, CCPU_EINPUT,
		    "'%s': \"%s\" is not a string", name, key);
	n = json_string_length(v);
	if (n >= size || strlen(json_string_value(v)) != n)
		return ccpu_error_set(err, CCPU_EINPUT,
		    "'%s': \"%s\" is too long or holds NUL", name, key);
	memcpy(dst, json_string_value(v), n + 1);
	return 0;
}

static int
get_hex64(const json_t *o, const char *key, uint64_t *out, const char *name,
    struct ccpu_error *err)
{
	char		 buf[24];
	uint64_t	 v = 0;
	size_t		 i;

	if (get_str(o, key, buf, sizeof(buf), true, name, err) == -1)
		return -1;
	/* Exactly "0x" and 16 lowercase digits: no sign, no blank, no case. */
	if (strncmp(buf, "0x", 2) != 0 || strlen(buf) != 18)
		goto bad;
	for (i = 2; i < 18; i++) {
		if (hex_digit((unsigned char)buf[i]) == -1 ||
		    (buf[i] >= 'A' && buf[i] <= 'F'))
			goto bad;
		v = v << 4 | (uint64_t)hex_digit((unsigned char)buf[i]);
	}
	*out = v;
	return 0;
bad:
	return ccpu_error_set(err, CCPU_EINPUT, "'%s': \"%s\" is not 0x and "
	    "16 lowercase hex digits", name, key);
}

/*
 * What a stamp says must hold together: a layout we know, a java_version
 * that does not mean another layout, features the gate would accept.
 */
bool
ccpu_sidecar_is_a64(const struct ccpu_sidecar *s)
{
	return strcmp(s->arch, "aarch64") == 0;
}

/*
 * An aarch64 stamp: the word of a CRaC layout, which the image's tags
 * hold too (record "tags"), or the stock layout's features of a build that
 * recorded none (record "none", derived as the JVM does by default).
 */
static int
sidecar_check_a64(const struct ccpu_sidecar *s, const char *name,
    struct ccpu_error *err)
{
	const struct ccpu_a64_layout	*l, *v;
	char				 why[256];

	if ((l = ccpu_a64_layout_lookup(s->layout, NULL)) == NULL ||
	    strcmp(ccpu_a64_layout_name(l), s->layout) != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': layout '%s' is "
		    "not an aarch64 layout this version knows", name, s->layout);
	if (ccpu_a64_layout_has_value(l) && strcmp(s->record, "tags") != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': layout %s numbers "
		    "the word an image records in its tags, but record is '%s'",
		    name, s->layout, s->record);
	if (!ccpu_a64_layout_has_value(l) && (strcmp(s->record, "none") != 0 ||
	    strcmp(s->assumed, "native") != 0))
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': layout %s records "
		    "nothing, so the stamp must say record 'none' and assumed "
		    "'native' (it says '%s' and '%s')", name, s->layout,
		    s->record, s->assumed);
	if (!ccpu_a64_layout_has_value(l) && s->java_version[0] != '\0' &&
	    (v = ccpu_a64_layout_stock(s->java_version, NULL)) != NULL &&
	    v != l)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': java_version '%s' "
		    "means layout %s, but the stamp says %s", name,
		    s->java_version, ccpu_a64_layout_name(v), s->layout);
	if (ccpu_a64_value_check(l, &s->used, why, sizeof(why)) != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': used: %s", name,
		    why);
	if (s->host != NULL && !ccpu_profile_is_a64(s->host))
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': an aarch64 stamp "
		    "with an %s host", name, ccpu_profile_arch(s->host));
	return 0;
}

int
ccpu_sidecar_check(const struct ccpu_sidecar *s, const char *name,
    struct ccpu_error *err)
{
	const struct ccpu_layout	*l, *v;
	struct ccpu_error		 e;

	if (s->arch[0] != '\0' && !ccpu_sidecar_is_a64(s))
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': arch '%s', this "
		    "version stamps x86-64 (no \"arch\") and aarch64", name,
		    s->arch);
	if (ccpu_sidecar_is_a64(s))
		return sidecar_check_a64(s, name, err);
	if (s->host != NULL && ccpu_profile_is_a64(s->host))
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': an x86-64 stamp "
		    "(no \"arch\") with an aarch64 host", name);
	if ((l = ccpu_layout_lookup(s->layout, &e)) == NULL ||
	    strcmp(ccpu_layout_name(l), s->layout) != 0)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': layout '%s' is "
		    "not a layout this version knows", name, s->layout);
	if (s->java_version[0] != '\0' &&
	    (v = ccpu_layout_from_java_version(s->java_version, NULL)) != NULL &&
	    v != l)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': java_version '%s' "
		    "means layout %s, but the stamp says %s", name,
		    s->java_version, ccpu_layout_name(v), s->layout);
	if (ccpu_check_record(l, &s->used, &e) == -1)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': used: %s", name,
		    e.msg);
	return 0;
}

int
ccpu_sidecar_parse(struct ccpu_sidecar *out, const char *buf, size_t len,
    const char *name, struct ccpu_error *err)
{
	struct ccpu_sidecar	 s;
	json_error_t		 je;
	json_t			*root, *used, *img, *host;
	char			 schema[32], hex[CCPU_BITMAP_HEX + 1];
	struct rd		 r = { hex, 0, 0, 0, name };
	int			 rc = -1;

	memset(&s, 0, sizeof(s));
	if (len > CCPU_IMAGE_MAX_SIDECAR)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': %zu bytes, at "
		    "most %u allowed", name, len, CCPU_IMAGE_MAX_SIDECAR);
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s': line %d: %s",
		    name, je.line, je.text);
	if (!json_is_object(root)) {
		ccpu_error_set(err, CCPU_EINPUT, "'%s': not a JSON object", name);
		goto out;
	}
	if (get_str(root, "schema", schema, sizeof(schema), true, name, err) == -1)
		goto out;
	/*
	 * ccpu-stamp/3 is crac-cpu-stamp/2 renamed to match the other
	 * documents: the same fields, so images stamped under the old name
	 * keep verifying.  Version 1's fingerprint cannot see an image
	 * rewritten in place, and a name we do not know may mean anything:
	 * both are refused, never read as the current version.
	 */
	if (strcmp(schema, "crac-cpu-stamp/1") == 0) {
		ccpu_error_set(err, CCPU_EINPUT, "'%s': written by an older "
		    "crac-cpu (crac-cpu-stamp/1), whose fingerprint cannot see "
		    "an image rewritten in place; stamp again on the checkpoint "
		    "host (crac-cpu stamp --force)", name);
		goto out;
	}
	if (strcmp(schema, CCPU_SIDECAR_SCHEMA) != 0 &&
	    strcmp(schema, "crac-cpu-stamp/2") != 0) {
		ccpu_error_set(err, CCPU_EINPUT, "'%s': schema '%s', this "
		    "version reads '%s' and 'crac-cpu-stamp/2'", name, schema,
		    CCPU_SIDECAR_SCHEMA);
		goto out;
	}
	if (get_str(root, "arch", s.arch, sizeof(s.arch), false, name,
	    err) == -1 ||
	    get_str(root, "layout", s.layout, sizeof(s.layout), true, name,
	    err) == -1 ||
	    get_str(root, "created", s.created, sizeof(s.created), false, name,
	    err) == -1 ||
	    get_str(root, "layout_from", s.layout_from, sizeof(s.layout_from),
	    false, name, err) == -1 ||
	    get_str(root, "java_version", s.java_version,
	    sizeof(s.java_version), false, name, err) == -1 ||
	    get_str(root, "glibc", s.glibc, sizeof(s.glibc), false, name,
	    err) == -1 ||
	    get_str(root, "kernel", s.kernel, sizeof(s.kernel), false, name,
	    err) == -1 ||
	    get_str(root, "record", s.record, sizeof(s.record), false, name,
	    err) == -1 ||
	    get_str(root, "assumed", s.assumed, sizeof(s.assumed), false, name,
	    err) == -1)
		goto out;
	if (s.arch[0] != '\0' && !ccpu_sidecar_is_a64(&s)) {
		ccpu_error_set(err, CCPU_EINPUT, "'%s': arch '%s', this version "
		    "stamps x86-64 (no \"arch\") and aarch64", name, s.arch);
		goto out;
	}
	if (!json_is_object(used = json_object_get(root, "used")) ||
	    !json_is_object(img = json_object_get(root, "image")) ||
	    !json_is_object(host = json_object_get(root, "host"))) {
		ccpu_error_set(err, CCPU_EINPUT, "'%s': \"used\", \"image\" and "
		    "\"host\" must be objects", name);
		goto out;
	}
	if (get_str(used, "bitmap", hex, sizeof(hex), true, name, err) == -1)
		goto out;
	r.len = strlen(hex);
	if (ccpu_sidecar_is_a64(&s) && r.len != CCPU_IMAGE_A64_BITMAP_BYTES * 2) {
		ccpu_error_set(err, CCPU_EINPUT, "'%s': used.bitmap: %zu hex "
		    "digits in an aarch64 stamp, which records one word (%u)",
		    name, r.len, CCPU_IMAGE_A64_BITMAP_BYTES * 2);
		goto out;
	}
	if (parse_bitmap(&r, r.len, ccpu_sidecar_is_a64(&s), &s.used,
	    err) == -1) {
		ccpu_error_prefix(err, "used.bitmap");
		goto out;
	}
	if (get_hex64(img, "fingerprint", &s.fingerprint, name, err) == -1 ||
	    get_hex64(img, "content", &s.content, name, err) == -1)
		goto out;
	if (ccpu_sidecar_check(&s, name, err) == -1)
		goto out;
	s.host = ccpu_profile_new();
	if (ccpu_profile_from_json(s.host, host, err) == -1) {
		ccpu_error_prefix(err, "'%s': host", name);
		ccpu_profile_free(s.host);
		goto out;
	}
	/* The host's architecture, now that it is read. */
	if (ccpu_sidecar_check(&s, name, err) == -1) {
		ccpu_profile_free(s.host);
		goto out;
	}
	*out = s;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/*
 * The one document of both architectures: the aarch64 form has "arch"
 * after "schema", one word in used and no xsave (the kernel saves no XSAVE
 * area there), an aarch64 host.  Takes used and xsave (NULL: none).
 */
static json_t *
sidecar_json(const struct ccpu_sidecar *s, json_t *used, json_t *xsave)
{
	json_t	*root;

	root = json_pack("{s:s}", "schema", CCPU_SIDECAR_SCHEMA);
	if (ccpu_sidecar_is_a64(s))
		json_object_set_new(root, "arch", json_string(s->arch));
	json_object_update_new(root, json_pack("{s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s}", "created", s->created, "layout", s->layout,
	    "java_version", s->java_version, "record", s->record, "assumed",
	    s->assumed, "glibc", s->glibc, "kernel", s->kernel, "layout_from",
	    s->layout_from));
	json_object_set_new(root, "used", used);
	if (xsave != NULL)
		json_object_set_new(root, "xsave", xsave);
	json_object_set_new(root, "image", json_pack("{s:o, s:o}",
	    "fingerprint", json_sprintf("0x%016" PRIx64, s->fingerprint),
	    "content", json_sprintf("0x%016" PRIx64, s->content)));
	json_object_set_new(root, "host", s->host != NULL ?
	    ccpu_profile_to_json(s->host) : json_object());
	return root;
}

json_t *
ccpu_sidecar_to_json(const struct ccpu_sidecar *s, const struct ccpu_layout *l)
{
	const struct ccpu_a64_layout	*al;
	json_t				*xs;
	char				 x[24];
	uint32_t			 r[4];
	unsigned int			 i;

	if (ccpu_sidecar_is_a64(s)) {
		al = ccpu_a64_layout_lookup(s->layout, NULL);
		return sidecar_json(s, al != NULL ?
		    ccpu_a64_value_json(al, &s->used) : json_null(), NULL);
	}
	/* CRIU refuses a restore when these differ, so keep them in sight. */
	xs = json_array();
	for (i = 0; s->host != NULL && i < s->host->ntypes; i++) {
		ccpu_cpu_query(&s->host->types[i], 0xd, 0, r);
		snprintf(x, sizeof(x), "0x%016" PRIx64, s->host->types[i].xcr0);
		json_array_append_new(xs, json_pack("{s:s, s:s, s:I, s:I}",
		    "core_type", s->host->types[i].core_type, "xcr0", x,
		    "size", (json_int_t)r[CCPU_EBX],
		    "size_max", (json_int_t)r[CCPU_ECX]));
	}
	return sidecar_json(s, ccpu_jvm_value_json(l, &s->used), xs);
}

void
ccpu_sidecar_release(struct ccpu_sidecar *s)
{
	if (s == NULL)
		return;
	ccpu_profile_free(s->host);
	s->host = NULL;
}

const char *
ccpu_record_name(enum ccpu_record rec)
{
	switch (rec) {
	case CCPU_RECORD_TAGS:
		return CCPU_IMAGE_TAGS;
	case CCPU_RECORD_USERDATA:
		return CCPU_IMAGE_USERDATA;
	case CCPU_RECORD_SIDECAR:
		return CCPU_IMAGE_SIDECAR;
	case CCPU_RECORD_NONE:
		break;
	}
	return "none";
}

/* The directory. */

static const char *
ftype(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISLNK(m))
		return "a symbolic link";
	return "not a regular file";
}

/*
 * Read dir/file into a new buffer (NUL-terminated, *lenp bytes).  A missing
 * file sets *bufp to NULL and returns 0.
 */
static int
read_record(int dfd, const char *dir, const char *file, size_t max,
    char **bufp, size_t *lenp, struct ccpu_error *err)
{
	struct stat	 st;
	char		*buf;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, e;

	*bufp = NULL;
	fd = openat(dfd, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd == -1) {
		e = errno;
		if (e == ENOENT)
			return 0;
		if (e == ELOOP || e == EMLINK)
			return ccpu_error_set(err, CCPU_EINPUT, "'%s/%s': a "
			    "symbolic link, not a regular file", dir, file);
		return ccpu_error_set(err, CCPU_ESYS, "'%s/%s': %s", dir, file,
		    strerror(e));
	}
	if (fstat(fd, &st) == -1) {
		e = errno;
		close(fd);
		return ccpu_error_set(err, CCPU_ESYS, "'%s/%s': %s", dir, file,
		    strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return ccpu_error_set(err, CCPU_EINPUT, "'%s/%s': %s, not a "
		    "regular file", dir, file, ftype(st.st_mode));
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > max) {
		close(fd);
		return ccpu_error_set(err, CCPU_EINPUT, "'%s/%s': %jd bytes, at "
		    "most %zu allowed", dir, file, (intmax_t)st.st_size, max);
	}
	/* One byte beyond the ceiling tells a file that grew meanwhile. */
	buf = xmalloc(max + 2);
	while ((n = read(fd, buf + len, max + 1 - len)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			e = errno;
			free(buf);
			close(fd);
			return ccpu_error_set(err, CCPU_ESYS, "'%s/%s': %s", dir,
			    file, strerror(e));
		}
		len += (size_t)n;
		if (len > max) {
			free(buf);
			close(fd);
			return ccpu_error_set(err, CCPU_EINPUT, "'%s/%s': more "
			    "than %zu bytes", dir, file, max);
		}
	}
	close(fd);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
fnv(uint64_t *h, const void *p, size_t n)
{
	const unsigned char	*c = p;

	while (n-- > 0) {
		*h ^= *c++;
		*h *= 0x100000001b3ull;
	}
}

static void
fnv_u64(uint64_t *h, uint64_t v)
{
	unsigned char	b[8];
	int		i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	fnv(h, b, sizeof(b));
}

/*
 * The small records whose bytes the fingerprints cover, each read once by
 * ccpu_image_load, which keeps its length and a hash of its bytes in
 * struct rec_sums for scan_dir (the bytes parsed are the bytes hashed).
 */
static const char *const small_names[] = {
	CCPU_IMAGE_TAGS, CCPU_IMAGE_USERDATA, CCPU_IMAGE_ENGINE,
	CCPU_IMAGE_SCORE,
};

struct rec_sums {
	bool		seen[nitems(small_names)];
	uint64_t	len[nitems(small_names)];
	uint64_t	hash[nitems(small_names)];
};

/* Index of name in small_names, or -1. */
static int
small_record(const char *name)
{
	size_t	k;

	for (k = 0; k < nitems(small_names); k++)
		if (strcmp(name, small_names[k]) == 0)
			return (int)k;
	return -1;
}

/*
 * Fingerprint the JVM's files: every regular file except our sidecar and its
 * temporaries, in name order (docs/gate.md states the rule).  The small
 * records (tags, cpufeatures, engine, score) count by their bytes, the
 * large memory images by size and modification time to the nanosecond,
 * which a re-checkpoint into the same directory always changes: that is
 * content, kept by a copy that keeps times (cp -a, rsync -a, an image
 * layer).  fingerprint adds each large file's inode: the same files, not
 * a copy of them.
 */
static int
scan_dir(int dfd, const char *dir, struct ccpu_image *img,
    const struct rec_sums *sums, struct ccpu_error *err)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		**names = NULL;
	size_t		 n = 0, alloc = 0, i;
	uint64_t	 len, h;
	int		 k;
	uint64_t	 fp = 0xcbf29ce484222325ull, ct = fp;
	int		 fd, rc = -1;

	if ((fd = dup(dfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return ccpu_error_set(err, CCPU_ESYS, "'%s': %s", dir,
		    strerror(errno));
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strncmp(de->d_name, CCPU_IMAGE_SIDECAR,
		    strlen(CCPU_IMAGE_SIDECAR)) == 0)
			continue;
		if (n == CCPU_IMAGE_MAX_FILES) {
			ccpu_error_set(err, CCPU_EINPUT, "'%s': more than %u "
			    "entries", dir, CCPU_IMAGE_MAX_FILES);
			goto out;
		}
		if (n == alloc) {
			alloc = alloc == 0 ? 64 : alloc * 2;
			names = xreallocarray(names, alloc, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	if (errno != 0) {
		ccpu_error_set(err, CCPU_ESYS, "'%s': %s", dir, strerror(errno));
		goto out;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmpstr);
	img->nfiles = 0;
	for (i = 0; i < n; i++) {
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode))
			continue;
		img->nfiles++;
		fnv(&ct, names[i], strlen(names[i]) + 1);
		fnv(&fp, names[i], strlen(names[i]) + 1);
		if ((k = small_record(names[i])) >= 0) {
			len = sums->seen[k] ? sums->len[k] : 0;
			h = sums->seen[k] ? sums->hash[k] : 0;
			fnv_u64(&ct, len);
			fnv_u64(&ct, h);
			fnv_u64(&fp, len);
			fnv_u64(&fp, h);
			continue;
		}
		fnv_u64(&ct, (uint64_t)st.st_size);
		fnv_u64(&ct, (uint64_t)st.st_mtim.tv_sec);
		fnv_u64(&ct, (uint64_t)st.st_mtim.tv_nsec);
		fnv_u64(&fp, (uint64_t)st.st_size);
		fnv_u64(&fp, (uint64_t)st.st_mtim.tv_sec);
		fnv_u64(&fp, (uint64_t)st.st_mtim.tv_nsec);
		fnv_u64(&fp, (uint64_t)st.st_ino);
	}
	img->fingerprint = fp;
	img->content = ct;
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

/* The text of `engine` or `score` on one line. */
static void
one_line(char *dst, size_t size, const char *buf, size_t len, bool join)
{
	size_t	i, o = 0;
	bool	sep = false;

	for (i = 0; i < len && o + 3 < size; i++) {
		if (buf[i] == '\n' || buf[i] == '\r') {
			if (!join)
				break;
			sep = o > 0;
			continue;
		}
		if (sep) {
			dst[o++] = ',';
			dst[o++] = ' ';
			sep = false;
		}
		dst[o++] = (unsigned char)buf[i] < 0x20 ||
		    (unsigned char)buf[i] >= 0x7f ? '?' : buf[i];
	}
	dst[o] = '\0';
}

/*
 * A current sidecar must say what the JVM's own records say: the gate never
 * answers from one record while another contradicts it.
 */
static bool
records_disagree(const struct ccpu_image *img, const char *dir,
    struct ccpu_error *err)
{
	const struct ccpu_featset	*jvm;
	char				 a[CCPU_VALUE_MAX], b[CCPU_VALUE_MAX];

	if (img->record == CCPU_RECORD_TAGS || img->record == CCPU_RECORD_USERDATA) {
		jvm = &img->features;
		if (!ccpu_featset_equal(jvm, &img->sidecar.used)) {
			if (ccpu_sidecar_is_a64(&img->sidecar)) {
				ccpu_a64_format_value(jvm, a, sizeof(a));
				ccpu_a64_format_value(&img->sidecar.used, b,
				    sizeof(b));
			} else {
				ccpu_jvm_format_value(NULL, jvm, a, sizeof(a));
				ccpu_jvm_format_value(NULL, &img->sidecar.used,
				    b, sizeof(b));
			}
			ccpu_error_set(err, CCPU_EINPUT, "'%s': the records "
			    "disagree: %s records %s, %s records %s", dir,
			    ccpu_record_name(img->record), a, CCPU_IMAGE_SIDECAR,
			    b);
			return true;
		}
	}
	/* A stock aarch64 stamp stands in for a word the tags never held. */
	if (img->has_tags && img->tags.has_features &&
	    ccpu_sidecar_is_a64(&img->sidecar) &&
	    strcmp(img->sidecar.record, "none") == 0) {
		ccpu_error_set(err, CCPU_EINPUT, "'%s': the records disagree: "
		    "%s holds a features word, %s says the image recorded none "
		    "(layout %s)", dir, CCPU_IMAGE_TAGS, CCPU_IMAGE_SIDECAR,
		    img->sidecar.layout);
		return true;
	}
	if (!(img->has_tags && img->tags.has_features) &&
	    ccpu_sidecar_is_a64(&img->sidecar) &&
	    strcmp(img->sidecar.record, "tags") == 0) {
		ccpu_error_set(err, CCPU_EINPUT, "'%s': the records disagree: "
		    "the image records no features word, %s says it recorded "
		    "one in %s (layout %s)", dir, CCPU_IMAGE_SIDECAR,
		    CCPU_IMAGE_TAGS, img->sidecar.layout);
		return true;
	}
	if (img->has_tags && img->tags.has_version &&
	    img->sidecar.java_version[0] != '\0' &&
	    strcmp(img->tags.java_version, img->sidecar.java_version) != 0) {
		ccpu_error_set(err, CCPU_EINPUT, "'%s': the records disagree: "
		    "%s says java.version '%s', %s says '%s'", dir,
		    CCPU_IMAGE_TAGS, img->tags.java_version, CCPU_IMAGE_SIDECAR,
		    img->sidecar.java_version);
		return true;
	}
	return false;
}

/* Keep what the fingerprints need of record k, read as buf (NULL: absent). */
static void
sum_record(struct rec_sums *sums, int k, const char *buf, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ull;

	if (buf == NULL)
		return;
	fnv(&h, buf, len);
	sums->seen[k] = true;
	sums->len[k] = len;
	sums->hash[k] = h;
}

int
ccpu_image_load(struct ccpu_image *out, const char *dir, unsigned int flags,
    struct ccpu_error *err)
{
	struct ccpu_image	 img;
	struct rec_sums		 sums;
	char			*buf, name[4096];
	size_t			 len;
	int			 dfd, rc = -1;

	memset(&img, 0, sizeof(img));
	memset(&sums, 0, sizeof(sums));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
	if (dfd == -1)
		return ccpu_error_set(err, errno == ENOTDIR ? CCPU_EINPUT :
		    CCPU_ESYS, "'%s': %s", dir, errno == ENOENT ?
		    "no such directory" : errno == ENOTDIR ? "not a directory" :
		    strerror(errno));
	if (read_record(dfd, dir, CCPU_IMAGE_TAGS, CCPU_IMAGE_MAX_TAGS, &buf,
	    &len, err) == -1)
		goto out;
	sum_record(&sums, 0, buf, len);
	if (buf != NULL) {
		snprintf(name, sizeof(name), "%s/%s", dir, CCPU_IMAGE_TAGS);
		rc = ccpu_image_parse_tags(&img.tags, buf, len, name, err);
		free(buf);
		if (rc == -1)
			goto out;
		rc = -1;
		img.has_tags = true;
	}
	if (read_record(dfd, dir, CCPU_IMAGE_USERDATA, CCPU_IMAGE_MAX_TAGS, &buf,
	    &len, err) == -1)
		goto out;
	sum_record(&sums, 1, buf, len);
	if (buf != NULL) {
		snprintf(name, sizeof(name), "%s/%s", dir, CCPU_IMAGE_USERDATA);
		rc = ccpu_image_parse_userdata(&img.userdata, buf, len, name, err);
		free(buf);
		if (rc == -1)
			goto out;
		rc = -1;
		img.has_userdata = true;
	}
	if (read_record(dfd, dir, CCPU_IMAGE_ENGINE, CCPU_IMAGE_MAX_TAGS, &buf,
	    &len, err) == -1)
		goto out;
	sum_record(&sums, 2, buf, len);
	if (buf != NULL)
		one_line(img.engine, sizeof(img.engine), buf, len, false);
	free(buf);
	if (read_record(dfd, dir, CCPU_IMAGE_SCORE, CCPU_IMAGE_MAX_TAGS, &buf,
	    &len, err) == -1)
		goto out;
	sum_record(&sums, 3, buf, len);
	if (buf != NULL)
		one_line(img.score, sizeof(img.score), buf, len, true);
	free(buf);
	buf = NULL;
	if ((flags & CCPU_IMAGE_NO_SIDECAR) == 0 &&
	    read_record(dfd, dir, CCPU_IMAGE_SIDECAR, CCPU_IMAGE_MAX_SIDECAR,
	    &buf, &len, err) == -1)
		goto out;
	/* Only a sidecar or stamp needs the fingerprint: spare the restore path. */
	if ((buf != NULL || (flags & CCPU_IMAGE_FINGERPRINT) != 0) &&
	    scan_dir(dfd, dir, &img, &sums, err) == -1) {
		free(buf);
		goto out;
	}
	if (buf != NULL) {
		snprintf(name, sizeof(name), "%s/%s", dir, CCPU_IMAGE_SIDECAR);
		rc = ccpu_sidecar_parse(&img.sidecar, buf, len, name, err);
		free(buf);
		if (rc == -1)
			goto out;
		rc = -1;
		img.has_sidecar = true;
		img.sidecar_stale = img.sidecar.content != img.content;
		/* Stale or not, a stamp of the other architecture is foreign. */
		if (img.has_tags && img.tags.has_arch &&
		    (strcmp(img.tags.arch, "aarch64") == 0) !=
		    ccpu_sidecar_is_a64(&img.sidecar)) {
			ccpu_error_set(err, CCPU_EINPUT, "'%s/%s': %s stamp beside "
			    "an image for architecture '%s' (%s): it describes "
			    "another image", dir, CCPU_IMAGE_SIDECAR,
			    ccpu_sidecar_is_a64(&img.sidecar) ? "an aarch64" :
			    "an x86-64", img.tags.arch, CCPU_IMAGE_TAGS);
			goto out_sidecar;
		}
	}
	if (img.has_tags && img.tags.has_features) {
		img.record = CCPU_RECORD_TAGS;
		img.features = img.tags.features;
		if (img.has_userdata &&
		    !ccpu_featset_equal(&img.userdata, &img.features)) {
			ccpu_jvm_format_value(NULL, &img.features, name,
			    sizeof(name) / 2);
			ccpu_jvm_format_value(NULL, &img.userdata,
			    name + sizeof(name) / 2, sizeof(name) / 2);
			ccpu_error_set(err, CCPU_EINPUT, "'%s': the records "
			    "disagree: %s records %s, %s records %s", dir,
			    CCPU_IMAGE_TAGS, name, CCPU_IMAGE_USERDATA,
			    name + sizeof(name) / 2);
			goto out_sidecar;
		}
	} else if (img.has_userdata) {
		img.record = CCPU_RECORD_USERDATA;
		img.features = img.userdata;
	} else if (img.has_sidecar && !img.sidecar_stale && (!img.has_tags ||
	    ccpu_sidecar_is_a64(&img.sidecar))) {
		img.record = CCPU_RECORD_SIDECAR;
		img.features = img.sidecar.used;
	}
	if (img.has_sidecar && !img.sidecar_stale &&
	    records_disagree(&img, dir, err))
		goto out_sidecar;
	*out = img;
	rc = 0;
	goto out;
out_sidecar:
	ccpu_sidecar_release(&img.sidecar);
out:
	close(dfd);
	return rc;
}

void
ccpu_image_release(struct ccpu_image *img)
{
	if (img == NULL)
		return;
	ccpu_sidecar_release(&img->sidecar);
}

int
ccpu_stamp_used(const struct ccpu_image *img, const struct ccpu_layout *l,
    const struct ccpu_profile *host, const char *value,
    struct ccpu_featset *out, struct ccpu_error *err)
{
	struct ccpu_jvm_features	jf;
	struct ccpu_featset		v;
	char				a[CCPU_VALUE_MAX], b[CCPU_VALUE_MAX];

	if (img->record == CCPU_RECORD_TAGS ||
	    img->record == CCPU_RECORD_USERDATA) {
		*out = img->features;
		if (value == NULL || strcmp(value, "native") == 0)
			return 0;
		if (strcmp(value, "generic") == 0)
			v = *ccpu_layout_generic(l);
		else if (ccpu_jvm_parse_value(l, value, &v, err) == -1)
			return -1;
		if (ccpu_featset_equal(&v, out))
			return 0;
		ccpu_jvm_format_value(l, &v, a, sizeof(a));
		ccpu_jvm_format_value(l, out, b, sizeof(b));
		return ccpu_error_set(err, CCPU_EINPUT, "--value %s disagrees "
		    "with the image's %s, which records %s", a,
		    ccpu_record_name(img->record), b);
	}
	if (value == NULL || strcmp(value, "native") == 0) {
		if (ccpu_jvm_derive_host(l, host, &jf, err) == -1)
			return -1;
		*out = jf.recorded;
		return 0;
	}
	if (strcmp(value, "generic") == 0) {
		*out = *ccpu_layout_generic(l);
		return 0;
	}
	return ccpu_jvm_parse_value(l, value, out, err);
}

int
ccpu_stamp_may_replace(const char *dir, const struct ccpu_image *img,
    const struct ccpu_profile *host, const struct ccpu_featset *used,
    struct ccpu_error *err)
{
	const struct ccpu_sidecar	*s = &img->sidecar;

	if (!img->has_sidecar)
		return 0;
	if (s->fingerprint != img->fingerprint)
		return ccpu_error_set(err, CCPU_EINPUT, "'%s/%s' was written for "
		    "another image (the directory's files changed since)", dir,
		    CCPU_IMAGE_SIDECAR);
	if (strcmp(s->host->hostname, host->hostname) != 0 ||
	    !ccpu_featset_equal(&s->used, used))
		return ccpu_error_set(err, CCPU_EINPUT, "'%s/%s' already describes "
		    "this image, stamped on %s%s%s with other features", dir,
		    CCPU_IMAGE_SIDECAR, s->host->hostname[0] != '\0' ? "host '" :
		    "another host", s->host->hostname,
		    s->host->hostname[0] != '\0' ? "'" : "");
	return 0;
}
