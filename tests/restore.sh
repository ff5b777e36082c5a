#!/bin/sh
# tests/restore.sh BIN -- scripts/crac-restore end to end, with a fake `java`
# that records its arguments one per line.  Images are built in a temporary
# directory whose path holds a space.  Prints "restore: N passed, N failed"
# last.
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
restore=$top/scripts/crac-restore
fix=$top/tests/fixtures/cpuid
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work="$tmp/with space"
mkdir -p "$work"
pass=0 fail=0

cat >"$work/java" <<'EOF'
#!/bin/sh
for a in "$@"; do printf '%s\n' "$a"; done >"$JAVA_LOG"
exit 0
EOF
chmod +x "$work/java"
export JAVA_LOG="$work/java.log"
export CRAC_CPU="$bin"

DOCS=f7fbfc9dff7fff04e603000000000000		# 0x4ff7fff9dfcfbf7,0x3e6
SUGG=d7fbfc0118422100e603000000000000		# 0x21421801fcfbd7,0x3e6
GENERIC=d7800000000200000000000000000000	# 0x200000080d7,0x0
image() {	# image DIR HEX: a 2025-style image of layout xm
	mkdir -p "$work/$1"
	printf '%s\n' "$2" >"$work/$1/cpufeatures"
	printf 'label:cpu.arch=amd64\nlabel:java.version=22-internal\n' \
	    >"$work/$1/tags"
}
image "docs img" "$DOCS"
image "sugg img" "$SUGG"
image "generic img" "$GENERIC"
mkdir -p "$work/broken img"
echo nonsense >"$work/broken img/cpufeatures"

# expect NAME STATUS WANT_LOG COMMAND...: run, compare status and java's log
expect() {
	name=$1 want=$2 log=$3
	shift 3
	rm -f "$JAVA_LOG"
	"$@" >"$work/out" 2>"$work/err"
	got=$?
	if [ -f "$JAVA_LOG" ]; then have=$(cat "$JAVA_LOG"); else have="(not run)"; fi
	if [ "$got" = "$want" ] && [ "$have" = "$log" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL restore/%s: status %s (want %s)\n  java: %s\n  want: %s\n' \
		    "$name" "$got" "$want" "$have" "$log"
		sed 's/^/  | /' "$work/err"
	fi
}

# The suggested value's host: docs img does not fit, sugg img fits and keeps
# more features than generic img.
export CRAC_CPU_CHECK_OPTS="--value 0x21421801fcfbd7,0x3e6"
expect restores-the-only-fit 0 "-XX:CRaCRestoreFrom=$work/sugg img
-Xmx1g
an arg with spaces" \
    "$restore" --java "$work/java" "$work/docs img" "$work/sugg img" -- \
    -Xmx1g "an arg with spaces"
expect best-of-three-keeps-most 0 "-XX:CRaCRestoreFrom=$work/sugg img" \
    "$restore" --java "$work/java" "$work/generic img" "$work/docs img" \
    "$work/sugg img"
expect no-java-args 0 "-XX:CRaCRestoreFrom=$work/generic img" \
    "$restore" --java="$work/java" "$work/generic img" --
expect skips-a-broken-image 0 "-XX:CRaCRestoreFrom=$work/generic img" \
    "$restore" --java "$work/java" "$work/broken img" "$work/generic img"
expect dash-dash-inside-java-args 0 "-XX:CRaCRestoreFrom=$work/sugg img
--
-jar" \
    "$restore" --java "$work/java" "$work/sugg img" -- -- -jar

# Nothing fits: the fallback runs, or the check's status comes back.
expect fallback-runs-cold-start 0 "cold
-jar
app.jar" \
    "$restore" --java "$work/java" \
    --fallback "\"$work/java\" cold -jar app.jar" "$work/docs img"
expect no-fit-without-fallback 1 "(not run)" \
    "$restore" --java "$work/java" "$work/docs img"
if grep -q "lacks 23 features" "$work/err"; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL restore/no-fit-explains: no explanation"
fi
expect undecidable-without-fallback 2 "(not run)" \
    "$restore" --java "$work/java" "$work/broken img"
expect undecidable-runs-fallback 0 "cold" \
    "$restore" --java "$work/java" --fallback "\"$work/java\" cold" \
    "$work/broken img"
expect usage-no-image 2 "(not run)" "$restore" --java "$work/java"
expect usage-unknown-option 2 "(not run)" "$restore" --bogus "$work/sugg img"

# A 2023-style image records nothing: stamp at checkpoint, restore later.
unset CRAC_CPU_CHECK_OPTS
mkdir -p "$work/e1 img"
printf abc >"$work/e1 img/pages-1.img"
"$bin" stamp --jdk xm --host "$fix/intel-icelake-sp-xeon-gold-6330.raw" \
    "$work/e1 img" >/dev/null 2>&1
export CRAC_CPU_CHECK_OPTS="--host $fix/intel-icelake-sp-xeon-gold-6330.raw"
expect stamped-e1-restores-on-same-cpu 0 "-XX:CRaCRestoreFrom=$work/e1 img" \
    "$restore" --java "$work/java" "$work/e1 img"
export CRAC_CPU_CHECK_OPTS="--host $fix/amd-zen2-rome-epyc-7742.raw"
expect stamped-e1-refused-on-zen2 1 "(not run)" \
    "$restore" --java "$work/java" "$work/e1 img"
printf abcd >"$work/e1 img/pages-1.img"
expect re-checkpointed-e1-needs-new-stamp 2 "(not run)" \
    "$restore" --java "$work/java" "$work/e1 img"

# aarch64 alike: an a22 image stamped with --jdk a22 restores without --jdk
# where its features are, not on a Graviton1, and not once it changed; an
# image of a build before 2026 (no word) only by its stamp.
arm=$top/tests/fixtures/cpuinfo-arm64
mkdir -p "$work/a22 img" "$work/old img"
printf abc >"$work/a22 img/pages-1.img"
printf 'label:cpu.arch=aarch64\nlabel:java.version=27\nbitmap:cpu.features=ff0f400000000000\n' \
    >"$work/a22 img/tags"
"$bin" stamp --jdk a22 --host "$arm/graviton2-n1.txt" "$work/a22 img" \
    >/dev/null 2>&1
printf abc >"$work/old img/pages-1.img"
printf 'label:cpu.arch=aarch64\nlabel:java.version=21.0.5\n' >"$work/old img/tags"
export CRAC_CPU_CHECK_OPTS="--host $arm/graviton2-n1.txt"
expect stamped-a22-restores-on-same-cpu 0 "-XX:CRaCRestoreFrom=$work/a22 img" \
    "$restore" --java "$work/java" "$work/a22 img"
expect unstamped-pre2026-arm64-could-not-check 2 "(not run)" \
    "$restore" --java "$work/java" "$work/old img"
"$bin" stamp --host "$arm/graviton2-n1.txt" "$work/old img" >/dev/null 2>&1
expect stamped-pre2026-arm64-restores 0 "-XX:CRaCRestoreFrom=$work/old img" \
    "$restore" --java "$work/java" "$work/old img"
export CRAC_CPU_CHECK_OPTS="--host $arm/graviton1-a72.txt"
expect stamped-a22-refused-on-graviton1 1 "(not run)" \
    "$restore" --java "$work/java" "$work/a22 img"
expect stamped-pre2026-arm64-refused-on-graviton1 1 "(not run)" \
    "$restore" --java "$work/java" "$work/old img"
# Re-checkpointed: the stale stamp is ignored and the JVM's own word, which
# tells its layout (only a22 accepts it), decides, as on x86-64.
printf abcd >"$work/a22 img/pages-1.img"
export CRAC_CPU_CHECK_OPTS="--host $arm/graviton2-n1.txt"
expect re-checkpointed-a22-decided-by-its-word 0 \
    "-XX:CRaCRestoreFrom=$work/a22 img" \
    "$restore" --java "$work/java" "$work/a22 img"
export CRAC_CPU_CHECK_OPTS="--host $arm/graviton1-a72.txt"
expect re-checkpointed-a22-refused-on-graviton1 1 "(not run)" \
    "$restore" --java "$work/java" "$work/a22 img"

# crac-cpu found next to the script when neither CRAC_CPU nor PATH has it.
unset CRAC_CPU
mkdir -p "$work/bin"
cp "$restore" "$work/bin/crac-restore"
ln -s "$bin" "$work/bin/crac-cpu"
export CRAC_CPU_CHECK_OPTS="--value 0x21421801fcfbd7,0x3e6"
expect finds-crac-cpu-next-to-script 0 "-XX:CRaCRestoreFrom=$work/sugg img" \
    env PATH=/usr/bin:/bin "$work/bin/crac-restore" --java "$work/java" \
    "$work/sugg img"

# The wrapper restores exactly the image the check approved, whatever its
# name: one that holds a newline, one that ends in one.
export CRAC_CPU="$bin"
export CRAC_CPU_CHECK_OPTS="--value 0x21421801fcfbd7,0x3e6"
image "cr" "$DOCS"
image "cr
x" "$SUGG"
expect newline-in-name-restores-the-approved-one 0 "-XX:CRaCRestoreFrom=$work/cr
x" \
    "$restore" --java "$work/java" "$work/cr" "$work/cr
x"
image "ends
" "$SUGG"
rm -f "$JAVA_LOG"
"$restore" --java "$work/java" "$work/cr" "$work/ends
" >"$work/out" 2>"$work/err"
got=$?
if [ $got = 0 ] && [ "$(cat "$JAVA_LOG"; echo .)" = "-XX:CRaCRestoreFrom=$work/ends

." ]; then pass=$((pass + 1)); else
	fail=$((fail + 1))
	echo "FAIL restore/name-ending-in-newline-kept: status $got"
	sed 's/^/  | /' "$work/err"
fi

# Whatever the check prints instead of a position is "could not check";
# the options are split but never glob-expanded (a file in the working
# directory would match the pattern below).
: >"$work/0x21421801fcfbd7,0x3e6"
for opts in "--help" "--format json" "--value 0x21421801fcfbd7,0x3e?"; do
	export CRAC_CPU_CHECK_OPTS="$opts"
	name="opts-$(printf '%s' "$opts" | tr -c 'a-z0-9' '-')"
	expect "$name-could-not-check" 2 "(not run)" \
	    sh -c 'cd "$1" && shift && exec "$@"' sh "$work" \
	    "$restore" --java "$work/java" "$work/docs img" "$work/sugg img"
	grep -q "could not check" "$work/err" || {
		fail=$((fail + 1)); echo "FAIL restore/$name: no 'could not check'"; }
done
export CRAC_CPU_CHECK_OPTS="--value 0x21421801fcfbd7,0x3e6 --best"
expect opts-best-still-maps-back 0 "-XX:CRaCRestoreFrom=$work/sugg img" \
    "$restore" --java "$work/java" "$work/docs img" "$work/sugg img"
export CRAC_CPU_CHECK_OPTS="--value 0x21421801fcfbd7,0x3e6"

# An option after an image directory is a usage error, not a path.
expect fallback-after-image-is-usage 2 "(not run)" \
    "$restore" --java "$work/java" "$work/sugg img" --fallback "true"

# No fit and could-not-check are told apart, with or without a fallback.
expect no-fit-is-1 1 "(not run)" "$restore" --java "$work/java" "$work/docs img"
grep -q "no image fits this CPU" "$work/err" || {
	fail=$((fail + 1)); echo "FAIL restore/no-fit-says-so"; }
expect no-fit-fallback 0 "cold" "$restore" --java "$work/java" \
    --fallback "\"$work/java\" cold" "$work/docs img"
grep -q "no image fits this CPU; starting cold" "$work/err" || {
	fail=$((fail + 1)); echo "FAIL restore/no-fit-fallback-says-so"; }
printf '#!/bin/sh\nkill -SEGV $$\n' >"$work/crash"
printf '#!/bin/sh\necho 7\n' >"$work/seven"
printf '#!/bin/sh\necho /etc\n' >"$work/path"
chmod +x "$work/crash" "$work/seven" "$work/path"
for fake in "$work/crash" "$work/seven" "$work/path" "$work/missing"; do
	CRAC_CPU=$fake expect "could-not-check-${fake##*/}" 2 "(not run)" \
	    "$restore" --java "$work/java" "$work/sugg img"
	grep -q "could not check" "$work/err" || {
		fail=$((fail + 1)); echo "FAIL restore/${fake##*/}: no 'could not check'"; }
	CRAC_CPU=$fake expect "could-not-check-${fake##*/}-fallback" 0 "cold" \
	    "$restore" --java "$work/java" --fallback "\"$work/java\" cold" \
	    "$work/sugg img"
done

expect version 0 "(not run)" "$restore" --version
grep -q "^crac-restore [0-9]" "$work/out" || {
	fail=$((fail + 1)); echo "FAIL restore/version-printed"; }
# ... and the version of the crac-cpu it runs, all of it.
"$bin" --version >"$work/ccpu-version"
[ "$(sed 1d "$work/out")" = "$(cat "$work/ccpu-version")" ] || {
	fail=$((fail + 1)); echo "FAIL restore/version-of-crac-cpu"; }
expect help 0 "(not run)" "$restore" --help
grep -q "^crac-restore: restore the best" "$work/out" || {
	fail=$((fail + 1)); echo "FAIL restore/help-printed"; }

# --metrics: node_exporter's textfile format, read back by a real parser.
if /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
	parse_metrics() {	# FILE DECISION REASON IMAGE
		/usr/bin/python3 - "$@" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
path, decision, reason, image = sys.argv[1:5]
fams = {f.name: f for f in text_string_to_metric_families(open(path).read())}
s = fams["crac_restore_decision"].samples
assert len(s) == 1 and s[0].value == 1, s
assert s[0].labels == {"decision": decision, "reason": reason, "image": image}, s[0].labels
assert "crac_restore_check_status" in fams
PY
	}
	m="$work/metrics dir/crac.prom"
	mkdir -p "$work/metrics dir"
	expect metrics-restore 0 "-XX:CRaCRestoreFrom=$work/cr
x" "$restore" --metrics "$m" --java "$work/java" "$work/cr" "$work/cr
x"
	if parse_metrics "$m" restore compatible "$work/cr
x"; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL restore/metrics-restore-parsed"; fi
	expect metrics-cold 0 "cold" "$restore" --metrics "$m" --java "$work/java" \
	    --fallback "\"$work/java\" cold" "$work/docs img"
	if parse_metrics "$m" cold no-fit ""; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL restore/metrics-cold-parsed"; fi
	CRAC_CPU="$work/crash" expect metrics-could-not-check 2 "(not run)" \
	    "$restore" --metrics "$m" --java "$work/java" "$work/docs img"
	if parse_metrics "$m" cold could-not-check ""; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL restore/metrics-could-not-check-parsed"; fi
	if ls "$work/metrics dir" | grep -q tmp; then
		fail=$((fail + 1)); echo "FAIL restore/metrics-no-temporary-left"; fi
	# check --format openmetrics, read by the OpenMetrics parser.
	"$bin" check --format openmetrics --value 0x21421801fcfbd7,0x3e6 \
	    "$work/docs img" "$work/cr
x" "$work/broken img" >"$work/om" 2>/dev/null
	got=$?
	if [ $got = 2 ] && /usr/bin/python3 - "$work/om" "$work" <<'PY'
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
work = sys.argv[2]
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
got = {(s.labels["image"], s.labels["verdict"]) for s in fams["crac_cpu_check_verdict"].samples if s.value == 1}
want = {(work + "/docs img", "incompatible"), (work + "/cr\nx", "compatible"), (work + "/broken img", "error")}
assert got == want, got
miss = {s.labels["image"]: s.value for s in fams["crac_cpu_check_missing_features"].samples}
assert miss == {work + "/docs img": 23, work + "/cr\nx": 0}, miss
PY
	then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL restore/check-openmetrics-parsed (status $got)"; fi
else
	echo "SKIP restore/metrics: no python3-prometheus-client (scripts/install-deps.sh --test)"
fi

# Images only a crac-cpu.json describes (2023 to early 2025 builds): the
# sidecar's earlier name (crac-cpu-stamp/2) still opens the gate; a name
# this version does not know never does, alone or beside a good image.
ICX=$fix/intel-icelake-sp-xeon-gold-6330.raw
sidecar() {	# sidecar DIR SCHEMA: stamped on ICX, schema renamed
	mkdir -p "$work/$1"
	printf x >"$work/$1/core-1.img"
	"$bin" stamp --jdk xm --host "$ICX" "$work/$1" >/dev/null &&
	    sed -i "s|\"ccpu-stamp/3\"|\"$2\"|" "$work/$1/crac-cpu.json" &&
	    grep -q "\"$2\"" "$work/$1/crac-cpu.json" || {
		fail=$((fail + 1)); echo "FAIL restore/sidecar-$2: not made"; }
}
sidecar "stamp3 img" ccpu-stamp/3
sidecar "stamp2 img" crac-cpu-stamp/2
sidecar "stamp4 img" ccpu-stamp/4
saved_opts=$CRAC_CPU_CHECK_OPTS
export CRAC_CPU_CHECK_OPTS="--host $ICX"
expect sidecar-current-name 0 "-XX:CRaCRestoreFrom=$work/stamp3 img" \
    "$restore" --java "$work/java" "$work/stamp3 img"
expect sidecar-old-name-still-verifies 0 "-XX:CRaCRestoreFrom=$work/stamp2 img" \
    "$restore" --java "$work/java" "$work/stamp2 img"
expect sidecar-unknown-name-refused 2 "(not run)" \
    "$restore" --java "$work/java" "$work/stamp4 img"
expect sidecar-unknown-name-skipped 0 "-XX:CRaCRestoreFrom=$work/stamp2 img" \
    "$restore" --java "$work/java" "$work/stamp4 img" "$work/stamp2 img"
export CRAC_CPU_CHECK_OPTS="$saved_opts"

echo "restore: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
