/*
 * What every cmocka test binary includes: cmocka's required headers in order.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#endif
