/*
 * Profile JSON: every fixture survives dump -> load -> dump byte for byte,
 * the text keeps one leaf a line, saving is atomic, and each kind of
 * malformed profile is refused with a message that says where.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "ccpu/profile.h"

#define FIXDIR		"tests/fixtures/cpuid"
#define BASE		"intel-haswell-ep-xeon-e5-2699-v3.cpuid.txt"

static char	tmpdir[] = "/tmp/ccpu-test-json-XXXXXX";

static struct ccpu_profile *
load(const char *path)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;

	if (ccpu_profile_load(p, path, &e) == -1)
		fail_msg("%s", e.msg);
	return p;
}

static void
assert_same_profile(const struct ccpu_profile *a, const struct ccpu_profile *b)
{
	const struct ccpu_cpu	*x, *y;
	unsigned int		 i;
	size_t			 k;

	assert_string_equal(a->hostname, b->hostname);
	assert_string_equal(a->source, b->source);
	assert_string_equal(a->source_file, b->source_file);
	assert_string_equal(a->codename, b->codename);
	assert_int_equal(a->ntypes, b->ntypes);
	for (i = 0; i < a->ntypes; i++) {
		x = &a->types[i];
		y = &b->types[i];
		assert_string_equal(x->core_type, y->core_type);
		assert_int_equal(x->nlogical, y->nlogical);
		assert_int_equal(x->xcr0, y->xcr0);
		assert_int_equal(x->xcr0_source, y->xcr0_source);
		assert_int_equal(x->missing, y->missing);
		assert_int_equal(x->nleaves, y->nleaves);
		for (k = 0; k < x->nleaves; k++)
			assert_memory_equal(&x->leaves[k], &y->leaves[k],
			    sizeof(x->leaves[k]));
	}
}

/* dump -> parse -> dump gives the same bytes and the same registers. */
static void
test_json_roundtrip(void **state)
{
	const char		*file = *state;
	struct ccpu_profile	*p, *q = ccpu_profile_new();
	struct ccpu_error	 e;
	char			 path[512], *a, *b;

	snprintf(path, sizeof(path), "%s/%s", FIXDIR, file);
	p = load(path);
	a = ccpu_profile_dumps(p);
	if (ccpu_profile_parse(q, a, strlen(a), "again.json", &e) == -1)
		fail_msg("%s", e.msg);
	b = ccpu_profile_dumps(q);
	assert_string_equal(a, b);
	assert_same_profile(p, q);
	free(a);
	free(b);
	ccpu_profile_free(p);
	ccpu_profile_free(q);
}

#define HEAD	"{\n  \"schema\": \"ccpu-profile/1\",\n  \"host\": {\n"

/* Two-space indent; a leaf or a missing list a line; a final newline. */
static void
test_json_layout(void **state)
{
	struct ccpu_profile	*p = load(FIXDIR "/" BASE);
	char			*s = ccpu_profile_dumps(p);

	(void)state;
	assert_memory_equal(s, HEAD, strlen(HEAD));
	assert_non_null(strstr(s, "\n  \"missing\": [\"xcr0\"],\n"));
	assert_non_null(strstr(s, "\n        [\"0x00000000\", \"0x0\", "
	    "\"0x0000000f\", \"0x756e6547\", \"0x6c65746e\", \"0x49656e69\"],\n"));
	assert_non_null(strstr(s, "\n        [\"0x0000000d\", \"0x1\", "));
	assert_non_null(strstr(s, "\"xcr0\": \"0x0000000000000007\",\n"));
	assert_non_null(strstr(s, "\"xcr0_source\": \"inferred\",\n"));
	assert_non_null(strstr(s, "\"source\": {\n    \"kind\": \"cpuid-r\",\n"
	    "    \"file\": \"" BASE "\"\n  },\n"));
	assert_non_null(strstr(s, "\"family\": 6,\n    \"model\": 63,\n"));
	assert_string_equal(s + strlen(s) - 3, "\n}\n");
	free(s);
	ccpu_profile_free(p);
}

static void
test_json_save_atomic(void **state)
{
	struct ccpu_profile	*p = load(FIXDIR "/" BASE), *q;
	struct ccpu_error	 e;
	struct stat		 st;
	struct dirent		*de;
	DIR			*d;
	char			 path[128], *s;
	int			 n = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/host.json", tmpdir);
	if (ccpu_profile_save(p, path, &e) == -1)
		fail_msg("%s", e.msg);
	assert_int_equal(ccpu_profile_save(p, path, &e), 0);	/* replaces */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	q = load(path);
	assert_same_profile(p, q);
	s = ccpu_profile_dumps(p);
	assert_int_equal(st.st_size, strlen(s));
	free(s);
	assert_non_null(d = opendir(tmpdir));
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(n, 1);		/* no temporary left behind */
	unlink(path);
	ccpu_profile_free(p);
	ccpu_profile_free(q);
}

static void
test_json_save_fails_cleanly(void **state)
{
	struct ccpu_profile	*p = load(FIXDIR "/" BASE);
	struct ccpu_error	 e;
	char			 path[128], want[200];

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/dir/host.json", tmpdir);
	assert_int_equal(ccpu_profile_save(p, path, &e), -1);
	assert_int_equal(e.status, CCPU_ESYS);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	assert_string_equal(e.msg, want);
	ccpu_profile_free(p);
}

/* What a profile records is kept: xcr0 and its source, host, provenance. */
static void
test_json_keeps_recorded_values(void **state)
{
	const char		*text;
	struct ccpu_profile	*p = load(FIXDIR "/" BASE);
	struct ccpu_profile	*q = ccpu_profile_new();
	struct ccpu_error	 e;
	char			*s;

	(void)state;
	snprintf(p->hostname, sizeof(p->hostname), "db-7");
	snprintf(p->captured, sizeof(p->captured), "2026-11-27T01:02:03Z");
	snprintf(p->source, sizeof(p->source), "live");
	p->source_file[0] = '\0';
	p->types[0].xcr0 = 0x2e7;
	p->types[0].xcr0_source = CCPU_XCR0_XGETBV;
	p->types[0].missing = 0;
	p->types[0].nlogical = 72;
	text = s = ccpu_profile_dumps(p);
	if (ccpu_profile_parse(q, text, strlen(text), "x.json", &e) == -1)
		fail_msg("%s", e.msg);
	assert_same_profile(p, q);
	assert_non_null(strstr(s, "\"missing\": [],\n"));
	free(s);
	ccpu_profile_free(p);
	ccpu_profile_free(q);
}

/*
 * Malformed profiles: each row changes one thing in a good profile.  path
 * is slash-separated keys and indexes; value is JSON text, NULL to delete.
 */
static const struct mut_row {
	const char	*name;
	const char	*path;
	const char	*value;
	const char	*want;
} mut_rows[] = {
	{ "wrong_schema", "schema", "\"ccpu-profile/3\"", "unsupported schema 'ccpu-profile/3'" },
	/* ccpu-profile/2 is an aarch64 host's (HWCAP words and MIDRs). */
	{ "schema_2_x86", "schema", "\"ccpu-profile/2\"", "host.arch: ccpu-profile/2 is an aarch64 host, not 'x86_64' (an x86-64 profile is ccpu-profile/1)" },
	{ "no_schema", "schema", NULL, "not a ccpu profile (no \"schema\")" },
	{ "schema_not_string", "schema", "1", "schema: expected a string, got an integer" },
	{ "no_host", "host", NULL, "missing key 'host'" },
	{ "host_not_object", "host", "[]", "host: expected an object, got an array" },
	{ "hostname_too_long", "host/hostname",
	    "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
	    "host.hostname: longer than 255 bytes" },
	{ "hostname_nul", "host/hostname", "\"a\\u0000b\"", "host.hostname: NUL character in string" },
	{ "captured_not_iso", "host/captured", "\"yesterday\"",
	    "host.captured: expected YYYY-MM-DDTHH:MM:SSZ or \"\", got 'yesterday'" },
	{ "wrong_arch", "host/arch", "\"aarch64\"", "host.arch: unsupported arch 'aarch64' (an aarch64 profile is ccpu-profile/2)" },
	{ "other_arch", "host/arch", "\"riscv64\"", "host.arch: unsupported arch 'riscv64'" },
	{ "unknown_source_kind", "source/kind", "\"magic\"", "source.kind: unknown source kind 'magic'" },
	{ "source_file_path", "source/file", "\"/etc/passwd\"",
	    "source.file: expected a base name, got '/etc/passwd'" },
	{ "no_cpu", "cpu", NULL, "missing key 'cpu'" },
	{ "family_not_integer", "cpu/family", "\"six\"", "cpu.family: expected an integer, got a string" },
	{ "family_negative", "cpu/family", "-6", "cpu.family: -6 out of range (0 to 4294967295)" },
	{ "hybrid_not_boolean", "cpu/hybrid", "1", "cpu.hybrid: expected a boolean, got an integer" },
	{ "vendor_too_long", "cpu/vendor", "\"GenuineIntel!\"", "cpu.vendor: longer than 12 bytes" },
	{ "unknown_missing_name", "missing", "[\"xcr0\", \"bogus\"]",
	    "missing[1]: unknown missing input 'bogus'" },
	{ "missing_not_union", "missing", "[]", "missing: not the union of the core types' missing lists" },
	{ "missing_not_string", "missing", "[7]", "missing[0]: expected a string, got an integer" },
	{ "no_core_types", "core_types", "[]", "core_types: no core types" },
	{ "core_types_not_array", "core_types", "{}", "core_types: expected an array, got an object" },
	{ "core_type_not_object", "core_types/0", "3", "core_types[0]: expected an object, got an integer" },
	{ "unknown_core_type", "core_types/0/type", "\"big\"", "core_types[0].type: unknown core type 'big'" },
	{ "logical_cpus_negative", "core_types/0/logical_cpus", "-1",
	    "core_types[0].logical_cpus: -1 out of range (0 to 1048576)" },
	{ "logical_cpus_real", "core_types/0/logical_cpus", "1.5",
	    "core_types[0].logical_cpus: expected an integer, got a number" },
	{ "xcr0_short", "core_types/0/xcr0", "\"0xe7\"",
	    "core_types[0].xcr0: expected 0x and 16 hex digits, got '0xe7'" },
	{ "xcr0_not_string", "core_types/0/xcr0", "231", "core_types[0].xcr0: expected a string, got an integer" },
	{ "unknown_xcr0_source", "core_types/0/xcr0_source", "\"guess\"",
	    "core_types[0].xcr0_source: unknown xcr0 source 'guess'" },
	{ "duplicate_missing", "core_types/0/missing", "[\"xcr0\", \"xcr0\"]",
	    "core_types[0].missing[1]: duplicate 'xcr0'" },
	{ "no_leaves", "core_types/0/leaves", NULL, "core_types[0]: missing key 'leaves'" },
	{ "leaf_short", "core_types/0/leaves/1/0", "\"0x1\"",
	    "core_types[0].leaves[1][0]: expected 0x and 8 hex digits, got '0x1'" },
	{ "leaf_no_prefix", "core_types/0/leaves/1/0", "\"0000000001\"",
	    "core_types[0].leaves[1][0]: expected 0x and 8 hex digits, got '0000000001'" },
	{ "subleaf_too_wide", "core_types/0/leaves/1/1", "\"0x100000000\"",
	    "core_types[0].leaves[1][1]: expected 0x and 1 to 8 hex digits, got '0x100000000'" },
	{ "register_not_hex", "core_types/0/leaves/1/2", "\"0xzzzzzzzz\"",
	    "core_types[0].leaves[1][2]: expected 0x and 8 hex digits, got '0xzzzzzzzz'" },
	{ "register_integer", "core_types/0/leaves/1/5", "5",
	    "core_types[0].leaves[1][5]: expected a hex string, got an integer" },
	{ "leaf_five_strings", "core_types/0/leaves/1",
	    "[\"0x00000001\", \"0x0\", \"0x00000000\", \"0x00000000\", \"0x00000000\"]",
	    "core_types[0].leaves[1]: expected an array of 6 hex strings (leaf, subleaf, eax, ebx, ecx, edx)" },
	{ "duplicate_leaf", "core_types/0/leaves/1",
	    "[\"0x00000000\", \"0x0\", \"0x00000000\", \"0x00000000\", \"0x00000000\", \"0x00000000\"]",
	    "core_types[0].leaves[1]: duplicate leaf 0x0 subleaf 0x0" },
	{ "no_leaf_0", "core_types/0/leaves/0", NULL, "core_types[0]: no leaf 0x0" },
};

/* Descend path; returns the container holding the last component in *last. */
static json_t *
walk(json_t *root, const char *path, char *last, size_t size)
{
	char	buf[128], *p, *slash;
	json_t	*v = root;

	snprintf(buf, sizeof(buf), "%s", path);
	p = buf;
	while ((slash = strchr(p, '/')) != NULL) {
		*slash = '\0';
		v = json_is_array(v) ? json_array_get(v, strtoul(p, NULL, 10)) :
		    json_object_get(v, p);
		assert_non_null(v);
		p = slash + 1;
	}
	snprintf(last, size, "%s", p);
	return v;
}

static json_t *
good_profile(void)
{
	struct ccpu_profile	*p = load(FIXDIR "/" BASE);
	json_t			*j = ccpu_profile_to_json(p);

	ccpu_profile_free(p);
	return j;
}

static void
expect_from_json_error(const json_t *root, const char *want)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;

	memset(p, 0xa5, sizeof(*p));
	assert_int_equal(ccpu_profile_from_json(p, root, &e), -1);
	assert_int_equal(e.status, CCPU_EINPUT);
	assert_string_equal(e.msg, want);
	assert_int_equal(p->ntypes, 0xa5a5a5a5u);
	ccpu_profile_free(p);
}

static void
test_json_mutation(void **state)
{
	const struct mut_row	*row = *state;
	json_error_t		 je;
	json_t			*root = good_profile(), *c, *v;
	char			 last[128];

	c = walk(root, row->path, last, sizeof(last));
	if (row->value == NULL) {
		if (json_is_array(c))
			assert_int_equal(json_array_remove(c,
			    strtoul(last, NULL, 10)), 0);
		else
			assert_int_equal(json_object_del(c, last), 0);
	} else {
		v = json_loads(row->value, JSON_DECODE_ANY | JSON_ALLOW_NUL,
		    &je);
		if (v == NULL)
			fail_msg("%s: %s", row->value, je.text);
		if (json_is_array(c))
			assert_int_equal(json_array_set_new(c,
			    strtoul(last, NULL, 10), v), 0);
		else
			assert_int_equal(json_object_set_new(c, last, v), 0);
	}
	expect_from_json_error(root, row->want);
	json_decref(root);
}

static void
test_json_too_many_types(void **state)
{
	json_t	*root = good_profile(), *a;
	int	 i;

	(void)state;
	a = json_object_get(root, "core_types");
	for (i = 0; i < CCPU_MAX_TYPES; i++)
		json_array_append_new(a, json_deep_copy(json_array_get(a, 0)));
	expect_from_json_error(root, "core_types: 9 core types, at most 8");
	json_decref(root);
}

static void
test_json_too_many_leaves(void **state)
{
	json_t	*root = good_profile(), *a;
	char	 sub[16];
	int	 i;

	(void)state;
	a = json_array_get(json_object_get(root, "core_types"), 0);
	a = json_object_get(a, "leaves");
	for (i = 0; i < CCPU_MAX_LEAVES; i++) {
		snprintf(sub, sizeof(sub), "0x%x", 0x100 + i);
		json_array_append_new(a, json_pack("[ssssss]", "0x0000000d",
		    sub, "0x00000000", "0x00000000", "0x00000000",
		    "0x00000000"));
	}
	expect_from_json_error(root,
	    "core_types[0].leaves: 544 leaves, at most 512");
	json_decref(root);
}

static void
test_json_not_object(void **state)
{
	json_t	*root = json_array();

	(void)state;
	expect_from_json_error(root, "expected a JSON object, got an array");
	json_decref(root);
}

/* Readers ignore keys they do not know; every key they know is required. */
static void
test_json_unknown_keys_ignored(void **state)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;
	json_t			*root = good_profile();

	(void)state;
	json_object_set_new(root, "comment", json_string("from the lab"));
	json_object_set_new(json_object_get(root, "cpu"), "microcode",
	    json_string("0x2b"));
	if (ccpu_profile_from_json(p, root, &e) == -1)
		fail_msg("%s", e.msg);
	json_decref(root);
	ccpu_profile_free(p);
}

/* A file name prefixes errors found through ccpu_profile_parse. */
static void
test_json_parse_names_file(void **state)
{
	static const char	 text[] =
	    "{\"schema\": \"ccpu-profile/1\", \"host\": 1}";
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;

	(void)state;
	assert_int_equal(ccpu_profile_parse(p, text, strlen(text), "h.json",
	    &e), -1);
	assert_string_equal(e.msg,
	    "h.json: host: expected an object, got an integer");
	ccpu_profile_free(p);
}

static int
setup_tmp(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown_tmp(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_json_layout),
		cmocka_unit_test(test_json_save_atomic),
		cmocka_unit_test(test_json_save_fails_cleanly),
		cmocka_unit_test(test_json_keeps_recorded_values),
		cmocka_unit_test(test_json_too_many_types),
		cmocka_unit_test(test_json_too_many_leaves),
		cmocka_unit_test(test_json_not_object),
		cmocka_unit_test(test_json_unknown_keys_ignored),
		cmocka_unit_test(test_json_parse_names_file),
	};
	struct CMUnitTest	*t;
	char			**fix, *name;
	size_t			 nfix = 0, i;
	int			 failed = 0;

	if ((fix = tu_list_dir(FIXDIR, &nfix)) == NULL) {
		fprintf(stderr,
		    "test_profile_json: run from the top directory\n");
		return 1;
	}

	t = calloc(nfix + nitems(mut_rows), sizeof(*t));
	for (i = 0; i < nfix; i++) {
		name = malloc(strlen(fix[i]) + 16);
		snprintf(name, strlen(fix[i]) + 16, "roundtrip %s", fix[i]);
		t[i] = (struct CMUnitTest){ .name = name,
		    .test_func = test_json_roundtrip, .initial_state = fix[i] };
	}
	failed += _cmocka_run_group_tests("json_roundtrip", t, nfix, NULL,
	    NULL);
	for (i = 0; i < nfix; i++) {
		free((char *)t[i].name);
		free(fix[i]);
	}
	free(fix);
	for (i = 0; i < nitems(mut_rows); i++)
		t[i] = (struct CMUnitTest){ .name = mut_rows[i].name,
		    .test_func = test_json_mutation,
		    .initial_state = (void *)&mut_rows[i] };
	failed += _cmocka_run_group_tests("json_bad_profile", t, i, NULL, NULL);
	free(t);
	failed += cmocka_run_group_tests_name("json", fixed, setup_tmp,
	    teardown_tmp);
	return failed;
}
