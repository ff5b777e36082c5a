/*
 * Errors as values.  Every fallible libccpu call takes a caller-owned
 * struct ccpu_error and returns 0 or -1; on -1 the struct holds a status and
 * one lowercase line of context ("hosts.json: line 3: unknown feature 'avx9'").
 * err may be NULL in every call that takes one: the details are dropped and
 * only the failing return value remains.  The library keeps no error state of its own.  There
 * is no status for running out of memory: libccpu's own allocations abort
 * the program instead, as git's and jq's do.
 */
#ifndef CCPU_ERROR_H
#define CCPU_ERROR_H

#include <stdarg.h>

enum ccpu_status {
	CCPU_OK = 0,
	CCPU_EINPUT,		/* malformed, corrupt or unsupported input */
	CCPU_ESYS,		/* a system call failed (I/O, CPU affinity); msg has strerror */
	CCPU_EUSAGE,		/* a caller asked for something that does not exist */
};

struct ccpu_error {
	enum ccpu_status	 status;
	char			 msg[512];
};

/*
 * Fill err (may be NULL) with status and the formatted message, control
 * characters escaped, and return -1: `return ccpu_error_set(...)`.
 */
int	ccpu_error_set(struct ccpu_error *err, enum ccpu_status status,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* ccpu_error_set with a va_list. */
int	ccpu_error_vset(struct ccpu_error *err, enum ccpu_status status,
	    const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
/*
 * Put "prefix: " in front of err's message (for adding a file name); the
 * status stays.  A no-op when err is NULL.
 */
void	ccpu_error_prefix(struct ccpu_error *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
