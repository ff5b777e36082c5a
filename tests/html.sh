#!/bin/sh
# tests/html.sh BIN -- render `crac-cpu survey --format html` in headless
# Chromium and check it: the page's script must finish (it appends
# #render-ok) and raise no error (window.onerror writes "JS-ERROR" into
# #js-errors), the dashboard's parts (header, summary cards, restore matrix
# with its glyphs, heat map with family groups, sortable tables with
# focusable sort buttons, downloads) must be in the rendered DOM, and the
# page must reference nothing outside itself.  SOURCE_DATE_EPOCH fixes the
# generation time, so the same survey gives the same page.  Full-page
# screenshots are kept in tests/html.out/ for review.  Prints "html: N
# passed, N failed" last; a SKIP line when chromium is missing.
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
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH

chrome() {	# chrome HEIGHT OUTPUT-OPTION URL: one headless run, profile thrown away
	height=$1
	shift
	"$browser" --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --disable-extensions \
	    --user-data-dir="$tmp/profile.$$" --window-size="1400,$height" \
	    --hide-scrollbars --virtual-time-budget=5000 "$@" 2>"$tmp/chrome.err"
}

why=
need() {	# need PATTERN WHAT: the rendered DOM holds PATTERN (grep -E)
	grep -Eq "$1" "$dom" || why="${why:+$why; }$2"
}

check() {	# check NAME SURVEY-ARGS...; then `need` lines, then `done_check`
	name=$1
	shift
	page=$tmp/$name.html
	dom=$tmp/$name.dom
	why=
	if ! "$bin" survey --format html -o "$page" "$@" 2>"$tmp/survey.err"; then
		why="survey failed: $(head -3 "$tmp/survey.err")"
		: >"$dom"
		return
	fi
	# url(#id) is a reference inside the page (the heat map's hatching).
	if grep -Eqi '(src|href)=["'"'"'](https?:)?//|@import|(^|[^a-z])url\([^#]' "$page"; then
		why="page references an outside resource"
	fi
	chrome 1000 --dump-dom "file://$page" >"$dom"
	grep -q 'id="render-ok"' "$dom" || why="${why:+$why; }script did not finish"
	grep -q 'JS-ERROR' "$dom" && why="${why:+$why; }$(grep -o 'JS-ERROR[^<]*' "$dom" | head -3)"
	# In the rendered page every link stays inside it: fragments, or the
	# blob: URLs the script makes for downloads.
	if grep -Eo '(src|href)="[^"]*"' "$dom" | grep -Ev '="(#[^"]*|blob:[^"]*)"$' |
	    grep -q .; then
		why="${why:+$why; }outside link: $(grep -Eo '(src|href)="[^"]*"' "$dom" |
		    grep -Ev '="(#[^"]*|blob:[^"]*)"$' | head -2 | tr '\n' ' ')"
	fi
	need '<header><h1>' "no header"
	need 'Generated <b><time datetime="2023-11-14T22:13:20Z">' "no generation time from SOURCE_DATE_EPOCH"
	need 'crac-cpu <b>[0-9]+\.[0-9]+\.[0-9]+</b>' "no crac-cpu version"
	need 'id="inputs"><b>[0-9]+</b> input' "no inputs"
	# An aarch64 fleet (A64ONLY=1) has none of the x86-64 parts below.
	if [ "${A64ONLY:-0}" = 1 ]; then
		need 'JVM layout <b><code>a' "no aarch64 layout"
		grep -q 'id="card-hosts"' "$dom" && why="${why:+$why; }x86-64 cards on an aarch64 fleet"
		return
	fi
	need 'JVM layout <b><code>x' "no layout"
	for c in hosts classes value cost images errors; do
		need "class=\"card[a-z ]*\" id=\"card-$c\"" "no $c card"
	done
	need '<code id="value-arg">-XX:CPUFeatures=0x[0-9a-f]+,0x[0-9a-f]+</code>' "no copyable value"
	need '<svg id="heatmap"' "no heat map"
	need '<g class="fgroup" data-family="vector">' "no feature family groups"
	need '<table class="sortable" id="classes"' "no class table"
	need '<th aria-sort="none"><button type="button" class="sort"' "no sort buttons in the headers"
	need 'class="dl" id="dl-classes" download="[^"]*" href="blob:' "no class list download"
}

done_check() {
	if [ -s "$dom" ]; then
		# A second run at the page's full height: a full-page screenshot.
		height=$(sed -n 's/.*id="render-ok"[^>]*data-height="\([0-9]*\)".*/\1/p' "$dom")
		chrome "${height:-1000}" --screenshot="$out/$name.png" "file://$page" >/dev/null
		[ -s "$out/$name.png" ] || why="${why:+$why; }no screenshot"
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL html/$name: $why"
		head -5 "$tmp/chrome.err"
	fi
}

# The 30 fixture CPUs with two images: one recorded in an image's tags, and
# one stamped on the QEMU host, whose value has the hypervisor bit: on every
# other x86-64 class but one, hv alone keeps it from restoring.
mkdir -p "$tmp/img" "$tmp/on-qemu"
printf 'label:cpu.arch=amd64\nbitmap:cpu.features=f7fbfc9dff7fff04e603000000000000\n' >"$tmp/img/tags"
"$bin" stamp --jdk xm --host "$fix/cpuid/intel-qemu-virtual-cpu64-rhel6.raw" \
    "$tmp/on-qemu" >/dev/null
check fixtures --jdk xm --image "$tmp/img" --image "$tmp/on-qemu" "$fix"/cpuid/*.raw
need '<table class="sortable" id="matrix"' "no restore matrix"
need 'restores on <b>[0-9]+</b> of 29 hosts' "no 'restores on N of M hosts'"
need 'class="g yes" aria-label="restores">✓' "no ✓ glyph"
need 'class="g no" aria-label="does not restore">✗' "no ✗ glyph"
need '<td class="r info"' "no cell blocked by an informational bit alone"
need '<p class="note info-only" data-image="1"><b>on-qemu</b>: only <code>hv</code> blocks: ' "no 'only hv blocks' note"
need '<b title="named by[^"]*">alderlake</b> 12th Gen Intel Core i9-12900K</span>' "classes not named by CPU"
need 'id="inputs"><b>30</b> inputs' "not 30 inputs"
need 'id="card-errors"><h3>Unreadable entries</h3><div class="big">1</div>' "unreadable count"
done_check
# NFD labels: an image with sse3, a bit NFD's default labels do not show,
# cannot be told on most nodes (a question mark); every node is listed.
mkdir -p "$tmp/sse3"
"$bin" stamp --jdk x21 --host "$fix/cpuid/amd-zen2-rome-epyc-7742.raw" \
    --value 0x200000081d7,0x0 "$tmp/sse3" >/dev/null
check nfd --jdk 21 --image "$tmp/sse3" "$fix/k8s/nodes.json"
need 'class="g unknown" aria-label="cannot tell">\?' "no ? glyph"
need 'Every host is listed' "NFD host list not complete"
need 'class="dl" data-class="0" download="[^"]*" href="blob:' "no per-class download"
done_check
# Host names that attack the page: a script end tag (the host lists are
# JSON inside a script element), markup and a bidirectional override must
# reach the page as text, and the downloads must still be built.
mkdir -p "$tmp/hostile"
"$bin" probe --host "$fix/cpuid/amd-zen3-milan-epyc-7763.raw" |
    sed 's|"hostname": ""|"hostname": "</script><script>document.title=1</script><img src=//x>\\u202e!"|' \
    >"$tmp/hostile/a.json"
check hostile --jdk 21 "$tmp/hostile"
need '&lt;/script&gt;&lt;script&gt;document.title=1&lt;/script&gt;&lt;img src=//x&gt;\\u\{202e\}!' "host name not escaped in the class table"
grep -q '<title>1</title>' "$dom" && why="${why:+$why; }a host name ran as script"
grep -q '<img' "$dom" && why="${why:+$why; }a host name became an element"
need 'class="dl" data-class="0" download="[^"]*" href="blob:' "no download after a hostile name"
done_check
# An empty fleet has no report (survey exits 2); one host is the smallest.
check one-host --jdk 21 "$fix/cpuid/amd-zen2-rome-epyc-7742.raw"
need 'id="card-images"><h3>Image classes</h3><div class="big">1</div><p>one CPU class' "one-class card"
done_check
# aarch64 hosts beside x86-64 ones: their own section (classes, one plan
# per PAC kind, arm64 affinity), never in the x86-64 restore matrix; a
# file name with markup (an aarch64 host's name) reaches the page as text.
mkdir -p "$tmp/mixed"
cp "$fix/cpuinfo-arm64/graviton2-n1.txt" "$tmp/mixed/<img src=x>&.txt"
cp "$fix/cpuinfo-arm64/neoverse-v3ae.txt" "$fix/cpuid/intel-skylake-sp-xeon-gold-6154.raw" "$tmp/mixed/"
check mixed --jdk 25 --image "$tmp/img" "$tmp/mixed"
need '<h2 id="aarch64-h">aarch64 hosts</h2>' "no aarch64 section"
need '<table class="sortable" id="a64-classes"' "no aarch64 class table"
need 'id="a64-plan-pac">Hosts with PAC \(1 host\): <code>-XX:CPUFeatures=0x[0-9a-f]+</code>' "no PAC plan"
need 'id="a64-plan-nopac">Hosts without PAC \(1 host\)' "no plan without PAC"
need '&lt;img src=x&gt;&amp;.txt' "aarch64 host name not escaped"
grep -q '<img' "$dom" && why="${why:+$why; }a host name became an element"
need 'restores on <b>[0-9]+</b> of 1 host' "aarch64 hosts counted in the x86-64 matrix"
need '; and <a href="#aarch64-h">2 aarch64 hosts</a>, apart' "no aarch64 count in the hosts card"
need '^ +"arm64"$' "no arm64 affinity, one line each"
done_check
A64ONLY=1 check arm64 --jdk 25 "$fix/cpuinfo-arm64/graviton2-n1.txt" "$fix/cpuinfo-arm64/cortex-a53-s905x.txt"
need '<h2 id="aarch64-h">aarch64 hosts</h2>' "no aarch64 section"
need 'Checkpoint on a host of \(none of them can\) \(not every host can make the image: a1 has lse, a2 has a53mac, which the value drops' "no note on which host can make the image"
done_check
echo "html: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
