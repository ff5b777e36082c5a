#!/bin/sh
# tests/oracle-aarch64.sh BIN -- compare crac-cpu with a real JVM on aarch64.
#
# Debian's arm64 OpenJDK 17 runs under `qemu-aarch64 -L ROOT -cpu MODEL`
# without a chroot: its packages, fetched with `apt-get download` (the
# arm64 architecture added to dpkg, as scripts/install-deps.sh --test does)
# and unpacked with dpkg-deb -x into a cache directory, ORACLE_CACHE (by
# default ${XDG_CACHE_HOME:-$HOME/.cache}/crac-cpu/oracle-aarch64).  For
# every CPU model qemu lists, every -cpu variant of
# tests/oracle-aarch64-removals.txt and every arm64 /proc/cpuinfo fixture
# (tests/fixtures/cpuinfo-arm64, shown to the JVM as its /proc/cpuinfo:
# qemu-user's -L prefix applies to that path too, so HotSpot reads a real
# machine's implementer and part over -cpu max's HWCAP words), the
# features `java -Xint -Xlog:os+cpu=info -version` prints must equal
# `crac-cpu features --jdk 17 --format hotspot` of BIN, the arm64 crac-cpu
# (build/aarch64/crac-cpu, which tests/aarch64.sh builds), run under the
# same emulation and prefix.  With ORACLE_TRIXIE_ROOT (Debian trixie's
# openjdk-21 and -25-jre-headless:arm64 and their libraries unpacked there
# by hand), JDK 21 and 25 against --jdk 21 and 25 too.  Prints the table,
# then "oracle-aarch64: N passed, N failed"; a missing tool or no network
# gives a SKIP line.
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crac-cpu/oracle-aarch64}
root=$cache/root
java=usr/lib/jvm/java-17-openjdk-arm64/bin/java
pkgs="openjdk-17-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g"
out=$top/tests/oracle-aarch64.out
pass=0 fail=0

skip() {
	echo "SKIP oracle-aarch64: $1"
	exit 0
}
[ -x "$bin" ] || skip "no arm64 crac-cpu at $bin (tests/aarch64.sh builds it)"
command -v qemu-aarch64 >/dev/null 2>&1 || skip "no qemu-aarch64 (apt-get install qemu-user)"

# The JDK, once: apt-get download of the arm64 packages into the cache.
if [ ! -x "$root/$java" ]; then
	command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 ||
	    skip "no apt-get or dpkg-deb to fetch Debian's arm64 OpenJDK 17"
	dpkg --print-foreign-architectures 2>/dev/null | grep -qx arm64 ||
	    skip "dpkg knows no arm64 architecture (scripts/install-deps.sh --test adds it)"
	rm -rf "$cache/debs" "$root.tmp"
	mkdir -p "$cache/debs" "$root.tmp" || skip "cannot create $cache"
	for p in $pkgs; do
		(cd "$cache/debs" && apt-get download -q "$p:arm64") \
		    >"$cache/download.log" 2>&1 ||
		    skip "cannot download $p:arm64 (no network or no arm64 package lists; see $cache/download.log)"
	done
	for d in "$cache"/debs/*.deb; do
		dpkg-deb -x "$d" "$root.tmp" || skip "cannot unpack $d"
	done
	[ -e "$root.tmp/lib" ] || ln -s usr/lib "$root.tmp/lib"
	rm -rf "$root" && mv "$root.tmp" "$root"
fi

rm -rf "$out"
mkdir -p "$out"
# The features of the JVM's "CPU: total N (initial active N) IMPL:VAR:PART:REV[(PART2)], ..." line.
jvm_list() {
	sed -n 's/^\[[^]]*\]\[info\]\[os,cpu\] CPU: total [0-9]* (initial active [0-9]*) [^,]*, //p' "$1" | head -1
}

# check NAME CPU PREFIX [JDK JAVA]: the JVM (17 unless named) and crac-cpu
# under qemu -L PREFIX -cpu CPU.
check() {
	name=$1 cpu=$2 prefix=$3 jdk=${4:-17} jv=${5:-$java}
	qemu-aarch64 -L "$prefix" -cpu "$cpu" "$prefix/$jv" -Xint \
	    -Xlog:os+cpu=info -version >"$out/$name.jvm" 2>&1
	want=$(jvm_list "$out/$name.jvm")
	got=$(qemu-aarch64 -L "$prefix" -cpu "$cpu" "$bin" features --jdk "$jdk" \
	    --format hotspot 2>"$out/$name.err")
	if [ -z "$want" ]; then
		fail=$((fail + 1))
		printf '| %s | (no CPU line: %s) | %s | FAIL |\n' "$name" \
		    "$(head -1 "$out/$name.jvm")" "$got"
	elif [ "$want" = "$got" ]; then
		pass=$((pass + 1))
		printf '| %s | %s | same | ok |\n' "$name" "$want"
	else
		fail=$((fail + 1))
		printf '| %s | %s | %s | FAIL |\n' "$name" "$want" "$got"
	fi
}

echo "| qemu -cpu (or cpuinfo; jdkN- for JDK N, else 17) | the JVM's -Xlog:os+cpu | crac-cpu features --jdk N --format hotspot | |"
echo "|---|---|---|---|"
models=${ORACLE_MODELS:-$(qemu-aarch64 -cpu help | sed -n 's/^  *\([a-z0-9][a-z0-9-]*\)$/\1/p')}
for m in $models; do
	check "$m" "$m" "$root"
done
[ -n "${ORACLE_MODELS:-}" ] || while read -r m; do
	case $m in ''|'#'*) continue ;; esac
	check "$m" "$m" "$root"
done <"$top/tests/oracle-aarch64-removals.txt"
# Real machines' /proc/cpuinfo over -cpu max: the model-derived features.
# qemu's -L root with its own proc/cpuinfo: the JVM's files linked from
# $root, the overlay in $ov (empty proc/).
overlay() {
	ov=$out/overlay
	rm -rf "$ov"
	mkdir -p "$ov/proc"
	for e in "$root"/*; do
		ln -s "$e" "$ov/${e##*/}"
	done
}
[ -n "${ORACLE_MODELS:-}" ] || for f in "$top"/tests/fixtures/cpuinfo-arm64/*.txt; do
	overlay
	cp "$f" "$ov/proc/cpuinfo"
	check "max+${f##*/}" max "$ov"
	rm -rf "$ov"
done
# Two made-up cpuinfo texts (not fixtures: no real machine's) for the model
# rules no fixture reaches: a Cortex-A57 (stxr_prefetch) and a Cortex-A53
# listed before a Cortex-A72 (a53mac from _model2).
synthetic() {	# synthetic NAME PART...
	name=$1
	shift
	overlay
	n=0
	for part in "$@"; do
		printf 'processor\t: %d\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: %s\nCPU revision\t: 0\n\n' \
		    $n "$part" >>"$ov/proc/cpuinfo"
		n=$((n + 1))
	done
	check "max+synthetic-$name" max "$ov"
	rm -rf "$ov"
}
[ -n "${ORACLE_MODELS:-}" ] || {
	synthetic cortex-a57 0xd07 0xd07
	synthetic a53-then-a72 0xd03 0xd03 0xd08 0xd08
}
# JDK 21 and 25 (Debian trixie's openjdk-21/25-jre-headless:arm64, unpacked
# into ORACLE_TRIXIE_ROOT by hand: this test fetches bookworm's only).
if [ -n "${ORACLE_TRIXIE_ROOT:-}" ]; then
	for v in 21 25; do
		jv=usr/lib/jvm/java-$v-openjdk-arm64/bin/java
		if [ ! -x "$ORACLE_TRIXIE_ROOT/$jv" ]; then
			echo "SKIP oracle-aarch64/$v: no $ORACLE_TRIXIE_ROOT/$jv"
			continue
		fi
		for m in $models; do
			check "jdk$v-$m" "$m" "$ORACLE_TRIXIE_ROOT" "$v" "$jv"
		done
		[ -n "${ORACLE_MODELS:-}" ] || while read -r m; do
			case $m in ''|'#'*) continue ;; esac
			check "jdk$v-$m" "$m" "$ORACLE_TRIXIE_ROOT" "$v" "$jv"
		done <"$top/tests/oracle-aarch64-removals.txt"
	done
fi
echo "oracle-aarch64: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
