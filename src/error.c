/*
 * The error funnel: formats one line of context into a caller-owned struct.
 * Messages name files and quote input, and end up on a terminal, so the
 * line is escaped here (esc.h), once for every message.
 */
#include <stdio.h>
#include <string.h>

#include "ccpu/error.h"
#include "esc.h"

int
ccpu_error_vset(struct ccpu_error *err, enum ccpu_status status,
    const char *fmt, va_list ap)
{
	char	buf[sizeof(err->msg)];

	if (err == NULL)
		return -1;
	err->status = status;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	esc_str(err->msg, sizeof(err->msg), buf);
	return -1;
}

int
ccpu_error_set(struct ccpu_error *err, enum ccpu_status status,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	ccpu_error_vset(err, status, fmt, ap);
	va_end(ap);
	return -1;
}

void
ccpu_error_prefix(struct ccpu_error *err, const char *fmt, ...)
{
	char	buf[sizeof(err->msg)];
	size_t	n;
	va_list	ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	if (n + 2 < sizeof(buf)) {
		memcpy(buf + n, ": ", 3);
		n += 2;
		memcpy(buf + n, err->msg, sizeof(buf) - n - 1);
		buf[sizeof(buf) - 1] = '\0';
	}
	esc_str(err->msg, sizeof(err->msg), buf);
}
