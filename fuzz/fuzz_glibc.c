/*
 * ccpu_glibc_merge with an arbitrary existing GLIBC_TUNABLES value.  The
 * first 33 bytes pick the layout, the host's raw features and the value
 * (one word each); the next two the output size; the rest is the existing
 * string (up to its first NUL).  The output must be NUL-terminated
 * within the buffer and a prefix of the output into a buffer with room to
 * spare, and that one must name every disabled tunable.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/featset.h"
#include "ccpu/glibc.h"
#include "ccpu/jvm.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define HEAD	35

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ccpu_layout	*l;
	struct ccpu_featset		 raw = CCPU_FEATSET_INIT;
	struct ccpu_featset		 value = CCPU_FEATSET_INIT, got;
	struct ccpu_glibc		 g;
	char				*existing, *out, *big, name[64];
	size_t				 outsize, bigsize, i;

	if (size < HEAD)
		return 0;
	l = ccpu_layout_at(data[0] % 8);
	memcpy(&raw.w[0], data + 1, 8);
	memcpy(&raw.w[1], data + 9, 8);
	memcpy(&value.w[0], data + 17, 8);
	memcpy(&value.w[1], data + 25, 8);
	outsize = ((size_t)data[33] << 8 | data[34]) % (4 * CCPU_GLIBC_MAX) + 1;
	if ((existing = malloc(size - HEAD + 1)) == NULL)
		return 0;
	memcpy(existing, data + HEAD, size - HEAD);
	existing[size - HEAD] = '\0';
	bigsize = size - HEAD + 2 * CCPU_GLIBC_MAX;
	out = malloc(outsize);
	big = malloc(bigsize);
	if (out == NULL || big == NULL)
		abort();
	ccpu_glibc_derive(l, &raw, &value, &g);
	if (data[33] & 0x80) {
		free(existing);
		existing = NULL;
	}
	ccpu_glibc_merge(&g, existing, out, outsize);
	ccpu_glibc_merge(&g, existing, big, bigsize);
	if (strnlen(out, outsize) == outsize ||
	    strnlen(big, bigsize) >= bigsize - 1)
		abort();	/* not terminated, or cut short with room to spare */
	if (strncmp(out, big, strlen(out)) != 0)
		abort();	/* a short buffer must hold a prefix of the result */
	for (i = 0; i < ccpu_glibc_ntunables(); i++) {
		if ((g.disabled & (UINT64_C(1) << i)) == 0)
			continue;
		snprintf(name, sizeof(name), "-%s",
		    ccpu_glibc_tunable_name(i));
		if (strstr(big, name) == NULL)
			abort();
	}
	(void)ccpu_jvm_tunables(l, big, &got, NULL, 0);
	free(big);
	free(out);
	free(existing);
	return 0;
}
