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

# crac-cpu found next to the script when neither CRAC_CPU nor PATH has it.
unset CRAC_CPU
mkdir -p "$work/bin"
cp "$restore" "$work/bin/crac-restore"
ln -s "$bin" "$work/bin/crac-cpu"
export CRAC_CPU_CHECK_OPTS="--value 0x21421801fcfbd7,0x3e6"
expect finds-crac-cpu-next-to-script 0 "-XX:CRaCRestoreFrom=$work/sugg img" \
    env PATH=/usr/bin:/bin "$work/bin/crac-restore" --java "$work/java" \
    "$work/sugg img"

echo "restore: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
