/*
 * The JVM feature model: for each CRaC bit layout (X17 ... X27, see
 * docs/layouts.md and ../shared reference section 2) which HotSpot feature
 * bits a CPU yields, how they are numbered in -XX:CPUFeatures values and
 * image bitmaps, and the names HotSpot prints.  Facts live in data/*.def.
 *
 * A JVM value is a struct ccpu_featset whose member n is bit n of the value:
 * word 0 is bits 0-63 (HotSpot features), word 1 bits 64-127 (the glibc word
 * in X17/X21/XM, the bitmap's second word from X25 on).
 */
#ifndef CCPU_JVM_H
#define CCPU_JVM_H

#include <stdbool.h>
#include <stddef.h>

#include "ccpu/cpuid.h"
#include "ccpu/error.h"
#include "ccpu/featset.h"
#include "ccpu/profile.h"

enum ccpu_layout_id {
	CCPU_LAYOUT_X17,
	CCPU_LAYOUT_X21,
	CCPU_LAYOUT_XM,
	CCPU_LAYOUT_X25,
	CCPU_LAYOUT_X26A,
	CCPU_LAYOUT_X26B,
	CCPU_LAYOUT_X27,
	CCPU_LAYOUT_COUNT
};

#define CCPU_JVM_WORDS		2	/* words in an x86-64 value */
#define CCPU_VALUE_MAX		64	/* "0x%016llx,0x%016llx" and NUL, with room */
#define CCPU_BITMAP_HEX		(CCPU_JVM_WORDS * 16)	/* hex digits of an image bitmap */

struct ccpu_layout;	/* static tables; never freed */

const struct ccpu_layout *ccpu_layout_by_id(enum ccpu_layout_id);
/*
 * A layout id ("x17" ... "x27") or a JDK/build name ("17", "21", "25",
 * "zulu17", ...).  NULL with CCPU_EUSAGE and a message that lists the known
 * names when it is none of them.
 */
const struct ccpu_layout *ccpu_layout_lookup(const char *name, struct ccpu_error *);
/* The default layout when the user names none (documented in docs/layouts.md). */
const struct ccpu_layout *ccpu_layout_default(void);
/*
 * From a java.version string (image tags label, `release` JAVA_VERSION):
 * NULL with CCPU_EINPUT and the reason when the version does not decide.
 */
const struct ccpu_layout *ccpu_layout_from_java_version(const char *version,
	    struct ccpu_error *);
enum ccpu_layout_id ccpu_layout_id(const struct ccpu_layout *);
const char *ccpu_layout_name(const struct ccpu_layout *);	/* "x17" */
/* HotSpot's printed name of bit n, or NULL when bit n means nothing here. */
const char *ccpu_layout_bit_name(const struct ccpu_layout *, unsigned int bit);
/* The bit with that name, or -1.  Glibc-word names may also be written "glibc.NAME". */
int	ccpu_layout_bit(const struct ccpu_layout *, const char *name);
/* All bits that have a meaning in this layout. */
const struct ccpu_featset *ccpu_layout_valid(const struct ccpu_layout *);
/* -XX:CPUFeatures=generic in this layout. */
const struct ccpu_featset *ccpu_layout_generic(const struct ccpu_layout *);
/* Bits a value must contain for the JVM to accept it (sse2, clflush, ...). */
const struct ccpu_featset *ccpu_layout_mandatory(const struct ccpu_layout *);
/* Bits masked out of "missing" when comparing (ht). */
const struct ccpu_featset *ccpu_layout_ignored(const struct ccpu_layout *);

struct ccpu_jvm_features {
	struct ccpu_featset	raw;	/* "This machine's CPU features are": the value a user may pass */
	struct ccpu_featset	used;	/* after HotSpot's default post-processing: what an image records */
	struct ccpu_featset	unknown;	/* bits whose CPUID inputs the source lacks */
	struct ccpu_featset	inferred;	/* bits that rest on an inferred input (XCR0 from leaf 0xD) */
};

/* Derive the features of one core type.  Returns 0 or -1 (not an x86-64 CPU, ...). */
int	ccpu_jvm_derive(const struct ccpu_layout *, const struct ccpu_cpu *,
	    struct ccpu_jvm_features *, struct ccpu_error *);
/*
 * Derive for a whole host: each core type, then the intersection (a JVM may
 * start on any of them).  Returns 0 or -1.
 */
int	ccpu_jvm_derive_host(const struct ccpu_layout *, const struct ccpu_profile *,
	    struct ccpu_jvm_features *, struct ccpu_error *);

/* "0x4ff7fff9dfcfbf7,0x3e6": words as the JVM prints them. */
void	ccpu_jvm_format_value(const struct ccpu_layout *, const struct ccpu_featset *,
	    char *buf, size_t size);
/*
 * Parse a value: exactly CCPU_JVM_WORDS comma-separated numbers, each as
 * strtoull base 0 accepts it; words without "0x" that contain hex letters
 * are read as hex (Zulu prints them so).  Bits with no meaning in the layout
 * are an error.  *out written only on success.
 */
int	ccpu_jvm_parse_value(const struct ccpu_layout *, const char *s,
	    struct ccpu_featset *out, struct ccpu_error *);
/* Image bitmap form: each byte as two lowercase hex digits in memory order. */
void	ccpu_jvm_format_bitmap(const struct ccpu_featset *, char *buf, size_t size);
int	ccpu_jvm_parse_bitmap(const char *hex, size_t len, struct ccpu_featset *out,
	    struct ccpu_error *);
/* Names of the members, HotSpot word first in bit order, joined with ", ". */
void	ccpu_jvm_format_names(const struct ccpu_layout *, const struct ccpu_featset *,
	    char *buf, size_t size);

#endif
