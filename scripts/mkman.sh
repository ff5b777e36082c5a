#!/bin/sh
# scripts/mkman.sh CRAC_CPU CRAC_RESTORE OUTDIR -- write the manual pages
# from the programs' own --help, so that a page cannot say what --help does
# not: crac-cpu(1) from `crac-cpu --help`, crac-cpu-CMD(1) from `crac-cpu
# CMD --help` for every command it lists, crac-restore(1) from
# `crac-restore --help`.  man/NAME.in (roff, optional) adds the sections
# help has no room for (environment, files, examples), and man/examples
# ("PAGE CASE" lines, # comments) adds examples with real output: the args and stdout
# of tests/cli/CASE, which make test checks.
#
# The help format read: "usage: PROG ..." lines (the synopsis; a
# "PROG: summary" line may come first), the summary paragraph, paragraphs
# separated by blank lines (or starting at a "header:" line or "exit
# status:"); a paragraph whose first line ends in ":" or is
# "X is one of", followed by lines indented two spaces "  TAG   text" (text
# continued on deeper-indented lines; two spaces at least between TAG and
# text), is a list: "options:" is OPTIONS,
# "environment:" ENVIRONMENT, others stay in DESCRIPTION; a paragraph
# starting "exit status:" is EXIT STATUS; other paragraphs are DESCRIPTION,
# or OPTIONS when they start with an option.
set -eu
ccpu=$1 restore=$2 out=$3
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
ver=$("$ccpu" --version)
version=$(printf '%s\n' "$ver" | sed -n '1s/^crac-cpu //p')
date=$(printf '%s\n' "$ver" | sed -n 's/^layout data \([0-9-]*\).*/\1/p')

# page NAME SECTION-TITLE < help text: the roff page on stdout.
page() {
	awk -v name="$1" -v date="$date" -v version="$version" '
	function esc(s) {
		gsub(/\\/, "\\e", s)
		# Option dashes are minus signs (\-), hyphens elsewhere stay.
		while (match(s, /(^|[][ (|,=\/`"])-/))
			s = substr(s, 1, RSTART + RLENGTH - 2) "\\-" substr(s, RSTART + RLENGTH)
		while (match(s, /\\--/))
			s = substr(s, 1, RSTART + 1) "\\-" substr(s, RSTART + 3)
		while (match(s, /`[^`]*`/))
			s = substr(s, 1, RSTART - 1) "\\(oq" substr(s, RSTART + 1, RLENGTH - 2) \
			    "\\(cq" substr(s, RSTART + RLENGTH)
		gsub(/'"'"'/, "\\(aq", s)
		sub(/^\./, "\\\\\\&.", s)
		return s
	}
	function line(s) { out[sec] = out[sec] esc(s) "\n" }
	function raw(s) { out[sec] = out[sec] s "\n" }
	function flush(   i, n, hdr, tag, txt, m) {
		if (np == 0)
			return
		if (para[1] ~ /^exit status:/) {
			sec = "EXIT STATUS"
			sub(/^exit status: */, "", para[1])
			raw(".PP")
			for (i = 1; i <= np; i++)
				line(para[i])
		} else if ((para[1] ~ /:$/ || para[1] ~ / is one of$/) && np > 1 &&
		    para[2] ~ /^  [^ ]+( [^ ]+)*  +[^ ]/) {
			hdr = para[1]
			if (hdr == "options:")
				sec = "OPTIONS"
			else if (hdr == "environment:")
				sec = "ENVIRONMENT"
			else {
				sec = "DESCRIPTION"
				raw(".PP")
				line(hdr)
			}
			for (i = 2; i <= np; i++) {
				if (para[i] ~ /^  [^ ]/) {
					m = match(substr(para[i], 3), /  +/)
					if (m) {
						tag = substr(para[i], 3, RSTART - 1)
						txt = substr(para[i], 3 + RSTART - 1 + RLENGTH)
					} else {
						tag = substr(para[i], 3)
						txt = ""
					}
					raw(".TP")
					raw("\\fB" esc(tag) "\\fR")
					if (txt != "")
						line(txt)
				} else {
					txt = para[i]
					sub(/^ +/, "", txt)
					if (txt ~ /^[a-z]+: /)
						raw(".br")
					line(txt)
				}
			}
		} else {
			# Prose: about an option ("--jdk takes ...") under OPTIONS.
			sec = para[1] ~ /^--/ ? "OPTIONS" : "DESCRIPTION"
			raw(".PP")
			for (i = 1; i <= np; i++) {
				txt = para[i]
				sub(/^ +/, "", txt)
				line(txt)
			}
		}
		np = 0
	}
	# "prog: summary" before the usage (the header comment of a script).
	NR == 1 && !/^usage: / {
		summary = $0
		sub(/^[^:]*: /, "", summary)
		seen_summary = 1
		next
	}
	/^usage: / || (insyn && /^       [^ ]/) {
		s = $0
		sub(/^usage: /, "", s)
		sub(/^       /, "", s)
		syn = syn esc(s) "\n"
		insyn = 1
		next
	}
	{ insyn = 0 }
	/^$/ {
		flush()
		if (!seen_summary && summary != "")
			seen_summary = 1
		next
	}
	{
		if (syn != "" && !seen_summary && sec == "") {
			summary = summary (summary == "" ? "" : " ") $0
			sec = "NAME"
			next
		}
		if (sec == "NAME" && !seen_summary) {
			summary = summary " " $0
			next
		}
		# A header or the exit status starts a paragraph of its own.
		if (/^[A-Za-z][^ ]*( [^ ]+)*:$/ || /^exit status:/)
			flush()
		para[++np] = $0
	}
	END {
		flush()
		up = toupper(name)
		print ".TH " up " 1 " date " \"crac-cpu " version "\" \"crac-cpu manual\""
		print ".SH NAME"
		s = summary
		sub(/\.$/, "", s)
		print name " \\- " esc(tolower(substr(s, 1, 1)) substr(s, 2))
		print ".SH SYNOPSIS"
		print ".nf"
		printf "%s", syn
		print ".fi"
		print ".SH DESCRIPTION"
		print esc(toupper(substr(summary, 1, 1)) substr(summary, 2))
		printf "%s", out["DESCRIPTION"]
		n = split("OPTIONS|ENVIRONMENT|EXIT STATUS", order, "|")
		for (i = 1; i <= n; i++)
			if (out[order[i]] != "") {
				print ".SH " order[i]
				s = out[order[i]]
				sub(/^\.PP\n/, "", s)
				printf "%s", s
			}
	}'
}

# examples NAME: the man/examples rows for NAME, as roff.
examples() {
	first=1
	grep "^$1 " "$top/man/examples" 2>/dev/null | while read -r _ case; do
		d=$top/tests/cli/$case
		[ -f "$d/args" ] || { echo "mkman: man/examples: no case $case" >&2; exit 1; }
		[ $first = 1 ] && echo ".SH EXAMPLES"
		args=$(sed -e 's|@FIX@/cpuid/||g' -e 's|@FIX@/||g' -e 's|@TMP@/||g' "$d/args")
		[ $first = 1 ] || echo ".PP"
		first=0
		echo ".EX"
		printf '$ crac-cpu %s\n' "$args" | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e 's/-/\\-/g'
		sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/' -e 's|@TMP@/||g' -e 's|@FIX@/cpuid/||g' \
		    "$d/stdout" | head -n 24
		[ "$(wc -l <"$d/stdout")" -le 24 ] || echo "\\&..."
		echo ".EE"
	done
}

finish() {	# finish NAME SEE-ALSO...
	n=$1
	shift
	[ -f "$top/man/$n.in" ] && cat "$top/man/$n.in"
	examples "$n"
	echo ".SH SEE ALSO"
	sep=
	for s in "$@"; do
		printf '%s.BR %s (1)' "$sep" "$s"
		sep=',
'
	done
	echo
}

cmds=$("$ccpu" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
{
	"$ccpu" --help | page crac-cpu
	echo ".SH COMMANDS"
	for c in $cmds; do
		echo ".TP"
		echo ".BR crac\\-cpu\\-$c (1)"
		"$ccpu" "$c" --help | awk 'NR > 2 && /^$/ { exit } NR > 2 { print }' |
		    sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e 's/\(^\| \)--/\1\\-\\-/g'
	done
	see=
	for c in $cmds; do see="$see crac-cpu-$c"; done
	# shellcheck disable=SC2086
	finish crac-cpu $see crac-restore
} >"$out/crac-cpu.1"
for c in $cmds; do
	{
		# "usage: crac-cpu CMD" names the page crac-cpu-CMD.
		"$ccpu" "$c" --help | page "crac-cpu-$c"
		finish "crac-cpu-$c" crac-cpu crac-restore
	} >"$out/crac-cpu-$c.1"
done
{
	"$restore" --help | page crac-restore
	finish crac-restore crac-cpu crac-cpu-check
} >"$out/crac-restore.1"
