#!/bin/sh
# tests/deb.sh B -- make deb, then: lintian (when installed) reports no
# error and no warning on any of the packages; the packages unpacked into a
# fresh root (dpkg -x) give a crac-cpu that prints its version, manual
# pages man -w finds there, a bash completion that completes with that
# binary, and a libccpu-dev whose ccpu.pc builds and runs the example
# against that root's libccpu.so.0.
# Prints "deb: N passed, N failed" last.
set -u
b=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
for t in dpkg-deb dpkg; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "SKIP deb: no $t"
		exit 0
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); printf 'FAIL deb/%s\n' "$1"; shift; [ $# -eq 0 ] || printf '%s\n' "$@"; }

if ! make -s B="$b" deb >"$tmp/make.out" 2>&1; then
	no build "$(tail -20 "$tmp/make.out")"
	echo "deb: $pass passed, $fail failed"
	exit 1
fi
debs=$(ls "$b"/deb/*.deb 2>/dev/null)
n=$(printf '%s\n' "$debs" | grep -c '\.deb$')
[ "$n" = 3 ] && ok || no packages "want 3 packages, got: $debs"

if command -v lintian >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	lintian --fail-on error,warning $debs >"$tmp/lintian" 2>&1
	st=$?
	if [ $st = 0 ] && ! grep -q '^[EW]:' "$tmp/lintian"; then ok; else
		no lintian "$(cat "$tmp/lintian")"; fi
else
	echo "SKIP deb/lintian: no lintian (scripts/install-deps.sh --test)"
fi

root=$tmp/root
for d in $debs; do dpkg -x "$d" "$root" || no "unpack-${d##*/}"; done
v=$("$root/usr/bin/crac-cpu" --version 2>&1)
[ "$v" = "$("$b/crac-cpu" --version)" ] && ok || no version "$v"
"$root/usr/bin/crac-restore" --version >"$tmp/rv" 2>&1 &&
    grep -q '^crac-restore ' "$tmp/rv" && ok || no restore-version "$(cat "$tmp/rv")"
for page in crac-cpu crac-cpu-check crac-restore; do
	w=$(MANPATH="$root/usr/share/man" man -w "$page" 2>&1)
	[ "$w" = "$root/usr/share/man/man1/$page.1.gz" ] && ok || no "man-w-$page" "$w"
done
comp=$root/usr/share/bash-completion/completions/crac-cpu
if [ -f "$comp" ] && [ -L "$root/usr/share/bash-completion/completions/crac-restore" ]; then
	got=$(PATH="$root/usr/bin:$PATH" bash -c '. "$1"; COMP_WORDS=(crac-cpu ch); COMP_CWORD=1;
	    _crac_cpu; echo "${COMPREPLY[*]}"' bash "$comp" 2>&1)
	[ "$got" = check ] && ok || no completion "completes 'crac-cpu ch' to: $got"
else
	no completion "no $comp (or crac-restore's link)"
fi

# The -dev package: the example against the unpacked root.
ma=$(gcc -print-multiarch)
# shellcheck disable=SC2046
if cc -std=c11 -o "$tmp/ex" examples/ccpu-example.c $(PKG_CONFIG_SYSROOT_DIR="$root" \
    PKG_CONFIG_PATH="$root/usr/lib/$ma/pkgconfig" pkg-config --cflags --libs ccpu) \
    >"$tmp/cc.out" 2>&1; then
	mkdir "$tmp/img"
	printf 'label:cpu.arch=amd64\nlabel:java.version=26-internal\nbitmap:cpu.features=%s\n' \
	    f7fbdd0518462100cc0f000000000000 >"$tmp/img/tags"
	fix=tests/fixtures/cpuid
	LD_LIBRARY_PATH="$root/usr/lib/$ma" "$tmp/ex" x26a "$fix/intel-icelake-sp-xeon-gold-6330.raw" \
	    "$fix/amd-zen2-rome-epyc-7742.raw" "$tmp/img" >"$tmp/ex.out" 2>&1
	grep -q '^plan: -XX:CPUFeatures=0x' "$tmp/ex.out" && ok || no example-run "$(cat "$tmp/ex.out")"
else
	no example-build "$(head -20 "$tmp/cc.out")"
fi

echo "deb: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
