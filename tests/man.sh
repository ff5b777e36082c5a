#!/bin/sh
# tests/man.sh BIN MANDIR -- the manual pages scripts/mkman.sh wrote into
# MANDIR against the programs they describe:
#   - a page for crac-cpu, for every command `crac-cpu --help` lists and for
#     crac-restore, each with the sections a page needs;
#   - every option a program's --help names is in its page and every option
#     the page names is in --help (or, for crac-cpu(1), in some command's);
#   - groff -ww and, when installed, mandoc -T lint find nothing to warn
#     about, and man -l renders each page.
# Prints "man: N passed, N failed" last.
set -u
bin=$1 dir=$2
top=$(cd "$(dirname "$0")/.." && pwd)
restore=$top/scripts/crac-restore
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); printf 'FAIL man/%s\n' "$1"; shift; [ $# -eq 0 ] || printf '%s\n' "$@"; }

# The long options a text names, one per line, sorted.
options() {
	grep -oE -- '(^|[^A-Za-z0-9_-])--[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | LC_ALL=C sort -u
}
render() {	# render PAGE: the page as plain text
	MANWIDTH=80 man -l "$1" 2>"$tmp/man.err" | col -b
}

for t in man groff col; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "SKIP man: no $t (scripts/install-deps.sh --test)"
		exit 0
	fi
done
cmds=$("$bin" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
[ -n "$cmds" ] && ok || no commands "crac-cpu --help lists no command"
pages="crac-cpu crac-restore"
for c in $cmds; do pages="$pages crac-cpu-$c"; done

have_mandoc=0
command -v mandoc >/dev/null 2>&1 && have_mandoc=1
[ $have_mandoc = 1 ] || echo "SKIP man/mandoc-lint: no mandoc (scripts/install-deps.sh --test)"
for p in $pages; do
	f=$dir/$p.1
	if [ ! -s "$f" ]; then
		no "$p" "no page $f"
		continue
	fi
	case $p in
	crac-cpu)	help=$("$bin" --help; for c in $cmds; do "$bin" "$c" --help; done) ;;
	crac-restore)	help=$("$restore" --help) ;;
	*)		help=$("$bin" "${p#crac-cpu-}" --help) ;;
	esac
	render "$f" >"$tmp/page"
	if [ -s "$tmp/page" ] && [ ! -s "$tmp/man.err" ]; then ok; else
		no "$p-renders" "$(cat "$tmp/man.err")"; fi
	missing=
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" "SEE ALSO"; do
		grep -q "^$s\$" "$tmp/page" || missing="$missing '$s'"
	done
	[ -z "$missing" ] && ok || no "$p-sections" "missing:$missing"
	printf '%s\n' "$help" | options >"$tmp/help.opts"
	options <"$tmp/page" >"$tmp/page.opts"
	if [ $p = crac-cpu ]; then
		# The overview names options of its commands; each must exist.
		extra=$(LC_ALL=C comm -13 "$tmp/help.opts" "$tmp/page.opts")
		lacking=$("$bin" --help | options | LC_ALL=C comm -23 - "$tmp/page.opts")
	else
		extra=$(LC_ALL=C comm -13 "$tmp/help.opts" "$tmp/page.opts")
		lacking=$(LC_ALL=C comm -23 "$tmp/help.opts" "$tmp/page.opts")
	fi
	if [ -z "$extra" ] && [ -z "$lacking" ]; then ok; else
		no "$p-options" "in --help, not in the page:" $lacking \
		    "in the page, not in --help:" $extra; fi
	warn=$(groff -man -ww -z "$f" 2>&1)
	[ -z "$warn" ] && ok || no "$p-groff" "$warn"
	if [ $have_mandoc = 1 ]; then
		warn=$(mandoc -T lint -W warning "$f" 2>&1)
		[ -z "$warn" ] && ok || no "$p-mandoc" "$warn"
	fi
done

echo "man: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
