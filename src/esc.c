/*
 * Escaping of untrusted strings for terminals, CSV and error messages: one
 * decoder of UTF-8 that copies what is printable and writes the rest as an
 * escape (esc.h says which).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "esc.h"

/*
 * The length of the well-formed UTF-8 sequence at s (at most n bytes) and
 * its code point; 0 when it is not one (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
static size_t
utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t		len, i;
	uint32_t	c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2, c = s[0] & 0x1fu, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3, c = s[0] & 0x0fu, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4, c = s[0] & 0x07u, min = 0x10000;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static int
control(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	    c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

/*
 * The next character of s (n > 0 bytes) as it is written out, into out
 * (at least 12 bytes); returns the input bytes it took and sets *outlen.
 */
static size_t
next(const unsigned char *s, size_t n, char *out, size_t *outlen)
{
	uint32_t	c;
	size_t		len = utf8(s, n, &c);

	if (len == 0) {
		*outlen = (size_t)snprintf(out, 12, "\\x%02x", s[0]);
		return 1;
	}
	if (!control(c)) {
		memcpy(out, s, len);
		*outlen = len;
		return len;
	}
	switch (c) {
	case '\t':	*outlen = 2, memcpy(out, "\\t", 2); break;
	case '\n':	*outlen = 2, memcpy(out, "\\n", 2); break;
	case '\r':	*outlen = 2, memcpy(out, "\\r", 2); break;
	default:
		*outlen = (size_t)snprintf(out, 12, c < 0x80 ? "\\x%02x" :
		    "\\u{%04x}", (unsigned int)c);
		break;
	}
	return len;
}

void
esc_add(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 out[12];
	size_t			 i = 0, start, outlen;

	while (i < n) {
		/* Runs of printable ASCII are copied in one go. */
		for (start = i; i < n && p[i] >= 0x20 && p[i] < 0x7f; i++)
			continue;
		if (i > start)
			strbuf_add(sb, s + start, i - start);
		if (i < n) {
			i += next(p + i, n - i, out, &outlen);
			strbuf_add(sb, out, outlen);
		}
	}
	if (sb->buf == NULL)
		strbuf_add(sb, "", 0);
}

void
esc_adds(struct strbuf *sb, const char *s)
{
	esc_add(sb, s, strlen(s));
}

/* Escape at most n bytes of s into buf; returns the input bytes taken. */
static size_t
esc_into(char *buf, size_t size, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 out[12];
	size_t			 i = 0, len = 0, took, outlen;

	while (i < n) {
		took = next(p + i, n - i, out, &outlen);
		if (len + outlen >= size)
			break;
		memcpy(buf + len, out, outlen);
		len += outlen;
		i += took;
	}
	buf[len] = '\0';
	return i;
}

const char *
esc_str(char *buf, size_t size, const char *s)
{
	esc_into(buf, size, s, strlen(s));
	return buf;
}

const char *
esc_excerpt(char *buf, size_t size, const char *s, size_t n, size_t max)
{
	size_t	took;

	if (size < 4) {
		buf[0] = '\0';
		return buf;
	}
	took = esc_into(buf, size - 3, s, n < max ? n : max);
	if (took < n)
		memcpy(buf + strlen(buf), "...", 4);
	return buf;
}

void
esc_csv(struct strbuf *sb, const char *s)
{
	struct strbuf	 t = STRBUF_INIT;
	const char	*p;
	size_t		 n;
	int		 formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

	esc_adds(&t, s);
	n = t.len;
	if (!formula && strpbrk(t.buf, ",\"") == NULL &&
	    (n == 0 || (t.buf[0] != ' ' && t.buf[n - 1] != ' '))) {
		strbuf_add(sb, t.buf, n);
		strbuf_release(&t);
		return;
	}
	strbuf_adds(sb, formula ? "\"'" : "\"");
	for (p = t.buf; *p != '\0'; p++) {
		if (*p == '"')
			strbuf_adds(sb, "\"\"");
		else
			strbuf_add(sb, p, 1);
	}
	strbuf_adds(sb, "\"");
	strbuf_release(&t);
}
