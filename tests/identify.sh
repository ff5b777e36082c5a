#!/bin/sh
# tests/identify.sh BIN -- `crac-cpu layouts --identify` against JVMs:
# Debian's stock OpenJDK (no CRaC: must say so, status 2) and fake CRaC
# JDKs whose `java` prints what a JVM of each layout prints on this host
# (the raw value crac-cpu derives here, and the layout's generic value
# under -XX:CPUFeatures=generic).  Each must be identified as its own
# layout, or the ambiguity said with status 2.  Prints
# "identify: N passed, N failed" last.
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
py=/usr/bin/python3

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL identify/%s\n' "$1"; sed 's/^/  | /' "$tmp/err"; }

# fake_jdk DIR RAW GENERIC VERSION: a JDK whose java prints like a CRaC JVM.
fake_jdk() {
	mkdir -p "$1/bin"
	printf 'JAVA_VERSION="%s"\nIMPLEMENTOR="Test"\n' "$4" >"$1/release"
	cat >"$1/bin/java" <<EOF
#!/bin/sh
case "\$*" in
*-XX:CPUFeatures=generic*) echo "CPU features being used are: -XX:CPUFeatures=$3" ;;
esac
echo "This machine's CPU features are: -XX:CPUFeatures=$2"
echo 'openjdk version "$4" 2026-01-20'
EOF
	chmod +x "$1/bin/java"
}

# Every layout, as a JVM of that layout would print on this host.
layouts=$("$bin" layouts --format json | $py -c '
import json, sys
for l in json.load(sys.stdin)["layouts"]:
    print(l["name"], l["generic"])')
if [ -z "$layouts" ]; then
	echo "FAIL identify/layouts-listed"; fail=$((fail + 1))
fi
printf '%s\n' "$layouts" | while read -r name generic; do
	raw=$("$bin" features --jdk "$name" --raw --format value)
	# A version that does not decide by itself (26 means three layouts).
	fake_jdk "$tmp/$name" "$raw" "$generic" 26.0.1
	"$bin" layouts --identify --format json "$tmp/$name" >"$tmp/out" 2>"$tmp/err"
	st=$?
	got=$($py -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["layout"] or "-", " ".join(r["layout"] for r in d["layouts"] if r["raw_agrees"]))' "$tmp/out" 2>/dev/null)
	set -- $got
	if [ $st = 0 ] && [ "$1" = "$name" ]; then
		echo "ok $name"
	elif [ $st = 2 ] && [ "$1" = - ] && printf ' %s ' "$*" | grep -q " $name " &&
	    "$bin" layouts --identify "$tmp/$name" 2>&1 | grep -q "cannot tell between.* $name"; then
		echo "ok $name (ambiguous on this CPU: ${*#-})"
	else
		echo "FAIL $name: status $st, got '$got'"
	fi
done >"$tmp/results"
while read -r line; do
	case $line in
	ok*)	ok ;;
	*)	fail=$((fail + 1)); echo "FAIL identify/$line" ;;
	esac
done <"$tmp/results"

# A value no layout derives here: status 1, the differences shown.
fake_jdk "$tmp/new" "0x1,0x0" "0x1,0x0" 30
"$bin" layouts --identify "$tmp/new" >"$tmp/out" 2>"$tmp/err"
if [ $? = 1 ] && grep -q "a new layout" "$tmp/out"; then ok; else bad new-layout-is-1; fi

# The release file breaks a tie when it names one of the candidates.
raw=$("$bin" features --jdk x17 --raw --format value)
fake_jdk "$tmp/r17" "$raw" 0x200000080d7,0x0 17.0.15
"$bin" layouts --identify --format json "$tmp/r17" >"$tmp/out" 2>"$tmp/err"
if [ $? = 0 ] && $py -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["layout"] == "x17", d["layout"]' "$tmp/out"; then ok; else bad release-decides-x17; fi

# A JVM that prints nothing useful, or does not exist: status 2.
mkdir -p "$tmp/mute/bin"
printf '#!/bin/sh\necho hello\n' >"$tmp/mute/bin/java"
chmod +x "$tmp/mute/bin/java"
"$bin" layouts --identify "$tmp/mute" >"$tmp/out" 2>"$tmp/err"
if [ $? = 2 ] && grep -q "printed no" "$tmp/err"; then ok; else bad mute-jvm-is-2; fi
"$bin" layouts --identify "$tmp/none" >"$tmp/out" 2>"$tmp/err"
if [ $? = 2 ]; then ok; else bad missing-jvm-is-2; fi

# JAVA_TOOL_OPTIONS never reaches the JVM (it would add a banner).
JAVA_TOOL_OPTIONS=-Dx=1 "$bin" layouts --identify "$tmp/r17" >"$tmp/out" 2>"$tmp/err"
if [ $? = 0 ]; then ok; else bad java-tool-options-dropped; fi

# --java-home on a release that does not decide (21: x21 or xm): commands
# off the restore path run the JVM to tell; check never runs one.
for name in x21 xm; do
	raw=$("$bin" features --jdk "$name" --raw --format value)
	fake_jdk "$tmp/j21-$name" "$raw" 0x200000080d7,0x0 21.0.5
	printf '#!/bin/sh\n: >"%s/ran-%s"\n' "$tmp" "$name" >"$tmp/j21-$name/bin/mark"
	sed -i "2i \"$tmp/j21-$name/bin/mark\"" "$tmp/j21-$name/bin/java"
	chmod +x "$tmp/j21-$name/bin/mark"
	"$bin" features --java-home "$tmp/j21-$name" --format value >"$tmp/out" 2>"$tmp/err"
	if [ $? = 0 ] && [ -e "$tmp/ran-$name" ] &&
	    grep -q "note: layout $name for .*identified by running" "$tmp/err"; then
		ok
	else
		bad "java-home-21-identified-as-$name"
	fi
	rm -f "$tmp/ran-$name"
	mkdir -p "$tmp/img"
	printf '%s\n' d7800000000200000000000000000000 >"$tmp/img/cpufeatures"
	"$bin" check --java-home "$tmp/j21-$name" "$tmp/img" >"$tmp/out" 2>"$tmp/err"
	if [ $? = 2 ] && [ ! -e "$tmp/ran-$name" ]; then ok; else
		bad "check-never-runs-a-jvm-$name"; fi
done

# Debian's stock OpenJDK is not a CRaC JDK.
stock=
for j in /usr/lib/jvm/java-17-openjdk-*/bin/java; do
	[ -x "$j" ] && stock=$j
done
if [ -n "$stock" ]; then
	"$bin" layouts --identify "$stock" >"$tmp/out" 2>"$tmp/err"
	if [ $? = 2 ] && grep -q "not a CRaC JDK" "$tmp/err"; then ok; else bad stock-jdk-not-crac; fi
else
	echo "SKIP identify/stock-jdk: no Debian OpenJDK 17 (scripts/install-deps.sh --test)"
fi

echo "identify: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
