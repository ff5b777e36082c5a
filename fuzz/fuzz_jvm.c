/*
 * JVM values, image bitmaps and CRaC messages on arbitrary text, in every
 * layout.  A value that parses must format back and parse to the same set;
 * a bitmap likewise; a message's values must be members of their layout.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/featset.h"
#include "ccpu/jvm.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ccpu_jvm_message	 m;	/* large: keep it off the stack */
	struct ccpu_featset		 fs, back;
	struct ccpu_error		 e;
	const struct ccpu_layout	*l, *to;
	char				*s, v[CCPU_VALUE_MAX];
	char				 hex[CCPU_BITMAP_HEX + 1], names[4096];
	size_t				 i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; (l = ccpu_layout_at(i)) != NULL; i++) {
		if (ccpu_jvm_parse_value(l, s, &fs, &e) == 0) {
			ccpu_jvm_format_value(l, &fs, v, sizeof(v));
			if (ccpu_jvm_parse_value(l, v, &back, &e) == -1 ||
			    memcmp(&fs, &back, sizeof(fs)) != 0)
				abort();
			ccpu_jvm_format_names(l, &fs, names, sizeof(names));
			to = ccpu_layout_at((i + 1) % CCPU_LAYOUT_COUNT);
			ccpu_jvm_translate(l, &fs, to, &back, NULL);
		}
		(void)ccpu_jvm_tunables(l, s, &fs, names, sizeof(names));
	}
	(void)ccpu_jvm_value_ambiguous(s);
	if (ccpu_jvm_parse_words(s, size, CCPU_PARSE_HEX, &fs, &e) == 0)
		(void)ccpu_jvm_parse_words(s, size, CCPU_PARSE_JVM, &fs, &e);
	if (ccpu_jvm_parse_bitmap(s, size, &fs, &e) == 0) {
		ccpu_jvm_format_bitmap(&fs, hex, sizeof(hex));
		if (ccpu_jvm_parse_bitmap(hex, strlen(hex), &back, &e) == -1 ||
		    memcmp(&fs, &back, sizeof(fs)) != 0)
			abort();
	}
	if (ccpu_jvm_message_parse((const char *)data, size, &m)) {
		if (m.id == NULL || m.nvalues > CCPU_MSG_VALUES ||
		    m.nargs > CCPU_MSG_ARGS)
			abort();
		for (i = 0; i < m.nvalues; i++)
			if (strnlen(m.values[i].text, CCPU_MSG_TEXT) == CCPU_MSG_TEXT)
				abort();
	}
	(void)ccpu_layout_from_java_version(s, &e);
	(void)ccpu_layout_from_release((const char *)data, size, &e);
	free(s);
	return 0;
}
