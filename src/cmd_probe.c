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
	"[-o FILE] [--from DUMP] [--format json|text]",
	"Capture this host's CPUID (every core type), XCR0 and OS facts as a host\n"
	"profile, or read another host's from a dump file.",
	"options:\n"
	"  -o, --output FILE   write to FILE (atomically) instead of standard output\n"
	"  --from DUMP         read a libcpuid raw dump (cpuid_tool --save), a\n"
	"                      `cpuid -r` dump or a profile instead of probing; - is stdin\n"
	"  --format FORMAT     json (the profile, default) or text (a summary)\n"
	"  -h, --help          show this help\n"
	"\nexit status: 0 done, 2 usage, input or system error\n",
	probe_main,
};

int
probe_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ccpu_profile	*p;
	static const char *const formats[] = { "json", "text", NULL };
	const char		*out = NULL, *from = NULL, *format = "json";
	char			*text;
	int			 ch, rc;

	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'F':
			format = optarg;
			break;
		case 'h':
			return cmd_usage(&cmd_probe, STATUS_OK);
		default:
			return cmd_usage(&cmd_probe, STATUS_ERROR);
		}
	}
	if (optind != argc) {
		warnx("probe: unexpected argument '%s'", argv[optind]);
		return cmd_usage(&cmd_probe, STATUS_ERROR);
	}
	if (cmd_format("probe", format, formats) == -1) {
		return STATUS_ERROR;
	}
	if ((p = cmd_load_host("probe", from)) == NULL)
		return STATUS_ERROR;
	if (p->warning[0] != '\0')
		warnx("probe: %s", p->warning);
	text = strcmp(format, "json") == 0 ? ccpu_profile_dumps(p) :
	    ccpu_report_profile(p);
	rc = cmd_write_output("probe", out, text, false) == 0 ? STATUS_OK : STATUS_ERROR;
	free(text);
	ccpu_profile_free(p);
	return rc;
}
