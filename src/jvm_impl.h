/*
 * Private to the JVM model (jvm.c, derive.c, jvm_msg.c, level.c and the
 * table tests): the feature catalogue, the derivation lines and the full
 * struct ccpu_layout.  Everything here is expanded from the data/ tables.
 */
#ifndef CCPU_JVM_IMPL_H
#define CCPU_JVM_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ccpu/featset.h"
#include "ccpu/jvm.h"

/* Every feature any layout can name (data/hotspot-features.def). */
enum jvm_feature {
#define F(id, name, kind, desc)	F_##id,
#include "hotspot-features.def"
#undef F
	F_COUNT
};

enum jvm_kind { KIND_HS, KIND_GLIBC };

/* The kind of each feature as a constant expression, for static tables. */
enum {
#define F(id, name, kind, desc)	FK_##id = KIND_##kind,
#include "hotspot-features.def"
#undef F
};

struct jvm_feature_info {
	const char	*name;
	enum jvm_kind	 kind;
	const char	*desc;
};
extern const struct jvm_feature_info jvm_features[F_COUNT];

/*
 * Derivation lines: one per distinct VM_Version source that computes a
 * layout, in the order of data/layouts.def.  X17 has two: builds with the
 * pre-JDK-8280867 ExtCpuid1Ecx bit-field (openjdk/crac's early 17 tree,
 * A17h) and every 17 from 17.0.4.  L17A, L17, ... are their masks.
 */
enum jvm_line {
#define L(line, ...)	LINE_##line,
#define U(...)
#include "layouts.def"
#undef U
#undef L
	LINE_COUNT
};
enum jvm_line_mask {
#define L(line, ...)	L##line = 1u << LINE_##line,
#define U(...)
#include "layouts.def"
#undef U
#undef L
};
#define ALL_LINES	((1u << LINE_COUNT) - 1)
/*
 * Ranges of lines, computed from the order of enum jvm_line: a line added
 * at its place in the order falls on the right side of every range in the
 * tables (FROM(25) takes it when it comes after LINE_25, UPTO(26B) when it
 * comes before LINE_27).
 */
#define FROM(x)		(ALL_LINES & ~((1u << LINE_##x) - 1))
#define UPTO(x)		((1u << (LINE_##x + 1)) - 1)

struct jvm_bit {
	unsigned int		bit;
	enum jvm_feature	feature;
	const char		*name;
};

/* Flags of a data/layouts.def row. */
#define CANON	0x1u	/* the row CCPU_LAYOUT_<id> means */
#define DEFAULT	0x2u	/* the layout when nothing names one */

struct ccpu_layout {
	enum ccpu_layout_id	 id;
	const char		*name;		/* "x17", "x17-early" */
	enum jvm_line		 line;
	unsigned int		 flags;		/* CANON, DEFAULT */
	const char		*summary;
	bool			 glibc_word;	/* word 1 is the separate glibc word */
	const char		*generic_names, *mandatory_names, *cleared_names;
	const char		*java_from, *java_upto;	/* "" is open */
	const struct jvm_bit	*bits;		/* sorted by bit */
	size_t			 nbits;
	const unsigned char	*featbit;	/* [F_COUNT]: bit + 1, 0 = none */
	const struct ccpu_featset *valid;
	const struct ccpu_featset *glibc;	/* bits of glibc-only features */
	/* Computed from the names, once (jvm.c: layout_sets). */
	const struct ccpu_featset *generic;
	const struct ccpu_featset *mandatory;
	const struct ccpu_featset *ignored;
	const struct ccpu_featset *record_cleared;	/* not in what an image records */
};

extern const struct ccpu_layout jvm_layouts[];
extern const size_t jvm_nlayouts;

/* The bit of feature f in layout l, or -1. */
int	jvm_feature_bit(const struct ccpu_layout *, enum jvm_feature);
/* The feature at bit n of layout l, or -1. */
int	jvm_bit_feature(const struct ccpu_layout *, unsigned int);
/* A feature by printed name and kind, or -1. */
int	jvm_feature_by_name(const char *, enum jvm_kind);
const char *jvm_line_name(enum jvm_line);

#endif
