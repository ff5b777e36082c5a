/*
 * A growing text buffer for renderers (git's strbuf, reduced).
 */
#ifndef CCPU_STRBUF_H
#define CCPU_STRBUF_H

#include <stddef.h>

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 alloc;
};

#define STRBUF_INIT	{ NULL, 0, 0 }

void	strbuf_addf(struct strbuf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	strbuf_add(struct strbuf *, const char *s, size_t n);
void	strbuf_adds(struct strbuf *, const char *s);
/* The text (never NULL; "" when empty); ownership passes to the caller. */
char	*strbuf_detach(struct strbuf *);
void	strbuf_release(struct strbuf *);

#endif
