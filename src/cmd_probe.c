/*
 * crac-cpu probe: capture this host (or read a dump) into a host profile.
 */
#include <err.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/profile.h"
#include "ccpu/report.h"
#include "cmd.h"

static int	probe_main(int, char *[]);

const struct cmd cmd_probe = {
	"probe",
	"[-o FILE] [--host FILE] [--format json|text]",
	"Capture this host's CPUID (every core type), XCR0 and OS facts as a host\n"
	"profile, or read another host's from a dump file.",
	"options:\n"
	"  -o, --output FILE   write to FILE (atomically) instead of standard output\n"
	"  --host FILE         read another host instead of probing this one: a\n"
	"                      profile, a libcpuid raw dump (cpuid_tool --save) or\n"
	"                      `cpuid -r` output, alone or as the one record of a\n"
	"                      stream; - is stdin, a pipe or FIFO is read as it comes\n"
	"                      (--from FILE: the same, as earlier versions spelt it)\n"
	"  --format FORMAT     json (the profile, default) or text (a summary)\n"
	"  -h, --help          show this help\n"
	"\nexit status: 0 done, 2 usage, input or system error\n",
	probe_main,
	CMD_OPT_OUTPUT | CMD_OPT_HOST | CMD_OPT_FORMAT,
	(const char *const[]){ "json", "text", NULL },
};

int
probe_main(int argc, char *argv[])
{
	struct cmd_opts		 o = CMD_OPTS_INIT;
	struct ccpu_profile	*p;
	char			*text;
	int			 ch, rc;

	while ((ch = cmd_getopt(&cmd_probe, argc, argv, NULL, &o)) > 0)
		continue;
	cmd_opts_release(&o);
	if (ch == -1)
		return o.status;
	if (optind != argc) {
		warnx("probe: unexpected argument '%s'", argv[optind]);
		return cmd_usage(&cmd_probe, STATUS_ERROR);
	}
	if ((p = cmd_load_host("probe", o.host)) == NULL)
		return STATUS_ERROR;
	text = o.fmt == 0 ? ccpu_profile_dumps(p) :
	    ccpu_report_profile(p);
	rc = cmd_write_output("probe", o.output, text, false) == 0 ? STATUS_OK : STATUS_ERROR;
	free(text);
	ccpu_profile_free(p);
	return rc;
}
