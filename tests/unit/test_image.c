/*
 * Image records: the `tags` and `cpufeatures` parsers on good and bad
 * bytes (one named case per row, the message must name the defect), and
 * ccpu_image_load on directories built in a temporary directory.
 */
#include "testutil.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccpu/image.h"
#include "ccpu/jvm.h"
#include "ccpu/profile.h"

#define DOCS_HEX	"f7fbfc9dff7fff04e603000000000000"	/* 0x4ff7fff9dfcfbf7,0x3e6 */

enum which { TAGS, USERDATA };

static struct parse_case {
	const char	*name;
	enum which	 which;
	const char	*in;
	const char	*want;	/* the value in xm notation, or NULL for an error */
	const char	*msg;	/* a substring of the error */
} cases[] = {
	{ "userdata_docs_example", USERDATA, DOCS_HEX "\n",
	  "0x4ff7fff9dfcfbf7,0x3e6", NULL },
	{ "userdata_generic", USERDATA, "d7800000000200000000000000000000\n",
	  "0x200000080d7,0x0", NULL },
	{ "userdata_odd_length", USERDATA, "f7fbfc9dff7fff04e60300000000000\n",
	  NULL, "offset 0x0: odd number of hex digits (31)" },
	{ "userdata_uppercase", USERDATA, "F7fbfc9dff7fff04e603000000000000\n",
	  NULL, "offset 0x0: uppercase hex digit 'F'" },
	{ "userdata_not_hex", USERDATA, "f7fbfc9dff7fff04e6030000000000g0\n",
	  NULL, "offset 0x1e: 'g' is not a hex digit" },
	{ "userdata_no_newline", USERDATA, DOCS_HEX, NULL,
	  "offset 0x20: no newline after the 32 hex digits" },
	{ "userdata_extra_bytes", USERDATA, DOCS_HEX "\nx", NULL,
	  "offset 0x21: 1 extra bytes after the newline" },
	{ "userdata_crlf", USERDATA, DOCS_HEX "\r\n", NULL,
	  "offset 0x20: byte 0x0d is not a hex digit" },
	{ "userdata_wrong_size", USERDATA, "f7fbfc9dff7fff04e6030000\n", NULL,
	  "12 bytes of features, every x86-64 layout records 16" },
	{ "userdata_empty", USERDATA, "", NULL, "empty file" },
	{ "tags_current", TAGS, "label:cpu.arch=amd64\n"
	  "label:java.version=26-internal\nbitmap:cpu.features=" DOCS_HEX "\n"
	  "label:app=x\n", "0x4ff7fff9dfcfbf7,0x3e6", NULL },
	{ "tags_last_line_unterminated", TAGS, "label:cpu.arch=amd64\n"
	  "bitmap:cpu.features=" DOCS_HEX, "0x4ff7fff9dfcfbf7,0x3e6", NULL },
	{ "tags_bitmap_uppercase", TAGS, "label:cpu.arch=amd64\n"
	  "bitmap:cpu.features=f7FBfc9dff7fff04e603000000000000\n", NULL,
	  "line 2, offset 0x2b: uppercase hex digit 'F'" },
	{ "tags_bitmap_odd", TAGS, "bitmap:cpu.features=f7f\n", NULL,
	  "line 1, offset 0x14: odd number of hex digits (3)" },
	{ "tags_bitmap_wrong_size", TAGS, "bitmap:cpu.features=f7fb\n", NULL,
	  "2 bytes of features, every x86-64 layout records 16" },
	{ "tags_bitmap_empty", TAGS, "bitmap:cpu.features=\n", NULL,
	  "empty bitmap" },
	{ "tags_duplicate_bitmap", TAGS, "bitmap:cpu.features=" DOCS_HEX "\n"
	  "bitmap:cpu.features=" DOCS_HEX "\n", NULL,
	  "line 2, offset 0x35: second bitmap:cpu.features" },
	{ "tags_duplicate_arch", TAGS, "label:cpu.arch=amd64\n"
	  "label:cpu.arch=aarch64\n", NULL, "second label:cpu.arch" },
	{ "tags_control_in_version", TAGS, "label:java.version=1\t7\n", NULL,
	  "control byte 0x09 in label:java.version" },
};

static void
test_parse(void **state)
{
	const struct parse_case		*c = *state;
	const struct ccpu_layout	*xm = ccpu_layout_lookup("xm", NULL);
	struct ccpu_image_tags		 t;
	struct ccpu_featset		 fs;
	struct ccpu_error		 e;
	char				 v[CCPU_VALUE_MAX];
	int				 rc;

	memset(&e, 0, sizeof(e));
	if (c->which == USERDATA)
		rc = ccpu_image_parse_userdata(&fs, c->in, strlen(c->in),
		    "img/cpufeatures", &e);
	else {
		rc = ccpu_image_parse_tags(&t, c->in, strlen(c->in), "img/tags",
		    &e);
		fs = t.features;
	}
	if (c->want == NULL) {
		assert_int_equal(rc, -1);
		assert_int_equal(e.status, CCPU_EINPUT);
		assert_non_null(strstr(e.msg, c->which == USERDATA ?
		    "'img/cpufeatures': " : "'img/tags': "));
		if (strstr(e.msg, c->msg) == NULL)
			fail_msg("message '%s' lacks '%s'", e.msg, c->msg);
		return;
	}
	assert_int_equal(rc, 0);
	ccpu_jvm_format_value(xm, &fs, v, sizeof(v));
	assert_string_equal(v, c->want);
}

static void
test_tags_fields(void **state)
{
	static const char	in[] = "label:cpu.arch=amd64\n"
	    "label:java.version=26-internal+0-adhoc\nlabel:app=x\nnoise\n\n";
	struct ccpu_image_tags	t;

	(void)state;
	assert_int_equal(ccpu_image_parse_tags(&t, in, sizeof(in) - 1, "t",
	    NULL), 0);
	assert_true(t.has_arch);
	assert_string_equal(t.arch, "amd64");
	assert_string_equal(t.java_version, "26-internal+0-adhoc");
	assert_false(t.has_features);
	assert_int_equal(t.nother, 2);
}

static void
test_tags_nul(void **state)
{
	static const char	in[] = "label:cpu.arch=am\0d64\n";
	struct ccpu_image_tags	t;
	struct ccpu_error	e;

	(void)state;
	assert_int_equal(ccpu_image_parse_tags(&t, in, sizeof(in) - 1, "t",
	    &e), -1);
	assert_non_null(strstr(e.msg, "offset 0x11: NUL byte"));
}

/* A scratch directory per test, removed afterwards. */
static char	tmpl[64];

static int
mkimg(void **state)
{
	snprintf(tmpl, sizeof(tmpl), "/tmp/test_image.XXXXXX");
	assert_non_null(mkdtemp(tmpl));
	*state = tmpl;
	return 0;
}

static int
rmimg(void **state)
{
	char	cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", (char *)*state);
	return system(cmd) == 0 ? 0 : -1;
}

static void
put(const char *dir, const char *name, const char *text)
{
	char	path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
test_load_tags(void **state)
{
	const char		*dir = *state;
	struct ccpu_image	 img;

	put(dir, "tags", "label:cpu.arch=amd64\nbitmap:cpu.features=" DOCS_HEX
	    "\n");
	put(dir, "engine", "criuengine\n");
	put(dir, "score", "a=1\nb=2\n");
	put(dir, "core-1.img", "xyz");
	assert_int_equal(ccpu_image_load(&img, dir, CCPU_IMAGE_FINGERPRINT,
	    NULL), 0);
	assert_int_equal(img.record, CCPU_RECORD_TAGS);
	assert_string_equal(img.engine, "criuengine");
	assert_string_equal(img.score, "a=1, b=2");
	assert_int_equal(img.nfiles, 4);
	assert_false(img.has_sidecar);
	ccpu_image_release(&img);
}

static void
test_load_nothing(void **state)
{
	struct ccpu_image	img;

	assert_int_equal(ccpu_image_load(&img, *state, 0, NULL), 0);
	assert_int_equal(img.record, CCPU_RECORD_NONE);
	ccpu_image_release(&img);
}

static void
test_load_disagreeing_records(void **state)
{
	const char		*dir = *state;
	struct ccpu_image	 img;
	struct ccpu_error	 e;

	put(dir, "tags", "bitmap:cpu.features=" DOCS_HEX "\n");
	put(dir, "cpufeatures", "d7800000000200000000000000000000\n");
	assert_int_equal(ccpu_image_load(&img, dir, 0, &e), -1);
	assert_non_null(strstr(e.msg, "the records disagree: tags records"));
}

static void
test_load_symlink_refused(void **state)
{
	const char		*dir = *state;
	struct ccpu_image	 img;
	struct ccpu_error	 e;
	char			 path[256];

	put(dir, "real", DOCS_HEX "\n");
	snprintf(path, sizeof(path), "%s/cpufeatures", dir);
	assert_int_equal(symlink("real", path), 0);
	assert_int_equal(ccpu_image_load(&img, dir, 0, &e), -1);
	assert_non_null(strstr(e.msg, "cpufeatures': a symbolic link"));
}

static void
test_load_fifo_refused(void **state)
{
	const char		*dir = *state;
	struct ccpu_image	 img;
	struct ccpu_error	 e;
	char			 path[256];

	snprintf(path, sizeof(path), "%s/tags", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(ccpu_image_load(&img, dir, 0, &e), -1);
	assert_non_null(strstr(e.msg, "tags': a FIFO, not a regular file"));
}

static void
test_load_directory_as_record(void **state)
{
	const char		*dir = *state;
	struct ccpu_image	 img;
	struct ccpu_error	 e;
	char			 path[256];

	snprintf(path, sizeof(path), "%s/tags", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(ccpu_image_load(&img, dir, 0, &e), -1);
	assert_non_null(strstr(e.msg, "tags': a directory, not a regular file"));
}

static void
test_load_missing_dir(void **state)
{
	struct ccpu_image	img;
	struct ccpu_error	e;
	char			path[256];

	snprintf(path, sizeof(path), "%s/nope", (char *)*state);
	assert_int_equal(ccpu_image_load(&img, path, 0, &e), -1);
	assert_non_null(strstr(e.msg, "nope': no such directory"));
}

static void
test_load_oversized(void **state)
{
	const char		*dir = *state;
	struct ccpu_image	 img;
	struct ccpu_error	 e;
	char			 path[256];
	FILE			*f;

	snprintf(path, sizeof(path), "%s/tags", dir);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fseek(f, CCPU_IMAGE_MAX_TAGS, SEEK_SET), 0);
	fputc('\n', f);
	fclose(f);
	assert_int_equal(ccpu_image_load(&img, dir, 0, &e), -1);
	assert_non_null(strstr(e.msg, "at most 65536 allowed"));
}

/* Fingerprints ignore the sidecar and change with the JVM's files. */
static void
test_fingerprint(void **state)
{
	const char		*dir = *state;
	struct ccpu_image	 a, b, c;

	put(dir, "pages-1.img", "0123");
	assert_int_equal(ccpu_image_load(&a, dir, CCPU_IMAGE_FINGERPRINT, NULL), 0);
	put(dir, "crac-cpu.json.tmp.abc", "junk");
	assert_int_equal(ccpu_image_load(&b, dir, CCPU_IMAGE_NO_SIDECAR |
	    CCPU_IMAGE_FINGERPRINT, NULL), 0);
	assert_true(a.content == b.content && a.fingerprint == b.fingerprint);
	put(dir, "pages-1.img", "01234");
	assert_int_equal(ccpu_image_load(&c, dir, CCPU_IMAGE_FINGERPRINT, NULL), 0);
	assert_true(a.content != c.content);
	ccpu_image_release(&a);
	ccpu_image_release(&b);
	ccpu_image_release(&c);
}

/* Set a file's modification time to sec.nsec. */
static void
set_mtime(const char *dir, const char *name, long sec, long nsec)
{
	struct timespec	ts[2];
	char		path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ts[0].tv_sec = ts[1].tv_sec = sec;
	ts[0].tv_nsec = ts[1].tv_nsec = nsec;
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/*
 * The rule of docs/gate.md: record files by their bytes, memory images by
 * size and time to the nanosecond (content), plus the inode (fingerprint).
 */
static void
test_fingerprint_rule(void **state)
{
	const char		*dir = *state;
	struct ccpu_image	 a, b;
	char			 from[256], to[256];

	put(dir, "pages-1.img", "0123");
	set_mtime(dir, "pages-1.img", 1700000000, 5);
	put(dir, "tags", "label:cpu.arch=amd64\n");
	assert_int_equal(ccpu_image_load(&a, dir, CCPU_IMAGE_FINGERPRINT, NULL), 0);
	/* Rewritten in place: same name and size, one nanosecond later. */
	put(dir, "pages-1.img", "3210");
	set_mtime(dir, "pages-1.img", 1700000000, 6);
	assert_int_equal(ccpu_image_load(&b, dir, CCPU_IMAGE_FINGERPRINT, NULL), 0);
	assert_true(a.content != b.content && a.fingerprint != b.fingerprint);
	/* Same bytes and time again: a copy that kept its times. */
	set_mtime(dir, "pages-1.img", 1700000000, 5);
	assert_int_equal(ccpu_image_load(&b, dir, CCPU_IMAGE_FINGERPRINT, NULL), 0);
	assert_true(a.content == b.content && a.fingerprint == b.fingerprint);
	/* Another file (inode) with the same size and time: a copy. */
	snprintf(from, sizeof(from), "%s/pages-1.img", dir);
	snprintf(to, sizeof(to), "%s/pages-1.img.new", dir);
	put(dir, "pages-1.img.new", "3210");
	assert_int_equal(rename(to, from), 0);
	set_mtime(dir, "pages-1.img", 1700000000, 5);
	assert_int_equal(ccpu_image_load(&b, dir, CCPU_IMAGE_FINGERPRINT, NULL), 0);
	assert_true(a.content == b.content && a.fingerprint != b.fingerprint);
	/* A record file counts by its bytes, whatever its size and time. */
	put(dir, "tags", "label:cpu.arch=amd46\n");
	assert_int_equal(ccpu_image_load(&b, dir, CCPU_IMAGE_FINGERPRINT, NULL), 0);
	assert_true(a.content != b.content);
	ccpu_image_release(&a);
	ccpu_image_release(&b);
}

/*
 * stamp's decisions: an image's own record is what it uses, and a --value
 * must agree with it; without a record, the value given; a sidecar for
 * other files or another host may not be replaced.
 */
static void
test_stamp_decisions(void **state)
{
	const char			*dir = *state;
	const struct ccpu_layout	*l = ccpu_layout_lookup("xm", NULL);
	struct ccpu_image		 img;
	struct ccpu_profile		*host = ccpu_profile_new();
	struct ccpu_featset		 used, docs;
	struct ccpu_error		 e;

	assert_int_equal(ccpu_jvm_parse_value(l, "0x4ff7fff9dfcfbf7,0x3e6",
	    &docs, &e), 0);
	put(dir, "tags", "label:cpu.arch=amd64\nbitmap:cpu.features=" DOCS_HEX
	    "\n");
	assert_int_equal(ccpu_image_load(&img, dir, CCPU_IMAGE_FINGERPRINT,
	    NULL), 0);
	assert_int_equal(ccpu_stamp_used(&img, l, host, NULL, &used, &e), 0);
	assert_true(ccpu_featset_equal(&used, &docs));
	assert_int_equal(ccpu_stamp_used(&img, l, host,
	    "0x4ff7fff9dfcfbf7,0x3e6", &used, &e), 0);
	assert_int_equal(ccpu_stamp_used(&img, l, host, "generic", &used, &e),
	    -1);
	assert_non_null(strstr(e.msg, "disagrees with the image's tags"));
	assert_int_equal(ccpu_stamp_may_replace(dir, &img, host, &docs, &e), 0);
	img.has_sidecar = true;
	img.sidecar.fingerprint = img.fingerprint + 1;
	img.sidecar.host = host;
	img.sidecar.used = docs;
	assert_int_equal(ccpu_stamp_may_replace(dir, &img, host, &docs, &e), -1);
	assert_non_null(strstr(e.msg, "written for another image"));
	img.sidecar.fingerprint = img.fingerprint;
	assert_int_equal(ccpu_stamp_may_replace(dir, &img, host, &docs, &e), 0);
	assert_int_equal(ccpu_stamp_may_replace(dir, &img, host,
	    ccpu_layout_generic(l), &e), -1);
	assert_non_null(strstr(e.msg, "already describes this image"));
	img.sidecar.host = NULL;
	img.has_sidecar = false;
	ccpu_image_release(&img);
	ccpu_profile_free(host);
}

/* Parse the sidecar document doc (taken) as crac-cpu.json into *got. */
static int
parse_doc(json_t *doc, struct ccpu_sidecar *got, struct ccpu_error *e)
{
	char	*text = json_dumps(doc, 0);
	int	 rc;

	json_decref(doc);
	memset(got, 0, sizeof(*got));
	rc = ccpu_sidecar_parse(got, text, strlen(text), "crac-cpu.json", e);
	free(text);
	return rc;
}

/* A sidecar parse that must fail (CCPU_EINPUT) saying msg, leaving got. */
static void
expect_refused(int rc, const struct ccpu_error *e,
    const struct ccpu_sidecar *got, const char *msg)
{
	assert_int_equal(rc, -1);
	assert_int_equal(e->status, CCPU_EINPUT);
	if (strstr(e->msg, msg) == NULL)
		fail_msg("'%s' does not say '%s'", e->msg, msg);
	assert_null(got->host);
}

/*
 * The sidecar's schema names: the one stamp writes, its earlier name (the
 * same document), version 1 (refused: stamp again) and names nobody wrote,
 * which must be refused rather than read as the current version.
 */
static struct schema_case {
	const char	*name;
	const char	*schema;
	const char	*msg;	/* NULL: accepted; else a substring of the error */
} schema_cases[] = {
	{ "sidecar_schema_current", CCPU_SIDECAR_SCHEMA, NULL },
	{ "sidecar_schema_old_name_2", "crac-cpu-stamp/2", NULL },
	{ "sidecar_schema_old_name_1_refused", "crac-cpu-stamp/1",
	  "stamp again on the checkpoint host" },
	{ "sidecar_schema_next_version_refused", "ccpu-stamp/4",
	  "schema 'ccpu-stamp/4', this version reads" },
	{ "sidecar_schema_old_name_3_refused", "crac-cpu-stamp/3",
	  "schema 'crac-cpu-stamp/3'" },
	{ "sidecar_schema_other_document_refused", "ccpu-profile/1",
	  "schema 'ccpu-profile/1'" },
	{ "sidecar_schema_empty_refused", "", "schema ''" },
};

static void
test_sidecar_schema(void **state)
{
	const struct schema_case	*c = *state;
	const struct ccpu_layout	*l = tu_layout("xm");
	struct ccpu_sidecar		 s, got;
	struct ccpu_error		 e;
	json_t				*doc;
	int				 rc;

	memset(&s, 0, sizeof(s));
	snprintf(s.layout, sizeof(s.layout), "xm");
	snprintf(s.record, sizeof(s.record), "tags");
	assert_int_equal(ccpu_jvm_parse_value(l, "0x4ff7fff9dfcfbf7,0x3e6",
	    &s.used, &e), 0);
	s.host = ccpu_profile_new();
	if (ccpu_profile_load(s.host,
	    "tests/fixtures/cpuid/intel-icelake-sp-xeon-gold-6330.raw", &e) == -1)
		fail_msg("%s", e.msg);
	doc = ccpu_sidecar_to_json(&s, l);
	json_object_set_new(doc, "schema", json_string(c->schema));
	rc = parse_doc(doc, &got, &e);
	if (c->msg == NULL) {
		if (rc != 0)
			fail_msg("%s", e.msg);
		assert_string_equal(got.layout, "xm");
		assert_true(ccpu_featset_equal(&got.used, &s.used));
		ccpu_sidecar_release(&got);
	} else
		expect_refused(rc, &e, &got, c->msg);
	ccpu_sidecar_release(&s);
}

/*
 * The aarch64 sidecar ("arch": "aarch64"): a stamp's document as written,
 * then one member changed; each change either reads back or is refused
 * with a message naming the defect.
 */
static struct a64_case {
	const char	*name;
	const char	*layout;
	const char	*record;	/* "tags" or "none" */
	const char	*java_version;
	uint64_t	 used;
	const char	*key;		/* member to replace, NULL: none */
	const char	*json;		/* its new value as JSON ("host": a profile file) */
	const char	*msg;		/* NULL: accepted; else a substring of the error */
} a64_cases[] = {
	{ "a64_sidecar_a22_word", "a22", "tags", "27", 0x400fff, NULL, NULL,
	  NULL },
	{ "a64_sidecar_a63_word", "a63", "tags", "27", 0x80000000000000ffull,
	  NULL, NULL, NULL },
	{ "a64_sidecar_stock_a21", "a21", "none", "21.0.5", 0x6301ff, NULL,
	  NULL, NULL },
	{ "a64_sidecar_unknown_arch_refused", "a22", "tags", "27", 0x400fff,
	  "arch", "\"riscv64\"", "arch 'riscv64'" },
	{ "a64_sidecar_x86_layout_refused", "a22", "tags", "27", 0x400fff,
	  "layout", "\"xm\"", "layout 'xm' is not an aarch64 layout" },
	{ "a64_sidecar_pac_rule_refused", "a22", "tags", "27", 0xfff, NULL,
	  NULL, "exactly one of the bits PACA (0x10000) and NOTPACA (0x400000)" },
	{ "a64_sidecar_bit_without_meaning_refused", "a22", "tags", "27",
	  0x400fffull | 1ull << 40, NULL, NULL, "bit 40 has no meaning" },
	{ "a64_sidecar_bit_63_in_a22_refused", "a22", "tags", "27",
	  0x80000000000000ffull, NULL, NULL, "bit 63 has no meaning" },
	{ "a64_sidecar_two_words_refused", "a22", "tags", "27", 0x400fff,
	  "used", "{\"bitmap\": \"ff0f4000000000000000000000000000\"}",
	  "32 hex digits in an aarch64 stamp" },
	{ "a64_sidecar_x86_host_refused", "a22", "tags", "27", 0x400fff,
	  "host", "tests/fixtures/cpuid/intel-icelake-sp-xeon-gold-6330.raw",
	  "an aarch64 stamp with an x86_64 host" },
	{ "a64_sidecar_crac_layout_without_word_refused", "a22", "none", "27",
	  0x400fff, NULL, NULL, "but record is 'none'" },
	{ "a64_sidecar_stock_with_word_refused", "a21", "tags", "21.0.5",
	  0x6301ff, NULL, NULL, "layout a21 records nothing" },
	{ "a64_sidecar_stock_java_version_contradicts", "a21", "none",
	  "17.0.9", 0x6301ff, NULL, NULL,
	  "java_version '17.0.9' means layout a17, but the stamp says a21" },
	{ "x86_sidecar_aarch64_host_refused", "xm", "tags", "", 0, "host",
	  "tests/fixtures/cpuinfo-arm64/graviton2-n1.txt",
	  "an x86-64 stamp (no \"arch\") with an aarch64 host" },
};

static void
test_sidecar_a64(void **state)
{
	const struct a64_case	*c = *state;
	struct ccpu_sidecar	 s, got;
	struct ccpu_profile	*p;
	struct ccpu_error	 e;
	json_t			*doc, *v;
	bool			 x86 = strcmp(c->layout, "xm") == 0 &&
				    c->used == 0;
	int			 rc;

	memset(&s, 0, sizeof(s));
	if (!x86)
		snprintf(s.arch, sizeof(s.arch), "aarch64");
	snprintf(s.layout, sizeof(s.layout), "%s", c->layout);
	snprintf(s.record, sizeof(s.record), "%s", c->record);
	snprintf(s.assumed, sizeof(s.assumed), "%s",
	    strcmp(c->record, "none") == 0 ? "native" : "");
	snprintf(s.java_version, sizeof(s.java_version), "%s", c->java_version);
	if (x86)
		assert_int_equal(ccpu_jvm_parse_value(tu_layout("xm"),
		    "0x4ff7fff9dfcfbf7,0x3e6", &s.used, &e), 0);
	else
		s.used.w[0] = c->used;
	s.host = ccpu_profile_new();
	if (ccpu_profile_load(s.host, x86 ?
	    "tests/fixtures/cpuid/intel-icelake-sp-xeon-gold-6330.raw" :
	    "tests/fixtures/cpuinfo-arm64/graviton2-n1.txt", &e) == -1)
		fail_msg("%s", e.msg);
	doc = ccpu_sidecar_to_json(&s, x86 ? tu_layout("xm") : NULL);
	if (c->key != NULL && strcmp(c->key, "host") == 0) {
		p = ccpu_profile_new();
		if (ccpu_profile_load(p, c->json, &e) == -1)
			fail_msg("%s", e.msg);
		json_object_set_new(doc, "host", ccpu_profile_to_json(p));
		ccpu_profile_free(p);
	} else if (c->key != NULL) {
		assert_non_null(v = json_loads(c->json, JSON_DECODE_ANY, NULL));
		json_object_set_new(doc, c->key, v);
	}
	rc = parse_doc(doc, &got, &e);
	if (c->msg == NULL) {
		if (rc != 0)
			fail_msg("%s", e.msg);
		assert_true(ccpu_sidecar_is_a64(&got));
		assert_string_equal(got.layout, c->layout);
		assert_true(ccpu_featset_equal(&got.used, &s.used));
		assert_true(ccpu_profile_is_a64(got.host));
		ccpu_sidecar_release(&got);
	} else
		expect_refused(rc, &e, &got, c->msg);
	ccpu_sidecar_release(&s);
}

int
main(void)
{
	static const struct CMUnitTest	dirs[] = {
		cmocka_unit_test_setup_teardown(test_load_tags, mkimg, rmimg),
		cmocka_unit_test_setup_teardown(test_load_nothing, mkimg, rmimg),
		cmocka_unit_test_setup_teardown(test_load_disagreeing_records,
		    mkimg, rmimg),
		cmocka_unit_test_setup_teardown(test_load_symlink_refused,
		    mkimg, rmimg),
		cmocka_unit_test_setup_teardown(test_load_fifo_refused, mkimg,
		    rmimg),
		cmocka_unit_test_setup_teardown(test_load_directory_as_record,
		    mkimg, rmimg),
		cmocka_unit_test_setup_teardown(test_load_missing_dir, mkimg,
		    rmimg),
		cmocka_unit_test_setup_teardown(test_load_oversized, mkimg,
		    rmimg),
		cmocka_unit_test_setup_teardown(test_fingerprint, mkimg, rmimg),
		cmocka_unit_test_setup_teardown(test_fingerprint_rule, mkimg,
		    rmimg),
		cmocka_unit_test_setup_teardown(test_stamp_decisions, mkimg,
		    rmimg),
		cmocka_unit_test(test_tags_fields),
		cmocka_unit_test(test_tags_nul),
	};
	struct CMUnitTest	tests[nitems(cases)];
	struct CMUnitTest	schemas[nitems(schema_cases)];
	struct CMUnitTest	a64[nitems(a64_cases)];
	size_t			i, n = 0;
	int			rc;

	for (i = 0; i < nitems(cases); i++)
		if (cases[i].want != NULL || cases[i].msg != NULL)
			tests[n++] = (struct CMUnitTest){ .name = cases[i].name,
			    .test_func = test_parse, .initial_state = &cases[i] };
	for (i = 0; i < nitems(schema_cases); i++)
		schemas[i] = (struct CMUnitTest){ .name = schema_cases[i].name,
		    .test_func = test_sidecar_schema,
		    .initial_state = &schema_cases[i] };
	for (i = 0; i < nitems(a64_cases); i++)
		a64[i] = (struct CMUnitTest){ .name = a64_cases[i].name,
		    .test_func = test_sidecar_a64,
		    .initial_state = &a64_cases[i] };
	rc = _cmocka_run_group_tests("image-parse", tests, n, NULL, NULL);
	rc |= _cmocka_run_group_tests("image-sidecar-a64", a64, nitems(a64),
	    NULL, NULL);
	rc |= _cmocka_run_group_tests("image-sidecar-schema", schemas,
	    nitems(schemas), NULL, NULL);
	return rc | cmocka_run_group_tests_name("image-load", dirs, NULL, NULL);
}
