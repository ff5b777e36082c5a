/*
 * Untrusted strings on their way out.  Every string that came from input
 * (host names, vendor and brand strings, file names, excerpts of bad input)
 * passes through here before it reaches a terminal, a CSV cell or an error
 * message, so that no control character (an ANSI escape, a carriage return
 * that overwrites a line, a bidirectional override) gets there raw.
 * Private to libccpu and its CLI.
 *
 * The escaping: bytes 0x00-0x1f and 0x7f as \xHH (\t, \n and \r as such),
 * bytes that are not well-formed UTF-8 as \xHH, the C1 controls U+0080 to
 * U+009F and the bidirectional controls (U+200E, U+200F, U+202A to U+202E,
 * U+2066 to U+2069) as \u{HHHH}.  Everything else, backslash included, is
 * copied, so escaping twice changes nothing.
 */
#ifndef CCPU_ESC_H
#define CCPU_ESC_H

#include <stddef.h>

#include "strbuf.h"

#define ESC_EXCERPT	64	/* input bytes an error message quotes */
/* Room for an excerpt: at most 4 bytes out per byte in, and "...". */
#define ESC_EXCERPT_SIZE	(ESC_EXCERPT * 4 + 4)

/* Append n bytes of s, escaped. */
void	esc_add(struct strbuf *, const char *s, size_t n);
/* Append the string s, escaped. */
void	esc_adds(struct strbuf *, const char *s);
/*
 * s escaped into buf (size > 0), cut at a whole character or escape when it
 * does not fit; returns buf.
 */
const char *esc_str(char *buf, size_t size, const char *s);
/*
 * At most max bytes of the n bytes at s, escaped, with "..." when there
 * were more, into buf; returns buf.  size 4 * max + 4 always holds it
 * (ESC_EXCERPT_SIZE for ESC_EXCERPT).
 */
const char *esc_excerpt(char *buf, size_t size, const char *s, size_t n,
	    size_t max);
/*
 * One CSV field (RFC 4180), escaped: quoted when it holds a comma, a quote
 * or a space at either end; a field that starts with =, +, -, @, tab or
 * carriage return is a formula to a spreadsheet, so it gets a leading '
 * inside quotes (OWASP, CSV injection).
 */
void	esc_csv(struct strbuf *, const char *s);

#endif
