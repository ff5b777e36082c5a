/*
 * Allocation that cannot fail: out of memory prints one line and aborts, in
 * one place, instead of a return code at every call site (git, jq, tmux).
 */
#ifndef CCPU_XMALLOC_H
#define CCPU_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#endif
