/*
 * The escaping of untrusted strings (src/esc.c): one row per kind of
 * character, for text, for CSV cells, for bounded excerpts, and through the
 * error funnel, which escapes every library message.
 */
#include <stdio.h>

#include "testutil.h"

#include "ccpu/error.h"
#include "esc.h"

static const struct text_row {
	const char	*name;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*want;
} text_rows[] = {
	{ "plain_ascii_copied", "host-01.example", 0, "host-01.example" },
	{ "backslash_copied", "a\\x1b", 0, "a\\x1b" },
	{ "ansi_escape", "\x1b[31mred\x1b[0m", 0, "\\x1b[31mred\\x1b[0m" },
	{ "tab_newline_cr", "a\tb\nc\rd", 0, "a\\tb\\nc\\rd" },
	{ "bell_and_del", "\a\x7f", 0, "\\x07\\x7f" },
	{ "nul_inside", "a\0b", 3, "a\\x00b" },
	{ "utf8_kept", "h\xc3\xb6st \xe2\x82\xac \xf0\x9f\x98\x80", 0,
	    "h\xc3\xb6st \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "c1_csi_encoded", "\xc2\x9b" "2J", 0, "\\u{009b}2J" },
	{ "raw_c1_byte", "\x9b" "2J", 0, "\\x9b2J" },
	{ "bidi_override", "abc\xe2\x80\xae" "fed", 0, "abc\\u{202e}fed" },
	{ "bidi_isolate", "\xe2\x81\xa6x", 0, "\\u{2066}x" },
	{ "overlong_slash", "\xc0\xaf", 0, "\\xc0\\xaf" },
	{ "surrogate", "\xed\xa0\x80", 0, "\\xed\\xa0\\x80" },
	{ "cut_sequence", "a\xe2\x82", 0, "a\\xe2\\x82" },
	{ "above_max", "\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80" },
	{ "empty", "", 0, "" },
};

static const struct csv_row {
	const char	*name;
	const char	*in;
	const char	*want;
} csv_rows[] = {
	{ "plain", "host-01", "host-01" },
	{ "inner_minus_plain", "a-b", "a-b" },
	{ "equals_formula", "=HYPERLINK(\"http://x\",\"y\")",
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
	{ "plus_formula", "+1+2", "\"'+1+2\"" },
	{ "minus_formula", "-2+3", "\"'-2+3\"" },
	{ "at_formula", "@SUM(A1)", "\"'@SUM(A1)\"" },
	{ "tab_formula", "\t=1", "\"'\\t=1\"" },
	{ "cr_formula", "\r=1", "\"'\\r=1\"" },
	{ "comma_quoted", "a,b", "\"a,b\"" },
	{ "quote_doubled", "a\"b", "\"a\"\"b\"" },
	{ "newline_escaped", "a\nb", "a\\nb" },
	{ "edge_space_quoted", " a", "\" a\"" },
	{ "ansi_escaped", "\x1b[2J", "\\x1b[2J" },
	{ "empty", "", "" },
};

static void
test_text(void **state)
{
	const struct text_row	*row = *state;
	struct strbuf		 sb = STRBUF_INIT, twice = STRBUF_INIT;
	size_t			 n = row->len ? row->len : strlen(row->in);

	esc_add(&sb, row->in, n);
	assert_string_equal(sb.buf, row->want);
	/* Escaping an escaped string changes nothing. */
	esc_adds(&twice, sb.buf);
	assert_string_equal(twice.buf, sb.buf);
	strbuf_release(&sb);
	strbuf_release(&twice);
}

static void
test_csv(void **state)
{
	const struct csv_row	*row = *state;
	struct strbuf		 sb = STRBUF_INIT;

	esc_csv(&sb, row->in);
	assert_string_equal(sb.buf != NULL ? sb.buf : "", row->want);
	strbuf_release(&sb);
}

/* An excerpt quotes at most max bytes, whatever the input's size. */
static void
test_excerpt_bounded(void **state)
{
	static char	 big[100000];
	char		 buf[ESC_EXCERPT_SIZE], want[ESC_EXCERPT + 4];

	(void)state;
	memset(big, 'z', sizeof(big));
	memset(want, 'z', ESC_EXCERPT);
	memcpy(want + ESC_EXCERPT, "...", 4);
	assert_string_equal(esc_excerpt(buf, sizeof(buf), big, sizeof(big),
	    ESC_EXCERPT), want);
	assert_string_equal(esc_excerpt(buf, sizeof(buf), "short", 5,
	    ESC_EXCERPT), "short");
	/* Exactly max bytes: all of it, no "...". */
	want[ESC_EXCERPT] = '\0';
	assert_string_equal(esc_excerpt(buf, sizeof(buf), big, ESC_EXCERPT,
	    ESC_EXCERPT), want);
}

/* The worst case, every byte escaped, fits ESC_EXCERPT_SIZE. */
static void
test_excerpt_worst_case_fits(void **state)
{
	char	big[3 * ESC_EXCERPT], buf[ESC_EXCERPT_SIZE];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)0xff;
	esc_excerpt(buf, sizeof(buf), big, sizeof(big), ESC_EXCERPT);
	assert_int_equal(strlen(buf), 4 * ESC_EXCERPT + 3);
	assert_string_equal(buf + 4 * ESC_EXCERPT, "...");
	for (i = 0; i < sizeof(big) / 3; i++)
		memcpy(big + 3 * i, "\xe2\x80\xae", 3);	/* 8 out per 3 in */
	esc_excerpt(buf, sizeof(buf), big, sizeof(big), ESC_EXCERPT);
	assert_string_equal(buf + strlen(buf) - 3, "...");
}

/* esc_str cuts at a whole escape, never inside one. */
static void
test_str_cut_whole(void **state)
{
	char	buf[7];

	(void)state;
	/* "ab\x1b" needs 7 bytes with its NUL; "abc\x1b" would need 8. */
	assert_string_equal(esc_str(buf, sizeof(buf), "ab\x1b[x"), "ab\\x1b");
	assert_string_equal(esc_str(buf, sizeof(buf), "abc\x1b[x"), "abc");
	assert_string_equal(esc_str(buf, sizeof(buf), "abcdefgh"), "abcdef");
}

/* Every library message is escaped where it is made. */
static void
test_error_funnel(void **state)
{
	struct ccpu_error	e;

	(void)state;
	ccpu_error_set(&e, CCPU_EINPUT, "'%s': bad", "evil\x1b]0;title\a");
	assert_string_equal(e.msg, "'evil\\x1b]0;title\\x07': bad");
	ccpu_error_prefix(&e, "%s", "dir\n");
	assert_string_equal(e.msg, "dir\\n: 'evil\\x1b]0;title\\x07': bad");
}

int
main(void)
{
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_excerpt_bounded),
		cmocka_unit_test(test_excerpt_worst_case_fits),
		cmocka_unit_test(test_str_cut_whole),
		cmocka_unit_test(test_error_funnel),
	};
	struct CMUnitTest	t[nitems(text_rows) + nitems(csv_rows)];
	size_t			i, n = 0;
	int			failed = 0;

	for (i = 0; i < nitems(text_rows); i++)
		t[n++] = (struct CMUnitTest){ .name = text_rows[i].name,
		    .test_func = test_text,
		    .initial_state = (void *)&text_rows[i] };
	failed += _cmocka_run_group_tests("esc_text", t, n, NULL, NULL);
	for (n = 0, i = 0; i < nitems(csv_rows); i++)
		t[n++] = (struct CMUnitTest){ .name = csv_rows[i].name,
		    .test_func = test_csv,
		    .initial_state = (void *)&csv_rows[i] };
	failed += _cmocka_run_group_tests("esc_csv", t, n, NULL, NULL);
	failed += cmocka_run_group_tests_name("esc_limits", fixed, NULL, NULL);
	return failed;
}
