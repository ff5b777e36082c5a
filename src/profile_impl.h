/*
 * Inside libccpu: reading profiles and JSON host records from the tree of
 * src/jtree.h, so a survey's workers parse each record once, without
 * jansson, and keep their tree's memory from record to record.
 */
#ifndef CCPU_PROFILE_IMPL_H
#define CCPU_PROFILE_IMPL_H

#include "ccpu/hosts.h"
#include "ccpu/profile.h"
#include "jtree.h"

/*
 * The profile of d's document into p, overwritten whole (also on failure,
 * when it holds nothing of use): ccpu_profile_from_json's checks and
 * messages.
 */
int	profile_from_jt(struct ccpu_profile *p, const struct jdoc *d,
	    struct ccpu_error *err);

/* ccpu_host_json_host with d as the tree's memory (reused between calls). */
int	host_json_host(struct jdoc *d, const char *text, size_t len,
	    unsigned long line, unsigned long index, const char *file,
	    enum ccpu_hosts_json how, const struct ccpu_layout *l,
	    struct ccpu_profile *scratch, struct ccpu_survey_host_buf *out,
	    unsigned long *errline, struct ccpu_error *err);

#endif
