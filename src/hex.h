/*
 * The one hex digit reader of the cursor parsers (dump, image, jvm): the
 * value of c, 0 to 15, for 0-9, a-f and A-F; -1 for anything else.  A
 * format that wants lowercase only says so before asking.
 */
#ifndef CCPU_HEX_H
#define CCPU_HEX_H

static inline int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
