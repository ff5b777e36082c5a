# bench/survey.bench.sh -- sourced by bench/run.sh ($bin, $top, $tmp, report).
# crac-cpu survey over a generated fleet (bench/gen-fleet.py) of 10,000 and
# 100,000 host profiles, as files in a directory tree and as a JSON-lines
# stream, against jq computing the fleet-wide intersection of the CPUID
# feature registers from the same input (bench/survey-and.jq) in the same
# run; the stream also with --jobs 1 (the default uses every CPU, at most
# 4), and at 1,000,000 profiles (the 100,000 stream ten times through a
# pipe) for peak RSS against the 10,000 run.  One run each: wall time and
# peak RSS from /usr/bin/time.  The fleet lives in $tmp and is removed with
# it.  BENCH_SURVEY_SIZES overrides the sizes; BENCH_SURVEY_NO_MILLION=1
# skips the million.
survey_measure() {	# survey_measure OUT CMD...: "seconds kilobytes" into OUT
	_o=$1
	shift
	/usr/bin/time -f '%e %M' -o "$_o" "$@" >/dev/null 2>&1
}

survey_line() {	# survey_line WHAT OURS-FILE JQ-FILE
	set -- "$1" $(cat "$2") $(cat "$3")
	printf '%-34s %7ss %8s KB   jq %7ss %8s KB   jq/ours %s\n' "$1" "$2" "$3" \
	    "$4" "$5" "$(python3 -c 'import sys; a, b = map(float, sys.argv[1:]); print("%.1fx" % (b / a if a else float("inf")))' "$2" "$4")"
}

if [ ! -x /usr/bin/time ]; then
	echo "SKIP survey: no /usr/bin/time (apt-get install time)"
elif ! command -v jq >/dev/null 2>&1; then
	echo "SKIP survey: no jq (apt-get install jq)"
else
	# 10,000 and 100,000 profiles, as files and as a stream; the stream
	# also on one thread (--jobs 1); jq on the same input.
	for n in ${BENCH_SURVEY_SIZES:-10000 100000}; do
		f=$tmp/fleet-$n
		python3 "$top/bench/gen-fleet.py" "$bin" "$n" "$f" || continue
		survey_measure "$tmp/a" "$bin" survey --jdk 21 "$f/hosts"
		survey_measure "$tmp/b" sh -c "find '$f/hosts' -name '*.json' -print0 |
		    xargs -0 cat | jq -n -f '$top/bench/survey-and.jq'"
		survey_line "survey $n profiles (files)" "$tmp/a" "$tmp/b"
		survey_measure "$tmp/a" sh -c "'$bin' survey --jdk 21 - <'$f/fleet.jsonl'"
		survey_measure "$tmp/c" sh -c "'$bin' survey --jobs 1 --jdk 21 - <'$f/fleet.jsonl'"
		survey_measure "$tmp/b" jq -n -f "$top/bench/survey-and.jq" "$f/fleet.jsonl"
		survey_line "survey $n profiles (stream)" "$tmp/a" "$tmp/b"
		survey_line "  the same, --jobs 1" "$tmp/c" "$tmp/b"
		if [ "$n" = 100000 ] && [ -z "${BENCH_SURVEY_NO_MILLION:-}" ]; then
			# 1,000,000: the 100,000 stream ten times through a pipe
			# (no 4 GB file); peak RSS must stay where 10,000 was.
			survey_measure "$tmp/a" sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do
			    cat '$f/fleet.jsonl'; done | '$bin' survey --jdk 21 -"
			set -- $(cat "$tmp/a")
			printf '%-34s %7ss %8s KB   (jq not run: 10x its 100,000 time)\n' \
			    "survey 1000000 profiles (stream)" "$1" "$2"
		fi
		rm -rf "$f"
	done
fi
