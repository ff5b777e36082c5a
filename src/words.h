/*
 * The one reader of space-separated word lists in the tables (layout name
 * lists, glibc prerequisites, the JDK names of a layout).
 */
#ifndef CCPU_WORDS_H
#define CCPU_WORDS_H

#include <string.h>

/*
 * The next word of *p: its start, its length in *len, and *p moved past
 * it; NULL when only spaces are left.
 */
static inline const char *
next_word(const char **p, size_t *len)
{
	const char	*s = *p + strspn(*p, " ");

	if (*s == '\0')
		return NULL;
	*len = strcspn(s, " ");
	*p = s + *len;
	return s;
}

#endif
