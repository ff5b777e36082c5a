/*
 * The one reader of host input.  Every command that takes hosts reads them
 * through it, so every command takes every input:
 *
 *   - a host profile (ccpu-profile/1), a libcpuid raw dump (any version) or
 *     `cpuid -r` output;
 *   - JSON documents one after another: JSON lines (one per line) or pretty
 *     documents, and a JSON array of them;
 *   - a Kubernetes node or node list (`kubectl get nodes -o json`, one
 *     document or one line), whose items are read one at a time;
 *   - Linux /proc/cpuinfo and `lscpu -J` output (inventories that kept
 *     flags, not registers): hosts whose unknown JVM bits are said;
 *   - a directory: its regular files, and directories below it, in name
 *     order; names starting with "." are skipped, symbolic links to
 *     directories are reported and not followed, a directory met twice on
 *     one path (a bind mount loop) is reported;
 *   - "-": standard input.
 *
 * A path named by the caller may be a pipe, a FIFO or a character device
 * (process substitution, /dev/stdin); files met while walking a directory
 * must be regular files (opened without blocking, so a FIFO there is
 * reported, not waited for).
 *
 * Memory is bounded by CCPU_HOSTS_RECORD_MAX per record (a JSON document,
 * one item of a list, or a whole dump), never by the size of the input: a
 * record over the limit is an error item, not an allocation.  A read error
 * is an error item, never the end of the input.
 */
#ifndef CCPU_HOSTS_H
#define CCPU_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ccpu/error.h"
#include "ccpu/profile.h"

#define CCPU_HOSTS_RECORD_MAX	CCPU_MAX_INPUT	/* bytes per record */
#define CCPU_HOSTS_MAX_DEPTH	32		/* directory nesting */

enum ccpu_host_kind {
	CCPU_HOST_PROFILE,	/* CPUID registers: a profile or a dump */
	CCPU_HOST_NODE,		/* a Kubernetes Node object (NFD labels; see survey.h) */
	CCPU_HOST_CPUINFO,	/* Linux /proc/cpuinfo text: flags, not registers */
	CCPU_HOST_LSCPU,	/* `lscpu -J` output: the same, as JSON */
	CCPU_HOST_JSON,		/* raw mode: one JSON record, not parsed (text) */
	CCPU_HOST_ERROR,	/* an entry that could not be read */
};

/* How the JSON of a file was read, for messages. */
enum ccpu_hosts_json {
	CCPU_JSON_UNSEEN,	/* no JSON yet (or the file is a dump) */
	CCPU_JSON_LINES,	/* the first document was one line: JSON lines */
	CCPU_JSON_DOCUMENTS,	/* the first document spanned lines: pretty documents */
};

struct ccpu_host_item {
	enum ccpu_host_kind	 kind;
	const char		*file;		/* the file it came from; "-" is standard input */
	unsigned long		 line;		/* where its record starts; 0: the whole file */
	unsigned long		 index;		/* 1 + its index in a list or array, else 0 */
	bool			 in_items;	/* the array is a list's "items" */
	bool			 fatal;		/* ERROR: a path the caller named cannot be read */
	struct ccpu_profile	*profile;	/* PROFILE: owned by the reader */
	json_t			*node;		/* NODE, LSCPU: borrowed */
	const char		*text;		/* CPUINFO, JSON: borrowed, textlen bytes */
	size_t			 textlen;
	struct ccpu_error	 error;		/* ERROR: why */
};

struct ccpu_hosts;
struct ccpu_layout;
struct ccpu_survey_host;
struct ccpu_survey_host_buf;

/*
 * A new reader of the hosts of path (copied; not opened until the first
 * next, so it cannot fail: a path that cannot be read is an ERROR item).
 * Free it with ccpu_hosts_close.
 */
struct ccpu_hosts *ccpu_hosts_open(const char *path);
/*
 * The next item: 1 and *item filled, or 0 at the end.  Input that cannot be
 * read is an item (CCPU_HOST_ERROR, error.status CCPU_EINPUT, or CCPU_ESYS
 * when fatal), never a failed call.  Everything item points to is owned by
 * the reader and stays valid until the next call or ccpu_hosts_close.
 */
int	ccpu_hosts_next(struct ccpu_hosts *, struct ccpu_host_item *item);
/*
 * Raw mode: JSON records are yielded as CCPU_HOST_JSON items, their bytes
 * unparsed, for ccpu_host_json_host on any thread (a survey parses them on
 * every core).  Set before the first next.
 */
void	ccpu_hosts_set_raw(struct ccpu_hosts *, bool raw);
/*
 * One JSON record (a CCPU_HOST_JSON item's text) as a survey host of
 * layout l: a profile, a Kubernetes node or lscpu output.  The error
 * message is what the reader would have said; line is the record's first
 * line, how how the file was read (for the message).  Safe to call
 * from several threads at once, each with its own scratch profile, which
 * the call overwrites.  Returns 0 with *out filled (it owns its strings), or
 * -1 (CCPU_EINPUT) with *errline the line of the fault.
 */
int	ccpu_host_json_host(const char *text, size_t len, unsigned long line,
	    unsigned long index, const char *file, enum ccpu_hosts_json how,
	    const struct ccpu_layout *l, struct ccpu_profile *scratch,
	    struct ccpu_survey_host_buf *out, unsigned long *errline,
	    struct ccpu_error *);
/* How the file of the last item was read (JSON lines or documents). */
enum ccpu_hosts_json ccpu_hosts_json_mode(const struct ccpu_hosts *);
/* Close and free the reader and what its items point to; NULL is a no-op. */
void	ccpu_hosts_close(struct ccpu_hosts *);

/*
 * A host known by its JVM features rather than its registers (NODE,
 * CPUINFO, LSCPU items) as a survey host of layout l (survey.h), its name
 * copied to name (namesz bytes): what the source cannot tell is in
 * h->unknown.  scratch is a profile the call overwrites; h's strings point
 * into name, scratch, the item's node or static storage, so use h before
 * any of them changes.  Returns 0, or -1: CCPU_EINPUT when the host cannot
 * be used, CCPU_EUSAGE for any other kind of item.
 */
int	ccpu_host_item_features(const struct ccpu_host_item *,
	    const struct ccpu_layout *l, struct ccpu_profile *scratch,
	    struct ccpu_survey_host *h, char *name, size_t namesz,
	    struct ccpu_error *);

/*
 * "file", "file: line 3" or "file: line 3: items[6]" (the item's JSON
 * path: "[6]" in a top-level array), for messages, in buf (at most size
 * bytes, always terminated); returns buf.
 */
const char *ccpu_host_item_where(const struct ccpu_host_item *, char *buf,
	    size_t size);

#endif
