/*
 * The one reader of host input (include/ccpu/hosts.h): a directory walk that
 * yields files, and a byte scanner that cuts each file into records without
 * holding more than one record.  A record is a whole dump (the file does not
 * start with '{' or '['), a top-level JSON value, or one element of a
 * top-level array or of a top-level object's "items" array (a Kubernetes
 * list), so a node list of any size is read one node at a time.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccpu/hosts.h"
#include "ccpu/survey.h"
#include "jtree.h"
#include "profile_impl.h"
#include "xmalloc.h"

#define CHUNK	(64u << 10)

/* A record being collected; over the limit it stops growing and says so. */
struct rbuf {
	char	*p;
	size_t	 len, cap;
	bool	 over;
};

struct frame {
	char		 *path;
	struct dirent	**names;
	int		  n, i;
	dev_t		  dev;
	ino_t		  ino;
};

enum fmode { M_START, M_JSON, M_DONE };

struct ccpu_hosts {
	char			*top;
	bool			 started;
	struct frame		 stack[CCPU_HOSTS_MAX_DEPTH + 1];
	int			 nframes;
	char			*errpath;	/* the path of a walk error item */

	/* The file being read. */
	int			 fd;		/* -1: none */
	bool			 own_fd;	/* not standard input */
	char			*file;
	char			*chunk;
	size_t			 clen, cpos;
	enum fmode		 mode;
	enum ccpu_hosts_json	 json;
	unsigned long		 line;

	/* The JSON record being scanned. */
	struct rbuf		 rec, elem;
	unsigned long		 rec_line, elem_line, nitem;
	int			 depth, items_depth;
	char			 topc;
	bool			 in_str, esc, in_elem, skip_line;
	bool			 key_expect, key_capture, key_items;
	char			 key[8];
	size_t			 keylen;

	bool			 raw;		/* JSON records unparsed */

	struct jdoc		 jd;		/* the tree of a JSON record */

	/* What the last item pointed to. */
	struct ccpu_profile	*profile;
	json_t			*node;
};

static void
rb_add(struct rbuf *b, const char *s, size_t n)
{
	if (b->over)
		return;
	if (n > CCPU_HOSTS_RECORD_MAX - b->len) {
		b->over = true;
		return;
	}
	if (b->len + n > b->cap) {
		b->cap = b->cap == 0 ? 4096 : b->cap;
		while (b->cap < b->len + n)
			b->cap *= 2;
		if (b->cap > CCPU_HOSTS_RECORD_MAX)
			b->cap = CCPU_HOSTS_RECORD_MAX;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* Empty; the bytes stay readable until the next record starts (items point there). */
static void
rb_reset(struct rbuf *b)
{
	b->len = 0;
	b->over = false;
}

/* At the start of a record: give back what one large record took. */
static void
rb_shrink(struct rbuf *b)
{
	rb_reset(b);
	if (b->cap > (1u << 20)) {
		free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
}

struct ccpu_hosts *
ccpu_hosts_open(const char *path)
{
	struct ccpu_hosts	*h = xcalloc(1, sizeof(*h));

	h->top = xstrdup(path);
	h->fd = -1;
	return h;
}

void
ccpu_hosts_set_raw(struct ccpu_hosts *h, bool raw)
{
	h->raw = raw;
}

enum ccpu_hosts_json
ccpu_hosts_json_mode(const struct ccpu_hosts *h)
{
	return h->json;
}

static void
close_file(struct ccpu_hosts *h)
{
	if (h->fd != -1 && h->own_fd)
		close(h->fd);
	h->fd = -1;
	free(h->file);
	h->file = NULL;
}

static void
pop_frame(struct ccpu_hosts *h)
{
	struct frame	*f = &h->stack[--h->nframes];
	int		 i;

	for (i = 0; i < f->n; i++)
		free(f->names[i]);
	free(f->names);
	free(f->path);
}

void
ccpu_hosts_close(struct ccpu_hosts *h)
{
	if (h == NULL)
		return;
	close_file(h);
	while (h->nframes > 0)
		pop_frame(h);
	free(h->rec.p);
	free(h->elem.p);
	free(h->chunk);
	free(h->errpath);
	free(h->top);
	ccpu_profile_free(h->profile);
	json_decref(h->node);
	jdoc_release(&h->jd);
	free(h);
}

static const char *
base_of(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

int
ccpu_host_item_features(const struct ccpu_host_item *it,
    const struct ccpu_layout *l, struct ccpu_profile *scratch,
    struct ccpu_survey_host *h, char *name, size_t namesz,
    struct ccpu_error *err)
{
	int	rc;

	switch (it->kind) {
	case CCPU_HOST_NODE:
		return ccpu_nfd_node_host(l, it->node, scratch, h, name, namesz,
		    err);
	case CCPU_HOST_CPUINFO:
		rc = ccpu_cpuinfo_host(l, it->text, it->textlen, scratch, h, err);
		break;
	case CCPU_HOST_LSCPU:
		rc = ccpu_lscpu_host(l, it->node, scratch, h, err);
		break;
	default:
		return ccpu_error_set(err, CCPU_EUSAGE, "not a host known by "
		    "its features");
	}
	if (rc == -1)
		return -1;
	/* Neither names the machine: the file (and the line of a stream) does. */
	if (it->line > 1 || it->index > 0)
		snprintf(name, namesz, "%s: line %lu", base_of(it->file), it->line);
	else
		snprintf(name, namesz, "%s", base_of(it->file));
	h->name = name;
	return 0;
}

const char *
ccpu_host_item_where(const struct ccpu_host_item *it, char *buf, size_t size)
{
	int	n;

	n = snprintf(buf, size, "%s", it->file);
	if (n >= 0 && (size_t)n < size && it->line > 0)
		n += snprintf(buf + n, size - (size_t)n, ": line %lu", it->line);
	if (n >= 0 && (size_t)n < size && it->index > 0)
		snprintf(buf + n, size - (size_t)n, ": %s[%lu]", it->in_items ?
		    "items" : "", it->index - 1);
	return buf;
}

/* An error item about the entry being read (or the walk, with errpath set). */
static int __attribute__((format(printf, 5, 6)))
item_error(struct ccpu_hosts *h, struct ccpu_host_item *it, unsigned long line,
    unsigned long index, const char *fmt, ...)
{
	va_list	ap;

	memset(it, 0, sizeof(*it));
	it->kind = CCPU_HOST_ERROR;
	it->file = h->file != NULL ? h->file : h->errpath != NULL ? h->errpath :
	    h->top;
	it->line = line;
	it->index = index;
	it->in_items = index > 0 && h->topc == '{';
	va_start(ap, fmt);
	ccpu_error_vset(&it->error, CCPU_EINPUT, fmt, ap);
	va_end(ap);
	return 1;
}

static int
walk_error(struct ccpu_hosts *h, struct ccpu_host_item *it, const char *path,
    bool fatal, const char *msg)
{
	free(h->errpath);
	h->errpath = xstrdup(path);
	item_error(h, it, 0, 0, "%s", msg);
	it->file = h->errpath;
	it->fatal = fatal;
	it->error.status = fatal ? CCPU_ESYS : CCPU_EINPUT;
	return 1;
}

static const char *
file_type(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO, not a regular file" :
	    S_ISSOCK(m) ? "a socket, not a regular file" :
	    S_ISCHR(m) ? "a character device, not a regular file" :
	    S_ISBLK(m) ? "a block device, not a regular file" :
	    "not a regular file";
}

static void
start_file(struct ccpu_hosts *h, int fd, bool own, const char *path)
{
	h->fd = fd;
	h->own_fd = own;
	h->file = xstrdup(path);
	if (h->chunk == NULL)
		h->chunk = xmalloc(CHUNK);
	h->clen = h->cpos = 0;
	h->mode = M_START;
	h->json = CCPU_JSON_UNSEEN;
	h->line = 1;
	h->depth = 0;
	h->in_str = h->esc = h->in_elem = h->skip_line = false;
}

static int
no_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Push the directory path (already stat'ed as st); an error item or 0. */
static int
push_dir(struct ccpu_hosts *h, struct ccpu_host_item *it, const char *path,
    const struct stat *st, bool fatal)
{
	struct frame	*f;
	int		 i;

	char		 msg[256];

	if (h->nframes > CCPU_HOSTS_MAX_DEPTH) {
		snprintf(msg, sizeof(msg), "directories nested more than %d "
		    "deep", CCPU_HOSTS_MAX_DEPTH);
		return walk_error(h, it, path, fatal, msg);
	}
	for (i = 0; i < h->nframes; i++)
		if (h->stack[i].dev == st->st_dev && h->stack[i].ino == st->st_ino)
			return walk_error(h, it, path, fatal, "a directory loop "
			    "(the same directory as the one above it)");
	f = &h->stack[h->nframes];
	memset(f, 0, sizeof(*f));
	if ((f->n = scandir(path, &f->names, no_dots, by_name)) == -1) {
		snprintf(msg, sizeof(msg), "%s", strerror(errno));
		return walk_error(h, it, path, fatal, msg);
	}
	f->path = xstrdup(path);
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	h->nframes++;
	return 0;
}

/*
 * Open the next file to read: 1 when one is open, 2 with an error item,
 * 0 when the walk is over.
 */
static int
next_file(struct ccpu_hosts *h, struct ccpu_host_item *it)
{
	struct stat	 st, lst;
	struct frame	*f;
	char		*path;
	int		 fd;

	if (!h->started) {
		h->started = true;
		if (strcmp(h->top, "-") == 0) {
			start_file(h, STDIN_FILENO, false, "-");
			return 1;
		}
		if (stat(h->top, &st) == -1)
			return walk_error(h, it, h->top, true, strerror(errno)) + 1;
		if (S_ISDIR(st.st_mode)) {
			if (push_dir(h, it, h->top, &st, true))
				return 2;
		} else {
			/* Named by the caller: a pipe or FIFO is welcome. */
			if ((fd = open(h->top, O_RDONLY | O_NOCTTY | O_CLOEXEC)) == -1)
				return walk_error(h, it, h->top, true,
				    strerror(errno)) + 1;
			start_file(h, fd, true, h->top);
			return 1;
		}
	}
	while (h->nframes > 0) {
		f = &h->stack[h->nframes - 1];
		if (f->i == f->n) {
			pop_frame(h);
			continue;
		}
		path = xasprintf("%s/%s", f->path, f->names[f->i++]->d_name);
		if (lstat(path, &lst) == -1) {
			walk_error(h, it, path, false, strerror(errno));
			free(path);
			return 2;
		}
		if (S_ISLNK(lst.st_mode) && stat(path, &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			walk_error(h, it, path, false, "a symbolic link to a "
			    "directory: not followed");
			free(path);
			return 2;
		}
		if (S_ISDIR(lst.st_mode)) {
			if (push_dir(h, it, path, &lst, false)) {
				free(path);
				return 2;
			}
			free(path);
			continue;
		}
		/* Found, not named: never wait on it. */
		fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
			walk_error(h, it, path, false, fd == -1 ? strerror(errno) :
			    file_type(st.st_mode));
			if (fd != -1)
				close(fd);
			free(path);
			return 2;
		}
		start_file(h, fd, true, path);
		free(path);
		return 1;
	}
	return 0;
}

/* More bytes into the chunk: 1 read, 0 end of file, -1 error item. */
static int
fill(struct ccpu_hosts *h, struct ccpu_host_item *it)
{
	struct pollfd	pfd;
	ssize_t		n;

	for (;;) {
		n = read(h->fd, h->chunk, CHUNK);
		if (n > 0) {
			h->clen = (size_t)n;
			h->cpos = 0;
			return 1;
		}
		if (n == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			/* A descriptor left non-blocking by whoever gave it to us. */
			pfd.fd = h->fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
				break;
			continue;
		}
		break;
	}
	item_error(h, it, h->line, 0, "read error: %s", strerror(errno));
	it->error.status = CCPU_ESYS;
	return -1;
}

static const char *
mode_text(enum ccpu_hosts_json how)
{
	return how == CCPU_JSON_LINES ? " (read as JSON lines: one "
	    "document per line)" : how == CCPU_JSON_DOCUMENTS ?
	    " (read as JSON documents spanning lines)" : "";
}

static const char *
json_mode(const struct ccpu_hosts *h)
{
	return mode_text(h->json);
}

/* A host item of kind for the record at line (item index of a list, or 0). */
static struct ccpu_host_item *
host_item(struct ccpu_hosts *h, struct ccpu_host_item *it,
    enum ccpu_host_kind kind, unsigned long line, unsigned long index)
{
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->file = h->file;
	it->line = line;
	it->index = index;
	it->in_items = index > 0 && h->topc == '{';
	return it;
}

/*
 * What a JSON object is: a Kubernetes node (kind "Node", or metadata and
 * no schema), lscpu -J output (an "lscpu" array), else a profile.
 */
static enum ccpu_host_kind
jt_kind(const struct jdoc *d)
{
	const struct jt	*root = jt_root(d), *kind, *lscpu, *meta;

	kind = jt_get(d, root, "kind");
	meta = jt_get(d, root, "metadata");
	if (kind != NULL && kind->type == JT_STRING ? jt_streq(kind, "Node") :
	    meta != NULL && meta->type == JT_OBJECT &&
	    jt_get(d, root, "schema") == NULL)
		return CCPU_HOST_NODE;
	lscpu = jt_get(d, root, "lscpu");
	if (lscpu != NULL && lscpu->type == JT_ARRAY)
		return CCPU_HOST_LSCPU;
	return CCPU_HOST_PROFILE;
}

/* The profile of the record in h->jd: a PROFILE item or an error item. */
static int
profile_record(struct ccpu_hosts *h, struct ccpu_host_item *it,
    unsigned long line, unsigned long index)
{
	struct ccpu_error	e;

	if (h->profile == NULL)
		h->profile = ccpu_profile_new();
	if (profile_from_jt(h->profile, &h->jd, &e) == -1)
		return item_error(h, it, line, index, "%s", e.msg);
	host_item(h, it, CCPU_HOST_PROFILE, line, index)->profile = h->profile;
	return 1;
}

/* One JSON record (a document or an element) into an item; 0 for none. */
static int
record_item(struct ccpu_hosts *h, struct ccpu_host_item *it, struct rbuf *b,
    unsigned long line, unsigned long index, bool skeleton)
{
	json_error_t	 je;
	json_t		*doc;
	const char	*kind;
	int		 r;

	if (b->over)
		return item_error(h, it, line, index, "a JSON document larger "
		    "than %u bytes%s", CCPU_HOSTS_RECORD_MAX, json_mode(h));
	if (h->raw && !skeleton) {
		host_item(h, it, CCPU_HOST_JSON, line, index);
		it->text = b->p;
		it->textlen = b->len;
		return 1;
	}
	/* The common case, a profile in the plain subset: no jansson. */
	if (!skeleton && jt_parse(&h->jd, b->p, b->len) == 0 &&
	    jt_root(&h->jd)->type == JT_OBJECT &&
	    jt_kind(&h->jd) == CCPU_HOST_PROFILE)
		return profile_record(h, it, line, index);
	if ((doc = json_loadb(b->p, b->len, 0, &je)) == NULL)
		return item_error(h, it, line + (unsigned long)(je.line > 0 ?
		    je.line - 1 : 0), index, "column %d: %s%s", je.column,
		    je.text, json_mode(h));
	if (skeleton) {
		/* A list whose items were read one by one; the rest says what it is. */
		kind = json_string_value(json_object_get(doc, "kind"));
		if (json_is_object(doc) && kind != NULL && strcmp(kind, "List") != 0 &&
		    strcmp(kind, "NodeList") != 0) {
			item_error(h, it, line, 0, "kind '%.64s' has items, but "
			    "is not a list of nodes or profiles", kind);
			json_decref(doc);
			return 1;
		}
		json_decref(doc);
		return 0;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		return item_error(h, it, line, index, "not a JSON object%s",
		    json_mode(h));
	}
	jt_from_jansson(&h->jd, doc);
	if (jt_kind(&h->jd) != CCPU_HOST_PROFILE) {
		json_decref(h->node);
		h->node = doc;
		host_item(h, it, jt_kind(&h->jd), line, index)->node = doc;
		return 1;
	}
	r = profile_record(h, it, line, index);
	json_decref(doc);
	return r;
}

/* Linux /proc/cpuinfo: it starts with "processor<tabs>: N". */
static bool
is_cpuinfo(const char *p, size_t n)
{
	size_t	i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	if (n - i < 10 || memcmp(p + i, "processor", 9) != 0)
		return false;
	for (i += 9; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
		continue;
	return i < n && p[i] == ':';
}

/* The whole file as one dump (it does not start as JSON). */
static int
text_item(struct ccpu_hosts *h, struct ccpu_host_item *it)
{
	struct ccpu_error	e;
	int			r = 0;

	h->rec.len = 0;
	h->rec.over = false;
	do {
		rb_add(&h->rec, h->chunk + h->cpos, h->clen - h->cpos);
		h->cpos = h->clen;
		if (h->rec.over)
			break;
	} while ((r = fill(h, it)) == 1);
	h->mode = M_DONE;
	if (h->rec.over)
		return item_error(h, it, 0, 0, "larger than %u bytes",
		    CCPU_HOSTS_RECORD_MAX);
	if (r == -1)
		return 1;
	/* An arm64 cpuinfo is a whole host (HWCAP names and MIDRs): a dump. */
	if (is_cpuinfo(h->rec.p, h->rec.len) &&
	    !ccpu_a64_cpuinfo_is(h->rec.p, h->rec.len)) {
		/* Kept in rec until the next call. */
		host_item(h, it, CCPU_HOST_CPUINFO, 0, 0);
		it->text = h->rec.p;
		it->textlen = h->rec.len;
		return 1;
	}
	if (h->profile == NULL)
		h->profile = ccpu_profile_new();
	if (ccpu_profile_parse(h->profile, h->rec.p, h->rec.len, h->file, &e) == -1) {
		size_t	n = strlen(h->file);

		rb_reset(&h->rec);
		/* Messages here never name the file: the item does. */
		if (strncmp(e.msg, h->file, n) == 0 && strncmp(e.msg + n, ": ", 2) == 0)
			memmove(e.msg, e.msg + n + 2, strlen(e.msg + n + 2) + 1);
		memset(it, 0, sizeof(*it));
		it->kind = CCPU_HOST_ERROR;
		it->file = h->file;
		it->error = e;
		return 1;
	}
	rb_reset(&h->rec);
	if (!h->own_fd)
		h->profile->source_file[0] = '\0';	/* standard input */
	host_item(h, it, CCPU_HOST_PROFILE, 0, 0)->profile = h->profile;
	return 1;
}

static void
reset_record(struct ccpu_hosts *h)
{
	h->depth = 0;
	h->in_str = h->esc = h->in_elem = false;
	h->items_depth = 0;
	rb_shrink(&h->rec);
	rb_shrink(&h->elem);
}

/* One byte of JSON: 1 when it completes an item. */
static int
feed(struct ccpu_hosts *h, char c, struct ccpu_host_item *it)
{
	struct rbuf	*b;
	int		 r;

	if (h->skip_line) {
		if (c == '\n')
			h->skip_line = false;
		return 0;
	}
	if (h->depth == 0) {
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			return 0;
		if (c != '{' && c != '[') {
			h->skip_line = true;
			return item_error(h, it, h->line, 0, "not JSON: a document "
			    "starts with '{' or '['%s", json_mode(h));
		}
		reset_record(h);
		h->rec_line = h->line;
		h->topc = c;
		h->depth = 1;
		h->nitem = 0;
		h->key_expect = c == '{';
		h->key_capture = h->key_items = false;
		h->items_depth = c == '[' ? 1 : 0;
		rb_add(&h->rec, &c, 1);
		return 0;
	}
	if (c == '\n' && h->json == CCPU_JSON_UNSEEN)
		h->json = CCPU_JSON_DOCUMENTS;
	if (c == '\n' && h->json == CCPU_JSON_LINES) {
		reset_record(h);
		return item_error(h, it, h->line, h->in_elem ? h->nitem : 0,
		    "incomplete JSON document%s", json_mode(h));
	}
	if (h->in_str) {
		rb_add(h->in_elem ? &h->elem : &h->rec, &c, 1);
		if (h->esc)
			h->esc = false;
		else if (c == '\\')
			h->esc = true;
		else if (c == '"') {
			h->in_str = false;
			if (h->key_capture) {
				h->key_capture = false;
				h->key_expect = false;
				h->key_items = h->keylen == 5 &&
				    memcmp(h->key, "items", 5) == 0;
			}
		} else if (h->key_capture) {
			if (h->keylen < sizeof(h->key))
				h->key[h->keylen] = c;
			h->keylen++;
		}
		return 0;
	}
	/* An element of the streamed array starts. */
	if (c == '{' && h->items_depth > 0 && h->depth == h->items_depth &&
	    !h->in_elem) {
		h->in_elem = true;
		rb_shrink(&h->elem);
		h->elem_line = h->line;
		h->nitem++;
	}
	/* Commas between streamed elements stay out of the skeleton. */
	if (c == ',' && h->items_depth > 0 && h->depth == h->items_depth &&
	    !h->in_elem)
		return 0;
	b = h->in_elem ? &h->elem : &h->rec;
	rb_add(b, &c, 1);
	switch (c) {
	case '"':
		h->in_str = true;
		if (h->depth == 1 && h->topc == '{' && h->key_expect) {
			h->key_capture = true;
			h->key_items = false;
			h->keylen = 0;
		}
		break;
	case '{':
	case '[':
		if (c == '[' && h->depth == 1 && h->topc == '{' && h->key_items &&
		    !h->key_expect)
			h->items_depth = 2;
		h->depth++;
		break;
	case '}':
	case ']':
		h->depth--;
		if (h->in_elem && h->depth == h->items_depth) {
			h->in_elem = false;
			r = record_item(h, it, &h->elem, h->elem_line, h->nitem,
			    false);
			rb_reset(&h->elem);
			return r;
		}
		if (h->depth == 1 && h->items_depth == 2)
			h->items_depth = -2;	/* the items array ended */
		if (h->depth == 0) {
			if (h->json == CCPU_JSON_UNSEEN)
				h->json = CCPU_JSON_LINES;
			if (h->topc == '[') {
				rb_reset(&h->rec);
				return 0;
			}
			r = record_item(h, it, &h->rec, h->rec_line, 0,
			    h->items_depth == -2);
			rb_reset(&h->rec);
			return r;
		}
		break;
	case ',':
		if (h->depth == 1 && h->topc == '{')
			h->key_expect = true;
		break;
	default:
		break;
	}
	return 0;
}

/*
 * JSON lines (or a file not yet known to be anything else), at the start
 * of a record: a line wholly in the chunk that holds one object and nothing
 * else is the record, taken where it lies, as the byte-by-byte path (feed)
 * would cut it; the file is then JSON lines, as feed would say.  -1: anything else (a
 * line across chunks, two documents, an "items" list, a blank line), for
 * feed.
 */
static int
line_record(struct ccpu_hosts *h, struct ccpu_host_item *it)
{
	/*
	 * Bytes that end a run: outside strings (1) brackets, quotes and the
	 * newline; inside them (2) the quote, the backslash and the newline.
	 */
	static const unsigned char stop[256] = {
		['\n'] = 3, ['"'] = 3, ['\\'] = 2,
		['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1,
	};
	const char	*p = h->chunk + h->cpos, *e = h->chunk + h->clen;
	const char	*nl, *q, *end;
	struct rbuf	 b;
	int		 depth = 0, r;

	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p == e || *p != '{' ||
	    (nl = memchr(p, '\n', (size_t)(e - p))) == NULL ||
	    (size_t)(nl - p) > CCPU_HOSTS_RECORD_MAX)
		return -1;
	/* The newline at nl stops both loops: no bound to test. */
	for (q = p;; q++) {
		while (!(stop[(unsigned char)*q] & 1))
			q++;
		if (*q == '\n')
			return -1;	/* the object does not end here */
		if (*q == '"') {
			if (depth == 1 && nl - q > 7 &&
			    memcmp(q, "\"items\"", 7) == 0)
				return -1;
			for (q++;; q++) {
				while (!(stop[(unsigned char)*q] & 2))
					q++;
				if (*q != '\\')
					break;
				if (*++q == '\n')
					return -1;
			}
			if (*q == '\n')
				return -1;
		} else if (*q == '{' || *q == '[')
			depth++;
		else if (--depth == 0)
			break;
	}
	for (end = ++q; q < nl; q++)
		if (*q != ' ' && *q != '\t' && *q != '\r')
			return -1;
	memset(&b, 0, sizeof(b));
	b.p = (char *)(uintptr_t)p;
	b.len = (size_t)(end - p);
	h->topc = '{';
	h->items_depth = 0;
	h->json = CCPU_JSON_LINES;	/* it closed before its line ended */
	r = record_item(h, it, &b, h->line, 0, false);
	h->cpos = (size_t)(nl + 1 - h->chunk);
	h->line++;
	return r;
}

/* The next item of the open file: 1, or 0 when the file is done. */
static int
scan(struct ccpu_hosts *h, struct ccpu_host_item *it)
{
	char	c;
	int	r;

	if (h->mode == M_DONE)
		return 0;
	for (;;) {
		if (h->cpos == h->clen) {
			if ((r = fill(h, it)) == -1) {
				h->mode = M_DONE;
				return 1;
			}
			if (r == 0) {
				h->mode = M_DONE;
				if (h->depth > 0) {
					unsigned long line = h->rec_line;

					reset_record(h);
					return item_error(h, it, line, 0,
					    "incomplete JSON document at the end "
					    "of the input%s", json_mode(h));
				}
				return 0;
			}
		}
		if (h->mode == M_START) {
			while (h->cpos < h->clen && (h->chunk[h->cpos] == ' ' ||
			    h->chunk[h->cpos] == '\t' || h->chunk[h->cpos] == '\r' ||
			    h->chunk[h->cpos] == '\n'))
				h->cpos++;
			if (h->cpos == h->clen)
				continue;
			c = h->chunk[h->cpos];
			if (c != '{' && c != '[') {
				h->cpos = 0;	/* a dump: from the start */
				return text_item(h, it);
			}
			h->cpos = 0;
			h->mode = M_JSON;
		}
		if ((h->json == CCPU_JSON_LINES || h->json == CCPU_JSON_UNSEEN) &&
		    h->depth == 0 && !h->skip_line &&
		    (r = line_record(h, it)) != -1) {
			if (r)
				return 1;
			continue;
		}
		/*
		 * Fast path: a run of bytes that changes no state (inside a
		 * string up to a quote, backslash or newline; outside one up
		 * to a bracket, comma, quote or newline) is copied at once.
		 */
		if (h->depth > 0 && !h->esc && !h->key_capture && !h->skip_line) {
			const char	*p0 = h->chunk + h->cpos, *e = h->chunk + h->clen;
			const char	*q = p0;

			if (h->in_str)
				while (q < e && *q != '"' && *q != '\\' && *q != '\n')
					q++;
			else
				while (q < e && *q != '"' && *q != '{' && *q != '}' &&
				    *q != '[' && *q != ']' && *q != ',' && *q != '\n')
					q++;
			if (q > p0) {
				rb_add(h->in_elem ? &h->elem : &h->rec, p0,
				    (size_t)(q - p0));
				h->cpos += (size_t)(q - p0);
				continue;
			}
		}
		c = h->chunk[h->cpos++];
		r = feed(h, c, it);
		if (c == '\n')
			h->line++;
		if (r)
			return 1;
	}
}

int
ccpu_hosts_next(struct ccpu_hosts *h, struct ccpu_host_item *it)
{
	int	r;

	json_decref(h->node);
	h->node = NULL;
	for (;;) {
		if (h->fd != -1) {
			if (scan(h, it) == 1)
				return 1;
			close_file(h);
		}
		if ((r = next_file(h, it)) == 0)
			return 0;
		if (r == 2)
			return 1;
	}
}

int
host_json_host(struct jdoc *d, const char *text, size_t len,
    unsigned long line, unsigned long index, const char *file,
    enum ccpu_hosts_json how, const struct ccpu_layout *l,
    struct ccpu_profile *scratch, struct ccpu_survey_host_buf *out,
    unsigned long *errline, struct ccpu_error *err)
{
	struct ccpu_host_item	 it;
	struct ccpu_survey_host	 h;
	json_error_t		 je;
	json_t			*doc;
	char			 name[256];
	int			 rc;

	*errline = line;
	/* The common case, a profile in the plain subset: no jansson. */
	if (jt_parse(d, text, len) == 0 && jt_root(d)->type == JT_OBJECT &&
	    jt_kind(d) == CCPU_HOST_PROFILE) {
		if (profile_from_jt(scratch, d, err) == -1)
			return -1;
		return ccpu_survey_host_from_profile(l, scratch, out, err);
	}
	if ((doc = json_loadb(text, len, 0, &je)) == NULL) {
		*errline = line + (unsigned long)(je.line > 0 ? je.line - 1 : 0);
		return ccpu_error_set(err, CCPU_EINPUT, "column %d: %s%s",
		    je.column, je.text, mode_text(how));
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		return ccpu_error_set(err, CCPU_EINPUT, "not a JSON object%s",
		    mode_text(how));
	}
	memset(&it, 0, sizeof(it));
	it.file = file;
	it.line = line;
	it.index = index;
	jt_from_jansson(d, doc);
	if ((it.kind = jt_kind(d)) != CCPU_HOST_PROFILE) {
		it.node = doc;
		if ((rc = ccpu_host_item_features(&it, l, scratch, &h, name,
		    sizeof(name), err)) == 0) {
			memset(out, 0, sizeof(*out));
			out->h = h;
			snprintf(out->name, sizeof(out->name), "%s", h.name);
			snprintf(out->vendor, sizeof(out->vendor), "%s",
			    h.vendor != NULL ? h.vendor : "");
			snprintf(out->brand, sizeof(out->brand), "%s",
			    h.brand != NULL ? h.brand : "");
			/* An arm64 node's facts live in scratch: keep a copy. */
			if ((out->is_a64 = h.a64 != NULL))
				out->a64 = *h.a64;
			ccpu_survey_host_buf_fix(out);
			out->h.uarch = NULL;	/* named from family and model */
		}
		json_decref(doc);
		return rc;
	}
	rc = profile_from_jt(scratch, d, err);
	json_decref(doc);
	if (rc == -1)
		return -1;
	return ccpu_survey_host_from_profile(l, scratch, out, err);
}

int
ccpu_host_json_host(const char *text, size_t len, unsigned long line,
    unsigned long index, const char *file, enum ccpu_hosts_json how,
    const struct ccpu_layout *l, struct ccpu_profile *scratch,
    struct ccpu_survey_host_buf *out, unsigned long *errline,
    struct ccpu_error *err)
{
	struct jdoc	d = JDOC_INIT;
	int		rc;

	rc = host_json_host(&d, text, len, line, index, file, how, l, scratch,
	    out, errline, err);
	jdoc_release(&d);
	return rc;
}
