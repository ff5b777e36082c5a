#!/bin/sh
# tests/run-cli.sh BIN -- run every tests/cli/<case>/ and compare.
# A case holds `args` (one line, word-split by the shell; the word @BIN@ is
# this binary, @FIX@ the tests/fixtures directory), optional `stdin`,
# `status` (expected exit status) and `stdout` (expected standard output);
# an optional `stderr` must match the standard error exactly.  An optional
# executable `setup` runs first in a fresh temporary directory ($TMP), which
# is also the case's working directory; @TMP@ in args is that directory; it
# finds the fixtures in $FIX and this binary in $BIN.
# An optional executable `check` runs there after the command (for example
# to see that no output file was left behind), with the same environment;
# the case fails if it fails.
# The command runs with no JAVA_HOME, no JVM options and a PATH without
# java; an optional `env` file holds NAME=value lines (shell-quoted) for it.
# Prints "N passed, N failed" last.  CCPU_TEST_ACCEPT=1 rewrites stdout,
# stderr (where present) and status from the actual results.
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
pass=0 fail=0
for dir in "$top"/tests/cli/*/; do
	dir=${dir%/}
	name=${dir##*/}
	tmp=$(mktemp -d)
	if [ -x "$dir/setup" ]; then
		(cd "$tmp" && FIX="$top/tests/fixtures" BIN="$bin" "$dir/setup") >/dev/null 2>&1
	fi
	args=$(sed -e "s|@FIX@|$top/tests/fixtures|g" -e "s|@TMP@|$tmp|g" \
	    "$dir/args")
	if [ -f "$dir/stdin" ]; then in="$dir/stdin"; else in=/dev/null; fi
	# Hermetic: no JDK from the environment (no JAVA_HOME, and a PATH
	# without java), no JVM options, no crac-restore options; a case's
	# optional `env` file adds NAME=value lines (@TMP@, @FIX@ expanded).
	envs=
	if [ -f "$dir/env" ]; then
		envs=$(sed -e "s|@FIX@|$top/tests/fixtures|g" -e "s|@TMP@|$tmp|g" \
		    "$dir/env")
	fi
	(cd "$tmp" && eval "set -- $args" &&
	 unset JAVA_HOME JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS \
	     CRAC_CPU_CHECK_OPTS &&
	 eval "export PATH='$tmp/no-such-dir' $envs" &&
	 "$bin" "$@" <"$in" >"$dir/stdout.actual" 2>"$dir/stderr.actual"
	 echo $? >"$dir/status.actual")
	sed -i -e "s|$tmp|@TMP@|g" -e "s|$top/tests/fixtures|@FIX@|g" \
	    "$dir/stdout.actual" "$dir/stderr.actual"
	checked=0
	if [ -x "$dir/check" ]; then
		(cd "$tmp" && FIX="$top/tests/fixtures" BIN="$bin" "$dir/check") \
		    >"$dir/check.actual" 2>&1 || checked=1
	fi
	rm -rf "$tmp"
	if [ "${CCPU_TEST_ACCEPT:-}" = 1 ]; then
		cp "$dir/status.actual" "$dir/status"
		cp "$dir/stdout.actual" "$dir/stdout"
		[ -f "$dir/stderr" ] && cp "$dir/stderr.actual" "$dir/stderr"
	fi
	ok=1
	[ $checked = 0 ] || ok=0
	cmp -s "$dir/status" "$dir/status.actual" || ok=0
	cmp -s "$dir/stdout" "$dir/stdout.actual" || ok=0
	if [ -f "$dir/stderr" ]; then
		cmp -s "$dir/stderr" "$dir/stderr.actual" || ok=0
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL cli/%s (status %s, want %s)\n' "$name" \
		    "$(cat "$dir/status.actual")" "$(cat "$dir/status" 2>/dev/null)"
		diff "$dir/stdout" "$dir/stdout.actual" | head -20
		[ -f "$dir/stderr" ] && diff "$dir/stderr" "$dir/stderr.actual" | head -10
		head -5 "$dir/stderr.actual"
		[ $checked = 0 ] || { echo "check failed:"; head -5 "$dir/check.actual"; }
	fi
done
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
