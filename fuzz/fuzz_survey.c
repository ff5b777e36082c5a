/*
 * The survey's JSON input as `crac-cpu survey` reads it (src/cmd_survey.c):
 * the whole input as one document, else one document per line; a
 * Kubernetes node list goes through ccpu_nfd_add_nodes, anything else
 * through ccpu_profile_from_json.  The first byte picks the layout and the
 * split; the survey is then finished and rendered in every format.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/jvm.h"
#include "ccpu/profile.h"
#include "ccpu/survey.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
add_doc(struct ccpu_survey *s, struct ccpu_profile *p, const json_t *doc)
{
	struct ccpu_error	e;

	if (ccpu_nfd_is_node_list(doc)) {
		if (ccpu_nfd_add_nodes(s, doc, "fuzz", &e) == -1)
			ccpu_survey_add_error(s, "fuzz", 0, e.msg);
		return;
	}
	if (ccpu_profile_from_json(p, doc, &e) == -1 ||
	    ccpu_survey_add_profile(s, p, &e) == -1)
		ccpu_survey_add_error(s, "fuzz", 1, e.msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccpu_survey	*s;
	struct ccpu_profile	*p;
	struct ccpu_featset	 v = CCPU_FEATSET_INIT;
	json_error_t		 je;
	json_t			*doc, *j;
	const char		*buf = (const char *)data + 1, *q, *end, *nl;
	char			*text;
	bool			 by_labels;
	size_t			 i;

	if (size == 0)
		return 0;
	size--;
	s = ccpu_survey_new(ccpu_layout_at(data[0] % 8));	/* x17 ... x27 */
	ccpu_survey_set_split(s, (data[0] >> 3) % 5);
	p = ccpu_profile_new();
	if ((doc = json_loadb(buf, size, 0, &je)) != NULL) {
		add_doc(s, p, doc);
		json_decref(doc);
	} else {
		for (q = buf, end = buf + size; q < end; q = nl + 1) {
			if ((nl = memchr(q, '\n', (size_t)(end - q))) == NULL)
				nl = end;
			if ((doc = json_loadb(q, (size_t)(nl - q), 0, &je)) != NULL) {
				add_doc(s, p, doc);
				json_decref(doc);
			}
		}
	}
	v.w[0] = 0x80d7;	/* an image to check the classes against */
	ccpu_survey_add_image(s, "fuzz", &v);
	ccpu_survey_finish(s);
	j = ccpu_survey_to_json(s);
	json_decref(j);
	free(ccpu_survey_text(s));
	free(ccpu_survey_csv(s));
	if (size < 4096) {	/* the HTML page is slow; keep the fuzzer fast */
		text = ccpu_survey_html(s);
		free(text);
	}
	for (i = 0; i <= ccpu_survey_nimages(s); i++) {
		j = ccpu_survey_affinity(s, i == ccpu_survey_nimages(s) ?
		    (size_t)-1 : i, &by_labels);
		json_decref(j);
	}
	ccpu_profile_free(p);
	ccpu_survey_free(s);
	return 0;
}
