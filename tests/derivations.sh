#!/bin/sh
# tests/derivations.sh BIN -- every fixture CPU in every layout against its
# recorded derivation (tests/derivations.txt): the raw value (what
# -XX:+ShowCPUFeatures prints), the value an image records, and the bits the
# dump cannot tell; every arm64 /proc/cpuinfo fixture in every aarch64
# layout: the value and the names HotSpot prints.  A change in the model shows here as a diff, fixture by
# fixture and layout by layout, to be read and accepted with
# CCPU_TEST_ACCEPT=1 (which rewrites the file).  Prints
# "derivations: N passed, N failed" last.
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
want=$top/tests/derivations.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3

layouts=$("$bin" layouts --format json | $py -c '
import json, sys
print(" ".join(l["name"] for l in json.load(sys.stdin)["layouts"]))')
for f in "$top"/tests/fixtures/cpuid/*.raw "$top"/tests/fixtures/cpuid/*.cpuid.txt; do
	name=${f##*/}
	for l in $layouts; do
		if "$bin" features --jdk "$l" --format json "$f" >"$tmp/j" 2>"$tmp/e"; then
			$py - "$tmp/j" "$name" "$l" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(sys.argv[2], sys.argv[3], "raw", d["raw"]["value"], "used",
      d["used"]["value"], "unknown", ",".join(d["unknown"]) or "-")
PY
		else
			printf '%s %s refused: %s\n' "$name" "$l" \
			    "$(sed -e 's/^crac-cpu: features: //' -e "s|$top/||g" "$tmp/e" | head -1)"
		fi
	done
done >"$tmp/got"

# The arm64 fixtures in every aarch64 layout: the value (CRaC layouts) and
# the names HotSpot prints.
a64=$("$bin" layouts --format json | $py -c '
import json, sys
print(" ".join(l["name"] for l in json.load(sys.stdin)["aarch64"]))')
for f in "$top"/tests/fixtures/cpuinfo-arm64/*.txt; do
	name=${f##*/}
	for l in $a64; do
		v=$("$bin" features --jdk "$l" --format value --host "$f" 2>/dev/null) ||
		    v=-
		printf '%s %s value %s hotspot %s\n' "$name" "$l" "$v" \
		    "$("$bin" features --jdk "$l" --format hotspot --host "$f" 2>&1 |
		    sed -e 's/^crac-cpu: features: /refused: /' -e 's/, /,/g')"
	done
done >>"$tmp/got"

if [ "${CCPU_TEST_ACCEPT:-}" = 1 ]; then
	cp "$tmp/got" "$want"
fi
pass=0 fail=0
if [ ! -f "$want" ]; then
	echo "FAIL derivations: no $want (CCPU_TEST_ACCEPT=1 writes it)"
	fail=1
else
	# One result per fixture and layout: count each line as a case.
	while IFS= read -r line; do
		if grep -qxF -- "$line" "$want"; then pass=$((pass + 1)); else
			fail=$((fail + 1))
			key=$(printf '%s\n' "$line" | cut -d' ' -f1-2)
			printf 'FAIL derivations/%s\n  got:  %s\n  want: %s\n' \
			    "$key" "$line" "$(grep -F -- "$key " "$want" | head -1)"
		fi
	done <"$tmp/got"
	if [ "$(wc -l <"$tmp/got")" != "$(wc -l <"$want")" ]; then
		fail=$((fail + 1))
		echo "FAIL derivations: $(wc -l <"$tmp/got") results, $(wc -l <"$want") recorded"
	fi
fi
echo "derivations: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
