#!/bin/sh
# tests/coverage.sh -- make coverage: build with gcov instrumentation in
# build/cov, run the unit tests and the CLI, restore, identify and
# derivation tests against that binary, and print line coverage per source
# file (library and CLI apart) and in all.  For people: never a pass/fail.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
b=build/cov
rm -rf "$b"
make -s B="$b" CFLAGS="-O0 -g --coverage" LDFLAGS="--coverage" \
    "$b/crac-cpu" $(for t in tests/unit/*.c; do n=${t##*/}; printf '%s ' "$b/tests/${n%.c}"; done) || exit 2
for t in "$b"/tests/test_*; do "$t" >/dev/null 2>&1; done
sh tests/run-cli.sh "$top/$b/crac-cpu" | tail -1
sh tests/derivations.sh "$top/$b/crac-cpu" | tail -1
sh tests/restore.sh "$top/$b/crac-cpu" | tail -1
sh tests/identify.sh "$top/$b/crac-cpu" | tail -1
echo
printf '%-24s %7s %7s %6s\n' file lines run cover
for part in lib cli; do
	if [ $part = lib ]; then
		files=$(ls src/*.c src/x86_64/*.c | grep -v -e '^src/main\.c$' -e '^src/cmd_')
	else
		files="src/main.c $(ls src/cmd_*.c)"
	fi
	tl=0 tr=0
	for f in $files; do
		out=$(gcov -n -o "$b/$(dirname "$f")" "$f" 2>/dev/null | awk -v f="$f" '
		    $0 ~ "^File .*" f "'"'"'$" { hit = 1; next }
		    hit && /^Lines executed:/ { sub("Lines executed:", ""); split($0, a, "% of "); print a[1], a[2]; exit }')
		[ -n "$out" ] || continue
		set -- $out
		run=$(awk -v p="$1" -v n="$2" 'BEGIN { printf "%d", p * n / 100 + 0.5 }')
		printf '%-24s %7s %7s %5s%%\n' "$f" "$2" "$run" "$1"
		tl=$((tl + $2)) tr=$((tr + run))
	done
	printf '%-24s %7s %7s %5s%%\n\n' "($part)" "$tl" "$tr" \
	    "$(awk -v r=$tr -v l=$tl 'BEGIN { printf "%.1f", l ? 100 * r / l : 0 }')"
	eval "tot_$part=$tl run_$part=$tr"
done
printf '%-24s %7s %7s %5s%%\n' "(all)" $((tot_lib + tot_cli)) $((run_lib + run_cli)) \
    "$(awk -v r=$((run_lib + run_cli)) -v l=$((tot_lib + tot_cli)) 'BEGIN { printf "%.1f", 100 * r / l }')"
