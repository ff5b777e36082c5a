/*
 * crac-cpu: the command table and the one dispatcher that owns lookup,
 * usage and --help.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "ccpu/probe.h"
#include "ccpu/profile.h"
#include "cmd.h"
#include "xmalloc.h"

static const struct cmd *const cmds[] = {
	&cmd_probe,
	&cmd_features,
	&cmd_decode,
	&cmd_layouts,
	&cmd_survey,
	&cmd_check,
	&cmd_stamp,
	&cmd_plan,
	&cmd_flags,
};

static void
main_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: crac-cpu <command> [options] [args]\n"
	    "       crac-cpu <command> --help\n\n"
	    "Plan, check and explain the CPU features of Java CRaC images.\n\n"
	    "commands:\n");
	for (i = 0; i < nitems(cmds); i++)
		fprintf(f, "  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(f, "\nexit status: 0 ok, 1 the answer is no (incompatible), "
	    "2 could not answer (usage, input or system error)\n");
}

int
cmd_usage(const struct cmd *c, int status)
{
	FILE	*f = status == STATUS_OK ? stdout : stderr;

	fprintf(f, "usage: crac-cpu %s %s\n", c->name, c->usage);
	if (status == STATUS_OK) {
		fprintf(f, "\n%s\n", c->summary);
		if (c->help != NULL && c->help[0] != '\0')
			fprintf(f, "\n%s", c->help);
	}
	return status;
}

struct ccpu_profile *
cmd_load_host(const char *cmdname, const char *path)
{
	struct ccpu_profile	*p = ccpu_profile_new();
	struct ccpu_error	 e;
	int			 rc;

	rc = path == NULL ? ccpu_probe_host(p, &e) : ccpu_profile_load(p, path, &e);
	if (rc == -1) {
		warnx("%s: %s", cmdname, e.msg);
		ccpu_profile_free(p);
		return NULL;
	}
	return p;
}

int
cmd_write_output(const char *cmdname, const char *path, const char *text,
    bool durable)
{
	char	*tmp;
	FILE	*f = NULL;
	size_t	 n = strlen(text);
	mode_t	 mask;
	int	 fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		if (fwrite(text, 1, n, stdout) != n || fflush(stdout) != 0) {
			warn("%s: stdout", cmdname);
			return -1;
		}
		return 0;
	}
	tmp = xmalloc(strlen(path) + 16);
	memcpy(tmp, path, strlen(path));
	memcpy(tmp + strlen(path), ".tmp.XXXXXX", 12);
	if ((fd = mkstemp(tmp)) == -1) {
		warn("%s: '%s'", cmdname, path);
		free(tmp);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 ||
	    (f = fdopen(fd, "w")) == NULL || fwrite(text, 1, n, f) != n ||
	    fflush(f) != 0 || (durable && fsync(fd) != 0)) {
		warn("%s: '%s'", cmdname, path);
		if (f != NULL)
			fclose(f);
		else
			close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		warn("%s: '%s'", cmdname, path);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int
main(int argc, char *argv[])
{
	size_t	i;

	json_set_alloc_funcs(xmalloc, free);
	if (argc < 2) {
		main_usage(stderr);
		return STATUS_ERROR;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2) {
			for (i = 0; i < nitems(cmds); i++)
				if (strcmp(argv[2], cmds[i]->name) == 0)
					return cmd_usage(cmds[i], STATUS_OK);
			warnx("unknown command '%s'", argv[2]);
			return STATUS_ERROR;
		}
		main_usage(stdout);
		return STATUS_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("crac-cpu %s\n", CCPU_VERSION);
		return STATUS_OK;
	}
	for (i = 0; i < nitems(cmds); i++)
		if (strcmp(argv[1], cmds[i]->name) == 0)
			return cmds[i]->main(argc - 1, argv + 1);
	warnx("unknown command '%s' (see 'crac-cpu --help')", argv[1]);
	return STATUS_ERROR;
}
