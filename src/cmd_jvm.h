/*
 * CLI helpers shared by the JVM-model commands (features, decode, layouts);
 * implemented in cmd_layouts.c.
 */
#ifndef CCPU_CMD_JVM_H
#define CCPU_CMD_JVM_H

#include <stdbool.h>

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
/*
 * layouts --identify (src/cmd_identify.c): run the JVM of arg (a JDK
 * directory or a java executable; NULL: $JAVA_HOME, then java on PATH) and
 * print which layout it uses.  Returns the exit status: 0 one layout, 1
 * none fits, 2 not a CRaC JDK, cannot run, or more than one fits.
 */
int	cmd_layouts_identify(const char *arg, bool json);
/* The members of fs as a JSON array of names (a new reference). */
json_t	*cmd_jvm_names_json(const struct ccpu_layout *, const struct ccpu_featset *);
/* {"value": "0x..,0x..", "words": ["0x%016llx", ...], "bitmap": ..., "names": [...]} */
json_t	*cmd_jvm_value_json(const struct ccpu_layout *, const struct ccpu_featset *);
/* "name, name, ..." of fs into sb (as ccpu_layout_bit_label gives them). */
void	cmd_jvm_names_text(struct strbuf *, const struct ccpu_layout *,
	    const struct ccpu_featset *);

#endif
