/*
 * ccpu_profile_parse on arbitrary bytes: format detection, the libcpuid raw
 * and `cpuid -r` dump parsers and profile JSON.  A parsed profile must dump
 * to JSON that parses back and dumps to the same bytes, and must derive in
 * every layout without tripping a sanitizer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/jvm.h"
#include "ccpu/profile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccpu_profile		*p, *q;
	struct ccpu_jvm_features	 f;
	struct ccpu_error		 e;
	const struct ccpu_layout	*l;
	char				*j1, *j2;
	size_t				 i;

	p = ccpu_profile_new();
	if (ccpu_profile_parse(p, (const char *)data, size, "fuzz", &e) == -1) {
		if (e.status != CCPU_EINPUT || e.msg[0] == '\0')
			abort();
		ccpu_profile_free(p);
		return 0;
	}
	j1 = ccpu_profile_dumps(p);
	q = ccpu_profile_new();
	if (ccpu_profile_parse(q, j1, strlen(j1), "fuzz.json", &e) == -1)
		abort();	/* our own JSON must read back */
	j2 = ccpu_profile_dumps(q);
	if (strcmp(j1, j2) != 0)
		abort();	/* and say the same thing */
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++)
		(void)ccpu_jvm_derive_host(l, p, &f, &e);
	(void)ccpu_profile_hybrid(p);
	(void)ccpu_profile_missing(p);
	free(j1);
	free(j2);
	ccpu_profile_free(q);
	ccpu_profile_free(p);
	return 0;
}
