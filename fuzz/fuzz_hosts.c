/*
 * The one host reader (src/hosts.c) and the survey's reading of it
 * (src/survey_read.c) over arbitrary bytes written to a file: the JSON
 * record scanner (JSON lines, pretty documents, arrays, node lists read item
 * by item), dumps, /proc/cpuinfo (src/cpuinfo.c), lscpu -J and NFD nodes.
 * The first byte picks the layout and whether worker threads parse (odd:
 * two); the survey is then finished and rendered as text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccpu/hosts.h"
#include "ccpu/jvm.h"
#include "ccpu/survey.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	path[64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccpu_survey_read_opts	 o;
	struct ccpu_survey_reader	*r;
	struct ccpu_survey		*s;
	const struct ccpu_layout	*l;
	struct ccpu_error		 e;
	FILE				*f;
	char				*text;
	size_t				 n = 0;
	int				 fd;

	if (size < 1)
		return 0;
	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "/tmp/fuzz-hosts.XXXXXX");
		if ((fd = mkstemp(path)) == -1)
			abort();
		close(fd);
	}
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	while (ccpu_layout_at(n) != NULL)
		n++;
	l = ccpu_layout_at(data[0] % n);
	s = ccpu_survey_new(l);
	memset(&o, 0, sizeof(o));
	o.jobs = data[0] & 0x80 ? 2 : 1;
	r = ccpu_survey_reader_new(s, &o);
	(void)ccpu_survey_reader_add(r, path, &e);
	ccpu_survey_reader_free(r);
	ccpu_survey_finish(s);
	text = ccpu_survey_text(s);
	free(text);
	ccpu_survey_free(s);
	return 0;
}
