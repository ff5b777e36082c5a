/*
 * The JVM feature model: for each CRaC bit layout (X17 ... X27, see
 * docs/layouts.md, which cites the upstream headers by commit) which
 * HotSpot feature bits a CPU yields, how they are numbered in
 * -XX:CPUFeatures values and image bitmaps, and the names HotSpot prints.
 * Facts live in the data/ tables.
 *
 * A JVM value is a struct ccpu_featset whose member n is bit n of the value:
 * word 0 is bits 0-63 (HotSpot features), word 1 bits 64-127 (the glibc word
 * in X17/X21/XM, the bitmap's second word from X25 on).
 */
#ifndef CCPU_JVM_H
#define CCPU_JVM_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

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

/*
 * A layout is static data: every const struct ccpu_layout * and every
 * string or set the ccpu_layout_* accessors return lives as long as the
 * program and is never freed.
 */
struct ccpu_layout;

/* The layout of an id; NULL for an id out of range. */
const struct ccpu_layout *ccpu_layout_by_id(enum ccpu_layout_id);
/*
 * A layout id ("x17" ... "x27") or a JDK/build name ("17", "21", "25",
 * "zulu17", ...).  NULL with CCPU_EUSAGE and a message that lists the known
 * names when it is none of them.
 */
const struct ccpu_layout *ccpu_layout_lookup(const char *name, struct ccpu_error *);
/* The default layout when the user names none (docs/layouts.md); never NULL. */
const struct ccpu_layout *ccpu_layout_default(void);
/*
 * From a java.version string (image tags label, `release` JAVA_VERSION):
 * NULL with CCPU_EINPUT and the reason when the version does not decide.
 */
const struct ccpu_layout *ccpu_layout_from_java_version(const char *version,
	    struct ccpu_error *);
/* The id of a layout (x17-early's is CCPU_LAYOUT_X17). */
enum ccpu_layout_id ccpu_layout_id(const struct ccpu_layout *);
const char *ccpu_layout_name(const struct ccpu_layout *);	/* "x17" */
/* HotSpot's printed name of bit n, or NULL when bit n means nothing here. */
const char *ccpu_layout_bit_name(const struct ccpu_layout *, unsigned int bit);
/*
 * Add the bits of a space-separated list of names (as ccpu_layout_bit reads
 * each) to fs; returns how many names l has no bit for.
 */
size_t	ccpu_layout_names(const struct ccpu_layout *, const char *names,
	    struct ccpu_featset *fs);
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
/*
 * Bits a JVM of this layout leaves out of what an image records and of the
 * values it suggests (x26a on: ht, aot_code_cache_features()); empty
 * before.
 */
const struct ccpu_featset *ccpu_layout_record_cleared(const struct ccpu_layout *);

struct ccpu_jvm_features {
	struct ccpu_featset	raw;	/* "This machine's CPU features are": the value a user may pass */
	struct ccpu_featset	used;	/* after HotSpot's default post-processing: HotSpot's _features */
	struct ccpu_featset	recorded;	/* what an image records: used without ccpu_layout_record_cleared */
	struct ccpu_featset	unknown;	/* bits whose CPUID inputs the source lacks */
	struct ccpu_featset	inferred;	/* bits that rest on an inferred input (XCR0 from leaf 0xD) */
	int			use_avx;	/* HotSpot's default UseAVX (0-3); the lowest over core types */
	int			use_sse;	/* HotSpot's default UseSSE limit (2-4), as above */
};

/*
 * Every layout in the order the lines appeared (data/layouts.def): x17-early,
 * x17, x21, xm, x25, x26a, x26b, x27.
 * NULL past the end.  "x17-early" has the bit layout of x17 (its id is
 * CCPU_LAYOUT_X17) but derives bits as openjdk/crac's JDK 17 tree did before
 * JDK-8280867 (AMD leaf 0x80000001 ECX read one bit off).
 */
const struct ccpu_layout *ccpu_layout_at(size_t i);
const char *ccpu_layout_summary(const struct ccpu_layout *);	/* one line */
/* The date of the newest change to the layout tables, "YYYY-MM-DD" (static). */
const char *ccpu_layouts_date(void);
/* True when word 1 is the separate glibc word (x17, x21, xm). */
bool	ccpu_layout_glibc_word(const struct ccpu_layout *);
/* Bits of glibc-only features (the glibc word, or bits 65+). */
const struct ccpu_featset *ccpu_layout_glibc(const struct ccpu_layout *);
/*
 * The bits HotSpot names in its -Xlog:os+cpu feature list: word 0 in the
 * two-word layouts (the glibc word is never printed there), every valid
 * bit from x25 on (glibc-only features are part of the one bitmap).
 */
void	ccpu_layout_printed(const struct ccpu_layout *, struct ccpu_featset *out);

/* JDK and build names accepted by ccpu_layout_lookup (data/jdk-builds.def). */
struct ccpu_jdk_build {
	const char	*name;		/* "17", "zulu17", ... */
	const char	*layout;	/* "x17" */
	const char	*caveat;	/* NULL, or why another layout is possible */
	const char	*evidence;
};
const struct ccpu_jdk_build *ccpu_jdk_build_at(size_t i);	/* NULL past the end */
/* The caveat of a --jdk name, or NULL (also for layout names). */
const char *ccpu_jdk_caveat(const char *name);
/* The facts of a JDK's `release` file that tell its build ("" when absent). */
struct ccpu_jdk_release {
	char	java_version[64];	/* JAVA_VERSION: "25.0.1" */
	char	runtime_version[96];	/* JAVA_RUNTIME_VERSION: "25.0.1+8-LTS" */
	char	implementor[96];	/* IMPLEMENTOR: "Azul Systems, Inc." */
	char	implementor_version[96];	/* IMPLEMENTOR_VERSION: "Zulu25.30+17-CA" */
};
/* Read those keys from the text of a release file (len bytes). */
void	ccpu_jdk_release_parse(const char *text, size_t len,
	    struct ccpu_jdk_release *);
/*
 * The layout a JDK build uses: a vendor row of data/jdk-releases.def
 * (IMPLEMENTOR and feature version; *evidence, which may be NULL, gets the
 * row's evidence), else ccpu_layout_from_java_version.  NULL with
 * CCPU_EINPUT when the release does not decide.
 */
const struct ccpu_layout *ccpu_layout_from_jdk_release(const struct ccpu_jdk_release *,
	    const char **evidence, struct ccpu_error *);
/*
 * The same from the text of a release file (len bytes).  NULL with
 * CCPU_EINPUT when there is no JAVA_VERSION line or the release does not
 * decide.
 */
const struct ccpu_layout *ccpu_layout_from_release(const char *text, size_t len,
	    struct ccpu_error *);

/*
 * Derive the features of one core type into *out.  Returns 0, or -1
 * (CCPU_EINPUT) when the registers are not those of an x86-64 CPU a JVM
 * starts on (no CPUID data, no SSE2, ...).
 */
int	ccpu_jvm_derive(const struct ccpu_layout *, const struct ccpu_cpu *,
	    struct ccpu_jvm_features *out, struct ccpu_error *);
/*
 * Derive for a whole host: each core type, then the intersection (a JVM may
 * start on any of them).  Returns 0, or -1 (CCPU_EINPUT) as ccpu_jvm_derive
 * or when the profile has no core type.
 */
int	ccpu_jvm_derive_host(const struct ccpu_layout *, const struct ccpu_profile *,
	    struct ccpu_jvm_features *out, struct ccpu_error *);

/*
 * The inputs p's record lacks (CCPU_MISS_*) that decide any of bits in
 * layout l: with them the bits would no longer be unknown.  0 when none.
 */
unsigned int ccpu_jvm_deciding_inputs(const struct ccpu_layout *,
	    const struct ccpu_profile *, const struct ccpu_featset *bits);

/*
 * Identify a JVM's layout from what it printed on this host: printed is
 * its raw value ("This machine's CPU features are: ..."), generic (may be
 * NULL) the value it uses under -XX:CPUFeatures=generic.  Every layout
 * derives host's raw value; a row matches when both agree up to the bits
 * a JVM may or may not show (ht) and those host's record cannot show.
 */
#define CCPU_IDENTIFY_MAX	16	/* rows: every entry of ccpu_layout_at */

struct ccpu_identify_row {
	const struct ccpu_layout	*layout;
	struct ccpu_featset		 derived;	/* the raw value this layout gives here */
	struct ccpu_featset		 extra;		/* printed, not derived */
	struct ccpu_featset		 lacking;	/* derived, not printed */
	bool				 raw_ok;
	bool				 generic_ok;	/* true when no generic was given */
};

struct ccpu_identify {
	size_t				 nrows;
	size_t				 nmatch;	/* rows with raw_ok and generic_ok */
	struct ccpu_identify_row	 rows[CCPU_IDENTIFY_MAX];
};

/* Returns 0 and fills *out, or -1 (CCPU_EINPUT) when host cannot be derived. */
int	ccpu_layout_identify(const struct ccpu_profile *host,
	    const struct ccpu_featset *printed, const struct ccpu_featset *generic,
	    struct ccpu_identify *out, struct ccpu_error *);

/*
 * Whether a JVM of layout l could have written v: never gets the bits of
 * v no derivation of l's line sets (tscinv, ibt/shstk from x25 on, ...),
 * why the features v holds without the base every derivation gives them
 * with ("avx2 without avx"; size bytes).  Returns the number of problems:
 * 0 when v is plausible for l.
 */
size_t	ccpu_jvm_implausible(const struct ccpu_layout *, const struct ccpu_featset *v,
	    struct ccpu_featset *never, char *why, size_t size);

/* "0x4ff7fff9dfcfbf7,0x3e6" in buf (size bytes; CCPU_VALUE_MAX holds it). */
void	ccpu_jvm_format_value(const struct ccpu_layout *, const struct ccpu_featset *,
	    char *buf, size_t size);
/*
 * Parse a value: exactly CCPU_JVM_WORDS comma-separated numbers, each as
 * strtoull base 0 accepts it; words without "0x" that contain hex letters
 * are read as hex (Zulu prints them so).  Bits with no meaning in the layout
 * are an error.  Returns 0 and fills *out, or -1 (CCPU_EINPUT).
 */
int	ccpu_jvm_parse_value(const struct ccpu_layout *, const char *s,
	    struct ccpu_featset *out, struct ccpu_error *);
/*
 * How ccpu_jvm_parse_words reads a word.  CCPU_PARSE_JVM: as above (strtoull
 * base 0, or all hex when no word has "0x" and one has a hex letter).
 * CCPU_PARSE_HEX: always hex, "0x" optional: numbers inside JVM messages
 * are printed in hex, with or without the prefix (Zulu 17, 2025).
 */
enum ccpu_parse_mode { CCPU_PARSE_JVM, CCPU_PARSE_HEX };
/*
 * Parse CCPU_JVM_WORDS comma-separated numbers (len bytes of s) without a
 * layout: any bit may be set.  Returns 0 and fills *out, or -1 (CCPU_EINPUT).
 */
int	ccpu_jvm_parse_words(const char *s, size_t len, enum ccpu_parse_mode,
	    struct ccpu_featset *out, struct ccpu_error *);
/*
 * True when s would read differently as decimal and as hex: no word has
 * "0x", none has a hex letter and one is 10 or more ("400,0" copied from a
 * Zulu message means 0x400, but -XX:CPUFeatures reads it as decimal).
 */
bool	ccpu_jvm_value_ambiguous(const char *s);
/*
 * Renumber in (a value in layout from) into layout to: each bit goes to
 * the bit of the same feature.  *out gets the result; *lost (may be NULL)
 * the bits of in, numbered as in from, that to cannot express.
 */
void	ccpu_jvm_translate(const struct ccpu_layout *from, const struct ccpu_featset *in,
	    const struct ccpu_layout *to, struct ccpu_featset *out, struct ccpu_featset *lost);

/*
 * Image bitmap form: each byte as two lowercase hex digits in memory order,
 * in buf (CCPU_BITMAP_HEX + 1 bytes hold it).
 */
void	ccpu_jvm_format_bitmap(const struct ccpu_featset *, char *buf, size_t size);
/*
 * Read exactly CCPU_BITMAP_HEX hex digits (len bytes of hex).  Returns 0 and
 * fills *out, or -1 (CCPU_EINPUT).
 */
int	ccpu_jvm_parse_bitmap(const char *hex, size_t len, struct ccpu_featset *out,
	    struct ccpu_error *);
/*
 * CRaC's CPU-feature messages (every text seen in openjdk/crac and vendor
 * builds, one row each in data/jvm-messages.def).
 * A parsed message keeps each value it printed with its role ("specified",
 * "current", "used", "saved", "missing", "suggested", "mandatory", "image",
 * "constraint") and its other arguments as text.
 */
#define CCPU_MSG_VALUES		3
#define CCPU_MSG_ARGS		4
#define CCPU_MSG_TEXT		2048	/* a full names list fits */
#define CCPU_MSG_LINE_MAX	4096	/* longer lines are not messages */

struct ccpu_jvm_message {
	const char	*id;		/* "specified-missing", ... */
	const char	*era;		/* which JDK lines print it */
	const char	*override;	/* the option that continues anyway, or NULL */
	const char	*meaning;	/* one line */
	const char	*use;		/* which printed values to checkpoint with, or NULL */
	const char	*why;		/* why that value, or NULL */
	size_t		 nvalues;
	struct {
		const char		*role;
		char			 text[CCPU_MSG_TEXT];	/* as printed */
		bool			 parsed;	/* text is a value or a bitmap */
		struct ccpu_featset	 set;
	} values[CCPU_MSG_VALUES];
	size_t		 nargs;
	char		 args[CCPU_MSG_ARGS][CCPU_MSG_TEXT];	/* %s and %n, in order */
};

/*
 * Recognise a message anywhere in one line of len bytes (log decorations
 * such as "[0.1s][error][crac] " are skipped).  Returns true and fills *out
 * when the line holds a known message; its strings other than the copied
 * texts are static.
 */
bool	ccpu_jvm_message_parse(const char *line, size_t len,
	    struct ccpu_jvm_message *out);
/*
 * The value a message says to checkpoint with (the "use" column of
 * data/jvm-messages.def: a printed value, or the intersection of two), and
 * why.  False when the message suggests none or a value it needs was not
 * parsed.  why may be NULL; *why gets a static string or NULL.
 */
bool	ccpu_jvm_message_advice(const struct ccpu_jvm_message *,
	    struct ccpu_featset *use, const char **why);
/* The ids of all known messages, in matching order; NULL past the end. */
const char *ccpu_jvm_message_id(size_t i);
/*
 * The ",-NAME" entries of a GLIBC_TUNABLES value (its glibc.cpu.hwcaps
 * part) as bits of layout l.  Names l cannot express are copied, comma
 * separated, into unknown (size bytes; may be NULL).  Returns the number
 * of names read.
 */
size_t	ccpu_jvm_tunables(const struct ccpu_layout *l, const char *tunables,
	    struct ccpu_featset *out, char *unknown, size_t size);

#define CCPU_LABEL_MAX		48	/* room for any ccpu_layout_bit_label() */

/*
 * A bit's label for reports, in buf: its printed name; "glibc.NAME" for a
 * glibc-word bit whose printed name a HotSpot bit also has (f16c in X17 and
 * XM), as ccpu_layout_bit() reads it back; "bitN" for a bit with no meaning
 * in the layout.  Returns buf.
 */
const char *ccpu_layout_bit_label(const struct ccpu_layout *, unsigned int bit,
	    char *buf, size_t size);
/* Names of the members, HotSpot word first in bit order, joined with ", ", in buf. */
void	ccpu_jvm_format_names(const struct ccpu_layout *, const struct ccpu_featset *,
	    char *buf, size_t size);

/*
 * The one JSON shape of a JVM value, in every document: {"value":
 * "0x..,0x..", "words": ["0x%016x", ...], "bitmap": "<hex>", "names":
 * [labels in bit order]}: a new reference, caller json_decrefs.
 */
json_t	*ccpu_jvm_value_json(const struct ccpu_layout *, const struct ccpu_featset *);
/* The "names" array alone: a new reference. */
json_t	*ccpu_jvm_names_json(const struct ccpu_layout *, const struct ccpu_featset *);

#endif
