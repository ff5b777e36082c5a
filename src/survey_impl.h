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
	/* aarch64 hosts (survey_a64.c). */
	const struct ccpu_a64_layout	*a64_layout;
	struct ccpu_survey_a64_class	**a64;		/* insertion order, then report order */
	struct ccpu_survey_a64_class	**a64_by_serial;
	size_t				 na64, aa64;
	unsigned long			 a64_hosts;
	unsigned long			 a64_nfd_hosts;	/* of which from node labels */
	unsigned long			 a64_labelled;	/* of which with the layout's labels */
	struct ccpu_featset		 a64_plan[2];	/* [pac] */
	unsigned long			 a64_plan_hosts[2];
};

/* The survey's aarch64 layout, a63: what arm64 nodes' labels are read in. */
const struct ccpu_a64_layout *survey_a64_layout_default(void);
/* survey_a64.c: fold an aarch64 host; order and plan at finish; free. */
void	survey_a64_add(struct ccpu_survey *, const struct ccpu_survey_host *);
void	survey_a64_finish(struct ccpu_survey *);
void	survey_a64_free(struct ccpu_survey *);
/* report_survey.c's aarch64 parts. */
struct strbuf;
void	survey_a64_text(const struct ccpu_survey *, struct strbuf *);
json_t	*survey_a64_json(const struct ccpu_survey *);
/* Its yaml documents: one affinity per PAC kind's plan. */
void	survey_a64_yaml(const struct ccpu_survey *, struct strbuf *);
/* report_survey.c: JSON v as YAML, block style. */
void	survey_yaml_emit(struct strbuf *, const json_t *v, int indent,
	    bool in_seq);
/* Its csv rows, under columns cols (x86-64) and a64cols (aarch64). */
void	survey_a64_csv(const struct ccpu_survey *, struct strbuf *,
	    const struct ccpu_featset *cols, const struct ccpu_featset *a64cols);

#endif
