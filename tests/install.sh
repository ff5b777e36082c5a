#!/bin/sh
# tests/install.sh B -- make install into a scratch DESTDIR and use what it
# installed as a user of the package would:
#   - the installed tree is exactly tests/install-tree.txt (file and link
#     names, modes; CCPU_TEST_ACCEPT=1 rewrites it);
#   - every installed header compiles on its own from the installed
#     include directory (tests/headers.sh), and every docs/ or data/ file a
#     header names is installed in the documentation directory;
#   - examples/ccpu-example.c builds with `pkg-config --cflags --libs ccpu`
#     (PKG_CONFIG_SYSROOT_DIR and PKG_CONFIG_PATH into that tree) against
#     the shared library and, with --static, fully static, and both print
#     what crac-cpu prints for the same questions (this host's value, a plan,
#     a check's verdict);
#   - install-strip leaves the programs without debug information, and
#     make uninstall leaves no file behind.
# B is the build directory (build); prints "install: N passed, N failed".
set -u
b=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
prefix=/usr/local
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); printf 'FAIL install/%s\n' "$1"; shift; [ $# -eq 0 ] || printf '%s\n' "$@"; }

if ! make -s B="$b" DESTDIR="$root" PREFIX="$prefix" install >"$tmp/make.out" 2>&1; then
	no make-install "$(tail -20 "$tmp/make.out")"
	echo "install: $pass passed, $fail failed"
	exit 1
fi
ok

# The tree: every file with its mode, every link with its target.
(cd "$root" && find . -mindepth 1 -type f -printf '%p %m\n' -o -type l -printf '%p -> %l\n' |
    sed 's|^\./|/|' | LC_ALL=C sort) >"$tmp/tree"
if [ "${CCPU_TEST_ACCEPT:-}" = 1 ]; then
	cp "$tmp/tree" tests/install-tree.txt
fi
if diff -u tests/install-tree.txt "$tmp/tree" >"$tmp/tree.diff"; then
	ok
else
	no tree "$(head -40 "$tmp/tree.diff")"
fi

inc=$root$prefix/include
doc=$root$prefix/share/doc/crac-cpu
if sh tests/headers.sh "$inc" >"$tmp/headers.out" 2>&1; then
	ok
else
	no headers "$(tail -10 "$tmp/headers.out")"
fi
missing=
for f in $(grep -ohE '\<(docs|data)/[A-Za-z0-9_.-]+\.(md|def)' "$inc"/ccpu/*.h | sort -u); do
	[ -f "$doc/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then
	ok
else
	no header-citations "headers name files not installed in $doc:$missing"
fi

# The example against the installed copy, shared and static.
export PKG_CONFIG_SYSROOT_DIR="$root"
export PKG_CONFIG_PATH="$root$prefix/lib/pkgconfig"
cc=${CC:-cc}
ex=examples/ccpu-example.c
fix=tests/fixtures/cpuid
build=$fix/intel-icelake-sp-xeon-gold-6330.raw
target=$fix/amd-zen2-rome-epyc-7742.raw
mkdir "$tmp/img"
printf 'label:cpu.arch=amd64\nlabel:java.version=26-internal\nbitmap:cpu.features=%s\n' \
    f7fbdd0518462100cc0f000000000000 >"$tmp/img/tags"
cli=$root$prefix/bin/crac-cpu
want_host=$("$cli" features --jdk x26a --format value)
want_plan=$("$cli" flags --jdk x26a --format value "$build" "$target" 2>/dev/null)
"$cli" check --jdk x26a "$tmp/img" >/dev/null 2>&1
want_status=$?
for kind in shared static; do
	if [ $kind = shared ]; then
		# shellcheck disable=SC2046
		$cc -std=c11 -Wall -Wextra -Werror -o "$tmp/ex-$kind" "$ex" \
		    $(pkg-config --cflags --libs ccpu) >"$tmp/cc.out" 2>&1
	else
		# shellcheck disable=SC2046
		$cc -std=c11 -Wall -Wextra -Werror -static -o "$tmp/ex-$kind" "$ex" \
		    $(pkg-config --static --cflags --libs ccpu) >"$tmp/cc.out" 2>&1
	fi
	if [ $? -ne 0 ]; then
		no "example-$kind-build" "$(head -20 "$tmp/cc.out")"
		continue
	fi
	needed=$(readelf -d "$tmp/ex-$kind" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
	if [ $kind = shared ]; then
		case " $needed" in
		*" libccpu.so.0 "*) ok ;;
		*) no example-shared-links "needs: $needed (want libccpu.so.0)" ;;
		esac
	else
		[ -z "$needed" ] && ok || no example-static-links "needs: $needed (want nothing)"
	fi
	LD_LIBRARY_PATH=$root$prefix/lib "$tmp/ex-$kind" x26a "$build" "$target" \
	    "$tmp/img" >"$tmp/ex.out" 2>&1
	status=$?
	got_host=$(sed -n 's/^host: -XX:CPUFeatures=//p' "$tmp/ex.out")
	got_plan=$(sed -n 's/^plan: -XX:CPUFeatures=//p' "$tmp/ex.out")
	if [ -n "$want_host" ] && [ "$got_host" = "$want_host" ] &&
	    [ -n "$want_plan" ] && [ "$got_plan" = "$want_plan" ] &&
	    [ "$status" = "$want_status" ]; then
		ok
	else
		no "example-$kind-run" "$(cat "$tmp/ex.out")" \
		    "status $status; crac-cpu says: host $want_host, plan $want_plan, status $want_status"
	fi
done
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_PATH

# install-strip: no debug information left in the programs and library.
rm -rf "$root"
if make -s B="$b" DESTDIR="$root" PREFIX="$prefix" install-strip >"$tmp/make.out" 2>&1; then
	dbg=
	for f in "$root$prefix/bin/crac-cpu" "$root$prefix/lib/libccpu.so.0"; do
		readelf -S "$f" | grep -q '\.debug_info' && dbg="$dbg ${f##*/}"
	done
	[ -z "$dbg" ] && ok || no install-strip "debug information left in:$dbg"
else
	no install-strip "$(tail -20 "$tmp/make.out")"
fi

# uninstall removes every file install put there.
if make -s B="$b" DESTDIR="$root" PREFIX="$prefix" uninstall >"$tmp/make.out" 2>&1; then
	left=$(cd "$root" && find . \( -type f -o -type l \) | head -10)
	[ -z "$left" ] && ok || no uninstall "left behind:" "$left"
else
	no uninstall "$(tail -20 "$tmp/make.out")"
fi

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
