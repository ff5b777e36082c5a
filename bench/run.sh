#!/bin/sh
# make bench: whole-process wall time of crac-cpu commands as ratios against
# baselines measured in the same run (hyperfine when present, else a loop).
# Never a pass/fail: the numbers are for people.
set -u
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=${BENCH_RUNS:-200}

# mean_ms CMD...: mean wall time of CMD over $runs runs, in milliseconds;
# hyperfine (no shell, warm-up runs) when present, else a Python loop whose
# fork/exec overhead is the same for both sides of a ratio.
mean_ms() {
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N -w 10 -r "$runs" --export-json "$tmp/h.json" \
		    -- "$(printf '%s ' "$@")" >/dev/null 2>&1 &&
		    python3 -c 'import json, sys; print("%.3f" % (json.load(open(sys.argv[1]))["results"][0]["mean"] * 1000))' "$tmp/h.json" &&
		    return
	fi
	python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
n = int(sys.argv[1]); cmd = sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t = time.perf_counter()
for _ in range(n):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.3f" % ((time.perf_counter() - t) * 1000 / n))
PY
}

ratio() {
	python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"
}

report() {	# name ours baseline-name baseline
	printf '%-44s %8s ms   %-22s %8s ms   ratio %s\n' "$1" "$2" "$3" "$4" "$(ratio "$2" "$4")"
}

echo "crac-cpu benchmarks ($runs runs each, mean wall time per process, $(nproc) CPUs)"
if command -v cpuid >/dev/null 2>&1; then
	a=$(mean_ms "$bin" probe -o "$tmp/p.json")
	b=$(mean_ms cpuid -1 -r)
	report "probe -o FILE (all CPUs, identify)" "$a" "cpuid -1 -r (one CPU)" "$b"
	b=$(mean_ms cpuid -r)
	report "probe -o FILE (all CPUs, identify)" "$a" "cpuid -r (all CPUs)" "$b"
else
	echo "SKIP probe: no cpuid (apt-get install cpuid)"
fi
for f in "$top"/bench/*.bench.sh; do
	[ -f "$f" ] && . "$f"
done
