/*
 * Reading a fleet into a survey (include/ccpu/survey.h): every host of a
 * path through the one host reader (include/ccpu/hosts.h), folded into the
 * survey in input order.  Parsing and deriving JSON records runs on worker
 * threads when asked; everything else, and the folding, on the caller's.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/hosts.h"
#include "ccpu/survey.h"
#include "esc.h"
#include "profile_impl.h"
#include "xmalloc.h"

#define POOL_BATCH		256		/* records handed to a worker at once */
#define POOL_BYTES		(2u << 20)	/* ... or fewer when they are large */
#define POOL_RING		8		/* batches in flight: memory stays bounded */

/*
 * Parsing and deriving a JSON record is most of a survey's time, and each
 * record is independent: the reader (this thread) cuts records, worker
 * threads turn batches of them into hosts, and this thread folds the hosts
 * into the survey in input order, so the report, the errors and
 * --assignments are the same as with one thread.
 */
struct prec {
	size_t			 text, file;	/* offsets into the batch's buf */
	size_t			 len;
	unsigned long		 line, index, errline;
	bool			 in_items;
	enum ccpu_hosts_json	 how;
	int			 rc;
	struct ccpu_survey_host_buf host;
	struct ccpu_error	 err;
};

enum pstate { P_FREE, P_FILLING, P_QUEUED, P_WORKING, P_DONE };

struct pbatch {
	struct prec	*r;
	size_t		 n;
	char		*buf;		/* the records' text and file names */
	size_t		 bytes, cap;
	enum pstate	 state;
};

struct pool {
	pthread_mutex_t		 mu;
	pthread_cond_t		 work, done;
	struct pbatch		 ring[POOL_RING];
	size_t			 head;		/* the batch being filled */
	size_t			 tail;		/* the oldest not yet folded */
	size_t			 next;		/* the next batch a worker takes */
	bool			 stop;
	int			 nthreads;
	pthread_t		 thr[CCPU_SURVEY_MAX_JOBS];
	const struct ccpu_layout *layout;
};

struct ccpu_survey_reader {
	struct ccpu_survey		*s;
	struct ccpu_survey_read_opts	 opts;
	struct ccpu_profile		*p;	/* scratch for hosts known by features */
	struct pool			*pool;
	bool				 failed;
	struct ccpu_error		 err;	/* why, when failed */
};

/* One unreadable entry: listed and counted, or fatal (strict, or a path given). */
static void
bad(struct ccpu_survey_reader *r, const struct ccpu_host_item *it, const char *msg)
{
	struct ccpu_host_item	at = *it;
	char			where[512], shown[1024], smsg[1024];

	/* An item of a list: its path, and the line in front of it. */
	if (at.index > 0) {
		ccpu_host_item_where(&at, where, sizeof(where));
		at.line = 0;
	} else
		snprintf(where, sizeof(where), "%s", it->file);
	if (r->opts.strict || it->fatal) {
		esc_str(shown, sizeof(shown), where);
		esc_str(smsg, sizeof(smsg), msg);
		if (at.line)
			ccpu_error_set(&r->err, it->fatal ? CCPU_ESYS : CCPU_EINPUT,
			    "'%s': line %lu: %s", shown, at.line, smsg);
		else
			ccpu_error_set(&r->err, it->fatal ? CCPU_ESYS : CCPU_EINPUT,
			    "'%s': %s", shown, smsg);
		r->failed = true;
		return;
	}
	ccpu_survey_add_error(r->s, where, at.line, msg);
}

/* One host added: its class serial, name and where, escaped, to the caller. */
static void
spool(struct ccpu_survey_reader *r, const struct ccpu_host_item *it,
    const char *name)
{
	char	where[512], n[256], w[1024];

	if (r->opts.host == NULL)
		return;
	ccpu_host_item_where(it, where, sizeof(where));
	r->opts.host(r->opts.ctx, ccpu_survey_last_serial(r->s),
	    esc_str(n, sizeof(n), name != NULL && name[0] != '\0' ? name :
	    "(unnamed)"), esc_str(w, sizeof(w), where));
}

static void *
pool_worker(void *arg)
{
	struct pool		*pl = arg;
	struct ccpu_profile	*scratch = ccpu_profile_new();
	struct jdoc		 d = JDOC_INIT;
	struct pbatch		*b;
	struct prec		*x;
	size_t			 i;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->stop && (pl->next == pl->head ||
		    pl->ring[pl->next % POOL_RING].state != P_QUEUED))
			pthread_cond_wait(&pl->work, &pl->mu);
		if (pl->stop)
			break;
		b = &pl->ring[pl->next++ % POOL_RING];
		b->state = P_WORKING;
		pthread_mutex_unlock(&pl->mu);
		for (i = 0; i < b->n; i++) {
			x = &b->r[i];
			x->rc = host_json_host(&d, b->buf + x->text, x->len,
			    x->line, x->index, b->buf + x->file, x->how,
			    pl->layout, scratch,
			    &x->host, &x->errline, &x->err);
		}
		pthread_mutex_lock(&pl->mu);
		b->state = P_DONE;
		pthread_cond_broadcast(&pl->done);
	}
	pthread_mutex_unlock(&pl->mu);
	jdoc_release(&d);
	ccpu_profile_free(scratch);
	return NULL;
}

static struct pool *
pool_start(const struct ccpu_layout *l, int jobs)
{
	struct pool	*pl = xcalloc(1, sizeof(*pl));
	size_t		 i;

	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->work, NULL);
	pthread_cond_init(&pl->done, NULL);
	pl->layout = l;
	for (i = 0; i < POOL_RING; i++)
		pl->ring[i].r = xcalloc(POOL_BATCH, sizeof(*pl->ring[i].r));
	json_object_seed(0);	/* before any thread hashes a key */
	for (; pl->nthreads < jobs; pl->nthreads++)
		if (pthread_create(&pl->thr[pl->nthreads], NULL, pool_worker,
		    pl) != 0)
			break;
	if (pl->nthreads == 0) {
		for (i = 0; i < POOL_RING; i++)
			free(pl->ring[i].r);
		free(pl);
		return NULL;	/* no thread: the reader does it all */
	}
	return pl;
}

static void
pool_stop(struct pool *pl)
{
	size_t	i;

	if (pl == NULL)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->stop = true;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->mu);
	for (i = 0; i < (size_t)pl->nthreads; i++)
		pthread_join(pl->thr[i], NULL);
	for (i = 0; i < POOL_RING; i++) {
		free(pl->ring[i].r);
		free(pl->ring[i].buf);
	}
	pthread_mutex_destroy(&pl->mu);
	pthread_cond_destroy(&pl->work);
	pthread_cond_destroy(&pl->done);
	free(pl);
}


/* Fold the oldest batch (waiting for its worker) into the survey, in order. */
static void
pool_fold(struct ccpu_survey_reader *r)
{
	struct pool		*pl = r->pool;
	struct pbatch		*b = &pl->ring[pl->tail % POOL_RING];
	struct ccpu_host_item	 it;
	struct prec		*x;
	size_t			 i;

	pthread_mutex_lock(&pl->mu);
	while (b->state != P_DONE)
		pthread_cond_wait(&pl->done, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	for (i = 0; i < b->n; i++) {
		x = &b->r[i];
		if (!r->failed) {
			memset(&it, 0, sizeof(it));
			it.file = b->buf + x->file;
			it.line = x->rc == 0 ? x->line : x->errline;
			it.index = x->index;
			it.in_items = x->in_items;
			if (x->rc == -1)
				bad(r, &it, x->err.msg);
			else {
				ccpu_survey_add_host(r->s, &x->host.h);
				it.line = x->line;
				spool(r, &it, x->host.name);
				if (r->opts.progress != NULL)
					r->opts.progress(r->opts.ctx);
			}
		}
	}
	b->n = b->bytes = 0;
	if (b->cap > 2 * POOL_BYTES) {	/* give back what a huge record took */
		free(b->buf);
		b->buf = NULL;
		b->cap = 0;
	}
	pthread_mutex_lock(&pl->mu);
	b->state = P_FREE;
	pthread_mutex_unlock(&pl->mu);
	pl->tail++;
}

static void
pool_submit(struct pool *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->ring[pl->head % POOL_RING].state = P_QUEUED;
	pl->head++;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->mu);
}

/* n bytes of s onto the batch's buffer: their offset. */
static size_t
batch_put(struct pbatch *b, const char *s, size_t n)
{
	size_t	off = b->bytes;

	if (b->bytes + n > b->cap) {
		b->cap = b->cap ? b->cap : POOL_BYTES + POOL_BYTES / 4;
		while (b->bytes + n > b->cap)
			b->cap *= 2;
		b->buf = xrealloc(b->buf, b->cap);
	}
	memcpy(b->buf + off, s, n);
	b->bytes += n;
	return off;
}

/* One JSON record for the workers (its bytes copied: the reader reuses them). */
static void
pool_add(struct ccpu_survey_reader *r, const struct ccpu_host_item *it,
    enum ccpu_hosts_json how)
{
	struct pool	*pl = r->pool;
	struct pbatch	*b = &pl->ring[pl->head % POOL_RING];
	struct prec	*x;

	if (b->state != P_FILLING) {
		while (pl->head - pl->tail >= POOL_RING)
			pool_fold(r);
		b->state = P_FILLING;
	}
	x = &b->r[b->n++];
	/* Records of one file share its name. */
	if (b->n > 1 && strcmp(b->buf + b->r[b->n - 2].file, it->file) == 0)
		x->file = b->r[b->n - 2].file;
	else
		x->file = batch_put(b, it->file, strlen(it->file) + 1);
	x->text = batch_put(b, it->text, it->textlen);
	x->len = it->textlen;
	x->line = it->line;
	x->index = it->index;
	x->in_items = it->in_items;
	x->how = how;
	if (b->n == POOL_BATCH || b->bytes >= POOL_BYTES)
		pool_submit(pl);
}

/* Every record handed out so far, folded: before anything else is added. */
static void
pool_drain(struct ccpu_survey_reader *r)
{
	struct pool	*pl = r->pool;

	if (pl == NULL)
		return;
	if (pl->ring[pl->head % POOL_RING].state == P_FILLING)
		pool_submit(pl);
	while (pl->tail != pl->head)
		pool_fold(r);
}

/* Every host of one operand, through the one host reader (ccpu/hosts.h). */
int
ccpu_survey_reader_add(struct ccpu_survey_reader *r, const char *path,
    struct ccpu_error *err)
{
	struct ccpu_hosts	*hs = ccpu_hosts_open(path);
	struct ccpu_host_item	 it;
	struct ccpu_survey_host	 h;
	struct ccpu_error	 e;
	char			 name[256];

	if (r->pool != NULL)
		ccpu_hosts_set_raw(hs, true);
	while (!r->failed && ccpu_hosts_next(hs, &it) == 1) {
		if (it.kind == CCPU_HOST_JSON) {
			pool_add(r, &it, ccpu_hosts_json_mode(hs));
			continue;
		}
		/* Anything else keeps its place after what is in flight. */
		pool_drain(r);
		switch (it.kind) {
		case CCPU_HOST_JSON:
			break;
		case CCPU_HOST_PROFILE:
			if (ccpu_survey_add_profile(r->s, it.profile, &e) == -1) {
				bad(r, &it, e.msg);
				break;
			}
			spool(r, &it, it.profile->hostname[0] != '\0' ?
			    it.profile->hostname : it.profile->source_file);
			if (it.profile->warning[0] != '\0' &&
			    r->opts.warning != NULL)
				r->opts.warning(r->opts.ctx, it.profile->warning);
			if (r->opts.progress != NULL)
				r->opts.progress(r->opts.ctx);
			break;
		case CCPU_HOST_NODE:
		case CCPU_HOST_CPUINFO:
		case CCPU_HOST_LSCPU:
			if (ccpu_host_item_features(&it, ccpu_survey_layout(r->s),
			    r->p, &h, name, sizeof(name), &e) == -1)
				bad(r, &it, e.msg);
			else {
				ccpu_survey_add_host(r->s, &h);
				spool(r, &it, h.name);
				if (r->opts.progress != NULL)
					r->opts.progress(r->opts.ctx);
			}
			break;
		case CCPU_HOST_ERROR:
			bad(r, &it, it.error.msg);
			break;
		}
	}
	pool_drain(r);
	ccpu_hosts_close(hs);
	if (r->failed) {
		if (err != NULL)
			*err = r->err;
		return -1;
	}
	return 0;
}

struct ccpu_survey_reader *
ccpu_survey_reader_new(struct ccpu_survey *s, const struct ccpu_survey_read_opts *o)
{
	struct ccpu_survey_reader	*r = xcalloc(1, sizeof(*r));

	r->s = s;
	if (o != NULL)
		r->opts = *o;
	r->p = ccpu_profile_new();
	if (r->opts.jobs > CCPU_SURVEY_MAX_JOBS)
		r->opts.jobs = CCPU_SURVEY_MAX_JOBS;
	if (r->opts.jobs > 1)
		r->pool = pool_start(ccpu_survey_layout(s), r->opts.jobs);
	return r;
}

void
ccpu_survey_reader_free(struct ccpu_survey_reader *r)
{
	if (r == NULL)
		return;
	pool_stop(r->pool);
	ccpu_profile_free(r->p);
	free(r);
}
