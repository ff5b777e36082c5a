/*
 * CLI helpers shared by the JVM-model commands (features, decode, layouts);
 * implemented in cmd_layouts.c.
 */
#ifndef CCPU_CMD_JVM_H
#define CCPU_CMD_JVM_H

#include <jansson.h>

#include "ccpu/jvm.h"
#include "strbuf.h"

/*
 * The layout for --jdk NAME or --java-home DIR (at most one of them; both
 * NULL: the default).  Prints errors under cmdname and returns NULL; prints
 * the caveat of a JDK name as a note on stderr.
 */
const struct ccpu_layout *cmd_jvm_layout(const char *cmdname, const char *jdk,
	    const char *java_home);
/* The members of fs as a JSON array of names (a new reference). */
json_t	*cmd_jvm_names_json(const struct ccpu_layout *, const struct ccpu_featset *);
/* {"value": "0x..,0x..", "words": ["0x%016llx", ...], "bitmap": ..., "names": [...]} */
json_t	*cmd_jvm_value_json(const struct ccpu_layout *, const struct ccpu_featset *);
/* "name, name, ..." of fs into sb (as ccpu_layout_bit_label gives them). */
void	cmd_jvm_names_text(struct strbuf *, const struct ccpu_layout *,
	    const struct ccpu_featset *);

#endif
