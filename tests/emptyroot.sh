#!/bin/sh
# tests/emptyroot.sh BIN -- crac-cpu and crac-restore in an empty root: a
# directory holding only the binary (/usr/local/bin/crac-cpu), the wrapper
# (/usr/local/bin/crac-restore), a static busybox as /bin/sh, a fake java
# (/opt/jdk/bin/java, which records its arguments) and two CRaC images, run
# with chroot (tests/emptyroot-lib.sh).  No libc, no loader: what a scratch
# or distroless image offers, so the one static binary must work there as
# it is.  Needs root; prints a SKIP line otherwise.  Prints
# "emptyroot: N passed, N failed" last.
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/emptyroot-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
nok() {		# nok NAME WHY: a failure, with the last command's stderr
	fail=$((fail + 1))
	printf 'FAIL emptyroot/%s: %s\n' "$1" "$2"
	[ -n "${er_err:-}" ] && [ -s "$er_err" ] && sed 's/^/  | /' "$er_err"
}

# The binary itself, wherever the test runs.
if er_static "$bin"; then ok; else
	nok static "not statically linked: $(file -L "$bin" 2>&1)"
fi

if ! er_init "$bin" "$tmp"; then
	echo "SKIP emptyroot: $er_skip"
	echo "emptyroot: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi

DOCS=f7fbfc9dff7fff04e603000000000000		# 0x4ff7fff9dfcfbf7,0x3e6: AVX-512 ...
GENERIC=d7800000000200000000000000000000	# 0x200000080d7,0x0: any x86-64
SUGG=0x21421801fcfbd7,0x3e6			# a host without AVX-512
root=$tmp/root
er_root "$root"
avx=/images/avx512
gen="/images/generic x86-64"
er_image "$root$avx" "$DOCS" 22-internal
er_image "$root$gen" "$GENERIC" 22-internal

# expect NAME STATUS WANT_LOG [NAME=VALUE...] -- COMMAND...: run in the
# root, compare the status and what java recorded.
expect() {
	_name=$1 _want=$2 _log=$3
	shift 3
	$run "$root" "$@"
	_got=$?
	_have=$(er_java_log "$root")
	if [ "$_got" = "$_want" ] && [ "$_have" = "$_log" ]; then
		ok
	else
		nok "$_name" "status $_got (want $_want), java: $_have (want $_log)"
	fi
}

# The root holds no C library and no loader: a dynamic program cannot run
# in it, so whatever runs there needs nothing from outside.
libs=$(find "$root" \( -name 'libc.so*' -o -name 'ld-linux*' \
    -o -name 'ld-musl*' -o -name 'libc.musl*' \) -print)
dyn=$(command -v env)
if [ -n "$libs" ]; then
	nok no-libc "the root holds $libs"
elif [ ! -f "$dyn" ] || er_static "$dyn"; then
	echo "note: no dynamic program ('$dyn') to show that the root has no libc"
	ok
elif ! cp "$dyn" "$root/dynamic"; then
	nok no-libc "cannot copy $dyn"
else
	if er_run_bare "$root" -- /dynamic true; then
		nok no-libc "a dynamic program ($dyn) ran in the root"
	else
		ok
	fi
	rm -f "$root/dynamic"
fi

# crac-cpu alone, bare (no /proc, no /dev): the value's host, then this CPU.
run=er_run_bare
expect crac-cpu-fits-generic 0 "(not run)" \
    -- /usr/local/bin/crac-cpu check --value "$SUGG" "$gen"
expect crac-cpu-refuses-avx512 1 "(not run)" \
    -- /usr/local/bin/crac-cpu check --value "$SUGG" "$avx"
grep -q "lacks .* features" "$er_out" && ok ||
    nok crac-cpu-explains "no 'lacks N features' in: $(head -1 "$er_out")"
expect crac-cpu-live-generic 0 "(not run)" \
    -- /usr/local/bin/crac-cpu check "$gen"
# The CPU seen from the empty root is the CPU seen from outside.
want=$("$bin" features --jdk xm --format value 2>&1)
er_run_bare "$root" -- /usr/local/bin/crac-cpu features --jdk xm --format value
if [ "$(cat "$er_out")" = "$want" ]; then ok; else
	nok live-features-same "inside: $(cat "$er_out"), outside: $want"
fi

# crac-restore, as a container runtime starts it (/proc and /dev/null when
# a namespace can be made).
run=er_run_bare
restore=/usr/local/bin/crac-restore
java=/opt/jdk/bin/java
expect restores-the-fitting-image 0 "-XX:CRaCRestoreFrom=$gen
-Xmx1g
an arg with spaces" \
    CRAC_CPU_CHECK_OPTS="--value $SUGG" -- \
    "$restore" --java "$java" "$avx" "$gen" -- -Xmx1g "an arg with spaces"
expect fallback-when-nothing-fits 0 "-jar
/opt/app/app.jar" \
    CRAC_CPU_CHECK_OPTS="--value $SUGG" -- \
    "$restore" --java "$java" --fallback "exec $java -jar /opt/app/app.jar" \
    "$avx"
expect no-fit-without-fallback 1 "(not run)" \
    CRAC_CPU_CHECK_OPTS="--value $SUGG" -- "$restore" --java "$java" "$avx"
expect live-cpu-restores-generic 0 "-XX:CRaCRestoreFrom=$gen" \
    -- "$restore" --java "$java" "$gen"
# This CPU and both images: the answer crac-cpu gives outside the root.
if best=$("$bin" check --best "$root$avx" "$root$gen" 2>/dev/null); then
	expect live-cpu-best-as-outside 0 "-XX:CRaCRestoreFrom=${best#"$root"}" \
	    -- "$restore" --java "$java" "$avx" "$gen"
else
	nok live-cpu-best-as-outside "outside, no image fits this CPU"
fi
# java from PATH, crac-cpu from next to the script (PATH lacks it).
expect java-from-path 0 "-XX:CRaCRestoreFrom=$gen" \
    PATH=/opt/jdk/bin:/bin CRAC_CPU_CHECK_OPTS="--value $SUGG" -- \
    "$restore" "$avx" "$gen"

# The glibc version is the system's, read from its libc.so.6, not the one
# the static binary was built with: a root without glibc cannot say it, so
# against a stamp that names one the glibc risk is unchecked (and --strict
# refuses); with the host's libc.so.6 in the root it is compared.
st=$root/opt/app/stamped
er_image "$st" "$GENERIC" 22-internal
if "$bin" stamp "$st" >/dev/null 2>&1 && grep -q '"glibc": "[0-9]' "$st/crac-cpu.json"; then
	ok
else
	nok stamp-records-system-glibc "no glibc version in $(grep '"glibc"' "$st/crac-cpu.json" 2>&1 | head -1)"
fi
er_run_bare "$root" -- /usr/local/bin/crac-cpu check /opt/app/stamped
if grep -q "unchecked: .*glibc" "$er_out"; then ok; else
	nok no-glibc-is-unchecked "$(cat "$er_out")"
fi
libc=
for l in /lib/x86_64-linux-gnu/libc.so.6 /lib64/libc.so.6; do
	[ -f "$l" ] && { libc=$l; break; }
done
if [ -n "$libc" ]; then
	mkdir -p "$root${libc%/*}"
	cp "$libc" "$root$libc"
	er_run_bare "$root" -- /usr/local/bin/crac-cpu check --strict \
	    --allow hypervisor /opt/app/stamped
	if [ $? = 0 ] && ! grep -q "unchecked" "$er_out"; then ok; else
		nok glibc-read-from-root "$(cat "$er_out")"
	fi
	rm -f "$root$libc"
fi

echo "emptyroot: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
