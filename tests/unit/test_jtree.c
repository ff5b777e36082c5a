/*
 * The survey's JSON tree (src/jtree.h) against jansson, which it stands in
 * for: what jt_parse accepts jansson accepts as the same tree, what it
 * declines it declines before deciding anything, and a profile read through
 * it gives the profile, or the message, that jansson's tree gives.  Fixture
 * profiles, hand-made edge cases, every kind of rejection the profile
 * reader has, and seeded random mutations of real profiles.
 */
#include <stdio.h>

#include "testutil.h"

#include <jansson.h>

#include "ccpu/profile.h"
#include "jtree.h"
#include "profile_impl.h"
#include "xmalloc.h"

#define FIXDIR	"tests/fixtures/cpuid"

/* a (of da, from jt_parse) is the tree jansson built as b (of db). */
static void
same_tree(const struct jdoc *da, const struct jt *a, const struct jdoc *db,
    const struct jt *b)
{
	char	key[256];
	size_t	i, distinct = 0;

	assert_int_equal(a->type, b->type);
	switch (a->type) {
	case JT_STRING:
		assert_int_equal(a->n, b->n);
		assert_memory_equal(a->u.s, b->u.s, a->n);
		break;
	case JT_INT:
		assert_true(a->u.i == b->u.i);
		break;
	case JT_ARRAY:
		assert_int_equal(a->n, b->n);
		for (i = 0; i < a->n; i++)
			same_tree(da, jt_at(da, a, i), db, jt_at(db, b, i));
		break;
	case JT_OBJECT:
		/* jansson keeps the last of equal keys; so does jt_get. */
		for (i = 0; i < a->n; i++) {
			const struct jt	*m = jt_at(da, a, i);

			assert_true(m->keylen < sizeof(key));
			memcpy(key, m->key, m->keylen);
			key[m->keylen] = '\0';
			if (jt_get(da, a, key) != m)
				continue;	/* a later one wins */
			distinct++;
			assert_non_null(jt_get(db, b, key));
			same_tree(da, m, db, jt_get(db, b, key));
		}
		assert_int_equal(distinct, b->n);
		break;
	default:
		break;
	}
}

/*
 * The whole contract on one text: accepted means jansson accepts it too,
 * as the same tree.  Returns whether jt_parse accepted it.
 */
static bool
differential(const char *text, size_t len)
{
	struct jdoc	 da = JDOC_INIT, db = JDOC_INIT;
	json_error_t	 je;
	json_t		*j;
	bool		 took;

	took = jt_parse(&da, text, len) == 0;
	if (took) {
		j = json_loadb(text, len, 0, &je);
		if (j == NULL)
			fail_msg("jt_parse took what jansson refuses (%s): %.*s",
			    je.text, (int)(len < 200 ? len : 200), text);
		jt_from_jansson(&db, j);
		same_tree(&da, jt_root(&da), &db, jt_root(&db));
		json_decref(j);
	}
	jdoc_release(&da);
	jdoc_release(&db);
	return took;
}

static void
test_plain_documents(void **state)
{
	static const char *const docs[] = {
		"{}", "[]", " {\"a\":1} \n", "[1,-2,0,-0,123456789012345678]",
		"{\"a\":{\"b\":[true,false,null,\"x\"]},\"c\":[[],{}]}",
		"{\"a\":1,\"a\":\"two\"}",		/* the last one wins */
		"{\"\":\"\"}", "\t[ \"~\" , \"\x7f\" ]\r\n",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(docs); i++)
		if (!differential(docs[i], strlen(docs[i])))
			fail_msg("declined a plain document: %s", docs[i]);
}

static void
test_declines(void **state)
{
	static const char *const docs[] = {
		/* valid JSON outside the plain subset: jansson's to read */
		"{\"a\":\"\\n\"}", "{\"a\":\"\\u00e9\"}", "[\"\xc3\xa9\"]",
		"[1.5]", "[1e3]", "[1E3]", "[1234567890123456789]",
		"[44444444444444444444444444444444444444]",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		/* not JSON, or not one object or array: jansson says why */
		"", "   ", "1", "\"s\"", "true", "{", "[1,]", "{\"a\"}", "{\"a\":}",
		"{,}", "[01]", "[-]", "[- 1]", "[1 2]", "{\"a\":1}{\"b\":2}",
		"{\"a\":1} x", "{\"a\":1]", "[1}", "[\"a\tb\"]", "[\"a",
		"[tru]", "[nul]", "{\"a\":1,}", "{1:2}", "[\"\x01\"]",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(docs); i++)
		if (differential(docs[i], strlen(docs[i])))
			fail_msg("took a document outside the subset: %s",
			    docs[i]);
	/* A NUL byte is never plain. */
	assert_false(differential("[\"a\0b\"]", 7));
	assert_false(differential("[1]\0", 4));
}

/* A fixture as profile JSON text (one line), or NULL when it reads as none. */
static char *
fixture_text(const char *name)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;
	char			 path[512], *s = NULL;

	snprintf(path, sizeof(path), "%s/%s", FIXDIR, name);
	if (ccpu_profile_load(p, path, &e) == 0) {
		json_t	*j = ccpu_profile_to_json(p);

		s = json_dumps(j, JSON_COMPACT);
		json_decref(j);
	}
	ccpu_profile_free(p);
	return s;
}

/*
 * Read text both ways: profile_from_jt on jt_parse's tree (when it takes
 * the text) and on jansson's.  Same status, same message, same profile.
 */
static void
both_ways(const char *text, size_t len)
{
	struct ccpu_profile	*a = ccpu_profile_new(), *b = ccpu_profile_new();
	struct ccpu_error	 ea, eb;
	struct jdoc		 da = JDOC_INIT, db = JDOC_INIT;
	json_error_t		 je;
	json_t			*j;
	char			*ja, *jb;
	int			 ra, rb;

	if (jt_parse(&da, text, len) == 0) {
		j = json_loadb(text, len, 0, &je);
		assert_non_null(j);
		jt_from_jansson(&db, j);
		ra = profile_from_jt(a, &da, &ea);
		rb = profile_from_jt(b, &db, &eb);
		assert_int_equal(ra, rb);
		if (ra == -1) {
			assert_string_equal(ea.msg, eb.msg);
			assert_int_equal(ea.status, eb.status);
		} else {
			ja = ccpu_profile_dumps(a);
			jb = ccpu_profile_dumps(b);
			assert_string_equal(ja, jb);
			assert_string_equal(a->codename, b->codename);
			free(ja);
			free(jb);
		}
		/* And the public entry point says what the tree says. */
		rb = ccpu_profile_from_json(b, j, &eb);
		assert_int_equal(ra, rb);
		if (ra == -1)
			assert_string_equal(ea.msg, eb.msg);
		json_decref(j);
	}
	jdoc_release(&da);
	jdoc_release(&db);
	ccpu_profile_free(a);
	ccpu_profile_free(b);
}

static char **
fixture_texts(size_t *n)
{
	struct dirent	**ents;
	char		**out = NULL, *s;
	int		  k, i;

	*n = 0;
	k = scandir(FIXDIR, &ents, NULL, alphasort);
	assert_true(k > 0);
	for (i = 0; i < k; i++) {
		if (strstr(ents[i]->d_name, ".raw") != NULL &&
		    (s = fixture_text(ents[i]->d_name)) != NULL) {
			out = xreallocarray(out, *n + 1, sizeof(*out));
			out[(*n)++] = s;
		}
		free(ents[i]);
	}
	free(ents);
	assert_true(*n >= 20);
	return out;
}

static void
free_texts(char **t, size_t n)
{
	while (n > 0)
		free(t[--n]);
	free(t);
}

static void
test_fixture_profiles(void **state)
{
	char	**t;
	size_t	  n, i;

	(void)state;
	t = fixture_texts(&n);
	for (i = 0; i < n; i++) {
		assert_true(differential(t[i], strlen(t[i])));
		both_ways(t[i], strlen(t[i]));
	}
	free_texts(t, n);
}

/* text with the first `from` replaced by `to`, or NULL when absent. */
static char *
edit(const char *text, const char *from, const char *to)
{
	const char	*at = strstr(text, from);
	char		*s;
	size_t		 a, b, c;

	if (at == NULL)
		return NULL;
	a = (size_t)(at - text);
	b = strlen(to);
	c = strlen(at + strlen(from));
	s = xmalloc(a + b + c + 1);
	memcpy(s, text, a);
	memcpy(s + a, to, b);
	memcpy(s + a + b, at + strlen(from), c + 1);
	return s;
}

/* Every kind of rejection of the profile reader, both ways. */
static void
test_rejections(void **state)
{
	static const char *const edits[][2] = {
		{ "\"schema\":\"ccpu-profile/1\"", "\"schema\":\"ccpu-profile/9\"" },
		{ "\"schema\":\"ccpu-profile/1\",", "" },
		{ "\"schema\":\"ccpu-profile/1\"", "\"schema\":7" },
		{ "\"hostname\":", "\"hostname\":1,\"x\":" },
		{ "\"arch\":\"x86_64\"", "\"arch\":\"sparc\"" },
		{ "\"captured\":\"", "\"captured\":\"yesterday" },
		{ "\"kind\":\"", "\"kind\":\"nonsense" },
		{ "\"file\":\"", "\"file\":\"a/b" },
		{ "\"host\":{", "\"host\":[],\"h\":{" },
		{ "\"vendor\":\"", "\"vendor\":\"0123456789abcdef" },
		{ "\"hybrid\":", "\"hybrid\":0,\"y\":" },
		{ "\"family\":", "\"family\":-1,\"f\":" },
		{ "\"family\":", "\"family\":99999999999,\"f\":" },
		{ "\"logical_cpus\":", "\"logical_cpus\":true,\"l\":" },
		{ "\"xcr0\":\"0x", "\"xcr0\":\"0y" },
		{ "\"xcr0_source\":\"", "\"xcr0_source\":\"z" },
		{ "\"missing\":[]", "\"missing\":[\"nothing\"]" },
		{ "\"missing\":[]", "\"missing\":[1]" },
		{ "\"leaves\":[[", "\"leaves\":[[\"0x1\"],[" },
		{ "[\"0x00000000\",\"0x0\",", "[\"0x00000000\",\"0xq\"," },
		{ "[\"0x00000000\",\"0x0\",", "[\"0x00000000\",\"0x0\",7," },
		{ "[\"0x00000000\",\"0x0\",", "[\"0x00000001\",\"0x0\"," },
		{ "\"core_types\":[", "\"core_types\":[],\"c\":[" },
		{ "\"type\":\"\"", "\"type\":\"huge\"" },
		{ "\"cpu\":{", "\"cpu\":null,\"d\":{" },
	};
	char	**t, *s;
	size_t	  n, i, k;

	(void)state;
	t = fixture_texts(&n);
	for (i = 0; i < n; i++)
		for (k = 0; k < nitems(edits); k++) {
			if ((s = edit(t[i], edits[k][0], edits[k][1])) == NULL)
				continue;
			both_ways(s, strlen(s));
			free(s);
		}
	free_texts(t, n);
}

/* Seeded random byte edits of real profiles: the contract holds on each. */
static void
test_random_mutations(void **state)
{
	static const char	alphabet[] = "{}[]\",:0x19afAF-. \\\ntruefalsenul\x01\xc3";
	uint64_t		x = 0x9e3779b97f4a7c15ull;
	char			**t, *s;
	size_t			n, i, len, r, k;

	(void)state;
	t = fixture_texts(&n);
	for (r = 0; r < 20000; r++) {
		const char *base = t[r % n];

		len = strlen(base);
		s = xmalloc(len + 1);
		memcpy(s, base, len + 1);
		for (k = 0; k < 1 + r % 3; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			i = (size_t)(x % len);
			s[i] = alphabet[(x >> 32) % (sizeof(alphabet) - 1)];
		}
		(void)differential(s, len);
		both_ways(s, len);
		free(s);
	}
	free_texts(t, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_documents),
		cmocka_unit_test(test_declines),
		cmocka_unit_test(test_fixture_profiles),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_random_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
