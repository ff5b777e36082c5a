#!/bin/sh
# tests/html.sh BIN -- render `crac-cpu survey --format html` in headless
# Chromium and check it: the page's script must finish (it appends
# #render-ok) and raise no error (window.onerror writes "JS-ERROR" into
# #js-errors), the heat map and tables must be in the rendered DOM, and the
# page must reference nothing outside itself.  Screenshots are kept in
# tests/html.out/ for review.  Prints "html: N passed, N failed" last; a
# SKIP line when chromium is missing.
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
fix=$top/tests/fixtures
out=$top/tests/html.out
pass=0 fail=0
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
if [ -z "$browser" ]; then
	echo "SKIP html: no chromium (apt-get install chromium)"
	echo "html: 0 passed, 0 failed"
	exit 0
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

chrome() {	# chrome OUTPUT-OPTION URL: one headless run, profile thrown away
	"$browser" --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --disable-extensions \
	    --user-data-dir="$tmp/profile.$$" --window-size=1400,1000 \
	    --virtual-time-budget=5000 "$@" 2>"$tmp/chrome.err"
}

check() {	# check NAME SURVEY-ARGS...
	name=$1
	shift
	page=$tmp/$name.html
	if ! "$bin" survey --format html -o "$page" "$@" 2>"$tmp/survey.err"; then
		fail=$((fail + 1)); echo "FAIL html/$name: survey failed"
		cat "$tmp/survey.err"; return
	fi
	why=
	if grep -Eqi '(src|href)=["'"'"'](https?:)?//|@import|url\(' "$page"; then
		why="page references an outside resource"
	fi
	chrome --dump-dom "file://$page" >"$tmp/$name.dom"
	grep -q 'id="render-ok"' "$tmp/$name.dom" || why="${why:+$why; }script did not finish"
	grep -q 'JS-ERROR' "$tmp/$name.dom" && why="${why:+$why; }$(grep -o 'JS-ERROR[^<]*' "$tmp/$name.dom" | head -3)"
	grep -q '<svg id="heatmap"' "$tmp/$name.dom" || why="${why:+$why; }no heat map"
	grep -q '<table class="sortable" id="classes"' "$tmp/$name.dom" || why="${why:+$why; }no class table"
	chrome --screenshot="$out/$name.png" "file://$page" >/dev/null
	[ -s "$out/$name.png" ] || why="${why:+$why; }no screenshot"
	if [ -z "$why" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL html/$name: $why"
		head -5 "$tmp/chrome.err"
	fi
}

mkdir -p "$tmp/img"
printf 'label:cpu.arch=amd64\nbitmap:cpu.features=f7fbfc9dff7fff04e603000000000000\n' >"$tmp/img/tags"
check fixtures --jdk xm --image "$tmp/img" "$fix"/cpuid/*.raw
check nfd --jdk 21 "$fix/k8s/nodes.json"
# An empty fleet has no report (survey exits 2); one host is the smallest.
check one-host --jdk 21 "$fix/cpuid/amd-zen2-rome-epyc-7742.raw"
echo "html: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
