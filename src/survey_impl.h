/*
 * The survey's state, shared by the modules that fold hosts into it
 * (survey.c), render it (report_survey.c, report_html.c) and derive node
 * affinity from it (nfd.c).  Private to libccpu.
 */
#ifndef CCPU_SURVEY_IMPL_H
#define CCPU_SURVEY_IMPL_H

#include "ccpu/survey.h"

struct ccpu_survey {
	const struct ccpu_layout	*layout;
	unsigned long			 hosts, nfd_hosts;
	unsigned long			 crac_hosts;	/* NFD hosts labelled by crac-cpu */
	struct ccpu_survey_class	**classes;	/* insertion order, then report order */
	struct ccpu_survey_class	**by_serial;	/* insertion order, always */
	size_t				 last_serial;	/* the class of the last host added */
	size_t				 nclasses, aclasses;
	size_t				*slots;		/* hash: class index + 1, 0 = empty */
	size_t				 nslots;
	unsigned long			 feat_hosts[CCPU_FEATSET_MAX];
	unsigned long			 feat_unknown[CCPU_FEATSET_MAX];
	struct ccpu_survey_image	*images;
	size_t				 nimages;
	struct ccpu_survey_error	*errors;
	size_t				 nerrors_listed;
	unsigned long			 nerrors;
	bool				 finished;
	struct ccpu_featset		 plan, all;
	bool				 plan_valid;
	unsigned int			 split_k;	/* asked for; < 2: none */
	bool				 split_done;
	struct ccpu_survey_split	 split;
	/* ccpu_survey_set_inputs: for the HTML header only. */
	bool				 has_inputs;
	size_t				 ninputs;
	char				*inputs[CCPU_SURVEY_INPUTS];
	int64_t				 generated;
};

#endif
