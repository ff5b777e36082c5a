/*
 * What a CRaC image directory recorded about the CPU it was checkpointed on
 * (openjdk/crac src/java.base/share/native/libcrcommon/image_constraints.cpp
 * @017290ce22c6aa80f74fd0e4401d195548fd6c42): the `tags` file of current builds
 * (label:cpu.arch, label:java.version, bitmap:cpu.features), the
 * `cpufeatures` user-data file of 2025 builds, the `engine` and `score`
 * files, and our own sidecar `crac-cpu.json` written by `crac-cpu stamp`
 * (the only record an image from a 2023 to early 2025 build has, and on
 * aarch64 one from a build before 2026).
 *
 * The parsers take byte buffers and are pure; ccpu_image_load() reads a
 * directory without writing to it, opening regular files only (a symlink or
 * FIFO in place of a record is an error) and within size ceilings.
 */
#ifndef CCPU_IMAGE_H
#define CCPU_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ccpu/error.h"
#include "ccpu/featset.h"
#include "ccpu/jvm.h"
#include "ccpu/profile.h"

#define CCPU_IMAGE_TAGS		"tags"
#define CCPU_IMAGE_USERDATA	"cpufeatures"
#define CCPU_IMAGE_ENGINE	"engine"
#define CCPU_IMAGE_SCORE	"score"
#define CCPU_IMAGE_SIDECAR	"crac-cpu.json"
#define CCPU_SIDECAR_SCHEMA	"ccpu-stamp/3"	/* written; "crac-cpu-stamp/2" is read too */

#define CCPU_IMAGE_MAX_TAGS	(64u << 10)	/* tags, engine and score files */
#define CCPU_IMAGE_MAX_LINE	4096u		/* one tags line */
#define CCPU_IMAGE_MAX_SIDECAR	CCPU_MAX_INPUT
#define CCPU_IMAGE_MAX_FILES	65536u		/* directory entries scanned */
#define CCPU_IMAGE_BITMAP_BYTES	(CCPU_BITMAP_HEX / 2)	/* 16 on x86-64 */
#define CCPU_IMAGE_A64_BITMAP_BYTES	8	/* aarch64: one 64-bit word */

/* Which file the recorded features came from. */
enum ccpu_record {
	CCPU_RECORD_NONE,	/* nothing: 2023-early 2025 build, or CPUFeatures=ignore */
	CCPU_RECORD_TAGS,	/* `tags`, bitmap:cpu.features */
	CCPU_RECORD_USERDATA,	/* `cpufeatures` */
	CCPU_RECORD_SIDECAR,	/* crac-cpu.json only */
};

/* The `tags` file: the fields we use; other lines are counted and ignored. */
struct ccpu_image_tags {
	bool			has_arch;
	bool			has_version;
	bool			has_features;
	char			arch[64];
	char			java_version[128];
	struct ccpu_featset	features;	/* member n is bit n of the JVM value */
	unsigned int		bitmap_bytes;	/* 16 (x86-64) or 8 (label:cpu.arch=aarch64) */
	unsigned int		nother;		/* lines we do not interpret */
};

/*
 * The sidecar written by `crac-cpu stamp`.  host is the checkpoint host's
 * profile (heap, owned by the struct; NULL when not loaded).  An aarch64
 * sidecar (arch "aarch64") names an aarch64 layout ("a63", or the stock
 * "a21" of an image that records no word), holds one word in used and an
 * aarch64 host (ccpu-profile/2); an x86-64 one has arch "" (the document
 * has no "arch" member, as before aarch64 was stamped).
 */
struct ccpu_sidecar {
	char			arch[16];	/* "" (x86-64) or "aarch64" */
	char			layout[16];	/* "xm", "a63" */
	char			layout_from[512];	/* the evidence: "--jdk xm", "java.version '22'", ... ("" if unknown) */
	char			created[32];
	char			java_version[128];	/* "" when the image did not say */
	char			glibc[32];
	char			kernel[128];
	char			record[16];	/* the JVM record stamp saw: "tags", "cpufeatures", "none" */
	char			assumed[64];	/* -XX:CPUFeatures assumed for "none": "native", "generic", a value */
	struct ccpu_featset	used;		/* the features the image uses (aarch64: word 0) */
	uint64_t		fingerprint;	/* names, sizes and mtimes of the JVM's files */
	uint64_t		content;	/* names and sizes only: survives a copy */
	struct ccpu_profile	*host;
};

/* Everything ccpu_image_load() found in one directory. */
struct ccpu_image {
	enum ccpu_record	record;		/* where `features` came from */
	bool			has_tags;
	bool			has_userdata;
	bool			has_sidecar;
	bool			sidecar_stale;	/* sidecar.content differs from this directory's */
	struct ccpu_image_tags	tags;
	struct ccpu_featset	userdata;
	struct ccpu_featset	features;	/* the record the check uses (record != NONE) */
	char			engine[64];	/* first line of `engine`, "" if none */
	char			score[256];	/* `score` lines joined with ", ", "" if none */
	struct ccpu_sidecar	sidecar;	/* valid when has_sidecar */
	/* Set when there is a sidecar or CCPU_IMAGE_FINGERPRINT was given. */
	unsigned int		nfiles;		/* the JVM's regular files (sidecar excluded) */
	uint64_t		fingerprint;	/* as sidecar.fingerprint, of the directory now */
	uint64_t		content;
};

/* ccpu_image_load flags */
#define CCPU_IMAGE_NO_SIDECAR	0x1u	/* do not read crac-cpu.json */
#define CCPU_IMAGE_FINGERPRINT	0x2u	/* fingerprint even without a sidecar */

/*
 * Parse a `tags` file.  name is used in messages ("'img/tags': line 2,
 * offset 0x1c: ...").  A bitmap must be exactly CCPU_BITMAP_HEX lowercase
 * hex digits (16 with label:cpu.arch=aarch64: one word); duplicate
 * cpu.arch, java.version or cpu.features entries are errors.  Returns 0 and
 * fills *out, or -1 (CCPU_EINPUT) leaving *out untouched.
 */
int	ccpu_image_parse_tags(struct ccpu_image_tags *out, const char *buf,
	    size_t len, const char *name, struct ccpu_error *);
/*
 * Parse a `cpufeatures` file: exactly CCPU_BITMAP_HEX lowercase hex digits
 * and one newline, nothing else.  Returns 0 and fills *out, or -1
 * (CCPU_EINPUT).
 */
int	ccpu_image_parse_userdata(struct ccpu_featset *out, const char *buf,
	    size_t len, const char *name, struct ccpu_error *);
/*
 * Parse a sidecar.  Its schema must be CCPU_SIDECAR_SCHEMA or
 * "crac-cpu-stamp/2", the same document under its earlier name; version 1
 * (a fingerprint blind to an image rewritten in place) and any other name
 * are refused.  "arch" is absent (x86-64) or "aarch64"; the host must be
 * of that architecture.  It must name a known layout, its java_version must not
 * mean another layout, and its used features must be a record the gate
 * accepts in that layout (ccpu_check_record; on aarch64 a word the JVM
 * accepts, ccpu_a64_value_check, or bits of the stock layout).  Returns 0 and fills *out,
 * which then owns a new host profile (release with ccpu_sidecar_release),
 * or -1 (CCPU_EINPUT) with *out untouched.
 */
int	ccpu_sidecar_parse(struct ccpu_sidecar *out, const char *buf, size_t len,
	    const char *name, struct ccpu_error *);
/*
 * The consistency ccpu_sidecar_parse demands (layout known, java_version
 * agreeing, used acceptable; on aarch64 record "tags" for a CRaC layout's
 * word and "none" for a stock layout; the host's architecture when host is
 * set), for a sidecar about to be written.  name is used in messages.
 * Returns 0 or -1 (CCPU_EINPUT).
 */
int	ccpu_sidecar_check(const struct ccpu_sidecar *, const char *name,
	    struct ccpu_error *);
/*
 * The sidecar as JSON (a new reference), names of `used` from layout; an
 * aarch64 sidecar names them from its own layout (layout may be NULL).
 */
json_t	*ccpu_sidecar_to_json(const struct ccpu_sidecar *,
	    const struct ccpu_layout *);
/* Free the host profile (host becomes NULL).  NULL is a no-op. */
void	ccpu_sidecar_release(struct ccpu_sidecar *);

/*
 * Read what dir recorded.  Missing files are not errors (record is NONE);
 * malformed ones, non-regular files, oversized files and an unreadable
 * directory are (CCPU_EINPUT or CCPU_ESYS, message naming the file).  Every
 * record present must agree: `tags` and `cpufeatures`, and a current
 * sidecar with both (features and java.version); a sidecar of the other
 * architecture than the tags' label:cpu.arch is an error, stale or not.
 * An aarch64 image whose tags hold no word (a build before 2026) takes a
 * current aarch64 sidecar as its record.  A stale sidecar
 * (the directory's files changed since stamp) is loaded but flagged and
 * never used as the record.  Fills *out only on success; release it with
 * ccpu_image_release.  Never writes.
 */
int	ccpu_image_load(struct ccpu_image *out, const char *dir, unsigned int flags,
	    struct ccpu_error *);
/* Free what ccpu_image_load allocated.  NULL is a no-op. */
void	ccpu_image_release(struct ccpu_image *);

/*
 * What a stamp records as the image's features: the JVM's own record when
 * there is one (value, if given, must agree with it), else what the JVM of
 * layout l used on host for value ("native" or NULL: the recorded
 * derivation; "generic"; or a -XX:CPUFeatures value).  Returns 0 and fills
 * *out, or -1 (CCPU_EINPUT: a value that does not parse or disagrees, a
 * host that cannot be derived).
 */
int	ccpu_stamp_used(const struct ccpu_image *, const struct ccpu_layout *,
	    const struct ccpu_profile *host, const char *value,
	    struct ccpu_featset *out, struct ccpu_error *);
/*
 * Whether the sidecar img holds (if any) may be replaced without --force:
 * not when it was written for other files (fingerprint) or describes the
 * same files with another host or other features.  Returns 0, or -1
 * (CCPU_EINPUT) saying why; dir is used in the message.
 */
int	ccpu_stamp_may_replace(const char *dir, const struct ccpu_image *,
	    const struct ccpu_profile *host, const struct ccpu_featset *used,
	    struct ccpu_error *);
const char *ccpu_record_name(enum ccpu_record);	/* static: "tags", "cpufeatures", ... */
/* True for an aarch64 sidecar (arch "aarch64"). */
bool	ccpu_sidecar_is_a64(const struct ccpu_sidecar *);

#endif
