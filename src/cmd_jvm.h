/*
 * CLI helpers shared by the commands that need a JVM layout; implemented in
 * cmd_jdk.c.
 */
#ifndef CCPU_CMD_JVM_H
#define CCPU_CMD_JVM_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ccpu/jvm.h"
#include "strbuf.h"

/*
 * The layout for --jdk NAME or --java-home DIR (at most one of them).
 * --java-home reads DIR/release (vendor rows, then the version); where that
 * leaves more than one layout, CMD_JVM_MAY_RUN runs DIR's JVM to tell.
 * Both NULL: the release file of $JAVA_HOME, then of the java on PATH (a
 * JDK without a CRaC line is skipped), else the default.  Prints errors
 * under cmdname and returns NULL; prints on stderr, in one line, which
 * layout a JDK name, a release file or the default gave and why.
 */
#define CMD_JVM_MAY_RUN	0x1u	/* off the restore path: may run the JVM to tell */
const struct ccpu_layout *cmd_jvm_layout(const char *cmdname, const char *jdk,
	    const char *java_home, unsigned int flags);
/* The same, with the evidence for the layout in why (size bytes). */
const struct ccpu_layout *cmd_jvm_layout_why(const char *cmdname, const char *jdk,
	    const char *java_home, unsigned int flags, char *why, size_t size);
/*
 * layouts --identify (src/cmd_jdk.c): run the JVM of arg (a JDK
 * directory or a java executable; NULL: $JAVA_HOME, then java on PATH) and
 * print which layout it uses.  Returns the exit status: 0 one layout, 1
 * none fits, 2 not a CRaC JDK, cannot run, or more than one fits.
 */
int	cmd_layouts_identify(const char *arg, bool json);
/*
 * The layout of the JVM of arg (as above), identified by running it; NULL
 * after a warning under cmdname when it cannot be told.  how gets the
 * evidence, for a note.
 */
const struct ccpu_layout *cmd_identify_layout(const char *cmdname,
	    const char *arg, char *how, size_t size);
/* The home of the java on PATH (a new string), or NULL. */
char	*cmd_java_home_on_path(void);
/* A JDK home's release file, bounded and non-blocking; "" when unreadable. */
char	*cmd_read_release(const char *home);
/* "name, name, ..." of fs into sb (as ccpu_layout_bit_label gives them). */
void	cmd_jvm_names_text(struct strbuf *, const struct ccpu_layout *,
	    const struct ccpu_featset *);

#endif
