# bench/check.bench.sh -- sourced by bench/run.sh ($bin, $top, $tmp, $runs,
# mean_ms, report).  The restore gate: `crac-cpu check IMAGE_DIR` on this
# host (live capture of the JVM's leaves, tags record) against /bin/true
# (the target is a ratio of 1.1), and against `java -version` where a JVM is
# installed, in the same run.  Only the static binary that ships is
# measured: a dynamic one (a SAN=1 build) gets a SKIP line.
img=$tmp/image
mkdir -p "$img"
v=$("$bin" features --format value 2>/dev/null)
bm=$(python3 - "$v" <<'PY'
import sys
w = [int(x, 16) for x in sys.argv[1].split(",")]
print("".join(x.to_bytes(8, "little").hex() for x in w))
PY
)
printf 'label:cpu.arch=amd64\nlabel:java.version=17.0.15+6\nbitmap:cpu.features=%s\n' "$bm" >"$img/tags"
case $(file -L "$bin" 2>/dev/null || ldd "$bin" 2>&1) in
*"statically linked"*|*"static-pie linked"*|*"not a dynamic executable"*)
	static=1 ;;
*)	static=0 ;;
esac
if [ $static = 0 ]; then
	echo "SKIP check: $bin is not statically linked (build it with make, not SAN=1)"
elif "$bin" check "$img" >/dev/null 2>&1; then
	a=$(mean_ms "$bin" check "$img")
	b=$(mean_ms /bin/true)
	report "check IMAGE_DIR (static; target 1.1x)" "$a" "/bin/true" "$b"
	a=$(mean_ms "$bin" check --value "$v" "$img")
	report "check --value V IMAGE_DIR" "$a" "/bin/true" "$b"
	if command -v java >/dev/null 2>&1; then
		runs_saved=$runs
		runs=10
		j=$(mean_ms java -version)
		runs=$runs_saved
		a=$(mean_ms "$bin" check "$img")
		report "check IMAGE_DIR (live, tags)" "$a" "java -version" "$j"
	else
		echo "SKIP check vs java -version: no java"
	fi
else
	echo "SKIP check: this host's own image does not check as compatible"
fi
