#!/bin/sh
# tests/oracle.sh BIN -- compare crac-cpu with a real JVM, the oracle.
#
# Debian's OpenJDK 17 prints the CPU features it uses with
# `java -Xlog:os+cpu=info -version`.  We run it natively and under
# `qemu-x86_64 -cpu MODEL` for every x86 model qemu lists, and for single
# features removed from (or added to) several models, and require
# `crac-cpu features --jdk 17 --format hotspot`, run under the same emulation,
# to print exactly the same list.  When the JVM refuses to start on a model,
# crac-cpu must refuse too (exit status 1 or 2, with a message).  Models qemu
# cannot run 64-bit code on, and CPUID combinations on which the JVM itself
# crashes, are counted as skipped, each with a visible SKIP line.
#
# Missing tools give a visible SKIP line, never a silent pass.  The last line
# is "oracle: N passed, N failed" (", N skipped" may follow).
# ORACLE_MODELS="Haswell EPYC" limits the run to those models (no removals).
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/tests/oracle.out
rm -rf "$out"
mkdir -p "$out"
pass=0 fail=0 skip=0

java=
for j in /usr/lib/jvm/java-17-openjdk-amd64/bin/java "$(command -v java 2>/dev/null)"; do
	if [ -n "$j" ] && [ -x "$j" ] &&
	    "$j" -version 2>&1 | grep -q 'version "17\.'; then
		java=$(readlink -f "$j")
		break
	fi
done

# check NAME [qemu-x86_64 -cpu MODEL]
check() {
	name=$1
	shift
	"$@" "$java" -Xint -Xshare:auto -Xlog:os+cpu=info -version \
	    >"$out/$name.jvm" 2>&1
	jst=$?
	want=$(sed -n 's/.*\[os,cpu\] CPU: .* microcode 0x[0-9a-f]*, //p' \
	    "$out/$name.jvm" | head -1)
	if grep -q 'does not support 64 bit mode' "$out/$name.jvm"; then
		skip=$((skip + 1))
		echo "SKIP oracle/$name: qemu runs no 64-bit code on this model"
		return
	fi
	if [ $jst -gt 128 ]; then
		# glibc picks routines by CPUID bits the model combines in ways
		# no real CPU does (AVX2 without BMI1, SSE4.1 without SSSE3)
		# and dies on an instruction the model hides.
		skip=$((skip + 1))
		echo "SKIP oracle/$name: the JVM itself crashed (status $jst: an impossible CPUID combination)"
		return
	fi
	got=$("$@" "$bin" features --jdk 17 --format hotspot 2>"$out/$name.err")
	st=$?
	if [ -z "$want" ]; then
		if [ $st -eq 1 ] || [ $st -eq 2 ] && [ -s "$out/$name.err" ]; then
			pass=$((pass + 1))
			echo "ok   $name (the JVM refuses to start; crac-cpu: $(head -1 "$out/$name.err"))" >>"$out/log"
		else
			fail=$((fail + 1))
			echo "FAIL oracle/$name: the JVM refuses to start (status $jst), crac-cpu says (status $st): $got"
			grep -v warning "$out/$name.jvm" | head -3
		fi
		return
	fi
	if [ $st -eq 0 ] && [ "$want" = "$got" ]; then
		pass=$((pass + 1))
		echo "ok   $name" >>"$out/log"
	else
		fail=$((fail + 1))
		echo "FAIL oracle/$name (status $st)"
		echo "  jvm:      $want"
		echo "  crac-cpu: $got"
		head -3 "$out/$name.err"
	fi
}

if [ -z "$java" ]; then
	echo "SKIP oracle: no OpenJDK 17 (apt-get install openjdk-17-jre-headless)"
	skip=$((skip + 1))
else
	check native
	if ! command -v qemu-x86_64 >/dev/null 2>&1; then
		echo "SKIP oracle: no qemu-x86_64 (apt-get install qemu-user); emulated CPU models not compared"
		skip=$((skip + 1))
	else
		models=${ORACLE_MODELS:-$(qemu-x86_64 -cpu help | awk '$1 == "x86" { print $2 }')}
		for m in $models; do
			check "$m" qemu-x86_64 -cpu "$m"
		done
		[ -n "${ORACLE_MODELS:-}" ] || while read -r m; do
			case $m in ''|'#'*) continue ;; esac
			check "$m" qemu-x86_64 -cpu "$m"
		done <"$top/tests/oracle-removals.txt"
	fi
fi
echo "oracle: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
