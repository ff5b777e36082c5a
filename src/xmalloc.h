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
/* realloc of n elements of size bytes; aborts when n * size overflows. */
void	*xreallocarray(void *, size_t n, size_t size);
char	*xstrdup(const char *);
/* A new string, formatted as printf would. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#endif
