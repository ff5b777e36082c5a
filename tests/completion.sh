#!/bin/sh
# tests/completion.sh BIN -- completion/crac-cpu.bash driven as bash drives
# it (COMP_WORDS, COMP_CWORD, the completion function, COMPREPLY), with BIN
# as crac-cpu on PATH: fixed expectations for commands, options, --format
# and --jdk values and file arguments, and, for every command, every
# option its --help lists offered after "--".
# Prints "completion: N passed, N failed" last.
set -u
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v bash >/dev/null 2>&1; then
	echo "SKIP completion: no bash"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/cwd" "$tmp/cwd/imgdir"
ln -s "$bin" "$tmp/bin/crac-cpu"
ln -s "$top/scripts/crac-restore" "$tmp/bin/crac-restore"
: >"$tmp/cwd/zen4.raw"
: >"$tmp/cwd/zen4.json"

cat >"$tmp/drive.bash" <<'EOF'
# comp LINE: complete the last word of LINE (a trailing space: a new word);
# prints the sorted COMPREPLY on one line.
. "$COMPLETION"
comp() {
	read -r -a COMP_WORDS <<<"$1"
	[[ $1 == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	case ${COMP_WORDS[0]} in
	crac-cpu)	_crac_cpu ;;
	crac-restore)	_crac_restore ;;
	esac
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
	echo
}
EOF

pass=0 fail=0
# expect 'LINE' 'WANT': the completions of LINE are exactly WANT.
expect() {
	got=$(cd "$tmp/cwd" && PATH="$tmp/bin:$PATH" COMPLETION="$top/completion/crac-cpu.bash" \
	    bash -c '. "$0"; comp "$1"' "$tmp/drive.bash" "$1" 2>&1)
	if [ "$got" = "$2" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf "FAIL completion: '%s'\n  got:  %s\n  want: %s\n" "$1" "$got" "$2"
	fi
}

expect 'crac-cpu ' '--help --version -V -h check decode features flags help layouts plan probe stamp survey version'
expect 'crac-cpu ch' 'check'
expect 'crac-cpu help s' 'stamp survey'
expect 'crac-cpu check --f' '--format'
expect 'crac-cpu check --format ' 'json openmetrics text'
expect 'crac-cpu check --format=j' '--format=json'
expect 'crac-cpu survey --format ' 'csv html json text yaml'
expect 'crac-cpu probe --format ' 'json text'
expect 'crac-cpu features --format v' 'value'
expect 'crac-cpu flags --format ' 'arg env json value'
expect 'crac-cpu features --jdk x2' 'x21 x25 x26a x26b x27'
expect 'crac-cpu plan --jdk zulu' 'zulu17 zulu25 zulu26'
expect 'crac-cpu decode --translate-to x1' 'x17 x17-early'
expect 'crac-cpu probe --host ze' 'zen4.json zen4.raw'
expect 'crac-cpu plan --jdk 21 zen4.r' 'zen4.raw'
expect 'crac-cpu features --java-home im' 'imgdir'
expect 'crac-cpu check --value ' ''
expect 'crac-cpu probe -o ' 'imgdir zen4.json zen4.raw'
expect 'crac-restore --f' '--fallback'
expect 'crac-restore --java ze' 'zen4.json zen4.raw'
expect 'crac-restore ' 'imgdir'
expect 'crac-restore imgdir -- ze' 'zen4.json zen4.raw'

# Every option of every command's --help is offered after "--".
for c in $("$bin" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'); do
	want=$( { "$bin" "$c" --help | grep -oE -- '^  (-[a-z], )?--[a-z][a-z0-9-]*' |
	    grep -oE -- '--[a-z][a-z0-9-]*'; echo --version; } | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//')
	expect "crac-cpu $c --" "$want"
done

echo "completion: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
