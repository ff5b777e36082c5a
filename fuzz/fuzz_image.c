/*
 * The image record parsers on arbitrary bytes: the first byte picks the
 * parser (`tags`, `cpufeatures` or the crac-cpu.json sidecar), the rest is
 * the file.  A parsed sidecar is rendered back to JSON in its layout.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ccpu/image.h"
#include "ccpu/jvm.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccpu_image_tags		 t;
	struct ccpu_featset		 fs, back;
	struct ccpu_sidecar		 sc;
	struct ccpu_error		 e;
	const struct ccpu_layout	*l;
	const char			*buf = (const char *)data + 1;
	char				 hex[CCPU_BITMAP_HEX + 1];
	json_t				*j;

	if (size == 0)
		return 0;
	size--;
	switch (data[0] % 3) {
	case 0:
		if (ccpu_image_parse_tags(&t, buf, size, "fuzz/tags", &e) == 0) {
			ccpu_jvm_format_bitmap(&t.features, hex, sizeof(hex));
			if (ccpu_jvm_parse_bitmap(hex, strlen(hex), &back, &e) == -1 ||
			    memcmp(&back, &t.features, sizeof(back)) != 0)
				abort();
			if (t.has_version)
				(void)ccpu_layout_from_java_version(t.java_version, &e);
		}
		break;
	case 1:
		if (ccpu_image_parse_userdata(&fs, buf, size, "fuzz/cpufeatures",
		    &e) == 0) {
			ccpu_jvm_format_bitmap(&fs, hex, sizeof(hex));
			if (size != CCPU_BITMAP_HEX + 1 ||
			    memcmp(hex, buf, CCPU_BITMAP_HEX) != 0)
				abort();
		}
		break;
	default:
		memset(&sc, 0, sizeof(sc));
		if (ccpu_sidecar_parse(&sc, buf, size, "fuzz/crac-cpu.json",
		    &e) == 0) {
			if ((l = ccpu_layout_lookup(sc.layout, NULL)) == NULL)
				l = ccpu_layout_default();
			j = ccpu_sidecar_to_json(&sc, l);
			json_decref(j);
			ccpu_sidecar_release(&sc);
		}
		break;
	}
	return 0;
}
