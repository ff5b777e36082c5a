#!/bin/sh
# tests/aarch64.sh -- the aarch64 build: cross-build crac-cpu with
# `make ARCH=aarch64` (gcc-aarch64-linux-gnu, libjansson-dev:arm64; no
# libcpuid) and run the static arm64 binary under qemu-aarch64: it must be
# statically linked, say what it was built with (--version: libcpuid none),
# list the layouts, give the same answers as the native binary on inputs
# that do not depend on the machine, and probe the emulated CPU as an
# aarch64 host.
#
# MAKE and WERROR come from make test.  A missing tool gives a visible SKIP
# line, never a silent pass.  The last line is "aarch64: N passed, N failed".
top=$(cd "$(dirname "$0")/.." && pwd)
native=$1
make=${MAKE:-make}
cross=${CROSS:-aarch64-linux-gnu-}
bin=$top/build/aarch64/crac-cpu
pass=0 fail=0

skip() {
	echo "SKIP aarch64: $1 (scripts/install-deps.sh --test installs it)"
	exit 0
}
command -v "${cross}gcc" >/dev/null 2>&1 || skip "no ${cross}gcc"
[ -f /usr/lib/aarch64-linux-gnu/libjansson.a ] || skip "no libjansson-dev:arm64"
command -v qemu-aarch64 >/dev/null 2>&1 || skip "no qemu-aarch64"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$top" && $make --no-print-directory ARCH=aarch64 CROSS="$cross" \
    ${WERROR:+WERROR=1} build/aarch64/crac-cpu) >"$tmp/build" 2>&1; then
	echo "FAIL aarch64/build: make ARCH=aarch64"
	tail -20 "$tmp/build"
	echo "aarch64: 0 passed, 1 failed"
	exit 1
fi

ok() { pass=$((pass + 1)); }
nok() {
	fail=$((fail + 1))
	printf 'FAIL aarch64/%s: %s\n' "$1" "$2"
	[ -s "$tmp/err" ] && sed 's/^/  | /' "$tmp/err" | head -5
}
run() {		# run ARGS...: the arm64 binary under qemu, stdout in $tmp/out
	qemu-aarch64 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
}

case $(file -L "$bin" 2>/dev/null) in
*"ARM aarch64"*"statically linked"*)	ok ;;
*)	nok static "not a static arm64 executable: $(file -L "$bin" 2>&1)" ;;
esac

if run --version && grep -qx 'libcpuid none' "$tmp/out" &&
    grep -q '^crac-cpu ' "$tmp/out"; then ok; else
	nok version "--version: $(tr '\n' ' ' <"$tmp/out")"
fi

# Machine-independent answers are the native binary's, byte for byte.
same() {	# same NAME ARGS...
	name=$1
	shift
	run "$@"
	st=$?
	"$native" "$@" >"$tmp/want" 2>/dev/null
	wst=$?
	if [ $st -eq $wst ] && cmp -s "$tmp/out" "$tmp/want"; then ok; else
		nok "$name" "differs from the native binary (status $st, want $wst)"
		diff "$tmp/want" "$tmp/out" | head -5
	fi
}
fix=$top/tests/fixtures
same layouts layouts
same layouts-json layouts --format json
same decode decode --jdk 25 0x4ff7fff9dfcfbf7,0x3e6
same features-dump features --jdk 21 --format hotspot "$fix/cpuid/intel-skylake-sp-xeon-gold-6154.raw"
same features-arm64 features --jdk a63 --host "$fix/cpuinfo-arm64/biglittle-a55-a76-agilex5.txt"
same features-arm64-nfd features --format nfd --host "$fix/cpuinfo-arm64/biglittle-a55-a76-agilex5.txt"
same decode-arm64 decode --jdk a22 0x4000ff
same plan-arm64 plan --jdk a22 "$fix/cpuinfo-arm64/graviton1-a72.txt" "$fix/cpuinfo-arm64/graviton2-n1.txt"
same plan-fleet plan --jdk 25 "$fix/cpuid/intel-skylake-sp-xeon-gold-6154.raw" "$fix/cpuinfo/kvm-amd-epyc-zen3.cpuinfo"

# A live probe under emulation: an aarch64 host whose HWCAP words are
# qemu's for the model.  What Debian's OpenJDK 17 prints there (the issue's
# two examples; tests/oracle-aarch64.sh runs the JVM itself).
probe_is() {	# probe_is MODEL WANT
	if qemu-aarch64 -cpu "$1" "$bin" features --format hotspot \
	    >"$tmp/out" 2>"$tmp/err" && [ "$(cat "$tmp/out")" = "$2" ]; then ok; else
		nok "probe-$1" "features --format hotspot under -cpu $1: $(cat "$tmp/out")"
	fi
}
probe_is a64fx "fp, simd, aes, pmull, sha1, sha256, crc, lse, dcpop, sve"
probe_is max "fp, simd, aes, pmull, sha1, sha256, crc, lse, dcpop, sha3, sha512, sve, sve2"
if qemu-aarch64 -cpu neoverse-n1 "$bin" probe >"$tmp/out" 2>"$tmp/err" &&
    grep -q '"schema": "ccpu-profile/2"' "$tmp/out" &&
    grep -q '"arch": "aarch64"' "$tmp/out"; then ok; else
	nok probe-profile "probe under -cpu neoverse-n1 is no aarch64 profile"
fi

# Stamp and check live on the emulated aarch64 host: an image of a CRaC
# build before 2026 (tags without a word) and one that records nothing at
# all (no tags: the host's architecture and --jdk 21 tell), each checked
# by its stamp alone on the same CPU.
stamp_check() {	# stamp_check NAME TAGS STAMP-ARGS...
	name=$1 tags=$2
	shift 2
	mkdir "$tmp/$name" && printf abc >"$tmp/$name/pages-1.img"
	[ -z "$tags" ] || printf "$tags" >"$tmp/$name/tags"
	if qemu-aarch64 -cpu neoverse-n1 "$bin" stamp "$@" "$tmp/$name" \
	    >"$tmp/out" 2>"$tmp/err" &&
	    grep -q '"arch": "aarch64"' "$tmp/$name/crac-cpu.json" &&
	    grep -q '"layout": "a21"' "$tmp/$name/crac-cpu.json" &&
	    qemu-aarch64 -cpu neoverse-n1 "$bin" check "$tmp/$name" \
	    >"$tmp/out" 2>"$tmp/err" &&
	    grep -q ": compatible (layout a21 from crac-cpu.json" "$tmp/out"
	then ok; else
		nok "stamp-check-$name" "stamp and check under -cpu neoverse-n1: $(cat "$tmp/out")"
	fi
}
stamp_check pre2026 'label:cpu.arch=aarch64\nlabel:java.version=21.0.5\n'
stamp_check no-tags '' --jdk 21

# qemu-user gives no MIDR (no sysfs, the host's /proc/cpuinfo): the NFD
# labels, which must let the survey derive a53mac, are refused, not guessed.
if ! qemu-aarch64 -cpu neoverse-n1 "$bin" features --format nfd \
    >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/out" ] &&
    grep -q "MIDR cannot be read" "$tmp/err"; then ok; else
	nok probe-nfd "features --format nfd under qemu without a MIDR: $(cat "$tmp/out" "$tmp/err" | head -3)"
fi

echo "aarch64: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
